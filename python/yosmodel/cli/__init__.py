"""The ``yosmodel`` command line (the commands and their parser are in main.py)."""

from .main import build_parser, main, run

__all__ = ["build_parser", "main", "run"]
