#!/usr/bin/env bash
# Runs every test: the Swift tests of the core, the C ABI tests against the header and the
# shipped library, the installation with the examples of every runtime built against it (C,
# C++, Rust, Go, LuaJIT: those whose toolchain is present; the others are named as skipped),
# the Python wheel, the training example, the Python binding's pytest suite (with the
# figures' and the training's tests), the sanitizers (ASan, LSan, UBSan, TSan), a fuzzing
# smoke run over every export, and a soak run of the Python binding.
#   scripts/test.sh            everything (what CI runs)
#   scripts/test.sh --quick    the Swift, C, installation, wheel and Python tests only
set -euo pipefail
cd "$(dirname "$0")/.."
quick=0
[ "${1:-}" = "--quick" ] && quick=1
start=$SECONDS

scripts/setup.sh
scripts/build.sh

echo "== library checks: exported symbols and runtime dependencies"
scripts/check_library.sh .build/release/liblosscore.so

echo "== Swift tests"
# Suites of several files change the process-wide thread count: run them one at a time.
swift test --no-parallel

echo "== C ABI tests"
Tests/c/run.sh .build/release

echo "== Install into a temporary prefix; the C, C++, Rust, Go and LuaJIT examples built against it"
scripts/test_install.sh

echo "== The Python wheel: tags, files, metadata; installed, it computes"
scripts/test_wheel.sh

echo "== The README's quick starts (C, Python, Swift), run as written"
scripts/test_snippets.sh

echo "== The training example in C against a temporary install (and train.py)"
scripts/test_training.sh

echo "== Python tests (the binding, the figures, the training example)"
.venv/bin/python -m pytest bindings/python/tests examples -q

echo "== The API reference (Python, Swift, C): built and checked"
scripts/docs.sh --check

if [ "$quick" = 0 ]; then
    echo "== Soak: a minute of mixed calls from several threads (memory and threads stay flat)"
    .venv/bin/python scripts/soak.py 60
    echo "== Sanitizers"
    scripts/sanitize.sh
    echo "== Fuzzing smoke run: every export, a minute, contract checked on every call"
    scripts/fuzz.sh smoke
fi
echo "all tests passed in $((SECONDS - start)) s"
