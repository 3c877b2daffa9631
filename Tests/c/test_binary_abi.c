/*
 * test_binary_abi.c - tests of the binary family of liblosscore.so (binary_cross_entropy,
 * binary_cross_entropy_with_logits, sigmoid_focal_loss) through include/losscore.h alone,
 * as a C user sees it.
 *
 * Expected values come from the header's formulas and the semantics of PyTorch
 * (binary_cross_entropy: log terms clamped at -100, torch's backward formula with the float
 * constant 1e-12; binary_cross_entropy_with_logits: weight per element, pos_weight repeating
 * along the last dimension) and torchvision (sigmoid_focal_loss: ce * (1 - p_t)^gamma times
 * alpha_t unless alpha < 0), computed here in long double on the very values the library
 * receives (float-rounded for _f32). Nothing is taken from the library's output, except where
 * two library results are compared with each other (reductions, grad_output scaling,
 * pos_weight expansions, thread counts, focal gamma = 0 against BCE with logits).
 *
 * Tolerances are K eps times the sizes of the terms each result is made of (the stable forms
 * the header gives), so cancellation the header promises to avoid is caught, and a floor of a
 * few smallest normal numbers absorbs results that underflow.
 *
 * Build and run with Tests/c/run.sh [LIBDIR]. Prints "N passed, M failed" last and exits
 * non-zero on any failure.
 */
#include "check.h"

#include <float.h>
#include <limits.h>

/* The SPEC(...) macros below give defaults that a test then overrides by designator. */
#pragma GCC diagnostic ignored "-Woverride-init"

/* ------------------------------------------------------------------------ */
/* The three losses, called uniformly                                         */
/* ------------------------------------------------------------------------ */

typedef enum { B_BCE, B_LOGITS, B_FOCAL } bfam_t;
#define NUM_FAMS 3
static const char *FAM_NAME[] = {"binary_cross_entropy", "binary_cross_entropy_with_logits", "sigmoid_focal_loss"};
static const char *RED_NAME[] = {"none", "mean", "sum"};

static int takes_weight(bfam_t f) { return f != B_FOCAL; }

/* One call: the data in double (converted to float for _f32). */
typedef struct {
    bfam_t fam;
    const double *x;  /* n probabilities (BCE) or logits */
    const double *y;  /* n targets */
    const double *w;  /* n weights or NULL (BCE, logits) */
    const double *pw; /* pwc positive-class weights or NULL (logits) */
    size_t pwc, n;
    int red;             /* reduction (may be invalid in error tests) */
    double alpha, gamma; /* focal */
    const double *go;    /* grad_output: n (NONE) or 1 value, or NULL */
} b_args;

static size_t outn_of(const b_args *a) { return a->red == LOSSCORE_REDUCTION_NONE ? a->n : 1; }

static losscore_status call64(bfam_t f, const double *x, const double *y, const double *w, const double *pw, size_t pwc,
                              size_t n, int red, double alpha, double gamma, double *out, const double *go, double *gi) {
    losscore_reduction r = (losscore_reduction)red;
    switch (f) {
    case B_BCE: return losscore_binary_cross_entropy_f64(x, y, w, n, r, out, go, gi);
    case B_LOGITS: return losscore_binary_cross_entropy_with_logits_f64(x, y, w, pw, pwc, n, r, out, go, gi);
    case B_FOCAL: return losscore_sigmoid_focal_loss_f64(x, y, n, r, alpha, gamma, out, go, gi);
    }
    return (losscore_status)-1;
}

static losscore_status call32(bfam_t f, const float *x, const float *y, const float *w, const float *pw, size_t pwc,
                              size_t n, int red, double alpha, double gamma, float *out, const float *go, float *gi) {
    losscore_reduction r = (losscore_reduction)red;
    switch (f) {
    case B_BCE: return losscore_binary_cross_entropy_f32(x, y, w, n, r, out, go, gi);
    case B_LOGITS: return losscore_binary_cross_entropy_with_logits_f32(x, y, w, pw, pwc, n, r, out, go, gi);
    case B_FOCAL: return losscore_sigmoid_focal_loss_f32(x, y, n, r, alpha, gamma, out, go, gi);
    }
    return (losscore_status)-1;
}

/* Runs one call in float (f32 != 0) or double. Writes the loss to `out` (outn values) and,
 * when gi is not NULL, the gradient to `gi` (n values). The library gets buffers two
 * elements longer, filled with SENTINEL; *overrun is set if it wrote past the documented
 * sizes, or into the gradient buffer when none was requested. */
static losscore_status run_b(int f32, const b_args *a, double *out, double *gi, int *overrun) {
    size_t n = a->n, outn = outn_of(a);
    losscore_status s;
    *overrun = 0;
    if (f32) {
        float *xf = to_float(a->x, n), *yf = to_float(a->y, n), *wf = to_float(a->w, n), *pwf = to_float(a->pw, a->pwc),
              *gof = to_float(a->go, outn);
        float *of = malloc((outn + 2) * sizeof *of), *gf = malloc((n + 2) * sizeof *gf);
        for (size_t i = 0; i < outn + 2; i++) of[i] = (float)SENTINEL;
        for (size_t i = 0; i < n + 2; i++) gf[i] = (float)SENTINEL;
        s = call32(a->fam, xf, yf, wf, pwf, a->pwc, n, a->red, a->alpha, a->gamma, of, gof, gi ? gf : NULL);
        if (of[outn] != (float)SENTINEL || of[outn + 1] != (float)SENTINEL) *overrun = 1;
        if (gf[n] != (float)SENTINEL || gf[n + 1] != (float)SENTINEL) *overrun = 1;
        if (!gi && gf[0] != (float)SENTINEL) *overrun = 1;
        for (size_t i = 0; i < outn; i++) out[i] = of[i];
        if (gi)
            for (size_t i = 0; i < n; i++) gi[i] = gf[i];
        free(xf), free(yf), free(wf), free(pwf), free(gof), free(of), free(gf);
    } else {
        double *od = malloc((outn + 2) * sizeof *od), *gd = malloc((n + 2) * sizeof *gd);
        for (size_t i = 0; i < outn + 2; i++) od[i] = SENTINEL;
        for (size_t i = 0; i < n + 2; i++) gd[i] = SENTINEL;
        s = call64(a->fam, a->x, a->y, a->w, a->pw, a->pwc, n, a->red, a->alpha, a->gamma, od, a->go, gi ? gd : NULL);
        if (od[outn] != SENTINEL || od[outn + 1] != SENTINEL) *overrun = 1;
        if (gd[n] != SENTINEL || gd[n + 1] != SENTINEL) *overrun = 1;
        if (!gi && gd[0] != SENTINEL) *overrun = 1;
        memcpy(out, od, outn * sizeof *out);
        if (gi) memcpy(gi, gd, n * sizeof *gi);
        free(od), free(gd);
    }
    return s;
}

/* ------------------------------------------------------------------------ */
/* Reference, in long double, from the header's formulas                      */
/* ------------------------------------------------------------------------ */

/* One element: loss l, derivative g = dl/dx, and the sizes el, eg of the terms they are
 * made of in the header's stable forms (the scale of their rounding errors). */
typedef struct {
    long double l, g, el, eg;
} elem_t;

static const long double BCE_EPS = (long double)1e-12f; /* torch's EPSILON: a float, 9.99999996e-13 */

/* binary_cross_entropy: l = -(y max(log x, -100) + (1 - y) max(log(1 - x), -100)),
 * g = (x - y) / max((1 - x) x, 1e-12f). */
static elem_t ref_bce(long double x, long double y) {
    elem_t e;
    long double lx = fmaxl(x > 0 ? logl(x) : -INFINITY, -100), l1x = fmaxl(log1pl(-x), -100);
    long double t1 = y * lx, t2 = (1 - y) * l1x;
    e.l = -(t1 + t2);
    e.el = fabsl(t1) + fabsl(t2);
    e.g = (x - y) / fmaxl((1 - x) * x, BCE_EPS);
    e.eg = fabsl(e.g);
    return e;
}

/* binary_cross_entropy_with_logits with positive weight p, L = 1 + (p - 1) y, e = exp(-|x|):
 * x >= 0: l = (1 - y) x + L log1p(e),   g = (1 - y) - L e / (1 + e);
 * x <  0: l = -p y x + L log1p(e),      g = L e / (1 + e) - p y. */
static elem_t ref_logits(long double x, long double y, long double p) {
    elem_t e;
    long double L = 1 + (p - 1) * y, ex = expl(-fabsl(x)), lp = log1pl(ex), s = ex / (1 + ex);
    if (x >= 0) {
        long double t1 = (1 - y) * x, t2 = L * lp, d1 = 1 - y, d2 = L * s;
        e.l = t1 + t2, e.el = fabsl(t1) + fabsl(t2);
        e.g = d1 - d2, e.eg = fabsl(d1) + fabsl(d2);
    } else { /* also NaN */
        long double t1 = -p * y * x, t2 = L * lp, d1 = L * s, d2 = p * y;
        e.l = t1 + t2, e.el = fabsl(t1) + fabsl(t2);
        e.g = d1 - d2, e.eg = fabsl(d1) + fabsl(d2);
    }
    return e;
}

/* torchvision.ops.sigmoid_focal_loss: p = sigmoid(x), ce = BCE with logits,
 * q = p (1 - y) + (1 - p) y, a = alpha y + (1 - alpha)(1 - y) if alpha >= 0 else 1,
 * l = a ce q^gamma, g = a [(p - y) q^gamma + gamma ce (1 - 2y) p (1 - p) q^(gamma - 1)]
 * (the second term 0 where q = 0, its limit). */
static elem_t ref_focal(long double x, long double y, double alpha, double gamma) {
    elem_t e;
    long double ex = expl(-fabsl(x)), lp = log1pl(ex), p, pm, ce, ce_abs, d, d_abs;
    if (x >= 0) {
        p = 1 / (1 + ex), pm = ex / (1 + ex);
        ce = (1 - y) * x + lp, ce_abs = fabsl((1 - y) * x) + lp;
        d = (1 - y) - pm, d_abs = fabsl(1 - y) + pm;
    } else {
        p = ex / (1 + ex), pm = 1 / (1 + ex);
        ce = -y * x + lp, ce_abs = fabsl(y * x) + lp;
        d = p - y, d_abs = p + fabsl(y);
    }
    long double q = p * (1 - y) + pm * y;
    long double a = alpha >= 0 ? (long double)alpha * y + (1 - (long double)alpha) * (1 - y) : 1;
    long double qg = powl(q, gamma);
    long double t2 = q > 0 ? gamma * ce * (1 - 2 * y) * qg * (p * pm / q) : 0;
    e.l = a * ce * qg;
    e.el = fabsl(a) * ce_abs * qg * (1 + gamma);
    e.g = a * (d * qg + t2);
    e.eg = fabsl(a) * (d_abs * qg * (1 + gamma) + fabsl(t2) * (2 + gamma));
    return e;
}

static elem_t ref_elem(const b_args *a, size_t i) {
    switch (a->fam) {
    case B_BCE: return ref_bce(a->x[i], a->y[i]);
    case B_LOGITS: return ref_logits(a->x[i], a->y[i], a->pw ? a->pw[i % a->pwc] : 1.0);
    case B_FOCAL: break;
    }
    return ref_focal(a->x[i], a->y[i], a->alpha, a->gamma);
}

/* Expected loss (outn values) and gradient (n values), with their tolerance scales tout and
 * tgrad. NONE: w_i l_i and go_i w_i g_i; SUM / MEAN: sum_i w_i l_i, divided by n for MEAN
 * (with or without weights), and go w_i g_i / divisor. */
static void ref_b(const b_args *a, double *want, double *wgrad, double *tout, double *tgrad) {
    const size_t n = a->n;
    long double sum = 0, tsum = 0, div = a->red == LOSSCORE_REDUCTION_MEAN ? (long double)n : 1;
    long double go0 = a->go ? a->go[0] : 1;
    for (size_t i = 0; i < n; i++) {
        elem_t e = ref_elem(a, i);
        long double wi = takes_weight(a->fam) && a->w ? a->w[i] : 1;
        if (a->red == LOSSCORE_REDUCTION_NONE) {
            long double goi = a->go ? a->go[i] : 1;
            want[i] = (double)(wi * e.l), tout[i] = (double)(fabsl(wi) * e.el);
            wgrad[i] = (double)(goi * wi * e.g), tgrad[i] = (double)(fabsl(goi * wi) * e.eg);
        } else {
            sum += wi * e.l, tsum += fabsl(wi) * e.el;
            wgrad[i] = (double)(go0 * wi * e.g / div), tgrad[i] = (double)(fabsl(go0 * wi) * e.eg / div);
        }
    }
    if (a->red != LOSSCORE_REDUCTION_NONE) want[0] = (double)(sum / div), tout[0] = (double)(tsum / div);
}

/* A copy of v (NULL for NULL), rounded to float when f32: what the _f32 call receives. */
static double *dup_rounded(const double *v, size_t n, int f32) {
    if (v == NULL) return NULL;
    double *d = malloc((n ? n : 1) * sizeof *d);
    for (size_t i = 0; i < n; i++) d[i] = f32 ? (double)(float)v[i] : v[i];
    return d;
}

/* ref_b on the values the f32 or f64 call receives. */
static void ref_for(int f32, const b_args *a, double *want, double *wgrad, double *tout, double *tgrad) {
    b_args r = *a;
    double *x = dup_rounded(a->x, a->n, f32), *y = dup_rounded(a->y, a->n, f32), *w = dup_rounded(a->w, a->n, f32),
           *pw = dup_rounded(a->pw, a->pwc, f32), *go = dup_rounded(a->go, outn_of(a), f32);
    r.x = x, r.y = y, r.w = w, r.pw = pw, r.go = go;
    ref_b(&r, want, wgrad, tout, tgrad);
    free(x), free(y), free(w), free(pw), free(go);
}

/* Tolerance: K eps * (term sizes) + a floor below the smallest normal numbers' scale. */
static double tol_k(int f32) { return 16 * (f32 ? FLT_EPSILON : DBL_EPSILON); }
static double tol_floor(int f32) { return f32 ? 4 * FLT_MIN : 4 * DBL_MIN; }

/* First index where got and want differ by more than k * scale[i] + floor, or -1. */
static long mismatch_scaled(const double *got, const double *want, const double *scale, size_t n, double k, double floor) {
    for (size_t i = 0; i < n; i++)
        if (!close_to(got[i], want[i], 0, k * scale[i] + floor)) return (long)i;
    return -1;
}

static int all_finite(const double *v, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (!isfinite(v[i])) return 0;
    return 1;
}

static void describe(char *buf, size_t size, int f32, const b_args *a) {
    int k = snprintf(buf, size, "%s_%s (n=%zu) %s", FAM_NAME[a->fam], f32 ? "f32" : "f64", a->n,
                     (unsigned)a->red < 3 ? RED_NAME[a->red] : "?");
    if (k < 0 || (size_t)k >= size) return;
    if (a->fam == B_FOCAL)
        snprintf(buf + k, size - k, " alpha=%g gamma=%g go=%d", a->alpha, a->gamma, a->go != NULL);
    else
        snprintf(buf + k, size - k, " w=%d pos_weight=%s count=%zu go=%d", a->w != NULL, a->pw ? "yes" : "NULL", a->pwc,
                 a->go != NULL);
}

/* Runs one call with and without the gradient and compares with the reference. */
static void check_call(int f32, const b_args *a, int line) {
    size_t n = a->n, outn = outn_of(a);
    double *out = malloc((outn + 1) * sizeof *out), *gi = malloc((n + 1) * sizeof *gi);
    double *want = malloc((outn + 1) * sizeof *want), *wgrad = malloc((n + 1) * sizeof *wgrad);
    double *tout = malloc((outn + 1) * sizeof *tout), *tgrad = malloc((n + 1) * sizeof *tgrad);
    char ctx[256];
    describe(ctx, sizeof ctx, f32, a);
    ref_for(f32, a, want, wgrad, tout, tgrad);
    double k = tol_k(f32) * (a->red == LOSSCORE_REDUCTION_NONE ? 1 : 2), fl = tol_floor(f32);
    int overrun;
    losscore_status s = run_b(f32, a, out, gi, &overrun);
    check_at(s == LOSSCORE_OK, line, "%s: status %s (%s)", ctx, losscore_status_string(s), losscore_last_error());
    check_at(strcmp(losscore_last_error(), "") == 0, line, "%s: last_error \"%s\" after success", ctx, losscore_last_error());
    check_at(!overrun, line, "%s: wrote past the output or gradient buffer", ctx);
    long bad = mismatch_scaled(out, want, tout, outn, k, fl);
    check_at(bad < 0, line, "%s: loss[%ld] = %.17g, expected %.17g (x = %.9g, y = %.9g)", ctx, bad, bad < 0 ? 0 : out[bad],
             bad < 0 ? 0 : want[bad], bad < 0 || outn == 1 ? 0 : a->x[bad], bad < 0 || outn == 1 ? 0 : a->y[bad]);
    bad = mismatch_scaled(gi, wgrad, tgrad, n, k, fl);
    check_at(bad < 0, line, "%s: grad[%ld] = %.17g, expected %.17g (x = %.9g, y = %.9g)", ctx, bad, bad < 0 ? 0 : gi[bad],
             bad < 0 ? 0 : wgrad[bad], bad < 0 ? 0 : a->x[bad], bad < 0 ? 0 : a->y[bad]);
    /* Loss only: grad_input NULL (grad_output is then ignored). */
    s = run_b(f32, a, out, NULL, &overrun);
    check_at(s == LOSSCORE_OK && !overrun, line, "%s loss-only: status %s, overrun %d", ctx, losscore_status_string(s), overrun);
    bad = mismatch_scaled(out, want, tout, outn, k, fl);
    check_at(bad < 0, line, "%s loss-only: loss[%ld] = %.17g, expected %.17g", ctx, bad, bad < 0 ? 0 : out[bad],
             bad < 0 ? 0 : want[bad]);
    free(out), free(gi), free(want), free(wgrad), free(tout), free(tgrad);
}

#define CHECK_CALL(f32, a) check_call(f32, a, __LINE__)

/* ------------------------------------------------------------------------ */
/* Data                                                                       */
/* ------------------------------------------------------------------------ */

/* Probabilities: mostly uniform in [0, 1), some exactly 0 or 1, some tiny or close to 1
 * (the log clamp and the 1e-12 floor of the gradient's denominator). */
static void fill_probs(double *x, size_t n) {
    static const double special[] = {0, 1, 1e-20, 1e-6, 0.5, 0.99999994039535522 /* 1 - 2^-24 */, 5.9604644775390625e-08, 1e-30};
    for (size_t i = 0; i < n; i++) {
        uint64_t r = rng_next() % 8;
        x[i] = r == 0 ? special[rng_next() % 8] : rng_uniform(0, 1);
    }
}

/* Targets: a third 0, a third 1, a third soft in [0, 1). */
static void fill_targets(double *y, size_t n) {
    for (size_t i = 0; i < n; i++) {
        uint64_t r = rng_next() % 3;
        y[i] = r == 0 ? 0.0 : r == 1 ? 1.0 : rng_uniform(0, 1);
    }
}

/* Logits: mostly in [-6, 6), some large (the stable forms' two branches and the tails). */
static void fill_logits(double *x, size_t n) {
    static const double special[] = {0, -20, 20, -40, 40, -15.5, 15.5, -0.001, 0.001, -100, 100, -9};
    for (size_t i = 0; i < n; i++) x[i] = rng_next() % 6 == 0 ? special[rng_next() % 12] : rng_uniform(-6, 6);
}

static void fill_uniform(double *v, size_t n, double lo, double hi) {
    for (size_t i = 0; i < n; i++) v[i] = rng_uniform(lo, hi);
}

/* A pos_weight_count that divides n and is neither 1 nor n (the last dimension C of an
 * (..., C) input), or 0 if there is none among the candidates. */
static size_t proper_divisor(size_t n) {
    static const size_t cands[] = {10, 7, 4, 3, 2};
    for (size_t k = 0; k < sizeof cands / sizeof cands[0]; k++)
        if (cands[k] < n && n % cands[k] == 0) return cands[k];
    return 0;
}

typedef struct {
    bfam_t fam;
    int weighted;
    int pwmode; /* logits: 0 no pos_weight, 1 count 1, 2 count n, 3 a proper divisor of n */
    double alpha, gamma;
} config_t;

static const config_t CONFIGS[] = {
    {B_BCE, 0, 0, 0, 0},        {B_BCE, 1, 0, 0, 0},
    {B_LOGITS, 0, 0, 0, 0},     {B_LOGITS, 1, 0, 0, 0},       {B_LOGITS, 0, 1, 0, 0},      {B_LOGITS, 1, 1, 0, 0},
    {B_LOGITS, 0, 2, 0, 0},     {B_LOGITS, 1, 2, 0, 0},       {B_LOGITS, 0, 3, 0, 0},      {B_LOGITS, 1, 3, 0, 0},
    {B_FOCAL, 0, 0, -1, 0},     {B_FOCAL, 0, 0, -1, 0.5},     {B_FOCAL, 0, 0, -1, 2},      {B_FOCAL, 0, 0, -1, 1.3},
    {B_FOCAL, 0, 0, 0.25, 0},   {B_FOCAL, 0, 0, 0.25, 0.5},   {B_FOCAL, 0, 0, 0.25, 2},    {B_FOCAL, 0, 0, 0.25, 1.3},
    {B_FOCAL, 0, 0, 0, 2},      {B_FOCAL, 0, 0, 1, 2},        {B_FOCAL, 0, 0, -0.0, 2},    {B_FOCAL, 0, 0, 0.75, 0.5},
};
#define NUM_CONFIGS (sizeof CONFIGS / sizeof CONFIGS[0])

/* Fills x for the family, y, weights (in [0.2, 2.5)), pos_weight (n values in [0.2, 4)) and
 * grad_output (n values in [-2, 2)). */
static void fill_for(bfam_t f, size_t n, double *x, double *y, double *w, double *pw, double *go) {
    if (f == B_BCE)
        fill_probs(x, n);
    else
        fill_logits(x, n);
    fill_targets(y, n);
    fill_uniform(w, n, 0.2, 2.5);
    fill_uniform(pw, n, 0.2, 4);
    fill_uniform(go, n, -2, 2);
}

/* Sets a->pw and a->pwc for the config's pos_weight mode; returns 0 if the mode does not
 * apply to n. */
static int set_pos_weight(b_args *a, int pwmode, const double *pw, size_t n) {
    a->pw = NULL, a->pwc = 0;
    switch (pwmode) {
    case 0: return 1;
    case 1: a->pw = pw, a->pwc = 1; return 1;
    case 2: a->pw = pw, a->pwc = n; return n > 0;
    default: a->pw = pw, a->pwc = proper_divisor(n); return a->pwc != 0;
    }
}

/* ------------------------------------------------------------------------ */
/* Values and gradients                                                       */
/* ------------------------------------------------------------------------ */

static void test_values(void) {
    static const size_t sizes[] = {1, 2, 7, 12, 64, 1000, 40320};
    for (size_t si = 0; si < sizeof sizes / sizeof sizes[0]; si++) {
        size_t n = sizes[si];
        double *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y), *w = malloc(n * sizeof *w), *pw = malloc(n * sizeof *pw),
               *go = malloc(n * sizeof *go);
        for (size_t ci = 0; ci < NUM_CONFIGS; ci++) {
            const config_t *cf = &CONFIGS[ci];
            rng_state = 100 * si + ci + 1;
            fill_for(cf->fam, n, x, y, w, pw, go);
            for (int r = 0; r < 3; r++) {
                for (int use_go = 0; use_go <= 1; use_go++) {
                    b_args a = {cf->fam, x, y, cf->weighted ? w : NULL, NULL, 0, n, r, cf->alpha, cf->gamma, use_go ? go : NULL};
                    if (!set_pos_weight(&a, cf->pwmode, pw, n)) continue;
                    CHECK_CALL(0, &a);
                    CHECK_CALL(1, &a);
                }
            }
        }
        free(x), free(y), free(w), free(pw), free(go);
    }
}

/* BCE with logits accepts any targets, weights and pos_weights (negative ones too). */
static void test_logits_any_values(void) {
    enum { N = 60 };
    double x[N], y[N], w[N], pw[N], go[N];
    rng_state = 4242;
    fill_logits(x, N);
    fill_uniform(y, N, -1, 2);
    fill_uniform(w, N, -1.5, 2);
    fill_uniform(pw, N, -1, 3);
    fill_uniform(go, N, -2, 2);
    const size_t counts[] = {1, 6, N};
    for (int f32 = 0; f32 <= 1; f32++)
        for (int r = 0; r < 3; r++)
            for (size_t k = 0; k < 3; k++) {
                b_args a = {B_LOGITS, x, y, w, pw, counts[k], N, r, 0, 0, go};
                CHECK_CALL(f32, &a);
            }
}

/* Hand-computed values. */
static void test_hand_examples(void) {
    const double l2 = log(2.0);
    for (int f32 = 0; f32 <= 1; f32++) {
        const char *ty = f32 ? "f32" : "f64";
        double tol = f32 ? 2e-7 : 2e-16, out[4], g[4];
        int ov;
        /* BCE: x = 0.5 gives log 2 for y = 0 or 1; gradient (x - y) / (x (1 - x)) = -+2. */
        {
            const double x[] = {0.5, 0.5}, y[] = {1, 0}, w[] = {3, 1};
            b_args a = {B_BCE, x, y, NULL, NULL, 0, 2, LOSSCORE_REDUCTION_NONE, 0, 0, NULL};
            losscore_status s = run_b(f32, &a, out, g, &ov);
            CHECK(s == LOSSCORE_OK && close_to(out[0], l2, tol, 0) && close_to(out[1], l2, tol, 0) && close_to(g[0], -2, tol, 0) &&
                      close_to(g[1], 2, tol, 0),
                  "BCE %s none at x = 0.5: %.17g %.17g, grad %.17g %.17g; expected log 2, log 2, -2, 2", ty, out[0], out[1], g[0], g[1]);
            /* Weighted MEAN divides by n, not by the weights: (3 + 1) log 2 / 2. */
            a.w = w, a.red = LOSSCORE_REDUCTION_MEAN;
            s = run_b(f32, &a, out, g, &ov);
            CHECK(s == LOSSCORE_OK && close_to(out[0], 2 * l2, tol, 0) && close_to(g[0], -3, tol, 0) && close_to(g[1], 1, tol, 0),
                  "BCE %s weighted mean: %.17g, grad %.17g %.17g; expected 2 log 2 (divided by n), -3, 1", ty, out[0], g[0], g[1]);
            a.red = LOSSCORE_REDUCTION_SUM;
            s = run_b(f32, &a, out, g, &ov);
            CHECK(s == LOSSCORE_OK && close_to(out[0], 4 * l2, tol, 0) && close_to(g[0], -6, tol, 0),
                  "BCE %s weighted sum: %.17g, grad %.17g; expected 4 log 2, -6", ty, out[0], g[0]);
        }
        /* BCE at x = 0 and 1: each log clamped at -100; gradient over the float 1e-12. */
        {
            const double x[] = {0, 0, 1, 1}, y[] = {1, 0, 0, 0.25};
            const double inv = 1.0 / (double)1e-12f; /* 1.0000000040e12 */
            b_args a = {B_BCE, x, y, NULL, NULL, 0, 4, LOSSCORE_REDUCTION_NONE, 0, 0, NULL};
            losscore_status s = run_b(f32, &a, out, g, &ov);
            CHECK(s == LOSSCORE_OK && out[0] == 100 && out[1] == 0 && out[2] == 100 && close_to(out[3], 75, tol, 0),
                  "BCE %s at x in {0, 1}: %.17g %.17g %.17g %.17g, expected 100 0 100 75", ty, out[0], out[1], out[2], out[3]);
            CHECK(close_to(g[0], -inv, tol, 0) && g[1] == 0 && close_to(g[2], inv, tol, 0) && close_to(g[3], 0.75 * inv, tol, 0),
                  "BCE %s grad at x in {0, 1}: %.17g %.17g %.17g %.17g, expected %.17g 0 %.17g %.17g (1 / 1e-12f)", ty, g[0], g[1],
                  g[2], g[3], -inv, inv, 0.75 * inv);
        }
        /* BCE with logits: x = 0 gives log 2 and gradient 1/2 - y; pos_weight 3 scales the
         * positive term: 3 log 2 and 3/2 - 3. */
        {
            const double x[] = {0, 0}, y[] = {0, 1}, pw[] = {3};
            b_args a = {B_LOGITS, x, y, NULL, pw, 1, 2, LOSSCORE_REDUCTION_NONE, 0, 0, NULL};
            losscore_status s = run_b(f32, &a, out, g, &ov);
            CHECK(s == LOSSCORE_OK && close_to(out[0], l2, tol, 0) && close_to(out[1], 3 * l2, tol, 0) && close_to(g[0], 0.5, tol, 0) &&
                      close_to(g[1], -1.5, tol, 0),
                  "BCE with logits %s at 0, pos_weight 3: %.17g %.17g, grad %.17g %.17g; expected log 2, 3 log 2, 0.5, -1.5", ty,
                  out[0], out[1], g[0], g[1]);
        }
        /* The header's example: x = -20, y = 0 gives log1p(exp(-20)) = 2.06e-9, not 0 (float too). */
        {
            const double x[] = {-20}, y[] = {0};
            const double want = log1p(exp(-20.0)), wantg = exp(-20.0) / (1 + exp(-20.0));
            b_args a = {B_LOGITS, x, y, NULL, NULL, 0, 1, LOSSCORE_REDUCTION_SUM, 0, 0, NULL};
            losscore_status s = run_b(f32, &a, out, g, &ov);
            CHECK(s == LOSSCORE_OK && close_to(out[0], want, 4 * tol, 0) && close_to(g[0], wantg, 4 * tol, 0),
                  "BCE with logits %s at x = -20, y = 0: %.17g, grad %.17g; expected %.17g, %.17g", ty, out[0], g[0], want, wantg);
        }
        /* Sigmoid focal loss at x = 0, y = 1, alpha 0.25, gamma 2: p = q = 1/2, ce = log 2:
         * l = 0.25 * log 2 / 4; g = 0.25 * (-1/2 * 1/4 - 2 log 2 * 1/4 * 1/2). */
        {
            const double x[] = {0, 0}, y[] = {1, 0};
            b_args a = {B_FOCAL, x, y, NULL, NULL, 0, 2, LOSSCORE_REDUCTION_NONE, 0.25, 2, NULL};
            losscore_status s = run_b(f32, &a, out, g, &ov);
            double g0 = 0.25 * (-0.125 - 0.25 * l2), g1 = 0.75 * (0.125 + 0.25 * l2);
            CHECK(s == LOSSCORE_OK && close_to(out[0], 0.25 * l2 / 4, tol, 0) && close_to(out[1], 0.75 * l2 / 4, tol, 0) &&
                      close_to(g[0], g0, tol, 0) && close_to(g[1], g1, tol, 0),
                  "sigmoid_focal %s at x = 0: %.17g %.17g, grad %.17g %.17g; expected %.17g %.17g %.17g %.17g", ty, out[0], out[1],
                  g[0], g[1], 0.25 * l2 / 4, 0.75 * l2 / 4, g0, g1);
            /* alpha = -1 (no alpha weighting), gamma = 0: BCE with logits. */
            a.alpha = -1, a.gamma = 0, a.red = LOSSCORE_REDUCTION_MEAN;
            s = run_b(f32, &a, out, g, &ov);
            CHECK(s == LOSSCORE_OK && close_to(out[0], l2, tol, 0) && close_to(g[0], -0.25, tol, 0) && close_to(g[1], 0.25, tol, 0),
                  "sigmoid_focal %s alpha -1 gamma 0 mean: %.17g, grad %.17g %.17g; expected log 2, -1/4, 1/4", ty, out[0], g[0], g[1]);
        }
    }
}

/* BCE at and near the ends of [0, 1]: exact 0 and 1, -0.0, subnormals, 1 - ulp; soft
 * targets there; the clamp at -100 (log x < -100 below x = 3.7e-44). */
static void test_bce_boundaries(void) {
    static const double xs[] = {0.0, -0.0, 1.0, 1e-45, 1e-40, 1e-30, 3e-44, 5e-44, 1e-13, 1e-7, 0.99999994039535522,
                                0.9999999, 1e-300, 4.9406564584124654e-324, 0.99999999999999989, 1e-50};
    static const double ys[] = {0, 1, 0.25, 0.75};
    enum { NX = sizeof xs / sizeof xs[0], NY = sizeof ys / sizeof ys[0], N = NX * NY };
    double x[N], y[N], w[N], go[N];
    rng_state = 31;
    for (int i = 0; i < NX; i++)
        for (int j = 0; j < NY; j++) x[i * NY + j] = xs[i], y[i * NY + j] = ys[j];
    fill_uniform(w, N, 0.5, 2);
    fill_uniform(go, N, -2, 2);
    for (int f32 = 0; f32 <= 1; f32++)
        for (int r = 0; r < 3; r++)
            for (int wg = 0; wg <= 1; wg++) {
                b_args a = {B_BCE, x, y, wg ? w : NULL, NULL, 0, N, r, 0, 0, r == 0 ? go : NULL};
                CHECK_CALL(f32, &a);
                double out[N], g[N];
                int ov;
                losscore_status s = run_b(f32, &a, out, g, &ov);
                CHECK(s == LOSSCORE_OK && all_finite(out, outn_of(&a)) && all_finite(g, N),
                      "binary_cross_entropy_%s %s at the ends of [0, 1]: non-finite loss or gradient", f32 ? "f32" : "f64", RED_NAME[r]);
            }
    /* f64: the gradient's floor is the float 1e-12 (9.99999996e-13), not the double one. */
    const double x1[] = {0}, y1[] = {1};
    double out, g;
    losscore_status s = losscore_binary_cross_entropy_f64(x1, y1, NULL, 1, LOSSCORE_REDUCTION_SUM, &out, NULL, &g);
    CHECK(s == LOSSCORE_OK && g == -1.0 / (double)1e-12f, "binary_cross_entropy_f64 grad at x = 0, y = 1: %.17g, expected %.17g "
          "(-1 / 1e-12f; -1 / 1e-12 would be %.17g)", g, -1.0 / (double)1e-12f, -1.0 / 1e-12);
}

/* Logits of +-800 (and other large ones) in float and double: finite losses and gradients
 * that match the reference, for every option. */
static void test_extreme_logits(void) {
    static const double xs[] = {800, -800, 100, -100, 88.5, -88.5, 745, -745, 40, -40, 20, -20, 0};
    static const double ys[] = {0, 1, 0.25};
    enum { NX = sizeof xs / sizeof xs[0], NY = sizeof ys / sizeof ys[0], N = NX * NY };
    double x[N], y[N], w[N], pw[N], go[N];
    rng_state = 800;
    for (int i = 0; i < NX; i++)
        for (int j = 0; j < NY; j++) x[i * NY + j] = xs[i], y[i * NY + j] = ys[j];
    fill_uniform(w, N, 0.5, 2);
    fill_uniform(pw, N, 0.5, 3);
    fill_uniform(go, N, -2, 2);
    const double alphas[] = {-1, 0.25}, gammas[] = {0, 0.5, 2, 50};
    for (int f32 = 0; f32 <= 1; f32++) {
        for (int r = 0; r < 3; r++) {
            b_args cases[4 + 8];
            int nc = 0;
            for (int pwmode = 0; pwmode < 4; pwmode++) {
                b_args a = {B_LOGITS, x, y, pwmode % 2 ? w : NULL, NULL, 0, N, r, 0, 0, r == 0 ? go : NULL};
                set_pos_weight(&a, pwmode, pw, N);
                cases[nc++] = a;
            }
            for (int ai = 0; ai < 2; ai++)
                for (int gi = 0; gi < 4; gi++)
                    cases[nc++] = (b_args){B_FOCAL, x, y, NULL, NULL, 0, N, r, alphas[ai], gammas[gi], r == 0 ? go : NULL};
            for (int c = 0; c < nc; c++) {
                CHECK_CALL(f32, &cases[c]);
                double out[N], g[N];
                int ov;
                char ctx[256];
                describe(ctx, sizeof ctx, f32, &cases[c]);
                losscore_status s = run_b(f32, &cases[c], out, g, &ov);
                long bad = -1;
                for (int i = 0; i < (int)outn_of(&cases[c]) && bad < 0; i++)
                    if (!isfinite(out[i])) bad = i;
                CHECK(s == LOSSCORE_OK && bad < 0, "%s at logits +-800: loss[%ld] = %g is not finite", ctx, bad, bad < 0 ? 0 : out[bad]);
                bad = -1;
                for (int i = 0; i < N && bad < 0; i++)
                    if (!isfinite(g[i])) bad = i;
                CHECK(bad < 0, "%s at logits +-800: grad[%ld] = %g is not finite (x = %g, y = %g)", ctx, bad, bad < 0 ? 0 : g[bad],
                      bad < 0 ? 0 : x[bad], bad < 0 ? 0 : y[bad]);
            }
        }
    }
}

/* Central differences of the f64 losses: checks the header's gradient formulas themselves
 * (the reference uses the same formulas). */
static void test_finite_differences(void) {
    enum { N = 7 };
    double x[N], y[N], w[N], pw[N], go[N];
    const config_t cfgs[] = {{B_BCE, 0, 0, 0, 0},      {B_BCE, 1, 0, 0, 0},      {B_LOGITS, 0, 0, 0, 0},   {B_LOGITS, 1, 1, 0, 0},
                             {B_LOGITS, 1, 2, 0, 0},   {B_FOCAL, 0, 0, -1, 0},   {B_FOCAL, 0, 0, 0.25, 0}, {B_FOCAL, 0, 0, 0.25, 0.5},
                             {B_FOCAL, 0, 0, 0.25, 2}, {B_FOCAL, 0, 0, -1, 1.3}, {B_FOCAL, 0, 0, 0.6, 3}};
    for (size_t ci = 0; ci < sizeof cfgs / sizeof cfgs[0]; ci++) {
        rng_state = 77 + ci;
        /* Smooth data: probabilities away from 0 and 1, moderate logits, hard and soft targets. */
        if (cfgs[ci].fam == B_BCE)
            fill_uniform(x, N, 0.05, 0.95);
        else
            fill_uniform(x, N, -4, 4);
        fill_targets(y, N);
        fill_uniform(w, N, 0.3, 2);
        fill_uniform(pw, N, 0.3, 3);
        fill_uniform(go, N, 0.5, 2);
        for (int r = 0; r < 3; r++) {
            b_args a = {cfgs[ci].fam, x, y, cfgs[ci].weighted ? w : NULL, NULL, 0, N, r, cfgs[ci].alpha, cfgs[ci].gamma, go};
            set_pos_weight(&a, cfgs[ci].pwmode, pw, N);
            size_t outn = outn_of(&a);
            double out[N], grad[N];
            losscore_status s = call64(a.fam, x, y, a.w, a.pw, a.pwc, N, r, a.alpha, a.gamma, out, go, grad);
            CHECK(s == LOSSCORE_OK, "%s fd: status %s", FAM_NAME[a.fam], losscore_status_string(s));
            long worst = -1;
            double worst_fd = 0;
            for (int e = 0; e < N; e++) {
                const double h = 1e-6;
                double xp[N], xm[N], op[N], om[N], fp = 0, fm = 0;
                memcpy(xp, x, sizeof x), memcpy(xm, x, sizeof x);
                xp[e] += h, xm[e] -= h;
                call64(a.fam, xp, y, a.w, a.pw, a.pwc, N, r, a.alpha, a.gamma, op, NULL, NULL);
                call64(a.fam, xm, y, a.w, a.pw, a.pwc, N, r, a.alpha, a.gamma, om, NULL, NULL);
                for (size_t k = 0; k < outn; k++) fp += go[k] * op[k], fm += go[k] * om[k];
                double fd = (fp - fm) / (2 * h);
                if (!close_to(grad[e], fd, 1e-6, 1e-7) && worst < 0) worst = e, worst_fd = fd;
            }
            char ctx[256];
            describe(ctx, sizeof ctx, 0, &a);
            CHECK(worst < 0, "%s: grad[%ld] = %.12g, finite difference %.12g", ctx, worst, worst >= 0 ? grad[worst] : 0, worst_fd);
        }
    }
}

/* SUM == MEAN * n (weights or not); grad_output scales the gradient and leaves the loss
 * alone; under NONE it multiplies elementwise. */
static void test_reduction_relations(void) {
    enum { N = 24 };
    double x[N], y[N], w[N], pw[N], go[N];
    for (size_t ci = 0; ci < NUM_CONFIGS; ci++) {
        const config_t *cf = &CONFIGS[ci];
        rng_state = 2024 + ci;
        fill_for(cf->fam, N, x, y, w, pw, go);
        for (int f32 = 0; f32 <= 1; f32++) {
            double mean, sum, gm[N], gs[N];
            int ov;
            b_args a = {cf->fam, x, y, cf->weighted ? w : NULL, NULL, 0, N, LOSSCORE_REDUCTION_MEAN, cf->alpha, cf->gamma, NULL};
            set_pos_weight(&a, cf->pwmode, pw, N);
            char ctx[256];
            describe(ctx, sizeof ctx, f32, &a);
            losscore_status s1 = run_b(f32, &a, &mean, gm, &ov);
            a.red = LOSSCORE_REDUCTION_SUM;
            losscore_status s2 = run_b(f32, &a, &sum, gs, &ov);
            double tol = f32 ? 2e-6 : 1e-14;
            CHECK(s1 == LOSSCORE_OK && s2 == LOSSCORE_OK && close_to(sum, mean * N, tol, 0), "%s: sum %.17g != mean %.17g * n", ctx, sum,
                  mean);
            int ok = 1;
            for (int i = 0; i < N; i++) ok &= close_to(gs[i], gm[i] * N, tol, 1e-30);
            CHECK(ok, "%s: grad(sum) != grad(mean) * n", ctx);
            const double scales[] = {2.5, -0.75, 0.0};
            for (int k = 0; k < 3; k++) {
                double v, g[N], scaled[N];
                a.go = &scales[k];
                run_b(f32, &a, &v, g, &ov);
                a.go = NULL;
                for (int i = 0; i < N; i++) scaled[i] = scales[k] * gs[i];
                CHECK(v == sum, "%s: grad_output %g changed the loss: %.17g vs %.17g", ctx, scales[k], v, sum);
                long bad = first_mismatch(g, scaled, N, tol);
                CHECK(bad < 0, "%s: grad_output %g does not scale the gradient: grad[%ld] = %.17g, expected %.17g", ctx, scales[k], bad,
                      bad < 0 ? 0 : g[bad], bad < 0 ? 0 : scaled[bad]);
            }
            /* NONE: grad_output multiplies elementwise. */
            double o0[N], o[N], base[N], g[N];
            a.red = LOSSCORE_REDUCTION_NONE;
            run_b(f32, &a, o0, base, &ov);
            a.go = go;
            run_b(f32, &a, o, g, &ov);
            ok = memcmp(o0, o, sizeof o) == 0;
            for (int i = 0; i < N; i++) ok &= close_to(g[i], (f32 ? (double)(float)go[i] : go[i]) * base[i], tol, 1e-30);
            CHECK(ok, "%s: elementwise grad_output under NONE", ctx);
        }
    }
}

/* Library against library: pos_weight as 1 value, as C repeating values and expanded to n;
 * pos_weight of ones against NULL; focal alpha < 0 / gamma = 0 against BCE with logits;
 * alpha = -inf against -1 (both: no alpha weighting); -0.0 options against 0. */
static void test_equivalences(void) {
    enum { N = 60, C = 6 };
    double x[N], y[N], w[N], go[N], pwc[C], pwn[N], ones[N], p1[1];
    rng_state = 6060;
    fill_logits(x, N);
    fill_targets(y, N);
    fill_uniform(w, N, 0.2, 2);
    fill_uniform(go, N, -1, 1);
    fill_uniform(pwc, C, 0.3, 3);
    p1[0] = pwc[0];
    for (int i = 0; i < N; i++) pwn[i] = pwc[i % C], ones[i] = 1;
    for (int f32 = 0; f32 <= 1; f32++) {
        const char *ty = f32 ? "f32" : "f64";
        double rel = f32 ? 4 * FLT_EPSILON : 4 * DBL_EPSILON;
        for (int r = 0; r < 3; r++) {
            size_t outn = r == 0 ? N : 1;
            double o1[N], o2[N], g1[N], g2[N];
            int ov;
            const double *gop = r == 0 ? go : NULL;
            /* count C vs the expansion to n. */
            b_args a = {B_LOGITS, x, y, w, pwc, C, N, r, 0, 0, gop}, b = a;
            b.pw = pwn, b.pwc = N;
            run_b(f32, &a, o1, g1, &ov), run_b(f32, &b, o2, g2, &ov);
            CHECK(first_mismatch(o1, o2, outn, rel) < 0 && first_mismatch(g1, g2, N, rel) < 0,
                  "logits_%s %s: pos_weight_count %d differs from its expansion to n", ty, RED_NAME[r], C);
            /* count 1 vs the same value repeated n times. */
            double rep[N];
            for (int i = 0; i < N; i++) rep[i] = p1[0];
            a.pw = p1, a.pwc = 1, b.pw = rep, b.pwc = N;
            run_b(f32, &a, o1, g1, &ov), run_b(f32, &b, o2, g2, &ov);
            CHECK(first_mismatch(o1, o2, outn, rel) < 0 && first_mismatch(g1, g2, N, rel) < 0,
                  "logits_%s %s: pos_weight_count 1 differs from its expansion to n", ty, RED_NAME[r]);
            /* ones vs NULL (pos_weight_count then ignored, even 0 or not dividing n). */
            const size_t ignored_counts[] = {0, 7, SIZE_MAX};
            a.pw = ones, a.pwc = N;
            run_b(f32, &a, o1, g1, &ov);
            for (int k = 0; k < 3; k++) {
                b.pw = NULL, b.pwc = ignored_counts[k];
                losscore_status s = run_b(f32, &b, o2, g2, &ov);
                CHECK(s == LOSSCORE_OK && first_mismatch(o1, o2, outn, rel) < 0 && first_mismatch(g1, g2, N, rel) < 0,
                      "logits_%s %s: pos_weight NULL with count %zu: %s, or differs from pos_weight of ones", ty, RED_NAME[r],
                      ignored_counts[k], losscore_status_string(s));
            }
            /* Focal with alpha < 0 and gamma 0 is BCE with logits (no weights). */
            b_args f = {B_FOCAL, x, y, NULL, NULL, 0, N, r, -1, 0, gop}, l = {B_LOGITS, x, y, NULL, NULL, 0, N, r, 0, 0, gop};
            run_b(f32, &f, o1, g1, &ov), run_b(f32, &l, o2, g2, &ov);
            CHECK(first_mismatch(o1, o2, outn, rel) < 0 && first_mismatch(g1, g2, N, rel) < 0,
                  "sigmoid_focal_%s %s (alpha -1, gamma 0) differs from BCE with logits: %.17g vs %.17g", ty, RED_NAME[r], o1[0], o2[0]);
            /* Exact equalities: the same arithmetic in the documented semantics. */
            const struct { double a1, g1, a2, g2; const char *what; } same[] = {
                {-INFINITY, 2, -1, 2, "alpha -inf vs -1"},
                {-0.5, 0.5, -1, 0.5, "alpha -0.5 vs -1"},
                {-0.0, 2, 0.0, 2, "alpha -0.0 vs 0 (alpha >= 0: the alpha weighting with alpha = 0)"},
                {0.25, -0.0, 0.25, 0.0, "gamma -0.0 vs 0"},
            };
            for (size_t k = 0; k < sizeof same / sizeof same[0]; k++) {
                f.alpha = same[k].a1, f.gamma = same[k].g1;
                losscore_status s1 = run_b(f32, &f, o1, g1, &ov);
                f.alpha = same[k].a2, f.gamma = same[k].g2;
                losscore_status s2 = run_b(f32, &f, o2, g2, &ov);
                CHECK(s1 == LOSSCORE_OK && s2 == LOSSCORE_OK && memcmp(o1, o2, outn * sizeof *o1) == 0 &&
                          memcmp(g1, g2, N * sizeof *g1) == 0,
                      "sigmoid_focal_%s %s: %s: status %s / %s, loss %.17g vs %.17g", ty, RED_NAME[r], same[k].what,
                      losscore_status_string(s1), losscore_status_string(s2), o1[0], o2[0]);
            }
        }
    }
}

/* Empty inputs: n = 0 with NULL data; MEAN is NaN, SUM 0, NONE writes nothing (and `out`
 * may be NULL); no gradient is written. */
static void test_empty(void) {
    for (int fam = 0; fam < NUM_FAMS; fam++) {
        for (int r = 0; r < 3; r++) {
            for (int v = 0; v < 3; v++) { /* logits: no pos_weight, count 1, count 3 (divides 0) */
                if (fam != B_LOGITS && v > 0) continue;
                const double pw[3] = {1, 2, 3};
                const float pwf[3] = {1, 2, 3};
                size_t pwc = v == 0 ? 0 : v == 1 ? 1 : 3;
                double out[2] = {SENTINEL, SENTINEL}, g[1] = {SENTINEL}, go = 2;
                float outf[2] = {(float)SENTINEL, (float)SENTINEL}, gf[1] = {(float)SENTINEL}, gof = 2;
                losscore_status s = call64((bfam_t)fam, NULL, NULL, NULL, v ? pw : NULL, pwc, 0, r, 0.25, 2, out, &go, g);
                const char *e64 = losscore_last_error();
                int clean64 = e64 && e64[0] == '\0';
                losscore_status sf = call32((bfam_t)fam, NULL, NULL, NULL, v ? pwf : NULL, pwc, 0, r, 0.25, 2, outf, &gof, gf);
                char ctx[160];
                snprintf(ctx, sizeof ctx, "%s empty %s pos_weight_count %zu", FAM_NAME[fam], RED_NAME[r], pwc);
                CHECK(s == LOSSCORE_OK && sf == LOSSCORE_OK, "%s: status %s / %s (%s)", ctx, losscore_status_string(s),
                      losscore_status_string(sf), losscore_last_error());
                CHECK(clean64 && strcmp(losscore_last_error(), "") == 0, "%s: last_error not \"\" after success", ctx);
                if (r == LOSSCORE_REDUCTION_MEAN)
                    CHECK(isnan(out[0]) && isnan(outf[0]), "%s: mean of nothing must be NaN, got %g / %g", ctx, out[0], (double)outf[0]);
                else if (r == LOSSCORE_REDUCTION_SUM)
                    CHECK(out[0] == 0 && outf[0] == 0, "%s: sum of nothing must be 0, got %g / %g", ctx, out[0], (double)outf[0]);
                else
                    CHECK(out[0] == SENTINEL && outf[0] == (float)SENTINEL, "%s: none of nothing must write nothing", ctx);
                CHECK(out[1] == SENTINEL && g[0] == SENTINEL && outf[1] == (float)SENTINEL && gf[0] == (float)SENTINEL,
                      "%s: wrote past out or into grad_input", ctx);
            }
        }
        /* NONE with n = 0: out may be NULL (the header's conventions). */
        losscore_status s = call64((bfam_t)fam, NULL, NULL, NULL, NULL, 0, 0, LOSSCORE_REDUCTION_NONE, 0.25, 2, NULL, NULL, NULL);
        losscore_status sf = call32((bfam_t)fam, NULL, NULL, NULL, NULL, 0, 0, LOSSCORE_REDUCTION_NONE, 0.25, 2, NULL, NULL, NULL);
        CHECK(s == LOSSCORE_OK && sf == LOSSCORE_OK, "%s empty none with out = NULL: %s / %s (%s)", FAM_NAME[fam],
              losscore_status_string(s), losscore_status_string(sf), losscore_last_error());
    }
}

/* NaN and Inf are data for the logits losses (they propagate to their element only), and
 * NaN weights or grad_output for BCE too. */
static void test_nan_data(void) {
    enum { N = 5 };
    for (int f32 = 0; f32 <= 1; f32++) {
        const char *ty = f32 ? "f32" : "f64";
        for (int fam = B_LOGITS; fam <= B_FOCAL; fam++) {
            const double x[N] = {0.5, NAN, -2, 1, 3}, y[N] = {1, 0, 0, NAN, 0.5};
            b_args a = {(bfam_t)fam, x, y, NULL, NULL, 0, N, LOSSCORE_REDUCTION_NONE, 0.25, 2, NULL};
            double out[N], g[N], want[N], wg[N], to[N], tg[N];
            int ov;
            ref_for(f32, &a, want, wg, to, tg);
            losscore_status s = run_b(f32, &a, out, g, &ov);
            CHECK(s == LOSSCORE_OK, "%s_%s with NaN data: status %s (NaN is data)", FAM_NAME[fam], ty, losscore_status_string(s));
            CHECK(mismatch_scaled(out, want, to, N, tol_k(f32), tol_floor(f32)) < 0 && isnan(out[1]) && isnan(out[3]),
                  "%s_%s with NaN data: losses %g %g %g %g %g, expected %g NaN %g NaN %g", FAM_NAME[fam], ty, out[0], out[1], out[2],
                  out[3], out[4], want[0], want[2], want[4]);
            CHECK(mismatch_scaled(g, wg, tg, N, tol_k(f32), tol_floor(f32)) < 0 && isnan(g[1]) && isnan(g[3]),
                  "%s_%s with NaN data: grads %g %g %g %g %g", FAM_NAME[fam], ty, g[0], g[1], g[2], g[3], g[4]);
            a.red = LOSSCORE_REDUCTION_SUM;
            s = run_b(f32, &a, out, g, &ov);
            CHECK(s == LOSSCORE_OK && isnan(out[0]), "%s_%s sum with NaN data: %g", FAM_NAME[fam], ty, out[0]);
        }
        /* Logits of +-inf: x = +inf, y = 0 gives +inf (gradient 1); x = -inf, y = 1 the limit +inf
         * (gradient -p), where torch's form gives NaN. */
        {
            const double x[2] = {INFINITY, -INFINITY}, y[2] = {0, 1}, pw[1] = {2};
            double out[2], g[2];
            int ov;
            b_args a = {B_LOGITS, x, y, NULL, pw, 1, 2, LOSSCORE_REDUCTION_NONE, 0, 0, NULL};
            losscore_status s = run_b(f32, &a, out, g, &ov);
            CHECK(s == LOSSCORE_OK && out[0] == INFINITY && out[1] == INFINITY && g[0] == 1 && g[1] == -2,
                  "logits_%s at x = +inf (y 0) and -inf (y 1, pos_weight 2): loss %g %g, grad %g %g; expected inf inf 1 -2", ty, out[0],
                  out[1], g[0], g[1]);
        }
        /* BCE: a NaN weight or grad_output is data. */
        {
            const double x[3] = {0.25, 0.5, 0.75}, y[3] = {0, 1, 1}, w[3] = {1, NAN, 2}, go[3] = {NAN, 1, 1};
            double out[3], g[3];
            int ov;
            b_args a = {B_BCE, x, y, w, NULL, 0, 3, LOSSCORE_REDUCTION_NONE, 0, 0, go};
            losscore_status s = run_b(f32, &a, out, g, &ov);
            CHECK(s == LOSSCORE_OK && !isnan(out[0]) && isnan(out[1]) && !isnan(out[2]) && isnan(g[0]) && isnan(g[1]) && !isnan(g[2]),
                  "binary_cross_entropy_%s with a NaN weight and grad_output: %s; loss %g %g %g grad %g %g %g", ty,
                  losscore_status_string(s), out[0], out[1], out[2], g[0], g[1], g[2]);
            /* grad_output is ignored without grad_input. */
            s = run_b(f32, &a, out, NULL, &ov);
            CHECK(s == LOSSCORE_OK && !isnan(out[0]), "binary_cross_entropy_%s: grad_output NaN leaked into the loss", ty);
        }
    }
}

/* ------------------------------------------------------------------------ */
/* Errors                                                                     */
/* ------------------------------------------------------------------------ */

/* A call on EN elements with some arguments replaced. */
typedef struct {
    bfam_t fam;
    int null_input, null_target, null_out;
    int sizes; /* use n below instead of EN */
    size_t n;
    int red;
    int with_weight, with_pw, with_grad, with_go;
    size_t pwc;
    double alpha, gamma;
    int bad_x, bad_y; /* input[EBAD] / target[EBAD] = bad_value */
    double bad_value;
} err_spec;

enum { EN = 10, EBAD = 7, EBUF = 16 };

/* Makes the call; returns its status. *moved is set if out or grad_input changed. */
static losscore_status err_call(int f32, const err_spec *z, int *moved) {
    double x[EBUF] = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.25, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5};
    double y[EBUF] = {0, 1, 0.5, 1, 0, 0, 1, 0.25, 1, 0, 0, 0, 0, 0, 0, 0};
    static const double w[EBUF] = {1, 2, 0.5, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
    static const double pw[EBUF] = {2, 0.5, 1, 3, 1, 1, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1};
    static const double go[EBUF] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
    if (z->bad_x) x[EBAD] = z->bad_value;
    if (z->bad_y) y[EBAD] = z->bad_value;
    float xf[EBUF], yf[EBUF], wf[EBUF], pwf[EBUF], gof[EBUF];
    for (int i = 0; i < EBUF; i++) xf[i] = (float)x[i], yf[i] = (float)y[i], wf[i] = (float)w[i], pwf[i] = (float)pw[i], gof[i] = (float)go[i];
    double out[EBUF], g[EBUF];
    float outf[EBUF], gf[EBUF];
    for (int i = 0; i < EBUF; i++) out[i] = g[i] = SENTINEL, outf[i] = gf[i] = (float)SENTINEL;
    size_t n = z->sizes ? z->n : EN;
    losscore_status s;
    if (f32)
        s = call32(z->fam, z->null_input ? NULL : xf, z->null_target ? NULL : yf, z->with_weight ? wf : NULL, z->with_pw ? pwf : NULL,
                   z->pwc, n, z->red, z->alpha, z->gamma, z->null_out ? NULL : outf, z->with_go ? gof : NULL,
                   z->with_grad ? gf : NULL);
    else
        s = call64(z->fam, z->null_input ? NULL : x, z->null_target ? NULL : y, z->with_weight ? w : NULL, z->with_pw ? pw : NULL,
                   z->pwc, n, z->red, z->alpha, z->gamma, z->null_out ? NULL : out, z->with_go ? go : NULL,
                   z->with_grad ? g : NULL);
    int intact = 1;
    for (int i = 0; i < EBUF; i++)
        intact &= f32 ? (outf[i] == (float)SENTINEL && gf[i] == (float)SENTINEL) : (out[i] == SENTINEL && g[i] == SENTINEL);
    *moved = !intact;
    return s;
}

static void expect_refused(int f32, err_spec z, losscore_status want, const char *needle, const char *what, int line) {
    int moved;
    losscore_status s = err_call(f32, &z, &moved);
    char fn[64];
    snprintf(fn, sizeof fn, "losscore_%s_%s", FAM_NAME[z.fam], f32 ? "f32" : "f64");
    check_refused(s, want, needle, !moved, fn, what, line);
}

static void expect_accepted(int f32, err_spec z, const char *what, int line) {
    int moved;
    losscore_status s = err_call(f32, &z, &moved);
    check_at(s == LOSSCORE_OK && strcmp(losscore_last_error(), "") == 0, line, "%s_%s (%s): status %s, expected success (\"%s\")",
             FAM_NAME[z.fam], f32 ? "f32" : "f64", what, losscore_status_string(s), losscore_last_error());
}

#define REFUSED(f32, spec, want, needle, what) expect_refused(f32, spec, want, needle, what, __LINE__)
#define ACCEPTED(f32, spec, what) expect_accepted(f32, spec, what, __LINE__)

static void test_errors(void) {
    char what[160];
    for (int fam = 0; fam < NUM_FAMS; fam++) {
        bfam_t f = (bfam_t)fam;
#define SPEC(...) ((err_spec){.fam = f, .alpha = 0.25, .gamma = 2, .pwc = 2, .with_grad = 1, .with_go = 1, __VA_ARGS__})
        for (int f32 = 0; f32 <= 1; f32++) {
            /* The defaults succeed (so every refusal below is due to the one change). */
            for (int r = 0; r < 3; r++) {
                int moved;
                losscore_status s = err_call(f32, &SPEC(.red = r, .with_weight = 1, .with_pw = 1), &moved);
                CHECK(s == LOSSCORE_OK && moved && strcmp(losscore_last_error(), "") == 0,
                      "%s_%s %s: the base call must succeed: %s (%s)", FAM_NAME[fam], f32 ? "f32" : "f64", RED_NAME[r],
                      losscore_status_string(s), losscore_last_error());
            }
            /* NULL for each required pointer, with and without the optional ones. */
            for (int r = 0; r < 3; r++) {
                for (int opt = 0; opt <= 1; opt++) {
                    REFUSED(f32, SPEC(.null_input = 1, .red = r, .with_weight = opt, .with_pw = opt, .with_grad = opt),
                            LOSSCORE_ERROR_NULL_POINTER, "input", "input = NULL");
                    REFUSED(f32, SPEC(.null_target = 1, .red = r, .with_weight = opt, .with_pw = opt, .with_grad = opt),
                            LOSSCORE_ERROR_NULL_POINTER, "target", "target = NULL");
                    REFUSED(f32, SPEC(.null_out = 1, .red = r, .with_weight = opt, .with_pw = opt, .with_grad = opt),
                            LOSSCORE_ERROR_NULL_POINTER, "out", "out = NULL");
                }
            }
            /* A reduced result always needs `out`, even for n = 0. */
            for (int r = 1; r <= 2; r++)
                REFUSED(f32, SPEC(.null_input = 1, .null_target = 1, .null_out = 1, .sizes = 1, .n = 0, .red = r),
                        LOSSCORE_ERROR_NULL_POINTER, "out", "n = 0, reduced, out = NULL");
            /* Unknown reductions (also for n = 0). */
            const int bad_red[] = {3, 7, -1, INT_MAX, INT_MIN};
            for (size_t k = 0; k < sizeof bad_red / sizeof bad_red[0]; k++) {
                snprintf(what, sizeof what, "reduction = %d", bad_red[k]);
                REFUSED(f32, SPEC(.red = bad_red[k]), LOSSCORE_ERROR_INVALID_ARGUMENT, "reduction", what);
                REFUSED(f32, SPEC(.red = bad_red[k], .null_input = 1, .null_target = 1, .sizes = 1, .n = 0),
                        LOSSCORE_ERROR_INVALID_ARGUMENT, "reduction", "unknown reduction, n = 0");
            }
            REFUSED(f32, SPEC(.red = 7), LOSSCORE_ERROR_INVALID_ARGUMENT, "7", "reduction = 7 (value in the message)");

            if (f == B_BCE) {
                /* Data outside [0, 1] or NaN, in the input or the target: refused, naming the
                 * element (index 7). */
                const double bad[] = {-0.5, -1e-30, 1.00000011920928955 /* 1 + 2^-23 */, 2, INFINITY, -INFINITY, NAN,
                                      1.0000000000000002 /* 1 + 2^-52: f64 only */, -4.9406564584124654e-324 /* f64 only */};
                size_t nbad = f32 ? 7 : 9;
                for (size_t k = 0; k < nbad; k++) {
                    for (int r = 0; r < 3; r++) {
                        snprintf(what, sizeof what, "input[7] = %g, %s", bad[k], RED_NAME[r]);
                        REFUSED(f32, SPEC(.red = r, .bad_x = 1, .bad_value = bad[k], .with_weight = r == 1), LOSSCORE_ERROR_INVALID_ARGUMENT,
                                "input", what);
                        REFUSED(f32, SPEC(.red = r, .bad_x = 1, .bad_value = bad[k], .with_grad = r == 2), LOSSCORE_ERROR_INVALID_ARGUMENT,
                                "[7]|element 7|index 7", what);
                        snprintf(what, sizeof what, "target[7] = %g, %s", bad[k], RED_NAME[r]);
                        REFUSED(f32, SPEC(.red = r, .bad_y = 1, .bad_value = bad[k], .with_weight = r == 1),
                                LOSSCORE_ERROR_INVALID_ARGUMENT, "target", what);
                        REFUSED(f32, SPEC(.red = r, .bad_y = 1, .bad_value = bad[k], .with_grad = r == 2),
                                LOSSCORE_ERROR_INVALID_ARGUMENT, "[7]|element 7|index 7", what);
                    }
                }
                /* The ends of [0, 1], -0.0 and subnormals are data. */
                const double good[] = {0.0, -0.0, 1.0, 1e-45, 0.99999994039535522};
                for (size_t k = 0; k < sizeof good / sizeof good[0]; k++) {
                    snprintf(what, sizeof what, "input and target %g", good[k]);
                    ACCEPTED(f32, SPEC(.red = 1, .bad_x = 1, .bad_y = 1, .bad_value = good[k]), what);
                }
                /* Several bad elements: the first one is named. */
                for (int which = 0; which < 2; which++) {
                    double d[EN] = {0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5}, ok[EN] = {0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5};
                    float df[EN], okf[EN];
                    d[4] = 1.5, d[8] = -2, d[9] = NAN;
                    for (int i = 0; i < EN; i++) df[i] = (float)d[i], okf[i] = (float)ok[i];
                    double out = SENTINEL;
                    float outf = (float)SENTINEL;
                    losscore_status s = f32 ? losscore_binary_cross_entropy_f32(which ? okf : df, which ? df : okf, NULL, EN,
                                                                                LOSSCORE_REDUCTION_SUM, &outf, NULL, NULL)
                                            : losscore_binary_cross_entropy_f64(which ? ok : d, which ? d : ok, NULL, EN,
                                                                                LOSSCORE_REDUCTION_SUM, &out, NULL, NULL);
                    const char *msg = losscore_last_error();
                    CHECK(s == LOSSCORE_ERROR_INVALID_ARGUMENT && contains_any(msg, "[4]|element 4|index 4") &&
                              !contains_any(msg, "[8]|[9]") && out == SENTINEL && outf == (float)SENTINEL,
                          "binary_cross_entropy_%s with %s[4], [8], [9] outside [0, 1]: %s, \"%s\" should name element 4",
                          f32 ? "f32" : "f64", which ? "target" : "input", losscore_status_string(s), msg);
                }
            }
            if (f == B_LOGITS) {
                /* pos_weight_count 0 or not dividing n (n = 10). */
                const size_t bad_c[] = {0, 3, 4, 20, 11, SIZE_MAX, SIZE_MAX / 2 + 1};
                for (size_t k = 0; k < sizeof bad_c / sizeof bad_c[0]; k++) {
                    for (int r = 0; r < 3; r++) {
                        snprintf(what, sizeof what, "pos_weight_count = %zu with n = 10, %s", bad_c[k], RED_NAME[r]);
                        REFUSED(f32, SPEC(.red = r, .with_pw = 1, .pwc = bad_c[k], .with_weight = r != 1), LOSSCORE_ERROR_SHAPE,
                                "pos_weight", what);
                    }
                }
                REFUSED(f32, SPEC(.red = 1, .with_pw = 1, .pwc = 0, .sizes = 1, .n = 0, .null_input = 1, .null_target = 1),
                        LOSSCORE_ERROR_SHAPE, "pos_weight", "pos_weight_count = 0 with n = 0");
                /* Counts that divide n are accepted; without pos_weight the count is ignored. */
                const size_t good_c[] = {1, 2, 5, 10};
                for (size_t k = 0; k < sizeof good_c / sizeof good_c[0]; k++) {
                    snprintf(what, sizeof what, "pos_weight_count = %zu with n = 10", good_c[k]);
                    ACCEPTED(f32, SPEC(.red = 2, .with_pw = 1, .pwc = good_c[k]), what);
                }
                for (size_t k = 0; k < sizeof bad_c / sizeof bad_c[0]; k++) {
                    snprintf(what, sizeof what, "pos_weight NULL, pos_weight_count = %zu", bad_c[k]);
                    ACCEPTED(f32, SPEC(.red = 0, .with_pw = 0, .pwc = bad_c[k]), what);
                }
            }
            if (f == B_FOCAL) {
                /* alpha > 1 or NaN (any alpha < 0 disables the weighting and is accepted). */
                const double bad_a[] = {1.0000000000000002, 1.5, 2, INFINITY, NAN, -NAN};
                for (size_t k = 0; k < sizeof bad_a / sizeof bad_a[0]; k++) {
                    for (int r = 0; r < 3; r++) {
                        snprintf(what, sizeof what, "alpha = %.17g, %s", bad_a[k], RED_NAME[r]);
                        REFUSED(f32, SPEC(.red = r, .alpha = bad_a[k]), LOSSCORE_ERROR_INVALID_ARGUMENT, "alpha", what);
                    }
                    REFUSED(f32, SPEC(.red = 1, .alpha = bad_a[k], .null_input = 1, .null_target = 1, .sizes = 1, .n = 0),
                            LOSSCORE_ERROR_INVALID_ARGUMENT, "alpha", "bad alpha with n = 0");
                }
                /* gamma < 0, NaN or infinite. */
                const double bad_g[] = {-1, -1e-300, -INFINITY, NAN, INFINITY};
                for (size_t k = 0; k < sizeof bad_g / sizeof bad_g[0]; k++) {
                    for (int r = 0; r < 3; r++) {
                        snprintf(what, sizeof what, "gamma = %g, %s", bad_g[k], RED_NAME[r]);
                        REFUSED(f32, SPEC(.red = r, .gamma = bad_g[k]), LOSSCORE_ERROR_INVALID_ARGUMENT, "gamma", what);
                    }
                    REFUSED(f32, SPEC(.red = 2, .gamma = bad_g[k], .null_input = 1, .null_target = 1, .sizes = 1, .n = 0),
                            LOSSCORE_ERROR_INVALID_ARGUMENT, "gamma", "bad gamma with n = 0");
                }
                /* Good edges. */
                const struct { double a, g; } good[] = {{1, 2}, {0, 2}, {-0.0, 2}, {-1, 0}, {-1e300, 0.5}, {-INFINITY, 2},
                                                        {0.25, 0}, {0.25, -0.0}, {0.25, 50}, {0.25, 1e-300}};
                for (size_t k = 0; k < sizeof good / sizeof good[0]; k++) {
                    snprintf(what, sizeof what, "alpha = %g, gamma = %g", good[k].a, good[k].g);
                    ACCEPTED(f32, SPEC(.red = 0, .alpha = good[k].a, .gamma = good[k].g), what);
                }
            }

            /* The message names the entry point; a success clears it. */
            int moved;
            losscore_status s = err_call(f32, &SPEC(.null_input = 1, .red = 1), &moved);
            char fn[64];
            snprintf(fn, sizeof fn, "losscore_%s_%s", FAM_NAME[fam], f32 ? "f32" : "f64");
            char quoted[80];
            snprintf(quoted, sizeof quoted, "%s ", fn); /* not a prefix of a longer name */
            const char *msg = losscore_last_error();
            CHECK(s == LOSSCORE_ERROR_NULL_POINTER && (contains(msg, quoted) || contains(msg, fn)) &&
                      !(fam == B_BCE && contains(msg, "with_logits")),
                  "last_error \"%s\" should name %s", msg, fn);
            s = err_call(f32, &SPEC(.red = 0), &moved);
            CHECK(s == LOSSCORE_OK && strcmp(losscore_last_error(), "") == 0, "%s: last_error after success: \"%s\"", fn,
                  losscore_last_error());
        }
#undef SPEC
    }
}

/* ------------------------------------------------------------------------ */
/* Sizes whose buffers cannot exist: run in child processes                   */
/* ------------------------------------------------------------------------ */

static err_spec child_spec;
static int child_f32;

static int child_call(void) {
    int moved;
    losscore_status s = err_call(child_f32, &child_spec, &moved);
    return (int)s | (moved ? 64 : 0);
}

static void isolated(int f32, err_spec z, losscore_status want, const char *needle, const char *what, int line) {
    char ctx[256];
    snprintf(ctx, sizeof ctx, "losscore_%s_%s (%s; n=%zu, %s)", FAM_NAME[z.fam], f32 ? "f32" : "f64", what, z.n,
             (unsigned)z.red < 3 ? RED_NAME[z.red] : "?");
    child_spec = z;
    child_f32 = f32;
    run_isolated_msg(ctx, child_call, want, needle, line);
}

#define ISOLATED(f32, spec, want, needle, what) isolated(f32, spec, want, needle, what, __LINE__)

/* The message names the argument n ("n" alone would match any function name). */
#define N_NEEDLE " n |n =|(n)|n:"

static void test_size_overflow(void) {
    for (int fam = 0; fam < NUM_FAMS; fam++) {
        bfam_t f = (bfam_t)fam;
        for (int f32 = 0; f32 <= 1; f32++) {
            size_t esize = f32 ? sizeof(float) : sizeof(double);
            for (int r = 0; r <= 2; r += 1) {
                for (int opt = 0; opt <= 1; opt++) { /* with weight, pos_weight (count 1) and gradient, or none */
#define SPEC(...)                                                                                                               \
    ((err_spec){.fam = f, .alpha = 0.25, .gamma = 2, .pwc = 1, .with_weight = opt, .with_pw = opt, .with_grad = opt,           \
                .with_go = opt, .sizes = 1, .red = r, __VA_ARGS__})
                    ISOLATED(f32, SPEC(.n = SIZE_MAX), LOSSCORE_ERROR_SHAPE, N_NEEDLE, "n = SIZE_MAX");
                    ISOLATED(f32, SPEC(.n = SIZE_MAX / 2 + 1), LOSSCORE_ERROR_SHAPE, N_NEEDLE, "n = 2^63");
                    /* The count fits in a signed size, its size in bytes does not. */
                    ISOLATED(f32, SPEC(.n = SIZE_MAX / esize + 1), LOSSCORE_ERROR_SHAPE, N_NEEDLE, "n * sizeof = 2^64 bytes");
                    ISOLATED(f32, SPEC(.n = ((size_t)1 << 63) / esize), LOSSCORE_ERROR_SHAPE, N_NEEDLE, "n * sizeof = 2^63 bytes");
                    ISOLATED(f32, SPEC(.n = ((size_t)1 << 63) / esize + 3), LOSSCORE_ERROR_SHAPE, N_NEEDLE, "n * sizeof > 2^63 bytes");
                    /* pos_weight_count = n = 2^62 (f32) / 2^61 (f64) with byte sizes 2^64 */
                    if (f == B_LOGITS) {
                        ISOLATED(f32, SPEC(.n = SIZE_MAX / esize + 1, .with_pw = 1, .pwc = SIZE_MAX / esize + 1), LOSSCORE_ERROR_SHAPE,
                                 N_NEEDLE "|pos_weight", "n = pos_weight_count, n * sizeof = 2^64 bytes");
                        /* A count that is neither 1 nor n (the repeated temporary buffer). */
                        ISOLATED(f32, SPEC(.n = SIZE_MAX / esize + 1, .with_pw = 1, .pwc = 2), LOSSCORE_ERROR_SHAPE, N_NEEDLE,
                                 "pos_weight_count = 2, n * sizeof = 2^64 bytes");
                        ISOLATED(f32, SPEC(.n = ((size_t)1 << 63) / esize, .with_pw = 1, .pwc = 2), LOSSCORE_ERROR_SHAPE, N_NEEDLE,
                                 "pos_weight_count = 2, n * sizeof = 2^63 bytes");
                    }
#undef SPEC
                }
            }
        }
    }
}

/* ------------------------------------------------------------------------ */
/* Large inputs: thread-count independence, pos_weight across blocks, accuracy */
/* ------------------------------------------------------------------------ */

static void test_large(void) {
    enum { N = 105000 }; /* 3 * 5 * 7 * 1000 */
    double *x = malloc(N * sizeof *x), *xp = malloc(N * sizeof *xp), *y = malloc(N * sizeof *y), *w = malloc(N * sizeof *w),
           *pw = malloc(N * sizeof *pw), *go = malloc(N * sizeof *go);
    double *o1 = malloc(N * sizeof *o1), *o2 = malloc(N * sizeof *o2), *want = malloc(N * sizeof *want), *tw = malloc(N * sizeof *tw);
    double *g1 = malloc(N * sizeof *g1), *g2 = malloc(N * sizeof *g2), *wg = malloc(N * sizeof *wg), *tg = malloc(N * sizeof *tg);
    rng_state = 555;
    fill_logits(x, N);
    fill_probs(xp, N);
    fill_targets(y, N);
    fill_uniform(w, N, 0.2, 2);
    fill_uniform(pw, N, 0.2, 4);
    fill_uniform(go, N, -1, 1);
    const struct { bfam_t fam; size_t pwc; double alpha, gamma; } cfgs[] = {
        {B_BCE, 0, 0, 0},     {B_LOGITS, 0, 0, 0},    {B_LOGITS, 1, 0, 0}, {B_LOGITS, 7, 0, 0},     {B_LOGITS, 1000, 0, 0},
        {B_LOGITS, 52500, 0, 0}, {B_LOGITS, N, 0, 0}, {B_FOCAL, 0, 0.25, 2}, {B_FOCAL, 0, -1, 0.5},
    };
    for (size_t ci = 0; ci < sizeof cfgs / sizeof cfgs[0]; ci++) {
        for (int r = 0; r < 3; r++) {
            b_args a = {cfgs[ci].fam, cfgs[ci].fam == B_BCE ? xp : x, y, cfgs[ci].fam == B_FOCAL ? NULL : w,
                        cfgs[ci].pwc ? pw : NULL, cfgs[ci].pwc, N, r, cfgs[ci].alpha, cfgs[ci].gamma, r == 0 ? go : NULL};
            size_t outn = outn_of(&a);
            for (int f32 = 0; f32 <= 1; f32++) {
                int ov;
                char ctx[256];
                describe(ctx, sizeof ctx, f32, &a);
                ref_for(f32, &a, want, wg, tw, tg);
                losscore_set_num_threads(1);
                losscore_status s1 = run_b(f32, &a, o1, g1, &ov);
                losscore_set_num_threads(3);
                losscore_status s2 = run_b(f32, &a, o2, g2, &ov);
                losscore_set_num_threads(0);
                CHECK(s1 == LOSSCORE_OK && s2 == LOSSCORE_OK, "%s: status %s / %s", ctx, losscore_status_string(s1),
                      losscore_status_string(s2));
                CHECK(memcmp(o1, o2, outn * sizeof *o1) == 0 && memcmp(g1, g2, N * sizeof *g1) == 0,
                      "%s: results differ between 1 and 3 threads (%.17g vs %.17g)", ctx, o1[0], o2[0]);
                double k = tol_k(f32) * 2, fl = tol_floor(f32);
                long bad = mismatch_scaled(o1, want, tw, outn, k, fl);
                CHECK(bad < 0, "%s: loss[%ld] = %.17g, expected %.17g", ctx, bad, bad < 0 ? 0 : o1[bad], bad < 0 ? 0 : want[bad]);
                bad = mismatch_scaled(g1, wg, tg, N, k, fl);
                CHECK(bad < 0, "%s: grad[%ld] = %.17g, expected %.17g", ctx, bad, bad < 0 ? 0 : g1[bad], bad < 0 ? 0 : wg[bad]);
            }
        }
    }
    free(x), free(xp), free(y), free(w), free(pw), free(go), free(o1), free(o2), free(want), free(tw), free(g1), free(g2), free(wg),
        free(tg);
}

/* "Sums of float data are accumulated in double" (the header, Threads): a SUM whose halves
 * cancel (the second half is a permutation of the first, with weight -1) must be 0 up to
 * double rounding: the library's own NONE values cancel exactly, so only the accumulation
 * can leave a residue. A float accumulator (sequential, pairwise, or float partial sums of
 * blocks before a double total) leaves about FLT_EPSILON times its partial sums (~1e-4 to
 * 1e-3 here, a multiple of the partial sums' ulp). */
static void test_float_sums_in_double(void) {
    enum { M = 60000, N = 2 * M };
    double *x = malloc(N * sizeof *x), *xp = malloc(N * sizeof *xp), *y = malloc(N * sizeof *y), *w = malloc(N * sizeof *w),
           *o = malloc(N * sizeof *o);
    rng_state = 99;
    fill_uniform(x, M, -6, 6);
    fill_uniform(xp, M, 0.001, 0.999);
    fill_targets(y, M);
    for (size_t i = 0; i < M; i++) {
        size_t j = (i * 7919) % M; /* 7919 is prime to M: a permutation */
        x[M + i] = x[j], xp[M + i] = xp[j], y[M + i] = y[j];
        w[i] = 1, w[M + i] = -1;
    }
    for (int fam = B_BCE; fam <= B_LOGITS; fam++) {
        for (int f32 = 0; f32 <= 1; f32++) {
            b_args a = {(bfam_t)fam, fam == B_BCE ? xp : x, y, w, NULL, 0, N, LOSSCORE_REDUCTION_NONE, 0, 0, NULL};
            double sum, half;
            int ov;
            losscore_status s0 = run_b(f32, &a, o, NULL, &ov);
            long double own = 0; /* the library's own per-element values, summed exactly enough */
            for (size_t i = 0; i < N; i++) own += o[i];
            a.red = LOSSCORE_REDUCTION_SUM;
            losscore_status s = run_b(f32, &a, &sum, NULL, &ov);
            a.n = M, a.w = NULL;
            losscore_status s2 = run_b(f32, &a, &half, NULL, &ov);
            double lim = 1e-9 * half; /* double accumulation: ~1e-16 * half */
            CHECK(s0 == LOSSCORE_OK && s == LOSSCORE_OK && s2 == LOSSCORE_OK && fabs(sum) <= lim,
                  "%s_%s: SUM of two cancelling halves (each %.9g) = %.9g, expected 0 within %.2g: its own NONE values sum to "
                  "%.9Lg, so the reduction does not accumulate float data in double as the header says",
                  FAM_NAME[fam], f32 ? "f32" : "f64", half, sum, lim, own);
        }
    }
    free(x), free(xp), free(y), free(w), free(o);
}

/* ------------------------------------------------------------------------ */

int main(void) {
    const char *e = losscore_last_error();
    CHECK(e != NULL && e[0] == '\0', "last_error() before any call should be \"\", got %s", e ? e : "NULL");
    /* First, before the library starts any worker thread: the calls that crash the process
     * when a size check is missing run in forked children. */
    test_size_overflow();
    test_hand_examples();
    test_bce_boundaries();
    test_values();
    test_logits_any_values();
    test_extreme_logits();
    test_finite_differences();
    test_reduction_relations();
    test_equivalences();
    test_empty();
    test_nan_data();
    test_errors();
    test_large();
    test_float_sums_in_double();

    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
