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

# ------------------------------------------------------------------------------------------
print()
print(f"LossCore {losscore.version()} on {losscore.get_num_threads()} thread(s)")
if failures:
    print(f"{len(failures)} mismatch(es):")
    for failure in failures:
        print("  " + failure)
    sys.exit(1)
print("all tutorial examples match their numpy references")
