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

/// Computes the Poisson NLL over raw buffers (and its gradient when `gradInput` is set).
public func poissonNLLLoss<T: LossScalar>(_ buffers: ElementwiseBuffers<T>, logInput: Bool = true, full: Bool = false,
                                          eps: Double = 1e-8) throws(LossError) {
    try ElementwiseDriver.validate(buffers, weightAllowed: false)
    try Check.notNaN(eps, "eps")
    ElementwiseDriver.run(PoissonNLL(logInput: logInput, full: full, eps: T(eps)), buffers, mean: .elementCount)
}

/// The Poisson NLL of rates predicted by `input` (log-rates when `logInput`) for counts `target`.
public func poissonNLLLoss<T: LossScalar>(_ input: [T], _ target: [T], logInput: Bool = true, full: Bool = false,
                                          eps: Double = 1e-8, reduction: Reduction = .mean) throws(LossError) -> LossOutput<T> {
    try ArrayBridge.elementwise(input, target, weight: nil, reduction: reduction,
                                gradient: false, gradOutput: nil) { b throws(LossError) in
        try poissonNLLLoss(b, logInput: logInput, full: full, eps: eps)
    }.loss
}

/// The Poisson NLL and its gradient with respect to `input`, in one pass.
public func poissonNLLLossAndGrad<T: LossScalar>(_ input: [T], _ target: [T], logInput: Bool = true, full: Bool = false,
                                                 eps: Double = 1e-8, reduction: Reduction = .mean, gradOutput: [T]? = nil)
    throws(LossError) -> (loss: LossOutput<T>, grad: [T]) {
    try ArrayBridge.elementwise(input, target, weight: nil, reduction: reduction,
                                gradient: true, gradOutput: gradOutput) { b throws(LossError) in
        try poissonNLLLoss(b, logInput: logInput, full: full, eps: eps)
    }
}
