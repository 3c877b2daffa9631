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

/* Element types of buffers. */
typedef enum { LC_NONE = 0, LC_FLOAT, LC_DOUBLE, LC_INT64 } lc_type;

static inline size_t lc_type_size(lc_type t) { return t == LC_FLOAT ? sizeof(float) : t == LC_NONE ? 0 : 8; }

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

#endif /* LOSSCORE_TESTS_EXPORTS_H */
