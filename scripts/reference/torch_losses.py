"""torch implementations of the losses torch.nn.functional does not have, and exact
(mpmath) references where torch's float64 arithmetic breaks down.

TORCH_IMPLS maps a losscore.functional name to a function called like torch's losses;
EXACT maps a name to `f(case, grad_output) -> (loss, grad of argument 0)` in float64 from
60-digit arithmetic.
"""
from __future__ import annotations

import mpmath
import numpy as np
import torch
import torch.nn.functional as TF

mpmath.mp.dps = 60


def _reduce(loss, reduction):
    if reduction == "none":
        return loss
    return loss.sum() if reduction == "sum" else loss.mean()


def zero_one_loss(input, target, reduction="mean"):
    """LossCore's definition: 1 where argmax over the last dim (first index on ties, NaN is
    the maximum, as torch.argmax) differs from the target; integer input holds labels."""
    if input.is_floating_point():
        wrong = (input.argmax(dim=-1) != target).to(input.dtype)
    else:
        wrong = (input != target).to(torch.float64)
    return _reduce(wrong, reduction)


def focal_loss(input, target, weight=None, gamma=2.0, ignore_index=-100, reduction="mean"):
    """The multi-class focal loss, by its definition:
    nll_loss((1 - softmax(x)) ** gamma * log_softmax(x)) over the class dim (1; 0 unbatched)."""
    d = 0 if input.dim() == 1 else 1
    p = torch.softmax(input, d)
    logp = torch.log_softmax(input, d)
    return TF.nll_loss(((1 - p) ** gamma) * logp, target, weight=weight, ignore_index=ignore_index,
                       reduction=reduction)


def _sigmoid_focal_loss(inputs, targets, alpha=0.25, gamma=2, reduction="none"):
    """The body of torchvision.ops.sigmoid_focal_loss (torchvision/ops/focal_loss.py), the same
    torch ops, for when torchvision is not installed."""
    if not (0 <= alpha <= 1) and alpha != -1:
        raise ValueError(f"Invalid alpha value: {alpha}. alpha must be in the range [0,1] or -1 for ignore.")
    p = torch.sigmoid(inputs)
    ce_loss = TF.binary_cross_entropy_with_logits(inputs, targets, reduction="none")
    p_t = p * targets + (1 - p) * (1 - targets)
    loss = ce_loss * ((1 - p_t) ** gamma)
    if alpha >= 0:
        alpha_t = alpha * targets + (1 - alpha) * (1 - targets)
        loss = alpha_t * loss
    if reduction == "none":
        pass
    elif reduction == "mean":
        loss = loss.mean()
    elif reduction == "sum":
        loss = loss.sum()
    else:
        raise ValueError(f"Invalid Value for arg 'reduction': '{reduction} \n "
                         "Supported reduction modes: 'none', 'mean', 'sum'")
    return loss


try:
    from torchvision.ops import sigmoid_focal_loss
    SIGMOID_FOCAL_SOURCE = "torchvision"
except ImportError:
    sigmoid_focal_loss = _sigmoid_focal_loss
    SIGMOID_FOCAL_SOURCE = "torchvision's formula"

TORCH_IMPLS = {
    "zero_one_loss": zero_one_loss,
    "focal_loss": focal_loss,
    "sigmoid_focal_loss": sigmoid_focal_loss,
}


# --- exact references --------------------------------------------------------------------------

def _mp_sigmoid_focal(x, y, alpha, gamma):
    """(l, dl/dx) of one element of the sigmoid focal loss: the formula and its analytic derivative."""
    x, y = mpmath.mpf(float(x)), mpmath.mpf(float(y))
    p = 1 / (1 + mpmath.exp(-x))
    not_p = 1 / (1 + mpmath.exp(x))  # 1 - p, which 60 digits cannot resolve at |x| = 800
    ce = (1 - y) * x + mpmath.log1p(mpmath.exp(-x))  # softplus(-x)
    q = p * (1 - y) + not_p * y
    a = alpha * y + (1 - alpha) * (1 - y) if alpha >= 0 else mpmath.mpf(1)
    f = q ** gamma if gamma != 0 else mpmath.mpf(1)
    second = gamma * ce * (1 - 2 * y) * p * not_p * q ** (gamma - 1) if gamma != 0 else 0
    return a * ce * f, a * ((p - y) * f + second)


def exact_sigmoid_focal_loss(case, go):
    """The whole call (reduction and grad_output) from the per-element formula, rounded to float64."""
    x_np, y_np = (np.asarray(a) for a in case.args)
    opts = case.kwargs
    values, slopes = [], []
    for xi, yi in zip(x_np.ravel(), y_np.ravel()):
        v, s = _mp_sigmoid_focal(xi, yi, opts["alpha"], opts["gamma"])
        values.append(v)
        slopes.append(s)
    n = len(values)
    reduction = opts["reduction"]
    if reduction == "none":
        g = np.ones(x_np.shape) if go is None else np.asarray(go, dtype=np.float64)
        loss = np.array([float(v) for v in values]).reshape(x_np.shape)
        grad = np.array([float(s * mpmath.mpf(float(gi))) for s, gi in zip(slopes, g.ravel())]).reshape(x_np.shape)
        return loss, grad
    g = mpmath.mpf(1.0 if go is None else float(go))
    total = mpmath.fsum(values)
    divisor = mpmath.mpf(n) if reduction == "mean" else mpmath.mpf(1)
    loss = np.array(float(total / divisor) if n else (np.nan if reduction == "mean" else 0.0))
    grad = np.array([float(s * g / divisor) for s in slopes]).reshape(x_np.shape)
    return loss, grad


EXACT = {"sigmoid_focal_loss": exact_sigmoid_focal_loss}
