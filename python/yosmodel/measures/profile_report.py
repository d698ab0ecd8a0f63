"""The performance profile as one self-contained HTML page (inline CSS and SVG, no scripts, no
network): the tables as published (withheld cells as the disclosure symbol) and a funnel plot
of the services whose counts survive disclosure control."""

from __future__ import annotations

import html
import io
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from ..disclosure import to_published

if TYPE_CHECKING:
    from .profile import Profile

_CSS = """
body{font-family:Arial,Helvetica,sans-serif;max-width:62em;margin:2em auto;padding:0 1em;
color:#1b1b1b;line-height:1.45}h1,h2{color:#1d3b5a}
h2{border-bottom:2px solid #1d3b5a;padding-bottom:.2em;margin-top:2em}
table{border-collapse:collapse;margin:.6em 0 1em;font-size:.9em}
th,td{border:1px solid #c8c8c8;padding:.25em .55em;text-align:left}th{background:#eef2f6}
.small{font-size:.85em;color:#555}
"""


def _table(frame: pd.DataFrame) -> str:
    published = to_published(frame)
    return published.to_html(index=False, escape=True, border=0)


def _funnel_svg(profile: Profile) -> str:
    try:
        import matplotlib

        matplotlib.use("Agg", force=False)
        import matplotlib.pyplot as plt
    except ImportError:
        return "<p class='small'>matplotlib is not installed: no funnel plot.</p>"
    from .funnel import funnel_plot

    rates = profile.reoffending_by_service
    area = rates.columns[0]
    shown = rates.dropna(subset=["offenders", "reoffenders"])
    left_out = len(rates) - len(shown)
    if shown.empty:
        return "<p class='small'>Every service's counts are withheld: no funnel plot.</p>"
    figure, ax = plt.subplots(figsize=(7, 4.5))
    funnel_plot(shown.astype({"offenders": "int64", "reoffenders": "int64"}), label=area,
                highlight=profile.service, ax=ax,
                title="Binary reoffending rate by service, last year")
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight")
    plt.close(figure)
    svg = buffer.getvalue()
    svg = svg[svg.find("<svg"):]
    note = (f"<p class='small'>{left_out} service(s) left out: their counts are withheld by "
            "disclosure control.</p>") if left_out else ""
    return f"<figure>{svg}</figure>{note}"


def write_report(profile: Profile, path: Path) -> Path:
    parts = [(f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
             f"<title>Performance profile: {html.escape(profile.service)}</title>"
             f"<style>{_CSS}</style></head><body>"),
             f"<h1>Performance profile: {html.escape(profile.service)}</h1>",
             "<h2>Headline measures</h2>", _table(profile.headline),
             "<h2>Reoffending across services</h2>", _funnel_svg(profile),
             _table(profile.reoffending_by_service)]
    if profile.kpis is not None:
        parts += ["<h2>Key performance indicators</h2>", _table(profile.kpis)]
    if profile.disproportionality is not None:
        parts += ["<h2>Disproportionality</h2>", _table(profile.disproportionality)]
    parts.append("<h2>Notes</h2><ul>" + "".join(f"<li>{html.escape(n)}</li>"
                                                for n in profile.notes) + "</ul>")
    parts.append("<p class='small'>Withheld cells show the disclosure symbol.</p></body></html>")
    path.write_text("\n".join(parts), encoding="utf-8")
    return path
