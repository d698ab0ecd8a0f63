"""One inspection model (issue 10): the Python names are the bound C++ types, the word lists
come from the C++ enums, the subpackage has no import cycle, and the data-summary chart has one
implementation that the report and plot.py share."""

from __future__ import annotations

import ast
import pickle
from pathlib import Path

import pandas as pd
import pytest

import yosmodel as ym
from yosmodel import _core
from yosmodel.inspection import _native, charts, report

PACKAGE = Path(ym.__file__).resolve().parent / "inspection"
core = getattr(_core, "inspection", _core)


def test_public_names_are_the_bound_types():
    assert ym.Finding is core.Finding and ym.Recommendation is core.Recommendation
    assert issubclass(ym.Framework, core.Framework)
    insp = ym.datasets.lewisham_2016()
    assert isinstance(insp._core, core.Inspection)
    assert all(isinstance(f, core.Finding) for f in insp.findings)
    assert isinstance(insp.framework.themes[0], core.Theme)
    for name in ("Inspection", "Finding", "Recommendation", "Framework", "overall_rating",
                 "CaseSample", "margin_of_error", "sample_cases", "inspection_template"):
        assert hasattr(ym, name), name
    assert isinstance(ym.datasets.lewisham_2016(), ym.Inspection)


def test_word_lists_come_from_the_cpp_enums():
    assert _native.THEME_RULES == ("pooled", "lowest_question") == tuple(core.THEME_RULES)
    assert _native.FINDING_KINDS == ("key_finding", "explanation", "notable_practice", "quote")
    assert _native.FINDING_TONES == ("strength", "area_for_improvement", "neutral")
    assert _native.ANSWER_WORDS == ("yes", "no", "not applicable")
    source = "".join(p.read_text() for p in PACKAGE.glob("*.py"))
    assert '"lowest_question")' not in source.replace("_native.THEME_RULES", "")


def test_findings_and_recommendations_behave_as_values():
    f = ym.Finding("reducing_reoffending", "text", "key_finding", "strength")
    assert f == ym.Finding(theme="reducing_reoffending", text="text", kind="key_finding",
                           tone="strength")
    assert f != ym.Finding("reducing_reoffending", "text")
    assert pickle.loads(pickle.dumps(f)) == f and hash(f) == hash(pickle.loads(pickle.dumps(f)))
    r = ym.Recommendation(1, "the head of service", "do it", ("governance_and_partnerships",))
    assert r.themes == ("governance_and_partnerships",) and pickle.loads(pickle.dumps(r)) == r
    with pytest.raises(ValueError, match="kind must be one of key_finding"):
        ym.Finding("t", "x", kind="rumour")
    with pytest.raises(ValueError, match="tone must be one of"):
        ym.Finding("t", "x", tone="cheerful")


def test_stray_themes_are_refused_by_the_core_and_named():
    cases = pd.DataFrame({"case_id": ["a"]})
    answers = pd.DataFrame({"case_id": ["a"], "question_id": ["rr_plan"], "answer": ["yes"]})
    with pytest.raises(ValueError, match=r"1 finding\(s\) or recommendation theme\(s\) name a "
                                         r"theme the framework does not have \('nope'\)"):
        ym.Inspection.from_answers(answers, cases, findings=[ym.Finding("nope", "x")])


def test_frameworks_pickle_and_compare_by_document():
    fw = ym.Framework.load("hmip_youth_2018")
    back = pickle.loads(pickle.dumps(fw))
    assert back.to_dict() == fw.to_dict() and [t.id for t in back.themes] == \
        [t.id for t in fw.themes]


def _imports(path: Path) -> set[str]:
    """The sibling modules of the inspection subpackage that ``path`` imports, anywhere in the
    file (function-level imports count: a lazy import is still a cycle)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            if node.module:
                found.add(node.module.split(".")[0])
            else:
                found.update(a.name for a in node.names)
    return found


def test_the_subpackage_has_no_import_cycle():
    modules = {p.stem: _imports(p) for p in PACKAGE.glob("*.py") if p.stem != "__init__"}
    state: dict[str, int] = {}

    def visit(name: str, trail: list[str]) -> None:
        if state.get(name) == 1:
            raise AssertionError("import cycle: " + " -> ".join(trail + [name]))
        if state.get(name) == 2 or name not in modules:
            return
        state[name] = 1
        for other in modules[name]:
            visit(other, trail + [name])
        state[name] = 2

    for name in modules:
        visit(name, [])
    assert "model" not in modules["report"] and "model" not in modules["charts"]


def test_no_module_outside_imports_a_private_inspection_name():
    for path in (PACKAGE.parent).rglob("*.py"):
        if PACKAGE in path.parents:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module and "inspection" in node.module:
                assert not any(a.name.startswith("_") for a in node.names), path


def test_report_and_plot_share_one_chart_layout(monkeypatch):
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    calls = []
    real = charts.data_summary_layout

    def spy(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(charts, "data_summary_layout", spy)
    insp = ym.datasets.lewisham_2016()
    ym.plot.data_summary(insp, "reducing_reoffending")
    report.render_report(insp)
    assert len(calls) == 1 + 5  # one for the plot, one per scored theme in the report
