"""What the Python API takes: what the command line takes (CSV and Parquet paths) and the tables
analysts hold, eager or lazy: pandas, polars DataFrames and LazyFrames, pyarrow Tables and
RecordBatchReaders, DuckDB relations, dicts of arrays. Lazy and streaming inputs are collected
once here; anything else gets one line naming what is accepted."""

from __future__ import annotations

import functools
import os
from typing import Any

import pandas as pd

from ..errors import DtypeError

ACCEPTED = ("a pandas or polars DataFrame, a polars LazyFrame, a pyarrow Table or "
            "RecordBatchReader, a DuckDB relation, any table speaking the Arrow PyCapsule "
            "interface (__arrow_c_stream__), a dict of arrays, or the path of a CSV or Parquet "
            "file")


def _module(data: Any) -> str:
    return type(data).__module__.split(".")[0]


def as_table(data: Any, role: str = "data", **csv: Any) -> Any:
    """``data`` as a table the column adapters read (pandas, polars, pyarrow or dict)."""
    if isinstance(data, (pd.DataFrame, dict)):
        return data
    if isinstance(data, (str, os.PathLike)):
        from .files import read_table
        from .progress import Progress

        return read_table(os.fspath(data), progress=functools.partial(Progress, enabled=False),
                          **csv)
    module = _module(data)
    name = type(data).__name__
    if module == "polars":
        if name == "LazyFrame":
            return data.collect()
        if name == "DataFrame":
            return data
    if module == "pyarrow":
        if name == "RecordBatchReader":
            return data.read_all()
        if name == "Table":
            return data
        if name == "RecordBatch":
            import pyarrow as pa

            return pa.Table.from_batches([data])
    if module in ("duckdb", "_duckdb") and hasattr(data, "arrow"):
        result = data.to_arrow_table() if hasattr(data, "to_arrow_table") else data.arrow()
        return result.read_all() if type(result).__name__ == "RecordBatchReader" else result
    if module not in ("pandas", "polars", "pyarrow", "numpy") and (
            hasattr(data, "__arrow_c_stream__") or hasattr(data, "__arrow_c_array__")):
        # a Series or an array of a known library is one column, said as below
        return _arrow_capsule_table(data, role, name)
    raise DtypeError(f"{role} of type {name} is not a table; pass {ACCEPTED}")


def _arrow_capsule_table(data: Any, role: str, name: str) -> Any:
    """A table from any object speaking the Arrow PyCapsule interface (nanoarrow, arro3, ADBC
    results, a wrapper class): taken over by pyarrow without a copy."""
    try:
        import pyarrow as pa
    except ImportError:
        raise DtypeError(f"{role} of type {name} speaks the Arrow PyCapsule interface, which "
                         "yosmodel reads as a table through pyarrow; install pyarrow, or pass "
                         f"{ACCEPTED}") from None
    try:
        return pa.table(data)
    except (TypeError, ValueError, pa.ArrowException):
        raise DtypeError(f"{role} of type {name} speaks the Arrow PyCapsule interface but is not "
                         "a table of columns (a record batch stream or a struct array); pass "
                         f"{ACCEPTED}") from None
