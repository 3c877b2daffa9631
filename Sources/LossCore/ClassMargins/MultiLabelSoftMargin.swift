/// Multi-label soft margin loss, `torch.nn.functional.multilabel_soft_margin_loss`, as torch
/// composes it: per class the logistic loss of x against a target y (usually 0 or 1),
/// weighted, then the mean over the C classes of the row:
///
///     l_j   = -(y_j log sigmoid(x_j) + (1 - y_j) log sigmoid(-x_j)) = (1 - y_j) x_j + softplus(-x_j)
///     loss  = sum_j w_j l_j / C,          dloss/dx_j = w_j (sigmoid(x_j) - y_j) / C
///
/// l_j and its derivative are BCE with logits' stable terms (`LogitTerms`): finite for any
/// finite logit, NaN where torch's form is (x = +-inf against the target it predicts with
/// the other term 0 * inf). The weight is per class (the same C values for every row) or
/// per element (n x C). 'mean' divides by the number of rows.
struct MultiLabelSoftMargin<Scalar: LossScalar>: MarginRowLoss {
    /// The per-class weight; a per-element one comes with each row (`elementWeight`).
    let weight: UnsafePointer<Scalar>?
    let classes: Int

    @inline(__always)
    func rowSum(_ i: Int, _ x: UnsafePointer<Scalar>, target: UnsafePointer<Scalar>?,
                elementWeight: UnsafePointer<Scalar>?, _ grad: UnsafeMutablePointer<Scalar>?, _ scale: Scalar,
                _ chunk: UnsafeMutablePointer<Scalar>) -> Double {
        let c = classes
        let y = target!
        let w = elementWeight ?? weight
        if Scalar.self == Float.self {
            return floatRowSum(c, x, y, w, grad, scale, chunk)
        }
        return ClassMarginsDriver.sum(c, chunk) { range, terms in
            switch (grad, w) {
            case (nil, nil):
                for j in range { terms[j] = LogitTerms.value(x[j], y[j]) }
            case (nil, let w?):
                for j in range { terms[j] = LogitTerms.value(x[j], y[j]) * w[j] }
            case (let grad?, nil):
                for j in range {
                    let (l, d) = LogitTerms.valueAndDerivative(x[j], y[j])
                    terms[j] = l
                    grad[j] = d * scale
                }
            case (let grad?, let w?):
                for j in range {
                    let (l, d) = LogitTerms.valueAndDerivative(x[j], y[j])
                    terms[j] = l * w[j]
                    grad[j] = d * w[j] * scale
                }
            }
        }
    }
}

extension MultiLabelSoftMargin {
    /// `rowSum` on float rows: sixteen classes at a time on LogitTerms' lanes, the rest with
    /// its one-value form (the same operations, so the same bits wherever a class falls).
    @inline(__always)
    private func floatRowSum(_ c: Int, _ x: UnsafePointer<Scalar>, _ y: UnsafePointer<Scalar>,
                             _ w: UnsafePointer<Scalar>?, _ grad: UnsafeMutablePointer<Scalar>?, _ scale: Scalar,
                             _ chunk: UnsafeMutablePointer<Scalar>) -> Double {
        func floats(_ p: UnsafePointer<Scalar>) -> UnsafePointer<Float> {
            UnsafeRawPointer(p).assumingMemoryBound(to: Float.self)
        }
        let xf = floats(x), yf = floats(y), wf = w.map(floats)
        let gf = grad.map { UnsafeMutableRawPointer($0).assumingMemoryBound(to: Float.self) }
        let s = unsafeBitCast(scale, to: Float.self), width = LaneMath.width
        return ClassMarginsDriver.sum(c, UnsafeMutableRawPointer(chunk).assumingMemoryBound(to: Float.self)) { range, terms in
            var j = range.lowerBound
            while j + width <= range.upperBound {
                var (v, d) = LogitTerms.lanes(LaneMath.load(xf + j), LaneMath.load(yf + j), derivative: gf != nil)
                if let wf {
                    let wv = LaneMath.load(wf + j)
                    v *= wv
                    d *= wv
                }
                LaneMath.store(v, terms + j)
                if let gf { LaneMath.store(d * s, gf + j) }
                j += width
            }
            // The rest one at a time, with absent buffers replaced rather than tested in the
            // loop (see OptionalBuffer): a weight of 1 (v * 1 is v) read after an in-bounds
            // load, and the gradient written to `terms`, which the value then overwrites.
            let weighted = wf != nil, wt = wf ?? yf, gt = gf ?? terms
            while j < range.upperBound {
                let (v, d) = LogitTerms.valueAndDerivative(xf[j], yf[j])
                let loaded = wt[j], w: Float = weighted ? loaded : 1
                gt[j] = d * w * s
                terms[j] = v * w
                j += 1
            }
        }
    }
}

/// The multi-label logistic loss over raw buffers, as `torch.nn.functional.multilabel_soft_margin_loss`: writes
/// `out` and, where gradient buffers are set, the gradient.
///
///     loss[n] = -sum_c weight[c] * (y[c] * log(sigmoid(x[c])) + (1 - y[c]) * log(sigmoid(-x[c]))) / C
///     x = input[n], y = target[n]
///
/// Evaluated in the stable form of the binary cross-entropy with logits.
///
/// - Parameters:
///   - b: The call's buffers: `input` (n x classes x inner, row-major), the optional per-class `weight`, the
///     `reduction`, `out` (one value, or n x inner for `.none`), and, for the gradient, `gradInput` (input's
///     size) with the optional `gradOutput`.
///   - target: Targets of the input's layout (n x classes; `b.inner` must be 1).
///   - weightCount: The number of `b.weight` values: `classes` (per class) or n x classes (per element).
///     Default `0`.
/// - Throws: `LossError` when a size, an option or an index is out of its domain (the message names the
///   argument); nothing is written then.
///
/// ## Reduction
///
/// `.none`: one loss per row (n); `.mean`: their sum divided by the row count; `.sum`: their sum. The buffers'
/// `reduction` chooses it.
///
/// ## Gradients
///
/// Written to the gradient buffers that are set, scaled by `gradOutput` (nil means ones), in the same pass as
/// the loss:
///
///     d loss[n] / d x[c] = weight[c] * (sigmoid(x[c]) - y[c]) / C
public func multilabelSoftMarginLoss<T: LossStorage>(_ b: ClassBuffers<T>, target: UnsafePointer<T>?,
                                                     weightCount: Int = 0) throws(LossError) {
    var perClass = b
    perClass.weight = nil  // its count is checked here, not as c per-class values
    let layout = try ClassMarginsDriver.validate(perClass)
    var perElement = false
    if b.weight != nil {
        try Check.elements(weightCount, of: T.self, "weight_count (the weight's length)")
        guard weightCount == layout.classes || weightCount == layout.elements else {
            throw .shape("weight_count = \(weightCount) must be c = \(layout.classes) (per class) "
                         + "or n * c = \(layout.elements) (per element)")
        }
        perElement = weightCount != layout.classes
    }
    guard layout.elements > 0 else { return Reduce.writeEmpty(b.reduction, to: b.out) }
    try Check.nonNull(target, "target")
    if perElement {
        ClassMarginsDriver.run(MultiLabelSoftMargin<T.Compute>(weight: nil, classes: layout.classes), b, layout,
                               target: target, elementWeight: b.weight)
        return
    }
    ClassRowsDriver.withComputeWeights(b.weight, classes: layout.classes) { weight in
        ClassMarginsDriver.run(MultiLabelSoftMargin(weight: weight, classes: layout.classes), b, layout,
                               target: target)
    }
}

func multilabelSoftMarginLossArrays<T: LossStorage>(gradient: Bool,
    _ input: [T], _ target: [T], classes: Int, weight: [T]?, reduction: Reduction, gradOutput: [T]?
) throws(LossError) -> (loss: LossOutput<T>, grad: [T]) {
    guard target.count == input.count else {
        throw .shape("target has \(target.count) elements but input has \(input.count)")
    }
    // The weight (c or n * c values) is lent here: ArrayBridge.classes takes c per-class values only.
    var failure: LossError?
    let result = target.withUnsafeBufferPointer { t in
        ArrayBridge.withOptionalBuffer(weight) { w -> (loss: LossOutput<T>, grad: [T])? in
            do throws(LossError) {
                return try ArrayBridge.classes(input, classes: classes, inner: 1, targetCount: nil, weight: nil,
                                               reduction: reduction, gradient: gradient,
                                               gradOutput: gradOutput) { b throws(LossError) in
                    var b = b
                    b.weight = w
                    try multilabelSoftMarginLoss(b, target: t.baseAddress, weightCount: weight?.count ?? 0)
                }
            } catch {
                failure = error
                return nil
            }
        }
    }
    if let failure { throw failure }
    return result!
}

/// The multi-label logistic loss, as `torch.nn.functional.multilabel_soft_margin_loss`.
///
///     loss[n] = -sum_c weight[c] * (y[c] * log(sigmoid(x[c])) + (1 - y[c]) * log(sigmoid(-x[c]))) / C
///     x = input[n], y = target[n]
///
/// Evaluated in the stable form of the binary cross-entropy with logits.
///
/// - Parameters:
///   - input: Logits: n x classes values, row-major.
///   - target: Targets (usually 0 or 1) of `input`'s layout.
///   - classes: C, the number of classes: `input` holds n x classes x inner values, row-major.
///   - weight: `classes` values (per class, every row) or one per element; nil weighs 1. Default `nil`.
///   - reduction: How the losses combine: `.none`, `.mean` or `.sum` (see Reduction). Default `.mean`.
/// - Returns: The loss: `.elementwise` with one loss per row (n) for `.none`, else `.reduced` with one value.
/// - Throws: `LossError` when a size, an option or an index is out of its domain (the message names the
///   argument); nothing is written then.
///
/// ## Reduction
///
/// `.none`: one loss per row (n); `.mean`: their sum divided by the row count; `.sum`: their sum. Default
/// `.mean`.
///
/// ## Gradients
///
/// `multilabelSoftMarginLossAndGrad` computes the loss and its gradient with respect to `input` in the same
/// pass:
///
///     d loss[n] / d x[c] = weight[c] * (sigmoid(x[c]) - y[c]) / C
///
/// ## Example
///
/// ```swift
/// let loss = try multilabelSoftMarginLoss([1.5, -0.5, 0.2], [1.0, 0.0, 1.0], classes: 3)
/// print(loss.scalar!)  // ≈ 0.4245
/// ```
public func multilabelSoftMarginLoss<T: LossStorage>(
    _ input: [T], _ target: [T], classes: Int, weight: [T]? = nil, reduction: Reduction = .mean
) throws(LossError) -> LossOutput<T> {
    try multilabelSoftMarginLossArrays(gradient: false, input, target, classes: classes, weight: weight,
                                       reduction: reduction, gradOutput: nil).loss
}

/// The multi-label logistic loss and its gradient with respect to `input`, in one pass, as
/// `torch.nn.functional.multilabel_soft_margin_loss` with its autograd.
///
///     loss[n] = -sum_c weight[c] * (y[c] * log(sigmoid(x[c])) + (1 - y[c]) * log(sigmoid(-x[c]))) / C
///     x = input[n], y = target[n]
///
/// Evaluated in the stable form of the binary cross-entropy with logits.
///
/// - Parameters:
///   - input: Logits: n x classes values, row-major.
///   - target: Targets (usually 0 or 1) of `input`'s layout.
///   - classes: C, the number of classes: `input` holds n x classes x inner values, row-major.
///   - weight: `classes` values (per class, every row) or one per element; nil weighs 1. Default `nil`.
///   - reduction: How the losses combine: `.none`, `.mean` or `.sum` (see Reduction). Default `.mean`.
///   - gradOutput: The gradient flowing into the loss: one value for `.mean` and `.sum`, one per loss for
///     `.none`; nil means ones. Default `nil`.
/// - Returns: `loss` as `multilabelSoftMarginLoss` returns it, and `grad`: d loss / d `input`, as many values
///   as `input`.
/// - Throws: `LossError` when a size, an option or an index is out of its domain (the message names the
///   argument); nothing is written then.
///
/// ## Reduction
///
/// `.none`: one loss per row (n); `.mean`: their sum divided by the row count; `.sum`: their sum. Default
/// `.mean`.
///
/// ## Gradients
///
/// With respect to `input` (not `target`, `weight`): the gradient of sum(gradOutput * loss), computed in the
/// same pass as the loss:
///
///     d loss[n] / d x[c] = weight[c] * (sigmoid(x[c]) - y[c]) / C
///
/// ## Example
///
/// ```swift
/// let (loss, grad) = try multilabelSoftMarginLossAndGrad([1.5, -0.5, 0.2], [1.0, 0.0, 1.0], classes: 3)
/// print(loss.scalar!)  // ≈ 0.4245
/// print(grad)  // ≈ [-0.0608, 0.1258, -0.1501]
/// ```
public func multilabelSoftMarginLossAndGrad<T: LossStorage>(
    _ input: [T], _ target: [T], classes: Int, weight: [T]? = nil, reduction: Reduction = .mean,
    gradOutput: [T]? = nil
) throws(LossError) -> (loss: LossOutput<T>, grad: [T]) {
    try multilabelSoftMarginLossArrays(gradient: true, input, target, classes: classes, weight: weight,
                                       reduction: reduction, gradOutput: gradOutput)
}
