"""Writes the imbalanced handwritten-digits split the training examples use (digits.bin).

scikit-learn's digits (sklearn.datasets.load_digits: 1797 images of 8 x 8 pixels, values 0 to
16, ten classes) split per class with a fixed seed: a third of each class held out for
testing, the rest for training, except that the training split keeps only 5% of the rare
class's samples. The test split keeps every class at its natural frequency, so the rare
class's recall is measured on as many samples as the others'.

    .venv/bin/python examples/training/export_digits.py      # rewrites examples/training/digits.bin

The file (little-endian) is read by train.py and train.c:
    bytes 0-7     magic "LCDIGIT1"
    4 x uint32    n_train, n_test, features (64), classes (10)
    uint32        the rare class
    n_train x features uint8   training pixels, row-major;  n_train uint8  training labels
    n_test  x features uint8   test pixels;                 n_test  uint8  test labels
The same seed and scikit-learn's data give the same bytes (a test checks it).
"""
from __future__ import annotations

import argparse
import struct
from pathlib import Path

import numpy as np

MAGIC = b"LCDIGIT1"
SEED = 2026
RARE_CLASS = 8
RARE_FRACTION = 0.05
TEST_FRACTION = 1 / 3
DEFAULT_PATH = Path(__file__).resolve().parent / "digits.bin"


def split(images: np.ndarray, labels: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The imbalanced split: (train pixels, train labels, test pixels, test labels), uint8."""
    rng = np.random.default_rng(SEED)
    train, test = [], []
    for c in range(10):
        members = rng.permutation(np.flatnonzero(labels == c))
        n_test = int(round(len(members) * TEST_FRACTION))
        test.append(members[:n_test])
        kept = members[n_test:]
        if c == RARE_CLASS:
            kept = kept[: int(np.ceil(len(kept) * RARE_FRACTION))]
        train.append(kept)
    train_idx = rng.permutation(np.concatenate(train))
    test_idx = rng.permutation(np.concatenate(test))
    pixels = images.astype(np.uint8)
    return (pixels[train_idx], labels[train_idx].astype(np.uint8),
            pixels[test_idx], labels[test_idx].astype(np.uint8))


def encode(x_train: np.ndarray, y_train: np.ndarray, x_test: np.ndarray, y_test: np.ndarray) -> bytes:
    header = MAGIC + struct.pack("<5I", len(y_train), len(y_test), x_train.shape[1], 10, RARE_CLASS)
    return header + x_train.tobytes() + y_train.tobytes() + x_test.tobytes() + y_test.tobytes()


def digits_bytes() -> bytes:
    from sklearn.datasets import load_digits  # the one place that needs scikit-learn

    digits = load_digits()
    if not np.array_equal(digits.data, np.round(digits.data)) or digits.data.max() > 16:
        raise ValueError("load_digits no longer gives integer pixels 0 to 16")
    return encode(*split(digits.data, digits.target))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_PATH, help="where to write (default: %(default)s)")
    path = parser.parse_args().out
    data = digits_bytes()
    path.write_bytes(data)
    n_train, n_test = struct.unpack_from("<2I", data, len(MAGIC))
    print(f"wrote {path}: {n_train} training and {n_test} test images, {len(data)} bytes")


if __name__ == "__main__":
    main()
