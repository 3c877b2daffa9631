"""The one code path of every elementwise loss: convert, broadcast, call C, shape the result."""
from __future__ import annotations

import numpy as np

from . import _args, _ffi


def _plain_call(name, x, y, reduction, option):
    """The most common call, a reduced loss of two C-contiguous float32/float64 arrays of one
    shape and dtype without weights, straight to the library: the general path's promotion,
    broadcasting and conversion steps cost 2 us of a 6 us call. Returns None when the
    arguments are anything else (the general path then handles them)."""
    dtype = x.dtype
    if not ((dtype is _args.F32 or dtype is _args.F64) and y.dtype is dtype and x.shape == y.shape
            and x.flags.c_contiguous and y.flags.c_contiguous):
        return None
    out, out_ptr = _args.scalar_slot(dtype)
    function = _ffi.fn[name][dtype]
    xs, ys = _args.address(x), _args.address(y)
    if name in _ffi.WEIGHTED:
        status = (function(xs, ys, None, x.size, reduction, out_ptr, None, None) if option is None
                  else function(xs, ys, None, x.size, reduction, option, out_ptr, None, None))
    else:
        status = function(xs, ys, x.size, reduction, option, out_ptr, None, None)
    if status:
        _ffi.check(status)
    return dtype.type(out.value)


def pointwise(name, input, target, *, reduction, weight=None, option=None,
              want_grad=False, grad_output=None):
    """Runs losscore_<name>_f32/_f64 on input and target, broadcast as torch does.

    `reduction` is the C code (see _args.reduction_code); `option` is the float option
    (beta, delta) of losses that have one. Returns the loss, or (loss, grad_input) with
    the gradient summed back to input's shape when input was broadcast.
    """
    if (weight is None and not want_grad and reduction and type(input) is np.ndarray
            and type(target) is np.ndarray):
        result = _plain_call(name, input, target, reduction, option)
        if result is not None:
            return result
    x = _args.as_array(input, "input")
    y = _args.as_array(target, "target")
    # As torch: integer data beside floating data takes the floating dtype (integer
    # targets are the common numpy case); two integer operands are refused.
    dtypes = [d for d in (_args.operand_dtype(x, "input"), _args.operand_dtype(y, "target")) if d is not None]
    if not dtypes:
        raise TypeError(f"input or target must be a floating-point array (float32 or float64), "
                        f"got dtypes {x.dtype} and {y.dtype}")
    originals = [a.dtype for a in (x, y) if a.dtype.kind == "f"]
    w = None
    if weight is not None:
        w = _args.as_array(weight, "weight")
        w_dtype = _args.operand_dtype(w, "weight")
        if w_dtype is not None:
            dtypes.append(w_dtype)
            originals.append(w.dtype)
        if w.shape != x.shape:
            raise ValueError(f"weight shape {w.shape} must equal input shape {x.shape} "
                             "(Weights and input must have the same size.)")
    dtype = _args.result_dtype(*dtypes)
    # float16 is computed in float32 and returned as float16 when every argument is float16.
    out_dtype = _args.F16 if all(d.char == "e" for d in originals) else dtype

    shape = _args.broadcast_pair(x, y)
    # torch's weighted L1/MSE mean divides by sum(weight) over the weight's own entries
    # (weight has input's shape), even when the target broadcasts the loss to a larger
    # shape. The library divides by the weights it is given, which are expanded here, so
    # such calls run as 'sum' and are divided by the true sum of the weights afterwards.
    weight_divisor = None
    if (w is not None and reduction == 1 and shape != x.shape and name in _ffi.WEIGHT_SUM_MEAN):
        weight_divisor = float(np.sum(w, dtype=np.float64))
        reduction = 2
        if want_grad:
            upstream = 1.0 if grad_output is None else _args.scalar_grad_output(grad_output)
            grad_output = upstream / weight_divisor
    xb = _args.expand(x, shape, dtype)
    yb = _args.expand(y, shape, dtype)
    wb = None if w is None else _args.expand(w, shape, dtype)
    if reduction == 0:
        out = np.empty(shape, dtype=dtype)
        out_ptr = _args.address(out)
    else:
        out, out_ptr = _args.scalar_slot(dtype)
    grad = np.empty(shape, dtype=dtype) if want_grad else None
    go = _args.grad_output_array(grad_output, reduction, shape, dtype) if want_grad else None
    go_ptr = None if go is None else _args.address(go)
    grad_ptr = None if grad is None else _args.address(grad)

    function = _ffi.fn[name][dtype]
    x_ptr, y_ptr = _args.address(xb), _args.address(yb)
    if name in _ffi.WEIGHTED:
        w_ptr = None if wb is None else _args.address(wb)
        if option is None:
            status = function(x_ptr, y_ptr, w_ptr, xb.size, reduction, out_ptr, go_ptr, grad_ptr)
        else:
            status = function(x_ptr, y_ptr, w_ptr, xb.size, reduction, option, out_ptr, go_ptr, grad_ptr)
    else:
        status = function(x_ptr, y_ptr, xb.size, reduction, option, out_ptr, go_ptr, grad_ptr)
    _ffi.check(status)

    if reduction == 0:
        loss = out.astype(out_dtype, copy=False)
    else:
        value = out.value if weight_divisor is None else out.value / weight_divisor
        loss = out_dtype.type(dtype.type(value))
    if not want_grad:
        return loss
    # The gradient has the input's dtype, as torch's autograd gives it.
    return loss, _args.sum_to_shape(grad, x.shape).astype(_args.grad_dtype(x, out_dtype), copy=False)
