/* A CPU hint the Swift core needs and Swift cannot spell. Internal to LossCore (not part
 * of the C API in include/losscore.h); static inline, so it compiles into the Swift code
 * that calls it and exports nothing. */
#ifndef LOSSCORE_HINTS_H
#define LOSSCORE_HINTS_H

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

#endif
