"""The tutorial's examples, run through LossCore and checked against the tutorial's numpy.

Each section prints what the tutorial prints, computed by LossCore, and compares it with
the tutorial's own numpy formula. Any mismatch is reported and makes the exit status 1.
"""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bindings" / "python"))

import losscore  # noqa: E402
import losscore.functional as F  # noqa: E402
import losscore.nn as nn  # noqa: E402

failures: list[str] = []


def check(label: str, ours, expected, rtol: float = 1e-12, atol: float = 0.0) -> None:
    ours = np.asarray(ours, dtype=np.float64)
    expected = np.asarray(expected, dtype=np.float64)
    ok = ours.shape == expected.shape and np.allclose(ours, expected, rtol=rtol, atol=atol, equal_nan=True)
    if not ok:
        failures.append(f"{label}: LossCore {ours!r} != reference {expected!r}")
        print(f"  MISMATCH {label}: {ours} vs {expected}")


def section(title: str) -> None:
    print(f"\n--- {title}")


# 2.1 L1 loss (MAE) -----------------------------------------------------------------------
section("2.1 L1 Loss (MAE): the tutorial's numpy example")
y_pred = np.array([0.000, 0.100, 0.200])
y_true = np.array([0.000, 0.200, 0.250])


def mae(pred, true):  # the tutorial's numpy formula, verbatim
    differences = pred - true
    absolute_differences = np.absolute(differences)
    mean_absolute_error = absolute_differences.mean()
    return mean_absolute_error


mae_value = F.l1_loss(y_pred, y_true)
print("MAE error is: " + str(mae_value))
if str(mae_value) != "0.049999999999999996" or mae_value != mae(y_pred, y_true):
    failures.append(f"MAE line: got {mae_value!r}, tutorial prints 0.049999999999999996")

MAE_Loss = nn.L1Loss()
print("nn.L1Loss()(input, target)      ->", repr(MAE_Loss(y_pred, y_true)))
print("F.l1_loss(input, target)        ->", repr(F.l1_loss(y_pred, y_true)))
check("nn.L1Loss", MAE_Loss(y_pred, y_true), mae(y_pred, y_true), rtol=0)

# 2.2 L2 loss (MSE) ------------------------------------------------------------------------
section("2.2 L2 Loss (MSE) on the same data")
mse_reference = np.square(y_true - y_pred).mean()
print("nn.MSELoss()(input, target)     ->", repr(nn.MSELoss()(y_pred, y_true)))
print("F.mse_loss(input, target)       ->", repr(F.mse_loss(y_pred, y_true)))
print("numpy np.square(d).mean()       ->", repr(mse_reference))
check("mse_loss", F.mse_loss(y_pred, y_true), mse_reference, rtol=1e-15)
check("MSELoss", nn.MSELoss()(y_pred, y_true), mse_reference, rtol=1e-15)

# 2.3 Smooth L1 ----------------------------------------------------------------------------
section("2.3 Smooth L1 Loss on the same data, and on 3 x 5 random data")


def smooth_l1_reference(pred, true, beta=1.0):
    d = np.abs(pred - true)
    return np.where(d < beta, 0.5 * d * d / beta, d - 0.5 * beta).mean()


print("nn.SmoothL1Loss()(input, target)->", repr(nn.SmoothL1Loss()(y_pred, y_true)))
print("F.smooth_l1_loss(input, target) ->", repr(F.smooth_l1_loss(y_pred, y_true)))
check("smooth_l1_loss", F.smooth_l1_loss(y_pred, y_true), smooth_l1_reference(y_pred, y_true), rtol=1e-15)

rng = np.random.default_rng(0)
inputs = rng.standard_normal((3, 5)).astype(np.float32)  # torch.randn(3, 5) in the tutorial
target = rng.standard_normal((3, 5)).astype(np.float32)
output1 = nn.SmoothL1Loss()(inputs, target)
output2 = F.smooth_l1_loss(inputs, target)
print("output1: ", output1)
print("output2: ", output2)
check("SmoothL1Loss == smooth_l1_loss", output1, output2, rtol=0)
check("smooth_l1_loss float32", output1, smooth_l1_reference(inputs.astype(np.float64), target), rtol=1e-6)
loss, grad = F.smooth_l1_loss_and_grad(inputs, target)
print("gradient d loss / d input (first row):", np.array2string(grad[0], precision=4))
d = inputs.astype(np.float64) - target
check("smooth_l1 gradient", grad, np.where(np.abs(d) < 1, d, np.sign(d)) / d.size, rtol=1e-6)

# 2.4 0-1 loss -----------------------------------------------------------------------------
section("2.4 0-1 Loss")
scores = np.array([[0.1, 0.7, 0.2], [0.8, 0.1, 0.1], [0.3, 0.3, 0.4]])
labels = np.array([1, 2, 2])
print("scores argmax:", scores.argmax(axis=1), " target:", labels)
print("F.zero_one_loss(scores, target, reduction='none') ->", F.zero_one_loss(scores, labels, reduction="none"))
print("F.zero_one_loss(scores, target)                   ->", F.zero_one_loss(scores, labels))
check("zero_one_loss", F.zero_one_loss(scores, labels), np.mean(scores.argmax(axis=1) != labels), rtol=0)

# 2.5 Cross-entropy -------------------------------------------------------------------------
section("2.5 Cross-Entropy Loss: module and functional agree")


def log_softmax_reference(x, axis=-1):
    shifted = x - x.max(axis=axis, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))


inputs = rng.standard_normal((3, 5)).astype(np.float32)  # torch.randn(3, 5) in the tutorial
target = rng.integers(0, 5, size=3)  # torch.empty(3, dtype=torch.long).random_(5)
output1 = nn.CrossEntropyLoss()(inputs, target)
output2 = F.cross_entropy(inputs, target)
print("inputs:", np.array2string(inputs, precision=4, separator=", "))
print("target:", target)
print("output1: ", output1)
print("output2: ", output2)
ce_reference = -log_softmax_reference(inputs.astype(np.float64))[np.arange(3), target].mean()
check("CrossEntropyLoss == cross_entropy", output1, output2, rtol=0)
check("cross_entropy vs numpy", output1, ce_reference, rtol=1e-6)

# 2.6 NLL ----------------------------------------------------------------------------------
section("2.6 NLL Loss: cross_entropy is nll_loss of log_softmax (torch's grad_fn=<NllLossBackward0>)")
target = np.array([1, 0, 4])
log_probs = log_softmax_reference(inputs.astype(np.float64), axis=1).astype(np.float32)  # nn.LogSoftmax(dim=1)
nll = F.nll_loss(log_probs, target)
ce = F.cross_entropy(inputs, target)
print("F.nll_loss(log_softmax(inputs), target) ->", nll)
print("nn.NLLLoss()(log_softmax(inputs), target) ->", nn.NLLLoss()(log_probs, target))
print("F.cross_entropy(inputs, target)          ->", ce)
check("cross_entropy == nll_loss(log_softmax)", ce, nll, rtol=1e-6)
_, ce_grad = F.cross_entropy_and_grad(inputs, target)
_, nll_grad = F.nll_loss_and_grad(log_probs, target)
softmax = np.exp(log_probs.astype(np.float64))
# chain rule through log_softmax: d/dx = g - softmax * sum(g)
chained = nll_grad - softmax * nll_grad.sum(axis=1, keepdims=True)
print("gradients agree through the chain rule: max |difference| =", float(np.abs(ce_grad - chained).max()))
check("cross_entropy gradient == nll_loss gradient through log_softmax", ce_grad, chained, rtol=1e-5, atol=1e-7)

# 2.7 Weighted cross-entropy ---------------------------------------------------------------
section("2.7 Weighted Cross Entropy: class a has 20 samples, class b has 80")
weights = losscore.class_weights([20, 80])
print("losscore.class_weights([20, 80]) ->", weights, "  (w+ = 80/(20+80), w- = 20/(20+80))")
check("class weights", weights, [0.8, 0.2], rtol=1e-7)
labels = np.array([0] * 20 + [1] * 80)
check("class weights from labels", losscore.class_weights(labels=labels), [0.8, 0.2], rtol=1e-7)
logits = rng.standard_normal((100, 2)).astype(np.float32)
weighted = F.cross_entropy(logits, labels, weight=weights)
lp = log_softmax_reference(logits.astype(np.float64))
w_t = weights.astype(np.float64)[labels]
weighted_reference = -(w_t * lp[np.arange(100), labels]).sum() / w_t.sum()
print("F.cross_entropy(logits, labels, weight=weights) ->", weighted)
print("numpy  sum(-w_t log p_t) / sum(w_t)             ->", np.float32(weighted_reference))
check("weighted cross_entropy", weighted, weighted_reference, rtol=1e-6)

# 2.8 Focal loss ---------------------------------------------------------------------------
section("2.8 Focal Loss: the tutorial's FocalLoss(gamma=2, weight=ones(7)) example")
inputs = np.array([[0.5688, -1.1567, 1.8231, -0.2724, -1.2335, 0.9968, 0.9643],
                   [-0.1824, 0.3010, 1.7070, 0.8743, 0.4528, 1.4306, -2.3726],
                   [-2.5052, -0.3744, 0.3718, -1.5129, -2.0459, 1.0374, -0.5433]], dtype=np.float32)
target = np.array([6, 5, 1])
loss = nn.FocalLoss(gamma=2, weight=np.ones(7, dtype=np.float32))
output = loss(inputs, target)
print("target:", target)
print("output:", "[" + ", ".join(f"{v:.4f}" for v in output) + "]")
print("tutorial prints: tensor([1.1599, 0.7283, 1.6924])")
print("(the tutorial printed its inputs rounded to 4 decimals, so the last digit may differ by one)")
lp = log_softmax_reference(inputs.astype(np.float64))
focal_reference = -((1 - np.exp(lp)) ** 2 * lp)[np.arange(3), target]  # nll_loss(((1-p)**g) * log p)
check("focal_loss vs numpy", output, focal_reference, rtol=1e-5)
check("focal_loss vs the tutorial's print", output, [1.1599, 0.7283, 1.6924], rtol=0, atol=1.5e-4)
check("focal_loss gamma=0 is cross_entropy", F.focal_loss(inputs, target, gamma=0, reduction="none"),
      F.cross_entropy(inputs, target, reduction="none"), rtol=1e-6)

# ------------------------------------------------------------------------------------------
print()
print(f"LossCore {losscore.version()} on {losscore.get_num_threads()} thread(s)")
if failures:
    print(f"{len(failures)} mismatch(es):")
    for failure in failures:
        print("  " + failure)
    sys.exit(1)
print("all tutorial examples match their numpy references")
