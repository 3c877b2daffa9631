// Tests of the elementwise losses on 16-bit storage (Float16, BFloat16) through the array API:
// every loss's values and gradients must be the Float call's on the widened arrays, rounded
// once to the storage type, bit for bit (the storage contract of LossStorage), for every
// reduction, with and without a gradient and grad_output, over sizes that span several
// staged blocks, with non-finite and extreme values among the operands; and the checks that
// read values (BCE's [0, 1], gaussian NLL's var >= 0) refuse 16-bit data as they refuse Float.
import Testing
@testable import LossCore

/// Every loss of the elementwise family, with non-default options where it has them.
enum HalfElementwiseLoss: String, CaseIterable, CustomStringConvertible, Sendable {
    case l1, mse, smoothL1, huber, bce, bceWithLogits, sigmoidFocal, softMargin
    case hingeEmbedding, klDiv, poissonNLL, marginRanking, gaussianNLL

    var description: String { rawValue }

    /// Elements share gaussian NLL's var three times over runs of seven (var_repeat 3,
    /// var_inner 7), and pos_weight repeats every 3 elements, so n is a multiple of 21.
    static let varRepeat = 3, varInner = 7, posWeightPeriod = 3

    /// The operands of an n-element call (as Float, to be rounded to the storage type):
    /// inputs, then the weight and pos_weight where the loss takes them.
    func operands(_ n: Int, _ rng: inout SplitMix64) -> [[Float]] {
        func values(_ count: Int, _ lo: Double, _ hi: Double) -> [Float] {
            rng.values(count, lo, hi).map { Float($0) }
        }
        func signs(_ count: Int) -> [Float] { (0..<count).map { _ in rng.int(2) == 0 ? 1 : -1 } }
        // A few non-finite and extreme values (in the middle of the range of both 16-bit types).
        func extremes(_ v: [Float], _ specials: [Float] = [.nan, .infinity, -.infinity, 0, -0.0, 6e4, -6e4, 1e-7]) -> [Float] {
            var v = v
            for i in stride(from: 5, to: v.count, by: 97) { v[i] = specials[rng.int(specials.count)] }
            return v
        }
        switch self {
        case .l1, .mse:
            return [extremes(values(n, -3, 3)), values(n, -3, 3), values(n, 0, 2)]
        case .smoothL1:
            return [extremes(values(n, -3, 3)), values(n, -3, 3)]
        case .huber:
            return [extremes(values(n, -3, 3)), values(n, -3, 3), values(n, 0, 2)]
        case .bce:
            return [extremes(values(n, 0, 1), [0, 1, 1e-30, 0.99951171875]), extremes(values(n, 0, 1), [0, 1]),
                    values(n, 0, 2)]
        case .bceWithLogits:
            return [extremes(values(n, -8, 8)), values(n, 0, 1), values(n, 0, 2),
                    values(Self.posWeightPeriod, 0.5, 3)]
        case .sigmoidFocal:
            return [extremes(values(n, -6, 6)), (0..<n).map { _ in [0, 1, 0.25][rng.int(3)] }]
        case .softMargin, .hingeEmbedding:
            return [extremes(values(n, -3, 3)), signs(n)]
        case .klDiv:
            return [extremes(values(n, -5, 0)), extremes(values(n, 0, 1), [0, 1, 1e-30])]
        case .poissonNLL:
            return [extremes(values(n, 0, 5), [0, 1e-30, .infinity, 6e4]), (0..<n).map { _ in Float(rng.int(8)) }]
        case .marginRanking:
            return [extremes(values(n, -3, 3)), values(n, -3, 3), (0..<n).map { _ in [1, -1, 0][rng.int(3)] }]
        case .gaussianNLL:
            return [extremes(values(n, -3, 3)), values(n, -3, 3),
                    extremes(values(n / Self.varRepeat, 0, 2), [0, 1e-30, .infinity, .nan])]
        }
    }

    /// The loss's values (one per element for `.none`, else one), then its gradients
    /// (none without `gradient`), from the array API.
    func call<T: LossStorage>(_ o: [[T]], _ reduction: Reduction, gradient: Bool, _ gradOutput: [T]?)
        throws(LossError) -> [[T]] {
        @inline(__always) func pack(_ result: (loss: LossOutput<T>, grad: [T])) -> [[T]] {
            [result.loss.values, result.grad]
        }
        switch self {
        case .l1:
            return gradient ? pack(try l1LossAndGrad(o[0], o[1], weight: o[2], reduction: reduction, gradOutput: gradOutput))
                : [try l1Loss(o[0], o[1], weight: o[2], reduction: reduction).values]
        case .mse:
            return gradient ? pack(try mseLossAndGrad(o[0], o[1], weight: o[2], reduction: reduction, gradOutput: gradOutput))
                : [try mseLoss(o[0], o[1], weight: o[2], reduction: reduction).values]
        case .smoothL1:
            return gradient ? pack(try smoothL1LossAndGrad(o[0], o[1], reduction: reduction, beta: 0.5, gradOutput: gradOutput))
                : [try smoothL1Loss(o[0], o[1], reduction: reduction, beta: 0.5).values]
        case .huber:
            return gradient
                ? pack(try huberLossAndGrad(o[0], o[1], reduction: reduction, delta: 2, weight: o[2], gradOutput: gradOutput))
                : [try huberLoss(o[0], o[1], reduction: reduction, delta: 2, weight: o[2]).values]
        case .bce:
            return gradient
                ? pack(try binaryCrossEntropyAndGrad(o[0], o[1], weight: o[2], reduction: reduction, gradOutput: gradOutput))
                : [try binaryCrossEntropy(o[0], o[1], weight: o[2], reduction: reduction).values]
        case .bceWithLogits:
            let posWeight = o[0].isEmpty ? nil : o[3]
            return gradient
                ? pack(try binaryCrossEntropyWithLogitsAndGrad(o[0], o[1], weight: o[2], posWeight: posWeight,
                                                               reduction: reduction, gradOutput: gradOutput))
                : [try binaryCrossEntropyWithLogits(o[0], o[1], weight: o[2], posWeight: posWeight,
                                                    reduction: reduction).values]
        case .sigmoidFocal:
            return gradient
                ? pack(try sigmoidFocalLossAndGrad(o[0], o[1], alpha: 0.25, gamma: 2, reduction: reduction,
                                                   gradOutput: gradOutput))
                : [try sigmoidFocalLoss(o[0], o[1], alpha: 0.25, gamma: 2, reduction: reduction).values]
        case .softMargin:
            return gradient ? pack(try softMarginLossAndGrad(o[0], o[1], reduction: reduction, gradOutput: gradOutput))
                : [try softMarginLoss(o[0], o[1], reduction: reduction).values]
        case .hingeEmbedding:
            return gradient
                ? pack(try hingeEmbeddingLossAndGrad(o[0], o[1], margin: 0.5, reduction: reduction, gradOutput: gradOutput))
                : [try hingeEmbeddingLoss(o[0], o[1], margin: 0.5, reduction: reduction).values]
        case .klDiv:
            return gradient ? pack(try klDivLossAndGrad(o[0], o[1], reduction: reduction, gradOutput: gradOutput))
                : [try klDivLoss(o[0], o[1], reduction: reduction).values]
        case .poissonNLL:
            return gradient
                ? pack(try poissonNLLLossAndGrad(o[0], o[1], logInput: false, full: true, reduction: reduction,
                                                 gradOutput: gradOutput))
                : [try poissonNLLLoss(o[0], o[1], logInput: false, full: true, reduction: reduction).values]
        case .marginRanking:
            guard gradient else {
                return [try marginRankingLoss(o[0], o[1], o[2], margin: 0.25, reduction: reduction).values]
            }
            let (loss, grads) = try marginRankingLossAndGrad(o[0], o[1], o[2], margin: 0.25, reduction: reduction,
                                                             gradOutput: gradOutput)
            return [loss.values, grads.input1, grads.input2]
        case .gaussianNLL:
            let (r, i) = (Self.varRepeat, Self.varInner)
            guard gradient else {
                return [try gaussianNLLLoss(o[0], o[1], o[2], varRepeat: r, varInner: i, full: true,
                                            reduction: reduction).values]
            }
            let (loss, grads) = try gaussianNLLLossAndGrad(o[0], o[1], o[2], varRepeat: r, varInner: i, full: true,
                                                           reduction: reduction, gradOutput: gradOutput)
            return [loss.values, grads.input, grads.variance]
        }
    }
}

/// Checks the contract of one loss on storage T: each call's outputs are the Float call's on
/// the widened operands, rounded once.
func expectHalfContract<T: LossStorage>(_ loss: HalfElementwiseLoss, _ type: T.Type) throws where T.Compute == Float {
    var rng = SplitMix64(seed: 0x16B1_7000 + UInt64(loss.rawValue.count))
    for n in [0, 21, 63, 2058, 4221] {
        let operands = loss.operands(n, &rng).map { $0.map { T(rounding: $0) } }
        let widened = operands.map { $0.map(\.computeValue) }
        for reduction in [Reduction.none, .mean, .sum] {
            for (gradient, upstream) in [(false, false), (true, false), (true, true)] {
                let count = reduction == .none ? n : 1
                let gradOutput: [T]? = upstream ? rng.values(count, -2, 2).map { T(rounding: Float($0)) } : nil
                let half = try loss.call(operands, reduction, gradient: gradient, gradOutput)
                let float = try loss.call(widened, reduction, gradient: gradient, gradOutput.map { $0.map(\.computeValue) })
                #expect(half.count == float.count)
                for (k, (h, f)) in zip(half, float).enumerated() {
                    let expected = f.map { T(rounding: $0) }
                    #expect(halfBits(h) == halfBits(expected),
                            "\(loss) \(T.self) n \(n) \(reduction) gradient \(gradient) grad_output \(upstream): output \(k)")
                }
            }
        }
    }
}

@Suite("Elementwise losses on 16-bit storage")
struct HalfElementwiseTests {
    @Test("values and gradients are the Float call's on the widened arrays, rounded once",
          arguments: HalfElementwiseLoss.allCases, HalfType.allCases)
    func contract(_ loss: HalfElementwiseLoss, _ type: HalfType) throws {
        struct Contract: HalfTest {
            let loss: HalfElementwiseLoss
            func callAsFunction<T: LossStorage>(_ type: T.Type) throws where T.Compute == Float {
                try expectHalfContract(loss, type)
            }
        }
        try type.run(Contract(loss: loss))
    }

    @Test("a small call by hand: MSE of Float16 and BFloat16 values")
    func mseByHand() throws {
        // d = (-0.5, 1, -1): mean of squares 0.75, gradient 2d/3 rounded to each type.
        let half = try mseLossAndGrad([Float16(0.5), 2, -1], [1, 1, 0])
        #expect(half.loss.scalar == 0.75)
        #expect(halfBits(half.grad) == halfBits([Float16(-1.0 / 3), Float16(2.0 / 3), Float16(-2.0 / 3)]))
        let brain = try mseLossAndGrad([BFloat16(0.5), 2, -1], [1, 1, 0])
        #expect(brain.loss.scalar == 0.75)
        #expect(halfBits(brain.grad) == [0xBEAB, 0x3F2B, 0xBF2B])
    }

    @Test("the value checks refuse 16-bit data as they refuse Float, with the same message")
    func valueChecks() {
        func message(_ body: () throws -> Void) -> String? {
            do { try body(); return nil } catch { return (error as? LossError)?.message ?? "\(error)" }
        }
        let floatBCE = message { _ = try binaryCrossEntropy([Float(0.5), 1.5], [1, 0]) }
        #expect(floatBCE?.contains("input[1] = 1.5 is outside [0, 1]") == true)
        #expect(message { _ = try binaryCrossEntropy([Float16(0.5), 1.5], [1, 0]) } == floatBCE)
        #expect(message { _ = try binaryCrossEntropy([BFloat16(0.5), 1.5], [1, 0]) } == floatBCE)
        let nanTarget = message { _ = try binaryCrossEntropy([Float(0.5), 0.5], [1, .nan]) }
        #expect(nanTarget?.contains("target[1] = nan") == true)
        #expect(message { _ = try binaryCrossEntropy([Float16(0.5), 0.5], [1, .nan]) } == nanTarget)
        #expect(message { _ = try binaryCrossEntropy([BFloat16(0.5), 0.5], [1, BFloat16(Float.nan)]) } == nanTarget)
        let floatVar = message { _ = try gaussianNLLLoss([Float(0), 1], [0, 0], [1, -0.5]) }
        #expect(floatVar?.contains("var[1] = -0.5") == true)
        #expect(message { _ = try gaussianNLLLoss([Float16(0), 1], [0, 0], [1, -0.5]) } == floatVar)
        #expect(message { _ = try gaussianNLLLoss([BFloat16(0), 1], [0, 0], [1, -0.5]) } == floatVar)
    }
}
