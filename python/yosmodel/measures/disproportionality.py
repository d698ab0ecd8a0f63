"""Disproportionality: the relative rate index of each group (ethnicity, or any other) against a
reference group, at each stage of the youth justice system, with log-method intervals."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .. import _core
from .._utils.options import level_of
from ..disclosure.suppression import DECLARED_COUNTS, DECLARED_DERIVED, DECLARED_REFERENCE
from ..errors import DtypeError, InputError, NotFoundError
from ._inputs import pandas_frame

#: How the log interval's variance is formed; the C++ enum is the list.
VARIANCES = tuple(_core.measures.RateVariance.__members__)


def relative_rate_index(table: pd.DataFrame, group: str, reference: Any, *,
                        events: str = "events", base: str = "population",
                        stage: str | None = None, level: float = 0.95,
                        variance: str = "proportion") -> pd.DataFrame:
    """The rate of each group over the reference group's rate, per stage.

    Parameters
    ----------
    table : one row per group (and stage): the ``group`` column, ``events`` (children reaching
        the stage: arrests, first time entrants, custodial sentences, reoffenders) and ``base``
        (the population, or the count at the stage before).
    reference : the value of ``group`` to compare against (often White children).
    stage : optional column of stages; each stage has its own reference row.
    variance : "proportion" (events are a subset of the base; Katz's log interval) or "poisson"
        (the base is a population estimate) [assumed: the log method].

    Returns
    -------
    pandas.DataFrame: [stage,] group, events, base, ``rate``, ``reference_rate``,
    ``relative_rate_index``, ``lower``, ``upper``, ``significant`` (the interval excludes 1).
    The index is NaN where the reference rate is 0, and has no interval where the group has
    no events.
    """
    if variance not in VARIANCES:
        raise InputError(f"variance must be one of {', '.join(VARIANCES)}")
    level = level_of(level)  # float(level) read the text '0.95'
    table = pandas_frame(table, "table")
    columns = [c for c in (stage, group, events, base) if c is not None]
    if len(set(columns)) != len(columns):
        # group='events' failed inside pandas ('DataFrame' object has no attribute 'dtype').
        raise InputError("group, stage, events and base must name different columns")
    for name in columns:
        if name not in table.columns:
            raise NotFoundError(f"column '{name}' is not in the table")
    frame = table[columns].copy()
    for name in [c for c in (stage, group) if c is not None]:
        missing = int(frame[name].isna().sum())
        if missing:
            raise InputError(f"column '{name}': {missing} row(s) have a missing value; fill or "
                             "drop them first")
    for name in (events, base):
        if pd.api.types.is_bool_dtype(frame[name]) or (frame[name].dtype == object and frame[
                name].map(lambda v: isinstance(v, (bool, np.bool_))).any()):
            # to_numeric reads True as 1: a flag is no count of children
            raise DtypeError(f"column '{name}' holds truth values (bool); it must be counts")
        values = pd.to_numeric(frame[name], errors="coerce")
        if values.isna().any():
            raise InputError(f"column '{name}': {int(values.isna().sum())} row(s) are missing "
                             "(withheld counts cannot be used: compute before suppression)")
        frame[name] = values
    e = frame[events].to_numpy()
    if (~np.isfinite(e.astype(float)) | (e >= 2.0**63)).any():
        # cast to int64 it became negative: the core said "events must be zero or more"
        raise InputError(f"column '{events}': a count is infinite or beyond 64-bit integers")
    if (e != np.floor(e)).any() or (e < 0).any():
        raise InputError(f"column '{events}' must be whole numbers, zero or more")
    stages = frame[stage] if stage is not None else pd.Series(0, index=frame.index)
    if pd.DataFrame({"s": stages, "g": frame[group]}).duplicated().any():
        raise InputError("the table repeats a group (within a stage); give one row per group")
    reference_rows = frame[frame[group] == reference]
    reference_stages = reference_rows[stage] if stage is not None else pd.Series(
        0, index=reference_rows.index)
    lookup = pd.DataFrame({"s": reference_stages.to_numpy(),
                           "re": reference_rows[events].to_numpy(),
                           "rb": reference_rows[base].to_numpy()})
    matched = pd.DataFrame({"s": stages.to_numpy()}).merge(lookup, on="s", how="left")
    if matched["re"].isna().any():
        missing = int(matched["re"].isna().sum())
        if reference_rows.empty:
            import difflib

            groups = [str(g) for g in pd.unique(frame[group])]
            folded = {g.casefold(): g for g in groups}
            close = difflib.get_close_matches(str(reference).casefold(), list(folded), n=1,
                                              cutoff=0.8)
            hint = f" (did you mean {folded[close[0]]!r}?)" if close else ""
            raise InputError(f"the reference group is not a value of column '{group}'{hint}; "
                             f"its groups are {', '.join(groups[:12])}")
        raise InputError(f"the reference group has no row in the stage of {missing} row(s); "
                         "give it a row in every stage")
    result = _core.measures.relative_rate_index(
        np.ascontiguousarray(e, dtype=np.int64),
        np.ascontiguousarray(frame[base].to_numpy(), dtype=np.float64),
        np.ascontiguousarray(matched["re"].to_numpy(), dtype=np.int64),
        np.ascontiguousarray(matched["rb"].to_numpy(), dtype=np.float64), float(level),
        getattr(_core.measures.RateVariance, variance))
    out = frame.reset_index(drop=True)
    out[events] = out[events].astype(np.int64)
    out["rate"] = result["rate"]
    out["reference_rate"] = result["reference_rate"]
    out["relative_rate_index"] = result["index"]
    out["lower"], out["upper"] = result["lower"], result["upper"]
    # The reference group against itself is 1 by construction: no interval, never significant.
    is_reference = (out[group] == reference).to_numpy()
    out.loc[is_reference, ["lower", "upper"]] = np.nan
    out["significant"] = ((out["lower"] > 1) | (out["upper"] < 1)) & ~is_reference
    out.attrs["definition"] = {"reference": reference, "variance": variance, "level": level}
    # For disclosure control (yosmodel.suppress reads these): a group's rate and index come
    # from its own counts, and every row's reference rate, index and limits from its
    # reference row's, so a withheld reference count is not given back by rate x population.
    own = ("rate", "relative_rate_index", "lower", "upper", "significant")
    out.attrs[DECLARED_DERIVED] = {name: (base, events) for name in own}
    out.attrs[DECLARED_COUNTS] = [base, events]  # its counts, the base first (nested in it)
    # Positions, which are the output's labels (the caller's index may repeat labels).
    positions = np.flatnonzero((frame[group] == reference).to_numpy())
    reference_label = dict(zip(np.asarray(stages)[positions].tolist(), positions.tolist()))
    out.attrs[DECLARED_REFERENCE] = {
        "columns": ["reference_rate", "relative_rate_index", "lower", "upper", "significant"],
        "rows": {row: reference_label[s] for row, s in enumerate(np.asarray(stages).tolist())}}
    return out
