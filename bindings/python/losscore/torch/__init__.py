"""LossCore's fused value-and-gradient kernels as drop-in losses for a torch CPU training loop.

    import losscore.torch as LT
    loss = LT.cross_entropy(logits, labels, label_smoothing=0.1)   # like torch.nn.functional
    loss.backward()
    criterion = LT.nn.CrossEntropyLoss()                          # like torch.nn

Every loss of losscore.functional, with torch.nn.functional's signature, as a
torch.autograd.Function: when an argument LossCore differentiates requires grad, forward
computes the value and the gradients in one pass and backward scales them by the incoming
gradient (for reduction 'none', backward hands that gradient to the library). Contiguous CPU
float32/float64/float16/bfloat16 tensors are read and results written without copies (numpy
views; bfloat16 needs ml_dtypes, losscore[bfloat16]), 16-bit ones computed in float32 with
each result rounded once to their dtype; non-contiguous tensors are made contiguous. Refused:
tensors on other devices (ValueError), complex data (TypeError), a gradient with respect to an argument LossCore
does not differentiate, such as a target or weight that requires grad (NotImplementedError),
double backward. triplet_margin_with_distance_loss with a distance_function runs torch's own
function (the distance is torch code).

Importing this module imports torch; ``import losscore`` never does.
"""
from __future__ import annotations

from . import functional, nn
from .functional import *  # noqa: F401,F403 (the losses)
from .functional import __all__ as _losses

__all__ = ["functional", "nn", *_losses]
