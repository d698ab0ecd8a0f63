"""The inspection report: one self-contained HTML file (inline CSS and SVG, no scripts, no
network) laid out like a published HMI Probation youth inspection report.

Every table of counts about children goes through disclosure control before it is written or
drawn (:func:`published_counts`), unless the caller passes ``disclosure=None`` explicitly: counts
below the threshold are withheld, with secondary suppression against the totals a reader knows
(every question's answers add up to the number of cases)."""

from __future__ import annotations

import html
import io
import os
import re
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .disclosure import DEFAULT, apply_default, resolve

if TYPE_CHECKING:
    from .inspection import Inspection

_ANSWERS = ["yes", "no", "not_applicable"]

_CSS = """
body{font-family:Arial,Helvetica,sans-serif;max-width:60em;margin:2em auto;padding:0 1em;
color:#1b1b1b;line-height:1.45}
h1{color:#1d3b5a;font-size:1.7em}h2{color:#1d3b5a;border-bottom:2px solid #1d3b5a;
padding-bottom:.2em;margin-top:2em}h3{color:#333;font-size:1.05em;margin-bottom:.3em}
table{border-collapse:collapse;margin:.6em 0 1em;font-size:.92em}
caption{text-align:left;font-weight:bold;padding:.3em 0}
th,td{border:1px solid #c8c8c8;padding:.3em .6em;text-align:left;vertical-align:top}
th{background:#eef2f6}td.num,th.num{text-align:right}
.banner{background:#fff4e5;border-left:6px solid #e07b00;padding:.6em 1em;margin:1em 0}
.score{font-size:1.25em;margin:.4em 0}.judgement{font-weight:bold;text-transform:capitalize}
.strength{border-left:4px solid #2e7d32;padding-left:.6em}
.improve{border-left:4px solid #c62828;padding-left:.6em}
figure{margin:.5em 0}figcaption{font-size:.85em;color:#555}
.small{font-size:.85em;color:#555}nav a{margin-right:1em}
@media print{nav{display:none}section{break-before:page}figure,table{break-inside:avoid}}
"""


def published_counts(table: pd.DataFrame, row: str, counts: list[str], total: int,
                     disclosure: Any) -> pd.DataFrame:
    """``table`` (one row per ``row``, count columns adding up to ``total`` in every row) with
    disclosure control applied: the counts are suppressed as a table with a known margin, so a
    withheld count cannot be worked back from the row's other counts and its total."""
    long = table.melt(id_vars=[row], value_vars=counts, var_name="_column", value_name="_count")
    margin = table[[row]].assign(_column="All", _count=total)
    long = pd.concat([long, margin], ignore_index=True)
    safe = apply_default(long, [row, "_column"], disclosure, counts=["_count"], nested=False)
    withheld = safe[safe["_column"] != "All"].pivot(index=row, columns="_column", values="_count")
    out = table.copy()
    for column in counts:
        out[column] = out[row].map(withheld[column]).astype("Int64")
    out.attrs["disclosure"] = safe.attrs.get("disclosure")
    return out


def _disclosure_note(disclosure: Any) -> str:
    policy = resolve(disclosure)
    if policy is None:
        return ('<p class="banner"><strong>Disclosure control was turned off</strong> '
                "(disclosure=None): this report shows every count and must not be published "
                "without another check.</p>")
    return (f'<p class="small">Disclosure control: counts of cases below {policy.threshold} are '
            f"withheld ({html.escape(policy.symbol)}), with every figure derived from them; "
            "further counts are withheld where a withheld one could otherwise be worked back "
            "from a total. See docs/privacy.md.</p>")


def _cell(value: Any, withheld: str | None = None) -> tuple[str, bool]:
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return (html.escape(withheld), True) if withheld else ("&ndash;", False)
    if isinstance(value, (int, np.integer)):
        return str(int(value)), True
    if isinstance(value, (float, np.floating)):
        return f"{float(value):.3g}", True
    return html.escape(str(value)), False


def publish_table(table: pd.DataFrame, caption: str | None = None, *,
                  withheld: tuple[list[str], str] | None = None) -> str:
    """An HTML table; ``withheld = (columns, symbol)`` shows missing values in those columns
    (the counts disclosure control withheld) as the symbol."""
    shown = table
    marked = set(withheld[0]) if withheld else set()
    parts = ["<table>"]
    if caption:
        parts.append(f"<caption>{html.escape(caption)}</caption>")
    parts.append("<thead><tr>" + "".join(
        f"<th>{html.escape(str(c).replace('_', ' '))}</th>" for c in shown.columns)
        + "</tr></thead><tbody>")
    for row in shown.itertuples(index=False):
        cells = []
        for column, value in zip(shown.columns, row):
            text, numeric = _cell(value, withheld[1] if withheld and column in marked else None)
            cells.append(f'<td class="num">{text}</td>' if numeric else f"<td>{text}</td>")
        parts.append("<tr>" + "".join(cells) + "</tr>")
    parts.append("</tbody></table>")
    return "".join(parts)


def _wrap(text: str, width: int = 48) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(text, width)) or text


def question_chart_svg(summary: pd.DataFrame, salt: str) -> str:
    """A horizontal stacked bar per question (yes, no, not applicable) as inline SVG."""
    try:
        import matplotlib
        from matplotlib.figure import Figure
    except ImportError:
        raise ImportError("the report's charts need matplotlib: pip install "
                          "'yosmodel[plot]' (or matplotlib)") from None

    with matplotlib.rc_context({"svg.hashsalt": salt, "svg.fonttype": "none",
                                "font.size": 9}):
        fig = Figure(figsize=(7.5, 0.55 * len(summary) + 1.0))
        ax = fig.add_subplot()
        labels = [_wrap(q) for q in summary["question"]]
        y = np.arange(len(summary))[::-1]
        left = np.zeros(len(summary))
        for column, colour, name in [("yes", "#2e7d32", "Yes"), ("no", "#c62828", "No"),
                                     ("not_applicable", "#9e9e9e", "Not applicable")]:
            values = pd.to_numeric(summary[column], errors="coerce").fillna(0).to_numpy(float)
            ax.barh(y, values, left=left, color=colour, label=name, height=0.6)
            for yi, li, v in zip(y, left, values):
                if v > 0:
                    ax.text(li + v / 2, yi, f"{int(v)}", ha="center", va="center",
                            color="white", fontsize=8)
            left = left + values
        ax.set_yticks(y, labels)
        ax.set_xlabel("cases")
        ax.set_xlim(0, max(left.max(), 1))
        ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=3, frameon=False)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        fig.tight_layout()
        buffer = io.StringIO()
        fig.savefig(buffer, format="svg", metadata={"Date": None})
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg"):]
    # Several charts share one page: prefix their element ids (matplotlib numbers them from 1
    # in every figure) so ids stay unique and references still resolve.
    prefix = _slug(salt)
    svg = re.sub(r' id="([^"]+)"', rf' id="{prefix}-\1"', svg)
    svg = re.sub(r'url\(#([^)]+)\)', rf"url(#{prefix}-\1)", svg)
    return re.sub(r'href="#([^"]+)"', rf'href="#{prefix}-\1"', svg)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _findings_html(findings: list, theme_id: str) -> str:
    mine = [f for f in findings if f.theme == theme_id]
    out = []
    sections = [
        ("Key findings: strengths", lambda f: f.kind == "key_finding" and f.tone == "strength",
         "strength"),
        ("Key findings: areas for improvement",
         lambda f: f.kind == "key_finding" and f.tone == "area_for_improvement", "improve"),
        ("Key findings", lambda f: f.kind == "key_finding" and f.tone == "neutral", ""),
        ("Explanations", lambda f: f.kind == "explanation", ""),
        ("Examples of notable practice", lambda f: f.kind == "notable_practice", "strength"),
        ("What young people and parents said", lambda f: f.kind == "quote", ""),
    ]
    for title, keep, css in sections:
        chosen = [f for f in mine if keep(f)]
        if chosen:
            items = "".join(f"<li>{html.escape(f.text)}</li>" for f in chosen)
            cls = f' class="{css}"' if css else ""
            out.append(f"<h3>{title}</h3><ul{cls}>{items}</ul>")
    return "".join(out)


def _percent_text(score: Any) -> str:
    return "no score (judged by inspectors)" if pd.isna(score) else f"{int(score)}%"


def _reoffending_html(insp: Inspection, reoffending: pd.DataFrame | None) -> str:
    out = []
    context = insp.figures.get("reoffending")
    if context:
        table = pd.DataFrame(context.get("rows", []))
        if "binary_rate" in table:  # shown as a percentage, as published
            table["binary_rate"] = (table["binary_rate"] * 100).round(1)
            table = table.rename(columns={"binary_rate": "binary rate (%)"})
        out.append(publish_table(table, f"Proven reoffending: {context.get('cohort', '')}"))
        for key in ("source", "note"):
            if context.get(key):
                out.append(f'<p class="small">{html.escape(context[key])}</p>')
    if reoffending is not None:
        out.append(publish_table(reoffending, "Proven reoffending with 95% intervals"))
    if not out:
        out.append("<p>No reoffending figures were given for this inspection.</p>")
    other = insp.figures.get("education_training_employment")
    if other:
        out.append(publish_table(pd.DataFrame(other), "Education, training and employment"))
    return "".join(out)


def _group_sizes(insp: Inspection, attribute: str, disclosure: Any) -> pd.Series:
    """Cases per value of a case attribute, withheld where small (the values partition the
    sample, so the sample size is their known total)."""
    counts = insp.cases[attribute].value_counts(sort=False).sort_index()
    table = pd.DataFrame({"attribute": [attribute],
                          **{str(v): [int(n)] for v, n in counts.items()}})
    safe = published_counts(table, "attribute", [str(v) for v in counts.index], len(insp.cases),
                            disclosure)
    return pd.Series({v: safe[str(v)].iloc[0] for v in counts.index})


def _subgroups_html(insp: Inspection, subgroups: tuple[str, ...], disclosure: Any) -> str:
    out = []
    symbol = (resolve(disclosure) or DEFAULT).symbol
    for attribute in subgroups:
        if attribute not in insp.cases.columns:
            continue
        scores = insp.theme_scores(by=attribute)
        scores = scores[scores["applicable"].notna()]
        values = [v for v in scores[attribute].unique()]
        cases = _group_sizes(insp, attribute, disclosure)
        wide = pd.DataFrame({"theme": scores["theme"].unique()})
        for value in values:
            part = scores[scores[attribute] == value].set_index("theme")["score"]
            if pd.isna(cases[value]):  # a small group: its size and its scores are withheld
                wide[f"{value} ({symbol} cases), %"] = [symbol] * len(wide)
                continue
            wide[f"{value} ({int(cases[value])} cases), %"] = [
                None if pd.isna(part.get(t)) else int(np.floor(100 * part.get(t) + 0.5))
                for t in wide["theme"]]
        out.append(publish_table(wide, f"Theme scores by {attribute.replace('_', ' ')}"))
    if not out:
        return ""
    return ('<h2 id="subgroups">Scores by case group</h2><p class="small">Groups are small: '
            "differences of a few cases move these percentages a lot.</p>" + "".join(out))


def render_report(insp: Inspection, *, reoffending: pd.DataFrame | None = None,
                  title: str | None = None,
                  subgroups: tuple[str, ...] = ("sentence_type", "sex", "risk_of_harm"),
                  disclosure: Any = DEFAULT) -> str:
    """The report as one HTML string. ``subgroups``: case attributes to score by.
    ``disclosure``: the policy for every table of counts (default: threshold 10); ``None``
    turns disclosure control off, and the report then says so at the top."""
    symbol = (resolve(disclosure) or DEFAULT).symbol
    fw = insp.framework
    title = title or insp.figures.get("title") or f"Inspection of {insp.service or 'a service'}"
    judgements = insp.key_judgements()
    summary = insp.question_summary()
    body = [f"<h1>{html.escape(title)}</h1>"]
    if resolve(disclosure) is None:
        body.append(_disclosure_note(None))
    meta = [insp.service, f"published {insp.published}" if insp.published else "",
            f"framework: {fw.name}", f"{len(insp.cases)} cases inspected"]
    body.append(f"<p>{html.escape(' · '.join(m for m in meta if m))}</p>")
    if insp.provenance:
        text = re.sub(r"^RECONSTRUCTION:\s*", "", insp.provenance)
        body.append(f'<div class="banner"><strong>Reconstruction.</strong> '
                    f"{html.escape(text)}</div>")
    nav = "".join(f'<a href="#theme-{_slug(t.id)}">{html.escape(t.name)}</a>'
                  for t in fw.themes)
    body.append(f"<nav>{nav}<a href=\"#recommendations\">Recommendations</a>"
                f"<a href=\"#reoffending\">Reoffending</a></nav>")

    body.append('<h2 id="key-judgements">Key judgements</h2>')
    body.append(publish_table(judgements, "Key judgements"))
    if insp.figures.get("sample"):
        body.append(f"<p>{html.escape(insp.figures['sample'])}</p>")
    attributes = [c for c in insp.cases.columns if c != "case_id"]
    if attributes:
        rows = [(a.replace("_", " "), str(v), n) for a in attributes
                for v, n in _group_sizes(insp, a, disclosure).items()]
        body.append(publish_table(pd.DataFrame(rows, columns=["attribute", "value", "cases"]),
                                  "The inspected sample", withheld=(["cases"], symbol)))

    for t, (_, row) in zip(fw.themes, judgements.iterrows()):
        body.append(f'<section id="theme-{_slug(t.id)}"><h2>{html.escape(t.name)}</h2>')
        judgement = row["judgement"] if isinstance(row["judgement"], str) else "not set"
        body.append(f'<p class="score">Score: <strong>{_percent_text(row["score"])}</strong>'
                    f' &middot; Judgement: <span class="judgement">'
                    f"{html.escape(judgement)}</span></p>")
        if t.expectations:
            body.append(f"<h3>What we expect to see</h3><p>{html.escape(t.expectations)}</p>")
        body.append(_findings_html(insp.findings, t.id))
        if t.scored:
            mine = summary[summary["question_id"].isin([q.id for q in t.questions])]
            table = published_counts(
                mine[["question", "yes", "no", "not_applicable"]].reset_index(drop=True),
                "question", _ANSWERS, len(insp.cases), disclosure)
            chart = question_chart_svg(table, salt=t.id)
            body.append("<h3>Data summary</h3>")
            body.append(f"<figure>{chart}<figcaption>Answers per question, {len(insp.cases)} "
                        "cases. The yes and no answers may not add up to the number of cases, "
                        "since some questions were not applicable to every case. Withheld "
                        f"counts ({html.escape(symbol)} in the table) are not drawn."
                        "</figcaption></figure>")
            body.append(publish_table(table, f"{t.name}: answers per question",
                                      withheld=(_ANSWERS, symbol)))
        body.append("</section>")

    body.append(_subgroups_html(insp, subgroups, disclosure))

    body.append('<h2 id="recommendations">Recommendations</h2>')
    if insp.recommendations:
        names = {t.id: t.name for t in fw.themes}
        recs = pd.DataFrame({
            "number": [r.number for r in insp.recommendations],
            "addressee": [r.addressee for r in insp.recommendations],
            "recommendation": [r.text for r in insp.recommendations],
            "themes": ["; ".join(names.get(x, x) for x in r.themes)
                       for r in insp.recommendations],
        })
        body.append(publish_table(recs, "Recommendations"))
    else:
        body.append("<p>No recommendations were recorded.</p>")

    body.append('<h2 id="reoffending">Reoffending context</h2>')
    body.append(_reoffending_html(insp, reoffending))

    bands = "; ".join(f"{html.escape(word)} from {min_score:.0%}" for min_score, word in fw.bands)
    rule = ("done-well answers over applicable answers across its questions"
            if fw.theme_rule == "pooled" else "the score of its lowest question")
    body.append('<h2 id="method">How the scores were made</h2>')
    body.append(f"<p>A question's score is yes / (yes + no): not-applicable answers count "
                f"towards neither. A theme's score is {rule}. Judgement bands: {bands}. "
                "Judged themes are set by inspectors. See docs/inspection.md for which rules "
                "are published and which are assumed.</p>")
    body.append(_disclosure_note(disclosure))
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{html.escape(title)}</title><style>{_CSS}</style></head><body>"
            + "".join(body) + "</body></html>\n")


def write_report(insp: Inspection, path: str | os.PathLike, *,
                 reoffending: pd.DataFrame | None = None, title: str | None = None,
                 disclosure: Any = DEFAULT) -> str:
    """Writes :func:`render_report` to ``path`` and returns the path."""
    text = render_report(insp, reoffending=reoffending, title=title, disclosure=disclosure)
    folder = os.path.dirname(os.fspath(path))
    if folder:
        os.makedirs(folder, exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return os.fspath(path)
