"""LossCore against PyTorch: every case of tests/data/torch_reference.npz.

The file holds torch's values and autograd gradients (see scripts/gen_torch_reference.py,
which also documents the format); torch itself is not needed here. For each case this checks:
  - F.<fn>(*args, **kwargs) has torch's shape, dtype and values (NaN/Inf where torch has them);
  - F.<fn>_and_grad(..., grad_output=...) returns the same loss and torch's gradient
    (shape and dtype of the input, values within a tight tolerance);
  - where torch warned that the target size differs from the input size, LossCore warns too;
  - where torch refused the call, LossCore raises ValueError/TypeError/IndexError.
Tolerances: the library may round differently from torch by a few ulps per element and
accumulates sums in double (torch sums float32 in float32), hence the float32 bound.
"""
from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np
import pytest

import losscore.functional as F

DATA = Path(__file__).resolve().parent / "data" / "torch_reference.npz"
KNOWN_FORMAT = 1

# Relative tolerances. Elementwise results ('none') are compared entry by entry; reduced
# values and gradients (which may be sums over broadcast dimensions) are compared normwise:
# |a - e| <= rtol * (|e| + max|e|).
# Measured worst cases at the time of writing: float64 0 elementwise, 2e-16 reduced; float32
# 1.5e-7 elementwise (2 ulp), 2.1e-7 reduced.
RTOL = {
    "float64": {"elementwise": 2e-15, "reduced": 1e-14},
    "float32": {"elementwise": 3e-7, "reduced": 1e-6},
}


def _load():
    with np.load(DATA, allow_pickle=False) as data:
        index = json.loads(str(data["__index__"]))
        pools = {name[len("pool_"):]: data[name] for name in data.files if name.startswith("pool_")}
    return index, pools


INDEX, POOLS = _load()
CASES = INDEX["cases"]


def array(ref):
    """The array a reference of the index points to (a fresh, writable copy)."""
    if ref is None:
        return None
    pool = POOLS[ref["dtype"]]
    size = int(np.prod(ref["shape"], dtype=np.int64))
    return pool[ref["offset"]:ref["offset"] + size].reshape(ref["shape"]).copy()


def call_arguments(case):
    args = [array(ref) for ref in case["args"]]
    kwargs = json.loads(case["kwargs"])
    kwargs.update({name: array(ref) for name, ref in case["array_kwargs"].items()})
    return args, kwargs


def torch_warned_broadcast(case) -> bool:
    return any("target size" in message for message in case["warnings"])


def precision(case) -> str:
    """The tolerance class of a case: float32 if any floating argument is float32 or narrower.
    (torch may round an intermediate in float32 before promoting, e.g. |x32 - t32| * w64.)"""
    refs = list(case["args"]) + list(case["array_kwargs"].values())
    floats = [np.dtype(r["dtype"]) for r in refs if np.dtype(r["dtype"]).kind == "f"]
    return "float32" if any(d.itemsize <= 4 for d in floats) else "float64"


def assert_matches(actual, expected: np.ndarray, kind: str, what: str, tolerance: str):
    """actual has expected's shape and dtype, the same NaNs and Infs, and close finite values."""
    actual_arr = np.asarray(actual)
    assert actual_arr.shape == expected.shape, f"{what}: shape {actual_arr.shape} != torch {expected.shape}"
    assert actual_arr.dtype == expected.dtype, f"{what}: dtype {actual_arr.dtype} != torch {expected.dtype}"
    a = actual_arr.astype(np.float64)
    e = expected.astype(np.float64)
    nan_a, nan_e = np.isnan(a), np.isnan(e)
    assert np.array_equal(nan_a, nan_e), (
        f"{what}: NaN at {np.argwhere(nan_a != nan_e).tolist()[:5]} differs "
        f"(got {a[nan_a != nan_e][:5]}, torch {e[nan_a != nan_e][:5]})")
    inf_e = np.isinf(e)
    assert np.array_equal(a[inf_e], e[inf_e]), f"{what}: Inf entries differ: got {a[inf_e]}, torch {e[inf_e]}"
    finite = ~(nan_e | inf_e)
    if not finite.any():
        return
    a, e = a[finite], e[finite]
    assert np.all(np.isfinite(a)), f"{what}: got non-finite {a[~np.isfinite(a)][:5]} where torch is finite"
    rtol = RTOL[tolerance][kind]
    scale = np.abs(e).max() if kind == "reduced" else 0.0
    tiny = np.finfo(np.float32).tiny
    bound = rtol * (np.abs(e) + scale) + tiny
    err = np.abs(a - e)
    worst = int(np.argmax(err - bound))
    assert np.all(err <= bound), (
        f"{what}: got {a[worst]!r}, torch {e[worst]!r} (|diff| {err[worst]:.3g} > {bound[worst]:.3g}; "
        f"{int((err > bound).sum())} of {e.size} entries off)")


def loss_kind(case, expected) -> str:
    return "elementwise" if expected.ndim > 0 and json.loads(case["kwargs"]).get("reduction") == "none" \
        else "reduced"


def _ids(cases):
    return [c["id"] for c in cases]


COMPUTED = [c for c in CASES if c["error"] is None]
DIFFERENTIABLE = [c for c in COMPUTED if c["grads"]]
REFUSED = [c for c in CASES if c["error"] is not None]


def run(function, args, kwargs):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = function(*args, **kwargs)
    return result, [w for w in caught if issubclass(w.category, UserWarning)]


def check_warnings(case, caught):
    if torch_warned_broadcast(case):
        assert any("target size" in str(w.message) for w in caught), (
            f"torch warns that the target size differs from the input size; LossCore did not "
            f"(warnings: {[str(w.message) for w in caught]})")
    else:
        assert not any("target size" in str(w.message) for w in caught), "spurious broadcast warning"


@pytest.mark.parametrize("case", COMPUTED, ids=_ids(COMPUTED))
def test_value(case):
    args, kwargs = call_arguments(case)
    snapshot = [a.copy() for a in args]
    result, caught = run(getattr(F, case["fn"]), args, kwargs)
    expected = array(case["loss"])
    assert_matches(result, expected, loss_kind(case, expected), f"{case['fn']} loss", precision(case))
    if expected.ndim == 0:
        assert np.ndim(result) == 0
    else:
        assert isinstance(result, np.ndarray)
    check_warnings(case, caught)
    for before, after in zip(snapshot, args):  # inputs are not modified
        np.testing.assert_array_equal(before, after)


@pytest.mark.parametrize("case", DIFFERENTIABLE, ids=_ids(DIFFERENTIABLE))
def test_value_and_grad(case):
    args, kwargs = call_arguments(case)
    go = array(case["grad_output"])
    if go is not None:
        kwargs["grad_output"] = float(go) if go.ndim == 0 else go
    result, caught = run(getattr(F, case["fn"] + "_and_grad"), args, kwargs)
    assert isinstance(result, tuple) and len(result) == 2, f"expected (loss, grad), got {type(result)}"
    loss, grads = result
    expected = array(case["loss"])
    assert_matches(loss, expected, loss_kind(case, expected), f"{case['fn']}_and_grad loss", precision(case))
    check_warnings(case, caught)
    positions = sorted(int(i) for i in case["grads"])
    if positions == [0] and len(case["args"]) >= 1 and not isinstance(grads, tuple):
        grads = {0: grads}
    else:
        assert isinstance(grads, tuple), f"expected a tuple of gradients, got {type(grads)}"
        grads = dict(enumerate(grads))
    for i in positions:
        expected_grad = array(case["grads"][str(i)])
        assert isinstance(grads[i], np.ndarray), f"gradient {i} is a {type(grads[i])}, not an ndarray"
        assert_matches(grads[i], expected_grad, "reduced", f"{case['fn']}_and_grad gradient w.r.t. argument {i}", precision(case))


@pytest.mark.parametrize("case", REFUSED, ids=_ids(REFUSED))
def test_refused_like_torch(case):
    """torch refuses these calls (see case['error']); LossCore must raise a clear Python error."""
    args, kwargs = call_arguments(case)
    functions = [getattr(F, case["fn"])]
    if hasattr(F, case["fn"] + "_and_grad"):
        functions.append(getattr(F, case["fn"] + "_and_grad"))
    for function in functions:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with pytest.raises((ValueError, TypeError, IndexError)) as info:
                function(*args, **kwargs)
        assert str(info.value).strip(), f"{function.__name__} raised {info.type.__name__} without a message"


# --- the reference file itself -----------------------------------------------------------------

def test_reference_file_format():
    assert INDEX["format"] == KNOWN_FORMAT
    assert DATA.stat().st_size < 1024 * 1024, "keep torch_reference.npz well under 1 MB"
    ids = [c["id"] for c in CASES]
    assert len(ids) == len(set(ids))
    assert len(CASES) > 500


def test_reference_covers_the_existing_losses():
    names = {c["fn"] for c in CASES}
    for name in ("l1_loss", "mse_loss", "smooth_l1_loss", "huber_loss", "zero_one_loss"):
        assert name in names
    for name in names:
        assert hasattr(F, name), f"reference has cases for {name}, which losscore.functional lacks"
    for case in DIFFERENTIABLE:
        assert hasattr(F, case["fn"] + "_and_grad")
    dtypes = {array(c["loss"]).dtype.name for c in COMPUTED}
    assert {"float32", "float64"} <= dtypes
    reductions = {json.loads(c["kwargs"]).get("reduction", "mean") for c in COMPUTED}
    assert reductions == {"none", "mean", "sum"}
