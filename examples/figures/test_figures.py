"""draw.py: the command writes every figure, and every plotted value is LossCore's, equal to
an independent float64 formula. Skipped without matplotlib (scripts/setup.sh installs it)."""
from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("matplotlib")
sys.path.insert(0, str(Path(__file__).resolve().parent))
import draw  # noqa: E402

LN2 = math.log(2.0)


def smooth_l1(beta):
    return (lambda e: np.where(np.abs(e) < beta, 0.5 * e * e / beta, np.abs(e) - 0.5 * beta),
            lambda e: np.where(np.abs(e) < beta, e / beta, np.sign(e)))


def huber(delta):
    return (lambda e: np.where(np.abs(e) <= delta, 0.5 * e * e, delta * (np.abs(e) - 0.5 * delta)),
            lambda e: np.where(np.abs(e) <= delta, e, delta * np.sign(e)))


def focal(gamma):
    return lambda p: -((1.0 - p) ** gamma) * np.log(p)


# (figure, panel index, legend label) -> the formula of the plotted values at the panel's x.
FORMULAS = {
    ("regression.png", 0, "L1"): np.abs,
    ("regression.png", 1, "L1"): np.sign,  # torch's sign: 0 at 0
    ("regression.png", 0, "L2 (MSE)"): np.square,
    ("regression.png", 1, "L2 (MSE)"): lambda e: 2.0 * e,
    **{("regression.png", i, f"smooth L1, beta {beta:g}"): smooth_l1(beta)[i]
       for beta in (0.5, 1.0, 2.0) for i in (0, 1)},
    **{("regression.png", i, "Huber, delta 2"): huber(2.0)[i] for i in (0, 1)},
    **{("focal.png", 0, f"gamma {g:g}" + (" (cross-entropy)" if g == 0 else "")): focal(g)
       for g in (0.0, 0.5, 1.0, 2.0, 5.0)},
    ("focal.png", 1, "no weight (cross-entropy)"): lambda p: -np.log(p),
    ("focal.png", 1, "class a (20 samples), weight 0.8"): lambda p: -0.8 * np.log(p),  # 80 / (20 + 80)
    ("focal.png", 1, "class b (80 samples), weight 0.2"): lambda p: -0.2 * np.log(p),  # 20 / (20 + 80)
    ("margin.png", 0, "0-1 loss  [m <= 0]"): lambda m: (m <= 0).astype(np.float64),
    ("margin.png", 0, "soft margin  log(1 + exp(-m))"): lambda m: np.log1p(np.exp(-m)),
    ("margin.png", 1, "soft margin  log(1 + exp(-m))"): lambda m: -1.0 / (1.0 + np.exp(m)),
    ("margin.png", 0, "BCE with logits, pos_weight 1/ln 2  log2(1 + exp(-m))"): lambda m: np.log1p(np.exp(-m)) / LN2,
    ("margin.png", 1, "BCE with logits, pos_weight 1/ln 2  log2(1 + exp(-m))"): lambda m: -1.0 / ((1.0 + np.exp(m)) * LN2),
    ("margin.png", 0, "hinge embedding, target -1, margin 1  max(0, 1 - m)"): lambda m: np.maximum(0.0, 1.0 - m),
    # torch's clamp_min passes the gradient where 1 - m >= 0, the kink included.
    ("margin.png", 1, "hinge embedding, target -1, margin 1  max(0, 1 - m)"): lambda m: np.where(m <= 1.0, -1.0, 0.0),
}


def test_the_command_writes_every_figure(tmp_path):
    result = subprocess.run([sys.executable, str(Path(draw.__file__)), "--out", str(tmp_path)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    import matplotlib.image

    for name in ("regression.png", "focal.png", "margin.png"):
        assert (tmp_path / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        height, width = matplotlib.image.imread(tmp_path / name).shape[:2]
        assert (width, height) == (1240, 440), name
    assert sorted(p.name for p in tmp_path.iterdir()) == ["focal.png", "margin.png", "regression.png"]


def test_every_plotted_curve_is_the_librarys_and_matches_its_formula(tmp_path):
    seen = set()
    for figure in draw.figures():
        fig = draw.draw(figure, tmp_path)
        for index, (panel, ax) in enumerate(zip(figure.panels, fig.axes)):
            lines = {line.get_label(): line for line in ax.get_lines()}
            assert sorted(lines) == sorted(panel.curves), (figure.filename, index)
            for label, values in panel.curves.items():
                key = (figure.filename, index, label)
                # The lines hold exactly the arrays LossCore returned ...
                np.testing.assert_array_equal(lines[label].get_xdata(), panel.x)
                np.testing.assert_array_equal(lines[label].get_ydata(), values)
                # ... float64, at every x, equal to the formula.
                assert values.dtype == np.float64 and values.shape == panel.x.shape, key
                expected = FORMULAS[key](panel.x)
                np.testing.assert_allclose(values, expected, rtol=1e-12, atol=1e-15, err_msg=str(key))
                seen.add(key)
    assert seen == set(FORMULAS)


def test_the_focal_and_regression_grids_cover_their_kinks():
    # The regression grid holds 0 and the kinks at +-beta and +-delta; the focal grid ends at p = 1,
    # where every gamma's loss is 0.
    regression, focal_figure, _ = draw.figures()
    for point in (0.0, 0.5, -0.5, 1.0, -1.0, 2.0, -2.0):
        assert np.any(np.abs(regression.panels[0].x - point) < 1e-12), point
    p = focal_figure.panels[0].x
    assert p[-1] == 1.0 and p[0] > 0.0
    for values in focal_figure.panels[0].curves.values():
        assert values[-1] == 0.0
