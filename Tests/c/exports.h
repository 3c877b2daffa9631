/*
 * exports.h - the descriptor of one exported loss function, and the generated table of
 * all of them (exports_table.h, written by gen_exports.py from include/losscore.h into the
 * build directory; add that directory to the include path).
 *
 * Every loss is called through one adapter, `call(const lc_args *)`: lc_args holds every
 * argument any loss can take, and each adapter passes on the ones its export has, so a
 * harness (tests, a fuzzer) can drive every export from the table alone. Buffers are
 * `void *`; their element types are in the descriptor.
 */
#ifndef LOSSCORE_TESTS_EXPORTS_H
#define LOSSCORE_TESTS_EXPORTS_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "losscore.h"

/* Element types of buffers: LC_F16 and LC_BF16 are the uint16_t bit patterns of the 16-bit
 * exports (IEEE binary16, bfloat16). */
typedef enum { LC_NONE = 0, LC_FLOAT, LC_DOUBLE, LC_INT64, LC_F16, LC_BF16 } lc_type;

static inline size_t lc_type_size(lc_type t) {
    return t == LC_FLOAT ? sizeof(float) : t == LC_F16 || t == LC_BF16 ? sizeof(uint16_t) : t == LC_NONE ? 0 : 8;
}

static inline int lc_is_16bit(lc_type t) { return t == LC_F16 || t == LC_BF16; }

/* ------------------------------------------------------------------------ */
/* 16-bit floats, bit-exact (no compiler or CPU support needed)               */
/* ------------------------------------------------------------------------ */

static inline uint32_t lc_float_bits(float f) {
    uint32_t x;
    memcpy(&x, &f, sizeof x);
    return x;
}

static inline float lc_bits_float(uint32_t x) {
    float f;
    memcpy(&f, &x, sizeof f);
    return f;
}

/* The float a 16-bit pattern stands for: exact, every bit kept (a NaN's sign and payload, a
 * signalling NaN's too). */
static inline float lc_widen16(lc_type t, uint16_t h) {
    if (t == LC_BF16) return lc_bits_float((uint32_t)h << 16);
    uint32_t sign = (uint32_t)(h & 0x8000u) << 16, e = (h >> 10) & 0x1Fu, m = h & 0x3FFu;
    if (e == 0x1F) return lc_bits_float(sign | 0x7F800000u | m << 13);
    if (e != 0) return lc_bits_float(sign | (e + 112) << 23 | m << 13);
    return lc_bits_float(sign | lc_float_bits((float)m * 0x1p-24f)); /* zero or subnormal: m units of 2^-24 */
}

/* f rounded to the 16-bit type, to nearest even, as the header's "16-bit storage" rounds each
 * result: beyond the largest finite value to infinity; a NaN to 0x7FC0 in bfloat16 (PyTorch's
 * NaN), in binary16 to a quiet NaN of f's sign and leading payload bits. */
static inline uint16_t lc_round16(lc_type t, float f) {
    uint32_t x = lc_float_bits(f), ax = x & 0x7FFFFFFFu;
    if (t == LC_BF16) {
        if (ax > 0x7F800000u) return 0x7FC0;
        return (uint16_t)((x + 0x7FFFu + ((x >> 16) & 1u)) >> 16);
    }
    uint16_t sign = (uint16_t)((x >> 16) & 0x8000u);
    if (ax > 0x7F800000u) return (uint16_t)(sign | 0x7E00u | ((ax >> 13) & 0x3FFu));
    if (ax >= 0x477FF000u) return (uint16_t)(sign | 0x7C00u); /* >= 65520: the tie above 65504 goes to even, inf */
    if (ax <= 0x33000000u) return sign;                      /* <= 2^-25: the tie goes to even, 0 */
    uint32_t q, rem, half;
    if (ax < 0x38800000u) { /* below 2^-14: a subnormal, in units of 2^-24 (may round up to the smallest normal) */
        uint32_t shift = 126 - (ax >> 23), m = (ax & 0x7FFFFFu) | 0x800000u;
        q = m >> shift, rem = m & ((1u << shift) - 1), half = 1u << (shift - 1);
    } else { /* the exponent rebiased from 127 to 15; the mantissa's low 13 bits rounded off */
        q = (ax >> 13) - (112u << 10), rem = ax & 0x1FFFu, half = 0x1000u;
    }
    if (rem > half || (rem == half && (q & 1u))) q++;
    return (uint16_t)(sign | q);
}

static inline int lc_isnan16(lc_type t, uint16_t h) {
    return t == LC_BF16 ? (h & 0x7FFFu) > 0x7F80u : (h & 0x7FFFu) > 0x7C00u;
}

/* How the harness drives an export: elementwise (n values, like the regression and binary
 * losses), class rows (n x c x inner scores with a gradient: the softmax family), class
 * margins (n x c scores, no inner dimension: the margin losses), a metric (no gradient: the
 * 0-1 losses), row tuples (two or three operands of n x d values, one loss per row and a
 * gradient buffer per operand: the triplet losses), or sequences (t x n x c log-probabilities,
 * n lengths of each kind, n x s padded targets: CTC). */
typedef enum { LC_ELEMENTWISE, LC_CLASS_ROWS, LC_CLASS_MARGINS, LC_METRIC, LC_ROW_TUPLES, LC_SEQUENCES } lc_family;

/* Argument roles, one bit each; an export has the roles of its parameters. */
enum {
    LC_INPUT = 1u << 0,             /* input, scores or predicted: one value per element */
    LC_TARGET = 1u << 1,            /* float targets with input's shape (row tuples: one per row) */
    LC_TARGET_INDEX = 1u << 2,      /* int64 class indices, one per position (s per sample with LC_S) */
    LC_WEIGHT = 1u << 3,            /* optional: c per-class (with LC_C) or n per-element weights */
    LC_POS_WEIGHT = 1u << 4,        /* optional: pos_weight_count values repeating along n */
    LC_POS_WEIGHT_COUNT = 1u << 5,
    LC_N = 1u << 6,
    LC_C = 1u << 7,
    LC_INNER = 1u << 8,
    LC_IGNORE_INDEX = 1u << 9,
    LC_REDUCTION = 1u << 10,
    LC_OUT = 1u << 11,
    LC_GRAD_OUTPUT = 1u << 12,      /* optional */
    LC_GRAD_INPUT = 1u << 13,       /* optional */
    LC_INPUT2 = 1u << 14,           /* the second operand of a row tuple (positive): input's shape */
    LC_INPUT3 = 1u << 15,           /* the third (negative) */
    LC_D = 1u << 16,                /* values per row of a row tuple */
    LC_GRAD_INPUT2 = 1u << 17,      /* optional: the gradient of the second operand */
    LC_GRAD_INPUT3 = 1u << 18,      /* optional: of the third */
    LC_TARGET_LABELS = 1u << 19,    /* int64 label rows of input's shape, values in [-1, c) */
    LC_WEIGHT_COUNT = 1u << 20,     /* the weight's length: c (per class) or n * c (per element) */
    LC_VAR_REPEAT = 1u << 21,       /* the second operand (var) is shared along a dimension of
                                     * var_repeat elements ... */
    LC_VAR_INNER = 1u << 22,        /* ... that are var_inner apart: n / var_repeat values */
    LC_INPUT_LENGTHS = 1u << 23,    /* n int64 frame counts in [0, t] */
    LC_TARGET_LENGTHS = 1u << 24,   /* n int64 target lengths in [0, s] */
    LC_T = 1u << 25,                /* frames: the input is t x n x c */
    LC_S = 1u << 26,                /* the padded target length (0: concatenated targets) */
    LC_BLANK = 1u << 27,            /* an int64 class in [0, c) */
};

/* An option and its valid domain [lo, hi] (an end excluded where *_open); NaN is outside
 * every domain. `typical` is a valid value. An int32_t option (a flag, 0 or 1, or another
 * pair of consecutive values such as p's {1, 2}) has `flag` set and takes the integers of
 * [lo, hi]; its slot in lc_args is a double too, passed on by lc_flag. */
typedef struct {
    const char *name;
    double lo, hi;
    int lo_open, hi_open;
    double typical;
    int flag;
} lc_option;

/* The int32_t a flag's double slot stands for: truncated, saturated at the int32 range, NaN
 * as INT32_MIN, so that any double gives a defined (and outside the domain, invalid) value. */
static inline int32_t lc_flag(double v) {
    if (isnan(v)) return INT32_MIN;
    if (v <= (double)INT32_MIN) return INT32_MIN;
    if (v >= (double)INT32_MAX) return INT32_MAX;
    return (int32_t)v;
}

/* Whether v is inside option o's domain. */
static inline int lc_option_valid(const lc_option *o, double v) {
    if (o->flag) return lc_flag(v) >= o->lo && lc_flag(v) <= o->hi;
    if (isnan(v)) return 0;
    if (v < o->lo || (o->lo_open && v == o->lo)) return 0;
    if (v > o->hi || (o->hi_open && v == o->hi)) return 0;
    return 1;
}

enum { LC_MAX_OPTIONS = 4 };

/* Every argument a loss can take; an adapter reads the ones its export has. */
typedef struct {
    const void *input, *target, *weight, *pos_weight, *input2, *input3, *input_lengths, *target_lengths;
    size_t pos_weight_count, weight_count, n, c, inner, d, var_repeat, var_inner, t, s;
    int64_t ignore_index, blank;
    int reduction; /* an int, so that invalid values can be passed */
    double options[LC_MAX_OPTIONS]; /* in the header's order (flags too: see lc_flag) */
    void *out;
    const void *grad_output;
    void *grad_input, *grad_input2, *grad_input3;
} lc_args;

typedef struct {
    const char *name; /* the symbol, "losscore_l1_loss_f32" */
    const char *base; /* without prefix and type suffix, "l1_loss" */
    lc_family family;
    unsigned roles;
    lc_type input_type;  /* of input / scores / predicted */
    lc_type target_type; /* LC_NONE without target */
    lc_type float_type;  /* of out, weight, pos_weight, grad_output, grad_input */
    const char *input_name; /* the header's name for the input argument */
    const char *target_name; /* ... and for the target ("target", "labels"; "" without one) */
    int num_options;
    lc_option options[LC_MAX_OPTIONS];
    losscore_status (*call)(const lc_args *);
    const char *input2_name, *input3_name; /* the header's names of the second and third operands */
} lc_export;

static inline int lc_has(const lc_export *e, unsigned roles) { return (e->roles & roles) == roles; }

/* Positions (one loss each under NONE: a sample of a sequence loss) and elements (one score
 * each) of a call. */
static inline size_t lc_positions(const lc_export *e, const lc_args *a) {
    return a->n * (lc_has(e, LC_INNER) ? a->inner : 1);
}
/* Values per position: c class scores, d values of a row, or 1. */
static inline size_t lc_width(const lc_export *e, const lc_args *a) {
    return lc_has(e, LC_C) ? a->c : lc_has(e, LC_D) ? a->d : 1;
}
static inline size_t lc_elements(const lc_export *e, const lc_args *a) {
    return lc_positions(e, a) * lc_width(e, a) * (lc_has(e, LC_T) ? a->t : 1);
}
static inline size_t lc_out_count(const lc_export *e, const lc_args *a) {
    return a->reduction == LOSSCORE_REDUCTION_NONE ? lc_positions(e, a) : 1;
}
/* Class indices and a row tuple's targets are one per position; float targets of the
 * other losses one per element. */
static inline size_t lc_target_count(const lc_export *e, const lc_args *a) {
    return lc_has(e, LC_TARGET_INDEX) || lc_has(e, LC_D) ? lc_positions(e, a) * (lc_has(e, LC_S) ? a->s : 1)
                                                      : lc_elements(e, a);
}
/* Values of input2 (and of its gradient): one per element, or one per var_repeat elements. */
static inline size_t lc_input2_count(const lc_export *e, const lc_args *a) {
    if (!lc_has(e, LC_INPUT2)) return 0;
    return lc_has(e, LC_VAR_REPEAT) && a->var_repeat ? lc_elements(e, a) / a->var_repeat : lc_elements(e, a);
}
static inline size_t lc_weight_count(const lc_export *e, const lc_args *a) {
    if (lc_has(e, LC_WEIGHT_COUNT)) return a->weight_count;
    return lc_has(e, LC_C) ? a->c : lc_elements(e, a);
}

/* The two error channels agree on every call a harness makes. Each adapter passes a
 * losscore_error record on every other call of its thread (NULL on the others, which must
 * work too), filled with garbage first, and checks what the call wrote there: the status it
 * returned and, NUL-terminated, the message losscore_last_error() gives ("" on success).
 * Every message must fit the record. A disagreement aborts, naming the export: the tests and
 * the fuzzer both stop on it. */
static _Thread_local unsigned lc_record_calls;

static inline losscore_error *lc_record_for_call(losscore_error *storage) {
    if (lc_record_calls++ & 1) return NULL;
    memset(storage, 0x5a, sizeof *storage);
    return storage;
}

static inline losscore_status lc_record_check(const char *name, losscore_status s, const losscore_error *record) {
    const char *last = losscore_last_error();
    const char *fault = NULL;
    if (strlen(last) >= LOSSCORE_ERROR_MESSAGE_SIZE) fault = "losscore_last_error() is longer than a record holds";
    else if ((s == LOSSCORE_OK) != (last[0] == '\0')) fault = "losscore_last_error() does not match the status";
    else if (record && record->status != s) fault = "the record's status is not the returned status";
    else if (record && strnlen(record->message, sizeof record->message) == sizeof record->message)
        fault = "the record's message is not NUL-terminated";
    else if (record && strcmp(record->message, last) != 0) fault = "the record's message is not losscore_last_error()";
    if (fault) {
        fprintf(stderr, "%s: %s (status %d, record status %d, last_error \"%s\")\n", name, fault, (int)s,
                record ? (int)record->status : -1, last);
        abort();
    }
    return s;
}

#include "exports_table.h"

/* ------------------------------------------------------------------------ */
/* The 16-bit contract                                                        */
/* ------------------------------------------------------------------------ */

/* The export of `base` whose float buffers have type t (LC_FLOAT: the _f32 one), or NULL. */
static inline const lc_export *lc_export_of(const char *base, lc_type t) {
    for (size_t i = 0; i < LC_NUM_EXPORTS; i++)
        if (LC_EXPORTS[i].float_type == t && strcmp(LC_EXPORTS[i].base, base) == 0) return &LC_EXPORTS[i];
    return NULL;
}

/* A float buffer of a call: the lc_args field that points to it (an input's or an output's),
 * and how many values the call reads or writes there. */
typedef struct {
    const void **in;
    void **out;
    size_t count;
    const char *name;
} lc_slot;

enum { LC_MAX_SLOTS = 12 };

/* The float buffers export e has (pointers of a; a NULL one stays NULL), with their counts for
 * a's sizes: input, target, weight, pos_weight, the other operands and grad_output, then out
 * and the gradients. Returns how many. */
static inline int lc_float_slots(const lc_export *e, lc_args *a, lc_slot *s) {
    int k = 0;
    size_t E = lc_elements(e, a), I2 = lc_input2_count(e, a), outn = lc_out_count(e, a);
    if (e->input_type == e->float_type) s[k++] = (lc_slot){&a->input, NULL, E, e->input_name};
    if (e->target_type == e->float_type) s[k++] = (lc_slot){&a->target, NULL, lc_target_count(e, a), e->target_name};
    if (lc_has(e, LC_WEIGHT)) s[k++] = (lc_slot){&a->weight, NULL, lc_weight_count(e, a), "weight"};
    if (lc_has(e, LC_POS_WEIGHT)) s[k++] = (lc_slot){&a->pos_weight, NULL, a->pos_weight_count, "pos_weight"};
    if (lc_has(e, LC_INPUT2)) s[k++] = (lc_slot){&a->input2, NULL, I2, e->input2_name};
    if (lc_has(e, LC_INPUT3)) s[k++] = (lc_slot){&a->input3, NULL, E, e->input3_name};
    if (lc_has(e, LC_GRAD_OUTPUT)) s[k++] = (lc_slot){&a->grad_output, NULL, outn, "grad_output"};
    s[k++] = (lc_slot){NULL, &a->out, outn, "out"};
    if (lc_has(e, LC_GRAD_INPUT)) s[k++] = (lc_slot){NULL, &a->grad_input, E, "grad_input"};
    if (lc_has(e, LC_GRAD_INPUT2)) s[k++] = (lc_slot){NULL, &a->grad_input2, I2, "grad_input2"};
    if (lc_has(e, LC_GRAD_INPUT3)) s[k++] = (lc_slot){NULL, &a->grad_input3, E, "grad_input3"};
    return k;
}

/* msg with every `from` replaced by `to` (a twin's message under this export's name), in out. */
static inline void lc_renamed(const char *msg, const char *from, const char *to, char *out, size_t size) {
    size_t w = 0, nf = strlen(from), nt = strlen(to);
    for (const char *p = msg; *p && w + nt + 1 < size;) {
        if (strncmp(p, from, nf) == 0) memcpy(out + w, to, nt), w += nt, p += nf;
        else out[w++] = *p++;
    }
    out[w] = '\0';
}

/* Calls whose buffers hold more values than this are not compared (lc_twin_agrees). */
#define LC_TWIN_MAX_COUNT ((size_t)1 << 32)

/* Whether a call of a 16-bit export kept the header's "16-bit storage" contract. e16's call
 * with arguments a16 returned s16 with the message msg16 and wrote its outputs; its _f32 twin
 * is called with the same arguments, every 16-bit buffer widened to float (exactly, every bit
 * kept), and must return the same status: on failure with the same message but for the
 * export's name, on success with outputs that, each rounded to the 16-bit type (lc_round16),
 * are bitwise the 16-bit call's; a binary16 NaN may be any NaN. Returns 1 if they agree,
 * 0 if not (the first difference in why), -1 if a buffer holds more than LC_TWIN_MAX_COUNT
 * values (not compared). *values counts the output values compared. */
static inline int lc_twin_agrees(const lc_export *e16, const lc_args *a16, losscore_status s16, const char *msg16, char *why,
                                 size_t why_size, size_t *values) {
    const lc_export *e32 = lc_export_of(e16->base, LC_FLOAT);
    if (e32 == NULL) {
        snprintf(why, why_size, "%s has no _f32 twin", e16->name);
        return 0;
    }
    lc_args a = *a16;
    lc_slot s[LC_MAX_SLOTS];
    int ns = lc_float_slots(e16, &a, s), result = 1;
    const uint16_t *bits[LC_MAX_SLOTS];
    float *wide[LC_MAX_SLOTS] = {0};
    for (int k = 0; k < ns; k++) {
        bits[k] = s[k].in ? (const uint16_t *)*s[k].in : (const uint16_t *)*s[k].out;
        if (s[k].count > LC_TWIN_MAX_COUNT) result = -1;
    }
    for (int k = 0; k < ns && result == 1; k++) {
        if (bits[k] == NULL) continue;
        if ((wide[k] = malloc((s[k].count ? s[k].count : 1) * sizeof(float))) == NULL) abort();
        for (size_t i = 0; s[k].in && i < s[k].count; i++) wide[k][i] = lc_widen16(e16->float_type, bits[k][i]);
        for (size_t i = 0; s[k].out && i < s[k].count; i++) wide[k][i] = 0;
        if (s[k].in) *s[k].in = wide[k];
        else *s[k].out = wide[k];
    }
    if (result == 1) {
        losscore_status s32 = e32->call(&a);
        char msg32[LOSSCORE_ERROR_MESSAGE_SIZE], want[2 * LOSSCORE_ERROR_MESSAGE_SIZE];
        snprintf(msg32, sizeof msg32, "%s", losscore_last_error());
        lc_renamed(msg32, e32->name, e16->name, want, sizeof want);
        if (s32 != s16) {
            snprintf(why, why_size, "status %s (\"%s\"); the f32 twin on the widened values: %s (\"%s\")",
                     losscore_status_string(s16), msg16, losscore_status_string(s32), msg32);
            result = 0;
        } else if (s16 != LOSSCORE_OK && strcmp(msg16, want) != 0) {
            snprintf(why, why_size, "message \"%s\"; the f32 twin's, renamed: \"%s\"", msg16, want);
            result = 0;
        }
        for (int k = 0; k < ns && result == 1 && s16 == LOSSCORE_OK; k++) {
            if (!s[k].out || bits[k] == NULL) continue;
            for (size_t i = 0; i < s[k].count && result == 1; i++) {
                uint16_t got = bits[k][i], expect = lc_round16(e16->float_type, wide[k][i]);
                int nans = e16->float_type == LC_F16 && lc_isnan16(LC_F16, got) && lc_isnan16(LC_F16, expect);
                if (got != expect && !nans) {
                    snprintf(why, why_size, "%s[%zu] = 0x%04x (%.9g); the f32 twin's %.9g rounds to 0x%04x", s[k].name, i, got,
                             (double)lc_widen16(e16->float_type, got), (double)wide[k][i], expect);
                    result = 0;
                }
            }
            *values += s[k].count;
        }
    }
    for (int k = 0; k < ns; k++) free(wide[k]);
    return result;
}

#endif /* LOSSCORE_TESTS_EXPORTS_H */
