/*
 * test_abi.c - tests of liblosscore.so through include/losscore.h alone, as a C user
 * sees it. Expected values come from the header's formulas and PyTorch's semantics,
 * computed here in double; nothing is taken from the library's own output.
 *
 * Build and run with Tests/c/run.sh [LIBDIR]. Prints "N passed, M failed" last and
 * exits non-zero on any failure.
 */
#include "check.h"

#include <float.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>

/* ------------------------------------------------------------------------ */
/* The regression losses, called uniformly                                   */
/* ------------------------------------------------------------------------ */

typedef enum { K_L1, K_MSE, K_SMOOTH, K_HUBER } kind_t;

typedef struct {
    kind_t kind;
    double opt; /* beta or delta */
    const char *name;
} loss_t;

static const loss_t LOSSES[] = {
    {K_L1, 0, "l1_loss"},
    {K_MSE, 0, "mse_loss"},
    {K_SMOOTH, 1.0, "smooth_l1_loss(beta=1)"},
    {K_SMOOTH, 0.5, "smooth_l1_loss(beta=0.5)"},
    {K_SMOOTH, 0.0, "smooth_l1_loss(beta=0)"},
    {K_HUBER, 1.0, "huber_loss(delta=1)"},
    {K_HUBER, 2.5, "huber_loss(delta=2.5)"},
};
#define NUM_LOSSES (sizeof LOSSES / sizeof LOSSES[0])

static int takes_weight(const loss_t *L) { return L->kind != K_SMOOTH; }

static losscore_status call64(const loss_t *L, const double *x, const double *y, const double *w,
                              size_t n, losscore_reduction r, double *out, const double *go,
                              double *gi) {
    switch (L->kind) {
    case K_L1: return losscore_l1_loss_f64(x, y, w, n, r, out, go, gi);
    case K_MSE: return losscore_mse_loss_f64(x, y, w, n, r, out, go, gi);
    case K_SMOOTH: return losscore_smooth_l1_loss_f64(x, y, n, r, L->opt, out, go, gi);
    case K_HUBER: return losscore_huber_loss_f64(x, y, w, n, r, L->opt, out, go, gi);
    }
    return (losscore_status)-1;
}

static losscore_status call32(const loss_t *L, const float *x, const float *y, const float *w,
                              size_t n, losscore_reduction r, float *out, const float *go,
                              float *gi) {
    switch (L->kind) {
    case K_L1: return losscore_l1_loss_f32(x, y, w, n, r, out, go, gi);
    case K_MSE: return losscore_mse_loss_f32(x, y, w, n, r, out, go, gi);
    case K_SMOOTH: return losscore_smooth_l1_loss_f32(x, y, n, r, L->opt, out, go, gi);
    case K_HUBER: return losscore_huber_loss_f32(x, y, w, n, r, L->opt, out, go, gi);
    }
    return (losscore_status)-1;
}

/* Runs one loss in float (f32 != 0) or double on double data. Outputs are written to
 * `out` (n or 1 values) and `gi` (n values, or NULL for no gradient). The library gets
 * buffers two elements longer, filled with SENTINEL; *overrun is set if it wrote past
 * the documented sizes. */
static losscore_status run_loss(int f32, const loss_t *L, const double *x, const double *y,
                                const double *w, size_t n, losscore_reduction r, double *out,
                                const double *go, double *gi, int *overrun) {
    size_t outn = r == LOSSCORE_REDUCTION_NONE ? n : 1;
    size_t gon = outn;
    losscore_status s;
    *overrun = 0;
    if (f32) {
        float *xf = to_float(x, n), *yf = to_float(y, n), *wf = to_float(w, n), *gof = to_float(go, gon);
        float *of = malloc((outn + 2) * sizeof *of), *gf = malloc((n + 2) * sizeof *gf);
        for (size_t i = 0; i < outn + 2; i++) of[i] = (float)SENTINEL;
        for (size_t i = 0; i < n + 2; i++) gf[i] = (float)SENTINEL;
        s = call32(L, xf, yf, wf, n, r, of, gof, gi ? gf : NULL);
        if (of[outn] != (float)SENTINEL || of[outn + 1] != (float)SENTINEL) *overrun = 1;
        if (gf[n] != (float)SENTINEL || gf[n + 1] != (float)SENTINEL) *overrun = 1;
        for (size_t i = 0; i < outn; i++) out[i] = of[i];
        if (gi)
            for (size_t i = 0; i < n; i++) gi[i] = gf[i];
        free(xf), free(yf), free(wf), free(gof), free(of), free(gf);
    } else {
        double *od = malloc((outn + 2) * sizeof *od), *gd = malloc((n + 2) * sizeof *gd);
        for (size_t i = 0; i < outn + 2; i++) od[i] = SENTINEL;
        for (size_t i = 0; i < n + 2; i++) gd[i] = SENTINEL;
        s = call64(L, x, y, w, n, r, od, go, gi ? gd : NULL);
        if (od[outn] != SENTINEL || od[outn + 1] != SENTINEL) *overrun = 1;
        if (gd[n] != SENTINEL || gd[n + 1] != SENTINEL) *overrun = 1;
        memcpy(out, od, outn * sizeof *out);
        if (gi) memcpy(gi, gd, n * sizeof *gi);
        free(od), free(gd);
    }
    return s;
}

/* ------------------------------------------------------------------------ */
/* Float64 references, from the header's formulas and torch's backward       */
/* ------------------------------------------------------------------------ */

static double sgn(double d) { return d > 0 ? 1.0 : (d < 0 ? -1.0 : 0.0); } /* torch sgn: 0 for NaN */

static void ref_elem(const loss_t *L, double d, double *l, double *s) {
    switch (L->kind) {
    case K_L1:
        *l = fabs(d);
        *s = sgn(d);
        return;
    case K_MSE:
        *l = d * d;
        *s = 2 * d;
        return;
    case K_SMOOTH: {
        double beta = L->opt;
        if (beta == 0) { /* torch runs l1_loss */
            *l = fabs(d);
            *s = sgn(d);
            return;
        }
        *l = fabs(d) < beta ? 0.5 * d * d / beta : fabs(d) - 0.5 * beta;
        *s = d <= -beta ? -1.0 : (d >= beta ? 1.0 : d / beta); /* NaN -> NaN / beta */
        return;
    }
    case K_HUBER: {
        double delta = L->opt;
        *l = fabs(d) < delta ? 0.5 * d * d : delta * (fabs(d) - 0.5 * delta);
        *s = d <= -delta ? -delta : (d >= delta ? delta : d); /* NaN -> NaN */
        return;
    }
    }
}

static int mean_by_weight_sum(const loss_t *L) { return L->kind == K_L1 || L->kind == K_MSE; }

/* Reference loss (n or 1 values) and gradient (n values). */
static void ref_loss(const loss_t *L, const double *x, const double *y, const double *w, size_t n,
                     losscore_reduction r, const double *go, double *out, double *grad) {
    double total = 0, comp = 0, wsum = 0;
    for (size_t i = 0; i < n; i++) {
        double l, s, wi = w ? w[i] : 1.0;
        ref_elem(L, x[i] - y[i], &l, &s);
        double term = wi * l;
        if (r == LOSSCORE_REDUCTION_NONE) {
            out[i] = term;
            grad[i] = (go ? go[i] : 1.0) * wi * s;
        } else {
            double t = term - comp, u = total + t; /* Kahan */
            comp = (u - total) - t;
            total = u;
            grad[i] = wi * s;
        }
        wsum += wi;
    }
    if (r == LOSSCORE_REDUCTION_NONE) return;
    double divisor = 1;
    if (r == LOSSCORE_REDUCTION_MEAN) divisor = (w && mean_by_weight_sum(L)) ? wsum : (double)n;
    double g = go ? go[0] : 1.0;
    out[0] = total / divisor;
    for (size_t i = 0; i < n; i++) grad[i] = g * grad[i] / divisor;
}

/* Random x, y whose differences stay `margin` away from the loss's kinks. */
static void smooth_data(const loss_t *L, double *x, double *y, size_t n, double margin) {
    for (size_t i = 0; i < n;) {
        double a = rng_uniform(-3, 3), b = rng_uniform(-3, 3), d = a - b;
        int near = 0;
        if ((L->kind == K_L1 || (L->kind == K_SMOOTH && L->opt == 0)) && fabs(d) < margin) near = 1;
        if (L->kind == K_SMOOTH && L->opt > 0 && fabs(fabs(d) - L->opt) < margin) near = 1;
        if (L->kind == K_HUBER && fabs(fabs(d) - L->opt) < margin) near = 1;
        if (near) continue;
        x[i] = a;
        y[i] = b;
        i++;
    }
}

static const char *RED_NAME[] = {"none", "mean", "sum"};

/* ------------------------------------------------------------------------ */
/* Runtime functions                                                          */
/* ------------------------------------------------------------------------ */

static void test_initial_last_error(void) {
    const char *e = losscore_last_error();
    CHECK(e != NULL && e[0] == '\0', "last_error() before any call should be \"\", got %s", e ? e : "NULL");
}

static void test_version(void) {
    const char *v = losscore_version();
    CHECK(v != NULL && strcmp(v, LOSSCORE_VERSION_STRING) == 0, "version() = %s, header says %s",
          v ? v : "NULL", LOSSCORE_VERSION_STRING);
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
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        const char *got = losscore_status_string(names[i].s);
        CHECK(got != NULL && strcmp(got, names[i].name) == 0, "status_string(%d) = %s, expected %s",
              (int)names[i].s, got ? got : "NULL", names[i].name);
    }
    const int unknown[] = {6, 99, -1, INT_MAX, INT_MIN};
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

static void test_threads(void) {
    int def = losscore_get_num_threads();
    CHECK(def >= 1, "get_num_threads() = %d, must be >= 1", def);
    CHECK(def == expected_default_threads(), "default thread count %d, expected %d (LOSSCORE_NUM_THREADS or cores)",
          def, expected_default_threads());
    losscore_status s = losscore_set_num_threads(1);
    CHECK(s == LOSSCORE_OK && losscore_get_num_threads() == 1, "set_num_threads(1) -> %d, get = %d", (int)s,
          losscore_get_num_threads());
    CHECK(strcmp(losscore_last_error(), "") == 0, "last_error after set_num_threads(1): %s", losscore_last_error());
    s = losscore_set_num_threads(3);
    CHECK(s == LOSSCORE_OK && losscore_get_num_threads() == 3, "set_num_threads(3) -> %d", (int)s);
    const int bad[] = {-1, -1000, 1025, 5000, INT_MAX, INT_MIN};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        s = losscore_set_num_threads(bad[i]);
        CHECK(s == LOSSCORE_ERROR_INVALID_ARGUMENT, "set_num_threads(%d) -> %s, expected INVALID_ARGUMENT", bad[i],
              losscore_status_string(s));
        CHECK(contains(losscore_last_error(), "num_threads"), "set_num_threads(%d): last_error \"%s\" should name num_threads",
              bad[i], losscore_last_error());
        CHECK(losscore_get_num_threads() == 3, "a refused set_num_threads(%d) changed the count to %d", bad[i],
              losscore_get_num_threads());
    }
    s = losscore_set_num_threads(1024);
    CHECK(s == LOSSCORE_OK && losscore_get_num_threads() == 1024, "set_num_threads(1024) -> %s", losscore_status_string(s));
    s = losscore_set_num_threads(0);
    CHECK(s == LOSSCORE_OK && losscore_get_num_threads() == def, "set_num_threads(0) should restore %d, got %d", def,
          losscore_get_num_threads());
    CHECK(strcmp(losscore_last_error(), "") == 0, "last_error after a successful call: \"%s\"", losscore_last_error());
}

/* ------------------------------------------------------------------------ */
/* Regression losses: values and gradients                                   */
/* ------------------------------------------------------------------------ */

static void test_regression_values(void) {
    enum { N = 37 };
    double x[N], y[N], w[N], go[N], out[N], gi[N], want[N], wgrad[N];
    for (size_t li = 0; li < NUM_LOSSES; li++) {
        const loss_t *L = &LOSSES[li];
        rng_state = 100 + li;
        smooth_data(L, x, y, N, 1e-2);
        for (int i = 0; i < N; i++) w[i] = rng_uniform(0.1, 2);
        for (int f32 = 0; f32 <= 1; f32++) {
            double tol = f32 ? 2e-6 : 1e-13;
            for (int weighted = 0; weighted <= takes_weight(L); weighted++) {
                for (int r = 0; r < 3; r++) {
                    size_t outn = r == LOSSCORE_REDUCTION_NONE ? N : 1;
                    for (int use_go = 0; use_go <= 1; use_go++) {
                        for (size_t i = 0; i < outn; i++) go[i] = rng_uniform(-2, 2);
                        const double *wp = weighted ? w : NULL, *gop = use_go ? go : NULL;
                        ref_loss(L, x, y, wp, N, (losscore_reduction)r, gop, want, wgrad);
                        int overrun;
                        /* Fused value + gradient. */
                        losscore_status s = run_loss(f32, L, x, y, wp, N, (losscore_reduction)r, out, gop, gi, &overrun);
                        const char *ctx_fmt = "%s %s %s weighted=%d grad_output=%d";
                        char ctx[160];
                        snprintf(ctx, sizeof ctx, ctx_fmt, L->name, f32 ? "f32" : "f64", RED_NAME[r], weighted, use_go);
                        CHECK(s == LOSSCORE_OK, "%s: status %s (%s)", ctx, losscore_status_string(s), losscore_last_error());
                        CHECK(strcmp(losscore_last_error(), "") == 0, "%s: last_error not empty after success", ctx);
                        CHECK(!overrun, "%s: wrote past the output or gradient buffer", ctx);
                        long bad = first_mismatch(out, want, outn, tol);
                        CHECK(bad < 0, "%s: loss[%ld] = %.17g, expected %.17g", ctx, bad, bad < 0 ? 0 : out[bad],
                              bad < 0 ? 0 : want[bad]);
                        bad = first_mismatch(gi, wgrad, N, tol);
                        CHECK(bad < 0, "%s: grad[%ld] = %.17g, expected %.17g", ctx, bad, bad < 0 ? 0 : gi[bad],
                              bad < 0 ? 0 : wgrad[bad]);
                        /* Loss only (grad_input NULL; grad_output ignored). */
                        double out2[N];
                        s = run_loss(f32, L, x, y, wp, N, (losscore_reduction)r, out2, gop, NULL, &overrun);
                        CHECK(s == LOSSCORE_OK && !overrun, "%s loss-only: status %s", ctx, losscore_status_string(s));
                        bad = first_mismatch(out2, want, outn, tol);
                        CHECK(bad < 0, "%s loss-only: loss[%ld] = %.17g, expected %.17g", ctx, bad,
                              bad < 0 ? 0 : out2[bad], bad < 0 ? 0 : want[bad]);
                    }
                }
            }
        }
    }
}

/* The tutorial's MAE example and hand-computed weighted means (l1/mse divide by sum w,
 * huber by n). */
static void test_hand_examples(void) {
    const double pred[] = {0.000, 0.100, 0.200}, truth[] = {0.000, 0.200, 0.250};
    double mae = 0, grad[3];
    losscore_status s = losscore_l1_loss_f64(pred, truth, NULL, 3, LOSSCORE_REDUCTION_MEAN, &mae, NULL, grad);
    CHECK(s == LOSSCORE_OK && close_to(mae, 0.15 / 3, 1e-15, 0), "tutorial MAE = %.17g", mae);
    CHECK(grad[0] == 0 && grad[1] == -1.0 / 3 && grad[2] == -1.0 / 3, "tutorial MAE grad = %g %g %g", grad[0], grad[1],
          grad[2]);

    const double x[] = {1, 2, 3}, y[] = {0, 0, 0}, w[] = {1, 2, 3};
    const float xf[] = {1, 2, 3}, yf[] = {0, 0, 0}, wf[] = {1, 2, 3};
    double v, g[3];
    float vf, gf[3];
    s = losscore_l1_loss_f64(x, y, w, 3, LOSSCORE_REDUCTION_MEAN, &v, NULL, g);
    CHECK(s == LOSSCORE_OK && close_to(v, 14.0 / 6, 1e-15, 0), "weighted l1 mean = %.17g, expected 14/6", v);
    CHECK(close_to(g[0], 1.0 / 6, 1e-15, 0) && close_to(g[1], 2.0 / 6, 1e-15, 0) && close_to(g[2], 3.0 / 6, 1e-15, 0),
          "weighted l1 mean grad = %g %g %g, expected w/6", g[0], g[1], g[2]);
    s = losscore_l1_loss_f32(xf, yf, wf, 3, LOSSCORE_REDUCTION_MEAN, &vf, NULL, gf);
    CHECK(s == LOSSCORE_OK && close_to(vf, 14.0 / 6, 1e-6, 0), "weighted l1 mean f32 = %.9g", (double)vf);
    s = losscore_mse_loss_f64(x, y, w, 3, LOSSCORE_REDUCTION_MEAN, &v, NULL, g);
    CHECK(s == LOSSCORE_OK && close_to(v, 6, 1e-15, 0), "weighted mse mean = %.17g, expected 36/6", v);
    CHECK(close_to(g[0], 2.0 / 6, 1e-15, 0) && close_to(g[1], 8.0 / 6, 1e-15, 0) && close_to(g[2], 3.0, 1e-15, 0),
          "weighted mse mean grad = %g %g %g", g[0], g[1], g[2]);
    s = losscore_mse_loss_f32(xf, yf, wf, 3, LOSSCORE_REDUCTION_MEAN, &vf, NULL, gf);
    CHECK(s == LOSSCORE_OK && close_to(vf, 6, 1e-6, 0), "weighted mse mean f32 = %.9g", (double)vf);
    s = losscore_huber_loss_f64(x, y, w, 3, LOSSCORE_REDUCTION_MEAN, 1.0, &v, NULL, g);
    CHECK(s == LOSSCORE_OK && close_to(v, 11.0 / 3, 1e-15, 0), "weighted huber mean = %.17g, expected 11/3 (divides by n)", v);
    CHECK(close_to(g[0], 1.0 / 3, 1e-15, 0) && close_to(g[1], 2.0 / 3, 1e-15, 0) && close_to(g[2], 1.0, 1e-15, 0),
          "weighted huber mean grad = %g %g %g, expected w/3", g[0], g[1], g[2]);
    s = losscore_huber_loss_f32(xf, yf, wf, 3, LOSSCORE_REDUCTION_MEAN, 1.0, &vf, NULL, gf);
    CHECK(s == LOSSCORE_OK && close_to(vf, 11.0 / 3, 1e-6, 0), "weighted huber mean f32 = %.9g", (double)vf);
    double none[3];
    s = losscore_huber_loss_f64(x, y, w, 3, LOSSCORE_REDUCTION_NONE, 1.0, none, NULL, NULL);
    CHECK(s == LOSSCORE_OK && none[0] == 0.5 && none[1] == 3 && none[2] == 7.5, "weighted huber none = %g %g %g",
          none[0], none[1], none[2]);
}

/* 'sum' == 'mean' * n (or * sum w for weighted l1/mse), values and gradients. */
static void test_sum_is_mean_times_n(void) {
    enum { N = 301 };
    double x[N], y[N], w[N], gm[N], gs[N], mean, sum;
    for (size_t li = 0; li < NUM_LOSSES; li++) {
        const loss_t *L = &LOSSES[li];
        rng_state = 500 + li;
        smooth_data(L, x, y, N, 1e-2);
        double wsum = 0;
        for (int i = 0; i < N; i++) wsum += (w[i] = rng_uniform(0, 3));
        for (int f32 = 0; f32 <= 1; f32++) {
            for (int weighted = 0; weighted <= takes_weight(L); weighted++) {
                int overrun;
                const double *wp = weighted ? w : NULL;
                double denom = weighted && mean_by_weight_sum(L) ? wsum : (double)N;
                run_loss(f32, L, x, y, wp, N, LOSSCORE_REDUCTION_MEAN, &mean, NULL, gm, &overrun);
                run_loss(f32, L, x, y, wp, N, LOSSCORE_REDUCTION_SUM, &sum, NULL, gs, &overrun);
                double tol = f32 ? 1e-6 : 1e-13;
                CHECK(close_to(sum, mean * denom, tol, 0), "%s %s weighted=%d: sum %.17g != mean %.17g * %g", L->name,
                      f32 ? "f32" : "f64", weighted, sum, mean, denom);
                int ok = 1;
                for (int i = 0; i < N; i++) ok &= close_to(gs[i], gm[i] * denom, 4 * tol, 1e-300);
                CHECK(ok, "%s %s weighted=%d: grad(sum) != grad(mean) * %g", L->name, f32 ? "f32" : "f64", weighted, denom);
            }
        }
    }
}

/* Central differences of the f64 losses (with weights and grad_output). */
static void test_finite_differences(void) {
    enum { N = 12 };
    double x[N], y[N], w[N], go[N], grad[N];
    for (size_t li = 0; li < NUM_LOSSES; li++) {
        const loss_t *L = &LOSSES[li];
        rng_state = 900 + li;
        smooth_data(L, x, y, N, 1e-3);
        for (int i = 0; i < N; i++) w[i] = rng_uniform(0.2, 2);
        for (int weighted = 0; weighted <= takes_weight(L); weighted++) {
            for (int r = 0; r < 3; r++) {
                size_t outn = r == LOSSCORE_REDUCTION_NONE ? N : 1;
                for (size_t i = 0; i < outn; i++) go[i] = rng_uniform(0.5, 2);
                const double *wp = weighted ? w : NULL;
                double out[N];
                losscore_status s = call64(L, x, y, wp, N, (losscore_reduction)r, out, go, grad);
                CHECK(s == LOSSCORE_OK, "%s fd: status %s", L->name, losscore_status_string(s));
                int ok = 1;
                long worst = -1;
                double worst_fd = 0;
                for (int i = 0; i < N; i++) {
                    const double h = 1e-6;
                    double xp[N], xm[N], op[N], om[N], fp = 0, fm = 0;
                    memcpy(xp, x, sizeof x);
                    memcpy(xm, x, sizeof x);
                    xp[i] += h;
                    xm[i] -= h;
                    call64(L, xp, y, wp, N, (losscore_reduction)r, op, NULL, NULL);
                    call64(L, xm, y, wp, N, (losscore_reduction)r, om, NULL, NULL);
                    for (size_t k = 0; k < outn; k++) {
                        fp += go[k] * op[k];
                        fm += go[k] * om[k];
                    }
                    double fd = (fp - fm) / (2 * h);
                    if (!close_to(grad[i], fd, 1e-6, 1e-7) && ok) {
                        ok = 0;
                        worst = i;
                        worst_fd = fd;
                    }
                }
                CHECK(ok, "%s %s weighted=%d: grad[%ld] = %.12g, finite difference %.12g", L->name, RED_NAME[r], weighted,
                      worst, worst >= 0 ? grad[worst] : 0, worst_fd);
            }
        }
    }
}

/* Kinks, NaN and infinities. */
static void test_special_values(void) {
    const double nan = NAN, inf = INFINITY;
    for (int f32 = 0; f32 <= 1; f32++) {
        const char *t = f32 ? "f32" : "f64";
        int overrun;
        double out[8], g[8];
        /* |x|'s gradient at 0 is 0, for every loss and reduction. */
        const double z[] = {0, 1.5, -2};
        for (size_t li = 0; li < NUM_LOSSES; li++) {
            for (int r = 0; r < 3; r++) {
                losscore_status s = run_loss(f32, &LOSSES[li], z, z, NULL, 3, (losscore_reduction)r, out, NULL, g, &overrun);
                CHECK(s == LOSSCORE_OK && out[0] == 0 && g[0] == 0 && g[1] == 0 && g[2] == 0,
                      "%s %s %s at d = 0: loss %g, grad %g %g %g (expected all 0)", LOSSES[li].name, t, RED_NAME[r], out[0],
                      g[0], g[1], g[2]);
            }
        }
        /* l1: sgn(NaN) = 0 in the gradient; the loss is NaN. inf - inf is NaN too. */
        const double lx[] = {nan, 1, inf, 2}, ly[] = {0, nan, inf, 0};
        const loss_t l1 = {K_L1, 0, "l1"};
        run_loss(f32, &l1, lx, ly, NULL, 4, LOSSCORE_REDUCTION_NONE, out, NULL, g, &overrun);
        CHECK(isnan(out[0]) && isnan(out[1]) && isnan(out[2]) && out[3] == 2, "l1 %s NaN values: %g %g %g %g", t, out[0],
              out[1], out[2], out[3]);
        CHECK(g[0] == 0 && g[1] == 0 && g[2] == 0 && g[3] == 1, "l1 %s: gradient at a NaN difference must be 0 (torch sgn), got %g %g %g %g",
              t, g[0], g[1], g[2], g[3]);
        run_loss(f32, &l1, lx, ly, NULL, 4, LOSSCORE_REDUCTION_MEAN, out, NULL, g, &overrun);
        CHECK(isnan(out[0]) && g[0] == 0 && g[1] == 0 && g[2] == 0 && g[3] == 0.25, "l1 %s mean with NaN: %g; grad %g %g %g %g", t,
              out[0], g[0], g[1], g[2], g[3]);

        /* smooth_l1 with beta = 0 is exactly l1, NaN, 0 and infinities included. */
        enum { M = 24 };
        double sx[M], sy[M], go[M], o1[M], o2[M], g1[M], g2[M];
        rng_state = 4242;
        for (int i = 0; i < M; i++) sx[i] = rng_uniform(-3, 3), sy[i] = rng_uniform(-3, 3), go[i] = rng_uniform(-2, 2);
        sx[0] = 0, sy[0] = 0, sx[1] = nan, sx[2] = inf, sy[3] = nan, sx[4] = -inf, sx[5] = 3, sy[5] = 3;
        const loss_t beta0 = {K_SMOOTH, 0, "smooth_l1(beta=0)"};
        for (int r = 0; r < 3; r++) {
            size_t outn = r == LOSSCORE_REDUCTION_NONE ? M : 1;
            run_loss(f32, &beta0, sx, sy, NULL, M, (losscore_reduction)r, o1, go, g1, &overrun);
            run_loss(f32, &l1, sx, sy, NULL, M, (losscore_reduction)r, o2, go, g2, &overrun);
            CHECK(memcmp(o1, o2, outn * sizeof o1[0]) == 0, "smooth_l1(beta=0) %s %s: loss differs from l1", t, RED_NAME[r]);
            CHECK(memcmp(g1, g2, M * sizeof g1[0]) == 0, "smooth_l1(beta=0) %s %s: gradient differs from l1", t, RED_NAME[r]);
        }

        /* smooth_l1 (beta > 0), huber and mse propagate NaN into the gradient. */
        const double nx[] = {nan, 0.5, 4, 1}, ny[] = {0, 0, 0, nan};
        const loss_t nanprop[] = {{K_SMOOTH, 1, "smooth_l1(beta=1)"}, {K_SMOOTH, 0.25, "smooth_l1(beta=0.25)"},
                                  {K_HUBER, 1, "huber(delta=1)"}, {K_HUBER, 3, "huber(delta=3)"}, {K_MSE, 0, "mse"}};
        for (size_t k = 0; k < sizeof nanprop / sizeof nanprop[0]; k++) {
            double want[4], wg[4];
            ref_loss(&nanprop[k], nx, ny, NULL, 4, LOSSCORE_REDUCTION_NONE, NULL, want, wg);
            run_loss(f32, &nanprop[k], nx, ny, NULL, 4, LOSSCORE_REDUCTION_NONE, out, NULL, g, &overrun);
            CHECK(isnan(out[0]) && isnan(out[3]), "%s %s: NaN loss expected, got %g %g", nanprop[k].name, t, out[0], out[3]);
            CHECK(isnan(g[0]) && isnan(g[3]), "%s %s: the gradient at a NaN difference must be NaN (torch), got %g %g",
                  nanprop[k].name, t, g[0], g[3]);
            CHECK(close_to(g[1], wg[1], 1e-6, 0) && close_to(g[2], wg[2], 1e-6, 0), "%s %s: finite gradients %g %g, expected %g %g",
                  nanprop[k].name, t, g[1], g[2], wg[1], wg[2]);
            run_loss(f32, &nanprop[k], nx, ny, NULL, 4, LOSSCORE_REDUCTION_SUM, out, NULL, g, &overrun);
            CHECK(isnan(out[0]) && isnan(g[0]) && isnan(g[3]) && !isnan(g[1]) && !isnan(g[2]), "%s %s sum with NaN: %g; %g %g %g %g",
                  nanprop[k].name, t, out[0], g[0], g[1], g[2], g[3]);
        }

        /* Branch boundaries: |d| == beta (delta) takes the outer slope, values continuous. */
        const double bx[] = {0.5, -0.5, 2, -2}, by[] = {0, 0, 0, 0};
        const loss_t sm = {K_SMOOTH, 0.5, "smooth_l1(beta=0.5)"}, hu = {K_HUBER, 2, "huber(delta=2)"};
        run_loss(f32, &sm, bx, by, NULL, 4, LOSSCORE_REDUCTION_NONE, out, NULL, g, &overrun);
        CHECK(out[0] == 0.25 && out[1] == 0.25 && out[2] == 1.75 && out[3] == 1.75 && g[0] == 1 && g[1] == -1 && g[2] == 1 &&
                  g[3] == -1,
              "smooth_l1 %s at |d| = beta: %g %g %g %g; grad %g %g %g %g", t, out[0], out[1], out[2], out[3], g[0], g[1], g[2], g[3]);
        run_loss(f32, &hu, bx, by, NULL, 4, LOSSCORE_REDUCTION_NONE, out, NULL, g, &overrun);
        CHECK(out[0] == 0.125 && out[1] == 0.125 && out[2] == 2 && out[3] == 2 && g[0] == 0.5 && g[1] == -0.5 && g[2] == 2 &&
                  g[3] == -2,
              "huber %s at |d| = delta: %g %g %g %g; grad %g %g %g %g", t, out[0], out[1], out[2], out[3], g[0], g[1], g[2], g[3]);

        /* Infinite differences. */
        const double ix[] = {inf, -inf}, iy[] = {0, 0};
        run_loss(f32, &l1, ix, iy, NULL, 2, LOSSCORE_REDUCTION_NONE, out, NULL, g, &overrun);
        CHECK(out[0] == inf && out[1] == inf && g[0] == 1 && g[1] == -1, "l1 %s at +-inf: %g %g; %g %g", t, out[0], out[1], g[0], g[1]);
        const loss_t mse = {K_MSE, 0, "mse"}, hu15 = {K_HUBER, 1.5, "huber(1.5)"}, sm1 = {K_SMOOTH, 1, "smooth_l1(1)"};
        run_loss(f32, &mse, ix, iy, NULL, 2, LOSSCORE_REDUCTION_NONE, out, NULL, g, &overrun);
        CHECK(out[0] == inf && out[1] == inf && g[0] == inf && g[1] == -inf, "mse %s at +-inf: %g %g; %g %g", t, out[0], out[1], g[0], g[1]);
        run_loss(f32, &hu15, ix, iy, NULL, 2, LOSSCORE_REDUCTION_SUM, out, NULL, g, &overrun);
        CHECK(out[0] == inf && g[0] == 1.5 && g[1] == -1.5, "huber %s at +-inf: %g; %g %g", t, out[0], g[0], g[1]);
        run_loss(f32, &sm1, ix, iy, NULL, 2, LOSSCORE_REDUCTION_NONE, out, NULL, g, &overrun);
        CHECK(out[0] == inf && g[0] == 1 && g[1] == -1, "smooth_l1 %s at +-inf: %g; %g %g", t, out[0], g[0], g[1]);
    }
}

/* grad_output scales the gradient and does not change the loss. */
static void test_grad_output(void) {
    enum { N = 29 };
    double x[N], y[N], base[N], g[N], go[N], v0, v;
    for (size_t li = 0; li < NUM_LOSSES; li++) {
        const loss_t *L = &LOSSES[li];
        rng_state = 1300 + li;
        smooth_data(L, x, y, N, 1e-2);
        for (int f32 = 0; f32 <= 1; f32++) {
            double tol = f32 ? 2e-6 : 1e-14;
            int overrun;
            for (int r = 1; r <= 2; r++) {
                run_loss(f32, L, x, y, NULL, N, (losscore_reduction)r, &v0, NULL, base, &overrun);
                const double scales[] = {2.5, -0.75, 0.0};
                for (int k = 0; k < 3; k++) {
                    run_loss(f32, L, x, y, NULL, N, (losscore_reduction)r, &v, &scales[k], g, &overrun);
                    int ok = v == v0;
                    for (int i = 0; i < N; i++) ok &= close_to(g[i], scales[k] * base[i], tol, 1e-300);
                    CHECK(ok, "%s %s %s: grad_output %g does not scale the gradient", L->name, f32 ? "f32" : "f64", RED_NAME[r],
                          scales[k]);
                }
            }
            double o0[N], o[N];
            for (int i = 0; i < N; i++) go[i] = rng_uniform(-2, 2);
            run_loss(f32, L, x, y, NULL, N, LOSSCORE_REDUCTION_NONE, o0, NULL, base, &overrun);
            run_loss(f32, L, x, y, NULL, N, LOSSCORE_REDUCTION_NONE, o, go, g, &overrun);
            int ok = memcmp(o0, o, sizeof o) == 0;
            for (int i = 0; i < N; i++) ok &= close_to(g[i], go[i] * base[i], tol, 1e-300);
            CHECK(ok, "%s %s none: elementwise grad_output", L->name, f32 ? "f32" : "f64");
        }
    }
}

/* n = 0: data pointers may be NULL; MEAN writes NaN, SUM 0, NONE nothing. */
static void test_empty(void) {
    for (size_t li = 0; li < NUM_LOSSES; li++) {
        const loss_t *L = &LOSSES[li];
        for (int r = 0; r < 3; r++) {
            double out[2] = {SENTINEL, SENTINEL}, g[1] = {SENTINEL};
            float outf[2] = {(float)SENTINEL, (float)SENTINEL}, gf[1] = {(float)SENTINEL};
            losscore_status s = call64(L, NULL, NULL, NULL, 0, (losscore_reduction)r, out, NULL, g);
            losscore_status sf = call32(L, NULL, NULL, NULL, 0, (losscore_reduction)r, outf, NULL, gf);
            CHECK(s == LOSSCORE_OK && sf == LOSSCORE_OK, "%s %s empty: status %s / %s (%s)", L->name, RED_NAME[r],
                  losscore_status_string(s), losscore_status_string(sf), losscore_last_error());
            if (r == LOSSCORE_REDUCTION_MEAN)
                CHECK(isnan(out[0]) && isnan(outf[0]), "%s mean of nothing must be NaN, got %g / %g", L->name, out[0], (double)outf[0]);
            else if (r == LOSSCORE_REDUCTION_SUM)
                CHECK(out[0] == 0 && outf[0] == 0, "%s sum of nothing must be 0, got %g / %g", L->name, out[0], (double)outf[0]);
            else
                CHECK(out[0] == SENTINEL && outf[0] == (float)SENTINEL, "%s none of nothing must write nothing", L->name);
            CHECK(out[1] == SENTINEL && g[0] == SENTINEL && outf[1] == (float)SENTINEL && gf[0] == (float)SENTINEL,
                  "%s %s empty: wrote past out or into grad_input", L->name, RED_NAME[r]);
            if (takes_weight(L)) {
                double ow = SENTINEL;
                s = call64(L, NULL, NULL, NULL, 0, (losscore_reduction)r, &ow, NULL, NULL);
                CHECK(s == LOSSCORE_OK, "%s weighted empty", L->name);
            }
        }
    }
}

/* ------------------------------------------------------------------------ */
/* Regression losses: errors                                                  */
/* ------------------------------------------------------------------------ */

/* Calls one loss (f32 or f64) on 4 elements with the given overrides, expects `want`,
 * a message mentioning `needle`, and no write to out or grad_input. */
typedef struct {
    int null_input, null_target, null_out;
    size_t n;
    int reduction;
    double opt;
    int use_weight;
} call_spec;

static void expect_refused(int f32, const loss_t *L, call_spec c, losscore_status want, const char *needle,
                           const char *what, int line) {
    const double x[] = {1, 2, 3, 4}, y[] = {0, 0, 5, 5}, w[] = {1, 1, 1, 1}, go[] = {1, 1, 1, 1};
    const float xf[] = {1, 2, 3, 4}, yf[] = {0, 0, 5, 5}, wf[] = {1, 1, 1, 1}, gof[] = {1, 1, 1, 1};
    double out[4], g[4];
    float outf[4], gf[4];
    for (int i = 0; i < 4; i++) out[i] = g[i] = SENTINEL, outf[i] = gf[i] = (float)SENTINEL;
    loss_t l = *L;
    l.opt = c.opt;
    losscore_status s;
    if (f32)
        s = call32(&l, c.null_input ? NULL : xf, c.null_target ? NULL : yf, c.use_weight ? wf : NULL, c.n,
                   (losscore_reduction)c.reduction, c.null_out ? NULL : outf, gof, gf);
    else
        s = call64(&l, c.null_input ? NULL : x, c.null_target ? NULL : y, c.use_weight ? w : NULL, c.n,
                   (losscore_reduction)c.reduction, c.null_out ? NULL : out, go, g);
    int intact = 1;
    for (int i = 0; i < 4; i++)
        intact &= f32 ? (outf[i] == (float)SENTINEL && gf[i] == (float)SENTINEL) : (out[i] == SENTINEL && g[i] == SENTINEL);
    char fn[64];
    snprintf(fn, sizeof fn, "%s %s", L->name, f32 ? "f32" : "f64");
    check_refused(s, want, needle, intact, fn, what, line);
}

#define REFUSED(f32, L, spec, want, needle, what) expect_refused(f32, L, spec, want, needle, what, __LINE__)

static void test_regression_errors(void) {
    for (size_t li = 0; li < NUM_LOSSES; li++) {
        const loss_t *L = &LOSSES[li];
        double opt = L->opt;
        for (int f32 = 0; f32 <= 1; f32++) {
            for (int r = 0; r < 3; r++) {
                REFUSED(f32, L, ((call_spec){.null_input = 1, .n = 4, .reduction = r, .opt = opt}), LOSSCORE_ERROR_NULL_POINTER,
                        "input", "input = NULL");
                REFUSED(f32, L, ((call_spec){.null_target = 1, .n = 4, .reduction = r, .opt = opt}), LOSSCORE_ERROR_NULL_POINTER,
                        "target", "target = NULL");
                REFUSED(f32, L, ((call_spec){.null_out = 1, .n = 4, .reduction = r, .opt = opt}), LOSSCORE_ERROR_NULL_POINTER,
                        "out", "out = NULL");
            }
            /* A reduced result always needs `out`, even for n = 0. */
            REFUSED(f32, L, ((call_spec){.null_input = 1, .null_target = 1, .null_out = 1, .n = 0, .reduction = 1, .opt = opt}),
                    LOSSCORE_ERROR_NULL_POINTER, "out", "n = 0, MEAN, out = NULL");
            REFUSED(f32, L, ((call_spec){.null_input = 1, .null_target = 1, .null_out = 1, .n = 0, .reduction = 2, .opt = opt}),
                    LOSSCORE_ERROR_NULL_POINTER, "out", "n = 0, SUM, out = NULL");
            /* Unknown reductions. */
            const int bad_red[] = {3, 7, -1, INT_MAX};
            for (size_t k = 0; k < sizeof bad_red / sizeof bad_red[0]; k++) {
                char what[64];
                snprintf(what, sizeof what, "reduction = %d", bad_red[k]);
                REFUSED(f32, L, ((call_spec){.n = 4, .reduction = bad_red[k], .opt = opt}), LOSSCORE_ERROR_INVALID_ARGUMENT,
                        "reduction", what);
            }
            /* Sizes that cannot be a buffer: above PTRDIFF_MAX (negative as a signed size). */
            REFUSED(f32, L, ((call_spec){.n = SIZE_MAX, .reduction = 1, .opt = opt}), LOSSCORE_ERROR_SHAPE, "n", "n = SIZE_MAX");
            REFUSED(f32, L, ((call_spec){.n = SIZE_MAX, .reduction = 0, .opt = opt}), LOSSCORE_ERROR_SHAPE, "n", "n = SIZE_MAX, NONE");
            REFUSED(f32, L, ((call_spec){.n = SIZE_MAX / 2 + 1, .reduction = 2, .opt = opt}), LOSSCORE_ERROR_SHAPE, "n",
                    "n = 2^63");
            if (L->kind == K_SMOOTH) {
                const double bad_beta[] = {-1, -1e-300, -INFINITY, NAN};
                for (size_t k = 0; k < 4; k++) {
                    char what[64];
                    snprintf(what, sizeof what, "beta = %g", bad_beta[k]);
                    REFUSED(f32, L, ((call_spec){.n = 4, .reduction = 1, .opt = bad_beta[k]}), LOSSCORE_ERROR_INVALID_ARGUMENT,
                            "beta", what);
                    REFUSED(f32, L, ((call_spec){.null_input = 1, .null_target = 1, .n = 0, .reduction = 1, .opt = bad_beta[k]}),
                            LOSSCORE_ERROR_INVALID_ARGUMENT, "beta", "bad beta with n = 0");
                }
            }
            if (L->kind == K_HUBER) {
                const double bad_delta[] = {0.0, -0.0, -1, -INFINITY, NAN};
                for (size_t k = 0; k < 5; k++) {
                    char what[64];
                    snprintf(what, sizeof what, "delta = %g", bad_delta[k]);
                    REFUSED(f32, L, ((call_spec){.n = 4, .reduction = 1, .opt = bad_delta[k]}), LOSSCORE_ERROR_INVALID_ARGUMENT,
                            "delta", what);
                    REFUSED(f32, L, ((call_spec){.n = 4, .reduction = 0, .opt = bad_delta[k], .use_weight = 1}),
                            LOSSCORE_ERROR_INVALID_ARGUMENT, "delta", what);
                    REFUSED(f32, L, ((call_spec){.null_input = 1, .null_target = 1, .n = 0, .reduction = 2, .opt = bad_delta[k]}),
                            LOSSCORE_ERROR_INVALID_ARGUMENT, "delta", "bad delta with n = 0");
                }
            }
        }
    }
    /* The error clears after a successful call, and names the function. */
    double v;
    const double x[] = {1}, y[] = {0};
    losscore_status s = losscore_l1_loss_f64(NULL, y, NULL, 1, LOSSCORE_REDUCTION_MEAN, &v, NULL, NULL);
    CHECK(s == LOSSCORE_ERROR_NULL_POINTER && contains(losscore_last_error(), "l1_loss"),
          "last_error should name the function: \"%s\"", losscore_last_error());
    s = losscore_l1_loss_f64(x, y, NULL, 1, LOSSCORE_REDUCTION_MEAN, &v, NULL, NULL);
    CHECK(s == LOSSCORE_OK && strcmp(losscore_last_error(), "") == 0, "last_error after success: \"%s\"", losscore_last_error());
    /* Good edge options. */
    s = losscore_smooth_l1_loss_f64(x, y, 1, LOSSCORE_REDUCTION_MEAN, INFINITY, &v, NULL, NULL);
    CHECK(s == LOSSCORE_OK && v == 0, "smooth_l1 beta = inf: %s %g", losscore_status_string(s), v);
    s = losscore_huber_loss_f64(x, y, NULL, 1, LOSSCORE_REDUCTION_MEAN, INFINITY, &v, NULL, NULL);
    CHECK(s == LOSSCORE_OK && v == 0.5, "huber delta = inf (half mse): %s %g", losscore_status_string(s), v);
    s = losscore_huber_loss_f64(x, y, NULL, 1, LOSSCORE_REDUCTION_MEAN, 1e-300, &v, NULL, NULL);
    CHECK(s == LOSSCORE_OK, "huber tiny positive delta: %s", losscore_status_string(s));
}

/* ------------------------------------------------------------------------ */
/* Calls that crash if a size check is missing: run in a child process       */
/* ------------------------------------------------------------------------ */

/* n * sizeof(double) overflows size_t: no buffer can have this size. */
static int huge_l1_f64(void) {
    double x[4] = {1, 2, 3, 4}, out[4] = {SENTINEL, SENTINEL, SENTINEL, SENTINEL};
    int s = losscore_l1_loss_f64(x, x, NULL, SIZE_MAX / 8 + 1, LOSSCORE_REDUCTION_NONE, out, NULL, NULL);
    return s | (out[0] != SENTINEL ? 64 : 0);
}
static int huge_mse_f64_mean(void) {
    double x[4] = {1, 2, 3, 4}, out[1] = {SENTINEL};
    int s = losscore_mse_loss_f64(x, x, NULL, SIZE_MAX / 8 + 1, LOSSCORE_REDUCTION_MEAN, out, NULL, NULL);
    return s | (out[0] != SENTINEL ? 64 : 0);
}
static int huge_huber_f32(void) {
    float x[4] = {1, 2, 3, 4}, out[4] = {(float)SENTINEL, (float)SENTINEL, (float)SENTINEL, (float)SENTINEL};
    int s = losscore_huber_loss_f32(x, x, NULL, SIZE_MAX / 4 + 1, LOSSCORE_REDUCTION_NONE, 1.0, out, NULL, NULL);
    return s | (out[0] != (float)SENTINEL ? 64 : 0);
}
/* n * c fits in size_t but n * c * sizeof(double) does not. */
static int huge_zero_one_f64(void) {
    double scores[4] = {1, 2, 3, 4}, out[1] = {SENTINEL};
    int64_t target[4] = {0, 0, 0, 0};
    int s = losscore_zero_one_loss_f64(scores, target, (size_t)1 << 31, (size_t)1 << 31, LOSSCORE_REDUCTION_SUM, out);
    return s | (out[0] != SENTINEL ? 64 : 0);
}
static int huge_labels(void) {
    int64_t p[4] = {0, 1, 2, 3};
    double out[4] = {SENTINEL, SENTINEL, SENTINEL, SENTINEL};
    int s = losscore_zero_one_loss_labels(p, p, SIZE_MAX / 8 + 1, LOSSCORE_REDUCTION_NONE, out);
    return s | (out[0] != SENTINEL ? 64 : 0);
}

static void test_byte_size_overflow(void) {
    run_isolated("l1_loss_f64 with n = SIZE_MAX/8 + 1 (n * 8 bytes overflows)", huge_l1_f64, LOSSCORE_ERROR_SHAPE, __LINE__);
    run_isolated("mse_loss_f64 MEAN with n = SIZE_MAX/8 + 1", huge_mse_f64_mean, LOSSCORE_ERROR_SHAPE, __LINE__);
    run_isolated("huber_loss_f32 with n = SIZE_MAX/4 + 1 (n * 4 bytes overflows)", huge_huber_f32, LOSSCORE_ERROR_SHAPE, __LINE__);
    run_isolated("zero_one_loss_f64 with n = c = 2^31 (n * c * 8 bytes overflows)", huge_zero_one_f64, LOSSCORE_ERROR_SHAPE,
                 __LINE__);
    run_isolated("zero_one_loss_labels with n = SIZE_MAX/8 + 1", huge_labels, LOSSCORE_ERROR_SHAPE, __LINE__);
}

/* ------------------------------------------------------------------------ */
/* 0-1 loss                                                                   */
/* ------------------------------------------------------------------------ */

static int ref_argmax(const double *row, size_t c) {
    for (size_t j = 0; j < c; j++)
        if (isnan(row[j])) return (int)j;
    size_t best = 0;
    for (size_t j = 1; j < c; j++)
        if (row[j] > row[best]) best = j;
    return (int)best;
}

static losscore_status zero_one(int f32, const double *scores, const int64_t *target, size_t n, size_t c,
                                losscore_reduction r, double *out) {
    size_t outn = r == LOSSCORE_REDUCTION_NONE ? n : 1;
    if (!f32) return losscore_zero_one_loss_f64(scores, target, n, c, r, out);
    float *sf = to_float(scores, n * c), *of = malloc((outn ? outn : 1) * sizeof *of);
    for (size_t i = 0; i < outn; i++) of[i] = (float)out[i];
    losscore_status s = losscore_zero_one_loss_f32(sf, target, n, c, r, of);
    for (size_t i = 0; i < outn; i++) out[i] = of[i];
    free(sf), free(of);
    return s;
}

static void test_zero_one_values(void) {
    const double nan = NAN, inf = INFINITY;
    /* Hand example: ties take the first index, a NaN is the maximum (first NaN). */
    const double scores[] = {0.1, 0.9, 0.8, 0.2, 0.5, 0.5, nan, 1, 1, nan, -inf, -inf, nan, nan};
    const int64_t target[] = {1, 1, 0, 0, 0, 1, 1};
    const double want[] = {0, 1, 0, 0, 1, 1, 1};
    for (int f32 = 0; f32 <= 1; f32++) {
        const char *t = f32 ? "f32" : "f64";
        double out[7];
        losscore_status s = zero_one(f32, scores, target, 7, 2, LOSSCORE_REDUCTION_NONE, out);
        CHECK(s == LOSSCORE_OK && memcmp(out, want, sizeof want) == 0, "zero_one %s none: %g %g %g %g %g %g %g", t, out[0], out[1],
              out[2], out[3], out[4], out[5], out[6]);
        s = zero_one(f32, scores, target, 7, 2, LOSSCORE_REDUCTION_SUM, out);
        CHECK(s == LOSSCORE_OK && out[0] == 4, "zero_one %s sum = %g, expected 4", t, out[0]);
        s = zero_one(f32, scores, target, 7, 2, LOSSCORE_REDUCTION_MEAN, out);
        CHECK(s == LOSSCORE_OK && close_to(out[0], 4.0 / 7, f32 ? 1e-7 : 1e-16, 0), "zero_one %s mean = %.17g, expected 4/7", t, out[0]);
        CHECK(strcmp(losscore_last_error(), "") == 0, "last_error after zero_one success");

        /* Random rows with many ties against the reference argmax. */
        enum { N = 400, C = 6 };
        static double rs[N * C], ro[N], rw[N];
        static int64_t rt[N];
        rng_state = 77 + f32;
        double errors = 0;
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < C; j++) rs[i * C + j] = (double)(rng_next() % 4);
            rt[i] = (int64_t)(rng_next() % C);
            rw[i] = ref_argmax(&rs[i * C], C) != rt[i] ? 1 : 0;
            errors += rw[i];
        }
        s = zero_one(f32, rs, rt, N, C, LOSSCORE_REDUCTION_NONE, ro);
        CHECK(s == LOSSCORE_OK && memcmp(ro, rw, sizeof rw) == 0, "zero_one %s random none", t);
        s = zero_one(f32, rs, rt, N, C, LOSSCORE_REDUCTION_SUM, ro);
        CHECK(s == LOSSCORE_OK && ro[0] == errors, "zero_one %s random sum %g, expected %g", t, ro[0], errors);
        s = zero_one(f32, rs, rt, N, C, LOSSCORE_REDUCTION_MEAN, ro);
        CHECK(s == LOSSCORE_OK && close_to(ro[0], errors / N, f32 ? 1e-7 : 1e-16, 0), "zero_one %s random mean %g", t, ro[0]);

        /* One class: always predicts 0. */
        const double one[] = {3, -1, nan};
        const int64_t zeros[] = {0, 0, 0};
        s = zero_one(f32, one, zeros, 3, 1, LOSSCORE_REDUCTION_SUM, out);
        CHECK(s == LOSSCORE_OK && out[0] == 0, "zero_one %s c = 1: %g", t, out[0]);

        /* Empty: NaN mean, 0 sum, nothing for NONE; NULL data allowed, c may be 0. */
        for (size_t c = 0; c <= 3; c += 3) {
            double o[2] = {SENTINEL, SENTINEL};
            s = zero_one(f32, NULL, NULL, 0, c, LOSSCORE_REDUCTION_MEAN, o);
            CHECK(s == LOSSCORE_OK && isnan(o[0]) && o[1] == SENTINEL, "zero_one %s empty mean (c = %zu): %s %g", t, c,
                  losscore_status_string(s), o[0]);
            o[0] = SENTINEL;
            s = zero_one(f32, NULL, NULL, 0, c, LOSSCORE_REDUCTION_SUM, o);
            CHECK(s == LOSSCORE_OK && o[0] == 0, "zero_one %s empty sum (c = %zu): %g", t, c, o[0]);
            o[0] = SENTINEL;
            s = zero_one(f32, NULL, NULL, 0, c, LOSSCORE_REDUCTION_NONE, o);
            CHECK(s == LOSSCORE_OK && o[0] == SENTINEL, "zero_one %s empty none (c = %zu)", t, c);
        }
    }

    /* Labels: any int64 values. */
    const int64_t p[] = {1, -5, INT64_MAX, INT64_MIN, 7, 0}, q[] = {1, -5, INT64_MIN, INT64_MIN, 8, 0};
    const double lw[] = {0, 0, 1, 0, 1, 0};
    double lo[6];
    losscore_status s = losscore_zero_one_loss_labels(p, q, 6, LOSSCORE_REDUCTION_NONE, lo);
    CHECK(s == LOSSCORE_OK && memcmp(lo, lw, sizeof lw) == 0, "zero_one_labels none: %g %g %g %g %g %g", lo[0], lo[1], lo[2],
          lo[3], lo[4], lo[5]);
    s = losscore_zero_one_loss_labels(p, q, 6, LOSSCORE_REDUCTION_SUM, lo);
    CHECK(s == LOSSCORE_OK && lo[0] == 2, "zero_one_labels sum = %g", lo[0]);
    s = losscore_zero_one_loss_labels(p, q, 6, LOSSCORE_REDUCTION_MEAN, lo);
    CHECK(s == LOSSCORE_OK && lo[0] == 2.0 / 6, "zero_one_labels mean = %.17g", lo[0]);
    double o[2] = {SENTINEL, SENTINEL};
    s = losscore_zero_one_loss_labels(NULL, NULL, 0, LOSSCORE_REDUCTION_MEAN, o);
    CHECK(s == LOSSCORE_OK && isnan(o[0]), "zero_one_labels empty mean: %g", o[0]);
    s = losscore_zero_one_loss_labels(NULL, NULL, 0, LOSSCORE_REDUCTION_SUM, o);
    CHECK(s == LOSSCORE_OK && o[0] == 0, "zero_one_labels empty sum: %g", o[0]);
    o[0] = SENTINEL;
    s = losscore_zero_one_loss_labels(NULL, NULL, 0, LOSSCORE_REDUCTION_NONE, o);
    CHECK(s == LOSSCORE_OK && o[0] == SENTINEL, "zero_one_labels empty none");
}

typedef struct {
    int null_scores, null_target, null_out;
    size_t n, c;
    int reduction;
    int64_t bad_target; /* replaces target[1] when nonzero flag set */
    int use_bad_target;
} zo_spec;

static void zo_refused(int f32, zo_spec z, losscore_status want, const char *needle, const char *what, int line) {
    const double scores[] = {1, 2, 3, 4, 5, 6};
    const float scoresf[] = {1, 2, 3, 4, 5, 6};
    int64_t target[] = {0, 2};
    if (z.use_bad_target) target[1] = z.bad_target;
    double out[2] = {SENTINEL, SENTINEL};
    float outf[2] = {(float)SENTINEL, (float)SENTINEL};
    losscore_status s;
    if (f32)
        s = losscore_zero_one_loss_f32(z.null_scores ? NULL : scoresf, z.null_target ? NULL : target, z.n, z.c,
                                       (losscore_reduction)z.reduction, z.null_out ? NULL : outf);
    else
        s = losscore_zero_one_loss_f64(z.null_scores ? NULL : scores, z.null_target ? NULL : target, z.n, z.c,
                                       (losscore_reduction)z.reduction, z.null_out ? NULL : out);
    const char *msg = losscore_last_error();
    check_at(s == want, line, "zero_one_loss_%s (%s): status %s, expected %s (\"%s\")", f32 ? "f32" : "f64", what,
             losscore_status_string(s), losscore_status_string(want), msg);
    check_at(contains(msg, needle), line, "zero_one_loss_%s (%s): last_error \"%s\" should mention \"%s\"", f32 ? "f32" : "f64",
             what, msg, needle);
    check_at(out[0] == SENTINEL && out[1] == SENTINEL && outf[0] == (float)SENTINEL && outf[1] == (float)SENTINEL, line,
             "zero_one_loss_%s (%s): a failed call wrote to out", f32 ? "f32" : "f64", what);
}

#define ZO_REFUSED(f32, spec, want, needle, what) zo_refused(f32, spec, want, needle, what, __LINE__)

static void test_zero_one_errors(void) {
    for (int f32 = 0; f32 <= 1; f32++) {
        for (int r = 0; r < 3; r++) {
            ZO_REFUSED(f32, ((zo_spec){.null_scores = 1, .n = 2, .c = 3, .reduction = r}), LOSSCORE_ERROR_NULL_POINTER, "scores",
                       "scores = NULL");
            ZO_REFUSED(f32, ((zo_spec){.null_target = 1, .n = 2, .c = 3, .reduction = r}), LOSSCORE_ERROR_NULL_POINTER, "target",
                       "target = NULL");
            ZO_REFUSED(f32, ((zo_spec){.null_out = 1, .n = 2, .c = 3, .reduction = r}), LOSSCORE_ERROR_NULL_POINTER, "out",
                       "out = NULL");
            ZO_REFUSED(f32, ((zo_spec){.n = 2, .c = 0, .reduction = r}), LOSSCORE_ERROR_SHAPE, "c", "c = 0 with n > 0");
            const int64_t bad[] = {3, -1, 4, INT64_MAX, INT64_MIN};
            for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
                char what[64];
                snprintf(what, sizeof what, "target = %lld with c = 3", (long long)bad[k]);
                ZO_REFUSED(f32, ((zo_spec){.n = 2, .c = 3, .reduction = r, .bad_target = bad[k], .use_bad_target = 1}),
                           LOSSCORE_ERROR_INDEX, "target", what);
            }
        }
        ZO_REFUSED(f32, ((zo_spec){.null_scores = 1, .null_target = 1, .null_out = 1, .n = 0, .c = 3, .reduction = 1}),
                   LOSSCORE_ERROR_NULL_POINTER, "out", "n = 0, MEAN, out = NULL");
        const int bad_red[] = {3, 7, -1};
        for (size_t k = 0; k < 3; k++)
            ZO_REFUSED(f32, ((zo_spec){.n = 2, .c = 3, .reduction = bad_red[k]}), LOSSCORE_ERROR_INVALID_ARGUMENT, "reduction",
                       "unknown reduction");
        ZO_REFUSED(f32, ((zo_spec){.n = SIZE_MAX, .c = 1, .reduction = 1}), LOSSCORE_ERROR_SHAPE, "n", "n = SIZE_MAX");
        ZO_REFUSED(f32, ((zo_spec){.n = 2, .c = SIZE_MAX, .reduction = 1}), LOSSCORE_ERROR_SHAPE, "c", "c = SIZE_MAX");
        ZO_REFUSED(f32, ((zo_spec){.n = SIZE_MAX / 2, .c = 3, .reduction = 0}), LOSSCORE_ERROR_SHAPE, "n * c", "n * c overflows");
        ZO_REFUSED(f32, ((zo_spec){.n = (size_t)1 << 32, .c = (size_t)1 << 32, .reduction = 2}), LOSSCORE_ERROR_SHAPE, "n * c",
                   "n * c = 2^64");
        ZO_REFUSED(f32, ((zo_spec){.n = 3, .c = SIZE_MAX / 2, .reduction = 2}), LOSSCORE_ERROR_SHAPE, "n * c", "n * c overflows (c large)");
    }
    /* Labels. */
    const int64_t p[] = {1, 2}, t[] = {1, 3};
    double out[2] = {SENTINEL, SENTINEL};
    struct {
        const int64_t *p, *t;
        double *out;
        size_t n;
        int r;
        losscore_status want;
        const char *needle;
    } cases[] = {
        {NULL, t, out, 2, 0, LOSSCORE_ERROR_NULL_POINTER, "predicted"},
        {p, NULL, out, 2, 1, LOSSCORE_ERROR_NULL_POINTER, "target"},
        {p, t, NULL, 2, 2, LOSSCORE_ERROR_NULL_POINTER, "out"},
        {NULL, NULL, NULL, 0, 1, LOSSCORE_ERROR_NULL_POINTER, "out"},
        {p, t, out, SIZE_MAX, 1, LOSSCORE_ERROR_SHAPE, "n"},
        {p, t, out, 2, 7, LOSSCORE_ERROR_INVALID_ARGUMENT, "reduction"},
        {p, t, out, 2, -1, LOSSCORE_ERROR_INVALID_ARGUMENT, "reduction"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        losscore_status s = losscore_zero_one_loss_labels(cases[k].p, cases[k].t, cases[k].n, (losscore_reduction)cases[k].r,
                                                          cases[k].out);
        CHECK(s == cases[k].want, "zero_one_loss_labels case %zu: status %s, expected %s", k, losscore_status_string(s),
              losscore_status_string(cases[k].want));
        CHECK(contains(losscore_last_error(), cases[k].needle), "zero_one_loss_labels case %zu: last_error \"%s\" should mention %s",
              k, losscore_last_error(), cases[k].needle);
        CHECK(out[0] == SENTINEL && out[1] == SENTINEL, "zero_one_loss_labels case %zu wrote to out", k);
    }
}

/* ------------------------------------------------------------------------ */
/* Threads: determinism, thread-local errors, concurrent calls               */
/* ------------------------------------------------------------------------ */

enum { BIG = 200003 }; /* > 65536 elements, several blocks, not a multiple of a block */
static double big_x[BIG], big_y[BIG], big_w[BIG], big_go[BIG];

static void fill_big(void) {
    rng_state = 31337;
    for (int i = 0; i < BIG; i++) {
        big_x[i] = rng_uniform(-3, 3);
        big_y[i] = rng_uniform(-3, 3);
        big_w[i] = rng_uniform(0, 2);
        big_go[i] = rng_uniform(-2, 2);
    }
}

static void test_determinism(void) {
    static double o1[BIG], o2[BIG], g1[BIG], g2[BIG];
    for (size_t li = 0; li < NUM_LOSSES; li++) {
        const loss_t *L = &LOSSES[li];
        for (int f32 = 0; f32 <= 1; f32++) {
            for (int weighted = 0; weighted <= takes_weight(L); weighted++) {
                for (int r = 0; r < 3; r++) {
                    size_t outn = r == LOSSCORE_REDUCTION_NONE ? BIG : 1;
                    int overrun;
                    losscore_set_num_threads(1);
                    run_loss(f32, L, big_x, big_y, weighted ? big_w : NULL, BIG, (losscore_reduction)r, o1, big_go, g1, &overrun);
                    losscore_set_num_threads(2);
                    run_loss(f32, L, big_x, big_y, weighted ? big_w : NULL, BIG, (losscore_reduction)r, o2, big_go, g2, &overrun);
                    CHECK(memcmp(o1, o2, outn * sizeof o1[0]) == 0 && memcmp(g1, g2, sizeof g1) == 0,
                          "%s %s %s weighted=%d: results differ between 1 and 2 threads (%.17g vs %.17g)", L->name,
                          f32 ? "f32" : "f64", RED_NAME[r], weighted, o1[0], o2[0]);
                }
            }
        }
    }
    /* zero_one: n * c = 300000 scores. */
    enum { ZN = 100000, ZC = 3 };
    static double zs[ZN * ZC], zo1[ZN], zo2[ZN];
    static int64_t zt[ZN];
    rng_state = 5;
    for (int i = 0; i < ZN * ZC; i++) zs[i] = rng_uniform(-1, 1);
    for (int i = 0; i < ZN; i++) zt[i] = (int64_t)(rng_next() % ZC);
    for (int r = 0; r < 3; r++) {
        size_t outn = r == 0 ? ZN : 1;
        losscore_set_num_threads(1);
        losscore_zero_one_loss_f64(zs, zt, ZN, ZC, (losscore_reduction)r, zo1);
        losscore_set_num_threads(2);
        losscore_zero_one_loss_f64(zs, zt, ZN, ZC, (losscore_reduction)r, zo2);
        CHECK(memcmp(zo1, zo2, outn * sizeof zo1[0]) == 0, "zero_one %s differs between 1 and 2 threads", RED_NAME[r]);
    }
    losscore_set_num_threads(0);
}

/* A float32 mean of a million terms is within 1e-6 of the float64 mean of the same data. */
static void test_f32_accuracy(void) {
    enum { M = (1 << 20) + 17 };
    static double x[M], y[M], w[M];
    rng_state = 99;
    for (int i = 0; i < M; i++) x[i] = rng_uniform(0.5, 3), y[i] = rng_uniform(-0.25, 0.25), w[i] = rng_uniform(0.1, 2);
    for (size_t li = 0; li < NUM_LOSSES; li++) {
        const loss_t *L = &LOSSES[li];
        for (int weighted = 0; weighted <= takes_weight(L); weighted++) {
            for (int r = 1; r <= 2; r++) {
                double got, want;
                int overrun;
                static double wgrad[M];
                ref_loss(L, x, y, weighted ? w : NULL, M, (losscore_reduction)r, NULL, &want, wgrad);
                run_loss(1, L, x, y, weighted ? w : NULL, M, (losscore_reduction)r, &got, NULL, NULL, &overrun);
                double rel = fabs(got - want) / fabs(want);
                CHECK(rel < 1e-6, "%s f32 %s weighted=%d over %d terms: %.9g vs float64 %.17g (relative error %.3g)", L->name,
                      RED_NAME[r], weighted, M, got, want, rel);
            }
        }
    }
}

typedef struct {
    int ok;
    char message[256];
    double result;
    double grad_last;
} thread_result;

static void *error_thread(void *arg) {
    thread_result *r = arg;
    const char *e = losscore_last_error();
    r->ok = e != NULL && e[0] == '\0'; /* the main thread's error is not visible here */
    double v;
    const double x[] = {1};
    losscore_status s = losscore_huber_loss_f64(x, x, NULL, 1, LOSSCORE_REDUCTION_MEAN, -2.0, &v, NULL, NULL);
    r->ok &= s == LOSSCORE_ERROR_INVALID_ARGUMENT;
    snprintf(r->message, sizeof r->message, "%s", losscore_last_error());
    return NULL;
}

static void *compute_thread(void *arg) {
    thread_result *r = arg;
    static double g[4][BIG];
    static atomic_int slot = 0;
    int mine = atomic_fetch_add(&slot, 1) % 4;
    r->ok = losscore_mse_loss_f64(big_x, big_y, big_w, BIG, LOSSCORE_REDUCTION_MEAN, &r->result, NULL, g[mine]) == LOSSCORE_OK;
    r->grad_last = g[mine][BIG - 1];
    return NULL;
}

static void test_thread_local_errors_and_concurrency(void) {
    double v;
    losscore_status s = losscore_l1_loss_f64(NULL, NULL, NULL, 3, LOSSCORE_REDUCTION_MEAN, &v, NULL, NULL);
    CHECK(s == LOSSCORE_ERROR_NULL_POINTER, "setup error");
    char mine[256];
    snprintf(mine, sizeof mine, "%s", losscore_last_error());
    pthread_t th;
    thread_result tr = {0};
    pthread_create(&th, NULL, error_thread, &tr);
    pthread_join(th, NULL);
    CHECK(tr.ok && contains(tr.message, "delta"), "other thread: clean start and its own error (\"%s\")", tr.message);
    CHECK(strcmp(losscore_last_error(), mine) == 0, "another thread's error changed this thread's last_error: \"%s\"",
          losscore_last_error());

    /* Four threads computing at once get the single-threaded result. */
    double want;
    static double wg[BIG];
    losscore_mse_loss_f64(big_x, big_y, big_w, BIG, LOSSCORE_REDUCTION_MEAN, &want, NULL, wg);
    pthread_t ths[4];
    thread_result rs[4];
    memset(rs, 0, sizeof rs);
    for (int i = 0; i < 4; i++) pthread_create(&ths[i], NULL, compute_thread, &rs[i]);
    for (int i = 0; i < 4; i++) pthread_join(ths[i], NULL);
    int ok = 1;
    for (int i = 0; i < 4; i++) ok &= rs[i].ok && memcmp(&rs[i].result, &want, sizeof want) == 0 && rs[i].grad_last == wg[BIG - 1];
    CHECK(ok, "concurrent calls from 4 threads differ from a single call");
}

/* ------------------------------------------------------------------------ */

int main(void) {
    test_initial_last_error();
    /* First, before the library starts any worker thread: the calls that crash the
     * process when a size check is missing run in forked children. */
    test_byte_size_overflow();
    test_version();
    test_status_string();
    test_threads();
    test_hand_examples();
    test_regression_values();
    test_sum_is_mean_times_n();
    test_finite_differences();
    test_special_values();
    test_grad_output();
    test_empty();
    test_regression_errors();
    test_zero_one_values();
    test_zero_one_errors();
    fill_big();
    test_determinism();
    test_f32_accuracy();
    test_thread_local_errors_and_concurrency();

    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
