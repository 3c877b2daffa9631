// Tests of the elementwise regression losses (l1, mse, smooth_l1, huber) through the Swift
// array API: values and fused gradients against float64 references written from the
// formulas, finite differences, reductions, weights, kinks, NaN/Inf, empty inputs,
// grad_output and the errors of bad sizes and options.
import Testing
@testable import LossCore

@Suite("Elementwise, regression: values and gradients against float64 references")
struct RegressionReferenceTests {
    static let reductions: [Reduction] = [.none, .mean, .sum]

    func check<T: LossScalar>(_ loss: Loss, _: T.Type, weighted: Bool, withGradOutput: Bool) throws {
        let n = 101
        let (xd, yd) = smoothData(loss, count: n, seed: 42)
        var rng = SplitMix64(seed: 7)
        let x = cast(xd, to: T.self), y = cast(yd, to: T.self)
        let w: [T]? = weighted ? cast(rng.values(n, 0.1, 2), to: T.self) : nil
        let tol = tolerance(T.self)
        for reduction in Self.reductions {
            let go: [T]? = withGradOutput
                ? cast(rng.values(reduction == .none ? n : 1, -2, 2), to: T.self) : nil
            let want = reference(loss, widen(x), widen(y), weight: w.map(widen), reduction: reduction,
                                 gradOutput: go.map(widen))
            let context = "\(loss) \(T.self) \(reduction) weighted=\(weighted) gradOutput=\(withGradOutput)"
            let (value, grad) = try lossAndGrad(loss, x, y, weight: w, reduction: reduction, gradOutput: go)
            if reduction == .none {
                #expect(value.scalar == nil, "\(context): 'none' must be elementwise")
            } else {
                #expect(value.scalar != nil, "\(context): a reduction must give one value")
            }
            expectClose(value.values, want.values, rel: tol, "\(context) value")
            expectClose(grad, want.grad, rel: tol, abs: 1e-300, "\(context) grad")
            // The loss alone is the same as the fused call's loss.
            let alone = try lossOnly(loss, x, y, weight: w, reduction: reduction)
            expectClose(alone.values, widen(value.values), rel: tol, "\(context) loss-only vs fused")
        }
    }

    @Test(arguments: Loss.all, DType.allCases)
    func unweighted(loss: Loss, dtype: DType) throws {
        switch dtype {
        case .f32:
            try check(loss, Float.self, weighted: false, withGradOutput: false)
            try check(loss, Float.self, weighted: false, withGradOutput: true)
        case .f64:
            try check(loss, Double.self, weighted: false, withGradOutput: false)
            try check(loss, Double.self, weighted: false, withGradOutput: true)
        }
    }

    @Test(arguments: Loss.weighted, DType.allCases)
    func weighted(loss: Loss, dtype: DType) throws {
        switch dtype {
        case .f32:
            try check(loss, Float.self, weighted: true, withGradOutput: false)
            try check(loss, Float.self, weighted: true, withGradOutput: true)
        case .f64:
            try check(loss, Double.self, weighted: true, withGradOutput: false)
            try check(loss, Double.self, weighted: true, withGradOutput: true)
        }
    }

    /// The tutorial's MAE / MSE example, by hand.
    @Test func tutorialExample() throws {
        let pred = [0.000, 0.100, 0.200], truth = [0.000, 0.200, 0.250]
        let mae = try #require(try l1Loss(pred, truth).scalar)
        #expect(isClose(mae, (0.1 + 0.05) / 3, rel: 1e-15))
        let mse = try #require(try mseLoss(pred, truth).scalar)
        #expect(isClose(mse, (0.01 + 0.0025) / 3, rel: 1e-14))
        let (_, grad) = try l1LossAndGrad(pred, truth)
        #expect(grad == [0, -1.0 / 3, -1.0 / 3])
    }

    /// Weighted means, by hand: l1 and mse divide by sum(w), huber by n (torch's rule).
    @Test(arguments: DType.allCases)
    func weightedMeanDenominators(dtype: DType) throws {
        func run<T: LossScalar>(_: T.Type) throws {
            let x: [T] = [1, 2, 3], y: [T] = [0, 0, 0], w: [T] = [1, 2, 3]
            let tol = tolerance(T.self)
            // l1: sum w|d| = 1 + 4 + 9 = 14, mean = 14 / 6.
            var (v, g) = try l1LossAndGrad(x, y, weight: w, reduction: .mean)
            #expect(isClose(Double(v.scalar!), 14.0 / 6, rel: tol))
            expectClose(g, [1.0 / 6, 2.0 / 6, 3.0 / 6], rel: tol, "l1 weighted mean grad")
            // mse: sum w d^2 = 1 + 8 + 27 = 36, mean = 6; grad = 2 w d / 6.
            (v, g) = try mseLossAndGrad(x, y, weight: w, reduction: .mean)
            #expect(isClose(Double(v.scalar!), 6, rel: tol))
            expectClose(g, [2.0 / 6, 8.0 / 6, 18.0 / 6], rel: tol, "mse weighted mean grad")
            // huber (delta 1): l = 0.5, 1.5, 2.5; w l = 0.5, 3, 7.5; mean = 11 / 3 (n, not sum w).
            (v, g) = try huberLossAndGrad(x, y, reduction: .mean, delta: 1, weight: w)
            #expect(isClose(Double(v.scalar!), 11.0 / 3, rel: tol))
            expectClose(g, [1.0 / 3, 2.0 / 3, 3.0 / 3], rel: tol, "huber weighted mean grad")
            // 'sum' is the same numerators.
            #expect(isClose(Double(try l1Loss(x, y, weight: w, reduction: .sum).scalar!), 14, rel: tol))
            #expect(isClose(Double(try mseLoss(x, y, weight: w, reduction: .sum).scalar!), 36, rel: tol))
            #expect(isClose(Double(try huberLoss(x, y, reduction: .sum, weight: w).scalar!), 11, rel: tol))
            // 'none' is w * l.
            #expect(try l1Loss(x, y, weight: w, reduction: .none).values == [1, 4, 9])
            #expect(try mseLoss(x, y, weight: w, reduction: .none).values == [1, 8, 27])
            #expect(try huberLoss(x, y, reduction: .none, weight: w).values == [0.5, 3, 7.5])
        }
        switch dtype {
        case .f32: try run(Float.self)
        case .f64: try run(Double.self)
        }
    }

    /// 'sum' == 'mean' * n (or * sum(w) for weighted l1/mse), values and gradients.
    @Test(arguments: Loss.all, DType.allCases)
    func sumIsMeanTimesDenominator(loss: Loss, dtype: DType) throws {
        func run<T: LossScalar>(_: T.Type, weighted: Bool) throws {
            let n = 257
            let (xd, yd) = smoothData(loss, count: n, seed: 3)
            var rng = SplitMix64(seed: 11)
            let x = cast(xd, to: T.self), y = cast(yd, to: T.self)
            let w: [T]? = weighted ? cast(rng.values(n, 0, 3), to: T.self) : nil
            let denominator = (weighted && loss.weightedMeanDividesByWeightSum)
                ? widen(w!).reduce(0, +) : Double(n)
            let (mean, gMean) = try lossAndGrad(loss, x, y, weight: w, reduction: .mean)
            let (sum, gSum) = try lossAndGrad(loss, x, y, weight: w, reduction: .sum)
            let tol = T.self == Float.self ? 1e-6 : 1e-13
            #expect(isClose(Double(sum.scalar!), Double(mean.scalar!) * denominator, rel: tol),
                    "\(loss) \(T.self) weighted=\(weighted): sum \(sum.scalar!) vs mean \(mean.scalar!) * \(denominator)")
            expectClose(gSum, gMean.map { Double($0) * denominator }, rel: tol * 4, abs: 1e-300,
                        "\(loss) \(T.self) grad(sum) vs grad(mean) * denominator")
        }
        switch dtype {
        case .f32:
            try run(Float.self, weighted: false)
            if loss.acceptsWeight { try run(Float.self, weighted: true) }
        case .f64:
            try run(Double.self, weighted: false)
            if loss.acceptsWeight { try run(Double.self, weighted: true) }
        }
    }

    /// Known identities between the losses (torch's definitions).
    @Test(arguments: [0.5, 1.0, 2.0])
    func huberIsDeltaTimesSmoothL1(delta: Double) throws {
        let (x, y) = smoothData(.huber(delta: delta), count: 64, seed: 5)
        for reduction in Self.reductions {
            let (h, hg) = try huberLossAndGrad(x, y, reduction: reduction, delta: delta)
            let (s, sg) = try smoothL1LossAndGrad(x, y, reduction: reduction, beta: delta)
            expectClose(h.values, s.values.map { delta * $0 }, rel: 1e-13, "huber vs delta * smooth_l1 \(reduction)")
            expectClose(hg, sg.map { delta * $0 }, rel: 1e-13, abs: 1e-300, "grad huber vs delta * smooth_l1 \(reduction)")
        }
    }

    @Test func huberWithInfiniteDeltaIsHalfMSE() throws {
        let (x, y) = smoothData(.mse, count: 50, seed: 9)
        let (h, hg) = try huberLossAndGrad(x, y, reduction: .sum, delta: .infinity)
        let (m, mg) = try mseLossAndGrad(x, y, reduction: .sum)
        #expect(isClose(h.scalar!, 0.5 * m.scalar!, rel: 1e-13))
        expectClose(hg, mg.map { 0.5 * $0 }, rel: 1e-13, "grad")
    }
}

@Suite("Elementwise, regression: finite-difference gradient checks")
struct FiniteDifferenceTests {
    /// The scalar that backprop differentiates: the reduced loss times grad_output, or
    /// sum_i grad_output_i * loss_i for 'none'.
    func objective(_ loss: Loss, _ x: [Double], _ y: [Double], _ w: [Double]?, _ reduction: Reduction,
                   _ go: [Double]) throws -> Double {
        let values = try lossOnly(loss, x, y, weight: w, reduction: reduction).values
        return zip(values, go).reduce(0) { $0 + $1.0 * $1.1 }
    }

    @Test(arguments: Loss.all)
    func centralDifferences(loss: Loss) throws {
        let n = 16
        let (x, y) = smoothData(loss, count: n, seed: 1234, margin: 1e-3)
        var rng = SplitMix64(seed: 99)
        let weights: [[Double]?] = loss.acceptsWeight ? [nil, rng.values(n, 0.2, 2)] : [nil]
        for w in weights {
            for reduction in [Reduction.none, .mean, .sum] {
                let go = rng.values(reduction == .none ? n : 1, 0.5, 2)
                let (_, grad) = try lossAndGrad(loss, x, y, weight: w, reduction: reduction, gradOutput: go)
                let h = 1e-6
                for i in 0..<n {
                    var xp = x, xm = x
                    xp[i] += h
                    xm[i] -= h
                    let fd = (try objective(loss, xp, y, w, reduction, go) - objective(loss, xm, y, w, reduction, go)) / (2 * h)
                    #expect(isClose(grad[i], fd, rel: 1e-6, abs: 1e-7),
                            "\(loss) \(reduction) weighted=\(w != nil) [\(i)]: analytic \(grad[i]), finite difference \(fd)")
                }
            }
        }
    }

    /// The gradient with respect to the input is minus the gradient with respect to the
    /// target (the loss depends on d = x - y): checked by differencing the target.
    @Test(arguments: Loss.all)
    func gradientIsMinusTargetDerivative(loss: Loss) throws {
        let (x, y) = smoothData(loss, count: 8, seed: 77, margin: 1e-3)
        let (_, grad) = try lossAndGrad(loss, x, y, reduction: .sum)
        let h = 1e-6
        for i in 0..<x.count {
            var yp = y, ym = y
            yp[i] += h
            ym[i] -= h
            let fd = (try lossOnly(loss, x, yp, reduction: .sum).scalar! - lossOnly(loss, x, ym, reduction: .sum).scalar!) / (2 * h)
            #expect(isClose(grad[i], -fd, rel: 1e-6, abs: 1e-7), "\(loss) [\(i)]: \(grad[i]) vs \(-fd)")
        }
    }
}

@Suite("Elementwise, regression: kinks, NaN and infinities")
struct KinkTests {
    @Test(arguments: DType.allCases)
    func zeroDifferenceHasZeroGradient(dtype: DType) throws {
        func run<T: LossScalar>(_: T.Type) throws {
            let x: [T] = [0, 1.5, -2], y: [T] = [0, 1.5, -2]
            for loss in Loss.all {
                for reduction in [Reduction.none, .mean, .sum] {
                    let (v, g) = try lossAndGrad(loss, x, y, reduction: reduction)
                    #expect(v.values.allSatisfy { $0 == 0 }, "\(loss) \(T.self) \(reduction): value \(v.values)")
                    #expect(g.allSatisfy { $0 == 0 }, "\(loss) \(T.self) \(reduction): |x|'s gradient at 0 must be 0, got \(g)")
                }
            }
        }
        switch dtype {
        case .f32: try run(Float.self)
        case .f64: try run(Double.self)
        }
    }

    /// l1's gradient is torch's sgn(d), which is 0 where d is NaN; the value is NaN.
    @Test(arguments: DType.allCases)
    func l1NaNDifferenceHasZeroGradient(dtype: DType) throws {
        func run<T: LossScalar>(_: T.Type) throws {
            let x: [T] = [.nan, 1, .infinity, 2], y: [T] = [0, .nan, .infinity, 0]
            let (v, g) = try l1LossAndGrad(x, y, reduction: .none)
            #expect(v.values[0].isNaN && v.values[1].isNaN && v.values[2].isNaN && v.values[3] == 2)
            #expect(g == [0, 0, 0, 1], "sgn(NaN) is 0: got \(g)")
            let (m, gm) = try l1LossAndGrad(x, y, reduction: .mean)
            #expect(m.scalar!.isNaN)
            #expect(gm == [0, 0, 0, 0.25], "got \(gm)")
            let (_, gs) = try l1LossAndGrad(x, y, weight: [1, 1, 1, 3], reduction: .sum)
            #expect(gs == [0, 0, 0, 3], "got \(gs)")
        }
        switch dtype {
        case .f32: try run(Float.self)
        case .f64: try run(Double.self)
        }
    }

    /// smooth_l1 with beta = 0 is exactly l1, value and gradient, NaN and 0 included.
    @Test(arguments: DType.allCases)
    func smoothL1WithBetaZeroIsL1(dtype: DType) throws {
        func run<T: LossScalar>(_: T.Type) throws {
            var rng = SplitMix64(seed: 21)
            var x = cast(rng.values(40), to: T.self), y = cast(rng.values(40), to: T.self)
            x += [0, .nan, 1, .infinity, -.infinity, 3]
            y += [0, 0, .nan, 0, 0, 3]
            for reduction in [Reduction.none, .mean, .sum] {
                let go: [T] = cast(rng.values(reduction == .none ? x.count : 1, -2, 2), to: T.self)
                let (s, sg) = try smoothL1LossAndGrad(x, y, reduction: reduction, beta: 0, gradOutput: go)
                let (l, lg) = try l1LossAndGrad(x, y, reduction: reduction, gradOutput: go)
                #expect(bitsEqual(s.values, l.values), "\(T.self) \(reduction): \(s.values) vs \(l.values)")
                #expect(bitsEqual(sg, lg), "\(T.self) \(reduction): gradients \(sg) vs \(lg)")
            }
        }
        switch dtype {
        case .f32: try run(Float.self)
        case .f64: try run(Double.self)
        }
    }

    /// smooth_l1 (beta > 0), huber and mse propagate a NaN difference into the gradient
    /// (torch's backward kernels compute x / beta, x and 2x there).
    @Test(arguments: [Loss.smoothL1(beta: 1), .smoothL1(beta: 0.25), .huber(delta: 1), .huber(delta: 3), .mse],
          DType.allCases)
    func nanPropagatesIntoGradient(loss: Loss, dtype: DType) throws {
        func run<T: LossScalar>(_: T.Type) throws {
            let x: [T] = [.nan, 0.5, 4, 1], y: [T] = [0, 0, 0, .nan]
            let want = reference(loss, widen(x), widen(y), reduction: .none)
            let (v, g) = try lossAndGrad(loss, x, y, reduction: .none)
            #expect(v.values[0].isNaN && v.values[3].isNaN)
            #expect(g[0].isNaN && g[3].isNaN, "\(loss) \(T.self): NaN must propagate into the gradient, got \(g)")
            expectClose([g[1], g[2]], [want.grad[1], want.grad[2]], rel: tolerance(T.self), "\(loss) finite entries")
            let (m, gm) = try lossAndGrad(loss, x, y, reduction: .mean)
            #expect(m.scalar!.isNaN)
            #expect(gm[0].isNaN && gm[3].isNaN && !gm[1].isNaN && !gm[2].isNaN, "\(loss) \(T.self): \(gm)")
        }
        switch dtype {
        case .f32: try run(Float.self)
        case .f64: try run(Double.self)
        }
    }

    /// At |d| == beta (delta) torch's backward takes the outer branch; both branches agree
    /// there, and the value is continuous.
    @Test(arguments: DType.allCases)
    func branchBoundaries(dtype: DType) throws {
        func run<T: LossScalar>(_: T.Type) throws {
            let x: [T] = [0.5, -0.5, 2, -2], y: [T] = [0, 0, 0, 0]
            let (s, sg) = try smoothL1LossAndGrad(x, y, reduction: .none, beta: 0.5)
            #expect(s.values == [0.25, 0.25, 1.75, 1.75])
            #expect(sg == [1, -1, 1, -1])
            let (h, hg) = try huberLossAndGrad(x, y, reduction: .none, delta: 2)
            #expect(h.values == [0.125, 0.125, 2, 2])
            #expect(hg == [0.5, -0.5, 2, -2])
        }
        switch dtype {
        case .f32: try run(Float.self)
        case .f64: try run(Double.self)
        }
    }

    @Test(arguments: DType.allCases)
    func infinities(dtype: DType) throws {
        func run<T: LossScalar>(_: T.Type) throws {
            let x: [T] = [.infinity, -.infinity], y: [T] = [0, 0]
            var (v, g) = try l1LossAndGrad(x, y, reduction: .none)
            #expect(v.values == [.infinity, .infinity] && g == [1, -1])
            (v, g) = try mseLossAndGrad(x, y, reduction: .none)
            #expect(v.values == [.infinity, .infinity] && g == [.infinity, -.infinity])
            (v, g) = try smoothL1LossAndGrad(x, y, reduction: .none, beta: 1)
            #expect(v.values == [.infinity, .infinity] && g == [1, -1])
            (v, g) = try huberLossAndGrad(x, y, reduction: .none, delta: 1.5)
            #expect(v.values == [.infinity, .infinity] && g == [1.5, -1.5])
            (v, g) = try huberLossAndGrad(x, y, reduction: .sum, delta: 1.5)
            #expect(v.scalar == .infinity && g == [1.5, -1.5])
        }
        switch dtype {
        case .f32: try run(Float.self)
        case .f64: try run(Double.self)
        }
    }
}

@Suite("Elementwise, regression: empty inputs and grad_output")
struct EmptyAndGradOutputTests {
    @Test(arguments: Loss.all, DType.allCases)
    func emptyInput(loss: Loss, dtype: DType) throws {
        func run<T: LossScalar>(_: T.Type) throws {
            let empty: [T] = []
            let weights: [[T]?] = loss.acceptsWeight ? [nil, []] : [nil]
            for w in weights {
                let (mean, gMean) = try lossAndGrad(loss, empty, empty, weight: w, reduction: .mean)
                #expect(mean.scalar?.isNaN == true, "\(loss) \(T.self): mean of nothing is NaN, got \(mean)")
                #expect(gMean.isEmpty)
                let (sum, gSum) = try lossAndGrad(loss, empty, empty, weight: w, reduction: .sum)
                #expect(sum.scalar == 0, "\(loss) \(T.self): sum of nothing is 0, got \(sum)")
                #expect(gSum.isEmpty)
                let (none, gNone) = try lossAndGrad(loss, empty, empty, weight: w, reduction: .none)
                #expect(none == .elementwise([]) && gNone.isEmpty)
                #expect(try lossOnly(loss, empty, empty, weight: w, reduction: .mean).scalar?.isNaN == true)
                #expect(try lossOnly(loss, empty, empty, weight: w, reduction: .sum).scalar == 0)
            }
        }
        switch dtype {
        case .f32: try run(Float.self)
        case .f64: try run(Double.self)
        }
    }

    @Test(arguments: Loss.all, DType.allCases)
    func gradOutputScalesTheGradient(loss: Loss, dtype: DType) throws {
        func run<T: LossScalar>(_: T.Type) throws {
            let n = 33
            let (xd, yd) = smoothData(loss, count: n, seed: 17)
            let x = cast(xd, to: T.self), y = cast(yd, to: T.self)
            let tol = tolerance(T.self)
            for reduction in [Reduction.mean, .sum] {
                let (v1, g1) = try lossAndGrad(loss, x, y, reduction: reduction)
                for scale in [2.5, -0.75, 0] {
                    let (v, g) = try lossAndGrad(loss, x, y, reduction: reduction, gradOutput: [T(scale)])
                    #expect(bitsEqual(v.values, v1.values), "grad_output must not change the loss")
                    expectClose(g, g1.map { scale * Double($0) }, rel: tol, abs: 1e-300,
                                "\(loss) \(T.self) \(reduction) grad_output \(scale)")
                }
            }
            var rng = SplitMix64(seed: 5)
            let go = cast(rng.values(n, -2, 2), to: T.self)
            let (v1, g1) = try lossAndGrad(loss, x, y, reduction: .none)
            let (v, g) = try lossAndGrad(loss, x, y, reduction: .none, gradOutput: go)
            #expect(bitsEqual(v.values, v1.values))
            expectClose(g, (0..<n).map { Double(go[$0]) * Double(g1[$0]) }, rel: tol, abs: 1e-300,
                        "\(loss) \(T.self) none: elementwise grad_output")
        }
        switch dtype {
        case .f32: try run(Float.self)
        case .f64: try run(Double.self)
        }
    }
}

@Suite("Elementwise, regression: errors")
struct RegressionErrorTests {
    @Test(arguments: Loss.all)
    func mismatchedSizes(loss: Loss) {
        let x = [1.0, 2, 3]
        expectLossError(.shape, mentions: "target") { () throws(LossError) in
            _ = try lossOnly(loss, x, [1, 2], reduction: .mean)
        }
        expectLossError(.shape, mentions: "target") { () throws(LossError) in
            _ = try lossAndGrad(loss, x, [1, 2, 3, 4], reduction: .sum)
        }
        if loss.acceptsWeight {
            expectLossError(.shape, mentions: "weight") { () throws(LossError) in
                _ = try lossOnly(loss, x, x, weight: [1, 1], reduction: .mean)
            }
            expectLossError(.shape, mentions: "weight") { () throws(LossError) in
                _ = try lossAndGrad(loss, x, x, weight: [1, 1, 1, 1], reduction: .none)
            }
        }
        expectLossError(.shape, mentions: "grad_output") { () throws(LossError) in
            _ = try lossAndGrad(loss, x, x, reduction: .none, gradOutput: [1, 1])
        }
        expectLossError(.shape, mentions: "grad_output") { () throws(LossError) in
            _ = try lossAndGrad(loss, x, x, reduction: .mean, gradOutput: [1, 1])
        }
        expectLossError(.shape, mentions: "grad_output") { () throws(LossError) in
            _ = try lossAndGrad(loss, x, x, reduction: .sum, gradOutput: [])
        }
    }

    @Test(arguments: [-1.0, -1e-300, -.infinity, .nan])
    func badBeta(beta: Double) {
        expectLossError(.invalidArgument, mentions: "beta") { () throws(LossError) in
            _ = try smoothL1Loss([1.0], [0.0], beta: beta)
        }
        expectLossError(.invalidArgument, mentions: "beta") { () throws(LossError) in
            _ = try smoothL1LossAndGrad([Float(1)], [0], reduction: .none, beta: beta)
        }
        // Checked even when there is nothing to compute.
        expectLossError(.invalidArgument, mentions: "beta") { () throws(LossError) in
            _ = try smoothL1Loss([Double](), [], beta: beta)
        }
    }

    @Test func goodBeta() throws {
        #expect(try smoothL1Loss([1.0], [0.0], beta: 0).scalar == 1)
        #expect(try smoothL1Loss([1.0], [0.0], beta: .infinity).scalar == 0)
    }

    @Test(arguments: [0.0, -0.0, -1.0, -.infinity, .nan])
    func badDelta(delta: Double) {
        expectLossError(.invalidArgument, mentions: "delta") { () throws(LossError) in
            _ = try huberLoss([1.0], [0.0], delta: delta)
        }
        expectLossError(.invalidArgument, mentions: "delta") { () throws(LossError) in
            _ = try huberLossAndGrad([Float(1)], [0], reduction: .sum, delta: delta, weight: [2])
        }
        expectLossError(.invalidArgument, mentions: "delta") { () throws(LossError) in
            _ = try huberLoss([Double](), [], delta: delta)
        }
    }

    @Test func unknownReduction() {
        for raw: Int32 in [3, 7, -1, .max, .min] {
            expectLossError(.invalidArgument, mentions: "reduction") { () throws(LossError) in
                _ = try Check.reduction(raw)
            }
        }
        #expect(Reduction(rawValue: 0) == Reduction.none)
        #expect(Reduction(rawValue: 1) == .mean)
        #expect(Reduction(rawValue: 2) == .sum)
    }
}

@Suite("Elementwise, regression: the 16-lane formulas")
struct RegressionLaneTests {
    /// Differences d = x - y that cover every branch and special value of the formulas:
    /// zeros of both signs, the kinks at ±1 and ±0.25 (the betas below) and just beside
    /// them, infinities, NaN, extremes, then ordinary values.
    static func inputs() -> (x: [Float], y: [Float]) {
        let special: [Float] = [0, -0.0, 1, -1, 0.25, -0.25, Float(1).nextUp, Float(-1).nextDown, Float(0.25).nextDown,
                                3, -3, .infinity, -.infinity, .nan, .greatestFiniteMagnitude,
                                -.greatestFiniteMagnitude, .leastNonzeroMagnitude, 1e-30, 1e30]
        var rng = SplitMix64(seed: 1618)
        var x = special + special.map { _ in 0 }, y = special.map { _ in 0 } + special
        for _ in 0..<1000 {
            x.append(Float(rng.uniform(-4, 4)))
            y.append(Float(rng.uniform(-4, 4)))
        }
        return (x, y)
    }

    /// The lanes must agree bitwise with the one-value formula, loss and derivative, so a
    /// result does not depend on where an element falls (vector body or scalar tail).
    func expectLanesMatch<L: ElementwiseLoss>(_ loss: L, _ name: String) where L.Scalar == Float {
        let (x, y) = Self.inputs()
        for start in stride(from: 0, to: x.count - 15, by: 16) {
            let xs = SIMD16<Float>(x[start..<start + 16]), ys = SIMD16<Float>(y[start..<start + 16])
            let (values, slopes) = loss.lanes(xs, ys, derivative: true)
            let valuesOnly = loss.lanes(xs, ys, derivative: false).0
            for lane in 0..<16 {
                let (l, dl) = loss.valueAndDerivative(x[start + lane], y[start + lane])
                let context = "\(name) x=\(x[start + lane]) y=\(y[start + lane])"
                #expect(bitsEqual([values[lane], valuesOnly[lane]], [l, l]), "\(context): \(values[lane]) vs \(l)")
                #expect(bitsEqual([slopes[lane]], [dl]), "\(context): derivative \(slopes[lane]) vs \(dl)")
            }
        }
    }

    @Test func lanesMatchTheScalarFormulasBitwise() {
        expectLanesMatch(MSE<Float>(), "mse")
        expectLanesMatch(L1<Float>(), "l1")
        // beta 0 is l1 (sgn(NaN) = 0); the reciprocal of 2^126 is still normal.
        for beta: Float in [1, 0.25, 0.3, 0, 0x1p126, .infinity] {
            let loss = SmoothL1<Float, AnyFactor>(beta: beta)
            #expect(loss.hasLanes)
            expectLanesMatch(loss, "smooth_l1(beta=\(beta))")
        }
        // 3e38 has a subnormal reciprocal: it divides, in the one-value formula only.
        #expect(!SmoothL1<Float, AnyFactor>(beta: 3e38).hasLanes)
        for delta: Float in [1, 0.25, 3, .infinity] {
            expectLanesMatch(Huber<Float, AnyFactor>(delta: delta), "huber(delta=\(delta))")
        }
        // The default parameters' kernels leave the multiplication by 1 out.
        expectLanesMatch(SmoothL1<Float, UnitFactor>(beta: 1), "smooth_l1(beta=1, unit)")
        expectLanesMatch(Huber<Float, UnitFactor>(delta: 1), "huber(delta=1, unit)")
    }

    /// Unweighted float32 calls take the lanes for whole vectors (the reduced forward
    /// adds them without a buffer): 'none' values and gradients equal the one-value
    /// formula elementwise, and 'sum' equals the float64 sum of those values.
    /// (The default parameters, 1, run kernels without the multiplication by them; the
    /// formula here multiplies: v * 1 == v exactly, so they agree bitwise too.)
    @Test(arguments: [Loss.mse, .l1, .smoothL1(beta: 0.3), .smoothL1(beta: 3e38), .smoothL1(beta: 1),
                      .huber(delta: 0.25), .huber(delta: 1)])
    func callsAgreeWithTheScalarFormula(loss: Loss) throws {
        var rng = SplitMix64(seed: 99)
        for count in [15, 16, 63, 64, 65, 1000, 40_000] {
            let x = (0..<count).map { _ in Float(rng.uniform(-3, 3)) }
            let y = (0..<count).map { _ in Float(rng.uniform(-3, 3)) }
            let formula: (Float, Float) -> (Float, Float) = switch loss {
            case .mse: MSE<Float>().valueAndDerivative
            case .l1: L1<Float>().valueAndDerivative
            case .smoothL1(let beta): SmoothL1<Float, AnyFactor>(beta: Float(beta)).valueAndDerivative
            case .huber(let delta): Huber<Float, AnyFactor>(delta: Float(delta)).valueAndDerivative
            }
            let want = zip(x, y).map(formula)
            let upstream = (0..<count).map { _ in Float(rng.uniform(-2, 2)) }
            let (none, grad) = try lossAndGrad(loss, x, y, weight: nil, reduction: .none, gradOutput: upstream)
            #expect(bitsEqual(none.values, want.map(\.0)), "\(loss) n=\(count): 'none' values")
            #expect(bitsEqual(grad, zip(upstream, want).map { $0 * $1.1 }), "\(loss) n=\(count): 'none' gradient")
            let (sum, sumGrad) = try lossAndGrad(loss, x, y, weight: nil, reduction: .sum, gradOutput: nil)
            #expect(bitsEqual(sumGrad, want.map(\.1)), "\(loss) n=\(count): 'sum' gradient")
            let exact = want.reduce(0.0) { $0 + Double($1.0) }
            #expect(abs(Double(sum.values[0]) - exact) <= 1e-6 * exact, "\(loss) n=\(count): \(sum.values[0]) vs \(exact)")
            let alone = try lossOnly(loss, x, y, weight: nil, reduction: .sum)
            #expect(alone.values[0] == sum.values[0], "\(loss) n=\(count): loss-only 'sum'")
        }
    }
}
