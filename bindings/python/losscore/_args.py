"""Argument conversion and checks shared by every loss of the binding.

Everything here runs before the library is called, so that errors name the Python
argument the way torch.nn.functional names it.
"""
from __future__ import annotations

import ctypes
import warnings

import numpy as np

REDUCTIONS = {"none": 0, "mean": 1, "sum": 2}
F32 = np.dtype(np.float32)
F64 = np.dtype(np.float64)
F16 = np.dtype(np.float16)
I64 = np.dtype(np.int64)


_NO_BYTES = ctypes.c_char * 0


def address(array: np.ndarray):
    """The data pointer of a contiguous array, as an argument for a void* parameter.

    A zero-length ctypes array over the array's own buffer costs 0.33 us, where
    ndarray.ctypes.data (a helper object) and __array_interface__ (a dict) cost 1.0-1.1 us
    (numpy 2.4); small calls pass two to four pointers. ctypes cannot view a read-only
    buffer that way, so read-only arrays take the helper object.
    """
    try:
        return _NO_BYTES.from_buffer(array)
    except TypeError:
        return array.ctypes.data


def reduction_code(reduction, legacy_size_average=None, legacy_reduce=None) -> int:
    if legacy_size_average is not None or legacy_reduce is not None:
        reduction = legacy_reduction(legacy_size_average, legacy_reduce)
    code = REDUCTIONS.get(reduction) if isinstance(reduction, str) else None
    if code is None:
        raise ValueError(f"reduction={reduction!r} is not a valid value for reduction "
                         f"(expected 'none', 'mean' or 'sum')")
    return code


def legacy_reduction(size_average, reduce) -> str:
    """torch's mapping of the deprecated size_average/reduce flags to a reduction."""
    size_average = True if size_average is None else size_average
    reduce = True if reduce is None else reduce
    if not reduce:
        return "none"
    return "mean" if size_average else "sum"


def as_array(value, name: str) -> np.ndarray:
    if isinstance(value, np.ndarray):
        return value
    try:
        return np.asarray(value)
    except (ValueError, TypeError) as error:
        raise TypeError(f"{name} must be array-like of numbers ({error})") from None


def float_dtype_of(array: np.ndarray, name: str) -> np.dtype:
    """The computation dtype for a floating argument; refuses integers, bools, objects."""
    kind = array.dtype.kind
    if kind == "f":
        # float16 (and longdouble) are computed in float32 / float64.
        return F64 if array.dtype.itemsize >= 8 else F32
    if kind == "c":
        raise TypeError(f"{name} must be a real floating array, got complex dtype {array.dtype}")
    raise TypeError(f"{name} must be a floating-point array (float32 or float64), got dtype {array.dtype}")


def operand_dtype(array: np.ndarray, name: str):
    """float_dtype_of for floating data, None for integer data (it follows the floating
    operands, as torch promotes it); everything else is refused naming the argument."""
    if array.dtype.kind in "iu":
        return None
    return float_dtype_of(array, name)


def result_dtype(*dtypes: np.dtype) -> np.dtype:
    """torch's promotion among float32 / float64 (arguments come from float_dtype_of)."""
    for d in dtypes:
        if d is F64:
            return F64
    return F32


def contiguous(array: np.ndarray, dtype: np.dtype) -> np.ndarray:
    """A C-contiguous array of `dtype`, copying only when needed."""
    if array.dtype == dtype and array.flags.c_contiguous:
        return array
    return np.ascontiguousarray(array, dtype=dtype)


def broadcast_pair(input: np.ndarray, target: np.ndarray, input_name="input", target_name="target"):
    """Broadcasts input against target as torch does, warning when the sizes differ."""
    if input.shape == target.shape:
        return input.shape
    try:
        shape = np.broadcast_shapes(input.shape, target.shape)
    except ValueError:
        raise ValueError(f"{target_name} shape {target.shape} cannot be broadcast with "
                         f"{input_name} shape {input.shape}") from None
    warnings.warn(
        f"Using a target size ({target.shape}) that is different to the input size ({input.shape}). "
        "This will likely lead to incorrect results due to broadcasting. "
        "Please ensure they have the same size.",
        UserWarning, stacklevel=4)
    return shape


def expand(array: np.ndarray, shape, dtype: np.dtype) -> np.ndarray:
    if array.shape != tuple(shape):
        array = np.broadcast_to(array, shape)
    return contiguous(array, dtype)


def sum_to_shape(grad: np.ndarray, shape) -> np.ndarray:
    """Reduces a gradient computed on a broadcast shape back to an argument's shape."""
    shape = tuple(shape)
    if grad.shape == shape:
        return grad
    lead = grad.ndim - len(shape)
    axes = tuple(range(lead)) + tuple(
        lead + i for i, size in enumerate(shape) if size == 1 and grad.shape[lead + i] != 1)
    reduced = grad.sum(axis=axes, keepdims=True, dtype=grad.dtype)
    return reduced.reshape(shape)


def grad_output_array(grad_output, reduction: int, loss_shape, dtype: np.dtype):
    """The incoming gradient as the C API wants it: 1 value for mean/sum, a full array for none."""
    if grad_output is None:
        return None
    if reduction != 0:
        return np.array([scalar_grad_output(grad_output)], dtype=dtype)
    g = as_array(grad_output, "grad_output")
    if g.dtype.kind not in "fiu":
        raise TypeError(f"grad_output must be numeric, got dtype {g.dtype}")
    try:
        return expand(g, loss_shape, dtype)
    except ValueError:
        raise ValueError(f"grad_output shape {g.shape} does not match the loss shape "
                         f"{tuple(loss_shape)}") from None


def scalar_grad_output(grad_output) -> float:
    """grad_output of a scalar reduction: a real number (or a one-element numeric array)."""
    if isinstance(grad_output, (int, float, np.integer, np.floating)) and not isinstance(grad_output, (bool, np.bool_)):
        return float(grad_output)
    if isinstance(grad_output, np.ndarray) and grad_output.size == 1 and grad_output.dtype.kind in "fiu":
        return float(grad_output.reshape(()))
    raise TypeError(f"grad_output must be a real number for reduction 'mean' or 'sum', "
                    f"got {type(grad_output).__name__}")


def grad_dtype(input_array: np.ndarray, computed: np.dtype) -> np.dtype:
    """The dtype of a gradient: the input's floating dtype (torch's autograd rule)."""
    return input_array.dtype if input_array.dtype.kind == "f" else computed


def finite_number(value, name: str) -> float:
    if type(value) is float:
        return value
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name} must be a number, got {type(value).__name__}")
    return float(value)


_C_SCALARS = {"f": ctypes.c_float, "d": ctypes.c_double}


def scalar_slot(dtype: np.dtype):
    """A ctypes value for a reduced result and the pointer to pass for it: cheaper than a
    one-element array whose address must be read back through __array_interface__."""
    value = _C_SCALARS[dtype.char]()
    return value, ctypes.byref(value)


def scalar_value(value, dtype: np.dtype):
    """The numpy scalar of `dtype` holding a reduced result from `scalar_slot`."""
    return dtype.type(value.value)


def scalar_result(out: np.ndarray, dtype: np.dtype):
    """A numpy scalar of the output dtype (float16 inputs get float16 back)."""
    return out[0] if out.dtype is dtype else out.astype(dtype)[0]
