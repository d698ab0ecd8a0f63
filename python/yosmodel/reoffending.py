"""Grouped proven reoffending measures over a person-level cohort (one row per person)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from . import _core, _options
from ._columns import Key, Table
from ._inputs import as_table

MEASURES = ["offenders", "reoffenders", "reoffences", "binary_rate", "binary_rate_lower",
            "binary_rate_upper", "frequency_rate", "reoffences_per_reoffender"]


def _keys_of(by: str | Sequence[str] | None) -> list[str]:
    if by is None:
        return []
    if isinstance(by, str):
        return [by]
    keys = list(by)
    if len(set(keys)) != len(keys):
        raise ValueError("by names a column more than once")
    return keys


def _threads_of(threads: int | None) -> int:
    return _options.threads(threads)


def reoffending_partial(data: Any, by: str | Sequence[str] | None = None,
                        reoffences: str = "reoffences", previous_offences: str | None = None,
                        threads: int | None = None) -> tuple[_core.PartialTable, list[Key]]:
    """The counts behind :func:`reoffending_rates`, unfinalised: a mergeable
    :class:`PartialTable` and the keys' categories. Partials of row-wise pieces of a cohort
    (with the same categories) merge into the partial of the whole."""
    table = Table(as_table(data))
    workers = _threads_of(threads)
    keys = [table.key(name, workers) for name in _keys_of(by)]
    counts = table.count_column(reoffences, "reoffences")
    previous = None if previous_offences is None else table.count_column(
        previous_offences, "previous_offences")
    partial = _core.aggregate_grouped([k.for_core() for k in keys], counts, previous, workers)
    return partial, keys


def rates_frame(partial: _core.PartialTable, keys: list[Key], *, level: float, method: str,
                with_previous: bool, margins_name: str | None = None) -> pd.DataFrame:
    """Finalises a partial table into the published measures, one row per non-empty group.
    With ``margins_name``, ``partial`` comes from ``with_margins()``: each key's last code is
    its total and is labelled ``margins_name``."""
    result = partial.finalize(level, method)
    columns: dict[str, Any] = {}
    for key, codes in zip(keys, result["key_codes"]):
        codes = codes.astype(np.int64)
        categories = key.categories
        if margins_name is not None:
            if margins_name in categories:
                raise ValueError(f"grouping column '{key.name}' already has a category named "
                                 f"'{margins_name}'; rename it or pass another margins_name")
            categories = pd.Index(list(categories) + [margins_name], dtype=object)
        if key.ordered_categorical is not None:
            dtype = key.ordered_categorical if margins_name is None else pd.CategoricalDtype(
                categories, ordered=key.ordered_categorical.ordered)
            columns[key.name] = pd.Categorical.from_codes(codes, dtype=dtype)
        else:
            columns[key.name] = categories.take(codes)
    for name in MEASURES:
        columns[name] = result[name]
    if with_previous:
        columns["previous_offences_mean"] = result["previous_offences_mean"]
    for name in ("offenders", "reoffenders", "reoffences"):
        columns[name] = columns[name].astype(np.int64)
    return pd.DataFrame(columns)


def reoffending_rates(data: Any, by: str | Sequence[str] | None = None,
                      reoffences: str = "reoffences", previous_offences: str | None = None,
                      level: float = 0.95, method: str = "wilson",
                      threads: int | None = None, margins: bool = False,
                      margins_name: str = "All") -> pd.DataFrame:
    """Proven reoffending measures per group of a person-level cohort.

    Parameters
    ----------
    data : pandas or polars DataFrame, pyarrow Table, or dict of numpy arrays
        One row per person in the cohort.
    by : column name or list of names, optional
        Grouping keys (categorical, string or integer). None or [] gives one row for the cohort.
        Missing key values are an error, never dropped silently.
    reoffences : str
        Column of proven reoffences per person (non-negative whole numbers).
    previous_offences : str, optional
        Column of offences proven before the index date; adds ``previous_offences_mean``.
    level, method : the binary rate's confidence interval (see :func:`proportion_interval`).
    threads : int, optional
        Worker threads for the kernel (default: every core). Results do not depend on it.
    margins : bool
        Add the totals along every key, labelled ``margins_name``: with by=["yjs", "sex"], the
        rows (yjs, "All") for each service, ("All", sex) for each sex and ("All", "All"). Totals
        are computed by merging counts, never by averaging rates, and each sorts after the
        categories it totals. Tables meant for publication go through :func:`suppress`, whose
        secondary suppression uses these totals.
    margins_name : str
        The label of the totals (default "All").

    Returns
    -------
    pandas.DataFrame
        One row per non-empty group, sorted by the keys: the keys, then ``offenders``,
        ``reoffenders``, ``reoffences``, ``binary_rate`` (reoffenders / offenders) with
        ``binary_rate_lower`` and ``binary_rate_upper``, ``frequency_rate`` (reoffences /
        offenders), ``reoffences_per_reoffender`` (NaN where a group has no reoffenders) and,
        with previous_offences, ``previous_offences_mean``.
    """
    partial, keys = reoffending_partial(data, by, reoffences, previous_offences, threads)
    with_margins = bool(margins) and len(keys) > 0
    if with_margins:
        partial = partial.with_margins()
    return rates_frame(partial, keys, level=level, method=method,
                       with_previous=previous_offences is not None,
                       margins_name=margins_name if with_margins else None)
