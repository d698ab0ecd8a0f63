"""The inspection report: its content, that it is self-contained and deterministic, that it
loads in headless Chromium without console errors and shows every theme, and the demo."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import yosmodel as ym
from yosmodel.inspection import report as report_module

ROOT = Path(__file__).resolve().parents[3]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def lewisham():
    return ym.datasets.lewisham_2016()


@pytest.fixture(scope="module")
def report_path(lewisham, tmp_path_factory):
    return Path(lewisham.report(tmp_path_factory.mktemp("report") / "lewisham.html"))


def test_report_has_every_part(lewisham, report_path):
    text = report_path.read_text(encoding="utf-8")
    for theme in lewisham.framework.themes:
        assert f'id="theme-{theme.id.replace("_", "-")}"' in text
        assert theme.name in text
        if theme.expectations:
            assert theme.expectations.replace("'", "&#x27;") in text
    assert text.count("<svg") == 5  # one data-summary chart per scored theme
    assert "Key judgements" in text and "Recommendations" in text
    for r in lewisham.recommendations:
        assert r.addressee in text
    assert "Score: <strong>76%</strong>" in text
    assert "no score (judged by inspectors)" in text
    for f in lewisham.findings:
        assert f.text.replace("'", "&#x27;") in text


def test_report_is_self_contained_and_deterministic(lewisham, report_path, tmp_path):
    text = report_path.read_text(encoding="utf-8")
    assert "<script" not in text
    assert not re.search(r'(src|href)="(https?:)?//', text)
    assert not re.search(r'xlink:href="(?!#)', text)
    again = Path(lewisham.report(tmp_path / "again.html")).read_text(encoding="utf-8")
    assert again == text


def test_question_counts_are_published_under_disclosure_control(lewisham):
    summary = lewisham.question_summary()
    table = summary[["question", "yes", "no", "not_applicable"]]
    safe = report_module.published_counts(table, "question", ["yes", "no", "not_applicable"],
                                          len(lewisham.cases), ym.disclosure.DEFAULT)
    counts = safe[["yes", "no", "not_applicable"]]
    shown = counts.stack()  # withheld cells are missing and drop out
    assert ((shown >= 10) | (shown == 0)).all()  # zeros are not small by default
    assert counts.isna().to_numpy().sum() > 0  # Lewisham has answers counted in single figures
    # Every row adds up to the 57 cases, so a row never has exactly one withheld count.
    assert set(counts.isna().sum(axis=1)) <= {0, 2, 3}
    original = table.set_index("question")
    for _, row in safe.iterrows():  # what is shown is the true count
        for column in ["yes", "no", "not_applicable"]:
            if not pd.isna(row[column]):
                assert row[column] == original.loc[row["question"], column]
    assert safe.attrs["disclosure"]["applied"] is True


def test_report_withholds_small_counts_by_default(lewisham):
    text = report_module.render_report(lewisham)
    assert '<td class="num">~</td>' in text
    assert "Disclosure control: counts of cases below 10 are withheld" in text
    assert "Disclosure control was turned off" not in text
    # The sample's 8 custody cases are withheld, and with them the 49 community cases (57 less
    # 8): the table by sentence type becomes one sentence saying why.
    assert "Theme scores by sentence type: every group is withheld" in text
    assert "custody (" not in text


def test_turning_disclosure_off_is_explicit_and_flagged(lewisham, tmp_path):
    text = Path(lewisham.report(tmp_path / "open.html", disclosure=None)).read_text()
    assert "Disclosure control was turned off" in text
    assert '<td class="num">~</td>' not in text
    with pytest.raises(ValueError, match="threshold"):
        lewisham.report(tmp_path / "low.html", disclosure={"threshold": 3})
    text = Path(lewisham.report(tmp_path / "low.html", disclosure={
        "threshold": 3, "allow_small_threshold": True})).read_text()
    assert "counts of cases below 3 are withheld" in text


def test_reoffending_table_is_included_when_given(lewisham, tmp_path):
    rates = ym.reoffending_rates(pd.DataFrame({"yjs": ["A", "B"] * 20,
                                               "reoffences": [0, 2, 1, 0] * 10}), by=["yjs"])
    text = Path(lewisham.report(tmp_path / "r.html", reoffending=rates)).read_text()
    assert "Proven reoffending with 95% intervals" in text and "binary rate lower" in text


def test_report_of_an_inspection_without_extras(tmp_path):
    cases = pd.DataFrame({"case_id": ["a", "b"]})
    answers = pd.DataFrame({"case_id": ["a", "b"], "question_id": ["rr_plan", "rr_plan"],
                            "answer": ["yes", "no"]})
    insp = ym.Inspection.from_answers(answers, cases, "fji_2016", service="Somewhere YOS")
    text = Path(insp.report(tmp_path / "sub" / "r.html")).read_text()
    assert "Inspection of Somewhere YOS" in text and "No recommendations" in text
    assert "Reconstruction." not in text


def _chromium(url: str) -> tuple[str, str]:
    result = subprocess.run(
        [CHROMIUM, "--headless", "--disable-gpu", "--no-sandbox", "--no-first-run",
         "--enable-logging=stderr", "--v=0", "--dump-dom", url],
        capture_output=True, text=True, timeout=120)
    return result.stdout, result.stderr


def _console_messages(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if ":CONSOLE" in line]


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (scripts/bootstrap "
                    "installs it)")
def test_report_loads_in_headless_chromium(lewisham, report_path, tmp_path):
    # The detector must see a console error when there is one ...
    bad = tmp_path / "bad.html"
    bad.write_text('<!DOCTYPE html><html><body><p>x</p><script>console.error("e");'
                   "missing();</script></body></html>")
    _, stderr = _chromium(bad.as_uri())
    assert len(_console_messages(stderr)) >= 1, stderr[-2000:]
    # ... and the report has none, and its rendered DOM shows every theme.
    dom, stderr = _chromium(report_path.as_uri())
    assert _console_messages(stderr) == []
    assert "</html>" in dom
    for theme in lewisham.framework.themes:
        assert f'id="theme-{theme.id.replace("_", "-")}"' in dom
        assert theme.name in dom
    assert dom.count("<svg") == 5
    # The screenshot is kept as a build artefact for a person to look at.
    shot = ROOT / "build" / "inspection_report.png"
    shot.parent.mkdir(exist_ok=True)
    subprocess.run([CHROMIUM, "--headless", "--disable-gpu", "--no-sandbox", "--no-first-run",
                    "--hide-scrollbars", "--window-size=1200,4000", f"--screenshot={shot}",
                    report_path.as_uri()], capture_output=True, timeout=120)
    assert shot.is_file() and shot.stat().st_size > 10_000


def test_make_demo_command_builds_the_report_and_prints_the_key_judgements(tmp_path):
    env = dict(os.environ)
    output = tmp_path / "demo.html"
    result = subprocess.run([sys.executable, "-m", "yosmodel", "demo", "--output", str(output)],
                            capture_output=True, text=True, cwd=ROOT, env=env, timeout=300)
    assert result.returncode == 0, result.stderr
    for theme, score, judgement in [("Reducing reoffending", "60%", "unsatisfactory"),
                                    ("Making sure the sentence is served", "76%", "good"),
                                    ("Governance and partnerships", "-", "ineffective")]:
        assert re.search(rf"{theme}\s+{score}\s+{judgement}", result.stdout), result.stdout
    assert "RECONSTRUCTED" in result.stdout
    assert output.is_file() and str(output) in result.stdout


def test_subgroup_tables_agree_with_subgroup_scores(lewisham, report_path):
    text = report_path.read_text(encoding="utf-8")
    assert "Theme scores by sentence type" in text and "Theme scores by risk of harm" in text
    girls = lewisham.theme_scores(where={"sex": "female"}).set_index("theme")
    expected = int(girls.loc["Reducing reoffending", "score"] * 100 + 0.5)
    row = re.search(r"Theme scores by sex.*?<td>Reducing reoffending</td>"
                    r'<td class="num">(\d+)%</td>', text, re.S)
    assert row and int(row.group(1)) == expected
    # The girls' "Protecting the public" score would give back their withheld count of no
    # answers, and the boys' with the whole sample's score the girls': both are withheld.
    row = re.search(r"Theme scores by sex.*?<td>Protecting the public</td>(.*?)</tr>", text,
                    re.S)
    assert row and re.findall(r"<td>(.*?)</td>", row.group(1)) == ["~", "~"]
    assert re.search(r'<td class="num">\d+\.\d%</td>', text)  # published rates as percent


def test_element_ids_are_unique_and_references_resolve(report_path):
    text = report_path.read_text(encoding="utf-8")
    ids = re.findall(r' id="([^"]+)"', text)
    assert len(ids) == len(set(ids))
    for ref in set(re.findall(r"url\(#([^)]+)\)", text)) | set(re.findall(r'href="#([^"]+)"',
                                                                          text)):
        assert ref in ids, ref


def test_every_kind_of_finding_has_its_place(tmp_path):
    cases = pd.DataFrame({"case_id": ["a", "b"]})
    answers = pd.DataFrame({"case_id": ["a", "b"], "question_id": ["pp_victims", "pp_victims"],
                            "answer": ["yes", "n/a"]})
    findings = [ym.Finding("protecting_the_public", f"text {kind} {tone}", kind, tone)
                for kind, tone in [("key_finding", "strength"),
                                   ("key_finding", "area_for_improvement"),
                                   ("key_finding", "neutral"), ("explanation", "neutral"),
                                   ("notable_practice", "strength"), ("quote", "neutral")]]
    insp = ym.Inspection.from_answers(answers, cases, "fji_2016", findings=findings)
    text = Path(insp.report(tmp_path / "r.html")).read_text()
    for heading in ("Key findings", "Explanation of findings", "Examples of notable practice",
                    "What young people and parents said"):
        assert heading in text
    for f in findings:
        assert f.text in text
    assert "Strength: </span>text key_finding strength" in text
    assert "Area for improvement: </span>text key_finding area_for_improvement" in text


def test_findings_keep_the_report_order_within_a_theme(tmp_path):
    # The report interleaves strengths and areas for improvement in one list of key findings;
    # the HTML keeps the inspectors' order rather than regrouping by tone.
    cases = pd.DataFrame({"case_id": ["a"]})
    answers = pd.DataFrame({"case_id": ["a"], "question_id": ["pp_victims"], "answer": ["yes"]})
    order = [("key_finding", "area_for_improvement", "first weakness"),
             ("key_finding", "strength", "then a strength"),
             ("key_finding", "area_for_improvement", "another weakness"),
             ("explanation", "neutral", "why it was so")]
    findings = [ym.Finding("protecting_the_public", text, kind, tone)
                for kind, tone, text in order]
    insp = ym.Inspection.from_answers(answers, cases, "fji_2016", findings=findings)
    text = Path(insp.report(tmp_path / "r.html")).read_text()
    section = text[text.index('id="theme-protecting-the-public"'):]
    positions = [section.index(t) for _, _, t in order]
    assert positions == sorted(positions)
    assert section.index("What we expect to see") < section.index("Score:")


def test_a_withheld_binary_rate_shows_the_symbol_not_a_blank(lewisham):
    # Blank is for a value missing for another reason (privacy.md); the withheld frequency
    # rate of the same row showed the symbol, its binary rate and limits were blank.
    cohort = pd.DataFrame({"sex": ["Female"] * 12 + ["Male"] * 60,
                           "reoffences": [1] * 3 + [0] * 9 + [1] * 30 + [0] * 30})
    safe = ym.suppress(ym.reoffending_rates(cohort, by="sex", margins=True), by="sex")
    assert pd.isna(safe.set_index("sex").loc["Female", "binary_rate"])
    text = report_module.render_report(lewisham, reoffending=safe)
    table = text[text.index("Proven reoffending with 95% intervals"):]
    female = re.search(r"<tr>\s*<t[dh][^>]*>Female</t[dh]>(.*?)</tr>", table, re.S)
    assert female is not None
    cells = re.findall(r"<td[^>]*>(.*?)</td>", female.group(1))
    rates = [c for c, name in zip(cells, safe.columns[1:]) if name.startswith("binary_rate")]
    assert rates and all(c == "~" for c in rates), cells
