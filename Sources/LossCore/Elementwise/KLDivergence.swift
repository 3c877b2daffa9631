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

/// Computes the KL divergence over raw buffers (and its gradient when `gradInput` is set).
public func klDivLoss<T: LossScalar>(_ buffers: ElementwiseBuffers<T>, logTarget: Bool = false) throws(LossError) {
    try ElementwiseDriver.validate(buffers, weightAllowed: false)
    ElementwiseDriver.run(KLDivergence<T>(logTarget: logTarget), buffers, mean: .elementCount)
}

/// The KL divergence of log-probabilities `input` from the target distribution (pointwise).
public func klDivLoss<T: LossScalar>(_ input: [T], _ target: [T], logTarget: Bool = false,
                                     reduction: Reduction = .mean) throws(LossError) -> LossOutput<T> {
    try ArrayBridge.elementwise(input, target, weight: nil, reduction: reduction,
                                gradient: false, gradOutput: nil) { b throws(LossError) in
        try klDivLoss(b, logTarget: logTarget)
    }.loss
}

/// The KL divergence and its gradient with respect to `input`, in one pass.
public func klDivLossAndGrad<T: LossScalar>(_ input: [T], _ target: [T], logTarget: Bool = false,
                                            reduction: Reduction = .mean, gradOutput: [T]? = nil)
    throws(LossError) -> (loss: LossOutput<T>, grad: [T]) {
    try ArrayBridge.elementwise(input, target, weight: nil, reduction: reduction,
                                gradient: true, gradOutput: gradOutput) { b throws(LossError) in
        try klDivLoss(b, logTarget: logTarget)
    }
}
