/// Cosine embedding loss, `torch.nn.functional.cosine_embedding_loss`, as torch composes it:
///
///     s = x1 . x2,   m1 = |x1|^2 + EPS,   m2 = |x2|^2 + EPS,   cos = s / sqrt(m1 m2)
///     l = 1 - cos                    where y = 1
///         max(0, cos - margin)       where y = -1
///         0                          for any other y (NaN included)
///     dl/dx1 = g (x2 / sqrt(m1 m2) - cos x1 / m1),   dl/dx2 = g (x1 / sqrt(m1 m2) - cos x2 / m2)
///
/// with g = -1 (y = 1), [cos - margin >= 0] (y = -1: the clamp passes at equality, not for
/// NaN), else 0; EPS is torch's float constant 1e-12 (9.99999996e-13) in both types. As in
/// autograd, a row whose cos is NaN gets NaN gradients even where g is 0 (0 times NaN).
/// 'mean' divides by the number of rows.
struct CosineEmbedding<Scalar: LossScalar>: RowTupleLoss {
    let margin: Scalar
    static var eps: Scalar { Scalar(Double(Float(1e-12))) }

    @inline(__always)
    func row<S: LossStorage>(_ r: RowTuple<S>, gradient factor: Scalar?) -> Scalar where S.Compute == Scalar {
        let (x1, x2, width) = (r.first, r.second, r.width)
        let (s, q1, q2) = Self.sums(x1, x2, width)
        let m1 = q1 + Self.eps, m2 = q2 + Self.eps
        let denominator = (m1 * m2).squareRoot()
        let cos = s / denominator
        let y = r.target
        let shifted = cos - margin
        let loss: Scalar = y == 1 ? 1 - cos : y == -1 ? (shifted < 0 ? 0 : shifted) : 0
        guard let factor else { return loss }
        let g: Scalar = y == 1 ? -factor : y == -1 && shifted >= 0 ? factor : 0
        let a = g / denominator, b1 = g * cos / m1, b2 = g * cos / m2
        Self.gradients(x1, x2, width, a, b1, b2, r.gradFirst, r.gradSecond)
        return loss
    }

    /// (x1 . x2, |x1|^2, |x2|^2) on eight independent lanes each, the rest in order.
    @inline(__always)
    static func sums<S: LossStorage>(_ x1: UnsafePointer<S>, _ x2: UnsafePointer<S>, _ width: Int)
        -> (Scalar, Scalar, Scalar) where S.Compute == Scalar {
        typealias V = SIMD8<Scalar>
        var dot = V(), n1 = V(), n2 = V()
        var j = 0
        while j + 8 <= width {
            let a = RowLanes.load(x1 + j), b = RowLanes.load(x2 + j)
            dot += a * b
            n1 += a * a
            n2 += b * b
            j += 8
        }
        var (s, q1, q2) = (dot.sum(), n1.sum(), n2.sum())
        while j < width {
            let (a, b) = (x1[j].computeValue, x2[j].computeValue)
            s += a * b
            q1 += a * a
            q2 += b * b
            j += 1
        }
        return (s, q1, q2)
    }

    /// g1 = a x2 - b1 x1 and g2 = a x1 - b2 x2 into the gradients given, lanes and tail alike.
    @inline(__always)
    static func gradients<S: LossStorage>(_ x1: UnsafePointer<S>, _ x2: UnsafePointer<S>, _ width: Int, _ a: Scalar,
                                          _ b1: Scalar, _ b2: Scalar, _ g1: UnsafeMutablePointer<S>?,
                                          _ g2: UnsafeMutablePointer<S>?) where S.Compute == Scalar {
        typealias V = SIMD8<Scalar>
        let va = V(repeating: a), vb1 = V(repeating: b1), vb2 = V(repeating: b2)
        var j = 0
        while j + 8 <= width {
            let u = RowLanes.load(x1 + j), v = RowLanes.load(x2 + j)
            if let g1 { RowLanes.store(v * va - u * vb1, g1 + j) }
            if let g2 { RowLanes.store(u * va - v * vb2, g2 + j) }
            j += 8
        }
        let tail = j
        OptionalBuffer.writing(g1) { put1 in
            OptionalBuffer.writing(g2) { put2 in
                for j in tail..<width {
                    let (u, v) = (x1[j].computeValue, x2[j].computeValue)
                    put1(j, S(rounding: v * a - u * b1))
                    put2(j, S(rounding: u * a - v * b2))
                }
            }
        }
    }
}

/// The cosine embedding loss over raw buffers, as `torch.nn.functional.cosine_embedding_loss`: writes `out`
/// and, where gradient buffers are set, the gradients.
///
///     cos = x1 . x2 / sqrt((|x1|^2 + 1e-12) * (|x2|^2 + 1e-12))      per row
///     loss[n] = 1 - cos               if y == 1
///               max(0, cos - margin)  if y == -1
///               0                     otherwise
///
/// - Parameters:
///   - buffers: The call's buffers: `first` = input1, `second` = input2 (rows x width values), `target` (one
///     per row), the `reduction`, `out`, and, for the gradients, `gradFirst` and `gradSecond`, each optional,
///     with the optional `gradOutput`.
///   - margin: The cosine below which targets -1 are not penalized (any real but NaN; [-1, 1] is useful).
///     Default `0`.
/// - Throws: `LossError` when a size, an option or an index is out of its domain (the message names the
///   argument); nothing is written then.
///
/// ## Reduction
///
/// `.none`: one loss per row; `.mean`: their sum divided by the row count; `.sum`: their sum. The buffers'
/// `reduction` chooses it.
///
/// ## Gradients
///
/// Written to the gradient buffers that are set, scaled by `gradOutput` (nil means ones), in the same pass as
/// the loss:
///
///     d loss[n] / d x1, d loss[n] / d x2 = torch's autograd through the expression above
public func cosineEmbeddingLoss<T: LossStorage>(_ buffers: RowTupleBuffers<T>, margin: Double = 0) throws(LossError) {
    try RowTuplesDriver.validate(buffers, operands: ["input1", "input2"], target: true)
    try Check.notNaN(margin, "margin")
    if buffers.gradThird != nil { throw .invalidArgument("a pair loss has no third gradient; pass nil") }
    RowTuplesDriver.run(CosineEmbedding<T.Compute>(margin: T.Compute(margin)), buffers, operands: 2)
}

/// The cosine embedding loss, as `torch.nn.functional.cosine_embedding_loss`.
///
///     cos = x1 . x2 / sqrt((|x1|^2 + 1e-12) * (|x2|^2 + 1e-12))      per row
///     loss[n] = 1 - cos               if y == 1
///               max(0, cos - margin)  if y == -1
///               0                     otherwise
///
/// - Parameters:
///   - input1: The first embeddings: rows x d values, row-major.
///   - input2: The second embeddings: as many values as `input1`.
///   - target: 1 (similar) or -1 (dissimilar): one value per row.
///   - d: D, the row width: each operand holds rows x d values, row-major.
///   - margin: The cosine below which targets -1 are not penalized (any real but NaN; [-1, 1] is useful).
///     Default `0`.
///   - reduction: How the losses combine: `.none`, `.mean` or `.sum` (see Reduction). Default `.mean`.
/// - Returns: The loss: `.elementwise` with one loss per row for `.none`, else `.reduced` with one value.
/// - Throws: `LossError` when a size, an option or an index is out of its domain (the message names the
///   argument); nothing is written then.
///
/// ## Reduction
///
/// `.none`: one loss per row; `.mean`: their sum divided by the row count; `.sum`: their sum. Default `.mean`.
///
/// ## Gradients
///
/// `cosineEmbeddingLossAndGrad` computes the loss and its gradients with respect to `input1`, `input2` in the
/// same pass:
///
///     d loss[n] / d x1, d loss[n] / d x2 = torch's autograd through the expression above
///
/// ## Example
///
/// ```swift
/// let loss = try cosineEmbeddingLoss([0.6, 0.8, 0.8, 0.6], [0.8, 0.6, 0.6, 0.8], [1.0, -1.0], d: 2,
///                                    margin: 0.5)
/// print(loss.scalar!)  // ≈ 0.25
/// ```
public func cosineEmbeddingLoss<T: LossStorage>(_ input1: [T], _ input2: [T], _ target: [T], d: Int,
                                                margin: Double = 0, reduction: Reduction = .mean)
    throws(LossError) -> LossOutput<T> {
    try ArrayBridge.rowTuples([input1, input2], target: target, width: d, reduction: reduction,
                              gradient: false, gradOutput: nil) { b throws(LossError) in
        try cosineEmbeddingLoss(b, margin: margin)
    }.loss
}

/// The cosine embedding loss and its gradients with respect to `input1`, `input2`, in one pass, as
/// `torch.nn.functional.cosine_embedding_loss` with its autograd.
///
///     cos = x1 . x2 / sqrt((|x1|^2 + 1e-12) * (|x2|^2 + 1e-12))      per row
///     loss[n] = 1 - cos               if y == 1
///               max(0, cos - margin)  if y == -1
///               0                     otherwise
///
/// - Parameters:
///   - input1: The first embeddings: rows x d values, row-major.
///   - input2: The second embeddings: as many values as `input1`.
///   - target: 1 (similar) or -1 (dissimilar): one value per row.
///   - d: D, the row width: each operand holds rows x d values, row-major.
///   - margin: The cosine below which targets -1 are not penalized (any real but NaN; [-1, 1] is useful).
///     Default `0`.
///   - reduction: How the losses combine: `.none`, `.mean` or `.sum` (see Reduction). Default `.mean`.
///   - gradOutput: The gradient flowing into the loss: one value for `.mean` and `.sum`, one per loss for
///     `.none`; nil means ones. Default `nil`.
/// - Returns: `loss` as `cosineEmbeddingLoss` returns it, and `grads`: d loss / d `input1`, `input2`, each with
///   as many values as its operand.
/// - Throws: `LossError` when a size, an option or an index is out of its domain (the message names the
///   argument); nothing is written then.
///
/// ## Reduction
///
/// `.none`: one loss per row; `.mean`: their sum divided by the row count; `.sum`: their sum. Default `.mean`.
///
/// ## Gradients
///
/// With respect to `input1`, `input2` (not `target`): the gradients of sum(gradOutput * loss), computed in the
/// same pass as the loss:
///
///     d loss[n] / d x1, d loss[n] / d x2 = torch's autograd through the expression above
///
/// ## Example
///
/// ```swift
/// let (loss, grads) = try cosineEmbeddingLossAndGrad([0.6, 0.8, 0.8, 0.6], [0.8, 0.6, 0.6, 0.8],
///                                                    [1.0, -1.0], d: 2, margin: 0.5)
/// print(loss.scalar!)  // ≈ 0.25
/// print(grads.input1)  // ≈ [-0.112, 0.084, -0.084, 0.112]
/// print(grads.input2)  // ≈ [0.084, -0.112, 0.112, -0.084]
/// ```
public func cosineEmbeddingLossAndGrad<T: LossStorage>(_ input1: [T], _ input2: [T], _ target: [T], d: Int,
                                                       margin: Double = 0, reduction: Reduction = .mean,
                                                       gradOutput: [T]? = nil)
    throws(LossError) -> (loss: LossOutput<T>, grads: (input1: [T], input2: [T])) {
    let (loss, grads) = try ArrayBridge.rowTuples([input1, input2], target: target, width: d, reduction: reduction,
                                                  gradient: true, gradOutput: gradOutput) { b throws(LossError) in
        try cosineEmbeddingLoss(b, margin: margin)
    }
    return (loss, (grads[0], grads[1]))
}
