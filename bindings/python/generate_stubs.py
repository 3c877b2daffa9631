"""Writes the type stubs of the generated API, losscore/functional.pyi and losscore/nn.pyi (and
losscore/torch/functional.pyi and nn.pyi, the same losses on tensors), from the loss
descriptions in losscore/_losses.py (the functions and classes are made from them at import,
so a type checker cannot see them in the source), the numpy API's with their docstrings, so
that editors show them. Run it after adding or
changing a loss; tests/test_stubs.py fails while the committed stubs differ from its output.

    python bindings/python/generate_stubs.py          (needs the built library: it imports losscore;
                                                        not torch: the tensor functions have the
                                                        numpy functions' signatures)
"""
from __future__ import annotations

import ctypes
import inspect
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from losscore._losses import LOSSES  # noqa: E402

STUBS = {"functional": HERE / "losscore" / "functional.pyi", "nn": HERE / "losscore" / "nn.pyi",
         "torch/functional": HERE / "losscore" / "torch" / "functional.pyi",
         "torch/nn": HERE / "losscore" / "torch" / "nn.pyi"}

HEAD = '''# Type stubs of losscore.{module}, whose {what} are generated at import from the loss
# descriptions in _losses.py. Written by bindings/python/generate_stubs.py: do not edit.
from typing import Any, Callable, Literal, Optional, Tuple, Union

import numpy as np
from numpy.typing import ArrayLike, NDArray
'''
TORCH_HEAD = HEAD + "from torch import Tensor\n"

# An option's type from the C type its validator passes, where the validator names neither a
# type nor its few values (choices).
C_OPTION_TYPES = {ctypes.c_double: "float", ctypes.c_int32: "bool", ctypes.c_int64: "int"}
LOSS = "Union[NDArray[np.floating[Any]], np.floating[Any]]"
GRAD = "NDArray[np.floating[Any]]"
ALIASES = ['Reduction = Literal["none", "mean", "sum"]', 'BatchmeanReduction = Literal["none", "batchmean", "mean", "sum"]',
           f"Loss = {LOSS}"]


def parameter_type(loss, name: str, default, data: str = "ArrayLike") -> str:
    """The annotation of a parameter: an option's validator says it; the other parameters have
    fixed roles: torch's legacy flags, the reduction, data (required, of type `data`) and
    optional data."""
    if name in loss.options:
        validator = loss.options[name]
        choices = getattr(validator, "choices", None)  # an option of a few values
        annotation = (getattr(validator, "annotation", None)
                      or (choices and f"Literal[{', '.join(map(repr, choices))}]")
                      or C_OPTION_TYPES.get(validator.ctype))
        if annotation is None:
            raise SystemExit(f"{loss.name}: give the validator of option {name!r} an annotation")
        return annotation
    if name == "reduction":
        return "BatchmeanReduction" if getattr(loss, "batchmean", False) else "Reduction"
    if name in ("size_average", "reduce"):
        return "Optional[bool]"
    if default is inspect.Parameter.empty:
        return data
    if default is None:
        return f"Optional[{data}]"
    raise SystemExit(f"{loss.name}: no annotation for parameter {name!r} (default {default!r})")


def signature(loss, function, skip_self: bool = False, data: str = "ArrayLike") -> str:
    """The annotated parameters of a generated function, with its defaults and keyword-only marker."""
    written, keyword_only = [], False
    for parameter in inspect.signature(function).parameters.values():
        if skip_self and parameter.name == "self":
            continue
        if parameter.kind is parameter.KEYWORD_ONLY and not keyword_only:
            written.append("*")
            keyword_only = True
        text = f"{parameter.name}: {parameter_type(loss, parameter.name, parameter.default, data)}"
        if parameter.default is not inspect.Parameter.empty:
            text += f" = {parameter.default!r}"
        written.append(text)
    return ", ".join(written)


def docstring(doc: str, indent: str) -> str:
    """`doc` as the docstring of a stub's function or class, indented to `indent`."""
    if '"""' in doc or "\\" in doc:
        raise SystemExit(f"a docstring holds triple quotes or a backslash: {doc[:60]!r}")
    lines = doc.strip("\n").split("\n")
    body = "\n".join(indent + line if line else "" for line in lines[1:])
    return f'{indent}"""{lines[0]}\n{body}\n{indent}"""'


def gradients(loss) -> str:
    """A twin's gradients: one array, or a tuple of one per operand (the row-tuple losses)."""
    if getattr(loss, "operands", ()):
        return f"Tuple[{', '.join([GRAD] * len(loss.operands))}]"
    return GRAD


def functional() -> str:
    from losscore import functional as F

    lines = [HEAD.format(module="functional", what="functions"), *ALIASES, "", "__all__: list[str]", ""]
    for loss in LOSSES:
        function = getattr(F, loss.name)
        lines += [f"def {loss.name}({signature(loss, function)}) -> Loss:", docstring(function.__doc__, "    "), ""]
        if loss.family.differentiable:
            twin = getattr(F, loss.name + "_and_grad")
            lines += [f"def {twin.__name__}({signature(loss, twin)}) -> Tuple[Loss, {gradients(loss)}]:",
                      docstring(twin.__doc__, "    "), ""]
    return "\n".join(lines) + "\n"


def nn() -> str:
    from losscore import nn as modules

    # The aliases are repeated rather than imported from .functional, whose runtime module lacks
    # them (documentation tools evaluate a stub's imports against the runtime package).
    lines = [HEAD.format(module="nn", what="module classes"), "from ._generate import Module", "", *ALIASES,
             "", "__all__: list[str]", ""]
    for loss in LOSSES:
        if not loss.module:
            continue
        cls = getattr(modules, loss.module)
        lines += [f"class {loss.module}(Module):", docstring(cls.__doc__, "    ")]
        for name in loss.module_options:  # kept as given, as attributes
            lines.append(f"    {name}: {parameter_type(loss, name, loss.module_parameters[name])}")
        lines.append(f"    def __init__(self, {signature(loss, cls.__init__, skip_self=True)}) -> None: ...")
        # A module takes the loss's data arrays positionally (Module.forward(*arrays)).
        call = ", ".join(f"{name}: ArrayLike" for name in loss.names) + ", /"
        lines.append(f"    def forward(self, {call}) -> Loss: ...")
        lines.append(f"    def __call__(self, {call}) -> Loss: ...")
        lines.append(f"    def loss_and_grad(self, {call}, grad_output: Optional[ArrayLike] = None)"
                     f" -> Tuple[Loss, {gradients(loss)}]: ...")
        lines.append("")
    return "\n".join(lines)


# The tensor API: its functions and classes have the numpy API's parameters (the bridge's
# generated code compiles the same signatures); data may be tensors or anything the numpy API
# takes, and every result is a tensor.
TENSOR = "TensorLike"
TORCH_ALIASES = [*ALIASES[:2], f"{TENSOR} = Union[Tensor, ArrayLike]"]


def torch_functional() -> str:
    from losscore import functional as F

    lines = [TORCH_HEAD.format(module="torch.functional", what="functions"), *TORCH_ALIASES, "",
             # (a literal list: losscore.torch re-exports these names with `import *`)
             f"__all__ = [{', '.join(repr(loss.name) for loss in LOSSES)}]", ""]
    for loss in LOSSES:
        lines.append(f"def {loss.name}({signature(loss, getattr(F, loss.name), data=TENSOR)}) -> Tensor: ...")
    return "\n".join(lines) + "\n"


def torch_nn() -> str:
    from losscore import nn as modules

    # (the aliases repeated, as in nn's stub)
    lines = [TORCH_HEAD.format(module="torch.nn", what="module classes"), "import torch", "", *TORCH_ALIASES, "",
             "__all__: list[str]", ""]
    for loss in LOSSES:
        if not loss.module:
            continue
        lines.append(f"class {loss.module}(torch.nn.Module):")
        for name in loss.module_options:  # attributes, and weight and pos_weight buffers
            lines.append(f"    {name}: {parameter_type(loss, name, loss.module_parameters[name], TENSOR)}")
        cls = getattr(modules, loss.module)
        lines.append(f"    def __init__(self, {signature(loss, cls.__init__, skip_self=True, data=TENSOR)}) -> None: ...")
        call = ", ".join(f"{name}: {TENSOR}" for name in loss.names) + ", /"
        lines.append(f"    def forward(self, {call}) -> Tensor: ...")
        lines.append(f"    def __call__(self, {call}) -> Tensor: ...")
        lines.append("")
    return "\n".join(lines)


GENERATORS = {"functional": functional, "nn": nn, "torch/functional": torch_functional, "torch/nn": torch_nn}


def main() -> int:
    for module, path in STUBS.items():
        path.write_text(GENERATORS[module]())
        print(f"wrote {path.relative_to(HERE.parents[1])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
