"""Comparing rates against a comparator: is a service's binary reoffending rate really different
from the national one, or from its own last year?"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from ..stats import difference_interval, two_proportion_ztest

_MEASURE_COLUMNS = {"offenders", "reoffenders", "reoffences", "binary_rate", "binary_rate_lower",
                    "binary_rate_upper", "frequency_rate", "reoffences_per_reoffender",
                    "previous_offences_mean"}


def _counts_of(frame: pd.DataFrame, role: str) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """offenders, reoffenders and reoffences (None when absent) as int64 arrays. Reoffenders
    (reoffences) may be derived from binary_rate (frequency_rate) and offenders, rounded."""
    if "offenders" not in frame:
        raise KeyError(f"the {role} has no 'offenders' column")
    offenders = frame["offenders"].to_numpy()
    if "reoffenders" in frame:
        reoffenders = frame["reoffenders"].to_numpy()
    elif "binary_rate" in frame:
        reoffenders = np.rint(frame["binary_rate"].to_numpy(dtype=float) * offenders)
    else:
        raise KeyError(f"the {role} has neither 'reoffenders' nor 'binary_rate'")
    if "reoffences" in frame:
        reoffences = frame["reoffences"].to_numpy()
    elif "frequency_rate" in frame:
        reoffences = np.rint(frame["frequency_rate"].to_numpy(dtype=float) * offenders)
    else:
        reoffences = None

    def as_counts(values: np.ndarray, name: str) -> np.ndarray:
        values = np.asarray(values, dtype=float)
        if np.isnan(values).any():
            return values  # rows without a comparator; handled by the caller
        if (values < 0).any() or (values != np.floor(values)).any():
            raise ValueError(f"the {role}'s {name} must be whole numbers, zero or more")
        return values
    return (as_counts(offenders, "offenders"), as_counts(reoffenders, "reoffenders"),
            None if reoffences is None else as_counts(reoffences, "reoffences"))


def compare_rates(table: pd.DataFrame, comparator: Any, level: float = 0.95,
                  on: str | Sequence[str] | None = None) -> pd.DataFrame:
    """Each row of a :func:`reoffending_rates` table against a comparator.

    Parameters
    ----------
    table : DataFrame with ``offenders`` and ``reoffenders`` (or ``binary_rate``), and
        optionally ``reoffences`` (or ``frequency_rate``).
    comparator : a row of the same shape (a Series, dict or one-row DataFrame: national figures,
        say), compared with every row; or a DataFrame of rows matched to the table's rows on the
        key columns ``on`` (default: the columns both share that are not measures), such as the
        same groups in an earlier period.
    level : confidence level of the interval for the difference.

    Returns
    -------
    DataFrame
        The table's columns, then ``comparator_offenders``, ``comparator_binary_rate``,
        ``binary_rate_difference`` (row minus comparator) with ``binary_rate_difference_lower``
        and ``_upper`` (Newcombe's hybrid score interval), ``z`` and ``p_value`` (two-sided
        pooled two-proportion z-test), ``significant`` (p_value <= 1 - level), and where both
        have reoffences, ``comparator_frequency_rate`` and ``frequency_rate_difference``
        (no interval: it needs each person's count, not just the totals). Rows without a
        comparator get NaN and significant False.
    """
    if not isinstance(table, pd.DataFrame):
        raise TypeError("table must be a pandas DataFrame (a reoffending_rates result)")
    if not 0 < level < 1:
        raise ValueError("level must be between 0 and 1")
    if isinstance(comparator, dict):
        comparator = pd.DataFrame([comparator])
    elif isinstance(comparator, pd.Series):
        comparator = comparator.to_frame().T
    if not isinstance(comparator, pd.DataFrame):
        raise TypeError("comparator must be a Series, dict or DataFrame")

    if len(comparator) == 1 and on is None:
        matched = pd.concat([comparator.reset_index(drop=True)] * len(table), ignore_index=True)
    else:
        keys = ([on] if isinstance(on, str) else list(on)) if on is not None else [
            c for c in table.columns if c in comparator.columns and c not in _MEASURE_COLUMNS]
        if not keys:
            raise ValueError("the comparator has several rows but no key columns in common with "
                             "the table; pass on=[...] or a single comparator row")
        if comparator.duplicated(keys).any():
            raise ValueError("the comparator has more than one row for some keys")
        matched = table[keys].merge(comparator, on=keys, how="left")
    x1_n = _counts_of(table, "table")
    x2_n = _counts_of(matched, "comparator")
    n1, x1, r1 = x1_n
    n2, x2, r2 = x2_n

    out = table.copy()
    out["comparator_offenders"] = pd.array(n2, dtype="Int64")
    out["comparator_binary_rate"] = np.divide(x2, n2, out=np.full(len(n2), np.nan),
                                              where=n2 > 0)
    estimate = np.full(len(table), np.nan)
    lower = np.full(len(table), np.nan)
    upper = np.full(len(table), np.nan)
    z = np.full(len(table), np.nan)
    p = np.full(len(table), np.nan)
    ok = ~(np.isnan(n2) | np.isnan(x2)) & (n1 > 0) & (n2 > 0)
    if ok.any():
        a, b, c, d = (v[ok].astype(np.int64) for v in (x1, n1, x2, n2))
        lower[ok], upper[ok] = difference_interval(a, b, c, d, level)
        estimate[ok] = a / b - c / d
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            z[ok], p[ok] = two_proportion_ztest(a, b, c, d)
        for w in caught:
            warnings.warn(str(w.message), w.category, stacklevel=2)
    out["binary_rate_difference"] = estimate
    out["binary_rate_difference_lower"] = lower
    out["binary_rate_difference_upper"] = upper
    out["z"] = z
    out["p_value"] = p
    out["significant"] = np.where(np.isnan(p), False, p <= 1 - level)
    if r1 is not None and r2 is not None:
        with np.errstate(invalid="ignore", divide="ignore"):
            f1 = np.where(n1 > 0, r1 / np.where(n1 > 0, n1, 1), np.nan)
            f2 = np.where(n2 > 0, r2 / np.where(n2 > 0, n2, 1), np.nan)
        out["comparator_frequency_rate"] = f2
        out["frequency_rate_difference"] = f1 - f2
    out.attrs = dict(table.attrs)
    out.attrs["comparison"] = {"level": level, "interval": "Newcombe hybrid score (method 10)",
                               "test": "two-sided pooled two-proportion z-test"}
    return out
