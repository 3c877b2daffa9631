#!/usr/bin/env bash
# Builds the API reference into docs/api/ from the sources (it is not committed):
#   docs/api/python/   the losscore package: pdoc, from the docstrings (open index.html)
#   docs/api/swift/    the LossCore Swift module: DocC, from the doc comments and
#                      Sources/LossCore/LossCore.docc (a web app: serve docs/api over HTTP)
#   docs/api/c/        the C header, which is the C reference
#   docs/api/index.html
#
#   scripts/docs.sh            build it
#   scripts/docs.sh --check    build it into a temporary folder and check it: a page for every
#                              loss in each language, every public Swift symbol documented, every
#                              loss function's doc comment in the template, every Swift example
#                              run (the Python docstrings are checked by the pytest suite)
set -euo pipefail
cd "$(dirname "$0")/.."
check=0
[ "${1:-}" = "--check" ] && check=1

scripts/setup.sh
[ -f .build/release/liblosscore.so ] || scripts/build.sh  # the Python package computes with it

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [ "$check" = 1 ]; then out="$work/api"; else out=docs/api; rm -rf "$out"; fi
mkdir -p "$out"

echo "== docs: the Python reference (pdoc)"
.venv/bin/python scripts/docs/python_reference.py "$out/python"

echo "== docs: the Swift reference (DocC)"
# The module's public symbols with their doc comments, extracted from a debug build of the
# LossCore target (what `swift package dump-symbol-graph` does, without the test targets).
swift build --target LossCore -q
bin=$(swift build --show-bin-path)
triple=$(basename "$(dirname "$bin")")
mkdir -p "$work/extracted"
swift-symbolgraph-extract -module-name LossCore -target "$triple" -module-cache-path "$bin/ModuleCache" \
    -Xcc -fmodule-map-file="$bin/CLossABI.build/module.modulemap" -Xcc -I -Xcc include \
    -Xcc -fmodule-map-file="$bin/CLossHints.build/module.modulemap" -Xcc -I -Xcc Sources/CLossHints/include \
    -I "$bin/Modules" -minimum-access-level public -omit-extension-block-symbols -output-dir "$work/extracted"
.venv/bin/python scripts/docs/check.py graphs "$work/extracted" "$work/graphs"
docc convert Sources/LossCore/LossCore.docc --additional-symbol-graph-dir "$work/graphs" \
    --fallback-display-name LossCore --fallback-bundle-identifier org.losscore.LossCore \
    --output-path "$out/swift" --transform-for-static-hosting --hosting-base-path swift --warnings-as-errors

echo "== docs: the C reference (the header)"
mkdir -p "$out/c"
cp include/losscore.h "$out/c/losscore.h"

cat > "$out/index.html" <<'HTML'
<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>LossCore API reference</title></head>
<body>
<h1>LossCore API reference</h1>
<ul>
<li><a href="python/losscore.html">Python</a>: <code>losscore</code>, <code>losscore.functional</code>, <code>losscore.nn</code></li>
<li><a href="swift/documentation/losscore/">Swift</a>: the <code>LossCore</code> module (served over HTTP:
<code>python3 -m http.server -d docs/api</code>, then <code>http://localhost:8000/swift/documentation/losscore/</code>)</li>
<li><a href="c/losscore.h">C</a>: <code>losscore.h</code></li>
</ul>
</body></html>
HTML

if [ "$check" = 1 ]; then
    echo "== docs: checks"
    .venv/bin/python scripts/docs/check.py comments "$work/graphs"
    # A lasting folder, so that the example package's build is incremental between runs.
    .venv/bin/python scripts/docs/check.py examples "$work/graphs" .build/docs-examples
    LOSSCORE_SYMBOL_GRAPHS="$work/graphs" .venv/bin/python scripts/docs/check.py pages "$out"
    echo "docs: ok"
else
    echo "docs: wrote $out (index.html)"
fi
