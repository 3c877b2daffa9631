/*
 * test_contract.c - the contract every loss export has, checked for each entry of the
 * generated export table (exports.h) and so for every f32, f64, f16 and bf16 entry point,
 * with no per-loss code: the header's conventions on NULL pointers, reductions, option domains,
 * sizes whose buffers cannot exist, empty inputs, class indices and label rows, pos_weight
 * and weight counts,
 * which outputs a call writes, grad_output, thread-count independence and thread-local
 * errors; and the runtime functions (version, status strings, threads). A 16-bit export's
 * refusals are also its f32 twin's, call for call: the same status and the same message but
 * for the export's name (test_twin_refusals).
 *
 * Values are checked in test_values.c. Build and run with Tests/c/run.sh [LIBDIR]; prints
 * "N passed, M failed" last and exits non-zero on any failure.
 */
#include "support.h"

#include <float.h>
#include <limits.h>
#include <pthread.h>

/* ------------------------------------------------------------------------ */
/* A call of one export on buffers the harness owns                           */
/* ------------------------------------------------------------------------ */

/* A call's sizes; for a row-tuple export `c` is the row width d. */
typedef struct {
    size_t n, c, inner, pwc, t, s; /* t, s: frames and padded target length of sequences */
} shape_t;

/* The small valid call each check changes one thing of: 10 elements, 2 samples of 3
 * classes at 2 positions each, 4 rows of 3 values, or 2 sequences of 4 frames of 3 classes
 * with targets padded to 2; pos_weight_count 2 divides n. */
static shape_t small_shape(const lc_export *e) {
    if (lc_has(e, LC_T)) return (shape_t){2, 3, 1, 0, 4, 2};
    if (lc_has(e, LC_C)) return (shape_t){2, 3, lc_has(e, LC_INNER) ? 2 : 1, 0, 0, 0};
    if (lc_has(e, LC_D)) return (shape_t){4, 3, 1, 0, 0, 0};
    return (shape_t){10, 0, 1, 2, 0, 0};
}

typedef struct {
    const lc_export *e;
    lc_args a;      /* what the next call passes */
    size_t E, P;    /* elements and positions the buffers hold */
    void *input, *target, *weight, *pos_weight, *grad_output, *out, *grad;
    void *input2, *input3, *grad2, *grad3; /* row tuples: the other operands and their gradients */
    int64_t *input_lengths, *target_lengths; /* sequences: n each */
} fixture;

/* Buffers for shape s with valid data (probabilities, class indices in [0, c), positive
 * weights; for sequences log-probabilities, targets in [1, c) that are not the blank 0, every
 * frame, target lengths in [1, s] that fit in them), out and grad filled with SENTINEL,
 * typical options and every optional argument given; reduction r. */
static void fixture_make(fixture *f, const lc_export *e, shape_t s, int r, uint64_t seed) {
    memset(f, 0, sizeof *f);
    f->e = e;
    lc_args *a = &f->a;
    a->n = s.n, a->c = s.c, a->d = s.c, a->inner = s.inner, a->pos_weight_count = s.pwc, a->ignore_index = -100;
    a->var_repeat = a->var_inner = 1; /* a var (where an export shares one) of one value per element */
    a->reduction = r;
    a->t = s.t, a->s = s.s, a->blank = 0;
    a->weight_count = s.c; /* per class; the buffer holds enough for one weight per element too */
    for (int k = 0; k < e->num_options; k++) a->options[k] = e->options[k].typical;
    f->E = lc_elements(e, a), f->P = lc_positions(e, a);
    lc_type ft = e->float_type;
    size_t nt = lc_target_count(e, a), nw = lc_weight_count(e, a);
    if (lc_has(e, LC_WEIGHT_COUNT) && nw < f->E) nw = f->E;
    rng_state = seed;
    if (e->input_type == LC_INT64) {
        int64_t *in = malloc((f->E + 1) * sizeof *in);
        for (size_t i = 0; i < f->E; i++) in[i] = (int64_t)(rng_next() % 5);
        f->input = in;
    } else {
        f->input = lc_alloc(e->input_type, f->E);
        for (size_t i = 0; i < f->E; i++)
            lc_store(e->input_type, f->input, i, lc_has(e, LC_T) ? log(rng_uniform(0.05, 0.95)) : rng_uniform(0.05, 0.95));
    }
    if (lc_has(e, LC_T)) {
        int64_t *t = malloc((nt + 1) * sizeof *t);
        f->input_lengths = malloc((s.n + 1) * sizeof *f->input_lengths);
        f->target_lengths = malloc((s.n + 1) * sizeof *f->target_lengths);
        for (size_t i = 0; i < nt; i++) t[i] = s.c > 1 ? 1 + (int64_t)(rng_next() % (s.c - 1)) : 0;
        size_t longest = s.s < (s.t + 1) / 2 ? s.s : (s.t + 1) / 2; /* no repeats need more frames than that */
        for (size_t i = 0; i < s.n; i++) {
            f->input_lengths[i] = (int64_t)s.t;
            f->target_lengths[i] = longest ? 1 + (int64_t)(rng_next() % longest) : 0;
        }
        f->target = t;
        a->input_lengths = f->input_lengths, a->target_lengths = f->target_lengths;
    } else if (e->target_type == LC_INT64) {
        int64_t *t = malloc((nt + 1) * sizeof *t);
        for (size_t i = 0; i < nt; i++) t[i] = (int64_t)(rng_next() % (lc_has(e, LC_C) ? (s.c ? s.c : 1) : 5));
        /* Label rows: values in [-1, c), so each row's list ends at a random -1 (or fills it). */
        for (size_t i = 0; lc_has(e, LC_TARGET_LABELS) && i < nt; i++) t[i] = (int64_t)(rng_next() % (s.c + 1)) - 1;
        f->target = t;
    } else if (e->target_type != LC_NONE) {
        f->target = lc_alloc(ft, nt);
        for (size_t i = 0; i < nt; i++) lc_store(ft, f->target, i, rng_uniform(0, 1));
        /* A row tuple's targets: 1 or -1 (any other value gives a loss of 0). */
        for (size_t i = 0; lc_has(e, LC_D) && i < nt; i++) lc_store(ft, f->target, i, rng_next() % 2 ? 1 : -1);
    }
    f->weight = lc_alloc(ft, nw), f->pos_weight = lc_alloc(ft, s.pwc), f->grad_output = lc_alloc(ft, f->P);
    for (size_t i = 0; i < nw; i++) lc_store(ft, f->weight, i, rng_uniform(0.5, 2));
    for (size_t i = 0; i < s.pwc; i++) lc_store(ft, f->pos_weight, i, rng_uniform(0.5, 2));
    for (size_t i = 0; i < f->P; i++) lc_store(ft, f->grad_output, i, rng_uniform(0.5, 1.5));
    if (lc_has(e, LC_INPUT2)) f->input2 = lc_alloc(ft, f->E);
    if (lc_has(e, LC_INPUT3)) f->input3 = lc_alloc(ft, f->E);
    for (size_t i = 0; f->input2 && i < f->E; i++) lc_store(ft, f->input2, i, rng_uniform(0.05, 0.95));
    for (size_t i = 0; f->input3 && i < f->E; i++) lc_store(ft, f->input3, i, rng_uniform(0.05, 0.95));
    f->out = lc_alloc(ft, f->P), f->grad = lc_alloc(ft, f->E), f->grad2 = lc_alloc(ft, f->E), f->grad3 = lc_alloc(ft, f->E);
    a->input2 = f->input2, a->input3 = f->input3;
    a->grad_input2 = lc_has(e, LC_GRAD_INPUT2) ? f->grad2 : NULL, a->grad_input3 = lc_has(e, LC_GRAD_INPUT3) ? f->grad3 : NULL;
    a->input = f->input, a->target = f->target, a->out = f->out;
    a->weight = f->weight, a->pos_weight = s.pwc ? f->pos_weight : NULL, a->grad_output = f->grad_output;
    a->grad_input = lc_has(e, LC_GRAD_INPUT) ? f->grad : NULL;
}

/* Gives (on) or withholds every optional argument: weight, pos_weight, grad_output, grad_input. */
static void fixture_optional(fixture *f, int on) {
    f->a.weight = on ? f->weight : NULL;
    f->a.pos_weight = on && f->a.pos_weight_count ? f->pos_weight : NULL;
    f->a.grad_output = on ? f->grad_output : NULL;
    f->a.grad_input = on && lc_has(f->e, LC_GRAD_INPUT) ? f->grad : NULL;
    f->a.grad_input2 = on && lc_has(f->e, LC_GRAD_INPUT2) ? f->grad2 : NULL;
    f->a.grad_input3 = on && lc_has(f->e, LC_GRAD_INPUT3) ? f->grad3 : NULL;
}

static void fixture_free(fixture *f) {
    free(f->input), free(f->target), free(f->weight), free(f->pos_weight), free(f->grad_output), free(f->out), free(f->grad);
    free(f->input2), free(f->input3), free(f->grad2), free(f->grad3);
    free(f->input_lengths), free(f->target_lengths);
}

/* Refills out and grad with SENTINEL (guards included). */
static void fixture_reset(fixture *f) {
    lc_fill_sentinel(f->e->float_type, f->out, f->P + 2);
    lc_fill_sentinel(f->e->float_type, f->grad, f->E + 2);
    lc_fill_sentinel(f->e->float_type, f->grad2, f->E + 2);
    lc_fill_sentinel(f->e->float_type, f->grad3, f->E + 2);
}

static int fixture_intact(const fixture *f) {
    lc_type ft = f->e->float_type;
    return lc_first_written(ft, f->out, f->P + 2) < 0 && lc_first_written(ft, f->grad, f->E + 2) < 0 &&
           lc_first_written(ft, f->grad2, f->E + 2) < 0 && lc_first_written(ft, f->grad3, f->E + 2) < 0;
}

static losscore_status fixture_call(fixture *f) {
    fixture_reset(f);
    return f->e->call(&f->a);
}

/* The position of element el (its sample and inner index; a sequence's sample). */
static size_t position_of(const fixture *f, size_t el) {
    size_t c = lc_width(f->e, &f->a), inner = lc_has(f->e, LC_INNER) ? f->a.inner : 1;
    if (lc_has(f->e, LC_T)) return (el / c) % f->a.n;
    return (el / (c * inner)) * inner + el % inner;
}

/* ------------------------------------------------------------------------ */
/* Refusals                                                                   */
/* ------------------------------------------------------------------------ */

/* What each export answered to the REFUSED and ACCEPTED calls below, in order: the checks
 * make the same calls of every type of a loss, so a 16-bit export's list must be its f32
 * twin's (test_twin_refusals). */
typedef struct {
    losscore_status status;
    int line;
    char msg[LOSSCORE_ERROR_MESSAGE_SIZE];
} verdict_t;

static verdict_t *verdicts[LC_NUM_EXPORTS];
static size_t verdict_count[LC_NUM_EXPORTS], verdict_room[LC_NUM_EXPORTS];

static void record_verdict(const lc_export *e, losscore_status s, int line) {
    size_t i = (size_t)(e - LC_EXPORTS);
    if (verdict_count[i] == verdict_room[i]) {
        verdict_room[i] = verdict_room[i] ? 2 * verdict_room[i] : 256;
        if (!(verdicts[i] = realloc(verdicts[i], verdict_room[i] * sizeof *verdicts[i]))) abort();
    }
    verdict_t *v = &verdicts[i][verdict_count[i]++];
    v->status = s, v->line = line;
    snprintf(v->msg, sizeof v->msg, "%s", losscore_last_error());
}

/* A refused call returns `want`, writes nothing, and leaves a message that names the
 * function and (one of the '|'-separated) arguments at fault. */
static void expect_refused(fixture *f, losscore_status want, const char *needle, const char *what, int line) {
    losscore_status s = fixture_call(f);
    const char *msg = losscore_last_error();
    record_verdict(f->e, s, line);
    check_at(s == want, line, "%s (%s): status %s, expected %s (\"%s\")", f->e->name, what, losscore_status_string(s),
             losscore_status_string(want), msg);
    check_at(contains_word(msg, f->e->name, strlen(f->e->name)) && mentions(msg, needle), line,
             "%s (%s): last_error \"%s\" should name the function and %s", f->e->name, what, msg, needle);
    check_at(fixture_intact(f), line, "%s (%s): a refused call wrote to out or grad_input", f->e->name, what);
}

static void expect_accepted(fixture *f, const char *what, int line) {
    losscore_status s = fixture_call(f);
    const char *msg = losscore_last_error();
    record_verdict(f->e, s, line);
    check_at(s == LOSSCORE_OK && msg[0] == '\0', line, "%s (%s): status %s, expected success (\"%s\")", f->e->name, what,
             losscore_status_string(s), msg);
}

#define REFUSED(f, want, needle, ...)                                                                                     \
    do {                                                                                                                  \
        char what_[160];                                                                                                  \
        snprintf(what_, sizeof what_, __VA_ARGS__);                                                                       \
        expect_refused(f, want, needle, what_, __LINE__);                                                                 \
    } while (0)
#define ACCEPTED(f, ...)                                                                                                  \
    do {                                                                                                                  \
        char what_[160];                                                                                                  \
        snprintf(what_, sizeof what_, __VA_ARGS__);                                                                       \
        expect_accepted(f, what_, __LINE__);                                                                              \
    } while (0)

/* NULL for each required pointer (with and without the optional ones), for every
 * reduction; `out` is required for a reduced result even with no data. */
static void test_null_pointers(const lc_export *e) {
    for (int r = 0; r < 3; r++) {
        for (int opt = 0; opt <= 1; opt++) {
            fixture f;
            fixture_make(&f, e, small_shape(e), r, 11);
            fixture_optional(&f, opt);
            f.a.input = NULL;
            REFUSED(&f, LOSSCORE_ERROR_NULL_POINTER, e->input_name, "%s = NULL, %s, optionals %d", e->input_name, red_name(r), opt);
            f.a.input = f.input;
            if (e->target_type != LC_NONE) {
                f.a.target = NULL;
                REFUSED(&f, LOSSCORE_ERROR_NULL_POINTER, e->target_name, "%s = NULL, %s, optionals %d", e->target_name,
                        red_name(r), opt);
                f.a.target = f.target;
            }
            if (lc_has(e, LC_INPUT_LENGTHS | LC_TARGET_LENGTHS)) {
                f.a.input_lengths = NULL;
                REFUSED(&f, LOSSCORE_ERROR_NULL_POINTER, "input_lengths", "input_lengths = NULL, %s, optionals %d",
                        red_name(r), opt);
                f.a.input_lengths = f.input_lengths, f.a.target_lengths = NULL;
                REFUSED(&f, LOSSCORE_ERROR_NULL_POINTER, "target_lengths", "target_lengths = NULL, %s, optionals %d",
                        red_name(r), opt);
                f.a.target_lengths = f.target_lengths;
            }
            if (lc_has(e, LC_INPUT2)) {
                f.a.input2 = NULL;
                REFUSED(&f, LOSSCORE_ERROR_NULL_POINTER, e->input2_name, "%s = NULL, %s", e->input2_name, red_name(r));
                f.a.input2 = f.input2;
            }
            if (lc_has(e, LC_INPUT3)) {
                f.a.input3 = NULL;
                REFUSED(&f, LOSSCORE_ERROR_NULL_POINTER, e->input3_name, "%s = NULL, %s", e->input3_name, red_name(r));
                f.a.input3 = f.input3;
            }
            f.a.out = NULL;
            REFUSED(&f, LOSSCORE_ERROR_NULL_POINTER, "out", "out = NULL, %s, optionals %d", red_name(r), opt);
            if (r > 0) {
                f.a.n = 0, f.a.input = NULL, f.a.target = NULL, f.a.input2 = NULL, f.a.input3 = NULL;
                REFUSED(&f, LOSSCORE_ERROR_NULL_POINTER, "out", "n = 0, out = NULL, %s", red_name(r));
            }
            fixture_free(&f);
        }
    }
}

/* Reductions outside the enum are refused (also with no data), naming the value. */
static void test_invalid_reductions(const lc_export *e) {
    const int bad[] = {3, 7, -1, INT_MAX, INT_MIN};
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        fixture f;
        fixture_make(&f, e, small_shape(e), bad[k], 12);
        REFUSED(&f, LOSSCORE_ERROR_INVALID_ARGUMENT, "reduction", "reduction = %d", bad[k]);
        if (bad[k] == 7) REFUSED(&f, LOSSCORE_ERROR_INVALID_ARGUMENT, "7", "reduction = 7 (the value in the message)");
        f.a.n = 0, f.a.input = NULL, f.a.target = NULL;
        REFUSED(&f, LOSSCORE_ERROR_INVALID_ARGUMENT, "reduction", "reduction = %d, n = 0", bad[k]);
        fixture_free(&f);
    }
}

/* Options outside their domain (NaN, beyond either end, infinities the domain excludes; for a
 * flag any int32_t but 0 and 1) are refused, also with no data; the domain's closed ends and
 * typical values are accepted. */
static void test_option_domains(const lc_export *e) {
    for (int k = 0; k < e->num_options; k++) {
        const lc_option *o = &e->options[k];
        double bad[12], good[6];
        int nb = 0, ng = 0;
        bad[nb++] = NAN, bad[nb++] = -NAN;
        if (o->flag) {  /* an int32_t: lo and hi only (0 and 1 for a flag) */
            bad[nb++] = o->lo - 1, bad[nb++] = o->hi + 1, bad[nb++] = INT32_MIN, bad[nb++] = INT32_MAX;
            good[ng++] = o->lo, good[ng++] = o->hi;
        } else {
            if (isfinite(o->lo)) {
                bad[nb++] = o->lo_open ? o->lo : nextafter(o->lo, -INFINITY);
                if (o->lo == 0 && o->lo_open) bad[nb++] = -0.0;
                bad[nb++] = o->lo - 1, bad[nb++] = -INFINITY;
                good[ng++] = o->lo_open ? nextafter(o->lo, INFINITY) : o->lo;
                if (o->lo == 0 && !o->lo_open) good[ng++] = -0.0;
            } else if (!o->lo_open) {
                good[ng++] = -INFINITY;
            }
            if (isfinite(o->hi)) {
                bad[nb++] = o->hi_open ? o->hi : nextafter(o->hi, INFINITY);
                bad[nb++] = o->hi + 1, bad[nb++] = INFINITY;
                good[ng++] = o->hi_open ? nextafter(o->hi, -INFINITY) : o->hi;
            } else {
                if (o->hi_open) bad[nb++] = INFINITY;
                else good[ng++] = INFINITY;
                good[ng++] = 50;
            }
        }
        good[ng++] = o->typical;
        for (int b = 0; b < nb; b++) {
            for (int r = 0; r < 3; r++) {
                fixture f;
                fixture_make(&f, e, small_shape(e), r, 13);
                f.a.options[k] = bad[b];
                REFUSED(&f, LOSSCORE_ERROR_INVALID_ARGUMENT, o->name, "%s = %.17g, %s", o->name, bad[b], red_name(r));
                if (r == 1) {
                    f.a.n = 0, f.a.input = NULL, f.a.target = NULL;
                    REFUSED(&f, LOSSCORE_ERROR_INVALID_ARGUMENT, o->name, "%s = %.17g, n = 0", o->name, bad[b]);
                }
                fixture_free(&f);
            }
        }
        for (int g = 0; g < ng; g++) {
            fixture f;
            fixture_make(&f, e, small_shape(e), g % 3, 14);
            f.a.options[k] = good[g];
            ACCEPTED(&f, "%s = %.17g", o->name, good[g]);
            fixture_free(&f);
        }
    }
}

/* Class indices outside [0, c) that are not ignore_index are refused, naming target and
 * the value, also where every other position is ignored. */
static void test_class_indices(const lc_export *e) {
    if (!lc_has(e, LC_TARGET_INDEX | LC_C) || lc_has(e, LC_T)) return; /* sequences: test_sequence_arguments */
    const struct { int64_t t, ii; } bad[] = {{-1, -100}, {3, -100}, {4, -100}, {INT64_MAX, -100}, {INT64_MIN, -100},
                                             {-100, -1}, {3, 1},    {-1, 3},    {1000000007, -100}, {INT64_MIN + 1, INT64_MIN}};
    int ignoring = lc_has(e, LC_IGNORE_INDEX);
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        if (!ignoring && bad[k].ii != -100) continue;
        for (int r = 0; r < 3; r++) {
            for (int variant = 0; variant < (ignoring ? 4 : 2); variant++) {
                int opt = variant % 2, all_ignored = variant >= 2;
                fixture f;
                fixture_make(&f, e, small_shape(e), r, 15);
                fixture_optional(&f, opt);
                f.a.ignore_index = bad[k].ii;
                int64_t *t = f.target;
                if (all_ignored)
                    for (size_t i = 0; i < f.P; i++) t[i] = bad[k].ii;
                t[f.P - 1] = bad[k].t;
                char value[32];
                snprintf(value, sizeof value, "%lld", (long long)bad[k].t);
                REFUSED(&f, LOSSCORE_ERROR_INDEX, "target", "target = %s, c = 3, ignore_index = %lld, %s, optionals %d%s", value,
                        (long long)bad[k].ii, red_name(r), opt, all_ignored ? ", others ignored" : "");
                REFUSED(&f, LOSSCORE_ERROR_INDEX, value, "target = %s: the value in the message", value);
                fixture_free(&f);
            }
        }
    }
}

/* The arguments only sequences have: a target read (inside its sample's length) outside
 * [0, c) is an index error naming targets, the sample, the position and the value, while
 * padding past the lengths is never read; input lengths outside [0, t], target lengths below
 * 0 or above s, and a blank outside [0, c) are refused naming them; concatenated targets
 * (s = 0) read exactly the sum of the target lengths. */
static void test_sequence_arguments(const lc_export *e) {
    if (!lc_has(e, LC_T)) return;
    const int64_t bad_targets[] = {-1, 3, 4, INT64_MAX, INT64_MIN};
    for (size_t k = 0; k < sizeof bad_targets / sizeof bad_targets[0]; k++) {
        for (int r = 0; r < 3; r++) {
            fixture f;
            fixture_make(&f, e, small_shape(e), r, 41);
            int64_t *t = f.target;
            f.target_lengths[1] = 1;
            t[3] = bad_targets[k]; /* padding of sample 1: not read */
            ACCEPTED(&f, "targets[1][1] = %lld past target_lengths[1] = 1", (long long)bad_targets[k]);
            t[2] = bad_targets[k];
            char value[32];
            snprintf(value, sizeof value, "%lld", (long long)bad_targets[k]);
            REFUSED(&f, LOSSCORE_ERROR_INDEX, "targets", "targets[1][0] = %s, %s", value, red_name(r));
            REFUSED(&f, LOSSCORE_ERROR_INDEX, value, "targets[1][0] = %s: the value in the message", value);
            f.a.s = 0; /* concatenated: sample 0's targets first, then sample 1's */
            t[0] = 1, t[1] = 2, t[2] = 1, f.target_lengths[0] = 2;
            ACCEPTED(&f, "concatenated targets of lengths 2 and 1");
            t[2] = bad_targets[k];
            REFUSED(&f, LOSSCORE_ERROR_INDEX, "targets", "concatenated targets[2] = %s", value);
            fixture_free(&f);
        }
    }
    const struct { int which; int64_t value; const char *needle; } bad_lengths[] = {
        {0, 5, "input_lengths"}, {0, -1, "input_lengths"}, {0, INT64_MIN, "input_lengths"}, {0, INT64_MAX, "input_lengths"},
        {1, -1, "target_lengths"}, {1, 3, "target_lengths"}, {1, INT64_MAX, "target_lengths"}, {1, INT64_MIN, "target_lengths"}};
    for (size_t k = 0; k < sizeof bad_lengths / sizeof bad_lengths[0]; k++) {
        fixture f;
        fixture_make(&f, e, small_shape(e), (int)(k % 3), 42);
        (bad_lengths[k].which ? f.target_lengths : f.input_lengths)[1] = bad_lengths[k].value;
        REFUSED(&f, LOSSCORE_ERROR_SHAPE, bad_lengths[k].needle, "%s[1] = %lld with t = 4, s = 2", bad_lengths[k].needle,
                (long long)bad_lengths[k].value);
        fixture_free(&f);
    }
    {   /* Concatenated targets whose lengths sum past any buffer. */
        fixture f;
        fixture_make(&f, e, small_shape(e), 1, 43);
        f.a.s = 0, f.target_lengths[0] = INT64_MAX, f.target_lengths[1] = INT64_MAX;
        REFUSED(&f, LOSSCORE_ERROR_SHAPE, "target_lengths", "concatenated target_lengths summing past INT64_MAX");
        fixture_free(&f);
    }
    const int64_t bad_blanks[] = {-1, 3, 4, INT64_MAX, INT64_MIN};
    for (size_t k = 0; k < sizeof bad_blanks / sizeof bad_blanks[0]; k++) {
        fixture f;
        fixture_make(&f, e, small_shape(e), (int)(k % 3), 44);
        f.a.blank = bad_blanks[k];
        REFUSED(&f, LOSSCORE_ERROR_INVALID_ARGUMENT, "blank", "blank = %lld with c = 3", (long long)bad_blanks[k]);
        fixture_free(&f);
    }
    for (int64_t blank = 0; blank < 3; blank++) { /* every class may be blank, a target too */
        fixture f;
        fixture_make(&f, e, small_shape(e), 1, 45);
        f.a.blank = blank;
        ACCEPTED(&f, "blank = %lld with c = 3", (long long)blank);
        fixture_free(&f);
    }
}

/* Label rows (int64 of input's shape, each row's list ended by its first -1) hold values in
 * [-1, c) only, before and after that -1 (torch checks the whole row): any other is refused
 * naming the labels and the value. Rows of -1 alone (no labels: loss 0, gradient 0) and
 * rows without a -1 are valid. */
static void test_label_rows(const lc_export *e) {
    if (!lc_has(e, LC_TARGET_LABELS)) return;
    const int64_t bad[] = {-2, 3, 4, INT64_MAX, INT64_MIN, 1000000007};
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        for (int r = 0; r < 3; r++) {
            for (int after_end = 0; after_end <= 1; after_end++) {
                fixture f;
                fixture_make(&f, e, small_shape(e), r, 15);
                int64_t *t = f.target;
                if (after_end)
                    t[0] = -1, t[1] = bad[k];
                else
                    t[f.E - 1] = bad[k];
                char value[32];
                snprintf(value, sizeof value, "%lld", (long long)bad[k]);
                REFUSED(&f, LOSSCORE_ERROR_INDEX, e->target_name, "%s = %s (c = 3), %s%s", e->target_name, value, red_name(r),
                        after_end ? ", after a row's -1" : "");
                REFUSED(&f, LOSSCORE_ERROR_INDEX, value, "%s = %s: the value in the message", e->target_name, value);
                fixture_free(&f);
            }
        }
    }
    fixture f;
    fixture_make(&f, e, small_shape(e), LOSSCORE_REDUCTION_NONE, 15);
    int64_t *t = f.target;
    for (size_t i = 0; i < f.E; i++) t[i] = -1;
    losscore_status s = fixture_call(&f);
    int zero = s == LOSSCORE_OK;
    for (size_t i = 0; i < f.P; i++) zero &= lc_load(e->float_type, f.out, i) == 0;
    for (size_t i = 0; i < f.E; i++) zero &= lc_load(e->float_type, f.grad, i) == 0;
    CHECK(zero, "%s: rows without labels (all -1) must give loss 0 and gradient 0 (%s)", e->name, losscore_status_string(s));
    for (size_t i = 0; i < f.E; i++) t[i] = (int64_t)((i * 2) % f.a.c);
    ACCEPTED(&f, "%s rows without a -1", e->target_name);
    fixture_free(&f);
}

/* weight_count must be c (per class) or n * c (per element) when weight is given, and is
 * ignored when it is NULL; per-element weights that repeat the per-class ones give the same
 * bits. */
static void test_weight_counts(const lc_export *e) {
    if (!lc_has(e, LC_WEIGHT_COUNT)) return;
    const size_t bad[] = {0, 1, 2, 4, 5, 7, 12, SIZE_MAX, SIZE_MAX / 2 + 1}; /* n = 2, c = 3 */
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        for (int r = 0; r < 3; r++) {
            fixture f;
            fixture_make(&f, e, small_shape(e), r, 17);
            f.a.weight_count = bad[k];
            REFUSED(&f, LOSSCORE_ERROR_SHAPE, "weight_count", "weight_count = %zu with c = 3, n * c = 6, %s", bad[k], red_name(r));
            f.a.weight = NULL;
            ACCEPTED(&f, "weight NULL, weight_count = %zu", bad[k]);
            fixture_free(&f);
        }
    }
    for (int r = 0; r < 3; r++) {
        fixture f;
        fixture_make(&f, e, small_shape(e), r, 18);
        lc_type ft = e->float_type;
        size_t fs = lc_type_size(ft), outn = lc_out_count(e, &f.a);
        for (size_t i = f.a.c; i < f.E; i++) lc_store(ft, f.weight, i, lc_load(ft, f.weight, i % f.a.c));
        losscore_status s = fixture_call(&f);
        void *out = lc_alloc(ft, outn), *grad = lc_alloc(ft, f.E);
        memcpy(out, f.out, outn * fs), memcpy(grad, f.grad, f.E * fs);
        f.a.weight_count = f.E;
        losscore_status s2 = fixture_call(&f);
        CHECK(s == LOSSCORE_OK && s2 == LOSSCORE_OK && memcmp(out, f.out, outn * fs) == 0 && memcmp(grad, f.grad, f.E * fs) == 0,
              "%s %s: per-element weights repeating the per-class ones must give the same bits", e->name, red_name(r));
        free(out), free(grad);
        fixture_free(&f);
    }
}

/* c = 0 while there are positions is a shape error (targets are ignored where they can
 * be, so that only the shape is wrong). */
static void test_zero_classes(const lc_export *e) {
    if (!lc_has(e, LC_C)) return;
    const shape_t shapes[] = {{2, 0, 2, 0, 0, 0}, {1, 0, 1, 0, 0, 0}};
    for (size_t k = 0; k < 2; k++) {
        for (int r = 0; r < 3; r++) {
            fixture f;
            fixture_make(&f, e, small_shape(e), r, 16);
            f.a.n = shapes[k].n, f.a.c = 0, f.a.inner = shapes[k].inner;
            int64_t *t = f.target;
            for (size_t i = 0; lc_has(e, LC_IGNORE_INDEX) && i < f.P; i++) t[i] = f.a.ignore_index;
            REFUSED(&f, LOSSCORE_ERROR_SHAPE, "c", "c = 0 with n = %zu, inner = %zu, %s", shapes[k].n, shapes[k].inner, red_name(r));
            fixture_free(&f);
        }
    }
}

/* pos_weight_count must divide n and not be 0 when pos_weight is given; it is ignored
 * when pos_weight is NULL. */
static void test_pos_weight_counts(const lc_export *e) {
    if (!lc_has(e, LC_POS_WEIGHT | LC_POS_WEIGHT_COUNT)) return;
    const size_t bad[] = {0, 3, 4, 20, 11, SIZE_MAX, SIZE_MAX / 2 + 1}, good[] = {1, 2, 5, 10};
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        for (int r = 0; r < 3; r++) {
            fixture f;
            fixture_make(&f, e, small_shape(e), r, 17);
            f.a.pos_weight = f.pos_weight, f.a.pos_weight_count = bad[k];
            REFUSED(&f, LOSSCORE_ERROR_SHAPE, "pos_weight|pos_weight_count", "pos_weight_count = %zu with n = 10, %s", bad[k],
                    red_name(r));
            f.a.pos_weight = NULL;
            ACCEPTED(&f, "pos_weight NULL, pos_weight_count = %zu", bad[k]);
            fixture_free(&f);
        }
    }
    fixture f;
    fixture_make(&f, e, (shape_t){10, 0, 1, 10, 0, 0}, 2, 18);
    for (size_t k = 0; k < sizeof good / sizeof good[0]; k++) {
        f.a.pos_weight_count = good[k];
        ACCEPTED(&f, "pos_weight_count = %zu with n = 10", good[k]);
    }
    f.a.n = 0, f.a.input = NULL, f.a.target = NULL, f.a.pos_weight_count = 0, f.a.reduction = 1;
    REFUSED(&f, LOSSCORE_ERROR_SHAPE, "pos_weight|pos_weight_count", "pos_weight_count = 0 with n = 0");
    fixture_free(&f);
}

/* ------------------------------------------------------------------------ */
/* Sizes whose buffers cannot exist: run in child processes                   */
/* ------------------------------------------------------------------------ */

static fixture *child_fixture;

static int child_call(void) {
    losscore_status s = fixture_call(child_fixture);
    return (int)s | (fixture_intact(child_fixture) ? 0 : 64);
}

typedef struct {
    size_t n, c, inner, pwc; /* pwc 0: no pos_weight */
    const char *needle, *what;
    int given_only; /* a size of an optional buffer: refused only when that buffer is given */
    size_t wc;      /* weight_count (exports that take one); 0: c, the per-class weight */
    size_t t, s;    /* sequences' frames and padded target length */
} huge_t;

enum { SIZES = 5 };
static const char *const size_names[SIZES] = {"n", "c", "inner", "t", "s"};
static const unsigned size_roles[SIZES] = {LC_N, LC_C, LC_INNER, LC_T, LC_S};

/* Size i of export e: a row width d takes the place of c (an export has one or the other). */
static unsigned size_role(const lc_export *e, int i) { return i == 1 && lc_has(e, LC_D) ? LC_D : size_roles[i]; }
static const char *size_name(const lc_export *e, int i) { return i == 1 && lc_has(e, LC_D) ? "d" : size_names[i]; }

/* Whether size i counts the elements of buffer kind b (0 input and float outputs, 1 target):
 * class indices are one per position (c does not count them, s does for sequences); the
 * frames t count the scores, not the targets. */
static int counts_buffer(const lc_export *e, int i, int b) {
    unsigned r = size_role(e, i);
    if (b == 1 && lc_has(e, LC_TARGET_INDEX)) return r != LC_C && r != LC_T;
    return r != LC_S;
}

/* Whether sizes i and j are factors of one product (t * n * c, n * s; n * c * inner). */
static int multiplied(const lc_export *e, int i, int j) {
    return counts_buffer(e, i, 0) && counts_buffer(e, j, 0) ? 1 : counts_buffer(e, i, 1) && counts_buffer(e, j, 1);
}

static huge_t huge_sizes(const size_t *s, size_t pw, const char *needle, const char *what, int given_only) {
    return (huge_t){s[0], s[1], s[2], pw, needle, what, given_only, 0, s[3], s[4]};
}

/* Sizes whose buffers cannot exist for e: each size alone at SIZE_MAX or 2^63, products of
 * two that wrap around or pass PTRDIFF_MAX, and counts whose elements fit in size_t while
 * their bytes (for each element size e has) do not. */
static size_t huge_cases(const lc_export *e, huge_t *out) {
    const size_t two32 = (size_t)1 << 32, two31 = (size_t)1 << 31, two63 = (size_t)1 << 63;
    size_t k = 0;
    size_t pw = lc_has(e, LC_POS_WEIGHT) ? 1 : 0;
    for (int i = 0; i < SIZES; i++) {
        if (!lc_has(e, size_role(e, i))) continue;
        const size_t single[] = {SIZE_MAX, two63};
        for (int v = 0; v < 2; v++) {
            size_t s[SIZES] = {2, 3, 2, 4, 2};
            s[i] = single[v];
            out[k++] = huge_sizes(s, pw, size_name(e, i), v ? "= 2^63" : "= SIZE_MAX", 0);
        }
        for (int j = i + 1; j < SIZES; j++) {
            if (!lc_has(e, size_role(e, j)) || !multiplied(e, i, j)) continue;
            const size_t pairs[][2] = {{two32, two32}, {3, (size_t)1 << 62}, {two32 + 1, two32 - 1}, {two32, two31 + 1}};
            static const char *const what[] = {"product 2^64", "product 3 * 2^62", "product 2^64 - 1", "product 2^63 + 2^32"};
            for (int v = 0; v < 4; v++) {
                size_t s[SIZES] = {1, 1, 1, 1, 1};
                s[i] = pairs[v][0], s[j] = pairs[v][1];
                out[k++] = huge_sizes(s, pw, "n|c|inner|d", what[v], 0);
            }
        }
    }
    const lc_type types[] = {e->input_type, e->target_type, e->float_type};
    for (int t = 0; t < 3; t++) {
        size_t es = lc_type_size(types[t]);
        if (es == 0 || (t > 0 && es == lc_type_size(types[0])) || (t == 2 && es == lc_type_size(types[1]))) continue;
        const size_t counts[] = {SIZE_MAX / es + 1, two63 / es, two63 / es + 3};
        static const char *const what[] = {"bytes = 2^64", "bytes = 2^63", "bytes > 2^63"};
        for (int i = 0; i < SIZES; i++) {
            if (!lc_has(e, size_role(e, i)) || !counts_buffer(e, i, t == 1)) continue;
            for (int v = 0; v < 3; v++) {
                size_t s[SIZES] = {1, 1, 1, 1, 1};
                s[i] = counts[v];
                /* (naming the size itself where its count alone passes a signed size: 2^63 of
                 * 2-byte elements) */
                out[k++] = huge_sizes(s, pw, "n|c|inner|d|t|s|target", what[v], 0);
            }
        }
        if (pw) {
            out[k++] = (huge_t){SIZE_MAX / es + 1, 1, 1, SIZE_MAX / es + 1, "n|pos_weight|pos_weight_count",
                                "n = pos_weight_count, bytes = 2^64", 0, 0, 1, 1};
            out[k++] = (huge_t){SIZE_MAX / es + 1, 1, 1, 2, "n", "pos_weight_count = 2, bytes = 2^64", 0, 0, 1, 1};
            out[k++] = (huge_t){two63 / es, 1, 1, 2, "n", "pos_weight_count = 2, bytes = 2^63", 0, 0, 1, 1};
        }
    }
    /* An empty batch with an optional buffer whose length cannot exist: c per-class weights,
     * or pos_weight_count values (nothing is computed, but the call is still refused). */
    size_t fs = lc_type_size(e->float_type);
    if (lc_has(e, LC_WEIGHT | LC_C))
        out[k++] = (huge_t){0, SIZE_MAX / fs + 1, 1, pw, "c|weight", "n = 0, weight of c values, bytes = 2^64", 1, 0, 1, 1};
    if (pw) out[k++] = (huge_t){0, 1, 1, two63 / fs, "pos_weight_count", "n = 0, pos_weight_count bytes = 2^63", 1, 0, 1, 1};
    if (lc_has(e, LC_WEIGHT_COUNT))
        out[k++] = (huge_t){0, 1, 1, pw, "weight_count", "n = 0, weight_count bytes = 2^63", 1, two63 / fs, 1, 1};
    return k;
}

static void test_huge_sizes(const lc_export *e) {
    huge_t cases[64];
    size_t nc = huge_cases(e, cases);
    for (size_t k = 0; k < nc; k++) {
        for (int r = 0; r <= 1; r++) {
            for (int opt = cases[k].given_only; opt <= 1; opt++) {
                fixture f;
                fixture_make(&f, e, small_shape(e), r, 19);
                fixture_optional(&f, opt);
                f.a.n = cases[k].n, f.a.c = f.a.d = cases[k].c, f.a.inner = cases[k].inner, f.a.t = cases[k].t;
                f.a.s = cases[k].s;
                f.a.pos_weight_count = cases[k].pwc ? cases[k].pwc : f.a.pos_weight_count;
                f.a.weight_count = cases[k].wc ? cases[k].wc : f.a.c;
                if (cases[k].pwc > 1) f.a.pos_weight = f.pos_weight;
                char what[256];
                snprintf(what, sizeof what, "%s (n=%zu c=%zu inner=%zu t=%zu s=%zu pos_weight_count=%zu, %s; %s, optionals %d)",
                         e->name, f.a.n, f.a.c, f.a.inner, f.a.t, f.a.s, f.a.pos_weight_count, cases[k].what, red_name(r), opt);
                child_fixture = &f;
                run_isolated(what, child_call, LOSSCORE_ERROR_SHAPE, cases[k].needle, __LINE__);
                fixture_free(&f);
            }
        }
    }
}

/* ------------------------------------------------------------------------ */
/* Successful calls                                                           */
/* ------------------------------------------------------------------------ */

/* On success the message is "", every output value is written and nothing else: n (or
 * n * inner) values under NONE, out[0] alone when reduced, every gradient value when one is
 * asked for and none otherwise. grad_output is ignored without grad_input; NULL means ones. */
static void test_success(const lc_export *e) {
    for (int r = 0; r < 3; r++) {
        for (int opt = 0; opt <= 1; opt++) {
            fixture f;
            fixture_make(&f, e, small_shape(e), r, 21);
            fixture_optional(&f, opt);
            lc_type ft = e->float_type;
            size_t outn = lc_out_count(e, &f.a), fs = lc_type_size(ft);
            losscore_status s = fixture_call(&f);
            const char *msg = losscore_last_error();
            CHECK(s == LOSSCORE_OK && msg[0] == '\0', "%s %s optionals %d: status %s (\"%s\")", e->name, red_name(r), opt,
                  losscore_status_string(s), msg);
            int all = 1;
            for (size_t i = 0; i < outn; i++) all &= !lc_is_sentinel(ft, f.out, i);
            CHECK(all && lc_first_written(ft, (char *)f.out + outn * fs, f.P + 2 - outn) < 0,
                  "%s %s optionals %d: out must get exactly %zu values", e->name, red_name(r), opt, outn);
            if (f.a.grad_input) {
                all = 1;
                for (size_t i = 0; i < f.E; i++) all &= !lc_is_sentinel(ft, f.grad, i);
                CHECK(all && lc_first_written(ft, (char *)f.grad + f.E * fs, 2) < 0,
                      "%s %s: grad_input must get exactly %zu values", e->name, red_name(r), f.E);
            } else {
                CHECK(lc_first_written(ft, f.grad, f.E + 2) < 0, "%s %s: no gradient was asked for, one was written", e->name,
                      red_name(r));
            }
            void *const others[2] = {f.a.grad_input2, f.a.grad_input3};
            for (int k = 0; k < 2; k++) {
                if (!others[k]) continue;
                all = 1;
                for (size_t i = 0; i < f.E; i++) all &= !lc_is_sentinel(ft, others[k], i);
                CHECK(all && lc_first_written(ft, (char *)others[k] + f.E * fs, 2) < 0,
                      "%s %s: the gradient of operand %d must get exactly %zu values", e->name, red_name(r), k + 2, f.E);
            }
            if (!lc_has(e, LC_GRAD_INPUT)) {
                fixture_free(&f);
                continue;
            }
            /* The loss alone, with a grad_output of NaN that must not be read: the same loss. */
            void *fused = lc_alloc(ft, outn), *fused_grad = lc_alloc(ft, f.E);
            fixture_optional(&f, 1);
            fixture_call(&f);
            memcpy(fused, f.out, outn * fs), memcpy(fused_grad, f.grad, f.E * fs);
            for (size_t i = 0; i < f.P; i++) lc_store(ft, f.grad_output, i, NAN);
            f.a.grad_input = NULL;
            s = fixture_call(&f);
            CHECK(s == LOSSCORE_OK && memcmp(f.out, fused, outn * fs) == 0 &&
                      lc_first_written(ft, f.grad, f.E + 2) < 0,
                  "%s %s: the loss without grad_input (grad_output NaN, ignored) differs from the fused loss", e->name, red_name(r));
            /* grad_output NULL is grad_output of ones. */
            for (size_t i = 0; i < f.P; i++) lc_store(ft, f.grad_output, i, 1.0);
            f.a.grad_input = f.grad;
            fixture_call(&f);
            memcpy(fused_grad, f.grad, f.E * fs);
            f.a.grad_output = NULL;
            fixture_call(&f);
            CHECK(memcmp(f.grad, fused_grad, f.E * fs) == 0, "%s %s: grad_output NULL differs from grad_output of ones", e->name,
                  red_name(r));
            free(fused), free(fused_grad);
            fixture_free(&f);
        }
    }
}

/* The last error names the function and is cleared by a successful call. */
static void test_last_error_lifecycle(const lc_export *e) {
    fixture f;
    fixture_make(&f, e, small_shape(e), 1, 22);
    f.a.input = NULL;
    losscore_status s = fixture_call(&f);
    const char *msg = losscore_last_error();
    CHECK(s == LOSSCORE_ERROR_NULL_POINTER && contains_word(msg, e->name, strlen(e->name)), "last_error \"%s\" should name %s",
          msg, e->name);
    f.a.input = f.input;
    s = fixture_call(&f);
    CHECK(s == LOSSCORE_OK && strcmp(losscore_last_error(), "") == 0, "%s: last_error after success: \"%s\"", e->name,
          losscore_last_error());
    fixture_free(&f);
}

/* Empty inputs (no positions): data pointers may be NULL; MEAN writes NaN, SUM 0, NONE
 * nothing (and out may then be NULL); no gradient is written. */
static void test_empty(const lc_export *e) {
    shape_t shapes[6];
    size_t ns = 0;
    if (lc_has(e, LC_INNER)) {
        const shape_t k[] = {{0, 3, 1, 0, 0, 0}, {0, 3, 4, 0, 0, 0}, {5, 3, 0, 0, 0, 0}, {0, 0, 1, 0, 0, 0}, {4, 0, 0, 0, 0, 0}, {0, 0, 0, 0, 0, 0}};
        for (ns = 0; ns < 6; ns++) shapes[ns] = k[ns];
    } else if (lc_has(e, LC_T)) { /* no samples, with frames or without, padded or concatenated */
        shapes[ns++] = (shape_t){0, 3, 1, 0, 4, 2}, shapes[ns++] = (shape_t){0, 0, 1, 0, 0, 0};
        shapes[ns++] = (shape_t){0, 3, 1, 0, 0, 0};
    } else if (lc_has(e, LC_C) || lc_has(e, LC_D)) {
        shapes[ns++] = (shape_t){0, 3, 1, 0, 0, 0}, shapes[ns++] = (shape_t){0, 0, 1, 0, 0, 0};
    } else {
        shapes[ns++] = (shape_t){0, 0, 1, 0, 0, 0};
    }
    const size_t counts[] = {0, 1, 3}; /* pos_weight: none, or counts that divide 0 */
    for (size_t k = 0; k < ns; k++) {
        for (size_t pc = 0; pc < (lc_has(e, LC_POS_WEIGHT) ? 3u : 1u); pc++) {
            for (int r = 0; r < 3; r++) {
                for (int opt = 0; opt <= 1; opt++) {
                    fixture f;
                    fixture_make(&f, e, (shape_t){1, 3, 1, 3, 0, 0}, r, 23);
                    fixture_optional(&f, opt);
                    f.a.n = shapes[k].n, f.a.c = f.a.d = shapes[k].c, f.a.inner = shapes[k].inner;
                    f.a.t = shapes[k].t, f.a.s = shapes[k].s;
                    f.a.input = NULL, f.a.target = NULL, f.a.input2 = NULL, f.a.input3 = NULL, f.a.pos_weight_count = counts[pc];
                    f.a.input_lengths = NULL, f.a.target_lengths = NULL;
                    f.a.pos_weight = counts[pc] ? f.pos_weight : NULL;
                    if (lc_has(e, LC_C) && shapes[k].c == 0) f.a.weight = NULL;
                    losscore_status s = fixture_call(&f);
                    const char *msg = losscore_last_error();
                    double o = lc_load(e->float_type, f.out, 0);
                    char ctx[160];
                    snprintf(ctx, sizeof ctx, "%s empty (n=%zu c=%zu inner=%zu pos_weight_count=%zu) %s optionals %d", e->name,
                             shapes[k].n, shapes[k].c, shapes[k].inner, counts[pc], red_name(r), opt);
                    CHECK(s == LOSSCORE_OK && msg[0] == '\0', "%s: status %s (\"%s\")", ctx, losscore_status_string(s), msg);
                    int unwritten = lc_is_sentinel(e->float_type, f.out, 0);
                    if (r == LOSSCORE_REDUCTION_MEAN)
                        CHECK(isnan(o) && !unwritten, "%s: the mean of nothing must be NaN, got %g (%s)", ctx, o,
                              unwritten ? "not written" : "written");
                    else if (r == LOSSCORE_REDUCTION_SUM)
                        CHECK(o == 0, "%s: the sum of nothing must be 0, got %g", ctx, o);
                    else
                        CHECK(unwritten, "%s: NONE of nothing must write nothing", ctx);
                    CHECK(lc_first_written(e->float_type, (char *)f.out + lc_type_size(e->float_type), f.P + 1) < 0 &&
                              lc_first_written(e->float_type, f.grad, f.E + 2) < 0 &&
                              lc_first_written(e->float_type, f.grad2, f.E + 2) < 0 &&
                              lc_first_written(e->float_type, f.grad3, f.E + 2) < 0,
                          "%s: wrote past out[0] or into a gradient", ctx);
                    if (r == LOSSCORE_REDUCTION_NONE) {
                        f.a.out = NULL;
                        s = fixture_call(&f);
                        CHECK(s == LOSSCORE_OK, "%s: out = NULL must be allowed: %s", ctx, losscore_status_string(s));
                    }
                    fixture_free(&f);
                }
            }
        }
    }
}

/* Row tuples with rows of no values (d = 0, n > 0): the data pointers may be NULL; every row
 * has a loss (NONE writes n values, MEAN and SUM one), and no gradient value exists to write. */
static void test_rows_without_values(const lc_export *e) {
    if (!lc_has(e, LC_D)) return;
    for (int r = 0; r < 3; r++) {
        for (int opt = 0; opt <= 1; opt++) {
            fixture f;
            fixture_make(&f, e, (shape_t){5, 3, 1, 0, 0, 0}, r, 30);
            fixture_optional(&f, opt);
            f.a.d = 0, f.a.input = f.a.input2 = f.a.input3 = NULL;
            losscore_status s = fixture_call(&f);
            size_t outn = r == 0 ? 5 : 1;
            int ok = s == LOSSCORE_OK;
            for (size_t i = 0; i < outn; i++) ok &= !lc_is_sentinel(e->float_type, f.out, i) && isfinite(lc_load(e->float_type, f.out, i));
            ok &= lc_first_written(e->float_type, (char *)f.out + outn * lc_type_size(e->float_type), 7 - outn) < 0;
            ok &= lc_first_written(e->float_type, f.grad, 2) < 0 && lc_first_written(e->float_type, f.grad2, 2) < 0 &&
                  lc_first_written(e->float_type, f.grad3, 2) < 0;
            CHECK(ok, "%s n = 5, d = 0, NULL data, %s optionals %d: status %s (\"%s\"); out must get %zu finite values, "
                      "nothing else", e->name, red_name(r), opt, losscore_status_string(s), losscore_last_error(), outn);
            fixture_free(&f);
        }
    }
}

/* Every position ignored: MEAN NaN, SUM 0, NONE zeros, and a gradient of zeros (written). */
static void test_all_ignored(const lc_export *e) {
    if (!lc_has(e, LC_IGNORE_INDEX)) return;
    const int64_t iis[] = {-100, 2, 4, INT64_MIN};
    for (size_t k = 0; k < 4; k++) {
        for (int r = 0; r < 3; r++) {
            for (int opt = 0; opt <= 1; opt++) {
                fixture f;
                fixture_make(&f, e, (shape_t){3, 4, lc_has(e, LC_INNER) ? 2 : 1, 0, 0, 0}, r, 24);
                fixture_optional(&f, opt);
                f.a.grad_input = f.grad;
                f.a.ignore_index = iis[k];
                int64_t *t = f.target;
                for (size_t i = 0; i < f.P; i++) t[i] = iis[k];
                losscore_status s = fixture_call(&f);
                char ctx[160];
                snprintf(ctx, sizeof ctx, "%s all ignored (ignore_index %lld) %s optionals %d", e->name, (long long)iis[k],
                         red_name(r), opt);
                int zero = 1;
                for (size_t i = 0; i < f.E; i++) zero &= lc_load(e->float_type, f.grad, i) == 0;
                CHECK(s == LOSSCORE_OK && zero, "%s: status %s; the gradient must be all zeros", ctx, losscore_status_string(s));
                double o = lc_load(e->float_type, f.out, 0);
                if (r == LOSSCORE_REDUCTION_MEAN)
                    CHECK(isnan(o) && !lc_is_sentinel(e->float_type, f.out, 0), "%s: mean must be NaN, got %g", ctx, o);
                if (r == LOSSCORE_REDUCTION_SUM) CHECK(o == 0, "%s: sum must be 0, got %g", ctx, o);
                if (r == LOSSCORE_REDUCTION_NONE) {
                    int z = 1;
                    for (size_t i = 0; i < f.P; i++) z &= lc_load(e->float_type, f.out, i) == 0;
                    CHECK(z, "%s: NONE must be zeros", ctx);
                }
                fixture_free(&f);
            }
        }
    }
}

/* Ignored positions get loss 0 and gradient 0 whatever grad_output holds there (NaN, inf),
 * and the other positions are as with a finite grad_output. */
static void test_ignored_grad_output(const lc_export *e) {
    if (!lc_has(e, LC_IGNORE_INDEX)) return;
    fixture f;
    fixture_make(&f, e, (shape_t){4, 3, lc_has(e, LC_INNER) ? 2 : 1, 0, 0, 0}, 0, 25);
    lc_type ft = e->float_type;
    int64_t *t = f.target;
    t[1] = t[f.P - 1] = -100;
    fixture_call(&f);
    void *base = lc_alloc(ft, f.E);
    memcpy(base, f.grad, f.E * lc_type_size(ft));
    lc_store(ft, f.grad_output, 1, NAN), lc_store(ft, f.grad_output, f.P - 1, INFINITY);
    losscore_status s = fixture_call(&f);
    int ok = s == LOSSCORE_OK && lc_load(ft, f.out, 1) == 0 && lc_load(ft, f.out, f.P - 1) == 0;
    for (size_t el = 0; el < f.E; el++) {
        size_t pos = position_of(&f, el);
        double g = lc_load(ft, f.grad, el);
        ok &= (pos == 1 || pos == f.P - 1) ? g == 0 : g == lc_load(ft, base, el);
    }
    CHECK(ok, "%s: ignored positions with grad_output NaN / inf must get loss 0 and gradient 0, others unchanged", e->name);
    free(base);
    fixture_free(&f);
}

/* Unweighted, nothing ignored: SUM = MEAN * positions (values and gradients); a scalar
 * grad_output scales the gradient and leaves the loss alone; under NONE grad_output
 * multiplies each position's gradient. */
static void unit_target_lengths(fixture *f) {
    for (size_t i = 0; f->target_lengths && i < f->a.n; i++) f->target_lengths[i] = 1;
}

/* (For sequences, with targets of length 1, where the CTC mean's division by the target
 * length is no change.) */
static void test_reduction_relations(const lc_export *e) {
    fixture f;
    shape_t sh = lc_has(e, LC_T)   ? (shape_t){5, 4, 1, 0, 6, 2}
                 : lc_has(e, LC_C) ? (shape_t){5, 4, lc_has(e, LC_INNER) ? 3 : 1, 0, 0, 0}
                 : lc_has(e, LC_D) ? (shape_t){6, 5, 1, 0, 0, 0}
                                   : (shape_t){24, 0, 1, 0, 0, 0};
    fixture_make(&f, e, sh, 1, 26);
    unit_target_lengths(&f);
    fixture_optional(&f, 0);
    int grads = lc_has(e, LC_GRAD_INPUT);
    f.a.grad_input = grads ? f.grad : NULL;
    lc_type ft = e->float_type;
    /* (A 16-bit result is rounded once more: a relative half unit of its type each.) */
    double tol = ft == LC_FLOAT ? 2e-6 : ft == LC_DOUBLE ? 1e-13 : 2e-6 + 2 * lc_type_eps(ft), P = (double)f.P;
    double *gm = malloc(f.E * sizeof *gm), *gs = malloc(f.E * sizeof *gs);
    fixture_call(&f);
    double mean = lc_load(ft, f.out, 0);
    for (size_t i = 0; grads && i < f.E; i++) gm[i] = lc_load(ft, f.grad, i);
    f.a.reduction = LOSSCORE_REDUCTION_SUM;
    fixture_call(&f);
    double sum = lc_load(ft, f.out, 0), gmax = 0;
    int ok = 1;
    for (size_t i = 0; grads && i < f.E; i++) ok &= close_to(gs[i] = lc_load(ft, f.grad, i), gm[i] * P, 4 * tol, 1e-30);
    for (size_t i = 0; grads && i < f.E; i++) gmax = fmax(gmax, fabs(gs[i]));
    double floor = tol * gmax; /* gradients that cancel to about 0 keep rounding noise of this size */
    CHECK(close_to(sum, mean * P, tol, 0) && ok, "%s: SUM %.17g must be MEAN %.17g times %g positions (and so the gradients)",
          e->name, sum, mean, P);
    if (grads) {
        const double scales[] = {2.5, -0.75, 0.0};
        for (int k = 0; k < 3; k++) {
            lc_store(ft, f.grad_output, 0, scales[k]);
            f.a.grad_output = f.grad_output;
            fixture_call(&f);
            ok = lc_load(ft, f.out, 0) == sum;
            for (size_t i = 0; i < f.E; i++) ok &= close_to(lc_load(ft, f.grad, i), scales[k] * gs[i], tol, 2.5 * floor + 1e-30);
            CHECK(ok, "%s: grad_output %g must scale the SUM gradient and leave the loss alone", e->name, scales[k]);
        }
        fixture_free(&f);
        fixture_make(&f, e, sh, 0, 26);
        unit_target_lengths(&f);
        f.a.grad_output = NULL;
        fixture_call(&f);
        for (size_t i = 0; i < f.E; i++) gm[i] = lc_load(ft, f.grad, i);
        f.a.grad_output = f.grad_output;
        fixture_call(&f);
        ok = 1;
        for (size_t i = 0; i < f.E; i++)
            ok &= close_to(lc_load(ft, f.grad, i), lc_load(ft, f.grad_output, position_of(&f, i)) * gm[i], tol, 2 * P * floor + 1e-30);
        CHECK(ok, "%s: under NONE grad_output must multiply each position's gradient", e->name);
    }
    free(gm), free(gs);
    fixture_free(&f);
}

/* An elementwise loss gives each element the same bits wherever it falls in its buffer, in
 * a 16-lane vector or in a tail, at any offset: a loss's lane and one-value forms agree.
 * 'none' with the gradient and without weights (the lane path), offsets 0 to 17; data over
 * both branches of the piecewise losses, or probabilities where a loss takes only those. */
static void test_position_independence(const lc_export *e) {
    if (e->family != LC_ELEMENTWISE || e->input_type == LC_INT64) return;
    enum { N = 96, OFFSETS = 18 };
    fixture f;
    fixture_make(&f, e, (shape_t){N, 0, 1, 0, 0, 0}, LOSSCORE_REDUCTION_NONE, 28);
    lc_type ft = e->float_type;
    size_t fs = lc_type_size(ft);
    rng_state = 29;
    for (size_t i = 0; i < N; i++) lc_store(ft, f.input, i, rng_uniform(-4, 4));
    for (size_t i = 0; f.target && i < N; i++) lc_store(ft, f.target, i, rng_uniform(-2, 2));
    for (size_t i = 0; f.input2 && i < N; i++) lc_store(ft, f.input2, i, rng_uniform(0.01, 4)); /* (a valid var) */
    fixture_optional(&f, 0);
    f.a.grad_input = lc_has(e, LC_GRAD_INPUT) ? f.grad : NULL;
    f.a.grad_input2 = lc_has(e, LC_GRAD_INPUT2) ? f.grad2 : NULL;
    if (fixture_call(&f) != LOSSCORE_OK) { /* a loss of probabilities: the fixture's data */
        fixture_free(&f);
        fixture_make(&f, e, (shape_t){N, 0, 1, 0, 0, 0}, LOSSCORE_REDUCTION_NONE, 28);
        fixture_optional(&f, 0);
        f.a.grad_input = lc_has(e, LC_GRAD_INPUT) ? f.grad : NULL;
        f.a.grad_input2 = lc_has(e, LC_GRAD_INPUT2) ? f.grad2 : NULL;
    }
    CHECK(fixture_call(&f) == LOSSCORE_OK, "%s: 'none' on %d elements failed: %s", e->name, N, losscore_last_error());
    void *out = lc_alloc(ft, N), *grad = lc_alloc(ft, N), *grad2 = lc_alloc(ft, N);
    int first_bad = -1;
    for (int k = 1; k < OFFSETS && first_bad < 0; k++) {
        lc_args a = f.a;
        a.input = (const char *)f.input + k * fs;
        a.target = f.target ? (const char *)f.target + k * fs : NULL;
        a.input2 = f.input2 ? (const char *)f.input2 + k * fs : NULL;
        a.n = N - (size_t)k, a.out = out, a.grad_input = f.a.grad_input ? grad : NULL;
        a.grad_input2 = f.a.grad_input2 ? grad2 : NULL;
        int same = e->call(&a) == LOSSCORE_OK && memcmp((char *)f.out + k * fs, out, (N - (size_t)k) * fs) == 0;
        if (a.grad_input) same &= memcmp((char *)f.grad + k * fs, grad, (N - (size_t)k) * fs) == 0;
        if (a.grad_input2) same &= memcmp((char *)f.grad2 + k * fs, grad2, (N - (size_t)k) * fs) == 0;
        if (!same) first_bad = k;
    }
    CHECK(first_bad < 0, "%s: an element's loss or gradient changes with its offset in the buffer (offset %d)", e->name,
          first_bad);
    free(out), free(grad), free(grad2);
    fixture_free(&f);
}

/* A var shared along a dimension (var_repeat, var_inner): both >= 1 with a product dividing
 * n, or a shape error naming them (also with no data); a shared call gives the losses and
 * input gradients of the same call on the var expanded to every element, and the sums of
 * that call's var gradients; a negative var value is refused naming var (NaN and -0.0 are
 * data), as torch refuses it. */
static void test_var_sharing(const lc_export *e) {
    if (!lc_has(e, LC_VAR_REPEAT | LC_VAR_INNER)) return;
    const size_t two32 = (size_t)1 << 32, two63 = (size_t)1 << 63;
    const size_t bad[][2] = {{0, 1}, {1, 0}, {0, 0}, {3, 1}, {4, 1}, {2, 2}, {20, 1}, {SIZE_MAX, 1}, {1, SIZE_MAX},
                             {two32, two32}, {two63, 2}, {two32 + 1, two32 - 1}};
    lc_type ft = e->float_type;
    size_t fs = lc_type_size(ft);
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        for (int r = 0; r < 3; r++) {
            fixture f;
            fixture_make(&f, e, small_shape(e), r, 31);
            f.a.var_repeat = bad[k][0], f.a.var_inner = bad[k][1];
            REFUSED(&f, LOSSCORE_ERROR_SHAPE, "var_repeat|var_inner", "var_repeat = %zu, var_inner = %zu with n = 10, %s",
                    bad[k][0], bad[k][1], red_name(r));
            if (bad[k][0] * bad[k][1] != 20 && bad[k][0] * bad[k][1] != 4 && bad[k][0] * bad[k][1] != 3) {
                f.a.n = 0, f.a.input = NULL, f.a.target = NULL, f.a.input2 = NULL;
                REFUSED(&f, LOSSCORE_ERROR_SHAPE, "var_repeat|var_inner", "var_repeat = %zu, var_inner = %zu with n = 0",
                        bad[k][0], bad[k][1]);
            }
            fixture_free(&f);
        }
    }
    const size_t good[][2] = {{2, 1}, {5, 1}, {10, 1}, {2, 5}, {5, 2}, {1, 10}, {1, 5}};
    for (size_t k = 0; k < sizeof good / sizeof good[0]; k++) {
        for (int r = 0; r < 3; r++) {
            size_t rep = good[k][0], inner = good[k][1];
            fixture f, x;
            fixture_make(&f, e, small_shape(e), r, 32), fixture_make(&x, e, small_shape(e), r, 32);
            f.a.var_repeat = rep, f.a.var_inner = inner;
            for (size_t i = 0; i < f.E; i++) /* the expanded var: element (o, k, j) takes var[o * inner + j] */
                lc_store(ft, x.input2, i, lc_load(ft, f.input2, (i / (rep * inner)) * inner + i % inner));
            losscore_status s = fixture_call(&f), sx = fixture_call(&x);
            size_t outn = lc_out_count(e, &f.a), n2 = f.E / rep;
            int ok = s == LOSSCORE_OK && sx == LOSSCORE_OK && memcmp(f.grad, x.grad, f.E * fs) == 0;
            /* (16-bit results: each value rounded once, a relative half unit of the type.) */
            double rel = 1e-6 + (lc_is_16bit(ft) ? 2 * lc_type_eps(ft) : 0);
            ok &= r == 0 ? memcmp(f.out, x.out, outn * fs) == 0 : close_to(lc_load(ft, f.out, 0), lc_load(ft, x.out, 0), rel, 0);
            for (size_t j = 0; j < n2; j++) {
                double sum = 0, scale = 0;
                for (size_t i = 0; i < f.E; i++)
                    if ((i / (rep * inner)) * inner + i % inner == j) sum += lc_load(ft, x.grad2, i), scale += fabs(lc_load(ft, x.grad2, i));
                ok &= close_to(lc_load(ft, f.grad2, j), sum, 0, rel * scale + 1e-300);
            }
            ok &= lc_first_written(ft, (char *)f.grad2 + n2 * fs, f.E + 2 - n2) < 0;
            CHECK(ok, "%s var_repeat = %zu, var_inner = %zu, %s: differs from the expanded var (status %s, %s)", e->name, rep,
                  inner, red_name(r), losscore_status_string(s), losscore_last_error());
            fixture_free(&f), fixture_free(&x);
        }
    }
    for (int r = 0; r < 3; r++) {
        fixture f;
        fixture_make(&f, e, small_shape(e), r, 33);
        lc_store(ft, f.input2, 7, -0.5);
        REFUSED(&f, LOSSCORE_ERROR_INVALID_ARGUMENT, e->input2_name, "%s[7] = -0.5, %s", e->input2_name, red_name(r));
        lc_store(ft, f.input2, 7, -0.0), lc_store(ft, f.input2, 3, NAN);
        ACCEPTED(&f, "%s[7] = -0.0, %s[3] = NaN", e->input2_name, e->input2_name);
        fixture_free(&f);
    }
}

/* A 16-bit export answered the REFUSED and ACCEPTED calls as its f32 twin did: the same
 * status, and the same message but for the export's name. */
static void test_twin_refusals(const lc_export *e) {
    if (!lc_is_16bit(e->float_type)) return;
    const lc_export *twin = lc_export_of(e->base, LC_FLOAT);
    CHECK(twin != NULL, "%s has no f32 twin", e->name);
    if (!twin) return;
    size_t i = (size_t)(e - LC_EXPORTS), j = (size_t)(twin - LC_EXPORTS);
    CHECK(verdict_count[i] == verdict_count[j] && verdict_count[i] > 0, "%s made %zu checked calls, its f32 twin %zu", e->name,
          verdict_count[i], verdict_count[j]);
    for (size_t k = 0; k < verdict_count[i] && k < verdict_count[j]; k++) {
        const verdict_t *mine = &verdicts[i][k], *theirs = &verdicts[j][k];
        char want[2 * LOSSCORE_ERROR_MESSAGE_SIZE];
        lc_renamed(theirs->msg, twin->name, e->name, want, sizeof want);
        check_at(mine->status == theirs->status && strcmp(mine->msg, want) == 0, mine->line,
                 "%s: %s (\"%s\"), where its f32 twin gave %s (\"%s\")", e->name, losscore_status_string(mine->status),
                 mine->msg, losscore_status_string(theirs->status), theirs->msg);
    }
    printf("%s: %zu refused or accepted calls compared with %s's\n", e->name, verdict_count[i], twin->name);
}

/* ------------------------------------------------------------------------ */
/* Threads                                                                    */
/* ------------------------------------------------------------------------ */

/* About 2^20 elements, in (N, C) and K-dim layouts for class rows: enough for several
 * blocks on several threads. */
static size_t big_shapes(const lc_export *e, shape_t *out) {
    if (lc_has(e, LC_T)) { /* 128 sequences of 64 frames of 32 classes, targets up to 16 */
        out[0] = (shape_t){128, 32, 1, 0, 64, 16};
        return 1;
    }
    if (lc_has(e, LC_INNER)) {
        out[0] = (shape_t){1 << 18, 4, 1, 0, 0, 0}, out[1] = (shape_t){4, 4, 1 << 16, 0, 0, 0};
        return 2;
    }
    if (lc_has(e, LC_C)) {
        out[0] = (shape_t){1 << 18, 4, 1, 0, 0, 0};
        return 1;
    }
    if (lc_has(e, LC_D)) { /* rows of 16 values; and rows of 3000, fewer rows than a block's share */
        out[0] = (shape_t){1 << 16, 16, 1, 0, 0, 0}, out[1] = (shape_t){349, 3000, 1, 0, 0, 0};
        return 2;
    }
    out[0] = (shape_t){1050000, 0, 1, 1000, 0, 0}; /* pos_weight repeats 1050 times */
    return 1;
}

/* Results are bitwise the same on 1, 2 and 4 threads (every reduction, every optional
 * argument given), and a float reduction is within 1e-6 of the double export's on the same
 * (float) data: "a few ulps". */
static void test_thread_counts(const lc_export *e) {
    shape_t shapes[2];
    size_t ns = big_shapes(e, shapes);
    const lc_export *twin = e->float_type == LC_FLOAT ? lc_find(e->base, LC_DOUBLE) : NULL;
    lc_type ft = e->float_type;
    size_t fs = lc_type_size(ft);
    for (size_t k = 0; k < ns; k++) {
        fixture f, d;
        fixture_make(&f, e, shapes[k], 0, 27);
        if (twin) fixture_make(&d, twin, shapes[k], 0, 27);
        void *o1 = lc_alloc(ft, f.P), *g1 = lc_alloc(ft, f.E), *g2 = lc_alloc(ft, f.E), *g3 = lc_alloc(ft, f.E);
        for (int r = 0; r < 3; r++) {
            f.a.reduction = r;
            size_t outn = lc_out_count(e, &f.a);
            const int threads[] = {1, 2, 4};
            int same = 1;
            for (int ti = 0; ti < 3; ti++) {
                losscore_set_num_threads(threads[ti], NULL);
                same &= fixture_call(&f) == LOSSCORE_OK;
                if (ti == 0)
                    memcpy(o1, f.out, outn * fs), memcpy(g1, f.grad, f.E * fs), memcpy(g2, f.grad2, f.E * fs),
                        memcpy(g3, f.grad3, f.E * fs);
                else
                    same &= memcmp(o1, f.out, outn * fs) == 0 && memcmp(g1, f.grad, f.E * fs) == 0 &&
                            memcmp(g2, f.grad2, f.E * fs) == 0 && memcmp(g3, f.grad3, f.E * fs) == 0;
            }
            losscore_set_num_threads(0, NULL);
            CHECK(same, "%s (n=%zu c=%zu inner=%zu) %s: results differ between 1, 2 and 4 threads", e->name, shapes[k].n,
                  shapes[k].c, shapes[k].inner, red_name(r));
            if (twin && r > 0) {
                d.a.reduction = r;
                d.a.grad_input = NULL;
                fixture_call(&d);
                double got = lc_load(ft, o1, 0), want = lc_load(LC_DOUBLE, d.out, 0);
                CHECK(close_to(got, want, 1e-6, 0), "%s %s over %zu elements: %.9g, the double export gives %.17g", e->name,
                      red_name(r), f.E, got, want);
            }
        }
        free(o1), free(g1), free(g2), free(g3);
        fixture_free(&f);
        if (twin) fixture_free(&d);
    }
}

/* "Reductions of float losses are accumulated in double lanes": the SUM of two halves that
 * cancel (equal elements, weights 1 and -1) is 0 up to double rounding. A float
 * accumulator leaves about FLT_EPSILON times its partial sums. */
static void test_float_sums_in_double(const lc_export *e) {
    if (e->family != LC_ELEMENTWISE || !lc_has(e, LC_WEIGHT)) return;
    enum { M = 60000 };
    fixture f;
    fixture_make(&f, e, (shape_t){2 * M, 0, 1, 0, 0, 0}, LOSSCORE_REDUCTION_SUM, 28);
    fixture_optional(&f, 0);
    lc_type ft = e->float_type;
    for (size_t i = 0; i < M; i++) {
        size_t j = (i * 7919) % M; /* a permutation: 7919 is prime to M */
        lc_store(ft, f.input, M + i, lc_load(ft, f.input, j)), lc_store(ft, f.target, M + i, lc_load(ft, f.target, j));
        lc_store(ft, f.weight, i, 1), lc_store(ft, f.weight, M + i, -1);
    }
    f.a.weight = f.weight;
    losscore_status s = fixture_call(&f);
    double sum = lc_load(ft, f.out, 0);
    f.a.weight = NULL, f.a.n = M;
    fixture_call(&f);
    double half = lc_load(ft, f.out, 0);
    CHECK(s == LOSSCORE_OK && fabs(sum) <= 1e-9 * half, "%s: SUM of two cancelling halves (each %.9g) = %.9g, expected 0", e->name,
          half, sum);
    fixture_free(&f);
}

/* Four threads calling at once get the single-threaded result, and each thread's
 * last_error is its own. */
typedef struct {
    const fixture *f;
    const void *want_out, *want_grad;
    int ok;
    char msg[256];
} conc_t;

static void *conc_thread(void *arg) {
    conc_t *c = arg;
    const lc_export *e = c->f->e;
    size_t fs = lc_type_size(e->float_type), E = c->f->E;
    lc_args a = c->f->a; /* the same data, this thread's own outputs */
    a.out = lc_alloc(e->float_type, 1);
    a.grad_input = a.grad_input ? lc_alloc(e->float_type, E) : NULL;
    c->ok = losscore_last_error()[0] == '\0'; /* another thread's error is not visible here */
    c->ok &= e->call(&a) == LOSSCORE_OK && memcmp(a.out, c->want_out, fs) == 0 &&
             (!a.grad_input || memcmp(a.grad_input, c->want_grad, E * fs) == 0);
    a.reduction = 9;
    c->ok &= e->call(&a) == LOSSCORE_ERROR_INVALID_ARGUMENT;
    snprintf(c->msg, sizeof c->msg, "%s", losscore_last_error());
    free(a.out), free(a.grad_input);
    return NULL;
}

static void test_concurrency(const lc_export *e) {
    fixture f;
    fixture_make(&f, e,
                 lc_has(e, LC_T)                     ? (shape_t){61, 16, 1, 0, 64, 16}
                 : lc_has(e, LC_C) || lc_has(e, LC_D) ? (shape_t){20011, 10, 1, 0, 0, 0}
                                                      : (shape_t){200004, 0, 1, 4, 0, 0},
                 1, 29);
    fixture_call(&f);
    size_t fs = lc_type_size(e->float_type);
    void *want = lc_alloc(e->float_type, 1), *want_grad = lc_alloc(e->float_type, f.E);
    memcpy(want, f.out, fs), memcpy(want_grad, f.grad, f.E * fs);
    f.a.out = NULL;
    fixture_call(&f); /* this thread's own error */
    f.a.out = f.out;
    char mine[256];
    snprintf(mine, sizeof mine, "%s", losscore_last_error());
    pthread_t th[4];
    conc_t cs[4];
    for (int i = 0; i < 4; i++) {
        cs[i] = (conc_t){&f, want, want_grad, 0, ""};
        pthread_create(&th[i], NULL, conc_thread, &cs[i]);
    }
    for (int i = 0; i < 4; i++) pthread_join(th[i], NULL);
    int ok = 1;
    for (int i = 0; i < 4; i++) ok &= cs[i].ok && mentions(cs[i].msg, "reduction");
    CHECK(ok, "%s: 4 concurrent calls differ from a single call, or lost their own error (\"%s\")", e->name, cs[0].msg);
    CHECK(strcmp(losscore_last_error(), mine) == 0 && mentions(mine, "out"),
          "%s: other threads' calls changed this thread's last_error \"%s\" to \"%s\"", e->name, mine, losscore_last_error());
    free(want), free(want_grad);
    fixture_free(&f);
}

/* The caller's error record: written on success (status 0, "") and on failure (the
 * status and losscore_last_error()'s message), its own for each of 8 threads making
 * 2,000 failing calls each at once, every message naming that thread's own bad value. */
typedef struct {
    int id, ok;
    char msg[LOSSCORE_ERROR_MESSAGE_SIZE];
} record_thread_t;

static void *record_thread(void *arg) {
    record_thread_t *t = arg;
    const float x[2] = {1, 2}, y[2] = {0, 0};
    float out = 0;
    char want[64];
    snprintf(want, sizeof want, "(got %d)", 100 + t->id);
    t->ok = 1;
    for (int k = 0; k < 2000 && t->ok; k++) {
        losscore_error record;
        memset(&record, 0x5a, sizeof record);
        losscore_status s = losscore_l1_loss_f32(x, y, NULL, 2, 100 + t->id, &out, NULL, NULL, &record);
        t->ok = s == LOSSCORE_ERROR_INVALID_ARGUMENT && record.status == s && strstr(record.message, want) != NULL &&
                strncmp(record.message, "losscore_l1_loss_f32: ", 22) == 0;
        snprintf(t->msg, sizeof t->msg, "%s", record.message);
    }
    return NULL;
}

static void test_error_records(void) {
    const double x[3] = {0, 0.1, 0.2}, y[3] = {0, 0.2, 0.25};
    double out = 0;
    losscore_error record;
    memset(&record, 0x5a, sizeof record);
    losscore_status s = losscore_l1_loss_f64(x, y, NULL, 3, LOSSCORE_REDUCTION_MEAN, &out, NULL, NULL, &record);
    CHECK(s == LOSSCORE_OK && record.status == LOSSCORE_OK && record.message[0] == '\0',
          "a successful call's record: status %d, message \"%.40s\"", (int)record.status, record.message);
    s = losscore_l1_loss_f64(x, y, NULL, 3, LOSSCORE_REDUCTION_MEAN, NULL, NULL, NULL, &record);
    CHECK(s == LOSSCORE_ERROR_NULL_POINTER && record.status == s &&
              strcmp(record.message, "losscore_l1_loss_f64: out is NULL") == 0 &&
              strcmp(record.message, losscore_last_error()) == 0,
          "a failed call's record: status %d, message \"%s\"", (int)record.status, record.message);
    s = losscore_l1_loss_f64(x, y, NULL, 3, LOSSCORE_REDUCTION_SUM, &out, NULL, NULL, &record);
    CHECK(s == LOSSCORE_OK && record.status == LOSSCORE_OK && record.message[0] == '\0',
          "a record reused for a successful call keeps the old message \"%s\"", record.message);
    s = losscore_set_num_threads(-5, &record);
    CHECK(s == LOSSCORE_ERROR_INVALID_ARGUMENT && record.status == s && mentions(record.message, "num_threads") &&
              strcmp(record.message, losscore_last_error()) == 0,
          "set_num_threads(-5)'s record: status %d, message \"%s\"", (int)record.status, record.message);
    s = losscore_set_num_threads(0, &record);
    CHECK(s == LOSSCORE_OK && record.status == LOSSCORE_OK && record.message[0] == '\0',
          "set_num_threads(0)'s record: status %d, message \"%s\"", (int)record.status, record.message);

    pthread_t th[8];
    record_thread_t ts[8];
    for (int i = 0; i < 8; i++) {
        ts[i] = (record_thread_t){i, 0, ""};
        pthread_create(&th[i], NULL, record_thread, &ts[i]);
    }
    for (int i = 0; i < 8; i++) pthread_join(th[i], NULL);
    for (int i = 0; i < 8; i++)
        CHECK(ts[i].ok, "thread %d of 8 got another call's record or a wrong one: \"%s\"", i, ts[i].msg);
}

/* ------------------------------------------------------------------------ */
/* Runtime functions                                                          */
/* ------------------------------------------------------------------------ */

static void test_version(void) {
    const char *v = losscore_version();
    CHECK(v != NULL && strcmp(v, LOSSCORE_VERSION_STRING) == 0, "version() = %s, header says %s", v ? v : "NULL",
          LOSSCORE_VERSION_STRING);
    CHECK(losscore_version_number() == LOSSCORE_VERSION_NUMBER, "version_number() = %d, header says %d",
          losscore_version_number(), LOSSCORE_VERSION_NUMBER);
    CHECK(losscore_version() == v, "version() should return a static string");
}

static void test_status_string(void) {
    static const struct { losscore_status s; const char *name; } names[] = {
        {LOSSCORE_OK, "LOSSCORE_OK"},
        {LOSSCORE_ERROR_NULL_POINTER, "LOSSCORE_ERROR_NULL_POINTER"},
        {LOSSCORE_ERROR_INVALID_ARGUMENT, "LOSSCORE_ERROR_INVALID_ARGUMENT"},
        {LOSSCORE_ERROR_SHAPE, "LOSSCORE_ERROR_SHAPE"},
        {LOSSCORE_ERROR_INDEX, "LOSSCORE_ERROR_INDEX"},
        {LOSSCORE_ERROR_OUT_OF_MEMORY, "LOSSCORE_ERROR_OUT_OF_MEMORY"},
        {LOSSCORE_ERROR_UNSUPPORTED_CPU, "LOSSCORE_ERROR_UNSUPPORTED_CPU"},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        const char *got = losscore_status_string(names[i].s);
        CHECK(got != NULL && strcmp(got, names[i].name) == 0, "status_string(%d) = %s, expected %s", (int)names[i].s,
              got ? got : "NULL", names[i].name);
    }
    const int unknown[] = {7, 99, -1, INT_MAX, INT_MIN};
    for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++) {
        const char *got = losscore_status_string((losscore_status)unknown[i]);
        CHECK(got != NULL && strcmp(got, "unknown status") == 0, "status_string(%d) = %s, expected \"unknown status\"",
              unknown[i], got ? got : "NULL");
    }
}

static int expected_default_threads(void) {
    const char *env = getenv("LOSSCORE_NUM_THREADS");
    if (env && *env) {
        char *end;
        long v = strtol(env, &end, 10);
        if (*end == '\0' && v > 0) return v > 1024 ? 1024 : (int)v;
    }
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    return cores > 0 ? (int)cores : 1;
}

/* The thread count: its default, 1 to 1024 accepted, anything else refused unchanged, 0
 * restoring the default. */
static void test_threads(void) {
    int def = losscore_get_num_threads();
    CHECK(def >= 1 && def == expected_default_threads(), "default thread count %d, expected %d (LOSSCORE_NUM_THREADS or cores)",
          def, expected_default_threads());
    losscore_status s = losscore_set_num_threads(1, NULL);
    CHECK(s == LOSSCORE_OK && losscore_get_num_threads() == 1 && strcmp(losscore_last_error(), "") == 0,
          "set_num_threads(1) -> %s, get = %d", losscore_status_string(s), losscore_get_num_threads());
    s = losscore_set_num_threads(3, NULL);
    CHECK(s == LOSSCORE_OK && losscore_get_num_threads() == 3, "set_num_threads(3) -> %s", losscore_status_string(s));
    const int bad[] = {-1, -1000, 1025, 5000, INT_MAX, INT_MIN};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        s = losscore_set_num_threads(bad[i], NULL);
        CHECK(s == LOSSCORE_ERROR_INVALID_ARGUMENT && mentions(losscore_last_error(), "num_threads"),
              "set_num_threads(%d) -> %s (\"%s\"), expected INVALID_ARGUMENT naming num_threads", bad[i],
              losscore_status_string(s), losscore_last_error());
        CHECK(losscore_get_num_threads() == 3, "a refused set_num_threads(%d) changed the count to %d", bad[i],
              losscore_get_num_threads());
    }
    s = losscore_set_num_threads(1024, NULL);
    CHECK(s == LOSSCORE_OK && losscore_get_num_threads() == 1024, "set_num_threads(1024) -> %s", losscore_status_string(s));
    s = losscore_set_num_threads(0, NULL);
    CHECK(s == LOSSCORE_OK && losscore_get_num_threads() == def && strcmp(losscore_last_error(), "") == 0,
          "set_num_threads(0) should restore %d, got %d", def, losscore_get_num_threads());
}

/* The value of `key=` in build_info's line (up to the next space), or "" if absent. */
static void info_field(const char *info, const char *key, char *value, size_t size) {
    value[0] = '\0';
    size_t k = strlen(key);
    for (const char *p = info; *p; p++) {
        if ((p == info || p[-1] == ' ') && strncmp(p, key, k) == 0 && p[k] == '=') {
            size_t n = strcspn(p + k + 1, " ");
            snprintf(value, size, "%.*s", (int)(n < size ? n : size - 1), p + k + 1);
            return;
        }
    }
}

/* Whether the comma-separated list holds `item`. */
static int listed(const char *list, const char *item) {
    size_t n = strlen(item);
    for (const char *p = list; (p = strstr(p, item)) != NULL; p += n)
        if ((p == list || p[-1] == ',') && (p[n] == ',' || p[n] == '\0')) return 1;
    return 0;
}

/* build_info: the set in use is the highest compiled-in set that this CPU runs (as the
 * compiler's own CPU detection sees it) and LOSSCORE_KERNELS allows. */
static void test_build_info(void) {
    const char *info = losscore_build_info();
    CHECK(info != NULL && info == losscore_build_info(), "build_info() should return one static string");
    if (!info) return;
    char kernels[32], compiled[64], cpu[256], requested[64];
    info_field(info, "kernels", kernels, sizeof kernels);
    info_field(info, "compiled", compiled, sizeof compiled);
    info_field(info, "cpu", cpu, sizeof cpu);
    info_field(info, "requested", requested, sizeof requested);
    CHECK(strncmp(info, "kernels=", 8) == 0 && compiled[0] && cpu[0] && requested[0],
          "build_info \"%s\" lacks a field", info);
    static const char *const sets[] = {"baseline", "avx2", "avx512"};
    int runs[3] = {1, 0, 0};
#if defined(__x86_64__)
    __builtin_cpu_init();
    runs[1] = !!__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && __builtin_cpu_supports("bmi2");
    runs[2] = runs[1] && !!__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
              __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl") &&
              __builtin_cpu_supports("avx512cd");
#endif
#if defined(__x86_64__)
    CHECK(listed(cpu, "avx2") == !!__builtin_cpu_supports("avx2") && listed(cpu, "avx512f") == !!__builtin_cpu_supports("avx512f"),
          "build_info's cpu=%s disagrees with the compiler's detection of avx2 and avx512f", cpu);
#endif
    const char *env = getenv("LOSSCORE_KERNELS");
    int ceiling = 2;
    for (int s = 0; s < 3; s++)
        if (env && strcmp(env, sets[s]) == 0) ceiling = s;
    const char *want = "none";
    for (int s = ceiling; s >= 0 && strcmp(want, "none") == 0; s--)
        if (runs[s] && listed(compiled, sets[s])) want = sets[s];
    for (int s = ceiling + 1; s < 3 && strcmp(want, "none") == 0; s++)
        if (runs[s] && listed(compiled, sets[s])) want = sets[s];
    CHECK(strcmp(kernels, want) == 0, "build_info \"%s\": kernels=%s, expected %s (LOSSCORE_KERNELS=%s)", info, kernels,
          want, env ? env : "(unset)");
    CHECK(strcmp(requested, env && env[0] ? env : "auto") == 0, "build_info: requested=%s, LOSSCORE_KERNELS=%s",
          requested, env ? env : "(unset)");
}

/* Each runtime export of the table is one this file tests: a new one needs a test here. */
static void test_runtime_exports_known(void) {
    static const char *const tested[] = {"losscore_version",       "losscore_version_number",  "losscore_last_error",
                                         "losscore_status_string", "losscore_set_num_threads", "losscore_get_num_threads",
                                         "losscore_build_info"};
    for (size_t i = 0; i < LC_NUM_RUNTIME_EXPORTS; i++) {
        int known = 0;
        for (size_t k = 0; k < sizeof tested / sizeof tested[0]; k++) known |= strcmp(tested[k], LC_RUNTIME_EXPORTS[i]) == 0;
        CHECK(known, "%s: a runtime export with no test in test_contract.c", LC_RUNTIME_EXPORTS[i]);
    }
}

/* ------------------------------------------------------------------------ */

int main(void) {
    const char *e = losscore_last_error();
    CHECK(e != NULL && e[0] == '\0', "last_error() before any call should be \"\", got %s", e ? e : "NULL");
    /* First, before the library starts any worker thread: the calls that crash the process
     * when a size check is missing run in forked children. */
    for (size_t i = 0; i < LC_NUM_EXPORTS; i++) test_huge_sizes(&LC_EXPORTS[i]);
    test_runtime_exports_known();
    test_version();
    test_status_string();
    test_threads();
    test_error_records();
    test_build_info();
    for (size_t i = 0; i < LC_NUM_EXPORTS; i++) {
        const lc_export *x = &LC_EXPORTS[i];
        test_success(x);
        test_last_error_lifecycle(x);
        test_null_pointers(x);
        test_invalid_reductions(x);
        test_option_domains(x);
        test_class_indices(x);
        test_sequence_arguments(x);
        test_label_rows(x);
        test_weight_counts(x);
        test_zero_classes(x);
        test_pos_weight_counts(x);
        test_empty(x);
        test_rows_without_values(x);
        test_all_ignored(x);
        test_ignored_grad_output(x);
        test_reduction_relations(x);
        test_float_sums_in_double(x);
        test_position_independence(x);
        test_var_sharing(x);
    }
    for (size_t i = 0; i < LC_NUM_EXPORTS; i++) test_twin_refusals(&LC_EXPORTS[i]);
    for (size_t i = 0; i < LC_NUM_EXPORTS; i++) test_thread_counts(&LC_EXPORTS[i]);
    for (size_t i = 0; i < LC_NUM_EXPORTS; i++) test_concurrency(&LC_EXPORTS[i]);
    return lc_summary();
}
