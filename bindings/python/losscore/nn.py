"""Module classes with torch.nn's names and constructor arguments.

Each instance is callable like a torch module: ``loss = nn.L1Loss()(input, target)``;
``loss_and_grad(...)`` returns the loss and its gradient in one pass.
"""
from __future__ import annotations

from . import _args
from . import functional as F

__all__ = ["L1Loss", "MSELoss", "SmoothL1Loss", "HuberLoss", "CrossEntropyLoss", "NLLLoss", "FocalLoss"]


class _Loss:
    """Holds constructor options and forwards them to a functional loss."""

    _function = None
    _options: tuple = ("reduction",)

    def __init__(self, size_average=None, reduce=None, reduction: str = "mean"):
        # torch's deprecated flags still decide the reduction when given (positional order kept).
        if size_average is not None or reduce is not None:
            reduction = _args.legacy_reduction(size_average, reduce)
        self.reduction = reduction

    def _kwargs(self):
        return {name: getattr(self, name) for name in self._options}

    def forward(self, input, target):
        return type(self)._function(input, target, **self._kwargs())

    __call__ = forward

    def loss_and_grad(self, input, target, grad_output=None):
        """``(loss, d loss / d input)`` computed in one pass."""
        grad_function = getattr(F, type(self)._function.__name__ + "_and_grad")
        return grad_function(input, target, grad_output=grad_output, **self._kwargs())

    def __repr__(self):
        options = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._options)
        return f"{type(self).__name__}({options})"


class L1Loss(_Loss):
    _function = staticmethod(F.l1_loss)


class MSELoss(_Loss):
    _function = staticmethod(F.mse_loss)


class SmoothL1Loss(_Loss):
    _function = staticmethod(F.smooth_l1_loss)
    _options = ("reduction", "beta")

    def __init__(self, size_average=None, reduce=None, reduction: str = "mean", beta: float = 1.0):
        super().__init__(size_average, reduce, reduction)
        self.beta = beta


class HuberLoss(_Loss):
    _function = staticmethod(F.huber_loss)
    _options = ("reduction", "delta")

    def __init__(self, reduction: str = "mean", delta: float = 1.0):
        super().__init__(reduction=reduction)
        self.delta = delta


class _WeightedLoss(_Loss):
    """A loss with per-class weights (torch's _WeightedLoss)."""

    _options = ("weight", "reduction")

    def __init__(self, weight=None, size_average=None, reduce=None, reduction: str = "mean"):
        super().__init__(size_average, reduce, reduction)
        self.weight = weight


class NLLLoss(_WeightedLoss):
    _function = staticmethod(F.nll_loss)
    _options = ("weight", "ignore_index", "reduction")

    def __init__(self, weight=None, size_average=None, ignore_index: int = -100, reduce=None,
                 reduction: str = "mean"):
        super().__init__(weight, size_average, reduce, reduction)
        self.ignore_index = ignore_index


class CrossEntropyLoss(_WeightedLoss):
    _function = staticmethod(F.cross_entropy)
    _options = ("weight", "ignore_index", "reduction", "label_smoothing")

    def __init__(self, weight=None, size_average=None, ignore_index: int = -100, reduce=None,
                 reduction: str = "mean", label_smoothing: float = 0.0):
        super().__init__(weight, size_average, reduce, reduction)
        self.ignore_index = ignore_index
        self.label_smoothing = label_smoothing


class FocalLoss(_WeightedLoss):
    """The tutorial's multi-class focal loss module, with its defaults (reduction='none')."""

    _function = staticmethod(F.focal_loss)
    _options = ("weight", "gamma", "ignore_index", "reduction")

    def __init__(self, weight=None, gamma: float = 2.0, reduction: str = "none", ignore_index: int = -100):
        super().__init__(weight, reduction=reduction)
        self.gamma = gamma
        self.ignore_index = ignore_index


class BCELoss(_WeightedLoss):
    """Binary cross-entropy on probabilities; ``weight`` broadcasts to the input's shape."""

    _function = staticmethod(F.binary_cross_entropy)


class BCEWithLogitsLoss(_WeightedLoss):
    """Binary cross-entropy on logits (stable form), with torch's ``weight`` and ``pos_weight``."""

    _function = staticmethod(F.binary_cross_entropy_with_logits)
    _options = ("weight", "reduction", "pos_weight")

    def __init__(self, weight=None, size_average=None, reduce=None, reduction: str = "mean", pos_weight=None):
        super().__init__(weight, size_average, reduce, reduction)
        self.pos_weight = pos_weight


class SigmoidFocalLoss(_Loss):
    """``torchvision.ops.sigmoid_focal_loss`` as a module (default reduction 'none', as torchvision)."""

    _function = staticmethod(F.sigmoid_focal_loss)
    _options = ("alpha", "gamma", "reduction")

    def __init__(self, alpha: float = 0.25, gamma: float = 2.0, reduction: str = "none"):
        super().__init__(reduction=reduction)
        self.alpha = alpha
        self.gamma = gamma


__all__ += ["BCELoss", "BCEWithLogitsLoss", "SigmoidFocalLoss"]
