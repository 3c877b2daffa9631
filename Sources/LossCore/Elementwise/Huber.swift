/// Huber loss, `torch.nn.functional.huber_loss`.
///
///     d = x - y
///     l = 0.5 d^2                 if |d| < delta      dl/dx = d
///         delta (|d| - 0.5 delta) otherwise           dl/dx = delta * sign(d)
///
/// With `weight`, 'mean' is mean(w * l): it divides by n, not by sum(w). That is
/// PyTorch's behaviour (unlike its weighted L1 and MSE), mirrored on purpose.
/// `Delta` is `UnitFactor` for the default delta = 1 (no multiplication by it).
struct Huber<Scalar: LossScalar, Delta: ParameterFactor>: ElementwiseLoss {
    let delta: Scalar

    @inline(__always) func value(_ x: Scalar, _ y: Scalar) -> Scalar {
        valueAndDerivative(x, y).0
    }

    @inline(__always) func valueAndDerivative(_ x: Scalar, _ y: Scalar) -> (Scalar, Scalar) {
        let d = x - y
        let magnitude = abs(d)
        if magnitude < delta {
            return (0.5 * d * d, d)
        }
        // NaN lands here: torch's backward propagates it (unlike l1's sgn).
        return (Delta.times(magnitude - 0.5 * delta, delta), d.isNaN ? d : Delta.times(Scalar.torchSign(d), delta))
    }

    var hasLanes: Bool { true }

    /// The same operations as `valueAndDerivative`, both branches computed and selected.
    @inline(__always)
    func lanes(_ x: SIMD16<Float>, _ y: SIMD16<Float>, derivative: Bool) -> (SIMD16<Float>, SIMD16<Float>) {
        let delta = unsafeBitCast(self.delta, to: Float.self)
        let d = x - y
        let magnitude = VectorMath.magnitude(d)
        let small = magnitude .< delta
        let value = Delta.times(magnitude - 0.5 * delta, delta).replacing(with: 0.5 * d * d, where: small)
        guard derivative else { return (value, SIMD16()) }
        let slope = Delta.times(VectorMath.torchSign(d), delta).replacing(with: d, where: d .!= d)
        return (value, slope.replacing(with: d, where: small))
    }
}

/// Computes the Huber loss over raw buffers (and its gradient when `gradInput` is set).
public func huberLoss<T: LossScalar>(_ buffers: ElementwiseBuffers<T>, delta: Double = 1.0) throws(LossError) {
    try ElementwiseDriver.validate(buffers)
    try Check.positive(delta, "delta")
    if delta == 1 {
        ElementwiseDriver.run(Huber<T, UnitFactor>(delta: 1), buffers, mean: .elementCount)
    } else {
        ElementwiseDriver.run(Huber<T, AnyFactor>(delta: T(delta)), buffers, mean: .elementCount)
    }
}

/// The Huber loss of `input` against `target`, with optional per-element `weight`.
public func huberLoss<T: LossScalar>(_ input: [T], _ target: [T], reduction: Reduction = .mean,
                                     delta: Double = 1.0, weight: [T]? = nil) throws(LossError) -> LossOutput<T> {
    try ArrayBridge.elementwise(input, target, weight: weight, reduction: reduction,
                                gradient: false, gradOutput: nil) { b throws(LossError) in
        try huberLoss(b, delta: delta)
    }.loss
}

/// The Huber loss and its gradient with respect to `input`, in one pass.
public func huberLossAndGrad<T: LossScalar>(_ input: [T], _ target: [T], reduction: Reduction = .mean,
                                            delta: Double = 1.0, weight: [T]? = nil, gradOutput: [T]? = nil)
    throws(LossError) -> (loss: LossOutput<T>, grad: [T]) {
    try ArrayBridge.elementwise(input, target, weight: weight, reduction: reduction,
                                gradient: true, gradOutput: gradOutput) { b throws(LossError) in
        try huberLoss(b, delta: delta)
    }
}
