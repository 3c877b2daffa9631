"""Reference cases of the row-tuples family: triplet_margin_loss,
triplet_margin_with_distance_loss (its default distance) and cosine_embedding_loss (torch
computes them in the arguments' own dtypes). Gradients are recorded for every operand
(anchor, positive, negative; input1, input2).
"""
from __future__ import annotations

import math

import numpy as np

from harness import DTYPES, F32, F64, REDUCTIONS, Case, PerBlock, blocks

MODULES = ("TripletMarginLoss", "TripletMarginWithDistanceLoss", "CosineEmbeddingLoss")

rows = blocks(PerBlock(seed=20261130))

# Special-value units, each the (anchor, positive, negative) of a one-row call of two values:
# NaN and +-Inf in each operand. Append, never reorder: a unit's position names it in the tests.
# (The pair loss takes them as (input1, input2, target) with a 2-D target, which torch refuses:
# its special values are in its own cases.)
_NAN, _INF = math.nan, math.inf
_FINITE = (0.5, -1.0)
SPECIAL_UNITS = [tuple(np.array([values if k == which else _FINITE], F64) for k in range(3))
                 for which in range(3) for values in ((_NAN, 0.25), (_INF, 0.25), (-_INF, 0.25))]

SHAPES = ((5, 4), (4,), (2, 3, 4))
TRIPLET = (0, 1, 2)


def normal(rng, shape, dtype):
    return rng.standard_normal(shape).astype(dtype)


def _triplet(fn, args, kwargs, group, **extra):
    return Case(fn, list(args), kwargs, group=group, grad=TRIPLET, **extra)


@rows
def triplet_margin(rng):
    """Shapes (batched, unbatched, leading dimensions) x dtype x reduction; norms of every
    degree torch takes (0, fractional, 1, 2, 3, negative, +-inf) with and without swap;
    margins and eps (0, negative); the kinks (the clamp at equality, a distance of 0, a tie of
    the swap's minimum, ties of the infinite norm); broadcasting; integer and mixed dtypes;
    empty batches and rows of no values; NaN/Inf rows; 0-d inputs; the deprecated flags; what
    torch refuses (dimensions, shapes, margin <= 0, an empty row for a norm without identity)."""
    fn = "triplet_margin_loss"
    for dn, dt in DTYPES.items():
        for shape in SHAPES:
            for red in REDUCTIONS:
                yield _triplet(fn, [normal(rng, shape, dt) for _ in range(3)], {"reduction": red}, "basic")
        for k, p in enumerate((0.0, 0.5, 1.0, 1.5, 3.0, -1.0, math.inf, -math.inf)):
            for swap in (False, True):
                red = REDUCTIONS[(k + swap) % 3]
                yield _triplet(fn, [normal(rng, (6, 5), dt) for _ in range(3)],
                               {"p": p, "swap": swap, "reduction": red, "margin": 2.0}, "norms")
        for margin, eps in ((0.5, 1e-6), (3.0, 0.0), (1.0, 1e-3), (1.0, -0.5), (math.inf, 1e-6)):
            yield _triplet(fn, [normal(rng, (4, 3), dt) for _ in range(3)],
                           {"margin": margin, "eps": eps, "reduction": "sum"}, "margin-eps")
        for red in REDUCTIONS:
            # Row 0: margin + d(a, p) - d(a, n) = 1 + 1 - 2 = 0 (the clamp at equality); row 1:
            # a = p (distance 0); row 2: d(a, n) = d(p, n) (the swap's tie); row 3: ties of |u|.
            a = np.array([[0, 0], [1, 2], [0, 0], [1, -1]], dt)
            p = np.array([[1, 0], [1, 2], [2, 0], [0, 0]], dt)
            n = np.array([[2, 0], [0, 3], [1, 5], [3, 3]], dt)
            for pp in (2.0, 1.0, math.inf):
                yield _triplet(fn, [a, p, n], {"eps": 0.0, "swap": True, "p": pp, "reduction": red}, "kinks")
            yield _triplet(fn, [a, p, n], {"eps": 0.0, "reduction": red}, "kinks")
        for shapes in (((1, 4), (3, 4), (3, 4)), ((3, 4), (3, 1), (1, 4)), ((2, 1, 4), (1, 3, 4), (2, 3, 4))):
            yield _triplet(fn, [normal(rng, s, dt) for s in shapes], {"reduction": "none"}, "broadcast")
            yield _triplet(fn, [normal(rng, s, dt) for s in shapes], {"reduction": "mean"}, "broadcast")
        for red in REDUCTIONS:
            yield _triplet(fn, [np.zeros((0, 4), dt)] * 3, {"reduction": red}, "empty", grad_output=None)
            yield _triplet(fn, [np.zeros((3, 0), dt)] * 3, {"reduction": red}, "no-values")
            yield _triplet(fn, [normal(rng, (), dt) for _ in range(3)], {"reduction": red}, "scalar")
        special = np.array([[np.nan, 1, 2], [np.inf, 0, 1], [-np.inf, 1, 1], [1, 2, 3]], dt)
        for red in REDUCTIONS:
            yield _triplet(fn, [special, normal(rng, (4, 3), dt), normal(rng, (4, 3), dt)],
                           {"reduction": red, "swap": True}, "nonfinite")
        yield _triplet(fn, [normal(rng, (3, 4), dt) for _ in range(3)], {"reduce": False}, "legacy")
        yield _triplet(fn, [normal(rng, (3, 4), dt) for _ in range(3)], {"size_average": False}, "legacy")
        yield _triplet(fn, [normal(rng, (3, 4), dt) for _ in range(3)], {}, "default-kwargs")
    ints = [rng.integers(-3, 4, (3, 4)) for _ in range(3)]
    yield _triplet(fn, ints, {"reduction": "none"}, "integers")
    yield _triplet(fn, [ints[0], normal(rng, (3, 4), F32), normal(rng, (3, 4), F64)], {"reduction": "sum"}, "mixed")
    refused = [((3, 4), (4,), (3, 4)), ((3, 4), (2, 4), (3, 4)), ((3, 4), (3, 5), (3, 4))]
    for shapes in refused:
        yield _triplet(fn, [normal(rng, s, F64) for s in shapes], {}, "refused-shape")
    for margin in (0.0, -1.0):
        yield _triplet(fn, [normal(rng, (3, 4), F64) for _ in range(3)], {"margin": margin}, "refused-margin")
    for p in (-1.0, math.inf, -math.inf):
        yield _triplet(fn, [np.zeros((3, 0), F64)] * 3, {"p": p}, "refused-empty-norm")


@rows
def triplet_with_distance(rng):
    """The default distance (pairwise_distance, p=2, eps=1e-6): dtype x reduction x shape,
    swap, margins, the kinks, broadcasting, empty and 0-d inputs, NaN/Inf, what torch refuses."""
    fn = "triplet_margin_with_distance_loss"
    for dn, dt in DTYPES.items():
        for shape in SHAPES:
            for red in REDUCTIONS:
                yield _triplet(fn, [normal(rng, shape, dt) for _ in range(3)],
                               {"reduction": red, "swap": red == "sum"}, "basic")
        for margin in (0.25, 4.0):
            yield _triplet(fn, [normal(rng, (4, 3), dt) for _ in range(3)], {"margin": margin, "swap": True}, "margin")
        a = np.array([[0, 0], [1, 2], [0, 0]], dt)
        p = np.array([[1, 0], [1, 2], [2, 0]], dt)
        n = np.array([[2, 0], [0, 3], [1, 5]], dt)
        yield _triplet(fn, [a, p, n], {"swap": True, "reduction": "none"}, "kinks")
        yield _triplet(fn, [normal(rng, (1, 4), dt), normal(rng, (3, 4), dt), normal(rng, (3, 1), dt)],
                       {"reduction": "none"}, "broadcast")
        for red in REDUCTIONS:
            yield _triplet(fn, [np.zeros((0, 4), dt)] * 3, {"reduction": red}, "empty", grad_output=None)
            yield _triplet(fn, [normal(rng, (), dt) for _ in range(3)], {"reduction": red}, "scalar")
        special = np.array([[np.nan, 1, 2], [np.inf, 0, 1], [1, 2, 3]], dt)
        yield _triplet(fn, [special, normal(rng, (3, 3), dt), normal(rng, (3, 3), dt)], {"reduction": "none"},
                       "nonfinite")
        yield _triplet(fn, [normal(rng, (3, 4), dt) for _ in range(3)], {}, "default-kwargs")
    yield _triplet(fn, [normal(rng, s, F64) for s in ((3, 4), (4,), (3, 4))], {}, "refused-shape")
    for margin in (0.0, -0.5):
        yield _triplet(fn, [normal(rng, (3, 4), F64) for _ in range(3)], {"margin": margin}, "refused-margin")


@rows
def cosine_embedding(rng):
    """Targets 1 and -1 (and others, which give 0) x dtype x reduction; margins (0, 0.5, -0.5,
    inf); unbatched (D,) with a 0-d target; broadcasting of the inputs and the target; the
    kinks (cos - margin = 0 exactly: the clamp passes; parallel and orthogonal rows; zero
    rows, where EPS keeps cos finite); integer, bool and mixed dtypes; empty batches and rows
    of no values; NaN/Inf; the deprecated flags; torch's refusals (target ranks, input ranks,
    shapes)."""
    fn = "cosine_embedding_loss"
    pair = (0, 1)

    def case(args, kwargs, group, **extra):
        return Case(fn, list(args), kwargs, group=group, grad=pair, **extra)

    def signs(n, dt):
        return np.where(rng.random(n) < 0.5, -1.0, 1.0).astype(dt)

    for dn, dt in DTYPES.items():
        for red in REDUCTIONS:
            yield case([normal(rng, (6, 5), dt), normal(rng, (6, 5), dt), signs(6, dt)], {"reduction": red}, "basic")
            yield case([normal(rng, (7,), dt), normal(rng, (7,), dt), np.array(-1.0, dt)], {"reduction": red}, "unbatched")
        for margin in (0.5, -0.5, math.inf):
            yield case([normal(rng, (5, 4), dt), normal(rng, (5, 4), dt), signs(5, dt)],
                       {"reduction": "sum", "margin": margin}, "margin")
        yield case([normal(rng, (5, 4), dt), normal(rng, (5, 4), dt), np.array([1, -1, 0, 2, np.nan], dt)],
                   {"reduction": "none", "margin": 0.25}, "other-targets")
        for red in REDUCTIONS:
            # Row 0: cos = 1/sqrt(2) with margin 0.5**0.5 in float64 (near equality in float32);
            # row 1: parallel; row 2: orthogonal; row 3: a zero row; row 4: both zero.
            x1 = np.array([[1, 0], [2, 4], [1, 0], [0, 0], [0, 0]], dt)
            x2 = np.array([[1, 1], [1, 2], [0, 3], [1, 2], [0, 0]], dt)
            yield case([x1, x2, np.array([-1, 1, -1, 1, -1], dt)], {"reduction": red, "margin": float(np.sqrt(0.5))},
                       "kinks")
        for shapes in (((1, 4), (3, 4), (3,)), ((3, 4), (1, 4), (1,)), ((1, 4), (1, 4), (3,))):
            yield case([normal(rng, shapes[0], dt), normal(rng, shapes[1], dt),
                        signs(shapes[2], dt) if shapes[2] else np.array(1.0, dt)], {"reduction": "none"}, "broadcast")
        for red in REDUCTIONS:
            yield case([np.zeros((0, 4), dt), np.zeros((0, 4), dt), np.zeros((0,), dt)], {"reduction": red}, "empty",
                       grad_output=None)
            yield case([np.zeros((3, 0), dt), np.zeros((3, 0), dt), signs(3, dt)], {"reduction": red}, "no-values")
        special = np.array([[np.nan, 1, 2], [np.inf, 0, 1], [-np.inf, 1, 1], [1, 2, 3]], dt)
        for red in REDUCTIONS:
            yield case([special, normal(rng, (4, 3), dt), np.array([1, -1, -1, 1], dt)], {"reduction": red},
                       "nonfinite")
        yield case([normal(rng, (3, 4), dt), normal(rng, (3, 4), dt), signs(3, dt)], {"reduce": False}, "legacy")
        yield case([normal(rng, (3, 4), dt), normal(rng, (3, 4), dt), signs(3, dt)], {}, "default-kwargs")
    yield case([rng.integers(-3, 4, (3, 4)), rng.integers(-3, 4, (3, 4)), np.array([1, -1, 1])], {"reduction": "none"},
               "integers")
    yield case([normal(rng, (3, 4), F32), normal(rng, (3, 4), F64), np.array([True, False, True])],
               {"reduction": "sum"}, "mixed")
    for shapes in (((3, 4), (4,), (3,)), ((3, 4), (3, 4), (3, 1)), ((3, 4), (3, 4), (2,)), ((4,), (4,), (1,)),
                   ((3, 4), (3, 4), ()), ((3, 4), (3, 5), (3,))):
        yield case([normal(rng, shapes[0], F64), normal(rng, shapes[1], F64),
                    np.ones(shapes[2], F64)], {}, "refused-shape")


BLOCKS = rows.collected
