// Tests of the CTC loss against its definition: the probability of a target is the sum, over
// every frame-by-frame path that collapses to it (merge repeats, then drop blanks), of the
// product of the path's probabilities; the reference enumerates the paths in float64.
import Testing
@testable import LossCore

/// A small CTC problem: log-softmax frames (frames x n x classes) and padded targets.
struct CTCProblem {
    var frames: Int, n: Int, classes: Int, padded: Int
    var x: [Double]
    var targets: [Int64], inputLengths: [Int64], targetLengths: [Int64]
    var blank: Int

    static func random(_ rng: inout SplitMix64, frames: Int, n: Int, classes: Int, padded: Int, blank: Int) -> CTCProblem {
        var x: [Double] = []
        for _ in 0..<(frames * n) {
            let row = rng.values(classes, -2, 2)
            let norm = referenceLog(row.map(referenceExp).reduce(0, +))
            x += row.map { $0 - norm }
        }
        let targets = (0..<(n * padded)).map { _ in
            let v = rng.int(classes - 1)
            return Int64(v >= blank ? v + 1 : v)
        }
        let inputLengths = (0..<n).map { Int64(frames - (($0 % 2) == 1 ? 1 : 0)) }
        let targetLengths = (0..<n).map { _ in Int64(rng.int(min(padded, (frames + 1) / 2) + 1)) }
        return CTCProblem(frames: frames, n: n, classes: classes, padded: padded, x: x, targets: targets,
                          inputLengths: inputLengths, targetLengths: targetLengths, blank: blank)
    }

    /// The targets one sample after another (torch's 1-D targets).
    var concatenated: [Int64] {
        (0..<n).flatMap { b in targets[(b * padded)..<(b * padded + Int(targetLengths[b]))] }
    }

    /// Per sample: -log P and the gradient exp(x) - (sum of the probabilities of the paths
    /// through class k at frame t) / P, from every path of the sample's frames.
    func reference(_ b: Int) -> (loss: Double, grad: [Double]) {
        let frames = Int(inputLengths[b]), label = Array(targets[(b * padded)..<(b * padded + Int(targetLengths[b]))])
        var grad = [Double](repeating: 0, count: self.frames * classes)
        func score(_ t: Int, _ k: Int) -> Double { x[(t * n + b) * classes + k] }
        var total = 0.0
        var through = [Double](repeating: 0, count: self.frames * classes)
        var path = [Int](repeating: 0, count: frames)
        func collapse() -> [Int64] {
            var out: [Int64] = [], previous = -1
            for k in path {
                if k != previous && k != blank { out.append(Int64(k)) }
                previous = k
            }
            return out
        }
        func visit(_ t: Int) {
            if t == frames {
                guard collapse() == label else { return }
                let p = referenceExp((0..<frames).map { score($0, path[$0]) }.reduce(0, +))
                total += p
                for s in 0..<frames { through[s * classes + path[s]] += p }
                return
            }
            for k in 0..<classes {
                path[t] = k
                visit(t + 1)
            }
        }
        visit(0)
        for t in 0..<frames {
            for k in 0..<classes { grad[t * classes + k] = referenceExp(score(t, k)) - through[t * classes + k] / total }
        }
        return (total == 0 ? .infinity : -referenceLog(total), grad)
    }
}

// The C library's exp and log, by names that do not clash with LossScalar's static members.
private func referenceExp(_ x: Double) -> Double { Double.exp(x) }
private func referenceLog(_ x: Double) -> Double { Double.log(x) }

@Suite("Sequences: CTC")
struct CTCTests {
    @Test(arguments: DType.allCases)
    func againstEveryPath(dtype: DType) throws {
        func run<T: LossScalar>(_: T.Type) throws {
            var rng = SplitMix64(seed: 71)
            for (frames, n, classes, padded, blank) in [(5, 3, 3, 2, 0), (6, 2, 3, 3, 2), (1, 2, 2, 1, 1), (4, 1, 4, 2, 3)] {
                let pr = CTCProblem.random(&rng, frames: frames, n: n, classes: classes, padded: padded, blank: blank)
                let refs = (0..<n).map(pr.reference)
                let x = cast(pr.x, to: T.self)
                for reduction in Reduction.allCases {
                    let go = reduction == .none ? rng.values(n) : [0.75]
                    var want: [Double], wantGrad = [Double](repeating: 0, count: pr.x.count)
                    for b in 0..<n {
                        let tl = Double(max(pr.targetLengths[b], 1))
                        let scale = reduction == .none ? go[b] : reduction == .sum ? go[0] : go[0] / Double(n) / tl
                        for t in 0..<frames {
                            for k in 0..<classes {
                                wantGrad[(t * n + b) * classes + k] = refs[b].grad[t * classes + k] * scale
                            }
                        }
                    }
                    switch reduction {
                    case .none: want = refs.map(\.loss)
                    case .sum: want = [refs.map(\.loss).reduce(0, +)]
                    case .mean:
                        want = [(0..<n).map { refs[$0].loss / Double(max(pr.targetLengths[$0], 1)) }.reduce(0, +) / Double(n)]
                    }
                    for concatenated in [false, true] {
                        let (loss, grad) = try ctcLossAndGrad(
                            x, targets: concatenated ? pr.concatenated : pr.targets, inputLengths: pr.inputLengths,
                            targetLengths: pr.targetLengths, classes: classes, paddedLength: concatenated ? nil : padded,
                            blank: blank, reduction: reduction, gradOutput: cast(go, to: T.self))
                        let context = "\(T.self) T=\(frames) N=\(n) C=\(classes) blank=\(blank) \(reduction) concatenated=\(concatenated)"
                        expectClose(loss.values, want, rel: 8 * tolerance(T.self), abs: 8 * tolerance(T.self),
                                    context)
                        expectClose(grad, wantGrad, rel: 8 * tolerance(T.self), abs: 8 * tolerance(T.self), context)
                        let alone = try ctcLoss(x, targets: concatenated ? pr.concatenated : pr.targets,
                                                inputLengths: pr.inputLengths, targetLengths: pr.targetLengths,
                                                classes: classes, paddedLength: concatenated ? nil : padded, blank: blank,
                                                reduction: reduction)
                        #expect(bitsEqual(alone.values, loss.values), "\(context): the fused loss is the loss alone")
                    }
                }
            }
        }
        switch dtype {
        case .f32: try run(Float.self)
        case .f64: try run(Double.self)
        }
    }

    /// 500 frames, a target of 250 labels: a likelihood near e^-1300, far below the range of a
    /// double probability; the log-space recursions keep it, in float as in double.
    @Test func longSequenceDoesNotUnderflow() throws {
        var rng = SplitMix64(seed: 73)
        let frames = 500, classes = 10, length = 250
        var x: [Double] = []
        for _ in 0..<frames {
            let row = rng.values(classes, -3, 3)
            let norm = referenceLog(row.map(referenceExp).reduce(0, +))
            x += row.map { $0 - norm }
        }
        let targets = (0..<length).map { Int64(1 + $0 % 4) }
        let (double, doubleGrad) = try ctcLossAndGrad(x, targets: targets, inputLengths: [Int64(frames)],
                                                      targetLengths: [Int64(length)], classes: classes, reduction: .sum)
        let (float, floatGrad) = try ctcLossAndGrad(cast(x, to: Float.self), targets: targets,
                                                    inputLengths: [Int64(frames)], targetLengths: [Int64(length)],
                                                    classes: classes, reduction: .sum)
        let value = double.scalar!
        #expect(value.isFinite && value > 745, "the loss \(value) must be finite and beyond e^-745")
        #expect(isClose(Double(float.scalar!), value, rel: 1e-5))
        #expect(doubleGrad.allSatisfy(\.isFinite) && floatGrad.allSatisfy(\.isFinite))
        // Every frame's gradient sums to 0 over the classes (softmax minus path occupancy, both 1).
        for t in 0..<frames {
            #expect(abs((0..<classes).map { doubleGrad[t * classes + $0] }.reduce(0, +)) < 1e-9)
        }
        expectClose(floatGrad, doubleGrad, rel: 1e-3, abs: 1e-3, "float against double")
    }

    @Test(arguments: DType.allCases)
    func infeasibleAlignments(dtype: DType) throws {
        func run<T: LossScalar>(_: T.Type) throws {
            // Sample 0: 3 labels in 2 frames; sample 1: a repeat that needs 3 frames, in 2.
            let x = [T](repeating: T(-Double.log(3)), count: 2 * 2 * 3)
            let targets: [Int64] = [1, 2, 1, 1, 1, 0]
            for zeroInfinity in [false, true] {
                let (loss, grad) = try ctcLossAndGrad(x, targets: targets, inputLengths: [2, 2], targetLengths: [3, 2],
                                                      classes: 3, paddedLength: 3, reduction: .none,
                                                      zeroInfinity: zeroInfinity)
                if zeroInfinity {
                    #expect(loss.values == [0, 0] && grad.allSatisfy { $0 == 0 })
                } else {
                    #expect(loss.values == [.infinity, .infinity] && grad.allSatisfy(\.isNaN))
                }
            }
            // No frames: an empty target costs nothing (torch's -0), any other is impossible.
            let none = try ctcLoss(x, targets: [1, 0], inputLengths: [0, 0], targetLengths: [0, 1], classes: 3,
                                   paddedLength: 1, reduction: .none)
            #expect(none.values[0] == 0 && none.values[0].sign == .minus && none.values[1] == .infinity)
        }
        switch dtype {
        case .f32: try run(Float.self)
        case .f64: try run(Double.self)
        }
    }

    @Test func errorsNameTheArgumentAndValue() {
        let x = [Double](repeating: -Double.log(3), count: 4 * 2 * 3)
        func call(_ targets: [Int64] = [1, 2, 2, 1], il: [Int64] = [4, 4], tl: [Int64] = [2, 1], blank: Int = 0,
                  padded: Int? = 2, classes: Int = 3) throws(LossError) {
            _ = try ctcLoss(x, targets: targets, inputLengths: il, targetLengths: tl, classes: classes,
                            paddedLength: padded, blank: blank)
        }
        expectLossError(.invalidArgument, mentions: "blank") { () throws(LossError) in try call(blank: 3) }
        expectLossError(.invalidArgument, mentions: "blank") { () throws(LossError) in try call(blank: -1) }
        expectLossError(.shape, mentions: "input_lengths[1] = 5") { () throws(LossError) in try call(il: [4, 5]) }
        expectLossError(.shape, mentions: "input_lengths[0] = -1") { () throws(LossError) in try call(il: [-1, 4]) }
        expectLossError(.shape, mentions: "target_lengths[0] = 3") { () throws(LossError) in try call(tl: [3, 1]) }
        expectLossError(.shape, mentions: "target_lengths[1] = -2") { () throws(LossError) in try call(tl: [2, -2]) }
        expectLossError(.index, mentions: "targets[1][0] = 3") { () throws(LossError) in try call([1, 2, 3, 0]) }
        expectLossError(.index, mentions: "targets[2] (sample 1, position 0) = -1") { () throws(LossError) in
            try call([1, 2, -1], padded: nil)
        }
        // Padding past a target's length is never read.
        #expect(throws: Never.self) { try call([1, 2, 1, 99]) }
    }

    @Suite("Sequences: determinism across thread counts", .serialized)
    struct Threads {
        @Test(arguments: DType.allCases)
        func bitwiseIdenticalForOneAndTwoThreads(dtype: DType) throws {
            defer { try? Parallel.setThreadCount(0) }
            var rng = SplitMix64(seed: 79)
            let pr = CTCProblem.random(&rng, frames: 64, n: 24, classes: 50, padded: 20, blank: 0)
            func run<T: LossScalar>(_: T.Type) throws {
                let x = cast(pr.x, to: T.self)
                for reduction in Reduction.allCases {
                    var results: [([UInt64], [UInt64])] = []
                    for threads in [1, 2] {
                        try Parallel.setThreadCount(threads)
                        let (loss, grad) = try ctcLossAndGrad(x, targets: pr.targets, inputLengths: pr.inputLengths,
                                                              targetLengths: pr.targetLengths, classes: pr.classes,
                                                              paddedLength: pr.padded, reduction: reduction)
                        results.append((bitPatterns(loss.values), bitPatterns(grad)))
                    }
                    #expect(results[0] == results[1], "\(T.self) \(reduction): results differ between 1 and 2 threads")
                }
            }
            switch dtype {
            case .f32: try run(Float.self)
            case .f64: try run(Double.self)
            }
        }
    }
}
