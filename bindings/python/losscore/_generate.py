"""The public API, generated from the loss descriptions of _losses.py.

Each loss gets its function and ``<name>_and_grad`` twin (in losscore.functional) and its
module class (in losscore.nn). They are compiled from source so that they have torch's
signatures, with real defaults and Python's own argument errors, at the cost of one plain
call into _convert.run; their docstrings come from the one template below.
"""
from __future__ import annotations

import inspect
import linecache
import textwrap
from typing import TYPE_CHECKING, Any, Optional, Tuple, Union

from ._convert import legacy_reduction, reduction_code, run

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import ArrayLike, NDArray

    Loss = Union[NDArray[np.floating[Any]], np.floating[Any]]
    # One gradient, or a tuple of them (one per operand) for the row-tuple losses.
    Gradients = Union[NDArray[np.floating[Any]], Tuple[NDArray[np.floating[Any]], ...]]

# --- docstrings ------------------------------------------------------------------------------
# One template for every loss's function, _and_grad twin and module class: what it computes
# (the description's doc, with its formula), the arguments with their defaults, the reduction,
# what it returns, its gradients, and an example that runs as a doctest (the description's
# Example; tests/test_docstrings.py runs every one and checks every section is there).

SECTIONS = ("Args:", "Reduction:", "Returns:", "Gradients:", "Example:")

_DOC = """{head}{doc}{mirrors}

Args:
{args}

Reduction:
{reduction}

Returns:
{returns}

Gradients:
{gradients}

Example:
{example}
"""

_INPUT = {"elementwise": "predictions, an array of any shape",
          "class rows": "class scores with the class dimension at dim 1, (N, C, d1, ...), or (C,)",
          "sequences": "log-probabilities (T, N, C) (frames, samples, classes), or unbatched (T, C)",
          "class margins": "class scores with the class dimension last, (N, C) or (C,)",
          "metrics": "float scores (N, C), or integer predicted labels (N,)"}
_TARGET = {"elementwise": "targets, broadcast with input as torch does (with its warning when the sizes differ)",
           "class rows": "integer class indices: input's shape without the class dimension",
           "sequences": "integer class indices, padded (N, S) or concatenated (sum(target_lengths),); "
                        "unbatched: (S,) of length target_lengths, or (1, S)",
           "metrics": "integer labels (N,)"}
_WEIGHT = {"input_shape": "None, or per-element weights of input's shape",
           "broadcast": "None, or weights broadcast to input's shape",
           "per_class": "None, or per-class weights (C,)"}
_TARGETS = {"index": "integer class indices, one per row: (N,), or 0-d for (C,)",
            "labels": "integer class labels of input's shape, each row's list ended by its first -1",
            "values": "targets (usually 0 or 1), broadcast with input"}
_ROLES = {
    "anchor": "rows of the anchor samples (..., D), or one unbatched row (D,)",
    "positive": "rows of the samples like the anchor, broadcast with it",
    "negative": "rows of the samples unlike the anchor, broadcast with it",
    "input1": "rows of the first embeddings (N, D), or one unbatched row (D,)",
    "input2": "rows of the second embeddings, broadcast with input1",
    "pos_weight": "None, or the weight of positive targets, broadcast with input (typically (C,), "
                  "along the last dimension)",
    "size_average": "deprecated, as in torch: when given, it and ``reduce`` decide the reduction",
    "reduce": "deprecated, as in torch: when given, it and ``size_average`` decide the reduction",
    "input_lengths": "the frames of each sample, (N,) integers in [0, T] (a scalar when unbatched)",
    "target_lengths": "the length of each sample's target, (N,) integers >= 0 (a scalar when unbatched)",
    "reduction": "'none', 'mean' or 'sum' (see Reduction)",
    "grad_output": "the gradient flowing into the loss: a number for 'mean' and 'sum', an array of "
                   "the loss's shape for 'none'; None means ones",
}
# What reduction 'none' returns, and what 'mean' divides the sum by, per family; a description's
# `none` and `mean` say it where its loss differs.
_NONE = {"elementwise": "one loss per element, of the broadcast shape of the arrays",
         "class rows": "one loss per position: target's shape (input's without the class dimension)",
         "class margins": "one loss per row: (N,), or 0-d for unbatched (C,)",
         "row tuples": "one loss per row: the broadcast shape without the last dimension",
         "sequences": "one loss per sample: (N,), or 0-d unbatched",
         "metrics": "1.0 or 0.0 per row: (N,)"}
_MEAN = {"elementwise": "the element count",
         "class rows": "the sum of ``weight[target]`` over the positions not ignored (their count without "
                       "weight; with class-probability targets, the position count)",
         "class margins": "the row count",
         "row tuples": "the row count",
         "sequences": "the batch size, after each sample's loss is divided by its target length (at least 1)",
         "metrics": "the row count: the error rate"}


def _describe(loss, name: str) -> str:
    """The Args line of a parameter of `loss`."""
    if name in loss.arguments:
        return loss.arguments[name]
    if name in loss.options:
        return loss.options[name].doc
    if name == "target" and loss.operands:
        return "1 (similar) or -1 (dissimilar) per row: (N,) for (N, D) inputs, 0-d for (D,)"
    if name in ("input", "inputs", "log_probs"):
        return _INPUT[loss.family.name]
    if name in ("target", "targets"):
        if loss.same_shape:
            return "targets of input's shape"
        if loss.targets:
            return _TARGETS[loss.targets]
        also = ", or class probabilities of input's shape" if loss.probabilities_entry else ""
        if loss.family.name == "elementwise" and not loss.broadcast_warning:
            return "targets, broadcast with input as torch does" + also
        return _TARGET[loss.family.name] + also
    if name == "weight":
        return _WEIGHT[loss.weight]
    if name == "reduction" and loss.batchmean:
        return "'none', 'batchmean', 'mean' or 'sum' (see Reduction)"
    return _ROLES[name]


WIDTH = 92  # of a docstring's lines, so that help() reads well in a terminal


def _wrap(text: str, indent: str = "", hanging: str = "") -> str:
    """`text` filled to WIDTH, paragraph by paragraph; `hanging` indents a paragraph's later lines."""
    return "\n\n".join(textwrap.fill(paragraph, WIDTH, initial_indent=indent, subsequent_indent=indent + hanging,
                                     break_long_words=False, break_on_hyphens=False)
                       for paragraph in text.split("\n\n"))


def _argument(loss, name: str, default) -> str:
    """An Args entry: the parameter, what it is, and its default (data arguments have none)."""
    line = f"{name}: {_describe(loss, name)}"
    line = line if default is inspect.Parameter.empty else f"{line}. Default: ``{default!r}``."
    return _wrap(line, "    ", "    ")


def _reduction(loss, default: str) -> str:
    """The Reduction section: what each reduction returns, and the default."""
    mean = loss.mean or _MEAN[loss.family.name]
    batchmean = "; 'batchmean': the sum divided by input's first dimension (the KL divergence per sample)" \
        if loss.batchmean else ""
    return (f"'none': {loss.none or _NONE[loss.family.name]}; 'mean': their sum divided by {mean}; "
            f"'sum': their sum{batchmean}. Default: ``{default!r}``.")


def _gradients(loss) -> tuple:
    """The arguments `loss`'s twin differentiates, in its order."""
    if loss.three:
        return loss.gradients
    return loss.operands or loss.names[:1]


def _example(loss, kind: str, example) -> str:
    """The doctest of a loss's function, twin or module: the example's data, one call, and the
    loss and each gradient printed rounded to 4 decimals."""
    def shown(value, printed):  # doctest reads a blank line as the end of the output
        return [f">>> print(np.round({value}, 4))", *(line or "<BLANKLINE>" for line in printed.splitlines())]

    name, data = loss.name, ", ".join(loss.names + loss.more)
    options = ", ".join(f"{option}={value}" for option, value in example.options.items())
    lines = ["import numpy as np", f"import losscore.{'nn as nn' if kind == 'module' else 'functional as F'}"]
    lines += [f"{argument} = {value}" for argument, value in example.data.items()]
    lines = [f">>> {line}" for line in lines]
    call = f"({data}{', ' if options else ''}{options})"
    if kind == "module":
        lines.append(f">>> loss_fn = nn.{loss.module}({options})")
    if kind == "function":
        return "\n".join("    " + line for line in lines + shown(f"F.{name}{call}", example.loss))
    grads = _gradients(loss)
    if len(grads) == 1 and not (loss.operands or loss.three):
        unpacked, names = "grad", ["grad"]
    else:
        names = [f"grad_{g}" for g in grads]
        unpacked = f"({', '.join(names)})"
    function = f"loss_fn.loss_and_grad({data})" if kind == "module" else f"F.{name}_and_grad{call}"
    if kind == "module":
        lines += shown(f"loss_fn({data})", example.loss)
    lines.append(f">>> loss, {unpacked} = {function}")
    if kind == "twin":
        lines += shown("loss", example.loss)
    for grad, printed in zip(names, example.grads):
        lines += shown(grad, printed)
    return "\n".join("    " + line for line in lines)


def docstring(loss, kind: str) -> str:
    """The docstring of a loss's 'function', its 'twin' or its 'module' class."""
    name, x = loss.name, loss.names[0]
    data = ", ".join(loss.names + loss.more)  # the module call's positional arrays
    params = dict(loss.module_parameters if kind == "module" else loss.parameters)
    differentiable = loss.family.differentiable
    grads = _gradients(loss)
    several = bool(loss.operands or loss.three)
    what = ", ".join(f"d loss / d {g}" for g in grads)
    what = f"({what})" if several else what
    others = [p for p in loss.names + loss.more + ("weight", "pos_weight") if p in loss.parameters and p not in grads]
    heads = {"function": "",
             "twin": f"``{name}`` and its gradient{'s' if several else ''} {what}, in one fused pass.\n\n",
             "module": f"The ``{name}`` module: options go to the constructor, arrays to the call.\n\n"}
    shapes = (f"each of its argument's shape and floating dtype" if several else
              f"of {x}'s shape and floating dtype")
    value = ("an array for reduction 'none', else a scalar, of the input's floating dtype, float16 and "
             "bfloat16 included, whose results are rounded once from float32")
    returns = {"function": f"The loss: {value}.",
               "twin": f"``(loss, {'(' + ', '.join('grad_' + g for g in grads) + ')' if several else 'grad'})``: "
                       f"the loss ({value}) and {what}, {shapes}"
                       + (f" (None for a float {grads[1]})." if loss.shared_third else "."),
               "module": f"Calling the module, ``loss_fn({data})``, returns ``{name}({data}, **options)``; "
                         f"``loss_fn.loss_and_grad({data}, grad_output=None)`` returns ``{name}_and_grad``'s "
                         "``(loss, grad)`` pair."}
    if not differentiable:
        gradients = "None: this loss is not differentiable, so it has no ``_and_grad`` form."
    else:
        gradients = (f"With respect to {', '.join(grads)}"
                     + (f" (not {', '.join(others)})" if others else "")
                     + ": the gradient of ``sum(grad_output * loss)``, computed in the same pass as the loss"
                     + (f" by ``{name}_and_grad``" if kind == "function" else
                        " by ``loss_and_grad``" if kind == "module" else "") + ".")
    if kind == "twin":
        params["grad_output"] = None
    mirrors = f"\n\nSame parameters, defaults, semantics and errors as ``{loss.mirrors}``." if loss.mirrors else ""
    return _DOC.format(head=_wrap(heads[kind]), doc=_wrap(loss.doc), mirrors=_wrap(mirrors),
                       returns=_wrap(returns[kind], "    "),
                       reduction=_wrap(_reduction(loss, params["reduction"]), "    "),
                       gradients=_wrap(gradients, "    "),
                       example=_example(loss, kind, loss.example),
                       args="\n".join(_argument(loss, p, d) for p, d in params.items()))


# --- compiling -------------------------------------------------------------------------------

def _compile(source: str, filename: str, namespace: dict) -> dict:
    """Runs generated `source` in `namespace`; its lines show in tracebacks under `filename`."""
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    exec(compile(source, filename, "exec"), namespace)
    return namespace


def functions(loss, module: str) -> list:
    """The function of `loss` and, if its family is differentiable, its _and_grad twin."""
    params = loss.parameters
    x, t = loss.names[:2]
    legacy = ", size_average, reduce" if "reduce" in params else ""
    checks = "".join(f"check_{o}({o}, {o!r}), " for o in loss.option_names)
    checks += "".join(f"{value!r}, " for value in loss.fixed.values())
    if loss.operands:  # the row-tuple family: the operands as one tuple, then the target if any
        x, t = f"({', '.join(loss.operands)},)", "target" if "target" in params else None
    if loss.three:  # a loss of three elementwise operands: all three as one tuple (_convert.operands)
        x, t = f"({', '.join(loss.names)},)", None
    arguments = (f"{x}, {t}, {'weight' if 'weight' in params else None}, "
                 f"{'pos_weight' if 'pos_weight' in params else None}, "
                 f"reduction_code(reduction{legacy}, loss=loss), ({checks})")
    more = f", more=({', '.join(loss.more)},)" if loss.more else ""
    source = f"def {loss.name}({loss.signature}):\n    return run(loss, {arguments}{more})\n"
    if loss.family.differentiable:
        source += (f"\n\ndef {loss.name}_and_grad({loss.signature}, grad_output=None):\n"
                   f"    return run(loss, {arguments}, grad_output, True{more})\n")
    namespace = {"__name__": module, "run": run, "reduction_code": reduction_code, "loss": loss,
                 **{f"check_{o}": loss.options[o] for o in loss.option_names}}
    _compile(source, f"<{module}.{loss.name}>", namespace)
    made = [namespace[loss.name]]
    made[0].__doc__ = docstring(loss, "function")
    if loss.family.differentiable:
        made.append(namespace[loss.name + "_and_grad"])
        made[1].__doc__ = docstring(loss, "twin")
    return made


class Module:
    """A loss module as torch.nn's: it holds its options and calls the loss's function with them."""

    _loss = None  # the description
    # _function and _function_and_grad: the loss's function and twin, set on each class (staticmethods)

    def _configure(self, size_average, reduce, options: dict) -> None:
        # torch's deprecated flags still decide the reduction when given (positional order kept).
        if size_average is not None or reduce is not None:
            options["reduction"] = legacy_reduction(size_average, reduce)
        # Checked as the function checks them, so that a bad option fails here, not at the first call.
        reduction_code(options["reduction"], loss=self._loss, warn=False)
        for name, check in self._loss.options.items():
            if name in options:
                check(options[name], name)
        self.__dict__.update(options)  # kept as given, as torch keeps them

    def _kwargs(self) -> dict:
        return {name: getattr(self, name) for name in self._loss.module_options}

    def forward(self, *arrays: ArrayLike) -> Loss:
        """The loss of the arrays the function takes positionally (input, target; or anchor,
        positive, negative; ...)."""
        return type(self)._function(*arrays, **self._kwargs())

    __call__ = forward

    def loss_and_grad(self, *arrays: ArrayLike,
                      grad_output: Optional[ArrayLike] = None) -> Tuple[Loss, Gradients]:
        """``(loss, d loss / d input)`` computed in one pass (a tuple of gradients, one per
        operand, for the row-tuple losses)."""
        return type(self)._function_and_grad(*arrays, grad_output=grad_output, **self._kwargs())

    def __repr__(self):
        options = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._loss.module_options)
        return f"{type(self).__name__}({options})"


def module_init(loss, module: str):
    """The constructor of `loss`'s nn class: torch's parameters, handed to `self._configure`
    (the legacy size_average and reduce, then the options by name)."""
    legacy = "size_average, reduce, " if "reduce" in loss.module_parameters else "None, None, "
    options = ", ".join(f"{o!r}: {o}" for o in loss.module_options)
    source = f"def __init__(self, {loss.module_signature}):\n    self._configure({legacy}{{{options}}})\n"
    init = _compile(source, f"<{module}.{loss.module}.__init__>", {"__name__": module})["__init__"]
    init.__qualname__ = f"{loss.module}.__init__"
    return init


def module_class(loss, module: str, function, twin) -> type:
    """The nn class of `loss`, whose constructor has torch's parameters."""
    name, init = loss.module, module_init(loss, module)
    return type(name, (Module,), {
        "__init__": init, "__module__": module, "__qualname__": name, "__doc__": docstring(loss, "module"),
        "_loss": loss, "_function": staticmethod(function), "_function_and_grad": staticmethod(twin)})
