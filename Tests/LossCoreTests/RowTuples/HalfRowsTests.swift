// Tests of the row-tuple and sequence losses on 16-bit storage: a Float16 or BFloat16 call
// returns exactly the Float call on the widened values, each result rounded once (to nearest
// even, NaN as the type rounds it): losses and every gradient, bit for bit.
import Testing
@testable import LossCore

/// True when both arrays hold the same bits.
private func sameBits<T>(_ a: [T], _ b: [T]) -> Bool {
    a.count == b.count && a.withUnsafeBytes { x in b.withUnsafeBytes { y in x.elementsEqual(y) } }
}

/// `values` rounded to `T`, and those rounded values widened back to Float (exact).
private func halve<T: LossStorage>(_ values: [Double], _: T.Type) -> ([T], [Float]) where T.Compute == Float {
    let half = values.map { T(rounding: Float($0)) }
    return (half, half.map(\.computeValue))
}

/// The Float results rounded to `T`.
private func rounded<T: LossStorage>(_ values: [Float], _: T.Type) -> [T] where T.Compute == Float {
    values.map { T(rounding: $0) }
}

/// Row values with a few specials (NaN, infinities, zeros, values beyond float16's range).
private func rowValues(_ rng: inout SplitMix64, _ count: Int, specials: Bool) -> [Double] {
    var values = rng.values(count, -2, 2)
    if specials {
        let odd: [Double] = [.nan, .infinity, -.infinity, 0, -0.0, 1e-8, 7e4]
        for k in stride(from: 3, to: count, by: 29) { values[k] = odd[k % odd.count] }
    }
    return values
}

@Suite("Row tuples and sequences on 16-bit storage")
struct HalfRowsTests {
    @Test(arguments: HalfType.allCases)
    func tripletMargin(kind: HalfType) throws {
        struct Run: HalfTest {
            func callAsFunction<T: LossStorage>(_: T.Type) throws where T.Compute == Float {
                var rng = SplitMix64(seed: 61)
                for (rows, d) in [(7, 13), (5, 64), (3, 1), (40, 131)] {
                    for specials in [false, true] {
                        let (a, a32) = halve(rowValues(&rng, rows * d, specials: specials), T.self)
                        let (p, p32) = halve(rowValues(&rng, rows * d, specials: specials), T.self)
                        let (n, n32) = halve(rowValues(&rng, rows * d, specials: specials), T.self)
                        let options = [(2.0, false), (2.0, true), (1.0, true), (.infinity, false), (0.5, true),
                                       (3.0, false)]
                        for (norm, swap) in options {
                            for reduction in [Reduction.none, .mean, .sum] {
                                let (g, g32) = halve(rng.values(reduction.outputCount(rows), 0.5, 2), T.self)
                                let want = try tripletMarginLossAndGrad(a32, p32, n32, d: d, margin: 0.7, p: norm,
                                                                        swap: swap, reduction: reduction, gradOutput: g32)
                                let got = try tripletMarginLossAndGrad(a, p, n, d: d, margin: 0.7, p: norm, swap: swap,
                                                                       reduction: reduction, gradOutput: g)
                                let what = "\(T.self) rows \(rows) d \(d) p \(norm) swap \(swap) \(reduction)"
                                #expect(sameBits(got.loss.values, rounded(want.loss.values, T.self)), "\(what)")
                                #expect(sameBits(got.grads.anchor, rounded(want.grads.anchor, T.self)), "\(what)")
                                #expect(sameBits(got.grads.positive, rounded(want.grads.positive, T.self)), "\(what)")
                                #expect(sameBits(got.grads.negative, rounded(want.grads.negative, T.self)), "\(what)")
                                let value = try tripletMarginLoss(a, p, n, d: d, margin: 0.7, p: norm, swap: swap,
                                                                  reduction: reduction)
                                let value32 = try tripletMarginLoss(a32, p32, n32, d: d, margin: 0.7, p: norm, swap: swap,
                                                                    reduction: reduction)
                                #expect(sameBits(value.values, rounded(value32.values, T.self)), "\(what)")
                            }
                        }
                    }
                }
            }
        }
        try kind.run(Run())
    }

    @Test(arguments: HalfType.allCases)
    func cosineEmbedding(kind: HalfType) throws {
        struct Run: HalfTest {
            func callAsFunction<T: LossStorage>(_: T.Type) throws where T.Compute == Float {
                var rng = SplitMix64(seed: 67)
                for (rows, d) in [(9, 13), (6, 64), (4, 1), (33, 200)] {
                    for specials in [false, true] {
                        var x1Values = rowValues(&rng, rows * d, specials: specials)
                        for j in 0..<d { x1Values[j] = 0 }  // a zero row: cos 0 by the EPS terms
                        let (x1, x1f) = halve(x1Values, T.self)
                        let (x2, x2f) = halve(rowValues(&rng, rows * d, specials: specials), T.self)
                        let odd: [Double] = [0, 2, .nan]
                        var labels = [Double]()
                        for i in 0..<rows {
                            let label: Double = i % 2 == 0 ? 1 : -1
                            labels.append(specials && i % 5 == 3 ? odd[i % 3] : label)
                        }
                        let (y, y32) = halve(labels, T.self)
                        for margin in [0.0, 0.5, -0.3] {
                            for reduction in [Reduction.none, .mean, .sum] {
                                let (g, g32) = halve(rng.values(reduction.outputCount(rows), 0.5, 2), T.self)
                                let want = try cosineEmbeddingLossAndGrad(x1f, x2f, y32, d: d, margin: margin,
                                                                          reduction: reduction, gradOutput: g32)
                                let got = try cosineEmbeddingLossAndGrad(x1, x2, y, d: d, margin: margin,
                                                                         reduction: reduction, gradOutput: g)
                                let what = "\(T.self) rows \(rows) d \(d) margin \(margin) \(reduction)"
                                #expect(sameBits(got.loss.values, rounded(want.loss.values, T.self)), "\(what)")
                                #expect(sameBits(got.grads.input1, rounded(want.grads.input1, T.self)), "\(what)")
                                #expect(sameBits(got.grads.input2, rounded(want.grads.input2, T.self)), "\(what)")
                                let value = try cosineEmbeddingLoss(x1, x2, y, d: d, margin: margin, reduction: reduction)
                                let value32 = try cosineEmbeddingLoss(x1f, x2f, y32, d: d, margin: margin,
                                                                      reduction: reduction)
                                #expect(sameBits(value.values, rounded(value32.values, T.self)), "\(what)")
                            }
                        }
                    }
                }
            }
        }
        try kind.run(Run())
    }

    @Test(arguments: HalfType.allCases)
    func ctc(kind: HalfType) throws {
        struct Run: HalfTest {
            func callAsFunction<T: LossStorage>(_: T.Type) throws where T.Compute == Float {
                var rng = SplitMix64(seed: 71)
                for (frames, n, classes, padded) in [(1, 1, 2, 1), (12, 3, 5, 4), (40, 4, 17, 9), (25, 2, 40, 30)] {
                    for blank in [0, classes - 1] {
                        let problem = CTCProblem.random(&rng, frames: frames, n: n, classes: classes, padded: padded,
                                                        blank: blank)
                        let (x, x32) = halve(problem.x, T.self)
                        for zeroInfinity in [false, true] {
                            for reduction in [Reduction.none, .mean, .sum] {
                                let (g, g32) = halve(rng.values(reduction.outputCount(n), 0.5, 2), T.self)
                                // (padded, and the same targets concatenated)
                                for concatenated in [false, true] {
                                    var targets = problem.targets
                                    if concatenated {
                                        targets = (0..<n).flatMap { i in
                                            problem.targets[(i * padded)..<(i * padded + Int(problem.targetLengths[i]))]
                                        }
                                    }
                                    let stride: Int? = concatenated ? nil : padded
                                    let want = try ctcLossAndGrad(x32, targets: targets, inputLengths: problem.inputLengths,
                                                                  targetLengths: problem.targetLengths, classes: classes,
                                                                  paddedLength: stride, blank: blank, reduction: reduction,
                                                                  zeroInfinity: zeroInfinity, gradOutput: g32)
                                    let got = try ctcLossAndGrad(x, targets: targets, inputLengths: problem.inputLengths,
                                                                 targetLengths: problem.targetLengths, classes: classes,
                                                                 paddedLength: stride, blank: blank, reduction: reduction,
                                                                 zeroInfinity: zeroInfinity, gradOutput: g)
                                    let what = "\(T.self) T \(frames) N \(n) C \(classes) blank \(blank) \(reduction)"
                                    #expect(sameBits(got.loss.values, rounded(want.loss.values, T.self)), "\(what)")
                                    #expect(sameBits(got.grad, rounded(want.grad, T.self)), "\(what)")
                                    let value = try ctcLoss(x, targets: targets, inputLengths: problem.inputLengths,
                                                            targetLengths: problem.targetLengths, classes: classes,
                                                            paddedLength: stride, blank: blank, reduction: reduction,
                                                            zeroInfinity: zeroInfinity)
                                    #expect(sameBits(value.values, rounded(want.loss.values, T.self)), "\(what)")
                                }
                            }
                        }
                    }
                }
                // A target longer than its input: inf (0 with zero_infinity), its gradient NaN (0).
                let (x, _) = halve([Double](repeating: -1.0986, count: 6), T.self)
                for zeroInfinity in [false, true] {
                    let (loss, grad) = try ctcLossAndGrad(x, targets: [1, 2, 1], inputLengths: [2], targetLengths: [3],
                                                          classes: 3, reduction: .sum, zeroInfinity: zeroInfinity)
                    #expect(sameBits(loss.values, [T(rounding: zeroInfinity ? 0 : .infinity)]))
                    #expect(sameBits(grad, [T](repeating: T(rounding: zeroInfinity ? 0 : .nan), count: 6)))
                }
            }
        }
        try kind.run(Run())
    }
}
