"""The metrics family. zero_one_loss: 1 where the prediction differs from the target, else 0.

Scores (N, C) predict argmax over the last dim (first index on ties, a NaN counts as the
maximum, as torch.argmax / numpy.argmax); integer labels (N,) are compared directly.
Checked against numpy.
"""
from __future__ import annotations

import numpy as np
import pytest

import losscore
import losscore.functional as F
from support import zero_one_reference

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from hypothesis.extra import numpy as hnp  # noqa: E402

REDUCTIONS = ("none", "mean", "sum")


def assert_same(got, want, dtype):
    assert np.asarray(got).dtype == dtype, f"dtype {np.asarray(got).dtype} != {dtype}"
    # counts are exact; a float32 mean is the float64 error rate rounded to float32
    np.testing.assert_array_equal(np.asarray(got), np.asarray(want).astype(dtype))


def test_tutorial_example():
    scores = np.array([[0.1, 0.7, 0.2], [0.8, 0.1, 0.1], [0.3, 0.3, 0.4]])
    labels = np.array([1, 2, 2])
    assert_same(F.zero_one_loss(scores, labels, reduction="none"), [0.0, 1.0, 0.0], np.float64)
    assert F.zero_one_loss(scores, labels) == np.mean(scores.argmax(axis=1) != labels)
    assert F.zero_one_loss(scores, labels, reduction="sum") == 1.0


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("n,c", [(1, 1), (5, 1), (1, 4), (33, 7), (1000, 10)])
def test_scores_match_numpy(dtype, reduction, n, c):
    rng = np.random.default_rng(n * 100 + c)
    scores = rng.standard_normal((n, c)).astype(dtype)
    target = rng.integers(0, c, n)
    got = F.zero_one_loss(scores, target, reduction=reduction)
    assert_same(got, zero_one_reference(scores, target, reduction), np.dtype(dtype))
    if reduction == "none":
        assert isinstance(got, np.ndarray) and got.shape == (n,)
    else:
        assert np.ndim(got) == 0


def test_default_reduction_is_mean():
    rng = np.random.default_rng(1)
    scores, target = rng.standard_normal((20, 3)), rng.integers(0, 3, 20)
    assert F.zero_one_loss(scores, target) == F.zero_one_loss(scores, target, reduction="mean")


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_ties_nan_and_infinities(dtype):
    scores = np.array([
        [1, 1, 0],                      # tie: first index (0)
        [0, 2, 2],                      # tie: 1
        [np.nan, 5, 5],                 # NaN is the maximum: 0
        [1, np.nan, np.nan],            # first NaN: 1
        [-np.inf, -np.inf, -np.inf],    # all -inf: 0
        [np.inf, 0, np.inf],            # +inf tie: 0
        [0, 0, 0],                      # all equal: 0
        [-1, -2, -3],                   # 0
        [-0.0, 0.0, -1],                # -0 == 0: first (0)
    ], dtype=dtype)
    predicted = np.array([0, 1, 0, 1, 0, 0, 0, 0, 0])
    for target in (predicted, (predicted + 1) % 3):
        for reduction in REDUCTIONS:
            got = F.zero_one_loss(scores, target, reduction=reduction)
            assert_same(got, zero_one_reference(scores, target, reduction), np.dtype(dtype))
    np.testing.assert_array_equal(F.zero_one_loss(scores, predicted, reduction="none"), np.zeros(9))


@pytest.mark.parametrize("tdtype", [np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32,
                                    np.uint64])
def test_any_integer_target_dtype(tdtype):
    rng = np.random.default_rng(2)
    scores = rng.standard_normal((30, 4))
    target = rng.integers(0, 4, 30)
    want = F.zero_one_loss(scores, target, reduction="none")
    np.testing.assert_array_equal(F.zero_one_loss(scores, target.astype(tdtype), reduction="none"), want)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_labels_match_numpy(reduction):
    rng = np.random.default_rng(3)
    predicted, target = rng.integers(-3, 5, 50), rng.integers(0, 4, 50)
    got = F.zero_one_loss(predicted, target, reduction=reduction)
    assert_same(got, zero_one_reference(predicted, target, reduction), np.dtype(np.float64))


def test_labels_of_any_integer_dtype_and_any_value():
    predicted = np.array([0, 1, -5, 2**40, 7], dtype=np.int64)
    target = np.array([0, 2, -5, 2**40, 8], dtype=np.int64)
    np.testing.assert_array_equal(F.zero_one_loss(predicted, target, reduction="none"), [0, 1, 0, 0, 1])
    for pdtype in (np.int8, np.int32, np.uint8, np.uint16):
        p = np.array([0, 1, 2, 3], dtype=pdtype)
        np.testing.assert_array_equal(F.zero_one_loss(p, np.array([0, 1, 3, 3]), reduction="none"), [0, 0, 1, 0])


def test_labels_compare_by_value_across_signedness():
    """uint64 2**64-1 is not int64 -1: numpy (and Python) compare the values."""
    predicted = np.array([2**64 - 1, 5], dtype=np.uint64)
    target = np.array([-1, 5], dtype=np.int64)
    np.testing.assert_array_equal(F.zero_one_loss(predicted, target, reduction="none"),
                                  zero_one_reference(predicted, target, "none"))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_empty_batch(dtype):
    scores = np.zeros((0, 4), dtype)
    target = np.zeros((0,), np.int64)
    none = F.zero_one_loss(scores, target, reduction="none")
    assert none.shape == (0,) and none.dtype == dtype
    assert np.isnan(F.zero_one_loss(scores, target, reduction="mean"))
    assert F.zero_one_loss(scores, target, reduction="sum") == 0
    labels = np.zeros((0,), np.int64)
    assert F.zero_one_loss(labels, labels, reduction="none").shape == (0,)
    assert np.isnan(F.zero_one_loss(labels, labels))
    assert F.zero_one_loss(labels, labels, reduction="sum") == 0


def test_single_class_always_predicts_zero():
    scores = np.random.default_rng(4).standard_normal((6, 1))
    np.testing.assert_array_equal(F.zero_one_loss(scores, np.zeros(6, int), reduction="none"), np.zeros(6))


def test_lists_and_float16():
    assert F.zero_one_loss([[0.1, 0.9], [0.8, 0.2]], [1, 1]) == 0.5
    assert F.zero_one_loss([1, 0, 1], [1, 1, 1], reduction="sum") == 1.0
    scores = np.array([[0.1, 0.9], [0.8, 0.2], [0.3, 0.7]], np.float16)
    got = F.zero_one_loss(scores, [1, 1, 1], reduction="none")
    assert got.dtype == np.float16
    np.testing.assert_array_equal(got, [0, 1, 0])
    mean = F.zero_one_loss(scores, [1, 1, 1])
    assert np.asarray(mean).dtype == np.float16 and float(mean) == pytest.approx(1 / 3, rel=1e-3)


def test_noncontiguous_scores_and_targets():
    rng = np.random.default_rng(5)
    scores = rng.standard_normal((40, 6))
    target = rng.integers(0, 6, 80)[::2]
    want = F.zero_one_loss(scores, np.ascontiguousarray(target), reduction="none")
    for view in (np.asfortranarray(scores), np.ascontiguousarray(scores.T).T,
                 np.repeat(scores, 2, axis=1)[:, ::2]):
        np.testing.assert_array_equal(F.zero_one_loss(view, target, reduction="none"), want)


def test_inputs_not_modified():
    rng = np.random.default_rng(6)
    scores, target = rng.standard_normal((10, 3)), rng.integers(0, 3, 10)
    s0, t0 = scores.copy(), target.copy()
    F.zero_one_loss(scores, target, reduction="none")
    np.testing.assert_array_equal(scores, s0)
    np.testing.assert_array_equal(target, t0)


def test_not_differentiable():
    assert not hasattr(F, "zero_one_loss_and_grad")


def test_large_batch_thread_independent():
    rng = np.random.default_rng(7)
    scores = rng.integers(0, 3, (150_001, 5)).astype(np.float32)  # many ties
    target = rng.integers(0, 5, 150_001)
    results = []
    try:
        for threads in (1, 2, 3):
            losscore.set_num_threads(threads)
            results.append([F.zero_one_loss(scores, target, reduction=r) for r in REDUCTIONS])
    finally:
        losscore.set_num_threads(0)
    for other in results[1:]:
        for a, b in zip(results[0], other):
            np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(results[0][0], zero_one_reference(scores, target, "none"))
    assert results[0][2] == zero_one_reference(scores, target, "sum")


@st.composite
def scores_and_target(draw):
    n = draw(st.integers(0, 30))
    c = draw(st.integers(1, 6))
    dtype = draw(st.sampled_from([np.float32, np.float64]))
    # few distinct values: many ties; occasionally NaN and infinities
    values = st.sampled_from([0.0, 1.0, -1.0, 2.5, np.inf, -np.inf, np.nan]) | st.floats(-3, 3, width=32)
    scores = draw(hnp.arrays(dtype, (n, c), elements=values))
    target = draw(hnp.arrays(np.int64, n, elements=st.integers(0, c - 1)))
    return scores, target


@given(problem=scores_and_target(), reduction=st.sampled_from(REDUCTIONS))
@settings(max_examples=60)
def test_property_matches_numpy_argmax(problem, reduction):
    scores, target = problem
    got = F.zero_one_loss(scores, target, reduction=reduction)
    want = zero_one_reference(scores, target, reduction)
    assert np.asarray(got).dtype == scores.dtype
    np.testing.assert_array_equal(np.asarray(got), np.asarray(want).astype(scores.dtype))


@given(problem=scores_and_target())
def test_property_mean_is_sum_over_n(problem):
    scores, target = problem
    total = F.zero_one_loss(scores, target, reduction="sum")
    mean = F.zero_one_loss(scores, target, reduction="mean")
    none = F.zero_one_loss(scores, target, reduction="none")
    assert set(np.unique(none)) <= {0.0, 1.0}
    assert total == none.sum()
    if len(target):
        assert mean == pytest.approx(float(total) / len(target), rel=1e-6)
    else:
        assert np.isnan(mean)
