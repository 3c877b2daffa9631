// LossCore from C++: the tutorial's MAE example, a cross-entropy with its gradient, and the
// message of a bad call, through the CMake package of an installed LossCore
// (scripts/install.sh). Build it with (README.md here):
//
//   cmake -S . -B build -DCMAKE_PREFIX_PATH=$PREFIX && cmake --build build && build/example
//
// It prints what examples/expected_output.txt holds (the test command compares them).
#include <array>
#include <cstdint>
#include <cstdio>
#include <stdexcept>
#include <string>

#include <losscore.h>

namespace {

// Turns a failed call into an exception carrying the library's message.
void check(losscore_status status, const char *what) {
    if (status != LOSSCORE_OK) {
        throw std::runtime_error(std::string(what) + ": " + losscore_last_error());
    }
}

}  // namespace

int main() {
    try {
        // The tutorial's MAE, with its gradient with respect to the predictions.
        const std::array<double, 3> y_pred{0.000, 0.100, 0.200};
        const std::array<double, 3> y_true{0.000, 0.200, 0.250};
        double mae = 0.0;
        std::array<double, 3> mae_grad{};
        check(losscore_l1_loss_f64(y_pred.data(), y_true.data(), nullptr, y_pred.size(),
                                   LOSSCORE_REDUCTION_MEAN, &mae, nullptr, mae_grad.data(), nullptr),
              "l1_loss");
        // %.17g prints the shortest digits that round-trip here, like Python's str().
        std::printf("MAE error is: %.17g\n", mae);
        std::printf("d MAE / d y_pred = [%g, %g, %g]\n", mae_grad[0], mae_grad[1], mae_grad[2]);

        // Cross-entropy of two samples over three classes, mean, gradient w.r.t. the logits.
        constexpr std::size_t n = 2, c = 3;
        const std::array<double, n * c> logits{2.0, 1.0, 0.1,
                                               0.5, 2.5, 0.3};
        const std::array<std::int64_t, n> labels{0, 1};
        double ce = 0.0;
        std::array<double, n * c> ce_grad{};
        check(losscore_cross_entropy_f64(logits.data(), labels.data(), nullptr, n, c, 1, -100,
                                         LOSSCORE_REDUCTION_MEAN, 0.0, &ce, nullptr, ce_grad.data(), nullptr),
              "cross_entropy");
        std::printf("cross_entropy = %.6f\n", ce);
        for (std::size_t i = 0; i < n; i++) {
            std::printf("d cross_entropy / d logits[%zu] = [%.6f, %.6f, %.6f]\n", i,
                        ce_grad[i * c], ce_grad[i * c + 1], ce_grad[i * c + 2]);
        }

        // A bad call (class index 5 of 3 classes): a status and a message, nothing written.
        const std::array<std::int64_t, n> bad_labels{0, 5};
        losscore_error error;  // this call's own record of its status and message
        const losscore_status status = losscore_cross_entropy_f64(
            logits.data(), bad_labels.data(), nullptr, n, c, 1, -100, LOSSCORE_REDUCTION_MEAN, 0.0,
            &ce, nullptr, nullptr, &error);
        std::printf("bad call -> %s: %s\n", losscore_status_string(status), error.message);
        return status == LOSSCORE_ERROR_INDEX ? 0 : 1;
    } catch (const std::exception &error) {
        std::fprintf(stderr, "%s\n", error.what());
        return 1;
    }
}
