"""The README's Python quick start runs as written, and docs/cohort.md's alias table is the
library's (one list, in the code; the docs must not drift from it)."""

from __future__ import annotations

import re
from pathlib import Path

import yosmodel as ym

ROOT = Path(__file__).resolve().parents[3]


def test_readme_python_quick_start_runs(tmp_path, monkeypatch):
    text = (ROOT / "README.md").read_text()
    block = re.search(r"## Quick start: Python\n\n```python\n(.*?)```", text, re.DOTALL).group(1)
    monkeypatch.chdir(tmp_path)
    namespace: dict = {}
    exec(compile(block, "README.md", "exec"), namespace)  # noqa: S102 - the docs under test
    assert len(namespace["people"]) > 100
    assert (tmp_path / "report.html").exists()


def test_the_alias_table_in_the_docs_is_the_librarys():
    text = (ROOT / "docs" / "cohort.md").read_text()
    documented = {}
    for kind, words in re.findall(r"^\| `(\w+)`[^|]*\|([^|]*)\|$", text, re.MULTILINE):
        documented[kind] = {w.strip().lower() for w in words.split(",") if w.strip()}
    table = ym.disposal_kinds()
    assert set(documented) == set(table["kind"])
    for kind, aliases in zip(table["kind"], table["aliases"]):
        assert documented[kind] == set(aliases), kind
