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
    func rowSum(_ i: Int, _ x: UnsafePointer<Scalar>, _ grad: UnsafeMutablePointer<Scalar>?, _ scale: Scalar,
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
                for j in range {
                    let z = shift + x[j]
                    let positive = z > 0
                    terms[j] = positive ? (squared ? z * z : z) : 0
                    grad[j] = positive ? (squared ? 2 * z * g : g) : 0
                }
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

/// Multi-class margin loss over raw buffers (gradient when `gradInput` is set): `b.input` is
/// n x c scores (`b.inner` must be 1), `target` n class indices in [0, c), `b.weight` c
/// per-class weights or nil, `p` 1 or 2.
public func multiMarginLoss<T: LossScalar>(_ b: ClassBuffers<T>, target: UnsafePointer<Int64>?, p: Int = 1,
                                           margin: Double = 1) throws(LossError) {
    let layout = try ClassMarginsDriver.validate(b)
    guard p == 1 || p == 2 else { throw .invalidArgument("p must be 1 or 2 (got \(p))") }
    try Check.notNaN(margin, "margin")
    if layout.positions > 0 {
        try Check.nonNull(target, "target")
        try ClassIndex.checkRange(target!, count: layout.positions, classes: layout.classes, ignoreIndex: nil)
    }
    guard let target else { return Reduce.writeEmpty(b.reduction, to: b.out) }
    ClassMarginsDriver.run(MultiMargin(target: target, weight: b.weight, squared: p == 2, margin: T(margin),
                                     classes: layout.classes), b, layout)
}

func multiMarginLossArrays<T: LossScalar>(gradient: Bool,
    _ input: [T], _ target: [Int64], classes: Int, p: Int, margin: Double, weight: [T]?,
    reduction: Reduction, gradOutput: [T]?
) throws(LossError) -> (loss: LossOutput<T>, grad: [T]) {
    try ArrayBridge.classes(input, indexTargets: target, classes: classes, inner: 1, weight: weight,
                            reduction: reduction, gradient: gradient, gradOutput: gradOutput) { b, t throws(LossError) in
        try multiMarginLoss(b, target: t, p: p, margin: margin)
    }
}

/// The multi-class margin loss of scores `input` (n x classes) at class indices `target` (n).
public func multiMarginLoss<T: LossScalar>(
    _ input: [T], _ target: [Int64], classes: Int, p: Int = 1, margin: Double = 1, weight: [T]? = nil,
    reduction: Reduction = .mean
) throws(LossError) -> LossOutput<T> {
    try multiMarginLossArrays(gradient: false, input, target, classes: classes, p: p, margin: margin, weight: weight,
                              reduction: reduction, gradOutput: nil).loss
}

/// The multi-class margin loss and its gradient with respect to `input`, in one pass.
public func multiMarginLossAndGrad<T: LossScalar>(
    _ input: [T], _ target: [Int64], classes: Int, p: Int = 1, margin: Double = 1, weight: [T]? = nil,
    reduction: Reduction = .mean, gradOutput: [T]? = nil
) throws(LossError) -> (loss: LossOutput<T>, grad: [T]) {
    try multiMarginLossArrays(gradient: true, input, target, classes: classes, p: p, margin: margin, weight: weight,
                              reduction: reduction, gradOutput: gradOutput)
}
