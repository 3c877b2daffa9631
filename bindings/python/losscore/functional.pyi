# Type stubs of losscore.functional, whose functions are generated at import from the loss
# descriptions in _losses.py. Written by bindings/python/generate_stubs.py: do not edit.
from typing import Any, Callable, Literal, Optional, Tuple, Union

import numpy as np
from numpy.typing import ArrayLike, NDArray

Reduction = Literal["none", "mean", "sum"]
BatchmeanReduction = Literal["none", "batchmean", "mean", "sum"]
Loss = Union[NDArray[np.floating[Any]], np.floating[Any]]

__all__: list[str]

def l1_loss(input: ArrayLike, target: ArrayLike, size_average: Optional[bool] = None, reduce: Optional[bool] = None, reduction: Reduction = 'mean', weight: Optional[ArrayLike] = None) -> Loss:
    """Mean absolute error: ``w * |input - target|``; weighted 'mean' divides by ``sum(w)``.

    Same parameters, defaults, semantics and errors as ``torch.nn.functional.l1_loss``.

    Args:
        input: predictions, an array of any shape
        target: targets, broadcast with input as torch does (with its warning when the sizes
            differ)
        size_average: deprecated, as in torch: when given, it and ``reduce`` decide the
            reduction. Default: ``None``.
        reduce: deprecated, as in torch: when given, it and ``size_average`` decide the
            reduction. Default: ``None``.
        reduction: 'none', 'mean' or 'sum' (see Reduction). Default: ``'mean'``.
        weight: None, or per-element weights of input's shape. Default: ``None``.

    Reduction:
        'none': one loss per element, of the broadcast shape of the arrays; 'mean': their sum
        divided by the element count; 'sum': their sum. Default: ``'mean'``.

    Returns:
        The loss: an array for reduction 'none', else a scalar, of the input's floating dtype,
        float16 and bfloat16 included, whose results are rounded once from float32.

    Gradients:
        With respect to input (not target, weight): the gradient of ``sum(grad_output * loss)``,
        computed in the same pass as the loss by ``l1_loss_and_grad``.

    Example:
        >>> import numpy as np
        >>> import losscore.functional as F
        >>> input = np.array([0.5, 2.0, -1.0])
        >>> target = np.array([1.0, 1.0, 0.0])
        >>> print(np.round(F.l1_loss(input, target), 4))
        0.8333
    """

def l1_loss_and_grad(input: ArrayLike, target: ArrayLike, size_average: Optional[bool] = None, reduce: Optional[bool] = None, reduction: Reduction = 'mean', weight: Optional[ArrayLike] = None, grad_output: Optional[ArrayLike] = None) -> Tuple[Loss, NDArray[np.floating[Any]]]:
    """``l1_loss`` and its gradient d loss / d input, in one fused pass.

    Mean absolute error: ``w * |input - target|``; weighted 'mean' divides by ``sum(w)``.

    Same parameters, defaults, semantics and errors as ``torch.nn.functional.l1_loss``.

    Args:
        input: predictions, an array of any shape
        target: targets, broadcast with input as torch does (with its warning when the sizes
            differ)
        size_average: deprecated, as in torch: when given, it and ``reduce`` decide the
            reduction. Default: ``None``.
        reduce: deprecated, as in torch: when given, it and ``size_average`` decide the
            reduction. Default: ``None``.
        reduction: 'none', 'mean' or 'sum' (see Reduction). Default: ``'mean'``.
        weight: None, or per-element weights of input's shape. Default: ``None``.
        grad_output: the gradient flowing into the loss: a number for 'mean' and 'sum', an array
            of the loss's shape for 'none'; None means ones. Default: ``None``.

    Reduction:
        'none': one loss per element, of the broadcast shape of the arrays; 'mean': their sum
        divided by the element count; 'sum': their sum. Default: ``'mean'``.

    Returns:
        ``(loss, grad)``: the loss (an array for reduction 'none', else a scalar, of the input's
        floating dtype, float16 and bfloat16 included, whose results are rounded once from
        float32) and d loss / d input, of input's shape and floating dtype.

    Gradients:
        With respect to input (not target, weight): the gradient of ``sum(grad_output * loss)``,
        computed in the same pass as the loss.

    Example:
        >>> import numpy as np
        >>> import losscore.functional as F
        >>> input = np.array([0.5, 2.0, -1.0])
        >>> target = np.array([1.0, 1.0, 0.0])
        >>> loss, grad = F.l1_loss_and_grad(input, target)
        >>> print(np.round(loss, 4))
        0.8333
        >>> print(np.round(grad, 4))
        [-0.3333  0.3333 -0.3333]
    """

def mse_loss(input: ArrayLike, target: ArrayLike, size_average: Optional[bool] = None, reduce: Optional[bool] = None, reduction: Reduction = 'mean', weight: Optional[ArrayLike] = None) -> Loss:
    """Mean squared error: ``w * (input - target)**2``; weighted 'mean' divides by ``sum(w)``.

    Same parameters, defaults, semantics and errors as ``torch.nn.functional.mse_loss``.

    Args:
        input: predictions, an array of any shape
        target: targets, broadcast with input as torch does (with its warning when the sizes
            differ)
        size_average: deprecated, as in torch: when given, it and ``reduce`` decide the
            reduction. Default: ``None``.
        reduce: deprecated, as in torch: when given, it and ``size_average`` decide the
            reduction. Default: ``None``.
        reduction: 'none', 'mean' or 'sum' (see Reduction). Default: ``'mean'``.
        weight: None, or per-element weights of input's shape. Default: ``None``.

    Reduction:
        'none': one loss per element, of the broadcast shape of the arrays; 'mean': their sum
        divided by the element count; 'sum': their sum. Default: ``'mean'``.

    Returns:
        The loss: an array for reduction 'none', else a scalar, of the input's floating dtype,
        float16 and bfloat16 included, whose results are rounded once from float32.

    Gradients:
        With respect to input (not target, weight): the gradient of ``sum(grad_output * loss)``,
        computed in the same pass as the loss by ``mse_loss_and_grad``.

    Example:
        >>> import numpy as np
        >>> import losscore.functional as F
        >>> input = np.array([0.5, 2.0, -1.0])
        >>> target = np.array([1.0, 1.0, 0.0])
        >>> print(np.round(F.mse_loss(input, target), 4))
        0.75
    """

def mse_loss_and_grad(input: ArrayLike, target: ArrayLike, size_average: Optional[bool] = None, reduce: Optional[bool] = None, reduction: Reduction = 'mean', weight: Optional[ArrayLike] = None, grad_output: Optional[ArrayLike] = None) -> Tuple[Loss, NDArray[np.floating[Any]]]:
    """``mse_loss`` and its gradient d loss / d input, in one fused pass.

    Mean squared error: ``w * (input - target)**2``; weighted 'mean' divides by ``sum(w)``.

    Same parameters, defaults, semantics and errors as ``torch.nn.functional.mse_loss``.

    Args:
        input: predictions, an array of any shape
        target: targets, broadcast with input as torch does (with its warning when the sizes
            differ)
        size_average: deprecated, as in torch: when given, it and ``reduce`` decide the
            reduction. Default: ``None``.
        reduce: deprecated, as in torch: when given, it and ``size_average`` decide the
            reduction. Default: ``None``.
        reduction: 'none', 'mean' or 'sum' (see Reduction). Default: ``'mean'``.
        weight: None, or per-element weights of input's shape. Default: ``None``.
        grad_output: the gradient flowing into the loss: a number for 'mean' and 'sum', an array
            of the loss's shape for 'none'; None means ones. Default: ``None``.

    Reduction:
        'none': one loss per element, of the broadcast shape of the arrays; 'mean': their sum
        divided by the element count; 'sum': their sum. Default: ``'mean'``.

    Returns:
        ``(loss, grad)``: the loss (an array for reduction 'none', else a scalar, of the input's
        floating dtype, float16 and bfloat16 included, whose results are rounded once from
        float32) and d loss / d input, of input's shape and floating dtype.

    Gradients:
        With respect to input (not target, weight): the gradient of ``sum(grad_output * loss)``,
        computed in the same pass as the loss.

    Example:
        >>> import numpy as np
        >>> import losscore.functional as F
        >>> input = np.array([0.5, 2.0, -1.0])
        >>> target = np.array([1.0, 1.0, 0.0])
        >>> loss, grad = F.mse_loss_and_grad(input, target)
        >>> print(np.round(loss, 4))
        0.75
        >>> print(np.round(grad, 4))
        [-0.3333  0.6667 -0.6667]
    """

def smooth_l1_loss(input: ArrayLike, target: ArrayLike, size_average: Optional[bool] = None, reduce: Optional[bool] = None, reduction: Reduction = 'mean', beta: float = 1.0) -> Loss:
    """Smooth L1: ``0.5 d**2 / beta`` for ``|d| < beta``, else ``|d| - 0.5 beta``; beta=0 is L1.

    Same parameters, defaults, semantics and errors as ``torch.nn.functional.smooth_l1_loss``.

    Args:
        input: predictions, an array of any shape
        target: targets, broadcast with input as torch does (with its warning when the sizes
            differ)
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
        The loss: an array for reduction 'none', else a scalar, of the input's floating dtype,
        float16 and bfloat16 included, whose results are rounded once from float32.

    Gradients:
        With respect to input (not target): the gradient of ``sum(grad_output * loss)``,
        computed in the same pass as the loss by ``smooth_l1_loss_and_grad``.

    Example:
        >>> import numpy as np
        >>> import losscore.functional as F
        >>> input = np.array([0.5, 2.0, -1.0])
        >>> target = np.array([1.0, 1.0, 0.0])
        >>> print(np.round(F.smooth_l1_loss(input, target, beta=2.0), 4))
        0.1875
    """

def smooth_l1_loss_and_grad(input: ArrayLike, target: ArrayLike, size_average: Optional[bool] = None, reduce: Optional[bool] = None, reduction: Reduction = 'mean', beta: float = 1.0, grad_output: Optional[ArrayLike] = None) -> Tuple[Loss, NDArray[np.floating[Any]]]:
    """``smooth_l1_loss`` and its gradient d loss / d input, in one fused pass.

    Smooth L1: ``0.5 d**2 / beta`` for ``|d| < beta``, else ``|d| - 0.5 beta``; beta=0 is L1.

    Same parameters, defaults, semantics and errors as ``torch.nn.functional.smooth_l1_loss``.

    Args:
        input: predictions, an array of any shape
        target: targets, broadcast with input as torch does (with its warning when the sizes
            differ)
        size_average: deprecated, as in torch: when given, it and ``reduce`` decide the
            reduction. Default: ``None``.
        reduce: deprecated, as in torch: when given, it and ``size_average`` decide the
            reduction. Default: ``None``.
        reduction: 'none', 'mean' or 'sum' (see Reduction). Default: ``'mean'``.
        beta: where the loss turns from squared to linear (>= 0; 0 gives the L1 loss). Default:
            ``1.0``.
        grad_output: the gradient flowing into the loss: a number for 'mean' and 'sum', an array
            of the loss's shape for 'none'; None means ones. Default: ``None``.

    Reduction:
        'none': one loss per element, of the broadcast shape of the arrays; 'mean': their sum
        divided by the element count; 'sum': their sum. Default: ``'mean'``.

    Returns:
        ``(loss, grad)``: the loss (an array for reduction 'none', else a scalar, of the input's
        floating dtype, float16 and bfloat16 included, whose results are rounded once from
        float32) and d loss / d input, of input's shape and floating dtype.

    Gradients:
        With respect to input (not target): the gradient of ``sum(grad_output * loss)``,
        computed in the same pass as the loss.

    Example:
        >>> import numpy as np
        >>> import losscore.functional as F
        >>> input = np.array([0.5, 2.0, -1.0])
        >>> target = np.array([1.0, 1.0, 0.0])
        >>> loss, grad = F.smooth_l1_loss_and_grad(input, target, beta=2.0)
        >>> print(np.round(loss, 4))
        0.1875
        >>> print(np.round(grad, 4))
        [-0.0833  0.1667 -0.1667]
    """

def huber_loss(input: ArrayLike, target: ArrayLike, reduction: Reduction = 'mean', delta: float = 1.0, weight: Optional[ArrayLike] = None) -> Loss:
    """Huber: ``0.5 d**2`` for ``|d| < delta``, else ``delta (|d| - 0.5 delta)``.

    With ``weight``, 'mean' is ``mean(w * l)`` (divides by the element count), as torch does.

    Same parameters, defaults, semantics and errors as ``torch.nn.functional.huber_loss``.

    Args:
        input: predictions, an array of any shape
        target: targets, broadcast with input as torch does (with its warning when the sizes
            differ)
        reduction: 'none', 'mean' or 'sum' (see Reduction). Default: ``'mean'``.
        delta: where the loss turns from squared to linear (> 0). Default: ``1.0``.
        weight: None, or per-element weights of input's shape. Default: ``None``.

    Reduction:
        'none': one loss per element, of the broadcast shape of the arrays; 'mean': their sum
        divided by the element count; 'sum': their sum. Default: ``'mean'``.

    Returns:
        The loss: an array for reduction 'none', else a scalar, of the input's floating dtype,
        float16 and bfloat16 included, whose results are rounded once from float32.

    Gradients:
        With respect to input (not target, weight): the gradient of ``sum(grad_output * loss)``,
        computed in the same pass as the loss by ``huber_loss_and_grad``.

    Example:
        >>> import numpy as np
        >>> import losscore.functional as F
        >>> input = np.array([0.5, 2.0, -1.0])
        >>> target = np.array([1.0, 1.0, 0.0])
        >>> print(np.round(F.huber_loss(input, target, delta=0.8), 4))
        0.3617
    """

def huber_loss_and_grad(input: ArrayLike, target: ArrayLike, reduction: Reduction = 'mean', delta: float = 1.0, weight: Optional[ArrayLike] = None, grad_output: Optional[ArrayLike] = None) -> Tuple[Loss, NDArray[np.floating[Any]]]:
    """``huber_loss`` and its gradient d loss / d input, in one fused pass.

    Huber: ``0.5 d**2`` for ``|d| < delta``, else ``delta (|d| - 0.5 delta)``.

    With ``weight``, 'mean' is ``mean(w * l)`` (divides by the element count), as torch does.

    Same parameters, defaults, semantics and errors as ``torch.nn.functional.huber_loss``.

    Args:
        input: predictions, an array of any shape
        target: targets, broadcast with input as torch does (with its warning when the sizes
            differ)
        reduction: 'none', 'mean' or 'sum' (see Reduction). Default: ``'mean'``.
        delta: where the loss turns from squared to linear (> 0). Default: ``1.0``.
        weight: None, or per-element weights of input's shape. Default: ``None``.
        grad_output: the gradient flowing into the loss: a number for 'mean' and 'sum', an array
            of the loss's shape for 'none'; None means ones. Default: ``None``.

    Reduction:
        'none': one loss per element, of the broadcast shape of the arrays; 'mean': their sum
        divided by the element count; 'sum': their sum. Default: ``'mean'``.

    Returns:
        ``(loss, grad)``: the loss (an array for reduction 'none', else a scalar, of the input's
        floating dtype, float16 and bfloat16 included, whose results are rounded once from
        float32) and d loss / d input, of input's shape and floating dtype.

    Gradients:
        With respect to input (not target, weight): the gradient of ``sum(grad_output * loss)``,
        computed in the same pass as the loss.

    Example:
        >>> import numpy as np
        >>> import losscore.functional as F
        >>> input = np.array([0.5, 2.0, -1.0])
        >>> target = np.array([1.0, 1.0, 0.0])
        >>> loss, grad = F.huber_loss_and_grad(input, target, delta=0.8)
        >>> print(np.round(loss, 4))
        0.3617
        >>> print(np.round(grad, 4))
        [-0.1667  0.2667 -0.2667]
    """

def binary_cross_entropy(input: ArrayLike, target: ArrayLike, weight: Optional[ArrayLike] = None, size_average: Optional[bool] = None, reduce: Optional[bool] = None, reduction: Reduction = 'mean') -> Loss:
    """Binary cross-entropy of probabilities: ``-w * (y * log(x) + (1 - y) * log(1 - x))``, each
    log clamped at -100.

    ``input`` and ``target`` have the same shape; 'mean' divides by the element count. Every
    element of ``input`` and ``target`` must lie in [0, 1] (ValueError otherwise, as torch). The
    gradient is torch's: ``w * (x - y) / max((1 - x) * x, 1e-12)``.

    Same parameters, defaults, semantics and errors as
    ``torch.nn.functional.binary_cross_entropy``.

    Args:
        input: predictions, an array of any shape
        target: targets of input's shape
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
        The loss: an array for reduction 'none', else a scalar, of the input's floating dtype,
        float16 and bfloat16 included, whose results are rounded once from float32.

    Gradients:
        With respect to input (not target, weight): the gradient of ``sum(grad_output * loss)``,
        computed in the same pass as the loss by ``binary_cross_entropy_and_grad``.

    Example:
        >>> import numpy as np
        >>> import losscore.functional as F
        >>> input = np.array([0.8, 0.3, 0.6])
        >>> target = np.array([1.0, 0.0, 1.0])
        >>> print(np.round(F.binary_cross_entropy(input, target), 4))
        0.3635
    """

def binary_cross_entropy_and_grad(input: ArrayLike, target: ArrayLike, weight: Optional[ArrayLike] = None, size_average: Optional[bool] = None, reduce: Optional[bool] = None, reduction: Reduction = 'mean', grad_output: Optional[ArrayLike] = None) -> Tuple[Loss, NDArray[np.floating[Any]]]:
    """``binary_cross_entropy`` and its gradient d loss / d input, in one fused pass.

    Binary cross-entropy of probabilities: ``-w * (y * log(x) + (1 - y) * log(1 - x))``, each
    log clamped at -100.

    ``input`` and ``target`` have the same shape; 'mean' divides by the element count. Every
    element of ``input`` and ``target`` must lie in [0, 1] (ValueError otherwise, as torch). The
    gradient is torch's: ``w * (x - y) / max((1 - x) * x, 1e-12)``.

    Same parameters, defaults, semantics and errors as
    ``torch.nn.functional.binary_cross_entropy``.

    Args:
        input: predictions, an array of any shape
        target: targets of input's shape
        weight: None, or weights broadcast to input's shape. Default: ``None``.
        size_average: deprecated, as in torch: when given, it and ``reduce`` decide the
            reduction. Default: ``None``.
        reduce: deprecated, as in torch: when given, it and ``size_average`` decide the
            reduction. Default: ``None``.
        reduction: 'none', 'mean' or 'sum' (see Reduction). Default: ``'mean'``.
        grad_output: the gradient flowing into the loss: a number for 'mean' and 'sum', an array
            of the loss's shape for 'none'; None means ones. Default: ``None``.

    Reduction:
        'none': one loss per element, of the broadcast shape of the arrays; 'mean': their sum
        divided by the element count; 'sum': their sum. Default: ``'mean'``.

    Returns:
        ``(loss, grad)``: the loss (an array for reduction 'none', else a scalar, of the input's
        floating dtype, float16 and bfloat16 included, whose results are rounded once from
        float32) and d loss / d input, of input's shape and floating dtype.

    Gradients:
        With respect to input (not target, weight): the gradient of ``sum(grad_output * loss)``,
        computed in the same pass as the loss.

    Example:
        >>> import numpy as np
        >>> import losscore.functional as F
        >>> input = np.array([0.8, 0.3, 0.6])
        >>> target = np.array([1.0, 0.0, 1.0])
        >>> loss, grad = F.binary_cross_entropy_and_grad(input, target)
        >>> print(np.round(loss, 4))
        0.3635
        >>> print(np.round(grad, 4))
        [-0.4167  0.4762 -0.5556]
    """

def binary_cross_entropy_with_logits(input: ArrayLike, target: ArrayLike, weight: Optional[ArrayLike] = None, size_average: Optional[bool] = None, reduce: Optional[bool] = None, reduction: Reduction = 'mean', pos_weight: Optional[ArrayLike] = None) -> Loss:
    """Binary cross-entropy on logits: ``w * ((1 - y) * x + (1 + (p - 1) * y) * softplus(-x))``,
    ``p`` being ``pos_weight``.

    The stable form: finite for any logit; 'mean' divides by the element count. The gradient is
    ``w * ((1 + (p - 1) * y) * sigmoid(x) - p * y)``.

    Same parameters, defaults, semantics and errors as
    ``torch.nn.functional.binary_cross_entropy_with_logits``.

    Args:
        input: predictions, an array of any shape
        target: targets of input's shape
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
        The loss: an array for reduction 'none', else a scalar, of the input's floating dtype,
        float16 and bfloat16 included, whose results are rounded once from float32.

    Gradients:
        With respect to input (not target, weight, pos_weight): the gradient of
        ``sum(grad_output * loss)``, computed in the same pass as the loss by
        ``binary_cross_entropy_with_logits_and_grad``.

    Example:
        >>> import numpy as np
        >>> import losscore.functional as F
        >>> input = np.array([1.5, -0.5, 0.2])
        >>> target = np.array([1.0, 0.0, 1.0])
        >>> print(np.round(F.binary_cross_entropy_with_logits(input, target), 4))
        0.4245
    """

def binary_cross_entropy_with_logits_and_grad(input: ArrayLike, target: ArrayLike, weight: Optional[ArrayLike] = None, size_average: Optional[bool] = None, reduce: Optional[bool] = None, reduction: Reduction = 'mean', pos_weight: Optional[ArrayLike] = None, grad_output: Optional[ArrayLike] = None) -> Tuple[Loss, NDArray[np.floating[Any]]]:
    """``binary_cross_entropy_with_logits`` and its gradient d loss / d input, in one fused pass.

    Binary cross-entropy on logits: ``w * ((1 - y) * x + (1 + (p - 1) * y) * softplus(-x))``,
    ``p`` being ``pos_weight``.

    The stable form: finite for any logit; 'mean' divides by the element count. The gradient is
    ``w * ((1 + (p - 1) * y) * sigmoid(x) - p * y)``.

    Same parameters, defaults, semantics and errors as
    ``torch.nn.functional.binary_cross_entropy_with_logits``.

    Args:
        input: predictions, an array of any shape
        target: targets of input's shape
        weight: None, or weights broadcast to input's shape. Default: ``None``.
        size_average: deprecated, as in torch: when given, it and ``reduce`` decide the
            reduction. Default: ``None``.
        reduce: deprecated, as in torch: when given, it and ``size_average`` decide the
            reduction. Default: ``None``.
        reduction: 'none', 'mean' or 'sum' (see Reduction). Default: ``'mean'``.
        pos_weight: None, or the weight of positive targets, broadcast with input (typically
            (C,), along the last dimension). Default: ``None``.
        grad_output: the gradient flowing into the loss: a number for 'mean' and 'sum', an array
            of the loss's shape for 'none'; None means ones. Default: ``None``.

    Reduction:
        'none': one loss per element, of the broadcast shape of the arrays; 'mean': their sum
        divided by the element count; 'sum': their sum. Default: ``'mean'``.

    Returns:
        ``(loss, grad)``: the loss (an array for reduction 'none', else a scalar, of the input's
        floating dtype, float16 and bfloat16 included, whose results are rounded once from
        float32) and d loss / d input, of input's shape and floating dtype.

    Gradients:
        With respect to input (not target, weight, pos_weight): the gradient of
        ``sum(grad_output * loss)``, computed in the same pass as the loss.

    Example:
        >>> import numpy as np
        >>> import losscore.functional as F
        >>> input = np.array([1.5, -0.5, 0.2])
        >>> target = np.array([1.0, 0.0, 1.0])
        >>> loss, grad = F.binary_cross_entropy_with_logits_and_grad(input, target)
        >>> print(np.round(loss, 4))
        0.4245
        >>> print(np.round(grad, 4))
        [-0.0608  0.1258 -0.1501]
    """

def sigmoid_focal_loss(inputs: ArrayLike, targets: ArrayLike, alpha: float = 0.25, gamma: float = 2.0, reduction: Reduction = 'none') -> Loss:
    """The sigmoid focal loss of RetinaNet: ``a_t * bce_with_logits(x, y) * (1 - p_t) ** gamma``.

    Exactly ``torchvision.ops.sigmoid_focal_loss``, with ``p = sigmoid(x)``, ``p_t = p y + (1 -
    p)(1 - y)`` and ``a_t = alpha y + (1 - alpha)(1 - y)``. Note the default reduction 'none',
    as torchvision's. The gradient matches autograd through torchvision's expression, except
    that it stays finite (the true limit, 0) where autograd gives NaN.

    Same parameters, defaults, semantics and errors as ``torchvision.ops.sigmoid_focal_loss``.

    Args:
        inputs: predictions, an array of any shape
        targets: targets of input's shape
        alpha: the weight of positive targets in [0, 1] (negatives get 1 - alpha), or -1 for
            none. Default: ``0.25``.
        gamma: the focusing exponent on the probability of the wrong answer (>= 0, finite; 0
            gives cross-entropy). Default: ``2.0``.
        reduction: 'none', 'mean' or 'sum' (see Reduction). Default: ``'none'``.

    Reduction:
        'none': one loss per element, of the broadcast shape of the arrays; 'mean': their sum
        divided by the element count; 'sum': their sum. Default: ``'none'``.

    Returns:
        The loss: an array for reduction 'none', else a scalar, of the input's floating dtype,
        float16 and bfloat16 included, whose results are rounded once from float32.

    Gradients:
        With respect to inputs (not targets): the gradient of ``sum(grad_output * loss)``,
        computed in the same pass as the loss by ``sigmoid_focal_loss_and_grad``.

    Example:
        >>> import numpy as np
        >>> import losscore.functional as F
        >>> inputs = np.array([1.5, -0.5, 0.2])
        >>> targets = np.array([1.0, 0.0, 1.0])
        >>> print(np.round(F.sigmoid_focal_loss(inputs, targets), 4))
        [0.0017 0.0507 0.0303]
    """

def sigmoid_focal_loss_and_grad(inputs: ArrayLike, targets: ArrayLike, alpha: float = 0.25, gamma: float = 2.0, reduction: Reduction = 'none', grad_output: Optional[ArrayLike] = None) -> Tuple[Loss, NDArray[np.floating[Any]]]:
    """``sigmoid_focal_loss`` and its gradient d loss / d inputs, in one fused pass.

    The sigmoid focal loss of RetinaNet: ``a_t * bce_with_logits(x, y) * (1 - p_t) ** gamma``.

    Exactly ``torchvision.ops.sigmoid_focal_loss``, with ``p = sigmoid(x)``, ``p_t = p y + (1 -
    p)(1 - y)`` and ``a_t = alpha y + (1 - alpha)(1 - y)``. Note the default reduction 'none',
    as torchvision's. The gradient matches autograd through torchvision's expression, except
    that it stays finite (the true limit, 0) where autograd gives NaN.

    Same parameters, defaults, semantics and errors as ``torchvision.ops.sigmoid_focal_loss``.

    Args:
        inputs: predictions, an array of any shape
        targets: targets of input's shape
        alpha: the weight of positive targets in [0, 1] (negatives get 1 - alpha), or -1 for
            none. Default: ``0.25``.
        gamma: the focusing exponent on the probability of the wrong answer (>= 0, finite; 0
            gives cross-entropy). Default: ``2.0``.
        reduction: 'none', 'mean' or 'sum' (see Reduction). Default: ``'none'``.
        grad_output: the gradient flowing into the loss: a number for 'mean' and 'sum', an array
            of the loss's shape for 'none'; None means ones. Default: ``None``.

    Reduction:
        'none': one loss per element, of the broadcast shape of the arrays; 'mean': their sum
        divided by the element count; 'sum': their sum. Default: ``'none'``.

    Returns:
        ``(loss, grad)``: the loss (an array for reduction 'none', else a scalar, of the input's
        floating dtype, float16 and bfloat16 included, whose results are rounded once from
        float32) and d loss / d inputs, of inputs's shape and floating dtype.

    Gradients:
        With respect to inputs (not targets): the gradient of ``sum(grad_output * loss)``,
        computed in the same pass as the loss.

    Example:
        >>> import numpy as np
        >>> import losscore.functional as F
        >>> inputs = np.array([1.5, -0.5, 0.2])
        >>> targets = np.array([1.0, 0.0, 1.0])
        >>> loss, grad = F.sigmoid_focal_loss_and_grad(inputs, targets)
        >>> print(np.round(loss, 4))
        [0.0017 0.0507 0.0303]
        >>> print(np.round(grad, 4))
        [-0.0043  0.1035 -0.0561]
    """

def soft_margin_loss(input: ArrayLike, target: ArrayLike, size_average: Optional[bool] = None, reduce: Optional[bool] = None, reduction: Reduction = 'mean') -> Loss:
    """Two-class logistic loss: ``log(1 + exp(-target * input))`` for targets usually -1 or 1.

    The gradient is ``-y * sigmoid(-y * x)``. Evaluated stably: where torch's ``log1p(exp(-y
    x))`` overflows to inf (``y x`` below about -88 in float32), this gives the true value ``-y
    x`` and gradient ``-y``.

    Same parameters, defaults, semantics and errors as ``torch.nn.functional.soft_margin_loss``.

    Args:
        input: predictions, an array of any shape
        target: targets, broadcast with input as torch does (with its warning when the sizes
            differ)
        size_average: deprecated, as in torch: when given, it and ``reduce`` decide the
            reduction. Default: ``None``.
        reduce: deprecated, as in torch: when given, it and ``size_average`` decide the
            reduction. Default: ``None``.
        reduction: 'none', 'mean' or 'sum' (see Reduction). Default: ``'mean'``.

    Reduction:
        'none': one loss per element, of the broadcast shape of the arrays; 'mean': their sum
        divided by the element count; 'sum': their sum. Default: ``'mean'``.

    Returns:
        The loss: an array for reduction 'none', else a scalar, of the input's floating dtype,
        float16 and bfloat16 included, whose results are rounded once from float32.

    Gradients:
        With respect to input (not target): the gradient of ``sum(grad_output * loss)``,
        computed in the same pass as the loss by ``soft_margin_loss_and_grad``.

    Example:
        >>> import numpy as np
        >>> import losscore.functional as F
        >>> input = np.array([0.5, -1.0, 2.0])
        >>> target = np.array([1.0, 1.0, -1.0])
        >>> print(np.round(F.soft_margin_loss(input, target), 4))
        1.3048
    """

def soft_margin_loss_and_grad(input: ArrayLike, target: ArrayLike, size_average: Optional[bool] = None, reduce: Optional[bool] = None, reduction: Reduction = 'mean', grad_output: Optional[ArrayLike] = None) -> Tuple[Loss, NDArray[np.floating[Any]]]:
    """``soft_margin_loss`` and its gradient d loss / d input, in one fused pass.

    Two-class logistic loss: ``log(1 + exp(-target * input))`` for targets usually -1 or 1.

    The gradient is ``-y * sigmoid(-y * x)``. Evaluated stably: where torch's ``log1p(exp(-y
    x))`` overflows to inf (``y x`` below about -88 in float32), this gives the true value ``-y
    x`` and gradient ``-y``.

    Same parameters, defaults, semantics and errors as ``torch.nn.functional.soft_margin_loss``.

    Args:
        input: predictions, an array of any shape
        target: targets, broadcast with input as torch does (with its warning when the sizes
            differ)
        size_average: deprecated, as in torch: when given, it and ``reduce`` decide the
            reduction. Default: ``None``.
        reduce: deprecated, as in torch: when given, it and ``size_average`` decide the
            reduction. Default: ``None``.
        reduction: 'none', 'mean' or 'sum' (see Reduction). Default: ``'mean'``.
        grad_output: the gradient flowing into the loss: a number for 'mean' and 'sum', an array
            of the loss's shape for 'none'; None means ones. Default: ``None``.

    Reduction:
        'none': one loss per element, of the broadcast shape of the arrays; 'mean': their sum
        divided by the element count; 'sum': their sum. Default: ``'mean'``.

    Returns:
        ``(loss, grad)``: the loss (an array for reduction 'none', else a scalar, of the input's
        floating dtype, float16 and bfloat16 included, whose results are rounded once from
        float32) and d loss / d input, of input's shape and floating dtype.

    Gradients:
        With respect to input (not target): the gradient of ``sum(grad_output * loss)``,
        computed in the same pass as the loss.

    Example:
        >>> import numpy as np
        >>> import losscore.functional as F
        >>> input = np.array([0.5, -1.0, 2.0])
        >>> target = np.array([1.0, 1.0, -1.0])
        >>> loss, grad = F.soft_margin_loss_and_grad(input, target)
        >>> print(np.round(loss, 4))
        1.3048
        >>> print(np.round(grad, 4))
        [-0.1258 -0.2437  0.2936]
    """

def hinge_embedding_loss(input: ArrayLike, target: ArrayLike, margin: float = 1.0, size_average: Optional[bool] = None, reduce: Optional[bool] = None, reduction: Reduction = 'mean') -> Loss:
    """Hinge embedding loss: ``x`` where the target is 1, ``max(0, margin - x)`` where it is -1.

    Any other target takes both terms, as torch composes it; input and target broadcast
    together. The gradient is 1 and -1 (0 past the margin) there.

    Same parameters, defaults, semantics and errors as
    ``torch.nn.functional.hinge_embedding_loss``.

    Args:
        input: predictions, an array of any shape
        target: targets, broadcast with input as torch does
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
        The loss: an array for reduction 'none', else a scalar, of the input's floating dtype,
        float16 and bfloat16 included, whose results are rounded once from float32.

    Gradients:
        With respect to input (not target): the gradient of ``sum(grad_output * loss)``,
        computed in the same pass as the loss by ``hinge_embedding_loss_and_grad``.

    Example:
        >>> import numpy as np
        >>> import losscore.functional as F
        >>> input = np.array([0.3, 1.5, 0.2])
        >>> target = np.array([1.0, -1.0, -1.0])
        >>> print(np.round(F.hinge_embedding_loss(input, target), 4))
        0.3667
    """

def hinge_embedding_loss_and_grad(input: ArrayLike, target: ArrayLike, margin: float = 1.0, size_average: Optional[bool] = None, reduce: Optional[bool] = None, reduction: Reduction = 'mean', grad_output: Optional[ArrayLike] = None) -> Tuple[Loss, NDArray[np.floating[Any]]]:
    """``hinge_embedding_loss`` and its gradient d loss / d input, in one fused pass.

    Hinge embedding loss: ``x`` where the target is 1, ``max(0, margin - x)`` where it is -1.

    Any other target takes both terms, as torch composes it; input and target broadcast
    together. The gradient is 1 and -1 (0 past the margin) there.

    Same parameters, defaults, semantics and errors as
    ``torch.nn.functional.hinge_embedding_loss``.

    Args:
        input: predictions, an array of any shape
        target: targets, broadcast with input as torch does
        margin: the margin of the hinge (any real but NaN). Default: ``1.0``.
        size_average: deprecated, as in torch: when given, it and ``reduce`` decide the
            reduction. Default: ``None``.
        reduce: deprecated, as in torch: when given, it and ``size_average`` decide the
            reduction. Default: ``None``.
        reduction: 'none', 'mean' or 'sum' (see Reduction). Default: ``'mean'``.
        grad_output: the gradient flowing into the loss: a number for 'mean' and 'sum', an array
            of the loss's shape for 'none'; None means ones. Default: ``None``.

    Reduction:
        'none': one loss per element, of the broadcast shape of the arrays; 'mean': their sum
        divided by the element count; 'sum': their sum. Default: ``'mean'``.

    Returns:
        ``(loss, grad)``: the loss (an array for reduction 'none', else a scalar, of the input's
        floating dtype, float16 and bfloat16 included, whose results are rounded once from
        float32) and d loss / d input, of input's shape and floating dtype.

    Gradients:
        With respect to input (not target): the gradient of ``sum(grad_output * loss)``,
        computed in the same pass as the loss.

    Example:
        >>> import numpy as np
        >>> import losscore.functional as F
        >>> input = np.array([0.3, 1.5, 0.2])
        >>> target = np.array([1.0, -1.0, -1.0])
        >>> loss, grad = F.hinge_embedding_loss_and_grad(input, target)
        >>> print(np.round(loss, 4))
        0.3667
        >>> print(np.round(grad, 4))
        [ 0.3333  0.     -0.3333]
    """

def kl_div(input: ArrayLike, target: ArrayLike, size_average: Optional[bool] = None, reduce: Optional[bool] = None, reduction: BatchmeanReduction = 'mean', log_target: bool = False) -> Loss:
    """Kullback-Leibler divergence: ``target * (log(target) - input)`` per element, for
    log-probabilities ``input`` and the distribution ``target``.

    0 where the target is 0; with ``log_target`` ``exp(target) * (target - input)``; the
    gradient of an element's loss is ``-target`` (``-exp(target)``). Reduction 'batchmean'
    divides the sum by the batch size (input's first dimension): the KL divergence per sample;
    'mean' divides by every element and torch warns about it, as here. Integer arrays are
    refused, as torch refuses them.

    Same parameters, defaults, semantics and errors as ``torch.nn.functional.kl_div``.

    Args:
        input: predictions, an array of any shape
        target: targets, broadcast with input as torch does
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
        The loss: an array for reduction 'none', else a scalar, of the input's floating dtype,
        float16 and bfloat16 included, whose results are rounded once from float32.

    Gradients:
        With respect to input (not target): the gradient of ``sum(grad_output * loss)``,
        computed in the same pass as the loss by ``kl_div_and_grad``.

    Example:
        >>> import numpy as np
        >>> import losscore.functional as F
        >>> input = np.log(np.array([[0.25, 0.25, 0.5]]))
        >>> target = np.array([[0.5, 0.25, 0.25]])
        >>> print(np.round(F.kl_div(input, target, reduction='batchmean'), 4))
        0.1733
    """

def kl_div_and_grad(input: ArrayLike, target: ArrayLike, size_average: Optional[bool] = None, reduce: Optional[bool] = None, reduction: BatchmeanReduction = 'mean', log_target: bool = False, grad_output: Optional[ArrayLike] = None) -> Tuple[Loss, NDArray[np.floating[Any]]]:
    """``kl_div`` and its gradient d loss / d input, in one fused pass.

    Kullback-Leibler divergence: ``target * (log(target) - input)`` per element, for
    log-probabilities ``input`` and the distribution ``target``.

    0 where the target is 0; with ``log_target`` ``exp(target) * (target - input)``; the
    gradient of an element's loss is ``-target`` (``-exp(target)``). Reduction 'batchmean'
    divides the sum by the batch size (input's first dimension): the KL divergence per sample;
    'mean' divides by every element and torch warns about it, as here. Integer arrays are
    refused, as torch refuses them.

    Same parameters, defaults, semantics and errors as ``torch.nn.functional.kl_div``.

    Args:
        input: predictions, an array of any shape
        target: targets, broadcast with input as torch does
        size_average: deprecated, as in torch: when given, it and ``reduce`` decide the
            reduction. Default: ``None``.
        reduce: deprecated, as in torch: when given, it and ``size_average`` decide the
            reduction. Default: ``None``.
        reduction: 'none', 'batchmean', 'mean' or 'sum' (see Reduction). Default: ``'mean'``.
        log_target: whether target holds log-probabilities (else probabilities). Default:
            ``False``.
        grad_output: the gradient flowing into the loss: a number for 'mean' and 'sum', an array
            of the loss's shape for 'none'; None means ones. Default: ``None``.

    Reduction:
        'none': one loss per element, of the broadcast shape of the arrays; 'mean': their sum
        divided by the element count; 'sum': their sum; 'batchmean': the sum divided by input's
        first dimension (the KL divergence per sample). Default: ``'mean'``.

    Returns:
        ``(loss, grad)``: the loss (an array for reduction 'none', else a scalar, of the input's
        floating dtype, float16 and bfloat16 included, whose results are rounded once from
        float32) and d loss / d input, of input's shape and floating dtype.

    Gradients:
        With respect to input (not target): the gradient of ``sum(grad_output * loss)``,
        computed in the same pass as the loss.

    Example:
        >>> import numpy as np
        >>> import losscore.functional as F
        >>> input = np.log(np.array([[0.25, 0.25, 0.5]]))
        >>> target = np.array([[0.5, 0.25, 0.25]])
        >>> loss, grad = F.kl_div_and_grad(input, target, reduction='batchmean')
        >>> print(np.round(loss, 4))
        0.1733
        >>> print(np.round(grad, 4))
        [[-0.5  -0.25 -0.25]]
    """

def poisson_nll_loss(input: ArrayLike, target: ArrayLike, log_input: bool = True, full: bool = False, size_average: Optional[bool] = None, eps: float = 1e-08, reduce: Optional[bool] = None, reduction: Reduction = 'mean') -> Loss:
    """Poisson negative log-likelihood: ``exp(input) - target * input`` for log-rates ``input`` and
    counts ``target``.

    Its gradient is ``exp(input) - target``; with ``log_input=False`` ``input - target *
    log(input + eps)`` (gradient ``1 - target / (input + eps)``); ``full`` adds ``target *
    log(target) - target + 0.5 * log(2 pi target)`` where target > 1.

    Same parameters, defaults, semantics and errors as ``torch.nn.functional.poisson_nll_loss``.

    Args:
        input: predictions, an array of any shape
        target: targets, broadcast with input as torch does
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
        The loss: an array for reduction 'none', else a scalar, of the input's floating dtype,
        float16 and bfloat16 included, whose results are rounded once from float32.

    Gradients:
        With respect to input (not target): the gradient of ``sum(grad_output * loss)``,
        computed in the same pass as the loss by ``poisson_nll_loss_and_grad``.

    Example:
        >>> import numpy as np
        >>> import losscore.functional as F
        >>> input = np.array([0.5, -1.0, 0.0])
        >>> target = np.array([2.0, 0.0, 1.0])
        >>> print(np.round(F.poisson_nll_loss(input, target), 4))
        0.6722
    """

def poisson_nll_loss_and_grad(input: ArrayLike, target: ArrayLike, log_input: bool = True, full: bool = False, size_average: Optional[bool] = None, eps: float = 1e-08, reduce: Optional[bool] = None, reduction: Reduction = 'mean', grad_output: Optional[ArrayLike] = None) -> Tuple[Loss, NDArray[np.floating[Any]]]:
    """``poisson_nll_loss`` and its gradient d loss / d input, in one fused pass.

    Poisson negative log-likelihood: ``exp(input) - target * input`` for log-rates ``input`` and
    counts ``target``.

    Its gradient is ``exp(input) - target``; with ``log_input=False`` ``input - target *
    log(input + eps)`` (gradient ``1 - target / (input + eps)``); ``full`` adds ``target *
    log(target) - target + 0.5 * log(2 pi target)`` where target > 1.

    Same parameters, defaults, semantics and errors as ``torch.nn.functional.poisson_nll_loss``.

    Args:
        input: predictions, an array of any shape
        target: targets, broadcast with input as torch does
        log_input: whether input holds log-rates (else rates). Default: ``True``.
        full: whether to add the Stirling term of log(target!) (where target > 1). Default:
            ``False``.
        size_average: deprecated, as in torch: when given, it and ``reduce`` decide the
            reduction. Default: ``None``.
        eps: added to the rate inside the log when log_input is False. Default: ``1e-08``.
        reduce: deprecated, as in torch: when given, it and ``size_average`` decide the
            reduction. Default: ``None``.
        reduction: 'none', 'mean' or 'sum' (see Reduction). Default: ``'mean'``.
        grad_output: the gradient flowing into the loss: a number for 'mean' and 'sum', an array
            of the loss's shape for 'none'; None means ones. Default: ``None``.

    Reduction:
        'none': one loss per element, of the broadcast shape of the arrays; 'mean': their sum
        divided by the element count; 'sum': their sum. Default: ``'mean'``.

    Returns:
        ``(loss, grad)``: the loss (an array for reduction 'none', else a scalar, of the input's
        floating dtype, float16 and bfloat16 included, whose results are rounded once from
        float32) and d loss / d input, of input's shape and floating dtype.

    Gradients:
        With respect to input (not target): the gradient of ``sum(grad_output * loss)``,
        computed in the same pass as the loss.

    Example:
        >>> import numpy as np
        >>> import losscore.functional as F
        >>> input = np.array([0.5, -1.0, 0.0])
        >>> target = np.array([2.0, 0.0, 1.0])
        >>> loss, grad = F.poisson_nll_loss_and_grad(input, target)
        >>> print(np.round(loss, 4))
        0.6722
        >>> print(np.round(grad, 4))
        [-0.1171  0.1226  0.    ]
    """

def margin_ranking_loss(input1: ArrayLike, input2: ArrayLike, target: ArrayLike, margin: float = 0, size_average: Optional[bool] = None, reduce: Optional[bool] = None, reduction: Reduction = 'mean') -> Loss:
    """Margin ranking loss: ``max(0, -y * (x1 - x2) + margin)``.

    The gradients with respect to ``input1`` and ``input2`` are ``-y`` and ``y`` where the clamp
    passes (at equality too) and 0 elsewhere; ``_and_grad`` returns ``(loss, (grad_input1,
    grad_input2))``.

    Same parameters, defaults, semantics and errors as
    ``torch.nn.functional.margin_ranking_loss``.

    Args:
        input1: scores, an array of any shape
        input2: scores of the same number of dimensions
        target: 1 where input1 should rank higher, -1 where input2 should; the three broadcast
            together and must have the same number of dimensions
        margin: the margin of the hinge (any real but NaN). Default: ``0``.
        size_average: deprecated, as in torch: when given, it and ``reduce`` decide the
            reduction. Default: ``None``.
        reduce: deprecated, as in torch: when given, it and ``size_average`` decide the
            reduction. Default: ``None``.
        reduction: 'none', 'mean' or 'sum' (see Reduction). Default: ``'mean'``.

    Reduction:
        'none': one loss per element, of the broadcast shape of the arrays; 'mean': their sum
        divided by the element count; 'sum': their sum. Default: ``'mean'``.

    Returns:
        The loss: an array for reduction 'none', else a scalar, of the input's floating dtype,
        float16 and bfloat16 included, whose results are rounded once from float32.

    Gradients:
        With respect to input1, input2 (not target): the gradient of ``sum(grad_output *
        loss)``, computed in the same pass as the loss by ``margin_ranking_loss_and_grad``.

    Example:
        >>> import numpy as np
        >>> import losscore.functional as F
        >>> input1 = np.array([0.8, 0.2, 0.5])
        >>> input2 = np.array([0.75, 0.6, 0.4])
        >>> target = np.array([1.0, 1.0, -1.0])
        >>> print(np.round(F.margin_ranking_loss(input1, input2, target, margin=0.1), 4))
        0.25
    """

def margin_ranking_loss_and_grad(input1: ArrayLike, input2: ArrayLike, target: ArrayLike, margin: float = 0, size_average: Optional[bool] = None, reduce: Optional[bool] = None, reduction: Reduction = 'mean', grad_output: Optional[ArrayLike] = None) -> Tuple[Loss, NDArray[np.floating[Any]]]:
    """``margin_ranking_loss`` and its gradients (d loss / d input1, d loss / d input2), in one
    fused pass.

    Margin ranking loss: ``max(0, -y * (x1 - x2) + margin)``.

    The gradients with respect to ``input1`` and ``input2`` are ``-y`` and ``y`` where the clamp
    passes (at equality too) and 0 elsewhere; ``_and_grad`` returns ``(loss, (grad_input1,
    grad_input2))``.

    Same parameters, defaults, semantics and errors as
    ``torch.nn.functional.margin_ranking_loss``.

    Args:
        input1: scores, an array of any shape
        input2: scores of the same number of dimensions
        target: 1 where input1 should rank higher, -1 where input2 should; the three broadcast
            together and must have the same number of dimensions
        margin: the margin of the hinge (any real but NaN). Default: ``0``.
        size_average: deprecated, as in torch: when given, it and ``reduce`` decide the
            reduction. Default: ``None``.
        reduce: deprecated, as in torch: when given, it and ``size_average`` decide the
            reduction. Default: ``None``.
        reduction: 'none', 'mean' or 'sum' (see Reduction). Default: ``'mean'``.
        grad_output: the gradient flowing into the loss: a number for 'mean' and 'sum', an array
            of the loss's shape for 'none'; None means ones. Default: ``None``.

    Reduction:
        'none': one loss per element, of the broadcast shape of the arrays; 'mean': their sum
        divided by the element count; 'sum': their sum. Default: ``'mean'``.

    Returns:
        ``(loss, (grad_input1, grad_input2))``: the loss (an array for reduction 'none', else a
        scalar, of the input's floating dtype, float16 and bfloat16 included, whose results are
        rounded once from float32) and (d loss / d input1, d loss / d input2), each of its
        argument's shape and floating dtype.

    Gradients:
        With respect to input1, input2 (not target): the gradient of ``sum(grad_output *
        loss)``, computed in the same pass as the loss.

    Example:
        >>> import numpy as np
        >>> import losscore.functional as F
        >>> input1 = np.array([0.8, 0.2, 0.5])
        >>> input2 = np.array([0.75, 0.6, 0.4])
        >>> target = np.array([1.0, 1.0, -1.0])
        >>> loss, (grad_input1, grad_input2) = F.margin_ranking_loss_and_grad(input1, input2, target, margin=0.1)
        >>> print(np.round(loss, 4))
        0.25
        >>> print(np.round(grad_input1, 4))
        [-0.3333 -0.3333  0.3333]
        >>> print(np.round(grad_input2, 4))
        [ 0.3333  0.3333 -0.3333]
    """

def gaussian_nll_loss(input: ArrayLike, target: ArrayLike, var: ArrayLike, full: bool = False, eps: float = 1e-06, reduction: Reduction = 'mean') -> Loss:
    """Gaussian negative log likelihood: ``0.5 * (log(v) + (input - target)**2 / v)`` with ``v =
    max(var, eps)``.

    ``full`` adds ``0.5 * log(2 * pi)``. The clamp is torch's, under no_grad: the gradient with
    respect to var is ``0.5 * (1 / v - (input - target)**2 / v**2)`` also where it clamps,
    summed over the elements that share a variance. ``_and_grad`` returns ``(loss, (grad_input,
    grad_var))``, grad_var None for a float var.

    Same parameters, defaults, semantics and errors as
    ``torch.nn.functional.gaussian_nll_loss``.

    Args:
        input: the means (expectations), an array of any shape
        target: samples, broadcast with input
        var: variances >= 0: input's shape, input's shape with one dimension of size 1 (or
            without its last dimension), or a Python float (no gradient)
        full: add the constant 0.5 * log(2 * pi) to each loss. Default: ``False``.
        eps: the smallest variance: var is clamped to it (its gradient passes unchanged).
            Default: ``1e-06``.
        reduction: 'none', 'mean' or 'sum' (see Reduction). Default: ``'mean'``.

    Reduction:
        'none': one loss per element, of the broadcast shape of the arrays; 'mean': their sum
        divided by the element count; 'sum': their sum. Default: ``'mean'``.

    Returns:
        The loss: an array for reduction 'none', else a scalar, of the input's floating dtype,
        float16 and bfloat16 included, whose results are rounded once from float32.

    Gradients:
        With respect to input, var (not target): the gradient of ``sum(grad_output * loss)``,
        computed in the same pass as the loss by ``gaussian_nll_loss_and_grad``.

    Example:
        >>> import numpy as np
        >>> import losscore.functional as F
        >>> input = np.array([0.5, 2.0, -1.0])
        >>> target = np.array([1.0, 1.0, 0.0])
        >>> var = np.array([0.5, 1.0, 2.0])
        >>> print(np.round(F.gaussian_nll_loss(input, target, var), 4))
        0.3333
    """

def gaussian_nll_loss_and_grad(input: ArrayLike, target: ArrayLike, var: ArrayLike, full: bool = False, eps: float = 1e-06, reduction: Reduction = 'mean', grad_output: Optional[ArrayLike] = None) -> Tuple[Loss, NDArray[np.floating[Any]]]:
    """``gaussian_nll_loss`` and its gradients (d loss / d input, d loss / d var), in one fused
    pass.

    Gaussian negative log likelihood: ``0.5 * (log(v) + (input - target)**2 / v)`` with ``v =
    max(var, eps)``.

    ``full`` adds ``0.5 * log(2 * pi)``. The clamp is torch's, under no_grad: the gradient with
    respect to var is ``0.5 * (1 / v - (input - target)**2 / v**2)`` also where it clamps,
    summed over the elements that share a variance. ``_and_grad`` returns ``(loss, (grad_input,
    grad_var))``, grad_var None for a float var.

    Same parameters, defaults, semantics and errors as
    ``torch.nn.functional.gaussian_nll_loss``.

    Args:
        input: the means (expectations), an array of any shape
        target: samples, broadcast with input
        var: variances >= 0: input's shape, input's shape with one dimension of size 1 (or
            without its last dimension), or a Python float (no gradient)
        full: add the constant 0.5 * log(2 * pi) to each loss. Default: ``False``.
        eps: the smallest variance: var is clamped to it (its gradient passes unchanged).
            Default: ``1e-06``.
        reduction: 'none', 'mean' or 'sum' (see Reduction). Default: ``'mean'``.
        grad_output: the gradient flowing into the loss: a number for 'mean' and 'sum', an array
            of the loss's shape for 'none'; None means ones. Default: ``None``.

    Reduction:
        'none': one loss per element, of the broadcast shape of the arrays; 'mean': their sum
        divided by the element count; 'sum': their sum. Default: ``'mean'``.

    Returns:
        ``(loss, (grad_input, grad_var))``: the loss (an array for reduction 'none', else a
        scalar, of the input's floating dtype, float16 and bfloat16 included, whose results are
        rounded once from float32) and (d loss / d input, d loss / d var), each of its
        argument's shape and floating dtype (None for a float var).

    Gradients:
        With respect to input, var (not target): the gradient of ``sum(grad_output * loss)``,
        computed in the same pass as the loss.

    Example:
        >>> import numpy as np
        >>> import losscore.functional as F
        >>> input = np.array([0.5, 2.0, -1.0])
        >>> target = np.array([1.0, 1.0, 0.0])
        >>> var = np.array([0.5, 1.0, 2.0])
        >>> loss, (grad_input, grad_var) = F.gaussian_nll_loss_and_grad(input, target, var)
        >>> print(np.round(loss, 4))
        0.3333
        >>> print(np.round(grad_input, 4))
        [-0.3333  0.3333 -0.1667]
        >>> print(np.round(grad_var, 4))
        [0.1667 0.     0.0417]
    """

def cross_entropy(input: ArrayLike, target: ArrayLike, weight: Optional[ArrayLike] = None, size_average: Optional[bool] = None, ignore_index: int = -100, reduce: Optional[bool] = None, reduction: Reduction = 'mean', label_smoothing: float = 0.0) -> Loss:
    """Cross-entropy of logits: ``-w[y] * log_softmax(input)[y]`` per position for a class index
    ``y``, ``-sum_c w[c] * target[c] * log_softmax(input)[c]`` for class probabilities.

    The target holds class indices (integer, the input's shape without the class dimension) or
    class probabilities (floating, the input's shape). ``label_smoothing`` mixes the target with
    the uniform distribution, as torch does. Unweighted, the gradient of one position's loss is
    ``softmax(input) - target`` (the target one-hot for class indices), before the reduction
    ('mean' divides it by the number of positions).

    Same parameters, defaults, semantics and errors as ``torch.nn.functional.cross_entropy``.

    Args:
        input: class scores with the class dimension at dim 1, (N, C, d1, ...), or (C,)
        target: integer class indices: input's shape without the class dimension, or class
            probabilities of input's shape
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
        The loss: an array for reduction 'none', else a scalar, of the input's floating dtype,
        float16 and bfloat16 included, whose results are rounded once from float32.

    Gradients:
        With respect to input (not target, weight): the gradient of ``sum(grad_output * loss)``,
        computed in the same pass as the loss by ``cross_entropy_and_grad``.

    Example:
        >>> import numpy as np
        >>> import losscore.functional as F
        >>> input = np.array([[2.0, 0.5, -1.0], [0.1, 1.2, 0.3]])
        >>> target = np.array([0, 2])
        >>> print(np.round(F.cross_entropy(input, target), 4))
        0.8474
    """

def cross_entropy_and_grad(input: ArrayLike, target: ArrayLike, weight: Optional[ArrayLike] = None, size_average: Optional[bool] = None, ignore_index: int = -100, reduce: Optional[bool] = None, reduction: Reduction = 'mean', label_smoothing: float = 0.0, grad_output: Optional[ArrayLike] = None) -> Tuple[Loss, NDArray[np.floating[Any]]]:
    """``cross_entropy`` and its gradient d loss / d input, in one fused pass.

    Cross-entropy of logits: ``-w[y] * log_softmax(input)[y]`` per position for a class index
    ``y``, ``-sum_c w[c] * target[c] * log_softmax(input)[c]`` for class probabilities.

    The target holds class indices (integer, the input's shape without the class dimension) or
    class probabilities (floating, the input's shape). ``label_smoothing`` mixes the target with
    the uniform distribution, as torch does. Unweighted, the gradient of one position's loss is
    ``softmax(input) - target`` (the target one-hot for class indices), before the reduction
    ('mean' divides it by the number of positions).

    Same parameters, defaults, semantics and errors as ``torch.nn.functional.cross_entropy``.

    Args:
        input: class scores with the class dimension at dim 1, (N, C, d1, ...), or (C,)
        target: integer class indices: input's shape without the class dimension, or class
            probabilities of input's shape
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
        grad_output: the gradient flowing into the loss: a number for 'mean' and 'sum', an array
            of the loss's shape for 'none'; None means ones. Default: ``None``.

    Reduction:
        'none': one loss per position: target's shape (input's without the class dimension);
        'mean': their sum divided by the sum of ``weight[target]`` over the positions not
        ignored (their count without weight; with class-probability targets, the position
        count); 'sum': their sum. Default: ``'mean'``.

    Returns:
        ``(loss, grad)``: the loss (an array for reduction 'none', else a scalar, of the input's
        floating dtype, float16 and bfloat16 included, whose results are rounded once from
        float32) and d loss / d input, of input's shape and floating dtype.

    Gradients:
        With respect to input (not target, weight): the gradient of ``sum(grad_output * loss)``,
        computed in the same pass as the loss.

    Example:
        >>> import numpy as np
        >>> import losscore.functional as F
        >>> input = np.array([[2.0, 0.5, -1.0], [0.1, 1.2, 0.3]])
        >>> target = np.array([0, 2])
        >>> loss, grad = F.cross_entropy_and_grad(input, target)
        >>> print(np.round(loss, 4))
        0.8474
        >>> print(np.round(grad, 4))
        [[-0.1072  0.0876  0.0196]
         [ 0.0957  0.2874 -0.3831]]
    """

def nll_loss(input: ArrayLike, target: ArrayLike, weight: Optional[ArrayLike] = None, size_average: Optional[bool] = None, ignore_index: int = -100, reduce: Optional[bool] = None, reduction: Reduction = 'mean') -> Loss:
    """Negative log-likelihood: ``-w[y] * input[y]`` per position, for log-probabilities ``input``
    and class indices ``y``.

    The gradient is ``-w[y]`` at the target class and 0 elsewhere; ignored positions give 0.

    Same parameters, defaults, semantics and errors as ``torch.nn.functional.nll_loss``.

    Args:
        input: class scores with the class dimension at dim 1, (N, C, d1, ...), or (C,)
        target: integer class indices: input's shape without the class dimension
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
        The loss: an array for reduction 'none', else a scalar, of the input's floating dtype,
        float16 and bfloat16 included, whose results are rounded once from float32.

    Gradients:
        With respect to input (not target, weight): the gradient of ``sum(grad_output * loss)``,
        computed in the same pass as the loss by ``nll_loss_and_grad``.

    Example:
        >>> import numpy as np
        >>> import losscore.functional as F
        >>> input = np.log(np.array([[0.7, 0.2, 0.1], [0.1, 0.3, 0.6]]))
        >>> target = np.array([0, 2])
        >>> print(np.round(F.nll_loss(input, target), 4))
        0.4338
    """

def nll_loss_and_grad(input: ArrayLike, target: ArrayLike, weight: Optional[ArrayLike] = None, size_average: Optional[bool] = None, ignore_index: int = -100, reduce: Optional[bool] = None, reduction: Reduction = 'mean', grad_output: Optional[ArrayLike] = None) -> Tuple[Loss, NDArray[np.floating[Any]]]:
    """``nll_loss`` and its gradient d loss / d input, in one fused pass.

    Negative log-likelihood: ``-w[y] * input[y]`` per position, for log-probabilities ``input``
    and class indices ``y``.

    The gradient is ``-w[y]`` at the target class and 0 elsewhere; ignored positions give 0.

    Same parameters, defaults, semantics and errors as ``torch.nn.functional.nll_loss``.

    Args:
        input: class scores with the class dimension at dim 1, (N, C, d1, ...), or (C,)
        target: integer class indices: input's shape without the class dimension
        weight: None, or per-class weights (C,). Default: ``None``.
        size_average: deprecated, as in torch: when given, it and ``reduce`` decide the
            reduction. Default: ``None``.
        ignore_index: a target class index that contributes neither loss nor gradient. Default:
            ``-100``.
        reduce: deprecated, as in torch: when given, it and ``size_average`` decide the
            reduction. Default: ``None``.
        reduction: 'none', 'mean' or 'sum' (see Reduction). Default: ``'mean'``.
        grad_output: the gradient flowing into the loss: a number for 'mean' and 'sum', an array
            of the loss's shape for 'none'; None means ones. Default: ``None``.

    Reduction:
        'none': one loss per position: target's shape (input's without the class dimension);
        'mean': their sum divided by the sum of ``weight[target]`` over the positions not
        ignored (their count without weight; with class-probability targets, the position
        count); 'sum': their sum. Default: ``'mean'``.

    Returns:
        ``(loss, grad)``: the loss (an array for reduction 'none', else a scalar, of the input's
        floating dtype, float16 and bfloat16 included, whose results are rounded once from
        float32) and d loss / d input, of input's shape and floating dtype.

    Gradients:
        With respect to input (not target, weight): the gradient of ``sum(grad_output * loss)``,
        computed in the same pass as the loss.

    Example:
        >>> import numpy as np
        >>> import losscore.functional as F
        >>> input = np.log(np.array([[0.7, 0.2, 0.1], [0.1, 0.3, 0.6]]))
        >>> target = np.array([0, 2])
        >>> loss, grad = F.nll_loss_and_grad(input, target)
        >>> print(np.round(loss, 4))
        0.4338
        >>> print(np.round(grad, 4))
        [[-0.5  0.   0. ]
         [ 0.   0.  -0.5]]
    """

def focal_loss(input: ArrayLike, target: ArrayLike, weight: Optional[ArrayLike] = None, gamma: float = 2.0, ignore_index: int = -100, reduction: Reduction = 'mean') -> Loss:
    """Multi-class focal loss: ``nll_loss((1 - softmax(x))**gamma * log_softmax(x), target, weight,
    ...)``.

    ``weight`` (per class) plays the role of alpha; gamma = 0 is cross-entropy. The module is
    the tutorial's, with its default reduction 'none'.

    Args:
        input: class scores with the class dimension at dim 1, (N, C, d1, ...), or (C,)
        target: integer class indices: input's shape without the class dimension
        weight: None, or per-class weights (C,). Default: ``None``.
        gamma: the focusing exponent on the probability of the wrong answer (>= 0, finite; 0
            gives cross-entropy). Default: ``2.0``.
        ignore_index: a target class index that contributes neither loss nor gradient. Default:
            ``-100``.
        reduction: 'none', 'mean' or 'sum' (see Reduction). Default: ``'mean'``.

    Reduction:
        'none': one loss per position: target's shape (input's without the class dimension);
        'mean': their sum divided by the sum of ``weight[target]`` over the positions not
        ignored (their count without weight; with class-probability targets, the position
        count); 'sum': their sum. Default: ``'mean'``.

    Returns:
        The loss: an array for reduction 'none', else a scalar, of the input's floating dtype,
        float16 and bfloat16 included, whose results are rounded once from float32.

    Gradients:
        With respect to input (not target, weight): the gradient of ``sum(grad_output * loss)``,
        computed in the same pass as the loss by ``focal_loss_and_grad``.

    Example:
        >>> import numpy as np
        >>> import losscore.functional as F
        >>> input = np.array([[2.0, 0.5, -1.0], [0.1, 1.2, 0.3]])
        >>> target = np.array([0, 2])
        >>> print(np.round(F.focal_loss(input, target, reduction='none'), 4))
        [0.0111 0.8535]
    """

def focal_loss_and_grad(input: ArrayLike, target: ArrayLike, weight: Optional[ArrayLike] = None, gamma: float = 2.0, ignore_index: int = -100, reduction: Reduction = 'mean', grad_output: Optional[ArrayLike] = None) -> Tuple[Loss, NDArray[np.floating[Any]]]:
    """``focal_loss`` and its gradient d loss / d input, in one fused pass.

    Multi-class focal loss: ``nll_loss((1 - softmax(x))**gamma * log_softmax(x), target, weight,
    ...)``.

    ``weight`` (per class) plays the role of alpha; gamma = 0 is cross-entropy. The module is
    the tutorial's, with its default reduction 'none'.

    Args:
        input: class scores with the class dimension at dim 1, (N, C, d1, ...), or (C,)
        target: integer class indices: input's shape without the class dimension
        weight: None, or per-class weights (C,). Default: ``None``.
        gamma: the focusing exponent on the probability of the wrong answer (>= 0, finite; 0
            gives cross-entropy). Default: ``2.0``.
        ignore_index: a target class index that contributes neither loss nor gradient. Default:
            ``-100``.
        reduction: 'none', 'mean' or 'sum' (see Reduction). Default: ``'mean'``.
        grad_output: the gradient flowing into the loss: a number for 'mean' and 'sum', an array
            of the loss's shape for 'none'; None means ones. Default: ``None``.

    Reduction:
        'none': one loss per position: target's shape (input's without the class dimension);
        'mean': their sum divided by the sum of ``weight[target]`` over the positions not
        ignored (their count without weight; with class-probability targets, the position
        count); 'sum': their sum. Default: ``'mean'``.

    Returns:
        ``(loss, grad)``: the loss (an array for reduction 'none', else a scalar, of the input's
        floating dtype, float16 and bfloat16 included, whose results are rounded once from
        float32) and d loss / d input, of input's shape and floating dtype.

    Gradients:
        With respect to input (not target, weight): the gradient of ``sum(grad_output * loss)``,
        computed in the same pass as the loss.

    Example:
        >>> import numpy as np
        >>> import losscore.functional as F
        >>> input = np.array([[2.0, 0.5, -1.0], [0.1, 1.2, 0.3]])
        >>> target = np.array([0, 2])
        >>> loss, grad = F.focal_loss_and_grad(input, target, reduction='none')
        >>> print(np.round(loss, 4))
        [0.0111 0.8535]
        >>> print(np.round(grad, 4))
        [[-0.0273  0.0223  0.005 ]
         [ 0.212   0.6369 -0.8489]]
    """

def multi_margin_loss(input: ArrayLike, target: ArrayLike, p: Literal[1, 2] = 1, margin: float = 1.0, weight: Optional[ArrayLike] = None, size_average: Optional[bool] = None, reduce: Optional[bool] = None, reduction: Reduction = 'mean') -> Loss:
    """Multi-class hinge loss: ``sum_{j != y} w_y max(0, margin - x_y + x_j)**p / C`` per row.

    ``input`` is (N, C) or (C,) scores, ``target`` the class index of each row (int, (N,) or
    0-d); ``weight`` (C,) weighs each row by its target's class. The gradient is ``w_y (1 or 2
    z_j) / C`` at each class j whose term is positive, minus their sum at y.

    Same parameters, defaults, semantics and errors as
    ``torch.nn.functional.multi_margin_loss``.

    Args:
        input: class scores with the class dimension last, (N, C) or (C,)
        target: integer class indices, one per row: (N,), or 0-d for (C,)
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
        The loss: an array for reduction 'none', else a scalar, of the input's floating dtype,
        float16 and bfloat16 included, whose results are rounded once from float32.

    Gradients:
        With respect to input (not target, weight): the gradient of ``sum(grad_output * loss)``,
        computed in the same pass as the loss by ``multi_margin_loss_and_grad``.

    Example:
        >>> import numpy as np
        >>> import losscore.functional as F
        >>> input = np.array([[0.8, 0.2, 0.5], [0.1, 0.9, 0.4]])
        >>> target = np.array([0, 2])
        >>> print(np.round(F.multi_margin_loss(input, target), 4))
        0.55
    """

def multi_margin_loss_and_grad(input: ArrayLike, target: ArrayLike, p: Literal[1, 2] = 1, margin: float = 1.0, weight: Optional[ArrayLike] = None, size_average: Optional[bool] = None, reduce: Optional[bool] = None, reduction: Reduction = 'mean', grad_output: Optional[ArrayLike] = None) -> Tuple[Loss, NDArray[np.floating[Any]]]:
    """``multi_margin_loss`` and its gradient d loss / d input, in one fused pass.

    Multi-class hinge loss: ``sum_{j != y} w_y max(0, margin - x_y + x_j)**p / C`` per row.

    ``input`` is (N, C) or (C,) scores, ``target`` the class index of each row (int, (N,) or
    0-d); ``weight`` (C,) weighs each row by its target's class. The gradient is ``w_y (1 or 2
    z_j) / C`` at each class j whose term is positive, minus their sum at y.

    Same parameters, defaults, semantics and errors as
    ``torch.nn.functional.multi_margin_loss``.

    Args:
        input: class scores with the class dimension last, (N, C) or (C,)
        target: integer class indices, one per row: (N,), or 0-d for (C,)
        p: the power of each hinge term: 1 or 2. Default: ``1``.
        margin: the margin the target's score must exceed the others' by (any real but NaN).
            Default: ``1.0``.
        weight: None, or per-class weights (C,). Default: ``None``.
        size_average: deprecated, as in torch: when given, it and ``reduce`` decide the
            reduction. Default: ``None``.
        reduce: deprecated, as in torch: when given, it and ``size_average`` decide the
            reduction. Default: ``None``.
        reduction: 'none', 'mean' or 'sum' (see Reduction). Default: ``'mean'``.
        grad_output: the gradient flowing into the loss: a number for 'mean' and 'sum', an array
            of the loss's shape for 'none'; None means ones. Default: ``None``.

    Reduction:
        'none': one loss per row: (N,), or 0-d for unbatched (C,); 'mean': their sum divided by
        the row count; 'sum': their sum. Default: ``'mean'``.

    Returns:
        ``(loss, grad)``: the loss (an array for reduction 'none', else a scalar, of the input's
        floating dtype, float16 and bfloat16 included, whose results are rounded once from
        float32) and d loss / d input, of input's shape and floating dtype.

    Gradients:
        With respect to input (not target, weight): the gradient of ``sum(grad_output * loss)``,
        computed in the same pass as the loss.

    Example:
        >>> import numpy as np
        >>> import losscore.functional as F
        >>> input = np.array([[0.8, 0.2, 0.5], [0.1, 0.9, 0.4]])
        >>> target = np.array([0, 2])
        >>> loss, grad = F.multi_margin_loss_and_grad(input, target)
        >>> print(np.round(loss, 4))
        0.55
        >>> print(np.round(grad, 4))
        [[-0.3333  0.1667  0.1667]
         [ 0.1667  0.1667 -0.3333]]
    """

def multilabel_margin_loss(input: ArrayLike, target: ArrayLike, size_average: Optional[bool] = None, reduce: Optional[bool] = None, reduction: Reduction = 'mean') -> Loss:
    """Multi-label hinge loss: ``sum_{y in T} sum_{j not in T} max(0, 1 - (x_y - x_j)) / C`` per
    row.

    ``target`` has input's shape ((N, C) or (C,)) and lists each row's target classes T, ended
    by the first -1; every value must be in [-1, C).

    Same parameters, defaults, semantics and errors as
    ``torch.nn.functional.multilabel_margin_loss``.

    Args:
        input: class scores with the class dimension last, (N, C) or (C,)
        target: integer class labels of input's shape, each row's list ended by its first -1
        size_average: deprecated, as in torch: when given, it and ``reduce`` decide the
            reduction. Default: ``None``.
        reduce: deprecated, as in torch: when given, it and ``size_average`` decide the
            reduction. Default: ``None``.
        reduction: 'none', 'mean' or 'sum' (see Reduction). Default: ``'mean'``.

    Reduction:
        'none': one loss per row: (N,), or 0-d for unbatched (C,); 'mean': their sum divided by
        the row count; 'sum': their sum. Default: ``'mean'``.

    Returns:
        The loss: an array for reduction 'none', else a scalar, of the input's floating dtype,
        float16 and bfloat16 included, whose results are rounded once from float32.

    Gradients:
        With respect to input (not target): the gradient of ``sum(grad_output * loss)``,
        computed in the same pass as the loss by ``multilabel_margin_loss_and_grad``.

    Example:
        >>> import numpy as np
        >>> import losscore.functional as F
        >>> input = np.array([[0.1, 0.2, 0.4, 0.8]])
        >>> target = np.array([[3, 0, -1, 1]])
        >>> print(np.round(F.multilabel_margin_loss(input, target), 4))
        0.85
    """

def multilabel_margin_loss_and_grad(input: ArrayLike, target: ArrayLike, size_average: Optional[bool] = None, reduce: Optional[bool] = None, reduction: Reduction = 'mean', grad_output: Optional[ArrayLike] = None) -> Tuple[Loss, NDArray[np.floating[Any]]]:
    """``multilabel_margin_loss`` and its gradient d loss / d input, in one fused pass.

    Multi-label hinge loss: ``sum_{y in T} sum_{j not in T} max(0, 1 - (x_y - x_j)) / C`` per
    row.

    ``target`` has input's shape ((N, C) or (C,)) and lists each row's target classes T, ended
    by the first -1; every value must be in [-1, C).

    Same parameters, defaults, semantics and errors as
    ``torch.nn.functional.multilabel_margin_loss``.

    Args:
        input: class scores with the class dimension last, (N, C) or (C,)
        target: integer class labels of input's shape, each row's list ended by its first -1
        size_average: deprecated, as in torch: when given, it and ``reduce`` decide the
            reduction. Default: ``None``.
        reduce: deprecated, as in torch: when given, it and ``size_average`` decide the
            reduction. Default: ``None``.
        reduction: 'none', 'mean' or 'sum' (see Reduction). Default: ``'mean'``.
        grad_output: the gradient flowing into the loss: a number for 'mean' and 'sum', an array
            of the loss's shape for 'none'; None means ones. Default: ``None``.

    Reduction:
        'none': one loss per row: (N,), or 0-d for unbatched (C,); 'mean': their sum divided by
        the row count; 'sum': their sum. Default: ``'mean'``.

    Returns:
        ``(loss, grad)``: the loss (an array for reduction 'none', else a scalar, of the input's
        floating dtype, float16 and bfloat16 included, whose results are rounded once from
        float32) and d loss / d input, of input's shape and floating dtype.

    Gradients:
        With respect to input (not target): the gradient of ``sum(grad_output * loss)``,
        computed in the same pass as the loss.

    Example:
        >>> import numpy as np
        >>> import losscore.functional as F
        >>> input = np.array([[0.1, 0.2, 0.4, 0.8]])
        >>> target = np.array([[3, 0, -1, 1]])
        >>> loss, grad = F.multilabel_margin_loss_and_grad(input, target)
        >>> print(np.round(loss, 4))
        0.85
        >>> print(np.round(grad, 4))
        [[-0.5  0.5  0.5 -0.5]]
    """

def multilabel_soft_margin_loss(input: ArrayLike, target: ArrayLike, weight: Optional[ArrayLike] = None, size_average: Optional[bool] = None, reduce: Optional[bool] = None, reduction: Reduction = 'mean') -> Loss:
    """Multi-label logistic loss: ``-(y log sigmoid(x) + (1 - y) log sigmoid(-x))`` per class,
    times ``weight``, averaged over the classes of each row.

    As torch composes it: input, target and weight broadcast together, and the sum runs over
    dimension ``input.ndim - 1`` of that shape, divided by ``input.shape[-1]``. Evaluated in the
    stable form of BCE with logits; the gradient of a row's loss is ``w (sigmoid(x) - y) / C``,
    before the reduction.

    Same parameters, defaults, semantics and errors as
    ``torch.nn.functional.multilabel_soft_margin_loss``.

    Args:
        input: class scores with the class dimension last, (N, C) or (C,)
        target: targets (usually 0 or 1), broadcast with input
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
        The loss: an array for reduction 'none', else a scalar, of the input's floating dtype,
        float16 and bfloat16 included, whose results are rounded once from float32.

    Gradients:
        With respect to input (not target, weight): the gradient of ``sum(grad_output * loss)``,
        computed in the same pass as the loss by ``multilabel_soft_margin_loss_and_grad``.

    Example:
        >>> import numpy as np
        >>> import losscore.functional as F
        >>> input = np.array([[1.5, -0.5, 0.2]])
        >>> target = np.array([[1.0, 0.0, 1.0]])
        >>> print(np.round(F.multilabel_soft_margin_loss(input, target), 4))
        0.4245
    """

def multilabel_soft_margin_loss_and_grad(input: ArrayLike, target: ArrayLike, weight: Optional[ArrayLike] = None, size_average: Optional[bool] = None, reduce: Optional[bool] = None, reduction: Reduction = 'mean', grad_output: Optional[ArrayLike] = None) -> Tuple[Loss, NDArray[np.floating[Any]]]:
    """``multilabel_soft_margin_loss`` and its gradient d loss / d input, in one fused pass.

    Multi-label logistic loss: ``-(y log sigmoid(x) + (1 - y) log sigmoid(-x))`` per class,
    times ``weight``, averaged over the classes of each row.

    As torch composes it: input, target and weight broadcast together, and the sum runs over
    dimension ``input.ndim - 1`` of that shape, divided by ``input.shape[-1]``. Evaluated in the
    stable form of BCE with logits; the gradient of a row's loss is ``w (sigmoid(x) - y) / C``,
    before the reduction.

    Same parameters, defaults, semantics and errors as
    ``torch.nn.functional.multilabel_soft_margin_loss``.

    Args:
        input: class scores with the class dimension last, (N, C) or (C,)
        target: targets (usually 0 or 1), broadcast with input
        weight: None, or weights broadcast to input's shape. Default: ``None``.
        size_average: deprecated, as in torch: when given, it and ``reduce`` decide the
            reduction. Default: ``None``.
        reduce: deprecated, as in torch: when given, it and ``size_average`` decide the
            reduction. Default: ``None``.
        reduction: 'none', 'mean' or 'sum' (see Reduction). Default: ``'mean'``.
        grad_output: the gradient flowing into the loss: a number for 'mean' and 'sum', an array
            of the loss's shape for 'none'; None means ones. Default: ``None``.

    Reduction:
        'none': one loss per row: (N,), or 0-d for unbatched (C,); 'mean': their sum divided by
        the row count; 'sum': their sum. Default: ``'mean'``.

    Returns:
        ``(loss, grad)``: the loss (an array for reduction 'none', else a scalar, of the input's
        floating dtype, float16 and bfloat16 included, whose results are rounded once from
        float32) and d loss / d input, of input's shape and floating dtype.

    Gradients:
        With respect to input (not target, weight): the gradient of ``sum(grad_output * loss)``,
        computed in the same pass as the loss.

    Example:
        >>> import numpy as np
        >>> import losscore.functional as F
        >>> input = np.array([[1.5, -0.5, 0.2]])
        >>> target = np.array([[1.0, 0.0, 1.0]])
        >>> loss, grad = F.multilabel_soft_margin_loss_and_grad(input, target)
        >>> print(np.round(loss, 4))
        0.4245
        >>> print(np.round(grad, 4))
        [[-0.0608  0.1258 -0.1501]]
    """

def ctc_loss(log_probs: ArrayLike, targets: ArrayLike, input_lengths: ArrayLike, target_lengths: ArrayLike, blank: int = 0, reduction: Reduction = 'mean', zero_infinity: bool = False) -> Loss:
    """Connectionist temporal classification: ``-log(sum over the alignments a of the target of
    prod_t exp(log_probs[t, a_t]))`` per sample.

    ``log_probs`` is ``(T, N, C)`` (or ``(T, C)``); log-space forward-backward; 'mean' divides
    each sample's loss by its target length (at least 1) and averages over the batch. The
    gradient is torch's CTC backward, ``exp(x) - exp(log(sum alpha beta) + loss - x)``, which
    assumes ``log_probs`` are ``log_softmax`` outputs; frames past a sample's input length get
    0.

    Same parameters, defaults, semantics and errors as ``torch.nn.functional.ctc_loss``.

    Args:
        log_probs: log-probabilities (T, N, C) (frames, samples, classes), or unbatched (T, C)
        targets: integer class indices, padded (N, S) or concatenated (sum(target_lengths),);
            unbatched: (S,) of length target_lengths, or (1, S)
        input_lengths: the frames of each sample, (N,) integers in [0, T] (a scalar when
            unbatched)
        target_lengths: the length of each sample's target, (N,) integers >= 0 (a scalar when
            unbatched)
        blank: the blank class, in [0, C). Default: ``0``.
        reduction: 'none', 'mean' or 'sum' (see Reduction). Default: ``'mean'``.
        zero_infinity: whether a sample with no alignment (inf) gives loss 0 and gradient 0.
            Default: ``False``.

    Reduction:
        'none': one loss per sample: (N,), or 0-d unbatched; 'mean': their sum divided by the
        batch size, after each sample's loss is divided by its target length (at least 1);
        'sum': their sum. Default: ``'mean'``.

    Returns:
        The loss: an array for reduction 'none', else a scalar, of the input's floating dtype,
        float16 and bfloat16 included, whose results are rounded once from float32.

    Gradients:
        With respect to log_probs (not targets, input_lengths, target_lengths): the gradient of
        ``sum(grad_output * loss)``, computed in the same pass as the loss by
        ``ctc_loss_and_grad``.

    Example:
        >>> import numpy as np
        >>> import losscore.functional as F
        >>> log_probs = np.log(np.full((3, 3), 1 / 3))
        >>> targets = np.array([1, 2])
        >>> input_lengths = 3
        >>> target_lengths = 2
        >>> print(np.round(F.ctc_loss(log_probs, targets, input_lengths, target_lengths), 4))
        0.8432
    """

def ctc_loss_and_grad(log_probs: ArrayLike, targets: ArrayLike, input_lengths: ArrayLike, target_lengths: ArrayLike, blank: int = 0, reduction: Reduction = 'mean', zero_infinity: bool = False, grad_output: Optional[ArrayLike] = None) -> Tuple[Loss, NDArray[np.floating[Any]]]:
    """``ctc_loss`` and its gradient d loss / d log_probs, in one fused pass.

    Connectionist temporal classification: ``-log(sum over the alignments a of the target of
    prod_t exp(log_probs[t, a_t]))`` per sample.

    ``log_probs`` is ``(T, N, C)`` (or ``(T, C)``); log-space forward-backward; 'mean' divides
    each sample's loss by its target length (at least 1) and averages over the batch. The
    gradient is torch's CTC backward, ``exp(x) - exp(log(sum alpha beta) + loss - x)``, which
    assumes ``log_probs`` are ``log_softmax`` outputs; frames past a sample's input length get
    0.

    Same parameters, defaults, semantics and errors as ``torch.nn.functional.ctc_loss``.

    Args:
        log_probs: log-probabilities (T, N, C) (frames, samples, classes), or unbatched (T, C)
        targets: integer class indices, padded (N, S) or concatenated (sum(target_lengths),);
            unbatched: (S,) of length target_lengths, or (1, S)
        input_lengths: the frames of each sample, (N,) integers in [0, T] (a scalar when
            unbatched)
        target_lengths: the length of each sample's target, (N,) integers >= 0 (a scalar when
            unbatched)
        blank: the blank class, in [0, C). Default: ``0``.
        reduction: 'none', 'mean' or 'sum' (see Reduction). Default: ``'mean'``.
        zero_infinity: whether a sample with no alignment (inf) gives loss 0 and gradient 0.
            Default: ``False``.
        grad_output: the gradient flowing into the loss: a number for 'mean' and 'sum', an array
            of the loss's shape for 'none'; None means ones. Default: ``None``.

    Reduction:
        'none': one loss per sample: (N,), or 0-d unbatched; 'mean': their sum divided by the
        batch size, after each sample's loss is divided by its target length (at least 1);
        'sum': their sum. Default: ``'mean'``.

    Returns:
        ``(loss, grad)``: the loss (an array for reduction 'none', else a scalar, of the input's
        floating dtype, float16 and bfloat16 included, whose results are rounded once from
        float32) and d loss / d log_probs, of log_probs's shape and floating dtype.

    Gradients:
        With respect to log_probs (not targets, input_lengths, target_lengths): the gradient of
        ``sum(grad_output * loss)``, computed in the same pass as the loss.

    Example:
        >>> import numpy as np
        >>> import losscore.functional as F
        >>> log_probs = np.log(np.full((3, 3), 1 / 3))
        >>> targets = np.array([1, 2])
        >>> input_lengths = 3
        >>> target_lengths = 2
        >>> loss, grad = F.ctc_loss_and_grad(log_probs, targets, input_lengths, target_lengths)
        >>> print(np.round(loss, 4))
        0.8432
        >>> print(np.round(grad, 4))
        [[ 0.0667 -0.2333  0.1667]
         [ 0.0667 -0.0333 -0.0333]
         [ 0.0667  0.1667 -0.2333]]
    """

def zero_one_loss(input: ArrayLike, target: ArrayLike, reduction: Reduction = 'mean') -> Loss:
    """0-1 loss: ``argmax(input) != target`` per row, 1.0 or 0.0; 'mean' is the error rate.

    ``input`` is float scores ``(N, C)`` (prediction: argmax over the last dim, first index on
    ties, NaN counts as the maximum) or integer labels ``(N,)``; ``target`` holds integer labels
    ``(N,)``. Scores give a result of their dtype, labels float64. Not differentiable.

    Args:
        input: float scores (N, C), or integer predicted labels (N,)
        target: integer labels (N,)
        reduction: 'none', 'mean' or 'sum' (see Reduction). Default: ``'mean'``.

    Reduction:
        'none': 1.0 or 0.0 per row: (N,); 'mean': their sum divided by the row count: the error
        rate; 'sum': their sum. Default: ``'mean'``.

    Returns:
        The loss: an array for reduction 'none', else a scalar, of the input's floating dtype,
        float16 and bfloat16 included, whose results are rounded once from float32.

    Gradients:
        None: this loss is not differentiable, so it has no ``_and_grad`` form.

    Example:
        >>> import numpy as np
        >>> import losscore.functional as F
        >>> input = np.array([[0.9, 0.1], [0.2, 0.8], [0.6, 0.4]])
        >>> target = np.array([0, 0, 0])
        >>> print(np.round(F.zero_one_loss(input, target), 4))
        0.3333
    """

def cosine_embedding_loss(input1: ArrayLike, input2: ArrayLike, target: ArrayLike, margin: float = 0, size_average: Optional[bool] = None, reduce: Optional[bool] = None, reduction: Reduction = 'mean') -> Loss:
    """Cosine embedding loss: ``1 - cos(x1, x2)`` where the target is 1, ``max(0, cos - margin)``
    where it is -1, 0 elsewhere.

    ``cos = x1.x2 / sqrt((|x1|^2 + 1e-12)(|x2|^2 + 1e-12))`` per row (the last dimension), as
    torch composes it; a 1-D target (N,) goes with (N, D) inputs, a 0-d one with (D,) inputs,
    and they broadcast together. The gradients (input1, input2) are torch's autograd.

    Same parameters, defaults, semantics and errors as
    ``torch.nn.functional.cosine_embedding_loss``.

    Args:
        input1: rows of the first embeddings (N, D), or one unbatched row (D,)
        input2: rows of the second embeddings, broadcast with input1
        target: 1 (similar) or -1 (dissimilar) per row: (N,) for (N, D) inputs, 0-d for (D,)
        margin: the cosine below which targets -1 are not penalized (any real but NaN; [-1, 1]
            is useful). Default: ``0``.
        size_average: deprecated, as in torch: when given, it and ``reduce`` decide the
            reduction. Default: ``None``.
        reduce: deprecated, as in torch: when given, it and ``size_average`` decide the
            reduction. Default: ``None``.
        reduction: 'none', 'mean' or 'sum' (see Reduction). Default: ``'mean'``.

    Reduction:
        'none': one loss per row: the broadcast shape without the last dimension; 'mean': their
        sum divided by the row count; 'sum': their sum. Default: ``'mean'``.

    Returns:
        The loss: an array for reduction 'none', else a scalar, of the input's floating dtype,
        float16 and bfloat16 included, whose results are rounded once from float32.

    Gradients:
        With respect to input1, input2 (not target): the gradient of ``sum(grad_output *
        loss)``, computed in the same pass as the loss by ``cosine_embedding_loss_and_grad``.

    Example:
        >>> import numpy as np
        >>> import losscore.functional as F
        >>> input1 = np.array([[0.6, 0.8], [0.8, 0.6]])
        >>> input2 = np.array([[0.8, 0.6], [0.6, 0.8]])
        >>> target = np.array([1.0, -1.0])
        >>> print(np.round(F.cosine_embedding_loss(input1, input2, target, margin=0.5), 4))
        0.25
    """

def cosine_embedding_loss_and_grad(input1: ArrayLike, input2: ArrayLike, target: ArrayLike, margin: float = 0, size_average: Optional[bool] = None, reduce: Optional[bool] = None, reduction: Reduction = 'mean', grad_output: Optional[ArrayLike] = None) -> Tuple[Loss, Tuple[NDArray[np.floating[Any]], NDArray[np.floating[Any]]]]:
    """``cosine_embedding_loss`` and its gradients (d loss / d input1, d loss / d input2), in one
    fused pass.

    Cosine embedding loss: ``1 - cos(x1, x2)`` where the target is 1, ``max(0, cos - margin)``
    where it is -1, 0 elsewhere.

    ``cos = x1.x2 / sqrt((|x1|^2 + 1e-12)(|x2|^2 + 1e-12))`` per row (the last dimension), as
    torch composes it; a 1-D target (N,) goes with (N, D) inputs, a 0-d one with (D,) inputs,
    and they broadcast together. The gradients (input1, input2) are torch's autograd.

    Same parameters, defaults, semantics and errors as
    ``torch.nn.functional.cosine_embedding_loss``.

    Args:
        input1: rows of the first embeddings (N, D), or one unbatched row (D,)
        input2: rows of the second embeddings, broadcast with input1
        target: 1 (similar) or -1 (dissimilar) per row: (N,) for (N, D) inputs, 0-d for (D,)
        margin: the cosine below which targets -1 are not penalized (any real but NaN; [-1, 1]
            is useful). Default: ``0``.
        size_average: deprecated, as in torch: when given, it and ``reduce`` decide the
            reduction. Default: ``None``.
        reduce: deprecated, as in torch: when given, it and ``size_average`` decide the
            reduction. Default: ``None``.
        reduction: 'none', 'mean' or 'sum' (see Reduction). Default: ``'mean'``.
        grad_output: the gradient flowing into the loss: a number for 'mean' and 'sum', an array
            of the loss's shape for 'none'; None means ones. Default: ``None``.

    Reduction:
        'none': one loss per row: the broadcast shape without the last dimension; 'mean': their
        sum divided by the row count; 'sum': their sum. Default: ``'mean'``.

    Returns:
        ``(loss, (grad_input1, grad_input2))``: the loss (an array for reduction 'none', else a
        scalar, of the input's floating dtype, float16 and bfloat16 included, whose results are
        rounded once from float32) and (d loss / d input1, d loss / d input2), each of its
        argument's shape and floating dtype.

    Gradients:
        With respect to input1, input2 (not target): the gradient of ``sum(grad_output *
        loss)``, computed in the same pass as the loss.

    Example:
        >>> import numpy as np
        >>> import losscore.functional as F
        >>> input1 = np.array([[0.6, 0.8], [0.8, 0.6]])
        >>> input2 = np.array([[0.8, 0.6], [0.6, 0.8]])
        >>> target = np.array([1.0, -1.0])
        >>> loss, (grad_input1, grad_input2) = F.cosine_embedding_loss_and_grad(input1, input2, target, margin=0.5)
        >>> print(np.round(loss, 4))
        0.25
        >>> print(np.round(grad_input1, 4))
        [[-0.112  0.084]
         [-0.084  0.112]]
        >>> print(np.round(grad_input2, 4))
        [[ 0.084 -0.112]
         [ 0.112 -0.084]]
    """

def triplet_margin_loss(anchor: ArrayLike, positive: ArrayLike, negative: ArrayLike, margin: float = 1.0, p: float = 2, eps: float = 1e-06, swap: bool = False, size_average: Optional[bool] = None, reduce: Optional[bool] = None, reduction: Reduction = 'mean') -> Loss:
    """Triplet margin loss: ``max(0, margin + d(a, p) - d(a, n))`` per row, ``d(x, y) = ||x - y +
    eps||_p``.

    Rows are the last dimension; anchor, positive and negative have the same number of
    dimensions and broadcast together. The gradients (anchor, positive, negative) are torch's
    autograd.

    Same parameters, defaults, semantics and errors as
    ``torch.nn.functional.triplet_margin_loss``.

    Args:
        anchor: rows of the anchor samples (..., D), or one unbatched row (D,)
        positive: rows of the samples like the anchor, broadcast with it
        negative: rows of the samples unlike the anchor, broadcast with it
        margin: the distance by which negatives should be farther than positives (> 0). Default:
            ``1.0``.
        p: the degree of the distance's norm: any real, 0 (non-zero count) and +-inf included.
            Default: ``2``.
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
        The loss: an array for reduction 'none', else a scalar, of the input's floating dtype,
        float16 and bfloat16 included, whose results are rounded once from float32.

    Gradients:
        With respect to anchor, positive, negative: the gradient of ``sum(grad_output * loss)``,
        computed in the same pass as the loss by ``triplet_margin_loss_and_grad``.

    Example:
        >>> import numpy as np
        >>> import losscore.functional as F
        >>> anchor = np.array([[0.0, 0.0], [1.0, 1.0]])
        >>> positive = np.array([[0.3, 0.4], [1.6, 1.8]])
        >>> negative = np.array([[0.8, -0.6], [0.6, 1.3]])
        >>> print(np.round(F.triplet_margin_loss(anchor, positive, negative), 4))
        1.0
    """

def triplet_margin_loss_and_grad(anchor: ArrayLike, positive: ArrayLike, negative: ArrayLike, margin: float = 1.0, p: float = 2, eps: float = 1e-06, swap: bool = False, size_average: Optional[bool] = None, reduce: Optional[bool] = None, reduction: Reduction = 'mean', grad_output: Optional[ArrayLike] = None) -> Tuple[Loss, Tuple[NDArray[np.floating[Any]], NDArray[np.floating[Any]], NDArray[np.floating[Any]]]]:
    """``triplet_margin_loss`` and its gradients (d loss / d anchor, d loss / d positive, d loss /
    d negative), in one fused pass.

    Triplet margin loss: ``max(0, margin + d(a, p) - d(a, n))`` per row, ``d(x, y) = ||x - y +
    eps||_p``.

    Rows are the last dimension; anchor, positive and negative have the same number of
    dimensions and broadcast together. The gradients (anchor, positive, negative) are torch's
    autograd.

    Same parameters, defaults, semantics and errors as
    ``torch.nn.functional.triplet_margin_loss``.

    Args:
        anchor: rows of the anchor samples (..., D), or one unbatched row (D,)
        positive: rows of the samples like the anchor, broadcast with it
        negative: rows of the samples unlike the anchor, broadcast with it
        margin: the distance by which negatives should be farther than positives (> 0). Default:
            ``1.0``.
        p: the degree of the distance's norm: any real, 0 (non-zero count) and +-inf included.
            Default: ``2``.
        eps: added to each difference before its norm is taken. Default: ``1e-06``.
        swap: use min(d(anchor, negative), d(positive, negative)) as the negative distance.
            Default: ``False``.
        size_average: deprecated, as in torch: when given, it and ``reduce`` decide the
            reduction. Default: ``None``.
        reduce: deprecated, as in torch: when given, it and ``size_average`` decide the
            reduction. Default: ``None``.
        reduction: 'none', 'mean' or 'sum' (see Reduction). Default: ``'mean'``.
        grad_output: the gradient flowing into the loss: a number for 'mean' and 'sum', an array
            of the loss's shape for 'none'; None means ones. Default: ``None``.

    Reduction:
        'none': one loss per row: the broadcast shape without the last dimension; 'mean': their
        sum divided by the row count; 'sum': their sum. Default: ``'mean'``.

    Returns:
        ``(loss, (grad_anchor, grad_positive, grad_negative))``: the loss (an array for
        reduction 'none', else a scalar, of the input's floating dtype, float16 and bfloat16
        included, whose results are rounded once from float32) and (d loss / d anchor, d loss /
        d positive, d loss / d negative), each of its argument's shape and floating dtype.

    Gradients:
        With respect to anchor, positive, negative: the gradient of ``sum(grad_output * loss)``,
        computed in the same pass as the loss.

    Example:
        >>> import numpy as np
        >>> import losscore.functional as F
        >>> anchor = np.array([[0.0, 0.0], [1.0, 1.0]])
        >>> positive = np.array([[0.3, 0.4], [1.6, 1.8]])
        >>> negative = np.array([[0.8, -0.6], [0.6, 1.3]])
        >>> loss, (grad_anchor, grad_positive, grad_negative) = F.triplet_margin_loss_and_grad(anchor, positive, negative)
        >>> print(np.round(loss, 4))
        1.0
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

def triplet_margin_with_distance_loss(anchor: ArrayLike, positive: ArrayLike, negative: ArrayLike, *, distance_function: Optional[Callable[..., Any]] = None, margin: float = 1.0, swap: bool = False, reduction: Reduction = 'mean') -> Loss:
    """Triplet margin loss with a distance function: ``max(0, margin + f(a, p) - f(a, n))`` per
    row.

    Without ``distance_function`` the library computes pairwise_distance (p=2, eps=1e-6), the
    triplet_margin_loss kernel, with its gradients. A callable is evaluated in Python on the
    arrays; the _and_grad form then calls ``distance_function.and_grad(x1, x2)``, which must
    return ``(distances, d/dx1, d/dx2)`` (each row's distance against that row), and raises
    TypeError for a callable without it.

    Same parameters, defaults, semantics and errors as
    ``torch.nn.functional.triplet_margin_with_distance_loss``.

    Args:
        anchor: rows of the anchor samples (..., D), or one unbatched row (D,)
        positive: rows of the samples like the anchor, broadcast with it
        negative: rows of the samples unlike the anchor, broadcast with it
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
        The loss: an array for reduction 'none', else a scalar, of the input's floating dtype,
        float16 and bfloat16 included, whose results are rounded once from float32.

    Gradients:
        With respect to anchor, positive, negative: the gradient of ``sum(grad_output * loss)``,
        computed in the same pass as the loss by ``triplet_margin_with_distance_loss_and_grad``.

    Example:
        >>> import numpy as np
        >>> import losscore.functional as F
        >>> anchor = np.array([[0.0, 0.0], [1.0, 1.0]])
        >>> positive = np.array([[0.3, 0.4], [1.6, 1.8]])
        >>> negative = np.array([[0.8, -0.6], [0.6, 1.3]])
        >>> print(np.round(F.triplet_margin_with_distance_loss(anchor, positive, negative, margin=2.0), 4))
        2.0
    """

def triplet_margin_with_distance_loss_and_grad(anchor: ArrayLike, positive: ArrayLike, negative: ArrayLike, *, distance_function: Optional[Callable[..., Any]] = None, margin: float = 1.0, swap: bool = False, reduction: Reduction = 'mean', grad_output: Optional[ArrayLike] = None) -> Tuple[Loss, Tuple[NDArray[np.floating[Any]], NDArray[np.floating[Any]], NDArray[np.floating[Any]]]]:
    """``triplet_margin_with_distance_loss`` and its gradients (d loss / d anchor, d loss / d
    positive, d loss / d negative), in one fused pass.

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
        anchor: rows of the anchor samples (..., D), or one unbatched row (D,)
        positive: rows of the samples like the anchor, broadcast with it
        negative: rows of the samples unlike the anchor, broadcast with it
        distance_function: None (pairwise_distance, p=2, eps=1e-6, computed by the library), or
            a callable f(x1, x2) of arrays returning one distance per row; for the _and_grad
            form it needs f.and_grad(x1, x2) returning (distances, d/dx1, d/dx2) (see
            losscore._distance). Default: ``None``.
        margin: the distance by which negatives should be farther than positives (> 0). Default:
            ``1.0``.
        swap: use min(d(anchor, negative), d(positive, negative)) as the negative distance.
            Default: ``False``.
        reduction: 'none', 'mean' or 'sum' (see Reduction). Default: ``'mean'``.
        grad_output: the gradient flowing into the loss: a number for 'mean' and 'sum', an array
            of the loss's shape for 'none'; None means ones. Default: ``None``.

    Reduction:
        'none': one loss per row: the broadcast shape without the last dimension; 'mean': their
        sum divided by the row count; 'sum': their sum. Default: ``'mean'``.

    Returns:
        ``(loss, (grad_anchor, grad_positive, grad_negative))``: the loss (an array for
        reduction 'none', else a scalar, of the input's floating dtype, float16 and bfloat16
        included, whose results are rounded once from float32) and (d loss / d anchor, d loss /
        d positive, d loss / d negative), each of its argument's shape and floating dtype.

    Gradients:
        With respect to anchor, positive, negative: the gradient of ``sum(grad_output * loss)``,
        computed in the same pass as the loss.

    Example:
        >>> import numpy as np
        >>> import losscore.functional as F
        >>> anchor = np.array([[0.0, 0.0], [1.0, 1.0]])
        >>> positive = np.array([[0.3, 0.4], [1.6, 1.8]])
        >>> negative = np.array([[0.8, -0.6], [0.6, 1.3]])
        >>> loss, (grad_anchor, grad_positive, grad_negative) = F.triplet_margin_with_distance_loss_and_grad(anchor, positive, negative, margin=2.0)
        >>> print(np.round(loss, 4))
        2.0
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

