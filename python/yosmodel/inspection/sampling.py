"""Choosing the cases to inspect: a proportional stratified sample with minimum counts for
small groups (girls, high risk of harm, black and minority ethnic children), reproducible by
seed, and the margin of error a sample of that size gives for a theme score."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from statistics import NormalDist
from typing import Any

import numpy as np
import pandas as pd

from .._utils.options import level_of
from ..errors import DtypeError, InputError
from ..stats import proportion_interval


@dataclass(frozen=True)
class CaseSample:
    """The sampled cases (rows of the input, in input order), the allocation per stratum
    (population, proportional share, sampled) and the margin of error for a theme score."""

    cases: pd.DataFrame
    allocation: pd.DataFrame
    margin_of_error: float
    level: float


def _whole(value: Any) -> bool:
    """A whole number, and not a truth value (True is no count of cases)."""
    return isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))


def margin_of_error(n: int, level: float = 0.95) -> float:
    """Half the width of the Wilson interval for a score near 50% (the widest) from ``n``
    cases: the margin of error a theme score from a sample of ``n`` cases carries, treating
    each case as one answer (a case's answers to a theme's questions are not independent, so
    the case count, not the answer count, is the honest sample size). Ignores the finite
    population correction, so it errs on the wide side."""
    if not _whole(n) or n < 1:
        raise InputError("n must be a positive whole number of cases")
    if int(n) % 2 == 0:
        lower, upper = proportion_interval(int(n) // 2, int(n), level)
        return float((upper - lower) / 2)
    # An odd n has no count at exactly 50%: (n // 2) / n would understate the widest margin
    # (0.40 instead of 0.45 for one case). The Wilson half-width at a share of one half:
    z = NormalDist().inv_cdf(0.5 + level_of(level) / 2)
    cases = float(n)
    return z * math.sqrt(0.25 / cases + z * z / (4 * cases * cases)) / (1 + z * z / cases)


def _largest_remainder(sizes: np.ndarray, n: int) -> np.ndarray:
    # Hamilton's method: floor of each exact share, then one more to the largest remainders
    # (ties to the larger stratum, then the earlier one), never above a stratum's size. In
    # integers: share i is size_i * n / total, its floor (size_i * n) // total and its
    # remainder (size_i * n) % total, exact (in floats 4 * 2 / 6 - 1 < 1 / 3, and a tie was
    # settled by rounding error).
    total = int(sizes.sum())
    scaled = [int(size) * n for size in sizes]
    take = np.minimum(np.array([x // total for x in scaled], dtype=np.int64), sizes)
    order = sorted(range(len(sizes)), key=lambda i: (-(scaled[i] % total), -sizes[i], i))
    while take.sum() < n:
        for i in order:
            if take.sum() == n:
                break
            if take[i] < sizes[i]:
                take[i] += 1
    return take


def sample_cases(cases: pd.DataFrame, n: int, strata: Sequence[str] = (),
                 minimums: Mapping[str, Mapping[Any, int]] | None = None, seed: int = 0,
                 level: float = 0.95) -> CaseSample:
    """A proportional stratified sample of ``n`` cases.

    ``strata``: case attributes whose combinations are sampled in proportion to their size
    (largest-remainder rounding). ``minimums``: at least this many sampled cases in a group,
    e.g. ``{"sex": {"female": 6}, "risk_of_harm": {"high": 8}}``; when proportional allocation
    leaves a group short, cases of that group are swapped in for cases of the most
    over-represented strata that are not needed for another minimum. The same ``seed`` gives
    the same sample."""
    if not isinstance(cases, pd.DataFrame):
        raise DtypeError("cases must be a pandas DataFrame, one row per case")
    if not _whole(n) or n < 1:
        raise InputError("n must be a positive whole number of cases")
    if not _whole(seed) or seed < 0:
        raise DtypeError("seed must be a whole number, zero or more (the same seed gives the "
                         "same sample)")
    if "case_id" in cases.columns and cases["case_id"].duplicated().any():
        repeated = int(cases["case_id"].duplicated().sum())
        raise InputError(f"column 'case_id': {repeated} case id(s) appear more than once; a "
                         "case can be sampled only once")
    if n > len(cases):
        raise InputError(f"cannot sample {n} cases from {len(cases)}")
    strata = [strata] if isinstance(strata, str) else list(strata)
    if minimums is not None and not (isinstance(minimums, Mapping) and all(
            isinstance(v, Mapping) for v in minimums.values())):
        raise DtypeError("minimums must map an attribute to {group value: minimum count}, "
                         "e.g. {'sex': {'female': 6}}")
    minimums = {k: dict(v) for k, v in (minimums or {}).items()}
    for column in [*strata, *minimums]:
        if column not in cases.columns:
            raise InputError(f"the cases have no attribute '{column}'")
    for column in strata:
        missing = int(cases[column].isna().sum())
        if missing:
            raise InputError(f"stratum attribute '{column}' is missing in {missing} case(s)")
    needed_total = 0
    for column, groups in minimums.items():
        for value, minimum in groups.items():
            if not _whole(minimum) or minimum < 0:
                raise InputError("each minimum must be a whole number, zero or more")
            available = int((cases[column] == value).sum())
            if minimum > available:
                raise InputError(f"a minimum for '{column}' asks for {minimum} cases but the "
                                 f"group has {available}")
            needed_total += minimum
        if sum(groups.values()) > n:
            raise InputError(f"the minimums for '{column}' add up to more than n")

    rng = np.random.default_rng(seed)
    rows = len(cases)
    if strata:
        codes, uniques = pd.MultiIndex.from_frame(cases[strata]).factorize(sort=True)
    else:
        codes, uniques = np.zeros(rows, dtype=np.int64), [()]
    codes = np.asarray(codes)
    sizes = np.bincount(codes, minlength=len(uniques))
    take = _largest_remainder(sizes, int(n))
    shares = sizes * n / sizes.sum()
    order = rng.permutation(rows)  # one seeded draw order for every step below
    rank = np.empty(rows, dtype=np.int64)
    rank[order] = np.arange(rows)
    chosen = np.zeros(rows, dtype=bool)
    for s in range(len(uniques)):
        members = np.flatnonzero(codes == s)
        chosen[members[np.argsort(rank[members])][:take[s]]] = True

    group_masks = {(column, value): (cases[column] == value).to_numpy()
                   for column, groups in minimums.items() for value in groups}
    wanted = {key: minimums[key[0]][key[1]] for key in group_masks}

    def short() -> tuple[str, Any] | None:
        for key, mask in group_masks.items():
            if (chosen & mask).sum() < wanted[key]:
                return key
        return None

    while (key := short()) is not None:
        mask = group_masks[key]
        incoming = [i for i in order if mask[i] and not chosen[i]]
        counts = np.bincount(codes[chosen], minlength=len(uniques))
        over = counts - shares
        in_group = {k: int((chosen & m).sum()) for k, m in group_masks.items()}

        def removable(i: int, mask: np.ndarray = mask, in_group: dict = in_group) -> bool:
            # Not of the short group, and not needed to keep another group at its minimum.
            if mask[i]:
                return False
            return all(not m[i] or in_group[k] > wanted[k] for k, m in group_masks.items())

        candidates = [i for i in order if chosen[i] and removable(i)]
        if not incoming or not candidates:
            raise InputError("the minimums cannot all be met in a sample of this size")
        out = max(candidates, key=lambda i: (over[codes[i]], -rank[i]))
        chosen[out] = False
        chosen[incoming[0]] = True

    sampled = np.bincount(codes[chosen], minlength=len(uniques))
    if strata:
        allocation = pd.DataFrame(list(uniques), columns=strata)
    else:
        allocation = pd.DataFrame(index=[0])
    allocation["population"] = sizes
    allocation["proportional_share"] = shares
    allocation["sampled"] = sampled
    return CaseSample(cases=cases.loc[chosen].copy(), allocation=allocation,
                      margin_of_error=margin_of_error(int(n), level), level=level)
