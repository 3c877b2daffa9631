"""The table of calls the bridge's tests run: every loss of losscore.functional with its main
options, on small tensors, beside the torch function it mirrors.

A case makes its arguments for a dtype from a seeded generator; `grads` are the positions of
the arguments LossCore differentiates (the ones the tests make require grad). The same table,
made in float16 and bfloat16, gives torch's 16-bit reference data
(scripts/reference/generate_half.py).
"""
from __future__ import annotations

import torch
import torch.nn.functional as TF

import losscore.functional as F


def _reduce(loss, reduction):
    return loss if reduction == "none" else loss.sum() if reduction == "sum" else loss.mean()


def focal_loss(input, target, weight=None, gamma=2.0, ignore_index=-100, reduction="mean"):
    """The multi-class focal loss by its definition: nll_loss((1 - softmax)**gamma * log_softmax)."""
    logp = torch.log_softmax(input, 0 if input.dim() == 1 else 1)
    return TF.nll_loss((1 - logp.exp()) ** gamma * logp, target, weight=weight, ignore_index=ignore_index,
                       reduction=reduction)


def sigmoid_focal_loss(inputs, targets, alpha=0.25, gamma=2.0, reduction="none"):
    """torchvision.ops.sigmoid_focal_loss's body (the same torch operations)."""
    p = torch.sigmoid(inputs)
    ce = TF.binary_cross_entropy_with_logits(inputs, targets, reduction="none")
    p_t = p * targets + (1 - p) * (1 - targets)
    loss = ce * (1 - p_t) ** gamma
    if alpha >= 0:
        loss = (alpha * targets + (1 - alpha) * (1 - targets)) * loss
    return _reduce(loss, reduction)


def zero_one_loss(input, target, reduction="mean"):
    return _reduce((input.argmax(dim=-1) != target).to(input.dtype), reduction)


TORCH_FORMS = {"focal_loss": focal_loss, "sigmoid_focal_loss": sigmoid_focal_loss, "zero_one_loss": zero_one_loss}


def reference(name):
    """torch's function of a losscore.functional loss (its form, where torch has none)."""
    return TORCH_FORMS.get(name) or getattr(TF, name)


class Case:
    def __init__(self, name, make, kwargs=None, grads=(0,), reductions=("none", "mean", "sum"), label=""):
        self.name, self.make, self.kwargs, self.grads = name, make, dict(kwargs or {}), grads
        self.reductions, self.label = reductions, label

    def arguments(self, dtype, seed=0):
        """(positional tensors, keyword options) of the call."""
        g = torch.Generator().manual_seed(seed)
        args, extra = self.make(Data(g, dtype))
        return args, {**self.kwargs, **extra}

    def __repr__(self):
        return f"{self.name}{'-' + self.label if self.label else ''}"


class Data:
    """Seeded tensors of one dtype."""

    def __init__(self, g, dtype):
        self.g, self.dtype = g, dtype

    def normal(self, *shape, scale=1.0):
        return torch.randn(shape, generator=self.g, dtype=self.dtype) * scale

    def uniform(self, *shape, low=0.0, high=1.0):
        return low + (high - low) * torch.rand(shape, generator=self.g, dtype=self.dtype)

    def signs(self, *shape):
        return torch.where(torch.rand(shape, generator=self.g) < 0.5, -1.0, 1.0).to(self.dtype)

    def classes(self, c, *shape):
        return torch.randint(0, c, shape, generator=self.g)

    def log_probs(self, *shape, dim=1):
        return torch.log_softmax(self.normal(*shape, scale=2.0), dim)


def pair(x, y, **extra):
    return lambda d: ([x(d), y(d)], {k: v(d) for k, v in extra.items()})


def nothing(d):
    return {}


X = lambda d: d.normal(4, 5)  # noqa: E731
Y = lambda d: d.normal(4, 5)  # noqa: E731
W45 = lambda d: d.uniform(4, 5, low=0.5, high=2.0)  # noqa: E731
W5 = lambda d: d.uniform(5, low=0.5, high=2.0)  # noqa: E731
PROBS = lambda d: d.uniform(4, 5, low=0.05, high=0.95)  # noqa: E731
BITS = lambda d: (d.uniform(4, 5) < 0.5).to(d.dtype)  # noqa: E731
SIGNS = lambda d: d.signs(4, 5)  # noqa: E731
LOGITS = lambda d: d.normal(6, 5, scale=2.0)  # noqa: E731
LABELS = lambda d: d.classes(5, 6)  # noqa: E731


def _label_rows(d):
    """Rows of 5 classes listing two or three distinct targets, each list ended by -1."""
    rows = []
    for k in range(4):
        order = torch.randperm(5, generator=d.g)
        count = 2 + k % 2
        rows.append(torch.cat([order[:count], torch.full((5 - count,), -1)]))
    return torch.stack(rows)


def _ctc(d):
    lengths = torch.tensor([12, 10, 12])
    return [d.log_probs(12, 3, 5, dim=2), torch.randint(1, 5, (3, 4), generator=d.g), lengths,
            torch.tensor([4, 2, 3])], {}


def _rows(count):
    return lambda d: ([d.normal(6, 4) for _ in range(count)], {})


def _pairs(d):
    return [d.normal(6, 4), d.normal(6, 4), d.signs(6)], {}


def _triplet_near(d):
    a = d.normal(6, 4)
    return [a, a + 0.3 * d.normal(6, 4), d.normal(6, 4)], {}


CASES = [
    Case("l1_loss", pair(X, Y)),
    Case("l1_loss", lambda d: ([X(d), Y(d)], {"weight": W45(d)}), label="weight"),
    Case("mse_loss", pair(X, Y)),
    Case("mse_loss", lambda d: ([X(d), Y(d)], {"weight": W45(d)}), label="weight"),
    # (each input element feeds a row of five loss elements: 'none' must apply grad_output per element)
    Case("mse_loss", pair(lambda d: d.normal(4, 1), Y), label="broadcast-input"),
    Case("smooth_l1_loss", pair(X, Y)),
    Case("smooth_l1_loss", pair(X, Y), {"beta": 0.5}, label="beta"),
    Case("smooth_l1_loss", pair(X, Y), {"beta": 0.0}, label="beta0"),
    Case("huber_loss", pair(X, Y), {"delta": 0.5}, label="delta"),
    Case("huber_loss", lambda d: ([X(d), Y(d)], {"weight": W45(d)}), label="weight"),
    Case("binary_cross_entropy", pair(PROBS, PROBS)),
    Case("binary_cross_entropy", lambda d: ([PROBS(d), PROBS(d)], {"weight": W5(d)}), label="weight"),
    Case("binary_cross_entropy_with_logits", pair(X, BITS)),
    Case("binary_cross_entropy_with_logits", lambda d: ([X(d), BITS(d)], {"weight": W5(d), "pos_weight": W5(d)}),
         label="weights"),
    Case("sigmoid_focal_loss", pair(X, BITS)),
    Case("sigmoid_focal_loss", pair(X, BITS), {"alpha": -1, "gamma": 0.5}, label="options"),
    Case("soft_margin_loss", pair(X, SIGNS)),
    Case("hinge_embedding_loss", pair(lambda d: d.normal(4, 5).abs(), SIGNS), {"margin": 0.7}, label="margin"),
    Case("kl_div", pair(lambda d: d.log_probs(4, 5), lambda d: d.log_probs(4, 5).exp()),
         reductions=("none", "batchmean", "sum")),
    Case("kl_div", pair(lambda d: d.log_probs(4, 5), lambda d: d.log_probs(4, 5)), {"log_target": True},
         reductions=("none", "batchmean", "sum"), label="log_target"),
    Case("poisson_nll_loss", pair(lambda d: d.normal(4, 5, scale=0.5), lambda d: d.uniform(4, 5, high=4.0).floor())),
    Case("poisson_nll_loss", pair(lambda d: d.uniform(4, 5, low=0.1, high=3.0),
                                  lambda d: d.uniform(4, 5, high=4.0).floor()),
         {"log_input": False, "full": True}, label="rates-full"),
    Case("margin_ranking_loss", lambda d: ([X(d), Y(d), SIGNS(d)], {}), {"margin": 0.3}, grads=(0, 1)),
    Case("gaussian_nll_loss", lambda d: ([X(d), Y(d), d.uniform(4, 5, low=0.1, high=2.0)], {}), grads=(0, 2)),
    Case("gaussian_nll_loss", lambda d: ([X(d), Y(d), d.uniform(4, 1, low=0.1, high=2.0)], {}), {"full": True},
         grads=(0, 2), label="shared-var-full"),
    Case("gaussian_nll_loss", lambda d: ([X(d), Y(d), 0.7], {}), grads=(0,), label="float-var"),
    Case("cross_entropy", pair(LOGITS, LABELS)),
    Case("cross_entropy", lambda d: ([LOGITS(d), LABELS(d)], {"weight": W5(d)}),
         {"ignore_index": 1, "label_smoothing": 0.1}, label="options"),
    Case("cross_entropy", pair(lambda d: d.normal(3, 5, 2, 2), lambda d: d.classes(5, 3, 2, 2)), label="k-dim"),
    Case("cross_entropy", pair(LOGITS, lambda d: d.log_probs(6, 5).exp()), {"label_smoothing": 0.2},
         label="probabilities"),
    Case("nll_loss", lambda d: ([d.log_probs(6, 5), LABELS(d)], {"weight": W5(d)}), {"ignore_index": 2},
         label="options"),
    Case("focal_loss", pair(LOGITS, LABELS)),
    Case("focal_loss", lambda d: ([LOGITS(d), LABELS(d)], {"weight": W5(d)}), {"gamma": 0.5}, label="options"),
    Case("multi_margin_loss", pair(LOGITS, LABELS)),
    Case("multi_margin_loss", lambda d: ([LOGITS(d), LABELS(d)], {"weight": W5(d)}), {"p": 2, "margin": 0.5},
         label="options"),
    Case("multilabel_margin_loss", lambda d: ([d.normal(4, 5), _label_rows(d)], {})),
    Case("multilabel_soft_margin_loss", lambda d: ([X(d), BITS(d)], {"weight": W5(d)}), label="weight"),
    Case("triplet_margin_loss", _triplet_near, grads=(0, 1, 2)),
    Case("triplet_margin_loss", _triplet_near, {"p": 1, "swap": True, "margin": 0.5}, grads=(0, 1, 2),
         label="options"),
    Case("cosine_embedding_loss", _pairs, {"margin": 0.2}, grads=(0, 1)),
    Case("triplet_margin_with_distance_loss", _triplet_near, {"swap": True}, grads=(0, 1, 2)),
    Case("ctc_loss", _ctc),
    Case("ctc_loss", _ctc, {"zero_infinity": True, "blank": 0}, label="zero-infinity"),
    Case("zero_one_loss", pair(LOGITS, LABELS), grads=()),
]

# Every loss of the package has a case.
assert {case.name for case in CASES} == set(F.__all__) - {n for n in F.__all__ if n.endswith("_and_grad")}, \
    set(F.__all__) - {case.name for case in CASES}
