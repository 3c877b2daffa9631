"""The type stubs of the generated API (losscore/functional.pyi, losscore/nn.pyi, and those of
losscore.torch): they are what generate_stubs.py writes from the loss descriptions today, and
they declare exactly the public functions and classes with the runtime's parameters, kinds and
defaults."""
from __future__ import annotations

import ast
import importlib.util
import inspect
from pathlib import Path

import pytest

import losscore.functional as F
import losscore.nn as nn

HERE = Path(__file__).resolve().parents[1]


def generator():
    spec = importlib.util.spec_from_file_location("generate_stubs", HERE / "generate_stubs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("name", ["functional", "nn", "torch/functional", "torch/nn"])
def test_committed_stub_is_current(name):
    """(The stubs of losscore.torch are written without torch: they are checked here too.)"""
    stubs = generator()
    committed = stubs.STUBS[name].read_text()
    assert committed == stubs.GENERATORS[name](), (
        f"losscore/{name}.pyi is stale: run python bindings/python/generate_stubs.py and commit it")


def declared(tree) -> dict:
    """{name: ast.FunctionDef} of a stub's top-level functions, or of a class's methods."""
    return {node.name: node for node in tree.body if isinstance(node, ast.FunctionDef)}


def parameters(node: ast.FunctionDef) -> list:
    """(name, kind, default) of a stub function's parameters, as inspect would give them."""
    args = node.args
    positional = args.args
    defaults = [inspect.Parameter.empty] * (len(positional) - len(args.defaults)) + [
        ast.literal_eval(d) for d in args.defaults]
    made = [(a.arg, inspect.Parameter.POSITIONAL_OR_KEYWORD, d) for a, d in zip(positional, defaults)]
    made += [(a.arg, inspect.Parameter.KEYWORD_ONLY,
              inspect.Parameter.empty if d is None else ast.literal_eval(d))
             for a, d in zip(args.kwonlyargs, args.kw_defaults)]
    return made


def runtime(function, drop_self: bool = False) -> list:
    return [(p.name, p.kind, p.default) for p in inspect.signature(function).parameters.values()
            if not (drop_self and p.name == "self")]


def test_functional_stub_matches_the_runtime():
    tree = ast.parse((HERE / "losscore" / "functional.pyi").read_text())
    functions = declared(tree)
    assert sorted(functions) == sorted(F.__all__)
    for name, node in functions.items():
        assert parameters(node) == runtime(getattr(F, name)), name
        assert node.returns is not None and all(a.annotation is not None for a in node.args.args), name


def test_nn_stub_matches_the_runtime():
    tree = ast.parse((HERE / "losscore" / "nn.pyi").read_text())
    classes = {node.name: node for node in tree.body if isinstance(node, ast.ClassDef)}
    assert sorted(classes) == sorted(nn.__all__)
    for name, node in classes.items():
        cls = getattr(nn, name)
        methods = declared(node)
        assert sorted(methods) == ["__call__", "__init__", "forward", "loss_and_grad"], name
        init = methods.pop("__init__")
        assert parameters(init)[1:] == runtime(cls.__init__, drop_self=True), name
        # The call takes the loss's data arrays positionally (Module.forward(*arrays)).
        data = list(cls._loss.names)
        for method, function in methods.items():
            assert [a.arg for a in function.args.posonlyargs] == ["self"] + data, (name, method)
            keywords = [a.arg for a in function.args.args]
            assert keywords == (["grad_output"] if method == "loss_and_grad" else []), (name, method)
            assert [p.kind for p in inspect.signature(getattr(cls, method)).parameters.values()][1] is \
                inspect.Parameter.VAR_POSITIONAL, (name, method)
        attributes = [n.target.id for n in node.body if isinstance(n, ast.AnnAssign)]
        assert attributes == list(cls._loss.module_options), name
