"""The sequences family. ctc_loss: connectionist temporal classification of log-probabilities
(T, N, C) or (T, C), targets padded (N, S) or concatenated, per-sample lengths.

Checked against a float64 numpy forward-backward in probability space with per-frame scaling
(another algorithm than the library's log-space one), by finite differences through
log_softmax (torch's gradient is the gradient with respect to the logits of a log_softmax
input), and for the argument forms torch takes; torch's own values are test_reference.py's.
"""
from __future__ import annotations

import numpy as np
import pytest

import losscore
import losscore.functional as F
import losscore.nn as nn

REDUCTIONS = ("none", "mean", "sum")


def log_softmax(z):
    z = z - z.max(axis=-1, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=-1, keepdims=True))


def ctc_reference(x, target, frames, blank=0):
    """(loss, gradient (frames, C)) of one sample: alpha and beta in probability space, each
    frame scaled to sum 1 (the scales' logs add up to log P), occupancies per class."""
    y = np.exp(x[:frames])
    labels = [blank]
    for k in target:
        labels += [int(k), blank]
    states = len(labels)
    if frames == 0:
        return (0.0 if len(target) == 0 else np.inf), np.zeros_like(x)
    alpha = np.zeros((frames, states))
    beta = np.zeros((frames, states))
    scales = np.zeros(frames)
    alpha[0, 0] = y[0, labels[0]]
    if states > 1:
        alpha[0, 1] = y[0, labels[1]]
    scales[0] = alpha[0].sum()
    alpha[0] /= scales[0]
    for t in range(1, frames):
        for s in range(states):
            a = alpha[t - 1, s] + (alpha[t - 1, s - 1] if s >= 1 else 0)
            if s >= 2 and labels[s] != labels[s - 2]:
                a += alpha[t - 1, s - 2]
            alpha[t, s] = a * y[t, labels[s]]
        scales[t] = alpha[t].sum()
        if scales[t] == 0:
            return np.inf, np.full_like(x, np.nan)
        alpha[t] /= scales[t]
    p_last = alpha[-1, -1] + (alpha[-1, -2] if states > 1 else 0)
    if p_last == 0:
        return np.inf, np.full_like(x, np.nan)
    beta[-1, -1] = 1
    if states > 1:
        beta[-1, -2] = 1
    for t in range(frames - 2, -1, -1):
        for s in range(states):
            b = beta[t + 1, s] * y[t + 1, labels[s]]
            if s + 1 < states:
                b += beta[t + 1, s + 1] * y[t + 1, labels[s + 1]]
            if s + 2 < states and labels[s] != labels[s + 2]:
                b += beta[t + 1, s + 2] * y[t + 1, labels[s + 2]]
            beta[t, s] = b / scales[t + 1]
    grad = np.zeros_like(x)
    for t in range(frames):
        occupancy = np.zeros(x.shape[1])
        gamma = alpha[t] * beta[t]
        for s in range(states):
            occupancy[labels[s]] += gamma[s]
        grad[t] = y[t] - occupancy / gamma.sum()
    return -(np.log(scales).sum() + np.log(p_last)), grad


def random_call(rng, t, n, c, s, blank=0):
    x = log_softmax(rng.normal(size=(t, n, c)) * 2)
    targets = rng.integers(0, c - 1, size=(n, s))
    targets = np.where(targets >= blank, targets + 1, targets)
    input_lengths = np.array([t - (b % 3) for b in range(n)])
    target_lengths = np.array([rng.integers(0, min(s, (il + 1) // 2) + 1) for il in input_lengths])
    return x, targets, input_lengths, target_lengths


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("blank", [0, 4])
def test_against_a_scaled_probability_space_reference(dtype, reduction, blank):
    rng = np.random.default_rng(5)
    x, targets, il, tl = random_call(rng, 30, 4, 5, 12, blank)
    refs = [ctc_reference(x[:, b], targets[b, :tl[b]], il[b], blank) for b in range(4)]
    losses = np.array([r[0] for r in refs])
    go = rng.uniform(0.5, 2, 4) if reduction == "none" else 1.5
    scale = {"none": go, "sum": np.full(4, go), "mean": go / 4 / np.maximum(tl, 1)}[reduction]
    want_grad = np.stack([refs[b][1] * scale[b] for b in range(4)], axis=1)
    want = {"none": losses, "sum": losses.sum(), "mean": np.mean(losses / np.maximum(tl, 1))}[reduction]
    loss, grad = F.ctc_loss_and_grad(x.astype(dtype), targets, il, tl, blank=blank, reduction=reduction, grad_output=go)
    rtol = 2e-5 if dtype == np.float32 else 1e-11
    np.testing.assert_allclose(loss, want, rtol=rtol)
    np.testing.assert_allclose(grad, want_grad, rtol=rtol, atol=rtol)
    assert loss.dtype == dtype and grad.dtype == dtype


def test_gradient_is_the_logits_gradient_through_log_softmax():
    """torch's CTC gradient exp(x) - occupancy assumes x = log_softmax(z): it is d loss / d z."""
    rng = np.random.default_rng(6)
    z = rng.normal(size=(7, 2, 4))
    targets, il, tl = np.array([[1, 2, 2], [3, 1, 0]]), np.array([7, 6]), np.array([3, 2])
    _, grad = F.ctc_loss_and_grad(log_softmax(z), targets, il, tl, reduction="sum")
    h = 1e-6
    for index in np.ndindex(z.shape):
        up, down = z.copy(), z.copy()
        up[index] += h
        down[index] -= h
        fd = (F.ctc_loss(log_softmax(up), targets, il, tl, reduction="sum")
              - F.ctc_loss(log_softmax(down), targets, il, tl, reduction="sum")) / (2 * h)
        assert abs(grad[index] - fd) < 1e-7, (index, grad[index], fd)


def test_long_sequences_stay_finite():
    """T = 800 with a target of 400 labels: a likelihood near e^-2000, beyond every float type's
    range as a probability."""
    rng = np.random.default_rng(7)
    x = log_softmax(rng.normal(size=(800, 1, 20)) * 3)
    targets = np.tile([1, 2, 3, 4], 100)[None]
    for dtype in (np.float32, np.float64):
        loss, grad = F.ctc_loss_and_grad(x.astype(dtype), targets, [800], [400], reduction="sum")
        assert np.isfinite(loss) and loss > 1000 and np.isfinite(grad).all()
    ref, _ = ctc_reference(x[:, 0], targets[0], 800)
    np.testing.assert_allclose(F.ctc_loss(x, targets, [800], [400], reduction="sum"), ref, rtol=1e-10)


def test_the_argument_forms_torch_takes():
    rng = np.random.default_rng(8)
    x, targets, il, tl = random_call(rng, 9, 3, 4, 3)
    want = F.ctc_loss(x, targets, il, tl, reduction="none")
    concatenated = np.concatenate([targets[b, :tl[b]] for b in range(3)])
    forms = [(concatenated, il, tl), (targets, list(il), tuple(tl)), (targets.astype(np.int32), il.astype(np.uint8), tl),
             (targets, il.reshape(3, 1), tl.reshape(1, 3))]
    for args in forms:
        np.testing.assert_array_equal(F.ctc_loss(x, *args, reduction="none"), want)
    # unbatched: (T, C) with (S,) targets of the target's length, or (1, S); scalar lengths
    one = F.ctc_loss(x[:, :1], targets[:1], il[:1], tl[:1], reduction="none")
    for t, i, l in ((targets[0, :tl[0]], il[0], tl[0]), (targets[:1], np.array(il[0]), [tl[0]])):
        got = F.ctc_loss(x[:, 0], t, i, l, reduction="none")
        assert got.shape == () and got == one[0]
    assert nn.CTCLoss(reduction="none")(x, targets, il, tl).tobytes() == want.tobytes()


def test_refusals_name_the_argument():
    rng = np.random.default_rng(9)
    x, targets, il, tl = random_call(rng, 6, 2, 4, 3)
    tl = np.array([2, 1])
    bad = targets.copy()
    bad[1, 0] = 4
    with pytest.raises(IndexError, match=r"targets\[1\]\[0\] = 4"):
        F.ctc_loss(x, bad, il, tl)  # torch's CPU kernel reads out of bounds here
    bad[1, 0], bad[1, 2] = 1, 99  # padding past the length is never read
    F.ctc_loss(x, bad, il, tl)
    with pytest.raises(ValueError, match="blank"):
        F.ctc_loss(x, targets, il, tl, blank=4)
    with pytest.raises(ValueError, match=r"input_lengths\[0\] = 7"):
        F.ctc_loss(x, targets, [7, 6], tl)
    with pytest.raises(ValueError, match="target_lengths"):
        F.ctc_loss(x, targets, il, [4, 1])
    with pytest.raises(TypeError, match="log_probs"):
        F.ctc_loss(x.astype(np.int32), targets, il, tl)
    with pytest.raises(TypeError, match="zero_infinity"):
        nn.CTCLoss(zero_infinity=1)
    with pytest.raises(TypeError, match="blank"):
        nn.CTCLoss(blank=1.0)


def test_bitwise_identical_for_any_thread_count(restore_threads):
    rng = np.random.default_rng(10)
    x, targets, il, tl = random_call(rng, 100, 32, 30, 40)
    for dtype in (np.float32, np.float64):
        results = []
        for threads in (1, 2, 3):
            losscore.set_num_threads(threads)
            loss, grad = F.ctc_loss_and_grad(x.astype(dtype), targets, il, tl, reduction="none")
            results.append(loss.tobytes() + grad.tobytes())
        assert results[0] == results[1] == results[2]
