"""Data sets bundled with yosmodel: synthetic cohorts for trying things out and benchmarking
(labelled synthetic wherever they appear) and published reference figures: the Lewisham 2016
inspection, with a RECONSTRUCTED case sample that reproduces its published scores."""

from .lewisham import lewisham_2016, lewisham_2016_details
from .lewisham_reoffending import lewisham_2016_reoffending
from .programme import synthetic_programme
from .synthetic import synthetic_cohort
from .synthetic_events import synthetic_events
from .synthetic_measures import SyntheticYouthJustice, synthetic_youth_justice

__all__ = ["lewisham_2016", "lewisham_2016_details", "lewisham_2016_reoffending",
           "synthetic_cohort", "synthetic_events", "synthetic_programme",
           "synthetic_youth_justice", "SyntheticYouthJustice"]
