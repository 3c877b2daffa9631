/* The tutorial's MAE example, in C against liblosscore.so.
 *
 *   cc -std=c11 -I include examples/mae.c -L .build/release -llosscore \
 *      -Wl,-rpath,.build/release -o /tmp/mae && /tmp/mae
 */
#include <stdio.h>

#include "losscore.h"

int main(void) {
    const double y_pred[] = {0.000, 0.100, 0.200};
    const double y_true[] = {0.000, 0.200, 0.250};
    double mae = 0.0;
    double grad[3];

    losscore_status status = losscore_l1_loss_f64(y_pred, y_true, NULL, 3, LOSSCORE_REDUCTION_MEAN,
                                                  &mae, NULL, grad);
    if (status != LOSSCORE_OK) {
        fprintf(stderr, "l1_loss failed: %s\n", losscore_last_error());
        return 1;
    }
    /* %.17g prints the shortest digits that round-trip here, like Python's str(). */
    printf("MAE error is: %.17g\n", mae);
    printf("d MAE / d y_pred = [%g, %g, %g]\n", grad[0], grad[1], grad[2]);

    /* A bad call reports a status and a message instead of crashing. */
    status = losscore_l1_loss_f64(y_pred, NULL, NULL, 3, LOSSCORE_REDUCTION_MEAN, &mae, NULL, NULL);
    printf("l1_loss with target = NULL -> %s: %s\n", losscore_status_string(status), losscore_last_error());
    return status == LOSSCORE_ERROR_NULL_POINTER ? 0 : 1;
}
