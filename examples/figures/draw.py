"""Pictures of LossCore's losses and gradients: every plotted value is a LossCore call's.

    .venv/bin/python examples/figures/draw.py [--out DIR]      (scripts/figures.sh; DIR: docs/figures)

writes
  regression.png  L1, L2 (MSE), smooth L1 (beta 0.5, 1, 2) and Huber (delta 2) against the
                  error input - target, and their gradients with respect to the input;
  focal.png       the focal loss against the probability of the true class for gamma 0, 0.5,
                  1, 2, 5 (the focal-loss paper's first figure; gamma 0 is cross-entropy), and
                  the weighted cross-entropy of the tutorial's classes of 20 and 80 samples;
  margin.png      the 0-1 loss and LossCore's surrogates for it (soft margin, BCE with logits,
                  hinge embedding) against the margin y f(x), and the surrogates' gradients.

figures() returns what is plotted (x values and LossCore's curves, panel by panel) before any
drawing, and draw() plots exactly those arrays, so a test can hold them against independent
formulas. Needs matplotlib (the optional `plots` extra; scripts/setup.sh installs it).
"""
from __future__ import annotations

import argparse
import math
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

import numpy as np

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "bindings" / "python"))

import losscore  # noqa: E402
import losscore.functional as F  # noqa: E402

FOCAL_GAMMAS = (0.0, 0.5, 1.0, 2.0, 5.0)
SMOOTH_L1_BETAS = (0.5, 1.0, 2.0)
HUBER_DELTA = 2.0
TUTORIAL_COUNTS = (20, 80)  # the tutorial's weighted cross-entropy: class a has 20 samples, b 80


@dataclass
class Panel:
    """One plot: x values and, per legend label, LossCore's values at them."""
    title: str
    xlabel: str
    ylabel: str
    x: np.ndarray
    curves: dict[str, np.ndarray] = field(default_factory=dict)
    ylim: Optional[tuple[float, float]] = None


@dataclass
class Figure:
    filename: str
    title: str
    panels: list[Panel]


def _grid(low: float, high: float, count: int = 601) -> np.ndarray:
    return np.linspace(low, high, count)


def regression_figure() -> Figure:
    """Losses and gradients of the elementwise regression losses against input - target."""
    error = _grid(-3.0, 3.0)
    target = np.zeros_like(error)
    calls = {
        "L1": lambda: F.l1_loss_and_grad(error, target, reduction="none"),
        "L2 (MSE)": lambda: F.mse_loss_and_grad(error, target, reduction="none"),
        **{f"smooth L1, beta {beta:g}": (lambda beta=beta: F.smooth_l1_loss_and_grad(
            error, target, reduction="none", beta=beta)) for beta in SMOOTH_L1_BETAS},
        f"Huber, delta {HUBER_DELTA:g}": lambda: F.huber_loss_and_grad(error, target, reduction="none",
                                                                      delta=HUBER_DELTA),
    }
    loss = Panel("loss", "error  input - target", "loss", error, ylim=(0.0, 4.5))
    grad = Panel("gradient  d loss / d input", "error  input - target", "gradient", error, ylim=(-3.2, 3.2))
    for label, call in calls.items():
        loss.curves[label], grad.curves[label] = call()
    return Figure("regression.png", "Regression losses (reduction 'none'): L1 and L2, and between them "
                  "smooth L1 and Huber", [loss, grad])


def _two_class_logits(p: np.ndarray) -> np.ndarray:
    """Logits (log p, log(1 - p)): softmax gives class 0 the probability p."""
    with np.errstate(divide="ignore"):
        return np.stack([np.log(p), np.log1p(-p)], axis=1)


def focal_figure() -> Figure:
    """The focal loss for several gammas and the tutorial's weighted cross-entropy, against
    the probability the model gives the true class."""
    p = _grid(0.0, 1.0, 401)[1:]
    logits = _two_class_logits(p)
    class_0 = np.zeros(len(p), dtype=np.int64)
    focal = Panel("focal loss  -(1 - p)^gamma log p", "probability of the true class  p", "loss", p,
                  ylim=(0.0, 5.0))
    for gamma in FOCAL_GAMMAS:
        label = f"gamma {gamma:g}" + (" (cross-entropy)" if gamma == 0 else "")
        focal.curves[label] = F.focal_loss(logits, class_0, gamma=gamma, reduction="none")
    weight = losscore.class_weights(list(TUTORIAL_COUNTS), dtype=np.float64)  # [0.8, 0.2]
    weighted = Panel("weighted cross-entropy  -w log p", "probability of the true class  p", "loss", p,
                     ylim=(0.0, 5.0))
    weighted.curves["no weight (cross-entropy)"] = F.cross_entropy(logits, class_0, reduction="none")
    for c, name in enumerate("ab"):
        # The class's own sample: its probability p sits in column c.
        rows = logits if c == 0 else logits[:, ::-1].copy()
        label = f"class {name} ({TUTORIAL_COUNTS[c]} samples), weight {weight[c]:g}"
        weighted.curves[label] = F.cross_entropy(rows, np.full(len(p), c, dtype=np.int64), weight=weight,
                                                 reduction="none")
    return Figure("focal.png", "Focal loss (Lin et al., figure 1) and the tutorial's weighted cross-entropy "
                  f"(classes of {TUTORIAL_COUNTS[0]} and {TUTORIAL_COUNTS[1]} samples)", [focal, weighted])


def margin_figure() -> Figure:
    """The 0-1 loss and surrogates for it against the margin m = y f(x) (y = +1, f(x) = m)."""
    margin = _grid(-3.0, 3.0)
    ones = np.ones_like(margin)
    scores = np.stack([np.zeros_like(margin), margin], axis=1)  # class 1 wins where m > 0
    surrogates = {
        "soft margin  log(1 + exp(-m))": lambda: F.soft_margin_loss_and_grad(margin, ones, reduction="none"),
        "BCE with logits, pos_weight 1/ln 2  log2(1 + exp(-m))": lambda: F.binary_cross_entropy_with_logits_and_grad(
            margin, ones, pos_weight=np.array([1.0 / math.log(2.0)]), reduction="none"),
        "hinge embedding, target -1, margin 1  max(0, 1 - m)": lambda: F.hinge_embedding_loss_and_grad(
            margin, -ones, margin=1.0, reduction="none"),
    }
    loss = Panel("loss", "margin  m = y f(x)", "loss", margin, ylim=(0.0, 4.2))
    grad = Panel("gradient  d loss / d m", "margin  m = y f(x)", "gradient", margin, ylim=(-1.6, 0.1))
    loss.curves["0-1 loss  [m <= 0]"] = F.zero_one_loss(scores, np.ones(len(margin), dtype=np.int64),
                                                        reduction="none")
    for label, call in surrogates.items():
        loss.curves[label], grad.curves[label] = call()
    return Figure("margin.png", "The 0-1 loss and LossCore's convex surrogates for it", [loss, grad])


def figures() -> list[Figure]:
    return [regression_figure(), focal_figure(), margin_figure()]


def draw(figure: Figure, out_dir: Path):
    """Plots the figure's curves as they are and writes out_dir/filename; returns the
    matplotlib figure (closed: its lines stay readable)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, len(figure.panels), figsize=(6.2 * len(figure.panels), 4.4), layout="constrained")
    for ax, panel in zip(np.atleast_1d(axes), figure.panels):
        for label, values in panel.curves.items():
            style = {"color": "black", "linewidth": 2.5} if label.startswith("0-1") else {}
            ax.plot(panel.x, values, label=label, **style)
        ax.set(title=panel.title, xlabel=panel.xlabel, ylabel=panel.ylabel)
        if panel.ylim:
            ax.set_ylim(*panel.ylim)
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
    fig.suptitle(figure.title)
    out_dir.mkdir(parents=True, exist_ok=True)
    fig.savefig(out_dir / figure.filename, dpi=100, metadata={"Software": None})
    plt.close(fig)
    return fig


def main(argv: Optional[list[str]] = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "figures",
                        help="folder to write the PNGs to (default: %(default)s)")
    args = parser.parse_args(argv)
    for figure in figures():
        draw(figure, args.out)
        print(f"wrote {args.out / figure.filename}")


if __name__ == "__main__":
    main()
