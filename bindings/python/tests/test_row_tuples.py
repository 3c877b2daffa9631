"""The row-tuples family beyond torch's reference data: the triplet loss's gradients against
finite differences, and triplet_margin_with_distance_loss with a distance written in Python
(its values, and its gradients through the documented `and_grad` protocol) against the
library's own pairwise distance."""
from __future__ import annotations

import numpy as np
import pytest

import losscore.functional as F
import losscore.nn as nn


def l2_distance(x1, x2):
    """torch's pairwise_distance (p = 2, eps = 1e-6) in numpy."""
    return np.linalg.norm(x1 - x2 + 1e-6, axis=-1)


def l2_and_grad(x1, x2):
    u = x1 - x2 + 1e-6
    d = np.linalg.norm(u, axis=-1)
    g = u / np.where(d == 0, np.inf, d)[..., None]
    return d, g, -g


l2_distance.and_grad = l2_and_grad


def _data(seed, shape=(6, 5)):
    rng = np.random.default_rng(seed)
    a = rng.standard_normal(shape)
    return a, a + 0.3 * rng.standard_normal(shape), rng.standard_normal(shape)


@pytest.mark.parametrize("swap", [False, True])
@pytest.mark.parametrize("reduction", ["none", "mean", "sum"])
def test_python_distance_matches_the_library_distance(swap, reduction):
    a, p, n = _data(1)
    kwargs = dict(margin=1.5, swap=swap, reduction=reduction)
    want = F.triplet_margin_with_distance_loss(a, p, n, **kwargs)
    got = F.triplet_margin_with_distance_loss(a, p, n, distance_function=l2_distance, **kwargs)
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)
    go = np.linspace(0.5, 2, 6) if reduction == "none" else 0.75
    want_loss, want_grads = F.triplet_margin_with_distance_loss_and_grad(a, p, n, grad_output=go, **kwargs)
    got_loss, got_grads = F.triplet_margin_with_distance_loss_and_grad(a, p, n, distance_function=l2_distance,
                                                                        grad_output=go, **kwargs)
    np.testing.assert_allclose(got_loss, want_loss, rtol=1e-12, atol=1e-12)
    for g, w in zip(got_grads, want_grads):
        assert g.shape == w.shape and g.dtype == w.dtype
        np.testing.assert_allclose(g, w, rtol=1e-10, atol=1e-12)
    module = nn.TripletMarginWithDistanceLoss(distance_function=l2_distance, **kwargs)
    np.testing.assert_array_equal(module(a, p, n), got)


def test_python_distance_broadcasts_and_sums_gradients_back():
    a, p, n = _data(2, (4, 3))
    anchor = a[:1]  # (1, 3) against (4, 3)
    want = F.triplet_margin_with_distance_loss_and_grad(anchor, p, n, swap=True, reduction="sum")
    got = F.triplet_margin_with_distance_loss_and_grad(anchor, p, n, distance_function=l2_distance, swap=True,
                                                        reduction="sum")
    assert got[1][0].shape == (1, 3)
    for g, w in zip(got[1], want[1]):
        np.testing.assert_allclose(g, w, rtol=1e-10, atol=1e-12)


def test_python_distance_without_and_grad_is_refused_for_gradients():
    a, p, n = _data(3)
    plain = lambda x1, x2: l2_distance(x1, x2)  # noqa: E731
    F.triplet_margin_with_distance_loss(a, p, n, distance_function=plain)  # values need no gradients
    with pytest.raises(TypeError, match="distance_function.*and_grad"):
        F.triplet_margin_with_distance_loss_and_grad(a, p, n, distance_function=plain)
    with pytest.raises(TypeError, match="distance_function"):
        F.triplet_margin_with_distance_loss(a, p, n, distance_function="l2")
    with pytest.raises(ValueError, match="margin"):
        nn.TripletMarginWithDistanceLoss(margin=0.0)


@pytest.mark.parametrize("p", [2.0, 1.5, 3.0, -1.0])
@pytest.mark.parametrize("swap", [False, True])
def test_triplet_gradients_match_finite_differences(p, swap):
    a, pos, n = _data(4, (5, 4))
    kwargs = dict(margin=2.0, p=p, swap=swap, reduction="sum")
    _, grads = F.triplet_margin_loss_and_grad(a, pos, n, **kwargs)
    h = 1e-6
    for k, grad in enumerate(grads):
        arrays = [a, pos, n]
        numeric = np.zeros_like(grad)
        for index in np.ndindex(grad.shape):
            plus = [x.copy() for x in arrays]
            minus = [x.copy() for x in arrays]
            plus[k][index] += h
            minus[k][index] -= h
            numeric[index] = (F.triplet_margin_loss(*plus, **kwargs) - F.triplet_margin_loss(*minus, **kwargs)) / (2 * h)
        np.testing.assert_allclose(grad, numeric, rtol=1e-5, atol=1e-6, err_msg=f"operand {k}")
