"""The evaluation notebook runs from start to finish (nbclient, the python3 kernel)."""

from __future__ import annotations

import os
import pathlib

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")
pytest.importorskip("matplotlib")

NOTEBOOK = pathlib.Path(__file__).resolve().parents[3] / "docs" / "notebooks" / "evaluation.ipynb"


def test_evaluation_notebook_executes(monkeypatch):
    monkeypatch.setenv("MPLBACKEND", "Agg")
    # The kernel inherits the environment but runs in the notebook's folder: make every entry of
    # PYTHONPATH absolute so that it still finds the package and the built module.
    entries = [os.path.abspath(p) for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    package = str(NOTEBOOK.parents[2] / "python")
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(dict.fromkeys([package, *entries])))
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(notebook, kernel_name="python3", timeout=600,
                                     resources={"metadata": {"path": str(NOTEBOOK.parent)}})
    client.execute()
    text = "".join(output.get("text", "") for cell in notebook.cells if cell.cell_type == "code"
                   for output in cell.get("outputs", []))
    assert "For 100 typical participants" in text
    assert "needs at least 60" in text
