"""LossCore: loss functions and their gradients with PyTorch's semantics, on numpy arrays.

    import losscore.functional as F
    F.l1_loss(y_pred, y_true)                      # like torch.nn.functional.l1_loss
    loss, grad = F.mse_loss_and_grad(y_pred, y_true)

The computation runs in liblosscore.so (Swift, C ABI) through ctypes.
"""
from __future__ import annotations

import operator

import numpy as np

from . import _ffi, functional, nn
from ._convert import shown
from ._weights import class_weights

__all__ = ["functional", "nn", "class_weights", "version", "get_num_threads", "set_num_threads"]

__version__ = _ffi.losscore_version().decode()


def version() -> str:
    """The version of the loaded liblosscore.so."""
    return _ffi.losscore_version().decode()


def get_num_threads() -> int:
    """Threads used for large inputs (results never depend on it)."""
    return _ffi.losscore_get_num_threads()


def set_num_threads(num_threads: int) -> None:
    """Sets the thread count for the process; 0 restores the default ($LOSSCORE_NUM_THREADS, else
    the cores this process may use)."""
    if isinstance(num_threads, (bool, np.bool_)):
        raise TypeError("num_threads must be an int, got bool")
    try:
        num_threads = operator.index(num_threads)  # int and numpy integers
    except TypeError:
        raise TypeError(f"num_threads must be an int, got {type(num_threads).__name__}") from None
    if not 0 <= num_threads <= 1024:
        raise ValueError(f"num_threads must be between 0 and 1024 (got {shown(num_threads)})")
    _ffi.check(_ffi.losscore_set_num_threads(num_threads, None))
