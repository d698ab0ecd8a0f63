"""Disposal kinds as case-management systems write them: matched case- and space-insensitively
through one documented alias table, plus the caller's own ``kinds=`` mapping for anything else.
Kind words are a code list, not personal data, so messages name unknown ones (with a "did you
mean") and the accepted ones."""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .._core import reoffending as _reoffending
from ..errors import DtypeError, InputError

#: The kind codes, in the core's order: the bound C++ enum DisposalKind is the one list.
KINDS: tuple[str, ...] = tuple(_reoffending.DisposalKind.__members__)
#: The kinds that start a cohort membership in the published definition (the core's rule,
#: ``qualifies_for_cohort``): release from custody, a conviction at court, a caution.
QUALIFYING: tuple[str, ...] = tuple(k for k in KINDS if _reoffending.qualifies_for_cohort(k))
#: The other kinds a disposal table may hold; they never start a membership.
OTHER_KINDS: tuple[str, ...] = tuple(k for k in KINDS if k not in QUALIFYING)

#: The words youth justice case-management systems and MoJ tables use, by the kind they mean
#: (vocabulary, so it stays here; every key is a kind of KINDS, which a test checks).
#: Words that changed meaning over time (reprimand, final warning: before April 2013) are left
#: out on purpose: map them with ``kinds=`` so the choice is the analyst's and on record.
ALIASES: dict[str, tuple[str, ...]] = {
    "caution": ("youth caution", "youth conditional caution", "conditional caution", "ycc"),
    "court_conviction": ("court conviction", "conviction", "referral order",
                         "youth rehabilitation order", "yro", "reparation order", "fine",
                         "conditional discharge", "absolute discharge", "community sentence"),
    "custody_release": ("custody release", "release from custody", "released from custody",
                        "dto release", "detention and training order release"),
    "custody_sentence": ("custody sentence", "custodial sentence", "custody",
                         "detention and training order", "dto"),
    "remand": ("remand in custody", "remand to youth detention accommodation"),
    "community_resolution": ("community resolution", "outcome 22", "triage"),
}


#: Unknown kind words are named only when there are at most this many different ones.
MAX_NAMED_WORDS = 30


def normal(word: Any) -> str:
    """The form words are matched in: lower case, underscores and hyphens as spaces, runs of
    space as one, no space at either end."""
    return " ".join(str(word).replace("_", " ").replace("-", " ").split()).lower()


def disposal_kinds(qualifying: Sequence[str] = QUALIFYING) -> pd.DataFrame:
    """The alias table: each kind code (the core's list, in its order), whether it qualifies
    for a cohort (with the default ``qualifying``, the published rule) and the words read as it
    (besides the code itself, in any case)."""
    return pd.DataFrame({"kind": list(KINDS),
                         "qualifies": [k in qualifying for k in KINDS],
                         "aliases": [list(ALIASES.get(k, ())) for k in KINDS]})


@dataclass
class KindCodes:
    codes: np.ndarray                 # into the vocabulary; -1 for unknown and missing
    unknown: dict[str, int]           # unknown words as written (stripped) -> rows


class Lookup:
    """Words to vocabulary codes: the caller's mapping first, then the codes themselves, then
    the alias table (for the codes that are in the vocabulary)."""

    def __init__(self, vocabulary: Sequence[str], kinds: Mapping[str, str] | None):
        self.vocabulary = list(vocabulary)
        position = {normal(code): i for i, code in enumerate(self.vocabulary)}
        table: dict[str, int] = {}
        for code, words in ALIASES.items():
            if code in self.vocabulary:
                for word in words:
                    table[normal(word)] = self.vocabulary.index(code)
        table.update(position)
        if kinds is not None:
            if not isinstance(kinds, Mapping):
                raise DtypeError("kinds must map the words in the kind column to kind codes, "
                                 "e.g. {'Final Warning': 'caution'}")
            for word, code in kinds.items():
                if not isinstance(word, str) or not isinstance(code, str):
                    raise DtypeError("kinds must map words (strings) to kind codes (strings)")
                if code not in self.vocabulary:
                    raise InputError(f"kinds maps to {code!r}, which is not a kind"
                                     f"{suggest(code, self.vocabulary)}; the kinds are "
                                     f"{', '.join(self.vocabulary)}")
                table[normal(word)] = self.vocabulary.index(code)
        self.table = table

    def code(self, word: Any) -> int:
        return self.table.get(normal(word), -1)

    def accepted(self) -> str:
        return ", ".join(self.vocabulary)


def suggest(word: str, candidates: Sequence[str]) -> str:
    # Matched in the normal form, suggested as the candidate is spelled: 'court conviction'
    # is pointed to the code court_conviction, not to its own words.
    spelled = {normal(c): c for c in reversed(candidates)}
    close = difflib.get_close_matches(normal(word), list(spelled), n=1, cutoff=0.85)
    return f" (did you mean {spelled[close[0]]!r}?)" if close else ""


def _arrow_words(values: Any) -> tuple[np.ndarray, list[Any]] | None:
    """Codes and words of an Arrow string column (pandas ``str``, pyarrow, polars String) read
    by the compiled grouper, with no Python object per row; missing kinds are the word None.
    None when the column is not one the grouper reads."""
    if isinstance(values, pd.Series):
        if not isinstance(values.dtype, pd.StringDtype) or values.dtype.storage != "pyarrow":
            return None
    elif isinstance(values, np.ndarray) or not hasattr(values, "__arrow_c_stream__"):
        return None
    try:
        key = _reoffending.group_key("kind", values, nulls="group")
    except TypeError:  # not strings (or not a type the grouper reads): the general path
        return None
    words = list(key.categories())
    if not all(isinstance(w, str) for w in words):
        return None
    return key.codes(), words + ([None] if key.null_group else [])


def kind_codes(values: Any, lookup: Lookup) -> KindCodes:
    """Codes of a kind column (strings, categoricals, anything with a string form)."""
    if isinstance(values, pd.Series) and isinstance(values.dtype, pd.CategoricalDtype):
        codes, words = values.cat.codes.to_numpy(), list(values.cat.categories.to_numpy(object))
    else:
        found = _arrow_words(values)
        if found is None:
            array = values.to_numpy(dtype=object, na_value=None) \
                if isinstance(values, pd.Series) else np.asarray(values, dtype=object)
            codes, uniques = pd.factorize(array, use_na_sentinel=True)
            found = codes, list(uniques)
        codes, words = found
    # One gather through a per-word table (its last entry answers code -1, a missing kind):
    # the rows are touched once whatever their dtype.
    dtype = np.int16 if len(lookup.vocabulary) < 2**15 else np.int64
    mapped = np.array([-1 if w is None else lookup.code(w) for w in words] + [-1], dtype=dtype)
    out = mapped[codes]
    unknown: dict[str, int] = {}
    missing_words = [i for i, w in enumerate(words) if w is not None and mapped[i] < 0]
    if missing_words:
        present = codes.astype(np.int64)
        counts = np.bincount(present[present >= 0], minlength=len(words))
        for i in missing_words:
            if counts[i]:
                word = " ".join(str(words[i]).split())
                unknown[word] = unknown.get(word, 0) + int(counts[i])
    return KindCodes(np.ascontiguousarray(out), unknown)


#: Words that are a record's values, never a kind word: digits and date separators only (a
#: number, a date), or one token of five characters or more with a digit in it (an id such as
#: YJ01-000114; kind words with digits are short, S90, or phrases, Outcome 22).
_NOT_A_KIND_WORD = re.compile(r"^[\d\s/.:+\-]+$|^(?=\S*\d)\S{5,}$")


def _words_among(words: list[str], values: Any) -> set[str]:
    """Which of ``words`` are values of ``values`` (a column of ids: Arrow and polars text
    searched where it is held, since 10^8 offences' ids as Python strings took seconds)."""
    module = type(values).__module__.split(".")[0]
    if module == "pyarrow":
        import pyarrow as pa
        import pyarrow.compute as pc

        if not (pa.types.is_string(values.type) or pa.types.is_large_string(values.type)):
            values = values.cast(pa.large_string()) if pa.types.is_dictionary(values.type) \
                or str(values.type) == "string_view" else None
        if values is None:
            return set()
        found = pc.filter(values, pc.is_in(values, value_set=pa.array(words, values.type)))
        return {str(w) for w in pc.unique(found).to_pylist()}
    if module == "polars":
        import polars as pl

        if values.dtype not in (pl.String, pl.Categorical) and not isinstance(values.dtype,
                                                                               pl.Enum):
            return set()
        text = values.cast(pl.String)
        return {str(w) for w in text.filter(text.is_in(words)).unique().to_list()}
    column = pd.Series(values, copy=False)
    if column.dtype == object or pd.api.types.is_string_dtype(column.dtype) or \
            isinstance(column.dtype, pd.CategoricalDtype):
        return {str(w) for w in pd.unique(column[column.isin(words)])}
    return set()


def describe_unknown(unknown: Mapping[str, int], lookup: Lookup, limit: int = 8,
                     ids: Sequence[Any] = ()) -> str:
    """'Reprimand' (3 rows, did you mean ...?), ...; map them with kinds={...}. Words that are
    numbers or dates, or person ids of any column of ``ids`` (every table's person_id: the kind
    column swapped with another in any of them), are counted but not named: they are a record's
    values, not a vocabulary."""
    hidden = {w for w in unknown if _NOT_A_KIND_WORD.match(w)}
    if len(unknown) <= MAX_NAMED_WORDS:
        for values in ids:
            hidden |= _words_among(list(unknown), values)
    if hidden:
        named = {w: n for w, n in unknown.items() if w not in hidden}
        rows = sum(unknown[w] for w in hidden)
        note = (f"{len(hidden):,} unknown word{'s' if len(hidden) != 1 else ''} in {rows:,} "
                f"row{'s' if rows != 1 else ''} not shown: numbers, dates or person ids, not "
                "kinds: is 'kind' the right column?")
        if not named:
            return f"{note} (the kind codes are {lookup.accepted()})"
        return f"{describe_unknown(named, lookup, limit)}; {note}"
    if len(unknown) > MAX_NAMED_WORDS:
        # A vocabulary has a handful of words; this many different ones suggests the column
        # holds something else (ids, free text), which must not be echoed.
        return (f"{len(unknown):,} different unknown words, too many for a list of kinds: is "
                f"'kind' the right column? (the kind codes are {lookup.accepted()})")
    words = sorted(unknown.items(), key=lambda item: (-item[1], item[0]))
    candidates = lookup.vocabulary + [w for code in lookup.vocabulary
                                      for w in ALIASES.get(code, ())]
    parts = [f"{word!r} (in {n:,} row{'s' if n != 1 else ''}{suggest(word, candidates)})"
             for word, n in words[:limit]]
    more = f" and {len(words) - limit} more" if len(words) > limit else ""
    return (f"unknown kinds {', '.join(parts)}{more}; map them with kinds={{'word': 'code'}} "
            f"(the kind codes are {lookup.accepted()}; yosmodel.disposal_kinds() lists the "
            "words read as each)")
