"""LossCore against PyTorch: every case of every loss in tests/data/reference_<family>.npz.

The files hold torch's values and autograd gradients (scripts/reference/generate.py writes
them and documents the format); torch itself is not needed here. Their "specials" records
(torch on special-value units) are read by test_bad_inputs.py through the loader here. One
entry of LOSSES per loss drives the checks of all its cases (one test function over every case):
  value  F.<fn>(*args, **kwargs) has the expected shape, dtype and values (NaN/Inf where
         torch has them), is an ndarray for 'none' and a 0-d value otherwise, warns where
         torch warned (target size), leaves its inputs unchanged, and the module class
         gives the same bits;
  grad   F.<fn>_and_grad(..., grad_output=...) returns the bits of F.<fn>'s loss and the
         expected gradient (the input's shape and dtype), and so does the module's
         loss_and_grad;
  both   compared with torch run in float32 too where recorded ('native', same tolerance,
         only where torch's float32 result is finite); finite where the case says
         LossCore's results are ('finite');
  refused  where torch refused the call, LossCore raises ValueError/TypeError/IndexError.

Tolerance (one scheme): |got - expected| <= RTOL[precision] * (|expected| + scale + conditioning)
entry by entry, where precision is float32 if any floating argument is float32, scale is
max|expected| over the array for reduced values and gradients (sums of many terms, and a
gradient broadcast back is a sum) and 0 for 'none' values, and conditioning is the
loss's own error scale beyond its value (LossInfo.conditioning, documented there; 0 for
most losses).
"""
from __future__ import annotations

import json
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

INF, NAN = float("inf"), float("nan")

import losscore.functional as F
import losscore.nn as nn

DATA = Path(__file__).resolve().parent / "data"
FAMILIES = ("elementwise", "class_rows", "class_margins", "sequences", "metrics", "row_tuples")
KNOWN_FORMAT = 2

# float64: LossCore and torch may round each result differently by an ulp or two and sum in
# another order; float32: LossCore accumulates in double where torch sums float32 in float32,
# and the float32 reference is the exact value rounded once (or torch's own float32 result).
RTOL = {"float64": 1e-14, "float32": 1e-6}
TINY = np.finfo(np.float32).tiny


# --- the data ---------------------------------------------------------------------------------------

def _load(family):
    with np.load(DATA / f"reference_{family}.npz", allow_pickle=False) as archive:
        index = json.loads(archive["index"].tobytes().decode("utf-8"))
        pools = {key[len("pool_"):]: archive[key] for key in archive.files if key.startswith("pool_")}
    for case in index["cases"] + index.get("specials", []):
        case["family"] = family  # where array() finds the case's pools
    return index, pools


INDEXES, POOLS = {}, {}
for _family in FAMILIES:
    INDEXES[_family], POOLS[_family] = _load(_family)
CASES = [case for family in FAMILIES for case in INDEXES[family]["cases"]]


def array(case, ref):
    """The array a reference points to (a fresh, writable copy)."""
    dtype, offset, shape = ref
    size = int(np.prod(shape, dtype=np.int64))
    return POOLS[case["family"]][dtype][offset:offset + size].reshape(shape).copy()


def results(case, key):
    """(loss, {position: gradient}) of a recorded result block: 'expected', 'native' or 'torch'."""
    block = case[key]
    return array(case, block["loss"]), {int(i): array(case, ref) for i, ref in block["grads"].items()}


def call_arguments(case):
    args = [array(case, ref) for ref in case["args"]]
    kwargs = dict(case["kwargs"])
    kwargs.update({name: array(case, ref) for name, ref in case["arrays"].items()})
    return args, kwargs


def grad_output(case):
    go = case["grad_output"]
    return array(case, go) if isinstance(go, list) else go


# --- one entry per loss -----------------------------------------------------------------------------

def _class_rows_conditioning(case, args, reduced, key):
    """log_softmax subtracts a row's log-sum-exp from its logits, and 1 - p_t cancels as
    p_t -> 1: a loss carries an absolute error of a rounding of the largest logit (at least 1,
    the scale of the probabilities) times the largest class weight; a gradient entry is a
    difference of terms of size |weight| |grad_output| (p - onehot, the smoothing term), per
    position for 'mean'."""
    w = case["arrays"].get("weight")
    weight = max(1.0, float(np.abs(array(case, w)).max())) if w is not None else 1.0
    if key == "grad":
        go = grad_output(case)
        go = 1.0 if go is None else float(np.abs(go).max()) if np.size(go) else 0.0
        positions = max(1, np.size(args[0]) // args[0].shape[0 if args[0].ndim == 1 else 1]) if args[0].size else 1
        return weight * go / (positions if reduction(case["kwargs"]) == "mean" else 1)
    finite = np.abs(args[0][np.isfinite(args[0])])
    return weight * max(1.0, float(finite.max()) if finite.size else 1.0)


def _logits_conditioning(case, args, reduced, key):
    """torch's own form (1 - y) x - L log_sigmoid(x) (also inside torchvision's focal loss)
    cancels large terms (e.g. -20 + 20.000000002 at x = -20, y = 0), so even its float64 loss
    is off by about eps |w| |x| (1 + L) per element where LossCore's rearranged form is
    accurate. Loss values only."""
    if key != "loss":
        return 0.0
    x = np.abs(args[0].astype(np.float64))
    if x.size == 0:
        return 0.0
    arrays = case["arrays"]
    w = np.abs(array(case, arrays["weight"])) if "weight" in arrays else 1.0
    pw = np.abs(array(case, arrays["pos_weight"])) if "pos_weight" in arrays else 1.0
    cond = np.broadcast_to(w * x * (2 + pw), x.shape)
    if not reduced:
        return cond
    return cond.sum() / (x.size if reduction(case["kwargs"]) == "mean" else 1)


def _margin_conditioning(case, args, reduced, key):
    """The library rounds the margin m = y x to the computation's type before exp, whose
    relative error then carries into log(1 + exp(-m)) as |m| sigmoid(-m) per element (the
    float64 reference takes the exact product). Loss values only: a gradient's tolerance
    already scales with its largest element."""
    if key != "loss":
        return 0.0
    x = args[0].astype(np.float64)
    if x.size == 0:
        return 0.0
    with np.errstate(over="ignore", invalid="ignore"):
        m = np.abs(x * args[1].astype(np.float64))
        cond = np.nan_to_num(m / (1 + np.exp(np.minimum(m, 700))))
        if not reduced:
            return cond
        return cond.sum() / (cond.size if reduction(case["kwargs"]) == "mean" else 1)


def _ctc_conditioning(case, args, reduced, key):
    """The forward-backward rounds once per frame in log space, where the alphas and betas grow
    to the size of the loss: a sample's loss carries an absolute error of a rounding of |loss|
    per frame (T of them), and its gradient, exp(alpha + beta + loss - x), a relative error of
    a rounding of |alpha| + |beta| + |loss| ~ 3 |loss| per frame, times |grad_output| (per
    target length and sample for 'mean')."""
    x = args[0]
    if x.size == 0:
        return 0.0
    frames = x.shape[0]
    losses = np.abs(F.ctc_loss(*args, **{**case["kwargs"], "reduction": "none"}).astype(np.float64))
    losses = np.nan_to_num(losses, posinf=0.0)
    if key == "loss":
        cond = frames * np.maximum(losses, 1.0)
        if not reduced:
            return cond
        return float(cond.sum()) / (cond.size if reduction(case["kwargs"]) == "mean" else 1)
    go = grad_output(case)
    go = 1.0 if go is None else float(np.abs(go).max()) if np.size(go) else 0.0
    return 3 * frames * float(np.maximum(losses, 1.0).max()) * go


def _cosine_conditioning(case, args, reduced, key):
    """A loss of 1 - cos or cos - margin is known to a rounding of cos (|cos| <= 1) however
    small it is: an absolute error scale of 1 per row for the loss values. Gradients already
    scale with their largest element."""
    return 1.0 if key == "loss" else 0.0


def _terms_conditioning(terms):
    """The conditioning of a loss whose terms cancel (e^x - y x, y log y - y x): per element the
    sum of the terms' magnitudes, `terms(x, y, kwargs)` on input and target broadcast together,
    each term carrying its own rounding. Loss values only: a gradient's tolerance already
    scales with its largest element."""
    def conditioning(case, args, reduced, key):
        if key != "loss" or args[0].size == 0:
            return 0.0
        x, y = np.broadcast_arrays(args[0].astype(np.float64), args[1].astype(np.float64))
        with np.errstate(all="ignore"):
            cond = np.nan_to_num(terms(x, y, case["kwargs"]), nan=0.0, posinf=0.0)
        if not reduced:
            return cond
        how = reduction(case["kwargs"])
        divisor = (x.size if how == "mean" else args[0].shape[0] if how == "batchmean" and args[0].ndim else 1)
        return cond.sum() / max(divisor, 1)
    return conditioning


def _kl_terms(x, y, kwargs):
    if kwargs.get("log_target"):
        return np.exp(y) * (np.abs(y) + np.abs(x))
    return np.abs(np.where(y > 0, y * np.log(np.abs(y)), 0)) + np.abs(y * x)


def _poisson_terms(x, y, kwargs):
    if kwargs.get("log_input", True):
        terms = np.exp(x) + np.abs(y * x)
    else:
        terms = np.abs(x) + np.abs(y * np.log(np.abs(x + kwargs.get("eps", 1e-8))))
    if kwargs.get("full"):
        terms = terms + np.where(y > 1, np.abs(y * np.log(y)) + y + np.abs(0.5 * np.log(2 * np.pi * y)), 0)
    return terms


@dataclass(frozen=True)
class LossInfo:
    """What the reference test needs to know about a loss beyond its cases.

    module        the nn class with the same options (None: no module); module_arrays: the
                  array options it takes (a case with others has no module form)
    conditioning  f(case, args, reduced, 'loss' | 'grad') -> the loss's error scale beyond its
                  value, as explained in each function's doc
    limits        {unit: answer}: where LossCore deliberately differs from torch on the family's
                  special-value units (test_bad_inputs.py), its answer, in torch's format:
                  the true limit where torch's formula gives NaN (inf - inf, 0 * inf, inf / inf)
    """
    family: str
    module: type | None = None
    module_arrays: tuple = ()
    conditioning: object = None
    limits: dict | None = None


LOSSES = {
    "l1_loss": LossInfo("elementwise", nn.L1Loss),
    "mse_loss": LossInfo("elementwise", nn.MSELoss),
    "smooth_l1_loss": LossInfo("elementwise", nn.SmoothL1Loss),
    "huber_loss": LossInfo("elementwise", nn.HuberLoss),
    "binary_cross_entropy": LossInfo("elementwise", nn.BCELoss, ("weight",)),
    # -w y log(sigmoid(-inf)) is +inf where torch's (1 - y) x + softplus(-x) is -inf + inf.
    "binary_cross_entropy_with_logits": LossInfo("elementwise", nn.BCEWithLogitsLoss, ("weight", "pos_weight"),
                                                 conditioning=_logits_conditioning, limits={2: [INF, -0.25]}),
    "sigmoid_focal_loss": LossInfo("elementwise", nn.SigmoidFocalLoss, conditioning=_logits_conditioning,
                                   limits={2: [INF, NAN]}),
    # At a margin y x of -inf the gradient -y sigmoid(-y x) is -y; torch's -y z / (1 + z) with
    # z = exp(inf) is inf / inf.
    "soft_margin_loss": LossInfo("elementwise", nn.SoftMarginLoss, conditioning=_margin_conditioning,
                                 limits={2: [INF, -0.25], 5: [INF, INF], 8: [INF, -INF], 9: [INF, INF]}),
    "hinge_embedding_loss": LossInfo("elementwise", nn.HingeEmbeddingLoss),
    "kl_div": LossInfo("elementwise", nn.KLDivLoss, conditioning=_terms_conditioning(_kl_terms)),
    "poisson_nll_loss": LossInfo("elementwise", nn.PoissonNLLLoss, conditioning=_terms_conditioning(_poisson_terms)),
    "margin_ranking_loss": LossInfo("elementwise", nn.MarginRankingLoss),
    "gaussian_nll_loss": LossInfo("elementwise", nn.GaussianNLLLoss),
    "cross_entropy": LossInfo("class_rows", nn.CrossEntropyLoss, ("weight",), conditioning=_class_rows_conditioning),
    "nll_loss": LossInfo("class_rows", nn.NLLLoss, ("weight",), conditioning=_class_rows_conditioning),
    # The gradient of a row holding -inf is finite; autograd's product rule makes 0 * -inf.
    "focal_loss": LossInfo("class_rows", nn.FocalLoss, ("weight",), conditioning=_class_rows_conditioning,
                           limits={2: [0.7018683034113848, 0.0, -0.7682347231993177, 0.7682347231993177],
                                   3: [INF, 0.2689414213699951, -1.0, 0.7310585786300049]}),
    "ctc_loss": LossInfo("sequences", nn.CTCLoss, conditioning=_ctc_conditioning),
    "multi_margin_loss": LossInfo("class_margins", nn.MultiMarginLoss, ("weight",)),
    "multilabel_margin_loss": LossInfo("class_margins", nn.MultiLabelMarginLoss),
    "multilabel_soft_margin_loss": LossInfo("class_margins", nn.MultiLabelSoftMarginLoss, ("weight",)),
    "zero_one_loss": LossInfo("metrics"),
    "triplet_margin_loss": LossInfo("row_tuples", nn.TripletMarginLoss),
    # 1 - cos cancels where cos is near 1: the loss carries cos's rounding (about 1 ulp of 1).
    "cosine_embedding_loss": LossInfo("row_tuples", nn.CosineEmbeddingLoss, conditioning=_cosine_conditioning),
    "triplet_margin_with_distance_loss": LossInfo("row_tuples", nn.TripletMarginWithDistanceLoss),
}


# --- comparing ----------------------------------------------------------------------------------------

def reduction(kwargs) -> str:
    """The reduction a call asks for, with torch's rule for the deprecated size_average / reduce."""
    if "size_average" in kwargs or "reduce" in kwargs:
        if kwargs.get("reduce") is False:
            return "none"
        return "sum" if kwargs.get("size_average") is False else "mean"
    return kwargs.get("reduction", "mean")


def precision(case) -> str:
    """float32 if any floating argument is float32 or narrower (torch may round an intermediate
    in float32 before promoting, e.g. |x32 - t32| * w64)."""
    refs = list(case["args"]) + list(case["arrays"].values())
    floats = [np.dtype(ref[0]) for ref in refs if np.dtype(ref[0]).kind == "f"]
    return "float32" if any(d.itemsize <= 4 for d in floats) else "float64"


def excess(actual, expected, reduced, conditioning, rtol):
    """|actual - expected| / bound over the finite expected entries (<= 1 passes)."""
    a, e = np.asarray(actual, np.float64), np.asarray(expected, np.float64)
    finite = np.isfinite(e)
    cond = np.broadcast_to(np.asarray(conditioning, np.float64), e.shape)[finite]
    a, e = a[finite], e[finite]
    scale = np.abs(e).max() if reduced and e.size else 0.0
    return np.abs(a - e) / (rtol * (np.abs(e) + scale + cond) + TINY)


def assert_reference(actual, expected, what, *, reduced, rtol, conditioning=0.0, where_finite=False):
    """actual has expected's shape and dtype, NaN and +-Inf where it has them, and close finite
    values. where_finite: only the entries where expected is finite are compared."""
    actual = np.asarray(actual)
    assert actual.shape == expected.shape, f"{what}: shape {actual.shape} != expected {expected.shape}"
    assert actual.dtype == expected.dtype, f"{what}: dtype {actual.dtype} != expected {expected.dtype}"
    a, e = actual.astype(np.float64), expected.astype(np.float64)
    if not where_finite:
        nan_a, nan_e = np.isnan(a), np.isnan(e)
        assert np.array_equal(nan_a, nan_e), (
            f"{what}: NaN at {np.argwhere(nan_a != nan_e).tolist()[:5]} differs "
            f"(got {a[nan_a != nan_e][:5]}, expected {e[nan_a != nan_e][:5]})")
        inf_e = np.isinf(e)
        assert np.array_equal(a[inf_e], e[inf_e]), f"{what}: Inf entries differ: got {a[inf_e]}, expected {e[inf_e]}"
    finite = np.isfinite(e)
    assert np.all(np.isfinite(a[finite])), f"{what}: got non-finite {a[finite][~np.isfinite(a[finite])][:5]}"
    ratio = excess(a, e, reduced, conditioning, rtol)
    if ratio.size:
        worst = int(np.argmax(ratio))
        assert ratio[worst] <= 1, (
            f"{what}: got {a[finite][worst]!r}, expected {e[finite][worst]!r} "
            f"({ratio[worst]:.3g} x the bound; {int((ratio > 1).sum())} of {ratio.size} entries off)")


def _run(function, args, kwargs):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = function(*args, **kwargs)
    return result, [str(w.message) for w in caught if issubclass(w.category, UserWarning)]


def _check_warnings(case, messages):
    torch_warned = any("target size" in message for message in case["warnings"])
    ours = any("target size" in message for message in messages)
    assert ours == torch_warned, (f"torch {'warns' if torch_warned else 'does not warn'} that the target size "
                                  f"differs from the input size; LossCore's warnings: {messages}")


def _module(case, info):
    """The module instance equivalent to the call, or None."""
    if info.module is None or not set(case["arrays"]) <= set(info.module_arrays):
        return None
    args, kwargs = call_arguments(case)
    return info.module(**kwargs)


class Check:
    """The comparisons of one case."""

    def __init__(self, case):
        self.case, self.info = case, LOSSES[case["fn"]]
        self.args, self.kwargs = call_arguments(case)
        self.reduced = reduction(case["kwargs"]) != "none"
        self.rtol = RTOL[precision(case)]
        self.where_finite = "where_torch_finite" in case["flags"]
        self.label = f"{case['fn']} [{case['id']}]"

    def conditioning(self, key, reduced):
        f = self.info.conditioning
        return 0.0 if f is None else f(self.case, self.args, reduced, key)

    def loss(self, got, want, what, rtol=None, where_finite=None):
        assert_reference(got, want, f"{what} of {self.label}", reduced=self.reduced, rtol=rtol or self.rtol,
                         conditioning=self.conditioning("loss", self.reduced),
                         where_finite=self.where_finite if where_finite is None else where_finite)

    def grad(self, got, want, what, rtol=None, where_finite=None):
        assert isinstance(got, np.ndarray), f"{what} of {self.label} is a {type(got)}, not an ndarray"
        assert_reference(got, want, f"{what} of {self.label}", reduced=True, rtol=rtol or self.rtol,
                         conditioning=self.conditioning("grad", True),
                         where_finite=self.where_finite if where_finite is None else where_finite)

    def result_type(self, loss, want):
        if self.reduced:
            assert np.ndim(loss) == 0 and isinstance(loss, (np.generic, np.ndarray)), (
                f"{self.label}: a reduced loss must be a 0-d numpy value, got {type(loss)} {np.shape(loss)}")
        else:
            assert isinstance(loss, np.ndarray) and loss.shape == want.shape, (
                f"{self.label}: 'none' must return an ndarray of shape {want.shape}, got {type(loss)}")

    def finite(self, *values):
        if "finite" in self.case["flags"]:
            for value in values:
                assert np.all(np.isfinite(value)), f"{self.label}: LossCore's results must be finite here: {value}"


def check_value(case):
    c = Check(case)
    snapshot = [a.copy() for a in c.args]
    loss, messages = _run(getattr(F, case["fn"]), c.args, c.kwargs)
    want, _ = results(case, "expected")
    c.result_type(loss, want)
    c.loss(loss, want, "loss")
    _check_warnings(case, messages)
    for before, after in zip(snapshot, c.args):  # inputs are not modified
        np.testing.assert_array_equal(before, after)
    c.finite(loss)
    if "native" in case:  # what a float32 torch user gets; torch's float32 NaNs are its own
        c.loss(loss, results(case, "native")[0], "loss vs torch in float32", rtol=RTOL["float32"], where_finite=True)
    module = _module(case, c.info)
    if module is not None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            np.testing.assert_array_equal(module(*c.args), loss, err_msg=f"module {module!r} of {c.label}")


def check_grad(case):
    c = Check(case)
    go = grad_output(case)
    extra = {} if go is None else {"grad_output": go}
    fused, messages = _run(getattr(F, case["fn"] + "_and_grad"), c.args, {**c.kwargs, **extra})
    assert isinstance(fused, tuple) and len(fused) == 2, f"expected (loss, grad), got {type(fused)}"
    loss, grads = fused
    want_loss, want_grads = results(case, "expected")
    c.result_type(loss, want_loss)
    c.loss(loss, want_loss, "loss of _and_grad")
    _check_warnings(case, messages)
    alone, _ = _run(getattr(F, case["fn"]), c.args, c.kwargs)
    np.testing.assert_array_equal(loss, alone, err_msg=f"the fused loss is the loss alone, bit for bit: {c.label}")
    if sorted(want_grads) == [0] and not isinstance(grads, tuple):
        grads = {0: grads}
    else:
        assert isinstance(grads, tuple), f"expected a tuple of gradients, got {type(grads)}"
        grads = dict(zip(gradient_positions(case["fn"]), grads))
    for i, want in want_grads.items():
        c.grad(grads[i], want, f"gradient w.r.t. argument {i}")
    c.finite(loss, *(g for g in grads.values() if g is not None))
    if "native" in case:
        native_loss, native_grads = results(case, "native")
        for i, want in native_grads.items():
            c.grad(grads[i], want, f"gradient {i} vs torch in float32", rtol=RTOL["float32"], where_finite=True)
    module = _module(case, c.info)
    if module is not None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            module_loss, module_grad = module.loss_and_grad(*c.args, grad_output=go)
        np.testing.assert_array_equal(module_loss, loss, err_msg=f"module loss of {c.label}")
        module_grads = (dict(zip(gradient_positions(case["fn"]), module_grad)) if isinstance(module_grad, tuple)
                        else {0: module_grad})
        for i, grad in grads.items():
            np.testing.assert_array_equal(module_grads[i], grad, err_msg=f"module gradient {i} of {c.label}")


def gradient_positions(name) -> list:
    """The positional arguments whose gradients a loss's _and_grad returns, in its tuple's order:
    the first and the other differentiable one of a loss of three elementwise operands (input
    and var are arguments 0 and 2), else the operands in order."""
    from losscore import _losses
    loss = next(loss for loss in _losses.LOSSES if loss.name == name)
    return [loss.names.index(g) for g in loss.gradients] if loss.three else list(range(max(2, len(loss.operands))))


def check_refused(case):
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


CHECKS = {"value": check_value, "grad": check_grad, "refused": check_refused}


def _modes(case):
    if case["error"] is not None:
        return ["refused"]
    return ["value", "grad"] if case["expected"]["grads"] else ["value"]


PARAMS = [(case, mode) for case in CASES for mode in _modes(case)]


@pytest.mark.parametrize("case,mode", PARAMS, ids=[f"{case['id']}::{mode}" for case, mode in PARAMS])
def test_reference(case, mode):
    CHECKS[mode](case)


# --- the data files ---------------------------------------------------------------------------------

@pytest.mark.parametrize("family", FAMILIES)
def test_reference_file_format(family):
    index = INDEXES[family]
    assert index["format"] == KNOWN_FORMAT and index["family"] == family
    assert index["torch_version"].split(".")[0] == "2"
    assert (DATA / f"reference_{family}.npz").stat().st_size < 1024 * 1024, "keep each reference file under 1 MB"


def test_reference_ids_are_unique_and_every_loss_is_described():
    ids = [case["id"] for case in CASES]
    assert len(ids) == len(set(ids))
    assert {case["fn"] for case in CASES} == set(LOSSES)
    for case in CASES:
        assert LOSSES[case["fn"]].family == case["family"], case["id"]
    for name in LOSSES:
        assert hasattr(F, name), f"LOSSES describes {name}, which losscore.functional lacks"


def _losses_by_name():
    from losscore import _losses
    return {loss.name: loss for loss in _losses.LOSSES}


def test_every_loss_of_the_package_has_reference_cases():
    from losscore import _losses
    missing = [loss.name for loss in _losses.LOSSES if loss.name not in LOSSES]
    assert not missing, f"losses without an entry in LOSSES (and reference cases): {missing}"


@pytest.mark.parametrize("name", sorted(LOSSES))
def test_reference_covers_dtypes_and_reductions(name):
    computed = [c for c in CASES if c["fn"] == name and c["error"] is None]
    assert {precision(c) for c in computed} == {"float32", "float64"}
    extra = {"batchmean"} if _losses_by_name()[name].batchmean else set()
    assert {reduction(c["kwargs"]) for c in computed} == {"none", "mean", "sum"} | extra
    # (an empty input computed, or refused where torch refuses it: its CTC)
    assert any(0 in np.shape(array(c, c["args"][0])) for c in CASES if c["fn"] == name), f"{name}: no empty input"
    if any(c["expected"]["grads"] for c in computed):
        assert hasattr(F, name + "_and_grad")
        assert any(c["grad_output"] is None for c in computed), f"{name}: torch's default grad_output"
        assert any(isinstance(c["grad_output"], float) for c in computed), f"{name}: a scalar grad_output"
        assert any(isinstance(c["grad_output"], list) for c in computed), f"{name}: an array grad_output"


def test_reference_class_rows_coverage():
    rows = [c for c in CASES if c["family"] == "class_rows"]
    assert {c["group"] for c in rows} == {"basic", "all_ignored", "empty", "extreme", "special", "zero_weight",
                                          "lanes"}
    kinds = {(c["fn"], c["args"][1][0].startswith("float")) for c in rows}
    assert kinds == {("cross_entropy", False), ("cross_entropy", True), ("nll_loss", False), ("focal_loss", False)}
    assert {len(c["args"][0][2]) for c in rows} == {1, 2, 3, 4}
    assert {c["kwargs"]["gamma"] for c in rows if c["fn"] == "focal_loss"} == {0.0, 0.5, 1.0, 2.0, 5.0}
    assert {c["kwargs"]["label_smoothing"] for c in rows if c["fn"] == "cross_entropy"} == {0.0, 0.1, 1.0}
    # ignore_index inside [0, C) with positions actually ignored, next to real targets
    assert any(c["kwargs"].get("ignore_index") == 2 and c["group"] == "basic" and len(c["args"][0][2]) > 1
               and np.any(array(c, c["args"][1]) == 2) and np.any(array(c, c["args"][1]) != 2) for c in rows)
    assert any(c["kwargs"]["reduction"] == "none" and len(c["args"][0][2]) >= 3 and c["args"][0][2][2] >= 16
               for c in rows), "K-dim inputs with a full run of sixteen positions"


def test_reference_binary_coverage():
    binary = [c for c in CASES if c["fn"] in ("binary_cross_entropy", "binary_cross_entropy_with_logits",
                                              "sigmoid_focal_loss")]
    assert any("pos_weight" in c["arrays"] and len(c["arrays"]["pos_weight"][2]) >= 2 for c in binary)
    saturated = [c for c in binary if c["source"] == "mpmath"]
    assert saturated, "the saturated focal cases, where the reference is exact and not torch's"
    # torch's autograd is NaN there for gamma = 0.5 (inf * 0 through (1 - p_t) ** 0.5); the true
    # limit is finite and LossCore must return it (the 'finite' flag)
    half = [c for c in saturated if c["kwargs"]["gamma"] == 0.5]
    assert half and all(np.isnan(results(c, "torch")[1][0]).any() for c in half)
    assert all("finite" in c["flags"] for c in saturated)


def test_reference_records_refusals_and_warnings():
    assert sum(c["error"] is not None for c in CASES) >= 20
    assert any("target size" in m for c in CASES for m in c["warnings"])


def _parameters(function):
    import inspect

    return [[p.name, None if p.default is inspect.Parameter.empty else repr(p.default)]
            for p in inspect.signature(function).parameters.values()]


SIGNATURES = {name: sig for index in INDEXES.values() for name, sig in index["signatures"].items()}


@pytest.mark.parametrize("name", sorted(n for n in SIGNATURES if hasattr(F, n)))
def test_functional_signature_matches_torch(name):
    assert _parameters(getattr(F, name)) == SIGNATURES[name]
    # the _and_grad variant: the same parameters, then grad_output=None
    assert _parameters(getattr(F, name + "_and_grad")) == SIGNATURES[name] + [["grad_output", "None"]]


@pytest.mark.parametrize("name", sorted(n for n in SIGNATURES if hasattr(nn, n)))
def test_module_signature_matches_torch(name):
    # The deprecated size_average / reduce are kept so that positional calls mean what they mean in torch.
    assert _parameters(getattr(nn, name).__init__) == SIGNATURES[name]
