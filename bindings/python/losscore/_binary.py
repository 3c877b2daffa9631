"""The binary losses' C entry points under the names test_binary.py calls them by.

Each is {dtype: ctypes function} from the one prototype table (_ffi.PROTOTYPES), declared
from the descriptions in _losses.py; nothing else in the package uses this module.
"""
from __future__ import annotations

from ._losses import ELEMENTWISE_LOSSES

_BY_NAME = {loss.name: loss.entry.functions for loss in ELEMENTWISE_LOSSES}
_BCE = _BY_NAME["binary_cross_entropy"]
_BCE_LOGITS = _BY_NAME["binary_cross_entropy_with_logits"]
_FOCAL = _BY_NAME["sigmoid_focal_loss"]
