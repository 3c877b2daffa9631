#!/usr/bin/env bash
# Runs the C value tests (Tests/c/test_values: every loss against independent references)
# on every kernel set of the library, and checks that the set in use is the one the CPU
# and LOSSCORE_KERNELS call for:
#   natively, with LOSSCORE_KERNELS unset and set to each set this CPU has, with the
#   contract tests too (test_contract; its build_info test checks the set);
#   under qemu-x86_64 -cpu Nehalem (SSE4.2, no AVX: the baseline set) and -cpu Haswell
#   (AVX2 and FMA, no AVX-512: the avx2 set), where a library built for this machine's
#   CPU stops with SIGILL; the set is checked by build_info's kernels= field. (The kernels
#   have no AVX masked loads or stores, which qemu 7.2 faults on where every lane is off
#   at an unmapped address, e.g. an absent weight buffer; see Math/OptionalBuffer.swift.
#   The avx2 set's object is checked to have none, and a fault is a failure like any other.)
# then the Python reference tests (bindings/python/tests/test_reference.py, the committed
# torch reference data) natively with each set; and that a library of this machine's set only
# (LOSSCORE_NATIVE=1, built into .build/native if needed) refuses every call on the emulated
# Nehalem with LOSSCORE_ERROR_UNSUPPORTED_CPU and a message, where it used to stop with SIGILL.
#   scripts/test_cpus.sh [--skip-default] [LIBDIR]   (default .build/release, built by scripts/build.sh)
# --skip-default leaves out the native run with LOSSCORE_KERNELS unset (the test command has
# just run those C tests). Forcing the set the CPU would choose anyway is that same run, and
# is left out too.
# Without qemu-x86_64 (Debian: qemu-user; scripts/setup.sh installs it) or off x86-64, the
# emulated runs are skipped and the summary says so. Exits non-zero if any run fails.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
skip_default=0
[ "${1:-}" = --skip-default ] && { skip_default=1; shift; }
libdir=${1:-$repo/.build/release}
libdir=$(cd "$libdir" && pwd)
cd "$repo"

failed=()
passed=()
skipped=()
# Runs the C tests once: a label, the programs, then the environment for Tests/c/run.sh.
c_tests() {
    local label=$1 tests=$2 log
    shift 2
    log=$(mktemp)
    echo "== $label"
    # qemu warns on stderr about host features TCG lacks (pcid, x2apic, ...); not ours.
    if env "$@" TESTS="$tests" Tests/c/run.sh "$libdir" 2>&1 |
        grep -v "TCG doesn't support requested feature" >"$log"; then
        passed+=("$label: $(tail -n 1 "$log")")
    else
        grep -E "^FAIL|crashed|does not compile|error" "$log" | head -n 20 >&2 || true
        failed+=("$label: $(tail -n 1 "$log")")
    fi
    tail -n 1 "$log"
    rm -f "$log"
}

# The sets this CPU has, as the library's own detection sees them.
info=$(LOSSCORE_KERNELS= python3 -c 'import ctypes, sys
f = ctypes.CDLL(sys.argv[1]).losscore_build_info
f.restype = ctypes.c_char_p
print(f().decode())' "$libdir/liblosscore.so")
echo "native: $info"
native_tests="test_values test_contract"
auto=$(echo "$info" | sed -n 's/^kernels=\([^ ]*\).*/\1/p')  # the set this CPU runs unasked
if [ "$skip_default" = 1 ]; then
    skipped+=("native, LOSSCORE_KERNELS unset: the test command's C ABI tests are that run")
else
    c_tests "native, LOSSCORE_KERNELS unset" "$native_tests" LOSSCORE_KERNELS=
fi
for set in baseline avx2 avx512; do
    if [ "$set" = "$auto" ]; then
        skipped+=("native, LOSSCORE_KERNELS=$set: the set this CPU runs unasked (the run above)")
        continue
    fi
    case " $(echo "$info" | sed -n 's/.*compiled=\([^ ]*\).*/\1/p' | tr , ' ') " in
    *" $set "*) ;;
    *) skipped+=("native $set: not compiled into this library"); continue ;;
    esac
    case "$set" in
    avx2) need=avx2 ;;
    avx512) need=avx512bw ;;
    *) need= ;;
    esac
    if [ -n "$need" ] && ! echo "$info" | grep -q "cpu=.*\b$need\b"; then
        skipped+=("native $set: this CPU lacks $need")
        continue
    fi
    c_tests "native, LOSSCORE_KERNELS=$set" "$native_tests" LOSSCORE_KERNELS="$set"
done

# The emulated runs reach only the paths the value tests take with an absent buffer; the
# instructions themselves are checked in the avx2 set's object, which build.sh leaves.
kernels_o=$libdir/losscore.kernels/avx2.o
if [ ! -f "$kernels_o" ] || ! command -v objdump >/dev/null; then
    skipped+=("no AVX masked accesses in the avx2 set: no $kernels_o, or no objdump")
else
    masked=$(objdump -d --no-show-raw-insn "$kernels_o" | grep -c maskmov || true)
    if [ "$masked" = 0 ]; then
        passed+=("no AVX masked loads or stores (VMASKMOV, VPMASKMOV) in the avx2 set")
    else
        failed+=("the avx2 set has $masked AVX masked loads or stores (see Math/OptionalBuffer.swift)")
    fi
fi

if [ "$(uname -m)" != x86_64 ]; then
    skipped+=("qemu Nehalem, qemu Haswell: not an x86-64 machine")
elif ! command -v qemu-x86_64 >/dev/null; then
    skipped+=("qemu Nehalem, qemu Haswell: no qemu-x86_64 (install qemu-user, as scripts/setup.sh does)")
else
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
    cat >"$work/probe.c" <<'C'
#include <stdio.h>
#include "losscore.h"
int main(void) {
    float x[3] = {1, 2, 3}, y[3] = {0, 0, 0}, out = -1;
    losscore_status s = losscore_mse_loss_f32(x, y, NULL, 3, LOSSCORE_REDUCTION_SUM, &out, NULL, NULL, NULL);
    printf("%s\n", losscore_build_info());
    return !(s == LOSSCORE_OK && out == 14);
}
C
    ${CC:-cc} -I include "$work/probe.c" -L"$libdir" -llosscore -Wl,-rpath,"$libdir" -o "$work/probe"
    for run in Nehalem:baseline Haswell:avx2; do
        cpu=${run%:*} want=${run#*:}
        got=$(LOSSCORE_KERNELS= qemu-x86_64 -cpu "$cpu" "$work/probe" 2>/dev/null || echo "(the mse call failed)")
        echo "qemu -cpu $cpu: $got"
        case "$got" in
        "kernels=$want "*) passed+=("qemu-x86_64 -cpu $cpu runs the $want set (an mse_loss call: right value)") ;;
        *) failed+=("qemu-x86_64 -cpu $cpu: build_info '$got', expected kernels=$want") ;;
        esac
        # (The 16-bit twins are compared natively for every set above; under emulation they would
        # double the run.)
        c_tests "qemu-x86_64 -cpu $cpu" test_values LOSSCORE_KERNELS= LOSSCORE_TEST_MIRROR16=0 RUNNER="qemu-x86_64 -cpu $cpu"
    done

    if echo "$info" | grep -q "cpu=.*\bavx2\b"; then
        echo "== a library of this machine's set only, on the emulated Nehalem"
        # The set's module as the default build compiled it (the same flags): only a relink.
        LOSSCORE_NATIVE=1 LOSSCORE_KERNEL_SCRATCH="$(dirname "$libdir")/kernels" \
            scripts/build.sh --scratch-path .build/native >"$work/native.log" 2>&1 ||
            { tail -n 20 "$work/native.log" >&2; failed+=("LOSSCORE_NATIVE=1 scripts/build.sh failed"); }
        cat >"$work/refused.c" <<'C'
#include <stdio.h>
#include <string.h>
#include "losscore.h"
int main(void) {
    float x[2] = {1, 2}, y[2] = {0, 0}, out = -1;
    losscore_error e;
    losscore_status s = losscore_mse_loss_f32(x, y, NULL, 2, LOSSCORE_REDUCTION_MEAN, &out, NULL, NULL, &e);
    int ok = s == LOSSCORE_ERROR_UNSUPPORTED_CPU && e.status == s && out == -1 && strstr(e.message, "lacks avx") &&
             strcmp(losscore_last_error(), e.message) == 0 && strncmp(losscore_build_info(), "kernels=none ", 13) == 0 &&
             losscore_set_num_threads(1, NULL) == LOSSCORE_ERROR_UNSUPPORTED_CPU &&
             strcmp(losscore_version(), LOSSCORE_VERSION_STRING) == 0;
    printf("%s: status %s, \"%s\"\n", ok ? "refused" : "NOT REFUSED AS EXPECTED", losscore_status_string(s), e.message);
    return !ok;
}
C
        ${CC:-cc} -I include "$work/refused.c" -L.build/native/release -llosscore \
            -Wl,-rpath,"$repo/.build/native/release" -o "$work/refused"
        if qemu-x86_64 -cpu Nehalem "$work/refused" 2>/dev/null; then
            passed+=("a library of the $auto set only refuses its calls on the emulated Nehalem")
        else
            failed+=("a library of the $auto set only, on the emulated Nehalem: not refused as expected")
        fi
    else
        skipped+=("the refusal of a native-only library: this machine's set is the baseline")
    fi
fi

for set in baseline avx2 avx512; do
    # (The set this CPU runs unasked is the Python suite's own run.)
    if [ "$set" != "$auto" ] && echo "$info" | grep -q "compiled=[^ ]*\b$set\b"; then
        label="python reference tests, LOSSCORE_KERNELS=$set"
        echo "== $label"
        if out=$(LOSSCORE_KERNELS=$set LOSSCORE_LIBRARY="$libdir/liblosscore.so" \
            .venv/bin/python -m pytest -q -p no:cacheprovider bindings/python/tests/test_reference.py 2>&1); then
            passed+=("$label: $(echo "$out" | tail -n 1)")
        else
            echo "$out" | grep -E "^(FAILED|ERROR|E )" | head -n 20 >&2 || true
            failed+=("$label: $(echo "$out" | tail -n 1)")
        fi
        echo "$out" | tail -n 1
    fi
done

echo "== summary"
for line in "${passed[@]}"; do echo "ok: $line"; done
for line in "${skipped[@]+"${skipped[@]}"}"; do echo "skipped: $line"; done
for line in "${failed[@]+"${failed[@]}"}"; do echo "FAILED: $line"; done
[ ${#failed[@]} -eq 0 ]
