"""train.py: a short run learns (held-out accuracy far above chance, every loss falls), its
back-propagation is the gradient of its loss, its generator is SplitMix64, and digits.bin is
export_digits.py's output."""
from __future__ import annotations

import io
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import export_digits  # noqa: E402
import train  # noqa: E402


@pytest.fixture(scope="module")
def data():
    return train.load()


def test_the_data_file_holds_the_imbalanced_split(data):
    counts = np.bincount(data.y_train, minlength=10)
    assert data.rare == export_digits.RARE_CLASS == 8
    assert counts[8] == 6  # ceil(5% of the 8s left for training)
    assert np.all(np.delete(counts, 8) >= 110)
    assert np.all(np.bincount(data.y_test, minlength=10) >= 57)  # every class, a third of its images
    assert data.x_train.shape == (len(data.y_train), 64) and data.x_test.shape == (len(data.y_test), 64)
    assert data.x_train.min() == 0.0 and data.x_train.max() == 1.0


def test_the_data_file_is_export_digits_output():
    pytest.importorskip("sklearn")
    assert export_digits.digits_bytes() == train.DATA.read_bytes()


def test_splitmix64_gives_the_reference_sequence():
    rng = train.SplitMix64(0)  # the published first outputs for seed 0
    assert [rng.next() for _ in range(3)] == [0xE220A8397B1DCDAF, 0x6E789E6AA1B965F4, 0x06C45D188009454F]
    assert sorted(train.SplitMix64(1).permutation(50)) == list(range(50))


@pytest.mark.parametrize("name", ["cross-entropy", "weighted cross-entropy", "focal loss, gamma 2",
                                  "weighted focal loss, gamma 2"])
def test_back_propagation_is_the_gradient_of_the_loss(data, name):
    objective = train.objectives(data)[name]
    params = train.init_params(train.SplitMix64(3), 64, 10)
    params[1] += 0.01  # biases off zero, so that they matter
    x, y = data.x_train[:40], data.y_train[:40]
    _, grads = train.loss_and_gradients(params, x, y, objective)
    rng = np.random.default_rng(0)
    for p, g in zip(params, grads):
        for flat in rng.choice(p.size, size=6, replace=False):
            index = np.unravel_index(flat, p.shape)
            saved, h = p[index], 1e-6
            p[index] = saved + h
            up, _ = train.loss_and_gradients(params, x, y, objective)
            p[index] = saved - h
            down, _ = train.loss_and_gradients(params, x, y, objective)
            p[index] = saved
            assert g[index] == pytest.approx((up - down) / (2 * h), rel=1e-5, abs=1e-8)


def test_a_short_run_learns(data):
    _, results = train.run(epochs=4, data=data)
    assert len(results) == 4
    for name, history in results.items():
        assert len(history.loss) == 4
        assert all(b < a for a, b in zip(history.loss, history.loss[1:])), (name, history.loss)
        assert history.loss[-1] < 0.15 * history.loss[0], name
        assert history.accuracy[-1] > 0.8, name  # chance: 0.1
        assert history.balanced_accuracy[-1] > 0.75, name
    table = train.table(data, results)
    assert table.count("\n") == 5 and "recall of 8 (6 training samples)" in table


def test_the_progress_bar_draws_one_line_when_not_on_a_terminal():
    stream = io.StringIO()
    bar = train.ProgressBar("cross-entropy", 3, stream=stream)
    bar.update(1, 0.5)
    bar.update(2, 0.25)
    assert stream.getvalue() == ""
    bar.update(3, 0.125)
    assert stream.getvalue() == "\rcross-entropy                [" + "#" * 30 + "]   3/3 epochs  loss 0.1250\n"


def test_the_training_curves_are_drawn(data, tmp_path):
    pytest.importorskip("matplotlib")
    _, results = train.run(epochs=2, data=data)
    train.plot(data, results, tmp_path / "curves.png")
    assert (tmp_path / "curves.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
