"""A real training run: handwritten digits, one rare class, four objectives, LossCore's gradients.

A softmax classifier with one hidden layer (64 pixels -> 32 ReLU units -> 10 classes) trained
with plain numpy: LossCore computes each batch's loss and its gradient with respect to the
logits in one call (`F.<loss>_and_grad`), numpy back-propagates it through the two layers.
No autograd. The data is scikit-learn's digits with digit 8 kept at 5% of its training samples
(digits.bin, written by export_digits.py); the held-out split keeps every class.

Four objectives start from the same weights and see the same batches:
  cross-entropy                  F.cross_entropy_and_grad
  weighted cross-entropy         the same with class weights n / (C * count_c), inverse
                                 frequency (losscore.class_weights(rule='balanced'))
  focal loss, gamma 2            F.focal_loss_and_grad
  weighted focal loss, gamma 2   the same with those class weights (the focal-loss paper's alpha)
and are compared on the held-out split: accuracy (1 - LossCore's 0-1 loss), balanced accuracy
(the mean of the per-class recalls) and the rare class's recall, after the last epoch (no
early stopping, no choice made on the held-out split).

    .venv/bin/python examples/training/train.py                # the table, and docs/figures/training_curves.png
    .venv/bin/python examples/training/train.py --epochs 5 --no-plot

Mini-batch SGD with momentum, a learning rate falling linearly over the epochs, and weight
decay (an L2 penalty on the weights: with it, plain cross-entropy gives up on the rare class,
and class weights bring it back). The weights' initialization and each epoch's shuffle come
from a SplitMix64 generator seeded with SEED, so train.c (the same loop in C) sees the same
numbers. A progress bar goes to stderr, the table to stdout.
"""
from __future__ import annotations

import argparse
import struct
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional

import numpy as np

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "bindings" / "python"))

import losscore  # noqa: E402
import losscore.functional as F  # noqa: E402

DATA = Path(__file__).resolve().parent / "digits.bin"
HIDDEN = 32
EPOCHS = 60
BATCH = 32
LEARNING_RATE = 0.05
MOMENTUM = 0.9
WEIGHT_DECAY = 1e-3
FOCAL_GAMMA = 2.0
SEED = 7
MASK64 = (1 << 64) - 1


@dataclass
class Digits:
    x_train: np.ndarray  # (n, 64) float64, pixels / 16
    y_train: np.ndarray  # (n,) int64
    x_test: np.ndarray
    y_test: np.ndarray
    classes: int
    rare: int


def load(path: Path = DATA) -> Digits:
    """Reads the file export_digits.py writes (its docstring gives the layout)."""
    data = path.read_bytes()
    if data[:8] != b"LCDIGIT1":
        raise ValueError(f"{path} is not a digits file (magic {data[:8]!r})")
    n_train, n_test, features, classes, rare = struct.unpack_from("<5I", data, 8)
    offset = 28
    parts = []
    for rows in (n_train, n_test):
        pixels = np.frombuffer(data, np.uint8, rows * features, offset).reshape(rows, features)
        offset += rows * features
        labels = np.frombuffer(data, np.uint8, rows, offset)
        offset += rows
        parts += [pixels.astype(np.float64) / 16.0, labels.astype(np.int64)]
    if offset != len(data):
        raise ValueError(f"{path}: {len(data) - offset} bytes after the test labels")
    return Digits(*parts, classes=classes, rare=rare)


class SplitMix64:
    """The generator train.c uses too: same seed, same numbers."""

    def __init__(self, seed: int) -> None:
        self.state = seed & MASK64

    def next(self) -> int:
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK64
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
        return z ^ (z >> 31)

    def uniform(self, count: int) -> np.ndarray:
        """count values in [0, 1), 53 random bits each."""
        return np.array([(self.next() >> 11) * 2.0**-53 for _ in range(count)])

    def permutation(self, n: int) -> np.ndarray:
        """Fisher-Yates, from the last position down."""
        order = np.arange(n)
        for i in range(n - 1, 0, -1):
            j = self.next() % (i + 1)
            order[i], order[j] = order[j], order[i]
        return order


Objective = Callable[[np.ndarray, np.ndarray], "tuple[np.floating, np.ndarray]"]


def objectives(data: Digits) -> dict[str, Objective]:
    """Each takes (logits, labels) and returns LossCore's (mean loss, d loss / d logits)."""
    weight = losscore.class_weights(labels=data.y_train, num_classes=data.classes, rule="balanced",
                                    dtype=np.float64)
    return {
        "cross-entropy": lambda z, y: F.cross_entropy_and_grad(z, y),
        "weighted cross-entropy": lambda z, y: F.cross_entropy_and_grad(z, y, weight=weight),
        f"focal loss, gamma {FOCAL_GAMMA:g}": lambda z, y: F.focal_loss_and_grad(z, y, gamma=FOCAL_GAMMA),
        f"weighted focal loss, gamma {FOCAL_GAMMA:g}":
            lambda z, y: F.focal_loss_and_grad(z, y, weight=weight, gamma=FOCAL_GAMMA),
    }


@dataclass
class History:
    """Per epoch: the mean training loss, and on the held-out split the accuracy, the balanced
    accuracy and the rare class's recall; `recall` is every class's after the last epoch."""
    loss: list[float] = field(default_factory=list)
    accuracy: list[float] = field(default_factory=list)
    balanced_accuracy: list[float] = field(default_factory=list)
    rare_recall: list[float] = field(default_factory=list)
    recall: Optional[np.ndarray] = None


def init_params(rng: SplitMix64, features: int, classes: int) -> list[np.ndarray]:
    """Glorot-uniform weights (w1 then w2, row-major, from the generator), zero biases."""
    params = []
    for fan_in, fan_out in ((features, HIDDEN), (HIDDEN, classes)):
        bound = np.sqrt(6.0 / (fan_in + fan_out))
        params.append((2.0 * rng.uniform(fan_in * fan_out) - 1.0).reshape(fan_in, fan_out) * bound)
        params.append(np.zeros(fan_out))
    return params  # w1, b1, w2, b2


def forward(params: list[np.ndarray], x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    w1, b1, w2, b2 = params
    hidden = np.maximum(x @ w1 + b1, 0.0)
    return hidden, hidden @ w2 + b2


def loss_and_gradients(params: list[np.ndarray], x: np.ndarray, y: np.ndarray,
                       objective: Objective) -> tuple[float, list[np.ndarray]]:
    """The batch's loss and its gradients with respect to w1, b1, w2, b2: LossCore gives
    d loss / d logits, the chain rule through the two layers does the rest."""
    hidden, logits = forward(params, x)
    loss, grad_logits = objective(logits, y)
    grad_hidden = (grad_logits @ params[2].T) * (hidden > 0.0)
    return float(loss), [x.T @ grad_hidden, grad_hidden.sum(axis=0), hidden.T @ grad_logits, grad_logits.sum(axis=0)]


def evaluate(params: list[np.ndarray], data: Digits) -> tuple[float, np.ndarray]:
    """Held-out accuracy (1 - LossCore's 0-1 loss of the logits) and per-class recall."""
    _, logits = forward(params, data.x_test)
    accuracy = 1.0 - float(F.zero_one_loss(logits, data.y_test))
    predicted = logits.argmax(axis=1)
    recall = np.array([np.mean(predicted[data.y_test == c] == c) for c in range(data.classes)])
    return accuracy, recall


class ProgressBar:
    """A text bar on stderr: redrawn in place on a terminal, else one line when done."""

    def __init__(self, label: str, total: int, stream=sys.stderr) -> None:
        self.label, self.total, self.stream = label, total, stream
        self.live = hasattr(stream, "isatty") and stream.isatty()

    def update(self, done: int, loss: float) -> None:
        if not self.live and done < self.total:
            return
        filled = 30 * done // self.total
        self.stream.write(f"\r{self.label:<28} [{'#' * filled}{'.' * (30 - filled)}] "
                          f"{done:>3}/{self.total} epochs  loss {loss:.4f}")
        if done == self.total:
            self.stream.write("\n")
        self.stream.flush()


def train(data: Digits, name: str, objective: Objective, epochs: int = EPOCHS) -> History:
    """Trains from SEED's weights with SEED's batches; returns the history."""
    rng = SplitMix64(SEED)
    params = init_params(rng, data.x_train.shape[1], data.classes)
    velocity = [np.zeros_like(p) for p in params]
    history = History()
    bar = ProgressBar(name, epochs)
    n = len(data.y_train)
    for epoch in range(1, epochs + 1):
        order = rng.permutation(n)
        total = 0.0
        rate = LEARNING_RATE * (1.0 - (epoch - 1) / epochs)  # linear decay: the last epochs settle
        for start in range(0, n, BATCH):
            batch = order[start:start + BATCH]
            x, y = data.x_train[batch], data.y_train[batch]
            loss, grads = loss_and_gradients(params, x, y, objective)
            total += float(loss) * len(batch)
            grads[0] += WEIGHT_DECAY * params[0]  # L2 penalty (WEIGHT_DECAY / 2) |w|^2 on the weights
            grads[2] += WEIGHT_DECAY * params[2]
            for p, v, g in zip(params, velocity, grads):
                v *= MOMENTUM
                v -= rate * g
                p += v
        accuracy, recall = evaluate(params, data)
        history.loss.append(total / n)
        history.accuracy.append(accuracy)
        history.balanced_accuracy.append(float(recall.mean()))
        history.rare_recall.append(float(recall[data.rare]))
        history.recall = recall
        bar.update(epoch, total / n)
    return history


def run(epochs: int = EPOCHS, data: Optional[Digits] = None) -> tuple[Digits, dict[str, History]]:
    data = data or load()
    return data, {name: train(data, name, objective, epochs) for name, objective in objectives(data).items()}


def table(data: Digits, results: dict[str, History]) -> str:
    """The held-out results as a Markdown table (train.c prints the same columns)."""
    rare_count = int(np.sum(data.y_train == data.rare))
    lines = [f"| loss | accuracy | balanced accuracy | recall of {data.rare} ({rare_count} training samples) "
             "| lowest recall of the others | training loss, first -> last epoch |",
             "|---|---|---|---|---|---|"]
    for name, h in results.items():
        others = np.delete(h.recall, data.rare)
        lines.append(f"| {name} | {h.accuracy[-1]:.3f} | {h.balanced_accuracy[-1]:.3f} | {h.rare_recall[-1]:.3f} "
                     f"| {others.min():.3f} | {h.loss[0]:.4f} -> {h.loss[-1]:.4f} |")
    return "\n".join(lines)


def plot(data: Digits, results: dict[str, History], path: Path) -> None:
    """Training curves: the training loss and, on the held-out split, the balanced accuracy
    and the rare class's recall, per epoch."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 3, figsize=(13.5, 4.0), layout="constrained")
    for name, h in results.items():
        epochs = np.arange(1, len(h.loss) + 1)
        axes[0].plot(epochs, h.loss, label=name)
        axes[1].plot(epochs, h.balanced_accuracy, label=name)
        axes[2].plot(epochs, h.rare_recall, label=name)
    axes[0].set(title="training loss (each its own objective, no penalty)", xlabel="epoch", yscale="log")
    axes[1].set(title="held-out balanced accuracy", xlabel="epoch", ylim=(0.5, 1.0))
    axes[2].set(title=f"held-out recall of the rare digit {data.rare}", xlabel="epoch", ylim=(0.0, 1.02))
    for ax in axes:
        ax.grid(alpha=0.3)
    axes[0].legend(loc="upper right")
    fig.suptitle(f"digits, {int(np.sum(data.y_train == data.rare))} training images of {data.rare}, "
                 f"{len(data.y_train)} in all: one hidden layer trained with LossCore's gradients")
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=100, metadata={"Software": None})
    plt.close(fig)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--epochs", type=int, default=EPOCHS)
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "figures",
                        help="folder of training_curves.png (default: %(default)s)")
    parser.add_argument("--no-plot", action="store_true", help="print the table only")
    args = parser.parse_args()
    data, results = run(args.epochs)
    print(table(data, results))
    if not args.no_plot:
        plot(data, results, args.out / "training_curves.png")
        print(f"wrote {args.out / 'training_curves.png'}")


if __name__ == "__main__":
    main()
