"""Data sets bundled with yosmodel: synthetic cohorts for trying things out and benchmarking
(labelled synthetic wherever they appear) and published reference figures."""

from .lewisham_reoffending import lewisham_2016_reoffending
from .synthetic import synthetic_cohort

__all__ = ["lewisham_2016_reoffending", "synthetic_cohort"]
