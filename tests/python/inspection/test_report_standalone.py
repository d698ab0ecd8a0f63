"""The report stands alone (issue 14 §3): it needs no matplotlib, its charts do not lie about
withheld counts, and the published details (percentages, judgement words, headings, text
alternatives) are one way throughout."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import yosmodel as ym
from yosmodel.inspection import charts
from yosmodel.inspection.report import render_report

ROOT = Path(__file__).resolve().parents[3]
BLOCK_MATPLOTLIB = (
    "import sys\n"
    "class Block:\n"
    "    def find_spec(self, name, path=None, target=None):\n"
    "        if name == 'matplotlib' or name.startswith('matplotlib.'):\n"
    "            raise ImportError('matplotlib is blocked for this test')\n"
    "sys.meta_path.insert(0, Block())\n")


@pytest.fixture(scope="module")
def lewisham():
    return ym.datasets.lewisham_2016()


@pytest.fixture(scope="module")
def text(lewisham):
    return render_report(lewisham)


def run_blocked(code: str, tmp_path: Path) -> subprocess.CompletedProcess:
    script = tmp_path / "blocked.py"
    script.write_text(BLOCK_MATPLOTLIB + code)
    return subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                          cwd=ROOT, timeout=300)


def test_report_and_demo_work_with_matplotlib_blocked(tmp_path):
    out = tmp_path / "r.html"
    check = run_blocked(
        "try:\n    import matplotlib\nexcept ImportError:\n    print('blocked')\n"
        "import yosmodel as ym\n"
        f"path = ym.datasets.lewisham_2016().report({str(out)!r})\n"
        "assert 'matplotlib' not in sys.modules\nprint(path)\n", tmp_path)
    assert check.returncode == 0, check.stderr
    assert check.stdout.splitlines()[0] == "blocked"
    assert out.read_text(encoding="utf-8").count("<svg") == 5
    demo = run_blocked("from yosmodel.cli import main\n"
                       f"sys.exit(main(['demo', '--output', {str(tmp_path / 'd.html')!r}]))\n",
                       tmp_path)
    assert demo.returncode == 0, demo.stderr
    assert "Traceback" not in demo.stderr and (tmp_path / "d.html").is_file()


def test_withheld_segments_are_hatched_so_every_bar_reaches_its_total():
    table = pd.DataFrame({"question": ["q1", "q2", "q3"], "yes": [40, pd.NA, pd.NA],
                          "no": [pd.NA, pd.NA, 12], "not_applicable": [pd.NA, pd.NA, pd.NA]})
    bars = charts.data_summary_layout(table, 57)
    assert [sum(s.count for s in b.segments) for b in bars] == [57, 57, 57]
    assert [s.kind for s in bars[0].segments] == ["yes", "withheld"]
    assert bars[0].segments[1].count == 17 and bars[0].segments[1].text == "withheld"
    assert bars[1].withheld_all and [s.kind for s in bars[1].segments] == ["withheld"]
    svg = charts.bars_svg(bars, title="t", salt="x")
    assert svg.count('fill="url(#x-hatch)"') >= 3  # three hatched segments and the legend
    assert "all counts withheld" in svg and ">withheld</text>" in svg
    assert "q2: all counts withheld" in svg  # in the text alternative too


def test_the_lewisham_charts_hatch_what_disclosure_withheld(text):
    # Lewisham has counts below 10, so some segments are withheld and drawn hatched.
    assert re.search(r'fill="url\(#[a-z0-9-]+-hatch\)"', text)
    for svg in re.findall(r"<svg.*?</svg>", text, re.S):
        assert 'role="img"' in svg
        title = re.search(r'<title id="([^"]+)">', svg).group(1)
        desc = re.search(r'<desc id="([^"]+)">([^<]+)</desc>', svg)
        assert f'aria-labelledby="{title} {desc.group(1)}"' in svg
        assert "answers per question" in desc.group(2)


def test_an_all_withheld_table_becomes_one_sentence():
    html = ym.inspection.report.publish_table(
        pd.DataFrame({"question": ["a", "b"], "yes": [pd.NA, pd.NA]}, dtype=object),
        "Answers", withheld=(["yes"], "~"))
    assert "<table" not in html and html.count("<p") == 1 and "withheld" in html


def small_inspection(n_girls=3, n_boys=30, extra=None):
    cases = pd.DataFrame({"case_id": [f"c{i}" for i in range(n_girls + n_boys)],
                          "sex": ["female"] * n_girls + ["male"] * n_boys,
                          "name": [f"Child Name {i}" for i in range(n_girls + n_boys)],
                          "notes": ["lives at 1 High Street"] * (n_girls + n_boys)})
    if extra:
        cases = cases.assign(**extra)
    fw = ym.Framework.load("fji_2016")
    rng = np.random.default_rng(0)
    rows = [(c, q.id, rng.choice(["yes", "no"], p=[0.7, 0.3])) for c in cases["case_id"]
            for q in fw.questions]
    answers = pd.DataFrame(rows, columns=["case_id", "question_id", "answer"])
    return ym.Inspection.from_answers(answers, cases, fw, service="Test YOS",
                                      judgements={"governance_and_partnerships": "effective"})


def test_subgroups_show_percent_scores_without_judgement_words_or_governance(tmp_path):
    insp = small_inspection(n_girls=12, n_boys=30)
    html = render_report(insp, subgroups=["sex"])
    part = html[html.index('id="subgroups"'):html.index('id="recommendations"')]
    assert "Governance and partnerships" not in part.split("</p>", 1)[1]
    for word in ("good", "satisfactory", "unsatisfactory", "poor", "effective"):
        assert not re.search(rf"<td>{word}</td>", part, re.I), word
    scores = re.findall(r'<td class="num">([^<]+)</td>', part)
    assert scores and all(re.fullmatch(r"\d+%|\u2013", s) for s in scores)


def test_an_all_small_subgroup_table_says_there_is_nothing_to_show():
    insp = small_inspection(n_girls=3, n_boys=30)
    html = render_report(insp, subgroups=["sex"])
    # Girls (3) are withheld; with 30 boys the known total gives them away, so both are.
    assert "Theme scores by sex: every group is withheld by disclosure control" in html


def test_scores_are_percent_and_judgement_words_one_case(lewisham, text):
    key = text[text.index("<caption>Key judgements</caption>"):]
    key = key[:key.index("</table>")]
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", key)
    assert "60%" in cells and "76%" in cells
    assert "Unsatisfactory" in cells and "Good" in cells and "good" not in cells
    assert "text-transform" not in text  # one spelling, not a CSS one
    for j in re.findall(r'<span class="judgement">([^<]+)</span>', text):
        assert j[0].isupper() or j == "not set", j


def test_one_heading_per_table_and_no_links_to_project_docs(text):
    assert "docs/" not in text and ".md" not in text
    for caption in re.findall(r"<caption>([^<]+)</caption>", text):
        headings = re.findall(r"<h[1-6][^>]*>([^<]+)</h[1-6]>", text)
        assert caption not in headings, caption
    assert text.count("<table") == text.count("<caption>")


def test_to_json_with_a_path_returns_the_path(lewisham, tmp_path):
    path = tmp_path / "insp.json"
    assert lewisham.to_json(path) == str(path)
    assert json.loads(path.read_text(encoding="utf-8"))["schema"] == "yosmodel.inspection"
    assert lewisham.to_json().startswith("{")


def test_bullets_clear_the_coloured_border(text):
    # A marked key finding carries its border on the item, with the bullet inside it; a list
    # with a border keeps its bullets outside, clear of the border by the padding.
    item = re.search(r"li\.strength,li\.improve\{([^}]+)\}", text).group(1)
    assert "border-left:4px" in item and "list-style-position:inside" in item
    listed = re.search(r"ul\.notable\{([^}]+)\}", text).group(1)
    assert "border-left:4px" in listed and "padding-left:2.2em" in listed
