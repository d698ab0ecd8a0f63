"""The inspection report: one self-contained HTML file (inline CSS and SVG, no scripts, no
network, no optional extra) laid out like a published HMI Probation youth inspection report.

Every table of counts about children goes through disclosure control before it is written or
drawn (:func:`published_counts`), a reoffending table included, unless the caller passes
``disclosure=None`` explicitly. Only the case attributes the framework (or the caller) declares
as subgroups are published: a name or notes column in the cases never appears."""

from __future__ import annotations

import os
import re
from collections.abc import Collection, Sequence
from typing import Any

import pandas as pd

from .._utils.plural import counted
from ..disclosure import DEFAULT, apply_default, refuse_changed_since, refuse_identifiers, resolve
from ..errors import DtypeError, InputError
from ._html import escape, percent, publish_table, published_counts, word
from .charts import data_summary_svg, empty_svg, group_sizes, theme_counts

__all__ = ["key_judgements_table", "published_counts", "publish_table", "render_report",
           "write_report"]

_ANSWERS = ["yes", "no", "not_applicable"]

_CSS = """
body{font-family:Arial,Helvetica,sans-serif;max-width:60em;margin:2em auto;padding:0 1em;
color:#1b1b1b;line-height:1.45}
h1{color:#1d3b5a;font-size:1.7em}h2{color:#1d3b5a;border-bottom:2px solid #1d3b5a;
padding-bottom:.2em;margin-top:2em}h3{color:#333;font-size:1.05em;margin-bottom:.3em}
table{border-collapse:collapse;margin:.6em 0 1em;font-size:.92em}
caption{text-align:left;font-weight:bold;padding:.3em 0;color:#1d3b5a}
th,td{border:1px solid #c8c8c8;padding:.3em .6em;text-align:left;vertical-align:top}
th{background:#eef2f6}td.num,th.num{text-align:right}
.banner{background:#fff4e5;border-left:6px solid #b35900;padding:.6em 1em;margin:1em 0}
.score{font-size:1.25em;margin:.4em 0}.judgement{font-weight:bold}
li.strength,li.improve{border-left:4px solid;padding-left:.6em;list-style-position:inside}
ul.notable{border-left:4px solid;padding-left:2.2em;list-style-position:outside}
li.strength,ul.notable{border-color:#2e7d32}li.improve{border-color:#c62828}.tone{font-weight:600}
figure{margin:.5em 0}figcaption{font-size:.85em;color:#444}svg{max-width:100%;height:auto}
.small{font-size:.85em;color:#444}nav a{margin-right:1em;color:#1d3b5a}
@media print{nav{display:none}section{break-before:page}figure,table{break-inside:avoid}}
"""


def _disclosure_note(disclosure: Any) -> str:
    policy = resolve(disclosure)
    if policy is None:
        return ('<p class="banner"><strong>Disclosure control was turned off</strong> '
                "(disclosure=None): this report shows every count and must not be published "
                "without another check.</p>")
    return (f'<p class="small">Disclosure control: counts of cases below {policy.threshold} are '
            f"withheld ({escape(policy.symbol)} in tables, hatched in charts), with every figure "
            "derived from them; further counts are withheld where a withheld one could "
            "otherwise be worked back from a total.</p>")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


#: How a key finding's tone is shown: a class for the coloured rule and a word, so the tone
#: does not rest on colour alone.
_TONE_MARK = {"strength": ("strength", "Strength"),
              "area_for_improvement": ("improve", "Area for improvement")}


def _findings_html(findings: list[Any], theme_id: str) -> str:
    # The report's own order inside a theme: one list of key findings as the inspectors wrote
    # them (strengths and areas for improvement interleaved, each marked), then the
    # explanations, notable practice and what young people and parents said.
    mine = [f for f in findings if f.theme == theme_id]
    out = []
    key = [f for f in mine if f.kind == "key_finding"]
    if key:
        items = []
        for f in key:
            css, label = _TONE_MARK.get(f.tone, ("", ""))
            mark = f'<span class="tone">{label}: </span>' if label else ""
            cls = f' class="{css}"' if css else ""
            items.append(f"<li{cls}>{mark}{escape(f.text)}</li>")
        out.append(f'<h3>Key findings</h3><ul class="findings">{"".join(items)}</ul>')
    sections = [
        ("Explanation of findings", "explanation", ""),
        ("Examples of notable practice", "notable_practice", ' class="notable"'),
        ("What young people and parents said", "quote", ""),
    ]
    for title, kind, cls in sections:
        chosen = [f for f in mine if f.kind == kind]
        if chosen:
            items_html = "".join(f"<li>{escape(f.text)}</li>" for f in chosen)
            out.append(f"<h3>{title}</h3><ul{cls}>{items_html}</ul>")
    return "".join(out)


def _key_columns(table: pd.DataFrame) -> list[str]:
    columns = list(table.columns)
    return columns[:columns.index("offenders")] if "offenders" in columns else []


def _as_percent(table: pd.DataFrame) -> pd.DataFrame:
    # Proportions (rates and their interval ends) as percentages with their sign; other
    # measures (reoffences per offender) as numbers. A missing value stays missing, for
    # publish_table to show as withheld as it does the other measures' (a blank would say
    # "no value").
    out = table.copy()
    for column in out.columns:
        if column.startswith("binary_rate"):
            out[column] = pd.Series([None if pd.isna(v) else f"{100 * float(v):.1f}%"
                                     for v in out[column]], index=out.index, dtype=object)
    return out


def _check_as_strict(record: dict, policy: Any) -> None:
    """A table suppressed before it came must meet the report's policy, which the report's
    note states: a weaker threshold, zeros shown or no secondary suppression are refused."""
    if policy is None:
        return
    weaker = [what for what, weak in (
        (f"threshold {record.get('threshold')} below {policy.threshold}",
         int(record.get("threshold", 0)) < policy.threshold),
        ("zeros not withheld", policy.zero_is_small and not record.get("zero_is_small")),
        ("no secondary suppression", policy.secondary and not record.get("secondary")))
        if weak]
    if weaker:
        raise InputError("the reoffending table went through disclosure control with weaker "
                         f"settings than the report's ({'; '.join(weaker)}); pass the table "
                         "before suppression and the report applies its own")


def _reoffending_html(insp: Any, reoffending: pd.DataFrame | None, disclosure: Any,
                      symbol: str) -> str:
    out = []
    context = insp.figures.get("reoffending")
    if context:  # published figures (already public), shown as published
        table = pd.DataFrame(context.get("rows", []))
        out.append(publish_table(_as_percent(table),
                                 f"Proven reoffending: {context.get('cohort', '')}"))
        for key in ("source", "note"):
            if context.get(key):
                out.append(f'<p class="small">{escape(context[key])}</p>')
    if reoffending is not None:
        if not isinstance(reoffending, pd.DataFrame):
            raise DtypeError("reoffending must be a pandas DataFrame from "
                             "yosmodel.reoffending_rates")
        if "offenders" not in reoffending.columns:
            raise InputError("reoffending must be a table of grouped measures from "
                             "yosmodel.reoffending_rates (with an 'offenders' column), not a "
                             "person-level cohort: a report never shows one person's row")
        record = reoffending.attrs.get("disclosure")
        if isinstance(record, dict) and record.get("applied"):
            _check_as_strict(record, resolve(disclosure))
            # as every publishing path does: no identifier, nothing changed since suppress
            refuse_identifiers(record.get("by"), reoffending)
            refuse_changed_since(reoffending, record, "the reoffending table")
            safe = reoffending
        else:
            # A table marked "disclosure control off" is controlled like any other: the
            # report's policy, stated in its note, is what its tables meet.
            safe = apply_default(reoffending, _key_columns(reoffending), disclosure)
        counts = [c for c in ("offenders", "reoffenders", "reoffences") if c in safe.columns]
        derived = [c for c in safe.columns if c not in counts and c not in _key_columns(safe)]
        out.append(publish_table(_as_percent(safe), "Proven reoffending with 95% intervals",
                                 withheld=(counts + derived, symbol)))
    if not out:
        out.append("<p>No reoffending figures were given for this inspection.</p>")
    other = insp.figures.get("education_training_employment")
    if other:
        out.append(publish_table(pd.DataFrame(other), "Education, training and employment"))
    return "".join(out)


#: How the sample table names the cases with no value of an attribute.
_NOT_RECORDED = "not recorded"


def declared_subgroups(insp: Any, subgroups: Sequence[str] | None) -> list[str]:
    """The case attributes a report may publish: the caller's, or the framework's declared
    subgroups, of those the cases have. Anything else in the cases (a name, notes) is not."""
    chosen = list(insp.framework.subgroups if subgroups is None else subgroups)
    if isinstance(subgroups, str):
        chosen = [subgroups]
    # A table of groups that are children's ids publishes the ids, withheld counts or not:
    # refused naming the column, from the caller and from the framework alike.
    refuse_identifiers(chosen, argument="the framework's subgroups" if subgroups is None
                       else "subgroups")
    missing = [a for a in chosen if a not in insp.cases.columns and subgroups is not None]
    if missing:
        raise InputError(f"the cases have no attribute {', '.join(map(repr, missing))} to "
                         "report by")
    return [a for a in chosen if a in insp.cases.columns]


def _group_scores(insp: Any, themes: list[Any], column: pd.Series,
                  groups: list[tuple[Any, Any]], disclosure: Any) -> list[list[Any]]:
    """Each theme's score in each group, as the report may show it: the score, or None where
    it is withheld (the group's size is, or the score would give back a count withheld in the
    group's own answers table; the cases of no value, ``None``, are never shown). Where one
    group of a theme would be alone in being withheld, the scored group with the fewest
    applicable answers is withheld too: the whole sample's score and the other groups' gave it
    back (a girls' 1 "no" in 12 cases was the sample's 17 less the boys' 16)."""
    at = [t.id for t in insp.framework.themes]
    table: list[list[Any]] = [[None] * len(groups) for _ in themes]
    applicable: list[list[int]] = [[0] * len(groups) for _ in themes]
    for g, (value, size) in enumerate(groups):
        if value is None or pd.isna(size):  # a small group: its size and scores are withheld
            continue
        mask = (column == value).to_numpy()
        scores = insp.theme_scores(mask)
        for k, theme in enumerate(themes):
            row = scores.iloc[at.index(theme.id)]
            if not theme_counts(insp, theme, mask, disclosure)[2]:
                table[k][g] = row["score"]
                applicable[k][g] = int(row["applicable"])
    if resolve(disclosure) is None:
        return table
    for k in range(len(themes)):
        scored = [g for g in range(len(groups)) if table[k][g] is not None
                  and not pd.isna(table[k][g])]
        if len(groups) - sum(table[k][g] is not None for g in range(len(groups))) == 1 \
                and scored:
            table[k][min(scored, key=lambda g: (applicable[k][g], g))] = None
    return table


def _subgroups_html(insp: Any, subgroups: list[str], disclosure: Any, symbol: str) -> str:
    out = []
    # Service-level (judged) themes are one judgement for the whole service: not per group.
    themes = [t for t in insp.framework.themes if t.scored]
    for attribute in subgroups:
        everyone = group_sizes(insp, attribute, disclosure)
        scores = _group_scores(insp, themes, insp.cases[attribute], everyone, disclosure)
        groups = [(v, n) for v, n in everyone if v is not None]  # cases of no value come last
        # Built by position: two values may read alike (15 and "15"), and a column of that
        # name replaced the other.
        headers = ["theme"]
        cells: list[list[str]] = [[t.name for t in themes]]
        for g, (value, size) in enumerate(groups):
            if pd.isna(size):
                headers.append(f"{value} ({symbol} cases)")
            else:
                headers.append(f"{value} ({counted(int(size), 'case')})")
            # Scores only: a group of a sample carries no judgement word of its own.
            cells.append([symbol if scores[k][g] is None else percent(scores[k][g]) or "\u2013"
                          for k in range(len(themes))])
        wide = pd.DataFrame(dict(enumerate(cells)))
        wide.columns = headers
        label = attribute.replace("_", " ")
        caption = f"Theme scores by {label}"
        if all(pd.isna(size) for _, size in groups):
            out.append(f'<p class="withheld-table">{escape(caption)}: every group is withheld '
                       "by disclosure control (too small, or its size could be worked back from "
                       "a small one), so there is nothing to show.</p>")
            continue
        out.append(publish_table(wide, caption))
    if not out:
        return ""
    return ('<h2 id="subgroups">Scores by case group</h2><p class="small">Groups are small: '
            "differences of a few cases move these percentages a lot. Scores of a group carry "
            "no judgement; governance is judged for the service as a whole. A score shown as "
            f"{escape(symbol)} is withheld by disclosure control: the group is too small, or "
            "the score would give back a count that is withheld.</p>"
            + "".join(out))


def key_judgements_table(insp: Any, withheld: Collection[str] = (),
                         symbol: str = "~") -> pd.DataFrame:
    """The key judgements as published: score as a whole percentage with its sign, judgement
    in sentence case, and whether it was computed or set by inspectors. The scores of the
    themes (ids) in ``withheld`` are shown as ``symbol``: disclosure control withholds them."""
    scores = insp.theme_scores()
    return pd.DataFrame({
        "theme": scores["theme"],
        "score": [symbol if t.id in withheld else percent(s) or "\u2013"
                  for t, s in zip(insp.framework.themes, scores["score"])],
        "judgement": [word(j) or "\u2013" for j in scores["judgement"]],
        "basis": ["case assessment" if t.scored else "set by inspectors"
                  for t in insp.framework.themes],
    })


def render_report(insp: Any, *, reoffending: pd.DataFrame | None = None,
                  title: str | None = None, subgroups: Sequence[str] | None = None,
                  disclosure: Any = DEFAULT) -> str:
    """The report as one HTML string. ``subgroups``: case attributes to score by (default:
    the framework's declared subgroups). ``disclosure``: the policy for every table of counts
    (default: threshold 10); ``None`` turns disclosure control off, and the report then says
    so at the top."""
    symbol = (resolve(disclosure) or DEFAULT).symbol
    fw = insp.framework
    attributes = declared_subgroups(insp, subgroups)
    title = title or insp.figures.get("title") or f"Inspection of {insp.service or 'a service'}"
    body = [f"<h1>{escape(title)}</h1>"]
    if resolve(disclosure) is None:
        body.append(_disclosure_note(None))
    meta = [insp.service, f"published {insp.published}" if insp.published else "",
            f"framework: {fw.name}", f"{counted(len(insp.cases), 'case')} inspected"]
    body.append(f"<p>{escape(' · '.join(m for m in meta if m))}</p>")
    if insp.provenance:
        text = re.sub(r"^RECONSTRUCTION:\s*", "", insp.provenance)
        body.append(f'<div class="banner"><strong>Reconstruction.</strong> {escape(text)}</div>')
    nav = "".join(f'<a href="#theme-{_slug(t.id)}">{escape(t.name)}</a>' for t in fw.themes)
    body.append(f'<nav aria-label="Sections">{nav}<a href="#recommendations">Recommendations'
                '</a><a href="#reoffending">Reoffending</a></nav>')

    body.append('<section id="key-judgements">')
    # Each scored theme's counts and whether its score is withheld with them: the key
    # judgements, the theme's section and its table and chart all show the same.
    counts = {t.id: theme_counts(insp, t, None, disclosure) for t in fw.themes if t.scored}
    withheld = {theme for theme, (_, _, hidden) in counts.items() if hidden}
    body.append(publish_table(key_judgements_table(insp, withheld, symbol), "Key judgements"))
    if fw.overall_basis != "none":
        try:
            points, rating = insp.overall_rating()
            detail = "set by inspectors" if points is None else f"{points} points"
            body.append(f'<p class="score">Overall rating: <span class="judgement">'
                        f"{escape(word(rating))}</span> ({escape(detail)})</p>")
        except ValueError as why:  # not every counted standard is rated yet
            body.append(f'<p class="score">Overall rating: not set ({escape(why)})</p>')
    body.append("</section>")
    if insp.figures.get("sample"):
        body.append(f"<p>{escape(insp.figures['sample'])}</p>")
    if attributes:
        rows = [(a.replace("_", " "), _NOT_RECORDED if v is None else str(v), n)
                for a in attributes for v, n in group_sizes(insp, a, disclosure)]
        body.append(publish_table(pd.DataFrame(rows, columns=["attribute", "value", "cases"]),
                                  "The inspected sample", withheld=(["cases"], symbol)))

    scores = insp.theme_scores()
    for t, (_, row) in zip(fw.themes, scores.iterrows()):
        body.append(f'<section id="theme-{_slug(t.id)}"><h2>{escape(t.name)}</h2>')
        if t.expectations:
            body.append(f"<h3>What we expect to see</h3><p>{escape(t.expectations)}</p>")
        judgement = word(row["judgement"]) or "not set"
        score = f"<strong>{percent(row['score']) or 'no score (judged by inspectors)'}</strong>"
        if t.id in withheld:
            score = (f"<strong>{escape(symbol)}</strong> (withheld by disclosure control: it "
                     "would give back a count that is withheld)")
        body.append(f'<p class="score">Score: {score} &middot; Judgement: '
                    f'<span class="judgement">{escape(judgement)}</span></p>')
        if not t.counted:
            body.append('<p class="small">Rated separately: not counted in the overall '
                        "rating.</p>")
        body.append(_findings_html(insp.findings, t.id))
        if t.scored:
            table, cases, _ = counts[t.id]
            chart = data_summary_svg(table, cases, title=f"{t.name}: answers per question",
                                     salt=t.id) if cases else empty_svg(
                "No cases were inspected.", f"{t.name}: answers per question", t.id)
            body.append(f"<figure>{chart}<figcaption>Data summary: answers per question, "
                        f"{counted(cases, 'case')}. Not-applicable answers count towards "
                        "neither yes nor no. Withheld counts are hatched and labelled, so "
                        "every bar reaches the number of cases.</figcaption></figure>")
            body.append(publish_table(table.rename(columns={"not_applicable": "not applicable"}),
                                      f"{t.name}: answers per question",
                                      withheld=(["yes", "no", "not applicable"], symbol)))
        body.append("</section>")

    body.append(_subgroups_html(insp, attributes, disclosure, symbol))

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
        body.append(publish_table(recs, "The recommendations and who must act on them"))
    else:
        body.append("<p>No recommendations were recorded.</p>")

    body.append('<h2 id="reoffending">Reoffending context</h2>')
    body.append(_reoffending_html(insp, reoffending, disclosure, symbol))

    bands = "; ".join(f"{escape(word(w))} from {m:.0%}" for m, w in fw.bands)
    assumed = [w for (m, w), basis in zip(fw.bands, fw.band_bases) if basis == "assumed"]
    rule = ("done-well answers over applicable answers across its questions"
            if fw.theme_rule == "pooled" else "the score of its lowest question")
    body.append('<h2 id="method">How the scores were made</h2>')
    body.append(f"<p>A question's score is yes / (yes + no): not-applicable answers count "
                f"towards neither. A theme's score is {rule}. Judgement bands: {bands}. "
                "Judged themes are set by inspectors."
                + (f" The cut-offs for {escape(', '.join(word(w) for w in assumed))} are "
                   "assumed, not published." if assumed else "") + "</p>")
    body.append(_disclosure_note(disclosure))
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{escape(title)}</title><style>{_CSS}</style></head><body><main>"
            + "".join(body) + "</main></body></html>\n")


def write_report(insp: Any, path: str | os.PathLike, *,
                 reoffending: pd.DataFrame | None = None, title: str | None = None,
                 disclosure: Any = DEFAULT, subgroups: Sequence[str] | None = None) -> str:
    """Writes :func:`render_report` to ``path`` and returns the path."""
    text = render_report(insp, reoffending=reoffending, title=title, disclosure=disclosure,
                         subgroups=subgroups)
    folder = os.path.dirname(os.fspath(path))
    if folder:
        os.makedirs(folder, exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return os.fspath(path)

