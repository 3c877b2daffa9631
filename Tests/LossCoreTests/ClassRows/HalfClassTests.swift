// Tests of 16-bit storage (Float16, BFloat16) for the class families through the Swift array
// API: cross-entropy (class indices and probabilities), nll_loss, focal_loss, the class
// margins and the 0-1 loss. Each 16-bit call must return exactly the Float call on the
// widened arrays, rounded once to the storage type: losses, reduced values and every gradient
// element, bit for bit (NaN results: NaN on both sides). Shapes cover every path of the
// class-rows driver (transposed short rows, long rows, K-dim lanes and tiles, several blocks).
import Testing
@testable import LossCore

// MARK: - Helpers

/// True when `half` is `float` rounded to H, bit for bit (both NaN also counts).
private func roundedEqual<H: LossStorage>(_ half: [H], _ float: [Float]) -> Bool where H.Compute == Float {
    guard half.count == float.count else { return false }
    return zip(half, float).allSatisfy { h, f in
        (h.computeValue.isNaN && f.isNaN) || halfBits(h) == halfBits(H(rounding: f))
    }
}

private func values<T>(_ output: LossOutput<T>) -> [T] {
    switch output {
    case .reduced(let v): [v]
    case .elementwise(let v): v
    }
}

/// Deterministic logits rounded to H, and the same values as Float (exact).
private func halfData<H: LossStorage>(_: H.Type, count: Int, seed: UInt64, scale: Double = 3,
                                      special: Bool = false) -> ([H], [Float]) where H.Compute == Float {
    var rng = SplitMix64(seed: seed)
    var x = rng.values(count, -scale, scale).map { H(rounding: Float($0)) }
    if special && count > 8 {
        for (k, v) in [Float.nan, .infinity, -.infinity, 6e4].enumerated() { x[(k * 7 + 3) % count] = H(rounding: v) }
    }
    return (x, x.map { $0.computeValue })
}

private func expectMatch<H: LossStorage>(_ half: (loss: LossOutput<H>, grad: [H]),
                                         _ float: (loss: LossOutput<Float>, grad: [Float]),
                                         _ what: String) where H.Compute == Float {
    #expect(roundedEqual(values(half.loss), values(float.loss)), "\(H.self) \(what): loss")
    #expect(roundedEqual(half.grad, float.grad), "\(H.self) \(what): gradient")
}

/// (n, classes, inner) covering the driver's paths: short transposed rows, long rows (several
/// blocks), K-dim tiles (inner < 16) and lanes (inner >= 16).
private let halfShapes: [(Int, Int, Int)] = [(1, 1, 1), (37, 3, 1), (90, 40, 1), (9, 2000, 1), (5, 5, 3), (3, 7, 40)]

// MARK: - Class rows

@Suite("16-bit class rows")
struct HalfClassRowsTests {
    @Test("cross_entropy (class indices): rounded Float results", arguments: [false, true])
    func crossEntropyIndices(bfloat: Bool) throws {
        if bfloat { try checkIndices(BFloat16.self) } else { try checkIndices(Float16.self) }
    }

    private func checkIndices<H: LossStorage>(_ type: H.Type) throws where H.Compute == Float {
        for (index, (n, c, inner)) in halfShapes.enumerated() {
            let (xh, xf) = halfData(H.self, count: n * c * inner, seed: UInt64(index + 1), special: index == 2)
            var rng = SplitMix64(seed: 99)
            var target = (0..<(n * inner)).map { _ in Int64(rng.int(c)) }
            target[0] = -100
            let (wh, wf) = halfData(H.self, count: c, seed: 7, scale: 1)
            let (wh2, wf2) = (wh.map { H(rounding: abs($0.computeValue)) }, wf.map { abs($0) })
            for reduction in [Reduction.none, .mean, .sum] {
                for smoothing in [0.0, 0.2] {
                    for weighted in [false, true] {
                        let what = "n \(n) c \(c) inner \(inner) \(reduction) eps \(smoothing) weighted \(weighted)"
                        let count = reduction == .none ? n * inner : 1
                        let (gh, gf) = halfData(H.self, count: count, seed: 5, scale: 2)
                        let half = try crossEntropyAndGrad(xh, target, classes: c, inner: inner,
                                                           weight: weighted ? wh2 : nil, reduction: reduction,
                                                           labelSmoothing: smoothing, gradOutput: gh)
                        let float = try crossEntropyAndGrad(xf, target, classes: c, inner: inner,
                                                            weight: weighted ? wf2 : nil, reduction: reduction,
                                                            labelSmoothing: smoothing, gradOutput: gf)
                        expectMatch(half, float, "cross_entropy \(what)")
                        let halfLoss = try crossEntropy(xh, target, classes: c, inner: inner, weight: weighted ? wh2 : nil,
                                                        reduction: reduction, labelSmoothing: smoothing)
                        #expect(roundedEqual(values(halfLoss), values(float.loss)), "\(H.self) cross_entropy loss only \(what)")
                    }
                }
            }
        }
    }

    @Test("cross_entropy (probabilities), nll_loss, focal_loss: rounded Float results", arguments: [false, true])
    func otherRows(bfloat: Bool) throws {
        if bfloat { try checkRest(BFloat16.self) } else { try checkRest(Float16.self) }
    }

    private func checkRest<H: LossStorage>(_ type: H.Type) throws where H.Compute == Float {
        for (index, (n, c, inner)) in halfShapes.enumerated() {
            let (xh, xf) = halfData(H.self, count: n * c * inner, seed: UInt64(index + 11))
            let (ph, pf) = halfData(H.self, count: n * c * inner, seed: UInt64(index + 21), scale: 1)
            let (ph2, pf2) = (ph.map { H(rounding: abs($0.computeValue)) }, pf.map { abs($0) })
            var rng = SplitMix64(seed: 3)
            let target = (0..<(n * inner)).map { _ in Int64(rng.int(c)) }
            for reduction in [Reduction.none, .mean, .sum] {
                let what = "n \(n) c \(c) inner \(inner) \(reduction)"
                expectMatch(try crossEntropyAndGrad(xh, probabilities: ph2, classes: c, inner: inner, reduction: reduction,
                                                    labelSmoothing: 0.1),
                            try crossEntropyAndGrad(xf, probabilities: pf2, classes: c, inner: inner, reduction: reduction,
                                                    labelSmoothing: 0.1), "cross_entropy_probs \(what)")
                expectMatch(try nllLossAndGrad(xh, target, classes: c, inner: inner, weight: Array(ph2.prefix(c)),
                                               ignoreIndex: 0, reduction: reduction),
                            try nllLossAndGrad(xf, target, classes: c, inner: inner, weight: Array(pf2.prefix(c)),
                                               ignoreIndex: 0, reduction: reduction), "nll_loss \(what)")
                #expect(roundedEqual(values(try nllLoss(xh, target, classes: c, inner: inner, reduction: reduction)),
                                     values(try nllLoss(xf, target, classes: c, inner: inner, reduction: reduction))),
                        "\(H.self) nll_loss loss only \(what)")
                for gamma in [2.0, 0.5] {
                    expectMatch(try focalLossAndGrad(xh, target, classes: c, inner: inner, gamma: gamma, reduction: reduction),
                                try focalLossAndGrad(xf, target, classes: c, inner: inner, gamma: gamma, reduction: reduction),
                                "focal_loss gamma \(gamma) \(what)")
                }
            }
        }
    }
}

// MARK: - Class margins and the 0-1 loss

@Suite("16-bit class margins and 0-1 loss")
struct HalfClassMarginsTests {
    @Test("multi_margin, multilabel_margin, multilabel_soft_margin, zero_one: rounded Float results")
    func margins() throws {
        try check(BFloat16.self)
        try check(Float16.self)
    }

    private func check<H: LossStorage>(_ type: H.Type) throws where H.Compute == Float {
        for (index, (n, c)) in [(1, 1), (13, 5), (40, 300), (3, 2000)].enumerated() {
            let (xh, xf) = halfData(H.self, count: n * c, seed: UInt64(index + 31), scale: 1.5)
            let (yh, yf) = halfData(H.self, count: n * c, seed: UInt64(index + 41), scale: 1)
            let (th, tf) = (yh.map { H(rounding: $0.computeValue > 0 ? 1 : 0) }, yf.map { $0 > 0 ? Float(1) : 0 })
            let (wh, wf) = (yh.map { H(rounding: abs($0.computeValue)) }, yf.map { abs($0) })
            var rng = SplitMix64(seed: 17)
            let target = (0..<n).map { _ in Int64(rng.int(c)) }
            var labels = [Int64](repeating: -1, count: n * c)
            for i in 0..<n { for k in 0..<min(c, i % 4) { labels[i * c + k] = Int64(rng.int(c)) } }
            for reduction in [Reduction.none, .mean, .sum] {
                let what = "n \(n) c \(c) \(reduction)"
                for p in [1, 2] {
                    expectMatch(try multiMarginLossAndGrad(xh, target, classes: c, p: p, margin: 0.7,
                                                           weight: Array(wh.prefix(c)), reduction: reduction),
                                try multiMarginLossAndGrad(xf, target, classes: c, p: p, margin: 0.7,
                                                           weight: Array(wf.prefix(c)), reduction: reduction),
                                "multi_margin p \(p) \(what)")
                }
                expectMatch(try multilabelMarginLossAndGrad(xh, labels, classes: c, reduction: reduction),
                            try multilabelMarginLossAndGrad(xf, labels, classes: c, reduction: reduction),
                            "multilabel_margin \(what)")
                for weight in [nil, Array(wh.prefix(c)), wh] {
                    let floatWeight = weight.map { $0.map { $0.computeValue } }
                    expectMatch(try multilabelSoftMarginLossAndGrad(xh, th, classes: c, weight: weight, reduction: reduction),
                                try multilabelSoftMarginLossAndGrad(xf, tf, classes: c, weight: floatWeight, reduction: reduction),
                                "multilabel_soft_margin weights \(weight?.count ?? 0) \(what)")
                }
                let rows = (0..<n).map { Array(xh[($0 * c)..<($0 * c + c)]) }
                let floatRows = (0..<n).map { Array(xf[($0 * c)..<($0 * c + c)]) }
                #expect(roundedEqual(values(try zeroOneLoss(scores: rows, target: target, reduction: reduction)),
                                     values(try zeroOneLoss(scores: floatRows, target: target, reduction: reduction))),
                        "\(H.self) zero_one \(what)")
            }
        }
    }
}
