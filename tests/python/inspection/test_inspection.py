"""Inspections through the Python API: scores against a pandas reference implementation,
every load error, JSON round trips, subgroups, frameworks and the overall rating rule."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import yosmodel as ym
from yosmodel.inspection import Framework

FJI = Framework.load("fji_2016")


def reference_scores(answers: pd.DataFrame, framework: Framework) -> pd.DataFrame:
    """Theme scores worked out with pandas alone (independent of the C++ core)."""
    a = answers.assign(theme=answers["question_id"].map(
        {q.id: t.id for t in framework.themes for q in t.questions}))
    a = a[a["answer"] != "not applicable"]
    g = a.groupby("theme")["answer"]
    return pd.DataFrame({"done_well": g.apply(lambda s: (s == "yes").sum()),
                         "applicable": g.size()})


def small_tables():
    cases = pd.DataFrame({"case_id": ["a", "b", "c"], "sex": ["female", "male", "male"]})
    rows = []
    for q in FJI.questions:
        rows += [("a", q.id, "yes"), ("b", q.id, "no"), ("c", q.id, "not applicable")]
    answers = pd.DataFrame(rows, columns=["case_id", "question_id", "answer"])
    return cases, answers


def test_scores_match_a_pandas_reference_on_a_hand_sized_example():
    cases, answers = small_tables()
    answers.loc[answers["question_id"] == "rr_plan", "answer"] = ["yes", "yes", "no"]
    insp = ym.Inspection.from_answers(answers, cases, "fji_2016")
    scores = insp.theme_scores().set_index("theme")
    rr = scores.loc["Reducing reoffending"]
    # 11 questions; rr_plan: 2 yes 1 no; the other ten: 1 yes, 1 no, 1 n/a -> 12 / 23.
    assert (rr["done_well"], rr["applicable"]) == (12, 23)
    assert rr["score"] == pytest.approx(12 / 23)
    assert rr["judgement"] == "unsatisfactory"
    gov = scores.loc["Governance and partnerships"]
    assert pd.isna(gov["score"]) and pd.isna(gov["applicable"]) and pd.isna(gov["judgement"])
    summary = insp.question_summary()
    assert list(summary.columns[:5]) == ["theme", "question", "yes", "no", "not_applicable"]
    plan = summary.set_index("question_id").loc["rr_plan"]
    assert (plan["yes"], plan["no"], plan["not_applicable"]) == (2, 1, 0)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 11), st.integers(0, len(FJI.questions) - 1),
                          st.sampled_from(["yes", "no", "not applicable"])),
                min_size=1, max_size=120, unique_by=lambda r: (r[0], r[1])))
def test_theme_scores_agree_with_pandas(rows):
    answers = pd.DataFrame([(f"c{c}", FJI.questions[q].id, a) for c, q, a in rows],
                           columns=["case_id", "question_id", "answer"])
    cases = pd.DataFrame({"case_id": sorted(answers["case_id"].unique())})
    got = ym.Inspection.from_answers(answers, cases, FJI).theme_scores()
    ref = reference_scores(answers, FJI)
    for theme, row in zip(FJI.themes, got.itertuples()):
        if not theme.scored:
            continue
        done = int(ref["done_well"].get(theme.id, 0))
        applicable = int(ref["applicable"].get(theme.id, 0))
        assert (row.done_well, row.applicable) == (done, applicable)
        if applicable:
            assert row.score == pytest.approx(done / applicable)
            assert row.judgement == FJI.judgement_for(done / applicable)
        else:
            assert np.isnan(row.score) and pd.isna(row.judgement)


def test_answer_words_are_folded_and_canonical():
    cases, answers = small_tables()
    answers["answer"] = answers["answer"].map({"yes": " YES", "no": "No",
                                               "not applicable": "N/A"})
    insp = ym.Inspection.from_answers(answers, cases, "fji_2016")
    assert set(insp.answers["answer"]) == {"yes", "no", "not applicable"}


@pytest.mark.parametrize("change, message", [
    (lambda c, a: (c, pd.concat([a, a.iloc[[0]]])), "1 answer(s) repeat a case and question"),
    (lambda c, a: (c, a.assign(question_id=a["question_id"].where(a.index > 1, "nope"))),
     "2 answer(s) name a question the framework does not have"),
    (lambda c, a: (c, a.assign(answer=a["answer"].where(a.index > 2, "partly"))),
     "3 answer(s) are not one of yes, no, not applicable"),
    (lambda c, a: (pd.concat([c, pd.DataFrame({"case_id": ["d", "e"]})]), a),
     "2 case(s) have no answers"),
    (lambda c, a: (c[c["case_id"] != "a"], a), "answer(s) name a case that is not in the case"),
    (lambda c, a: (pd.concat([c, c.iloc[[0]]]), a), "1 case id(s) appear more than once"),
])
def test_every_load_error_names_the_rule_and_count(change, message):
    cases, answers = change(*small_tables())
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")) as e:
        ym.Inspection.from_answers(answers.reset_index(drop=True), cases, "fji_2016")
    for value in ("nope", "partly"):
        assert value not in str(e.value)


def test_missing_columns_and_values_are_errors():
    cases, answers = small_tables()
    with pytest.raises(ValueError, match="no column 'answer'"):
        ym.Inspection.from_answers(answers.drop(columns="answer"), cases)
    with pytest.raises(ValueError, match="no column 'case_id'"):
        ym.Inspection.from_answers(answers, cases.rename(columns={"case_id": "id"}))
    with pytest.raises(ValueError, match="answer is missing in 1 row"):
        ym.Inspection.from_answers(answers.assign(answer=answers["answer"].where(
            answers.index > 0, None)), cases)
    with pytest.raises(ValueError, match="case_id in the answers table is missing in 1 row"):
        ym.Inspection.from_answers(answers.assign(case_id=answers["case_id"].where(
            answers.index > 0, None)), cases)
    with pytest.raises(TypeError):
        ym.Inspection.from_answers(42, cases)
    with pytest.raises(FileNotFoundError):
        ym.Inspection.from_answers("/nonexistent/answers.csv", cases)


def test_from_csv_paths(tmp_path):
    cases, answers = small_tables()
    cases.to_csv(tmp_path / "cases.csv", index=False)
    answers.to_csv(tmp_path / "answers.csv", index=False)
    insp = ym.Inspection.from_answers(tmp_path / "answers.csv", str(tmp_path / "cases.csv"))
    expected = ym.Inspection.from_answers(answers, cases).theme_scores()
    pd.testing.assert_frame_equal(insp.theme_scores(), expected)


def test_numeric_case_ids_match_across_tables():
    cases = pd.DataFrame({"case_id": [1, 2]})
    answers = pd.DataFrame({"case_id": [1.0, 2.0], "question_id": ["rr_plan", "rr_plan"],
                            "answer": ["yes", "no"]})
    insp = ym.Inspection.from_answers(answers, cases)
    assert insp.question_summary().set_index("question_id").loc["rr_plan", "yes"] == 1


def test_json_round_trip(tmp_path):
    insp = ym.datasets.lewisham_2016()
    path = tmp_path / "insp.json"
    insp.to_json(path)
    back = ym.Inspection.from_json(path)
    pd.testing.assert_frame_equal(back.theme_scores(), insp.theme_scores())
    pd.testing.assert_frame_equal(back.question_summary(), insp.question_summary())
    pd.testing.assert_frame_equal(back.cases, insp.cases)
    assert back.findings == insp.findings
    assert back.recommendations == insp.recommendations
    assert back.judgements == insp.judgements
    assert back.figures == insp.figures and back.provenance == insp.provenance
    assert json.loads(back.to_json()) == json.loads(insp.to_json())


def test_json_round_trip_keeps_the_case_column_types(tmp_path):
    base = ym.datasets.lewisham_2016()
    cases = base.cases.copy()
    start = pd.to_datetime("2016-01-05") + pd.to_timedelta(np.arange(len(cases)), "D")
    cases["allocated"] = start.where(np.arange(len(cases)) != 3)  # one missing date
    cases["allocated_day"] = cases["allocated"].astype("datetime64[s]")
    cases["seen"] = cases["allocated"].dt.tz_localize("Europe/London")
    cases["looked_after"] = pd.array([True, False, None] * 19, dtype="boolean")
    cases["previous"] = pd.array([*range(56), None], dtype="Int64")
    cases["weeks"] = np.arange(len(cases)) / 3  # more digits than pandas writes by default
    cases["supervision"] = pd.to_timedelta(np.arange(len(cases)), "h")
    insp = ym.Inspection(base.framework, cases, base.answers)
    path = tmp_path / "typed.json"
    insp.to_json(path)
    back = ym.Inspection.from_json(path)
    pd.testing.assert_frame_equal(back.cases, insp.cases, check_exact=True)
    # A document from before the types were recorded is read as it is (dates as text).
    document = insp.to_dict()
    del document["case_dtypes"]
    assert ym.Inspection.from_dict(document).cases["allocated"].iloc[0].startswith("2016-01-05")
    for name, dtype in [("previous", "datetime64[ns]"), ("weeks", "int8"),
                        ("allocated", "float64"), ("sex", "bool")]:
        document["case_dtypes"] = {name: dtype}
        with pytest.raises(ym.InputError, match=rf"case column '{name}' cannot be read as "):
            ym.Inspection.from_dict(document)


@pytest.mark.parametrize("edit, error, message", [
    (lambda d: d.update(schema="something.else"), ValueError, "not an inspection document"),
    (lambda d: d.update(schema_version=99), ValueError, "upgrade yosmodel"),
    (lambda d: d.pop("answers"), ValueError, "missing the required key 'answers'"),
    (lambda d: d["answers"].append(["L01", "rr_plan"]), ValueError, "triple"),
    (lambda d: d["judgements"].update(governance_and_partnerships="splendid"), ValueError,
     "not words of the framework's scale: 'splendid'"),
    (lambda d: d["judgements"].update(reducing_reoffending="good"), ValueError,
     "for scored themes"),
    (lambda d: d["findings"].append({"theme": "nope", "text": "x"}), ValueError,
     "name a theme the framework does not have"),
    (lambda d: d["findings"].append({"theme": "interventions", "text": "x", "kind": "rumour"}),
     ValueError, "kind must be one of"),
    (lambda d: d["recommendations"].append({"number": 10}), ValueError, "needs number"),
])
def test_inspection_document_errors(tmp_path, edit, error, message):
    document = ym.datasets.lewisham_2016().to_dict()
    edit(document)
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(document))
    with pytest.raises(error, match=message):
        ym.Inspection.from_json(path)


def test_from_json_rejects_broken_json(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text("{not json")
    with pytest.raises(ValueError, match="not valid JSON"):
        ym.Inspection.from_json(path)
    with pytest.raises(FileNotFoundError):
        ym.Inspection.from_json(tmp_path / "absent.json")


def test_subgroups_by_mask_dict_and_by():
    insp = ym.datasets.lewisham_2016()
    girls = insp.cases["sex"] == "female"
    by_mask = insp.theme_scores(girls.to_numpy())
    by_dict = insp.theme_scores(where={"sex": "female"})
    pd.testing.assert_frame_equal(by_mask, by_dict)
    # The reference: pandas over the girls' answers only.
    answers = insp.answers[insp.answers["case_id"].isin(insp.cases.loc[girls, "case_id"])]
    ref = reference_scores(answers, insp.framework)
    rr = by_dict.iloc[0]
    assert (rr["done_well"], rr["applicable"]) == (
        ref.loc["reducing_reoffending", "done_well"], ref.loc["reducing_reoffending",
                                                              "applicable"])
    by_sex = insp.theme_scores(by="sex")
    assert list(by_sex.columns[:2]) == ["sex", "theme"]
    both = by_sex.groupby("theme", sort=False)[["done_well", "applicable"]].sum()
    whole = insp.theme_scores().set_index("theme")
    scored = whole["applicable"].notna()
    assert (both.loc[scored[scored].index, "done_well"]
            == whole.loc[scored, "done_well"]).all()
    custody = insp.question_summary(where={"sentence_type": "custody"})
    assert (custody[["yes", "no", "not_applicable"]].sum(axis=1) == 8).all()
    with pytest.raises(ValueError, match="no attribute"):
        insp.theme_scores(where={"shoe_size": 9})
    with pytest.raises(ValueError, match="one per case"):
        insp.theme_scores(np.ones(3, dtype=bool))


def test_intervals_are_wilson():
    from statsmodels.stats.proportion import proportion_confint

    scores = ym.datasets.lewisham_2016().theme_scores(level=0.95)
    row = scores.iloc[0]
    lo, hi = proportion_confint(int(row["done_well"]), int(row["applicable"]), 0.05, "wilson")
    assert row["score_lower"] == pytest.approx(lo, abs=1e-9)
    assert row["score_upper"] == pytest.approx(hi, abs=1e-9)
    assert np.isnan(scores.iloc[4]["score_lower"])


def test_key_judgements_findings_recommendations_and_html():
    insp = ym.datasets.lewisham_2016()
    kj = insp.key_judgements()
    assert list(kj.columns) == ["theme", "score", "judgement", "basis"]
    assert kj["basis"].tolist().count("set by inspectors") == 1
    assert all(isinstance(f, ym.Finding) for f in insp.findings)
    assert len(insp.recommendations) == 9
    html = insp._repr_html_()
    assert "<table>" in html and "Governance and partnerships" in html
    assert "RECONSTRUCTION" in html and "RECONSTRUCTED" in repr(insp)


def test_frameworks_ship_and_load_by_name_path_and_dict(tmp_path):
    assert set(ym.inspection.shipped_frameworks()) >= {"fji_2016", "hmip_youth_2018"}
    for name in ("fji_2016", "hmip_youth_2018"):
        fw = Framework.load(name)
        document = fw.to_dict()
        assert document["schema"] == "yosmodel.framework" and document["schema_version"] == 1
        path = tmp_path / f"{name}.json"
        path.write_text(json.dumps(document))
        assert Framework.load(path).to_dict() == Framework.load(document).to_dict()
    fji = Framework.load("fji_2016")
    assert len(fji.themes) == 6 and sum(t.scored for t in fji.themes) == 5
    assert all(len(t.questions) >= 3 for t in fji.themes if t.scored)
    assert fji.judgement_for(0.65) == "satisfactory" and fji.judgement_for(0.6499) == \
        "unsatisfactory"
    hmip = Framework.load("hmip_youth_2018")
    assert len(hmip.themes) == 13 and hmip.theme_rule == "lowest_question"


@pytest.mark.parametrize("edit, message", [
    (lambda d: d.update(schema="x"), "not a framework document"),
    (lambda d: d.update(schema_version=2), "upgrade yosmodel"),
    (lambda d: d.pop("themes"), "missing the required key 'themes'"),
    (lambda d: d.update(theme_rule="average"), "theme_rule must be one of"),
    (lambda d: d["themes"].append(dict(d["themes"][0])), "appear more than once"),
    (lambda d: d["bands"].reverse(), "highest minimum score to the lowest"),
    (lambda d: d["themes"][0].update(questions=[]), "scored theme(s) have no questions"),
    (lambda d: d["bands"][0].pop("judgement"), "missing the required key 'judgement'"),
])
def test_framework_errors(edit, message):
    document = Framework.load("fji_2016").to_dict()
    edit(document)
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        Framework.load(document)


def test_framework_name_and_file_errors(tmp_path):
    with pytest.raises(ValueError, match="unknown framework name"):
        Framework.load("fji_1999")
    with pytest.raises(FileNotFoundError):
        Framework.load(tmp_path / "absent.json")
    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2")
    with pytest.raises(ValueError, match="not valid JSON"):
        Framework.load(bad)
    with pytest.raises(TypeError):
        Framework.load(3)


def test_a_users_own_framework(tmp_path):
    document = {
        "schema": "yosmodel.framework", "schema_version": 1, "id": "mine",
        "bands": [{"min_score": 0.5, "judgement": "fine"}, {"min_score": 0, "judgement": "not"}],
        "themes": [{"id": "t", "name": "Tea", "questions": [{"id": "q1", "text": "Hot?"}]}],
    }
    path = tmp_path / "mine.json"
    path.write_text(json.dumps(document))
    insp = ym.Inspection.from_answers(
        pd.DataFrame({"case_id": ["1", "2"], "question_id": ["q1", "q1"],
                      "answer": ["yes", "no"]}),
        pd.DataFrame({"case_id": ["1", "2"]}), path)
    assert insp.theme_scores()["judgement"].tolist() == ["fine"]


@pytest.mark.parametrize("counts, expected", [
    ((0, 0, 0, 12), (0, "Inadequate")), ((0, 0, 6, 6), (6, "Inadequate")),
    ((0, 0, 7, 5), (7, "Requires improvement")), ((0, 6, 6, 0), (18, "Requires improvement")),
    ((0, 7, 5, 0), (19, "Good")), ((6, 6, 0, 0), (30, "Good")),
    ((7, 5, 0, 0), (31, "Outstanding")), ((12, 0, 0, 0), (36, "Outstanding")),
])
def test_overall_rating_bands(counts, expected):
    words = ["Outstanding", "Good", "Requires improvement", "Inadequate"]
    ratings = [w for w, n in zip(words, counts) for _ in range(n)]
    assert ym.overall_rating(ratings) == expected
    mapping = {f"standard {i}": r for i, r in enumerate(ratings)}
    assert ym.overall_rating(mapping, framework="hmip_youth_2018") == expected


def test_overall_rating_errors():
    with pytest.raises(ValueError, match="each of the 12 counted standards"):
        ym.overall_rating(["Good"] * 11)
    with pytest.raises(ValueError, match="1 standard rating"):
        ym.overall_rating(["Good"] * 11 + ["Splendid"])
    with pytest.raises(ValueError, match="no overall rating rule"):
        ym.overall_rating(["Good"] * 12, framework="fji_2016")
    with pytest.raises(TypeError):
        ym.overall_rating("Good")


def test_hmip_standard_follows_its_lowest_key_question():
    fw = Framework.load("hmip_youth_2018")
    questions = fw.theme("2.1_assessment").questions
    # 10 cases: desistance 9/10, safety 7/10, others 6/10 -> lowest 60% -> Requires improvement.
    rows = []
    for q, yes in zip(questions, (9, 7, 6)):
        rows += [(f"c{i}", q.id, "yes" if i < yes else "no") for i in range(10)]
    insp = ym.Inspection.from_answers(pd.DataFrame(rows, columns=["case_id", "question_id",
                                                                   "answer"]),
                                      pd.DataFrame({"case_id": [f"c{i}" for i in range(10)]}),
                                      fw)
    row = insp.theme_scores().set_index("theme").loc["2.1 Assessment"]
    assert row["score"] == pytest.approx(0.6)
    assert row["judgement"] == "Requires improvement"
    # The counts are the lowest question's, so done_well / applicable is the score.
    assert (row["done_well"], row["applicable"]) == (6, 10)


def test_an_hmip_inspection_gets_its_overall_rating():
    fw = Framework.load("hmip_youth_2018")
    scored = [t for t in fw.themes if t.scored]
    # 10 cases; every key question 7/10 (Good, 2 points) except 2.1's third at 4/10
    # (Inadequate, 0 points): 7 x 2 + 0 = 14 from the 8 case standards.
    rows = []
    for t in scored:
        for q in t.questions:
            yes = 4 if q.id == "cd_assessment_others" else 7
            rows += [(f"c{i}", q.id, "yes" if i < yes else "no") for i in range(10)]
    answers = pd.DataFrame(rows, columns=["case_id", "question_id", "answer"])
    cases = pd.DataFrame({"case_id": [f"c{i}" for i in range(10)]})
    judged = {t.id: "Good" for t in fw.themes if not t.scored}  # 4 x 2 = 8
    insp = ym.Inspection.from_answers(answers, cases, fw, judgements=judged)
    assert insp.overall_rating() == (22, "Good")
    partial = ym.Inspection.from_answers(answers, cases, fw)
    with pytest.raises(ValueError, match="4 counted standard\\(s\\) have no rating yet"):
        partial.overall_rating()
    with pytest.raises(ValueError, match="no overall rating rule"):
        ym.datasets.lewisham_2016().overall_rating()


def test_to_json_writes_numeric_and_missing_attributes(tmp_path):
    cases, answers = small_tables()
    cases = cases.assign(age=np.array([15, 16, 17], dtype=np.int64), score=[0.5, np.nan, 1.0])
    insp = ym.Inspection.from_answers(answers, cases)
    path = tmp_path / "i.json"
    assert insp.to_json(path) == str(path)  # with a path: writes it and returns the path
    assert json.loads(Path(path).read_text()) == json.loads(insp.to_json())
    back = ym.Inspection.from_json(path)
    assert back.cases["age"].tolist() == [15, 16, 17]
    assert back.cases["score"].isna().tolist() == [False, True, False]
    pd.testing.assert_frame_equal(back.theme_scores(), insp.theme_scores())


@pytest.mark.parametrize(("yes", "cases", "expected"),
                         [(23, 40, 58), (29, 200, 15), (57, 200, 29), (1, 8, 13), (17, 40, 43)])
def test_whole_percentages_round_half_up_from_the_counts(yes, cases, expected):
    # 23 / 40 * 100 is 57.4999... in binary: the published figure is still 58%.
    ids = [f"c{i}" for i in range(cases)]
    answers = pd.DataFrame({"case_id": ids, "question_id": "rr_assessment",
                            "answer": ["yes"] * yes + ["no"] * (cases - yes)})
    insp = ym.Inspection.from_answers(answers, pd.DataFrame({"case_id": ids}))
    assert insp.key_judgements()["score"].iloc[0] == expected
    from yosmodel.inspection._html import percent

    assert percent(insp.theme_scores()["score"].iloc[0]) == f"{expected}%"


def test_judgement_words_are_folded_to_the_frameworks_spelling():
    cases, answers = small_tables()
    for word in ["Ineffective", " INEFFECTIVE ", "ineffective"]:
        insp = ym.Inspection.from_answers(
            answers, cases, judgements={"governance_and_partnerships": word})
        assert insp.judgements == {"governance_and_partnerships": "ineffective"}
    # the 2025 framework spells its words capitalised: a lower-case word is the same word
    scale = Framework.load("hmip_youth_2025").judged_scale
    assert "Good" in scale
    with pytest.raises(ym.DtypeError, match="judgement words"):
        ym.Inspection.from_answers(answers, cases,
                                   judgements={"governance_and_partnerships": 3})
    with pytest.raises(ym.InputError, match="not words of the framework's scale"):
        ym.Inspection.from_answers(answers, cases,
                                   judgements={"governance_and_partnerships": "great"})


def test_table_errors_are_yosmodel_errors():
    cases, answers = small_tables()
    with pytest.raises(ym.InputError, match="case_id in the answers table is missing in 1"):
        ym.Inspection.from_answers(answers.assign(case_id=[None] + list(answers.case_id[1:])),
                                   cases)
    with pytest.raises(ym.InputError, match="has no column 'answer'"):
        ym.Inspection.from_answers(answers.drop(columns="answer"), cases)
    with pytest.raises(ym.DtypeError, match="must be a pandas DataFrame"):
        ym.Inspection.from_answers(42, cases)


def test_subgroup_blocks_say_the_cases_with_no_value():
    cases, answers = small_tables()
    insp = ym.Inspection.from_answers(answers, cases.assign(sex=["female", None, "male"]))
    with pytest.warns(UserWarning, match=r"1 case\(s\) with no 'sex' value are in no block"):
        table = insp.theme_scores(by="sex")
    assert sorted(table["sex"].unique()) == ["female", "male"]
    nobody = ym.Inspection.from_answers(answers, cases.assign(sex=None))
    with pytest.warns(UserWarning, match="3 case"):
        empty = nobody.theme_scores(by="sex")
    assert len(empty) == 0 and list(empty.columns)[:2] == ["sex", "theme"]


def test_subgroup_values_of_any_scalar_kind():
    cases, answers = small_tables()
    insp = ym.Inspection.from_answers(answers, cases.assign(age=[14, 15, 15], sex=[
        "female", None, "male"]))
    by_int = insp.theme_scores(where={"age": 15})
    assert insp.theme_scores(where={"age": np.int64(15)}).equals(by_int)
    assert insp.theme_scores(where={"age": [np.int64(15)]}).equals(by_int)
    nobody = insp.theme_scores(where={"sex": None})  # the case with no sex value
    assert nobody.equals(insp.theme_scores(where=np.array([False, True, False])))
    with pytest.raises(ym.InputError, match="no attribute 'nope'"):
        insp.theme_scores(where={"nope": 1})


@pytest.mark.parametrize("details", [{"service": 5}, {"published": 2016}, {"overall": 3},
                                     {"provenance": 1.5}])
def test_non_text_details_are_refused_without_the_bindings_dump(details):
    # The binding refused these with its dump of every argument: the case ids among them.
    cases, answers = small_tables()
    secret = {"a": "SECRETCASE1", "b": "SECRETCASE2", "c": "SECRETCASE3"}
    cases, answers = cases.replace(secret), answers.replace(secret)
    with pytest.raises(ym.DtypeError, match="must be text") as caught:
        ym.Inspection.from_answers(answers, cases, **details)
    assert "SECRETCASE" not in str(caught.value)


@pytest.mark.parametrize(("edit", "message"), [
    ({"answers": 5}, "must be lists"), ({"cases": 5}, "must be lists"),
    ({"figures": [1]}, "figures must be a dict"),
    ({"recommendations": [{"number": "x", "addressee": "a", "text": "t"}]}, "whole number"),
])
def test_hostile_inspection_documents_are_yosmodel_errors(edit, message):
    document = ym.datasets.lewisham_2016().to_dict()
    document.update(edit)
    with pytest.raises(ym.YosmodelError, match=message):
        ym.Inspection.from_dict(document)
