"""The conversion layer: from Python arguments to one library call and back.

`run` is the single way into the library for every loss: its plain-call fast path, else the
driver of the loss's family (elementwise, class rows, metrics), which converts and checks
the arguments, promotes dtypes, broadcasts, makes buffers contiguous, allocates the outputs,
calls the loss's C entry (_ffi.Entry), turns a failure status into an exception and shapes
the result. Every error is raised here, before the library is called, naming the Python
argument as torch.nn.functional names it; the library's own checks back them up.
"""
from __future__ import annotations

import ctypes
import math
import os
import sys
import warnings

import numpy as np

from ._ffi import check

REDUCTIONS = {"none": 0, "mean": 1, "sum": 2}
# torch's 'batchmean' (kl_div): 'sum' divided by the input's first dimension, in the driver.
BATCHMEAN = 3
F16 = np.dtype(np.float16)
F32 = np.dtype(np.float32)
F64 = np.dtype(np.float64)
I64 = np.dtype(np.int64)
HALF = "eE"  # the dtype characters of float16 and (ml_dtypes') bfloat16
_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1


# --- options ---------------------------------------------------------------------------------

def shown(value, limit: int = 60) -> str:
    """repr(value) for a message, cut to `limit` characters; never raises (an int of more than
    4300 digits has no repr, a foreign object's may fail)."""
    try:
        text = repr(value)
    except Exception:
        text = f"<{type(value).__name__}>"
    return text if len(text) <= limit else text[:limit - 3] + "..."


def reduction_code(reduction, size_average=None, reduce=None, loss=None, warn=True) -> int:
    """The C code of `reduction` ('none', 'mean', 'sum'; BATCHMEAN for 'batchmean' where `loss`
    has it); torch's deprecated flags override it. With `warn`, torch's warning about 'mean' for
    a loss that gives one (kl_div), when the flags do not decide."""
    legacy = size_average is not None or reduce is not None
    if legacy:
        reduction = legacy_reduction(size_average, reduce)
    code = REDUCTIONS.get(reduction) if isinstance(reduction, str) else None
    batchmean = loss is not None and loss.batchmean
    if code is None and batchmean and reduction == "batchmean":
        code = BATCHMEAN
    if code is None:
        expected = "'none', 'batchmean', 'mean' or 'sum'" if batchmean else "'none', 'mean' or 'sum'"
        raise ValueError(f"reduction={shown(reduction)} is not a valid value for reduction (expected {expected})")
    if code == 1 and warn and not legacy and loss is not None and loss.mean_warning:
        warnings.warn(loss.mean_warning, UserWarning, stacklevel=3)  # the public function's caller
    return code


def legacy_reduction(size_average, reduce) -> str:
    """torch's mapping of the deprecated size_average/reduce flags to a reduction (each flag is
    taken by its truth value, as torch takes it; one without one is a TypeError naming it)."""
    size_average = True if size_average is None else _flag(size_average, "size_average")
    reduce = True if reduce is None else _flag(reduce, "reduce")
    if not reduce:
        return "none"
    return "mean" if size_average else "sum"


def _flag(value, name: str) -> bool:
    try:
        return bool(value)
    except (TypeError, ValueError) as error:  # e.g. an array of several elements
        raise TypeError(f"{name} must be a bool or None, got {type(value).__name__} ({error})") from None


def real_number(value, name: str) -> float:
    """`value` as a float: Python and numpy reals; bools, complex and anything else are a TypeError."""
    if type(value) is float:
        return value
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name} must be a number, got {type(value).__name__}")
    try:
        return float(value)
    except OverflowError:  # an int beyond the float range
        raise ValueError(f"{name}={shown(value)} is too large for a float") from None


def real(accept, message: str, doc: str):
    """The validator of a real-valued option: a number (TypeError otherwise) for which `accept`
    holds (ValueError with torch's `message`, formatted with the value, otherwise). Passed to C
    as a double; `doc` describes it in docstrings."""
    def check(value, name: str) -> float:
        if type(value) is not float:
            value = real_number(value, name)
        if not accept(value):
            raise ValueError(message.format(value))
        return value
    check.doc, check.ctype = doc, ctypes.c_double
    return check


def flag(doc: str):
    """The validator of a flag option (torch's bool options): a bool or numpy bool, nothing else
    (TypeError, as torch's argument parser). Passed to C as an int32_t 0 or 1."""
    def check(value, name: str) -> int:
        if not isinstance(value, (bool, np.bool_)):
            raise TypeError(f"argument '{name}' must be bool, not {type(value).__name__}")
        return int(value)
    check.doc, check.ctype = doc, ctypes.c_int32
    return check


def int64(doc: str):
    """The validator of an integer option: an int or numpy integer (TypeError otherwise) that fits
    in int64 (ValueError otherwise)."""
    def check(value, name: str) -> int:
        if type(value) is int and _INT64_MIN <= value <= _INT64_MAX:
            return value  # the common case, checked cheaply first
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
            raise TypeError(f"{name} must be an int, got {type(value).__name__}")
        value = int(value)
        if not _INT64_MIN <= value <= _INT64_MAX:
            raise ValueError(f"{name} {shown(value)} does not fit in int64")
        return value
    check.doc, check.ctype = doc, ctypes.c_int64
    return check


def choice(values, message: str, doc: str):
    """The validator of an integer option with a few valid values (torch's p of the margin
    loss): a real number (TypeError otherwise) equal to one of `values` (ValueError with torch's
    `message` otherwise), passed to C as an int32."""
    def check(value, name: str) -> int:
        number = real_number(value, name)
        if number not in values:
            raise ValueError(message.format(shown(value)))
        return int(number)
    check.doc, check.ctype, check.choices = doc, ctypes.c_int32, tuple(values)
    return check


# --- arrays ----------------------------------------------------------------------------------

def _physical_memory() -> int:
    try:
        return os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (AttributeError, OSError, ValueError):  # no sysconf: the address space bounds it
        return sys.maxsize


# No buffer of a call may be larger than the machine's memory: such a call could only fail
# (or thrash) once numpy tries to allocate it.
MEMORY = _physical_memory()


def check_size(shape, dtype: np.dtype, what: str) -> None:
    """Refuses, with a ValueError naming `what` (the arguments and their shapes), a computation
    over `shape` whose buffers of `dtype` would not fit in memory; checked before numpy allocates."""
    count = math.prod(shape)
    if count * dtype.itemsize > MEMORY:
        raise ValueError(f"{what}: {count} elements of {dtype} ({count * dtype.itemsize / 2**30:.4g} GiB "
                         f"per buffer) do not fit in this machine's memory ({MEMORY / 2**30:.3g} GiB)")


_NO_BYTES = ctypes.c_char * 0


def address(array: np.ndarray):
    """The data pointer of a contiguous array for a void* parameter.

    A zero-length ctypes array over the array's own buffer is the cheapest way to pass it;
    ctypes cannot view a read-only buffer that way, nor one of a dtype the buffer protocol
    lacks (bfloat16), so those arrays take ndarray.ctypes.
    """
    try:
        return _NO_BYTES.from_buffer(array)
    except (TypeError, ValueError):
        return array.ctypes.data


def as_array(value, name: str) -> np.ndarray:
    """`value` as an ndarray; a masked array is a TypeError (its mask would be ignored: torch has
    no masked tensors, and which value a masked entry should count as is the caller's choice)."""
    if isinstance(value, np.ndarray):
        if isinstance(value, np.ma.MaskedArray):
            raise TypeError(f"{name} is a masked array (numpy.ma), whose mask would be ignored; "
                            f"pass {name}.filled(value) or only the unmasked entries")
        return value
    try:
        return np.asarray(value)
    except (ValueError, TypeError) as error:
        raise TypeError(f"{name} must be array-like of numbers ({error})") from None


_BFLOAT16 = []  # ml_dtypes' bfloat16 dtype, once a bfloat16 array was seen


def bfloat16() -> np.dtype:
    """ml_dtypes' bfloat16 dtype. ml_dtypes is an optional dependency (losscore[bfloat16]),
    imported only when a bfloat16 array is passed; without it such an array is a TypeError."""
    if not _BFLOAT16:
        try:
            import ml_dtypes
        except ImportError:
            raise TypeError("bfloat16 arrays need the optional package ml_dtypes "
                            "(pip install 'losscore[bfloat16]' or pip install ml_dtypes)") from None
        _BFLOAT16.append(np.dtype(ml_dtypes.bfloat16))
    return _BFLOAT16[0]


def storage_dtype(dtype: np.dtype):
    """The dtype a floating array is computed and returned in: float16, bfloat16, float32 or
    float64 (longdouble as float64, any byte order as native); None for other dtypes."""
    if dtype.kind == "f":
        if dtype.itemsize >= 8:
            return F64
        return F32 if dtype.itemsize == 4 else F16
    if dtype.name == "bfloat16" and dtype.itemsize == 2:
        if dtype != bfloat16():
            raise TypeError(f"bfloat16 arrays must have ml_dtypes' bfloat16 dtype, got {dtype!r}")
        return _BFLOAT16[0]
    return None


def is_floating(dtype: np.dtype) -> bool:
    """Whether arrays of `dtype` are floating data (float16, bfloat16, float32, float64)."""
    return dtype.kind == "f" or dtype.name == "bfloat16"


def float_dtype_of(array: np.ndarray, name: str) -> np.dtype:
    """The storage dtype of a floating argument (storage_dtype); refuses integers, bools, objects."""
    dtype = storage_dtype(array.dtype)
    if dtype is not None:
        return dtype
    if array.dtype.kind == "c":
        raise TypeError(f"{name} must be a real floating array, got complex dtype {array.dtype}")
    raise TypeError(f"{name} must be a floating-point array (float16, bfloat16, float32 or float64), "
                    f"got dtype {array.dtype}")


def takes_part(array: np.ndarray, name: str, integers_follow: bool) -> bool:
    """Whether `array` takes part in dtype promotion: floating arrays do; integer arrays do not
    when `integers_follow` (they take the floating operands' dtype, as torch promotes them);
    everything else is refused naming the argument."""
    if integers_follow and array.dtype.kind in "iu":
        return False
    float_dtype_of(array, name)
    return True


def promote(floating, entry=None) -> tuple:
    """(computed, returned) dtypes of torch's promotion over floating arrays: float64 if any is,
    else float32 if any is or if float16 meets bfloat16, else the 16-bit type they all have.
    A 16-bit result is computed by `entry`'s 16-bit function where the library has it, else in
    float32 and rounded (the same bits: widened() says where a driver must take that way)."""
    dtypes = {storage_dtype(array.dtype) for array in floating}
    if F64 in dtypes:
        return F64, F64
    if F32 in dtypes or len(dtypes) != 1:
        return F32, F32
    out_dtype = dtypes.pop()
    return (out_dtype if entry is not None and out_dtype.char in entry.functions else F32), out_dtype


def widened(dtype: np.dtype) -> np.dtype:
    """The dtype a call computes in when the binding itself works on the results (sums a
    gradient back over broadcast dimensions, divides a reduced value): float32 for a 16-bit
    dtype, whose results the binding then rounds once, as the 16-bit entry points do."""
    return F32 if dtype.char in HALF else dtype


def rounded(values: np.ndarray, dtype: np.dtype) -> np.ndarray:
    """float32 `values` rounded to the 16-bit `dtype`, to nearest even, as the library rounds
    (bfloat16 NaN is 0x7FC0, as torch's); other dtypes are a plain conversion."""
    if values.dtype == dtype:
        return values
    with np.errstate(over="ignore"):  # beyond the 16-bit range: inf, as the library rounds
        result = values.astype(dtype)
    if dtype.char == "E" and result.size and np.isnan(values).any():
        result = np.where(np.isnan(values), np.array(0x7FC0, np.uint16).view(dtype), result)
    return result


def contiguous(array: np.ndarray, dtype: np.dtype) -> np.ndarray:
    """A C-contiguous array of `dtype`, copying only when needed."""
    if array.dtype == dtype and array.flags.c_contiguous:
        return array
    return np.ascontiguousarray(array, dtype=dtype)


def expand(array: np.ndarray, shape, dtype: np.dtype) -> np.ndarray:
    if array.shape != tuple(shape):
        array = np.broadcast_to(array, shape)
    return contiguous(array, dtype)


def broadcast_shape(a: tuple, b: tuple):
    """The broadcast of shapes a and b (numpy's and torch's rule), or None if they do not
    broadcast. Computed here because numpy refuses shapes it could not allocate as if they
    did not broadcast."""
    rank = max(len(a), len(b))
    shape = []
    for i, j in zip((1,) * (rank - len(a)) + a, (1,) * (rank - len(b)) + b):
        if i != j and i != 1 and j != 1:
            return None
        shape.append(j if i == 1 else i)
    return tuple(shape)


def broadcast_pair(input: np.ndarray, target: np.ndarray, warn: bool = True):
    """The shape input and target broadcast to, as torch's; with `warn`, torch's warning when
    the sizes differ (its regression losses give it; losses it composes of other operations
    do not)."""
    if input.shape == target.shape:
        return input.shape
    shape = broadcast_shape(input.shape, target.shape)
    if shape is None:
        raise ValueError(f"target shape {target.shape} cannot be broadcast with input shape {input.shape}")
    if warn:
        warnings.warn(
            f"Using a target size ({target.shape}) that is different to the input size ({input.shape}). "
            "This will likely lead to incorrect results due to broadcasting. "
            "Please ensure they have the same size.",
            UserWarning, stacklevel=5)  # the caller of the public function (through run and its driver)
    return shape


def broadcast_into(value, shape, name: str) -> np.ndarray:
    """`value` as an array that broadcasts to `shape` without enlarging it (torch multiplies
    the loss by weight/pos_weight in place, so the loss keeps the input's shape)."""
    array = as_array(value, name)
    if array.shape == shape or array.ndim == 0 or (array.ndim == 1 and array.shape == shape[-1:]):
        return array  # the common cases, without the cost of np.broadcast_shapes
    if broadcast_shape(array.shape, tuple(shape)) != tuple(shape):
        raise ValueError(f"{name} shape {array.shape} cannot be broadcast to the input shape {tuple(shape)}")
    return array


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


def scalar_grad_output(grad_output) -> float:
    """grad_output of a scalar reduction: a real number (or a one-element numeric array; a
    bfloat16 scalar, the loss of a bfloat16 call, too)."""
    if isinstance(grad_output, (int, float, np.integer, np.floating)) and not isinstance(grad_output, (bool, np.bool_)):
        return real_number(grad_output, "grad_output")
    if isinstance(grad_output, np.generic) and is_floating(grad_output.dtype):
        return float(grad_output)
    if (isinstance(grad_output, np.ndarray) and grad_output.size == 1
            and (grad_output.dtype.kind in "fiu" or is_floating(grad_output.dtype))):
        return float(as_array(grad_output, "grad_output").reshape(()))
    raise TypeError(f"grad_output must be a real number for reduction 'mean' or 'sum', "
                    f"got {type(grad_output).__name__}")


def grad_output_array(grad_output, reduction: int, loss_shape, dtype: np.dtype, out_dtype: np.dtype = None):
    """The incoming gradient as the C API wants it: 1 value for mean/sum, a full array for none,
    of `dtype`; first rounded to a 16-bit `out_dtype` (the loss's, as torch's grad_output is)."""
    if grad_output is None:
        return None
    half = out_dtype if out_dtype is not None and out_dtype.char in HALF and out_dtype != dtype else None
    if reduction != 0:
        value = scalar_grad_output(grad_output)
        with np.errstate(over="ignore"):
            return np.array([value], dtype=half).astype(dtype) if half else np.array([value], dtype=dtype)
    g = as_array(grad_output, "grad_output")
    if g.dtype.kind not in "fiu" and not is_floating(g.dtype):
        raise TypeError(f"grad_output must be numeric, got dtype {g.dtype}")
    try:
        with np.errstate(over="ignore"):
            return expand(g, loss_shape, half).astype(dtype) if half else expand(g, loss_shape, dtype)
    except ValueError:
        raise ValueError(f"grad_output shape {g.shape} does not match the loss shape "
                         f"{tuple(loss_shape)}") from None


# --- the call --------------------------------------------------------------------------------

_C_SCALARS = {"f": ctypes.c_float, "d": ctypes.c_double, "e": ctypes.c_uint16, "E": ctypes.c_uint16}


def _scalar_out(dtype: np.dtype):
    """A reduced result's slot and the pointer to pass for it: a ctypes value is cheaper to
    make and read back than a one-element array (a 16-bit result is its bit pattern)."""
    value = _C_SCALARS[dtype.char]()
    return value, ctypes.byref(value)


def _scalar(out, dtype: np.dtype):
    """The numpy scalar of `dtype` a reduced result's slot holds."""
    if dtype.char in HALF:
        return np.array(out.value, np.uint16).view(dtype)[()]
    return dtype.type(out.value)


def _outputs(dtype, reduction, loss_shape, grad_shapes, grad_output, out_dtype=None):
    """(out, its pointer, gradients, grad_output) of a call: out is an array of `loss_shape` for
    reduction 'none', else a ctypes scalar; one gradient array per shape of `grad_shapes` and the
    incoming gradient's buffer (rounded to a 16-bit `out_dtype` first), both None when
    `grad_shapes` is None (no gradient)."""
    if reduction == 0:
        out = np.empty(loss_shape, dtype=dtype)
        out_ptr = address(out)
    else:
        out, out_ptr = _scalar_out(dtype)
    if grad_shapes is None:
        return out, out_ptr, None, None
    return (out, out_ptr, [np.empty(shape, dtype=dtype) for shape in grad_shapes],
            grad_output_array(grad_output, reduction, loss_shape, dtype, out_dtype))


def _call(entry, dtype, operands, sizes, reduction, options, loss_shape, grad_shape, grad_output, more=None,
          out_dtype=None):
    """Allocates the outputs, calls `entry` and raises on a failure status; returns (out, grad).

    `operands`: the (input, target, weight, pos_weight) buffers, None where absent; `sizes`:
    (pos_weight_count, n, c, inner); `more`: the family's EXTRA_ARGUMENTS by name; `grad_shape`
    None computes no gradient. `out` is an array of `loss_shape` for reduction 'none', else a
    ctypes scalar; `out_dtype` is the result's dtype (grad_output is rounded to it).
    """
    out, out_ptr, grads, go = _outputs(dtype, reduction, loss_shape, None if grad_shape is None else (grad_shape,),
                                       grad_output, out_dtype)
    grad = None if grads is None else grads[0]
    x, t, w, pw = operands
    status = entry.call(dtype, address(x), address(t), None if w is None else address(w),
                        None if pw is None else address(pw), *sizes, reduction, out_ptr,
                        None if go is None else address(go), None if grad is None else address(grad), options,
                        **(more or {}))
    if status:
        check(status)
    return out, grad


def _divided(value: float, divisor: float) -> float:
    """value / divisor as a float operation would give it (0/0 is NaN, x/0 is inf), in double:
    rounded once more to float32, that is the correctly rounded float32 quotient."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(np.float64(value) / np.float64(divisor))


def _results(out, grad, x, reduction, dtype, out_dtype, divisor=None):
    """The loss as a numpy array ('none') or scalar of `out_dtype`, and the gradient (if computed)
    summed back to input's shape, in the input's floating dtype as torch's autograd gives it.
    Results computed in float32 for a 16-bit dtype are rounded to it once, here."""
    if reduction == 0:
        loss = rounded(out, out_dtype)
    elif divisor is None and dtype.char in HALF:
        loss = _scalar(out, dtype)
    else:
        loss = dtype.type(out.value if divisor is None else _divided(out.value, divisor))
        if out_dtype is not dtype:
            loss = rounded(np.array(loss), out_dtype)[()]
    if grad is None:
        return loss
    if grad.shape != x.shape:
        grad = sum_to_shape(grad, x.shape)
    return loss, rounded(grad, result_dtype(x, out_dtype))


def result_dtype(x: np.ndarray, out_dtype: np.dtype) -> np.dtype:
    """The dtype of an argument's gradient: its own floating dtype (native byte order: a
    big-endian input gives the result numpy and torch compute with), else the loss's."""
    if x.dtype.kind == "f":
        return x.dtype.newbyteorder("=")
    return storage_dtype(x.dtype) if is_floating(x.dtype) else out_dtype


def run(loss, input, target, weight, pos_weight, reduction, options, grad_output=None, want_grad=False, more=()):
    """Computes `loss` (a description from _losses) on the arguments of its public function.

    `reduction` is the C code (reduction_code); `options` are the loss's checked options in
    its order; weight / pos_weight are None where the loss has none; `more` holds the further data
    arguments of its family (a sequence loss's lengths). Returns the loss, or
    (loss, d loss / d input) with want_grad.

    The plain call goes straight to the library: a reduced loss without weights of a
    C-contiguous input of a dtype the loss has an entry point for (float32, float64, and float16
    or bfloat16 where the library has the loss's 16-bit one) and a C-contiguous target of the
    kind the family's plain calls take (`loss.plain`). Anything else, and every error, takes the
    family's driver.
    """
    plain = loss.plain
    if (plain and 0 < reduction < BATCHMEAN and not want_grad and weight is None and pos_weight is None
            and type(input) is np.ndarray and type(target) is np.ndarray):
        dtype = input.dtype
        known = dtype is F32 or dtype is F64 or ((dtype is F16 or dtype in _BFLOAT16)
                                                 and dtype.char in loss.entry.functions)
        if known and input.flags.c_contiguous and target.flags.c_contiguous:
            if plain == "values" and target.dtype is dtype and target.shape == input.shape:
                n, c = input.size, 1
            elif (plain == "index" and target.dtype is I64 and input.ndim == 2 and target.ndim == 1
                  and target.shape[0] == input.shape[0]):
                n, c = input.shape
            else:
                n = None
            if n is not None:
                out, out_ptr = _scalar_out(dtype)
                status = loss.entry.call(dtype, address(input), address(target), None, None, 0, n, c, 1,
                                         reduction, out_ptr, None, None, options)
                if not status:
                    return _scalar(out, dtype)
                # A failure is reported by the driver, whose checks name the Python arguments.
    try:
        return loss.family.driver(loss, input, target, weight, pos_weight, reduction, options, want_grad, grad_output,
                                  *more)
    except MemoryError as error:  # an allocation that check_size let through still names the arguments
        x, t = loss.names[:2]
        if loss.operands:
            input, target = input[:2]
        raise MemoryError(f"{loss.name}: {x} shape {getattr(input, 'shape', '?')}, {t} shape "
                          f"{getattr(target, 'shape', '?')}: {error}") from None


# --- the drivers of the four families -------------------------------------------------------

def _elementwise_weight(policy, value, x, name, floating):
    """A weight-like argument of an elementwise loss as an array, added to `floating` when it
    takes part in promotion. Policies: 'input_shape' (an array of input's shape; integers
    follow), 'broadcast' (broadcasts into input's shape; a Python number does not promote)."""
    if policy == "input_shape":
        w = as_array(value, name)
        if takes_part(w, name, True):
            floating.append(w)
        if w.shape != x.shape:
            raise ValueError(f"{name} shape {w.shape} must equal input shape {x.shape} "
                             "(Weights and input must have the same size.)")
        return w
    w = broadcast_into(value, x.shape, name)
    if isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be a floating-point array or number, got a bool")
    if not isinstance(value, (int, float)):  # numpy makes Python numbers float64: they stay weak
        floating.append(w)
        float_dtype_of(w, name)
    return w


def _pos_weight_buffer(pw: np.ndarray, shape, dtype: np.dtype):
    """(contiguous values, count) for the C API: element i uses values[i % count]."""
    if pw.size == 1:
        return contiguous(pw.reshape(1), dtype), 1
    if pw.ndim == 1 and pw.shape == shape[-1:]:
        return contiguous(pw, dtype), pw.shape[0]
    significant = pw.shape[next((k for k, size in enumerate(pw.shape) if size != 1), pw.ndim):]
    if len(shape) >= 1 and significant == (shape[-1],):
        # Along the last dimension, torch's documented case: pass the C values as they are.
        return contiguous(pw.reshape(-1), dtype), shape[-1]
    # Any other broadcast: expand to one value per element.
    expanded = expand(pw, shape, dtype).reshape(-1)
    return expanded, expanded.size


def elementwise(loss, input, target, weight, pos_weight, reduction, options, want_grad, grad_output):
    """One loss per element of input and target (broadcast together as the loss's policy says)."""
    in_name, t_name = loss.names
    x = input if type(input) is np.ndarray else as_array(input, in_name)
    y = target if type(target) is np.ndarray else as_array(target, t_name)
    floating = [a for a, name in ((x, in_name), (y, t_name)) if takes_part(a, name, loss.integers_follow)]
    if not floating:
        raise TypeError(f"{in_name} or {t_name} must be a floating-point array (float16, bfloat16, float32 or "
                        f"float64), got dtypes {x.dtype} and {y.dtype}")
    if loss.same_shape and y.shape != x.shape:
        raise ValueError(loss.same_shape.format(input=in_name, target=t_name, Target=t_name.capitalize(),
                                                input_shape=x.shape, target_shape=y.shape))
    w = pw = None
    if weight is not None:
        w = _elementwise_weight(loss.weight, weight, x, "weight", floating)
    if pos_weight is not None:
        pw = _elementwise_weight("broadcast", pos_weight, x, "pos_weight", floating)
    if loss.target_into_input:  # torch computes into input's shape: target may only broadcast into it
        if broadcast_shape(y.shape, x.shape) != x.shape:
            raise ValueError(f"{t_name} shape {y.shape} cannot be broadcast to the {in_name} shape {x.shape}")
        shape = x.shape
    else:
        shape = broadcast_pair(x, y, warn=loss.broadcast_warning)
    dtype, out_dtype = promote(floating, loss.entry)
    check_size(shape, dtype, f"{in_name} shape {x.shape} and {t_name} shape {y.shape} broadcast to {shape}")
    # torch's weighted L1/MSE mean divides by sum(weight) over the weight's own entries even
    # when the target broadcasts the loss to a larger shape; the library divides by the
    # weights it is given (expanded here), so such calls run as 'sum' and are divided after.
    divisor = None
    if w is not None and reduction == 1 and shape != x.shape and loss.mean_divides_by_weights:
        divisor = float(np.sum(w, dtype=np.float64))
    elif reduction == BATCHMEAN:  # input's first dimension, even where the target enlarges the shape
        divisor = x.shape[0] if x.ndim else 1
    if divisor is not None or (want_grad and shape != x.shape):
        dtype = widened(dtype)  # the binding divides or sums the results: in float32, rounded once
    if divisor is not None:
        reduction = 2
        if want_grad:
            upstream = 1.0 if grad_output is None else scalar_grad_output(grad_output)
            if out_dtype.char in HALF:  # (torch's grad_output has the loss's dtype)
                with np.errstate(over="ignore"):
                    upstream = float(np.array(upstream).astype(out_dtype))
            grad_output = _divided(upstream, divisor)
    xb, yb = expand(x, shape, dtype), expand(y, shape, dtype)
    wb = None if w is None else expand(w, shape, dtype)
    pwb, count = (None, 0) if pw is None or xb.size == 0 else _pos_weight_buffer(pw, shape, dtype)
    out, grad = _call(loss.entry, dtype, (xb, yb, wb, pwb), (count, xb.size, 1, 1), reduction, options,
                      shape, shape if want_grad else None, grad_output,
                      out_dtype=out_dtype if divisor is None else None)  # (a divided one was rounded above)
    return _results(out, grad, x, reduction, dtype, out_dtype, divisor)


def _sharing(shape, var_shape):
    """(repeat, inner) of a var of `var_shape` that broadcasts to `shape` along at most one
    dimension (the C API's sharing: element (o, k, j) takes var[o * inner + j]), or None when
    it broadcasts along more (the caller then expands it)."""
    padded = (1,) * (len(shape) - len(var_shape)) + tuple(var_shape)
    spread = [k for k, (v, s) in enumerate(zip(padded, shape)) if v == 1 and s != 1]
    if not spread:
        return 1, 1
    if len(spread) > 1:
        return None
    k = spread[0]
    return shape[k], math.prod(shape[k + 1:])


def _operand(value, name, loss, floating):
    array = value if type(value) is np.ndarray else as_array(value, name)
    if takes_part(array, name, loss.integers_follow):
        floating.append(array)
    return array


def operands(loss, arrays, target, weight, pos_weight, reduction, options, want_grad, grad_output):
    """A loss of three operands with two of them differentiable (margin ranking: input1, input2,
    target; Gaussian NLL: input, target, var), broadcast together as torch does. A third operand
    with `shared_third` is torch's var: a Python float (no gradient), or an array of input's
    shape, of input's shape without its last dimension (unsqueezed, as torch does) or with one
    dimension of size 1, which the C call shares along that dimension (its gradient summed
    there); any other broadcast is expanded here and its gradient summed back by numpy. The
    library refuses a negative var value (one pass in C, not another here)."""
    names = loss.names
    floating = []
    first, second = (_operand(a, n, loss, floating) for a, n in zip(arrays[:2], names[:2]))
    third, scalar_third = arrays[2], False
    if loss.shared_third and isinstance(third, float):
        if third < 0:
            raise ValueError(f"{names[2]} has negative entry/entries (got {third})")
        scalar_third = True  # torch's var * ones_like(input): in input's dtype
        third = np.asarray(third, dtype=float_dtype_of(first, names[0]) if is_floating(first.dtype) else F64)
    elif loss.shared_third:  # torch clamps var in place: an integer var is refused
        third = third if type(third) is np.ndarray else as_array(third, names[2])
        float_dtype_of(third, names[2])
        floating.append(third)
    else:
        third = _operand(third, names[2], loss, floating)
    if not floating:
        raise TypeError(f"{', '.join(names)}: one must be a floating-point array (float16, bfloat16, float32 or "
                        f"float64), got dtypes {first.dtype}, {second.dtype} and {third.dtype}")
    x = first
    if loss.same_rank and not first.ndim == second.ndim == third.ndim:
        raise ValueError(f"{loss.name} : All input tensors should have same dimension but got sizes: "
                         f"{names[0]}: {first.shape}, {names[1]}: {second.shape}, {names[2]}: {third.shape}")
    if loss.shared_third and not scalar_third:
        if third.shape != x.shape:
            if x.shape[:-1] == third.shape:
                third = third[..., None]
            elif not (x.ndim == third.ndim and
                      sum(v for i, v in zip(x.shape, third.shape) if i != v) == 1):
                raise ValueError(f"{names[2]} is of incorrect size: {third.shape} for {names[0]} of shape {x.shape}")
    shape = broadcast_shape(first.shape, second.shape)
    shape = shape and broadcast_shape(shape, x.shape if scalar_third else third.shape)
    if shape is None:
        raise ValueError(f"the shapes of {names[0]} {first.shape}, {names[1]} {second.shape} and {names[2]} "
                         f"{np.shape(arrays[2])} cannot be broadcast together")
    dtype, out_dtype = promote(floating, loss.entry)
    check_size(shape, dtype, f"{names[0]} shape {first.shape}, {names[1]} shape {second.shape} and {names[2]} "
                             f"shape {np.shape(arrays[2])} broadcast to {shape}")
    n = math.prod(shape)
    if loss.shared_third and n == 0 and np.any(third < 0):  # (the library checks the values it gets: none here)
        raise ValueError(f"{names[2]} has negative entry/entries")
    sharing = (n, 1) if scalar_third else (_sharing(shape, third.shape) if loss.shared_third else (1, 1))
    shared = sharing is not None and sharing != (1, 1) and n > 0  # the C call shares third's own values
    if want_grad and (first.shape != shape or second.shape != shape
                      or (loss.shared_third and not (shared or scalar_third or third.shape == shape))):
        dtype = widened(dtype)  # gradients summed back here: in float32, rounded once
    if shared:
        third_buffer = contiguous(third, dtype)
    else:
        third_buffer, sharing = expand(third, shape, dtype), (1, 1)
    a, b = expand(first, shape, dtype), expand(second, shape, dtype)
    out, out_ptr, _, _ = _outputs(dtype, reduction, shape, None, None)
    grads = go = None
    if want_grad:
        grads = [np.empty(shape, dtype=dtype), None if scalar_third and loss.shared_third
                 else np.empty(third_buffer.shape if loss.shared_third else shape, dtype=dtype)]
        go = grad_output_array(grad_output, reduction, shape, dtype, out_dtype)
    status = loss.entry.call(dtype, address(a), address(b), address(third_buffer), n, *sharing, reduction, out_ptr,
                             None if go is None else address(go), None if grads is None else address(grads[0]),
                             None if grads is None or grads[1] is None else address(grads[1]), options)
    if status:
        check(status)
    result = _results(out, None, x, reduction, dtype, out_dtype)
    if not want_grad:
        return result
    # Each gradient in its argument's shape and floating dtype (torch's autograd): summed back
    # over what broadcasting added, except a shared third's, which C summed into its values.
    sources = (first, second) if not loss.shared_third else (first, None if scalar_third else np.asarray(arrays[2]))
    returned = []
    for k, (grad, source) in enumerate(zip(grads, sources)):
        if grad is None:
            returned.append(None)
            continue
        if k == 1 and loss.shared_third:
            grad = (grad if shared else sum_to_shape(grad, third.shape)).reshape(source.shape)
        else:
            grad = sum_to_shape(grad, source.shape)
        returned.append(rounded(grad, result_dtype(source, out_dtype)))
    return result, tuple(returned)


def _rows(x: np.ndarray):
    """(n, c, inner, loss shape) of an input with the class dimension at dim 1 (dim 0 if 1-D)."""
    if x.ndim == 0:
        raise ValueError("input must have at least 1 dimension (C,) or (N, C, ...), got a 0-d array")
    shape = x.shape
    if len(shape) == 1:
        return 1, shape[0], 1, ()
    return shape[0], shape[1], math.prod(shape[2:]), (shape[0],) + shape[2:]


def _class_indices(t: np.ndarray, loss_shape, c: int, probabilities_too: bool) -> np.ndarray:
    """Integer class indices of the loss's shape as a contiguous int64 array."""
    if t.dtype.kind not in "iu":
        also = " (or floating probabilities of the input's shape)" if probabilities_too else ""
        raise TypeError(f"target must hold integer class indices{also}, got dtype {t.dtype}")
    if t.shape == (1,) and loss_shape == ():
        t = t.reshape(())  # torch also takes a one-element target for an unbatched (C,) input
    if t.shape != tuple(loss_shape):
        raise ValueError(f"target shape {t.shape} does not match the expected {tuple(loss_shape)} "
                         f"for class indices")
    if t.dtype.kind == "u" and t.dtype.itemsize == 8 and t.size and t.max() > _INT64_MAX:
        raise IndexError(f"target {int(t.max())} is out of bounds for {c} classes")
    return contiguous(t, I64)


def class_rows(loss, input, target, weight, pos_weight, reduction, options, want_grad, grad_output):
    """One loss per row of class scores (class dim 1, or 0 for (C,)) at class-index targets, or
    at class probabilities of input's shape for a loss with a `probabilities` entry."""
    x = input if type(input) is np.ndarray else as_array(input, "input")
    t = target if type(target) is np.ndarray else as_array(target, "target")
    floating = [x]
    x_dtype = float_dtype_of(x, "input")
    n, c, inner, loss_shape = _rows(x)
    check_size(x.shape, x_dtype, f"input shape {x.shape} and target shape {t.shape}")
    if c == 0 and n * inner:
        raise ValueError(f"input shape {x.shape} has no classes for its {n * inner} positions (C = 0)")
    w = None
    if weight is not None:
        w = as_array(weight, "weight")
        float_dtype_of(w, "weight")
        if w.shape != (c,):
            raise ValueError(f"weight tensor should be defined either for all {c} classes or no classes "
                             f"but got weight of shape {w.shape}")
        floating.append(w)
    entry = loss.entry
    if loss.probabilities_entry is not None and is_floating(t.dtype):
        if t.shape != x.shape:
            raise ValueError(f"probability target shape {t.shape} must equal input shape {x.shape}")
        float_dtype_of(t, "target")
        floating.append(t)
        # torch accepts any negative ignore_index here (it can never match) and refuses class indices.
        ignore_index = options[loss.option_names.index("ignore_index")]
        if ignore_index >= 0:
            raise ValueError("ignore_index is not supported for floating point target "
                             f"(got ignore_index={ignore_index})")
        entry = loss.probabilities_entry
    else:
        t = _class_indices(t, loss_shape, c, loss.probabilities_entry is not None)
    dtype, out_dtype = promote(floating, entry)
    tb = contiguous(t, dtype) if is_floating(t.dtype) else t
    wb = None if w is None else contiguous(w, dtype)
    out, grad = _call(entry, dtype, (contiguous(x, dtype), tb, wb, None), (0, n, c, inner), reduction, options,
                      loss_shape, x.shape if want_grad else None, grad_output, out_dtype=out_dtype)
    return _results(out, grad, x, reduction, dtype, out_dtype)


def _lengths(value, name: str, n: int, batched: bool) -> np.ndarray:
    """A sample's lengths as n contiguous int64: integers of any shape holding n values (torch
    reads them flat), or for an unbatched input also a scalar."""
    lengths = as_array(value, name)
    if lengths.dtype.kind not in "iu":
        raise TypeError(f"{name} must be integral, got dtype {lengths.dtype}")
    if lengths.size != n or (batched and lengths.ndim == 0):
        raise ValueError(f"{name} must be of size batch_size ({n}), got shape {lengths.shape}")
    if not _fits_int64(lengths):
        raise ValueError(f"{name} value {int(lengths.max())} does not fit in int64")
    return contiguous(lengths.reshape(n), I64)


def sequences(loss, input, target, weight, pos_weight, reduction, options, want_grad, grad_output,
              input_lengths, target_lengths):
    """One loss per sequence: log-probabilities (T, N, C) or unbatched (T, C); targets padded
    (N, S) or concatenated (sum(target_lengths),), unbatched (S,) (concatenated) or (1, S)."""
    x = as_array(input, "log_probs")
    float_dtype_of(x, "log_probs")
    dtype, out_dtype = promote([x], loss.entry)
    if x.ndim not in (2, 3):
        raise ValueError(f"log_probs must be (T, N, C) or unbatched (T, C), got shape {x.shape}")
    batched = x.ndim == 3
    frames, n, c = (x.shape if batched else (x.shape[0], 1, x.shape[1]))
    if x.size == 0:
        raise ValueError(f"log_probs must not be empty, got shape {x.shape}")
    check_size(x.shape, dtype, f"log_probs shape {x.shape}")
    il = _lengths(input_lengths, "input_lengths", n, batched)
    tl = _lengths(target_lengths, "target_lengths", n, batched)
    t = as_array(target, "targets")
    if t.dtype.kind not in "iub" and not is_floating(t.dtype):
        raise TypeError(f"targets must hold class indices (integers), got dtype {t.dtype}")
    if is_floating(t.dtype):  # torch takes them as its long conversion does: truncated
        if not np.isfinite(t).all():
            raise ValueError("targets must be finite class indices")
        t = t.astype(np.int64)
    if t.ndim not in (1, 2):
        raise ValueError(f"targets must have 1 or 2 dimensions, got shape {t.shape}")
    if t.ndim == 2:
        if t.shape[0] != n:
            raise ValueError(f"padded targets must have {n} rows (one per sample), got shape {t.shape}")
        longest = int(tl.max())
        if longest > t.shape[1]:
            raise ValueError(f"target_lengths value {longest} exceeds the padded targets' size "
                             f"{t.shape[1]} at dimension 1")
        s = t.shape[1]
    else:
        total = int(np.maximum(tl, 0).sum())
        if (tl >= 0).all() and t.shape[0] != total:
            raise ValueError(f"concatenated targets must have sum(target_lengths) = {total} elements, "
                             f"got {t.shape[0]}")
        s = 0
    if not _fits_int64(t):
        raise IndexError(f"targets value {int(t.max())} is out of range for {c} classes")
    if s == 0 and t.ndim == 2:
        t = t.reshape(-1)  # (N, 0) padded holds no targets: the same as empty concatenated ones
    loss_shape = (n,) if batched else ()
    out, grad = _call(loss.entry, dtype, (contiguous(x, dtype), contiguous(t, I64), None, None), (0, n, c, 1),
                      reduction, options, loss_shape, x.shape if want_grad else None, grad_output,
                      dict(input_lengths=address(il), target_lengths=address(tl), t=frames, s=s), out_dtype)
    return _results(out, grad, x, reduction, dtype, result_dtype(x, out_dtype))



def _margin_rows(x: np.ndarray):
    """(n, c, loss shape without a per-row target dimension) of the (N, C) / (C,) / 0-d input
    of torch's multi-margin losses, or a ValueError with torch's rule."""
    if x.ndim > 2 or (x.ndim >= 1 and x.shape[-1] == 0):
        raise ValueError(f"input: expected a non-empty vector or matrix with optional 0-dim batch size, "
                         f"but got shape {x.shape}")
    if x.ndim == 2:
        return x.shape[0], x.shape[1]
    return 1, (x.shape[0] if x.ndim else 1)


def _margin_weight(weight, c: int, floating: list):
    """multi_margin_loss's weight: one-dimensional, one value per class (torch's checks)."""
    if weight is None:
        return None
    w = as_array(weight, "weight")
    float_dtype_of(w, "weight")
    if w.ndim != 1:
        raise ValueError(f"weight must be one-dimensional, got shape {w.shape}")
    if w.shape[0] != c:
        raise ValueError(f"inconsistent weight size, expected {c} but got {list(w.shape)}")
    floating.append(w)
    return w


def _margin_indices(loss, x, t, n, c):
    """(int64 targets, loss shape) of multi_margin_loss: class indices, one per row."""
    t = _integer_targets(t, "class indices")
    if t.ndim > 1 or t.size != n:
        raise ValueError(f"target should be 1-D with size equal to the number of input samples (batch size): "
                         f"expected target size [{n}] for input shape {x.shape}, but got {list(t.shape)}")
    return contiguous(t, I64), ((n,) if t.ndim else ())


def _margin_labels(loss, x, t, n, c):
    """(int64 label rows, loss shape) of multilabel_margin_loss: input's shape, lists ended by -1."""
    t = _integer_targets(t, "class labels (each row's list ended by -1)")
    if (t.shape != x.shape) if x.ndim == 2 else (t.ndim > 1 or t.size != c):
        raise ValueError(f"inconsistent target size: {list(t.shape)} for input of size: {list(x.shape)}")
    return contiguous(t, I64), ((n,) if t.ndim == 2 else ())


def _integer_targets(t: np.ndarray, what: str) -> np.ndarray:
    if t.dtype.kind not in "iu":
        raise TypeError(f"target must hold integer {what}, got dtype {t.dtype}")
    if not _fits_int64(t):  # (uint64 beyond int64 would wrap to a valid-looking index)
        raise IndexError(f"target {int(t.max())} is out of range (it does not fit in int64)")
    return t


def _check_in_range(t: np.ndarray, low: int, c: int, name: str) -> None:
    """An IndexError naming the first value of `t` outside [low, c) (torch: 'target out of range').
    Run after the library refused the targets (its pass is the fast one), to name the argument
    as the Python caller knows it."""
    bad = (t < low) | (t >= c)
    if bad.any():
        raise IndexError(f"{name} {int(t[bad].flat[0])} is out of range for {c} classes "
                         f"(expected {low} <= {name} < {c})")


def _soft_margin_rows(loss, x, t, weight, reduction, options, want_grad, grad_output):
    """multilabel_soft_margin_loss as torch composes it: the per-element loss of input and target
    broadcast together, times weight (broadcast too), summed over dim input.ndim - 1 of that
    broadcast shape and divided by C = input.shape[-1], then reduced."""
    float_dtype_of(x, "input")
    if x.ndim == 0:
        raise IndexError("input must have at least one dimension (its last is the class dimension), got a 0-d array")
    floating = [x] + ([t] if takes_part(t, "target", True) else [])
    w = None
    shape = broadcast_pair(x, t, warn=False)
    if weight is not None:
        w = as_array(weight, "weight")
        if isinstance(weight, (bool, np.bool_)) or w.dtype.kind == "b":
            raise TypeError("weight must be a floating-point array or number, got a bool")
        if not isinstance(weight, (int, float)) and takes_part(w, "weight", True):
            floating.append(w)  # numpy makes Python numbers float64: they stay weak
        wide = broadcast_shape(shape, w.shape)
        if wide is None:
            raise ValueError(f"weight shape {w.shape} cannot be broadcast with the loss shape {shape}")
        shape = wide
    dtype, out_dtype = promote(floating, loss.entry)
    check_size(shape, dtype, f"input shape {x.shape}, target shape {t.shape} broadcast to {shape}")
    axis, classes = x.ndim - 1, x.shape[-1]  # torch's class_dim counts from the front of the broadcast shape
    if shape[axis] != classes or (want_grad and shape != x.shape):
        dtype = widened(dtype)  # the binding scales or sums the results: in float32, rounded once
    loss_shape = shape[:axis] + shape[axis + 1:]
    code = reduction
    if math.prod(shape) == 0 or classes == 0:
        # Nothing to compute in the library: torch's sum over an empty dimension, divided by C.
        dtype = widened(dtype)
        with np.errstate(invalid="ignore", divide="ignore"):
            rows = np.zeros(shape, dtype).sum(axis=axis) / dtype.type(classes)
            out = rows if code == 0 else (rows.sum() / rows.size if code == 1 else rows.sum()).astype(dtype)
        result = rounded(np.asarray(out), out_dtype)
        result = result if code == 0 else result[()]
        return (result, np.zeros(x.shape, result_dtype(x, out_dtype))) if want_grad else result
    moved = lambda a: np.moveaxis(np.broadcast_to(a, shape), axis, -1)  # noqa: E731
    xb, tb = contiguous(moved(x), dtype), contiguous(moved(t), dtype)
    n, c = math.prod(loss_shape), shape[axis]
    wb, count = None, 0
    if w is not None:
        if w.ndim <= 1 and axis == len(shape) - 1:  # per class: the same c values on every row
            wb = contiguous(np.broadcast_to(w, (c,)), dtype)
        else:
            wb = contiguous(moved(w), dtype)
        count = wb.size
    out, grad = _call(loss.entry, dtype, (xb, tb, wb, None), (count, n, c, 1), reduction, options, loss_shape,
                      xb.shape if want_grad else None, grad_output, out_dtype=out_dtype)
    if grad is not None:
        grad = np.moveaxis(grad, -1, axis)
    if c != classes:  # the library divides by the summed dimension; torch by the input's C
        factor = dtype.type(c / classes)
        out = out * factor if code == 0 else type(out)(out.value * float(factor))
        grad = None if grad is None else grad * factor
    return _results(out, grad, x, reduction, dtype, out_dtype)


def class_margins(loss, input, target, weight, pos_weight, reduction, options, want_grad, grad_output):
    """One loss per row of (N, C) scores, the class dimension last: class indices (N,)
    (loss.targets 'index'), label rows of input's shape ('labels'), or floating targets that
    broadcast with input and weight as torch composes them ('values')."""
    x = input if type(input) is np.ndarray else as_array(input, "input")
    t = target if type(target) is np.ndarray else as_array(target, "target")
    if loss.targets == "values":
        return _soft_margin_rows(loss, x, t, weight, reduction, options, want_grad, grad_output)
    floating = [x]
    float_dtype_of(x, "input")
    n, c = _margin_rows(x)
    check_size(x.shape, F64, f"input shape {x.shape} and target shape {t.shape}")
    w = _margin_weight(weight, c, floating) if "weight" in loss.parameters else None
    targets = _margin_indices if loss.targets == "index" else _margin_labels
    tb, loss_shape = targets(loss, x, t, n, c)
    dtype, out_dtype = promote(floating, loss.entry)
    wb = None if w is None else contiguous(w, dtype)
    try:
        out, grad = _call(loss.entry, dtype, (contiguous(x, dtype), tb, wb, None), (0, n, c, 1), reduction, options,
                          loss_shape, x.shape if want_grad else None, grad_output, out_dtype=out_dtype)
    except IndexError:
        _check_in_range(t, 0 if loss.targets == "index" else -1, c, "target")
        raise
    return _results(out, grad, x, reduction, dtype, out_dtype)


def _fits_int64(array: np.ndarray) -> bool:
    return array.dtype.kind != "u" or array.dtype.itemsize < 8 or array.size == 0 or int(array.max()) <= _INT64_MAX


def metrics(loss, input, target, weight, pos_weight, reduction, options, want_grad, grad_output):
    """A non-differentiable count over rows: float scores (N, C) (prediction: their argmax), or
    integer labels (N,) through the loss's `labels` entry; target holds integer labels (N,)."""
    x = as_array(input, "input")
    t = as_array(target, "target")
    if t.dtype.kind not in "iu":
        raise TypeError(f"target must hold integer class labels, got dtype {t.dtype}")
    if t.ndim != 1:
        raise ValueError(f"target must be 1-D (N,), got shape {t.shape}")
    n = t.shape[0]
    if x.dtype.kind == "b":  # refused as every other function refuses bool data
        raise TypeError("input must hold float scores (N, C) or integer class labels (N,), got dtype bool")
    if x.dtype.kind in "iu":
        if x.shape != t.shape:
            raise ValueError(f"input labels shape {x.shape} must equal target shape {t.shape}")
        check_size(x.shape, I64, f"input shape {x.shape} and target shape {t.shape}")
        if _fits_int64(x) and _fits_int64(t):
            xb, tb = contiguous(x, I64), contiguous(t, I64)
        else:
            # uint64 labels beyond int64: compare exactly here, let the library reduce.
            xb, tb = np.not_equal(x, t).astype(np.int64), np.zeros(n, dtype=np.int64)
        out, _ = _call(loss.labels_entry, F64, (xb, tb, None, None), (0, n, 1, 1), reduction, options, (n,), None, None)
        return _results(out, None, x, reduction, F64, F64)
    float_dtype_of(x, "input")
    dtype, out_dtype = promote([x], loss.entry)
    if x.ndim != 2:
        raise ValueError(f"input scores must be 2-D (N, C), got shape {x.shape}; "
                         "pass integer labels for a 1-D input")
    if x.shape[0] != n:
        raise ValueError(f"input has {x.shape[0]} rows but target has {n} labels")
    check_size(x.shape, dtype, f"input shape {x.shape} and target shape {t.shape}")
    if n > 0 and x.shape[1] == 0:
        raise ValueError("input scores must have at least one class (C >= 1)")
    out_of_range = (t < 0) | (t >= x.shape[1])
    if out_of_range.any():
        # Reported from the original array, so uint64 values are named as they are.
        raise IndexError(f"target {int(t[out_of_range][0])} is out of bounds for {x.shape[1]} classes")
    out, _ = _call(loss.entry, dtype, (contiguous(x, dtype), contiguous(t, I64), None, None), (0, n, x.shape[1], 1),
                   reduction, options, (n,), None, None)
    return _results(out, None, x, reduction, dtype, result_dtype(x, out_dtype))


def _row_operands(loss, operands):
    """The operands of a row-tuple loss as arrays, checked and promoted as torch does: the same
    number of dimensions, broadcast together, floating or integer (integers take the floating
    operands' dtype; all-integer operands compute in float32, as torch's default dtype)."""
    names = loss.names
    arrays = [as_array(value, name) for value, name in zip(operands, names)]
    floating = [a for a, name in zip(arrays, names) if takes_part(a, name, True)]
    if len({a.ndim for a in arrays}) != 1:
        dims = ", ".join(f"{name} {a.ndim}D" for a, name in zip(arrays, names))
        raise ValueError(f"The {', '.join(names)} arrays are expected to have the same number of "
                         f"dimensions, but got: {dims} inputs")
    shape = arrays[0].shape
    for a in arrays[1:]:
        wider = broadcast_shape(shape, a.shape)
        if wider is None:
            shapes = ", ".join(f"{name} {b.shape}" for b, name in zip(arrays, names))
            raise ValueError(f"the shapes of {shapes} cannot be broadcast together")
        shape = wider
    dtype, out_dtype = promote(floating, loss.entry) if floating else (F32, F32)
    return arrays, shape, dtype, out_dtype


def _row_target(arrays, target, shape, names):
    """The per-row target of a pair loss and the operands' shape with the rows it broadcasts
    to, by torch's rules: a 1-D target (N,) goes with 2-D operands (N, D), a 0-d target with
    1-D operands (D,); numbers and bools compare as numbers (1, -1, anything else)."""
    t = as_array(target, "target")
    if t.dtype.kind not in "fiub" and not is_floating(t.dtype):
        raise TypeError(f"target must hold numbers (1 or -1), got dtype {t.dtype}")
    if t.ndim > 1:
        raise ValueError(f"0D or 1D target tensor expected, multi-target not supported (target shape {t.shape})")
    if arrays[0].ndim != t.ndim + 1:
        sizes = " and ".join(str(list(a.shape)) for a in arrays)
        raise ValueError(f"{t.ndim}D target tensor expects {t.ndim + 1}D input tensors, but found "
                         f"{names[0]} and {names[1]} with sizes {sizes}")
    if len({a.shape[-1] for a in arrays}) != 1:
        # torch takes each row's squared norm before the product broadcasts: a last dimension
        # of 1 against D is x^2, not D x^2, which the library's (n, d) rows cannot express.
        raise ValueError(f"{names[0]} and {names[1]} must have the same last dimension (got "
                         f"{arrays[0].shape} and {arrays[1].shape}); broadcasting along it is not supported")
    rows = broadcast_shape(shape[:-1], t.shape)
    if rows is None:
        raise ValueError(f"target shape {t.shape} cannot be broadcast with the {shape[:-1]} rows of "
                         f"{names[0]} and {names[1]}")
    return (t.astype(np.float64) if t.dtype.kind == "b" else t), rows + shape[-1:]


def _row_layout(shape):
    """(rows, width, loss shape) of operands of `shape`: rows of the last dimension; a 0-d
    operand is one row of one value."""
    if len(shape) == 0:
        return 1, 1, ()
    return math.prod(shape[:-1]), shape[-1], tuple(shape[:-1])


def row_tuples(loss, input, target, weight, pos_weight, reduction, options, want_grad, grad_output):
    """One loss per row (the last dimension) of two or three operands (`input` is their tuple),
    broadcast together; the gradient of each operand is summed back to its shape."""
    arrays, shape, dtype, out_dtype = _row_operands(loss, input)
    if loss.python_option is not None:
        function = options[loss.option_names.index(loss.python_option)]
        if function is not None:  # a distance evaluated in Python
            from ._distance import triplet_margin
            return triplet_margin(loss, arrays, shape, out_dtype, function, options, reduction, want_grad,
                                  grad_output)
    t = None
    if "target" in loss.parameters:
        t, shape = _row_target(arrays, target, shape, loss.names)
    rows, width, loss_shape = _row_layout(shape)
    names = ", ".join(f"{name} {a.shape}" for a, name in zip(arrays, loss.names))
    check_size(shape, dtype, names)
    if loss.row_check is not None:
        loss.row_check(options, rows, width)
    if want_grad and any(a.shape != shape for a in arrays):
        dtype = widened(dtype)  # gradients summed back here: in float32, rounded once
    buffers = [expand(a, shape, dtype) for a in arrays]
    if t is not None:
        t = expand(t, loss_shape, dtype)
    out, out_ptr, grads, go = _outputs(dtype, reduction, loss_shape, (shape,) * len(arrays) if want_grad else None,
                                       grad_output, out_dtype)
    places = [address(b) for b in buffers] + [None] * (3 - len(buffers))
    grad_places = [None] * 3 if grads is None else [address(g) for g in grads] + [None] * (3 - len(grads))
    status = loss.entry.call(dtype, *places, None if t is None else address(t), rows, width, reduction, out_ptr,
                             None if go is None else address(go), *grad_places, options)
    if status:
        check(status)
    value = _results(out, None, arrays[0], reduction, dtype, out_dtype)
    if grads is None:
        return value
    return value, tuple(_results(out, g, a, reduction, dtype, out_dtype)[1] for g, a in zip(grads, arrays))


class Family:
    """A driver family: its driver, the kind of target its plain calls take ('values' of the
    input's shape and dtype, 'index' for int64 class indices of (N, C) rows, None: no plain
    call), and whether its losses have gradients."""

    def __init__(self, name: str, driver, plain, differentiable: bool = True):
        self.name, self.driver, self.plain, self.differentiable = name, driver, plain, differentiable

    def __repr__(self):
        return f"<{self.name} family>"


ELEMENTWISE = Family("elementwise", elementwise, "values")
ELEMENTWISE_OPERANDS = Family("elementwise", operands, None)
CLASS_ROWS = Family("class rows", class_rows, "index")
SEQUENCES = Family("sequences", sequences, None)
CLASS_MARGINS = Family("class margins", class_margins, None)
METRICS = Family("metrics", metrics, None, differentiable=False)
ROW_TUPLES = Family("row tuples", row_tuples, None)
