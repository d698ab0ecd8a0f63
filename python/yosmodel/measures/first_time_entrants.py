"""First time entrants to the youth justice system: children aged 10-17 whose first substantive
outcome (youth caution, youth conditional caution, court sentence; reprimand and final warning
in older data) falls in the period, from the same disposal records the cohort builder reads.
Definitions and sources: docs/measures.md."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from .. import _core
from .._utils.options import age_range, flag, kind_names
from ..disclosure import refuse_identifiers
from ..errors import InputError
from ..reoffending.cohort import OTHER_KINDS, QUALIFYING
from ._inputs import (
    MISSING_DAY,
    Table,
    blank_ids_missing,
    column_values,
    date_options,
    day_column,
    days_of_scalar,
    dense_people,
    keys_in_order,
    keys_of,
    kind_classes,
    period_of,
    report_set_aside,
    take_rows,
    text_source,
    timestamp,
)
from .population import population_of, with_population_rates

#: The rules that set a disposal aside (the core's, then the Python layer's); an outcome after
#: the oldest age is out of scope, not set aside.
SET_ASIDE_RULES = ("missing_person_id", "missing_date", "unparseable_date",
                   "outcome_below_youngest_age", "missing_date_of_birth",
                   "unparseable_date_of_birth", "unknown_kind")

#: The kinds of disposal that make a first time entrant [source: Youth Justice Statistics, a
#: first youth caution or court sentence; older data: reprimands and final warnings]. The names
#: are the cohort builder's where it has them ("caution" is a youth caution, "court_conviction"
#: a non-custodial court sentence).
OUTCOME_KINDS = ("caution", "conditional_caution", "court_conviction", "custody_sentence",
                 "reprimand", "final_warning")
#: Kinds that may appear but never make an entrant (community resolutions and the like).
NON_SUBSTANTIVE_KINDS = tuple(dict.fromkeys(
    [k for k in (*QUALIFYING, *OTHER_KINDS) if k not in OUTCOME_KINDS]
    + ["penalty_notice", "cannabis_warning"]))
YOUTH_AGES = (10, 17)
DISPOSAL_COLUMNS = ("person_id", "date", "kind", "date_of_birth")

CASE_RECORDS_NOTE = ("counted from case-management records, which differ from the published "
                     "first time entrant figures (counted from the Police National Computer) in "
                     "coverage and recording")


def _ages(ages: Any) -> tuple[int, int]:
    """(youngest, oldest) as whole ages: 17.5 or True is no age (int() truncated them)."""
    return age_range(ages, "ages")


def first_time_entrants(disposals: Any, period_start: Any, period_end: Any = None, *,
                        population: pd.DataFrame | None = None,
                        by: str | Sequence[str] | None = None, history_start: Any = None,
                        outcome_kinds: Sequence[str] = OUTCOME_KINDS,
                        other_kinds: Sequence[str] = NON_SUBSTANTIVE_KINDS,
                        ages: tuple[int, int] = YOUTH_AGES, people: bool = False,
                        per: float = 100_000, level: float = 0.95,
                        population_year: int | None = None,
                        population_count: str = "count",
                        kinds: Mapping[str, str] | None = None,
                        date_format: str | None = None,
                        dayfirst: bool = False) -> pd.DataFrame:
    """First time entrants in a period, counted by any grouping, with a rate per 100,000.

    Parameters
    ----------
    disposals : table with ``person_id``, ``date``, ``kind``, ``date_of_birth`` and any other
        columns (youth justice service, sex, ethnicity, ...), as for :func:`build_cohort`.
        Grouping columns are read from each child's first outcome.
    period_start, period_end : dates (both inclusive). A whole number as period_start is that
        calendar year (the published statistics count by year ending December); period_end
        None means the twelve months from period_start.
    population : optional table of ``count`` per group (columns named as in ``by``), with
        optional ``year``, ``age`` or ``age_band`` and other columns (sex) that are summed over.
        Adds ``population``, ``rate_per_100k`` (per ``per``), ``rate_lower``, ``rate_upper``
        (exact Poisson limits at ``level``).
    by : grouping columns (None: one row).
    history_start : the first day from which the records hold every outcome (default: the
        earliest date of a record kept; records set aside, such as an outcome dated before
        the youngest age or of no known kind, do not move it). A child who was already 10
        before it may have had an earlier outcome the records do not hold: such children are
        counted, marked ``without_full_history``, and totalled in
        ``attrs["without_full_history"]``.
    outcome_kinds : the kinds that make an entrant (documented; reprimands and final warnings
        included for data before April 2013).
    other_kinds : kinds that may appear without counting; any kind in neither list (or
        missing) is counted in ``attrs["diagnostics"]["unknown_kind"]`` and said in a
        :class:`yosmodel.RecordsSetAsideWarning`, naming the words. Kinds match as in
        :func:`build_cohort`: in any case and spacing, through the alias table
        (:func:`yosmodel.disposal_kinds`: "Youth Caution", "Referral Order").
    kinds : a mapping of words in the kind column to kinds, for words the alias table does not
        know (``{"Final Warning": "final_warning"}``).
    Every rule that sets records aside (missing or unreadable dates, unknown kinds, ...) is
    said in a :class:`yosmodel.RecordsSetAsideWarning` naming the rule and the count.
    ages : (youngest, oldest) inclusive at the first outcome. Outcomes dated before the
        youngest age are recording errors: set aside (counted), so they hide nothing.
    people : return one row per child counted instead (``person_id``, ``first_outcome_date``,
        ``first_outcome_kind``, ``age_at_first_outcome``, ``without_full_history``, the
        grouping columns).
    population_year : the population year (default: the year the period ends in).
    date_format, dayfirst : how the records' dates (and the period) are written when not ISO
        8601, as for :func:`build_cohort` (``dayfirst=True`` for dd/mm/yyyy).

    Returns
    -------
    pandas.DataFrame sorted by the keys: the keys, ``first_time_entrants``,
    ``without_full_history`` (how many of them were counted without full history) and, with a
    population, ``population``, ``rate_per_100k``, ``rate_lower``, ``rate_upper``.
    ``attrs``: ``diagnostics`` (records and children set aside, per rule), ``definition``,
    ``without_full_history`` and ``warnings``.
    """
    table = Table(disposals)
    for name in DISPOSAL_COLUMNS:
        table.require(name, "disposal")
    keys = keys_of(by)
    for key in keys:
        table.require(key, "grouping")
        refuse_identifiers(key)  # a row per child, labelled with the child's id
        if key in DISPOSAL_COLUMNS[:3]:
            raise InputError(f"by cannot group on '{key}'; group on a column such as yjs or sex")
    outcome_kinds = kind_names(outcome_kinds, "outcome_kinds")  # a string is one kind
    other_given = other_kinds is not NON_SUBSTANTIVE_KINDS
    other_kinds = kind_names(other_kinds, "other_kinds")
    if not outcome_kinds:
        raise InputError("outcome_kinds must name at least one kind of disposal")
    low, high = _ages(ages)
    dates_stated = date_options(date_format, dayfirst)
    start, end = period_of(period_start, period_end, dates_stated)
    people = flag(people, "people")

    person, persons, labels = dense_people(column_values(blank_ids_missing(table),
                                                         "person_id"))
    dates, bad_dates = day_column(column_values(table, "date"), "date", dates_stated)
    born, bad_births = day_column(column_values(table, "date_of_birth"), "date_of_birth",
                                  dates_stated)
    kind_values = column_values(table, "kind")
    substantive, unknown, unknown_note, unknown_rows = kind_classes(
        kind_values, [(outcome_kinds, 1)], other_kinds, kinds, options=["outcome_kinds"],
        known=OUTCOME_KINDS + NON_SUBSTANTIVE_KINDS, other_given=other_given,
        ids=[text_source(table, "person_id")])
    # By default the core finds history_start among the records it keeps; a row of no known
    # kind is set aside, so its date (as an unreadable one) says nothing of the records' reach.
    given = None if history_start is None else days_of_scalar(history_start, "history_start",
                                                               dates_stated)
    result = _core.measures.first_time_entrants(
        person, np.where(unknown_rows, MISSING_DAY, dates), substantive, born, persons,
        period_start=start, period_end=end, history_start=given, youngest=low, oldest=high)
    history = int(result["history_start"])

    diagnostics = dict(result["diagnostics"])
    diagnostics["unknown_kind"] = unknown
    diagnostics["unparseable_date"] = bad_dates
    diagnostics["unparseable_date_of_birth"] = bad_births
    report_set_aside(diagnostics, SET_ASIDE_RULES, len(table), unknown_note)
    rows = result["row"]
    chosen = keys_in_order(take_rows(table, ["kind", *keys], rows), table, keys)
    children = pd.DataFrame({
        "person_id": pd.Index(labels).take(result["person"]).to_numpy(),
        "first_outcome_date": timestamp_array(result["date"]),
        "first_outcome_kind": chosen["kind"].astype(object).to_numpy(),
        "age_at_first_outcome": result["age"].astype(np.int64),
        "without_full_history": result["without_full_history"].astype(bool),
    })
    for key in keys:
        children[key] = chosen[key].to_numpy() if not isinstance(
            chosen[key].dtype, pd.CategoricalDtype) else chosen[key].array
        check_key_present(children[key], key)
    flagged = int(children["without_full_history"].sum())
    warnings = [CASE_RECORDS_NOTE]
    if history > start:
        warnings.append("history_start is after the start of the period: children whose "
                        "first outcome fell before the records begin are indistinguishable "
                        "from first time entrants")
    if flagged:
        warnings.append(f"{flagged} child(ren) were counted as first time entrants although "
                        "they were old enough for an earlier outcome before history_start")
    attrs: dict[str, Any] = {
        "diagnostics": diagnostics,
        "definition": {"period_start": timestamp(start), "period_end": timestamp(end),
                       "history_start": timestamp(history), "outcome_kinds": tuple(outcome_kinds),
                       "ages": (low, high)},
        "without_full_history": flagged,
        "warnings": warnings,
    }
    if people:
        out = children.sort_values("person_id", kind="stable").reset_index(drop=True)
        out.attrs = attrs
        return out

    counts = _count(children, keys)
    if population is not None:
        year = population_year if population_year is not None else timestamp(end).year
        denominators = population_of(population, keys, year=year, ages=(low, high),
                                     count=population_count)
        counts = with_population_rates(counts, keys, "first_time_entrants", denominators,
                                       per=per, level=level, rate_name="rate_per_100k",
                                       other_counts=["without_full_history"])
        attrs["warnings"] = warnings + counts.attrs.get("warnings", [])
        attrs["definition"]["population_year"] = year
        attrs["definition"]["per"] = per
    counts.attrs = attrs
    return counts


def check_key_present(values: pd.Series, name: str) -> None:
    missing = int(values.isna().sum())
    if missing:
        raise InputError(f"grouping column '{name}': {missing} counted row(s) have a missing "
                         "value; fill or drop them first (missing keys are never dropped "
                         "silently)")


def timestamp_array(days: np.ndarray) -> np.ndarray:
    return days.astype(np.int64).astype("datetime64[D]").astype("datetime64[ns]")


def _count(children: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Entrants (and those without full history) per group, sorted by the keys."""
    if not keys:
        return pd.DataFrame({"first_time_entrants": [len(children)],
                             "without_full_history": [int(children["without_full_history"].sum())]})
    grouped = children.groupby(keys, observed=True, sort=True, dropna=False)
    out = grouped.agg(first_time_entrants=("person_id", "size"),
                      without_full_history=("without_full_history", "sum")).reset_index()
    for name in ("first_time_entrants", "without_full_history"):
        out[name] = out[name].astype(np.int64)
    return out
