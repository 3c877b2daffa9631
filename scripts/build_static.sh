#!/usr/bin/env bash
# Builds liblosscore.a beside the liblosscore.so of the last scripts/build.sh with the same
# arguments: a static library that a plain C or C++ compiler links without a Swift toolchain.
#   scripts/build_static.sh [the arguments given to scripts/build.sh]
# How: one relocatable object (ld.lld -r) of the library's objects (the front and the kernel
# sets that scripts/build.sh left in <bin>/losscore.kernels/), the Swift runtime's
# registration object (swiftrt.o) and the members of the toolchain's static runtime archives
# they need; then every global symbol but the losscore_* exports is made local
# (llvm-objcopy --keep-global-symbols) and debug info is dropped. So the archive defines only
# losscore_* globally, and its copy of the Swift runtime cannot clash with another one in
# the program. A program links it with the C++ runtime: -lstdc++ -lm -ldl -lpthread (the
# private libraries of losscore.pc).
set -euo pipefail
cd "$(dirname "$0")/.."

toolchain=$(dirname "$(readlink -f "$(command -v swiftc)")")
runtime=$toolchain/../lib/swift_static/linux
scratch=.build
while [ $# -gt 0 ]; do
    case "$1" in
    --scratch-path) scratch=$2; shift 2 ;;
    --scratch-path=*) scratch=${1#*=}; shift ;;
    *) shift ;;
    esac
done
bin=$scratch/release
object_files=("$bin"/losscore.kernels/*.o)
[ -f "${object_files[0]}" ] && [ -f "$bin/liblosscore.so" ] || {
    echo "build_static: $bin has no liblosscore.so build (run scripts/build.sh first)" >&2
    exit 1
}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$toolchain/ld.lld" -r -o "$work/combined.o" "${object_files[@]}" \
    "$runtime/$(uname -m)/swiftrt.o" "$runtime"/lib*.a
nm -g --defined-only "$work/combined.o" | awk 'NF == 3 && $3 ~ /^losscore_/ {print $3}' >"$work/exports.txt"
"$toolchain/llvm-objcopy" --strip-debug --keep-global-symbols="$work/exports.txt" \
    "$work/combined.o" "$work/losscore.o"
rm -f "$work/liblosscore.a"
"$toolchain/llvm-ar" rcs "$work/liblosscore.a" "$work/losscore.o"
mv "$work/liblosscore.a" "$bin/liblosscore.a"
echo "built liblosscore.a ($(wc -l <"$work/exports.txt") losscore_* symbols, $(($(stat -c %s "$bin/liblosscore.a") / 1048576)) MB)"
