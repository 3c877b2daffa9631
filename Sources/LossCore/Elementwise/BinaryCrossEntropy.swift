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
/// Float uses vector logs (`lanes`), 5x faster than libm's scalar logf and log1pf: log x
/// by VectorMath.logNonNegative, and log1p(-x) as log(u) - ((u - 1) + x) / u with u = 1 - x
/// rounded: the second term is u's rounding error over u (exact by Sterbenz's lemma), the
/// first-order correction that makes log(u) a log of 1 - x (zero for x >= 1/2, where u is
/// exact). One-value calls (vector tails, weighted elements) run the lane formula on one
/// lane, so every element gets the same bits wherever it falls. Double keeps libm.
///
/// torch refuses an input or a target outside [0, 1] (NaN included) before computing
/// anything; `binaryCrossEntropy` does the same, so the kernel never sees such values.
struct BinaryCrossEntropy<Scalar: LossScalar>: PointwiseLoss {
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

/// The terms of binary cross-entropy on logits, shared by BCE with logits and the sigmoid
/// focal loss, evaluated without cancellation for logits of any size.
///
/// With e = exp(-|x|), softplus(-x) = max(-x, 0) + log1p(e) and sigmoid(x) = 1 / (1 + e) or
/// e / (1 + e), torch's l = (1 - y) x + L softplus(-x) (L = 1 + (p - 1) y, p the positive
/// weight) and its derivative L sigmoid(x) - p y are rearranged per sign of x so that no
/// two large terms cancel:
///
///     x >= 0:  l = (1 - y) x + L log1p(e)      dl/dx = (1 - y) - L e / (1 + e)
///     x <  0:  l = -p y x    + L log1p(e)      dl/dx = L e / (1 + e) - p y
///
/// (torch's float32 (1 - y) x - L log_sigmoid(x) returns 0 for x = -20, y = 0, where the
/// loss is 2.06e-9; these forms keep it, and are exact rearrangements otherwise.) NaN
/// propagates as in torch; at x = -inf with y = 1 the loss is +inf (the limit) where
/// torch's form gives NaN (inf - inf).
enum LogitTerms {
    /// l and dl/dx without a positive weight (p = L = 1).
    @inline(__always) static func value<T: LossScalar>(_ x: T, _ y: T) -> T {
        let tail = ScalarMath.log1pUnit(ScalarMath.expNegAbs(x))
        return (x >= 0 ? (1 - y) * x : -(y * x)) + tail
    }

    @inline(__always) static func valueAndDerivative<T: LossScalar>(_ x: T, _ y: T) -> (T, T) {
        valueAndDerivative(x, y, expNegAbs: ScalarMath.expNegAbs(x))
    }

    /// The same, given e = exp(-|x|) (the focal loss reuses it).
    @inline(__always) static func valueAndDerivative<T: LossScalar>(_ x: T, _ y: T, expNegAbs e: T) -> (T, T) {
        let tail = ScalarMath.log1pUnit(e)
        let small = e / (1 + e)  // sigmoid(-|x|)
        if x >= 0 { return ((1 - y) * x + tail, (1 - y) - small) }
        return (-(y * x) + tail, small - y)
    }

    /// `value` / `valueAndDerivative` on sixteen float lanes, with the same operations (so
    /// bitwise the same results); dl/dx only when `derivative` is true.
    @inline(__always)
    static func lanes(_ x: SIMD16<Float>, _ y: SIMD16<Float>, derivative: Bool) -> (SIMD16<Float>, SIMD16<Float>) {
        lanes(x, y, expNegAbs: expNegAbs(x), derivative: derivative)
    }

    /// exp(-|x|) on lanes.
    @inline(__always) static func expNegAbs(_ x: SIMD16<Float>) -> SIMD16<Float> {
        // -|x|: the sign bit set (NaN stays NaN).
        VectorMath.expNonPositive(unsafeBitCast(unsafeBitCast(x, to: SIMD16<UInt32>.self) | 0x8000_0000,
                                                to: SIMD16<Float>.self))
    }

    /// The same, given e = exp(-|x|) (the focal loss reuses it).
    @inline(__always)
    static func lanes(_ x: SIMD16<Float>, _ y: SIMD16<Float>, expNegAbs e: SIMD16<Float>,
                      derivative: Bool) -> (SIMD16<Float>, SIMD16<Float>) {
        let tail = ScalarMath.log1pUnit(e)
        let negative = .!(x .>= 0)
        let linear = ((1 - y) * x).replacing(with: -(y * x), where: negative)
        guard derivative else { return (linear + tail, SIMD16()) }
        let small = e / (1 + e)
        return (linear + tail, ((1 - y) - small).replacing(with: small - y, where: negative))
    }

    /// l and dl/dx with positive weight p.
    @inline(__always) static func value<T: LossScalar>(_ x: T, _ y: T, posWeight p: T) -> T {
        let tail = ScalarMath.log1pUnit(ScalarMath.expNegAbs(x))
        let logWeight = 1 + (p - 1) * y
        return (x >= 0 ? (1 - y) * x : -(p * y * x)) + logWeight * tail
    }

    @inline(__always) static func valueAndDerivative<T: LossScalar>(_ x: T, _ y: T, posWeight p: T) -> (T, T) {
        let e = ScalarMath.expNegAbs(x)
        let tail = ScalarMath.log1pUnit(e)
        let small = e / (1 + e)
        let logWeight = 1 + (p - 1) * y
        if x >= 0 { return ((1 - y) * x + logWeight * tail, (1 - y) - logWeight * small) }
        let py = p * y
        return (-(py * x) + logWeight * tail, logWeight * small - py)
    }
}

/// Binary cross-entropy on logits, `torch.nn.functional.binary_cross_entropy_with_logits`,
/// without `pos_weight`, in the stable form (finite for any finite logit, +-800 included,
/// in float32 and float64):
///
///     l     = (1 - y) x + softplus(-x),   softplus(-x) = -log sigmoid(x)
///     dl/dx = sigmoid(x) - y
///
/// evaluated as `LogitTerms` describes.
struct BinaryCrossEntropyWithLogits<Scalar: LossScalar>: PointwiseLoss {
    @inline(__always) func value(_ x: Scalar, _ y: Scalar) -> Scalar {
        LogitTerms.value(x, y)
    }

    @inline(__always) func valueAndDerivative(_ x: Scalar, _ y: Scalar) -> (Scalar, Scalar) {
        LogitTerms.valueAndDerivative(x, y)
    }

    var hasLanes: Bool { true }

    @inline(__always)
    func lanes(_ x: SIMD16<Float>, _ y: SIMD16<Float>, derivative: Bool) -> (SIMD16<Float>, SIMD16<Float>) {
        LogitTerms.lanes(x, y, derivative: derivative)
    }
}

/// Binary cross-entropy on logits with a positive-class weight p (torch's `pos_weight`)
/// that repeats along the last dimension: element i uses p = posWeight[i % period].
///
///     L     = 1 + (p - 1) y
///     l     = (1 - y) x + L softplus(-x)
///     dl/dx = L sigmoid(x) - p y
///
/// These are torch's forward (`(1 - y) x - L log_sigmoid(x)`) and backward
/// (`(p y + 1 - y) sigmoid(x) - p y`), evaluated as `LogitTerms` describes. `Lookup`
/// finds p without a division where it can (one value, or one per element), so that
/// those loops vectorize like the unweighted one.
struct BinaryCrossEntropyWithLogitsPositiveWeight<Lookup: PositiveWeightLookup>: IndexedPointwiseLoss {
    typealias Scalar = Lookup.Scalar
    let lookup: Lookup

    @inline(__always) func value(_ x: Scalar, _ y: Scalar, at index: Int) -> Scalar {
        LogitTerms.value(x, y, posWeight: lookup.weight(at: index))
    }

    @inline(__always)
    func valueAndDerivative(_ x: Scalar, _ y: Scalar, at index: Int) -> (Scalar, Scalar) {
        LogitTerms.valueAndDerivative(x, y, posWeight: lookup.weight(at: index))
    }
}

/// How element i finds its positive weight among `period` values.
protocol PositiveWeightLookup {
    associatedtype Scalar: LossScalar
    func weight(at index: Int) -> Scalar
}

/// period = 1: one value for every element.
struct SinglePositiveWeight<Scalar: LossScalar>: PositiveWeightLookup {
    let value: Scalar
    @inline(__always) func weight(at index: Int) -> Scalar { value }
}

/// period = n: one value per element.
struct ElementwisePositiveWeight<Scalar: LossScalar>: PositiveWeightLookup {
    let values: UnsafePointer<Scalar>
    @inline(__always) func weight(at index: Int) -> Scalar { values[index] }
}

/// 1 < period < n: values[index % period] (a division per element).
struct PeriodicPositiveWeight<Scalar: LossScalar>: PositiveWeightLookup {
    let values: UnsafePointer<Scalar>
    let period: Int
    @inline(__always) func weight(at index: Int) -> Scalar { values[index % period] }
}

enum BinaryChecks {
    /// Refuses a buffer element outside [0, 1] (NaN included), naming the first one, as
    /// torch's "all elements of input should be between 0 and 1". Read-only; blocks are
    /// scanned in parallel for large inputs and the smallest bad index is reported.
    static func unitInterval<T: LossScalar>(_ values: UnsafePointer<T>, _ n: Int, _ name: String) throws(LossError) {
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
                "\(name)[\(first)] = \(values[first]) is outside [0, 1]: "
                    + "all elements of \(name) should be between 0 and 1")
        }
    }

    private static func firstOutside<T: LossScalar>(_ values: UnsafePointer<T>, _ range: Range<Int>) -> Int? {
        // A branch-free pass first (flags combined with `&`, which LLVM vectorizes; an early
        // exit per element kept the loop scalar: 10% of a binary_cross_entropy call), then
        // the first offender is looked for only in a block that has one.
        var outside = 0
        for i in range {
            let v = values[i]
            outside |= ((v >= 0 ? 1 : 0) & (v <= 1 ? 1 : 0)) ^ 1
        }
        guard outside != 0 else { return nil }
        for i in range {
            let v = values[i]
            if !(v >= 0 && v <= 1) { return i }
        }
        return nil
    }

    /// `period` values repeated to `count` (a multiple of `period`) in a malloc'd buffer that
    /// the caller frees, or nil if the allocation fails.
    static func repeated<T>(_ values: UnsafePointer<T>, period: Int, count: Int) -> UnsafeMutablePointer<T>? {
        let (bytes, overflow) = count.multipliedReportingOverflow(by: MemoryLayout<T>.stride)
        guard !overflow, let raw = malloc(bytes) else { return nil }
        let copy = raw.bindMemory(to: T.self, capacity: count)
        var start = 0
        while start < count {
            (copy + start).initialize(from: values, count: period)
            start += period
        }
        return copy
    }

    /// pos_weight (if given) holds `period` >= 1 values repeating along the last dimension,
    /// so `period` must divide n.
    static func positiveWeight<T>(_ posWeight: UnsafePointer<T>?, period: Int, count n: Int) throws(LossError) {
        guard posWeight != nil else { return }
        try Check.count(period, "pos_weight_count")
        guard period > 0 else {
            throw .shape("pos_weight_count must be >= 1 when pos_weight is given (got 0)")
        }
        guard n % period == 0 else {
            throw .shape("pos_weight_count \(period) must divide n \(n) (pos_weight repeats along the last dimension)")
        }
    }
}

// MARK: - Buffer API (the one the C exports forward to)

/// Computes the binary cross-entropy over raw buffers (and its gradient when `gradInput`
/// is set). Fails with `.invalidArgument` if an input or target element is outside
/// [0, 1] or NaN, before anything is written.
public func binaryCrossEntropy<T: LossScalar>(_ buffers: PointwiseBuffers<T>) throws(LossError) {
    try PointwiseKernel.validate(buffers)
    if buffers.count > 0 {
        try BinaryChecks.unitInterval(buffers.input!, buffers.count, "input")
        try BinaryChecks.unitInterval(buffers.target!, buffers.count, "target")
    }
    PointwiseKernel.run(BinaryCrossEntropy<T>(), buffers, mean: .elementCount)
}

/// Computes the binary cross-entropy with logits over raw buffers (and its gradient when
/// `gradInput` is set). `posWeight`, if non-nil, holds `posWeightCount` values applied to
/// element i as `posWeight[i % posWeightCount]` (torch's pos_weight broadcast along the
/// last dimension); `posWeightCount` must then be >= 1 and divide the element count.
public func binaryCrossEntropyWithLogits<T: LossScalar>(_ buffers: PointwiseBuffers<T>,
                                                        posWeight: UnsafePointer<T>? = nil,
                                                        posWeightCount: Int = 0) throws(LossError) {
    try PointwiseKernel.validate(buffers)
    try BinaryChecks.positiveWeight(posWeight, period: posWeightCount, count: buffers.count)
    if let posWeight, buffers.count > 0 {
        if posWeightCount == 1 {
            let loss = BinaryCrossEntropyWithLogitsPositiveWeight(lookup: SinglePositiveWeight(value: posWeight[0]))
            PointwiseKernel.run(loss, buffers, mean: .elementCount)
        } else if posWeightCount == buffers.count {
            let loss = BinaryCrossEntropyWithLogitsPositiveWeight(lookup: ElementwisePositiveWeight(values: posWeight))
            PointwiseKernel.run(loss, buffers, mean: .elementCount)
        } else if let expanded = BinaryChecks.repeated(posWeight, period: posWeightCount, count: buffers.count) {
            // A division per element would keep the loop scalar: one value per element instead.
            defer { free(expanded) }
            let loss = BinaryCrossEntropyWithLogitsPositiveWeight(
                lookup: ElementwisePositiveWeight(values: UnsafePointer(expanded)))
            PointwiseKernel.run(loss, buffers, mean: .elementCount)
        } else {
            // No memory for the expanded copy: index modulo the period (slower, same values).
            let lookup = PeriodicPositiveWeight(values: posWeight, period: posWeightCount)
            let loss = BinaryCrossEntropyWithLogitsPositiveWeight(lookup: lookup)
            PointwiseKernel.run(loss, buffers, mean: .elementCount)
        }
    } else {
        PointwiseKernel.run(BinaryCrossEntropyWithLogits<T>(), buffers, mean: .elementCount)
    }
}

// MARK: - Array API

/// The binary cross-entropy of probabilities `input` against `target` (same length, every
/// element in [0, 1]), with optional per-element `weight`.
///
///     l_i = -w_i (y_i max(log x_i, -100) + (1 - y_i) max(log(1 - x_i), -100))
///
/// 'mean' divides by the element count, also with weights (torch's rule).
/// - Throws: `LossError` `.shape` for mismatched lengths, `.invalidArgument` for an input
///   or target element outside [0, 1] (or NaN), as torch refuses them.
public func binaryCrossEntropy<T: LossScalar>(_ input: [T], _ target: [T], weight: [T]? = nil,
                                              reduction: Reduction = .mean) throws(LossError) -> LossOutput<T> {
    try ArrayBridge.pointwise(input, target, weight: weight, reduction: reduction,
                              gradient: false, gradOutput: nil, binaryCrossEntropy).loss
}

/// The binary cross-entropy and its gradient with respect to `input`, in one pass:
/// `dl_i/dx_i = w_i (x_i - y_i) / max((1 - x_i) x_i, 1e-12)` (torch's backward), scaled by
/// `gradOutput` (n values for `.none`, one value otherwise; all ones when nil).
public func binaryCrossEntropyAndGrad<T: LossScalar>(_ input: [T], _ target: [T], weight: [T]? = nil,
                                                     reduction: Reduction = .mean, gradOutput: [T]? = nil)
    throws(LossError) -> (loss: LossOutput<T>, grad: [T]) {
    try ArrayBridge.pointwise(input, target, weight: weight, reduction: reduction,
                              gradient: true, gradOutput: gradOutput, binaryCrossEntropy)
}

/// The binary cross-entropy of logits `input` against `target`, with optional per-element
/// `weight` and a positive-class weight `posWeight` that repeats along the last dimension
/// (element i uses `posWeight[i % posWeight.count]`, so its count must divide n):
///
///     l_i = w_i ((1 - y_i) x_i + (1 + (p_i - 1) y_i) softplus(-x_i))
///
/// Stable for logits of any magnitude. 'mean' divides by the element count.
/// - Throws: `LossError` `.shape` for mismatched lengths or a `posWeight` count that is
///   0 or does not divide n.
public func binaryCrossEntropyWithLogits<T: LossScalar>(_ input: [T], _ target: [T], weight: [T]? = nil,
                                                        posWeight: [T]? = nil,
                                                        reduction: Reduction = .mean)
    throws(LossError) -> LossOutput<T> {
    try logitsBridge(input, target, weight: weight, posWeight: posWeight, reduction: reduction,
                     gradient: false, gradOutput: nil).loss
}

/// The binary cross-entropy with logits and its gradient with respect to `input`, in one
/// pass: `dl_i/dx_i = w_i ((1 + (p_i - 1) y_i) sigmoid(x_i) - p_i y_i)`, scaled by
/// `gradOutput` (n values for `.none`, one value otherwise; all ones when nil).
public func binaryCrossEntropyWithLogitsAndGrad<T: LossScalar>(_ input: [T], _ target: [T], weight: [T]? = nil,
                                                               posWeight: [T]? = nil, reduction: Reduction = .mean,
                                                               gradOutput: [T]? = nil)
    throws(LossError) -> (loss: LossOutput<T>, grad: [T]) {
    try logitsBridge(input, target, weight: weight, posWeight: posWeight, reduction: reduction,
                     gradient: true, gradOutput: gradOutput)
}

private func logitsBridge<T: LossScalar>(_ input: [T], _ target: [T], weight: [T]?, posWeight: [T]?,
                                         reduction: Reduction, gradient: Bool, gradOutput: [T]?)
    throws(LossError) -> (loss: LossOutput<T>, grad: [T]) {
    if let posWeight, posWeight.isEmpty {
        // An empty array has no base address: it must not silently mean "no pos_weight".
        throw .shape("pos_weight is empty; it must hold at least one value")
    }
    return try ArrayBridge.pointwise(input, target, weight: weight, reduction: reduction,
                                     gradient: gradient, gradOutput: gradOutput) { b throws(LossError) in
        try ArrayBridge.withOptionalBuffer(posWeight) { p in
            Result { () throws(LossError) in
                try binaryCrossEntropyWithLogits(b, posWeight: p, posWeightCount: posWeight?.count ?? 0)
            }
        }.get()
    }
}
