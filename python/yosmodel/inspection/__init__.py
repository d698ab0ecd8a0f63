"""Inspections: frameworks as data, inspected cases and their answers, scores and judgements,
the standalone HTML report, case sampling, templates for a real inspection, and readiness.

The model and every rule live in the C++ core (``_core.inspection``); this subpackage reads
files, names things and returns DataFrames. Its modules import one way:
``_native`` <- ``framework`` <- ``model`` <- ``report`` (and ``charts``, ``_html``, leaves)."""

from ._native import ANSWER_WORDS, FINDING_KINDS, FINDING_TONES, THEME_RULES, FrameworkError
from .framework import Framework, overall_rating, shipped_frameworks
from .model import Finding, Inspection, Recommendation
from .sampling import CaseSample, margin_of_error, sample_cases
from .template import inspection_template

__all__ = [
    "ANSWER_WORDS",
    "CaseSample",
    "FINDING_KINDS",
    "FINDING_TONES",
    "Finding",
    "Framework",
    "FrameworkError",
    "Inspection",
    "inspection_template",
    "margin_of_error",
    "overall_rating",
    "Recommendation",
    "sample_cases",
    "shipped_frameworks",
    "THEME_RULES",
]
