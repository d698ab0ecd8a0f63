"""The type stubs of the compiled module (python/yosmodel/_core/<area>.pyi, one per submodule)
match what it really exports: the same public names, the same parameters in the same order
(keyword-only ones too), the same values of every bound enum, and the attributes and dtypes that
finalize() returns; py.typed marks the package as typed."""

import ast
import re
from pathlib import Path

import numpy as np
import pytest

import yosmodel as ym
from yosmodel import _core

PACKAGE = Path(ym.__file__).resolve().parent
STUBS = PACKAGE / "_core"
AREAS = ["core", "reoffending", "stats", "disclosure", "evaluation", "inspection", "measures"]
STUB_ONLY = {"ThemeScores"}  # names that exist only for typing
PYBIND_INTERNALS = {"_pybind11_conduit_v1_"}


def stub(area):
    return ast.parse((STUBS / f"{area}.pyi").read_text())


def public(names):
    return {n for n in names if not n.startswith("_") or n == "__version__"}


def stub_functions(body):
    return {node.name: node for node in body if isinstance(node, ast.FunctionDef)}


def stub_classes(body):
    return {node.name: node for node in body if isinstance(node, ast.ClassDef)}


def comparable(function: ast.FunctionDef) -> list[str]:
    """Parameter names, '*' for positional-only ones, with a '*' marker before keyword-only."""
    args = function.args
    names = ["*" for a in args.posonlyargs if a.arg != "self"]
    names += [a.arg for a in args.args if a.arg != "self"]
    if args.kwonlyargs:
        names += ["|"] + [a.arg for a in args.kwonlyargs]
    return names


def compiled_parameters(obj) -> list[str]:
    """The same from pybind11's signature line; argN (positional-only) become '*'."""
    signature = obj.__doc__.strip().splitlines()[0]
    inside = signature[signature.index("(") + 1:signature.rindex(") ->")]
    parameters, depth, current = [], 0, ""
    for char in inside + ",":  # split at the commas that are not inside brackets
        if char == "," and depth == 0:
            parameters.append(current.strip())
            current = ""
            continue
        if char in "[(":
            depth += 1
        elif char in "])":
            depth -= 1
        current += char
    names = [p.split(":")[0].split("=")[0].strip() for p in parameters if p and p != "/"]
    names = ["|" if n == "*" else n for n in names]
    return ["*" if re.fullmatch(r"arg\d+", n) else n for n in names if n != "self"]


def is_enum(cls):
    return hasattr(cls, "__members__")


def test_package_stub_names_every_submodule():
    imported = {alias.name for node in ast.parse((STUBS / "__init__.pyi").read_text()).body
                if isinstance(node, ast.ImportFrom) for alias in node.names}
    compiled = {n for n in dir(_core) if not n.startswith("_")}
    assert imported == compiled == set(AREAS)


@pytest.mark.parametrize("area", AREAS)
def test_module_names_match(area):
    body = stub(area).body
    stubbed = set(stub_functions(body)) | set(stub_classes(body))
    stubbed |= {node.target.id for node in body if isinstance(node, ast.AnnAssign)}
    assert public(stubbed) - STUB_ONLY == public(dir(getattr(_core, area)))


@pytest.mark.parametrize("area", AREAS)
def test_function_parameters_match(area):
    module = getattr(_core, area)
    for name, function in stub_functions(stub(area).body).items():
        assert comparable(function) == compiled_parameters(getattr(module, name)), name


def class_cases():
    for area in AREAS:
        module = getattr(_core, area)
        for name in sorted(dir(module)):
            if isinstance(getattr(module, name), type) and not issubclass(getattr(module, name),
                                                                          BaseException):
                yield area, name


@pytest.mark.parametrize(("area", "name"), list(class_cases()))
def test_class_members_match(area, name):
    compiled_class = getattr(getattr(_core, area), name)
    stub_class = stub_classes(stub(area).body)[name]
    if is_enum(compiled_class):  # the stub lists the enum's values, in the core's order
        values = [n.target.id for n in stub_class.body if isinstance(n, ast.AnnAssign)
                  and not n.target.id.startswith("_")]
        assert values == list(compiled_class.__members__)
        return
    members = stub_functions(stub_class.body)
    class_attributes = {n.target.id for n in stub_class.body if isinstance(n, ast.AnnAssign)}
    # What the bindings define on the class itself (not what it inherits from object).
    # A result class has no constructor: its __init__ is pybind11's slot that refuses.
    compiled = {n for n, v in vars(compiled_class).items() if n not in PYBIND_INTERNALS
                and n not in ("__doc__", "__module__", "__hash__")
                and type(v).__name__ != "wrapper_descriptor"}
    assert set(members) | class_attributes == compiled
    for member_name, function in members.items():
        member = getattr(compiled_class, member_name)
        if isinstance(member, property):
            continue
        assert comparable(function) == compiled_parameters(member), member_name


def test_exception_stubs_match_the_hierarchy():
    classes = stub_classes(stub("core").body)
    for name, node in classes.items():
        compiled = getattr(_core.core, name)
        assert [ast.unparse(b) for b in node.bases] == [b.__name__ for b in compiled.__bases__]


def test_finalize_returns_what_the_stub_says():
    rates = stub_classes(stub("reoffending").body)["Rates"]
    annotations = {n.name: ast.unparse(n.returns) for n in rates.body
                   if isinstance(n, ast.FunctionDef) and n.name != "__len__"}
    partial, _ = ym.reoffending_partial({"a": np.array([0, 1, 1]),
                                         "reoffences": np.array([1, 0, 2])}, by="a")
    result = partial.finalize()
    dtypes = {"_U64": "uint64", "_F64": "float64"}
    for name, annotation in annotations.items():
        value = getattr(result, name)
        arrays = value if isinstance(value, list) else [value]
        for array in arrays:
            assert array.dtype == np.dtype(dtypes[annotation.strip("list[]")]), name
    assert isinstance(partial.cardinalities, list)
    assert partial.groups.dtype == np.uint64


def test_package_is_marked_typed():
    assert (PACKAGE / "py.typed").is_file()
