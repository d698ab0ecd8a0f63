"""The framework text is read twice, by the C++ reader and again by json.loads (for to_dict and
pickling), so the two must agree on what is a document. The framework fuzz target found text the
C++ reader accepted that json.loads refuses (a traceback) or reads differently (a repeated key:
the C++ reader kept the first, json.loads the last, so a pickled framework came back as another
one). Each case now gets a FrameworkError naming the line and column."""

from __future__ import annotations

import json
import pickle

import pytest

import yosmodel as ym
from yosmodel.inspection import FrameworkError

SMALL = {
    "schema": "yosmodel.framework", "schema_version": 1, "id": "small", "name": "Small",
    "judged_scale": ["fine", "poor"],
    "bands": [{"min_score": 0.5, "judgement": "fine"}, {"min_score": 0, "judgement": "poor"}],
    "themes": [{"id": "a", "questions": [{"id": "a1"}]}, {"id": "g", "scored": False}],
}


def text(**replace: str) -> str:
    out = json.dumps(SMALL)
    for old, new in replace.items():
        assert old in out
        out = out.replace(old, new)
    return out


def test_a_repeated_key_is_refused_rather_than_read_two_ways():
    twice = text(**{'"id": "small"': '"id": "small", "id": "other"'})
    with pytest.raises(FrameworkError, match="the key 'id' appears twice"):
        ym.Framework(twice)


@pytest.mark.parametrize("number", ["01", "1.", "-", "1e", ".5"])
def test_numbers_json_loads_refuses_are_refused_by_the_reader_too(number):
    bad = text(**{'"schema_version": 1': f'"schema_version": {number}'})
    with pytest.raises(json.JSONDecodeError):
        json.loads(bad)  # the independent reading: not JSON
    with pytest.raises(FrameworkError, match="not valid JSON"):
        ym.Framework(bad)


def test_a_file_not_saved_as_utf8_is_a_framework_error(tmp_path):
    path = tmp_path / "latin1.json"
    path.write_bytes(text(Small="Small \u00e9").encode("latin-1"))
    with pytest.raises(FrameworkError, match="not UTF-8"):
        ym.Framework.load(path)
    # Saved as UTF-8 (with or without a byte-order mark) it loads.
    path.write_bytes(b"\xef\xbb\xbf" + text(Small="Small \u00e9").encode("utf-8"))
    assert ym.Framework.load(path).name == "Small \u00e9"


def test_a_byte_order_mark_in_text_is_named():
    with pytest.raises(FrameworkError, match="byte-order mark"):
        ym.Framework("\ufeff" + text())


@pytest.mark.parametrize("given", ["text", "dict"])
def test_a_lone_surrogate_is_a_framework_error_not_an_argument_dump(given):
    document = dict(SMALL, name="Small \ud800")
    with pytest.raises(FrameworkError, match="lone surrogate") as raised:
        ym.Framework(json.dumps(document, ensure_ascii=False) if given == "text" else document)
    assert "Invoked with" not in str(raised.value) and "Small" not in str(raised.value)


def test_what_the_reader_accepts_pickles_to_the_same_framework():
    fw = ym.Framework(text(Small="Small \\u00e9 \\ud83d\\ude00"))
    back = pickle.loads(pickle.dumps(fw))
    assert (back.id, back.name, [t.id for t in back.themes]) == (fw.id, fw.name, ["a", "g"])
    assert fw.name == "Small \u00e9 \U0001f600"


# -- whole numbers, ids and text the readers hold exactly, or refuse -------------------------

import copy  # noqa: E402
import re  # noqa: E402
import warnings  # noqa: E402

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

SENTINEL = "SENTINEL-CHILD-5520"
ONE_QUESTION = {
    "schema": "yosmodel.framework", "schema_version": 1, "id": "t",
    "bands": [{"min_score": 0.5, "judgement": "ok"}, {"min_score": 0, "judgement": "poor"}],
    "themes": [{"id": "A", "questions": [{"id": "q1", "text": "Q1?"}]}],
}


def chain(error):
    """Every text an error and those behind it carry, a UnicodeError's ``object`` too."""
    out, seen = [], set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        out += [str(error), repr(error), *map(str, error.args), str(getattr(error, "object", ""))]
        error = error.__cause__ or error.__context__
    return " ".join(out)


def one_answer_each(ids):
    return (pd.DataFrame({"case_id": ids}),
            pd.DataFrame({"case_id": ids, "question_id": ["q1"] * len(ids),
                          "answer": ["yes"] * len(ids)}))


@pytest.mark.parametrize("ids", [[1e20, 2e20], [float("inf"), 5.0], [2.0**53 + 2, 1.0]])
def test_float_ids_beyond_exact_whole_numbers_are_refused_not_merged_or_renamed(ids):
    """Before: astype(int64) read 1e20 and 2e20 as one id (refused as a repeat) and infinity
    as '-9223372036854775808', with numpy's RuntimeWarning."""
    cases, answers = one_answer_each(ids)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ym.InputError, match="case_id in the cases table must be text or "
                                                "whole numbers") as raised:
            ym.Inspection.from_answers(answers, cases, ONE_QUESTION)
    assert "more than once" not in str(raised.value)


def test_float_ids_up_to_2_53_are_read_as_their_whole_numbers():
    cases, answers = one_answer_each([2.0**53, 7.0])
    insp = ym.Inspection.from_answers(answers, cases, ONE_QUESTION)
    assert insp.cases["case_id"].tolist() == ["9007199254740992", "7"]


def hmip_with(path, value):
    document = copy.deepcopy(ym.Framework.load("hmip_youth_2018").to_dict())
    *parents, last = path
    place = document
    for key in parents:
        place = place[key]
    place[last] = value
    return document


@pytest.mark.parametrize(("path", "value", "field"), [
    (("overall", "points", "Outstanding"), 2**53 + 1, "overall.points.Outstanding"),
    (("overall", "points", "Outstanding"), 10**16, "overall.points.Outstanding"),
    (("schema_version",), 10**29, "schema_version"),
    (("overall", "bands", 0, "min_points"), -(2**60), "overall.bands[0].min_points"),
])
@pytest.mark.parametrize("given", ["dict", "text"])
def test_whole_numbers_beyond_2_53_would_not_fit_and_are_refused(path, value, field, given):
    """Before: 2^53 + 1 points were used as 2^53 while to_dict wrote 2^53 + 1; 10^16 and a
    schema_version of 10^29 were "must be a whole number, not a number"."""
    document = hmip_with(path, value)
    with pytest.raises(FrameworkError, match=rf"{re.escape(field)} would not fit"):
        ym.Framework(document if given == "dict" else json.dumps(document))


def test_points_up_to_2_53_are_used_as_written():
    fw = ym.Framework.load(hmip_with(("overall", "points", "Outstanding"), 2**53))
    assert fw.overall["points"]["Outstanding"] == fw.to_dict()["overall"]["points"][
        "Outstanding"] == 2**53


@pytest.mark.parametrize(("value", "why"), [(float("nan"), "not a finite number"),
                                            (float("inf"), "not a finite number"),
                                            (np.int64(0), "of type int64")])
def test_a_framework_dict_names_the_field_json_cannot_carry(value, why):
    """Before: a NaN was reported at a line and column of yosmodel's own re-serialisation."""
    document = copy.deepcopy(SMALL)
    document["bands"][1]["min_score"] = value
    with pytest.raises(FrameworkError, match=rf"bands\[1\]\.min_score is {why}") as raised:
        ym.Framework(document)
    assert "line" not in str(raised.value)


def test_a_lone_surrogate_in_a_framework_dict_is_named_by_field():
    document = copy.deepcopy(SMALL)
    document["themes"][0]["questions"][0]["text"] = SENTINEL + "\ud800"
    with pytest.raises(FrameworkError, match=r"themes\[0\]\.questions\[0\]\.text is not valid "
                                             "text") as raised:
        ym.Framework(document)
    assert SENTINEL not in chain(raised.value)


def _object(*values):
    return pd.Series(list(values), dtype=object)  # pandas' own str columns refuse them


BROKEN = SENTINEL + "\ud800"


@pytest.mark.parametrize(("where", "field"), [
    ("finding", r"findings\[0\]\.text"), ("recommendation", r"recommendations\[0\]\.addressee"),
    ("service", "service"), ("case_id", "the cases table's column 'case_id'"),
    ("question_id", "the answers table's column 'question_id'"),
    ("answer", "the answers table's column 'answer'"), ("sex", "the cases table's column 'sex'"),
])
def test_a_lone_surrogate_in_an_inspection_input_is_named_and_not_carried(where, field):
    """Before: a finding's or recommendation's text was pybind11's RuntimeError, a service
    name "the arguments ... do not fit", and a case id, question id, answer or attribute a
    UnicodeEncodeError whose ``object`` held the case id."""
    cases = pd.DataFrame({"case_id": _object("c1"), "sex": _object("f")})
    answers = pd.DataFrame({"case_id": _object("c1"), "question_id": _object("q1"),
                            "answer": _object("yes")})
    details = {}
    if where == "finding":
        details["findings"] = [{"theme": "A", "text": BROKEN}]
    elif where == "recommendation":
        details["recommendations"] = [{"number": 1, "addressee": BROKEN, "text": "t"}]
    elif where == "service":
        details["service"] = BROKEN
    elif where in ("case_id", "sex"):
        cases[where] = _object(BROKEN)
        if where == "case_id":
            answers["case_id"] = _object(BROKEN)
    else:
        answers[where] = _object(BROKEN)
    with pytest.raises(ym.InputError, match=f"{field}.*not valid text") as raised:
        ym.Inspection.from_answers(answers, cases, ONE_QUESTION, **details)
    assert SENTINEL not in chain(raised.value)


def test_a_missing_answer_is_reported_with_every_other_broken_rule():
    """Before: the missing answer alone was reported; the docs promise every broken rule."""
    answers = pd.DataFrame({"case_id": ["L01", "L01", "ZZ9"],
                            "question_id": ["rr_plan", "nope", "rr_plan"],
                            "answer": [None, "maybe", "yes"]})
    with pytest.raises(ym.InputError) as raised:
        ym.Inspection.from_answers(answers, pd.DataFrame({"case_id": ["L01", "L01"]}),
                                   "fji_2016")
    message = str(raised.value)
    for rule in ("the answer is missing in 1 row", "1 case id(s) appear more than once",
                 "1 answer(s) name a case that is not in the case list",
                 "1 answer(s) name a question the framework does not have",
                 "1 answer(s) are not one of yes, no, not applicable"):
        assert rule in message, rule
    assert "nope" not in message and "maybe" not in message and "ZZ9" not in message


def test_missing_ids_are_reported_with_the_other_rules():
    answers = pd.DataFrame({"case_id": ["c1", None, "c9"], "question_id": ["q1", "q1", "q1"],
                            "answer": ["yes", "no", "yes"]})
    with pytest.raises(ym.InputError) as raised:
        ym.Inspection.from_answers(answers, pd.DataFrame({"case_id": ["c1"]}), ONE_QUESTION)
    assert "case_id in the answers table is missing in 1 row" in str(raised.value)
    assert "1 answer(s) name a case that is not in the case list" in str(raised.value)


# -- inspection files as hand-editing leaves them --------------------------------------------

@pytest.fixture(scope="module")
def lewisham_document():
    return json.loads(ym.datasets.lewisham_2016().to_json())


def write(tmp_path, document, replace=None):
    out = json.dumps(document, ensure_ascii=False)
    for old, new in (replace or {}).items():
        assert old in out
        out = out.replace(old, new, 1)
    path = tmp_path / "inspection.json"
    path.write_text(out, encoding="utf-8")
    return path


def test_schema_version_true_is_refused(tmp_path, lewisham_document):
    """Before: true was read as version 1 (bool is an int to Python)."""
    path = write(tmp_path, dict(lewisham_document, schema_version=True))
    with pytest.raises(ym.InputError, match="integer schema_version"):
        ym.Inspection.from_json(path)


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e400"])
def test_numbers_to_json_never_writes_are_refused_naming_the_field(tmp_path, lewisham_document,
                                                                   number):
    """Before: accepted, and the inspection read could then not be written by to_json."""
    document = copy.deepcopy(lewisham_document)
    document["figures"]["reoffending"]["rows"][0]["binary_rate"] = "PLACE"
    path = write(tmp_path, document, {'"PLACE"': number})
    with pytest.raises(ym.InputError, match=r"figures\.reoffending\.rows\[0\]\.binary_rate is "
                                            "not a finite number"):
        ym.Inspection.from_json(path)


def test_a_framework_named_by_path_is_not_followed(tmp_path, lewisham_document):
    """Before: a text framework was followed as a path, so '/etc/passwd' was opened."""
    framework = tmp_path / "framework.json"
    framework.write_text(json.dumps(lewisham_document["framework"]))
    path = write(tmp_path, dict(lewisham_document, framework=str(framework)))
    with pytest.raises(ym.InputError, match="a file path is not followed"):
        ym.Inspection.from_json(path)
    # A shipped framework's name is read as that framework.
    named = write(tmp_path, dict(lewisham_document, framework="fji_2016"))
    assert ym.Inspection.from_json(named).framework.id == "fji_2016"


@pytest.mark.parametrize(("edit", "message"), [
    (lambda d: d.__setitem__("findings", 5), "findings must be a list"),
    (lambda d: d["figures"].__setitem__("reoffending", [1, 2]), "figures.reoffending must be"),
    (lambda d: d["figures"]["reoffending"].__setitem__("rows", "abc"),
     "figures.reoffending.rows must be a list of rows"),
    (lambda d: d["figures"]["reoffending"]["rows"][0].__setitem__("binary_rate", "high"),
     r"figures.reoffending.rows\[0\].binary_rate must be a number"),
    (lambda d: d["figures"].__setitem__("education_training_employment", "x"),
     "figures.education_training_employment must be a list of rows"),
    (lambda d: d["findings"][0].__setitem__("text", None), r"findings\[0\]: a finding's text"),
])
def test_hand_edited_fields_are_input_errors_naming_the_field(tmp_path, lewisham_document, edit,
                                                              message):
    """Before: "'int' object is not iterable", an AttributeError, "DataFrame constructor not
    properly called!", "could not convert string to float: 'high'"."""
    document = copy.deepcopy(lewisham_document)
    edit(document)
    with pytest.raises((ym.InputError, ym.DtypeError), match=message):
        ym.Inspection.from_json(write(tmp_path, document))


def test_a_lone_surrogate_escape_in_an_inspection_file_is_named_by_field(tmp_path,
                                                                         lewisham_document):
    document = copy.deepcopy(lewisham_document)
    document["cases"][0]["case_id"] = "PLACE"
    document["answers"] = [[("PLACE" if c == lewisham_document["cases"][0]["case_id"] else c),
                            q, a] for c, q, a in document["answers"]]
    path = write(tmp_path, document, {'"PLACE"': f'"{SENTINEL}\\ud800"'})
    with pytest.raises(ym.InputError, match=r"cases\[0\]\.case_id is not valid text") as raised:
        ym.Inspection.from_json(path)
    assert SENTINEL not in chain(raised.value)


def test_to_json_names_the_figure_it_cannot_write():
    insp = ym.datasets.lewisham_2016()
    figured = ym.Inspection.from_answers(insp.answers, insp.cases,
                                         figures={"extra": {"rate": float("nan")}})
    with pytest.raises(ym.InputError, match=r"figures\.extra\.rate is not a finite number"):
        figured.to_json()


def test_a_template_over_a_file_says_which_file_and_what_to_do(tmp_path):
    """Before: "[Errno 17] File exists"."""
    taken = tmp_path / "inspection"
    taken.write_text("a file")
    with pytest.raises(FileExistsError, match="is a file, not a folder.*new or empty folder"):
        ym.inspection_template("fji_2016", taken)
    assert taken.read_text() == "a file"
