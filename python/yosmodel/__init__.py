"""yosmodel: youth offending inspections and proven reoffending measures.

    >>> import yosmodel as ym
    >>> cohort = ym.datasets.synthetic_cohort(100_000)          # labelled synthetic
    >>> ym.reoffending_rates(cohort, by=["sex"])                 # doctest: +SKIP
"""

# In a development build the compiled module lives in the build tree's copy of this package;
# extend_path lets one package span both folders (an installed package has both in one).
from pkgutil import extend_path

__path__ = extend_path(__path__, __name__)

from . import datasets, disclosure  # noqa: E402
from ._core import PartialTable, __version__  # noqa: E402
from .disclosure import Disclosure, suppress, to_published  # noqa: E402
from .privacy import pseudonymise  # noqa: E402
from .reoffending import reoffending_partial, reoffending_rates  # noqa: E402
from .stats import difference_interval, proportion_interval, two_proportion_ztest  # noqa: E402

__all__ = [
    "Disclosure",
    "PartialTable",
    "__version__",
    "datasets",
    "difference_interval",
    "disclosure",
    "proportion_interval",
    "pseudonymise",
    "reoffending_partial",
    "reoffending_rates",
    "suppress",
    "to_published",
    "two_proportion_ztest",
]
