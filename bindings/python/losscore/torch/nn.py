"""Module classes with torch.nn's names and constructor arguments, computing with LossCore:
``loss = losscore.torch.nn.CrossEntropyLoss(label_smoothing=0.1)(logits, labels)``. They are
torch.nn.Module subclasses (weight and pos_weight are buffers, as in torch). Generated from the
loss descriptions in losscore/_losses.py."""
from __future__ import annotations

from .._losses import LOSSES
from . import functional as F
from ._bridge import module_class

__all__ = []
for _loss in LOSSES:
    if _loss.module:
        globals()[_loss.module] = module_class(_loss, __name__, getattr(F, _loss.name))
        __all__.append(_loss.module)
del _loss
