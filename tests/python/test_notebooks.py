"""Every notebook in docs/notebooks runs from top to bottom without an error, in a fresh kernel
of this Python (the one running the tests) that imports yosmodel from PYTHONPATH, as ctest
sets it.

Run as a script to execute notebooks in place and keep their outputs (for the rendered docs):
    PYTHONPATH=$PWD/python:$PWD/build/default/python .venv/bin/python \\
        tests/python/test_notebooks.py docs/notebooks/*.ipynb
"""

import json
import os
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "docs" / "notebooks").glob("*.ipynb"))
KERNEL_NAME = "yosmodel-tests"
SECONDS_PER_CELL = 300


def _kernel_environment(jupyter_dir: Path) -> dict:
    """A kernelspec for this interpreter in a private Jupyter path, and the kernel's environment:
    ours, with PYTHONPATH made absolute (the kernel runs in another folder) and matplotlib left to
    the kernel's own inline backend (headless, and it keeps the figures in the outputs)."""
    spec = jupyter_dir / "kernels" / KERNEL_NAME
    spec.mkdir(parents=True, exist_ok=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "yosmodel tests", "language": "python"}))
    env = dict(os.environ)
    paths = [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]
    env["PYTHONPATH"] = os.pathsep.join(str(Path(p).resolve()) for p in paths)
    env.pop("MPLBACKEND", None)
    env["JUPYTER_PATH"] = os.pathsep.join([str(jupyter_dir), env.get("JUPYTER_PATH", "")])
    env["JUPYTER_RUNTIME_DIR"] = str(jupyter_dir / "runtime")
    env["JUPYTER_PLATFORM_DIRS"] = "1"
    env["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"
    return env


def execute(path: Path, workdir: Path):
    """Runs a notebook in ``workdir``; returns it with outputs. Raises on the first error."""
    import nbformat
    from nbclient import NotebookClient

    env = _kernel_environment(workdir / "jupyter")
    notebook = nbformat.read(path, as_version=4)
    saved = {name: os.environ.get(name) for name in ("JUPYTER_PATH", "JUPYTER_RUNTIME_DIR")}
    os.environ.update({name: env[name] for name in saved})  # where the kernelspec is found
    try:
        client = NotebookClient(notebook, timeout=SECONDS_PER_CELL, kernel_name=KERNEL_NAME,
                                resources={"metadata": {"path": str(workdir)}})
        client.execute(env=env)
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    return notebook


def test_there_are_notebooks():
    assert {p.name for p in NOTEBOOKS} >= {"quickstart.ipynb", "reoffending_by_group.ipynb",
                                           "lewisham_2016.ipynb"}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs_without_error(path, tmp_path):
    pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    notebook = execute(path, tmp_path)
    errors = [output for cell in notebook.cells if cell.cell_type == "code"
              for output in cell.get("outputs", []) if output.get("output_type") == "error"]
    assert errors == []
    assert all(cell.get("execution_count") for cell in notebook.cells
               if cell.cell_type == "code" and cell.source.strip())


if __name__ == "__main__":
    import nbformat

    for name in sys.argv[1:]:
        with tempfile.TemporaryDirectory() as folder:
            executed = execute(Path(name), Path(folder))
        nbformat.write(executed, name)
        print(f"executed {name}")
