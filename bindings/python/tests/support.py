"""Helpers shared by the test modules: independent float64 numpy references of every loss
(written from torch's documented formulas, never from LossCore's code), central finite
differences, and the C entry points declared from include/losscore.h. torch is not needed."""
from __future__ import annotations

import ctypes
import re
from pathlib import Path

import numpy as np

REDUCTIONS = ("none", "mean", "sum")


# --- finite differences ----------------------------------------------------------------------------

def central_difference(objective, x: np.ndarray, index, h: float) -> float:
    """(objective(x + h e_i) - objective(x - h e_i)) / (the step actually taken)."""
    plus, minus = x.copy(), x.copy()
    plus[index] += h
    minus[index] -= h
    return (objective(plus) - objective(minus)) / (plus[index] - minus[index])


def numeric_gradient(objective, x: np.ndarray, h: float) -> np.ndarray:
    """Central differences of a scalar objective with respect to every element of x."""
    grad = np.zeros_like(x, dtype=np.float64)
    for index in np.ndindex(x.shape):
        grad[index] = central_difference(objective, x, index, h)
    return grad


def grad_output_objective(function, grad_output):
    """z -> sum(function(z) * grad_output): its gradient is what `_and_grad` returns for that grad_output."""
    return lambda z: float(np.sum(np.asarray(function(z)) * grad_output))


# --- elementwise: l1, mse, smooth_l1, huber ---------------------------------------------------------

def pointwise_options(fn, beta=1.0, delta=1.0):
    return {"smooth_l1_loss": {"beta": beta}, "huber_loss": {"delta": delta}}.get(fn, {})


def pointwise_reference(fn, x, t, reduction="mean", weight=None, beta=1.0, delta=1.0, grad_output=None):
    """(loss, d loss / d x) of l1/mse/smooth_l1/huber, with torch's broadcasting and weighting."""
    x = np.asarray(x, np.float64)
    t = np.asarray(t, np.float64)
    xb, tb = np.broadcast_arrays(x, t)
    d = xb - tb
    a = np.abs(d)
    if fn == "l1_loss" or (fn == "smooth_l1_loss" and beta == 0):
        loss, grad = a, np.sign(d)
    elif fn == "mse_loss":
        loss, grad = d * d, 2 * d
    elif fn == "smooth_l1_loss":
        inside = a < beta
        loss = np.where(inside, 0.5 * d * d / beta, a - 0.5 * beta)
        grad = np.where(inside, d / beta, np.sign(d))
    elif fn == "huber_loss":
        inside = a < delta
        loss = np.where(inside, 0.5 * d * d, delta * (a - 0.5 * delta))
        grad = np.where(inside, d, delta * np.sign(d))
    else:
        raise KeyError(fn)
    if weight is not None:
        w = np.broadcast_to(np.asarray(weight, np.float64), d.shape)
        loss, grad = loss * w, grad * w
    if reduction == "none":
        go = np.ones(d.shape) if grad_output is None else np.asarray(grad_output, np.float64)
        value, grad = loss, grad * go
    else:
        go = 1.0 if grad_output is None else float(grad_output)
        if reduction == "sum":
            denominator = 1.0
            value = loss.sum()
        else:
            # torch: weighted l1/mse 'mean' divides by sum(weight); huber (and unweighted) by n
            denominator = (np.sum(weight, dtype=np.float64) if weight is not None and fn != "huber_loss"
                           else float(d.size))
            value = loss.sum() / denominator
        grad = grad * (go / denominator)
    lead = grad.ndim - x.ndim
    axes = tuple(range(lead)) + tuple(lead + i for i, s in enumerate(x.shape) if s == 1 and grad.shape[lead + i] != 1)
    grad = grad.sum(axis=axes, keepdims=True).reshape(x.shape) if axes else grad.reshape(x.shape)
    return value, grad


# --- elementwise: the binary losses -------------------------------------------------------------------

def sigmoid_focal_reference(x, y, alpha, gamma):
    """torchvision's sigmoid focal loss per element (moderate logits)."""
    p = 1 / (1 + np.exp(-x))
    ce = (1 - y) * x + np.logaddexp(0, -x)
    q = 1 - (p * y + (1 - p) * (1 - y))
    a = alpha * y + (1 - alpha) * (1 - y) if alpha >= 0 else 1.0
    return a * ce * q ** gamma


def logits_reference(x, y, w, pw):
    """(loss, d loss / d x) per element of binary_cross_entropy_with_logits."""
    log_weight = 1 + (pw - 1) * y
    loss = w * ((1 - y) * x + log_weight * np.logaddexp(0, -x))
    grad = w * (log_weight / (1 + np.exp(-x)) - pw * y)
    return loss, grad


# --- class rows: cross_entropy, nll_loss, focal_loss ----------------------------------------------------

def to_rows(x):
    """(P, C) rows of a (C,) or (N, C, d1, ..., dk) array, position-major."""
    x = np.asarray(x, dtype=np.float64)
    if x.ndim == 1:
        return x[None, :]
    return np.moveaxis(x, 1, -1).reshape(-1, x.shape[1])


def from_rows(rows, shape):
    """The inverse of to_rows for an array of `shape`."""
    if len(shape) == 1:
        return rows[0]
    moved = (shape[0],) + tuple(shape[2:]) + (shape[1],)
    return np.moveaxis(rows.reshape(moved), -1, 1)


def loss_shape(shape):
    """The per-position loss shape of a (C,) or (N, C, d1, ..., dk) input."""
    return () if len(shape) == 1 else (shape[0],) + tuple(shape[2:])


def log_softmax_rows(rows):
    m = rows.max(axis=1, keepdims=True)
    z = rows - m
    return z - np.log(np.exp(z).sum(axis=1, keepdims=True))


def class_rows_reference(fn, x, target, weight=None, ignore_index=-100, reduction="mean", label_smoothing=0.0,
                         gamma=2.0, grad_output=None):
    """(loss, d loss / d x) of cross_entropy / nll_loss / focal_loss.

    'none' returns the per-position losses in the loss shape; 'mean'/'sum' a float.
    """
    x = np.asarray(x, dtype=np.float64)
    shape = x.shape
    rows = to_rows(x)
    positions, c = rows.shape
    w = np.ones(c) if weight is None else np.asarray(weight, dtype=np.float64)
    t_arr = np.asarray(target)
    if fn == "cross_entropy" and t_arr.dtype.kind == "f":
        q = to_rows(t_arr) * (1 - label_smoothing) + label_smoothing / c
        logp = log_softmax_rows(rows)
        p = np.exp(logp)
        wq = w * q
        losses = -(wq * logp).sum(axis=1)
        grads = p * wq.sum(axis=1, keepdims=True) - wq
        denominator = float(positions)
    else:
        t = t_arr.reshape(-1).astype(np.int64)
        valid = t != ignore_index
        tt = np.where(valid, t, 0)
        onehot = np.zeros((positions, c))
        onehot[np.arange(positions), tt] = 1.0
        wt = w[tt] * valid
        denominator = float(wt.sum())
        if fn == "nll_loss":
            losses = -wt * rows[np.arange(positions), tt]
            grads = -wt[:, None] * onehot
        elif fn == "cross_entropy":
            logp = log_softmax_rows(rows)
            p = np.exp(logp)
            eps = label_smoothing
            losses = (1 - eps) * (-wt * logp[np.arange(positions), tt]) \
                + eps / c * (-(w * logp).sum(axis=1)) * valid
            grads = (1 - eps) * wt[:, None] * (p - onehot) + eps / c * (w.sum() * p - w) * valid[:, None]
        elif fn == "focal_loss":
            logp = log_softmax_rows(rows)
            p = np.exp(logp)
            logpt = logp[np.arange(positions), tt]
            pt = p[np.arange(positions), tt]
            q = 1.0 - pt
            focus = q ** gamma
            losses = -wt * focus * logpt
            # d/dx_j [-(1 - p_t)^g log p_t] = A (p_j - [j = t]), A = q^g - g p_t q^(g - 1) log p_t
            a = focus - (gamma * pt * q ** (gamma - 1) * logpt if gamma != 0 else 0.0)
            grads = (wt * a)[:, None] * (p - onehot)
        else:
            raise ValueError(fn)
    ls = loss_shape(shape)
    if reduction == "none":
        go = np.ones(ls) if grad_output is None else np.asarray(grad_output, dtype=np.float64)
        return losses.reshape(ls), from_rows(grads * go.reshape(-1, 1), shape)
    go = 1.0 if grad_output is None else float(grad_output)
    total = float(np.sum(losses))
    if reduction == "sum":
        return total, from_rows(grads * go, shape)
    with np.errstate(invalid="ignore", divide="ignore"):
        # ignored positions keep gradient 0 even in an all-ignored batch (0 / 0 mean), as in torch
        return total / denominator, from_rows(np.where(grads == 0, 0.0, grads * go / denominator), shape)


# --- metrics -------------------------------------------------------------------------------------------

def zero_one_reference(input, target, reduction="mean"):
    """argmax (first maximum; the first NaN if any) for scores, direct comparison for labels."""
    input = np.asarray(input)
    target = np.asarray(target)
    predicted = input.argmax(axis=-1) if input.dtype.kind == "f" else input
    wrong = (predicted != target).astype(np.float64)
    if reduction == "none":
        return wrong
    if reduction == "sum":
        return wrong.sum()
    return wrong.mean() if wrong.size else np.nan


# --- the C ABI, declared from include/losscore.h (independent of the binding's own tables) ----------

# the losscore_status constants
OK, NULL_POINTER, INVALID_ARGUMENT, SHAPE, INDEX = 0, 1, 2, 3, 4

_HEADER = Path(__file__).resolve().parents[3] / "include" / "losscore.h"
_C_TYPES = {"size_t": ctypes.c_size_t, "losscore_reduction": ctypes.c_int32, "double": ctypes.c_double,
            "int64_t": ctypes.c_int64, "int32_t": ctypes.c_int32}


class ErrorRecord(ctypes.Structure):
    """struct losscore_error, its message size read from the header."""
    _fields_ = [("status", ctypes.c_int32),
                ("message", ctypes.c_char * int(re.search(r"#define LOSSCORE_ERROR_MESSAGE_SIZE (\d+)",
                                                            _HEADER.read_text()).group(1)))]


def c_prototype(symbol: str) -> tuple:
    """The ctypes argument types of `symbol`, read from its prototype in include/losscore.h
    (pointers as void *), so the tests call the ABI the header declares."""
    text = re.sub(r"/\*.*?\*/", " ", _HEADER.read_text(), flags=re.S)
    match = re.search(rf"\b{symbol}\s*\(([^)]*)\)\s*;", text)
    if match is None:
        raise LookupError(f"{symbol} is not declared in {_HEADER}")
    types = []
    for parameter in match.group(1).split(","):
        words = parameter.replace("*", " * ").split()
        types.append(ctypes.c_void_p if "*" in words else _C_TYPES[words[-2]])
    return tuple(types)


_LIBRARY = []


def c_library() -> ctypes.CDLL:
    """A handle of its own on the library the binding loaded (prototypes set here never touch
    the binding's)."""
    if not _LIBRARY:
        from losscore import _ffi

        _LIBRARY.append(ctypes.CDLL(_ffi.lib._name))
    return _LIBRARY[0]


def c_function(name, dtype):
    """The entry point losscore_<name>_f32/_f64 with the header's prototype, called with every
    argument but the last, its error record: the call passes one and checks that it holds the
    returned status and the message losscore_last_error() gives."""
    symbol = f"losscore_{name}_{'f32' if np.dtype(dtype) == np.float32 else 'f64'}"
    function = getattr(c_library(), symbol)
    function.restype = ctypes.c_int32
    function.argtypes = c_prototype(symbol)

    def call(*arguments):
        record = ErrorRecord(-1, b"x" * 40)
        status = function(*arguments, ctypes.addressof(record))
        assert (record.status, record.message.decode()) == (status, c_last_error()), symbol
        return status

    return call


def c_last_error() -> str:
    function = c_library().losscore_last_error
    function.restype = ctypes.c_char_p
    return function().decode()


def address(array):
    """The data pointer of an array, None for None."""
    return None if array is None else array.__array_interface__["data"][0]
