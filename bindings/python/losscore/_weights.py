"""Class weights for imbalanced data (the tutorial's weighted cross-entropy)."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal, Optional

import numpy as np

if TYPE_CHECKING:
    from numpy.typing import ArrayLike, DTypeLike, NDArray


def class_weights(counts: Optional[ArrayLike] = None, *, labels: Optional[ArrayLike] = None,
                  num_classes: Optional[int] = None,
                  rule: Literal["inverse_share", "balanced"] = "inverse_share",
                  dtype: DTypeLike = np.float32) -> NDArray[np.floating[Any]]:
    """Per-class weights from class counts or from an array of labels.

    ``counts``       samples per class, e.g. ``[20, 80]``; or give ``labels`` (integer class
                     labels) and optionally ``num_classes`` (default: max label + 1).
    ``rule``         ``'inverse_share'`` (the tutorial's): a class's weight is the share of
                     the samples NOT in it, ``1 - count_c / n``; with two classes each class
                     gets the other's share, so 20 and 80 samples give 0.8 and 0.2.
                     ``'balanced'`` (scikit-learn's): ``n / (C * count_c)``.
    Returns an array of C weights (``dtype``, float32 by default) for ``cross_entropy``,
    ``nll_loss`` or ``focal_loss``'s ``weight``. A class with no samples gets weight 0
    under 'balanced' (it never appears as a target).
    """
    if (counts is None) == (labels is None):
        raise ValueError("pass exactly one of counts or labels")
    if labels is not None:
        y = np.asarray(labels)
        if y.dtype.kind not in "iu":
            raise TypeError(f"labels must be integer class labels, got dtype {y.dtype}")
        if y.size and y.min() < 0:
            raise ValueError(f"labels must be >= 0 (got {int(y.min())})")
        size = int(y.max()) + 1 if y.size else 0
        if num_classes is not None:
            if int(num_classes) < size:
                raise ValueError(f"num_classes={num_classes} but labels go up to {size - 1}")
            size = int(num_classes)
        c = np.bincount(y.ravel(), minlength=size).astype(np.float64)
    else:
        c = np.asarray(counts, dtype=np.float64)
        if c.ndim != 1 or c.size == 0:
            raise ValueError(f"counts must be a non-empty 1-D sequence, got shape {c.shape}")
        if np.any(c < 0) or not np.all(np.isfinite(c)):
            raise ValueError("counts must be finite and >= 0")
    total = c.sum()
    if total <= 0:
        raise ValueError("class counts sum to 0: no samples to weigh")
    if rule == "inverse_share":
        weights = 1.0 - c / total
    elif rule == "balanced":
        with np.errstate(divide="ignore"):
            weights = np.where(c > 0, total / (c.size * np.where(c > 0, c, 1.0)), 0.0)
    else:
        raise ValueError(f"rule must be 'inverse_share' or 'balanced' (got {rule!r})")
    return weights.astype(dtype)
