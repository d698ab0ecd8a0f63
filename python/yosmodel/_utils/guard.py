"""The last line of defence against a pybind11 argument dump. When no overload of a bound
function fits its arguments, pybind11 raises a TypeError whose text lists every argument it was
given: children's counts, ids, covariates. Every function of the compiled module is wrapped once,
at import, so that such an error reaches the user as a one-line message without them; the
Python layer's own checks (yosmodel._options) should make it unreachable."""

from __future__ import annotations

import functools
import types
from typing import Any

from ..errors import DtypeError
from .text import raise_alone

_DUMP_MARKS = ("incompatible function arguments", "Invoked with", "incompatible constructor")


def _clean(function: Any, name: str) -> Any:
    @functools.wraps(function)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except TypeError as error:
            text = str(error)
            if any(mark in text for mark in _DUMP_MARKS):
                # with no exception behind it: the dump would stay on as __context__
                raise_alone(DtypeError(f"yosmodel: the arguments given to {name} do not fit it "
                                       "(a wrong type, or an argument missing or misspelt; their "
                                       "values are not shown: they may be personal data)"))
            raise
    guarded.__yosmodel_guarded__ = True  # type: ignore[attr-defined]
    return guarded


def _guard_constructor(cls: type, name: str) -> None:
    """Wraps a bound class's constructor: ym.Finding(theme=..., txt=...) with a misspelt
    keyword was answered with every argument, a finding's free text among them."""
    constructor = cls.__dict__.get("__init__")
    # (a class with no constructor of its own keeps pybind11's slot, which takes nothing)
    if constructor is None or type(constructor).__name__ == "wrapper_descriptor" or getattr(
            constructor, "__yosmodel_guarded__", False):
        return
    cls.__init__ = _clean(constructor, name)  # type: ignore[misc]


def guard(module: types.ModuleType, prefix: str = "_core") -> None:
    """Wraps every builtin function of ``module`` and of its submodules, and the constructor of
    every class they define, in place."""
    for name in list(vars(module)):
        value = getattr(module, name)
        if isinstance(value, types.BuiltinFunctionType) and not getattr(
                value, "__yosmodel_guarded__", False):
            setattr(module, name, _clean(value, f"{prefix}.{name}"))
        elif isinstance(value, type) and value.__module__ == module.__name__:
            _guard_constructor(value, f"{prefix}.{name}")
        elif isinstance(value, types.ModuleType) and value.__name__.startswith(
                module.__name__ + "."):
            guard(value, f"{prefix}.{name}")
