#if canImport(Glibc)
import Glibc
#endif

/// Binary cross-entropy on logits, `torch.nn.functional.binary_cross_entropy_with_logits`,
/// without `pos_weight`, in the stable form (finite for any finite logit, +-800 included,
/// in float32 and float64):
///
///     l     = (1 - y) x + softplus(-x),   softplus(-x) = -log sigmoid(x)
///     dl/dx = sigmoid(x) - y
///
/// evaluated as `LogitTerms` describes.
struct BinaryCrossEntropyWithLogits<Scalar: LossScalar>: ElementwiseLoss {
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
struct BinaryCrossEntropyWithLogitsPositiveWeight<Lookup: PositiveWeightLookup>: IndexedElementwiseLoss {
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

/// period = n: one value per element (widened where it is read: `index` is the element's
/// index in the whole call, whatever block the driver stages).
struct ElementwisePositiveWeight<Storage: LossStorage>: PositiveWeightLookup {
    typealias Scalar = Storage.Compute
    let values: UnsafePointer<Storage>
    @inline(__always) func weight(at index: Int) -> Scalar { values[index].computeValue }
}

/// 1 < period < n: values[index % period] (a division per element).
struct PeriodicPositiveWeight<Storage: LossStorage>: PositiveWeightLookup {
    typealias Scalar = Storage.Compute
    let values: UnsafePointer<Storage>
    let period: Int
    @inline(__always) func weight(at index: Int) -> Scalar { values[index % period].computeValue }
}

enum PositiveWeightChecks {
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
        // (Also with n = 0: pos_weight's own length must be one a buffer can have.)
        try Check.elements(period, of: T.self, "pos_weight_count")
        guard period > 0 else {
            throw .shape("pos_weight_count must be >= 1 when pos_weight is given (got 0)")
        }
        guard n % period == 0 else {
            throw .shape("pos_weight_count \(period) must divide n \(n) (pos_weight repeats along the last dimension)")
        }
    }
}

// MARK: - Buffer API (the one the C exports forward to)

/// The binary cross-entropy of logits over raw buffers, as
/// `torch.nn.functional.binary_cross_entropy_with_logits`: writes `out` and, where gradient buffers are set,
/// the gradient.
///
///     loss[i] = weight[i] * ((1 - y) * x + (1 + (p - 1) * y) * softplus(-x))
///     x = input[i], y = target[i], p = posWeight[i % posWeight.count] (1 without posWeight)
///
/// Stable for logits of any magnitude.
///
/// - Parameters:
///   - buffers: The call's buffers: `input`, `target` and the optional `weight` of `count` values, the
///     `reduction`, `out` (one value, or `count` for `.none`), and, for the gradient, `gradInput` (`count`
///     values) with the optional `gradOutput`.
///   - posWeight: nil, or `posWeightCount` values; element i uses `posWeight[i % posWeightCount]` (torch's
///     pos_weight along the last dimension). Default `nil`.
///   - posWeightCount: The number of `posWeight` values (>= 1 and dividing `count` when `posWeight` is set).
///     Default `0`.
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
///     d loss[i] / d input[i] = weight[i] * ((1 + (p - 1) * y) * sigmoid(x) - p * y)
public func binaryCrossEntropyWithLogits<T: LossStorage>(_ buffers: ElementwiseBuffers<T>,
                                                         posWeight: UnsafePointer<T>? = nil,
                                                         posWeightCount: Int = 0) throws(LossError) {
    try ElementwiseDriver.validate(buffers)
    try PositiveWeightChecks.positiveWeight(posWeight, period: posWeightCount, count: buffers.count)
    if let posWeight, buffers.count > 0 {
        if posWeightCount == 1 {
            let lookup = SinglePositiveWeight(value: posWeight[0].computeValue)
            let loss = BinaryCrossEntropyWithLogitsPositiveWeight(lookup: lookup)
            ElementwiseDriver.run(loss, buffers, mean: .elementCount)
        } else if posWeightCount == buffers.count {
            let loss = BinaryCrossEntropyWithLogitsPositiveWeight(lookup: ElementwisePositiveWeight(values: posWeight))
            ElementwiseDriver.run(loss, buffers, mean: .elementCount)
        } else if let expanded = PositiveWeightChecks.repeated(posWeight, period: posWeightCount, count: buffers.count) {
            // A division per element would keep the loop scalar: one value per element instead.
            defer { free(expanded) }
            let loss = BinaryCrossEntropyWithLogitsPositiveWeight(
                lookup: ElementwisePositiveWeight(values: UnsafePointer(expanded)))
            ElementwiseDriver.run(loss, buffers, mean: .elementCount)
        } else {
            // No memory for the expanded copy: index modulo the period (slower, same values).
            let lookup = PeriodicPositiveWeight(values: posWeight, period: posWeightCount)
            let loss = BinaryCrossEntropyWithLogitsPositiveWeight(lookup: lookup)
            ElementwiseDriver.run(loss, buffers, mean: .elementCount)
        }
    } else {
        ElementwiseDriver.run(BinaryCrossEntropyWithLogits<T.Compute>(), buffers, mean: .elementCount)
    }
}

// MARK: - Array API

/// The binary cross-entropy of logits, as `torch.nn.functional.binary_cross_entropy_with_logits`.
///
///     loss[i] = weight[i] * ((1 - y) * x + (1 + (p - 1) * y) * softplus(-x))
///     x = input[i], y = target[i], p = posWeight[i % posWeight.count] (1 without posWeight)
///
/// Stable for logits of any magnitude.
///
/// - Parameters:
///   - input: Logits: any number of values.
///   - target: The targets: as many values as `input`.
///   - weight: Per-element weights, as many as `input`; nil weighs every element 1. Default `nil`.
///   - posWeight: The weight of positive targets, repeating along the last dimension: element i uses
///     `posWeight[i % posWeight.count]`, so its count must divide the element count; nil weighs positives 1.
///     Default `nil`.
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
/// `binaryCrossEntropyWithLogitsAndGrad` computes the loss and its gradient with respect to `input` in the same
/// pass:
///
///     d loss[i] / d input[i] = weight[i] * ((1 + (p - 1) * y) * sigmoid(x) - p * y)
///
/// ## Example
///
/// ```swift
/// let loss = try binaryCrossEntropyWithLogits([1.5, -0.5, 0.2], [1.0, 0.0, 1.0])
/// print(loss.scalar!)  // ≈ 0.4245
/// ```
public func binaryCrossEntropyWithLogits<T: LossStorage>(_ input: [T], _ target: [T], weight: [T]? = nil,
                                                         posWeight: [T]? = nil,
                                                         reduction: Reduction = .mean)
    throws(LossError) -> LossOutput<T> {
    try logitsBridge(input, target, weight: weight, posWeight: posWeight, reduction: reduction,
                     gradient: false, gradOutput: nil).loss
}

/// The binary cross-entropy of logits and its gradient with respect to `input`, in one pass, as
/// `torch.nn.functional.binary_cross_entropy_with_logits` with its autograd.
///
///     loss[i] = weight[i] * ((1 - y) * x + (1 + (p - 1) * y) * softplus(-x))
///     x = input[i], y = target[i], p = posWeight[i % posWeight.count] (1 without posWeight)
///
/// Stable for logits of any magnitude.
///
/// - Parameters:
///   - input: Logits: any number of values.
///   - target: The targets: as many values as `input`.
///   - weight: Per-element weights, as many as `input`; nil weighs every element 1. Default `nil`.
///   - posWeight: The weight of positive targets, repeating along the last dimension: element i uses
///     `posWeight[i % posWeight.count]`, so its count must divide the element count; nil weighs positives 1.
///     Default `nil`.
///   - reduction: How the losses combine: `.none`, `.mean` or `.sum` (see Reduction). Default `.mean`.
///   - gradOutput: The gradient flowing into the loss: one value for `.mean` and `.sum`, one per loss for
///     `.none`; nil means ones. Default `nil`.
/// - Returns: `loss` as `binaryCrossEntropyWithLogits` returns it, and `grad`: d loss / d `input`, as many
///   values as `input`.
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
/// With respect to `input` (not `target`, `weight`, `posWeight`): the gradient of sum(gradOutput * loss),
/// computed in the same pass as the loss:
///
///     d loss[i] / d input[i] = weight[i] * ((1 + (p - 1) * y) * sigmoid(x) - p * y)
///
/// ## Example
///
/// ```swift
/// let (loss, grad) = try binaryCrossEntropyWithLogitsAndGrad([1.5, -0.5, 0.2], [1.0, 0.0, 1.0])
/// print(loss.scalar!)  // ≈ 0.4245
/// print(grad)  // ≈ [-0.0608, 0.1258, -0.1501]
/// ```
public func binaryCrossEntropyWithLogitsAndGrad<T: LossStorage>(_ input: [T], _ target: [T], weight: [T]? = nil,
                                                                posWeight: [T]? = nil, reduction: Reduction = .mean,
                                                                gradOutput: [T]? = nil)
    throws(LossError) -> (loss: LossOutput<T>, grad: [T]) {
    try logitsBridge(input, target, weight: weight, posWeight: posWeight, reduction: reduction,
                     gradient: true, gradOutput: gradOutput)
}

private func logitsBridge<T: LossStorage>(_ input: [T], _ target: [T], weight: [T]?, posWeight: [T]?,
                                          reduction: Reduction, gradient: Bool, gradOutput: [T]?)
    throws(LossError) -> (loss: LossOutput<T>, grad: [T]) {
    if let posWeight, posWeight.isEmpty {
        // An empty array has no base address: it must not silently mean "no pos_weight".
        throw .shape("pos_weight is empty; it must hold at least one value")
    }
    return try ArrayBridge.elementwise(input, target, weight: weight, reduction: reduction,
                                       gradient: gradient, gradOutput: gradOutput) { b throws(LossError) in
        try ArrayBridge.withOptionalBuffer(posWeight) { p in
            Result { () throws(LossError) in
                try binaryCrossEntropyWithLogits(b, posWeight: p, posWeightCount: posWeight?.count ?? 0)
            }
        }.get()
    }
}
