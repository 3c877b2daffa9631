"""losscore.functional's losses on torch tensors, in torch's autograd: the names, arguments,
defaults and semantics of ``torch.nn.functional``. Generated from the loss descriptions in
losscore/_losses.py (see _bridge.py)."""
from __future__ import annotations

from .._losses import LOSSES
from ._bridge import function

__all__ = []
for _loss in LOSSES:
    globals()[_loss.name] = function(_loss, __name__)
    __all__.append(_loss.name)
del _loss
