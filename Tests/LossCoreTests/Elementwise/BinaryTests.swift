// Tests of the binary family (binary cross-entropy, BCE with logits, sigmoid focal loss)
// through the Swift array API, the buffer API and the C exports: values and fused
// gradients against float64 references written from the formulas of include/losscore.h
// (never from the kernels), finite differences, reductions, weights, pos_weight repeating
// along the last dimension across block and chunk boundaries, extreme logits, the finite
// focal gradient where autograd is NaN, and the errors of bad data, sizes and options.
import CLossABI
import Testing
@testable import LossCore
#if canImport(Glibc)
import Glibc
#endif

// MARK: - References (float64, from the header's formulas)

/// The three losses and their options, for parameterized tests.
enum BinaryLoss: CustomStringConvertible, Sendable {
    case bce
    case logits(posWeight: [Double]?)
    case focal(alpha: Double, gamma: Double)

    var description: String {
        switch self {
        case .bce: "bce"
        case .logits(let pw): "logits(pos_weight: \(pw.map { "\($0.count) values" } ?? "none"))"
        case .focal(let alpha, let gamma): "focal(alpha=\(alpha), gamma=\(gamma))"
        }
    }

    var takesWeight: Bool {
        if case .focal = self { return false }
        return true
    }

    static let all: [BinaryLoss] = [
        .bce, .logits(posWeight: nil), .logits(posWeight: [2.5]), .logits(posWeight: [0.5, 1.5, 3.0]),
        .focal(alpha: 0.25, gamma: 2), .focal(alpha: -1, gamma: 0.5), .focal(alpha: 0.7, gamma: 0),
        .focal(alpha: 0, gamma: 1), .focal(alpha: 1, gamma: 3.5),
    ]
}

/// softplus(z) = log(1 + e^z), for moderate z.
private func softplus(_ z: Double) -> Double { z > 0 ? z + log1p(exp(-z)) : log1p(exp(z)) }
private func sigmoid(_ z: Double) -> Double { 1 / (1 + exp(-z)) }

/// (l, dl/dx) of one element, straight from the header (moderate inputs).
func binaryReferenceElement(_ loss: BinaryLoss, _ x: Double, _ y: Double, index: Int) -> (Double, Double) {
    switch loss {
    case .bce:
        // -(y max(log x, -100) + (1 - y) max(log(1 - x), -100)); torch's backward with eps = 1e-12f.
        let value = -(y * max(log(x), -100) + (1 - y) * max(log(1 - x), -100))
        return (value, (x - y) / max((1 - x) * x, Double(Float(1e-12))))
    case .logits(let posWeight):
        let p = posWeight.map { $0[index % $0.count] } ?? 1
        let weightOfLog = 1 + (p - 1) * y
        return ((1 - y) * x + weightOfLog * softplus(-x), weightOfLog * sigmoid(x) - p * y)
    case .focal(let alpha, let gamma):
        // torchvision: ce * (1 - p_t)^gamma * alpha_t; the derivative by the chain rule.
        let p = sigmoid(x)
        let ce = (1 - y) * x + softplus(-x)
        let q = 1 - (p * y + (1 - p) * (1 - y))
        let a = alpha >= 0 ? alpha * y + (1 - alpha) * (1 - y) : 1
        let f = gamma == 0 ? 1 : pow(q, gamma)
        var second = 0.0
        if gamma != 0 {
            let dq = (1 - 2 * y) * p * (1 - p)  // d(1 - p_t)/dx
            second = gamma * ce * dq * pow(q, gamma - 1)
        }
        return (a * ce * f, a * ((p - y) * f + second))
    }
}

/// The whole call in float64: values ('none': n, else 1) and d(reduced)/d(input).
func binaryReference(_ loss: BinaryLoss, _ x: [Double], _ y: [Double], weight: [Double]?,
                     reduction: Reduction, gradOutput: [Double]?) -> (values: [Double], grad: [Double]) {
    let n = x.count
    var terms = [Double](repeating: 0, count: n), slopes = terms
    for i in 0..<n {
        let (l, s) = binaryReferenceElement(loss, x[i], y[i], index: i)
        let w = weight?[i] ?? 1
        terms[i] = w * l
        slopes[i] = w * s
    }
    if reduction == .none {
        let g = gradOutput ?? [Double](repeating: 1, count: n)
        return (terms, (0..<n).map { g[$0] * slopes[$0] })
    }
    let divisor = reduction == .mean ? Double(n) : 1 // weighted or not: torch divides by n
    let g = gradOutput?[0] ?? 1
    return ([terms.reduce(0, +) / divisor], slopes.map { g * $0 / divisor })
}

/// Inputs in each loss's domain: probabilities (with exact 0 and 1) for BCE, logits otherwise;
/// binary and soft targets.
func binaryData(_ loss: BinaryLoss, count: Int, seed: UInt64) -> (x: [Double], y: [Double]) {
    var rng = SplitMix64(seed: seed)
    var x: [Double], y: [Double]
    if case .bce = loss {
        x = rng.values(count, 0.02, 0.98)
        if count >= 3 { x[0] = 0; x[1] = 1 }
    } else {
        x = rng.values(count, -8, 8)
    }
    y = (0..<count).map { i in i % 3 == 0 ? rng.uniform(0, 1) : Double(rng.int(2)) }
    if case .bce = loss, count >= 3 { y[0] = 1; y[1] = 0 } // the clamped corners
    return (x, y)
}

func binaryLossAndGrad<T: LossScalar>(_ loss: BinaryLoss, _ x: [T], _ y: [T], weight: [T]?, reduction: Reduction,
                                      gradOutput: [T]?) throws(LossError) -> (loss: LossOutput<T>, grad: [T]) {
    switch loss {
    case .bce:
        return try binaryCrossEntropyAndGrad(x, y, weight: weight, reduction: reduction, gradOutput: gradOutput)
    case .logits(let pw):
        return try binaryCrossEntropyWithLogitsAndGrad(x, y, weight: weight, posWeight: pw.map { $0.map { T($0) } },
                                                       reduction: reduction, gradOutput: gradOutput)
    case .focal(let alpha, let gamma):
        precondition(weight == nil)
        return try sigmoidFocalLossAndGrad(x, y, alpha: alpha, gamma: gamma, reduction: reduction,
                                           gradOutput: gradOutput)
    }
}

func binaryLossOnly<T: LossScalar>(_ loss: BinaryLoss, _ x: [T], _ y: [T], weight: [T]?,
                                   reduction: Reduction) throws(LossError) -> LossOutput<T> {
    switch loss {
    case .bce: return try binaryCrossEntropy(x, y, weight: weight, reduction: reduction)
    case .logits(let pw):
        return try binaryCrossEntropyWithLogits(x, y, weight: weight, posWeight: pw.map { $0.map { T($0) } },
                                                reduction: reduction)
    case .focal(let alpha, let gamma):
        return try sigmoidFocalLoss(x, y, alpha: alpha, gamma: gamma, reduction: reduction)
    }
}

// MARK: - Values and gradients

@Suite("Elementwise, binary: values and gradients against float64 references")
struct BinaryReferenceTests {
    func check<T: LossScalar>(_ loss: BinaryLoss, _: T.Type, weighted: Bool, withGradOutput: Bool) throws {
        let n = 99
        let (xd, yd) = binaryData(loss, count: n, seed: 11)
        var rng = SplitMix64(seed: 12)
        let x = cast(xd, to: T.self), y = cast(yd, to: T.self)
        let w: [T]? = weighted ? cast(rng.values(n, 0.1, 2), to: T.self) : nil
        // float32: a few ulps per element; the BCE gradient near the clamp is large but
        // relative accuracy holds.
        let tol = T.self == Float.self ? 4e-6 : 1e-12
        for reduction in [Reduction.none, .mean, .sum] {
            let go: [T]? = withGradOutput ? cast(rng.values(reduction == .none ? n : 1, -2, 2), to: T.self) : nil
            let want = binaryReference(loss, widen(x), widen(y), weight: w.map(widen), reduction: reduction,
                                       gradOutput: go.map(widen))
            let context = "\(loss) \(T.self) \(reduction) weighted=\(weighted) gradOutput=\(withGradOutput)"
            let (value, grad) = try binaryLossAndGrad(loss, x, y, weight: w, reduction: reduction, gradOutput: go)
            #expect((value.scalar == nil) == (reduction == .none), "\(context): output kind")
            let scale = want.values.map(abs).max() ?? 0
            expectClose(value.values, want.values, rel: tol, abs: reduction == .none ? 1e-30 : tol * scale,
                        "\(context) value")
            let gradScale = want.grad.map(abs).max() ?? 0
            expectClose(grad, want.grad, rel: tol, abs: tol * 1e-3 * gradScale, "\(context) grad")
            let alone = try binaryLossOnly(loss, x, y, weight: w, reduction: reduction)
            #expect(bitsEqual(alone.values, value.values), "\(context): loss-only differs from the fused loss")
        }
    }

    @Test(arguments: BinaryLoss.all, DType.allCases)
    func unweighted(loss: BinaryLoss, dtype: DType) throws {
        for go in [false, true] {
            switch dtype {
            case .f32: try check(loss, Float.self, weighted: false, withGradOutput: go)
            case .f64: try check(loss, Double.self, weighted: false, withGradOutput: go)
            }
        }
    }

    @Test(arguments: BinaryLoss.all.filter(\.takesWeight), DType.allCases)
    func weighted(loss: BinaryLoss, dtype: DType) throws {
        for go in [false, true] {
            switch dtype {
            case .f32: try check(loss, Float.self, weighted: true, withGradOutput: go)
            case .f64: try check(loss, Double.self, weighted: true, withGradOutput: go)
            }
        }
    }

    /// Central differences of the summed loss in float64 (away from BCE's clamped corners).
    @Test(arguments: BinaryLoss.all)
    func finiteDifferences(loss: BinaryLoss) throws {
        var (x, y) = binaryData(loss, count: 12, seed: 21)
        if case .bce = loss { x[0] = 0.3; x[1] = 0.8 }
        let (_, grad) = try binaryLossAndGrad(loss, x, y, weight: nil, reduction: .sum, gradOutput: nil)
        let h = 1e-6
        for i in 0..<x.count {
            var plus = x, minus = x
            plus[i] += h
            minus[i] -= h
            let up = try #require(try binaryLossOnly(loss, plus, y, weight: nil, reduction: .sum).scalar)
            let down = try #require(try binaryLossOnly(loss, minus, y, weight: nil, reduction: .sum).scalar)
            let numeric = (up - down) / (2 * h)
            #expect(isClose(grad[i], numeric, rel: 1e-6, abs: 1e-8), "\(loss) [\(i)]: \(grad[i]) vs \(numeric)")
        }
    }

    /// BCE's corners by hand: the log clamp (100) and torch's gradient clamp 1 / 1e-12f.
    @Test(arguments: DType.allCases)
    func bceClamps(dtype: DType) throws {
        func run<T: LossScalar>(_: T.Type) throws {
            let (loss, grad) = try binaryCrossEntropyAndGrad([0, 1, 0, 1] as [T], [1, 0, 0, 1], reduction: .none)
            #expect(loss.values == [100, 100, 0, 0])
            let eps = T(Float(1e-12))
            #expect(grad == [-1 / eps, 1 / eps, 0, 0])
        }
        switch dtype {
        case .f32: try run(Float.self)
        case .f64: try run(Double.self)
        }
    }

    /// Logits of +-800 (and beyond) are finite in both types, with the exact limits.
    @Test(arguments: DType.allCases)
    func extremeLogits(dtype: DType) throws {
        func run<T: LossScalar>(_: T.Type) throws {
            let x: [T] = [-800, 800, -800, 800, -1e30, 1e30]
            let y: [T] = [1, 0, 0, 1, 0, 1]
            let (loss, grad) = try binaryCrossEntropyWithLogitsAndGrad(x, y, posWeight: [3], reduction: .none)
            #expect(loss.values == [2400, 800, 0, 0, 0, 0])
            #expect(grad == [-3, 1, 0, 0, 0, 0])
            let (focal, focalGrad) = try sigmoidFocalLossAndGrad(x, y, gamma: 0.5, reduction: .none)
            #expect(focal.values.allSatisfy(\.isFinite) && focalGrad.allSatisfy(\.isFinite))
            #expect(focal.values[0] == 0.25 * 800 && focal.values[1] == 0.75 * 800)
        }
        switch dtype {
        case .f32: try run(Float.self)
        case .f64: try run(Double.self)
        }
    }

    /// No cancellation: BCE with logits keeps log1p(e^-20) at x = -20, y = 0 in float, where
    /// (1 - y) x + softplus(-x) = -20 + 20.000000002 rounds to 0.
    @Test func logitsWithoutCancellation() throws {
        let (loss, grad) = try binaryCrossEntropyWithLogitsAndGrad([-20, 20] as [Float], [0, 1], reduction: .none)
        let want = log1p(exp(-20.0))
        #expect(isClose(Double(loss.values[0]), want, rel: 1e-6))
        #expect(isClose(Double(loss.values[1]), want, rel: 1e-6))
        #expect(isClose(Double(grad[1]), -1 / (1 + exp(20.0)), rel: 1e-6))
    }

    /// Where 1 - p_t underflows and 0 < gamma < 1, autograd's gradient is NaN (inf * 0); the
    /// true limit is 0 and LossCore returns it. Next to the limit, the gradient still matches
    /// the formula.
    @Test func focalGradientFiniteAtSaturation() throws {
        let x = [800.0, -800, 745, 40, 20]
        let y = [1.0, 0, 1, 1, 1]
        let (loss, grad) = try sigmoidFocalLossAndGrad(x, y, gamma: 0.5, reduction: .none)
        #expect(grad.allSatisfy { $0.isFinite }, "\(grad)")
        #expect(grad[0] == 0 && grad[1] == 0 && loss.values[0] == 0)
        for i in 2..<5 {
            // y = 1: q = 1 - p = 1 / (1 + e^x) exactly (the naive 1 - p_t cancels here), ce = log1p(e^-x),
            // l = a ce q^g and dl/dx = a (-q^(g+1) - g ce p q^g).
            let q = 1 / (1 + exp(x[i])), p = 1 / (1 + exp(-x[i])), ce = log1p(exp(-x[i]))
            let value = 0.25 * ce * pow(q, 0.5)
            let slope = 0.25 * (-pow(q, 1.5) - 0.5 * ce * p * pow(q, 0.5))
            #expect(isClose(loss.values[i], value, rel: 1e-12), "value [\(i)]")
            #expect(isClose(grad[i], slope, rel: 1e-9), "grad [\(i)]: \(grad[i]) vs \(slope)")
        }
        // gamma = 0 is alpha_t * BCE with logits, gradient included.
        let (plain, plainGrad) = try binaryCrossEntropyWithLogitsAndGrad(x, y, reduction: .none)
        let (focal0, focal0Grad) = try sigmoidFocalLossAndGrad(x, y, alpha: -1, gamma: 0, reduction: .none)
        #expect(focal0.values == plain.values && focal0Grad == plainGrad)
    }

    /// Empty input: NaN mean, zero sum, nothing for 'none'.
    @Test(arguments: BinaryLoss.all)
    func empty(loss: BinaryLoss) throws {
        let mean = try binaryLossAndGrad(loss, [Float](), [], weight: nil, reduction: .mean, gradOutput: nil)
        #expect(mean.loss.scalar!.isNaN && mean.grad.isEmpty)
        #expect(try binaryLossOnly(loss, [Double](), [], weight: nil, reduction: .sum).scalar == 0)
        #expect(try binaryLossOnly(loss, [Double](), [], weight: nil, reduction: .none).values.isEmpty)
    }
}

// MARK: - pos_weight across blocks and chunks

@Suite("Elementwise, binary: pos_weight along the last dimension, large inputs, threads")
struct BinaryLargeInputTests {
    /// Several parallel blocks and reduction chunks with a period that divides neither: the
    /// reductions must apply the same pos_weight to each element as 'none'.
    @Test(arguments: DType.allCases)
    func periodicPositiveWeight(dtype: DType) throws {
        func run<T: LossScalar>(_: T.Type) throws {
            let c = 7, n = 7 * 14_043  // 98 301 elements: 3 blocks of 32 768 and a tail
            var rng = SplitMix64(seed: 31)
            let x = cast(rng.values(n, -6, 6), to: T.self)
            let y = (0..<n).map { _ in T(rng.int(2)) }
            let pw = cast(rng.values(c, 0.5, 4), to: T.self)
            let w = cast(rng.values(n, 0.5, 2), to: T.self)
            let tol = T.self == Float.self ? 4e-6 : 1e-12
            let want = binaryReference(.logits(posWeight: widen(pw)), widen(x), widen(y), weight: widen(w),
                                       reduction: .none, gradOutput: nil)
            let (none, noneGrad) = try binaryCrossEntropyWithLogitsAndGrad(x, y, weight: w, posWeight: pw,
                                                                          reduction: .none)
            expectClose(none.values, want.values, rel: tol, abs: 1e-30, "none")
            expectClose(noneGrad, want.grad, rel: tol, abs: tol * 1e-3, "none grad")
            let (sum, sumGrad) = try binaryCrossEntropyWithLogitsAndGrad(x, y, weight: w, posWeight: pw,
                                                                        reduction: .sum)
            #expect(bitsEqual(sumGrad, noneGrad), "sum and none gradients differ")
            let total = want.values.reduce(0, +)
            #expect(isClose(Double(sum.scalar!), total, rel: tol), "\(sum.scalar!) vs \(total)")
            let mean = try binaryCrossEntropyWithLogits(x, y, weight: w, posWeight: pw, reduction: .mean)
            #expect(isClose(Double(mean.scalar!), total / Double(n), rel: tol))
        }
        switch dtype {
        case .f32: try run(Float.self)
        case .f64: try run(Double.self)
        }
    }

    /// Bitwise the same results for 1, 2 and 5 threads.
    @Test func threadCountIndependence() throws {
        defer { try? Parallel.setThreadCount(0) }
        let n = 200_001  // a multiple of the pos_weight period 3
        var rng = SplitMix64(seed: 41)
        let x = rng.values(n, -6, 6), y = (0..<n).map { _ in Double(rng.int(2)) }
        let p = x.map { 1 / (1 + exp(-$0)) }
        var results: [[Double]] = []
        for threads in [1, 2, 5] {
            try Parallel.setThreadCount(threads)
            results.append([
                try binaryCrossEntropy(p, y, reduction: .mean).scalar!,
                try binaryCrossEntropyWithLogits(x, y, posWeight: [2, 3, 0.5], reduction: .sum).scalar!,
                try sigmoidFocalLoss(x, y, reduction: .mean).scalar!,
            ] + (try sigmoidFocalLossAndGrad(x, y, reduction: .sum).grad.prefix(1000)))
        }
        #expect(bitsEqual(results[0], results[1]) && bitsEqual(results[0], results[2]))
    }
}

// MARK: - Errors

@Suite("Elementwise, binary: BCE on probabilities with vector logs")
struct BinaryProbabilityLaneTests {
    /// float32 BCE takes its logs from VectorMath (log x, and log1p(-x) as log(1 - x) plus
    /// the rounding correction): values within a few ulps of the float64 formula, over
    /// probabilities from 0 and subnormals to 1, and the exact clamps at 0 and 1; the same
    /// bits for an element in the vector body, in a tail, or weighted by 1.
    @Test func valuesMatchTheFloat64FormulaAndAgreeWhereverElementsFall() throws {
        var rng = SplitMix64(seed: 83)
        var x: [Float] = [0, 1, .leastNonzeroMagnitude, Float(bitPattern: 0x0001_16C2) /* 1e-40 */, .leastNormalMagnitude, 1e-30, 1e-8, 6e-8,
                          0.25, 0.5, Float(0.5).nextDown, Float(0.5).nextUp, 0.75, Float(1).nextDown, 1 - 1e-7]
        x += (0..<2000).map { _ in Float(rng.uniform(0, 1)) }
        x += (0..<500).map { _ in Float(pow(10, rng.uniform(-44, 0))) }
        x += (0..<500).map { _ in 1 - Float(pow(10, rng.uniform(-7.2, 0))) }
        let y: [Float] = x.indices.map { i in i % 3 == 0 ? 0 : (i % 3 == 1 ? 1 : Float(rng.uniform(0, 1))) }
        let (loss, grad) = try binaryCrossEntropyAndGrad(x, y, reduction: .none,
                                                         gradOutput: [Float](repeating: 1, count: x.count))
        let weighted = try binaryCrossEntropy(x, y, weight: [Float](repeating: 1, count: x.count), reduction: .none)
        for i in x.indices {
            let xd = Double(x[i]), yd = Double(y[i])
            let want = (yd - 1) * max(log1p(-xd), -100) - yd * max(log(xd), -100)
            let l = Double(loss.values[i])
            // The two clamped logs are within ~1 ulp each; their weighted sum within a few.
            let bound = 4 * Double(Float(max(abs(want), 1e-30)).ulp) + 2e-7 * (abs(yd * max(log(xd), -100)) + abs((1 - yd) * max(log1p(-xd), -100)))
            #expect(abs(l - want) <= bound, "x=\(x[i]) y=\(y[i]): \(l) vs \(want)")
            let dl = (xd - yd) / max((1 - xd) * xd, Double(Float(1e-12)))
            #expect(abs(Double(grad[i]) - dl) <= 1e-6 * abs(dl) + 1e-30, "x=\(x[i]) y=\(y[i]): gradient \(grad[i]) vs \(dl)")
            #expect(weighted.values[i].bitPattern == loss.values[i].bitPattern, "x=\(x[i]): weighted by 1")
        }
        // The clamps: log 0 = -inf and log1p(-1) = -inf count as -100.
        let clamped = try binaryCrossEntropy([0, 1, 0, 1] as [Float], [1, 0, 0.5, 0.5], reduction: .none)
        #expect(clamped.values == [100, 100, 50, 50])
        // Shifted by one element, each value lands at another lane or in a tail: same bits.
        let shifted = try binaryCrossEntropy(Array(x.dropFirst()), Array(y.dropFirst()), reduction: .none)
        #expect(bitsEqual(shifted.values, Array(loss.values.dropFirst())))
    }

    /// 'none' with a gradient runs the lanes with grad_output read per vector: each element's
    /// gradient is g times the one-value derivative, bitwise, for BCE and the sigmoid focal
    /// loss (integer gamma: lanes; real gamma: the one-value path), whatever the offset.
    @Test func noneGradientsAreUpstreamTimesTheFormula() throws {
        var rng = SplitMix64(seed: 97)
        for count in [15, 16, 17, 1000] {
            let p = (0..<count).map { _ in Float(rng.uniform(0.001, 0.999)) }
            let logits = (0..<count).map { _ in Float(rng.uniform(-12, 12)) }
            let y = (0..<count).map { _ in Float(rng.uniform(0, 1)) }
            let g = (0..<count).map { _ in Float(rng.uniform(-2, 2)) }
            let (bce, bceGrad) = try binaryCrossEntropyAndGrad(p, y, reduction: .none, gradOutput: g)
            let bceWant = zip(p, y).map { BinaryCrossEntropy<Float>().valueAndDerivative($0, $1) }
            #expect(bitsEqual(bce.values, bceWant.map(\.0)), "bce n=\(count): values")
            #expect(bitsEqual(bceGrad, zip(g, bceWant).map { $0 * $1.1 }), "bce n=\(count): gradient")
            for gamma in [2.0, 1.5] {
                let (focal, focalGrad) = try sigmoidFocalLossAndGrad(logits, y, alpha: 0.25, gamma: gamma,
                                                                     reduction: .none, gradOutput: g)
                let want: [(Float, Float)] = gamma == 2
                    ? zip(logits, y).map { SigmoidFocal(alpha: 0.25, power: IntegerFocalPower<Float>(exponent: 2),
                                                        weighsAlpha: true).valueAndDerivative($0, $1) }
                    : zip(logits, y).map { SigmoidFocal(alpha: 0.25, power: RealFocalPower<Float>(gamma: 1.5),
                                                        weighsAlpha: true).valueAndDerivative($0, $1) }
                #expect(bitsEqual(focal.values, want.map(\.0)), "focal gamma=\(gamma) n=\(count): values")
                #expect(bitsEqual(focalGrad, zip(g, want).map { $0 * $1.1 }),
                        "focal gamma=\(gamma) n=\(count): gradient")
            }
        }
    }
}

@Suite("Elementwise, binary: the 16-lane BCE-with-logits formula")
struct BinaryLaneTests {
    /// Unweighted float32 buffers take LogitTerms.lanes for whole vectors and the scalar
    /// formula for the rest; both must give bitwise the same values and derivatives, over
    /// ordinary, extreme and special logits (the lanes sit at every offset of a vector).
    @Test func lanesMatchTheScalarFormulaBitwise() throws {
        var rng = SplitMix64(seed: 61)
        var x: [Float] = [0, -0.0, 1e-30, -1e-30, 20, -20, 88, -88, 89, -89, 800, -800,
                          .infinity, -.infinity, .nan, 3.5, -3.5, 0.25, -0.25]
        x += (0..<1000).map { _ in Float(rng.uniform(-30, 30)) }
        let y: [Float] = x.indices.map { i in i % 3 == 0 ? 0 : (i % 3 == 1 ? 1 : Float(rng.uniform(0, 1))) }
        let (loss, grad) = try binaryCrossEntropyWithLogitsAndGrad(x, y, reduction: .none,
                                                                   gradOutput: [Float](repeating: 1, count: x.count))
        let alone = try binaryCrossEntropyWithLogits(x, y, reduction: .none)
        for i in x.indices {
            let (l, dl) = LogitTerms.valueAndDerivative(x[i], y[i])
            let value = LogitTerms.value(x[i], y[i])
            #expect(loss.values[i].bitPattern == l.bitPattern || (loss.values[i].isNaN && l.isNaN),
                    "x=\(x[i]) y=\(y[i]): loss \(loss.values[i]) vs \(l)")
            #expect(alone.values[i].bitPattern == value.bitPattern || (alone.values[i].isNaN && value.isNaN),
                    "x=\(x[i]) y=\(y[i]): loss-only \(alone.values[i]) vs \(value)")
            #expect(grad[i].bitPattern == dl.bitPattern || (grad[i].isNaN && dl.isNaN),
                    "x=\(x[i]) y=\(y[i]): gradient \(grad[i]) vs \(dl)")
        }
        // Reduced calls take the lanes for the gradient too (scale 1 with 'sum').
        let (_, sumGrad) = try binaryCrossEntropyWithLogitsAndGrad(x, y, reduction: .sum)
        for i in x.indices {
            let dl = LogitTerms.valueAndDerivative(x[i], y[i]).1
            #expect(sumGrad[i].bitPattern == dl.bitPattern || (sumGrad[i].isNaN && dl.isNaN),
                    "x=\(x[i]) y=\(y[i]): 'sum' gradient \(sumGrad[i]) vs \(dl)")
        }
        // Reduced values go through the same lanes.
        let mean = try binaryCrossEntropyWithLogits(Array(x[15...]), Array(y[15...]), reduction: .mean).values[0]
        let expected = x[15...].indices.reduce(0.0) { $0 + Double(LogitTerms.value(x[$1], y[$1])) } / Double(x.count - 15)
        #expect(abs(Double(mean) - expected) <= 1e-6 * abs(expected))
    }
}

@Suite("Elementwise, binary: errors")
struct BinaryErrorTests {
    @Test func bceRefusesValuesOutsideUnitInterval() {
        expectLossError(.invalidArgument, mentions: "input[2] = 1.5") { () throws(LossError) in
            _ = try binaryCrossEntropy([0.5, 0.2, 1.5], [0, 1, 0.5] as [Double])
        }
        expectLossError(.invalidArgument, mentions: "input[0] = -0.25") { () throws(LossError) in
            _ = try binaryCrossEntropyAndGrad([-0.25, 0.2] as [Float], [0, 1])
        }
        expectLossError(.invalidArgument, mentions: "target[1] = nan") { () throws(LossError) in
            _ = try binaryCrossEntropy([0.5, 0.2], [0, .nan] as [Double], reduction: .none)
        }
        expectLossError(.invalidArgument, mentions: "input[0] = nan") { () throws(LossError) in
            _ = try binaryCrossEntropy([.nan], [0] as [Double])
        }
    }

    /// The first bad element is named even when it lies in a later parallel block.
    @Test func bceFirstBadElementInLargeInput() {
        var x = [Double](repeating: 0.5, count: 100_000)
        x[70_001] = 2
        x[99_999] = -1
        expectLossError(.invalidArgument, mentions: "input[70001] = 2.0") { () throws(LossError) in
            _ = try binaryCrossEntropy(x, x.map { _ in 0.5 })
        }
    }

    /// A refused call writes nothing, in 'none' with a gradient too.
    @Test func nothingWrittenOnFailure() throws {
        let x: [Double] = [0.5, 0.25, 2], y: [Double] = [0, 1, 0.5]
        var out = [Double](repeating: 7, count: 3), grad = [Double](repeating: 7, count: 3)
        x.withUnsafeBufferPointer { xp in
            y.withUnsafeBufferPointer { yp in
                out.withUnsafeMutableBufferPointer { op in
                    grad.withUnsafeMutableBufferPointer { gp in
                        expectLossError(.invalidArgument) { () throws(LossError) in
                            try binaryCrossEntropy(ElementwiseBuffers(
                                input: xp.baseAddress, target: yp.baseAddress, count: 3, reduction: .none,
                                out: op.baseAddress, gradInput: gp.baseAddress))
                        }
                        expectLossError(.shape, mentions: "pos_weight_count 2 must divide n 3") {
                            () throws(LossError) in
                            try binaryCrossEntropyWithLogits(ElementwiseBuffers(
                                input: xp.baseAddress, target: yp.baseAddress, count: 3, reduction: .none,
                                out: op.baseAddress, gradInput: gp.baseAddress),
                                posWeight: xp.baseAddress, posWeightCount: 2)
                        }
                        expectLossError(.invalidArgument, mentions: "gamma") { () throws(LossError) in
                            try sigmoidFocalLoss(ElementwiseBuffers(
                                input: xp.baseAddress, target: yp.baseAddress, count: 3, reduction: .none,
                                out: op.baseAddress, gradInput: gp.baseAddress), gamma: -1)
                        }
                    }
                }
            }
        }
        #expect(out == [7, 7, 7] && grad == [7, 7, 7])
    }

    @Test func positiveWeightSizes() {
        expectLossError(.shape, mentions: "pos_weight is empty") { () throws(LossError) in
            _ = try binaryCrossEntropyWithLogits([1, 2] as [Double], [0, 1], posWeight: [])
        }
        expectLossError(.shape, mentions: "must divide") { () throws(LossError) in
            _ = try binaryCrossEntropyWithLogits([1, 2, 3] as [Double], [0, 1, 0], posWeight: [1, 2])
        }
        expectLossError(.shape, mentions: "pos_weight_count must be >= 1") { () throws(LossError) in
            try [1.0].withUnsafeBufferPointer { p throws(LossError) in
                var out = 0.0
                try binaryCrossEntropyWithLogits(ElementwiseBuffers(input: p.baseAddress, target: p.baseAddress,
                                                                  count: 1, reduction: .sum, out: &out),
                                                 posWeight: p.baseAddress, posWeightCount: 0)
            }
        }
    }

    @Test func focalOptions() {
        for (alpha, gamma, mentions) in [(0.25, -0.5, "gamma"), (0.25, .nan, "gamma"), (0.25, .infinity, "gamma"),
                                         (1.5, 2.0, "alpha"), (.nan, 2.0, "alpha")] {
            expectLossError(.invalidArgument, mentions: mentions) { () throws(LossError) in
                _ = try sigmoidFocalLoss([0.5] as [Double], [1], alpha: alpha, gamma: gamma)
            }
        }
        // Any alpha < 0 disables the alpha weighting, as torchvision's -1.
        let disabled = try? sigmoidFocalLoss([0.5] as [Double], [1], alpha: -0.3)
        #expect(disabled != nil && disabled == (try? sigmoidFocalLoss([0.5] as [Double], [1], alpha: -1)))
        expectLossError(.invalidArgument, mentions: "weight") { () throws(LossError) in
            try [1.0].withUnsafeBufferPointer { p throws(LossError) in
                var out = 0.0
                try sigmoidFocalLoss(ElementwiseBuffers(input: p.baseAddress, target: p.baseAddress,
                                                      weight: p.baseAddress, count: 1, reduction: .sum, out: &out))
            }
        }
    }

    @Test func arraySizes() {
        expectLossError(.shape, mentions: "target") { () throws(LossError) in
            _ = try binaryCrossEntropy([0.5, 0.5], [0.5] as [Double])
        }
        expectLossError(.shape, mentions: "weight") { () throws(LossError) in
            _ = try binaryCrossEntropyWithLogits([0.5, 0.5], [0.5, 1] as [Double], weight: [1])
        }
        expectLossError(.shape, mentions: "grad_output") { () throws(LossError) in
            _ = try sigmoidFocalLossAndGrad([0.5, 0.5], [0, 1] as [Float], reduction: .none, gradOutput: [1])
        }
    }
}

// MARK: - C exports

@Suite("Elementwise, binary: C exports")
struct BinaryCExportTests {
    private func lastError() -> String { String(cString: losscore_last_error()) }

    @Test func statusCodesAndMessages() {
        let x: [Double] = [0.5, 0.25, 0.75, 0.5], y: [Double] = [0, 1, 0.5, 1]
        var out = [Double](repeating: 7, count: 4), grad = [Double](repeating: 7, count: 4)
        x.withUnsafeBufferPointer { xp in
            y.withUnsafeBufferPointer { yp in
                out.withUnsafeMutableBufferPointer { op in
                    grad.withUnsafeMutableBufferPointer { gp in
                        let xb = xp.baseAddress, yb = yp.baseAddress, ob = op.baseAddress, gb = gp.baseAddress
                        #expect(losscore_binary_cross_entropy_f64(nil, yb, nil, 4, losscore_reduction(LOSSCORE_REDUCTION_MEAN), ob,
                                                                  nil, nil, nil)
                                == losscore_status(LOSSCORE_ERROR_NULL_POINTER))
                        #expect(lastError() == "losscore_binary_cross_entropy_f64: input is NULL")
                        #expect(losscore_binary_cross_entropy_f64(xb, yb, nil, 4, 9, ob,
                                                                  nil, nil, nil) == losscore_status(LOSSCORE_ERROR_INVALID_ARGUMENT))
                        #expect(lastError().contains("reduction"))
                        #expect(losscore_binary_cross_entropy_f64(xb, yb, nil, Int(bitPattern: UInt(1) << 63),
                                                                  losscore_reduction(LOSSCORE_REDUCTION_SUM), ob, nil, nil, nil)
                                == losscore_status(LOSSCORE_ERROR_SHAPE))
                        #expect(losscore_binary_cross_entropy_with_logits_f64(xb, yb, nil, xb, 3, 4,
                                                                              losscore_reduction(LOSSCORE_REDUCTION_NONE), ob, nil, gb, nil)
                                == losscore_status(LOSSCORE_ERROR_SHAPE))
                        #expect(lastError().contains("pos_weight_count 3 must divide n 4"))
                        #expect(losscore_sigmoid_focal_loss_f64(xb, yb, 4, losscore_reduction(LOSSCORE_REDUCTION_NONE), .nan, 2, ob,
                                                                nil, gb, nil)
                                == losscore_status(LOSSCORE_ERROR_INVALID_ARGUMENT))
                        #expect(lastError().contains("alpha"))
                        #expect(Array(op) == [7, 7, 7, 7] && Array(gp) == [7, 7, 7, 7], "a refused call wrote")

                        #expect(losscore_binary_cross_entropy_with_logits_f64(xb, yb, nil, xb, 2, 4,
                                                                              losscore_reduction(LOSSCORE_REDUCTION_NONE), ob, nil, gb, nil)
                                == losscore_status(LOSSCORE_OK))
                        #expect(lastError() == "")
                    }
                }
            }
        }
        // The C call equals the Swift API's.
        let want = try? binaryCrossEntropyWithLogitsAndGrad(x, y, posWeight: [0.5, 0.25], reduction: .none)
        #expect(want.map { bitsEqual($0.loss.values, out) && bitsEqual($0.grad, grad) } == true)
    }

    @Test func float32EntryPoints() {
        let x: [Float] = [0.2, 0.9], y: [Float] = [0, 1]
        var out: [Float] = [0], grad: [Float] = [0, 0]
        let go: [Float] = [2]
        let status = x.withUnsafeBufferPointer { xp in
            y.withUnsafeBufferPointer { yp in
                losscore_binary_cross_entropy_f32(xp.baseAddress, yp.baseAddress, nil, 2, losscore_reduction(LOSSCORE_REDUCTION_MEAN),
                                                  &out, go, &grad, nil)
            }
        }
        #expect(status == losscore_status(LOSSCORE_OK))
        let want = try? binaryCrossEntropyAndGrad(x, y, gradOutput: go)
        #expect(want?.loss.scalar == out[0] && want?.grad == grad)
        var focalOut: [Float] = [0]
        let focalStatus = x.withUnsafeBufferPointer { xp in
            y.withUnsafeBufferPointer { yp in
                losscore_sigmoid_focal_loss_f32(xp.baseAddress, yp.baseAddress, 2, losscore_reduction(LOSSCORE_REDUCTION_SUM), 0.25, 2,
                                                &focalOut, nil, nil, nil)
            }
        }
        #expect(focalStatus == losscore_status(LOSSCORE_OK) && focalOut[0] == (try? sigmoidFocalLoss(x, y, reduction: .sum))?.scalar)
        // Empty input with NULL data pointers.
        var empty: [Float] = [1]
        #expect(losscore_binary_cross_entropy_with_logits_f32(nil, nil, nil, nil, 0, 0, losscore_reduction(LOSSCORE_REDUCTION_MEAN),
                                                              &empty, nil, nil, nil) == losscore_status(LOSSCORE_OK))
        #expect(empty[0].isNaN)
    }
}
