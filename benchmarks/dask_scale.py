"""yosmodel.dask.reoffending_rates on a local dask.distributed cluster: seconds for each size,
partition count and number of worker processes, against the in-memory call on one machine and
against Dask's own groupby computing the same counts on the same cluster.

The cohort is made on the workers (each partition its own synthetic, seeded piece) and held in
their memory before timing, so a time covers counting, shipping the partials, merging and
finalising, not making or moving the rows. Every result (yosmodel on Dask, Dask's groupby) is
checked against the in-memory result of the same rows before its time is reported.

    PYTHONPATH=python:build/bench/python .venv/bin/python benchmarks/dask_scale.py
    ... benchmarks/dask_scale.py --small          # a quick check
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from timing import median_seconds  # noqa: E402

import yosmodel as ym  # noqa: E402

KEYS = ["yjs", "cohort"]


def _piece(spec: tuple[int, int]) -> pd.DataFrame:
    rows, seed = spec
    return ym.datasets.synthetic_cohort(rows, seed=seed)


def dask_groupby_counts(ddf):
    """The same counts with Dask's own groupby (sum and count per group), computed."""
    reoffences = ddf["reoffences"].astype("int64")
    work = ddf[KEYS].assign(reoffences=reoffences, reoffender=(reoffences > 0).astype("int64"))
    grouped = work.groupby(KEYS, observed=True).agg(
        {"reoffences": ["count", "sum"], "reoffender": "sum"}).compute()
    grouped.columns = ["offenders", "reoffences", "reoffenders"]
    return grouped.sort_index()


def run(sizes: list[int], partition_counts: list[int], worker_counts: list[int],
        repeats: int) -> None:
    import dask.dataframe as dd
    from distributed import Client, LocalCluster, wait

    import yosmodel.dask as ymd

    print(f"yosmodel {ym.__version__}, {platform.processor() or platform.machine()}, "
          f"{os.cpu_count()} cores; by {' x '.join(KEYS)}; median of {repeats}")
    print(f"{'rows':>12} {'partitions':>10} {'workers':>7} {'seconds':>8} {'rows/s':>12} "
          f"{'dask groupby':>12} {'in memory, 1 thread':>19}")
    for workers in worker_counts:
        with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                          dashboard_address=None) as cluster, Client(cluster):
            for rows in sizes:
                for partitions in partition_counts:
                    per_partition = -(-rows // partitions)
                    specs = [(min(per_partition, rows - i * per_partition), i)
                             for i in range(partitions)]
                    ddf = dd.from_map(_piece, specs).persist()
                    wait(ddf)
                    seconds, table = median_seconds(
                        lambda: ymd.reoffending_rates(ddf, by=KEYS), repeats)
                    whole = ddf.compute()
                    memory_seconds, expected = median_seconds(
                        lambda: ym.reoffending_rates(whole, by=KEYS, threads=1), repeats)
                    pd.testing.assert_frame_equal(table, expected, check_exact=True)
                    peer_seconds, peer = median_seconds(lambda: dask_groupby_counts(ddf), repeats)
                    mine = expected.set_index(KEYS)[["offenders", "reoffences", "reoffenders"]]
                    assert (peer.to_numpy() == mine.to_numpy()).all(), "dask groupby disagrees"
                    print(f"{rows:>12,} {partitions:>10} {workers:>7} {seconds:>8.3f} "
                          f"{rows / seconds:>12,.0f} {peer_seconds:>11.3f}s "
                          f"{memory_seconds:>18.3f}s", flush=True)
                    del ddf, whole


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--small", action="store_true", help="small sizes, for a quick check")
    args = parser.parse_args()
    if args.small:
        run([100_000], [4], [1, 2], repeats=1)
    else:
        run([1_000_000, 10_000_000, 30_000_000], [8, 32], [1, 2], repeats=3)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
