"""The counts behind grouped reoffending measures: mergeable partial tables, and turning one
into the published measures (one row per group)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from .._core import reoffending as _reoffending
from .._core import stats as _stats
from .._utils.columns import Key, Table
from .._utils.inputs import as_table
from .._utils.options import choice, keys_of, level_of, max_reoffences_of, threads_of
from .._utils.set_aside import DEFAULT_MAX_SET_ASIDE, check_max_set_aside, report
from ..errors import InputError, LimitError

#: The default of the max_reoffences rule, from the compiled core (one place for it).
DEFAULT_MAX_REOFFENCES: int = _reoffending.default_max_reoffences
#: The rule's name in warnings and errors.
SET_ASIDE_RULE = "reoffences_above_maximum"

MEASURES = ["offenders", "reoffenders", "reoffences", "binary_rate", "binary_rate_lower",
            "binary_rate_upper", "frequency_rate", "reoffences_per_reoffender"]


def reoffending_partial(data: Any, by: str | Sequence[str] | None = None,
                        reoffences: str = "reoffences", previous_offences: str | None = None,
                        threads: int | None = None, max_reoffences: int = DEFAULT_MAX_REOFFENCES,
                        max_set_aside: float = DEFAULT_MAX_SET_ASIDE,
                        ) -> tuple[_reoffending.PartialTable, list[Key]]:
    """The counts behind :func:`reoffending_rates`, unfinalised: a mergeable
    :class:`PartialTable` and the keys' categories. Partials of row-wise pieces of a cohort
    (with the same categories) merge into the partial of the whole. Rows above
    ``max_reoffences`` are set aside and said, as in :func:`reoffending_rates`."""
    max_set_aside = check_max_set_aside(max_set_aside)
    partial, keys, set_aside, rows = count_partial(data, by, reoffences, previous_offences,
                                                   threads, max_reoffences)
    report_set_aside(set_aside, rows, max_reoffences, max_set_aside)
    return partial, keys


def count_partial(data: Any, by: str | Sequence[str] | None, reoffences: str,
                  previous_offences: str | None, threads: int | None, max_reoffences: int,
                  ) -> tuple[_reoffending.PartialTable, list[Key], int, int]:
    """The partial table, the keys, the rows set aside by the max_reoffences rule and the rows
    read, for callers that count in pieces and say what was set aside once."""
    limit = max_reoffences_of(max_reoffences)
    table = Table(as_table(data), to_pandas=False)  # keys and counts: all read by the core
    workers = threads_of(threads)
    keys = [table.key(name, workers) for name in keys_of(by)]
    counts = table.count_column(reoffences, "reoffences")
    previous = None if previous_offences is None else table.count_column(
        previous_offences, "previous_offences")
    partial, set_aside = _reoffending.aggregate_grouped([k.for_core() for k in keys], counts,
                                                        previous, workers, limit)
    return partial, keys, int(set_aside), int(counts.rows)


def report_set_aside(set_aside: int, rows: int, max_reoffences: int, max_set_aside: float,
                     stacklevel: int = 4, say: Callable[[Warning], None] | None = None,
                     ) -> list[str]:
    """Says the rows the max_reoffences rule set aside (a RecordsSetAsideWarning, or to
    ``say``) and fails past ``max_set_aside``; returns the lines said."""
    return report({f"cohort.{SET_ASIDE_RULE}": set_aside}, {"cohort": rows}, max_set_aside,
                  {f"cohort.{SET_ASIDE_RULE}": f"more than max_reoffences={max_reoffences:,} "
                   "reoffences for one person, a data error (a plausible maximum, not a sourced "
                   "figure)"},
                  stacklevel=stacklevel, say=say,
                  hint="fix the count column, or raise max_reoffences if such counts are real")


def rates_frame(partial: _reoffending.PartialTable, keys: list[Key], *, level: float, method: str,
                with_previous: bool, margins_name: str | None = None) -> pd.DataFrame:
    """Finalises a partial table into the published measures, one row per non-empty group.
    With ``margins_name``, ``partial`` comes from ``with_margins()``: each key's last code is
    its total and is labelled ``margins_name``."""
    measures = [*MEASURES, *(["previous_offences_mean"] if with_previous else [])]
    for key in keys:
        if key.name in measures:
            # The measure would replace the key in the result: rows no one can tell apart
            # (by="reoffences" gave a 'reoffences' column of sums, and no key).
            raise InputError(f"grouping column '{key.name}' has the name of a measure of the "
                             f"result ({', '.join(measures)}); rename it (e.g. "
                             f"'{key.name}_group') before grouping by it")
    result = partial.finalize(level_of(level), choice(method, _stats.IntervalMethod, "method"))
    columns: dict[str, Any] = {}
    for key, codes in zip(keys, result.key_codes):
        codes = codes.astype(np.int64)
        categories = key.categories
        if margins_name is not None:
            if margins_name in categories:
                raise InputError(f"grouping column '{key.name}' already has a category named "
                                 f"'{margins_name}'; rename it or pass another margins_name")
            categories = pd.Index(list(categories) + [margins_name], dtype=object)
        if key.ordered_categorical is not None:
            dtype = key.ordered_categorical if margins_name is None else pd.CategoricalDtype(
                categories, ordered=key.ordered_categorical.ordered)
            columns[key.name] = pd.Categorical.from_codes(codes, dtype=dtype)
        else:
            columns[key.name] = categories.take(codes)
    for name in MEASURES:
        columns[name] = getattr(result, name)
    if with_previous:
        columns["previous_offences_mean"] = result.previous_offences_mean
    for name in ("offenders", "reoffenders", "reoffences"):
        # Kept as uint64 in the core; a count past int64 would wrap negative in the result
        # (only damaged or forged partials hold one: no cohort is that large).
        if len(columns[name]) and int(columns[name].max()) > np.iinfo(np.int64).max:
            raise LimitError(f"a group's {name} pass 2^63 - 1, more than the result's column "
                             "holds; the partial tables merged are damaged or forged")
        columns[name] = columns[name].astype(np.int64)
    return pd.DataFrame(columns)
