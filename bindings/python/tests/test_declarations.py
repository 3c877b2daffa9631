"""include/losscore.cdef, the header's declarations without the preprocessor: current (as
scripts/gen_declarations.py writes it from the header), taken as it is by cffi, pycparser and
LuaJIT's FFI, and enough to call the library through each: every function of the header, the
constants, the error record."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from losscore import _ffi

REPO = Path(__file__).resolve().parents[3]
DECLS = REPO / "include" / "losscore.cdef"
HEADER = REPO / "include" / "losscore.h"
# What any C parser needs in front of a file that names these types (their headers'
# typedefs; pycparser has no preprocessor to include them).
STDINT = "typedef unsigned short uint16_t; typedef int int32_t; typedef long int64_t; typedef unsigned long size_t;\n"


def header_functions() -> set:
    text = re.sub(r"/\*.*?\*/", " ", HEADER.read_text(), flags=re.S)
    return set(re.findall(r"\b(losscore_\w+)\s*\(", text))


def test_the_file_is_what_the_header_gives():
    result = subprocess.run([sys.executable, str(REPO / "scripts" / "gen_declarations.py"), "--check"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_no_preprocessor_no_comments():
    text = DECLS.read_text()
    assert "#" not in text and "/*" not in text and "//" not in text and "LOSSCORE_API" not in text
    assert "extern" not in text and "__attribute__" not in text


def test_pycparser_parses_every_function_and_constant():
    pycparser = pytest.importorskip("pycparser")
    ast = pycparser.CParser().parse(STDINT + DECLS.read_text())
    functions, constants = set(), {}
    for node in ast.ext:
        if isinstance(node, pycparser.c_ast.Decl) and isinstance(node.type, pycparser.c_ast.FuncDecl):
            functions.add(node.name)
        if isinstance(node, pycparser.c_ast.Decl) and isinstance(node.type, pycparser.c_ast.Enum):
            constants.update({e.name: int(e.value.value) for e in node.type.values.enumerators})
    assert functions == header_functions()
    assert constants["LOSSCORE_ERROR_INDEX"] == _ffi.ERROR_INDEX and constants["LOSSCORE_REDUCTION_SUM"] == 2
    assert constants["LOSSCORE_ERROR_MESSAGE_SIZE"] == int(
        re.search(r"#define LOSSCORE_ERROR_MESSAGE_SIZE (\d+)", HEADER.read_text()).group(1))


def test_cffi_calls_the_library_through_it():
    cffi = pytest.importorskip("cffi")
    ffi = cffi.FFI()
    ffi.cdef(DECLS.read_text())
    lib = ffi.dlopen(_ffi.lib._name)
    for name in header_functions():
        assert callable(getattr(lib, name)), name
    y_pred, y_true = ffi.new("double[]", [0.0, 0.1, 0.2]), ffi.new("double[]", [0.0, 0.2, 0.25])
    out, grad, error = ffi.new("double *"), ffi.new("double[3]"), ffi.new("losscore_error *")
    status = lib.losscore_l1_loss_f64(y_pred, y_true, ffi.NULL, 3, lib.LOSSCORE_REDUCTION_MEAN, out, ffi.NULL,
                                      grad, error)
    assert (status, out[0], list(grad), error.status, ffi.string(error.message)) == (
        lib.LOSSCORE_OK, 0.049999999999999996, [0.0, -1 / 3, -1 / 3], 0, b"")
    status = lib.losscore_l1_loss_f64(y_pred, y_true, ffi.NULL, 3, 7, out, ffi.NULL, ffi.NULL, error)
    assert status == error.status == lib.LOSSCORE_ERROR_INVALID_ARGUMENT
    assert ffi.string(error.message) == b"losscore_l1_loss_f64: reduction must be 0 (none), 1 (mean) or 2 (sum) (got 7)"
    assert ffi.sizeof("losscore_error") == 4 + lib.LOSSCORE_ERROR_MESSAGE_SIZE


LUA = r"""
local ffi = require("ffi")
ffi.cdef(io.open(arg[1]):read("*a"))
local lc = ffi.load(arg[2])
local x = ffi.new("double[3]", {0, 0.1, 0.2})
local y = ffi.new("double[3]", {0, 0.2, 0.25})
local out, err = ffi.new("double[1]"), ffi.new("losscore_error")
local s = lc.losscore_l1_loss_f64(x, y, nil, 3, lc.LOSSCORE_REDUCTION_MEAN, out, nil, nil, err)
print(s, string.format("%.17g", out[0]), err.status)
s = lc.losscore_l1_loss_f64(x, y, nil, 3, 7, out, nil, nil, err)
print(s, err.status, ffi.string(err.message))
"""


@pytest.mark.skipif(shutil.which("luajit") is None, reason="luajit is not installed (scripts/setup.sh installs it)")
def test_luajit_calls_the_library_through_it(tmp_path):
    script = tmp_path / "decls.lua"
    script.write_text(LUA)
    result = subprocess.run(["luajit", str(script), str(DECLS), _ffi.lib._name], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "0\t0.049999999999999996\t0",
        "2\t2\tlosscore_l1_loss_f64: reduction must be 0 (none), 1 (mean) or 2 (sum) (got 7)"]
