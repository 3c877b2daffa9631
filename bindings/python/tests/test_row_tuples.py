"""The row-tuples family beyond torch's reference data: the triplet loss's gradients against
finite differences."""
from __future__ import annotations

import numpy as np
import pytest

import losscore.functional as F


def _data(seed, shape=(6, 5)):
    rng = np.random.default_rng(seed)
    a = rng.standard_normal(shape)
    return a, a + 0.3 * rng.standard_normal(shape), rng.standard_normal(shape)


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
