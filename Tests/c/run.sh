#!/usr/bin/env bash
# Generates the table of every exported loss from include/losscore.h (gen_exports.py, into a
# temporary directory), compiles every Tests/c/test_*.c program against the header, that
# table and the built library, and runs each one.
#   Tests/c/run.sh [LIBDIR]
# LIBDIR holds liblosscore.so: a path relative to the current directory, or by default the
# repository's .build/release. Each program prints "N passed, M failed" last; this script
# then prints one summary line per program and, last, the totals as "N passed, M failed".
# It exits non-zero if the table cannot be generated (the header has an export it cannot
# place, or the library exports one the header lacks), or any program fails to compile,
# fails a check or crashes (each counts as one failure in the totals).
# CC and CFLAGS add to the compile line (e.g. CC=clang CFLAGS=-fsanitize=undefined);
# RUNNER is a command that runs each program (e.g. RUNNER="qemu-x86_64 -cpu Nehalem", as
# scripts/test_cpus.sh does); TESTS names the programs to run (e.g. TESTS=test_values;
# default: every Tests/c/test_*.c).
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)

libdir=${1:-$repo/.build/release}
if [ ! -f "$libdir/liblosscore.so" ]; then
    echo "error: $libdir/liblosscore.so not found (build it with scripts/build.sh)" >&2
    exit 2
fi
libdir=$(cd "$libdir" && pwd)

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

total_passed=0
total_failed=0
status=0
summaries=()
if ! python3 "$repo/Tests/c/gen_exports.py" "$repo/include/losscore.h" "$tmp/exports_table.h" \
    --lib "$libdir/liblosscore.so"; then
    echo "error: the export table could not be generated" >&2
    echo "0 passed, 1 failed"
    exit 1
fi
for src in "$repo"/Tests/c/test_*.c; do
    name=$(basename "$src" .c)
    case " ${TESTS:-$name} " in *" $name "*) ;; *) continue ;; esac
    # shellcheck disable=SC2086 # CFLAGS is a list of flags
    if ! ${CC:-cc} -std=c11 -Wall -Wextra -Werror ${CFLAGS:-} -I "$repo/include" -I "$repo/Tests/c" -I "$tmp" "$src" \
        -L"$libdir" -llosscore -Wl,-rpath,"$libdir" -lm -pthread -o "$tmp/$name"; then
        summaries+=("$name: does not compile")
        total_failed=$((total_failed + 1))
        status=1
        continue
    fi
    echo "== $name"
    rc=0
    # shellcheck disable=SC2086 # RUNNER is a command and its arguments
    ${RUNNER:-} "$tmp/$name" | tee "$tmp/$name.log" || rc=$?
    last=$(tail -n 1 "$tmp/$name.log")
    if [[ $last =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
        total_passed=$((total_passed + BASH_REMATCH[1]))
        total_failed=$((total_failed + BASH_REMATCH[2]))
        summaries+=("$name: $last (exit $rc)")
    else
        summaries+=("$name: no summary line (exit $rc: crashed?)")
        total_failed=$((total_failed + 1))
    fi
    [ "$rc" -eq 0 ] || status=1
done

echo "== summary"
for line in "${summaries[@]}"; do echo "$line"; done
echo "$total_passed passed, $total_failed failed"
if [ "$total_failed" -ne 0 ]; then status=1; fi
exit $status
