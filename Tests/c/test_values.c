/*
 * test_values.c - the values and gradients of every loss, against independent references
 * computed here from the header's formulas and the semantics of PyTorch / torchvision (in
 * long double for the elementwise and margin losses, double for the class rows); nothing is taken
 * from the library's output except where two library results are compared (EQUIVALENT).
 *
 * The checks are tables over the export table (exports.h), for the f32 and f64 entry
 * points alike:
 *   VALUE_CASES  a loss with options, its reference and its kind of data: values and
 *                gradients over sizes, layouts, weights (per class or per element),
 *                pos_weight counts, ignore_index, label rows, grad_output and reductions;
 *                finite differences; NaN as data.
 *   HAND_CASES   values worked out by hand (limits, clamps, kinks, infinities).
 *   EQUIVALENT   two calls the header says agree (smooth_l1 beta 0 and l1, focal gamma 0
 *                and cross-entropy, ...).
 * and a few checks of one loss's own rules (BCE refuses data outside [0, 1]; the focal
 * loss as p_t -> 1; scores far outside expf's range; masked classes).
 *
 * The 16-bit entry points (_f16, _bf16) have no references of their own: every f32 call above
 * that succeeds or is refused for its data is repeated on each 16-bit twin the header declares,
 * with the inputs rounded to the 16-bit type, and the 16-bit results must be the f32 results on
 * those values rounded once (support.h, lc_invoke; the header's "16-bit storage"): the values
 * of every case here, in 16 bits, with no per-loss code.
 *
 * The contract every export shares (errors, empty inputs, threads) is in test_contract.c.
 * Build and run with Tests/c/run.sh [LIBDIR]; prints "N passed, M failed" last and exits
 * non-zero on any failure.
 */
#include "support.h"

#include <float.h>
#include <limits.h>

static double type_eps(lc_type t) { return t == LC_FLOAT ? FLT_EPSILON : DBL_EPSILON; }

/* ------------------------------------------------------------------------ */
/* Elementwise references                                                     */
/* ------------------------------------------------------------------------ */

/* One element: loss l, derivative g = dl/dx, and the sizes el, eg of the terms they are
 * made of (the scale of their rounding errors, so that a cancellation the header promises
 * to avoid is caught); for a loss with a second differentiable input p, g2 = dl/dp and
 * its term size eg2. */
typedef struct {
    long double l, g, el, eg, g2, eg2;
} elem_t;

/* x input, y target, p the element's third operand: its positive-class weight (1 without),
 * or a second differentiable input (input2, var); opt the case's options. */
typedef elem_t (*elem_fn)(long double x, long double y, long double p, const double *opt);

static elem_t plain(long double l, long double g) { return (elem_t){l, g, fabsl(l), fabsl(g), 0, 0}; }

static long double sgnl(long double d) { return d > 0 ? 1 : d < 0 ? -1 : 0; } /* torch sgn: 0 for NaN */

static elem_t ref_l1(long double x, long double y, long double p, const double *opt) {
    (void)p, (void)opt;
    return plain(fabsl(x - y), sgnl(x - y));
}

static elem_t ref_mse(long double x, long double y, long double p, const double *opt) {
    (void)p, (void)opt;
    return plain((x - y) * (x - y), 2 * (x - y));
}

/* smooth_l1: 0.5 d^2 / beta inside |d| < beta, |d| - 0.5 beta outside; beta = 0 is l1. */
static elem_t ref_smooth_l1(long double x, long double y, long double p, const double *opt) {
    long double d = x - y, beta = opt[0];
    if (beta == 0) return ref_l1(x, y, p, opt);
    return plain(fabsl(d) < beta ? 0.5L * d * d / beta : fabsl(d) - 0.5L * beta, d <= -beta ? -1 : d >= beta ? 1 : d / beta);
}

/* huber: 0.5 d^2 inside |d| < delta, delta (|d| - 0.5 delta) outside. */
static elem_t ref_huber(long double x, long double y, long double p, const double *opt) {
    (void)p;
    long double d = x - y, delta = opt[0];
    return plain(fabsl(d) < delta ? 0.5L * d * d : delta * (fabsl(d) - 0.5L * delta), d <= -delta ? -delta : d >= delta ? delta : d);
}

static const long double BCE_EPS = (long double)1e-12f; /* torch's EPSILON: a float, 9.99999996e-13 */

/* binary_cross_entropy: l = -(y max(log x, -100) + (1 - y) max(log(1 - x), -100)),
 * g = (x - y) / max((1 - x) x, 1e-12f). */
static elem_t ref_bce(long double x, long double y, long double p, const double *opt) {
    (void)p, (void)opt;
    elem_t e;
    long double lx = fmaxl(x > 0 ? logl(x) : -INFINITY, -100), l1x = fmaxl(log1pl(-x), -100);
    long double t1 = y * lx, t2 = (1 - y) * l1x;
    e.l = -(t1 + t2), e.el = fabsl(t1) + fabsl(t2);
    e.g = (x - y) / fmaxl((1 - x) * x, BCE_EPS), e.eg = fabsl(e.g);
    return e;
}

/* binary_cross_entropy_with_logits, L = 1 + (p - 1) y, e = exp(-|x|):
 * x >= 0: l = (1 - y) x + L log1p(e),   g = (1 - y) - L e / (1 + e);
 * x <  0: l = -p y x + L log1p(e),      g = L e / (1 + e) - p y. */
static elem_t ref_logits(long double x, long double y, long double p, const double *opt) {
    (void)opt;
    elem_t e;
    long double L = 1 + (p - 1) * y, ex = expl(-fabsl(x)), lp = log1pl(ex), s = ex / (1 + ex);
    long double t1 = x >= 0 ? (1 - y) * x : -p * y * x, t2 = L * lp;
    long double d1 = x >= 0 ? 1 - y : L * s, d2 = x >= 0 ? L * s : p * y;
    e.l = t1 + t2, e.el = fabsl(t1) + fabsl(t2);
    e.g = d1 - d2, e.eg = fabsl(d1) + fabsl(d2);
    return e;
}

/* soft_margin_loss: m = y x, l = log(1 + exp(-m)), g = -y sigmoid(-m). The library rounds
 * m to its type first; exp carries that rounding into l and g as |m| times their
 * derivatives in m, which the error scales add. */
static elem_t ref_soft_margin(long double x, long double y, long double p, const double *opt) {
    (void)p, (void)opt;
    long double m = y * x, l = m >= 0 ? log1pl(expl(-m)) : -m + log1pl(expl(m));
    long double s = 1 / (1 + expl(m)); /* sigmoid(-m) */
    elem_t e = {l, -y * s, fabsl(l) + fabsl(m) * s, fabsl(y * s) + fabsl(y * m) * s * (1 - s), 0, 0};
    return e;
}

/* hinge_embedding_loss: [y != 1] max(0, margin - x) + [y != -1] x; the clamp's gradient
 * passes at equality. */
static elem_t ref_hinge_embedding(long double x, long double y, long double p, const double *opt) {
    (void)p;
    long double d = opt[0] - x;
    return plain((y != 1 ? (d < 0 ? 0 : d) : 0) + (y != -1 ? x : 0), (y != 1 && d >= 0 ? -1 : 0) + (y != -1 ? 1 : 0));
}

/* kl_div: xlogy(y, y) - y x (0 log 0 = 0), gradient -y; with log_target (opt[0] = 1)
 * exp(y) (y - x), gradient -exp(y). */
static elem_t ref_kl_div(long double x, long double y, long double p, const double *opt) {
    (void)p;
    if (opt[0] != 0) {
        long double e = expl(y);
        return (elem_t){e * (y - x), -e, fabsl(e * y) + fabsl(e * x), e, 0, 0};
    }
    long double ylogy = y == 0 ? 0 : y * logl(y);
    return (elem_t){ylogy - y * x, -y, fabsl(ylogy) + fabsl(y * x), fabsl(y), 0, 0};
}

/* poisson_nll_loss, opt = {log_input, full, eps}: exp(x) - y x (gradient exp(x) - y), or
 * x - y log(x + eps) (gradient 1 - y / (x + eps)); full adds y log y - y + log(2 pi y) / 2
 * where y > 1. */
static elem_t ref_poisson_nll(long double x, long double y, long double p, const double *opt) {
    (void)p;
    elem_t e;
    if (opt[0] != 0) {
        long double ex = expl(x);
        e = (elem_t){ex - y * x, ex - y, ex + fabsl(y * x), ex + fabsl(y), 0, 0};
    } else {
        long double r = x + (long double)opt[2], lr = logl(r);
        e = (elem_t){x - y * lr, 1 - y / r, fabsl(x) + fabsl(y * lr), 1 + fabsl(y / r), 0, 0};
    }
    if (opt[1] != 0 && !(y <= 1)) {
        long double s1 = y * logl(y), s3 = 0.5L * logl(2 * 3.14159265358979323846264338327950288L * y);
        e.l += s1 - y + s3, e.el += fabsl(s1) + fabsl(y) + fabsl(s3);
    }
    return e;
}

/* margin_ranking_loss of x = input1, p = input2: u = -y (x - p) + margin, l = max(0, u); the
 * clamp's gradient passes at equality, and the mask multiplies -y (0 x inf is NaN). */
static elem_t ref_margin_ranking(long double x, long double y, long double p, const double *opt) {
    long double u = -y * (x - p) + opt[0], d = (u >= 0 ? 1 : 0) * -y;
    long double size = fabsl(y * x) + fabsl(y * p) + fabsl((long double)opt[0]);
    return (elem_t){u < 0 ? 0 : u, d, size, fabsl(d), -d, fabsl(d)};
}

/* gaussian_nll_loss of x = input, y = target, p = var, opt = {full, eps}: v = max(var, eps),
 * l = 0.5 (log v + (x - y)^2 / v) [+ 0.5 log(2 pi)], dl/dx = (x - y) / v, dl/dvar =
 * 0.5 (1 / v - (x - y)^2 / v^2): the clamp's gradient passes unchanged (torch's no_grad clamp). */
static elem_t ref_gaussian_nll(long double x, long double y, long double p, const double *opt) {
    long double v = p < (long double)opt[1] ? (long double)opt[1] : p, d = x - y, q = d * d / v;
    long double c = opt[0] != 0 ? 0.5L * logl(2 * 3.14159265358979323846264338327950288L) : 0;
    long double l = 0.5L * (logl(v) + q) + c;
    return (elem_t){l, d / v, 0.5L * (fabsl(logl(v)) + q) + c, fabsl(d / v), 0.5L * (1 / v - q / v), 0.5L * (1 / v + q / v)};
}

/* torchvision.ops.sigmoid_focal_loss: p = sigmoid(x), ce = BCE with logits,
 * q = p (1 - y) + (1 - p) y, a = alpha y + (1 - alpha)(1 - y) if alpha >= 0 else 1,
 * l = a ce q^gamma, g = a [(p - y) q^gamma + gamma ce (1 - 2y) p (1 - p) q^(gamma - 1)]
 * (the second term 0 where q = 0, its limit). */
static elem_t ref_sigmoid_focal(long double x, long double y, long double pw, const double *opt) {
    (void)pw;
    double alpha = opt[0], gamma = opt[1];
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
    e.l = a * ce * qg, e.el = fabsl(a) * ce_abs * qg * (1 + gamma);
    e.g = a * (d * qg + t2), e.eg = fabsl(a) * (d_abs * qg * (1 + gamma) + fabsl(t2) * (2 + gamma));
    return e;
}

/* ------------------------------------------------------------------------ */
/* The value cases                                                            */
/* ------------------------------------------------------------------------ */

typedef enum {
    D_REGRESSION, /* x, y in [-3, 3) with differences away from the loss's kinks */
    D_PROBS,      /* probabilities with exact 0, 1, tiny values; targets 0, 1 or soft */
    D_LOGITS,     /* logits, some large; targets 0, 1 or soft */
    D_MARGIN,     /* x in [-3, 3) away from the margin (the option); targets mostly 1 or -1 */
    D_REAL,       /* x, y in [-3, 3) (smooth losses of any real data: log-targets, log-rates) */
    D_ANY,        /* logits with targets, weights and pos_weights of any sign */
    D_RANKING,    /* input1, input2 in [-3, 3) with -y (x1 - x2) away from -margin; targets mostly 1 or -1 */
    D_GAUSSIAN,   /* means and samples in [-3, 3), variances in (0, 3], some below eps (clamped) */
    D_ROWS,       /* class scores in [-3, 3); class indices or probabilities */
    D_MARGINS,    /* (N, C) scores in [-3, 3) with ties; class indices, label rows or soft targets */
    D_METRIC,     /* scores with many ties; class indices (or labels) */
    D_TUPLES,     /* row tuples: operands of n x d values in [-2, 2) */
    D_SEQUENCES,  /* log-softmax frames; padded or concatenated targets, lengths, blanks */
} data_kind;

typedef enum { ROW_CE, ROW_PROBS, ROW_NLL, ROW_FOCAL, ROW_MULTI_MARGIN, ROW_MULTILABEL_MARGIN, ROW_MULTILABEL_SOFT } row_kind;

typedef struct {
    const char *base;
    double opt[LC_MAX_OPTIONS];
    data_kind data;
    elem_fn elem;        /* elementwise reference */
    int mean_by_weight;  /* elementwise: MEAN divides by sum w (else by n) */
    row_kind row;        /* class-row reference */
} value_case;

static const value_case VALUE_CASES[] = {
    {"l1_loss", {0}, D_REGRESSION, ref_l1, 1, 0},
    {"mse_loss", {0}, D_REGRESSION, ref_mse, 1, 0},
    {"smooth_l1_loss", {1.0}, D_REGRESSION, ref_smooth_l1, 0, 0},
    {"smooth_l1_loss", {0.5}, D_REGRESSION, ref_smooth_l1, 0, 0},
    {"smooth_l1_loss", {0.0}, D_REGRESSION, ref_smooth_l1, 0, 0},
    {"huber_loss", {1.0}, D_REGRESSION, ref_huber, 0, 0},
    {"huber_loss", {2.5}, D_REGRESSION, ref_huber, 0, 0},
    {"binary_cross_entropy", {0}, D_PROBS, ref_bce, 0, 0},
    {"binary_cross_entropy_with_logits", {0}, D_LOGITS, ref_logits, 0, 0},
    {"binary_cross_entropy_with_logits", {0}, D_ANY, ref_logits, 0, 0},
    {"sigmoid_focal_loss", {-1, 0}, D_LOGITS, ref_sigmoid_focal, 0, 0},
    {"sigmoid_focal_loss", {-1, 0.5}, D_LOGITS, ref_sigmoid_focal, 0, 0},
    {"sigmoid_focal_loss", {-1, 2}, D_LOGITS, ref_sigmoid_focal, 0, 0},
    {"sigmoid_focal_loss", {-1, 1.3}, D_LOGITS, ref_sigmoid_focal, 0, 0},
    {"sigmoid_focal_loss", {0.25, 0}, D_LOGITS, ref_sigmoid_focal, 0, 0},
    {"sigmoid_focal_loss", {0.25, 0.5}, D_LOGITS, ref_sigmoid_focal, 0, 0},
    {"sigmoid_focal_loss", {0.25, 2}, D_LOGITS, ref_sigmoid_focal, 0, 0},
    {"sigmoid_focal_loss", {0.25, 1.3}, D_LOGITS, ref_sigmoid_focal, 0, 0},
    {"sigmoid_focal_loss", {0, 2}, D_LOGITS, ref_sigmoid_focal, 0, 0},
    {"sigmoid_focal_loss", {1, 2}, D_LOGITS, ref_sigmoid_focal, 0, 0},
    {"sigmoid_focal_loss", {-0.0, 2}, D_LOGITS, ref_sigmoid_focal, 0, 0},
    {"sigmoid_focal_loss", {0.75, 0.5}, D_LOGITS, ref_sigmoid_focal, 0, 0},
    {"sigmoid_focal_loss", {0.25, 50}, D_LOGITS, ref_sigmoid_focal, 0, 0},
    {"soft_margin_loss", {0}, D_LOGITS, ref_soft_margin, 0, 0},
    {"soft_margin_loss", {0}, D_ANY, ref_soft_margin, 0, 0},
    {"hinge_embedding_loss", {1.0}, D_MARGIN, ref_hinge_embedding, 0, 0},
    {"hinge_embedding_loss", {-0.5}, D_MARGIN, ref_hinge_embedding, 0, 0},
    {"kl_div", {0}, D_PROBS, ref_kl_div, 0, 0},
    {"kl_div", {1}, D_REAL, ref_kl_div, 0, 0},
    {"poisson_nll_loss", {1, 0, 1e-8}, D_REAL, ref_poisson_nll, 0, 0},
    {"poisson_nll_loss", {1, 1, 1e-8}, D_REAL, ref_poisson_nll, 0, 0},
    {"poisson_nll_loss", {0, 1, 1e-8}, D_PROBS, ref_poisson_nll, 0, 0},
    {"poisson_nll_loss", {0, 0, 0.5}, D_PROBS, ref_poisson_nll, 0, 0},
    {"cross_entropy", {0}, D_ROWS, NULL, 0, ROW_CE},
    {"cross_entropy", {0.2}, D_ROWS, NULL, 0, ROW_CE},
    {"cross_entropy", {1}, D_ROWS, NULL, 0, ROW_CE},
    {"cross_entropy_probs", {0}, D_ROWS, NULL, 0, ROW_PROBS},
    {"cross_entropy_probs", {0.2}, D_ROWS, NULL, 0, ROW_PROBS},
    {"cross_entropy_probs", {1}, D_ROWS, NULL, 0, ROW_PROBS},
    {"nll_loss", {0}, D_ROWS, NULL, 0, ROW_NLL},
    {"focal_loss", {0}, D_ROWS, NULL, 0, ROW_FOCAL},
    {"focal_loss", {0.5}, D_ROWS, NULL, 0, ROW_FOCAL},
    {"focal_loss", {2}, D_ROWS, NULL, 0, ROW_FOCAL},
    {"focal_loss", {1.3}, D_ROWS, NULL, 0, ROW_FOCAL},
    {"multi_margin_loss", {1, 1}, D_MARGINS, NULL, 0, ROW_MULTI_MARGIN},
    {"multi_margin_loss", {2, 1}, D_MARGINS, NULL, 0, ROW_MULTI_MARGIN},
    {"multi_margin_loss", {1, 0.5}, D_MARGINS, NULL, 0, ROW_MULTI_MARGIN},
    {"multi_margin_loss", {2, -0.75}, D_MARGINS, NULL, 0, ROW_MULTI_MARGIN},
    {"multilabel_margin_loss", {0}, D_MARGINS, NULL, 0, ROW_MULTILABEL_MARGIN},
    {"multilabel_soft_margin_loss", {0}, D_MARGINS, NULL, 0, ROW_MULTILABEL_SOFT},
    {"zero_one_loss", {0}, D_METRIC, NULL, 0, 0},
    /* triplet_margin_loss {margin, norm_p, distance_eps, swap} */
    {"triplet_margin_loss", {1, 2, 1e-6, 0}, D_TUPLES, NULL, 0, 0},
    {"triplet_margin_loss", {1, 2, 1e-6, 1}, D_TUPLES, NULL, 0, 0},
    {"triplet_margin_loss", {0.5, 1, 0, 0}, D_TUPLES, NULL, 0, 0},
    {"triplet_margin_loss", {2, 3, 1e-3, 1}, D_TUPLES, NULL, 0, 0},
    {"triplet_margin_loss", {3, 0.5, 1e-6, 0}, D_TUPLES, NULL, 0, 0},
    {"triplet_margin_loss", {1.5, 1.5, 1e-6, 1}, D_TUPLES, NULL, 0, 0},
    {"triplet_margin_loss", {1, INFINITY, 1e-6, 1}, D_TUPLES, NULL, 0, 0},
    {"triplet_margin_loss", {1, -INFINITY, 0, 0}, D_TUPLES, NULL, 0, 0},
    {"triplet_margin_loss", {1, 0, 1e-6, 0}, D_TUPLES, NULL, 0, 0},
    {"triplet_margin_loss", {4, -1, -0.25, 1}, D_TUPLES, NULL, 0, 0},
    /* cosine_embedding_loss {margin} */
    {"cosine_embedding_loss", {0}, D_TUPLES, NULL, 0, 0},
    {"cosine_embedding_loss", {0.3}, D_TUPLES, NULL, 0, 0},
    {"cosine_embedding_loss", {-0.5}, D_TUPLES, NULL, 0, 0},
    {"zero_one_loss_labels", {0}, D_METRIC, NULL, 0, 0},
    /* (Last: a case's data are seeded by its position, which the cases above keep.) */
    {"margin_ranking_loss", {0}, D_RANKING, ref_margin_ranking, 0, 0},
    {"margin_ranking_loss", {0.5}, D_RANKING, ref_margin_ranking, 0, 0},
    {"gaussian_nll_loss", {0, 1e-6}, D_GAUSSIAN, ref_gaussian_nll, 0, 0},
    {"gaussian_nll_loss", {1, 0.25}, D_GAUSSIAN, ref_gaussian_nll, 0, 0},
    {"ctc_loss", {0}, D_SEQUENCES, NULL, 0, 0}, /* zero_infinity 0 */
    {"ctc_loss", {1}, D_SEQUENCES, NULL, 0, 0}, /* zero_infinity 1 */
};
#define NUM_VALUE_CASES (sizeof VALUE_CASES / sizeof VALUE_CASES[0])

static void describe(char *buf, size_t size, const lc_export *e, const value_case *vc, const lc_data *d) {
    int k = snprintf(buf, size, "%s(", e->name);
    for (int i = 0; i < e->num_options && k > 0 && (size_t)k < size; i++)
        k += snprintf(buf + k, size - k, "%s%s=%g", i ? ", " : "", e->options[i].name, vc->opt[i]);
    if (k > 0 && (size_t)k < size)
        snprintf(buf + k, size - k, ") n=%zu c=%zu inner=%zu %s w=%d pos_weight_count=%zu ii=%lld go=%d", d->n, d->c, d->inner,
                 red_name(d->reduction), d->weight != NULL, d->pos_weight ? d->pos_weight_count : 0, (long long)d->ignore_index,
                 d->grad_output != NULL);
}

/* ------------------------------------------------------------------------ */
/* Elementwise: reference of a whole call, and the check against it           */
/* ------------------------------------------------------------------------ */

/* A copy of v (NULL for NULL), rounded to float when t is: what the export receives. */
static double *dup_as(lc_type t, const double *v, size_t n) {
    if (v == NULL) return NULL;
    double *d = malloc((n ? n : 1) * sizeof *d);
    for (size_t i = 0; i < n; i++) d[i] = t == LC_FLOAT ? (double)(float)v[i] : v[i];
    return d;
}

/* The input2 (var) value of element i: var_inner values repeated var_repeat times per
 * outer row (both 1: one per element), and how many there are. */
static size_t input2_index(const lc_data *in, size_t i) {
    size_t rep = in->var_repeat ? in->var_repeat : 1, inner = in->var_inner ? in->var_inner : 1;
    return (i / (rep * inner)) * inner + i % inner;
}

static size_t input2_count(const lc_data *in) {
    return in->input2 ? in->n / (in->var_repeat ? in->var_repeat : 1) : 0;
}

/* Each element's loss and derivative before weights, grad_output and reduction, on the
 * values an export taking type t receives; free() it. */
static elem_t *ref_elements(lc_type t, const value_case *vc, const lc_data *in) {
    const size_t n = in->n;
    double *x = dup_as(t, in->input, n), *y = dup_as(t, in->target, n), *pw = dup_as(t, in->pos_weight, in->pos_weight_count);
    double *x2 = dup_as(t, in->input2, input2_count(in));
    elem_t *el = malloc((n ? n : 1) * sizeof *el);
    for (size_t i = 0; i < n; i++)
        el[i] = vc->elem(x[i], y[i], pw ? pw[i % in->pos_weight_count] : x2 ? x2[input2_index(in, i)] : 1.0L, vc->opt);
    free(x), free(y), free(pw), free(x2);
    return el;
}

/* Expected loss (out count values) and gradient (n values) with their error scales tout,
 * tgrad, from the elements' values el. NONE: w_i l_i and go_i w_i g_i; SUM / MEAN:
 * sum_i w_i l_i, divided for MEAN by sum w (mean_by_weight) or n, and go w_i g_i / that. */
static void ref_reduce(lc_type t, const value_case *vc, const lc_data *in, const elem_t *el, double *want, double *wgrad,
                       double *tout, double *tgrad, double *wgrad2, double *tgrad2) {
    const size_t n = in->n, outn = in->reduction == LOSSCORE_REDUCTION_NONE ? n : 1;
    /* The second input's gradient: each element's share, summed over the elements that
     * share a value (in long double). */
    size_t n2 = input2_count(in);
    long double *g2 = calloc(n2 ? n2 : 1, sizeof *g2), *e2 = calloc(n2 ? n2 : 1, sizeof *e2);
    double *w = dup_as(t, in->weight, n), *go = dup_as(t, in->grad_output, outn);
    long double sum = 0, tsum = 0, wsum = 0;
    for (size_t i = 0; i < n; i++) wsum += w ? w[i] : 1;
    long double div = in->reduction != LOSSCORE_REDUCTION_MEAN ? 1 : vc->mean_by_weight && w ? wsum : (long double)n;
    long double go0 = go ? go[0] : 1;
    for (size_t i = 0; i < n; i++) {
        long double wi = w ? w[i] : 1;
        if (in->reduction == LOSSCORE_REDUCTION_NONE) {
            long double goi = go ? go[i] : 1;
            want[i] = (double)(wi * el[i].l), tout[i] = (double)(fabsl(wi) * el[i].el);
            wgrad[i] = (double)(goi * wi * el[i].g), tgrad[i] = (double)(fabsl(goi * wi) * el[i].eg);
            if (n2) g2[input2_index(in, i)] += goi * wi * el[i].g2, e2[input2_index(in, i)] += fabsl(goi * wi) * el[i].eg2;
        } else {
            sum += wi * el[i].l, tsum += fabsl(wi) * el[i].el;
            wgrad[i] = (double)(go0 * wi * el[i].g / div), tgrad[i] = (double)(fabsl(go0 * wi) * el[i].eg / fabsl(div));
            if (n2) g2[input2_index(in, i)] += go0 * wi * el[i].g2 / div, e2[input2_index(in, i)] += fabsl(go0 * wi) * el[i].eg2 / fabsl(div);
        }
    }
    if (in->reduction != LOSSCORE_REDUCTION_NONE) want[0] = (double)(sum / div), tout[0] = (double)(tsum / fabsl(div));
    for (size_t j = 0; wgrad2 && j < n2; j++) wgrad2[j] = (double)g2[j], tgrad2[j] = (double)e2[j];
    free(w), free(go), free(g2), free(e2);
}

static void ref_elementwise(lc_type t, const value_case *vc, const lc_data *in, double *want, double *wgrad, double *tout,
                            double *tgrad, double *wgrad2) {
    elem_t *el = ref_elements(t, vc, in);
    double *tgrad2 = malloc((input2_count(in) + 1) * sizeof *tgrad2);
    ref_reduce(t, vc, in, el, want, wgrad, tout, tgrad, wgrad2, tgrad2);
    free(tgrad2);
    free(el);
}

/* First index where got and want differ by more than k * scale[i] + floor, or -1. */
static long mismatch_scaled(const double *got, const double *want, const double *scale, size_t n, double k, double floor) {
    for (size_t i = 0; i < n; i++)
        if (!close_to(got[i], want[i], 0, k * scale[i] + floor)) return (long)i;
    return -1;
}

static int float_exact(const double *v, size_t n) {
    for (size_t i = 0; v && i < n; i++)
        if (!isnan(v[i]) && (double)(float)v[i] != v[i]) return 0;
    return 1;
}

/* The elements' reference values for each export of es (shared when the data are exact in
 * float); free them with free_elements. */
typedef struct {
    elem_t *el[2];
} elements_t;

static elements_t elements_for(const lc_export *const *es, const value_case *vc, const lc_data *d) {
    int exact = float_exact(d->input, d->n) && float_exact(d->target, d->n) && float_exact(d->pos_weight, d->pos_weight_count) &&
                float_exact(d->input2, input2_count(d));
    elements_t r = {{ref_elements(es[0]->float_type, vc, d), NULL}};
    if (es[1]) r.el[1] = exact ? r.el[0] : ref_elements(es[1]->float_type, vc, d);
    return r;
}

static void free_elements(elements_t *r) {
    if (r->el[1] != r->el[0]) free(r->el[1]);
    free(r->el[0]);
}

/* Runs one call of each export of es (NULL ends it) with and without the gradient and
 * compares with the reference on the values it receives (one reference serves both types
 * when the data are exact in float): 16 eps times the terms' sizes (32 for a reduction),
 * and a floor of a few smallest normals for results that underflow. With `finite`, every
 * result must also be finite. */
static void check_elementwise(const lc_export *const *es, const value_case *vc, const lc_data *d, const elements_t *els, int finite,
                              int line) {
    size_t n = d->n, outn = d->reduction == LOSSCORE_REDUCTION_NONE ? n : 1;
    double *out = malloc((outn + 1) * sizeof *out), *gi = malloc((n + 1) * sizeof *gi);
    double *want = malloc((outn + 1) * sizeof *want), *wgrad = malloc((n + 1) * sizeof *wgrad);
    double *tout = malloc((outn + 1) * sizeof *tout), *tgrad = malloc((n + 1) * sizeof *tgrad);
    size_t n2 = input2_count(d);
    double *gi2 = malloc((n2 + 1) * sizeof *gi2), *wgrad2 = malloc((n2 + 1) * sizeof *wgrad2), *tgrad2 = malloc((n2 + 1) * sizeof *tgrad2);
    for (const lc_export *const *ep = es; *ep; ep++) {
    const lc_export *e = *ep;
    char ctx[320];
    describe(ctx, sizeof ctx, e, vc, d);
    ref_reduce(e->float_type, vc, d, els->el[ep - es], want, wgrad, tout, tgrad, wgrad2, tgrad2);
    /* Reduced double results also carry the summation's rounding: each of the sum's 16 lanes
     * adds about n / 16 terms in order, an error that grows like its square root. */
    double sums = e->float_type == LC_DOUBLE ? sqrt((double)n / 16) : 0;
    double k = 16 * type_eps(e->float_type) * (d->reduction == LOSSCORE_REDUCTION_NONE ? 1 : 2 + sums);
    double fl = e->float_type == LC_FLOAT ? 4 * FLT_MIN : 4 * DBL_MIN;
    int overrun;
    losscore_status s = lc_run2(e, d, out, gi, lc_has(e, LC_GRAD_INPUT2) ? gi2 : NULL, &overrun);
    check_at(s == LOSSCORE_OK && !overrun && losscore_last_error()[0] == '\0', line, "%s: status %s (\"%s\"), overrun %d", ctx,
             losscore_status_string(s), losscore_last_error(), overrun);
    long bad = mismatch_scaled(out, want, tout, outn, k, fl);
    check_at(bad < 0, line, "%s: loss[%ld] = %.17g, expected %.17g (x = %.9g, y = %.9g)", ctx, bad, bad < 0 ? 0 : out[bad],
             bad < 0 ? 0 : want[bad], bad < 0 || outn == 1 ? 0 : d->input[bad], bad < 0 || outn == 1 ? 0 : d->target[bad]);
    bad = mismatch_scaled(gi, wgrad, tgrad, n, k, fl);
    check_at(bad < 0, line, "%s: grad[%ld] = %.17g, expected %.17g (x = %.9g, y = %.9g)", ctx, bad, bad < 0 ? 0 : gi[bad],
             bad < 0 ? 0 : wgrad[bad], bad < 0 ? 0 : d->input[bad], bad < 0 ? 0 : d->target[bad]);
    if (lc_has(e, LC_GRAD_INPUT2)) {
        /* A shared value's gradient sums the elements that share it: their rounding adds up. */
        double k2 = k * (n2 ? (double)n / (double)n2 : 1);
        bad = mismatch_scaled(gi2, wgrad2, tgrad2, n2, k2, fl);
        check_at(bad < 0, line, "%s: %s[%ld] = %.17g, expected %.17g", ctx, e->input2_name, bad, bad < 0 ? 0 : gi2[bad],
                 bad < 0 ? 0 : wgrad2[bad]);
    }
    if (finite) check_at(all_finite(out, outn) && all_finite(gi, n), line, "%s: a loss or gradient is not finite", ctx);
    /* Loss only: grad_input NULL (grad_output is then ignored). */
    s = lc_run(e, d, out, NULL, &overrun);
    bad = mismatch_scaled(out, want, tout, outn, k, fl);
    check_at(s == LOSSCORE_OK && !overrun && bad < 0, line, "%s loss only: status %s, overrun %d, loss[%ld] = %.17g, expected %.17g",
             ctx, losscore_status_string(s), overrun, bad, bad < 0 ? 0 : out[bad], bad < 0 ? 0 : want[bad]);
    }
    free(out), free(gi), free(want), free(wgrad), free(tout), free(tgrad), free(gi2), free(wgrad2), free(tgrad2);
}

/* Probabilities: mostly uniform in [0, 1), some exactly 0 or 1, some tiny or close to 1
 * (the log clamp and the 1e-12 floor of the gradient's denominator). */
static void fill_probs(double *x, size_t n) {
    static const double special[] = {0, 1, 1e-20, 1e-6, 0.5, 0.99999994039535522 /* 1 - 2^-24 */, 5.9604644775390625e-08, 1e-30};
    for (size_t i = 0; i < n; i++) x[i] = rng_next() % 8 == 0 ? special[rng_next() % 8] : rng_uniform(0, 1);
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

/* Inputs in [-3, 3) kept `gap` away from the margin `kink` (a margin loss's kink); targets
 * mostly 1 or -1, some other values (which torch's hinge takes through both terms). */
static void fill_margin(double kink, double *x, double *y, size_t n, double gap) {
    static const double others[] = {0.5, 2, 0, -3};
    for (size_t i = 0; i < n;) {
        double a = rng_uniform(-3, 3);
        if (fabs(a - kink) < gap) continue;
        uint64_t r = rng_next() % 8;
        x[i] = a, y[i] = r < 3 ? 1 : r < 6 ? -1 : others[rng_next() % 4], i++;
    }
}

/* input1, input2 in [-3, 3) whose margin term -y (x1 - x2) + margin stays `gap` away from
 * 0 (the clamp's kink); targets mostly 1 or -1, some other values. */
static void fill_ranking(double margin, double *x, double *x2, double *y, size_t n, double gap) {
    static const double others[] = {0.5, 2, 0, -3};
    for (size_t i = 0; i < n;) {
        double a = rng_uniform(-3, 3), b = rng_uniform(-3, 3);
        uint64_t r = rng_next() % 8;
        double t = r < 3 ? 1 : r < 6 ? -1 : others[rng_next() % 4];
        if (fabs(-t * (a - b) + margin) < gap) continue;
        x[i] = a, x2[i] = b, y[i] = t, i++;
    }
}

/* x, y in [-3, 3) whose differences stay `margin` away from 0 and from |d| = kink (the
 * kinks of the regression losses: beta, delta). */
static void fill_regression(double kink, double *x, double *y, size_t n, double margin) {
    for (size_t i = 0; i < n;) {
        double a = rng_uniform(-3, 3), b = rng_uniform(-3, 3), d = fabs(a - b);
        if (d < margin || fabs(d - kink) < margin) continue;
        x[i] = a, y[i] = b, i++;
    }
}

/* Buffers of one elementwise case: data of its kind, weights, pos_weights, grad_output. */
typedef struct {
    double *x, *y, *w, *pw, *go, *x2; /* x2: a second input (input2, var), for the kinds that have one */
} ew_data;

static ew_data ew_make(data_kind kind, double kink, size_t n, int smooth) {
    ew_data b = {malloc(n * sizeof(double)), malloc(n * sizeof(double)), malloc(n * sizeof(double)), malloc(n * sizeof(double)),
                 malloc(n * sizeof(double)), NULL};
    switch (kind) {
    case D_RANKING: b.x2 = malloc(n * sizeof(double)), fill_ranking(kink, b.x, b.x2, b.y, n, smooth ? 1e-3 : 1e-2); break;
    case D_GAUSSIAN: /* (smooth: every variance above the clamp, where it is differentiable) */
        b.x2 = malloc(n * sizeof(double)), fill_uniform(b.x, n, -3, 3), fill_uniform(b.y, n, -3, 3);
        for (size_t i = 0; i < n; i++) b.x2[i] = smooth || rng_next() % 8 ? rng_uniform(0.3, 3) : rng_uniform(0, 0.3);
        break;
    case D_REGRESSION: fill_regression(kink, b.x, b.y, n, smooth ? 1e-3 : 1e-2); break;
    case D_MARGIN: fill_margin(kink, b.x, b.y, n, smooth ? 1e-3 : 1e-2); break;
    case D_REAL: fill_uniform(b.x, n, -3, 3), fill_uniform(b.y, n, -3, 3); break;
    case D_PROBS: smooth ? fill_uniform(b.x, n, 0.05, 0.95) : fill_probs(b.x, n), fill_targets(b.y, n); break;
    case D_ANY: smooth ? fill_uniform(b.x, n, -4, 4) : fill_logits(b.x, n), fill_uniform(b.y, n, -1, 2); break;
    default: smooth ? fill_uniform(b.x, n, -4, 4) : fill_logits(b.x, n), fill_targets(b.y, n); break;
    }
    if (kind == D_ANY)
        fill_uniform(b.w, n, -1.5, 2), fill_uniform(b.pw, n, -1, 3);
    else
        fill_uniform(b.w, n, 0.2, 2.5), fill_uniform(b.pw, n, 0.2, 4);
    fill_uniform(b.go, n, smooth ? 0.5 : -2, 2);
    return b;
}

static void ew_free(ew_data *b) { free(b->x), free(b->y), free(b->w), free(b->pw), free(b->go), free(b->x2); }

/* pos_weight modes: none, one value, n values, and a count that divides n and is neither 1
 * nor n (the last dimension C of an (..., C) input; large counts cross the blocks). */
static size_t pos_weight_count_for(int mode, size_t n) {
    static const size_t cands[] = {1000, 10, 7, 4, 3, 2};
    if (mode == 1) return 1;
    if (mode == 2) return n;
    for (size_t k = 0; mode == 3 && k < sizeof cands / sizeof cands[0]; k++)
        if (cands[k] < n && n % cands[k] == 0) return cands[k];
    return 0;
}

/* var sharing modes: one value per element, one for all, one per row of a last dimension,
 * and one per (outer, inner) pair of a middle dimension; 0 when n has no such layout. */
static int var_sharing_for(int mode, size_t n, size_t *rep, size_t *inner) {
    static const size_t rows[] = {1000, 8, 7, 4, 3, 2};
    *rep = 1, *inner = 1;
    if (mode == 1) *rep = n ? n : 1;
    for (size_t k = 0; mode >= 2 && k < sizeof rows / sizeof rows[0]; k++) {
        size_t r = rows[k], i = mode == 3 ? 2 : 1;
        if (r * i < n && n % (r * i) == 0) {
            *rep = r, *inner = i;
            return 1;
        }
    }
    return mode <= 1;
}

static lc_data ew_args(const double *opt, const ew_data *b, size_t n, int r, int weighted, int pwmode, int use_go) {
    lc_data d = {0};
    d.input = b->x, d.target = b->y, d.input2 = b->x2, d.n = n, d.reduction = r;
    d.weight = weighted ? b->w : NULL;
    d.pos_weight_count = pos_weight_count_for(pwmode, n);
    d.pos_weight = d.pos_weight_count ? b->pw : NULL;
    d.grad_output = use_go ? b->go : NULL;
    memcpy(d.options, opt, sizeof d.options);
    return d;
}

/* Whether vc is the first value case of its loss (the large sizes run once per loss). */
static int first_of_loss(const value_case *vc) {
    for (const value_case *k = VALUE_CASES; k < vc; k++)
        if (strcmp(k->base, vc->base) == 0) return 0;
    return 1;
}

static void test_elementwise_values(const value_case *vc, const lc_export *const *es) {
    const lc_export *e = es[0];
    static const size_t sizes[] = {1, 2, 7, 37, 64, 1000, 40320, 105000};
    for (size_t si = 0; si < sizeof sizes / sizeof sizes[0]; si++) {
        size_t n = sizes[si];
        if ((n > 50000 && !first_of_loss(vc)) || (n > 64 && vc->data == D_ANY)) continue; /* any-sign data: small sizes */
        rng_state = 100 * si + (uint64_t)(vc - VALUE_CASES) + 1;
        ew_data b = ew_make(vc->data, vc->opt[0], n, 0);
        for (int pwmode = 0; pwmode <= (lc_has(e, LC_POS_WEIGHT) ? 3 : 0); pwmode++) {
          for (int vmode = 0; vmode <= (lc_has(e, LC_VAR_REPEAT) ? 3 : 0); vmode++) {
            if (pwmode && !pos_weight_count_for(pwmode, n)) continue;
            size_t rep, inner;
            if (!var_sharing_for(vmode, n, &rep, &inner)) continue;
            lc_data d0 = ew_args(vc->opt, &b, n, 0, 0, pwmode, 0);
            d0.var_repeat = rep, d0.var_inner = inner;
            elements_t els = elements_for(es, vc, &d0);
            for (int weighted = n > 50000 && lc_has(e, LC_WEIGHT); weighted <= lc_has(e, LC_WEIGHT); weighted++) {
                for (int r = 0; r < 3; r++) {
                    for (int use_go = 0; use_go <= (n > 50000 ? 0 : 1); use_go++) {
                        lc_data d = ew_args(vc->opt, &b, n, r, weighted, pwmode, use_go || n > 50000);
                        d.var_repeat = rep, d.var_inner = inner;
                        check_elementwise(es, vc, &d, &els, 0, __LINE__);
                    }
                }
            }
            free_elements(&els);
          }
        }
        ew_free(&b);
    }
}

/* Fixed grids where the formulas are delicate: BCE at and near the ends of [0, 1] (exact 0
 * and 1, -0.0, subnormals, 1 - ulp; the clamp at -100 below x = 3.7e-44), logits of +-800
 * and other large ones. Every result is finite and matches the reference. */
static void test_elementwise_grids(const value_case *vc, const lc_export *const *es) {
    const lc_export *e = es[0];
    static const double probs[] = {0.0, -0.0, 1.0, 1e-45, 1e-40, 1e-30, 3e-44, 5e-44, 1e-13, 1e-7, 0.99999994039535522,
                                   0.9999999, 1e-300, 4.9406564584124654e-324, 0.99999999999999989, 1e-50};
    static const double logits[] = {800, -800, 100, -100, 88.5, -88.5, 745, -745, 40, -40, 20, -20, 0};
    static const double ys[] = {0, 1, 0.25, 0.75};
    const double *xs = vc->data == D_PROBS ? probs : logits;
    size_t nx = vc->data == D_PROBS ? sizeof probs / sizeof probs[0] : sizeof logits / sizeof logits[0], ny = 4;
    if (vc->data != D_PROBS && vc->data != D_LOGITS) return;
    size_t n = nx * ny;
    rng_state = 31;
    ew_data b = ew_make(vc->data, vc->opt[0], n, 0);
    for (size_t i = 0; i < nx; i++)
        for (size_t j = 0; j < ny; j++) b.x[i * ny + j] = xs[i], b.y[i * ny + j] = ys[j];
    for (int r = 0; r < 3; r++)
        for (int variant = 0; variant <= lc_has(e, LC_WEIGHT); variant++)
            for (int pwmode = 0; pwmode <= (lc_has(e, LC_POS_WEIGHT) ? 3 : 0); pwmode++) {
                lc_data d = ew_args(vc->opt, &b, n, r, variant, pwmode, r == 0);
                elements_t els = elements_for(es, vc, &d);
                check_elementwise(es, vc, &d, &els, 1, __LINE__);
                free_elements(&els);
            }
    ew_free(&b);
}

/* ------------------------------------------------------------------------ */
/* Class rows: reference and check                                            */
/* ------------------------------------------------------------------------ */

/* Loss (out count values) and gradient (n * c * inner values) as the header defines them:
 * per position a max-shifted log-sum-exp; 1 - p_t summed from the other classes; ignored
 * positions give loss 0 and gradient 0; MEAN divides by the sum of w[target] over the
 * positions that are not ignored (probabilities: by n * inner). Returns that divisor. */
static double ref_rows(row_kind kind, const lc_data *a, double *out, double *grad) {
    const size_t C = a->c, inner = a->inner, P = a->n * inner;
    double *loss = malloc((P ? P : 1) * sizeof *loss);
    char *ignored = calloc(P ? P : 1, 1);
    double *row = malloc((C ? C : 1) * sizeof *row), *logp = malloc((C ? C : 1) * sizeof *logp), *p = malloc((C ? C : 1) * sizeof *p);
    double denom = 0, eps = a->options[0], gamma = a->options[0];
    for (size_t pos = 0; pos < P; pos++) {
        size_t base = (pos / inner) * C * inner + pos % inner;
#define IDX(j) (base + (size_t)(j) * inner)
        for (size_t j = 0; j < C; j++) row[j] = a->input[IDX(j)];
        double m = -INFINITY, s = 0, W = 0;
        for (size_t j = 0; j < C; j++) m = row[j] > m ? row[j] : m;
        for (size_t j = 0; j < C; j++) s += exp(row[j] - m);
        for (size_t j = 0; j < C; j++) logp[j] = row[j] - (m + log(s)), p[j] = exp(logp[j]), W += a->weight ? a->weight[j] : 1.0;
        if (kind == ROW_PROBS) {
            double S = 0, l = 0;
            for (size_t j = 0; j < C; j++) {
                double wj = a->weight ? a->weight[j] : 1.0, q = (1 - eps) * a->target[IDX(j)] + eps / (double)C;
                l -= wj * q * logp[j], S += wj * q;
            }
            for (size_t j = 0; j < C; j++) {
                double wj = a->weight ? a->weight[j] : 1.0, q = (1 - eps) * a->target[IDX(j)] + eps / (double)C;
                grad[IDX(j)] = p[j] * S - wj * q;
            }
            loss[pos] = l, denom += 1;
            continue;
        }
        int64_t t = a->index[pos];
        if (t == a->ignore_index) {
            ignored[pos] = 1, loss[pos] = 0;
            for (size_t j = 0; j < C; j++) grad[IDX(j)] = 0;
            continue;
        }
        double wt = a->weight ? a->weight[t] : 1.0, q = 0; /* q = 1 - p_t without cancellation */
        denom += wt;
        for (size_t j = 0; j < C; j++) q += (int64_t)j != t ? p[j] : 0;
        if (kind == ROW_NLL) {
            loss[pos] = -wt * row[t];
            for (size_t j = 0; j < C; j++) grad[IDX(j)] = (int64_t)j == t ? -wt : 0.0;
        } else if (kind == ROW_CE) {
            double smooth = 0;
            for (size_t j = 0; j < C; j++) smooth -= (a->weight ? a->weight[j] : 1.0) * logp[j];
            loss[pos] = (1 - eps) * (-wt * logp[t]) + (eps > 0 ? (eps / (double)C) * smooth : 0.0);
            for (size_t j = 0; j < C; j++)
                grad[IDX(j)] = (1 - eps) * wt * ((int64_t)j == t ? -q : p[j]) + (eps / (double)C) * (W * p[j] - (a->weight ? a->weight[j] : 1.0));
        } else {
            double logpt = logp[t];
            if (row[t] == m) { /* accurate log p_t when p_t is near 1 */
                double rest = 0;
                for (size_t j = 0; j < C; j++) rest += (int64_t)j != t ? exp(row[j] - m) : 0;
                logpt = -log1p(rest);
            }
            double pt = exp(logpt), qg = pow(q, gamma), ratio = q > 0 ? logpt / q : -1.0; /* its limit at q -> 0 */
            double A = qg * (1 - gamma * pt * ratio);
            loss[pos] = -wt * qg * logpt;
            for (size_t j = 0; j < C; j++) grad[IDX(j)] = wt * A * ((int64_t)j == t ? -q : p[j]);
        }
#undef IDX
    }
    double total = 0, comp = 0, div = a->reduction == LOSSCORE_REDUCTION_MEAN ? denom : 1.0;
    for (size_t pos = 0; pos < P; pos++) { /* Kahan (plain sums once infinities appear) */
        if (!isfinite(loss[pos]) || !isfinite(total)) {
            total += loss[pos];
            continue;
        }
        double t = loss[pos] - comp, u = total + t;
        comp = (u - total) - t, total = u;
    }
    if (a->reduction == LOSSCORE_REDUCTION_NONE)
        memcpy(out, loss, P * sizeof *out);
    else
        out[0] = total / div;
    for (size_t pos = 0; pos < P; pos++) {
        double g = a->reduction == LOSSCORE_REDUCTION_NONE ? (a->grad_output ? a->grad_output[pos] : 1.0)
                                                           : (a->grad_output ? a->grad_output[0] : 1.0) / div;
        for (size_t j = 0; j < C; j++) {
            size_t el = (pos / inner) * C * inner + j * inner + pos % inner;
            grad[el] = ignored[pos] ? 0.0 : g * grad[el];
        }
    }
    free(loss), free(ignored), free(row), free(logp), free(p);
    return div;
}

/* First index where got and want differ by more than rel * |want| + absn * max|want| + floor. */
static long mismatch(const double *got, const double *want, size_t n, double rel, double absn, double floor) {
    double scale = 0;
    for (size_t i = 0; i < n; i++)
        if (isfinite(want[i]) && fabs(want[i]) > scale) scale = fabs(want[i]);
    for (size_t i = 0; i < n; i++)
        if (!close_to(got[i], want[i], rel, absn * scale + floor + 1e-300)) return (long)i;
    return -1;
}

/* The size of the gradient's rounding noise where it should be 0 (e.g. c = 1 with label
 * smoothing): tol * |grad_output| * max w / the MEAN divisor. */
static double grad_floor(const lc_data *a, size_t outn, double divisor, double tol) {
    double gmax = a->grad_output ? 0 : 1, wmax = a->weight ? 0 : 1;
    for (size_t i = 0; a->grad_output && i < outn; i++) gmax = fmax(gmax, fabs(a->grad_output[i]));
    for (size_t j = 0; a->weight && j < a->c; j++) wmax = fmax(wmax, fabs(a->weight[j]));
    return divisor > 0 ? tol * gmax * wmax / divisor : 0;
}

typedef struct {
    double rel, absn;
} tol_t;

static tol_t row_tol(const lc_export *e) { return e->float_type == LC_FLOAT ? (tol_t){1e-5, 2e-6} : (tol_t){1e-12, 1e-13}; }

/* One call with and without the gradient against a reference. */
static void check_rows_against(const lc_export *e, const value_case *vc, const lc_data *d, const double *want, const double *wgrad,
                               double divisor, tol_t tol, int finite, int line) {
    size_t P = d->n * d->inner, E = P * d->c, outn = d->reduction == LOSSCORE_REDUCTION_NONE ? P : 1;
    double *out = malloc((outn + 1) * sizeof *out), *gi = malloc((E + 1) * sizeof *gi);
    char ctx[320];
    describe(ctx, sizeof ctx, e, vc, d);
    int overrun;
    losscore_status s = lc_run(e, d, out, gi, &overrun);
    check_at(s == LOSSCORE_OK && !overrun && losscore_last_error()[0] == '\0', line, "%s: status %s (\"%s\"), overrun %d", ctx,
             losscore_status_string(s), losscore_last_error(), overrun);
    long bad = mismatch(out, want, outn, tol.rel, tol.absn, 0);
    check_at(bad < 0, line, "%s: loss[%ld] = %.17g, expected %.17g", ctx, bad, bad < 0 ? 0 : out[bad], bad < 0 ? 0 : want[bad]);
    bad = mismatch(gi, wgrad, E, tol.rel, tol.absn, grad_floor(d, outn, divisor, tol.absn));
    check_at(bad < 0, line, "%s: grad[%ld] = %.17g, expected %.17g", ctx, bad, bad < 0 ? 0 : gi[bad], bad < 0 ? 0 : wgrad[bad]);
    if (finite) check_at(all_finite(out, outn) && all_finite(gi, E), line, "%s: a loss or gradient is not finite", ctx);
    s = lc_run(e, d, out, NULL, &overrun);
    bad = mismatch(out, want, outn, tol.rel, tol.absn, 0);
    check_at(s == LOSSCORE_OK && !overrun && bad < 0, line, "%s loss only: status %s, overrun %d, loss[%ld] = %.17g, expected %.17g",
             ctx, losscore_status_string(s), overrun, bad, bad < 0 ? 0 : out[bad], bad < 0 ? 0 : want[bad]);
    free(out), free(gi);
}

/* Runs one call of each export of es (NULL ends it) with and without the gradient and
 * compares with the reference (the data are exact in float: one reference serves both). */
static void check_rows(const lc_export *const *es, const value_case *vc, const lc_data *d, const tol_t *fixed, double xmax, int finite,
                       int line) {
    size_t P = d->n * d->inner, E = P * d->c, outn = d->reduction == LOSSCORE_REDUCTION_NONE ? P : 1;
    double *want = malloc((outn + 1) * sizeof *want), *wgrad = malloc((E + 1) * sizeof *wgrad);
    double divisor = ref_rows(vc->row, d, want, wgrad);
    for (; *es; es++) {
        double wide = 8 * type_eps((*es)->float_type) * (1 + xmax); /* scores of magnitude xmax: eps * xmax */
        tol_t tol = fixed ? *fixed : xmax > 0 ? (tol_t){wide, wide} : row_tol(*es);
        check_rows_against(*es, vc, d, want, wgrad, divisor, tol, finite, line);
    }
    free(want), free(wgrad);
}
typedef struct {
    size_t n, c, inner;
} layout_t;

/* (N, C), unbatched, K-dim (N, C, d...), one class, and the library's K-dim tiles (up to 64
 * positions, 4096 / c for wide rows) and blocks of about 32768 elements, which may split a
 * sample; the large ones run on several threads. */
static const layout_t LAYOUTS[] = {
    {6, 5, 1},  {1, 7, 1},   {3, 4, 5},    {1, 3, 6},      {2, 1, 3},    {4, 6, 130},   {37, 11, 1},
    {2, 3, 63}, {2, 3, 64},  {2, 3, 65},   {5, 100, 97},   {2, 4097, 2}, {3, 1003, 1},  {70001, 4, 1}, {3, 4, 30011},
};
#define NUM_LAYOUTS (sizeof LAYOUTS / sizeof LAYOUTS[0])

/* Buffers of one class-row call: scores in [-3, 3); class indices in [0, c), a fraction
 * `ignore_frac` replaced by ii; probabilities that sum to 1 (every third position: not
 * normalized, which the formula allows); class weights; grad_output. */
typedef struct {
    double *x, *tp, *w, *go;
    int64_t *t;
} row_data;

static row_data rows_make(layout_t L, int64_t ii, double ignore_frac) {
    size_t P = L.n * L.inner, E = P * L.c;
    row_data b = {malloc(E * sizeof(double)), malloc(E * sizeof(double)), malloc(L.c * sizeof(double)), malloc(P * sizeof(double)),
                  malloc(P * sizeof(int64_t))};
    fill_uniform(b.x, E, -3, 3);
    for (size_t pos = 0; pos < P; pos++) {
        b.t[pos] = (int64_t)(rng_next() % L.c);
        if (ignore_frac > 0 && rng_uniform(0, 1) < ignore_frac) b.t[pos] = ii;
    }
    for (size_t pos = 0; pos < P; pos++) {
        size_t base = (pos / L.inner) * L.c * L.inner + pos % L.inner;
        double sum = 0;
        for (size_t j = 0; j < L.c; j++) sum += (b.tp[base + j * L.inner] = rng_uniform(0, 1));
        for (size_t j = 0; pos % 3 != 2 && j < L.c; j++) b.tp[base + j * L.inner] /= sum;
    }
    fill_uniform(b.w, L.c, 0.2, 2.5);
    fill_uniform(b.go, P, -2, 2);
    return b;
}

static void rows_free(row_data *b) { free(b->x), free(b->tp), free(b->w), free(b->go), free(b->t); }

static lc_data rows_args(const double *opt, const row_data *b, layout_t L, int64_t ii, int r, int weighted, int use_go) {
    lc_data d = {0};
    d.input = b->x, d.target = b->tp, d.index = b->t, d.weight = weighted ? b->w : NULL;
    d.n = L.n, d.c = L.c, d.inner = L.inner, d.ignore_index = ii, d.reduction = r;
    d.grad_output = use_go ? b->go : NULL;
    memcpy(d.options, opt, sizeof d.options);
    return d;
}

static void test_row_values(const value_case *vc, const lc_export *const *es) {
    for (size_t li = 0; li < NUM_LAYOUTS; li++) {
        layout_t L = LAYOUTS[li];
        int large = L.n * L.inner * L.c > 100000;
        if (large && !first_of_loss(vc)) continue;
        const lc_export *e = es[0];
        /* ignore_index: none ignored; -100 ignored; inside [0, C); == C; INT64_MIN. */
        const struct { int64_t ii; double frac; } IGN[] = {{-100, 0}, {-100, 0.25}, {1, 0.25}, {(int64_t)L.c, 0.25}, {INT64_MIN, 0.25}};
        size_t nign = !lc_has(e, LC_IGNORE_INDEX) ? 1 : large ? 2 : 5;
        for (size_t ig = large && nign > 1; ig < nign; ig++) { /* large: with ignored positions only */
            rng_state = 1000 * li + 10 * (uint64_t)(vc - VALUE_CASES) + ig;
            row_data b = rows_make(L, IGN[ig].ii, IGN[ig].frac);
            for (int weighted = large; weighted <= 1; weighted++)
                for (int r = 0; r < 3; r++)
                    for (int use_go = large ? r == 0 : 0; use_go <= (large ? r == 0 : 1); use_go++) {
                        lc_data d = rows_args(vc->opt, &b, L, IGN[ig].ii, r, weighted, use_go);
                        check_rows(es, vc, &d, NULL, 0, 0, __LINE__);
                    }
            rows_free(&b);
        }
    }
}

/* Scores of +-800: every loss and gradient is finite and matches the reference. */
static void test_row_extremes(const value_case *vc, const lc_export *const *es) {
    static const double x[18] = {800, -800, 0, -800, 800, -800, 800, 800, -800, -800, -800, -800, 800, -800, -800, 0, 800, -800};
    static const int64_t t[6] = {0, 0, 1, 2, 0, 1};
    double tp[18];
    const double w[3] = {0.5, 2, 1};
    for (int i = 0; i < 6; i++)
        for (int j = 0; j < 3; j++) tp[i * 3 + j] = j == t[i] ? 1.0 : 0.0;
    for (int weighted = 0; weighted <= 1; weighted++)
        for (int r = 0; r < 3; r++) {
            lc_data d = {.input = x, .target = tp, .index = t, .weight = weighted ? w : NULL, .n = 6, .c = 3, .inner = 1,
                         .ignore_index = -100, .reduction = r};
            memcpy(d.options, vc->opt, sizeof d.options);
            check_rows(es, vc, &d, &(tol_t){1e-6, 1e-6}, 0, 1, __LINE__);
        }
}

/* ------------------------------------------------------------------------ */
/* Class margins: reference and check                                         */
/* ------------------------------------------------------------------------ */

/* Loss (out count values) and gradient (n * c values) of the margin losses as the header
 * defines them, in long double, per row of c scores: multi-margin at class index[i]
 * (options p, margin); multi-label margin at the label row index[i * c ...] up to its first
 * -1; multi-label soft margin against target, with c per-class or n * c per-element weights
 * (weight_count). MEAN divides by n. Returns that divisor. */
static double ref_margins(row_kind kind, const lc_data *a, double *out, double *grad) {
    const size_t n = a->n, C = a->c;
    long double *gl = malloc((C ? C : 1) * sizeof *gl), total = 0;
    char *listed = malloc(C ? C : 1);
    for (size_t i = 0; i < n; i++) {
        const double *x = a->input + i * C;
        long double l = 0;
        for (size_t j = 0; j < C; j++) gl[j] = 0;
        if (kind == ROW_MULTI_MARGIN) {
            size_t y = (size_t)a->index[i];
            long double p = a->options[0], margin = a->options[1], wy = a->weight ? a->weight[y] : 1;
            for (size_t j = 0; j < C; j++) {
                long double z = margin - (long double)x[y] + (long double)x[j];
                if (j == y || !(z > 0)) continue;
                l += wy * (p == 1 ? z : z * z), gl[j] = wy * (p == 1 ? 1 : 2 * z), gl[y] -= gl[j];
            }
        } else if (kind == ROW_MULTILABEL_MARGIN) {
            const int64_t *row = a->index + i * C;
            size_t k = 0;
            memset(listed, 0, C);
            while (k < C && row[k] >= 0) listed[row[k++]] = 1;
            for (size_t m = 0; m < k; m++) {
                size_t y = (size_t)row[m];
                for (size_t j = 0; j < C; j++) {
                    long double z = 1 - ((long double)x[y] - (long double)x[j]);
                    if (listed[j] || !(z > 0)) continue;
                    l += z, gl[j] += 1, gl[y] -= 1;
                }
            }
        } else {
            for (size_t j = 0; j < C; j++) {
                long double xj = x[j], yj = a->target[i * C + j];
                long double w = !a->weight ? 1 : a->weight[a->weight_count == n * C && n * C != C ? i * C + j : j];
                long double softplus = fmaxl(-xj, 0) + log1pl(expl(-fabsl(xj)));
                l += w * ((1 - yj) * xj + softplus), gl[j] = w * (1 / (1 + expl(-xj)) - yj);
            }
        }
        double g = a->reduction == LOSSCORE_REDUCTION_NONE ? (a->grad_output ? a->grad_output[i] : 1.0)
                                                           : (a->grad_output ? a->grad_output[0] : 1.0) / (a->reduction == LOSSCORE_REDUCTION_MEAN ? (double)n : 1);
        for (size_t j = 0; j < C; j++) grad[i * C + j] = (double)(g * gl[j] / C);
        if (a->reduction == LOSSCORE_REDUCTION_NONE) out[i] = (double)(l / C);
        total += l / C;
    }
    double div = a->reduction == LOSSCORE_REDUCTION_MEAN ? (double)n : 1.0;
    if (a->reduction != LOSSCORE_REDUCTION_NONE) out[0] = (double)(total / div);
    free(gl), free(listed);
    return div;
}

/* Buffers of one margin call: scores in [-3, 3) (with ties at the margin: multiples of
 * 0.25), class indices, label rows (a random number of distinct labels, some repeated,
 * some rows empty or full, then -1 and values in [-1, c)), soft targets in [0, 1] (exact
 * 0 and 1 among them), class and element weights, grad_output. */
typedef struct {
    double *x, *y, *w, *go;
    int64_t *t, *labels;
} margin_data;

static margin_data margins_make(size_t n, size_t c) {
    size_t E = n * c;
    margin_data b = {malloc(E * sizeof(double)), malloc(E * sizeof(double)), malloc(E * sizeof(double)),
                     malloc((n ? n : 1) * sizeof(double)), malloc((n ? n : 1) * sizeof(int64_t)), malloc(E * sizeof(int64_t))};
    for (size_t i = 0; i < E; i++) b.x[i] = rng_next() % 4 ? rng_uniform(-3, 3) : (double)((int)(rng_next() % 25) - 12) * 0.25;
    for (size_t i = 0; i < E; i++) b.y[i] = rng_next() % 3 ? (double)(rng_next() % 2) : rng_uniform(0, 1);
    fill_uniform(b.w, E, 0.2, 2.5);
    fill_uniform(b.go, n, -2, 2);
    for (size_t i = 0; i < n; i++) {
        b.t[i] = (int64_t)(rng_next() % c);
        int64_t *row = b.labels + i * c;
        size_t k = rng_next() % 5 == 0 ? c : (size_t)(rng_next() % (c < 4 ? c + 1 : 4));
        for (size_t j = 0; j < c; j++) row[j] = (int64_t)j;
        for (size_t j = 0; j + 1 < c; j++) { /* a random order of the classes */
            size_t s = j + rng_next() % (c - j);
            int64_t keep = row[j];
            row[j] = row[s], row[s] = keep;
        }
        if (k >= 2 && k < c && rng_next() % 3 == 0) row[1] = row[0]; /* a label listed twice */
        for (size_t j = k; j < c; j++) row[j] = j == k ? -1 : (int64_t)(rng_next() % (c + 1)) - 1;
    }
    return b;
}

static void margins_free(margin_data *b) { free(b->x), free(b->y), free(b->w), free(b->go), free(b->t), free(b->labels); }

/* Layouts (n, c): small, unbatched, one class, wide rows, and enough rows for several blocks
 * on several threads. */
static const layout_t MARGIN_LAYOUTS[] = {{6, 5, 1}, {1, 7, 1}, {4, 1, 1}, {37, 11, 1}, {3, 1003, 1}, {2, 300, 1}, {70001, 4, 1}};

static void check_margins(const lc_export *const *es, const value_case *vc, const lc_data *d, int line) {
    size_t E = d->n * d->c, outn = d->reduction == LOSSCORE_REDUCTION_NONE ? d->n : 1;
    double *want = malloc((outn + 1) * sizeof *want), *wgrad = malloc((E + 1) * sizeof *wgrad);
    double divisor = ref_margins(vc->row, d, want, wgrad);
    for (; *es; es++) check_rows_against(*es, vc, d, want, wgrad, divisor, row_tol(*es), 0, line);
    free(want), free(wgrad);
}

/* Every layout, reduction, weighting (per class; per element for the soft margin) and
 * grad_output against the reference; the f64 gradient against central differences; NaN
 * scores and targets as data. */
static void test_margin_values(const value_case *vc, const lc_export *const *es) {
    const lc_export *e = es[0];
    for (size_t li = 0; li < sizeof MARGIN_LAYOUTS / sizeof MARGIN_LAYOUTS[0]; li++) {
        layout_t L = MARGIN_LAYOUTS[li];
        int large = L.n * L.c > 100000;
        if (large && !first_of_loss(vc)) continue;
        rng_state = 5000 + 1000 * li + 10 * (uint64_t)(vc - VALUE_CASES);
        margin_data b = margins_make(L.n, L.c);
        int weights = !lc_has(e, LC_WEIGHT) ? 1 : lc_has(e, LC_WEIGHT_COUNT) ? 3 : 2;
        for (int weighted = large ? weights - 1 : 0; weighted < weights; weighted++)
            for (int r = 0; r < 3; r++)
                for (int use_go = large ? r == 0 : 0; use_go <= (large ? r == 0 : 1); use_go++) {
                    lc_data d = {.input = b.x, .target = b.y, .index = vc->row == ROW_MULTILABEL_MARGIN ? b.labels : b.t,
                                 .weight = weighted ? b.w : NULL, .weight_count = weighted == 2 ? L.n * L.c : L.c,
                                 .n = L.n, .c = L.c, .inner = 1, .reduction = r, .grad_output = use_go ? b.go : NULL};
                    memcpy(d.options, vc->opt, sizeof d.options);
                    check_margins(es, vc, &d, __LINE__);
                }
        margins_free(&b);
    }
    /* Finite differences of the f64 export (scores away from the kinks: no ties). */
    const lc_export *e64 = lc_find(e->base, LC_DOUBLE);
    enum { N = 3, C = 5, E = N * C };
    rng_state = 99 + (uint64_t)(vc - VALUE_CASES);
    margin_data b = margins_make(N, C);
    fill_uniform(b.x, E, -3, 3);
    for (int r = 0; r < 3; r++) {
        lc_data d = {.input = b.x, .target = b.y, .index = vc->row == ROW_MULTILABEL_MARGIN ? b.labels : b.t,
                     .weight = lc_has(e64, LC_WEIGHT) ? b.w : NULL, .n = N, .c = C, .inner = 1, .reduction = r, .grad_output = b.go};
        memcpy(d.options, vc->opt, sizeof d.options);
        size_t outn = r == 0 ? N : 1;
        double out[E], grad[E], x[E], op[E], om[E];
        int ov;
        losscore_status s = lc_run(e64, &d, out, grad, &ov);
        memcpy(x, b.x, sizeof x);
        d.input = x, d.grad_output = NULL;
        long worst = -1;
        double worst_fd = 0;
        for (size_t el = 0; el < E; el++) {
            const double h = 1e-6, keep = x[el];
            double fp = 0, fm = 0;
            x[el] = keep + h, lc_run(e64, &d, op, NULL, &ov);
            x[el] = keep - h, lc_run(e64, &d, om, NULL, &ov);
            x[el] = keep;
            for (size_t k = 0; k < outn; k++) fp += b.go[k] * op[k], fm += b.go[k] * om[k];
            double fd = (fp - fm) / (2 * h);
            if (!close_to(grad[el], fd, 1e-6, 1e-7) && worst < 0) worst = (long)el, worst_fd = fd;
        }
        CHECK(s == LOSSCORE_OK && worst < 0, "%s %s: status %s, grad[%ld] = %.12g, finite difference %.12g", e64->name, red_name(r),
              losscore_status_string(s), worst, worst >= 0 ? grad[worst] : 0, worst_fd);
    }
    /* NaN scores and targets: the reference's answer in every row (NaN propagates where the
     * formula takes it: a NaN margin term is not positive). */
    b.x[1] = NAN, b.x[7] = NAN, b.y[3] = NAN, b.y[12] = NAN;
    for (int r = 0; r < 3; r++) {
        lc_data d = {.input = b.x, .target = b.y, .index = vc->row == ROW_MULTILABEL_MARGIN ? b.labels : b.t, .n = N, .c = C,
                     .inner = 1, .reduction = r};
        memcpy(d.options, vc->opt, sizeof d.options);
        check_margins(es, vc, &d, __LINE__);
    }
    margins_free(&b);
}

/* ------------------------------------------------------------------------ */
/* Metrics                                                                    */
/* ------------------------------------------------------------------------ */

/* The prediction: the first index of the row maximum, a NaN counting as the maximum. */
static size_t ref_argmax(const double *row, size_t c) {
    for (size_t j = 0; j < c; j++)
        if (isnan(row[j])) return j;
    size_t best = 0;
    for (size_t j = 1; j < c; j++)
        if (row[j] > row[best]) best = j;
    return best;
}

/* Random rows with many ties (scores, against the reference argmax) or labels with many
 * repeats; every reduction exactly (the error count) or to rounding (the rate). */
static void test_metric_values(const value_case *vc, const lc_export *e) {
    enum { N = 400, C = 6 };
    static double s[N * C], want[N], out[N];
    static int64_t t[N], pred[N];
    int labels = e->input_type == LC_INT64;
    rng_state = 77 + (uint64_t)(vc - VALUE_CASES);
    double errors = 0;
    for (size_t i = 0; i < N; i++) {
        for (size_t j = 0; j < C; j++) s[i * C + j] = (double)(rng_next() % 4);
        t[i] = (int64_t)(rng_next() % C), pred[i] = (int64_t)(rng_next() % C);
        want[i] = labels ? pred[i] != t[i] : ref_argmax(&s[i * C], C) != (size_t)t[i];
        errors += want[i];
    }
    lc_data d = {.input = s, .input_index = pred, .index = t, .n = N, .c = C, .inner = 1};
    for (int r = 0; r < 3; r++) {
        d.reduction = r;
        int overrun;
        losscore_status st = lc_run(e, &d, out, NULL, &overrun);
        int ok = st == LOSSCORE_OK && !overrun;
        if (r == 0) ok &= memcmp(out, want, sizeof want) == 0;
        if (r == 1) ok &= close_to(out[0], errors / N, type_eps(e->float_type), 0);
        if (r == 2) ok &= out[0] == errors;
        CHECK(ok, "%s random %s: status %s, %g (expected %g errors of %d)", e->name, red_name(r), losscore_status_string(st), out[0],
              errors, N);
    }
}

/* ------------------------------------------------------------------------ */
/* Finite differences and NaN as data, over the value cases                   */
/* ------------------------------------------------------------------------ */

/* The first of `count` values (the buffer d reads one of its inputs from) where `grad` differs
 * from the central difference of sum_k grad_output_k loss_k in that value, or -1; *fd gets
 * that difference. */
static long fd_mismatch(const lc_export *e, lc_data *d, double *values, size_t count, const double *grad, size_t outn,
                        double *fd) {
    const double *go = d->grad_output;
    double *op = malloc((outn + 1) * sizeof *op), *om = malloc((outn + 1) * sizeof *om);
    long worst = -1;
    int ov;
    d->grad_output = NULL;
    for (size_t j = 0; j < count && worst < 0; j++) {
        const double h = 1e-6, keep = values[j];
        double fp = 0, fm = 0;
        values[j] = keep + h, lc_run(e, d, op, NULL, &ov);
        values[j] = keep - h, lc_run(e, d, om, NULL, &ov);
        values[j] = keep;
        for (size_t k = 0; k < outn; k++) fp += go[k] * op[k], fm += go[k] * om[k];
        *fd = (fp - fm) / (2 * h);
        if (!close_to(grad[j], *fd, 1e-6, 1e-7)) worst = (long)j;
    }
    d->grad_output = go;
    free(op), free(om);
    return worst;
}

/* Central differences of the f64 export check the gradient formulas themselves (the
 * references use the same formulas): with weights, pos_weight and grad_output. */
static void test_finite_differences(const value_case *vc, const lc_export *e) {
    if (e->family == LC_METRIC || e->family == LC_CLASS_MARGINS || e->float_type != LC_DOUBLE) return;
    enum { N = 7, RN = 2, RC = 4, RI = 3, RP = RN * RI, RE = RN * RC * RI, MAXE = RE };
    rng_state = 77 + (uint64_t)(vc - VALUE_CASES);
    int rows = e->family == LC_CLASS_ROWS;
    ew_data b = {0};
    row_data rb = {0};
    if (rows) {
        rb = rows_make((layout_t){RN, RC, RI}, -100, 0.2);
        fill_uniform(rb.go, RP, 0.5, 2);
    } else {
        b = ew_make(vc->data, vc->opt[0], N, 1);
    }
    size_t E = rows ? RE : N, P = rows ? RP : N;
    for (int r = 0; r < 3; r++) {
        lc_data d = rows ? rows_args(vc->opt, &rb, (layout_t){RN, RC, RI}, -100, r, 1, 1) : ew_args(vc->opt, &b, N, r, 1, 2, 1);
        size_t outn = r == 0 ? P : 1;
        double out[MAXE], grad[MAXE], x[MAXE];
        int ov;
        losscore_status s = lc_run(e, &d, out, grad, &ov);
        memcpy(x, d.input, E * sizeof *x);
        const double *orig = d.input;
        d.input = x;
        double worst_fd = 0;
        long worst = fd_mismatch(e, &d, x, E, grad, outn, &worst_fd);
        d.input = orig;
        char ctx[320];
        describe(ctx, sizeof ctx, e, vc, &d);
        CHECK(s == LOSSCORE_OK && worst < 0, "%s: status %s, grad[%ld] = %.12g, finite difference %.12g", ctx,
              losscore_status_string(s), worst, worst >= 0 ? grad[worst] : 0, worst_fd);
        if (lc_has(e, LC_GRAD_INPUT2)) { /* the second input's gradient, the same way */
            size_t n2 = input2_count(&d);
            double grad2[MAXE], x2[MAXE];
            s = lc_run2(e, &d, out, grad, grad2, &ov);
            memcpy(x2, d.input2, n2 * sizeof *x2);
            const double *orig2 = d.input2;
            d.input2 = x2;
            worst = fd_mismatch(e, &d, x2, n2, grad2, outn, &worst_fd);
            d.input2 = orig2;
            CHECK(s == LOSSCORE_OK && worst < 0, "%s: status %s, %s[%ld] = %.12g, finite difference %.12g", ctx,
                  losscore_status_string(s), e->input2_name, worst, worst >= 0 ? grad2[worst] : 0, worst_fd);
        }
    }
    if (rows)
        rows_free(&rb);
    else
        ew_free(&b);
}

/* NaN scores or targets are data, not errors (except for BCE, which refuses them): they
 * propagate into their own position only, wherever the formula propagates them. */
static void test_nan_data(const value_case *vc, const lc_export *e) {
    if (e->family == LC_METRIC || e->family == LC_CLASS_MARGINS || vc->data == D_PROBS) return;
    int rows = e->family == LC_CLASS_ROWS;
    enum { N = 5 };
    double x[N] = {0.5, NAN, -2, 1, 3}, y[N] = {1, 0, 0, NAN, 0.5}, x2[N] = {0.25, 1, 1.5, 0.75, 2}; /* (positive: a valid var) */
    double rx[9] = {1, 2, 3, NAN, 0, 1, -1, 0.5, 2}, tp[9] = {0, 0, 1, 1, 0, 0, 0, 1, 0};
    const int64_t t[3] = {2, 0, 1};
    lc_data d = rows ? (lc_data){.input = rx, .target = tp, .index = t, .n = 3, .c = 3, .inner = 1, .ignore_index = -100}
                     : (lc_data){.input = x, .target = y, .input2 = lc_has(e, LC_INPUT2) ? x2 : NULL, .n = N};
    memcpy(d.options, vc->opt, sizeof d.options);
    size_t P = rows ? 3 : N, E = rows ? 9 : N;
    double out[9], g[9], want[9], wg[9], to[9], tg[9];
    int ov;
    if (rows)
        ref_rows(vc->row, &d, want, wg);
    else
        ref_elementwise(e->float_type, vc, &d, want, wg, to, tg, NULL);
    losscore_status s = lc_run(e, &d, out, g, &ov);
    double tol = e->float_type == LC_FLOAT ? 2e-6 : 1e-13;
    int ok = s == LOSSCORE_OK;
    for (size_t i = 0; i < P; i++) ok &= close_to(out[i], want[i], tol, tol);
    for (size_t i = 0; i < E; i++) ok &= close_to(g[i], wg[i], tol, tol);
    for (size_t i = 0; i < P; i++) ok &= !isnan(out[i]) == !isnan(want[i]); /* NaN exactly where the reference has it */
    ok &= isnan(out[1]); /* a NaN score is NaN in every loss */
    CHECK(ok, "%s(%g) with NaN data: status %s; the NaN positions must be NaN and the others as without NaN", e->name, vc->opt[0],
          losscore_status_string(s));
    d.reduction = LOSSCORE_REDUCTION_SUM;
    s = lc_run(e, &d, out, g, &ov);
    CHECK(s == LOSSCORE_OK && isnan(out[0]), "%s sum with NaN data: %g", e->name, out[0]);
}

/* ------------------------------------------------------------------------ */
/* Values worked out by hand                                                  */
/* ------------------------------------------------------------------------ */

#define V(...) ((const double[]){__VA_ARGS__})
#define I(...) ((const int64_t[]){__VA_ARGS__})

typedef struct {
    const char *base, *what;
    double opt[2];
    int r;
    size_t n, c, inner;
    const double *x, *y; /* input (scores), float target */
    const int64_t *t, *xi; /* class indices; int64 input */
    const double *w, *pw;
    size_t pwc;
    const double *go;
    const double *want, *want_grad; /* want_grad NULL: not checked */
    double tol32, tol64;            /* relative; 0 is exact */
    lc_type only;                   /* LC_NONE: both types */
} hand_t;

#define L2 0.69314718055994530942               /* log 2 */
#define INV_EPS12 (1.0 / (double)1e-12f)      /* 1.0000000040e12: over torch's float 1e-12 */

static const hand_t HAND_CASES[] = {
    /* Regression: the tutorial's MAE; weighted means (l1 and mse divide by sum w, huber by n). */
    {"l1_loss", "tutorial MAE", {0}, 1, 3, 0, 1, V(0, 0.1, 0.2), V(0, 0.2, 0.25), .want = V(0.05), .want_grad = V(0, -1.0 / 3, -1.0 / 3),
     .tol32 = 1e-6, .tol64 = 1e-15},
    {"l1_loss", "weighted mean / sum w", {0}, 1, 3, 0, 1, V(1, 2, 3), V(0, 0, 0), .w = V(1, 2, 3), .want = V(14.0 / 6),
     .want_grad = V(1.0 / 6, 2.0 / 6, 3.0 / 6), .tol32 = 1e-6, .tol64 = 1e-15},
    {"mse_loss", "weighted mean / sum w", {0}, 1, 3, 0, 1, V(1, 2, 3), V(0, 0, 0), .w = V(1, 2, 3), .want = V(6),
     .want_grad = V(2.0 / 6, 8.0 / 6, 3), .tol32 = 1e-6, .tol64 = 1e-15},
    {"huber_loss", "weighted mean / n", {1}, 1, 3, 0, 1, V(1, 2, 3), V(0, 0, 0), .w = V(1, 2, 3), .want = V(11.0 / 3),
     .want_grad = V(1.0 / 3, 2.0 / 3, 1), .tol32 = 1e-6, .tol64 = 1e-15},
    {"huber_loss", "weighted none", {1}, 0, 3, 0, 1, V(1, 2, 3), V(0, 0, 0), .w = V(1, 2, 3), .want = V(0.5, 3, 7.5)},
    /* l1: sgn(NaN) = 0 in the gradient, the loss is NaN; inf - inf is NaN. */
    {"l1_loss", "NaN and inf", {0}, 0, 4, 0, 1, V(NAN, 1, INFINITY, 2), V(0, NAN, INFINITY, 0), .want = V(NAN, NAN, NAN, 2),
     .want_grad = V(0, 0, 0, 1)},
    {"l1_loss", "NaN and inf, mean", {0}, 1, 4, 0, 1, V(NAN, 1, INFINITY, 2), V(0, NAN, INFINITY, 0), .want = V(NAN),
     .want_grad = V(0, 0, 0, 0.25)},
    /* The others propagate NaN into the gradient (torch). */
    {"smooth_l1_loss", "NaN", {1}, 0, 4, 0, 1, V(NAN, 0.5, 4, 1), V(0, 0, 0, NAN), .want = V(NAN, 0.125, 3.5, NAN),
     .want_grad = V(NAN, 0.5, 1, NAN)},
    {"smooth_l1_loss", "NaN", {0.25}, 2, 4, 0, 1, V(NAN, 0.5, 4, 1), V(0, 0, 0, NAN), .want = V(NAN), .want_grad = V(NAN, 1, 1, NAN)},
    {"huber_loss", "NaN", {1}, 0, 4, 0, 1, V(NAN, 0.5, 4, 1), V(0, 0, 0, NAN), .want = V(NAN, 0.125, 3.5, NAN),
     .want_grad = V(NAN, 0.5, 1, NAN)},
    {"huber_loss", "NaN", {3}, 2, 4, 0, 1, V(NAN, 0.5, 4, 1), V(0, 0, 0, NAN), .want = V(NAN), .want_grad = V(NAN, 0.5, 3, NAN)},
    {"mse_loss", "NaN", {0}, 0, 4, 0, 1, V(NAN, 0.5, 4, 1), V(0, 0, 0, NAN), .want = V(NAN, 0.25, 16, NAN),
     .want_grad = V(NAN, 1, 8, NAN)},
    /* |d| == beta (delta) takes the outer slope; the values are continuous there. */
    {"smooth_l1_loss", "|d| = beta", {0.5}, 0, 4, 0, 1, V(0.5, -0.5, 2, -2), V(0, 0, 0, 0), .want = V(0.25, 0.25, 1.75, 1.75),
     .want_grad = V(1, -1, 1, -1)},
    {"huber_loss", "|d| = delta", {2}, 0, 4, 0, 1, V(0.5, -0.5, 2, -2), V(0, 0, 0, 0), .want = V(0.125, 0.125, 2, 2),
     .want_grad = V(0.5, -0.5, 2, -2)},
    /* Infinite differences; infinite options. */
    {"l1_loss", "+-inf", {0}, 0, 2, 0, 1, V(INFINITY, -INFINITY), V(0, 0), .want = V(INFINITY, INFINITY), .want_grad = V(1, -1)},
    {"mse_loss", "+-inf", {0}, 0, 2, 0, 1, V(INFINITY, -INFINITY), V(0, 0), .want = V(INFINITY, INFINITY),
     .want_grad = V(INFINITY, -INFINITY)},
    {"huber_loss", "+-inf", {1.5}, 2, 2, 0, 1, V(INFINITY, -INFINITY), V(0, 0), .want = V(INFINITY), .want_grad = V(1.5, -1.5)},
    {"smooth_l1_loss", "+-inf", {1}, 0, 2, 0, 1, V(INFINITY, -INFINITY), V(0, 0), .want = V(INFINITY, INFINITY),
     .want_grad = V(1, -1)},
    {"smooth_l1_loss", "beta = inf", {INFINITY}, 1, 1, 0, 1, V(1), V(0), .want = V(0)},
    {"huber_loss", "delta = inf: half the mse", {INFINITY}, 1, 1, 0, 1, V(1), V(0), .want = V(0.5)},
    /* BCE: x = 0.5 gives log 2, gradient -+2; weighted MEAN divides by n, not the weights. */
    {"binary_cross_entropy", "x = 0.5", {0}, 0, 2, 0, 1, V(0.5, 0.5), V(1, 0), .want = V(L2, L2), .want_grad = V(-2, 2),
     .tol32 = 2e-7, .tol64 = 2e-16},
    {"binary_cross_entropy", "weighted mean / n", {0}, 1, 2, 0, 1, V(0.5, 0.5), V(1, 0), .w = V(3, 1), .want = V(2 * L2),
     .want_grad = V(-3, 1), .tol32 = 2e-7, .tol64 = 2e-16},
    {"binary_cross_entropy", "weighted sum", {0}, 2, 2, 0, 1, V(0.5, 0.5), V(1, 0), .w = V(3, 1), .want = V(4 * L2),
     .want_grad = V(-6, 2), .tol32 = 2e-7, .tol64 = 2e-16},
    /* BCE at x in {0, 1}: each log clamped at -100; the gradient over the float 1e-12. */
    {"binary_cross_entropy", "x in {0, 1}", {0}, 0, 4, 0, 1, V(0, 0, 1, 1), V(1, 0, 0, 0.25), .want = V(100, 0, 100, 75),
     .want_grad = V(-INV_EPS12, 0, INV_EPS12, 0.75 * INV_EPS12), .tol32 = 2e-7, .tol64 = 2e-16},
    {"binary_cross_entropy", "f64 gradient floor is 1e-12f, not 1e-12", {0}, 2, 1, 0, 1, V(0), V(1), .want = V(100),
     .want_grad = V(-INV_EPS12), .only = LC_DOUBLE},
    /* BCE: a NaN weight or grad_output is data. */
    {"binary_cross_entropy", "NaN weight and grad_output", {0}, 0, 3, 0, 1, V(0.25, 0.5, 0.75), V(0, 1, 1), .w = V(1, NAN, 2),
     .go = V(NAN, 1, 1), .want = V(0.28768207245178093, NAN, 0.57536414490356186), .want_grad = V(NAN, NAN, -8.0 / 3),
     .tol32 = 2e-7, .tol64 = 2e-16},
    /* BCE with logits: x = 0 gives log 2, gradient 1/2 - y; pos_weight 3 scales the positive
     * term. x = -20, y = 0: log1p(exp(-20)) = 2.06e-9, not 0 (float too). */
    {"binary_cross_entropy_with_logits", "x = 0, pos_weight 3", {0}, 0, 2, 0, 1, V(0, 0), V(0, 1), .pw = V(3), .pwc = 1,
     .want = V(L2, 3 * L2), .want_grad = V(0.5, -1.5), .tol32 = 2e-7, .tol64 = 2e-16},
    {"binary_cross_entropy_with_logits", "x = -20, y = 0", {0}, 2, 1, 0, 1, V(-20), V(0), .want = V(2.061153620314381e-09),
     .want_grad = V(2.0611536181902033e-09), .tol32 = 8e-7, .tol64 = 8e-16},
    /* x = +inf, y = 0: +inf, gradient 1; x = -inf, y = 1: the limit +inf (torch's form: NaN). */
    {"binary_cross_entropy_with_logits", "x = +-inf", {0}, 0, 2, 0, 1, V(INFINITY, -INFINITY), V(0, 1), .pw = V(2), .pwc = 1,
     .want = V(INFINITY, INFINITY), .want_grad = V(1, -2)},
    /* Sigmoid focal at x = 0, alpha 0.25, gamma 2: p = q = 1/2, ce = log 2. */
    {"sigmoid_focal_loss", "x = 0", {0.25, 2}, 0, 2, 0, 1, V(0, 0), V(1, 0), .want = V(0.25 * L2 / 4, 0.75 * L2 / 4),
     .want_grad = V(0.25 * (-0.125 - 0.25 * L2), 0.75 * (0.125 + 0.25 * L2)), .tol32 = 2e-7, .tol64 = 2e-16},
    {"sigmoid_focal_loss", "alpha -1, gamma 0: BCE with logits", {-1, 0}, 1, 2, 0, 1, V(0, 0), V(1, 0), .want = V(L2),
     .want_grad = V(-0.25, 0.25), .tol32 = 2e-7, .tol64 = 2e-16},
    /* Cross-entropy of equal scores is log 2 per position; a weighted mean divides by the sum of
     * the target weights; NLL is -x_t. */
    {"cross_entropy", "equal scores", {0}, 1, 2, 2, 1, V(0, 0, 1, 1), .t = I(0, 1), .want = V(L2), .want_grad = V(-0.25, 0.25, 0.25, -0.25),
     .tol32 = 1e-7, .tol64 = 1e-15},
    {"cross_entropy", "equal scores, weighted mean", {0}, 1, 2, 2, 1, V(0, 0, 1, 1), .t = I(0, 1), .w = V(1, 3), .want = V(L2),
     .want_grad = V(-1.0 / 8, 1.0 / 8, 3.0 / 8, -3.0 / 8), .tol32 = 1e-7, .tol64 = 1e-15},
    {"cross_entropy", "equal scores, weighted sum", {0}, 2, 2, 2, 1, V(0, 0, 1, 1), .t = I(0, 1), .w = V(1, 3), .want = V(4 * L2),
     .tol32 = 1e-7, .tol64 = 1e-15},
    {"nll_loss", "-x_t", {0}, 0, 2, 2, 1, V(-0.5, -2, -3, -0.25), .t = I(0, 1), .want = V(0.5, 0.25), .want_grad = V(-1, 0, 0, -1)},
    /* 0-1 loss: ties take the first index, a NaN is the maximum (the first NaN). */
    {"zero_one_loss", "ties and NaN", {0}, 0, 7, 2, 1, V(0.1, 0.9, 0.8, 0.2, 0.5, 0.5, NAN, 1, 1, NAN, -INFINITY, -INFINITY, NAN, NAN),
     .t = I(1, 1, 0, 0, 0, 1, 1), .want = V(0, 1, 0, 0, 1, 1, 1)},
    {"zero_one_loss", "ties and NaN, sum", {0}, 2, 7, 2, 1,
     V(0.1, 0.9, 0.8, 0.2, 0.5, 0.5, NAN, 1, 1, NAN, -INFINITY, -INFINITY, NAN, NAN), .t = I(1, 1, 0, 0, 0, 1, 1), .want = V(4)},
    {"zero_one_loss", "ties and NaN, mean", {0}, 1, 7, 2, 1,
     V(0.1, 0.9, 0.8, 0.2, 0.5, 0.5, NAN, 1, 1, NAN, -INFINITY, -INFINITY, NAN, NAN), .t = I(1, 1, 0, 0, 0, 1, 1), .want = V(4.0 / 7),
     .tol32 = 1e-7, .tol64 = 1e-16},
    {"zero_one_loss", "one class always predicts 0", {0}, 2, 3, 1, 1, V(3, -1, NAN), .t = I(0, 0, 0), .want = V(0)},
    /* Labels: any int64 values. */
    {"zero_one_loss_labels", "any int64", {0}, 0, 6, 0, 1, .t = I(1, -5, INT64_MIN, INT64_MIN, 8, 0),
     .xi = I(1, -5, INT64_MAX, INT64_MIN, 7, 0), .want = V(0, 0, 1, 0, 1, 0)},
    {"zero_one_loss_labels", "any int64, sum", {0}, 2, 6, 0, 1, .t = I(1, -5, INT64_MIN, INT64_MIN, 8, 0),
     .xi = I(1, -5, INT64_MAX, INT64_MIN, 7, 0), .want = V(2)},
    {"zero_one_loss_labels", "any int64, mean", {0}, 1, 6, 0, 1, .t = I(1, -5, INT64_MIN, INT64_MIN, 8, 0),
     .xi = I(1, -5, INT64_MAX, INT64_MIN, 7, 0), .want = V(2.0 / 6)},
};
#define NUM_HAND_CASES (sizeof HAND_CASES / sizeof HAND_CASES[0])

static void test_hand_case(const hand_t *h, const lc_export *e) {
    lc_data d = {.input = h->x, .target = h->y, .index = h->t, .input_index = h->xi, .weight = h->w, .pos_weight = h->pw,
                 .pos_weight_count = h->pwc, .n = h->n, .c = h->c, .inner = h->inner, .ignore_index = -100, .reduction = h->r,
                 .grad_output = h->go};
    d.options[0] = h->opt[0], d.options[1] = h->opt[1];
    size_t P = h->n * h->inner, E = P * (h->c ? h->c : 1), outn = h->r == 0 ? P : 1;
    double out[16], g[16];
    int ov;
    double tol = e->float_type == LC_FLOAT ? h->tol32 : h->tol64;
    losscore_status s = lc_run(e, &d, out, h->want_grad ? g : NULL, &ov);
    int ok = s == LOSSCORE_OK && !ov;
    for (size_t i = 0; i < outn; i++) ok &= close_to(out[i], h->want[i], tol, 0);
    for (size_t i = 0; h->want_grad && i < E; i++) ok &= close_to(g[i], h->want_grad[i], tol, 0);
    char got[256];
    int k = 0;
    for (size_t i = 0; i < outn && k < 200; i++) k += snprintf(got + k, sizeof got - k, "%s%.17g", i ? " " : "", out[i]);
    for (size_t i = 0; h->want_grad && i < E && k < 200; i++) k += snprintf(got + k, sizeof got - k, "%s%.17g", i ? " " : "; grad ", g[i]);
    CHECK(ok, "%s %s (%s): status %s, got %s", e->name, h->what, red_name(h->r), losscore_status_string(s), got);
}

/* ------------------------------------------------------------------------ */
/* Calls the header says agree                                                */
/* ------------------------------------------------------------------------ */

typedef struct {
    const char *a;
    double aopt[2];
    const char *b;
    double bopt[2];
    data_kind data; /* D_REGRESSION: with NaN, infinities and zero differences */
    int exact;      /* bitwise; else within 4 eps */
    const char *what;
} equiv_t;

static const equiv_t EQUIVALENT[] = {
    {"smooth_l1_loss", {0}, "l1_loss", {0}, D_REGRESSION, 1, "beta = 0 is exactly the L1 loss, NaN, 0 and infinities included"},
    {"focal_loss", {0}, "cross_entropy", {0}, D_ROWS, 0, "gamma = 0 is cross-entropy"},
    {"sigmoid_focal_loss", {-1, 0}, "binary_cross_entropy_with_logits", {0}, D_LOGITS, 0, "alpha < 0 and gamma = 0 is BCE with logits"},
    {"sigmoid_focal_loss", {-INFINITY, 2}, "sigmoid_focal_loss", {-1, 2}, D_LOGITS, 1, "every alpha < 0 disables the weighting"},
    {"sigmoid_focal_loss", {-0.5, 0.5}, "sigmoid_focal_loss", {-1, 0.5}, D_LOGITS, 1, "every alpha < 0 disables the weighting"},
    {"sigmoid_focal_loss", {-0.0, 2}, "sigmoid_focal_loss", {0.0, 2}, D_LOGITS, 1, "alpha -0.0 is alpha 0 (weighting with alpha = 0)"},
    {"sigmoid_focal_loss", {0.25, -0.0}, "sigmoid_focal_loss", {0.25, 0.0}, D_LOGITS, 1, "gamma -0.0 is gamma 0"},
};
#define NUM_EQUIVALENT (sizeof EQUIVALENT / sizeof EQUIVALENT[0])

/* Both calls on the same data (elementwise: logits with NaN, inf and zero differences;
 * class rows: weights and ignored positions), every reduction, with grad_output. */
static void test_equivalent(const equiv_t *q, lc_type t) {
    const lc_export *ea = lc_find(q->a, t), *eb = lc_find(q->b, t);
    CHECK(ea && eb, "EQUIVALENT names %s / %s: not in the export table", q->a, q->b);
    if (!ea || !eb) return;
    enum { N = 60 };
    int rows = q->data == D_ROWS;
    layout_t L = {5, 4, 3};
    rng_state = 4711;
    row_data rb = rows_make(L, 2, 0.2);
    ew_data b = ew_make(D_LOGITS, 0, N, 0);
    if (q->data == D_REGRESSION) {
        fill_uniform(b.x, N, -3, 3), fill_uniform(b.y, N, -3, 3);
        b.x[0] = b.y[0] = 0, b.x[1] = NAN, b.x[2] = INFINITY, b.y[3] = NAN, b.x[4] = -INFINITY, b.x[5] = b.y[5] = 3;
    }
    size_t P = rows ? L.n * L.inner : N, E = rows ? P * L.c : N;
    double *o1 = malloc(E * sizeof *o1), *o2 = malloc(E * sizeof *o2), *g1 = malloc(E * sizeof *g1), *g2 = malloc(E * sizeof *g2);
    for (int r = 0; r < 3; r++) {
        for (int weighted = 0; weighted <= (rows ? 1 : 0); weighted++) {
            lc_data da = rows ? rows_args(q->aopt, &rb, L, 2, r, weighted, 1) : ew_args(q->aopt, &b, N, r, 0, 0, 1);
            lc_data db = da;
            memcpy(da.options, q->aopt, sizeof q->aopt), memcpy(db.options, q->bopt, sizeof q->bopt);
            int ov;
            losscore_status s1 = lc_run(ea, &da, o1, g1, &ov), s2 = lc_run(eb, &db, o2, g2, &ov);
            size_t outn = r == 0 ? P : 1;
            double rel = 4 * type_eps(t);
            int same = s1 == LOSSCORE_OK && s2 == LOSSCORE_OK;
            if (q->exact)
                same &= memcmp(o1, o2, outn * sizeof *o1) == 0 && memcmp(g1, g2, E * sizeof *g1) == 0;
            else
                same &= mismatch(o1, o2, outn, rel, rel, 0) < 0 && mismatch(g1, g2, E, rel, rel, 0) < 0;
            CHECK(same, "%s(%g, %g) vs %s(%g, %g) %s %s weighted %d: %s (%.17g vs %.17g)", ea->name, q->aopt[0], q->aopt[1], eb->name,
                  q->bopt[0], q->bopt[1], red_name(r), ea->float_type == LC_FLOAT ? "f32" : "f64", weighted, q->what, o1[0], o2[0]);
        }
    }
    free(o1), free(o2), free(g1), free(g2);
    rows_free(&rb), ew_free(&b);
}

/* pos_weight as C repeating values equals its expansion to n values; one value equals it
 * repeated n times; a pos_weight of ones equals NULL (whose count is then ignored). */
static void test_pos_weight_expansions(const lc_export *e) {
    if (!lc_has(e, LC_POS_WEIGHT)) return;
    enum { N = 60, C = 6 };
    rng_state = 6060;
    ew_data b = ew_make(D_LOGITS, 0, N, 0);
    double pwc[C], pwn[N], rep[N], ones[N];
    fill_uniform(pwc, C, 0.3, 3);
    for (int i = 0; i < N; i++) pwn[i] = pwc[i % C], rep[i] = pwc[0], ones[i] = 1;
    const struct { const double *pa; size_t ca; const double *pb; size_t cb; const char *what; } pairs[] = {
        {pwc, C, pwn, N, "count C vs its expansion to n"}, {pwc, 1, rep, N, "count 1 vs the value repeated n times"},
        {ones, N, NULL, 0, "ones vs NULL (count 0)"},     {ones, N, NULL, 7, "ones vs NULL (count 7)"},
        {ones, N, NULL, SIZE_MAX, "ones vs NULL (count SIZE_MAX)"}};
    for (size_t k = 0; k < sizeof pairs / sizeof pairs[0]; k++) {
        for (int r = 0; r < 3; r++) {
            const double no_options[LC_MAX_OPTIONS] = {0};
            lc_data da = ew_args(no_options, &b, N, r, 1, 0, r == 0), db = da;
            da.pos_weight = pairs[k].pa, da.pos_weight_count = pairs[k].ca;
            db.pos_weight = pairs[k].pb, db.pos_weight_count = pairs[k].cb;
            double o1[N], o2[N], g1[N], g2[N], rel = 4 * type_eps(e->float_type);
            int ov;
            losscore_status s1 = lc_run(e, &da, o1, g1, &ov), s2 = lc_run(e, &db, o2, g2, &ov);
            size_t outn = r == 0 ? N : 1;
            CHECK(s1 == LOSSCORE_OK && s2 == LOSSCORE_OK && mismatch(o1, o2, outn, rel, 0, 0) < 0 && mismatch(g1, g2, N, rel, 0, 0) < 0,
                  "%s %s: pos_weight %s: %s / %s, results differ", e->name, red_name(r), pairs[k].what, losscore_status_string(s1),
                  losscore_status_string(s2));
        }
    }
    ew_free(&b);
}

/* The regression losses at d = 0: loss 0 and gradient 0 (the gradient of |x| at 0 is 0). */
static void test_zero_difference(const value_case *vc, const lc_export *e) {
    if (vc->data != D_REGRESSION) return;
    const double z[] = {0, 1.5, -2};
    for (int r = 0; r < 3; r++) {
        lc_data d = {.input = z, .target = z, .n = 3, .reduction = r};
        memcpy(d.options, vc->opt, sizeof d.options);
        double out[3], g[3];
        int ov;
        losscore_status s = lc_run(e, &d, out, g, &ov);
        CHECK(s == LOSSCORE_OK && out[0] == 0 && g[0] == 0 && g[1] == 0 && g[2] == 0,
              "%s(%g) %s at d = 0: loss %g, grad %g %g %g (expected all 0)", e->name, vc->opt[0], red_name(r), out[0], g[0], g[1], g[2]);
    }
}

/* ------------------------------------------------------------------------ */
/* One loss's own rules                                                       */
/* ------------------------------------------------------------------------ */

/* binary_cross_entropy checks its data: an input or target outside [0, 1], or NaN, is
 * refused naming the first such element (as torch refuses it); nothing is written. The
 * ends of [0, 1], -0.0 and subnormals are data. */
static void test_bce_data_range(const lc_export *e) {
    if (strcmp(e->base, "binary_cross_entropy") != 0) return;
    enum { N = 10, BAD = 7 };
    /* (-0.3 is not exact in 16 bits: the 16-bit mirror's message must name the value its f32
     * twin names, the rounded one) */
    const double bad[] = {-0.5, -1e-30, 1.00000011920928955 /* 1 + 2^-23 */, 2, INFINITY, -INFINITY, NAN, -0.3,
                          1.0000000000000002 /* 1 + 2^-52: f64 only */, -4.9406564584124654e-324 /* f64 only */};
    const double good[] = {0.0, -0.0, 1.0, 1e-45, 0.99999994039535522};
    size_t nbad = e->float_type == LC_FLOAT ? 8 : 10;
    double x[N] = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.25}, y[N] = {0, 1, 0.5, 1, 0, 0, 1, 0.25, 1, 0};
    double w[N] = {1, 2, 0.5, 1, 1, 1, 1, 1, 1, 1}, out[N], g[N];
    for (int which = 0; which < 2; which++) {
        double *v = which ? y : x;
        const char *name = which ? "target" : "input";
        for (size_t k = 0; k < nbad; k++) {
            for (int r = 0; r < 3; r++) {
                v[BAD] = bad[k];
                lc_data d = {.input = x, .target = y, .weight = r == 1 ? w : NULL, .n = N, .reduction = r};
                int ov;
                losscore_status s = lc_run(e, &d, out, r == 2 ? g : NULL, &ov);
                const char *msg = losscore_last_error();
                CHECK(s == LOSSCORE_ERROR_INVALID_ARGUMENT && mentions(msg, name) && mentions(msg, "[7]|element 7|index 7") && !ov &&
                          out[0] == SENTINEL,
                      "%s with %s[7] = %g, %s: %s (\"%s\"), expected INVALID_ARGUMENT naming %s[7], nothing written", e->name, name,
                      bad[k], red_name(r), losscore_status_string(s), msg, name);
            }
        }
        /* Several bad elements: the first one is named. */
        for (int i = 0; i < N; i++) v[i] = 0.5;
        v[4] = 1.5, v[8] = -2, v[9] = NAN;
        lc_data d = {.input = x, .target = y, .n = N, .reduction = 2};
        int ov;
        losscore_status s = lc_run(e, &d, out, NULL, &ov);
        const char *msg = losscore_last_error();
        CHECK(s == LOSSCORE_ERROR_INVALID_ARGUMENT && mentions(msg, "[4]|element 4|index 4") && !mentions(msg, "[8]|[9]"),
              "%s with %s[4], [8], [9] outside [0, 1]: %s, \"%s\" should name element 4", e->name, name, losscore_status_string(s),
              msg);
        for (int i = 0; i < N; i++) v[i] = 0.5;
    }
    for (size_t k = 0; k < sizeof good / sizeof good[0]; k++) {
        x[BAD] = y[BAD] = good[k];
        lc_data d = {.input = x, .target = y, .n = N, .reduction = 1};
        int ov;
        losscore_status s = lc_run(e, &d, out, g, &ov);
        CHECK(s == LOSSCORE_OK, "%s with input and target %g: %s, expected success", e->name, good[k], losscore_status_string(s));
    }
}

/* The multi-class focal loss where p_t -> 1 (the target's score d above the others): finite
 * values and gradients for every gamma, accurate to what the inputs allow; at p_t = 1
 * exactly, loss 0 and (gamma > 0) gradient 0. */
static void test_focal_pt_to_one(const lc_export *e) {
    if (strcmp(e->base, "focal_loss") != 0) return;
    const double ds[] = {2, 5, 10, 17, 20, 40, 80, 120, 800}, gammas[] = {0, 0.25, 0.5, 1, 2, 3};
    for (size_t di = 0; di < sizeof ds / sizeof ds[0]; di++) {
        for (size_t gi = 0; gi < sizeof gammas / sizeof gammas[0]; gi++) {
            for (int r = 0; r < 3; r++) {
                const double d = ds[di], x[8] = {d, 0, 0, 0, -0.5, d, 1, 0}, w[4] = {1.5, 0.5, 1, 2};
                const int64_t t[2] = {0, 1};
                lc_data a = {.input = x, .index = t, .weight = w, .n = 2, .c = 4, .inner = 1, .ignore_index = -100, .reduction = r};
                a.options[0] = gammas[gi];
                double out[2], g[8], want[2], wg[8];
                int ov;
                ref_rows(ROW_FOCAL, &a, want, wg);
                losscore_status s = lc_run(e, &a, out, g, &ov);
                size_t outn = r == 0 ? 2 : 1;
                /* log p_t = x_t - lse is known to about eps * |d| absolutely, (1 - p_t)^gamma to a
                 * few ulps; the gradient's A inherits the error of log p_t divided by 1 - p_t, times
                 * (1 - p_t)^gamma. */
                double eps = type_eps(e->float_type), q = 3 * exp(-d) / (1 + 3 * exp(-d));
                double loss_abs = 16 * eps * (d + 2) * pow(q, gammas[gi]) * 2.0 * 1.5;
                double grad_abs = 16 * eps * (d + 2) * (1 + gammas[gi]) * pow(q, gammas[gi]) * 3.0 + 16 * eps * q;
                int ok = s == LOSSCORE_OK && all_finite(out, outn) && all_finite(g, 8);
                for (size_t i = 0; i < outn; i++) ok &= close_to(out[i], want[i], 16 * eps, loss_abs);
                for (int el = 0; el < 8; el++) ok &= close_to(g[el], wg[el], 16 * eps, grad_abs);
                if (d == 800 && r == 0) ok &= out[0] == 0 && g[0] == 0 && g[1] == 0 && g[2] == 0 && g[3] == 0;
                CHECK(ok, "%s gamma %g %s, d = %g (p_t -> 1): loss %.17g (expected %.17g), grad %.17g %.17g (expected %.17g %.17g)",
                      e->name, gammas[gi], red_name(r), d, out[0], want[0], g[0], g[1], wg[0], wg[1]);
            }
        }
    }
}

/* Rows of 128,000 classes (a language model's vocabulary) against float64, elementwise: the
 * row's exp-sum must keep its small terms (float lane sums lost them: a lane near 1 rounds
 * each e^-10 it adds, all the same way). Rows: all scores equal but one 10 above (the
 * target), all equal, and random scores in [-4, 4] (whose x - max rounds to eps * 8). */
static void test_long_rows(const lc_export *e) {
    if (strcmp(e->base, "cross_entropy") != 0) return;
    enum { C = 128000, N = 3 };
    double *x = malloc(sizeof(double) * N * C), *g = malloc(sizeof(double) * N * C),
           *wg = malloc(sizeof(double) * N * C);
    if (!x || !g || !wg) {
        CHECK(0, "%s long rows: out of memory", e->name);
        free(x), free(g), free(wg);
        return;
    }
    uint64_t state = 12345;
    for (size_t j = 0; j < C; j++) {
        x[j] = j == 77777 ? 10 : 0;
        x[C + j] = 0.5;
        state = state * 6364136223846793005u + 1442695040888963407u;
        x[2 * C + j] = (float)(-4 + 8 * (double)(state >> 11) / 9007199254740992.0);
    }
    const int64_t t[N] = {77777, 123, 4567};
    lc_data a = {.input = x, .index = t, .n = N, .c = C, .inner = 1, .ignore_index = -100, .reduction = 0};
    double out[N], want[N];
    int ov;
    ref_rows(ROW_CE, &a, want, wg);
    losscore_status s = lc_run(e, &a, out, g, &ov);
    /* Float: a few ulps. Double adds its terms in plain sequence (two accumulators), whose
     * bound grows with c: c / 2 ulps. */
    double eps = type_eps(e->float_type), loss_err = 0, grad_err = 0;
    double loss_bound = e->float_type == LC_FLOAT ? 4 * eps : C / 2 * eps;
    double grad_bound = e->float_type == LC_FLOAT ? 8 * eps : C / 2 * eps;
    for (size_t i = 0; i < N; i++) loss_err = fmax(loss_err, fabs(out[i] - want[i]) / fabs(want[i]));
    for (size_t i = 0; i < (size_t)N * C; i++) grad_err = fmax(grad_err, fabs(g[i] - wg[i]) / fabs(wg[i]));
    CHECK(s == LOSSCORE_OK && !ov && loss_err <= loss_bound && grad_err <= grad_bound,
          "%s long rows (c = %d): status %d, loss relative error %.3g (bound %.3g), gradient %.3g (bound %.3g)",
          e->name, C, (int)s, loss_err, loss_bound, grad_err, grad_bound);
    free(x), free(g), free(wg);
}

/* Wide rows (the library's vectorized float exp) with scores far outside expf's range: any
 * difference to the row maximum gives a finite loss and gradient, to eps * max|x|. */
static void test_wide_range(const value_case *vc, const lc_export *const *es) {
    if (vc->opt[0] == 1 || vc->opt[0] == 1.3) return;
    static const double pool[] = {-800, -100, -90, -88.75, -88, -87.5, -87.25, -50, -20, 0, 2.5, 20, 50, 86.5, 87.25, 88.5, 88.75, 89, 100, 400, 800};
    const int np = sizeof pool / sizeof pool[0];
    const layout_t shapes[] = {{4, 37, 1}, {3, 300, 1}, {2, 16, 1}, {2, 17, 1}, {2, 37, 5}, {3, 20, 70}};
    {
        for (size_t k = 0; k < sizeof shapes / sizeof shapes[0]; k++) {
            for (int variant = 0; variant < 3; variant++) {
                layout_t L = shapes[k];
                size_t P = L.n * L.inner, E = P * L.c;
                rng_state = 8080 + 10 * k + variant;
                row_data b = rows_make(L, -100, 0.1);
                /* variant 0: pool values everywhere; 1: half pool, half small; 2: one huge score per row. */
                for (size_t el = 0; el < E; el++)
                    if (variant == 0 || (variant == 1 && rng_next() % 2)) b.x[el] = pool[rng_next() % np];
                for (size_t pos = 0; variant == 2 && pos < P; pos++)
                    b.x[(pos / L.inner) * L.c * L.inner + (rng_next() % L.c) * L.inner + pos % L.inner] = pool[np - 1 - (int)(rng_next() % 4)];
                double xmax = 0;
                for (size_t el = 0; el < E; el++) xmax = fmax(xmax, fabs(b.x[el]));
                for (int r = 0; r < 3; r++) {
                    lc_data d = rows_args(vc->opt, &b, L, -100, r, (r + variant) % 2, 0);
                    check_rows(es, vc, &d, NULL, xmax, 1, __LINE__);
                }
                rows_free(&b);
            }
        }
    }
}

/* Masked classes: a score of -inf in a class that is not the target has probability 0.
 * Without label smoothing the loss is finite (torch skips the smoothing term); with it the
 * smoothing term is +inf while the gradient stays finite. Probabilities are left out: 0 *
 * log 0 is NaN there, as in torch. */
static void test_masked_scores(const value_case *vc, const lc_export *e) {
    if (e->family != LC_CLASS_ROWS || vc->row == ROW_PROBS) return;
    const double x[] = {-INFINITY, 0, 1, 2, -INFINITY, -INFINITY, 0.5, -1, -INFINITY, 3, 1, 0.25}, w[] = {1, 2, 0.5};
    const int64_t t[] = {1, 0, 1, 2};
    for (int r = 0; r < 3; r++)
        for (int weighted = 0; weighted <= 1; weighted++) {
            lc_data d = {.input = x, .index = t, .weight = weighted ? w : NULL, .n = 4, .c = 3, .inner = 1, .ignore_index = -100, .reduction = r};
            memcpy(d.options, vc->opt, sizeof d.options);
            double out[4], g[12], want[4], wg[12];
            int ov;
            ref_rows(vc->row, &d, want, wg);
            losscore_status s = lc_run(e, &d, out, g, &ov);
            double tol = e->float_type == LC_FLOAT ? 2e-6 : 1e-13;
            size_t outn = r == 0 ? 4 : 1;
            int ok = s == LOSSCORE_OK && all_finite(g, 12) && mismatch(g, wg, 12, tol, tol, 0) < 0;
            for (size_t i = 0; i < outn; i++) ok &= close_to(out[i], want[i], tol, tol);
            CHECK(ok, "%s(%g) -inf scores %s w=%d: status %s, loss %.17g (expected %.17g), finite gradient as the reference", e->name,
                  vc->opt[0], red_name(r), weighted, losscore_status_string(s), out[0], want[0]);
        }
}

/* ------------------------------------------------------------------------ */
/* Sequences: CTC against a long-double forward-backward in probability space */
/* ------------------------------------------------------------------------ */

/* One sample's CTC in long double and in probability space (sums where the library takes
 * log-sum-exps; long double reaches e^-11000, far below these cases' likelihoods): frame t's
 * scores at x + t * stride; the extended target l' = (blank, y_1, blank, ..., y_L, blank);
 *   alpha_t(s) = y_t(l'_s) (alpha_{t-1}(s) + alpha_{t-1}(s-1) + [l'_s != l'_{s-2}] alpha_{t-1}(s-2))
 *   beta_t(s)  = y_t(l'_s) (beta_{t+1}(s) + beta_{t+1}(s+1) + [l'_s != l'_{s+2}] beta_{t+1}(s+2))
 * with y = exp(x); loss -log P, P = alpha_{T-1}(S-1) + alpha_{T-1}(S-2); and, when grad is
 * not NULL, torch's gradient exp(x) - sum_{s: l'_s = k} alpha_t(s) beta_t(s) / (y_t(k) P)
 * times `scale` for t < frames (NaN where P = 0: torch's inf - inf). */
static long double ref_ctc_sample(const double *x, size_t stride, size_t c, size_t frames, const int64_t *target, size_t len,
                                  int64_t blank, double scale, double *grad) {
    if (frames == 0) return len == 0 ? 0 : INFINITY;
    size_t S = 2 * len + 1;
    long double *al = calloc(frames * S, sizeof *al), *be = calloc(frames * S, sizeof *be);
#define LABEL(s) ((s) % 2 == 0 ? blank : target[(s) / 2])
#define Y(t, s) expl((long double)x[(t) * stride + (size_t)LABEL(s)])
    al[0] = Y(0, 0);
    if (S > 1) al[1] = Y(0, 1);
    for (size_t t = 1; t < frames; t++)
        for (size_t s = 0; s < S; s++) {
            long double sum = al[(t - 1) * S + s] + (s >= 1 ? al[(t - 1) * S + s - 1] : 0);
            if (s >= 2 && LABEL(s) != LABEL(s - 2)) sum += al[(t - 1) * S + s - 2];
            al[t * S + s] = sum * Y(t, s);
        }
    size_t last = (frames - 1) * S;
    long double P = al[last + S - 1] + (S > 1 ? al[last + S - 2] : 0);
    be[last + S - 1] = Y(frames - 1, S - 1);
    if (S > 1) be[last + S - 2] = Y(frames - 1, S - 2);
    for (size_t t = frames - 1; t-- > 0;)
        for (size_t s = 0; s < S; s++) {
            long double sum = be[(t + 1) * S + s] + (s + 1 < S ? be[(t + 1) * S + s + 1] : 0);
            if (s + 2 < S && LABEL(s) != LABEL(s + 2)) sum += be[(t + 1) * S + s + 2];
            be[t * S + s] = sum * Y(t, s);
        }
    for (size_t t = 0; grad && t < frames; t++)
        for (size_t k = 0; k < c; k++) {
            long double occupancy = 0;
            for (size_t s = 0; s < S; s++)
                if (LABEL(s) == (int64_t)k) occupancy += al[t * S + s] * be[t * S + s] / Y(t, s);
            grad[t * stride + k] = P == 0 ? NAN : (double)((expl((long double)x[t * stride + k]) - occupancy / P) * scale);
        }
#undef LABEL
#undef Y
    free(al), free(be);
    return P == 0 ? INFINITY : -logl(P);
}

/* One CTC call on double data: log_probs t x n x c, padded targets (n x s; s = 0 when
 * `concatenated` holds them), lengths; reference values by ref_ctc_sample and the header's
 * reductions, into want (n values or 1) and wgrad (t x n x c). */
typedef struct {
    size_t t, n, c, s;
    double *x, *go;
    int64_t *padded, *concatenated, *il, *tl, blank;
} ctc_data;

static void ref_ctc(const ctc_data *d, int r, int zero_infinity, int use_go, double *want, double *wgrad) {
    size_t stride = d->n * d->c;
    for (size_t i = 0; i < d->t * stride; i++) wgrad[i] = 0;
    long double total = 0;
    for (size_t b = 0; b < d->n; b++) {
        double up = use_go ? d->go[r == 0 ? b : 0] : 1, tl = (double)d->tl[b];
        double scale = r == 0 || r == 2 ? up : up / (double)d->n / (tl > 1 ? tl : 1);
        long double l = ref_ctc_sample(d->x + b * d->c, stride, d->c, (size_t)d->il[b], d->padded + b * d->s, (size_t)d->tl[b],
                                       d->blank, scale, wgrad + b * d->c);
        if (zero_infinity && isinf(l)) {
            l = 0;
            for (size_t t = 0; t < (size_t)d->il[b]; t++)
                for (size_t k = 0; k < d->c; k++) wgrad[t * stride + b * d->c + k] = 0;
        }
        if (r == 0) want[b] = (double)l;
        total += r == 1 ? l / (tl > 1 ? tl : 1) : l;
    }
    if (r > 0) want[0] = (double)(r == 1 ? total / d->n : total);
}

/* Calls e (through its adapter) on d as padded or concatenated targets. */
static losscore_status run_ctc(const lc_export *e, const ctc_data *d, int concatenated, int r, int zero_infinity, int use_go,
                               double *out, double *grad) {
    lc_type ft = e->float_type;
    size_t E = d->t * d->n * d->c, outn = r == 0 ? d->n : 1;
    lc_args a;
    memset(&a, 0, sizeof a);
    a.t = d->t, a.n = d->n, a.c = d->c, a.s = concatenated ? 0 : d->s, a.blank = d->blank, a.reduction = r;
    a.options[0] = zero_infinity;
    a.input = lc_copy_in(ft, d->x, E);
    a.target = concatenated ? d->concatenated : d->padded;
    a.input_lengths = d->il, a.target_lengths = d->tl;
    a.grad_output = use_go ? lc_copy_in(ft, d->go, outn) : NULL;
    a.out = lc_alloc(ft, outn), a.grad_input = lc_alloc(ft, E);
    losscore_status st = lc_invoke(e, &a);
    lc_copy_out(ft, out, a.out, outn), lc_copy_out(ft, grad, a.grad_input, E);
    free((void *)a.input), free((void *)a.grad_output), free(a.out), free(a.grad_input);
    return st;
}

/* Random calls of several sizes (up to 40 frames with targets of 20, half the frames):
 * padded and concatenated targets, blank first and last, input lengths below t, empty
 * targets, a sample with more labels than frames (inf, or 0 under zero_infinity), every
 * reduction, with and without grad_output; values and gradients against ref_ctc within
 * a rounding of the type per frame. */
static void test_sequence_values(const value_case *vc, const lc_export *const *es) {
    const struct { size_t t, n, c, s; } shapes[] = {{1, 1, 2, 1}, {5, 3, 4, 2}, {12, 4, 6, 5}, {40, 3, 5, 20}};
    int zero_infinity = vc->opt[0] != 0;
    for (size_t k = 0; k < sizeof shapes / sizeof shapes[0]; k++) {
        ctc_data d = {shapes[k].t, shapes[k].n, shapes[k].c, shapes[k].s, NULL, NULL, NULL, NULL, NULL, NULL, 0};
        size_t E = d.t * d.n * d.c;
        d.x = malloc(E * sizeof *d.x), d.go = malloc(d.n * sizeof *d.go);
        d.padded = malloc(d.n * d.s * sizeof *d.padded), d.concatenated = malloc(d.n * d.s * sizeof *d.concatenated);
        d.il = malloc(d.n * sizeof *d.il), d.tl = malloc(d.n * sizeof *d.tl);
        double *want = malloc(d.n * sizeof *want), *wgrad = malloc(E * sizeof *wgrad);
        double *out = malloc(d.n * sizeof *out), *grad = malloc(E * sizeof *grad);
        for (int bi = 0; bi < 2; bi++) {
            rng_state = 500 + 10 * k + (uint64_t)bi + 100 * (uint64_t)zero_infinity;
            d.blank = bi ? (int64_t)d.c - 1 : 0;
            for (size_t row = 0; row < d.t * d.n; row++) { /* log-softmax of uniform scores */
                double m = 0, *xr = d.x + row * d.c;
                for (size_t j = 0; j < d.c; j++) xr[j] = rng_uniform(-3, 3), m += exp(xr[j]);
                for (size_t j = 0; j < d.c; j++) xr[j] -= log(m);
            }
            for (size_t i = 0; i < d.n * d.s; i++) { /* classes that are not blank */
                int64_t v = (int64_t)(rng_next() % (d.c - 1));
                d.padded[i] = v >= d.blank ? v + 1 : v;
            }
            size_t pos = 0;
            for (size_t b = 0; b < d.n; b++) {
                d.il[b] = (int64_t)(d.t - (b % 3 == 1 && d.t > 2 ? 2 : 0));
                size_t fit = (size_t)(d.il[b] + 1) / 2 < d.s ? (size_t)(d.il[b] + 1) / 2 : d.s;
                d.tl[b] = b == 0 ? (int64_t)fit : (int64_t)(rng_next() % (fit + 1));
                if (b == 2) d.tl[b] = (int64_t)d.s, d.il[b] = (int64_t)d.s - 1; /* more labels than frames */
                for (size_t j = 0; j < (size_t)d.tl[b]; j++) d.concatenated[pos++] = d.padded[b * d.s + j];
                d.go[b] = rng_uniform(-2, 2);
            }
            for (int r = 0; r < 3; r++)
                for (int use_go = 0; use_go <= 1; use_go++) {
                    ref_ctc(&d, r, zero_infinity, use_go, want, wgrad);
                    size_t outn = r == 0 ? d.n : 1;
                    double gmax = 0;
                    for (size_t i = 0; i < E; i++) gmax = isfinite(wgrad[i]) ? fmax(gmax, fabs(wgrad[i])) : gmax;
                    for (int ei = 0; ei < 2 && es[ei]; ei++) {
                        double tol = 8 * type_eps(es[ei]->float_type) * (double)d.t;
                        for (int concatenated = 0; concatenated <= 1; concatenated++) {
                            losscore_status st = run_ctc(es[ei], &d, concatenated, r, zero_infinity, use_go, out, grad);
                            int ok = st == LOSSCORE_OK;
                            for (size_t i = 0; i < outn; i++) ok &= close_to(out[i], want[i], tol, tol * (double)d.t);
                            long bad = -1;
                            for (size_t i = 0; i < E && bad < 0; i++)
                                if (!close_to(grad[i], wgrad[i], tol, tol * gmax)) bad = (long)i;
                            CHECK(ok && bad < 0,
                                  "%s t=%zu n=%zu c=%zu s=%zu blank=%lld zero_infinity=%d %s go=%d %s: status %s, loss %.17g "
                                  "(expected %.17g), grad[%ld] %.17g (expected %.17g)",
                                  es[ei]->name, d.t, d.n, d.c, d.s, (long long)d.blank, zero_infinity, red_name(r), use_go,
                                  concatenated ? "concatenated" : "padded", losscore_status_string(st), out[0], want[0], bad,
                                  bad >= 0 ? grad[bad] : 0, bad >= 0 ? wgrad[bad] : 0);
                        }
                    }
                }
        }
        free(d.x), free(d.go), free(d.padded), free(d.concatenated), free(d.il), free(d.tl);
        free(want), free(wgrad), free(out), free(grad);
    }
}

/* Long sequences: 600 frames with a target of 300 labels (every other frame a label). The
 * likelihood is about e^-1000, below double's range (e^-745) as a probability; the log-space
 * recursions keep the loss finite and accurate in both types. */
static void test_long_sequence(const value_case *vc, const lc_export *const *es) {
    if (vc->opt[0] != 0) return;
    enum { T = 600, C = 12, L = 300 };
    static double x[T * C], wgrad[T * C], grad[T * C];
    static int64_t target[L];
    rng_state = 600;
    for (size_t t = 0; t < T; t++) {
        double m = 0;
        for (size_t j = 0; j < C; j++) x[t * C + j] = rng_uniform(-3, 3), m += exp(x[t * C + j]);
        for (size_t j = 0; j < C; j++) x[t * C + j] -= log(m);
    }
    for (size_t j = 0; j < L; j++) target[j] = 1 + (int64_t)(j % 4);
    int64_t il = T, tl = L;
    ctc_data d = {T, 1, C, L, x, NULL, target, target, &il, &tl, 0};
    double want, out;
    ref_ctc(&d, 2, 0, 0, &want, wgrad);
    for (int ei = 0; ei < 2 && es[ei]; ei++) {
        losscore_status st = run_ctc(es[ei], &d, 0, 2, 0, 0, &out, grad);
        /* The loss: a rounding per frame, summed. A gradient entry is exp(alpha + beta + loss - x)
         * with alpha + beta of the size of the loss: its rounding, relative. */
        double tol = es[ei]->float_type == LC_FLOAT ? 1e-4 : 1e-11, gtol = 8 * type_eps(es[ei]->float_type) * want;
        long bad = -1;
        for (size_t i = 0; i < T * C && bad < 0; i++)
            if (!close_to(grad[i], wgrad[i], gtol, gtol)) bad = (long)i;
        CHECK(st == LOSSCORE_OK && want > 745 && isfinite(out) && close_to(out, want, tol, 0) && bad < 0,
              "%s 600 frames, 300 labels: loss %.17g (expected %.17g, beyond e^-745), grad[%ld] off", es[ei]->name, out, want, bad);
    }
}

/* ------------------------------------------------------------------------ */

/* ------------------------------------------------------------------------ */
/* Row tuples: the triplet margin loss                                        */
/* ------------------------------------------------------------------------ */

/* || u ||_p of d values: p = 0 counts non-zeros, +-inf the largest / smallest |u_j|. */
static long double ref_norm(const long double *u, size_t d, double p) {
    long double s = 0;
    if (isinf(p)) {
        s = p > 0 ? 0 : INFINITY;
        for (size_t j = 0; j < d; j++) s = p > 0 ? fmaxl(s, fabsl(u[j])) : fminl(s, fabsl(u[j]));
        return s;
    }
    for (size_t j = 0; j < d; j++) s += p == 0 ? (u[j] != 0) : p == 2 ? u[j] * u[j] : powl(fabsl(u[j]), p);
    return p == 0 ? s : p == 2 ? sqrtl(s) : powl(s, 1 / (long double)p);
}

/* Adds c * d||u||_p / du (torch's norm backward: 0 for p = 0 and where the norm is 0; at
 * +-inf shared by the entries that attain it) to g. */
static void ref_norm_slope(const long double *u, size_t d, double p, long double N, long double c, long double *g) {
    size_t ties = 0;
    for (size_t j = 0; isinf(p) && j < d; j++) ties += fabsl(u[j]) == N;
    for (size_t j = 0; j < d; j++) {
        long double a = fabsl(u[j]), sg = sgnl(u[j]), v = 0;
        if (p == 0) v = 0;
        else if (isinf(p)) v = a == N ? sg * c / (long double)ties : 0;
        else if (p < 1) v = u[j] == 0 ? 0 : sg * powl(a, p - 1) * c * powl(N, 1 - p);
        else if (N == 0) v = 0;
        else v = sg * powl(a, p - 1) * c / powl(N, p - 1);
        g[j] += v;
    }
}

/* One row: l = max(0, margin + |a - p + eps| - neg), neg = |a - n + eps| or, with swap, its
 * minimum with |p - n + eps|; adds c * dl/d(operand) to ga, gp, gn. */
static long double ref_triplet_row(const double *opt, const double *a, const double *p, const double *n, size_t d,
                                   long double c, long double *ga, long double *gp, long double *gn) {
    long double uap[64], uan[64], upn[64];
    for (size_t j = 0; j < d; j++)
        uap[j] = (long double)a[j] - p[j] + opt[2], uan[j] = (long double)a[j] - n[j] + opt[2], upn[j] = (long double)p[j] - n[j] + opt[2];
    long double dap = ref_norm(uap, d, opt[1]), dan = ref_norm(uan, d, opt[1]), dpn = ref_norm(upn, d, opt[1]);
    int swap = opt[3] != 0;
    long double neg = swap && dpn < dan ? dpn : dan, v = opt[0] + dap - neg;
    if (v < 0) return 0;
    long double tan = swap && dpn < dan ? 0 : c, tpn = swap && dpn < dan ? c : 0;
    long double dummy[64] = {0}, gx[64] = {0}, gy[64] = {0};
    ref_norm_slope(uap, d, opt[1], dap, c, gx);
    for (size_t j = 0; j < d; j++) ga[j] += gx[j], gp[j] -= gx[j], gx[j] = 0;
    ref_norm_slope(uan, d, opt[1], dan, tan, gx);
    for (size_t j = 0; j < d; j++) ga[j] -= gx[j], gn[j] += gx[j];
    ref_norm_slope(upn, d, opt[1], dpn, tpn, gy);
    for (size_t j = 0; j < d; j++) gp[j] -= gy[j], gn[j] += gy[j];
    (void)dummy;
    return v;
}

/* One row of cosine_embedding_loss: s = x1.x2, m = |x|^2 + EPS (torch's float 1e-12),
 * cos = s / sqrt(m1 m2); l = 1 - cos (y = 1), max(0, cos - margin) (y = -1), else 0; adds
 * c g (x2 / sqrt(m1 m2) - cos x1 / m1) to g1 (and alike to g2), g = -1, [cos >= margin], 0. */
static long double ref_cosine_row(const double *opt, const double *x1, const double *x2, double y, size_t d,
                                  long double c, long double *g1, long double *g2) {
    const long double eps = (long double)1e-12f;
    long double s = 0, m1 = eps, m2 = eps;
    for (size_t j = 0; j < d; j++) s += (long double)x1[j] * x2[j], m1 += (long double)x1[j] * x1[j], m2 += (long double)x2[j] * x2[j];
    long double den = sqrtl(m1 * m2), cs = s / den;
    long double l = y == 1 ? 1 - cs : y == -1 ? fmaxl(cs - opt[0], 0) : 0;
    long double g = y == 1 ? -c : y == -1 && cs - opt[0] >= 0 ? c : 0;
    for (size_t j = 0; j < d; j++) g1[j] += g * (x2[j] / den - cs * x1[j] / m1), g2[j] += g * (x1[j] / den - cs * x2[j] / m2);
    return l;
}

/* Values and the gradients of a row-tuple loss (the triplet loss: three; the cosine loss:
 * two, with targets 1, -1 and a few others) against its row reference, for both types, over
 * shapes (one value per row, wide rows, blocks of rows), every reduction, with and without
 * grad_output, each gradient buffer given alone too; and rows of d = 0. */
static void test_row_tuple_values(const value_case *vc, const lc_export *const *es) {
    static const size_t shapes[][2] = {{1, 1}, {7, 5}, {40, 17}, {3, 64}, {2000, 3}, {4, 0}};
    for (size_t k = 0; k < sizeof shapes / sizeof shapes[0]; k++) {
        size_t n = shapes[k][0], d = shapes[k][1], E = n * d;
        if (d == 0 && (vc->opt[1] < 0 || isinf(vc->opt[1]))) continue; /* refused: no identity */
        int ops = lc_has(es[0], LC_INPUT3) ? 3 : 2, cosine = strcmp(vc->base, "cosine_embedding_loss") == 0;
        double *x[3], *go = malloc((n + 1) * sizeof *go), *out = malloc((n + 1) * sizeof *out), *g[3];
        double *y = malloc((n + 1) * sizeof *y);
        long double *want = malloc((n + 1) * sizeof *want), *wg[3];
        rng_state = 900 + 10 * k + (uint64_t)(vc - VALUE_CASES);
        for (int o = 0; o < 3; o++) {
            x[o] = malloc((E + 1) * sizeof *x[o]), g[o] = malloc((E + 1) * sizeof *g[o]);
            wg[o] = malloc((E + 1) * sizeof *wg[o]);
            fill_uniform(x[o], E, -2, 2);
        }
        fill_uniform(go, n, 0.5, 2);
        for (size_t i = 0; i < n; i++) y[i] = i % 7 == 3 ? 0.5 : rng_next() % 2 ? 1 : -1;
        for (int t = 0; t < 2; t++) {
            const lc_export *e = es[t];
            if (!e) continue;
            lc_type ft = e->float_type;
            double eps = type_eps(ft);
            for (int r = 0; r < 3; r++) {
                for (int variant = 0; variant < 2 + ops; variant++) { /* 0: grad_output, 1: NULL; then one gradient alone */
                    int with_go = variant == 0, only = variant >= 2 ? variant - 2 : -1;
                    long double sum = 0, scale = 0;
                    for (int o = 0; o < 3; o++)
                        for (size_t i = 0; i < E; i++) wg[o][i] = 0;
                    for (size_t i = 0; i < n; i++) {
                        double rows[3][64];
                        for (int o = 0; o < 3; o++)
                            for (size_t j = 0; j < d; j++) rows[o][j] = ft == LC_FLOAT ? (double)(float)x[o][i * d + j] : x[o][i * d + j];
                        long double up = with_go ? (r == 0 ? go[i] : go[0]) : 1;
                        if (r == 1) up /= (long double)n;
                        want[i] = cosine ? ref_cosine_row(vc->opt, rows[0], rows[1], y[i], d, up, wg[0] + i * d, wg[1] + i * d)
                                         : ref_triplet_row(vc->opt, rows[0], rows[1], rows[2], d, up, wg[0] + i * d, wg[1] + i * d,
                                                           wg[2] + i * d);
                        sum += want[i], scale += fabs(vc->opt[0]) + 1 + 8 * d;
                    }
                    if (r != 0) want[0] = r == 1 ? sum / (long double)n : sum;
                    lc_args a = {0};
                    void *xb[3], *gb[3], *ob = lc_alloc(ft, n), *gob = lc_copy_in(ft, go, n), *yb = lc_copy_in(ft, y, n);
                    for (int o = 0; o < 3; o++) xb[o] = lc_copy_in(ft, x[o], E), gb[o] = lc_alloc(ft, E);
                    a.input = xb[0], a.input2 = xb[1], a.input3 = xb[2], a.target = yb, a.n = n, a.d = d, a.reduction = r;
                    memcpy(a.options, vc->opt, sizeof a.options);
                    a.out = ob, a.grad_output = with_go ? gob : NULL;
                    a.grad_input = only < 0 || only == 0 ? gb[0] : NULL;
                    a.grad_input2 = only < 0 || only == 1 ? gb[1] : NULL;
                    a.grad_input3 = only < 0 || only == 2 ? gb[2] : NULL;
                    losscore_status s = lc_invoke(e, &a);
                    size_t outn = r == 0 ? n : 1;
                    lc_copy_out(ft, out, ob, outn);
                    int ok = s == LOSSCORE_OK;
                    double tol = 64 * eps * (double)(r == 0 ? 1 : scale / (r == 1 ? (long double)n : 1));
                    for (size_t i = 0; i < outn; i++) ok &= close_to(out[i], (double)want[i], 64 * eps, r == 0 ? 64 * eps * (fabs(vc->opt[0]) + 1 + 8 * d) : tol);
                    for (int o = 0; o < ops; o++) {
                        int given = only < 0 || only == o;
                        lc_copy_out(ft, g[o], gb[o], E);
                        for (size_t i = 0; i < E; i++)
                            ok &= given ? close_to(g[o][i], (double)wg[o][i], 256 * eps, 256 * eps * 4) : lc_is_sentinel(ft, gb[o], i);
                        ok &= lc_first_written(ft, (char *)gb[o] + E * lc_type_size(ft), 2) < 0;
                    }
                    CHECK(ok, "%s(options %g %g %g %g) n=%zu d=%zu %s variant %d: %s, loss %.17g (expected %.17g), "
                              "first gradient [0] %.17g (expected %.17g)",
                          e->name, vc->opt[0], vc->opt[1], vc->opt[2], vc->opt[3], n, d, red_name(r), variant, losscore_status_string(s),
                          out[0], (double)want[0], E ? g[0][0] : 0.0, E ? (double)wg[0][0] : 0.0);
                    for (int o = 0; o < 3; o++) free(xb[o]), free(gb[o]);
                    free(ob), free(gob), free(yb);
                }
            }
        }
        for (int o = 0; o < 3; o++) free(x[o]), free(g[o]), free(wg[o]);
        free(go), free(out), free(want), free(y);
    }
}

/* Every export has value cases (a new export needs a VALUE_CASES entry), and every table
 * here names exports that exist. */
static void test_coverage(void) {
    for (size_t i = 0; i < LC_NUM_EXPORTS; i++) {
        int covered = 0;
        for (size_t k = 0; k < NUM_VALUE_CASES; k++) covered |= strcmp(VALUE_CASES[k].base, LC_EXPORTS[i].base) == 0;
        CHECK(covered, "%s has no entry in VALUE_CASES: its values are not checked", LC_EXPORTS[i].name);
    }
    for (size_t k = 0; k < NUM_VALUE_CASES; k++)
        CHECK(lc_find(VALUE_CASES[k].base, LC_DOUBLE) != NULL, "VALUE_CASES names %s, which is not exported", VALUE_CASES[k].base);
    for (size_t k = 0; k < NUM_HAND_CASES; k++)
        CHECK(lc_find(HAND_CASES[k].base, LC_DOUBLE) != NULL, "HAND_CASES names %s, which is not exported", HAND_CASES[k].base);
}

/* Each 16-bit export's contract was checked on some calls (those of its f32 twin's cases),
 * and how often. */
static void test_storage16_coverage(void) {
    size_t calls = 0, values = 0, exports = 0;
    for (size_t i = 0; i < LC_NUM_EXPORTS; i++) {
        if (!lc_is_16bit(LC_EXPORTS[i].float_type)) continue;
        CHECK(lc_mirror_calls[i] > 0, "%s: no call of its f32 twin was repeated on it", LC_EXPORTS[i].name);
        printf("16-bit contract: %s: %zu calls, %zu output values bitwise\n", LC_EXPORTS[i].name, lc_mirror_calls[i],
               lc_mirror_values[i]);
        calls += lc_mirror_calls[i], values += lc_mirror_values[i], exports++;
    }
    printf("16-bit contract: %zu exports, %zu calls, %zu output values bitwise\n", exports, calls, values);
}

int main(void) {
    /* LOSSCORE_TEST_MIRROR16=0 leaves the 16-bit twins out (the emulated-CPU runs: the same
     * kernel set's twins are compared natively). */
    const char *mirror = getenv("LOSSCORE_TEST_MIRROR16");
    lc_mirror16 = !(mirror && strcmp(mirror, "0") == 0);
    test_coverage();
    for (size_t k = 0; k < NUM_VALUE_CASES; k++) {
        const value_case *vc = &VALUE_CASES[k];
        for (size_t i = 0; i < LC_NUM_EXPORTS; i++) {
            const lc_export *e = &LC_EXPORTS[i];
            if (strcmp(e->base, vc->base) != 0 || lc_is_16bit(e->float_type)) continue; /* (16-bit: the f32 calls' mirror) */
            /* Both types at once on each reference: the float entry (or a lone one) runs them. */
            const lc_export *pair[3] = {e, lc_find(e->base, LC_DOUBLE), NULL};
            int first = lc_find(e->base, LC_FLOAT) == e;
            if (pair[1] == e) pair[1] = NULL;
            if (e->family == LC_ELEMENTWISE) {
                if (first) test_elementwise_values(vc, pair), test_elementwise_grids(vc, pair);
                test_zero_difference(vc, e);
            } else if (e->family == LC_CLASS_ROWS) {
                if (first) test_row_values(vc, pair), test_row_extremes(vc, pair), test_wide_range(vc, pair);
                test_masked_scores(vc, e);
            } else if (e->family == LC_CLASS_MARGINS) {
                if (first) test_margin_values(vc, pair);
            } else if (e->family == LC_ROW_TUPLES) {
                if (first) test_row_tuple_values(vc, pair);
                continue; /* its own data: the elementwise finite differences and NaN data do not apply */
            } else if (e->family == LC_SEQUENCES) {
                if (first) test_sequence_values(vc, pair), test_long_sequence(vc, pair);
                continue; /* (its own NaN and gradient checks: ref_ctc's, and the reference data's) */
            } else {
                test_metric_values(vc, e);
            }
            test_finite_differences(vc, e);
            test_nan_data(vc, e);
        }
    }
    for (size_t k = 0; k < NUM_HAND_CASES; k++)
        for (size_t i = 0; i < LC_NUM_EXPORTS; i++)
            if (!strcmp(LC_EXPORTS[i].base, HAND_CASES[k].base) && !lc_is_16bit(LC_EXPORTS[i].float_type) &&
                (!HAND_CASES[k].only || HAND_CASES[k].only == LC_EXPORTS[i].float_type))
                test_hand_case(&HAND_CASES[k], &LC_EXPORTS[i]);
    for (size_t k = 0; k < NUM_EQUIVALENT; k++) {
        test_equivalent(&EQUIVALENT[k], LC_FLOAT);
        test_equivalent(&EQUIVALENT[k], LC_DOUBLE);
    }
    for (size_t i = 0; i < LC_NUM_EXPORTS; i++) {
        if (lc_is_16bit(LC_EXPORTS[i].float_type)) continue;
        test_pos_weight_expansions(&LC_EXPORTS[i]);
        test_bce_data_range(&LC_EXPORTS[i]);
        test_focal_pt_to_one(&LC_EXPORTS[i]);
        test_long_rows(&LC_EXPORTS[i]);
    }
    if (lc_mirror16) test_storage16_coverage();
    return lc_summary();
}
