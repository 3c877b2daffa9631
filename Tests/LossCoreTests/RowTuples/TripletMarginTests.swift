// Tests of the triplet margin loss (the row-tuples family) against float64 references
// written from its formula: every degree of norm, swap, the kinks, the buffer-level errors,
// and bitwise determinism across thread counts.
import Testing
@testable import LossCore
#if canImport(Glibc)
import Glibc
#endif

/// ||u||_p as torch's vector norm: p = 0 counts non-zeros, +-inf the largest / smallest |u_j|.
func referenceNorm(_ u: [Double], _ p: Double) -> Double {
    if p == .infinity { return u.map(abs).max() ?? 0 }
    if p == -.infinity { return u.map(abs).min() ?? .infinity }
    if p == 0 { return Double(u.filter { $0 != 0 }.count) }
    return pow(u.map { pow(abs($0), p) }.reduce(0, +), 1 / p)
}

/// c * d||u||_p / du as torch's norm backward.
func referenceNormSlope(_ u: [Double], _ p: Double, _ norm: Double, _ c: Double) -> [Double] {
    let ties = Double(u.filter { abs($0) == norm }.count)
    return u.map { x in
        if p == 0 { return 0 }
        if p.isInfinite { return abs(x) == norm ? torchSgn(x) * c / ties : 0 }
        if p < 1 { return x == 0 ? 0 : torchSgn(x) * pow(abs(x), p - 1) * c * pow(norm, 1 - p) }
        return norm == 0 ? 0 : torchSgn(x) * pow(abs(x), p - 1) * c / pow(norm, p - 1)
    }
}

/// One row's loss max(0, margin + d(a, p) - neg) and its gradients for an incoming gradient c.
func referenceTriplet(_ a: [Double], _ p: [Double], _ n: [Double], margin: Double, norm: Double, eps: Double,
                      swap: Bool, c: Double) -> (loss: Double, ga: [Double], gp: [Double], gn: [Double]) {
    let uap = zip(a, p).map { $0 - $1 + eps }, uan = zip(a, n).map { $0 - $1 + eps }
    let upn = zip(p, n).map { $0 - $1 + eps }
    let dap = referenceNorm(uap, norm), dan = referenceNorm(uan, norm), dpn = referenceNorm(upn, norm)
    let useSwap = swap && dpn < dan
    let v = margin + dap - (useSwap ? dpn : dan)
    let zero = [Double](repeating: 0, count: a.count)
    guard v >= 0 else { return (0, zero, zero, zero) }
    let sap = referenceNormSlope(uap, norm, dap, c)
    let san = referenceNormSlope(uan, norm, dan, useSwap ? 0 : c)
    let spn = referenceNormSlope(upn, norm, dpn, useSwap ? c : 0)
    let ga = zip(sap, san).map { $0 - $1 }
    let gp = zip(sap, spn).map { -$0 - $1 }
    let gn = zip(san, spn).map { $0 + $1 }
    return (v, ga, gp, gn)
}

@Suite("Triplet margin loss")
struct TripletMarginTests {
    static let options: [(p: Double, swap: Bool, margin: Double, eps: Double)] = [
        (2, false, 1, 1e-6), (2, true, 1, 1e-6), (1, false, 0.5, 0), (3, true, 2, 1e-3), (0.5, false, 3, 1e-6),
        (1.5, true, 1.5, 1e-6), (.infinity, true, 1, 1e-6), (-.infinity, false, 1, 0), (0, false, 1, 1e-6),
        (-1, true, 4, -0.25),
    ]

    @Test(arguments: DType.allCases)
    func againstReference(dtype: DType) throws {
        func run<T: LossScalar>(_: T.Type) throws {
            var rng = SplitMix64(seed: 41)
            let rows = 37, d = 9
            for option in Self.options {
                let a = cast(rng.values(rows * d, -2, 2), to: T.self), p = cast(rng.values(rows * d, -2, 2), to: T.self)
                let n = cast(rng.values(rows * d, -2, 2), to: T.self)
                for reduction in [Reduction.none, .mean, .sum] {
                    let go = rng.values(rows, 0.5, 2)
                    let upstream: [T]? = reduction == .none ? cast(go, to: T.self) : [T(go[0])]
                    let (loss, grads) = try tripletMarginLossAndGrad(a, p, n, d: d, margin: option.margin, p: option.p,
                                                                     eps: option.eps, swap: option.swap,
                                                                     reduction: reduction, gradOutput: upstream)
                    var want = [Double](), wa = [Double](), wp = [Double](), wn = [Double]()
                    for i in 0..<rows {
                        let row = { (x: [T]) in widen(Array(x[i * d..<(i + 1) * d])) }
                        var c = reduction == .none ? Double(upstream![i]) : Double(upstream![0])
                        if reduction == .mean { c /= Double(rows) }
                        let r = referenceTriplet(row(a), row(p), row(n), margin: option.margin, norm: option.p,
                                                 eps: Double(T(option.eps)), swap: option.swap, c: c)
                        want.append(r.loss)
                        wa += r.ga
                        wp += r.gp
                        wn += r.gn
                    }
                    let what = "\(T.self) p=\(option.p) swap=\(option.swap) \(reduction)"
                    let total = want.reduce(0, +)
                    let reduced = reduction == .mean ? total / Double(rows) : total
                    let scale = 64 * tolerance(T.self)
                    expectClose(loss.values, reduction == .none ? want : [reduced], rel: scale, abs: scale, "loss \(what)")
                    expectClose(grads.anchor, wa, rel: 8 * scale, abs: 8 * scale, "grad anchor \(what)")
                    expectClose(grads.positive, wp, rel: 8 * scale, abs: 8 * scale, "grad positive \(what)")
                    expectClose(grads.negative, wn, rel: 8 * scale, abs: 8 * scale, "grad negative \(what)")
                }
            }
        }
        switch dtype {
        case .f32: try run(Float.self)
        case .f64: try run(Double.self)
        }
    }

    /// The kinks: the clamp at equality passes the gradient; a distance of 0 gives the norm's
    /// gradient 0; the swap's tie gives each side half.
    @Test func kinks() throws {
        // margin + d(a, p) - d(a, n) = 1 + 1 - 2 = 0: active, gradient through both distances.
        let (l1, g1) = try tripletMarginLossAndGrad([0.0, 0], [1.0, 0], [2.0, 0], d: 2, eps: 0, reduction: .sum)
        #expect(l1.scalar == 0 && g1.anchor == [0, 0] && g1.positive == [1, 0] && g1.negative == [-1, 0])
        // a = p: d(a, p) = 0 and its gradient 0.
        let (_, g2) = try tripletMarginLossAndGrad([1.0, 2], [1.0, 2], [1.0, 2.5], d: 2, eps: 0, reduction: .sum)
        #expect(g2.positive == [0, 0] && g2.anchor == [0, 1] && g2.negative == [0, -1])
        // d(a, n) = d(p, n) = sqrt(26): the minimum's gradient is split (margin 5: active).
        let (_, g3) = try tripletMarginLossAndGrad([0.0, 0], [2.0, 0], [1.0, 5], d: 2, margin: 5, eps: 0, swap: true,
                                                   reduction: .sum)
        let s = 26.0.squareRoot()
        expectClose(g3.anchor, [-1 + 0.5 / s, 2.5 / s], rel: 1e-14, "tie: anchor")
        expectClose(g3.positive, [1 - 0.5 / s, 2.5 / s], rel: 1e-14, "tie: positive")
        expectClose(g3.negative, [0, -5 / s], rel: 1e-14, abs: 1e-15, "tie: negative")
    }

    @Test func bufferErrors() {
        let x = UnsafeMutablePointer<Double>.allocate(capacity: 2), out = UnsafeMutablePointer<Double>.allocate(capacity: 1)
        defer { x.deallocate(); out.deallocate() }
        x.initialize(repeating: 1, count: 2)
        let b = RowTupleBuffers(first: UnsafePointer(x), second: UnsafePointer(x), third: nil, rows: 1, width: 2,
                                reduction: .mean, out: out)
        expectLossError(.nullPointer, mentions: "negative") { () throws(LossError) in try tripletMarginLoss(b) }
        var ok = b
        ok.third = UnsafePointer(x)
        expectLossError(.invalidArgument, mentions: "margin") { () throws(LossError) in try tripletMarginLoss(ok, margin: .nan) }
        expectLossError(.invalidArgument, mentions: "norm_p") { () throws(LossError) in try tripletMarginLoss(ok, p: .nan) }
        expectLossError(.invalidArgument, mentions: "distance_eps") { () throws(LossError) in
            try tripletMarginLoss(ok, eps: .nan)
        }
        var huge = ok
        huge.rows = 1 << 40
        huge.width = 1 << 30
        expectLossError(.shape, mentions: "n * d") { () throws(LossError) in try tripletMarginLoss(huge) }
        var empty = ok
        empty.width = 0
        expectLossError(.invalidArgument, mentions: "norm_p") { () throws(LossError) in try tripletMarginLoss(empty, p: -1) }
        #expect(throws: Never.self) { try tripletMarginLoss(empty, p: 2) }
        #expect(out[0] == 1, "rows of no values have distance 0: the loss is the margin")
        expectLossError(.shape, mentions: "multiple") { () throws(LossError) in
            _ = try tripletMarginLoss([1.0, 2, 3], [1.0, 2, 3], [1.0, 2, 3], d: 2)
        }
    }
}

@Suite("Triplet margin loss: determinism across thread counts", .serialized)
struct TripletMarginThreadTests {
    @Test(arguments: DType.allCases)
    func bitwiseIdentical(dtype: DType) throws {
        func run<T: LossScalar>(_: T.Type) throws {
            defer { try? Parallel.setThreadCount(0) }
            var rng = SplitMix64(seed: 43)
            let rows = 3000, d = 40
            let a = cast(rng.values(rows * d), to: T.self), p = cast(rng.values(rows * d), to: T.self)
            let n = cast(rng.values(rows * d), to: T.self)
            var first: (LossOutput<T>, [T])?
            for threads in [1, 2, 4] {
                try Parallel.setThreadCount(threads)
                let (loss, grads) = try tripletMarginLossAndGrad(a, p, n, d: d, swap: true, reduction: .mean)
                let all = grads.anchor + grads.positive + grads.negative
                if let first {
                    #expect(bitsEqual(loss.values, first.0.values) && bitsEqual(all, first.1), "\(threads) threads")
                } else {
                    first = (loss, all)
                }
            }
        }
        switch dtype {
        case .f32: try run(Float.self)
        case .f64: try run(Double.self)
        }
    }
}
