/// How every driver finishes a reduced loss: the one place that knows torch's rules for
/// empty inputs, the 'mean' divisor and the gradient's common factor.
///
///     'none'   one loss per element (the driver writes them itself)
///     'sum'    out[0] = sum of the losses
///     'mean'   out[0] = sum / divisor; each loss says what its divisor is
///     empty    'mean' is NaN (0/0) and 'sum' 0
enum Reduce {
    /// What 'mean' gives when its divisor is 0.
    enum ZeroDivisor {
        /// sum / 0 as IEEE arithmetic computes it (torch's elementwise losses, whose
        /// weights may sum to 0 with a non-zero total: +-inf).
        case quotient
        /// NaN whatever the sum (torch's class losses, whose label-smoothing term can be
        /// non-zero where every target weighs 0).
        case nan
    }

    /// Writes the result of a call without elements; 'none' has nothing to write.
    @inline(__always)
    static func writeEmpty<T: LossStorage>(_ reduction: Reduction, to out: UnsafeMutablePointer<T>?) {
        if reduction != .none { out![0] = T(rounding: reduction == .mean ? .nan : 0) }
    }

    /// d(result)/d(l_i) of a 'mean' or 'sum' call: grad_output[0] (1 when absent) over the
    /// divisor for 'mean'.
    @inline(__always)
    static func gradientScale<S: LossStorage>(_ reduction: Reduction, upstream: UnsafePointer<S>?,
                                              divisor: Double) -> S.Compute {
        S.Compute(Double(upstream.map { $0[0].computeValue } ?? 1) / (reduction == .mean ? divisor : 1))
    }

    /// Writes the reduced result of `total` (a 'mean' or 'sum' call) to out[0].
    @inline(__always)
    static func write<T: LossStorage>(_ total: Double, _ reduction: Reduction, divisor: Double,
                                      zeroDivisor: ZeroDivisor = .quotient, to out: UnsafeMutablePointer<T>) {
        // A 16-bit result rounds from the Float result, as the Float call would give it.
        let value = reduction == .mean ? (zeroDivisor == .nan && divisor == 0 ? .nan : total / divisor) : total
        out[0] = T(rounding: T.Compute(value))
    }
}
