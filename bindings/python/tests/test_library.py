"""The library itself: its version (as the header states it) and the thread settings
(the API, the environment variable)."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import losscore

REPO = Path(__file__).resolve().parents[3]


def test_version():
    v = losscore.version()
    assert re.fullmatch(r"\d+\.\d+\.\d+", v)
    assert v == losscore.__version__
    header = (REPO / "include" / "losscore.h").read_text()
    m = re.search(r'#define LOSSCORE_VERSION_STRING "([^"]+)"', header)
    assert m and m.group(1) == v


def test_set_and_get_num_threads(restore_threads):
    default = losscore.get_num_threads()
    assert isinstance(default, int) and default >= 1
    for n in (1, 2, 3, 7, 1024):
        assert losscore.set_num_threads(n) is None
        assert losscore.get_num_threads() == n
    losscore.set_num_threads(0)
    assert losscore.get_num_threads() == default


def test_num_threads_environment_variable():
    env = dict(os.environ, LOSSCORE_NUM_THREADS="3", PYTHONPATH=str(REPO / "bindings" / "python"))
    code = "import losscore; print(losscore.get_num_threads())"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "3"


def test_every_prototype_the_binding_declares_is_the_headers():
    """ctypes trusts the binding's argument lists: each must be the header's, parameter for
    parameter (pointers as void *), or a call would pass too few arguments (garbage in the
    error record's place) or the wrong widths."""
    from losscore import _ffi
    from support import c_prototype

    declared = {symbol: function for symbol, function in _ffi.PROTOTYPES.items() if function.argtypes}
    assert len(declared) >= 45
    for symbol, function in declared.items():
        assert tuple(function.argtypes) == c_prototype(symbol), symbol
