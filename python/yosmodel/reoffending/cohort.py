"""Proven reoffending cohorts built from disposal and offence records (Ministry of Justice
definition; the library's own choices are parameters, see docs/cohort.md)."""

from __future__ import annotations

import datetime as dt
import warnings
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from .._core import reoffending as _reoffending
from .._utils import options as _options
from .._utils.columns import Table
from .._utils.dates import DateOptions, day_to_timestamp, days_to_dates, read_date, read_dates
from .._utils.events import (
    column_values,
    counts_flags,
    event_dates,
    person_id_tables,
    person_ids,
    row_identity,
    take_rows,
    text_source,
)
from .._utils.inputs import as_table
from .._utils.kinds import (
    KINDS,
    OTHER_KINDS,
    QUALIFYING,
    Lookup,
    describe_unknown,
    kind_codes,
    normal,
)
from .._utils.set_aside import DEFAULT_MAX_SET_ASIDE, check_max_set_aside, report, warn
from ..errors import DtypeError, InputError

# QUALIFYING and OTHER_KINDS (imported above), the defaults of qualifying= and other_kinds=,
# are the core's kinds (DisposalKind) and its published rule of which qualify; any kind outside
# both is unknown.
PLAUSIBLE_DATES = ("1900-01-01", "2099-12-31")
#: The first 3-month cohort the Ministry of Justice published (October 2017 publication):
#: 12-month cohorts before it, 3-month cohorts from it.
DEFINITION_CHANGE = "2015-10-01"

#: How the warning about people whose waiting period ends after records_end begins (a filter
#: can turn it into an error: warnings.filterwarnings("error", FOLLOW_UP_INCOMPLETE)).
FOLLOW_UP_INCOMPLETE = "follow-up incomplete"

DISPOSAL_COLUMNS = ("person_id", "date", "kind")
#: The columns of the cohort besides person_id and those carried from the disposals.
COHORT_COLUMNS = ("index_date", "index_kind", "age_at_index", "juvenile", "follow_up_end",
                  "waiting_end", "reoffences", "reoffended", "days_to_first_reoffence",
                  "previous_offences")
OFFENCE_COLUMNS = ("person_id", "offence_date", "proven_date", "counts")

#: Diagnostics that mean a record was set aside (strict=True raises on any); the others inform.
#: The rules and which of them set a record aside are the core's (bound with the diagnostics).
def _with_unparseable(rules: tuple[str, ...], after: dict[str, str]) -> tuple[str, ...]:
    """The core's set-aside rules with the Python layer's own (dates it could not read)."""
    return tuple(r for rule in rules for r in ((rule, after[rule]) if rule in after else (rule,)))


PROBLEMS = {
    "disposals": _with_unparseable(_reoffending.DisposalDiagnostics.set_aside,
                                   {"missing_date": "unparseable_date"}),
    "offences": _with_unparseable(_reoffending.OffenceDiagnostics.set_aside,
                                  {"missing_offence_date": "unparseable_offence_date",
                                   "missing_proven_date": "unparseable_proven_date"}),
}


def _day(value: Any, name: str) -> int:
    return read_date(value, name)


def _period_months(start: int, end: int) -> int | None:
    """The whole number of calendar months [start, end] covers, if it is one."""
    for months in range(1, 121):
        if int(_reoffending.add_months(np.array([start], dtype=np.int64), months)[0]) - 1 == end:
            return months
    return None


def _period_warnings(start: int, end: int) -> list[str]:
    change = _day(DEFINITION_CHANGE, "change")
    months = _period_months(start, end)
    warnings = []
    if start < change <= end:
        warnings.append("the cohort period spans 1 October 2015, when the Ministry of Justice "
                        "moved from 12-month to 3-month cohorts; rates either side are not "
                        "comparable")
    if months not in (3, 12):
        warnings.append("the cohort period is not a whole 3-month or 12-month period; published "
                        "proven reoffending cohorts are one or the other")
    elif months == 3 and end < change:
        warnings.append("a 3-month cohort before October 2015: the published figures for that "
                        "time are 12-month cohorts, which hold fewer prolific offenders; the "
                        "rates are not comparable")
    elif months == 12 and start >= change:
        warnings.append("a 12-month cohort after October 2015: published figures since are "
                        "built from 3-month cohorts (annual figures combine four of them), which "
                        "hold more prolific offenders; a 12-month cohort's rate is not "
                        "comparable with them")
    return warnings


def _check_columns(table: Table, required: Sequence[str], role: str) -> None:
    for name in required:
        table.require(name, role)


def _refuse_repeats(kinds: Sequence[str], option: str) -> None:
    """A kind an option names twice (in any case and spacing, as kinds match) is refused
    naming it: in a list of precedence, which place was meant is a guess."""
    seen: set[str] = set()
    for kind in kinds:
        if normal(kind) in seen:
            raise InputError(f"{option} names {kind!r} more than once; name each kind once")
        seen.add(normal(kind))


def _require_kinds(qualifying: Iterable[str], other_kinds: Iterable[str]) -> list[str]:
    # The default other_kinds are the core's kinds that do not qualify by default: a widened
    # qualifying (remand) overlaps them by design. Only other_kinds the caller gave are checked.
    other_given = other_kinds is not OTHER_KINDS
    qualifying = _options.kind_names(qualifying, "qualifying")
    other_kinds = _options.kind_names(other_kinds, "other_kinds")
    if not qualifying:
        raise InputError("qualifying must name at least one disposal kind")
    _refuse_repeats(qualifying, "qualifying")
    if other_given:
        qualifies = {normal(k) for k in qualifying}
        for kind in other_kinds:
            if normal(kind) in qualifies:
                raise InputError(f"{kind!r} is in both qualifying and other_kinds, which say "
                                 "that it does and does not qualify; list it in one of them")
    # The core's own kinds are always known words: one left out of a narrower qualifying (a
    # caution, with qualifying=["remand"]) does not qualify; it is not a data error.
    return qualifying + [k for k in dict.fromkeys((*other_kinds, *KINDS)) if k not in qualifying]


def _index_ties(index_ties: Sequence[str] | None, vocabulary: Sequence[str]) -> list[str] | None:
    """The index_ties option, checked before any work: each a known kind, named once."""
    if index_ties is None:
        return None
    ties = _options.kind_names(index_ties, "index_ties")
    known = {normal(k) for k in vocabulary}
    unknown = [t for t in ties if normal(t) not in known]
    if unknown:
        raise InputError(f"index_ties names {unknown[0]!r}, which is not a kind; the kinds are "
                         f"{', '.join(vocabulary)}")
    _refuse_repeats(ties, "index_ties")
    return ties


def check_listed_kinds_occur(listed: Sequence[str], option: str, vocabulary: Sequence[str],
                             codes: np.ndarray, unknown: Mapping[str, int]) -> None:
    """A kind an option lists that is none of the core's kinds and in no row of the kind
    column is a typo ('cautoin'): every row of the kind it meant would silently not count.
    Refused naming it, with the closest kind or word of the data."""
    from .._utils.kinds import suggest

    core = {normal(k) for k in KINDS}
    others = [word for word in listed if normal(word) not in core]
    if not others or not len(codes):
        return  # the usual call: counting every row's kind would cost a pass over the table
    present = np.bincount(codes[codes >= 0], minlength=len(vocabulary))
    for word in others:
        if present[list(vocabulary).index(word)] == 0:
            candidates = list(KINDS) + list(unknown)
            raise InputError(f"{option} names {word!r}, which is not a kind and is in no row of "
                             f"the kind column{suggest(word, candidates)}; the kinds are "
                             f"{', '.join(KINDS)}")


def read_records_end(value: Any, period_end: int, dates: DateOptions) -> int | None:
    """records_end as a day number (None stays None); refused when it is no date or lies
    before the period's end (the cohort's own disposals would be past the records' end)."""
    if value is None:
        return None
    if isinstance(value, (bool, np.bool_)) or not isinstance(
            value, (str, dt.date, np.datetime64, int, np.integer)):
        raise DtypeError("records_end must be a date, Timestamp or ISO 8601 string (the last "
                         "date the offence records are complete to), or None")
    day = read_date(value, "records_end", dates)
    if day < period_end:
        raise InputError(f"records_end ({_iso(day)}) is before period_end ({_iso(period_end)}): "
                         "the records end before the cohort period does; give the date the "
                         "offence records are complete to, on or after period_end")
    return day


def _iso(day: int) -> str:
    return f"{day_to_timestamp(day):%Y-%m-%d}"


def _waiting_end(days: np.ndarray, follow_up_months: int, waiting_months: int) -> np.ndarray:
    """waiting_end of index dates, as the core computes it (two steps of calendar months)."""
    follow_up_end = _reoffending.add_months(np.asarray(days, dtype=np.int64), follow_up_months)
    return np.asarray(_reoffending.add_months(np.asarray(follow_up_end, dtype=np.int64),
                                              waiting_months), dtype=np.int64)


def latest_complete_period_end(records_end: int, follow_up_months: int,
                               waiting_months: int) -> int:
    """The latest index date, and so period_end, whose waiting period ends on or before
    records_end (waiting_end never decreases as the index date moves later)."""
    low = records_end - 31 * (follow_up_months + waiting_months + 1)  # waiting_end <= records_end
    high = records_end  # waiting_end >= index date
    while low < high:  # the largest day whose waiting_end is on or before records_end
        middle = (low + high + 1) // 2
        if int(_waiting_end(np.array([middle]), follow_up_months, waiting_months)[0]) \
                <= records_end:
            low = middle
        else:
            high = middle - 1
    return low


def follow_up_incomplete(waiting_end: np.ndarray, records_end: int, period_end: int,
                         follow_up_months: int, waiting_months: int) -> str | None:
    """What to say when some people's waiting period ends after records_end (counts and dates
    of the definition only: no person's id or row), or None when every one is complete."""
    waiting_end = np.asarray(waiting_end)
    if waiting_end.dtype.kind == "M":
        waiting_end = waiting_end.astype("datetime64[D]").astype(np.int64)
    late = int(np.count_nonzero(waiting_end.astype(np.int64) > records_end))
    return None if not late else incomplete_message(
        late, records_end, period_end, follow_up_months, waiting_months)


def unreadable_notes(diagnostics: dict[str, dict[str, int]]) -> dict[str, str]:
    """A date that could not be read reaches the core as a missing date, so the missing-date
    count includes it: say so, or the two lines read as two sets of records."""
    notes = {}
    for table, missing, unreadable in (("disposals", "missing_date", "unparseable_date"),
                                       ("offences", "missing_offence_date",
                                        "unparseable_offence_date"),
                                       ("offences", "missing_proven_date",
                                        "unparseable_proven_date")):
        if diagnostics.get(table, {}).get(unreadable):
            notes[f"{table}.{unreadable}"] = f"counted in {missing} too"
    return notes


def rules_broken(problems: dict[str, int], notes: dict[str, str]) -> InputError:
    """The refusal of strict=True: every rule that set records aside, and how many."""
    return InputError("records break the cohort rules (strict=True): " + ", ".join(
        f"{name}: {n} row{'s' if n != 1 else ''}" + (f" ({notes[name]})" if name in notes
                                                     else "")
        for name, n in problems.items() if n))


def incomplete_message(late: int, records_end: int, period_end: int, follow_up_months: int,
                       waiting_months: int) -> str:
    """The warning for ``late`` people whose waiting period ends after records_end."""
    latest = latest_complete_period_end(records_end, follow_up_months, waiting_months)
    needed = int(_waiting_end(np.array([period_end]), follow_up_months, waiting_months)[0])
    people = f"{late:,} {'person' if late == 1 else 'people'}"
    return (f"{FOLLOW_UP_INCOMPLETE}: {people} in the cohort {'has' if late == 1 else 'have'} a "
            f"waiting period ending after records_end ({_iso(records_end)}), so offences proven "
            "after it are missing and their reoffending is undercounted; with records complete "
            f"to {_iso(records_end)} a cohort is complete when its period_end is "
            f"{_iso(latest)} or earlier; this period needs records complete to "
            f"{_iso(needed)}")


def _months(value: Any, name: str, lowest: int = 0) -> int:
    return _options.months(value, name, lowest)


def build_cohort(disposals: Any, offences: Any, period_start: Any, period_end: Any, *,
                 follow_up_months: int = 12, waiting_months: int = 6,
                 qualifying: Sequence[str] = QUALIFYING,
                 other_kinds: Sequence[str] = OTHER_KINDS,
                 plausible_dates: tuple[Any, Any] = PLAUSIBLE_DATES,
                 juvenile_ages: tuple[int, int] = (10, 17),
                 strict: bool = False, threads: int | None = None,
                 date_format: str | None = None, dayfirst: bool = False,
                 kinds: Mapping[str, str] | None = None,
                 max_set_aside: float = DEFAULT_MAX_SET_ASIDE,
                 index_ties: Sequence[str] | None = None,
                 records_end: Any = None) -> pd.DataFrame:
    """The proven reoffending cohort of a period: one row per person.

    Parameters
    ----------
    disposals : a table: pandas or polars DataFrame or LazyFrame, pyarrow Table or
        RecordBatchReader, DuckDB relation, dict of arrays (pandas Series in it paired by index
        label, as pandas pairs them; Series whose labels differ refused), or a CSV or Parquet
        path (header names read without spaces around them)
        ``person_id``, ``date``, ``kind`` and any other columns (youth justice service, sex,
        date_of_birth, ...), which are carried to each person's row from their index disposal.
    offences : table of the same kinds
        ``person_id``, ``offence_date``, ``proven_date`` (conviction or caution) and optionally
        ``counts`` (False for offences that do not count, such as breaches). Other columns
        (an offence id, an offence code) only tell genuinely different offences apart when
        looking for exact duplicate rows.
    period_start, period_end : date, Timestamp or string
        The cohort period, both ends inclusive, read like the records' dates.
    follow_up_months, waiting_months : int
        follow_up_end = index date + follow_up_months calendar months; waiting_end =
        follow_up_end + waiting_months. A day that does not exist in the target month (29
        February, the 31st) becomes that month's last day.
    qualifying : kinds that put a person in the cohort (their first one in the period is the
        index disposal; a tie on the date is settled by ``index_ties``).
    other_kinds : kinds that may appear but do not qualify; any other kind is counted as unknown
        (the core's kinds, :func:`yosmodel.disposal_kinds`, are always known: one left out of
        ``qualifying`` simply does not qualify). A string names one kind, in both options; a
        kind named twice in ``qualifying``, or given in both, is refused.
        Kinds match in any case and spacing, and through the alias table of the words
        case-management systems use (:func:`yosmodel.disposal_kinds`).
    plausible_dates : (earliest, latest); dates outside are set aside as implausible.
    juvenile_ages : the ages (inclusive) that make a juvenile at the index date.
    strict : raise ValueError instead of setting bad records aside.
    threads : worker threads (default: every core); the result does not depend on it.
    date_format : a strptime layout for dates not written ISO 8601 (``"%d/%m/%Y"``,
        ``"%Y%m%d"`` for yyyymmdd numbers); ISO dates are read as well, and so, with or without
        a layout, are year-first dates with slashes or dots (2016/03/01, 2016.3.1).
    dayfirst : read dd/mm/yyyy (and dd-mm-yyyy, dd.mm.yyyy, 5 Jan 2016) as well as ISO 8601.
        Without either, dates in any other layout are refused (01/10/2013 would be a guess).
    kinds : a mapping of words in the kind column to kind codes, for words the alias table
        does not know (``{"Final Warning": "caution"}``); matched in any case and spacing.
    max_set_aside : the largest share of a table one rule may set aside (default 1%); above
        it the call fails. Below it, a :class:`yosmodel.RecordsSetAsideWarning` names each
        rule that set records aside and how many.
    index_ties : the tie rule [assumed] for qualifying disposals of one person on the index
        date: None (the default) takes the earlier row of the disposal table; a list of kinds
        in order of precedence (``["custody_release", "court_conviction", "caution"]``) takes
        the first listed kind, kinds not listed after the listed ones, then the earlier row
        (a kind listed twice, or a word that is no kind, is refused).
        It sets ``index_kind`` and the carried columns; the index date, and so every count,
        is the same either way.
    records_end : date, Timestamp or string, optional
        The last date the offence records are complete to (the extract's date), read like
        period_start. A person whose ``waiting_end`` is after it has offences still to be proven
        that the records cannot hold: their reoffending is undercounted. Those people are
        counted and said in a ``UserWarning`` (and in ``attrs["warnings"]``) with the latest
        period_end these records complete; the cohort is still built. A records_end before
        period_end is refused. ``strict=True`` does not refuse incomplete follow-up (it is
        about records that break the rules); to refuse it, turn the warning into an error
        (``warnings.filterwarnings("error", "follow-up incomplete")``). None (the default)
        checks nothing: the records are taken to be complete (see docs/cohort.md).

    Returns
    -------
    pandas.DataFrame
        One row per person, sorted by person_id: ``person_id, index_date, index_kind``, the
        carried columns, ``age_at_index`` and ``juvenile`` (when date_of_birth is carried),
        ``follow_up_end, waiting_end, reoffences, reoffended, days_to_first_reoffence`` (<NA>
        when none), ``previous_offences`` (counting offences proven before the index date).
        ``attrs["diagnostics"]`` counts the records set aside per rule (no identifiers);
        ``attrs["definition"]`` records the parameters and ``attrs["warnings"]`` anything that
        limits comparison with published figures.
    """
    dates = DateOptions(date_format, dayfirst)
    if not isinstance(strict, (bool, np.bool_)):
        raise DtypeError("strict must be True or False")
    max_set_aside = check_max_set_aside(max_set_aside)
    qualifying = _options.kind_names(qualifying, "qualifying")
    vocabulary = _require_kinds(qualifying, other_kinds)
    ties = _index_ties(index_ties, vocabulary)
    lookup = Lookup(vocabulary, kinds)
    # No offence can be committed after the index date and on or before it: a follow-up of no
    # months gives every cohort a rate of 0, a wrong answer, not an edge case. (A waiting
    # period of none is a real choice: offences proven within the follow-up only.)
    follow_up_months = _months(follow_up_months, "follow_up_months", lowest=1)
    waiting_months = _months(waiting_months, "waiting_months")
    core_threads = _options.threads(threads)
    start = read_date(period_start, "period_start", dates)
    end = read_date(period_end, "period_end", dates)
    records_end_day = read_records_end(records_end, end, dates)
    plausible_dates = _options.pair(plausible_dates, "plausible_dates",
                                    "('1900-01-01', '2099-12-31')")
    juvenile_ages = _options.age_range(juvenile_ages, "juvenile_ages")
    earliest = read_date(plausible_dates[0], "the earliest plausible date", dates)
    latest = read_date(plausible_dates[1], "the latest plausible date", dates)
    d_table = Table(as_table(disposals, "disposals"))
    o_table = Table(as_table(offences, "offences"))
    _check_columns(d_table, DISPOSAL_COLUMNS, "disposal")
    _check_columns(o_table, OFFENCE_COLUMNS[:3], "offence")
    clashing = [c for c in d_table.names if c in COHORT_COLUMNS and c not in DISPOSAL_COLUMNS]
    if clashing:
        # Carried to the cohort, such a column replaced the computed one or was replaced by
        # it: an old 'index_date' came out as each person's index date, silently.
        raise InputError(f"disposal column '{clashing[0]}' has the name of a column the cohort "
                         f"computes ({', '.join(COHORT_COLUMNS)}); rename or drop it")

    id_tables = person_id_tables(d_table, o_table)
    d_date = event_dates(d_table, "date", dates)
    o_date = event_dates(o_table, "offence_date", dates)
    p_date = event_dates(o_table, "proven_date", dates)
    kind = kind_codes(text_source(d_table, "kind"), lookup)
    check_listed_kinds_occur(qualifying, "qualifying", vocabulary, kind.codes, kind.unknown)
    ids = person_ids(*id_tables, candidates=lambda: _candidate_rows(
        d_date, kind.codes, [k in qualifying for k in vocabulary], start, end))
    has_counts = "counts" in o_table.names
    counts = counts_flags(column_values(o_table, "counts"), "counts") if has_counts else None
    carried = [c for c in d_table.names if c not in DISPOSAL_COLUMNS]
    d_identity = row_identity(d_table, carried)
    o_identity = row_identity(o_table, [c for c in o_table.names if c not in OFFENCE_COLUMNS])

    result = _reoffending.build_cohort(
        disposal_person=("person_id", ids.disposal),
        disposal_date=("date", d_date.ticks, d_date.ticks_per_day),
        disposal_kind=("kind", kind.codes),
        disposal_identity=None if d_identity is None else ("other columns", d_identity),
        offence_person=("person_id", ids.offence),
        offence_date=("offence_date", o_date.ticks, o_date.ticks_per_day),
        proven_date=("proven_date", p_date.ticks, p_date.ticks_per_day),
        counts=None if counts is None else ("counts", counts),
        offence_identity=None if o_identity is None else ("other columns", o_identity),
        person_first=ids.first, persons=ids.persons, missing_id=ids.missing_id,
        period_start=start, period_end=end, follow_up_months=follow_up_months,
        waiting_months=waiting_months, qualifying=[k in qualifying for k in vocabulary],
        earliest_plausible=earliest, latest_plausible=latest, threads=core_threads)

    diagnostics = {"disposals": result.disposal_diagnostics.to_dict(),
                   "offences": result.offence_diagnostics.to_dict()}
    diagnostics["disposals"]["unparseable_date"] = d_date.unparseable
    diagnostics["offences"]["unparseable_offence_date"] = o_date.unparseable
    diagnostics["offences"]["unparseable_proven_date"] = p_date.unparseable
    problems = {f"{table}.{rule}": diagnostics[table][rule]
                for table, rules in PROBLEMS.items() for rule in rules
                if diagnostics[table][rule]}
    notes = {"disposals.unknown_kind": describe_unknown(
        kind.unknown, lookup,
        ids=[text_source(d_table, "person_id"), text_source(o_table, "person_id")])} \
        if kind.unknown else {}
    # A blank kind reaches the core as an unknown code: say how many were blank, not unknown.
    blank_kinds = diagnostics["disposals"]["unknown_kind"] - sum(kind.unknown.values())
    if blank_kinds > 0:
        blank = f"{blank_kinds:,} row{'s' if blank_kinds != 1 else ''} with no kind"
        notes["disposals.unknown_kind"] = "; ".join(
            filter(None, [blank, notes.get("disposals.unknown_kind")]))
    notes.update(unreadable_notes(diagnostics))
    if strict and problems:
        raise rules_broken(problems, notes)
    report(problems, {t: diagnostics[t]["rows"] for t in diagnostics}, max_set_aside, notes)

    index_row, index_kind = _index_rows(result, ids, d_date, kind.codes, vocabulary,
                                        qualifying, ties)
    frame, age_warnings = _cohort_frame(result, ids, vocabulary, d_table, carried,
                                        juvenile_ages, dates, index_row, index_kind)
    incomplete = None if records_end_day is None else follow_up_incomplete(
        np.asarray(result.waiting_end), records_end_day, end, follow_up_months,
        waiting_months)
    for line in age_warnings + ([incomplete] if incomplete else []):
        warn(UserWarning(line), stacklevel=2)
    frame.attrs["diagnostics"] = diagnostics
    frame.attrs["definition"] = {
        "period_start": day_to_timestamp(start), "period_end": day_to_timestamp(end),
        "follow_up_months": follow_up_months, "waiting_months": waiting_months,
        "qualifying": tuple(qualifying), "plausible_dates": tuple(map(str, plausible_dates)),
        "juvenile_ages": tuple(juvenile_ages), "max_set_aside": max_set_aside,
        "index_ties": "earlier row" if ties is None else tuple(ties),
        "records_end": None if records_end_day is None else day_to_timestamp(records_end_day),
    }
    frame.attrs["warnings"] = _period_warnings(start, end) + age_warnings + (
        [incomplete] if incomplete else [])
    return frame


def _candidate_rows(d_date: Any, codes: np.ndarray, qualifying: list[bool], start: int,
                    end: int) -> np.ndarray:
    """The disposal rows that could make their person a cohort member: a qualifying kind dated
    in the period, the first test of the core's rule for a member (which then also asks for a
    person id and a plausible date). Every member has such a row, so these rows hold every
    member's id."""
    # Code -1 (an unknown or missing kind) reads the last entry, which does not qualify.
    qualifies = np.append(np.asarray(qualifying, dtype=bool), False)
    ok = qualifies[np.asarray(codes)]
    # The period in the dates' own ticks (whole days, as the core floors them): no division.
    per_day = int(d_date.ticks_per_day)
    ticks = np.asarray(d_date.ticks)
    ok &= ticks >= start * per_day
    ok &= ticks < (end + 1) * per_day
    return np.flatnonzero(ok).astype(np.int64, copy=False)


def _index_rows(result: _reoffending.Cohort, ids: Any, d_date: Any, codes: np.ndarray,
                vocabulary: list[str], qualifying: Sequence[str],
                ties: Sequence[str] | None) -> tuple[np.ndarray, np.ndarray]:
    """Each cohort person's index row and kind code: the core's (the earlier row on a tie),
    or, with ``ties``, the qualifying disposal on the index date whose kind comes first in it."""
    index_row = np.asarray(result.index_row).astype(np.int64)
    index_kind = np.asarray(result.index_kind).astype(np.int64)
    if ties is None or not len(index_row):
        return index_row, index_kind
    order = [normal(t) for t in ties]  # known kinds, each once (_index_ties)
    rank = np.array([order.index(normal(k)) if normal(k) in order else len(order)
                     for k in vocabulary], dtype=np.int64)
    qualifies = np.array([k in qualifying for k in vocabulary], dtype=bool)
    code = np.asarray(codes).astype(np.int64)
    person = np.asarray(ids.disposal).astype(np.int64)
    day = np.floor_divide(np.asarray(d_date.ticks).astype(np.int64), int(d_date.ticks_per_day))
    index_day = np.asarray(result.index_date).astype(np.int64)
    # The index disposal's person and day, looked up from its own row: the same space as the
    # candidate rows below, whatever the person ids were.
    cohort = pd.DataFrame({"person": person[index_row], "day": index_day,
                           "at": np.arange(len(index_row))})
    ok = code >= 0
    ok[ok] = qualifies[code[ok]]
    rows = np.flatnonzero(ok)
    candidates = pd.DataFrame({"person": person[rows], "day": day[rows],
                               "rank": rank[code[rows]], "row": rows})
    chosen = cohort.merge(candidates, on=["person", "day"]).sort_values(
        ["at", "rank", "row"], kind="stable").drop_duplicates("at")
    at = chosen["at"].to_numpy()
    index_row = index_row.copy()
    index_row[at] = chosen["row"].to_numpy()
    return index_row, code[index_row]


def _cohort_frame(result: _reoffending.Cohort, ids: Any, vocabulary: list[str], d_table: Table,
                  carried: list[str], juvenile_ages: tuple[int, int],
                  dates: DateOptions, index_row: np.ndarray,
                  index_kind: np.ndarray) -> tuple[pd.DataFrame, list[str]]:
    """The cohort's rows, and what to say about dates of birth no age can come from."""
    said: list[str] = []
    index_days = result.index_date
    columns: dict[str, Any] = {
        "person_id": ids.labels(result.person),
        "index_date": days_to_dates(index_days),
        "index_kind": pd.Categorical.from_codes(index_kind,
                                                categories=vocabulary),
    }
    if carried:
        extra = take_rows(d_table, carried, index_row)
        for name in carried:
            columns[name] = extra[name].to_numpy() if not pd.api.types.is_extension_array_dtype(
                extra[name].dtype) else extra[name].array
    if "date_of_birth" in carried:
        born = read_dates(pd.Series(columns["date_of_birth"]), "date_of_birth", dates)
        missing = born.days == np.iinfo(np.int64).min
        born_days = np.where(missing, 0, born.days)
        age = _reoffending.age_in_years(np.ascontiguousarray(born_days, dtype=np.int64),
                                 index_days.astype(np.int64))
        # Born after the index date, or an age no person reaches: a data error, not an age
        # (it gave ages of -4 and 216, silently); left missing, and said, as text that is no
        # date is.
        impossible = ~missing & ((age < 0) | (age > _options.MAX_AGE))
        unreadable = int(born.unparseable)
        if impossible.any() or unreadable:
            parts = ([f"{unreadable:,} not a date"] if unreadable else []) + (
                [f"{int(impossible.sum()):,} after the index date or more than "
                 f"{_options.MAX_AGE} years before it"] if impossible.any() else [])
            said.append("date_of_birth: " + " and ".join(parts) + " (people in the cohort); "
                        "their age_at_index and juvenile are left missing")
        missing = missing | impossible
        columns["age_at_index"] = pd.arrays.IntegerArray(np.where(missing, 0, age), missing)
        low, high = juvenile_ages
        columns["juvenile"] = pd.arrays.BooleanArray((age >= low) & (age <= high) & ~missing,
                                                     missing)
    columns["follow_up_end"] = days_to_dates(result.follow_up_end)
    columns["waiting_end"] = days_to_dates(result.waiting_end)
    reoffences = result.reoffences.astype(np.int64)
    columns["reoffences"] = reoffences
    columns["reoffended"] = reoffences > 0
    first = result.days_to_first_reoffence
    columns["days_to_first_reoffence"] = pd.arrays.IntegerArray(
        np.maximum(first, 0, dtype=np.int64), first < 0)
    columns["previous_offences"] = result.previous_offences.astype(np.int64)
    # One construction from fresh arrays the frame can own: no copy per column.
    return pd.DataFrame(columns, copy=False), said


def cohort_periods(start: Any, end: Any, months: int = 3, *, date_format: str | None = None,
                   dayfirst: bool = False) -> pd.DataFrame:
    """The periods of a cohort series: consecutive ``months``-long periods from ``start`` that
    end on or before ``end``.

    Returns a DataFrame with ``cohort`` (a label), ``period_start``, ``period_end`` and
    ``months``; ``attrs["warnings"]`` says when the series spans the October 2015 change from
    12-month to 3-month cohorts, or uses a length the published series does not.
    """
    months = _months(months, "months", lowest=1)
    dates = DateOptions(date_format, dayfirst)
    first = read_date(start, "start", dates)
    last = read_date(end, "end", dates)
    starts: list[int] = []
    ends: list[int] = []
    at = first
    while True:
        stop = int(_reoffending.add_months(np.array([first], dtype=np.int64),
                                    months * (len(starts) + 1))[0]) - 1
        if stop > last:
            break
        starts.append(at)
        ends.append(stop)
        at = stop + 1
    if not starts:
        raise InputError(f"no whole {months}-month period fits between start and end")
    starts_dt = pd.DatetimeIndex(days_to_dates(np.array(starts)))
    ends_dt = pd.DatetimeIndex(days_to_dates(np.array(ends)))
    labels = [_label(s, e) for s, e in zip(starts_dt, ends_dt)]
    frame = pd.DataFrame({"cohort": labels, "period_start": starts_dt, "period_end": ends_dt,
                          "months": months})
    frame.attrs["warnings"] = _series_warnings(starts, ends)
    if ends[-1] < last:
        left = f"{last - ends[-1]:,} day{'s' if last - ends[-1] != 1 else ''}"
        said = (f"the last {left} before end fit no whole {months}-month period and are in no "
                "cohort of the series")
        frame.attrs["warnings"].append(said)
        warnings.warn(said, UserWarning, stacklevel=2)
    return frame


def _label(start: pd.Timestamp, end: pd.Timestamp) -> str:
    if start.year == end.year:
        return f"{start:%b}-{end:%b} {start.year}" if start.month != end.month \
            else f"{start:%b %Y}"
    return f"{start:%b %Y} - {end:%b %Y}"


def _series_warnings(starts: Sequence[int], ends: Sequence[int]) -> list[str]:
    change = _day(DEFINITION_CHANGE, "change")
    warnings: list[str] = []
    lengths = {_period_months(s, e) for s, e in zip(starts, ends)}
    if 3 in lengths and 12 in lengths:
        warnings.append("the series mixes 12-month and 3-month cohorts; their rates are not "
                        "comparable (3-month cohorts hold more prolific offenders)")
    if any(e < change for e in ends) and any(s >= change for s in starts):
        warnings.append("the series spans October 2015, when the Ministry of Justice moved from "
                        "12-month to 3-month cohorts; published rates either side are not "
                        "comparable")
    for s, e in zip(starts, ends):
        for w in _period_warnings(s, e):
            if w not in warnings and "spans 1 October" in w:
                warnings.append(w)
    if lengths - {3, 12}:
        warnings.append("the series uses periods that are neither 3 nor 12 months long")
    return warnings


def build_cohort_series(disposals: Any, offences: Any, periods: Any, **options: Any
                        ) -> pd.DataFrame:
    """Cohorts of several periods stacked, with a ``cohort`` column first.

    ``periods`` is a :func:`cohort_periods` frame or a list of ``(start, end)`` pairs (labelled
    by their dates). Each period is built by :func:`build_cohort` with ``options``; a person can
    belong to the cohort of each period in which they have a qualifying disposal.
    ``attrs["diagnostics"]`` holds each period's diagnostics by label and ``attrs["warnings"]``
    the series' warnings (mixed lengths, the October 2015 change) and, with ``records_end``,
    each period whose people's follow-up the records do not complete (labelled by cohort);
    a records_end before any period's end is refused.
    """
    if isinstance(periods, pd.DataFrame):
        bounds = list(zip(periods["cohort"], periods["period_start"], periods["period_end"]))
    else:
        bounds = []
        dates = DateOptions(options.get("date_format"), options.get("dayfirst", False))
        for period in periods:
            if isinstance(period, (str, bytes)) or not hasattr(period, "__len__") or \
                    len(period) != 2:
                raise DtypeError("periods must be a cohort_periods frame or a list of "
                                 "(start, end) pairs")
            start, end = period
            s = day_to_timestamp(read_date(start, "period_start", dates))
            e = day_to_timestamp(read_date(end, "period_end", dates))
            bounds.append((_label(s, e), s, e))
    if not bounds:
        raise InputError("periods is empty")
    labels = [b[0] for b in bounds]
    if len(set(labels)) != len(labels):
        raise InputError("periods repeats a cohort (the same label or dates twice): its people "
                         "would be counted twice in one cohort of the series")
    ordered = sorted((pd.Timestamp(b[1]), pd.Timestamp(b[2])) for b in bounds)
    if any(later[0] <= earlier[1] for earlier, later in zip(ordered, ordered[1:])):
        warnings.warn("periods overlap: a person can be in two cohorts of the series, so the "
                      "cohorts must not be pooled (their rates are not of distinct people)",
                      UserWarning, stacklevel=2)
    if options.get("records_end") is not None:  # refused before any period is built
        read_records_end(options["records_end"], max(_day(b[2], "end") for b in bounds),
                         DateOptions(options.get("date_format"), options.get("dayfirst", False)))
    frames, diagnostics = [], {}
    incomplete: list[str] = []
    for label, start, end in bounds:
        frame = build_cohort(disposals, offences, start, end, **options)
        if "cohort" in frame.columns:  # carried from the disposals (pandas: 'cannot insert')
            raise InputError("disposal column 'cohort' has the name of the column a cohort "
                             "series labels its cohorts with; rename or drop it")
        frame.insert(0, "cohort", label)
        diagnostics[label] = frame.attrs["diagnostics"]
        incomplete.extend(f"{label}: {w}" for w in frame.attrs["warnings"]
                          if w.startswith(FOLLOW_UP_INCOMPLETE))
        frames.append(frame)
    out = pd.concat(frames, ignore_index=True)
    out["cohort"] = pd.Categorical(out["cohort"], categories=list(dict.fromkeys(
        b[0] for b in bounds)))
    out.attrs = {"diagnostics": diagnostics,
                 "warnings": _series_warnings([_day(b[1], "start") for b in bounds],
                                              [_day(b[2], "end") for b in bounds])
                 + incomplete}
    return out
