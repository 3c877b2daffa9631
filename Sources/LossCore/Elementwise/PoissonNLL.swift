/// Poisson negative log-likelihood, `torch.nn.functional.poisson_nll_loss`, of a rate
/// predicted by `input` x for counts y:
///
///     l     = e^x - y x                dl/dx = e^x - y                (logInput true)
///     l     = x - y log(x + eps)       dl/dx = 1 - y / (x + eps)      (logInput false)
///
/// and with `full` the Stirling approximation of log(y!) added where y > 1 (and for NaN, as
/// torch masks only y <= 1): y log y - y + log(2 pi y) / 2. It does not depend on x, so
/// the derivative is unchanged. eps is added in the data's type, as torch adds its double
/// to the tensor. 'mean' divides by n; there is no weight.
///
/// Float uses the vector exp and log (`lanes`); one-value calls run the lane formula on one
/// lane, so every element gets the same bits wherever it falls. Double keeps libm.
struct PoissonNLL<Scalar: LossScalar>: ElementwiseLoss {
    let logInput: Bool
    let full: Bool
    let eps: Scalar

    @inline(__always) func value(_ x: Scalar, _ y: Scalar) -> Scalar {
        valueAndDerivative(x, y).0
    }

    @inline(__always) func valueAndDerivative(_ x: Scalar, _ y: Scalar) -> (Scalar, Scalar) {
        if Scalar.self == Float.self { return firstLane(x, y, derivative: true) }
        var l: Scalar, dl: Scalar
        if logInput {
            let e = Scalar.exp(x)
            (l, dl) = (e - y * x, e - y)
        } else {
            let rate = x + eps
            (l, dl) = (x - y * Scalar.log(rate), 1 - y / rate)
        }
        if full && !(y <= 1) {
            l += y * Scalar.log(y) - y + Scalar(0.5) * Scalar.log(Scalar(2 * Double.pi) * y)
        }
        return (l, dl)
    }

    var hasLanes: Bool { true }

    /// The formulas above on sixteen float lanes.
    @inline(__always)
    func lanes(_ x: SIMD16<Float>, _ y: SIMD16<Float>, derivative: Bool) -> (SIMD16<Float>, SIMD16<Float>) {
        var l: SIMD16<Float>, dl: SIMD16<Float>
        if logInput {
            let e = VectorMath.exp(x)
            (l, dl) = (e - y * x, e - y)
        } else {
            let rate = x + unsafeBitCast(eps, to: Float.self)
            (l, dl) = (x - y * VectorMath.logOfAny(rate), 1 - y / rate)
        }
        if full {
            let stirling = y * VectorMath.logOfAny(y) - y + 0.5 * VectorMath.logOfAny(Float(2 * Double.pi) * y)
            l += stirling.replacing(with: 0, where: y .<= 1)
        }
        return (l, dl)
    }
}

/// The Poisson negative log-likelihood over raw buffers, as `torch.nn.functional.poisson_nll_loss`: writes
/// `out` and, where gradient buffers are set, the gradient.
///
///     loss[i] = exp(x) - y * x                 (logInput: x holds log-rates)
///     loss[i] = x - y * log(x + eps)           (rates)      x = input[i], y = target[i]
///
/// `full` adds the Stirling term y * log(y) - y + 0.5 * log(2 * pi * y) where y > 1.
///
/// - Parameters:
///   - buffers: The call's buffers: `input`, `target` and the optional `weight` of `count` values, the
///     `reduction`, `out` (one value, or `count` for `.none`), and, for the gradient, `gradInput` (`count`
///     values) with the optional `gradOutput`.
///   - logInput: Whether `input` holds log-rates. Default `true`.
///   - full: Whether to add the Stirling term of log(target!). Default `false`.
///   - eps: Added to the rate inside the log when `logInput` is false. Default `1e-8`.
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
///     d loss[i] / d input[i] = exp(x) - y      (logInput)
///                              1 - y / (x + eps)     (rates)
public func poissonNLLLoss<T: LossStorage>(_ buffers: ElementwiseBuffers<T>, logInput: Bool = true, full: Bool = false,
                                           eps: Double = 1e-8) throws(LossError) {
    try ElementwiseDriver.validate(buffers, weightAllowed: false)
    try Check.notNaN(eps, "eps")
    ElementwiseDriver.run(PoissonNLL(logInput: logInput, full: full, eps: T.Compute(eps)), buffers, mean: .elementCount)
}

/// The Poisson negative log-likelihood, as `torch.nn.functional.poisson_nll_loss`.
///
///     loss[i] = exp(x) - y * x                 (logInput: x holds log-rates)
///     loss[i] = x - y * log(x + eps)           (rates)      x = input[i], y = target[i]
///
/// `full` adds the Stirling term y * log(y) - y + 0.5 * log(2 * pi * y) where y > 1.
///
/// - Parameters:
///   - input: Predicted log-rates (rates when `logInput` is false): any number of values.
///   - target: Counts: as many values as `input`.
///   - logInput: Whether `input` holds log-rates. Default `true`.
///   - full: Whether to add the Stirling term of log(target!). Default `false`.
///   - eps: Added to the rate inside the log when `logInput` is false. Default `1e-8`.
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
/// `poissonNLLLossAndGrad` computes the loss and its gradient with respect to `input` in the same pass:
///
///     d loss[i] / d input[i] = exp(x) - y      (logInput)
///                              1 - y / (x + eps)     (rates)
///
/// ## Example
///
/// ```swift
/// let loss = try poissonNLLLoss([0.5, -1.0, 0.0], [2.0, 0.0, 1.0])
/// print(loss.scalar!)  // ≈ 0.6722
/// ```
public func poissonNLLLoss<T: LossStorage>(_ input: [T], _ target: [T], logInput: Bool = true, full: Bool = false,
                                           eps: Double = 1e-8, reduction: Reduction = .mean) throws(LossError) -> LossOutput<T> {
    try ArrayBridge.elementwise(input, target, weight: nil, reduction: reduction,
                                gradient: false, gradOutput: nil) { b throws(LossError) in
        try poissonNLLLoss(b, logInput: logInput, full: full, eps: eps)
    }.loss
}

/// The Poisson negative log-likelihood and its gradient with respect to `input`, in one pass, as
/// `torch.nn.functional.poisson_nll_loss` with its autograd.
///
///     loss[i] = exp(x) - y * x                 (logInput: x holds log-rates)
///     loss[i] = x - y * log(x + eps)           (rates)      x = input[i], y = target[i]
///
/// `full` adds the Stirling term y * log(y) - y + 0.5 * log(2 * pi * y) where y > 1.
///
/// - Parameters:
///   - input: Predicted log-rates (rates when `logInput` is false): any number of values.
///   - target: Counts: as many values as `input`.
///   - logInput: Whether `input` holds log-rates. Default `true`.
///   - full: Whether to add the Stirling term of log(target!). Default `false`.
///   - eps: Added to the rate inside the log when `logInput` is false. Default `1e-8`.
///   - reduction: How the losses combine: `.none`, `.mean` or `.sum` (see Reduction). Default `.mean`.
///   - gradOutput: The gradient flowing into the loss: one value for `.mean` and `.sum`, one per loss for
///     `.none`; nil means ones. Default `nil`.
/// - Returns: `loss` as `poissonNLLLoss` returns it, and `grad`: d loss / d `input`, as many values as `input`.
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
///     d loss[i] / d input[i] = exp(x) - y      (logInput)
///                              1 - y / (x + eps)     (rates)
///
/// ## Example
///
/// ```swift
/// let (loss, grad) = try poissonNLLLossAndGrad([0.5, -1.0, 0.0], [2.0, 0.0, 1.0])
/// print(loss.scalar!)  // ≈ 0.6722
/// print(grad)  // ≈ [-0.1171, 0.1226, 0.0]
/// ```
public func poissonNLLLossAndGrad<T: LossStorage>(_ input: [T], _ target: [T], logInput: Bool = true, full: Bool = false,
                                                  eps: Double = 1e-8, reduction: Reduction = .mean, gradOutput: [T]? = nil)
    throws(LossError) -> (loss: LossOutput<T>, grad: [T]) {
    try ArrayBridge.elementwise(input, target, weight: nil, reduction: reduction,
                                gradient: true, gradOutput: gradOutput) { b throws(LossError) in
        try poissonNLLLoss(b, logInput: logInput, full: full, eps: eps)
    }
}
