"""16-bit inputs: float16 and bfloat16 arrays, against torch's 16-bit CPU results and against
LossCore's own contract.

data/reference_half.npz (scripts/reference/generate_half.py writes it with torch, and
documents its format) holds torch's losses and gradients of every loss of the package in
float16 and bfloat16: the table of calls of tests_torch/cases.py, every reduction, made in the
16-bit dtype. torch itself is not needed here. For every record:
  contract  F.<fn> and F.<fn>_and_grad on the 16-bit arrays return, in the 16-bit dtype and
            bit for bit (NaN as NaN), the float32 call on the same values widened to float32,
            rounded once to the 16-bit type: what the library's _f16 / _bf16 entry points
            promise (the header's "16-bit storage"), and what the binding computes where the
            library lacks a loss's 16-bit entry point;
  torch     each result (the loss, every gradient element) within ULPS[family] units in the
            last place of the 16-bit type, at the magnitude of its array (the loss, a gradient):
            torch rounds intermediate values to the 16-bit type (a difference before its square,
            each element's loss before the sum, a gradient after several 16-bit steps), LossCore
            rounds once. NaN and +-Inf where torch has them. The largest deviation per loss and
            dtype is printed (pytest -s) and its bound per family documented in the README;
  refused   where torch's CPU has no kernel of the dtype (REFUSED), LossCore computes the loss
            (the contract holds there too).
A hypothesis property checks the contract on random shapes and values for every loss whose
16-bit entry point the library has (the others are that very computation in the binding).
"""
from __future__ import annotations

import json
import re
import warnings
from pathlib import Path

import numpy as np
import pytest

import losscore.functional as F
from losscore import _ffi, _losses
from test_reference import gradient_positions

ml_dtypes = pytest.importorskip("ml_dtypes")
BF16, F16, F32 = np.dtype(ml_dtypes.bfloat16), np.dtype(np.float16), np.dtype(np.float32)
HALF = {"float16": F16, "bfloat16": BF16}
LOSSES = {loss.name: loss for loss in _losses.LOSSES}
DATA = Path(__file__).resolve().parent / "data" / "reference_half.npz"
HEADER = Path(__file__).resolve().parents[3] / "include" / "losscore.h"

# The losses torch 2.13's CPU kernels refuse in both 16-bit types (NotImplementedError).
REFUSED = {"ctc_loss", "multi_margin_loss", "multilabel_margin_loss"}

# The largest deviation from torch's result measured over the reference calls, in units in the
# last place of the 16-bit type (float16 and bfloat16 alike) at each result array's magnitude,
# per family (the README's "16-bit inputs" gives them; torch refuses the sequences family's
# loss); the test allows one ulp more, for the float32 results' last bits, which depend on the
# kernel set (fused multiply-adds) and may round to the other neighbour.
ULPS = {"elementwise": 3, "class_rows": 2, "class_margins": 1, "row_tuples": 2, "metrics": 0, "sequences": 0}
KERNEL_SET_ULPS = 1


# --- the data -------------------------------------------------------------------------------

def _load():
    with np.load(DATA, allow_pickle=False) as archive:
        index = json.loads(archive["index"].tobytes().decode("utf-8"))
        pools = {key[len("pool_"):]: archive[key] for key in archive.files if key.startswith("pool_")}
    return index, pools


INDEX, POOLS = _load()
RECORDS = INDEX["records"]


def array(ref):
    """The array a reference points to (a fresh copy), 16-bit bits viewed as their dtype."""
    pool, offset, shape, dtype = ref
    size = int(np.prod(shape, dtype=np.int64))
    values = POOLS[pool][offset:offset + size].reshape(shape).copy()
    return values.view(HALF[dtype]) if dtype in HALF else values


def value(item):
    return array(item) if isinstance(item, list) else item


def call_of(record, widen=False):
    """(positional, keyword) arguments of the record's call; with `widen`, every 16-bit array
    (and grad_output) as float32 (exact), and a positional Python float (Gaussian NLL's var,
    which torch and LossCore take in the input's dtype) as its 16-bit value."""
    dtype = HALF[record["dtype"]]

    def cast(a):
        if widen and isinstance(a, float):
            return float(dtype.type(a))
        return a.astype(F32) if widen and isinstance(a, np.ndarray) and a.dtype in (F16, BF16) else a

    args = [cast(value(a)) for a in record["args"]]
    kwargs = {**record["kwargs"], **{k: cast(array(v)) for k, v in record["arrays"].items()}}
    go = record["grad_output"]
    return args, kwargs, (None if go is None else cast(value(go)))


def compute(record, widen=False):
    """LossCore's (loss, {position: gradient}) of a record's call (no gradients for a loss
    without them)."""
    args, kwargs, go = call_of(record, widen)
    name = record["fn"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if not record["grad"]:
            return F.__dict__[name](*args, **kwargs), {}
        extra = {} if go is None else {"grad_output": go}
        loss, grads = F.__dict__[name + "_and_grad"](*args, **kwargs, **extra)
    grads = grads if isinstance(grads, tuple) else (grads,)
    positions = gradient_positions(name) if len(grads) > 1 else [0]
    return loss, {i: g for i, g in zip(positions, grads) if g is not None}


# --- comparing ------------------------------------------------------------------------------

def bits(a, dtype):
    """The 16-bit patterns of `a` (of `dtype`), every NaN as one pattern."""
    a = np.asarray(a)
    assert a.dtype == dtype, f"dtype {a.dtype}, expected {dtype}"
    b = a.view(np.uint16).copy()
    b[np.isnan(a.astype(F32))] = 0x7FFF
    return b


def rounded(a, dtype):
    """float32 results rounded once to the 16-bit type, to nearest even (beyond its range: inf)."""
    with np.errstate(over="ignore"):
        return np.asarray(np.asarray(a, F32).astype(dtype))


def ulp(magnitude, dtype):
    """The spacing of the 16-bit type at `magnitude` (its subnormal spacing below the normals)."""
    info = ml_dtypes.finfo(dtype) if dtype == BF16 else np.finfo(dtype)
    mantissa = int(info.nmant)
    exponent = np.floor(np.log2(np.maximum(magnitude, float(info.smallest_normal))))
    return np.exp2(exponent - mantissa)


def deviation(got, want, dtype, what):
    """The largest |got - want| over an array in ulps of `dtype` at the array's magnitude (its
    largest |value|, ours or torch's), after checking that NaN and +-Inf are where torch has them."""
    g, w = np.asarray(got).astype(np.float64), np.asarray(want).astype(np.float64)
    assert g.shape == w.shape, f"{what}: shape {g.shape}, torch's {w.shape}"
    assert np.array_equal(np.isnan(g), np.isnan(w)), f"{what}: NaN at other places: got {g}, torch {w}"
    assert np.array_equal(g[np.isinf(w)], w[np.isinf(w)]), f"{what}: Inf differs: got {g}, torch {w}"
    finite = np.isfinite(w)
    assert np.all(np.isfinite(g[finite])), f"{what}: non-finite where torch is finite: got {g}, torch {w}"
    if not finite.any():
        return 0.0
    g, w = g[finite], w[finite]
    return float(np.abs(g - w).max() / ulp(max(np.abs(g).max(), np.abs(w).max()), dtype))


# --- the records -------------------------------------------------------------------------------

def test_the_file_covers_every_loss_in_both_types():
    assert INDEX["format"] == 1 and INDEX["torch_version"].startswith("2.")
    assert DATA.stat().st_size < 256 * 1024
    for name, loss in LOSSES.items():
        mine = [r for r in RECORDS if r["fn"] == name]
        assert {r["dtype"] for r in mine} == set(HALF), name
        reductions = {r["kwargs"]["reduction"] for r in mine}
        assert reductions >= ({"none", "batchmean", "sum"} if loss.batchmean else {"none", "mean", "sum"}), name
    assert len({r["id"] for r in RECORDS}) == len(RECORDS)


def test_torch_refuses_exactly_the_losses_the_readme_lists():
    refused = {r["fn"] for r in RECORDS if r["error"] is not None}
    assert refused == REFUSED
    for r in RECORDS:
        if r["fn"] in REFUSED:
            assert r["error"] and re.search(r"not implemented for '(Half|BFloat16)'", r["error"]["message"]), r["id"]


@pytest.mark.parametrize("record", RECORDS, ids=[r["id"] for r in RECORDS])
def test_the_16_bit_call_is_the_rounded_float32_call(record):
    dtype = HALF[record["dtype"]]
    loss, grads = compute(record)
    wide_loss, wide_grads = compute(record, widen=True)
    assert isinstance(loss, np.ndarray) == (record["kwargs"]["reduction"] == "none")
    assert np.array_equal(bits(loss, dtype), bits(rounded(wide_loss, dtype), dtype)), (
        f"loss {loss!r}, rounded float32 loss {rounded(wide_loss, dtype)!r}")
    assert sorted(grads) == sorted(wide_grads) == sorted(int(i) for i in record.get("grads", {}) or
                                                         {i: 0 for i in record["grad"]})
    for i, grad in grads.items():
        assert np.array_equal(bits(grad, dtype), bits(rounded(wide_grads[i], dtype), dtype)), (
            f"gradient {i}: {grad!r}, rounded float32 gradient {rounded(wide_grads[i], dtype)!r}")


def measured():
    """{(fn, dtype): largest deviation from torch in ulps} over the records torch computed."""
    worst = {}
    for record in RECORDS:
        if record["error"] is not None:
            continue
        dtype = HALF[record["dtype"]]
        loss, grads = compute(record)
        key = (record["fn"], record["dtype"])
        found = [deviation(loss, array(record["loss"]), dtype, f"{record['id']} loss")]
        for i, ref in record.get("grads", {}).items():
            found.append(deviation(grads[int(i)], array(ref), dtype, f"{record['id']} gradient {i}"))
        worst[key] = max(worst.get(key, 0.0), *found)
    return worst


def test_deviation_from_torch_in_ulps():
    worst = measured()
    print("\nlargest deviation from torch's 16-bit CPU results (ulps of the 16-bit type):")
    for (name, dtype), ulps in sorted(worst.items()):
        print(f"  {name:36s} {dtype:9s} {ulps:g}")
    over = {key: ulps for key, ulps in worst.items()
            if ulps > ULPS[LOSSES[key[0]].family.name.replace(" ", "_")] + KERNEL_SET_ULPS}
    assert not over, f"beyond the documented bound: {over}"
    assert {name for name, _ in worst} == set(LOSSES) - REFUSED


# --- the entry points -------------------------------------------------------------------------

def declared_half_exports():
    """The 16-bit entry points the header declares."""
    text = re.sub(r"/\*.*?\*/", " ", HEADER.read_text(), flags=re.S)
    return set(re.findall(r"\b(losscore_\w+_b?f16)\s*\(", text))


def test_every_16_bit_export_of_the_header_is_declared_by_the_binding():
    """The binding resolves a loss's 16-bit entry points only where the library has them (so
    that it loads against a library without some); the header's must all be there."""
    declared = declared_half_exports()
    assert {"losscore_l1_loss_f16", "losscore_mse_loss_bf16"} <= declared
    missing = sorted(declared - set(_ffi.PROTOTYPES))
    assert not missing, f"the header declares these, the library or the binding lacks them: {missing}"
    stems = {f"losscore_{loss.entry.stem}" for loss in _losses.LOSSES}
    stems |= {f"losscore_{loss.probabilities_entry.stem}" for loss in _losses.LOSSES if loss.probabilities_entry}
    assert {re.sub(r"_b?f16$", "", symbol) for symbol in declared} <= stems


# --- the contract on random calls ---------------------------------------------------------------

def with_export(dtype):
    """The losses whose 16-bit entry point of `dtype` the library has."""
    return [loss for loss in _losses.LOSSES if dtype.char in loss.entry.functions]


def narrowed(call, dtype):
    """`call` with every floating array of it in the 16-bit `dtype`, and its float32 twin holding
    the same values."""
    from test_bad_inputs import Call

    half = {role: a.astype(dtype) if isinstance(a, np.ndarray) and a.dtype.kind == "f" else a
            for role, a in call.arrays.items()}
    wide = {role: a.astype(F32) if isinstance(a, np.ndarray) and a.dtype == dtype else a for role, a in half.items()}
    return Call(half, dict(call.kwargs)), Call(wide, dict(call.kwargs))


def assert_rounded_from(loss, half_call, wide_call, dtype):
    """loss's function, and its twin where it has one, give on `half_call` the results on
    `wide_call` rounded to `dtype`, bit for bit."""
    from test_bad_inputs import arguments

    twin = loss.family.differentiable
    function = getattr(F, loss.name + ("_and_grad" if twin else ""))
    results = []
    for call in (half_call, wide_call):
        args, kwargs = arguments(loss, call)
        if not twin:
            kwargs.pop("grad_output", None)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                got = function(*args, **kwargs)
            except (ValueError, TypeError, IndexError) as error:  # data outside the loss's domain
                results.append(error)
                continue
        got = got if twin else (got, ())
        results.append([got[0], *(got[1] if isinstance(got[1], tuple) else (got[1],))])
    if any(isinstance(r, Exception) for r in results):  # the 16-bit values are checked as the float32 ones
        assert all(isinstance(r, Exception) for r in results) and type(results[0]) is type(results[1]), \
            f"{loss.name}: {results}"
        return
    if twin:  # the loss alone (the plain call's shorter way, where it takes it) is the twin's
        args, kwargs = arguments(loss, half_call)
        kwargs.pop("grad_output", None)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            alone = getattr(F, loss.name)(*args, **kwargs)
        assert np.array_equal(bits(alone, dtype), bits(results[0][0], dtype)), f"{loss.name}: {alone!r}"
    for k, (narrow, wide) in enumerate(zip(*results)):
        if narrow is None:
            assert wide is None
            continue
        assert np.array_equal(bits(narrow, dtype), bits(rounded(wide, dtype), dtype)), (
            f"{loss.name} {'loss' if k == 0 else f'gradient {k}'}: {narrow!r}, rounded float32 "
            f"{rounded(wide, dtype)!r}")


try:
    from hypothesis import given
    from hypothesis import strategies as st
except ImportError:  # the property test needs hypothesis (requirements-dev.txt)
    given = None

if given is not None:
    from test_bad_inputs import VALID

    EXPORTED = sorted({(loss.name, name) for name, dtype in HALF.items() for loss in with_export(dtype)})

    @pytest.mark.parametrize("name,dtype_name", EXPORTED, ids=[f"{n}-{d}" for n, d in EXPORTED])
    @given(data=st.data())
    def test_random_calls_keep_the_contract(name, dtype_name, data):
        """A random valid call of the loss (its family's shapes and targets), its floating data
        scaled into the 16-bit range and narrowed, with a random grad_output: the 16-bit results
        are the float32 ones on the same values, rounded once."""
        from test_bad_inputs import arguments

        loss, dtype = LOSSES[name], HALF[dtype_name]
        call = data.draw(VALID[loss.family.name](loss))
        if loss.family.differentiable:
            if call.kwargs["reduction"] == "none":
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    shape = np.shape(getattr(F, loss.name)(*arguments(loss, call)[0], reduction="none"))
                call.arrays["grad_output"] = np.asarray(data.draw(st.lists(
                    st.floats(-4, 4, width=16), min_size=int(np.prod(shape)), max_size=int(np.prod(shape)))),
                    F32).reshape(shape)
            else:
                call.kwargs["grad_output"] = float(dtype.type(data.draw(st.floats(-4, 4, width=16))))
        # (300: beyond the domain of some losses, which then refuse both calls alike)
        scale = data.draw(st.sampled_from([1.0, 2.0**-12, 300.0]))
        call.arrays = {role: a * scale if isinstance(a, np.ndarray) and a.dtype.kind == "f" and role == "input" else a
                       for role, a in call.arrays.items()}
        half_call, wide_call = narrowed(call, dtype)
        assert_rounded_from(loss, half_call, wide_call, dtype)


@pytest.mark.parametrize("dtype_name", sorted(HALF))
@pytest.mark.parametrize("n", [2047, 2048, 2049, 6151, 70001])
def test_long_inputs_keep_the_contract(n, dtype_name, restore_threads):
    """Elementwise losses with a 16-bit entry point over several staging blocks and threads,
    on data inside (0, 1), which every one of them takes."""
    from test_bad_inputs import Call

    dtype = HALF[dtype_name]
    rng = np.random.default_rng(n)
    for threads in (1, 3):
        restore_threads.set_num_threads(threads)
        for loss in with_export(dtype):
            if loss.family.plain != "values" or loss.three:
                continue
            x, t = rng.uniform(0.0625, 0.9375, n), rng.uniform(0.0625, 0.9375, n)  # (valid for every loss)
            for reduction in ("none", "mean", "sum"):
                arrays = {"input": x, "target": t}
                if "weight" in loss.parameters and loss.weight == "input_shape":
                    arrays["weight"] = rng.random(n)
                if reduction == "none":
                    arrays["grad_output"] = rng.standard_normal(n)
                call = Call(arrays, {"reduction": reduction} if reduction == "none" else
                            {"reduction": reduction, "grad_output": 0.75})
                half_call, wide_call = narrowed(call, dtype)
                assert_rounded_from(loss, half_call, wide_call, dtype)


# --- dtypes -------------------------------------------------------------------------------------

def test_promotion_follows_torch():
    """float16 with bfloat16, or either with float32, computes in float32; with float64 in
    float64; integer data takes the 16-bit dtype (torch 2.13's result types for the regression
    losses); each gradient has its own argument's dtype."""
    x, t = np.array([0.5, -1.25, 2.0]), np.array([1.0, 0.5, -0.75])
    for a, b, want in ((F16, BF16, F32), (BF16, F16, F32), (F16, F32, F32), (BF16, F32, F32),
                       (BF16, np.float64, np.float64), (F16, np.int64, F16), (BF16, np.int32, BF16)):
        loss, grad = F.mse_loss_and_grad(x.astype(a), t.astype(b))
        assert loss.dtype == want and grad.dtype == a, (a, b)
        wide = F.mse_loss(x.astype(a).astype(np.float64), t.astype(b).astype(np.float64))
        assert loss == np.asarray(wide).astype(want)
    loss, (g1, g2) = F.margin_ranking_loss_and_grad(x.astype(BF16), t.astype(F16), np.ones(3, np.int64))
    assert (loss.dtype, g1.dtype, g2.dtype) == (F32, BF16, F16)


def test_bfloat16_scalars_and_modules():
    import losscore.nn as nn

    x, t = np.array([0.5, -1.25, 2.0], BF16), np.array([1.0, 0.5, -0.75], BF16)
    loss = nn.MSELoss()(x, t)
    assert type(loss) is ml_dtypes.bfloat16 and loss == F.mse_loss(x, t)
    again, grad = nn.L1Loss(reduction="sum").loss_and_grad(x, t, grad_output=loss)  # a bfloat16 grad_output
    assert grad.dtype == BF16 and np.array_equal(grad.astype(F32), np.sign(x - t).astype(F32) * float(loss))


def test_ml_dtypes_is_optional_and_imported_only_for_bfloat16():
    """`import losscore` and float16 calls never import ml_dtypes; a bfloat16 array without it
    is a TypeError that says what to install."""
    import os
    import subprocess
    import sys

    code = """
import sys, numpy as np
import losscore.functional as F
F.mse_loss(np.ones(3, np.float16), np.zeros(3, np.float16))
assert "ml_dtypes" not in sys.modules
import ml_dtypes
x = np.ones(3, ml_dtypes.bfloat16)
sys.modules["ml_dtypes"] = None  # as if it were not installed
from losscore import _convert
_convert._BFLOAT16.clear()
try:
    F.mse_loss(x, x)
except TypeError as error:
    print(error)
"""
    root = Path(__file__).resolve().parents[1]
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "PYTHONPATH": str(root)})
    assert "losscore[bfloat16]" in out.stdout and "ml_dtypes" in out.stdout, out.stdout + out.stderr


def test_other_narrow_floats_are_refused_naming_the_argument():
    with pytest.raises(TypeError, match="input must be a floating-point array"):
        F.cross_entropy(np.zeros((2, 3), ml_dtypes.float8_e4m3fn), np.array([0, 1]))


def test_the_16_bit_entry_points_are_called_where_the_library_has_them(monkeypatch):
    """With its float32 entry point taken away, a loss with a 16-bit one still computes every
    record's call whose arrays need no summing back (the binding calls the 16-bit function)."""
    def taken_away(*arguments):
        raise AssertionError("the float32 entry point was called")

    checked = 0
    for record in RECORDS:
        loss, dtype = LOSSES[record["fn"]], HALF[record["dtype"]]
        shapes = {tuple(ref[2]) for ref in record["args"] + list(record["arrays"].values()) if isinstance(ref, list)}
        if dtype.char not in loss.entry.functions or len(shapes) != 1 or record["kwargs"]["reduction"] == "batchmean":
            continue  # (a broadcast gradient, a batchmean: the binding works in float32 there)
        with monkeypatch.context() as patch:
            patch.setitem(loss.entry.functions, "f", taken_away)
            loss_value, grads = compute(record)
            args, kwargs, _ = call_of(record)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                alone = getattr(F, record["fn"])(*args, **kwargs)  # (the plain call's way too)
        assert np.array_equal(bits(alone, dtype), bits(loss_value, dtype))
        checked += 1
    assert checked >= 24  # l1 and mse, both types, every reduction, with and without weights
