# Type stubs for yosmodel._core, the compiled half of the package (bindings/). Keep in step with
# bindings/register_*.cpp: tests/python/test_typing.py compares these names and parameters with
# the compiled module's own signatures.
from collections.abc import Sequence
from typing import Any, TypedDict

import numpy as np
import numpy.typing as npt

__version__: str

_Counts = npt.ArrayLike  # whole, non-negative counts; converted to int64

class Finalized(TypedDict):
    """What :meth:`PartialTable.finalize` returns: one array entry per non-empty group."""

    key_codes: list[npt.NDArray[np.uint64]]
    offenders: npt.NDArray[np.uint64]
    reoffenders: npt.NDArray[np.uint64]
    reoffences: npt.NDArray[np.uint64]
    previous_offences: npt.NDArray[np.uint64]
    binary_rate: npt.NDArray[np.float64]
    binary_rate_lower: npt.NDArray[np.float64]
    binary_rate_upper: npt.NDArray[np.float64]
    frequency_rate: npt.NDArray[np.float64]
    reoffences_per_reoffender: npt.NDArray[np.float64]
    previous_offences_mean: npt.NDArray[np.float64]

class PartialTable:
    """Counts per non-empty group; merges by addition, pickles as versioned bytes."""

    def __init__(self, cardinalities: Sequence[int]) -> None: ...
    @property
    def cardinalities(self) -> list[int]: ...
    @property
    def groups(self) -> npt.NDArray[np.uint64]: ...
    def __len__(self) -> int: ...
    def merge(self, other: PartialTable, /) -> PartialTable: ...
    def __add__(self, other: PartialTable, /) -> PartialTable: ...
    def __eq__(self, other: object, /) -> bool: ...
    def finalize(self, level: float = 0.95, method: str = "wilson") -> Finalized: ...
    def to_bytes(self) -> bytes: ...
    @staticmethod
    def from_bytes(data: bytes, /) -> PartialTable: ...
    def __getstate__(self) -> tuple[bytes]: ...
    def __setstate__(self, state: tuple[Any, ...], /) -> None: ...

def aggregate(keys: Sequence[tuple[str, npt.NDArray[Any], int]],
              reoffences: tuple[str, npt.NDArray[Any]],
              previous_offences: tuple[str, npt.NDArray[Any]] | None = None,
              threads: int = 0) -> PartialTable: ...
def proportion_interval(successes: _Counts, trials: _Counts, level: float,
                        method: str) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]: ...
def difference_interval(x1: _Counts, n1: _Counts, x2: _Counts, n2: _Counts, level: float
                        ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64],
                                   npt.NDArray[np.float64]]: ...
def two_proportion_ztest(x1: _Counts, n1: _Counts, x2: _Counts, n2: _Counts
                         ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64],
                                    npt.NDArray[np.uint8]]: ...
def normal_critical_value(level: float) -> float: ...
