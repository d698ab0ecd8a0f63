"""yosmodel: youth offending inspections and proven reoffending measures.

    >>> import yosmodel as ym
    >>> cohort = ym.datasets.synthetic_cohort(100_000)          # labelled synthetic
    >>> ym.reoffending_rates(cohort, by=["sex"])                 # doctest: +SKIP
"""

# In a development build the compiled module lives in the build tree's copy of this package;
# extend_path lets one package span both folders (an installed package has both in one).
from pkgutil import extend_path

__path__ = extend_path(__path__, __name__)

from . import _core, _guard  # noqa: E402
from . import dask, datasets, disclosure, inspection, measures, plot  # noqa: E402  (dask, plot: lazily)
from ._core import PartialTable, __version__  # noqa: E402
from ._kinds import disposal_kinds  # noqa: E402
from ._set_aside import RecordsSetAsideWarning  # noqa: E402

_guard.guard(_core)  # no pybind11 argument dump reaches a user (see _guard)
from .cohort import build_cohort, build_cohort_series, cohort_periods  # noqa: E402
from .compare import compare_rates  # noqa: E402
from .disclosure import Disclosure, suppress, to_published  # noqa: E402
from .evaluation import Evaluation, evaluate_intervention  # noqa: E402
from .inspection import (  # noqa: E402
    CaseSample,
    Finding,
    Framework,
    Inspection,
    Recommendation,
    inspection_template,
    margin_of_error,
    overall_rating,
    sample_cases,
)
from .measures import (compare_with_comparators, first_time_entrants, funnel_limits,  # noqa: E402
                       funnel_plot, kpis, lorenz_curve, performance_profile,
                       population_rate, relative_rate_index,
                       reoffending_concentration, to_excel, track_cohort,
                       use_of_custody)
from .privacy import pseudonymise  # noqa: E402
from .reoffending import reoffending_partial, reoffending_rates  # noqa: E402
from .stats import difference_interval, proportion_interval, two_proportion_ztest  # noqa: E402

__all__ = [
    "compare_with_comparators",
    "first_time_entrants",
    "funnel_limits",
    "funnel_plot",
    "kpis",
    "lorenz_curve",
    "measures",
    "performance_profile",
    "population_rate",
    "relative_rate_index",
    "reoffending_concentration",
    "to_excel",
    "track_cohort",
    "use_of_custody",
    "__version__",
    "build_cohort",
    "build_cohort_series",
    "CaseSample",
    "cohort_periods",
    "compare_rates",
    "dask",
    "datasets",
    "difference_interval",
    "Disclosure",
    "disposal_kinds",
    "disclosure",
    "evaluate_intervention",
    "Evaluation",
    "Finding",
    "Framework",
    "Inspection",
    "inspection",
    "inspection_template",
    "margin_of_error",
    "overall_rating",
    "PartialTable",
    "plot",
    "proportion_interval",
    "pseudonymise",
    "Recommendation",
    "reoffending_partial",
    "RecordsSetAsideWarning",
    "reoffending_rates",
    "sample_cases",
    "suppress",
    "to_published",
    "two_proportion_ztest",
]
