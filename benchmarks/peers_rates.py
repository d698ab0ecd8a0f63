"""Grouped reoffending measures (binary rate, frequency rate, reoffences per reoffender, mean
previous offences) by 1, 2 and 3 keys: yosmodel against pandas, polars and DuckDB on identical
data, with a bandwidth row (numpy summing the same input bytes). Every engine's counts are
checked against yosmodel's before a time is reported."""

from __future__ import annotations

import os

import numpy as np
import pandas as pd
from timing import median_seconds, peak_extra_bytes

import yosmodel as ym

THREADS = 2
QUERIES = {1: ["yjs"], 2: ["yjs", "sex"], 3: ["yjs", "sex", "cohort"]}
COUNTS = ["offenders", "reoffenders", "reoffences"]


def run_yosmodel(df, keys):
    return ym.reoffending_rates(df, by=keys, previous_offences="previous_offences",
                                threads=THREADS)


def run_kernel(arrays, keys):
    partial, _ = ym._core.reoffending.aggregate(arrays["keys"][: len(keys)],
                                                arrays["reoffences"], arrays["previous"],
                                                threads=THREADS)
    return partial.finalize(0.95, "wilson")


def run_pandas(df, keys):
    work = df[keys].assign(reoffended=df["reoffences"] > 0,
                           reoffences=df["reoffences"].astype(np.int64),
                           previous_offences=df["previous_offences"].astype(np.int64))
    g = work.groupby(keys, observed=True, sort=True).agg(
        offenders=("reoffences", "size"), reoffenders=("reoffended", "sum"),
        reoffences=("reoffences", "sum"), previous=("previous_offences", "sum")).reset_index()
    g["binary_rate"] = g["reoffenders"] / g["offenders"]
    g["frequency_rate"] = g["reoffences"] / g["offenders"]
    g["reoffences_per_reoffender"] = g["reoffences"] / g["reoffenders"]
    g["previous_offences_mean"] = g["previous"] / g["offenders"]
    return g


def run_polars(pl, frame, keys):
    return (frame.group_by(keys)
            .agg(pl.len().alias("offenders"),
                 (pl.col("reoffences") > 0).sum().alias("reoffenders"),
                 pl.col("reoffences").cast(pl.Int64).sum().alias("reoffences"),
                 pl.col("previous_offences").cast(pl.Int64).sum().alias("previous"))
            .with_columns((pl.col("reoffenders") / pl.col("offenders")).alias("binary_rate"),
                          (pl.col("reoffences") / pl.col("offenders")).alias("frequency_rate"),
                          (pl.col("reoffences") / pl.col("reoffenders"))
                          .alias("reoffences_per_reoffender"),
                          (pl.col("previous") / pl.col("offenders"))
                          .alias("previous_offences_mean"))
            .sort(keys))


def run_duckdb(con, keys):
    k = ", ".join(keys)
    return con.execute(f"""
        SELECT {k}, count(*) AS offenders, count_if(reoffences > 0) AS reoffenders,
               sum(reoffences::BIGINT) AS reoffences,
               count_if(reoffences > 0) / count(*) AS binary_rate,
               sum(reoffences::BIGINT) / count(*) AS frequency_rate,
               sum(reoffences::BIGINT) / nullif(count_if(reoffences > 0), 0)
                   AS reoffences_per_reoffender,
               sum(previous_offences::BIGINT) / count(*) AS previous_offences_mean
        FROM cohort GROUP BY {k} ORDER BY {k}""").df()


def same_counts(reference: pd.DataFrame, other: pd.DataFrame, engine: str) -> None:
    for name in COUNTS:
        a = np.asarray(reference[name], dtype=np.int64)
        b = np.asarray(other[name], dtype=np.int64)
        if not np.array_equal(a, b):
            raise AssertionError(f"{engine} disagrees with yosmodel on {name}")


def bandwidth(arrays, n_keys):
    columns = [a for _, a, _ in arrays["keys"][:n_keys]] + [arrays["reoffences"][1],
                                                            arrays["previous"][1]]
    return sum(int(np.add.reduce(c.view(np.uint64))) for c in columns)


def run(small: bool = False) -> None:
    import duckdb
    import polars as pl

    sizes = [10**5, 10**6] if small else [10**6, 10**7, 10**8]
    if os.environ.get("YOSMODEL_BENCH_SIZES"):
        sizes = [int(float(s)) for s in os.environ["YOSMODEL_BENCH_SIZES"].split(",")]
    print(f"\nGrouped reoffending measures, {THREADS} threads, median seconds "
          f"(cores here: {os.cpu_count()})")
    header = (f"{'rows':>11} {'keys':>4} {'yosmodel':>9} {'kernel':>8} {'py ovh':>7} "
              f"{'pandas':>8} {'polars':>8} {'duckdb':>8} {'numpy bw':>9} "
              f"{'vs best peer':>12} {'vs bw':>6} {'extra MiB':>9}")
    print(header)
    print("-" * len(header))
    con = duckdb.connect()
    con.execute(f"SET threads = {THREADS}")
    pl.Config.set_streaming_chunk_size  # noqa: B018  (import check)
    os.environ.setdefault("POLARS_MAX_THREADS", str(THREADS))
    for n in sizes:
        df = ym.datasets.synthetic_cohort(n, seed=1)
        arrays = {"keys": [(k, df[k].array.codes, len(df[k].cat.categories))
                           for k in ["yjs", "sex", "cohort"]],
                  "reoffences": ("reoffences", df["reoffences"].to_numpy()),
                  "previous": ("previous_offences", df["previous_offences"].to_numpy())}
        frame = pl.from_pandas(df)
        con.register("cohort", df)
        repeats = 5 if n <= 10**6 else 3
        for n_keys, keys in QUERIES.items():
            t_ym, ours = median_seconds(lambda: run_yosmodel(df, keys), repeats)
            t_kernel, _ = median_seconds(lambda: run_kernel(arrays, keys), repeats)
            t_pd, theirs = median_seconds(lambda: run_pandas(df, keys), 1 if n >= 10**8 else repeats)
            same_counts(ours, theirs, "pandas")
            t_pl, theirs = median_seconds(lambda: run_polars(pl, frame, keys), repeats)
            same_counts(ours, theirs.to_pandas(), "polars")
            t_db, theirs = median_seconds(lambda: run_duckdb(con, keys), repeats)
            same_counts(ours, theirs, "duckdb")
            t_bw, _ = median_seconds(lambda: bandwidth(arrays, n_keys), repeats)
            extra = peak_extra_bytes(lambda: run_yosmodel(df, keys))
            best_peer = min(t_pl, t_db)
            print(f"{n:>11,} {n_keys:>4} {t_ym:>9.4f} {t_kernel:>8.4f} "
                  f"{100 * (t_ym / t_kernel - 1):>6.1f}% {t_pd:>8.3f} {t_pl:>8.3f} {t_db:>8.3f} "
                  f"{t_bw:>9.4f} {best_peer / t_ym:>11.1f}x {t_ym / t_bw:>5.2f}x "
                  f"{'n/a' if extra is None else f'{extra / 2**20:.1f}':>9}")
        con.unregister("cohort")
        del df, frame, arrays
    print("numpy bw: numpy summing the query's input bytes (keys, reoffences, previous offences), "
          "one thread; vs bw: yosmodel time / bandwidth time; vs best peer: faster of polars and "
          "DuckDB / yosmodel; py ovh: reoffending_rates over the bare kernel call; extra MiB: "
          "peak resident memory during the yosmodel call above that before it. Every engine's "
          "counts were checked equal to yosmodel's.")


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", action="store_true", help="10^5 and 10^6 rows only")
    run(small=parser.parse_args(argv).small)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
