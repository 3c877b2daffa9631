/// Smooth L1 loss (Fast R-CNN), `torch.nn.functional.smooth_l1_loss`.
///
///     d = x - y
///     l = 0.5 d^2 / beta     if |d| < beta        dl/dx = d / beta
///         |d| - 0.5 beta     otherwise            dl/dx = sign(d)
///
/// beta = 0 is exactly the L1 loss, gradient included (torch dispatches to l1_loss).
/// 'mean' divides by n; there is no weight.
///
/// Dividing by beta is a multiplication by 1/beta: a vector division costs more than
/// reading the data (the kernel was division-bound). That is exact for
/// powers of two (the default 1) and within an ulp of torch's quotient otherwise. A beta
/// whose reciprocal would be subnormal (above 2^126 in float) divides, in the one-value
/// formula only (no lanes), so that the lanes carry no branch for it. `InverseBeta` is
/// `UnitFactor` for the default beta = 1 (no multiplication by it).
struct SmoothL1<Scalar: LossScalar, InverseBeta: ParameterFactor>: ElementwiseLoss {
    let beta: Scalar
    private let inverseBeta: Scalar
    private let divides: Bool

    init(beta: Scalar) {
        self.beta = beta
        inverseBeta = 1 / beta
        divides = beta.isFinite && beta > 0 && !inverseBeta.isNormal
    }

    @inline(__always) private func overBeta(_ v: Scalar) -> Scalar {
        divides ? v / beta : InverseBeta.times(v, inverseBeta)
    }

    @inline(__always) func value(_ x: Scalar, _ y: Scalar) -> Scalar {
        valueAndDerivative(x, y).0
    }

    @inline(__always) func valueAndDerivative(_ x: Scalar, _ y: Scalar) -> (Scalar, Scalar) {
        let d = x - y
        let magnitude = abs(d)
        if magnitude < beta {
            return (overBeta(0.5 * d * d), overBeta(d))
        }
        // torch's smooth_l1 backward propagates NaN, but beta = 0 runs l1's, whose sgn(NaN) is 0.
        let slope = d.isNaN && beta != 0 ? d : Scalar.torchSign(d)
        return (magnitude - 0.5 * beta, slope)
    }

    var hasLanes: Bool { !divides }

    /// The same operations as `valueAndDerivative` (where it multiplies by 1/beta), both
    /// branches computed and selected.
    @inline(__always)
    func lanes(_ x: SIMD16<Float>, _ y: SIMD16<Float>, derivative: Bool) -> (SIMD16<Float>, SIMD16<Float>) {
        let beta = unsafeBitCast(self.beta, to: Float.self)
        let inverseBeta = unsafeBitCast(self.inverseBeta, to: Float.self)
        @inline(__always) func overBeta(_ v: SIMD16<Float>) -> SIMD16<Float> { InverseBeta.times(v, inverseBeta) }
        let d = x - y
        let magnitude = VectorMath.magnitude(d)
        let small = magnitude .< beta
        let value = (magnitude - 0.5 * beta).replacing(with: overBeta(0.5 * d * d), where: small)
        guard derivative else { return (value, SIMD16()) }
        // Selects only (a replace under `if beta != 0` became a lane-by-lane loop for beta = 1).
        let keepsNaN = (d .!= d) .& SIMDMask(repeating: beta != 0)
        let slope = VectorMath.torchSign(d).replacing(with: d, where: keepsNaN)
        return (value, slope.replacing(with: overBeta(d), where: small))
    }
}

/// The smooth L1 loss over raw buffers, as `torch.nn.functional.smooth_l1_loss`: writes `out` and, where
/// gradient buffers are set, the gradient.
///
///     d = input[i] - target[i]
///     loss[i] = 0.5 * d^2 / beta    if |d| < beta
///               |d| - 0.5 * beta    otherwise
///
/// `beta` = 0 gives the L1 loss.
///
/// - Parameters:
///   - buffers: The call's buffers: `input`, `target` and the optional `weight` of `count` values, the
///     `reduction`, `out` (one value, or `count` for `.none`), and, for the gradient, `gradInput` (`count`
///     values) with the optional `gradOutput`.
///   - beta: Where the loss turns from squared to linear (>= 0). Default `1.0`.
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
///     d loss[i] / d input[i] = d / beta    if |d| < beta
///                              sign(d)     otherwise
public func smoothL1Loss<T: LossStorage>(_ buffers: ElementwiseBuffers<T>, beta: Double = 1.0) throws(LossError) {
    try ElementwiseDriver.validate(buffers, weightAllowed: false)
    try Check.nonNegative(beta, "beta")
    if beta == 1 {
        ElementwiseDriver.run(SmoothL1<T.Compute, UnitFactor>(beta: 1), buffers, mean: .elementCount)
    } else {
        ElementwiseDriver.run(SmoothL1<T.Compute, AnyFactor>(beta: T.Compute(beta)), buffers, mean: .elementCount)
    }
}

/// The smooth L1 loss, as `torch.nn.functional.smooth_l1_loss`.
///
///     d = input[i] - target[i]
///     loss[i] = 0.5 * d^2 / beta    if |d| < beta
///               |d| - 0.5 * beta    otherwise
///
/// `beta` = 0 gives the L1 loss.
///
/// - Parameters:
///   - input: The predictions: any number of values.
///   - target: The targets: as many values as `input`.
///   - reduction: How the losses combine: `.none`, `.mean` or `.sum` (see Reduction). Default `.mean`.
///   - beta: Where the loss turns from squared to linear (>= 0). Default `1.0`.
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
/// `smoothL1LossAndGrad` computes the loss and its gradient with respect to `input` in the same pass:
///
///     d loss[i] / d input[i] = d / beta    if |d| < beta
///                              sign(d)     otherwise
///
/// ## Example
///
/// ```swift
/// let loss = try smoothL1Loss([0.5, 2.0, -1.0], [1.0, 1.0, 0.0], beta: 2.0)
/// print(loss.scalar!)  // 0.1875
/// ```
public func smoothL1Loss<T: LossStorage>(_ input: [T], _ target: [T], reduction: Reduction = .mean,
                                         beta: Double = 1.0) throws(LossError) -> LossOutput<T> {
    try ArrayBridge.elementwise(input, target, weight: nil, reduction: reduction,
                                gradient: false, gradOutput: nil) { b throws(LossError) in
        try smoothL1Loss(b, beta: beta)
    }.loss
}

/// The smooth L1 loss and its gradient with respect to `input`, in one pass, as
/// `torch.nn.functional.smooth_l1_loss` with its autograd.
///
///     d = input[i] - target[i]
///     loss[i] = 0.5 * d^2 / beta    if |d| < beta
///               |d| - 0.5 * beta    otherwise
///
/// `beta` = 0 gives the L1 loss.
///
/// - Parameters:
///   - input: The predictions: any number of values.
///   - target: The targets: as many values as `input`.
///   - reduction: How the losses combine: `.none`, `.mean` or `.sum` (see Reduction). Default `.mean`.
///   - beta: Where the loss turns from squared to linear (>= 0). Default `1.0`.
///   - gradOutput: The gradient flowing into the loss: one value for `.mean` and `.sum`, one per loss for
///     `.none`; nil means ones. Default `nil`.
/// - Returns: `loss` as `smoothL1Loss` returns it, and `grad`: d loss / d `input`, as many values as `input`.
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
///     d loss[i] / d input[i] = d / beta    if |d| < beta
///                              sign(d)     otherwise
///
/// ## Example
///
/// ```swift
/// let (loss, grad) = try smoothL1LossAndGrad([0.5, 2.0, -1.0], [1.0, 1.0, 0.0], beta: 2.0)
/// print(loss.scalar!)  // 0.1875
/// print(grad)  // ≈ [-0.0833, 0.1667, -0.1667]
/// ```
public func smoothL1LossAndGrad<T: LossStorage>(_ input: [T], _ target: [T], reduction: Reduction = .mean,
                                                beta: Double = 1.0, gradOutput: [T]? = nil)
    throws(LossError) -> (loss: LossOutput<T>, grad: [T]) {
    try ArrayBridge.elementwise(input, target, weight: nil, reduction: reduction,
                                gradient: true, gradOutput: gradOutput) { b throws(LossError) in
        try smoothL1Loss(b, beta: beta)
    }
}
