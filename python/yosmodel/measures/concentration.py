"""How concentrated a cohort's reoffending is: the share of reoffences committed by the most
prolific children, and the Lorenz curve of reoffences across children.

Both are made of individual children's counts, so both are publications under disclosure
control by default: a share that covers fewer children than the threshold (or leaves fewer
outside it) is withheld, the Lorenz curve is given only at points at least a threshold of
children apart, and the Gini coefficient and totals of fewer children than the threshold are
withheld. Over three reoffenders, the top 5% share times the total was one child's count."""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from .. import _core
from ..disclosure.suppression import DEFAULT, resolve
from ..errors import DtypeError, InputError
from ._inputs import Table

AMONG = ("reoffenders", "cohort")


def _counts(cohort: Any, reoffences: str, among: str) -> np.ndarray:
    if among not in AMONG:
        raise InputError(f"among must be one of {', '.join(AMONG)}")
    # A reoffended flag is not a count of reoffences: every reoffender would count one.
    values = Table(cohort).counts(reoffences, "reoffences", truth_values=False
                                  ).astype(np.float64)
    if np.isnan(values).any():
        raise InputError(f"column '{reoffences}': {int(np.isnan(values).sum())} row(s) are missing")
    if (values < 0).any() or (values != np.floor(values)).any():
        raise InputError(f"column '{reoffences}' must be whole numbers, zero or more")
    if (~np.isfinite(values) | (values >= 2.0**63)).any():
        # astype(int64) made them negative, and the child vanished from the reoffenders
        raise InputError(f"column '{reoffences}': a count is infinite or beyond 64-bit "
                         "integers; no one commits that many reoffences")
    counts = values.astype(np.int64)
    return np.ascontiguousarray(counts[counts > 0] if among == "reoffenders" else counts)


def _fractions(shares: Any) -> list[float]:
    """The shares as floats; a string (its letters) or truth values are refused."""
    plain = isinstance(shares, (list, tuple, np.ndarray, pd.Series, pd.Index))
    if not plain or not all(isinstance(s, (numbers.Real, np.number)) and not isinstance(
            s, (bool, np.bool_)) for s in shares):
        raise DtypeError("shares must be a list of fractions such as (0.05, 0.1, 0.2)")
    return [float(s) for s in shares]


def _record(policy: Any, withheld: int, rule: str) -> dict[str, Any]:
    if policy is None:
        return {"applied": False,
                "reason": "disclosure control was turned off explicitly (disclosure=None); "
                          "this result must not be published without another check"}
    return {"applied": True, "threshold": policy.threshold, "withheld": withheld, "rule": rule}


def reoffending_concentration(cohort: Any, shares: Sequence[float] = (0.05, 0.10, 0.20), *,
                              reoffences: str = "reoffences", among: str = "reoffenders",
                              disclosure: Any = DEFAULT) -> pd.DataFrame:
    """The share of all reoffences committed by the most prolific ``shares`` of children.

    ``among`` is "reoffenders" (the children with at least one reoffence, the default) or
    "cohort" (every child). A fraction that falls between children is interpolated linearly
    (so ties do not matter). Returns a DataFrame: ``share_of_children``, ``children`` (the
    fraction of the group, in children, possibly fractional), ``share_of_reoffences``;
    ``attrs``: ``gini``, ``children``, ``reoffences``, ``among``, ``disclosure``.

    ``disclosure`` (by default counts below 10 are withheld; ``None`` turns it off
    explicitly): a share covering fewer children than the threshold, or leaving fewer outside
    it, has its ``share_of_reoffences`` withheld (NaN), since with the total it gives those few
    children's reoffences; with fewer children in all than the threshold, the Gini coefficient
    and the totals are withheld too (None), and so is the ``children`` column (NaN), which with
    ``share_of_children`` would give the total.
    """
    policy = resolve(disclosure)
    counts = _counts(cohort, reoffences, among)
    fractions = _fractions(shares)
    result = _core.measures.concentration(counts, fractions)
    total = int(result["children"])
    children = np.array(fractions, dtype=np.float64) * total
    share = np.asarray(result["shares"], dtype=np.float64).copy()
    gini: float | None = result["gini"]
    reoffence_total: int | None = int(result["reoffences"])
    children_total: int | None = total
    withheld = 0
    if policy is not None:
        small = (children < policy.threshold) | (total - children < policy.threshold)
        share[small] = np.nan
        withheld = int(small.sum())
        if total < policy.threshold:
            gini = reoffence_total = children_total = None
            # Each row's children is its fraction of the total: with the fraction beside it,
            # it would give the total withheld above.
            children = np.full_like(children, np.nan)
    out = pd.DataFrame({"share_of_children": fractions, "children": children,
                        "share_of_reoffences": share})
    out.attrs = {"gini": gini, "children": children_total, "reoffences": reoffence_total,
                 "among": among, "disclosure": _record(
                     policy, withheld, "a share of fewer children than the threshold, or leaving "
                     "fewer outside it, is withheld; with fewer children in all, the Gini "
                     "coefficient and totals too")}
    return out


def lorenz_curve(cohort: Any, *, reoffences: str = "reoffences", among: str = "reoffenders",
                 disclosure: Any = DEFAULT) -> pd.DataFrame:
    """The Lorenz curve: after the least prolific children, their share of the children
    (``share_of_children``) and of the reoffences (``share_of_reoffences``); ``attrs["gini"]``
    and ``attrs["disclosure"]``.

    ``disclosure`` (by default counts below 10 are withheld; ``None`` turns it off explicitly):
    a point after every child gives each child's count (its step), so the curve is given at
    points at least a threshold of children apart (as many as fit, evenly spaced); with fewer
    children than the threshold there is no such point and ValueError is raised."""
    policy = resolve(disclosure)
    result = _core.measures.concentration(_counts(cohort, reoffences, among), [])
    x = np.asarray(result["lorenz_x"], dtype=np.float64)
    y = np.asarray(result["lorenz_y"], dtype=np.float64)
    total = len(x) - 1
    if policy is not None:
        segments = total // policy.threshold
        if segments == 0:
            raise InputError(f"the Lorenz curve of fewer than {policy.threshold} children "
                             "(the disclosure threshold) would give their counts: nothing can "
                             "be published (disclosure=None turns disclosure control off)")
        # Rounded evenly spaced boundaries: each step is floor or ceil of total / segments,
        # at least the threshold.
        at = np.rint(np.arange(segments + 1) * (total / segments)).astype(np.int64)
        x, y = x[at], y[at]
    out = pd.DataFrame({"share_of_children": x, "share_of_reoffences": y})
    out.attrs["gini"] = result["gini"]
    out.attrs["disclosure"] = _record(
        policy, 0 if policy is None else total + 1 - len(x),
        "points at least a threshold of children apart")
    return out
