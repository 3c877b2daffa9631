/// Cross-entropy, `torch.nn.functional.cross_entropy`, for class-index and probability
/// targets, with class weights, ignore_index and label smoothing.
///
/// Per position with scores x (C classes), p = softmax(x), logp = log_softmax(x),
/// class weights w (W = sum_j w_j) and eps = label_smoothing:
///
///     class index t:  loss = (1 - eps) (-w_t logp_t) + (eps / C) (-sum_j w_j logp_j)
///                     dloss/dx_j = (1 - eps) w_t (p_j - [j = t]) + (eps / C)(W p_j - w_j)
///     probabilities:  q_j = (1 - eps) target_j + eps / C
///                     loss = -sum_j w_j q_j logp_j
///                     dloss/dx_j = p_j sum_k w_k q_k - w_j q_j
///
/// 'mean' divides class-index losses (both terms) by the sum of w[t] over non-ignored
/// positions, and probability-target losses by the number of positions: torch's rules.
struct CrossEntropyIndexTargets<Scalar: LossScalar>: PositionLoss {
    let target: UnsafePointer<Int64>
    let weight: UnsafePointer<Scalar>?
    let ignoreIndex: Int64
    let smoothing: Scalar
    /// W = sum of the class weights (C without weights).
    let weightTotal: Scalar

    @inline(__always)
    func position<S: RowStride>(_ p: Int, _ row: Row<Scalar, S>, _ operand: Row<Scalar, S>?,
                                _ grad: MutableRow<Scalar, S>?, _ scale: Scalar) -> Scalar {
        var pipeline = RowPipeline<Scalar>()
        return rowLoss(p, row, grad, scale, &pipeline)
    }

    @inline(__always)
    func position(_ p: Int, _ row: Row<Scalar, UnitStride>, _ operand: Row<Scalar, UnitStride>?,
                  _ grad: MutableRow<Scalar, UnitStride>?, _ scale: Scalar,
                  pipeline: inout RowPipeline<Scalar>) -> Scalar {
        rowLoss(p, row, grad, scale, &pipeline)
    }

    @inline(__always)
    private func rowLoss<S: RowStride>(_ p: Int, _ row: Row<Scalar, S>, _ grad: MutableRow<Scalar, S>?,
                                       _ scale: Scalar, _ pipeline: inout RowPipeline<Scalar>) -> Scalar {
        let label = target[p]
        if label == ignoreIndex {
            pipeline.shift = nil
            RowMath.zero(grad, count: row.count)
            return 0
        }
        let t = Int(label)
        let c = Scalar(row.count)
        let shift = pipeline.shift ?? RowMath.max(row)
        let expSum = RowMath.expSum(row, shift: shift, store: grad, pipeline: &pipeline)
        let logSum = Scalar.log(expSum)
        let wt = weight?[t] ?? 1
        let logpT = (row[t] - shift) - logSum
        var loss = -(1 - smoothing) * wt * logpT
        if smoothing > 0 {
            // sum_j w_j logp_j = sum_j w_j (x_j - shift) - W log(sum exp)
            let weightedLogp = RowMath.weightedShiftedSum(row, shift: shift, weight: weight) - weightTotal * logSum
            loss += smoothing / c * -weightedLogp
        }
        if let grad {
            // grad holds exp(x_j - shift); p_j = that / sum. (1 / sum rather than
            // exp(-logSum): the latter's error grows with logSum, i.e. with log C.)
            let invSum = 1 / expSum
            let pCoefficient = scale * ((1 - smoothing) * wt + smoothing * weightTotal / c) * invSum
            if smoothing > 0 {
                let uniform = scale * smoothing / c
                OptionalBuffer.reading(weight) { w in
                    for j in 0..<row.count { grad[j] = pCoefficient * grad[j] - uniform * w(j) }
                }
            } else {
                for j in 0..<row.count { grad[j] = pCoefficient * grad[j] }
            }
            grad[t] -= scale * (1 - smoothing) * wt
        }
        return loss
    }
}

struct CrossEntropyProbabilityTargets<Scalar: LossScalar>: PositionLoss {
    /// The operand: the target probabilities, at the input's layout.
    static var readsInputLayout: Bool { true }
    let weight: UnsafePointer<Scalar>?
    let smoothing: Scalar

    @inline(__always)
    func position<S: RowStride>(_ p: Int, _ row: Row<Scalar, S>, _ operand: Row<Scalar, S>?,
                                _ grad: MutableRow<Scalar, S>?, _ scale: Scalar) -> Scalar {
        let probs = operand!
        let uniform = smoothing / Scalar(row.count)
        let shift = RowMath.max(row)
        let logSum = Scalar.log(RowMath.expSum(row, shift: shift, store: grad))
        // (One copy of the loops with weights and one without: see OptionalBuffer.)
        @inline(__always) func weighted(_ wq: (Int) -> Scalar) -> Scalar {
            // Accumulated in double: C may be large and the terms of `dot` have both signs.
            var massSum = 0.0, dotSum = 0.0
            for j in 0..<row.count {
                let a = wq(j)
                massSum += Double(a)
                dotSum += Double(a * (row[j] - shift))
            }
            let mass = Scalar(massSum), dot = Scalar(dotSum)
            if let grad {
                let pCoefficient = scale * mass * Scalar.exp(-logSum)
                for j in 0..<row.count { grad[j] = pCoefficient * grad[j] - scale * wq(j) }
            }
            // -sum_j wq_j (x_j - shift - logSum)
            return mass * logSum - dot
        }
        @inline(__always) func q(_ j: Int) -> Scalar { (1 - smoothing) * probs[j] + uniform }
        if let weight { return weighted { weight[$0] * q($0) } }
        return weighted(q)
    }
}

/// The cross-entropy of logits over raw buffers, as `torch.nn.functional.cross_entropy`: writes `out` and,
/// where gradient buffers are set, the gradient.
///
///     loss[p] = -weight[y] * log_softmax(input[p])[y]                       (class index y = target[p])
///     loss[p] = -sum_c weight[c] * target[p, c] * log_softmax(input[p])[c]   (class probabilities)
///
/// `labelSmoothing` s mixes the target with the uniform distribution, (1 - s) * target + s / C, as torch.
///
/// - Parameters:
///   - b: The call's buffers: `input` (n x classes x inner, row-major), the optional per-class `weight`, the
///     `reduction`, `out` (one value, or n x inner for `.none`), and, for the gradient, `gradInput` (input's
///     size) with the optional `gradOutput`.
///   - target: Class indices, one per position (n x inner), each in [0, classes) or `ignoreIndex`.
///   - ignoreIndex: A target class that contributes neither loss nor gradient. Default `-100`.
///   - labelSmoothing: The share of the target spread uniformly over the classes, in [0, 1]. Default `0`.
/// - Throws: `LossError` when a size, an option or an index is out of its domain (the message names the
///   argument); nothing is written then.
///
/// ## Reduction
///
/// `.none`: one loss per position (n x inner); `.mean`: their sum divided by the sum of `weight[target]` over
/// the positions not ignored (their count without weights; with class probabilities, the position count);
/// `.sum`: their sum. The buffers' `reduction` chooses it.
///
/// ## Gradients
///
/// Written to the gradient buffers that are set, scaled by `gradOutput` (nil means ones), in the same pass as
/// the loss:
///
///     d loss[p] / d input[p, c] = softmax(input[p])[c] - target[p, c]     (unweighted; one-hot target for indices)
public func crossEntropy<T: LossStorage>(_ b: ClassBuffers<T>, target: UnsafePointer<Int64>?,
                                         ignoreIndex: Int64 = -100, labelSmoothing: Double = 0) throws(LossError) {
    let layout = try ClassRowsDriver.validate(b)
    try Check.unitInterval(labelSmoothing, "label_smoothing")
    let divisor = try ClassRowsDriver.targetWeightSum(target, layout, weight: b.weight, ignoreIndex: ignoreIndex)
    guard layout.positions > 0 else { return Reduce.writeEmpty(b.reduction, to: b.out) }
    ClassRowsDriver.withComputeWeights(b.weight, classes: layout.classes) { weight in
        var weightTotal = T.Compute(layout.classes)
        if let w = weight { weightTotal = (0..<layout.classes).reduce(0) { $0 + w[$1] } }
        let loss = CrossEntropyIndexTargets(target: target!, weight: weight, ignoreIndex: ignoreIndex,
                                            smoothing: T.Compute(labelSmoothing), weightTotal: weightTotal)
        ClassRowsDriver.run(loss, b, layout, meanDivisor: divisor)
    }
}

/// The cross-entropy of logits over raw buffers, as `torch.nn.functional.cross_entropy`: writes `out` and,
/// where gradient buffers are set, the gradient.
///
///     loss[p] = -weight[y] * log_softmax(input[p])[y]                       (class index y = target[p])
///     loss[p] = -sum_c weight[c] * target[p, c] * log_softmax(input[p])[c]   (class probabilities)
///
/// `labelSmoothing` s mixes the target with the uniform distribution, (1 - s) * target + s / C, as torch.
///
/// - Parameters:
///   - b: The call's buffers: `input` (n x classes x inner, row-major), the optional per-class `weight`, the
///     `reduction`, `out` (one value, or n x inner for `.none`), and, for the gradient, `gradInput` (input's
///     size) with the optional `gradOutput`.
///   - target: Class probabilities with the input's layout (n x classes x inner).
///   - labelSmoothing: The share of the target spread uniformly over the classes, in [0, 1]. Default `0`.
/// - Throws: `LossError` when a size, an option or an index is out of its domain (the message names the
///   argument); nothing is written then.
///
/// ## Reduction
///
/// `.none`: one loss per position (n x inner); `.mean`: their sum divided by the sum of `weight[target]` over
/// the positions not ignored (their count without weights; with class probabilities, the position count);
/// `.sum`: their sum. The buffers' `reduction` chooses it.
///
/// ## Gradients
///
/// Written to the gradient buffers that are set, scaled by `gradOutput` (nil means ones), in the same pass as
/// the loss:
///
///     d loss[p] / d input[p, c] = softmax(input[p])[c] - target[p, c]     (unweighted; one-hot target for indices)
public func crossEntropy<T: LossStorage>(_ b: ClassBuffers<T>, probabilities target: UnsafePointer<T>?,
                                         labelSmoothing: Double = 0) throws(LossError) {
    let layout = try ClassRowsDriver.validate(b)
    try Check.unitInterval(labelSmoothing, "label_smoothing")
    guard layout.positions > 0 else { return Reduce.writeEmpty(b.reduction, to: b.out) }
    try Check.nonNull(target, "target")
    ClassRowsDriver.withComputeWeights(b.weight, classes: layout.classes) { weight in
        let loss = CrossEntropyProbabilityTargets(weight: weight, smoothing: T.Compute(labelSmoothing))
        ClassRowsDriver.run(loss, b, layout, meanDivisor: Double(layout.positions), operand: target)
    }
}

func crossEntropyArrays<T: LossStorage>(gradient: Bool,
    _ input: [T], _ target: [Int64], classes: Int, inner: Int, weight: [T]?,
    ignoreIndex: Int64, reduction: Reduction, labelSmoothing: Double, gradOutput: [T]?
) throws(LossError) -> (loss: LossOutput<T>, grad: [T]) {
    try ArrayBridge.classes(input, indexTargets: target, classes: classes, inner: inner, weight: weight,
                            reduction: reduction, gradient: gradient, gradOutput: gradOutput) { b, t throws(LossError) in
        try crossEntropy(b, target: t, ignoreIndex: ignoreIndex, labelSmoothing: labelSmoothing)
    }
}

/// The cross-entropy of logits and its gradient with respect to `input`, in one pass, as
/// `torch.nn.functional.cross_entropy` with its autograd.
///
///     loss[p] = -weight[y] * log_softmax(input[p])[y]                       (class index y = target[p])
///     loss[p] = -sum_c weight[c] * target[p, c] * log_softmax(input[p])[c]   (class probabilities)
///
/// `labelSmoothing` s mixes the target with the uniform distribution, (1 - s) * target + s / C, as torch.
///
/// - Parameters:
///   - input: Logits: n x classes x inner values, row-major (torch's (N, C, d1, ...)).
///   - target: Class indices, one per position (n x inner values), each in [0, classes) or `ignoreIndex`.
///   - classes: C, the number of classes: `input` holds n x classes x inner values, row-major.
///   - inner: The positions of a row after its class dimension (d1 * d2 * ... for torch's (N, C, d1, d2, ...));
///     1 for (N, C) rows. Default `1`.
///   - weight: Per-class weights, `classes` values; nil weighs every class 1. Default `nil`.
///   - ignoreIndex: A target class that contributes neither loss nor gradient. Default `-100`.
///   - reduction: How the losses combine: `.none`, `.mean` or `.sum` (see Reduction). Default `.mean`.
///   - labelSmoothing: The share of the target spread uniformly over the classes, in [0, 1]. Default `0`.
///   - gradOutput: The gradient flowing into the loss: one value for `.mean` and `.sum`, one per loss for
///     `.none`; nil means ones. Default `nil`.
/// - Returns: `loss` as `crossEntropy` returns it, and `grad`: d loss / d `input`, as many values as `input`.
/// - Throws: `LossError` when a size, an option or an index is out of its domain (the message names the
///   argument); nothing is written then.
///
/// ## Reduction
///
/// `.none`: one loss per position (n x inner); `.mean`: their sum divided by the sum of `weight[target]` over
/// the positions not ignored (their count without weights; with class probabilities, the position count);
/// `.sum`: their sum. Default `.mean`.
///
/// ## Gradients
///
/// With respect to `input` (not `target`, `weight`): the gradient of sum(gradOutput * loss), computed in the
/// same pass as the loss:
///
///     d loss[p] / d input[p, c] = softmax(input[p])[c] - target[p, c]     (unweighted; one-hot target for indices)
///
/// ## Example
///
/// ```swift
/// let (loss, grad) = try crossEntropyAndGrad([2.0, 0.5, -1.0, 0.1, 1.2, 0.3], [0, 2], classes: 3)
/// print(loss.scalar!)  // ≈ 0.8474
/// print(grad)  // ≈ [-0.1072, 0.0876, 0.0196, 0.0957, 0.2874, -0.3831]
/// ```
public func crossEntropyAndGrad<T: LossStorage>(
    _ input: [T], _ target: [Int64], classes: Int, inner: Int = 1, weight: [T]? = nil,
    ignoreIndex: Int64 = -100, reduction: Reduction = .mean, labelSmoothing: Double = 0,
    gradOutput: [T]? = nil
) throws(LossError) -> (loss: LossOutput<T>, grad: [T]) {
    try crossEntropyArrays(gradient: true, input, target, classes: classes, inner: inner, weight: weight,
                           ignoreIndex: ignoreIndex, reduction: reduction, labelSmoothing: labelSmoothing,
                           gradOutput: gradOutput)
}

/// The cross-entropy of logits, as `torch.nn.functional.cross_entropy`.
///
///     loss[p] = -weight[y] * log_softmax(input[p])[y]                       (class index y = target[p])
///     loss[p] = -sum_c weight[c] * target[p, c] * log_softmax(input[p])[c]   (class probabilities)
///
/// `labelSmoothing` s mixes the target with the uniform distribution, (1 - s) * target + s / C, as torch.
///
/// - Parameters:
///   - input: Logits: n x classes x inner values, row-major (torch's (N, C, d1, ...)).
///   - target: Class indices, one per position (n x inner values), each in [0, classes) or `ignoreIndex`.
///   - classes: C, the number of classes: `input` holds n x classes x inner values, row-major.
///   - inner: The positions of a row after its class dimension (d1 * d2 * ... for torch's (N, C, d1, d2, ...));
///     1 for (N, C) rows. Default `1`.
///   - weight: Per-class weights, `classes` values; nil weighs every class 1. Default `nil`.
///   - ignoreIndex: A target class that contributes neither loss nor gradient. Default `-100`.
///   - reduction: How the losses combine: `.none`, `.mean` or `.sum` (see Reduction). Default `.mean`.
///   - labelSmoothing: The share of the target spread uniformly over the classes, in [0, 1]. Default `0`.
/// - Returns: The loss: `.elementwise` with one loss per position (n x inner) for `.none`, else `.reduced` with
///   one value.
/// - Throws: `LossError` when a size, an option or an index is out of its domain (the message names the
///   argument); nothing is written then.
///
/// ## Reduction
///
/// `.none`: one loss per position (n x inner); `.mean`: their sum divided by the sum of `weight[target]` over
/// the positions not ignored (their count without weights; with class probabilities, the position count);
/// `.sum`: their sum. Default `.mean`.
///
/// ## Gradients
///
/// `crossEntropyAndGrad` computes the loss and its gradient with respect to `input` in the same pass:
///
///     d loss[p] / d input[p, c] = softmax(input[p])[c] - target[p, c]     (unweighted; one-hot target for indices)
///
/// ## Example
///
/// ```swift
/// let loss = try crossEntropy([2.0, 0.5, -1.0, 0.1, 1.2, 0.3], [0, 2], classes: 3)
/// print(loss.scalar!)  // ≈ 0.8474
/// ```
public func crossEntropy<T: LossStorage>(
    _ input: [T], _ target: [Int64], classes: Int, inner: Int = 1, weight: [T]? = nil,
    ignoreIndex: Int64 = -100, reduction: Reduction = .mean, labelSmoothing: Double = 0
) throws(LossError) -> LossOutput<T> {
    try crossEntropyArrays(gradient: false, input, target, classes: classes, inner: inner, weight: weight,
                           ignoreIndex: ignoreIndex, reduction: reduction, labelSmoothing: labelSmoothing,
                           gradOutput: nil).loss
}

/// The cross-entropy of logits and its gradient with respect to `input`, in one pass, as
/// `torch.nn.functional.cross_entropy` with its autograd.
///
///     loss[p] = -weight[y] * log_softmax(input[p])[y]                       (class index y = target[p])
///     loss[p] = -sum_c weight[c] * target[p, c] * log_softmax(input[p])[c]   (class probabilities)
///
/// `labelSmoothing` s mixes the target with the uniform distribution, (1 - s) * target + s / C, as torch.
///
/// - Parameters:
///   - input: Logits: n x classes x inner values, row-major (torch's (N, C, d1, ...)).
///   - probabilities: Class probabilities with `input`'s layout (n x classes x inner).
///   - classes: C, the number of classes: `input` holds n x classes x inner values, row-major.
///   - inner: The positions of a row after its class dimension (d1 * d2 * ... for torch's (N, C, d1, d2, ...));
///     1 for (N, C) rows. Default `1`.
///   - weight: Per-class weights, `classes` values; nil weighs every class 1. Default `nil`.
///   - reduction: How the losses combine: `.none`, `.mean` or `.sum` (see Reduction). Default `.mean`.
///   - labelSmoothing: The share of the target spread uniformly over the classes, in [0, 1]. Default `0`.
///   - gradOutput: The gradient flowing into the loss: one value for `.mean` and `.sum`, one per loss for
///     `.none`; nil means ones. Default `nil`.
/// - Returns: `loss` as `crossEntropy` returns it, and `grad`: d loss / d `input`, as many values as `input`.
/// - Throws: `LossError` when a size, an option or an index is out of its domain (the message names the
///   argument); nothing is written then.
///
/// ## Reduction
///
/// `.none`: one loss per position (n x inner); `.mean`: their sum divided by the sum of `weight[target]` over
/// the positions not ignored (their count without weights; with class probabilities, the position count);
/// `.sum`: their sum. Default `.mean`.
///
/// ## Gradients
///
/// With respect to `input` (not `probabilities`, `weight`): the gradient of sum(gradOutput * loss), computed in
/// the same pass as the loss:
///
///     d loss[p] / d input[p, c] = softmax(input[p])[c] - target[p, c]     (unweighted; one-hot target for indices)
///
/// ## Example
///
/// ```swift
/// let (loss, grad) = try crossEntropyAndGrad([2.0, 0.5, -1.0, 0.1, 1.2, 0.3],
///                                            probabilities: [1, 0, 0, 0, 0, 1], classes: 3)
/// print(loss.scalar!)  // ≈ 0.8474
/// print(grad)  // ≈ [-0.1072, 0.0876, 0.0196, 0.0957, 0.2874, -0.3831]
/// ```
public func crossEntropyAndGrad<T: LossStorage>(
    _ input: [T], probabilities: [T], classes: Int, inner: Int = 1, weight: [T]? = nil,
    reduction: Reduction = .mean, labelSmoothing: Double = 0, gradOutput: [T]? = nil
) throws(LossError) -> (loss: LossOutput<T>, grad: [T]) {
    guard probabilities.count == input.count else {
        throw .shape("probabilities has \(probabilities.count) elements but input has \(input.count)")
    }
    return try probabilities.withUnsafeBufferPointer { t throws(LossError) in
        try ArrayBridge.classes(input, classes: classes, inner: inner, targetCount: nil, weight: weight,
                                reduction: reduction, gradient: true, gradOutput: gradOutput) { b throws(LossError) in
            try crossEntropy(b, probabilities: t.baseAddress, labelSmoothing: labelSmoothing)
        }
    }
}

extension CrossEntropyIndexTargets: FloatLanePositionLoss {
    /// The lane kernel (LaneMath) of class-index cross-entropy: same formulas as `position`,
    /// sixteen positions at a time.
    func floatLanes(_ p: Int, _ buffers: LaneMath.FloatBuffers, inner: Int, classes: Int,
                    pipeline: inout LaneMath.Pipeline) {
        typealias Lanes = LaneMath.Lanes
        let (x, grad, scales, losses, weight) =
            (buffers.x, buffers.grad, buffers.scales, buffers.losses, buffers.weight)
        let eps = Float(smoothing), total = Float(weightTotal), c = Float(classes)

        let targetClasses = LaneMath.targetClasses(target + p, ignoreIndex: ignoreIndex, classes: classes)
        let stats = LaneMath.stats(x, inner: inner, classes: classes, targetClasses: targetClasses,
                                   pipeline: &pipeline)
        let ignored = targetClasses .< 0
        let wt = LaneMath.targetWeights(weight, classes: classes, targetClasses: targetClasses)
        let logSum = VectorMath.log(stats.sum)
        let logpT = (stats.targetScore - stats.shift) - logSum
        var loss = -(1 - eps) * wt * logpT
        if eps > 0 {
            let smoothed = LaneMath.weightedShiftedSum(stats.x, inner: stats.inner, classes: classes,
                                                      shift: stats.shift, weight: weight)
            loss += eps / c * -(smoothed - total * logSum)
        }
        // Ignored positions: zero loss, and zero coefficients zero their gradient.
        LaneMath.store(loss.replacing(with: 0, where: ignored), losses)
        guard let grad else { return }
        let scale = LaneMath.load(scales).replacing(with: 0, where: ignored)
        let coefficient = scale * ((1 - eps) * wt + eps * total / c) / stats.sum
        LaneMath.writeGradient(grad, gradInner: inner, stats.x, inner: stats.inner, classes: classes, shift: stats.shift,
                               coefficient: coefficient, uniform: eps > 0 ? scale * (eps / c) : nil,
                               weight: weight, targetClasses: targetClasses,
                               atTarget: .minus(scale * (1 - eps) * wt))
    }
}
