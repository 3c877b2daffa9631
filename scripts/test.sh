#!/usr/bin/env bash
# Runs every test: the Swift tests of the core, the C ABI tests against the header and the
# shipped library, the installation with the examples of every runtime built against it (C,
# C++, Rust, Go, LuaJIT: those whose toolchain is present; the others are named as skipped),
# the Python wheel, the training example, the Python binding's pytest suite (with the
# figures' and the training's tests), the API reference, every kernel set (forced, and under
# qemu as older CPUs), the sanitizers (ASan, LSan, UBSan, TSan), a fuzzing smoke run over
# every export, and a soak run of the Python binding.
#   scripts/test.sh            everything (what CI runs)
#   scripts/test.sh --quick    without the soak, the kernel sets, the sanitizers and the fuzzing
set -euo pipefail
cd "$(dirname "$0")/.."
quick=0
[ "${1:-}" = "--quick" ] && quick=1
start=$SECONDS
# Each stage says how far into the run it starts, so a slow stage shows in the log.
stage() { echo "== [$((SECONDS - start)) s] $*"; }

scripts/setup.sh
scripts/build.sh

stage "library checks: exported symbols and runtime dependencies"
scripts/check_library.sh .build/release/liblosscore.so

stage "Swift tests"
# Suites of several files change the process-wide thread count: run them one at a time.
swift test --no-parallel

stage "C ABI tests"
Tests/c/run.sh .build/release

stage "Install into a temporary prefix; the C, C++, Rust, Go and LuaJIT examples built against it"
scripts/test_install.sh

stage "The Python wheel: tags, files, metadata; installed, it computes"
scripts/test_wheel.sh

stage "The README's quick starts (C, Python, Swift), run as written"
scripts/test_snippets.sh

stage "The training example in C against a temporary install (and train.py)"
scripts/test_training.sh

stage "Python tests (the binding, the figures, the training example)"
.venv/bin/python -m pytest bindings/python/tests examples -q

stage "The API reference (Python, Swift, C): built and checked"
scripts/docs.sh --check

if [ "$quick" = 0 ]; then
    stage "Soak: half a minute of mixed calls from several threads (memory and threads stay flat)"
    .venv/bin/python scripts/soak.py 30
    # The kernel-set tests (most of their time a value run under qemu's emulation, on one core)
    # run beside the sanitizers and the fuzzer; their log is printed when they end.
    stage "Every kernel set: forced natively, and under qemu as CPUs without AVX-512 or AVX (in the background)"
    cpus_log=$(mktemp)
    scripts/test_cpus.sh --skip-default >"$cpus_log" 2>&1 &
    cpus_pid=$!
    trap 'kill "$cpus_pid" 2>/dev/null || true; rm -f "$cpus_log"' EXIT
    stage "Sanitizers"
    scripts/sanitize.sh c-and-thread
    stage "Fuzzing smoke run: every export, half a minute, contract checked on every call"
    scripts/fuzz.sh smoke
    stage "Every kernel set: the results"
    cpus_rc=0
    wait "$cpus_pid" || cpus_rc=$?
    cat "$cpus_log"
    [ "$cpus_rc" = 0 ] || { echo "FAIL: scripts/test_cpus.sh (its log above)" >&2; exit 1; }
fi
echo "all tests passed in $((SECONDS - start)) s"
