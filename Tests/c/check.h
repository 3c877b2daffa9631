/*
 * check.h - the small test helpers shared by the C ABI test programs (Tests/c/test_*.c):
 * pass/fail counting, tolerant comparisons, deterministic data, the output sentinel,
 * and running a call that might crash in a forked child.
 *
 * Each program includes it once (everything here is static to that program) and prints
 * "N passed, M failed" last from `passed` and `failed`.
 */
#ifndef LOSSCORE_TESTS_CHECK_H
#define LOSSCORE_TESTS_CHECK_H

#define _POSIX_C_SOURCE 200809L

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "losscore.h"

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

static inline int contains(const char *haystack, const char *needle) {
    return haystack != NULL && strstr(haystack, needle) != NULL;
}

/* Whether haystack contains any of the '|'-separated needles ("n * inner|target"). */
static inline int contains_any(const char *haystack, const char *needles) {
    if (haystack == NULL) return 0;
    for (const char *p = needles;;) {
        const char *bar = strchr(p, '|');
        size_t len = bar ? (size_t)(bar - p) : strlen(p);
        char one[256];
        snprintf(one, sizeof one, "%.*s", (int)len, p);
        if (strstr(haystack, one) != NULL) return 1;
        if (!bar) return 0;
        p = bar + 1;
    }
}

/* The checks every refused call must pass: the expected status, a last_error that names the
 * argument (any of the '|'-separated needles), and outputs left untouched (`intact`). `fn`
 * names the call in failure messages. */
static inline void check_refused(losscore_status s, losscore_status want, const char *needle, int intact,
                                 const char *fn, const char *what, int line) {
    const char *msg = losscore_last_error();
    check_at(s == want, line, "%s (%s): status %s, expected %s (message \"%s\")", fn, what, losscore_status_string(s),
             losscore_status_string(want), msg ? msg : "NULL");
    check_at(contains_any(msg, needle), line, "%s (%s): last_error \"%s\" should mention \"%s\"", fn, what,
             msg ? msg : "NULL", needle);
    check_at(intact, line, "%s (%s): a failed call wrote to out or grad_input", fn, what);
}

/* |a - b| <= abs + rel * |b|; NaN equals NaN; infinities must be equal. */
static inline int close_to(double a, double b, double rel, double abs_tol) {
    if (isnan(a) || isnan(b)) return isnan(a) && isnan(b);
    if (isinf(a) || isinf(b)) return a == b;
    return fabs(a - b) <= abs_tol + rel * fabs(b);
}

/* First index where got and want differ beyond tolerance, or -1. */
static inline long first_mismatch(const double *got, const double *want, size_t n, double rel) {
    for (size_t i = 0; i < n; i++)
        if (!close_to(got[i], want[i], rel, 1e-300)) return (long)i;
    return -1;
}

static const double SENTINEL = 12345.25; /* exact in float and double */

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

/* A float copy of n doubles (NULL for NULL); free() it. */
static inline float *to_float(const double *v, size_t n) {
    if (v == NULL) return NULL;
    float *f = malloc((n ? n : 1) * sizeof *f);
    for (size_t i = 0; i < n; i++) f[i] = (float)v[i];
    return f;
}

/* ------------------------------------------------------------------------ */
/* Calls that crash if a size check is missing: run in a child process       */
/* ------------------------------------------------------------------------ */

typedef int (*child_fn)(void); /* returns the status; adds 64 if an output moved */

/* Runs fn in a forked child (one library thread, 20 s alarm) and checks that it returned
 * `want` without writing its outputs. When `needle` is not NULL, also checks that the
 * child's losscore_last_error() mentions it (or one of its '|'-separated alternatives). Run these before the library starts any
 * worker thread. */
static inline void run_isolated_msg(const char *what, child_fn fn, losscore_status want, const char *needle, int line) {
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
        losscore_set_num_threads(1);
        int code = fn();
        const char *msg = losscore_last_error();
        if (msg) {
            size_t len = strlen(msg);
            if (write(fds[1], msg, len) != (ssize_t)len) code |= 128;
        }
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
        if (needle) check_at(0, line, "%s: no error message (crashed)", what);
    } else {
        int code = WEXITSTATUS(st);
        check_at((code & 63) == (int)want, line, "%s: status %s, expected %s (\"%s\")", what,
                 losscore_status_string((losscore_status)(code & 63)), losscore_status_string(want), msg);
        check_at((code & 64) == 0, line, "%s: a failed call wrote to its output", what);
        if (needle) check_at(contains_any(msg, needle), line, "%s: last_error \"%s\" should mention \"%s\"", what, msg, needle);
    }
}

static inline void run_isolated(const char *what, child_fn fn, losscore_status want, int line) {
    run_isolated_msg(what, fn, want, NULL, line);
}

#endif /* LOSSCORE_TESTS_CHECK_H */
