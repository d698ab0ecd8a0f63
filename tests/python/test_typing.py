"""The type stubs of the compiled module (python/yosmodel/_core.pyi) match what it really
exports: the same public names, the same parameters in the same order, and the keys and dtypes
that finalize() returns; py.typed marks the package as typed."""

import ast
import re
from pathlib import Path

import numpy as np
import pytest

import yosmodel as ym
from yosmodel import _core

PACKAGE = Path(ym.__file__).resolve().parent
STUB = ast.parse((PACKAGE / "_core.pyi").read_text())
STUB_ONLY = {"Finalized"}  # names that exist only for typing
PYBIND_INTERNALS = {"_pybind11_conduit_v1_"}


def public(names):
    return {n for n in names if not n.startswith("_") or n == "__version__"}


def stub_functions(body):
    return {node.name: node for node in body if isinstance(node, ast.FunctionDef)}


def stub_parameters(function: ast.FunctionDef) -> list[str]:
    args = function.args
    names = [a.arg for a in args.posonlyargs] + [a.arg for a in args.args]
    if args.kwonlyargs:  # keyword-only parameters follow a bare '*', as pybind11 writes them
        names += ["*"] + [a.arg for a in args.kwonlyargs]
    return [n for n in names if n != "self"]


def compiled_parameters(obj) -> list[str]:
    """Parameter names from pybind11's signature line; argN (positional-only) become '*'."""
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
    return ["*" if re.fullmatch(r"arg\d+", n) else n for n in names if n != "self"]


def comparable(function: ast.FunctionDef) -> list[str]:
    positional_only = {a.arg for a in function.args.posonlyargs}
    return ["*" if n in positional_only else n for n in stub_parameters(function)]


def test_module_names_match():
    stubbed = {node.name for node in STUB.body if isinstance(node, (ast.FunctionDef,
                                                                   ast.ClassDef))}
    stubbed |= {node.target.id for node in STUB.body if isinstance(node, ast.AnnAssign)}
    assert public(stubbed) - STUB_ONLY == public(dir(_core))


def test_function_parameters_match():
    for name, function in stub_functions(STUB.body).items():
        assert comparable(function) == compiled_parameters(getattr(_core, name)), name


@pytest.mark.parametrize("name", sorted(n for n in dir(_core)
                                         if isinstance(getattr(_core, n), type)))
def test_class_members_match(name):
    compiled_class = getattr(_core, name)
    stub_class = next(n for n in STUB.body if isinstance(n, ast.ClassDef) and n.name == name)
    members = stub_functions(stub_class.body)
    # What the bindings define on the class itself (not what it inherits from object).
    # A class bound without a constructor (a result type) inherits pybind11's __init__, which
    # only refuses; its stub declares none.
    inherited_init = "__init__" in vars(compiled_class) and not (
        vars(compiled_class)["__init__"].__doc__ or "").startswith("__init__(")
    compiled = {n for n in vars(compiled_class) if n not in PYBIND_INTERNALS
                and n not in ("__doc__", "__module__", "__hash__", "__weakref__")
                and not (n == "__init__" and inherited_init)}
    assert set(members) == compiled
    for member_name, function in members.items():
        member = getattr(compiled_class, member_name)
        if isinstance(member, property):
            continue
        assert comparable(function) == compiled_parameters(member), member_name


def test_finalize_returns_what_the_stub_says():
    typed = next(n for n in STUB.body if isinstance(n, ast.ClassDef) and n.name == "Finalized")
    annotations = {n.target.id: ast.unparse(n.annotation) for n in typed.body
                   if isinstance(n, ast.AnnAssign)}
    partial, _ = ym.reoffending_partial({"a": np.array([0, 1, 1]),
                                         "reoffences": np.array([1, 0, 2])}, by="a")
    result = partial.finalize()
    assert set(result) == set(annotations)
    for name, value in result.items():
        arrays = value if isinstance(value, list) else [value]
        for array in arrays:
            assert f"np.{array.dtype}" in annotations[name], name
    assert isinstance(partial.cardinalities, list)
    assert partial.groups.dtype == np.uint64


def test_package_is_marked_typed():
    assert (PACKAGE / "py.typed").is_file()
