"""HTML pieces of the inspection report (a leaf: it imports nothing else of the package):
tables with one caption each, the one way judgement words and scores are written, and the
disclosure-controlled count tables."""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from ..disclosure import apply_default


def escape(text: Any) -> str:
    return html.escape(str(text))


def word(judgement: Any) -> str:
    """A judgement or rating word as every part of the report writes it: sentence case
    ("Good", "Requires improvement"), whatever case the framework file uses."""
    if not isinstance(judgement, str) or not judgement:
        return ""
    return judgement[:1].upper() + judgement[1:]


def percent(score: Any) -> str:
    """A score (a share in [0, 1]) as a whole percentage with its sign, half-up as published;
    "" when there is no score."""
    if score is None or score is pd.NA or (isinstance(score, float) and np.isnan(score)):
        return ""
    return f"{whole_percent(float(score))}%"


def whole_percent(score: float) -> int:
    """A share in [0, 1] as a whole percentage, half-up. ``score * 100`` is not exact in
    binary (23 / 40 * 100 is 57.4999...): a share of whole counts is never within 1e-9 of a
    half without being on it (for fewer than 10^8 cases), so the product is rounded first."""
    return int(np.floor(round(float(score) * 100, 9) + 0.5))


def group_values(column: pd.Series) -> list[Any]:
    """The values of a case attribute, each once, in the order scores and tables give them:
    as they sort (ages 9, 10, 15; by their text, 10 came before 9), or by their text where
    they do not sort together (15 and "unknown" in one column)."""
    values = list(column.dropna().unique())
    try:
        return sorted(values)
    except TypeError:
        return sorted(values, key=str)


def _cell(value: Any, withheld: str | None = None) -> tuple[str, bool]:
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return (escape(withheld), True) if withheld else ("&ndash;", False)
    if isinstance(value, (bool, np.bool_)):
        return ("yes" if value else "no"), False
    if isinstance(value, (int, np.integer)):
        return str(int(value)), True
    if isinstance(value, (float, np.floating)):
        return f"{float(value):.3g}", True
    text = str(value)
    return escape(text), text.endswith("%") and text[:-1].replace(".", "", 1).isdigit()


def publish_table(table: pd.DataFrame, caption: str | None = None, *,
                  withheld: tuple[list[str], str] | None = None,
                  all_withheld: str | None = None) -> str:
    """An HTML table with ``caption`` as its one heading. ``withheld = (columns, symbol)``
    shows missing values in those columns (counts disclosure control withheld) as the symbol;
    when every one of them is withheld the table is replaced by one sentence
    (``all_withheld``, or a default saying why)."""
    marked = [c for c in (withheld[0] if withheld else []) if c in table.columns]
    if marked and len(table) and table[marked].isna().to_numpy().all():
        what = f" ({escape(caption)})" if caption else ""
        return ('<p class="withheld-table">' + escape(all_withheld or (
            "Every count in this table is below the disclosure threshold or could be worked "
            "back from one that is, so the table is withheld")) + f"{what}.</p>")
    parts = ["<table>"]
    if caption:
        parts.append(f"<caption>{escape(caption)}</caption>")
    parts.append("<thead><tr>" + "".join(
        f'<th scope="col">{escape(str(c).replace("_", " "))}</th>' for c in table.columns)
        + "</tr></thead><tbody>")
    symbol = withheld[1] if withheld else None
    for row in table.itertuples(index=False):
        cells = []
        for column, value in zip(table.columns, row):
            text, numeric = _cell(value, symbol if column in marked else None)
            cells.append(f'<td class="num">{text}</td>' if numeric else f"<td>{text}</td>")
        parts.append("<tr>" + "".join(cells) + "</tr>")
    parts.append("</tbody></table>")
    return "".join(parts)


def published_counts(table: pd.DataFrame, row: str, counts: Sequence[str], total: int,
                     disclosure: Any, *, column_totals: bool = False) -> pd.DataFrame:
    """``table`` (one row per ``row``, count columns adding up to ``total`` in every row) with
    disclosure control applied: the counts are suppressed as a table with a known margin, so a
    withheld count cannot be worked back from the row's other counts and its total.

    ``column_totals``: the total down each count column is a published margin too (a pooled
    score is made of them: its yes and no totals), controlled with the cells, so that neither
    the totals nor anything made of them gives back a withheld count. The count columns whose
    total is withheld are listed in ``attrs["withheld_totals"]``."""
    counts = list(counts)
    values = table[counts].to_numpy(dtype=np.int64).reshape(len(table), len(counts))
    rows, width = values.shape
    # The suppression's own labels: a row or count column named like the margin ("All", a
    # group of that name) or like the row column ("attribute") was taken for it.
    cells = pd.DataFrame({"_row": np.repeat([f"r{i}" for i in range(rows)], width),
                          "_column": [f"c{j}" for j in range(width)] * rows,
                          "_count": values.ravel()})
    parts = [cells, pd.DataFrame({"_row": [f"r{i}" for i in range(rows)], "_column": "All",
                                  "_count": np.full(rows, total, dtype=np.int64)})]
    if column_totals:
        parts.append(pd.DataFrame({"_row": "All", "_column": [f"c{j}" for j in range(width)]
                                   + ["All"], "_count": [*values.sum(axis=0), total * rows]}))
    long = pd.concat(parts, ignore_index=True)
    out = table.copy()
    if not rows or not width:
        for column in counts:
            out[column] = out[column].astype("Int64")
        out.attrs["disclosure"] = None
        out.attrs["withheld_totals"] = []
        return out
    safe = apply_default(long, ["_row", "_column"], disclosure, counts=["_count"], nested=False)
    shown = safe["_count"].astype("Int64").to_numpy(dtype=object, na_value=None)
    for j, column in enumerate(counts):
        out[column] = pd.array(list(shown[j:rows * width:width]), dtype="Int64")
    out.attrs["disclosure"] = safe.attrs.get("disclosure")
    totals = shown[rows * width + rows:] if column_totals else []
    out.attrs["withheld_totals"] = [c for c, v in zip(counts, totals) if v is None]
    return out
