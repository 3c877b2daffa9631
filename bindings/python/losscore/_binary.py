"""The binary family: binary_cross_entropy, binary_cross_entropy_with_logits, sigmoid_focal_loss.

All three are elementwise over a target of the input's shape; one code path converts the
arguments, broadcasts ``weight`` (and ``pos_weight``) into the input's shape as torch does,
calls losscore_<name>_f32/_f64 and shapes the result.
"""
from __future__ import annotations

import ctypes

import numpy as np

from . import _args, _ffi

_p, _n, _i, _d = ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_double


# (input, target, weight, n, reduction, out, grad_output, grad_input)
_BCE = _ffi.typed_pair("binary_cross_entropy", (_p, _p, _p, _n, _i, _p, _p, _p))
# (input, target, weight, pos_weight, pos_weight_count, n, reduction, out, grad_output, grad_input)
_BCE_LOGITS = _ffi.typed_pair("binary_cross_entropy_with_logits", (_p, _p, _p, _p, _n, _n, _i, _p, _p, _p))
# (input, target, n, reduction, alpha, gamma, out, grad_output, grad_input)
_FOCAL = _ffi.typed_pair("sigmoid_focal_loss", (_p, _p, _n, _i, _d, _d, _p, _p, _p))


def _broadcast_into(value, shape, name: str) -> np.ndarray:
    """`value` as an array that broadcasts to `shape` without enlarging it (torch multiplies
    the loss by weight/pos_weight in place, so the loss keeps the input's shape)."""
    array = _args.as_array(value, name)
    if array.shape == shape or array.ndim == 0 or (array.ndim == 1 and array.shape == shape[-1:]):
        return array  # the common cases, without the cost of np.broadcast_shapes
    try:
        ok = np.broadcast_shapes(array.shape, shape) == tuple(shape)
    except ValueError:
        ok = False
    if not ok:
        raise ValueError(f"{name} shape {array.shape} cannot be broadcast to the input shape {tuple(shape)}")
    return array


def _strong(value, array: np.ndarray, name: str) -> bool:
    """Whether a weight takes part in dtype promotion: arrays do; a Python int or float (which
    numpy makes float64) does not, so `pos_weight=2.0` keeps float32 inputs in float32."""
    if isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be a floating-point array or number, got a bool")
    if isinstance(value, (int, float)):
        return False
    return True


def _pos_weight_buffer(pw: np.ndarray, shape, dtype: np.dtype):
    """(contiguous values, count) for the C API: element i uses values[i % count]."""
    if pw.size == 1:
        return _args.contiguous(pw.reshape(1), dtype), 1
    if pw.ndim == 1 and pw.shape == shape[-1:]:
        return _args.contiguous(pw, dtype), pw.shape[0]
    significant = pw.shape[next((k for k, size in enumerate(pw.shape) if size != 1), pw.ndim):]
    if len(shape) >= 1 and significant == (shape[-1],):
        # Along the last dimension, torch's documented case: pass the C values as they are.
        return _args.contiguous(pw.reshape(-1), dtype), shape[-1]
    # Any other broadcast: expand to one value per element.
    expanded = _args.expand(pw, shape, dtype).reshape(-1)
    return expanded, expanded.size


def _binary(kind, input, target, *, reduction, weight=None, pos_weight=None, alpha=0.25, gamma=2.0,
            want_grad=False, grad_output=None, names=("input", "target")):
    x = _args.as_array(input, names[0])
    y = _args.as_array(target, names[1])
    dtypes = [_args.float_dtype_of(x, names[0]), _args.float_dtype_of(y, names[1])]
    originals = [x.dtype, y.dtype]
    if y.shape != x.shape:
        if kind == "binary_cross_entropy":
            raise ValueError(f"Using a {names[1]} size ({y.shape}) that is different to the {names[0]} size "
                             f"({x.shape}) is deprecated. Please ensure they have the same size.")
        raise ValueError(f"{names[1].capitalize()} size ({y.shape}) must be the same as {names[0]} size ({x.shape})")
    w = pw = None
    if weight is not None:
        w = _broadcast_into(weight, x.shape, "weight")
        if _strong(weight, w, "weight"):
            dtypes.append(_args.float_dtype_of(w, "weight"))
            originals.append(w.dtype)
    if pos_weight is not None:
        pw = _broadcast_into(pos_weight, x.shape, "pos_weight")
        if _strong(pos_weight, pw, "pos_weight"):
            dtypes.append(_args.float_dtype_of(pw, "pos_weight"))
            originals.append(pw.dtype)
    dtype = _args.result_dtype(*dtypes)
    # float16 is computed in float32 and returned as float16 when every argument is float16.
    out_dtype = _args.F16 if all(d.char == "e" for d in originals) else dtype

    shape = x.shape
    xb = _args.contiguous(x, dtype)
    yb = _args.contiguous(y, dtype)
    out = np.empty(shape if reduction == 0 else (1,), dtype=dtype)
    grad = np.empty(shape, dtype=dtype) if want_grad else None
    go = _args.grad_output_array(grad_output, reduction, shape, dtype) if want_grad else None
    head = (_args.address(xb), _args.address(yb))
    tail = (_args.address(out), None if go is None else _args.address(go),
            None if grad is None else _args.address(grad))
    wb = None if w is None else _args.expand(w, shape, dtype)
    w_ptr = None if wb is None else _args.address(wb)

    if kind == "binary_cross_entropy":
        status = _BCE[dtype](*head, w_ptr, xb.size, reduction, *tail)
    elif kind == "binary_cross_entropy_with_logits":
        pw_ptr, count = None, 0
        if pw is not None and xb.size > 0:
            pwb, count = _pos_weight_buffer(pw, shape, dtype)
            pw_ptr = _args.address(pwb)
        status = _BCE_LOGITS[dtype](*head, w_ptr, pw_ptr, count, xb.size, reduction, *tail)
    else:
        status = _FOCAL[dtype](*head, xb.size, reduction, alpha, gamma, *tail)
    _ffi.check(status)

    loss = out.astype(out_dtype, copy=False) if reduction == 0 else _args.scalar_result(out, out_dtype)
    if not want_grad:
        return loss
    return loss, grad.astype(_args.grad_dtype(x, out_dtype), copy=False)


# --- binary_cross_entropy -------------------------------------------------------------------

def binary_cross_entropy(input, target, weight=None, size_average=None, reduce=None, reduction="mean"):
    """Binary cross-entropy between probabilities ``input`` and ``target`` (same shape).

    ``-w * (y * log(x) + (1 - y) * log(1 - x))`` with each log clamped at -100; ``weight``
    broadcasts to the input's shape; 'mean' divides by the element count. Every element of
    ``input`` and ``target`` must lie in [0, 1] (ValueError otherwise, as torch).
    """
    return _binary("binary_cross_entropy", input, target, weight=weight,
                   reduction=_args.reduction_code(reduction, size_average, reduce))


def binary_cross_entropy_and_grad(input, target, weight=None, size_average=None, reduce=None, reduction="mean",
                                  grad_output=None):
    """``(binary_cross_entropy(...), d loss / d input)`` in one pass.

    The gradient is torch's: ``w * (x - y) / max((1 - x) * x, 1e-12)`` times grad_output.
    """
    return _binary("binary_cross_entropy", input, target, weight=weight,
                   reduction=_args.reduction_code(reduction, size_average, reduce),
                   want_grad=True, grad_output=grad_output)


# --- binary_cross_entropy_with_logits -------------------------------------------------------

def binary_cross_entropy_with_logits(input, target, weight=None, size_average=None, reduce=None,
                                     reduction="mean", pos_weight=None):
    """Binary cross-entropy on logits, in the stable form (finite for any logit).

    ``w * ((1 - y) * x + (1 + (p - 1) * y) * softplus(-x))`` where ``p`` is ``pos_weight``
    (broadcast with the input, typically of shape ``(C,)`` along the last dimension) and
    ``w`` is ``weight`` (broadcast to the input's shape). 'mean' divides by the element count.
    """
    return _binary("binary_cross_entropy_with_logits", input, target, weight=weight, pos_weight=pos_weight,
                   reduction=_args.reduction_code(reduction, size_average, reduce))


def binary_cross_entropy_with_logits_and_grad(input, target, weight=None, size_average=None, reduce=None,
                                              reduction="mean", pos_weight=None, grad_output=None):
    """``(binary_cross_entropy_with_logits(...), d loss / d input)`` in one pass.

    The gradient is ``w * ((1 + (p - 1) * y) * sigmoid(x) - p * y)`` times grad_output.
    """
    return _binary("binary_cross_entropy_with_logits", input, target, weight=weight, pos_weight=pos_weight,
                   reduction=_args.reduction_code(reduction, size_average, reduce),
                   want_grad=True, grad_output=grad_output)


# --- sigmoid_focal_loss ---------------------------------------------------------------------

def _focal_options(alpha, gamma):
    alpha = _args.finite_number(alpha, "alpha")
    if not (0 <= alpha <= 1) and alpha != -1:
        raise ValueError(f"Invalid alpha value: {alpha}. alpha must be in the range [0,1] or -1 for ignore.")
    gamma = _args.finite_number(gamma, "gamma")
    if not (gamma >= 0 and np.isfinite(gamma)):
        raise ValueError(f"gamma must be a finite number >= 0 (got {gamma})")
    return alpha, gamma


def sigmoid_focal_loss(inputs, targets, alpha=0.25, gamma=2.0, reduction="none"):
    """The sigmoid focal loss of RetinaNet, exactly ``torchvision.ops.sigmoid_focal_loss``.

    ``a_t * bce_with_logits(x, y) * (1 - p_t) ** gamma`` with ``p = sigmoid(x)``,
    ``p_t = p y + (1 - p)(1 - y)`` and ``a_t = alpha y + (1 - alpha)(1 - y)`` (alpha = -1
    disables the alpha weighting). ``targets`` has the shape of ``inputs``. Note the
    default reduction 'none', as torchvision's.
    """
    alpha, gamma = _focal_options(alpha, gamma)
    return _binary("sigmoid_focal_loss", inputs, targets, alpha=alpha, gamma=gamma,
                   reduction=_args.reduction_code(reduction), names=("inputs", "targets"))


def sigmoid_focal_loss_and_grad(inputs, targets, alpha=0.25, gamma=2.0, reduction="none", grad_output=None):
    """``(sigmoid_focal_loss(...), d loss / d inputs)`` in one pass.

    Matches autograd through torchvision's expression, except that it stays finite (the
    true limit, 0) where autograd returns NaN: 0 < gamma < 1 with ``1 - p_t`` rounding to 0.
    """
    alpha, gamma = _focal_options(alpha, gamma)
    return _binary("sigmoid_focal_loss", inputs, targets, alpha=alpha, gamma=gamma,
                   reduction=_args.reduction_code(reduction), names=("inputs", "targets"),
                   want_grad=True, grad_output=grad_output)
