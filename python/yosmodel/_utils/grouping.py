"""Key and count columns handed to the compiled grouper as they are held: numpy arrays in place,
everything else (pandas `str` and nullable columns, polars Series, pyarrow arrays) through the
Arrow C Data Interface, so no Python object is made per row. pd.factorize remains only for what
the core does not group: floating-point keys and object columns Arrow cannot type."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .._core import reoffending as _grouper
from .text import text_column

_NUMPY_KEY_KINDS = "iubM"
_COUNT_KINDS = "iuf"


def _native_contiguous(values: np.ndarray) -> np.ndarray:
    if values.ndim != 1:
        raise ValueError("columns must be one-dimensional")
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


def missing_key_error(name: str, missing: int) -> ValueError:
    rows = "row has" if missing == 1 else "rows have"
    return ValueError(f"grouping column '{name}': {missing} {rows} a missing value; fill or drop "
                      "them before grouping (missing keys are never dropped silently)")


def _factorized(name: str, values: Any) -> tuple[Any, pd.Index, None]:
    with text_column(name, "grouping column"):
        column = pd.Series(values)
        missing = int(column.isna().sum())
        if missing:
            raise missing_key_error(name, missing)
        codes, categories = pd.factorize(column, sort=True)
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
            # kernel reports as out of range; checking here would cost a pass over the column.
            codes = _native_contiguous(column.array.codes)
            return (_grouper.key_from_codes(name, codes, max(len(dtype.categories), 1)),
                    dtype.categories, dtype)
        if not pd.api.types.is_extension_array_dtype(dtype):
            return _numpy_key(name, column.to_numpy(copy=False), threads)
        if dtype.kind == "f" or not hasattr(column, "__arrow_c_stream__"):
            return _factorized(name, column)
        tz = getattr(dtype, "tz", None)
        try:
            grouped, index, _ = _arrow_key(name, column, threads, tz=tz)
        except TypeError:  # an Arrow type the core does not group (floats, nested values)
            return _factorized(name, column)
        if tz is None:  # categories keep the column's own dtype (str, string, Int64, ...)
            index = index.astype(dtype)
        return grouped, index, None
    if kind == "polars":
        import polars as pl

        if column.dtype.is_float():
            return _factorized(name, column.to_numpy())
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
    return _numpy_key(name, np.asarray(column), threads)


def _arrow_as_pandas(name: str, column: Any) -> pd.Series:
    import pyarrow as pa

    kind = column.type
    if pa.types.is_nested(kind):
        from ..errors import DtypeError

        raise DtypeError(f"grouping column '{name}' has Arrow type {kind}, which is no key "
                         "(lists, structs and maps cannot be grouped); flatten it or group on "
                         "another column")
    return column.to_pandas()


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


def _counts_type_error(name: str, role: str, dtype: Any) -> TypeError:
    return TypeError(f"column '{name}' has dtype {dtype}; {role} must be counts (an integer or "
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
            return _grouper.count_column(name, column)
        return _grouper.count_column(name, _native_contiguous(column.to_numpy(copy=False)))
    if kind == "polars":
        if column.dtype.is_integer() or column.dtype.is_float():
            return _grouper.count_column(name, column)
        if column.dtype.is_decimal():
            return _grouper.count_column(name, _whole_decimals(name, role, column.to_arrow()))
        import polars as pl

        if column.dtype == pl.Boolean:
            # missing flags as NaN, so the core counts them as missing (not "not counts")
            return _grouper.count_column(name, column.cast(pl.Float64).to_numpy())
        raise _counts_type_error(name, role, column.dtype)
    if kind == "pyarrow":
        import pyarrow as pa

        if pa.types.is_integer(column.type) or pa.types.is_floating(column.type):
            return _grouper.count_column(name, column)
        if pa.types.is_decimal(column.type):
            return _grouper.count_column(name, _whole_decimals(name, role, column))
        if pa.types.is_boolean(column.type):
            return _grouper.count_column(name, column.cast(pa.float64()).to_numpy(
                zero_copy_only=False) if column.null_count else column.to_numpy())
        raise _counts_type_error(name, role, column.type)
    values = np.asarray(column)
    if values.dtype != bool and values.dtype.kind not in _COUNT_KINDS:
        raise _counts_type_error(name, role, values.dtype)
    return _grouper.count_column(name, _native_contiguous(values))
