"""Sizes that would explode are computed before anything is allocated and refused with a
LimitError that says what is too big. Each case runs in a child process whose memory is capped,
so the code before the fix fails there (MemoryError) and not on the shared machine."""

from __future__ import annotations

import pytest

from .conftest import run_limited

PRELUDE = """
import numpy as np, pandas as pd, yosmodel as ym
rng = np.random.default_rng(0)
def report(call):
    try:
        call()
        print("OK")
    except Exception as e:
        print(type(e).__name__, "|", e, "|", [c.__name__ for c in type(e).__mro__])
"""


def outcome(code: str) -> str:
    result = run_limited(PRELUDE + code)
    text = result.stdout.strip().splitlines()
    assert text, result.stderr[-2000:]
    return text[-1]


def test_margins_over_many_keys_are_refused():
    line = outcome("""
frame = pd.DataFrame({f"k{i}": rng.integers(0, 3, 1000) for i in range(20)})
frame["reoffences"] = rng.integers(0, 3, 1000)
report(lambda: ym.reoffending_rates(frame, by=[f"k{i}" for i in range(20)], margins=True))
""")
    assert line.startswith("LimitError"), line
    assert "margins" in line and "20" in line


def test_suppression_over_forty_keys_is_refused():
    line = outcome("""
keys = [f"k{i}" for i in range(40)]
# 41 distinct cells: row j differs from the last row in key j only
table = pd.DataFrame({k: ["v1" if j == i else "v0" for j in range(41)] for i, k in enumerate(keys)})
table["offenders"] = 20
table["reoffenders"] = 5
table["reoffences"] = 9
report(lambda: ym.suppress(table, by=keys))
""")
    assert line.startswith("LimitError"), line
    assert "40" in line


def test_limit_error_is_a_yosmodel_error():
    line = outcome("""
print([c.__name__ for c in ym.LimitError.__mro__])
""")
    assert "YosmodelError" in line


def test_wide_key_spaces_do_not_exhaust_memory():
    line = outcome("""
frame = pd.DataFrame({f"k{i}": rng.integers(0, 5000, 2000).astype(str) for i in range(8)})
frame["reoffences"] = rng.integers(0, 3, 2000)
keys = [f"k{i}" for i in range(8)]
def call():
    got = ym.reoffending_rates(frame, by=keys)
    want = frame.groupby(keys).size()
    assert len(got) == len(want) and int(got["offenders"].sum()) == 2000
report(call)
""")
    assert line == "OK" or line.startswith("LimitError"), line


@pytest.mark.parametrize("threads", [2**31, 2**40])
def test_huge_thread_counts_are_refused_not_allocated(threads):
    line = outcome(f"""
frame = pd.DataFrame({{"yjs": ["a", "b"] * 50, "reoffences": [0, 1] * 50}})
report(lambda: ym.reoffending_rates(frame, by="yjs", threads={threads}))
""")
    assert "MemoryError" not in line and "threads" in line, line
