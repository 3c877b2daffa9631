/*
 * support.h - what the C test programs share: pass/fail counting, message matching,
 * tolerant comparison, deterministic data, the output sentinel, typed buffers for the
 * export table (exports.h), one call of any export on double data (lc_run), and running a
 * call that might crash in a forked child.
 *
 * Each program includes it once (everything is static to that program) and ends with
 * `return lc_summary();`, which prints "N passed, M failed" last.
 */
#ifndef LOSSCORE_TESTS_SUPPORT_H
#define LOSSCORE_TESTS_SUPPORT_H

#define _POSIX_C_SOURCE 200809L

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "exports.h"

/* ------------------------------------------------------------------------ */
/* Checks                                                                     */
/* ------------------------------------------------------------------------ */

static int passed = 0, failed = 0;

static inline void check_at(int ok, int line, const char *fmt, ...) {
    if (ok) {
        passed++;
        return;
    }
    failed++;
    va_list args;
    va_start(args, fmt);
    printf("FAIL (line %d): ", line);
    vprintf(fmt, args);
    printf("\n");
    va_end(args);
}

#define CHECK(cond, ...) check_at((cond) ? 1 : 0, __LINE__, __VA_ARGS__)

static inline int lc_summary(void) {
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}

static const char *const RED_NAME[] = {"none", "mean", "sum"};

static inline const char *red_name(int r) { return r >= 0 && r < 3 ? RED_NAME[r] : "invalid"; }

/* Whether c can be part of a C identifier: names in messages are matched as whole words,
 * so that "n" does not match inside "nll_loss". */
static inline int ident_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

static inline int contains_word(const char *haystack, const char *word, size_t len) {
    if (haystack == NULL || len == 0) return 0;
    for (const char *p = haystack; *p; p++) {
        if (strncmp(p, word, len) != 0) continue;
        int before = p == haystack || !ident_char(p[-1]) || !ident_char(word[0]);
        int after = !ident_char(p[len]) || !ident_char(word[len - 1]);
        if (before && after) return 1;
    }
    return 0;
}

/* Whether the message contains any of the '|'-separated words or phrases ("n * c|target"). */
static inline int mentions(const char *msg, const char *alternatives) {
    for (const char *p = alternatives;;) {
        const char *bar = strchr(p, '|');
        size_t len = bar ? (size_t)(bar - p) : strlen(p);
        if (contains_word(msg, p, len)) return 1;
        if (!bar) return 0;
        p = bar + 1;
    }
}

/* |a - b| <= abs + rel * |b|; NaN equals NaN; infinities must be equal. */
static inline int close_to(double a, double b, double rel, double abs_tol) {
    if (isnan(a) || isnan(b)) return isnan(a) && isnan(b);
    if (isinf(a) || isinf(b)) return a == b;
    return fabs(a - b) <= abs_tol + rel * fabs(b);
}

static inline int all_finite(const double *v, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (!isfinite(v[i])) return 0;
    return 1;
}

/* ------------------------------------------------------------------------ */
/* Data                                                                       */
/* ------------------------------------------------------------------------ */

static const double SENTINEL = 12345.25; /* exact in float and double; no loss here reaches it */
/* A 16-bit buffer's sentinel: a signalling NaN, which no result is (the library's NaNs are
 * quiet), and which loads as NaN: a check that an unwritten value is NaN must also check that
 * it was written (lc_is_sentinel). */
static inline uint16_t lc_sentinel16(lc_type t) { return t == LC_BF16 ? 0x7FA5 : 0x7CA5; }

/* Deterministic data: SplitMix64. */
static uint64_t rng_state = 1;
static inline uint64_t rng_next(void) {
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}
/* Uniform in [lo, hi), rounded to float so that the f32 and f64 calls see the same data. */
static inline double rng_uniform(double lo, double hi) {
    return (double)(float)(lo + (hi - lo) * (double)(rng_next() >> 11) / 9007199254740992.0);
}
static inline void fill_uniform(double *v, size_t n, double lo, double hi) {
    for (size_t i = 0; i < n; i++) v[i] = rng_uniform(lo, hi);
}

/* ------------------------------------------------------------------------ */
/* Typed buffers: float, double or 16-bit (as the export takes them) seen as double */
/* ------------------------------------------------------------------------ */

static inline double lc_load(lc_type t, const void *buf, size_t i) {
    if (lc_is_16bit(t)) return (double)lc_widen16(t, ((const uint16_t *)buf)[i]);
    return t == LC_FLOAT ? (double)((const float *)buf)[i] : ((const double *)buf)[i];
}
/* (A 16-bit store rounds v to float first, then to the 16-bit type.) */
static inline void lc_store(lc_type t, void *buf, size_t i, double v) {
    if (lc_is_16bit(t))
        ((uint16_t *)buf)[i] = lc_round16(t, (float)v);
    else if (t == LC_FLOAT)
        ((float *)buf)[i] = (float)v;
    else
        ((double *)buf)[i] = v;
}
static inline int lc_is_sentinel(lc_type t, const void *buf, size_t i) {
    if (lc_is_16bit(t)) return ((const uint16_t *)buf)[i] == lc_sentinel16(t);
    return t == LC_FLOAT ? ((const float *)buf)[i] == (float)SENTINEL : ((const double *)buf)[i] == SENTINEL;
}

/* Sets count values of buf to SENTINEL (by doubling copies: large buffers are reset often). */
static inline void lc_fill_sentinel(lc_type t, void *buf, size_t count) {
    size_t es = lc_type_size(t), done, total = count * es;
    if (count == 0) return;
    if (lc_is_16bit(t))
        ((uint16_t *)buf)[0] = lc_sentinel16(t);
    else
        lc_store(t, buf, 0, SENTINEL);
    for (done = es; done < total; done *= 2) memcpy((char *)buf + done, buf, done * 2 <= total ? done : total - done);
}

/* count values plus two guard values, all SENTINEL; free() it. */
static inline void *lc_alloc(lc_type t, size_t count) {
    void *buf = malloc((count + 2) * lc_type_size(t));
    lc_fill_sentinel(t, buf, count + 2);
    return buf;
}

/* A copy of n doubles in type t (NULL for NULL); free() it. */
static inline void *lc_copy_in(lc_type t, const double *v, size_t n) {
    if (v == NULL) return NULL;
    void *buf = malloc((n ? n : 1) * lc_type_size(t));
    if (t == LC_DOUBLE)
        memcpy(buf, v, n * sizeof *v);
    else
        for (size_t i = 0; i < n; i++) lc_store(t, buf, i, v[i]);
    return buf;
}

/* n values of type t as doubles. */
static inline void lc_copy_out(lc_type t, double *dst, const void *src, size_t n) {
    if (t == LC_DOUBLE)
        memcpy(dst, src, n * sizeof *dst);
    else
        for (size_t i = 0; i < n; i++) dst[i] = lc_load(t, src, i);
}

/* The first of n values that is not SENTINEL, or -1. */
static inline long lc_first_written(lc_type t, const void *buf, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (!lc_is_sentinel(t, buf, i)) return (long)i;
    return -1;
}

static inline const char *type_name(const lc_export *e) {
    return e->float_type == LC_FLOAT ? "f32" : e->float_type == LC_F16 ? "f16" : e->float_type == LC_BF16 ? "bf16" : "f64";
}

/* The spacing of the type's values at 1 (its epsilon): what one rounding to it may change, relatively. */
static inline double lc_type_eps(lc_type t) {
    return t == LC_FLOAT ? 0x1p-23 : t == LC_F16 ? 0x1p-10 : t == LC_BF16 ? 0x1p-7 : 0x1p-52;
}

/* The export `base` taking `t` data (any type for a base with one entry), or NULL. */
static inline const lc_export *lc_find(const char *base, lc_type t) {
    const lc_export *any = NULL;
    for (size_t i = 0; i < LC_NUM_EXPORTS; i++) {
        if (strcmp(LC_EXPORTS[i].base, base) != 0) continue;
        if (LC_EXPORTS[i].float_type == t) return &LC_EXPORTS[i];
        any = &LC_EXPORTS[i];
    }
    int single = 1;
    for (size_t i = 0; any && i < LC_NUM_EXPORTS; i++)
        if (strcmp(LC_EXPORTS[i].base, base) == 0 && &LC_EXPORTS[i] != any) single = 0;
    return single ? any : NULL;
}

/* ------------------------------------------------------------------------ */
/* Every call, and its 16-bit mirror                                          */
/* ------------------------------------------------------------------------ */

/* With lc_mirror16 set, every successful or data-refused call of an _f32 export made through
 * lc_invoke is repeated on its _f16 and _bf16 twins (those the header declares) with every
 * float input rounded to the 16-bit type, and checked against the contract (lc_twin_agrees):
 * one check per twin and call. lc_mirror_calls and lc_mirror_values count, per export of the
 * table, the calls and output values compared. */
static int lc_mirror16 = 0;
static size_t lc_mirror_calls[LC_NUM_EXPORTS], lc_mirror_values[LC_NUM_EXPORTS];

static inline void lc_mirror_one(const lc_export *e32, const lc_args *a32, const lc_export *e16, int line) {
    lc_args a = *a32;
    lc_slot s[LC_MAX_SLOTS];
    int ns = lc_float_slots(e16, &a, s);
    uint16_t *buf[LC_MAX_SLOTS] = {0};
    for (int k = 0; k < ns; k++) {
        const float *from = s[k].in ? (const float *)*s[k].in : NULL;
        if ((s[k].in ? *s[k].in : *s[k].out) == NULL) continue;
        if (s[k].count > LC_TWIN_MAX_COUNT) goto done;
        /* Outputs get two guard values after them and start as sentinels, which no result is. */
        buf[k] = malloc((s[k].count + 2) * sizeof(uint16_t));
        for (size_t i = 0; i < s[k].count + 2; i++)
            buf[k][i] = from && i < s[k].count ? lc_round16(e16->float_type, from[i]) : lc_sentinel16(e16->float_type);
        if (s[k].in) *s[k].in = buf[k];
        else *s[k].out = buf[k];
    }
    {
        losscore_status st = e16->call(&a);
        char msg[LOSSCORE_ERROR_MESSAGE_SIZE], why[2 * LOSSCORE_ERROR_MESSAGE_SIZE + 128] = "";
        snprintf(msg, sizeof msg, "%s", losscore_last_error());
        size_t index = (size_t)(e16 - LC_EXPORTS), values = 0;
        int agrees = lc_twin_agrees(e16, &a, st, msg, why, sizeof why, &values);
        /* Every output value written (a sentinel is a NaN: lc_twin_agrees takes it for a binary16
         * NaN result), and none past them. */
        for (int k = 0; k < ns && agrees == 1; k++) {
            if (!s[k].out || !buf[k]) continue;
            for (size_t i = 0; st == LOSSCORE_OK && i < s[k].count && agrees == 1; i++)
                if (buf[k][i] == lc_sentinel16(e16->float_type))
                    agrees = 0, snprintf(why, sizeof why, "%s[%zu] of %zu was not written", s[k].name, i, s[k].count);
            if (agrees == 1 && (buf[k][s[k].count] != lc_sentinel16(e16->float_type) ||
                                buf[k][s[k].count + 1] != lc_sentinel16(e16->float_type)))
                agrees = 0, snprintf(why, sizeof why, "wrote past the %zu values of %s", s[k].count, s[k].name);
        }
        if (agrees >= 0) {
            check_at(agrees, line, "%s, the 16-bit mirror of a %s call (n=%zu c=%zu d=%zu inner=%zu t=%zu %s): %s", e16->name,
                     e32->name, a.n, a.c, a.d, a.inner, a.t, red_name(a.reduction), why);
            lc_mirror_calls[index]++, lc_mirror_values[index] += values;
        }
    }
done:
    for (int k = 0; k < ns; k++) free(buf[k]);
}

/* Calls e with a, then (lc_mirror16) its 16-bit twins, leaving the thread's last error as e's
 * call left it. */
static inline losscore_status lc_invoke_at(const lc_export *e, const lc_args *a, int line) {
    losscore_status st = e->call(a);
    if (!lc_mirror16 || e->float_type != LC_FLOAT ||
        (st != LOSSCORE_OK && st != LOSSCORE_ERROR_INVALID_ARGUMENT && st != LOSSCORE_ERROR_INDEX))
        return st;
    char msg[LOSSCORE_ERROR_MESSAGE_SIZE];
    snprintf(msg, sizeof msg, "%s", losscore_last_error());
    const lc_type types[2] = {LC_F16, LC_BF16};
    for (int k = 0; k < 2; k++) {
        const lc_export *twin = lc_export_of(e->base, types[k]);
        if (twin) lc_mirror_one(e, a, twin, line);
    }
    if (strcmp(losscore_last_error(), msg) != 0) e->call(a); /* (the same call: the same outputs, its own message) */
    return st;
}
#define lc_invoke(e, a) lc_invoke_at((e), (a), __LINE__)

/* ------------------------------------------------------------------------ */
/* One call on double data                                                    */
/* ------------------------------------------------------------------------ */

/* The arguments of a call in double (converted to the export's types by lc_run). Integer
 * data: `index` for class-index targets, `input_index` for an int64 input. */
typedef struct {
    const double *input, *target;
    const int64_t *index, *input_index;
    const double *weight, *pos_weight;
    const double *input2; /* a second differentiable input (input2, var): lc_input2_count values */
    size_t pos_weight_count, weight_count, n, c, inner, var_repeat, var_inner; /* weight_count 0: c, one per class */
    int64_t ignore_index;
    int reduction;
    double options[LC_MAX_OPTIONS];
    const double *grad_output;
} lc_data;

static inline lc_args lc_sizes_of(const lc_data *d) {
    lc_args a;
    memset(&a, 0, sizeof a);
    a.n = d->n, a.c = d->c, a.inner = d->inner, a.pos_weight_count = d->pos_weight_count;
    a.weight_count = d->weight_count ? d->weight_count : d->c;
    a.var_repeat = d->var_repeat ? d->var_repeat : 1, a.var_inner = d->var_inner ? d->var_inner : 1;
    a.ignore_index = d->ignore_index, a.reduction = d->reduction;
    memcpy(a.options, d->options, sizeof a.options);
    return a;
}

/* Calls e on d. Writes the loss to `out` (its out count of values) and, when grad is not
 * NULL, the gradient to `grad` (one value per element), and when grad2 is not NULL the
 * gradient of input2 to grad2. The library gets buffers two values longer, filled with
 * SENTINEL; *overrun is set if it wrote past the documented sizes, or into a gradient
 * buffer when that gradient was not asked for. */
static inline losscore_status lc_run2(const lc_export *e, const lc_data *d, double *out, double *grad, double *grad2,
                                      int *overrun) {
    lc_args a = lc_sizes_of(d);
    size_t E = lc_elements(e, &a), outn = lc_out_count(e, &a);
    lc_type ft = e->float_type;
    void *in = e->input_type == LC_INT64 ? NULL : lc_copy_in(e->input_type, d->input, E);
    void *tg = e->target_type == LC_INT64 ? NULL : lc_copy_in(ft, d->target, lc_target_count(e, &a));
    void *w = lc_copy_in(ft, d->weight, lc_weight_count(e, &a)), *pw = lc_copy_in(ft, d->pos_weight, d->pos_weight_count);
    void *go = lc_copy_in(ft, d->grad_output, outn), *ob = lc_alloc(ft, outn), *gb = lc_alloc(ft, E);
    a.input = e->input_type == LC_INT64 ? (const void *)d->input_index : in;
    a.target = e->target_type == LC_INT64 ? (const void *)d->index : tg;
    a.weight = w, a.pos_weight = pw, a.grad_output = go, a.out = ob, a.grad_input = grad ? gb : NULL;
    size_t I2 = lc_input2_count(e, &a);
    void *in2 = lc_copy_in(ft, d->input2, I2), *gb2 = lc_alloc(ft, I2);
    a.input2 = in2, a.grad_input2 = grad2 ? gb2 : NULL;
    losscore_status s = lc_invoke(e, &a);
    *overrun = lc_first_written(ft, (char *)ob + outn * lc_type_size(ft), 2) >= 0 ||
               lc_first_written(ft, (char *)gb + E * lc_type_size(ft), 2) >= 0 || (!grad && lc_first_written(ft, gb, E) >= 0) ||
               lc_first_written(ft, (char *)gb2 + I2 * lc_type_size(ft), 2) >= 0 || (!grad2 && lc_first_written(ft, gb2, I2) >= 0);
    lc_copy_out(ft, out, ob, outn);
    if (grad) lc_copy_out(ft, grad, gb, E);
    if (grad2) lc_copy_out(ft, grad2, gb2, I2);
    free(in), free(tg), free(w), free(pw), free(go), free(ob), free(gb), free(in2), free(gb2);
    return s;
}

static inline losscore_status lc_run(const lc_export *e, const lc_data *d, double *out, double *grad, int *overrun) {
    return lc_run2(e, d, out, grad, NULL, overrun);
}

/* ------------------------------------------------------------------------ */
/* Calls that crash if a size check is missing: run in a child process       */
/* ------------------------------------------------------------------------ */

typedef int (*child_fn)(void); /* returns the status; adds 64 if an output moved */

/* Runs fn in a forked child (one library thread, 20 s alarm) and checks that it returned
 * `want` without writing its outputs and that the child's losscore_last_error() mentions
 * one of `needle`'s alternatives. Run these before the library starts worker threads. */
static inline void run_isolated(const char *what, child_fn fn, losscore_status want, const char *needle, int line) {
    int fds[2];
    if (pipe(fds) != 0) {
        check_at(0, line, "%s: pipe() failed", what);
        return;
    }
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        /* Keep a crashing child's runtime backtrace out of the report. */
        if (!freopen("/dev/null", "w", stderr)) _exit(99);
        alarm(20);
        losscore_set_num_threads(1, NULL);
        int code = fn();
        const char *msg = losscore_last_error();
        size_t len = strlen(msg);
        if (write(fds[1], msg, len) != (ssize_t)len) code |= 128;
        close(fds[1]);
        _exit(code);
    }
    close(fds[1]);
    char msg[1024];
    size_t got = 0;
    ssize_t r;
    while (got < sizeof msg - 1 && (r = read(fds[0], msg + got, sizeof msg - 1 - got)) > 0) got += (size_t)r;
    msg[got] = '\0';
    close(fds[0]);
    int st = 0;
    waitpid(pid, &st, 0);
    if (WIFSIGNALED(st)) {
        check_at(0, line, "%s: the library crashed (signal %d) instead of returning %s", what, WTERMSIG(st),
                 losscore_status_string(want));
        return;
    }
    int code = WEXITSTATUS(st);
    check_at((code & 63) == (int)want, line, "%s: status %s, expected %s (\"%s\")", what,
             losscore_status_string((losscore_status)(code & 63)), losscore_status_string(want), msg);
    check_at((code & 64) == 0, line, "%s: a failed call wrote to its output", what);
    check_at(mentions(msg, needle), line, "%s: last_error \"%s\" should mention %s", what, msg, needle);
}

#endif /* LOSSCORE_TESTS_SUPPORT_H */
