// Tests of the distribution losses (KL divergence, Poisson NLL) through the Swift array API:
// values and fused gradients against float64 references written from the formulas of
// include/losscore.h, float32 within a few ulps of them (vector exp and log), the same bits
// wherever an element falls, the reductions, and the refusal of a NaN eps.
import Testing
@testable import LossCore
#if canImport(Glibc)
import Glibc
#endif

/// KL divergence: xlogy(y, y) - y x (or e^y (y - x) with log targets), derivative -y (-e^y).
private func klReference(_ x: Double, _ y: Double, logTarget: Bool) -> (Double, Double) {
    if logTarget { return (exp(y) * (y - x), -exp(y)) }
    return ((y == 0 ? 0 : y * log(y)) - y * x, -y)
}

/// Poisson NLL: e^x - y x or x - y log(x + eps), plus the Stirling term where y > 1.
private func poissonReference(_ x: Double, _ y: Double, logInput: Bool, full: Bool, eps: Double) -> (Double, Double) {
    var (l, dl) = logInput ? (exp(x) - y * x, exp(x) - y) : (x - y * log(x + eps), 1 - y / (x + eps))
    if full && !(y <= 1) { l += y * log(y) - y + 0.5 * log(2 * Double.pi * y) }
    return (l, dl)
}

@Suite("Elementwise, distributions: KL divergence and Poisson NLL")
struct DistributionTests {
    /// Inputs and targets of both signs and the edge values (0 targets, log-targets and
    /// log-rates where exp over- and underflows in float32, subnormal results).
    static func data(seed: UInt64, positiveTargets: Bool) -> (x: [Double], y: [Double]) {
        var rng = SplitMix64(seed: seed)
        var x = (0..<1500).map { _ in rng.uniform(-5, 5) }
        var y = (0..<1500).map { _ in positiveTargets ? rng.uniform(0, 4) : rng.uniform(-5, 5) }
        let edges: [Double] = positiveTargets ? [0, 0, 1, 1, 1e-30, 2, 40] : [-100, -95, -88, 0, 88, 88.8, 1e-30]
        for (i, e) in edges.enumerated() { x.insert(Double(i) - 3, at: 0); y.insert(e, at: 0) }
        return (x, y)
    }

    /// (loss, gradient) of 'none' with grad_output 1, then checked against `reference`,
    /// float64 to 1e-13 and float32 to a few ulps of the terms, and at a shifted offset bitwise.
    func check<T: LossScalar>(_: T.Type, _ x: [Double], _ y: [Double], what: String,
                              call: ([T], [T]) throws(LossError) -> (LossOutput<T>, [T]),
                              reference: (Double, Double) -> (Double, Double),
                              terms: (Double, Double) -> (loss: Double, grad: Double)) throws {
        let xt = cast(x, to: T.self), yt = cast(y, to: T.self)
        let (loss, grad) = try call(xt, yt)
        let rel = T.self == Float.self ? 4e-7 : 1e-14
        for i in x.indices {
            let (l, dl) = reference(Double(xt[i]), Double(yt[i]))
            let got = Double(loss.values[i]), g = Double(grad[i])
            if l.isNaN || dl.isNaN {
                #expect(got.isNaN == l.isNaN && g.isNaN == dl.isNaN, "\(what) x=\(xt[i]) y=\(yt[i]): \(got), \(g)")
                continue
            }
            // Each term carries its rounding; a subnormal factor (e^y near -100) its absolute
            // one; a result beyond the type's range is its infinity.
            let (scale, gradScale) = terms(Double(xt[i]), Double(yt[i]))
            let tiny = Double(T.leastNonzeroMagnitude) * 64 * (1 + abs(Double(xt[i])) + abs(Double(yt[i])))
            let (lt, dlt) = (Double(T(l)), Double(T(dl)))
            #expect(got == lt || abs(got - l) <= 4 * rel * (abs(l) + scale) + tiny,
                    "\(what) \(T.self) x=\(xt[i]) y=\(yt[i]): loss \(got) vs \(l)")
            #expect(g == dlt || abs(g - dl) <= 4 * rel * (abs(dl) + gradScale) + tiny,
                    "\(what) \(T.self) x=\(xt[i]) y=\(yt[i]): gradient \(g) vs \(dl)")
        }
        let (shifted, shiftedGrad) = try call(Array(xt.dropFirst()), Array(yt.dropFirst()))
        #expect(bitsEqual(shifted.values, Array(loss.values.dropFirst())), "\(what) \(T.self): values at another offset")
        #expect(bitsEqual(shiftedGrad, Array(grad.dropFirst())), "\(what) \(T.self): gradients at another offset")
    }

    @Test(arguments: [false, true], DType.allCases)
    func klDivergence(logTarget: Bool, dtype: DType) throws {
        let (x, y) = Self.data(seed: logTarget ? 11 : 12, positiveTargets: !logTarget)
        func run<T: LossScalar>(_ t: T.Type) throws {
            try check(t, x, y, what: "kl_div(log_target: \(logTarget))",
                      call: { (a: [T], b: [T]) throws(LossError) in
                          try klDivLossAndGrad(a, b, logTarget: logTarget, reduction: .none,
                                               gradOutput: [T](repeating: 1, count: a.count)) },
                      reference: { klReference($0, $1, logTarget: logTarget) },
                      terms: { x, y in (logTarget ? exp(y) * (abs(y) + abs(x)) : abs(y * log(y)) + abs(y * x), 0) })
        }
        dtype == .f32 ? try run(Float.self) : try run(Double.self)
    }

    @Test(arguments: [(true, false, 1e-8), (true, true, 1e-8), (false, false, 1e-8), (false, true, 0.5)], DType.allCases)
    func poissonNLL(options: (Bool, Bool, Double), dtype: DType) throws {
        let (logInput, full, eps) = options
        var (x, y) = Self.data(seed: 13, positiveTargets: true)
        if !logInput { x = x.map { abs($0) } }  // rates
        func run<T: LossScalar>(_ t: T.Type) throws {
            try check(t, x, y, what: "poisson_nll_loss(log_input: \(logInput), full: \(full), eps: \(eps))",
                      call: { (a: [T], b: [T]) throws(LossError) in
                          try poissonNLLLossAndGrad(a, b, logInput: logInput, full: full, eps: eps, reduction: .none,
                                                    gradOutput: [T](repeating: 1, count: a.count)) },
                      reference: { x, y in
                          // eps is added in the data's type, as torch adds it.
                          poissonReference(x, y, logInput: logInput, full: full, eps: Double(T(eps))) },
                      terms: { x, y in
                          ((logInput ? exp(x) + abs(y * x) : abs(x) + abs(y * log(x + eps)))
                              + (full && y > 1 ? abs(y * log(y)) + y + abs(log(2 * Double.pi * y)) : 0),
                           logInput ? exp(x) + abs(y) : 1 + abs(y / (x + eps))) })
        }
        dtype == .f32 ? try run(Float.self) : try run(Double.self)
    }

    /// 'mean' divides the sum by n; 'sum' with a gradient scales the derivatives only.
    @Test func reductions() throws {
        let x: [Double] = [-1.2, -0.3, -2.5, -0.7], y: [Double] = [0.1, 0.4, 0, 0.5]
        let none = try klDivLoss(x, y, reduction: .none).values
        let mean = try klDivLoss(x, y, reduction: .mean).values[0]
        let (sum, grad) = try poissonNLLLossAndGrad(x, y, reduction: .sum, gradOutput: [2])
        #expect(abs(mean - none.reduce(0, +) / 4) <= 1e-15)
        let want = zip(x, y).map { poissonReference($0, $1, logInput: true, full: false, eps: 1e-8) }
        #expect(abs(sum.values[0] - want.map(\.0).reduce(0, +)) <= 1e-14)
        #expect(zip(grad, want).allSatisfy { abs($0 - 2 * $1.1) <= 1e-15 })
    }

    @Test func nanEpsIsRefused() {
        expectLossError(.invalidArgument, mentions: "eps") { () throws(LossError) in
            _ = try poissonNLLLoss([1.0], [1.0], logInput: false, eps: .nan)
        }
    }
}
