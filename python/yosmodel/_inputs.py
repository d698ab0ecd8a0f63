"""What the Python API takes: what the command line takes (CSV and Parquet paths) and the tables
analysts hold, eager or lazy: pandas, polars DataFrames and LazyFrames, pyarrow Tables and
RecordBatchReaders, DuckDB relations, dicts of arrays. Lazy and streaming inputs are collected
once here; anything else gets one line naming what is accepted."""

from __future__ import annotations

import functools
import os
from typing import Any

import pandas as pd

ACCEPTED = ("a pandas or polars DataFrame, a polars LazyFrame, a pyarrow Table or "
            "RecordBatchReader, a DuckDB relation, a dict of arrays, or the path of a CSV or "
            "Parquet file")


def _module(data: Any) -> str:
    return type(data).__module__.split(".")[0]


def as_table(data: Any, role: str = "data", **csv: Any) -> Any:
    """``data`` as a table the column adapters read (pandas, polars, pyarrow or dict)."""
    if isinstance(data, (pd.DataFrame, dict)):
        return data
    if isinstance(data, (str, os.PathLike)):
        from ._files import read_table
        from ._progress import Progress

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
    raise TypeError(f"{role} of type {name} is not a table; pass {ACCEPTED}")
