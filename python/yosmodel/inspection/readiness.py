"""Readiness: a service's own audit of its cases, resampled into many inspections.

A service preparing for inspection answers the framework's questions about its own cases. This
estimates, by resampling those audited cases (with replacement) into inspection samples of the
size an inspectorate would draw, how often each standard would get each rating, how often the
overall rating would be each word, and which key questions sit nearest a band edge. The
resampling runs in the C++ core (``simulate_readiness``, threaded, the same result whatever the
thread count). What it can and cannot promise: docs/inspection.md, "Readiness"."""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np
import pandas as pd

from .._utils.plural import counted
from ..errors import InputError
from ._html import whole_percent, word
from ._native import core
from .charts import RATING_COLOURS, Bar, Segment, bars_svg

# The sizes of the inspectorate's case samples for youth services (methodology.md §8).
SMALLEST_SAMPLE, LARGEST_SAMPLE = 14, 90
NOT_RATED = "not rated"


def _whole(value: Any, name: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or not \
            low <= int(value) <= high:
        raise InputError(f"{name} must be a whole number from {low:,} to {high:,}")
    return int(value)


def band_edges(insp: Any) -> pd.DataFrame:
    """One row per key question of the audit: its counts, score and band, and how many cases
    from the band above or below it sits (``cases_to_next``: "no" answers that would have to be
    "yes"; ``cases_to_drop``: "yes" answers that turned "no" would drop it), nearest first."""
    summary = insp.question_summary()
    fw = insp.framework
    rows = []
    for _, q in summary.iterrows():
        judgement, to_next, to_drop = core.band_edge(yes=int(q["yes"]), no=int(q["no"]),
                                                     framework=fw)
        rows.append({"theme": q["theme"], "question": q["question"],
                     "question_id": q["question_id"], "yes": int(q["yes"]), "no": int(q["no"]),
                     "score": q["score"], "judgement": judgement or None,
                     "cases_to_next": to_next if to_next >= 0 else pd.NA,
                     "cases_to_drop": to_drop if to_drop >= 0 else pd.NA})
    edges = pd.DataFrame(rows)
    if edges.empty:
        return edges
    for column in ("cases_to_next", "cases_to_drop"):
        edges[column] = edges[column].astype("Int64")
    # A question with nothing applicable has no edge either way: last (Int64 holds no inf).
    nearest = edges[["cases_to_next", "cases_to_drop"]].min(axis=1, skipna=True)
    return edges.assign(_near=nearest.astype(float).fillna(np.inf)).sort_values(
        ["_near", "theme"], kind="stable").drop(columns="_near").reset_index(drop=True)


def _share(p: float) -> str:
    # A rating seen at all is never written as 0% (nor a near-certain one as 100%).
    if 0 < p < 0.005:
        return "under 1%"
    if 0.995 <= p < 1:
        return "over 99%"
    return f"{whole_percent(p)}%"  # half-up, as every percentage is published


def _sentence(name: str, probs: pd.Series, simulations: int, n: int,
              edge: pd.Series | None, bands: list[str]) -> str:
    ranked = probs[probs > 0].sort_values(ascending=False, kind="stable")
    if ranked.empty:
        return f"{name}: no rating in any simulated inspection."
    top, share = ranked.index[0], ranked.iloc[0]
    rest = ", ".join(f"{word(w)} {_share(p)}" for w, p in ranked.iloc[1:].items())
    text = (f"{name}: {word(top)} in {_share(share)} of {simulations:,} simulated inspections of "
            + counted(n, "case") + (f" ({rest})" if rest else "") + ".")
    if edge is not None:
        position = bands.index(edge["judgement"]) if edge["judgement"] in bands else -1
        if not pd.isna(edge["cases_to_next"]) and position > 0:
            text += (f" Its key question nearest a band edge, \u201c{edge['question']}\u201d, "
                     f"is {int(edge['cases_to_next'])} case(s) done well short of "
                     f"{word(bands[position - 1])} in the audit.")
        elif not pd.isna(edge["cases_to_drop"]) and 0 <= position < len(bands) - 1:
            text += (f" Its key question nearest a band edge, \u201c{edge['question']}\u201d, "
                     f"would fall to {word(bands[position + 1])} with "
                     f"{int(edge['cases_to_drop'])} fewer case(s) done well in the audit.")
    return text


def readiness(insp: Any, sample_size: int | None = None, simulations: int = 10_000,
              seed: int = 0, threads: int = 0) -> pd.DataFrame:
    """The probability of each rating, per standard and overall, for an inspection sample of
    ``sample_size`` cases drawn from a service like the audited one.

    ``sample_size``: the inspection's case sample (default: the audit's own number of cases,
    kept within the 14 to 90 an inspectorate draws). Returns one row per standard (and one for
    the overall rating, where the framework has a rule): ``standard``, a column per rating
    word holding its probability (with ``not rated`` where some simulations had nothing to
    rate; each row sums to 1), ``most_likely`` and ``sentence``. ``attrs`` holds ``edges`` (the
    key questions nearest a band edge, :func:`band_edges`), ``chart`` (an SVG),
    ``sample_size``, ``simulations`` and ``seed``."""
    n = len(insp.cases)
    if sample_size is None:
        sample_size = min(max(n, SMALLEST_SAMPLE), LARGEST_SAMPLE)
    sample_size = _whole(sample_size, "sample_size", 1, 100_000)
    simulations = _whole(simulations, "simulations", 1, 10_000_000)
    seed = _whole(seed, "seed", 0, 2**63 - 1)
    threads = _whole(threads, "threads", 0, 1024)
    result = core.simulate_readiness(audit=insp._core, sample_size=sample_size,
                                     simulations=simulations, seed=seed, threads=threads)
    fw = insp.framework
    ratings = list(result.ratings)
    counts = np.array(result.theme_counts, dtype=float).reshape(len(fw.themes), len(ratings))
    unrated = np.array(result.theme_unrated, dtype=float)
    table = pd.DataFrame(counts / simulations, columns=ratings)
    any_unrated = unrated.any() or result.overall_unrated > 0
    if any_unrated:
        table[NOT_RATED] = unrated / simulations
    table.insert(0, "standard", [t.name for t in fw.themes])
    if result.overall_ratings:
        overall = {w: 0.0 for w in ratings}
        for w, c in zip(result.overall_ratings, result.overall_counts):
            overall[w] = overall.get(w, 0.0) + c / simulations
        row = {"standard": "Overall rating", **overall}
        if any_unrated:
            row[NOT_RATED] = result.overall_unrated / simulations
        table = pd.concat([table, pd.DataFrame([row])], ignore_index=True).fillna(0.0)
    words = [c for c in table.columns if c != "standard"]
    table["most_likely"] = table[words].idxmax(axis=1)
    edges = band_edges(insp)
    bands = [w for _, w in fw.bands]
    sentences = []
    for _, row in table.iterrows():
        mine = edges[edges["theme"] == row["standard"]] if not edges.empty else edges
        edge = mine.iloc[0] if len(mine) else None
        sentences.append(_sentence(row["standard"], row[words].astype(float), simulations,
                                   sample_size, edge, bands))
    table["sentence"] = sentences
    table.attrs.update(edges=edges, sample_size=sample_size, simulations=simulations,
                       seed=seed, chart=chart(table))
    return table


def chart(table: pd.DataFrame) -> str:
    """A readiness table drawn as one SVG: a bar per standard, split by the probability of
    each rating."""
    words = [c for c in table.columns if c not in ("standard", "most_likely", "sentence")]
    colours = dict(zip(words, RATING_COLOURS * 2))
    if NOT_RATED in colours:
        colours[NOT_RATED] = "#9e9e9e"
    bars = []
    for _, row in table.iterrows():
        segments = tuple(Segment(w, word(w), colours[w], float(row[w]),
                                 f"{whole_percent(float(row[w]))}%")
                         for w in words if row[w] > 0)
        bars.append(Bar(str(row["standard"]), 1.0, segments, False))
    return bars_svg(bars, title="Readiness: the chance of each rating in a simulated inspection",
                    salt="readiness", unit="standards", percent=True)
