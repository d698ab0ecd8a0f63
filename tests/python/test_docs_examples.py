"""Every ```python block in README.md and docs/*.md runs as written, so the documentation cannot
drift from the API. Blocks run in order per file, sharing one namespace per file, in a fresh
temporary working directory per file. A block that cannot run on a test machine (it needs a Dask
cluster, or a file only the user has) is marked on the line before its fence with
`<!-- illustrative: the reason -->` and is skipped by name, with the reason printed."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MARKER = re.compile(r"^\s*<!--\s*illustrative\b(?P<rest>.*?)-->\s*$")
FENCE = re.compile(r"^\s*```")


@dataclass(frozen=True)
class Block:
    file: str  # relative to the repository root
    index: int  # 1-based, in file order
    line: int  # line of the opening fence
    code: str
    illustrative: str | None  # the reason, when the block is marked illustrative

    @property
    def name(self) -> str:
        return f"{self.file}:{self.index}"


def python_blocks(text: str, file: str) -> list[Block]:
    """The ```python blocks of one markdown text, with their illustrative markers. A marker
    without a reason, or an unclosed fence, is an error in the document."""
    lines = text.splitlines()
    blocks: list[Block] = []
    i = 0
    while i < len(lines):
        if not FENCE.match(lines[i]):
            i += 1
            continue
        language = lines[i].strip()[3:].strip()
        end = next((j for j in range(i + 1, len(lines)) if FENCE.match(lines[j])), None)
        if end is None:
            raise ValueError(f"{file}: the code fence on line {i + 1} is never closed")
        if language == "python":
            reason = None
            marker = MARKER.match(lines[i - 1]) if i > 0 else None
            if marker:
                rest = marker.group("rest").strip()
                reason = rest[1:].strip() if rest.startswith(":") else ""
                if not reason:
                    raise ValueError(f"{file}: the illustrative marker on line {i} gives no "
                                     "reason; write <!-- illustrative: why it cannot run -->")
            blocks.append(Block(file, len(blocks) + 1, i + 1, "\n".join(lines[i + 1:end]),
                                reason))
        i = end + 1
    return blocks


def documents() -> list[Path]:
    return [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def all_blocks() -> list[Block]:
    return [block for path in documents()
            for block in python_blocks(path.read_text(encoding="utf-8"),
                                       path.relative_to(ROOT).as_posix())]


BLOCKS = all_blocks()


class FileRun:
    """What the blocks of one file share: a namespace, a working directory, the first failure."""

    def __init__(self, cwd: Path) -> None:
        self.namespace: dict[str, object] = {"__name__": "__docs__"}
        self.cwd = cwd
        self.failed: str | None = None


class Tally:
    """Counts the blocks run and skipped, and says so in pytest's closing summary (also under
    -q), so the count is in every CI log."""

    def __init__(self) -> None:
        self.run = 0
        self.illustrative = 0

    def pytest_terminal_summary(self, terminalreporter: pytest.TerminalReporter) -> None:
        terminalreporter.write_line(
            f"docs examples: {self.run} python blocks run, {self.illustrative} skipped as "
            f"illustrative, of {len(BLOCKS)} in {len({b.file for b in BLOCKS})} files")


@pytest.fixture(scope="module")
def runs(request: pytest.FixtureRequest):
    tally = Tally()
    request.config.pluginmanager.register(tally, "docs-examples-tally")
    return {}, tally


@pytest.fixture(autouse=True)
def _headless_plots(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MPLBACKEND", "Agg")


@pytest.mark.parametrize("block", BLOCKS, ids=[b.name for b in BLOCKS])
def test_block_runs(block: Block, runs, tmp_path_factory: pytest.TempPathFactory) -> None:
    by_file, tally = runs
    if block.illustrative is not None:
        tally.illustrative += 1
        pytest.skip(f"{block.name} (line {block.line}) is illustrative: {block.illustrative}")
    run = by_file.setdefault(block.file, FileRun(tmp_path_factory.mktemp("docs")))
    if run.failed is not None:
        pytest.fail(f"{block.name} not run: the earlier block {run.failed} of the file failed")
    here = os.getcwd()
    os.chdir(run.cwd)
    try:
        # Padded so that a traceback names the markdown file and the line in it.
        code = "\n" * block.line + block.code
        exec(compile(code, str(ROOT / block.file), "exec"), run.namespace)
    except BaseException:
        run.failed = block.name
        raise
    finally:
        os.chdir(here)
        try:
            import matplotlib.pyplot as plt
        except ImportError:
            pass
        else:
            plt.close("all")
    tally.run += 1


def test_the_docs_have_runnable_blocks() -> None:
    """The collector finds the README's quick start, and most blocks run rather than being
    marked away."""
    assert any(b.file == "README.md" and b.illustrative is None for b in BLOCKS)
    illustrative = [b for b in BLOCKS if b.illustrative is not None]
    assert len(BLOCKS) >= 15
    assert len(illustrative) <= len(BLOCKS) // 4, [b.name for b in illustrative]


def test_markers_are_read_from_the_line_before_the_fence() -> None:
    text = ("Intro\n\n<!-- illustrative: needs a Dask cluster -->\n```python\nclient = 1\n```\n\n"
            "```python\nx = 1\n```\n<!-- illustrative: not before a fence -->\n\n"
            "```bash\necho hi\n```\n```python\ny = 2\n```\n")
    blocks = python_blocks(text, "doc.md")
    assert [(b.index, b.line, b.code, b.illustrative) for b in blocks] == [
        (1, 4, "client = 1", "needs a Dask cluster"),
        (2, 8, "x = 1", None),
        (3, 16, "y = 2", None),
    ]


@pytest.mark.parametrize("marker", ["<!-- illustrative -->", "<!-- illustrative: -->",
                                    "<!--illustrative:   -->"])
def test_a_marker_without_a_reason_is_an_error(marker: str) -> None:
    with pytest.raises(ValueError, match="gives no reason"):
        python_blocks(f"{marker}\n```python\nx = 1\n```\n", "doc.md")


def test_an_unclosed_fence_is_an_error() -> None:
    with pytest.raises(ValueError, match="never closed"):
        python_blocks("```python\nx = 1\n", "doc.md")
