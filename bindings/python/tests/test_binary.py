"""The binary family (binary_cross_entropy, binary_cross_entropy_with_logits,
sigmoid_focal_loss) against PyTorch and through every layer of the binding.

  - every case of tests/data/torch_reference_binary.npz (scripts/gen_torch_reference_binary.py):
    values and fused gradients against torch's float64 results (torchvision's formula for
    the focal loss; mpmath at 60 digits for the saturated focal cases where torch's
    float64 arithmetic breaks down);
  - numerics: finite at logits of +-800 in float32 and float64, BCE's log clamp, the finite
    focal gradient where autograd returns NaN, finite differences;
  - large inputs (several blocks, pos_weight along the last dimension): reduced results
    equal the sum of the elementwise ones, bitwise identical for any thread count;
  - argument handling: dtypes, broadcasting of weight and pos_weight, non-contiguous
    inputs, errors naming the argument; the C entry points' own checks (NULL pointers,
    sizes, options) and that nothing is written on failure;
  - the module classes BCELoss, BCEWithLogitsLoss, SigmoidFocalLoss.
torch is not needed here.
"""
from __future__ import annotations

import ctypes
import json
from pathlib import Path

import numpy as np
import pytest

import losscore
import losscore.functional as F
import losscore.nn as nn
from losscore import _binary, _ffi

DATA = Path(__file__).resolve().parent / "data" / "torch_reference_binary.npz"
KNOWN_FORMAT = 1

# |got - want| <= RTOL * (|want| + scale) + tiny, with scale = max|want| over the case for
# reduced values and gradients (sums of many terms) and 0 for elementwise values.
RTOL = {"float64": 1e-13, "float32": 3e-6}


def _load():
    with np.load(DATA, allow_pickle=False) as data:
        meta = json.loads(bytes(data["meta"]).decode("utf-8"))
        pools = {name[len("pool_"):]: data[name] for name in data.files if name.startswith("pool_")}
    return meta, pools


META, POOLS = _load()
CASES = META["cases"]


def array(ref):
    if ref is None:
        return None
    pool, offset, shape = ref
    size = int(np.prod(shape, dtype=np.int64))
    return POOLS[pool][offset:offset + size].reshape(shape).copy()


def call(case, want_grad=False):
    """Calls LossCore as the case describes; returns the loss, or (loss, grad)."""
    x, y = array(case["input"]), array(case["target"])
    kwargs = {"reduction": case["reduction"]}
    fn = case["fn"]
    if fn == "sigmoid_focal_loss":
        kwargs.update(alpha=case["alpha"], gamma=case["gamma"])
    else:
        kwargs["weight"] = array(case["weight"])
    if fn == "binary_cross_entropy_with_logits":
        kwargs["pos_weight"] = array(case["pos_weight"])
    if not want_grad:
        return getattr(F, fn)(x, y, **kwargs)
    go = case["grad_output"]
    if go != "default":
        kwargs["grad_output"] = go if isinstance(go, float) else array(go)
    return getattr(F, fn + "_and_grad")(x, y, **kwargs)


def conditioning(case, reduction=None):
    """torch's own rounding error scale for the loss, beyond |loss|: its logits formula
    (1 - y) x - L log_sigmoid(x) cancels large terms (e.g. -20 + 20.000000002 at x = -20,
    y = 0), so even its float64 result is off by about eps * |w| |x| (1 + L) per element,
    where LossCore's rearranged form is accurate. 0 for binary_cross_entropy."""
    x = array(case["input"]).astype(np.float64)
    if case["fn"] == "binary_cross_entropy" or x.size == 0:
        return 0.0
    w = np.abs(array(case["weight"])) if case.get("weight") else 1.0
    pw = np.abs(array(case["pos_weight"])) if case.get("pos_weight") else 1.0
    cond = np.broadcast_to(w * np.abs(x) * (2 + pw), x.shape)
    reduction = reduction or case["reduction"]
    if reduction == "none":
        return cond
    return cond.sum() / (x.size if reduction == "mean" else 1)


def assert_close(got, want, dtype, reduced, what, extra=0.0):
    got = np.asarray(got)
    assert got.shape == want.shape, f"{what}: shape {got.shape} != {want.shape}"
    assert got.dtype == np.dtype(dtype), f"{what}: dtype {got.dtype} != {dtype}"
    a, e = got.astype(np.float64), want.astype(np.float64)
    assert np.array_equal(np.isnan(a), np.isnan(e)), f"{what}: NaNs differ: got {a}, want {e}"
    finite = ~np.isnan(e)
    if not finite.any():
        return
    extra = np.broadcast_to(extra, finite.shape)[finite]
    a, e = a[finite], e[finite]
    assert np.all(np.isfinite(a)), f"{what}: non-finite {a[~np.isfinite(a)]}"
    scale = np.abs(e).max() if reduced else 0.0
    bound = RTOL[dtype] * (np.abs(e) + scale + extra) + np.finfo(np.float32).tiny
    err = np.abs(a - e)
    worst = int(np.argmax(err - bound))
    assert np.all(err <= bound), f"{what}: got {a[worst]!r}, want {e[worst]!r} (|diff| {err[worst]:.3g})"


def _ids(cases):
    return [c["name"] for c in cases]


# --- against torch ------------------------------------------------------------------------------

def test_reference_file():
    assert META["format"] == KNOWN_FORMAT
    assert DATA.stat().st_size < 256 * 1024, "keep torch_reference_binary.npz small"
    names = [c["name"] for c in CASES]
    assert len(names) == len(set(names))
    assert {c["fn"] for c in CASES} == {"binary_cross_entropy", "binary_cross_entropy_with_logits",
                                        "sigmoid_focal_loss"}
    covered = {(c["fn"], c["dtype"], c["reduction"]) for c in CASES}
    assert len(covered) == 3 * 2 * 3
    assert any(c["pos_weight"] and len(c["pos_weight"][2]) >= 2 for c in CASES)


@pytest.mark.parametrize("case", CASES, ids=_ids(CASES))
def test_value(case):
    loss = call(case)
    want = array(case["loss"])
    reduced = case["reduction"] != "none"
    if reduced:
        assert np.ndim(loss) == 0 and isinstance(loss, np.generic)
    else:
        assert isinstance(loss, np.ndarray)
    assert_close(loss, want, case["dtype"], reduced, f"{case['name']} loss", conditioning(case))


@pytest.mark.parametrize("case", CASES, ids=_ids(CASES))
def test_value_and_grad(case):
    loss, grad = call(case, want_grad=True)
    reduced = case["reduction"] != "none"
    assert_close(loss, array(case["loss"]), case["dtype"], reduced, f"{case['name']} fused loss",
                 conditioning(case))
    assert isinstance(grad, np.ndarray)
    assert_close(grad, array(case["grad"]), case["dtype"], True, f"{case['name']} grad")
    # The fused loss is the loss alone, bit for bit.
    np.testing.assert_array_equal(np.asarray(loss), np.asarray(call(case)))


FLOAT32_CASES = [c for c in CASES if "loss_native" in c and c["group"] in ("logits_extreme", "bce_edges", "bce")]


@pytest.mark.parametrize("case", FLOAT32_CASES, ids=_ids(FLOAT32_CASES))
def test_float32_close_to_torch_float32(case):
    """What a float32 torch user gets (torch sums float32 in float32, so a looser bound)."""
    loss = np.asarray(call(case), dtype=np.float64)
    native = array(case["loss_native"]).astype(np.float64)
    assert np.all(np.isfinite(loss)) or not np.all(np.isfinite(native))
    np.testing.assert_allclose(loss, native, rtol=2e-5, atol=1e-30)


SATURATED = [c for c in CASES if c["group"] == "focal_saturated"]


@pytest.mark.parametrize("case", [c for c in SATURATED if c["gamma"] == 0.5 and c["dtype"] == "float64"],
                         ids=_ids([c for c in SATURATED if c["gamma"] == 0.5 and c["dtype"] == "float64"]))
def test_focal_gradient_finite_where_autograd_is_nan(case):
    """torch's autograd is NaN here (inf * 0 through (1 - p_t) ** 0.5); the true limit is finite
    and LossCore returns it (the reference is mpmath's)."""
    torch_grad = array(case["torch_grad"])
    assert np.isnan(torch_grad).any(), "the reference should record torch's NaN"
    _, grad = call(case, want_grad=True)
    assert np.all(np.isfinite(grad))


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


def _focal_numpy(x, y, alpha, gamma):
    """torchvision's formula in float64 numpy (for moderate logits)."""
    p = 1 / (1 + np.exp(-x))
    ce = (1 - y) * x + np.logaddexp(0, -x)
    q = 1 - (p * y + (1 - p) * (1 - y))
    a = alpha * y + (1 - alpha) * (1 - y) if alpha >= 0 else 1.0
    return a * ce * q ** gamma


@pytest.mark.parametrize("alpha,gamma", [(0.25, 2.0), (-1, 0.5), (0.6, 1.0), (0.25, 0.0), (0.1, 3.7)])
def test_focal_gradient_finite_differences(alpha, gamma):
    rng = np.random.default_rng(3)
    x = rng.normal(size=50) * 3
    y = np.concatenate([rng.integers(0, 2, 25).astype(float), rng.uniform(0, 1, 25)])
    loss, grad = F.sigmoid_focal_loss_and_grad(x, y, alpha=alpha, gamma=gamma)
    np.testing.assert_allclose(loss, _focal_numpy(x, y, alpha, gamma), rtol=1e-10)
    h = 1e-6
    numeric = (_focal_numpy(x + h, y, alpha, gamma) - _focal_numpy(x - h, y, alpha, gamma)) / (2 * h)
    np.testing.assert_allclose(grad, numeric, rtol=1e-5, atol=1e-8)


def test_logits_gradient_finite_differences():
    rng = np.random.default_rng(4)
    x = rng.normal(size=(6, 5)) * 4
    y = rng.uniform(0, 1, size=(6, 5))
    w, pw = rng.uniform(0.5, 2, size=(6, 1)), rng.uniform(0.5, 3, size=5)

    def f(x):
        return F.binary_cross_entropy_with_logits(x, y, w, pos_weight=pw, reduction="sum")

    _, grad = F.binary_cross_entropy_with_logits_and_grad(x, y, w, pos_weight=pw, reduction="sum")
    h = 1e-6
    for index in [(0, 0), (2, 3), (5, 4)]:
        e = np.zeros_like(x)
        e[index] = h
        assert grad[index] == pytest.approx((f(x + e) - f(x - e)) / (2 * h), rel=1e-6)


def _logits_numpy(x, y, w, pw):
    log_weight = 1 + (pw - 1) * y
    loss = w * ((1 - y) * x + log_weight * np.logaddexp(0, -x))
    grad = w * (log_weight / (1 + np.exp(-x)) - pw * y)
    return loss, grad


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
    want_loss, want_grad = _logits_numpy(x.astype(float), y.astype(float), w.astype(float), pw.astype(float))
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
        want, want_grad = _logits_numpy(x, y, 1.0, np.broadcast_to(pw, x.shape))
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

def _addr(a):
    return None if a is None else a.__array_interface__["data"][0]


def _last_error():
    return _ffi.losscore_last_error().decode()


def test_c_bce_out_of_range_writes_nothing():
    x, y = np.array([0.5, 0.25, 2.0]), np.array([0.0, 1.0, 0.5])
    out, grad = np.full(3, 7.0), np.full(3, 7.0)
    status = _binary._BCE[np.dtype(np.float64)](_addr(x), _addr(y), None, 3, 0, _addr(out), None, _addr(grad))
    assert status == _ffi.ERROR_INVALID_ARGUMENT
    assert "input[2] = 2.0" in _last_error() and "losscore_binary_cross_entropy_f64" in _last_error()
    np.testing.assert_array_equal(out, 7.0)
    np.testing.assert_array_equal(grad, 7.0)


def test_c_logits_pos_weight_count_checks():
    x = np.zeros(6, np.float32)
    out = np.full(1, 7.0, np.float32)
    pw = np.ones(4, np.float32)
    fn = _binary._BCE_LOGITS[np.dtype(np.float32)]
    assert fn(_addr(x), _addr(x), None, _addr(pw), 4, 6, 1, _addr(out), None, None) == _ffi.ERROR_SHAPE
    assert "pos_weight_count 4 must divide n 6" in _last_error()
    assert fn(_addr(x), _addr(x), None, _addr(pw), 0, 6, 1, _addr(out), None, None) == _ffi.ERROR_SHAPE
    assert fn(_addr(x), _addr(x), None, _addr(pw), 2**63, 6, 1, _addr(out), None, None) == _ffi.ERROR_SHAPE
    assert out[0] == 7.0
    # pos_weight NULL: the count is ignored.
    assert fn(_addr(x), _addr(x), None, None, 4, 6, 1, _addr(out), None, None) == _ffi.OK
    assert out[0] == pytest.approx(np.log(2))
    assert _last_error() == ""


def test_c_null_pointers_and_bad_options():
    x = np.full(4, 0.5)
    out = np.full(4, 7.0)
    bce, logits, focal = _binary._BCE[np.dtype(np.float64)], _binary._BCE_LOGITS[np.dtype(np.float64)], \
        _binary._FOCAL[np.dtype(np.float64)]
    assert bce(None, _addr(x), None, 4, 1, _addr(out), None, None) == _ffi.ERROR_NULL_POINTER
    assert "input is NULL" in _last_error()
    assert bce(_addr(x), None, None, 4, 1, _addr(out), None, None) == _ffi.ERROR_NULL_POINTER
    assert bce(_addr(x), _addr(x), None, 4, 1, None, None, None) == _ffi.ERROR_NULL_POINTER
    assert logits(_addr(x), _addr(x), None, None, 0, 4, 1, None, None, None) == _ffi.ERROR_NULL_POINTER
    assert focal(_addr(x), None, 4, 1, 0.25, 2.0, _addr(out), None, None) == _ffi.ERROR_NULL_POINTER
    assert bce(_addr(x), _addr(x), None, 4, 7, _addr(out), None, None) == _ffi.ERROR_INVALID_ARGUMENT
    assert "reduction" in _last_error()
    assert bce(_addr(x), _addr(x), None, 2**63 + 5, 1, _addr(out), None, None) == _ffi.ERROR_SHAPE
    for alpha, gamma in [(np.nan, 2.0), (1.5, 2.0), (0.25, -1.0), (0.25, np.nan), (0.25, np.inf)]:
        assert focal(_addr(x), _addr(x), 4, 0, alpha, gamma, _addr(out), None, None) == _ffi.ERROR_INVALID_ARGUMENT
        assert ("alpha" if alpha != 0.25 else "gamma") in _last_error()
    np.testing.assert_array_equal(out, 7.0)
    # Empty input: pointers may be NULL; the mean is NaN, the sum 0.
    assert focal(None, None, 0, 1, 0.25, 2.0, _addr(out), None, None) == _ffi.OK and np.isnan(out[0])
    assert bce(None, None, None, 0, 2, _addr(out), None, None) == _ffi.OK and out[0] == 0
    assert logits(None, None, None, None, 0, 0, 0, None, None, None) == _ffi.OK
    # C-level alpha < 0 (not only -1) disables the weighting.
    a, b = np.empty(4), np.empty(4)
    focal(_addr(x), _addr(x), 4, 0, -1.0, 2.0, _addr(a), None, None)
    focal(_addr(x), _addr(x), 4, 0, -0.3, 2.0, _addr(b), None, None)
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
