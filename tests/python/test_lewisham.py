"""The bundled Lewisham 2016 inspection: the published scores are reproduced from the
case-level answers (worked out here with the csv module, independently of yosmodel), the
shipped files are exactly what the build script writes, and the sample is labelled a
reconstruction wherever it appears. The report's statements about its case sample, its
findings and recommendations are checked in test_lewisham_report.py."""

from __future__ import annotations

import csv
import math
from collections import Counter
from importlib import resources

import pandas as pd

import yosmodel as ym
from yosmodel.datasets import _build_lewisham

PUBLISHED = {  # theme name -> (score %, judgement), from the December 2016 report
    "Reducing reoffending": (60, "unsatisfactory"),
    "Protecting the public": (60, "unsatisfactory"),
    "Protecting the child or young person": (62, "unsatisfactory"),
    "Making sure the sentence is served": (76, "good"),
    "Governance and partnerships": (None, "ineffective"),
    "Interventions to reduce reoffending": (64, "unsatisfactory"),
}
def _shipped(name: str) -> str:
    return resources.files("yosmodel.datasets").joinpath("lewisham_2016_data", name) \
        .read_text(encoding="utf-8")


def _half_up(x: float) -> int:
    return math.floor(100 * x + 0.5)


def test_published_scores_are_reproduced_from_the_case_answers():
    # Independent reference: read the shipped answers with csv and count by hand.
    details = ym.datasets.lewisham_2016_details()
    framework = ym.Framework.load(details["framework"])
    theme_of = {q.id: t.name for t in framework.themes for q in t.questions}
    yes, applicable = Counter(), Counter()
    for row in csv.DictReader(_shipped("answers.csv").splitlines()):
        if row["answer"] != "not applicable":
            applicable[theme_of[row["question_id"]]] += 1
            yes[theme_of[row["question_id"]]] += row["answer"] == "yes"
    for theme, (score, _) in PUBLISHED.items():
        if score is not None:
            assert _half_up(yes[theme] / applicable[theme]) == score, theme
    # ... and through yosmodel, with the judgements from the framework's bands.
    kj = ym.datasets.lewisham_2016().key_judgements()
    for row in kj.itertuples():
        score, judgement = PUBLISHED[row.theme]
        assert (None if pd.isna(row.score) else int(row.score)) == score, row.theme
        assert row.judgement == judgement, row.theme


def test_the_published_scores_are_not_stored_in_the_answers():
    # The scores come from counting: changing one answer moves the score.
    insp = ym.datasets.lewisham_2016()
    answers = insp.answers.copy()
    first_no = answers.index[(answers["question_id"] == "ss_engagement")
                             & (answers["answer"] == "no")][0]
    answers.loc[first_no, "answer"] = "yes"
    changed = ym.Inspection.from_answers(answers, insp.cases, insp.framework)
    before = insp.theme_scores().set_index("theme").loc["Making sure the sentence is served"]
    after = changed.theme_scores().set_index("theme").loc["Making sure the sentence is served"]
    assert after["done_well"] == before["done_well"] + 1


def test_every_case_answers_every_scored_question():
    insp = ym.datasets.lewisham_2016()
    assert len(insp.cases) == 57
    summary = insp.question_summary()
    assert (summary[["yes", "no", "not_applicable"]].sum(axis=1) == 57).all()
    assert len(insp.answers) == 57 * len(insp.framework.questions)
    per_theme = summary.groupby("theme").size()
    assert (per_theme >= 3).all() and len(per_theme) == 5


def test_the_published_details():
    insp = ym.datasets.lewisham_2016()
    assert insp.judgements == {"governance_and_partnerships": "ineffective"}
    assert [r.number for r in insp.recommendations] == list(range(1, 10))
    assert all(r.addressee and r.text and r.themes for r in insp.recommendations)
    addressees = {r.addressee for r in insp.recommendations}
    assert any("Chief Executive" in a for a in addressees)
    assert any("Head of Service" in a for a in addressees)
    themes_with_findings = {f.theme for f in insp.findings}
    assert themes_with_findings == {t.id for t in insp.framework.themes}
    rows = insp.figures["reoffending"]["rows"]
    assert [(r["binary_rate"], r["frequency_rate"]) for r in rows] == [
        (0.46, 1.48), (0.439, 1.24), (0.378, 1.21)]
    assert round(1.48 / 0.46, 1) == 3.2  # reoffences per reoffender: a frequency rate


def test_the_shipped_files_are_what_the_build_script_writes(tmp_path):
    built = _build_lewisham.build()
    for name, text in built.items():
        assert _shipped(name) == text, name
    _build_lewisham.main([str(tmp_path)])
    assert (tmp_path / "answers.csv").read_text() == built["answers.csv"]
    # The script's own targets agree with the published scores.
    framework = ym.Framework.load("fji_2016")
    assert list(_build_lewisham.QUESTIONS) == [q.id for q in framework.questions]
    for theme in framework.themes:
        if not theme.scored:
            continue
        counts = [_build_lewisham.QUESTIONS[q.id] for q in theme.questions]
        yes = sum(c.yes + sum(y for y, _ in c.by.values()) for c in counts)
        applicable = sum(c.yes + c.no + sum(y + n for y, n in c.by.values()) for c in counts)
        score = yes / applicable
        assert _half_up(score) == PUBLISHED[theme.name][0]


def test_the_sample_has_the_groups_the_report_describes():
    cases = ym.datasets.lewisham_2016().cases
    assert (cases["risk_of_harm"] == "high").sum() > 0
    assert (cases["vulnerability"] == "high").sum() > 0
    assert (cases["sex"] == "female").sum() > 0
    assert (cases["ethnicity"] != "white").sum() > 0
    assert set(cases["sentence_type"]) == {"community", "custody"}
    assert set(cases["status"]) == {"current", "ended"}


def test_labelled_a_reconstruction_everywhere(tmp_path):
    insp = ym.datasets.lewisham_2016()
    assert insp.is_reconstruction and "RECONSTRUCTION" in insp.provenance
    assert "RECONSTRUCTED" in repr(insp)
    assert "RECONSTRUCTION" in insp._repr_html_()
    assert "RECONSTRUCTION" in insp.to_json()
    assert "RECONSTRUCTED" in (_build_lewisham.__doc__ or "")
    assert "RECONSTRUCTED" in (ym.datasets.lewisham_2016.__doc__ or "")
    text = open(insp.report(tmp_path / "r.html"), encoding="utf-8").read()
    assert "Reconstruction." in text and "fictional" in text
