/// Hinge embedding loss, `torch.nn.functional.hinge_embedding_loss`, as torch composes it:
///
///     l     = [y != 1] max(0, margin - x)  +  [y != -1] x
///     dl/dx = -[y != 1] [margin - x >= 0]  +  [y != -1]
///
/// For the usual targets that is margin - x clamped at 0 where y = -1 and x where y = 1; a
/// target that is neither (or NaN) takes both terms, as in torch. The clamp passes its
/// gradient at equality and not for NaN (torch's clamp_min). 'mean' divides by n; there is
/// no weight.
struct HingeEmbedding<Scalar: LossScalar>: ElementwiseLoss {
    let margin: Scalar

    @inline(__always) func value(_ x: Scalar, _ y: Scalar) -> Scalar {
        valueAndDerivative(x, y).0
    }

    @inline(__always) func valueAndDerivative(_ x: Scalar, _ y: Scalar) -> (Scalar, Scalar) {
        let d = margin - x
        let clamped = d < 0 ? 0 : d  // NaN stays NaN, as torch's clamp_min
        let marginTerm: Scalar = y != 1 ? clamped : 0
        let selfTerm: Scalar = y != -1 ? x : 0
        let marginSlope: Scalar = y != 1 && d >= 0 ? -1 : 0
        let selfSlope: Scalar = y != -1 ? 1 : 0
        return (marginTerm + selfTerm, marginSlope + selfSlope)
    }

    var hasLanes: Bool { true }

    /// The same operations as `valueAndDerivative` on sixteen float lanes, as selects.
    @inline(__always)
    func lanes(_ x: SIMD16<Float>, _ y: SIMD16<Float>, derivative: Bool) -> (SIMD16<Float>, SIMD16<Float>) {
        let zero = SIMD16<Float>(), one = SIMD16<Float>(repeating: 1)
        let d = unsafeBitCast(margin, to: Float.self) - x
        let clamped = d.replacing(with: 0, where: d .< 0)
        let positive = y .== 1, negative = y .== -1
        let value = clamped.replacing(with: 0, where: positive) + x.replacing(with: 0, where: negative)
        guard derivative else { return (value, zero) }
        let marginSlope = zero.replacing(with: -1, where: .!positive .& (d .>= 0))
        return (value, marginSlope + one.replacing(with: 0, where: negative))
    }
}

/// The hinge embedding loss over raw buffers, as `torch.nn.functional.hinge_embedding_loss`: writes `out` and,
/// where gradient buffers are set, the gradient.
///
///     loss[i] = x                    if y == 1
///               max(0, margin - x)   if y == -1      x = input[i], y = target[i]
///
/// Any other target takes both terms, as torch composes it.
///
/// - Parameters:
///   - buffers: The call's buffers: `input`, `target` and the optional `weight` of `count` values, the
///     `reduction`, `out` (one value, or `count` for `.none`), and, for the gradient, `gradInput` (`count`
///     values) with the optional `gradOutput`.
///   - margin: The margin of the hinge for targets -1 (any real but NaN). Default `1`.
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
///     d loss[i] / d input[i] = 1 where y == 1, -1 where y == -1 and margin - x > 0, else 0
public func hingeEmbeddingLoss<T: LossStorage>(_ buffers: ElementwiseBuffers<T>, margin: Double = 1) throws(LossError) {
    try ElementwiseDriver.validate(buffers, weightAllowed: false)
    try Check.notNaN(margin, "margin")
    ElementwiseDriver.run(HingeEmbedding(margin: T.Compute(margin)), buffers, mean: .elementCount)
}

/// The hinge embedding loss, as `torch.nn.functional.hinge_embedding_loss`.
///
///     loss[i] = x                    if y == 1
///               max(0, margin - x)   if y == -1      x = input[i], y = target[i]
///
/// Any other target takes both terms, as torch composes it.
///
/// - Parameters:
///   - input: Distances (usually): any number of values.
///   - target: 1 (similar) or -1 (dissimilar): as many values as `input`.
///   - margin: The margin of the hinge for targets -1 (any real but NaN). Default `1`.
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
/// `hingeEmbeddingLossAndGrad` computes the loss and its gradient with respect to `input` in the same pass:
///
///     d loss[i] / d input[i] = 1 where y == 1, -1 where y == -1 and margin - x > 0, else 0
///
/// ## Example
///
/// ```swift
/// let loss = try hingeEmbeddingLoss([0.3, 1.5, 0.2], [1.0, -1.0, -1.0])
/// print(loss.scalar!)  // ≈ 0.3667
/// ```
public func hingeEmbeddingLoss<T: LossStorage>(_ input: [T], _ target: [T], margin: Double = 1,
                                               reduction: Reduction = .mean) throws(LossError) -> LossOutput<T> {
    try ArrayBridge.elementwise(input, target, weight: nil, reduction: reduction,
                                gradient: false, gradOutput: nil) { b throws(LossError) in
        try hingeEmbeddingLoss(b, margin: margin)
    }.loss
}

/// The hinge embedding loss and its gradient with respect to `input`, in one pass, as
/// `torch.nn.functional.hinge_embedding_loss` with its autograd.
///
///     loss[i] = x                    if y == 1
///               max(0, margin - x)   if y == -1      x = input[i], y = target[i]
///
/// Any other target takes both terms, as torch composes it.
///
/// - Parameters:
///   - input: Distances (usually): any number of values.
///   - target: 1 (similar) or -1 (dissimilar): as many values as `input`.
///   - margin: The margin of the hinge for targets -1 (any real but NaN). Default `1`.
///   - reduction: How the losses combine: `.none`, `.mean` or `.sum` (see Reduction). Default `.mean`.
///   - gradOutput: The gradient flowing into the loss: one value for `.mean` and `.sum`, one per loss for
///     `.none`; nil means ones. Default `nil`.
/// - Returns: `loss` as `hingeEmbeddingLoss` returns it, and `grad`: d loss / d `input`, as many values as
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
/// With respect to `input` (not `target`): the gradient of sum(gradOutput * loss), computed in the same pass as
/// the loss:
///
///     d loss[i] / d input[i] = 1 where y == 1, -1 where y == -1 and margin - x > 0, else 0
///
/// ## Example
///
/// ```swift
/// let (loss, grad) = try hingeEmbeddingLossAndGrad([0.3, 1.5, 0.2], [1.0, -1.0, -1.0])
/// print(loss.scalar!)  // ≈ 0.3667
/// print(grad)  // ≈ [0.3333, 0.0, -0.3333]
/// ```
public func hingeEmbeddingLossAndGrad<T: LossStorage>(_ input: [T], _ target: [T], margin: Double = 1,
                                                      reduction: Reduction = .mean, gradOutput: [T]? = nil)
    throws(LossError) -> (loss: LossOutput<T>, grad: [T]) {
    try ArrayBridge.elementwise(input, target, weight: nil, reduction: reduction,
                                gradient: true, gradOutput: gradOutput) { b throws(LossError) in
        try hingeEmbeddingLoss(b, margin: margin)
    }
}
