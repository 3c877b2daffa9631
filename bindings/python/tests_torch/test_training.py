"""A training loop with losscore.torch's loss follows the one with torch's: an MLP on the digits
of scikit-learn (synthetic data of the same sizes when scikit-learn is missing), trained from
the same seed with each loss, gives the same losses and weights step after step."""
from __future__ import annotations

from pathlib import Path

import pytest
import torch
import torch.nn.functional as TF

import losscore.torch as LT


def digits(dtype):
    """(features, labels): 1797 samples of 64 features in [0, 1], 10 classes."""
    try:
        from sklearn.datasets import load_digits
    except ImportError:
        g = torch.Generator().manual_seed(0)
        labels = torch.randint(0, 10, (1797,), generator=g)
        centers = torch.rand(10, 64, generator=g)
        features = (centers[labels] + 0.3 * torch.rand(1797, 64, generator=g)).clamp(0, 1)
        return features.to(dtype), labels
    data = load_digits()
    return torch.tensor(data.data / 16.0, dtype=dtype), torch.tensor(data.target)


def train(loss_fn, dtype, steps=30, **options):
    """The losses of `steps` SGD steps (momentum) on minibatches of 64, and the final weights."""
    features, labels = digits(dtype)
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(64, 32), torch.nn.ReLU(), torch.nn.Linear(32, 10)).to(dtype)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    order = torch.randperm(len(labels), generator=torch.Generator().manual_seed(1))
    losses = []
    for step in range(steps):
        batch = order[(step * 64) % 1792:][:64]
        optimizer.zero_grad()
        loss = loss_fn(model(features[batch]), labels[batch], **options)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return torch.tensor(losses, dtype=torch.float64), [p.detach() for p in model.parameters()]


@pytest.mark.parametrize("dtype, rtol", [(torch.float32, 1e-4), (torch.float64, 1e-10)], ids=["float32", "float64"])
@pytest.mark.parametrize("options", [{}, {"label_smoothing": 0.1}], ids=["plain", "label_smoothing"])
def test_training_follows_torch(dtype, rtol, options):
    ours, our_weights = train(LT.cross_entropy, dtype, **options)
    theirs, their_weights = train(TF.cross_entropy, dtype, **options)
    torch.testing.assert_close(ours, theirs, rtol=rtol, atol=0)
    assert ours[-5:].mean() < 0.6 * ours[:5].mean()  # it learns
    for mine, want in zip(our_weights, their_weights):
        torch.testing.assert_close(mine, want, rtol=rtol, atol=rtol * 1e-2)


def test_training_with_a_module_follows_torch():
    ours, _ = train(LT.nn.CrossEntropyLoss(), torch.float32)
    theirs, _ = train(torch.nn.CrossEntropyLoss(), torch.float32)
    torch.testing.assert_close(ours, theirs, rtol=1e-4, atol=0)


def test_the_readme_example_runs_as_written():
    """The README's "Using LossCore from a torch training loop" block, run as it is; its
    criterion is torch's."""
    readme = Path(__file__).resolve().parents[3] / "README.md"
    text = readme.read_text().split("### Using LossCore from a torch training loop", 1)[1]
    code = text.split("```python\n", 1)[1].split("```", 1)[0]
    namespace = {}
    exec(compile(code, str(readme), "exec"), namespace)
    assert namespace["loss"].grad_fn is not None
    logits = namespace["model"](namespace["x"])
    torch.testing.assert_close(namespace["criterion"](logits, namespace["y"]),
                               torch.nn.CrossEntropyLoss(label_smoothing=0.1)(logits, namespace["y"]))
