"""Adapters from the tables analysts hold (pandas, polars, pyarrow, dict of numpy arrays) to the
plain columns the core reads: numeric columns as numpy arrays (not copied when they are already
contiguous and of a supported dtype) and keys as integer codes plus their categories."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .._core import reoffending as _grouper
from ..errors import DtypeError, InputError, NotFoundError
from .grouping import count_column, dict_column, grouped_key, without_null_entries
from .spelling import warn_of_spellings

_COUNT_KINDS = "iuf"


@dataclass(frozen=True)
class Key:
    """A key column as codes into ``categories`` (sorted, or the categorical's own order):
    the compiled grouper's key (``_grouper.GroupedKey``), or a numpy array of codes."""

    name: str
    grouped: Any
    categories: pd.Index
    ordered_categorical: pd.CategoricalDtype | None  # restore the input's categorical dtype

    @property
    def codes(self) -> np.ndarray:
        if isinstance(self.grouped, np.ndarray):
            return self.grouped
        return self.grouped.codes()

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        # The compiled key does not pickle; its codes (a numpy array) do, and mean the same.
        return (Key, (self.name, self.codes, self.categories, self.ordered_categorical))

    def for_core(self) -> Any:
        """The key as the kernel reads it."""
        if isinstance(self.grouped, np.ndarray):
            return _grouper.key_from_codes(self.name, _native_contiguous(self.grouped),
                                        max(len(self.categories), 1))
        return self.grouped


class Table:
    """Read-only access to named columns of any supported table type. With ``to_pandas``
    (the default), a pyarrow table's dictionary columns lose their null entries (see
    without_null_entries), as pandas cannot hold them; callers whose every column is read by
    the core (which reads a row pointing at a null entry as a missing value) pass False."""

    def __init__(self, data: Any, to_pandas: bool = True):
        self.kind = _kind_of(data)
        if self.kind == "dict":
            data = _capsule_columns_as_arrow(aligned_dict(data))
        if self.kind == "pyarrow" and to_pandas:
            data = _without_null_dictionary_entries(data)
        if self.kind == "pandas" and not isinstance(data.columns, pd.MultiIndex) and not all(
                isinstance(c, str) for c in data.columns):
            # Columns are named by strings (by="0"): labels of other types (pd.read_csv with
            # header=None numbers them) are read under their text, in a new frame (no copy of
            # the data; the caller's keeps its labels). A label was listed as '0' and then
            # looked up as the string, failing as pandas' bare KeyError: '0'.
            data = data.rename(columns=str)
        self._data = data
        if self.kind == "pyarrow":
            self.names = list(data.column_names)
        elif self.kind == "dict":
            self.names = list(data.keys())
        else:
            self.names = [str(c) for c in data.columns]

    def __len__(self) -> int:
        if self.kind == "dict":
            lengths = {len(v) for v in self._data.values()}
            if len(lengths) > 1:
                raise InputError("columns of the dict have different lengths; every column must "
                                 "have the same length")
            return lengths.pop() if lengths else 0
        if self.kind == "pyarrow":
            return self._data.num_rows
        return len(self._data)

    def require(self, name: str, role: str) -> None:
        if name not in self.names:
            raise NotFoundError(f"{role} column '{name}' is not in the data (it has "
                                f"{len(self.names)} columns: {', '.join(map(str, self.names[:12]))}"
                                f"{', ...' if len(self.names) > 12 else ''})")
        times = self.names.count(name)
        if times > 1:
            # pandas gave a DataFrame for the column ('DataFrame' object has no attribute
            # 'dtype'), pyarrow a KeyError of its own: which of them was meant is a guess
            from ..errors import InputError

            raise InputError(f"{role} column '{name}' is in the data more than once ({times} "
                             "times); give each column a name of its own")

    def counts(self, name: str, role: str, truth_values: bool = True) -> np.ndarray:
        """A count column as a contiguous numeric numpy array (a view when possible). A truth
        column counts as 0 and 1 (a reoffended flag is a count of reoffenders) unless
        ``truth_values`` is False, where a flag cannot be the count asked for."""
        self.require(name, role)
        if not truth_values and self._holds_truth_values(name):
            raise DtypeError(f"column '{name}' holds truth values (bool); {role} must be "
                             "counts (an integer column)")
        values = self._numpy(name)
        if values.dtype == bool:
            values = values.view(np.uint8)
        if values.dtype.kind not in _COUNT_KINDS:
            raise DtypeError(f"column '{name}' has dtype {values.dtype}; {role} must be counts "
                             "(an integer or floating-point column)")
        return _native_contiguous(values)

    def key(self, name: str, threads: int = 0) -> Key:
        """A key column encoded by the compiled grouper (no Python object per row)."""
        self.require(name, "grouping")
        column = self._data.column(name) if self.kind == "pyarrow" else self._data[name]
        grouped, categories, dtype = grouped_key(self.kind, name, column, threads)
        warn_of_spellings(name, categories)
        return Key(name, grouped, categories, dtype)

    def count_column(self, name: str, role: str) -> Any:
        """A count column as the kernel reads it, in place (nulls through Arrow's bitmaps)."""
        self.require(name, role)
        column = self._data.column(name) if self.kind == "pyarrow" else self._data[name]
        return count_column(self.kind, name, column, role)

    def _holds_truth_values(self, name: str) -> bool:
        """Whether the column is a truth column as the table types it (nullable ones too, which
        _numpy turns into floats to carry their nulls)."""
        column = self._data[name] if self.kind != "pyarrow" else self._data.column(name)
        if self.kind == "pandas":
            return bool(pd.api.types.is_bool_dtype(column.dtype))
        if self.kind == "polars":
            return str(column.dtype) == "Boolean"
        if self.kind == "pyarrow":
            return str(column.type) == "bool"
        return np.asarray(column).dtype == bool

    def _numpy(self, name: str) -> np.ndarray:
        column = self._data[name] if self.kind != "pyarrow" else self._data.column(name)
        if self.kind == "pandas":
            if not (pd.api.types.is_numeric_dtype(column.dtype)
                    or pd.api.types.is_bool_dtype(column.dtype)):
                raise DtypeError(f"column '{name}' has dtype {column.dtype}; counts must be "
                                 "an integer or floating-point column")
            if pd.api.types.is_extension_array_dtype(column.dtype):
                # Nullable integers: missing values become NaN so the core can report them.
                if column.isna().any():
                    return column.to_numpy(dtype=np.float64, na_value=np.nan)
                return column.to_numpy(dtype=column.dtype.numpy_dtype)
            return column.to_numpy(copy=False)
        if self.kind == "polars":
            if column.null_count():
                return column.cast(float).fill_null(float("nan")).to_numpy()
            return column.to_numpy()
        if self.kind == "pyarrow":
            if column.null_count:
                return column.to_numpy(zero_copy_only=False).astype(np.float64)
            return column.to_numpy()
        return np.asarray(column)


def aligned_dict(data: dict) -> dict:
    """A dict of columns whose pandas Series are paired by their index labels, as
    ``pd.DataFrame(data)`` pairs them, never by position behind the user's back: Series whose
    indexes hold the same unique labels in another order are put in the order of the first
    one (a new dict; the caller's Series are untouched); Series whose labels differ, or repeat,
    are refused naming the columns, since pairing them could only be a guess. Arrays and lists
    are paired by position, with the first Series' order."""
    series = [(name, value) for name, value in data.items() if isinstance(value, pd.Series)]
    if len(series) < 2:
        return data
    first_name, first = series[0]
    if all(value.index.equals(first.index) for _, value in series[1:]):
        return data
    from ..errors import InputError

    for name, value in series[1:]:
        if value.index.equals(first.index):
            continue
        same_labels = (first.index.is_unique and value.index.is_unique
                       and len(value.index) == len(first.index)
                       and first.index.isin(value.index).all())
        if not same_labels:
            raise InputError(
                f"columns '{first_name}' and '{name}' are pandas Series with different index "
                "labels, so their rows cannot be paired (yosmodel pairs a dict's Series by "
                "index label, as pandas does); align them first (pd.DataFrame(data) keeps "
                "every label, .reset_index(drop=True) pairs by position)")
    return {name: value.reindex(first.index) if isinstance(value, pd.Series)
            and not value.index.equals(first.index) else value
            for name, value in data.items()}


def _capsule_columns_as_arrow(data: dict) -> dict:
    """A dict whose columns that speak only the Arrow PyCapsule interface (a wrapper,
    nanoarrow, arro3) are pyarrow ChunkedArrays, taken over without a copy, so every reader
    of a dict's columns (numpy, pandas, the cohort's) takes them as it takes pyarrow's; the
    dict itself when there are none (a new dict otherwise; the caller's is untouched)."""
    known = (np.ndarray, pd.Series, pd.Index, list, tuple)
    odd = [name for name, value in data.items() if not isinstance(value, known)
           and type(value).__module__.split(".")[0] not in ("pyarrow", "polars", "numpy")
           and (hasattr(value, "__arrow_c_stream__") or hasattr(value, "__arrow_c_array__"))]
    if not odd:
        return data
    return {name: dict_column(name, value)[1] if name in odd else value
            for name, value in data.items()}


def _without_null_dictionary_entries(table: Any) -> Any:
    """The pyarrow table with its dictionary columns' null entries taken out (see
    without_null_entries); the table itself when no dictionary holds one (the usual case: only
    the dictionaries are looked at, never the rows)."""
    import pyarrow as pa

    for i, field in enumerate(table.schema):
        if pa.types.is_dictionary(field.type) and any(
                chunk.dictionary.null_count for chunk in table.column(i).chunks):
            table = table.set_column(i, field, without_null_entries(table.column(i)))
    return table


def _kind_of(data: Any) -> str:
    if isinstance(data, pd.DataFrame):
        return "pandas"
    if isinstance(data, dict):
        return "dict"
    module = type(data).__module__
    if module.startswith("polars"):
        return "polars"
    if module.startswith("pyarrow"):
        return "pyarrow"
    raise DtypeError(f"data of type {type(data).__name__} is not supported; pass a pandas or "
                     "polars DataFrame, a pyarrow Table or a dict of numpy arrays")


def _native_contiguous(values: np.ndarray) -> np.ndarray:
    if values.ndim != 1:
        raise InputError("columns must be one-dimensional")
    if not values.dtype.isnative:
        values = values.astype(values.dtype.newbyteorder("="))
    return np.ascontiguousarray(values)


def free_name(name: str, taken: Any) -> str:
    """A column name like ``name`` that ``taken`` does not hold (for a key's codes beside the
    same column read as counts)."""
    alias = f"{name} (key)"
    while alias in taken:
        alias += "'"
    return alias
