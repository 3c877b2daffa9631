"""losscore.torch against torch.nn.functional: values and gradients of every loss, gradcheck,
grad_output, inputs without grad, non-contiguous inputs, modules, refusals, zero copies."""
from __future__ import annotations

import os
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest
import torch
import torch.nn.functional as TF

import losscore.functional as F
import losscore.torch as LT
from cases import CASES, reference
from losscore.torch import _bridge

DTYPES = (torch.float32, torch.float64)
# float32: both sides round differently (LossCore sums in double); float64 agrees to a few ulps.
TOLERANCE = {torch.float32: dict(rtol=2e-5, atol=2e-6), torch.float64: dict(rtol=1e-11, atol=1e-13)}

CALLS = [(case, reduction) for case in CASES for reduction in case.reductions]


def ids(value):
    return repr(value)


def leaves(args, grads):
    """The arguments, the differentiable ones as fresh leaves that require grad."""
    return [a.detach().clone().requires_grad_() if k in grads else a for k, a in enumerate(args)]


def evaluate(fn, args, kwargs, grads, seed=1):
    """(loss, gradients) of fn through autograd, with a grad_output that is not ones: 3 for a
    scalar loss, a weighted sum (weights of both signs) of a 'none' loss."""
    inputs = leaves(args, grads)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch's and LossCore's identical warnings (broadcasts)
        loss = fn(*inputs, **kwargs)
    if not grads:
        return loss, ()
    if loss.ndim:
        weights = torch.randn(loss.shape, generator=torch.Generator().manual_seed(seed), dtype=loss.dtype)
        total = (loss * weights).sum()
    else:
        total = loss * 3.0
    return loss, torch.autograd.grad(total, [inputs[k] for k in grads])


def assert_close(ours, theirs, dtype, what):
    assert ours.dtype == theirs.dtype, f"{what}: dtype {ours.dtype} != {theirs.dtype}"
    assert ours.shape == theirs.shape, f"{what}: shape {ours.shape} != {theirs.shape}"
    torch.testing.assert_close(ours.detach(), theirs.detach(), **TOLERANCE[dtype], msg=lambda m: f"{what}: {m}")


# --- values and gradients ----------------------------------------------------------------------

@pytest.mark.parametrize("dtype", DTYPES, ids=str)
@pytest.mark.parametrize("case, reduction", CALLS, ids=ids)
def test_values_and_gradients_match_torch(case, reduction, dtype):
    args, kwargs = case.arguments(dtype)
    kwargs["reduction"] = reduction
    ours, our_grads = evaluate(getattr(LT, case.name), args, kwargs, case.grads)
    theirs, their_grads = evaluate(reference(case.name), args, kwargs, case.grads)
    assert_close(ours, theirs, dtype, "loss")
    assert ours.requires_grad == bool(case.grads)
    for k, ours_g, theirs_g in zip(case.grads, our_grads, their_grads):
        assert_close(ours_g, theirs_g, dtype, f"gradient of argument {k}")


HALF = (torch.float16, torch.bfloat16)


def functional_call(name, args, kwargs, grads, grad_output):
    """(loss, gradients) of losscore.functional on the same 16-bit data, as tensors: the
    value alone, or the _and_grad twin's gradients of the arguments at `grads` for
    `grad_output` (None: a scalar loss's own, 1)."""
    arrays = [_bridge.array(a, "arg") for a in args]
    options = {k: _bridge.array(v, k) for k, v in kwargs.items()}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if not grads:
            return _bridge.tensor(getattr(F, name)(*arrays, **options)), ()
        if grad_output is not None:
            options["grad_output"] = _bridge.array(grad_output, "grad_output")
        value, g = getattr(F, name + "_and_grad")(*arrays, **options)
    g = g if isinstance(g, tuple) else (g,)
    return _bridge.tensor(value), tuple(None if x is None else _bridge.tensor(x) for x in g)


def half_evaluate(fn, args, kwargs, grads):
    """(loss, gradients, grad_output) through autograd: 'none' with 16-bit weights of both
    signs as grad_output, a scalar loss with its own gradient (grad_output 1: the kept
    gradients as the twin wrote them)."""
    inputs = leaves(args, grads)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        loss = fn(*inputs, **kwargs)
    if not grads:
        return loss, (), None
    weights = None
    if loss.ndim:
        weights = torch.randn(loss.shape, generator=torch.Generator().manual_seed(1)).to(loss.dtype)
        total = (loss * weights).sum()
    else:
        total = loss
    return loss, torch.autograd.grad(total, [inputs[k] for k in grads]), weights


def assert_bitwise(ours, theirs, what):
    assert ours.dtype == theirs.dtype, f"{what}: dtype {ours.dtype} != {theirs.dtype}"
    assert ours.shape == theirs.shape, f"{what}: shape {ours.shape} != {theirs.shape}"
    a, b = ours.detach().view(torch.int16), theirs.detach().view(torch.int16)
    nan = ours.detach().isnan() & theirs.detach().isnan()  # (any NaN matches any NaN)
    assert torch.equal(a[~nan], b[~nan]), f"{what}: {ours} != {theirs}"


@pytest.mark.parametrize("dtype", HALF, ids=str)
@pytest.mark.parametrize("case, reduction", CALLS, ids=ids)
def test_16bit_tensors_give_losscore_functional_bit_for_bit(case, reduction, dtype):
    """A float16 or bfloat16 tensor computes what losscore.functional computes on the same
    16-bit array (its contract: the float32 call, each result rounded once): the loss, and
    the gradients autograd hands back, in the tensor's dtype."""
    args, kwargs = case.arguments(dtype)
    kwargs["reduction"] = reduction
    ours, our_grads, weights = half_evaluate(getattr(LT, case.name), args, kwargs, case.grads)
    value, grads = functional_call(case.name, args, kwargs, case.grads, weights)
    assert ours.dtype == dtype
    assert_bitwise(ours, value, "loss")
    for k, ours_g, g in zip(case.grads, our_grads, grads):
        assert ours_g.dtype == args[k].dtype
        assert_bitwise(ours_g, g, f"gradient of argument {k}")


@pytest.mark.parametrize("dtype", HALF, ids=str)
@pytest.mark.parametrize("case, reduction", CALLS, ids=ids)
def test_16bit_tensors_are_within_a_few_ulps_of_torch(case, reduction, dtype):
    """Against torch's own 16-bit CPU kernels, which round along the way: within 4 ulps of the
    16-bit type at each result's magnitude (the README tabulates the largest deviation per
    family: 3). Losses torch's CPU has no 16-bit kernel for are skipped."""
    args, kwargs = case.arguments(dtype)
    kwargs["reduction"] = reduction
    try:
        theirs, their_grads, _ = half_evaluate(reference(case.name), args, kwargs, case.grads)
    except (RuntimeError, NotImplementedError) as error:
        pytest.skip(f"torch: {error}".splitlines()[0][:120])
    ours, our_grads, _ = half_evaluate(getattr(LT, case.name), args, kwargs, case.grads)
    ulp = 2.0 ** (-10 if dtype is torch.float16 else -7)
    for what, a, b in [("loss", ours, theirs), *((f"gradient {k}", x, y) for k, x, y in
                                                 zip(case.grads, our_grads, their_grads))]:
        a, b = a.detach().double(), b.detach().double()
        finite = b.isfinite()
        assert torch.equal(a.isnan(), b.isnan()), what
        scale = b[finite].abs().max().item() if finite.any() else 0.0
        scale = 2.0 ** np.floor(np.log2(scale)) if scale > 0 else 0.0
        torch.testing.assert_close(a[finite], b[finite], rtol=0, atol=max(4 * ulp * scale, 1e-30),
                                   msg=lambda m: f"{what}: {m}")


@pytest.mark.parametrize("case", [c for c in CASES if c.grads], ids=ids)
@pytest.mark.parametrize("reduction", ["none", "sum"])
def test_gradcheck(case, reduction):
    """Finite differences in float64 (grad_output of every unit direction for 'none')."""
    args, kwargs = case.arguments(torch.float64, seed=2)
    kwargs["reduction"] = reduction
    fn = getattr(LT, case.name)
    if case.name == "ctc_loss":  # torch's CTC gradient is that of log_probs = log_softmax(z)
        def call(z):
            return fn(torch.log_softmax(z, 2), *args[1:], **kwargs)
    else:
        def call(*differentiable):
            full = list(args)
            for k, value in zip(case.grads, differentiable):
                full[k] = value
            return fn(*full, **kwargs)
    assert torch.autograd.gradcheck(call, leaves([args[k] for k in case.grads], range(len(case.grads))))


@pytest.mark.parametrize("scale", [1.0, 2.5])
def test_backward_twice_with_retain_graph(scale):
    """The kept gradient is handed over (or scaled) once; a second backward computes it again."""
    x = torch.randn(6, 5, dtype=torch.float64, requires_grad=True)
    t = torch.randint(0, 5, (6,))
    loss = LT.cross_entropy(x, t) * scale
    first, = torch.autograd.grad(loss, x, retain_graph=True)
    second, = torch.autograd.grad(loss, x, retain_graph=True)
    expected, = torch.autograd.grad(TF.cross_entropy(x, t) * scale, x)
    torch.testing.assert_close(first, expected, rtol=1e-14, atol=0)
    torch.testing.assert_close(second, expected, rtol=1e-14, atol=0)
    loss.backward(retain_graph=True)
    loss.backward()  # accumulated into x.grad, which may hold the handed-over tensor
    torch.testing.assert_close(x.grad, 2 * expected, rtol=1e-14, atol=0)


def test_an_input_modified_before_a_recomputation_is_detected():
    """A second backward computes the gradient again from the inputs: changing one in place
    before it is refused, as torch refuses it for its own saved tensors."""
    t = torch.randint(0, 5, (6,))
    leaf = torch.randn(6, 5, requires_grad=True)
    loss = LT.cross_entropy(leaf, t)
    loss.backward(retain_graph=True)
    with torch.no_grad():
        leaf.add_(1)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        loss.backward()


def test_gradient_accumulates_into_leaves():
    x = torch.randn(4, 5, requires_grad=True)
    y = torch.randn(4, 5)
    LT.mse_loss(x, y).backward()
    LT.mse_loss(x, y, reduction="sum").backward()
    torch.testing.assert_close(x.grad, 2 * (x - y).detach() / 20 + 2 * (x - y).detach())


def test_loss_inside_a_larger_graph():
    """The loss's inputs come from other operations and its value feeds more of them."""
    w = torch.randn(5, 3, requires_grad=True)
    features = torch.randn(8, 5)
    t = torch.randint(0, 3, (8,))

    def total(loss):
        logits = torch.tanh(features @ w)
        return loss(logits, t, reduction="none").pow(2).sum() + loss(logits, t)

    ours, = torch.autograd.grad(total(LT.cross_entropy), w)
    theirs, = torch.autograd.grad(total(TF.cross_entropy), w)
    torch.testing.assert_close(ours, theirs)


# --- inputs ------------------------------------------------------------------------------------

@pytest.mark.parametrize("case", CASES, ids=ids)
def test_inputs_without_grad_give_a_tensor_outside_the_graph(case):
    args, kwargs = case.arguments(torch.float64)
    kwargs.setdefault("reduction", case.reductions[-1])
    loss = getattr(LT, case.name)(*args, **kwargs)
    assert isinstance(loss, torch.Tensor) and not loss.requires_grad and loss.grad_fn is None
    theirs, _ = evaluate(reference(case.name), args, kwargs, ())
    assert_close(loss, theirs, torch.float64, "loss")
    if case.grads:  # under no_grad, inputs that require grad give no graph either
        with torch.no_grad():
            loss = getattr(LT, case.name)(*leaves(args, case.grads), **kwargs)
        assert not loss.requires_grad
        assert_close(loss, theirs, torch.float64, "loss under no_grad")


def test_only_some_operands_require_grad():
    a, p, n = (torch.randn(6, 4) for _ in range(3))
    p.requires_grad_()
    loss = LT.triplet_margin_loss(a, p, n, reduction="sum")
    loss.backward()
    assert a.grad is None and n.grad is None
    p2 = p.detach().clone().requires_grad_()
    TF.triplet_margin_loss(a, p2, n, reduction="sum").backward()
    torch.testing.assert_close(p.grad, p2.grad)


def noncontiguous(t: torch.Tensor) -> torch.Tensor:
    """The same values in a non-contiguous tensor (a strided view into a larger one)."""
    if t.ndim == 0:
        return t
    wide = torch.zeros(t.shape[:-1] + (2 * t.shape[-1],), dtype=t.dtype)
    wide[..., ::2] = t
    view = wide[..., ::2]
    assert not view.is_contiguous() or t.shape[-1] <= 1
    return view


@pytest.mark.parametrize("reduction", ["none", "mean"])
@pytest.mark.parametrize("case", [c for c in CASES if c.grads], ids=ids)
def test_noncontiguous_inputs(case, reduction):
    args, kwargs = case.arguments(torch.float64)
    kwargs = {**kwargs, "reduction": "batchmean" if reduction == "mean" and case.name == "kl_div" else reduction}
    strided = [noncontiguous(a) if isinstance(a, torch.Tensor) else a for a in args]
    strided_kwargs = {k: noncontiguous(v) if isinstance(v, torch.Tensor) else v for k, v in kwargs.items()}
    ours, our_grads = evaluate(getattr(LT, case.name), strided, strided_kwargs, case.grads)
    theirs, their_grads = evaluate(reference(case.name), args, kwargs, case.grads)
    assert_close(ours, theirs, torch.float64, "loss")
    for ours_g, theirs_g in zip(our_grads, their_grads):
        assert_close(ours_g, theirs_g, torch.float64, "gradient")


def test_contiguous_tensors_are_not_copied():
    """A contiguous float tensor reaches the library as a view of its memory; the 'none' loss
    and the gradient are tensors over the arrays the library wrote."""
    for dtype in DTYPES + HALF:
        x = torch.randn(4, 5, dtype=dtype, requires_grad=True)
        view = _bridge.array(x, "input")
        assert view.__array_interface__["data"][0] == x.data_ptr()
        assert view.dtype.itemsize == x.element_size() and view.dtype.char in "fdeE"
        strided = _bridge.array(x.detach().t(), "input")
        assert strided.flags.c_contiguous and strided.__array_interface__["data"][0] != x.data_ptr()
        written = view.copy()
        back = _bridge.tensor(written)
        assert back.dtype == dtype and back.data_ptr() == written.__array_interface__["data"][0]
        assert torch.equal(back, x.detach())


def test_a_modified_input_is_detected_before_backward():
    """Reduction 'none' computes its gradient in backward from the inputs: changing one in
    place before is refused, as torch refuses it for its own saved tensors."""
    x = torch.randn(4, 5, requires_grad=True)
    y = torch.randn(4, 5)
    loss = LT.mse_loss(x, y, reduction="none")
    y.add_(1)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        loss.sum().backward()


def test_mixed_float_dtypes_promote_as_losscore_does():
    x = torch.randn(4, 5, dtype=torch.float32, requires_grad=True)
    y = torch.randn(4, 5, dtype=torch.float64)
    loss = LT.mse_loss(x, y)
    assert loss.dtype == torch.float64
    loss.backward()
    assert x.grad.dtype == torch.float32
    torch.testing.assert_close(x.grad, (2 * (x.double() - y) / 20).float().detach())


# --- refusals ----------------------------------------------------------------------------------

def test_other_devices_are_refused():
    x = torch.empty(4, 5, device="meta")
    with pytest.raises(ValueError, match="input is on meta: losscore.torch computes on CPU tensors only"):
        LT.mse_loss(x, torch.randn(4, 5))


def test_complex_dtypes_are_refused():
    with pytest.raises(TypeError, match="input has dtype torch.complex64: LossCore computes float32, float64, "
                                        "float16 and bfloat16"):
        LT.mse_loss(torch.randn(4, 5).to(torch.complex64), torch.randn(4, 5).to(torch.complex64))


def test_sparse_tensors_are_refused():
    with pytest.raises(ValueError, match="sparse_coo tensor"):
        LT.mse_loss(torch.randn(4, 5).to_sparse(), torch.randn(4, 5))


@pytest.mark.parametrize("name, args, argument", [
    ("mse_loss", lambda: (torch.randn(4, 5, requires_grad=True), torch.randn(4, 5, requires_grad=True)), "target"),
    ("cross_entropy", lambda: (torch.randn(6, 5, requires_grad=True), torch.rand(6, 5, requires_grad=True)), "target"),
    ("gaussian_nll_loss", lambda: (torch.randn(4, 5), torch.randn(4, 5, requires_grad=True), torch.ones(4, 5)),
     "target"),
])
def test_gradients_losscore_does_not_compute_are_refused(name, args, argument):
    with pytest.raises(NotImplementedError, match=f"no gradient with respect to {argument}"):
        getattr(LT, name)(*args())
    with torch.no_grad():  # no gradient asked for: computed
        getattr(LT, name)(*args())


def test_a_weight_that_requires_grad_is_refused():
    with pytest.raises(NotImplementedError, match="no gradient with respect to weight"):
        LT.cross_entropy(torch.randn(6, 5), torch.randint(0, 5, (6,)), weight=torch.ones(5, requires_grad=True))


def test_double_backward_is_refused():
    x = torch.randn(4, 5, dtype=torch.float64, requires_grad=True)
    g, = torch.autograd.grad(LT.mse_loss(x, torch.zeros(4, 5, dtype=torch.float64)), x, create_graph=True)
    with pytest.raises(RuntimeError, match="twice|once_differentiable|does not require grad"):
        g.sum().backward()


def test_losscore_errors_keep_their_messages():
    with pytest.raises(IndexError, match="out of"):
        LT.cross_entropy(torch.randn(6, 5, requires_grad=True), torch.full((6,), 7))
    with pytest.raises(ValueError, match="reduction='avg' is not a valid value"):
        LT.mse_loss(torch.randn(3, requires_grad=True), torch.randn(3), reduction="avg")


def test_metric_inputs_that_require_grad_give_a_value_outside_the_graph():
    x = torch.randn(6, 5, requires_grad=True)
    loss = LT.zero_one_loss(x, torch.randint(0, 5, (6,)))
    assert not loss.requires_grad


# --- the distance function ----------------------------------------------------------------------

def test_a_torch_distance_function_runs_torch():
    a, p, n = leaves([torch.randn(6, 4, dtype=torch.float64) for _ in range(3)], (0, 1, 2))

    def distance(x, y):
        return 1 - TF.cosine_similarity(x, y)

    ours = LT.triplet_margin_with_distance_loss(a, p, n, distance_function=distance, margin=0.5)
    theirs = TF.triplet_margin_with_distance_loss(a, p, n, distance_function=distance, margin=0.5)
    assert torch.equal(ours, theirs)
    assert all(g is not None for g in torch.autograd.grad(ours, (a, p, n)))


# --- modules ------------------------------------------------------------------------------------

def module_cases():
    """(case, our module class, torch's module class or None) for every case of a loss that has one."""
    out = []
    for case in CASES:
        loss = next(l for l in LT.functional.__dict__.values() if getattr(l, "__name__", None) == case.name)
        names = [n for n in LT.nn.__all__ if getattr(LT.nn, n)._loss.name == loss.__name__]
        for name in names:
            out.append((case, getattr(LT.nn, name), getattr(torch.nn, name, None)))
    return out


@pytest.mark.parametrize("case, ours, theirs", module_cases(), ids=lambda v: repr(v) if isinstance(v, type(CASES[0]))
                         else getattr(v, "__name__", "none"))
def test_modules_match_torch(case, ours, theirs):
    args, kwargs = case.arguments(torch.float64)
    kwargs.setdefault("reduction", "sum")
    if case.name == "kl_div":
        kwargs["reduction"] = "batchmean"
    options = {k: v for k, v in kwargs.items() if k in ours._loss.module_parameters}
    module = ours(**options)
    assert isinstance(module, torch.nn.Module)
    reference_module = theirs(**options) if theirs is not None else lambda *a: reference(case.name)(*a, **options)
    mine, my_grads = evaluate(module, args, {}, case.grads)
    want, want_grads = evaluate(reference_module, args, {}, case.grads)
    assert_close(mine, want, torch.float64, "loss")
    for g, h in zip(my_grads, want_grads):
        assert_close(g, h, torch.float64, "gradient")


def test_module_options_buffers_and_state():
    w = torch.rand(5) + 0.5
    module = LT.nn.CrossEntropyLoss(weight=w, ignore_index=2, label_smoothing=0.1)
    assert module.reduction == "mean" and module.ignore_index == 2 and module.label_smoothing == 0.1
    assert list(module.state_dict()) == ["weight"] and torch.equal(module.weight, w)
    assert repr(module) == "CrossEntropyLoss(ignore_index=2, reduction='mean', label_smoothing=0.1)"
    x = torch.randn(6, 5, dtype=torch.float64)
    t = torch.randint(0, 5, (6,))
    double = LT.nn.CrossEntropyLoss(weight=w, ignore_index=2, label_smoothing=0.1).double()
    assert double.weight.dtype == torch.float64  # buffers follow the module, as torch's
    torch.testing.assert_close(double(x, t), torch.nn.CrossEntropyLoss(weight=w.double(), ignore_index=2,
                                                                       label_smoothing=0.1)(x, t))
    module.reduction = "sum"  # attributes are read at each call, as torch's
    torch.testing.assert_close(module(x.float(), t), TF.cross_entropy(x.float(), t, weight=w, ignore_index=2,
                                                                      label_smoothing=0.1, reduction="sum"))
    bce = LT.nn.BCEWithLogitsLoss(pos_weight=torch.ones(3))
    assert list(bce.state_dict()) == ["pos_weight"]


def test_module_legacy_flags_and_option_checks():
    assert LT.nn.MSELoss(size_average=False).reduction == "sum"
    assert LT.nn.L1Loss(reduce=False).reduction == "none"
    with pytest.raises(ValueError, match="label_smoothing must be between 0.0 and 1.0"):
        LT.nn.CrossEntropyLoss(label_smoothing=2.0)
    with pytest.raises(ValueError, match="reduction='avg' is not a valid value"):
        LT.nn.MSELoss(reduction="avg")


def test_every_module_and_function():
    import losscore.functional as F
    import losscore.nn as N
    assert sorted(LT.nn.__all__) == sorted(N.__all__)
    assert sorted(LT.functional.__all__) == sorted(n for n in F.__all__ if not n.endswith("_and_grad"))
    for name in LT.functional.__all__:
        assert getattr(LT, name) is getattr(LT.functional, name)


def test_signatures_are_torchs():
    """Names, kinds and defaults of torch.nn.functional's parameters (its annotations aside)."""
    import inspect

    def parameters(fn):
        return [(p.name, p.kind, p.default) for p in inspect.signature(fn).parameters.values()]

    mirrored = [name for name in LT.functional.__all__ if hasattr(TF, name)]
    assert len(mirrored) == 21
    for name in mirrored:
        assert parameters(getattr(LT, name)) == parameters(getattr(TF, name)), name


def test_importing_losscore_does_not_import_torch():
    code = "import sys, losscore, losscore.functional, losscore.nn; print('torch' in sys.modules)"
    path = os.pathsep.join([str(Path(LT.__file__).resolve().parents[2]), os.environ.get("PYTHONPATH", "")])
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                            env={**os.environ, "PYTHONPATH": path})
    assert result.stdout.strip() == "False"


def test_stubs_declare_the_runtime():
    """losscore/torch/functional.pyi and nn.pyi (written without torch) declare exactly the
    functions and classes, with the runtime's parameters."""
    import ast
    import inspect

    root = Path(LT.__file__).resolve().parent

    def parameters(node):
        args = node.args
        defaults = [inspect.Parameter.empty] * (len(args.args) - len(args.defaults)) + [
            ast.literal_eval(d) for d in args.defaults]
        made = [(a.arg, d) for a, d in zip(args.args, defaults)]
        return made + [(a.arg, inspect.Parameter.empty if d is None else ast.literal_eval(d))
                       for a, d in zip(args.kwonlyargs, args.kw_defaults)]

    def runtime(function):
        return [(p.name, p.default) for p in inspect.signature(function).parameters.values()]

    functions = {node.name: node for node in ast.parse((root / "functional.pyi").read_text()).body
                 if isinstance(node, ast.FunctionDef)}
    assert sorted(functions) == sorted(LT.functional.__all__)
    for name, node in functions.items():
        assert parameters(node) == runtime(getattr(LT, name)), name
    classes = {node.name: node for node in ast.parse((root / "nn.pyi").read_text()).body
               if isinstance(node, ast.ClassDef)}
    assert sorted(classes) == sorted(LT.nn.__all__)
    for name, node in classes.items():
        init = next(n for n in node.body if isinstance(n, ast.FunctionDef) and n.name == "__init__")
        assert parameters(init)[1:] == runtime(getattr(LT.nn, name).__init__)[1:], name
