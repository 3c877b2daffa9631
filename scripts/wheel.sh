#!/usr/bin/env bash
# Builds a Python wheel of the binding with the library bundled (dist/losscore-*.whl).
# The bundled library is the portable build (any x86-64 CPU, no Swift runtime needed), since
# a wheel runs on other machines than the one that built it.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh >&2
LOSSCORE_PORTABLE=1 scripts/build.sh --scratch-path .build/portable >&2
lib_dir=bindings/python/losscore/_lib
mkdir -p "$lib_dir"
cp .build/portable/release/liblosscore.so "$lib_dir/"
trap 'rm -rf "$lib_dir" bindings/python/build bindings/python/*.egg-info' EXIT
.venv/bin/python -m pip wheel --no-deps --no-build-isolation -q -w dist bindings/python 2>/dev/null \
    || .venv/bin/python -m pip wheel --no-deps -q -w dist bindings/python
ls dist/losscore-*.whl
