"""Bad input gets a clear ValueError / TypeError / IndexError that names the argument at fault,
never a crash, for the regression losses, their gradients, the modules, zero_one_loss and the
thread settings. Each entry of the tables below says which exception types are acceptable and
which words the message must contain.
"""
from __future__ import annotations

import ctypes
import warnings

import numpy as np
import pytest

import losscore
import losscore.functional as F
import losscore.nn as nn
from losscore import _ffi
from support import INDEX, INVALID_ARGUMENT, NULL_POINTER, OK, SHAPE, address, c_function, c_last_error, c_library

X = np.array([0.5, -1.0, 2.0])
T = np.array([0.0, 0.25, 1.0])
LOSSES = ("l1_loss", "mse_loss", "smooth_l1_loss", "huber_loss")
WEIGHTED = ("l1_loss", "mse_loss", "huber_loss")
BAD_VALUE = (ValueError,)
BAD_TYPE = (TypeError,)
EITHER = (TypeError, ValueError)


def expect(call, types, *words):
    """call() raises one of `types` whose message contains every word (case-insensitive)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(types) as info:
            call()
    message = str(info.value)
    for word in words:
        assert word.lower() in message.lower(), f"message {message!r} does not mention {word!r}"
    return message


def both(fn):
    """The loss and its _and_grad variant."""
    return [getattr(F, fn), getattr(F, fn + "_and_grad")]


# --- non-numeric and integer data ----------------------------------------------------------------

BAD_DATA = [
    ("bool", np.array([True, False, True]), BAD_TYPE),
    ("str", np.array(["a", "b", "c"]), BAD_TYPE),
    ("str-scalar", "abc", BAD_TYPE),
    ("bytes", np.array([b"a", b"b", b"c"]), BAD_TYPE),
    ("object", np.array([object()] * 3), BAD_TYPE),
    ("none", None, BAD_TYPE),
    ("dict", {"a": 1.0}, BAD_TYPE),
    ("complex", X.astype(np.complex128), BAD_TYPE),
    ("datetime", np.array(["2020-01-01"] * 3, dtype="datetime64[D]"), BAD_TYPE),
    ("ragged", [[1.0], [1.0, 2.0]], EITHER),
]


@pytest.mark.parametrize("fn", LOSSES)
@pytest.mark.parametrize("label,bad,types", BAD_DATA, ids=[b[0] for b in BAD_DATA])
@pytest.mark.parametrize("position", ["input", "target"])
def test_non_float_data_is_refused_naming_the_argument(fn, label, bad, types, position):
    for function in both(fn):
        args = (bad, T) if position == "input" else (X, bad)
        expect(lambda: function(*args), types, position)


BAD_WEIGHTS = [b for b in BAD_DATA if b[1] is not None]  # weight=None is the default


@pytest.mark.parametrize("fn", WEIGHTED)
@pytest.mark.parametrize("label,bad,types", BAD_WEIGHTS, ids=[b[0] for b in BAD_WEIGHTS])
def test_non_float_weight_is_refused_naming_weight(fn, label, bad, types):
    for function in both(fn):
        expect(lambda: function(X, T, weight=bad), types + (ValueError,), "weight")


def test_two_integer_operands_are_refused():
    # torch has no float dtype to compute in here (mse/smooth_l1/huber: "not implemented
    # for 'Long'"; l1: "could not infer output dtype"); LossCore refuses too.
    for fn in LOSSES:
        expect(lambda: getattr(F, fn)(np.arange(3), np.arange(3)), BAD_TYPE, "input")


INTEGER_DATA = [np.arange(3), np.arange(3, dtype=np.int32), np.arange(3, dtype=np.uint8), [0, 1, 2]]


@pytest.mark.parametrize("fn", LOSSES)
@pytest.mark.parametrize("integers", INTEGER_DATA, ids=["int64", "int32", "uint8", "list"])
def test_integer_data_beside_float_data_takes_the_float_dtype(fn, integers):
    # As torch: F.mse_loss(float32 input, int64 target) is a float32 loss.
    function = getattr(F, fn)
    as_float = np.asarray(integers).astype(X.dtype)
    result = function(X, integers)
    assert result.dtype == X.dtype
    assert result == function(X, as_float)
    loss, grad = getattr(F, fn + "_and_grad")(X, integers)
    assert grad.dtype == X.dtype
    np.testing.assert_array_equal(grad, getattr(F, fn + "_and_grad")(X, as_float)[1])
    assert function(integers, T) == function(as_float, T)
    if fn in WEIGHTED:
        assert function(X, T, weight=integers) == function(X, T, weight=as_float)


# --- shapes --------------------------------------------------------------------------------------

SHAPES = [((3,), (4,)), ((2, 3), (3, 2)), ((2, 3), (2,)), ((0,), (3,)), ((4, 1, 3), (2, 3, 2))]


@pytest.mark.parametrize("fn", LOSSES)
@pytest.mark.parametrize("xs,ts", SHAPES, ids=[f"{a}-{b}" for a, b in SHAPES])
def test_incompatible_shapes(fn, xs, ts):
    for function in both(fn):
        message = expect(lambda: function(np.ones(xs), np.ones(ts)), BAD_VALUE, "shape")
        assert "target" in message or "input" in message


@pytest.mark.parametrize("fn", WEIGHTED)
@pytest.mark.parametrize("ws", [(2,), (3, 1), (1, 3), (), (6,)])
def test_weight_shape_must_equal_input_shape(fn, ws):
    # torch: "Weights and input must have the same size." (even when broadcastable)
    for function in both(fn):
        expect(lambda: function(X, T, weight=np.ones(ws)), BAD_VALUE, "weight", "shape")


def test_weight_is_not_an_argument_of_smooth_l1():
    expect(lambda: F.smooth_l1_loss(X, T, weight=np.ones(3)), BAD_TYPE, "weight")


# --- options -------------------------------------------------------------------------------------

BAD_REDUCTIONS = ["avg", "MEAN", "", None, 1, b"mean", "batchmean", ["mean"]]


@pytest.mark.parametrize("fn", LOSSES)
@pytest.mark.parametrize("reduction", BAD_REDUCTIONS, ids=[repr(r) for r in BAD_REDUCTIONS])
def test_bad_reduction(fn, reduction):
    for function in both(fn):
        expect(lambda: function(X, T, reduction=reduction), BAD_VALUE, "reduction")


@pytest.mark.parametrize("beta", [-1.0, -1e-300, -np.inf, np.nan, -2])
def test_negative_or_nan_beta(beta):
    for function in both("smooth_l1_loss"):
        expect(lambda: function(X, T, beta=beta), BAD_VALUE, "beta")
    expect(lambda: nn.SmoothL1Loss(beta=beta)(X, T), BAD_VALUE, "beta")


@pytest.mark.parametrize("beta", ["1", None, [1.0], True, 1 + 0j])
def test_non_numeric_beta(beta):
    for function in both("smooth_l1_loss"):
        expect(lambda: function(X, T, beta=beta), EITHER, "beta")


@pytest.mark.parametrize("delta", [0.0, -0.0, -1.0, -np.inf, np.nan, 0])
def test_non_positive_or_nan_delta(delta):
    for function in both("huber_loss"):
        expect(lambda: function(X, T, delta=delta), BAD_VALUE, "delta")
    expect(lambda: nn.HuberLoss(delta=delta)(X, T), BAD_VALUE, "delta")


@pytest.mark.parametrize("delta", ["1", None, [1.0], True])
def test_non_numeric_delta(delta):
    for function in both("huber_loss"):
        expect(lambda: function(X, T, delta=delta), EITHER, "delta")


def test_numpy_scalar_options_are_accepted():
    assert F.smooth_l1_loss(X, T, beta=np.float32(0.5)) == F.smooth_l1_loss(X, T, beta=0.5)
    assert F.huber_loss(X, T, delta=np.int64(2)) == F.huber_loss(X, T, delta=2.0)


# --- grad_output ---------------------------------------------------------------------------------

BAD_GRAD_OUTPUT_NONE = [
    ("wrong-length", np.ones(4), BAD_VALUE),
    ("wrong-rank", np.ones((2, 3)), BAD_VALUE),
    ("str", np.array(["a", "b", "c"]), BAD_TYPE),
    ("object", np.array([object()] * 3), BAD_TYPE),
    ("bool", np.array([True, False, True]), BAD_TYPE),
    ("complex", np.ones(3, np.complex128), BAD_TYPE),
    ("ragged", [[1.0], [1.0, 2.0]], EITHER),
]


@pytest.mark.parametrize("fn", LOSSES)
@pytest.mark.parametrize("label,bad,types", BAD_GRAD_OUTPUT_NONE, ids=[b[0] for b in BAD_GRAD_OUTPUT_NONE])
def test_bad_grad_output_for_none(fn, label, bad, types):
    expect(lambda: getattr(F, fn + "_and_grad")(X, T, reduction="none", grad_output=bad), types, "grad_output")


BAD_GRAD_OUTPUT_SCALAR = [
    ("array", np.ones(3)), ("list", [1.0, 2.0]), ("str", "a"), ("numeric-str", "2.5"),
    ("complex", 1 + 2j), ("object", object()), ("dict", {}),
]


@pytest.mark.parametrize("fn", LOSSES)
@pytest.mark.parametrize("reduction", ["mean", "sum"])
@pytest.mark.parametrize("label,bad", BAD_GRAD_OUTPUT_SCALAR, ids=[b[0] for b in BAD_GRAD_OUTPUT_SCALAR])
def test_bad_grad_output_for_scalar_reductions(fn, reduction, label, bad):
    """For 'mean'/'sum' grad_output is a float; torch's backward would refuse these too
    (a string is not a number even when it spells one)."""
    expect(lambda: getattr(F, fn + "_and_grad")(X, T, reduction=reduction, grad_output=bad), EITHER,
           "grad_output")


def test_grad_output_is_not_an_argument_of_the_loss_itself():
    for fn in LOSSES:
        expect(lambda: getattr(F, fn)(X, T, grad_output=1.0), BAD_TYPE, "grad_output")


def test_unknown_keyword():
    for fn in LOSSES:
        for function in both(fn):
            expect(lambda: function(X, T, reductions="sum"), BAD_TYPE, "reductions")


# --- threads -------------------------------------------------------------------------------------

@pytest.mark.parametrize("bad,types", [(-1, BAD_VALUE), (1025, BAD_VALUE), (2**40, BAD_VALUE),
                                       (2.5, BAD_TYPE), (True, BAD_TYPE), ("2", BAD_TYPE), (None, BAD_TYPE)])
def test_bad_num_threads(restore_threads, bad, types):
    before = losscore.get_num_threads()
    expect(lambda: losscore.set_num_threads(bad), types, "num_threads")
    assert losscore.get_num_threads() == before


# --- zero_one_loss ----------------------------------------------------------------------------------

S = np.array([[0.1, 0.9, 0.0], [2.0, 1.0, 0.5], [0.0, 0.0, 1.0], [1.0, 3.0, 2.0]])
Y = np.array([1, 0, 2, 0])


@pytest.mark.parametrize("bad", [[0, 1, 3, 0], [0, -1, 2, 0], [0, 1, 2, -100], [0, 2**62, 1, 1]])
def test_zero_one_target_out_of_range(bad):
    for reduction in ("none", "mean", "sum"):
        message = expect(lambda: F.zero_one_loss(S, np.array(bad), reduction=reduction), (IndexError,), "target")
        wrong = next(v for v in bad if not 0 <= v < 3)
        assert str(wrong) in message, f"message {message!r} does not show the bad target {wrong}"


def test_zero_one_unsigned_target_out_of_range_reports_its_value():
    bad = np.array([0, 2**64 - 1, 1, 1], dtype=np.uint64)
    message = expect(lambda: F.zero_one_loss(S, bad), (IndexError,), "target")
    assert str(2**64 - 1) in message, f"message {message!r} does not show the bad target {2**64 - 1}"


ZERO_ONE_BAD = [
    ("float-target", lambda: F.zero_one_loss(S, Y.astype(float)), BAD_TYPE, ["target"]),
    ("bool-target", lambda: F.zero_one_loss(S, Y > 0), BAD_TYPE, ["target"]),
    ("str-target", lambda: F.zero_one_loss(S, np.array(list("abcd"))), BAD_TYPE, ["target"]),
    ("2d-target", lambda: F.zero_one_loss(S, Y[:, None]), BAD_VALUE, ["target", "shape"]),
    ("0d-target", lambda: F.zero_one_loss(S, np.int64(1)), BAD_VALUE, ["target"]),
    ("short-target", lambda: F.zero_one_loss(S, Y[:3]), BAD_VALUE, ["target"]),
    ("1d-float-scores", lambda: F.zero_one_loss(S[:, 0], Y), BAD_VALUE, ["input"]),
    ("3d-scores", lambda: F.zero_one_loss(S[:, :, None], Y), BAD_VALUE, ["input"]),
    ("no-classes", lambda: F.zero_one_loss(np.zeros((4, 0)), Y), BAD_VALUE, ["input"]),
    ("str-scores", lambda: F.zero_one_loss(np.array([["a"] * 3] * 4), Y), BAD_TYPE, ["input"]),
    ("object-scores", lambda: F.zero_one_loss(np.array([[object()] * 3] * 4), Y), BAD_TYPE, ["input"]),
    ("complex-scores", lambda: F.zero_one_loss(S.astype(complex), Y), BAD_TYPE, ["input"]),
    ("labels-length", lambda: F.zero_one_loss(np.array([0, 1, 2]), Y), BAD_VALUE, ["input", "target"]),
    ("labels-2d", lambda: F.zero_one_loss(np.array([[0, 1, 2, 1]]), Y), BAD_VALUE, ["input"]),
    ("bad-reduction", lambda: F.zero_one_loss(S, Y, reduction="avg"), BAD_VALUE, ["reduction"]),
    ("none-reduction", lambda: F.zero_one_loss(S, Y, reduction=None), BAD_VALUE, ["reduction"]),
    ("labels-bad-reduction", lambda: F.zero_one_loss(Y, Y, reduction="avg"), BAD_VALUE, ["reduction"]),
]


@pytest.mark.parametrize("label,call,types,words", ZERO_ONE_BAD, ids=[z[0] for z in ZERO_ONE_BAD])
def test_zero_one_bad_arguments(label, call, types, words):
    expect(call, types, *words)


# --- the library itself, below the binding ------------------------------------------------------------

def test_c_errors_become_python_errors_with_the_library_message():
    """Checks that the binding's checks are also enforced by the library: bad options, unknown
    reductions and NULL buffers give a status and a message, never a crash."""
    x = np.ones(4)
    out = np.empty(4)
    status = c_function("smooth_l1_loss", "float64")(address(x), address(x), 4, 0, -1.0, address(out), None, None)
    assert status == INVALID_ARGUMENT
    message = c_last_error()
    assert "beta" in message
    with pytest.raises(ValueError, match="beta"):
        _ffi.check(status)
    status = c_function("huber_loss", "float64")(address(x), address(x), None, 4, 0, 0.0, address(out), None, None)
    assert status == INVALID_ARGUMENT and "delta" in c_last_error()
    status = c_function("l1_loss", "float64")(address(x), address(x), None, 4, 7, address(out), None, None)
    assert status == INVALID_ARGUMENT and "reduction" in c_last_error()
    status = c_function("mse_loss", "float32")(None, None, None, 4, 1, address(out), None, None)
    assert status == NULL_POINTER and c_last_error()
    status = c_function("l1_loss", "float64")(address(x), address(x), None, 4, 1, None, None, None)
    assert status == NULL_POINTER
    # n = 0: NULL data pointers are allowed; the mean of nothing is NaN
    one = np.full(1, 7.0)
    assert c_function("l1_loss", "float64")(None, None, None, 0, 1, address(one), None, None) == OK
    assert np.isnan(one[0])
    scores, target = np.ones((2, 3)), np.array([0, 5], dtype=np.int64)
    status = c_function("zero_one_loss", "float64")(address(scores), address(target), 2, 3, 1, address(out))
    assert status == INDEX and "target" in c_last_error()
    with pytest.raises(IndexError):
        _ffi.check(status)
    status = c_function("zero_one_loss", "float64")(address(scores), address(target), 2, 0, 1, address(out))
    assert status == SHAPE
    status = c_function("zero_one_loss", "float64")(address(scores), address(target), 2**62, 2**62, 1, address(out))
    assert status in (SHAPE, INVALID_ARGUMENT)


def test_failed_call_writes_nothing_and_the_next_call_works():
    x = np.ones(4)
    out = np.full(4, 123.0)
    grad = np.full(4, 456.0)
    status = c_function("smooth_l1_loss", "float64")(address(x), address(x), 4, 0, -1.0, address(out), None,
                                                     address(grad))
    assert status != 0
    assert np.all(out == 123.0) and np.all(grad == 456.0)
    assert F.l1_loss(np.ones(3), np.zeros(3)) == 1.0
    assert c_last_error() == ""


def test_errors_leave_no_trace():
    for _ in range(3):
        expect(lambda: F.huber_loss(X, T, delta=-1), BAD_VALUE, "delta")
        assert F.huber_loss(X, T) == F.huber_loss(X.copy(), T.copy())


def test_status_strings():
    lib = c_library()
    lib.losscore_status_string.restype = ctypes.c_char_p
    lib.losscore_status_string.argtypes = (ctypes.c_int,)
    assert lib.losscore_status_string(0) == b"LOSSCORE_OK"
    assert lib.losscore_status_string(4) == b"LOSSCORE_ERROR_INDEX"
    assert lib.losscore_status_string(99) == b"unknown status"
    assert lib.losscore_status_string(-1) == b"unknown status"
