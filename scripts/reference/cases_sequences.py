"""Reference cases of the sequences family: ctc_loss with log-probabilities (T, N, C) or
unbatched (T, C), targets padded (N, S) or concatenated, every reduction, blank and
zero_infinity, infeasible alignments, long sequences (T of several hundred, targets near T/2),
the lengths' and targets' dtypes, and the calls torch refuses.

torch runs in float64 on exactly the inputs LossCore gets (float32 cases hold float32 values),
so a float32 reference is the exact value rounded once; float32 cases also record torch in
float32 (native), whose CPU kernel computes in float as LossCore's does.
"""
from __future__ import annotations

import numpy as np

from harness import F32, F64, PICK, REDUCTIONS, Case, Shared, blocks, quantize

MODULES = ("CTCLoss",)

# Special-value units, each the (log_probs, targets, input_lengths, target_lengths) of a call of
# one sample of 3 frames of 3 classes with target [1]: a NaN score on the target's class, -inf
# on every blank, +inf on a class off the target. A unit's position names it in the tests:
# append, never reorder.
_NAN, _INF = np.nan, np.inf
_LP = np.log(np.full((3, 1, 3), 1 / 3))
SPECIAL_UNITS = []
for _frame, _cls, _value in ((1, 1, _NAN), (slice(None), 0, -_INF), (0, 2, _INF)):
    _x = _LP.copy()
    _x[_frame, 0, _cls] = _value
    SPECIAL_UNITS.append((_x, np.array([[1]], np.int64), np.array([3], np.int64), np.array([1], np.int64)))


def log_softmax(x):
    x = x - x.max(axis=-1, keepdims=True)
    return x - np.log(np.exp(x).sum(axis=-1, keepdims=True))


def log_probs(rng, shape, dtype, spread=2.0):
    """Log-softmax outputs of normal scores, on the dtype's grid before normalizing."""
    return log_softmax(quantize(rng.normal(size=shape) * spread, np.float64)).astype(dtype)


def targets_for(rng, n, s, c, blank):
    """(N, S) class indices that are not blank."""
    t = rng.integers(0, c - 1, size=(n, s))
    return np.where(t >= blank, t + 1, t)


sequences = blocks(Shared(seed=20251130, draw=lambda rng, shape, dtype: quantize(rng.normal(size=shape), dtype)))


def ctc_case(group, args, kwargs, dtype, go=PICK, flags=()):
    return Case("ctc_loss", args, kwargs, group=group, grad_output=go, compute="float64",
                native=dtype == F32, flags=flags)


@sequences
def basic(rng):
    """Padded and concatenated targets, input lengths below T, an empty target, both blanks at
    the ends of the class range, zero_infinity with and without an infeasible sample (a
    target longer than its input, and repeats that need a blank between them)."""
    t, n, c, s = 12, 4, 5, 4
    for dtype in (F32, F64):
        for red in REDUCTIONS:
            for blank in (0, c - 1):
                x = log_probs(rng, (t, n, c), dtype)
                tg = targets_for(rng, n, s, c, blank)
                il = np.array([12, 9, 7, 12])
                tl = np.array([4, 3, 0, 2])
                yield ctc_case("basic", [x, tg, il, tl], {"blank": blank, "reduction": red}, dtype)
                concat = np.concatenate([tg[i, :tl[i]] for i in range(n)])
                yield ctc_case("concatenated", [x, concat, il, tl], {"blank": blank, "reduction": red}, dtype)
            for zi in (False, True):
                x = log_probs(rng, (t, n, c), dtype)
                tg = targets_for(rng, n, s, c, 0)
                tg[1] = [2, 2, 2, 2]  # needs 7 frames; it has 5
                il = np.array([12, 5, 3, 12])
                tl = np.array([4, 4, 4, 1])  # sample 2: 4 labels in 3 frames
                yield ctc_case("infeasible", [x, tg, il, tl], {"reduction": red, "zero_infinity": zi}, dtype,
                               flags=("where_torch_finite",))


@sequences
def unbatched(rng):
    """(T, C) log-probabilities with (S,) targets (concatenated: S is the target length) or
    (1, S) padded ones, and 0-d or one-element lengths."""
    for dtype in (F32, F64):
        for red in REDUCTIONS:
            x = log_probs(rng, (10, 6), dtype)
            tg = targets_for(rng, 1, 4, 6, 0)
            yield ctc_case("unbatched", [x, tg[0], np.array(10), np.array(4)], {"reduction": red}, dtype)
            yield ctc_case("unbatched", [x, tg, np.array([8]), np.array([3])], {"reduction": red}, dtype)


@sequences
def long(rng):
    """T = 300 frames with targets of 140-150 labels (near T/2): log-space sums that would
    underflow as probabilities (e^-700 and below)."""
    for dtype in (F32, F64):
        for red in REDUCTIONS:
            x = log_probs(rng, (300, 2, 5), dtype, spread=3.0)
            tg = np.tile([1, 2, 3, 4], (2, 38))  # no repeats: every label needs one frame
            il, tl = np.array([300, 290]), np.array([150, 140])
            yield ctc_case("long", [x, tg, il, tl], {"reduction": red}, dtype)


@sequences
def extreme(rng):
    """Scores that are not log-probabilities (positive, unnormalized; torch's gradient form
    assumes log_softmax outputs and is recorded as it is), very unlikely targets (scores near
    -80), a target holding the blank class (torch computes it), also as its last label,
    samples without frames, one frame, one class beside blank."""
    for dtype in (F32, F64):
        x = quantize(rng.normal(size=(6, 2, 4)), dtype)
        tg = targets_for(rng, 2, 3, 4, 0)
        yield ctc_case("unnormalized", [x, tg, np.array([6, 5]), np.array([3, 2])], {"reduction": "sum"}, dtype)
        x = log_probs(rng, (8, 2, 5), dtype)
        x[:, :, 1:] -= 80
        yield ctc_case("unlikely", [log_softmax(x).astype(dtype), targets_for(rng, 2, 3, 5, 0), np.array([8, 8]),
                                    np.array([3, 2])], {"reduction": "none"}, dtype)
        tg = targets_for(rng, 2, 3, 4, 0)
        tg[0, 1] = 0
        yield ctc_case("blank-in-target", [log_probs(rng, (7, 2, 4), dtype), tg, np.array([7, 7]), np.array([3, 3])],
                       {"reduction": "mean"}, dtype)
        # A target ending in blank: torch's backward assigns the two final states' terms to their
        # classes one after the other at the last frame, so the second replaces the first.
        tg = np.array([[2, 1, 3], [1, 3, 2]])
        yield ctc_case("blank-ends-target", [log_probs(rng, (9, 2, 4), dtype), tg, np.array([9, 7]), np.array([2, 3])],
                       {"blank": 1, "reduction": "none"}, dtype)
        # No frames: an empty target costs -0, any other inf, or 0 under zero_infinity.
        for zi in (False, True):
            yield ctc_case("no-frames", [log_probs(rng, (3, 3, 4), dtype), np.array([[1, 2], [3, 3], [1, 1]]),
                                         np.array([0, 0, 3]), np.array([0, 2, 1])],
                           {"reduction": "none", "zero_infinity": zi}, dtype, flags=("where_torch_finite",))
        yield ctc_case("one-frame", [log_probs(rng, (1, 3, 3), dtype), np.array([[1], [2], [1]]),
                                     np.array([1, 1, 0]), np.array([1, 0, 0])], {"reduction": "none"}, dtype)
        yield ctc_case("two-classes", [log_probs(rng, (5, 2, 2), dtype), np.array([[1, 1], [1, 0]]),
                                       np.array([5, 4]), np.array([2, 1])], {"reduction": "mean"}, dtype)


@sequences
def dtypes(rng):
    """Lengths of narrow integer dtypes, as lists and tuples, (2, 1) shaped (torch reads them
    flat); targets of int32, uint8, bool (class 1) and float (truncated, as torch converts)."""
    x = log_probs(rng, (6, 2, 4), F64)
    tg = targets_for(rng, 2, 3, 4, 0)
    il, tl = np.array([6, 5]), np.array([3, 2])
    yield ctc_case("lengths-int32", [x, tg, il.astype(np.int32), tl.astype(np.uint8)], {}, F64)
    yield ctc_case("lengths-2d", [x, tg, il.reshape(2, 1), tl.reshape(1, 2)], {}, F64)
    yield ctc_case("targets-int32", [x, tg.astype(np.int32), il, tl], {}, F64)
    yield ctc_case("targets-uint8", [x, tg.astype(np.uint8), il, tl], {"reduction": "sum"}, F64)
    yield ctc_case("targets-bool", [x, np.ones((2, 3), bool), il, tl], {"reduction": "none"}, F64)
    yield ctc_case("targets-float", [x, tg + 0.75, il, tl], {"reduction": "none"}, F64)


@sequences
def refused(rng):
    """Calls torch refuses: blank outside [0, C), an input length above T or negative, a
    negative target length, one above the padded S, lengths of the wrong size or dtype, a
    concatenated target of the wrong size, an empty batch, empty frames, targets of 3
    dimensions, log_probs of 4, padded targets with the wrong number of rows."""
    x = log_probs(rng, (6, 2, 4), F64)
    tg = targets_for(rng, 2, 3, 4, 0)
    il, tl = np.array([6, 5]), np.array([3, 2])
    for blank in (-1, 4):
        yield ctc_case("refused", [x, tg, il, tl], {"blank": blank}, F64)
    yield ctc_case("refused", [x, tg, np.array([7, 5]), tl], {}, F64)
    yield ctc_case("refused", [x, tg, np.array([-1, 5]), tl], {}, F64)
    yield ctc_case("refused", [x, tg, il, np.array([-1, 2])], {}, F64)
    yield ctc_case("refused", [x, tg, il, np.array([4, 2])], {}, F64)
    yield ctc_case("refused", [x, tg, np.array([6]), tl], {}, F64)
    yield ctc_case("refused", [x, tg, il, np.array([3, 2, 1])], {}, F64)
    yield ctc_case("refused", [x, tg, np.array([6.0, 5.0]), tl], {}, F64)
    yield ctc_case("refused", [x, np.array([1, 2, 3, 1]), il, tl], {}, F64)
    yield ctc_case("refused", [x[:, :0], tg[:0], il[:0], tl[:0]], {"reduction": "sum"}, F64)
    yield ctc_case("refused", [x[:0], tg, np.array([0, 0]), np.array([0, 0])], {}, F64)
    yield ctc_case("refused", [x, tg[None], il, tl], {}, F64)
    yield ctc_case("refused", [x[None], tg, il, tl], {}, F64)
    yield ctc_case("refused", [x, tg[:1], il, tl], {}, F64)


BLOCKS = sequences.collected
