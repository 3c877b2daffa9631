/*
 * fuzz_exports.c - a libFuzzer harness that drives every loss export of include/losscore.h
 * through the generated export table (Tests/c/exports.h, exports_table.h), so an export added
 * to the header is fuzzed without an edit here, and checks the header's contract on every call.
 *
 * Build and run with scripts/fuzz.sh; reproduce a crash with `fuzz_exports CRASH-FILE`.
 *
 * An input is decoded as (all integers little-endian; make_corpus.py writes the same layout):
 *   u16 export    index into LC_EXPORTS, modulo its size
 *   u8  threads   bits 0-1: thread count of the call {1, 2, 4, 0 = default}; bits 2-3: the
 *                 count of the repeated call; bit 4: repeat the call and compare bitwise;
 *                 bit 5: also probe losscore_set_num_threads with an invalid value
 *   u8  reduction < 0xF0: value % 3; else one of the invalid values in BAD_REDUCTIONS
 *   u8  size mode low 4 bits: 0-9 small, 10-13 medium, 14 large (about 2^15..2^16 elements), 15 huge
 *   u16 a, b, d   the three size fields (their meaning depends on the mode; sequences: n, c, t)
 *   u8  pos_weight_count mode (weight_count mode for the exports that take one; var_repeat /
 *                 var_inner mode for an export with them; sequences: s, 0 for concatenated
 *                 targets, in the huge mode an index into HUGE_SIZES),
 *   u8  ignore_index mode (bits 0-3; sequences: bits 4-6 the blank)
 *   u8  x4        option codes (options[k], see option_value)
 *   u8  present   bit 0 weight, 1 pos_weight, 2 grad_output, 3 grad_input (each when the
 *                 export has it); bits 4-5: spare sentinel elements after out and grad_input;
 *                 row tuples: bit 3 also gives the other operands' gradients, except the
 *                 second's where bit 6 is set and the third's where bit 7 is
 *   u8  nulls     >= 0xC0: bit 0 input, bit 1 target, bit 2 out, bit 3 the second operand
 *                 (sequences: input_lengths), bit 4 the third (target_lengths) are NULL
 *   u8  data      bits 0-2: value range of float data; 3-5: class index pattern (and the
 *                 lengths' mode of sequences, see draw_lengths);
 *                 bit 6: weights from the data range; bit 7: grad_output from the data range
 *   u32 seed      of the generator that fills every buffer
 *   f64 each      the value of each option whose code says "raw", in order
 *   then specials, 4 bytes each: u8 buffer (input, target, weight, pos_weight, grad_output;
 *   "input" is any operand of a row tuple: the position picks which), u16 position (modulo its count; spread over the whole of a large buffer), u8 value code
 *   (see special_float and special_index; >= 0xF8: 8 raw bytes follow, a float takes the
 *   low 4, a 16-bit float the low 2).
 * The 16-bit exports (_f16, _bf16) take the same inputs: float data is rounded to their type,
 * and "any bit pattern" data are any 16 bits (NaNs of every payload, infinities, subnormals).
 *
 * Contract checks on every call (a violation prints the call and aborts, so libFuzzer keeps
 * the input as a crash):
 *   - the status is a losscore_status value;
 *   - on error: out and grad_input keep every sentinel byte (nothing is written on failure),
 *     and losscore_last_error() is a non-empty message naming the function;
 *   - on success: losscore_last_error() is ""; every element of out (n values under NONE,
 *     out[0] alone when reduced) and of grad_input (when given) is written, and nothing past
 *     them; the inputs are unchanged (they are const);
 *   - calls that the header's conventions refuse (invalid reduction or option, NULL required
 *     buffer, c = 0 with positions, a bad pos_weight_count or weight_count, a class index
 *     outside [0, c) or a label outside [-1, c), data
 *     outside a loss's documented data domain, sizes whose buffers cannot exist; for sequences
 *     a blank outside [0, c), a length out of range, a target read outside [0, c)) fail, and
 *     calls with none of these, moderate sizes and valid data succeed;
 *   - a repeated successful call with another thread count gives bitwise identical outputs;
 *   - a 16-bit export's call is its f32 twin's on the values widened to float (the header's
 *     "16-bit storage", lc_twin_agrees in exports.h): the same status, on failure the same
 *     message but for the name, on success every output the twin's rounded once, bitwise.
 * Sizes whose buffers cannot exist get small buffers (or NULL): the library must refuse before
 * touching them, and AddressSanitizer reports any access. Sizes that could exist but are too
 * large to allocate here are not called.
 *
 * FUZZ_EXPORTS_VERBOSE=1 prints every call and its status (to see what an input exercises).
 */
#define _POSIX_C_SOURCE 200809L

#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exports.h"

/* Total bytes one input may allocate (buffers and copies): large enough for the parallel
 * paths, small enough for many executions per second. */
#define CAP_BYTES ((size_t)64 << 20)

/* Elements of each buffer when the sizes describe buffers that cannot exist. */
#define SMALL_COUNT 4

/* Output sentinels: signalling NaNs with a payload no arithmetic produces (arithmetic returns
 * quiet NaNs) and that the data never contain, so a sentinel left in place means "not written". */
static const uint64_t SENT64 = 0x7FF5A5A5A5A5A5A5ull;
static const uint32_t SENT32 = 0x7FA5A5A5u;
static const uint16_t SENT_F16 = 0x7CA5u, SENT_BF16 = 0x7FA5u;

/* ------------------------------------------------------------------------ */
/* Reading the input                                                          */
/* ------------------------------------------------------------------------ */

typedef struct {
    const uint8_t *p;
    size_t left;
} reader;

static uint64_t rd(reader *r, int bytes) {
    uint64_t v = 0;
    for (int i = 0; i < bytes; i++) {
        uint64_t b = 0;
        if (r->left) b = *r->p++, r->left--;
        v |= b << (8 * i);
    }
    return v;
}

static double rd_double(reader *r) {
    uint64_t bits = rd(r, 8);
    double d;
    memcpy(&d, &bits, sizeof d);
    return d;
}

/* SplitMix64: fills the buffers deterministically from the input's seed. */
static uint64_t rng_state;
static uint64_t rng_next(void) {
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}
static double rng_unit(void) { return (double)(rng_next() >> 11) / 9007199254740992.0; }

/* ------------------------------------------------------------------------ */
/* Sizes                                                                      */
/* ------------------------------------------------------------------------ */

#define TWO(k) ((size_t)1 << (k))

/* Sizes of the huge mode: values whose buffers cannot exist, products of two that wrap or
 * pass PTRDIFF_MAX, byte counts that overflow for 4- or 8-byte elements, and small ones to
 * pair them with. */
static const size_t HUGE_SIZES[] = {
    SIZE_MAX,         SIZE_MAX - 1,      TWO(63),          TWO(63) + 1,         TWO(62),
    TWO(62) * 3,      TWO(61),           TWO(60),          TWO(60) + 3,         TWO(61) + 3,
    TWO(32),          TWO(32) + 1,       TWO(32) - 1,      TWO(31) + 1,         PTRDIFF_MAX,
    PTRDIFF_MAX / 4 + 1, PTRDIFF_MAX / 8 + 1, SIZE_MAX / 4 + 1, SIZE_MAX / 8 + 1, TWO(40),
    0,                1,                 2,                3,                   7,
};
#define N_HUGE (sizeof HUGE_SIZES / sizeof HUGE_SIZES[0])

/* a * b, saturating at SIZE_MAX (0 if either is 0). */
static size_t mul_sat(size_t a, size_t b) {
    if (a == 0 || b == 0) return 0;
    return a > SIZE_MAX / b ? SIZE_MAX : a * b;
}

/* ------------------------------------------------------------------------ */
/* Values                                                                     */
/* ------------------------------------------------------------------------ */

static const int BAD_REDUCTIONS[16] = {3, 4, 7, -1, -2, INT_MAX, INT_MIN, 255, 256, -100, 1 << 16, 65537, 100, 5, 6, INT_MAX - 1};

/* Special data values: non-finite, signed zeros, denormals, the extremes of both types, and
 * the edges of the losses' formulas (probabilities 0 and 1 and next to them, logits where
 * exp overflows or softplus saturates). */
static double special_float(int k) {
    static const double v[] = {
        NAN, -NAN, INFINITY, -INFINITY, 0.0, -0.0, 4.9406564584124654e-324, -4.9406564584124654e-324,
        1.4012984643248171e-45, 1.1754943508222875e-38, 2.2250738585072014e-308, 3.4028234663852886e+38,
        -3.4028234663852886e+38, DBL_MAX, -DBL_MAX, 1.0, -1.0, 0.5, 2.0, 1e-12, 0.99999994039535522,
        0.99999999999999989, 1.0000000000000002, -800.0, 800.0, 100.0, -100.0, 20.0, -20.0, 1e300, 88.8, -104.0,
        /* binary16's largest value, the one above it that rounds to inf, its smallest subnormal
         * and normal, 1 - its ulp; bfloat16's 1 - ulp and a value its rounding takes to inf */
        65504.0, -65520.0, 5.9604644775390625e-08, 6.103515625e-05, 0.99951171875, 0.99609375, 3.3961775292304957e+38,
    };
    return v[k % (int)(sizeof v / sizeof v[0])];
}

static int64_t special_index(int k, size_t c, int64_t ignore_index) {
    int64_t ci = c > (size_t)INT64_MAX ? INT64_MAX : (int64_t)c;
    const int64_t v[] = {-1, ci, ci + (ci < INT64_MAX), ignore_index, INT64_MIN, INT64_MAX, -100, 0,
                         ci - 1, 1, 2, INT64_MIN + 1, ci > INT64_MAX / 2 ? ci : ci * 2, (int64_t)1 << 32, -((int64_t)1 << 32), -101};
    return v[k % 16];
}

/* An option value from a code: the domain's ends and their neighbours, NaN, infinities,
 * signed zeros, denormals, extremes, common values, random values inside the domain, or raw
 * bits (*raw is set: the value is read after the codes). */
static double option_value(const lc_option *o, uint8_t code, int *raw) {
    *raw = 0;
    if (code >= 0x80) {
        if (code & 1) return o->typical;
        if (o->flag) return o->lo + (double)(rng_next() % (uint64_t)(o->hi - o->lo + 1));
        /* Inside the domain, drawn from the generator. */
        double lo = isfinite(o->lo) ? o->lo : -1e6, hi = isfinite(o->hi) ? o->hi : 1e6;
        double v = lo + (hi - lo) * rng_unit();
        if ((o->lo_open && v <= o->lo) || (o->hi_open && v >= o->hi)) v = o->typical;
        return v;
    }
    switch (code % 32) {
    case 0: return NAN;
    case 1: return -NAN;
    case 2: return INFINITY;
    case 3: return -INFINITY;
    case 4: return 0.0;
    case 5: return -0.0;
    case 6: return 4.9406564584124654e-324;
    case 7: return -4.9406564584124654e-324;
    case 8: return DBL_MIN;
    case 9: return DBL_MAX;
    case 10: return -DBL_MAX;
    case 11: return o->lo;
    case 12: return o->hi;
    case 13: return nextafter(o->lo, -INFINITY);
    case 14: return nextafter(o->lo, INFINITY);
    case 15: return nextafter(o->hi, -INFINITY);
    case 16: return nextafter(o->hi, INFINITY);
    case 24: return 1.0;
    case 25: return 0.5;
    case 26: return 2.0;
    case 27: return -1.0;
    case 28: return 1e-300;
    case 29: return 1e300;
    case 30: return 1e-3;
    case 31: *raw = 1; return 0;
    default: return o->typical;
    }
}

/* A float data value for range mode m. */
static double data_value(int m) {
    switch (m & 7) {
    case 0: return rng_unit();                                  /* probabilities */
    case 1: return 6 * rng_unit() - 3;
    case 2: return 60 * rng_unit() - 30;
    case 3: return 2e4 * rng_unit() - 1e4;
    case 4: {                                                   /* magnitudes 1e-40 .. 1e40 */
        double v = pow(10.0, 80 * rng_unit() - 40);
        return (rng_next() & 1) ? -v : v;
    }
    case 5: return (double)(rng_next() % 3) * 0.5;              /* exactly 0, 0.5, 1 */
    case 6: {                                                   /* any bit pattern */
        uint64_t bits = rng_next();
        double d;
        memcpy(&d, &bits, sizeof d);
        return d;
    }
    default: return (double)((int)(rng_next() % 5) - 2);        /* small integers: ties, kinks */
    }
}

/* The sentinel of a 16-bit buffer. */
static uint16_t sent16(lc_type t) { return t == LC_BF16 ? SENT_BF16 : SENT_F16; }

/* Stores v (or raw bits) as element i of a float, double or 16-bit buffer (v rounded to float,
 * then to the 16-bit type), never as the sentinel (nor the sentinel with its sign flipped: a
 * negation would turn it into the sentinel). */
static void store_float(lc_type t, void *buf, size_t i, double v, const uint64_t *raw_bits) {
    if (lc_is_16bit(t)) {
        uint16_t b = raw_bits ? (uint16_t)*raw_bits : lc_round16(t, (float)v);
        if ((b & 0x7FFFu) == sent16(t)) b = t == LC_BF16 ? 0x7FC0u : 0x7E00u;
        memcpy((uint16_t *)buf + i, &b, sizeof b);
    } else if (t == LC_FLOAT) {
        float f = (float)v;
        uint32_t b;
        if (raw_bits) {
            b = (uint32_t)*raw_bits;
        } else {
            memcpy(&b, &f, sizeof b);
        }
        if ((b & 0x7FFFFFFFu) == (SENT32 & 0x7FFFFFFFu)) b = 0x7FC00000u;
        memcpy((float *)buf + i, &b, sizeof b);
    } else {
        uint64_t b;
        if (raw_bits) {
            b = *raw_bits;
        } else {
            memcpy(&b, &v, sizeof b);
        }
        if ((b & 0x7FFFFFFFFFFFFFFFull) == (SENT64 & 0x7FFFFFFFFFFFFFFFull)) b = 0x7FF8000000000000ull;
        memcpy((double *)buf + i, &b, sizeof b);
    }
}

static double load_float(lc_type t, const void *buf, size_t i) {
    if (lc_is_16bit(t)) return (double)lc_widen16(t, ((const uint16_t *)buf)[i]);
    return t == LC_FLOAT ? (double)((const float *)buf)[i] : ((const double *)buf)[i];
}

static int is_sentinel(lc_type t, const void *buf, size_t i) {
    if (lc_is_16bit(t)) return ((const uint16_t *)buf)[i] == sent16(t);
    if (t == LC_FLOAT) {
        uint32_t b;
        memcpy(&b, (const float *)buf + i, sizeof b);
        return b == SENT32;
    }
    uint64_t b;
    memcpy(&b, (const double *)buf + i, sizeof b);
    return b == SENT64;
}

static void fill_sentinel(lc_type t, void *buf, size_t count) {
    size_t es = lc_type_size(t), total = count * es, done;
    if (count == 0) return;
    if (lc_is_16bit(t)) {
        uint16_t b = sent16(t);
        memcpy(buf, &b, 2);
    } else if (t == LC_FLOAT) {
        memcpy(buf, &SENT32, 4);
    } else {
        memcpy(buf, &SENT64, 8);
    }
    for (done = es; done < total; done *= 2) memcpy((char *)buf + done, buf, done * 2 <= total ? done : total - done);
}

/* ------------------------------------------------------------------------ */
/* Reporting                                                                  */
/* ------------------------------------------------------------------------ */

static char call_text[1024];

static void violation(const char *fmt, ...) {
    va_list args;
    va_start(args, fmt);
    fprintf(stderr, "\n==== CONTRACT VIOLATION: ");
    vfprintf(stderr, fmt, args);
    fprintf(stderr, "\n==== call: %s\n", call_text);
    fprintf(stderr, "==== last_error: \"%s\"\n", losscore_last_error());
    va_end(args);
    abort();
}

static const char *status_name(losscore_status s) { return losscore_status_string(s); }

/* FUZZ_EXPORTS_VERBOSE set: print every call and its status. */
static int verbose(void) {
    static int v = -1;
    if (v < 0) v = getenv("FUZZ_EXPORTS_VERBOSE") != NULL;
    return v;
}

/* ------------------------------------------------------------------------ */
/* One input                                                                  */
/* ------------------------------------------------------------------------ */

/* The five buffers specials can name come first (their codes are the input's layout). */
enum { B_INPUT, B_TARGET, B_WEIGHT, B_POS_WEIGHT, B_GRAD_OUTPUT, B_INPUT2, B_INPUT3, B_INPUT_LENGTHS, B_TARGET_LENGTHS,
       B_DATA, B_OUT = B_DATA, B_GRAD_INPUT, B_GRAD_INPUT2, B_GRAD_INPUT3, B_ALL };
enum { B_NAMED = B_INPUT2 };
static const char *const BUF_NAME[B_ALL] = {"input", "target", "weight", "pos_weight", "grad_output", "input2", "input3",
                                            "input_lengths", "target_lengths", "out", "grad_input", "grad_input2",
                                            "grad_input3"};

/* Sequences' lengths, drawn before the buffers are sized (concatenated targets are as many as
 * the target lengths sum to). Modes (bits 3-5 of the data byte): 0-4 valid (every frame or
 * fewer, targets that fit), 5 one length out of range, 6 any lengths up to t and s, 7 wild
 * int64 values. */
static uint64_t below(uint64_t z, size_t bound) { return bound ? z % bound : z; } /* (bound 0: t + 1 wrapped) */

static void draw_lengths(int mode, size_t n, size_t t, size_t s, int64_t *il, int64_t *tl) {
    size_t half = t / 2 + 1, cap = s ? (s < half ? s : half) : half;
    for (size_t b = 0; b < n; b++) {
        uint64_t z = rng_next();
        if (mode <= 5) {
            il[b] = (int64_t)(t - (z % 3 < t ? z % 3 : t) * ((z >> 8) % 2));
            tl[b] = (int64_t)below(z >> 16, cap + 1);
        } else if (mode == 6) {
            il[b] = (int64_t)below(z >> 8, t + 1), tl[b] = (int64_t)below(z >> 24, (s ? s : t) + 1);
        } else {
            const int64_t wild[] = {-1, INT64_MIN, INT64_MAX, (int64_t)t + 1, (int64_t)s + 1, (int64_t)TWO(40), 0, 1};
            il[b] = z % 4 ? (int64_t)below(z, t + 1) : wild[(z >> 8) % 8];
            tl[b] = z % 5 ? (int64_t)below(z >> 16, cap + 1) : wild[(z >> 24) % 8];
        }
    }
    if (mode == 5 && n) {
        uint64_t z = rng_next();
        int64_t bad[] = {(int64_t)t + 1, -1, s ? (int64_t)s + 1 : -2, -1};
        (z % 2 ? il : tl)[(z >> 8) % n] = bad[(z >> 16) % 4];
    }
}

typedef struct {
    void *p;      /* what the call gets (NULL, or the buffer) */
    void *mem;    /* the allocation */
    void *copy;   /* inputs: a copy to compare after the call */
    size_t count; /* elements the call may use (its documented count) */
    size_t alloc; /* elements allocated */
    lc_type type;
    int in_play;  /* its size matters for this call */
} buffer;

static const int THREADS[4] = {1, 2, 4, 0};

static void set_threads(int t) {
    losscore_status s = losscore_set_num_threads(t, NULL);
    if (s != LOSSCORE_OK) violation("losscore_set_num_threads(%d) returned %s", t, status_name(s));
    int got = losscore_get_num_threads();
    if (got < 1 || (t > 0 && got != t)) violation("losscore_get_num_threads() = %d after setting %d", got, t);
}

/* An invalid thread count is refused and changes nothing. */
static void probe_bad_threads(uint8_t sel) {
    static const int bad[4] = {-1, 1025, INT_MIN, INT_MAX};
    int before = losscore_get_num_threads();
    losscore_status s = losscore_set_num_threads(bad[sel % 4], NULL);
    if (s != LOSSCORE_ERROR_INVALID_ARGUMENT)
        violation("losscore_set_num_threads(%d) returned %s, expected LOSSCORE_ERROR_INVALID_ARGUMENT", bad[sel % 4], status_name(s));
    if (losscore_last_error()[0] == '\0') violation("losscore_set_num_threads(%d) failed without a message", bad[sel % 4]);
    if (losscore_get_num_threads() != before) violation("a refused losscore_set_num_threads(%d) changed the thread count", bad[sel % 4]);
}

/* Every output element in [0, count) is written, and none in [count, alloc). */
static void check_written(const buffer *b, const char *name) {
    for (size_t i = 0; i < b->count; i++)
        if (is_sentinel(b->type, b->mem, i)) violation("success, but %s[%zu] of %zu was not written", name, i, b->count);
    for (size_t i = b->count; i < b->alloc; i++)
        if (!is_sentinel(b->type, b->mem, i)) violation("%s[%zu] was written: only %zu values belong to this call", name, i, b->count);
}

static void check_untouched(const buffer *b, const char *name) {
    for (size_t i = 0; i < b->alloc; i++)
        if (!is_sentinel(b->type, b->mem, i)) violation("a failed call wrote %s[%zu]", name, i);
}

static void check_inputs_unchanged(buffer *bufs) {
    for (int k = 0; k < B_DATA; k++)
        if (bufs[k].copy && memcmp(bufs[k].copy, bufs[k].mem, bufs[k].alloc * lc_type_size(bufs[k].type)) != 0)
            violation("the call changed its const %s buffer", BUF_NAME[k]);
}

/* Two runs of one call on different thread counts: the header promises bitwise identical
 * results. A difference in NaN bits only (sign or payload of a NaN in both runs) is reported
 * apart from a difference in value. */
static void compare_runs(const char *name, lc_type t, const void *first, const void *second, size_t count, int t1, int t2) {
    size_t es = lc_type_size(t), values = 0, nan_bits = 0, at = SIZE_MAX;
    if (memcmp(first, second, count * es) == 0) return;
    for (size_t i = 0; i < count; i++) {
        if (memcmp((const char *)first + i * es, (const char *)second + i * es, es) == 0) continue;
        if (at == SIZE_MAX) at = i;
        if (isnan(load_float(t, first, i)) && isnan(load_float(t, second, i)))
            nan_bits++;
        else
            values++;
    }
    uint64_t b1 = 0, b2 = 0;
    memcpy(&b1, (const char *)first + at * es, es), memcpy(&b2, (const char *)second + at * es, es);
    violation("%s differs between %d and %d threads: %zu values differ, %zu more in NaN bits only; first at %s[%zu]: "
              "%.17g (0x%llx) vs %.17g (0x%llx)", name, t1, t2, values, nan_bits, name, at, load_float(t, first, at),
              (unsigned long long)b1, load_float(t, second, at), (unsigned long long)b2);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    reader r = {data, size};
    const lc_export *e = &LC_EXPORTS[rd(&r, 2) % LC_NUM_EXPORTS];
    uint8_t threads = (uint8_t)rd(&r, 1), red = (uint8_t)rd(&r, 1), mode = (uint8_t)rd(&r, 1);
    size_t fa = (size_t)rd(&r, 2), fb = (size_t)rd(&r, 2), fd = (size_t)rd(&r, 2);
    uint8_t pwc_mode = (uint8_t)rd(&r, 1), ign_mode = (uint8_t)rd(&r, 1), opt_code[LC_MAX_OPTIONS];
    for (int k = 0; k < LC_MAX_OPTIONS; k++) opt_code[k] = (uint8_t)rd(&r, 1);
    uint8_t present = (uint8_t)rd(&r, 1), nulls = (uint8_t)rd(&r, 1), dmode = (uint8_t)rd(&r, 1);
    uint32_t seed = (uint32_t)rd(&r, 4);
    rng_state = seed * 0x9E3779B97F4A7C15ull + 1;

    /* Threads: set for every input, so that a crash reproduces from its file alone. */
    int t1 = THREADS[threads & 3], t2 = THREADS[(threads >> 2) & 3];
    if (t2 == t1) t2 = t1 == 1 ? 4 : 1;
    if (threads & 0x20) probe_bad_threads(threads >> 6);
    set_threads(t1);

    lc_args a;
    memset(&a, 0, sizeof a);
    a.var_repeat = a.var_inner = 1;
    a.reduction = red < 0xF0 ? red % 3 : BAD_REDUCTIONS[red - 0xF0];
    /* has_w: values per position (c class scores, or d values of a row), sized alike in a.c. */
    int has_c = lc_has(e, LC_C), has_d = lc_has(e, LC_D), has_w = has_c || has_d, has_inner = lc_has(e, LC_INNER);
    int seq = lc_has(e, LC_T);

    /* Sizes. */
    int sm = mode & 15;
    if (seq) { /* t x n x c log-probabilities; s from the pos_weight_count byte (0: concatenated) */
        if (sm <= 9) {
            a.n = fa % 5, a.c = fb % 6, a.t = fd % 9;
        } else if (sm <= 13) {
            a.n = fa % 16, a.c = 1 + fb % 32, a.t = fd % 64;
        } else if (sm == 14) {
            a.c = 1 + fb % 32, a.t = 32 + fd % 97;
            a.n = (TWO(15) * (1 + ((fa >> 12) & 1)) + (fa & 0xFFF) - 2048) / (a.c * a.t);
            if (a.n == 0) a.n = 1;
        } else {
            a.n = HUGE_SIZES[fa % N_HUGE], a.c = HUGE_SIZES[fb % N_HUGE], a.t = HUGE_SIZES[fd % N_HUGE];
        }
        a.s = sm == 15 ? HUGE_SIZES[pwc_mode % N_HUGE] : pwc_mode % 8;
    } else if (sm <= 9) {
        a.n = has_w ? fa % 9 : fa % 65, a.c = fb % 11, a.inner = has_inner ? fd % 5 : 1;
    } else if (sm <= 13) {
        a.n = has_w ? fa % 64 : fa % 8192, a.c = 1 + fb % 128, a.inner = has_inner ? fd % 8 : 1;
    } else if (sm == 14) {
        /* 2^15 - 2048 .. 2^16 + 2047 elements: one to three 2^15-element blocks, on both sides
         * of the 2^16 elements of work that go parallel (kept small: these calls dominate the
         * fuzzer's time). */
        size_t total = TWO(15) * (1 + ((fa >> 12) & 1)) + (fa & 0xFFF) - 2048;
        if (has_w) {
            a.c = (fb & 0x8000) ? 1024 + (fb & 0x7FFF) * 4 : 1 + fb % 64;
            a.inner = has_inner ? 1 + fd % 4 : 1;
            a.n = total / (a.c * a.inner);
            if (a.n == 0) a.n = 1;
        } else {
            a.n = total, a.c = 0, a.inner = 1;
        }
    } else {
        a.n = HUGE_SIZES[fa % N_HUGE], a.c = HUGE_SIZES[fb % N_HUGE], a.inner = has_inner ? HUGE_SIZES[fd % N_HUGE] : 1;
    }
    if (!has_w) a.c = 0;
    if (has_d) a.d = a.c, a.c = 0;

    /* Counts of every buffer, saturating: SIZE_MAX stands for "does not fit in size_t". */
    size_t P = mul_sat(a.n, has_inner ? a.inner : 1), E = mul_sat(mul_sat(P, has_c ? a.c : has_d ? a.d : 1), seq ? a.t : 1);
    size_t nt = lc_has(e, LC_TARGET_INDEX) || has_d ? P : E;
    int64_t *il = NULL, *tl = NULL; /* sequences: the lengths, drawn now (they size the targets) */
    if (seq && a.n <= CAP_BYTES / 8) {
        il = malloc((a.n ? a.n : 1) * sizeof *il), tl = malloc((a.n ? a.n : 1) * sizeof *tl);
        if (!il || !tl) abort();
        draw_lengths((dmode >> 3) & 7, a.n, a.t, a.s, il, tl);
        nt = mul_sat(a.n, a.s);
        if (a.s == 0) { /* concatenated: the sum of the target lengths (the library refuses a negative one first) */
            nt = 0;
            for (size_t i = 0; i < a.n; i++)
                if (tl[i] > 0) nt = nt > SIZE_MAX - (size_t)tl[i] ? SIZE_MAX : nt + (size_t)tl[i];
        }
    } else if (seq) {
        nt = mul_sat(a.n, a.s ? a.s : 1);
    }
    int reduced = a.reduction != LOSSCORE_REDUCTION_NONE;
    size_t nout = reduced ? 1 : P;

    /* pos_weight_count: 1, n, a divisor of n, 0, small, huge, or counts that do not divide n. */
    if (lc_has(e, LC_POS_WEIGHT_COUNT)) {
        size_t q = pwc_mode >> 3;
        switch (pwc_mode & 7) {
        case 0: a.pos_weight_count = 1; break;
        case 1: a.pos_weight_count = a.n; break;
        case 2: {
            /* The first divisor of n from q + 1 on, looking at 64 candidates at most. */
            size_t d = q + 1, stop = q + 65;
            while (a.n && a.n % d != 0 && d < stop) d++;
            a.pos_weight_count = a.n && a.n % d == 0 ? d : 1;
            break;
        }
        case 3: a.pos_weight_count = 0; break;
        case 4: a.pos_weight_count = q; break;
        case 5: a.pos_weight_count = HUGE_SIZES[q % N_HUGE]; break;
        case 6: a.pos_weight_count = a.n + 1; break;
        default: a.pos_weight_count = a.n * 2; break;
        }
    }

    /* weight_count: c (per class), n * c (per element), 0, off by one, small, huge. */
    if (lc_has(e, LC_WEIGHT_COUNT)) {
        size_t q = pwc_mode >> 3;
        const size_t v[8] = {a.c, E, 0, a.c + 1, E - 1, q, HUGE_SIZES[q % N_HUGE], a.c * 2};
        a.weight_count = v[pwc_mode & 7];
    }
    size_t nw = lc_has(e, LC_WEIGHT_COUNT) ? a.weight_count : has_c ? a.c : E;
    /* var_repeat / var_inner (the pos_weight_count byte of an export with them): one value per
     * element, one for all, a divisor of n (rows), a divisor with var_inner 2 (a middle
     * dimension), 0, huge ones, and counts not dividing n. */
    if (lc_has(e, LC_VAR_REPEAT)) {
        size_t q = pwc_mode >> 3, dv = q + 2, stop = q + 66;
        while (a.n && a.n % dv != 0 && dv < stop) dv++;
        int divides = a.n && a.n % dv == 0;
        switch (pwc_mode & 7) {
        case 0: break;
        case 1: a.var_repeat = a.n ? a.n : 1; break;
        case 2: a.var_repeat = divides ? dv : 1; break;
        case 3: a.var_repeat = divides && a.n % (2 * dv) == 0 ? dv : 1, a.var_inner = divides && a.n % (2 * dv) == 0 ? 2 : 1; break;
        case 4: a.var_repeat = q & 1, a.var_inner = !(q & 1) || q > 16 ? 0 : 1; break;
        case 5: a.var_repeat = HUGE_SIZES[q % N_HUGE]; break;
        case 6: a.var_inner = HUGE_SIZES[q % N_HUGE]; break;
        default: a.var_repeat = a.n + 1 + q; break;
        }
    }

    /* ignore_index (and a sequence loss's blank): the default, values next to the class range,
     * and extremes. */
    {
        int64_t ci = a.c > (size_t)INT64_MAX ? INT64_MAX : (int64_t)a.c;
        const int64_t v[16] = {-100, -1, 0, 1, ci - 1, ci, ci + (ci < INT64_MAX), INT64_MIN, INT64_MAX, INT64_MIN + 1, -101, 2, 3, 5, -100, -100};
        a.ignore_index = v[ign_mode % 16];
        const int64_t blanks[8] = {0, 0, 0, ci - 1, 1, ci, -1, v[ign_mode % 16]};
        a.blank = blanks[(ign_mode >> 4) % 8];
    }

    /* Options (raw ones read after the codes). */
    int options_valid = 1;
    for (int k = 0; k < e->num_options; k++) {
        int raw;
        a.options[k] = option_value(&e->options[k], opt_code[k], &raw);
        if (raw) a.options[k] = rd_double(&r);
        options_valid &= lc_option_valid(&e->options[k], a.options[k]);
    }

    int want_weight = lc_has(e, LC_WEIGHT) && (present & 1);
    int want_pw = lc_has(e, LC_POS_WEIGHT) && (present & 2);
    int want_go = lc_has(e, LC_GRAD_OUTPUT) && (present & 4);
    int want_gi = lc_has(e, LC_GRAD_INPUT) && (present & 8);
    int want_gi2 = lc_has(e, LC_GRAD_INPUT2) && (present & 8) && !(present & 0x40);
    int want_gi3 = lc_has(e, LC_GRAD_INPUT3) && (present & 8) && !(present & 0x80);
    size_t slack = (present >> 4) & 3;
    int null_in = nulls >= 0xC0 && (nulls & 1), null_tg = nulls >= 0xC0 && (nulls & 2), null_out = nulls >= 0xC0 && (nulls & 4);
    int null_in2 = nulls >= 0xC0 && (nulls & 8), null_in3 = nulls >= 0xC0 && (nulls & 16);
    int null_il = nulls >= 0xC0 && (nulls & 8), null_tl = nulls >= 0xC0 && (nulls & 16);

    buffer b[B_ALL];
    memset(b, 0, sizeof b);
    b[B_INPUT] = (buffer){.count = E, .type = e->input_type, .in_play = 1};
    b[B_TARGET] = (buffer){.count = nt, .type = e->target_type, .in_play = e->target_type != LC_NONE};
    b[B_WEIGHT] = (buffer){.count = nw, .type = e->float_type, .in_play = want_weight};
    b[B_POS_WEIGHT] = (buffer){.count = a.pos_weight_count, .type = e->float_type, .in_play = want_pw};
    b[B_GRAD_OUTPUT] = (buffer){.count = nout, .type = e->float_type, .in_play = want_go};
    b[B_OUT] = (buffer){.count = nout, .type = e->float_type, .in_play = 1};
    b[B_GRAD_INPUT] = (buffer){.count = E, .type = e->float_type, .in_play = want_gi};
    b[B_INPUT2] = (buffer){.count = lc_has(e, LC_VAR_REPEAT) ? lc_input2_count(e, &a) : E, .type = e->float_type,
                           .in_play = lc_has(e, LC_INPUT2)};
    b[B_INPUT3] = (buffer){.count = E, .type = e->float_type, .in_play = lc_has(e, LC_INPUT3)};
    b[B_GRAD_INPUT2] = (buffer){.count = lc_has(e, LC_VAR_REPEAT) ? lc_input2_count(e, &a) : E, .type = e->float_type, .in_play = want_gi2};
    b[B_GRAD_INPUT3] = (buffer){.count = E, .type = e->float_type, .in_play = want_gi3};
    b[B_INPUT_LENGTHS] = (buffer){.count = a.n, .type = LC_INT64, .in_play = seq};
    b[B_TARGET_LENGTHS] = (buffer){.count = a.n, .type = LC_INT64, .in_play = seq};

    /* A buffer of more than PTRDIFF_MAX bytes cannot exist; one that can but exceeds what one
     * input may allocate is not called. */
    int impossible = 0;
    const char *impossible_buffer = NULL; /* the first buffer that cannot exist, for the report */
    size_t total = 0;
    /* A reduced out gets as many elements as the unreduced one would (where that is small
     * enough), to catch per-position writes. */
    size_t out_extra = reduced && P <= CAP_BYTES ? (P ? P - 1 : 0) : 0;
    for (int k = 0; k < B_ALL; k++) {
        if (!b[k].in_play) continue;
        size_t es = lc_type_size(b[k].type);
        if (b[k].count > (size_t)PTRDIFF_MAX / es) {
            if (!impossible_buffer) impossible_buffer = BUF_NAME[k];
            impossible = 1;
            continue;
        }
        size_t bytes = (b[k].count + (k == B_OUT ? out_extra : 0) + slack) * es;
        /* Inputs are copied and outputs saved for the rerun: twice the bytes (saturating); a
         * 16-bit buffer's float copy for the f32 twin twice more. */
        size_t times = lc_is_16bit(b[k].type) ? 4 : 2;
        total = bytes > CAP_BYTES / times || total + times * bytes > CAP_BYTES ? CAP_BYTES + 1 : total + times * bytes;
    }
    if (!impossible && total > CAP_BYTES) {
        free(il), free(tl);
        return 0;
    }

    /* Allocation: exact counts (so AddressSanitizer catches an access past them), outputs with
     * `slack` sentinel elements after them and a reduced out as long as the unreduced one. */
    for (int k = 0; k < B_ALL; k++) {
        if (!b[k].in_play) continue;
        /* (a sequence loss's drawn lengths keep their n values: the library reads them before it
         * can tell that another buffer cannot exist, e.g. concatenated targets summing past it) */
        int drawn = il && (k == B_INPUT_LENGTHS || k == B_TARGET_LENGTHS);
        size_t n = impossible && !drawn ? SMALL_COUNT : b[k].count;
        if (!impossible && k >= B_DATA) n += slack;
        if (!impossible && k == B_OUT) n += out_extra;
        b[k].alloc = n;
        b[k].mem = malloc(n ? n * lc_type_size(b[k].type) : 1);
        if (!b[k].mem) abort();
    }
    if (impossible)
        for (int k = 0; k < B_ALL; k++) b[k].count = b[k].alloc;

    /* Data. */
    size_t cgen = has_c ? a.c : 5; /* class range the indices are drawn from */
    int imode = (dmode >> 3) & 7;
    for (int k = 0; k < B_DATA; k++) {
        buffer *x = &b[k];
        if (!x->mem) continue;
        if (x->type == LC_INT64) {
            int64_t *v = x->mem;
            for (size_t i = 0; i < x->alloc; i++) {
                uint64_t z = rng_next();
                int64_t in_range = cgen ? (int64_t)(z % (cgen > TWO(62) ? TWO(62) : cgen)) : 0;
                if (imode == 5 && z % 10 == 0) v[i] = a.ignore_index;
                else if (imode == 6) v[i] = a.ignore_index;
                else if (imode == 7) v[i] = (int64_t)((z >> 8) % (cgen < TWO(60) ? cgen + 5 : TWO(60))) - 2;
                else v[i] = in_range;
                /* Label rows: a -1 one time in eight whatever the mode, so a row lists a few
                 * labels (a row's cost grows with its labels times c, as torch's: full rows of
                 * 10^5 classes take the fuzzer minutes per call under instrumentation). */
                if (lc_has(e, LC_TARGET_LABELS) && (z >> 40) % 8 == 0) v[i] = -1;
            }
        } else {
            int m = dmode & 7;
            if (k == B_WEIGHT && !(dmode & 0x40)) m = -1;
            if (k == B_POS_WEIGHT && !(dmode & 0x40)) m = -1;
            if (k == B_GRAD_OUTPUT && !(dmode & 0x80)) m = -2;
            /* Any bit pattern of a 16-bit float: 16 random bits (a random double would round to
             * an infinity or zero nearly always). */
            int raw16 = m == 6 && lc_is_16bit(x->type);
            for (size_t i = 0; i < x->alloc; i++) {
                uint64_t bits = raw16 ? rng_next() : 0;
                double v = raw16 ? 0 : m == -1 ? 2 * rng_unit() : m == -2 ? 0.5 + rng_unit() : data_value(m);
                /* A variance is drawn >= 0 unless the index pattern (unused by these losses) is 7. */
                if (k == B_INPUT2 && lc_has(e, LC_VAR_REPEAT) && imode != 7) v = fabs(v), bits &= 0x7FFFu;
                store_float(x->type, x->mem, i, v, raw16 ? &bits : NULL);
            }
        }
    }
    if (il) { /* the drawn lengths (kept from the specials: they sized the targets) */
        memcpy(b[B_INPUT_LENGTHS].mem, il, a.n * sizeof *il);
        memcpy(b[B_TARGET_LENGTHS].mem, tl, a.n * sizeof *tl);
    }
    for (int s = 0; r.left >= 4 && s < 4096; s++) {
        int k = (int)(rd(&r, 1) % B_NAMED);
        size_t pos = (size_t)rd(&r, 2);
        if (k == B_INPUT && lc_has(e, LC_INPUT2)) { /* any operand of a row tuple */
            static const int operands[3] = {B_INPUT, B_INPUT2, B_INPUT3};
            k = operands[pos % (lc_has(e, LC_INPUT3) ? 3 : 2)];
        }
        uint8_t code = (uint8_t)rd(&r, 1);
        uint64_t raw = code >= 0xF8 ? rd(&r, 8) : 0;
        buffer *x = &b[k];
        if (!x->mem || x->alloc == 0) continue;
        if (x->alloc > 65536) pos *= x->alloc / 65536; /* reach every block of a large buffer */
        pos %= x->alloc;
        if (x->type == LC_INT64)
            ((int64_t *)x->mem)[pos] = code >= 0xF8 ? (int64_t)raw : special_index(code, cgen, a.ignore_index);
        else
            store_float(x->type, x->mem, pos, special_float(code), code >= 0xF8 ? &raw : NULL);
    }
    for (int k = 0; k < B_DATA; k++) {
        if (!b[k].mem) continue;
        size_t bytes = b[k].alloc * lc_type_size(b[k].type);
        b[k].copy = malloc(bytes ? bytes : 1);
        if (!b[k].copy) abort();
        memcpy(b[k].copy, b[k].mem, bytes);
    }
    fill_sentinel(e->float_type, b[B_OUT].mem, b[B_OUT].alloc);
    for (int k = B_GRAD_INPUT; k < B_ALL; k++)
        if (b[k].mem) fill_sentinel(e->float_type, b[k].mem, b[k].alloc);

    /* Pointers. */
    b[B_INPUT].p = null_in ? NULL : b[B_INPUT].mem;
    b[B_TARGET].p = null_tg ? NULL : b[B_TARGET].mem;
    b[B_WEIGHT].p = want_weight ? b[B_WEIGHT].mem : NULL;
    b[B_POS_WEIGHT].p = want_pw ? b[B_POS_WEIGHT].mem : NULL;
    b[B_GRAD_OUTPUT].p = want_go ? b[B_GRAD_OUTPUT].mem : NULL;
    b[B_OUT].p = null_out ? NULL : b[B_OUT].mem;
    b[B_GRAD_INPUT].p = want_gi ? b[B_GRAD_INPUT].mem : NULL;
    a.input = b[B_INPUT].p, a.target = b[B_TARGET].p, a.weight = b[B_WEIGHT].p, a.pos_weight = b[B_POS_WEIGHT].p;
    a.grad_output = b[B_GRAD_OUTPUT].p, a.out = b[B_OUT].p, a.grad_input = b[B_GRAD_INPUT].p;
    b[B_INPUT2].p = null_in2 ? NULL : b[B_INPUT2].mem, b[B_INPUT3].p = null_in3 ? NULL : b[B_INPUT3].mem;
    b[B_GRAD_INPUT2].p = want_gi2 ? b[B_GRAD_INPUT2].mem : NULL, b[B_GRAD_INPUT3].p = want_gi3 ? b[B_GRAD_INPUT3].mem : NULL;
    a.input2 = b[B_INPUT2].p, a.input3 = b[B_INPUT3].p, a.grad_input2 = b[B_GRAD_INPUT2].p, a.grad_input3 = b[B_GRAD_INPUT3].p;
    b[B_INPUT_LENGTHS].p = null_il ? NULL : b[B_INPUT_LENGTHS].mem;
    b[B_TARGET_LENGTHS].p = null_tl ? NULL : b[B_TARGET_LENGTHS].mem;
    a.input_lengths = b[B_INPUT_LENGTHS].p, a.target_lengths = b[B_TARGET_LENGTHS].p;

    /* What the header's conventions decide: reasons a call must fail. */
    const char *must_fail = NULL;
    char impossible_text[96];
    snprintf(impossible_text, sizeof impossible_text, "sizes whose buffers cannot exist (%s)", impossible_buffer ? impossible_buffer : "");
    if (impossible) must_fail = impossible_text;
    else if (a.reduction < 0 || a.reduction > 2) must_fail = "an invalid reduction";
    else if (!options_valid) must_fail = "an option outside its domain";
    else if (!a.input && E > 0) must_fail = "input NULL with elements";
    else if (!seq && e->target_type != LC_NONE && !a.target && nt > 0) must_fail = "target NULL with elements";
    else if (lc_has(e, LC_INPUT2) && !a.input2 && E > 0) must_fail = "the second operand NULL with elements";
    else if (lc_has(e, LC_INPUT3) && !a.input3 && E > 0) must_fail = "the third operand NULL with elements";
    else if (!a.out && nout > 0) must_fail = "out NULL while it must receive values";
    else if (has_c && a.c == 0 && P > 0) must_fail = "c = 0 with positions";
    else if (a.pos_weight && (a.pos_weight_count == 0 || a.n % a.pos_weight_count != 0))
        must_fail = "pos_weight_count 0 or not dividing n";
    else if (lc_has(e, LC_WEIGHT_COUNT) && a.weight && a.weight_count != a.c && a.weight_count != E)
        must_fail = "weight_count neither c nor n * c";
    else if (lc_has(e, LC_VAR_REPEAT) &&
             (a.var_repeat == 0 || a.var_inner == 0 || a.var_repeat > (size_t)PTRDIFF_MAX / a.var_inner ||
              a.n % (a.var_repeat * a.var_inner) != 0))
        must_fail = "var_repeat * var_inner 0, beyond a signed size or not dividing n";
    if (!must_fail && seq) {
        /* Sequences: the blank (any blank >= 0 when there are neither samples nor classes), the
         * lengths, and the targets each sample reads (its first target_lengths[b]: padding past
         * them is never read). */
        int64_t ci = a.c > (size_t)INT64_MAX ? INT64_MAX : (int64_t)a.c;
        if (a.c == 0 && a.n > 0) must_fail = "c = 0 with samples";
        else if (a.blank < 0 || (a.c > 0 && a.blank >= ci)) must_fail = "blank outside [0, c)";
        else if (a.n == 0) { /* nothing to read */ }
        else if (!a.input_lengths || !a.target_lengths) must_fail = "lengths NULL with samples";
        const int64_t *ils = a.input_lengths, *tls = a.target_lengths;
        int reads = 0;
        for (size_t i = 0; i < a.n && !must_fail; i++) {
            if (ils[i] < 0 || (uint64_t)ils[i] > a.t) must_fail = "an input length outside [0, t]";
            else if (tls[i] < 0 || (a.s && (uint64_t)tls[i] > a.s)) must_fail = "a target length below 0 or above s";
            reads |= tls[i] > 0;
        }
        if (!must_fail && reads && !a.target) must_fail = "targets NULL with target lengths";
        const int64_t *tg = a.target;
        for (size_t i = 0, at = 0; i < a.n && !must_fail && tg; i++) {
            size_t row = a.s ? i * a.s : at;
            for (size_t j = 0; j < (size_t)tls[i] && !must_fail; j++)
                if (tg[row + j] < 0 || tg[row + j] >= ci) must_fail = "a target outside [0, c)";
            at += (size_t)tls[i];
        }
    }
    if (!must_fail && !seq && lc_has(e, LC_TARGET_INDEX | LC_C) && a.target && a.c > 0) {
        const int64_t *t = a.target;
        for (size_t i = 0; i < nt && !must_fail; i++)
            if ((t[i] < 0 || (uint64_t)t[i] >= a.c) && !(lc_has(e, LC_IGNORE_INDEX) && t[i] == a.ignore_index))
                must_fail = "a class index outside [0, c)";
    }
    if (!must_fail && lc_has(e, LC_TARGET_LABELS) && a.target) {
        const int64_t *t = a.target;
        for (size_t i = 0; i < nt && !must_fail; i++)
            if (t[i] < -1 || (t[i] >= 0 && (uint64_t)t[i] >= a.c)) must_fail = "a label outside [-1, c)";
    }
    /* Data domains the header documents per loss: binary_cross_entropy refuses input and
     * target elements outside [0, 1] or NaN. */
    if (!must_fail && strcmp(e->base, "binary_cross_entropy") == 0) {
        for (int k = B_INPUT; k <= B_TARGET && !must_fail; k++)
            for (size_t i = 0; i < b[k].count && b[k].p && !must_fail; i++) {
                double v = load_float(b[k].type, b[k].p, i);
                if (!(v >= 0 && v <= 1)) must_fail = "binary_cross_entropy data outside [0, 1]";
            }
    }
    /* The triplet loss: a norm without identity (norm_p < 0 or +inf) of rows of no values. */
    for (int k = 0; !must_fail && k < e->num_options; k++)
        if (strcmp(e->options[k].name, "norm_p") == 0 && (a.options[k] < 0 || a.options[k] == INFINITY) && has_d && a.d == 0 &&
            a.n > 0)
            must_fail = "norm_p < 0 or +inf with rows of d = 0 values";
    /* Data domains by role: a shared variance (var) is refused below 0 (NaN is data). */
    if (!must_fail && lc_has(e, LC_VAR_REPEAT) && b[B_INPUT2].p)
        for (size_t i = 0; i < b[B_INPUT2].count && !must_fail; i++)
            if (load_float(b[B_INPUT2].type, b[B_INPUT2].p, i) < 0) must_fail = "a var value below 0";
    /* Moderate sizes (no factor near overflow) and nothing wrong: the call must succeed. */
    int moderate = a.n <= TWO(31) && a.c <= TWO(31) && a.d <= TWO(31) && a.inner <= TWO(31) &&
                   (!a.pos_weight || a.pos_weight_count <= TWO(31)) && (!a.weight || a.weight_count <= TWO(31)) &&
                   a.var_repeat <= TWO(31) && a.var_inner <= TWO(31) && a.t <= TWO(31) && a.s <= TWO(31);
    int must_succeed = !must_fail && moderate;

    snprintf(call_text, sizeof call_text,
             "%s(n=%zu c=%zu d=%zu inner=%zu t=%zu s=%zu blank=%lld pos_weight_count=%zu weight_count=%zu ignore_index=%lld "
             "reduction=%d options=[%.17g %.17g %.17g %.17g] "
             "input=%s target=%s weight=%s pos_weight=%s out=%s grad_output=%s grad_input=%s; %s sizes, slack %zu, threads %d)",
             e->name, a.n, a.c, a.d, a.inner, a.t, a.s, (long long)a.blank, a.pos_weight_count, a.weight_count,
             (long long)a.ignore_index, a.reduction, a.options[0], a.options[1],
             a.options[2], a.options[3], a.input ? "buf" : "NULL", a.target ? "buf" : "NULL", a.weight ? "buf" : "NULL",
             a.pos_weight ? "buf" : "NULL", a.out ? "buf" : "NULL", a.grad_output ? "buf" : "NULL", a.grad_input ? "buf" : "NULL",
             impossible ? "impossible (small buffers)" : "allocated", slack, t1);

    losscore_status s = e->call(&a);
    const char *msg = losscore_last_error();
    char first_msg[LOSSCORE_ERROR_MESSAGE_SIZE];
    snprintf(first_msg, sizeof first_msg, "%s", msg ? msg : "");
    if (verbose()) fprintf(stderr, "%s -> %s \"%s\"\n", call_text, status_name(s), msg ? msg : "(null)");
    if (msg == NULL) violation("losscore_last_error() returned NULL");
    if ((unsigned)s > LOSSCORE_ERROR_OUT_OF_MEMORY) violation("status %d is not a losscore_status value", (int)s);
    if (strcmp(losscore_status_string(s), "unknown status") == 0) violation("losscore_status_string(%d) is unknown", (int)s);
    check_inputs_unchanged(b);

    if (s != LOSSCORE_OK) {
        check_untouched(&b[B_OUT], "out");
        for (int k = B_GRAD_INPUT; k < B_ALL; k++)
            if (b[k].mem) check_untouched(&b[k], BUF_NAME[k]);
        if (msg[0] == '\0') violation("status %s with an empty losscore_last_error()", status_name(s));
        if (!strstr(msg, e->name)) violation("the message \"%s\" does not name %s", msg, e->name);
        if (must_succeed) violation("status %s for a valid call", status_name(s));
    } else {
        if (msg[0] != '\0') violation("success with a non-empty losscore_last_error()");
        if (must_fail) violation("success despite %s", must_fail);
        /* A NULL out is allowed only with nothing to receive (checked above). */
        if (a.out) check_written(&b[B_OUT], "out");
        for (int k = B_GRAD_INPUT; k < B_ALL; k++)
            if (b[k].p) check_written(&b[k], BUF_NAME[k]);

        /* The same call on another thread count: bitwise the same outputs. */
        if ((threads & 0x10) && (a.out || a.grad_input)) {
            /* The first run's outputs: out and each gradient. */
            void *first[B_ALL] = {0};
            for (int k = B_OUT; k < B_ALL; k++) {
                if (!b[k].mem) continue;
                size_t bytes = b[k].alloc * lc_type_size(e->float_type);
                if (!(first[k] = malloc(bytes ? bytes : 1))) abort();
                memcpy(first[k], b[k].mem, bytes);
                fill_sentinel(e->float_type, b[k].mem, b[k].alloc);
            }
            set_threads(t2);
            losscore_status s2 = e->call(&a);
            if (s2 != LOSSCORE_OK) violation("the call succeeded with %d threads and returned %s with %d", t1, status_name(s2), t2);
            if (losscore_last_error()[0] != '\0') violation("success with a non-empty losscore_last_error() (rerun)");
            check_inputs_unchanged(b);
            for (int k = B_OUT; k < B_ALL; k++)
                if (k == B_OUT || b[k].p) compare_runs(BUF_NAME[k], e->float_type, first[k], b[k].mem, b[k].alloc, t1, t2);
            for (int k = B_OUT; k < B_ALL; k++) free(first[k]);
        }
    }

    /* A 16-bit export: its f32 twin on the widened values (the sizes are real here; the
     * outputs are the call's, or the rerun's, bitwise the same). */
    if (lc_is_16bit(e->float_type) && !impossible) {
        char why[2 * LOSSCORE_ERROR_MESSAGE_SIZE + 128];
        size_t values = 0;
        if (lc_twin_agrees(e, &a, s, first_msg, why, sizeof why, &values) == 0) violation("the 16-bit contract: %s", why);
    }

    for (int k = 0; k < B_ALL; k++) free(b[k].mem), free(b[k].copy);
    free(il), free(tl);
    return 0;
}
