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
from . import dask, datasets, disclosure, plot  # noqa: E402  (dask, plot: their libraries lazily)
from ._core import PartialTable, __version__  # noqa: E402
from ._kinds import disposal_kinds  # noqa: E402
from ._set_aside import RecordsSetAsideWarning  # noqa: E402

_guard.guard(_core)  # no pybind11 argument dump reaches a user (see _guard)
from .cohort import build_cohort, build_cohort_series, cohort_periods  # noqa: E402
from .compare import compare_rates  # noqa: E402
from .disclosure import Disclosure, suppress, to_published  # noqa: E402
from .evaluation import Evaluation, evaluate_intervention  # noqa: E402
from .framework import Framework, overall_rating  # noqa: E402
from .inspection import Finding, Inspection, Recommendation  # noqa: E402
from .privacy import pseudonymise  # noqa: E402
from .reoffending import reoffending_partial, reoffending_rates  # noqa: E402
from .sampling import CaseSample, margin_of_error, sample_cases  # noqa: E402
from .stats import difference_interval, proportion_interval, two_proportion_ztest  # noqa: E402

__all__ = [
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
