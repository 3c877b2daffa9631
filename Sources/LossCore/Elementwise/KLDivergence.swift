/// Kullback-Leibler divergence, `torch.nn.functional.kl_div`, pointwise as torch composes it.
/// `input` x holds log-probabilities; the target y probabilities, or log-probabilities when
/// `logTarget`:
///
///     l     = xlogy(y, y) - y x        dl/dx = -y          (logTarget false)
///     l     = e^y (y - x)              dl/dx = -e^y        (logTarget true)
///
/// where xlogy(y, y) = y log y, and 0 at y = 0 (NaN for y < 0 and for NaN, as torch's xlogy).
/// 'mean' divides by n; torch's 'batchmean' ('sum' over the batch size) is the caller's
/// division of 'sum'. There is no weight.
///
/// Float uses the vector log and exp (`lanes`); one-value calls run the lane formula on one
/// lane, so every element gets the same bits wherever it falls. Double keeps libm.
struct KLDivergence<Scalar: LossScalar>: ElementwiseLoss {
    let logTarget: Bool

    @inline(__always) func value(_ x: Scalar, _ y: Scalar) -> Scalar {
        valueAndDerivative(x, y).0
    }

    @inline(__always) func valueAndDerivative(_ x: Scalar, _ y: Scalar) -> (Scalar, Scalar) {
        if Scalar.self == Float.self { return firstLane(x, y, derivative: true) }
        if logTarget {
            let e = Scalar.exp(y)
            return (e * (y - x), -e)
        }
        let yLogY: Scalar = y == 0 ? 0 : y * Scalar.log(y)  // log of a negative y is NaN
        return (yLogY - y * x, -y)
    }

    var hasLanes: Bool { true }

    /// The formulas above on sixteen float lanes.
    @inline(__always)
    func lanes(_ x: SIMD16<Float>, _ y: SIMD16<Float>, derivative: Bool) -> (SIMD16<Float>, SIMD16<Float>) {
        if logTarget {
            let e = VectorMath.exp(y)
            return (e * (y - x), -e)
        }
        let yLogY = (y * VectorMath.logOfAny(y)).replacing(with: 0, where: y .== 0)
        return (yLogY - y * x, -y)
    }
}

/// The Kullback-Leibler divergence over raw buffers, as `torch.nn.functional.kl_div`: writes `out` and, where
/// gradient buffers are set, the gradient.
///
///     loss[i] = target[i] * (log(target[i]) - input[i])       (0 where target[i] == 0)
///     loss[i] = exp(target[i]) * (target[i] - input[i])       with logTarget
///
/// torch's reduction 'batchmean' (the divergence per sample) is `.sum` divided by the batch size.
///
/// - Parameters:
///   - buffers: The call's buffers: `input`, `target` and the optional `weight` of `count` values, the
///     `reduction`, `out` (one value, or `count` for `.none`), and, for the gradient, `gradInput` (`count`
///     values) with the optional `gradOutput`.
///   - logTarget: Whether `target` holds log-probabilities. Default `false`.
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
///     d loss[i] / d input[i] = -target[i]          (-exp(target[i]) with logTarget)
public func klDivLoss<T: LossStorage>(_ buffers: ElementwiseBuffers<T>, logTarget: Bool = false) throws(LossError) {
    try ElementwiseDriver.validate(buffers, weightAllowed: false)
    ElementwiseDriver.run(KLDivergence<T.Compute>(logTarget: logTarget), buffers, mean: .elementCount)
}

/// The Kullback-Leibler divergence, as `torch.nn.functional.kl_div`.
///
///     loss[i] = target[i] * (log(target[i]) - input[i])       (0 where target[i] == 0)
///     loss[i] = exp(target[i]) * (target[i] - input[i])       with logTarget
///
/// torch's reduction 'batchmean' (the divergence per sample) is `.sum` divided by the batch size.
///
/// - Parameters:
///   - input: Log-probabilities: any number of values.
///   - target: The target distribution (log-probabilities with `logTarget`): as many values as `input`.
///   - logTarget: Whether `target` holds log-probabilities. Default `false`.
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
/// `klDivLossAndGrad` computes the loss and its gradient with respect to `input` in the same pass:
///
///     d loss[i] / d input[i] = -target[i]          (-exp(target[i]) with logTarget)
///
/// ## Example
///
/// ```swift
/// let loss = try klDivLoss([0.25, 0.25, 0.5].map(Double.log), [0.5, 0.25, 0.25], reduction: .sum)
/// print(loss.scalar!)  // ≈ 0.1733
/// ```
public func klDivLoss<T: LossStorage>(_ input: [T], _ target: [T], logTarget: Bool = false,
                                      reduction: Reduction = .mean) throws(LossError) -> LossOutput<T> {
    try ArrayBridge.elementwise(input, target, weight: nil, reduction: reduction,
                                gradient: false, gradOutput: nil) { b throws(LossError) in
        try klDivLoss(b, logTarget: logTarget)
    }.loss
}

/// The Kullback-Leibler divergence and its gradient with respect to `input`, in one pass, as
/// `torch.nn.functional.kl_div` with its autograd.
///
///     loss[i] = target[i] * (log(target[i]) - input[i])       (0 where target[i] == 0)
///     loss[i] = exp(target[i]) * (target[i] - input[i])       with logTarget
///
/// torch's reduction 'batchmean' (the divergence per sample) is `.sum` divided by the batch size.
///
/// - Parameters:
///   - input: Log-probabilities: any number of values.
///   - target: The target distribution (log-probabilities with `logTarget`): as many values as `input`.
///   - logTarget: Whether `target` holds log-probabilities. Default `false`.
///   - reduction: How the losses combine: `.none`, `.mean` or `.sum` (see Reduction). Default `.mean`.
///   - gradOutput: The gradient flowing into the loss: one value for `.mean` and `.sum`, one per loss for
///     `.none`; nil means ones. Default `nil`.
/// - Returns: `loss` as `klDivLoss` returns it, and `grad`: d loss / d `input`, as many values as `input`.
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
///     d loss[i] / d input[i] = -target[i]          (-exp(target[i]) with logTarget)
///
/// ## Example
///
/// ```swift
/// let (loss, grad) = try klDivLossAndGrad([0.25, 0.25, 0.5].map(Double.log), [0.5, 0.25, 0.25],
///                                         reduction: .sum)
/// print(loss.scalar!)  // ≈ 0.1733
/// print(grad)  // [-0.5, -0.25, -0.25]
/// ```
public func klDivLossAndGrad<T: LossStorage>(_ input: [T], _ target: [T], logTarget: Bool = false,
                                             reduction: Reduction = .mean, gradOutput: [T]? = nil)
    throws(LossError) -> (loss: LossOutput<T>, grad: [T]) {
    try ArrayBridge.elementwise(input, target, weight: nil, reduction: reduction,
                                gradient: true, gradOutput: gradOutput) { b throws(LossError) in
        try klDivLoss(b, logTarget: logTarget)
    }
}
