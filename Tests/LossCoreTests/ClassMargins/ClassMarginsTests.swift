// Tests of the class-margin losses through the Swift array API: multiMarginLoss(AndGrad),
// multilabelMarginLoss(AndGrad) and multilabelSoftMarginLoss(AndGrad), against float64
// references written in this file from torch's definitions (never from the kernels), every
// reduction with weights and grad_output, thrown LossError kinds, and bitwise determinism
// across thread counts.
//
// Helpers here are file-private and prefixed so they cannot clash with other test files.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing
@testable import LossCore

/// Which loss of the family, with its options.
enum MarginKind: CustomStringConvertible, Sendable {
    case multi(p: Int, margin: Double)
    case labels
    case soft(perElement: Bool)

    var description: String {
        switch self {
        case .multi(let p, let m): "multi_margin_loss(p=\(p), margin=\(m))"
        case .labels: "multilabel_margin_loss"
        case .soft(let e): "multilabel_soft_margin_loss(\(e ? "per-element" : "per-class") weight)"
        }
    }

    static let all: [MarginKind] = [.multi(p: 1, margin: 1), .multi(p: 2, margin: 0.5), .multi(p: 1, margin: -0.25),
                                    .labels, .soft(perElement: false), .soft(perElement: true)]
}

/// One call's data in float64: n rows of c scores, class indices, label rows (each list ended
/// by -1), soft targets, weights (c per class, or n * c per element for the soft margin).
private struct MarginProblem {
    var x: [Double], n: Int, c: Int
    var index: [Int64], labels: [Int64], soft: [Double], weight: [Double]

    static func random(_ rng: inout SplitMix64, n: Int, c: Int) -> MarginProblem {
        // Scores on multiples of 1/8 in [-3, 3): margin terms at their kink (z = 0) included.
        let x = (0..<(n * c)).map { _ in Double(rng.int(48) - 24) / 8 }
        var labels = [Int64]()
        for _ in 0..<n {
            var row = (0..<c).map { Int64($0) }
            for j in 0..<max(c - 1, 0) { row.swapAt(j, j + rng.int(c - j)) }
            let k = rng.int(min(c, 4) + 1)
            if k < c {
                row[k] = -1
                for j in (k + 1)..<c { row[j] = Int64(rng.int(c + 1)) - 1 }
            }
            labels += row
        }
        return MarginProblem(x: x, n: n, c: c, index: (0..<n).map { _ in Int64(rng.int(c)) }, labels: labels,
                             soft: (0..<(n * c)).map { _ in rng.int(3) == 0 ? rng.uniform(0, 1) : Double(rng.int(2)) },
                             weight: rng.values(n * c, 0.25, 2))
    }

    /// Per-row losses and d(sum of row losses * rowScale)/dx, in float64 from the formulas.
    func reference(_ kind: MarginKind, weighted: Bool, rowScale: [Double]) -> (rows: [Double], grad: [Double]) {
        var rows = [Double](repeating: 0, count: n), grad = [Double](repeating: 0, count: n * c)
        for i in 0..<n {
            let xr = Array(x[(i * c)..<((i + 1) * c)])
            var l = 0.0, g = [Double](repeating: 0, count: c)
            switch kind {
            case .multi(let p, let margin):
                let y = Int(index[i]), w = weighted ? weight[y] : 1
                for j in 0..<c where j != y {
                    let z = margin - xr[y] + xr[j]
                    guard z > 0 else { continue }
                    l += w * (p == 1 ? z : z * z)
                    g[j] = w * (p == 1 ? 1 : 2 * z)
                    g[y] -= g[j]
                }
            case .labels:
                let row = labels[(i * c)..<((i + 1) * c)].map { Int($0) }
                let list = Array(row.prefix { $0 >= 0 })
                for y in list {
                    for j in 0..<c where !list.contains(j) {
                        let z = 1 - (xr[y] - xr[j])
                        guard z > 0 else { continue }
                        l += z
                        g[j] += 1
                        g[y] -= 1
                    }
                }
            case .soft(let perElement):
                for j in 0..<c {
                    let w = weighted ? weight[perElement ? i * c + j : j] : 1, t = soft[i * c + j], v = xr[j]
                    l += w * -(t * -log1p(exp(-v)) + (1 - t) * -log1p(exp(v)))
                    g[j] = w * (1 / (1 + exp(-v)) - t)
                }
            }
            rows[i] = l / Double(c)
            for j in 0..<c { grad[i * c + j] = rowScale[i] * g[j] / Double(c) }
        }
        return (rows, grad)
    }
}

private func marginCall<T: LossScalar>(_ kind: MarginKind, _ pr: MarginProblem, _: T.Type, weighted: Bool,
                                       reduction: Reduction, gradOutput: [T]?) throws(LossError)
    -> (loss: LossOutput<T>, grad: [T]) {
    let x = cast(pr.x, to: T.self)
    switch kind {
    case .multi(let p, let margin):
        return try multiMarginLossAndGrad(x, pr.index, classes: pr.c, p: p, margin: margin,
                                          weight: weighted ? cast(Array(pr.weight.prefix(pr.c)), to: T.self) : nil,
                                          reduction: reduction, gradOutput: gradOutput)
    case .labels:
        return try multilabelMarginLossAndGrad(x, pr.labels, classes: pr.c, reduction: reduction, gradOutput: gradOutput)
    case .soft(let perElement):
        let w = weighted ? cast(perElement ? pr.weight : Array(pr.weight.prefix(pr.c)), to: T.self) : nil
        return try multilabelSoftMarginLossAndGrad(x, cast(pr.soft, to: T.self), classes: pr.c, weight: w,
                                                   reduction: reduction, gradOutput: gradOutput)
    }
}

/// The namespace of this file's suites, so `swift test --filter MarginTests` runs them all.
@Suite("Class margins")
struct MarginTests {}

extension MarginTests {
    @Suite("Class margins: values and gradients against float64 references")
    struct References {
        @Test(arguments: MarginKind.all, DType.allCases)
        func matchesReference(kind: MarginKind, dtype: DType) throws {
            switch dtype {
            case .f32: try check(kind, Float.self)
            case .f64: try check(kind, Double.self)
            }
        }

        func check<T: LossScalar>(_ kind: MarginKind, _: T.Type) throws {
            var rng = SplitMix64(seed: 91)
            for (n, c) in [(6, 5), (1, 7), (3, 1), (9, 40)] {
                let pr = MarginProblem.random(&rng, n: n, c: c)
                for weighted in [false, true] {
                    for reduction in Reduction.allCases {
                        let go = reduction == .none ? rng.values(n) : [0.75]
                        let divisor = reduction == .mean ? Double(n) : 1
                        let scale = reduction == .none ? go : Array(repeating: go[0] / divisor, count: n)
                        let (rows, grad) = pr.reference(kind, weighted: weighted, rowScale: scale)
                        let (loss, got) = try marginCall(kind, pr, T.self, weighted: weighted, reduction: reduction,
                                                         gradOutput: cast(go, to: T.self))
                        let want = reduction == .none ? rows : [rows.reduce(0, +) / divisor]
                        let tol = T.self == Float.self ? 1e-5 : 1e-12
                        let context = "\(kind) \(T.self) n=\(n) c=\(c) w=\(weighted) \(reduction)"
                        let wmax = grad.map(abs).max() ?? 0
                        expectClose(loss.values, want, rel: tol, abs: tol, "\(context) loss")
                        expectClose(got, grad, rel: tol, abs: tol * wmax, "\(context) gradient")
                    }
                }
            }
        }
    }

    @Suite("Class margins: errors")
    struct Errors {
        @Test func refusesBadOptionsTargetsAndWeights() {
            let x: [Double] = [0.5, 1, -1, 2, 0, 0.25]
            expectLossError(.invalidArgument, mentions: "p") { () throws(LossError) in
                _ = try multiMarginLoss(x, [0, 1], classes: 3, p: 3)
            }
            expectLossError(.invalidArgument, mentions: "margin") { () throws(LossError) in
                _ = try multiMarginLoss(x, [0, 1], classes: 3, margin: .nan)
            }
            expectLossError(.index, mentions: "target") { () throws(LossError) in
                _ = try multiMarginLoss(x, [0, 3], classes: 3)
            }
            expectLossError(.index, mentions: "-2") { () throws(LossError) in
                _ = try multilabelMarginLoss(x, [0, -1, -2, 1, 2, 3], classes: 3)
            }
            expectLossError(.shape, mentions: "labels") { () throws(LossError) in
                _ = try multilabelMarginLoss(x, [0, -1], classes: 3)
            }
            expectLossError(.shape, mentions: "weight_count") { () throws(LossError) in
                _ = try multilabelSoftMarginLoss(x, [0, 1, 0, 1, 1, 0], classes: 3, weight: [1, 2])
            }
            expectLossError(.shape, mentions: "weight") { () throws(LossError) in
                _ = try multiMarginLoss(x, [0, 1], classes: 3, weight: [1, 2])
            }
        }

        @Test func emptyBatchesAndRowsWithoutLabels() throws {
            let empty: [Double] = []
            #expect(try multiMarginLoss(empty, [], classes: 3).scalar!.isNaN)
            #expect(try multilabelMarginLoss(empty, [], classes: 3, reduction: .sum).scalar! == 0)
            let (loss, grad) = try multilabelMarginLossAndGrad([1.0, 2, 3], [-1, 0, 1], classes: 3, reduction: .none)
            #expect(loss.values == [0] && grad == [0, 0, 0])
        }
    }

    @Suite("Class margins: determinism across thread counts", .serialized)
    struct Threads {
        @Test(arguments: DType.allCases)
        func bitwiseIdenticalForOneAndTwoThreads(dtype: DType) throws {
            defer { try? Parallel.setThreadCount(0) }
            var rng = SplitMix64(seed: 71)
            // Rows above the parallel threshold, several fixed blocks long.
            let pr = MarginProblem.random(&rng, n: 600, c: 300)
            func run<T: LossScalar>(_: T.Type) throws {
                for kind in MarginKind.all {
                    for reduction in Reduction.allCases {
                        let go = cast(reduction == .none ? rng.values(pr.n) : [0.75], to: T.self)
                        var results: [([UInt64], [UInt64])] = []
                        for threads in [1, 2] {
                            try Parallel.setThreadCount(threads)
                            let (loss, grad) = try marginCall(kind, pr, T.self, weighted: true, reduction: reduction,
                                                              gradOutput: go)
                            results.append((bitPatterns(loss.values), bitPatterns(grad)))
                        }
                        #expect(results[0].0 == results[1].0, "\(kind) \(T.self) \(reduction): loss differs")
                        #expect(results[0].1 == results[1].1, "\(kind) \(T.self) \(reduction): gradient differs")
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
