#if canImport(Glibc)
import Glibc
#endif

/// Binary cross-entropy on probabilities, `torch.nn.functional.binary_cross_entropy`.
///
/// For a probability x in [0, 1] and a target y in [0, 1]:
///
///     l     = -(y max(log x, -100) + (1 - y) max(log(1 - x), -100))
///     dl/dx = (x - y) / max((1 - x) x, 1e-12)
///
/// Each log term is clamped at -100 (so l <= 100 even at x = 0 or 1), exactly as torch's
/// forward, and the derivative is torch's backward formula, whose clamp keeps it finite
/// (at most about 1e12 in magnitude) where the true derivative diverges. Like torch, the
/// clamp is 1e-12 rounded to float (9.99999996e-13), for float and double alike.
/// log(1 - x) is log1p(-x), as torch computes it. Per-element weights multiply both;
/// 'mean' divides by n (also with weights: torch's rule for BCE).
///
/// Float uses vector logs (`lanes`) instead of libm's scalar logf and log1pf: log x
/// by VectorMath.logNonNegative, and log1p(-x) as log(u) - ((u - 1) + x) / u with u = 1 - x
/// rounded: the second term is u's rounding error over u (exact by Sterbenz's lemma), the
/// first-order correction that makes log(u) a log of 1 - x (zero for x >= 1/2, where u is
/// exact). One-value calls (vector tails, weighted elements) run the lane formula on one
/// lane, so every element gets the same bits wherever it falls. Double keeps libm.
///
/// torch refuses an input or a target outside [0, 1] (NaN included) before computing
/// anything; `binaryCrossEntropy` does the same, so the kernel never sees such values.
struct BinaryCrossEntropy<Scalar: LossScalar>: ElementwiseLoss {
    @inline(__always) func value(_ x: Scalar, _ y: Scalar) -> Scalar {
        if Scalar.self == Float.self { return firstLane(x, y, derivative: false).0 }
        // torch: (y - 1) * max(log1p(-x), -100) - y * max(log(x), -100)
        let logX = Swift.max(Scalar.log(x), -100)
        let logNotX = Swift.max(Scalar.log1p(-x), -100)
        return (y - 1) * logNotX - y * logX
    }

    @inline(__always) func valueAndDerivative(_ x: Scalar, _ y: Scalar) -> (Scalar, Scalar) {
        if Scalar.self == Float.self { return firstLane(x, y, derivative: true) }
        // torch's EPSILON is a float constant, 1e-12 rounded to float, in double too.
        let epsilon = Scalar(Float(1e-12))
        return (value(x, y), (x - y) / Swift.max((1 - x) * x, epsilon))
    }

    var hasLanes: Bool { true }

    /// The formulas above on sixteen float lanes (the logs as the type's comment says).
    @inline(__always)
    func lanes(_ x: SIMD16<Float>, _ y: SIMD16<Float>, derivative: Bool) -> (SIMD16<Float>, SIMD16<Float>) {
        // max(v, -100), and -100 for NaN: log1p(-1) comes out as -inf - 0/0.
        @inline(__always) func clamped(_ v: SIMD16<Float>) -> SIMD16<Float> {
            v.replacing(with: -100, where: .!(v .>= -100))
        }
        let logX = clamped(VectorMath.logNonNegative(x))
        let u = 1 - x
        let logNotX = clamped(VectorMath.logNonNegative(u) - ((u - 1) + x) / u)
        let l = (y - 1) * logNotX - y * logX
        guard derivative else { return (l, SIMD16()) }
        let epsilon = Float(1e-12)
        let product = (1 - x) * x
        return (l, (x - y) / product.replacing(with: epsilon, where: product .< epsilon))
    }
}

/// The probability check binary cross-entropy runs before its kernel.
enum ProbabilityChecks {
    /// Refuses a buffer element outside [0, 1] (NaN included), naming the first one, as
    /// torch's "all elements of input should be between 0 and 1". Read-only; blocks are
    /// scanned in parallel for large inputs and the smallest bad index is reported.
    static func unitInterval<T: LossStorage>(_ values: UnsafePointer<T>, _ n: Int, _ name: String) throws(LossError) {
        let blockSize = Parallel.elementBlock
        let blockCount = (n + blockSize - 1) / blockSize
        var first = Int.max
        if blockCount <= 1 {
            first = firstOutside(values, 0..<n) ?? Int.max
        } else {
            var found = [Int](repeating: Int.max, count: blockCount)
            let data = UncheckedSendable(values)
            found.withUnsafeMutableBufferPointer { slots in
                let slots = UncheckedSendable(slots)
                Parallel.forEachBlock(blockCount, work: n) { block in
                    let start = block * blockSize
                    slots.value[block] = firstOutside(data.value, start..<min(start + blockSize, n)) ?? Int.max
                }
            }
            first = found.min() ?? Int.max
        }
        if first != Int.max {
            throw .invalidArgument(
                "\(name)[\(first)] = \(values[first].computeValue) is outside [0, 1]: "
                    + "all elements of \(name) should be between 0 and 1")
        }
    }

    private static func firstOutside<T: LossStorage>(_ values: UnsafePointer<T>, _ range: Range<Int>) -> Int? {
        // A branch-free pass first (flags combined with `&`, which LLVM vectorizes; an early
        // exit per element keeps the loop scalar), then
        // the first offender is looked for only in a block that has one.
        var outside = 0
        for i in range {
            let v = values[i].computeValue
            outside |= ((v >= 0 ? 1 : 0) & (v <= 1 ? 1 : 0)) ^ 1
        }
        guard outside != 0 else { return nil }
        for i in range {
            let v = values[i].computeValue
            if !(v >= 0 && v <= 1) { return i }
        }
        return nil
    }
}

// MARK: - Buffer API (the one the C exports forward to)

/// The binary cross-entropy of probabilities over raw buffers, as `torch.nn.functional.binary_cross_entropy`:
/// writes `out` and, where gradient buffers are set, the gradient.
///
///     loss[i] = -weight[i] * (y * max(log(x), -100) + (1 - y) * max(log(1 - x), -100))
///     x = input[i], y = target[i]
///
/// Every input and target value must lie in [0, 1].
///
/// - Parameters:
///   - buffers: The call's buffers: `input`, `target` and the optional `weight` of `count` values, the
///     `reduction`, `out` (one value, or `count` for `.none`), and, for the gradient, `gradInput` (`count`
///     values) with the optional `gradOutput`.
/// - Throws: `LossError` when a size, an option or an index is out of its domain (the message names the
///   argument); nothing is written then.
///
/// ## Reduction
///
/// `.none`: one loss per element; `.mean`: their sum divided by the element count; `.sum`: their sum. The
/// buffers' `reduction` chooses it.
///
/// ## Gradients
///
/// Written to the gradient buffers that are set, scaled by `gradOutput` (nil means ones), in the same pass as
/// the loss:
///
///     d loss[i] / d input[i] = weight[i] * (x - y) / max((1 - x) * x, 1e-12)
public func binaryCrossEntropy<T: LossStorage>(_ buffers: ElementwiseBuffers<T>) throws(LossError) {
    try ElementwiseDriver.validate(buffers)
    if buffers.count > 0 {
        try ProbabilityChecks.unitInterval(buffers.input!, buffers.count, "input")
        try ProbabilityChecks.unitInterval(buffers.target!, buffers.count, "target")
    }
    ElementwiseDriver.run(BinaryCrossEntropy<T.Compute>(), buffers, mean: .elementCount)
}

// MARK: - Array API

/// The binary cross-entropy of probabilities, as `torch.nn.functional.binary_cross_entropy`.
///
///     loss[i] = -weight[i] * (y * max(log(x), -100) + (1 - y) * max(log(1 - x), -100))
///     x = input[i], y = target[i]
///
/// Every input and target value must lie in [0, 1].
///
/// - Parameters:
///   - input: Probabilities in [0, 1]: any number of values.
///   - target: Target probabilities in [0, 1]: as many values as `input`.
///   - weight: Per-element weights, as many as `input`; nil weighs every element 1. Default `nil`.
///   - reduction: How the losses combine: `.none`, `.mean` or `.sum` (see Reduction). Default `.mean`.
/// - Returns: The loss: `.elementwise` with one loss per element for `.none`, else `.reduced` with one value.
/// - Throws: `LossError` when a size, an option or an index is out of its domain (the message names the
///   argument); nothing is written then.
///
/// ## Reduction
///
/// `.none`: one loss per element; `.mean`: their sum divided by the element count; `.sum`: their sum. Default
/// `.mean`.
///
/// ## Gradients
///
/// `binaryCrossEntropyAndGrad` computes the loss and its gradient with respect to `input` in the same pass:
///
///     d loss[i] / d input[i] = weight[i] * (x - y) / max((1 - x) * x, 1e-12)
///
/// ## Example
///
/// ```swift
/// let loss = try binaryCrossEntropy([0.8, 0.3, 0.6], [1.0, 0.0, 1.0])
/// print(loss.scalar!)  // ≈ 0.3635
/// ```
public func binaryCrossEntropy<T: LossStorage>(_ input: [T], _ target: [T], weight: [T]? = nil,
                                               reduction: Reduction = .mean) throws(LossError) -> LossOutput<T> {
    try ArrayBridge.elementwise(input, target, weight: weight, reduction: reduction,
                                gradient: false, gradOutput: nil, binaryCrossEntropy).loss
}

/// The binary cross-entropy of probabilities and its gradient with respect to `input`, in one pass, as
/// `torch.nn.functional.binary_cross_entropy` with its autograd.
///
///     loss[i] = -weight[i] * (y * max(log(x), -100) + (1 - y) * max(log(1 - x), -100))
///     x = input[i], y = target[i]
///
/// Every input and target value must lie in [0, 1].
///
/// - Parameters:
///   - input: Probabilities in [0, 1]: any number of values.
///   - target: Target probabilities in [0, 1]: as many values as `input`.
///   - weight: Per-element weights, as many as `input`; nil weighs every element 1. Default `nil`.
///   - reduction: How the losses combine: `.none`, `.mean` or `.sum` (see Reduction). Default `.mean`.
///   - gradOutput: The gradient flowing into the loss: one value for `.mean` and `.sum`, one per loss for
///     `.none`; nil means ones. Default `nil`.
/// - Returns: `loss` as `binaryCrossEntropy` returns it, and `grad`: d loss / d `input`, as many values as
///   `input`.
/// - Throws: `LossError` when a size, an option or an index is out of its domain (the message names the
///   argument); nothing is written then.
///
/// ## Reduction
///
/// `.none`: one loss per element; `.mean`: their sum divided by the element count; `.sum`: their sum. Default
/// `.mean`.
///
/// ## Gradients
///
/// With respect to `input` (not `target`, `weight`): the gradient of sum(gradOutput * loss), computed in the
/// same pass as the loss:
///
///     d loss[i] / d input[i] = weight[i] * (x - y) / max((1 - x) * x, 1e-12)
///
/// ## Example
///
/// ```swift
/// let (loss, grad) = try binaryCrossEntropyAndGrad([0.8, 0.3, 0.6], [1.0, 0.0, 1.0])
/// print(loss.scalar!)  // ≈ 0.3635
/// print(grad)  // ≈ [-0.4167, 0.4762, -0.5556]
/// ```
public func binaryCrossEntropyAndGrad<T: LossStorage>(_ input: [T], _ target: [T], weight: [T]? = nil,
                                                      reduction: Reduction = .mean, gradOutput: [T]? = nil)
    throws(LossError) -> (loss: LossOutput<T>, grad: [T]) {
    try ArrayBridge.elementwise(input, target, weight: weight, reduction: reduction,
                                gradient: true, gradOutput: gradOutput, binaryCrossEntropy)
}
