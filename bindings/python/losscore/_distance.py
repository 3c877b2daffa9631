"""The triplet margin loss over a distance function written in Python.

triplet_margin_with_distance_loss takes torch's `distance_function`, a callable of two arrays
returning one distance per row (torch calls it on tensors; here it gets the numpy arrays as
the caller passed them). The loss is torch's composition, evaluated with numpy:

    l = max(0, margin + f(anchor, positive) - neg),  neg = f(anchor, negative), or with swap
        min(f(anchor, negative), f(positive, negative))

Gradients need the distance's own: `_and_grad` (and a module's loss_and_grad) calls
`distance_function.and_grad(x1, x2)`, which returns `(d, dd_dx1, dd_dx2)`: the distances and
the gradient of each row's distance with respect to that row of x1 and of x2 (arrays that
broadcast to the rows' shape). A callable without `and_grad` is refused with a TypeError
there. The chain rule is torch's autograd through its composition: the clamp passes at
equality and not for NaN, the minimum gives the smaller side the gradient and each side half
at a tie.
"""
from __future__ import annotations

import numpy as np

from ._convert import grad_output_array, sum_to_shape


def _distances(function, x1, x2, with_grad: bool):
    """(d, dd_dx1, dd_dx2) from the callable (gradients None without `with_grad`)."""
    if not with_grad:
        return np.asarray(function(x1, x2)), None, None
    and_grad = getattr(function, "and_grad", None)
    if not callable(and_grad):
        raise TypeError("distance_function has no and_grad(x1, x2) returning (distances, d/dx1, d/dx2): "
                        "its gradients are needed for triplet_margin_with_distance_loss_and_grad "
                        "(see losscore._distance)")
    result = and_grad(x1, x2)
    if not (isinstance(result, tuple) and len(result) == 3):
        raise TypeError(f"distance_function.and_grad must return (distances, d/dx1, d/dx2), "
                        f"got {type(result).__name__}")
    return tuple(np.asarray(part) for part in result)


def triplet_margin(loss, arrays, shape, out_dtype, function, options, reduction, want_grad, grad_output):
    """The loss (and, with want_grad, the gradients of anchor, positive and negative)."""
    if not callable(function):
        raise TypeError(f"distance_function must be callable or None, got {type(function).__name__}")
    margin = options[loss.option_names.index("margin")]
    swap = options[loss.option_names.index("swap")]
    anchor, positive, negative = arrays
    d_ap, g1_ap, g2_ap = _distances(function, anchor, positive, want_grad)
    d_an, g1_an, g2_an = _distances(function, anchor, negative, want_grad)
    neg = d_an
    if swap:
        d_pn, g1_pn, g2_pn = _distances(function, positive, negative, want_grad)
        neg = np.minimum(d_an, d_pn)
    with np.errstate(invalid="ignore", divide="ignore"):
        v = margin + d_ap - neg
        losses = np.maximum(v, 0)  # NaN stays NaN, as clamp_min
        dtype = losses.dtype if losses.dtype.kind == "f" else np.dtype(out_dtype)
        if reduction == 0:
            value = losses.astype(dtype, copy=False)
        else:
            total = losses.sum(dtype=np.float64)
            value = dtype.type(total / losses.size if reduction == 1 else total)
    if not want_grad:
        return value
    go = grad_output_array(grad_output, reduction, losses.shape, dtype)
    upstream = np.ones(losses.shape, dtype) if go is None else go.reshape(losses.shape) if reduction == 0 \
        else np.full(losses.shape, go[0], dtype)
    if reduction == 1:
        upstream = upstream / max(losses.size, 1)
    c = np.where(v >= 0, upstream, 0).astype(dtype)
    to_an, to_pn = c, np.zeros_like(c)
    if swap:  # torch's minimum backward
        to_an = np.where(d_an > d_pn, 0, np.where(d_an == d_pn, c / 2, c))
        to_pn = np.where(d_an < d_pn, 0, np.where(d_an == d_pn, c / 2, c))

    def row(k):  # a per-row factor against per-element gradients
        return np.expand_dims(k, -1) if len(shape) else k

    grads = [row(c) * g1_ap - row(to_an) * g1_an, row(c) * g2_ap, -row(to_an) * g2_an]
    if swap:
        grads[1] = grads[1] - row(to_pn) * g1_pn
        grads[2] = grads[2] - row(to_pn) * g2_pn
    out = []
    for g, a in zip(grads, arrays):
        g = sum_to_shape(np.broadcast_to(g, shape), a.shape) if np.shape(g) != a.shape else g
        out.append(np.asarray(g).astype(a.dtype if a.dtype.kind == "f" else dtype, copy=False))
    return value, tuple(out)
