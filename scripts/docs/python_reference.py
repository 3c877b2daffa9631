"""Writes the Python API reference (HTML, pdoc) of the losscore package into the folder given.

    python scripts/docs/python_reference.py OUT     (run by scripts/docs.sh; needs the built library)

The docstrings are Google style (Args:, Returns:, ...) with doctest examples. The package's type
aliases are shown by name: pdoc would otherwise print numpy's ArrayLike as its whole Union.
"""
from __future__ import annotations

import inspect
import sys
import typing
from pathlib import Path
from typing import Any, Optional, Union

import numpy as np
from numpy.typing import ArrayLike, DTypeLike, NDArray

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bindings" / "python"))

import pdoc  # noqa: E402
import pdoc.doc  # noqa: E402

GRAD = NDArray[np.floating[Any]]
NAMES = {ArrayLike: "ArrayLike", DTypeLike: "DTypeLike", GRAD: "NDArray[floating]",
         Union[NDArray[np.floating[Any]], np.floating[Any]]: "Loss"}
_format = inspect.formatannotation


def annotation(value, base_module=None) -> str:
    """An annotation as written in the stubs: the aliases by name, inside generics too."""
    try:
        if value in NAMES:
            return NAMES[value]
    except TypeError:  # an unhashable annotation
        return _format(value, base_module)
    origin, arguments = typing.get_origin(value), typing.get_args(value)
    if origin is Union and type(None) in arguments:  # Optional[X] flattens X's own Union into it
        rest = tuple(a for a in arguments if a is not type(None))
        return f"Optional[{annotation(Union[rest] if len(rest) > 1 else rest[0])}]"
    if origin in (Union, tuple, typing.Literal) and arguments:
        name = {Union: "Union", tuple: "Tuple", typing.Literal: "Literal"}[origin]
        inner = (repr(a) if origin is typing.Literal else annotation(a) for a in arguments)
        return f"{name}[{', '.join(inner)}]"
    return _format(value, base_module)


def main(out: str) -> int:
    inspect.formatannotation = annotation  # what inspect.Parameter's str() calls
    pdoc.doc.formatannotation = annotation
    pdoc.render.configure(docformat="google", show_source=False,
                          footer_text="LossCore: loss functions and their gradients")
    pdoc.pdoc("losscore", output_directory=Path(out))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
