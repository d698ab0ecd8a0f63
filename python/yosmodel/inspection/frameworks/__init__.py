"""Inspection frameworks shipped with yosmodel, as JSON data (schema: docs/frameworks.md)."""
