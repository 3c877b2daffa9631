#!/usr/bin/env bash
# Fuzzes every export of include/losscore.h with libFuzzer (Tests/fuzz/fuzz_exports.c): random
# sizes, options, pointers, data and thread counts, with the header's contract checked on every
# call, against a liblosscore.so built with AddressSanitizer and coverage instrumentation.
#
#   scripts/fuzz.sh [build]        build the instrumented library and the harness (idempotent)
#   scripts/fuzz.sh smoke          build, then fuzz for 30 s from the seed corpus; prints the
#                                  executions, coverage and result; exits non-zero on any crash,
#                                  sanitizer report or contract violation
#   scripts/fuzz.sh long [SECONDS] build, then fuzz for SECONDS (default 3600) on FUZZ_JOBS
#                                  processes (default: the number of cores), growing the
#                                  corpus in .build/fuzz/corpus; a worker stops at its first
#                                  finding, the others go on
#   scripts/fuzz.sh repro FILE...  run the harness once on each FILE (a crash reproducer)
#
# Everything is built under .build/fuzz (SwiftPM's scratch path for this build only):
#   .build/fuzz/release/liblosscore.so   the library, built by scripts/build.sh with the flags below
#                                        and the kernel set of this machine only (LOSSCORE_NATIVE=1)
#   .build/fuzz/harness/fuzz_exports     the fuzzer, linked against it
#   .build/fuzz/crashes/                 crash-*, leak-*, timeout-*, oom-* reproducers
# Reproduce one with `.build/fuzz/harness/fuzz_exports .build/fuzz/crashes/crash-...` (or
# `scripts/fuzz.sh repro FILE`): a contract violation prints "CONTRACT VIOLATION", the call and
# its last error; a memory error prints AddressSanitizer's report. Minimize one with
# `.build/fuzz/harness/fuzz_exports -minimize_crash=1 -runs=100000 FILE` (check that the result
# still shows the same violation) and add it to REGRESSIONS in Tests/fuzz/make_corpus.py, which
# writes Tests/fuzz/corpus/regression-<what>: every later run starts from it.
# Tests/fuzz/corpus/ is the committed seed corpus (written by Tests/fuzz/make_corpus.py; rerun it
# when the header gains exports); runs read it and never write to it.
#
# Flags. The library gets -sanitize=address and
# -sanitize-coverage=edge,indirect-calls,inline-8bit-counters,pc-table,trace-cmp: libFuzzer
# needs inline 8-bit counters and a PC table (it no longer supports swiftc's default edge
# coverage, trace-pc-guard) and uses the comparison traces to solve branches. The harness is
# compiled by the toolchain's clang with -fsanitize=fuzzer,address -fno-sanitize-coverage=trace-cmp
# (its loops over large buffers would otherwise trace every comparison: 30% of the time, and no
# feedback worth having) and linked with lld; the ASan runtime in the executable serves the
# library too. FUZZ_CFLAGS adds to the harness's compile line.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"

mode=${1:-build}
scratch=.build/fuzz
harness_dir=$scratch/harness
fuzzer=$harness_dir/fuzz_exports
crashes=$repo/$scratch/crashes
seeds=Tests/fuzz/corpus

swift_bin=$(command -v swift || true)
if [ -z "$swift_bin" ] && [ -x /opt/swift/usr/bin/swift ]; then swift_bin=/opt/swift/usr/bin/swift; fi
if [ -z "$swift_bin" ]; then
    echo "fuzz: no swift on PATH" >&2
    exit 2
fi
toolchain_bin=$(dirname "$(readlink -f "$swift_bin")")
export PATH="$toolchain_bin:$PATH"
cc=${FUZZ_CC:-$toolchain_bin/clang}

swift_flags=(-Xswiftc -sanitize=address
    -Xswiftc -sanitize-coverage=edge,indirect-calls,inline-8bit-counters,pc-table,trace-cmp)

build() {
    # SwiftPM does not rebuild when only -Xswiftc flags change: start over when they do.
    local stamp=$scratch/flags.txt
    mkdir -p "$scratch" "$harness_dir" "$crashes"
    if [ "$(cat "$stamp" 2>/dev/null || true)" != "${swift_flags[*]}" ]; then
        rm -rf "$scratch/release" "$scratch/x86_64-unknown-linux-gnu" "$scratch/aarch64-unknown-linux-gnu"
    fi
    local log=$scratch/build.log attempt
    for attempt in 1 2 3 4 5; do
        if LOSSCORE_NATIVE=1 scripts/build.sh --scratch-path "$scratch" "${swift_flags[@]}" >"$log" 2>&1; then
            break
        fi
        # A source edited while it compiles fails the build: try again a little later.
        if [ "$attempt" = 5 ] || ! grep -q "was modified during the build" "$log"; then
            cat "$log" >&2
            echo "fuzz: building the instrumented library failed" >&2
            exit 1
        fi
        sleep 5
    done
    echo "${swift_flags[*]}" >"$stamp"
    local lib=$repo/$scratch/release/liblosscore.so
    python3 Tests/c/gen_exports.py include/losscore.h "$harness_dir/exports_table.h" --lib "$lib"
    # shellcheck disable=SC2086 # FUZZ_CFLAGS is a list of flags
    "$cc" -std=c11 -O1 -g -Wall -Wextra -Werror ${FUZZ_CFLAGS:-} -fsanitize=fuzzer,address \
        -fno-sanitize-coverage=trace-cmp -fuse-ld=lld \
        -I include -I Tests/c -I "$harness_dir" Tests/fuzz/fuzz_exports.c \
        -L"$(dirname "$lib")" -llosscore -Wl,-rpath,"$(dirname "$lib")" -lm -o "$fuzzer.tmp"
    mv "$fuzzer.tmp" "$fuzzer"
    echo "fuzz: built $fuzzer ($(grep -c '^    {"' "$harness_dir/exports_table.h") exports)"
}

# Options of every run: a call taking more than 60 s is a hang; a process above 2 GB a leak.
common=(-timeout=60 -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$crashes/")

# Prints the summary of a libFuzzer log and returns its exit status.
summarize() {
    local log=$1 rc=$2 seconds=$3
    local execs cov corp
    execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | awk '{s += $2} END {print s + 0}')
    cov=$(grep -o 'cov: [0-9]* ft: [0-9]*' "$log" | tail -n 1 || true)
    corp=$(grep -o 'corp: [0-9]*' "$log" | tail -n 1 | awk '{print $2}' || true)
    echo "fuzz: ${execs:-0} executions in ${seconds} s; ${cov:-no coverage line}; corpus ${corp:-?} inputs"
    if [ "$rc" -ne 0 ] || grep -qE 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|CONTRACT VIOLATION|deadly signal' "$log"; then
        echo "fuzz: FAILED (exit $rc); the report:" >&2
        grep -E -A30 'CONTRACT VIOLATION|ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|deadly signal' "$log" | head -n 60 >&2 || tail -n 40 "$log" >&2
        grep -E 'Test unit written to' "$log" >&2 || true
        return 1
    fi
    echo "fuzz: ok (no crash, sanitizer report or contract violation)"
}

case "$mode" in
build)
    build
    ;;
smoke)
    build
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
    mkdir "$work/corpus"
    log=$work/fuzz.log
    start=$(date +%s)
    rc=0
    # The new inputs go to a temporary directory: the committed seeds stay as they are.
    "$fuzzer" "${common[@]}" -max_total_time=30 "$work/corpus" "$seeds" >"$log" 2>&1 || rc=$?
    summarize "$log" "$rc" "$(($(date +%s) - start))"
    ;;
long)
    seconds=${2:-3600}
    jobs=${FUZZ_JOBS:-$(nproc)}
    build
    long_dir=$repo/$scratch/long
    mkdir -p "$scratch/corpus" "$long_dir"
    rm -f "$long_dir"/fuzz-*.log
    # The workers run this copy: a rebuild during the run does not change them.
    cp "$fuzzer" "$long_dir/fuzz_exports"
    log=$scratch/long.log
    start=$(date +%s)
    rc=0
    echo "fuzz: $seconds s on $jobs processes; logs $long_dir/fuzz-N.log, crashes in $crashes/"
    # One long-lived process per core sharing the corpus directory (libFuzzer -jobs/-workers;
    # each writes fuzz-N.log in the current directory).
    (cd "$long_dir" && ./fuzz_exports "${common[@]}" -jobs="$jobs" -workers="$jobs" -max_total_time="$seconds" \
        "$repo/$scratch/corpus" "$repo/$seeds") >"$log" 2>&1 || rc=$?
    for worker_log in "$long_dir"/fuzz-*.log; do
        echo "== $(basename "$worker_log")"
        summarize "$worker_log" 0 "$(($(date +%s) - start))" || rc=1
    done
    total=$(cat "$long_dir"/fuzz-*.log | grep -o 'stat::number_of_executed_units: *[0-9]*' | awk '{s += $2} END {print s + 0}')
    echo "fuzz: $total executions in total; $(find "$crashes" -type f -newer "$long_dir/fuzz_exports" | wc -l) new files in $crashes/"
    exit "$rc"
    ;;
repro)
    shift
    [ $# -gt 0 ] || { echo "usage: scripts/fuzz.sh repro FILE..." >&2; exit 2; }
    [ -x "$fuzzer" ] || build
    "$fuzzer" "$@"
    ;;
*)
    echo "usage: scripts/fuzz.sh [build | smoke | long [SECONDS] | repro FILE...]" >&2
    exit 2
    ;;
esac
