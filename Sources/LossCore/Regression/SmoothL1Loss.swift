/// Smooth L1 loss (Fast R-CNN), `torch.nn.functional.smooth_l1_loss`.
///
///     d = x - y
///     l = 0.5 d^2 / beta     if |d| < beta        dl/dx = d / beta
///         |d| - 0.5 beta     otherwise            dl/dx = sign(d)
///
/// beta = 0 is exactly the L1 loss, gradient included (torch dispatches to l1_loss).
/// 'mean' divides by n; there is no weight.
struct SmoothL1<Scalar: LossScalar>: PointwiseLoss {
    let beta: Scalar

    @inline(__always) func value(_ x: Scalar, _ y: Scalar) -> Scalar {
        valueAndDerivative(x, y).0
    }

    @inline(__always) func valueAndDerivative(_ x: Scalar, _ y: Scalar) -> (Scalar, Scalar) {
        let d = x - y
        let magnitude = abs(d)
        if magnitude < beta {
            return (0.5 * d * d / beta, d / beta)
        }
        // torch's smooth_l1 backward propagates NaN, but beta = 0 runs l1's, whose sgn(NaN) is 0.
        let slope = d.isNaN && beta != 0 ? d : Scalar.torchSign(d)
        return (magnitude - 0.5 * beta, slope)
    }
}

/// Computes the smooth L1 loss over raw buffers (and its gradient when `gradInput` is set).
public func smoothL1Loss<T: LossScalar>(_ buffers: PointwiseBuffers<T>, beta: Double = 1.0) throws(LossError) {
    try PointwiseKernel.validate(buffers, weightAllowed: false)
    try Check.nonNegative(beta, "beta")
    PointwiseKernel.run(SmoothL1<T>(beta: T(beta)), buffers, mean: .elementCount)
}

/// The smooth L1 loss of `input` against `target`.
public func smoothL1Loss<T: LossScalar>(_ input: [T], _ target: [T], reduction: Reduction = .mean,
                                        beta: Double = 1.0) throws(LossError) -> LossOutput<T> {
    try ArrayBridge.pointwise(input, target, weight: nil, reduction: reduction,
                              gradient: false, gradOutput: nil) { b throws(LossError) in
        try smoothL1Loss(b, beta: beta)
    }.loss
}

/// The smooth L1 loss and its gradient with respect to `input`, in one pass.
public func smoothL1LossAndGrad<T: LossScalar>(_ input: [T], _ target: [T], reduction: Reduction = .mean,
                                               beta: Double = 1.0, gradOutput: [T]? = nil)
    throws(LossError) -> (loss: LossOutput<T>, grad: [T]) {
    try ArrayBridge.pointwise(input, target, weight: nil, reduction: reduction,
                              gradient: true, gradOutput: gradOutput) { b throws(LossError) in
        try smoothL1Loss(b, beta: beta)
    }
}
