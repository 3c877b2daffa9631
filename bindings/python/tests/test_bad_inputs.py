"""Bad input, category by category, for every loss of losscore.functional, its _and_grad twin
and its nn module call.

Contract: a call either gives torch's answer (values, dtype, shape, NaN and Inf where torch has
them) or raises ValueError / TypeError / IndexError whose message names the argument at fault;
no other exception escapes, and the caller's arrays are never modified.

The matrix is driven by the loss descriptions (_losses.LOSSES), so a new loss is covered
without an edit here. hypothesis draws a valid call of the loss's family; each category turns
it into bad variants, each with what torch does, decided in one of three ways:
  Refused   torch refuses it (or has no such thing: masked arrays, strings, complex
            losses), so LossCore must raise naming the argument;
  SameAs    torch computes the same thing as a well-formed call (a strided or big-endian or
            read-only copy, promoted dtypes, a broadcast), so LossCore must return that
            call's bits (that call is compared with torch by test_reference.py);
  Values    torch's values, from the reference data (NaN, Inf, out-of-range data: see
            torch_specials) or from the rule for empty input (mean NaN, sum 0).
Where LossCore deliberately differs from torch, the variant says so (comments marked
DISAGREE), and on special values the loss's `limits` in test_reference.LOSSES give its answer.
"""
from __future__ import annotations

import ctypes
import math
import warnings
from dataclasses import dataclass, field, replace

import numpy as np
import pytest

import losscore.functional as F
import losscore.nn as nn
from losscore._losses import LOSSES
from test_reference import INDEXES, array, results
from test_reference import LOSSES as REFERENCE_LOSSES

try:
    from numpy.lib.array_utils import byte_bounds
except ImportError:  # numpy < 2
    from numpy import byte_bounds

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from hypothesis.extra import numpy as hnp  # noqa: E402

ALLOWED = (ValueError, TypeError, IndexError)
F16, F32, F64, I64 = (np.dtype(d) for d in ("float16", "float32", "float64", "int64"))
REDUCTIONS = ("none", "mean", "sum")
# A quarter of the profile's examples per (loss, category): the matrix has ~200 of them.
EXAMPLES = settings(max_examples=max(4, settings().max_examples // 4))

NAN, INF = math.nan, math.inf

# --- torch's answers on special values --------------------------------------------------------
# From the "specials" records of the reference data (scripts/reference/generate.py derives them
# for every loss with reference cases, from the units its family declares, per loss where the
# family's losses take different targets): torch in float64 on each unit alone, a unit being
# the (input, target) of a one-element (elementwise) or one-row (class rows, class margins,
# metrics) call holding NaN, +-Inf or out-of-range data. An answer is
# [loss with reduction='none', then d(sum of losses)/d input], or None where torch refuses.

def data_family(loss) -> str:
    return loss.family.name.replace(" ", "_")


def _read_specials():
    """({loss name: [its positional arrays by unit]}, {loss name: [answer by unit]}): a unit's
    (input, target), or the loss's call on it (row tuples, three elementwise operands)."""
    units, answers = {}, {}
    for family, index in INDEXES.items():
        for record in index.get("specials", []):
            unit = record["unit"]
            units.setdefault(record["fn"], {})[unit] = tuple(array(record, ref) for ref in record["args"])
            answer = None
            if record["error"] is None:
                loss, grads = results(record, "expected")
                answer = loss.ravel().tolist() + (grads[0].ravel().tolist() if grads else [])
            answers.setdefault(record["fn"], {})[unit] = answer
    return ({name: [by_unit[u] for u in sorted(by_unit)] for name, by_unit in units.items()},
            {name: [by_unit[u] for u in sorted(by_unit)] for name, by_unit in answers.items()})


SPECIAL_UNITS, TORCH_ANSWERS = _read_specials()


def torch_specials(loss):
    """The units of the loss (its family's) and torch's answers for the loss; fails naming what
    is missing (the answers come with the loss's reference cases)."""
    family = data_family(loss)
    units, answers = SPECIAL_UNITS.get(loss.name, []), TORCH_ANSWERS.get(loss.name, [])
    if not units or len(answers) != len(units):
        pytest.fail(f"{loss.name}: no torch answers on the special-value units in tests/data/reference_{family}.npz; "
                    f"give it reference cases in scripts/reference/cases_{family}.py and run "
                    "scripts/reference/generate.py", pytrace=False)
    return units, answers


def limits(loss) -> dict:
    """LossCore's deliberate answers on special units where torch's formula gives NaN: the
    loss's `limits` in test_reference.LOSSES (its test entry)."""
    return REFERENCE_LOSSES[loss.name].limits or {}


def special_answer(loss, index):
    return limits(loss).get(index, torch_specials(loss)[1][index])


@pytest.mark.parametrize("loss", LOSSES, ids=[loss.name for loss in LOSSES])
def test_every_loss_has_torch_answers_on_special_values(loss):
    units, answers = torch_specials(loss)
    for unit, ours in limits(loss).items():  # a unit named there is one torch answers otherwise
        assert unit < len(units) and not np.array_equal(answers[unit], ours, equal_nan=True), (
            f"{loss.name}: its limits name unit {unit}, where torch answers {answers[unit]}")


# --- calls --------------------------------------------------------------------------------------

@dataclass
class Call:
    """The arguments of one call: `arrays` by role ('input', 'target', 'weight', 'pos_weight',
    'grad_output'; passed under the loss's own names; for the row-tuple losses 'input', 'target'
    and 'third' are their operands in order) and the other keyword arguments."""
    arrays: dict
    kwargs: dict = field(default_factory=dict)

    def put(self, role, value) -> "Call":
        return replace(self, arrays={**self.arrays, role: value})

    def set(self, **kwargs) -> "Call":
        return replace(self, kwargs={**self.kwargs, **kwargs})

    def drop(self, role) -> "Call":
        return replace(self, arrays={k: v for k, v in self.arrays.items() if k != role})


# The roles of the positional arrays: the operands of a row-tuple loss, else input and target.
POSITIONAL = ("input", "target", "third")


def positional(loss):
    """The roles of the loss's positional arrays (a pair loss's target is its 'third'; a sequence
    loss's lengths after input and target)."""
    return POSITIONAL[:len(loss.names)] + loss.more


def row_target(loss):
    """Whether the loss is a row-tuple loss with a per-row target (its 'third' role)."""
    return bool(loss.operands) and "target" in loss.parameters


def arguments(loss, call):
    """(positional, keyword) arguments of the loss's function for `call` (a sequence loss's
    lengths are positional too)."""
    arrays = dict(call.arrays)
    args = [arrays.pop(role) for role in positional(loss)]
    return args, {**arrays, **call.kwargs}


def callers(loss):
    """{label: run(call)} for the public ways to compute `loss`: the function, the _and_grad
    twin (the only one given grad_output) and the module (options to its constructor, arrays
    to its call; None where the call has an argument its constructor lacks)."""
    def function(call):
        args, kwargs = arguments(loss, call)
        kwargs.pop("grad_output", None)
        return getattr(F, loss.name)(*args, **kwargs)

    def twin(call):
        args, kwargs = arguments(loss, call)
        return getattr(F, loss.name + "_and_grad")(*args, **kwargs)

    def module(call):
        args, kwargs = arguments(loss, call)
        kwargs.pop("grad_output", None)
        if not set(kwargs) <= set(loss.module_parameters):
            return NotImplemented
        return getattr(nn, loss.module)(**kwargs)(*args)

    made = {"function": function}
    if loss.family.differentiable:
        made["twin"] = twin
    if loss.module:
        made["module"] = module
    return made


def memory(array) -> bytes:
    """The bytes of the memory an array views (once each, however it strides over them)."""
    low, high = byte_bounds(array)
    return ctypes.string_at(low, high - low)


def snapshot(call):
    """The memory of every array the caller passes (data and mask), to compare after the call."""
    saved = {}
    for role, value in call.arrays.items():
        if isinstance(value, np.ndarray):
            mask = memory(np.ma.getmaskarray(value)) if isinstance(value, np.ma.MaskedArray) else b""
            saved[role] = (value.dtype, value.shape, value.strides, memory(np.asarray(value)), mask)
    return saved


def outcome(run, call):
    """run(call)'s result or exception; fails if any other exception type escapes or an
    argument array changed."""
    before = snapshot(call)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch's warnings are checked by test_reference.py
        try:
            result = run(call)
        except ALLOWED as error:
            result = error
        except BaseException as error:  # noqa: BLE001 - any other type is the failure reported
            pytest.fail(f"{type(error).__name__} escaped: {error}")
    assert snapshot(call) == before, "the call modified an argument array"
    return result


# --- what torch does ----------------------------------------------------------------------------

@dataclass
class Refused:
    """torch refuses: one of `types`, naming one of `names`."""
    names: tuple
    types: tuple = ALLOWED


@dataclass
class SameAs:
    """torch computes `call`: the same bits, the loss in `loss_dtype` and the gradient in
    `grad_dtype` and of `grad_shape` (default: those of `call`'s results), the loss of
    `loss_shape` for 'none'."""
    call: Call
    loss_dtype: np.dtype = None
    grad_dtype: np.dtype = None
    loss_shape: tuple = None
    grad_shape: tuple = None
    grad2_shape: tuple = None  # the other gradient's (a loss of three elementwise operands)
    grad2_dtype: np.dtype = None


@dataclass
class Values:
    """torch's float64 values: loss (scalar or 'none' array) and gradient (None: not given)."""
    loss: np.ndarray
    grad: np.ndarray = None
    dtype: np.dtype = F64


@dataclass
class Either:
    """An option value torch takes or refuses depending on its domain: the result of `call`
    (the option as a float) or an error naming the option."""
    call: Call
    name: str


@dataclass
class Variant:
    label: str
    call: Call
    expect: object
    only: tuple = ()  # callers it applies to (empty: all)


def bits(value) -> tuple:
    array = np.asarray(value)
    return array.dtype, array.shape, np.ascontiguousarray(array).tobytes()


def flat(result) -> list:
    """[loss, gradients...] of a result: (loss, grad), (loss, (grad, grad2, ...)) or the loss."""
    if not isinstance(result, tuple):
        return [result]
    loss, grads = result
    return [loss, *(grads if isinstance(grads, tuple) else (grads,))]


def check_same(got, want, expect: SameAs, label, three=False):
    """got has want's bits, in the expected dtypes and shapes. A row-tuple loss's gradients
    compare as one stacked array; a loss of three elementwise operands' (`three`) one by one,
    the second in the equivalent call's dtype and shape unless grad2_dtype / grad2_shape say."""
    if three:
        got, want = flat(got), flat(want)
        assert len(got) == len(want), f"{label}: {len(got)} results where the equivalent call gives {len(want)}"
    else:
        got, want = (got, want) if isinstance(want, tuple) else ([got], [want])
    for k, (g, w) in enumerate(zip(got, want)):
        if w is None:
            assert g is None, f"{label}: result {k} is {g!r} where the equivalent call gives None"
            continue
        w = np.asarray(w)
        dtype = (expect.loss_dtype, expect.grad_dtype, expect.grad2_dtype)[min(k, 2)] or w.dtype
        shape = (expect.loss_shape, expect.grad_shape, expect.grad2_shape)[min(k, 2)]
        if shape is not None and w.ndim:
            w = w.reshape(shape)
        with np.errstate(over="ignore"):  # a float32 value beyond float16 becomes inf, as LossCore's
            w = w.astype(dtype)
        assert bits(g) == bits(w), (
            f"{label}: {('loss', 'gradient', 'other gradient')[min(k, 2)]} {np.asarray(g)!r} differs from the "
            f"equivalent call's {w!r}")


def close(got, want, dtype, what):
    """got (of `dtype`) is want: NaN and +-Inf where want has them, finite values within the
    rounding of `dtype` relative to the largest |want|."""
    got, want = np.asarray(got), np.asarray(want, np.float64)
    assert got.dtype == dtype and got.shape == want.shape, f"{what}: got {got.dtype}{got.shape}, want {dtype}{want.shape}"
    g = got.astype(np.float64)
    assert np.array_equal(np.isnan(g), np.isnan(want)), f"{what}: NaN at other places: got {g}, torch {want}"
    infinite = np.isinf(want)
    assert np.array_equal(g[infinite], want[infinite]), f"{what}: Inf differs: got {g}, torch {want}"
    finite = np.isfinite(want)
    scale = np.abs(want[finite]).max() if finite.any() else 0.0
    tolerance = (1e-6 if dtype.itemsize <= 4 else 1e-12) * (scale + np.abs(want[finite])) + 1e-300
    assert np.all(np.abs(g[finite] - want[finite]) <= tolerance), f"{what}: got {g}, torch {want}"


def check(loss, variant):
    for label, run in callers(loss).items():
        if variant.only and label not in variant.only:
            continue
        name = f"{loss.name} {label} [{variant.label}]"
        got = outcome(run, variant.call)
        if got is NotImplemented:
            continue
        expect = variant.expect
        if isinstance(got, Exception):
            names = expect.names if isinstance(expect, Refused) else (expect.name,) if isinstance(expect, Either) else ()
            types = expect.types if isinstance(expect, Refused) else (TypeError, ValueError)
            assert names, f"{name}: raised {type(got).__name__}({got}) where torch gives a value"
            assert isinstance(got, types), f"{name}: raised {type(got).__name__}({got}), expected one of {types}"
            assert any(n.lower() in str(got).lower() for n in names), (
                f"{name}: {type(got).__name__}({got!s}) names none of {names}")
            continue
        assert not isinstance(expect, Refused), f"{name}: returned {got!r} where torch refuses"
        if isinstance(expect, Values):
            loss_value = got[0] if label == "twin" else got
            close(loss_value, expect.loss, expect.dtype, f"{name} loss")
            if label == "twin" and expect.grad is not None:
                # A row-tuple loss: a tuple of gradients, of which the expected ones come first.
                grads = got[1] if isinstance(got[1], tuple) else (got[1],)
                wants = expect.grad if isinstance(expect.grad, tuple) else (expect.grad,)
                for k, (g, w) in enumerate(zip(grads, wants)):
                    close(g, w, expect.dtype, f"{name} gradient {k}")
            continue
        reference = expect.call
        want = outcome(run, reference)
        assert not isinstance(want, Exception), f"{name}: the equivalent call raised {want!r}"
        check_same(got, want, expect if isinstance(expect, SameAs) else SameAs(reference), name, bool(loss.three))


# --- valid calls, by family ---------------------------------------------------------------------

FLOATS = st.sampled_from([F32, F64])


UNIT_INTERVAL = st.floats(0.0625, 0.9375, width=32)  # inside (0, 1): valid data for every loss


@st.composite
def elementwise_call(draw, loss):
    shape = draw(hnp.array_shapes(min_dims=1, max_dims=3, max_side=4))
    dtype = draw(FLOATS)
    # (a loss of three elementwise operands: the third too; UNIT_INTERVAL is a valid var)
    arrays = {role: draw(hnp.arrays(dtype, shape, elements=UNIT_INTERVAL)) for role in positional(loss)}
    return Call(arrays, {"reduction": draw(st.sampled_from(REDUCTIONS))})


def complete(loss, call):
    """`call` with the third operand of a loss of three elementwise operands added where it
    lacks one (0.5 of the input's shape, valid for each such loss, taking no memory)."""
    if not loss.three or "third" in call.arrays:
        return call
    return call.put("third", np.broadcast_to(np.float64(0.5), np.shape(call.arrays["input"])))


@st.composite
def class_rows_call(draw, loss):
    n, c = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    inner = draw(st.sampled_from([(), (2,)]))
    dtype = draw(FLOATS)
    x = draw(hnp.arrays(dtype, (n, c) + inner, elements=st.floats(-3, 3, width=32)))
    t = draw(hnp.arrays(I64, (n,) + inner, elements=st.integers(0, c - 1)))
    return Call({"input": x, "target": t}, {"reduction": draw(st.sampled_from(REDUCTIONS))})


@st.composite
def metrics_call(draw, loss):
    n, c = draw(st.integers(1, 5)), draw(st.integers(1, 4))
    x = draw(hnp.arrays(draw(FLOATS), (n, c), elements=st.floats(-3, 3, width=32)))
    t = draw(hnp.arrays(I64, (n,), elements=st.integers(0, c - 1)))
    return Call({"input": x, "target": t}, {"reduction": draw(st.sampled_from(REDUCTIONS))})


def log_softmax(x):
    return x - np.log(np.exp(x).sum(axis=-1, keepdims=True))


@st.composite
def sequences_call(draw, loss):
    """(T, N, C) log-probabilities, padded (N, S) targets that are not blank (0), every input
    length T and target lengths that fit in it."""
    t, n, c, s = draw(st.integers(1, 4)), draw(st.integers(1, 3)), draw(st.integers(2, 4)), draw(st.integers(1, 2))
    dtype = draw(FLOATS)
    x = log_softmax(draw(hnp.arrays(F64, (t, n, c), elements=st.floats(-3, 3, width=32)))).astype(dtype)
    targets = draw(hnp.arrays(I64, (n, s), elements=st.integers(1, c - 1)))
    target_lengths = draw(hnp.arrays(I64, (n,), elements=st.integers(0, min(s, (t + 1) // 2))))
    return Call({"input": x, "target": targets, "input_lengths": np.full(n, t, I64), "target_lengths": target_lengths},
                {"reduction": draw(st.sampled_from(REDUCTIONS))})


@st.composite
def class_margins_call(draw, loss):
    """(N, C) scores with the loss's kind of target: class indices (N,), label rows (each list
    ended by -1) or soft targets of input's shape."""
    n, c = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    dtype = draw(FLOATS)
    x = draw(hnp.arrays(dtype, (n, c), elements=st.floats(-3, 3, width=32)))
    if loss.targets == "index":
        t = draw(hnp.arrays(I64, (n,), elements=st.integers(0, c - 1)))
    elif loss.targets == "labels":
        t = draw(hnp.arrays(I64, (n, c), elements=st.integers(-1, c - 1)))
    else:
        t = draw(hnp.arrays(dtype, (n, c), elements=UNIT_INTERVAL))
    return Call({"input": x, "target": t}, {"reduction": draw(st.sampled_from(REDUCTIONS))})


@st.composite
def row_tuples_call(draw, loss):
    n, d = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    dtype = draw(FLOATS)
    arrays = {role: draw(hnp.arrays(dtype, (n, d), elements=st.floats(-3, 3, width=32))) for role in positional(loss)}
    if row_target(loss):  # one target per row, 1 or -1
        arrays["third"] = draw(hnp.arrays(dtype, (n,), elements=st.sampled_from([1.0, -1.0])))
    return Call(arrays, {"reduction": draw(st.sampled_from(REDUCTIONS))})


VALID = {"elementwise": elementwise_call, "class rows": class_rows_call, "class margins": class_margins_call,
         "sequences": sequences_call, "metrics": metrics_call, "row tuples": row_tuples_call}


def soft_targets(loss) -> bool:
    """Whether the loss takes floating targets that broadcast with its input (the elementwise
    family's, and the multi-label soft margin's): the categories treat its target as theirs."""
    return loss.family.name == "elementwise" or loss.targets == "values"


def loss_shape(loss, call):
    return np.shape(getattr(F, loss.name)(*(call.arrays[role] for role in positional(loss)), reduction="none"))


def valid_arrays(loss, call):
    """{role: a valid array} for every array argument of the loss: input, target, weight and
    pos_weight where it has them, grad_output where it is differentiable."""
    x = call.arrays["input"]
    arrays = {role: call.arrays[role] for role in positional(loss)}
    if "weight" in loss.parameters:
        arrays["weight"] = np.full(x.shape[1:2] if loss.weight == "per_class" else x.shape, 0.5, x.dtype)
    if "pos_weight" in loss.parameters:
        arrays["pos_weight"] = np.full(x.shape[-1:], 2.0, x.dtype)
    if loss.family.differentiable:
        reduction = call.kwargs["reduction"]
        arrays["grad_output"] = np.full(loss_shape(loss, call), 0.5, x.dtype) if reduction == "none" else np.array(0.5)
    return arrays


def only_for(role):
    return ("twin",) if role == "grad_output" else ()


def name_of(loss, role):
    return dict(zip(positional(loss), loss.names)).get(role, role)


# --- categories ---------------------------------------------------------------------------------

def refusals(make):
    """A category whose bad value of each role (make(valid array, draw) -> value) torch refuses
    or cannot represent: a TypeError naming the argument."""
    def category(loss, call, draw):
        return [Variant(role, call.put(role, valid).put(role, make(valid, draw)),
                        Refused((name_of(loss, role),), (TypeError,)), only_for(role))
                for role, valid in valid_arrays(loss, call).items()]
    return category


def equivalents(make):
    """A category that only changes how each argument is stored (make(valid, draw) -> the same
    values): torch computes the same thing."""
    def category(loss, call, draw):
        return [Variant(role, call.put(role, make(valid, draw)), SameAs(call.put(role, valid)), only_for(role))
                for role, valid in valid_arrays(loss, call).items()]
    return category


def masked(valid, draw):
    mask = draw(hnp.arrays(np.bool_, valid.shape))
    return np.ma.array(valid, mask=mask)


def strided(valid, draw):
    """The same values in memory that is not C-contiguous (every other element, or Fortran order,
    or reversed twice)."""
    if valid.ndim == 0:
        return valid
    how = draw(st.sampled_from(["every other", "fortran", "reversed"]))
    if how == "every other":
        return np.repeat(valid, 2, axis=-1)[..., ::2]
    if how == "fortran" and valid.ndim >= 2:
        return np.asfortranarray(valid)
    return np.ascontiguousarray(valid[..., ::-1])[..., ::-1]


def big_endian(valid, draw):
    return valid.astype(valid.dtype.newbyteorder(">"))


def read_only(valid, draw):
    copy = valid.copy()
    copy.setflags(write=False)
    return copy


def bool_category(loss, call, draw):
    """Bool arrays: refused (TypeError) where torch wants numbers, except a pair loss's target,
    which torch compares with 1 and -1 (True is 1)."""
    variants = refusals(lambda valid, draw: valid > 0.5)(loss, call, draw)
    if loss.family.name == "sequences":  # torch takes bool targets as the class indices 0 and 1
        valid = call.arrays["target"]
        variants = [v for v in variants if v.label != "target"]
        variants.append(Variant("bool targets", call.put("target", valid > 0.5),
                                SameAs(call.put("target", (valid > 0.5).astype(I64)))))
    if row_target(loss):
        valid = call.arrays["third"]
        variants = [v for v in variants if v.label != "third"]
        variants.append(Variant("bool target", call.put("third", valid > 0.5),
                                SameAs(call.put("third", (valid > 0.5).astype(valid.dtype)))))
    return variants


def none_category(loss, call, draw):
    # weight, pos_weight and grad_output default to None: only the data can be missing.
    return [Variant(role, call.put(role, None), Refused((name_of(loss, role),), (TypeError,)))
            for role in positional(loss)]


def string_category(loss, call, draw):
    variants = refusals(lambda valid, draw: valid.astype(str))(loss, call, draw)
    return variants + [Variant(f"{role} str", call.put(role, "0.5"), Refused((name_of(loss, role),), (TypeError,)))
                       for role in positional(loss)]


def wrong_dtype(loss, call, draw):
    """Integers where floats are expected and floats where class indices are: torch promotes
    integers beside floats in its regression losses (the 'integers_follow' policy, also for
    their per-element weight and for grad_output) and refuses them elsewhere."""
    family, arrays = loss.family.name, valid_arrays(loss, call)
    x, t = arrays["input"], arrays["target"]
    out = []
    as_int = lambda a: np.round(a * 4).astype(np.int64)  # noqa: E731
    if family == "row tuples":  # integer operands take the floating operands' dtype
        for role in positional(loss):
            ints = as_int(arrays[role])
            out.append(Variant(f"int {role}", call.put(role, ints), SameAs(call.put(role, ints.astype(x.dtype)))))
    elif soft_targets(loss):
        for role, other in (("input", t), ("target", x)) + ((("third", x),) if loss.three else ()):
            ints = as_int(arrays[role])
            if loss.shared_third and role == "third":  # torch clamps var in place: no integer var
                expect = Refused((name_of(loss, role),), (TypeError,))
            elif loss.integers_follow or (loss.targets == "values" and role == "target"):
                expect = SameAs(call.put(role, ints.astype(other.dtype)), grad_dtype=other.dtype)
            else:
                expect = Refused((name_of(loss, role),), (TypeError,))
            out.append(Variant(f"int {role}", call.put(role, ints), expect))
        if "weight" in arrays:
            w = arrays["weight"]
            follows = loss.weight == "input_shape" or loss.targets == "values"  # integers follow: torch multiplies
            expect = (SameAs(call.put("weight", as_int(w).astype(x.dtype))) if follows
                      else Refused(("weight",), (TypeError,)))
            out.append(Variant("int weight", call.put("weight", as_int(w)), expect))
        if "pos_weight" in arrays:
            out.append(Variant("int pos_weight", call.put("pos_weight", as_int(arrays["pos_weight"])),
                               Refused(("pos_weight",), (TypeError,))))
    elif family == "sequences":
        out.append(Variant("int log_probs", call.put("input", as_int(x)), Refused(("log_probs",), (TypeError,))))
        # torch converts floating targets to class indices (truncated) and takes every integer kind
        out.append(Variant("float targets", call.put("target", t + 0.5), SameAs(call)))
        for kind in (np.uint8, np.int32, np.uint64):
            out.append(Variant(f"{np.dtype(kind)} targets", call.put("target", t.astype(kind)), SameAs(call)))
        for role in loss.more:  # torch: 'input_lengths must be integral'
            out.append(Variant(f"float {role}", call.put(role, arrays[role].astype(F64)), Refused((role,), (TypeError,))))
            out.append(Variant(f"int32 {role}", call.put(role, arrays[role].astype(np.int32)), SameAs(call)))
    else:
        out.append(Variant("int input", call.put("input", as_int(x)), Refused(("input",), (TypeError, ValueError))))
        out.append(Variant("float target", call.put("target", t.astype(F64)),
                           Refused(("target",), (TypeError, ValueError))))
        # Other integer kinds of class indices: torch takes uint8 (and only it and int64);
        # LossCore takes every integer kind (DISAGREE for int32 and the others).
        kinds = (np.int16, np.int32) if loss.targets == "labels" else (np.uint8, np.int32, np.uint64)  # (-1 ends a row)
        for kind in kinds:
            out.append(Variant(f"{np.dtype(kind)} target", call.put("target", t.astype(kind)), SameAs(call)))
        if "weight" in arrays:
            out.append(Variant("int weight", call.put("weight", as_int(arrays["weight"])),
                               Refused(("weight",), (TypeError,))))
    if "grad_output" in arrays:
        go = arrays["grad_output"]
        out.append(Variant("int grad_output", call.put("grad_output", as_int(go)),
                           SameAs(call.put("grad_output", as_int(go).astype(go.dtype))), ("twin",)))
    return out


def mixed_dtypes(loss, call, draw):
    """float32 beside float64 computes in float64, float16 beside float32 in float32; the
    gradient keeps the input's dtype (torch's autograd). torch refuses mixed floats in
    binary_cross_entropy and in the class-row weights (DISAGREE: LossCore promotes)."""
    arrays = valid_arrays(loss, call)
    x = arrays["input"]
    out = []
    if soft_targets(loss):
        t = arrays["target"]
        for low, high in ((F32, F64), (F16, F32)):
            xl, tl = x.astype(low), t.astype(low)  # the values both dtypes hold
            canonical = call.put("input", xl.astype(high)).put("target", tl.astype(high))
            out.append(Variant(f"input {low}, target {high}", canonical.put("input", xl),
                               SameAs(canonical, grad_dtype=low)))
            # (a differentiable target role, margin ranking's input2: its gradient in its own dtype)
            target_grad = loss.three and name_of(loss, "target") in loss.gradients
            out.append(Variant(f"input {high}, target {low}", canonical.put("target", tl),
                               SameAs(canonical, grad2_dtype=low if target_grad else None)))
    elif loss.family.name == "row tuples":  # float16 operands compute in float32 and return float16
        half = call
        for role in positional(loss):
            half = half.put(role, arrays[role].astype(F16))
        wide = half
        for role in positional(loss):
            wide = wide.put(role, half.arrays[role].astype(F32))
        out.append(Variant("float16 operands", half, SameAs(wide, loss_dtype=F16, grad_dtype=F16)))
    elif loss.family.name in ("class rows", "class margins"):
        if "weight" in arrays:
            canonical = call.put("input", x.astype(F64)).put("weight", arrays["weight"].astype(F64))
            out.append(Variant("float32 input, float64 weight", canonical.put("input", x.astype(F32)),
                               SameAs(canonical, grad_dtype=F32)))
        half = call.put("input", x.astype(F16))
        out.append(Variant("float16 input", half, SameAs(call.put("input", x.astype(F16).astype(F32)),
                                                         loss_dtype=F16, grad_dtype=F16)))
    elif loss.family.name == "sequences":  # DISAGREE: torch's CPU CTC refuses float16; LossCore computes it
        half = call.put("input", x.astype(F16))
        out.append(Variant("float16 log_probs", half, SameAs(call.put("input", x.astype(F16).astype(F32)),
                                                               loss_dtype=F16, grad_dtype=F16)))
        other = F32 if x.dtype == F64 else F64
        out.append(Variant(f"{other} log_probs", call.put("input", x.astype(other)),
                           SameAs(call.put("input", x.astype(other)))))
    else:
        out.append(Variant("float16 scores", call.put("input", x.astype(F16)),
                           SameAs(call.put("input", x.astype(F16).astype(F32)), loss_dtype=F16)))
        labels = np.argmax(x, axis=1)
        out.append(Variant("int32 labels", call.put("input", labels.astype(np.int32)),
                           SameAs(call.put("input", labels))))
    return out


def wrong_shape(loss, call, draw):
    """An extra dimension, or arguments of other ranks."""
    arrays = valid_arrays(loss, call)
    x, t = arrays["input"], arrays["target"]
    family = loss.family.name
    out = []
    if family == "row tuples":  # every operand must have the same number of dimensions
        out.append(Variant("positive with a leading 1", call.put("target", t[None]), Refused(loss.names)))
        out.append(Variant("anchor without its rows", call.put("input", x[0]), Refused(loss.names)))
    elif loss.targets == "values":  # broadcasts with any shape; a 0-d input has no class dimension
        out.append(Variant("0-d input", call.put("input", x.reshape(-1)[0]).drop("weight"), Refused(("input",))))
    elif family == "elementwise":
        if loss.same_shape or loss.target_into_input:  # a target may not enlarge the input's shape
            out.append(Variant("target with a leading 1", call.put("target", t[None]), Refused((loss.names[1],))))
        elif loss.same_rank:  # torch: all operands have the same number of dimensions
            out.append(Variant("target with a leading 1", call.put("target", t[None]), Refused(loss.names)))
        elif loss.three:  # the loss of the broadcast shape; each gradient in its argument's shape
            bigger = call
            for role in positional(loss):
                bigger = bigger.put(role, arrays[role][None])
            out.append(Variant("target with a leading 1", call.put("target", t[None]),
                               SameAs(bigger, grad_shape=x.shape, grad2_shape=arrays["third"].shape)))
        else:  # torch broadcasts (with its warning): the loss of the broadcast shape
            out.append(Variant("target with a leading 1", call.put("target", t[None]),
                               SameAs(call.put("input", x[None]).put("target", t[None]), grad_shape=x.shape)))
        if "weight" in arrays:
            w = arrays["weight"]
            out.append(Variant("weight with a leading 2", call.put("weight", np.stack([w, w])), Refused(("weight",))))
    else:
        out.append(Variant("target with a trailing 1", call.put("target", t[..., None]), Refused(("target",))))
        if "weight" in arrays:
            out.append(Variant("weight (C, 1)", call.put("weight", arrays["weight"][:, None]), Refused(("weight",))))
        if family == "sequences":
            out.append(Variant("4-d log_probs", call.put("input", x[..., None]), Refused(("log_probs",))))
            out.append(Variant("1-d log_probs", call.put("input", x.reshape(-1)), Refused(("log_probs",))))
            for role in loss.more:
                out.append(Variant(f"{role} one longer", call.put(role, grown(arrays[role])), Refused((role,))))
        elif family != "class rows":
            out.append(Variant("3-d scores", call.put("input", x[..., None]), Refused(("input",))))
    if "grad_output" in arrays and arrays["grad_output"].ndim:
        go = arrays["grad_output"]
        out.append(Variant("grad_output with a trailing 2", call.put("grad_output", np.stack([go, go], axis=-1)),
                           Refused(("grad_output",)), ("twin",)))
    return out


def grown(a, axis=-1):
    """`a` with one more entry along `axis`."""
    return np.concatenate([a, a.take([0], axis=axis)], axis=axis)


def non_broadcastable(loss, call, draw):
    """A dimension one longer than the shapes allow (torch refuses: the sizes must match)."""
    arrays = valid_arrays(loss, call)
    x, t = arrays["input"], arrays["target"]
    out, family = [], loss.family.name
    if family == "row tuples":
        for axis in (0, -1):
            if x.shape[axis] == 1:  # a size of 1 broadcasts with any: make them 2 against 3
                for role in positional(loss):
                    if role == "third" and row_target(loss) and axis == -1:
                        continue  # a target has rows only
                    call = call.put(role, grown(call.arrays[role], 0 if role == "third" and row_target(loss) else axis))
                call, arrays = call.drop("grad_output"), valid_arrays(loss, call.drop("grad_output"))
        out.append(Variant("positive one longer", call.put("target", grown(arrays["target"])), Refused(loss.names)))
        out.append(Variant("negative with one more row", call.put("third", grown(arrays["third"], 0)),
                           Refused(loss.names)))
    elif soft_targets(loss):
        if x.shape[-1] == 1:  # a last dimension of 1 broadcasts with any: make it 2 against 3
            for role in positional(loss):
                call = call.put(role, grown(arrays[role]))
            x, t = call.arrays["input"], call.arrays["target"]
            call = call.drop("weight").drop("pos_weight").drop("grad_output")
            arrays = valid_arrays(loss, call)
        out.append(Variant("target one longer", call.put("target", grown(t)), Refused(loss.names)))
        out.append(Variant("input one longer", call.put("input", grown(x)), Refused(loss.names)))
        if loss.three:
            out.append(Variant(f"{loss.names[2]} one longer", call.put("third", grown(arrays["third"])),
                               Refused(loss.names)))
        for role in ("weight", "pos_weight"):
            if role in arrays:
                out.append(Variant(f"{role} one longer", call.put(role, grown(arrays[role])), Refused((role,))))
    else:
        out.append(Variant("target one longer", call.put("target", grown(t, 0)), Refused(("target",))))
        if "weight" in arrays:
            out.append(Variant("weight one longer", call.put("weight", grown(arrays["weight"])), Refused(("weight",))))
    if "grad_output" in arrays and arrays["grad_output"].ndim:
        out.append(Variant("grad_output one longer", call.put("grad_output", grown(arrays["grad_output"])),
                           Refused(("grad_output",)), ("twin",)))
    return out


def empty(loss, call, draw):
    """torch: 'none' gives an empty array, 'mean' NaN (0 / 0), 'sum' 0; the gradient is empty."""
    x, t = call.arrays["input"], call.arrays["target"]
    if loss.family.name == "sequences":  # torch: 'log_probs tensor must not be empty'
        no_frames = call.put("input", x[:0]).put("input_lengths", np.zeros_like(call.arrays["input_lengths"]))
        no_samples = call.put("input", x[:, :0]).put("target", t[:0])
        no_samples = no_samples.put("input_lengths", t[:0, 0]).put("target_lengths", t[:0, 0])
        return [Variant("no frames", no_frames.drop("grad_output"), Refused(("log_probs",), (ValueError,))),
                Variant("empty batch", no_samples.drop("grad_output"), Refused(("log_probs",), (ValueError,)))]
    if loss.family.name == "row tuples":
        x = np.zeros((0,) + x.shape[1:], x.dtype)
        for role in positional(loss):
            call = call.put(role, np.zeros(0, x.dtype) if role == "third" and row_target(loss) else x)
        value = {"none": np.zeros(0), "mean": NAN, "sum": 0.0}[call.kwargs["reduction"]]
        return [Variant("empty", call, Values(value, (x,) * len(loss.operands), x.dtype))]
    if loss.family.name == "elementwise":
        shape = draw(st.sampled_from([(0,), (2, 0), (0, 3)]))
        x, t = np.zeros(shape, x.dtype), np.zeros(shape, t.dtype)
        if loss.three:
            call = call.put("third", np.zeros(shape, x.dtype))
    else:
        x, t = np.zeros((0,) + x.shape[1:], x.dtype), np.zeros((0,) + t.shape[1:], t.dtype)
    call = call.put("input", x).put("target", t)
    reduction = call.kwargs["reduction"]
    value = {"none": np.zeros(loss_shape(loss, call)), "mean": NAN, "sum": 0.0}[reduction]
    return [Variant("empty", call, Values(value, (np.zeros(x.shape),) if loss.three else np.zeros(x.shape), x.dtype))]


def specials(loss, call, draw, wanted=lambda x, t: True):
    """Special-value units (those `wanted`), in an order and with repeats drawn by
    hypothesis, against torch's answers."""
    units, _ = torch_specials(loss)
    chosen = draw(st.lists(st.sampled_from([i for i, unit in enumerate(units) if wanted(*unit)]),
                           min_size=1, max_size=6), label="units")
    dtype = call.arrays["input"].dtype
    if loss.family.name == "sequences":  # units are samples: side by side in the batch
        xs = np.concatenate([units[i][0] for i in chosen], axis=1).astype(dtype)
        call = call.put("input", xs).put("target", np.concatenate([units[i][1] for i in chosen]))
        for k, role in enumerate(loss.more):
            call = call.put(role, np.concatenate([units[i][2 + k] for i in chosen]))
    else:
        xs = np.concatenate([units[i][0] for i in chosen]).astype(dtype)
        ts = np.concatenate([units[i][1] for i in chosen])
        ts = ts.astype(dtype if ts.dtype.kind == "f" else I64)
        call = call.put("input", xs).put("target", ts)
        if loss.operands or loss.three:  # a unit is one row (one element) of each operand; torch's
            # answer has the first operand's gradient
            call = call.put("third", np.concatenate([units[i][2] for i in chosen]).astype(dtype))
    answers = [special_answer(loss, i) for i in chosen]
    if any(a is None for a in answers):
        return [Variant("special values", call, Refused(loss.names, (ValueError,)))]
    losses = np.array([a[0] for a in answers])
    grads = np.array([a[1:] for a in answers]).reshape(xs.shape) if loss.family.differentiable else None
    if loss.family.name == "sequences":  # each unit's (T, 1, C) gradient, its sample's column
        grads = np.concatenate([np.array(a[1:]).reshape(units[i][0].shape) for i, a in zip(chosen, answers)], axis=1)
    reduction = call.kwargs["reduction"]
    with np.errstate(invalid="ignore"):
        # (the units' targets have length 1, so the CTC mean's division by it is no change)
        value = {"none": losses, "sum": losses.sum(), "mean": losses.sum() / len(losses)}[reduction]
        if grads is not None and reduction == "mean":
            grads = grads / len(losses)
    if grads is not None and reduction == "none":
        call = call.put("grad_output", np.ones(losses.shape, dtype))
    if grads is not None and (loss.operands or loss.three):
        grads = (grads,)  # the first operand's: the first of the loss's gradients
    return [Variant(f"units {chosen}", call, Values(value, grads, dtype))]


def nan_inf(loss, call, draw):
    return specials(loss, call, draw, lambda *unit: not all(np.all(np.isfinite(a)) for a in unit))


def out_of_range(loss, call, draw):
    """Targets outside [0, C) that are not ignore_index (IndexError as torch) for class indices;
    data outside [0, 1] for the elementwise losses (torch's table: binary_cross_entropy
    refuses, the others compute)."""
    if loss.family.name == "row tuples":
        return []  # no data outside a domain, no targets
    if soft_targets(loss):
        def wanted(x, t, *others):
            return np.all(np.isfinite(x) & np.isfinite(t)) and not np.all((0 <= x) & (x <= 1) & (0 <= t) & (t <= 1))
        return specials(loss, call, draw, wanted) if any(wanted(*unit) for unit in torch_specials(loss)[0]) else []
    x, t = call.arrays["input"], call.arrays["target"].copy()
    if loss.family.name == "sequences":
        # A target read (inside its length) outside [0, C): torch's CPU kernel reads out of bounds
        # there (DISAGREE: LossCore refuses it); padding past the length is never read.
        bad = draw(st.sampled_from([x.shape[-1], x.shape[-1] + 7, -1, -2, -101, 2**40]))
        sample = draw(st.integers(0, t.shape[0] - 1))
        lengths = call.arrays["target_lengths"].copy()
        lengths[sample] = max(lengths[sample], 1)
        t[sample, draw(st.integers(0, lengths[sample] - 1))] = bad
        return [Variant("target out of range", call.put("target", t).put("target_lengths", lengths),
                        Refused(("target",), (IndexError,)))]
    c = x.shape[1]
    # Label rows take -1 (the end of a row's list); class indices do not.
    bad = [c, c + 7, -2, -101, 2**40] + ([] if loss.targets == "labels" else [-1])
    t.reshape(-1)[draw(st.integers(0, t.size - 1))] = draw(st.sampled_from(bad))
    return [Variant("target out of range", call.put("target", t), Refused(("target",), (IndexError,)))]


BAD_REDUCTIONS = ["avg", "MEAN", "", None, 1, b"mean", ["mean"], 1.5, 10**5000]


def label(value) -> str:
    """A short label of a value (10**5000 has no repr)."""
    try:
        return repr(value)[:20]
    except ValueError:
        return f"<{type(value).__name__}>"


def invalid_reduction(loss, call, draw):
    out = [Variant(f"reduction={label(bad)}", call.set(reduction=bad), Refused(("reduction",), (ValueError,)))
           for bad in BAD_REDUCTIONS]
    out.append(Variant("reduction np.str_", call.set(reduction=np.str_(call.kwargs["reduction"])), SameAs(call)))
    if "reduce" in loss.parameters:  # torch's deprecated flags: taken by their truth value
        out.append(Variant("reduce=array", call.set(reduce=np.array([True, False])), Refused(("reduce",))))
        out.append(Variant("size_average=array", call.set(size_average=np.ones(2)), Refused(("size_average",))))
    return out


def invalid_options(loss, call, draw):
    """Flags take bools only (TypeError for anything else, numbers too, as torch's argument
    parser). Other options: non-numbers (TypeError, as torch; bool is refused too, which torch takes as 0 / 1:
    DISAGREE) and NaN (refused by every option's domain; torch takes NaN for label_smoothing:
    DISAGREE); other numbers are refused naming the option or computed as the Python number."""
    out = []
    for name in loss.option_names:
        if getattr(loss.options[name], "truth_value", False):  # torch's `if swap:` takes any value's truth
            for value in ("1", None, [1.0], 1 + 0j, NAN, 0, object()):
                out.append(Variant(f"{name}={label(value)}", call.set(**{name: value}),
                                   SameAs(call.set(**{name: bool(value)}))))
            continue
        is_flag = loss.options[name].ctype is ctypes.c_int32 and not hasattr(loss.options[name], "choices")
        if is_flag:  # a flag: bools only, as torch's parser (an int32 of a few values is a number)
            for bad in ("1", None, [1.0], 1 + 0j, object(), 0, 1, 1.0, NAN, np.int8(1), np.float32(0)):
                out.append(Variant(f"{name}={label(bad)}", call.set(**{name: bad}), Refused((name,), (TypeError,))))
            for good in (True, False, np.bool_(True)):
                out.append(Variant(f"{name}={label(good)}", call.set(**{name: good}),
                                   Either(call.set(**{name: bool(good)}), name)))
            continue
        for bad in ("1", None, [1.0], 1 + 0j, True, np.bool_(False), object()):
            if bad is None and loss.parameters[name] is None:
                continue  # None is this option's default
            out.append(Variant(f"{name}={label(bad)}", call.set(**{name: bad}), Refused((name,), (TypeError,))))
        for bad in (NAN, np.float32(NAN)):
            out.append(Variant(f"{name}=nan", call.set(**{name: bad}), Refused((name,))))
        for number in (INF, -INF, -1.0, 1e300, 10**400, -10**5000, np.float16(0.5), np.int8(-1), 2**63):
            plain = number.item() if isinstance(number, np.generic) else number
            out.append(Variant(f"{name}={label(number)}", call.set(**{name: number}),
                               Either(call.set(**{name: plain}), name)))
    return out


def zero_d(loss, call, draw):
    x, t = call.arrays["input"], call.arrays["target"]
    family = loss.family.name
    if family == "class margins":
        return zero_d_margins(loss, call, x, t)
    if family == "row tuples" and row_target(loss):  # unbatched: (D,) operands and a 0-d target
        one_row = {role: call.arrays[role][:1] for role in positional(loss)}
        unbatched = call.drop("grad_output")
        for role, value in one_row.items():
            unbatched = unbatched.put(role, value[0] if role != "third" else np.asarray(value[0]))
        batched = call.drop("grad_output")
        for role, value in one_row.items():
            batched = batched.put(role, value)
        return [Variant("unbatched", unbatched, SameAs(batched, loss_shape=(), grad_shape=(2, x.shape[1]))),
                Variant("0-d target with rows", call.put("third", np.asarray(call.arrays["third"][0])), Refused(loss.names))]
    if family == "row tuples":  # 0-d operands are one row of one value; the loss is 0-d
        zero, one = call, call
        for role in positional(loss):
            value = call.arrays[role].reshape(-1)[0]
            zero, one = zero.put(role, np.asarray(value)), one.put(role, value.reshape(1))
        # (the gradients compare as one stacked array: one 0-d gradient per operand)
        return [Variant("0-d operands", zero.drop("grad_output"), SameAs(one.drop("grad_output"), loss_shape=(),
                                                                         grad_shape=(len(loss.operands),))),
                Variant("0-d anchor only", call.put("input", np.asarray(x.reshape(-1)[0])), Refused(loss.names))]
    if family == "elementwise":
        one, zero = call, call
        for role in positional(loss):  # input and target (and a third elementwise operand)
            first = call.arrays[role].reshape(-1)[0]
            one, zero = one.put(role, first.reshape(1)), zero.put(role, np.asarray(first))
        return [Variant("0-d input and target", zero, SameAs(one, loss_shape=(), grad_shape=(), grad2_shape=()))]
    out = [Variant("0-d target", call.put("target", np.asarray(t.reshape(-1)[0])), Refused(("target",))),
           Variant("0-d input", call.put("input", np.asarray(x.reshape(-1)[0])), Refused((loss.names[0],)))]
    if family == "sequences":  # an unbatched (T, C) input takes 0-d lengths and (S,) targets, as torch
        first = {role: call.arrays[role][:1] for role in loss.more}
        length = int(first["target_lengths"][0])
        batched = call.put("input", x[:, :1]).put("target", t[:1]).drop("grad_output")
        unbatched = call.put("input", x[:, 0]).put("target", t[0, :length]).drop("grad_output")
        for role, value in first.items():
            batched, unbatched = batched.put(role, value), unbatched.put(role, np.asarray(value[0]))
        out.append(Variant("(T, C) input, 0-d lengths", unbatched,
                           SameAs(batched, loss_shape=(), grad_shape=x[:, 0].shape)))
        out.append(Variant("0-d lengths of a batch", call.put("input_lengths", np.asarray(x.shape[0])),
                           Refused(("input_lengths",))))
    if family == "class rows":  # an unbatched (C,) row takes a 0-d target, as torch
        row, label = x[0].reshape(x.shape[1], -1)[:, 0], t.reshape(t.shape[0], -1)[0, 0]
        out.append(Variant("(C,) input, 0-d target", call.drop("weight").put("input", row).put("target", np.asarray(label)),
                           SameAs(call.put("input", row[None]).put("target", label[None]), loss_shape=(),
                                  grad_shape=row.shape)))
    return out


def zero_d_margins(loss, call, x, t):
    """torch's unbatched forms: a (C,) input (with a 0-d class index, or a (C,) label row or
    target) is the one-row call, its loss 0-d; a 0-d input is one score of one class, except for
    the soft margin, whose class dimension it lacks."""
    one = call.drop("weight").put("input", x[:1]).put("target", t[:1])
    out = [Variant("(C,) input", call.drop("weight").put("input", x[0]).put("target", t[0]),
                   SameAs(one, loss_shape=(), grad_shape=x[0].shape))]
    x0 = np.asarray(x.reshape(-1)[0])
    if loss.targets == "values":
        out.append(Variant("0-d input", call.put("input", x0), Refused(("input",))))
    else:  # one class: index 0, or a label row [0] or [-1]
        label = np.asarray(0 if loss.targets == "index" else t.reshape(-1)[0].clip(-1, 0))
        row = label.reshape(1, 1) if loss.targets == "labels" else label.reshape(1)
        scalar = call.drop("weight").put("input", x0).put("target", label)
        out.append(Variant("0-d input and target", scalar,
                           SameAs(scalar.put("input", x0.reshape(1, 1)).put("target", row), loss_shape=(), grad_shape=())))
    if loss.targets != "values" and x.shape[0] > 1:
        out.append(Variant("0-d target", call.put("target", np.asarray(t.reshape(-1)[0])), Refused(("target",))))
    return out


CATEGORIES = {
    "wrong dtype": wrong_dtype,
    "object array": refusals(lambda valid, draw: valid.astype(object)),
    "string": string_category,
    "None": none_category,
    "bool": bool_category,
    "complex": refusals(lambda valid, draw: valid.astype(np.complex128)),
    "masked array": refusals(masked),
    "mixed dtypes": mixed_dtypes,
    "wrong rank or shape": wrong_shape,
    "non-broadcastable": non_broadcastable,
    "empty": empty,
    "NaN/Inf": nan_inf,
    "out-of-range targets": out_of_range,
    "invalid reduction": invalid_reduction,
    "invalid or NaN options": invalid_options,
    "non-contiguous": equivalents(strided),
    "0-d": zero_d,
    "big-endian": equivalents(big_endian),
    "read-only": equivalents(read_only),
}

MATRIX = [(loss, category) for loss in LOSSES for category in CATEGORIES]


@pytest.mark.parametrize("loss,category", MATRIX, ids=[f"{loss.name}-{category}" for loss, category in MATRIX])
@EXAMPLES
@given(data=st.data())
def test_bad_input(loss, category, data):
    call = data.draw(VALID[loss.family.name](loss), label="valid call")
    for variant in CATEGORIES[category](loss, call, data.draw):
        check(loss, variant)


# --- the gaps this file closes, by name ----------------------------------------------------------

def no_memory(shape, dtype=F64):
    """An array of `shape` that takes no memory: every element is the same one (strides 0)."""
    return np.lib.stride_tricks.as_strided(np.zeros(1, dtype), shape, (0,) * len(shape))


def too_large(loss):
    """(input, target) pairs (operands of the row tuples) whose computation could never be allocated."""
    if loss.family.name == "sequences":
        return [(no_memory((2**20, 2**4, 2**20)), np.ones((2**4, 1), np.int64)),
                (no_memory((2**40, 1)), np.ones(1, np.int64))]
    if loss.operands:
        k = len(loss.operands)
        if row_target(loss):  # (rows broadcast; a pair's last dimensions must be equal)
            return [(no_memory((2**40, 1)),) * k + (no_memory((2**40,)),),
                    (no_memory((2**20, 2**21)), no_memory((1, 2**21)), np.zeros(1))]
        return [(no_memory((2**40, 1)),) * k,
                (no_memory((2**20, 1)), no_memory((1, 2**21))) + (np.zeros((1, 1)),) * (k - 2)]
    if loss.family.name == "elementwise":
        return [(no_memory((2**40,)), np.zeros(1)), (no_memory((2**40,)), no_memory((2**40,))),
                (np.zeros((2**20, 1)), np.zeros((1, 2**21))), (no_memory((2**40, 1)), no_memory((1, 2**40)))]
    return [(no_memory((2**20, 2**20)), np.zeros(2**20, np.int64)),
            (no_memory((2**40, 1)), no_memory((2**40,), np.int64))]


def lengths_of(loss, x, t):
    """The further arrays of a sequence loss's call on (x, t): every frame, each target whole."""
    if not loss.more:
        return {}
    n = x.shape[1] if x.ndim == 3 else 1
    return {"input_lengths": np.full(n, x.shape[0], I64), "target_lengths": np.full(n, t.shape[-1], I64)}


@pytest.mark.parametrize("loss", LOSSES, ids=[loss.name for loss in LOSSES])
def test_a_call_too_large_for_memory_is_refused_before_numpy_allocates(loss):
    """Not numpy's MemoryError naming nothing: a ValueError naming the arguments and shapes."""
    for operands in too_large(loss):
        x, t = operands[:2]
        for reduction in REDUCTIONS:
            for label, run in callers(loss).items():
                got = outcome(run, complete(loss, Call({**dict(zip(positional(loss), operands)), **lengths_of(loss, x, t)},
                                                       {"reduction": reduction})))
                assert isinstance(got, ValueError), f"{loss.name} {label} {x.shape} {t.shape}: {got!r}"
                message = str(got)
                if "size" in message and "same" in message:
                    continue  # refused earlier: a loss whose target must have the input's shape
                if loss.target_into_input and "cannot be broadcast to the" in message:
                    continue  # refused earlier: a target may not enlarge the input's shape
                assert loss.names[0] in message and str(x.shape) in message, message
                assert "memory" in message, message


def test_a_failed_allocation_names_the_arguments(monkeypatch):
    # Past the size check (as if the machine had unbounded memory), numpy's own MemoryError:
    # 2**48 float64 values exceed any address space, so numpy fails at once.
    from losscore import _convert

    monkeypatch.setattr(_convert, "MEMORY", 2**100)
    with pytest.raises(MemoryError) as info, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch's warning that the sizes differ
        F.mse_loss(no_memory((2**24, 1)), no_memory((1, 2**24)))
    assert "input shape (16777216, 1)" in str(info.value) and "target shape (1, 16777216)" in str(info.value)


@pytest.mark.parametrize("loss", LOSSES, ids=[loss.name for loss in LOSSES])
def test_masked_arrays_are_refused_naming_the_argument(loss):
    """numpy.ma: torch has no masked tensors and the mask would be silently dropped."""
    target = {"index": np.zeros(2, np.int64), "labels": np.zeros((2, 3), np.int64)}.get(loss.targets, np.zeros((2, 3)))
    if loss.family.name == "class rows":
        target = np.zeros(2, np.int64)
    call = Call({"input": np.ones((2, 3)) * 0.5, "target": target}, {"reduction": "none"})
    if loss.operands:
        call = call.put("third", np.ones(2) if row_target(loss) else np.ones((2, 3)))
    call = complete(loss, call)
    if loss.more:  # unbatched (T, C) log-probabilities, a target of length 1
        call = Call({"input": np.log(np.full((2, 3), 1 / 3)), "target": np.ones(1, np.int64),
                     "input_lengths": np.array(2), "target_lengths": np.array(1)}, {"reduction": "none"})
    for role, valid in valid_arrays(loss, call).items():
        bad = call.put(role, np.ma.array(valid, mask=np.ones(valid.shape, bool)))
        for label, run in callers(loss).items():
            if role == "grad_output" and label != "twin":
                continue
            got = outcome(run, bad)
            if got is NotImplemented:
                continue  # a function argument the module does not take
            assert isinstance(got, TypeError), f"{loss.name} {label} {role}: {got!r}"
            assert f"{name_of(loss, role)} is a masked array" in str(got), str(got)


@pytest.mark.parametrize("labels", [np.array([True, False, True]), np.array([[True], [False], [True]])])
def test_zero_one_loss_refuses_bool_input_as_every_loss_does(labels):
    for reduction in REDUCTIONS:
        with pytest.raises(TypeError, match="input .*got dtype bool"):
            F.zero_one_loss(labels, np.array([1, 0, 0]), reduction=reduction)
    with pytest.raises(TypeError, match="target"):
        F.zero_one_loss(np.array([1, 0, 0]), np.array([True, False, False]))
