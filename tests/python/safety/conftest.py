"""Issue 11's tests: real records in, right answers out, nothing leaked. They are written
against the public API the issue fixes and stay out of a run until YOSMODEL_SAFETY_TESTS=1 (the
branch that makes them pass turns the gate off)."""

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


def pytest_collection_modifyitems(config, items):
    if os.environ.get("YOSMODEL_SAFETY_TESTS") == "1":
        return
    skip = pytest.mark.skip(reason="issue 11 tests: set YOSMODEL_SAFETY_TESTS=1")
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
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
