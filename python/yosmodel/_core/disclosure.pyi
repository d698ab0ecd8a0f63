# yosmodel._core.disclosure (bindings/register_disclosure.cpp).
from collections.abc import Sequence
from typing import Any, ClassVar

import numpy as np
import numpy.typing as npt

class Suppression:
    """Why a count is withheld (or not); suppress() returns these codes as uint8."""

    published: ClassVar[Suppression]
    primary: ClassVar[Suppression]
    linked: ClassVar[Suppression]
    secondary: ClassVar[Suppression]
    __members__: ClassVar[dict[str, Suppression]]
    _yosmodel_what: ClassVar[str]
    def __init__(self, value: int) -> None: ...
    def __int__(self) -> int: ...
    def __index__(self) -> int: ...
    @property
    def name(self) -> str: ...
    @property
    def value(self) -> int: ...

def suppress(dimensions: Sequence[tuple[str, npt.NDArray[Any], int]],
             counts: Sequence[tuple[str, npt.NDArray[Any]]], *, threshold: int,
             zero_is_small: bool, nested: bool, secondary: bool
             ) -> list[npt.NDArray[np.uint8]]: ...
