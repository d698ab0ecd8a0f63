"""HMI Probation's full joint inspection of youth offending work in Lewisham (December 2016),
bundled as an :class:`~yosmodel.Inspection`.

Judgements, theme scores, figures, and the number, order and structure of the findings and
recommendations are as published; their wording is paraphrased (``details.json`` carries a
provenance note saying which is which). The 57 case records are a RECONSTRUCTION: fictional
cases whose answers reproduce the published scores and every statement the report makes about
its case sample (see ``_build_lewisham.py``, which generates them)."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

import pandas as pd


def _files():
    return resources.files("yosmodel.datasets").joinpath("lewisham_2016_data")


def lewisham_2016_details() -> dict[str, Any]:
    """The published details and the reconstruction's provenance, as a dict: judgements and
    scores; ``findings`` in the report's order, each with its ``number`` in the report (and
    for governance explanations its ``area``; examples of notable practice say which
    explanation they follow, ``after``); ``recommendations`` with addressee and themes;
    ``figures`` (reoffending context, education, training and employment);
    ``case_sample_statements`` (where the report says it, in our words, the question that
    carries it, the answer counted and the report's word for the share) and
    ``case_sample_statements_not_carried`` (with the reason)."""
    return json.loads(_files().joinpath("details.json").read_text(encoding="utf-8"))


def _finding(entry: dict[str, Any]) -> dict[str, Any]:
    # details.json keeps each finding's place in the report (its number, and for governance
    # the numbered area it sits in); an Inspection finding is theme, text, kind and tone, so
    # a governance explanation carries its area and number in its text.
    text = entry["text"]
    if "area" in entry:
        text = f"{entry['area']} ({entry['number']}): {text}"
    return {"theme": entry["theme"], "text": text, "kind": entry["kind"],
            "tone": entry["tone"]}


def lewisham_2016():
    """The Lewisham 2016 inspection with its RECONSTRUCTED 57-case sample.

    >>> insp = yosmodel.datasets.lewisham_2016()        # doctest: +SKIP
    >>> insp.key_judgements()                            # doctest: +SKIP
    """
    from ..inspection import Inspection

    details = lewisham_2016_details()
    with _files().joinpath("cases.csv").open("r", encoding="utf-8") as f:
        cases = pd.read_csv(f, dtype=str)
    with _files().joinpath("answers.csv").open("r", encoding="utf-8") as f:
        answers = pd.read_csv(f, dtype=str)
    figures = dict(details["figures"])
    figures["title"] = details["title"]
    figures["sample"] = details["sample"]
    return Inspection.from_answers(
        answers, cases, details["framework"], service=details["service"],
        published=details["published"], judgements=details["judgements"],
        findings=[_finding(f) for f in details["findings"]],
        recommendations=details["recommendations"],
        figures=figures, provenance=details["provenance"])
