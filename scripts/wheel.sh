#!/usr/bin/env bash
# Builds the Python wheel into dist/: `pip wheel ./bindings/python`, whose build step
# (bindings/python/setup.py) builds the library (every kernel set: any x86-64 CPU) and bundles
# it, stripped.
# PYTHON names the interpreter whose pip runs it (default python3; the wheel suits any CPython 3).
set -euo pipefail
cd "$(dirname "$0")/.."
"${PYTHON:-python3}" -m pip wheel --no-deps -w dist ./bindings/python
