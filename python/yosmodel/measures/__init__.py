"""How youth justice services are measured today: first time entrants, use of custody, the
2023 key performance indicators, rates per population, comparators and funnel plots,
disproportionality, concentration and live tracking of a cohort. Definitions and their sources:
docs/measures.md."""

from .comparators import compare_with_comparators, mark_definition_break, quartile_among
from .concentration import lorenz_curve, reoffending_concentration
from .custody import use_of_custody
from .disproportionality import relative_rate_index
from .first_time_entrants import OUTCOME_KINDS, first_time_entrants
from .funnel import funnel_limits, funnel_plot
from .kpis import kpi_definitions, kpis
from .population import PopulationRate, population_rate
from .profile import Profile, performance_profile
from .tracking import STATUSES, TrackedCohort, track_cohort
from .workbook import to_excel

__all__ = [
    "OUTCOME_KINDS",
    "STATUSES",
    "PopulationRate",
    "Profile",
    "TrackedCohort",
    "compare_with_comparators",
    "first_time_entrants",
    "funnel_limits",
    "funnel_plot",
    "kpi_definitions",
    "kpis",
    "lorenz_curve",
    "mark_definition_break",
    "performance_profile",
    "population_rate",
    "quartile_among",
    "relative_rate_index",
    "reoffending_concentration",
    "to_excel",
    "track_cohort",
    "use_of_custody",
]
