#!/usr/bin/env bash
# Installs LossCore into a temporary prefix (scripts/install.sh), checks what it installed,
# builds and runs the examples against it and compares their output with
# examples/expected_output.txt, then uninstalls and checks that nothing is left:
#   examples/c     through pkg-config: the shared library (losscore.pc) and the static one
#                  (losscore-static.pc, linked by the plain C compiler)
#   examples/cpp   through CMake's find_package(LossCore): LossCore::losscore and
#                  LossCore::losscore_static
#   examples/rust  cargo, hand-written extern "C" declarations (no crates), built offline
#   examples/go    cgo through pkg-config; it also prints the line of its concurrent calls
#   examples/lua   LuaJIT's FFI over the installed losscore.cdef
# An example whose tool (pkg-config, cmake, cargo, go, luajit) is missing is skipped, and the
# skip is printed.
# Exits non-zero on any difference or failure.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
prefix=$work/prefix
expected=examples/expected_output.txt
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

PREFIX=$prefix scripts/install.sh >"$work/install.log" 2>&1 || { cat "$work/install.log" >&2; fail "scripts/install.sh"; exit 1; }
tail -n 1 "$work/install.log"

major=$(awk '$2 == "LOSSCORE_VERSION_MAJOR" {print $3}' include/losscore.h)
version=$major.$(awk '$2 == "LOSSCORE_VERSION_MINOR" {print $3}' include/losscore.h).$(awk '$2 == "LOSSCORE_VERSION_PATCH" {print $3}' include/losscore.h)
[ "$(readlink "$prefix/lib/liblosscore.so")" = "liblosscore.so.$major" ] || fail "liblosscore.so does not point to liblosscore.so.$major"
[ "$(readlink "$prefix/lib/liblosscore.so.$major")" = "liblosscore.so.$version" ] || fail "liblosscore.so.$major does not point to liblosscore.so.$version"
scripts/check_library.sh "$prefix/lib/liblosscore.so.$version" "$prefix/lib/liblosscore.a" || fail "installed libraries"
cmp -s include/losscore.h "$prefix/include/losscore.h" || fail "installed header differs"
cmp -s include/losscore.cdef "$prefix/include/losscore.cdef" || fail "installed declarations file differs"

# Runs a command and compares what it prints with a file of expected output.
check_output() { # name, expected file, command...
    local name=$1 want=$2 out=$work/output.txt
    shift 2
    if "$@" >"$out" 2>&1 && diff -u "$want" "$out"; then
        echo "ok: $name prints the expected output"
    else
        fail "$name (output above)"
    fi
}

# Runs a built example and compares its output; a static build must not need liblosscore.so.
run_example() { # name, program, linkage
    if [ "$3" = static ] && ldd "$2" | grep -q liblosscore; then
        fail "$1 links liblosscore.so"
    fi
    check_output "$1" "$expected" "$2"
}

if command -v pkg-config >/dev/null; then
    export PKG_CONFIG_PATH=$prefix/lib/pkgconfig
    # shellcheck disable=SC2046 # pkg-config prints lists of flags
    if cc -std=c11 -Wall -Wextra -Werror examples/c/example.c $(pkg-config --cflags --libs losscore) \
        -Wl,-rpath,"$(pkg-config --variable=libdir losscore)" -o "$work/example_c"; then
        run_example "examples/c (pkg-config losscore, shared)" "$work/example_c" shared
    else
        fail "building examples/c"
    fi
    # shellcheck disable=SC2046
    if cc -std=c11 -Wall -Wextra -Werror examples/c/example.c $(pkg-config --cflags --libs losscore-static) \
        -o "$work/example_c_static"; then
        run_example "examples/c (pkg-config losscore-static)" "$work/example_c_static" static
    else
        fail "building examples/c with the static library"
    fi
    unset PKG_CONFIG_PATH
else
    echo "SKIPPED: examples/c (no pkg-config; scripts/setup.sh installs it)"
fi

if command -v cmake >/dev/null; then
    for linkage in shared static; do
        flag=OFF
        [ "$linkage" = static ] && flag=ON
        if cmake -S examples/cpp -B "$work/cpp-$linkage" -DCMAKE_PREFIX_PATH="$prefix" \
            -DLOSSCORE_STATIC=$flag >"$work/cmake-$linkage.log" 2>&1 &&
            cmake --build "$work/cpp-$linkage" >>"$work/cmake-$linkage.log" 2>&1; then
            run_example "examples/cpp (find_package(LossCore), $linkage)" "$work/cpp-$linkage/example" "$linkage"
        else
            cat "$work/cmake-$linkage.log" >&2
            fail "building examples/cpp ($linkage)"
        fi
    done
else
    echo "SKIPPED: examples/cpp (no cmake; scripts/setup.sh installs it)"
fi

# Built offline from the repository's folder, into the temporary folder (the committed
# Cargo.lock lists no crates).
if command -v cargo >/dev/null; then
    if LOSSCORE_PREFIX=$prefix CARGO_TARGET_DIR=$work/rust cargo build --offline --release \
        --manifest-path examples/rust/Cargo.toml >"$work/rust.log" 2>&1; then
        run_example "examples/rust (cargo, extern \"C\")" "$work/rust/release/losscore-example" shared
    else
        cat "$work/rust.log" >&2
        fail "building examples/rust"
    fi
else
    echo "SKIPPED: examples/rust (no cargo; scripts/setup.sh installs Debian's rustc and cargo)"
fi

if ! command -v go >/dev/null; then
    echo "SKIPPED: examples/go (no go; scripts/setup.sh installs golang-go)"
elif ! command -v pkg-config >/dev/null; then
    echo "SKIPPED: examples/go (no pkg-config, which cgo asks for the flags; scripts/setup.sh installs it)"
elif (cd examples/go && PKG_CONFIG_PATH=$prefix/lib/pkgconfig GOPROXY=off GOFLAGS= \
    go build -ldflags="-r $prefix/lib" -o "$work/example_go") >"$work/go.log" 2>&1; then
    { cat "$expected"; echo "100000 concurrent failing calls: 0 lost or wrong messages"; } >"$work/expected_go.txt"
    check_output "examples/go (cgo, 100 goroutines x 1,000 failing calls)" "$work/expected_go.txt" "$work/example_go"
else
    cat "$work/go.log" >&2
    fail "building examples/go"
fi

if command -v luajit >/dev/null; then
    check_output "examples/lua (LuaJIT FFI, losscore.cdef)" "$expected" \
        env LOSSCORE_PREFIX="$prefix" luajit examples/lua/example.lua
else
    echo "SKIPPED: examples/lua (no luajit; scripts/setup.sh installs it)"
fi

PREFIX=$prefix scripts/install.sh --uninstall
left=$(find "$prefix" -mindepth 1)
[ -z "$left" ] || fail "left behind by --uninstall: $left"

[ "$failures" -eq 0 ] || { echo "install and examples: $failures failures" >&2; exit 1; }
echo "install and examples: ok"
