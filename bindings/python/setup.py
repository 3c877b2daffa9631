"""The build step of the wheel (setuptools' PEP 517 backend runs it).

Building the package builds the library: scripts/build.sh of the repository this file
belongs to, its default build, into .build (the one the tests use): a wheel runs on other
machines than the one that built it, and that library runs on any x86-64 CPU, choosing at
run time the kernels compiled for the CPU it runs on. The library is stripped of debug info
and put into the package as losscore/_lib/liblosscore.so, where losscore/_ffi.py looks
first. Its build needs the Swift toolchain; $LOSSCORE_LIBRARY names an already built
library to bundle instead (e.g. when this directory is built away from the repository).

The wheel is tagged py3-none-<platform>: the package is pure Python over a C library
(ctypes), so any CPython 3 can load it. The platform is the oldest manylinux policy whose
limits the library's symbol versions and needed libraries meet (checked against
`auditwheel show`), else the plain platform tag.
"""
from __future__ import annotations

import ctypes
import os
import re
import shutil
import struct
import subprocess
import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.bdist_wheel import bdist_wheel
from setuptools.command.build_py import build_py
from setuptools.dist import Distribution

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
BUNDLED = Path("losscore") / "_lib" / "liblosscore.so"


def library_version() -> str:
    """The package's version is the library's: LOSSCORE_VERSION_STRING of include/losscore.h, or
    away from the repository, what the library named by $LOSSCORE_LIBRARY reports."""
    header = REPO / "include" / "losscore.h"
    if not header.is_file():
        given = os.environ.get("LOSSCORE_LIBRARY")
        if not given:
            raise SystemExit("losscore: include/losscore.h not found next to bindings/python; build from "
                             "the repository (pip install ./bindings/python) or set LOSSCORE_LIBRARY")
        function = ctypes.CDLL(given).losscore_version
        function.restype = ctypes.c_char_p
        return function().decode()
    match = re.search(r'#define LOSSCORE_VERSION_STRING "([^"]+)"', header.read_text())
    if not match:
        raise SystemExit(f"no LOSSCORE_VERSION_STRING in {header}")
    return match.group(1)


def tool(name: str) -> str:
    """`name` from the Swift toolchain beside swiftc, else from PATH."""
    swiftc = shutil.which("swiftc")
    if swiftc:
        candidate = Path(swiftc).resolve().parent / name
        if candidate.is_file():
            return str(candidate)
    return name


def build_library() -> Path:
    """The dispatching liblosscore.so: $LOSSCORE_LIBRARY, or built by the repository's script."""
    given = os.environ.get("LOSSCORE_LIBRARY")
    if given:
        return Path(given)
    script = REPO / "scripts" / "build.sh"
    if not script.is_file():
        raise SystemExit("losscore: scripts/build.sh not found next to bindings/python; build from the "
                         "repository (pip install ./bindings/python) or set LOSSCORE_LIBRARY")
    if not shutil.which("swift"):
        raise SystemExit("losscore: building liblosscore.so needs the Swift toolchain (swift on PATH)")
    print("losscore: building liblosscore.so (every kernel set; about four minutes)", file=sys.stderr, flush=True)
    # The options that keep fewer kernel sets would make a wheel for this machine only.
    env = {k: v for k, v in os.environ.items() if k not in ("LOSSCORE_NATIVE", "LOSSCORE_PORTABLE")}
    # Its progress goes to stderr, which pip shows with -v and otherwise counts on its spinner.
    subprocess.run([str(script)], cwd=REPO, env=env, stdout=sys.stderr, check=True)
    return REPO / ".build" / "release" / "liblosscore.so"


class BuildWithLibrary(build_py):
    """build_py, plus the stripped library inside the package."""

    built = None  # the bundled library, for the wheel's tag

    def run(self):
        super().run()
        library = build_library()
        target = Path(self.build_lib) / BUNDLED
        target.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run([tool("llvm-strip"), "--strip-unneeded", "-o", str(target), str(library)], check=True)
        BuildWithLibrary.built = target


# --- the platform tag ---------------------------------------------------------------------------

SHT_DYNAMIC, SHT_GNU_VERNEED, DT_NEEDED = 6, 0x6FFFFFFE, 1


def needs(path: Path) -> tuple[set, dict]:
    """The libraries a 64-bit little-endian ELF file needs (DT_NEEDED) and the symbol versions it
    needs from them, {'GLIBC': {(2, 34), ...}, 'GLIBCXX': ...}, read from its section headers."""
    data = path.read_bytes()
    if data[:6] != b"\x7fELF\x02\x01":
        raise ValueError(f"{path} is not a 64-bit little-endian ELF file")
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum = struct.unpack_from("<HH", data, 0x3A)
    sections = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize) for i in range(shnum)]

    def string(table: int, offset: int) -> str:
        start = sections[table][4] + offset
        return data[start:data.index(b"\0", start)].decode()

    libraries, versions = set(), {}
    for _, kind, _, _, offset, size, link, info, _, _ in sections:
        if kind == SHT_DYNAMIC:
            for at in range(offset, offset + size, 16):
                tag, value = struct.unpack_from("<qQ", data, at)
                if tag == DT_NEEDED:
                    libraries.add(string(link, value))
        elif kind == SHT_GNU_VERNEED:
            need = offset
            for _ in range(info):
                _, count, _, aux, following = struct.unpack_from("<HHIII", data, need)
                at = need + aux
                for _ in range(count):
                    _, _, _, name, next_aux = struct.unpack_from("<IHHII", data, at)
                    match = re.fullmatch(r"([A-Z]+)_([0-9.]+)", string(link, name))
                    if match:
                        versions.setdefault(match.group(1), set()).add(
                            tuple(int(p) for p in match.group(2).split(".")))
                    at += next_aux
                need += following
    return libraries, versions


# x86_64 manylinux policies (auditwheel's policy file): the newest symbol version each allows.
MANYLINUX_X86_64 = (
    ("manylinux_2_17", {"GLIBC": (2, 17), "GLIBCXX": (3, 4, 19), "CXXABI": (1, 3, 7), "GCC": (4, 8, 0)}),
    ("manylinux_2_28", {"GLIBC": (2, 28), "GLIBCXX": (3, 4, 24), "CXXABI": (1, 3, 11), "GCC": (7, 0, 0)}),
    ("manylinux_2_31", {"GLIBC": (2, 31), "GLIBCXX": (3, 4, 28), "CXXABI": (1, 3, 12), "GCC": (7, 0, 0)}),
    ("manylinux_2_34", {"GLIBC": (2, 34), "GLIBCXX": (3, 4, 29), "CXXABI": (1, 3, 13), "GCC": (7, 0, 0)}),
    ("manylinux_2_35", {"GLIBC": (2, 35), "GLIBCXX": (3, 4, 30), "CXXABI": (1, 3, 13), "GCC": (12, 0, 0)}),
    ("manylinux_2_39", {"GLIBC": (2, 39), "GLIBCXX": (3, 4, 33), "CXXABI": (1, 3, 15), "GCC": (14, 0, 0)}),
)
# The libraries every manylinux policy lets a wheel take from the system (those the library uses).
SYSTEM_LIBRARIES = {"libc.so.6", "libm.so.6", "libstdc++.so.6", "libgcc_s.so.1", "libdl.so.2",
                    "libpthread.so.0", "librt.so.1", "ld-linux-x86-64.so.2"}


def platform_tag(library: Path, plain: str) -> str:
    """The oldest manylinux tag the library qualifies for, else `plain` (e.g. linux_x86_64)."""
    if plain != "linux_x86_64":
        return plain
    libraries, versions = needs(library)
    if not libraries <= SYSTEM_LIBRARIES:
        return plain
    for policy, newest in MANYLINUX_X86_64:
        if all(max(versions.get(name, {()})) <= limit for name, limit in newest.items()):
            return f"{policy}_x86_64"
    return plain


class BinaryDistribution(Distribution):
    """A distribution with a platform library inside (so the wheel is not 'any')."""

    def has_ext_modules(self):
        return True


class Wheel(bdist_wheel):
    """bdist_wheel tagged py3-none-<platform>: ctypes code that any CPython 3 runs."""

    def get_tag(self):
        _, _, plain = super().get_tag()
        if self.plat_name_supplied or BuildWithLibrary.built is None:
            return "py3", "none", plain
        return "py3", "none", platform_tag(BuildWithLibrary.built, plain)


setup(version=library_version(), distclass=BinaryDistribution,
      cmdclass={"build_py": BuildWithLibrary, "bdist_wheel": Wheel})
