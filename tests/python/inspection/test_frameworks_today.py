"""The frameworks in use today (issue 14 §2): HMIP 2018 with resettlement rated separately, the
2025 framework with no computed overall rule, and the template that is the way in for a real
inspection, followed from empty files to a report."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

import yosmodel as ym
from yosmodel.inspection import FrameworkError

WORDS = ["Outstanding", "Good", "Requires improvement", "Inadequate"]


def test_hmip_2018_lists_resettlement_outside_the_overall():
    fw = ym.Framework.load("hmip_youth_2018")
    assert len(fw.themes) == 13 and len(fw.counted_themes) == 12
    resettlement = fw.theme("resettlement")
    assert not resettlement.counted and not resettlement.scored
    assert fw.overall["standards"] == 12


@pytest.mark.parametrize("resettlement", WORDS)
def test_overall_rating_takes_12_or_13_ratings_and_ignores_resettlement(resettlement):
    fw = ym.Framework.load("hmip_youth_2018")
    twelve = ["Good"] * 7 + ["Requires improvement"] * 5  # 14 + 5 = 19 points: Good
    assert ym.overall_rating(twelve) == (19, "Good")
    assert ym.overall_rating(twelve + [resettlement]) == (19, "Good")
    by_id = dict(zip([t.id for t in fw.counted_themes], twelve))
    assert ym.overall_rating(by_id) == (19, "Good")
    assert ym.overall_rating({**by_id, "resettlement": resettlement}) == (19, "Good")
    with pytest.raises(ValueError, match="12 counted standards"):
        ym.overall_rating(twelve[:11])


def test_an_inspection_with_resettlement_judged_keeps_its_overall():
    fw = ym.Framework.load("hmip_youth_2018")
    rows = [(f"c{i}", q.id, "yes" if i < 7 else "no") for q in fw.questions for i in range(10)]
    answers = pd.DataFrame(rows, columns=["case_id", "question_id", "answer"])
    cases = pd.DataFrame({"case_id": [f"c{i}" for i in range(10)]})
    judged = {t.id: "Good" for t in fw.themes if not t.scored and t.counted}
    # 8 case standards at 7/10 (Good, 2 points each) and 4 judged Good: 24 points, Good.
    base = ym.Inspection.from_answers(answers, cases, fw, judgements=judged)
    assert base.overall_rating() == (24, "Good")
    for word in ("Outstanding", "Inadequate"):
        with_r = ym.Inspection.from_answers(answers, cases, fw,
                                            judgements={**judged, "resettlement": word})
        assert with_r.overall_rating() == (24, "Good")
        scores = with_r.theme_scores().set_index("theme")
        assert scores.loc["Resettlement policy and provision", "judgement"] == word


def test_hmip_2025_has_the_victims_standard_and_no_overall_rule():
    fw = ym.Framework.load("hmip_youth_2025")
    assert fw.overall is None and fw.overall_basis == "inspectors"
    victims = fw.theme("work_with_victims")
    assert victims.scored and len(victims.questions) == 2
    assert {t.domain for t in fw.themes} == {"Organisational delivery", "Work with children",
                                             "Work with victims"}
    doc = fw.to_dict()
    assert "not published" in doc["source"] and all(b["basis"] == "assumed"
                                                    for b in doc["bands"])
    assert doc["theme_rule_basis"].startswith("assumed")
    with pytest.raises(FrameworkError, match="inspectors set it"):
        ym.overall_rating(["Good"] * 3, framework=fw)


def test_a_2025_inspection_takes_the_inspectors_overall_rating():
    fw = ym.Framework.load("hmip_youth_2025")
    rows = [(f"v{i}", q.id, "yes" if i < 8 else "no") for q in fw.questions for i in range(10)]
    answers = pd.DataFrame(rows, columns=["case_id", "question_id", "answer"])
    cases = pd.DataFrame({"case_id": [f"v{i}" for i in range(10)]})
    unset = ym.Inspection.from_answers(answers, cases, fw)
    with pytest.raises(FrameworkError, match="inspectors set it"):
        unset.overall_rating()
    set_ = ym.Inspection.from_answers(answers, cases, fw, overall="Good")
    assert set_.overall_rating() == (None, "Good")
    assert set_.theme_scores().set_index("theme").loc["Work with victims", "judgement"] == \
        "Outstanding"  # 8/10 meets the assumed 0.8 floor
    with pytest.raises(FrameworkError, match="rating words"):
        ym.Inspection.from_answers(answers, cases, fw, overall="Splendid")
    with pytest.raises(FrameworkError, match="computes it from its rule"):
        ym.Inspection.from_answers(answers.iloc[:0], cases.iloc[:0], "hmip_youth_2018",
                                   overall="Good")


def test_template_to_report(tmp_path):
    folder = Path(ym.inspection_template("hmip_youth_2018", tmp_path / "mine"))
    for name in ("framework.json", "cases.csv", "answers.csv", "questions.csv",
                 "judgements.csv"):
        assert (folder / name).is_file()
    assert (folder / "cases.csv").read_text().strip() == "case_id,sentence_type,sex,risk_of_harm"
    assert (folder / "answers.csv").read_text().strip() == "case_id,question_id,answer"
    with open(folder / "questions.csv", newline="") as f:
        questions = list(csv.DictReader(f))
    fw = ym.Framework.load("hmip_youth_2018")
    assert [q["question_id"] for q in questions] == [q.id for q in fw.questions]
    with open(folder / "judgements.csv", newline="") as f:
        judged = list(csv.DictReader(f))
    assert [j["theme_id"] for j in judged] == [t.id for t in fw.themes if not t.scored]
    with pytest.raises(FileExistsError, match="never overwrites"):
        ym.inspection_template("hmip_youth_2018", folder)

    # Fill the files in as an inspector would, then read the folder and publish the report.
    with open(folder / "cases.csv", "a", newline="") as f:
        out = csv.writer(f)
        for i in range(12):
            out.writerow([f"c{i}", "community", "male", "low"])
    with open(folder / "answers.csv", "a", newline="") as f:
        out = csv.writer(f)
        for q in questions:
            for i in range(12):
                out.writerow([f"c{i}", q["question_id"], "yes" if i < 9 else "no"])
    with open(folder / "judgements.csv", "w", newline="") as f:
        out = csv.writer(f)
        out.writerow(["theme_id", "theme", "judgement", "allowed"])
        for j in judged:
            out.writerow([j["theme_id"], j["theme"], "" if j["theme_id"] == "resettlement"
                          else "Good", j["allowed"]])
    insp = ym.Inspection.from_folder(folder, service="My YJS")
    # 9/12 = 75% on every key question: Good (assumed 0.65 floor); 12 x 2 = 24 points.
    assert insp.overall_rating() == (24, "Good")
    report = Path(insp.report(folder / "report.html"))
    assert "My YJS" in report.read_text(encoding="utf-8")


def test_rating_and_judgement_words_match_in_any_case_and_misspellings_name_the_scale():
    assert ym.overall_rating(["good"] * 11 + ["requires  IMPROVEMENT"]) == (23, "Good")
    with pytest.raises(ym.InputError, match=r"'Goood' \(did you mean 'Good'\?\); the words "
                                            r"are Good, Inadequate, Outstanding"):
        ym.overall_rating(["Good"] * 11 + ["Goood"])
    insp = ym.datasets.lewisham_2016()
    theme = "governance_and_partnerships"

    def judged(judgements):
        return ym.Inspection(insp.framework, insp.cases, insp.answers,
                             judgements=judgements).judgements
    assert judged({theme: "Ineffective "}) == {theme: "ineffective"}
    with pytest.raises(ym.InputError, match=r"'inefective' \(did you mean 'ineffective'\?\)"
                                            r".*the words are good, effective"):
        judged({theme: "inefective"})
    with pytest.raises(ym.InputError, match=r"theme 'governance'.*its themes are "
                                            r"reducing_reoffending"):
        judged({"governance": "ineffective"})
    fw = ym.Framework.load("hmip_youth_2025")
    rows = [(f"v{i}", q.id, "yes") for q in fw.questions for i in range(10)]
    answers = pd.DataFrame(rows, columns=["case_id", "question_id", "answer"])
    cases = pd.DataFrame({"case_id": [f"v{i}" for i in range(10)]})
    assert ym.Inspection.from_answers(answers, cases, fw, overall="good").overall_rating() == \
        (None, "Good")
