/* Hints to the CPU and to the optimizer that the Swift core needs and Swift cannot spell.
 * Internal to LossCore (not part of the C API in include/losscore.h); static inline, so
 * they compile into the Swift code that calls them and export nothing. */
#ifndef LOSSCORE_HINTS_H
#define LOSSCORE_HINTS_H

/* The kernel sets and the CPU features they need (named here too, so that a module built
 * before that header existed is rebuilt with it). */
#include "losscore_cpu.h"

/* Tells the core that this is a spin-wait loop (x86 `pause`, arm64 `yield`): the loop
 * then leaves the core's resources to a sibling hardware thread, and its exit does not
 * flush the pipeline. */
static inline __attribute__((always_inline)) void losscore_spin_pause(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}

/* Sixteen floats; Swift sees this type as SIMD16<Float>. */
typedef float losscore_float16 __attribute__((ext_vector_type(16)));

/* Returns `v` unchanged, through a point LLVM's optimizer cannot see into. Where a 16-lane
 * result is later split into halves (widened to double), LLVM otherwise splits the whole
 * computation that produced it into 256-bit halves, masks included. No instruction. */
static inline __attribute__((always_inline)) losscore_float16 losscore_opaque16(losscore_float16 v) {
#if defined(__AVX512F__)
    __asm__("" : "+v"(v));
#endif
    return v;
}

/* Sixteen floats from / to any address (no alignment needed). Swift's own generic
 * loadUnaligned / storeBytes stayed out-of-line calls, taking the vector in 128-bit pieces,
 * inside functions as large as a loss formula with two vector logs: LLVM inlines these. */
static inline __attribute__((always_inline)) losscore_float16 losscore_load16(const void *address) {
    losscore_float16 v;
    __builtin_memcpy(&v, address, sizeof v);
    return v;
}

static inline __attribute__((always_inline)) void losscore_store16(void *address, losscore_float16 v) {
    __builtin_memcpy(address, &v, sizeof v);
}

/* Asks for the cache line holding `address` ahead of its use; never faults. */
static inline __attribute__((always_inline)) void losscore_prefetch(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

#endif
