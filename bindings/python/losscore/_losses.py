"""Every loss of the package, described as data, grouped by driver family.

A description says what differs between losses: torch's parameters, the C entry's parameters,
argument policies and option validators (with torch's messages). _generate.py makes each
loss's function, its ``<name>_and_grad`` twin and its module class from it (functional.py and
nn.py hold them), and _convert.run computes it, so a new loss of an existing family is one
entry below.
"""
from __future__ import annotations

import ast
import ctypes
import inspect
import math
import re

from ._convert import (CLASS_MARGINS, CLASS_ROWS, ELEMENTWISE, ELEMENTWISE_OPERANDS, METRICS, ROW_TUPLES, SEQUENCES,
                       choice, flag, int64, real)
from ._ffi import Entry

# Parameters with a fixed meaning in every signature; any other parameter is an option.
OPERANDS = ("anchor", "positive", "negative", "input1", "input2")
# Data arguments after the first two (input and target), passed to the family's driver in order.
MORE_DATA = ("input_lengths", "target_lengths")
ROLES = frozenset({"input", "inputs", "log_probs", "target", "targets", "var", "weight", "pos_weight",
                   "size_average", "reduce", "reduction", *OPERANDS, *MORE_DATA})
LEGACY = ("size_average", "reduce")


def parameters(source: str) -> dict:
    """{name: default} of a parameter list written as Python source ('input, target, beta=1.0')."""
    args = ast.parse(f"def f({source}): pass").body[0].args
    defaults = [ast.literal_eval(d) for d in args.defaults]
    required = [inspect.Parameter.empty] * (len(args.args) - len(defaults))
    keyword_only = {a.arg: inspect.Parameter.empty if d is None else ast.literal_eval(d)
                    for a, d in zip(args.kwonlyargs, args.kw_defaults)}
    return {**dict(zip((a.arg for a in args.args), required + defaults)), **keyword_only}


class Loss:
    """The description of one loss.

    name        the public function; its C entry is losscore_<name>_f32 / _f64
    family      its driver family (_convert.ELEMENTWISE, CLASS_ROWS, SEQUENCES, METRICS)
    signature   torch's parameters of the function, as Python source with the defaults
    c           the C entry's parameters in the header's names and order (options by name)
    doc         what it computes: the opening paragraph of its docstrings
    module      the nn class with its constructor's parameters, 'Name(params)'; None: no class
    options     a validator (_convert.real / int64 / flag) per option: a parameter that is no ROLE
    mirrors     the torch function it mirrors; None for the package's own losses
    probabilities, labels   the parameters of the family's second C entry, if the loss has one:
                losscore_<name>_probs_f32/_f64 (class rows: floating probability targets) or
                losscore_<name>_labels (metrics: integer predicted labels, one dtype)
    targets     what the targets of a class-margins loss are: 'index' (a class per row),
                'labels' (rows of class indices ended by -1) or 'values' (floating, broadcast)
    fixed       {C option: value} the C entry takes that the Python function does not (a loss that
                runs another loss's kernel with some options fixed)
    c_names     {option: its name in the header} where the two differ
    kernel      the C entry's stem where it is another loss's (default: the name)
    python_option   the option that, when not None, is a callable evaluated in Python
                (the row-tuple driver then computes the loss with it: _distance.py)
    row_check   row-tuple losses: f(options, rows, width) raising where torch refuses the shape
                for those options
    integers_follow, same_shape, target_into_input, weight, mean_divides_by_weights
                argument policies of the elementwise family (see the REGRESSION and BINARY
                bundles below; target_into_input: the target broadcasts into input's shape,
                silently, and never enlarges it; broadcast_warning: torch's warning when input
                and target broadcast to a new shape, which its composite losses do not give)
    batchmean   whether reduction='batchmean' is accepted (torch's kl_div: 'sum' over input's
                first dimension)
    mean_warning  torch's warning for reduction='mean', given on each such call
    three       the data arguments of a loss of three operands (family ELEMENTWISE_OPERANDS), in
                torch's order; the first and the loss's other differentiable one (the gradients
                in its C entry) have gradients. same_rank: torch's check that all three have the
                same number of dimensions; shared_third: the third is torch's Gaussian var (a
                Python float, or an array shared along one dimension: _convert.operands)
    arguments   {parameter: its Args line} where the family's words do not fit
    none, mean  what reduction 'none' returns and what 'mean' divides the sum by, where the
                family's words (_generate._NONE, _MEAN) do not fit
    example     its Example: the doctest of its docstrings
    """

    def __init__(self, name, *, family, signature, c, doc, module=None, options=None,
                 mirrors="torch.nn.functional", probabilities=None, labels=None,
                 integers_follow=False, same_shape=None, target_into_input=False, broadcast_warning=True,
                 weight=None, mean_divides_by_weights=False, batchmean=False, mean_warning=None, fixed=None,
                 row_check=None, python_option=None, c_names=None, kernel=None, targets=None, three=None,
                 same_rank=False, shared_third=False, arguments=None, none=None, mean=None, example=None):
        self.name, self.family, self.signature, self.doc = name, family, signature, doc
        self.none, self.mean, self.example = none, mean, example
        self.targets = targets
        self.mirrors = mirrors and f"{mirrors}.{name}"
        self.options = dict(options or {})
        self.integers_follow, self.same_shape, self.weight = integers_follow, same_shape, weight
        self.target_into_input, self.broadcast_warning = target_into_input, broadcast_warning
        self.mean_divides_by_weights = mean_divides_by_weights
        self.batchmean, self.mean_warning = batchmean, mean_warning
        self.parameters = parameters(signature)
        # A loss of three elementwise operands names them itself (three); a row-tuple loss's
        # operands are its parameters among OPERANDS.
        self.three, self.same_rank, self.shared_third = three, same_rank, shared_third
        self.arguments = dict(arguments or {})
        self.operands = () if three else tuple(p for p in self.parameters if p in OPERANDS)
        # The positional arrays as messages name them (a pair loss's target after its operands).
        self.names = (tuple(three) if three else self.operands + ("target",) * ("target" in self.parameters)
                      if self.operands else tuple(self.parameters)[:2])
        # The differentiable operands of a three-operand loss: the first, and the one its C
        # entry's second gradient is named for (grad_input2 -> input2, grad_var -> var).
        self.gradients = three and (three[0], [p[5:] for p in c.split() if p.startswith("grad_")
                                               and p not in ("grad_output", f"grad_{three[0]}")][0])
        self.more = tuple(p for p in self.parameters if p in MORE_DATA)
        self.option_names = tuple(p for p in self.parameters if p not in ROLES)
        if set(self.option_names) != set(self.options):
            raise ValueError(f"{name}: options {self.option_names} need one validator each, got {tuple(self.options)}")
        self.fixed, self.row_check, self.python_option = dict(fixed or {}), row_check, python_option
        # In the order of the options tuple the generated function passes (its options, then
        # the fixed ones); an option evaluated in Python (ctype None) is not passed to C.
        c_names = c_names or {}
        option_types = {c_names.get(option, option): self.options[option].ctype for option in self.option_names}
        option_types.update({option: ctypes.c_double for option in self.fixed})
        self.entry = Entry(kernel or name, c, option_types, slots=three and _slots(c.split(), three))
        self.plain = family.plain  # read on every call, so kept one attribute away
        self.probabilities_entry = probabilities and Entry(f"{name}_probs", probabilities, option_types)
        self.labels_entry = labels and Entry(f"{name}_labels", labels, option_types, typed=False)
        self.module = None
        if module:
            self.module, self.module_signature = re.fullmatch(r"(\w+)\((.*)\)", module, re.S).groups()
            self.module_parameters = parameters(self.module_signature)
            self.module_options = tuple(p for p in self.module_parameters if p not in LEGACY)
        # The example runs the function, its twin and the module with the same options.
        if example is None:
            raise ValueError(f"{name}: give it an example (Example) for its docstrings")
        unknown = set(example.options) - set(self.parameters) | (
            set(example.options) - set(self.module_parameters) if module else set())
        if unknown:
            raise ValueError(f"{name}: the example's options {sorted(unknown)} must be parameters of the "
                             "function and of the module")
        if module and "reduction" not in example.options and \
                self.parameters["reduction"] != self.module_parameters["reduction"]:
            raise ValueError(f"{name}: the function's and the module's default reductions differ: "
                             "the example must name one")

    def __repr__(self):
        return f"<loss {self.name} ({self.family.name})>"


class Example:
    """The example of a loss's docstrings, run as a doctest: `data` {argument: Python
    expression (numpy is np)} in the call's order, `options` {option: Python expression} passed
    to the function and to the module's constructor, and what printing the loss and each
    gradient (in the _and_grad order), rounded to 4 decimals, shows."""

    def __init__(self, data: dict, loss: str, grads: tuple = (), options: dict = None):
        self.data, self.loss, self.grads, self.options = data, loss, tuple(grads), dict(options or {})


def _slots(params, operands) -> dict:
    """The slots (_ffi.OPERAND_ARGUMENTS) of a three-operand loss's C parameters: its data in the
    header's order, its gradients in the header's order."""
    data = [p for p in params if p in operands]
    grads = [p for p in params if p.startswith("grad_") and p != "grad_output"]
    return {**dict(zip(data, ("first", "second", "third"))), **dict(zip(grads, ("grad_first", "grad_second")))}


# --- option validators shared by several losses ---------------------------------------------

def not_nan(name: str, doc: str):
    """The validator of a real option whose domain is every value but NaN (the header's
    [-inf, inf] rows: margins, eps, the triplet norm's p)."""
    return real(lambda value: not math.isnan(value), f"{name} must not be NaN (got {{}})", doc)


GAMMA = real(lambda gamma: gamma >= 0 and math.isfinite(gamma), "gamma must be a finite number >= 0 (got {})",
             "the focusing exponent on the probability of the wrong answer (>= 0, finite; 0 gives cross-entropy)")
IGNORE_INDEX = int64("a target class index that contributes neither loss nor gradient")
MARGIN = not_nan("margin", "the margin of the hinge (any real but NaN)")


# --- the elementwise family: one loss per element of input and target ---------------------

# torch's regression losses: integer data takes the floating operand's dtype, the target
# broadcasts with input (with torch's warning), a weight has input's shape.
REGRESSION = dict(family=ELEMENTWISE, integers_follow=True, weight="input_shape")
# torch's binary losses: floating data only, a target of input's shape, weights broadcast into it.
BINARY = dict(family=ELEMENTWISE, weight="broadcast")
# torch's distribution losses (kl_div, poisson_nll_loss): no weight; the target broadcasts
# with input without a warning.
DISTRIBUTION = dict(family=ELEMENTWISE, broadcast_warning=False)
SAME_SIZE = "{Target} size ({target_shape}) must be the same as {input} size ({input_shape})"
_WEIGHTED = "input target weight n reduction out grad_output grad_input"

ELEMENTWISE_LOSSES = (
    Loss("l1_loss", **REGRESSION, mean_divides_by_weights=True, c=_WEIGHTED,
         signature="input, target, size_average=None, reduce=None, reduction='mean', weight=None",
         module="L1Loss(size_average=None, reduce=None, reduction='mean')",
         example=Example(dict(input="np.array([0.5, 2.0, -1.0])", target="np.array([1.0, 1.0, 0.0])"),
                         loss="0.8333", grads=("[-0.3333  0.3333 -0.3333]",)),
         doc="Mean absolute error: ``w * |input - target|``; weighted 'mean' divides by ``sum(w)``."),
    Loss("mse_loss", **REGRESSION, mean_divides_by_weights=True, c=_WEIGHTED,
         signature="input, target, size_average=None, reduce=None, reduction='mean', weight=None",
         module="MSELoss(size_average=None, reduce=None, reduction='mean')",
         example=Example(dict(input="np.array([0.5, 2.0, -1.0])", target="np.array([1.0, 1.0, 0.0])"),
                         loss="0.75", grads=("[-0.3333  0.6667 -0.6667]",)),
         doc="Mean squared error: ``w * (input - target)**2``; weighted 'mean' divides by ``sum(w)``."),
    Loss("smooth_l1_loss", **REGRESSION, c="input target n reduction beta out grad_output grad_input",
         signature="input, target, size_average=None, reduce=None, reduction='mean', beta=1.0",
         module="SmoothL1Loss(size_average=None, reduce=None, reduction='mean', beta=1.0)",
         options={"beta": real(lambda beta: beta >= 0,
                               "smooth_l1_loss does not support negative values for beta (got beta={})",
                               "where the loss turns from squared to linear (>= 0; 0 gives the L1 loss)")},
         example=Example(dict(input="np.array([0.5, 2.0, -1.0])", target="np.array([1.0, 1.0, 0.0])"),
                         loss="0.1875", grads=("[-0.0833  0.1667 -0.1667]",), options=dict(beta="2.0")),
         doc="Smooth L1: ``0.5 d**2 / beta`` for ``|d| < beta``, else ``|d| - 0.5 beta``; beta=0 is L1."),
    Loss("huber_loss", **REGRESSION, c="input target weight n reduction delta out grad_output grad_input",
         signature="input, target, reduction='mean', delta=1.0, weight=None",
         module="HuberLoss(reduction='mean', delta=1.0)",
         options={"delta": real(lambda delta: delta > 0,
                                "huber_loss does not support non-positive values for delta (got delta={})",
                                "where the loss turns from squared to linear (> 0)")},
         example=Example(dict(input="np.array([0.5, 2.0, -1.0])", target="np.array([1.0, 1.0, 0.0])"),
                         loss="0.3617", grads=("[-0.1667  0.2667 -0.2667]",), options=dict(delta="0.8")),
         doc="Huber: ``0.5 d**2`` for ``|d| < delta``, else ``delta (|d| - 0.5 delta)``.\n\n"
             "With ``weight``, 'mean' is ``mean(w * l)`` (divides by the element count), as torch does."),
    Loss("binary_cross_entropy", **BINARY, c=_WEIGHTED,
         same_shape="Using a {target} size ({target_shape}) that is different to the {input} size "
                    "({input_shape}) is deprecated. Please ensure they have the same size.",
         signature="input, target, weight=None, size_average=None, reduce=None, reduction='mean'",
         module="BCELoss(weight=None, size_average=None, reduce=None, reduction='mean')",
         example=Example(dict(input="np.array([0.8, 0.3, 0.6])", target="np.array([1.0, 0.0, 1.0])"),
                         loss="0.3635", grads=("[-0.4167  0.4762 -0.5556]",)),
         doc="Binary cross-entropy of probabilities: ``-w * (y * log(x) + (1 - y) * log(1 - x))``, each log "
             "clamped at -100.\n\n"
             "``input`` and ``target`` have the same shape; 'mean' divides by the element count. Every "
             "element of ``input`` and ``target`` must lie in [0, 1] (ValueError otherwise, as torch). "
             "The gradient is torch's: "
             "``w * (x - y) / max((1 - x) * x, 1e-12)``."),
    Loss("binary_cross_entropy_with_logits", **BINARY, same_shape=SAME_SIZE,
         c="input target weight pos_weight pos_weight_count n reduction out grad_output grad_input",
         signature="input, target, weight=None, size_average=None, reduce=None, reduction='mean', pos_weight=None",
         module="BCEWithLogitsLoss(weight=None, size_average=None, reduce=None, reduction='mean', pos_weight=None)",
         example=Example(dict(input="np.array([1.5, -0.5, 0.2])", target="np.array([1.0, 0.0, 1.0])"),
                         loss="0.4245", grads=("[-0.0608  0.1258 -0.1501]",)),
         doc="Binary cross-entropy on logits: ``w * ((1 - y) * x + (1 + (p - 1) * y) * softplus(-x))``, "
             "``p`` being ``pos_weight``.\n\n"
             "The stable form: finite for any logit; 'mean' divides by the element count. The gradient is "
             "``w * ((1 + (p - 1) * y) * sigmoid(x) - p * y)``."),
    Loss("sigmoid_focal_loss", **BINARY, same_shape=SAME_SIZE, mirrors="torchvision.ops",
         c="input target n reduction alpha gamma out grad_output grad_input",
         signature="inputs, targets, alpha=0.25, gamma=2.0, reduction='none'",
         module="SigmoidFocalLoss(alpha=0.25, gamma=2.0, reduction='none')",
         options={"alpha": real(lambda alpha: 0 <= alpha <= 1 or alpha == -1,
                                "Invalid alpha value: {}. alpha must be in the range [0,1] or -1 for ignore.",
                                "the weight of positive targets in [0, 1] (negatives get 1 - alpha), or -1 for none"),
                  "gamma": GAMMA},
         example=Example(dict(inputs="np.array([1.5, -0.5, 0.2])", targets="np.array([1.0, 0.0, 1.0])"),
                         loss="[0.0017 0.0507 0.0303]", grads=("[-0.0043  0.1035 -0.0561]",)),
         doc="The sigmoid focal loss of RetinaNet: ``a_t * bce_with_logits(x, y) * (1 - p_t) ** gamma``.\n\n"
             "Exactly ``torchvision.ops.sigmoid_focal_loss``, with ``p = sigmoid(x)``, "
             "``p_t = p y + (1 - p)(1 - y)`` and ``a_t = alpha y + (1 - alpha)(1 - y)``. Note the default "
             "reduction 'none', as torchvision's. The gradient matches autograd through torchvision's "
             "expression, except that it stays finite (the true limit, 0) where autograd gives NaN."),
    Loss("soft_margin_loss", family=ELEMENTWISE, integers_follow=True, target_into_input=True,
         c="input target n reduction out grad_output grad_input",
         signature="input, target, size_average=None, reduce=None, reduction='mean'",
         module="SoftMarginLoss(size_average=None, reduce=None, reduction='mean')",
         example=Example(dict(input="np.array([0.5, -1.0, 2.0])", target="np.array([1.0, 1.0, -1.0])"),
                         loss="1.3048", grads=("[-0.1258 -0.2437  0.2936]",)),
         doc="Two-class logistic loss: ``log(1 + exp(-target * input))`` for targets usually -1 or 1.\n\n"
             "The gradient is ``-y * sigmoid(-y * x)``. Evaluated stably: where torch's "
             "``log1p(exp(-y x))`` overflows to inf (``y x`` below about -88 in float32), this gives the "
             "true value ``-y x`` and gradient ``-y``."),
    Loss("hinge_embedding_loss", family=ELEMENTWISE, integers_follow=True, broadcast_warning=False,
         c="input target n reduction margin out grad_output grad_input",
         signature="input, target, margin=1.0, size_average=None, reduce=None, reduction='mean'",
         module="HingeEmbeddingLoss(margin=1.0, size_average=None, reduce=None, reduction='mean')",
         options={"margin": MARGIN},
         example=Example(dict(input="np.array([0.3, 1.5, 0.2])", target="np.array([1.0, -1.0, -1.0])"),
                         loss="0.3667", grads=("[ 0.3333  0.     -0.3333]",)),
         doc="Hinge embedding loss: ``x`` where the target is 1, ``max(0, margin - x)`` where it is -1.\n\n"
             "Any other target takes both terms, as torch composes it; input and target broadcast "
             "together. The gradient is 1 and -1 (0 past the margin) there."),
    Loss("kl_div", **DISTRIBUTION, batchmean=True,
         mean_warning="reduction: 'mean' divides the total loss by both the batch size and the support size."
                      "'batchmean' divides only by the batch size, and aligns with the KL div math definition."
                      "'mean' will be changed to behave the same as 'batchmean' in the next major release.",
         c="input target n reduction log_target out grad_output grad_input",
         signature="input, target, size_average=None, reduce=None, reduction='mean', log_target=False",
         module="KLDivLoss(size_average=None, reduce=None, reduction='mean', log_target=False)",
         options={"log_target": flag("whether target holds log-probabilities (else probabilities)")},
         example=Example(dict(input="np.log(np.array([[0.25, 0.25, 0.5]]))",
                              target="np.array([[0.5, 0.25, 0.25]])"),
                         loss="0.1733", grads=("[[-0.5  -0.25 -0.25]]",), options=dict(reduction="'batchmean'")),
         doc="Kullback-Leibler divergence: ``target * (log(target) - input)`` per element, for "
             "log-probabilities ``input`` and the distribution ``target``.\n\n"
             "0 where the target is 0; with ``log_target`` "
             "``exp(target) * (target - input)``; the gradient of an element's loss is ``-target`` (``-exp(target)``). "
             "Reduction 'batchmean' divides the sum by the batch size (input's first dimension): the KL "
             "divergence per sample; 'mean' divides by every element and torch warns about it, as here. "
             "Integer arrays are refused, as torch refuses them."),
    Loss("poisson_nll_loss", **DISTRIBUTION, integers_follow=True,
         c="input target n reduction log_input full eps out grad_output grad_input",
         signature="input, target, log_input=True, full=False, size_average=None, eps=1e-08, reduce=None, "
                   "reduction='mean'",
         module="PoissonNLLLoss(log_input=True, full=False, size_average=None, eps=1e-08, reduce=None, "
                "reduction='mean')",
         options={"log_input": flag("whether input holds log-rates (else rates)"),
                  "full": flag("whether to add the Stirling term of log(target!) (where target > 1)"),
                  "eps": not_nan("eps", "added to the rate inside the log when log_input is False")},
         example=Example(dict(input="np.array([0.5, -1.0, 0.0])", target="np.array([2.0, 0.0, 1.0])"),
                         loss="0.6722", grads=("[-0.1171  0.1226  0.    ]",)),
         doc="Poisson negative log-likelihood: ``exp(input) - target * input`` for log-rates ``input`` and "
             "counts ``target``.\n\n"
             "Its gradient is ``exp(input) - target``; with "
             "``log_input=False`` ``input - target * log(input + eps)`` (gradient ``1 - target / (input + eps)``); "
             "``full`` adds ``target * log(target) - target + 0.5 * log(2 pi target)`` where target > 1."),
    Loss("margin_ranking_loss", family=ELEMENTWISE_OPERANDS, integers_follow=True, same_rank=True,
         three=("input1", "input2", "target"),
         c="input1 input2 target n reduction margin out grad_output grad_input1 grad_input2",
         signature="input1, input2, target, margin=0, size_average=None, reduce=None, reduction='mean'",
         module="MarginRankingLoss(margin=0.0, size_average=None, reduce=None, reduction='mean')",
         options={"margin": MARGIN},
         arguments={"input1": "scores, an array of any shape", "input2": "scores of the same number of dimensions",
                    "target": "1 where input1 should rank higher, -1 where input2 should; the three broadcast "
                              "together and must have the same number of dimensions"},
         example=Example(dict(input1="np.array([0.8, 0.2, 0.5])",
                              input2="np.array([0.75, 0.6, 0.4])",
                              target="np.array([1.0, 1.0, -1.0])"),
                         loss="0.25",
                         grads=("[-0.3333 -0.3333  0.3333]", "[ 0.3333  0.3333 -0.3333]"),
                         options=dict(margin="0.1")),
         doc="Margin ranking loss: ``max(0, -y * (x1 - x2) + margin)``.\n\n"
             "The gradients with respect to ``input1`` and ``input2`` are ``-y`` and ``y`` where the clamp "
             "passes (at equality too) and 0 elsewhere; ``_and_grad`` returns ``(loss, (grad_input1, "
             "grad_input2))``."),
    Loss("gaussian_nll_loss", family=ELEMENTWISE_OPERANDS, integers_follow=True, shared_third=True,
         three=("input", "target", "var"),
         c="input target var n var_repeat var_inner reduction full eps out grad_output grad_input grad_var",
         signature="input, target, var, full=False, eps=1e-06, reduction='mean'",
         module="GaussianNLLLoss(*, full=False, eps=1e-06, reduction='mean')",
         options={"full": flag("add the constant 0.5 * log(2 * pi) to each loss"),
                  "eps": not_nan("eps", "the smallest variance: var is clamped to it (its gradient passes unchanged)")},
         arguments={"input": "the means (expectations), an array of any shape",
                    "target": "samples, broadcast with input",
                    "var": "variances >= 0: input's shape, input's shape with one dimension of size 1 (or "
                           "without its last dimension), or a Python float (no gradient)"},
         example=Example(dict(input="np.array([0.5, 2.0, -1.0])",
                              target="np.array([1.0, 1.0, 0.0])",
                              var="np.array([0.5, 1.0, 2.0])"),
                         loss="0.3333", grads=("[-0.3333  0.3333 -0.1667]", "[0.1667 0.     0.0417]")),
         doc="Gaussian negative log likelihood: ``0.5 * (log(v) + (input - target)**2 / v)`` with "
             "``v = max(var, eps)``.\n\n"
             "``full`` adds ``0.5 * log(2 * pi)``. The clamp is torch's, under no_grad: the gradient with "
             "respect to var is ``0.5 * (1 / v - (input - target)**2 / v**2)`` also where it clamps, summed "
             "over the elements that share a variance. ``_and_grad`` returns ``(loss, (grad_input, "
             "grad_var))``, grad_var None for a float var."),
)

# --- the class-rows family: one loss per row of class scores -------------------------------

ROWS = dict(family=CLASS_ROWS, weight="per_class")

CLASS_ROWS_LOSSES = (
    Loss("cross_entropy", **ROWS,
         c="input target weight n c inner ignore_index reduction label_smoothing out grad_output grad_input",
         probabilities="input target weight n c inner reduction label_smoothing out grad_output grad_input",
         signature="input, target, weight=None, size_average=None, ignore_index=-100, reduce=None, "
                   "reduction='mean', label_smoothing=0.0",
         module="CrossEntropyLoss(weight=None, size_average=None, ignore_index=-100, reduce=None, "
                "reduction='mean', label_smoothing=0.0)",
         options={"ignore_index": IGNORE_INDEX,
                  "label_smoothing": real(lambda s: 0.0 <= s <= 1.0,
                                          "label_smoothing must be between 0.0 and 1.0. Got: {}",
                                          "the share of the target spread uniformly over the classes, in [0, 1]")},
         example=Example(dict(input="np.array([[2.0, 0.5, -1.0], [0.1, 1.2, 0.3]])", target="np.array([0, 2])"),
                         loss="0.8474", grads=("[[-0.1072  0.0876  0.0196]\n [ 0.0957  0.2874 -0.3831]]",)),
         doc="Cross-entropy of logits: ``-w[y] * log_softmax(input)[y]`` per position for a class index "
             "``y``, ``-sum_c w[c] * target[c] * log_softmax(input)[c]`` for class probabilities.\n\n"
             "The target holds class indices (integer, the input's shape without the class dimension) or "
             "class probabilities (floating, the input's shape). ``label_smoothing`` mixes the target with "
             "the uniform distribution, as torch does. Unweighted, the gradient of one position's loss is "
             "``softmax(input) - target`` (the target one-hot for class indices), before the reduction "
             "('mean' divides it by the number of positions)."),
    Loss("nll_loss", **ROWS, options={"ignore_index": IGNORE_INDEX},
         c="input target weight n c inner ignore_index reduction out grad_output grad_input",
         signature="input, target, weight=None, size_average=None, ignore_index=-100, reduce=None, reduction='mean'",
         module="NLLLoss(weight=None, size_average=None, ignore_index=-100, reduce=None, reduction='mean')",
         example=Example(dict(input="np.log(np.array([[0.7, 0.2, 0.1], [0.1, 0.3, 0.6]]))",
                              target="np.array([0, 2])"),
                         loss="0.4338", grads=("[[-0.5  0.   0. ]\n [ 0.   0.  -0.5]]",)),
         doc="Negative log-likelihood: ``-w[y] * input[y]`` per position, for log-probabilities ``input`` and "
             "class indices ``y``.\n\n"
             "The gradient is ``-w[y]`` at the target class and 0 elsewhere; ignored positions give 0."),
    Loss("focal_loss", **ROWS, mirrors=None, options={"gamma": GAMMA, "ignore_index": IGNORE_INDEX},
         c="input target weight n c inner gamma ignore_index reduction out grad_output grad_input",
         signature="input, target, weight=None, gamma=2.0, ignore_index=-100, reduction='mean'",
         module="FocalLoss(weight=None, gamma=2.0, reduction='none', ignore_index=-100)",
         example=Example(dict(input="np.array([[2.0, 0.5, -1.0], [0.1, 1.2, 0.3]])", target="np.array([0, 2])"),
                         loss="[0.0111 0.8535]",
                         grads=("[[-0.0273  0.0223  0.005 ]\n [ 0.212   0.6369 -0.8489]]",),
                         options=dict(reduction="'none'")),
         doc="Multi-class focal loss: ``nll_loss((1 - softmax(x))**gamma * log_softmax(x), target, weight, ...)``."
             "\n\n``weight`` (per class) plays the role of alpha; gamma = 0 is cross-entropy. The module "
             "is the tutorial's, with its default reduction 'none'."),
)


# --- the class-margins family: one loss per row of (N, C) scores, the class dimension last ---

CLASS_MARGINS_LOSSES = (
    Loss("multi_margin_loss", family=CLASS_MARGINS, targets="index", weight="per_class",
         c="input target weight n c reduction p margin out grad_output grad_input",
         signature="input, target, p=1, margin=1.0, weight=None, size_average=None, reduce=None, reduction='mean'",
         module="MultiMarginLoss(p=1, margin=1.0, weight=None, size_average=None, reduce=None, reduction='mean')",
         options={"p": choice((1, 2), "only p == 1 and p == 2 supported (got p={})",
                              "the power of each hinge term: 1 or 2"),
                  "margin": not_nan("margin", "the margin the target's score must exceed the others' by "
                                              "(any real but NaN)")},
         example=Example(dict(input="np.array([[0.8, 0.2, 0.5], [0.1, 0.9, 0.4]])", target="np.array([0, 2])"),
                         loss="0.55", grads=("[[-0.3333  0.1667  0.1667]\n [ 0.1667  0.1667 -0.3333]]",)),
         doc="Multi-class hinge loss: ``sum_{j != y} w_y max(0, margin - x_y + x_j)**p / C`` per row.\n\n"
             "``input`` is (N, C) or (C,) scores, ``target`` the class index of each row (int, (N,) or "
             "0-d); ``weight`` (C,) weighs each row by its target's class. The gradient is "
             "``w_y (1 or 2 z_j) / C`` at each class j whose term is positive, minus their sum at y."),
    Loss("multilabel_margin_loss", family=CLASS_MARGINS, targets="labels",
         c="input labels n c reduction out grad_output grad_input",
         signature="input, target, size_average=None, reduce=None, reduction='mean'",
         module="MultiLabelMarginLoss(size_average=None, reduce=None, reduction='mean')",
         example=Example(dict(input="np.array([[0.1, 0.2, 0.4, 0.8]])", target="np.array([[3, 0, -1, 1]])"),
                         loss="0.85", grads=("[[-0.5  0.5  0.5 -0.5]]",)),
         doc="Multi-label hinge loss: ``sum_{y in T} sum_{j not in T} max(0, 1 - (x_y - x_j)) / C`` per row.\n\n"
             "``target`` has input's shape ((N, C) or (C,)) and lists each row's target classes T, "
             "ended by the first -1; every value must be in [-1, C)."),
    Loss("multilabel_soft_margin_loss", family=CLASS_MARGINS, targets="values", weight="broadcast",
         c="input target weight weight_count n c reduction out grad_output grad_input",
         signature="input, target, weight=None, size_average=None, reduce=None, reduction='mean'",
         module="MultiLabelSoftMarginLoss(weight=None, size_average=None, reduce=None, reduction='mean')",
         example=Example(dict(input="np.array([[1.5, -0.5, 0.2]])", target="np.array([[1.0, 0.0, 1.0]])"),
                         loss="0.4245", grads=("[[-0.0608  0.1258 -0.1501]]",)),
         doc="Multi-label logistic loss: ``-(y log sigmoid(x) + (1 - y) log sigmoid(-x))`` per class, "
             "times ``weight``, averaged over the classes of each row.\n\n"
             "As torch composes it: input, target and weight broadcast together, and the sum runs over "
             "dimension ``input.ndim - 1`` of that shape, divided by ``input.shape[-1]``. Evaluated in the "
             "stable form of BCE with logits; the gradient of a row's loss is ``w (sigmoid(x) - y) / C``, "
             "before the reduction."),
)


# --- the sequences family: one loss per sequence of frames -----------------------------------

SEQUENCES_LOSSES = (
    Loss("ctc_loss", family=SEQUENCES,
         c="log_probs targets input_lengths target_lengths t n c s blank reduction zero_infinity out grad_output "
           "grad_log_probs",
         signature="log_probs, targets, input_lengths, target_lengths, blank=0, reduction='mean', zero_infinity=False",
         module="CTCLoss(blank=0, reduction='mean', zero_infinity=False)",
         options={"blank": int64("the blank class, in [0, C)"),
                  "zero_infinity": flag("whether a sample with no alignment (inf) gives loss 0 and gradient 0")},
         example=Example(dict(log_probs="np.log(np.full((3, 3), 1 / 3))", targets="np.array([1, 2])",
                              input_lengths="3", target_lengths="2"),
                         loss="0.8432",
                         grads=("[[ 0.0667 -0.2333  0.1667]\n [ 0.0667 -0.0333 -0.0333]\n"
                                " [ 0.0667  0.1667 -0.2333]]",)),
         doc="Connectionist temporal classification: ``-log(sum over the alignments a of the target of "
             "prod_t exp(log_probs[t, a_t]))`` per sample.\n\n"
             "``log_probs`` is ``(T, N, C)`` (or ``(T, C)``); log-space forward-backward; 'mean' divides "
             "each sample's loss by its target length (at least 1) and averages over the batch. "
             "The gradient is torch's CTC backward, "
             "``exp(x) - exp(log(sum alpha beta) + loss - x)``, which assumes ``log_probs`` are "
             "``log_softmax`` outputs; frames past a sample's input length get 0."),
)


# --- the metrics family: non-differentiable counts over rows --------------------------------

METRICS_LOSSES = (
    Loss("zero_one_loss", family=METRICS, mirrors=None, signature="input, target, reduction='mean'",
         c="input target n c reduction out", labels="input target n reduction out",
         example=Example(dict(input="np.array([[0.9, 0.1], [0.2, 0.8], [0.6, 0.4]])", target="np.array([0, 0, 0])"),
                         loss="0.3333"),
         doc="0-1 loss: ``argmax(input) != target`` per row, 1.0 or 0.0; 'mean' is the error rate.\n\n"
             "``input`` is float scores ``(N, C)`` (prediction: argmax over the last dim, first index on "
             "ties, NaN counts as the maximum) or integer labels ``(N,)``; ``target`` holds integer labels "
             "``(N,)``. Scores give a result of their dtype, labels float64. Not differentiable."),
)

# --- the row-tuples family: one loss per row of two or three inputs (N, D) ----------------------

_TRIPLET_C = ("anchor positive negative n d reduction margin norm_p distance_eps swap out grad_output "
              "grad_anchor grad_positive grad_negative")
POSITIVE_MARGIN = real(lambda margin: margin > 0, "margin must be greater than 0, got {}",
                       "the distance by which negatives should be farther than positives (> 0)")


def _norm_of_rows(options, rows, width):
    """torch's vector norm has no value on empty rows for p < 0 or p = inf (no identity)."""
    p = options[1]
    if rows and not width and (p < 0 or p == math.inf):
        raise ValueError(f"linalg.vector_norm cannot compute the {p} norm on the last dimension because "
                         "this dimension is empty and the operation does not have an identity")


def _callable_or_none(value, name):
    if value is not None and not callable(value):
        raise TypeError(f"{name} must be a callable or None, got {type(value).__name__}")
    return value


_callable_or_none.doc = ("None (pairwise_distance, p=2, eps=1e-6, computed by the library), or a callable "
                         "f(x1, x2) of arrays returning one distance per row; for the _and_grad form it "
                         "needs f.and_grad(x1, x2) returning (distances, d/dx1, d/dx2) (see losscore._distance)")
_callable_or_none.ctype = None
_callable_or_none.annotation = "Optional[Callable[..., Any]]"  # its type in the stubs


def _truth(value, name):
    """torch's `if swap:`: any value with a truth value."""
    try:
        return int(bool(value))
    except (TypeError, ValueError) as error:
        raise TypeError(f"{name} must be a bool, got {type(value).__name__} ({error})") from None


_truth.doc = "use min(d(anchor, negative), d(positive, negative)) as the negative distance"
_truth.ctype, _truth.truth_value = ctypes.c_int32, True

ROW_TUPLES_LOSSES = (
    Loss("cosine_embedding_loss", family=ROW_TUPLES,
         c="input1 input2 target n d reduction margin out grad_output grad_input1 grad_input2",
         signature="input1, input2, target, margin=0, size_average=None, reduce=None, reduction='mean'",
         module="CosineEmbeddingLoss(margin=0.0, size_average=None, reduce=None, reduction='mean')",
         options={"margin": not_nan("margin", "the cosine below which targets -1 are not penalized (any real "
                                                     "but NaN; [-1, 1] is useful)")},
         example=Example(dict(input1="np.array([[0.6, 0.8], [0.8, 0.6]])",
                              input2="np.array([[0.8, 0.6], [0.6, 0.8]])",
                              target="np.array([1.0, -1.0])"),
                         loss="0.25",
                         grads=("[[-0.112  0.084]\n [-0.084  0.112]]", "[[ 0.084 -0.112]\n [ 0.112 -0.084]]"),
                         options=dict(margin="0.5")),
         doc="Cosine embedding loss: ``1 - cos(x1, x2)`` where the target is 1, ``max(0, cos - margin)`` "
             "where it is -1, 0 elsewhere.\n\n``cos = x1.x2 / sqrt((|x1|^2 + 1e-12)(|x2|^2 + 1e-12))`` per row "
             "(the last dimension), as torch composes it; a 1-D target (N,) goes with (N, D) inputs, a 0-d one "
             "with (D,) inputs, and they broadcast together. The gradients (input1, input2) are torch's "
             "autograd."),
    Loss("triplet_margin_loss", family=ROW_TUPLES, c=_TRIPLET_C, c_names={"p": "norm_p", "eps": "distance_eps"},
         signature="anchor, positive, negative, margin=1.0, p=2, eps=1e-06, swap=False, size_average=None, "
                   "reduce=None, reduction='mean'",
         module="TripletMarginLoss(margin=1.0, p=2.0, eps=1e-06, swap=False, size_average=None, reduce=None, "
                "reduction='mean')",
         row_check=_norm_of_rows,
         options={"margin": POSITIVE_MARGIN,
                  "p": not_nan("p", "the degree of the distance's norm: any real, 0 (non-zero count) and +-inf "
                                     "included"),
                  "eps": not_nan("eps", "added to each difference before its norm is taken"),
                  "swap": flag("use min(d(anchor, negative), d(positive, negative)) as the negative distance")},
         example=Example(dict(anchor="np.array([[0.0, 0.0], [1.0, 1.0]])",
                              positive="np.array([[0.3, 0.4], [1.6, 1.8]])",
                              negative="np.array([[0.8, -0.6], [0.6, 1.3]])"),
                         loss="1.0",
                         grads=("[[ 0.1 -0.7]\n [-0.7 -0.1]]", "[[0.3 0.4]\n [0.3 0.4]]",
                                "[[-0.4  0.3]\n [ 0.4 -0.3]]")),
         doc="Triplet margin loss: ``max(0, margin + d(a, p) - d(a, n))`` per row, ``d(x, y) = ||x - y + eps||_p``.\n\n"
             "Rows are the last dimension; anchor, positive and negative have the same number of dimensions "
             "and broadcast together. The gradients (anchor, positive, negative) are torch's autograd."),
    Loss("triplet_margin_with_distance_loss", family=ROW_TUPLES, c=_TRIPLET_C, kernel="triplet_margin_loss",
         fixed={"norm_p": 2.0, "distance_eps": 1e-6}, python_option="distance_function",
         signature="anchor, positive, negative, *, distance_function=None, margin=1.0, swap=False, reduction='mean'",
         module="TripletMarginWithDistanceLoss(*, distance_function=None, margin=1.0, swap=False, reduction='mean')",
         options={"distance_function": _callable_or_none, "margin": POSITIVE_MARGIN, "swap": _truth},
         example=Example(dict(anchor="np.array([[0.0, 0.0], [1.0, 1.0]])",
                              positive="np.array([[0.3, 0.4], [1.6, 1.8]])",
                              negative="np.array([[0.8, -0.6], [0.6, 1.3]])"),
                         loss="2.0",
                         grads=("[[ 0.1 -0.7]\n [-0.7 -0.1]]", "[[0.3 0.4]\n [0.3 0.4]]",
                                "[[-0.4  0.3]\n [ 0.4 -0.3]]"),
                         options=dict(margin="2.0")),
         doc="Triplet margin loss with a distance function: ``max(0, margin + f(a, p) - f(a, n))`` per row.\n\n"
             "Without ``distance_function`` the library computes pairwise_distance (p=2, eps=1e-6), the "
             "triplet_margin_loss kernel, with its gradients. A callable is evaluated in Python on the "
             "arrays; the _and_grad form then calls ``distance_function.and_grad(x1, x2)``, which must "
             "return ``(distances, d/dx1, d/dx2)`` (each row's distance against that row), and raises "
             "TypeError for a callable without it."),
)

LOSSES = (ELEMENTWISE_LOSSES + CLASS_ROWS_LOSSES + CLASS_MARGINS_LOSSES + SEQUENCES_LOSSES + METRICS_LOSSES
          + ROW_TUPLES_LOSSES)
