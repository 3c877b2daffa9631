#!/usr/bin/env bash
# Builds the shipped, self-contained liblosscore.so into .build/release/ (or SCRATCH/release
# with --scratch-path SCRATCH; other arguments go to every `swift build`):
#   kernel sets        on x86-64 the Swift core is compiled three times, for three CPU
#                      classes (-target-cpu skylake-avx512, haswell, and none: any x86-64),
#                      each with its exports renamed lcv_<set>_losscore_*; a small C front
#                      (scripts/kernels/) exports losscore_* and forwards each call to the
#                      highest set the running CPU supports (include/losscore.h, "Build and
#                      CPU"). So one library runs on every x86-64 CPU at the speed of a build
#                      for the CPU it runs on. Environment:
#                        LOSSCORE_NATIVE=1    only this machine's set (one compile instead of
#                                             three); on a lesser CPU its calls are refused
#                                             with LOSSCORE_ERROR_UNSUPPORTED_CPU;
#                        LOSSCORE_PORTABLE=1  only the baseline set.
#                      Each set is built under SCRATCH/kernels/<set>/ (SwiftPM does not
#                      rebuild when only compiler flags change; LOSSCORE_KERNEL_SCRATCH=DIR
#                      builds under DIR/<set>/ instead, so that another build with the same
#                      flags is only a relink); the objects that are
#                      linked stay in SCRATCH/release/losscore.kernels/ for build_static.sh;
#   -static-stdlib     the Swift runtime and Dispatch are linked in, so `ldd` shows only
#                      the C and C++ runtime and users need no Swift toolchain;
#   lld + exports.map  only the losscore_* symbols of include/losscore.h are exported, each
#                      under the version node LOSSCORE_<major>;
#   -soname            liblosscore.so.<major> (LOSSCORE_VERSION_MAJOR of the header): programs
#                      record that name, so an ABI break is a new major; the build folder
#                      gets that name as a link too, so programs linked there still run;
#   -z nodelete        dlclose keeps the library mapped: its worker threads outlive calls
#                      (unloading it under them crashed a C host that dlclose'd it).
# These flags stay on the command line, not in Package.swift, so that other Swift
# packages can still depend on LossCore (SwiftPM refuses unsafeFlags in dependencies).
set -euo pipefail
cd "$(dirname "$0")/.."

scratch=.build
swift_extra=()
while [ $# -gt 0 ]; do
    case "$1" in
    --scratch-path) scratch=$2; shift 2 ;;
    --scratch-path=*) scratch=${1#*=}; shift ;;
    *) swift_extra+=("$1"); shift ;;
    esac
done

# The CPU class of this machine: avx512 (skylake-avx512: AVX-512 F/CD/BW/DQ/VL, e.g. Zen 4
# too), else avx2 (haswell: AVX2/FMA), else baseline (any x86-64).
has_all() {
    local f
    for f in "$@"; do
        case "$cpu_flag_list" in *" $f "*) ;; *) return 1 ;; esac
    done
}
native=baseline
if [ "$(uname -m)" = x86_64 ] && [ -r /proc/cpuinfo ]; then
    cpu_flag_list=" $(grep -m1 '^flags' /proc/cpuinfo) "
    if has_all avx avx2 fma bmi1 bmi2 movbe f16c abm; then
        native=avx2
        has_all avx512f avx512cd avx512bw avx512dq avx512vl && native=avx512
    fi
fi
if [ "$(uname -m)" != x86_64 ] || [ "${LOSSCORE_PORTABLE:-0}" = 1 ]; then
    sets=(baseline)
elif [ "${LOSSCORE_NATIVE:-0}" = 1 ]; then
    sets=("$native")
else
    sets=(avx512 avx2 baseline)
fi
# The compiler flags of a set. LOSSCORE_FMA: the kernels may fuse multiply-adds (see FusedMath
# in Math/ScalarMath.swift); LOSSCORE_F16C: half-precision conversions are instructions (see
# Storage/LossStorage.swift). LLVM's skylake-avx512 model keeps the loops it vectorizes itself
# (the elementwise kernels) at 256 bits, and that is kept: 512-bit ones streamed memory slower.
# Where wider vectors pay (compute-bound formulas, reductions without a buffer) the losses
# state themselves on SIMD16 lanes instead (IndexedElementwiseLoss.lanes), which are 512-bit
# on AVX-512 CPUs.
set_flags() {
    case "$1" in
    avx512) echo "-Xswiftc -target-cpu -Xswiftc skylake-avx512 -Xswiftc -DLOSSCORE_FMA -Xswiftc -DLOSSCORE_F16C" ;;
    avx2) echo "-Xswiftc -target-cpu -Xswiftc haswell -Xswiftc -DLOSSCORE_FMA -Xswiftc -DLOSSCORE_F16C" ;;
    baseline) echo "" ;;
    esac
}

major=$(awk '$1 == "#define" && $2 == "LOSSCORE_VERSION_MAJOR" {print $3}' include/losscore.h)
[ -n "$major" ] || { echo "build: no LOSSCORE_VERSION_MAJOR in include/losscore.h" >&2; exit 1; }
toolchain=$(dirname "$(readlink -f "$(command -v swiftc)")")

# Each optimized module compiles as one step of a few minutes (on two cores) that SwiftPM
# reports with a single line: a line every 20 s says it is still going. (The sleep's output
# goes nowhere, so that a reader of this script's output sees the end when the build ends.)
start=$SECONDS
(while sleep 20 </dev/null >/dev/null 2>&1; do
    echo "build: still compiling, $((SECONDS - start)) s so far (about four minutes on two idle cores)"
done) &
ticker=$!
work=$(mktemp -d)
trap 'kill "$ticker" 2>/dev/null || true; rm -rf "$work"' EXIT

bin=$scratch/release
kernels=$bin/losscore.kernels
mkdir -p "$kernels"
rm -f "$kernels"/*.o
# One set: its module compiled into its own scratch path, then one object whose every
# defined symbol is renamed lcv_<set>_<name>: the sets' copies of the same Swift function
# (and of the generic specializations each one emits, which the linker would otherwise merge
# across sets) stay apart.
compile_set() {
    local set=$1 flags set_scratch stamp set_bin
    # shellcheck disable=SC2207 # set_flags prints words without spaces inside
    flags=($(set_flags "$set") "${swift_extra[@]}")
    set_scratch=${LOSSCORE_KERNEL_SCRATCH:-$scratch/kernels}/$set
    stamp=$set_scratch/flags.txt
    if [ "$(cat "$stamp" 2>/dev/null || true)" != "${flags[*]}" ]; then
        rm -rf "$set_scratch"
        mkdir -p "$set_scratch"
        echo "${flags[*]}" >"$stamp"
    fi
    swift build -c release --target LossCore --scratch-path "$set_scratch" "${flags[@]}"
    set_bin=$(swift build -c release --scratch-path "$set_scratch" "${flags[@]}" --show-bin-path)
    "$toolchain/ld.lld" -r -o "$work/$set.o" "$set_bin"/LossCore.build/*.o
    nm -g --defined-only "$work/$set.o" | awk -v p="lcv_${set}_" 'NF == 3 {print $3, p $3}' >"$work/$set.names"
    "$toolchain/llvm-objcopy" --redefine-syms="$work/$set.names" "$work/$set.o" "$kernels/$set.o"
}
# The sets compile side by side: an optimizing compile of the module is mostly one thread.
echo "build: the kernel sets ${sets[*]}, side by side"
pids=()
for set in "${sets[@]}"; do
    compile_set "$set" >"$work/$set.log" 2>&1 &
    pids+=($!)
done
failed=0
for i in "${!sets[@]}"; do
    if ! wait "${pids[i]}"; then
        echo "build: the ${sets[i]} kernels failed:" >&2
        tail -n 40 "$work/${sets[i]}.log" >&2
        failed=1
    fi
done
[ "$failed" = 0 ] || exit 1

python3 scripts/kernels/gen_forwarders.py include/losscore.h "$work/forwarders.h" "${sets[@]}"
"$toolchain/clang" -std=c11 -O2 -fPIC -Wall -Wextra -Werror -I include -I Sources/CLossHints/include -I "$work" \
    -c scripts/kernels/front.c -o "$kernels/front.o"

# The link: the front and the sets, with the Swift runtime; the flags of swift_extra that
# reach the compiler or the linker (e.g. a sanitizer's) reach this link too.
link_extra=()
for ((i = 0; i < ${#swift_extra[@]}; i++)); do
    case "${swift_extra[i]}" in
    -Xswiftc) link_extra+=("${swift_extra[i + 1]}"); i=$((i + 1)) ;;
    -Xlinker) link_extra+=(-Xlinker "${swift_extra[i + 1]}"); i=$((i + 1)) ;;
    esac
done
kill "$ticker" 2>/dev/null || true
objects=("$kernels/front.o")
for set in "${sets[@]}"; do objects+=("$kernels/$set.o"); done
swiftc -emit-library -module-name losscore -o "$work/liblosscore.so" "${objects[@]}" -static-stdlib -use-ld=lld \
    -Xlinker --version-script="$PWD/scripts/exports.map" \
    -Xlinker -soname -Xlinker "liblosscore.so.$major" \
    -Xlinker -z -Xlinker nodelete "${link_extra[@]}"
mv "$work/liblosscore.so" "$bin/liblosscore.so"
ln -sfn liblosscore.so "$bin/liblosscore.so.$major"
echo "built liblosscore.so (release, kernel sets: ${sets[*]}) in $((SECONDS - start)) s"
