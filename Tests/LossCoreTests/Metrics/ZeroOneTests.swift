// Tests of the 0-1 loss, from scores (argmax, first index on ties, NaN is the maximum
// as in torch.argmax) and from predicted labels.
import Testing
@testable import LossCore

/// torch.argmax of one row: the first NaN if any, else the first index of the maximum.
func referenceArgmax(_ row: [Double]) -> Int {
    if let nan = row.firstIndex(where: \.isNaN) { return nan }
    var best = 0
    for j in 1..<row.count where row[j] > row[best] { best = j }
    return best
}

@Suite("0-1 loss")
struct ZeroOneTests {
    @Test(arguments: DType.allCases)
    func handExample(dtype: DType) throws {
        func run<T: LossScalar>(_: T.Type) throws {
            let scores: [[T]] = [
                [0.1, 0.9],            // predicts 1
                [0.8, 0.2],            // predicts 0
                [0.5, 0.5],            // tie: first index, 0
                [.nan, 1],             // NaN is the maximum: 0
                [1, .nan],             // 1
                [-.infinity, -.infinity], // tie: 0
                [.nan, .nan],          // first NaN: 0
            ]
            let target: [Int64] = [1, 1, 0, 0, 0, 1, 1]
            // mismatches:          0  1  0  0  1  1  1
            #expect(try zeroOneLoss(scores: scores, target: target, reduction: .none) == .elementwise([0, 1, 0, 0, 1, 1, 1]))
            #expect(try zeroOneLoss(scores: scores, target: target, reduction: .sum) == .reduced(4))
            let mean = try zeroOneLoss(scores: scores, target: target, reduction: .mean).scalar!
            #expect(isClose(Double(mean), 4.0 / 7, rel: tolerance(T.self)))
            // The default reduction is 'mean'.
            #expect(try zeroOneLoss(scores: scores, target: target) == .reduced(mean))
        }
        switch dtype {
        case .f32: try run(Float.self)
        case .f64: try run(Double.self)
        }
    }

    @Test func singleClassAlwaysPredictsZero() throws {
        let scores: [[Double]] = [[3], [-1], [.nan]]
        #expect(try zeroOneLoss(scores: scores, target: [0, 0, 0], reduction: .sum) == .reduced(0))
    }

    @Test(arguments: DType.allCases)
    func randomAgainstReference(dtype: DType) throws {
        func run<T: LossScalar>(_: T.Type) throws {
            var rng = SplitMix64(seed: 31)
            let n = 500, c = 7
            // Coarse values so that ties happen often.
            let scores: [[T]] = (0..<n).map { _ in (0..<c).map { _ in T(Double(rng.int(4))) } }
            let target: [Int64] = (0..<n).map { _ in Int64(rng.int(c)) }
            let want = (0..<n).map { referenceArgmax(scores[$0].map { Double($0) }) != Int(target[$0]) ? 1.0 : 0.0 }
            #expect(try zeroOneLoss(scores: scores, target: target, reduction: .none).values.map { Double($0) } == want)
            #expect(Double(try zeroOneLoss(scores: scores, target: target, reduction: .sum).scalar!) == want.reduce(0, +))
            let mean = Double(try zeroOneLoss(scores: scores, target: target, reduction: .mean).scalar!)
            #expect(isClose(mean, want.reduce(0, +) / Double(n), rel: tolerance(T.self)))
        }
        switch dtype {
        case .f32: try run(Float.self)
        case .f64: try run(Double.self)
        }
    }

    @Test func labels() throws {
        let predicted: [Int64] = [1, -5, .max, .min, 7, 0]
        let target: [Int64] = [1, -5, .min, .min, 8, 0]
        #expect(try zeroOneLoss(predicted: predicted, target: target, reduction: .none) == .elementwise([0, 0, 1, 0, 1, 0]))
        #expect(try zeroOneLoss(predicted: predicted, target: target, reduction: .sum) == .reduced(2))
        #expect(try zeroOneLoss(predicted: predicted, target: target, reduction: .mean) == .reduced(2.0 / 6))
        #expect(try zeroOneLoss(predicted: predicted, target: target) == .reduced(2.0 / 6))
    }

    @Test func empty() throws {
        let noScores: [[Double]] = []
        #expect(try zeroOneLoss(scores: noScores, target: [], reduction: .mean).scalar!.isNaN)
        #expect(try zeroOneLoss(scores: noScores, target: [], reduction: .sum) == .reduced(0))
        #expect(try zeroOneLoss(scores: noScores, target: [], reduction: .none) == .elementwise([]))
        #expect(try zeroOneLoss(predicted: [], target: [], reduction: .mean).scalar!.isNaN)
        #expect(try zeroOneLoss(predicted: [], target: [], reduction: .sum) == .reduced(0))
        #expect(try zeroOneLoss(predicted: [], target: [], reduction: .none) == .elementwise([]))
        // Buffer API: n = 0 with NULL data, with or without classes.
        for c in [0, 3] {
            var out: [Float] = [Float(sentinel)]
            try out.withUnsafeMutableBufferPointer { o throws(LossError) in
                try zeroOneLoss(scores: nil as UnsafePointer<Float>?, target: nil, n: 0, c: c, reduction: .mean, out: o.baseAddress)
            }
            #expect(out[0].isNaN)
            try out.withUnsafeMutableBufferPointer { o throws(LossError) in
                try zeroOneLoss(scores: nil as UnsafePointer<Float>?, target: nil, n: 0, c: c, reduction: .sum, out: o.baseAddress)
            }
            #expect(out[0] == 0)
        }
    }

    @Test func arrayErrors() {
        expectLossError(.shape, mentions: "target") { () throws(LossError) in
            _ = try zeroOneLoss(scores: [[1.0, 2], [3, 4]], target: [0])
        }
        expectLossError(.shape, mentions: "row") { () throws(LossError) in
            _ = try zeroOneLoss(scores: [[1.0, 2], [3]], target: [0, 0])
        }
        expectLossError(.shape, mentions: "c") { () throws(LossError) in
            _ = try zeroOneLoss(scores: [[Double](), []], target: [0, 0])
        }
        for bad: Int64 in [-1, 2, .max, .min] {
            expectLossError(.index, mentions: "target") { () throws(LossError) in
                _ = try zeroOneLoss(scores: [[1.0, 2], [3, 4]], target: [0, bad], reduction: .none)
            }
        }
        expectLossError(.shape, mentions: "target") { () throws(LossError) in
            _ = try zeroOneLoss(predicted: [1, 2], target: [1])
        }
    }

    /// Runs the scores buffer API on a 2 x 3 input with the given changes and expects `kind`;
    /// the output must not move.
    func expectScoresRefused(_ kind: LossError.Kind, mentions: String, n: Int = 2, c: Int = 3,
                             scores useScores: Bool = true, target useTarget: Bool = true, out useOut: Bool = true,
                             targets values: [Int64] = [0, 2], reduction: Reduction = .none,
                             sourceLocation: SourceLocation = #_sourceLocation) {
        let scores: [Double] = [1, 2, 3, 4, 5, 6]
        var out = [sentinel, sentinel]
        scores.withUnsafeBufferPointer { s in
            values.withUnsafeBufferPointer { t in
                out.withUnsafeMutableBufferPointer { o in
                    expectLossError(kind, mentions: mentions, sourceLocation: sourceLocation) { () throws(LossError) in
                        try zeroOneLoss(scores: useScores ? s.baseAddress : nil, target: useTarget ? t.baseAddress : nil,
                                        n: n, c: c, reduction: reduction, out: useOut ? o.baseAddress : nil)
                    }
                }
            }
        }
        #expect(out == [sentinel, sentinel], "a refused call wrote \(out)", sourceLocation: sourceLocation)
    }

    @Test func bufferErrors() {
        for reduction in [Reduction.none, .mean, .sum] {
            expectScoresRefused(.nullPointer, mentions: "scores", scores: false, reduction: reduction)
            expectScoresRefused(.nullPointer, mentions: "target", target: false, reduction: reduction)
            expectScoresRefused(.nullPointer, mentions: "out", out: false, reduction: reduction)
            expectScoresRefused(.index, mentions: "target", targets: [0, 3], reduction: reduction)
            expectScoresRefused(.index, mentions: "target", targets: [-1, 0], reduction: reduction)
            expectScoresRefused(.shape, mentions: "c", c: 0, reduction: reduction)
        }
        expectScoresRefused(.nullPointer, mentions: "out", n: 0, out: false, reduction: .mean)
        expectScoresRefused(.shape, mentions: "n", n: -1)
        expectScoresRefused(.shape, mentions: "c", c: -1)
        expectScoresRefused(.shape, mentions: "n * c", n: Int.max, c: 2)
        expectScoresRefused(.shape, mentions: "n * c", n: 1 << 32, c: 1 << 32)

        // Labels.
        let p: [Int64] = [1, 2], t: [Int64] = [1, 3]
        var out = [sentinel, sentinel]
        p.withUnsafeBufferPointer { pp in
            t.withUnsafeBufferPointer { tp in
                out.withUnsafeMutableBufferPointer { o in
                    expectLossError(.nullPointer, mentions: "predicted") { () throws(LossError) in
                        try zeroOneLoss(predicted: nil, target: tp.baseAddress, n: 2, reduction: .none, out: o.baseAddress)
                    }
                    expectLossError(.nullPointer, mentions: "target") { () throws(LossError) in
                        try zeroOneLoss(predicted: pp.baseAddress, target: nil, n: 2, reduction: .mean, out: o.baseAddress)
                    }
                    expectLossError(.nullPointer, mentions: "out") { () throws(LossError) in
                        try zeroOneLoss(predicted: pp.baseAddress, target: tp.baseAddress, n: 2, reduction: .sum, out: nil)
                    }
                    expectLossError(.shape, mentions: "n") { () throws(LossError) in
                        try zeroOneLoss(predicted: pp.baseAddress, target: tp.baseAddress, n: -1, reduction: .sum, out: o.baseAddress)
                    }
                }
            }
        }
        #expect(out == [sentinel, sentinel])
    }
}
