#!/usr/bin/env python3
"""Writes include/losscore.cdef: the declarations of include/losscore.h with no preprocessor.

    scripts/gen_declarations.py            (re)write include/losscore.cdef
    scripts/gen_declarations.py --check    exit 1 if it differs from what the header gives

Foreign-function interfaces parse C declarations but not the preprocessor: cffi's
`ffi.cdef`, LuaJIT's `ffi.cdef` and pycparser take this file as it is (pycparser, like any C
parser, with the <stdint.h>/<stddef.h> typedefs in front). What changes from the header:
comments go (pycparser refuses them; losscore.h is the manual), and so do include guards,
`#include`s, the `extern "C"` guard and LOSSCORE_API (it only marks the exports); every
integer `#define` becomes an enum constant of the same name and value (a string macro is
left out: losscore_version() gives it); each declaration is on one line. The tests compare
the file with the header, so it cannot fall behind.
"""
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
HEADER = REPO / "include" / "losscore.h"
OUT = REPO / "include" / "losscore.cdef"


def fail(message):
    sys.stderr.write(f"gen_declarations.py: {message}\n")
    sys.exit(1)


def integer_macros(text):
    """NAME -> value of each object-like #define whose body is an integer expression of
    integers and earlier such macros (evaluated here, so the file has plain numbers)."""
    values = {}
    for name, body in re.findall(r"^#\s*define\s+(LOSSCORE_\w+)[ \t]+((?:.*\\\n)*.*)$", text, flags=re.M):
        body = " ".join(body.replace("\\\n", " ").split())
        expression = re.sub(r"\b[A-Z_][A-Z0-9_]*\b", lambda m: str(values.get(m.group(0), m.group(0))), body)
        if re.fullmatch(r"[0-9+\-*() ]+", expression):
            values[name] = eval(expression)  # digits, + - * and parentheses only
    return values


def declarations(text):
    macros = integer_macros(text)
    body = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    body = re.sub(r"^[ \t]*#(?:[^\n]*\\\n)*[^\n]*$", " ", body, flags=re.M)  # preprocessor lines
    body = body.replace('extern "C" {', " ")
    body = re.sub(r"\bLOSSCORE_API\b", " ", body)
    lines = []
    # Top-level declarations end at a ';' outside braces.
    depth, start = 0, 0
    for i, ch in enumerate(body):
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        elif ch == ";" and depth == 0:
            declaration = " ".join(body[start:i + 1].split())
            start = i + 1
            if declaration.startswith("}"):  # the extern "C" guard's closing brace
                declaration = declaration[1:].strip()
            if declaration:
                lines.append(declaration)
    rest = " ".join(body[start:].split())
    if rest not in ("", "}"):
        fail(f"unparsed text at the end of the header: {rest[:80]!r}")
    for line in lines:
        if "#" in line or "__" in line:
            fail(f"a declaration kept preprocessor text: {line[:80]!r}")
    constants = "enum { " + ", ".join(f"{name} = {value}" for name, value in macros.items()) + " };"
    return constants + "\n" + "\n".join(lines) + "\n"


def main(argv):
    text = declarations(HEADER.read_text())
    if argv[1:] == ["--check"]:
        if not OUT.exists() or OUT.read_text() != text:
            fail(f"{OUT.relative_to(REPO)} is stale: run scripts/gen_declarations.py")
        return
    if argv[1:]:
        fail("usage: gen_declarations.py [--check]")
    OUT.write_text(text)


if __name__ == "__main__":
    main(sys.argv)
