"""How concentrated a cohort's reoffending is: the share of reoffences committed by the most
prolific children, and the Lorenz curve of reoffences across children."""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from .. import _core
from ._inputs import Table

AMONG = ("reoffenders", "cohort")


def _counts(cohort: Any, reoffences: str, among: str) -> np.ndarray:
    if among not in AMONG:
        raise ValueError(f"among must be one of {', '.join(AMONG)}")
    # A reoffended flag is not a count of reoffences: every reoffender would count one.
    values = Table(cohort).counts(reoffences, "reoffences", truth_values=False
                                  ).astype(np.float64)
    if np.isnan(values).any():
        raise ValueError(f"column '{reoffences}': {int(np.isnan(values).sum())} row(s) are missing")
    if (values < 0).any() or (values != np.floor(values)).any():
        raise ValueError(f"column '{reoffences}' must be whole numbers, zero or more")
    if (~np.isfinite(values) | (values >= 2.0**63)).any():
        # astype(int64) made them negative, and the child vanished from the reoffenders
        raise ValueError(f"column '{reoffences}': a count is infinite or beyond 64-bit "
                         "integers; no one commits that many reoffences")
    counts = values.astype(np.int64)
    return np.ascontiguousarray(counts[counts > 0] if among == "reoffenders" else counts)


def _fractions(shares: Any) -> list[float]:
    """The shares as floats; a string (its letters) or truth values are refused."""
    plain = isinstance(shares, (list, tuple, np.ndarray, pd.Series, pd.Index))
    if not plain or not all(isinstance(s, (numbers.Real, np.number)) and not isinstance(
            s, (bool, np.bool_)) for s in shares):
        raise TypeError("shares must be a list of fractions such as (0.05, 0.1, 0.2)")
    return [float(s) for s in shares]


def reoffending_concentration(cohort: Any, shares: Sequence[float] = (0.05, 0.10, 0.20), *,
                              reoffences: str = "reoffences",
                              among: str = "reoffenders") -> pd.DataFrame:
    """The share of all reoffences committed by the most prolific ``shares`` of children.

    ``among`` is "reoffenders" (the children with at least one reoffence, the default) or
    "cohort" (every child). A fraction that falls between children is interpolated linearly
    (so ties do not matter). Returns a DataFrame: ``share_of_children``, ``children`` (the
    fraction of the group, in children, possibly fractional), ``share_of_reoffences``;
    ``attrs``: ``gini``, ``children``, ``reoffences``, ``among``.
    """
    counts = _counts(cohort, reoffences, among)
    fractions = _fractions(shares)
    result = _core.measures.concentration(counts, fractions)
    out = pd.DataFrame({"share_of_children": fractions,
                        "children": np.array(fractions) * result["children"],
                        "share_of_reoffences": result["shares"]})
    out.attrs = {"gini": result["gini"], "children": int(result["children"]),
                 "reoffences": int(result["reoffences"]), "among": among}
    return out


def lorenz_curve(cohort: Any, *, reoffences: str = "reoffences",
                 among: str = "reoffenders") -> pd.DataFrame:
    """The Lorenz curve: after the least prolific children, their share of the children
    (``share_of_children``) and of the reoffences (``share_of_reoffences``); ``attrs["gini"]``."""
    result = _core.measures.concentration(_counts(cohort, reoffences, among), [])
    out = pd.DataFrame({"share_of_children": result["lorenz_x"],
                        "share_of_reoffences": result["lorenz_y"]})
    out.attrs["gini"] = result["gini"]
    return out
