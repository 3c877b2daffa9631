/* LossCore from C: the tutorial's MAE example, a cross-entropy with its gradient, and the
 * message of a bad call. Build it against an installed LossCore (scripts/install.sh; set
 * PKG_CONFIG_PATH=$PREFIX/lib/pkgconfig for a prefix pkg-config does not search):
 *
 *   cc example.c $(pkg-config --cflags --libs losscore) -Wl,-rpath,$(pkg-config --variable=libdir losscore) -o example && ./example
 *
 * It prints what examples/expected_output.txt holds (the test command compares them).
 */
#include <stdint.h>
#include <stdio.h>

#include <losscore.h>

int main(void) {
    /* The tutorial's MAE: predictions against targets, the mean of |y_pred - y_true|, and in
     * the same call its gradient with respect to the predictions. */
    const double y_pred[] = {0.000, 0.100, 0.200};
    const double y_true[] = {0.000, 0.200, 0.250};
    double mae = 0.0, mae_grad[3];
    if (losscore_l1_loss_f64(y_pred, y_true, NULL, 3, LOSSCORE_REDUCTION_MEAN, &mae, NULL,
                             mae_grad, NULL) != LOSSCORE_OK) {
        fprintf(stderr, "l1_loss failed: %s\n", losscore_last_error());
        return 1;
    }
    /* %.17g prints the shortest digits that round-trip here, like Python's str(). */
    printf("MAE error is: %.17g\n", mae);
    printf("d MAE / d y_pred = [%g, %g, %g]\n", mae_grad[0], mae_grad[1], mae_grad[2]);

    /* Cross-entropy of two samples over three classes (logits, class indices), mean over the
     * samples, with the gradient with respect to the logits. */
    enum { N = 2, C = 3 };
    const double logits[N * C] = {2.0, 1.0, 0.1,
                                  0.5, 2.5, 0.3};
    const int64_t labels[N] = {0, 1};
    double ce = 0.0, ce_grad[N * C];
    if (losscore_cross_entropy_f64(logits, labels, NULL, N, C, 1, -100, LOSSCORE_REDUCTION_MEAN,
                                   0.0, &ce, NULL, ce_grad, NULL) != LOSSCORE_OK) {
        fprintf(stderr, "cross_entropy failed: %s\n", losscore_last_error());
        return 1;
    }
    printf("cross_entropy = %.6f\n", ce);
    for (int i = 0; i < N; i++) {
        printf("d cross_entropy / d logits[%d] = [%.6f, %.6f, %.6f]\n", i,
               ce_grad[i * C], ce_grad[i * C + 1], ce_grad[i * C + 2]);
    }

    /* A bad call (class index 5 of 3 classes) returns a status and a message; nothing is
     * written and nothing crashes. The message is also in losscore_last_error(); a record of
     * the caller's own keeps it whichever thread asks. */
    const int64_t bad_labels[N] = {0, 5};
    losscore_error error;
    losscore_status status = losscore_cross_entropy_f64(logits, bad_labels, NULL, N, C, 1, -100,
                                                        LOSSCORE_REDUCTION_MEAN, 0.0, &ce, NULL, NULL, &error);
    printf("bad call -> %s: %s\n", losscore_status_string(status), error.message);
    return status == LOSSCORE_ERROR_INDEX ? 0 : 1;
}
