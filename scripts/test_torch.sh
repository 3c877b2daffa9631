#!/usr/bin/env bash
# The optional tests of the torch bridge (losscore.torch, bindings/python/tests_torch): never
# part of scripts/test.sh, since they need torch.
#
#   scripts/test_torch.sh [pytest options, e.g. -x -k training]
#
# Uses .venv-torch at the repository's root, creating it or adding what it lacks: torch for the
# CPU, numpy, pytest and scikit-learn (the training test's digits). Builds the library if it
# is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=.venv-torch
python=$venv/bin/python
[ -x "$python" ] || "${PYTHON:-python3}" -m venv "$venv"
if ! "$python" -c "import torch" 2>/dev/null; then
    echo "test_torch: installing torch (CPU) into $venv" >&2
    # A CPU wheel in a local wheel folder (its dependencies from the default index), else the
    # CPU wheel index, which serves torch's dependencies too.
    wheel=$(ls "${PIP_FIND_LINKS:-/nonexistent}"/torch-*+cpu-*.whl 2>/dev/null | sort -V | tail -n 1 || true)
    if [ -n "$wheel" ]; then
        "$python" -m pip install -q "$wheel"
    else
        "$python" -m pip install -q --index-url https://download.pytorch.org/whl/cpu torch
    fi
fi
if ! "$python" -c "import numpy, pytest, sklearn" 2>/dev/null; then
    echo "test_torch: installing numpy, pytest and scikit-learn into $venv" >&2
    "$python" -m pip install -q numpy pytest scikit-learn
fi
[ -n "${LOSSCORE_LIBRARY:-}" ] || [ -e .build/release/liblosscore.so ] || scripts/build.sh >&2
PYTHONPATH=bindings/python${PYTHONPATH:+:$PYTHONPATH} exec "$python" -m pytest bindings/python/tests_torch -q "$@"
