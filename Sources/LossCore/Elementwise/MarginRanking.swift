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

/// Computes the margin ranking loss over raw buffers (first = input1, second = input2,
/// third = target; gradFirst and gradSecond are the gradients of input1 and input2).
public func marginRankingLoss<T: LossScalar>(_ buffers: OperandBuffers<T>, margin: Double = 0) throws(LossError) {
    try OperandsDriver.validate(buffers, names: ("input1", "input2", "target"))
    try Check.notNaN(margin, "margin")
    OperandsDriver.run(MarginRanking(margin: T(margin)), buffers)
}

/// The margin ranking loss of scores `input1` and `input2` against targets 1 (input1
/// should rank higher) or -1.
public func marginRankingLoss<T: LossScalar>(_ input1: [T], _ input2: [T], _ target: [T], margin: Double = 0,
                                             reduction: Reduction = .mean) throws(LossError) -> LossOutput<T> {
    try marginRankingBridge(input1, input2, target, margin, reduction, gradient: false, gradOutput: nil).loss
}

/// The margin ranking loss and its gradients with respect to `input1` and `input2`, in one pass.
public func marginRankingLossAndGrad<T: LossScalar>(_ input1: [T], _ input2: [T], _ target: [T], margin: Double = 0,
                                                    reduction: Reduction = .mean, gradOutput: [T]? = nil)
    throws(LossError) -> (loss: LossOutput<T>, grads: (input1: [T], input2: [T])) {
    let (loss, grads) = try marginRankingBridge(input1, input2, target, margin, reduction, gradient: true,
                                                gradOutput: gradOutput)
    return (loss, (grads.0, grads.1))
}

private func marginRankingBridge<T: LossScalar>(_ input1: [T], _ input2: [T], _ target: [T], _ margin: Double,
                                                _ reduction: Reduction, gradient: Bool, gradOutput: [T]?)
    throws(LossError) -> (loss: LossOutput<T>, grads: ([T], [T])) {
    try ArrayBridge.operands(input1, input2, target, secondCount: input1.count, names: ("input1", "input2", "target"),
                             reduction: reduction, gradient: gradient, gradOutput: gradOutput) { b throws(LossError) in
        try marginRankingLoss(b, margin: margin)
    }
}
