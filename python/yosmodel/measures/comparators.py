"""A service against the comparators it names (statistical neighbours, region, England and
Wales) for any measure that is a proportion (binary reoffending rate, a KPI, the custody share)
or a rate per population (first time entrants, custody per 1,000): differences with intervals
and significance, its quartile among neighbours, and periods either side of the October 2015
change in how proven reoffending cohorts are defined."""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from .. import _core
from .._utils.options import flag
from ..reoffending.cohort import DEFINITION_CHANGE
from ..stats import difference_interval, two_proportion_ztest

KINDS = ("proportion", "rate")


def _service_rows(table: pd.DataFrame, area: str, events: str, base: str) -> pd.DataFrame:
    for name in (area, events, base):
        if name not in table.columns:
            raise KeyError(f"column '{name}' is not in the table")
    if table[area].duplicated().any():
        raise ValueError(f"column '{area}' repeats {int(table[area].duplicated().sum())} "
                         "service(s); give one row per service (filter to one period first)")
    for name in (events, base):
        values = pd.to_numeric(table[name], errors="coerce")
        if values.isna().any():
            raise ValueError(f"column '{name}': {int(values.isna().sum())} row(s) are missing "
                             "(withheld cells cannot be pooled: compare before suppression)")
        if (values < 0).any():
            raise ValueError(f"column '{name}' must be zero or more")
    return table.set_index(area)


def _members(names: Any, services: pd.Index, label: str) -> list[Any]:
    if isinstance(names, str) and names == "all":
        return list(services)
    members = [names] if isinstance(names, str) else list(names)
    unknown = [m for m in members if m not in services]
    if unknown:
        raise KeyError(f"comparator '{label}' names {len(unknown)} service(s) not in the table")
    if not members:
        raise ValueError(f"comparator '{label}' names no services")
    return members


def compare_with_comparators(table: pd.DataFrame, service: Any,
                             comparators: Mapping[str, Any], *, area: str = "yjs",
                             events: str = "reoffenders", base: str = "offenders",
                             kind: str = "proportion", level: float = 0.95,
                             include_service: bool = False) -> pd.DataFrame:
    """One service against each named comparator.

    Parameters
    ----------
    table : one row per service: ``area`` and the counts ``events`` over ``base`` (reoffenders
        over offenders; first_time_entrants over population; ...). Unsuppressed counts.
    service : the service (a value of ``area``).
    comparators : label -> the services it pools (a list, or "all" for every row: England and
        Wales). Counts are pooled, never rates averaged.
    kind : "proportion" (events are a subset of base: difference with Newcombe's interval and
        the pooled z-test) or "rate" (events per population: the ratio of rates with a log
        interval, Poisson variance).
    include_service : pool the service into its comparators too. Off by default so the two
        groups compared are independent, as the interval and test assume [assumed].

    Returns
    -------
    pandas.DataFrame, one row per comparator: ``comparator``, ``services`` (how many pooled),
    the service's and the comparator's counts and rate, and for proportions ``difference``,
    ``difference_lower``, ``difference_upper``, ``z``, ``p_value``; for rates ``rate_ratio``,
    ``ratio_lower``, ``ratio_upper``; and ``significant`` (the interval excludes no difference).
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}")
    include_service = flag(include_service, "include_service")
    rows = _service_rows(table, area, events, base)
    if service not in rows.index:
        raise KeyError(f"the service is not in column '{area}'")
    if not comparators:
        raise ValueError("name at least one comparator")
    x1, n1 = float(rows.at[service, events]), float(rows.at[service, base])
    records = []
    for label, names in comparators.items():
        members = [m for m in _members(names, rows.index, label)
                   if include_service or m != service]
        if not members:
            raise ValueError(f"comparator '{label}' holds only the service itself")
        x2 = float(rows.loc[members, events].sum())
        n2 = float(rows.loc[members, base].sum())
        records.append({"comparator": label, "services": len(members), "service_events": x1,
                        "service_base": n1, "comparator_events": x2, "comparator_base": n2})
    out = pd.DataFrame(records)
    x1a, n1a = out["service_events"].to_numpy(), out["service_base"].to_numpy()
    x2a, n2a = out["comparator_events"].to_numpy(), out["comparator_base"].to_numpy()
    with np.errstate(invalid="ignore", divide="ignore"):
        out["service_rate"] = np.where(n1a > 0, x1a / n1a, np.nan)
        out["comparator_rate"] = np.where(n2a > 0, x2a / n2a, np.nan)
    if kind == "proportion":
        ints = [a.astype(np.int64) for a in (x1a, n1a, x2a, n2a)]
        if any((a != b).any() for a, b in zip(ints, (x1a, n1a, x2a, n2a))):
            raise ValueError("a proportion's counts must be whole numbers")
        out["difference"] = out["service_rate"] - out["comparator_rate"]
        a, b, c, d = ints
        out["difference_lower"], out["difference_upper"] = difference_interval(a, b, c, d,
                                                                               level=level)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", RuntimeWarning)
            out["z"], out["p_value"] = two_proportion_ztest(a, b, c, d)
        if caught:
            out.attrs["warnings"] = [str(w.message) for w in caught]
        out["significant"] = (out["difference_lower"] > 0) | (out["difference_upper"] < 0)
    else:
        result = _core.measures.relative_rate_index(
            x1a.astype(np.int64), n1a, x2a.astype(np.int64), n2a, float(level),
            _core.measures.RateVariance.poisson)
        out["rate_ratio"] = result["index"]
        out["ratio_lower"], out["ratio_upper"] = result["lower"], result["upper"]
        out["significant"] = (out["ratio_lower"] > 1) | (out["ratio_upper"] < 1)
    for name in ("service_events", "service_base", "comparator_events", "comparator_base"):
        if (out[name] == np.floor(out[name])).all():
            out[name] = out[name].astype(np.int64)
    out.attrs.setdefault("warnings", [])
    out.attrs["definition"] = {"service": str(service), "kind": kind, "level": level,
                               "include_service": include_service}
    return out


def quartile_among(table: pd.DataFrame, service: Any, neighbours: Sequence[Any], *,
                   area: str = "yjs", measure: str = "binary_rate",
                   lower_is_better: bool = True) -> dict[str, Any]:
    """The service's rank and quartile among itself and its neighbours on ``measure``.

    Quartile 1 is the best quarter [assumed: rank r of N from best (ties share the better rank),
    quartile = ceil(4 r / N)]. Returns ``rank``, ``of``, ``quartile``, ``value``."""
    if measure not in table.columns or area not in table.columns:
        raise KeyError(f"the table needs '{area}' and '{measure}'")
    rows = table.set_index(area)
    members = [service] + [n for n in neighbours if n != service]
    missing = [m for m in members if m not in rows.index]
    if missing:
        raise KeyError(f"{len(missing)} of the services named are not in column '{area}'")
    values = pd.to_numeric(rows.loc[members, measure], errors="coerce")
    if values.isna().any():
        raise ValueError(f"'{measure}' is missing for {int(values.isna().sum())} of the services")
    ranks = (values if lower_is_better else -values).rank(method="min")
    rank, of = int(ranks.iloc[0]), len(members)
    return {"rank": rank, "of": of, "quartile": int(np.ceil(4 * rank / of)),
            "value": float(values.iloc[0])}


def mark_definition_break(table: pd.DataFrame, period_start: str = "period_start"
                          ) -> pd.DataFrame:
    """A copy of a trend table (one row per period, in order) with ``comparable_with_previous``:
    False at the first period starting on or after 1 October 2015, when proven reoffending
    moved from 12-month to 3-month cohorts. ``attrs["warnings"]`` says so when the series
    spans it."""
    if period_start not in table.columns:
        raise KeyError(f"column '{period_start}' is not in the table")
    starts = pd.to_datetime(table[period_start])
    after = (starts >= pd.Timestamp(DEFINITION_CHANGE)).to_numpy()
    comparable = np.ones(len(table), dtype=bool)
    crossing = np.flatnonzero(after[1:] & ~after[:-1]) + 1
    comparable[crossing] = False
    out = table.copy()
    out["comparable_with_previous"] = comparable
    out.attrs["warnings"] = list(table.attrs.get("warnings", []))
    if len(crossing):
        out.attrs["warnings"].append("the series spans October 2015, when the proven reoffending "
                                     "cohort changed from 12-month to 3-month periods; rates "
                                     "either side are not comparable")
    return out
