"""LossCore's softmax family against PyTorch.

Every case of tests/data/torch_reference_softmax.npz (written by
scripts/gen_torch_reference_softmax.py with torch; torch is not needed here) is checked:
the loss, the gradient for the recorded grad_output, the result's type, dtype and shape, and
the module class giving the same result as the functional form.

References are torch's results in float64 on exactly the inputs LossCore receives, so a
float32 result is held to float32 accuracy of the exact value. In the 'extreme' group the
float32 torch results are also recorded; where torch's own focal-loss gradient is NaN
(p_t rounds to 1 with gamma < 1, documented torch behaviour) only the finite entries are
compared and LossCore's result must be finite everywhere. The 'special' group holds NaN and
+-inf logits, which must propagate as in torch (compared NaN for NaN, inf for inf; for the
focal loss only where torch's gradient is finite, since torch's is NaN in any row with a
-inf logit when gamma > 0). The 'zero_weight' group has class weights that are 0 for every
kept target, so a 'mean' is 0/0: NaN in torch, with or without label smoothing.
"""
from __future__ import annotations

import inspect
import json
import pathlib
import sys

import numpy as np
import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

import losscore.functional as F  # noqa: E402
import losscore.nn as nn  # noqa: E402

DATA = pathlib.Path(__file__).resolve().parent / "data" / "torch_reference_softmax.npz"

with np.load(DATA, allow_pickle=False) as _archive:
    POOLS = {key: _archive[key] for key in _archive.files if key.startswith("pool_")}
    CASES = json.loads(_archive["meta"].tobytes().decode("utf-8"))
    HEADER = json.loads(_archive["header"].tobytes().decode("utf-8"))


def array(ref):
    pool, offset, shape = ref
    size = int(np.prod(shape, dtype=np.int64))
    return POOLS[f"pool_{pool}"][offset:offset + size].reshape(shape).copy()


# Relative tolerance and absolute tolerance per unit of the result's scale.
TOLERANCE = {"float64": (1e-12, 1e-13), "float32": (1e-5, 2e-6)}
# torch's float32 results are themselves float32-rounded (and cancel in 1 - softmax).
NATIVE_TOLERANCE = (1e-4, 2e-5)


def assert_close(got, want, rtol, atol_per_scale, what, finite_only=False):
    got = np.asarray(got, dtype=np.float64)
    want = np.asarray(want, dtype=np.float64)
    assert got.shape == want.shape, f"{what}: shape {got.shape}, expected {want.shape}"
    if finite_only:
        mask = np.isfinite(want)
        got, want = got[mask], want[mask]
    finite = want[np.isfinite(want)]
    scale = max(1.0, float(np.max(np.abs(finite)))) if finite.size else 1.0
    np.testing.assert_allclose(got, want, rtol=rtol, atol=atol_per_scale * scale, equal_nan=True, err_msg=what)


def call_args(case):
    x = array(case["input"])
    target = array(case["target"])
    weight = None if case["weight"] is None else array(case["weight"])
    kwargs = {"weight": weight, "reduction": case["reduction"]}
    if case["target_kind"] == "index":
        kwargs["ignore_index"] = case["ignore_index"]
    if case["fn"] == "cross_entropy":
        kwargs["label_smoothing"] = case["label_smoothing"]
    if case["fn"] == "focal_loss":
        kwargs["gamma"] = case["gamma"]
    go = case["grad_output"]
    if isinstance(go, list):
        go = array(go)
    return x, target, kwargs, go


def describe(case):
    keys = ("fn", "dtype", "target_kind", "reduction", "ignore_index", "label_smoothing", "gamma")
    options = ", ".join(f"{k}={case[k]!r}" for k in keys if case.get(k) is not None)
    shape = tuple(case["input"][2])
    return f"{case['name']}: {options}, input shape {shape}, weight={'yes' if case['weight'] else 'no'}"


def check_result_type(loss, case, expected_shape):
    dtype = np.dtype(case["dtype"])
    if case["reduction"] == "none":
        assert isinstance(loss, np.ndarray), f"'none' must return an ndarray, got {type(loss)}"
        assert loss.shape == tuple(expected_shape)
    else:
        assert isinstance(loss, (np.ndarray, np.generic)), f"'{case['reduction']}' returned {type(loss)}"
        assert np.ndim(loss) == 0, f"'{case['reduction']}' must return a scalar, got shape {np.shape(loss)}"
    assert loss.dtype == dtype, f"result dtype {loss.dtype}, expected {dtype}"


def test_reference_file_is_small_and_complete():
    assert DATA.stat().st_size < 1_000_000
    groups = {case["group"] for case in CASES}
    assert groups == {"basic", "all_ignored", "empty", "extreme", "special", "zero_weight", "lanes"}
    functions = {(case["fn"], case["target_kind"]) for case in CASES}
    assert functions == {("cross_entropy", "index"), ("cross_entropy", "probs"), ("nll_loss", "index"),
                         ("focal_loss", "index")}
    ndims = {len(case["input"][2]) for case in CASES}
    assert ndims == {1, 2, 3, 4}
    assert {case["gamma"] for case in CASES if case["fn"] == "focal_loss"} == {0.0, 0.5, 1.0, 2.0, 5.0}
    assert {case["label_smoothing"] for case in CASES if case["fn"] == "cross_entropy"} == {0.0, 0.1, 1.0}
    # ignore_index inside [0, C) with positions actually ignored, next to real targets
    assert any(case["ignore_index"] == 2 and case["group"] == "basic" and len(case["input"][2]) > 1
               and np.any(array(case["target"]) == 2) and np.any(array(case["target"]) != 2) for case in CASES)


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_case(case):
    what = describe(case)
    x, target, kwargs, go = call_args(case)
    want_loss, want_grad = array(case["loss"]), array(case["grad"])
    function = getattr(F, case["fn"])
    function_and_grad = getattr(F, case["fn"] + "_and_grad")
    rtol, atol = TOLERANCE[case["dtype"]]
    nan_ok = case["torch_nan_ok"]

    loss = function(x, target, **kwargs)
    check_result_type(loss, case, want_loss.shape)
    assert_close(loss, want_loss, rtol, atol, f"loss of {what}", finite_only=nan_ok)

    if isinstance(go, str):
        loss2, grad = function_and_grad(x, target, **kwargs)
    else:
        loss2, grad = function_and_grad(x, target, **kwargs, grad_output=go)
    check_result_type(loss2, case, want_loss.shape)
    # The fused pass may round differently from the loss-only pass (exp and pow evaluated
    # along another path; gamma = 5 multiplies a rounding of 1 - p_t by 5), but only by ulps.
    assert_close(loss2, loss, 16 * np.finfo(x.dtype).eps, 0.0,
                 f"the loss of {case['fn']}_and_grad vs {case['fn']}: {what}", finite_only=nan_ok)
    assert_close(loss2, want_loss, rtol, atol, f"loss (from _and_grad) of {what}", finite_only=nan_ok)
    assert isinstance(grad, np.ndarray)
    assert grad.shape == x.shape and grad.dtype == x.dtype, (grad.shape, grad.dtype, what)
    assert_close(grad, want_grad, rtol, atol, f"gradient of {what}", finite_only=nan_ok)

    if case["group"] == "extreme":  # finite logits: LossCore's results are finite, whatever torch's are
        assert np.all(np.isfinite(loss)), f"loss must be finite: {what}: {loss}"
        assert np.all(np.isfinite(grad)), f"gradient must be finite (torch's may be NaN here): {what}: {grad}"
    if "loss_native" in case:
        assert_close(loss, array(case["loss_native"]), *NATIVE_TOLERANCE, f"loss vs torch float32: {what}",
                     finite_only=True)
        assert_close(grad, array(case["grad_native"]), *NATIVE_TOLERANCE, f"gradient vs torch float32: {what}",
                     finite_only=True)


def make_module(case, kwargs):
    options = {k: v for k, v in kwargs.items()}
    if case["fn"] == "cross_entropy":
        return nn.CrossEntropyLoss(**options)
    if case["fn"] == "nll_loss":
        options.pop("label_smoothing", None)
        return nn.NLLLoss(**options)
    return nn.FocalLoss(**options)


# The modules forward to the functional form: one representative case per kind is enough.
MODULE_CASES = [case for case in CASES if case["group"] in ("basic", "extreme") and case["weight"]
                and case["input"][2] and len(case["input"][2]) >= 2][::7]


@pytest.mark.parametrize("case", MODULE_CASES, ids=[case["name"] for case in MODULE_CASES])
def test_module_matches_reference(case):
    what = describe(case)
    x, target, kwargs, go = call_args(case)
    module = make_module(case, kwargs)
    rtol, atol = TOLERANCE[case["dtype"]]
    nan_ok = case["torch_nan_ok"]
    loss = module(x, target)
    check_result_type(loss, case, array(case["loss"]).shape)
    assert_close(loss, array(case["loss"]), rtol, atol, f"module loss of {what}", finite_only=nan_ok)
    grad_output = None if isinstance(go, str) else go
    loss2, grad = module.loss_and_grad(x, target, grad_output=grad_output)
    assert_close(loss2, array(case["loss"]), rtol, atol, f"module loss_and_grad of {what}", finite_only=nan_ok)
    assert_close(grad, array(case["grad"]), rtol, atol, f"module gradient of {what}", finite_only=nan_ok)


# ---- the keyword contract: names and defaults as torch's (from the reference file) ----

def _parameters(fn):
    return [(p.name, None if p.default is inspect.Parameter.empty else repr(p.default))
            for p in inspect.signature(fn).parameters.values()]


@pytest.mark.parametrize("name", ["cross_entropy", "nll_loss"])
def test_functional_signature_matches_torch(name):
    torch_params = [tuple(p) for p in HEADER["signatures"][name]]
    assert _parameters(getattr(F, name)) == torch_params
    # the _and_grad variant: the same parameters, then grad_output=None
    assert _parameters(getattr(F, name + "_and_grad")) == torch_params + [("grad_output", "None")]


@pytest.mark.parametrize("name", ["CrossEntropyLoss", "NLLLoss"])
def test_module_signature_matches_torch(name):
    # The deprecated size_average / reduce are kept so that positional calls mean what they mean in torch.
    torch_params = [tuple(p) for p in HEADER["signatures"][name]]
    assert _parameters(getattr(nn, name).__init__) == torch_params


def test_reference_generated_by_torch_2():
    assert HEADER["torch_version"].split(".")[0] == "2"
