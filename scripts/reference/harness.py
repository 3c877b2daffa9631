"""The machinery of the reference-data generator: cases, random streams, grad_output
policies, the torch runner and the file writer. The cases themselves are data in the
cases_<family>.py modules; generate.py runs them.

A case is one call `losscore.functional.<fn>(*args, **kwargs, **arrays)`. For it the runner
records torch's loss and, unless the case is not differentiable, torch's autograd gradient
with respect to each positional argument in `grad` for a grad_output that a policy picks.
What is stored (see write_family) is what LossCore must return: every result is rounded
to the dtype LossCore returns it in (the loss: torch's result dtype; a gradient: its
argument's dtype).

Special-value units (NaN, +-Inf, out-of-range data) are declared once per family (a cases
module's SPECIAL_UNITS; a dict by loss name where the family's losses take different kinds
of target); generate() runs every loss of the family's cases on each unit alone, so a new
loss gets torch's answers on them with no further edit.
"""
from __future__ import annotations

import inspect
import json
import warnings
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as TF

from torch_losses import EXACT, TORCH_IMPLS

FORMAT = 2  # 2: the "specials" records
DATA_DIR = Path(__file__).resolve().parents[2] / "bindings" / "python" / "tests" / "data"
PICK = "pick"  # grad_output chosen by the block's policy

F32, F64 = np.float32, np.float64
DTYPES = {"f32": F32, "f64": F64}
REDUCTIONS = ("none", "mean", "sum")
SCALAR_GRAD_OUTPUTS = (0.375, -1.75, 2.5)  # exact in float32


@dataclass
class Case:
    """One call of a loss and what to record about it.

    fn           the losscore.functional name (torch's, or an entry of TORCH_IMPLS)
    args         positional arrays; kwargs: JSON-serializable options; arrays: array options
    group        a short label of what the case covers (part of its id)
    grad         positional arguments to differentiate; () = not differentiable
    grad_output  PICK (the block's policy), None (torch's default, ones), a float or an array
    compute      'native': torch in the arguments' own dtypes; 'float64': float arguments
                 widened first, so a float32 case's reference is the exact value rounded once
    native       with compute='float64': also record torch in the arguments' dtypes
                 (what a float32 torch user gets)
    source       'torch', or 'mpmath' where torch's float64 arithmetic breaks down (torch's
                 own result is kept beside it)
    flags        'finite': LossCore's results must be finite; 'where_torch_finite': compare
                 only where the reference is finite (torch's NaN/inf is an artefact there)
    """
    fn: str
    args: list
    kwargs: dict = field(default_factory=dict)
    arrays: dict = field(default_factory=dict)
    group: str = ""
    grad: tuple = (0,)
    grad_output: object = PICK
    compute: str = "native"
    native: bool = False
    source: str = "torch"
    flags: tuple = ()


# --- random streams and grad_output policies ---------------------------------------------------

class PerBlock:
    """Each block draws from its own generator seeded with (seed, crc32(block name)), so adding a
    block never changes another's data; grad_outputs come from a second generator of the block:
    a uniform array of the loss's shape, or a non-1 float exact in float32."""

    def __init__(self, seed: int):
        self.seed = seed

    def open(self, name: str):
        rng = np.random.default_rng([self.seed, zlib.crc32(name.encode())])
        go_rng = np.random.default_rng([self.seed, zlib.crc32((name + "/grad_output").encode())])

        def pick(case, loss_shape, dtype):
            if len(loss_shape) == 0:
                return float(np.float32(go_rng.choice([-1, 1]) * go_rng.uniform(0.25, 3.0)))
            return go_rng.uniform(-2.0, 2.0, loss_shape).astype(dtype)

        return rng, pick


class Shared:
    """The blocks of a stream draw in turn from one generator; every fourth picked grad_output is
    torch's default (ones), the others `draw(rng, shape, dtype)` for 'none' and a non-1 float
    from SCALAR_GRAD_OUTPUTS otherwise."""

    def __init__(self, seed: int, draw):
        self.seed, self.draw = seed, draw
        self.rng, self.counter = None, 0

    def open(self, name: str):
        if self.rng is None:
            self.rng = np.random.default_rng(self.seed)

        def pick(case, loss_shape, dtype):
            self.counter += 1
            if self.counter % 4 == 0:
                return None
            if case.kwargs.get("reduction", "mean") == "none":
                return self.draw(self.rng, loss_shape, dtype)
            return SCALAR_GRAD_OUTPUTS[self.counter % len(SCALAR_GRAD_OUTPUTS)]

        return self.rng, pick


@dataclass
class Block:
    name: str
    stream: object
    cases: object  # a function of a numpy Generator yielding Cases


def blocks(stream):
    """Decorator collecting case blocks of one stream into a module's BLOCKS list, in order."""
    collected = []

    def register(function):
        collected.append(Block(function.__name__, stream, function))
        return function

    register.collected = collected
    return register


# --- data helpers shared by the case modules ---------------------------------------------------

def quantize(values, dtype):
    """Values on a grid (2^-16 for float64, 2^-12 for float32): generic numbers whose low
    mantissa bytes are zero, so the file compresses well."""
    step = 2.0**16 if np.dtype(dtype) == np.float64 else 2.0**12
    return (np.round(np.asarray(values, dtype=np.float64) * step) / step).astype(dtype)


def shape_name(shape) -> str:
    return "x".join(str(s) for s in shape) if len(shape) else "scalar"


# --- running torch -----------------------------------------------------------------------------

def to_tensor(a, widen: bool) -> torch.Tensor:
    """Integers as int64 (torch's index dtype); floats as they are, or widened to float64."""
    a = np.asarray(a)
    if a.dtype.kind in "iu":
        a = a.astype(np.int64)
    elif widen:
        a = a.astype(np.float64)
    # np.array(copy=True) keeps 0-d arrays 0-d (np.ascontiguousarray would make them 1-d)
    return torch.from_numpy(np.array(a, order="C", copy=True))


def torch_function(name):
    return TORCH_IMPLS.get(name) or getattr(TF, name)


class Refused(Exception):
    pass


def forward(case: Case, widen: bool):
    """(loss tensor, differentiated tensors, warning messages); raises Refused if torch refuses."""
    tensors = [to_tensor(a, widen) for a in case.args]
    diff = [i for i in case.grad if tensors[i].is_floating_point()]
    for i in diff:
        tensors[i].requires_grad_(True)
    arrays = {k: to_tensor(v, widen) for k, v in case.arrays.items()}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            loss = torch_function(case.fn)(*tensors, **case.kwargs, **arrays)
        except Exception as error:  # torch refuses the call: recorded, LossCore must refuse too
            raise Refused({"type": type(error).__name__, "message": str(error)}) from error
    return loss, {i: tensors[i] for i in diff}, [str(w.message) for w in caught]


def backward(loss, inputs: dict, go) -> dict:
    if not inputs:
        return {}
    if go is None:
        g = torch.ones_like(loss)
    elif np.ndim(go) == 0:
        g = torch.tensor(float(go), dtype=loss.dtype)
    else:
        g = torch.from_numpy(np.asarray(go).astype(to_numpy_dtype(loss.dtype)))
    got = torch.autograd.grad(loss, list(inputs.values()), grad_outputs=g, allow_unused=True)
    return {i: (torch.zeros_like(t) if d is None else d).detach().numpy().copy()
            for (i, t), d in zip(inputs.items(), got)}


def to_numpy_dtype(dtype: torch.dtype):
    return torch.empty((), dtype=dtype).numpy().dtype


def result_dtype(case: Case):
    """The dtype of torch's loss on the case's own arguments (float arguments promote)."""
    floats = [np.asarray(a).dtype for a in list(case.args) + list(case.arrays.values())
              if np.asarray(a).dtype.kind == "f"]
    return np.result_type(*floats) if floats else np.dtype(np.float64)


def run(case: Case, pick, with_exact=True) -> dict:
    """Runs torch (and the exact reference where torch_losses has one, unless `with_exact` is
    False) on a case; returns the record's results."""
    widen = case.compute == "float64"
    try:
        loss, inputs, messages = forward(case, widen)
    except Refused as refused:
        return {"error": refused.args[0], "warnings": []}
    dtype = result_dtype(case) if widen else to_numpy_dtype(loss.dtype)
    go = case.grad_output
    if inputs and isinstance(go, str) and go == PICK:
        go = pick(case, tuple(loss.shape), dtype)
    elif not inputs:
        go = None
    out = {"error": None, "warnings": messages, "grad_output": go, "loss_dtype": dtype,
           "torch": (loss.detach().numpy().copy(), backward(loss, inputs, go))}
    if case.native:
        native_loss, native_inputs, _ = forward(case, widen=False)
        out["native"] = (native_loss.detach().numpy().copy(), backward(native_loss, native_inputs, go))
    exact = EXACT.get(case.fn) if with_exact else None
    if exact is not None:
        # The exact formula and torch's expression describe the same function: where torch is
        # the reference they must agree, and where it is not the exact values replace torch's.
        mp_loss, mp_grad = exact(case, go)
        if case.source == "mpmath":
            out["expected"] = (mp_loss, {0: mp_grad})
        else:
            torch_loss, torch_grads = out["torch"]
            np.testing.assert_allclose(mp_loss, torch_loss, rtol=1e-9, atol=1e-300, err_msg=case.fn)
            np.testing.assert_allclose(mp_grad, torch_grads[0], rtol=1e-8, atol=1e-14, err_msg=case.fn)
    out.setdefault("expected", out["torch"])
    return out


# --- the file ----------------------------------------------------------------------------------

class Pools:
    """Flat per-dtype pools of array data; a reference is [dtype name, offset, shape]."""

    def __init__(self):
        self.parts, self.sizes = {}, {}

    def add(self, a) -> list:
        a = np.asarray(a)
        name = a.dtype.name
        offset = self.sizes.get(name, 0)
        self.parts.setdefault(name, []).append(a.ravel())
        self.sizes[name] = offset + a.size
        return [name, offset, list(a.shape)]

    def arrays(self) -> dict:
        return {f"pool_{name}": np.concatenate(parts) for name, parts in self.parts.items()}


def case_id(case: Case) -> str:
    """fn/group/dtypes/shapes/options: readable; generate() makes it unique."""
    dtypes = "-".join(dict.fromkeys(np.asarray(a).dtype.name for a in case.args))
    shapes = "-vs-".join(dict.fromkeys(shape_name(np.shape(a)) for a in case.args[:1] + case.args[1:]))
    options = ",".join(f"{k}={v}" for k, v in case.kwargs.items() if k != "reduction")
    arrays = ",".join(f"{k}:{shape_name(np.shape(v))}" for k, v in case.arrays.items())
    parts = [case.fn, case.group, dtypes, shapes, options, arrays, case.kwargs.get("reduction", "")]
    return "/".join(p for p in parts if p)


def record(case: Case, block: str, pools: Pools, result: dict) -> dict:
    def results(pair):
        loss, grads = pair
        return {"loss": pools.add(np.asarray(loss).astype(result["loss_dtype"])),
                "grads": {str(i): pools.add(np.asarray(g).astype(np.asarray(case.args[i]).dtype))
                          for i, g in grads.items()}}

    go = result.get("grad_output")
    entry = {
        "id": case_id(case), "block": block, "group": case.group, "fn": case.fn,
        "args": [pools.add(a) for a in case.args], "kwargs": case.kwargs,
        "arrays": {k: pools.add(v) for k, v in case.arrays.items()},
        "compute": case.compute, "source": case.source, "flags": list(case.flags),
        "warnings": result["warnings"], "error": result["error"],
        "grad_output": None if go is None else float(go) if np.ndim(go) == 0 else pools.add(go),
    }
    if result["error"] is None:
        entry["expected"] = results(result["expected"])
        for extra in ("native", "torch"):
            if extra in result and (extra == "native" or case.source != "torch"):
                entry[extra] = results(result[extra])
    return entry


def special_cases(fn: str, units: list, differentiable: bool):
    """(unit number, Case) for each special-value unit of the family: `fn` on that unit alone
    (alone: torch refuses a whole call for one bad element), reduction 'none', in float64, with
    d(sum of losses)/d input where the loss is differentiable. torch's answer only: the exact
    references are formulas for finite data."""
    for number, unit in enumerate(units):
        yield number, Case(fn, list(unit), {"reduction": "none"}, group=f"unit{number}",
                           grad=(0,) if differentiable else (), grad_output=None, compute="float64")


def generate(family: str, block_list: list, out: Path, modules=(), header: dict | None = None,
             units=()) -> dict:
    """Runs every case of a family, and every loss of those cases on each special-value unit
    (`units`: the positional arrays of each unit's call), and writes its file:
        index        UTF-8 JSON as uint8: {"format", "family", "torch_version", "numpy_version",
                     "signatures", "cases": [record, ...], "specials": [record + "unit", ...],
                     ...header}
        pool_<dtype> every array of that dtype, flattened and concatenated
    np.load reads it without allow_pickle."""
    torch.manual_seed(0)
    pools, records, seen, differentiable = Pools(), [], {}, {}
    for block in block_list:
        rng, pick = block.stream.open(block.name)
        for case in block.cases(rng):
            entry = record(case, block.name, pools, run(case, pick))
            base = entry["id"]
            seen[base] = seen.get(base, 0) + 1
            if seen[base] > 1:
                entry["id"] = f"{base}#{seen[base]}"
            records.append(entry)
            differentiable[case.fn] = differentiable.get(case.fn, False) or 0 in case.grad
    names = sorted({r["fn"] for r in records})
    specials = []
    for fn in names:
        for number, case in special_cases(fn, list(units.get(fn, ()) if isinstance(units, dict) else units),
                                          differentiable[fn]):
            specials.append({**record(case, "specials", pools, run(case, None, with_exact=False)), "unit": number})
    index = {"format": FORMAT, "family": family, "torch_version": torch.__version__,
             "numpy_version": np.__version__, "signatures": signatures(names, modules), **(header or {}),
             "cases": records, "specials": specials}
    arrays = pools.arrays()
    arrays["index"] = np.frombuffer(json.dumps(index, separators=(",", ":")).encode("utf-8"), dtype=np.uint8)
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(out, **arrays)
    return index


def signatures(names, modules) -> dict:
    """torch's parameter names and default reprs of the functions and modules LossCore mirrors."""
    def describe(fn):
        return [[p.name, repr(p.default) if p.default is not inspect.Parameter.empty else None]
                for p in inspect.signature(fn).parameters.values()]

    found = {}
    for name in names:
        if hasattr(TF, name):
            found[name] = describe(getattr(TF, name))
    for module in modules:
        found[module] = describe(getattr(torch.nn, module).__init__)
    return found
