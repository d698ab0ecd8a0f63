"""Grouped reoffending measures on the shapes analysts' tables arrive in (issue 12): pandas
integer, `str` and Categorical keys, polars String and Categorical, a pyarrow dictionary column
read from a Parquet file, and a dict of numpy arrays; int64 counts (and one-byte counts for the
categorical case); 1 and 3 keys. yosmodel, polars and DuckDB run on the same data (DuckDB scans
the object itself; polars gets its own frame of the data, built outside the timing), pandas at
10^7 only for reference. Every engine's counts are checked equal to yosmodel's before a time is
printed.

    PYTHONPATH=python:build/bench/python .venv/bin/python benchmarks/peers_shapes.py --sizes 10000000
"""

from __future__ import annotations

import argparse
import gc
import os
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
import yosmodel as ym
from timing import median_seconds, peak_extra_bytes, time_inside

KEYS = {1: ["yjs"], 3: ["yjs", "sex", "cohort"]}
COUNTS = ["offenders", "reoffenders", "reoffences"]
SHAPES = ["pandas int", "pandas str", "pandas categorical", "pandas categorical u8",
          "polars String", "polars Categorical", "pyarrow dictionary (Parquet)", "dict of numpy"]


def base_columns(n: int, seed: int = 1) -> dict[str, np.ndarray]:
    """Service numbers 1..155, sex 1..2, cohort quarter 1..8, counts as int64."""
    rng = np.random.default_rng(seed)
    reoffended = rng.random(n) < 0.3
    return {"yjs": rng.integers(1, 156, n), "sex": rng.integers(1, 3, n),
            "cohort": rng.integers(1, 9, n),
            "reoffences": np.where(reoffended, rng.geometric(0.5, n), 0).astype(np.int64),
            "previous_offences": rng.geometric(0.4, n).astype(np.int64) - 1}


def labels(codes: np.ndarray, prefix: str):
    """Strings "<prefix> 001", ... for codes 1.., as an Arrow large_string array built from a
    dictionary (no Python object per row, so 10^8 rows fit in memory)."""
    import pyarrow as pa

    dictionary = pa.array([f"{prefix} {i:03d}" for i in range(int(codes.max()) + 1)])
    return pa.DictionaryArray.from_arrays(pa.array(codes.astype(np.int32)),
                                          dictionary).cast(pa.large_string())


def make_shape(shape: str, cols: dict[str, np.ndarray], workdir: Path):
    """The data in `shape`, plus a polars frame of the same data for polars to run on."""
    import polars as pl
    import pyarrow as pa
    import pyarrow.parquet as pq

    counts = {k: cols[k] for k in ("reoffences", "previous_offences")}
    if shape == "pandas int":
        data = pd.DataFrame({**{k: cols[k] for k in KEYS[3]}, **counts})
    elif shape in ("pandas str", "polars String", "pyarrow dictionary (Parquet)"):
        strings = {k: labels(cols[k], k) for k in KEYS[3]}
        if shape == "pandas str":
            data = pd.DataFrame({**{k: pd.array(v, dtype="str") for k, v in strings.items()},
                                 **counts})
        elif shape == "polars String":
            data = pl.DataFrame({**{k: pl.Series(k, v) for k, v in strings.items()}, **counts})
        else:
            table = pa.table({**strings, **counts})
            path = workdir / "cohort.parquet"
            pq.write_table(table, path)
            del table
            data = pq.read_table(path, read_dictionary=KEYS[3])
    elif shape.startswith("pandas categorical"):
        frame = {k: pd.Categorical.from_codes(cols[k] - 1, [f"{k} {i:03d}" for i in
                                                            range(int(cols[k].max()))])
                 for k in KEYS[3]}
        if shape.endswith("u8"):
            counts = {k: np.minimum(v, 255).astype(np.uint8) for k, v in counts.items()}
        data = pd.DataFrame({**frame, **counts})
    elif shape == "polars Categorical":
        data = pl.DataFrame({**{k: pl.Series(k, labels(cols[k], k)).cast(pl.Categorical)
                                for k in KEYS[3]}, **counts})
    else:
        data = {**{k: cols[k] for k in KEYS[3]}, **counts}
    if isinstance(data, pl.DataFrame):
        frame = data
    elif isinstance(data, dict):
        frame = pl.DataFrame(data)
    else:
        frame = pl.from_arrow(data) if isinstance(data, pa.Table) else pl.from_pandas(data)
    return data, frame


def run_yosmodel(data, keys, threads):
    return ym.reoffending_rates(data, by=keys, previous_offences="previous_offences",
                                threads=threads)


def python_share(data, keys, threads: int, repeats: int) -> float:
    """The share of a reoffending_rates call spent outside the compiled grouper and kernel (the
    Python layer: finding columns, choosing the entry, building the result frame), median over
    repeats."""
    core = ym._core.reoffending
    names = ["group_key", "group_key_parts", "key_from_codes", "reorder_categories",
             "count_column", "aggregate_grouped"]
    shares = []
    for _ in range(repeats):
        with time_inside(core, names, [(core.PartialTable, "finalize")]) as inside:
            start = time.perf_counter()
            run_yosmodel(data, keys, threads)
            total = time.perf_counter() - start
        shares.append((total - inside[0]) / total)
    return float(np.median(shares))


def run_polars(pl, frame, keys):
    return (frame.group_by(keys)
            .agg(pl.len().alias("offenders"),
                 (pl.col("reoffences") > 0).sum().alias("reoffenders"),
                 pl.col("reoffences").cast(pl.Int64).sum().alias("reoffences"),
                 pl.col("previous_offences").cast(pl.Int64).sum().alias("previous"))
            .with_columns((pl.col("reoffenders") / pl.col("offenders")).alias("binary_rate"),
                          (pl.col("reoffences") / pl.col("offenders")).alias("frequency_rate"))
            .sort(keys))


def run_duckdb(con, keys):
    k = ", ".join(keys)
    return con.execute(f"""
        SELECT {k}, count(*) AS offenders, count_if(reoffences > 0) AS reoffenders,
               sum(reoffences::BIGINT) AS reoffences,
               count_if(reoffences > 0) / count(*) AS binary_rate,
               sum(reoffences::BIGINT) / count(*) AS frequency_rate,
               sum(previous_offences::BIGINT) / count(*) AS previous_offences_mean
        FROM cohort GROUP BY {k} ORDER BY {k}""").df()


def run_pandas(df: pd.DataFrame, keys):
    work = df[keys].assign(reoffended=df["reoffences"] > 0,
                           reoffences=df["reoffences"].astype(np.int64))
    return work.groupby(keys, observed=True, sort=True).agg(
        offenders=("reoffences", "size"), reoffenders=("reoffended", "sum"),
        reoffences=("reoffences", "sum")).reset_index()


def same_counts(ours: pd.DataFrame, theirs: pd.DataFrame, engine: str) -> None:
    for name in COUNTS:
        a = np.sort(np.asarray(ours[name], dtype=np.int64))
        b = np.sort(np.asarray(theirs[name], dtype=np.int64))
        if not np.array_equal(a, b) or int(ours[name].sum()) != int(theirs[name].sum()):
            raise AssertionError(f"{engine} disagrees with yosmodel on {name}")


def bandwidth_arrays(shape, data, cols, keys):
    """The bytes a yosmodel query reads: the categorical's codes and counts as they are, or
    int64 keys and counts for every other shape."""
    if shape.startswith("pandas categorical"):
        return [data[k].array.codes for k in keys] + [
            data[c].to_numpy() for c in ("reoffences", "previous_offences")]
    return [cols[k] for k in keys] + [cols["reoffences"], cols["previous_offences"]]


def bandwidth(arrays):
    # numpy summing those bytes, one thread (a memory-bandwidth floor).
    return sum(int(np.add.reduce(a.view(np.uint64))) for a in arrays)


def run(sizes: list[int], shapes: list[str]) -> None:
    import duckdb
    import polars as pl

    print(f"\nGrouped measures by input shape, median seconds (cores here: {os.cpu_count()}; "
          f"load average {os.getloadavg()[0]:.1f} at the start)")
    header = (f"{'rows':>11} {'shape':<30} {'keys':>4} {'ym 1t':>7} {'ym 2t':>7} "
              f"{'polars':>7} {'duckdb':>7} {'pandas':>7} {'bw':>7} {'vs best':>7} "
              f"{'vs bw':>6} {'MiB':>6} {'py %':>5}")
    print(header)
    print("-" * len(header))
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            cols = base_columns(n)
            repeats = 3 if n <= 10**7 else 1
            for shape in shapes:
                data, frame = make_shape(shape, cols, Path(tmp))
                con = duckdb.connect()
                con.execute("SET threads = 2")
                con.register("cohort", data if not isinstance(data, dict) else frame)
                os.environ.setdefault("POLARS_MAX_THREADS", "2")
                for n_keys, keys in KEYS.items():
                    t1, ours = median_seconds(lambda: run_yosmodel(data, keys, 1), repeats)
                    t2, ours = median_seconds(lambda: run_yosmodel(data, keys, 2), repeats)
                    t_pl, theirs = median_seconds(lambda: run_polars(pl, frame, keys), repeats)
                    same_counts(ours, theirs.to_pandas(), "polars")
                    t_db, theirs = median_seconds(lambda: run_duckdb(con, keys), repeats)
                    same_counts(ours, theirs, "duckdb")
                    t_pd = float("nan")
                    if n <= 10**7 and isinstance(data, pd.DataFrame):
                        t_pd, theirs = median_seconds(lambda: run_pandas(data, keys), 1)
                        same_counts(ours, theirs, "pandas")
                    arrays = bandwidth_arrays(shape, data, cols, keys)
                    t_bw, _ = median_seconds(lambda: bandwidth(arrays), repeats)
                    extra = peak_extra_bytes(lambda: run_yosmodel(data, keys, 2))
                    share = python_share(data, keys, 2, repeats)
                    best = min(t_pl, t_db)
                    print(f"{n:>11,} {shape:<30} {n_keys:>4} {t1:>7.3f} {t2:>7.3f} "
                          f"{t_pl:>7.3f} {t_db:>7.3f} {t_pd:>7.3f} {t_bw:>7.3f} "
                          f"{best / t2:>6.1f}x {t2 / t_bw:>5.1f}x "
                          f"{'n/a' if extra is None else f'{extra / 2**20:.0f}':>6} "
                          f"{100 * share:>5.1f}", flush=True)
                con.close()
                del data, frame, con
                gc.collect()
            del cols
            gc.collect()
    print("ym 1t/2t: reoffending_rates with 1 and 2 threads; polars and DuckDB with 2; bw: numpy "
          "summing the key and count bytes the query reads (int64, or the categorical's codes "
          "and counts), one thread; vs best: faster "
          "of polars and DuckDB over ym 2t; vs bw: ym 2t over bw; MiB: peak resident memory "
          "during the ym 2t call above that before it; py %: share of the ym 2t call spent "
          "outside the compiled grouper and kernel. Every engine's counts were checked "
          "equal to yosmodel's.")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", action="store_true", help="10^5 rows only")
    parser.add_argument("--sizes", type=lambda s: [int(float(x)) for x in s.split(",")],
                        default=[10**7, 10**8])
    parser.add_argument("--shapes", type=lambda s: s.split(";"), default=SHAPES)
    args = parser.parse_args(argv)
    run([10**5] if args.small else args.sizes, args.shapes)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
