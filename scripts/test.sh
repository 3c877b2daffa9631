#!/usr/bin/env bash
# Runs every test: the Swift tests of the core, the C program against the header and
# the shipped library, and the Python binding's pytest suite.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
scripts/build.sh

echo "== library checks: exported symbols and runtime dependencies"
scripts/check_library.sh .build/release/liblosscore.so

echo "== Swift tests"
swift test

echo "== C ABI tests"
Tests/c/run.sh .build/release

echo "== Python tests"
.venv/bin/python -m pytest bindings/python/tests -q
