"""Key and count columns handed to the compiled grouper as they are held: numpy arrays in place,
everything else (pandas `str` and nullable columns, polars Series, pyarrow arrays) through the
Arrow C Data Interface, so no Python object is made per row. pd.factorize remains only for what
the core does not group: floating-point keys and object columns Arrow cannot type."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .._core import reoffending as _grouper
from ..errors import DtypeError, InputError
from .text import raise_alone, text_column

_NUMPY_KEY_KINDS = "iubM"
_COUNT_KINDS = "iuf"


def _native_contiguous(values: np.ndarray) -> np.ndarray:
    if values.ndim != 1:
        raise InputError("columns must be one-dimensional")
    if not values.dtype.isnative:
        values = values.astype(values.dtype.newbyteorder("="))
    return np.ascontiguousarray(values)


def _index(grouped: Any, as_bool: bool = False, tz: Any = None) -> pd.Index:
    categories = grouped.categories()
    if as_bool:
        categories = np.asarray(categories).astype(bool)
    index = pd.Index(categories)
    if tz is not None:
        index = pd.DatetimeIndex(index).tz_localize("UTC").tz_convert(tz)
    return index


def missing_key_error(name: str, missing: int) -> InputError:
    rows = "row has" if missing == 1 else "rows have"
    return InputError(f"grouping column '{name}': {missing} {rows} a missing value; fill or drop "
                      "them before grouping (missing keys are never dropped silently)")


def _factorized(name: str, values: Any) -> tuple[Any, pd.Index, None]:
    with text_column(name, "grouping column"):
        column = pd.Series(values)
        missing = int(column.isna().sum())
        if missing:
            raise missing_key_error(name, missing)
        try:
            codes, categories = pd.factorize(column, sort=True)
        except TypeError:
            # pandas' "unhashable type: 'list'" names neither the column nor what to do
            from ..errors import DtypeError

            raise_alone(DtypeError(f"grouping column '{name}' holds values that are not plain "
                                   "values (lists, dicts, sets or arrays in its cells), which "
                                   "are no key; flatten it or group on another column"))
        index = pd.Index(categories)
    return _grouper.key_from_codes(name, codes, max(len(index), 1)), index, None


#: datetime64 units the compiled grouper reads in place; days, minutes, hours, weeks, months,
#: years (and multiples such as 10s) are grouped by pandas instead of being refused.
_GROUPED_TIME_UNITS = ("s", "ms", "us", "ns")


def _numpy_key(name: str, values: np.ndarray, threads: int) -> tuple[Any, pd.Index, None]:
    values = _native_contiguous(values)
    if values.dtype.kind == "M" and np.datetime_data(values.dtype)[1] != 1:
        # a multiple of a unit (datetime64[10s]): the same instants in the unit itself, which
        # pandas can hold
        values = values.astype(f"datetime64[{np.datetime_data(values.dtype)[0]}]")
    if values.dtype.kind in _NUMPY_KEY_KINDS and not (
            values.dtype.kind == "M" and np.datetime_data(values.dtype)[0]
            not in _GROUPED_TIME_UNITS):
        grouped = _grouper.group_key(name, values, threads=threads)
        return grouped, _index(grouped, as_bool=values.dtype == bool), None
    return _factorized(name, values)


def _arrow_key(name: str, column: Any, threads: int, tz: Any = None,
               categorical: bool = False) -> tuple[Any, pd.Index, pd.CategoricalDtype | None]:
    grouped = _grouper.group_key(name, column, threads=threads)
    index = _index(grouped, tz=tz)
    return grouped, index, pd.CategoricalDtype(index) if categorical else None


def _polars_cast(column: Any, dtype: Any) -> Any:
    """The polars column cast to ``dtype``, or None when a value does not fit."""
    try:
        return column.cast(dtype, strict=True)
    except Exception:  # polars' InvalidOperationError: a value outside the type
        return None


def _polars_enum(name: str, column: Any) -> tuple[Any, pd.Index, pd.CategoricalDtype]:
    # An Enum's physical values index its fixed categories: they are the codes, read in place.
    missing = column.null_count()
    if missing:
        raise missing_key_error(name, missing)
    categories = pd.Index(column.dtype.categories.to_list())
    codes = _native_contiguous(column.to_physical().to_numpy())
    return (_grouper.key_from_codes(name, codes, max(len(categories), 1)), categories,
            pd.CategoricalDtype(categories))


def _polars_categorical(name: str, column: Any,
                        threads: int) -> tuple[Any, pd.Index, pd.CategoricalDtype] | None:
    """A polars Categorical grouped by its physical ids, which polars hands over in place and
    the grouper reads in place through a map from id to code (no code is written, and putting
    the names in order permutes that map). Its Arrow export would rewrite every row into a
    dictionary of its own (most of the call's time on 10^7 rows). The categories are the values
    present, never the other ids of a shared mapping, named through polars' mapping and sorted
    as polars sorts a Categorical (by the strings); None where this polars cannot map ids back
    to names, and the Arrow route is taken."""
    import polars as pl

    physical = column.to_physical()
    if not hasattr(physical.cat, "to"):  # polars before 2.0
        return None
    grouped = _grouper.group_key(name, physical, threads=threads, span_categories=False)
    ids = pl.Series(np.asarray(grouped.categories()), dtype=physical.dtype)
    names = np.asarray(ids.cat.to(column.dtype).cast(pl.String).to_list(), dtype=object)
    order = np.argsort(names, kind="stable")
    if np.any(order != np.arange(len(order))):  # ids are in first-seen order: renumber
        grouped = _grouper.reorder_categories(grouped, order.astype(np.uint64), threads=threads)
        names = names[order]
    index = pd.Index(names.tolist())
    return grouped, index, pd.CategoricalDtype(index)


def grouped_key(kind: str, name: str, column: Any,
                threads: int) -> tuple[Any, pd.Index, pd.CategoricalDtype | None]:
    """A key column as the core's grouped key, its categories (sorted, or the categorical's own
    order) and the categorical dtype the result's key column should have (None: plain values).
    Missing values are refused with a count."""
    if kind == "pandas":
        dtype = column.dtype
        if isinstance(dtype, pd.CategoricalDtype):
            # The categorical's own codes, not a copy. A missing value is code -1, which the
            # kernel refuses as a missing key (counted only then: here it would cost a pass).
            codes = _native_contiguous(column.array.codes)
            return (_grouper.key_from_codes(name, codes, max(len(dtype.categories), 1)),
                    dtype.categories, dtype)
        if not pd.api.types.is_extension_array_dtype(dtype):
            return _numpy_key(name, column.to_numpy(copy=False), threads)
        if dtype.kind == "f" or not hasattr(column, "__arrow_c_stream__") or isinstance(
                dtype, (pd.PeriodDtype, pd.IntervalDtype, pd.SparseDtype)):
            # Periods (a cohort month or quarter) reach Arrow as their ordinals, which the
            # categories could not be read back from ('Given date string "600" not likely a
            # datetime'): pandas groups them, and intervals and sparse columns, on their values
            return _factorized(name, column)
        tz = getattr(dtype, "tz", None)
        source: Any = column
        if isinstance(dtype, pd.ArrowDtype):
            import pyarrow as pa

            if pa.types.is_nested(dtype.pyarrow_dtype):
                _arrow_as_pandas(name, pa.chunked_array([], type=dtype.pyarrow_dtype))
        try:
            grouped, index, _ = _arrow_key(name, source, threads, tz=tz)
        except TypeError:  # an Arrow type the core does not group (floats, nested values)
            return _factorized(name, column)
        if tz is None:  # categories keep the column's own dtype (str, string, Int64, ...)
            index = index.astype(dtype)
        return grouped, index, None
    if kind == "polars":
        import polars as pl

        if column.dtype.is_float():
            return _factorized(name, column.to_numpy())
        if str(column.dtype) in ("Int128", "UInt128"):
            # polars exports these in a format of its own that pyarrow cannot read ('_pli128'):
            # as 64-bit integers where they fit, else grouped by pandas on Python ints
            fits = _polars_cast(column, pl.Int64 if str(column.dtype) == "Int128" else pl.UInt64)
            if fits is None:
                return _factorized(name, pd.Series(column.to_list(), dtype=object))
            return grouped_key(kind, name, fits, threads)
        if column.dtype == pl.Object:
            # its Arrow export is each object's address: equal values would be apart, and the
            # categories bytes of memory; grouped by pandas on the objects' values
            return _factorized(name, pd.Series(column.to_list(), dtype=object))
        if isinstance(column.dtype, pl.Enum):
            return _polars_enum(name, column)
        if isinstance(column.dtype, pl.Categorical):
            by_ids = _polars_categorical(name, column, threads)
            if by_ids is not None:
                return by_ids
        categorical = isinstance(column.dtype, pl.Categorical)
        tz = getattr(column.dtype, "time_zone", None)
        try:
            return _arrow_key(name, column, threads, tz=tz, categorical=categorical)
        except TypeError:  # decimals, durations, times, bytes: grouped by pandas, as below
            return _factorized(name, _arrow_as_pandas(name, column.to_arrow()))
    if kind == "pyarrow":
        import pyarrow as pa

        if pa.types.is_floating(column.type):
            return _factorized(name, column.to_numpy())
        if isinstance(column.type, pa.BaseExtensionType) and \
                column.type.extension_name.startswith("pandas."):
            # pandas' Period and Interval as pandas writes them to Parquet: read as their
            # storage, a quarter's groups were labelled 200, 201, 202 (its ordinals)
            return _factorized(name, _arrow_as_pandas(name, column))
        tz = getattr(column.type, "tz", None)
        try:
            return _arrow_key(name, column, threads, tz=tz,
                              categorical=pa.types.is_dictionary(column.type))
        except TypeError:
            # Types the compiled grouper does not encode (decimals, durations, times of day,
            # bytes) are still reasonable keys: grouped by pandas on their values, as a pandas
            # column of them is (categories Decimal, Timedelta, time), or refused naming the
            # column when pandas cannot group them either (nested values).
            return _factorized(name, _arrow_as_pandas(name, column))
    kind, column = dict_column(name, column)
    if kind != "dict":
        return grouped_key(kind, name, column, threads)
    return _numpy_key(name, one_dimensional(name, np.asarray(column)), threads)


def dict_column(name: str, column: Any) -> tuple[str, Any]:
    """A column of a dict of columns as the table kind whose adapters read it: polars Series
    and Arrow-speaking objects (pyarrow arrays, or any object with ``__arrow_c_stream__`` or
    ``__arrow_c_array__``) through Arrow, in place; numpy arrays, pandas Series and lists as
    numpy arrays ("dict")."""
    if isinstance(column, (np.ndarray, pd.Series, pd.Index, list, tuple)):
        return "dict", column
    module = type(column).__module__.split(".")[0]
    if module == "polars" and type(column).__name__ == "Series":
        return "polars", column
    if module == "pyarrow":
        import pyarrow as pa

        if isinstance(column, pa.ChunkedArray):
            return "pyarrow", column
        if isinstance(column, pa.Array):
            return "pyarrow", pa.chunked_array([column], type=column.type)
    if hasattr(column, "__arrow_c_stream__") or hasattr(column, "__arrow_c_array__"):
        try:
            import pyarrow as pa
        except ImportError:
            return "dict", column
        try:
            if hasattr(column, "__arrow_c_stream__"):
                return "pyarrow", pa.chunked_array(column)
            array = pa.array(column)
            return "pyarrow", pa.chunked_array([array], type=array.type)
        except (TypeError, ValueError, pa.ArrowException):
            from ..errors import DtypeError

            raise_alone(DtypeError(f"column '{name}' speaks the Arrow PyCapsule interface but "
                                   "is not one column of values"))
    return "dict", column


def one_dimensional(name: str, values: np.ndarray) -> np.ndarray:
    """``values``, refused naming the column when it is not one column of values (a scalar, a
    2-D array, an object numpy cannot read as an array)."""
    if values.ndim != 1:
        from ..errors import DtypeError

        what = "a single value" if values.ndim == 0 else f"a {values.ndim}-dimensional array"
        raise DtypeError(f"column '{name}' is {what}, not a column of values; give every column "
                         "as a one-dimensional array")
    return values


def without_null_entries(column: Any) -> Any:
    """A dictionary column whose dictionaries hold no null entry: a row whose index points at
    a null entry becomes a null row (missing, as pyarrow's own is_null says, and as the core
    reads such a row), and a null entry no row points at is dropped. pyarrow builds such
    dictionaries, and pandas cannot hold them ('Categorical categories cannot be null'): this
    is for columns that become pandas ones, never for those the core reads. Chunks without a
    null entry are kept as they are (no copy)."""
    import pyarrow as pa

    if not any(chunk.dictionary.null_count for chunk in column.chunks):
        return column
    chunks = []
    for chunk in column.chunks:
        entries = chunk.dictionary
        if not entries.null_count:
            chunks.append(chunk)
            continue
        null_entry = entries.is_null().to_numpy(zero_copy_only=False)
        new_index = np.cumsum(~null_entry) - 1
        indices = chunk.indices
        valid = indices.is_valid().to_numpy(zero_copy_only=False)
        positions = indices.fill_null(0).to_numpy(zero_copy_only=False).astype(np.int64)
        # indices outside the dictionary are left for the core to refuse, never read here
        inside = (positions >= 0) & (positions < len(entries))
        pointed = np.where(inside, positions, 0)
        missing = ~valid | (inside & null_entry[pointed])
        remapped = np.where(inside, new_index[pointed], positions)
        chunks.append(pa.DictionaryArray.from_arrays(
            pa.array(remapped, type=indices.type, mask=missing), entries.drop_null()))
    return pa.chunked_array(chunks, type=column.type)


def _arrow_as_pandas(name: str, column: Any) -> pd.Series:
    import pyarrow as pa

    kind = column.type
    if pa.types.is_nested(kind):
        from ..errors import DtypeError

        raise DtypeError(f"grouping column '{name}' has Arrow type {kind}, which is no key "
                         "(lists, structs and maps cannot be grouped); flatten it or group on "
                         "another column")
    return column.to_pandas()


def _is_arrow_half_float(kind: Any) -> bool:
    import pyarrow as pa

    return bool(pa.types.is_float16(kind))


def _is_arrow_decimal(kind: Any) -> bool:
    import pyarrow as pa

    return bool(pa.types.is_decimal(kind))


def _whole_decimals(name: str, role: str, column: Any) -> Any:
    """An Arrow decimal count column (what a database's SUM of integers gives) as int64 when
    every value is whole and fits, else as float64, so the core says which rule the values
    break (fractions) with a count; missing values stay missing."""
    import pyarrow as pa

    try:
        return column.cast(pa.int64())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return column.cast(pa.float64(), safe=False)


def _counts_type_error(name: str, role: str, dtype: Any) -> DtypeError:
    return DtypeError(f"column '{name}' has dtype {dtype}; {role} must be counts (an integer or "
                      "floating-point column)")


def count_column(kind: str, name: str, column: Any, role: str) -> Any:
    """A count column as the core reads it (numpy in place, or through Arrow with its nulls)."""
    if kind == "pandas":
        dtype = column.dtype
        if pd.api.types.is_bool_dtype(dtype) and not pd.api.types.is_extension_array_dtype(dtype):
            return _grouper.count_column(name, _native_contiguous(column.to_numpy(copy=False)))
        if pd.api.types.is_bool_dtype(dtype):  # nullable: missing flags counted as missing
            return _grouper.count_column(name, column.to_numpy(dtype=np.float64,
                                                               na_value=np.nan))
        if not pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_bool_dtype(dtype):
            raise _counts_type_error(name, role, dtype)
        if isinstance(dtype, pd.ArrowDtype) and _is_arrow_decimal(dtype.pyarrow_dtype):
            import pyarrow as pa

            return _grouper.count_column(name, _whole_decimals(name, role, pa.array(column.array)))
        if pd.api.types.is_extension_array_dtype(dtype):
            if isinstance(dtype, pd.ArrowDtype) and _is_arrow_half_float(dtype.pyarrow_dtype):
                import pyarrow as pa

                return _grouper.count_column(name, pa.array(column.array).cast(pa.float32()))
            return _grouper.count_column(name, column)
        return _grouper.count_column(name, _native_contiguous(
            _without_half_floats(column.to_numpy(copy=False))))
    if kind == "polars":
        import polars as pl

        if column.dtype.is_float() and str(column.dtype) == "Float16":
            return _grouper.count_column(name, column.cast(pl.Float32))
        if str(column.dtype) in ("Int128", "UInt128"):
            # a format of polars' own in Arrow: as int64 where every value fits, else as
            # floats, so the core says a count past any maximum as it says every other
            fits = _polars_cast(column, pl.Int64)
            return _grouper.count_column(name, fits if fits is not None
                                         else column.cast(pl.Float64))
        if column.dtype.is_integer() or column.dtype.is_float():
            return _grouper.count_column(name, column)
        if column.dtype.is_decimal():
            return _grouper.count_column(name, _whole_decimals(name, role, column.to_arrow()))
        if column.dtype == pl.Boolean:
            # missing flags as NaN, so the core counts them as missing (not "not counts")
            return _grouper.count_column(name, column.cast(pl.Float64).to_numpy())
        raise _counts_type_error(name, role, column.dtype)
    if kind == "pyarrow":
        import pyarrow as pa

        if pa.types.is_float16(column.type):
            return _grouper.count_column(name, column.cast(pa.float32()))
        if pa.types.is_integer(column.type) or pa.types.is_floating(column.type):
            return _grouper.count_column(name, column)
        if pa.types.is_decimal(column.type):
            return _grouper.count_column(name, _whole_decimals(name, role, column))
        if pa.types.is_boolean(column.type):
            return _grouper.count_column(name, column.cast(pa.float64()).to_numpy(
                zero_copy_only=False) if column.null_count else column.to_numpy())
        raise _counts_type_error(name, role, column.type)
    kind, column = dict_column(name, column)
    if kind != "dict":
        return count_column(kind, name, column, role)
    values = one_dimensional(name, np.asarray(column))
    if values.dtype != bool and values.dtype.kind not in _COUNT_KINDS:
        raise _counts_type_error(name, role, values.dtype)
    return _grouper.count_column(name, _native_contiguous(_without_half_floats(values)))


def _without_half_floats(values: np.ndarray) -> np.ndarray:
    """float16 counts as float32 (every float16 value, exactly): the core reads float32 and
    float64, and a half-precision column is still a floating-point column of counts."""
    return values.astype(np.float32) if values.dtype == np.float16 else values
