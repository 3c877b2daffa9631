#!/usr/bin/env bash
# The main job: the tutorial's examples reproduced through LossCore, from Python and C,
# cross-checked against the tutorial's own numpy formulas. Exits non-zero on a mismatch.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh >&2
scripts/build.sh >&2

echo "== Python (bindings/python, examples/tutorial_demo.py)"
.venv/bin/python examples/tutorial_demo.py

echo
echo "== C (examples/c/example.c against include/losscore.h and liblosscore.so)"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cc -std=c11 -Wall -Wextra -Werror -I include examples/c/example.c \
    -L .build/release -llosscore -Wl,-rpath,"$PWD/.build/release" -o "$tmp/mae"
"$tmp/mae" | tee "$tmp/mae.out"
grep -qx "MAE error is: 0.049999999999999996" "$tmp/mae.out" || {
    echo "MISMATCH: the C example did not print the tutorial's MAE line" >&2
    exit 1
}
echo
echo "demo: all examples match"
