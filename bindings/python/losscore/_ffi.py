"""Loading liblosscore.so, its one table of ctypes prototypes, and status -> exception.

Every C function the package calls is declared here, once, by `declare`: the library's own
functions from the list below, and each loss's entry points from its description in
_losses.py (through `Entry`). A prototype set once makes each call a single ctypes dispatch.
"""
from __future__ import annotations

import ctypes
import os
import re
from pathlib import Path


_HERE = Path(__file__).resolve().parent
# The entry points of a loss, by the dtype character of the buffers they take: float32,
# float64, and the 16-bit storage types (float16, bfloat16: uint16_t bit patterns in C).
SUFFIXES = {"f": "f32", "d": "f64", "e": "f16", "E": "bf16"}
HALF = "eE"


def _candidates():
    env = os.environ.get("LOSSCORE_LIBRARY")
    if env:
        yield Path(env)
        return
    yield _HERE / "_lib" / "liblosscore.so"  # bundled into an installed wheel
    repo = _HERE.parents[2]  # bindings/python/losscore -> repository root
    yield repo / ".build" / "release" / "liblosscore.so"


def _load() -> ctypes.CDLL:
    tried = []
    for path in _candidates():
        tried.append(str(path))
        if path.is_file():
            return ctypes.CDLL(str(path))
    raise ImportError(
        "liblosscore.so not found (looked in: " + ", ".join(tried) + "). "
        "Build it with scripts/build.sh (or `swift build -c release`), "
        "or point LOSSCORE_LIBRARY at it."
    )


lib = _load()

# status codes (the losscore_status constants)
OK = 0
ERROR_NULL_POINTER = 1
ERROR_INVALID_ARGUMENT = 2
ERROR_SHAPE = 3
ERROR_INDEX = 4
ERROR_OUT_OF_MEMORY = 5

# The prototype table: C symbol -> ctypes function with its restype and argtypes set.
PROTOTYPES: dict = {}


def declare(symbol: str, restype, *argtypes):
    """The C function `symbol` with its prototype, entered in PROTOTYPES (once per symbol)."""
    function = PROTOTYPES.get(symbol)
    if function is None:
        function = getattr(lib, symbol)
        function.restype = restype
        function.argtypes = argtypes
        PROTOTYPES[symbol] = function
    return function


_int = ctypes.c_int32  # losscore_status, losscore_reduction and the int32_t options
losscore_last_error = declare("losscore_last_error", ctypes.c_char_p)
losscore_version = declare("losscore_version", ctypes.c_char_p)
losscore_version_number = declare("losscore_version_number", _int)
# Every function that returns a status ends with `losscore_error *error`: the binding passes
# NULL and reads losscore_last_error(), which a Python thread (an OS thread) can rely on.
losscore_set_num_threads = declare("losscore_set_num_threads", _int, _int, ctypes.c_void_p)
losscore_get_num_threads = declare("losscore_get_num_threads", _int)


def check(status: int) -> None:
    """Raises the Python exception matching a non-zero status, with the library's message."""
    if status == OK:
        return
    message = (losscore_last_error() or b"").decode("utf-8", "replace")
    # The C message starts with its function's name (losscore_cross_entropy_f64: ...); the
    # Python caller called cross_entropy, so the message starts at what went wrong.
    message = re.sub(r"^losscore_\w+: ", "", message)
    if status == ERROR_INDEX:
        raise IndexError(message)
    if status == ERROR_OUT_OF_MEMORY:
        raise MemoryError(message)
    raise ValueError(message)


# --- loss entry points ------------------------------------------------------------------------

# What the conversion layer passes every loss's Entry.call, in this order, after the dtype and
# before the tuple of the loss's options; the call passes on the ones its C function takes.
ARGUMENTS = ("input", "target", "weight", "pos_weight", "pos_weight_count", "n", "c", "inner",
             "reduction", "out", "grad_output", "grad_input")
# What only some families pass, after the options, by keyword: the sequences' lengths, frames
# (t) and padded target length (s).
EXTRA_ARGUMENTS = ("input_lengths", "target_lengths", "t", "s")
# Header names that take another argument's place: the label rows of the multi-label margin
# loss are its target, and a weight's count goes where pos_weight's does (no loss has both);
# torch's names of a sequence loss's input, target and gradient.
ALIASES = {"labels": "target", "weight_count": "pos_weight_count",
           "log_probs": "input", "targets": "target", "grad_log_probs": "grad_input"}
# What it passes the losses of three operands (the header names each loss's own: input1, input2,
# target; input, target, var), passed in slots: the data in the header's order, the gradients
# of the loss's two differentiable operands, and the third operand's sharing (var_repeat, var_inner).
OPERAND_ARGUMENTS = ("first", "second", "third", "n", "var_repeat", "var_inner", "reduction", "out",
                     "grad_output", "grad_first", "grad_second")
# C types of the header's parameter names (and of the slots); an option's type is its validator's `ctype`.
_C_TYPES = {
    "var_repeat": ctypes.c_size_t, "var_inner": ctypes.c_size_t,
    "input": ctypes.c_void_p, "target": ctypes.c_void_p, "weight": ctypes.c_void_p,
    "pos_weight": ctypes.c_void_p, "out": ctypes.c_void_p, "grad_output": ctypes.c_void_p,
    "grad_input": ctypes.c_void_p, "pos_weight_count": ctypes.c_size_t, "n": ctypes.c_size_t,
    "c": ctypes.c_size_t, "inner": ctypes.c_size_t, "reduction": _int,
    "input_lengths": ctypes.c_void_p, "target_lengths": ctypes.c_void_p, "t": ctypes.c_size_t, "s": ctypes.c_size_t,
}
# The row-tuple family's call (two or three operands of n x d values, a gradient each),
# with the header's names of the operands mapped to their places.
ROW_ARGUMENTS = ("first", "second", "third", "target", "n", "d", "reduction", "out", "grad_output",
                 "grad_first", "grad_second", "grad_third")
ROW_PLACES = {"anchor": "first", "input1": "first", "positive": "second", "input2": "second",
              "negative": "third", "grad_anchor": "grad_first", "grad_input1": "grad_first",
              "grad_positive": "grad_second", "grad_input2": "grad_second", "grad_negative": "grad_third"}
_C_TYPES.update({place: ctypes.c_void_p for place in ROW_ARGUMENTS}, d=ctypes.c_size_t, n=ctypes.c_size_t,
                reduction=_int)


def _optional(symbol: str, restype, *argtypes):
    """declare(symbol, ...), or None when the library lacks the symbol (an older library)."""
    try:
        return declare(symbol, restype, *argtypes)
    except AttributeError:
        return None


class Entry:
    """One loss function of the header: losscore_<stem>_f32 / _f64, and _f16 / _bf16 where the
    library has them (or losscore_<stem> alone when `typed` is false), declared with `params`,
    the header's parameter names in order but the last, `error`, which every loss has and the
    call passes as NULL; a name that is not in ARGUMENTS (or ALIASES) is one of `options`
    ({name: ctypes type}, in the order the loss's call passes them). With `slots` ({header
    name: slot}), the parameters take the slots of OPERAND_ARGUMENTS instead.

    `functions` maps a dtype character (SUFFIXES) to its function; a 16-bit one is absent
    where the library lacks it, and the conversion layer then computes in float32 and rounds,
    which gives the same bits (the header's contract of the 16-bit entry points).

    `call(dtype, *ARGUMENTS, options, **EXTRA_ARGUMENTS)` calls the function of `dtype` and
    returns its status (a sequence loss's header names input, target and grad_input by torch's
    names, ALIASES); `call(dtype, *ROW_ARGUMENTS, options)` for a row-tuple loss, whose header
    names its operands anchor / positive / negative or input1 / input2; `call(dtype,
    *OPERAND_ARGUMENTS, options)` with `slots`, for an elementwise loss of three operands. It
    is compiled from `params` so that the arguments go straight to ctypes in the header's order.
    """

    def __init__(self, stem: str, params: str, options=None, typed: bool = True, slots=None):
        self.stem, self.params = stem, tuple(params.split())
        options = dict(options or {})
        rows = not slots and any(p in ROW_PLACES for p in self.params)
        arguments = OPERAND_ARGUMENTS if slots else ROW_ARGUMENTS if rows else ARGUMENTS
        extra = () if slots or rows else EXTRA_ARGUMENTS
        places = [slots.get(p, p) if slots else ROW_PLACES.get(p, p) if rows else ALIASES.get(p, p)
                  for p in self.params]
        known = arguments + extra
        unknown = [p for p, place in zip(self.params, places) if place not in known and p not in options]
        if unknown:
            raise ValueError(f"losscore_{stem}: parameters {unknown} are neither arguments nor options")
        argtypes = [_C_TYPES[place] if place in known else options[p] for p, place in zip(self.params, places)]
        argtypes.append(ctypes.c_void_p)  # losscore_error *error, last in every loss: NULL
        options = tuple(options)
        if typed:
            self.functions = {char: (_optional if char in HALF else declare)(f"losscore_{stem}_{suffix}", _int,
                                                                              *argtypes)
                              for char, suffix in SUFFIXES.items()}
            self.functions = {char: function for char, function in self.functions.items() if function is not None}
        else:  # one function for every dtype
            function = declare(f"losscore_{stem}", _int, *argtypes)
            self.functions = {"f": function, "d": function}
        passed = ", ".join([place if place in known else f"options[{options.index(p)}]"
                            for p, place in zip(self.params, places)] + ["None"])
        keywords = "".join(f", {p}=None" for p in extra)
        source = (f"def call(dtype, {', '.join(arguments)}, options{keywords}):\n"
                  f"    return functions[dtype.char]({passed})\n")
        namespace = {"functions": self.functions}
        exec(compile(source, f"<losscore_{stem}>", "exec"), namespace)
        self.call = namespace["call"]
