"""Funnel plots (Spiegelhalter 2005): control limits around a comparator proportion as a
function of the size of each unit, and a plot of services against them."""

from __future__ import annotations

import numbers
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from .. import _core
from .._utils.options import holds_truth_values, level_of
from ..disclosure import DEFAULT, charted_rows
from ..errors import DtypeError, InputError, NotFoundError
from ._inputs import pandas_frame

LEVELS = (0.95, 0.998)
#: The largest size whose binomial steps doubles hold exactly.
MAX_SIZE = 2**53


def _level_name(level: float) -> str:
    return f"{level * 100:g}"


def _levels(levels: Any) -> list[float]:
    """The control levels as floats: one number is one level; text, truth values, repeats and
    levels whose column names would be the same are refused (a level '0.95' failed in the
    column naming with "Unknown format code 'g'"; a repeated level overwrote its columns)."""
    items = [levels] if isinstance(levels, (numbers.Real, np.number)) else levels
    if isinstance(items, (str, bytes)) or not isinstance(items, Iterable):
        raise DtypeError("levels must be a list of levels such as (0.95, 0.998)")
    items = list(items)
    if not items:
        raise InputError("levels must name at least one level")
    out = [level_of(level) for level in items]
    names = [_level_name(level) for level in out]
    if len(set(names)) != len(names):
        raise InputError("levels must differ (each gives columns named by its percentage, such "
                         "as lower_95)")
    return out


def funnel_limits(target: float, sizes: Any, levels: Sequence[float] = LEVELS) -> pd.DataFrame:
    """Lower and upper limits for a proportion at each size.

    Exact binomial quantiles around ``target`` with Spiegelhalter's interpolation between the
    discrete steps, clipped to [0, 1]. Returns a DataFrame with ``size`` and, per level,
    ``lower_<pct>`` and ``upper_<pct>`` (``lower_95``, ``upper_99.8``); size 0 has no limits.
    """
    if isinstance(target, (bool, np.bool_, str, bytes)):  # float(True) was a target of 1
        raise DtypeError("target must be a proportion (a number between 0 and 1)")
    try:
        target = float(target)
    except (TypeError, ValueError):
        raise DtypeError("target must be a proportion (a number between 0 and 1)") from None
    if not 0.0 <= target <= 1.0:
        raise InputError("target must be a proportion between 0 and 1")
    size_array = np.atleast_1d(np.asarray(sizes))
    if size_array.dtype.kind == "b" or holds_truth_values(sizes):
        raise DtypeError("sizes must be whole numbers, not truth values (bool)")
    if size_array.dtype.kind == "f":
        if np.isnan(size_array).any() or (size_array != np.floor(size_array)).any():
            raise InputError("sizes must be whole numbers")
    elif size_array.dtype.kind not in "iu":
        raise DtypeError(f"sizes must be whole numbers, not {size_array.dtype}")
    if size_array.size and (~np.isfinite(size_array.astype(float)) | (
            size_array.astype(float) > MAX_SIZE)).any():
        # Past 2**53 the binomial steps are not doubles and the compiled quantile search never
        # ended (10**17 hung); inf and 1e19 became negative in the cast and were refused as
        # 'must be zero or more'.
        raise InputError(f"sizes must be at most {MAX_SIZE:,} (2**53); no group of people is "
                         "larger")
    if (size_array < 0).any():
        raise InputError("sizes must be zero or more")
    levels = _levels(levels)
    flat = np.ascontiguousarray(size_array.reshape(-1), dtype=np.int64)
    out = pd.DataFrame({"size": flat})
    for level in levels:
        lower, upper = _core.measures.funnel_limits(target, flat, float(level))
        out[f"lower_{_level_name(level)}"] = lower
        out[f"upper_{_level_name(level)}"] = upper
    out.attrs["target"] = target
    return out


def funnel_plot(table: pd.DataFrame, *, events: str = "reoffenders", base: str = "offenders",
                label: str = "yjs", target: float | None = None,
                levels: Sequence[float] = LEVELS, highlight: Any = None, ax: Any = None,
                title: str | None = None, disclosure: Any = DEFAULT) -> Any:
    """Services as points (size against proportion) inside the funnel around ``target``
    (default: the pooled proportion of the table's shown services). Returns the matplotlib
    Axes; matplotlib is imported only here. Services outside the widest limits are labelled.

    A point shows a service's exact counts, so the chart is a publication: a table that has not
    been through disclosure control goes through it first (``disclosure``, by default counts
    below 10 are withheld; ``None`` turns it off explicitly), and services with a withheld count
    are left out, with a note on the chart saying how many."""
    import matplotlib.pyplot as plt

    levels = _levels(levels)  # before any drawing: a bad level failed half way
    table = pandas_frame(table, "table")
    for name in (events, base, label):
        if name not in table.columns:
            raise NotFoundError(f"column '{name}' is not in the table")
    table, withheld = charted_rows(table, [label], [base, events], disclosure)
    left_out = int(withheld.sum())
    table = table[~withheld.to_numpy(dtype=bool)]
    if table.empty:
        raise InputError("every service's counts are withheld by disclosure control: nothing "
                         "to plot")
    x = pd.to_numeric(table[events], errors="coerce").to_numpy(dtype=float)
    n = pd.to_numeric(table[base], errors="coerce").to_numpy(dtype=float)
    if np.isnan(x).any() or np.isnan(n).any():
        raise InputError("counts are missing (withheld?); plot the unsuppressed counts")
    if target is None:
        target = float(x.sum() / n.sum()) if n.sum() > 0 else 0.0
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 4.5))
    top = int(max(n.max() * 1.1, 10))
    grid = np.unique(np.linspace(1, top, 200).astype(np.int64))
    limits = funnel_limits(target, grid, levels)
    styles = ["--", ":", "-."]
    for i, level in enumerate(levels):
        name = _level_name(level)
        style = styles[i % len(styles)]
        ax.plot(grid, limits[f"lower_{name}"], style, color="grey", lw=1,
                label=f"{name}% limits")
        ax.plot(grid, limits[f"upper_{name}"], style, color="grey", lw=1)
    ax.axhline(target, color="black", lw=1, label="comparator")
    with np.errstate(invalid="ignore", divide="ignore"):
        p = np.where(n > 0, x / n, np.nan)
    outer = funnel_limits(target, n.astype(np.int64), [max(levels)])
    name = _level_name(max(levels))
    outside = (p < outer[f"lower_{name}"].to_numpy()) | (p > outer[f"upper_{name}"].to_numpy())
    colours = np.where(table[label].to_numpy() == highlight, "tab:red", "tab:blue")
    ax.scatter(n, p, c=list(colours), s=18, zorder=3)
    for size, value, text, out in zip(n, p, table[label].astype(str), outside):
        if out:
            ax.annotate(text, (size, value), fontsize=7, xytext=(3, 3),
                        textcoords="offset points")
    ax.set_xlabel(base)
    ax.set_ylabel(f"{events} / {base}")
    if left_out:
        ax.text(0.01, 0.01, f"{left_out} service(s) left out: counts withheld by disclosure "
                "control", transform=ax.transAxes, fontsize=7, va="bottom", gid="withheld")
    ax.set_title(title or "Funnel plot")
    ax.legend(fontsize=7, loc="upper right")
    return ax
