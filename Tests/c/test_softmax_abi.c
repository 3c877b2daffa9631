/*
 * test_softmax_abi.c - tests of the softmax family of liblosscore.so (cross-entropy with
 * class indices and with probabilities, NLL, multi-class focal loss) through
 * include/losscore.h alone, as a C user sees it.
 *
 * Expected values come from the header's formulas and PyTorch's semantics, computed here
 * in double with a max-shifted log-sum-exp; nothing is taken from the library's output
 * (except where two library results are compared with each other: focal gamma = 0 against
 * cross-entropy, thread counts against each other).
 *
 * Build and run with Tests/c/run.sh [LIBDIR]. Prints "N passed, M failed" last and exits
 * non-zero on any failure.
 */
#include "check.h"

#include <float.h>
#include <limits.h>
#include <pthread.h>

/* The SPEC(...) macros below give defaults that a test then overrides by designator. */
#pragma GCC diagnostic ignored "-Woverride-init"

/* ------------------------------------------------------------------------ */
/* The four losses, called uniformly                                          */
/* ------------------------------------------------------------------------ */

typedef enum { F_CE, F_PROBS, F_NLL, F_FOCAL } fam_t;
#define NUM_FAMS 4
static const char *FAM_NAME[] = {"cross_entropy", "cross_entropy_probs", "nll_loss", "focal_loss"};
static const char *RED_NAME[] = {"none", "mean", "sum"};

static int has_index_target(fam_t f) { return f != F_PROBS; }
static int has_smoothing(fam_t f) { return f == F_CE || f == F_PROBS; }

/* One call: the data in double (converted to float for _f32). */
typedef struct {
    fam_t fam;
    const double *x;  /* n * c * inner scores */
    const int64_t *t; /* n * inner class indices (CE, NLL, focal) */
    const double *tp; /* n * c * inner probabilities (probs) */
    const double *w;  /* c class weights or NULL */
    size_t n, c, inner;
    int64_t ii;       /* ignore_index */
    int red;          /* reduction (may be invalid in error tests) */
    double ls;        /* label_smoothing */
    double gamma;     /* focal gamma */
    const double *go; /* grad_output: n * inner (NONE) or 1 value, or NULL */
} sm_args;

static size_t positions_of(const sm_args *a) { return a->n * a->inner; }
static size_t elements_of(const sm_args *a) { return a->n * a->c * a->inner; }
static size_t outn_of(const sm_args *a) { return a->red == LOSSCORE_REDUCTION_NONE ? positions_of(a) : 1; }

static losscore_status call64(fam_t f, const double *x, const int64_t *t, const double *tp, const double *w, size_t n,
                              size_t c, size_t inner, int64_t ii, int red, double ls, double gamma, double *out,
                              const double *go, double *gi) {
    losscore_reduction r = (losscore_reduction)red;
    switch (f) {
    case F_CE: return losscore_cross_entropy_f64(x, t, w, n, c, inner, ii, r, ls, out, go, gi);
    case F_PROBS: return losscore_cross_entropy_probs_f64(x, tp, w, n, c, inner, r, ls, out, go, gi);
    case F_NLL: return losscore_nll_loss_f64(x, t, w, n, c, inner, ii, r, out, go, gi);
    case F_FOCAL: return losscore_focal_loss_f64(x, t, w, n, c, inner, gamma, ii, r, out, go, gi);
    }
    return (losscore_status)-1;
}

static losscore_status call32(fam_t f, const float *x, const int64_t *t, const float *tp, const float *w, size_t n,
                              size_t c, size_t inner, int64_t ii, int red, double ls, double gamma, float *out,
                              const float *go, float *gi) {
    losscore_reduction r = (losscore_reduction)red;
    switch (f) {
    case F_CE: return losscore_cross_entropy_f32(x, t, w, n, c, inner, ii, r, ls, out, go, gi);
    case F_PROBS: return losscore_cross_entropy_probs_f32(x, tp, w, n, c, inner, r, ls, out, go, gi);
    case F_NLL: return losscore_nll_loss_f32(x, t, w, n, c, inner, ii, r, out, go, gi);
    case F_FOCAL: return losscore_focal_loss_f32(x, t, w, n, c, inner, gamma, ii, r, out, go, gi);
    }
    return (losscore_status)-1;
}

/* Runs one call in float (f32 != 0) or double. Writes the loss to `out` (outn values) and,
 * when gi is not NULL, the gradient to `gi` (n * c * inner values). The library gets
 * buffers two elements longer, filled with SENTINEL; *overrun is set if it wrote past the
 * documented sizes, or into the gradient buffer when none was requested. */
static losscore_status run_sm(int f32, const sm_args *a, double *out, double *gi, int *overrun) {
    size_t E = elements_of(a), outn = outn_of(a);
    losscore_status s;
    *overrun = 0;
    if (f32) {
        float *xf = to_float(a->x, E), *tpf = to_float(a->tp, E), *wf = to_float(a->w, a->c), *gof = to_float(a->go, outn);
        float *of = malloc((outn + 2) * sizeof *of), *gf = malloc((E + 2) * sizeof *gf);
        for (size_t i = 0; i < outn + 2; i++) of[i] = (float)SENTINEL;
        for (size_t i = 0; i < E + 2; i++) gf[i] = (float)SENTINEL;
        s = call32(a->fam, xf, a->t, tpf, wf, a->n, a->c, a->inner, a->ii, a->red, a->ls, a->gamma, of, gof, gi ? gf : NULL);
        if (of[outn] != (float)SENTINEL || of[outn + 1] != (float)SENTINEL) *overrun = 1;
        if (gf[E] != (float)SENTINEL || gf[E + 1] != (float)SENTINEL) *overrun = 1;
        if (!gi && gf[0] != (float)SENTINEL) *overrun = 1;
        for (size_t i = 0; i < outn; i++) out[i] = of[i];
        if (gi)
            for (size_t i = 0; i < E; i++) gi[i] = gf[i];
        free(xf), free(tpf), free(wf), free(gof), free(of), free(gf);
    } else {
        double *od = malloc((outn + 2) * sizeof *od), *gd = malloc((E + 2) * sizeof *gd);
        for (size_t i = 0; i < outn + 2; i++) od[i] = SENTINEL;
        for (size_t i = 0; i < E + 2; i++) gd[i] = SENTINEL;
        s = call64(a->fam, a->x, a->t, a->tp, a->w, a->n, a->c, a->inner, a->ii, a->red, a->ls, a->gamma, od, a->go,
                   gi ? gd : NULL);
        if (od[outn] != SENTINEL || od[outn + 1] != SENTINEL) *overrun = 1;
        if (gd[E] != SENTINEL || gd[E + 1] != SENTINEL) *overrun = 1;
        if (!gi && gd[0] != SENTINEL) *overrun = 1;
        memcpy(out, od, outn * sizeof *out);
        if (gi) memcpy(gi, gd, E * sizeof *gi);
        free(od), free(gd);
    }
    return s;
}

/* ------------------------------------------------------------------------ */
/* Float64 reference, from the header's formulas                              */
/* ------------------------------------------------------------------------ */

/* Loss (outn values) and gradient (n * c * inner values) of one call, as the header defines
 * them: per position a max-shifted log-sum-exp; 1 - p_t summed from the other classes;
 * ignored positions give loss 0 and gradient 0; MEAN divides by the sum of w[target] over
 * the positions that are not ignored (probabilities: by n * inner). */
static double ref_sm(const sm_args *a, double *out, double *grad) {
    const size_t C = a->c, inner = a->inner, P = positions_of(a);
    double *loss = malloc((P ? P : 1) * sizeof *loss);
    char *ignored = calloc(P ? P : 1, 1);
    double *row = malloc((C ? C : 1) * sizeof *row), *logp = malloc((C ? C : 1) * sizeof *logp),
           *p = malloc((C ? C : 1) * sizeof *p);
    double denom = 0;
    for (size_t i = 0; i < a->n; i++) {
        for (size_t k = 0; k < inner; k++) {
            size_t pos = i * inner + k, base = i * C * inner + k;
#define IDX(j) (base + (size_t)(j) * inner)
            for (size_t j = 0; j < C; j++) row[j] = a->x[IDX(j)];
            double m = -INFINITY;
            for (size_t j = 0; j < C; j++)
                if (row[j] > m) m = row[j];
            double s = 0;
            for (size_t j = 0; j < C; j++) s += exp(row[j] - m);
            double lse = m + log(s);
            for (size_t j = 0; j < C; j++) logp[j] = row[j] - lse, p[j] = exp(logp[j]);
            double W = 0;
            for (size_t j = 0; j < C; j++) W += a->w ? a->w[j] : 1.0;
            if (a->fam == F_PROBS) {
                double eps = a->ls, S = 0, l = 0;
                for (size_t j = 0; j < C; j++) {
                    double wj = a->w ? a->w[j] : 1.0, q = (1 - eps) * a->tp[IDX(j)] + eps / (double)C;
                    l -= wj * q * logp[j];
                    S += wj * q;
                }
                for (size_t j = 0; j < C; j++) {
                    double wj = a->w ? a->w[j] : 1.0, q = (1 - eps) * a->tp[IDX(j)] + eps / (double)C;
                    grad[IDX(j)] = p[j] * S - wj * q;
                }
                loss[pos] = l;
                denom += 1;
                continue;
            }
            int64_t t = a->t[pos];
            if (t == a->ii) {
                ignored[pos] = 1;
                loss[pos] = 0;
                for (size_t j = 0; j < C; j++) grad[IDX(j)] = 0;
                continue;
            }
            double wt = a->w ? a->w[t] : 1.0;
            denom += wt;
            double q = 0; /* 1 - p_t without cancellation */
            for (size_t j = 0; j < C; j++)
                if ((int64_t)j != t) q += p[j];
            switch (a->fam) {
            case F_NLL:
                loss[pos] = -wt * row[t];
                for (size_t j = 0; j < C; j++) grad[IDX(j)] = (int64_t)j == t ? -wt : 0.0;
                break;
            case F_CE: {
                double eps = a->ls, smooth = 0;
                for (size_t j = 0; j < C; j++) smooth -= (a->w ? a->w[j] : 1.0) * logp[j];
                loss[pos] = (1 - eps) * (-wt * logp[t]) + (eps > 0 ? (eps / (double)C) * smooth : 0.0);
                for (size_t j = 0; j < C; j++) {
                    double wj = a->w ? a->w[j] : 1.0;
                    double hard = (int64_t)j == t ? -q : p[j];
                    grad[IDX(j)] = (1 - eps) * wt * hard + (eps / (double)C) * (W * p[j] - wj);
                }
                break;
            }
            case F_FOCAL: {
                double g = a->gamma, logpt = logp[t];
                if (row[t] == m) { /* accurate log p_t when p_t is near 1 */
                    double rest = 0;
                    for (size_t j = 0; j < C; j++)
                        if ((int64_t)j != t) rest += exp(row[j] - m);
                    logpt = -log1p(rest);
                }
                double pt = exp(logpt), qg = pow(q, g);
                double ratio = q > 0 ? logpt / q : -1.0; /* its limit at q -> 0 */
                double A = qg * (1 - g * pt * ratio);
                loss[pos] = -wt * qg * logpt;
                for (size_t j = 0; j < C; j++) grad[IDX(j)] = wt * A * ((int64_t)j == t ? -q : p[j]);
                break;
            }
            case F_PROBS: break;
            }
#undef IDX
        }
    }
    if (a->red == LOSSCORE_REDUCTION_NONE) {
        for (size_t pos = 0; pos < P; pos++) {
            out[pos] = loss[pos];
            double g = a->go ? a->go[pos] : 1.0;
            for (size_t j = 0; j < C; j++) {
                size_t e = (pos / inner) * C * inner + j * inner + pos % inner;
                grad[e] = ignored[pos] ? 0.0 : g * grad[e];
            }
        }
    } else {
        double total = 0, comp = 0;
        for (size_t pos = 0; pos < P; pos++) { /* Kahan (plain sums once infinities appear) */
            if (!isfinite(loss[pos]) || !isfinite(total)) {
                total += loss[pos];
                continue;
            }
            double t = loss[pos] - comp, u = total + t;
            comp = (u - total) - t;
            total = u;
        }
        double div = a->red == LOSSCORE_REDUCTION_MEAN ? denom : 1.0;
        out[0] = total / div;
        double g = (a->go ? a->go[0] : 1.0) / div;
        for (size_t pos = 0; pos < P; pos++) {
            for (size_t j = 0; j < C; j++) {
                size_t e = (pos / inner) * C * inner + j * inner + pos % inner;
                grad[e] = ignored[pos] ? 0.0 : g * grad[e];
            }
        }
    }
    free(loss), free(ignored), free(row), free(logp), free(p);
    return a->red == LOSSCORE_REDUCTION_MEAN ? denom : 1.0;
}

/* First index where got and want differ by more than rel * |want| + absn * max|want|, or -1. */
static long mismatch_floor(const double *got, const double *want, size_t n, double rel, double absn, double floor) {
    double scale = 0;
    for (size_t i = 0; i < n; i++)
        if (isfinite(want[i]) && fabs(want[i]) > scale) scale = fabs(want[i]);
    for (size_t i = 0; i < n; i++)
        if (!close_to(got[i], want[i], rel, absn * scale + floor + 1e-300)) return (long)i;
    return -1;
}

static long mismatch(const double *got, const double *want, size_t n, double rel, double absn) {
    return mismatch_floor(got, want, n, rel, absn, 0);
}

/* The size of the gradient's rounding noise where it should be 0 (e.g. c = 1 with label
 * smoothing, where p - 1 and W p - w are 0 in exact arithmetic): tol * |grad_output| * max w
 * / the MEAN denominator. */
static double grad_floor(const sm_args *a, double divisor, double tol) {
    double gmax = a->go ? 0 : 1, wmax = a->w ? 0 : 1;
    for (size_t i = 0; a->go && i < outn_of(a); i++) gmax = fmax(gmax, fabs(a->go[i]));
    for (size_t j = 0; a->w && j < a->c; j++) wmax = fmax(wmax, fabs(a->w[j]));
    return divisor > 0 ? tol * gmax * wmax / divisor : 0;
}

static int all_finite(const double *v, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (!isfinite(v[i])) return 0;
    return 1;
}

static void describe(char *buf, size_t size, int f32, const sm_args *a) {
    snprintf(buf, size, "%s_%s (n=%zu c=%zu inner=%zu) %s w=%d ii=%lld ls=%g gamma=%g go=%d", FAM_NAME[a->fam],
             f32 ? "f32" : "f64", a->n, a->c, a->inner, (unsigned)a->red < 3 ? RED_NAME[a->red] : "?", a->w != NULL,
             (long long)a->ii, a->ls, a->gamma, a->go != NULL);
}

/* Runs one call with and without the gradient and compares with the reference. */
static void check_call(int f32, const sm_args *a, double rel, double absn, int line) {
    size_t E = elements_of(a), outn = outn_of(a);
    double *out = malloc((outn + 1) * sizeof *out), *gi = malloc((E + 1) * sizeof *gi);
    double *want = malloc((outn + 1) * sizeof *want), *wgrad = malloc((E + 1) * sizeof *wgrad);
    char ctx[256];
    describe(ctx, sizeof ctx, f32, a);
    double divisor = ref_sm(a, want, wgrad);
    int overrun;
    losscore_status s = run_sm(f32, a, out, gi, &overrun);
    check_at(s == LOSSCORE_OK, line, "%s: status %s (%s)", ctx, losscore_status_string(s), losscore_last_error());
    check_at(strcmp(losscore_last_error(), "") == 0, line, "%s: last_error \"%s\" after success", ctx, losscore_last_error());
    check_at(!overrun, line, "%s: wrote past the output or gradient buffer", ctx);
    long bad = mismatch(out, want, outn, rel, absn);
    check_at(bad < 0, line, "%s: loss[%ld] = %.17g, expected %.17g", ctx, bad, bad < 0 ? 0 : out[bad], bad < 0 ? 0 : want[bad]);
    bad = mismatch_floor(gi, wgrad, E, rel, absn, grad_floor(a, divisor, absn));
    check_at(bad < 0, line, "%s: grad[%ld] = %.17g, expected %.17g", ctx, bad, bad < 0 ? 0 : gi[bad], bad < 0 ? 0 : wgrad[bad]);
    /* Loss only: grad_input NULL (grad_output is then ignored). */
    s = run_sm(f32, a, out, NULL, &overrun);
    check_at(s == LOSSCORE_OK && !overrun, line, "%s loss-only: status %s, overrun %d", ctx, losscore_status_string(s), overrun);
    bad = mismatch(out, want, outn, rel, absn);
    check_at(bad < 0, line, "%s loss-only: loss[%ld] = %.17g, expected %.17g", ctx, bad, bad < 0 ? 0 : out[bad],
             bad < 0 ? 0 : want[bad]);
    free(out), free(gi), free(want), free(wgrad);
}

#define CHECK_CALL(f32, a, rel, absn) check_call(f32, a, rel, absn, __LINE__)

/* ------------------------------------------------------------------------ */
/* Data                                                                       */
/* ------------------------------------------------------------------------ */

typedef struct {
    size_t n, c, inner;
    const char *name;
} layout_t;

static const layout_t LAYOUTS[] = {
    {6, 5, 1, "(N, C)"},
    {1, 7, 1, "unbatched (C,)"},
    {3, 4, 5, "K-dim (N, C, d)"},
    {1, 3, 6, "K-dim n = 1"},
    {2, 1, 3, "one class"},
    {4, 6, 130, "K-dim, long inner"},
    {37, 11, 1, "(N, C), odd sizes"},
    /* Around the library's K-dim tiles (up to 64 positions, 4096 / c for wide rows) and its
     * blocks of about 32768 elements, which may split a sample. */
    {2, 3, 63, "K-dim, inner 63"},
    {2, 3, 64, "K-dim, inner 64"},
    {2, 3, 65, "K-dim, inner 65"},
    {5, 100, 97, "K-dim, c = 100, two blocks"},
    {2, 4097, 2, "K-dim, rows wider than a tile"},
    {3, 1003, 1, "(N, C), wide rows"},
};
#define NUM_LAYOUTS (sizeof LAYOUTS / sizeof LAYOUTS[0])

/* Random scores in [-3, 3); class targets in [0, c), a fraction `ignore_frac` of them
 * replaced by ii; probability targets that sum to 1 (every third position: not normalized,
 * which the formula allows). */
static void fill_data(size_t n, size_t c, size_t inner, double *x, int64_t *t, double *tp, int64_t ii, double ignore_frac) {
    size_t P = n * inner;
    for (size_t e = 0; e < P * c; e++) x[e] = rng_uniform(-3, 3);
    for (size_t pos = 0; pos < P; pos++) {
        t[pos] = (int64_t)(rng_next() % c);
        if (ignore_frac > 0 && rng_uniform(0, 1) < ignore_frac) t[pos] = ii;
    }
    for (size_t pos = 0; pos < P; pos++) {
        size_t i = pos / inner, k = pos % inner;
        double sum = 0;
        for (size_t j = 0; j < c; j++) sum += (tp[i * c * inner + j * inner + k] = rng_uniform(0, 1));
        if (pos % 3 != 2)
            for (size_t j = 0; j < c; j++) tp[i * c * inner + j * inner + k] /= sum;
    }
}

typedef struct {
    fam_t fam;
    double ls, gamma;
} config_t;

static const config_t CONFIGS[] = {
    {F_CE, 0, 0},    {F_CE, 0.2, 0},    {F_CE, 1, 0},    {F_PROBS, 0, 0},    {F_PROBS, 0.2, 0},
    {F_PROBS, 1, 0}, {F_NLL, 0, 0},     {F_FOCAL, 0, 0}, {F_FOCAL, 0, 0.5},  {F_FOCAL, 0, 2},
};
#define NUM_CONFIGS (sizeof CONFIGS / sizeof CONFIGS[0])

/* ------------------------------------------------------------------------ */
/* Values and gradients                                                       */
/* ------------------------------------------------------------------------ */

static void test_values(void) {
    for (size_t li = 0; li < NUM_LAYOUTS; li++) {
        const layout_t *L = &LAYOUTS[li];
        size_t P = L->n * L->inner, E = P * L->c;
        double *x = malloc(E * sizeof *x), *tp = malloc(E * sizeof *tp), *w = malloc(L->c * sizeof *w),
               *go = malloc(P * sizeof *go);
        int64_t *t = malloc(P * sizeof *t);
        /* ignore_index variants: none ignored; -100 ignored; inside [0, C); == C; INT64_MIN. */
        const struct { int64_t ii; double frac; } IGN[] = {
            {-100, 0}, {-100, 0.25}, {1, 0.25}, {(int64_t)L->c, 0.25}, {INT64_MIN, 0.25}};
        for (size_t ci = 0; ci < NUM_CONFIGS; ci++) {
            const config_t *cf = &CONFIGS[ci];
            size_t nign = has_index_target(cf->fam) ? sizeof IGN / sizeof IGN[0] : 1;
            for (size_t ig = 0; ig < nign; ig++) {
                rng_state = 1000 * li + 10 * ci + ig;
                fill_data(L->n, L->c, L->inner, x, t, tp, IGN[ig].ii, IGN[ig].frac);
                for (size_t j = 0; j < L->c; j++) w[j] = rng_uniform(0.2, 2.5);
                for (int weighted = 0; weighted <= 1; weighted++) {
                    for (int r = 0; r < 3; r++) {
                        for (int use_go = 0; use_go <= 1; use_go++) {
                            for (size_t pos = 0; pos < P; pos++) go[pos] = rng_uniform(-2, 2);
                            sm_args a = {cf->fam, x, t, tp, weighted ? w : NULL, L->n, L->c, L->inner, IGN[ig].ii, r, cf->ls,
                                         cf->gamma, use_go ? go : NULL};
                            CHECK_CALL(0, &a, 1e-12, 1e-13);
                            CHECK_CALL(1, &a, 1e-5, 2e-6);
                        }
                    }
                }
            }
        }
        free(x), free(tp), free(w), free(go), free(t);
    }
}

/* Hand-computed values: two classes with equal scores give log 2 per position; a weighted
 * mean divides by the sum of the target weights; label smoothing 1 is the uniform target. */
static void test_hand_examples(void) {
    const double x[] = {0, 0, 1, 1}; /* two positions, (N = 2, C = 2) */
    const int64_t t[] = {0, 1};
    const double w[] = {1, 3};
    for (int f32 = 0; f32 <= 1; f32++) {
        double tol = f32 ? 1e-7 : 1e-15, out[2], g[4];
        int overrun;
        sm_args a = {F_CE, x, t, NULL, NULL, 2, 2, 1, -100, LOSSCORE_REDUCTION_MEAN, 0, 0, NULL};
        losscore_status s = run_sm(f32, &a, out, g, &overrun);
        CHECK(s == LOSSCORE_OK && close_to(out[0], log(2.0), tol, 0), "CE %s mean of equal scores = %.17g, expected log 2",
              f32 ? "f32" : "f64", out[0]);
        CHECK(close_to(g[0], -0.25, tol, 0) && close_to(g[1], 0.25, tol, 0) && close_to(g[2], 0.25, tol, 0) &&
                  close_to(g[3], -0.25, tol, 0),
              "CE %s mean grad = %g %g %g %g, expected -1/4 1/4 1/4 -1/4", f32 ? "f32" : "f64", g[0], g[1], g[2], g[3]);
        a.w = w; /* (1 log2 + 3 log2) / (1 + 3) */
        s = run_sm(f32, &a, out, g, &overrun);
        CHECK(s == LOSSCORE_OK && close_to(out[0], log(2.0), tol, 0), "CE %s weighted mean = %.17g, expected log 2",
              f32 ? "f32" : "f64", out[0]);
        CHECK(close_to(g[0], -1.0 / 8, tol, 0) && close_to(g[1], 1.0 / 8, tol, 0) && close_to(g[2], 3.0 / 8, tol, 0) &&
                  close_to(g[3], -3.0 / 8, tol, 0),
              "CE %s weighted mean grad = %g %g %g %g, expected w_t/4 * (p - onehot)", f32 ? "f32" : "f64", g[0], g[1], g[2], g[3]);
        a.red = LOSSCORE_REDUCTION_SUM;
        s = run_sm(f32, &a, out, g, &overrun);
        CHECK(s == LOSSCORE_OK && close_to(out[0], 4 * log(2.0), tol, 0), "CE %s weighted sum = %.17g, expected 4 log 2",
              f32 ? "f32" : "f64", out[0]);
        a.w = NULL;
        a.red = LOSSCORE_REDUCTION_NONE;
        a.fam = F_NLL; /* nll on raw scores: -x_t */
        const double lx[] = {-0.5, -2, -3, -0.25};
        a.x = lx;
        s = run_sm(f32, &a, out, g, &overrun);
        CHECK(s == LOSSCORE_OK && out[0] == 0.5 && out[1] == 0.25 && g[0] == -1 && g[1] == 0 && g[2] == 0 && g[3] == -1,
              "NLL %s none: %g %g; grad %g %g %g %g", f32 ? "f32" : "f64", out[0], out[1], g[0], g[1], g[2], g[3]);
    }
}

/* focal_loss with gamma = 0 is cross_entropy (values and gradients, every reduction,
 * weights and ignored positions included). */
static void test_focal_gamma0_is_ce(void) {
    enum { N = 5, C = 4, IN = 3, P = N * IN, E = N * C * IN };
    double x[E], tp[E], w[C], go[P];
    int64_t t[P];
    rng_state = 4711;
    fill_data(N, C, IN, x, t, tp, 2, 0.2);
    for (int j = 0; j < C; j++) w[j] = rng_uniform(0.5, 2);
    for (int i = 0; i < P; i++) go[i] = rng_uniform(-1, 2);
    for (int f32 = 0; f32 <= 1; f32++) {
        for (int weighted = 0; weighted <= 1; weighted++) {
            for (int r = 0; r < 3; r++) {
                double o1[P], o2[P], g1[E], g2[E];
                int ov;
                sm_args ce = {F_CE, x, t, NULL, weighted ? w : NULL, N, C, IN, 2, r, 0, 0, go};
                sm_args fo = ce;
                fo.fam = F_FOCAL;
                losscore_status s1 = run_sm(f32, &ce, o1, g1, &ov), s2 = run_sm(f32, &fo, o2, g2, &ov);
                size_t outn = r == 0 ? P : 1;
                double rel = f32 ? 4e-7 : 4e-16;
                CHECK(s1 == LOSSCORE_OK && s2 == LOSSCORE_OK, "focal gamma 0 vs CE: status %d %d", s1, s2);
                long bad = mismatch(o2, o1, outn, rel, rel);
                CHECK(bad < 0, "focal_loss_%s(gamma=0) %s w=%d: loss[%ld] = %.17g, cross_entropy gives %.17g", f32 ? "f32" : "f64",
                      RED_NAME[r], weighted, bad, bad < 0 ? 0 : o2[bad], bad < 0 ? 0 : o1[bad]);
                bad = mismatch(g2, g1, E, rel, rel);
                CHECK(bad < 0, "focal_loss_%s(gamma=0) %s w=%d: grad[%ld] = %.17g, cross_entropy gives %.17g", f32 ? "f32" : "f64",
                      RED_NAME[r], weighted, bad, bad < 0 ? 0 : g2[bad], bad < 0 ? 0 : g1[bad]);
            }
        }
    }
}

/* Central differences of the f64 losses: checks the header's gradient formulas themselves
 * (the reference uses the same formulas). */
static void test_finite_differences(void) {
    enum { N = 2, C = 4, IN = 3, P = N * IN, E = N * C * IN };
    double x[E], tp[E], w[C], go[P];
    int64_t t[P];
    const config_t cfgs[] = {{F_CE, 0, 0}, {F_CE, 0.3, 0}, {F_PROBS, 0.3, 0}, {F_PROBS, 0, 0}, {F_NLL, 0, 0},
                             {F_FOCAL, 0, 0.5}, {F_FOCAL, 0, 2}, {F_FOCAL, 0, 1.3}};
    for (size_t ci = 0; ci < sizeof cfgs / sizeof cfgs[0]; ci++) {
        rng_state = 77 + ci;
        fill_data(N, C, IN, x, t, tp, -100, 0.2);
        for (int j = 0; j < C; j++) w[j] = rng_uniform(0.3, 2);
        for (int i = 0; i < P; i++) go[i] = rng_uniform(0.5, 2);
        for (int r = 0; r < 3; r++) {
            size_t outn = r == 0 ? P : 1;
            double out[P], grad[E];
            losscore_status s = call64(cfgs[ci].fam, x, t, tp, w, N, C, IN, -100, r, cfgs[ci].ls, cfgs[ci].gamma, out, go, grad);
            CHECK(s == LOSSCORE_OK, "%s fd: status %s", FAM_NAME[cfgs[ci].fam], losscore_status_string(s));
            long worst = -1;
            double worst_fd = 0;
            for (int e = 0; e < E; e++) {
                const double h = 1e-6;
                double xp[E], xm[E], op[P], om[P], fp = 0, fm = 0;
                memcpy(xp, x, sizeof x), memcpy(xm, x, sizeof x);
                xp[e] += h, xm[e] -= h;
                call64(cfgs[ci].fam, xp, t, tp, w, N, C, IN, -100, r, cfgs[ci].ls, cfgs[ci].gamma, op, NULL, NULL);
                call64(cfgs[ci].fam, xm, t, tp, w, N, C, IN, -100, r, cfgs[ci].ls, cfgs[ci].gamma, om, NULL, NULL);
                for (size_t k = 0; k < outn; k++) fp += go[k] * op[k], fm += go[k] * om[k];
                double fd = (fp - fm) / (2 * h);
                if (!close_to(grad[e], fd, 1e-6, 1e-7) && worst < 0) worst = e, worst_fd = fd;
            }
            CHECK(worst < 0, "%s(ls=%g, gamma=%g) %s: grad[%ld] = %.12g, finite difference %.12g", FAM_NAME[cfgs[ci].fam],
                  cfgs[ci].ls, cfgs[ci].gamma, RED_NAME[r], worst, worst >= 0 ? grad[worst] : 0, worst_fd);
        }
    }
}

/* SUM == MEAN * (sum of w[target]) with class indices, MEAN * n * inner with probabilities;
 * grad_output scales the gradient and leaves the loss alone. */
static void test_reduction_relations(void) {
    enum { N = 9, C = 5, IN = 2, P = N * IN, E = N * C * IN };
    double x[E], tp[E], w[C];
    int64_t t[P];
    rng_state = 2024;
    fill_data(N, C, IN, x, t, tp, 3, 0.3);
    for (int j = 0; j < C; j++) w[j] = rng_uniform(0.2, 3);
    double wsum = 0;
    for (int i = 0; i < P; i++)
        if (t[i] != 3) wsum += w[t[i]];
    for (size_t ci = 0; ci < NUM_CONFIGS; ci++) {
        for (int f32 = 0; f32 <= 1; f32++) {
            double mean, sum, gm[E], gs[E];
            int ov;
            sm_args a = {CONFIGS[ci].fam, x, t, tp, w, N, C, IN, 3, LOSSCORE_REDUCTION_MEAN, CONFIGS[ci].ls, CONFIGS[ci].gamma, NULL};
            run_sm(f32, &a, &mean, gm, &ov);
            a.red = LOSSCORE_REDUCTION_SUM;
            run_sm(f32, &a, &sum, gs, &ov);
            double denom = CONFIGS[ci].fam == F_PROBS ? (double)P : wsum, tol = f32 ? 2e-6 : 1e-13;
            CHECK(close_to(sum, mean * denom, tol, 0), "%s_%s(ls=%g, gamma=%g): sum %.17g != mean %.17g * %g", FAM_NAME[a.fam],
                  f32 ? "f32" : "f64", a.ls, a.gamma, sum, mean, denom);
            int ok = 1;
            for (int e = 0; e < E; e++) ok &= close_to(gs[e], gm[e] * denom, 4 * tol, 1e-6 * (f32 ? 1 : 1e-7));
            CHECK(ok, "%s_%s(ls=%g, gamma=%g): grad(sum) != grad(mean) * %g", FAM_NAME[a.fam], f32 ? "f32" : "f64", a.ls, a.gamma,
                  denom);
            /* Scalar grad_output: 2.5, -0.75, 0. */
            const double scales[] = {2.5, -0.75, 0.0};
            for (int k = 0; k < 3; k++) {
                double v, g[E];
                a.go = &scales[k];
                run_sm(f32, &a, &v, g, &ov);
                a.go = NULL;
                double scaled[E];
                for (int e = 0; e < E; e++) scaled[e] = scales[k] * gs[e];
                CHECK(v == sum, "%s_%s sum: grad_output %g changed the loss: %.17g vs %.17g", FAM_NAME[a.fam], f32 ? "f32" : "f64",
                      scales[k], v, sum);
                long bad = mismatch(g, scaled, E, tol, tol);
                CHECK(bad < 0, "%s_%s(ls=%g, gamma=%g) sum: grad_output %g does not scale the gradient: grad[%ld] = %.17g, expected %.17g",
                      FAM_NAME[a.fam], f32 ? "f32" : "f64", a.ls, a.gamma, scales[k], bad, bad < 0 ? 0 : g[bad],
                      bad < 0 ? 0 : scaled[bad]);
            }
        }
    }
}

/* Ignored positions everywhere: MEAN is NaN, SUM 0, NONE zeros, and the gradient is all
 * zeros (written, not left alone). */
static void test_all_ignored(void) {
    enum { N = 3, C = 4, IN = 2, P = N * IN, E = N * C * IN };
    double x[E], w[C] = {0.5, 1, 2, 3};
    const int64_t iis[] = {-100, 2, 4, INT64_MIN};
    const fam_t fams[] = {F_CE, F_NLL, F_FOCAL};
    const double opts[] = {0, 0.2, 1}; /* ls for CE, gamma for focal */
    rng_state = 9;
    for (int e = 0; e < E; e++) x[e] = rng_uniform(-3, 3);
    for (size_t k = 0; k < sizeof iis / sizeof iis[0]; k++) {
        int64_t t[P];
        for (int i = 0; i < P; i++) t[i] = iis[k];
        for (size_t fi = 0; fi < 3; fi++) {
            for (size_t oi = 0; oi < 3; oi++) {
                if (fams[fi] == F_NLL && oi > 0) continue;
                for (int f32 = 0; f32 <= 1; f32++) {
                    for (int weighted = 0; weighted <= 1; weighted++) {
                        for (int r = 0; r < 3; r++) {
                            const double go1 = 2.0, gon[P] = {1, 2, 3, 4, 5, 6};
                            sm_args a = {fams[fi], x, t, NULL, weighted ? w : NULL, N, C, IN, iis[k], r,
                                         fams[fi] == F_CE ? opts[oi] : 0, fams[fi] == F_FOCAL ? opts[oi] * 2 : 0,
                                         r == 0 ? gon : &go1};
                            double out[P], g[E];
                            int ov;
                            char ctx[256];
                            describe(ctx, sizeof ctx, f32, &a);
                            losscore_status s = run_sm(f32, &a, out, g, &ov);
                            CHECK(s == LOSSCORE_OK && !ov, "%s all ignored: status %s (%s)", ctx, losscore_status_string(s),
                                  losscore_last_error());
                            int zero = 1;
                            for (int e = 0; e < E; e++) zero &= g[e] == 0;
                            CHECK(zero, "%s all ignored: the gradient must be all zeros (got e.g. %g)", ctx, g[0]);
                            if (r == LOSSCORE_REDUCTION_MEAN)
                                CHECK(isnan(out[0]), "%s all ignored: mean must be NaN, got %g", ctx, out[0]);
                            else if (r == LOSSCORE_REDUCTION_SUM)
                                CHECK(out[0] == 0, "%s all ignored: sum must be 0, got %g", ctx, out[0]);
                            else {
                                int z = 1;
                                for (int i = 0; i < P; i++) z &= out[i] == 0;
                                CHECK(z, "%s all ignored: none must be zeros, got %g", ctx, out[0]);
                            }
                        }
                    }
                }
            }
        }
    }
}

/* Empty batches: n = 0 or inner = 0 (data pointers may be NULL, and `out` too under NONE),
 * c = 0 without positions. MEAN NaN, SUM 0, NONE writes nothing; no gradient written. */
static void test_empty(void) {
    const struct { size_t n, c, inner; } shapes[] = {{0, 3, 1}, {0, 3, 4}, {5, 3, 0}, {0, 0, 1}, {4, 0, 0}, {0, 0, 0}};
    for (size_t k = 0; k < sizeof shapes / sizeof shapes[0]; k++) {
        for (int fam = 0; fam < NUM_FAMS; fam++) {
            for (int r = 0; r < 3; r++) {
                for (int weighted = 0; weighted <= 1; weighted++) {
                    const double w[3] = {1, 2, 3};
                    const float wf[3] = {1, 2, 3};
                    const double *wp = weighted && shapes[k].c ? w : NULL;
                    const float *wfp = weighted && shapes[k].c ? wf : NULL;
                    double out[2] = {SENTINEL, SENTINEL}, g[1] = {SENTINEL};
                    float outf[2] = {(float)SENTINEL, (float)SENTINEL}, gf[1] = {(float)SENTINEL};
                    losscore_status s = call64((fam_t)fam, NULL, NULL, NULL, wp, shapes[k].n, shapes[k].c, shapes[k].inner, -100, r,
                                               0.1, 2, out, NULL, g);
                    const char *e64 = losscore_last_error();
                    int clean64 = e64 && e64[0] == '\0';
                    losscore_status sf = call32((fam_t)fam, NULL, NULL, NULL, wfp, shapes[k].n, shapes[k].c, shapes[k].inner, -100,
                                                r, 0.1, 2, outf, NULL, gf);
                    char ctx[160];
                    snprintf(ctx, sizeof ctx, "%s empty (n=%zu c=%zu inner=%zu) %s w=%d", FAM_NAME[fam], shapes[k].n, shapes[k].c,
                             shapes[k].inner, RED_NAME[r], weighted);
                    CHECK(s == LOSSCORE_OK && sf == LOSSCORE_OK, "%s: status %s / %s (%s)", ctx, losscore_status_string(s),
                          losscore_status_string(sf), losscore_last_error());
                    CHECK(clean64 && strcmp(losscore_last_error(), "") == 0, "%s: last_error not \"\" after success", ctx);
                    if (r == LOSSCORE_REDUCTION_MEAN)
                        CHECK(isnan(out[0]) && isnan(outf[0]), "%s: mean of nothing must be NaN, got %g / %g", ctx, out[0],
                              (double)outf[0]);
                    else if (r == LOSSCORE_REDUCTION_SUM)
                        CHECK(out[0] == 0 && outf[0] == 0, "%s: sum of nothing must be 0, got %g / %g", ctx, out[0], (double)outf[0]);
                    else
                        CHECK(out[0] == SENTINEL && outf[0] == (float)SENTINEL, "%s: none of nothing must write nothing", ctx);
                    CHECK(out[1] == SENTINEL && g[0] == SENTINEL && outf[1] == (float)SENTINEL && gf[0] == (float)SENTINEL,
                          "%s: wrote past out or into grad_input", ctx);
                }
            }
            /* NONE with no positions: out may be NULL. */
            losscore_status s = call64((fam_t)fam, NULL, NULL, NULL, NULL, shapes[k].n, shapes[k].c, shapes[k].inner, -100,
                                       LOSSCORE_REDUCTION_NONE, 0, 0, NULL, NULL, NULL);
            losscore_status sf = call32((fam_t)fam, NULL, NULL, NULL, NULL, shapes[k].n, shapes[k].c, shapes[k].inner, -100,
                                        LOSSCORE_REDUCTION_NONE, 0, 0, NULL, NULL, NULL);
            CHECK(s == LOSSCORE_OK && sf == LOSSCORE_OK, "%s empty (n=%zu c=%zu inner=%zu) none with out = NULL: %s / %s", FAM_NAME[fam],
                  shapes[k].n, shapes[k].c, shapes[k].inner, losscore_status_string(s), losscore_status_string(sf));
        }
    }
}

/* Scores of +-800: every loss and gradient is finite and matches the reference. */
static void test_extreme_logits(void) {
    enum { N = 6, C = 3, P = N, E = N * C };
    const double x[E] = {800, -800, 0, -800, 800, -800, 800, 800, -800, -800, -800, -800, 800, -800, -800, 0, 800, -800};
    const int64_t t[P] = {0, 0, 1, 2, 0, 1};
    double tp[E];
    for (int i = 0; i < P; i++)
        for (int j = 0; j < C; j++) tp[i * C + j] = j == t[i] ? 1.0 : 0.0;
    const double w[C] = {0.5, 2, 1};
    const double gammas[] = {0, 0.5, 2};
    for (int fam = 0; fam < NUM_FAMS; fam++) {
        for (int oi = 0; oi < 3; oi++) {
            if ((fam == F_NLL && oi > 0)) continue;
            double ls = has_smoothing((fam_t)fam) ? (oi == 0 ? 0 : oi == 1 ? 0.2 : 1) : 0;
            double gamma = fam == F_FOCAL ? gammas[oi] : 0;
            for (int f32 = 0; f32 <= 1; f32++) {
                for (int weighted = 0; weighted <= 1; weighted++) {
                    for (int r = 0; r < 3; r++) {
                        sm_args a = {(fam_t)fam, x, t, tp, weighted ? w : NULL, N, C, 1, -100, r, ls, gamma, NULL};
                        double out[P], g[E], want[P], wg[E];
                        int ov;
                        char ctx[256];
                        describe(ctx, sizeof ctx, f32, &a);
                        ref_sm(&a, want, wg);
                        losscore_status s = run_sm(f32, &a, out, g, &ov);
                        size_t outn = r == 0 ? P : 1;
                        CHECK(s == LOSSCORE_OK, "%s +-800: status %s", ctx, losscore_status_string(s));
                        CHECK(all_finite(out, outn) && all_finite(g, E), "%s +-800: non-finite result (loss[0] %g, grad %g %g %g)", ctx,
                              out[0], g[0], g[1], g[2]);
                        long bad = mismatch(out, want, outn, 1e-6, 1e-6);
                        CHECK(bad < 0, "%s +-800: loss[%ld] = %.17g, expected %.17g", ctx, bad, bad < 0 ? 0 : out[bad],
                              bad < 0 ? 0 : want[bad]);
                        bad = mismatch(g, wg, E, 1e-6, 1e-6);
                        CHECK(bad < 0, "%s +-800: grad[%ld] = %.17g, expected %.17g", ctx, bad, bad < 0 ? 0 : g[bad],
                              bad < 0 ? 0 : wg[bad]);
                    }
                }
            }
        }
    }
}

/* Focal loss where p_t -> 1 (the target's score d above the others): finite values and
 * gradients for every gamma, and accurate to the precision the inputs allow. */
static void test_focal_pt_to_one(void) {
    const double ds[] = {2, 5, 10, 17, 20, 40, 80, 120, 800};
    const double gammas[] = {0, 0.25, 0.5, 1, 2, 3};
    for (size_t di = 0; di < sizeof ds / sizeof ds[0]; di++) {
        for (size_t gi = 0; gi < sizeof gammas / sizeof gammas[0]; gi++) {
            for (int f32 = 0; f32 <= 1; f32++) {
                for (int r = 0; r < 3; r++) {
                    const double d = ds[di], x[8] = {d, 0, 0, 0, -0.5, d, 1, 0};
                    const int64_t t[2] = {0, 1};
                    const double w[4] = {1.5, 0.5, 1, 2};
                    sm_args a = {F_FOCAL, x, t, NULL, w, 2, 4, 1, -100, r, 0, gammas[gi], NULL};
                    double out[2], g[8], want[2], wg[8];
                    int ov;
                    ref_sm(&a, want, wg);
                    losscore_status s = run_sm(f32, &a, out, g, &ov);
                    size_t outn = r == 0 ? 2 : 1;
                    char ctx[256];
                    describe(ctx, sizeof ctx, f32, &a);
                    CHECK(s == LOSSCORE_OK, "%s d=%g: status %s", ctx, d, losscore_status_string(s));
                    CHECK(all_finite(out, outn) && all_finite(g, 8), "%s d=%g (p_t -> 1): non-finite loss %g or grad %g %g %g %g", ctx,
                          d, out[0], g[0], g[1], g[2], g[3]);
                    /* Error bound: log p_t = x_t - lse is known to about eps * |d| absolutely; the
                     * factor (1 - p_t)^gamma to a few ulps. Gradients are O(1) quantities. */
                    double eps = f32 ? FLT_EPSILON : DBL_EPSILON, q = 3 * exp(-d) / (1 + 3 * exp(-d));
                    double loss_abs = 16 * eps * (d + 2) * pow(q, gammas[gi]) * 2.0 * 1.5;
                    int ok = 1;
                    for (size_t i = 0; i < outn; i++) ok &= close_to(out[i], want[i], 16 * eps, loss_abs);
                    CHECK(ok, "%s d=%g: loss %.17g, expected %.17g", ctx, d, out[0], want[0]);
                    /* The gradient's A = (1 - p_t)^gamma (1 - gamma p_t log p_t / (1 - p_t)) inherits
                     * the error of log p_t divided by 1 - p_t, times (1 - p_t): about
                     * gamma eps |d| (1 - p_t)^gamma absolutely; gamma = 0 is p - onehot. */
                    double grad_abs = 16 * eps * (d + 2) * (1 + gammas[gi]) * pow(q, gammas[gi]) * 3.0 + 16 * eps * q;
                    long bad = -1;
                    for (int e = 0; e < 8 && bad < 0; e++)
                        if (!close_to(g[e], wg[e], 16 * eps, grad_abs)) bad = e;
                    CHECK(bad < 0, "%s d=%g: grad[%ld] = %.17g, expected %.17g", ctx, d, bad, bad < 0 ? 0 : g[bad],
                          bad < 0 ? 0 : wg[bad]);
                    /* p_t -> 1 exactly (d = 800): loss 0 and, for gamma > 0, gradient 0. */
                    if (d == 800 && r == 0) {
                        CHECK(out[0] == 0, "%s: loss at p_t = 1 must be 0, got %g", ctx, out[0]);
                        CHECK(g[0] == 0 && g[1] == 0 && g[2] == 0 && g[3] == 0, "%s: gradient at p_t = 1 must be 0, got %g %g %g %g",
                              ctx, g[0], g[1], g[2], g[3]);
                    }
                }
            }
        }
    }
}

/* NaN scores are data, not errors: they propagate into their position only. */
static void test_nan_data(void) {
    const double x[9] = {1, 2, 3, NAN, 0, 1, -1, 0.5, 2};
    const int64_t t[3] = {2, 0, 1};
    double tp[9] = {0, 0, 1, 1, 0, 0, 0, 1, 0};
    for (int fam = 0; fam < NUM_FAMS; fam++) {
        for (int f32 = 0; f32 <= 1; f32++) {
            sm_args a = {(fam_t)fam, x, t, tp, NULL, 3, 3, 1, -100, LOSSCORE_REDUCTION_NONE, 0, 2, NULL};
            double out[3], g[9], want[3], wg[9];
            int ov;
            ref_sm(&a, want, wg);
            losscore_status s = run_sm(f32, &a, out, g, &ov);
            double tol = f32 ? 1e-6 : 1e-14;
            CHECK(s == LOSSCORE_OK, "%s_%s with a NaN score: status %s (NaN is data)", FAM_NAME[fam], f32 ? "f32" : "f64",
                  losscore_status_string(s));
            CHECK(isnan(out[1]) && close_to(out[0], want[0], tol, tol) && close_to(out[2], want[2], tol, tol),
                  "%s_%s with a NaN score: losses %g %g %g, expected %g NaN %g", FAM_NAME[fam], f32 ? "f32" : "f64", out[0], out[1],
                  out[2], want[0], want[2]);
            int ok = 1;
            for (int e = 0; e < 9; e++)
                if (e / 3 != 1) ok &= close_to(g[e], wg[e], tol, tol);
            CHECK(ok, "%s_%s with a NaN score: the other rows' gradients changed", FAM_NAME[fam], f32 ? "f32" : "f64");
            a.red = LOSSCORE_REDUCTION_SUM;
            s = run_sm(f32, &a, out, g, &ov);
            CHECK(s == LOSSCORE_OK && isnan(out[0]), "%s_%s sum with a NaN score: %g", FAM_NAME[fam], f32 ? "f32" : "f64", out[0]);
        }
    }
}


/* Wide rows (the library's vectorized float exp) whose scores reach far outside the range
 * of expf: every difference to the row maximum, however large, must give a finite loss and
 * gradient that match the reference to the precision the inputs allow (eps * max|x|). */
static void test_wide_range(void) {
    static const double pool[] = {-800, -100, -90, -88.75, -88, -87.5, -87.25, -50, -20, 0, 2.5, 20,
                                  50,   86.5, 87.25, 88.5, 88.75, 89, 100, 400, 800};
    const int np = sizeof pool / sizeof pool[0];
    const layout_t shapes[] = {{4, 37, 1, ""}, {3, 300, 1, ""}, {2, 16, 1, ""}, {2, 17, 1, ""}, {2, 37, 5, ""}, {3, 20, 70, ""}};
    const config_t cfgs[] = {{F_CE, 0, 0}, {F_CE, 0.2, 0}, {F_PROBS, 0.1, 0}, {F_NLL, 0, 0}, {F_FOCAL, 0, 0.5}, {F_FOCAL, 0, 2}};
    for (size_t k = 0; k < sizeof shapes / sizeof shapes[0]; k++) {
        size_t n = shapes[k].n, c = shapes[k].c, inner = shapes[k].inner, P = n * inner, E = P * c;
        double *x = malloc(E * sizeof *x), *tp = malloc(E * sizeof *tp), *w = malloc(c * sizeof *w);
        int64_t *t = malloc(P * sizeof *t);
        double *out = malloc(P * sizeof *out), *g = malloc(E * sizeof *g), *want = malloc(P * sizeof *want),
               *wg = malloc(E * sizeof *wg);
        for (int variant = 0; variant < 3; variant++) {
            rng_state = 8080 + 10 * k + variant;
            fill_data(n, c, inner, x, t, tp, -100, 0.1);
            /* variant 0: pool values everywhere; 1: half pool, half small; 2: one huge score per row. */
            for (size_t e = 0; e < E; e++)
                if (variant == 0 || (variant == 1 && rng_next() % 2)) x[e] = pool[rng_next() % np];
            if (variant == 2)
                for (size_t pos = 0; pos < P; pos++)
                    x[(pos / inner) * c * inner + (rng_next() % c) * inner + pos % inner] = pool[np - 1 - (int)(rng_next() % 4)];
            for (size_t j = 0; j < c; j++) w[j] = rng_uniform(0.5, 2);
            double xmax = 0;
            for (size_t e = 0; e < E; e++) xmax = fmax(xmax, fabs(x[e]));
            for (size_t ci = 0; ci < sizeof cfgs / sizeof cfgs[0]; ci++) {
                for (int f32 = 0; f32 <= 1; f32++) {
                    for (int r = 0; r < 3; r++) {
                        sm_args a = {cfgs[ci].fam, x, t, tp, (r + variant) % 2 ? w : NULL, n, c, inner, -100, r, cfgs[ci].ls,
                                     cfgs[ci].gamma, NULL};
                        double divisor = ref_sm(&a, want, wg);
                        size_t outn = outn_of(&a);
                        int ov;
                        losscore_status s = run_sm(f32, &a, out, g, &ov);
                        char ctx[256];
                        describe(ctx, sizeof ctx, f32, &a);
                        double tol = 8 * (f32 ? FLT_EPSILON : DBL_EPSILON) * (1 + xmax);
                        CHECK(s == LOSSCORE_OK && !ov, "%s variant %d: status %s", ctx, variant, losscore_status_string(s));
                        CHECK(all_finite(out, outn) && all_finite(g, E), "%s variant %d: non-finite results", ctx, variant);
                        long bad = mismatch(out, want, outn, tol, tol);
                        CHECK(bad < 0, "%s variant %d: loss[%ld] = %.17g, expected %.17g", ctx, variant, bad, bad < 0 ? 0 : out[bad],
                              bad < 0 ? 0 : want[bad]);
                        bad = mismatch_floor(g, wg, E, tol, tol, grad_floor(&a, divisor, tol));
                        CHECK(bad < 0, "%s variant %d: grad[%ld] = %.17g, expected %.17g", ctx, variant, bad, bad < 0 ? 0 : g[bad],
                              bad < 0 ? 0 : wg[bad]);
                    }
                }
            }
        }
        free(x), free(tp), free(w), free(t), free(out), free(g), free(want), free(wg);
    }
}

/* Masked classes: a score of -inf in a class that is not the target has probability 0.
 * Without label smoothing the loss is finite (torch skips the smoothing term); with it the
 * smoothing term is +inf, while the gradient stays finite. */
static void test_masked_scores(void) {
    const double ninf = -INFINITY;
    const double x[] = {ninf, 0, 1, 2, ninf, ninf, 0.5, -1, ninf, 3, 1, 0.25};
    const int64_t t[] = {1, 0, 1, 2};
    const double w[] = {1, 2, 0.5};
    for (int fam = 0; fam < NUM_FAMS; fam++) {
        if (fam == F_PROBS) continue; /* 0 * log 0 is NaN for probabilities, as in torch */
        for (int oi = 0; oi < 2; oi++) {
            double ls = fam == F_CE && oi ? 0.2 : 0, gamma = fam == F_FOCAL ? (oi ? 2 : 0.5) : 0;
            if (fam == F_NLL && oi) continue;
            for (int f32 = 0; f32 <= 1; f32++) {
                for (int r = 0; r < 3; r++) {
                    for (int weighted = 0; weighted <= 1; weighted++) {
                        sm_args a = {(fam_t)fam, x, t, NULL, weighted ? w : NULL, 4, 3, 1, -100, r, ls, gamma, NULL};
                        double out[4], g[12], want[4], wg[12];
                        int ov;
                        ref_sm(&a, want, wg);
                        losscore_status s = run_sm(f32, &a, out, g, &ov);
                        char ctx[256];
                        describe(ctx, sizeof ctx, f32, &a);
                        size_t outn = outn_of(&a);
                        double tol = f32 ? 2e-6 : 1e-13;
                        CHECK(s == LOSSCORE_OK, "%s -inf scores: status %s", ctx, losscore_status_string(s));
                        int ok = 1;
                        for (size_t i = 0; i < outn; i++) ok &= close_to(out[i], want[i], tol, tol);
                        CHECK(ok, "%s -inf scores: loss %.17g %.17g %.17g %.17g, expected %.17g %.17g %.17g %.17g", ctx, out[0],
                              outn > 1 ? out[1] : 0, outn > 2 ? out[2] : 0, outn > 3 ? out[3] : 0, want[0], outn > 1 ? want[1] : 0,
                              outn > 2 ? want[2] : 0, outn > 3 ? want[3] : 0);
                        long bad = mismatch(g, wg, 12, tol, tol);
                        CHECK(all_finite(g, 12) && bad < 0, "%s -inf scores: grad[%ld] = %.17g, expected %.17g (finite)", ctx, bad,
                              bad < 0 ? g[0] : g[bad], bad < 0 ? wg[0] : wg[bad]);
                    }
                }
            }
        }
    }
}

/* Ignored positions have gradient 0 whatever grad_output holds there (torch never reads
 * it: the backward of nll_loss skips them). */
static void test_ignored_grad_output(void) {
    enum { N = 4, C = 3, P = N, E = N * C };
    const double x[E] = {1, 2, 3, -1, 0, 1, 0.5, 0.5, 0, 2, -2, 1};
    const int64_t t[P] = {2, -100, 0, -100};
    const double go[P] = {1.5, NAN, -2, INFINITY};
    for (int fam = 0; fam < NUM_FAMS; fam++) {
        if (fam == F_PROBS) continue;
        for (int f32 = 0; f32 <= 1; f32++) {
            sm_args a = {(fam_t)fam, x, t, NULL, NULL, N, C, 1, -100, LOSSCORE_REDUCTION_NONE, fam == F_CE ? 0.1 : 0, 2, go};
            double out[P], g[E], want[P], wg[E];
            int ov;
            ref_sm(&a, want, wg);
            losscore_status s = run_sm(f32, &a, out, g, &ov);
            double tol = f32 ? 2e-6 : 1e-13;
            CHECK(s == LOSSCORE_OK && out[1] == 0 && out[3] == 0, "%s_%s: ignored positions' loss must be 0: %g %g", FAM_NAME[fam],
                  f32 ? "f32" : "f64", out[1], out[3]);
            CHECK(g[3] == 0 && g[4] == 0 && g[5] == 0 && g[9] == 0 && g[10] == 0 && g[11] == 0,
                  "%s_%s: ignored positions with grad_output NaN / inf must get gradient 0, got %g %g %g / %g %g %g", FAM_NAME[fam],
                  f32 ? "f32" : "f64", g[3], g[4], g[5], g[9], g[10], g[11]);
            CHECK(mismatch(g, wg, E, tol, tol) < 0, "%s_%s: gradient with grad_output NaN at ignored positions", FAM_NAME[fam],
                  f32 ? "f32" : "f64");
        }
    }
}

/* Concurrent calls from four threads give the single-threaded results, and each thread's
 * last_error is its own. */
enum { CN = 20011, CC = 10, CE = CN * CC };
static float conc_x[CE], conc_w[CC];
static int64_t conc_t[CN];

typedef struct {
    int fam;
    float loss, grad_last;
    int ok;
    char msg[256];
} conc_result;

static void *conc_thread(void *arg) {
    conc_result *r = arg;
    float *g = malloc(CE * sizeof *g);
    losscore_status s = call32((fam_t)r->fam, conc_x, conc_t, conc_x, conc_w, CN, CC, 1, 3, LOSSCORE_REDUCTION_MEAN, 0.1, 1.5,
                               &r->loss, NULL, g);
    r->ok = s == LOSSCORE_OK && strcmp(losscore_last_error(), "") == 0;
    r->grad_last = g[CE - 1];
    free(g);
    /* An error on this thread. */
    float v;
    s = call32((fam_t)r->fam, conc_x, conc_t, conc_x, conc_w, CN, CC, 1, 3, (losscore_reduction)9, 0.1, 1.5, &v, NULL, NULL);
    r->ok &= s == LOSSCORE_ERROR_INVALID_ARGUMENT;
    snprintf(r->msg, sizeof r->msg, "%s", losscore_last_error());
    return NULL;
}

static void test_concurrency(void) {
    rng_state = 3131;
    for (int e = 0; e < CE; e++) conc_x[e] = (float)rng_uniform(-4, 4);
    for (int j = 0; j < CC; j++) conc_w[j] = (float)rng_uniform(0.5, 2);
    for (int i = 0; i < CN; i++) conc_t[i] = (int64_t)(rng_next() % CC);
    float *g = malloc(CE * sizeof *g);
    for (int fam = 0; fam < NUM_FAMS; fam++) {
        float want;
        losscore_status s = call32((fam_t)fam, conc_x, conc_t, conc_x, conc_w, CN, CC, 1, 3, LOSSCORE_REDUCTION_MEAN, 0.1, 1.5,
                                   &want, NULL, g);
        CHECK(s == LOSSCORE_OK, "%s concurrency setup: %s", FAM_NAME[fam], losscore_last_error());
        /* This thread's own error (out = NULL) must survive the other threads' calls. */
        char mine[256];
        s = call32((fam_t)fam, conc_x, conc_t, conc_x, conc_w, CN, CC, 1, 3, LOSSCORE_REDUCTION_MEAN, 0.1, 1.5, NULL, NULL, NULL);
        snprintf(mine, sizeof mine, "%s", losscore_last_error());
        pthread_t th[4];
        conc_result rs[4];
        memset(rs, 0, sizeof rs);
        for (int i = 0; i < 4; i++) rs[i].fam = fam, pthread_create(&th[i], NULL, conc_thread, &rs[i]);
        for (int i = 0; i < 4; i++) pthread_join(th[i], NULL);
        int ok = 1;
        for (int i = 0; i < 4; i++)
            ok &= rs[i].ok && memcmp(&rs[i].loss, &want, sizeof want) == 0 && rs[i].grad_last == g[CE - 1] &&
                  contains(rs[i].msg, "reduction");
        CHECK(ok, "%s_f32: 4 concurrent calls differ from a single call (or lost their own error: \"%s\")", FAM_NAME[fam], rs[0].msg);
        CHECK(s != LOSSCORE_OK && strcmp(losscore_last_error(), mine) == 0 && contains(mine, "out"),
              "%s: another thread's calls changed this thread's last_error: \"%s\"", FAM_NAME[fam], losscore_last_error());
    }
    free(g);
}

/* ------------------------------------------------------------------------ */
/* Errors                                                                     */
/* ------------------------------------------------------------------------ */

/* A call on small buffers (n = 2, c = 3, inner = 2 unless overridden) with some arguments
 * replaced. */
typedef struct {
    fam_t fam;
    int null_input, null_target, null_out;
    int sizes; /* use n, c, inner below instead of 2, 3, 2 */
    size_t n, c, inner;
    int red;
    int64_t ii;
    double ls, gamma;
    int bad_target; /* target[3] = bad_value */
    int64_t bad_value;
    int all_ignored; /* every target = ii */
    int with_weight, with_grad;
} err_spec;

enum { EN = 2, EC = 3, EI = 2, EP = EN * EI, EE = EN * EC * EI, EBUF = 16 };

/* Makes the call; returns its status. *moved is set if out or grad_input changed. */
static losscore_status err_call(int f32, const err_spec *z, int *moved) {
    static const double x[EBUF] = {1, 2, 3, 4, 5, 6, -1, -2, 0.5, 0, 2, 1, 0, 0, 0, 0};
    static const double tp[EBUF] = {0.2, 0.3, 0.5, 1, 0, 0, 0.1, 0.1, 0.8, 0, 1, 0, 0, 0, 0, 0};
    static const double w[EBUF] = {1, 2, 0.5, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
    static const double go[EBUF] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
    float xf[EBUF], tpf[EBUF], wf[EBUF], gof[EBUF];
    for (int i = 0; i < EBUF; i++) xf[i] = (float)x[i], tpf[i] = (float)tp[i], wf[i] = (float)w[i], gof[i] = (float)go[i];
    int64_t t[EBUF] = {0, 2, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    if (z->all_ignored)
        for (int i = 0; i < EBUF; i++) t[i] = z->ii;
    if (z->bad_target) t[EP - 1] = z->bad_value;
    double out[EBUF], g[EBUF];
    float outf[EBUF], gf[EBUF];
    for (int i = 0; i < EBUF; i++) out[i] = g[i] = SENTINEL, outf[i] = gf[i] = (float)SENTINEL;
    size_t n = z->sizes ? z->n : EN, c = z->sizes ? z->c : EC, inner = z->sizes ? z->inner : EI;
    losscore_status s;
    if (f32)
        s = call32(z->fam, z->null_input ? NULL : xf, z->null_target ? NULL : t, z->null_target ? NULL : tpf,
                   z->with_weight ? wf : NULL, n, c, inner, z->ii, z->red, z->ls, z->gamma, z->null_out ? NULL : outf, gof,
                   z->with_grad ? gf : NULL);
    else
        s = call64(z->fam, z->null_input ? NULL : x, z->null_target ? NULL : t, z->null_target ? NULL : tp,
                   z->with_weight ? w : NULL, n, c, inner, z->ii, z->red, z->ls, z->gamma, z->null_out ? NULL : out, go,
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

#define REFUSED(f32, spec, want, needle, what) expect_refused(f32, spec, want, needle, what, __LINE__)

static void test_errors(void) {
    char what[128], needle[64];
    for (int fam = 0; fam < NUM_FAMS; fam++) {
        fam_t f = (fam_t)fam;
        const double ok_ls = has_smoothing(f) ? 0.1 : 0, ok_gamma = f == F_FOCAL ? 2 : 0;
#define SPEC(...) ((err_spec){.fam = f, .ii = -100, .ls = ok_ls, .gamma = ok_gamma, .with_grad = 1, __VA_ARGS__})
        for (int f32 = 0; f32 <= 1; f32++) {
            /* The defaults succeed (so every refusal below is due to the one change). */
            int moved;
            losscore_status s = err_call(f32, &SPEC(.red = 1, .with_weight = 1), &moved);
            CHECK(s == LOSSCORE_OK && moved && strcmp(losscore_last_error(), "") == 0, "%s_%s: the base call must succeed: %s (%s)",
                  FAM_NAME[fam], f32 ? "f32" : "f64", losscore_status_string(s), losscore_last_error());

            for (int r = 0; r < 3; r++) {
                for (int wg = 0; wg <= 1; wg++) {
                    REFUSED(f32, SPEC(.null_input = 1, .red = r, .with_weight = wg), LOSSCORE_ERROR_NULL_POINTER, "input",
                            "input = NULL");
                    REFUSED(f32, SPEC(.null_target = 1, .red = r, .with_weight = wg), LOSSCORE_ERROR_NULL_POINTER, "target",
                            "target = NULL");
                    REFUSED(f32, SPEC(.null_out = 1, .red = r, .with_weight = wg), LOSSCORE_ERROR_NULL_POINTER, "out", "out = NULL");
                    REFUSED(f32, SPEC(.null_out = 1, .red = r, .with_weight = wg, .with_grad = 0), LOSSCORE_ERROR_NULL_POINTER,
                            "out", "out = NULL, no gradient");
                }
                /* c = 0 while there are positions (targets all ignore_index, so only the shape is wrong). */
                REFUSED(f32, SPEC(.sizes = 1, .n = 2, .c = 0, .inner = 2, .red = r, .all_ignored = 1), LOSSCORE_ERROR_SHAPE, "c",
                        "c = 0 with n = 2, inner = 2");
                REFUSED(f32, SPEC(.sizes = 1, .n = 1, .c = 0, .inner = 1, .red = r, .all_ignored = 1), LOSSCORE_ERROR_SHAPE, "c",
                        "c = 0 with n = 1 (unbatched)");
                /* Out-of-range targets (the last position), with ignore_index elsewhere. */
                if (has_index_target(f)) {
                    const struct { int64_t t, ii; } bad[] = {
                        {-1, -100}, {3, -100}, {4, -100}, {INT64_MAX, -100}, {INT64_MIN, -100}, {-100, -1},
                        {3, 1},     {-1, 3},   {1000000007, -100}, {INT64_MIN + 1, INT64_MIN}};
                    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
                        for (int wg = 0; wg <= 1; wg++) {
                            snprintf(what, sizeof what, "target = %lld, c = 3, ignore_index = %lld", (long long)bad[k].t,
                                     (long long)bad[k].ii);
                            snprintf(needle, sizeof needle, "%lld", (long long)bad[k].t);
                            REFUSED(f32, SPEC(.red = r, .ii = bad[k].ii, .bad_target = 1, .bad_value = bad[k].t, .with_weight = wg),
                                    LOSSCORE_ERROR_INDEX, "target", what);
                            REFUSED(f32, SPEC(.red = r, .ii = bad[k].ii, .bad_target = 1, .bad_value = bad[k].t, .with_weight = wg),
                                    LOSSCORE_ERROR_INDEX, needle, what);
                            /* ... also when every other position is ignored. */
                            REFUSED(f32, SPEC(.red = r, .ii = bad[k].ii, .all_ignored = 1, .bad_target = 1, .bad_value = bad[k].t,
                                              .with_weight = wg, .with_grad = wg),
                                    LOSSCORE_ERROR_INDEX, "target", what);
                        }
                    }
                }
            }
            /* A reduced result always needs `out`, even for an empty batch. */
            for (int r = 1; r <= 2; r++)
                REFUSED(f32, SPEC(.null_input = 1, .null_target = 1, .null_out = 1, .sizes = 1, .n = 0, .c = 3, .inner = 1, .red = r),
                        LOSSCORE_ERROR_NULL_POINTER, "out", "n = 0, reduced, out = NULL");
            /* Unknown reductions (also for an empty batch). */
            const int bad_red[] = {3, 7, -1, INT_MAX, INT_MIN};
            for (size_t k = 0; k < sizeof bad_red / sizeof bad_red[0]; k++) {
                snprintf(what, sizeof what, "reduction = %d", bad_red[k]);
                REFUSED(f32, SPEC(.red = bad_red[k]), LOSSCORE_ERROR_INVALID_ARGUMENT, "reduction", what);
                REFUSED(f32, SPEC(.red = bad_red[k], .sizes = 1, .n = 0, .c = 3, .inner = 1), LOSSCORE_ERROR_INVALID_ARGUMENT,
                        "reduction", "unknown reduction, n = 0");
            }
            REFUSED(f32, SPEC(.red = 7), LOSSCORE_ERROR_INVALID_ARGUMENT, "7", "reduction = 7 (value in the message)");
            /* label_smoothing outside [0, 1]. */
            if (has_smoothing(f)) {
                const double bad_ls[] = {-0.1, -1e-300, 1.0000001, 2, NAN, INFINITY, -INFINITY};
                for (size_t k = 0; k < sizeof bad_ls / sizeof bad_ls[0]; k++) {
                    for (int r = 0; r < 3; r++) {
                        snprintf(what, sizeof what, "label_smoothing = %g", bad_ls[k]);
                        REFUSED(f32, SPEC(.red = r, .ls = bad_ls[k]), LOSSCORE_ERROR_INVALID_ARGUMENT, "label_smoothing", what);
                    }
                    REFUSED(f32, SPEC(.red = 1, .ls = bad_ls[k], .sizes = 1, .n = 0, .c = 3, .inner = 1),
                            LOSSCORE_ERROR_INVALID_ARGUMENT, "label_smoothing", "bad label_smoothing with n = 0");
                }
            }
            /* gamma < 0, NaN or infinite. */
            if (f == F_FOCAL) {
                const double bad_g[] = {-1, -1e-300, -INFINITY, NAN, INFINITY};
                for (size_t k = 0; k < sizeof bad_g / sizeof bad_g[0]; k++) {
                    for (int r = 0; r < 3; r++) {
                        snprintf(what, sizeof what, "gamma = %g", bad_g[k]);
                        REFUSED(f32, SPEC(.red = r, .gamma = bad_g[k]), LOSSCORE_ERROR_INVALID_ARGUMENT, "gamma", what);
                    }
                    REFUSED(f32, SPEC(.red = 2, .gamma = bad_g[k], .sizes = 1, .n = 0, .c = 3, .inner = 1),
                            LOSSCORE_ERROR_INVALID_ARGUMENT, "gamma", "bad gamma with n = 0");
                }
            }

            /* The message names the entry point; a success clears it. */
            s = err_call(f32, &SPEC(.null_input = 1, .red = 1), &moved);
            char fn[64];
            snprintf(fn, sizeof fn, "losscore_%s_%s", FAM_NAME[fam], f32 ? "f32" : "f64");
            CHECK(s == LOSSCORE_ERROR_NULL_POINTER && contains(losscore_last_error(), fn), "last_error \"%s\" should name %s",
                  losscore_last_error(), fn);
            s = err_call(f32, &SPEC(.red = 0), &moved);
            CHECK(s == LOSSCORE_OK && strcmp(losscore_last_error(), "") == 0, "%s: last_error after success: \"%s\"", fn,
                  losscore_last_error());
        }
#undef SPEC
    }
    /* Good edge options are accepted: label_smoothing 0 and 1, gamma 0 and large, any ignore_index. */
    int moved;
    CHECK(err_call(0, &(err_spec){.fam = F_CE, .ii = INT64_MAX, .ls = 1, .red = 1}, &moved) == LOSSCORE_OK, "CE ls = 1");
    CHECK(err_call(1, &(err_spec){.fam = F_PROBS, .ii = -100, .ls = 0, .red = 2}, &moved) == LOSSCORE_OK, "probs ls = 0");
    CHECK(err_call(0, &(err_spec){.fam = F_FOCAL, .ii = -100, .gamma = 0, .red = 0, .with_grad = 1}, &moved) == LOSSCORE_OK,
          "focal gamma = 0");
    CHECK(err_call(1, &(err_spec){.fam = F_FOCAL, .ii = -100, .gamma = 50, .red = 1, .with_grad = 1}, &moved) == LOSSCORE_OK,
          "focal gamma = 50");
}

/* ------------------------------------------------------------------------ */
/* Sizes whose products overflow: run in child processes                      */
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
    snprintf(ctx, sizeof ctx, "losscore_%s_%s (%s; n=%zu c=%zu inner=%zu)", FAM_NAME[z.fam], f32 ? "f32" : "f64", what, z.n, z.c,
             z.inner);
    child_spec = z;
    child_f32 = f32;
    run_isolated_msg(ctx, child_call, want, needle, line);
}

#define ISOLATED(f32, spec, want, needle, what) isolated(f32, spec, want, needle, what, __LINE__)

static void test_size_overflow(void) {
    const size_t two32 = (size_t)1 << 32, two31 = (size_t)1 << 31;
    for (int fam = 0; fam < NUM_FAMS; fam++) {
        fam_t f = (fam_t)fam;
        for (int f32 = 0; f32 <= 1; f32++) {
            size_t esize = f32 ? sizeof(float) : sizeof(double);
            for (int r = 0; r <= 1; r++) {
#define SPEC(...) ((err_spec){.fam = f, .ii = -100, .ls = 0, .gamma = 2, .with_grad = 1, .sizes = 1, .red = r, __VA_ARGS__})
                /* Single sizes that no buffer can have. */
                ISOLATED(f32, SPEC(.n = SIZE_MAX, .c = 3, .inner = 1), LOSSCORE_ERROR_SHAPE, "n", "n = SIZE_MAX");
                ISOLATED(f32, SPEC(.n = 2, .c = SIZE_MAX, .inner = 1), LOSSCORE_ERROR_SHAPE, "c", "c = SIZE_MAX");
                ISOLATED(f32, SPEC(.n = 2, .c = 3, .inner = SIZE_MAX), LOSSCORE_ERROR_SHAPE, "inner", "inner = SIZE_MAX");
                ISOLATED(f32, SPEC(.n = 1, .c = 1, .inner = SIZE_MAX / 2 + 1), LOSSCORE_ERROR_SHAPE, "inner", "inner = 2^63");
                /* n * c * inner wraps around: 2^64 = 0, 3 * 2^62, ... */
                ISOLATED(f32, SPEC(.n = two32, .c = two32, .inner = 1), LOSSCORE_ERROR_SHAPE, "n * c * inner", "n * c = 2^64");
                ISOLATED(f32, SPEC(.n = 1, .c = two32, .inner = two32), LOSSCORE_ERROR_SHAPE, "n * c * inner", "c * inner = 2^64");
                ISOLATED(f32, SPEC(.n = 3, .c = (size_t)1 << 62, .inner = 1), LOSSCORE_ERROR_SHAPE, "n * c * inner",
                         "n * c = 3 * 2^62");
                ISOLATED(f32, SPEC(.n = two32 + 1, .c = two32 - 1, .inner = 1), LOSSCORE_ERROR_SHAPE, "n * c * inner",
                         "n * c = 2^64 - 1");
                /* ... or exceeds PTRDIFF_MAX while fitting in size_t. */
                ISOLATED(f32, SPEC(.n = two32, .c = two31 + 1, .inner = 1), LOSSCORE_ERROR_SHAPE, "n * c * inner",
                         "n * c = 2^63 + 2^32");
                /* n * inner (positions) overflows. */
                ISOLATED(f32, SPEC(.n = two32, .c = 1, .inner = two32), LOSSCORE_ERROR_SHAPE, "n * inner|n * c * inner",
                         "n * inner = 2^64");
                ISOLATED(f32, SPEC(.n = SIZE_MAX / 2, .c = 1, .inner = 3), LOSSCORE_ERROR_SHAPE, "n", "n * inner overflows");
                /* The element count fits, its size in bytes does not. */
                ISOLATED(f32, SPEC(.n = two31, .c = two31, .inner = 1), LOSSCORE_ERROR_SHAPE, "n * c * inner",
                         "n * c * inner = 2^62 elements");
                ISOLATED(f32, SPEC(.n = ((size_t)1 << 63) / esize / 4, .c = 2, .inner = 2), LOSSCORE_ERROR_SHAPE, "n * c * inner|n * inner",
                         "n * c * inner * sizeof = 2^63 bytes");
                ISOLATED(f32, SPEC(.n = 2, .c = 2, .inner = ((size_t)1 << 63) / esize / 4), LOSSCORE_ERROR_SHAPE, "n * c * inner|n * inner",
                         "K-dim: n * c * inner * sizeof = 2^63 bytes");
                /* float scores, int64 targets: the scores fit, the targets do not. */
                if (f32 && has_index_target(f))
                    ISOLATED(f32, SPEC(.n = ((size_t)1 << 60) + 1, .c = 1, .inner = 1), LOSSCORE_ERROR_SHAPE, "n * inner|target",
                             "n * inner * sizeof(int64_t) > 2^63 bytes");
#undef SPEC
            }
        }
    }
}

/* ------------------------------------------------------------------------ */
/* Large inputs: thread-count independence and float accuracy                 */
/* ------------------------------------------------------------------------ */

static void test_large(void) {
    const struct { size_t n, c, inner; } shapes[] = {{70001, 4, 1}, {3, 4, 30011}};
    const config_t cfgs[] = {{F_CE, 0.1, 0}, {F_PROBS, 0.1, 0}, {F_NLL, 0, 0}, {F_FOCAL, 0, 2}};
    for (size_t k = 0; k < 2; k++) {
        size_t n = shapes[k].n, c = shapes[k].c, inner = shapes[k].inner, P = n * inner, E = P * c;
        double *x = malloc(E * sizeof *x), *tp = malloc(E * sizeof *tp), *go = malloc(P * sizeof *go), w[4];
        int64_t *t = malloc(P * sizeof *t);
        rng_state = 555 + k;
        fill_data(n, c, inner, x, t, tp, -100, 0.1);
        for (size_t j = 0; j < c; j++) w[j] = rng_uniform(0.5, 2);
        for (size_t i = 0; i < P; i++) go[i] = rng_uniform(-1, 1);
        double *o1 = malloc(P * sizeof *o1), *o2 = malloc(P * sizeof *o2), *want = malloc(P * sizeof *want);
        double *g1 = malloc(E * sizeof *g1), *g2 = malloc(E * sizeof *g2), *wg = malloc(E * sizeof *wg);
        for (size_t ci = 0; ci < 4; ci++) {
            for (int r = 0; r < 3; r++) {
                sm_args a = {cfgs[ci].fam, x, t, tp, w, n, c, inner, -100, r, cfgs[ci].ls, cfgs[ci].gamma, r == 0 ? go : NULL};
                size_t outn = r == 0 ? P : 1;
                ref_sm(&a, want, wg);
                for (int f32 = 0; f32 <= 1; f32++) {
                    int ov;
                    char ctx[256];
                    describe(ctx, sizeof ctx, f32, &a);
                    losscore_set_num_threads(1);
                    losscore_status s1 = run_sm(f32, &a, o1, g1, &ov);
                    losscore_set_num_threads(3);
                    losscore_status s2 = run_sm(f32, &a, o2, g2, &ov);
                    losscore_set_num_threads(0);
                    CHECK(s1 == LOSSCORE_OK && s2 == LOSSCORE_OK, "%s: status %s / %s", ctx, losscore_status_string(s1),
                          losscore_status_string(s2));
                    CHECK(memcmp(o1, o2, outn * sizeof *o1) == 0 && memcmp(g1, g2, E * sizeof *g1) == 0,
                          "%s: results differ between 1 and 3 threads (%.17g vs %.17g)", ctx, o1[0], o2[0]);
                    long bad = mismatch(o1, want, outn, f32 ? 1e-5 : 1e-12, f32 ? 2e-6 : 1e-13);
                    CHECK(bad < 0, "%s: loss[%ld] = %.17g, expected %.17g", ctx, bad, bad < 0 ? 0 : o1[bad], bad < 0 ? 0 : want[bad]);
                    bad = mismatch(g1, wg, E, f32 ? 1e-5 : 1e-12, f32 ? 2e-6 : 1e-13);
                    CHECK(bad < 0, "%s: grad[%ld] = %.17g, expected %.17g", ctx, bad, bad < 0 ? 0 : g1[bad], bad < 0 ? 0 : wg[bad]);
                }
            }
        }
        free(x), free(tp), free(go), free(t), free(o1), free(o2), free(want), free(g1), free(g2), free(wg);
    }
}

/* ------------------------------------------------------------------------ */

int main(void) {
    const char *e = losscore_last_error();
    CHECK(e != NULL && e[0] == '\0', "last_error() before any call should be \"\", got %s", e ? e : "NULL");
    /* First, before the library starts any worker thread: the calls that crash the process
     * when a size check is missing run in forked children. */
    test_size_overflow();
    test_hand_examples();
    test_values();
    test_focal_gamma0_is_ce();
    test_finite_differences();
    test_reduction_relations();
    test_all_ignored();
    test_empty();
    test_extreme_logits();
    test_focal_pt_to_one();
    test_nan_data();
    test_wide_range();
    test_masked_scores();
    test_ignored_grad_output();
    test_errors();
    test_large();
    test_concurrency();

    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
