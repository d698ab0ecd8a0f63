"""Live tracking of a proven reoffending cohort whose follow-up is still running: each child's
status as of a date, and interim rates labelled provisional. The tracker reads only the
records known by the date (disposals dated, offences proven, on or before it) and builds the
cohort with :func:`yosmodel.build_cohort`, so once every follow-up and waiting period is over
its answer is the published definition's answer on the same records."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .. import _core
from .._utils.columns import Table
from .._utils.events import id_family
from ..disclosure.suppression import DECLARED_COUNTS, DECLARED_DERIVED, REOFFENDING_COUNTS
from ..errors import DtypeError, InputError, NotFoundError
from ..reoffending import reoffending_rates
from ..reoffending.cohort import build_cohort
from ._inputs import date_options, day_column, days_of_scalar, keys_of, timestamp

#: The statuses, in the C++ enum's order (the enum is the list).
STATUSES = tuple(_core.measures.ChildStatus.__members__)


def _pandas(data: Any, role: str) -> pd.DataFrame:
    if isinstance(data, pd.DataFrame):
        return data
    if isinstance(data, dict):
        from .._utils.columns import aligned_dict

        return pd.DataFrame(aligned_dict(data))
    if hasattr(data, "to_pandas"):
        return data.to_pandas()
    raise DtypeError(f"{role} must be a pandas or polars DataFrame, a pyarrow Table or a dict")


def _stated(options: dict[str, Any]) -> Any:
    """The date layout the build_cohort options state (the same for every date read here)."""
    return date_options(options.get("date_format"), options.get("dayfirst", False))


def _known_by(frame: pd.DataFrame, column: str, as_of: int, dates: Any = None) -> pd.DataFrame:
    """Rows dated on or before as_of; rows without a date stay, so the cohort builder still
    counts them among the records it sets aside."""
    if column not in frame.columns:
        raise NotFoundError(f"column '{column}' is not in the data")
    days, _ = day_column(frame[column], column, dates)
    missing = days == np.iinfo(np.int64).min
    return frame[(days <= as_of) | missing]


@dataclass
class TrackedCohort:
    """A cohort as of a date. ``children``: one row per child, the cohort builder's columns plus
    ``status`` (reoffended, in_follow_up, awaiting_proof, not_reoffended) and
    ``days_left`` (days of follow-up after ``as_of``)."""

    children: pd.DataFrame
    as_of: pd.Timestamp
    period_start: pd.Timestamp
    period_end: pd.Timestamp
    warnings: list[str] = field(default_factory=list)
    #: Children rebuilt by the last :meth:`update` (all of them for a fresh tracker).
    rebuilt: int = 0
    _disposals: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)
    _offences: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)
    _options: dict[str, Any] = field(default_factory=dict, repr=False)

    def update(self, as_of: Any, disposals: Any = None, offences: Any = None
               ) -> TrackedCohort:
        """The tracker on a later date, with the records that arrived since folded in.

        Only the children whose records changed are rebuilt (by the cohort builder, on their
        own records): children with a new record, or with a record dated (disposals) or proven
        (offences) between the two dates. Every other child's status just moves on with the
        date. The result equals :func:`track_cohort` on all the records given so far (in the
        order given), so a completed tracker equals the published cohort."""
        dates = _stated(self._options)
        old = days_of_scalar(self.as_of, "the previous as_of")  # a Timestamp of ours
        new = days_of_scalar(as_of, "as_of", dates)
        if new < old:
            raise InputError("as_of is before the tracker's date; track the cohort afresh to "
                             "go back")
        d_new = _pandas(disposals, "disposals") if disposals is not None else \
            self._disposals.iloc[:0]
        o_new = _pandas(offences, "offences") if offences is not None else \
            self._offences.iloc[:0]
        _check_batch(d_new, self._disposals, "disposals")
        _check_batch(o_new, self._offences, "offences")
        d_all = pd.concat([self._disposals, d_new], ignore_index=True)
        o_all = pd.concat([self._offences, o_new], ignore_index=True)
        touched = set(_arrived(d_all, "date", len(self._disposals), old, new, dates)) | \
            set(_arrived(o_all, "proven_date", len(self._offences), old, new, dates))
        people = pd.Index(list(touched))
        d_known = _known_by(d_all, "date", new, dates)
        o_known = _known_by(o_all, "proven_date", new, dates)
        kept = self.children[~self.children["person_id"].isin(people)].drop(
            columns=["status", "days_left"])
        if len(people):
            rebuilt = build_cohort(d_known[d_known["person_id"].isin(people)],
                                   o_known[o_known["person_id"].isin(people)],
                                   self.period_start, self.period_end, **self._options)
        else:
            rebuilt = kept.iloc[:0]
        children = pd.concat([kept, rebuilt], ignore_index=True) if len(rebuilt) else kept.copy()
        children = children.sort_values("person_id", kind="stable").reset_index(drop=True)
        children.attrs = {"definition": self.children.attrs.get("definition"),
                          "diagnostics_of_rebuilt_children": rebuilt.attrs.get("diagnostics")}
        return _tracked(children, new, self.period_start, self.period_end, d_all, o_all,
                        self._options, len(rebuilt))

    @property
    def complete(self) -> bool:
        """True when every child's status is final (no follow-up or waiting period running) and
        the cohort period itself is over."""
        final = self.children["status"].isin(["reoffended", "not_reoffended"]).all()
        return bool(final) and self.as_of > self.period_end

    def status_counts(self, by: str | Sequence[str] | None = None) -> pd.DataFrame:
        """Children per status (and group)."""
        keys = keys_of(by)
        for key in keys:  # a bare KeyError 'nope' from pandas said nothing of the table
            if key not in self.children.columns:
                raise NotFoundError(f"grouping column '{key}' is not among the tracked children's "
                                    "columns (those of build_cohort)")
        table = self.children.groupby([*keys, "status"], observed=False).size()
        out = table.unstack("status", fill_value=0).reindex(columns=list(STATUSES),
                                                            fill_value=0).reset_index() \
            if keys else table.reindex(list(STATUSES), fill_value=0).rename("children") \
            .reset_index()
        # Each is a count of children: ym.suppress controls them without being told.
        out.attrs[DECLARED_COUNTS] = list(STATUSES) if keys else ["children"]
        return out

    def rates(self, by: str | Sequence[str] | None = None, level: float = 0.95) -> pd.DataFrame:
        """The interim measures per group (:func:`reoffending_rates` on the children so far),
        with ``in_follow_up``, ``awaiting_proof`` and ``provisional`` (True while any child's
        outcome can still change: the binary rate can then only rise)."""
        keys = keys_of(by)
        rates = reoffending_rates(self.children, by=keys or None, level=level)
        open_statuses = self.children.assign(
            in_follow_up=self.children["status"] == "in_follow_up",
            awaiting_proof=self.children["status"] == "awaiting_proof")
        if keys:
            pending = open_statuses.groupby(keys, observed=True)[
                ["in_follow_up", "awaiting_proof"]].sum().reset_index()
            rates = rates.merge(pending, on=keys, how="left")
        else:
            rates["in_follow_up"] = int(open_statuses["in_follow_up"].sum())
            rates["awaiting_proof"] = int(open_statuses["awaiting_proof"].sum())
        period_running = self.as_of <= self.period_end
        rates["provisional"] = (rates["in_follow_up"] + rates["awaiting_proof"] > 0) | \
            period_running
        rates.attrs["as_of"] = self.as_of
        # Children still in follow-up or waiting are counts of children like the others: a
        # group's 2 children in follow-up would be published beside its withheld offenders.
        rates.attrs[DECLARED_COUNTS] = [*REOFFENDING_COUNTS, "in_follow_up", "awaiting_proof"]
        rates.attrs[DECLARED_DERIVED] = {"provisional": ("in_follow_up", "awaiting_proof")}
        rates.attrs["label"] = ("provisional: follow-up still running for some children; "
                                "not comparable with published (final) rates") \
            if rates["provisional"].any() else "final: every follow-up and waiting period is over"
        return rates


def _check_batch(new: pd.DataFrame, stored: pd.DataFrame, role: str) -> None:
    """New records are the stored records' kind: the same columns (a batch without 'kind' was
    set aside row by row as unknown kinds; one with another column carried it for the rebuilt
    children only), and person ids of the same type (numbers beside text are never the same
    child, so every child of the batch was taken for a new one)."""
    if not len(new) or not len(stored):
        return
    missing = [c for c in stored.columns if c not in new.columns]
    extra = [c for c in new.columns if c not in stored.columns]
    if missing or extra:
        said = "; ".join(part for part in (
            f"without {', '.join(map(repr, missing))}" if missing else "",
            f"with {', '.join(map(repr, extra))} as well" if extra else "") if part)
        raise NotFoundError(f"the new {role} do not have the tracker's columns ({said}); give them "
                            "the same columns")
    families = (_id_kind(stored), _id_kind(new))
    if None not in families and families[0] != families[1]:
        raise DtypeError(f"column 'person_id' holds {families[1]} in the new {role} but "
                         f"{families[0]} in the tracker's; read both with the same type")


def _id_kind(frame: pd.DataFrame) -> str | None:
    """Whether the person ids are numbers or text (None: missing, mixed or other), by the rule
    build_cohort applies to its two tables."""
    return id_family(Table(frame), "person_id") if "person_id" in frame.columns else None


def _arrived(frame: pd.DataFrame, column: str, stored: int, old: int, new: int,
             dates: Any = None) -> np.ndarray:
    """Person ids with a record that became known between two dates: a new record (at or past
    row ``stored``) known by ``new``, or a stored one dated after ``old`` and by ``new``."""
    days, _ = day_column(frame[column], column, dates)
    position = np.arange(len(frame))
    known_now = days <= new
    arrived = known_now & ((position >= stored) | (days > old))
    return frame.loc[arrived, "person_id"].dropna().unique()


def _tracked(cohort: pd.DataFrame, day: int, start: pd.Timestamp, end: pd.Timestamp,
             disposals: pd.DataFrame, offences: pd.DataFrame, options: dict[str, Any],
             rebuilt: int) -> TrackedCohort:
    follow, _ = day_column(cohort["follow_up_end"], "follow_up_end")
    waiting, _ = day_column(cohort["waiting_end"], "waiting_end")
    codes, days_left = _core.measures.live_statuses(
        follow, waiting, np.ascontiguousarray(cohort["reoffences"].to_numpy(), dtype=np.int64),
        day)
    cohort["status"] = pd.Categorical.from_codes(codes.astype(np.int64),
                                                 categories=list(STATUSES))
    cohort["days_left"] = days_left.astype(np.int64)
    warnings = list(cohort.attrs.get("warnings", []))
    if day <= days_of_scalar(end, "period_end", _stated(options)):
        warnings.append("the cohort period has not ended: children may still join the cohort")
    return TrackedCohort(cohort, timestamp(day), start, end, warnings, rebuilt, disposals,
                         offences, dict(options))


def track_cohort(disposals: Any, offences: Any, period_start: Any, period_end: Any, as_of: Any,
                 **options: Any) -> TrackedCohort:
    """The cohort of a period as it stands on ``as_of``.

    Uses the disposals dated and the offences proven on or before ``as_of`` (a record that
    arrives later with an earlier date is taken in when the tracker is rerun). ``options`` go
    to :func:`yosmodel.build_cohort` (follow_up_months, waiting_months, qualifying, ...).
    A child's status: ``reoffended`` once a proven reoffence is on record; otherwise
    ``in_follow_up`` until the follow-up ends (``days_left`` to go), ``awaiting_proof`` until
    the waiting period ends, then ``not_reoffended``. :meth:`TrackedCohort.update` moves the
    tracker on, rebuilding only the children whose records changed.
    """
    dates = _stated(options)
    day = days_of_scalar(as_of, "as_of", dates)
    disposal_frame = _pandas(disposals, "disposals")
    offence_frame = _pandas(offences, "offences")
    d = _known_by(disposal_frame, "date", day, dates)
    o = _known_by(offence_frame, "proven_date", day, dates)
    cohort = build_cohort(d, o, period_start, period_end, **options)
    start = timestamp(days_of_scalar(period_start, "period_start", dates))
    end = timestamp(days_of_scalar(period_end, "period_end", dates))
    return _tracked(cohort, day, start, end, disposal_frame, offence_frame, options,
                    len(cohort))
