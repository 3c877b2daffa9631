/* The kernel sets, the CPU features each needs, and the choice among them: what
 * losscore_build_info() reports (include/losscore.h, "Build and CPU"). Internal to LossCore;
 * static inline, exports nothing. Two users: the dispatching library's front
 * (scripts/kernels/front.c), which holds several sets, and the Swift core itself, which
 * answers for a library of one set (a plain `swift build`): the same rules and the same line.
 */
#ifndef LOSSCORE_CPU_H
#define LOSSCORE_CPU_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if defined(__x86_64__)
#include <cpuid.h>
#endif

/* The sets, lowest first; a bit mask of them says which a library holds. */
enum { LOSSCORE_SET_BASELINE, LOSSCORE_SET_AVX2, LOSSCORE_SET_AVX512, LOSSCORE_NUM_SETS };

static inline const char *losscore_set_name(int set) {
    return set == LOSSCORE_SET_AVX512 ? "avx512" : set == LOSSCORE_SET_AVX2 ? "avx2" : set == LOSSCORE_SET_BASELINE ? "baseline" : "none";
}

/* The set the including code is compiled for, from the compiler's target macros (LLVM's
 * skylake-avx512 and haswell models define these). */
static inline int losscore_compiled_set(void) {
#if defined(__AVX512F__) && defined(__AVX512BW__) && defined(__AVX512DQ__) && defined(__AVX512VL__) && defined(__AVX512CD__)
    return LOSSCORE_SET_AVX512;
#elif defined(__AVX2__) && defined(__FMA__) && defined(__BMI2__)
    return LOSSCORE_SET_AVX2;
#else
    return LOSSCORE_SET_BASELINE;
#endif
}

/* The words the features are read from: cpuid leaf 1 ECX, leaf 7 EBX, leaf 0x80000001 ECX,
 * and the register states the OS saves (bit 2: YMM, bit 5: ZMM, from XGETBV). */
enum { LOSSCORE_LEAF1_ECX, LOSSCORE_LEAF7_EBX, LOSSCORE_LEAF80000001_ECX, LOSSCORE_OS_STATE, LOSSCORE_NUM_WORDS };

/* A feature a set's code may use: its name in build_info, the lowest set that needs it. */
typedef struct {
    const char *name;
    int set, word, bit;
} losscore_feature;

#define LOSSCORE_NUM_FEATURES 19
static const losscore_feature losscore_features[LOSSCORE_NUM_FEATURES] = {
    {"ssse3", LOSSCORE_SET_AVX2, LOSSCORE_LEAF1_ECX, 9},
    {"sse4.1", LOSSCORE_SET_AVX2, LOSSCORE_LEAF1_ECX, 19},
    {"sse4.2", LOSSCORE_SET_AVX2, LOSSCORE_LEAF1_ECX, 20},
    {"popcnt", LOSSCORE_SET_AVX2, LOSSCORE_LEAF1_ECX, 23},
    {"avx", LOSSCORE_SET_AVX2, LOSSCORE_LEAF1_ECX, 28},
    {"f16c", LOSSCORE_SET_AVX2, LOSSCORE_LEAF1_ECX, 29},
    {"fma", LOSSCORE_SET_AVX2, LOSSCORE_LEAF1_ECX, 12},
    {"movbe", LOSSCORE_SET_AVX2, LOSSCORE_LEAF1_ECX, 22},
    {"avx2", LOSSCORE_SET_AVX2, LOSSCORE_LEAF7_EBX, 5},
    {"bmi1", LOSSCORE_SET_AVX2, LOSSCORE_LEAF7_EBX, 3},
    {"bmi2", LOSSCORE_SET_AVX2, LOSSCORE_LEAF7_EBX, 8},
    {"lzcnt", LOSSCORE_SET_AVX2, LOSSCORE_LEAF80000001_ECX, 5},
    {"os-ymm", LOSSCORE_SET_AVX2, LOSSCORE_OS_STATE, 2},
    {"avx512f", LOSSCORE_SET_AVX512, LOSSCORE_LEAF7_EBX, 16},
    {"avx512dq", LOSSCORE_SET_AVX512, LOSSCORE_LEAF7_EBX, 17},
    {"avx512cd", LOSSCORE_SET_AVX512, LOSSCORE_LEAF7_EBX, 28},
    {"avx512bw", LOSSCORE_SET_AVX512, LOSSCORE_LEAF7_EBX, 30},
    {"avx512vl", LOSSCORE_SET_AVX512, LOSSCORE_LEAF7_EBX, 31},
    {"os-zmm", LOSSCORE_SET_AVX512, LOSSCORE_OS_STATE, 5},
};

/* This CPU's words; all zero off x86-64 (where only the baseline set exists). */
static inline void losscore_cpu_words(unsigned words[LOSSCORE_NUM_WORDS]) {
    memset(words, 0, LOSSCORE_NUM_WORDS * sizeof words[0]);
#if defined(__x86_64__)
    unsigned a, b, c, d, max = __get_cpuid_max(0, NULL);
    if (max >= 1 && __get_cpuid(1, &a, &b, &c, &d)) {
        words[LOSSCORE_LEAF1_ECX] = c;
        if (c & (1u << 27)) { /* OSXSAVE: XGETBV tells which register states the OS saves */
            unsigned lo, hi;
            __asm__("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
            (void)hi;
            /* YMM: the SSE and AVX states (bits 1, 2); ZMM: those and opmask, ZMM halves (5-7). */
            words[LOSSCORE_OS_STATE] = ((lo & 0x6) == 0x6 ? 1u << 2 : 0) | ((lo & 0xE6) == 0xE6 ? 1u << 5 : 0);
        }
    }
    if (max >= 7) {
        __cpuid_count(7, 0, a, b, c, d);
        words[LOSSCORE_LEAF7_EBX] = b;
    }
    if (__get_cpuid_max(0x80000000, NULL) >= 0x80000001 && __get_cpuid(0x80000001, &a, &b, &c, &d))
        words[LOSSCORE_LEAF80000001_ECX] = c;
#endif
}

static inline void losscore_append(char *buffer, size_t size, const char *separator, const char *text) {
    size_t used = strlen(buffer);
    if (used + 1 < size) snprintf(buffer + used, size - used, "%s%s", used ? separator : "", text);
}

/* Whether this CPU runs `set`; if not and `missing` is given, the features it lacks. */
static inline int losscore_set_runs(const unsigned words[LOSSCORE_NUM_WORDS], int set, char *missing, size_t size) {
    int runs = 1;
#if !defined(__x86_64__)
    if (set != LOSSCORE_SET_BASELINE) runs = 0;
#endif
    for (int i = 0; i < LOSSCORE_NUM_FEATURES; i++) {
        const losscore_feature *f = &losscore_features[i];
        if (f->set <= set && !((words[f->word] >> f->bit) & 1)) {
            runs = 0;
            if (missing) losscore_append(missing, size, ", ", f->name);
        }
    }
    return runs;
}

/* The set to run among those of `compiled` (a mask): the highest this CPU runs that
 * LOSSCORE_KERNELS allows (it names a lower set to use; any other value is ignored); if
 * LOSSCORE_KERNELS names a set lower than any compiled in, the lowest compiled-in set that
 * runs; -1 if none runs. Writes build_info's line into `info`. */
static inline int losscore_choose_set(unsigned compiled, char *info, size_t size) {
    unsigned words[LOSSCORE_NUM_WORDS];
    losscore_cpu_words(words);
    const char *request = getenv("LOSSCORE_KERNELS");
    const char *note = "";
    int ceiling = LOSSCORE_NUM_SETS - 1, chosen = -1;
    if (request && request[0] && strcmp(request, "auto") != 0) {
        note = " (unknown: ignored)";
        for (int set = 0; set < LOSSCORE_NUM_SETS; set++)
            if (strcmp(request, losscore_set_name(set)) == 0) ceiling = set, note = "";
    } else {
        request = "auto";
    }
    for (int set = ceiling; set >= 0 && chosen < 0; set--)
        if ((compiled >> set & 1) && losscore_set_runs(words, set, NULL, 0)) chosen = set;
    for (int set = ceiling + 1; set < LOSSCORE_NUM_SETS && chosen < 0; set++)
        if ((compiled >> set & 1) && losscore_set_runs(words, set, NULL, 0)) chosen = set;

    char sets[64] = "", cpu[256] = "";
    for (int set = LOSSCORE_NUM_SETS - 1; set >= 0; set--)
        if (compiled >> set & 1) losscore_append(sets, sizeof sets, ",", losscore_set_name(set));
    for (int i = 0; i < LOSSCORE_NUM_FEATURES; i++)
        if ((words[losscore_features[i].word] >> losscore_features[i].bit) & 1)
            losscore_append(cpu, sizeof cpu, ",", losscore_features[i].name);
    snprintf(info, size, "kernels=%s compiled=%s cpu=%s requested=%s%s", losscore_set_name(chosen), sets,
             cpu[0] ? cpu : "-", request, note);
    return chosen;
}

#endif
