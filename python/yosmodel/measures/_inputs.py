"""Reading the caller's tables for the measures: the package's shared column adapters (imported
here, in one place) and the encodings the measures kernels read: days since 1970 as int64 with a
sentinel for missing, dense person ids, kind classes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from .._utils.columns import Table
from .._utils.events import (
    blank_ids_missing,
    column_values,
    dates_of,
    days_of_scalar,
    days_to_datetime,
    take_rows,
    text_source,
)
from .._utils.kinds import Lookup, describe_unknown, kind_codes, normal
from .._utils.options import keys_of as options_keys_of
from .._utils.set_aside import report
from ..errors import DtypeError, InputError

__all__ = ["MISSING_DAY", "Table", "blank_ids_missing", "column_values", "date_options",
           "day_column", "keys_in_order", "pandas_frame", "truth_columns",
           "days_of_scalar", "days_to_datetime", "dense_people", "keys_of", "kind_classes",
           "period_of", "report_set_aside", "take_rows", "text_source", "timestamp"]

MISSING_DAY = np.iinfo(np.int64).min


def day_column(values: Any, name: str, options: Any = None) -> tuple[np.ndarray, int]:
    """A date column as whole days since 1970-01-01 (MISSING_DAY where missing) and how many
    present values were not dates; ``options`` (a DateOptions) state a layout other than ISO."""
    dates = dates_of(values, name, options)
    missing = dates.ticks == MISSING_DAY
    days = np.floor_divide(dates.ticks, dates.ticks_per_day)
    return np.ascontiguousarray(np.where(missing, MISSING_DAY, days), dtype=np.int64), \
        dates.unparseable


def dense_people(values: Any) -> tuple[np.ndarray, int, Any]:
    """Person ids as dense codes (-1 where missing), the number of people, and the labels."""
    codes, uniques = pd.factorize(pd.Series(values, copy=False) if not isinstance(
        values, pd.Series) else values, sort=False, use_na_sentinel=True)
    return np.ascontiguousarray(codes, dtype=np.int64), len(uniques), uniques


class KindClasses(NamedTuple):
    classes: np.ndarray  # uint8, a row's class
    unknown: int  # rows of no known kind (an unknown word or none): set aside
    note: str | None  # what to say of them
    unknown_rows: np.ndarray  # bool, those rows


def kind_classes(values: Any, classes: Sequence[tuple[Sequence[str], int]],
                 other_kinds: Sequence[str], kinds: Mapping[str, str] | None = None,
                 options: Sequence[str] = (), known: Sequence[str] = (),
                 other_given: bool = True,
                 ids: Sequence[Any] = ()) -> KindClasses:
    """Each row's class (uint8): the number paired with the kind list holding its kind, 0 for
    kinds of no interest; how many rows hold a kind in no list at all, or none (unknown kinds),
    and which; and what to say of them (the unknown words, a "did you mean"). Kinds are matched
    as the
    cohort builder matches them: in any case and spacing, through the alias table of the words
    case-management systems use ("Youth Caution", "Referral Order") and the caller's
    ``kinds`` mapping of words to kinds. A kind of a class list (``options`` names the
    lists) that is none of the ``known`` kinds and in no row is refused as a typo. A kind in
    two class lists, or in one and in ``other_kinds`` the caller gave (``other_given``), says
    two things of one kind and is refused, in the words' matching form (the default
    other_kinds are the kinds the default lists leave out: widening a list overlaps them by
    design). Unknown words that are person ids of ``ids`` are counted but not named."""
    refuse_overlaps([(option, listed) for (listed, _), option in zip(classes, options)]
                    + ([("other_kinds", other_kinds)] if other_given else []))
    vocabulary = list(dict.fromkeys([*(k for listed, _ in classes for k in listed),
                                     *other_kinds]))
    lookup = Lookup(vocabulary, kinds)
    found = kind_codes(values if isinstance(values, (pd.Series, np.ndarray))
                       else np.asarray(values, dtype=object), lookup)
    class_of = np.zeros(len(vocabulary) + 1, dtype=np.uint8)  # the last entry: code -1
    for listed, code in classes:
        for kind in listed:
            position = vocabulary.index(kind)
            if class_of[position] == 0:
                class_of[position] = code
    codes = found.codes.astype(np.int64)
    from ..reoffending.cohort import check_listed_kinds_occur

    for (listed, _), option in zip(classes, options):
        check_listed_kinds_occur([k for k in listed if k not in known], option, vocabulary,
                                 codes, found.unknown)
    out = class_of[codes]
    note = describe_unknown(found.unknown, lookup, ids=ids) if found.unknown else None
    unknown_rows = codes < 0
    return KindClasses(np.ascontiguousarray(out), int(unknown_rows.sum()), note, unknown_rows)


def refuse_overlaps(lists: Sequence[tuple[str, Sequence[str]]]) -> None:
    """Refuses a kind (compared in the form kind words are matched in) named by two of the
    options' lists, naming the kind and both options."""
    named: dict[str, str] = {}
    for option, listed in lists:
        for kind in listed:
            first = named.setdefault(normal(kind), option)
            if first != option:
                raise InputError(f"{kind!r} is in both {first} and {option}, which say "
                                 "different things of it; list it in one of them")


def report_set_aside(diagnostics: Mapping[str, int], rules: Sequence[str], rows: int,
                     note: str | None) -> None:
    """Says the records a measure set aside: one RecordsSetAsideWarning per call naming each
    rule and its count (and the unknown kind words, as the cohort builder names them)."""
    problems = {f"disposals.{rule}": int(diagnostics[rule]) for rule in rules
                if diagnostics.get(rule)}
    notes = {"disposals.unknown_kind": note} if note else {}
    report(problems, {"disposals": rows}, 1.0, notes, stacklevel=4)


def keys_in_order(frame: pd.DataFrame, table: Table, keys: Sequence[str]) -> pd.DataFrame:
    """Key columns taken from a polars Categorical or an Arrow dictionary come to pandas with
    their categories in the order the values were first stored, which no caller chose: the
    same records gave their groups in another order than from pandas (and first time entrants
    in another order than custody). Their categories are put in sorted order, as pandas sorts
    text keys; a polars Enum keeps its declared order, a pandas Categorical its own."""
    if table.kind not in ("polars", "pyarrow"):
        return frame
    for key in keys:
        column = table._data[key] if table.kind == "polars" else table._data.column(key)
        declared = str(column.dtype).startswith("Enum") if table.kind == "polars" else \
            getattr(column.type, "ordered", False)
        values = frame[key]
        if declared or not isinstance(values.dtype, pd.CategoricalDtype):
            continue
        try:
            ordered = sorted(values.cat.categories)
        except TypeError:  # categories that do not compare keep their order
            continue
        frame[key] = values.cat.reorder_categories(ordered)
    return frame


def pandas_frame(table: Any, name: str) -> pd.DataFrame:
    """A summary table (one row per service or group, so small) as pandas: polars and pyarrow
    tables are converted, as the record tables are read; anything else is refused by name
    (pandas methods on a polars frame failed with AttributeError)."""
    if isinstance(table, pd.DataFrame):
        return table
    if type(table).__module__.startswith(("polars", "pyarrow")) and hasattr(table, "to_pandas"):
        return table.to_pandas()
    from ..errors import DtypeError

    raise DtypeError(f"{name} must be a pandas or polars DataFrame or a pyarrow Table")


def truth_columns(table: pd.DataFrame, names: Sequence[str], role: str) -> None:
    """Refuses count columns of truth values: pd.to_numeric reads True as 1, so a flag would
    be read as a count of one."""
    for name in names:
        column = table[name]
        if pd.api.types.is_bool_dtype(column.dtype) or (column.dtype == object and column.map(
                lambda v: isinstance(v, (bool, np.bool_))).any()):
            raise DtypeError(f"column '{name}' holds truth values (bool); {role} must be "
                             "numbers")


def keys_of(by: str | Sequence[str] | None) -> list[str]:
    """The grouping keys (the package's one check: by=3 was 'int object is not iterable')."""
    return options_keys_of(by)


def date_options(date_format: Any, dayfirst: Any) -> Any:
    """The caller's statement of how dates are written (see yosmodel._utils.dates)."""
    from .._utils.dates import DateOptions

    return DateOptions(date_format, dayfirst)


def period_of(period_start: Any, period_end: Any, options: Any = None) -> tuple[int, int]:
    """The period as days, both ends inclusive. A whole number as period_start is a calendar
    year (the year ending December of the first time entrant statistics); with period_end
    None the period is the twelve months from period_start."""
    if isinstance(period_start, (int, np.integer)) and not isinstance(period_start, bool):
        start = days_of_scalar(f"{int(period_start):04d}-01-01", "period_start")
    else:
        start = days_of_scalar(period_start, "period_start", options)
    if period_end is None:
        stamp = pd.Timestamp(days_to_datetime(np.array([start]))[0])
        end = days_of_scalar(stamp + pd.DateOffset(years=1) - pd.Timedelta(days=1), "period_end")
    else:
        end = days_of_scalar(period_end, "period_end", options)
    if end < start:
        raise InputError("period_end is before period_start")
    return start, end


def timestamp(day: int) -> pd.Timestamp:
    return pd.Timestamp(days_to_datetime(np.array([day]))[0])
