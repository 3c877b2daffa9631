/* train.py's training run in C: a softmax classifier with one hidden layer (64 pixels -> 32
 * ReLU units -> 10 classes) on the imbalanced digits of digits.bin, trained four ways
 * (cross-entropy, weighted cross-entropy, focal loss and weighted focal loss) with LossCore's
 * losses and their gradients with respect to the logits; the two layers' back-propagation is
 * the plain loops below. The same SplitMix64 seed gives train.py's initial weights and
 * batches, so the results agree with train.py's up to rounding (numpy's matrix products add
 * in another order). Prints train.py's table; a progress bar goes to stderr.
 *
 * Build against an installed LossCore (scripts/install.sh; PKG_CONFIG_PATH=$PREFIX/lib/pkgconfig
 * for a prefix pkg-config does not search), from this folder:
 *
 *   cc -O2 train.c $(pkg-config --cflags --libs losscore) -lm -Wl,-rpath,$(pkg-config --variable=libdir losscore) -o train
 *   ./train digits.bin            # or: ./train digits.bin EPOCHS
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <losscore.h>

/* train.py's settings. */
enum { HIDDEN = 32, EPOCHS = 60, BATCH = 32, MAX_CLASSES = 64 };
static const double LEARNING_RATE = 0.05, MOMENTUM = 0.9, WEIGHT_DECAY = 1e-3, FOCAL_GAMMA = 2.0;
static const uint64_t SEED = 7;

typedef struct {
    size_t n_train, n_test, features, classes, rare;
    double *x_train, *x_test; /* pixels / 16, row-major */
    int64_t *y_train, *y_test;
} digits;

static uint32_t read_u32(const unsigned char *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Frees what load() allocated (NULLs are fine). */
static void release(digits *d) {
    free(d->x_train);
    free(d->x_test);
    free(d->y_train);
    free(d->y_test);
    d->x_train = d->x_test = NULL;
    d->y_train = d->y_test = NULL;
}

/* Reads the file export_digits.py writes (its docstring gives the layout); 0 on success, and
 * then release() frees what it allocated. */
static int load(const char *path, digits *d) {
    d->x_train = d->x_test = NULL;
    d->y_train = d->y_test = NULL;
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return -1;
    }
    unsigned char header[28];
    if (fread(header, 1, sizeof header, f) != sizeof header || memcmp(header, "LCDIGIT1", 8) != 0) {
        fprintf(stderr, "%s: not a digits file\n", path);
        fclose(f);
        return -1;
    }
    d->n_train = read_u32(header + 8);
    d->n_test = read_u32(header + 12);
    d->features = read_u32(header + 16);
    d->classes = read_u32(header + 20);
    d->rare = read_u32(header + 24);
    if (d->classes == 0 || d->classes > MAX_CLASSES || d->rare >= d->classes || d->features == 0) {
        fprintf(stderr, "%s: bad header\n", path);
        fclose(f);
        return -1;
    }
    size_t rows[2] = {d->n_train, d->n_test};
    double **x[2] = {&d->x_train, &d->x_test};
    int64_t **y[2] = {&d->y_train, &d->y_test};
    unsigned char *bytes = malloc((d->n_train + d->n_test) * (d->features + 1));
    int ok = bytes != NULL;
    for (int part = 0; part < 2 && ok; part++) {
        size_t count = rows[part] * d->features;
        *x[part] = malloc(count * sizeof(double));
        *y[part] = malloc(rows[part] * sizeof(int64_t));
        ok = *x[part] && *y[part] && fread(bytes, 1, count + rows[part], f) == count + rows[part];
        for (size_t i = 0; ok && i < count; i++) (*x[part])[i] = bytes[i] / 16.0;
        for (size_t i = 0; ok && i < rows[part]; i++) {
            (*y[part])[i] = bytes[count + i];
            ok = bytes[count + i] < d->classes;
        }
    }
    ok = ok && fgetc(f) == EOF;
    free(bytes);
    fclose(f);
    if (ok) return 0;
    fprintf(stderr, "%s: truncated, or labels out of range, or bytes after the test labels\n", path);
    release(d);
    return -1;
}

/* SplitMix64, as train.py's. */
static uint64_t next_random(uint64_t *state) {
    uint64_t z = (*state += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}

/* Fisher-Yates, from the last position down (train.py's permutation). */
static void shuffle(uint64_t *state, size_t *order, size_t n) {
    for (size_t i = 0; i < n; i++) order[i] = i;
    for (size_t i = n - 1; i > 0 && n > 0; i--) {
        size_t j = (size_t)(next_random(state) % (uint64_t)(i + 1));
        size_t t = order[i];
        order[i] = order[j];
        order[j] = t;
    }
}

/* One way of training: the loss, and the class weights or NULL. */
typedef struct {
    const char *name;
    const double *weight;
    int focal;
} objective;

/* LossCore: the batch's mean loss and d loss / d logits in one call. 0 on success. */
static int loss_and_grad(const objective *o, const double *logits, const int64_t *labels, size_t n,
                         size_t c, double *loss, double *grad) {
    losscore_status status =
        o->focal ? losscore_focal_loss_f64(logits, labels, o->weight, n, c, 1, FOCAL_GAMMA, -100,
                                           LOSSCORE_REDUCTION_MEAN, loss, NULL, grad, NULL)
                 : losscore_cross_entropy_f64(logits, labels, o->weight, n, c, 1, -100,
                                              LOSSCORE_REDUCTION_MEAN, 0.0, loss, NULL, grad, NULL);
    if (status != LOSSCORE_OK) {
        fprintf(stderr, "%s: %s\n", o->name, losscore_last_error());
        return -1;
    }
    return 0;
}

/* w1 (features x HIDDEN), b1, w2 (HIDDEN x classes), b2, row-major. */
typedef struct {
    double *w1, *b1, *w2, *b2;
} layers;

enum { PARAMS = 4 };

static size_t param_size(const digits *d, int i) {
    const size_t sizes[PARAMS] = {d->features * HIDDEN, HIDDEN, HIDDEN * d->classes, d->classes};
    return sizes[i];
}

static double **param(layers *l, int i) {
    double **all[PARAMS] = {&l->w1, &l->b1, &l->w2, &l->b2};
    return all[i];
}

/* hidden = max(x w1 + b1, 0), logits = hidden w2 + b2 for n rows. */
static void forward(const digits *d, const layers *p, const double *x, size_t n, double *hidden,
                    double *logits) {
    size_t f = d->features, c = d->classes;
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < HIDDEN; j++) {
            double z = 0.0;
            for (size_t k = 0; k < f; k++) z += x[i * f + k] * p->w1[k * HIDDEN + j];
            z += p->b1[j];
            hidden[i * HIDDEN + j] = z > 0.0 ? z : 0.0;
        }
        for (size_t j = 0; j < c; j++) {
            double z = 0.0;
            for (size_t k = 0; k < HIDDEN; k++) z += hidden[i * HIDDEN + k] * p->w2[k * c + j];
            logits[i * c + j] = z + p->b2[j];
        }
    }
}

/* The held-out accuracy (1 - LossCore's 0-1 loss of the logits) and every class's recall. */
static int evaluate(const digits *d, const layers *p, double *hidden, double *logits,
                    double *accuracy, double *recall) {
    size_t c = d->classes;
    forward(d, p, d->x_test, d->n_test, hidden, logits);
    double error = 0.0;
    if (losscore_zero_one_loss_f64(logits, d->y_test, d->n_test, c, LOSSCORE_REDUCTION_MEAN,
                                   &error, NULL) != LOSSCORE_OK) {
        fprintf(stderr, "zero_one_loss: %s\n", losscore_last_error());
        return -1;
    }
    *accuracy = 1.0 - error;
    size_t hits[MAX_CLASSES] = {0}, totals[MAX_CLASSES] = {0};
    for (size_t i = 0; i < d->n_test; i++) {
        size_t best = 0; /* the first maximum, as argmax */
        for (size_t j = 1; j < c; j++)
            if (logits[i * c + j] > logits[i * c + best]) best = j;
        totals[d->y_test[i]]++;
        hits[d->y_test[i]] += best == (size_t)d->y_test[i];
    }
    for (size_t j = 0; j < c; j++) recall[j] = totals[j] ? (double)hits[j] / (double)totals[j] : NAN;
    return 0;
}

/* A text bar on stderr: redrawn in place on a terminal, else one line when done. */
static void progress(const char *name, int done, int total, double loss) {
    if (!isatty(STDERR_FILENO) && done < total) return;
    char bar[31];
    int filled = 30 * done / total;
    for (int i = 0; i < 30; i++) bar[i] = i < filled ? '#' : '.';
    bar[30] = '\0';
    fprintf(stderr, "\r%-28s [%s] %3d/%d epochs  loss %.4f%s", name, bar, done, total, loss,
            done == total ? "\n" : "");
    fflush(stderr);
}

typedef struct {
    double first_loss, last_loss, accuracy, balanced_accuracy, recall[MAX_CLASSES];
} result;

/* Trains from SEED's weights with SEED's batches, as train.py's train(). 0 on success. */
static int train(const digits *d, const objective *o, int epochs, result *r) {
    size_t f = d->features, c = d->classes, n = d->n_train;
    size_t scratch = (n > d->n_test ? n : d->n_test);
    layers p, v, g;
    double *xb = malloc(BATCH * f * sizeof(double));
    int64_t *yb = malloc(BATCH * sizeof(int64_t));
    double *hidden = malloc(scratch * HIDDEN * sizeof(double));
    double *logits = malloc(scratch * c * sizeof(double));
    double *grad_logits = malloc(BATCH * c * sizeof(double));
    double *grad_hidden = malloc(BATCH * HIDDEN * sizeof(double));
    size_t *order = malloc(n * sizeof(size_t));
    int ok = xb && yb && hidden && logits && grad_logits && grad_hidden && order;
    for (int i = 0; i < PARAMS; i++) {
        *param(&p, i) = calloc(param_size(d, i), sizeof(double));
        *param(&v, i) = calloc(param_size(d, i), sizeof(double));
        *param(&g, i) = calloc(param_size(d, i), sizeof(double));
        ok = ok && *param(&p, i) && *param(&v, i) && *param(&g, i);
    }
    uint64_t state = SEED;
    /* Glorot-uniform weights, w1 then w2, row-major; zero biases. */
    const size_t fans[2][2] = {{f, HIDDEN}, {HIDDEN, c}};
    for (int layer = 0; layer < 2 && ok; layer++) {
        double bound = sqrt(6.0 / (double)(fans[layer][0] + fans[layer][1]));
        double *w = layer == 0 ? p.w1 : p.w2;
        for (size_t i = 0; i < fans[layer][0] * fans[layer][1]; i++) {
            double u = (double)(next_random(&state) >> 11) * 0x1p-53;
            w[i] = (2.0 * u - 1.0) * bound;
        }
    }
    for (int epoch = 1; epoch <= epochs && ok; epoch++) {
        shuffle(&state, order, n);
        double total = 0.0, rate = LEARNING_RATE * (1.0 - (double)(epoch - 1) / (double)epochs);
        for (size_t start = 0; start < n && ok; start += BATCH) {
            size_t m = n - start < BATCH ? n - start : BATCH;
            for (size_t i = 0; i < m; i++) {
                memcpy(xb + i * f, d->x_train + order[start + i] * f, f * sizeof(double));
                yb[i] = d->y_train[order[start + i]];
            }
            forward(d, &p, xb, m, hidden, logits);
            double loss = 0.0;
            if (loss_and_grad(o, logits, yb, m, c, &loss, grad_logits) != 0) {
                ok = 0;
                break;
            }
            total += loss * (double)m;
            /* Back-propagation through the two layers, and the L2 penalty's gradient. */
            for (int i = 0; i < PARAMS; i++) memset(*param(&g, i), 0, param_size(d, i) * sizeof(double));
            for (size_t i = 0; i < m; i++) {
                for (size_t j = 0; j < HIDDEN; j++) {
                    double h = hidden[i * HIDDEN + j], back = 0.0;
                    for (size_t k = 0; k < c; k++) {
                        g.w2[j * c + k] += h * grad_logits[i * c + k];
                        back += grad_logits[i * c + k] * p.w2[j * c + k];
                    }
                    grad_hidden[i * HIDDEN + j] = h > 0.0 ? back : 0.0;
                }
                for (size_t k = 0; k < c; k++) g.b2[k] += grad_logits[i * c + k];
                for (size_t k = 0; k < f; k++)
                    for (size_t j = 0; j < HIDDEN; j++)
                        g.w1[k * HIDDEN + j] += xb[i * f + k] * grad_hidden[i * HIDDEN + j];
                for (size_t j = 0; j < HIDDEN; j++) g.b1[j] += grad_hidden[i * HIDDEN + j];
            }
            for (size_t i = 0; i < param_size(d, 0); i++) g.w1[i] += WEIGHT_DECAY * p.w1[i];
            for (size_t i = 0; i < param_size(d, 2); i++) g.w2[i] += WEIGHT_DECAY * p.w2[i];
            /* SGD with momentum: v = momentum v - rate g, then w += v; the rate falls linearly. */
            for (int i = 0; i < PARAMS; i++) {
                double *pw = *param(&p, i), *vw = *param(&v, i), *gw = *param(&g, i);
                for (size_t k = 0; k < param_size(d, i); k++) {
                    vw[k] = MOMENTUM * vw[k] - rate * gw[k];
                    pw[k] += vw[k];
                }
            }
        }
        if (!ok) break;
        if (epoch == 1) r->first_loss = total / (double)n;
        r->last_loss = total / (double)n;
        ok = evaluate(d, &p, hidden, logits, &r->accuracy, r->recall) == 0;
        progress(o->name, epoch, epochs, total / (double)n);
    }
    double sum = 0.0;
    for (size_t j = 0; j < c; j++) sum += r->recall[j];
    r->balanced_accuracy = sum / (double)c;
    for (int i = 0; i < PARAMS; i++) {
        free(*param(&p, i));
        free(*param(&v, i));
        free(*param(&g, i));
    }
    free(xb);
    free(yb);
    free(hidden);
    free(logits);
    free(grad_logits);
    free(grad_hidden);
    free(order);
    return ok ? 0 : -1;
}

int main(int argc, char **argv) {
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: %s DIGITS_FILE [EPOCHS]\n", argv[0]);
        return 2;
    }
    int epochs = argc == 3 ? atoi(argv[2]) : EPOCHS;
    if (epochs < 1) {
        fprintf(stderr, "EPOCHS must be a positive number\n");
        return 2;
    }
    digits d;
    if (load(argv[1], &d) != 0) return 1;

    /* Class weights n / (C * count_c), inverse frequency (losscore.class_weights' 'balanced'). */
    double weight[MAX_CLASSES];
    size_t counts[MAX_CLASSES] = {0};
    for (size_t i = 0; i < d.n_train; i++) counts[d.y_train[i]]++;
    for (size_t j = 0; j < d.classes; j++)
        weight[j] = counts[j] ? (double)d.n_train / ((double)d.classes * (double)counts[j]) : 0.0;

    char focal[64], weighted_focal[64];
    snprintf(focal, sizeof focal, "focal loss, gamma %g", FOCAL_GAMMA);
    snprintf(weighted_focal, sizeof weighted_focal, "weighted focal loss, gamma %g", FOCAL_GAMMA);
    const objective objectives[] = {
        {"cross-entropy", NULL, 0},
        {"weighted cross-entropy", weight, 0},
        {focal, NULL, 1},
        {weighted_focal, weight, 1},
    };
    enum { OBJECTIVES = sizeof objectives / sizeof objectives[0] };
    result results[OBJECTIVES];
    for (int i = 0; i < OBJECTIVES; i++) {
        if (train(&d, &objectives[i], epochs, &results[i]) != 0) {
            release(&d);
            return 1;
        }
    }

    printf("| loss | accuracy | balanced accuracy | recall of %zu (%zu training samples) "
           "| lowest recall of the others | training loss, first -> last epoch |\n",
           d.rare, counts[d.rare]);
    printf("|---|---|---|---|---|---|\n");
    for (int i = 0; i < OBJECTIVES; i++) {
        const result *r = &results[i];
        double lowest = INFINITY;
        for (size_t j = 0; j < d.classes; j++)
            if (j != d.rare && r->recall[j] < lowest) lowest = r->recall[j];
        printf("| %s | %.3f | %.3f | %.3f | %.3f | %.4f -> %.4f |\n", objectives[i].name, r->accuracy,
               r->balanced_accuracy, r->recall[d.rare], lowest, r->first_loss, r->last_loss);
    }
    release(&d);
    return 0;
}
