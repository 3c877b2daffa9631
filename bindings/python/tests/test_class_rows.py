"""The class-rows family (cross_entropy with class-index and probability targets, nll_loss,
focal_loss, their _and_grad variants, the module classes and losscore.class_weights) against
independent float64 numpy formulas (tests/support.py), property tests (hypothesis),
thread-count independence, argument errors and the tutorial's examples. torch's own values
are checked case by case in test_reference.py.
"""
from __future__ import annotations

import zlib

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import losscore
import losscore.functional as F
import losscore.nn as nn
from support import class_rows_reference, grad_output_objective, loss_shape, numeric_gradient

REDUCTIONS = ("none", "mean", "sum")
TOL = {np.float32: dict(rtol=1e-5, atol=2e-6), np.float64: dict(rtol=1e-12, atol=1e-13)}


def assert_matches(got, want, dtype, what=""):
    got = np.asarray(got, dtype=np.float64)
    want = np.asarray(want, dtype=np.float64)
    assert got.shape == want.shape, (what, got.shape, want.shape)
    finite = want[np.isfinite(want)]
    scale = max(1.0, float(np.abs(finite).max())) if finite.size else 1.0
    tol = TOL[np.dtype(dtype).type]
    np.testing.assert_allclose(got, want, rtol=tol["rtol"], atol=tol["atol"] * scale, equal_nan=True,
                               err_msg=what)


def call(fn, x, target, grad=False, **kwargs):
    name = fn + ("_and_grad" if grad else "")
    return getattr(F, name)(x, target, **kwargs)


def random_case(rng, shape, dtype, fn, *, ignore=None, probs=False, weight=False, scale=2.0):
    x = (rng.normal(size=shape) * scale).astype(dtype)
    c = shape[0] if len(shape) == 1 else shape[1]
    if probs:
        z = rng.normal(size=shape)
        d = 0 if len(shape) == 1 else 1
        e = np.exp(z - z.max(axis=d, keepdims=True))
        target = (e / e.sum(axis=d, keepdims=True)).astype(dtype)
    else:
        target = rng.integers(0, c, size=loss_shape(shape)).astype(np.int64)
        if ignore is not None and target.size:
            flat = target.reshape(-1)
            flat[rng.random(flat.size) < 0.3] = ignore
            flat[0] = 0 if ignore != 0 else 1  # at least one real target
            target = flat.reshape(target.shape)
    w = rng.uniform(0.2, 2.0, size=c).astype(dtype) if weight else None
    return x, target, w


# ---------------------------------------------------------------------------------------
# Against the numpy reference: shapes, options, reductions, grad_output
# ---------------------------------------------------------------------------------------

SHAPES = [(7,), (6, 7), (4, 7, 5), (3, 7, 2, 3), (2, 3, 1, 1, 4), (2, 5, 37)]
VARIANTS = [
    ("cross_entropy", dict()),
    ("cross_entropy", dict(weight=True, ignore=-100, label_smoothing=0.2)),
    ("cross_entropy", dict(weight=True, ignore=3, label_smoothing=0.0)),
    ("cross_entropy", dict(ignore=0, label_smoothing=1.0)),
    ("cross_entropy", dict(probs=True, label_smoothing=0.0)),
    ("cross_entropy", dict(probs=True, weight=True, label_smoothing=0.3)),
    ("nll_loss", dict()),
    ("nll_loss", dict(weight=True, ignore=2)),
    ("focal_loss", dict(gamma=2.0)),
    ("focal_loss", dict(gamma=0.5, weight=True, ignore=1)),
    ("focal_loss", dict(gamma=3.3, weight=True, ignore=-100)),
]


def run_variant(rng, fn, variant, shape, dtype, reduction):
    options = dict(variant)
    x, target, w = random_case(rng, shape, dtype, fn, ignore=options.pop("ignore", None),
                               probs=options.pop("probs", False), weight=options.pop("weight", False))
    kwargs = dict(weight=w, reduction=reduction, **options)
    if fn != "cross_entropy" or target.dtype.kind != "f":
        kwargs["ignore_index"] = variant.get("ignore", -100)
    go = (rng.normal(size=loss_shape(shape)).astype(dtype) if reduction == "none" else -0.625)
    return x, target, kwargs, go


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("shape", SHAPES, ids=str)
@pytest.mark.parametrize("fn,variant", VARIANTS, ids=[f"{f}-{i}" for i, (f, _) in enumerate(VARIANTS)])
def test_against_numpy_reference(fn, variant, shape, dtype):
    rng = np.random.default_rng(zlib.crc32(repr((fn, variant, shape)).encode()))
    for reduction in REDUCTIONS:
        x, target, kwargs, go = run_variant(rng, fn, variant, shape, dtype, reduction)
        want_loss, want_grad = class_rows_reference(fn, x, target, grad_output=go, **kwargs)
        what = f"{fn} {kwargs} shape {shape} {np.dtype(dtype).name}"
        loss = call(fn, x, target, **kwargs)
        assert_matches(loss, want_loss, dtype, what)
        assert np.asarray(loss).dtype == dtype
        loss2, grad = call(fn, x, target, grad=True, grad_output=go, **kwargs)
        assert_matches(loss2, want_loss, dtype, what)
        assert grad.dtype == dtype and grad.shape == x.shape
        assert_matches(grad, want_grad, dtype, "gradient of " + what)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("shape", [(5000, 13), (3, 7, 20000), (2, 300, 150)], ids=str)
def test_large_inputs_cross_block_boundaries(shape, dtype):
    # More than one fixed block of work (and the parallel path): sums and the K-dim tiles.
    rng = np.random.default_rng(7)
    for fn, variant in (VARIANTS[1], VARIANTS[5], VARIANTS[7], VARIANTS[9]):
        for reduction in ("none", "mean"):
            x, target, kwargs, go = run_variant(rng, fn, variant, shape, dtype, reduction)
            want_loss, want_grad = class_rows_reference(fn, x, target, grad_output=go, **kwargs)
            loss, grad = call(fn, x, target, grad=True, grad_output=go, **kwargs)
            assert_matches(loss, want_loss, dtype, f"{fn} {shape} {reduction}")
            assert_matches(grad, want_grad, dtype, f"gradient of {fn} {shape} {reduction}")


@pytest.mark.parametrize("shape", [(2, 5, 37), (1, 21, 4, 16), (3, 2, 16)], ids=str)
@pytest.mark.parametrize("fn,variant", [VARIANTS[1], VARIANTS[2], VARIANTS[3], VARIANTS[7], VARIANTS[8],
                                        VARIANTS[9], VARIANTS[10], ("focal_loss", dict(gamma=0.0, ignore=0))],
                         ids=lambda v: v if isinstance(v, str) else ",".join(f"{k}={x}" for k, x in v.items()))
def test_kdim_float32_matches_the_same_positions_as_rows(fn, variant, shape):
    # K-dim float32 inputs run sixteen positions at a time; (N * d, C) rows run one by one.
    # Both must give the same values and gradients up to float32 rounding.
    rng = np.random.default_rng(zlib.crc32(repr((fn, variant, shape)).encode()))
    x, target, kwargs, go = run_variant(rng, fn, variant, shape, np.float32, "none")
    c = shape[1]
    rows_x = np.ascontiguousarray(np.moveaxis(x, 1, -1).reshape(-1, c))
    loss, grad = call(fn, x, target, grad=True, grad_output=go, **kwargs)
    row_loss, row_grad = call(fn, rows_x, target.reshape(-1), grad=True, grad_output=go.reshape(-1), **kwargs)
    np.testing.assert_allclose(loss.reshape(-1), row_loss, rtol=2e-6, atol=2e-6)
    np.testing.assert_allclose(np.moveaxis(grad, 1, -1).reshape(-1, c), row_grad, rtol=2e-6, atol=2e-7)
    for reduction in ("mean", "sum"):
        kwargs["reduction"] = reduction
        np.testing.assert_allclose(call(fn, x, target, **kwargs), call(fn, rows_x, target.reshape(-1), **kwargs),
                                   rtol=2e-6)


def test_mixed_float32_float64_arguments():
    # float64 weight or probabilities promote the loss to float64; the gradient keeps the
    # input's dtype (torch's autograd rule: gradients have the input's dtype)
    rng = np.random.default_rng(16)
    x = rng.normal(size=(5, 4)).astype(np.float32)
    t = rng.integers(0, 4, size=5)
    w = rng.uniform(0.5, 1.5, size=4)
    probs = rng.dirichlet(np.ones(4), size=5)
    for fn, target, kwargs in (("cross_entropy", t, dict(weight=w)), ("nll_loss", t, dict(weight=w)),
                               ("focal_loss", t, dict(weight=w)), ("cross_entropy", probs, dict())):
        loss, grad = call(fn, x, target, grad=True, **kwargs)
        assert loss.dtype == np.float64, (fn, loss.dtype)
        assert grad.dtype == np.float32 and grad.shape == x.shape, (fn, grad.dtype)
        want, want_grad = class_rows_reference(fn, x, target, **kwargs)
        assert_matches(loss, want, np.float32)
        assert_matches(grad, want_grad, np.float32)


@pytest.mark.parametrize("fn", ["cross_entropy", "nll_loss", "focal_loss"])
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_default_grad_output_is_ones(fn, reduction):
    rng = np.random.default_rng(3)
    x, target, w = random_case(rng, (5, 4, 3), np.float64, fn, ignore=1, weight=True)
    _, grad = call(fn, x, target, grad=True, weight=w, ignore_index=1, reduction=reduction)
    ones = np.ones((5, 3)) if reduction == "none" else 1.0
    _, grad_ones = call(fn, x, target, grad=True, weight=w, ignore_index=1, reduction=reduction, grad_output=ones)
    np.testing.assert_array_equal(grad, grad_ones)
    _, want = class_rows_reference(fn, x, target, weight=w, ignore_index=1, reduction=reduction)
    assert_matches(grad, want, np.float64)


def test_grad_output_broadcasts_and_is_checked():
    rng = np.random.default_rng(4)
    x, target, _ = random_case(rng, (4, 3, 2), np.float64, "cross_entropy")
    _, g1 = F.cross_entropy_and_grad(x, target, reduction="none", grad_output=2.0)
    _, g2 = F.cross_entropy_and_grad(x, target, reduction="none", grad_output=np.full((4, 2), 2.0))
    np.testing.assert_array_equal(g1, g2)
    with pytest.raises(ValueError, match="grad_output"):
        F.cross_entropy_and_grad(x, target, reduction="none", grad_output=np.ones((3, 2)))
    with pytest.raises(TypeError, match="grad_output"):
        F.cross_entropy_and_grad(x, target, reduction="mean", grad_output=np.ones((4, 2)))


def test_unbatched_input():
    x = np.array([0.3, -1.2, 2.0, 0.1])
    loss = F.cross_entropy(x, 2, reduction="none")
    assert isinstance(loss, np.ndarray) and loss.shape == ()
    assert_matches(loss, class_rows_reference("cross_entropy", x, np.array(2), reduction="none")[0], np.float64)
    assert np.isnan(F.cross_entropy(x, 2, ignore_index=2))  # the only position is ignored
    assert F.cross_entropy(x, 2, ignore_index=2, reduction="sum") == 0
    q = np.array([0.1, 0.2, 0.3, 0.4])
    assert_matches(F.cross_entropy(x, q), class_rows_reference("cross_entropy", x, q)[0], np.float64)
    assert_matches(F.focal_loss(x, np.int64(1), gamma=1.5), class_rows_reference("focal_loss", x, np.array(1), gamma=1.5)[0],
                   np.float64)


@pytest.mark.parametrize("fn", ["cross_entropy", "nll_loss", "focal_loss"])
def test_empty_and_all_ignored_batches(fn):
    x = np.zeros((0, 5), dtype=np.float32)
    t = np.zeros(0, dtype=np.int64)
    assert np.isnan(call(fn, x, t)) and call(fn, x, t).dtype == np.float32
    assert call(fn, x, t, reduction="sum") == 0
    none = call(fn, x, t, reduction="none")
    assert none.shape == (0,) and none.dtype == np.float32
    loss, grad = call(fn, x, t, grad=True)
    assert np.isnan(loss) and grad.shape == (0, 5)

    rng = np.random.default_rng(5)
    x = rng.normal(size=(3, 5, 2))
    t = np.full((3, 2), 4)
    w = rng.uniform(0.5, 1.5, 5)
    loss, grad = call(fn, x, t, grad=True, weight=w, ignore_index=4)
    assert np.isnan(loss)
    np.testing.assert_array_equal(grad, np.zeros_like(x))
    loss, grad = call(fn, x, t, grad=True, weight=w, ignore_index=4, reduction="sum")
    assert loss == 0
    np.testing.assert_array_equal(grad, np.zeros_like(x))
    np.testing.assert_array_equal(call(fn, x, t, ignore_index=4, reduction="none"), np.zeros((3, 2)))


def test_nan_in_a_row_stays_in_that_row():
    x = np.array([[0.1, 0.2, 0.3], [np.nan, 0.0, 1.0], [2.0, -1.0, 0.5]])
    t = np.array([0, 1, 2])
    for fn in ("cross_entropy", "focal_loss"):
        loss = call(fn, x, t, reduction="none")
        assert np.isnan(loss[1]) and np.all(np.isfinite(loss[[0, 2]])), (fn, loss)
        assert np.isnan(call(fn, x, t))


def test_focal_gamma_zero_with_negative_infinite_logit_is_cross_entropy():
    # gamma = 0 is cross-entropy (the header says so), also where the target's logit is -inf:
    # the loss is inf and the gradient p - onehot is finite, as torch computes it
    # (torch's pow backward treats exponent 0 as a constant).
    x = np.array([[-np.inf, 0.0, 1.0, 2.0], [0.5, -1.0, 2.0, 0.25]])
    t = np.array([0, 2])
    ce, ce_grad = F.cross_entropy_and_grad(x, t, reduction="none")
    focal, focal_grad = F.focal_loss_and_grad(x, t, gamma=0.0, reduction="none")
    np.testing.assert_array_equal(focal, ce)  # [inf, finite]
    assert np.all(np.isfinite(ce_grad))
    np.testing.assert_allclose(focal_grad, ce_grad, rtol=1e-15, atol=0,
                               err_msg="focal_loss(gamma=0) gradient where the target's logit is -inf")


def test_label_smoothing_mean_with_zero_target_weight_is_nan():
    # torch: (1 - eps) * (0 / 0) + eps * (smooth / 0) = NaN, like every other 'mean' over a zero
    # weight sum ('mean' divides both terms by the same denominator, as torch).
    x = np.array([[0.5, -1.0, 2.0], [0.1, 0.2, 0.3]])
    t = np.array([0, 0])
    w = np.array([0.0, 1.0, 2.0])
    assert np.isnan(F.cross_entropy(x, t, weight=w))
    assert np.isnan(F.nll_loss(x, t, weight=w))
    assert np.isnan(F.cross_entropy(x, t, weight=w, label_smoothing=0.2)), \
        f"got {F.cross_entropy(x, t, weight=w, label_smoothing=0.2)}, torch gives nan"


@pytest.mark.parametrize("fn", ["cross_entropy", "nll_loss", "focal_loss"])
def test_float16_input_gives_float16_result(fn):
    # The result has the input's dtype (float16 may be computed in float32); torch
    # returns float16 for float16 input, and so do LossCore's regression losses.
    x = np.array([[0.5, -1.0, 2.0], [0.1, 0.2, 0.3]], dtype=np.float16)
    t = np.array([2, 0])
    want = call(fn, x.astype(np.float32), t, reduction="none")
    for reduction in REDUCTIONS:
        got = call(fn, x, t, reduction=reduction)
        assert got.dtype == np.float16, f"{fn}(float16 input, reduction={reduction!r}) returned {got.dtype}"
    np.testing.assert_allclose(call(fn, x, t, reduction="none").astype(np.float32), want, rtol=1e-3)
    _, grad = call(fn, x, t, grad=True)
    assert grad.dtype == np.float16, f"{fn}_and_grad(float16 input) gradient dtype {grad.dtype}"


def test_concurrent_calls_from_python_threads():
    import threading

    rng = np.random.default_rng(15)
    problems = [(rng.normal(size=(2000, 50)), rng.integers(0, 50, size=2000)) for _ in range(4)]
    serial = [F.focal_loss_and_grad(x, t, gamma=1.5, reduction="sum") for x, t in problems]
    results = [None] * 4

    def work(i):
        x, t = problems[i]
        for _ in range(5):
            results[i] = F.focal_loss_and_grad(x, t, gamma=1.5, reduction="sum")

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for (loss, grad), (want_loss, want_grad) in zip(results, serial):
        assert loss == want_loss
        np.testing.assert_array_equal(grad, want_grad)


# ---------------------------------------------------------------------------------------
# Inputs: target dtypes, non-contiguous arrays, lists
# ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("tdtype", [np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32,
                                    np.uint64])
def test_any_integer_target_dtype(tdtype):
    rng = np.random.default_rng(6)
    x = rng.normal(size=(6, 5))
    t = rng.integers(0, 5, size=6)
    want = F.cross_entropy(x, t.astype(np.int64), reduction="none")
    for fn in ("cross_entropy", "nll_loss", "focal_loss"):
        np.testing.assert_array_equal(call(fn, x, t.astype(tdtype), reduction="none"),
                                      call(fn, x, t.astype(np.int64), reduction="none"))
    np.testing.assert_array_equal(F.cross_entropy(x, t.astype(tdtype), reduction="none"), want)


def test_non_contiguous_and_list_inputs():
    rng = np.random.default_rng(8)
    base = rng.normal(size=(6, 8, 3))
    x = base[:, ::2, :]  # (6, 4, 3), strided
    xt = np.asfortranarray(rng.normal(size=(6, 4)))
    t = rng.integers(0, 4, size=(6, 3, 2))[:, :, 0]
    w = np.linspace(0.5, 2, 8)[::2]
    for fn in ("cross_entropy", "nll_loss", "focal_loss"):
        got, grad = call(fn, x, t, grad=True, weight=w, reduction="none")
        want, want_grad = call(fn, np.ascontiguousarray(x), np.ascontiguousarray(t), grad=True,
                               weight=np.ascontiguousarray(w), reduction="none")
        np.testing.assert_array_equal(got, want)
        np.testing.assert_array_equal(grad, want_grad)
        tt = np.arange(6) % 4
        np.testing.assert_array_equal(call(fn, xt, tt), call(fn, np.ascontiguousarray(xt), tt))
    probs = rng.dirichlet(np.ones(4), size=(6, 3)).transpose(0, 2, 1)  # non-contiguous view
    np.testing.assert_array_equal(F.cross_entropy(x, probs, reduction="none"),
                                  F.cross_entropy(np.ascontiguousarray(x), np.ascontiguousarray(probs),
                                                  reduction="none"))
    # read-only broadcast views (zero strides) and byte-swapped data
    row = np.array([0.1, 0.5, -0.3])
    np.testing.assert_array_equal(F.cross_entropy(np.broadcast_to(row, (4, 3)), np.broadcast_to(np.array(1), (4,)),
                                                  reduction="none"),
                                  F.cross_entropy(np.tile(row, (4, 1)), np.ones(4, np.int64), reduction="none"))
    swapped = xt.astype(xt.dtype.newbyteorder(">"))
    np.testing.assert_array_equal(F.focal_loss(swapped, np.arange(6) % 4), F.focal_loss(xt, np.arange(6) % 4))
    lst = [[0.5, -0.2, 1.0], [0.0, 0.3, -1.0]]
    loss = F.cross_entropy(lst, [2, 0])
    assert loss.dtype == np.float64
    assert_matches(loss, class_rows_reference("cross_entropy", np.array(lst), np.array([2, 0]))[0], np.float64)


# ---------------------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------------------

PROPERTY_SETTINGS = settings(max_examples=40, deadline=None, derandomize=True, database=None,
                             suppress_health_check=[HealthCheck.too_slow])


@st.composite
def problems(draw, fns=("cross_entropy", "cross_entropy_probs", "nll_loss", "focal_loss"), max_c=6):
    fn = draw(st.sampled_from(fns))
    c = draw(st.integers(1, max_c))
    kind = draw(st.sampled_from(["1d", "2d", "kd"]))
    if kind == "1d":
        shape = (c,)
    elif kind == "2d":
        shape = (draw(st.integers(1, 5)), c)
    else:
        shape = (draw(st.integers(1, 3)), c) + tuple(draw(st.lists(st.integers(1, 3), min_size=1, max_size=2)))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    x = rng.uniform(-2, 2, size=shape)
    kwargs = dict(reduction=draw(st.sampled_from(REDUCTIONS)))
    if draw(st.booleans()):
        kwargs["weight"] = rng.uniform(0.2, 2.0, size=c)
    if fn == "cross_entropy_probs":
        z = rng.normal(size=shape)
        d = 0 if len(shape) == 1 else 1
        target = np.exp(z) / np.exp(z).sum(axis=d, keepdims=True)
        fn = "cross_entropy"
    else:
        target = rng.integers(0, c, size=loss_shape(shape))
        ignore = draw(st.sampled_from([-100, 0, c - 1]))
        kwargs["ignore_index"] = ignore
        if np.all(target == ignore):
            target = np.where(target == ignore, (ignore + 1) % c if c > 1 else target, target)
    if fn == "cross_entropy":
        kwargs["label_smoothing"] = draw(st.sampled_from([0.0, 0.05, 0.5, 1.0]))
    if fn == "focal_loss":
        kwargs["gamma"] = draw(st.sampled_from([0.0, 0.25, 0.5, 1.0, 1.5, 2.0, 3.7, 5.0]))
    go = rng.normal(size=loss_shape(shape)) if kwargs["reduction"] == "none" else float(rng.uniform(-2, 2))
    return fn, x, np.asarray(target), kwargs, go


@PROPERTY_SETTINGS
@given(problems())
def test_gradient_matches_central_finite_differences(problem):
    fn, x, target, kwargs, go = problem
    loss, grad = call(fn, x, target, grad=True, grad_output=go, **kwargs)
    if not np.all(np.isfinite(loss)):  # e.g. every position ignored under 'mean'
        return

    objective = grad_output_objective(lambda z: call(fn, z, target, **kwargs), go)
    numeric = numeric_gradient(objective, x, 1e-6)
    scale = max(1.0, float(np.abs(numeric).max()))
    np.testing.assert_allclose(grad, numeric, rtol=1e-5, atol=1e-6 * scale, err_msg=f"{fn} {kwargs}")


@PROPERTY_SETTINGS
@given(problems())
def test_sum_is_mean_times_denominator(problem):
    fn, x, target, kwargs, _ = problem
    kwargs = dict(kwargs)
    total = call(fn, x, target, **{**kwargs, "reduction": "sum"})
    mean = call(fn, x, target, **{**kwargs, "reduction": "mean"})
    c = x.shape[0] if x.ndim == 1 else x.shape[1]
    w = kwargs.get("weight")
    w = np.ones(c) if w is None else w
    if target.dtype.kind == "f":
        denominator = target.size / c  # positions, whatever the weights
    else:
        t = target.reshape(-1)
        keep = t != kwargs["ignore_index"]
        denominator = float(w[t[keep]].sum())
    if denominator == 0:
        assert np.isnan(mean) and total == 0
    else:
        np.testing.assert_allclose(mean * denominator, total, rtol=1e-12, atol=1e-12)
    # and 'sum' is the sum of 'none'
    none = call(fn, x, target, **{**kwargs, "reduction": "none"})
    np.testing.assert_allclose(np.sum(none), total, rtol=1e-12, atol=1e-12)


@PROPERTY_SETTINGS
@given(problems(fns=("focal_loss",)))
def test_focal_gamma_zero_is_cross_entropy(problem):
    _, x, target, kwargs, go = problem
    kwargs = {**kwargs, "gamma": 0.0}
    focal, focal_grad = F.focal_loss_and_grad(x, target, grad_output=go, **kwargs)
    kwargs.pop("gamma")
    ce, ce_grad = F.cross_entropy_and_grad(x, target, grad_output=go, **kwargs)
    np.testing.assert_allclose(focal, ce, rtol=1e-13, atol=1e-14, equal_nan=True)
    np.testing.assert_allclose(focal_grad, ce_grad, rtol=1e-13, atol=1e-14)


@PROPERTY_SETTINGS
@given(problems(fns=("cross_entropy",)))
def test_cross_entropy_is_nll_of_log_softmax(problem):
    _, x, target, kwargs, go = problem
    kwargs = {k: v for k, v in kwargs.items() if k != "label_smoothing"}
    d = 0 if x.ndim == 1 else 1
    m = x.max(axis=d, keepdims=True)
    logp = x - m - np.log(np.exp(x - m).sum(axis=d, keepdims=True))
    ce, ce_grad = F.cross_entropy_and_grad(x, target, grad_output=go, **kwargs)
    nll, nll_grad = F.nll_loss_and_grad(logp, target, grad_output=go, **kwargs)
    np.testing.assert_allclose(ce, nll, rtol=1e-12, atol=1e-13, equal_nan=True)
    # chain rule through log_softmax: g_x = g - softmax * sum(g)
    p = np.exp(logp)
    want = nll_grad - p * nll_grad.sum(axis=d, keepdims=True)
    np.testing.assert_allclose(ce_grad, want, rtol=1e-11, atol=1e-13)


@PROPERTY_SETTINGS
@given(problems(fns=("cross_entropy", "focal_loss")))
def test_gradient_sums_to_zero_over_classes(problem):
    # Holds for softmax-based losses with index targets (any weight, smoothing or gamma).
    fn, x, target, kwargs, go = problem
    _, grad = call(fn, x, target, grad=True, grad_output=go, **kwargs)
    d = 0 if x.ndim == 1 else 1
    scale = max(1.0, float(np.abs(grad).max()))
    np.testing.assert_allclose(grad.sum(axis=d), 0.0, atol=1e-13 * scale * x.shape[d])


def test_gradient_rows_sum_to_zero_unweighted_unsmoothed_float32():
    rng = np.random.default_rng(9)
    x = rng.normal(size=(64, 10)).astype(np.float32) * 3
    t = rng.integers(0, 10, size=64)
    _, grad = F.cross_entropy_and_grad(x, t)
    np.testing.assert_allclose(grad.sum(axis=1), 0.0, atol=1e-8)


# ---------------------------------------------------------------------------------------
# Threads: bitwise identical results for any thread count
# ---------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def large_problem():
    rng = np.random.default_rng(10)
    x = rng.normal(size=(4096, 1000)).astype(np.float32) * 3
    t = rng.integers(0, 1000, size=4096)
    t[::17] = 5  # ignored below
    w = rng.uniform(0.2, 2.0, size=1000).astype(np.float32)
    return x, t, w


def test_thread_count_does_not_change_results(large_problem):
    x, t, w = large_problem
    x64 = x.astype(np.float64)
    probs = np.full(x.shape, 1.0 / x.shape[1], dtype=np.float32)
    xk = np.ascontiguousarray(x.reshape(64, 64, 1000).transpose(0, 2, 1))  # (64, 1000, 64): K-dim
    tk = t.reshape(64, 64)
    calls = [
        ("ce f32", ("mean", "sum", "none"),
         lambda r: F.cross_entropy_and_grad(x, t, weight=w, ignore_index=5, reduction=r, label_smoothing=0.1)),
        ("ce f32 loss only", ("mean", "none"),
         lambda r: (F.cross_entropy(x, t, weight=w, ignore_index=5, reduction=r, label_smoothing=0.1), x[:0])),
        ("ce f64", ("mean", "sum"), lambda r: F.cross_entropy_and_grad(x64, t, reduction=r)),
        ("ce probs", ("mean",),
         lambda r: F.cross_entropy_and_grad(x, probs, weight=w, reduction=r, label_smoothing=0.2)),
        ("nll", ("mean", "sum"), lambda r: F.nll_loss_and_grad(x, t, weight=w, ignore_index=5, reduction=r)),
        ("focal", ("mean", "sum"),
         lambda r: F.focal_loss_and_grad(x, t, weight=w, gamma=2.0, ignore_index=5, reduction=r)),
        ("focal loss only", ("sum",), lambda r: (F.focal_loss(x, t, gamma=2.0, reduction=r), x[:0])),
        ("focal k-dim", ("mean", "none"), lambda r: F.focal_loss_and_grad(xk, tk, gamma=0.5, reduction=r)),
        ("ce k-dim", ("sum",),
         lambda r: F.cross_entropy_and_grad(xk, tk, weight=w, reduction=r, label_smoothing=0.1)),
    ]
    previous = losscore.get_num_threads()
    try:
        for name, reductions, fn in calls:
            for reduction in reductions:
                results = {}
                for threads in (1, 2):
                    losscore.set_num_threads(threads)
                    assert losscore.get_num_threads() == threads
                    results[threads] = fn(reduction)
                (l1, g1), (l2, g2) = results[1], results[2]
                assert np.asarray(l1).tobytes() == np.asarray(l2).tobytes(), f"{name} {reduction}: loss"
                assert g1.tobytes() == g2.tobytes(), f"{name} {reduction}: gradient"
    finally:
        losscore.set_num_threads(previous)


def test_large_mean_is_accurate(large_problem):
    x, t, w = large_problem
    got = F.cross_entropy(x, t, weight=w, ignore_index=5)
    want, _ = class_rows_reference("cross_entropy", x, t, weight=w, ignore_index=5)
    np.testing.assert_allclose(got, want, rtol=2e-6)


# ---------------------------------------------------------------------------------------
# Argument errors: the right exception, with a message naming the problem
# ---------------------------------------------------------------------------------------

X = np.random.default_rng(11).normal(size=(4, 3))
XK = np.random.default_rng(12).normal(size=(2, 3, 5))
T = np.array([0, 2, 1, 1])
FNS = ("cross_entropy", "nll_loss", "focal_loss")


@pytest.mark.parametrize("fn", FNS)
@pytest.mark.parametrize("grad", [False, True])
@pytest.mark.parametrize("bad", [3, 7, -1, -5, 2**40])
def test_target_out_of_range(fn, grad, bad):
    t = T.copy()
    t[1] = bad
    with pytest.raises(IndexError, match=rf"(?i)target.*{bad}|{bad}.*target"):
        call(fn, X, t, grad=grad)
    # an out-of-range target is refused even when another value is ignore_index
    with pytest.raises(IndexError, match="(?i)target"):
        call(fn, X, t, grad=grad, ignore_index=0)


@pytest.mark.parametrize("fn", FNS)
def test_target_out_of_range_kdim_and_unbatched(fn):
    t = np.zeros((2, 5), dtype=np.int64)
    t[1, 3] = 3
    with pytest.raises(IndexError, match="(?i)target"):
        call(fn, XK, t)
    with pytest.raises(IndexError, match="(?i)target"):
        call(fn, X[0], 3)
    with pytest.raises(IndexError, match="(?i)target"):
        call(fn, X, np.array([0, 1, 2, 2**63 + 5], dtype=np.uint64))


@pytest.mark.parametrize("fn", FNS)
def test_ignore_index_outside_range_is_fine(fn):
    t = T.copy()
    t[2] = 1000
    loss = call(fn, X, t, ignore_index=1000, reduction="none")
    assert loss[2] == 0


@pytest.mark.parametrize("fn", FNS)
@pytest.mark.parametrize("target", [np.array([0, 1, 2]), np.array([[0], [1], [2], [0]]), np.zeros((4, 3), np.int64),
                                    np.array(1)], ids=["short", "column", "input-shaped-int", "scalar"])
def test_target_wrong_shape(fn, target):
    with pytest.raises(ValueError, match="(?i)target.*shape|shape.*target"):
        call(fn, X, target)


@pytest.mark.parametrize("fn", FNS)
def test_target_wrong_shape_kdim(fn):
    with pytest.raises(ValueError, match="(?i)target"):
        call(fn, XK, np.zeros((2,), np.int64))
    with pytest.raises(ValueError, match="(?i)target"):
        call(fn, XK, np.zeros((2, 4), np.int64))
    with pytest.raises(ValueError, match="(?i)target"):
        call(fn, XK, np.zeros((5, 2), np.int64))


@pytest.mark.parametrize("shape", [(4,), (4, 2), (3, 3), (4, 3, 1), (1, 4, 3)])
def test_probability_target_wrong_shape(shape):
    with pytest.raises(ValueError, match="(?i)target.*shape|shape.*target"):
        F.cross_entropy(X, np.full(shape, 0.25))
    with pytest.raises(ValueError, match="(?i)target"):
        F.cross_entropy_and_grad(X, np.full(shape, 0.25))


@pytest.mark.parametrize("ignore_index", [0, 2, 5])
def test_ignore_index_with_probability_targets_is_refused(ignore_index):
    # torch: "ignore_index is not supported for floating point target" for any ignore_index >= 0
    probs = np.full((4, 3), 1 / 3)
    with pytest.raises(ValueError, match="ignore_index"):
        F.cross_entropy(X, probs, ignore_index=ignore_index)
    with pytest.raises(ValueError, match="ignore_index"):
        F.cross_entropy_and_grad(X, probs, ignore_index=ignore_index)


def test_negative_ignore_index_with_probability_targets_is_accepted():
    probs = np.full((4, 3), 1 / 3)
    want = F.cross_entropy(X, probs)
    assert F.cross_entropy(X, probs, ignore_index=-1) == want
    assert F.cross_entropy(X, probs, ignore_index=-100) == want


@pytest.mark.parametrize("fn", FNS)
@pytest.mark.parametrize("target", [np.array([True, False, True, True]), np.array(["a", "b", "c", "d"]),
                                    ["0", "1", "2", "1"], np.array([0, 1, 2, 1], dtype=object)],
                         ids=["bool", "str", "str-list", "object"])
def test_non_numeric_targets(fn, target):
    with pytest.raises(TypeError, match="(?i)target"):
        call(fn, X, target)


@pytest.mark.parametrize("fn", ["nll_loss", "focal_loss"])
def test_float_targets_only_for_cross_entropy(fn):
    with pytest.raises(TypeError, match="(?i)target"):
        call(fn, X, np.full((4, 3), 1 / 3))


@pytest.mark.parametrize("fn", FNS)
@pytest.mark.parametrize("weight", [np.ones(2), np.ones(4), np.ones((3, 1)), np.ones((1, 3)), np.float64(1.0)],
                         ids=["short", "long", "column", "row", "scalar"])
def test_bad_weight_shape(fn, weight):
    with pytest.raises(ValueError, match="(?i)weight"):
        call(fn, X, T, weight=weight)
    with pytest.raises(ValueError, match="(?i)weight"):
        call(fn, XK, np.zeros((2, 5), np.int64), grad=True, weight=weight)


def test_bad_weight_shape_probability_targets():
    with pytest.raises(ValueError, match="(?i)weight"):
        F.cross_entropy(X, np.full((4, 3), 1 / 3), weight=np.ones(4))


@pytest.mark.parametrize("fn", FNS)
def test_non_numeric_weight_and_input(fn):
    with pytest.raises(TypeError, match="(?i)weight"):
        call(fn, X, T, weight=np.array(["a", "b", "c"]))
    with pytest.raises(TypeError, match="(?i)input"):
        call(fn, np.array([[1, 2, 3]] * 4), T)
    with pytest.raises(TypeError, match="(?i)input"):
        call(fn, np.array([["a", "b", "c"]] * 4), T)
    with pytest.raises(ValueError, match="(?i)input"):
        call(fn, np.float64(1.0), np.array(0))


BAD_OPTIONS = [("label_smoothing", v, probs) for v in (-0.1, 1.0001, 2, float("nan"), float("inf"), -float("inf"))
               for probs in (False, True)] + \
              [("gamma", v, False) for v in (-1.0, -1e-9, -2, float("nan"), -float("inf"))]
OPTION_OWNERS = {"label_smoothing": ("cross_entropy", nn.CrossEntropyLoss), "gamma": ("focal_loss", nn.FocalLoss)}


@pytest.mark.parametrize("option,value,probs", BAD_OPTIONS, ids=[f"{o}={v}-{'probs' if p else 'index'}"
                                                                  for o, v, p in BAD_OPTIONS])
def test_bad_option_value(option, value, probs):
    fn, module = OPTION_OWNERS[option]
    target = np.full((4, 3), 1 / 3) if probs else T
    with pytest.raises(ValueError, match=option):
        call(fn, X, target, **{option: value})
    with pytest.raises(ValueError, match=option):
        call(fn, X, target, grad=True, **{option: value})
    with pytest.raises(ValueError, match=option):
        module(**{option: value})(X, target)


@pytest.mark.parametrize("value", ["0.1", None, [0.1]])
def test_label_smoothing_of_wrong_type(value):
    with pytest.raises(TypeError, match="label_smoothing"):
        F.cross_entropy(X, T, label_smoothing=value)


@pytest.mark.parametrize("value", ["2", None])
def test_gamma_of_wrong_type(value):
    with pytest.raises(TypeError, match="gamma"):
        F.focal_loss(X, T, gamma=value)


@pytest.mark.parametrize("fn", FNS)
@pytest.mark.parametrize("reduction", ["avg", "batchmean", None, "MEAN", ""])
def test_bad_reduction(fn, reduction):
    with pytest.raises(ValueError, match="reduction"):
        call(fn, X, T, reduction=reduction)


@pytest.mark.parametrize("fn", FNS)
@pytest.mark.parametrize("value", [1.5, "x", None, True])
def test_bad_ignore_index(fn, value):
    with pytest.raises(TypeError, match="ignore_index"):
        call(fn, X, T, ignore_index=value)


@pytest.mark.parametrize("fn", FNS)
def test_no_classes(fn):
    with pytest.raises((ValueError, IndexError), match="(?i)class|target|\\bc\\b"):
        call(fn, np.zeros((3, 0)), np.zeros(3, dtype=np.int64))


# ---------------------------------------------------------------------------------------
# Module classes
# ---------------------------------------------------------------------------------------

def test_focal_signatures():
    import inspect

    def params(fn):
        return [(p.name, p.default) for p in inspect.signature(fn).parameters.values()]

    empty = inspect.Parameter.empty
    spec = [("input", empty), ("target", empty), ("weight", None), ("gamma", 2.0), ("ignore_index", -100),
            ("reduction", "mean")]
    assert params(F.focal_loss) == spec
    assert params(F.focal_loss_and_grad) == spec + [("grad_output", None)]
    # the tutorial's module: FocalLoss(weight=None, gamma=2., reduction='none')
    assert params(nn.FocalLoss.__init__)[:4] == [("self", empty), ("weight", None), ("gamma", 2.0),
                                                  ("reduction", "none")]


def test_module_defaults():
    ce = nn.CrossEntropyLoss()
    assert (ce.weight, ce.ignore_index, ce.reduction, ce.label_smoothing) == (None, -100, "mean", 0.0)
    nll = nn.NLLLoss()
    assert (nll.weight, nll.ignore_index, nll.reduction) == (None, -100, "mean")
    focal = nn.FocalLoss()
    assert (focal.weight, focal.gamma, focal.reduction) == (None, 2.0, "none")


def test_modules_forward_to_functional():
    rng = np.random.default_rng(13)
    x = rng.normal(size=(5, 4, 3))
    t = rng.integers(0, 4, size=(5, 3))
    w = rng.uniform(0.5, 1.5, size=4)
    go = rng.normal(size=(5, 3))
    pairs = [
        (nn.CrossEntropyLoss(weight=w, ignore_index=2, reduction="sum", label_smoothing=0.3),
         lambda **k: F.cross_entropy_and_grad(x, t, weight=w, ignore_index=2, reduction="sum", label_smoothing=0.3,
                                              **k)),
        (nn.NLLLoss(weight=w, ignore_index=1, reduction="none"),
         lambda **k: F.nll_loss_and_grad(x, t, weight=w, ignore_index=1, reduction="none", **k)),
        (nn.FocalLoss(weight=w, gamma=1.5, reduction="mean"),
         lambda **k: F.focal_loss_and_grad(x, t, weight=w, gamma=1.5, reduction="mean", **k)),
        (nn.FocalLoss(weight=w, gamma=3.0),  # tutorial default: reduction='none'
         lambda **k: F.focal_loss_and_grad(x, t, weight=w, gamma=3.0, reduction="none", **k)),
        (nn.FocalLoss(weight=w, gamma=1.0, reduction="sum", ignore_index=0),
         lambda **k: F.focal_loss_and_grad(x, t, weight=w, gamma=1.0, reduction="sum", ignore_index=0, **k)),
    ]
    for module, functional in pairs:
        want_loss, want_grad = functional()
        np.testing.assert_array_equal(module(x, t), functional()[0])
        loss, grad = module.loss_and_grad(x, t)
        np.testing.assert_array_equal(loss, want_loss)
        np.testing.assert_array_equal(grad, want_grad)
        g = go if module.reduction == "none" else 0.75
        np.testing.assert_array_equal(module.loss_and_grad(x, t, grad_output=g)[1], functional(grad_output=g)[1])
    # probability targets through the module
    probs = rng.dirichlet(np.ones(4), size=(5, 3)).transpose(0, 2, 1)
    np.testing.assert_array_equal(nn.CrossEntropyLoss(label_smoothing=0.1)(x, probs),
                                  F.cross_entropy(x, probs, label_smoothing=0.1))


# ---------------------------------------------------------------------------------------
# The tutorial's examples
# ---------------------------------------------------------------------------------------

TUTORIAL_INPUT = [[0.5688, -1.1567, 1.8231, -0.2724, -1.2335, 0.9968, 0.9643],
                  [-0.1824, 0.3010, 1.7070, 0.8743, 0.4528, 1.4306, -2.3726],
                  [-2.5052, -0.3744, 0.3718, -1.5129, -2.0459, 1.0374, -0.5433]]
TUTORIAL_TARGET = [6, 5, 1]
TUTORIAL_FOCAL = [1.1599, 0.7283, 1.6924]


def test_tutorial_focal_loss_example():
    x = np.array(TUTORIAL_INPUT, dtype=np.float32)
    t = np.array(TUTORIAL_TARGET)
    weights = np.ones(7, dtype=np.float32)
    module = nn.FocalLoss(weight=weights, gamma=2.)
    loss = module(x, t)
    assert loss.dtype == np.float32 and loss.shape == (3,)
    np.testing.assert_allclose(loss, TUTORIAL_FOCAL, atol=2e-4)
    np.testing.assert_allclose(F.focal_loss(x, t, weight=weights, gamma=2, reduction="none"), TUTORIAL_FOCAL,
                               atol=2e-4)
    # and against the float64 formula on the same inputs, tightly
    want, _ = class_rows_reference("focal_loss", x, t, weight=weights, gamma=2.0, reduction="none")
    assert_matches(loss, want, np.float32)


def test_class_weights_tutorial_rule():
    w = losscore.class_weights([20, 80])
    assert w.dtype == np.float32
    np.testing.assert_allclose(w, [0.8, 0.2], rtol=1e-7)
    labels = np.array([0] * 20 + [1] * 80)
    np.testing.assert_allclose(losscore.class_weights(labels=labels), [0.8, 0.2], rtol=1e-7)
    np.testing.assert_allclose(losscore.class_weights([20, 80], dtype=np.float64), [0.8, 0.2], rtol=1e-15)


def test_class_weights_balanced_rule():
    np.testing.assert_allclose(losscore.class_weights([20, 80], rule="balanced"), [2.5, 0.625], rtol=1e-7)
    labels = np.array([0, 0, 0, 2, 2, 1])
    # n / (C * count_c): 6 / (3 * [3, 1, 2])
    np.testing.assert_allclose(losscore.class_weights(labels=labels, rule="balanced"), [2 / 3, 2.0, 1.0],
                               rtol=1e-7)
    # a class without samples gets weight 0 (it never appears as a target)
    np.testing.assert_allclose(losscore.class_weights(labels=[0, 0, 1], num_classes=3, rule="balanced"),
                               [0.5, 1.0, 0.0], rtol=1e-7)


def test_class_weights_feed_cross_entropy():
    x = np.random.default_rng(14).normal(size=(100, 2))
    labels = np.array([0] * 20 + [1] * 80)
    w = losscore.class_weights(labels=labels)
    got = F.cross_entropy(x, labels, weight=w)
    want, _ = class_rows_reference("cross_entropy", x, labels, weight=w.astype(np.float64))
    np.testing.assert_allclose(got, want, rtol=1e-6)


@pytest.mark.parametrize("kwargs", [dict(), dict(counts=[20, 80], labels=[0, 1]), dict(counts=[]),
                                    dict(counts=[-1, 3]), dict(counts=[0, 0]), dict(counts=[[1, 2]]),
                                    dict(counts=[1, 2], rule="nope"), dict(labels=[0, -1]),
                                    dict(labels=[0, 3], num_classes=2)])
def test_class_weights_errors(kwargs):
    with pytest.raises((ValueError, TypeError)):
        losscore.class_weights(**kwargs)


@pytest.mark.parametrize("fn", ["cross_entropy", "nll_loss", "focal_loss"])
@pytest.mark.parametrize("reduction", ["none", "mean", "sum"])
def test_unbatched_input_takes_a_one_element_target_like_torch(fn, reduction):
    # torch: cross_entropy(x of shape (C,), target of shape (1,)) is the 0-d target's loss.
    x = np.array([0.5, -1.0, 2.0, 0.25])
    function = getattr(F, fn)
    one = function(x, np.array([2]), reduction=reduction)
    scalar = function(x, np.array(2), reduction=reduction)
    assert np.shape(one) == np.shape(scalar) == ()
    assert one == scalar

