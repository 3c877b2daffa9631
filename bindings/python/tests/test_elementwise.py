"""The elementwise family: l1, mse, smooth_l1, huber, binary_cross_entropy,
binary_cross_entropy_with_logits and sigmoid_focal_loss, against independent float64 numpy
references (tests/support.py) and through every layer of the binding:
  - the tutorial's MAE example, kinks, empty and 0-d inputs, legacy flags, grad_output;
  - numerics of the binary losses: finite at logits of +-800, BCE's log clamp, the finite
    focal gradient where autograd returns NaN, finite differences;
  - properties (hypothesis): finite-difference gradients, 'sum' == 'mean' * n;
  - large inputs: reduced results equal the sum of the elementwise ones, bitwise identical
    for any thread count;
  - arguments: dtype promotion and float16, broadcasting of target, weight and pos_weight,
    non-contiguous and byte-swapped inputs, errors naming the argument; the C entry points'
    own checks (NULL pointers, sizes, options) and that nothing is written on failure;
  - the module classes.
torch's own values are checked case by case in test_reference.py.
"""
from __future__ import annotations

import warnings
import zlib

import numpy as np
import pytest

import losscore
import losscore.functional as F
import losscore.nn as nn
from support import (INVALID_ARGUMENT, NULL_POINTER, OK, SHAPE, address, c_function, c_last_error,
                     central_difference, grad_output_objective, logits_reference, numeric_gradient,
                     pointwise_options, pointwise_reference, sigmoid_focal_reference)

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import given  # noqa: E402
from hypothesis import settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from hypothesis.extra import numpy as hnp  # noqa: E402

LOSSES = ("l1_loss", "mse_loss", "smooth_l1_loss", "huber_loss")
WEIGHTED = ("l1_loss", "mse_loss", "huber_loss")
REDUCTIONS = ("none", "mean", "sum")


# --- the tutorial ------------------------------------------------------------------------------

def test_tutorial_mae_prints_exactly(capsys):
    y_pred = np.array([0.000, 0.100, 0.200])
    y_true = np.array([0.000, 0.200, 0.250])
    mae = F.l1_loss(y_pred, y_true)
    print("MAE error is: " + str(mae))
    assert capsys.readouterr().out == "MAE error is: 0.049999999999999996\n"
    assert str(mae) == "0.049999999999999996"
    assert float(mae) == 0.049999999999999996
    assert np.asarray(mae).dtype == np.float64
    # the tutorial's own numpy formula gives the same bits
    assert mae == np.absolute(y_pred - y_true).mean()
    assert str(nn.L1Loss()(y_pred, y_true)) == "0.049999999999999996"
    assert str(F.l1_loss([0.000, 0.100, 0.200], [0.000, 0.200, 0.250])) == "0.049999999999999996"
    loss, grad = F.l1_loss_and_grad(y_pred, y_true)
    assert str(loss) == "0.049999999999999996"
    np.testing.assert_array_equal(grad, [0.0, -1 / 3, -1 / 3])


def test_tutorial_mse_and_smooth_l1():
    y_pred = np.array([0.000, 0.100, 0.200])
    y_true = np.array([0.000, 0.200, 0.250])
    assert F.mse_loss(y_pred, y_true) == pytest.approx(np.square(y_true - y_pred).mean(), rel=1e-15)
    assert F.smooth_l1_loss(y_pred, y_true) == pytest.approx(0.5 * np.square(y_true - y_pred).mean(), rel=1e-15)


# --- numpy references ----------------------------------------------------------------------------

CONFIGS = [(fn, red, weighted, opt)
           for fn in LOSSES for red in REDUCTIONS for weighted in (False, True)
           for opt in ((0.0, 0.3, 1.0, 2.5) if fn == "smooth_l1_loss" else (0.3, 1.0, 2.5) if fn == "huber_loss" else (None,))
           if not (weighted and fn not in WEIGHTED)]


@pytest.mark.parametrize("fn,reduction,weighted,opt", CONFIGS,
                         ids=[f"{f}-{r}-{'w' if w else 'u'}-{o}" for f, r, w, o in CONFIGS])
@pytest.mark.parametrize("shape", [(11,), (4, 5), (2, 3, 4)], ids=["1d", "2d", "3d"])
def test_matches_numpy_reference(fn, reduction, weighted, opt, shape):
    rng = np.random.default_rng(zlib.crc32(repr((fn, reduction, weighted, opt, shape)).encode()))
    x, t = rng.standard_normal(shape), rng.standard_normal(shape)
    w = rng.uniform(0.1, 2.0, shape) if weighted else None
    kw = {"reduction": reduction}
    if w is not None:
        kw["weight"] = w
    opts = pointwise_options(fn, beta=opt, delta=opt) if opt is not None else {}
    go = rng.uniform(-2, 2, shape) if reduction == "none" else -1.75
    expected, expected_grad = pointwise_reference(fn, x, t, reduction, w, grad_output=go, **opts)
    value = getattr(F, fn)(x, t, **kw, **opts)
    loss, grad = getattr(F, fn + "_and_grad")(x, t, **kw, **opts, grad_output=go)
    np.testing.assert_allclose(value, expected, rtol=1e-14, atol=0)
    np.testing.assert_array_equal(loss, value)
    np.testing.assert_allclose(grad, expected_grad, rtol=1e-14, atol=1e-16)
    assert grad.shape == x.shape and grad.dtype == np.float64


@pytest.mark.parametrize("fn", LOSSES)
def test_broadcast_matches_numpy_reference(fn):
    rng = np.random.default_rng(7)
    for xs, ts in (((3, 1), (3, 4)), ((4,), (2, 3, 4)), ((2, 3, 4), (3, 1)), ((), (6,))):
        x, t = rng.standard_normal(xs), rng.standard_normal(ts)
        for reduction in REDUCTIONS:
            with pytest.warns(UserWarning, match="target size"):
                loss, grad = getattr(F, fn + "_and_grad")(x, t, reduction=reduction)
            expected, expected_grad = pointwise_reference(fn, x, t, reduction)
            np.testing.assert_allclose(loss, expected, rtol=1e-14)
            np.testing.assert_allclose(grad, expected_grad, rtol=1e-13, atol=1e-15)
            assert grad.shape == x.shape


@pytest.mark.parametrize("fn", WEIGHTED)
@pytest.mark.parametrize("xs,ts", [((3, 1), (3, 4)), ((4,), (3, 4)), ((3, 4), (4,))],
                         ids=["3x1-vs-3x4", "4-vs-3x4", "3x4-vs-4"])
def test_weighted_with_broadcast_target(fn, xs, ts):
    """torch requires weight.shape == input.shape, multiplies the broadcast loss by it, and its
    weighted l1/mse 'mean' divides by sum(weight) over the weight's own elements (huber: by
    the broadcast element count)."""
    rng = np.random.default_rng(31)
    x, t, w = rng.standard_normal(xs), rng.standard_normal(ts), rng.uniform(0.5, 2.0, xs)
    for reduction in REDUCTIONS:
        with pytest.warns(UserWarning, match="target size"):
            loss, grad = getattr(F, fn + "_and_grad")(x, t, reduction=reduction, weight=w)
        expected, expected_grad = pointwise_reference(fn, x, t, reduction, weight=w)
        np.testing.assert_allclose(loss, expected, rtol=1e-14, err_msg=f"{fn} {reduction} loss")
        np.testing.assert_allclose(grad, expected_grad, rtol=1e-13, atol=1e-15, err_msg=f"{fn} {reduction} grad")


def test_gradients_at_the_kinks():
    """torch's rules: |x|' = 0 at 0; smooth_l1 with beta=0 is l1; |d| == beta/delta is continuous."""
    x = np.array([0.0, 1.0, -1.0, 0.5, -0.5, 2.0])
    t = np.zeros(6)
    _, g = F.l1_loss_and_grad(x, t, reduction="sum")
    np.testing.assert_array_equal(g, [0, 1, -1, 1, -1, 1])
    _, g = F.smooth_l1_loss_and_grad(x, t, reduction="sum", beta=0.0)
    np.testing.assert_array_equal(g, [0, 1, -1, 1, -1, 1])
    _, g = F.smooth_l1_loss_and_grad(x, t, reduction="sum", beta=0.5)
    np.testing.assert_array_equal(g, [0, 1, -1, 1, -1, 1])
    _, g = F.huber_loss_and_grad(x, t, reduction="sum", delta=1.0)
    np.testing.assert_array_equal(g, [0, 1, -1, 0.5, -0.5, 1])
    _, g = F.mse_loss_and_grad(x, t, reduction="sum")
    np.testing.assert_array_equal(g, 2 * x)
    # beta = 0 is exactly l1, value and gradient, for every reduction
    rng = np.random.default_rng(3)
    a, b = rng.standard_normal(50), rng.standard_normal(50)
    for reduction in REDUCTIONS:
        for fa, fb in ((F.smooth_l1_loss, F.l1_loss), (F.smooth_l1_loss_and_grad, F.l1_loss_and_grad)):
            got, want = fa(a, b, reduction=reduction, beta=0.0), fb(a, b, reduction=reduction)
            for g1, g2 in zip(np.atleast_1d(got) if fa is F.smooth_l1_loss else got,
                              np.atleast_1d(want) if fb is F.l1_loss else want):
                np.testing.assert_array_equal(g1, g2)


def test_huber_delta_one_equals_smooth_l1_beta_one():
    rng = np.random.default_rng(5)
    x, t = rng.standard_normal((6, 7)) * 2, rng.standard_normal((6, 7))
    for reduction in REDUCTIONS:
        np.testing.assert_allclose(F.huber_loss(x, t, reduction=reduction, delta=1.0),
                                   F.smooth_l1_loss(x, t, reduction=reduction, beta=1.0), rtol=1e-15)
        # huber = delta * smooth_l1(beta=delta)
        np.testing.assert_allclose(F.huber_loss(x, t, reduction=reduction, delta=0.5),
                                   0.5 * F.smooth_l1_loss(x, t, reduction=reduction, beta=0.5), rtol=1e-14)


def test_empty_inputs():
    e = np.zeros((0, 3))
    for fn in LOSSES:
        assert getattr(F, fn)(e, e, reduction="none").shape == (0, 3)
        assert np.isnan(getattr(F, fn)(e, e, reduction="mean"))
        assert getattr(F, fn)(e, e, reduction="sum") == 0
        loss, grad = getattr(F, fn + "_and_grad")(e, e, reduction="mean")
        assert np.isnan(loss) and grad.shape == (0, 3)


def test_python_lists_scalars_and_zero_d():
    assert F.l1_loss([1.0, 2.0], [0.0, 0.0]) == 1.5
    assert F.mse_loss((1.0, 3.0), (0.0, 0.0), reduction="sum") == 10.0
    out = F.l1_loss(np.float64(2.0), np.float64(0.5), reduction="none")
    assert np.shape(out) == () and float(out) == 1.5
    loss, grad = F.mse_loss_and_grad(np.array(3.0), np.array(1.0))
    assert loss == 4.0 and grad.shape == () and grad == 4.0


def test_results_are_fresh_arrays():
    x, t = np.arange(6.0).reshape(2, 3), np.zeros((2, 3))
    x0 = x.copy()
    out = F.l1_loss(x, t, reduction="none")
    out[...] = -1
    np.testing.assert_array_equal(x, x0)
    _, grad = F.l1_loss_and_grad(x, t, reduction="none")
    assert not np.shares_memory(grad, x) and grad.flags.writeable


def test_legacy_size_average_and_reduce():
    rng = np.random.default_rng(11)
    x, t = rng.standard_normal(9), rng.standard_normal(9)
    for fn in ("l1_loss", "mse_loss", "smooth_l1_loss"):
        f = getattr(F, fn)
        np.testing.assert_array_equal(f(x, t, size_average=False), f(x, t, reduction="sum"))
        np.testing.assert_array_equal(f(x, t, reduce=False), f(x, t, reduction="none"))
        np.testing.assert_array_equal(f(x, t, size_average=True, reduce=True), f(x, t, reduction="mean"))


# --- grad_output ---------------------------------------------------------------------------------

@pytest.mark.parametrize("fn", LOSSES)
def test_grad_output(fn):
    rng = np.random.default_rng(13)
    x, t = rng.standard_normal((5, 4)), rng.standard_normal((5, 4))
    for reduction in ("mean", "sum"):
        l1, g1 = getattr(F, fn + "_and_grad")(x, t, reduction=reduction)
        l2, g2 = getattr(F, fn + "_and_grad")(x, t, reduction=reduction, grad_output=1.0)
        l3, g3 = getattr(F, fn + "_and_grad")(x, t, reduction=reduction, grad_output=-4.0)
        assert l1 == l2 == l3
        np.testing.assert_array_equal(g1, g2)
        np.testing.assert_array_equal(g3, -4.0 * g1)  # a power of two scales exactly
    go = rng.standard_normal((5, 4))
    l1, g1 = getattr(F, fn + "_and_grad")(x, t, reduction="none")
    l2, g2 = getattr(F, fn + "_and_grad")(x, t, reduction="none", grad_output=np.ones((5, 4)))
    l3, g3 = getattr(F, fn + "_and_grad")(x, t, reduction="none", grad_output=go)
    np.testing.assert_array_equal(l1, l3)
    np.testing.assert_array_equal(g1, g2)
    np.testing.assert_allclose(g3, go * g1, rtol=1e-15)


# --- modules -------------------------------------------------------------------------------------

MODULES = [
    (nn.L1Loss, F.l1_loss, {}), (nn.L1Loss, F.l1_loss, {"reduction": "sum"}),
    (nn.L1Loss, F.l1_loss, {"reduction": "none"}),
    (nn.MSELoss, F.mse_loss, {}), (nn.MSELoss, F.mse_loss, {"reduction": "none"}),
    (nn.SmoothL1Loss, F.smooth_l1_loss, {}), (nn.SmoothL1Loss, F.smooth_l1_loss, {"beta": 0.25}),
    (nn.SmoothL1Loss, F.smooth_l1_loss, {"beta": 0.0, "reduction": "sum"}),
    (nn.HuberLoss, F.huber_loss, {}), (nn.HuberLoss, F.huber_loss, {"delta": 0.3, "reduction": "none"}),
]


@pytest.mark.parametrize("cls,function,kwargs", MODULES,
                         ids=[f"{c.__name__}-{k}" for c, _, k in MODULES])
def test_module_equals_functional(cls, function, kwargs):
    rng = np.random.default_rng(17)
    x, t = rng.standard_normal((6, 5)), rng.standard_normal((6, 5))
    module = cls(**kwargs)
    for name, value in kwargs.items():
        assert getattr(module, name) == value
    np.testing.assert_array_equal(module(x, t), function(x, t, **kwargs))
    np.testing.assert_array_equal(module.forward(x, t), function(x, t, **kwargs))
    go = rng.standard_normal((6, 5)) if kwargs.get("reduction") == "none" else 0.5
    l1, g1 = module.loss_and_grad(x, t, grad_output=go)
    l2, g2 = getattr(F, function.__name__ + "_and_grad")(x, t, **kwargs, grad_output=go)
    np.testing.assert_array_equal(l1, l2)
    np.testing.assert_array_equal(g1, g2)
    assert cls.__name__ in repr(module)


def test_module_defaults_match_torch():
    assert nn.L1Loss().reduction == "mean"
    assert nn.MSELoss().reduction == "mean"
    m = nn.SmoothL1Loss()
    assert (m.reduction, m.beta) == ("mean", 1.0)
    m = nn.HuberLoss()
    assert (m.reduction, m.delta) == ("mean", 1.0)
    # torch.nn.HuberLoss(reduction, delta) positional order
    m = nn.HuberLoss("sum", 2.0)
    assert (m.reduction, m.delta) == ("sum", 2.0)


# --- hypothesis properties ------------------------------------------------------------------------

finite = st.floats(-8.0, 8.0, allow_nan=False, allow_infinity=False, width=64)


@st.composite
def loss_problem(draw, max_size=12):
    fn = draw(st.sampled_from(LOSSES))
    n = draw(st.integers(1, max_size))
    x = draw(hnp.arrays(np.float64, n, elements=finite))
    t = draw(hnp.arrays(np.float64, n, elements=finite))
    weight = None
    if fn in WEIGHTED and draw(st.booleans()):
        weight = draw(hnp.arrays(np.float64, n, elements=st.floats(0.0, 3.0, width=64)))
        if weight.sum() == 0:
            weight[0] = 1.0
    opt = draw(st.floats(0.05, 4.0, width=64))
    if fn == "smooth_l1_loss" and draw(st.booleans()):
        opt = 0.0
    return fn, x, t, weight, pointwise_options(fn, beta=opt, delta=opt)


@given(problem=loss_problem(), reduction=st.sampled_from(REDUCTIONS), data=st.data())
def test_gradient_matches_central_differences(problem, reduction, data):
    fn, x, t, weight, opts = problem
    kw = dict(opts, reduction=reduction)
    if weight is not None:
        kw["weight"] = weight
    if reduction == "none":
        go = data.draw(hnp.arrays(np.float64, x.shape, elements=st.floats(-2, 2, width=64)), label="grad_output")
    else:
        go = data.draw(st.floats(-2, 2, width=64), label="grad_output")
    loss, grad = getattr(F, fn + "_and_grad")(x, t, **kw, grad_output=go)

    objective = grad_output_objective(lambda z: getattr(F, fn)(z, t, **kw), go)
    kink = opts.get("beta", opts.get("delta", 0.0))
    d = np.abs(x - t)
    for i in range(x.size):
        h = 1e-6 * max(1.0, abs(x[i]))
        if d[i] < 4 * h or abs(d[i] - kink) < 4 * h:
            continue  # the derivative jumps here; its value at the kinks is tested against torch
        fd = central_difference(objective, x, i, h)
        magnitude = max(abs(objective(x)), 1.0)
        assert abs(grad[i] - fd) <= 1e-6 * abs(fd) + 200 * np.finfo(float).eps * magnitude / (2 * h), (i, grad[i], fd)


@given(problem=loss_problem(max_size=200))
def test_sum_is_mean_times_count(problem):
    fn, x, t, weight, opts = problem
    kw = dict(opts)
    if weight is not None:
        kw["weight"] = weight
    total, g_total = getattr(F, fn + "_and_grad")(x, t, reduction="sum", **kw)
    mean, g_mean = getattr(F, fn + "_and_grad")(x, t, reduction="mean", **kw)
    none = getattr(F, fn)(x, t, reduction="none", **kw)
    count = weight.sum() if (weight is not None and fn != "huber_loss") else x.size
    assert total == pytest.approx(mean * count, rel=1e-12, abs=1e-300)
    assert total == pytest.approx(np.sum(none), rel=1e-12, abs=1e-300)
    np.testing.assert_allclose(g_total, g_mean * count, rtol=1e-12, atol=1e-300)


@settings(max_examples=4)
@given(size=st.integers(100_001, 400_000), seed=st.integers(0, 2**32 - 1),
       dtype=st.sampled_from([np.float32, np.float64]))
def test_results_do_not_depend_on_thread_count(size, seed, dtype):
    try:
        _check_thread_independence(size, seed, dtype)
    finally:
        losscore.set_num_threads(0)


def _check_thread_independence(size, seed, dtype):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(size).astype(dtype)
    t = rng.standard_normal(size).astype(dtype)
    w = rng.uniform(0, 2, size).astype(dtype)
    go = rng.standard_normal(size).astype(dtype)
    results = {}
    for threads in (1, 2, 3):
        losscore.set_num_threads(threads)
        assert losscore.get_num_threads() == threads
        out = []
        for fn in LOSSES:
            kw = {"weight": w} if fn in WEIGHTED else {}
            for reduction in REDUCTIONS:
                loss, grad = getattr(F, fn + "_and_grad")(
                    x, t, reduction=reduction, grad_output=go if reduction == "none" else 0.75, **kw)
                out.append((fn, reduction, loss, grad, getattr(F, fn)(x, t, reduction=reduction, **kw)))
        results[threads] = out
    for threads in (2, 3):
        for (fn, red, l1, g1, v1), (_, _, l2, g2, v2) in zip(results[1], results[threads]):
            assert np.array_equal(l1, l2, equal_nan=True), f"{fn} {red}: loss differs with {threads} threads"
            assert np.array_equal(v1, v2, equal_nan=True), f"{fn} {red}: value differs with {threads} threads"
            assert np.array_equal(g1, g2, equal_nan=True), f"{fn} {red}: gradient differs with {threads} threads"


def _noncontiguous_views(a):
    """Views of the same values with other memory layouts."""
    big = np.empty((a.shape[0] * 2, a.shape[1] * 3), a.dtype)
    big[::2, ::3] = a
    yield "strided", big[::2, ::3]
    yield "fortran", np.asfortranarray(a)
    yield "transposed", np.ascontiguousarray(a.T).T
    flipped = np.ascontiguousarray(a[::-1, ::-1])
    yield "negative-strides", flipped[::-1, ::-1]


@given(seed=st.integers(0, 2**32 - 1), rows=st.integers(1, 9), cols=st.integers(1, 9),
       dtype=st.sampled_from([np.float32, np.float64]), fn=st.sampled_from(LOSSES),
       reduction=st.sampled_from(REDUCTIONS))
def test_noncontiguous_inputs(seed, rows, cols, dtype, fn, reduction):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((rows, cols)).astype(dtype)
    t = rng.standard_normal((rows, cols)).astype(dtype)
    w = rng.uniform(0, 2, (rows, cols)).astype(dtype)
    go = rng.standard_normal((rows, cols)).astype(dtype) if reduction == "none" else 1.5
    kw = {"weight": w} if fn in WEIGHTED else {}
    want_loss, want_grad = getattr(F, fn + "_and_grad")(x, t, reduction=reduction, grad_output=go, **kw)
    for (name, xv), (_, tv), (_, wv) in zip(_noncontiguous_views(x), _noncontiguous_views(t),
                                            _noncontiguous_views(w)):
        kwv = {"weight": wv} if fn in WEIGHTED else {}
        gov = next(v for n, v in _noncontiguous_views(go) if n == name) if reduction == "none" else go
        loss, grad = getattr(F, fn + "_and_grad")(xv, tv, reduction=reduction, grad_output=gov, **kwv)
        np.testing.assert_array_equal(loss, want_loss, err_msg=name)
        np.testing.assert_array_equal(grad, want_grad, err_msg=name)
        np.testing.assert_array_equal(getattr(F, fn)(xv, tv, reduction=reduction, **kwv), want_loss, err_msg=name)


@pytest.mark.parametrize("fn", LOSSES)
def test_non_native_byte_order(fn):
    rng = np.random.default_rng(37)
    x, t, w = rng.standard_normal((3, 5)), rng.standard_normal((3, 5)), rng.uniform(0, 2, (3, 5))
    kw = {"weight": w} if fn in WEIGHTED else {}
    kw_swapped = {"weight": w.astype(w.dtype.newbyteorder())} if fn in WEIGHTED else {}
    for dtype in (np.float32, np.float64):
        xs = x.astype(np.dtype(dtype).newbyteorder())
        ts = t.astype(np.dtype(dtype).newbyteorder())
        for reduction in REDUCTIONS:
            want_loss, want_grad = getattr(F, fn + "_and_grad")(x.astype(dtype), t.astype(dtype),
                                                                reduction=reduction, **kw)
            loss, grad = getattr(F, fn + "_and_grad")(xs, ts, reduction=reduction, **kw_swapped)
            np.testing.assert_array_equal(loss, want_loss)
            np.testing.assert_array_equal(grad, want_grad)


def test_broadcast_view_target():
    """A zero-stride broadcast view is a valid (non-contiguous) target."""
    rng = np.random.default_rng(19)
    x = rng.standard_normal((4, 5))
    t_row = rng.standard_normal(5)
    view = np.broadcast_to(t_row, (4, 5))
    for fn in LOSSES:
        np.testing.assert_array_equal(getattr(F, fn)(x, view, reduction="none"),
                                      getattr(F, fn)(x, np.ascontiguousarray(view), reduction="none"))


@pytest.mark.parametrize("fn", LOSSES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("order", ["32-64", "64-32"])
def test_mixed_float32_float64_promotes_to_float64(fn, reduction, order):
    rng = np.random.default_rng(zlib.crc32(f"{fn}{reduction}{order}".encode()))
    x = rng.standard_normal((3, 4)).astype(np.float32 if order == "32-64" else np.float64)
    t = rng.standard_normal((3, 4)).astype(np.float64 if order == "32-64" else np.float32)
    value = getattr(F, fn)(x, t, reduction=reduction)
    assert np.asarray(value).dtype == np.float64
    np.testing.assert_array_equal(value, getattr(F, fn)(x.astype(np.float64), t.astype(np.float64),
                                                        reduction=reduction))
    loss, grad = getattr(F, fn + "_and_grad")(x, t, reduction=reduction)
    assert np.asarray(loss).dtype == np.float64
    # the spec: the gradient has the first argument's shape and dtype (torch: input.grad.dtype == input.dtype)
    assert grad.dtype == x.dtype, f"gradient dtype {grad.dtype}, input dtype {x.dtype}"
    assert grad.shape == x.shape
    _, grad64 = getattr(F, fn + "_and_grad")(x.astype(np.float64), t.astype(np.float64), reduction=reduction)
    np.testing.assert_array_equal(grad, grad64.astype(x.dtype))


@pytest.mark.parametrize("fn", WEIGHTED)
def test_float64_weight_promotes_float32_inputs(fn):
    rng = np.random.default_rng(23)
    x, t = rng.standard_normal(8).astype(np.float32), rng.standard_normal(8).astype(np.float32)
    w = rng.uniform(0, 2, 8)
    for reduction in REDUCTIONS:
        assert np.asarray(getattr(F, fn)(x, t, reduction=reduction, weight=w)).dtype == np.float64
        _, grad = getattr(F, fn + "_and_grad")(x, t, reduction=reduction, weight=w)
        assert grad.dtype == np.float32, f"gradient dtype {grad.dtype}, input dtype float32"


@given(seed=st.integers(0, 2**32 - 1), fn=st.sampled_from(LOSSES), reduction=st.sampled_from(REDUCTIONS))
def test_float16_is_accepted_and_computed_in_float32(seed, fn, reduction):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((4, 6)).astype(np.float16)
    t = rng.standard_normal((4, 6)).astype(np.float16)
    value = getattr(F, fn)(x, t, reduction=reduction)
    assert np.asarray(value).dtype == np.float16  # torch keeps float16
    as32 = getattr(F, fn)(x.astype(np.float32), t.astype(np.float32), reduction=reduction)
    np.testing.assert_array_equal(value, np.asarray(as32).astype(np.float16))
    loss, grad = getattr(F, fn + "_and_grad")(x, t, reduction=reduction)
    assert grad.dtype == np.float16 and grad.shape == x.shape
    _, grad32 = getattr(F, fn + "_and_grad")(x.astype(np.float32), t.astype(np.float32), reduction=reduction)
    np.testing.assert_array_equal(grad, grad32.astype(np.float16))
    # float16 with float32 promotes to float32, with float64 to float64 (torch's rules)
    assert np.asarray(getattr(F, fn)(x, t.astype(np.float32), reduction=reduction)).dtype == np.float32
    assert np.asarray(getattr(F, fn)(x, t.astype(np.float64), reduction=reduction)).dtype == np.float64


@given(seed=st.integers(0, 2**32 - 1), fn=st.sampled_from(LOSSES), reduction=st.sampled_from(["mean", "sum"]))
@settings(max_examples=10)
def test_float32_within_a_few_ulps_of_float64(seed, fn, reduction):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(100_003).astype(np.float32)
    t = rng.standard_normal(100_003).astype(np.float32)
    got = getattr(F, fn)(x, t, reduction=reduction)
    exact = getattr(F, fn)(x.astype(np.float64), t.astype(np.float64), reduction=reduction)
    assert np.asarray(got).dtype == np.float32
    assert abs(float(got) - exact) <= 4 * np.spacing(np.float32(exact)), (float(got), exact)


def test_long_float32_sums_do_not_drift():
    n = 3_000_000
    x = np.full(n, 0.1, np.float32)
    t = np.zeros(n, np.float32)
    exact = float(np.float32(0.1))
    mean = F.l1_loss(x, t)
    assert abs(float(mean) - exact) <= 2 * np.spacing(np.float32(exact))
    total = F.l1_loss(x, t, reduction="sum")
    assert abs(float(total) - exact * n) <= 2 * np.spacing(np.float32(exact * n))
    ones = F.mse_loss(np.ones(n, np.float32), t, reduction="sum")
    assert ones == n


def test_threads_from_python_threads():
    """Concurrent calls from several Python threads give the single-threaded results."""
    from concurrent.futures import ThreadPoolExecutor

    rng = np.random.default_rng(29)
    x, t = rng.standard_normal(200_000), rng.standard_normal(200_000)
    want = [F.mse_loss_and_grad(x, t), F.l1_loss_and_grad(x, t)]

    def work(_):
        return [F.mse_loss_and_grad(x, t), F.l1_loss_and_grad(x, t)]

    with ThreadPoolExecutor(4) as pool:
        for got in pool.map(work, range(8)):
            for (l1, g1), (l2, g2) in zip(got, want):
                assert l1 == l2
                np.testing.assert_array_equal(g1, g2)


def test_no_warning_for_equal_shapes():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        F.l1_loss(np.ones(3), np.zeros(3))
        F.huber_loss_and_grad(np.ones((2, 3)), np.zeros((2, 3)))


# --- numerics -------------------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_logits_extreme_values_are_finite(dtype):
    x = np.array([-800, 800, -800, 800, -1e30, 1e30], dtype=dtype)
    y = np.array([1, 0, 0, 1, 0, 1], dtype=dtype)
    loss, grad = F.binary_cross_entropy_with_logits_and_grad(x, y, reduction="none", pos_weight=np.array(3.0))
    np.testing.assert_array_equal(loss, np.array([2400, 800, 0, 0, 0, 0], dtype=dtype))
    np.testing.assert_array_equal(grad, np.array([-3, 1, 0, 0, 0, 0], dtype=dtype))
    loss, grad = F.sigmoid_focal_loss_and_grad(x, y, gamma=0.5, reduction="none")
    assert np.all(np.isfinite(loss)) and np.all(np.isfinite(grad))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_logits_nan_and_infinity_like_torch(dtype):
    """Values torch gives for non-finite logits/targets (checked with torch 2.13); at x = -inf,
    y = 1 LossCore returns the limit +inf where torch's form gives NaN (inf - inf)."""
    x = np.array([np.nan, np.inf, -np.inf, np.inf, -np.inf, 1.0, 2.0], dtype=dtype)
    y = np.array([1.0, 0.0, 1.0, 1.0, 0.0, np.nan, np.inf], dtype=dtype)
    loss, grad = F.binary_cross_entropy_with_logits_and_grad(x, y, reduction="none")
    np.testing.assert_array_equal(loss, np.array([np.nan, np.inf, np.inf, np.nan, np.nan, np.nan, -np.inf], dtype))
    np.testing.assert_array_equal(grad, np.array([np.nan, 1, -1, 0, 0, np.nan, -np.inf], dtype))
    focal, focal_grad = F.sigmoid_focal_loss_and_grad(x[:1], y[:1])
    assert np.isnan(focal[0]) and np.isnan(focal_grad[0])


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_bce_log_clamp(dtype):
    x = np.array([0, 1, 0, 1], dtype=dtype)
    y = np.array([1, 0, 0, 1], dtype=dtype)
    loss, grad = F.binary_cross_entropy_and_grad(x, y, reduction="none")
    np.testing.assert_array_equal(loss, [100, 100, 0, 0])
    # torch clamps (1 - x) x at its float constant EPSILON = 1e-12f, in double too.
    eps = dtype(np.float32(1e-12))
    np.testing.assert_array_equal(grad, np.array([-1 / eps, 1 / eps, 0, 0], dtype=dtype))


@pytest.mark.parametrize("alpha,gamma", [(0.25, 2.0), (-1, 0.5), (0.6, 1.0), (0.25, 0.0), (0.1, 3.7)])
def test_focal_gradient_finite_differences(alpha, gamma):
    rng = np.random.default_rng(3)
    x = rng.normal(size=50) * 3
    y = np.concatenate([rng.integers(0, 2, 25).astype(float), rng.uniform(0, 1, 25)])
    loss, grad = F.sigmoid_focal_loss_and_grad(x, y, alpha=alpha, gamma=gamma)
    np.testing.assert_allclose(loss, sigmoid_focal_reference(x, y, alpha, gamma), rtol=1e-10)
    numeric = numeric_gradient(lambda z: np.sum(sigmoid_focal_reference(z, y, alpha, gamma)), x, 1e-6)
    np.testing.assert_allclose(grad, numeric, rtol=1e-5, atol=1e-8)


def test_logits_gradient_finite_differences():
    rng = np.random.default_rng(4)
    x = rng.normal(size=(6, 5)) * 4
    y = rng.uniform(0, 1, size=(6, 5))
    w, pw = rng.uniform(0.5, 2, size=(6, 1)), rng.uniform(0.5, 3, size=5)

    def f(x):
        return F.binary_cross_entropy_with_logits(x, y, w, pos_weight=pw, reduction="sum")

    _, grad = F.binary_cross_entropy_with_logits_and_grad(x, y, w, pos_weight=pw, reduction="sum")
    for index in [(0, 0), (2, 3), (5, 4)]:
        assert grad[index] == pytest.approx(central_difference(f, x, index, 1e-6), rel=1e-6)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_large_input_pos_weight_across_blocks(dtype, restore_threads):
    """Several parallel blocks and reduction chunks, with pos_weight periods that do not divide
    them: the reductions must see the same elements (and pos_weights) as 'none'."""
    rng = np.random.default_rng(5)
    n_rows, c = 40_009, 7
    x = (rng.normal(size=(n_rows, c)) * 5).astype(dtype)
    y = rng.integers(0, 2, size=(n_rows, c)).astype(dtype)
    pw = rng.uniform(0.5, 4, size=c).astype(dtype)
    w = rng.uniform(0.5, 2, size=(n_rows, 1)).astype(dtype)
    want_loss, want_grad = logits_reference(x.astype(float), y.astype(float), w.astype(float), pw.astype(float))
    tol = 1e-5 if dtype == np.float32 else 1e-12

    none, grad_none = F.binary_cross_entropy_with_logits_and_grad(x, y, w, reduction="none", pos_weight=pw)
    np.testing.assert_allclose(none, want_loss, rtol=tol, atol=tol)
    np.testing.assert_allclose(grad_none, want_grad, rtol=tol, atol=tol)
    total, grad_sum = F.binary_cross_entropy_with_logits_and_grad(x, y, w, reduction="sum", pos_weight=pw)
    assert float(total) == pytest.approx(want_loss.sum(), rel=tol)
    np.testing.assert_array_equal(grad_sum, grad_none)  # grad_output 1 for both
    mean, grad_mean = F.binary_cross_entropy_with_logits_and_grad(x, y, w, reduction="mean", pos_weight=pw,
                                                                  grad_output=2.0)
    assert float(mean) == pytest.approx(want_loss.mean(), rel=tol)
    np.testing.assert_allclose(grad_mean, want_grad * 2 / x.size, rtol=tol, atol=tol / x.size)

    results = []
    for threads in (1, 2, 3):
        losscore.set_num_threads(threads)
        results.append([F.binary_cross_entropy_with_logits(x, y, w, reduction="mean", pos_weight=pw),
                        F.binary_cross_entropy(1 / (1 + np.exp(-x)), y, reduction="sum"),
                        F.sigmoid_focal_loss(x, y, reduction="mean")])
    for other in results[1:]:
        for a, b in zip(results[0], other):
            assert a.tobytes() == b.tobytes()


# --- arguments ------------------------------------------------------------------------------------

def test_dtypes():
    x32, y32 = np.array([0.2, 0.7], np.float32), np.array([0.0, 1.0], np.float32)
    assert F.binary_cross_entropy(x32, y32).dtype == np.float32
    assert F.binary_cross_entropy(x32, y32.astype(np.float64)).dtype == np.float64
    assert F.binary_cross_entropy(x32, y32, weight=np.ones(2)).dtype == np.float64
    assert F.binary_cross_entropy_with_logits(x32, y32, pos_weight=np.ones(2)).dtype == np.float64
    # A Python number as weight or pos_weight does not promote (numpy's weak scalars).
    assert F.binary_cross_entropy_with_logits(x32, y32, weight=2.0, pos_weight=3).dtype == np.float32
    np.testing.assert_allclose(F.binary_cross_entropy_with_logits(x32, y32, weight=2.0, pos_weight=3, reduction="none"),
                               F.binary_cross_entropy_with_logits(x32, y32, weight=np.float32([2, 2]),
                                                                  pos_weight=np.float32([3]), reduction="none"))
    loss, grad = F.binary_cross_entropy_and_grad(x32, y32.astype(np.float64))
    assert loss.dtype == np.float64 and grad.dtype == np.float32  # the gradient has input's dtype
    half = F.sigmoid_focal_loss(x32.astype(np.float16), y32.astype(np.float16))
    assert half.dtype == np.float16
    assert F.sigmoid_focal_loss([0.5, -1.0], [1.0, 0.0]).dtype == np.float64  # lists -> float64
    loss, grad = F.sigmoid_focal_loss_and_grad(x32, y32, reduction="sum")
    assert loss.dtype == np.float32 and grad.dtype == np.float32


def test_non_contiguous_and_inputs_unchanged():
    rng = np.random.default_rng(6)
    x = rng.uniform(0.05, 0.95, size=(6, 8))
    y = rng.uniform(0, 1, size=(6, 8))
    xs, ys = x[:, ::2], y.T[::2, :6].T[:, :4]
    assert not xs.flags.c_contiguous
    before = xs.copy()
    got = F.binary_cross_entropy(xs, ys, reduction="none")
    np.testing.assert_array_equal(got, F.binary_cross_entropy(xs.copy(), ys.copy(), reduction="none"))
    np.testing.assert_array_equal(xs, before)


def test_weight_broadcasts_like_torch():
    rng = np.random.default_rng(7)
    x = rng.uniform(0.05, 0.95, size=(2, 3, 4))
    y = rng.uniform(0, 1, size=(2, 3, 4))
    full = F.binary_cross_entropy(x, y, reduction="none")
    for shape in [(4,), (3, 1), (2, 1, 1), (1, 3, 4), ()]:
        w = rng.uniform(0.5, 2, size=shape)
        np.testing.assert_allclose(F.binary_cross_entropy(x, y, w, reduction="none"), full * w, rtol=1e-15)
        np.testing.assert_allclose(F.binary_cross_entropy(x, y, w), np.mean(full * w), rtol=1e-14)
    with pytest.raises(ValueError, match="weight"):
        F.binary_cross_entropy(x, y, np.ones(3))
    with pytest.raises(ValueError, match="weight"):
        F.binary_cross_entropy(x, y, np.ones((5, 2, 3, 4)))  # would enlarge the output


def test_pos_weight_broadcasts_like_torch():
    rng = np.random.default_rng(8)
    x = rng.normal(size=(3, 4, 5)) * 3
    y = rng.uniform(0, 1, size=(3, 4, 5))
    for shape in [(5,), (1, 5), (1, 1, 5), (), (1,), (4, 1), (3, 1, 1), (3, 4, 5), (4, 5)]:
        pw = rng.uniform(0.5, 3, size=shape)
        want, want_grad = logits_reference(x, y, 1.0, np.broadcast_to(pw, x.shape))
        loss, grad = F.binary_cross_entropy_with_logits_and_grad(x, y, reduction="none", pos_weight=pw)
        np.testing.assert_allclose(loss, want, rtol=1e-13, err_msg=str(shape))
        np.testing.assert_allclose(grad, want_grad, rtol=1e-12, atol=1e-15, err_msg=str(shape))
    for bad in [(4,), (2, 5), (2, 3, 4, 5)]:
        with pytest.raises(ValueError, match="pos_weight"):
            F.binary_cross_entropy_with_logits(x, y, pos_weight=np.ones(bad))


@pytest.mark.parametrize("fn", [F.binary_cross_entropy, F.binary_cross_entropy_with_logits, F.sigmoid_focal_loss])
def test_target_must_have_input_shape(fn):
    with pytest.raises(ValueError, match="size"):
        fn(np.full((2, 3), 0.5), np.full((3,), 0.5))


@pytest.mark.parametrize("name,bad", [("input", [0.5, 1.5]), ("input", [-0.1, 0.5]), ("input", [np.nan, 0.5]),
                                      ("target", [0.5, 1.01]), ("target", [np.nan, 0.5])])
def test_bce_refuses_values_outside_unit_interval(name, bad):
    good = [0.5, 0.5]
    args = (bad, good) if name == "input" else (good, bad)
    for fn in (F.binary_cross_entropy, F.binary_cross_entropy_and_grad):
        with pytest.raises(ValueError, match=f"{name}.*between 0 and 1"):
            fn(*args)


def test_logits_accept_any_targets_and_weights():
    # torch does not check targets or weights of the logits loss; neither do we.
    got = F.binary_cross_entropy_with_logits([0.5], [2.0], weight=[-1.0], pos_weight=[-1.0], reduction="none")
    x, y, w, pw = 0.5, 2.0, -1.0, -1.0
    assert got[0] == pytest.approx(w * ((1 - y) * x + (1 + (pw - 1) * y) * np.logaddexp(0, -x)))


def test_type_errors_name_the_argument():
    with pytest.raises(TypeError, match="input"):
        F.binary_cross_entropy(np.array([0, 1]), np.array([0.0, 1.0]))
    with pytest.raises(TypeError, match="target"):
        F.binary_cross_entropy_with_logits(np.array([0.0, 1.0]), np.array([0, 1]))
    with pytest.raises(TypeError, match="inputs"):
        F.sigmoid_focal_loss(np.array([1, 2]), np.array([0.0, 1.0]))
    with pytest.raises(TypeError, match="weight"):
        F.binary_cross_entropy([0.5], [0.5], weight=np.array([1]))
    with pytest.raises(TypeError, match="pos_weight"):
        F.binary_cross_entropy_with_logits([0.5], [0.5], pos_weight=np.array(["a"]))
    with pytest.raises(TypeError, match="gamma"):
        F.sigmoid_focal_loss([0.5], [1.0], gamma="2")


@pytest.mark.parametrize("alpha", [1.5, -0.5, float("nan"), 2])
def test_focal_alpha_like_torchvision(alpha):
    with pytest.raises(ValueError, match="alpha"):
        F.sigmoid_focal_loss([0.5], [1.0], alpha=alpha)


@pytest.mark.parametrize("gamma", [-1.0, float("nan"), float("inf")])
def test_focal_bad_gamma(gamma):
    with pytest.raises(ValueError, match="gamma"):
        F.sigmoid_focal_loss_and_grad([0.5], [1.0], gamma=gamma)


def test_focal_alpha_minus_one_disables_weighting():
    x, y = np.array([0.3, -2.0, 1.0]), np.array([1.0, 0.0, 0.5])
    np.testing.assert_allclose(F.sigmoid_focal_loss(x, y, alpha=-1, gamma=0.0),
                               F.binary_cross_entropy_with_logits(x, y, reduction="none"), rtol=1e-15)


@pytest.mark.parametrize("fn", [F.binary_cross_entropy, F.binary_cross_entropy_with_logits, F.sigmoid_focal_loss])
def test_bad_reduction(fn):
    with pytest.raises(ValueError, match="reduction"):
        fn([0.5], [0.5], reduction="avg")


def test_legacy_reduction_flags():
    x, y = [0.2, 0.9], [0.0, 1.0]
    assert F.binary_cross_entropy(x, y, size_average=False) == F.binary_cross_entropy(x, y, reduction="sum")
    assert F.binary_cross_entropy_with_logits(x, y, reduce=False).shape == (2,)


def test_grad_output_shapes():
    x, y = np.array([[0.2, 0.9]]), np.array([[0.0, 1.0]])
    _, grad = F.binary_cross_entropy_and_grad(x, y, reduction="none", grad_output=np.array([[2.0, 3.0]]))
    _, base = F.binary_cross_entropy_and_grad(x, y, reduction="none")
    np.testing.assert_allclose(grad, base * [[2.0, 3.0]])
    with pytest.raises(ValueError, match="grad_output"):
        F.binary_cross_entropy_and_grad(x, y, reduction="none", grad_output=np.ones(3))
    with pytest.raises(TypeError, match="grad_output"):
        F.sigmoid_focal_loss_and_grad(x, y, reduction="sum", grad_output=np.ones(2))


# --- the C entry points ---------------------------------------------------------------------------

def test_c_bce_out_of_range_writes_nothing():
    x, y = np.array([0.5, 0.25, 2.0]), np.array([0.0, 1.0, 0.5])
    out, grad = np.full(3, 7.0), np.full(3, 7.0)
    status = c_function("binary_cross_entropy", np.float64)(address(x), address(y), None, 3, 0, address(out), None, address(grad))
    assert status == INVALID_ARGUMENT
    assert "input[2] = 2.0" in c_last_error() and "losscore_binary_cross_entropy_f64" in c_last_error()
    np.testing.assert_array_equal(out, 7.0)
    np.testing.assert_array_equal(grad, 7.0)


def test_c_logits_pos_weight_count_checks():
    x = np.zeros(6, np.float32)
    out = np.full(1, 7.0, np.float32)
    pw = np.ones(4, np.float32)
    fn = c_function("binary_cross_entropy_with_logits", np.float32)
    assert fn(address(x), address(x), None, address(pw), 4, 6, 1, address(out), None, None) == SHAPE
    assert "pos_weight_count 4 must divide n 6" in c_last_error()
    assert fn(address(x), address(x), None, address(pw), 0, 6, 1, address(out), None, None) == SHAPE
    assert fn(address(x), address(x), None, address(pw), 2**63, 6, 1, address(out), None, None) == SHAPE
    assert out[0] == 7.0
    # pos_weight NULL: the count is ignored.
    assert fn(address(x), address(x), None, None, 4, 6, 1, address(out), None, None) == OK
    assert out[0] == pytest.approx(np.log(2))
    assert c_last_error() == ""


def test_c_null_pointers_and_bad_options():
    x = np.full(4, 0.5)
    out = np.full(4, 7.0)
    bce, logits, focal = (c_function(name, np.float64) for name in
                          ("binary_cross_entropy", "binary_cross_entropy_with_logits", "sigmoid_focal_loss"))
    assert bce(None, address(x), None, 4, 1, address(out), None, None) == NULL_POINTER
    assert "input is NULL" in c_last_error()
    assert bce(address(x), None, None, 4, 1, address(out), None, None) == NULL_POINTER
    assert bce(address(x), address(x), None, 4, 1, None, None, None) == NULL_POINTER
    assert logits(address(x), address(x), None, None, 0, 4, 1, None, None, None) == NULL_POINTER
    assert focal(address(x), None, 4, 1, 0.25, 2.0, address(out), None, None) == NULL_POINTER
    assert bce(address(x), address(x), None, 4, 7, address(out), None, None) == INVALID_ARGUMENT
    assert "reduction" in c_last_error()
    assert bce(address(x), address(x), None, 2**63 + 5, 1, address(out), None, None) == SHAPE
    for alpha, gamma in [(np.nan, 2.0), (1.5, 2.0), (0.25, -1.0), (0.25, np.nan), (0.25, np.inf)]:
        assert focal(address(x), address(x), 4, 0, alpha, gamma, address(out), None, None) == INVALID_ARGUMENT
        assert ("alpha" if alpha != 0.25 else "gamma") in c_last_error()
    np.testing.assert_array_equal(out, 7.0)
    # Empty input: pointers may be NULL; the mean is NaN, the sum 0.
    assert focal(None, None, 0, 1, 0.25, 2.0, address(out), None, None) == OK and np.isnan(out[0])
    assert bce(None, None, None, 0, 2, address(out), None, None) == OK and out[0] == 0
    assert logits(None, None, None, None, 0, 0, 0, None, None, None) == OK
    # C-level alpha < 0 (not only -1) disables the weighting.
    a, b = np.empty(4), np.empty(4)
    focal(address(x), address(x), 4, 0, -1.0, 2.0, address(a), None, None)
    focal(address(x), address(x), 4, 0, -0.3, 2.0, address(b), None, None)
    np.testing.assert_array_equal(a, b)


# --- modules --------------------------------------------------------------------------------------

def test_modules():
    rng = np.random.default_rng(9)
    x = rng.normal(size=(4, 3))
    p = 1 / (1 + np.exp(-x))
    y = rng.integers(0, 2, size=(4, 3)).astype(float)
    w, pw = rng.uniform(0.5, 2, 3), rng.uniform(0.5, 2, 3)

    assert nn.BCELoss()(p, y) == F.binary_cross_entropy(p, y)
    assert nn.BCELoss(weight=w, reduction="sum")(p, y) == F.binary_cross_entropy(p, y, w, reduction="sum")
    module = nn.BCEWithLogitsLoss(weight=w, pos_weight=pw)
    assert module(x, y) == F.binary_cross_entropy_with_logits(x, y, w, pos_weight=pw)
    loss, grad = module.loss_and_grad(x, y, grad_output=0.5)
    want_loss, want_grad = F.binary_cross_entropy_with_logits_and_grad(x, y, w, pos_weight=pw, grad_output=0.5)
    assert loss == want_loss
    np.testing.assert_array_equal(grad, want_grad)
    focal = nn.SigmoidFocalLoss()
    assert focal.reduction == "none" and focal.alpha == 0.25 and focal.gamma == 2.0
    np.testing.assert_array_equal(focal(x, y), F.sigmoid_focal_loss(x, y))
    focal = nn.SigmoidFocalLoss(alpha=-1, gamma=1.0, reduction="mean")
    loss, grad = focal.loss_and_grad(x, y)
    assert loss == F.sigmoid_focal_loss(x, y, alpha=-1, gamma=1.0, reduction="mean")
    assert grad.shape == x.shape
    assert "SigmoidFocalLoss(alpha=-1, gamma=1.0, reduction='mean')" == repr(focal)
    for name in ("BCELoss", "BCEWithLogitsLoss", "SigmoidFocalLoss"):
        assert name in nn.__all__
    for name in ("binary_cross_entropy", "binary_cross_entropy_with_logits", "sigmoid_focal_loss"):
        assert name in F.__all__ and name + "_and_grad" in F.__all__
