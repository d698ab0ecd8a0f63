"""A service against the comparators it names (statistical neighbours, region, England and
Wales) for any measure that is a proportion (binary reoffending rate, a KPI, the custody share)
or a rate per population (first time entrants, custody per 1,000): differences with intervals
and significance, its quartile among neighbours, and periods either side of the October 2015
change in how proven reoffending cohorts are defined."""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from .. import _core
from .._utils.options import flag, level_of
from ..disclosure.suppression import DECLARED_DERIVED
from ..errors import DtypeError, InputError, NotFoundError
from ..reoffending.cohort import DEFINITION_CHANGE
from ..stats import difference_interval, two_proportion_ztest
from ._inputs import (
    MISSING_DAY,
    date_options,
    day_column,
    days_of_scalar,
    pandas_frame,
    truth_columns,
)

KINDS = ("proportion", "rate")


def _service_rows(table: pd.DataFrame, area: str, events: str, base: str) -> pd.DataFrame:
    for name in (area, events, base):
        if name not in table.columns:
            raise NotFoundError(f"column '{name}' is not in the table")
    _check_services(table, area)
    truth_columns(table, [events, base], "events and base")
    for name in (events, base):
        values = pd.to_numeric(table[name], errors="coerce")
        if values.isna().any():
            raise InputError(f"column '{name}': {int(values.isna().sum())} row(s) are missing "
                             "(withheld cells cannot be pooled: compare before suppression)")
        if (values < 0).any():
            raise InputError(f"column '{name}' must be zero or more")
        if (~np.isfinite(values) | (values >= 2.0**63)).any():
            # cast to int64 they became negative: "must be whole numbers", "zero or more"
            raise InputError(f"column '{name}': a count is infinite or beyond 64-bit integers")
    return table.set_index(area)


def _check_services(table: pd.DataFrame, area: str) -> None:
    """One row per named service: a row without a name was pooled into "all", and a service
    given twice counted twice."""
    missing = int(table[area].isna().sum())
    if missing:
        raise InputError(f"column '{area}': {missing} row(s) name no service; fill or drop "
                         "them first")
    if table[area].duplicated().any():
        raise InputError(f"column '{area}' repeats {int(table[area].duplicated().sum())} "
                         "service(s); give one row per service (filter to one period first)")


def _listed(names: Any, label: str) -> list[Any]:
    """The services a comparator or neighbour list names: a string is one service (not its
    letters), and a service named twice is refused (its counts were pooled twice)."""
    members = [names] if isinstance(names, (str, bytes)) or not isinstance(
        names, Iterable) else list(names)
    if len(set(members)) != len(members):
        raise InputError(f"{label} names a service more than once")
    return members


def _members(names: Any, services: pd.Index, label: str) -> list[Any]:
    if isinstance(names, str) and names == "all":
        return list(services)
    members = _listed(names, f"comparator '{label}'")
    unknown = [m for m in members if m not in services]
    if unknown:
        raise NotFoundError(f"comparator '{label}' names {len(unknown)} service(s) not in the "
                            "table")
    if not members:
        raise InputError(f"comparator '{label}' names no services")
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
        raise InputError(f"kind must be one of {', '.join(KINDS)}")
    include_service = flag(include_service, "include_service")
    level = level_of(level)  # kind='rate' passed float(level) on: '0.9' was read
    if not isinstance(comparators, Mapping):
        raise DtypeError("comparators must be a dict of label -> the services it pools (a "
                         "list, or 'all')")
    rows = _service_rows(pandas_frame(table, "table"), area, events, base)
    if service not in rows.index:
        raise NotFoundError(f"the service is not in column '{area}'")
    if not comparators:
        raise InputError("name at least one comparator")
    x1, n1 = float(rows.at[service, events]), float(rows.at[service, base])
    records = []
    for label, names in comparators.items():
        members = [m for m in _members(names, rows.index, label)
                   if include_service or m != service]
        if not members:
            raise InputError(f"comparator '{label}' holds only the service itself")
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
            raise InputError("a proportion's counts must be whole numbers")
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
        if any((a != np.floor(a)).any() for a in (x1a, x2a)):
            # astype(int64) truncated them: 10.7 events were 10, and the ratio wrong
            raise InputError(f"column '{events}': a rate's events must be whole numbers")
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
    # For yosmodel.suppress: the rates come from their own counts and the comparison from
    # all four (a rate beside its published base gives a withheld count back).
    service_counts, comparator_counts = ("service_base", "service_events"), \
        ("comparator_base", "comparator_events")
    both = service_counts + comparator_counts
    out.attrs[DECLARED_DERIVED] = {
        "service_rate": service_counts, "comparator_rate": comparator_counts,
        **{name: both for name in ("difference", "difference_lower", "difference_upper", "z",
                                   "p_value", "rate_ratio", "ratio_lower", "ratio_upper",
                                   "significant") if name in out.columns}}
    return out


def quartile_among(table: pd.DataFrame, service: Any, neighbours: Sequence[Any], *,
                   area: str = "yjs", measure: str = "binary_rate",
                   lower_is_better: bool = True) -> dict[str, Any]:
    """The service's rank and quartile among itself and its neighbours on ``measure``.

    Quartile 1 is the best quarter [assumed: rank r of N from best (ties share the better rank),
    quartile = ceil(4 r / N)]. Returns ``rank``, ``of``, ``quartile``, ``value``."""
    lower_is_better = flag(lower_is_better, "lower_is_better")  # 'no' was truthy
    table = pandas_frame(table, "table")
    if measure not in table.columns or area not in table.columns:
        raise NotFoundError(f"the table needs '{area}' and '{measure}'")
    _check_services(table, area)  # a repeated service was ranked twice
    truth_columns(table, [measure], "the measure")
    rows = table.set_index(area)
    members = [service] + [n for n in _listed(neighbours, "neighbours") if n != service]
    if len(members) < 2:
        # Alone, the service was "rank 1 of 1, quartile 4".
        raise InputError("name at least one neighbour other than the service")
    missing = [m for m in members if m not in rows.index]
    if missing:
        raise NotFoundError(f"{len(missing)} of the services named are not in column '{area}'")
    values = pd.to_numeric(rows.loc[members, measure], errors="coerce")
    if values.isna().any():
        raise InputError(f"'{measure}' is missing for {int(values.isna().sum())} of the services")
    ranks = (values if lower_is_better else -values).rank(method="min")
    rank, of = int(ranks.iloc[0]), len(members)
    return {"rank": rank, "of": of, "quartile": int(np.ceil(4 * rank / of)),
            "value": float(values.iloc[0])}


def mark_definition_break(table: pd.DataFrame, period_start: str = "period_start", *,
                          date_format: str | None = None, dayfirst: bool = False
                          ) -> pd.DataFrame:
    """A copy of a trend table (one row per period, in order) with ``comparable_with_previous``:
    False at the first period starting on or after 1 October 2015, when proven reoffending
    moved from 12-month to 3-month cohorts. ``attrs["warnings"]`` says so when the series
    spans it. ``date_format`` and ``dayfirst`` say how period starts not written ISO 8601 are
    written (``dayfirst=True`` for dd/mm/yyyy)."""
    table = pandas_frame(table, "table")
    if period_start not in table.columns:
        raise NotFoundError(f"column '{period_start}' is not in the table")
    # The package's one date reader: pd.to_datetime read '01/10/2015' as 10 January, and
    # quoted a value it could not read.
    starts, unparseable = day_column(table[period_start], period_start,
                                     date_options(date_format, dayfirst))
    missing = int((starts == MISSING_DAY).sum())
    if missing:
        raise InputError(f"column '{period_start}': {missing} row(s) are missing or not dates"
                         f"{f' ({unparseable} not dates)' if unparseable else ''}")
    if (np.diff(starts) < 0).any():
        # The break is found between neighbouring rows: out of order, it was put elsewhere.
        raise InputError(f"the trend must be in order of '{period_start}'; sort it first")
    after = starts >= days_of_scalar(DEFINITION_CHANGE, "the definition change")
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
