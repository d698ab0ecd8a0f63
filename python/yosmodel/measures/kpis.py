"""The youth justice key performance indicators whose definitions are published (KPIs 1-5 of
April 2023, in their 2023 and 2025 wordings), computed from a person-level table of statuses at
the end of each child's order or programme. The definitions are data
(kpi_definitions.json), so a service can add KPIs 6-10 once their definitions are confirmed."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from importlib import resources
from typing import Any

import numpy as np
import pandas as pd

from .. import disclosure as _disclosure
from .._utils.set_aside import report
from ..errors import DtypeError, InputError
from ..stats import proportion_interval
from ._inputs import (
    MISSING_DAY,
    Table,
    blank_ids_missing,
    column_values,
    date_options,
    day_column,
    keys_of,
    period_of,
    timestamp,
)
from .first_time_entrants import check_key_present

STATUS_COLUMNS = ("person_id", "order_end")
COUNTS = ("denominator", "numerator")
DERIVED = {"proportion": list(COUNTS), "lower": list(COUNTS), "upper": list(COUNTS)}


def kpi_definitions(version: str = "2025") -> list[dict[str, Any]]:
    """The definitions of one wording ("2023" or "2025") as a list of dicts (a copy)."""
    data = json.loads(resources.files(__package__).joinpath("kpi_definitions.json").read_text(
        encoding="utf-8"))
    versions = data["versions"]
    if not isinstance(version, str):  # version=2025 was 'unknown KPI version '2025''
        raise DtypeError(f"version must be the wording's year as text: "
                         f"{', '.join(repr(v) for v in sorted(versions))}")
    if version not in versions:
        raise InputError(f"unknown KPI version '{version}'; use {', '.join(sorted(versions))}")
    return list(versions[version])


def _check_definitions(definitions: Sequence[Mapping[str, Any]]) -> None:
    if isinstance(definitions, (str, bytes, Mapping)) or not isinstance(definitions, Sequence):
        raise DtypeError("definitions must be a list of KPI definitions (dicts with 'kpi', "
                         "'name' and 'stages')")
    if not definitions:
        raise InputError("definitions must hold at least one KPI")
    for d in definitions:
        if not isinstance(d, Mapping):
            raise DtypeError("each KPI definition must be a dict with 'kpi', 'name' and "
                             "'stages'")
        for field in ("kpi", "name", "stages"):
            if field not in d:
                raise InputError(f"a KPI definition lacks '{field}'")
        if isinstance(d["kpi"], bool) or not isinstance(d["kpi"], (int, np.integer)):
            # int() failed on '6a' with its own message; a KPI is numbered.
            raise DtypeError("a KPI definition's 'kpi' must be its number (a whole number)")
        for stage in d["stages"]:
            if "numerator" not in stage or "stage" not in stage:
                raise InputError(f"KPI {d['kpi']}: every stage needs 'stage' and 'numerator'")


#: Truth values as case-management exports and spreadsheets write them (any case, spaces
#: around them ignored).
_TRUTH_WORDS = {"true": True, "false": False, "yes": True, "no": False, "y": True, "n": False,
                "t": True, "f": False, "1": True, "0": False}


def _flags(values: Any, name: str) -> tuple[np.ndarray, np.ndarray]:
    """A status column as (true, known) boolean arrays: booleans, 1/0 and the truth words
    ("Yes", "no", "TRUE", "y"); anything else is unknown."""
    series = values if isinstance(values, pd.Series) else pd.Series(values, copy=False)
    as_object = series.astype(object)
    present = series.notna().to_numpy()
    true = as_object.isin([True, 1, np.True_]).to_numpy() & present
    false = as_object.isin([False, 0, np.False_]).to_numpy() & present
    words = np.array([isinstance(v, str) for v in as_object.tolist()], dtype=bool)
    if words.any():
        read = as_object[words].map(lambda v: _TRUTH_WORDS.get(v.strip().lower()))
        true[words] = (read == True).to_numpy()  # noqa: E712 - None is neither
        false[words] = (read == False).to_numpy()  # noqa: E712
    return true, true | false


def kpis(statuses: Any, period_start: Any, period_end: Any = None, *,
         by: str | Sequence[str] | None = None, version: str = "2025",
         definitions: Sequence[Mapping[str, Any]] | None = None, level: float = 0.95,
         method: str = "wilson",
         disclosure: _disclosure.Disclosure | Mapping[str, Any] | None = _disclosure.DEFAULT,
         date_format: str | None = None, dayfirst: bool = False) -> pd.DataFrame:
    """KPIs 1-5 over the children whose order or programme ended in the period.

    Parameters
    ----------
    statuses : one row per order or programme: ``person_id``, ``order_end`` and the status
        columns the definitions name (booleans at the end of the order: accommodation_suitable,
        ete_suitable, send_identified, send_formal_plan, mental_health_need, ...), plus any
        grouping columns. A child with several orders ending in the period counts once, with
        the last to end [assumed].
    version : the wording, "2025" (status at the end of the order, the default) or "2023"
        (mental health and substance misuse as a funnel: need, offered, attending).
    definitions : your own list of definitions of the same shape (to add KPIs 6-10).
    level, method : the interval of each proportion (Wilson by default).
    disclosure : disclosure control (on by default, :data:`yosmodel.disclosure.DEFAULT`);
        ``None`` turns it off on purpose, and the table says so.
    date_format, dayfirst : how the order ends (and the period) are written when not ISO
        8601, as for :func:`build_cohort` (``dayfirst=True`` for dd/mm/yyyy).

    Returns
    -------
    pandas.DataFrame, one row per group, KPI and stage: the keys, ``kpi``, ``name``, ``stage``,
    ``denominator``, ``numerator``, ``proportion``, ``lower``, ``upper``. Children whose status
    is missing (or not a truth value: true/false, yes/no, 1/0) for a stage are left out of
    that stage and counted in ``attrs["diagnostics"]["status_unknown"]``; they, orders without
    a readable ``order_end`` and rows without a ``person_id`` are said in a
    :class:`yosmodel.RecordsSetAsideWarning`.
    """
    custom = definitions is not None
    if definitions is None:
        definitions = kpi_definitions(version)
    _check_definitions(definitions)
    table = Table(statuses)
    for name in STATUS_COLUMNS:
        table.require(name, "status")
    keys = keys_of(by)
    for key in keys:
        table.require(key, "grouping")
        # by='person_id' published a row per child labelled with the child's id: refused by
        # the rule every publishing path shares; order_end is what is counted.
        _disclosure.refuse_identifiers(key)
        if key in STATUS_COLUMNS:
            raise InputError(f"by cannot group on '{key}'; group on a column such as yjs or sex")
    needed = sorted({c for d in definitions for s in d["stages"]
                     for c in (s["numerator"], s.get("denominator")) if c})
    for name in needed:
        table.require(name, "status")
    dates_stated = date_options(date_format, dayfirst)
    start, end = period_of(period_start, period_end, dates_stated)
    table = blank_ids_missing(table)
    ends, bad_dates = day_column(column_values(table, "order_end"), "order_end", dates_stated)
    no_end = ends == MISSING_DAY
    in_period = (ends >= start) & (ends <= end)
    frame = pd.DataFrame({"person_id": pd.Series(column_values(table, "person_id")).to_numpy(),
                          "_end": ends})
    for key in keys:
        frame[key] = pd.Series(column_values(table, key)).to_numpy()
    flags = {name: _flags(column_values(table, name), name) for name in needed}
    for name, (true, known) in flags.items():
        frame[name] = true
        frame["_known_" + name] = known
    frame = frame[in_period]
    missing_person = int(frame["person_id"].isna().sum())
    frame = frame[frame["person_id"].notna()]
    repeats = len(frame) - frame["person_id"].nunique()
    frame = frame.sort_values("_end", kind="stable").drop_duplicates("person_id", keep="last")
    for key in keys:
        check_key_present(frame[key], key)

    pieces: list[tuple[Any, ...]] = []
    unknown: dict[str, int] = {}
    groups = frame.groupby(keys, observed=True, sort=True) if keys else [((), frame)]
    for group, part in groups:
        group = group if isinstance(group, tuple) else (group,)
        for d in definitions:
            for stage in d["stages"]:
                numerator, denominator = stage["numerator"], stage.get("denominator")
                everyone = np.ones(len(part), dtype=bool)
                base = everyone if denominator is None else \
                    part[denominator].to_numpy() & part["_known_" + denominator].to_numpy()
                known = part["_known_" + numerator].to_numpy()
                label = f"kpi {d['kpi']} {stage['stage']}"
                # Left out of the stage: the numerator's status unknown among the base, or
                # the denominator's own status unknown (KPI 3's send_identified was dropped
                # with nothing said). A denominator that is an earlier stage's numerator (the
                # 2023 funnel) has its unknowns counted at that stage, and is blank for
                # children it does not apply to (no need, so nothing offered).
                left_out = base & ~known
                earlier = {s["numerator"] for s in d["stages"]}
                if denominator is not None and denominator not in earlier:
                    left_out |= ~part["_known_" + denominator].to_numpy()
                unknown[label] = unknown.get(label, 0) + int(left_out.sum())
                base &= known
                pieces.append((*group, int(d["kpi"]), d["name"], stage["stage"],
                               int(base.sum()), int((base & part[numerator].to_numpy()).sum())))
    out = pd.DataFrame(pieces, columns=[*keys, "kpi", "name", "stage", *COUNTS])
    for name in COUNTS:
        out[name] = out[name].astype(np.int64)
    n, x = out["denominator"].to_numpy(), out["numerator"].to_numpy()
    out["proportion"] = np.where(n > 0, x / np.maximum(n, 1), np.nan)
    out["lower"], out["upper"] = proportion_interval(x, n, level=level, method=method)
    diagnostics = {"orders_outside_period": int((~in_period & ~no_end).sum()),
                   "missing_order_end": int(no_end.sum()),
                   "missing_person_id": missing_person, "repeat_orders_in_period": int(repeats),
                   "unparseable_order_end": bad_dates,
                   "status_unknown": {k: v for k, v in unknown.items() if v}}
    unknown_said = {k: v for k, v in unknown.items() if v}
    report({"statuses.missing_person_id": missing_person,
            "statuses.missing_order_end": int(no_end.sum()),
            "statuses.unparseable_order_end": bad_dates,
            "statuses.status_unknown": sum(unknown_said.values())},
           {"statuses": len(table)}, 1.0,
           {"statuses.status_unknown": "children left out of a stage whose status is not a "
                                       "truth value (true/false, yes/no, 1/0): "
                                       + ", ".join(f"{k} {v:,}" for k, v in unknown_said.items())},
           stacklevel=3)
    out = _disclosure.apply_default(out, [*keys, "kpi", "stage"], disclosure,
                                    counts=list(COUNTS), derived=DERIVED, nested=True)
    out.attrs.update({
        "diagnostics": diagnostics,
        "definition": {"period_start": timestamp(start), "period_end": timestamp(end),
                       "version": "custom" if custom else version,
                       "level": level, "method": method},
        "warnings": [("the YJB's June 2025 quality note calls the KPI data not yet fit for "
                     "decisions; treat differences with care")],
    })
    return out
