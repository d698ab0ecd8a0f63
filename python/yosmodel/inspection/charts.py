"""The inspection charts, drawn once: what each bar holds (:func:`data_summary_layout`) and a
self-contained SVG of it that needs nothing beyond the standard library (the report's charts).
``yosmodel.plot.data_summary`` draws the same layout with matplotlib for notebooks.

Withheld counts never make a bar lie: the part of a bar that disclosure control withheld is
drawn hatched and labelled "withheld", so every bar still reaches its total. Every chart is an
``role="img"`` element with a title and a text description (WCAG 2.2 AA)."""

from __future__ import annotations

import html
import re
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

# (column, legend label, colour): the answer segments, in drawing order.
ANSWERS = (("yes", "Yes", "#2e7d32"), ("no", "No", "#c62828"),
           ("not_applicable", "Not applicable", "#757575"))
WITHHELD = ("withheld", "Withheld", "#5a5a5a")
RATING_COLOURS = ("#1b5e20", "#43a047", "#f9a825", "#c62828", "#6d4c41", "#455a64")


@dataclass(frozen=True)
class Segment:
    kind: str          # an answer column, or "withheld"
    label: str         # as the legend names it
    colour: str
    count: float       # width in cases (for withheld: the total less what is shown)
    text: str          # written on the bar ("" when too narrow)


@dataclass(frozen=True)
class Bar:
    label: str
    total: float
    segments: tuple[Segment, ...]
    withheld_all: bool

    def describe(self) -> str:
        if self.withheld_all:
            return f"{self.label}: all counts withheld"
        parts = [f"{s.label} {s.text}" if s.kind != "withheld" else "the rest withheld"
                 for s in self.segments]
        return f"{self.label}: {', '.join(parts) if parts else 'no cases'}"


def data_summary_layout(table: pd.DataFrame, total: int, label: str = "question",
                        columns: Sequence[tuple[str, str, str]] = ANSWERS) -> list[Bar]:
    """One bar per row of ``table`` (counts after disclosure control: a withheld count is
    missing). ``total`` is what each row adds up to (the cases in the chart); the withheld part
    of a row is ``total`` less its shown counts."""
    bars = []
    for _, row in table.iterrows():
        segments = []
        shown = 0.0
        withheld_any = False
        for column, name, colour in columns:
            value = row[column]
            if pd.isna(value):
                withheld_any = True
                continue
            count = float(value)
            shown += count
            if count > 0:
                segments.append(Segment(column, name, colour, count, f"{int(count)}"))
        rest = max(float(total) - shown, 0.0)
        withheld_all = withheld_any and shown == 0
        if withheld_any and rest > 0:
            segments.append(Segment(*WITHHELD[:1], WITHHELD[1], WITHHELD[2], rest, "withheld"))
        bars.append(Bar(str(row[label]), float(total), tuple(segments), withheld_all))
    return bars


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "chart"


def _e(text: Any) -> str:
    return html.escape(str(text), quote=True)


def _frame(prefix: str, width: int, height: int, title: str, description: str,
           body: str) -> str:
    # The hatch is the withheld pattern; defined in every chart so each SVG stands alone.
    return (f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" '
            f'height="{height}" viewBox="0 0 {width} {height}" '
            f'aria-labelledby="{prefix}-title {prefix}-desc" font-family="Arial, Helvetica, '
            f'sans-serif" font-size="12">'
            f'<title id="{prefix}-title">{_e(title)}</title>'
            f'<desc id="{prefix}-desc">{_e(description)}</desc>'
            f'<defs><pattern id="{prefix}-hatch" patternUnits="userSpaceOnUse" width="6" '
            f'height="6" patternTransform="rotate(45)"><rect width="6" height="6" '
            f'fill="#ffffff"/><rect width="3" height="6" fill="{WITHHELD[2]}"/></pattern>'
            f"</defs>{body}</svg>")


def empty_svg(message: str, title: str, salt: str = "empty") -> str:
    """A chart that has nothing to show, saying so in words."""
    prefix = _slug(salt)
    body = (f'<rect x="0.5" y="0.5" width="479" height="59" fill="#fafafa" stroke="#bdbdbd"/>'
            f'<text x="240" y="35" text-anchor="middle" fill="#333333">{_e(message)}</text>')
    return _frame(prefix, 480, 60, title, message, body)


def _legend(prefix: str, items: Sequence[tuple[str, str, bool]], x: float, y: float) -> str:
    out = []
    for name, colour, hatched in items:
        fill = f"url(#{prefix}-hatch)" if hatched else colour
        out.append(f'<rect x="{x:.1f}" y="{y - 10:.1f}" width="12" height="12" fill="{fill}" '
                   f'stroke="#333333" stroke-width="0.5"/><text x="{x + 16:.1f}" y="{y:.1f}">'
                   f"{_e(name)}</text>")
        x += 24 + 7 * len(name)
    return "".join(out)


def bars_svg(bars: Sequence[Bar], *, title: str, salt: str, unit: str = "cases",
             wrap: int = 46, width: int = 760, percent: bool = False) -> str:
    """Horizontal stacked bars as one standalone SVG: labels on the left (wrapped), counts on
    the segments, a legend above, the scale below."""
    prefix = _slug(salt)
    if not bars or all(b.total <= 0 for b in bars):
        return empty_svg(f"No {unit} to show.", title, salt)
    label_width, right = 330, 20
    plot_width = width - label_width - right
    wrapped = [textwrap.wrap(b.label, wrap) or [b.label] for b in bars]
    row_heights = [max(28, 15 * len(lines) + 8) for lines in wrapped]
    top = 34
    height = top + sum(row_heights) + 34
    scale = max(b.total for b in bars)
    kinds: dict[str, tuple[str, str, bool]] = {}
    body = []
    y = float(top)
    for bar, lines, h in zip(bars, wrapped, row_heights):
        mid = y + h / 2
        first = mid - 7.5 * (len(lines) - 1) + 4
        spans = "".join(f'<tspan x="{label_width - 8}" y="{first + 15 * i:.1f}">{_e(line)}'
                        "</tspan>" for i, line in enumerate(lines))
        body.append(f'<text text-anchor="end" fill="#1b1b1b">{spans}</text>')
        x = float(label_width)
        bar_h = 18.0
        for s in bar.segments:
            w = plot_width * s.count / scale
            hatched = s.kind == "withheld"
            kinds.setdefault(s.kind, (s.label, s.colour, hatched))
            fill = f"url(#{prefix}-hatch)" if hatched else s.colour
            body.append(f'<rect x="{x:.1f}" y="{mid - bar_h / 2:.1f}" width="{w:.1f}" '
                        f'height="{bar_h}" fill="{fill}" stroke="#ffffff" stroke-width="0.5">'
                        f"<title>{_e(s.label)}: {_e(s.text)}</title></rect>")
            text = s.text
            fits = w >= 7 * len(text) + 6
            if text and fits:
                colour = "#1b1b1b" if hatched else "#ffffff"
                box = (f'<rect x="{x + w / 2 - 3.6 * len(text) - 3:.1f}" y="{mid - 8:.1f}" '
                       f'width="{7.2 * len(text) + 6:.1f}" height="15" fill="#ffffff" '
                       'opacity="0.9"/>') if hatched else ""
                body.append(f'{box}<text x="{x + w / 2:.1f}" y="{mid + 4:.1f}" '
                            f'text-anchor="middle" fill="{colour}">{_e(text)}</text>')
            x += w
        if bar.withheld_all:
            body.append(f'<text x="{label_width + plot_width / 2:.1f}" y="{mid + 4:.1f}" '
                        'text-anchor="middle" fill="#1b1b1b" font-weight="bold">'
                        "all counts withheld</text>")
        y += h
    axis_y = top + sum(row_heights) + 4
    ticks = []
    for i in range(5):
        value = scale * i / 4
        tx = label_width + plot_width * i / 4
        shown = f"{value * 100:.0f}%" if percent else f"{value:.0f}"
        ticks.append(f'<line x1="{tx:.1f}" y1="{axis_y}" x2="{tx:.1f}" y2="{axis_y + 4}" '
                     f'stroke="#555555"/><text x="{tx:.1f}" y="{axis_y + 16}" '
                     f'text-anchor="middle" fill="#333333">{shown}</text>')
    body.append(f'<line x1="{label_width}" y1="{axis_y}" x2="{label_width + plot_width}" '
                f'y2="{axis_y}" stroke="#555555"/>' + "".join(ticks))
    body.insert(0, _legend(prefix, list(kinds.values()), label_width, 18))
    description = f"{title}. " + "; ".join(b.describe() for b in bars) + "."
    return _frame(prefix, width, int(height), title, description, "".join(body))


def data_summary_svg(table: pd.DataFrame, total: int, *, title: str, salt: str) -> str:
    """The data-summary chart of a theme: a bar per question of yes, no and not applicable
    answers (and the withheld part), out of ``total`` cases."""
    return bars_svg(data_summary_layout(table, total), title=title, salt=salt)


def group_sizes(insp: Any, attribute: str, disclosure: Any) -> list[tuple[Any, Any]]:
    """(value, cases) per value of a case attribute, in the values' order (by their text
    where they do not sort together: 15 and "unknown"), cases missing where withheld; then
    (None, cases) for the cases with no value, if any. With those the values partition the
    sample, so the sample size is their known total and no withheld size can be worked back
    from it (3 cases of no value were the sample less the groups shown)."""
    from ._html import group_values, published_counts

    column = insp.cases[attribute]
    values: list[Any] = group_values(column)
    sizes = [int((column == v).sum()) for v in values]
    unset = int(column.isna().sum())
    if unset:
        values.append(None)
        sizes.append(unset)
    names = [f"group {i}" for i in range(len(sizes))]  # a value's own text may be anything
    table = pd.DataFrame({"attribute": [attribute], **{n: [s] for n, s in zip(names, sizes)}})
    safe = published_counts(table, "attribute", names, len(insp.cases), disclosure)
    return [(v, safe[n].iloc[0]) for v, n in zip(values, names)]


def size_withheld(inspection: Any, where: Any, disclosure: Any) -> bool:
    """Whether disclosure control withholds the size of the case group ``where`` picks, as the
    report does: a group of one value of one attribute with that attribute's other groups
    (the sample's 8 custody cases withhold its 49 community cases too), any other group with
    the rest of the sample, whose size is known. A chart of the 49 drew its axis to 49."""
    from ..disclosure import resolve
    from ._html import published_counts

    if where is None or resolve(disclosure) is None:
        return False
    if isinstance(where, Mapping) and len(where) == 1:
        ((attribute, wanted),) = where.items()
        if isinstance(wanted, str) or not isinstance(wanted, Iterable):
            for value, size in group_sizes(inspection, attribute, disclosure):
                if value is not None and value == wanted:
                    return bool(pd.isna(size))
    mask = inspection._mask(where)
    cases, total = int(mask.sum()), len(inspection.cases)
    table = pd.DataFrame({"group": ["where"], "in": [cases], "out": [total - cases]})
    safe = published_counts(table, "group", ["in", "out"], total, disclosure)
    return bool(pd.isna(safe["in"].iloc[0]))


def theme_counts(inspection: Any, theme: Any, where: Any,
                 disclosure: Any) -> tuple[pd.DataFrame, int, bool]:
    """A theme's answer counts per question after disclosure control, the number of cases
    they add up to, and whether the theme's score must be withheld with them.

    A score is a figure derived from counts, so it is withheld where the counts it is made of
    are: under the pooled rule its yes and no totals down the questions (controlled with the
    cells as published margins, so a shown score gives back no withheld count), under the
    lowest_question rule the yes and no of the question that sets it. A single-question theme
    of 30 yes, 3 no and 24 not applicable published 91%, and so the 3 its table withheld."""
    from ..disclosure import resolve
    from ._html import published_counts

    summary = inspection.question_summary(where)
    ids = [q.id for q in theme.questions]
    mine = summary[summary["question_id"].isin(ids)].reset_index(drop=True)
    mask = inspection._mask(where)
    cases = len(inspection.cases) if mask is None else int(mask.sum())
    pooled = inspection.framework.theme_rule == "pooled"
    table = published_counts(mine[["question", "yes", "no", "not_applicable"]], "question",
                             [c for c, _, _ in ANSWERS], cases, disclosure, column_totals=pooled)
    if resolve(disclosure) is None or not theme.scored:
        return table, cases, False
    if pooled:
        return table, cases, bool({"yes", "no"} & set(table.attrs["withheld_totals"]))
    at = [t.id for t in inspection.framework.themes].index(theme.id)
    question = inspection._core.theme_scores(mask)[at].question
    if question is None:  # nothing applicable: no score to withhold
        return table, cases, False
    row = mine.index[mine["question_id"] == inspection.framework.questions[question].id]
    return table, cases, bool(table.loc[row, ["yes", "no"]].isna().to_numpy().any())


def question_table(inspection: Any, theme: Any, where: Any,
                   disclosure: Any) -> tuple[pd.DataFrame, int]:
    """A theme's answer counts per question after disclosure control, and the number of cases
    they add up to: what the report's table and chart and ``plot.data_summary`` all show.
    ``where`` picks a case subgroup (as :meth:`Inspection.question_summary` takes it)."""
    table, cases, _ = theme_counts(inspection, theme, where, disclosure)
    return table, cases
