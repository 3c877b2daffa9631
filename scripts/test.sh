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
# Suites of several files change the process-wide thread count: run them one at a time.
swift test --no-parallel

echo "== C ABI tests"
Tests/c/run.sh .build/release

echo "== Python tests"
.venv/bin/python -m pytest bindings/python/tests -q
