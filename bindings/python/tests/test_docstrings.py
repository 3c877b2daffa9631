"""The documentation of the generated API: every public function of losscore.functional and
every class of losscore.nn has a docstring in the one template (_generate.SECTIONS, with the
loss's formula and every parameter), and every docstring's example runs as a doctest printing
exactly what it shows. A new loss without its description's example cannot be made."""
from __future__ import annotations

import doctest
import inspect
import io
import re

import pytest

import losscore
import losscore.functional as F
import losscore.nn as nn
from losscore._generate import SECTIONS, Module
from losscore._losses import LOSSES, Example, Loss

PUBLIC = [(f"functional.{name}", getattr(F, name)) for name in F.__all__] + [
    (f"nn.{name}", getattr(nn, name)) for name in nn.__all__]
# A formula: an inline code span holding an operator or a call.
FORMULA = re.compile(r"``[^`]*[-+*/|=<>(][^`]*``")


def loss_of(obj):
    """The description a public function, twin or module class was made from."""
    if isinstance(obj, type):
        return obj._loss
    return next(loss for loss in LOSSES if obj.__name__ in (loss.name, loss.name + "_and_grad"))


def missing_sections(doc: str) -> list:
    """The template's sections `doc` lacks or has out of order."""
    found = [doc.find(f"\n{section}\n") for section in SECTIONS]
    missing = [section for section, at in zip(SECTIONS, found) if at < 0]
    present = [at for at in found if at >= 0]
    return missing or ([] if present == sorted(present) else ["the template's order"])


def test_every_loss_has_its_function_twin_and_module():
    expected = {f"functional.{loss.name}" for loss in LOSSES}
    expected |= {f"functional.{loss.name}_and_grad" for loss in LOSSES if loss.family.differentiable}
    expected |= {f"nn.{loss.module}" for loss in LOSSES if loss.module}
    assert {name for name, _ in PUBLIC} == expected


@pytest.mark.parametrize("name, obj", PUBLIC, ids=[name for name, _ in PUBLIC])
def test_docstring_follows_the_template(name, obj):
    doc = obj.__doc__
    assert doc, f"{name} has no docstring"
    assert missing_sections(doc) == [], name
    loss = loss_of(obj)
    assert FORMULA.search(loss.doc.split("\n\n")[0]), f"{loss.name}: the description's first paragraph has no formula"
    assert loss.doc.split("\n\n")[0].split()[0] in doc
    # Args lists every parameter (a class: its constructor's), each once, in the signature's order.
    signature = inspect.signature(obj.__init__ if isinstance(obj, type) else obj)
    parameters = [p for p in signature.parameters if p != "self"]
    args = doc.split("\nArgs:\n")[1].split("\n\n")[0]
    listed = re.findall(r"^    (\w+): ", args, re.M)
    assert listed == parameters, name
    # Each parameter with a default says it.
    for parameter in signature.parameters.values():
        if parameter.name != "self" and parameter.default is not inspect.Parameter.empty:
            entry = re.search(rf"^    {parameter.name}: (.*?)(?=^    \w+: |\Z)", args, re.M | re.S).group(1)
            assert f"Default: ``{parameter.default!r}``." in " ".join(entry.split()), (name, parameter.name)
    # The example calls the object itself and prints what it returns.
    call = f"nn.{obj.__name__}(" if isinstance(obj, type) else f"F.{obj.__name__}("
    example = doc.split("\nExample:\n")[1]
    assert call in example and ">>> print(" in example, name
    # The twin's and the module's examples print every gradient.
    if name.endswith("_and_grad") or isinstance(obj, type) and loss.family.differentiable:
        assert example.count(">>> print(np.round(grad") == len(loss.example.grads) == len(loss.gradients or
                                                                                        loss.operands or "x"), name


@pytest.mark.parametrize("name, obj", PUBLIC, ids=[name for name, _ in PUBLIC])
def test_docstring_example_runs(name, obj):
    test = doctest.DocTestParser().get_doctest(obj.__doc__, {}, name, None, 0)
    assert len(test.examples) >= 4, name
    report = io.StringIO()
    result = doctest.DocTestRunner(optionflags=0).run(test, out=report.write)
    assert result.failed == 0, report.getvalue()


def test_the_package_functions_and_module_methods_have_docstrings():
    for name in losscore.__all__:
        assert getattr(losscore, name).__doc__, name
    for method in (Module.forward, Module.loss_and_grad):
        assert method.__doc__, method.__name__


def test_missing_sections_finds_a_dropped_or_moved_section():
    doc = F.l1_loss.__doc__
    assert missing_sections(doc) == []
    assert missing_sections(doc.replace("\nExample:\n", "\n")) == ["Example:"]
    reduction = doc.index("\nReduction:\n")
    returns = doc.index("\nReturns:\n")
    moved = doc[:reduction] + doc[returns:doc.index("\nGradients:\n")] + doc[reduction:returns] + \
        doc[doc.index("\nGradients:\n"):]
    assert missing_sections(moved) == ["the template's order"]


def test_a_loss_without_an_example_cannot_be_described():
    described = LOSSES[0]
    arguments = dict(family=described.family, signature=described.signature, c="input target n reduction out",
                     doc="x")
    with pytest.raises(ValueError, match="give it an example"):
        Loss("l1_loss", **arguments)
    with pytest.raises(ValueError, match="must be parameters"):
        Loss("l1_loss", **arguments, example=Example({"input": "1.0", "target": "1.0"}, "0.0",
                                                     options={"beta": "1.0"}))
