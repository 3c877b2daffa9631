"""Reference cases of the metrics family: zero_one_loss (LossCore's own; torch's reference is
its definition on torch.argmax, see torch_losses.zero_one_loss). Not differentiable."""
from __future__ import annotations

import numpy as np

import cases_class_rows
from harness import DTYPES, F32, REDUCTIONS, Case, PerBlock, blocks

MODULES = ()
# The scores are class rows: the class-rows family's special-value units.
SPECIAL_UNITS = cases_class_rows.SPECIAL_UNITS

metrics = blocks(PerBlock(seed=20240611))


def _case(group, scores, target, kwargs):
    return Case("zero_one_loss", [scores, target], kwargs, group=group, grad=())


@metrics
def zero_one(rng):
    """Scores of several shapes; ties (first index wins), NaN (counts as the maximum), +-inf;
    empty batches; integer labels compared directly; narrow integer target dtypes."""
    for dn, dt in DTYPES.items():
        for red in REDUCTIONS:
            for n, c in ((16, 5), (1, 3), (7, 1)):
                s = (rng.standard_normal((n, c))).astype(dt)
                yield _case("scores", s, rng.integers(0, c, n), {"reduction": red})
            s = np.array([[1, 1, 0], [0, 2, 2], [np.nan, 5, 5], [1, np.nan, np.nan], [-np.inf, -np.inf, -np.inf],
                          [np.inf, 0, np.inf], [0, 0, 0], [-1, -2, -3]], dtype=dt)
            yield _case("ties-nan-inf", s, np.array([1, 1, 0, 1, 0, 2, 0, 0]), {"reduction": red})
            yield _case("empty", np.zeros((0, 4), dt), np.zeros((0,), np.int64), {"reduction": red})
        p, t = rng.integers(-2, 4, 20), rng.integers(0, 3, 20)
        if dn == "f64":
            for red in REDUCTIONS:
                yield _case("labels", p, t, {"reduction": red})
    for td in (np.int8, np.int32, np.uint8):
        s, t = (rng.standard_normal((9, 4))).astype(F32), rng.integers(0, 4, 9).astype(td)
        yield _case("target-dtypes", s, t, {})


BLOCKS = metrics.collected
