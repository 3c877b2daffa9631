#!/usr/bin/env bash
# The training example in C against an installation: installs LossCore into a temporary
# prefix (scripts/install.sh), builds examples/training/train.c through pkg-config, trains on
# examples/training/digits.bin and checks the held-out table it prints:
#   - every loss reaches an accuracy and a balanced accuracy of at least 0.88 (chance: 0.1);
#   - the class weights raise the rare digit's recall (weighted cross-entropy above
#     cross-entropy, weighted focal loss above focal loss);
#   - train.py (the same run in Python, on the installed library) prints the same accuracies
#     within 0.02 (numpy's matrix products round differently), when .venv exists.
# Exits non-zero on any failure.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
prefix=$work/prefix
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

PREFIX=$prefix scripts/install.sh >"$work/install.log" 2>&1 || { cat "$work/install.log" >&2; echo "FAIL: scripts/install.sh" >&2; exit 1; }
tail -n 1 "$work/install.log"

export PKG_CONFIG_PATH=$prefix/lib/pkgconfig
# shellcheck disable=SC2046 # pkg-config prints lists of flags
cc -std=c11 -O2 -Wall -Wextra -Werror examples/training/train.c $(pkg-config --cflags --libs losscore) -lm \
    -Wl,-rpath,"$(pkg-config --variable=libdir losscore)" -o "$work/train" || { echo "FAIL: building train.c" >&2; exit 1; }
"$work/train" examples/training/digits.bin >"$work/c.md"
cat "$work/c.md"

# Column N (1-based, after the leading '|') of the row of loss NAME in a table.
cell() { awk -F' *[|] *' -v name="$2" -v col="$3" '$2 == name {print $(col + 1)}' "$1"; }
above() { awk -v a="$1" -v b="$2" 'BEGIN {exit !(a > b)}'; }
losses=("cross-entropy" "weighted cross-entropy" "focal loss, gamma 2" "weighted focal loss, gamma 2")
for name in "${losses[@]}"; do
    for col in 2 3; do
        value=$(cell "$work/c.md" "$name" "$col")
        [ -n "$value" ] && above "$value" 0.88 || fail "train.c, $name: column $col is '$value', not above 0.88"
    done
done
above "$(cell "$work/c.md" "weighted cross-entropy" 4)" "$(cell "$work/c.md" "cross-entropy" 4)" ||
    fail "train.c: the class weights did not raise cross-entropy's recall of the rare digit"
above "$(cell "$work/c.md" "weighted focal loss, gamma 2" 4)" "$(cell "$work/c.md" "focal loss, gamma 2" 4)" ||
    fail "train.c: the class weights did not raise the focal loss's recall of the rare digit"

if [ -x .venv/bin/python ]; then
    LOSSCORE_LIBRARY=$prefix/lib/liblosscore.so .venv/bin/python examples/training/train.py --no-plot >"$work/py.md" 2>/dev/null ||
        fail "train.py"
    for name in "${losses[@]}"; do
        for col in 2 3; do
            c=$(cell "$work/c.md" "$name" "$col") py=$(cell "$work/py.md" "$name" "$col")
            awk -v a="$c" -v b="$py" 'BEGIN {d = a - b; exit !(b != "" && d <= 0.02 && d >= -0.02)}' ||
                fail "$name, column $col: train.c $c, train.py '$py'"
        done
    done
    echo "ok: train.py gives train.c's accuracies within 0.02"
else
    echo "SKIPPED: comparing with train.py (no .venv; scripts/setup.sh makes it)"
fi

PREFIX=$prefix scripts/install.sh --uninstall >/dev/null
[ "$failures" -eq 0 ] || { echo "training example: $failures failures" >&2; exit 1; }
echo "training example: ok"
