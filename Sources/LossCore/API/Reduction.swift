/// How per-element losses are combined, as torch's `reduction=` argument.
public enum Reduction: Int32, Sendable, CaseIterable, CustomStringConvertible {
    /// One loss per element (or per sample).
    case none = 0
    /// The (weighted) mean; each loss documents its denominator.
    case mean = 1
    /// The sum of the per-element losses.
    case sum = 2

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
