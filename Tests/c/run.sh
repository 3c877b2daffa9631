#!/usr/bin/env bash
# Compiles Tests/c/test_abi.c against include/losscore.h and the built library, and runs it.
#   Tests/c/run.sh [LIBDIR]
# LIBDIR holds liblosscore.so: a path relative to the current directory, or by default the
# repository's .build/release. The program prints "N passed, M failed" last and exits
# non-zero on any failure.
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

cc -std=c11 -Wall -Wextra -Werror -I "$repo/include" "$repo/Tests/c/test_abi.c" \
    -L"$libdir" -llosscore -Wl,-rpath,"$libdir" -lm -pthread -o "$tmp/test_abi"
"$tmp/test_abi"
