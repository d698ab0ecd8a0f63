"""yosmodel: youth offending inspections and proven reoffending measures.

    >>> import yosmodel as ym
    >>> cohort = ym.datasets.synthetic_cohort(100_000)          # labelled synthetic
    >>> ym.reoffending_rates(cohort, by=["sex"])                 # doctest: +SKIP
"""

# In a development build the compiled module lives in the build tree's copy of this package;
# extend_path lets one package span both folders (an installed package has both in one).
from pkgutil import extend_path

__path__ = extend_path(__path__, __name__)

from . import datasets  # noqa: E402
from ._core import PartialTable, __version__  # noqa: E402
from .cohort import build_cohort, build_cohort_series, cohort_periods  # noqa: E402
from .compare import compare_rates  # noqa: E402
from .reoffending import reoffending_partial, reoffending_rates  # noqa: E402
from .stats import difference_interval, proportion_interval, two_proportion_ztest  # noqa: E402

__all__ = [
    "PartialTable",
    "__version__",
    "build_cohort",
    "build_cohort_series",
    "cohort_periods",
    "compare_rates",
    "datasets",
    "difference_interval",
    "proportion_interval",
    "reoffending_partial",
    "reoffending_rates",
    "two_proportion_ztest",
]
