"""Reference cases of the class-margins family: torch's margin losses over (N, C) scores with
the class dimension last,
    multi_margin_loss             class indices (N,), p in {1, 2}, margin, per-class weight
    multilabel_margin_loss        label rows of input's shape, each list ended by its first -1
    multilabel_soft_margin_loss   soft targets and weights broadcast as torch composes them
torch runs in float64 on exactly the inputs LossCore gets (float32 cases hold float32 values),
so a float32 reference is the exact value rounded once. Scores lie on a 2^-16 (float64) or
2^-12 (float32) grid (harness.quantize), or on multiples of 0.25 where the cases put margin
terms exactly at their kink (z = 0, which counts as not positive).

torch's 'mean' of an empty batch (N = 0) of the two hinge losses is an uninitialized value;
those cases are left out (LossCore gives NaN, test_bad_inputs' empty category checks it).
"""
from __future__ import annotations

import numpy as np

from harness import DTYPES, F32, F64, REDUCTIONS, Case, Shared, blocks, quantize

MODULES = ("MultiMarginLoss", "MultiLabelMarginLoss", "MultiLabelSoftMarginLoss")

_NAN, _INF = np.nan, np.inf
# Special-value units, per loss: the (input, target) of a one-row call of 3 class scores (NaN
# and +-Inf scores, ties, terms exactly at the margin). A unit's position names it in the
# tests: append, never reorder.
_ROWS = [[_NAN, 0, 1], [_INF, 0, 1], [-_INF, 0, 1], [0, -_INF, 1], [0, 1, 2], [_INF, _INF, 0], [-_INF, -_INF, -_INF],
         [1, _NAN, _NAN], [1, 1, 1], [2, 1, 1]]
_INDEX = [1, 0, 1, 1, 2, 0, 0, 0, 0, 0]
_LABELS = [[1, -1, -1], [0, 2, -1], [1, 0, -1], [1, -1, 2], [2, 2, 0], [0, -1, -1], [0, 1, -1], [0, -1, 1], [0, 1, 2],
           [-1, 0, 1]]
_SOFT = [[1, 0, 0.5], [1, 0, 0], [1, 0, 1], [0, 1, 1], [0, 0.25, 1], [0, 1, 0], [1, 1, 0], [0, 1, 1], [0.5, 0.5, 0.5],
         [1, 0, 0]]
SPECIAL_UNITS = {
    "multi_margin_loss": [(np.array([r], F64), np.array([t], np.int64)) for r, t in zip(_ROWS, _INDEX)],
    "multilabel_margin_loss": [(np.array([r], F64), np.array([t], np.int64)) for r, t in zip(_ROWS, _LABELS)],
    "multilabel_soft_margin_loss": [(np.array([r], F64), np.array([t], F64)) for r, t in zip(_ROWS, _SOFT)],
}

margins = blocks(Shared(seed=20261130, draw=lambda rng, shape, dtype: quantize(rng.normal(size=shape), dtype)))


def case(group, fn, x, target, opts, arrays=None, **kw):
    return Case(fn, [x, target], opts, arrays or {}, group=group, compute="float64", **kw)


def scores(rng, shape, dtype, scale=2.0):
    return quantize(rng.normal(size=shape) * scale, dtype)


def ties(rng, shape, dtype):
    """Scores on multiples of 0.25: many margin terms exactly 0 (the kink) or equal."""
    return (rng.integers(-8, 9, size=shape) * 0.25).astype(dtype)


def label_rows(rng, n, c, full=False):
    """Each row: a few distinct classes (none, or all of them when `full`), then -1, then any
    values in [-1, c), which torch ignores (but checks)."""
    rows = np.empty((n, c), np.int64)
    for i in range(n):
        k = c if full else int(rng.integers(0, min(c, 4) + 1))
        rows[i] = np.concatenate([rng.permutation(c)[:k], rng.integers(-1, c, size=c - k)])
        if k < c:
            rows[i, k] = -1
    return rows


def soft_targets(rng, shape, dtype):
    t = rng.integers(0, 2, size=shape).astype(F64)
    soft = rng.random(shape) < 0.3
    t[soft] = quantize(rng.random(shape), dtype)[soft]
    return t.astype(dtype)


def weights(rng, shape, dtype):
    return quantize(rng.uniform(0.2, 2.0, size=shape), dtype)


# --- multi_margin_loss ---------------------------------------------------------------------------

@margins
def multi_margin(rng):
    """p x margin x weight x reduction x dtype on (N, C) and (C,) inputs; targets 0-d and (1,) for
    (C,); scores at the kink (ties); N = 1 with a 0-d target; empty batches ('none', 'sum');
    NaN/Inf scores; extreme scores and an infinite margin; C = 1; the deprecated flags; the
    module's defaults; mixed float32 input and float64 weight (LossCore promotes)."""
    fn = "multi_margin_loss"
    n, c = 5, 4
    for dt in DTYPES.values():
        for p in (1, 2):
            for margin in (1.0, 0.5, 0.0, -0.75):
                for with_w in (False, True):
                    for red in REDUCTIONS:
                        w = {"weight": weights(rng, (c,), dt)} if with_w else {}
                        yield case("options", fn, scores(rng, (n, c), dt), rng.integers(0, c, n),
                                   {"p": p, "margin": margin, "reduction": red}, w)
        for red in REDUCTIONS:
            yield case("unbatched", fn, scores(rng, (c,), dt), np.array(2), {"reduction": red})
            yield case("unbatched-1", fn, scores(rng, (c,), dt), np.array([3]), {"reduction": red, "p": 2})
            yield case("one-row-0d-target", fn, scores(rng, (1, c), dt), np.array(1), {"reduction": red})
            yield case("ties", fn, ties(rng, (8, c), dt), rng.integers(0, c, 8), {"reduction": red},
                       {"weight": weights(rng, (c,), dt)})
            yield case("ties-p2", fn, ties(rng, (8, c), dt), rng.integers(0, c, 8), {"reduction": red, "p": 2,
                                                                                      "margin": 0.5})
            yield case("one-class", fn, scores(rng, (3, 1), dt), np.zeros(3, np.int64), {"reduction": red})
            x = scores(rng, (4, c), dt)
            x[0, 1], x[1, 0], x[2, 2], x[3, 3] = _NAN, _INF, -_INF, _NAN
            yield case("nonfinite", fn, x, np.array([0, 0, 1, 3]), {"reduction": red})
            big = (rng.choice([-1.0, 1.0], size=(3, c)) * 1e30).astype(dt)
            yield case("extreme", fn, big, rng.integers(0, c, 3), {"reduction": red, "p": 2})
            yield case("infinite-margin", fn, scores(rng, (3, c), dt), rng.integers(0, c, 3),
                       {"reduction": red, "margin": _INF})
        for red in ("none", "sum"):
            yield case("empty", fn, np.zeros((0, c), dt), np.zeros(0, np.int64), {"reduction": red}, grad_output=None)
        for legacy in ({"size_average": False}, {"reduce": False}):
            yield case("legacy", fn, scores(rng, (n, c), dt), rng.integers(0, c, n), legacy, grad_output=None)
        yield case("default-kwargs", fn, scores(rng, (n, c), dt), rng.integers(0, c, n), {})
        yield case("wide", fn, scores(rng, (6, 300), dt), rng.integers(0, 300, 6), {"reduction": "mean"},
                   {"weight": weights(rng, (300,), dt)})
    yield case("mixed-dtypes", fn, scores(rng, (n, c), F32), rng.integers(0, c, n), {"reduction": "sum"},
               {"weight": weights(rng, (c,), F64)})
    for bad in ({"target": np.array([0, 4, 1])}, {"target": np.array([0, -1, 1])}):
        yield case("out-of-range", fn, scores(rng, (3, c), F64), bad["target"], {})
    yield case("bad-weight", fn, scores(rng, (3, c), F64), np.array([0, 1, 2]), {}, {"weight": weights(rng, (3,), F64)})
    yield case("bad-target-shape", fn, scores(rng, (3, c), F64), np.array([[0], [1], [2]]), {})
    yield case("bad-input-rank", fn, scores(rng, (2, 3, c), F64), np.array([0, 1]), {})


# --- multilabel_margin_loss ----------------------------------------------------------------------

@margins
def multilabel_margin(rng):
    """Label rows (a few labels, none, all, a label listed twice, values after the -1) x reduction
    x dtype on (N, C) and (C,) inputs; 0-d input and target; ties at the kink; empty batches
    ('none', 'sum'); NaN/Inf scores; extreme scores; the deprecated flags; labels out of range
    (also after the first -1) and shapes torch refuses."""
    fn = "multilabel_margin_loss"
    n, c = 6, 5
    for dt in DTYPES.values():
        for red in REDUCTIONS:
            yield case("labels", fn, scores(rng, (n, c), dt), label_rows(rng, n, c), {"reduction": red})
            yield case("full-rows", fn, scores(rng, (3, c), dt), label_rows(rng, 3, c, full=True), {"reduction": red})
            t = label_rows(rng, 4, c)
            t[0, :3] = [2, 2, -1]
            t[1, :] = -1
            yield case("repeated-and-empty", fn, scores(rng, (4, c), dt), t, {"reduction": red})
            yield case("unbatched", fn, scores(rng, (c,), dt), label_rows(rng, 1, c)[0], {"reduction": red})
            yield case("scalar", fn, scores(rng, (), dt), np.array(0), {"reduction": red})
            yield case("ties", fn, ties(rng, (8, c), dt), label_rows(rng, 8, c), {"reduction": red})
            x = scores(rng, (4, c), dt)
            x[0, 1], x[1, 0], x[2, 2], x[3, 4] = _NAN, _INF, -_INF, -_INF
            yield case("nonfinite", fn, x, np.array([[1, 0, -1, 0, 0], [0, 3, -1, 1, 1], [2, 4, -1, -1, -1],
                                                     [3, -1, 0, 0, 0]]), {"reduction": red})
            big = (rng.choice([-1.0, 1.0], size=(3, c)) * 1e30).astype(dt)
            yield case("extreme", fn, big, label_rows(rng, 3, c), {"reduction": red})
        for red in ("none", "sum"):
            yield case("empty", fn, np.zeros((0, c), dt), np.zeros((0, c), np.int64), {"reduction": red},
                       grad_output=None)
        yield case("legacy", fn, scores(rng, (n, c), dt), label_rows(rng, n, c), {"reduce": False}, grad_output=None)
        yield case("default-kwargs", fn, scores(rng, (n, c), dt), label_rows(rng, n, c), {})
        yield case("wide", fn, scores(rng, (4, 300), dt), label_rows(rng, 4, 300), {"reduction": "mean"})
    x = scores(rng, (2, c), F64)
    for t in ([[0, -1, 7, 1, 1], [3, -1, -1, -1, -1]], [[0, 5, -1, 1, 1], [3, -1, -1, -1, -1]],
              [[0, -2, -1, 1, 1], [3, -1, -1, -1, -1]]):
        yield case("out-of-range", fn, x, np.array(t), {})
    yield case("bad-target-shape", fn, x, np.zeros((2, 4), np.int64), {})
    yield case("bad-input-rank", fn, scores(rng, (2, 2, c), F64), np.zeros((2, 2, c), np.int64), {})


# --- multilabel_soft_margin_loss -----------------------------------------------------------------

@margins
def multilabel_soft_margin(rng):
    """Soft and hard targets x weight (none, per class, per row (N, 1), per element, a Python
    number, one that enlarges the result) x reduction x dtype; (C,), (N, C) and (A, B, C)
    inputs; targets that broadcast (also enlarging the shape: torch sums dimension input.ndim - 1
    of the broadcast shape and divides by input.shape[-1]); integer targets; empty batches;
    C = 0 (NaN rows); NaN/Inf and extreme logits; the deprecated flags; mixed dtypes."""
    fn = "multilabel_soft_margin_loss"
    n, c = 5, 4
    for dt in DTYPES.values():
        for red in REDUCTIONS:
            for w in (None, (c,), (n, 1), (n, c), (1, c)):
                arrays = {} if w is None else {"weight": weights(rng, w, dt)}
                yield case("weights", fn, scores(rng, (n, c), dt), soft_targets(rng, (n, c), dt), {"reduction": red},
                           arrays)
            yield case("number-weight", fn, scores(rng, (n, c), dt), soft_targets(rng, (n, c), dt),
                       {"reduction": red, "weight": 2.5})
            yield case("unbatched", fn, scores(rng, (c,), dt), soft_targets(rng, (c,), dt), {"reduction": red})
            yield case("3d", fn, scores(rng, (2, 3, c), dt), soft_targets(rng, (2, 3, c), dt), {"reduction": red},
                       {"weight": weights(rng, (c,), dt)})
            yield case("target-broadcast", fn, scores(rng, (n, c), dt), soft_targets(rng, (c,), dt), {"reduction": red})
            yield case("target-enlarges", fn, scores(rng, (2, c), dt), soft_targets(rng, (3, 1, c), dt),
                       {"reduction": red})
            yield case("weight-enlarges", fn, scores(rng, (2, c), dt), soft_targets(rng, (2, c), dt),
                       {"reduction": red}, {"weight": weights(rng, (3, 2, c), dt)})
            yield case("one-class-broadcast", fn, scores(rng, (3, 1), dt), soft_targets(rng, (3, c), dt),
                       {"reduction": red})
            x = scores(rng, (4, c), dt)
            x[0, 1], x[1, 0], x[2, 2], x[3, 3], x[3, 0] = _NAN, _INF, -_INF, _INF, -_INF
            y = np.array([[1, 0, 1, 0], [0, 1, 0.5, 1], [1, 0, 0, 1], [0, 1, 1, 0]], dt)
            yield case("nonfinite", fn, x, y, {"reduction": red})
            big = (rng.choice([-1.0, 1.0], size=(3, c)) * rng.choice([30.0, 100.0, 1e30], size=(3, c))).astype(dt)
            yield case("extreme", fn, big, soft_targets(rng, (3, c), dt), {"reduction": red}, flags=("finite",))
            yield case("empty", fn, np.zeros((0, c), dt), np.zeros((0, c), dt), {"reduction": red}, grad_output=None)
            yield case("no-classes", fn, np.zeros((3, 0), dt), np.zeros((3, 0), dt), {"reduction": red},
                       grad_output=None)
        yield case("integer-target", fn, scores(rng, (n, c), dt), rng.integers(0, 2, (n, c)), {"reduction": "sum"})
        yield case("legacy", fn, scores(rng, (n, c), dt), soft_targets(rng, (n, c), dt), {"reduce": False},
                   grad_output=None)
        yield case("default-kwargs", fn, scores(rng, (n, c), dt), soft_targets(rng, (n, c), dt), {})
        yield case("wide", fn, scores(rng, (4, 300), dt), soft_targets(rng, (4, 300), dt), {"reduction": "mean"},
                   {"weight": weights(rng, (300,), dt)})
    yield case("mixed-dtypes", fn, scores(rng, (n, c), F32), soft_targets(rng, (n, c), F64), {"reduction": "mean"})
    yield case("mixed-weight", fn, scores(rng, (n, c), F32), soft_targets(rng, (n, c), F32), {"reduction": "none"},
               {"weight": weights(rng, (c,), F64)})
    yield case("bad-target", fn, scores(rng, (n, c), F64), soft_targets(rng, (n, 3), F64), {})
    yield case("bad-weight", fn, scores(rng, (n, c), F64), soft_targets(rng, (n, c), F64), {},
               {"weight": weights(rng, (3,), F64)})


BLOCKS = margins.collected
