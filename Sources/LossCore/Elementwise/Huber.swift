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

/// The Huber loss over raw buffers, as `torch.nn.functional.huber_loss`: writes `out` and, where gradient
/// buffers are set, the gradient.
///
///     d = input[i] - target[i]
///     loss[i] = weight[i] * 0.5 * d^2                  if |d| < delta
///               weight[i] * delta * (|d| - 0.5 * delta)  otherwise
///
/// - Parameters:
///   - buffers: The call's buffers: `input`, `target` and the optional `weight` of `count` values, the
///     `reduction`, `out` (one value, or `count` for `.none`), and, for the gradient, `gradInput` (`count`
///     values) with the optional `gradOutput`.
///   - delta: Where the loss turns from squared to linear (> 0). Default `1.0`.
/// - Throws: `LossError` when a size, an option or an index is out of its domain (the message names the
///   argument); nothing is written then.
///
/// ## Reduction
///
/// `.none`: one loss per element; `.mean`: their sum divided by the element count (with weights too, as torch);
/// `.sum`: their sum. The buffers' `reduction` chooses it.
///
/// ## Gradients
///
/// Written to the gradient buffers that are set, scaled by `gradOutput` (nil means ones), in the same pass as
/// the loss:
///
///     d loss[i] / d input[i] = weight[i] * d                if |d| < delta
///                              weight[i] * delta * sign(d)  otherwise
public func huberLoss<T: LossStorage>(_ buffers: ElementwiseBuffers<T>, delta: Double = 1.0) throws(LossError) {
    try ElementwiseDriver.validate(buffers)
    try Check.positive(delta, "delta")
    if delta == 1 {
        ElementwiseDriver.run(Huber<T.Compute, UnitFactor>(delta: 1), buffers, mean: .elementCount)
    } else {
        ElementwiseDriver.run(Huber<T.Compute, AnyFactor>(delta: T.Compute(delta)), buffers, mean: .elementCount)
    }
}

/// The Huber loss, as `torch.nn.functional.huber_loss`.
///
///     d = input[i] - target[i]
///     loss[i] = weight[i] * 0.5 * d^2                  if |d| < delta
///               weight[i] * delta * (|d| - 0.5 * delta)  otherwise
///
/// - Parameters:
///   - input: The predictions: any number of values.
///   - target: The targets: as many values as `input`.
///   - reduction: How the losses combine: `.none`, `.mean` or `.sum` (see Reduction). Default `.mean`.
///   - delta: Where the loss turns from squared to linear (> 0). Default `1.0`.
///   - weight: Per-element weights, as many as `input`; nil weighs every element 1. Default `nil`.
/// - Returns: The loss: `.elementwise` with one loss per element for `.none`, else `.reduced` with one value.
/// - Throws: `LossError` when a size, an option or an index is out of its domain (the message names the
///   argument); nothing is written then.
///
/// ## Reduction
///
/// `.none`: one loss per element; `.mean`: their sum divided by the element count (with weights too, as torch);
/// `.sum`: their sum. Default `.mean`.
///
/// ## Gradients
///
/// `huberLossAndGrad` computes the loss and its gradient with respect to `input` in the same pass:
///
///     d loss[i] / d input[i] = weight[i] * d                if |d| < delta
///                              weight[i] * delta * sign(d)  otherwise
///
/// ## Example
///
/// ```swift
/// let loss = try huberLoss([0.5, 2.0, -1.0], [1.0, 1.0, 0.0], delta: 0.8)
/// print(loss.scalar!)  // ≈ 0.3617
/// ```
public func huberLoss<T: LossStorage>(_ input: [T], _ target: [T], reduction: Reduction = .mean,
                                      delta: Double = 1.0, weight: [T]? = nil) throws(LossError) -> LossOutput<T> {
    try ArrayBridge.elementwise(input, target, weight: weight, reduction: reduction,
                                gradient: false, gradOutput: nil) { b throws(LossError) in
        try huberLoss(b, delta: delta)
    }.loss
}

/// The Huber loss and its gradient with respect to `input`, in one pass, as `torch.nn.functional.huber_loss`
/// with its autograd.
///
///     d = input[i] - target[i]
///     loss[i] = weight[i] * 0.5 * d^2                  if |d| < delta
///               weight[i] * delta * (|d| - 0.5 * delta)  otherwise
///
/// - Parameters:
///   - input: The predictions: any number of values.
///   - target: The targets: as many values as `input`.
///   - reduction: How the losses combine: `.none`, `.mean` or `.sum` (see Reduction). Default `.mean`.
///   - delta: Where the loss turns from squared to linear (> 0). Default `1.0`.
///   - weight: Per-element weights, as many as `input`; nil weighs every element 1. Default `nil`.
///   - gradOutput: The gradient flowing into the loss: one value for `.mean` and `.sum`, one per loss for
///     `.none`; nil means ones. Default `nil`.
/// - Returns: `loss` as `huberLoss` returns it, and `grad`: d loss / d `input`, as many values as `input`.
/// - Throws: `LossError` when a size, an option or an index is out of its domain (the message names the
///   argument); nothing is written then.
///
/// ## Reduction
///
/// `.none`: one loss per element; `.mean`: their sum divided by the element count (with weights too, as torch);
/// `.sum`: their sum. Default `.mean`.
///
/// ## Gradients
///
/// With respect to `input` (not `target`, `weight`): the gradient of sum(gradOutput * loss), computed in the
/// same pass as the loss:
///
///     d loss[i] / d input[i] = weight[i] * d                if |d| < delta
///                              weight[i] * delta * sign(d)  otherwise
///
/// ## Example
///
/// ```swift
/// let (loss, grad) = try huberLossAndGrad([0.5, 2.0, -1.0], [1.0, 1.0, 0.0], delta: 0.8)
/// print(loss.scalar!)  // ≈ 0.3617
/// print(grad)  // ≈ [-0.1667, 0.2667, -0.2667]
/// ```
public func huberLossAndGrad<T: LossStorage>(_ input: [T], _ target: [T], reduction: Reduction = .mean,
                                             delta: Double = 1.0, weight: [T]? = nil, gradOutput: [T]? = nil)
    throws(LossError) -> (loss: LossOutput<T>, grad: [T]) {
    try ArrayBridge.elementwise(input, target, weight: weight, reduction: reduction,
                                gradient: true, gradOutput: gradOutput) { b throws(LossError) in
        try huberLoss(b, delta: delta)
    }
}
