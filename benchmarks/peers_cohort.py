"""Benchmark: building a proven reoffending cohort from event records, yosmodel.build_cohort
(called from Python, encoding included) against DuckDB running the same definition in SQL
(benchmarks/cohort_sql.sql) on the same in-memory objects. Every run checks that both engines
agree person by person, then prints median wall-clock and CPU seconds, their ratios and the load
average when the size started (on a shared machine, wall-clock times depend on it).

    PYTHONPATH=python:build/bench/python .venv/bin/python benchmarks/peers_cohort.py          # 10^8
    PYTHONPATH=python:build/bench/python .venv/bin/python benchmarks/peers_cohort.py --small
    ... peers_cohort.py --sizes 100000000 --shapes int64 string_ids

Shapes (--shapes; every one has datetime64 dates of --unit, ns by default):
  int64         int64 person ids, kinds a pandas Categorical (pandas DataFrames)
  string_ids    person ids as a pandas `str` column ("P0001234"), kinds a Categorical
  string_kinds  int64 ids, kinds as a pandas `str` column of the kind names
  arrow         a pyarrow Table: string ids, timestamp dates, string kinds (a Parquet read)

The data are SYNTHETIC: ten offences per person in random person order (as in a date-ordered
extract), about 1.5 disposals per person of five kinds, dates over 2013-2016, 90% of offences
counting; the cohort period is 2014.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

from typing import Any

import numpy as np
import pandas as pd

import yosmodel as ym

KINDS = ["custody_release", "court_conviction", "caution", "custody_sentence", "remand"]
PERIOD = ("2014-01-01", "2014-12-31")
DEFAULT_SIZES = [(10**6, 10**5), (10**7, 10**6), (10**8, 10**7)]
SMALL_SIZES = [(10**5, 10**4), (10**6, 10**5)]
SQL = (Path(__file__).parent / "cohort_sql.sql").read_text()


def generate(offences: int, persons: int, seed: int = 0, unit: str = "ns") -> tuple[dict, dict]:
    """Disposal and offence columns (numpy arrays), reproducible by seed: int64 person ids and
    datetime64 dates of `unit` (ns by default, what pandas makes of a CSV or Parquet read)."""
    rng = np.random.default_rng(seed)
    start = np.datetime64("2013-01-01", "s")
    day = np.timedelta64(86_400, "s")
    n_disposals = persons + persons // 2
    disposal_person = np.concatenate([np.arange(persons, dtype=np.int32),
                                      rng.integers(0, persons, n_disposals - persons,
                                                   dtype=np.int32)])
    disposals = {
        "person_id": disposal_person,
        "date": start + rng.integers(0, 1461, n_disposals) * day,
        "kind": pd.Categorical.from_codes(rng.integers(0, len(KINDS), n_disposals), KINDS),
    }
    person = np.empty(offences, dtype=np.int32)
    committed = np.empty(offences, dtype="datetime64[s]")
    proven = np.empty(offences, dtype="datetime64[s]")
    counts = np.empty(offences, dtype=bool)
    chunk = 1 << 24
    for lo in range(0, offences, chunk):
        hi = min(offences, lo + chunk)
        n = hi - lo
        person[lo:hi] = rng.integers(0, persons, n, dtype=np.int32)
        days = rng.integers(0, 1461, n)
        committed[lo:hi] = start + days * day
        proven[lo:hi] = start + (days + rng.integers(0, 300, n)) * day
        counts[lo:hi] = rng.random(n) < 0.9
    as_unit = f"datetime64[{unit}]"
    disposals["person_id"] = disposals["person_id"].astype(np.int64)
    disposals["date"] = disposals["date"].astype(as_unit)
    offences_cols = {"person_id": person.astype(np.int64),
                     "offence_date": committed.astype(as_unit),
                     "proven_date": proven.astype(as_unit), "counts": counts}
    return disposals, offences_cols


SHAPES = ("int64", "string_ids", "string_kinds", "arrow")


def id_strings(ids: np.ndarray, width: int) -> Any:
    """Ids as "P" and `width` digits (P0001234), a pyarrow string array built from one byte
    buffer (no Python object per row)."""
    import pyarrow as pa

    n = len(ids)
    chars = np.empty((n, width + 1), dtype=np.uint8)
    chars[:, 0] = ord("P")
    rest = ids.astype(np.int64)
    for k in range(width, 0, -1):
        chars[:, k] = 48 + rest % 10
        rest = rest // 10
    offsets = np.arange(0, (width + 1) * n + 1, width + 1, dtype=np.int64)
    return pa.LargeStringArray.from_buffers(n, pa.py_buffer(offsets), pa.py_buffer(chars)) \
        .cast(pa.string())


def person_strings(person: np.ndarray, persons: int) -> Any:
    """The ids of `person` (dense numbers) as strings: each person's string is made once and
    the rows take it (pyarrow take), as fast at 10^8 rows as a copy."""
    import pyarrow.compute as pc

    width = max(7, len(str(max(persons - 1, 0))))
    return pc.take(id_strings(np.arange(persons), width), person)


def shaped(disposals: dict, offences: dict, shape: str, persons: int) -> tuple[Any, Any]:
    """The generated columns as the objects an analyst would hold for `shape`."""
    import pyarrow as pa

    if shape == "int64":
        return pd.DataFrame(disposals, copy=False), pd.DataFrame(offences, copy=False)
    if shape == "string_kinds":
        d = dict(disposals)
        d["kind"] = pd.Series(np.asarray(disposals["kind"].astype(object)), dtype="str")
        return pd.DataFrame(d, copy=False), pd.DataFrame(offences, copy=False)
    d_ids = person_strings(disposals["person_id"], persons)
    o_ids = person_strings(offences["person_id"], persons)
    if shape == "string_ids":
        d, o = dict(disposals), dict(offences)
        d["person_id"] = pd.Series(d_ids.to_pandas(), copy=False)
        o["person_id"] = pd.Series(o_ids.to_pandas(), copy=False)
        return pd.DataFrame(d, copy=False), pd.DataFrame(o, copy=False)
    if shape == "arrow":
        kinds = pa.DictionaryArray.from_arrays(
            pa.array(disposals["kind"].codes.astype(np.int8)), pa.array(KINDS)).cast(pa.string())
        d = pa.table({"person_id": d_ids, "date": pa.array(disposals["date"]), "kind": kinds})
        o = pa.table({"person_id": o_ids, "offence_date": pa.array(offences["offence_date"]),
                      "proven_date": pa.array(offences["proven_date"]),
                      "counts": pa.array(offences["counts"])})
        return d, o
    raise ValueError(f"unknown shape {shape!r}; the shapes are {', '.join(SHAPES)}")


def run_yosmodel(disposals: Any, offences: Any, threads: int | None) -> pd.DataFrame:
    return ym.build_cohort(disposals, offences, *PERIOD, threads=threads)


def run_duckdb(con, threads: int | None) -> pd.DataFrame:
    return con.execute(SQL, {"period_start": dt.date.fromisoformat(PERIOD[0]),
                             "period_end": dt.date.fromisoformat(PERIOD[1]),
                             "follow_up_months": 12, "waiting_months": 6}).df()


def agree(ours: pd.DataFrame, theirs: pd.DataFrame) -> bool:
    """Person by person: ids, dates and counts all equal."""
    if len(ours) != len(theirs):
        return False
    if ours["person_id"].dtype.kind in "iu":
        same_people = np.array_equal(ours["person_id"].to_numpy(np.int64),
                                     theirs["person_id"].to_numpy(np.int64))
    else:  # string ids: both sorted by the string
        same_people = np.array_equal(ours["person_id"].to_numpy(object),
                                     theirs["person_id"].to_numpy(object))
    checks = [
        same_people,
        np.array_equal(ours["index_date"].to_numpy("datetime64[D]"),
                       theirs["index_date"].to_numpy("datetime64[D]")),
        np.array_equal(ours["follow_up_end"].to_numpy("datetime64[D]"),
                       theirs["follow_up_end"].to_numpy("datetime64[D]")),
        np.array_equal(ours["waiting_end"].to_numpy("datetime64[D]"),
                       theirs["waiting_end"].to_numpy("datetime64[D]")),
        np.array_equal(ours["reoffences"].to_numpy(np.int64), theirs["reoffences"].to_numpy(np.int64)),
        np.array_equal(ours["previous_offences"].to_numpy(np.int64),
                       theirs["previous_offences"].to_numpy(np.int64)),
        np.array_equal(ours["days_to_first_reoffence"].fillna(-1).to_numpy(np.int64),
                       theirs["days_to_first_reoffence"].fillna(-1).to_numpy(np.int64)),
    ]
    return all(checks)


def timed(fn, repeat: int) -> tuple[float, float, object]:
    """Median wall-clock seconds, median CPU seconds of this process (every thread, so DuckDB's
    workers are included) and the last result. On a shared machine the CPU seconds are the
    steadier measure: they do not count time spent waiting for a core."""
    walls, cpus, result = [], [], None
    for _ in range(repeat):
        c0, t0 = time.process_time(), time.perf_counter()
        result = fn()
        walls.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
    return statistics.median(walls), statistics.median(cpus), result


def run(sizes=DEFAULT_SIZES, repeat: int = 3, duckdb_repeat: int | None = None,
        threads: int | None = None, memory_limit: str = "12GB", unit: str = "ns",
        shapes: tuple[str, ...] = ("int64",)) -> list[dict]:
    """Times both engines at each (offences, persons) size and shape; one dict per pair."""
    import duckdb

    rows = []
    for offences, persons in sizes:
        disposals, offence_cols = generate(offences, persons, unit=unit)
        for shape in shapes:
            d_frame, o_frame = shaped(disposals, offence_cols, shape, persons)
            con = duckdb.connect()
            con.execute(f"SET memory_limit='{memory_limit}'")
            if threads:
                con.execute(f"SET threads={int(threads)}")
            con.register("disposals", d_frame)
            con.register("offences", o_frame)
            load = os.getloadavg()[0]
            ours_s, ours_cpu, ours = timed(lambda: run_yosmodel(d_frame, o_frame, threads),
                                           repeat)
            # DuckDB needs minutes at 10^8 offences: one run there unless asked for more.
            theirs_s, theirs_cpu, theirs = timed(
                lambda: run_duckdb(con, threads),
                duckdb_repeat or (1 if offences >= 10**8 else repeat))
            ok = agree(ours, theirs)
            rows.append({"shape": shape, "offences": offences, "persons": persons,
                         "cohort": len(ours), "yosmodel_s": ours_s, "duckdb_s": theirs_s,
                         "ratio": theirs_s / ours_s, "yosmodel_cpu_s": ours_cpu,
                         "duckdb_cpu_s": theirs_cpu, "cpu_ratio": theirs_cpu / ours_cpu,
                         "load": load, "agree": ok})
            # A time is printed only for an answer DuckDB agrees with.
            times = (f"{ours_s:>10.3f} {theirs_s:>10.3f} {theirs_s / ours_s:>7.1f}x "
                     f"{ours_cpu:>9.2f} {theirs_cpu:>9.2f} {theirs_cpu / ours_cpu:>7.1f}x"
                     if ok else f"{'(results differ: no time)':>60}")
            print(f"{shape:>12} {offences:>12,} {persons:>11,} {len(ours):>10,} {times} "
                  f"{load:>5.1f} {'yes' if ok else 'NO'}", flush=True)
            con.close()
            del d_frame, o_frame, ours, theirs
        del disposals, offence_cols
    return rows


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", action="store_true", help="10^5 and 10^6 offences only")
    parser.add_argument("--sizes", nargs="*", type=int,
                        help="offence counts (persons = offences / 10)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--duckdb-repeat", type=int, default=None)
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--unit", default="ns", help="datetime64 unit of the dates (default ns)")
    parser.add_argument("--shapes", nargs="*", choices=SHAPES, default=list(SHAPES),
                        help="input shapes (default: all)")
    args = parser.parse_args(argv)
    sizes = SMALL_SIZES if args.small else DEFAULT_SIZES
    if args.sizes:
        sizes = [(n, max(1, n // 10)) for n in args.sizes]
    print(f"cohort build, median of {args.repeat} runs, {os.cpu_count()} cores, "
          f"datetime64[{args.unit}] dates, yosmodel {ym.__version__}")
    print(f"{'shape':>12} {'offences':>12} {'persons':>11} {'cohort':>10} {'yosmodel s':>10} "
          f"{'duckdb s':>10} {'ratio':>8} {'ym cpu s':>9} {'db cpu s':>9} {'ratio':>8} "
          f"{'load':>5} agree")
    rows = run(sizes, args.repeat, args.duckdb_repeat, args.threads, unit=args.unit,
               shapes=tuple(args.shapes))
    return 0 if all(r["agree"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
