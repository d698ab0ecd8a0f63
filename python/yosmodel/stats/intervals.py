"""Intervals and tests for proportions (binary reoffending rates), vectorised over arrays.

Each accepts scalars or array-likes of whole, non-negative counts that broadcast together, and
returns scalars for scalar input, numpy arrays otherwise."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from .._core import stats as _stats
from .._utils.options import choice, choices, holds_truth_values, level_of
from ..errors import DtypeError, InputError

#: The interval methods, in the core's order (read from the bound C++ enum: the one list).
METHODS = choices(_stats.IntervalMethod)


def _counts(**named: Any) -> tuple[list[np.ndarray], tuple[int, ...], bool]:
    _check_series_aligned(named)
    arrays = []
    for name, value in named.items():
        if np.ma.isMaskedArray(value) and np.ma.getmaskarray(value).any():
            # np.asarray drops the mask: the hidden counts would be used as if present
            raise InputError(f"{name} has masked values; counts must be present")
        a = np.asarray(value)
        if a.dtype.kind == "b" or holds_truth_values(value):
            # True is no count: numpy would read it as 1 and answer for a sample of one
            raise DtypeError(f"{name} must be counts (integers), not truth values (bool)")
        if a.dtype.kind == "O" and _python_integers(a):
            # whole numbers held as objects (a pandas object column, or a Python int beyond
            # 64 bits, which numpy keeps as an object): counts, if in range
            if any(v < 0 for v in a.flat):
                raise InputError(f"{name} must be zero or more")
            if any(v > np.iinfo(np.int64).max for v in a.flat):
                raise InputError(f"{name} are beyond 64-bit integers; no count is that large")
            a = a.astype(np.int64)
        if a.dtype.kind == "f":
            if np.isnan(a).any():
                raise InputError(f"{name} has missing (NaN) values; counts must be present")
            if not np.isfinite(a).all():
                raise InputError(f"{name} must be finite whole numbers (counts), not infinite")
            if (a != np.floor(a)).any():
                raise InputError(f"{name} must be whole numbers (counts)")
        elif a.dtype.kind not in "iu":
            raise DtypeError(f"{name} must be counts (integers), not {a.dtype}")
        if (a < 0).any():
            raise InputError(f"{name} must be zero or more")
        # cast to int64 they would wrap to negative or arbitrary counts; a float is compared
        # with 2.0**63 itself, since the largest int64 as a float rounds up to it
        if a.size and ((a.dtype.kind == "u" and a.max() > np.iinfo(np.int64).max)
                       or (a.dtype.kind == "f" and a.max() >= 2.0**63)):
            raise InputError(f"{name} are beyond 64-bit integers; no count is that large")
        arrays.append(a)
    scalar = all(a.ndim == 0 for a in arrays)
    try:
        broadcast = np.broadcast_arrays(*arrays)
    except ValueError:
        raise InputError(f"{', '.join(named)} have shapes that do not broadcast together") from None
    shape = broadcast[0].shape
    flat = [np.ascontiguousarray(b.reshape(-1), dtype=np.int64) for b in broadcast]
    return flat, shape, scalar


def _check_series_aligned(named: dict[str, Any]) -> None:
    """pandas Series are paired by position here; pandas itself pairs them by index label.
    Two Series whose labels differ (two groupby results in different orders) would pair one
    group's successes with another's trials, silently."""
    series = [(name, value) for name, value in named.items()
              if type(value).__module__.startswith("pandas") and hasattr(value, "index")
              and hasattr(value, "to_numpy")]
    for name, value in series[1:]:
        first_name, first = series[0]
        if not value.index.equals(first.index):
            raise InputError(f"{first_name} and {name} are pandas Series with different index "
                             "labels (or orders), so they cannot be paired by position; align "
                             f"them first ({name}.reindex({first_name}.index)) or pass "
                             ".to_numpy() to pair by position")


def _check_at_most(x: np.ndarray, n: np.ndarray, words: str) -> None:
    if (x > n).any():
        raise InputError(f"{words} in {int((x > n).sum())} place(s); a proportion cannot be "
                         "above 1")


def _check_pairs(a: np.ndarray, b: np.ndarray, c: np.ndarray, d: np.ndarray) -> None:
    """Checked here so the message says which group (the core's names neither)."""
    _check_at_most(a, b, "x1 exceeds n1")
    _check_at_most(c, d, "x2 exceeds n2")


def _python_integers(a: np.ndarray) -> bool:
    return a.size > 0 and all(isinstance(v, int) and not isinstance(v, bool) for v in a.flat)


def _shaped(values: np.ndarray, shape: tuple[int, ...], scalar: bool) -> Any:
    return float(values[0]) if scalar else values.reshape(shape)


def proportion_interval(successes: Any, trials: Any, level: float = 0.95,
                        method: str = "wilson") -> tuple[Any, Any]:
    """Confidence interval ``(lower, upper)`` for ``successes / trials``.

    Methods: ``wilson`` (score, default), ``clopper_pearson`` (exact, central), ``jeffreys``
    (equal-tailed Beta(x + 1/2, n - x + 1/2)), ``agresti_coull`` and ``wald``; Wald and
    Agresti-Coull bounds are clipped to [0, 1]. Zero trials give NaN.
    """
    method_value = choice(method, _stats.IntervalMethod, "method")
    level = level_of(level)
    (x, n), shape, scalar = _counts(successes=successes, trials=trials)
    _check_at_most(x, n, "successes exceed trials")
    lower, upper = _stats.proportion_interval(x, n, level, method_value)
    return _shaped(lower, shape, scalar), _shaped(upper, shape, scalar)


def difference_interval(x1: Any, n1: Any, x2: Any, n2: Any,
                        level: float = 0.95) -> tuple[Any, Any]:
    """Newcombe's hybrid score interval (method 10) for ``x1/n1 - x2/n2``: ``(lower, upper)``."""
    (a, b, c, d), shape, scalar = _counts(x1=x1, n1=n1, x2=x2, n2=n2)
    _check_pairs(a, b, c, d)
    _, lower, upper = _stats.difference_interval(a, b, c, d, level_of(level))
    return _shaped(lower, shape, scalar), _shaped(upper, shape, scalar)


def two_proportion_ztest(x1: Any, n1: Any, x2: Any, n2: Any) -> tuple[Any, Any]:
    """Two-sided z-test of equal proportions with the pooled proportion: ``(z, p)``.

    Where the pooled proportion is 0 or 1 the test is undefined: z and p are NaN and a
    RuntimeWarning says so."""
    (a, b, c, d), shape, scalar = _counts(x1=x1, n1=n1, x2=x2, n2=n2)
    _check_pairs(a, b, c, d)
    z, p, defined = _stats.two_proportion_ztest(a, b, c, d)
    if not defined.all():
        warnings.warn(f"the z-test is undefined in {int((defined == 0).sum())} place(s) where "
                      "the pooled proportion is 0 or 1 (or a group is empty); z and p are NaN",
                      RuntimeWarning, stacklevel=2)
    return _shaped(z, shape, scalar), _shaped(p, shape, scalar)
