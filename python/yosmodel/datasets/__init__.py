"""Data sets bundled with yosmodel: synthetic cohorts for trying things out and benchmarking
(labelled synthetic wherever they appear) and published reference figures."""

from .programme import synthetic_programme
from .synthetic import synthetic_cohort

__all__ = ["synthetic_cohort", "synthetic_programme"]
