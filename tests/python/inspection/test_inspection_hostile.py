"""Hostile inputs to the public inspection API, as real inspectors' data would give them: each
test here failed before the fix named in its docstring."""

from __future__ import annotations

import pytest

import yosmodel as ym


@pytest.fixture
def lewisham():
    return ym.datasets.lewisham_2016()


def test_readiness_with_a_question_never_applicable(lewisham):
    """A question answered "not applicable" in every case (custody questions in a sample with
    no custody case) has no score and no band edge; readiness crashed with pandas' TypeError
    "Invalid value 'inf' for dtype 'Int64'" while ordering the band edges."""
    answers = lewisham.answers.copy()
    answers.loc[answers["question_id"] == "rr_psr_custody", "answer"] = "not applicable"
    insp = ym.Inspection.from_answers(answers, lewisham.cases, "fji_2016")
    table = insp.readiness(simulations=50, seed=1)
    edges = table.attrs["edges"]
    assert edges["question_id"].iloc[-1] == "rr_psr_custody"  # no edge: listed last
    assert edges["cases_to_next"].isna().iloc[-1] and edges["cases_to_drop"].isna().iloc[-1]
    assert len(table) == len(insp.framework.themes)
