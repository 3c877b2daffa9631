"""The softmax family: cross_entropy, nll_loss, focal_loss (one code path for all three)."""
from __future__ import annotations

import ctypes
import math

import numpy as np

from . import _args, _ffi

_p, _n, _i, _d, _i64 = ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_double, ctypes.c_int64


# (input, target, weight, n, c, inner, ignore_index, reduction, label_smoothing, out, go, gi)
_CROSS_ENTROPY = _ffi.typed_pair("cross_entropy", (_p, _p, _p, _n, _n, _n, _i64, _i, _d, _p, _p, _p))
# (input, target, weight, n, c, inner, reduction, label_smoothing, out, go, gi)
_CROSS_ENTROPY_PROBS = _ffi.typed_pair("cross_entropy_probs", (_p, _p, _p, _n, _n, _n, _i, _d, _p, _p, _p))
# (input, target, weight, n, c, inner, ignore_index, reduction, out, go, gi)
_NLL = _ffi.typed_pair("nll_loss", (_p, _p, _p, _n, _n, _n, _i64, _i, _p, _p, _p))
# (input, target, weight, n, c, inner, gamma, ignore_index, reduction, out, go, gi)
_FOCAL = _ffi.typed_pair("focal_loss", (_p, _p, _p, _n, _n, _n, _d, _i64, _i, _p, _p, _p))


_INT64_MAX = np.iinfo(np.int64).max


def _layout(x: np.ndarray):
    """(n, c, inner, loss shape) of an input with the class dimension at dim 1 (dim 0 if 1-D)."""
    if x.ndim == 0:
        raise ValueError("input must have at least 1 dimension (C,) or (N, C, ...), got a 0-d array")
    shape = x.shape
    if len(shape) == 1:
        return 1, shape[0], 1, ()
    # (math.prod: np.prod costs 3 us per call)
    return shape[0], shape[1], math.prod(shape[2:]), (shape[0],) + shape[2:]


def _class_targets(t: np.ndarray, loss_shape, c: int, ignore_index: int, kind: str) -> np.ndarray:
    if t.dtype.kind not in "iu":
        also = " (or floating probabilities of the input's shape)" if kind == "cross_entropy" else ""
        raise TypeError(f"target must hold integer class indices{also}, got dtype {t.dtype}")
    if t.shape == (1,) and loss_shape == ():
        t = t.reshape(())  # torch also takes a one-element target for an unbatched (C,) input
    if t.shape != tuple(loss_shape):
        raise ValueError(f"target shape {t.shape} does not match the expected {tuple(loss_shape)} "
                         f"for class indices")
    if t.dtype.kind == "u" and t.dtype.itemsize == 8 and t.size and t.max() > _INT64_MAX:
        raise IndexError(f"target {int(t.max())} is out of bounds for {c} classes")
    return _args.contiguous(t, _args.I64)


def _ignore_index(value) -> int:
    if type(value) is int and -(2**63) <= value < 2**63:
        return value  # the common case, checked cheaply first
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"ignore_index must be an int, got {type(value).__name__}")
    value = int(value)
    if not -(2**63) <= value < 2**63:
        raise ValueError(f"ignore_index {value} does not fit in int64")
    return value


def _class_weight(weight, c: int):
    if weight is None:
        return None, None
    w = _args.as_array(weight, "weight")
    dtype = _args.float_dtype_of(w, "weight")
    if w.shape != (c,):
        raise ValueError(f"weight tensor should be defined either for all {c} classes or no classes "
                         f"but got weight of shape {w.shape}")
    return w, dtype


_REDUCED = {"mean": 1, "sum": 2}


def _plain_call(input, target, ignore_index, reduction, label_smoothing=None):
    """The most common call, straight to the library: a 'mean' or 'sum' value of
    cross_entropy (`label_smoothing` given) or nll_loss (None) for a C-contiguous
    float32/float64 (N, C) ndarray at int64 class indices; the caller has checked that there
    are no weights or legacy arguments. Returns None for anything else, which the general
    path then handles (and reports errors of). The general path's conversions cost 2 us of
    a 6 us call (64x10), and each Python layer in between 0.2-0.3 us: the public functions
    call this first, with their arguments as given."""
    code = _REDUCED.get(reduction) if type(reduction) is str else None
    if not (code and type(input) is np.ndarray and type(target) is np.ndarray and type(ignore_index) is int):
        return None
    dtype = input.dtype
    if not ((dtype is _args.F32 or dtype is _args.F64) and target.dtype is _args.I64
            and input.ndim == 2 and target.ndim == 1):
        return None
    n, c = input.shape
    if not (target.shape[0] == n and input.flags.c_contiguous and target.flags.c_contiguous
            and -(2**63) <= ignore_index < 2**63):
        return None
    out, out_ptr = _args.scalar_slot(dtype)
    if label_smoothing is None:
        status = _NLL[dtype](_args.address(input), _args.address(target), None, n, c, 1,
                             ignore_index, code, out_ptr, None, None)
    else:
        status = _CROSS_ENTROPY[dtype](_args.address(input), _args.address(target), None, n, c, 1,
                                       ignore_index, code, label_smoothing, out_ptr, None, None)
    if status:
        _ffi.check(status)
    return dtype.type(out.value)


def softmax_family(kind, input, target, *, weight=None, ignore_index=-100, reduction=1,
                   label_smoothing=0.0, gamma=2.0, want_grad=False, grad_output=None):
    """Runs cross_entropy / nll_loss / focal_loss; `reduction` is the C code."""
    x = input if type(input) is np.ndarray else _args.as_array(input, "input")
    t = target if type(target) is np.ndarray else _args.as_array(target, "target")
    dtype = _args.float_dtype_of(x, "input")
    # float16 is computed in float32 and returned as float16 when every floating argument is.
    half = x.dtype.char == "e"
    n, c, inner, loss_shape = _layout(x)
    w = None
    if weight is not None:
        w, w_dtype = _class_weight(weight, c)
        dtype = _args.result_dtype(dtype, w_dtype)
        half = half and w.dtype.char == "e"
    probabilities = kind == "cross_entropy" and t.dtype.kind == "f"
    if probabilities:
        if t.shape != x.shape:
            raise ValueError(f"probability target shape {t.shape} must equal input shape {x.shape}")
        dtype = _args.result_dtype(dtype, _args.float_dtype_of(t, "target"))
        half = half and t.dtype.char == "e"
        # torch accepts any negative ignore_index here (it can never match) and refuses class indices.
        if _ignore_index(ignore_index) >= 0:
            raise ValueError(f"ignore_index is not supported for floating point target (got ignore_index={ignore_index})")
    else:
        ignore_index = _ignore_index(ignore_index)
    out_dtype = _args.F16 if half else dtype

    xb = _args.contiguous(x, dtype)
    wb = None if w is None else _args.contiguous(w, dtype)
    if reduction == 0:
        out = np.empty(loss_shape, dtype=dtype)
        out_ptr = _args.address(out)
    else:
        out, out_ptr = _args.scalar_slot(dtype)
    grad = np.empty(x.shape, dtype=dtype) if want_grad else None
    go = _args.grad_output_array(grad_output, reduction, loss_shape, dtype) if want_grad else None
    x_ptr = _args.address(xb)
    go_ptr = None if go is None else _args.address(go)
    grad_ptr = None if grad is None else _args.address(grad)
    w_ptr = None if wb is None else _args.address(wb)
    if probabilities:
        tb = _args.contiguous(t, dtype)
        status = _CROSS_ENTROPY_PROBS[dtype](x_ptr, _args.address(tb), w_ptr, n, c, inner, reduction,
                                             label_smoothing, out_ptr, go_ptr, grad_ptr)
    else:
        t_ptr = _args.address(_class_targets(t, loss_shape, c, ignore_index, kind))
        if kind == "cross_entropy":
            status = _CROSS_ENTROPY[dtype](x_ptr, t_ptr, w_ptr, n, c, inner, ignore_index, reduction,
                                           label_smoothing, out_ptr, go_ptr, grad_ptr)
        elif kind == "nll_loss":
            status = _NLL[dtype](x_ptr, t_ptr, w_ptr, n, c, inner, ignore_index, reduction,
                                 out_ptr, go_ptr, grad_ptr)
        else:
            status = _FOCAL[dtype](x_ptr, t_ptr, w_ptr, n, c, inner, gamma, ignore_index, reduction,
                                   out_ptr, go_ptr, grad_ptr)
    _ffi.check(status)

    loss = out.astype(out_dtype, copy=False) if reduction == 0 else _args.scalar_value(out, out_dtype)
    if not want_grad:
        return loss
    return loss, grad.astype(_args.grad_dtype(x, dtype), copy=False)


def _smoothing(value) -> float:
    value = _args.finite_number(value, "label_smoothing")
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"label_smoothing must be between 0.0 and 1.0. Got: {value}")
    return value


def _gamma(value) -> float:
    value = _args.finite_number(value, "gamma")
    if not (value >= 0 and np.isfinite(value)):
        raise ValueError(f"gamma must be a finite number >= 0 (got {value})")
    return value


def cross_entropy(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None,
                  reduction="mean", label_smoothing=0.0):
    """Cross-entropy between logits ``input`` (class dim 1, or 0 for ``(C,)``) and ``target``.

    ``target`` holds class indices (integer, shape without the class dim) or class
    probabilities (floating, input's shape). Options as torch.nn.functional.cross_entropy.
    """
    if (weight is None and size_average is None and reduce is None
            and type(label_smoothing) is float and 0.0 <= label_smoothing <= 1.0):
        result = _plain_call(input, target, ignore_index, reduction, label_smoothing)
        if result is not None:
            return result
    return softmax_family("cross_entropy", input, target, weight=weight, ignore_index=ignore_index,
                          reduction=_args.reduction_code(reduction, size_average, reduce),
                          label_smoothing=_smoothing(label_smoothing))


def cross_entropy_and_grad(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None,
                           reduction="mean", label_smoothing=0.0, grad_output=None):
    """``(cross_entropy(...), d loss / d input)`` in one pass."""
    return softmax_family("cross_entropy", input, target, weight=weight, ignore_index=ignore_index,
                          reduction=_args.reduction_code(reduction, size_average, reduce),
                          label_smoothing=_smoothing(label_smoothing), want_grad=True, grad_output=grad_output)


def nll_loss(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None, reduction="mean"):
    """Negative log-likelihood of log-probabilities ``input`` at class indices ``target``."""
    if weight is None and size_average is None and reduce is None:
        result = _plain_call(input, target, ignore_index, reduction)
        if result is not None:
            return result
    return softmax_family("nll_loss", input, target, weight=weight, ignore_index=ignore_index,
                          reduction=_args.reduction_code(reduction, size_average, reduce))


def nll_loss_and_grad(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None,
                      reduction="mean", grad_output=None):
    """``(nll_loss(...), d loss / d input)`` in one pass."""
    return softmax_family("nll_loss", input, target, weight=weight, ignore_index=ignore_index,
                          reduction=_args.reduction_code(reduction, size_average, reduce),
                          want_grad=True, grad_output=grad_output)


def focal_loss(input, target, weight=None, gamma=2.0, ignore_index=-100, reduction="mean"):
    """Multi-class focal loss: ``nll_loss((1 - softmax(x))**gamma * log_softmax(x), target, weight, ...)``.

    ``weight`` (per class) plays the role of alpha; gamma = 0 is cross-entropy.
    """
    return softmax_family("focal_loss", input, target, weight=weight, ignore_index=ignore_index,
                          reduction=_args.reduction_code(reduction), gamma=_gamma(gamma))


def focal_loss_and_grad(input, target, weight=None, gamma=2.0, ignore_index=-100, reduction="mean",
                        grad_output=None):
    """``(focal_loss(...), d loss / d input)`` in one pass."""
    return softmax_family("focal_loss", input, target, weight=weight, ignore_index=ignore_index,
                          reduction=_args.reduction_code(reduction), gamma=_gamma(gamma),
                          want_grad=True, grad_output=grad_output)
