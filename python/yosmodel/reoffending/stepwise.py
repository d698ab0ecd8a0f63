"""Counting a cohort in row steps, merging the partial tables, to report progress on a large
cohort; the result is identical to counting it in one go (partials merge exactly)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd

from .._core.reoffending import PartialTable
from .._utils.columns import Table, free_name
from .._utils.grouping import missing_key_error
from .._utils.options import keys_of
from .._utils.set_aside import DEFAULT_MAX_SET_ASIDE, check_max_set_aside
from .partials import DEFAULT_MAX_REOFFENCES, count_partial, rates_frame, report_set_aside

_MIN_ROWS_PER_STEP = 1 << 22
_STEPS = 20


def reoffending_rates_in_steps(data: pd.DataFrame, by: str | Sequence[str] | None = None,
                               reoffences: str = "reoffences",
                               previous_offences: str | None = None, level: float = 0.95,
                               method: str = "wilson", threads: int | None = None,
                               margins: bool = False, margins_name: str = "All",
                               on_step: Callable[[int], Any] | None = None,
                               max_reoffences: int = DEFAULT_MAX_REOFFENCES,
                               max_set_aside: float = DEFAULT_MAX_SET_ASIDE) -> pd.DataFrame:
    """:func:`yosmodel.reoffending_rates` on a pandas DataFrame, counted in steps of at least
    four million rows; ``on_step(rows)`` is called after each. Rows set aside by the
    max_reoffences rule are said once, for the whole cohort."""
    max_set_aside = check_max_set_aside(max_set_aside)
    names = keys_of(by)
    table = Table(data)
    for name in names:
        _refuse_missing_categories(data, name)
    keys = [table.key(name) for name in names]  # one encoding, shared by every step
    # A key that is also a count column (rates by previous_offences, with its mean) is coded
    # under another name: coded in place, the counts would be read as categories.
    counted = {reoffences, previous_offences}
    coded_names = [free_name(name, data.columns) if name in counted else name
                   for name in names]
    coded = data.assign(**{c: pd.Categorical.from_codes(k.codes, categories=k.categories)
                           for c, k in zip(coded_names, keys)}) if keys else data
    rows = len(data)
    step = max(_MIN_ROWS_PER_STEP, -(-rows // _STEPS))
    merged: PartialTable | None = None
    set_aside = 0
    for start in range(0, max(rows, 1), step):
        piece = coded.iloc[start:start + step]
        partial, _, piece_set_aside, _ = count_partial(piece, coded_names, reoffences,
                                                       previous_offences, threads, max_reoffences)
        merged = partial if merged is None else merged + partial
        set_aside += piece_set_aside
        if on_step is not None:
            on_step(len(piece))
    assert merged is not None  # the loop runs at least once, for an empty table too
    report_set_aside(set_aside, rows, max_reoffences, max_set_aside)
    with_margins = bool(margins) and bool(keys)
    if with_margins:
        merged = merged.with_margins()
    return rates_frame(merged, keys, level=level, method=method,
                       with_previous=previous_offences is not None,
                       margins_name=margins_name if with_margins else None)


def _refuse_missing_categories(data: pd.DataFrame, name: str) -> None:
    """A missing value of a categorical key (code -1: a null in a Parquet dictionary column)
    refused as a missing key, as in any other key column: read out of the compiled key, its
    code was called 'a dictionary index outside its dictionary'. One pass over small codes."""
    column = data[name] if name in data.columns else None
    if column is not None and isinstance(column.dtype, pd.CategoricalDtype):
        missing = int((column.array.codes < 0).sum())
        if missing:
            raise missing_key_error(name, missing)
