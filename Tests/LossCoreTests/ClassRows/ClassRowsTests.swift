// Tests of the class-row losses (softmax family) through the Swift array API: crossEntropy(AndGrad) with class
// indices and probabilities, nllLoss(AndGrad) and focalLoss(AndGrad), against float64
// references written in this file from torch's definitions (never from the kernels), central
// finite differences, ignore_index, the (N, C, d1...dk) layout, thrown LossError kinds, and
// bitwise determinism across thread counts.
//
// Helpers here are file-private and prefixed so they cannot clash with other test files.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing
@testable import LossCore

// MARK: - Data

// Deterministic data: SplitMix64 from TestSupport.swift.

/// Which loss of the family, with its option.
enum SoftmaxKind: CustomStringConvertible, Sendable {
    case crossEntropy(smoothing: Double)
    case probabilities(smoothing: Double)
    case nll
    case focal(gamma: Double)

    var description: String {
        switch self {
        case .crossEntropy(let s): "cross_entropy(label_smoothing=\(s))"
        case .probabilities(let s): "cross_entropy_probs(label_smoothing=\(s))"
        case .nll: "nll_loss"
        case .focal(let g): "focal_loss(gamma=\(g))"
        }
    }

    var usesIndices: Bool {
        if case .probabilities = self { return false }
        return true
    }

    static let all: [SoftmaxKind] = [
        .crossEntropy(smoothing: 0), .crossEntropy(smoothing: 0.1), .crossEntropy(smoothing: 1),
        .probabilities(smoothing: 0), .probabilities(smoothing: 0.25),
        .nll,
        .focal(gamma: 0), .focal(gamma: 0.5), .focal(gamma: 1), .focal(gamma: 2), .focal(gamma: 5),
    ]
}

enum SoftmaxDType: String, CaseIterable, CustomStringConvertible, Sendable {
    case f32, f64
    var description: String { rawValue }
}

/// One call's data in float64: input is n x c x inner, row-major (torch's (N, C, d1...dk)).
private struct SoftmaxProblem {
    var x: [Double]
    var n: Int, c: Int, inner: Int
    var target: [Int64] = []   // n x inner class indices
    var probs: [Double] = []   // n x c x inner probabilities
    var weight: [Double]? = nil
    var ignoreIndex: Int64 = -100

    var positions: Int { n * inner }
    func index(_ p: Int, _ j: Int) -> Int { ((p / inner) * c + j) * inner + p % inner }

    static func random(_ rng: inout SplitMix64, n: Int, c: Int, inner: Int, weighted: Bool,
                       ignoreIndex: Int64 = -100, ignoreShare: Double = 0, scale: Double = 3) -> SoftmaxProblem {
        var pr = SoftmaxProblem(x: rng.values(n * c * inner, -scale, scale), n: n, c: c, inner: inner)
        pr.target = (0..<(n * inner)).map { _ in
            rng.uniform(0, 1) < ignoreShare ? ignoreIndex : Int64(rng.int(c))
        }
        // probabilities: a softmax of random scores at each position
        pr.probs = [Double](repeating: 0, count: n * c * inner)
        for p in 0..<pr.positions {
            let z = (0..<c).map { _ in exp(rng.uniform(-2, 2)) }
            let s = z.reduce(0, +)
            for j in 0..<c { pr.probs[pr.index(p, j)] = z[j] / s }
        }
        if weighted { pr.weight = rng.values(c, 0.2, 2) }
        pr.ignoreIndex = ignoreIndex
        return pr
    }
}

// MARK: - Float64 references (torch's definitions)

/// The per-position losses ('none'), or the reduced value, and d(result)/d(input) scaled by
/// gradOutput, in float64.
private func softmaxReference(_ kind: SoftmaxKind, _ pr: SoftmaxProblem, reduction: Reduction,
                              gradOutput: [Double]? = nil) -> (values: [Double], grad: [Double]) {
    let c = pr.c
    let w = pr.weight ?? [Double](repeating: 1, count: c)
    let wTotal = w.reduce(0, +)
    var losses = [Double](repeating: 0, count: pr.positions)
    var grads = [Double](repeating: 0, count: pr.x.count) // unscaled d loss_p / d x
    var denominator = 0.0
    for p in 0..<pr.positions {
        let row = (0..<c).map { pr.x[pr.index(p, $0)] }
        let m = row.max()!
        let e = row.map { exp($0 - m) }
        let total = e.reduce(0, +)
        let logSum = log(total)
        let logp = row.map { ($0 - m) - logSum }
        let prob = e.map { $0 / total }
        var d = [Double](repeating: 0, count: c)
        if case .probabilities(let eps) = kind {
            let wq = (0..<c).map { w[$0] * ((1 - eps) * pr.probs[pr.index(p, $0)] + eps / Double(c)) }
            let mass = wq.reduce(0, +)
            losses[p] = -(0..<c).reduce(0.0) { $0 + wq[$1] * logp[$1] }
            for j in 0..<c { d[j] = prob[j] * mass - wq[j] }
            denominator += 1
        } else {
            let label = pr.target[p]
            if label == pr.ignoreIndex { continue }
            let t = Int(label)
            let wt = w[t]
            denominator += wt
            switch kind {
            case .nll:
                losses[p] = -wt * row[t]
                d[t] = -wt
            case .crossEntropy(let eps):
                let smooth = -(0..<c).reduce(0.0) { $0 + w[$1] * logp[$1] }
                losses[p] = (1 - eps) * (-wt * logp[t]) + eps / Double(c) * smooth
                for j in 0..<c {
                    d[j] = (1 - eps) * wt * (prob[j] - (j == t ? 1 : 0)) + eps / Double(c) * (wTotal * prob[j] - w[j])
                }
            case .focal(let gamma):
                // 1 - p_t from the other classes, so extreme rows keep their precision
                let q = (0..<c).reduce(0.0) { $0 + ($1 == t ? 0 : e[$1]) } / total
                let pt = prob[t]
                let focus = gamma == 0 ? 1 : pow(q, gamma)
                losses[p] = -wt * focus * logp[t]
                // A = q^g - g p_t q^(g-1) log p_t = q^g (1 - g p_t log p_t / q); log p_t / q -> -1 as q -> 0
                let r = q > 0 ? logp[t] / q : -1
                let a = focus * (1 - gamma * pt * r)
                for j in 0..<c { d[j] = wt * a * (prob[j] - (j == t ? 1 : 0)) }
            case .probabilities:
                fatalError("unreachable")
            }
        }
        for j in 0..<c { grads[pr.index(p, j)] = d[j] }
    }
    switch reduction {
    case .none:
        var g = grads
        for i in 0..<g.count {
            let p = (i / (c * pr.inner)) * pr.inner + i % pr.inner
            g[i] *= gradOutput?[p] ?? 1
        }
        return (losses, g)
    case .sum, .mean:
        let total = softmaxKahanSum(losses)
        let scale = (gradOutput?[0] ?? 1) / (reduction == .mean ? denominator : 1)
        // ignored positions have gradient 0 even when every position is ignored (0 / 0 mean), as in torch
        return ([reduction == .mean ? total / denominator : total], grads.map { $0 == 0 ? 0 : $0 * scale })
    }
}

private func softmaxKahanSum(_ values: [Double]) -> Double {
    var total = 0.0, compensation = 0.0
    for v in values {
        let y = v - compensation
        let s = total + y
        compensation = (s - total) - y
        total = s
    }
    return total
}

// MARK: - Calling the API

/// The library's result for `kind` in `T`: the loss and (gradient = true) d/d input.
private func softmaxCall<T: LossScalar>(_ kind: SoftmaxKind, _ pr: SoftmaxProblem, _: T.Type,
                                        reduction: Reduction, gradOutput: [Double]? = nil,
                                        gradient: Bool = true) throws(LossError) -> (loss: LossOutput<T>, grad: [T]) {
    let x = pr.x.map { T($0) }
    let w = pr.weight.map { $0.map { T($0) } }
    let go = gradOutput.map { $0.map { T($0) } }
    switch kind {
    case .crossEntropy(let eps):
        if !gradient {
            return (try crossEntropy(x, pr.target, classes: pr.c, inner: pr.inner, weight: w,
                                     ignoreIndex: pr.ignoreIndex, reduction: reduction, labelSmoothing: eps), [])
        }
        return try crossEntropyAndGrad(x, pr.target, classes: pr.c, inner: pr.inner, weight: w,
                                       ignoreIndex: pr.ignoreIndex, reduction: reduction, labelSmoothing: eps,
                                       gradOutput: go)
    case .probabilities(let eps):
        return try crossEntropyAndGrad(x, probabilities: pr.probs.map { T($0) }, classes: pr.c, inner: pr.inner,
                                       weight: w, reduction: reduction, labelSmoothing: eps, gradOutput: go)
    case .nll:
        if !gradient {
            return (try nllLoss(x, pr.target, classes: pr.c, inner: pr.inner, weight: w,
                                ignoreIndex: pr.ignoreIndex, reduction: reduction), [])
        }
        return try nllLossAndGrad(x, pr.target, classes: pr.c, inner: pr.inner, weight: w,
                                  ignoreIndex: pr.ignoreIndex, reduction: reduction, gradOutput: go)
    case .focal(let gamma):
        if !gradient {
            return (try focalLoss(x, pr.target, classes: pr.c, inner: pr.inner, weight: w, gamma: gamma,
                                  ignoreIndex: pr.ignoreIndex, reduction: reduction), [])
        }
        return try focalLossAndGrad(x, pr.target, classes: pr.c, inner: pr.inner, weight: w, gamma: gamma,
                                    ignoreIndex: pr.ignoreIndex, reduction: reduction, gradOutput: go)
    }
}

// MARK: - Comparisons

/// rel, and abs per unit of the reference's largest magnitude (at least 1).
private func softmaxTolerance<T: LossScalar>(_: T.Type) -> (rel: Double, abs: Double) {
    T.self == Float.self ? (1e-5, 2e-6) : (1e-12, 1e-13)
}

/// expectClose with the class rows' tolerance: abs per unit of the reference's largest
/// finite magnitude (at least 1).
@discardableResult
private func expectSoftmaxClose<T: LossScalar>(_ got: [T], _ want: [Double], _ tol: (rel: Double, abs: Double),
                                               _ what: @autoclosure () -> String,
                                               sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
    let scale = max(1, want.filter(\.isFinite).map { Swift.abs($0) }.max() ?? 1)
    return expectClose(got, want, rel: tol.rel, abs: tol.abs * scale, what(), sourceLocation: sourceLocation)
}

// MARK: - Values and gradients

/// The namespace of this file's suites, so `swift test --filter SoftmaxTests` runs them all.
@Suite("Class rows")
struct SoftmaxTests {}

extension SoftmaxTests {
    @Suite("Class rows: values and gradients against float64 references")
    struct References {
        @Test(arguments: SoftmaxKind.all, SoftmaxDType.allCases)
        func matchesReference(kind: SoftmaxKind, dtype: SoftmaxDType) throws {
            switch dtype {
            case .f32: try check(kind, Float.self)
            case .f64: try check(kind, Double.self)
            }
        }

        private func check<T: LossScalar>(_ kind: SoftmaxKind, _: T.Type) throws {
            var rng = SplitMix64(seed: 11)
            let tol = softmaxTolerance(T.self)
            // (n, c, inner): (C,) unbatched, (N, C), (N, C, d) and a tiny class count
            for (n, c, inner) in [(1, 5, 1), (6, 5, 1), (3, 4, 7), (2, 1, 3), (4, 9, 2)] {
                for weighted in [false, true] {
                    for ignoreIndex: Int64 in [-100, 1] where ignoreIndex < Int64(c) || ignoreIndex == -100 {
                        // cast through T so the reference sees exactly what the library sees
                        var pr = SoftmaxProblem.random(&rng, n: n, c: c, inner: inner, weighted: weighted,
                                                       ignoreIndex: ignoreIndex, ignoreShare: ignoreIndex == -100 ? 0 : 0.3)
                        pr.x = pr.x.map { Double(T($0)) }
                        pr.probs = pr.probs.map { Double(T($0)) }
                        pr.weight = pr.weight?.map { Double(T($0)) }
                        for reduction in Reduction.allCases {
                            let goCount = reduction == .none ? pr.positions : 1
                            let go = rng.values(goCount, -2, 2).map { Double(T($0)) }
                            let context = "\(kind) \(T.self) n=\(n) c=\(c) inner=\(inner) weighted=\(weighted) ignore=\(ignoreIndex) \(reduction)"
                            let want = softmaxReference(kind, pr, reduction: reduction, gradOutput: go)
                            let (loss, grad) = try softmaxCall(kind, pr, T.self, reduction: reduction, gradOutput: go)
                            expectSoftmaxClose(loss.values, want.values, tol, "loss of \(context)")
                            expectSoftmaxClose(grad, want.grad, tol, "gradient of \(context)")
                            if reduction == .none {
                                #expect(loss.scalar == nil && loss.values.count == pr.positions)
                            } else {
                                #expect(loss.scalar != nil)
                            }
                            // default gradOutput (nil) is ones
                            let ones = softmaxReference(kind, pr, reduction: reduction)
                            let (_, gradOnes) = try softmaxCall(kind, pr, T.self, reduction: reduction)
                            expectSoftmaxClose(gradOnes, ones.grad, tol, "gradient (gradOutput nil) of \(context)")
                            // the loss-only entry point
                            if kind.usesIndices {
                                let alone = try softmaxCall(kind, pr, T.self, reduction: reduction, gradient: false).loss
                                expectSoftmaxClose(alone.values, want.values, tol, "loss-only of \(context)")
                            }
                        }
                    }
                }
            }
        }

        @Test(arguments: SoftmaxKind.all)
        func gradientMatchesFiniteDifferences(kind: SoftmaxKind) throws {
            var rng = SplitMix64(seed: 23)
            for (n, c, inner) in [(1, 4, 1), (3, 5, 1), (2, 3, 4)] {
                for reduction in Reduction.allCases {
                    var pr = SoftmaxProblem.random(&rng, n: n, c: c, inner: inner, weighted: true, ignoreIndex: 2,
                                                   ignoreShare: 0.25, scale: 2)
                    if pr.target.allSatisfy({ $0 == 2 }) { pr.target[0] = 0 }
                    let go = rng.values(reduction == .none ? pr.positions : 1, -2, 2)
                    let (_, grad) = try softmaxCall(kind, pr, Double.self, reduction: reduction, gradOutput: go)
                    func objective(_ x: [Double]) throws -> Double {
                        var moved = pr
                        moved.x = x
                        let values = try softmaxCall(kind, moved, Double.self, reduction: reduction).loss.values
                        return zip(values, go).reduce(0) { $0 + $1.0 * $1.1 }
                    }
                    let h = 1e-6
                    var numeric = [Double](repeating: 0, count: pr.x.count)
                    for i in 0..<pr.x.count {
                        var plus = pr.x, minus = pr.x
                        plus[i] += h
                        minus[i] -= h
                        numeric[i] = (try objective(plus) - objective(minus)) / (2 * h)
                    }
                    expectSoftmaxClose(grad, numeric, (1e-5, 1e-6),
                                       "finite differences of \(kind) n=\(n) c=\(c) inner=\(inner) \(reduction)")
                }
            }
        }

        /// float32 goes through the vector kernels: the lane kernels (sixteen positions per
        /// vector: K-dim inputs, staged a tile at a time, and rows of up to 32 classes), which read
        /// targets, weights and target scores by class masks, and the pipelined row kernel
        /// (each row's max computed with the previous row's exp-sum); float64 through the
        /// per-position code. Both must agree, with an ignore_index inside the class range,
        /// outside it, and none present (ignored rows break the row pipeline).
        @Test(arguments: SoftmaxKind.all.filter(\.usesIndices))
        func vectorKernelsMatchPerPositionCode(kind: SoftmaxKind) throws {
            var rng = SplitMix64(seed: 41)
            // (2, 40, 600): full staged tiles (192 positions for 40 classes), a shorter last one
            // and a scalar tail per sample, and a second fixed block (816 positions) that
            // starts inside the first sample.
            for (n, c, inner) in [(2, 5, 40), (64, 7, 1), (3, 21, 33), (40, 45, 1), (2, 3, 70), (2, 40, 600)] {
                for ignoreIndex: Int64 in [2, -100, 1000] {
                    let pr = SoftmaxProblem.random(&rng, n: n, c: c, inner: inner, weighted: ignoreIndex != -100,
                                                   ignoreIndex: ignoreIndex, ignoreShare: 0.2)
                    for reduction in Reduction.allCases {
                        let go = rng.values(reduction == .none ? pr.positions : 1, -2, 2)
                        let (wantLoss, wantGrad) = try softmaxCall(kind, pr, Double.self, reduction: reduction, gradOutput: go)
                        let (loss, grad) = try softmaxCall(kind, pr, Float.self, reduction: reduction, gradOutput: go)
                        let (alone, _) = try softmaxCall(kind, pr, Float.self, reduction: reduction, gradient: false)
                        let what = "\(kind) n=\(n) c=\(c) inner=\(inner) ignore_index=\(ignoreIndex) \(reduction)"
                        expectSoftmaxClose(loss.values, wantLoss.values, (2e-5, 1e-6), "loss of \(what)")
                        expectSoftmaxClose(alone.values, wantLoss.values, (2e-5, 1e-6), "loss-only of \(what)")
                        expectSoftmaxClose(grad, wantGrad.map { $0 }, (2e-5, 1e-6), "gradient of \(what)")
                    }
                }
            }
        }

        /// The row and lane pipelines carry one group's max into the next call; a max
        /// carried to the wrong group would push exp far out of range. Neighbouring rows and
        /// positions here differ in scale by 100x, and ignored ones sit between them.
        @Test(arguments: SoftmaxKind.all.filter(\.usesIndices))
        func pipelinesKeepEachGroupsOwnMax(kind: SoftmaxKind) throws {
            var rng = SplitMix64(seed: 43)
            for (n, c, inner) in [(60, 40, 1), (2, 6, 96)] {
                var pr = SoftmaxProblem.random(&rng, n: n, c: c, inner: inner, weighted: false,
                                               ignoreIndex: -100, ignoreShare: 0.15, scale: 2)
                for p in 0..<pr.positions where (p / (inner == 1 ? 1 : 16)) % 3 == 1 {
                    for j in 0..<c { pr.x[pr.index(p, j)] = pr.x[pr.index(p, j)] * 100 + 300 }
                }
                let (want, wantGrad) = try softmaxCall(kind, pr, Double.self, reduction: .none)
                let (got, grad) = try softmaxCall(kind, pr, Float.self, reduction: .none)
                expectSoftmaxClose(got.values, want.values, (2e-5, 1e-5), "\(kind) n=\(n) c=\(c) inner=\(inner)")
                expectSoftmaxClose(grad, wantGrad, (1e-4, 1e-5), "gradient of \(kind) n=\(n) c=\(c) inner=\(inner)")
            }
        }

        /// An (N, C, d) input gives the same results as its positions laid out as rows of an
        /// (N * d, C) input; tiles of the K-dim path and block boundaries are crossed.
        @Test(arguments: SoftmaxKind.all)
        func kDimLayoutMatchesRows(kind: SoftmaxKind) throws {
            var rng = SplitMix64(seed: 37)
            for (n, c, inner) in [(3, 5, 150), (2, 70, 9), (2, 3, 12_000)] {
                let pr = SoftmaxProblem.random(&rng, n: n, c: c, inner: inner, weighted: true, ignoreIndex: 1,
                                               ignoreShare: 0.1)
                var rows = SoftmaxProblem(x: [], n: n * inner, c: c, inner: 1, target: pr.target, weight: pr.weight,
                                          ignoreIndex: 1)
                rows.x = [Double](repeating: 0, count: pr.x.count)
                rows.probs = rows.x
                for p in 0..<pr.positions {
                    for j in 0..<c {
                        rows.x[p * c + j] = pr.x[pr.index(p, j)]
                        rows.probs[p * c + j] = pr.probs[pr.index(p, j)]
                    }
                }
                let go = rng.values(pr.positions, -2, 2)
                let (kLoss, kGrad) = try softmaxCall(kind, pr, Double.self, reduction: .none, gradOutput: go)
                let (rLoss, rGrad) = try softmaxCall(kind, rows, Double.self, reduction: .none, gradOutput: go)
                expectSoftmaxClose(kLoss.values, rLoss.values.map { Double($0) }, (1e-14, 1e-15),
                                   "\(kind) (\(n), \(c), \(inner)) losses vs rows")
                var back = [Double](repeating: 0, count: kGrad.count)
                for p in 0..<pr.positions { for j in 0..<c { back[pr.index(p, j)] = rGrad[p * c + j] } }
                expectSoftmaxClose(kGrad, back, (1e-14, 1e-15), "\(kind) (\(n), \(c), \(inner)) gradient vs rows")
                // float32 as well, against the float64 reference
                var pr32 = pr
                pr32.x = pr.x.map { Double(Float($0)) }
                pr32.probs = pr.probs.map { Double(Float($0)) }
                pr32.weight = pr.weight?.map { Double(Float($0)) }
                let want = softmaxReference(kind, pr32, reduction: .sum)
                let (sum32, grad32) = try softmaxCall(kind, pr32, Float.self, reduction: .sum)
                expectSoftmaxClose(sum32.values, want.values, (2e-5, 2e-6), "\(kind) (\(n), \(c), \(inner)) float32 sum")
                expectSoftmaxClose(grad32, want.grad, (1e-4, 1e-5), "\(kind) (\(n), \(c), \(inner)) float32 gradient")
                // float32 K-dim (sixteen positions per vector when inner >= 16) vs float32 rows
                var rows32 = rows
                rows32.x = rows.x.map { Double(Float($0)) }
                rows32.probs = rows.probs.map { Double(Float($0)) }
                rows32.weight = pr32.weight
                let (k32, kg32) = try softmaxCall(kind, pr32, Float.self, reduction: .none, gradOutput: go)
                let (r32, rg32) = try softmaxCall(kind, rows32, Float.self, reduction: .none, gradOutput: go)
                expectSoftmaxClose(k32.values, r32.values.map { Double($0) }, (2e-6, 2e-6),
                                   "\(kind) (\(n), \(c), \(inner)) float32 losses vs rows")
                var back32 = [Double](repeating: 0, count: kg32.count)
                for p in 0..<pr.positions { for j in 0..<c { back32[pr.index(p, j)] = Double(rg32[p * c + j]) } }
                expectSoftmaxClose(kg32, back32, (2e-6, 2e-7), "\(kind) (\(n), \(c), \(inner)) float32 gradient vs rows")
            }
        }

        @Test func focalWithGammaZeroIsCrossEntropy() throws {
            var rng = SplitMix64(seed: 41)
            let pr = SoftmaxProblem.random(&rng, n: 7, c: 6, inner: 3, weighted: true, ignoreIndex: 4, ignoreShare: 0.2)
            for reduction in Reduction.allCases {
                let go = rng.values(reduction == .none ? pr.positions : 1)
                let ce = try softmaxCall(.crossEntropy(smoothing: 0), pr, Double.self, reduction: reduction, gradOutput: go)
                let focal = try softmaxCall(.focal(gamma: 0), pr, Double.self, reduction: reduction, gradOutput: go)
                expectSoftmaxClose(focal.loss.values, ce.loss.values.map { $0 }, (1e-13, 1e-14), "loss, \(reduction)")
                expectSoftmaxClose(focal.grad, ce.grad, (1e-13, 1e-14), "gradient, \(reduction)")
            }
        }

        /// gamma = 0 is cross-entropy (header), also where the target's logit is -inf: loss inf,
        /// gradient p - onehot (finite), which is what torch computes for both.
        @Test func focalGammaZeroWithNegativeInfinityLogitIsCrossEntropy() throws {
            let x: [Double] = [-.infinity, 0, 1, 2, 0.5, -1, 2, 0.25]
            let target: [Int64] = [0, 2]
            let ce = try crossEntropyAndGrad(x, target, classes: 4, reduction: .none)
            let focal = try focalLossAndGrad(x, target, classes: 4, gamma: 0, reduction: .none)
            #expect(ce.loss.values[0] == .infinity && focal.loss.values[0] == .infinity)
            let finite = ce.grad.allSatisfy { $0.isFinite }
            #expect(finite, "cross-entropy gradient \(ce.grad)")
            expectSoftmaxClose(focal.grad, ce.grad, (1e-15, 0), "focal (gamma = 0) gradient with a -inf target logit")
        }

        /// torch's 'mean' with label smoothing adds (1 - eps) * nll_sum / W_t and eps * smooth_sum / W_t;
        /// when the kept targets' weights sum to 0 the first is 0/0 = NaN, so the result is NaN
        /// (as for every 'mean' over a zero denominator), not inf.
        @Test(arguments: SoftmaxDType.allCases)
        func labelSmoothingMeanWithZeroTargetWeightIsNaN(dtype: SoftmaxDType) throws {
            func run<T: LossScalar>(_: T.Type) throws {
                let x: [T] = [0.5, -1, 2, 0.1, 0.2, 0.3]
                let w: [T] = [0, 1, 2]
                let plain = try crossEntropy(x, [0, 0], classes: 3, weight: w, reduction: .mean).scalar!
                #expect(plain.isNaN)
                let smoothed = try crossEntropy(x, [0, 0], classes: 3, weight: w, reduction: .mean,
                                                labelSmoothing: 0.2).scalar!
                #expect(smoothed.isNaN, "cross-entropy (label_smoothing 0.2, 'mean', zero target weights): got \(smoothed), torch gives nan")
            }
            switch dtype {
            case .f32: try run(Float.self)
            case .f64: try run(Double.self)
            }
        }

        @Test func tutorialFocalExample() throws {
            let input: [Float] = [0.5688, -1.1567, 1.8231, -0.2724, -1.2335, 0.9968, 0.9643,
                                  -0.1824, 0.3010, 1.7070, 0.8743, 0.4528, 1.4306, -2.3726,
                                  -2.5052, -0.3744, 0.3718, -1.5129, -2.0459, 1.0374, -0.5433]
            let loss = try focalLoss(input, [6, 5, 1], classes: 7, weight: [Float](repeating: 1, count: 7), gamma: 2,
                                     reduction: .none)
            expectSoftmaxClose(loss.values, [1.1599, 0.7283, 1.6924], (0, 2e-4), "the tutorial's focal loss")
        }

        /// Logits of +-800 and +-1e4: finite results; the focal gradient stays finite where
        /// p_t rounds to 1 even for gamma < 1 (torch's is NaN there).
        @Test(arguments: SoftmaxDType.allCases)
        func extremeLogits(dtype: SoftmaxDType) throws {
            let rows: [[Double]] = [[800, -800, 0, 3], [800, -800, 0, 3], [1e4, -1e4, 0, 9970], [-1e4, 1e4, 1e4, -1e4],
                                    [-1e4, -1e4, -1e4, -1e4], [-800, 800, -800, 800], [20, 0, 0, 0], [1e4, 0, 0, 0]]
            let pr = SoftmaxProblem(x: rows.flatMap { $0 }, n: 8, c: 4, inner: 1, target: [0, 1, 0, 1, 3, 0, 0, 0],
                                    probs: rows.flatMap { _ in [0.25, 0.25, 0.25, 0.25] })
            func run<T: LossScalar>(_: T.Type) throws {
                for kind in SoftmaxKind.all {
                    for reduction in Reduction.allCases {
                        let (loss, grad) = try softmaxCall(kind, pr, T.self, reduction: reduction)
                        let finiteLoss = loss.values.allSatisfy { $0.isFinite }
                        let finiteGrad = grad.allSatisfy { $0.isFinite }
                        #expect(finiteLoss, "\(kind) \(T.self) \(reduction): \(loss.values)")
                        #expect(finiteGrad, "\(kind) \(T.self) \(reduction): gradient \(grad)")
                        let want = softmaxReference(kind, pr, reduction: reduction)
                        expectSoftmaxClose(loss.values, want.values, T.self == Float.self ? (1e-6, 1e-7) : (1e-13, 1e-14),
                                           "\(kind) \(T.self) \(reduction) loss")
                        expectSoftmaxClose(grad, want.grad, T.self == Float.self ? (1e-5, 1e-6) : (1e-12, 1e-13),
                                           "\(kind) \(T.self) \(reduction) gradient")
                    }
                }
                // the hand-known values: p_t = 1 -> 0, a 1600 gap -> 1600 (+ log 2 with two maxima), ties -> log 2, log 4
                let ce = try softmaxCall(.crossEntropy(smoothing: 0), pr, T.self, reduction: .none).loss.values
                #expect(ce[0] == 0 && ce[1] == 1600 && ce[7] == 0, "\(ce)")
                #expect(isClose(Double(ce[5]), 1600 + log(2), rel: 1e-7, abs: 0))
                #expect(isClose(Double(ce[3]), log(2), rel: 1e-6, abs: 0))
                #expect(isClose(Double(ce[4]), log(4), rel: 1e-6, abs: 0))
            }
            switch dtype {
            case .f32: try run(Float.self)
            case .f64: try run(Double.self)
            }
        }
    }

    // MARK: - nll_loss's own gather and scatter

    /// nll_loss gathers its values and zeroes, then scatters, its gradient block by block
    /// (not through the per-position driver): sizes of several fixed blocks (81 and 819
    /// positions), K-dim blocks that start inside a sample, above the threshold for
    /// threads, against the formula written out here.
    @Suite("Class rows: nll_loss gather and scatter")
    struct NLLScatter {
        @Test(arguments: SoftmaxDType.allCases)
        func largeInputsMatchTheFormula(dtype: SoftmaxDType) throws {
            switch dtype {
            case .f32: try check(Float.self)
            case .f64: try check(Double.self)
            }
        }

        private func check<T: LossScalar>(_: T.Type) throws {
            var rng = SplitMix64(seed: 29)
            for (n, c, inner) in [(100, 400, 1), (2, 40, 600)] {
                var pr = SoftmaxProblem.random(&rng, n: n, c: c, inner: inner, weighted: true, ignoreIndex: 3,
                                               ignoreShare: 0.2)
                pr.x = pr.x.map { Double(T($0)) }
                pr.weight = pr.weight?.map { Double(T($0)) }
                let w = pr.weight!
                for reduction in Reduction.allCases {
                    let go = rng.values(reduction == .none ? pr.positions : 1, -2, 2).map { Double(T($0)) }
                    var values = [Double](repeating: 0, count: pr.positions)
                    var grad = [Double](repeating: 0, count: pr.x.count)
                    var weightSum = 0.0
                    for p in 0..<pr.positions where pr.target[p] != 3 {
                        let t = Int(pr.target[p])
                        values[p] = -w[t] * pr.x[pr.index(p, t)]
                        weightSum += w[t]
                    }
                    let divisor = reduction == .mean ? weightSum : 1
                    for p in 0..<pr.positions where pr.target[p] != 3 {
                        let t = Int(pr.target[p])
                        grad[pr.index(p, t)] = -(reduction == .none ? go[p] : go[0] / divisor) * w[t]
                    }
                    let want = reduction == .none ? values : [values.reduce(0, +) / divisor]
                    // Through the buffer API, with outputs full of NaN: every gradient element
                    // must be written, the zeros included.
                    let x = pr.x.map { T($0) }, weight = w.map { T($0) }, upstream = go.map { T($0) }
                    var loss = [T](repeating: .nan, count: want.count)
                    var got = [T](repeating: .nan, count: x.count)
                    try x.withUnsafeBufferPointer { x in
                        try pr.target.withUnsafeBufferPointer { target in
                            try weight.withUnsafeBufferPointer { weight in
                                try upstream.withUnsafeBufferPointer { upstream in
                                    try loss.withUnsafeMutableBufferPointer { out in
                                        try got.withUnsafeMutableBufferPointer { grad in
                                            try nllLoss(ClassBuffers(input: x.baseAddress, n: n, classes: c, inner: inner,
                                                                     weight: weight.baseAddress, reduction: reduction,
                                                                     out: out.baseAddress, gradOutput: upstream.baseAddress,
                                                                     gradInput: grad.baseAddress),
                                                        target: target.baseAddress, ignoreIndex: 3)
                                        }
                                    }
                                }
                            }
                        }
                    }
                    let what = "nll \(T.self) n=\(n) c=\(c) inner=\(inner) \(reduction)"
                    expectSoftmaxClose(loss, want, softmaxTolerance(T.self), "loss of \(what)")
                    expectSoftmaxClose(got, grad, softmaxTolerance(T.self), "gradient of \(what)")
                }
            }
        }
    }

    // MARK: - ignore_index, empty and all-ignored batches

    @Suite("Class rows: ignore_index and empty batches")
    struct IgnoreIndex {
        @Test(arguments: SoftmaxKind.all.filter(\.usesIndices))
        func ignoredPositionsAreZeroAndLeaveTheDenominator(kind: SoftmaxKind) throws {
            // 2 samples x 3 classes x 2 positions; class 1 is ignore_index and appears twice
            var rng = SplitMix64(seed: 53)
            var pr = SoftmaxProblem(x: rng.values(12), n: 2, c: 3, inner: 2, target: [0, 1, 1, 2], weight: [0.5, 2, 1.5],
                                    ignoreIndex: 1)
            let none = try softmaxCall(kind, pr, Double.self, reduction: .none)
            #expect(none.loss.values[1] == 0 && none.loss.values[2] == 0)
            for p in [1, 2] { for j in 0..<3 { #expect(none.grad[pr.index(p, j)] == 0) } }
            let sum = try softmaxCall(kind, pr, Double.self, reduction: .sum).loss.scalar!
            let mean = try softmaxCall(kind, pr, Double.self, reduction: .mean).loss.scalar!
            // mean divides by w[0] + w[2] = 2, the weights of the kept targets
            #expect(isClose(mean, sum / 2.0, rel: 1e-14, abs: 0))
            #expect(isClose(sum, none.loss.values.reduce(0, +), rel: 1e-14, abs: 0))
            // the same data with the ignored positions removed gives the same sum
            pr.ignoreIndex = -100
            let kept = try softmaxCall(kind, pr, Double.self, reduction: .none).loss.values
            #expect(isClose(sum, kept[0] + kept[3], rel: 1e-14, abs: 0))
        }

        @Test(arguments: SoftmaxKind.all.filter(\.usesIndices))
        func allIgnoredBatch(kind: SoftmaxKind) throws {
            var rng = SplitMix64(seed: 59)
            let pr = SoftmaxProblem(x: rng.values(24), n: 4, c: 3, inner: 2, target: [Int64](repeating: 2, count: 8),
                                    weight: [1, 2, 3], ignoreIndex: 2)
            let mean = try softmaxCall(kind, pr, Float.self, reduction: .mean, gradOutput: [0.5])
            #expect(mean.loss.scalar!.isNaN)
            #expect(mean.grad.allSatisfy { $0 == 0 }, "gradient of an all-ignored batch: \(mean.grad)")
            let sum = try softmaxCall(kind, pr, Double.self, reduction: .sum)
            #expect(sum.loss.scalar == 0 && sum.grad.allSatisfy { $0 == 0 })
            let none = try softmaxCall(kind, pr, Double.self, reduction: .none)
            #expect(none.loss.values == [Double](repeating: 0, count: 8))
        }

        @Test(arguments: SoftmaxKind.all)
        func emptyBatch(kind: SoftmaxKind) throws {
            let pr = SoftmaxProblem(x: [], n: 0, c: 5, inner: 1)
            let mean = try softmaxCall(kind, pr, Float.self, reduction: .mean)
            #expect(mean.loss.scalar!.isNaN && mean.grad.isEmpty)
            #expect(try softmaxCall(kind, pr, Double.self, reduction: .sum).loss == .reduced(0))
            #expect(try softmaxCall(kind, pr, Double.self, reduction: .none).loss == .elementwise([]))
        }

        @Test func ignoreIndexOutsideTheClassRangeIsAccepted() throws {
            let x: [Double] = [0.1, 0.2, 0.3, 1, 2, 3]
            let loss = try crossEntropy(x, [2, 99], classes: 3, ignoreIndex: 99, reduction: .none)
            #expect(loss.values[1] == 0)
            let neg = try nllLoss(x, [-7, 0], classes: 3, ignoreIndex: -7, reduction: .sum)
            #expect(neg == .reduced(-1))
        }
    }

    // MARK: - Errors

    @Suite("Class rows: errors")
    struct Errors {
        static let x: [Double] = [0.1, 0.2, 0.3, 1, 2, 3] // 2 x 3

        @Test func badSizes() {
            let x = Self.x
            expectLossError(.shape) { () throws(LossError) in _ = try crossEntropy(x, [0, 1], classes: 0) }
            expectLossError(.shape) { () throws(LossError) in _ = try crossEntropy(x, [0, 1], classes: 3, inner: 0) }
            expectLossError(.shape) { () throws(LossError) in _ = try crossEntropy(x, [0, 1], classes: 4) }
            expectLossError(.shape) { () throws(LossError) in _ = try nllLoss(x, [0, 1], classes: 3, inner: 4) }
            expectLossError(.shape, mentions: "target") { () throws(LossError) in
                _ = try crossEntropy(x, [0, 1, 2], classes: 3)
            }
            expectLossError(.shape, mentions: "target") { () throws(LossError) in _ = try nllLoss(x, [0], classes: 3) }
            expectLossError(.shape, mentions: "target") { () throws(LossError) in _ = try focalLoss(x, [], classes: 3) }
            expectLossError(.shape, mentions: "target") { () throws(LossError) in
                _ = try crossEntropy(x, [0, 1], classes: 1, inner: 3) // 2 samples x 3 positions need 6 targets
            }
            expectLossError(.shape, mentions: "weight") { () throws(LossError) in
                _ = try crossEntropy(x, [0, 1], classes: 3, weight: [1, 1])
            }
            expectLossError(.shape, mentions: "weight") { () throws(LossError) in
                _ = try focalLossAndGrad(x, [0, 1], classes: 3, weight: [1, 1, 1, 1])
            }
            expectLossError(.shape, mentions: "weight") { () throws(LossError) in
                _ = try nllLoss(x, [0, 1], classes: 3, weight: [])
            }
            expectLossError(.shape, mentions: "weight") { () throws(LossError) in
                _ = try crossEntropyAndGrad(x, probabilities: x, classes: 3, weight: [1])
            }
            expectLossError(.shape, mentions: "grad_output") { () throws(LossError) in
                _ = try crossEntropyAndGrad(x, [0, 1], classes: 3, reduction: .none, gradOutput: [1])
            }
            expectLossError(.shape, mentions: "grad_output") { () throws(LossError) in
                _ = try focalLossAndGrad(x, [0, 1], classes: 3, reduction: .mean, gradOutput: [1, 1])
            }
            expectLossError(.shape, mentions: "grad_output") { () throws(LossError) in
                _ = try nllLossAndGrad(x, [0, 1], classes: 3, reduction: .sum, gradOutput: [])
            }
            expectLossError(.shape, mentions: "probabilities") { () throws(LossError) in
                _ = try crossEntropyAndGrad(x, probabilities: [0.5, 0.5], classes: 3)
            }
        }

        @Test(arguments: [Int64(3), 4, -1, -2, -101, Int64.max, Int64.min])
        func targetOutOfRange(bad: Int64) {
            let x = Self.x
            expectLossError(.index, mentions: "target") { () throws(LossError) in
                _ = try crossEntropy(x, [0, bad], classes: 3)
            }
            expectLossError(.index, mentions: "\(bad)") { () throws(LossError) in
                _ = try crossEntropyAndGrad(x, [bad, 0], classes: 3, labelSmoothing: 0.1)
            }
            expectLossError(.index, mentions: "target") { () throws(LossError) in
                _ = try nllLossAndGrad(x, [0, bad], classes: 3, reduction: .none)
            }
            expectLossError(.index, mentions: "target") { () throws(LossError) in
                _ = try focalLoss(x, [bad, 1], classes: 3, ignoreIndex: 2)
            }
            expectLossError(.index, mentions: "target") { () throws(LossError) in
                _ = try focalLossAndGrad(x, [1, 2, bad, 0, 1, 2], classes: 1, inner: 3, ignoreIndex: 1, reduction: .sum)
            }
        }

        @Test(arguments: [-0.1, 1.0000001, 2, -Double.infinity, Double.infinity, Double.nan])
        func badLabelSmoothing(value: Double) {
            let x = Self.x
            expectLossError(.invalidArgument, mentions: "label_smoothing") { () throws(LossError) in
                _ = try crossEntropy(x, [0, 1], classes: 3, labelSmoothing: value)
            }
            expectLossError(.invalidArgument, mentions: "label_smoothing") { () throws(LossError) in
                _ = try crossEntropyAndGrad(x, [0, 1], classes: 3, labelSmoothing: value)
            }
            expectLossError(.invalidArgument, mentions: "label_smoothing") { () throws(LossError) in
                _ = try crossEntropyAndGrad(x, probabilities: x, classes: 3, labelSmoothing: value)
            }
        }

        @Test(arguments: [-1.0, -1e-12, -Double.infinity, Double.nan, Double.infinity])
        func badGamma(value: Double) {
            let x = Self.x
            expectLossError(.invalidArgument, mentions: "gamma") { () throws(LossError) in
                _ = try focalLoss(x, [0, 1], classes: 3, gamma: value)
            }
            expectLossError(.invalidArgument, mentions: "gamma") { () throws(LossError) in
                _ = try focalLossAndGrad(x, [0, 1], classes: 3, gamma: value, reduction: .none)
            }
        }

        @Test func labelSmoothingBoundsAreAccepted() throws {
            let x = Self.x
            _ = try crossEntropy(x, [0, 1], classes: 3, labelSmoothing: 0)
            _ = try crossEntropy(x, [0, 1], classes: 3, labelSmoothing: 1)
            _ = try focalLoss(x, [0, 1], classes: 3, gamma: 0)
        }
    }

    // MARK: - Threads

    @Suite("Class rows: determinism across thread counts", .serialized)
    struct Threads {
        static let kinds: [SoftmaxKind] = [.crossEntropy(smoothing: 0.1), .probabilities(smoothing: 0.25), .nll,
                                           .focal(gamma: 0.5), .focal(gamma: 2)]

        @Test(arguments: SoftmaxDType.allCases)
        func bitwiseIdenticalForOneAndTwoThreads(dtype: SoftmaxDType) throws {
            defer { try? Parallel.setThreadCount(0) }
            var rng = SplitMix64(seed: 67)
            // (N, C) rows and a K-dim layout, both above the parallel threshold and several fixed blocks long
            let flat = SoftmaxProblem.random(&rng, n: 256, c: 300, inner: 1, weighted: true, ignoreIndex: 7,
                                             ignoreShare: 0.05)
            let kdim = SoftmaxProblem.random(&rng, n: 4, c: 100, inner: 200, weighted: true, ignoreIndex: 7,
                                             ignoreShare: 0.05)
            // Long rows: a few to a block, the blocks shared by the threads
            let long = SoftmaxProblem.random(&rng, n: 9, c: 40_000, inner: 1, weighted: true, ignoreIndex: 7,
                                             ignoreShare: 0.05)
            func run<T: LossScalar>(_: T.Type) throws {
                for pr in [flat, kdim, long] {
                    for kind in Self.kinds {
                        for reduction in Reduction.allCases {
                            let go = reduction == .none ? rng.values(pr.positions) : [0.75]
                            var results: [([UInt64], [UInt64], [UInt64])] = []
                            for threads in [1, 2] {
                                try Parallel.setThreadCount(threads)
                                let (loss, grad) = try softmaxCall(kind, pr, T.self, reduction: reduction, gradOutput: go)
                                var alone: [T] = []
                                if kind.usesIndices {
                                    alone = try softmaxCall(kind, pr, T.self, reduction: reduction, gradient: false).loss.values
                                }
                                results.append((bitPatterns(loss.values), bitPatterns(grad), bitPatterns(alone)))
                            }
                            let context = "\(kind) \(T.self) \(reduction) inner=\(pr.inner)"
                            #expect(results[0].0 == results[1].0, "\(context): loss differs between 1 and 2 threads")
                            #expect(results[0].1 == results[1].1, "\(context): gradient differs between 1 and 2 threads")
                            #expect(results[0].2 == results[1].2, "\(context): loss-only differs between 1 and 2 threads")
                        }
                    }
                }
            }
            switch dtype {
            case .f32: try run(Float.self)
            case .f64: try run(Double.self)
            }
        }
    }
}

extension SoftmaxTests {
    // MARK: - Long rows

    /// Language-model-sized rows (C = 128,000) in float32 against float64, elementwise: the
    /// exp-sum of a long row must not lose the small terms (float lane sums did: a lane
    /// near 1 rounds each e^-10 it adds, all the same way).
    @Suite("Class rows: long rows")
    struct LongRows {
        static let classes = 128_000

        /// Three rows: random scores (scale 2), all equal, and all equal but one 10 above
        /// (the target in the last row is that one).
        static func rows() -> (x: [Float], target: [Int64]) {
            var rng = SplitMix64(seed: 91)
            let c = classes
            var x = rng.values(c, -4, 4).map { Float($0) }
            x += [Float](repeating: 0.5, count: c)
            var peaked = [Float](repeating: 0, count: c)
            peaked[77_777] = 10
            x += peaked
            return (x, [Int64(rng.int(c)), 123, 77_777])
        }

        /// max over j of |got_j - want_j| / |want_j| (every want_j here is nonzero).
        static func worstRelativeError(_ got: [Float], _ want: [Double]) -> Double {
            zip(got, want).reduce(0.0) { Swift.max($0, abs(Double($1.0) - $1.1) / abs($1.1)) }
        }

        @Test func crossEntropyMatchesFloat64() throws {
            let (x, target) = Self.rows()
            let pr = SoftmaxProblem(x: x.map { Double($0) }, n: 3, c: Self.classes, inner: 1, target: target)
            let want = softmaxReference(.crossEntropy(smoothing: 0), pr, reduction: .none)
            let (loss, grad) = try crossEntropyAndGrad(x, target, classes: Self.classes, reduction: .none)
            let alone = try crossEntropy(x, target, classes: Self.classes, reduction: .none)
            let c = Self.classes
            for row in 0..<3 {
                let lossError = Self.worstRelativeError([loss.values[row]], [want.values[row]])
                #expect(lossError < 3e-7, "row \(row): loss relative error \(lossError)")
                #expect(alone.values[row] == loss.values[row], "row \(row): loss-only differs from value+grad")
                let slice = (row * c)..<((row + 1) * c)
                let gradError = Self.worstRelativeError(Array(grad[slice]), Array(want.grad[slice]))
                #expect(gradError < 1e-6, "row \(row): gradient relative error \(gradError)")
            }
        }

        @Test func probabilityTargetsMatchFloat64() throws {
            let (x, _) = Self.rows()
            var pr = SoftmaxProblem(x: x.map { Double($0) }, n: 3, c: Self.classes, inner: 1)
            pr.probs = [Double](repeating: 1 / Double(Self.classes), count: x.count).map { Double(Float($0)) }
            let want = softmaxReference(.probabilities(smoothing: 0), pr, reduction: .none)
            let (loss, grad) = try crossEntropyAndGrad(x, probabilities: pr.probs.map { Float($0) },
                                                       classes: Self.classes, reduction: .none)
            for row in 0..<3 {
                let lossError = Self.worstRelativeError([loss.values[row]], [want.values[row]])
                #expect(lossError < 3e-7, "row \(row): loss relative error \(lossError)")
            }
            // The gradient p_j - q_j cancels where p_j is near q_j: each element's error is
            // bounded relative to its terms, p_j (= want_j + q_j) and q_j.
            var worst = 0.0
            for (j, want) in want.grad.enumerated() {
                let q = pr.probs[j]
                worst = Swift.max(worst, abs(Double(grad[j]) - want) / (abs(want + q) + q))
            }
            #expect(worst < 1e-6, "gradient error relative to p_j + q_j: \(worst)")
        }
    }
}
