"""The package's layout rules: one subpackage per area, private helpers shared only through
_utils (and the compiled _core), no subpackage importing another's private names, and no import
cycles (every module imports on its own in a fresh interpreter)."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import yosmodel as ym

PACKAGE = Path(ym.__file__).resolve().parent
SHARED = {"_core", "_utils"}  # private by name, shared by design


def modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        yield path, ("yosmodel", *parts)


def area_of(dotted):
    """The subpackage (or top-level module) a module belongs to."""
    return dotted[1] if len(dotted) > 1 else ""


def imported(path, dotted):
    """(module imported from, name) for every name a module imports from the package."""
    is_package = path.name == "__init__.py"
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = list(dotted if is_package else dotted[:-1])
                base = base[:len(base) - node.level + 1]
                source = (*base, *(node.module.split(".") if node.module else ()))
            elif node.module and node.module.split(".")[0] == "yosmodel":
                source = tuple(node.module.split("."))
            else:
                continue
            for alias in node.names:
                yield source, alias.name
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "yosmodel":
                    yield tuple(alias.name.split(".")), ""


def private_crossings():
    for path, dotted in modules():
        for source, name in imported(path, dotted):
            if area_of(source) == area_of(dotted):
                continue
            private = [p for p in (*source[1:], name) if p.startswith("_") and p not in SHARED
                       and not (p.startswith("__") and p.endswith("__"))]
            if private:
                yield f"{'.'.join(dotted)}: from {'.'.join(source)} import {name}"


def test_no_subpackage_imports_another_ones_private_names():
    assert list(private_crossings()) == []


def test_the_checker_catches_a_crossing(tmp_path):
    # The rule above would fail on this module (guards against a checker that cannot fail).
    fake = tmp_path / "yosmodel" / "stats" / "bad.py"
    fake.parent.mkdir(parents=True)
    fake.write_text("from ..reoffending.partials import _secret\nfrom .._utils import ok\n")
    found = [(s, n) for s, n in imported(fake, ("yosmodel", "stats", "bad"))]
    assert found == [(("yosmodel", "reoffending", "partials"), "_secret"),
                     (("yosmodel", "_utils"), "ok")]


def test_every_area_is_a_subpackage():
    for area in ("reoffending", "stats", "disclosure", "evaluation", "inspection", "measures",
                 "_utils", "cli"):
        assert (PACKAGE / area / "__init__.py").is_file(), area


@pytest.mark.parametrize("module", sorted(".".join(d) for _, d in modules()
                                          if d[-1] != "__main__"))
def test_module_imports_alone(module):
    # A fresh interpreter importing only this module: an import cycle fails here.
    result = subprocess.run([sys.executable, "-c", f"import {module}"], capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
