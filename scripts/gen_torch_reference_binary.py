#!/usr/bin/env python3
"""Generates bindings/python/tests/data/torch_reference_binary.npz: PyTorch's values and
autograd gradients for the binary family (binary_cross_entropy,
binary_cross_entropy_with_logits, and torchvision.ops.sigmoid_focal_loss), which
test_binary.py checks LossCore against. torch is needed only here, never by the tests:

    /work/.venv-torch/bin/python scripts/gen_torch_reference_binary.py

torchvision's import is broken in that environment, so sigmoid_focal_loss is reproduced
below from the body of torchvision/ops/focal_loss.py (the same torch ops, verbatim).

Every case records:
  * the inputs as LossCore receives them (float32 cases hold float32 values), including
    `weight` and `pos_weight` in the shapes torch broadcasts;
  * `loss`, `grad`: torch's result in float64 on exactly those inputs (float32 inputs are
    widened first, so the reference is not blurred by torch's own float32 rounding), for a
    random grad_output ('none') or a non-1 float ('mean'/'sum'), or torch's default (ones)
    when grad_output is "default";
  * `loss_native` (float32 cases only): torch run in float32, what a float32 torch user gets.

Saturated focal cases (group 'focal_saturated': |x| from 30 to 800, where 1 - p_t rounds to
0 in float64) cannot take torch's float64 result as the truth: torchvision computes
1 - p_t with cancellation, and autograd returns NaN for 0 < gamma < 1 there (inf * 0),
while the true values are finite. Their `loss`/`grad` are evaluated with mpmath at 60
digits from the same formula and its analytic derivative; `torch_loss`/`torch_grad` keep
what torch says. The script checks that the mpmath formula agrees with torch on every
ordinary focal case, so both references describe the same function.

Format: all arrays of a dtype are packed into one flat pool (`pool_f32`, `pool_f64`);
`meta` (UTF-8 JSON as uint8) holds {"format", "torch", "cases"} where each case has its
options and, for every array, [pool, offset, shape].
"""
from __future__ import annotations

import json
import pathlib

import mpmath
import numpy as np
import torch
import torch.nn.functional as F

SEED = 20250612
FORMAT = 1
REDUCTIONS = ("none", "mean", "sum")
DTYPES = (np.float32, np.float64)
SCALAR_GRAD_OUTPUTS = (0.375, -1.75, 2.5)  # exact in float32
SHAPES = ((7,), (3, 5), (2, 3, 4))

OUT = pathlib.Path(__file__).resolve().parents[1] / "bindings/python/tests/data/torch_reference_binary.npz"

rng = np.random.default_rng(SEED)
torch.manual_seed(SEED)
mpmath.mp.dps = 60


class Pools:
    def __init__(self):
        self.parts = {"f32": [], "f64": []}
        self.sizes = {"f32": 0, "f64": 0}

    def add(self, array):
        array = np.asarray(array)
        pool = {np.dtype(np.float32): "f32", np.dtype(np.float64): "f64"}[array.dtype]
        offset = self.sizes[pool]
        self.parts[pool].append(array.ravel())
        self.sizes[pool] += array.size
        return [pool, offset, list(array.shape)]

    def arrays(self):
        dtypes = {"f32": np.float32, "f64": np.float64}
        return {f"pool_{k}": (np.concatenate(v) if v else np.zeros(0)).astype(dtypes[k])
                for k, v in self.parts.items()}


POOLS = Pools()
CASES = []
COUNTER = [0]


# --- the torch functions --------------------------------------------------------------------

def torchvision_sigmoid_focal_loss(inputs, targets, alpha=0.25, gamma=2, reduction="none"):
    """The body of torchvision.ops.sigmoid_focal_loss (torchvision/ops/focal_loss.py)."""
    if not (0 <= alpha <= 1) and alpha != -1:
        raise ValueError(f"Invalid alpha value: {alpha}. alpha must be in the range [0,1] or -1 for ignore.")
    p = torch.sigmoid(inputs)
    ce_loss = F.binary_cross_entropy_with_logits(inputs, targets, reduction="none")
    p_t = p * targets + (1 - p) * (1 - targets)
    loss = ce_loss * ((1 - p_t) ** gamma)
    if alpha >= 0:
        alpha_t = alpha * targets + (1 - alpha) * (1 - targets)
        loss = alpha_t * loss
    if reduction == "none":
        pass
    elif reduction == "mean":
        loss = loss.mean()
    elif reduction == "sum":
        loss = loss.sum()
    else:
        raise ValueError(f"Invalid Value for arg 'reduction': '{reduction} \n "
                         "Supported reduction modes: 'none', 'mean', 'sum'")
    return loss


def torch_call(fn, x, y, w, pw, opts):
    if fn == "binary_cross_entropy":
        return F.binary_cross_entropy(x, y, weight=w, reduction=opts["reduction"])
    if fn == "binary_cross_entropy_with_logits":
        return F.binary_cross_entropy_with_logits(x, y, weight=w, pos_weight=pw, reduction=opts["reduction"])
    if fn == "sigmoid_focal_loss":
        return torchvision_sigmoid_focal_loss(x, y, alpha=opts["alpha"], gamma=opts["gamma"],
                                              reduction=opts["reduction"])
    raise ValueError(fn)


def run_torch(fn, x_np, y_np, w_np, pw_np, opts, go, compute_dtype):
    tdt = {np.float32: torch.float32, np.float64: torch.float64}[compute_dtype]

    def tensor(a):
        return None if a is None else torch.tensor(np.asarray(a).astype(compute_dtype), dtype=tdt)

    x = torch.tensor(x_np.astype(compute_dtype), dtype=tdt, requires_grad=True)
    loss = torch_call(fn, x, tensor(y_np), tensor(w_np), tensor(pw_np), opts)
    if go is None:
        gradient = torch.ones_like(loss)
    elif np.ndim(go) == 0:
        gradient = torch.tensor(float(go), dtype=tdt)
    else:
        gradient = tensor(go)
    loss.backward(gradient)
    grad = x.grad if x.grad is not None else torch.zeros_like(x)
    return loss.detach().numpy(), grad.numpy()


# --- mpmath reference of the focal loss (formula and analytic derivative) -------------------

def mp_focal(x, y, alpha, gamma):
    """(l, dl/dx) of one element, at 60 digits."""
    x, y = mpmath.mpf(float(x)), mpmath.mpf(float(y))
    p = 1 / (1 + mpmath.exp(-x))
    not_p = 1 / (1 + mpmath.exp(x))  # 1 - p, which 60 digits cannot resolve at |x| = 800
    ce = (1 - y) * x + mpmath.log1p(mpmath.exp(-x))  # softplus(-x)
    q = p * (1 - y) + not_p * y
    a = alpha * y + (1 - alpha) * (1 - y) if alpha >= 0 else mpmath.mpf(1)
    f = q ** gamma if gamma != 0 else mpmath.mpf(1)
    second = gamma * ce * (1 - 2 * y) * p * not_p * q ** (gamma - 1) if gamma != 0 else 0
    return a * ce * f, a * ((p - y) * f + second)


def mp_focal_call(x_np, y_np, opts, go):
    """The whole call (reduction and grad_output) from mp_focal, rounded to float64."""
    values, slopes = [], []
    for xi, yi in zip(x_np.ravel(), y_np.ravel()):
        v, s = mp_focal(xi, yi, opts["alpha"], opts["gamma"])
        values.append(v)
        slopes.append(s)
    n = len(values)
    reduction = opts["reduction"]
    if reduction == "none":
        g = np.ones(x_np.shape) if go is None else np.asarray(go, dtype=np.float64)
        loss = np.array([float(v) for v in values]).reshape(x_np.shape)
        grad = np.array([float(s * mpmath.mpf(float(gi))) for s, gi in zip(slopes, g.ravel())]).reshape(x_np.shape)
        return loss, grad
    g = mpmath.mpf(1.0 if go is None else float(go))
    total = mpmath.fsum(values)
    divisor = mpmath.mpf(n) if reduction == "mean" else mpmath.mpf(1)
    loss = np.array(float(total / divisor) if n else (np.nan if reduction == "mean" else 0.0))
    grad = np.array([float(s * g / divisor) for s in slopes]).reshape(x_np.shape)
    return loss, grad


# --- cases ----------------------------------------------------------------------------------

def pick_grad_output(reduction, shape, dtype):
    """Every fourth case uses torch's default (ones); the others a random or non-1 grad_output."""
    COUNTER[0] += 1
    if COUNTER[0] % 4 == 0:
        return None
    if reduction == "none":
        return rng.normal(size=shape).astype(dtype)
    return SCALAR_GRAD_OUTPUTS[COUNTER[0] % len(SCALAR_GRAD_OUTPUTS)]


def add_case(group, fn, x, y, opts, *, weight=None, pos_weight=None, go="pick", reference="torch"):
    dtype = x.dtype.type
    if isinstance(go, str):
        go = pick_grad_output(opts["reduction"], x.shape, dtype)
    loss, grad = run_torch(fn, x, y, weight, pos_weight, opts, go, np.float64)
    case = {
        "name": f"{group}/{fn}/{len(CASES)}",
        "group": group,
        "fn": fn,
        "dtype": np.dtype(dtype).name,
        "reduction": opts["reduction"],
        "alpha": opts.get("alpha"),
        "gamma": opts.get("gamma"),
        "reference": reference,
        "input": POOLS.add(x),
        "target": POOLS.add(y),
        "weight": None if weight is None else POOLS.add(weight),
        "pos_weight": None if pos_weight is None else POOLS.add(pos_weight),
    }
    if fn == "sigmoid_focal_loss":
        mp_loss, mp_grad = mp_focal_call(x, y, opts, go)
        if reference == "mpmath":
            case["torch_loss"] = POOLS.add(np.asarray(loss, dtype=np.float64))
            case["torch_grad"] = POOLS.add(np.asarray(grad, dtype=np.float64))
            loss, grad = mp_loss, mp_grad
        else:
            # The analytic formula and torchvision's expression describe the same function.
            np.testing.assert_allclose(mp_loss, loss, rtol=1e-9, atol=1e-300, err_msg=case["name"])
            np.testing.assert_allclose(mp_grad, grad, rtol=1e-8, atol=1e-14, err_msg=case["name"])
    case["loss"] = POOLS.add(np.asarray(loss, dtype=np.float64))
    case["grad"] = POOLS.add(np.asarray(grad, dtype=np.float64))
    if go is None:
        case["grad_output"] = "default"
    elif np.ndim(go) == 0:
        case["grad_output"] = float(go)
    else:
        case["grad_output"] = POOLS.add(np.asarray(go, dtype=dtype))
    if dtype is np.float32:
        loss32, _ = run_torch(fn, x, y, weight, pos_weight, opts, go, np.float32)
        case["loss_native"] = POOLS.add(np.asarray(loss32, dtype=np.float32))
    CASES.append(case)


def probabilities(shape, dtype, edges=True):
    """Probabilities in (0, 1), with exact 0 and 1 among them (the log clamp's edges)."""
    p = rng.uniform(0.02, 0.98, size=shape)
    flat = p.reshape(-1)
    if edges and flat.size >= 4:
        flat[0], flat[-1] = 0.0, 1.0
        flat[flat.size // 2] = 1e-7
    return p.astype(dtype)


def targets(shape, dtype, soft=True):
    """Binary targets, with some soft ones when `soft`."""
    t = rng.integers(0, 2, size=shape).astype(np.float64)
    if soft:
        flat = t.reshape(-1)
        flat[::3] = rng.uniform(0, 1, size=flat[::3].size)
    return t.astype(dtype)


def logits(shape, dtype, extreme=False):
    x = rng.normal(size=shape) * 3
    if extreme:
        flat = x.reshape(-1)
        specials = [-800.0, 800.0, -100.0, 100.0, -20.0, 20.0, 0.0, -1e-3]
        flat[:min(len(specials), flat.size)] = specials[:flat.size]
    return x.astype(dtype)


def weight_variants(shape):
    """Weight shapes torch broadcasts to the input's shape (None first)."""
    variants = [None, shape, shape[-1:], ()]
    if len(shape) >= 2:
        variants += [(shape[0],) + (1,) * (len(shape) - 1)]
    if len(shape) == 3:
        variants += [(1, shape[1], 1)]
    return variants


def pos_weight_variants(shape):
    """pos_weight shapes: along the last dim (C,), a scalar, (1,), (1, .., C), and broadcasts
    the binding must expand ((N, 1), the full shape)."""
    variants = [None, shape[-1:], (), (1,)]
    if len(shape) >= 2:
        variants += [(1,) * (len(shape) - 1) + shape[-1:], (shape[0],) + (1,) * (len(shape) - 1), shape]
    return variants


def positive(shape, dtype):
    return None if shape is None else rng.uniform(0.2, 3.0, size=shape).astype(dtype)


def main():
    for dtype in DTYPES:
        for shape in SHAPES:
            for r_index, reduction in enumerate(REDUCTIONS):
                opts = {"reduction": reduction}
                # binary_cross_entropy: every weight variant over the reductions.
                for w_shape in weight_variants(shape)[r_index::3] or [None]:
                    add_case("bce", "binary_cross_entropy", probabilities(shape, dtype), targets(shape, dtype),
                             opts, weight=positive(w_shape, dtype))
                # with logits: weights and pos_weights, with extreme logits.
                for k, pw_shape in enumerate(pos_weight_variants(shape)):
                    if k % 3 != r_index and pw_shape is not None:
                        continue
                    w_variants = weight_variants(shape)
                    w_shape = w_variants[(k + r_index) % len(w_variants)]
                    add_case("bce_logits", "binary_cross_entropy_with_logits",
                             logits(shape, dtype, extreme=(k % 2 == 0)), targets(shape, dtype), opts,
                             weight=positive(w_shape, dtype), pos_weight=positive(pw_shape, dtype))
                # sigmoid focal loss: alphas and gammas.
                for alpha, gamma in ((0.25, 2.0), (-1, 2.0), (0.5, 0.0), (0.0, 0.5), (1.0, 1.0), (0.75, 1.5),
                                     (0.25, 3.0))[r_index::2]:
                    add_case("focal", "sigmoid_focal_loss", logits(shape, dtype),
                             targets(shape, dtype, soft=(gamma != 0.5)),
                             {"reduction": reduction, "alpha": alpha, "gamma": gamma})

    # The log clamp of BCE: every combination of x, y in {0, 1} and tiny / near-1 inputs.
    for dtype in DTYPES:
        x = np.array([0.0, 0.0, 1.0, 1.0, 0.5, 1e-30, 1 - 1e-7, 1e-7], dtype=dtype)
        y = np.array([0.0, 1.0, 0.0, 1.0, 0.5, 0.5, 0.0, 1.0], dtype=dtype)
        for reduction in REDUCTIONS:
            add_case("bce_edges", "binary_cross_entropy", x, y, {"reduction": reduction})

    # Logits of any size: +-800 (exp overflows in float32 and float64 without the stable form).
    for dtype in DTYPES:
        x = np.array([-800.0, 800.0, -800.0, 800.0, -88.0, 89.0, -710.0, 710.0, 0.0], dtype=dtype)
        y = np.array([1.0, 0.0, 0.0, 1.0, 1.0, 0.0, 0.3, 0.7, 0.5], dtype=dtype)
        pw = np.array([2.5], dtype=dtype)
        for reduction in REDUCTIONS:
            add_case("logits_extreme", "binary_cross_entropy_with_logits", x, y, {"reduction": reduction})
            add_case("logits_extreme", "binary_cross_entropy_with_logits", x, y, {"reduction": reduction},
                     pos_weight=pw, weight=positive(x.shape, dtype))
            add_case("focal_extreme", "sigmoid_focal_loss", x, y,
                     {"reduction": reduction, "alpha": 0.25, "gamma": 2.0})

    # Saturated focal: 1 - p_t rounds to 0; torch's gradient is NaN for 0 < gamma < 1.
    for dtype in DTYPES:
        x = np.array([30.0, -30.0, 40.0, -40.0, 120.0, -120.0, 800.0, -800.0, 5.0, 30.0], dtype=dtype)
        y = np.array([1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0], dtype=dtype)
        for gamma in (0.5, 0.0, 1.0, 2.0):
            for reduction in REDUCTIONS:
                add_case("focal_saturated", "sigmoid_focal_loss", x, y,
                         {"reduction": reduction, "alpha": 0.25, "gamma": gamma}, reference="mpmath")

    # Empty inputs (NaN mean, 0 sum) and 0-d inputs.
    for dtype in DTYPES:
        for shape in ((0,), (0, 3)):
            for reduction in REDUCTIONS:
                e = np.zeros(shape, dtype=dtype)
                add_case("empty", "binary_cross_entropy", e, e, {"reduction": reduction}, go=None)
                add_case("empty", "binary_cross_entropy_with_logits", e, e, {"reduction": reduction},
                         pos_weight=np.ones(shape[-1:], dtype=dtype), go=None)
                add_case("empty", "sigmoid_focal_loss", e, e,
                         {"reduction": reduction, "alpha": 0.25, "gamma": 2.0}, go=None)
        for reduction in REDUCTIONS:
            add_case("scalar", "binary_cross_entropy", np.array(0.3, dtype=dtype), np.array(1.0, dtype=dtype),
                     {"reduction": reduction}, weight=np.array(2.0, dtype=dtype))
            add_case("scalar", "binary_cross_entropy_with_logits", np.array(-1.5, dtype=dtype),
                     np.array(1.0, dtype=dtype), {"reduction": reduction}, pos_weight=np.array(3.0, dtype=dtype))
            add_case("scalar", "sigmoid_focal_loss", np.array(0.7, dtype=dtype), np.array(0.0, dtype=dtype),
                     {"reduction": reduction, "alpha": 0.25, "gamma": 2.0})

    meta = {"format": FORMAT, "torch": torch.__version__, "seed": SEED, "cases": CASES}
    arrays = POOLS.arrays()
    arrays["meta"] = np.frombuffer(json.dumps(meta).encode("utf-8"), dtype=np.uint8)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(OUT, **arrays)
    groups = {}
    for case in CASES:
        groups[case["group"]] = groups.get(case["group"], 0) + 1
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes): {len(CASES)} cases {groups}")


if __name__ == "__main__":
    main()
