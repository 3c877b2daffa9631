#!/usr/bin/env bash
# Checks the shipped library: it exports only losscore_* symbols and needs no Swift runtime.
set -euo pipefail
lib=${1:-.build/release/liblosscore.so}
extra=$(nm -D --defined-only "$lib" | awk '{print $NF}' | grep -v '^losscore_' || true)
if [ -n "$extra" ]; then
    echo "FAIL: $lib exports symbols outside the losscore_ namespace:" >&2
    echo "$extra" >&2
    exit 1
fi
if ldd "$lib" | grep -qi swift; then
    echo "FAIL: $lib depends on the Swift runtime (build with scripts/build.sh):" >&2
    ldd "$lib" >&2
    exit 1
fi
echo "ok: $(nm -D --defined-only "$lib" | wc -l) exported symbols, all losscore_*; no Swift runtime in ldd"
