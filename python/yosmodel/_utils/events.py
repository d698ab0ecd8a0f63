"""Adapters from disposal and offence tables to the encoded columns the cohort builder reads:
dates as datetime64 ticks, person ids as dense integers, kinds as codes, flags as 0/1 and a
64-bit identity of a row's other columns. Numeric columns are not copied when they are already
contiguous and of a supported dtype."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .._core import reoffending as _reoffending
from ..errors import DtypeError, InputError
from .columns import Table
from .text import raise_alone, text_column

#: numpy's datetime64 unit codes, by the name of the core's DateUnit they are; the number of
#: ticks in a day comes from the bound enum (the one list).
_UNITS = {"D": "days", "s": "seconds", "ms": "milliseconds", "us": "microseconds",
          "ns": "nanoseconds"}
TICKS_PER_DAY = {code: int(_reoffending.DateUnit.__members__[name])
                 for code, name in _UNITS.items()}

#: The type pandas gives a column of text it reads (str from pandas 3, object before).
TEXT = pd.Series(["id"]).dtype


def column_values(table: Table, name: str) -> Any:
    """A column as a numpy array, or a pandas Series where pandas holds extension types."""
    data = table._data
    if table.kind == "pandas":
        return data[name]
    if table.kind == "polars":
        import polars as pl

        column = data[name]
        if column.dtype in (pl.Categorical, pl.Enum):
            return column.to_pandas()  # a Categorical: codes are used as they are
        if isinstance(column.dtype, pl.Datetime) and column.dtype.time_zone is not None:
            # numpy would give the UTC instants; the date is the local calendar date, as for
            # a pandas column with a time zone (pandas keeps the zone)
            return column.to_pandas()
        return column.to_numpy()
    if table.kind == "pyarrow":
        column = data.column(name)
        import pyarrow as pa

        if pa.types.is_dictionary(column.type):
            return column.to_pandas()  # a Categorical: codes are used as they are
        if pa.types.is_timestamp(column.type) and column.type.tz is not None:
            return column.to_pandas()  # the local calendar date, as above
        return column.to_numpy(zero_copy_only=False)
    values = data[name]
    if isinstance(values, (pd.Series, pd.Categorical, pd.Index, pd.api.extensions.ExtensionArray)):
        return pd.Series(values, copy=False)
    return np.asarray(values)


def text_source(table: Table, name: str) -> Any:
    """A text column (kinds for kind_codes, ids to search): pyarrow and polars string columns
    as themselves (read by the compiled grouper or searched in Arrow, no Python object per row),
    anything else as column_values gives it."""
    data = table._data
    if table.kind == "pyarrow":
        import pyarrow as pa

        column = data.column(name)
        kind = column.type
        if pa.types.is_string(kind) or pa.types.is_large_string(kind) or (
                hasattr(pa.types, "is_string_view") and pa.types.is_string_view(kind)):
            return column
    elif table.kind == "polars":
        import polars as pl

        column = data[name]
        if column.dtype == pl.String:
            return column
    return column_values(table, name)


@dataclass
class Dates:
    ticks: np.ndarray       # int64 ticks (datetime64 view) or int32/int64 days
    ticks_per_day: int
    unparseable: int        # strings that were present but not dates (they count as missing)


def dates_of(values: Any, name: str, options: Any = None) -> Dates:
    """A date column as day numbers (ticks of one day), through the one date reader
    (yosmodel._utils.dates: ISO 8601; other layouts refused unless ``options`` state them)."""
    from .dates import DateOptions, read_dates

    days = read_dates(values, name, options if options is not None else DateOptions())
    return Dates(days.days, 1, days.unparseable)


# datetime64 units the cohort builder turns into days itself (int64 ticks, NaT as missing).
_TICKS_PER_DAY = {"D": 1, "s": 86_400, "ms": 86_400_000, "us": 86_400_000_000,
                  "ns": 86_400_000_000_000}


def _ticks_in_place(values: np.ndarray) -> Dates | None:
    unit, count = np.datetime_data(values.dtype)
    if count != 1 or unit not in _TICKS_PER_DAY or not values.dtype.isnative:
        return None
    return Dates(np.ascontiguousarray(values).view(np.int64), _TICKS_PER_DAY[unit], 0)


def _arrow_ticks(column: Any) -> Dates | None:
    """An Arrow date32 or timestamp (no time zone) column as its own integers: read in place
    when it is one chunk with no missing value, else made one int64 array with missing dates as
    the int64 minimum (the builder's missing mark) in one Arrow pass."""
    import pyarrow as pa
    import pyarrow.compute as pc

    kind = column.type
    if pa.types.is_date32(kind):
        physical, per_day, missing = pa.int32(), 1, np.iinfo(np.int32).min
    elif pa.types.is_timestamp(kind) and kind.tz is None and kind.unit in _TICKS_PER_DAY:
        physical, per_day, missing = pa.int64(), _TICKS_PER_DAY[kind.unit], np.iinfo(np.int64).min
    else:
        return None
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks() if column.num_chunks != 1 else column.chunk(0)
    ints = column.view(physical)
    if ints.null_count:
        ints = pc.fill_null(ints, pa.scalar(missing, physical))
    return Dates(ints.to_numpy(zero_copy_only=True), per_day, 0)


def event_dates(table: Table, name: str, options: Any) -> Dates:
    """A date column for the cohort builder. datetime64 (numpy, pandas) and Arrow date32 or
    timestamp columns (pyarrow, polars) are handed over as their own ticks, read in place where
    nothing is missing, and turned into days by the builder; anything else (strings, objects,
    time zones, Categoricals) goes through the one date reader as day numbers."""
    from .dates import read_dates

    data = table._data
    found: Dates | None = None
    if table.kind == "pandas":
        column = data[name]
        if isinstance(column.dtype, np.dtype) and column.dtype.kind == "M":
            found = _ticks_in_place(column.to_numpy(copy=False))
    elif table.kind == "pyarrow":
        found = _arrow_ticks(data.column(name))
    elif table.kind == "polars":
        column = data[name]
        if column.dtype.is_temporal():
            found = _arrow_ticks(column.to_arrow())
    elif table.kind == "dict" and isinstance(data[name], np.ndarray) \
            and data[name].dtype.kind == "M":
        found = _ticks_in_place(data[name])
    if found is not None:
        return found
    days = read_dates(column_values(table, name), name, options)
    return Dates(days.days, 1, days.unparseable)


def days_of_scalar(value: Any, name: str, options: Any = None) -> int:
    """A single date as days since 1970-01-01, through the one date reader."""
    from .dates import DateOptions, read_date

    return read_date(value, name, options if options is not None else DateOptions())


def days_to_datetime(days: np.ndarray) -> np.ndarray:
    """Day numbers as datetime64[ns] (the pandas default)."""
    return days.astype(np.int64).astype("datetime64[D]").astype("datetime64[ns]")


@dataclass
class PersonIds:
    disposal: np.ndarray
    offence: np.ndarray
    first: int
    persons: int
    missing_id: int | None
    labels: Any            # dense id -> original id: a callable over arrays
    offence_missing: int


def _is_plain_int(values: Any) -> bool:
    return isinstance(values, np.ndarray) and values.dtype.kind in "iu"


def _as_array(values: Any) -> Any:
    if isinstance(values, pd.Series):
        if pd.api.types.is_extension_array_dtype(values.dtype) and values.dtype.kind in "iu" \
                and not values.isna().any():
            return values.to_numpy(dtype=values.dtype.numpy_dtype)
        if values.dtype.kind in "iu":
            return values.to_numpy()
        return values.array if pd.api.types.is_extension_array_dtype(values.dtype) \
            else values.to_numpy()
    return values


def person_source(table: Table, name: str) -> Any:
    """The person id column as the compiled grouper reads it in place (a numpy integer array or
    an Arrow-speaking column of integers or strings), or None where it cannot. Text ids held
    as a dictionary (a Parquet read, a polars Categorical, a pandas Categorical) are decoded
    to plain strings, in Arrow: the grouper sorts the ids themselves, which a dictionary's
    first-seen order is not, and a copy of the ids costs less than a Python object per row."""
    data = table._data
    if table.kind == "pandas":
        column = data[name]
        if isinstance(column.dtype, pd.CategoricalDtype):
            return _decoded_categorical(column)
        if not pd.api.types.is_extension_array_dtype(column.dtype):
            values = column.to_numpy(copy=False)
            return np.ascontiguousarray(values) if values.dtype.kind in "iu" else None
        if column.dtype.kind == "f":
            return None
        return column if hasattr(column, "__arrow_c_stream__") else None
    if table.kind == "polars":
        column = data[name]
        import polars as pl

        if column.dtype in (pl.Categorical, pl.Enum):
            return column.cast(pl.String)
        return column if column.dtype.is_integer() or column.dtype == pl.String else None
    if table.kind == "pyarrow":
        import pyarrow as pa

        column = data.column(name)
        if pa.types.is_dictionary(column.type) and _is_arrow_text(column.type.value_type):
            return column.cast(column.type.value_type)
        return column if pa.types.is_integer(column.type) or _is_arrow_text(
            column.type) else None
    values = np.asarray(data[name])
    return np.ascontiguousarray(values) if values.dtype.kind in "iu" else None


def _is_arrow_text(kind: Any) -> bool:
    import pyarrow as pa

    return bool(pa.types.is_string(kind) or pa.types.is_large_string(kind))


def _decoded_categorical(column: pd.Series) -> Any:
    """A pandas Categorical of text ids as an Arrow string column (None without pyarrow, or
    for categories of another kind: the pandas path reads those)."""
    try:
        import pyarrow as pa
    except ImportError:
        return None
    try:
        dictionary = pa.array(column.array)
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # categories of mixed kinds
        return None
    if not _is_arrow_text(dictionary.type.value_type):
        return None
    return pa.chunked_array([dictionary.cast(dictionary.type.value_type)])


#: The member key (below) is worth its second look-up while the rows that could make a member are
#: at most this share of the disposals (the benchmark's cohort: a seventh of them).
member_key_share = 0.5


def _grouped_person_ids(d_source: Any, o_source: Any, n_disposals: int,
                        candidates: np.ndarray | None = None) -> PersonIds | None:
    """Person ids through the compiled grouper (no Python object per row).

    Without `candidates`: the disposals' ids grouped into a sorted dictionary, then the
    offences' ids looked up in it. An offence of someone with no disposal gets the code past
    every person's (nobody the builder knows); a missing id, on either side, gets the code of no
    person.

    With `candidates` (the disposal rows that could make their person a cohort member, in order):
    only those rows' ids are grouped, into a key of the possible members, and both tables are
    looked up in it. Everyone else, who has no such row and so can be no member, is one person
    (code n): their disposals are read and counted as before, their offences are outside
    the cohort as before, and the key, the tables and the look-ups are of two million members
    rather than of ten million people."""
    from .._core import reoffending as _grouper

    members = candidates is not None
    try:
        if members:
            key = _grouper.group_key("person_id", d_source, nulls="group", rows=candidates)
            # both tables from one table of the members' ids (made once)
            (d_codes, *_), (o_codes, missing_code, unknown_code, offence_missing, _) = \
                _grouper.look_up_columns(key, "person_id", [d_source, o_source],
                                         unknown_first=True)
        else:
            key = _grouper.group_key("person_id", d_source, nulls="group")
            d_codes = key.codes()
            o_codes, missing_code, unknown_code, offence_missing, _ = _grouper.look_up(
                key, "person_id", o_source)
    except TypeError:  # the tables' ids differ in kind, or a kind the grouper does not read
        return None
    known = int(min(missing_code, unknown_code))  # the number of distinct ids grouped

    def labels(dense_ids: np.ndarray, key: Any = key) -> Any:
        dense_ids = np.ascontiguousarray(dense_ids, dtype=np.int64)
        if key.holds_strings and _arrow_text():
            return _arrow_labels(key.name, *key.string_categories_at(dense_ids))
        # Only the ids asked for (the cohort's members) become Python objects.
        ids = key.categories_at(dense_ids)
        # Text comes back as a list of str: typed as pandas types text, so that a cohort of
        # nobody has the same person_id type as a cohort of anyone (not object).
        return pd.array(ids, dtype=TEXT) if isinstance(ids, list) else ids
    # Codes: 0..known-1 the ids grouped, then a missing id; with candidates, everyone else
    # first (code `known`, look_up's unknown code), a person of the space who is never a member.
    if members:
        return PersonIds(d_codes, o_codes, 0, known + 1, known + 1, labels, int(offence_missing))
    return PersonIds(d_codes, o_codes, 0, known, known, labels, int(offence_missing))


def _arrow_text() -> bool:
    """Whether pandas holds text in Arrow (pandas 3 `str`), so that ids can reach it as Arrow
    buffers rather than as Python strings."""
    return isinstance(TEXT, pd.StringDtype) and TEXT.storage == "pyarrow"


def _arrow_labels(name: str, offsets: np.ndarray, data: np.ndarray) -> Any:
    """Text ids from an Arrow large_string array's buffers, as a pandas `str` array (no Python
    string per id); bytes that are not UTF-8 are refused, naming the column only."""
    import pyarrow as pa

    array = pa.LargeStringArray.from_buffers(len(offsets) - 1, pa.py_buffer(offsets),
                                             pa.py_buffer(data))
    try:
        array.validate(full=True)
    except pa.ArrowInvalid:
        raise InputError(f"key column '{name}' has a value that is not valid UTF-8") from None
    return pd.array(array, dtype=TEXT)


def id_family(table: Table, name: str) -> str | None:
    """Whether a person id column holds numbers or text (None: empty, mixed or other), read
    from its type; only an object column is looked into (pandas' type inference, no copy)."""
    column = table._data.column(name) if table.kind == "pyarrow" else table._data[name]
    if table.kind == "polars":
        import polars as pl

        if column.dtype.is_integer() or column.dtype.is_float():
            return "numbers"
        return "text" if column.dtype in (pl.String, pl.Categorical, pl.Enum) else None
    if table.kind == "pyarrow":
        import pyarrow as pa

        kind = column.type.value_type if pa.types.is_dictionary(column.type) else column.type
        if pa.types.is_integer(kind) or pa.types.is_floating(kind):
            return "numbers"
        return "text" if pa.types.is_string(kind) or pa.types.is_large_string(kind) or (
            hasattr(pa.types, "is_string_view") and pa.types.is_string_view(kind)) else None
    values = column if isinstance(column, pd.Series) else pd.Series(np.asarray(column),
                                                                    copy=False)
    if isinstance(values.dtype, pd.CategoricalDtype):
        values = pd.Series(values.cat.categories, copy=False)
    if pd.api.types.is_bool_dtype(values.dtype):
        return None
    if pd.api.types.is_numeric_dtype(values.dtype):
        return "numbers"
    if pd.api.types.is_string_dtype(values.dtype):
        inferred = pd.api.types.infer_dtype(values, skipna=True)
        if inferred == "string":
            return "text"
        if inferred in ("integer", "floating", "mixed-integer-float"):
            return "numbers"
    return None


def _check_id_types(disposals: Table, offences: Table) -> None:
    """Numbers on one side and text on the other can never match: every offence would be
    silently nobody's (a CSV read with ids as text, the other table from a database)."""
    if not len(disposals) or not len(offences):
        return
    families = (id_family(disposals, "person_id"), id_family(offences, "person_id"))
    if None not in families and families[0] != families[1]:
        raise DtypeError(
            f"column 'person_id' holds {families[0]} in disposals but {families[1]} in "
            "offences, so no offence could be matched to a person; read both tables' ids "
            "with the same type (as text, for ids with leading zeros or letters)")


def _arrow_blanks(column: Any, name: str) -> Any:
    """Where an Arrow text column is empty or only white space (as str.isspace says), as a
    numpy bool array, or None when no value is. The compiled scan reads each value's length
    and first byte in the column's own buffers and lists only the blank rows: no array of a
    row's worth (at 10^8 ids, the numpy passes this replaced spent 1.7 s, mostly on fresh
    memory)."""
    from .._core import reoffending as _grouper

    try:
        rows = _grouper.blank_text_rows(name, column)
    except TypeError:  # not text (dictionary-encoded, or another type): nothing to clear here
        return None
    if not len(rows):
        return None
    mask = np.zeros(len(column), dtype=bool)
    mask[rows] = True
    return mask


def _dictionary_blanks(column: Any, name: str) -> Any:
    """_arrow_blanks of a dictionary-encoded Arrow column (a Parquet read): each chunk's
    dictionary is scanned, and the rows whose index is a blank word's are the blank rows."""
    import pyarrow as pa
    import pyarrow.compute as pc

    masks, found = [], False
    for chunk in column.chunks:
        words = _arrow_blanks(chunk.dictionary, name)
        if words is None:
            masks.append(np.zeros(len(chunk), dtype=bool))
            continue
        found = True
        positions = pa.array(np.flatnonzero(words), type=chunk.indices.type)
        masks.append(pc.is_in(chunk.indices, value_set=positions).fill_null(False)
                     .to_numpy(zero_copy_only=False))
    return np.concatenate(masks) if found else None


def not_plain_values(name: str) -> DtypeError:
    """The error for an id column holding lists, dicts or arrays (pandas says only
    "unhashable type: 'list'", naming no column)."""
    return DtypeError(f"column '{name}' holds values that are not plain values (lists, dicts, "
                      "sets or arrays in its cells), which are no person's id; flatten it")


def _blank_mask(table: Table, name: str) -> Any:
    """Where a text id column holds an empty or all-space string (None: it holds none, or is
    not text). Spreadsheets and exports write a missing id so; taken as an id, every such row
    would be one person, whose offences would all be one child's."""
    data = table._data
    if table.kind == "pyarrow":
        import pyarrow as pa

        column = data.column(name)
        if pa.types.is_dictionary(column.type):
            return _dictionary_blanks(column, name)
        return _arrow_blanks(column, name)
    if table.kind == "polars":
        import polars as pl

        column = data[name]
        if column.dtype in (pl.Categorical, pl.Enum):
            column = column.cast(pl.String)  # (its codes are not positions in a list we see)
        if column.dtype != pl.String:
            return None
        return _arrow_blanks(column, name)
    values = data[name] if isinstance(data[name], pd.Series) else pd.Series(
        np.asarray(data[name]), copy=False)
    if isinstance(values.dtype, pd.CategoricalDtype):
        # A blank category is looked for once, not in every row
        blanks = [c for c in values.cat.categories if isinstance(c, str) and not c.strip()]
        return values.isin(blanks).to_numpy(dtype=bool) if blanks else None
    if not (values.dtype == object or pd.api.types.is_string_dtype(values.dtype)):
        return None
    if hasattr(values.array, "__arrow_array__"):
        # pandas 3 `str` (and string[pyarrow]) columns: the text is in Arrow buffers already.
        return _arrow_blanks(values.array.__arrow_array__(), name)
    if values.dtype == object and pd.api.types.infer_dtype(values, skipna=True) not in (
            "string", "mixed", "mixed-integer"):
        return None
    with text_column(name):
        # Python strings: the distinct ids first (one hashing pass), so that looking into every
        # row's text is paid only where a blank id is there to find.
        try:
            distinct = pd.Series(pd.unique(values), dtype=values.dtype, copy=False)
        except TypeError:
            raise_alone(not_plain_values(name))
        blanks = distinct[distinct.str.strip().eq("").fillna(False).to_numpy(dtype=bool)]
        if not len(blanks):
            return None
        blank = values.isin(blanks).to_numpy(dtype=bool)
    return blank


def blank_ids_missing(table: Table, name: str = "person_id") -> Table:
    """The table with empty or all-space text ids as missing ids (counted and set aside as
    missing), in a new table; the caller's is untouched."""
    blank = _blank_mask(table, name)
    if blank is None:
        return table
    data = table._data
    if table.kind == "pyarrow":
        import pyarrow as pa
        import pyarrow.compute as pc

        column = data.column(name)
        cleared = pc.if_else(pa.array(blank), pa.scalar(None, column.type), column)
        return Table(data.set_column(data.column_names.index(name), name, cleared))
    if table.kind == "polars":
        import polars as pl

        return Table(data.with_columns(
            pl.when(pl.Series(blank)).then(None).otherwise(pl.col(name)).alias(name)))
    values = data[name] if isinstance(data[name], pd.Series) else pd.Series(
        np.asarray(data[name], dtype=object), copy=False)
    cleared = values.mask(blank)
    if table.kind == "pandas":
        return Table(data.assign(**{name: cleared}))
    return Table({**data, name: cleared.to_numpy(dtype=object)})


def person_id_tables(disposals: Table, offences: Table) -> tuple[Table, Table]:
    """Both tables with empty or all-space text ids as missing ids, after refusing ids of
    numbers in one table and text in the other (read before any other column, so that this is
    the error a user sees first)."""
    disposals = blank_ids_missing(disposals)
    offences = blank_ids_missing(offences)
    _check_id_types(disposals, offences)
    return disposals, offences


def _few(candidates: Callable[[], np.ndarray] | None, disposals: int) -> np.ndarray | None:
    """The candidate rows, when they are few enough for the members' key to pay."""
    rows = None if candidates is None else candidates()
    return rows if rows is not None and len(rows) <= member_key_share * disposals else None


def person_ids(disposals: Table, offences: Table,
               candidates: Callable[[], np.ndarray] | None = None) -> PersonIds:
    """Dense person ids of both tables (from person_id_tables), through the compiled grouper
    wherever it reads the ids in place (no Python object per row); plain integer ids in a
    compact range need no dictionary at all. `candidates()`, the disposal rows that could make
    their person a cohort member, lets the grouper key only those people (see
    _grouped_person_ids) when they are few; it is called only on the way to the grouper."""
    sources = (person_source(disposals, "person_id"), person_source(offences, "person_id"))
    if all(isinstance(s, np.ndarray) for s in sources):
        return encode_person_ids(sources[0], sources[1], sources, candidates)
    if sources[0] is not None and sources[1] is not None and len(disposals):
        grouped = _grouped_person_ids(sources[0], sources[1], len(disposals),
                                      _few(candidates, len(disposals)))
        if grouped is not None:
            return grouped
    return encode_person_ids(column_values(disposals, "person_id"),
                             column_values(offences, "person_id"))


def encode_person_ids(disposal_ids: Any, offence_ids: Any, sources: tuple[Any, Any] | None = None,
                      candidates: Callable[[], np.ndarray] | None = None) -> PersonIds:
    """Dense person ids shared by both tables. Integer ids in a compact range are used directly
    (id - smallest); other ids (strings, sparse integers, ids with missing values) are
    dictionary-encoded from the disposals, sorted, and the offences looked up in that
    dictionary: by the compiled grouper when `sources` (see person_source) are given."""
    d = _as_array(disposal_ids)
    o = _as_array(offence_ids)
    if _is_plain_int(d) and _is_plain_int(o) and len(d) > 0:
        lo, hi = int(d.min()), int(d.max())
        span = hi - lo + 1
        if span <= 4 * (len(d) + len(o)) + 1024 and span < 2**32 - 2:
            # Only unsigned offence ids can pass int64 (a pass over 10^8 ids saved otherwise).
            if hi > np.iinfo(np.int64).max or (
                    o.dtype.kind == "u" and int(o.max(initial=lo)) > np.iinfo(np.int64).max):
                # uint64 ids past int64: shift them to start at 0 (offsets past the span are
                # nobody in the cohort), so no id has to pass through a signed argument.
                shift = np.uint64(lo)
                d0 = (d.astype(np.uint64) - shift).astype(np.int64)
                o0 = np.where(o.astype(np.uint64) >= shift, o.astype(np.uint64) - shift,
                              np.uint64(span)).astype(np.uint64)
                o0 = np.minimum(o0, np.uint64(span)).astype(np.int64)

                def shifted(dense: np.ndarray, shift: np.uint64 = shift) -> np.ndarray:
                    return dense.astype(np.uint64) + shift
                return PersonIds(np.ascontiguousarray(d0), np.ascontiguousarray(o0), 0, span,
                                 None, shifted, 0)

            def offset_labels(dense: np.ndarray, lo: int = lo,
                              dtype: Any = d.dtype) -> np.ndarray:
                # One new array (the offsets added as int64), cast only when the ids are not int64
                return np.add(dense, lo, dtype=np.int64).astype(dtype, copy=False)
            return PersonIds(np.ascontiguousarray(d), np.ascontiguousarray(o), lo, span, None,
                             offset_labels, 0)
    if sources is not None and sources[0] is not None and sources[1] is not None and len(d):
        grouped = _grouped_person_ids(sources[0], sources[1], len(d), _few(candidates, len(d)))
        if grouped is not None:
            return grouped
    with text_column("person_id"):
        try:
            codes, uniques = pd.factorize(d, sort=True, use_na_sentinel=True)
        except TypeError:
            # pandas' "unhashable type: 'list'" names neither the column nor what to do
            raise_alone(not_plain_values("person_id"))
        index = pd.Index(uniques)
        if isinstance(index.dtype, pd.CategoricalDtype):
            # A Categorical (an Arrow dictionary, a polars Categorical) factorises in the order
            # of its categories, first seen in a Parquet file: the cohort would not be sorted
            # by person_id. Its ids are put in the order of their values.
            index = pd.Index(np.asarray(index), dtype=index.categories.dtype)
            order = index.argsort(kind="stable")
            rank = np.empty(len(order), dtype=np.int64)
            rank[order] = np.arange(len(order))
            codes = np.where(codes >= 0, rank[np.maximum(codes, 0)], codes)
            index = index[order]
        if isinstance(getattr(o, "dtype", None), pd.CategoricalDtype):
            o = np.asarray(o, dtype=object)
        offence_codes = index.get_indexer(o) if len(o) else np.empty(0, dtype=np.intp)
    offence_missing = pd.isna(o)
    offence_missing = np.asarray(offence_missing, dtype=bool)
    # Offence ids not among the disposals' are nobody the cohort can hold: put them past the end.
    offence_codes = np.where((offence_codes < 0) & ~offence_missing, len(uniques), offence_codes)

    def labels(dense: np.ndarray, index: pd.Index = index) -> Any:
        # The index's own array keeps its type (str stays str when nobody is taken)
        return index.take(dense.astype(np.int64)).array
    return PersonIds(np.ascontiguousarray(codes), np.ascontiguousarray(offence_codes), 0,
                     len(uniques), -1, labels, int(offence_missing.sum()))


def kind_codes(values: Any, vocabulary: list[str]) -> np.ndarray:
    """Codes into `vocabulary` (-1 for kinds not in it and missing kinds)."""
    width = np.int16 if len(vocabulary) < 2**15 else np.int64
    if isinstance(values, pd.Series) and isinstance(values.dtype, pd.CategoricalDtype):
        lookup = pd.Index(vocabulary).get_indexer(values.cat.categories)
        lookup = np.append(lookup, -1).astype(width)  # code -1 (missing) indexes the last entry
        return np.ascontiguousarray(lookup[values.cat.codes.to_numpy()])
    codes = pd.Index(vocabulary, dtype=object).get_indexer(
        np.asarray(_as_array(values), dtype=object))
    return np.ascontiguousarray(codes.astype(width))


#: Truth values as spreadsheets and case-management exports write them.
_TRUTH_WORDS = {"true": 1, "false": 0, "t": 1, "f": 0, "yes": 1, "no": 0, "y": 1, "n": 0}


def _truth(value: Any) -> Any:
    if value is None or value is pd.NA:
        return np.nan
    if isinstance(value, str):
        return _TRUTH_WORDS.get(value.strip().lower(), value.strip())
    return value


def counts_flags(values: Any, name: str) -> np.ndarray:
    """A counts column as 0/1, with 2 where a flag is missing or not a truth value."""
    if isinstance(values, pd.Series):
        if values.dtype == bool:
            return np.ascontiguousarray(values.to_numpy()).view(np.uint8)
        if isinstance(values.dtype, pd.BooleanDtype) or values.dtype == object \
                or pd.api.types.is_string_dtype(values.dtype):
            as_float = pd.to_numeric(values.astype(object).map(_truth), errors="coerce")
            values = as_float.to_numpy(dtype=np.float64)
        else:
            values = values.to_numpy(dtype=np.float64, na_value=np.nan) \
                if pd.api.types.is_extension_array_dtype(values.dtype) else values.to_numpy()
    values = np.asarray(values)
    if values.dtype == bool:
        return np.ascontiguousarray(values).view(np.uint8)
    if values.dtype.kind in "iu":
        return np.ascontiguousarray(values)
    if values.dtype.kind == "f":
        bad = np.isnan(values) | ((values != 0) & (values != 1))
        return np.where(bad, 2, values).astype(np.uint8)
    if values.dtype == object:
        return counts_flags(pd.Series(values, dtype=object), name)
    raise DtypeError(f"column '{name}' has dtype {values.dtype}; counts must be booleans")


def row_identity(table: Table, columns: list[str]) -> np.ndarray | None:
    """A 64-bit hash of each row's values in `columns` (None when there are none), so that rows
    that differ only there are not taken for duplicates."""
    if not columns:
        return None
    data = table._data
    if table.kind == "pandas":
        frame = data[columns]
    elif table.kind == "polars" or table.kind == "pyarrow":
        frame = data.select(columns).to_pandas()
    else:
        frame = pd.DataFrame({c: np.asarray(data[c]) for c in columns})
    try:
        hashed = pd.util.hash_pandas_object(frame, index=False).to_numpy()
    except (UnicodeError, TypeError):
        # Said of the column that broke, never with pandas' words: they quote the character
        # of a lone surrogate and its position, or the type of a list or dict in a cell.
        for name in columns:
            with text_column(name):
                try:
                    pd.util.hash_pandas_object(frame[[name]], index=False)
                except TypeError:
                    raise_alone(DtypeError(f"column '{name}' holds values that are not plain "
                                           "values (lists, dicts or sets in its cells); "
                                           "flatten it or drop it"))
        raise
    return np.ascontiguousarray(hashed).view(np.int64)


def take_rows(table: Table, columns: list[str], rows: np.ndarray) -> pd.DataFrame:
    """Rows of `columns` as a pandas DataFrame (dtypes kept where pandas can hold them)."""
    data = table._data
    if not columns:
        return pd.DataFrame(index=pd.RangeIndex(len(rows)))
    if table.kind == "pandas":
        return data[columns].iloc[rows].reset_index(drop=True)
    if table.kind == "polars":
        return data.select(columns)[rows].to_pandas()
    if table.kind == "pyarrow":
        return data.select(columns).take(rows).to_pandas()
    return pd.DataFrame({c: np.asarray(data[c])[rows] for c in columns})
