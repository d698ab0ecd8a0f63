"""Issue 11's tests: real records in, right answers out, nothing leaked, written against the
public API the issue fixes. Shared fixtures and helpers."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "real_records"
PERIOD = ("2016-01-01", "2016-03-31")
UK_PERIOD = ("01/01/2016", "31/03/2016")


#: Tests that need the package's exception hierarchy (issue 10: yosmodel.LimitError,
#: yosmodel.CorruptDataError), skipped with that reason until the package has it.
NEEDS_ERROR_CLASSES = ("test_corrupt_data_error_is_what_is_raised",
                       "test_margins_over_many_keys_are_refused",
                       "test_suppression_over_forty_keys_is_refused",
                       "test_limit_error_is_a_yosmodel_error",
                       "test_wide_key_spaces_do_not_exhaust_memory")


def pytest_collection_modifyitems(config, items):
    import yosmodel

    if hasattr(yosmodel, "LimitError") and hasattr(yosmodel, "CorruptDataError"):
        return
    skip = pytest.mark.skip(reason="needs yosmodel.LimitError and CorruptDataError (issue 10)")
    for item in items:
        if item.name in NEEDS_ERROR_CLASSES:
            item.add_marker(skip)


def fixture(name: str) -> Path:
    return FIXTURES / name


def read_raw(name: str) -> pd.DataFrame:
    """A fixture file as a spreadsheet export arrives: every field a string, nothing parsed."""
    return pd.read_csv(fixture(name), dtype=str, keep_default_na=False, na_values=[""],
                       encoding="utf-8-sig")


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env.pop("YOSMODEL_TRACEBACK", None)
    return subprocess.run([sys.executable, "-m", "yosmodel", *map(str, args)], cwd=cwd, check=False,
                          capture_output=True, text=True, env=env, timeout=300)


def run_limited(code: str, memory_bytes: int = 3 << 30) -> subprocess.CompletedProcess:
    """Runs ``code`` in a child Python whose address space is capped, so that code which asks
    for tens of gigabytes fails there (MemoryError) instead of taking the shared machine."""
    prelude = ("import resource; resource.setrlimit(resource.RLIMIT_AS, "
               f"({memory_bytes}, {memory_bytes}))\n")
    return subprocess.run([sys.executable, "-c", prelude + code], capture_output=True, check=False,
                          text=True, timeout=300, env=dict(os.environ))
