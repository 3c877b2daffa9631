/// Gaussian negative log likelihood, `torch.nn.functional.gaussian_nll_loss`, as torch
/// computes it:
///
///     v       = max(var, eps)            (torch clamps under no_grad: d v / d var = 1)
///     l       = 0.5 (log v + (x - y)^2 / v)   [+ 0.5 log(2 pi) when full]
///     dl/dx   = (x - y) / v
///     dl/dvar = 0.5 (1 / v - (x - y)^2 / v^2)
///
/// evaluated with r = 1 / v: q = (x - y)^2 r, l = 0.5 (log v + q), dl/dx = (x - y) r,
/// dl/dvar = 0.5 (r - q r).
/// A NaN var stays NaN (torch's clamp). 'mean' divides by n; there is no weight. The
/// variance may be shared along one dimension (OperandBuffers), its gradient summed there.
struct GaussianNLL<Scalar: LossScalar>: OperandsLoss {
    let eps: Scalar
    /// 0.5 log(2 pi) with `full`, else nothing is added.
    let constant: Scalar?

    static var secondDerivative: Operand { .third }

    @inline(__always) func valueAndDerivatives(_ x: Scalar, _ y: Scalar, _ variance: Scalar) -> (Scalar, Scalar, Scalar) {
        let v = variance < eps ? eps : variance  // NaN stays NaN
        let d = x - y, r = 1 / v  // one division: the formula is compute-bound on it and the log
        let q = d * d * r
        let half = 0.5 * (Scalar.log(v) + q)
        return (constant.map { half + $0 } ?? half, d * r, 0.5 * (r - q * r))
    }

    /// The same operations on sixteen float lanes, with the vector log (any v >= 0; NaN and
    /// +inf pass through).
    @inline(__always)
    func lanes(_ x: SIMD16<Float>, _ y: SIMD16<Float>, _ variance: SIMD16<Float>, derivative: Bool)
        -> (SIMD16<Float>, SIMD16<Float>, SIMD16<Float>) {
        let e = unsafeBitCast(eps, to: Float.self)
        let v = variance.replacing(with: e, where: variance .< e)
        let d = x - y, r = 1 / v
        let q = d * d * r
        var value = 0.5 * (VectorMath.logNonNegative(v) + q)
        if let constant { value = value + unsafeBitCast(constant, to: Float.self) }
        guard derivative else { return (value, SIMD16(), SIMD16()) }
        return (value, d * r, 0.5 * (r - q * r))
    }
}

enum VarianceChecks {
    /// torch refuses a var with a negative entry (NaN is not negative); checked in parallel
    /// blocks before any kernel runs, naming the first such entry.
    static func nonNegative<T: LossStorage>(_ variance: UnsafePointer<T>?, count: Int) throws(LossError) {
        guard let variance, count > 0 else { return }
        let pointer = UncheckedSendable(variance)
        let negatives = Parallel.blockedSum(count: count) { range in
            Double(negativeCount(pointer.value + range.lowerBound, range.count))
        }
        guard negatives > 0 else { return }
        let first = (0..<count).first { variance[$0].computeValue < 0 }!
        throw .invalidArgument("var has negative entry/entries (var[\(first)] = \(variance[first].computeValue))")
    }

    /// How many of `count` values are below 0, specialized for each type (the generic loop
    /// inside the parallel closure stayed unspecialized, 25 times slower) and vectorized
    /// (no early exit; a `while` loop: a `for` over `0..<count` kept its overflow check as
    /// a second exit, and LLVM left it scalar).
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    @_specialize(where T == BFloat16)
    @inline(never)
    static func negativeCount<T: LossStorage>(_ values: UnsafePointer<T>, _ count: Int) -> Int {
        var found = 0
        var i = 0
        while i < count {
            found &+= values[i].computeValue < 0 ? 1 : 0
            i &+= 1
        }
        return found
    }
}

/// The Gaussian negative log-likelihood over raw buffers, as `torch.nn.functional.gaussian_nll_loss`: writes
/// `out` and, where gradient buffers are set, the gradients.
///
///     v = max(variance[i], eps)
///     loss[i] = 0.5 * (log(v) + (input[i] - target[i])^2 / v)    (+ 0.5 * log(2 * pi) with full)
///
/// - Parameters:
///   - buffers: The call's buffers: `first` = input, `second` = target, `third` = variance (count / thirdRepeat
///     values shared as `OperandBuffers` describes), the `reduction`, `out`, and, for the gradients,
///     `gradFirst` (input's) and `gradSecond` (the variance's) with the optional `gradOutput`.
///   - full: Whether to add the constant 0.5 * log(2 * pi). Default `false`.
///   - eps: The smallest variance: `variance` is clamped to it. Default `1e-6`.
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
///     d loss[i] / d input[i]    = (input[i] - target[i]) / v
///     d loss[i] / d variance[i] = 0.5 * (1 / v - (input[i] - target[i])^2 / v^2)
///
/// The clamp is torch's, under no_grad: the variance's gradient passes where it clamps too, and is summed over
/// the elements that share a variance.
public func gaussianNLLLoss<T: LossStorage>(_ buffers: OperandBuffers<T>, full: Bool = false,
                                            eps: Double = 1e-6) throws(LossError) {
    try OperandsDriver.validate(buffers, names: ("input", "target", "var"), sharing: ("var_repeat", "var_inner"))
    try Check.notNaN(eps, "eps")
    try VarianceChecks.nonNegative(buffers.third, count: buffers.count / buffers.thirdRepeat)
    let constant: T.Compute? = full ? T.Compute(0.5 * Double.log(2 * Double.pi)) : nil
    OperandsDriver.run(GaussianNLL(eps: T.Compute(eps), constant: constant), buffers)
}

/// The Gaussian negative log-likelihood, as `torch.nn.functional.gaussian_nll_loss`.
///
///     v = max(variance[i], eps)
///     loss[i] = 0.5 * (log(v) + (input[i] - target[i])^2 / v)    (+ 0.5 * log(2 * pi) with full)
///
/// - Parameters:
///   - input: The means (expectations): any number of values.
///   - target: Samples: as many values as `input`.
///   - variance: Variances >= 0: one per element, or shared (see `varRepeat`): input.count / varRepeat values.
///   - varRepeat: How many elements share each variance along the shared dimension (1: one variance per
///     element). Default `1`.
///   - varInner: How far apart (in elements) the elements sharing a variance are: torch's var of size 1 in one
///     dimension of input's shape, varInner being the product of the dimensions after it. Default `1`.
///   - full: Whether to add the constant 0.5 * log(2 * pi). Default `false`.
///   - eps: The smallest variance: `variance` is clamped to it. Default `1e-6`.
///   - reduction: How the losses combine: `.none`, `.mean` or `.sum` (see Reduction). Default `.mean`.
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
/// `gaussianNLLLossAndGrad` computes the loss and its gradients with respect to `input`, `variance` in the same
/// pass:
///
///     d loss[i] / d input[i]    = (input[i] - target[i]) / v
///     d loss[i] / d variance[i] = 0.5 * (1 / v - (input[i] - target[i])^2 / v^2)
///
/// The clamp is torch's, under no_grad: the variance's gradient passes where it clamps too, and is summed over
/// the elements that share a variance.
///
/// ## Example
///
/// ```swift
/// let loss = try gaussianNLLLoss([0.5, 2.0, -1.0], [1.0, 1.0, 0.0], [0.5, 1.0, 2.0])
/// print(loss.scalar!)  // ≈ 0.3333
/// ```
public func gaussianNLLLoss<T: LossStorage>(_ input: [T], _ target: [T], _ variance: [T], varRepeat: Int = 1,
                                            varInner: Int = 1, full: Bool = false, eps: Double = 1e-6,
                                            reduction: Reduction = .mean) throws(LossError) -> LossOutput<T> {
    try gaussianBridge(input, target, variance, varRepeat, varInner, full, eps, reduction, gradient: false,
                       gradOutput: nil).loss
}

/// The Gaussian negative log-likelihood and its gradients with respect to `input`, `variance`, in one pass, as
/// `torch.nn.functional.gaussian_nll_loss` with its autograd.
///
///     v = max(variance[i], eps)
///     loss[i] = 0.5 * (log(v) + (input[i] - target[i])^2 / v)    (+ 0.5 * log(2 * pi) with full)
///
/// - Parameters:
///   - input: The means (expectations): any number of values.
///   - target: Samples: as many values as `input`.
///   - variance: Variances >= 0: one per element, or shared (see `varRepeat`): input.count / varRepeat values.
///   - varRepeat: How many elements share each variance along the shared dimension (1: one variance per
///     element). Default `1`.
///   - varInner: How far apart (in elements) the elements sharing a variance are: torch's var of size 1 in one
///     dimension of input's shape, varInner being the product of the dimensions after it. Default `1`.
///   - full: Whether to add the constant 0.5 * log(2 * pi). Default `false`.
///   - eps: The smallest variance: `variance` is clamped to it. Default `1e-6`.
///   - reduction: How the losses combine: `.none`, `.mean` or `.sum` (see Reduction). Default `.mean`.
///   - gradOutput: The gradient flowing into the loss: one value for `.mean` and `.sum`, one per loss for
///     `.none`; nil means ones. Default `nil`.
/// - Returns: `loss` as `gaussianNLLLoss` returns it, and `grads`: d loss / d `input`, `variance`, each with as
///   many values as its operand.
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
/// With respect to `input`, `variance` (not `target`): the gradients of sum(gradOutput * loss), computed in the
/// same pass as the loss:
///
///     d loss[i] / d input[i]    = (input[i] - target[i]) / v
///     d loss[i] / d variance[i] = 0.5 * (1 / v - (input[i] - target[i])^2 / v^2)
///
/// The clamp is torch's, under no_grad: the variance's gradient passes where it clamps too, and is summed over
/// the elements that share a variance.
///
/// ## Example
///
/// ```swift
/// let (loss, grads) = try gaussianNLLLossAndGrad([0.5, 2.0, -1.0], [1.0, 1.0, 0.0], [0.5, 1.0, 2.0])
/// print(loss.scalar!)  // ≈ 0.3333
/// print(grads.input)  // ≈ [-0.3333, 0.3333, -0.1667]
/// print(grads.variance)  // ≈ [0.1667, 0.0, 0.0417]
/// ```
public func gaussianNLLLossAndGrad<T: LossStorage>(_ input: [T], _ target: [T], _ variance: [T], varRepeat: Int = 1,
                                                   varInner: Int = 1, full: Bool = false, eps: Double = 1e-6,
                                                   reduction: Reduction = .mean, gradOutput: [T]? = nil)
    throws(LossError) -> (loss: LossOutput<T>, grads: (input: [T], variance: [T])) {
    let (loss, grads) = try gaussianBridge(input, target, variance, varRepeat, varInner, full, eps, reduction,
                                           gradient: true, gradOutput: gradOutput)
    return (loss, (grads.0, grads.1))
}

private func gaussianBridge<T: LossStorage>(_ input: [T], _ target: [T], _ variance: [T], _ varRepeat: Int,
                                            _ varInner: Int, _ full: Bool, _ eps: Double, _ reduction: Reduction,
                                            gradient: Bool, gradOutput: [T]?)
    throws(LossError) -> (loss: LossOutput<T>, grads: ([T], [T])) {
    try ArrayBridge.operands(input, target, variance, thirdRepeat: varRepeat, thirdInner: varInner,
                             secondCount: variance.count, names: ("input", "target", "var"), reduction: reduction,
                             gradient: gradient, gradOutput: gradOutput) { b throws(LossError) in
        try gaussianNLLLoss(b, full: full, eps: eps)
    }
}
