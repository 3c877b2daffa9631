// Tests of the cosine embedding loss (the row-tuples family's pair loss) against float64
// references written from its formula, its kinks and its buffer-level errors.
import Testing
@testable import LossCore

/// One row: (loss, d/dx1, d/dx2) of torch's composition for an incoming gradient c.
func referenceCosine(_ x1: [Double], _ x2: [Double], _ y: Double, margin: Double,
                     c: Double) -> (loss: Double, g1: [Double], g2: [Double]) {
    let eps = Double(Float(1e-12))
    let s = zip(x1, x2).map(*).reduce(0, +)
    let m1 = x1.map { $0 * $0 }.reduce(0, +) + eps, m2 = x2.map { $0 * $0 }.reduce(0, +) + eps
    let den = (m1 * m2).squareRoot(), cos = s / den
    let loss = y == 1 ? 1 - cos : y == -1 ? max(0, cos - margin) : 0
    let g = y == 1 ? -c : (y == -1 && cos - margin >= 0 ? c : 0)
    return (loss, zip(x1, x2).map { g * ($1 / den - cos * $0 / m1) }, zip(x1, x2).map { g * ($0 / den - cos * $1 / m2) })
}

@Suite("Cosine embedding loss")
struct CosineEmbeddingTests {
    @Test(arguments: DType.allCases)
    func againstReference(dtype: DType) throws {
        func run<T: LossScalar>(_: T.Type) throws {
            var rng = SplitMix64(seed: 47)
            let rows = 41, d = 13
            let x1 = cast(rng.values(rows * d, -2, 2), to: T.self), x2 = cast(rng.values(rows * d, -2, 2), to: T.self)
            let y: [T] = (0..<rows).map { $0 % 9 == 4 ? 0 : (rng.int(2) == 0 ? 1 : -1) }
            for margin in [0.0, 0.4, -0.5] {
                for reduction in [Reduction.none, .mean, .sum] {
                    let go = rng.values(rows, 0.5, 2)
                    let upstream: [T] = reduction == .none ? cast(go, to: T.self) : [T(go[0])]
                    let (loss, grads) = try cosineEmbeddingLossAndGrad(x1, x2, y, d: d, margin: margin,
                                                                       reduction: reduction, gradOutput: upstream)
                    var want = [Double](), w1 = [Double](), w2 = [Double]()
                    for i in 0..<rows {
                        var c = Double(reduction == .none ? upstream[i] : upstream[0])
                        if reduction == .mean { c /= Double(rows) }
                        let r = referenceCosine(widen(Array(x1[i * d..<(i + 1) * d])), widen(Array(x2[i * d..<(i + 1) * d])),
                                                Double(y[i]), margin: margin, c: c)
                        want.append(r.loss)
                        w1 += r.g1
                        w2 += r.g2
                    }
                    let total = want.reduce(0, +)
                    let what = "\(T.self) margin \(margin) \(reduction)"
                    let scale = 64 * tolerance(T.self)
                    expectClose(loss.values, reduction == .none ? want : [reduction == .mean ? total / Double(rows) : total],
                                rel: scale, abs: scale, "loss \(what)")
                    expectClose(grads.input1, w1, rel: 8 * scale, abs: 8 * scale, "grad input1 \(what)")
                    expectClose(grads.input2, w2, rel: 8 * scale, abs: 8 * scale, "grad input2 \(what)")
                }
            }
        }
        switch dtype {
        case .f32: try run(Float.self)
        case .f64: try run(Double.self)
        }
    }

    /// cos - margin = 0 with target -1: loss 0, the clamp passes the gradient; zero rows keep
    /// cos finite (EPS); a target other than 1 or -1 has loss and gradient 0.
    @Test func kinks() throws {
        let e = Double(Float(1e-12)), cos = 1 / ((1 + e) * (2 + e)).squareRoot()
        let (l1, g1) = try cosineEmbeddingLossAndGrad([1.0, 0], [1.0, 1], [-1.0], d: 2, margin: cos, reduction: .sum)
        #expect(l1.scalar == 0 && g1.input1[1] > 0.7 && g1.input2[0] > 0.3, "at equality the gradient passes: \(g1)")
        let (l2, g2) = try cosineEmbeddingLossAndGrad([0.0, 0], [3.0, 4], [1.0], d: 2, reduction: .sum)
        #expect(l2.scalar == 1 && g2.input1.allSatisfy(\.isFinite) && g2.input2 == [0, 0])
        let (l3, g3) = try cosineEmbeddingLossAndGrad([1.0, 2], [3.0, 4], [0.5], d: 2, reduction: .sum)
        #expect(l3.scalar == 0 && g3.input1 == [0, 0] && g3.input2 == [0, 0])
    }

    @Test func bufferErrors() {
        let x = UnsafeMutablePointer<Double>.allocate(capacity: 2), out = UnsafeMutablePointer<Double>.allocate(capacity: 1)
        defer { x.deallocate(); out.deallocate() }
        x.initialize(repeating: 1, count: 2)
        let b = RowTupleBuffers(first: UnsafePointer(x), second: UnsafePointer(x), rows: 1, width: 2, reduction: .sum,
                                out: out)
        expectLossError(.nullPointer, mentions: "target") { () throws(LossError) in try cosineEmbeddingLoss(b) }
        var ok = b
        ok.target = UnsafePointer(x)
        expectLossError(.invalidArgument, mentions: "margin") { () throws(LossError) in
            try cosineEmbeddingLoss(ok, margin: .nan)
        }
        var third = ok
        third.gradThird = x
        expectLossError(.invalidArgument, mentions: "third") { () throws(LossError) in try cosineEmbeddingLoss(third) }
        #expect(throws: Never.self) { try cosineEmbeddingLoss(ok) }
        #expect(out[0] >= 0 && out[0] < 1e-12, "identical rows with target 1: loss 1 - 1 / (1 + EPS) (got \(out[0]))")
    }
}
