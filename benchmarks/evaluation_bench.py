"""Timing of evaluate_intervention at the issue's target size: 10^4 participants against a pool
of 10^6 with 20 numeric covariates (target: fitting and matching in at most 5 s).

Prints a markdown table of median seconds over --repeats runs: the whole call, and the core's
propensity fit and matching alone; statsmodels' Logit on the same design is the peer for the fit
(run once, and its coefficients must agree with ours).

    PYTHONPATH=python:build/bench/python .venv/bin/python benchmarks/evaluation_bench.py
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time

import numpy as np
import pandas as pd

import yosmodel as ym
from yosmodel._core import evaluation as _core


def programme(participants: int, pool: int, covariates: int, seed: int = 0) -> pd.DataFrame:
    """SYNTHETIC: participants' covariates are shifted from the pool's, outcomes are random."""
    rng = np.random.default_rng(seed)
    n = participants + pool
    treated = np.zeros(n, dtype=bool)
    treated[rng.choice(n, participants, replace=False)] = True
    shift = 0.25 * (np.arange(covariates) % 5) / 4
    columns = {"treated": treated}
    for j in range(covariates):
        columns[f"x{j + 1:02d}"] = rng.normal(size=n) + np.where(treated, shift[j], 0.0)
    reoffended = rng.random(n) < 0.4
    columns["reoffended"] = reoffended.astype(np.uint8)
    columns["reoffences"] = np.where(reoffended, rng.geometric(1 / 3, n), 0)
    return pd.DataFrame(columns)


def median_time(fn, repeats: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=10_000)
    parser.add_argument("--pool", type=int, default=1_000_000)
    parser.add_argument("--covariates", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--no-statsmodels", action="store_true")
    args = parser.parse_args()

    data = programme(args.participants, args.pool, args.covariates)
    names = [c for c in data.columns if c.startswith("x")]
    design = np.ascontiguousarray(data[names].to_numpy(dtype=np.float64))
    flags = data["treated"].to_numpy().astype(np.uint8)

    rows = []
    whole, result = median_time(lambda: ym.evaluate_intervention(
        data, "treated", names, outcomes=["reoffended", "reoffences"]), args.repeats)
    rows.append(("evaluate_intervention (whole call)", whole))
    fit_time, fit = median_time(lambda: _core.fit_logistic(design, flags, names), args.repeats)
    rows.append((f"propensity fit alone ({fit.iterations} Newton steps)", fit_time))
    logits = fit.logits
    t, c = np.ascontiguousarray(logits[flags == 1]), np.ascontiguousarray(logits[flags == 0])
    width = 0.2 * _core.pooled_standard_deviation(t, c)
    match_time, _ = median_time(
        lambda: _core.match_nearest(t, c, caliper=width, replacement=True, seed=0), args.repeats)
    rows.append(("matching alone, with replacement", match_time))
    match_wo, _ = median_time(
        lambda: _core.match_nearest(t, c, caliper=width, replacement=False, seed=0), args.repeats)
    rows.append(("matching alone, without replacement", match_wo))
    peer = None
    if not args.no_statsmodels:
        import statsmodels.api as sm

        peer_time, peer = median_time(lambda: sm.Logit(
            flags.astype(float), sm.add_constant(design)).fit(method="newton", disp=0), 1)
        rows.append(("statsmodels Logit fit (peer, one run)", peer_time))

    print(f"# evaluate_intervention benchmark: {args.participants} participants, pool "
          f"{args.pool}, {args.covariates} covariates")
    print(f"# {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, yosmodel {ym.__version__}")
    print()
    print("| step | median seconds |")
    print("|---|---:|")
    for label, seconds in rows:
        print(f"| {label} | {seconds:.3f} |")
    print()
    print(f"matched {len(result.matched)} of {args.participants} participants; "
          f"fit + match = {fit_time + match_time:.3f} s (target: at most 5 s)")
    if peer is not None:
        diff = float(np.max(np.abs(fit.coefficients - peer.params)))
        print(f"max |coefficient difference| against statsmodels: {diff:.2e}")
        assert diff < 1e-6, "the propensity fit disagrees with statsmodels"
    assert fit_time + match_time <= 5.0 or os.environ.get("YOSMODEL_BENCH_NO_TARGET")


if __name__ == "__main__":
    main()
