#!/usr/bin/env bash
# The benchmark: LossCore vs numpy (always) and torch CPU (if installed), same process, same
# arrays. It uses .venv-torch when present (create it with `scripts/bench.sh --install-torch`,
# a few minutes and several GB), else the test environment .venv (numpy only).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = "--install-torch" ]; then
    shift
    [ -x .venv-torch/bin/python ] || python3 -m venv .venv-torch
    # A CPU-only wheel is preferred when one is available locally (PIP_FIND_LINKS).
    .venv-torch/bin/python -m pip install -q numpy ml_dtypes "torch==2.13.0+cpu" 2>/dev/null \
        || .venv-torch/bin/python -m pip install -q numpy ml_dtypes torch
fi
scripts/setup.sh >&2
scripts/build.sh >&2
python=.venv/bin/python
[ -x .venv-torch/bin/python ] && python=.venv-torch/bin/python
exec "$python" benchmarks/bench.py "$@"
