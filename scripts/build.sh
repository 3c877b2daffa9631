#!/usr/bin/env bash
# Builds the shipped, self-contained liblosscore.so into .build/release/:
#   -static-stdlib     the Swift runtime and Dispatch are linked in, so `ldd` shows only
#                      the C and C++ runtime and users need no Swift toolchain;
#   lld + exports.map  only the losscore_* symbols of include/losscore.h are exported, each
#                      under the version node LOSSCORE_<major>;
#   -soname            liblosscore.so.<major> (LOSSCORE_VERSION_MAJOR of the header): programs
#                      record that name, so an ABI break is a new major; the build folder
#                      gets that name as a link too, so programs linked there still run;
#   -z nodelete        dlclose keeps the library mapped: its worker threads outlive calls
#                      (unloading it under them crashed a C host that dlclose'd it);
#   -target-cpu        on an x86-64 build machine with AVX2/FMA (Haswell, Zen and later)
#                      or AVX-512, the kernels use them (README "Performance" has the
#                      figures). Such a library needs such a CPU: set LOSSCORE_PORTABLE=1
#                      to build one for any x86-64 (SSE2), e.g. to ship it to other machines.
# These flags stay on the command line, not in Package.swift, so that other Swift
# packages can still depend on LossCore (SwiftPM refuses unsafeFlags in dependencies).
set -euo pipefail
cd "$(dirname "$0")/.."

# The CPU class of this machine: skylake-avx512 (AVX-512 F/CD/BW/DQ/VL, e.g. Zen 4 too),
# else haswell (AVX2/FMA), else none (baseline x86-64).
has_all() {
    local f
    for f in "$@"; do
        case "$cpu_flag_list" in *" $f "*) ;; *) return 1 ;; esac
    done
}
cpu_class=
if [ "${LOSSCORE_PORTABLE:-0}" != 1 ] && [ "$(uname -m)" = x86_64 ] && [ -r /proc/cpuinfo ]; then
    cpu_flag_list=" $(grep -m1 '^flags' /proc/cpuinfo) "
    if has_all avx avx2 fma bmi1 bmi2 movbe f16c abm; then
        cpu_class=haswell
        has_all avx512f avx512cd avx512bw avx512dq avx512vl && cpu_class=skylake-avx512
    fi
fi
cpu_flags=()
if [ -n "$cpu_class" ]; then
    # LOSSCORE_FMA: the kernels may fuse multiply-adds (see FusedMath in Math/ScalarMath.swift).
    cpu_flags=(-Xswiftc -target-cpu -Xswiftc "$cpu_class" -Xswiftc -DLOSSCORE_FMA)
    # LLVM's skylake-avx512 model keeps the loops it vectorizes itself (the elementwise
    # kernels) at 256 bits, and that is kept: 512-bit ones streamed memory slower. Where wider vectors pay
    # (compute-bound formulas, reductions without a buffer) the losses state themselves on
    # SIMD16 lanes instead (IndexedElementwiseLoss.lanes), which are 512-bit on AVX-512 CPUs.
fi

major=$(awk '$1 == "#define" && $2 == "LOSSCORE_VERSION_MAJOR" {print $3}' include/losscore.h)
[ -n "$major" ] || { echo "build: no LOSSCORE_VERSION_MAJOR in include/losscore.h" >&2; exit 1; }

# The optimized module compiles as one step of about two minutes (on two cores) that SwiftPM
# reports with a single line: a line every 20 s says it is still going. (The sleep's output
# goes nowhere, so that a reader of this script's output sees the end when the build ends.)
start=$SECONDS
(while sleep 20 </dev/null >/dev/null 2>&1; do
    echo "build: still compiling, $((SECONDS - start)) s so far (a full build takes about two minutes on two idle cores)"
done) &
ticker=$!
trap 'kill "$ticker" 2>/dev/null || true' EXIT

swift_args=(-c release --product losscore
    -Xswiftc -static-stdlib
    -Xswiftc -use-ld=lld
    -Xlinker --version-script="$PWD/scripts/exports.map"
    -Xlinker -soname -Xlinker "liblosscore.so.$major"
    -Xlinker -z -Xlinker nodelete "${cpu_flags[@]}" "$@")
swift build "${swift_args[@]}"
kill "$ticker" 2>/dev/null || true
bin=$(swift build "${swift_args[@]}" --show-bin-path)
ln -sfn liblosscore.so "$bin/liblosscore.so.$major"
echo "built liblosscore.so (release, for ${cpu_class:-any x86-64} CPUs) in $((SECONDS - start)) s"
