/// Sigmoid focal loss (Lin et al. 2017, RetinaNet), exactly `torchvision.ops.sigmoid_focal_loss`:
///
///     p     = sigmoid(x)
///     ce    = binary_cross_entropy_with_logits(x, y)  = (1 - y) x + softplus(-x)
///     p_t   = p y + (1 - p)(1 - y),   q = 1 - p_t
///     l     = a_t ce q^gamma,   a_t = alpha y + (1 - alpha)(1 - y)   (a_t = 1 if alpha < 0)
///
/// and its derivative (what autograd computes through torchvision's expression):
///
///     dl/dx = a_t [ (p - y) q^gamma + gamma ce (1 - 2y) p (1 - p) q^(gamma - 1) ]
///
/// Numerics. q is evaluated as p (1 - y) + (1 - p) y with 1 - p = sigmoid(-x) computed
/// directly, so it keeps full precision as p_t -> 1 (torchvision's 1 - p_t cancels there).
/// The second term is evaluated as gamma ce (1 - 2y) q^gamma r with r = p (1 - p) / q,
/// which lies in [0, 1] for targets in [0, 1]. Where q underflows to 0 the term is 0,
/// its true limit (q^gamma r -> 0 for gamma > 0, and the factor gamma is 0 for gamma = 0).
/// Autograd instead multiplies q^(gamma - 1) = inf by p (1 - p) = 0 there and returns NaN
/// for 0 < gamma < 1 (for example x = 40, y = 1 in float64); LossCore returns the finite
/// limit. Everywhere else the two agree to rounding. gamma = 0 gives a_t ce exactly
/// (q^0 = 1, and torch's pow backward is 0 for a zero exponent).
///
/// Speed: q^gamma is the only libm call left (see `ScalarMath`); `Power` computes it by
/// square-and-multiply for an integer gamma up to 8 (the usual 2), so float with such a
/// gamma runs on explicit lanes (`lanes`; one-value calls take lane 0 of them) and double
/// stays free of calls (LLVM keeps its loop scalar).
struct SigmoidFocal<Power: FocalPower>: ElementwiseLoss {
    typealias Scalar = Power.Scalar
    let alpha: Scalar
    let power: Power
    var gamma: Scalar { power.gamma }
    /// alpha >= 0: weigh by a_t; alpha < 0 (torchvision's -1): no alpha weighting.
    let weighsAlpha: Bool

    @inline(__always) func alphaT(_ y: Scalar) -> Scalar {
        weighsAlpha ? alpha * y + (1 - alpha) * (1 - y) : 1
    }

    @inline(__always) func value(_ x: Scalar, _ y: Scalar) -> Scalar {
        valueAndDerivative(x, y, derivative: false).0
    }

    @inline(__always) func valueAndDerivative(_ x: Scalar, _ y: Scalar) -> (Scalar, Scalar) {
        valueAndDerivative(x, y, derivative: true)
    }

    @inline(__always) func valueAndDerivative(_ x: Scalar, _ y: Scalar, derivative: Bool) -> (Scalar, Scalar) {
        if hasLanes { return firstLane(x, y, derivative: derivative) }  // float, integer gamma
        // ce and p - y without cancellation (see LogitTerms), and p, 1 - p from one exp.
        let e = ScalarMath.expNegAbs(x)
        let (ce, pMinusY) = LogitTerms.valueAndDerivative(x, y, expNegAbs: e)
        let inverse = 1 / (1 + e)
        let p = x >= 0 ? inverse : e * inverse        // sigmoid(x)
        let notP = x >= 0 ? e * inverse : inverse     // sigmoid(-x) = 1 - p
        let q = p * (1 - y) + notP * y
        let focusing = power.of(q)
        let a = alphaT(y)
        guard derivative else { return (a * (ce * focusing), 0) }
        var slope = pMinusY * focusing
        if q != 0 {
            // gamma ce (1 - 2y) p (1 - p) q^(gamma - 1), written as ... q^gamma * (p (1 - p) / q).
            slope += gamma * ce * (1 - 2 * y) * focusing * (p * notP / q)
        }
        return (a * (ce * focusing), a * slope)
    }

    /// Lanes for float and an integer gamma (the usual 2); a real gamma takes libm's pow
    /// per element and stays on the one-value path.
    var hasLanes: Bool { Power.self == IntegerFocalPower<Float>.self }

    /// The formula above on sixteen float lanes, both branches computed and selected.
    @inline(__always)
    func lanes(_ x: SIMD16<Float>, _ y: SIMD16<Float>, derivative: Bool) -> (SIMD16<Float>, SIMD16<Float>) {
        typealias Lanes = SIMD16<Float>
        let power = unsafeBitCast(self.power, to: IntegerFocalPower<Float>.self)  // (hasLanes)
        let alpha = unsafeBitCast(self.alpha, to: Float.self)
        let e = LogitTerms.expNegAbs(x)
        let (ce, pMinusY) = LogitTerms.lanes(x, y, expNegAbs: e, derivative: derivative)
        let inverse = 1 / (1 + e)
        let positive = x .>= 0
        let p = (e * inverse).replacing(with: inverse, where: positive)     // sigmoid(x)
        let notP = inverse.replacing(with: e * inverse, where: positive)    // sigmoid(-x)
        let q = p * (1 - y) + notP * y
        let focusing = power.of(q)
        let a = weighsAlpha ? alpha * y + (1 - alpha) * (1 - y) : Lanes(repeating: 1)
        guard derivative else { return (a * (ce * focusing), Lanes()) }
        let slope = pMinusY * focusing
        let gamma = Float(power.exponent)
        let withTerm = slope + gamma * ce * (1 - 2 * y) * focusing * (p * notP / q)
        return (a * (ce * focusing), a * withTerm.replacing(with: slope, where: q .== 0))
    }
}

/// The sigmoid focal loss of RetinaNet over raw buffers, as `torchvision.ops.sigmoid_focal_loss`: writes `out`
/// and, where gradient buffers are set, the gradient.
///
///     p = sigmoid(x), p_t = p * y + (1 - p) * (1 - y), a_t = alpha * y + (1 - alpha) * (1 - y)
///     loss[i] = a_t * bceWithLogits(x, y) * (1 - p_t)^gamma      x = input[i], y = target[i]
///
/// `alpha` = -1 drops the `a_t` factor. The default reduction is `.none`, as torchvision's.
///
/// - Parameters:
///   - buffers: The call's buffers: `input`, `target` and the optional `weight` of `count` values, the
///     `reduction`, `out` (one value, or `count` for `.none`), and, for the gradient, `gradInput` (`count`
///     values) with the optional `gradOutput`.
///   - alpha: The weight of positive targets in [0, 1] (negatives get 1 - alpha), or -1 for none. Default
///     `0.25`.
///   - gamma: The focusing exponent on 1 - p_t (>= 0, finite). Default `2`.
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
///     d loss[i] / d input[i] = the derivative of the expression above
///
/// It matches autograd through torchvision's expression, and stays finite (the true limit, 0) where autograd
/// gives NaN.
public func sigmoidFocalLoss<T: LossStorage>(_ buffers: ElementwiseBuffers<T>, alpha: Double = 0.25,
                                             gamma: Double = 2) throws(LossError) {
    try ElementwiseDriver.validate(buffers, weightAllowed: false)
    try Check.finiteNonNegative(gamma, "gamma")
    guard !alpha.isNaN, alpha <= 1 else {
        throw .invalidArgument(
            "alpha must be in [0, 1], or negative (-1) to disable the alpha weighting (got \(alpha))")
    }
    let a = T.Compute(Swift.max(alpha, 0))
    if let exponent = IntegerFocalPower<T.Compute>.exponent(of: gamma) {
        let power = IntegerFocalPower<T.Compute>(exponent: exponent)
        ElementwiseDriver.run(SigmoidFocal(alpha: a, power: power, weighsAlpha: alpha >= 0), buffers, mean: .elementCount)
    } else {
        let power = RealFocalPower<T.Compute>(gamma: T.Compute(gamma))
        ElementwiseDriver.run(SigmoidFocal(alpha: a, power: power, weighsAlpha: alpha >= 0), buffers, mean: .elementCount)
    }
}

/// The sigmoid focal loss of RetinaNet, as `torchvision.ops.sigmoid_focal_loss`.
///
///     p = sigmoid(x), p_t = p * y + (1 - p) * (1 - y), a_t = alpha * y + (1 - alpha) * (1 - y)
///     loss[i] = a_t * bceWithLogits(x, y) * (1 - p_t)^gamma      x = input[i], y = target[i]
///
/// `alpha` = -1 drops the `a_t` factor. The default reduction is `.none`, as torchvision's.
///
/// - Parameters:
///   - input: Logits: any number of values.
///   - target: Binary (or soft) targets in [0, 1]: as many values as `input`.
///   - alpha: The weight of positive targets in [0, 1] (negatives get 1 - alpha), or -1 for none. Default
///     `0.25`.
///   - gamma: The focusing exponent on 1 - p_t (>= 0, finite). Default `2`.
///   - reduction: How the losses combine: `.none`, `.mean` or `.sum` (see Reduction). Default `.none`.
/// - Returns: The loss: `.elementwise` with one loss per element for `.none`, else `.reduced` with one value.
/// - Throws: `LossError` when a size, an option or an index is out of its domain (the message names the
///   argument); nothing is written then.
///
/// ## Reduction
///
/// `.none`: one loss per element; `.mean`: their sum divided by the element count; `.sum`: their sum. Default
/// `.none`.
///
/// ## Gradients
///
/// `sigmoidFocalLossAndGrad` computes the loss and its gradient with respect to `input` in the same pass:
///
///     d loss[i] / d input[i] = the derivative of the expression above
///
/// It matches autograd through torchvision's expression, and stays finite (the true limit, 0) where autograd
/// gives NaN.
///
/// ## Example
///
/// ```swift
/// let loss = try sigmoidFocalLoss([1.5, -0.5, 0.2], [1.0, 0.0, 1.0])
/// print(loss.values)  // ≈ [0.0017, 0.0507, 0.0303]
/// ```
public func sigmoidFocalLoss<T: LossStorage>(_ input: [T], _ target: [T], alpha: Double = 0.25, gamma: Double = 2,
                                             reduction: Reduction = .none) throws(LossError) -> LossOutput<T> {
    try ArrayBridge.elementwise(input, target, weight: nil, reduction: reduction,
                                gradient: false, gradOutput: nil) { b throws(LossError) in
        try sigmoidFocalLoss(b, alpha: alpha, gamma: gamma)
    }.loss
}

/// The sigmoid focal loss of RetinaNet and its gradient with respect to `input`, in one pass, as
/// `torchvision.ops.sigmoid_focal_loss` with its autograd.
///
///     p = sigmoid(x), p_t = p * y + (1 - p) * (1 - y), a_t = alpha * y + (1 - alpha) * (1 - y)
///     loss[i] = a_t * bceWithLogits(x, y) * (1 - p_t)^gamma      x = input[i], y = target[i]
///
/// `alpha` = -1 drops the `a_t` factor. The default reduction is `.none`, as torchvision's.
///
/// - Parameters:
///   - input: Logits: any number of values.
///   - target: Binary (or soft) targets in [0, 1]: as many values as `input`.
///   - alpha: The weight of positive targets in [0, 1] (negatives get 1 - alpha), or -1 for none. Default
///     `0.25`.
///   - gamma: The focusing exponent on 1 - p_t (>= 0, finite). Default `2`.
///   - reduction: How the losses combine: `.none`, `.mean` or `.sum` (see Reduction). Default `.none`.
///   - gradOutput: The gradient flowing into the loss: one value for `.mean` and `.sum`, one per loss for
///     `.none`; nil means ones. Default `nil`.
/// - Returns: `loss` as `sigmoidFocalLoss` returns it, and `grad`: d loss / d `input`, as many values as
///   `input`.
/// - Throws: `LossError` when a size, an option or an index is out of its domain (the message names the
///   argument); nothing is written then.
///
/// ## Reduction
///
/// `.none`: one loss per element; `.mean`: their sum divided by the element count; `.sum`: their sum. Default
/// `.none`.
///
/// ## Gradients
///
/// With respect to `input` (not `target`): the gradient of sum(gradOutput * loss), computed in the same pass as
/// the loss:
///
///     d loss[i] / d input[i] = the derivative of the expression above
///
/// It matches autograd through torchvision's expression, and stays finite (the true limit, 0) where autograd
/// gives NaN.
///
/// ## Example
///
/// ```swift
/// let (loss, grad) = try sigmoidFocalLossAndGrad([1.5, -0.5, 0.2], [1.0, 0.0, 1.0])
/// print(loss.values)  // ≈ [0.0017, 0.0507, 0.0303]
/// print(grad)  // ≈ [-0.0043, 0.1035, -0.0561]
/// ```
public func sigmoidFocalLossAndGrad<T: LossStorage>(_ input: [T], _ target: [T], alpha: Double = 0.25,
                                                    gamma: Double = 2, reduction: Reduction = .none,
                                                    gradOutput: [T]? = nil)
    throws(LossError) -> (loss: LossOutput<T>, grad: [T]) {
    try ArrayBridge.elementwise(input, target, weight: nil, reduction: reduction,
                                gradient: true, gradOutput: gradOutput) { b throws(LossError) in
        try sigmoidFocalLoss(b, alpha: alpha, gamma: gamma)
    }
}
