#!/usr/bin/env bash
# The sanitizers, from one command (the test command runs it):
#   1. AddressSanitizer + LeakSanitizer: the library built with ASan (the fuzzer's build,
#      scripts/fuzz.sh: one build serves both); the C ABI tests (Tests/c, compiled with ASan
#      and UndefinedBehaviorSanitizer, linked with lld) against it; the Swift tests
#      (swift-testing) built and run with ASan. A leak fails the run.
#   2. ThreadSanitizer: the Swift concurrency tests (Tests/LossCoreTests/Runtime) on a
#      build against the toolchain's dynamic Swift runtime and Dispatch, where TSan sees
#      every synchronization. (A build with -static-stdlib is not checked with TSan: the
#      statically linked runtime's once-initialization and Dispatch's root queues are not
#      instrumented, which TSan reports as races that are not there.)
# Builds go to .build/fuzz, .build/asan and .build/tsan. Exits non-zero on any sanitizer report or test
# failure.
#   scripts/sanitize.sh [address|thread|c-and-thread]    (default: all of them)
# The test command runs c-and-thread: 1 without the Swift tests under ASan, whose own build and
# run cost it four minutes (every kernel is reached through the C ABI tests that 1 runs).
set -euo pipefail
cd "$(dirname "$0")/.."

swift_bin=$(dirname "$(readlink -f "$(command -v swift)")")
clang=${CLANG:-$swift_bin/clang}
# Sanitizer reports stop the program with a non-zero status; leaks are reported at exit.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:halt_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1}

which=${1:-all}

if [ "$which" = all ] || [ "$which" = address ] || [ "$which" = c-and-thread ]; then
    echo "== AddressSanitizer: the library (the fuzzer's build: ASan and coverage, this machine's kernel set)"
    scripts/fuzz.sh build
    echo "== AddressSanitizer + LeakSanitizer + UndefinedBehaviorSanitizer: C ABI tests"
    # The ASan runtime comes with the C program (static); the Swift library expects it there,
    # and its weak coverage hooks serve the library's coverage instrumentation.
    CC=$clang CFLAGS="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fuse-ld=lld" \
        Tests/c/run.sh .build/fuzz/release | tail -n 3
fi

if [ "$which" = all ] || [ "$which" = address ]; then
    echo "== AddressSanitizer + LeakSanitizer: Swift tests"
    swift build --build-tests --sanitize=address --scratch-path .build/asan 2>&1 |
        grep -v "Cannot export local symbol '__asan" | tail -n 1
    # ParallelTests repeats the kernels at many thread counts: under ASan the C tests above
    # run the worker pool (their thread-count checks), and ThreadSanitizer runs that suite's
    # concurrency tests below; leaving it out here saves a minute of the test command.
    swift test --skip-build --sanitize=address --scratch-path .build/asan --no-parallel \
        --enable-swift-testing --disable-xctest --skip ParallelTests > .build/asan/last-run.log 2>&1 || {
        grep -E "ERROR: |SUMMARY: |✘" .build/asan/last-run.log | head -n 40 >&2
        echo "FAIL: the Swift tests under AddressSanitizer (log: .build/asan/last-run.log)" >&2
        exit 1
    }
    grep -E "^(✔|✘) Test run" .build/asan/last-run.log
fi

if [ "$which" = all ] || [ "$which" = thread ] || [ "$which" = c-and-thread ]; then
    echo "== ThreadSanitizer: Swift concurrency tests (dynamic Swift runtime)"
    swift build --build-tests --sanitize=thread --scratch-path .build/tsan 2>&1 | tail -n 1
    swift test --skip-build --sanitize=thread --scratch-path .build/tsan --no-parallel \
        --enable-swift-testing --disable-xctest \
        --filter "ParallelTests.*(threadCount|bitwiseIdentical|zeroOneIdentical|concurrentCallers)" > .build/tsan/last-run.log 2>&1 || {
        grep -E "WARNING: ThreadSanitizer|SUMMARY|✘" .build/tsan/last-run.log | head -n 40 >&2
        echo "FAIL: the concurrency tests under ThreadSanitizer (log: .build/tsan/last-run.log)" >&2
        exit 1
    }
    grep -E "^(✔|✘) Test run" .build/tsan/last-run.log
fi
echo "sanitizers: clean"
