/// Multi-label margin loss, `torch.nn.functional.multilabel_margin_loss`: row i's labels are
/// the class indices labels[i][0], labels[i][1], ... up to the first -1 (or the whole row);
/// with T that set,
///
///     loss = sum_{labels y} sum_{j not in T} max(0, 1 - (x_y - x_j)) / C
///     dloss/dx_j = #{y: 1 - x_y + x_j > 0} / C   (j not in T),   dloss/dx_y = -#{j: ...} / C
///
/// A label listed twice counts twice, as in torch; a NaN term counts as not positive
/// (torch's `z > 0`). 'mean' divides by the number of rows.
struct MultiLabelMargin<Scalar: LossScalar>: MarginRowLoss {
    let labels: UnsafePointer<Int64>
    let classes: Int

    /// The row's scores with its labels masked (below).
    var scratchPerRow: Int { classes }

    @inline(__always)
    func rowSum(_ i: Int, _ x: UnsafePointer<Scalar>, target _: UnsafePointer<Scalar>?,
                elementWeight _: UnsafePointer<Scalar>?, _ grad: UnsafeMutablePointer<Scalar>?, _ scale: Scalar,
                _ chunk: UnsafeMutablePointer<Scalar>) -> Double {
        let c = classes
        let row = labels + i * c
        var count = 0
        while count < c && row[count] >= 0 { count += 1 }
        grad?.update(repeating: 0, count: c)
        guard count > 0 else { return 0 }
        // The row's scores with its labels masked to -inf: 1 - x_y + (-inf) is never positive
        // (-inf or NaN), so the label classes drop out of every sum.
        let masked = chunk + ClassMarginsDriver.chunkLength
        masked.update(from: x, count: c)
        for l in 0..<count { masked[Int(truncatingIfNeeded: row[l])] = -.infinity }
        var total = 0.0
        for l in 0..<count {
            let y = Int(truncatingIfNeeded: row[l])
            let shift = 1 - x[y]
            guard let grad else {
                total += ClassMarginsDriver.sum(c, chunk) { range, terms in
                    for j in range {
                        let z = shift + masked[j]
                        terms[j] = z > 0 ? z : 0
                    }
                }
                continue
            }
            var hits = 0
            total += ClassMarginsDriver.sum(c, chunk) { range, terms in
                // The terms, then the gradient on explicit lanes (LLVM kept a fused loop, and
                // this one, scalar); locals rather than captured variables, which stores through
                // the pointers could alias. A term is positive exactly where its hinge is active.
                let scale = scale, shift = shift
                for j in range {
                    let z = shift + masked[j]
                    terms[j] = z > 0 ? z : 0
                }
                hits &+= Self.addActive(terms, grad, range, scale)
            }
            grad[y] -= Scalar(hits) * scale
        }
        return total
    }
}

extension MultiLabelMargin {
    /// Adds `scale` to grad[j] where terms[j] > 0, for j in `range`; returns how many. Float
    /// rows on sixteen lanes (LaneMath's); double rows one value at a time.
    @inline(__always)
    static func addActive(_ terms: UnsafeMutablePointer<Scalar>, _ grad: UnsafeMutablePointer<Scalar>,
                          _ range: Range<Int>, _ scale: Scalar) -> Int {
        var j = range.lowerBound, count = 0
        if Scalar.self == Float.self {
            let t = UnsafeRawPointer(terms).assumingMemoryBound(to: Float.self)
            let g = UnsafeMutableRawPointer(grad).assumingMemoryBound(to: Float.self)
            let s = unsafeBitCast(scale, to: Float.self), width = LaneMath.width
            var counts = SIMD16<Int32>()
            while j + width <= range.upperBound {
                let active = LaneMath.load(t + j) .> 0
                LaneMath.store(LaneMath.load(g + j) + LaneMath.Lanes().replacing(with: s, where: active), g + j)
                counts &+= SIMD16<Int32>().replacing(with: 1, where: active)
                j += width
            }
            count = Int(counts.wrappedSum())
        }
        while j < range.upperBound {
            if terms[j] > 0 {
                grad[j] += scale
                count += 1
            }
            j += 1
        }
        return count
    }
}

/// Checks multi-label targets: every value in [-1, c) (torch checks the whole row, also past
/// its first -1).
enum MultiLabelTargets {
    static func checkRange(_ labels: UnsafePointer<Int64>, count: Int, classes: Int) throws(LossError) {
        // Unsigned compare of label + 1 against c + 1 (negatives below -1 wrap above it); a
        // branch-free pass first, the offender looked for only when there is one.
        let limit = UInt64(classes) &+ 1
        var outOfRange = 0
        for i in 0..<count { outOfRange |= UInt64(bitPattern: labels[i] &+ 1) >= limit ? 1 : 0 }
        guard outOfRange != 0 else { return }
        for i in 0..<count where UInt64(bitPattern: labels[i] &+ 1) >= limit {
            throw .index("labels[\(i)] = \(labels[i]) is out of range for \(classes) classes "
                         + "(expected -1 <= label < \(classes))")
        }
    }
}

/// The multi-label hinge loss over raw buffers, as `torch.nn.functional.multilabel_margin_loss`: writes `out`
/// and, where gradient buffers are set, the gradient.
///
///     loss[n] = sum_{y in T} sum_{j not in T} max(0, 1 - (x[y] - x[j])) / C      x = input[n]
///
/// T, a row's target classes, are its labels up to the first -1.
///
/// - Parameters:
///   - b: The call's buffers: `input` (n x classes x inner, row-major), the optional per-class `weight`, the
///     `reduction`, `out` (one value, or n x inner for `.none`), and, for the gradient, `gradInput` (input's
///     size) with the optional `gradOutput`.
///   - labels: Each row's target classes (n x classes values), ended by the first -1.
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
///     d loss[n] / d x[j] = +1 / C and d loss[n] / d x[y] = -1 / C for each positive term
public func multilabelMarginLoss<T: LossStorage>(_ b: ClassBuffers<T>, labels: UnsafePointer<Int64>?) throws(LossError) {
    let layout = try ClassMarginsDriver.validate(b)
    if b.weight != nil { throw .invalidArgument("multilabel_margin_loss takes no weight") }
    try Check.elements(layout.elements, of: Int64.self, "n * c (the labels' length)")
    // (validate refused c = 0 with rows: no elements means no rows.)
    guard layout.elements > 0 else { return Reduce.writeEmpty(b.reduction, to: b.out) }
    try Check.nonNull(labels, "labels")
    try MultiLabelTargets.checkRange(labels!, count: layout.elements, classes: layout.classes)
    ClassMarginsDriver.run(MultiLabelMargin<T.Compute>(labels: labels!, classes: layout.classes), b, layout)
}

func multilabelMarginLossArrays<T: LossStorage>(gradient: Bool,
    _ input: [T], _ labels: [Int64], classes: Int, reduction: Reduction, gradOutput: [T]?
) throws(LossError) -> (loss: LossOutput<T>, grad: [T]) {
    guard labels.count == input.count else {
        throw .shape("labels has \(labels.count) elements but input has \(input.count)")
    }
    return try labels.withUnsafeBufferPointer { t throws(LossError) in
        try ArrayBridge.classes(input, classes: classes, inner: 1, targetCount: nil, weight: nil, reduction: reduction,
                                gradient: gradient, gradOutput: gradOutput) { b throws(LossError) in
            try multilabelMarginLoss(b, labels: t.baseAddress)
        }
    }
}

/// The multi-label hinge loss, as `torch.nn.functional.multilabel_margin_loss`.
///
///     loss[n] = sum_{y in T} sum_{j not in T} max(0, 1 - (x[y] - x[j])) / C      x = input[n]
///
/// T, a row's target classes, are its labels up to the first -1.
///
/// - Parameters:
///   - input: Scores: n x classes values, row-major.
///   - labels: Each row's target classes (n x classes values, input's layout), ended by the first -1; every
///     value in [-1, classes).
///   - classes: C, the number of classes: `input` holds n x classes x inner values, row-major.
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
/// `multilabelMarginLossAndGrad` computes the loss and its gradient with respect to `input` in the same pass:
///
///     d loss[n] / d x[j] = +1 / C and d loss[n] / d x[y] = -1 / C for each positive term
///
/// ## Example
///
/// ```swift
/// let loss = try multilabelMarginLoss([0.1, 0.2, 0.4, 0.8], [3, 0, -1, 1], classes: 4)
/// print(loss.scalar!)  // ≈ 0.85
/// ```
public func multilabelMarginLoss<T: LossStorage>(
    _ input: [T], _ labels: [Int64], classes: Int, reduction: Reduction = .mean
) throws(LossError) -> LossOutput<T> {
    try multilabelMarginLossArrays(gradient: false, input, labels, classes: classes, reduction: reduction,
                                   gradOutput: nil).loss
}

/// The multi-label hinge loss and its gradient with respect to `input`, in one pass, as
/// `torch.nn.functional.multilabel_margin_loss` with its autograd.
///
///     loss[n] = sum_{y in T} sum_{j not in T} max(0, 1 - (x[y] - x[j])) / C      x = input[n]
///
/// T, a row's target classes, are its labels up to the first -1.
///
/// - Parameters:
///   - input: Scores: n x classes values, row-major.
///   - labels: Each row's target classes (n x classes values, input's layout), ended by the first -1; every
///     value in [-1, classes).
///   - classes: C, the number of classes: `input` holds n x classes x inner values, row-major.
///   - reduction: How the losses combine: `.none`, `.mean` or `.sum` (see Reduction). Default `.mean`.
///   - gradOutput: The gradient flowing into the loss: one value for `.mean` and `.sum`, one per loss for
///     `.none`; nil means ones. Default `nil`.
/// - Returns: `loss` as `multilabelMarginLoss` returns it, and `grad`: d loss / d `input`, as many values as
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
/// With respect to `input` (not `labels`): the gradient of sum(gradOutput * loss), computed in the same pass as
/// the loss:
///
///     d loss[n] / d x[j] = +1 / C and d loss[n] / d x[y] = -1 / C for each positive term
///
/// ## Example
///
/// ```swift
/// let (loss, grad) = try multilabelMarginLossAndGrad([0.1, 0.2, 0.4, 0.8], [3, 0, -1, 1], classes: 4)
/// print(loss.scalar!)  // ≈ 0.85
/// print(grad)  // [-0.5, 0.5, 0.5, -0.5]
/// ```
public func multilabelMarginLossAndGrad<T: LossStorage>(
    _ input: [T], _ labels: [Int64], classes: Int, reduction: Reduction = .mean, gradOutput: [T]? = nil
) throws(LossError) -> (loss: LossOutput<T>, grad: [T]) {
    try multilabelMarginLossArrays(gradient: true, input, labels, classes: classes, reduction: reduction,
                                   gradOutput: gradOutput)
}
