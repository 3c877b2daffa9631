"""The bridge from torch tensors to losscore.functional, generated from the loss descriptions.

Each loss gets a torch.autograd.Function subclass and a function with torch's signature
(functional.py), and its module class (nn.py). A call converts each tensor argument to a numpy
view of its memory, runs the loss's losscore.functional function, and turns the results back
into tensors over the arrays the library wrote: no copy on either side for contiguous float32,
float64, float16 and bfloat16 CPU tensors (bfloat16 through ml_dtypes' numpy dtype, the
optional losscore[bfloat16]). 16-bit tensors are computed as losscore.functional computes
16-bit arrays: in float32, each result rounded once to the tensor's dtype.

Gradients:
- reduction 'mean' or 'sum' (and 'batchmean'): forward runs the loss's ``_and_grad`` twin once,
  value and gradients in one pass, and keeps the gradients; backward returns them as they are
  for a grad_output of 1 (the usual ``loss.backward()``), else multiplied by the scalar
  grad_output. The chain rule for a scalar loss is exactly that product.
- reduction 'none': forward computes the value alone, backward runs the twin with the incoming
  grad_output. Rescaling a saved gradient is only the chain rule where each input element
  feeds one loss element; a target or var that broadcasts, a row of a class or row-tuple
  loss, or a var shared along a dimension feeds several, so the library applies grad_output
  itself, as it does for every C caller.
"""
from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as TF
from torch.autograd.function import once_differentiable

from .. import functional as F
from .. import nn as numpy_nn
from .._convert import bfloat16, legacy_reduction, reduction_code
from .._generate import _compile, module_init

FLOATING = (torch.float32, torch.float64, torch.float16, torch.bfloat16)


# --- tensors <-> arrays ----------------------------------------------------------------------

def array(value, name: str):
    """A tensor argument as losscore.functional takes it: a numpy view of its memory (a
    contiguous copy of a non-contiguous tensor); anything else is passed on unchanged.

    CUDA (any device but the CPU), sparse tensors and complex dtypes are refused: the bridge
    never moves or converts data behind the caller's back, so the caller sees where and in
    which precision the loss runs. A bfloat16 tensor becomes an ml_dtypes bfloat16 view.
    """
    if not isinstance(value, torch.Tensor):
        return value
    if not value.is_cpu:
        raise ValueError(f"{name} is on {value.device}: losscore.torch computes on CPU tensors only "
                         f"(move it with .cpu(), or use torch.nn.functional on {value.device})")
    if value.layout is not torch.strided:
        raise ValueError(f"{name} is a {value.layout} tensor: losscore.torch takes dense (strided) tensors "
                         "(convert it with .to_dense())")
    dtype = value.dtype
    if dtype not in FLOATING and (dtype.is_floating_point or dtype.is_complex):
        raise TypeError(f"{name} has dtype {dtype}: LossCore computes float32, float64, float16 and bfloat16 "
                        f"(convert it with .float() or .double(), or use torch.nn.functional for {dtype})")
    if not value.is_contiguous():
        value = value.contiguous()
    if value.requires_grad:
        value = value.detach()
    if dtype is torch.bfloat16:  # (numpy has no bfloat16: the same bits under ml_dtypes' dtype)
        return value.view(torch.int16).numpy().view(bfloat16())
    return value.numpy()


def tensor(value) -> torch.Tensor:
    """A result of losscore.functional as a tensor sharing its memory (a 0-d one for a scalar)."""
    if type(value) is not np.ndarray:
        value = np.asarray(value)
    elif not value.flags.writeable:  # torch tensors are writable: a read-only view is copied
        value = value.copy()
    if value.dtype.char == "E":  # ml_dtypes' bfloat16: torch.from_numpy does not know it
        return torch.from_numpy(value.view(np.int16)).view(torch.bfloat16)
    return torch.from_numpy(value)


# --- one call --------------------------------------------------------------------------------

class Bridge:
    """What the bridge knows of a loss: its functions and which arguments have gradients."""

    def __init__(self, loss, module: str):
        self.loss = loss
        self.autograd = type(_camel(loss.name), (LossFunction,), {"__module__": module})  # its graph node
        self.function = getattr(F, loss.name)
        self.twin = getattr(F, loss.name + "_and_grad", None)
        # The arguments LossCore differentiates, in the order its twin returns their gradients.
        if not loss.family.differentiable:
            self.differentiable = ()
        elif loss.three:
            self.differentiable = tuple(loss.gradients)
        elif loss.operands:
            self.differentiable = loss.operands
        else:
            self.differentiable = loss.names[:1]

    def __call__(self, arguments: dict):
        """The loss of the keyword `arguments` of its public function, as a tensor in the graph
        when an argument it differentiates requires grad."""
        loss = self.loss
        if loss.python_option is not None and arguments[loss.python_option] is not None:
            # A distance written in torch: the loss is its composition, which only torch's
            # autograd can differentiate.
            return getattr(TF, loss.name)(**arguments)
        tensors, kwargs = {}, dict(arguments)
        grad_mode = torch.is_grad_enabled()
        graph = False
        for name, value in arguments.items():
            if isinstance(value, torch.Tensor):
                if grad_mode and value.requires_grad:
                    if name in self.differentiable:
                        graph = True
                    # (a metric is no loss to differentiate: its value leaves the graph, as torch's argmax)
                    elif self.differentiable:
                        raise NotImplementedError(
                            f"losscore.torch.{loss.name} has no gradient with respect to {name} (LossCore "
                            f"differentiates {', '.join(self.differentiable)}); detach it, or use "
                            f"{loss.mirrors or 'torch'}")
                tensors[name] = value
                kwargs[name] = array(value, name)
        if not graph:
            return tensor(self.function(**kwargs))
        if arguments.get("size_average") is None and arguments.get("reduce") is None:
            reduced = arguments["reduction"] != "none"  # (any other string: the library's error)
        else:
            reduced = reduction_code(arguments["reduction"], arguments.get("size_average"), arguments.get("reduce"),
                                     loss=loss, warn=False) != 0
        return self.autograd.apply(Call(self, kwargs, tuple(tensors), reduced), *tensors.values())


class Call:
    """One call of a loss in a graph: the converted arguments and the tensors' places."""

    __slots__ = ("bridge", "kwargs", "names", "reduced")

    def __init__(self, bridge, kwargs, names, reduced):
        self.bridge, self.kwargs, self.names, self.reduced = bridge, kwargs, names, reduced

    def gradients(self, grad_output=None) -> dict:
        """(loss, {argument: its gradient as a tensor, or None}) from one run of the twin."""
        bridge = self.bridge
        value, grads = bridge.twin(**self.kwargs, grad_output=grad_output)
        if not isinstance(grads, tuple):
            grads = (grads,)
        return value, {name: None if g is None else tensor(g) for name, g in zip(bridge.differentiable, grads)}


class LossFunction(torch.autograd.Function):
    """The autograd node of a loss; one subclass per loss (its grad_fn's name)."""

    @staticmethod
    def forward(ctx, call: Call, *tensors):
        ctx.call = call
        ctx.save_for_backward(*tensors)  # for torch's check that none changed in place before a recomputation
        if call.reduced:
            value, ctx.grads = call.gradients()
        else:
            value = call.bridge.function(**call.kwargs)
        return tensor(value)

    @staticmethod
    @once_differentiable
    def backward(ctx, grad_output):
        call = ctx.call
        if call.reduced:
            # The kept gradients are handed over once, as they are for a grad_output of 1 (no
            # pass over them; autograd may keep them as a leaf's .grad) and scaled otherwise; a
            # second backward (retain_graph) computes them again.
            grads, ctx.grads = ctx.grads, None
            scale = grad_output.item()
            if grads is None:
                ctx.saved_tensors  # raises if an input was modified in place since forward
                _, grads = call.gradients(scale)
            elif scale != 1.0:
                grads = {name: None if g is None else g * grad_output for name, g in grads.items()}
        else:
            ctx.saved_tensors
            _, grads = call.gradients(array(grad_output, "grad_output"))
        return (None, *(grads.get(name) if needed else None
                        for name, needed in zip(call.names, ctx.needs_input_grad[1:])))


# --- generating -----------------------------------------------------------------------------

def _camel(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("_"))


def function(loss, module: str):
    """The function of `loss` on tensors, with its torch signature."""
    bridge = Bridge(loss, module)
    arguments = ", ".join(f"{p!r}: {p}" for p in loss.parameters)
    source = f"def {loss.name}({loss.signature}):\n    return bridge({{{arguments}}})\n"
    made = _compile(source, f"<{module}.{loss.name}>", {"__name__": module, "bridge": bridge})[loss.name]
    grads = ", ".join(bridge.differentiable) or "none (not differentiable)"
    made.__doc__ = (f"``losscore.functional.{loss.name}`` on torch tensors, in torch's autograd.\n\n"
                    f"Same parameters, defaults and semantics as ``{loss.mirrors or 'losscore.functional.' + loss.name}``"
                    f"; gradients: {grads}. CPU float32/float64/float16/bfloat16 tensors, read and written without copies "
                    "when contiguous (see losscore.torch).")
    return made


class Module(torch.nn.Module):
    """A loss module as torch.nn's: options kept as attributes, weight and pos_weight as buffers."""

    _loss = None  # the description
    _function = None
    BUFFERS = ("weight", "pos_weight")

    def _configure(self, size_average, reduce, options: dict) -> None:
        super().__init__()
        # torch's deprecated flags still decide the reduction when given.
        if size_average is not None or reduce is not None:
            options["reduction"] = legacy_reduction(size_average, reduce)
        # Checked by losscore.nn's constructor, so that a bad option fails here, not at the first call.
        getattr(numpy_nn, self._loss.module)(**options)
        for name, value in options.items():
            if name in self.BUFFERS:
                self.register_buffer(name, value)  # follows .to(), in the state dict, as torch's
            else:
                setattr(self, name, value)

    def forward(self, *arrays):
        """The loss of the tensors the function takes positionally (input, target; or anchor,
        positive, negative; ...)."""
        return type(self)._function(*arrays, **{name: getattr(self, name) for name in self._loss.module_options})

    def extra_repr(self) -> str:
        return ", ".join(f"{name}={getattr(self, name)!r}" for name in self._loss.module_options
                         if name not in self.BUFFERS)


def module_class(loss, module: str, function) -> type:
    """The torch.nn.Module class of `loss`, whose constructor has torch's parameters."""
    name, init = loss.module, module_init(loss, module)
    doc = (f"``losscore.torch.{loss.name}`` as a torch.nn.Module: options go to the constructor, tensors to "
           "the call.")
    return type(name, (Module,), {"__init__": init, "__module__": module, "__qualname__": name, "__doc__": doc,
                                  "_loss": loss, "_function": staticmethod(function)})
