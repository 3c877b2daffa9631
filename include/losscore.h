/*
 * losscore.h - the LossCore C API.
 *
 * LossCore computes machine-learning loss functions and, in the same pass,
 * their gradients, with PyTorch's semantics (torch.nn.functional), over plain
 * contiguous row-major float or double buffers.
 *
 * This header is the whole public interface of liblosscore.so and the single
 * source of truth for the ABI: every function below is implemented in Swift
 * with `@c @implementation`, so the compiler rejects any drift between this
 * file and the library. losscore.cdef, installed beside it, holds the same
 * declarations without comments or preprocessor lines (integer macros as enum
 * constants), for foreign-function interfaces that parse C declarations:
 * cffi, LuaJIT's ffi.cdef, pycparser (which, as for any C file, needs the
 * typedefs of int32_t, int64_t and size_t in front).
 *
 * ---------------------------------------------------------------------------
 * Conventions (they hold for every loss function in this file)
 * ---------------------------------------------------------------------------
 *
 * Types.  Each loss has a `_f32` (float) and an `_f64` (double) entry point
 *   with identical semantics. Options such as `beta` are passed as double for
 *   both. Class indices are int64_t.
 *
 * 16-bit storage.  Each loss also has `_f16` (IEEE 754 binary16) and `_bf16`
 *   (bfloat16: the upper 16 bits of a float) entry points: the parameters of
 *   the `_f32` one with every float buffer a `uint16_t` buffer of bit patterns
 *   (inputs, targets, weights, grad_output, out and the gradients alike).
 *   They compute what the `_f32` entry point computes on the values widened
 *   to float (exact), in the same order, and round each result once to the
 *   storage type, to nearest even: the losses, the reduced value and every
 *   gradient element. (bfloat16 NaN results are 0x7FC0, as PyTorch rounds.)
 *   PyTorch rounds its elementwise losses before it reduces them and its
 *   gradients after several 16-bit steps, so its 16-bit results may differ
 *   from these, which are the correctly rounded float results, by a unit or
 *   two in the last place of the 16-bit type. The conversion is done a block
 *   at a time: no call holds more than a block per thread in float.
 *
 * Shapes.  Buffers are contiguous and row-major. Shapes are passed as explicit
 *   element counts: `n` for elementwise losses (the product of all dimensions).
 *   A count of 0 is allowed (an empty batch); data pointers may then be NULL,
 *   and so may `out` under LOSSCORE_REDUCTION_NONE (it receives nothing).
 *   Counts whose buffers could not exist (their size in bytes overflows) are
 *   refused with LOSSCORE_ERROR_SHAPE.
 *
 * Reduction.  `LOSSCORE_REDUCTION_NONE` writes one loss per element to `out`
 *   (`n` values); `LOSSCORE_REDUCTION_MEAN` and `LOSSCORE_REDUCTION_SUM` write a
 *   single value to `out[0]`. The mean of an empty input is NaN and its sum 0,
 *   as in PyTorch.
 *
 * Gradients.  Passing a non-NULL `grad_input` computes d(loss)/d(input) in the
 *   same pass as the loss and writes it to `grad_input` (same size as `input`).
 *   `grad_output` is what back-propagation feeds in: for NONE an array of `n`
 *   values, for MEAN/SUM a pointer to one value; NULL means all ones. It is
 *   ignored when `grad_input` is NULL. Gradients match torch autograd,
 *   including at kinks: the gradient of |x| at 0 is 0.
 *
 * Options.  Every double option has a domain; a value outside it, or NaN, is
 *   refused with LOSSCORE_ERROR_INVALID_ARGUMENT before anything is computed.
 *   Flags (torch's bool options) are int32_t, 0 (false) or 1 (true), and so
 *   are torch's integer options with a few values ({1, 2}: 1 or 2); any other
 *   value is refused the same way. An option name means the same thing, with
 *   the same domain, in every function that takes it ([ ] closed, ( ) open
 *   ends, {0, 1} a flag, {1, 2} an int32_t of those values; the example is a
 *   valid value, used by the tests):
 *
 *     option            domain        example   functions
 *     beta              [0, inf]      1         smooth_l1_loss
 *     delta             (0, inf]      1         huber_loss
 *     label_smoothing   [0, 1]        0.1       cross_entropy, cross_entropy_probs
 *     gamma             [0, inf)      2         focal_loss, sigmoid_focal_loss
 *     alpha             [-inf, 1]     0.25      sigmoid_focal_loss (< 0: no alpha)
 *     margin            [-inf, inf]   1         hinge_embedding_loss, triplet_margin_loss,
 *                                               cosine_embedding_loss, multi_margin_loss,
 *                                               margin_ranking_loss
 *     p                 {1, 2}        1         multi_margin_loss (the power of its terms)
 *     eps               [-inf, inf]   1e-08     poisson_nll_loss, gaussian_nll_loss (the clamp of var)
 *     norm_p            [-inf, inf]   2         triplet_margin_loss (the p of its p-norm)
 *     distance_eps      [-inf, inf]   1e-06     triplet_margin_loss (added to each
 *                                               difference; poisson's eps is inside a log)
 *     log_target        {0, 1}        1         kl_div
 *     log_input         {0, 1}        0         poisson_nll_loss
 *     full              {0, 1}        1         poisson_nll_loss, gaussian_nll_loss
 *     swap              {0, 1}        0         triplet_margin_loss
 *     zero_infinity     {0, 1}        0         ctc_loss
 *
 * Errors.  Every function returns a `losscore_status`; LOSSCORE_OK (0) is
 *   success. On failure nothing is written to any output buffer, and the
 *   message naming the argument and the value at fault is both in the
 *   caller's `losscore_error` record, when its last argument gives one, and
 *   in losscore_last_error() for the calling OS thread (see "Status codes and
 *   errors" below for which to use). No input makes the library trap, abort
 *   or read out of bounds:
 *   NULL pointers, overflowing sizes, unknown enum values and bad options are
 *   reported as errors. NaN and Inf in the data are not errors: they propagate
 *   into the results as they do in PyTorch.
 *
 * Threads.  All functions are thread-safe and reentrant. Large inputs are
 *   split into fixed-size blocks processed on up to losscore_get_num_threads()
 *   threads and combined in a fixed order, so results are bitwise identical
 *   whatever the thread count. Reductions of float losses are accumulated in
 *   double lanes (four terms per lane are added in float, then widened), as
 *   are the signed row sums of the class-row losses; its sums of exponentials
 *   (positive terms, no cancellation) use float lanes. Float results stay
 *   within a few ulps of the double result. The library starts its worker
 *   threads on first use and keeps them; after a parallel call they poll for
 *   about 0.2 ms before they sleep, so that calls in quick succession start
 *   at once (a core stays busy for that long). A call made while another
 *   thread's call is using them runs on the system's Dispatch threads.
 *
 * Aliasing.  Output buffers must not overlap each other or any input.
 */
#ifndef LOSSCORE_H
#define LOSSCORE_H

#include <stddef.h>
#include <stdint.h>

/* LOSSCORE_API marks every function of the library. A program using the
 * library needs nothing; it may define LOSSCORE_API before including this
 * header (for example as empty, or with a calling convention) when it
 * declares the functions for a runtime of its own. */
#ifndef LOSSCORE_API
#  if defined(_WIN32)
#    define LOSSCORE_API __declspec(dllimport)
#  elif defined(__GNUC__) || defined(__clang__)
#    define LOSSCORE_API __attribute__((visibility("default")))
#  else
#    define LOSSCORE_API
#  endif
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ===========================================================================
 * Version
 * ======================================================================== */

#define LOSSCORE_VERSION_MAJOR 0
#define LOSSCORE_VERSION_MINOR 1
#define LOSSCORE_VERSION_PATCH 0
#define LOSSCORE_VERSION_NUMBER \
    (LOSSCORE_VERSION_MAJOR * 10000 + LOSSCORE_VERSION_MINOR * 100 + LOSSCORE_VERSION_PATCH)
#define LOSSCORE_VERSION_STRING "0.1.0"

/* The version of the loaded library as "MAJOR.MINOR.PATCH". It may differ
 * from LOSSCORE_VERSION_STRING if the program was compiled against another
 * header. The string is static; do not free it. */
LOSSCORE_API
const char *losscore_version(void);

/* The version of the loaded library as LOSSCORE_VERSION_NUMBER encodes it. */
LOSSCORE_API
int32_t losscore_version_number(void);

/* ===========================================================================
 * Status codes and errors
 * ======================================================================== */

/* A function's result: LOSSCORE_OK or one of the errors below. It is an
 * int32_t, not an enum, so that every language binding knows its width; the
 * values are the constants of this enum. */
typedef int32_t losscore_status;
enum {
    LOSSCORE_OK = 0,
    /* A required pointer was NULL. */
    LOSSCORE_ERROR_NULL_POINTER = 1,
    /* An option is out of its domain: an unknown reduction, a negative beta,
     * a NaN margin, ... */
    LOSSCORE_ERROR_INVALID_ARGUMENT = 2,
    /* Sizes are inconsistent, zero where that is not allowed, or their
     * product overflows. */
    LOSSCORE_ERROR_SHAPE = 3,
    /* A class index (target) is outside [0, C) and is not ignore_index. */
    LOSSCORE_ERROR_INDEX = 4,
    /* A temporary buffer could not be allocated: the CTC loss's workspace (the
     * other functions fall back to allocation-free code paths instead). */
    LOSSCORE_ERROR_OUT_OF_MEMORY = 5,
    /* The library holds no kernels this CPU can run: every call of a library
     * built for one CPU class (see "Build and CPU") on a lesser CPU. */
    LOSSCORE_ERROR_UNSUPPORTED_CPU = 6
};

/* The room for a message in a losscore_error, its terminating NUL included.
 * Every message the library writes fits; a longer one would be cut at a
 * character boundary. */
#define LOSSCORE_ERROR_MESSAGE_SIZE 512

/* The outcome of one call, written by the call itself into memory the caller
 * owns: the error channel for callers that may not stay on one OS thread
 * between a call and losscore_last_error() (goroutines, async tasks, green
 * and virtual threads), or that want the message kept.
 *
 * Every function that returns a losscore_status takes `losscore_error *error`
 * as its last argument. NULL means "no error record" (losscore_last_error()
 * still has the message). Otherwise the call writes, before it returns,
 * `status` (the value it returns) and `message` (NUL-terminated; "" on
 * success, else the message losscore_last_error() gives). The record is
 * written on success too, so one record can serve many calls; each
 * concurrent call needs its own. It must not overlap any other argument. */
typedef struct losscore_error {
    losscore_status status;
    char message[LOSSCORE_ERROR_MESSAGE_SIZE];
} losscore_error;

/* A message describing the last error on the calling OS thread, naming the
 * argument and the value at fault, or "" if the last call on this thread
 * of a function that returns a losscore_status succeeded (the others leave
 * it as it was). The string belongs to the library and stays valid until the
 * next LossCore call on the same thread. Never NULL. A caller that may move
 * to another OS thread between its call and this one (a goroutine, an async
 * task) passes a losscore_error record instead. */
LOSSCORE_API
const char *losscore_last_error(void);

/* A static, human-readable name for a status code ("LOSSCORE_OK", ...), or
 * "unknown status" for any other value. Never NULL. */
LOSSCORE_API
const char *losscore_status_string(losscore_status status);

/* ===========================================================================
 * Threads
 * ======================================================================== */

/* Sets the number of threads used by large computations, for the whole
 * process. `num_threads` = 0 restores the default: the value of the
 * environment variable LOSSCORE_NUM_THREADS if it is a positive integer
 * (capped at 1024), else the number of cores the process may use (the
 * online cores, fewer if its CPU affinity or a cgroup v2 CPU quota allows
 * fewer). Values above 1024 are rejected with
 * LOSSCORE_ERROR_INVALID_ARGUMENT, as are negative values.
 * Results do not depend on the thread count. */
LOSSCORE_API
losscore_status losscore_set_num_threads(int32_t num_threads, losscore_error *error);

/* The number of threads large computations use (always >= 1). */
LOSSCORE_API
int32_t losscore_get_num_threads(void);

/* ===========================================================================
 * Build and CPU
 *
 * On x86-64 the library holds its kernels three times, compiled for three CPU
 * classes, and runs the highest set the CPU (and the operating system)
 * supports, chosen once per process at the first call:
 *   avx512    AVX-512 F/CD/BW/DQ/VL and all of avx2 (Skylake-SP, Ice Lake, Zen 4)
 *   avx2      AVX2, FMA, BMI1/2, LZCNT, MOVBE, F16C (Haswell, Zen 1 and later)
 *   baseline  any x86-64 CPU
 * The environment variable LOSSCORE_KERNELS=baseline|avx2|avx512 (read at that
 * first call) asks for a lower set; a set higher than the CPU supports is not
 * used (the highest one it supports runs instead), and any other value is
 * ignored. Each set gives bitwise identical results whatever the thread count;
 * the sets differ from each other in the last bits (FMA contraction, vector
 * widths): README "Which kernels run where" states by how much.
 * A library built with LOSSCORE_NATIVE=1 holds only the set of the machine that
 * built it; on a CPU without that set's features every call is refused with
 * LOSSCORE_ERROR_UNSUPPORTED_CPU, its message (losscore_last_error(), the
 * call's error record) naming the features the CPU lacks.
 * ======================================================================== */

/* What this process runs, as one static line of space-separated fields:
 *   kernels=SET          avx512, avx2 or baseline; none if calls are refused
 *   compiled=SET,...     the sets the library holds, highest first
 *   cpu=FEATURE,...      the features detected, among ssse3 sse4.1 sse4.2
 *                        popcnt avx f16c fma movbe avx2 bmi1 bmi2 lzcnt
 *                        avx512f avx512dq avx512cd avx512bw avx512vl, and
 *                        os-ymm, os-zmm when the OS saves those registers
 *                        ("-" if none, as on other architectures)
 *   requested=VALUE      LOSSCORE_KERNELS, or auto when it is unset or empty;
 *                        followed by " (unknown: ignored)" if it names no set
 * e.g. "kernels=avx2 compiled=avx512,avx2,baseline cpu=...,avx2,... requested=auto".
 * Never NULL. */
LOSSCORE_API
const char *losscore_build_info(void);

/* ===========================================================================
 * Reductions
 * ======================================================================== */

/* How a loss reduces its per-element (or per-sample) losses: an int32_t whose
 * values are the constants of this enum. */
typedef int32_t losscore_reduction;
enum {
    /* One loss per element (or per sample): `out` holds the unreduced loss. */
    LOSSCORE_REDUCTION_NONE = 0,
    /* out[0] = the (weighted) mean; see each loss for its denominator. */
    LOSSCORE_REDUCTION_MEAN = 1,
    /* out[0] = the sum of the unreduced losses. */
    LOSSCORE_REDUCTION_SUM = 2
};

/* ===========================================================================
 * Elementwise losses: one loss per element of input and target
 *
 * Arguments common to all of them:
 *   input, target  n values each (same shape; broadcast before calling).
 *   weight         NULL, or n per-element weights w_i (where supported).
 *   n              number of elements.
 *   reduction      see above.
 *   out            n values for NONE, else 1 value.
 *   grad_output    see "Gradients" above; may be NULL.
 *   grad_input     NULL (loss only) or n values: d(loss)/d(input).
 * With d_i = input_i - target_i and l_i the per-element loss below, NONE
 * writes w_i * l_i, SUM writes sum_i w_i * l_i, and MEAN divides that sum by
 * the denominator given for each loss (w_i = 1 without weights).
 * Errors: LOSSCORE_ERROR_NULL_POINTER (a required buffer is NULL while
 * n > 0, or `out` is NULL while it must receive a value), LOSSCORE_ERROR_SHAPE
 * (n elements would not fit in the address space, e.g. n = SIZE_MAX),
 * LOSSCORE_ERROR_INVALID_ARGUMENT (unknown reduction, bad option).
 * ======================================================================== */

/* ---- Regression: L1, MSE, smooth L1, Huber ---- */

/* L1 loss (mean absolute error), torch.nn.functional.l1_loss.
 *   l_i = |d_i|,   d l_i / d input_i = sign(d_i)   (0 at d_i = 0 and for NaN)
 *   MEAN divides by sum_i w_i (by n without weights). */
LOSSCORE_API
losscore_status losscore_l1_loss_f32(const float *input, const float *target,
                                     const float *weight, size_t n,
                                     losscore_reduction reduction, float *out,
                                     const float *grad_output, float *grad_input,
                                     losscore_error *error);
LOSSCORE_API
losscore_status losscore_l1_loss_f64(const double *input, const double *target,
                                     const double *weight, size_t n,
                                     losscore_reduction reduction, double *out,
                                     const double *grad_output, double *grad_input,
                                     losscore_error *error);
LOSSCORE_API
losscore_status losscore_l1_loss_f16(const uint16_t *input, const uint16_t *target,
                                     const uint16_t *weight, size_t n,
                                     losscore_reduction reduction, uint16_t *out,
                                     const uint16_t *grad_output, uint16_t *grad_input,
                                     losscore_error *error);
LOSSCORE_API
losscore_status losscore_l1_loss_bf16(const uint16_t *input, const uint16_t *target,
                                      const uint16_t *weight, size_t n,
                                      losscore_reduction reduction, uint16_t *out,
                                      const uint16_t *grad_output, uint16_t *grad_input,
                                      losscore_error *error);

/* Mean squared error, torch.nn.functional.mse_loss.
 *   l_i = d_i^2,   d l_i / d input_i = 2 d_i
 *   MEAN divides by sum_i w_i (by n without weights). */
LOSSCORE_API
losscore_status losscore_mse_loss_f32(const float *input, const float *target,
                                      const float *weight, size_t n,
                                      losscore_reduction reduction, float *out,
                                      const float *grad_output, float *grad_input,
                                      losscore_error *error);
LOSSCORE_API
losscore_status losscore_mse_loss_f64(const double *input, const double *target,
                                      const double *weight, size_t n,
                                      losscore_reduction reduction, double *out,
                                      const double *grad_output, double *grad_input,
                                      losscore_error *error);
LOSSCORE_API
losscore_status losscore_mse_loss_f16(const uint16_t *input, const uint16_t *target,
                                      const uint16_t *weight, size_t n,
                                      losscore_reduction reduction, uint16_t *out,
                                      const uint16_t *grad_output, uint16_t *grad_input,
                                      losscore_error *error);
LOSSCORE_API
losscore_status losscore_mse_loss_bf16(const uint16_t *input, const uint16_t *target,
                                       const uint16_t *weight, size_t n,
                                       losscore_reduction reduction, uint16_t *out,
                                       const uint16_t *grad_output, uint16_t *grad_input,
                                       losscore_error *error);

/* Smooth L1 loss, torch.nn.functional.smooth_l1_loss (no weight).
 *   l_i = 0.5 d_i^2 / beta   if |d_i| < beta,   |d_i| - 0.5 beta otherwise
 *   d l_i / d input_i = d_i / beta inside, sign(d_i) outside.
 *   beta = 0 is exactly the L1 loss (value and gradient). MEAN divides by n.
 *   Errors: beta < 0 or NaN -> LOSSCORE_ERROR_INVALID_ARGUMENT. */
LOSSCORE_API
losscore_status losscore_smooth_l1_loss_f32(const float *input, const float *target,
                                            size_t n, losscore_reduction reduction,
                                            double beta, float *out,
                                            const float *grad_output, float *grad_input,
                                            losscore_error *error);
LOSSCORE_API
losscore_status losscore_smooth_l1_loss_f64(const double *input, const double *target,
                                            size_t n, losscore_reduction reduction,
                                            double beta, double *out,
                                            const double *grad_output, double *grad_input,
                                            losscore_error *error);
LOSSCORE_API
losscore_status losscore_smooth_l1_loss_f16(const uint16_t *input, const uint16_t *target,
                                            size_t n, losscore_reduction reduction,
                                            double beta, uint16_t *out,
                                            const uint16_t *grad_output, uint16_t *grad_input,
                                            losscore_error *error);
LOSSCORE_API
losscore_status losscore_smooth_l1_loss_bf16(const uint16_t *input, const uint16_t *target,
                                             size_t n, losscore_reduction reduction,
                                             double beta, uint16_t *out,
                                             const uint16_t *grad_output, uint16_t *grad_input,
                                             losscore_error *error);

/* Huber loss, torch.nn.functional.huber_loss.
 *   l_i = 0.5 d_i^2                    if |d_i| < delta,
 *         delta (|d_i| - 0.5 delta)    otherwise
 *   d l_i / d input_i = d_i inside, delta * sign(d_i) outside.
 *   MEAN divides by n even with weights: this mirrors PyTorch, whose
 *   weighted Huber mean is mean(w * l), unlike its weighted L1 and MSE.
 *   Errors: delta <= 0 or NaN -> LOSSCORE_ERROR_INVALID_ARGUMENT. */
LOSSCORE_API
losscore_status losscore_huber_loss_f32(const float *input, const float *target,
                                        const float *weight, size_t n,
                                        losscore_reduction reduction, double delta,
                                        float *out, const float *grad_output,
                                        float *grad_input, losscore_error *error);
LOSSCORE_API
losscore_status losscore_huber_loss_f64(const double *input, const double *target,
                                        const double *weight, size_t n,
                                        losscore_reduction reduction, double delta,
                                        double *out, const double *grad_output,
                                        double *grad_input, losscore_error *error);
LOSSCORE_API
losscore_status losscore_huber_loss_f16(const uint16_t *input, const uint16_t *target,
                                        const uint16_t *weight, size_t n,
                                        losscore_reduction reduction, double delta,
                                        uint16_t *out, const uint16_t *grad_output,
                                        uint16_t *grad_input, losscore_error *error);
LOSSCORE_API
losscore_status losscore_huber_loss_bf16(const uint16_t *input, const uint16_t *target,
                                         const uint16_t *weight, size_t n,
                                         losscore_reduction reduction, double delta,
                                         uint16_t *out, const uint16_t *grad_output,
                                         uint16_t *grad_input, losscore_error *error);

/* ---- Binary and margin losses: BCE, BCE with logits, sigmoid focal loss, soft margin,
 *      hinge embedding ---- */

/* Arguments of the binary losses (as above):
 *   input, target  n values each (same shape; broadcast before calling).
 *   weight         NULL, or n per-element weights w_i (expand a broadcast
 *                  weight to n values before calling).
 *   n              number of elements (0 is allowed).
 *   out            n values for NONE, else 1 value.
 *   grad_output    see "Gradients" above; may be NULL.
 *   grad_input     NULL (loss only) or n values: d(loss)/d(input).
 * NONE writes w_i * l_i, SUM writes sum_i w_i * l_i and MEAN divides that sum
 * by n, with or without weights (torch's rule for these losses).
 * Errors: LOSSCORE_ERROR_NULL_POINTER (a required buffer is NULL while n > 0,
 * or `out` is NULL), LOSSCORE_ERROR_SHAPE (n does not fit in a signed size),
 * LOSSCORE_ERROR_INVALID_ARGUMENT (unknown reduction, bad option, and see
 * each function). */

/* Binary cross-entropy on probabilities, torch.nn.functional.binary_cross_entropy.
 *   l_i = -(y_i max(log x_i, -100) + (1 - y_i) max(log(1 - x_i), -100))
 *   d l_i / d input_i = (x_i - y_i) / max((1 - x_i) x_i, 1e-12)
 * Each log term is clamped at -100 and the derivative is torch's backward
 * formula, so both stay finite at x = 0 and x = 1 (log(1 - x) is log1p(-x)).
 * As in torch, 1e-12 is the float constant (9.99999996e-13) for both types.
 * Unlike the other losses, data are checked: an input or target element
 * outside [0, 1], or NaN, is refused as torch refuses it ("all elements of
 * input should be between 0 and 1") with LOSSCORE_ERROR_INVALID_ARGUMENT,
 * naming the first such element; nothing is written. */
LOSSCORE_API
losscore_status losscore_binary_cross_entropy_f32(const float *input, const float *target,
                                                  const float *weight, size_t n,
                                                  losscore_reduction reduction, float *out,
                                                  const float *grad_output, float *grad_input,
                                                  losscore_error *error);
LOSSCORE_API
losscore_status losscore_binary_cross_entropy_f64(const double *input, const double *target,
                                                  const double *weight, size_t n,
                                                  losscore_reduction reduction, double *out,
                                                  const double *grad_output, double *grad_input,
                                                  losscore_error *error);
LOSSCORE_API
losscore_status losscore_binary_cross_entropy_f16(const uint16_t *input, const uint16_t *target,
                                                  const uint16_t *weight, size_t n,
                                                  losscore_reduction reduction, uint16_t *out,
                                                  const uint16_t *grad_output, uint16_t *grad_input,
                                                  losscore_error *error);
LOSSCORE_API
losscore_status losscore_binary_cross_entropy_bf16(const uint16_t *input, const uint16_t *target,
                                                   const uint16_t *weight, size_t n,
                                                   losscore_reduction reduction, uint16_t *out,
                                                   const uint16_t *grad_output, uint16_t *grad_input,
                                                   losscore_error *error);

/* Binary cross-entropy on logits,
 * torch.nn.functional.binary_cross_entropy_with_logits, in the stable form
 * (finite for logits of any magnitude, e.g. +-800 in float and double):
 *   softplus(-x) = max(-x, 0) + log1p(exp(-|x|))          (= -log sigmoid(x))
 *   L_i = 1 + (p_i - 1) y_i
 *   l_i = (1 - y_i) x_i + L_i softplus(-x_i)
 *   d l_i / d input_i = L_i sigmoid(x_i) - p_i y_i
 * These are rearranged per sign of x so that no large terms cancel (with
 * e = exp(-|x|): for x >= 0, l = (1 - y) x + L log1p(e) and the derivative
 * (1 - y) - L e / (1 + e); for x < 0, l = -p y x + L log1p(e) and
 * L e / (1 + e) - p y), which keeps, e.g., l = 2.06e-9 at x = -20, y = 0 in
 * float where torch's float32 rounds it to 0. (At x = -inf with y = 1 this
 * gives the limit +inf where torch's form gives NaN; NaN propagates.)
 * p_i is the positive-class weight: pos_weight[i % pos_weight_count], i.e.
 * pos_weight_count values repeating along the last dimension (torch's
 * pos_weight of shape (C,) against an input (..., C): pos_weight_count = C).
 * Any other broadcast can be expanded to n values (pos_weight_count = n); a
 * scalar pos_weight is pos_weight_count = 1. With pos_weight NULL, p_i = 1
 * (l_i = (1 - y_i) x_i + softplus(-x_i), gradient sigmoid(x_i) - y_i) and
 * pos_weight_count is ignored. Targets and weights may be any values.
 * Speed: pos_weight_count = 1 or n run as fast as no pos_weight; any other
 * count is first repeated into a temporary buffer of n values (n more
 * values of memory for the duration of the call), or, if that allocation
 * fails, indexed modulo pos_weight_count (slower; same results).
 * Errors: pos_weight non-NULL with pos_weight_count = 0 or not dividing n ->
 * LOSSCORE_ERROR_SHAPE. */
LOSSCORE_API
losscore_status losscore_binary_cross_entropy_with_logits_f32(
    const float *input, const float *target, const float *weight, const float *pos_weight,
    size_t pos_weight_count, size_t n, losscore_reduction reduction, float *out,
    const float *grad_output, float *grad_input, losscore_error *error);
LOSSCORE_API
losscore_status losscore_binary_cross_entropy_with_logits_f64(
    const double *input, const double *target, const double *weight, const double *pos_weight,
    size_t pos_weight_count, size_t n, losscore_reduction reduction, double *out,
    const double *grad_output, double *grad_input, losscore_error *error);
LOSSCORE_API
losscore_status losscore_binary_cross_entropy_with_logits_f16(
    const uint16_t *input, const uint16_t *target, const uint16_t *weight,
    const uint16_t *pos_weight, size_t pos_weight_count, size_t n, losscore_reduction reduction,
    uint16_t *out, const uint16_t *grad_output, uint16_t *grad_input, losscore_error *error);
LOSSCORE_API
losscore_status losscore_binary_cross_entropy_with_logits_bf16(
    const uint16_t *input, const uint16_t *target, const uint16_t *weight,
    const uint16_t *pos_weight, size_t pos_weight_count, size_t n, losscore_reduction reduction,
    uint16_t *out, const uint16_t *grad_output, uint16_t *grad_input, losscore_error *error);

/* Sigmoid focal loss, exactly torchvision.ops.sigmoid_focal_loss (no weight):
 *   p = sigmoid(x),  ce = (1 - y) x + softplus(-x)  (BCE with logits)
 *   q = 1 - p_t = p (1 - y) + (1 - p) y
 *   a = alpha y + (1 - alpha)(1 - y)   if alpha >= 0;   a = 1 if alpha < 0
 *   l_i = a ce q^gamma
 *   d l_i / d input_i = a [(p - y) q^gamma + gamma ce (1 - 2y) p (1 - p) q^(gamma-1)]
 * 1 - p is computed as sigmoid(-x), so q keeps full precision as p_t -> 1;
 * ce and p - y are evaluated as for BCE with logits (no cancellation).
 * The second gradient term is evaluated as gamma ce (1 - 2y) q^gamma r with
 * r = p (1 - p) / q, and is 0 where q underflows to 0: that is its limit,
 * where autograd returns NaN for 0 < gamma < 1 (inf * 0). gamma = 0 gives
 * a * ce. MEAN divides by n (torchvision's default reduction is NONE).
 * Errors: gamma < 0, infinite or NaN, alpha > 1 or NaN ->
 * LOSSCORE_ERROR_INVALID_ARGUMENT (any alpha < 0, e.g. torchvision's -1,
 * disables the alpha weighting). */
LOSSCORE_API
losscore_status losscore_sigmoid_focal_loss_f32(const float *input, const float *target,
                                                size_t n, losscore_reduction reduction,
                                                double alpha, double gamma, float *out,
                                                const float *grad_output, float *grad_input,
                                                losscore_error *error);
LOSSCORE_API
losscore_status losscore_sigmoid_focal_loss_f64(const double *input, const double *target,
                                                size_t n, losscore_reduction reduction,
                                                double alpha, double gamma, double *out,
                                                const double *grad_output, double *grad_input,
                                                losscore_error *error);
LOSSCORE_API
losscore_status losscore_sigmoid_focal_loss_f16(const uint16_t *input, const uint16_t *target,
                                                size_t n, losscore_reduction reduction,
                                                double alpha, double gamma, uint16_t *out,
                                                const uint16_t *grad_output, uint16_t *grad_input,
                                                losscore_error *error);
LOSSCORE_API
losscore_status losscore_sigmoid_focal_loss_bf16(const uint16_t *input, const uint16_t *target,
                                                 size_t n, losscore_reduction reduction,
                                                 double alpha, double gamma, uint16_t *out,
                                                 const uint16_t *grad_output, uint16_t *grad_input,
                                                 losscore_error *error);

/* Soft margin loss (two-class logistic loss), torch.nn.functional.soft_margin_loss
 * (no weight):
 *   m_i = y_i x_i,   l_i = log(1 + exp(-m_i)),   d l_i / d input_i = -y_i sigmoid(-m_i)
 * evaluated as max(-m, 0) + log1p(exp(-|m|)), finite for any finite m (torch's
 * log1p(exp(-m)) overflows to inf for m below about -88 in float and -709 in
 * double, with a NaN gradient; this gives -m and -y there). Targets are usually
 * -1 or 1; any value is allowed. MEAN divides by n. */
LOSSCORE_API
losscore_status losscore_soft_margin_loss_f32(const float *input, const float *target, size_t n,
                                              losscore_reduction reduction, float *out,
                                              const float *grad_output, float *grad_input,
                                              losscore_error *error);
LOSSCORE_API
losscore_status losscore_soft_margin_loss_f64(const double *input, const double *target, size_t n,
                                              losscore_reduction reduction, double *out,
                                              const double *grad_output, double *grad_input,
                                              losscore_error *error);
LOSSCORE_API
losscore_status losscore_soft_margin_loss_f16(const uint16_t *input, const uint16_t *target,
                                              size_t n, losscore_reduction reduction, uint16_t *out,
                                              const uint16_t *grad_output, uint16_t *grad_input,
                                              losscore_error *error);
LOSSCORE_API
losscore_status losscore_soft_margin_loss_bf16(const uint16_t *input, const uint16_t *target,
                                               size_t n, losscore_reduction reduction, uint16_t *out,
                                               const uint16_t *grad_output, uint16_t *grad_input,
                                               losscore_error *error);

/* Hinge embedding loss, torch.nn.functional.hinge_embedding_loss (no weight),
 * as torch composes it:
 *   l_i = [y_i != 1] max(0, margin - x_i) + [y_i != -1] x_i
 *   d l_i / d input_i = -[y_i != 1] [margin - x_i >= 0] + [y_i != -1]
 * For the usual targets 1 and -1 that is x_i and max(0, margin - x_i); any other
 * target (NaN included) takes both terms, as in torch. The clamp passes its
 * gradient at equality and not for a NaN input (torch's clamp_min). MEAN
 * divides by n. */
LOSSCORE_API
losscore_status losscore_hinge_embedding_loss_f32(const float *input, const float *target, size_t n,
                                                  losscore_reduction reduction, double margin,
                                                  float *out, const float *grad_output,
                                                  float *grad_input, losscore_error *error);
LOSSCORE_API
losscore_status losscore_hinge_embedding_loss_f64(const double *input, const double *target, size_t n,
                                                  losscore_reduction reduction, double margin,
                                                  double *out, const double *grad_output,
                                                  double *grad_input, losscore_error *error);
LOSSCORE_API
losscore_status losscore_hinge_embedding_loss_f16(const uint16_t *input, const uint16_t *target, size_t n,
                                                  losscore_reduction reduction, double margin,
                                                  uint16_t *out, const uint16_t *grad_output,
                                                  uint16_t *grad_input, losscore_error *error);
LOSSCORE_API
losscore_status losscore_hinge_embedding_loss_bf16(const uint16_t *input, const uint16_t *target, size_t n,
                                                   losscore_reduction reduction, double margin,
                                                   uint16_t *out, const uint16_t *grad_output,
                                                   uint16_t *grad_input, losscore_error *error);

/* ---- Distributions: KL divergence, Poisson NLL ---- */

/* Kullback-Leibler divergence, torch.nn.functional.kl_div (no weight), pointwise
 * as torch composes it; input x holds log-probabilities, target y probabilities
 * (log_target = 0) or log-probabilities (log_target = 1):
 *   log_target 0:  l_i = xlogy(y_i, y_i) - y_i x_i,   d l_i / d input_i = -y_i
 *   log_target 1:  l_i = exp(y_i) (y_i - x_i),        d l_i / d input_i = -exp(y_i)
 * where xlogy(y, y) = y log y, 0 at y = 0, NaN for y < 0 (torch's xlogy). MEAN
 * divides by n (torch's 'mean', which it warns about); torch's 'batchmean' is
 * SUM divided by the batch size, with grad_output divided likewise: the
 * caller's step. */
LOSSCORE_API
losscore_status losscore_kl_div_f32(const float *input, const float *target, size_t n,
                                    losscore_reduction reduction, int32_t log_target, float *out,
                                    const float *grad_output, float *grad_input,
                                    losscore_error *error);
LOSSCORE_API
losscore_status losscore_kl_div_f64(const double *input, const double *target, size_t n,
                                    losscore_reduction reduction, int32_t log_target, double *out,
                                    const double *grad_output, double *grad_input,
                                    losscore_error *error);
LOSSCORE_API
losscore_status losscore_kl_div_f16(const uint16_t *input, const uint16_t *target, size_t n,
                                    losscore_reduction reduction, int32_t log_target, uint16_t *out,
                                    const uint16_t *grad_output, uint16_t *grad_input,
                                    losscore_error *error);
LOSSCORE_API
losscore_status losscore_kl_div_bf16(const uint16_t *input, const uint16_t *target, size_t n,
                                     losscore_reduction reduction, int32_t log_target, uint16_t *out,
                                     const uint16_t *grad_output, uint16_t *grad_input,
                                     losscore_error *error);

/* Poisson negative log-likelihood, torch.nn.functional.poisson_nll_loss (no
 * weight), of rates predicted by input x for counts y:
 *   log_input 1:  l_i = exp(x_i) - y_i x_i,           d l_i / d input_i = exp(x_i) - y_i
 *   log_input 0:  l_i = x_i - y_i log(x_i + eps),     d l_i / d input_i = 1 - y_i / (x_i + eps)
 * With full = 1 the Stirling term y log y - y + log(2 pi y) / 2 is added where
 * y_i > 1 (and where y_i is NaN: torch masks only y <= 1); it does not depend
 * on x. eps is added in the data's type. MEAN divides by n. */
LOSSCORE_API
losscore_status losscore_poisson_nll_loss_f32(const float *input, const float *target, size_t n,
                                              losscore_reduction reduction, int32_t log_input,
                                              int32_t full, double eps, float *out,
                                              const float *grad_output, float *grad_input,
                                              losscore_error *error);
LOSSCORE_API
losscore_status losscore_poisson_nll_loss_f64(const double *input, const double *target, size_t n,
                                              losscore_reduction reduction, int32_t log_input,
                                              int32_t full, double eps, double *out,
                                              const double *grad_output, double *grad_input,
                                              losscore_error *error);
LOSSCORE_API
losscore_status losscore_poisson_nll_loss_f16(const uint16_t *input, const uint16_t *target, size_t n,
                                              losscore_reduction reduction, int32_t log_input,
                                              int32_t full, double eps, uint16_t *out,
                                              const uint16_t *grad_output, uint16_t *grad_input,
                                              losscore_error *error);
LOSSCORE_API
losscore_status losscore_poisson_nll_loss_bf16(const uint16_t *input, const uint16_t *target, size_t n,
                                               losscore_reduction reduction, int32_t log_input,
                                               int32_t full, double eps, uint16_t *out,
                                               const uint16_t *grad_output, uint16_t *grad_input,
                                               losscore_error *error);

/* ---- Several differentiable inputs ----
 * These take three data buffers and one optional gradient buffer per
 * differentiable input, named grad_<argument>, each of which may be NULL
 * independently (the loss alone when both are); grad_output is read when at
 * least one of them is given. */

/* Margin ranking loss, torch.nn.functional.margin_ranking_loss (no weight), as
 * torch computes it:
 *   u_i = -y_i (x1_i - x2_i) + margin,   l_i = max(0, u_i)
 *   d l_i / d input1_i = -y_i [u_i >= 0],   d l_i / d input2_i = -d l_i / d input1_i
 * input1, input2 and target hold n values each (broadcast before calling);
 * targets are usually 1 (input1 should rank higher) or -1, any value is
 * allowed. The clamp passes its gradient at equality and not for NaN (torch's
 * clamp_min); the mask multiplies -y_i as in torch's autograd, so a NaN or
 * infinite target gives a NaN gradient also where the clamp is closed. MEAN
 * divides by n. */
LOSSCORE_API
losscore_status losscore_margin_ranking_loss_f32(const float *input1, const float *input2,
                                                 const float *target, size_t n,
                                                 losscore_reduction reduction, double margin,
                                                 float *out, const float *grad_output,
                                                 float *grad_input1, float *grad_input2,
                                                 losscore_error *error);
LOSSCORE_API
losscore_status losscore_margin_ranking_loss_f64(const double *input1, const double *input2,
                                                 const double *target, size_t n,
                                                 losscore_reduction reduction, double margin,
                                                 double *out, const double *grad_output,
                                                 double *grad_input1, double *grad_input2,
                                                 losscore_error *error);
LOSSCORE_API
losscore_status losscore_margin_ranking_loss_f16(const uint16_t *input1, const uint16_t *input2,
                                                 const uint16_t *target, size_t n,
                                                 losscore_reduction reduction, double margin,
                                                 uint16_t *out, const uint16_t *grad_output,
                                                 uint16_t *grad_input1, uint16_t *grad_input2,
                                                 losscore_error *error);
LOSSCORE_API
losscore_status losscore_margin_ranking_loss_bf16(const uint16_t *input1, const uint16_t *input2,
                                                  const uint16_t *target, size_t n,
                                                  losscore_reduction reduction, double margin,
                                                  uint16_t *out, const uint16_t *grad_output,
                                                  uint16_t *grad_input1, uint16_t *grad_input2,
                                                  losscore_error *error);

/* Gaussian negative log likelihood, torch.nn.functional.gaussian_nll_loss (no
 * weight), as torch computes it:
 *   v_i = max(var_i, eps)   (torch clamps under no_grad: d v_i / d var_i = 1)
 *   l_i = 0.5 (log v_i + (x_i - y_i)^2 / v_i)  [+ 0.5 log(2 pi) when full = 1]
 *   d l_i / d input_i = (x_i - y_i) / v_i
 *   d l_i / d var_i   = 0.5 (1 / v_i - (x_i - y_i)^2 / v_i^2)
 * input, target: n values each (broadcast before calling).
 * var: n / var_repeat values, shared along one dimension. With input viewed
 * as (outer, var_repeat, var_inner), element (o, k, j) uses
 * var[o * var_inner + j] for every k: var_repeat = var_inner = 1 gives one
 * variance per element (torch's var of input's shape, or any var expanded to
 * it); var_repeat = C, var_inner = 1 one per row of an (..., C) input (torch's
 * var of shape (..., 1), or input's shape without its last dimension); a var
 * of shape (A, 1, D) for an input (A, B, D) is var_repeat = B, var_inner = D;
 * var_repeat = n, var_inner = 1 one value for all (torch's float var).
 * var_repeat * var_inner must divide n (both >= 1, also for n = 0).
 * grad_var (n / var_repeat values, may be NULL) sums the elements that share
 * each value, in element order (deterministic for any thread count). A NaN
 * var gives NaN (torch's clamp keeps it). MEAN divides by n.
 * Errors: var_repeat or var_inner 0 or their product not dividing n ->
 * LOSSCORE_ERROR_SHAPE; a var value < 0 (torch refuses it; NaN is not) ->
 * LOSSCORE_ERROR_INVALID_ARGUMENT naming the first. */
LOSSCORE_API
losscore_status losscore_gaussian_nll_loss_f32(const float *input, const float *target,
                                               const float *var, size_t n, size_t var_repeat,
                                               size_t var_inner, losscore_reduction reduction,
                                               int32_t full, double eps, float *out,
                                               const float *grad_output, float *grad_input,
                                               float *grad_var, losscore_error *error);
LOSSCORE_API
losscore_status losscore_gaussian_nll_loss_f64(const double *input, const double *target,
                                               const double *var, size_t n, size_t var_repeat,
                                               size_t var_inner, losscore_reduction reduction,
                                               int32_t full, double eps, double *out,
                                               const double *grad_output, double *grad_input,
                                               double *grad_var, losscore_error *error);
LOSSCORE_API
losscore_status losscore_gaussian_nll_loss_f16(const uint16_t *input, const uint16_t *target,
                                               const uint16_t *var, size_t n, size_t var_repeat,
                                               size_t var_inner, losscore_reduction reduction,
                                               int32_t full, double eps, uint16_t *out,
                                               const uint16_t *grad_output, uint16_t *grad_input,
                                               uint16_t *grad_var, losscore_error *error);
LOSSCORE_API
losscore_status losscore_gaussian_nll_loss_bf16(const uint16_t *input, const uint16_t *target,
                                                const uint16_t *var, size_t n, size_t var_repeat,
                                                size_t var_inner, losscore_reduction reduction,
                                                int32_t full, double eps, uint16_t *out,
                                                const uint16_t *grad_output, uint16_t *grad_input,
                                                uint16_t *grad_var, losscore_error *error);

/* ===========================================================================
 * Class-row losses: one loss per position of (N, C, d1, ..., dk) class scores
 * (the softmax family: cross-entropy, NLL, focal loss)
 * ======================================================================== */

/* Shapes of the class-row losses.
 *   input        n x c x inner values: torch's (N, C, d1, ..., dk) with
 *                inner = d1 * ... * dk (inner = 1 for (N, C); n = 1 for an
 *                unbatched (C,) input). The class dimension is the middle one.
 *   target       class indices: n x inner int64 values, each in [0, c) or equal
 *                to ignore_index; probabilities: n x c x inner values.
 *   weight       NULL, or c per-class weights w_c (all 1 when NULL).
 *   out          n x inner values for NONE (one per position), else 1 value.
 *   grad_output  n x inner values for NONE, else 1 value; NULL means ones.
 *   grad_input   NULL, or n x c x inner values: d(loss)/d(input).
 * A "position" is one (sample, d1, ..., dk) index; it has c class scores.
 * With class-index targets, ignored positions (target == ignore_index) have
 * loss 0 and gradient 0, and MEAN divides the summed loss by the sum of
 * w[target] over the positions that are not ignored: an empty or all-ignored
 * batch gives NaN for MEAN and 0 for SUM.
 * Rows are processed with a max-shifted log-sum-exp in one pass over the
 * input; the gradient is written in the same pass. No n x c temporaries.
 * Errors: LOSSCORE_ERROR_NULL_POINTER, LOSSCORE_ERROR_SHAPE (c = 0 with
 * positions, n * c * inner overflowing), LOSSCORE_ERROR_INDEX (a target
 * outside [0, c) that is not ignore_index), LOSSCORE_ERROR_INVALID_ARGUMENT
 * (unknown reduction, label_smoothing outside [0, 1], gamma < 0, NaN or infinite). */

/* Cross-entropy with class-index targets, torch.nn.functional.cross_entropy.
 *   logp_j = x_j - log sum_k exp(x_k)                (per position)
 *   loss   = (1 - eps) * (-w_t logp_t) + (eps / c) * (-sum_j w_j logp_j)
 *   d loss / d x_j = (1 - eps) w_t (p_j - [j = t]) + (eps / c) (W p_j - w_j)
 * with t the target, p = softmax(x), W = sum_j w_j, eps = label_smoothing.
 * MEAN divides both terms by the same sum of w[target] (torch's rule). */
LOSSCORE_API
losscore_status losscore_cross_entropy_f32(const float *input, const int64_t *target,
                                           const float *weight, size_t n, size_t c,
                                           size_t inner, int64_t ignore_index,
                                           losscore_reduction reduction,
                                           double label_smoothing, float *out,
                                           const float *grad_output, float *grad_input,
                                           losscore_error *error);
LOSSCORE_API
losscore_status losscore_cross_entropy_f64(const double *input, const int64_t *target,
                                           const double *weight, size_t n, size_t c,
                                           size_t inner, int64_t ignore_index,
                                           losscore_reduction reduction,
                                           double label_smoothing, double *out,
                                           const double *grad_output, double *grad_input,
                                           losscore_error *error);
LOSSCORE_API
losscore_status losscore_cross_entropy_f16(const uint16_t *input, const int64_t *target,
                                           const uint16_t *weight, size_t n, size_t c,
                                           size_t inner, int64_t ignore_index,
                                           losscore_reduction reduction,
                                           double label_smoothing, uint16_t *out,
                                           const uint16_t *grad_output, uint16_t *grad_input,
                                           losscore_error *error);
LOSSCORE_API
losscore_status losscore_cross_entropy_bf16(const uint16_t *input, const int64_t *target,
                                            const uint16_t *weight, size_t n, size_t c,
                                            size_t inner, int64_t ignore_index,
                                            losscore_reduction reduction,
                                            double label_smoothing, uint16_t *out,
                                            const uint16_t *grad_output, uint16_t *grad_input,
                                            losscore_error *error);

/* Cross-entropy with probability targets (target has input's shape).
 *   q_j    = (1 - eps) target_j + eps / c
 *   loss   = -sum_j w_j q_j logp_j
 *   d loss / d x_j = p_j sum_k w_k q_k - w_j q_j
 * MEAN divides by the number of positions n * inner (not by the weights). */
LOSSCORE_API
losscore_status losscore_cross_entropy_probs_f32(const float *input, const float *target,
                                                 const float *weight, size_t n, size_t c,
                                                 size_t inner, losscore_reduction reduction,
                                                 double label_smoothing, float *out,
                                                 const float *grad_output, float *grad_input,
                                                 losscore_error *error);
LOSSCORE_API
losscore_status losscore_cross_entropy_probs_f64(const double *input, const double *target,
                                                 const double *weight, size_t n, size_t c,
                                                 size_t inner, losscore_reduction reduction,
                                                 double label_smoothing, double *out,
                                                 const double *grad_output, double *grad_input,
                                                 losscore_error *error);
LOSSCORE_API
losscore_status losscore_cross_entropy_probs_f16(const uint16_t *input, const uint16_t *target,
                                                 const uint16_t *weight, size_t n, size_t c,
                                                 size_t inner, losscore_reduction reduction,
                                                 double label_smoothing, uint16_t *out,
                                                 const uint16_t *grad_output, uint16_t *grad_input,
                                                 losscore_error *error);
LOSSCORE_API
losscore_status losscore_cross_entropy_probs_bf16(const uint16_t *input, const uint16_t *target,
                                                  const uint16_t *weight, size_t n, size_t c,
                                                  size_t inner, losscore_reduction reduction,
                                                  double label_smoothing, uint16_t *out,
                                                  const uint16_t *grad_output, uint16_t *grad_input,
                                                  losscore_error *error);

/* Negative log-likelihood, torch.nn.functional.nll_loss; input holds
 * log-probabilities.
 *   loss = -w_t x_t,   d loss / d x_j = -w_t [j = t] */
LOSSCORE_API
losscore_status losscore_nll_loss_f32(const float *input, const int64_t *target,
                                      const float *weight, size_t n, size_t c, size_t inner,
                                      int64_t ignore_index, losscore_reduction reduction,
                                      float *out, const float *grad_output, float *grad_input,
                                      losscore_error *error);
LOSSCORE_API
losscore_status losscore_nll_loss_f64(const double *input, const int64_t *target,
                                      const double *weight, size_t n, size_t c, size_t inner,
                                      int64_t ignore_index, losscore_reduction reduction,
                                      double *out, const double *grad_output, double *grad_input,
                                      losscore_error *error);
LOSSCORE_API
losscore_status losscore_nll_loss_f16(const uint16_t *input, const int64_t *target,
                                      const uint16_t *weight, size_t n, size_t c, size_t inner,
                                      int64_t ignore_index, losscore_reduction reduction,
                                      uint16_t *out, const uint16_t *grad_output, uint16_t *grad_input,
                                      losscore_error *error);
LOSSCORE_API
losscore_status losscore_nll_loss_bf16(const uint16_t *input, const int64_t *target,
                                       const uint16_t *weight, size_t n, size_t c, size_t inner,
                                       int64_t ignore_index, losscore_reduction reduction,
                                       uint16_t *out, const uint16_t *grad_output, uint16_t *grad_input,
                                       losscore_error *error);

/* Multi-class focal loss (Lin et al.), defined exactly as
 *   nll_loss((1 - softmax(x))^gamma * log_softmax(x), target, weight, ignore_index)
 *   loss = -w_t (1 - p_t)^gamma logp_t
 *   d loss / d x_j = w_t A (p_j - [j = t]),
 *   A = (1 - p_t)^gamma - gamma p_t (1 - p_t)^(gamma - 1) logp_t
 * 1 - p_t is summed from the other classes (no cancellation), and A is
 * evaluated as (1 - p_t)^gamma (1 - gamma p_t logp_t / (1 - p_t)), whose limit
 * at p_t = 1 is finite for every gamma >= 0. gamma = 0 is cross-entropy. */
LOSSCORE_API
losscore_status losscore_focal_loss_f32(const float *input, const int64_t *target,
                                        const float *weight, size_t n, size_t c, size_t inner,
                                        double gamma, int64_t ignore_index,
                                        losscore_reduction reduction, float *out,
                                        const float *grad_output, float *grad_input,
                                        losscore_error *error);
LOSSCORE_API
losscore_status losscore_focal_loss_f64(const double *input, const int64_t *target,
                                        const double *weight, size_t n, size_t c, size_t inner,
                                        double gamma, int64_t ignore_index,
                                        losscore_reduction reduction, double *out,
                                        const double *grad_output, double *grad_input,
                                        losscore_error *error);
LOSSCORE_API
losscore_status losscore_focal_loss_f16(const uint16_t *input, const int64_t *target,
                                        const uint16_t *weight, size_t n, size_t c, size_t inner,
                                        double gamma, int64_t ignore_index,
                                        losscore_reduction reduction, uint16_t *out,
                                        const uint16_t *grad_output, uint16_t *grad_input,
                                        losscore_error *error);
LOSSCORE_API
losscore_status losscore_focal_loss_bf16(const uint16_t *input, const int64_t *target,
                                         const uint16_t *weight, size_t n, size_t c, size_t inner,
                                         double gamma, int64_t ignore_index,
                                         losscore_reduction reduction, uint16_t *out,
                                         const uint16_t *grad_output, uint16_t *grad_input,
                                         losscore_error *error);

/* ===========================================================================
 * Class-margin losses: one loss per row of (N, C) class scores, the class
 * dimension last (multi-margin, multi-label margin, multi-label soft margin)
 * ======================================================================== */

/* Shapes of the margin losses (torch's (N, C) input, or (C,) with n = 1):
 *   input        n x c scores, row-major (no inner dimension).
 *   out          n values for NONE (one per row), else 1 value.
 *   grad_output  n values for NONE, else 1 value; NULL means ones.
 *   grad_input   NULL, or n x c values: d(loss)/d(input).
 * Each row's loss is a sum over its c classes divided by c; MEAN divides the
 * sum of the row losses by n (NaN for n = 0, where torch returns an
 * uninitialized value), SUM adds them. Rows are computed independently, the
 * gradient in the same pass; the per-class terms of a row are summed in
 * double lanes.
 * Errors: LOSSCORE_ERROR_NULL_POINTER, LOSSCORE_ERROR_SHAPE (c = 0 with
 * rows, n * c overflowing, see each function), LOSSCORE_ERROR_INDEX (a class
 * index out of range), LOSSCORE_ERROR_INVALID_ARGUMENT (unknown reduction,
 * bad option). */

/* Multi-class margin (hinge) loss, torch.nn.functional.multi_margin_loss.
 *   z_j  = margin - x_y + x_j                      (y = target[i], per row)
 *   loss = sum_{j != y} w_y [z_j > 0] z_j^p / c
 *   d loss / d x_j = w_y [z_j > 0] (p = 1: 1, p = 2: 2 z_j) / c   (j != y),
 *   d loss / d x_y = -sum_{j != y} d loss / d x_j
 * target holds n class indices in [0, c); weight is NULL or c per-class
 * weights w (w_y = 1 without). A NaN z_j counts as not positive, as in torch.
 * Errors: a target outside [0, c) -> LOSSCORE_ERROR_INDEX; p other than 1 or
 * 2, margin NaN -> LOSSCORE_ERROR_INVALID_ARGUMENT (torch takes a NaN margin
 * and returns 0). */
LOSSCORE_API
losscore_status losscore_multi_margin_loss_f32(const float *input, const int64_t *target,
                                               const float *weight, size_t n, size_t c,
                                               losscore_reduction reduction, int32_t p,
                                               double margin, float *out,
                                               const float *grad_output, float *grad_input,
                                               losscore_error *error);
LOSSCORE_API
losscore_status losscore_multi_margin_loss_f64(const double *input, const int64_t *target,
                                               const double *weight, size_t n, size_t c,
                                               losscore_reduction reduction, int32_t p,
                                               double margin, double *out,
                                               const double *grad_output, double *grad_input,
                                               losscore_error *error);
LOSSCORE_API
losscore_status losscore_multi_margin_loss_f16(const uint16_t *input, const int64_t *target,
                                               const uint16_t *weight, size_t n, size_t c,
                                               losscore_reduction reduction, int32_t p,
                                               double margin, uint16_t *out,
                                               const uint16_t *grad_output, uint16_t *grad_input,
                                               losscore_error *error);
LOSSCORE_API
losscore_status losscore_multi_margin_loss_bf16(const uint16_t *input, const int64_t *target,
                                                const uint16_t *weight, size_t n, size_t c,
                                                losscore_reduction reduction, int32_t p,
                                                double margin, uint16_t *out,
                                                const uint16_t *grad_output, uint16_t *grad_input,
                                                losscore_error *error);

/* Multi-label margin loss, torch.nn.functional.multilabel_margin_loss.
 *   labels  n x c int64 values in [-1, c): row i lists its target classes
 *           labels[i][0], labels[i][1], ... up to its first -1 (or the whole row);
 *           the values after that -1 are ignored but still checked, as in torch.
 * With T the set of listed classes of a row:
 *   loss = sum_{y listed} sum_{j not in T} max(0, 1 - (x_y - x_j)) / c
 *   d loss / d x_j = #{y listed: 1 - x_y + x_j > 0} / c        (j not in T),
 *   d loss / d x_y = -#{j not in T: 1 - x_y + x_j > 0} / c     (y listed)
 * A class listed twice counts twice (torch's sum over the list); a row whose
 * list is empty has loss 0. A NaN term counts as not positive, as in torch.
 * Cost: c values per listed class of a row (k labels: k * c), as torch's loop.
 * Errors: a label outside [-1, c) -> LOSSCORE_ERROR_INDEX (naming its index). */
LOSSCORE_API
losscore_status losscore_multilabel_margin_loss_f32(const float *input, const int64_t *labels,
                                                    size_t n, size_t c,
                                                    losscore_reduction reduction, float *out,
                                                    const float *grad_output, float *grad_input,
                                                    losscore_error *error);
LOSSCORE_API
losscore_status losscore_multilabel_margin_loss_f64(const double *input, const int64_t *labels,
                                                    size_t n, size_t c,
                                                    losscore_reduction reduction, double *out,
                                                    const double *grad_output, double *grad_input,
                                                    losscore_error *error);
LOSSCORE_API
losscore_status losscore_multilabel_margin_loss_f16(const uint16_t *input, const int64_t *labels,
                                                    size_t n, size_t c,
                                                    losscore_reduction reduction, uint16_t *out,
                                                    const uint16_t *grad_output, uint16_t *grad_input,
                                                    losscore_error *error);
LOSSCORE_API
losscore_status losscore_multilabel_margin_loss_bf16(const uint16_t *input, const int64_t *labels,
                                                     size_t n, size_t c,
                                                     losscore_reduction reduction, uint16_t *out,
                                                     const uint16_t *grad_output, uint16_t *grad_input,
                                                     losscore_error *error);

/* Multi-label soft margin loss, torch.nn.functional.multilabel_soft_margin_loss,
 * as torch composes it (the logistic loss of each class, weighted, averaged
 * over the row's classes):
 *   l_j  = -(y_j log sigmoid(x_j) + (1 - y_j) log sigmoid(-x_j))
 *        = (1 - y_j) x_j + softplus(-x_j)     (evaluated as BCE with logits is)
 *   loss = sum_j w_j l_j / c,      d loss / d x_j = w_j (sigmoid(x_j) - y_j) / c
 * target holds n x c values (usually 0 or 1; any value is allowed). weight is
 * NULL (w = 1) or weight_count values: c (per class, the same for every row)
 * or n * c (per element; expand any other broadcast to this). weight_count is
 * ignored when weight is NULL. The terms are finite for any finite logit; at
 * x = +inf with y = 1 (or -inf with y = 0) the loss is NaN, as torch's 0 * inf.
 * Errors: weight non-NULL with weight_count neither c nor n * c ->
 * LOSSCORE_ERROR_SHAPE. */
LOSSCORE_API
losscore_status losscore_multilabel_soft_margin_loss_f32(const float *input, const float *target,
                                                         const float *weight, size_t weight_count,
                                                         size_t n, size_t c,
                                                         losscore_reduction reduction, float *out,
                                                         const float *grad_output,
                                                         float *grad_input, losscore_error *error);
LOSSCORE_API
losscore_status losscore_multilabel_soft_margin_loss_f64(const double *input, const double *target,
                                                         const double *weight, size_t weight_count,
                                                         size_t n, size_t c,
                                                         losscore_reduction reduction, double *out,
                                                         const double *grad_output,
                                                         double *grad_input, losscore_error *error);
LOSSCORE_API
losscore_status losscore_multilabel_soft_margin_loss_f16(const uint16_t *input, const uint16_t *target,
                                                         const uint16_t *weight, size_t weight_count,
                                                         size_t n, size_t c,
                                                         losscore_reduction reduction, uint16_t *out,
                                                         const uint16_t *grad_output,
                                                         uint16_t *grad_input, losscore_error *error);
LOSSCORE_API
losscore_status losscore_multilabel_soft_margin_loss_bf16(const uint16_t *input, const uint16_t *target,
                                                          const uint16_t *weight, size_t weight_count,
                                                          size_t n, size_t c,
                                                          losscore_reduction reduction, uint16_t *out,
                                                          const uint16_t *grad_output,
                                                          uint16_t *grad_input, losscore_error *error);

/* ===========================================================================
 * Row-tuple losses: one loss per row of two or three inputs of n x d values
 * (torch's (N, D); an unbatched (D,) input is n = 1)
 *
 * Arguments common to all of them:
 *   anchor, positive, negative (or input1, input2)   n x d values each, row-major
 *                  (same shape; broadcast before calling).
 *   target         the pair losses: n values, one per row (not read when n = 0).
 *   n, d           rows and values per row; either may be 0 (data pointers may
 *                  then be NULL).
 *   out            n values for NONE, else 1 value (MEAN divides by n).
 *   grad_output    n values for NONE, else 1 value; NULL means ones; read only
 *                  when a gradient is requested.
 *   grad_<input>   NULL, or n x d values: d(loss)/d(that input). Each gradient
 *                  buffer may be NULL independently; the ones given are written
 *                  in the same pass as the loss.
 * Errors: LOSSCORE_ERROR_NULL_POINTER (a data buffer NULL while n * d > 0, `out`
 * NULL while it must receive a value), LOSSCORE_ERROR_SHAPE (n * d values would
 * not fit in the address space), LOSSCORE_ERROR_INVALID_ARGUMENT (unknown
 * reduction, bad option, and see each function).
 * ======================================================================== */

/* Triplet margin loss, torch.nn.functional.triplet_margin_loss, as torch composes it
 * (pairwise_distance, an optional minimum, clamp_min):
 *   dist(x, y) = || x - y + distance_eps ||_norm_p      (per row; eps added to each difference)
 *   neg_i = dist(a_i, n_i), or min(dist(a_i, n_i), dist(p_i, n_i)) when swap = 1
 *   l_i   = max(0, margin + dist(a_i, p_i) - neg_i)
 * The norm is torch's vector norm of any degree: norm_p = 0 counts the non-zero
 * differences, +-inf takes the largest / smallest |difference|, others
 * (sum |u_j|^p)^(1/p). Gradients with respect to anchor, positive and negative are
 * torch's autograd: the clamp passes at equality (not for NaN); at a tie of the
 * swap's minimum each side takes half; the norm's gradient is torch's norm
 * backward (0 for norm_p = 0 and where a distance is 0; at +-inf shared evenly by
 * the entries that attain it). Rows of d = 0 values have distance 0.
 * torch refuses margin <= 0 in Python only (its kernel takes any margin), so this
 * takes any margin but NaN.
 * Errors: norm_p < 0 or +inf with d = 0 and n > 0 -> LOSSCORE_ERROR_INVALID_ARGUMENT
 * (such a norm of no values has no value: it has no identity; torch refuses it). */
LOSSCORE_API
losscore_status losscore_triplet_margin_loss_f32(const float *anchor, const float *positive,
                                                 const float *negative, size_t n, size_t d,
                                                 losscore_reduction reduction, double margin,
                                                 double norm_p, double distance_eps, int32_t swap,
                                                 float *out, const float *grad_output,
                                                 float *grad_anchor, float *grad_positive,
                                                 float *grad_negative, losscore_error *error);
LOSSCORE_API
losscore_status losscore_triplet_margin_loss_f64(const double *anchor, const double *positive,
                                                 const double *negative, size_t n, size_t d,
                                                 losscore_reduction reduction, double margin,
                                                 double norm_p, double distance_eps, int32_t swap,
                                                 double *out, const double *grad_output,
                                                 double *grad_anchor, double *grad_positive,
                                                 double *grad_negative, losscore_error *error);
LOSSCORE_API
losscore_status losscore_triplet_margin_loss_f16(const uint16_t *anchor, const uint16_t *positive,
                                                 const uint16_t *negative, size_t n, size_t d,
                                                 losscore_reduction reduction, double margin,
                                                 double norm_p, double distance_eps, int32_t swap,
                                                 uint16_t *out, const uint16_t *grad_output,
                                                 uint16_t *grad_anchor, uint16_t *grad_positive,
                                                 uint16_t *grad_negative, losscore_error *error);
LOSSCORE_API
losscore_status losscore_triplet_margin_loss_bf16(const uint16_t *anchor, const uint16_t *positive,
                                                  const uint16_t *negative, size_t n, size_t d,
                                                  losscore_reduction reduction, double margin,
                                                  double norm_p, double distance_eps, int32_t swap,
                                                  uint16_t *out, const uint16_t *grad_output,
                                                  uint16_t *grad_anchor, uint16_t *grad_positive,
                                                  uint16_t *grad_negative, losscore_error *error);

/* Cosine embedding loss, torch.nn.functional.cosine_embedding_loss, as torch composes it:
 *   s_i = x1_i . x2_i,  m1_i = |x1_i|^2 + EPS,  m2_i = |x2_i|^2 + EPS,  cos_i = s_i / sqrt(m1_i m2_i)
 *   l_i = 1 - cos_i where target_i = 1,  max(0, cos_i - margin) where target_i = -1,
 *         0 for any other target (NaN included)
 *   d l_i / d x1_i = g_i (x2_i / sqrt(m1_i m2_i) - cos_i x1_i / m1_i)   (x1, x2 swapped for x2)
 * with g_i = -1 (target 1), [cos_i - margin >= 0] (target -1; the clamp passes at
 * equality) or 0, and EPS torch's float constant 1e-12 (9.99999996e-13) for both types.
 * target holds n values (one per row). As in torch's autograd, a row whose cos is NaN
 * gets NaN gradients whatever its target. */
LOSSCORE_API
losscore_status losscore_cosine_embedding_loss_f32(const float *input1, const float *input2,
                                                   const float *target, size_t n, size_t d,
                                                   losscore_reduction reduction, double margin,
                                                   float *out, const float *grad_output,
                                                   float *grad_input1, float *grad_input2,
                                                   losscore_error *error);
LOSSCORE_API
losscore_status losscore_cosine_embedding_loss_f64(const double *input1, const double *input2,
                                                   const double *target, size_t n, size_t d,
                                                   losscore_reduction reduction, double margin,
                                                   double *out, const double *grad_output,
                                                   double *grad_input1, double *grad_input2,
                                                   losscore_error *error);
LOSSCORE_API
losscore_status losscore_cosine_embedding_loss_f16(const uint16_t *input1, const uint16_t *input2,
                                                   const uint16_t *target, size_t n, size_t d,
                                                   losscore_reduction reduction, double margin,
                                                   uint16_t *out, const uint16_t *grad_output,
                                                   uint16_t *grad_input1, uint16_t *grad_input2,
                                                   losscore_error *error);
LOSSCORE_API
losscore_status losscore_cosine_embedding_loss_bf16(const uint16_t *input1, const uint16_t *input2,
                                                    const uint16_t *target, size_t n, size_t d,
                                                    losscore_reduction reduction, double margin,
                                                    uint16_t *out, const uint16_t *grad_output,
                                                    uint16_t *grad_input1, uint16_t *grad_input2,
                                                    losscore_error *error);

/* ===========================================================================
 * Sequence losses: one loss per sequence of frames (forward-backward)
 * ======================================================================== */

/* Connectionist temporal classification, torch.nn.functional.ctc_loss.
 *   log_probs       t x n x c values: torch's (T, N, C) log-probabilities (frame,
 *                   sample, class), row-major; an unbatched (T, C) input is n = 1.
 *   targets         class indices (int64), padded or concatenated:
 *                   s > 0: n x s values (torch's (N, S)), sample b's target in
 *                     the first target_lengths[b] of row b;
 *                   s = 0: the samples' targets one after another (torch's 1-D
 *                     targets), sum_b target_lengths[b] values.
 *                   Only the first target_lengths[b] of a sample are read; each
 *                   must be in [0, c) (a target equal to blank is allowed and
 *                   computed as torch computes it).
 *   input_lengths   n values in [0, t]: the frames of each sample (T_b).
 *   target_lengths  n values >= 0 (<= s when padded): each target's length (L_b).
 *   blank           the blank class, in [0, c) (any blank >= 0 when n = c = 0).
 *   zero_infinity   1: a sample with no alignment gives loss 0 and gradient 0.
 *   out             n values for NONE (one per sample), else 1 value.
 *   grad_output     n values for NONE, else 1 value; NULL means ones.
 *   grad_log_probs  NULL, or t x n x c values: d(loss)/d(log_probs).
 * With l' = (blank, y_1, blank, ..., y_L, blank) the extended target (S = 2L + 1
 * states), alpha and beta the forward and backward variables in log space
 * (max-shifted log-sum-exp, finite for sequences of any length):
 *   l_b = -log(exp(alpha_{T_b-1}(S-1)) + exp(alpha_{T_b-1}(S-2)))
 *   d l_b / d log_probs[t][b][k] = exp(x) - exp(log(sum_{s: l'_s = k}
 *                                   exp(alpha_t(s) + beta_t(s))) + l_b - x)
 * with x = log_probs[t][b][k], for t < T_b, and 0 for t >= T_b. This is torch's
 * CTC backward, evaluated as its CPU kernel does (in the input's precision, in
 * the same order): it assumes log_probs are log_softmax outputs (exp(x) is the
 * softmax's part of the chain rule), as torch's does; like torch's, at a
 * sample's last frame it keeps only state S-2's term for the blank class where
 * the target's last label is blank (torch's kernel assigns the two final states'
 * terms one after the other). A sample whose target
 * needs more frames than T_b has l_b = inf and gradient NaN (zero_infinity: 0
 * and 0); T_b = 0 gives -0 for an empty target, else inf (0 under zero_infinity).
 * MEAN is (1/n) sum_b l_b / max(L_b, 1), torch's rule; SUM sum_b l_b; each
 * sample's gradient is scaled accordingly. An empty batch (n = 0) gives NaN for
 * MEAN and 0 for SUM.
 * Memory: one workspace per thread, of about (T_b + 2)(2 L_b + 1) values for the
 * largest sample (and, for 16-bit storage, its frames and their gradient in
 * float), allocated before any sample is computed: threads x one sample, not
 * the batch (torch keeps the batch's); LOSSCORE_ERROR_OUT_OF_MEMORY if it
 * cannot be allocated.
 * Errors: LOSSCORE_ERROR_NULL_POINTER, LOSSCORE_ERROR_SHAPE (t * n * c or n * s
 * overflowing, c = 0 with n > 0, an input length outside [0, t], a target length
 * < 0 or > s, target lengths whose sum overflows),
 * LOSSCORE_ERROR_INDEX (a target outside [0, c), naming the sample and
 * position), LOSSCORE_ERROR_INVALID_ARGUMENT (blank outside [0, c), an unknown
 * reduction, zero_infinity not 0 or 1). */
LOSSCORE_API
losscore_status losscore_ctc_loss_f32(const float *log_probs, const int64_t *targets,
                                      const int64_t *input_lengths, const int64_t *target_lengths,
                                      size_t t, size_t n, size_t c, size_t s, int64_t blank,
                                      losscore_reduction reduction, int32_t zero_infinity,
                                      float *out, const float *grad_output, float *grad_log_probs,
                                      losscore_error *error);
LOSSCORE_API
losscore_status losscore_ctc_loss_f64(const double *log_probs, const int64_t *targets,
                                      const int64_t *input_lengths, const int64_t *target_lengths,
                                      size_t t, size_t n, size_t c, size_t s, int64_t blank,
                                      losscore_reduction reduction, int32_t zero_infinity,
                                      double *out, const double *grad_output, double *grad_log_probs,
                                      losscore_error *error);
LOSSCORE_API
losscore_status losscore_ctc_loss_f16(const uint16_t *log_probs, const int64_t *targets,
                                      const int64_t *input_lengths, const int64_t *target_lengths,
                                      size_t t, size_t n, size_t c, size_t s, int64_t blank,
                                      losscore_reduction reduction, int32_t zero_infinity,
                                      uint16_t *out, const uint16_t *grad_output, uint16_t *grad_log_probs,
                                      losscore_error *error);
LOSSCORE_API
losscore_status losscore_ctc_loss_bf16(const uint16_t *log_probs, const int64_t *targets,
                                       const int64_t *input_lengths, const int64_t *target_lengths,
                                       size_t t, size_t n, size_t c, size_t s, int64_t blank,
                                       losscore_reduction reduction, int32_t zero_infinity,
                                       uint16_t *out, const uint16_t *grad_output, uint16_t *grad_log_probs,
                                       losscore_error *error);

/* ===========================================================================
 * Metrics: counts, not differentiable
 * ======================================================================== */

/* 0-1 loss over scores: l_i = 1 if argmax_j scores[i, j] != target_i else 0.
 *   scores  n x c values, row-major; the prediction is the first index of the
 *           row maximum (a NaN counts as the maximum, as in torch.argmax).
 *   target  n class indices in [0, c).
 *   out     n values for NONE, else 1 (MEAN: the error rate; NaN if n = 0).
 *   Not differentiable, so there is no gradient.
 *   Errors: c = 0 with n > 0 or n * c overflowing -> LOSSCORE_ERROR_SHAPE;
 *   a target outside [0, c) -> LOSSCORE_ERROR_INDEX. */
LOSSCORE_API
losscore_status losscore_zero_one_loss_f32(const float *scores, const int64_t *target,
                                           size_t n, size_t c,
                                           losscore_reduction reduction, float *out,
                                           losscore_error *error);
LOSSCORE_API
losscore_status losscore_zero_one_loss_f64(const double *scores, const int64_t *target,
                                           size_t n, size_t c,
                                           losscore_reduction reduction, double *out,
                                           losscore_error *error);
LOSSCORE_API
losscore_status losscore_zero_one_loss_f16(const uint16_t *scores, const int64_t *target,
                                           size_t n, size_t c,
                                           losscore_reduction reduction, uint16_t *out,
                                           losscore_error *error);
LOSSCORE_API
losscore_status losscore_zero_one_loss_bf16(const uint16_t *scores, const int64_t *target,
                                            size_t n, size_t c,
                                            losscore_reduction reduction, uint16_t *out,
                                            losscore_error *error);

/* 0-1 loss over predicted labels: l_i = 1 if predicted[i] != target[i] else 0.
 *   Any int64 values are allowed. `out` is double (n values for NONE).
 *   Errors: LOSSCORE_ERROR_NULL_POINTER (predicted or target NULL with n > 0,
 *   out NULL when it must receive a value), LOSSCORE_ERROR_SHAPE (n int64
 *   values would not fit in the address space), LOSSCORE_ERROR_INVALID_ARGUMENT
 *   (unknown reduction). */
LOSSCORE_API
losscore_status losscore_zero_one_loss_labels(const int64_t *predicted,
                                              const int64_t *target, size_t n,
                                              losscore_reduction reduction, double *out,
                                              losscore_error *error);

#ifdef __cplusplus
}
#endif

#endif /* LOSSCORE_H */
