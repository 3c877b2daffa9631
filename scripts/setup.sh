#!/usr/bin/env bash
# One-time set-up on a fresh Debian machine with the Swift toolchain and Python 3:
# Debian packages the Python side and the installation's examples need, and qemu-user, with which
# scripts/test_cpus.sh runs the tests as on older CPUs (if missing), and a local virtual environment
# (.venv) with the test dependencies. Safe to run again; it only does what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

# Beside the Python side's: pkg-config and cmake (the C and C++ examples), luajit (the Lua one),
# qemu-user (scripts/test_cpus.sh runs the tests on emulated older CPUs),
# and Debian's Go and Rust for the Go and Rust ones unless a go or a cargo (rustup's, say) is
# already on PATH.
wanted=(python3-dev libffi-dev pkg-config cmake luajit qemu-user)
command -v go >/dev/null || wanted+=(golang-go)
command -v cargo >/dev/null || wanted+=(rustc cargo)
missing=()
for pkg in "${wanted[@]}"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ]; then
        echo "setup: installing ${missing[*]}"
        apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null
    else
        echo "setup: please install ${missing[*]} (needs root)" >&2
    fi
fi

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
    echo "setup: creating .venv"
    "$PYTHON" -m venv .venv
fi
# setuptools 77 or later builds the wheel (scripts/test_wheel.sh builds it without network);
# pdoc builds the Python API reference (scripts/docs.sh); matplotlib and scikit-learn draw the
# pictures and make the training example's data; ml_dtypes gives numpy its bfloat16 dtype.
if ! .venv/bin/python -c "import numpy, pytest, hypothesis, setuptools, cffi, pycparser, pdoc, matplotlib, sklearn, ml_dtypes, sys
sys.exit(int(setuptools.__version__.split('.')[0]) < 77)" 2>/dev/null; then
    echo "setup: installing Python test dependencies into .venv"
    .venv/bin/python -m pip install -q --disable-pip-version-check -r bindings/python/requirements-dev.txt
fi
