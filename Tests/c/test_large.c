/*
 * test_large.c - index arithmetic beyond 2^31 elements, cheaply.
 *
 * Buffers of more than 2^31 elements are anonymous mappings that are never written except
 * for the few elements a check sets: untouched pages all read as the kernel's one zero
 * page, so the calls cost reading zeros, not memory. Each check puts the one element that
 * decides the result past index 2^31 (a row of 2^31 + 64 classes, or 2^31 + 64 elements, in
 * float or, widened a block at a time, in 16 bits), where an index kept in 32 bits would wrap
 * to another element.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "exports.h"
#include "support.h"

static const size_t BIG = ((size_t)1 << 31) + 64;

/* A zero-filled mapping of `bytes` that reserves no memory, or NULL. */
static void *zeros(size_t bytes) {
    void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    return p == MAP_FAILED ? NULL : p;
}

/* One row of BIG class scores, all 0 but the last (`last`). */
static float *big_row(float last) {
    float *x = zeros(BIG * sizeof(float));
    if (x) x[BIG - 1] = last;
    return x;
}

static void test_nll_loss(void) {
    float *x = big_row(-3.0f);
    if (!x) {
        CHECK(0, "nll_loss: cannot map %zu floats", BIG);
        return;
    }
    int64_t target = (int64_t)(BIG - 1);
    float out = 0;
    losscore_status s = losscore_nll_loss_f32(x, &target, NULL, 1, BIG, 1, -100, LOSSCORE_REDUCTION_SUM, &out, NULL, NULL, NULL);
    CHECK(s == LOSSCORE_OK && out == 3.0f, "nll_loss over %zu classes, target %lld: status %s, loss %g (expected 3)", BIG,
          (long long)target, losscore_status_string(s), out);
    target = 5;
    s = losscore_nll_loss_f32(x, &target, NULL, 1, BIG, 1, -100, LOSSCORE_REDUCTION_SUM, &out, NULL, NULL, NULL);
    CHECK(s == LOSSCORE_OK && out == 0.0f, "nll_loss over %zu classes, target 5: loss %g (expected 0)", BIG, out);
    munmap(x, BIG * sizeof(float));
}

static void test_zero_one_loss(void) {
    float *x = big_row(1.0f);
    if (!x) {
        CHECK(0, "zero_one_loss: cannot map %zu floats", BIG);
        return;
    }
    const int64_t targets[2] = {(int64_t)(BIG - 1), (int64_t)((size_t)1 << 31) - 1};
    const float want[2] = {0.0f, 1.0f};
    for (int k = 0; k < 2; k++) {
        float out = -1;
        losscore_status s = losscore_zero_one_loss_f32(x, &targets[k], 1, BIG, LOSSCORE_REDUCTION_SUM, &out, NULL);
        CHECK(s == LOSSCORE_OK && out == want[k], "zero_one_loss: argmax at %zu, target %lld: loss %g (expected %g)",
              BIG - 1, (long long)targets[k], out, want[k]);
    }
    munmap(x, BIG * sizeof(float));
}

/* The max and the target past 2^31: a row of zeros but a score of 100 at the last class,
 * whose exp-sum is 1 (the others' exp(-100) underflow), so the loss is 0 at that target
 * and 100 at any other. */
static void test_cross_entropy(void) {
    float *x = big_row(100.0f);
    if (!x) {
        CHECK(0, "cross_entropy: cannot map %zu floats", BIG);
        return;
    }
    const int64_t targets[2] = {(int64_t)(BIG - 1), 0};
    const float want[2] = {0.0f, 100.0f};
    for (int k = 0; k < 2; k++) {
        float out = -1;
        losscore_status s = losscore_cross_entropy_f32(x, &targets[k], NULL, 1, BIG, 1, -100, LOSSCORE_REDUCTION_SUM, 0.0,
                                                       &out, NULL, NULL, NULL);
        CHECK(s == LOSSCORE_OK && out == want[k], "cross_entropy over %zu classes, target %lld: %g, expected %g", BIG,
              (long long)targets[k], out, want[k]);
    }
    munmap(x, BIG * sizeof(float));
}

/* An elementwise reduction over BIG elements whose last one differs: the L1 sum is its
 * difference, the mean that over BIG. */
static void test_l1_loss(void) {
    float *x = zeros(BIG * sizeof(float)), *y = zeros(BIG * sizeof(float));
    if (!x || !y) {
        CHECK(0, "l1_loss: cannot map 2 x %zu floats", BIG);
        return;
    }
    x[BIG - 1] = 5.0f;
    float sum = 0, mean = 0;
    losscore_status s1 = losscore_l1_loss_f32(x, y, NULL, BIG, LOSSCORE_REDUCTION_SUM, &sum, NULL, NULL, NULL);
    losscore_status s2 = losscore_l1_loss_f32(x, y, NULL, BIG, LOSSCORE_REDUCTION_MEAN, &mean, NULL, NULL, NULL);
    CHECK(s1 == LOSSCORE_OK && sum == 5.0f, "l1_loss SUM over %zu elements: %g (expected 5)", BIG, sum);
    CHECK(s2 == LOSSCORE_OK && close_to(mean, 5.0 / (double)BIG, 1e-6, 0), "l1_loss MEAN over %zu elements: %g (expected %g)",
          BIG, mean, 5.0 / (double)BIG);
    munmap(x, BIG * sizeof(float));
    munmap(y, BIG * sizeof(float));
}

/* The same sum through each 16-bit L1 entry point the header declares, whose inputs are
 * widened a block at a time: 5, exactly, from the one element past 2^31. */
static void test_l1_loss_16bit(void) {
    const lc_type types[2] = {LC_F16, LC_BF16};
    for (int k = 0; k < 2; k++) {
        const lc_export *e = lc_export_of("l1_loss", types[k]);
        if (!e) continue;
        uint16_t *x = zeros(BIG * sizeof(uint16_t)), *y = zeros(BIG * sizeof(uint16_t)), sum = 0;
        if (!x || !y) {
            CHECK(0, "%s: cannot map 2 x %zu 16-bit values", e->name, BIG);
            return;
        }
        x[BIG - 1] = lc_round16(types[k], 5.0f);
        lc_args a;
        memset(&a, 0, sizeof a);
        a.input = x, a.target = y, a.n = BIG, a.reduction = LOSSCORE_REDUCTION_SUM, a.out = &sum;
        losscore_status s = e->call(&a);
        CHECK(s == LOSSCORE_OK && sum == lc_round16(types[k], 5.0f), "%s SUM over %zu elements: status %s, 0x%04x (expected 5)",
              e->name, BIG, losscore_status_string(s), sum);
        munmap(x, BIG * sizeof(uint16_t));
        munmap(y, BIG * sizeof(uint16_t));
    }
}

int main(void) {
    test_nll_loss();
    test_zero_one_loss();
    test_cross_entropy();
    test_l1_loss();
    test_l1_loss_16bit();
    return lc_summary();
}
