"""Proven reoffending: grouped measures over a person-level cohort, their mergeable partial
tables, the cohort builder, cohort series and comparisons of rates."""

from .._core.reoffending import PartialTable
from .cohort import build_cohort, build_cohort_series, cohort_periods
from .compare import compare_rates
from .partials import MEASURES, rates_frame, reoffending_partial
from .rates import reoffending_rates
from .stepwise import reoffending_rates_in_steps

__all__ = [
    "MEASURES",
    "PartialTable",
    "build_cohort",
    "build_cohort_series",
    "cohort_periods",
    "compare_rates",
    "rates_frame",
    "reoffending_partial",
    "reoffending_rates",
    "reoffending_rates_in_steps",
]
