#!/usr/bin/env bash
# Checks the shipped library:
#   - it exports only losscore_* symbols, each under the version node LOSSCORE_<major>;
#   - they are the functions include/losscore.h declares, no more and no fewer (every loss's
#     f32, f64, f16 and bf16 entry points alike);
#   - its SONAME is liblosscore.so.<major>;
#   - it needs no Swift runtime;
# where <major> is LOSSCORE_VERSION_MAJOR of include/losscore.h. With a static archive as
# the second argument (scripts/build_static.sh's liblosscore.a), also that the archive's
# only global defined symbols are the shared library's exports.
#   scripts/check_library.sh [LIB.so [LIB.a]]
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
lib=${1:-.build/release/liblosscore.so}
archive=${2:-}
major=$(awk '$1 == "#define" && $2 == "LOSSCORE_VERSION_MAJOR" {print $3}' "$repo/include/losscore.h")
node=LOSSCORE_$major

fail() {
    echo "FAIL: $lib: $1" >&2
    shift
    [ $# -eq 0 ] || printf '%s\n' "$@" >&2
    exit 1
}

extra=$(nm -D --defined-only "$lib" | awk '{print $NF}' | grep -v '^losscore_' || true)
[ -z "$extra" ] || fail "exports symbols outside the losscore_ namespace:" "$extra"

# objdump -T prints a symbol's version node as a column of its own ("(node)" if hidden).
unversioned=$(objdump -T "$lib" | awk -v node="$node" '$NF ~ /^losscore_/ && index($0, " " node " ") == 0' || true)
[ -z "$unversioned" ] || fail "exports without the version node $node:" "$unversioned"

# The header's functions: the names before a '(' outside comments.
declared=$(python3 -c 'import re, sys
text = re.sub(r"/\*.*?\*/", " ", open(sys.argv[1]).read(), flags=re.S)
print("\n".join(sorted(set(re.findall(r"\b(losscore_\w+)\s*\(", text)))))' "$repo/include/losscore.h")
exported=$(nm -D --defined-only "$lib" | awk '{print $NF}' | sed 's/@.*//' | LC_ALL=C sort -u)
declared=$(echo "$declared" | LC_ALL=C sort -u)
[ "$exported" = "$declared" ] || fail "its exports are not the functions include/losscore.h declares (< header only, > library only):" \
    "$(diff <(echo "$declared") <(echo "$exported") | grep '^[<>]' | head -n 20)"

soname=$(objdump -p "$lib" | awk '$1 == "SONAME" {print $2}')
[ "$soname" = "liblosscore.so.$major" ] || fail "SONAME is '${soname}', not liblosscore.so.$major"

if ldd "$lib" | grep -qi swift; then
    fail "depends on the Swift runtime (build with scripts/build.sh):" "$(ldd "$lib")"
fi
count=$(nm -D --defined-only "$lib" | wc -l)
echo "ok: $count exported symbols, all losscore_* under $node, the header's functions; SONAME $soname; no Swift runtime in ldd"

if [ -n "$archive" ]; then
    globals=$(nm -g --defined-only "$archive" | awk 'NF == 3 {print $3}' | sort)
    exports=$(nm -D --defined-only "$lib" | awk '{print $NF}' | sed 's/@.*//' | sort)
    [ "$globals" = "$exports" ] || fail "the archive's global symbols differ from the exports:" \
        "$(diff <(echo "$exports") <(echo "$globals") | grep '^[<>]' | head -n 20)"
    echo "ok: $archive: $(echo "$globals" | wc -l) global symbols, the same losscore_* set"
fi
