#!/usr/bin/env bash
# Builds the Python wheel into dist/: `pip wheel ./bindings/python`, whose build step
# (bindings/python/setup.py) builds the portable library and bundles it, stripped.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh >&2
.venv/bin/python -m pip wheel --no-deps -w dist ./bindings/python
ls dist/losscore-*.whl
