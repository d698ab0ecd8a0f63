"""Use of custody: custodial sentences given to children of youth justice age in a period, per
1,000 of the 10-17 population [assumed: the current form], and as a share of all court
sentences (the older national indicator form) [source: the national indicator for the use of
custody]. Both are documented in docs/measures.md."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from .. import _core
from .._utils.options import kind_names
from ..disclosure import refuse_identifiers
from ..errors import InputError
from ..stats import proportion_interval
from ._inputs import (
    Table,
    blank_ids_missing,
    column_values,
    date_options,
    day_column,
    keys_in_order,
    keys_of,
    kind_classes,
    period_of,
    report_set_aside,
    take_rows,
    text_source,
    timestamp,
)
from .first_time_entrants import CASE_RECORDS_NOTE, YOUTH_AGES, _ages, check_key_present
from .population import population_of, with_population_rates

CUSTODY_KINDS = ("custody_sentence",)
#: Court sentences other than custody (the denominator of the share adds the custodial ones).
COURT_KINDS = ("court_conviction",)
OTHER_KINDS = ("caution", "conditional_caution", "custody_release", "remand",
               "community_resolution", "reprimand", "final_warning", "other")
_CUSTODY, _COURT = 2, 1
#: The rules that set a disposal aside; a child outside the ages is out of scope, not set aside.
SET_ASIDE_RULES = ("missing_person_id", "missing_date", "unparseable_date", "missing_date_of_birth",
                   "unparseable_date_of_birth", "unknown_kind")


def use_of_custody(disposals: Any, period_start: Any, period_end: Any = None, *,
                   population: pd.DataFrame | None = None,
                   by: str | Sequence[str] | None = None,
                   custody_kinds: Sequence[str] = CUSTODY_KINDS,
                   court_kinds: Sequence[str] = COURT_KINDS,
                   other_kinds: Sequence[str] = OTHER_KINDS,
                   ages: tuple[int, int] = YOUTH_AGES, per: float = 1_000, level: float = 0.95,
                   method: str = "wilson", population_year: int | None = None,
                   population_count: str = "count",
                   kinds: Mapping[str, str] | None = None,
                   date_format: str | None = None, dayfirst: bool = False) -> pd.DataFrame:
    """Custodial sentences in a period: per ``per`` (1,000) of the youth population and as a
    share of court sentences.

    A sentence is counted once per child, date and kind [assumed: several offences sentenced
    together on one day are one sentencing occasion], when the child was of ``ages`` at it.

    Returns a DataFrame sorted by the keys: ``custodial_sentences``, ``court_sentences``
    (custodial and non-custodial), ``custody_share`` with ``custody_share_lower`` /
    ``custody_share_upper`` (``method`` interval) and, with a population, ``population``,
    ``custody_per_1000`` (per ``per``), ``rate_lower``, ``rate_upper`` (exact Poisson).

    Kinds match as in :func:`build_cohort` (any case and spacing, the alias table of
    :func:`yosmodel.disposal_kinds`, and ``kinds``, a mapping of other words to kinds); a kind
    in none of ``custody_kinds``, ``court_kinds`` and ``other_kinds``, or missing, is counted
    in ``attrs["diagnostics"]["unknown_kind"]``. Every rule that sets records aside is said in
    a :class:`yosmodel.RecordsSetAsideWarning` naming the rule and the count.
    ``date_format`` and ``dayfirst`` say how dates not written ISO 8601 are written, as for
    :func:`build_cohort`.
    """
    table = Table(disposals)
    for name in ("person_id", "date", "kind", "date_of_birth"):
        table.require(name, "disposal")
    keys = keys_of(by)
    for key in keys:
        table.require(key, "grouping")
        # As first_time_entrants: by='person_id' would be a row per child (and failed inside
        # the counting with a TypeError); the date and kind are what is counted.
        refuse_identifiers(key)
        if key in ("date", "kind"):
            raise InputError(f"by cannot group on '{key}'; group on a column such as yjs or sex")
    custody_kinds = kind_names(custody_kinds, "custody_kinds")  # a string is one kind
    court_kinds = kind_names(court_kinds, "court_kinds")
    other_given = other_kinds is not OTHER_KINDS
    other_kinds = kind_names(other_kinds, "other_kinds")
    low, high = _ages(ages)
    dates_stated = date_options(date_format, dayfirst)
    start, end = period_of(period_start, period_end, dates_stated)
    dates, bad_dates = day_column(column_values(table, "date"), "date", dates_stated)
    born, bad_births = day_column(column_values(table, "date_of_birth"), "date_of_birth",
                                  dates_stated)
    classes, unknown, unknown_note, _ = kind_classes(
        column_values(table, "kind"), [(custody_kinds, _CUSTODY), (court_kinds, _COURT)],
        other_kinds, kinds, options=["custody_kinds", "court_kinds"],
        known=CUSTODY_KINDS + COURT_KINDS + OTHER_KINDS, other_given=other_given,
        ids=[text_source(table, "person_id")])
    result = _core.measures.outcomes_in_period(dates, classes, born, period_start=start,
                                               period_end=end, youngest=low, oldest=high)
    rows = result["row"]
    chosen = keys_in_order(take_rows(blank_ids_missing(table), ["person_id", *keys], rows),
                           table, keys)
    chosen["_date"] = dates[rows]
    chosen["_class"] = classes[rows]
    # A sentence of no one cannot be told from another on the same day (pandas would take two
    # children without an id for one): set aside and counted, as first time entrants do.
    no_id = chosen["person_id"].isna().to_numpy()
    chosen = chosen[~no_id]
    before = len(chosen)
    chosen = chosen.drop_duplicates(["person_id", "_date", "_class"])
    for key in keys:
        check_key_present(chosen[key], key)
    chosen["custodial_sentences"] = (chosen["_class"] == _CUSTODY).astype(np.int64)
    chosen["court_sentences"] = np.int64(1)
    if keys:
        counts = chosen.groupby(keys, observed=True, sort=True)[
            ["custodial_sentences", "court_sentences"]].sum().reset_index()
    else:
        counts = pd.DataFrame({"custodial_sentences": [int(chosen["custodial_sentences"].sum())],
                               "court_sentences": [len(chosen)]})
    diagnostics = dict(result["diagnostics"])
    diagnostics.update(unknown_kind=unknown, unparseable_date=bad_dates,
                       unparseable_date_of_birth=bad_births,
                       missing_person_id=int(no_id.sum()),
                       same_day_repeats=before - len(chosen))
    report_set_aside(diagnostics, SET_ASIDE_RULES, len(table), unknown_note)
    warnings = [CASE_RECORDS_NOTE]
    if population is not None:
        year = population_year if population_year is not None else timestamp(end).year
        denominators = population_of(population, keys, year=year, ages=(low, high),
                                     count=population_count)
        counts = with_population_rates(counts, keys, "custodial_sentences", denominators,
                                       per=per, level=level, rate_name="custody_per_1000",
                                       other_counts=["court_sentences"])
        warnings += counts.attrs.get("warnings", [])
    share = np.full(len(counts), np.nan)
    court = counts["court_sentences"].to_numpy()
    custodial = counts["custodial_sentences"].to_numpy()
    has_court = court > 0
    share[has_court] = custodial[has_court] / court[has_court]
    lower, upper = proportion_interval(custodial, court, level=level, method=method)
    position = counts.columns.get_loc("court_sentences") + 1
    counts.insert(position, "custody_share", share)
    counts.insert(position + 1, "custody_share_lower", lower)
    counts.insert(position + 2, "custody_share_upper", upper)
    counts.attrs = {
        "diagnostics": diagnostics,
        "definition": {"period_start": timestamp(start), "period_end": timestamp(end),
                       "custody_kinds": tuple(custody_kinds), "court_kinds": tuple(court_kinds),
                       "ages": (low, high), "per": per},
        "warnings": warnings,
    }
    return counts
