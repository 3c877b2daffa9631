"""Reference cases of the elementwise family: l1, mse, smooth_l1, huber (torch computes them in
the arguments' own dtypes), binary_cross_entropy, binary_cross_entropy_with_logits and
sigmoid_focal_loss (torch in float64 on the very inputs LossCore gets).

A block is a function of a numpy Generator yielding Cases; its stream decides how the data
and the grad_outputs are drawn (see harness.PerBlock and harness.Shared).
"""
from __future__ import annotations

import math

import numpy as np

from harness import DTYPES, F32, F64, REDUCTIONS, Case, PerBlock, Shared, blocks

# The modules whose torch signatures the tests compare with LossCore's.
MODULES = ("L1Loss", "MSELoss", "SmoothL1Loss", "HuberLoss", "BCELoss", "BCEWithLogitsLoss", "SoftMarginLoss",
           "HingeEmbeddingLoss", "KLDivLoss", "PoissonNLLLoss")

regression = blocks(PerBlock(seed=20240611))
binary = blocks(Shared(seed=20250612, draw=lambda rng, shape, dtype: rng.normal(size=shape).astype(dtype)))

# Special-value units, each the (input, target) of a one-element call: NaN, +-Inf, then finite
# data inside and outside [0, 1]. Every loss of the family is run on each (harness.generate).
# A unit's position names it in the tests (test_bad_inputs.DISAGREE): append, never reorder.
_NAN, _INF = math.nan, math.inf
SPECIAL_UNITS = [(np.array([x], F64), np.array([t], F64)) for x, t in zip(
    [_NAN, _INF, -_INF, 0.25, 0.25, 0.25, _NAN, _INF, -_INF, _INF, 0.25, 1.0, 0.0, 2.0, 0.25, -0.5, 0.25],
    [0.25, 0.25, 0.25, _NAN, _INF, -_INF, _NAN, _INF, _INF, -_INF, 0.75, 1.0, 0.0, 0.25, -1.0, 1.5, 2.0])]

POINTWISE = ("l1_loss", "mse_loss", "smooth_l1_loss", "huber_loss")
WEIGHTED = ("l1_loss", "mse_loss", "huber_loss")
SHAPES = ((7,), (3, 5), (2, 3, 4))


def normal(rng, shape, dtype, scale=1.0):
    return (rng.standard_normal(shape) * scale).astype(dtype)


def uniform(rng, shape, dtype, low=0.0, high=2.0):
    return rng.uniform(low, high, shape).astype(dtype)


# --- l1, mse, smooth_l1, huber -------------------------------------------------------------------

@regression
def regression_basic(rng):
    """Every loss x dtype x reduction x 1-D..3-D shape, default options; the default reduction
    (no keyword at all) and the default grad_output."""
    for fn in POINTWISE:
        for dn, dt in DTYPES.items():
            for shape in SHAPES:
                for red in REDUCTIONS:
                    yield Case(fn, [normal(rng, shape, dt), normal(rng, shape, dt)], {"reduction": red},
                               group="basic")
            x, t = normal(rng, (5, 4), dt), normal(rng, (5, 4), dt)
            yield Case(fn, [x, t], {}, group="default-kwargs")
            yield Case(fn, [x, t], {"reduction": "sum"}, group="default-grad-output", grad_output=None)
            yield Case(fn, [x, t], {"reduction": "none"}, group="default-grad-output", grad_output=None)


@regression
def regression_scales(rng):
    """Large and small magnitudes; a longer input whose float32 sum exercises accumulation."""
    for fn in POINTWISE:
        for dn, dt in DTYPES.items():
            for scale in (1e-3, 1e3):
                x, t = normal(rng, (4, 6), dt, scale), normal(rng, (4, 6), dt, scale)
                for red in ("none", "mean"):
                    yield Case(fn, [x, t], {"reduction": red}, group=f"scale{scale:g}")
            yield Case(fn, [normal(rng, (1000,), dt), normal(rng, (1000,), dt)], {"reduction": "mean"}, group="long")


def option_sweep(rng, fn, option, values):
    """Every value of one option x dtype x reduction on (4, 6) normal data."""
    for value in values:
        for dt in DTYPES.values():
            for red in REDUCTIONS:
                yield Case(fn, [normal(rng, (4, 6), dt), normal(rng, (4, 6), dt)], {"reduction": red, option: value},
                           group=option)


@regression
def smooth_l1_beta(rng):
    """beta = 0 (exactly L1), tiny, around the data, large, infinite."""
    yield from option_sweep(rng, "smooth_l1_loss", "beta", (0.0, 1e-4, 0.05, 0.3, 0.5, 1.0, 2.0, 7.5, math.inf))


@regression
def huber_delta(rng):
    """delta tiny, around the data, large, infinite."""
    yield from option_sweep(rng, "huber_loss", "delta", (1e-4, 0.05, 0.3, 0.5, 1.0, 2.0, 7.5, math.inf))


@regression
def regression_weighted(rng):
    """weight of input's shape: weighted mean divides by sum(w) (l1, mse) or by n (huber);
    zero and negative weights are plain numbers to torch."""
    for fn in WEIGHTED:
        for dn, dt in DTYPES.items():
            for shape in SHAPES:
                for red in REDUCTIONS:
                    x, t, w = normal(rng, shape, dt), normal(rng, shape, dt), uniform(rng, shape, dt)
                    yield Case(fn, [x, t], {"reduction": red}, {"weight": w}, group="weighted")
            x, t = normal(rng, (10,), dt), normal(rng, (10,), dt)
            w = np.array([0, 1, 2, 0, 0.5, -1, 3, 0, 1, 0.25], dtype=dt)
            for red in REDUCTIONS:
                yield Case(fn, [x, t], {"reduction": red}, {"weight": w}, group="weighted-zero-negative")
        x, t, w = normal(rng, (3, 4), F64), normal(rng, (3, 4), F64), uniform(rng, (3, 4), F64)
        if fn == "huber_loss":
            for delta in (0.25, 2.0):
                for red in REDUCTIONS:
                    yield Case(fn, [x, t], {"reduction": red, "delta": delta}, {"weight": w}, group="weighted")


def kink_data(dt, k):
    """input/target pairs whose difference is exactly 0, +-k, just inside and just outside +-k
    (all dyadic values, exact in float32 and float64)."""
    t = np.array([0.0, 0.25, -0.5, 1.0, 0.25, -0.5, 0.0, 0.0, 3.0, -2.0, 0.5, 0.0], dtype=dt)
    d = np.array([0.0, 0.0, 0.0, k, -k, k, -k, k * 0.5, -k * 0.5, k * 2, -k * 2, k], dtype=dt)
    return (t + d).astype(dt), t


@regression
def regression_kinks(rng):
    """Exact zeros of the difference and |d| == beta / delta: torch's gradients at the kinks."""
    for dn, dt in DTYPES.items():
        for red in REDUCTIONS:
            x, t = kink_data(dt, 1.0)
            for fn in ("l1_loss", "mse_loss"):
                yield Case(fn, [x, t], {"reduction": red}, group="kinks")
                yield Case(fn, [x, t], {"reduction": red}, {"weight": uniform(rng, x.shape, dt)}, group="kinks")
            for beta in (0.0, 0.5, 1.0, 2.0):
                x, t = kink_data(dt, beta if beta > 0 else 1.0)
                yield Case("smooth_l1_loss", [x, t], {"reduction": red, "beta": beta}, group="kinks")
            for delta in (0.5, 1.0, 2.0):
                x, t = kink_data(dt, delta)
                yield Case("huber_loss", [x, t], {"reduction": red, "delta": delta}, group="kinks")
                yield Case("huber_loss", [x, t], {"reduction": red, "delta": delta},
                           {"weight": uniform(rng, x.shape, dt)}, group="kinks")


@regression
def regression_empty(rng):
    """Empty inputs: 'none' is empty, 'mean' NaN, 'sum' 0; gradients are empty."""
    for fn in POINTWISE:
        for dn, dt in DTYPES.items():
            for shape in ((0,), (0, 3), (2, 0, 4)):
                for red in REDUCTIONS:
                    yield Case(fn, [np.zeros(shape, dt), np.zeros(shape, dt)], {"reduction": red}, group="empty")
        if fn in WEIGHTED:
            for red in REDUCTIONS:
                e = np.zeros((0,), F64)
                yield Case(fn, [e, e.copy()], {"reduction": red}, {"weight": e.copy()}, group="empty")


BROADCASTS = (((3, 1), (3, 4)), ((4,), (3, 4)), ((3, 4), (4,)), ((2, 1, 4), (3, 1)), ((3, 4), (1,)),
              ((3, 4), ()), ((), (5,)), ((1, 4), (3, 1)))


@regression
def regression_broadcast(rng):
    """Target shapes that differ from the input's: torch warns, broadcasts both, and sums the
    gradient back to the input's shape."""
    for fn in POINTWISE:
        for dn, dt in DTYPES.items():
            for xs, ts in BROADCASTS:
                for red in REDUCTIONS:
                    opts = {"reduction": red, **{"smooth_l1_loss": {"beta": 0.5},
                                                 "huber_loss": {"delta": 0.5}}.get(fn, {})}
                    yield Case(fn, [normal(rng, xs, dt), normal(rng, ts, dt)], opts, group="broadcast")


@regression
def regression_broadcast_weighted(rng):
    """Weighted losses with a broadcast target: torch requires weight.shape == input.shape and
    multiplies the broadcast loss by it; its weighted l1/mse 'mean' divides by sum(weight) over
    the weight's own (unbroadcast) elements."""
    for fn in WEIGHTED:
        for dn, dt in DTYPES.items():
            for xs, ts in (((3, 1), (3, 4)), ((4,), (3, 4)), ((3, 4), (4,))):
                for red in REDUCTIONS:
                    x, t, w = normal(rng, xs, dt), normal(rng, ts, dt), uniform(rng, xs, dt)
                    yield Case(fn, [x, t], {"reduction": red}, {"weight": w}, group="broadcast")


@regression
def regression_nonfinite(rng):
    """NaN and +-Inf in input, target and weight propagate as in torch (values and gradients);
    a single NaN poisons the mean but not the other elements of 'none'."""
    x0 = np.array([0.0, np.nan, np.inf, 1.0, -np.inf, np.inf, 2.0, -1.0, np.nan, 0.5])
    t0 = np.array([0.0, 1.0, 1.0, np.inf, -np.inf, np.inf, np.nan, 0.0, np.nan, -np.inf])
    for fn in POINTWISE:
        for dn, dt in DTYPES.items():
            options = {"smooth_l1_loss": [{}, {"beta": 0.0}, {"beta": 0.5}],
                       "huber_loss": [{}, {"delta": 0.5}]}.get(fn, [{}])
            for opt in options:
                for red in REDUCTIONS:
                    yield Case(fn, [x0.astype(dt), t0.astype(dt)], {"reduction": red, **opt}, group="nonfinite")
            x, t = normal(rng, (3, 4), dt), normal(rng, (3, 4), dt)
            x[1, 2] = np.nan
            t[2, 0] = np.inf
            for red in REDUCTIONS:
                yield Case(fn, [x, t], {"reduction": red}, group="one-nan-one-inf")
            if fn in WEIGHTED:
                x, t = normal(rng, (6,), dt), normal(rng, (6,), dt)
                w = np.array([1.0, np.nan, 2.0, np.inf, 0.0, 1.0], dtype=dt)
                for red in REDUCTIONS:
                    yield Case(fn, [x, t], {"reduction": red}, {"weight": w}, group="nonfinite-weight")


@regression
def regression_legacy(rng):
    """The deprecated size_average / reduce flags (l1, mse, smooth_l1 accept them)."""
    flags = ({"size_average": False}, {"size_average": True}, {"reduce": False}, {"reduce": True},
             {"size_average": False, "reduce": True}, {"size_average": True, "reduce": False})
    for fn in ("l1_loss", "mse_loss", "smooth_l1_loss"):
        for flag in flags:
            yield Case(fn, [normal(rng, (3, 4), F64), normal(rng, (3, 4), F64)], dict(flag), group="legacy")


@regression
def regression_mixed_dtypes(rng):
    """float32 with float64 promotes to float64; the gradient has the input's own dtype."""
    for fn in ("l1_loss", "mse_loss", "smooth_l1_loss"):
        for xd, td in ((F32, F64), (F64, F32)):
            for red in REDUCTIONS:
                yield Case(fn, [normal(rng, (3, 4), xd), normal(rng, (3, 4), td)], {"reduction": red}, group="mixed")
    for fn in ("l1_loss", "mse_loss"):
        for red in REDUCTIONS:
            x, t, w = normal(rng, (3, 4), F32), normal(rng, (3, 4), F32), uniform(rng, (3, 4), F64)
            yield Case(fn, [x, t], {"reduction": red}, {"weight": w}, group="mixed")


@regression
def regression_refusals(rng):
    """Calls torch refuses; LossCore must refuse them too with ValueError/TypeError/IndexError."""
    x = normal(rng, (3,), F64)
    for fn in POINTWISE:
        yield Case(fn, [x, normal(rng, (4,), F64)], group="refuse")
        yield Case(fn, [normal(rng, (2, 3), F64), normal(rng, (3, 2), F64)], group="refuse")
        yield Case(fn, [x, x.copy()], {"reduction": "avg"}, group="refuse")
        yield Case(fn, [np.arange(3), np.arange(3)[::-1].copy()], group="refuse")
    for beta in (-1.0, -1e-12, math.nan):
        yield Case("smooth_l1_loss", [x, x + 1], {"beta": beta}, group="refuse")
    for delta in (0.0, -1.0, math.nan):
        yield Case("huber_loss", [x, x + 1], {"delta": delta}, group="refuse")
    for fn in WEIGHTED:
        yield Case(fn, [x, x + 1], {}, {"weight": uniform(rng, (2,), F64)}, group="refuse")
        yield Case(fn, [normal(rng, (3, 4), F64), normal(rng, (3, 4), F64)], {},
                   {"weight": uniform(rng, (4,), F64)}, group="refuse")


# --- binary_cross_entropy, binary_cross_entropy_with_logits, sigmoid_focal_loss ---------------------

def bce(group, fn, x, y, opts, **options):
    """A binary-family case: torch in float64 on the float32/float64 inputs LossCore gets."""
    arrays = {k: v for k in ("weight", "pos_weight") if (v := options.pop(k, None)) is not None}
    return Case(fn, [x, y], opts, arrays, group=group, compute="float64", **options)


def probabilities(rng, shape, dtype):
    """Probabilities in (0, 1), with exact 0 and 1 among them (the log clamp's edges)."""
    p = rng.uniform(0.02, 0.98, size=shape)
    flat = p.reshape(-1)
    if flat.size >= 4:
        flat[0], flat[-1] = 0.0, 1.0
        flat[flat.size // 2] = 1e-7
    return p.astype(dtype)


def targets(rng, shape, dtype, soft=True):
    """Binary targets, with some soft ones when `soft`."""
    t = rng.integers(0, 2, size=shape).astype(np.float64)
    if soft:
        flat = t.reshape(-1)
        flat[::3] = rng.uniform(0, 1, size=flat[::3].size)
    return t.astype(dtype)


def logits(rng, shape, dtype, extreme=False):
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


def positive(rng, shape, dtype):
    return None if shape is None else rng.uniform(0.2, 3.0, size=shape).astype(dtype)


FOCAL_OPTIONS = ((0.25, 2.0), (-1, 2.0), (0.5, 0.0), (0.0, 0.5), (1.0, 1.0), (0.75, 1.5), (0.25, 3.0))


@binary
def binary_grid(rng):
    """Every dtype x shape x reduction: BCE over the weight shapes torch broadcasts, the logits
    loss over weights and pos_weights (half of them with extreme logits), the focal loss over
    alphas and gammas."""
    for dtype in (F32, F64):
        for shape in SHAPES:
            for r_index, reduction in enumerate(REDUCTIONS):
                opts = {"reduction": reduction}
                for w_shape in weight_variants(shape)[r_index::3] or [None]:
                    yield bce("bce", "binary_cross_entropy", probabilities(rng, shape, dtype),
                              targets(rng, shape, dtype), opts, weight=positive(rng, w_shape, dtype),
                              native=dtype is F32)
                for k, pw_shape in enumerate(pos_weight_variants(shape)):
                    if k % 3 != r_index and pw_shape is not None:
                        continue
                    w_variants = weight_variants(shape)
                    w_shape = w_variants[(k + r_index) % len(w_variants)]
                    yield bce("bce_logits", "binary_cross_entropy_with_logits",
                              logits(rng, shape, dtype, extreme=(k % 2 == 0)), targets(rng, shape, dtype), opts,
                              weight=positive(rng, w_shape, dtype), pos_weight=positive(rng, pw_shape, dtype))
                for alpha, gamma in FOCAL_OPTIONS[r_index::2]:
                    yield bce("focal", "sigmoid_focal_loss", logits(rng, shape, dtype),
                              targets(rng, shape, dtype, soft=(gamma != 0.5)),
                              {"reduction": reduction, "alpha": alpha, "gamma": gamma})


@binary
def bce_edges(rng):
    """The log clamp of BCE: every combination of x, y in {0, 1} and tiny / near-1 inputs."""
    for dtype in (F32, F64):
        x = np.array([0.0, 0.0, 1.0, 1.0, 0.5, 1e-30, 1 - 1e-7, 1e-7], dtype=dtype)
        y = np.array([0.0, 1.0, 0.0, 1.0, 0.5, 0.5, 0.0, 1.0], dtype=dtype)
        for reduction in REDUCTIONS:
            yield bce("bce_edges", "binary_cross_entropy", x, y, {"reduction": reduction}, native=dtype is F32)


@binary
def logits_extreme(rng):
    """Logits of any size: +-800 (exp overflows in float32 and float64 without the stable form)."""
    for dtype in (F32, F64):
        x = np.array([-800.0, 800.0, -800.0, 800.0, -88.0, 89.0, -710.0, 710.0, 0.0], dtype=dtype)
        y = np.array([1.0, 0.0, 0.0, 1.0, 1.0, 0.0, 0.3, 0.7, 0.5], dtype=dtype)
        pw = np.array([2.5], dtype=dtype)
        for reduction in REDUCTIONS:
            opts = {"reduction": reduction}
            yield bce("logits_extreme", "binary_cross_entropy_with_logits", x, y, opts,
                      native=dtype is F32, flags=("finite",))
            yield bce("logits_extreme", "binary_cross_entropy_with_logits", x, y, opts, pos_weight=pw,
                      weight=positive(rng, x.shape, dtype), native=dtype is F32, flags=("finite",))
            yield bce("focal_extreme", "sigmoid_focal_loss", x, y, {**opts, "alpha": 0.25, "gamma": 2.0},
                      flags=("finite",))


@binary
def focal_saturated(rng):
    """1 - p_t rounds to 0 in float64 (|x| from 30 to 800): torchvision's 1 - p_t cancels and
    autograd is NaN for 0 < gamma < 1 (inf * 0), while the true values are finite; the
    reference is the formula at 60 digits, torch's result is kept beside it."""
    for dtype in (F32, F64):
        x = np.array([30.0, -30.0, 40.0, -40.0, 120.0, -120.0, 800.0, -800.0, 5.0, 30.0], dtype=dtype)
        y = np.array([1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0], dtype=dtype)
        for gamma in (0.5, 0.0, 1.0, 2.0):
            for reduction in REDUCTIONS:
                yield bce("focal_saturated", "sigmoid_focal_loss", x, y,
                          {"reduction": reduction, "alpha": 0.25, "gamma": gamma}, source="mpmath",
                          flags=("finite",))


@binary
def binary_empty_and_scalar(rng):
    """Empty inputs (NaN mean, 0 sum) and 0-d inputs."""
    for dtype in (F32, F64):
        for shape in ((0,), (0, 3)):
            for reduction in REDUCTIONS:
                e = np.zeros(shape, dtype=dtype)
                opts = {"reduction": reduction}
                yield bce("empty", "binary_cross_entropy", e, e, opts, grad_output=None)
                yield bce("empty", "binary_cross_entropy_with_logits", e, e, opts,
                          pos_weight=np.ones(shape[-1:], dtype=dtype), grad_output=None)
                yield bce("empty", "sigmoid_focal_loss", e, e, {**opts, "alpha": 0.25, "gamma": 2.0},
                          grad_output=None)
        for reduction in REDUCTIONS:
            opts = {"reduction": reduction}
            yield bce("scalar", "binary_cross_entropy", np.array(0.3, dtype=dtype), np.array(1.0, dtype=dtype),
                      opts, weight=np.array(2.0, dtype=dtype))
            yield bce("scalar", "binary_cross_entropy_with_logits", np.array(-1.5, dtype=dtype),
                      np.array(1.0, dtype=dtype), opts, pos_weight=np.array(3.0, dtype=dtype))
            yield bce("scalar", "sigmoid_focal_loss", np.array(0.7, dtype=dtype), np.array(0.0, dtype=dtype),
                      {**opts, "alpha": 0.25, "gamma": 2.0})


# --- soft_margin_loss ------------------------------------------------------------------------------

@regression
def soft_margin(rng):
    """Targets -1/1 and soft ones x dtype x reduction x shape; targets broadcast into the input
    (and refused where they would enlarge it); integer targets; margins far beyond float32's
    exp, where torch's float32 log1p(exp(-y x)) overflows (float64 references there; where even
    float64 overflows, or torch's gradient is inf / inf, LossCore keeps the true, finite
    value); NaN and Inf; empty and 0-d inputs; the deprecated flags."""
    fn = "soft_margin_loss"
    for dn, dt in DTYPES.items():
        for shape in SHAPES:
            for red in REDUCTIONS:
                x = normal(rng, shape, dt, 2.0)
                yield Case(fn, [x, np.sign(normal(rng, shape, dt)).astype(dt)], {"reduction": red}, group="signs")
                yield Case(fn, [x, normal(rng, shape, dt)], {"reduction": red}, group="soft")
        x = normal(rng, (3, 4), dt, 2.0)
        for t in (np.sign(normal(rng, (4,), dt)).astype(dt), np.sign(normal(rng, (3, 1), dt)).astype(dt)):
            for red in REDUCTIONS:
                yield Case(fn, [x, t], {"reduction": red}, group="broadcast")
        yield Case(fn, [x, np.ones((2, 3, 4), dt)], {}, group="refused-enlarging-target")
        yield Case(fn, [x, np.where(normal(rng, (3, 4), dt) > 0, 1, -1).astype(np.int64)], {"reduction": "sum"},
                   group="integer-target")
        far = np.array([100.0, -100.0, 95.0, -200.0, 0.0, 1e4], dtype=dt)
        for red in REDUCTIONS:
            yield Case(fn, [far, np.array([-1.0, 1.0, -1.0, 1.0, 1.0, -1.0], dtype=dt)], {"reduction": red},
                       group="far-margins", compute="float64", flags=("where_torch_finite", "finite"))
        nonfinite = np.array([np.nan, np.inf, -np.inf, 1.0, 0.5, 0.0], dtype=dt)
        for red in REDUCTIONS:
            yield Case(fn, [nonfinite, np.array([1.0, 1.0, 1.0, np.nan, np.inf, np.inf], dtype=dt)],
                       {"reduction": red}, group="nonfinite", compute="float64", flags=("where_torch_finite",))
        for shape in ((0,), ()):
            for red in REDUCTIONS:
                yield Case(fn, [normal(rng, shape, dt), np.ones(shape, dt)], {"reduction": red},
                           group="empty" if shape else "scalar", grad_output=None)
        yield Case(fn, [x, np.sign(normal(rng, (3, 4), dt)).astype(dt)], {"size_average": False},
                   group="legacy")
        yield Case(fn, [x, np.sign(normal(rng, (3, 4), dt)).astype(dt)], {}, group="default-kwargs")


# --- hinge_embedding_loss --------------------------------------------------------------------------

@regression
def hinge_embedding(rng):
    """Targets 1/-1 (and others, which take both terms) x margins x dtype x reduction x shape;
    inputs at the margin (the clamp's gradient passes there); broadcasts both ways (no
    warning); integer targets; NaN and Inf; empty and 0-d inputs; the deprecated flags."""
    fn = "hinge_embedding_loss"

    def signs(shape, dt):
        return np.where(rng.random(shape) < 0.5, -1.0, 1.0).astype(dt)

    for dn, dt in DTYPES.items():
        for shape in SHAPES:
            for red in REDUCTIONS:
                yield Case(fn, [uniform(rng, shape, dt, -1.0, 3.0), signs(shape, dt)], {"reduction": red}, group="signs")
        for margin in (0.5, 2.0, -0.5, 0.0):
            for red in REDUCTIONS:
                yield Case(fn, [uniform(rng, (4, 6), dt, -1.0, 3.0), signs((4, 6), dt)],
                           {"reduction": red, "margin": margin}, group="margin")
        for red in REDUCTIONS:
            at = np.array([1.0, 1.0, 0.5, 2.0, 0.0, -1.0], dtype=dt)
            yield Case(fn, [at, np.array([-1.0, 1.0, -1.0, -1.0, 0.5, 2.0], dtype=dt)], {"reduction": red},
                       group="at-margin-and-other-targets")
        x = uniform(rng, (3, 4), dt, -1.0, 3.0)
        for t in (signs((4,), dt), signs((3, 1), dt)):
            for red in REDUCTIONS:
                yield Case(fn, [x, t], {"reduction": red}, group="broadcast")
        yield Case(fn, [uniform(rng, (4,), dt, -1.0, 3.0), signs((3, 4), dt)], {"reduction": "none"},
                   group="broadcast-input")
        yield Case(fn, [x, np.where(rng.random((3, 4)) < 0.5, -1, 1).astype(np.int64)], {"reduction": "sum"},
                   group="integer-target")
        nonfinite = np.array([np.nan, np.nan, np.inf, -np.inf, 1.0, np.inf], dtype=dt)
        for red in REDUCTIONS:
            yield Case(fn, [nonfinite, np.array([1.0, -1.0, -1.0, 1.0, np.nan, 1.0], dtype=dt)], {"reduction": red},
                       group="nonfinite")
        yield Case(fn, [x, signs((3, 4), dt)], {"reduction": "mean", "margin": np.inf}, group="infinite-margin")
        for shape in ((0,), ()):
            for red in REDUCTIONS:
                yield Case(fn, [uniform(rng, shape, dt), np.ones(shape, dt)], {"reduction": red},
                           group="empty" if shape else "scalar", grad_output=None)
        yield Case(fn, [x, signs((3, 4), dt)], {"reduce": False}, group="legacy")
        yield Case(fn, [x, signs((3, 4), dt)], {}, group="default-kwargs")


# --- kl_div ------------------------------------------------------------------------------------------

def log_probabilities(rng, shape, dt):
    """Rows of log-softmax values along the last dimension."""
    z = rng.standard_normal(shape)
    if len(shape) and shape[-1]:
        z = z - np.log(np.sum(np.exp(z), axis=-1, keepdims=True))
    return z.astype(dt)


@regression
def kl_div(rng):
    """Probability and log-probability targets x dtype x every reduction ('batchmean' too) x
    shape; zeros in the target (xlogy's 0), negative targets (NaN), large log-targets (exp
    overflows); broadcasts both ways ('batchmean' divides by input's first dimension even when
    the target enlarges the shape); NaN and Inf; empty and 0-d inputs; integers (refused);
    torch's warning for 'mean'; the deprecated flags."""
    fn = "kl_div"
    reductions = REDUCTIONS + ("batchmean",)
    for dn, dt in DTYPES.items():
        for shape in SHAPES:
            for log_target in (False, True):
                for red in reductions:
                    x, t = log_probabilities(rng, shape, dt), np.exp(log_probabilities(rng, shape, np.float64))
                    yield Case(fn, [x, (np.log(t) if log_target else t).astype(dt)],
                               {"reduction": red, "log_target": log_target}, group="distributions")
        x = log_probabilities(rng, (2, 6), dt)
        for red in reductions:
            yield Case(fn, [x, np.array([[0.0, 0.5, 0.0, 0.25, 0.25, 0.0], [1.0, 0.0, 0.0, -0.5, 2.0, 0.0]], dt)],
                       {"reduction": red}, group="zero-and-negative-targets")
            yield Case(fn, [x, np.array([[-1e30, -100.0, -88.0, 0.0, 80.0, 89.0], [100.0, -np.inf, -20.0, 3.0, 1e-30, -1e-30]], dt)],
                       {"reduction": red, "log_target": True}, group="extreme-log-targets")
            yield Case(fn, [np.array([np.nan, np.inf, -np.inf, 0.5, 1.0, -np.inf], dt),
                            np.array([0.5, 0.5, 0.5, np.nan, np.inf, 0.0], dt)], {"reduction": red}, group="nonfinite")
            yield Case(fn, [np.array([np.nan, np.inf, -np.inf, 0.5, 1.0, -np.inf], dt),
                            np.array([0.5, 0.5, -np.inf, np.nan, np.inf, -np.inf], dt)],
                       {"reduction": red, "log_target": True}, group="nonfinite")
        for xs, ts in (((3, 4), (4,)), ((4,), (3, 4)), ((3, 1), (3, 4)), ((2, 3), ())):
            for red in reductions:
                yield Case(fn, [log_probabilities(rng, xs, dt), np.exp(log_probabilities(rng, ts, np.float64)).astype(dt)],
                           {"reduction": red}, group="broadcast")
        for shape in ((0,), (0, 3), ()):
            for red in reductions:
                yield Case(fn, [log_probabilities(rng, shape, dt), np.full(shape, 0.5, dt)], {"reduction": red},
                           group="empty" if shape else "scalar", grad_output=None)
        yield Case(fn, [x, np.exp(log_probabilities(rng, (2, 6), np.float64)).astype(dt)], {"reduce": False}, group="legacy")
        yield Case(fn, [x, np.exp(log_probabilities(rng, (2, 6), np.float64)).astype(dt)], {}, group="default-kwargs")
    yield Case(fn, [log_probabilities(rng, (3, 4), F32), np.ones((3, 4), np.int64)], {"reduction": "sum"},
               group="integer-target")
    yield Case(fn, [log_probabilities(rng, (3, 4), F32), np.ones((3, 4), F64) / 4], {"reduction": "batchmean"},
               group="mixed-dtypes")
    yield Case(fn, [log_probabilities(rng, (64, 100), F32), np.exp(log_probabilities(rng, (64, 100), F64)).astype(F32)],
               {"reduction": "batchmean"}, group="long")


# --- poisson_nll_loss --------------------------------------------------------------------------------

def counts(rng, shape, dt):
    return rng.poisson(2.0, shape).astype(dt)


@regression
def poisson_nll(rng):
    """Log-rates and rates x full x eps x dtype x reduction x shape; counts 0, 1 (the Stirling
    mask's edge), fractional and large; zero and negative rates (eps decides; NaN below);
    large log-rates (exp overflows); NaN and Inf; broadcasts both ways (no warning); integer
    targets; empty and 0-d inputs; the deprecated flags."""
    fn = "poisson_nll_loss"
    for dn, dt in DTYPES.items():
        for shape in SHAPES:
            for log_input in (True, False):
                for full in (False, True):
                    for red in REDUCTIONS:
                        x = normal(rng, shape, dt) if log_input else uniform(rng, shape, dt, 0.1, 4.0)
                        yield Case(fn, [x, counts(rng, shape, dt)], {"reduction": red, "log_input": log_input,
                                                                     "full": full}, group="rates")
        t = np.array([0.0, 1.0, 1.5, 2.0, 0.5, 7.0, 1e4, 3.0], dt)
        for eps in (1e-8, 0.5, 0.0, -0.25):
            for red in REDUCTIONS:
                x = np.array([0.0, 1.0, 2.0, 1e-9, 0.25, 3.0, 1e4, -0.1], dt)
                yield Case(fn, [x, t], {"reduction": red, "log_input": False, "full": True, "eps": eps}, group="eps")
        for red in REDUCTIONS:
            yield Case(fn, [np.array([-100.0, -88.0, 0.0, 80.0, 88.0, 89.0, 100.0, 1e-30], dt), t],
                       {"reduction": red, "full": True}, group="extreme-log-rates")
            for log_input in (True, False):
                yield Case(fn, [np.array([np.nan, np.inf, -np.inf, 0.5, 1.0, 2.0, np.inf, 0.5], dt),
                                np.array([1.0, 2.0, 2.0, np.nan, np.inf, -np.inf, 0.0, -1.0], dt)],
                           {"reduction": red, "log_input": log_input, "full": True}, group="nonfinite")
        for xs, ts in (((3, 4), (4,)), ((4,), (3, 4)), ((3, 1), (1, 4))):
            for red in REDUCTIONS:
                yield Case(fn, [normal(rng, xs, dt), counts(rng, ts, dt)], {"reduction": red}, group="broadcast")
        x = normal(rng, (3, 4), dt)
        # (full with a float64 input: torch computes the Stirling term of integer counts in
        # float32, its default dtype; the library in the input's type)
        yield Case(fn, [x, rng.poisson(2.0, (3, 4)).astype(np.int64)], {"reduction": "sum", "full": dt == F32},
                   group="integer-target")
        for shape in ((0,), ()):
            for red in REDUCTIONS:
                yield Case(fn, [normal(rng, shape, dt), np.full(shape, 3.0, dt)], {"reduction": red, "full": True},
                           group="empty" if shape else "scalar", grad_output=None)
        yield Case(fn, [x, counts(rng, (3, 4), dt)], {"size_average": False}, group="legacy")
        yield Case(fn, [x, counts(rng, (3, 4), dt)], {}, group="default-kwargs")


BLOCKS = regression.collected + binary.collected
