"""Comparing rates against a comparator: is a service's binary reoffending rate really different
from the national one, or from its own last year?"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from .._utils.options import level_of
from ..errors import DtypeError, InputError, NotFoundError
from ..stats import difference_interval, proportion_interval, two_proportion_ztest

_MEASURE_COLUMNS = {"offenders", "reoffenders", "reoffences", "binary_rate", "binary_rate_lower",
                    "binary_rate_upper", "frequency_rate", "reoffences_per_reoffender",
                    "previous_offences_mean"}


#: The marks published tables put in a withheld or unavailable cell, read as "no count": this
#: library's own "~" (to_published), the Government Statistical Service's symbols ([c]
#: confidential, [x] not available, [z] not applicable, [low], [u] low reliability) and the
#: older forms in official tables (*, **, .., :, -, the en dash, c, x, z, n/a), and the words
#: a database or spreadsheet writes for no value (nan, null, none, na). Compared without case
#: or the spaces around them. Any other text is refused, not read as withheld:
#: "8O" typed for 80 would otherwise drop a service from the comparison unsaid.
WITHHELD_MARKS = frozenset({"~", "[c]", "[x]", "[z]", "[low]", "[u]", "*", "**", "..", ":", "-",
                            "\u2013", "c", "x", "z", "n/a", "", "nan", "null", "none", "na"})


def _numbers(frame: pd.DataFrame, name: str, role: str = "table") -> np.ndarray:
    """A column as floats, NaN where a value is missing or withheld (a published symbol);
    text that is neither a number nor one of WITHHELD_MARKS is refused, with its count."""
    column = frame[name]
    values = pd.to_numeric(column, errors="coerce")
    unread = values.isna().to_numpy() & column.notna().to_numpy()
    if unread.any():
        text = column[unread].astype(str).str.strip().str.casefold()
        other = int((~text.isin(WITHHELD_MARKS)).sum())
        if other:
            raise InputError(f"the {role}'s '{name}' has {other:,} value(s) that are neither "
                             "numbers nor a mark of a withheld cell (~, [c], [x], *, .., -, "
                             "c, x, n/a...); correct them, or make them missing")
    return values.to_numpy(dtype=float, na_value=np.nan)


def _counts_of(frame: pd.DataFrame, role: str) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """offenders, reoffenders and reoffences (None when absent) as float arrays, NaN where a
    row's count is withheld or missing. Reoffenders (reoffences) may be derived from
    binary_rate (frequency_rate) and offenders, rounded."""
    if "offenders" not in frame:
        raise NotFoundError(f"the {role} has no 'offenders' column")
    offenders = _numbers(frame, "offenders", role)
    if "reoffenders" in frame:
        reoffenders = _numbers(frame, "reoffenders", role)
    elif "binary_rate" in frame:
        reoffenders = np.rint(_numbers(frame, "binary_rate", role) * offenders)
    else:
        raise NotFoundError(f"the {role} has neither 'reoffenders' nor 'binary_rate'")
    if "reoffences" in frame:
        reoffences = _numbers(frame, "reoffences", role)
    elif "frequency_rate" in frame:
        reoffences = np.rint(_numbers(frame, "frequency_rate", role) * offenders)
    else:
        reoffences = None

    def as_counts(values: np.ndarray, name: str) -> np.ndarray:
        present = values[~np.isnan(values)]  # missing rows are left empty by the caller
        if (present < 0).any() or (present != np.floor(present)).any():
            raise InputError(f"the {role}'s {name} must be whole numbers, zero or more")
        if (present >= 2.0**63).any():
            # cast to int64 for the intervals they would wrap to negative counts
            raise InputError(f"the {role}'s {name} are beyond 64-bit integers; no count is "
                             "that large")
        return values
    offenders, reoffenders = as_counts(offenders, "offenders"), as_counts(reoffenders,
                                                                          "reoffenders")
    above = int((reoffenders > offenders).sum())  # NaN (withheld) compares False
    if above:
        derived = "" if "reoffenders" in frame else " (binary_rate is a proportion: 37.8% is 0.378)"
        raise InputError(f"the {role} has more reoffenders than offenders in {above} row(s); "
                         f"a reoffending rate cannot be above 100%{derived}")
    return (offenders, reoffenders,
            None if reoffences is None else as_counts(reoffences, "reoffences"))


def _check_unique_columns(frame: pd.DataFrame, role: str) -> None:
    """Two columns of one name (pd.concat of two extracts): which is the count would be a
    guess, and reading it failed inside pandas ("arg must be a list, tuple, ...")."""
    repeated = frame.columns[frame.columns.duplicated()]
    if len(repeated):
        raise InputError(f"the {role} has column '{repeated[0]}' more than once; rename or "
                         "drop the copies so that each name means one column")


def _key_kind(column: pd.Series) -> str | None:
    """What a key column holds, in words: merging text keys with number keys fails inside
    pandas (and could never pair a row). None when it cannot be told (mixed objects)."""
    dtype = column.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        return _key_kind(pd.Series(dtype.categories))
    if pd.api.types.is_bool_dtype(dtype):
        return "truth values"
    if pd.api.types.is_numeric_dtype(dtype):
        return "numbers"
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return "dates"
    inferred = pd.api.types.infer_dtype(column, skipna=True)
    return {"string": "text", "integer": "numbers", "floating": "numbers",
            "mixed-integer-float": "numbers", "boolean": "truth values"}.get(inferred)


def _check_keys(table: pd.DataFrame, comparator: pd.DataFrame, keys: list[Any]) -> None:
    """Each key in both tables and of one kind in both; pandas' merge failed otherwise, with
    its own index dumps."""
    for key in keys:
        if not isinstance(key, str):
            raise DtypeError("on must name key columns (strings)")
        for side, frame in (("table", table), ("comparator", comparator)):
            if key not in frame:
                raise NotFoundError(f"key column '{key}' is not in the {side}")
        ours, theirs = _key_kind(table[key]), _key_kind(comparator[key])
        if ours is not None and theirs is not None and ours != theirs:
            raise DtypeError(f"key column '{key}' holds {ours} in the table but {theirs} in the "
                             "comparator, so no row could be paired; make them the same kind "
                             "(for example with .astype(str) on both)")


def _known_rates(comparator: Any) -> np.ndarray | None:
    """The comparator's rate when it is given as a rate only (a number, or binary_rate with no
    offenders): treated as known, without sampling error."""
    if isinstance(comparator, (int, float, np.integer, np.floating)) \
            and not isinstance(comparator, (bool, np.bool_)):
        rates = np.array([float(comparator)])
    elif isinstance(comparator, pd.DataFrame) and "offenders" not in comparator \
            and "binary_rate" in comparator:
        rates = pd.to_numeric(comparator["binary_rate"], errors="coerce").to_numpy(float)
    else:
        return None
    if np.isnan(rates).any() or (rates < 0).any() or (rates > 1).any():
        raise InputError("a comparator rate must be a proportion between 0 and 1 (37.8% is "
                         "0.378)")
    return rates


def _percent(value: float) -> str:
    return f"{value * 100:.1f}%"


def _summaries(rate: np.ndarray, lower: np.ndarray, upper: np.ndarray, comparator: np.ndarray,
               significant: np.ndarray, withheld: np.ndarray, name: str, level: float
               ) -> list[str]:
    """One plain-words sentence per row: "28.8% (26.1-31.7%) against 37.8% nationally: 9.0
    points lower, significant at 5%"."""
    where = "nationally" if name == "national" else f"for {name}"
    alpha = f"{(1 - level) * 100:g}%"
    out = []
    for i in range(len(rate)):
        if withheld[i]:
            out.append("withheld (disclosure control): no comparison")
        elif np.isnan(rate[i]) or np.isnan(comparator[i]):
            out.append("no comparison (no rate or no comparator for this row)")
        else:
            points = (rate[i] - comparator[i]) * 100
            direction = "lower" if points < 0 else "higher"
            verdict = "significant" if significant[i] else "not significant"
            out.append(f"{_percent(rate[i])} ({lower[i] * 100:.1f}-{upper[i] * 100:.1f}%) "
                       f"against {_percent(comparator[i])} {where}: {abs(points):.1f} points "
                       f"{direction}, {verdict} at {alpha}")
    return out


def compare_rates(table: pd.DataFrame, comparator: Any, level: float = 0.95,
                  on: str | Sequence[str] | None = None, *,
                  comparator_name: str = "the comparator") -> pd.DataFrame:
    """Each row of a :func:`reoffending_rates` table against a comparator.

    Parameters
    ----------
    table : DataFrame with ``offenders`` and ``reoffenders`` (or ``binary_rate``), and
        optionally ``reoffences`` (or ``frequency_rate``).
    comparator : a row of the same shape (a Series, dict or one-row DataFrame: national figures,
        say), compared with every row; or a DataFrame of rows matched to the table's rows on the
        key columns ``on`` (default: the columns both share that are not measures), such as the
        same groups in an earlier period. A rate alone (``0.378``, or ``binary_rate`` without
        ``offenders``) is treated as known: the interval is the row's Wilson interval less the
        rate, and the test a one-sample score test.
    comparator_name : what the comparator is, for the ``comparator`` column and the summary
        ("national" reads "nationally"; anything else "for <name>").
    level : confidence level of the interval for the difference.

    Returns
    -------
    DataFrame
        The table's columns, then ``comparator_offenders``, ``comparator_binary_rate``,
        ``binary_rate_difference`` (row minus comparator) with ``binary_rate_difference_lower``
        and ``_upper`` (Newcombe's hybrid score interval), ``z`` and ``p_value`` (two-sided
        pooled two-proportion z-test), ``significant`` (p_value <= 1 - level), and where both
        have reoffences, ``comparator_frequency_rate`` and ``frequency_rate_difference``
        (no interval: it needs each person's count, not just the totals), ``comparator`` (its
        name) and ``summary``, the comparison in plain words. Rows without a comparator, and
        rows whose counts were withheld by disclosure control, get NaN and significant False.
    """
    if not isinstance(table, pd.DataFrame):
        raise DtypeError("table must be a pandas DataFrame (a reoffending_rates result)")
    level = level_of(level)
    if not isinstance(comparator_name, str) or not comparator_name:
        raise InputError("comparator_name must be a non-empty string")
    if isinstance(comparator, dict):
        comparator = pd.DataFrame([comparator])
    elif isinstance(comparator, pd.Series):
        comparator = comparator.to_frame().T
    _check_unique_columns(table, "table")
    if isinstance(comparator, pd.DataFrame):
        _check_unique_columns(comparator, "comparator")
    known = _known_rates(comparator)
    if known is None and not isinstance(comparator, pd.DataFrame):
        raise DtypeError("comparator must be a rate, a Series, dict or DataFrame")

    if known is not None and (not isinstance(comparator, pd.DataFrame) or len(comparator) == 1) \
            and on is None:
        matched = pd.DataFrame({"binary_rate": np.repeat(known[:1], len(table))})
    elif len(comparator) == 1 and on is None:
        # the one row repeated, by position (pd.concat of no copies failed for an empty table)
        matched = comparator.iloc[[0] * len(table)].reset_index(drop=True)
    else:
        keys = ([on] if isinstance(on, str) else list(on) if isinstance(on, (list, tuple))
                else [on]) if on is not None else [
            c for c in table.columns if c in comparator.columns and c not in _MEASURE_COLUMNS]
        if not keys:
            raise InputError("the comparator has several rows but no key columns in common with "
                             "the table; pass on=[...] or a single comparator row")
        _check_keys(table, comparator, keys)
        if comparator.duplicated(keys).any():
            raise InputError("the comparator has more than one row for some keys")
        matched = table[keys].merge(comparator, on=keys, how="left")
    n1, x1, r1 = _counts_of(table, "table")
    withheld = np.isnan(n1) | np.isnan(x1)
    out = table.copy()
    estimate, lower, upper, z, p = (np.full(len(table), np.nan) for _ in range(5))
    rate = np.divide(x1, n1, out=np.full(len(table), np.nan), where=~withheld & (n1 > 0))
    own_lower, own_upper = np.full(len(table), np.nan), np.full(len(table), np.nan)
    usable = ~withheld & (n1 > 0)
    if usable.any():
        own_lower[usable], own_upper[usable] = proportion_interval(
            x1[usable].astype(np.int64), n1[usable].astype(np.int64), level, "wilson")
    if known is not None:
        p0 = pd.to_numeric(matched["binary_rate"], errors="coerce").to_numpy(float)
        r2 = None
        out["comparator_offenders"] = pd.array([pd.NA] * len(table), dtype="Int64")
        out["comparator_binary_rate"] = p0
        ok = usable & ~np.isnan(p0)
        estimate[ok] = rate[ok] - p0[ok]
        lower[ok], upper[ok] = own_lower[ok] - p0[ok], own_upper[ok] - p0[ok]
        spread = ok & (p0 > 0) & (p0 < 1)
        z[spread] = (rate[spread] - p0[spread]) / np.sqrt(p0[spread] * (1 - p0[spread])
                                                          / n1[spread])
        p[spread] = [math.erfc(abs(v) / math.sqrt(2)) for v in z[spread]]
        # A known rate of 0 (or 1) has no spread for the score test, but the exact binomial
        # test is plain: a rate equal to it is certain (p = 1), any other impossible (p = 0).
        edge = ok & ~spread
        same = rate[edge] == p0[edge]
        z[edge] = np.where(same, 0.0, np.copysign(np.inf, rate[edge] - p0[edge]))
        p[edge] = np.where(same, 1.0, 0.0)
        comparator_rate = p0
        test = "two-sided one-sample score test against a known rate"
        interval = "Wilson score interval of the row, less the known rate"
    else:
        n2, x2, r2 = _counts_of(matched, "comparator")
        out["comparator_offenders"] = pd.array(
            [pd.NA if np.isnan(v) else int(v) for v in n2], dtype="Int64")
        comparator_rate = np.divide(x2, n2, out=np.full(len(n2), np.nan),
                                    where=~np.isnan(n2) & ~np.isnan(x2) & (n2 > 0))
        out["comparator_binary_rate"] = comparator_rate
        ok = usable & ~(np.isnan(n2) | np.isnan(x2)) & (n2 > 0)
        if ok.any():
            a, b, c, d = (v[ok].astype(np.int64) for v in (x1, n1, x2, n2))
            lower[ok], upper[ok] = difference_interval(a, b, c, d, level)
            estimate[ok] = a / b - c / d
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                z[ok], p[ok] = two_proportion_ztest(a, b, c, d)
            for w in caught:
                warnings.warn(str(w.message), w.category, stacklevel=2)
        test = "two-sided pooled two-proportion z-test"
        interval = "Newcombe hybrid score (method 10)"
    out["binary_rate_difference"] = estimate
    out["binary_rate_difference_lower"] = lower
    out["binary_rate_difference_upper"] = upper
    out["z"] = z
    out["p_value"] = p
    significant = np.where(np.isnan(p), False, p <= 1 - level)
    out["significant"] = significant
    if r1 is not None and r2 is not None:
        with np.errstate(invalid="ignore", divide="ignore"):
            f1 = np.where(n1 > 0, r1 / np.where(n1 > 0, n1, 1), np.nan)
            f2 = np.where(n2 > 0, r2 / np.where(n2 > 0, n2, 1), np.nan)
        out["comparator_frequency_rate"] = f2
        out["frequency_rate_difference"] = f1 - f2
    out["comparator"] = comparator_name
    out["summary"] = _summaries(rate, own_lower, own_upper, comparator_rate,
                                significant & ok, withheld, comparator_name, level)
    out.attrs = dict(table.attrs)
    out.attrs["comparison"] = {"level": level, "interval": interval, "test": test,
                               "comparator": comparator_name}
    return out
