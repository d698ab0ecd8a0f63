"""Nothing leaks from an inspection report (issue 11): only declared subgroup columns are
published, a reoffending table goes through disclosure control by default, and framework files
are checked against the schema with the field named (never coerced, never a RecursionError)."""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
import pytest

import yosmodel as ym
from yosmodel.inspection import Framework, FrameworkError
from yosmodel.inspection.report import render_report


def inspection_with_private_columns():
    n = 40
    cases = pd.DataFrame({"case_id": [f"c{i}" for i in range(n)],
                          "sex": ["female"] * 12 + ["male"] * 28,
                          "sentence_type": ["custody"] * 15 + ["community"] * 25,
                          "name": [f"Zebedee Quixote {i}" for i in range(n)],
                          "notes": ["disclosed at 14 Sentinel Road"] * n})
    fw = ym.Framework.load("fji_2016")
    rng = np.random.default_rng(1)
    rows = [(c, q.id, rng.choice(["yes", "no", "n/a"])) for c in cases["case_id"]
            for q in fw.questions]
    return ym.Inspection.from_answers(pd.DataFrame(rows, columns=["case_id", "question_id",
                                                                  "answer"]), cases, fw)


def test_only_declared_subgroup_columns_are_published():
    insp = inspection_with_private_columns()
    for html in (render_report(insp), render_report(insp, disclosure=None)):
        assert "Zebedee" not in html and "Sentinel Road" not in html
        assert "notes" not in html and ">name<" not in html
        assert "Theme scores by sex" in html and "Theme scores by sentence type" in html
    # The caller may narrow the list, and naming a column the cases lack is an error.
    html = render_report(insp, subgroups=["sex"])
    assert "Theme scores by sentence type" not in html and "Theme scores by sex" in html
    with pytest.raises(ValueError, match="no attribute 'ethnicity'"):
        render_report(insp, subgroups=["ethnicity"])
    # Declaring a private column is the caller's explicit choice, and it is then published.
    assert "Theme scores by name" in render_report(insp, subgroups=["name"])


def test_the_framework_declares_its_subgroups():
    assert Framework.load("fji_2016").subgroups == ("sentence_type", "sex", "risk_of_harm")
    assert Framework.load("hmip_youth_2018").subgroups == ("sentence_type", "sex",
                                                           "risk_of_harm")


def reoffending_table():
    cohort = pd.DataFrame({"yjs": ["A"] * 40 + ["B"] * 3,
                           "reoffences": [1] * 15 + [0] * 25 + [1, 0, 0]})
    return ym.reoffending_rates(cohort, by=["yjs"])


def test_a_reoffending_table_goes_through_disclosure_control_by_default(tmp_path):
    insp = ym.datasets.lewisham_2016()
    rates = reoffending_table()
    html = render_report(insp, reoffending=rates)
    part = html[html.index('id="reoffending"'):]
    table = part[part.index("Proven reoffending with 95% intervals"):]
    table = table[:table.index("</table>")]
    rows = re.findall(r"<tr>(.*?)</tr>", table)
    b_row = next(r for r in rows if "<td>B</td>" in r)
    assert '<td class="num">3</td>' not in b_row and "~" in b_row  # 3 offenders withheld
    a_row = next(r for r in rows if "<td>A</td>" in r)
    assert '<td class="num">40</td>' in a_row or "~" in a_row
    # Turned off only explicitly, and the report then says so.
    open_html = render_report(insp, reoffending=rates, disclosure=None)
    assert "Disclosure control was turned off" in open_html
    assert '<td class="num">3</td>' in open_html[open_html.index('id="reoffending"'):]
    # A table already through suppress keeps its own record.
    safe = ym.suppress(rates, by=["yjs"])
    assert "~" in render_report(insp, reoffending=safe)


def _b_row(html):
    part = html[html.index('id="reoffending"'):]
    table = part[part.index("Proven reoffending with 95% intervals"):]
    rows = re.findall(r"<tr>(.*?)</tr>", table[:table.index("</table>")])
    return next(r for r in rows if "<td>B</td>" in r)


def test_a_reoffending_table_marked_uncontrolled_is_controlled_by_the_report():
    insp = ym.datasets.lewisham_2016()
    rates = reoffending_table()
    marked_off = ym.disclosure.apply_default(rates, ["yjs"], None)
    b_row = _b_row(render_report(insp, reoffending=marked_off))
    assert '<td class="num">3</td>' not in b_row and "~" in b_row


def test_a_reoffending_table_suppressed_more_weakly_than_the_report_is_refused():
    insp = ym.datasets.lewisham_2016()
    weak = ym.suppress(reoffending_table(), by=["yjs"], threshold=3, allow_small_threshold=True)
    with pytest.raises(ValueError, match="weaker settings than the report's \\(threshold 3 "
                                         "below 10\\)"):
        render_report(insp, reoffending=weak)
    assert "~" in render_report(insp, reoffending=weak,
                                disclosure=ym.Disclosure(threshold=3,
                                                         allow_small_threshold=True))


def test_a_person_level_cohort_is_refused_as_a_reoffending_table():
    insp = ym.datasets.lewisham_2016()
    cohort = pd.DataFrame({"person_id": ["p1", "p2"], "reoffences": [1, 0]})
    with pytest.raises(ValueError, match="not a person-level cohort") as caught:
        render_report(insp, reoffending=cohort)
    assert "p1" not in str(caught.value)


def document():
    return Framework.load("fji_2016").to_dict()


@pytest.mark.parametrize("edit, message", [
    (lambda d: d["themes"][0].update(scored="false"),
     "themes[0].scored must be true or false, not a string"),
    (lambda d: d.update(judged_scale="good"), "judged_scale must be a list, not a string"),
    (lambda d: d["themes"][1]["questions"][0].update(id=7),
     "themes[1].questions[0].id must be a string, not a number"),
    (lambda d: d["bands"][0].update(min_score="0.75"),
     "bands[0].min_score must be a number, not a string"),
    (lambda d: d.pop("bands"), "missing the required key 'bands'"),
    (lambda d: d["themes"][2].pop("id"), "themes[2] is missing the required key 'id'"),
    (lambda d: d.update(schema_version="1"), "schema_version must be a whole number"),
    (lambda d: d["themes"][1].update(id=d["themes"][0]["id"]),
     "1 theme id(s) appear more than once ('reducing_reoffending')"),
    (lambda d: d["themes"][1]["questions"].append(dict(d["themes"][0]["questions"][0])),
     "question id(s) appear more than once ('rr_"),
    (lambda d: d.update(themes={"a": 1}), "themes must be a list, not an object"),
])
def test_framework_schema_errors_name_the_field(edit, message):
    d = document()
    edit(d)
    with pytest.raises(FrameworkError) as caught:
        Framework.load(d)
    assert message in str(caught.value)
    assert isinstance(caught.value, ValueError)


def test_deep_nesting_is_refused_without_recursion_error(tmp_path):
    deep = "[" * 200_000 + "]" * 200_000
    path = tmp_path / "deep.json"
    path.write_text('{"schema": "yosmodel.framework", "schema_version": 1, "x": ' + deep + "}")
    with pytest.raises(FrameworkError, match="nested more than 64 levels deep"):
        Framework.load(path)
    nested: dict = {}
    inner = nested
    for _ in range(5000):
        inner["x"] = {}
        inner = inner["x"]
    with pytest.raises(FrameworkError):
        Framework.load({**document(), "extra": nested})


def test_a_framework_file_with_a_byte_order_mark_loads(tmp_path):
    path = tmp_path / "bom.json"
    path.write_text("\ufeff" + json.dumps(document()), encoding="utf-8")
    assert Framework.load(path).id == "fji_2016"


def test_a_deeply_nested_inspection_file_is_refused_plainly(tmp_path):
    path = tmp_path / "deep.json"
    path.write_text('{"schema": "yosmodel.inspection", "x": ' + "[" * 200_000 + "]" * 200_000
                    + "}")
    with pytest.raises(ValueError, match="nested too deeply"):
        ym.Inspection.from_json(path)
