/// Multi-class margin (hinge) loss, `torch.nn.functional.multi_margin_loss`: for a row x of C
/// scores with target class y,
///
///     z_j   = margin - x_y + x_j
///     loss  = sum_{j != y} w_y [z_j > 0] z_j^p / C                 (p = 1 or 2)
///     dloss/dx_j = w_y [z_j > 0] (1 or 2 z_j) / C     (j != y),   dloss/dx_y = -sum of those
///
/// A z_j that is NaN counts as not positive (torch's `z > 0`), so a NaN score gives loss 0
/// and gradient 0 where it enters. 'mean' divides by the number of rows.
struct MultiMargin<Scalar: LossScalar>: MarginRowLoss {
    let target: UnsafePointer<Int64>
    let weight: UnsafePointer<Scalar>?
    let squared: Bool
    let margin: Scalar
    let classes: Int

    @inline(__always)
    func rowSum(_ i: Int, _ x: UnsafePointer<Scalar>, target _: UnsafePointer<Scalar>?,
                elementWeight _: UnsafePointer<Scalar>?, _ grad: UnsafeMutablePointer<Scalar>?, _ scale: Scalar,
                _ chunk: UnsafeMutablePointer<Scalar>) -> Double {
        let y = Int(truncatingIfNeeded: target[i])
        let shift = margin - x[y]
        let wy = weight?[y] ?? 1
        let squared = self.squared
        let sum: Double
        if let grad {
            let g = scale * wy
            sum = ClassMarginsDriver.sum(classes, chunk) { range, terms in
                let g = g, shift = shift  // (locals: see MultiLabelMargin)
                // A loop per power: with the test inside, the three values of `terms[j]`
                // were three masked stores.
                @inline(__always) func pass(squared: Bool) {
                    for j in range {
                        let z = shift + x[j]
                        let positive = z > 0
                        terms[j] = positive ? (squared ? z * z : z) : 0
                        grad[j] = positive ? (squared ? 2 * z * g : g) : 0
                    }
                }
                if squared { pass(squared: true) } else { pass(squared: false) }
                if range.contains(y) {
                    terms[y] = 0
                    grad[y] = 0
                }
            }
            grad[y] = -Scalar(Scalar.sumAsDouble(grad, classes))
        } else {
            sum = ClassMarginsDriver.sum(classes, chunk) { range, terms in
                for j in range {
                    let z = shift + x[j]
                    terms[j] = z > 0 ? (squared ? z * z : z) : 0
                }
                if range.contains(y) { terms[y] = 0 }
            }
        }
        // (No positive term: 0, as torch, which weighs the positive terms only, even for an
        // infinite or NaN weight.)
        return sum == 0 ? sum : sum * Double(wy)
    }
}

/// The multi-class hinge loss over raw buffers, as `torch.nn.functional.multi_margin_loss`: writes `out` and,
/// where gradient buffers are set, the gradient.
///
///     loss[n] = sum_{j != y} weight[y] * max(0, margin - x[y] + x[j])^p / C      x = input[n], y = target[n]
///
/// - Parameters:
///   - b: The call's buffers: `input` (n x classes x inner, row-major), the optional per-class `weight`, the
///     `reduction`, `out` (one value, or n x inner for `.none`), and, for the gradient, `gradInput` (input's
///     size) with the optional `gradOutput`.
///   - target: The class index of each row: n values in [0, classes) (`b.inner` must be 1).
///   - p: The power of each hinge term: 1 or 2. Default `1`.
///   - margin: The margin the target's score must exceed the others' by (any real but NaN). Default `1`.
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
///     d loss[n] / d x[j] = weight[y] * (1, or 2 * z_j for p = 2) / C at each j != y whose term z_j is positive,
///     d loss[n] / d x[y] = minus their sum
public func multiMarginLoss<T: LossStorage>(_ b: ClassBuffers<T>, target: UnsafePointer<Int64>?, p: Int = 1,
                                            margin: Double = 1) throws(LossError) {
    let layout = try ClassMarginsDriver.validate(b)
    guard p == 1 || p == 2 else { throw .invalidArgument("p must be 1 or 2 (got \(p))") }
    try Check.notNaN(margin, "margin")
    if layout.positions > 0 {
        try Check.nonNull(target, "target")
        try ClassIndex.checkRange(target!, count: layout.positions, classes: layout.classes, ignoreIndex: nil)
    }
    guard let target else { return Reduce.writeEmpty(b.reduction, to: b.out) }
    ClassRowsDriver.withComputeWeights(b.weight, classes: layout.classes) { weight in
        ClassMarginsDriver.run(MultiMargin(target: target, weight: weight, squared: p == 2, margin: T.Compute(margin),
                                           classes: layout.classes), b, layout)
    }
}

func multiMarginLossArrays<T: LossStorage>(gradient: Bool,
    _ input: [T], _ target: [Int64], classes: Int, p: Int, margin: Double, weight: [T]?,
    reduction: Reduction, gradOutput: [T]?
) throws(LossError) -> (loss: LossOutput<T>, grad: [T]) {
    try ArrayBridge.classes(input, indexTargets: target, classes: classes, inner: 1, weight: weight,
                            reduction: reduction, gradient: gradient, gradOutput: gradOutput) { b, t throws(LossError) in
        try multiMarginLoss(b, target: t, p: p, margin: margin)
    }
}

/// The multi-class hinge loss, as `torch.nn.functional.multi_margin_loss`.
///
///     loss[n] = sum_{j != y} weight[y] * max(0, margin - x[y] + x[j])^p / C      x = input[n], y = target[n]
///
/// - Parameters:
///   - input: Scores: n x classes values, row-major.
///   - target: The class index of each row: n values in [0, classes).
///   - classes: C, the number of classes: `input` holds n x classes x inner values, row-major.
///   - p: The power of each hinge term: 1 or 2. Default `1`.
///   - margin: The margin the target's score must exceed the others' by (any real but NaN). Default `1`.
///   - weight: Per-class weights (`classes` values) weighing each row by its target's class; nil weighs 1.
///     Default `nil`.
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
/// `multiMarginLossAndGrad` computes the loss and its gradient with respect to `input` in the same pass:
///
///     d loss[n] / d x[j] = weight[y] * (1, or 2 * z_j for p = 2) / C at each j != y whose term z_j is positive,
///     d loss[n] / d x[y] = minus their sum
///
/// ## Example
///
/// ```swift
/// let loss = try multiMarginLoss([0.8, 0.2, 0.5, 0.1, 0.9, 0.4], [0, 2], classes: 3)
/// print(loss.scalar!)  // ≈ 0.55
/// ```
public func multiMarginLoss<T: LossStorage>(
    _ input: [T], _ target: [Int64], classes: Int, p: Int = 1, margin: Double = 1, weight: [T]? = nil,
    reduction: Reduction = .mean
) throws(LossError) -> LossOutput<T> {
    try multiMarginLossArrays(gradient: false, input, target, classes: classes, p: p, margin: margin, weight: weight,
                              reduction: reduction, gradOutput: nil).loss
}

/// The multi-class hinge loss and its gradient with respect to `input`, in one pass, as
/// `torch.nn.functional.multi_margin_loss` with its autograd.
///
///     loss[n] = sum_{j != y} weight[y] * max(0, margin - x[y] + x[j])^p / C      x = input[n], y = target[n]
///
/// - Parameters:
///   - input: Scores: n x classes values, row-major.
///   - target: The class index of each row: n values in [0, classes).
///   - classes: C, the number of classes: `input` holds n x classes x inner values, row-major.
///   - p: The power of each hinge term: 1 or 2. Default `1`.
///   - margin: The margin the target's score must exceed the others' by (any real but NaN). Default `1`.
///   - weight: Per-class weights (`classes` values) weighing each row by its target's class; nil weighs 1.
///     Default `nil`.
///   - reduction: How the losses combine: `.none`, `.mean` or `.sum` (see Reduction). Default `.mean`.
///   - gradOutput: The gradient flowing into the loss: one value for `.mean` and `.sum`, one per loss for
///     `.none`; nil means ones. Default `nil`.
/// - Returns: `loss` as `multiMarginLoss` returns it, and `grad`: d loss / d `input`, as many values as
///   `input`.
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
///     d loss[n] / d x[j] = weight[y] * (1, or 2 * z_j for p = 2) / C at each j != y whose term z_j is positive,
///     d loss[n] / d x[y] = minus their sum
///
/// ## Example
///
/// ```swift
/// let (loss, grad) = try multiMarginLossAndGrad([0.8, 0.2, 0.5, 0.1, 0.9, 0.4], [0, 2], classes: 3)
/// print(loss.scalar!)  // ≈ 0.55
/// print(grad)  // ≈ [-0.3333, 0.1667, 0.1667, 0.1667, 0.1667, -0.3333]
/// ```
public func multiMarginLossAndGrad<T: LossStorage>(
    _ input: [T], _ target: [Int64], classes: Int, p: Int = 1, margin: Double = 1, weight: [T]? = nil,
    reduction: Reduction = .mean, gradOutput: [T]? = nil
) throws(LossError) -> (loss: LossOutput<T>, grad: [T]) {
    try multiMarginLossArrays(gradient: true, input, target, classes: classes, p: p, margin: margin, weight: weight,
                              reduction: reduction, gradOutput: gradOutput)
}
