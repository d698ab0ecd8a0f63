"""The audit record of disclosure control (``attrs["disclosure"]``): the rules in words and the
withheld cells. It names index labels and columns, never a value from the table."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd


class SuppressedCells:
    """The withheld values of a table: (index label, column, rule) for each, in column order.

    Immutable. pandas copies ``attrs`` deeply on most operations, so this list is shared rather
    than copied (``__deepcopy__`` returns it as it is), which keeps big tables fast."""

    __slots__ = ("_rows", "_columns", "_rules")

    def __init__(self, rows: Sequence[Any], columns: Sequence[str], rules: Sequence[str]):
        self._rows = tuple(rows)
        self._columns = tuple(columns)
        self._rules = tuple(rules)

    def __len__(self) -> int:
        return len(self._rows)

    def __iter__(self):
        for row, column, rule in zip(self._rows, self._columns, self._rules):
            yield {"row": row, "column": column, "rule": rule}

    def __getitem__(self, i: int) -> dict[str, Any]:
        return {"row": self._rows[i], "column": self._columns[i], "rule": self._rules[i]}

    def __eq__(self, other: object) -> bool:
        if isinstance(other, SuppressedCells):
            return (self._rows, self._columns, self._rules) == \
                (other._rows, other._columns, other._rules)
        if isinstance(other, list):
            return list(self) == other
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __copy__(self) -> SuppressedCells:
        return self

    def __deepcopy__(self, memo: dict) -> SuppressedCells:
        return self

    def __repr__(self) -> str:
        counts = {r: self._rules.count(r) for r in dict.fromkeys(self._rules)}
        return f"SuppressedCells({len(self)} values: " + \
            ", ".join(f"{n} {r}" for r, n in counts.items()) + ")"

    def positions(self) -> set[tuple[Any, str]]:
        """{(index label, column)} of every withheld value."""
        return set(zip(self._rows, self._columns))

    def to_frame(self) -> pd.DataFrame:
        """One row per withheld value: row (index label), column, rule."""
        return pd.DataFrame({"row": list(self._rows), "column": list(self._columns),
                             "rule": list(self._rules)})


def describe_rules(threshold: int, zero_is_small: bool, secondary: bool, nested: bool,
              counts: list[str], derived: Mapping[str, Sequence[str]],
              reference: Sequence[str] = ()) -> dict[str, str]:
    zero = "zero counts are withheld too" if zero_is_small else "zero counts are published"
    rules = {
        "primary": f"a count ({', '.join(counts)}) below {threshold} is withheld; {zero}",
        "derived": "a measure is withheld wherever a count it is computed from is withheld ("
                   + "; ".join(f"{k} from {', '.join(v) or 'the reference row'}"
                               + (" and the reference row" if v and k in reference else "")
                               for k, v in derived.items()) + ")",
    }
    if nested and len(counts) > 1:
        rules["linked"] = ("counts are nested (" + " > ".join(counts) + "): a small count also "
                           "withholds the later counts of the same cell, which are about the "
                           "same few people")
    if secondary:
        rules["secondary"] = ("further cells are withheld so that no withheld count can be "
                              "computed exactly from the published cells and the totals "
                              "along any key; partners are the smallest non-zero counts, "
                              "preferring cells already withheld in another count")
    return rules
