/// Margin ranking loss, `torch.nn.functional.margin_ranking_loss`, as torch computes it:
///
///     u       = -y (x1 - x2) + margin,     l = max(0, u)
///     dl/dx1  = -y [u >= 0],               dl/dx2 = -dl/dx1
///
/// The clamp passes its gradient at equality and not for NaN (torch's clamp_min), and the
/// mask multiplies -y as torch's autograd does, so a NaN or infinite y past the margin
/// still gives a NaN gradient (0 x inf). 'mean' divides by n; there is no weight.
struct MarginRanking<Scalar: LossScalar>: OperandsLoss {
    let margin: Scalar

    static var secondDerivative: Operand { .second }

    @inline(__always) func valueAndDerivatives(_ x1: Scalar, _ x2: Scalar, _ y: Scalar) -> (Scalar, Scalar, Scalar) {
        let u = -y * (x1 - x2) + margin
        let d: Scalar = (u >= 0 ? 1 : 0) * -y
        return (u < 0 ? 0 : u, d, -d)  // NaN stays NaN, as torch's clamp_min
    }

    /// The same operations as `valueAndDerivatives` on sixteen float lanes, as selects.
    @inline(__always)
    func lanes(_ x1: SIMD16<Float>, _ x2: SIMD16<Float>, _ y: SIMD16<Float>, derivative: Bool)
        -> (SIMD16<Float>, SIMD16<Float>, SIMD16<Float>) {
        let u = -y * (x1 - x2) + unsafeBitCast(margin, to: Float.self)
        let value = u.replacing(with: 0, where: u .< 0)
        guard derivative else { return (value, SIMD16(), SIMD16()) }
        let d = SIMD16<Float>().replacing(with: 1, where: u .>= 0) * -y
        return (value, d, -d)
    }
}

/// The margin ranking loss over raw buffers, as `torch.nn.functional.margin_ranking_loss`: writes `out` and,
/// where gradient buffers are set, the gradients.
///
///     loss[i] = max(0, -target[i] * (input1[i] - input2[i]) + margin)
///
/// - Parameters:
///   - buffers: The call's buffers: `first` = input1, `second` = input2, `third` = target, of `count` values
///     each, the `reduction`, `out`, and, for the gradients, `gradFirst` (input1's) and `gradSecond` (input2's)
///     with the optional `gradOutput`.
///   - margin: The margin by which the right score should win (any real but NaN). Default `0`.
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
///     d loss[i] / d input1[i] = -target[i],  d loss[i] / d input2[i] = target[i]
///     where the clamp passes (at equality too), 0 elsewhere
public func marginRankingLoss<T: LossStorage>(_ buffers: OperandBuffers<T>, margin: Double = 0) throws(LossError) {
    try OperandsDriver.validate(buffers, names: ("input1", "input2", "target"))
    try Check.notNaN(margin, "margin")
    OperandsDriver.run(MarginRanking(margin: T.Compute(margin)), buffers)
}

/// The margin ranking loss, as `torch.nn.functional.margin_ranking_loss`.
///
///     loss[i] = max(0, -target[i] * (input1[i] - input2[i]) + margin)
///
/// - Parameters:
///   - input1: The first scores: any number of values.
///   - input2: The second scores: as many values as `input1`.
///   - target: 1 where `input1` should rank higher, -1 where `input2` should: as many values as `input1`.
///   - margin: The margin by which the right score should win (any real but NaN). Default `0`.
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
/// `marginRankingLossAndGrad` computes the loss and its gradients with respect to `input1`, `input2` in the
/// same pass:
///
///     d loss[i] / d input1[i] = -target[i],  d loss[i] / d input2[i] = target[i]
///     where the clamp passes (at equality too), 0 elsewhere
///
/// ## Example
///
/// ```swift
/// let loss = try marginRankingLoss([0.8, 0.2, 0.5], [0.75, 0.6, 0.4], [1.0, 1.0, -1.0], margin: 0.1)
/// print(loss.scalar!)  // ≈ 0.25
/// ```
public func marginRankingLoss<T: LossStorage>(_ input1: [T], _ input2: [T], _ target: [T], margin: Double = 0,
                                              reduction: Reduction = .mean) throws(LossError) -> LossOutput<T> {
    try marginRankingBridge(input1, input2, target, margin, reduction, gradient: false, gradOutput: nil).loss
}

/// The margin ranking loss and its gradients with respect to `input1`, `input2`, in one pass, as
/// `torch.nn.functional.margin_ranking_loss` with its autograd.
///
///     loss[i] = max(0, -target[i] * (input1[i] - input2[i]) + margin)
///
/// - Parameters:
///   - input1: The first scores: any number of values.
///   - input2: The second scores: as many values as `input1`.
///   - target: 1 where `input1` should rank higher, -1 where `input2` should: as many values as `input1`.
///   - margin: The margin by which the right score should win (any real but NaN). Default `0`.
///   - reduction: How the losses combine: `.none`, `.mean` or `.sum` (see Reduction). Default `.mean`.
///   - gradOutput: The gradient flowing into the loss: one value for `.mean` and `.sum`, one per loss for
///     `.none`; nil means ones. Default `nil`.
/// - Returns: `loss` as `marginRankingLoss` returns it, and `grads`: d loss / d `input1`, `input2`, each with
///   as many values as its operand.
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
/// With respect to `input1`, `input2` (not `target`): the gradients of sum(gradOutput * loss), computed in the
/// same pass as the loss:
///
///     d loss[i] / d input1[i] = -target[i],  d loss[i] / d input2[i] = target[i]
///     where the clamp passes (at equality too), 0 elsewhere
///
/// ## Example
///
/// ```swift
/// let (loss, grads) = try marginRankingLossAndGrad([0.8, 0.2, 0.5], [0.75, 0.6, 0.4],
///                                                  [1.0, 1.0, -1.0], margin: 0.1)
/// print(loss.scalar!)  // ≈ 0.25
/// print(grads.input1)  // ≈ [-0.3333, -0.3333, 0.3333]
/// print(grads.input2)  // ≈ [0.3333, 0.3333, -0.3333]
/// ```
public func marginRankingLossAndGrad<T: LossStorage>(_ input1: [T], _ input2: [T], _ target: [T], margin: Double = 0,
                                                     reduction: Reduction = .mean, gradOutput: [T]? = nil)
    throws(LossError) -> (loss: LossOutput<T>, grads: (input1: [T], input2: [T])) {
    let (loss, grads) = try marginRankingBridge(input1, input2, target, margin, reduction, gradient: true,
                                                gradOutput: gradOutput)
    return (loss, (grads.0, grads.1))
}

private func marginRankingBridge<T: LossStorage>(_ input1: [T], _ input2: [T], _ target: [T], _ margin: Double,
                                                 _ reduction: Reduction, gradient: Bool, gradOutput: [T]?)
    throws(LossError) -> (loss: LossOutput<T>, grads: ([T], [T])) {
    try ArrayBridge.operands(input1, input2, target, secondCount: input1.count, names: ("input1", "input2", "target"),
                             reduction: reduction, gradient: gradient, gradOutput: gradOutput) { b throws(LossError) in
        try marginRankingLoss(b, margin: margin)
    }
}
