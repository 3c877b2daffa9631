# Type stubs of losscore.nn, whose module classes are generated at import from the loss
# descriptions in _losses.py. Written by bindings/python/generate_stubs.py: do not edit.
from typing import Any, Callable, Literal, Optional, Tuple, Union

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._generate import Module

Reduction = Literal["none", "mean", "sum"]
BatchmeanReduction = Literal["none", "batchmean", "mean", "sum"]
Loss = Union[NDArray[np.floating[Any]], np.floating[Any]]

__all__: list[str]

class L1Loss(Module):
    """The ``l1_loss`` module: options go to the constructor, arrays to the call.

    Mean absolute error: ``w * |input - target|``; weighted 'mean' divides by ``sum(w)``.

    Same parameters, defaults, semantics and errors as ``torch.nn.functional.l1_loss``.

    Args:
        size_average: deprecated, as in torch: when given, it and ``reduce`` decide the
            reduction. Default: ``None``.
        reduce: deprecated, as in torch: when given, it and ``size_average`` decide the
            reduction. Default: ``None``.
        reduction: 'none', 'mean' or 'sum' (see Reduction). Default: ``'mean'``.

    Reduction:
        'none': one loss per element, of the broadcast shape of the arrays; 'mean': their sum
        divided by the element count; 'sum': their sum. Default: ``'mean'``.

    Returns:
        Calling the module, ``loss_fn(input, target)``, returns ``l1_loss(input, target,
        **options)``; ``loss_fn.loss_and_grad(input, target, grad_output=None)`` returns
        ``l1_loss_and_grad``'s ``(loss, grad)`` pair.

    Gradients:
        With respect to input (not target, weight): the gradient of ``sum(grad_output * loss)``,
        computed in the same pass as the loss by ``loss_and_grad``.

    Example:
        >>> import numpy as np
        >>> import losscore.nn as nn
        >>> input = np.array([0.5, 2.0, -1.0])
        >>> target = np.array([1.0, 1.0, 0.0])
        >>> loss_fn = nn.L1Loss()
        >>> print(np.round(loss_fn(input, target), 4))
        0.8333
        >>> loss, grad = loss_fn.loss_and_grad(input, target)
        >>> print(np.round(grad, 4))
        [-0.3333  0.3333 -0.3333]
    """
    reduction: Reduction
    def __init__(self, size_average: Optional[bool] = None, reduce: Optional[bool] = None, reduction: Reduction = 'mean') -> None: ...
    def forward(self, input: ArrayLike, target: ArrayLike, /) -> Loss: ...
    def __call__(self, input: ArrayLike, target: ArrayLike, /) -> Loss: ...
    def loss_and_grad(self, input: ArrayLike, target: ArrayLike, /, grad_output: Optional[ArrayLike] = None) -> Tuple[Loss, NDArray[np.floating[Any]]]: ...

class MSELoss(Module):
    """The ``mse_loss`` module: options go to the constructor, arrays to the call.

    Mean squared error: ``w * (input - target)**2``; weighted 'mean' divides by ``sum(w)``.

    Same parameters, defaults, semantics and errors as ``torch.nn.functional.mse_loss``.

    Args:
        size_average: deprecated, as in torch: when given, it and ``reduce`` decide the
            reduction. Default: ``None``.
        reduce: deprecated, as in torch: when given, it and ``size_average`` decide the
            reduction. Default: ``None``.
        reduction: 'none', 'mean' or 'sum' (see Reduction). Default: ``'mean'``.

    Reduction:
        'none': one loss per element, of the broadcast shape of the arrays; 'mean': their sum
        divided by the element count; 'sum': their sum. Default: ``'mean'``.

    Returns:
        Calling the module, ``loss_fn(input, target)``, returns ``mse_loss(input, target,
        **options)``; ``loss_fn.loss_and_grad(input, target, grad_output=None)`` returns
        ``mse_loss_and_grad``'s ``(loss, grad)`` pair.

    Gradients:
        With respect to input (not target, weight): the gradient of ``sum(grad_output * loss)``,
        computed in the same pass as the loss by ``loss_and_grad``.

    Example:
        >>> import numpy as np
        >>> import losscore.nn as nn
        >>> input = np.array([0.5, 2.0, -1.0])
        >>> target = np.array([1.0, 1.0, 0.0])
        >>> loss_fn = nn.MSELoss()
        >>> print(np.round(loss_fn(input, target), 4))
        0.75
        >>> loss, grad = loss_fn.loss_and_grad(input, target)
        >>> print(np.round(grad, 4))
        [-0.3333  0.6667 -0.6667]
    """
    reduction: Reduction
    def __init__(self, size_average: Optional[bool] = None, reduce: Optional[bool] = None, reduction: Reduction = 'mean') -> None: ...
    def forward(self, input: ArrayLike, target: ArrayLike, /) -> Loss: ...
    def __call__(self, input: ArrayLike, target: ArrayLike, /) -> Loss: ...
    def loss_and_grad(self, input: ArrayLike, target: ArrayLike, /, grad_output: Optional[ArrayLike] = None) -> Tuple[Loss, NDArray[np.floating[Any]]]: ...

class SmoothL1Loss(Module):
    """The ``smooth_l1_loss`` module: options go to the constructor, arrays to the call.

    Smooth L1: ``0.5 d**2 / beta`` for ``|d| < beta``, else ``|d| - 0.5 beta``; beta=0 is L1.

    Same parameters, defaults, semantics and errors as ``torch.nn.functional.smooth_l1_loss``.

    Args:
        size_average: deprecated, as in torch: when given, it and ``reduce`` decide the
            reduction. Default: ``None``.
        reduce: deprecated, as in torch: when given, it and ``size_average`` decide the
            reduction. Default: ``None``.
        reduction: 'none', 'mean' or 'sum' (see Reduction). Default: ``'mean'``.
        beta: where the loss turns from squared to linear (>= 0; 0 gives the L1 loss). Default:
            ``1.0``.

    Reduction:
        'none': one loss per element, of the broadcast shape of the arrays; 'mean': their sum
        divided by the element count; 'sum': their sum. Default: ``'mean'``.

    Returns:
        Calling the module, ``loss_fn(input, target)``, returns ``smooth_l1_loss(input, target,
        **options)``; ``loss_fn.loss_and_grad(input, target, grad_output=None)`` returns
        ``smooth_l1_loss_and_grad``'s ``(loss, grad)`` pair.

    Gradients:
        With respect to input (not target): the gradient of ``sum(grad_output * loss)``,
        computed in the same pass as the loss by ``loss_and_grad``.

    Example:
        >>> import numpy as np
        >>> import losscore.nn as nn
        >>> input = np.array([0.5, 2.0, -1.0])
        >>> target = np.array([1.0, 1.0, 0.0])
        >>> loss_fn = nn.SmoothL1Loss(beta=2.0)
        >>> print(np.round(loss_fn(input, target), 4))
        0.1875
        >>> loss, grad = loss_fn.loss_and_grad(input, target)
        >>> print(np.round(grad, 4))
        [-0.0833  0.1667 -0.1667]
    """
    reduction: Reduction
    beta: float
    def __init__(self, size_average: Optional[bool] = None, reduce: Optional[bool] = None, reduction: Reduction = 'mean', beta: float = 1.0) -> None: ...
    def forward(self, input: ArrayLike, target: ArrayLike, /) -> Loss: ...
    def __call__(self, input: ArrayLike, target: ArrayLike, /) -> Loss: ...
    def loss_and_grad(self, input: ArrayLike, target: ArrayLike, /, grad_output: Optional[ArrayLike] = None) -> Tuple[Loss, NDArray[np.floating[Any]]]: ...

class HuberLoss(Module):
    """The ``huber_loss`` module: options go to the constructor, arrays to the call.

    Huber: ``0.5 d**2`` for ``|d| < delta``, else ``delta (|d| - 0.5 delta)``.

    With ``weight``, 'mean' is ``mean(w * l)`` (divides by the element count), as torch does.

    Same parameters, defaults, semantics and errors as ``torch.nn.functional.huber_loss``.

    Args:
        reduction: 'none', 'mean' or 'sum' (see Reduction). Default: ``'mean'``.
        delta: where the loss turns from squared to linear (> 0). Default: ``1.0``.

    Reduction:
        'none': one loss per element, of the broadcast shape of the arrays; 'mean': their sum
        divided by the element count; 'sum': their sum. Default: ``'mean'``.

    Returns:
        Calling the module, ``loss_fn(input, target)``, returns ``huber_loss(input, target,
        **options)``; ``loss_fn.loss_and_grad(input, target, grad_output=None)`` returns
        ``huber_loss_and_grad``'s ``(loss, grad)`` pair.

    Gradients:
        With respect to input (not target, weight): the gradient of ``sum(grad_output * loss)``,
        computed in the same pass as the loss by ``loss_and_grad``.

    Example:
        >>> import numpy as np
        >>> import losscore.nn as nn
        >>> input = np.array([0.5, 2.0, -1.0])
        >>> target = np.array([1.0, 1.0, 0.0])
        >>> loss_fn = nn.HuberLoss(delta=0.8)
        >>> print(np.round(loss_fn(input, target), 4))
        0.3617
        >>> loss, grad = loss_fn.loss_and_grad(input, target)
        >>> print(np.round(grad, 4))
        [-0.1667  0.2667 -0.2667]
    """
    reduction: Reduction
    delta: float
    def __init__(self, reduction: Reduction = 'mean', delta: float = 1.0) -> None: ...
    def forward(self, input: ArrayLike, target: ArrayLike, /) -> Loss: ...
    def __call__(self, input: ArrayLike, target: ArrayLike, /) -> Loss: ...
    def loss_and_grad(self, input: ArrayLike, target: ArrayLike, /, grad_output: Optional[ArrayLike] = None) -> Tuple[Loss, NDArray[np.floating[Any]]]: ...

class BCELoss(Module):
    """The ``binary_cross_entropy`` module: options go to the constructor, arrays to the call.

    Binary cross-entropy of probabilities: ``-w * (y * log(x) + (1 - y) * log(1 - x))``, each
    log clamped at -100.

    ``input`` and ``target`` have the same shape; 'mean' divides by the element count. Every
    element of ``input`` and ``target`` must lie in [0, 1] (ValueError otherwise, as torch). The
    gradient is torch's: ``w * (x - y) / max((1 - x) * x, 1e-12)``.

    Same parameters, defaults, semantics and errors as
    ``torch.nn.functional.binary_cross_entropy``.

    Args:
        weight: None, or weights broadcast to input's shape. Default: ``None``.
        size_average: deprecated, as in torch: when given, it and ``reduce`` decide the
            reduction. Default: ``None``.
        reduce: deprecated, as in torch: when given, it and ``size_average`` decide the
            reduction. Default: ``None``.
        reduction: 'none', 'mean' or 'sum' (see Reduction). Default: ``'mean'``.

    Reduction:
        'none': one loss per element, of the broadcast shape of the arrays; 'mean': their sum
        divided by the element count; 'sum': their sum. Default: ``'mean'``.

    Returns:
        Calling the module, ``loss_fn(input, target)``, returns ``binary_cross_entropy(input,
        target, **options)``; ``loss_fn.loss_and_grad(input, target, grad_output=None)`` returns
        ``binary_cross_entropy_and_grad``'s ``(loss, grad)`` pair.

    Gradients:
        With respect to input (not target, weight): the gradient of ``sum(grad_output * loss)``,
        computed in the same pass as the loss by ``loss_and_grad``.

    Example:
        >>> import numpy as np
        >>> import losscore.nn as nn
        >>> input = np.array([0.8, 0.3, 0.6])
        >>> target = np.array([1.0, 0.0, 1.0])
        >>> loss_fn = nn.BCELoss()
        >>> print(np.round(loss_fn(input, target), 4))
        0.3635
        >>> loss, grad = loss_fn.loss_and_grad(input, target)
        >>> print(np.round(grad, 4))
        [-0.4167  0.4762 -0.5556]
    """
    weight: Optional[ArrayLike]
    reduction: Reduction
    def __init__(self, weight: Optional[ArrayLike] = None, size_average: Optional[bool] = None, reduce: Optional[bool] = None, reduction: Reduction = 'mean') -> None: ...
    def forward(self, input: ArrayLike, target: ArrayLike, /) -> Loss: ...
    def __call__(self, input: ArrayLike, target: ArrayLike, /) -> Loss: ...
    def loss_and_grad(self, input: ArrayLike, target: ArrayLike, /, grad_output: Optional[ArrayLike] = None) -> Tuple[Loss, NDArray[np.floating[Any]]]: ...

class BCEWithLogitsLoss(Module):
    """The ``binary_cross_entropy_with_logits`` module: options go to the constructor, arrays to
    the call.

    Binary cross-entropy on logits: ``w * ((1 - y) * x + (1 + (p - 1) * y) * softplus(-x))``,
    ``p`` being ``pos_weight``.

    The stable form: finite for any logit; 'mean' divides by the element count. The gradient is
    ``w * ((1 + (p - 1) * y) * sigmoid(x) - p * y)``.

    Same parameters, defaults, semantics and errors as
    ``torch.nn.functional.binary_cross_entropy_with_logits``.

    Args:
        weight: None, or weights broadcast to input's shape. Default: ``None``.
        size_average: deprecated, as in torch: when given, it and ``reduce`` decide the
            reduction. Default: ``None``.
        reduce: deprecated, as in torch: when given, it and ``size_average`` decide the
            reduction. Default: ``None``.
        reduction: 'none', 'mean' or 'sum' (see Reduction). Default: ``'mean'``.
        pos_weight: None, or the weight of positive targets, broadcast with input (typically
            (C,), along the last dimension). Default: ``None``.

    Reduction:
        'none': one loss per element, of the broadcast shape of the arrays; 'mean': their sum
        divided by the element count; 'sum': their sum. Default: ``'mean'``.

    Returns:
        Calling the module, ``loss_fn(input, target)``, returns
        ``binary_cross_entropy_with_logits(input, target, **options)``;
        ``loss_fn.loss_and_grad(input, target, grad_output=None)`` returns
        ``binary_cross_entropy_with_logits_and_grad``'s ``(loss, grad)`` pair.

    Gradients:
        With respect to input (not target, weight, pos_weight): the gradient of
        ``sum(grad_output * loss)``, computed in the same pass as the loss by ``loss_and_grad``.

    Example:
        >>> import numpy as np
        >>> import losscore.nn as nn
        >>> input = np.array([1.5, -0.5, 0.2])
        >>> target = np.array([1.0, 0.0, 1.0])
        >>> loss_fn = nn.BCEWithLogitsLoss()
        >>> print(np.round(loss_fn(input, target), 4))
        0.4245
        >>> loss, grad = loss_fn.loss_and_grad(input, target)
        >>> print(np.round(grad, 4))
        [-0.0608  0.1258 -0.1501]
    """
    weight: Optional[ArrayLike]
    reduction: Reduction
    pos_weight: Optional[ArrayLike]
    def __init__(self, weight: Optional[ArrayLike] = None, size_average: Optional[bool] = None, reduce: Optional[bool] = None, reduction: Reduction = 'mean', pos_weight: Optional[ArrayLike] = None) -> None: ...
    def forward(self, input: ArrayLike, target: ArrayLike, /) -> Loss: ...
    def __call__(self, input: ArrayLike, target: ArrayLike, /) -> Loss: ...
    def loss_and_grad(self, input: ArrayLike, target: ArrayLike, /, grad_output: Optional[ArrayLike] = None) -> Tuple[Loss, NDArray[np.floating[Any]]]: ...

class SigmoidFocalLoss(Module):
    """The ``sigmoid_focal_loss`` module: options go to the constructor, arrays to the call.

    The sigmoid focal loss of RetinaNet: ``a_t * bce_with_logits(x, y) * (1 - p_t) ** gamma``.

    Exactly ``torchvision.ops.sigmoid_focal_loss``, with ``p = sigmoid(x)``, ``p_t = p y + (1 -
    p)(1 - y)`` and ``a_t = alpha y + (1 - alpha)(1 - y)``. Note the default reduction 'none',
    as torchvision's. The gradient matches autograd through torchvision's expression, except
    that it stays finite (the true limit, 0) where autograd gives NaN.

    Same parameters, defaults, semantics and errors as ``torchvision.ops.sigmoid_focal_loss``.

    Args:
        alpha: the weight of positive targets in [0, 1] (negatives get 1 - alpha), or -1 for
            none. Default: ``0.25``.
        gamma: the focusing exponent on the probability of the wrong answer (>= 0, finite; 0
            gives cross-entropy). Default: ``2.0``.
        reduction: 'none', 'mean' or 'sum' (see Reduction). Default: ``'none'``.

    Reduction:
        'none': one loss per element, of the broadcast shape of the arrays; 'mean': their sum
        divided by the element count; 'sum': their sum. Default: ``'none'``.

    Returns:
        Calling the module, ``loss_fn(inputs, targets)``, returns ``sigmoid_focal_loss(inputs,
        targets, **options)``; ``loss_fn.loss_and_grad(inputs, targets, grad_output=None)``
        returns ``sigmoid_focal_loss_and_grad``'s ``(loss, grad)`` pair.

    Gradients:
        With respect to inputs (not targets): the gradient of ``sum(grad_output * loss)``,
        computed in the same pass as the loss by ``loss_and_grad``.

    Example:
        >>> import numpy as np
        >>> import losscore.nn as nn
        >>> inputs = np.array([1.5, -0.5, 0.2])
        >>> targets = np.array([1.0, 0.0, 1.0])
        >>> loss_fn = nn.SigmoidFocalLoss()
        >>> print(np.round(loss_fn(inputs, targets), 4))
        [0.0017 0.0507 0.0303]
        >>> loss, grad = loss_fn.loss_and_grad(inputs, targets)
        >>> print(np.round(grad, 4))
        [-0.0043  0.1035 -0.0561]
    """
    alpha: float
    gamma: float
    reduction: Reduction
    def __init__(self, alpha: float = 0.25, gamma: float = 2.0, reduction: Reduction = 'none') -> None: ...
    def forward(self, inputs: ArrayLike, targets: ArrayLike, /) -> Loss: ...
    def __call__(self, inputs: ArrayLike, targets: ArrayLike, /) -> Loss: ...
    def loss_and_grad(self, inputs: ArrayLike, targets: ArrayLike, /, grad_output: Optional[ArrayLike] = None) -> Tuple[Loss, NDArray[np.floating[Any]]]: ...

class SoftMarginLoss(Module):
    """The ``soft_margin_loss`` module: options go to the constructor, arrays to the call.

    Two-class logistic loss: ``log(1 + exp(-target * input))`` for targets usually -1 or 1.

    The gradient is ``-y * sigmoid(-y * x)``. Evaluated stably: where torch's ``log1p(exp(-y
    x))`` overflows to inf (``y x`` below about -88 in float32), this gives the true value ``-y
    x`` and gradient ``-y``.

    Same parameters, defaults, semantics and errors as ``torch.nn.functional.soft_margin_loss``.

    Args:
        size_average: deprecated, as in torch: when given, it and ``reduce`` decide the
            reduction. Default: ``None``.
        reduce: deprecated, as in torch: when given, it and ``size_average`` decide the
            reduction. Default: ``None``.
        reduction: 'none', 'mean' or 'sum' (see Reduction). Default: ``'mean'``.

    Reduction:
        'none': one loss per element, of the broadcast shape of the arrays; 'mean': their sum
        divided by the element count; 'sum': their sum. Default: ``'mean'``.

    Returns:
        Calling the module, ``loss_fn(input, target)``, returns ``soft_margin_loss(input,
        target, **options)``; ``loss_fn.loss_and_grad(input, target, grad_output=None)`` returns
        ``soft_margin_loss_and_grad``'s ``(loss, grad)`` pair.

    Gradients:
        With respect to input (not target): the gradient of ``sum(grad_output * loss)``,
        computed in the same pass as the loss by ``loss_and_grad``.

    Example:
        >>> import numpy as np
        >>> import losscore.nn as nn
        >>> input = np.array([0.5, -1.0, 2.0])
        >>> target = np.array([1.0, 1.0, -1.0])
        >>> loss_fn = nn.SoftMarginLoss()
        >>> print(np.round(loss_fn(input, target), 4))
        1.3048
        >>> loss, grad = loss_fn.loss_and_grad(input, target)
        >>> print(np.round(grad, 4))
        [-0.1258 -0.2437  0.2936]
    """
    reduction: Reduction
    def __init__(self, size_average: Optional[bool] = None, reduce: Optional[bool] = None, reduction: Reduction = 'mean') -> None: ...
    def forward(self, input: ArrayLike, target: ArrayLike, /) -> Loss: ...
    def __call__(self, input: ArrayLike, target: ArrayLike, /) -> Loss: ...
    def loss_and_grad(self, input: ArrayLike, target: ArrayLike, /, grad_output: Optional[ArrayLike] = None) -> Tuple[Loss, NDArray[np.floating[Any]]]: ...

class HingeEmbeddingLoss(Module):
    """The ``hinge_embedding_loss`` module: options go to the constructor, arrays to the call.

    Hinge embedding loss: ``x`` where the target is 1, ``max(0, margin - x)`` where it is -1.

    Any other target takes both terms, as torch composes it; input and target broadcast
    together. The gradient is 1 and -1 (0 past the margin) there.

    Same parameters, defaults, semantics and errors as
    ``torch.nn.functional.hinge_embedding_loss``.

    Args:
        margin: the margin of the hinge (any real but NaN). Default: ``1.0``.
        size_average: deprecated, as in torch: when given, it and ``reduce`` decide the
            reduction. Default: ``None``.
        reduce: deprecated, as in torch: when given, it and ``size_average`` decide the
            reduction. Default: ``None``.
        reduction: 'none', 'mean' or 'sum' (see Reduction). Default: ``'mean'``.

    Reduction:
        'none': one loss per element, of the broadcast shape of the arrays; 'mean': their sum
        divided by the element count; 'sum': their sum. Default: ``'mean'``.

    Returns:
        Calling the module, ``loss_fn(input, target)``, returns ``hinge_embedding_loss(input,
        target, **options)``; ``loss_fn.loss_and_grad(input, target, grad_output=None)`` returns
        ``hinge_embedding_loss_and_grad``'s ``(loss, grad)`` pair.

    Gradients:
        With respect to input (not target): the gradient of ``sum(grad_output * loss)``,
        computed in the same pass as the loss by ``loss_and_grad``.

    Example:
        >>> import numpy as np
        >>> import losscore.nn as nn
        >>> input = np.array([0.3, 1.5, 0.2])
        >>> target = np.array([1.0, -1.0, -1.0])
        >>> loss_fn = nn.HingeEmbeddingLoss()
        >>> print(np.round(loss_fn(input, target), 4))
        0.3667
        >>> loss, grad = loss_fn.loss_and_grad(input, target)
        >>> print(np.round(grad, 4))
        [ 0.3333  0.     -0.3333]
    """
    margin: float
    reduction: Reduction
    def __init__(self, margin: float = 1.0, size_average: Optional[bool] = None, reduce: Optional[bool] = None, reduction: Reduction = 'mean') -> None: ...
    def forward(self, input: ArrayLike, target: ArrayLike, /) -> Loss: ...
    def __call__(self, input: ArrayLike, target: ArrayLike, /) -> Loss: ...
    def loss_and_grad(self, input: ArrayLike, target: ArrayLike, /, grad_output: Optional[ArrayLike] = None) -> Tuple[Loss, NDArray[np.floating[Any]]]: ...

class KLDivLoss(Module):
    """The ``kl_div`` module: options go to the constructor, arrays to the call.

    Kullback-Leibler divergence: ``target * (log(target) - input)`` per element, for
    log-probabilities ``input`` and the distribution ``target``.

    0 where the target is 0; with ``log_target`` ``exp(target) * (target - input)``; the
    gradient of an element's loss is ``-target`` (``-exp(target)``). Reduction 'batchmean'
    divides the sum by the batch size (input's first dimension): the KL divergence per sample;
    'mean' divides by every element and torch warns about it, as here. Integer arrays are
    refused, as torch refuses them.

    Same parameters, defaults, semantics and errors as ``torch.nn.functional.kl_div``.

    Args:
        size_average: deprecated, as in torch: when given, it and ``reduce`` decide the
            reduction. Default: ``None``.
        reduce: deprecated, as in torch: when given, it and ``size_average`` decide the
            reduction. Default: ``None``.
        reduction: 'none', 'batchmean', 'mean' or 'sum' (see Reduction). Default: ``'mean'``.
        log_target: whether target holds log-probabilities (else probabilities). Default:
            ``False``.

    Reduction:
        'none': one loss per element, of the broadcast shape of the arrays; 'mean': their sum
        divided by the element count; 'sum': their sum; 'batchmean': the sum divided by input's
        first dimension (the KL divergence per sample). Default: ``'mean'``.

    Returns:
        Calling the module, ``loss_fn(input, target)``, returns ``kl_div(input, target,
        **options)``; ``loss_fn.loss_and_grad(input, target, grad_output=None)`` returns
        ``kl_div_and_grad``'s ``(loss, grad)`` pair.

    Gradients:
        With respect to input (not target): the gradient of ``sum(grad_output * loss)``,
        computed in the same pass as the loss by ``loss_and_grad``.

    Example:
        >>> import numpy as np
        >>> import losscore.nn as nn
        >>> input = np.log(np.array([[0.25, 0.25, 0.5]]))
        >>> target = np.array([[0.5, 0.25, 0.25]])
        >>> loss_fn = nn.KLDivLoss(reduction='batchmean')
        >>> print(np.round(loss_fn(input, target), 4))
        0.1733
        >>> loss, grad = loss_fn.loss_and_grad(input, target)
        >>> print(np.round(grad, 4))
        [[-0.5  -0.25 -0.25]]
    """
    reduction: BatchmeanReduction
    log_target: bool
    def __init__(self, size_average: Optional[bool] = None, reduce: Optional[bool] = None, reduction: BatchmeanReduction = 'mean', log_target: bool = False) -> None: ...
    def forward(self, input: ArrayLike, target: ArrayLike, /) -> Loss: ...
    def __call__(self, input: ArrayLike, target: ArrayLike, /) -> Loss: ...
    def loss_and_grad(self, input: ArrayLike, target: ArrayLike, /, grad_output: Optional[ArrayLike] = None) -> Tuple[Loss, NDArray[np.floating[Any]]]: ...

class PoissonNLLLoss(Module):
    """The ``poisson_nll_loss`` module: options go to the constructor, arrays to the call.

    Poisson negative log-likelihood: ``exp(input) - target * input`` for log-rates ``input`` and
    counts ``target``.

    Its gradient is ``exp(input) - target``; with ``log_input=False`` ``input - target *
    log(input + eps)`` (gradient ``1 - target / (input + eps)``); ``full`` adds ``target *
    log(target) - target + 0.5 * log(2 pi target)`` where target > 1.

    Same parameters, defaults, semantics and errors as ``torch.nn.functional.poisson_nll_loss``.

    Args:
        log_input: whether input holds log-rates (else rates). Default: ``True``.
        full: whether to add the Stirling term of log(target!) (where target > 1). Default:
            ``False``.
        size_average: deprecated, as in torch: when given, it and ``reduce`` decide the
            reduction. Default: ``None``.
        eps: added to the rate inside the log when log_input is False. Default: ``1e-08``.
        reduce: deprecated, as in torch: when given, it and ``size_average`` decide the
            reduction. Default: ``None``.
        reduction: 'none', 'mean' or 'sum' (see Reduction). Default: ``'mean'``.

    Reduction:
        'none': one loss per element, of the broadcast shape of the arrays; 'mean': their sum
        divided by the element count; 'sum': their sum. Default: ``'mean'``.

    Returns:
        Calling the module, ``loss_fn(input, target)``, returns ``poisson_nll_loss(input,
        target, **options)``; ``loss_fn.loss_and_grad(input, target, grad_output=None)`` returns
        ``poisson_nll_loss_and_grad``'s ``(loss, grad)`` pair.

    Gradients:
        With respect to input (not target): the gradient of ``sum(grad_output * loss)``,
        computed in the same pass as the loss by ``loss_and_grad``.

    Example:
        >>> import numpy as np
        >>> import losscore.nn as nn
        >>> input = np.array([0.5, -1.0, 0.0])
        >>> target = np.array([2.0, 0.0, 1.0])
        >>> loss_fn = nn.PoissonNLLLoss()
        >>> print(np.round(loss_fn(input, target), 4))
        0.6722
        >>> loss, grad = loss_fn.loss_and_grad(input, target)
        >>> print(np.round(grad, 4))
        [-0.1171  0.1226  0.    ]
    """
    log_input: bool
    full: bool
    eps: float
    reduction: Reduction
    def __init__(self, log_input: bool = True, full: bool = False, size_average: Optional[bool] = None, eps: float = 1e-08, reduce: Optional[bool] = None, reduction: Reduction = 'mean') -> None: ...
    def forward(self, input: ArrayLike, target: ArrayLike, /) -> Loss: ...
    def __call__(self, input: ArrayLike, target: ArrayLike, /) -> Loss: ...
    def loss_and_grad(self, input: ArrayLike, target: ArrayLike, /, grad_output: Optional[ArrayLike] = None) -> Tuple[Loss, NDArray[np.floating[Any]]]: ...

class MarginRankingLoss(Module):
    """The ``margin_ranking_loss`` module: options go to the constructor, arrays to the call.

    Margin ranking loss: ``max(0, -y * (x1 - x2) + margin)``.

    The gradients with respect to ``input1`` and ``input2`` are ``-y`` and ``y`` where the clamp
    passes (at equality too) and 0 elsewhere; ``_and_grad`` returns ``(loss, (grad_input1,
    grad_input2))``.

    Same parameters, defaults, semantics and errors as
    ``torch.nn.functional.margin_ranking_loss``.

    Args:
        margin: the margin of the hinge (any real but NaN). Default: ``0.0``.
        size_average: deprecated, as in torch: when given, it and ``reduce`` decide the
            reduction. Default: ``None``.
        reduce: deprecated, as in torch: when given, it and ``size_average`` decide the
            reduction. Default: ``None``.
        reduction: 'none', 'mean' or 'sum' (see Reduction). Default: ``'mean'``.

    Reduction:
        'none': one loss per element, of the broadcast shape of the arrays; 'mean': their sum
        divided by the element count; 'sum': their sum. Default: ``'mean'``.

    Returns:
        Calling the module, ``loss_fn(input1, input2, target)``, returns
        ``margin_ranking_loss(input1, input2, target, **options)``;
        ``loss_fn.loss_and_grad(input1, input2, target, grad_output=None)`` returns
        ``margin_ranking_loss_and_grad``'s ``(loss, grad)`` pair.

    Gradients:
        With respect to input1, input2 (not target): the gradient of ``sum(grad_output *
        loss)``, computed in the same pass as the loss by ``loss_and_grad``.

    Example:
        >>> import numpy as np
        >>> import losscore.nn as nn
        >>> input1 = np.array([0.8, 0.2, 0.5])
        >>> input2 = np.array([0.75, 0.6, 0.4])
        >>> target = np.array([1.0, 1.0, -1.0])
        >>> loss_fn = nn.MarginRankingLoss(margin=0.1)
        >>> print(np.round(loss_fn(input1, input2, target), 4))
        0.25
        >>> loss, (grad_input1, grad_input2) = loss_fn.loss_and_grad(input1, input2, target)
        >>> print(np.round(grad_input1, 4))
        [-0.3333 -0.3333  0.3333]
        >>> print(np.round(grad_input2, 4))
        [ 0.3333  0.3333 -0.3333]
    """
    margin: float
    reduction: Reduction
    def __init__(self, margin: float = 0.0, size_average: Optional[bool] = None, reduce: Optional[bool] = None, reduction: Reduction = 'mean') -> None: ...
    def forward(self, input1: ArrayLike, input2: ArrayLike, target: ArrayLike, /) -> Loss: ...
    def __call__(self, input1: ArrayLike, input2: ArrayLike, target: ArrayLike, /) -> Loss: ...
    def loss_and_grad(self, input1: ArrayLike, input2: ArrayLike, target: ArrayLike, /, grad_output: Optional[ArrayLike] = None) -> Tuple[Loss, NDArray[np.floating[Any]]]: ...

class GaussianNLLLoss(Module):
    """The ``gaussian_nll_loss`` module: options go to the constructor, arrays to the call.

    Gaussian negative log likelihood: ``0.5 * (log(v) + (input - target)**2 / v)`` with ``v =
    max(var, eps)``.

    ``full`` adds ``0.5 * log(2 * pi)``. The clamp is torch's, under no_grad: the gradient with
    respect to var is ``0.5 * (1 / v - (input - target)**2 / v**2)`` also where it clamps,
    summed over the elements that share a variance. ``_and_grad`` returns ``(loss, (grad_input,
    grad_var))``, grad_var None for a float var.

    Same parameters, defaults, semantics and errors as
    ``torch.nn.functional.gaussian_nll_loss``.

    Args:
        full: add the constant 0.5 * log(2 * pi) to each loss. Default: ``False``.
        eps: the smallest variance: var is clamped to it (its gradient passes unchanged).
            Default: ``1e-06``.
        reduction: 'none', 'mean' or 'sum' (see Reduction). Default: ``'mean'``.

    Reduction:
        'none': one loss per element, of the broadcast shape of the arrays; 'mean': their sum
        divided by the element count; 'sum': their sum. Default: ``'mean'``.

    Returns:
        Calling the module, ``loss_fn(input, target, var)``, returns ``gaussian_nll_loss(input,
        target, var, **options)``; ``loss_fn.loss_and_grad(input, target, var,
        grad_output=None)`` returns ``gaussian_nll_loss_and_grad``'s ``(loss, grad)`` pair.

    Gradients:
        With respect to input, var (not target): the gradient of ``sum(grad_output * loss)``,
        computed in the same pass as the loss by ``loss_and_grad``.

    Example:
        >>> import numpy as np
        >>> import losscore.nn as nn
        >>> input = np.array([0.5, 2.0, -1.0])
        >>> target = np.array([1.0, 1.0, 0.0])
        >>> var = np.array([0.5, 1.0, 2.0])
        >>> loss_fn = nn.GaussianNLLLoss()
        >>> print(np.round(loss_fn(input, target, var), 4))
        0.3333
        >>> loss, (grad_input, grad_var) = loss_fn.loss_and_grad(input, target, var)
        >>> print(np.round(grad_input, 4))
        [-0.3333  0.3333 -0.1667]
        >>> print(np.round(grad_var, 4))
        [0.1667 0.     0.0417]
    """
    full: bool
    eps: float
    reduction: Reduction
    def __init__(self, *, full: bool = False, eps: float = 1e-06, reduction: Reduction = 'mean') -> None: ...
    def forward(self, input: ArrayLike, target: ArrayLike, var: ArrayLike, /) -> Loss: ...
    def __call__(self, input: ArrayLike, target: ArrayLike, var: ArrayLike, /) -> Loss: ...
    def loss_and_grad(self, input: ArrayLike, target: ArrayLike, var: ArrayLike, /, grad_output: Optional[ArrayLike] = None) -> Tuple[Loss, NDArray[np.floating[Any]]]: ...

class CrossEntropyLoss(Module):
    """The ``cross_entropy`` module: options go to the constructor, arrays to the call.

    Cross-entropy of logits: ``-w[y] * log_softmax(input)[y]`` per position for a class index
    ``y``, ``-sum_c w[c] * target[c] * log_softmax(input)[c]`` for class probabilities.

    The target holds class indices (integer, the input's shape without the class dimension) or
    class probabilities (floating, the input's shape). ``label_smoothing`` mixes the target with
    the uniform distribution, as torch does. Unweighted, the gradient of one position's loss is
    ``softmax(input) - target`` (the target one-hot for class indices), before the reduction
    ('mean' divides it by the number of positions).

    Same parameters, defaults, semantics and errors as ``torch.nn.functional.cross_entropy``.

    Args:
        weight: None, or per-class weights (C,). Default: ``None``.
        size_average: deprecated, as in torch: when given, it and ``reduce`` decide the
            reduction. Default: ``None``.
        ignore_index: a target class index that contributes neither loss nor gradient. Default:
            ``-100``.
        reduce: deprecated, as in torch: when given, it and ``size_average`` decide the
            reduction. Default: ``None``.
        reduction: 'none', 'mean' or 'sum' (see Reduction). Default: ``'mean'``.
        label_smoothing: the share of the target spread uniformly over the classes, in [0, 1].
            Default: ``0.0``.

    Reduction:
        'none': one loss per position: target's shape (input's without the class dimension);
        'mean': their sum divided by the sum of ``weight[target]`` over the positions not
        ignored (their count without weight; with class-probability targets, the position
        count); 'sum': their sum. Default: ``'mean'``.

    Returns:
        Calling the module, ``loss_fn(input, target)``, returns ``cross_entropy(input, target,
        **options)``; ``loss_fn.loss_and_grad(input, target, grad_output=None)`` returns
        ``cross_entropy_and_grad``'s ``(loss, grad)`` pair.

    Gradients:
        With respect to input (not target, weight): the gradient of ``sum(grad_output * loss)``,
        computed in the same pass as the loss by ``loss_and_grad``.

    Example:
        >>> import numpy as np
        >>> import losscore.nn as nn
        >>> input = np.array([[2.0, 0.5, -1.0], [0.1, 1.2, 0.3]])
        >>> target = np.array([0, 2])
        >>> loss_fn = nn.CrossEntropyLoss()
        >>> print(np.round(loss_fn(input, target), 4))
        0.8474
        >>> loss, grad = loss_fn.loss_and_grad(input, target)
        >>> print(np.round(grad, 4))
        [[-0.1072  0.0876  0.0196]
         [ 0.0957  0.2874 -0.3831]]
    """
    weight: Optional[ArrayLike]
    ignore_index: int
    reduction: Reduction
    label_smoothing: float
    def __init__(self, weight: Optional[ArrayLike] = None, size_average: Optional[bool] = None, ignore_index: int = -100, reduce: Optional[bool] = None, reduction: Reduction = 'mean', label_smoothing: float = 0.0) -> None: ...
    def forward(self, input: ArrayLike, target: ArrayLike, /) -> Loss: ...
    def __call__(self, input: ArrayLike, target: ArrayLike, /) -> Loss: ...
    def loss_and_grad(self, input: ArrayLike, target: ArrayLike, /, grad_output: Optional[ArrayLike] = None) -> Tuple[Loss, NDArray[np.floating[Any]]]: ...

class NLLLoss(Module):
    """The ``nll_loss`` module: options go to the constructor, arrays to the call.

    Negative log-likelihood: ``-w[y] * input[y]`` per position, for log-probabilities ``input``
    and class indices ``y``.

    The gradient is ``-w[y]`` at the target class and 0 elsewhere; ignored positions give 0.

    Same parameters, defaults, semantics and errors as ``torch.nn.functional.nll_loss``.

    Args:
        weight: None, or per-class weights (C,). Default: ``None``.
        size_average: deprecated, as in torch: when given, it and ``reduce`` decide the
            reduction. Default: ``None``.
        ignore_index: a target class index that contributes neither loss nor gradient. Default:
            ``-100``.
        reduce: deprecated, as in torch: when given, it and ``size_average`` decide the
            reduction. Default: ``None``.
        reduction: 'none', 'mean' or 'sum' (see Reduction). Default: ``'mean'``.

    Reduction:
        'none': one loss per position: target's shape (input's without the class dimension);
        'mean': their sum divided by the sum of ``weight[target]`` over the positions not
        ignored (their count without weight; with class-probability targets, the position
        count); 'sum': their sum. Default: ``'mean'``.

    Returns:
        Calling the module, ``loss_fn(input, target)``, returns ``nll_loss(input, target,
        **options)``; ``loss_fn.loss_and_grad(input, target, grad_output=None)`` returns
        ``nll_loss_and_grad``'s ``(loss, grad)`` pair.

    Gradients:
        With respect to input (not target, weight): the gradient of ``sum(grad_output * loss)``,
        computed in the same pass as the loss by ``loss_and_grad``.

    Example:
        >>> import numpy as np
        >>> import losscore.nn as nn
        >>> input = np.log(np.array([[0.7, 0.2, 0.1], [0.1, 0.3, 0.6]]))
        >>> target = np.array([0, 2])
        >>> loss_fn = nn.NLLLoss()
        >>> print(np.round(loss_fn(input, target), 4))
        0.4338
        >>> loss, grad = loss_fn.loss_and_grad(input, target)
        >>> print(np.round(grad, 4))
        [[-0.5  0.   0. ]
         [ 0.   0.  -0.5]]
    """
    weight: Optional[ArrayLike]
    ignore_index: int
    reduction: Reduction
    def __init__(self, weight: Optional[ArrayLike] = None, size_average: Optional[bool] = None, ignore_index: int = -100, reduce: Optional[bool] = None, reduction: Reduction = 'mean') -> None: ...
    def forward(self, input: ArrayLike, target: ArrayLike, /) -> Loss: ...
    def __call__(self, input: ArrayLike, target: ArrayLike, /) -> Loss: ...
    def loss_and_grad(self, input: ArrayLike, target: ArrayLike, /, grad_output: Optional[ArrayLike] = None) -> Tuple[Loss, NDArray[np.floating[Any]]]: ...

class FocalLoss(Module):
    """The ``focal_loss`` module: options go to the constructor, arrays to the call.

    Multi-class focal loss: ``nll_loss((1 - softmax(x))**gamma * log_softmax(x), target, weight,
    ...)``.

    ``weight`` (per class) plays the role of alpha; gamma = 0 is cross-entropy. The module is
    the tutorial's, with its default reduction 'none'.

    Args:
        weight: None, or per-class weights (C,). Default: ``None``.
        gamma: the focusing exponent on the probability of the wrong answer (>= 0, finite; 0
            gives cross-entropy). Default: ``2.0``.
        reduction: 'none', 'mean' or 'sum' (see Reduction). Default: ``'none'``.
        ignore_index: a target class index that contributes neither loss nor gradient. Default:
            ``-100``.

    Reduction:
        'none': one loss per position: target's shape (input's without the class dimension);
        'mean': their sum divided by the sum of ``weight[target]`` over the positions not
        ignored (their count without weight; with class-probability targets, the position
        count); 'sum': their sum. Default: ``'none'``.

    Returns:
        Calling the module, ``loss_fn(input, target)``, returns ``focal_loss(input, target,
        **options)``; ``loss_fn.loss_and_grad(input, target, grad_output=None)`` returns
        ``focal_loss_and_grad``'s ``(loss, grad)`` pair.

    Gradients:
        With respect to input (not target, weight): the gradient of ``sum(grad_output * loss)``,
        computed in the same pass as the loss by ``loss_and_grad``.

    Example:
        >>> import numpy as np
        >>> import losscore.nn as nn
        >>> input = np.array([[2.0, 0.5, -1.0], [0.1, 1.2, 0.3]])
        >>> target = np.array([0, 2])
        >>> loss_fn = nn.FocalLoss(reduction='none')
        >>> print(np.round(loss_fn(input, target), 4))
        [0.0111 0.8535]
        >>> loss, grad = loss_fn.loss_and_grad(input, target)
        >>> print(np.round(grad, 4))
        [[-0.0273  0.0223  0.005 ]
         [ 0.212   0.6369 -0.8489]]
    """
    weight: Optional[ArrayLike]
    gamma: float
    reduction: Reduction
    ignore_index: int
    def __init__(self, weight: Optional[ArrayLike] = None, gamma: float = 2.0, reduction: Reduction = 'none', ignore_index: int = -100) -> None: ...
    def forward(self, input: ArrayLike, target: ArrayLike, /) -> Loss: ...
    def __call__(self, input: ArrayLike, target: ArrayLike, /) -> Loss: ...
    def loss_and_grad(self, input: ArrayLike, target: ArrayLike, /, grad_output: Optional[ArrayLike] = None) -> Tuple[Loss, NDArray[np.floating[Any]]]: ...

class MultiMarginLoss(Module):
    """The ``multi_margin_loss`` module: options go to the constructor, arrays to the call.

    Multi-class hinge loss: ``sum_{j != y} w_y max(0, margin - x_y + x_j)**p / C`` per row.

    ``input`` is (N, C) or (C,) scores, ``target`` the class index of each row (int, (N,) or
    0-d); ``weight`` (C,) weighs each row by its target's class. The gradient is ``w_y (1 or 2
    z_j) / C`` at each class j whose term is positive, minus their sum at y.

    Same parameters, defaults, semantics and errors as
    ``torch.nn.functional.multi_margin_loss``.

    Args:
        p: the power of each hinge term: 1 or 2. Default: ``1``.
        margin: the margin the target's score must exceed the others' by (any real but NaN).
            Default: ``1.0``.
        weight: None, or per-class weights (C,). Default: ``None``.
        size_average: deprecated, as in torch: when given, it and ``reduce`` decide the
            reduction. Default: ``None``.
        reduce: deprecated, as in torch: when given, it and ``size_average`` decide the
            reduction. Default: ``None``.
        reduction: 'none', 'mean' or 'sum' (see Reduction). Default: ``'mean'``.

    Reduction:
        'none': one loss per row: (N,), or 0-d for unbatched (C,); 'mean': their sum divided by
        the row count; 'sum': their sum. Default: ``'mean'``.

    Returns:
        Calling the module, ``loss_fn(input, target)``, returns ``multi_margin_loss(input,
        target, **options)``; ``loss_fn.loss_and_grad(input, target, grad_output=None)`` returns
        ``multi_margin_loss_and_grad``'s ``(loss, grad)`` pair.

    Gradients:
        With respect to input (not target, weight): the gradient of ``sum(grad_output * loss)``,
        computed in the same pass as the loss by ``loss_and_grad``.

    Example:
        >>> import numpy as np
        >>> import losscore.nn as nn
        >>> input = np.array([[0.8, 0.2, 0.5], [0.1, 0.9, 0.4]])
        >>> target = np.array([0, 2])
        >>> loss_fn = nn.MultiMarginLoss()
        >>> print(np.round(loss_fn(input, target), 4))
        0.55
        >>> loss, grad = loss_fn.loss_and_grad(input, target)
        >>> print(np.round(grad, 4))
        [[-0.3333  0.1667  0.1667]
         [ 0.1667  0.1667 -0.3333]]
    """
    p: Literal[1, 2]
    margin: float
    weight: Optional[ArrayLike]
    reduction: Reduction
    def __init__(self, p: Literal[1, 2] = 1, margin: float = 1.0, weight: Optional[ArrayLike] = None, size_average: Optional[bool] = None, reduce: Optional[bool] = None, reduction: Reduction = 'mean') -> None: ...
    def forward(self, input: ArrayLike, target: ArrayLike, /) -> Loss: ...
    def __call__(self, input: ArrayLike, target: ArrayLike, /) -> Loss: ...
    def loss_and_grad(self, input: ArrayLike, target: ArrayLike, /, grad_output: Optional[ArrayLike] = None) -> Tuple[Loss, NDArray[np.floating[Any]]]: ...

class MultiLabelMarginLoss(Module):
    """The ``multilabel_margin_loss`` module: options go to the constructor, arrays to the call.

    Multi-label hinge loss: ``sum_{y in T} sum_{j not in T} max(0, 1 - (x_y - x_j)) / C`` per
    row.

    ``target`` has input's shape ((N, C) or (C,)) and lists each row's target classes T, ended
    by the first -1; every value must be in [-1, C).

    Same parameters, defaults, semantics and errors as
    ``torch.nn.functional.multilabel_margin_loss``.

    Args:
        size_average: deprecated, as in torch: when given, it and ``reduce`` decide the
            reduction. Default: ``None``.
        reduce: deprecated, as in torch: when given, it and ``size_average`` decide the
            reduction. Default: ``None``.
        reduction: 'none', 'mean' or 'sum' (see Reduction). Default: ``'mean'``.

    Reduction:
        'none': one loss per row: (N,), or 0-d for unbatched (C,); 'mean': their sum divided by
        the row count; 'sum': their sum. Default: ``'mean'``.

    Returns:
        Calling the module, ``loss_fn(input, target)``, returns ``multilabel_margin_loss(input,
        target, **options)``; ``loss_fn.loss_and_grad(input, target, grad_output=None)`` returns
        ``multilabel_margin_loss_and_grad``'s ``(loss, grad)`` pair.

    Gradients:
        With respect to input (not target): the gradient of ``sum(grad_output * loss)``,
        computed in the same pass as the loss by ``loss_and_grad``.

    Example:
        >>> import numpy as np
        >>> import losscore.nn as nn
        >>> input = np.array([[0.1, 0.2, 0.4, 0.8]])
        >>> target = np.array([[3, 0, -1, 1]])
        >>> loss_fn = nn.MultiLabelMarginLoss()
        >>> print(np.round(loss_fn(input, target), 4))
        0.85
        >>> loss, grad = loss_fn.loss_and_grad(input, target)
        >>> print(np.round(grad, 4))
        [[-0.5  0.5  0.5 -0.5]]
    """
    reduction: Reduction
    def __init__(self, size_average: Optional[bool] = None, reduce: Optional[bool] = None, reduction: Reduction = 'mean') -> None: ...
    def forward(self, input: ArrayLike, target: ArrayLike, /) -> Loss: ...
    def __call__(self, input: ArrayLike, target: ArrayLike, /) -> Loss: ...
    def loss_and_grad(self, input: ArrayLike, target: ArrayLike, /, grad_output: Optional[ArrayLike] = None) -> Tuple[Loss, NDArray[np.floating[Any]]]: ...

class MultiLabelSoftMarginLoss(Module):
    """The ``multilabel_soft_margin_loss`` module: options go to the constructor, arrays to the
    call.

    Multi-label logistic loss: ``-(y log sigmoid(x) + (1 - y) log sigmoid(-x))`` per class,
    times ``weight``, averaged over the classes of each row.

    As torch composes it: input, target and weight broadcast together, and the sum runs over
    dimension ``input.ndim - 1`` of that shape, divided by ``input.shape[-1]``. Evaluated in the
    stable form of BCE with logits; the gradient of a row's loss is ``w (sigmoid(x) - y) / C``,
    before the reduction.

    Same parameters, defaults, semantics and errors as
    ``torch.nn.functional.multilabel_soft_margin_loss``.

    Args:
        weight: None, or weights broadcast to input's shape. Default: ``None``.
        size_average: deprecated, as in torch: when given, it and ``reduce`` decide the
            reduction. Default: ``None``.
        reduce: deprecated, as in torch: when given, it and ``size_average`` decide the
            reduction. Default: ``None``.
        reduction: 'none', 'mean' or 'sum' (see Reduction). Default: ``'mean'``.

    Reduction:
        'none': one loss per row: (N,), or 0-d for unbatched (C,); 'mean': their sum divided by
        the row count; 'sum': their sum. Default: ``'mean'``.

    Returns:
        Calling the module, ``loss_fn(input, target)``, returns
        ``multilabel_soft_margin_loss(input, target, **options)``;
        ``loss_fn.loss_and_grad(input, target, grad_output=None)`` returns
        ``multilabel_soft_margin_loss_and_grad``'s ``(loss, grad)`` pair.

    Gradients:
        With respect to input (not target, weight): the gradient of ``sum(grad_output * loss)``,
        computed in the same pass as the loss by ``loss_and_grad``.

    Example:
        >>> import numpy as np
        >>> import losscore.nn as nn
        >>> input = np.array([[1.5, -0.5, 0.2]])
        >>> target = np.array([[1.0, 0.0, 1.0]])
        >>> loss_fn = nn.MultiLabelSoftMarginLoss()
        >>> print(np.round(loss_fn(input, target), 4))
        0.4245
        >>> loss, grad = loss_fn.loss_and_grad(input, target)
        >>> print(np.round(grad, 4))
        [[-0.0608  0.1258 -0.1501]]
    """
    weight: Optional[ArrayLike]
    reduction: Reduction
    def __init__(self, weight: Optional[ArrayLike] = None, size_average: Optional[bool] = None, reduce: Optional[bool] = None, reduction: Reduction = 'mean') -> None: ...
    def forward(self, input: ArrayLike, target: ArrayLike, /) -> Loss: ...
    def __call__(self, input: ArrayLike, target: ArrayLike, /) -> Loss: ...
    def loss_and_grad(self, input: ArrayLike, target: ArrayLike, /, grad_output: Optional[ArrayLike] = None) -> Tuple[Loss, NDArray[np.floating[Any]]]: ...

class CTCLoss(Module):
    """The ``ctc_loss`` module: options go to the constructor, arrays to the call.

    Connectionist temporal classification: ``-log(sum over the alignments a of the target of
    prod_t exp(log_probs[t, a_t]))`` per sample.

    ``log_probs`` is ``(T, N, C)`` (or ``(T, C)``); log-space forward-backward; 'mean' divides
    each sample's loss by its target length (at least 1) and averages over the batch. The
    gradient is torch's CTC backward, ``exp(x) - exp(log(sum alpha beta) + loss - x)``, which
    assumes ``log_probs`` are ``log_softmax`` outputs; frames past a sample's input length get
    0.

    Same parameters, defaults, semantics and errors as ``torch.nn.functional.ctc_loss``.

    Args:
        blank: the blank class, in [0, C). Default: ``0``.
        reduction: 'none', 'mean' or 'sum' (see Reduction). Default: ``'mean'``.
        zero_infinity: whether a sample with no alignment (inf) gives loss 0 and gradient 0.
            Default: ``False``.

    Reduction:
        'none': one loss per sample: (N,), or 0-d unbatched; 'mean': their sum divided by the
        batch size, after each sample's loss is divided by its target length (at least 1);
        'sum': their sum. Default: ``'mean'``.

    Returns:
        Calling the module, ``loss_fn(log_probs, targets, input_lengths, target_lengths)``,
        returns ``ctc_loss(log_probs, targets, input_lengths, target_lengths, **options)``;
        ``loss_fn.loss_and_grad(log_probs, targets, input_lengths, target_lengths,
        grad_output=None)`` returns ``ctc_loss_and_grad``'s ``(loss, grad)`` pair.

    Gradients:
        With respect to log_probs (not targets, input_lengths, target_lengths): the gradient of
        ``sum(grad_output * loss)``, computed in the same pass as the loss by ``loss_and_grad``.

    Example:
        >>> import numpy as np
        >>> import losscore.nn as nn
        >>> log_probs = np.log(np.full((3, 3), 1 / 3))
        >>> targets = np.array([1, 2])
        >>> input_lengths = 3
        >>> target_lengths = 2
        >>> loss_fn = nn.CTCLoss()
        >>> print(np.round(loss_fn(log_probs, targets, input_lengths, target_lengths), 4))
        0.8432
        >>> loss, grad = loss_fn.loss_and_grad(log_probs, targets, input_lengths, target_lengths)
        >>> print(np.round(grad, 4))
        [[ 0.0667 -0.2333  0.1667]
         [ 0.0667 -0.0333 -0.0333]
         [ 0.0667  0.1667 -0.2333]]
    """
    blank: int
    reduction: Reduction
    zero_infinity: bool
    def __init__(self, blank: int = 0, reduction: Reduction = 'mean', zero_infinity: bool = False) -> None: ...
    def forward(self, log_probs: ArrayLike, targets: ArrayLike, /) -> Loss: ...
    def __call__(self, log_probs: ArrayLike, targets: ArrayLike, /) -> Loss: ...
    def loss_and_grad(self, log_probs: ArrayLike, targets: ArrayLike, /, grad_output: Optional[ArrayLike] = None) -> Tuple[Loss, NDArray[np.floating[Any]]]: ...

class CosineEmbeddingLoss(Module):
    """The ``cosine_embedding_loss`` module: options go to the constructor, arrays to the call.

    Cosine embedding loss: ``1 - cos(x1, x2)`` where the target is 1, ``max(0, cos - margin)``
    where it is -1, 0 elsewhere.

    ``cos = x1.x2 / sqrt((|x1|^2 + 1e-12)(|x2|^2 + 1e-12))`` per row (the last dimension), as
    torch composes it; a 1-D target (N,) goes with (N, D) inputs, a 0-d one with (D,) inputs,
    and they broadcast together. The gradients (input1, input2) are torch's autograd.

    Same parameters, defaults, semantics and errors as
    ``torch.nn.functional.cosine_embedding_loss``.

    Args:
        margin: the cosine below which targets -1 are not penalized (any real but NaN; [-1, 1]
            is useful). Default: ``0.0``.
        size_average: deprecated, as in torch: when given, it and ``reduce`` decide the
            reduction. Default: ``None``.
        reduce: deprecated, as in torch: when given, it and ``size_average`` decide the
            reduction. Default: ``None``.
        reduction: 'none', 'mean' or 'sum' (see Reduction). Default: ``'mean'``.

    Reduction:
        'none': one loss per row: the broadcast shape without the last dimension; 'mean': their
        sum divided by the row count; 'sum': their sum. Default: ``'mean'``.

    Returns:
        Calling the module, ``loss_fn(input1, input2, target)``, returns
        ``cosine_embedding_loss(input1, input2, target, **options)``;
        ``loss_fn.loss_and_grad(input1, input2, target, grad_output=None)`` returns
        ``cosine_embedding_loss_and_grad``'s ``(loss, grad)`` pair.

    Gradients:
        With respect to input1, input2 (not target): the gradient of ``sum(grad_output *
        loss)``, computed in the same pass as the loss by ``loss_and_grad``.

    Example:
        >>> import numpy as np
        >>> import losscore.nn as nn
        >>> input1 = np.array([[0.6, 0.8], [0.8, 0.6]])
        >>> input2 = np.array([[0.8, 0.6], [0.6, 0.8]])
        >>> target = np.array([1.0, -1.0])
        >>> loss_fn = nn.CosineEmbeddingLoss(margin=0.5)
        >>> print(np.round(loss_fn(input1, input2, target), 4))
        0.25
        >>> loss, (grad_input1, grad_input2) = loss_fn.loss_and_grad(input1, input2, target)
        >>> print(np.round(grad_input1, 4))
        [[-0.112  0.084]
         [-0.084  0.112]]
        >>> print(np.round(grad_input2, 4))
        [[ 0.084 -0.112]
         [ 0.112 -0.084]]
    """
    margin: float
    reduction: Reduction
    def __init__(self, margin: float = 0.0, size_average: Optional[bool] = None, reduce: Optional[bool] = None, reduction: Reduction = 'mean') -> None: ...
    def forward(self, input1: ArrayLike, input2: ArrayLike, target: ArrayLike, /) -> Loss: ...
    def __call__(self, input1: ArrayLike, input2: ArrayLike, target: ArrayLike, /) -> Loss: ...
    def loss_and_grad(self, input1: ArrayLike, input2: ArrayLike, target: ArrayLike, /, grad_output: Optional[ArrayLike] = None) -> Tuple[Loss, Tuple[NDArray[np.floating[Any]], NDArray[np.floating[Any]]]]: ...

class TripletMarginLoss(Module):
    """The ``triplet_margin_loss`` module: options go to the constructor, arrays to the call.

    Triplet margin loss: ``max(0, margin + d(a, p) - d(a, n))`` per row, ``d(x, y) = ||x - y +
    eps||_p``.

    Rows are the last dimension; anchor, positive and negative have the same number of
    dimensions and broadcast together. The gradients (anchor, positive, negative) are torch's
    autograd.

    Same parameters, defaults, semantics and errors as
    ``torch.nn.functional.triplet_margin_loss``.

    Args:
        margin: the distance by which negatives should be farther than positives (> 0). Default:
            ``1.0``.
        p: the degree of the distance's norm: any real, 0 (non-zero count) and +-inf included.
            Default: ``2.0``.
        eps: added to each difference before its norm is taken. Default: ``1e-06``.
        swap: use min(d(anchor, negative), d(positive, negative)) as the negative distance.
            Default: ``False``.
        size_average: deprecated, as in torch: when given, it and ``reduce`` decide the
            reduction. Default: ``None``.
        reduce: deprecated, as in torch: when given, it and ``size_average`` decide the
            reduction. Default: ``None``.
        reduction: 'none', 'mean' or 'sum' (see Reduction). Default: ``'mean'``.

    Reduction:
        'none': one loss per row: the broadcast shape without the last dimension; 'mean': their
        sum divided by the row count; 'sum': their sum. Default: ``'mean'``.

    Returns:
        Calling the module, ``loss_fn(anchor, positive, negative)``, returns
        ``triplet_margin_loss(anchor, positive, negative, **options)``;
        ``loss_fn.loss_and_grad(anchor, positive, negative, grad_output=None)`` returns
        ``triplet_margin_loss_and_grad``'s ``(loss, grad)`` pair.

    Gradients:
        With respect to anchor, positive, negative: the gradient of ``sum(grad_output * loss)``,
        computed in the same pass as the loss by ``loss_and_grad``.

    Example:
        >>> import numpy as np
        >>> import losscore.nn as nn
        >>> anchor = np.array([[0.0, 0.0], [1.0, 1.0]])
        >>> positive = np.array([[0.3, 0.4], [1.6, 1.8]])
        >>> negative = np.array([[0.8, -0.6], [0.6, 1.3]])
        >>> loss_fn = nn.TripletMarginLoss()
        >>> print(np.round(loss_fn(anchor, positive, negative), 4))
        1.0
        >>> loss, (grad_anchor, grad_positive, grad_negative) = loss_fn.loss_and_grad(anchor, positive, negative)
        >>> print(np.round(grad_anchor, 4))
        [[ 0.1 -0.7]
         [-0.7 -0.1]]
        >>> print(np.round(grad_positive, 4))
        [[0.3 0.4]
         [0.3 0.4]]
        >>> print(np.round(grad_negative, 4))
        [[-0.4  0.3]
         [ 0.4 -0.3]]
    """
    margin: float
    p: float
    eps: float
    swap: bool
    reduction: Reduction
    def __init__(self, margin: float = 1.0, p: float = 2.0, eps: float = 1e-06, swap: bool = False, size_average: Optional[bool] = None, reduce: Optional[bool] = None, reduction: Reduction = 'mean') -> None: ...
    def forward(self, anchor: ArrayLike, positive: ArrayLike, negative: ArrayLike, /) -> Loss: ...
    def __call__(self, anchor: ArrayLike, positive: ArrayLike, negative: ArrayLike, /) -> Loss: ...
    def loss_and_grad(self, anchor: ArrayLike, positive: ArrayLike, negative: ArrayLike, /, grad_output: Optional[ArrayLike] = None) -> Tuple[Loss, Tuple[NDArray[np.floating[Any]], NDArray[np.floating[Any]], NDArray[np.floating[Any]]]]: ...

class TripletMarginWithDistanceLoss(Module):
    """The ``triplet_margin_with_distance_loss`` module: options go to the constructor, arrays to
    the call.

    Triplet margin loss with a distance function: ``max(0, margin + f(a, p) - f(a, n))`` per
    row.

    Without ``distance_function`` the library computes pairwise_distance (p=2, eps=1e-6), the
    triplet_margin_loss kernel, with its gradients. A callable is evaluated in Python on the
    arrays; the _and_grad form then calls ``distance_function.and_grad(x1, x2)``, which must
    return ``(distances, d/dx1, d/dx2)`` (each row's distance against that row), and raises
    TypeError for a callable without it.

    Same parameters, defaults, semantics and errors as
    ``torch.nn.functional.triplet_margin_with_distance_loss``.

    Args:
        distance_function: None (pairwise_distance, p=2, eps=1e-6, computed by the library), or
            a callable f(x1, x2) of arrays returning one distance per row; for the _and_grad
            form it needs f.and_grad(x1, x2) returning (distances, d/dx1, d/dx2) (see
            losscore._distance). Default: ``None``.
        margin: the distance by which negatives should be farther than positives (> 0). Default:
            ``1.0``.
        swap: use min(d(anchor, negative), d(positive, negative)) as the negative distance.
            Default: ``False``.
        reduction: 'none', 'mean' or 'sum' (see Reduction). Default: ``'mean'``.

    Reduction:
        'none': one loss per row: the broadcast shape without the last dimension; 'mean': their
        sum divided by the row count; 'sum': their sum. Default: ``'mean'``.

    Returns:
        Calling the module, ``loss_fn(anchor, positive, negative)``, returns
        ``triplet_margin_with_distance_loss(anchor, positive, negative, **options)``;
        ``loss_fn.loss_and_grad(anchor, positive, negative, grad_output=None)`` returns
        ``triplet_margin_with_distance_loss_and_grad``'s ``(loss, grad)`` pair.

    Gradients:
        With respect to anchor, positive, negative: the gradient of ``sum(grad_output * loss)``,
        computed in the same pass as the loss by ``loss_and_grad``.

    Example:
        >>> import numpy as np
        >>> import losscore.nn as nn
        >>> anchor = np.array([[0.0, 0.0], [1.0, 1.0]])
        >>> positive = np.array([[0.3, 0.4], [1.6, 1.8]])
        >>> negative = np.array([[0.8, -0.6], [0.6, 1.3]])
        >>> loss_fn = nn.TripletMarginWithDistanceLoss(margin=2.0)
        >>> print(np.round(loss_fn(anchor, positive, negative), 4))
        2.0
        >>> loss, (grad_anchor, grad_positive, grad_negative) = loss_fn.loss_and_grad(anchor, positive, negative)
        >>> print(np.round(grad_anchor, 4))
        [[ 0.1 -0.7]
         [-0.7 -0.1]]
        >>> print(np.round(grad_positive, 4))
        [[0.3 0.4]
         [0.3 0.4]]
        >>> print(np.round(grad_negative, 4))
        [[-0.4  0.3]
         [ 0.4 -0.3]]
    """
    distance_function: Optional[Callable[..., Any]]
    margin: float
    swap: bool
    reduction: Reduction
    def __init__(self, *, distance_function: Optional[Callable[..., Any]] = None, margin: float = 1.0, swap: bool = False, reduction: Reduction = 'mean') -> None: ...
    def forward(self, anchor: ArrayLike, positive: ArrayLike, negative: ArrayLike, /) -> Loss: ...
    def __call__(self, anchor: ArrayLike, positive: ArrayLike, negative: ArrayLike, /) -> Loss: ...
    def loss_and_grad(self, anchor: ArrayLike, positive: ArrayLike, negative: ArrayLike, /, grad_output: Optional[ArrayLike] = None) -> Tuple[Loss, Tuple[NDArray[np.floating[Any]], NDArray[np.floating[Any]], NDArray[np.floating[Any]]]]: ...
