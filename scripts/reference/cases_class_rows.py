"""Reference cases of the class-rows family: cross_entropy with class-index and probability
targets, nll_loss, and the multi-class focal loss
    focal_loss = nll_loss(((1 - softmax(x)) ** gamma) * log_softmax(x), target, weight, ignore_index)
with the class dimension at dim 1 (dim 0 for an unbatched (C,) input).

torch runs in float64 on exactly the inputs LossCore gets (float32 cases hold float32 values),
so a float32 reference is the exact value rounded once; the 'extreme' cases also record torch
in float32 (native), whose focal gradient may be NaN where p_t rounds to 1 and gamma < 1.
Random data lies on a 2^-16 (float64) or 2^-12 (float32) grid (harness.quantize).
"""
from __future__ import annotations

import numpy as np

from harness import F32, F64, PICK, REDUCTIONS, Case, Shared, blocks, quantize

MODULES = ("CrossEntropyLoss", "NLLLoss")

C = 4
SHAPES = {"1d": (C,), "2d": (3, C), "3d": (2, C, 3), "4d": (2, C, 2, 2)}
SMOOTHINGS = (0.0, 0.1, 1.0)
GAMMAS = (0.0, 0.5, 1.0, 2.0, 5.0)
# ignore variants: (name, ignore_index); 'default_hit' puts -100 into some targets,
# 'in_range' uses ignore_index = 2 (a real class) and puts 2 into some targets.
IGNORES = (("none", -100), ("default_hit", -100), ("in_range", 2))


# Special-value units, each the (input, target) of a one-row call of 3 class scores: NaN and
# +-Inf scores, ties, an all -inf row. Every loss of the family is run on each (harness.generate).
# A unit's position names it in the tests (test_bad_inputs.DISAGREE): append, never reorder.
_NAN, _INF = np.nan, np.inf
SPECIAL_UNITS = [(np.array([row], F64), np.array([target], np.int64)) for row, target in zip(
    [[_NAN, 0, 1], [_INF, 0, 1], [-_INF, 0, 1], [0, -_INF, 1], [0, 1, 2], [_INF, _INF, 0], [-_INF, -_INF, -_INF],
     [1, _NAN, _NAN]],
    [1, 0, 1, 1, 2, 0, 0, 0])]


def loss_shape(shape):
    return () if len(shape) == 1 else (shape[0],) + tuple(shape[2:])


rows = blocks(Shared(seed=20250611, draw=lambda rng, shape, dtype: quantize(rng.normal(size=shape), dtype)))


def row_case(group, fn, x, target, weight, opts, *, native=False, torch_nan_ok=False, go=PICK):
    """A class-rows case: torch in float64; `native` adds torch in float32 for float32 inputs;
    `torch_nan_ok` compares only where torch is finite (its NaN is an artefact there);
    the 'extreme' group's logits are finite, so LossCore's results must be."""
    flags = (("where_torch_finite",) if torch_nan_ok else ()) + (("finite",) if group == "extreme" else ())
    return Case(fn, [x, target], opts, {} if weight is None else {"weight": weight}, group=group,
                grad_output=go, compute="float64", native=native and x.dtype == F32, flags=flags)


def class_targets(rng, shape, variant):
    """Class-index targets; variant 'default_hit' / 'in_range' puts ignored positions in."""
    ls = loss_shape(shape)
    if len(shape) == 1:
        # An unbatched input has one position: 'in_range' ignores it (an all-ignored batch).
        return np.array({"none": 3, "default_hit": 1, "in_range": 2}[variant], dtype=np.int64)
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


def random_input(rng, shape, dtype, scale=2.0):
    return quantize(rng.normal(size=shape) * scale, dtype)


def random_weight(rng, dtype):
    return quantize(rng.uniform(0.2, 2.0, size=C), dtype)


def maybe_weight(rng, dtype, with_weight):
    return random_weight(rng, dtype) if with_weight else None


def index_cases(rng, group, fn, shape, dtype, with_weight, variant, ignore_index, option=None, values=(None,)):
    """Class-index cases on fresh random data: every value of one option x reduction."""
    for value in values:
        for reduction in REDUCTIONS:
            opts = {"reduction": reduction, "ignore_index": ignore_index, **({option: value} if option else {})}
            yield row_case(group, fn, random_input(rng, shape, dtype), class_targets(rng, shape, variant),
                           maybe_weight(rng, dtype, with_weight), opts)


def every_loss(rng, group, shape, dtype, target, w, opts):
    """cross_entropy (smoothing 0 and 0.1), nll_loss and focal_loss (gamma 2) on one target and
    weight, each on fresh random logits."""
    for smoothing in (0.0, 0.1):
        yield row_case(group, "cross_entropy", random_input(rng, shape, dtype), target, w,
                       {**opts, "label_smoothing": smoothing})
    yield row_case(group, "nll_loss", random_input(rng, shape, dtype), target, w, opts)
    yield row_case(group, "focal_loss", random_input(rng, shape, dtype), target, w, {**opts, "gamma": 2.0})


def probability_target(rng, shape, dtype, normalized=True):
    d = 0 if len(shape) == 1 else 1
    if normalized:
        z = rng.normal(size=shape) * 1.5
        e = np.exp(z - z.max(axis=d, keepdims=True))
        return quantize(e / e.sum(axis=d, keepdims=True), dtype)  # rows sum to 1 within 2^-16
    return quantize(rng.uniform(0.0, 1.0, size=shape), dtype)


@rows
def basic(rng):
    """Every dtype x shape (unbatched, 2-D, K-dim): cross_entropy with indices (weight x ignore x
    smoothing x reduction) and probabilities (also unnormalized ones, which torch accepts),
    nll_loss (any input values), focal_loss (gamma x weight x ignore x reduction)."""
    for dtype in (F32, F64):
        for shape in SHAPES.values():
            for with_weight in (False, True):
                for variant, ignore_index in IGNORES:
                    yield from index_cases(rng, "basic", "cross_entropy", shape, dtype, with_weight, variant,
                                           ignore_index, "label_smoothing", SMOOTHINGS)
            for with_weight in (False, True):
                for smoothing in SMOOTHINGS:
                    for reduction in REDUCTIONS:
                        yield row_case("basic", "cross_entropy", random_input(rng, shape, dtype),
                                       probability_target(rng, shape, dtype), maybe_weight(rng, dtype, with_weight),
                                       {"reduction": reduction, "label_smoothing": smoothing})
            for reduction in REDUCTIONS:
                yield row_case("basic", "cross_entropy", random_input(rng, shape, dtype),
                               probability_target(rng, shape, dtype, normalized=False), random_weight(rng, dtype),
                               {"reduction": reduction, "label_smoothing": 0.1})
            for with_weight in (False, True):
                for variant, ignore_index in IGNORES:
                    yield from index_cases(rng, "basic", "nll_loss", shape, dtype, with_weight, variant, ignore_index)
            for gamma in GAMMAS:
                for with_weight in (False, True):
                    for variant, ignore_index in (IGNORES[0], IGNORES[2]):
                        yield from index_cases(rng, "basic", "focal_loss", shape, dtype, with_weight, variant,
                                               ignore_index, "gamma", (gamma,))


@rows
def all_ignored(rng):
    """Every target ignored: 'mean' is 0/0 = NaN, 'sum' 0, gradients 0."""
    for dtype in (F32, F64):
        for shape in (SHAPES["2d"], SHAPES["3d"]):
            for ignore_index in (-100, 2):
                target = np.full(loss_shape(shape), ignore_index, dtype=np.int64)
                for reduction in REDUCTIONS:
                    for with_weight in (False, True):
                        yield from every_loss(rng, "all_ignored", shape, dtype, target,
                                              maybe_weight(rng, dtype, with_weight),
                                              {"reduction": reduction, "ignore_index": ignore_index})


@rows
def empty(rng):
    """No positions (N = 0 or a zero spatial dim): 'mean' NaN, 'sum' 0, empty gradients."""
    for dtype in (F32, F64):
        for shape in ((0, C), (0, C, 3), (2, C, 0)):
            x = np.zeros(shape, dtype=dtype)
            t = np.zeros(loss_shape(shape), dtype=np.int64)
            for reduction in REDUCTIONS:
                for with_weight in (False, True):
                    w = maybe_weight(rng, dtype, with_weight)
                    go = np.zeros(loss_shape(shape), dtype=dtype) if reduction == "none" else 0.375
                    opts = {"reduction": reduction, "ignore_index": -100}
                    yield row_case("empty", "cross_entropy", x, t, w, {**opts, "label_smoothing": 0.1}, go=go)
                    yield row_case("empty", "cross_entropy", x, np.zeros(shape, dtype=dtype), w,
                                   {"reduction": reduction, "label_smoothing": 0.0}, go=go)
                    yield row_case("empty", "nll_loss", x, t, w, opts, go=go)
                    yield row_case("empty", "focal_loss", x, t, w, {**opts, "gamma": 2.0}, go=go)


def extreme_rows():
    """Logits of +-800 and +-1e4 (exact in float32), with p_t = 1, p_t = 0, ties, and a
    target whose 1 - p_t is ~1e-13 (it rounds to 1 in float32)."""
    x = np.array([
        [800, -800, 0, 3],          # t=0: p_t = 1 exactly
        [800, -800, 0, 3],          # t=1: p_t = 0, loss 1600
        [1e4, -1e4, 0, 9970],       # t=0: 1 - p_t = e^-30
        [-1e4, 1e4, 1e4, -1e4],     # t=1: p_t = 1/2 exactly
        [-1e4, -1e4, -1e4, -1e4],   # t=3: uniform
        [-800, 800, -800, 800],     # t=0: p_t = 0
        [20, 0, 0, 0],              # t=0: one-hot-like, 1 - p_t ~ 6e-9
        [1e4, 0, 0, 0],             # t=0: p_t = 1 exactly
    ], dtype=np.float64)
    return x, np.array([0, 1, 0, 1, 3, 0, 0, 0], dtype=np.int64)


def extreme_block(rng, x, t, dtype):
    """cross_entropy and focal_loss (every gamma) on finite extreme logits, weighted or not."""
    for reduction in REDUCTIONS:
        for with_weight in (False, True):
            w = maybe_weight(rng, dtype, with_weight)
            opts = {"reduction": reduction, "ignore_index": -100}
            for smoothing in (0.0, 0.1):
                yield row_case("extreme", "cross_entropy", x, t, w, {**opts, "label_smoothing": smoothing},
                               native=True)
            for gamma in GAMMAS:
                yield row_case("extreme", "focal_loss", x, t, w, {**opts, "gamma": gamma}, native=True,
                               torch_nan_ok=True)


@rows
def extreme(rng):
    """The extreme rows as (8, C), as (2, C, 4) (position (i, k) holds row 4 i + k, so the K-dim
    path sees the same rows) and unbatched (the p_t = 1 row); probability targets (one-hot,
    smoothed) at extreme logits."""
    rows_, targets = extreme_rows()
    layouts = ((rows_, targets), (rows_.reshape(2, 4, C).transpose(0, 2, 1), targets.reshape(2, 4)),
               (rows_[0], np.array(0, dtype=np.int64)))
    for dtype in (F32, F64):
        for x, t in layouts:
            x = np.ascontiguousarray(x, dtype=dtype)
            yield from extreme_block(rng, x, t, dtype)
            d = 0 if x.ndim == 1 else 1
            onehot = np.zeros_like(x)
            np.put_along_axis(onehot, np.expand_dims(t, d), 1, axis=d)
            for reduction in REDUCTIONS:
                yield row_case("extreme", "cross_entropy", x, onehot.astype(dtype), None,
                               {"reduction": reduction, "label_smoothing": 0.1}, native=True)


@rows
def special(rng):
    """NaN and +-inf logits are not errors: they propagate into the results as in torch.
    torch's focal gradient is NaN in every row holding a -inf (0 * -inf in the product's
    backward) or a p_j of 1 with gamma < 1, so those cases compare only where torch is finite."""
    inf, nan = np.inf, np.nan
    x64 = np.array([
        [-inf, 0, 1, 2],     # t=1: finite cross-entropy, infinite smoothing term
        [-inf, 0, 1, 2],     # t=0: infinite loss
        [inf, 0, 1, 2],      # t=0: NaN (inf - inf)
        [nan, 0, 1, 2],      # t=1: NaN
        [0.5, -1, 2, 0.25],  # an ordinary row next to them
    ])
    targets = np.array([1, 0, 0, 1, 2], dtype=np.int64)
    for dtype in (F32, F64):
        x = x64.astype(dtype)
        for reduction in REDUCTIONS:
            for with_weight in (False, True):
                w = maybe_weight(rng, dtype, with_weight)
                opts = {"reduction": reduction, "ignore_index": -100}
                for smoothing in (0.0, 0.1):
                    yield row_case("special", "cross_entropy", x, targets, w, {**opts, "label_smoothing": smoothing})
                yield row_case("special", "nll_loss", x, targets, w, opts)
                for gamma in (0.0, 0.5, 2.0):
                    yield row_case("special", "focal_loss", x, targets, w, {**opts, "gamma": gamma},
                                   torch_nan_ok=True)
            yield row_case("special", "cross_entropy", x, np.eye(C, dtype=dtype)[targets], None,
                           {"reduction": reduction, "label_smoothing": 0.0})


@rows
def zero_weight(rng):
    """Every kept target has class weight 0: 'mean' is 0/0 = NaN in torch, also with label
    smoothing (torch adds the two means, and the NaN of the first wins over the second)."""
    for dtype in (F32, F64):
        for shape in (SHAPES["2d"], SHAPES["3d"]):
            w = np.array([0.0, 1.5, 0.0, 0.5], dtype=dtype)
            target = np.where(rng.random(loss_shape(shape)) < 0.5, 0, 2).astype(np.int64)
            for reduction in REDUCTIONS:
                yield from every_loss(rng, "zero_weight", shape, dtype, target, w,
                                      {"reduction": reduction, "ignore_index": -100})


def lanes_layout(rows_, inner):
    """(n, C, inner) input whose position (i, k) holds rows_[i * inner + k]."""
    n = rows_.shape[0] // inner
    return np.ascontiguousarray(rows_.reshape(n, inner, C).transpose(0, 2, 1))


@rows
def lanes(rng):
    """K-dim float32 inputs with inner >= 16, which LossCore computes sixteen positions at a
    time (one vector lane per position), with tails of fewer than sixteen positions and a
    sample boundary inside a run; also the extreme and special rows in that layout."""
    dtype = F32
    shape = (2, C, 17)  # per sample: one run of 16 positions and a tail of 1
    for with_weight in (False, True):
        for variant, ignore_index in IGNORES:
            yield from index_cases(rng, "lanes", "cross_entropy", shape, dtype, with_weight, variant, ignore_index,
                                   "label_smoothing", SMOOTHINGS)
            yield from index_cases(rng, "lanes", "focal_loss", shape, dtype, with_weight, variant, ignore_index,
                                   "gamma", GAMMAS if variant != "default_hit" else ())
    shape4 = (1, C, 4, 5)  # inner 20 over two spatial dims
    for reduction in REDUCTIONS:
        opts = {"reduction": reduction, "ignore_index": 2}
        for smoothing in (0.0, 0.1):
            yield row_case("lanes", "cross_entropy", random_input(rng, shape4, dtype),
                           class_targets(rng, shape4, "in_range"), random_weight(rng, dtype),
                           {**opts, "label_smoothing": smoothing})
        yield row_case("lanes", "nll_loss", random_input(rng, shape4, dtype), class_targets(rng, shape4, "in_range"),
                       random_weight(rng, dtype), opts)
        for gamma in (0.5, 2.0):
            yield row_case("lanes", "focal_loss", random_input(rng, shape4, dtype),
                           class_targets(rng, shape4, "in_range"), random_weight(rng, dtype), {**opts, "gamma": gamma})
    # the extreme rows twice over (16 positions: exactly one run of lanes)
    rows_, targets = extreme_rows()
    x = lanes_layout(np.concatenate([rows_, rows_[::-1]]), 16).astype(dtype)
    t = np.concatenate([targets, targets[::-1]]).reshape(1, 16)
    yield from extreme_block(rng, x, t, dtype)
    # NaN / inf rows among ordinary ones, in lanes
    inf, nan = np.inf, np.nan
    special_rows = np.array([[-inf, 0, 1, 2], [-inf, 0, 1, 2], [inf, 0, 1, 2], [nan, 0, 1, 2]])
    rows_ = np.concatenate([special_rows, rng.normal(size=(12, C)) * 2])
    t = np.concatenate([[1, 0, 0, 1], rng.integers(0, C, size=12)]).astype(np.int64).reshape(1, 16)
    x = lanes_layout(rows_, 16).astype(dtype)
    for reduction in REDUCTIONS:
        opts = {"reduction": reduction, "ignore_index": -100}
        for smoothing in (0.0, 0.1):
            yield row_case("special", "cross_entropy", x, t, None, {**opts, "label_smoothing": smoothing})
        for gamma in (0.0, 0.5, 2.0):
            yield row_case("special", "focal_loss", x, t, None, {**opts, "gamma": gamma}, torch_nan_ok=True)


BLOCKS = rows.collected
