/// Multi-class focal loss (Lin et al. 2017) as the tutorial defines it:
/// `nll_loss((1 - softmax(x))^gamma * log_softmax(x), target, weight, ignore_index)`.
///
/// Per position with p = softmax(x), q = 1 - p_t, logp_t = log p_t:
///
///     loss = -w_t q^gamma logp_t
///     dloss/dx_j = w_t A (p_j - [j = t]),   A = q^gamma - gamma p_t q^(gamma - 1) logp_t
///
/// q is summed from the other classes' exponentials, so it keeps full precision as
/// p_t -> 1, and A is evaluated as q^gamma (1 - gamma p_t r) with r = logp_t / q
/// (r -> -1 as q -> 0): finite for every gamma >= 0 even where q^(gamma - 1) is not.
/// gamma = 0 is cross-entropy. 'mean' divides by the sum of w[t] over non-ignored positions.
struct Focal<Scalar: LossScalar>: PositionLoss {
    let target: UnsafePointer<Int64>
    let weight: UnsafePointer<Scalar>?
    let ignoreIndex: Int64
    let gamma: Scalar
    /// gamma as an exponent of 0...8 (multiplications instead of pow), else nil.
    let integerGamma: Int?

    @inline(__always) func focusing(_ q: Scalar) -> Scalar {
        if let integerGamma { return IntegerFocalPower<Scalar>(exponent: integerGamma).of(q) }
        return Scalar.pow(q, gamma)
    }

    @inline(__always)
    func position<S: RowStride>(_ p: Int, _ row: Row<Scalar, S>, _ operand: Row<Scalar, S>?,
                                _ grad: MutableRow<Scalar, S>?, _ scale: Scalar) -> Scalar {
        let label = target[p]
        if label == ignoreIndex {
            RowMath.zero(grad, count: row.count)
            return 0
        }
        let t = Int(label)
        let shift = RowMath.max(row)
        // 1 - p_t as the sum of the other classes' exponentials, taken around t in the same
        // pass that stores them for the gradient: total - exp(x_t) would cancel as p_t -> 1.
        let before = RowMath.expSum(row.slice(0, t), shift: shift, store: grad)
        let after = RowMath.expSum(row.slice(t + 1, row.count - t - 1), shift: shift,
                                   store: grad?.slice(t + 1))
        let others = before + after
        let expT = Scalar.exp(row[t] - shift)
        let total = others + expT
        let logSum = Scalar.log(total)
        let logpT = (row[t] - shift) - logSum
        let pT = expT / total
        let q = others / total
        let focusing = focusing(q)
        let wt = weight?[t] ?? 1
        if let grad {
            let r = q > 0 ? logpT / q : -1
            // p_t log p_t -> 0 as p_t -> 0 (a -inf target logit): don't let 0 * -inf make NaN.
            let a = focusing * (1 - (pT > 0 ? gamma * pT * r : 0))
            let coefficient = scale * wt * a
            let invTotal = 1 / total
            for j in 0..<t { grad[j] = coefficient * (grad[j] * invTotal) }
            for j in (t + 1)..<row.count { grad[j] = coefficient * (grad[j] * invTotal) }
            // p_t - 1 = -q exactly; subtracting 1 from a rounded p_t would lose it.
            grad[t] = -coefficient * q
        }
        return -wt * focusing * logpT
    }
}

/// The multi-class focal loss over raw buffers, as `nll_loss((1 - softmax(x))^gamma * log_softmax(x))`: writes
/// `out` and, where gradient buffers are set, the gradient.
///
///     loss[p] = -weight[y] * (1 - softmax(input[p])[y])^gamma * log_softmax(input[p])[y]      y = target[p]
///
/// `weight` plays the role of alpha; `gamma` = 0 gives the cross-entropy.
///
/// - Parameters:
///   - b: The call's buffers: `input` (n x classes x inner, row-major), the optional per-class `weight`, the
///     `reduction`, `out` (one value, or n x inner for `.none`), and, for the gradient, `gradInput` (input's
///     size) with the optional `gradOutput`.
///   - target: Class indices, one per position (n x inner), each in [0, classes) or `ignoreIndex`.
///   - gamma: The focusing exponent on the probability of the wrong answer (>= 0, finite). Default `2`.
///   - ignoreIndex: A target class that contributes neither loss nor gradient. Default `-100`.
/// - Throws: `LossError` when a size, an option or an index is out of its domain (the message names the
///   argument); nothing is written then.
///
/// ## Reduction
///
/// `.none`: one loss per position (n x inner); `.mean`: their sum divided by the sum of `weight[target]` over
/// the positions not ignored (their count without weights); `.sum`: their sum. The buffers' `reduction` chooses
/// it.
///
/// ## Gradients
///
/// Written to the gradient buffers that are set, scaled by `gradOutput` (nil means ones), in the same pass as
/// the loss:
///
///     d loss[p] / d input[p, c] = the derivative of the expression above (torch's autograd through it)
public func focalLoss<T: LossStorage>(_ b: ClassBuffers<T>, target: UnsafePointer<Int64>?, gamma: Double = 2,
                                      ignoreIndex: Int64 = -100) throws(LossError) {
    let layout = try ClassRowsDriver.validate(b)
    try Check.finiteNonNegative(gamma, "gamma")
    let divisor = try ClassRowsDriver.targetWeightSum(target, layout, weight: b.weight, ignoreIndex: ignoreIndex)
    guard layout.positions > 0 else { return Reduce.writeEmpty(b.reduction, to: b.out) }
    ClassRowsDriver.withComputeWeights(b.weight, classes: layout.classes) { weight in
        ClassRowsDriver.run(Focal(target: target!, weight: weight, ignoreIndex: ignoreIndex, gamma: T.Compute(gamma),
                                  integerGamma: IntegerFocalPower<T.Compute>.exponent(of: gamma)),
                            b, layout, meanDivisor: divisor)
    }
}

func focalLossArrays<T: LossStorage>(gradient: Bool,
    _ input: [T], _ target: [Int64], classes: Int, inner: Int = 1, weight: [T]? = nil, gamma: Double = 2,
    ignoreIndex: Int64 = -100, reduction: Reduction = .mean, gradOutput: [T]? = nil
) throws(LossError) -> (loss: LossOutput<T>, grad: [T]) {
    try ArrayBridge.classes(input, indexTargets: target, classes: classes, inner: inner, weight: weight,
                            reduction: reduction, gradient: gradient, gradOutput: gradOutput) { b, t throws(LossError) in
        try focalLoss(b, target: t, gamma: gamma, ignoreIndex: ignoreIndex)
    }
}

/// The multi-class focal loss and its gradient with respect to `input`, in one pass, as `nll_loss((1 -
/// softmax(x))^gamma * log_softmax(x))` with its autograd.
///
///     loss[p] = -weight[y] * (1 - softmax(input[p])[y])^gamma * log_softmax(input[p])[y]      y = target[p]
///
/// `weight` plays the role of alpha; `gamma` = 0 gives the cross-entropy.
///
/// - Parameters:
///   - input: Logits: n x classes x inner values, row-major (torch's (N, C, d1, ...)).
///   - target: Class indices, one per position (n x inner values), each in [0, classes) or `ignoreIndex`.
///   - classes: C, the number of classes: `input` holds n x classes x inner values, row-major.
///   - inner: The positions of a row after its class dimension (d1 * d2 * ... for torch's (N, C, d1, d2, ...));
///     1 for (N, C) rows. Default `1`.
///   - weight: Per-class weights, `classes` values; nil weighs every class 1. Default `nil`.
///   - gamma: The focusing exponent on the probability of the wrong answer (>= 0, finite). Default `2`.
///   - ignoreIndex: A target class that contributes neither loss nor gradient. Default `-100`.
///   - reduction: How the losses combine: `.none`, `.mean` or `.sum` (see Reduction). Default `.mean`.
///   - gradOutput: The gradient flowing into the loss: one value for `.mean` and `.sum`, one per loss for
///     `.none`; nil means ones. Default `nil`.
/// - Returns: `loss` as `focalLoss` returns it, and `grad`: d loss / d `input`, as many values as `input`.
/// - Throws: `LossError` when a size, an option or an index is out of its domain (the message names the
///   argument); nothing is written then.
///
/// ## Reduction
///
/// `.none`: one loss per position (n x inner); `.mean`: their sum divided by the sum of `weight[target]` over
/// the positions not ignored (their count without weights); `.sum`: their sum. Default `.mean`.
///
/// ## Gradients
///
/// With respect to `input` (not `target`, `weight`): the gradient of sum(gradOutput * loss), computed in the
/// same pass as the loss:
///
///     d loss[p] / d input[p, c] = the derivative of the expression above (torch's autograd through it)
///
/// ## Example
///
/// ```swift
/// let (loss, grad) = try focalLossAndGrad([2.0, 0.5, -1.0, 0.1, 1.2, 0.3], [0, 2], classes: 3,
///                                         reduction: .none)
/// print(loss.values)  // ≈ [0.0111, 0.8535]
/// print(grad)  // ≈ [-0.0273, 0.0223, 0.005, 0.212, 0.6369, -0.8489]
/// ```
public func focalLossAndGrad<T: LossStorage>(
    _ input: [T], _ target: [Int64], classes: Int, inner: Int = 1, weight: [T]? = nil, gamma: Double = 2,
    ignoreIndex: Int64 = -100, reduction: Reduction = .mean, gradOutput: [T]? = nil
) throws(LossError) -> (loss: LossOutput<T>, grad: [T]) {
    try focalLossArrays(gradient: true, input, target, classes: classes, inner: inner, weight: weight,
                        gamma: gamma, ignoreIndex: ignoreIndex, reduction: reduction, gradOutput: gradOutput)
}

/// The multi-class focal loss, as `nll_loss((1 - softmax(x))^gamma * log_softmax(x))`.
///
///     loss[p] = -weight[y] * (1 - softmax(input[p])[y])^gamma * log_softmax(input[p])[y]      y = target[p]
///
/// `weight` plays the role of alpha; `gamma` = 0 gives the cross-entropy.
///
/// - Parameters:
///   - input: Logits: n x classes x inner values, row-major (torch's (N, C, d1, ...)).
///   - target: Class indices, one per position (n x inner values), each in [0, classes) or `ignoreIndex`.
///   - classes: C, the number of classes: `input` holds n x classes x inner values, row-major.
///   - inner: The positions of a row after its class dimension (d1 * d2 * ... for torch's (N, C, d1, d2, ...));
///     1 for (N, C) rows. Default `1`.
///   - weight: Per-class weights, `classes` values; nil weighs every class 1. Default `nil`.
///   - gamma: The focusing exponent on the probability of the wrong answer (>= 0, finite). Default `2`.
///   - ignoreIndex: A target class that contributes neither loss nor gradient. Default `-100`.
///   - reduction: How the losses combine: `.none`, `.mean` or `.sum` (see Reduction). Default `.mean`.
/// - Returns: The loss: `.elementwise` with one loss per position (n x inner) for `.none`, else `.reduced` with
///   one value.
/// - Throws: `LossError` when a size, an option or an index is out of its domain (the message names the
///   argument); nothing is written then.
///
/// ## Reduction
///
/// `.none`: one loss per position (n x inner); `.mean`: their sum divided by the sum of `weight[target]` over
/// the positions not ignored (their count without weights); `.sum`: their sum. Default `.mean`.
///
/// ## Gradients
///
/// `focalLossAndGrad` computes the loss and its gradient with respect to `input` in the same pass:
///
///     d loss[p] / d input[p, c] = the derivative of the expression above (torch's autograd through it)
///
/// ## Example
///
/// ```swift
/// let loss = try focalLoss([2.0, 0.5, -1.0, 0.1, 1.2, 0.3], [0, 2], classes: 3, reduction: .none)
/// print(loss.values)  // ≈ [0.0111, 0.8535]
/// ```
public func focalLoss<T: LossStorage>(
    _ input: [T], _ target: [Int64], classes: Int, inner: Int = 1, weight: [T]? = nil, gamma: Double = 2,
    ignoreIndex: Int64 = -100, reduction: Reduction = .mean
) throws(LossError) -> LossOutput<T> {
    try focalLossArrays(gradient: false, input, target, classes: classes, inner: inner, weight: weight,
                        gamma: gamma, ignoreIndex: ignoreIndex, reduction: reduction, gradOutput: nil).loss
}

extension Focal: FloatLanePositionLoss {
    /// The lane kernel (LaneMath) of the focal loss: same formulas as `position`, sixteen
    /// positions at a time (the others' share comes from the masked exp-sum, no cancellation).
    func floatLanes(_ p: Int, _ buffers: LaneMath.FloatBuffers, inner: Int, classes: Int,
                    pipeline: inout LaneMath.Pipeline) {
        typealias Lanes = LaneMath.Lanes
        let (x, grad, scales, losses, weight) =
            (buffers.x, buffers.grad, buffers.scales, buffers.losses, buffers.weight)
        let gamma = Float(self.gamma)

        let targetClasses = LaneMath.targetClasses(target + p, ignoreIndex: ignoreIndex, classes: classes)
        let stats = LaneMath.stats(x, inner: inner, classes: classes, targetClasses: targetClasses,
                                   pipeline: &pipeline)
        var coefficient = Lanes(), targetValue = Lanes()
        for l in 0..<LaneMath.width {
            let label = target[p + l]
            guard label != ignoreIndex else {
                losses[l] = 0
                continue
            }
            let t = Int(label)
            let total = stats.sum[l]
            let shiftedT = stats.targetScore[l] - stats.shift[l]
            let logpT = shiftedT - Float.log(total)
            let pT = Float.exp(shiftedT) / total
            let q = stats.others[l] / total
            let focusing = gamma == 0 ? 1 : (integerGamma.map { IntegerFocalPower<Float>(exponent: $0).of(q) } ?? Float.pow(q, gamma))
            let wt = weight?[t] ?? 1
            losses[l] = -wt * focusing * logpT
            let r = q > 0 ? logpT / q : -1
            let scaled = scales[l] * wt * focusing * (1 - (pT > 0 ? gamma * pT * r : 0))
            coefficient[l] = scaled / total
            targetValue[l] = -scaled * q
        }
        if let grad {
            LaneMath.writeGradient(grad, gradInner: inner, stats.x, inner: stats.inner, classes: classes, shift: stats.shift,
                                   coefficient: coefficient, uniform: nil, weight: nil,
                                   targetClasses: targetClasses, atTarget: .replacedBy(targetValue))
        }
    }
}
