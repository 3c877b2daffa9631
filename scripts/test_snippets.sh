#!/usr/bin/env bash
# The README's quick starts ("Using it"), extracted and run as written: the C block compiled
# against the library this checkout built, the Python block under .venv from the repository,
# the Swift block in a package that depends on this checkout by path. Fails when one does not
# build, run, or give the tutorial's MAE (0.049999999999999996) that the README shows.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mae=0.049999999999999996

# The first block of `lang` in the README's "Using it" section.
block() {
    awk -v fence='```'"$1" '/^## Using it/ {in_section = 1} /^## Guarantees/ {in_section = 0}
        in_section && $0 == fence {inside = 1; next} inside && /^```$/ {exit} inside' README.md
}

block c > "$work/quick.c"
cc -std=c99 -Wall -Werror -I include "$work/quick.c" -L .build/release -llosscore \
    -Wl,-rpath,"$PWD/.build/release" -o "$work/quick"
out=$("$work/quick")
[[ "$out" == "MAE $mae"* ]] || { echo "snippets: the C quick start printed '$out'" >&2; exit 1; }
echo "ok: the C quick start ($out)"

block python > "$work/quick.py"
echo 'assert repr(float(F.l1_loss(y_pred, y_true))) == "'"$mae"'"' >> "$work/quick.py"
.venv/bin/python "$work/quick.py"
echo "ok: the Python quick start"

if command -v swift >/dev/null; then
    # The snippet names the dependency ../losscore: the checkout, linked under that name.
    mkdir -p "$work/app/Sources/app"
    ln -s "$PWD" "$work/losscore"
    cat > "$work/app/Package.swift" <<'SWIFT'
// swift-tools-version:6.0
import PackageDescription
let package = Package(name: "app", dependencies: [.package(path: "../losscore")],
    targets: [.executableTarget(name: "app", dependencies: [.product(name: "LossCoreStatic", package: "losscore")])])
SWIFT
    block swift > "$work/app/Sources/app/main.swift"
    echo 'print(mae, loss.scalar!, grad.count)' >> "$work/app/Sources/app/main.swift"
    out=$(swift run --package-path "$work/app" -q app 2>&1 | tail -n 1)
    [[ "$out" == "$mae "*" 6" ]] || { echo "snippets: the Swift quick start printed '$out'" >&2; exit 1; }
    echo "ok: the Swift quick start ($out)"
else
    echo "skipped: the Swift quick start (no swift)"
fi
echo "snippets: ok"
