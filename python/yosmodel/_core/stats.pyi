# yosmodel._core.stats (bindings/register_stats.cpp).
from typing import ClassVar

import numpy as np
import numpy.typing as npt

_Floats = npt.NDArray[np.float64]

class IntervalMethod:
    """Confidence interval methods for one proportion (also accepted by name)."""

    wilson: ClassVar[IntervalMethod]
    clopper_pearson: ClassVar[IntervalMethod]
    jeffreys: ClassVar[IntervalMethod]
    agresti_coull: ClassVar[IntervalMethod]
    wald: ClassVar[IntervalMethod]
    __members__: ClassVar[dict[str, IntervalMethod]]
    _yosmodel_what: ClassVar[str]
    def __init__(self, value: int) -> None: ...
    def __int__(self) -> int: ...
    def __index__(self) -> int: ...
    @property
    def name(self) -> str: ...
    @property
    def value(self) -> int: ...

_Method = IntervalMethod | str | int

def proportion_interval(successes: npt.NDArray[np.int64], trials: npt.NDArray[np.int64],
                        level: float, method: _Method) -> tuple[_Floats, _Floats]: ...
def difference_interval(x1: npt.NDArray[np.int64], n1: npt.NDArray[np.int64],
                        x2: npt.NDArray[np.int64], n2: npt.NDArray[np.int64], level: float
                        ) -> tuple[_Floats, _Floats, _Floats]: ...
def two_proportion_ztest(x1: npt.NDArray[np.int64], n1: npt.NDArray[np.int64],
                         x2: npt.NDArray[np.int64], n2: npt.NDArray[np.int64]
                         ) -> tuple[_Floats, _Floats, npt.NDArray[np.uint8]]: ...
def normal_critical_value(level: float) -> float: ...
