/// Mean squared error, `torch.nn.functional.mse_loss`.
///
///     l_i = w_i * (x_i - y_i)^2,      dl_i/dx_i = 2 w_i (x_i - y_i)
///
/// 'mean' divides by sum_i w_i (by n without weights).
struct MSE<Scalar: LossScalar>: ElementwiseLoss {
    @inline(__always) func value(_ x: Scalar, _ y: Scalar) -> Scalar {
        let d = x - y
        return d * d
    }

    @inline(__always) func valueAndDerivative(_ x: Scalar, _ y: Scalar) -> (Scalar, Scalar) {
        let d = x - y
        return (d * d, 2 * d)
    }

    var hasLanes: Bool { true }

    @inline(__always)
    func lanes(_ x: SIMD16<Float>, _ y: SIMD16<Float>, derivative: Bool) -> (SIMD16<Float>, SIMD16<Float>) {
        let d = x - y
        return (d * d, derivative ? 2 * d : SIMD16())
    }
}

/// Computes the mean squared error over raw buffers (and its gradient when `gradInput` is set).
public func mseLoss<T: LossScalar>(_ buffers: ElementwiseBuffers<T>) throws(LossError) {
    try ElementwiseDriver.validate(buffers)
    ElementwiseDriver.run(MSE<T>(), buffers, mean: .weightSum)
}

/// The squared error of `input` against `target`, with optional per-element `weight`.
public func mseLoss<T: LossScalar>(_ input: [T], _ target: [T], weight: [T]? = nil,
                                   reduction: Reduction = .mean) throws(LossError) -> LossOutput<T> {
    try ArrayBridge.elementwise(input, target, weight: weight, reduction: reduction,
                                gradient: false, gradOutput: nil, mseLoss).loss
}

/// The squared error and its gradient with respect to `input`, in one pass.
public func mseLossAndGrad<T: LossScalar>(_ input: [T], _ target: [T], weight: [T]? = nil,
                                          reduction: Reduction = .mean, gradOutput: [T]? = nil)
    throws(LossError) -> (loss: LossOutput<T>, grad: [T]) {
    try ArrayBridge.elementwise(input, target, weight: weight, reduction: reduction,
                                gradient: true, gradOutput: gradOutput, mseLoss)
}
