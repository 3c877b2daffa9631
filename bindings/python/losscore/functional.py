"""Loss functions with the names, arguments and semantics of ``torch.nn.functional``.

Inputs are anything ``numpy.asarray`` accepts; results are numpy arrays (``'none'``)
or numpy scalars (``'mean'``/``'sum'``) of the input's floating dtype. Every
differentiable loss ``f`` has ``f_and_grad(*same args, grad_output=None)`` returning
``(loss, grad)`` computed in one fused pass by the library.

The functions are generated from the loss descriptions in _losses.py.
"""
from __future__ import annotations

from ._generate import functions
from ._losses import LOSSES

__all__ = []
for _loss in LOSSES:
    for _function in functions(_loss, __name__):
        globals()[_function.__name__] = _function
        __all__.append(_function.__name__)
del _loss, _function
