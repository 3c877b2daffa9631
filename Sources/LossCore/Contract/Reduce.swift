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
    static func writeEmpty<T: LossScalar>(_ reduction: Reduction, to out: UnsafeMutablePointer<T>?) {
        if reduction != .none { out![0] = reduction == .mean ? .nan : 0 }
    }

    /// d(result)/d(l_i) of a 'mean' or 'sum' call: grad_output[0] (1 when absent) over the
    /// divisor for 'mean'.
    @inline(__always)
    static func gradientScale<T: LossScalar>(_ reduction: Reduction, upstream: UnsafePointer<T>?,
                                             divisor: Double) -> T {
        T(Double(upstream?[0] ?? 1) / (reduction == .mean ? divisor : 1))
    }

    /// Writes the reduced result of `total` (a 'mean' or 'sum' call) to out[0].
    @inline(__always)
    static func write<T: LossScalar>(_ total: Double, _ reduction: Reduction, divisor: Double,
                                     zeroDivisor: ZeroDivisor = .quotient, to out: UnsafeMutablePointer<T>) {
        guard reduction == .mean else { out[0] = T(total); return }
        out[0] = T(zeroDivisor == .nan && divisor == 0 ? .nan : total / divisor)
    }
}
