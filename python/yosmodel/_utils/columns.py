"""Adapters from the tables analysts hold (pandas, polars, pyarrow, dict of numpy arrays) to the
plain columns the core reads: numeric columns as numpy arrays (not copied when they are already
contiguous and of a supported dtype) and keys as integer codes plus their categories."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

_COUNT_KINDS = "iuf"


@dataclass(frozen=True)
class Key:
    """A key column as codes into ``categories`` (sorted, or the categorical's own order)."""

    name: str
    codes: np.ndarray
    categories: pd.Index
    ordered_categorical: pd.CategoricalDtype | None  # restore the input's categorical dtype


class Table:
    """Read-only access to named columns of any supported table type."""

    def __init__(self, data: Any):
        self._data = data
        self.kind = _kind_of(data)
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
                raise ValueError("columns of the dict have different lengths; every column must "
                                 "have the same length")
            return lengths.pop() if lengths else 0
        if self.kind == "pyarrow":
            return self._data.num_rows
        return len(self._data)

    def require(self, name: str, role: str) -> None:
        if name not in self.names:
            raise KeyError(f"{role} column '{name}' is not in the data (it has "
                           f"{len(self.names)} columns: {', '.join(map(str, self.names[:12]))}"
                           f"{', ...' if len(self.names) > 12 else ''})")

    def counts(self, name: str, role: str) -> np.ndarray:
        """A count column as a contiguous numeric numpy array (a view when possible)."""
        self.require(name, role)
        values = self._numpy(name)
        if values.dtype == bool:
            values = values.view(np.uint8)
        if values.dtype.kind not in _COUNT_KINDS:
            raise TypeError(f"column '{name}' has dtype {values.dtype}; {role} must be counts "
                            "(an integer or floating-point column)")
        return _native_contiguous(values)

    def key(self, name: str) -> Key:
        self.require(name, "grouping")
        if self.kind == "pandas":
            return _key_from_pandas(name, self._data[name])
        if self.kind == "polars":
            return _key_from_polars(name, self._data[name])
        if self.kind == "pyarrow":
            return _key_from_arrow(name, self._data.column(name))
        return _key_from_pandas(name, pd.Series(np.asarray(self._data[name])))

    def _numpy(self, name: str) -> np.ndarray:
        column = self._data[name] if self.kind != "pyarrow" else self._data.column(name)
        if self.kind == "pandas":
            if not (pd.api.types.is_numeric_dtype(column.dtype)
                    or pd.api.types.is_bool_dtype(column.dtype)):
                raise TypeError(f"column '{name}' has dtype {column.dtype}; counts must be "
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
    raise TypeError(f"data of type {type(data).__name__} is not supported; pass a pandas or "
                    "polars DataFrame, a pyarrow Table or a dict of numpy arrays")


def _native_contiguous(values: np.ndarray) -> np.ndarray:
    if values.ndim != 1:
        raise ValueError("columns must be one-dimensional")
    if not values.dtype.isnative:
        values = values.astype(values.dtype.newbyteorder("="))
    return np.ascontiguousarray(values)


def _missing_key_error(name: str, missing: int) -> ValueError:
    rows = "row has" if missing == 1 else "rows have"
    return ValueError(f"grouping column '{name}': {missing} {rows} a missing value; fill or drop "
                      "them before grouping (missing keys are never dropped silently)")


def _key_from_pandas(name: str, column: pd.Series) -> Key:
    if isinstance(column.dtype, pd.CategoricalDtype):
        # The categorical's own codes, not a copy. A missing value is code -1, which the kernel
        # reports as out of range; checking here would cost a pass over the column.
        codes = column.array.codes
        return Key(name, _native_contiguous(codes), column.cat.categories, column.dtype)
    missing = int(column.isna().sum())
    if missing:
        raise _missing_key_error(name, missing)
    codes, categories = pd.factorize(column, sort=True)
    return Key(name, codes, pd.Index(categories), None)


def _key_from_polars(name: str, column: Any) -> Key:
    import polars as pl

    if column.null_count():
        raise _missing_key_error(name, column.null_count())
    if isinstance(column.dtype, pl.Enum):
        dtype = pd.CategoricalDtype(column.dtype.categories.to_list())
        codes = column.to_physical().to_numpy()
        return Key(name, _native_contiguous(codes), dtype.categories, dtype)
    if column.dtype == pl.Categorical:  # codes index a global string cache, not a local list
        return _key_from_pandas(name, column.to_pandas())
    return _key_from_pandas(name, pd.Series(column.to_numpy()))


def _key_from_arrow(name: str, column: Any) -> Key:
    import pyarrow as pa

    if column.null_count:
        raise _missing_key_error(name, column.null_count)
    if pa.types.is_dictionary(column.type):
        combined = column.unify_dictionaries().combine_chunks() if column.num_chunks > 1 \
            else column.combine_chunks()
        categories = combined.dictionary.to_pandas()
        dtype = pd.CategoricalDtype(categories)
        codes = combined.indices.to_numpy(zero_copy_only=False)
        return Key(name, _native_contiguous(codes), dtype.categories, dtype)
    return _key_from_pandas(name, pd.Series(column.to_numpy()))
