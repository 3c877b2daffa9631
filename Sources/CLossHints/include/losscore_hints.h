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

/* Sixteen bfloat16 values (the upper halves of floats) from any address, widened to
 * floats (exact): one zero-extension and shift, where Swift's generic conversion stayed an
 * out-of-line call. */
static inline __attribute__((always_inline)) losscore_float16 losscore_widen16_bf16(const void *address) {
    typedef unsigned short u16x16 __attribute__((ext_vector_type(16)));
    typedef unsigned int u32x16 __attribute__((ext_vector_type(16)));
    u16x16 h;
    __builtin_memcpy(&h, address, sizeof h);
    u32x16 w = __builtin_convertvector(h, u32x16) << 16;
    losscore_float16 v;
    __builtin_memcpy(&v, &w, sizeof v);
    return v;
}

/* Sixteen IEEE half-precision values from any address, widened to floats (exact). Without
 * F16C (the baseline kernels) in integer lanes: LLVM otherwise makes every lane a library
 * call, and the kernels' unrolled loops took minutes to compile. */
static inline __attribute__((always_inline)) losscore_float16 losscore_widen16_f16(const void *address) {
#if defined(__F16C__)
    typedef _Float16 f16x16 __attribute__((ext_vector_type(16)));
    f16x16 h;
    __builtin_memcpy(&h, address, sizeof h);
    return __builtin_convertvector(h, losscore_float16);
#else
    typedef unsigned short u16x16 __attribute__((ext_vector_type(16)));
    typedef unsigned int u32x16 __attribute__((ext_vector_type(16)));
    u16x16 h;
    __builtin_memcpy(&h, address, sizeof h);
    u32x16 x = __builtin_convertvector(h, u32x16);
    /* Exponent and significand moved into place and rebiased; infinities and NaNs get the
     * float's top exponent; subnormals are renormalized by one float subtraction. */
    u32x16 magnitude = (x & 0x7FFFu) << 13, exponent = magnitude & (0x1Fu << 23);
    magnitude += (127u - 15u) << 23;
    u32x16 special = (u32x16)(exponent == (0x1Fu << 23)), tiny = (u32x16)(exponent == 0);
    magnitude += special & ((128u - 16u) << 23);
    magnitude += tiny & (1u << 23);
    losscore_float16 f, renormalized, bias;
    __builtin_memcpy(&f, &magnitude, sizeof f);
    u32x16 biasBits = (u32x16)(113u << 23);
    __builtin_memcpy(&bias, &biasBits, sizeof bias);
    renormalized = f - bias;
    u32x16 r, fb;
    __builtin_memcpy(&r, &renormalized, sizeof r);
    __builtin_memcpy(&fb, &f, sizeof fb);
    u32x16 bits = ((r & tiny) | (fb & ~tiny)) | ((x & 0x8000u) << 16);
    __builtin_memcpy(&f, &bits, sizeof f);
    return f;
#endif
}

/* Sixteen floats rounded to bfloat16 (to nearest even; NaN becomes 0x7FC0) and stored at
 * any address: the vector form of BFloat16(Float). */
static inline __attribute__((always_inline)) void losscore_narrow16_bf16(void *address, losscore_float16 v) {
    typedef unsigned short u16x16 __attribute__((ext_vector_type(16)));
    typedef unsigned int u32x16 __attribute__((ext_vector_type(16)));
    u32x16 b;
    __builtin_memcpy(&b, &v, sizeof b);
    u32x16 rounded = (b + 0x7FFFu + ((b >> 16) & 1u)) >> 16;
    u32x16 nan = (u32x16)(v != v);
    u16x16 h = __builtin_convertvector((rounded & ~nan) | (0x7FC0u & nan), u16x16);
    __builtin_memcpy(address, &h, sizeof h);
}

/* Sixteen floats rounded to IEEE half precision (to nearest even; a NaN stays a NaN) and
 * stored at any address. Without F16C in integer lanes, as above. */
static inline __attribute__((always_inline)) void losscore_narrow16_f16(void *address, losscore_float16 v) {
#if defined(__F16C__)
    typedef _Float16 f16x16 __attribute__((ext_vector_type(16)));
    f16x16 h = __builtin_convertvector(v, f16x16);
    __builtin_memcpy(address, &h, sizeof h);
#else
    typedef unsigned short u16x16 __attribute__((ext_vector_type(16)));
    typedef unsigned int u32x16 __attribute__((ext_vector_type(16)));
    u32x16 b;
    __builtin_memcpy(&b, &v, sizeof b);
    u32x16 sign = b & 0x80000000u, a = b ^ sign;
    /* Overflow, infinity, NaN. */
    u32x16 big = (u32x16)(a >= ((127u + 16u) << 23));
    u32x16 top = ((u32x16)(a > (255u << 23)) & 0x7E00u) | (~(u32x16)(a > (255u << 23)) & 0x7C00u);
    /* Subnormal results and zero: adding 0.5 aligns the significand, the FPU rounds it. */
    u32x16 small = (u32x16)(a < (113u << 23));
    losscore_float16 af, magic;
    u32x16 magicBits = (u32x16)(((127u - 15u) + (23u - 10u) + 1u) << 23);
    __builtin_memcpy(&af, &a, sizeof af);
    __builtin_memcpy(&magic, &magicBits, sizeof magic);
    losscore_float16 sum = af + magic;
    u32x16 sumBits;
    __builtin_memcpy(&sumBits, &sum, sizeof sumBits);
    u32x16 sub = sumBits - magicBits;
    /* Normal results: rebias, round to nearest even on the 13 dropped bits. */
    u32x16 normal = (a + ((15u - 127u) << 23) + 0xFFFu + ((a >> 13) & 1u)) >> 13;
    u32x16 o = (big & top) | (~big & ((small & sub) | (~small & normal)));
    u16x16 h = __builtin_convertvector(o | (sign >> 16), u16x16);
    __builtin_memcpy(address, &h, sizeof h);
#endif
}

/* One half-precision value widened to a float and one float rounded to half precision: the
 * sixteen-lane forms above on lane 0 (the Float16 scalar conversions of the kernels). */
static inline __attribute__((always_inline)) float losscore_widen1_f16(unsigned short bits) {
    unsigned short lanes[16] = {bits};
    return losscore_widen16_f16(lanes)[0];
}

static inline __attribute__((always_inline)) unsigned short losscore_narrow1_f16(float value) {
    unsigned short lanes[16];
    losscore_float16 v = {value};
    losscore_narrow16_f16(lanes, v);
    return lanes[0];
}

/* Asks for the cache line holding `address` ahead of its use; never faults. */
static inline __attribute__((always_inline)) void losscore_prefetch(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

#endif
