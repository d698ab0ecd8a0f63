"""yosmodel: youth offending inspections and proven reoffending measures.

    >>> import yosmodel as ym
    >>> cohort = ym.datasets.synthetic_cohort(100_000)          # labelled synthetic
    >>> ym.reoffending_rates(cohort, by=["sex"])                 # doctest: +SKIP

One subpackage per area: ``reoffending``, ``stats``, ``disclosure``, ``evaluation`` and
``inspection``; ``errors`` holds the exception hierarchy. The names below are the public API.
"""

# In a development build the compiled module lives in the build tree's copy of this package;
# extend_path lets one package span both folders (an installed package has both in one).
from pkgutil import extend_path

__path__ = extend_path(__path__, __name__)

from . import (  # noqa: E402  (dask, plot: their libraries lazily)
    _core,  # noqa: E402
    dask,
    datasets,
    disclosure,
    errors,
    evaluation,
    inspection,
    measures,
    plot,
    reoffending,
    stats,
)
from ._core.core import __version__  # noqa: E402
from ._utils import guard as _guard  # noqa: E402
from ._utils.kinds import disposal_kinds  # noqa: E402
from ._utils.set_aside import RecordsSetAsideWarning  # noqa: E402
from ._utils.spelling import GroupSpellingWarning  # noqa: E402

_guard.guard(_core)  # the Python-side twin of the bindings' argument guard
from .disclosure import Disclosure, pseudonymise, suppress, to_published  # noqa: E402
from .errors import (  # noqa: E402
    ConvergenceError,
    CorruptDataError,
    DtypeError,
    FrameworkError,
    InputError,
    LimitError,
    NotFoundError,
    RankDeficiencyError,
    ResourceError,
    SeparationError,
    YosmodelError,
)
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
from .measures import (  # noqa: E402
    compare_with_comparators,
    first_time_entrants,
    funnel_limits,
    funnel_plot,
    kpis,
    lorenz_curve,
    performance_profile,
    population_rate,
    relative_rate_index,
    reoffending_concentration,
    to_excel,
    track_cohort,
    use_of_custody,
)
from .reoffending import (  # noqa: E402
    PartialTable,
    build_cohort,
    build_cohort_series,
    cohort_periods,
    compare_rates,
    reoffending_partial,
    reoffending_rates,
)
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
    "ConvergenceError",
    "CorruptDataError",
    "dask",
    "datasets",
    "difference_interval",
    "Disclosure",
    "disposal_kinds",
    "disclosure",
    "DtypeError",
    "errors",
    "evaluate_intervention",
    "Evaluation",
    "evaluation",
    "Finding",
    "GroupSpellingWarning",
    "Framework",
    "FrameworkError",
    "InputError",
    "Inspection",
    "LimitError",
    "NotFoundError",
    "inspection",
    "inspection_template",
    "margin_of_error",
    "overall_rating",
    "PartialTable",
    "plot",
    "proportion_interval",
    "pseudonymise",
    "RankDeficiencyError",
    "Recommendation",
    "reoffending",
    "reoffending_partial",
    "RecordsSetAsideWarning",
    "reoffending_rates",
    "ResourceError",
    "sample_cases",
    "SeparationError",
    "stats",
    "suppress",
    "to_published",
    "two_proportion_ztest",
    "YosmodelError",
]
