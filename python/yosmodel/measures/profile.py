"""A performance profile a management board can read: a service's four headline measures over
recent years beside its comparators, its KPIs, a funnel plot of reoffending across services and
a disproportionality table, every table through disclosure control; as an Excel workbook or a
self-contained HTML page."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .. import disclosure as _disclosure
from ..errors import DtypeError, InputError, NotFoundError
from ..reoffending import reoffending_rates
from ..reoffending.cohort import build_cohort_series, cohort_periods
from ..stats import proportion_interval
from ._inputs import pandas_frame
from .comparators import _members, mark_definition_break
from .custody import use_of_custody
from .disproportionality import relative_rate_index
from .first_time_entrants import first_time_entrants
from .kpis import kpis as _kpis
from .population import population_rate

HEADLINE_COUNTS = ["denominator", "numerator"]
HEADLINE_DERIVED = {"value": HEADLINE_COUNTS, "lower": HEADLINE_COUNTS, "upper": HEADLINE_COUNTS}


@dataclass
class Profile:
    """The tables of :func:`performance_profile` (already through disclosure control unless it
    was turned off) and the notes that go with them."""

    service: str
    headline: pd.DataFrame
    kpis: pd.DataFrame | None
    disproportionality: pd.DataFrame | None
    reoffending_by_service: pd.DataFrame
    notes: list[str] = field(default_factory=list)

    def tables(self) -> dict[str, pd.DataFrame]:
        out = {"headline measures": self.headline,
               "reoffending by service": self.reoffending_by_service}
        if self.kpis is not None:
            out["KPIs"] = self.kpis
        if self.disproportionality is not None:
            out["disproportionality"] = self.disproportionality
        return out

    def to_excel(self, path: str | Path) -> Path:
        from .workbook import to_excel

        return to_excel(self.tables(), path, title=f"Performance profile: {self.service}",
                        sources="; ".join(self.notes))

    def report(self, path: str | Path) -> Path:
        from .profile_report import write_report

        return write_report(self, Path(path))


def _with_cells_added(safe: pd.DataFrame, out: pd.DataFrame, record: Any,
                      added: list[tuple[Any, str, str]]) -> pd.DataFrame:
    """`out` with the disclosure record of `safe` extended by the cells (row, column, rule)
    withheld here, so that the audit names every withheld cell and counts it under its rule."""
    cells = list(record["cells"]) + [{"row": r, "column": c, "rule": u} for r, c, u in added]
    record = dict(record)
    record["cells"] = _disclosure.SuppressedCells([c["row"] for c in cells],
                                                  [c["column"] for c in cells],
                                                  [c["rule"] for c in cells])
    record["suppressed"] = {rule: sum(1 for c in cells if c["rule"] == rule)
                            for rule in record.get("suppressed", {})}
    out.attrs = {**safe.attrs, "disclosure": record}
    return out


def _protect_sums(safe: pd.DataFrame, key: str, sums: Sequence[Sequence[Any]],
                  counts: Sequence[str]) -> pd.DataFrame:
    """Withholds more cells of ``safe`` (a table through disclosure control, one row per value
    of ``key``) so that no withheld count is alone in a set of rows whose sum another table of
    the profile publishes: a service's cell in the reoffending table was the England and Wales
    figure of the headline less the other services' cells, a group's first time entrants the
    service's headline count less the other groups'. Sets that are differences of nested sets
    (England and Wales less the neighbours) are protected too. The table's disclosure record
    gains each cell, as secondary suppression (and derived measures with their counts)."""
    record = safe.attrs.get("disclosure", {})
    if not record.get("applied"):
        return safe
    position = {value: i for i, value in enumerate(safe[key].tolist())}
    sets = [frozenset(position[m] for m in members if m in position) for members in sums]
    sets += [a - b for a in sets for b in sets if b < a]
    # the smallest sets first: a cell withheld for one often protects the larger ones too
    sets = sorted((s for s in dict.fromkeys(sets) if len(s) > 1), key=len)
    out = safe.copy()
    out.attrs = safe.attrs
    added: list[tuple[Any, str, str]] = []
    labels = list(safe.index)
    changed = True
    while changed:
        changed = False
        for count in counts:
            column = out[count]
            for rows in sets:
                withheld = [r for r in rows if pd.isna(column.iloc[r])]
                if len(withheld) != 1:
                    continue
                candidates = sorted((float(column.iloc[r]), r) for r in rows if r not in withheld)
                row = candidates[0][1]
                out.iloc[row, out.columns.get_loc(count)] = pd.NA
                column = out[count]
                added.append((labels[row], count, "secondary"))
                changed = True
    if not added:
        return safe
    for name, inputs in record.get("derived", {}).items():
        hidden = out[list(inputs)].isna().any(axis=1).to_numpy() & out[name].notna().to_numpy()
        for hidden_row in np.flatnonzero(hidden):
            added.append((labels[int(hidden_row)], name, "derived"))
        out[name] = out[name].mask(hidden)
    return _with_cells_added(safe, out, record, added)


def _protect_differences(safe: pd.DataFrame, raw: pd.DataFrame,
                         pools: Mapping[str, Sequence[Any]]) -> pd.DataFrame:
    """A pool that holds another (England and Wales and the neighbours) publishes, by their
    difference, the counts of the services in one and not the other: where that difference is
    a small count, the smaller pool's row is withheld too (as secondary suppression)."""
    record = safe.attrs.get("disclosure", {})
    if not record.get("applied"):
        return safe
    threshold, zero_small = int(record["threshold"]), bool(record["zero_is_small"])
    members = {label: set(m) for label, m in pools.items()}
    nested = [(big, small) for big in members for small in members
              if big != small and members[small] < members[big]]
    if not nested:
        return safe
    out = safe.copy()
    added: list[tuple[Any, str, str]] = []
    key = raw[["area", "year", "measure"]].astype(str).agg("|".join, axis=1).tolist()
    row_of = {k: i for i, k in enumerate(key)}
    for big, small in nested:
        for i, k in enumerate(key):
            area, year, measure = k.split("|", 2)
            if area != str(big):
                continue
            j = row_of.get(f"{small}|{year}|{measure}")
            if j is None or out.iloc[j][HEADLINE_COUNTS].isna().all():
                continue
            diff = raw.iloc[i][HEADLINE_COUNTS].astype(float) - \
                raw.iloc[j][HEADLINE_COUNTS].astype(float)
            if ((diff < threshold) & ((diff > 0) | zero_small)).any():
                for column in [*HEADLINE_COUNTS, *HEADLINE_DERIVED]:
                    if pd.notna(out.iloc[j][column]):
                        out.iloc[j, out.columns.get_loc(column)] = pd.NA if column in \
                            HEADLINE_COUNTS else np.nan
                        added.append((safe.index[j], column, "secondary" if column in
                                      HEADLINE_COUNTS else "derived"))
    if not added:
        return safe
    return _with_cells_added(safe, out, record, added)


#: The columns of a relative rate index table computed from the reference group's counts.
REFERENCE_DERIVED = ("reference_rate", "relative_rate_index", "lower", "upper", "significant")


def _protect_reference(safe: pd.DataFrame, group: str, reference: Any) -> pd.DataFrame:
    """Where the reference group's count is withheld, withholds what every row computes from
    it: the reference rate in each row times the reference's published population gave the
    withheld count back exactly (and a group's rate over its index gives the reference rate)."""
    record = safe.attrs.get("disclosure", {})
    if not record.get("applied"):
        return safe
    is_reference = (safe[group] == reference).to_numpy()
    counts = list(record.get("counts", []))
    if not safe.loc[is_reference, counts].isna().any(axis=None):
        return safe
    out = safe.copy()
    added: list[tuple[Any, str, str]] = []
    for name in REFERENCE_DERIVED:
        if name not in out.columns:
            continue
        shown = out[name].notna().to_numpy()
        if out[name].dtype.kind == "b":
            out[name] = out[name].astype("float64")
        out[name] = out[name].mask(shown)
        added += [(safe.index[row], name, "derived") for row in np.flatnonzero(shown)]
    return _with_cells_added(safe, out, record, added) if added else safe


def _pooled(frame: pd.DataFrame, area: str, members: list[Any], columns: list[str],
            label: str, year: int) -> pd.Series:
    """The members' counts summed. A member without a population row has entrants but no
    population: summed over, its entrants counted and its children did not (England and
    Wales was 400 per 100,000, not 382, with one service's row missing), so it is refused."""
    rows = frame[frame[area].isin(members)][columns]
    missing = int(rows.isna().any(axis=1).sum())
    if missing:
        raise InputError(f"'{label}' in {year}: {missing} of its services have no row in the "
                         "population table, so their counts cannot be pooled with a "
                         "population; add their rows (the count of children aged 10-17)")
    return rows.sum()


def _headline_rows(label: str, year: int, fte: pd.Series, custody: pd.Series,
                   reoffending: pd.Series) -> list[dict[str, Any]]:
    return [
        {"area": label, "year": year, "measure": "first time entrants per 100,000",
         "numerator": fte["first_time_entrants"], "denominator": fte["population"]},
        {"area": label, "year": year, "measure": "custodial sentences per 1,000",
         "numerator": custody["custodial_sentences"], "denominator": custody["population"]},
        {"area": label, "year": year, "measure": "binary reoffending rate",
         "numerator": reoffending["reoffenders"], "denominator": reoffending["offenders"]},
        {"area": label, "year": year, "measure": "frequency of reoffending",
         "numerator": reoffending["reoffences"], "denominator": reoffending["offenders"]},
    ]


def _headline_values(table: pd.DataFrame) -> pd.DataFrame:
    x = table["numerator"].to_numpy(dtype=float)
    n = table["denominator"].to_numpy(dtype=float)
    value, lower, upper = (np.full(len(table), np.nan) for _ in range(3))
    for measure, per in (("first time entrants per 100,000", 100_000),
                         ("custodial sentences per 1,000", 1_000)):
        rows = (table["measure"] == measure).to_numpy() & (n > 0)
        if rows.any():
            r = population_rate(x[rows].astype(np.int64), n[rows], per=per)
            value[rows], lower[rows], upper[rows] = r.rate, r.lower, r.upper
    binary = (table["measure"] == "binary reoffending rate").to_numpy() & (n > 0)
    if binary.any():
        value[binary] = x[binary] / n[binary]
        lower[binary], upper[binary] = proportion_interval(x[binary].astype(np.int64),
                                                           n[binary].astype(np.int64))
    frequency = (table["measure"] == "frequency of reoffending").to_numpy() & (n > 0)
    value[frequency] = x[frequency] / n[frequency]
    out = table.copy()
    out["value"], out["lower"], out["upper"] = value, lower, upper
    return out


#: The years a profile can cover: those of the cohort's plausible dates.
YEARS = (1900, 2099)


def _calendar_years(years: Any) -> list[int]:
    """Whole calendar years of YEARS, in order: one year may be given alone; truth values,
    fractions, text and repeats are refused (int() made True year 1 and 2016.7 year 2016, a
    year given twice failed in disclosure control as 'rows repeat the key combination', and 0
    or 99999 was refused as a cohort period)."""
    items = [years] if isinstance(years, (int, np.integer)) and not isinstance(
        years, (bool, np.bool_)) else years
    if isinstance(items, (str, bytes)) or not isinstance(items, Iterable):
        raise DtypeError("years must be a list of calendar years such as [2016, 2017]")
    items = list(items)
    if any(isinstance(y, (bool, np.bool_)) or not isinstance(y, (int, np.integer))
           for y in items):
        raise DtypeError("years must be whole calendar years such as 2016")
    if not items:
        raise InputError("years must name at least one year")
    if any(not YEARS[0] <= y <= YEARS[1] for y in items):
        raise InputError(f"years must be whole calendar years from {YEARS[0]} to {YEARS[1]}, "
                         "e.g. [2016, 2017]")
    if len(set(items)) != len(items):
        raise InputError("years names a year more than once; name each year once")
    return sorted(int(y) for y in items)


def performance_profile(disposals: pd.DataFrame, offences: pd.DataFrame,
                        population: pd.DataFrame, service: Any,
                        comparators: Mapping[str, Any], *, years: Sequence[int],
                        statuses: pd.DataFrame | None = None, area: str = "yjs",
                        group: str | None = "ethnicity", reference: Any = "White",
                        records_end: Any = None,
                        disclosure: Any = _disclosure.DEFAULT) -> Profile:
    """The profile of ``service`` for calendar ``years``.

    Headline measures per year for the service and each comparator (counts pooled over the
    comparator's services, the service itself left out): first time entrants per 100,000,
    custodial sentences per 1,000, and the binary and frequency rates of the year's four
    3-month proven reoffending cohorts combined (as the published annual figures are). The KPIs
    of the last year (when ``statuses`` is given), the reoffending of every service in the last
    year (for the funnel plot) and the relative rate index of first time entry by ``group``
    within the service. Every table goes through ``disclosure`` (on by default).

    ``records_end`` (a date, default None) is the last date the offence records are complete
    to, as in :func:`yosmodel.build_cohort`: the reoffending of a year whose cohorts' waiting
    periods end after it is undercounted, and is said (a "follow-up incomplete" warning).
    """
    years = _calendar_years(years)
    disposals = pandas_frame(disposals, "disposals")  # polars failed on Series.dropna
    offences = pandas_frame(offences, "offences")
    population = pandas_frame(population, "population")
    _disclosure.refuse_identifiers(area, argument="area")  # each child a "service"
    if area not in disposals.columns:
        raise NotFoundError(f"the disposals have no '{area}' column (the service)")
    if statuses is not None:
        statuses = pandas_frame(statuses, "statuses")
        if area not in statuses.columns:  # was a bare KeyError naming the column only
            raise NotFoundError(f"the statuses have no '{area}' column (the service)")
    if not isinstance(comparators, Mapping):  # a list failed with "no attribute 'items'"
        raise DtypeError("comparators must be a dict of label -> the services it pools (a "
                         "list, or 'all')")
    services = pd.Index(pd.unique(disposals[area].dropna()))
    if service not in services:
        raise NotFoundError(f"the service is not in column '{area}' of the disposals")
    pools = {label: [m for m in _members(names, services, label) if m != service]
             for label, names in comparators.items()}
    for label, members in pools.items():
        if not members:  # it was published as a row of zeros over zero
            raise InputError(f"comparator '{label}' holds only the service itself")
    rows: list[dict[str, Any]] = []
    last_rates = None
    for year in years:
        fte = first_time_entrants(disposals, year, by=area, population=population)
        custody = use_of_custody(disposals, year, by=area, population=population)
        periods = cohort_periods(f"{year}-01-01", f"{year}-12-31", months=3)
        cohorts = build_cohort_series(disposals, offences, periods, records_end=records_end)
        rates = reoffending_rates(cohorts, by=area)
        last_rates = rates
        for label, members in [(str(service), [service]), *pools.items()]:
            rows += _headline_rows(
                label, year,
                _pooled(fte, area, members, ["first_time_entrants", "population"], label,
                        year),
                _pooled(custody, area, members, ["custodial_sentences", "population"], label,
                        year),
                _pooled(rates, area, members, ["offenders", "reoffenders", "reoffences"],
                        label, year))
    headline = _headline_values(pd.DataFrame(rows))
    for name in HEADLINE_COUNTS:
        headline[name] = headline[name].astype(np.int64)
    raw = headline.copy()
    headline = _disclosure.apply_default(headline, ["area", "year", "measure"], disclosure,
                                         counts=HEADLINE_COUNTS, derived=HEADLINE_DERIVED)
    headline = _protect_differences(headline, raw, pools)
    trend = mark_definition_break(pd.DataFrame({"period_start": pd.to_datetime(
        [f"{y}-01-01" for y in years])}))
    notes = [
        f"Performance profile of {service}, {years[0]}-{years[-1]}.",
        ("First time entrants and custody are counted by calendar year from case records, which "
        "differ from the published Police National Computer counts."),
        ("Annual reoffending combines the year's four 3-month cohorts, as the published annual "
        "figures do; comparators pool their services' counts and leave the service out."),
    ]
    if not trend["comparable_with_previous"].all():
        notes.append("The years span October 2015, when proven reoffending moved from 12-month "
                     "to 3-month cohorts: rates either side are not comparable.")
    kpi_table = None
    if statuses is not None:
        own = statuses[statuses[area] == service]
        kpi_table = _kpis(own, years[-1], disclosure=disclosure)
        notes.append("KPIs: YJB 2023 definitions in the 2025 wording; the June 2025 quality "
                     "note calls the data not yet fit for decisions.")
    dispro = None
    if group is not None and group in disposals.columns and group in population.columns:
        own_d = disposals[disposals[area] == service]
        own_p = population[population[area] == service]
        fte_by_group = first_time_entrants(own_d, years[-1], by=group, population=own_p)
        dispro = relative_rate_index(fte_by_group, group, reference,
                                     events="first_time_entrants", variance="poisson")
        dispro["population"] = dispro["population"].round().astype(np.int64)
        dispro = _disclosure.apply_default(
            dispro, [group], disclosure, counts=["population", "first_time_entrants"],
            derived={c: ["population", "first_time_entrants"] for c in
                     ("rate", "relative_rate_index", "lower", "upper", "significant")})
        # the groups add up to the service's own headline count and population
        dispro = _protect_sums(dispro, group, [list(dispro[group])],
                               ["population", "first_time_entrants"])
        dispro = _protect_reference(dispro, group, reference)
        if "significant" in dispro.columns:  # a truth value, withheld where its counts are
            dispro["significant"] = dispro["significant"].astype("boolean")
        notes.append(f"Disproportionality: relative rate index of first time entry by {group} "
                     f"against {reference} children (log method, Poisson variance).")
    by_service = _disclosure.apply_default(last_rates, area, disclosure) \
        if last_rates is not None else pd.DataFrame()
    if last_rates is not None:
        # the headline publishes each comparator's pooled counts, the service left out
        by_service = _protect_sums(by_service, area, [*pools.values(), list(services.drop(
            service))], ["offenders", "reoffenders", "reoffences"])
    return Profile(str(service), headline, kpi_table, dispro, by_service, notes)
