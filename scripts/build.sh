#!/usr/bin/env bash
# Builds the shipped, self-contained liblosscore.so into .build/release/:
#   -static-stdlib     the Swift runtime and Dispatch are linked in, so `ldd` shows only
#                      the C and C++ runtime and users need no Swift toolchain;
#   lld + exports.map  only the losscore_* symbols of include/losscore.h are exported.
# These flags stay on the command line, not in Package.swift, so that other Swift
# packages can still depend on LossCore (SwiftPM refuses unsafeFlags in dependencies).
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product losscore \
    -Xswiftc -static-stdlib \
    -Xswiftc -use-ld=lld \
    -Xlinker --version-script="$PWD/scripts/exports.map" "$@"
echo "built liblosscore.so (release)"
