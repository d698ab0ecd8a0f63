"""Disclosure control for published tables: small counts, and everything that would let a reader
work one back, are withheld. The decisions are made by the C++ core
(``yosmodel/disclosure/suppress.hpp``); this module names columns, applies the decisions to a
DataFrame, records what was done and renders tables for publication.

Publishing functions take a ``disclosure=`` argument and pass it to :func:`apply_default`::

    def publish_table(table, by, disclosure=yosmodel.disclosure.DEFAULT):
        table = yosmodel.disclosure.apply_default(table, by, disclosure)
        ...

``disclosure`` is a :class:`Disclosure` policy, a dict of its fields, or ``None`` to turn
disclosure control off explicitly (the table is then marked as unsuppressed).
"""

from __future__ import annotations

import dataclasses
import numbers
import re
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from .._core import disclosure as _disclosure
from ..errors import DtypeError, InputError, NotFoundError
from .audit import SuppressedCells, describe_rules

#: Columns that identify a child (or a case, which is one child's): yosmodel's own identifier
#: columns (the cohort's and the events' ``person_id``, an inspection's ``case_id``). No
#: published table may carry one, as a key or as any other column: a row per child labelled
#: with the child's id publishes the ids even with every count withheld.
#: Also the identifiers case-management and police extracts carry (a child's id, the Police
#: National Computer id, the Unique Pupil Number). Names are matched however they are written:
#: "Person ID", "PERSON_ID" and "person-id" are all person_id. The police extracts' "PNC" and
#: "PNC Number", the case systems' "Child Ref" and "Case Ref", and health extracts' NHS number
#: are the same identifiers under the names those exports give them.
IDENTIFIER_COLUMNS = ("person_id", "case_id", "child_id", "young_person_id", "pnc_id", "upn",
                      "pnc", "pnc_number", "child_ref", "case_ref", "nhs_number")


def _name_key(name: Any) -> str:
    return re.sub(r"[^0-9a-z]", "", str(name).lower())


_IDENTIFIER_KEYS = {_name_key(name) for name in IDENTIFIER_COLUMNS}


def is_identifier(name: Any) -> bool:
    """Whether a column name is one of IDENTIFIER_COLUMNS, however written."""
    return _name_key(name) in _IDENTIFIER_KEYS


def refuse_identifiers(by: str | Sequence[str] | None, table: pd.DataFrame | None = None, *,
                       argument: str = "by") -> None:
    """The one rule every publishing path applies (docs/privacy.md, "Identifiers"): refuses
    grouping by an identifier column (``IDENTIFIER_COLUMNS``) and, with ``table``, a table
    that holds one as a column or names its index after one. The message names the column,
    never a value. Applied where tables are published (:func:`suppress`,
    :func:`apply_default`, :func:`to_published`, charts, workbooks), whatever the policy:
    ``disclosure=None`` turns off the small-count rules, not this one. ``argument`` is the
    caller's name for ``by`` in the message."""
    keys = [by] if isinstance(by, str) else list(by or [])
    for key in keys:
        if is_identifier(key):
            raise InputError(f"{argument} cannot group on '{key}': it identifies a child, and no "
                             "published table may carry a child's identifier (docs/privacy.md); "
                             "group on a column such as yjs or sex")
    if table is None:
        return
    names = [*table.columns, *(n for n in table.index.names if n is not None)]
    for name in names:
        if is_identifier(name):
            raise InputError(f"the table holds the column '{name}', which identifies a child, "
                             "and no published table may carry a child's identifier "
                             "(docs/privacy.md); drop it before publishing")


#: The count columns of a reoffending table, population first: each counts within the one
#: before it (reoffenders among offenders, their reoffences).
REOFFENDING_COUNTS = ("offenders", "reoffenders", "reoffences")

#: Measures of a reoffending table and the counts each is computed from: a measure is withheld
#: wherever any of its counts is (a published rate and its denominator give the numerator).
REOFFENDING_DERIVED: dict[str, tuple[str, ...]] = {
    "binary_rate": ("offenders", "reoffenders"),
    "binary_rate_lower": ("offenders", "reoffenders"),
    "binary_rate_upper": ("offenders", "reoffenders"),
    "frequency_rate": ("offenders", "reoffences"),
    "reoffences_per_reoffender": ("reoffenders", "reoffences"),
    "previous_offences_mean": ("offenders",),
    "previous_offences": ("offenders",),
}

#: Measures of the package's other tables (first time entrants, custody) and the counts each
#: is computed from, withheld by default with them: a rate per 100,000 and its population give
#: the count back exactly. Only the counts passed as ``counts`` link (a rate whose count is not
#: among them stays as it is, and is listed as uncontrolled).
MEASURES_DERIVED: dict[str, tuple[str, ...]] = {
    "rate_per_100k": ("first_time_entrants",),
    "custody_per_1000": ("custodial_sentences",),
    "rate_lower": ("first_time_entrants", "custodial_sentences"),
    "rate_upper": ("first_time_entrants", "custodial_sentences"),
    "without_full_history": ("first_time_entrants",),
    "custody_share": ("custodial_sentences", "court_sentences"),
    "custody_share_lower": ("custodial_sentences", "court_sentences"),
    "custody_share_upper": ("custodial_sentences", "court_sentences"),
}

#: The smallest threshold accepted without ``allow_small_threshold=True``.
MINIMUM_THRESHOLD = 10
#: The largest threshold: far above any count of children, and within every integer the core
#: and the published formats hold.
MAXIMUM_THRESHOLD = 2**31 - 1

#: Why a count is withheld, by the core's code (read from the bound C++ enum: the one list).
_RULES = {int(code): name for name, code in _disclosure.Suppression.__members__.items()
          if code != _disclosure.Suppression.published}
#: Every rule a withheld cell can carry: the core's, then measures derived from a withheld count.
RULES = (*_RULES.values(), "derived")


def _check_threshold(threshold: Any, allow_small_threshold: Any) -> None:
    if isinstance(threshold, (bool, np.bool_)) or not isinstance(threshold, numbers.Integral):
        raise DtypeError("threshold must be a whole number")
    threshold = int(threshold)
    if threshold < 1:
        raise InputError("threshold must be at least 1")
    if int(threshold) > MAXIMUM_THRESHOLD:
        # counts are 64-bit; a larger threshold cannot reach the core (whose argument error
        # would list the table's counts)
        raise InputError(f"threshold must be at most {MAXIMUM_THRESHOLD:,}")
    if threshold < MINIMUM_THRESHOLD and allow_small_threshold is not True:
        raise InputError(f"a threshold below {MINIMUM_THRESHOLD} is refused: small counts about "
                         "children can identify them. Pass allow_small_threshold=True if your "
                         "data protection assessment allows it")


def _check_symbol(symbol: Any) -> None:
    if not isinstance(symbol, str) or not symbol.strip():
        raise InputError("symbol must be a non-empty string")
    try:
        float(symbol.replace(",", "").replace("%", ""))
    except ValueError:
        return
    # a withheld cell shown as "0" or "5" reads as that count: a wrong figure, published
    raise InputError("symbol must not read as a number (a withheld cell would look like a "
                     "count); use a mark such as '~' or '[c]'")


@dataclasses.dataclass(frozen=True)
class Disclosure:
    """A disclosure control policy: what publishing functions apply unless told otherwise.

    threshold : counts below it are withheld (10; below 10 needs ``allow_small_threshold``).
    zero_is_small : withhold zero counts too (a zero can disclose that nobody in a group
        reoffended).
    secondary : withhold further cells so no withheld count can be worked back from totals.
    symbol : what a withheld cell shows in a published rendering.
    """

    threshold: int = 10
    zero_is_small: bool = False
    secondary: bool = True
    symbol: str = "~"
    allow_small_threshold: bool = False

    def __post_init__(self) -> None:
        _check_threshold(self.threshold, self.allow_small_threshold)
        for name in ("zero_is_small", "secondary", "allow_small_threshold"):
            if not isinstance(getattr(self, name), (bool, np.bool_)):
                raise DtypeError(f"{name} must be True or False")
        _check_symbol(self.symbol)


#: The policy publishing functions use by default.
DEFAULT = Disclosure()


def resolve(disclosure: Disclosure | Mapping[str, Any] | None) -> Disclosure | None:
    """The policy a ``disclosure=`` argument asks for: a :class:`Disclosure` as it is, a dict
    as the fields of one, ``None`` as "no disclosure control" (returned as None)."""
    if disclosure is None or isinstance(disclosure, Disclosure):
        return disclosure
    if isinstance(disclosure, Mapping):
        fields = {f.name for f in dataclasses.fields(Disclosure)}
        unknown = [str(k) for k in disclosure if k not in fields]
        if unknown:
            raise DtypeError(f"unknown disclosure setting(s) {', '.join(sorted(unknown))}; "
                             f"use {', '.join(sorted(fields))}")
        return Disclosure(**disclosure)
    raise DtypeError(f"disclosure must be a yosmodel.Disclosure, a dict of its settings or None, "
                     f"not {type(disclosure).__name__}")


def apply_default(table: pd.DataFrame, by: str | Sequence[str] | None,
                  disclosure: Disclosure | Mapping[str, Any] | None = DEFAULT, *,
                  counts: Sequence[str] | None = None,
                  derived: Mapping[str, Sequence[str]] | None = None,
                  nested: bool = True, margins_name: str = "All") -> pd.DataFrame:
    """What a publishing function does with its ``disclosure=`` argument: :func:`suppress` with
    the policy's settings, or, for ``disclosure=None``, an unchanged copy whose
    ``attrs["disclosure"]`` records that disclosure control was turned off on purpose. A
    table grouped by, or holding, an identifier column is refused either way
    (:func:`refuse_identifiers`)."""
    policy = resolve(disclosure)
    refuse_identifiers(by, table if isinstance(table, pd.DataFrame) else None)
    if policy is None:
        out = table.copy()
        out.attrs["disclosure"] = {
            "applied": False,
            "reason": "disclosure control was turned off explicitly (disclosure=None); this "
                      "table must not be published without another check",
        }
        return out
    return suppress(table, by, counts=counts, threshold=policy.threshold,
                    zero_is_small=policy.zero_is_small, secondary=policy.secondary,
                    symbol=policy.symbol, derived=derived, nested=nested,
                    margins_name=margins_name, allow_small_threshold=policy.allow_small_threshold)


def charted_rows(table: pd.DataFrame, by: str | Sequence[str] | None, counts: Sequence[str],
                 disclosure: Disclosure | Mapping[str, Any] | None = DEFAULT, *,
                 margins_name: str = "All") -> tuple[pd.DataFrame, pd.Series]:
    """What a chart of ``table`` may show, and which of its rows are withheld. A chart shows
    exact counts (a bar's height, a point's position), so it is a publication: a table that has
    been through disclosure control (or had it turned off explicitly) is taken as it is, any
    other goes through :func:`apply_default` with ``disclosure`` first. Returns the table and a
    boolean Series, True for the rows with a withheld count, for the chart to mark or leave out
    and say so."""
    record = table.attrs.get("disclosure")
    if isinstance(record, Mapping) and "applied" in record:
        refuse_identifiers(record.get("by"), table)
        refuse_changed_since(table, record)
    else:
        if not table.index.is_unique:  # a chart names no rows by label (pd.concat's repeats)
            table = table.reset_index(drop=True)
        table = apply_default(table, by, disclosure, counts=counts, margins_name=margins_name)
    withheld = table[list(counts)].isna().any(axis=1)
    return table, withheld


def suppress(table: pd.DataFrame, by: str | Sequence[str] | None,
             counts: Sequence[str] | None = None, threshold: int = 10,
             zero_is_small: bool = False, secondary: bool = True, symbol: str = "~", *,
             derived: Mapping[str, Sequence[str]] | None = None, nested: bool = True,
             margins_name: str = "All", allow_small_threshold: bool = False) -> pd.DataFrame:
    """Withholds the counts of ``table`` that could identify someone, and everything derived
    from them.

    Parameters
    ----------
    table : pandas.DataFrame
        One row per cell, e.g. from :func:`reoffending_rates` (with ``margins=True`` for
        totals). Rows whose key is ``margins_name`` are totals along that key.
    by : the key columns that identify a cell.
    counts : the count columns, population first (default: the counts the table declares in
        ``attrs["disclosure_counts"]``, else ``REOFFENDING_COUNTS``). Counts the table declares
        are withheld by the rules even when ``counts`` leaves them out: a table that says a
        column counts children never publishes it uncontrolled.
    threshold : a count below it is small and withheld (primary suppression). Below 10 only
        with ``allow_small_threshold=True``.
    zero_is_small : withhold zero counts as well.
    secondary : withhold further cells so that no withheld count can be computed from
        published cells and totals (deterministic; as few cells as the method finds).
    symbol : shown for withheld cells by :func:`to_published`.
    derived : measure column -> the counts it is computed from (default: the reoffending,
        first time entrant and custody measures present in the table, ``REOFFENDING_DERIVED``
        and ``MEASURES_DERIVED``). A measure is withheld wherever one of its counts is.
    nested : each count counts within the one before it (offenders, reoffenders, reoffences):
        a small count also withholds the later counts of its cell ("linked"). Pass False for
        counts that are not nested (inspection answers yes / no / not applicable).
    margins_name : the label of a total in the key columns.

    Returns
    -------
    pandas.DataFrame
        A copy with withheld values missing (counts become nullable ``Int64``), and
        ``attrs["disclosure"]``: the rules, settings, and the cells withheld by each rule.
    """
    _check_threshold(threshold, allow_small_threshold)
    _check_symbol(symbol)
    for name, flag in (("zero_is_small", zero_is_small), ("secondary", secondary),
                       ("nested", nested)):
        if not isinstance(flag, (bool, np.bool_)):
            raise DtypeError(f"{name} must be True or False")
    if not isinstance(table, pd.DataFrame):
        raise DtypeError(f"table must be a pandas DataFrame, not {type(table).__name__}")
    refuse_identifiers(by, table)
    record = table.attrs.get("disclosure")
    if isinstance(record, Mapping) and record.get("applied"):
        raise InputError("this table has been through disclosure control already; suppress the "
                         "original table instead")
    if not table.index.is_unique:
        raise InputError("the table's index repeats labels; the audit record names rows by "
                         "label, so reset_index(drop=True) first")
    keys = _names(by, "by")
    count_names = _count_names(table, counts, keys)
    if not count_names:
        raise InputError("counts must name at least one count column")
    for name in keys + count_names:
        if name not in table.columns:
            raise NotFoundError(f"column '{name}' is not in the table (it has {len(table.columns)} "
                                "columns)")
    if set(keys) & set(count_names):
        raise InputError("a column cannot be both a key (by) and a count")
    derived_map = _derived(table, count_names, derived)

    dimensions = [_dimension(table[name], name, margins_name) for name in keys]
    count_arrays = [(name, _count_array(table[name], name)) for name in count_names]
    decisions = _disclosure.suppress(dimensions, count_arrays, threshold=int(threshold),
                                     zero_is_small=bool(zero_is_small), nested=bool(nested),
                                     secondary=bool(secondary))
    _check_totals(table, keys, count_names, margins_name)
    if any(bool(np.any(d != 0)) for d in decisions):
        _refuse_unlabelled_totals(table, keys, count_names, margins_name)

    out = table.copy()
    out.attrs = {}
    cell_rows: list[Any] = []
    cell_columns: list[str] = []
    cell_rules: list[str] = []
    labels = [_plain(label) for label in table.index]
    withheld = {}
    for name, decision in zip(count_names, decisions):
        mask = decision != 0
        withheld[name] = mask
        column = table[name]
        if column.dtype.kind in "iub" or _integral(column):
            try:
                column = column.astype("Int64")  # whole counts stay whole, with missing values
            except (TypeError, ValueError, OverflowError):
                raise InputError(f"count column '{name}' holds counts beyond 64-bit integers; "
                                 "no count of people is that large") from None
        out[name] = column.mask(mask)
        for row in np.flatnonzero(mask):
            cell_rows.append(labels[row])
            cell_columns.append(name)
            cell_rules.append(_RULES[int(decision[row])])
    by_reference = _reference_masks(table, labels, withheld)
    for name in by_reference:
        derived_map.setdefault(name, ())
    for name, inputs in derived_map.items():
        mask = by_reference.get(name, np.zeros(len(table), dtype=bool)).copy()
        for count in inputs:
            mask |= withheld[count]
        if out[name].dtype.kind in "iu":
            out[name] = out[name].astype("Int64")  # a count stays whole, with missing values
        elif out[name].dtype.kind == "b":
            out[name] = out[name].astype("boolean")  # a truth value, missing where withheld
        out[name] = out[name].mask(mask)
        rows = np.flatnonzero(mask)
        cell_rows.extend(labels[row] for row in rows)
        cell_columns.extend([name] * len(rows))
        cell_rules.extend(["derived"] * len(rows))

    by_rule = {rule: cell_rules.count(rule) for rule in RULES}
    controlled = set(keys) | set(count_names) | set(derived_map)
    out.attrs["disclosure"] = {
        "applied": True,
        "rules": describe_rules(threshold, zero_is_small, secondary, nested, count_names,
                                derived_map, reference=list(by_reference)),
        "threshold": int(threshold),
        "zero_is_small": bool(zero_is_small),
        "secondary": bool(secondary),
        "nested": bool(nested),
        "symbol": symbol,
        "by": keys,
        "counts": count_names,
        "derived": {k: list(v) for k, v in derived_map.items()},
        "margins_name": margins_name,
        "suppressed": by_rule,
        "cells": SuppressedCells(cell_rows, cell_columns, cell_rules),
        "rows": len(table),
        "uncontrolled": [str(c) for c in table.columns if c not in controlled],
    }
    return out


def to_published(table: pd.DataFrame, symbol: str | None = None, decimals: int = 3,
                 missing: str = "") -> pd.DataFrame:
    """A rendering for publication: every value as text, withheld cells as the symbol (the
    one recorded by :func:`suppress` unless given), values missing for other reasons (a rate
    with no denominator) as ``missing``. Refuses a table that has not been through
    :func:`suppress` or :func:`apply_default`."""
    if not isinstance(table, pd.DataFrame):
        raise DtypeError(f"to_published takes a table (a pandas DataFrame from suppress), not a "
                         f"{type(table).__name__}")
    record = table.attrs.get("disclosure")
    if not isinstance(record, Mapping) or "applied" not in record:
        raise InputError("this table carries no disclosure record (attrs['disclosure']): pass "
                         "it through yosmodel.suppress first, or through "
                         "yosmodel.disclosure.apply_default(..., disclosure=None) to publish it "
                         "unsuppressed on purpose")
    refuse_identifiers(record.get("by"), table)
    refuse_changed_since(table, record)
    if symbol is None:
        symbol = record.get("symbol", "~")
    _check_symbol(symbol)
    if isinstance(decimals, (bool, np.bool_)) or not isinstance(decimals, numbers.Integral) \
            or decimals < 0:  # True is Integral: format failed with "missing precision"
        raise InputError("decimals must be a whole number, zero or more")
    cells = record.get("cells", ())
    withheld = cells.positions() if isinstance(cells, SuppressedCells) else \
        {(c["row"], c["column"]) for c in cells}
    labels = [_plain(label) for label in table.index]
    out = {}
    for name in table.columns:
        column = table[name]
        text = []
        for label, value in zip(labels, column.tolist()):
            if (label, name) in withheld:
                text.append(symbol)
            elif value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
                text.append(missing)
            elif isinstance(value, (float, np.floating)):
                text.append(f"{value:.{decimals}f}")
            else:
                text.append(str(value))
        out[name] = pd.Series(text, index=table.index, dtype=object)
    rendered = pd.DataFrame(out)
    rendered.attrs["disclosure"] = dict(record)
    return rendered


def refuse_changed_since(table: pd.DataFrame, record: Mapping[str, Any],
                         where: str = "the table") -> None:
    """What every publishing path checks of a table that has been through :func:`suppress`:
    that it is still the table the record describes. Refuses a column added after disclosure
    control (``safe["n"] = table["offenders"]`` published the raw counts beside the withheld
    ones), and a count the rules would have withheld that is published (a row appended after
    suppression, or rows relabelled by ``reset_index`` so the record's cells no longer meet
    them). The message names the column and the rule, never a value."""
    if not record.get("applied"):
        return
    known: set[Any] = set()
    for part in ("by", "counts", "uncontrolled"):
        names = record.get(part)
        if isinstance(names, (list, tuple)):
            known.update(names)
    derived = record.get("derived")
    if isinstance(derived, Mapping):
        known.update(derived)
    if known:
        for name in table.columns:
            if name not in known and str(name) not in known:
                raise InputError(f"{where} has the column '{name}', which was added (or "
                                 "renamed) after disclosure control and is not controlled by "
                                 "it; add or rename it before yosmodel.suppress (naming a new "
                                 "measure in derived=)")
    rows = record.get("rows")
    if isinstance(rows, numbers.Integral) and len(table) > rows:
        raise InputError(f"{where} has more rows ({len(table):,}) than disclosure control saw "
                         f"({int(rows):,}): rows added after yosmodel.suppress are not "
                         "controlled by it; suppress the final table instead")
    cells = record.get("cells", ())
    withheld = cells.positions() if isinstance(cells, SuppressedCells) else \
        {(c["row"], c["column"]) for c in cells}
    labels = [_plain(label) for label in table.index]
    where_of = {label: i for i, label in enumerate(labels)} if table.index.is_unique else {}
    for label, name in withheld:
        at = where_of.get(label)
        if at is not None and name in table.columns and not _missing(table[name].iat[at]):
            raise InputError(f"{where} holds a value in '{name}' where disclosure control "
                             "withheld one: the table was changed after yosmodel.suppress "
                             "(values filled in, or rows relabelled); suppress the final table "
                             "instead")
    threshold = record.get("threshold")
    counts = record.get("counts")
    if not isinstance(threshold, numbers.Integral) or not isinstance(counts, (list, tuple)):
        return
    for name in counts:
        if name not in table.columns:
            continue
        values = pd.to_numeric(table[name], errors="coerce").astype("float64").to_numpy()
        small = (values < threshold) & ((values > 0) | bool(record.get("zero_is_small")))
        for row in np.flatnonzero(small):
            if (labels[row], name) not in withheld:
                raise InputError(f"{where} publishes a count in '{name}' below the threshold "
                                 f"({threshold}) that disclosure control did not withhold: the "
                                 "table was changed after yosmodel.suppress (rows added or "
                                 "relabelled); suppress the final table instead")


# --- helpers ------------------------------------------------------------------------------

#: attrs a table may carry to say which of its columns derive from which counts, when their
#: names are the caller's (relative_rate_index: the rate of events over base), and which are
#: computed from another row's counts (every row's reference rate is the reference group's).
DECLARED_DERIVED = "disclosure_derived"
DECLARED_REFERENCE = "disclosure_reference"
#: attrs a table may carry to name its count columns, population first, when they are not the
#: reoffending counts (a tracker's children still in follow-up, children per status).
DECLARED_COUNTS = "disclosure_counts"


def _count_names(table: pd.DataFrame, counts: str | Sequence[str] | None,
                 keys: list[str]) -> list[str]:
    """The counts asked for (or, by default, the ones the table declares, else the reoffending
    counts), then any declared count of the table left out of them."""
    declared = table.attrs.get(DECLARED_COUNTS)
    declared = [c for c in declared if c in table.columns and c not in keys] \
        if isinstance(declared, (list, tuple)) else []  # a slice of the table keeps its attrs
    names = _names(counts, "counts") if counts is not None else \
        (list(declared) or list(REOFFENDING_COUNTS))
    return names + [c for c in declared if c not in names]


def _reference_masks(table: pd.DataFrame, labels: list[Any],
                     withheld: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Per column computed from a reference row's counts (``attrs[DECLARED_REFERENCE]``:
    ``columns`` and ``rows``, each row's label -> its reference row's label), the rows where
    that reference row has a withheld count or is not in the table: the reference rate beside
    a published population gave a withheld count back."""
    declared = table.attrs.get(DECLARED_REFERENCE)
    if not isinstance(declared, Mapping) or not withheld:
        return {}
    any_withheld = np.zeros(len(table), dtype=bool)
    for mask in withheld.values():
        any_withheld |= mask
    hidden = {labels[i] for i in np.flatnonzero(any_withheld)}
    present = set(labels)
    reference_of = declared.get("rows", {})

    def unsafe(label: Any) -> bool:  # a reference that cannot be looked up is withheld too
        try:
            reference = reference_of.get(label)
            return reference in hidden or reference not in present
        except TypeError:
            return True

    rows = np.array([unsafe(label) for label in labels], dtype=bool)
    return {name: rows for name in declared.get("columns", ()) if name in table.columns}


def _names(names: str | Sequence[str] | None, role: str) -> list[str]:
    if names is None:
        return []
    if isinstance(names, str):
        return [names]
    out = list(names)
    if len(set(out)) != len(out):
        raise InputError(f"{role} names a column more than once")
    return out


def _derived(table: pd.DataFrame, counts: list[str],
             derived: Mapping[str, Sequence[str]] | None) -> dict[str, tuple[str, ...]]:
    if derived is None:
        declared = table.attrs.get(DECLARED_DERIVED)
        known = {**REOFFENDING_DERIVED, **MEASURES_DERIVED,
                 **(declared if isinstance(declared, Mapping) else {})}
        candidates = {name: tuple(inputs) for name, inputs in known.items()
                      if name in table.columns}
    else:
        if not isinstance(derived, Mapping):  # a list failed with "no attribute 'items'"
            raise DtypeError("derived must be a dict of measure column -> the counts it is "
                             "computed from")
        candidates = {name: tuple(_names(inputs, "derived")) for name, inputs in derived.items()}
        for name in candidates:
            if name not in table.columns:
                raise NotFoundError(f"derived column '{name}' is not in the table")
    out = {}
    for name, inputs in candidates.items():
        if name in counts:
            continue
        linked = tuple(c for c in inputs if c in counts)
        if derived is not None and len(linked) != len(inputs):
            raise InputError(f"derived column '{name}' depends on a column that is not among "
                             "the counts")
        if linked:
            out[name] = linked
    return out


def _check_totals(table: pd.DataFrame, keys: list[str], counts: list[str],
                  margins_name: str) -> None:
    """Rows labelled ``margins_name`` are read as totals, and secondary suppression protects
    withheld cells against them: a group of that name (a service called "All") would be
    protected against the wrong equation. A "total" below the sum of its rows is no total:
    refused naming the column and the count."""
    for key in keys:
        is_total = (table[key].astype(object) == margins_name).to_numpy()
        if not is_total.any():
            continue
        others = [k for k in keys if k != key]
        for count in counts:
            values = pd.to_numeric(table[count], errors="coerce").astype("float64")
            frame = table[others].astype(object).assign(_value=values.to_numpy())
            if others:
                parts = frame[~is_total].groupby(others, sort=False)["_value"].sum(min_count=1)
                totals = frame[is_total].groupby(others, sort=False)["_value"].sum(min_count=1)
                parts, totals = parts.align(totals, join="inner")
            else:
                parts = pd.Series([frame.loc[~is_total, "_value"].sum(min_count=1)])
                totals = pd.Series([frame.loc[is_total, "_value"].sum(min_count=1)])
                if int(is_total.sum()) > 1:
                    totals = pd.Series([np.inf])  # two totals of one line: no equation holds
            # A total may hold more than its rows (answers of cases a question skipped); less
            # than its rows, it is no total.
            known = parts.notna().to_numpy() & totals.notna().to_numpy()
            if (totals.to_numpy()[known] < parts.to_numpy()[known] * (1 - 1e-9) - 1e-6).any():
                raise InputError(
                    f"rows labelled {margins_name!r} in '{key}' are read as totals, but they are "
                    f"below the sums of the other rows' '{count}' (a group of that name?); "
                    "rename the group, pass another margins_name, or make the totals with "
                    "margins=True")


#: Labels that say a row is a total, however written: a total under one of them that is not
#: ``margins_name`` is read as one more group, and secondary suppression does not protect the
#: withheld counts against it.
_TOTAL_WORDS = {"all", "total", "totals", "grandtotal", "overall", "allgroups", "alltotal"}


def _refuse_unlabelled_totals(table: pd.DataFrame, keys: list[str], counts: list[str],
                              margins_name: str) -> None:
    """A table with withheld counts and a row that is a total but is not labelled
    ``margins_name``: labelled as one ("Total", "all", "Overall") and holding at least the sum
    of the other rows of its line in every count. The core read it as one more group, so the
    withheld counts were not protected against it (a published "Total" of 33 beside a
    published 30 gave a withheld 3 back). A group that merely has such a name (fewer than the
    others together) stays a group. Refused naming the key column, never a count."""
    for key in keys:
        values = table[key].astype(object)
        named = np.array([isinstance(v, str) and v != margins_name and _name_key(v) in _TOTAL_WORDS
                          for v in values], dtype=bool)
        if not named.any():
            continue
        others = [k for k in keys if k != key]
        parts = ~named & (values != margins_name).to_numpy()
        frame = table[others].astype(object).reset_index(drop=True) if others else \
            pd.DataFrame(index=range(len(table)))
        line = frame.groupby(others, sort=False, dropna=False).ngroup().to_numpy() \
            if others else np.zeros(len(table), dtype=np.int64)
        whole = named.copy()
        for count in counts:
            amounts = pd.to_numeric(table[count], errors="coerce").astype("float64").to_numpy()
            sums = np.bincount(line, weights=np.where(parts, np.nan_to_num(amounts), 0.0),
                               minlength=int(line.max()) + 1)
            whole &= amounts >= sums[line] * (1 - 1e-9) - 1e-6
        whole &= np.bincount(line, weights=parts.astype(float))[line] >= 2
        if whole.any():
            raise InputError(f"key column '{key}' has a total labelled otherwise than "
                             f"margins_name ({margins_name!r}): it would be read as one more "
                             "group, and secondary suppression would not protect the withheld "
                             "counts against it; label the totals "
                             f"{margins_name!r} (margins=True does) or pass margins_name=")


def _dimension(column: pd.Series, name: str, margins_name: str) -> tuple[str, np.ndarray, int]:
    missing = int(column.isna().sum())
    if missing:
        rows = "row has" if missing == 1 else "rows have"
        raise InputError(f"key column '{name}': {missing} {rows} a missing value; every cell "
                         "of a table needs its key")
    values = column.astype(object) if isinstance(column.dtype, pd.CategoricalDtype) else column
    is_total = np.asarray(values == margins_name, dtype=bool)
    codes = np.empty(len(column), dtype=np.int64)
    inner, categories = pd.factorize(values[~is_total], sort=False)
    codes[~is_total] = inner
    codes[is_total] = len(categories)
    return name, codes, len(categories)


def _count_array(column: pd.Series, name: str) -> np.ndarray:
    dtype = column.dtype
    if isinstance(dtype, pd.CategoricalDtype) or getattr(dtype, "kind", "O") not in "iufb":
        raise DtypeError(f"count column '{name}' has dtype {dtype}; counts must be an integer "
                         "or floating-point column")
    if pd.api.types.is_extension_array_dtype(dtype):
        # Nullable integers: missing values become NaN so the core can report them.
        if column.isna().any():
            return column.to_numpy(dtype=np.float64, na_value=np.nan)
        return column.to_numpy(dtype=dtype.numpy_dtype)
    values = column.to_numpy()
    if values.dtype == bool:
        values = values.view(np.uint8)
    if not values.dtype.isnative:
        values = values.astype(values.dtype.newbyteorder("="))
    return np.ascontiguousarray(values)


def _integral(column: pd.Series) -> bool:
    values = column.to_numpy(dtype=np.float64, na_value=np.nan)
    finite = values[~np.isnan(values)]
    return bool(np.all(finite == np.floor(finite)))


def _missing(value: Any) -> bool:
    """Whether a cell holds no value (None, NA, NaN, NaT); a list or other object is a value."""
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _plain(label: Any) -> Any:
    return label.item() if isinstance(label, np.generic) else label
