// Tests of the elementwise losses of three operands (OperandsDriver): values and both fused
// gradients against float64 references written from the formulas of include/losscore.h
// (never from the kernels), finite differences, reductions and grad_output, torch's clamp
// gradient at ties and for NaN, several blocks and thread counts, and the buffer API's errors.
import Testing
@testable import LossCore
#if canImport(Glibc)
import Glibc
#endif

// MARK: - References (float64, from the header's formulas)

/// Values ('none': one per element, else the reduced one) and the gradients of the
/// margin ranking loss: u = -y (x1 - x2) + margin, l = max(0, u), d/dx1 = -y [u >= 0].
func marginRankingReference(_ x1: [Double], _ x2: [Double], _ y: [Double], margin: Double, reduction: Reduction,
                            gradOutput: [Double]?) -> (values: [Double], grad1: [Double], grad2: [Double]) {
    let n = x1.count
    var values = [Double](), grad1 = [Double](), grad2 = [Double]()
    for i in 0..<n {
        let u = -y[i] * (x1[i] - x2[i]) + margin
        values.append(u < 0 ? 0 : u)
        let factor = reduction == .none ? (gradOutput?[i] ?? 1)
            : (gradOutput?[0] ?? 1) / (reduction == .mean ? Double(n) : 1)
        let d = factor * ((u >= 0 ? 1 : 0) * -y[i])
        grad1.append(d)
        grad2.append(-d)
    }
    if reduction != .none {
        let total = values.reduce(0, +)
        values = [reduction == .mean ? total / Double(n) : total]
    }
    return (values, grad1, grad2)
}

/// Expects `gradient` to be the central differences of `loss` at `point`, value by value.
func expectCentralDifferences(_ gradient: [Double], at point: [Double], _ loss: ([Double]) throws -> Double,
                              sourceLocation: SourceLocation = #_sourceLocation) throws {
    let h = 1e-6
    for i in 0..<point.count {
        var plus = point, minus = point
        plus[i] += h
        minus[i] -= h
        let numeric = (try loss(plus) - loss(minus)) / (2 * h)
        #expect(isClose(gradient[i], numeric, rel: 1e-6, abs: 1e-7), "[\(i)]: \(gradient[i]) vs \(numeric)",
                sourceLocation: sourceLocation)
    }
}

/// Scores and targets (mostly 1 and -1) whose margin term stays `gap` away from the kink.
func rankingData(count: Int, margin: Double, seed: UInt64, gap: Double = 1e-2) -> ([Double], [Double], [Double]) {
    var rng = SplitMix64(seed: seed)
    var x1 = [Double](), x2 = [Double](), y = [Double]()
    while x1.count < count {
        let a = rng.uniform(-3, 3), b = rng.uniform(-3, 3)
        let t: Double = [1, -1, 1, -1, 0.5, 2][rng.int(6)]
        if abs(-t * (a - b) + margin) < gap { continue }
        x1.append(a)
        x2.append(b)
        y.append(t)
    }
    return (x1, x2, y)
}

@Suite("Elementwise, three operands: margin ranking loss against float64 references")
struct MarginRankingTests {
    func check<T: LossScalar>(_: T.Type, count: Int, margin: Double, reduction: Reduction, withGradOutput: Bool) throws {
        let (a, b, t) = rankingData(count: count, margin: margin, seed: UInt64(count) &+ 7)
        let x1 = cast(a, to: T.self), x2 = cast(b, to: T.self), y = cast(t, to: T.self)
        var rng = SplitMix64(seed: 3)
        let go: [T]? = withGradOutput ? cast(rng.values(reduction == .none ? count : 1, 0.5, 2), to: T.self) : nil
        let want = marginRankingReference(widen(x1), widen(x2), widen(y), margin: margin, reduction: reduction,
                                          gradOutput: go.map(widen))
        let (loss, grads) = try marginRankingLossAndGrad(x1, x2, y, margin: margin, reduction: reduction, gradOutput: go)
        let tol = tolerance(T.self) * (reduction == .none ? 4 : 16)
        let what = "\(T.self) n=\(count) margin=\(margin) \(reduction) go=\(withGradOutput)"
        expectClose(loss.values, want.values, rel: tol, abs: tol, "\(what) loss")
        expectClose(grads.input1, want.grad1, rel: tol, abs: 1e-30, "\(what) grad_input1")
        expectClose(grads.input2, want.grad2, rel: tol, abs: 1e-30, "\(what) grad_input2")
        let alone = try marginRankingLoss(x1, x2, y, margin: margin, reduction: reduction)
        #expect(bitsEqual(alone.values, loss.values), "\(what): the loss alone differs from the fused one")
    }

    @Test(arguments: DType.allCases, [Reduction.none, .mean, .sum])
    func values(dtype: DType, reduction: Reduction) throws {
        for (count, margin) in [(1, 0.0), (37, 0.5), (1000, -0.5), (40_001, 1.0)] {
            for go in [false, true] {
                switch dtype {
                case .f32: try check(Float.self, count: count, margin: margin, reduction: reduction, withGradOutput: go)
                case .f64: try check(Double.self, count: count, margin: margin, reduction: reduction, withGradOutput: go)
                }
            }
        }
    }

    /// Central differences of the summed loss in float64, for both inputs.
    @Test func finiteDifferences() throws {
        let (x1, x2, y) = rankingData(count: 12, margin: 0.3, seed: 5)
        let (_, grads) = try marginRankingLossAndGrad(x1, x2, y, margin: 0.3, reduction: .sum)
        try expectCentralDifferences(grads.input1, at: x1) { a throws in
            try #require(try marginRankingLoss(a, x2, y, margin: 0.3, reduction: .sum).scalar)
        }
        try expectCentralDifferences(grads.input2, at: x2) { b throws in
            try #require(try marginRankingLoss(x1, b, y, margin: 0.3, reduction: .sum).scalar)
        }
    }

    /// torch's clamp_min: the gradient passes at u = 0, not for NaN; the mask multiplies -y,
    /// so a NaN or infinite target past the margin gives NaN (0 x inf), a NaN input 0.
    @Test(arguments: DType.allCases)
    func tiesAndNaN(dtype: DType) throws {
        func run<T: LossScalar>(_: T.Type) throws {
            let x1: [T] = [1, .nan, 2, 0.5, 3]
            let x2: [T] = [1.5, 0, 0, 0.5, 0]
            let y: [T] = [1, 1, .nan, .infinity, -1]
            let (loss, grads) = try marginRankingLossAndGrad(x1, x2, y, margin: 0.5, reduction: .none)
            let v = loss.values.map { Double($0) }, g = grads.input1.map { Double($0) }
            #expect(v[0] == 1 && g[0] == -1, "u = 1 > 0")
            #expect(v[1].isNaN && g[1] == 0, "a NaN input: NaN loss, no gradient")
            #expect(v[2].isNaN && g[2].isNaN, "a NaN target: NaN loss and gradient")
            #expect(v[3].isNaN && g[3].isNaN, "inf * 0 + margin is NaN, as in torch")
            #expect(v[4] == 3.5 && g[4] == 1, "y = -1")
            let (tie, tieGrads) = try marginRankingLossAndGrad([1] as [T], [1.5], [1], margin: -0.5, reduction: .sum)
            #expect(tie.scalar == 0 && tieGrads.input1 == [-1] && tieGrads.input2 == [1], "at u = 0 the gradient passes")
        }
        switch dtype {
        case .f32: try run(Float.self)
        case .f64: try run(Double.self)
        }
    }

    /// Bitwise the same results and gradients for 1, 2 and 5 threads.
    @Test func threadCountIndependence() throws {
        defer { try? Parallel.setThreadCount(0) }
        let (a, b, t) = rankingData(count: 75_003, margin: 0.25, seed: 9, gap: 0)
        let x1 = cast(a, to: Float.self), x2 = cast(b, to: Float.self), y = cast(t, to: Float.self)
        var results: [[Float]] = []
        for threads in [1, 2, 5] {
            try Parallel.setThreadCount(threads)
            let (loss, grads) = try marginRankingLossAndGrad(x1, x2, y, margin: 0.25, reduction: .mean)
            results.append(loss.values + grads.input1 + grads.input2)
        }
        #expect(bitsEqual(results[0], results[1]) && bitsEqual(results[0], results[2]))
    }

    @Test func errors() {
        expectLossError(.shape, mentions: "input2") { () throws(LossError) in
            _ = try marginRankingLoss([1, 2] as [Double], [1], [1, 1])
        }
        expectLossError(.invalidArgument, mentions: "margin") { () throws(LossError) in
            _ = try marginRankingLoss([1] as [Float], [1], [1], margin: .nan)
        }
        let x: [Double] = [1, 2]
        x.withUnsafeBufferPointer { p in
            var out = 0.0
            withUnsafeMutablePointer(to: &out) { out in
                expectLossError(.nullPointer, mentions: "input2") { () throws(LossError) in
                    try marginRankingLoss(OperandBuffers(first: p.baseAddress, second: nil, third: p.baseAddress,
                                                         count: 2, reduction: .sum, out: out))
                }
                expectLossError(.shape, mentions: "target") { () throws(LossError) in
                    try marginRankingLoss(OperandBuffers(first: p.baseAddress, second: p.baseAddress,
                                                         third: p.baseAddress, count: 2, thirdRepeat: 2,
                                                         reduction: .sum, out: out))
                }
                expectLossError(.shape, mentions: "n") { () throws(LossError) in
                    try marginRankingLoss(OperandBuffers(first: p.baseAddress, second: p.baseAddress,
                                                         third: p.baseAddress, count: -1, reduction: .sum, out: out))
                }
            }
        }
    }
}

// MARK: - Gaussian negative log likelihood

/// Values and the gradients of input and var of the Gaussian NLL, var shared as OperandBuffers
/// says (element (o, k, j) takes var[o * inner + j]): v = max(var, eps),
/// l = 0.5 (log v + d^2 / v) [+ 0.5 log(2 pi)], dl/dx = d / v, dl/dvar = 0.5 (1 / v - d^2 / v^2).
func gaussianReference(_ x: [Double], _ y: [Double], _ variance: [Double], repeat rep: Int, inner: Int, full: Bool,
                       eps: Double, reduction: Reduction, gradOutput: [Double]?)
    -> (values: [Double], gradInput: [Double], gradVar: [Double]) {
    let n = x.count
    var values = [Double](), gradInput = [Double](), gradVar = [Double](repeating: 0, count: variance.count)
    for i in 0..<n {
        let j = (i / (rep * inner)) * inner + i % inner
        let v = max(variance[j], eps), d = x[i] - y[i]
        let constant = full ? 0.5 * log(2 * Double.pi) : 0
        values.append(0.5 * (log(v) + d * d / v) + constant)
        let factor = reduction == .none ? (gradOutput?[i] ?? 1)
            : (gradOutput?[0] ?? 1) / (reduction == .mean ? Double(n) : 1)
        gradInput.append(factor * d / v)
        gradVar[j] += factor * 0.5 * (1 / v - d * d / (v * v))
    }
    if reduction != .none {
        let total = values.reduce(0, +)
        values = [reduction == .mean ? total / Double(n) : total]
    }
    return (values, gradInput, gradVar)
}

@Suite("Elementwise, three operands: Gaussian NLL against float64 references")
struct GaussianNLLTests {
    /// Every sharing of var (per element, per row, a middle dimension, one for all) over
    /// several blocks, variances below eps included.
    @Test(arguments: DType.allCases, [Reduction.none, .mean, .sum])
    func values(dtype: DType, reduction: Reduction) throws {
        func run<T: LossScalar>(_: T.Type) throws {
            // (outer, repeat, inner) layouts; 12 000 x 3 elements cross two blocks of whole rows.
            for (outer, rep, inner) in [(7, 1, 1), (12_000, 3, 1), (4, 3, 5), (1, 1001, 1), (3, 1, 700)] {
                let n = outer * rep * inner
                var rng = SplitMix64(seed: UInt64(n))
                let x = cast(rng.values(n), to: T.self), y = cast(rng.values(n), to: T.self)
                let variance = cast((0..<(outer * inner)).map { _ in rng.int(8) == 0 ? rng.uniform(0, 1e-3) : rng.uniform(0.2, 3) },
                                    to: T.self)
                for (full, eps) in [(false, 1e-6), (true, 0.01)] {
                    let go: [T]? = cast(rng.values(reduction == .none ? n : 1, 0.5, 2), to: T.self)
                    let want = gaussianReference(widen(x), widen(y), widen(variance), repeat: rep, inner: inner, full: full,
                                                 eps: Double(T(eps)), reduction: reduction, gradOutput: go.map(widen))
                    let (loss, grads) = try gaussianNLLLossAndGrad(x, y, variance, varRepeat: rep, varInner: inner, full: full,
                                                                   eps: eps, reduction: reduction, gradOutput: go)
                    let tol = tolerance(T.self) * (reduction == .none ? 8 : 64)
                    let what = "\(T.self) \(outer)x\(rep)x\(inner) full=\(full) \(reduction)"
                    expectClose(loss.values, want.values, rel: tol, abs: tol, "\(what) loss")
                    expectClose(grads.input, want.gradInput, rel: tol, abs: 1e-30, "\(what) grad_input")
                    // A shared value's gradient sums up to 1001 terms of either sign.
                    let scale = want.gradVar.map(abs).max() ?? 0
                    expectClose(grads.variance, want.gradVar, rel: tol * Double(rep), abs: tol * scale, "\(what) grad_var")
                    let alone = try gaussianNLLLoss(x, y, variance, varRepeat: rep, varInner: inner, full: full, eps: eps,
                                                    reduction: reduction)
                    #expect(bitsEqual(alone.values, loss.values), "\(what): the loss alone differs from the fused one")
                }
            }
        }
        switch dtype {
        case .f32: try run(Float.self)
        case .f64: try run(Double.self)
        }
    }

    /// Central differences in float64 of both gradients, variances above eps (where the
    /// loss is differentiable in var) shared per row.
    @Test func finiteDifferences() throws {
        var rng = SplitMix64(seed: 12)
        let x = rng.values(12), y = rng.values(12), variance = rng.values(4, 0.3, 2)
        let (_, grads) = try gaussianNLLLossAndGrad(x, y, variance, varRepeat: 3, reduction: .sum)
        try expectCentralDifferences(grads.input, at: x) { a throws in
            try #require(try gaussianNLLLoss(a, y, variance, varRepeat: 3, reduction: .sum).scalar)
        }
        try expectCentralDifferences(grads.variance, at: variance) { v throws in
            try #require(try gaussianNLLLoss(x, y, v, varRepeat: 3, reduction: .sum).scalar)
        }
    }

    /// torch's clamp under no_grad: below eps the loss uses eps and the var gradient is the
    /// formula's at eps (not 0); NaN var stays NaN; a negative var is refused naming it.
    @Test(arguments: DType.allCases)
    func clampAndSpecials(dtype: DType) throws {
        func run<T: LossScalar>(_: T.Type) throws {
            let (loss, grads) = try gaussianNLLLossAndGrad([1, 1, 0] as [T], [0, 0, 0], [0.25, 0, .nan], eps: 0.25,
                                                           reduction: .none)
            let v = loss.values.map { Double($0) }, gv = grads.variance.map { Double($0) }
            #expect(v[0] == v[1] && isClose(v[0], 0.5 * (log(0.25) + 4), rel: 1e-6))
            #expect(gv[0] == gv[1] && isClose(gv[1], 0.5 * (4 - 16), rel: 1e-6), "the clamp passes the gradient")
            #expect(v[2].isNaN && gv[2].isNaN)
            expectLossError(.invalidArgument, mentions: "var") { () throws(LossError) in
                _ = try gaussianNLLLoss([1, 1] as [T], [0, 0], [0.5, -1e-30])
            }
        }
        switch dtype {
        case .f32: try run(Float.self)
        case .f64: try run(Double.self)
        }
    }

    /// Bitwise the same results and gradients for 1, 2 and 5 threads, var per element and per row.
    @Test func threadCountIndependence() throws {
        defer { try? Parallel.setThreadCount(0) }
        var rng = SplitMix64(seed: 13)
        let n = 3 * 25_001
        let x = cast(rng.values(n), to: Float.self), y = cast(rng.values(n), to: Float.self)
        let full = cast(rng.values(n, 0.1, 2), to: Float.self), rows = Array(full.prefix(n / 3))
        var results: [[Float]] = []
        for threads in [1, 2, 5] {
            try Parallel.setThreadCount(threads)
            let (a, ga) = try gaussianNLLLossAndGrad(x, y, full, reduction: .mean)
            let (b, gb) = try gaussianNLLLossAndGrad(x, y, rows, varRepeat: 3, reduction: .sum)
            results.append(a.values + ga.input + ga.variance + b.values + gb.input + gb.variance)
        }
        #expect(bitsEqual(results[0], results[1]) && bitsEqual(results[0], results[2]))
    }

    @Test func errors() {
        expectLossError(.shape, mentions: "var") { () throws(LossError) in
            _ = try gaussianNLLLoss([1, 2, 3] as [Double], [1, 2, 3], [1, 1])
        }
        expectLossError(.invalidArgument, mentions: "eps") { () throws(LossError) in
            _ = try gaussianNLLLoss([1] as [Float], [1], [1], eps: .nan)
        }
        let x: [Double] = [1, 2, 3, 4]
        x.withUnsafeBufferPointer { p in
            var out = 0.0
            withUnsafeMutablePointer(to: &out) { out in
                for (rep, inner) in [(0, 1), (1, 0), (3, 1), (2, 4), (Int.max, 2)] {
                    expectLossError(.shape, mentions: "var_repeat") { () throws(LossError) in
                        try gaussianNLLLoss(OperandBuffers(first: p.baseAddress, second: p.baseAddress, third: p.baseAddress,
                                                           count: 4, thirdRepeat: rep, thirdInner: inner, reduction: .sum,
                                                           out: out))
                    }
                }
                expectLossError(.nullPointer, mentions: "var") { () throws(LossError) in
                    try gaussianNLLLoss(OperandBuffers(first: p.baseAddress, second: p.baseAddress, third: nil, count: 4,
                                                       reduction: .sum, out: out))
                }
            }
        }
    }
}
