#!/usr/bin/env bash
# Builds the shipped, self-contained liblosscore.so into .build/release/:
#   -static-stdlib     the Swift runtime and Dispatch are linked in, so `ldd` shows only
#                      the C and C++ runtime and users need no Swift toolchain;
#   lld + exports.map  only the losscore_* symbols of include/losscore.h are exported;
#   -target-cpu        on an x86-64 build machine with AVX2 and FMA (Haswell, Zen and
#                      later), the kernels use them (about 1.8x on the softmax family).
#                      Such a library needs such a CPU: set LOSSCORE_PORTABLE=1 to build
#                      one for any x86-64 (SSE2), e.g. to ship it to other machines.
# These flags stay on the command line, not in Package.swift, so that other Swift
# packages can still depend on LossCore (SwiftPM refuses unsafeFlags in dependencies).
set -euo pipefail
cd "$(dirname "$0")/.."

cpu_flags=()
if [ "${LOSSCORE_PORTABLE:-0}" != 1 ] && [ "$(uname -m)" = x86_64 ] && [ -r /proc/cpuinfo ]; then
    flags=" $(grep -m1 '^flags' /proc/cpuinfo) "
    haswell=yes
    for f in avx avx2 fma bmi1 bmi2 movbe f16c abm; do
        case "$flags" in *" $f "*) ;; *) haswell=no ;; esac
    done
    [ "$haswell" = yes ] && cpu_flags=(-Xswiftc -target-cpu -Xswiftc haswell)
fi

swift build -c release --product losscore \
    -Xswiftc -static-stdlib \
    -Xswiftc -use-ld=lld \
    -Xlinker --version-script="$PWD/scripts/exports.map" "${cpu_flags[@]}" "$@"
echo "built liblosscore.so (release${cpu_flags:+, tuned for this CPU: AVX2/FMA})"
