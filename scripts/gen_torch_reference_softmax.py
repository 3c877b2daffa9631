#!/usr/bin/env python3
"""Generates bindings/python/tests/data/torch_reference_softmax.npz: PyTorch's values and
autograd gradients for the softmax family (cross_entropy with class-index and probability
targets, nll_loss, and the tutorial's focal loss), which test_softmax_reference.py checks
LossCore against. torch is needed only here, never by the tests or CI:

    /work/.venv-torch/bin/python scripts/gen_torch_reference_softmax.py

The focal loss is defined (SPEC.md) exactly as
    nll_loss(((1 - softmax(x)) ** gamma) * log_softmax(x), target, weight, ignore_index, reduction)
with the class dimension at dim 1 (dim 0 for an unbatched (C,) input), so torch computes it
through that very expression.

Every case records:
  * the inputs as LossCore receives them (float32 cases hold float32 values);
  * `loss`, `grad`: torch's result in float64 on exactly those inputs (for float32 cases the
    inputs are widened first, so the reference is not blurred by torch's own float32 rounding,
    then stored rounded to float32, 6e-8 relative, far inside the float32 tolerance);
  * `loss_native`, `grad_native` (float32 cases of the 'extreme' group only): torch run in
    float32, which is what a float32 torch user gets (its focal gradient may be NaN where
    p_t rounds to 1 and gamma < 1; LossCore's is finite by design).
The gradient is d(loss)/d(input) for a random grad_output ('none') or a non-1 float
('mean'/'sum'), or for torch's default (ones) when grad_output is "default".

Random data lies on a 2^-16 (float64) or 2^-12 (float32) grid: generic values that compress well. To stay
small the file packs all arrays of a dtype into one flat pool (`pool_f32`,
`pool_f64`, `pool_i64`); `meta` (UTF-8 JSON as uint8) is a list with, per case, its
options and for every array [pool, offset, shape]; `header` holds torch's version and the
signatures of torch's functions and modules.
"""
from __future__ import annotations

import json
import pathlib
import sys

import numpy as np
import torch
import torch.nn.functional as F

SEED = 20250611
C = 4
SHAPES = {"1d": (C,), "2d": (3, C), "3d": (2, C, 3), "4d": (2, C, 2, 2)}
REDUCTIONS = ("none", "mean", "sum")
SMOOTHINGS = (0.0, 0.1, 1.0)
GAMMAS = (0.0, 0.5, 1.0, 2.0, 5.0)
SCALAR_GRAD_OUTPUTS = (0.375, -1.75, 2.5)  # exact in float32
# ignore variants: (name, ignore_index); 'default_hit' puts -100 into some targets,
# 'in_range' uses ignore_index = 2 (a real class) and puts 2 into some targets.
IGNORES = (("none", -100), ("default_hit", -100), ("in_range", 2))

OUT = pathlib.Path(__file__).resolve().parents[1] / "bindings/python/tests/data/torch_reference_softmax.npz"

rng = np.random.default_rng(SEED)
torch.manual_seed(SEED)


class Pools:
    def __init__(self):
        self.parts = {"f32": [], "f64": [], "i64": []}
        self.sizes = {"f32": 0, "f64": 0, "i64": 0}

    def add(self, array: np.ndarray):
        array = np.asarray(array)
        pool = {np.dtype(np.float32): "f32", np.dtype(np.float64): "f64", np.dtype(np.int64): "i64"}[array.dtype]
        offset = self.sizes[pool]
        self.parts[pool].append(array.ravel())
        self.sizes[pool] += array.size
        return [pool, offset, list(array.shape)]

    def arrays(self):
        dtypes = {"f32": np.float32, "f64": np.float64, "i64": np.int64}
        return {f"pool_{k}": (np.concatenate(v) if v else np.zeros(0)).astype(dtypes[k]) for k, v in self.parts.items()}


POOLS = Pools()
CASES = []
COUNTER = [0]


def loss_shape(shape):
    return () if len(shape) == 1 else (shape[0],) + tuple(shape[2:])


def class_dim(ndim):
    return 0 if ndim == 1 else 1


def torch_focal(x, t, weight, gamma, ignore_index, reduction):
    d = class_dim(x.dim())
    p = torch.softmax(x, d)
    logp = torch.log_softmax(x, d)
    return F.nll_loss(((1 - p) ** gamma) * logp, t, weight=weight, ignore_index=ignore_index, reduction=reduction)


def torch_call(fn, x, target, weight, opts):
    if fn == "cross_entropy":
        return F.cross_entropy(x, target, weight=weight, ignore_index=opts.get("ignore_index", -100),
                               reduction=opts["reduction"], label_smoothing=opts.get("label_smoothing", 0.0))
    if fn == "nll_loss":
        return F.nll_loss(x, target, weight=weight, ignore_index=opts["ignore_index"], reduction=opts["reduction"])
    if fn == "focal_loss":
        return torch_focal(x, target, weight, opts["gamma"], opts["ignore_index"], opts["reduction"])
    raise ValueError(fn)


def run_torch(fn, x_np, target_np, weight_np, opts, go, compute_dtype):
    """torch's loss and d loss / d input in `compute_dtype`."""
    tdt = {np.float32: torch.float32, np.float64: torch.float64}[compute_dtype]
    x = torch.tensor(x_np.astype(compute_dtype), dtype=tdt, requires_grad=True)
    if target_np.dtype.kind == "f":
        target = torch.tensor(target_np.astype(compute_dtype), dtype=tdt)
    else:
        target = torch.tensor(target_np, dtype=torch.int64)
    weight = None if weight_np is None else torch.tensor(weight_np.astype(compute_dtype), dtype=tdt)
    loss = torch_call(fn, x, target, weight, opts)
    if go is None:
        gradient = torch.ones_like(loss)
    elif np.ndim(go) == 0:
        gradient = torch.tensor(float(go), dtype=tdt)
    else:
        gradient = torch.tensor(np.asarray(go).astype(compute_dtype), dtype=tdt)
    loss.backward(gradient)
    grad = x.grad if x.grad is not None else torch.zeros_like(x)
    return loss.detach().numpy().astype(np.float64), grad.numpy().astype(np.float64)


def pick_grad_output(reduction, shape, dtype):
    """Every fourth case uses torch's default (ones); the others a random or non-1 grad_output."""
    COUNTER[0] += 1
    if COUNTER[0] % 4 == 0:
        return None
    if reduction == "none":
        return quantize(rng.normal(size=loss_shape(shape)), dtype)
    return SCALAR_GRAD_OUTPUTS[COUNTER[0] % len(SCALAR_GRAD_OUTPUTS)]


def case_name(group, fn, x, target, weight, opts):
    """A readable, unique test id, e.g. basic/cross_entropy/f32/3x4/w/ii2/ls0.1/mean/17."""
    parts = [group, fn + ("_probs" if target.dtype.kind == "f" else ""),
             "f32" if x.dtype == np.float32 else "f64", "x".join(map(str, x.shape)) or "scalar"]
    parts.append("w" if weight is not None else "now")
    if "ignore_index" in opts and target.dtype.kind != "f":
        parts.append(f"ii{opts['ignore_index']}")
    if "label_smoothing" in opts:
        parts.append(f"ls{opts['label_smoothing']}")
    if "gamma" in opts:
        parts.append(f"g{opts['gamma']}")
    parts += [opts["reduction"], str(len(CASES))]
    return "/".join(parts)


def add_case(group, fn, x, target, weight, opts, *, native=False, torch_nan_ok=False, go="pick"):
    dtype = x.dtype.type
    if isinstance(go, str) and go == "pick":
        go = pick_grad_output(opts["reduction"], x.shape, dtype)
    loss, grad = run_torch(fn, x, target, weight, opts, go, np.float64)
    # A float32 case's float64 reference is stored rounded to float32: that rounding (6e-8
    # relative) is far below the float32 tolerance, and it halves the file.
    reference_dtype = np.float32 if dtype is np.float32 else np.float64
    case = {
        "name": case_name(group, fn, x, target, weight, opts),
        "group": group,
        "fn": fn,
        "dtype": np.dtype(dtype).name,
        "target_kind": "probs" if target.dtype.kind == "f" else "index",
        "reduction": opts["reduction"],
        "ignore_index": opts.get("ignore_index"),
        "label_smoothing": opts.get("label_smoothing"),
        "gamma": opts.get("gamma"),
        "torch_nan_ok": torch_nan_ok,
        "input": POOLS.add(x),
        "target": POOLS.add(target),
        "weight": None if weight is None else POOLS.add(weight),
        "loss": POOLS.add(np.asarray(loss, dtype=reference_dtype)),
        "grad": POOLS.add(np.asarray(grad, dtype=reference_dtype)),
    }
    if go is None:
        case["grad_output"] = "default"
    elif np.ndim(go) == 0:
        case["grad_output"] = float(go)
    else:
        case["grad_output"] = POOLS.add(np.asarray(go, dtype=dtype))
    if native and dtype is np.float32:
        loss32, grad32 = run_torch(fn, x, target, weight, opts, go, np.float32)
        case["loss_native"] = POOLS.add(np.asarray(loss32, dtype=np.float32))
        case["grad_native"] = POOLS.add(np.asarray(grad32, dtype=np.float32))
    CASES.append(case)


def class_targets(shape, variant):
    """Class-index targets; variant 'default_hit' / 'in_range' puts ignored positions in."""
    ls = loss_shape(shape)
    if len(shape) == 1:
        # An unbatched input has one position: 'in_range' ignores it (an all-ignored batch).
        value = {"none": 3, "default_hit": 1, "in_range": 2}[variant]
        return np.array(value, dtype=np.int64)
    size = int(np.prod(ls))
    t = rng.integers(0, C, size=size)
    t[0], t[-1] = 0, C - 1
    if variant == "none":
        t[size // 2] = 2
    else:
        ignored = -100 if variant == "default_hit" else 2
        t[t == 2] = 1  # in_range: only the chosen positions hold class 2
        t[1] = ignored
        if size > 3:
            t[size // 2] = ignored
    return t.reshape(ls).astype(np.int64)


def quantize(values, dtype):
    """Random data on a grid (2^-16 for float64, 2^-12 for float32): generic values whose
    low mantissa bytes are zero, so the file compresses well."""
    step = 2.0**16 if np.dtype(dtype) == np.float64 else 2.0**12
    return (np.round(np.asarray(values, dtype=np.float64) * step) / step).astype(dtype)


def random_input(shape, dtype, scale=2.0):
    return quantize(rng.normal(size=shape) * scale, dtype)


def random_weight(dtype):
    return quantize(rng.uniform(0.2, 2.0, size=C), dtype)


def probability_target(shape, dtype, normalized=True):
    d = class_dim(len(shape))
    if normalized:
        z = rng.normal(size=shape) * 1.5
        e = np.exp(z - z.max(axis=d, keepdims=True))
        return quantize(e / e.sum(axis=d, keepdims=True), dtype)  # rows sum to 1 within 2^-16
    return quantize(rng.uniform(0.0, 1.0, size=shape), dtype)


def basic_cases():
    for dtype in (np.float32, np.float64):
        for shape_name, shape in SHAPES.items():
            # cross_entropy, class indices: weight x ignore x smoothing x reduction
            for with_weight in (False, True):
                for variant, ignore_index in IGNORES:
                    for smoothing in SMOOTHINGS:
                        for reduction in REDUCTIONS:
                            add_case("basic", "cross_entropy", random_input(shape, dtype),
                                     class_targets(shape, variant),
                                     random_weight(dtype) if with_weight else None,
                                     {"reduction": reduction, "ignore_index": ignore_index,
                                      "label_smoothing": smoothing})
            # cross_entropy, probabilities: weight x smoothing x reduction
            for with_weight in (False, True):
                for smoothing in SMOOTHINGS:
                    for reduction in REDUCTIONS:
                        add_case("basic", "cross_entropy", random_input(shape, dtype),
                                 probability_target(shape, dtype),
                                 random_weight(dtype) if with_weight else None,
                                 {"reduction": reduction, "label_smoothing": smoothing})
            # unnormalized probability targets (torch does not require rows to sum to 1)
            for reduction in REDUCTIONS:
                add_case("basic", "cross_entropy", random_input(shape, dtype),
                         probability_target(shape, dtype, normalized=False), random_weight(dtype),
                         {"reduction": reduction, "label_smoothing": 0.1})
            # nll_loss: weight x ignore x reduction (any input values, log-probabilities or not)
            for with_weight in (False, True):
                for variant, ignore_index in IGNORES:
                    for reduction in REDUCTIONS:
                        add_case("basic", "nll_loss", random_input(shape, dtype),
                                 class_targets(shape, variant),
                                 random_weight(dtype) if with_weight else None,
                                 {"reduction": reduction, "ignore_index": ignore_index})
            # focal_loss: gamma x weight x ignore x reduction
            for gamma in GAMMAS:
                for with_weight in (False, True):
                    for variant, ignore_index in (IGNORES[0], IGNORES[2]):
                        for reduction in REDUCTIONS:
                            add_case("basic", "focal_loss", random_input(shape, dtype),
                                     class_targets(shape, variant),
                                     random_weight(dtype) if with_weight else None,
                                     {"reduction": reduction, "ignore_index": ignore_index, "gamma": gamma})


def all_ignored_cases():
    for dtype in (np.float32, np.float64):
        for shape in (SHAPES["2d"], SHAPES["3d"]):
            for ignore_index in (-100, 2):
                target = np.full(loss_shape(shape), ignore_index, dtype=np.int64)
                for reduction in REDUCTIONS:
                    for with_weight in (False, True):
                        w = random_weight(dtype) if with_weight else None
                        for smoothing in (0.0, 0.1):
                            add_case("all_ignored", "cross_entropy", random_input(shape, dtype), target, w,
                                     {"reduction": reduction, "ignore_index": ignore_index,
                                      "label_smoothing": smoothing})
                        add_case("all_ignored", "nll_loss", random_input(shape, dtype), target, w,
                                 {"reduction": reduction, "ignore_index": ignore_index})
                        add_case("all_ignored", "focal_loss", random_input(shape, dtype), target, w,
                                 {"reduction": reduction, "ignore_index": ignore_index, "gamma": 2.0})


def empty_cases():
    for dtype in (np.float32, np.float64):
        for shape in ((0, C), (0, C, 3), (2, C, 0)):
            x = np.zeros(shape, dtype=dtype)
            t = np.zeros(loss_shape(shape), dtype=np.int64)
            for reduction in REDUCTIONS:
                for with_weight in (False, True):
                    w = random_weight(dtype) if with_weight else None
                    go = np.zeros(loss_shape(shape), dtype=dtype) if reduction == "none" else 0.375
                    add_case("empty", "cross_entropy", x, t, w,
                             {"reduction": reduction, "ignore_index": -100, "label_smoothing": 0.1}, go=go)
                    add_case("empty", "cross_entropy", x, np.zeros(shape, dtype=dtype), w,
                             {"reduction": reduction, "label_smoothing": 0.0}, go=go)
                    add_case("empty", "nll_loss", x, t, w, {"reduction": reduction, "ignore_index": -100}, go=go)
                    add_case("empty", "focal_loss", x, t, w,
                             {"reduction": reduction, "ignore_index": -100, "gamma": 2.0}, go=go)


def extreme_rows():
    """Logits of +-800 and +-1e4 (exact in float32), with p_t = 1, p_t = 0, ties, and a
    target whose 1 - p_t is ~1e-13 (it rounds to 1 in float32)."""
    rows = np.array([
        [800, -800, 0, 3],          # t=0: p_t = 1 exactly
        [800, -800, 0, 3],          # t=1: p_t = 0, loss 1600
        [1e4, -1e4, 0, 9970],       # t=0: 1 - p_t = e^-30
        [-1e4, 1e4, 1e4, -1e4],     # t=1: p_t = 1/2 exactly
        [-1e4, -1e4, -1e4, -1e4],   # t=3: uniform
        [-800, 800, -800, 800],     # t=0: p_t = 0
        [20, 0, 0, 0],              # t=0: one-hot-like, 1 - p_t ~ 6e-9
        [1e4, 0, 0, 0],             # t=0: p_t = 1 exactly
    ], dtype=np.float64)
    targets = np.array([0, 1, 0, 1, 3, 0, 0, 0], dtype=np.int64)
    return rows, targets


def extreme_cases():
    rows, targets = extreme_rows()
    layouts = {
        "2d": (rows, targets),
        # (2, C, 4): position (i, k) holds rows[4 i + k], so the K-dim path sees the same rows.
        "3d": (rows.reshape(2, 4, C).transpose(0, 2, 1), targets.reshape(2, 4)),
        # unbatched (C,): the p_t = 1 row
        "1d": (rows[0], np.array(0, dtype=np.int64)),
    }
    for dtype in (np.float32, np.float64):
        for x, t in layouts.values():
            x = np.ascontiguousarray(x, dtype=dtype)
            for reduction in REDUCTIONS:
                for with_weight in (False, True):
                    w = random_weight(dtype) if with_weight else None
                    for smoothing in (0.0, 0.1):
                        add_case("extreme", "cross_entropy", x, t, w,
                                 {"reduction": reduction, "ignore_index": -100, "label_smoothing": smoothing},
                                 native=True)
                    for gamma in GAMMAS:
                        add_case("extreme", "focal_loss", x, t, w,
                                 {"reduction": reduction, "ignore_index": -100, "gamma": gamma},
                                 native=True, torch_nan_ok=True)
            # probability targets at extreme logits (one-hot and smoothed)
            onehot = np.zeros_like(x)
            np.put_along_axis(onehot, np.expand_dims(t, class_dim(x.ndim)), 1, axis=class_dim(x.ndim))
            for reduction in REDUCTIONS:
                add_case("extreme", "cross_entropy", x, onehot.astype(dtype), None,
                         {"reduction": reduction, "label_smoothing": 0.1}, native=True)


def special_cases():
    """NaN and +-inf logits are not errors: they propagate into the results as in torch.
    torch's focal gradient is NaN in every row holding a -inf (0 * -inf in the product's
    backward) or a p_j of 1 with gamma < 1, so those cases compare only where torch is finite."""
    inf, nan = np.inf, np.nan
    rows = np.array([
        [-inf, 0, 1, 2],     # t=1: finite cross-entropy, infinite smoothing term
        [-inf, 0, 1, 2],     # t=0: infinite loss
        [inf, 0, 1, 2],      # t=0: NaN (inf - inf)
        [nan, 0, 1, 2],      # t=1: NaN
        [0.5, -1, 2, 0.25],  # an ordinary row next to them
    ])
    targets = np.array([1, 0, 0, 1, 2], dtype=np.int64)
    for dtype in (np.float32, np.float64):
        x = rows.astype(dtype)
        for reduction in REDUCTIONS:
            for with_weight in (False, True):
                w = random_weight(dtype) if with_weight else None
                for smoothing in (0.0, 0.1):
                    add_case("special", "cross_entropy", x, targets, w,
                             {"reduction": reduction, "ignore_index": -100, "label_smoothing": smoothing})
                add_case("special", "nll_loss", x, targets, w, {"reduction": reduction, "ignore_index": -100})
                for gamma in (0.0, 0.5, 2.0):
                    add_case("special", "focal_loss", x, targets, w,
                             {"reduction": reduction, "ignore_index": -100, "gamma": gamma}, torch_nan_ok=True)
            onehot = np.eye(C, dtype=dtype)[targets]
            add_case("special", "cross_entropy", x, onehot, None, {"reduction": reduction, "label_smoothing": 0.0})


def zero_weight_cases():
    """Every kept target has class weight 0: 'mean' is 0/0 = NaN in torch, also with label
    smoothing (torch adds the two means, and the NaN of the first wins over the second)."""
    for dtype in (np.float32, np.float64):
        for shape in (SHAPES["2d"], SHAPES["3d"]):
            w = np.array([0.0, 1.5, 0.0, 0.5], dtype=dtype)
            target = np.where(rng.random(loss_shape(shape)) < 0.5, 0, 2).astype(np.int64)
            for reduction in REDUCTIONS:
                for smoothing in (0.0, 0.1):
                    add_case("zero_weight", "cross_entropy", random_input(shape, dtype), target, w,
                             {"reduction": reduction, "ignore_index": -100, "label_smoothing": smoothing})
                add_case("zero_weight", "nll_loss", random_input(shape, dtype), target, w,
                         {"reduction": reduction, "ignore_index": -100})
                add_case("zero_weight", "focal_loss", random_input(shape, dtype), target, w,
                         {"reduction": reduction, "ignore_index": -100, "gamma": 2.0})


def lanes_layout(rows, inner):
    """(n, C, inner) input whose position (i, k) holds rows[i * inner + k]."""
    n = rows.shape[0] // inner
    return np.ascontiguousarray(rows.reshape(n, inner, C).transpose(0, 2, 1))


def lanes_cases():
    """K-dim float32 inputs with inner >= 16, which LossCore computes sixteen positions at a
    time (one vector lane per position), with tails of fewer than sixteen positions and a
    sample boundary inside a run; also the extreme and special rows in that layout."""
    dtype = np.float32
    shape = (2, C, 17)  # per sample: one run of 16 positions and a tail of 1
    for with_weight in (False, True):
        for variant, ignore_index in IGNORES:
            for smoothing in SMOOTHINGS:
                for reduction in REDUCTIONS:
                    add_case("lanes", "cross_entropy", random_input(shape, dtype), class_targets(shape, variant),
                             random_weight(dtype) if with_weight else None,
                             {"reduction": reduction, "ignore_index": ignore_index, "label_smoothing": smoothing})
            for gamma in GAMMAS if variant != "default_hit" else ():
                for reduction in REDUCTIONS:
                    add_case("lanes", "focal_loss", random_input(shape, dtype), class_targets(shape, variant),
                             random_weight(dtype) if with_weight else None,
                             {"reduction": reduction, "ignore_index": ignore_index, "gamma": gamma})
    shape4 = (1, C, 4, 5)  # inner 20 over two spatial dims
    for reduction in REDUCTIONS:
        for smoothing in (0.0, 0.1):
            add_case("lanes", "cross_entropy", random_input(shape4, dtype), class_targets(shape4, "in_range"),
                     random_weight(dtype), {"reduction": reduction, "ignore_index": 2, "label_smoothing": smoothing})
        add_case("lanes", "nll_loss", random_input(shape4, dtype), class_targets(shape4, "in_range"),
                 random_weight(dtype), {"reduction": reduction, "ignore_index": 2})
        for gamma in (0.5, 2.0):
            add_case("lanes", "focal_loss", random_input(shape4, dtype), class_targets(shape4, "in_range"),
                     random_weight(dtype), {"reduction": reduction, "ignore_index": 2, "gamma": gamma})
    # the extreme rows twice over (16 positions: exactly one run of lanes)
    rows, targets = extreme_rows()
    x = lanes_layout(np.concatenate([rows, rows[::-1]]), 16).astype(dtype)
    t = np.concatenate([targets, targets[::-1]]).reshape(1, 16)
    for reduction in REDUCTIONS:
        for with_weight in (False, True):
            w = random_weight(dtype) if with_weight else None
            for smoothing in (0.0, 0.1):
                add_case("extreme", "cross_entropy", x, t, w,
                         {"reduction": reduction, "ignore_index": -100, "label_smoothing": smoothing}, native=True)
            for gamma in GAMMAS:
                add_case("extreme", "focal_loss", x, t, w, {"reduction": reduction, "ignore_index": -100,
                                                            "gamma": gamma}, native=True, torch_nan_ok=True)
    # NaN / inf rows among ordinary ones, in lanes
    inf, nan = np.inf, np.nan
    special = np.array([[-inf, 0, 1, 2], [-inf, 0, 1, 2], [inf, 0, 1, 2], [nan, 0, 1, 2]])
    rows = np.concatenate([special, rng.normal(size=(12, C)) * 2])
    t = np.concatenate([[1, 0, 0, 1], rng.integers(0, C, size=12)]).astype(np.int64).reshape(1, 16)
    x = lanes_layout(rows, 16).astype(dtype)
    for reduction in REDUCTIONS:
        for smoothing in (0.0, 0.1):
            add_case("special", "cross_entropy", x, t, None,
                     {"reduction": reduction, "ignore_index": -100, "label_smoothing": smoothing})
        for gamma in (0.0, 0.5, 2.0):
            add_case("special", "focal_loss", x, t, None, {"reduction": reduction, "ignore_index": -100,
                                                           "gamma": gamma}, torch_nan_ok=True)


def torch_signatures():
    import inspect

    def describe(fn):
        return [[p.name, repr(p.default) if p.default is not inspect.Parameter.empty else None]
                for p in inspect.signature(fn).parameters.values()]

    return {
        "cross_entropy": describe(F.cross_entropy),
        "nll_loss": describe(F.nll_loss),
        "CrossEntropyLoss": describe(torch.nn.CrossEntropyLoss.__init__),
        "NLLLoss": describe(torch.nn.NLLLoss.__init__),
    }


def _utf8(text: str) -> np.ndarray:
    """A JSON document as uint8 bytes (loads without pickle, and 4x smaller than a str array)."""
    return np.frombuffer(text.encode("utf-8"), dtype=np.uint8)


def main():
    basic_cases()
    all_ignored_cases()
    empty_cases()
    extreme_cases()
    special_cases()
    zero_weight_cases()
    lanes_cases()
    arrays = POOLS.arrays()
    header = {
        "torch_version": torch.__version__,
        "seed": SEED,
        "classes": C,
        "signatures": torch_signatures(),
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(OUT, meta=_utf8(json.dumps(CASES, separators=(",", ":"))),
                        header=_utf8(json.dumps(header)), **arrays)
    groups = {}
    for case in CASES:
        groups[case["group"]] = groups.get(case["group"], 0) + 1
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes): {len(CASES)} cases {groups}", file=sys.stderr)


if __name__ == "__main__":
    main()
