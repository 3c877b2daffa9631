"""Loss functions with the names, arguments and semantics of ``torch.nn.functional``.

Inputs are anything ``numpy.asarray`` accepts; results are numpy arrays (``'none'``)
or numpy scalars (``'mean'``/``'sum'``) of the input's floating dtype. Every
differentiable loss ``f`` has ``f_and_grad(*same args, grad_output=None)`` returning
``(loss, grad)`` computed in one fused pass by the library.
"""
from __future__ import annotations

import numpy as np

from . import _args, _ffi
from ._pointwise import pointwise
from ._binary import (binary_cross_entropy, binary_cross_entropy_and_grad, binary_cross_entropy_with_logits,
                      binary_cross_entropy_with_logits_and_grad, sigmoid_focal_loss,
                      sigmoid_focal_loss_and_grad)
from ._softmax import (cross_entropy, cross_entropy_and_grad, focal_loss, focal_loss_and_grad, nll_loss,
                       nll_loss_and_grad)

__all__ = [
    "l1_loss", "l1_loss_and_grad",
    "mse_loss", "mse_loss_and_grad",
    "smooth_l1_loss", "smooth_l1_loss_and_grad",
    "huber_loss", "huber_loss_and_grad",
    "zero_one_loss",
    "cross_entropy", "cross_entropy_and_grad",
    "nll_loss", "nll_loss_and_grad",
    "focal_loss", "focal_loss_and_grad",
    "binary_cross_entropy", "binary_cross_entropy_and_grad",
    "binary_cross_entropy_with_logits", "binary_cross_entropy_with_logits_and_grad",
    "sigmoid_focal_loss", "sigmoid_focal_loss_and_grad",
]


# --- regression ---------------------------------------------------------------------------

def l1_loss(input, target, size_average=None, reduce=None, reduction="mean", weight=None):
    """Mean absolute error: ``w * |input - target|``; weighted 'mean' divides by ``sum(w)``."""
    code = _args.reduction_code(reduction, size_average, reduce)
    return pointwise("l1_loss", input, target, reduction=code, weight=weight)


def l1_loss_and_grad(input, target, size_average=None, reduce=None, reduction="mean", weight=None,
                     grad_output=None):
    """``(l1_loss(...), d loss / d input)`` in one pass."""
    code = _args.reduction_code(reduction, size_average, reduce)
    return pointwise("l1_loss", input, target, reduction=code, weight=weight,
                     want_grad=True, grad_output=grad_output)


def mse_loss(input, target, size_average=None, reduce=None, reduction="mean", weight=None):
    """Mean squared error: ``w * (input - target)**2``; weighted 'mean' divides by ``sum(w)``."""
    code = _args.reduction_code(reduction, size_average, reduce)
    return pointwise("mse_loss", input, target, reduction=code, weight=weight)


def mse_loss_and_grad(input, target, size_average=None, reduce=None, reduction="mean", weight=None,
                      grad_output=None):
    """``(mse_loss(...), d loss / d input)`` in one pass."""
    code = _args.reduction_code(reduction, size_average, reduce)
    return pointwise("mse_loss", input, target, reduction=code, weight=weight,
                     want_grad=True, grad_output=grad_output)


def _beta(beta):
    beta = _args.finite_number(beta, "beta")
    if not beta >= 0:
        raise ValueError(f"smooth_l1_loss does not support negative values for beta (got beta={beta})")
    return beta


def smooth_l1_loss(input, target, size_average=None, reduce=None, reduction="mean", beta=1.0):
    """Smooth L1: ``0.5 d**2 / beta`` for ``|d| < beta``, else ``|d| - 0.5 beta``; beta=0 is L1."""
    code = _args.reduction_code(reduction, size_average, reduce)
    return pointwise("smooth_l1_loss", input, target, reduction=code, option=_beta(beta))


def smooth_l1_loss_and_grad(input, target, size_average=None, reduce=None, reduction="mean", beta=1.0,
                            grad_output=None):
    """``(smooth_l1_loss(...), d loss / d input)`` in one pass."""
    code = _args.reduction_code(reduction, size_average, reduce)
    return pointwise("smooth_l1_loss", input, target, reduction=code, option=_beta(beta),
                     want_grad=True, grad_output=grad_output)


def _delta(delta):
    delta = _args.finite_number(delta, "delta")
    if not delta > 0:
        raise ValueError(f"huber_loss does not support non-positive values for delta (got delta={delta})")
    return delta


def huber_loss(input, target, reduction="mean", delta=1.0, weight=None):
    """Huber: ``0.5 d**2`` for ``|d| < delta``, else ``delta (|d| - 0.5 delta)``.

    With ``weight``, 'mean' is ``mean(w * l)`` (divides by the element count), as torch does.
    """
    return pointwise("huber_loss", input, target, reduction=_args.reduction_code(reduction), weight=weight,
                     option=_delta(delta))


def huber_loss_and_grad(input, target, reduction="mean", delta=1.0, weight=None, grad_output=None):
    """``(huber_loss(...), d loss / d input)`` in one pass."""
    return pointwise("huber_loss", input, target, reduction=_args.reduction_code(reduction), weight=weight,
                     option=_delta(delta),
                     want_grad=True, grad_output=grad_output)


# --- classification -----------------------------------------------------------------------

def _fits_int64(array: np.ndarray) -> bool:
    return array.dtype != np.uint64 or array.size == 0 or int(array.max()) <= np.iinfo(np.int64).max


def zero_one_loss(input, target, reduction="mean"):
    """0-1 loss: 1 where the prediction differs from the target, else 0.

    ``input`` is float scores ``(N, C)`` (prediction: argmax over the last dim, first index
    on ties, NaN counts as the maximum) or integer labels ``(N,)``; ``target`` holds
    integer labels ``(N,)``. Scores give a result of their dtype, labels float64.
    'mean' is the error rate. Not differentiable.
    """
    x = _args.as_array(input, "input")
    t = _args.as_array(target, "target")
    code = _args.reduction_code(reduction)
    if t.dtype.kind not in "iu":
        raise TypeError(f"target must hold integer class labels, got dtype {t.dtype}")
    if t.ndim != 1:
        raise ValueError(f"target must be 1-D (N,), got shape {t.shape}")
    n = t.shape[0]
    if x.dtype.kind in "iub":
        if x.shape != t.shape:
            raise ValueError(f"input labels shape {x.shape} must equal target shape {t.shape}")
        if _fits_int64(x) and _fits_int64(t):
            xb, tb = _args.contiguous(x, np.dtype(np.int64)), _args.contiguous(t, np.dtype(np.int64))
        else:
            # uint64 labels beyond int64: compare exactly here, let the library reduce.
            xb = np.not_equal(x, t).astype(np.int64)
            tb = np.zeros(n, dtype=np.int64)
        out = np.empty(n if code == 0 else 1, dtype=np.float64)
        _ffi.check(_ffi.zero_one_loss_labels(_args.address(xb), _args.address(tb), n, code, _args.address(out)))
        return out if code == 0 else out[0]
    dtype = _args.float_dtype_of(x, "input")
    if x.ndim != 2:
        raise ValueError(f"input scores must be 2-D (N, C), got shape {x.shape}; "
                         "pass integer labels for a 1-D input")
    if x.shape[0] != n:
        raise ValueError(f"input has {x.shape[0]} rows but target has {n} labels")
    if n > 0 and x.shape[1] == 0:
        raise ValueError("input scores must have at least one class (C >= 1)")
    out_of_range = (t < 0) | (t >= x.shape[1])
    if out_of_range.any():
        # Reported from the original array, so uint64 values are named as they are.
        raise IndexError(f"target {int(t[out_of_range][0])} is out of bounds for {x.shape[1]} classes")
    tb = _args.contiguous(t, np.dtype(np.int64))
    xb = _args.contiguous(x, dtype)
    out = np.empty(n if code == 0 else 1, dtype=dtype)
    _ffi.check(_ffi.fn["zero_one_loss"][dtype](
        _args.address(xb), _args.address(tb), n, x.shape[1], code, _args.address(out)))
    return out.astype(x.dtype, copy=False) if code == 0 else _args.scalar_result(out, x.dtype)
