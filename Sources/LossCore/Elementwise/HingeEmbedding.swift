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

/// Computes the hinge embedding loss over raw buffers (and its gradient when `gradInput` is set).
public func hingeEmbeddingLoss<T: LossScalar>(_ buffers: ElementwiseBuffers<T>, margin: Double = 1) throws(LossError) {
    try ElementwiseDriver.validate(buffers, weightAllowed: false)
    try Check.notNaN(margin, "margin")
    ElementwiseDriver.run(HingeEmbedding(margin: T(margin)), buffers, mean: .elementCount)
}

/// The hinge embedding loss of `input` (distances, usually) against targets 1 or -1.
public func hingeEmbeddingLoss<T: LossScalar>(_ input: [T], _ target: [T], margin: Double = 1,
                                              reduction: Reduction = .mean) throws(LossError) -> LossOutput<T> {
    try ArrayBridge.elementwise(input, target, weight: nil, reduction: reduction,
                                gradient: false, gradOutput: nil) { b throws(LossError) in
        try hingeEmbeddingLoss(b, margin: margin)
    }.loss
}

/// The hinge embedding loss and its gradient with respect to `input`, in one pass.
public func hingeEmbeddingLossAndGrad<T: LossScalar>(_ input: [T], _ target: [T], margin: Double = 1,
                                                     reduction: Reduction = .mean, gradOutput: [T]? = nil)
    throws(LossError) -> (loss: LossOutput<T>, grad: [T]) {
    try ArrayBridge.elementwise(input, target, weight: nil, reduction: reduction,
                                gradient: true, gradOutput: gradOutput) { b throws(LossError) in
        try hingeEmbeddingLoss(b, margin: margin)
    }
}
