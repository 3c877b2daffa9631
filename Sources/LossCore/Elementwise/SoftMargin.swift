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

/// Computes the soft margin loss over raw buffers (and its gradient when `gradInput` is set).
public func softMarginLoss<T: LossScalar>(_ buffers: ElementwiseBuffers<T>) throws(LossError) {
    try ElementwiseDriver.validate(buffers, weightAllowed: false)
    ElementwiseDriver.run(SoftMargin<T>(), buffers, mean: .elementCount)
}

/// The soft margin loss of `input` against `target` (usually -1 or 1).
public func softMarginLoss<T: LossScalar>(_ input: [T], _ target: [T],
                                          reduction: Reduction = .mean) throws(LossError) -> LossOutput<T> {
    try ArrayBridge.elementwise(input, target, weight: nil, reduction: reduction,
                                gradient: false, gradOutput: nil, softMarginLoss).loss
}

/// The soft margin loss and its gradient with respect to `input`, in one pass.
public func softMarginLossAndGrad<T: LossScalar>(_ input: [T], _ target: [T], reduction: Reduction = .mean,
                                                 gradOutput: [T]? = nil)
    throws(LossError) -> (loss: LossOutput<T>, grad: [T]) {
    try ArrayBridge.elementwise(input, target, weight: nil, reduction: reduction,
                                gradient: true, gradOutput: gradOutput, softMarginLoss)
}
