// Shared helpers of the Swift tests: a deterministic random source, float64 reference
// implementations written from the formulas of include/losscore.h and PyTorch's
// semantics (never from the kernels), tolerant comparisons and a uniform way to call
// each regression loss through the array API and the buffer API.
import Testing
@testable import LossCore

// MARK: - Random data

/// A small deterministic generator (SplitMix64), so every run sees the same data.
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [lo, hi).
    mutating func uniform(_ lo: Double, _ hi: Double) -> Double {
        lo + (hi - lo) * Double(next() >> 11) / Double(1 << 53)
    }

    mutating func values(_ count: Int, _ lo: Double = -3, _ hi: Double = 3) -> [Double] {
        (0..<count).map { _ in uniform(lo, hi) }
    }

    mutating func int(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
}

/// The two element types, for parameterized tests.
enum DType: String, CaseIterable, CustomStringConvertible, Sendable {
    case f32, f64
    var description: String { rawValue }
}

// MARK: - The losses under test

/// The elementwise losses, with their option.
enum Loss: CustomStringConvertible, Sendable {
    case l1
    case mse
    case smoothL1(beta: Double)
    case huber(delta: Double)

    var description: String {
        switch self {
        case .l1: "l1"
        case .mse: "mse"
        case .smoothL1(let beta): "smooth_l1(beta=\(beta))"
        case .huber(let delta): "huber(delta=\(delta))"
        }
    }

    var acceptsWeight: Bool {
        if case .smoothL1 = self { return false }
        return true
    }

    /// Whether a weighted 'mean' divides by sum(w) (torch's l1/mse) rather than by n
    /// (torch's huber).
    var weightedMeanDividesByWeightSum: Bool {
        switch self {
        case .l1, .mse: true
        case .smoothL1, .huber: false
        }
    }

    /// Where the loss is not differentiable (or switches branch): finite differences
    /// must stay away from these values of d = x - y.
    var kinks: [Double] {
        switch self {
        case .l1: [0]
        case .mse: []
        case .smoothL1(let beta): beta == 0 ? [0] : [-beta, beta]
        case .huber(let delta): [-delta, delta]
        }
    }

    /// A representative set used by most tests.
    static let all: [Loss] = [.l1, .mse, .smoothL1(beta: 1), .smoothL1(beta: 0.5), .smoothL1(beta: 0),
                              .huber(delta: 1), .huber(delta: 2.5)]
    static let weighted: [Loss] = all.filter(\.acceptsWeight)
}

/// torch's sgn for real numbers: -1, 0 or 1, and 0 for NaN.
func torchSgn(_ d: Double) -> Double { d > 0 ? 1 : (d < 0 ? -1 : 0) }

/// The per-element loss and its derivative with respect to the input, from the header's
/// formulas and torch's backward kernels, in float64.
func referenceElement(_ loss: Loss, _ d: Double) -> (value: Double, slope: Double) {
    switch loss {
    case .l1:
        return (abs(d), torchSgn(d))
    case .mse:
        return (d * d, 2 * d)
    case .smoothL1(let beta):
        if beta == 0 { return (abs(d), torchSgn(d)) } // torch dispatches to l1_loss
        // torch's smooth_l1_backward: x <= -beta -> -1, x >= beta -> 1, else x / beta
        // (a NaN falls through to x / beta and propagates).
        let value = abs(d) < beta ? 0.5 * d * d / beta : abs(d) - 0.5 * beta
        let slope: Double = d <= -beta ? -1 : (d >= beta ? 1 : d / beta)
        return (value, slope)
    case .huber(let delta):
        // torch's huber_backward: x <= -delta -> -delta, x >= delta -> delta, else x.
        let value = abs(d) < delta ? 0.5 * d * d : delta * (abs(d) - 0.5 * delta)
        let slope: Double = d <= -delta ? -delta : (d >= delta ? delta : d)
        return (value, slope)
    }
}

/// The reference result of a whole call in float64: the loss values ('none': n values,
/// else one) and d(reduced)/d(input) scaled by gradOutput.
func reference(_ loss: Loss, _ x: [Double], _ y: [Double], weight w: [Double]? = nil,
               reduction: Reduction, gradOutput: [Double]? = nil) -> (values: [Double], grad: [Double]) {
    let n = x.count
    var terms = [Double](repeating: 0, count: n)
    var slopes = [Double](repeating: 0, count: n)
    for i in 0..<n {
        let (l, s) = referenceElement(loss, x[i] - y[i])
        let wi = w?[i] ?? 1
        terms[i] = wi * l
        slopes[i] = wi * s
    }
    switch reduction {
    case .none:
        let g = gradOutput ?? [Double](repeating: 1, count: n)
        return (terms, (0..<n).map { g[$0] * slopes[$0] })
    case .sum, .mean:
        var total = 0.0, compensation = 0.0 // Kahan: the reference must be accurate
        for t in terms {
            let y = t - compensation
            let s = total + y
            compensation = (s - total) - y
            total = s
        }
        var divisor = 1.0
        if reduction == .mean {
            divisor = Double(n)
            if let w, loss.weightedMeanDividesByWeightSum { divisor = w.reduce(0, +) }
        }
        let g = gradOutput?[0] ?? 1
        return ([total / divisor], slopes.map { g * $0 / divisor })
    }
}

// MARK: - Calling the library generically

func lossAndGrad<T: LossScalar>(_ loss: Loss, _ x: [T], _ y: [T], weight: [T]? = nil,
                                reduction: Reduction, gradOutput: [T]? = nil)
    throws(LossError) -> (loss: LossOutput<T>, grad: [T]) {
    switch loss {
    case .l1:
        return try l1LossAndGrad(x, y, weight: weight, reduction: reduction, gradOutput: gradOutput)
    case .mse:
        return try mseLossAndGrad(x, y, weight: weight, reduction: reduction, gradOutput: gradOutput)
    case .smoothL1(let beta):
        precondition(weight == nil, "smooth_l1 takes no weight")
        return try smoothL1LossAndGrad(x, y, reduction: reduction, beta: beta, gradOutput: gradOutput)
    case .huber(let delta):
        return try huberLossAndGrad(x, y, reduction: reduction, delta: delta, weight: weight,
                                    gradOutput: gradOutput)
    }
}

func lossOnly<T: LossScalar>(_ loss: Loss, _ x: [T], _ y: [T], weight: [T]? = nil,
                             reduction: Reduction) throws(LossError) -> LossOutput<T> {
    switch loss {
    case .l1: return try l1Loss(x, y, weight: weight, reduction: reduction)
    case .mse: return try mseLoss(x, y, weight: weight, reduction: reduction)
    case .smoothL1(let beta):
        precondition(weight == nil, "smooth_l1 takes no weight")
        return try smoothL1Loss(x, y, reduction: reduction, beta: beta)
    case .huber(let delta): return try huberLoss(x, y, reduction: reduction, delta: delta, weight: weight)
    }
}

/// The buffer API (the one the C exports forward to).
func lossBuffers<T: LossScalar>(_ loss: Loss, _ b: ElementwiseBuffers<T>) throws(LossError) {
    switch loss {
    case .l1: try l1Loss(b)
    case .mse: try mseLoss(b)
    case .smoothL1(let beta): try smoothL1Loss(b, beta: beta)
    case .huber(let delta): try huberLoss(b, delta: delta)
    }
}

// MARK: - Comparisons

/// |a - b| <= abs + rel * |b|, with NaN == NaN and equal infinities accepted.
func isClose(_ a: Double, _ b: Double, rel: Double, abs absTol: Double = 0) -> Bool {
    if a.isNaN || b.isNaN { return a.isNaN && b.isNaN }
    if a.isInfinite || b.isInfinite { return a == b }
    return Swift.abs(a - b) <= absTol + rel * Swift.abs(b)
}

/// Relative tolerance of one element computed in `T` against a float64 reference.
func tolerance<T: LossScalar>(_: T.Type) -> Double { T.self == Float.self ? 2e-6 : 1e-13 }

/// Records an issue for each element that differs; returns whether all matched.
@discardableResult
func expectClose<T: LossScalar>(_ got: [T], _ want: [Double], rel: Double, abs absTol: Double = 0,
                                _ what: @autoclosure () -> String,
                                sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
    guard got.count == want.count else {
        Issue.record("\(what()): \(got.count) values, expected \(want.count)", sourceLocation: sourceLocation)
        return false
    }
    var bad = 0
    for i in 0..<got.count where !isClose(Double(got[i]), want[i], rel: rel, abs: absTol) {
        if bad < 5 {
            Issue.record("\(what()) [\(i)]: got \(got[i]), expected \(want[i])", sourceLocation: sourceLocation)
        }
        bad += 1
    }
    if bad > 5 { Issue.record("\(what()): \(bad) mismatches in all", sourceLocation: sourceLocation) }
    return bad == 0
}

func bitPattern<T: LossScalar>(_ value: T) -> UInt64 {
    if let f = value as? Float { return UInt64(f.bitPattern) }
    return (value as! Double).bitPattern
}

func bitPatterns<T: LossScalar>(_ values: [T]) -> [UInt64] { values.map(bitPattern) }

func bitsEqual<T: LossScalar>(_ a: [T], _ b: [T]) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { bitPattern($0) == bitPattern($1) }
}

/// Converts a float64 array to `T` and back, so references see exactly the inputs the
/// library sees.
func cast<T: LossScalar>(_ values: [Double], to _: T.Type) -> [T] { values.map { T($0) } }
func widen<T: LossScalar>(_ values: [T]) -> [Double] { values.map { Double($0) } }

/// The base address of an optional array (nil for nil).
func withOptionalPointer<T, R>(_ array: [T]?, _ body: (UnsafePointer<T>?) throws -> R) rethrows -> R {
    guard let array else { return try body(nil) }
    return try array.withUnsafeBufferPointer { try body($0.baseAddress) }
}

/// Random inputs whose differences keep `margin` away from every kink of `loss`, so
/// finite differences and float32 rounding never straddle a branch.
func smoothData(_ loss: Loss, count: Int, seed: UInt64, margin: Double = 1e-2) -> (x: [Double], y: [Double]) {
    var rng = SplitMix64(seed: seed)
    var x = [Double](), y = [Double]()
    while x.count < count {
        let a = rng.uniform(-3, 3), b = rng.uniform(-3, 3)
        if loss.kinks.contains(where: { abs((a - b) - $0) < margin }) { continue }
        x.append(a)
        y.append(b)
    }
    return (x, y)
}

/// Expects `body` to throw a LossError of `kind`, optionally with a message mentioning `mentions`.
func expectLossError(_ kind: LossError.Kind, mentions: String? = nil,
                     sourceLocation: SourceLocation = #_sourceLocation,
                     _ body: () throws(LossError) -> Void) {
    do {
        try body()
        Issue.record("expected LossError.\(kind), but the call succeeded", sourceLocation: sourceLocation)
    } catch {
        #expect(error.kind == kind, "message: \(error.message)", sourceLocation: sourceLocation)
        if let mentions {
            #expect(error.message.contains(mentions),
                    "message \"\(error.message)\" should mention \"\(mentions)\"", sourceLocation: sourceLocation)
        }
    }
}
