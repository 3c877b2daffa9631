#!/usr/bin/env python3
"""Generates bindings/python/tests/data/torch_reference.npz: PyTorch's values and autograd
gradients for LossCore's Python test suite (tests/test_torch_reference.py).

Regenerate (torch is needed only here, never by CI or the tests):

    /work/.venv-torch/bin/python scripts/gen_torch_reference.py      # any python with torch + numpy
    python3 -m pytest bindings/python/tests/test_torch_reference.py -q

The file is deterministic for a given torch version: every case generator draws from its own
generator seeded with (SEED, crc32(generator name)), so appending a generator never changes
the data of the others. Commit the regenerated .npz together with this script.

Adding a loss family: write a function that yields `Case`s and decorate it with
`@register`. A case names the `losscore.functional` function, its positional arrays, its
scalar keyword arguments (stored as a JSON string) and its array keyword arguments (weight,
pos_weight, ...). The generator runs the torch implementation (`torch.nn.functional.<fn>`,
or an entry of TORCH_IMPLS for losses torch does not have), records the loss, and for
differentiable cases the torch autograd gradient with respect to each positional argument
listed in `grad_args` (default: the first), fed a random `grad_output` of the loss's shape for
reduction='none' and a non-1 float for scalar reductions. If torch refuses the call, the case
records the exception instead, and the tests require LossCore to refuse it too
(ValueError/TypeError/IndexError).

File layout (np.load works without allow_pickle). To keep the file small, all arrays of one
dtype are concatenated into one flat pool, and the index refers to them by slice:
    __index__        JSON: {"format", "torch_version", "seed", "cases": [case record, ...]}
    pool_<dtype>     1-D array: every array of that dtype, flattened and concatenated
An array reference is {"dtype": name, "offset": k, "shape": [...]}. A case record holds:
    id, generator, fn        case id (unique), its generator, the losscore.functional name
    kwargs                   scalar keyword arguments, a JSON-encoded string
    args                     positional arrays (references)
    array_kwargs             {name: reference} (weight, ...)
    loss                     torch's result (shape () for scalar reductions), or null if refused
    grad_output              reference (0-d float64 for scalar reductions, the loss's shape for
                             'none'), or null when the default (ones) was used
    grads                    {"<positional index>": reference}: torch autograd gradients
    warnings                 torch's warning messages (e.g. the broadcast warning)
    error                    null, or {"type", "message"} when torch refused the call
"""
from __future__ import annotations

import json
import math
import warnings
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as TF

SEED = 20240611
FORMAT = 1
OUT = Path(__file__).resolve().parents[1] / "bindings" / "python" / "tests" / "data" / "torch_reference.npz"

F32, F64 = np.float32, np.float64
DTYPES = {"f32": F32, "f64": F64}
REDUCTIONS = ("none", "mean", "sum")


@dataclass
class Case:
    id: str
    fn: str
    args: list                                  # positional arrays (numpy)
    kwargs: dict = field(default_factory=dict)  # JSON-serializable scalar options
    array_kwargs: dict = field(default_factory=dict)
    grad_args: tuple = (0,)                     # positional args to differentiate; () = not differentiable
    grad_output: object = "auto"                # "auto": random array ('none') / non-1 float; None: default


GENERATORS = []


def register(fn):
    """Adds a case generator (a function of a numpy Generator yielding Cases)."""
    GENERATORS.append(fn)
    return fn


def rng_for(name: str) -> np.random.Generator:
    return np.random.default_rng([SEED, zlib.crc32(name.encode())])


# --- torch implementations of losses that torch.nn.functional does not have -------------------

def _reduce(loss, reduction):
    if reduction == "none":
        return loss
    if reduction == "sum":
        return loss.sum()
    return loss.mean()


def torch_zero_one_loss(input, target, reduction="mean"):
    """LossCore's definition: 1 where argmax over the last dim (first index on ties, NaN is
    the maximum, as torch.argmax) differs from the target; integer input holds labels."""
    if input.is_floating_point():
        wrong = (input.argmax(dim=-1) != target).to(input.dtype)
    else:
        wrong = (input != target).to(torch.float64)
    return _reduce(wrong, reduction)


TORCH_IMPLS = {
    "zero_one_loss": torch_zero_one_loss,
}


# --- helpers for data ------------------------------------------------------------------------

def normal(rng, shape, dtype, scale=1.0):
    return (rng.standard_normal(shape) * scale).astype(dtype)


def uniform(rng, shape, dtype, low=0.0, high=2.0):
    return rng.uniform(low, high, shape).astype(dtype)


def shape_name(shape) -> str:
    return "x".join(str(s) for s in shape) if len(shape) else "scalar"


# --- regression losses -----------------------------------------------------------------------

POINTWISE = ("l1_loss", "mse_loss", "smooth_l1_loss", "huber_loss")
WEIGHTED = ("l1_loss", "mse_loss", "huber_loss")
SHAPES = ((7,), (3, 5), (2, 3, 4))


@register
def regression_basic(rng):
    """Every loss x dtype x reduction x 1-D..3-D shape, default options."""
    for fn in POINTWISE:
        for dn, dt in DTYPES.items():
            for shape in SHAPES:
                for red in REDUCTIONS:
                    x = normal(rng, shape, dt)
                    t = normal(rng, shape, dt)
                    yield Case(f"{fn}/basic/{dn}/{shape_name(shape)}/{red}", fn, [x, t], {"reduction": red})
            # the default reduction (no keyword at all), and the default grad_output
            x, t = normal(rng, (5, 4), dt), normal(rng, (5, 4), dt)
            yield Case(f"{fn}/default-kwargs/{dn}", fn, [x, t], {})
            yield Case(f"{fn}/default-grad-output/{dn}", fn, [x, t], {"reduction": "sum"}, grad_output=None)
            yield Case(f"{fn}/default-grad-output-none/{dn}", fn, [x, t], {"reduction": "none"},
                       grad_output=None)


@register
def regression_scales(rng):
    """Large and small magnitudes; a longer input whose float32 sum exercises accumulation."""
    for fn in POINTWISE:
        for dn, dt in DTYPES.items():
            for scale in (1e-3, 1e3):
                x, t = normal(rng, (4, 6), dt, scale), normal(rng, (4, 6), dt, scale)
                for red in ("none", "mean"):
                    yield Case(f"{fn}/scale{scale:g}/{dn}/{red}", fn, [x, t], {"reduction": red})
            x, t = normal(rng, (1000,), dt), normal(rng, (1000,), dt)
            yield Case(f"{fn}/long/{dn}/mean", fn, [x, t], {"reduction": "mean"})


@register
def smooth_l1_beta(rng):
    """beta = 0 (exactly L1), tiny, around the data, large, infinite."""
    for beta in (0.0, 1e-4, 0.05, 0.3, 0.5, 1.0, 2.0, 7.5, math.inf):
        for dn, dt in DTYPES.items():
            for red in REDUCTIONS:
                x, t = normal(rng, (4, 6), dt), normal(rng, (4, 6), dt)
                yield Case(f"smooth_l1_loss/beta{beta:g}/{dn}/{red}", "smooth_l1_loss", [x, t],
                           {"reduction": red, "beta": beta})


@register
def huber_delta(rng):
    """delta tiny, around the data, large, infinite."""
    for delta in (1e-4, 0.05, 0.3, 0.5, 1.0, 2.0, 7.5, math.inf):
        for dn, dt in DTYPES.items():
            for red in REDUCTIONS:
                x, t = normal(rng, (4, 6), dt), normal(rng, (4, 6), dt)
                yield Case(f"huber_loss/delta{delta:g}/{dn}/{red}", "huber_loss", [x, t],
                           {"reduction": red, "delta": delta})


@register
def regression_weighted(rng):
    """weight of input's shape: weighted mean divides by sum(w) (l1, mse) or by n (huber)."""
    for fn in WEIGHTED:
        for dn, dt in DTYPES.items():
            for shape in SHAPES:
                for red in REDUCTIONS:
                    x, t, w = normal(rng, shape, dt), normal(rng, shape, dt), uniform(rng, shape, dt)
                    yield Case(f"{fn}/weighted/{dn}/{shape_name(shape)}/{red}", fn, [x, t], {"reduction": red},
                               {"weight": w})
            # zero and negative weights are plain numbers to torch
            x, t = normal(rng, (10,), dt), normal(rng, (10,), dt)
            w = np.array([0, 1, 2, 0, 0.5, -1, 3, 0, 1, 0.25], dtype=dt)
            for red in REDUCTIONS:
                yield Case(f"{fn}/weighted-zero-negative/{dn}/{red}", fn, [x, t], {"reduction": red}, {"weight": w})
        x, t, w = normal(rng, (3, 4), F64), normal(rng, (3, 4), F64), uniform(rng, (3, 4), F64)
        if fn == "huber_loss":
            for delta in (0.25, 2.0):
                for red in REDUCTIONS:
                    yield Case(f"{fn}/weighted-delta{delta:g}/f64/{red}", fn, [x, t],
                               {"reduction": red, "delta": delta}, {"weight": w})


def kink_data(dt, k):
    """input/target pairs whose difference is exactly 0, +-k, just inside and just outside +-k
    (all dyadic values, exact in float32 and float64)."""
    t = np.array([0.0, 0.25, -0.5, 1.0, 0.25, -0.5, 0.0, 0.0, 3.0, -2.0, 0.5, 0.0], dtype=dt)
    d = np.array([0.0, 0.0, 0.0, k, -k, k, -k, k * 0.5, -k * 0.5, k * 2, -k * 2, k], dtype=dt)
    return (t + d).astype(dt), t


@register
def regression_kinks(rng):
    """Exact zeros of the difference and |d| == beta / delta: torch's gradients at the kinks."""
    for dn, dt in DTYPES.items():
        for red in REDUCTIONS:
            x, t = kink_data(dt, 1.0)
            for fn in ("l1_loss", "mse_loss"):
                yield Case(f"{fn}/kinks/{dn}/{red}", fn, [x, t], {"reduction": red})
                w = uniform(rng, x.shape, dt)
                yield Case(f"{fn}/kinks-weighted/{dn}/{red}", fn, [x, t], {"reduction": red}, {"weight": w})
            for beta in (0.0, 0.5, 1.0, 2.0):
                x, t = kink_data(dt, beta if beta > 0 else 1.0)
                yield Case(f"smooth_l1_loss/kinks-beta{beta:g}/{dn}/{red}", "smooth_l1_loss", [x, t],
                           {"reduction": red, "beta": beta})
            for delta in (0.5, 1.0, 2.0):
                x, t = kink_data(dt, delta)
                yield Case(f"huber_loss/kinks-delta{delta:g}/{dn}/{red}", "huber_loss", [x, t],
                           {"reduction": red, "delta": delta})
                w = uniform(rng, x.shape, dt)
                yield Case(f"huber_loss/kinks-delta{delta:g}-weighted/{dn}/{red}", "huber_loss", [x, t],
                           {"reduction": red, "delta": delta}, {"weight": w})


@register
def regression_empty(rng):
    """Empty inputs: 'none' is empty, 'mean' NaN, 'sum' 0; gradients are empty."""
    for fn in POINTWISE:
        for dn, dt in DTYPES.items():
            for shape in ((0,), (0, 3), (2, 0, 4)):
                for red in REDUCTIONS:
                    x, t = np.zeros(shape, dt), np.zeros(shape, dt)
                    yield Case(f"{fn}/empty/{dn}/{shape_name(shape)}/{red}", fn, [x, t], {"reduction": red})
        if fn in WEIGHTED:
            for red in REDUCTIONS:
                e = np.zeros((0,), F64)
                yield Case(f"{fn}/empty-weighted/f64/{red}", fn, [e, e.copy()], {"reduction": red}, {"weight": e.copy()})


BROADCASTS = (((3, 1), (3, 4)), ((4,), (3, 4)), ((3, 4), (4,)), ((2, 1, 4), (3, 1)), ((3, 4), (1,)),
              ((3, 4), ()), ((), (5,)), ((1, 4), (3, 1)))


@register
def regression_broadcast(rng):
    """Target shapes that differ from the input's: torch warns, broadcasts both, and sums the
    gradient back to the input's shape."""
    for fn in POINTWISE:
        for dn, dt in DTYPES.items():
            for xs, ts in BROADCASTS:
                for red in REDUCTIONS:
                    x, t = normal(rng, xs, dt), normal(rng, ts, dt)
                    opts = {"reduction": red}
                    if fn == "smooth_l1_loss":
                        opts["beta"] = 0.5
                    if fn == "huber_loss":
                        opts["delta"] = 0.5
                    yield Case(f"{fn}/broadcast/{dn}/{shape_name(xs)}-vs-{shape_name(ts)}/{red}", fn, [x, t], opts)


@register
def regression_broadcast_weighted(rng):
    """Weighted losses with a broadcast target: torch requires weight.shape == input.shape and
    multiplies the broadcast loss by it; its weighted l1/mse 'mean' divides by sum(weight) over
    the weight's own (unbroadcast) elements."""
    for fn in WEIGHTED:
        for dn, dt in DTYPES.items():
            for xs, ts in (((3, 1), (3, 4)), ((4,), (3, 4)), ((3, 4), (4,))):
                for red in REDUCTIONS:
                    x, t, w = normal(rng, xs, dt), normal(rng, ts, dt), uniform(rng, xs, dt)
                    yield Case(f"{fn}/broadcast-weighted/{dn}/{shape_name(xs)}-vs-{shape_name(ts)}/{red}", fn,
                               [x, t], {"reduction": red}, {"weight": w})


@register
def regression_nonfinite(rng):
    """NaN and +-Inf in input, target and weight propagate as in torch (values and gradients)."""
    x0 = np.array([0.0, np.nan, np.inf, 1.0, -np.inf, np.inf, 2.0, -1.0, np.nan, 0.5])
    t0 = np.array([0.0, 1.0, 1.0, np.inf, -np.inf, np.inf, np.nan, 0.0, np.nan, -np.inf])
    for fn in POINTWISE:
        for dn, dt in DTYPES.items():
            x, t = x0.astype(dt), t0.astype(dt)
            options = [{}]
            if fn == "smooth_l1_loss":
                options = [{}, {"beta": 0.0}, {"beta": 0.5}]
            if fn == "huber_loss":
                options = [{}, {"delta": 0.5}]
            for opt in options:
                suffix = "".join(f"-{k}{v:g}" for k, v in opt.items())
                for red in REDUCTIONS:
                    yield Case(f"{fn}/nonfinite{suffix}/{dn}/{red}", fn, [x, t], {"reduction": red, **opt})
            # a single NaN poisons the mean but not the other elements of 'none'
            x, t = normal(rng, (3, 4), dt), normal(rng, (3, 4), dt)
            x[1, 2] = np.nan
            t[2, 0] = np.inf
            for red in REDUCTIONS:
                yield Case(f"{fn}/one-nan-one-inf/{dn}/{red}", fn, [x, t], {"reduction": red})
            if fn in WEIGHTED:
                x, t = normal(rng, (6,), dt), normal(rng, (6,), dt)
                w = np.array([1.0, np.nan, 2.0, np.inf, 0.0, 1.0], dtype=dt)
                for red in REDUCTIONS:
                    yield Case(f"{fn}/nonfinite-weight/{dn}/{red}", fn, [x, t], {"reduction": red}, {"weight": w})


@register
def regression_legacy(rng):
    """The deprecated size_average / reduce flags (l1, mse, smooth_l1 accept them)."""
    flags = ({"size_average": False}, {"size_average": True}, {"reduce": False}, {"reduce": True},
             {"size_average": False, "reduce": True}, {"size_average": True, "reduce": False})
    for fn in ("l1_loss", "mse_loss", "smooth_l1_loss"):
        for i, flag in enumerate(flags):
            x, t = normal(rng, (3, 4), F64), normal(rng, (3, 4), F64)
            yield Case(f"{fn}/legacy{i}/f64", fn, [x, t], dict(flag))


@register
def regression_mixed_dtypes(rng):
    """float32 with float64 promotes to float64; the gradient has the input's own dtype."""
    for fn in ("l1_loss", "mse_loss", "smooth_l1_loss"):
        for xd, td in ((F32, F64), (F64, F32)):
            for red in REDUCTIONS:
                x, t = normal(rng, (3, 4), xd), normal(rng, (3, 4), td)
                yield Case(f"{fn}/mixed/{np.dtype(xd).name}-{np.dtype(td).name}/{red}", fn, [x, t],
                           {"reduction": red})
    for fn in ("l1_loss", "mse_loss"):
        for red in REDUCTIONS:
            x, t, w = normal(rng, (3, 4), F32), normal(rng, (3, 4), F32), uniform(rng, (3, 4), F64)
            yield Case(f"{fn}/mixed-weight/float32-float32-float64/{red}", fn, [x, t], {"reduction": red},
                       {"weight": w})


@register
def regression_refusals(rng):
    """Calls torch refuses; LossCore must refuse them too with ValueError/TypeError/IndexError."""
    x = normal(rng, (3,), F64)
    for fn in POINTWISE:
        yield Case(f"{fn}/refuse/shape-mismatch", fn, [x, normal(rng, (4,), F64)])
        yield Case(f"{fn}/refuse/shape-mismatch-2d", fn, [normal(rng, (2, 3), F64), normal(rng, (3, 2), F64)])
        yield Case(f"{fn}/refuse/bad-reduction", fn, [x, x.copy()], {"reduction": "avg"})
        yield Case(f"{fn}/refuse/int64-inputs", fn, [np.arange(3), np.arange(3)[::-1].copy()])
    for beta in (-1.0, -1e-12, math.nan):
        yield Case(f"smooth_l1_loss/refuse/beta{beta:g}", "smooth_l1_loss", [x, x + 1], {"beta": beta})
    for delta in (0.0, -1.0, math.nan):
        yield Case(f"huber_loss/refuse/delta{delta:g}", "huber_loss", [x, x + 1], {"delta": delta})
    for fn in WEIGHTED:
        yield Case(f"{fn}/refuse/weight-shape", fn, [x, x + 1], {}, {"weight": uniform(rng, (2,), F64)})
        yield Case(f"{fn}/refuse/weight-broadcastable-shape", fn, [normal(rng, (3, 4), F64), normal(rng, (3, 4), F64)],
                   {}, {"weight": uniform(rng, (4,), F64)})


# --- 0-1 loss (LossCore's own; torch reference = its definition on torch.argmax) ---------------

@register
def zero_one(rng):
    for dn, dt in DTYPES.items():
        for red in REDUCTIONS:
            for n, c in ((16, 5), (1, 3), (7, 1)):
                s = normal(rng, (n, c), dt)
                t = rng.integers(0, c, n)
                yield Case(f"zero_one_loss/scores/{dn}/{n}x{c}/{red}", "zero_one_loss", [s, t], {"reduction": red},
                           grad_args=())
            # ties (first index wins), NaN (counts as the maximum), +-inf
            s = np.array([[1, 1, 0], [0, 2, 2], [np.nan, 5, 5], [1, np.nan, np.nan], [-np.inf, -np.inf, -np.inf],
                          [np.inf, 0, np.inf], [0, 0, 0], [-1, -2, -3]], dtype=dt)
            t = np.array([1, 1, 0, 1, 0, 2, 0, 0])
            yield Case(f"zero_one_loss/ties-nan-inf/{dn}/{red}", "zero_one_loss", [s, t], {"reduction": red},
                       grad_args=())
            s, t = np.zeros((0, 4), dt), np.zeros((0,), np.int64)
            yield Case(f"zero_one_loss/empty/{dn}/{red}", "zero_one_loss", [s, t], {"reduction": red}, grad_args=())
        p, t = rng.integers(-2, 4, 20), rng.integers(0, 3, 20)
        if dn == "f64":
            for red in REDUCTIONS:
                yield Case(f"zero_one_loss/labels/{red}", "zero_one_loss", [p, t], {"reduction": red}, grad_args=())
    for td in (np.int8, np.int32, np.uint8):
        s, t = normal(rng, (9, 4), F32), rng.integers(0, 4, 9).astype(td)
        yield Case(f"zero_one_loss/target-{np.dtype(td).name}", "zero_one_loss", [s, t], {}, grad_args=())


# --- running torch -----------------------------------------------------------------------------

def to_tensor(a: np.ndarray) -> torch.Tensor:
    # np.array(copy=True) keeps 0-d arrays 0-d (np.ascontiguousarray would make them 1-d)
    if a.dtype.kind in "iu":
        return torch.from_numpy(np.array(a, dtype=np.int64, order="C", copy=True))
    return torch.from_numpy(np.array(a, order="C", copy=True))


def torch_function(name):
    if name in TORCH_IMPLS:
        return TORCH_IMPLS[name]
    return getattr(TF, name)


def scalar_grad_output(rng) -> float:
    """A non-1 float, rounded to a float32-exact value so both dtypes see the same number."""
    return float(np.float32(rng.choice([-1, 1]) * rng.uniform(0.25, 3.0)))


def run(case: Case, rng):
    """Returns (loss, grad_output, grads, warnings, error) as numpy/None."""
    tensors = [to_tensor(a) for a in case.args]
    grad_args = [i for i in case.grad_args if tensors[i].is_floating_point()]
    for i in grad_args:
        tensors[i].requires_grad_(True)
    akw = {k: to_tensor(v) for k, v in case.array_kwargs.items()}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            loss = torch_function(case.fn)(*tensors, **case.kwargs, **akw)
        except Exception as error:  # torch refuses the call: record why
            return None, None, {}, [], {"type": type(error).__name__, "message": str(error)}
    messages = [str(w.message) for w in caught]
    loss_np = loss.detach().numpy().copy()
    grads, go_np = {}, None
    if grad_args:
        if case.grad_output is None:
            go = torch.ones_like(loss)
        elif loss.dim() == 0:
            value = scalar_grad_output(rng)
            go = torch.tensor(value, dtype=loss.dtype)
            go_np = np.array(value, dtype=np.float64)
        else:
            go_np = rng.uniform(-2.0, 2.0, tuple(loss.shape)).astype(loss_np.dtype)
            go = torch.from_numpy(go_np.copy())
        inputs = [tensors[i] for i in grad_args]
        got = torch.autograd.grad(loss, inputs, grad_outputs=go, allow_unused=True)
        for i, g in zip(grad_args, got):
            grads[i] = (torch.zeros_like(tensors[i]) if g is None else g).detach().numpy().copy()
    return loss_np, go_np, grads, messages, None


class Pools:
    """Flat per-dtype pools of array data, referenced by (dtype, offset, shape)."""

    def __init__(self):
        self.parts, self.sizes = {}, {}

    def add(self, a) -> dict:
        a = np.asarray(a)
        name = a.dtype.name
        offset = self.sizes.get(name, 0)
        self.parts.setdefault(name, []).append(a.ravel())
        self.sizes[name] = offset + a.size
        return {"dtype": name, "offset": offset, "shape": list(a.shape)}

    def arrays(self) -> dict:
        return {f"pool_{name}": np.concatenate(parts) for name, parts in self.parts.items()}


def main():
    torch.manual_seed(SEED)
    pools, records, seen = Pools(), [], set()
    for generator in GENERATORS:
        rng = rng_for(generator.__name__)
        go_rng = rng_for(generator.__name__ + "/grad_output")
        for case in generator(rng):
            if case.id in seen:
                raise SystemExit(f"duplicate case id {case.id}")
            seen.add(case.id)
            loss, go, grads, messages, error = run(case, go_rng)
            records.append({
                "id": case.id, "generator": generator.__name__, "fn": case.fn,
                "kwargs": json.dumps(case.kwargs),
                "args": [pools.add(a) for a in case.args],
                "array_kwargs": {name: pools.add(a) for name, a in case.array_kwargs.items()},
                "loss": None if loss is None else pools.add(loss),
                "grad_output": None if go is None else pools.add(go),
                "grads": {str(i): pools.add(g) for i, g in grads.items()},
                "warnings": messages, "error": error})
    index = {"format": FORMAT, "torch_version": torch.__version__, "numpy_version": np.__version__,
             "seed": SEED, "cases": records}
    arrays = pools.arrays()
    arrays["__index__"] = np.array(json.dumps(index, separators=(",", ":")))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(OUT, **arrays)
    refusals = sum(r["error"] is not None for r in records)
    print(f"wrote {OUT} ({OUT.stat().st_size / 1024:.0f} KiB): {len(records)} cases "
          f"({refusals} refused by torch), torch {torch.__version__}")


if __name__ == "__main__":
    main()
