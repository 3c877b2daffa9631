/// Soft margin loss (two-class logistic loss), `torch.nn.functional.soft_margin_loss`.
///
///     m = y x
///     l = log(1 + exp(-m))                 = max(-m, 0) + log1p(exp(-|m|))
///     dl/dx = -y sigmoid(-m)               = -y / (1 + e)     if m < 0
///                                            -y e / (1 + e)   otherwise,   e = exp(-|m|)
///
/// Targets are usually -1 or 1, but any value is allowed. 'mean' divides by n; there is no
/// weight. The stable form keeps the true value where torch's log1p(exp(-m)) overflows
/// (m below about -88 in float, -709 in double: torch gives inf and a NaN gradient, this
/// gives -m and -y); elsewhere the two agree to rounding.
struct SoftMargin<Scalar: LossScalar>: ElementwiseLoss {
    @inline(__always) func value(_ x: Scalar, _ y: Scalar) -> Scalar {
        valueAndDerivative(x, y).0  // (the unused derivative is optimized away)
    }

    @inline(__always) func valueAndDerivative(_ x: Scalar, _ y: Scalar) -> (Scalar, Scalar) {
        let m = y * x
        let e = ScalarMath.expNegAbs(m)
        let tail = ScalarMath.log1pUnit(e)
        if m >= 0 { return (tail, y * -(e / (1 + e))) }
        // (NaN lands here too and propagates through both.)
        return (-m + tail, y * -(1 / (1 + e)))
    }

    var hasLanes: Bool { true }

    /// The same operations as `valueAndDerivative` on sixteen float lanes.
    @inline(__always)
    func lanes(_ x: SIMD16<Float>, _ y: SIMD16<Float>, derivative: Bool) -> (SIMD16<Float>, SIMD16<Float>) {
        let m = y * x
        let e = LogitTerms.expNegAbs(m)
        let tail = ScalarMath.log1pUnit(e)
        let negative = .!(m .>= 0)
        let value = tail.replacing(with: -m + tail, where: negative)
        guard derivative else { return (value, SIMD16()) }
        let slope = (-(e / (1 + e))).replacing(with: -(1 / (1 + e)), where: negative)
        return (value, y * slope)
    }
}

/// The two-class logistic (soft margin) loss over raw buffers, as `torch.nn.functional.soft_margin_loss`:
/// writes `out` and, where gradient buffers are set, the gradient.
///
///     loss[i] = log(1 + exp(-target[i] * input[i]))
///
/// Evaluated stably: where torch's `log1p(exp(-y x))` overflows (y x below about -88 in Float), this gives the
/// true value -y x and gradient -y.
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
///     d loss[i] / d input[i] = -target[i] * sigmoid(-target[i] * input[i])
public func softMarginLoss<T: LossStorage>(_ buffers: ElementwiseBuffers<T>) throws(LossError) {
    try ElementwiseDriver.validate(buffers, weightAllowed: false)
    ElementwiseDriver.run(SoftMargin<T.Compute>(), buffers, mean: .elementCount)
}

/// The two-class logistic (soft margin) loss, as `torch.nn.functional.soft_margin_loss`.
///
///     loss[i] = log(1 + exp(-target[i] * input[i]))
///
/// Evaluated stably: where torch's `log1p(exp(-y x))` overflows (y x below about -88 in Float), this gives the
/// true value -y x and gradient -y.
///
/// - Parameters:
///   - input: The predictions: any number of values.
///   - target: Targets, usually -1 or 1: as many values as `input`.
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
/// `softMarginLossAndGrad` computes the loss and its gradient with respect to `input` in the same pass:
///
///     d loss[i] / d input[i] = -target[i] * sigmoid(-target[i] * input[i])
///
/// ## Example
///
/// ```swift
/// let loss = try softMarginLoss([0.5, -1.0, 2.0], [1.0, 1.0, -1.0])
/// print(loss.scalar!)  // ≈ 1.3048
/// ```
public func softMarginLoss<T: LossStorage>(_ input: [T], _ target: [T],
                                           reduction: Reduction = .mean) throws(LossError) -> LossOutput<T> {
    try ArrayBridge.elementwise(input, target, weight: nil, reduction: reduction,
                                gradient: false, gradOutput: nil, softMarginLoss).loss
}

/// The two-class logistic (soft margin) loss and its gradient with respect to `input`, in one pass, as
/// `torch.nn.functional.soft_margin_loss` with its autograd.
///
///     loss[i] = log(1 + exp(-target[i] * input[i]))
///
/// Evaluated stably: where torch's `log1p(exp(-y x))` overflows (y x below about -88 in Float), this gives the
/// true value -y x and gradient -y.
///
/// - Parameters:
///   - input: The predictions: any number of values.
///   - target: Targets, usually -1 or 1: as many values as `input`.
///   - reduction: How the losses combine: `.none`, `.mean` or `.sum` (see Reduction). Default `.mean`.
///   - gradOutput: The gradient flowing into the loss: one value for `.mean` and `.sum`, one per loss for
///     `.none`; nil means ones. Default `nil`.
/// - Returns: `loss` as `softMarginLoss` returns it, and `grad`: d loss / d `input`, as many values as `input`.
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
///     d loss[i] / d input[i] = -target[i] * sigmoid(-target[i] * input[i])
///
/// ## Example
///
/// ```swift
/// let (loss, grad) = try softMarginLossAndGrad([0.5, -1.0, 2.0], [1.0, 1.0, -1.0])
/// print(loss.scalar!)  // ≈ 1.3048
/// print(grad)  // ≈ [-0.1258, -0.2437, 0.2936]
/// ```
public func softMarginLossAndGrad<T: LossStorage>(_ input: [T], _ target: [T], reduction: Reduction = .mean,
                                                  gradOutput: [T]? = nil)
    throws(LossError) -> (loss: LossOutput<T>, grad: [T]) {
    try ArrayBridge.elementwise(input, target, weight: nil, reduction: reduction,
                                gradient: true, gradOutput: gradOutput, softMarginLoss)
}
