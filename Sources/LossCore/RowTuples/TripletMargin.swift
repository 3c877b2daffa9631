/// Triplet margin loss, `torch.nn.functional.triplet_margin_loss`, as torch composes it:
///
///     d(x, y) = || x - y + eps ||_p                        (PairwiseDistance)
///     n_i     = d(a_i, n_i), or min(d(a_i, n_i), d(p_i, n_i)) with swap
///     l_i     = max(0, margin + d(a_i, p_i) - n_i)
///
/// Gradients with respect to anchor, positive and negative are autograd's: the clamp passes
/// at equality and not for NaN (clamp_min), the minimum gives each side the whole gradient
/// where it is smaller and half of it at a tie (torch's minimum backward), and each distance
/// passes its gradient through torch's norm backward. 'mean' divides by the number of rows.
struct TripletMargin<Scalar: LossScalar>: RowTupleLoss {
    let margin: Scalar
    let distance: PairwiseDistance<Scalar>
    let swap: Bool

    @inline(__always)
    func row<S: LossStorage>(_ r: RowTuple<S>, gradient factor: Scalar?) -> Scalar where S.Compute == Scalar {
        let width = r.width
        let ap = distance.distance(r.first, r.second, width)
        let an = distance.distance(r.first, r.third, width)
        var negative = an
        var pn: Scalar = 0
        if swap {
            pn = distance.distance(r.second, r.third, width)
            negative = Swift.min(an, pn)  // NaN-free here; a NaN gives a NaN loss below
            if an.isNaN || pn.isNaN { negative = .nan }
        }
        let v = (margin + ap) - negative
        let loss = v < 0 ? 0 : v  // NaN stays NaN, as clamp_min
        guard let factor else { return loss }
        let c: Scalar = v >= 0 ? factor : 0
        // torch's minimum backward: the smaller side takes c, each side c / 2 at a tie; a NaN
        // compares false both ways, so both sides take c.
        var toAN = -c, toPN: Scalar = 0
        if swap {
            toAN = an > pn ? 0 : (an == pn ? -c / 2 : -c)
            toPN = an < pn ? 0 : (an == pn ? -c / 2 : -c)
        }
        let sAP = distance.slope(c, distance: ap, r.first, r.second, width)
        let sAN = distance.slope(toAN, distance: an, r.first, r.third, width)
        let sPN = distance.slope(toPN, distance: pn, r.second, r.third, width)
        let (a, p, n, eps) = (r.first, r.second, r.third, distance.eps)
        if distance.degree == .two, let ga = r.gradFirst, let gp = r.gradSecond, let gn = r.gradThird {
            Self.euclideanGradients(a, p, n, eps, width, sAP.factor, sAN.factor, swap ? sPN.factor : nil, ga, gp, gn)
            return loss
        }
        for j in 0..<width {
            let (aj, pj, nj) = (a[j].computeValue, p[j].computeValue, n[j].computeValue)
            let uAP = (aj - pj) + eps, uAN = (aj - nj) + eps
            let gAP = sAP(uAP), gAN = sAN(uAN)
            let gPN: Scalar = swap ? sPN((pj - nj) + eps) : 0
            r.gradFirst?[j] = S(rounding: gAP + gAN)
            r.gradSecond?[j] = S(rounding: gPN - gAP)
            r.gradThird?[j] = S(rounding: -gAN - gPN)
        }
        return loss
    }
}

extension TripletMargin {
    /// The p = 2 gradients of every operand (the common case), on eight lanes: with
    /// kXY = c_XY / d(x, y), g_AP = kAP u_AP and so on (kPN nil without swap: no such term),
    /// exactly the one-value loop's operations, so both give the same bits.
    @inline(__always)
    static func euclideanGradients<S: LossStorage>(_ a: UnsafePointer<S>, _ p: UnsafePointer<S>, _ n: UnsafePointer<S>,
                                                   _ eps: Scalar, _ width: Int, _ kAP: Scalar, _ kAN: Scalar,
                                                   _ kPN: Scalar?, _ ga: UnsafeMutablePointer<S>,
                                                   _ gp: UnsafeMutablePointer<S>, _ gn: UnsafeMutablePointer<S>)
    where S.Compute == Scalar {
        typealias V = SIMD8<Scalar>
        @inline(__always) func load(_ x: UnsafePointer<S>, _ j: Int) -> V { RowLanes.load(x + j) }
        @inline(__always) func store(_ v: V, _ x: UnsafeMutablePointer<S>, _ j: Int) { RowLanes.store(v, x + j) }
        let shift = V(repeating: eps), vAP = V(repeating: kAP), vAN = V(repeating: kAN)
        let swap = kPN != nil, vPN = V(repeating: kPN ?? 0)
        var j = 0
        while j + 8 <= width {
            let va = load(a, j), vp = load(p, j), vn = load(n, j)
            let gAP = ((va - vp) + shift) * vAP, gAN = ((va - vn) + shift) * vAN
            let gPN = swap ? ((vp - vn) + shift) * vPN : V()
            store(gAP + gAN, ga, j)
            store(gPN - gAP, gp, j)
            store(-gAN - gPN, gn, j)
            j += 8
        }
        while j < width {
            let (aj, pj, nj) = (a[j].computeValue, p[j].computeValue, n[j].computeValue)
            let gAP = ((aj - pj) + eps) * kAP, gAN = ((aj - nj) + eps) * kAN
            let gPN: Scalar = swap ? ((pj - nj) + eps) * kPN! : 0
            ga[j] = S(rounding: gAP + gAN)
            gp[j] = S(rounding: gPN - gAP)
            gn[j] = S(rounding: -gAN - gPN)
            j += 1
        }
    }
}

/// The triplet margin loss over raw buffers, as `torch.nn.functional.triplet_margin_loss`: writes `out` and,
/// where gradient buffers are set, the gradients.
///
///     loss[n] = max(0, margin + dist(a, p) - dist(a, n))      per row
///     dist(x, y) = ||x - y + eps||_p
///
/// With `swap`, dist(a, n) is replaced by min(dist(a, n), dist(p, n)).
///
/// - Parameters:
///   - buffers: The call's buffers: `first` = anchor, `second` = positive, `third` = negative (rows x width
///     values each), the `reduction`, `out`, and, for the gradients, `gradFirst`, `gradSecond` and `gradThird`,
///     each optional, with the optional `gradOutput`.
///   - margin: The distance by which negatives should be farther than positives (> 0). Default `1`.
///   - p: The degree of the distance's norm: any real, 0 (non-zero count) and infinity included. Default `2`.
///   - eps: Added to each difference before its norm is taken. Default `1e-6`.
///   - swap: Whether to use min(dist(a, n), dist(p, n)) as the negative distance. Default `false`.
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
///     d loss[n] / d anchor, d positive, d negative = torch's autograd through the expression above
public func tripletMarginLoss<T: LossStorage>(_ buffers: RowTupleBuffers<T>, margin: Double = 1, p: Double = 2,
                                              eps: Double = 1e-6, swap: Bool = false) throws(LossError) {
    try RowTuplesDriver.validate(buffers, operands: ["anchor", "positive", "negative"], target: false)
    try Check.notNaN(margin, "margin")
    try Check.notNaN(p, "norm_p")
    try Check.notNaN(eps, "distance_eps")
    if (p < 0 || p == .infinity) && buffers.width == 0 && buffers.rows > 0 {
        throw .invalidArgument("norm_p = \(p) has no value on rows of d = 0 values (that norm has no identity)")
    }
    RowTuplesDriver.run(TripletMargin<T.Compute>(margin: T.Compute(margin), distance: PairwiseDistance(p: p, eps: eps),
                                                 swap: swap),
                        buffers, operands: 3)
}

/// The triplet margin loss, as `torch.nn.functional.triplet_margin_loss`.
///
///     loss[n] = max(0, margin + dist(a, p) - dist(a, n))      per row
///     dist(x, y) = ||x - y + eps||_p
///
/// With `swap`, dist(a, n) is replaced by min(dist(a, n), dist(p, n)).
///
/// - Parameters:
///   - anchor: The anchor rows: rows x d values, row-major.
///   - positive: The rows like the anchor: as many values as `anchor`.
///   - negative: The rows unlike the anchor: as many values as `anchor`.
///   - d: D, the row width: each operand holds rows x d values, row-major.
///   - margin: The distance by which negatives should be farther than positives (> 0). Default `1`.
///   - p: The degree of the distance's norm: any real, 0 (non-zero count) and infinity included. Default `2`.
///   - eps: Added to each difference before its norm is taken. Default `1e-6`.
///   - swap: Whether to use min(dist(a, n), dist(p, n)) as the negative distance. Default `false`.
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
/// `tripletMarginLossAndGrad` computes the loss and its gradients with respect to `anchor`, `positive`,
/// `negative` in the same pass:
///
///     d loss[n] / d anchor, d positive, d negative = torch's autograd through the expression above
///
/// ## Example
///
/// ```swift
/// let loss = try tripletMarginLoss([0.0, 0.0, 1.0, 1.0], [0.3, 0.4, 1.6, 1.8], [0.8, -0.6, 0.6, 1.3], d: 2)
/// print(loss.scalar!)  // ≈ 1.0
/// ```
public func tripletMarginLoss<T: LossStorage>(_ anchor: [T], _ positive: [T], _ negative: [T], d: Int,
                                              margin: Double = 1, p: Double = 2, eps: Double = 1e-6,
                                              swap: Bool = false, reduction: Reduction = .mean)
    throws(LossError) -> LossOutput<T> {
    try ArrayBridge.rowTuples([anchor, positive, negative], target: nil, width: d, reduction: reduction,
                              gradient: false, gradOutput: nil) { b throws(LossError) in
        try tripletMarginLoss(b, margin: margin, p: p, eps: eps, swap: swap)
    }.loss
}

/// The triplet margin loss and its gradients with respect to `anchor`, `positive`, `negative`, in one pass, as
/// `torch.nn.functional.triplet_margin_loss` with its autograd.
///
///     loss[n] = max(0, margin + dist(a, p) - dist(a, n))      per row
///     dist(x, y) = ||x - y + eps||_p
///
/// With `swap`, dist(a, n) is replaced by min(dist(a, n), dist(p, n)).
///
/// - Parameters:
///   - anchor: The anchor rows: rows x d values, row-major.
///   - positive: The rows like the anchor: as many values as `anchor`.
///   - negative: The rows unlike the anchor: as many values as `anchor`.
///   - d: D, the row width: each operand holds rows x d values, row-major.
///   - margin: The distance by which negatives should be farther than positives (> 0). Default `1`.
///   - p: The degree of the distance's norm: any real, 0 (non-zero count) and infinity included. Default `2`.
///   - eps: Added to each difference before its norm is taken. Default `1e-6`.
///   - swap: Whether to use min(dist(a, n), dist(p, n)) as the negative distance. Default `false`.
///   - reduction: How the losses combine: `.none`, `.mean` or `.sum` (see Reduction). Default `.mean`.
///   - gradOutput: The gradient flowing into the loss: one value for `.mean` and `.sum`, one per loss for
///     `.none`; nil means ones. Default `nil`.
/// - Returns: `loss` as `tripletMarginLoss` returns it, and `grads`: d loss / d `anchor`, `positive`,
///   `negative`, each with as many values as its operand.
/// - Throws: `LossError` when a size, an option or an index is out of its domain (the message names the
///   argument); nothing is written then.
///
/// ## Reduction
///
/// `.none`: one loss per row; `.mean`: their sum divided by the row count; `.sum`: their sum. Default `.mean`.
///
/// ## Gradients
///
/// With respect to `anchor`, `positive`, `negative`: the gradients of sum(gradOutput * loss), computed in the
/// same pass as the loss:
///
///     d loss[n] / d anchor, d positive, d negative = torch's autograd through the expression above
///
/// ## Example
///
/// ```swift
/// let (loss, grads) = try tripletMarginLossAndGrad([0.0, 0.0, 1.0, 1.0], [0.3, 0.4, 1.6, 1.8],
///                                                  [0.8, -0.6, 0.6, 1.3], d: 2)
/// print(loss.scalar!)  // ≈ 1.0
/// print(grads.anchor)  // ≈ [0.1, -0.7, -0.7, -0.1]
/// print(grads.positive)  // ≈ [0.3, 0.4, 0.3, 0.4]
/// print(grads.negative)  // ≈ [-0.4, 0.3, 0.4, -0.3]
/// ```
public func tripletMarginLossAndGrad<T: LossStorage>(_ anchor: [T], _ positive: [T], _ negative: [T], d: Int,
                                                     margin: Double = 1, p: Double = 2, eps: Double = 1e-6,
                                                     swap: Bool = false, reduction: Reduction = .mean,
                                                     gradOutput: [T]? = nil)
    throws(LossError) -> (loss: LossOutput<T>, grads: (anchor: [T], positive: [T], negative: [T])) {
    let (loss, grads) = try ArrayBridge.rowTuples([anchor, positive, negative], target: nil, width: d,
                                                  reduction: reduction, gradient: true,
                                                  gradOutput: gradOutput) { b throws(LossError) in
        try tripletMarginLoss(b, margin: margin, p: p, eps: eps, swap: swap)
    }
    return (loss, (grads[0], grads[1], grads[2]))
}
