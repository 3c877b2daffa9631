"""Module classes with torch.nn's names and constructor arguments.

Each instance is callable like a torch module: ``loss = nn.L1Loss()(input, target)``;
``loss_and_grad(...)`` returns the loss and its gradient in one pass. Options are checked
when the module is made. The classes are generated from the loss descriptions in _losses.py.
"""
from __future__ import annotations

from . import functional as F
from ._generate import module_class
from ._losses import LOSSES

__all__ = []
for _loss in LOSSES:
    if _loss.module:
        globals()[_loss.module] = module_class(_loss, __name__, getattr(F, _loss.name),
                                               getattr(F, _loss.name + "_and_grad"))
        __all__.append(_loss.module)
del _loss
