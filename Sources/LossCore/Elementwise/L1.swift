/// L1 loss (mean absolute error), `torch.nn.functional.l1_loss`.
///
///     l_i = w_i * |x_i - y_i|,        dl_i/dx_i = w_i * sign(x_i - y_i)
///
/// sign is torch's `sgn`: 0 at a zero difference and for NaN. 'mean' divides by
/// sum_i w_i (by n without weights).
struct L1<Scalar: LossScalar>: ElementwiseLoss {
    @inline(__always) func value(_ x: Scalar, _ y: Scalar) -> Scalar { abs(x - y) }

    @inline(__always) func valueAndDerivative(_ x: Scalar, _ y: Scalar) -> (Scalar, Scalar) {
        let d = x - y
        return (abs(d), Scalar.torchSign(d))
    }

    var hasLanes: Bool { true }

    @inline(__always)
    func lanes(_ x: SIMD16<Float>, _ y: SIMD16<Float>, derivative: Bool) -> (SIMD16<Float>, SIMD16<Float>) {
        let d = x - y
        return (VectorMath.magnitude(d), derivative ? VectorMath.torchSign(d) : SIMD16())
    }
}

/// Computes the L1 loss over raw buffers (and its gradient when `gradInput` is set).
public func l1Loss<T: LossScalar>(_ buffers: ElementwiseBuffers<T>) throws(LossError) {
    try ElementwiseDriver.validate(buffers)
    ElementwiseDriver.run(L1<T>(), buffers, mean: .weightSum)
}

/// The L1 loss of `input` against `target`, with optional per-element `weight`.
public func l1Loss<T: LossScalar>(_ input: [T], _ target: [T], weight: [T]? = nil,
                                  reduction: Reduction = .mean) throws(LossError) -> LossOutput<T> {
    try ArrayBridge.elementwise(input, target, weight: weight, reduction: reduction,
                                gradient: false, gradOutput: nil, l1Loss).loss
}

/// The L1 loss and its gradient with respect to `input`, in one pass.
public func l1LossAndGrad<T: LossScalar>(_ input: [T], _ target: [T], weight: [T]? = nil,
                                         reduction: Reduction = .mean, gradOutput: [T]? = nil)
    throws(LossError) -> (loss: LossOutput<T>, grad: [T]) {
    try ArrayBridge.elementwise(input, target, weight: weight, reduction: reduction,
                                gradient: true, gradOutput: gradOutput, l1Loss)
}
