"""Loading liblosscore.so and calling it.

Prototypes are declared once at import; a call then costs one ctypes dispatch plus
reading buffer addresses through ``__array_interface__`` (much cheaper than
``ndarray.ctypes``).
"""
from __future__ import annotations

import ctypes
import os
from pathlib import Path

import numpy as np

_HERE = Path(__file__).resolve().parent
_F32 = np.dtype(np.float32)
_F64 = np.dtype(np.float64)


def _candidates():
    env = os.environ.get("LOSSCORE_LIBRARY")
    if env:
        yield Path(env)
        return
    yield _HERE / "_lib" / "liblosscore.so"  # bundled into an installed wheel
    repo = _HERE.parents[2]  # bindings/python/losscore -> repository root
    yield repo / ".build" / "release" / "liblosscore.so"


def _load() -> ctypes.CDLL:
    tried = []
    for path in _candidates():
        tried.append(str(path))
        if path.is_file():
            return ctypes.CDLL(str(path))
    raise ImportError(
        "liblosscore.so not found (looked in: " + ", ".join(tried) + "). "
        "Build it with scripts/build.sh (or `swift build -c release`), "
        "or point LOSSCORE_LIBRARY at it."
    )


lib = _load()

_p = ctypes.c_void_p
_n = ctypes.c_size_t
_i = ctypes.c_int
_d = ctypes.c_double

# status codes (enum losscore_status)
OK = 0
ERROR_NULL_POINTER = 1
ERROR_INVALID_ARGUMENT = 2
ERROR_SHAPE = 3
ERROR_INDEX = 4
ERROR_OUT_OF_MEMORY = 5


def _proto(name, restype, *argtypes):
    fn = getattr(lib, name)
    fn.restype = restype
    fn.argtypes = argtypes
    return fn


losscore_last_error = _proto("losscore_last_error", ctypes.c_char_p)
losscore_version = _proto("losscore_version", ctypes.c_char_p)
losscore_version_number = _proto("losscore_version_number", _i)
losscore_set_num_threads = _proto("losscore_set_num_threads", _i, _i)
losscore_get_num_threads = _proto("losscore_get_num_threads", _i)

# (input, target, weight, n, reduction, out, grad_output, grad_input)
_WEIGHTED = (_p, _p, _p, _n, _i, _p, _p, _p)
# (input, target, n, reduction, option, out, grad_output, grad_input)
_OPTION = (_p, _p, _n, _i, _d, _p, _p, _p)
# (input, target, weight, n, reduction, option, out, grad_output, grad_input)
_WEIGHTED_OPTION = (_p, _p, _p, _n, _i, _d, _p, _p, _p)

PROTOTYPES = {
    "l1_loss": _WEIGHTED,
    "mse_loss": _WEIGHTED,
    "smooth_l1_loss": _OPTION,
    "huber_loss": _WEIGHTED_OPTION,
    # (scores, target, n, c, reduction, out)
    "zero_one_loss": (_p, _p, _n, _n, _i, _p),
}


# Elementwise losses whose C signature has a weight pointer.
WEIGHTED = frozenset({"l1_loss", "mse_loss", "huber_loss"})
# ... and those whose weighted 'mean' divides by the sum of the weights (huber's divides by n).
WEIGHT_SUM_MEAN = frozenset({"l1_loss", "mse_loss"})


def typed_pair(name, argtypes):
    """The _f32/_f64 entry points of a loss, looked up by dtype (or dtype name)."""
    f32 = _proto(f"losscore_{name}_f32", _i, *argtypes)
    f64 = _proto(f"losscore_{name}_f64", _i, *argtypes)
    return {"float32": f32, "float64": f64, _F32: f32, _F64: f64}


fn = {name: typed_pair(name, argtypes) for name, argtypes in PROTOTYPES.items()}
zero_one_loss_labels = _proto("losscore_zero_one_loss_labels", _i, _p, _p, _n, _i, _p)


def check(status: int) -> None:
    """Raises the Python exception matching a non-zero status, with the library's message."""
    if status == OK:
        return
    message = (losscore_last_error() or b"").decode("utf-8", "replace")
    if status == ERROR_INDEX:
        raise IndexError(message)
    if status == ERROR_OUT_OF_MEMORY:
        raise MemoryError(message)
    raise ValueError(message)
