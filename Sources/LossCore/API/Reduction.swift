/// How per-element losses are combined, as torch's `reduction=` argument.
///
/// Its raw value is the C ABI's `losscore_reduction`. torch's 'batchmean' (`kl_div`) is `.sum`
/// divided by the batch size.
public enum Reduction: Int32, Sendable, CaseIterable, CustomStringConvertible {
    /// One loss per element (or per sample).
    case none = 0
    /// The (weighted) mean; each loss documents its denominator.
    case mean = 1
    /// The sum of the per-element losses.
    case sum = 2

    /// torch's name: "none", "mean" or "sum".
    public var description: String {
        switch self {
        case .none: "none"
        case .mean: "mean"
        case .sum: "sum"
        }
    }

    /// Number of values a loss writes for `count` per-element losses.
    @inline(__always) func outputCount(_ count: Int) -> Int { self == .none ? count : 1 }
}
