/// Negative log-likelihood, `torch.nn.functional.nll_loss`; the input holds log-probabilities.
///
///     loss = -w_t x_t,        dloss/dx_j = -w_t [j = t]
///
/// Ignored positions (t == ignore_index) give 0; 'mean' divides by the sum of w[t] over
/// the non-ignored positions (NaN when there are none).
///
/// Each position reads one score and its gradient has one non-zero, so this loss does not
/// run the per-position row machinery of the class-rows driver (ClassRowsDriver.run): values are
/// gathered, and the gradient is zeroed in long runs, then scattered (a row pass would read
/// every score to use one).
/// Generic over the buffers' storage: each score read is widened on its own and each
/// gradient value rounded, so 16-bit buffers need no staging.
struct NegativeLogLikelihood<Storage: LossStorage> {
    typealias Scalar = Storage.Compute
    let target: UnsafePointer<Int64>
    let weight: UnsafePointer<Storage>?
    let ignoreIndex: Int64
    let layout: ClassLayout

    /// Element index of class `t` at position `p` in the (N, C, d1...dk) layout.
    @inline(__always) func index(_ p: Int, _ t: Int) -> Int {
        let inner = layout.inner
        return inner == 1 ? p * layout.classes + t : (p / inner) * layout.classes * inner + t * inner + p % inner
    }

    /// -w_t x_t at position `p` (0 where ignored).
    @inline(__always) func value(_ input: UnsafePointer<Storage>, _ p: Int) -> Scalar {
        let label = target[p]
        if label == ignoreIndex { return 0 }
        let t = Int(label)
        let score = input[index(p, t)].computeValue
        return -(weight.map { $0[t].computeValue * score } ?? score)
    }
}

/// The negative log-likelihood over raw buffers, as `torch.nn.functional.nll_loss`: writes `out` and, where
/// gradient buffers are set, the gradient.
///
///     loss[p] = -weight[y] * input[p, y]       y = target[p]
///
/// - Parameters:
///   - b: The call's buffers: `input` (n x classes x inner, row-major), the optional per-class `weight`, the
///     `reduction`, `out` (one value, or n x inner for `.none`), and, for the gradient, `gradInput` (input's
///     size) with the optional `gradOutput`.
///   - target: Class indices, one per position (n x inner), each in [0, classes) or `ignoreIndex`.
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
///     d loss[p] / d input[p, c] = -weight[y] where c == y, else 0   (0 at ignored positions)
public func nllLoss<T: LossStorage>(_ b: ClassBuffers<T>, target: UnsafePointer<Int64>?,
                                    ignoreIndex: Int64 = -100) throws(LossError) {
    let layout = try ClassRowsDriver.validate(b)
    let divisor = try ClassRowsDriver.targetWeightSum(target, layout, weight: b.weight, ignoreIndex: ignoreIndex)
    // (The gradient of no positions has no elements.)
    guard layout.positions > 0 else { return Reduce.writeEmpty(b.reduction, to: b.out) }
    let loss = NegativeLogLikelihood(target: target!, weight: b.weight, ignoreIndex: ignoreIndex, layout: layout)
    let input = b.input!
    if b.reduction == .none {
        let out = UncheckedSendable(b.out!), x = UncheckedSendable(input)
        Parallel.forEachRange(count: layout.positions, blockSize: 1 << 10, work: loss.gatherWork) { range in
            for p in range { out.value[p] = T(rounding: loss.value(x.value, p)) }
        }
    } else {
        let total = loss.gatheredSum(input: input)
        Reduce.write(total, b.reduction, divisor: divisor, zeroDivisor: .nan, to: b.out!)
    }
    guard let grad = b.gradInput else { return }
    // d(loss)/d(l_p): grad_output (per position for 'none'), divided by the 'mean' divisor.
    // (A zero divisor, every kept target weighing 0, gives torch's 0/0: NaN at those targets.)
    let none = b.reduction == .none
    let scale: T.Compute? = none ? nil : Reduce.gradientScale(b.reduction, upstream: b.gradOutput, divisor: divisor)
    loss.scatterGradient(into: grad, scale: scale, perPosition: none ? b.gradOutput : nil)
}

extension NegativeLogLikelihood {
    /// Work of gathering one score per position, in elements: rows longer than a cache line
    /// make each read a miss of its own, so a position counts as up to a line (16 floats).
    /// A few thousand long rows are then spread over the threads, whose misses overlap,
    /// while short rows (read nearly sequentially) stay on one.
    var gatherWork: Int {
        let work = layout.positions.multipliedReportingOverflow(by: min(layout.classes, 16))
        return work.overflow ? Int.max : work.partialValue
    }

    /// sum_p -w_t x_t over the kept positions, in fixed blocks (deterministic).
    func gatheredSum(input: UnsafePointer<Storage>) -> Double {
        let x = UncheckedSendable(input)
        let c = layout.classes
        return Parallel.blockedSum(count: layout.positions, blockSize: 1 << 10, work: gatherWork) { range in
            // Four accumulators (BlockSum): one would chain every add on the previous one.
            guard layout.inner == 1 else { return BlockSum.sum(range) { p in Double(value(x.value, p)) } }
            // Rows: the same sum as -(sum of w_t x_t), branch-free and without overflow
            // checks (the targets were checked: each is in [0, c) or ignored, which reads
            // class 0 and adds 0), one weight test per block.
            // (0 - s: a block without kept positions stays +0.)
            @inline(__always) func column(_ label: Int64) -> Int {
                label == ignoreIndex ? 0 : Int(truncatingIfNeeded: label)
            }
            if let weight {
                return 0 - BlockSum.sum(range) { p in
                    let label = target[p], t = column(label)
                    return label == ignoreIndex ? 0 : Double(weight[t].computeValue * x.value[p &* c &+ t].computeValue)
                }
            }
            return 0 - BlockSum.sum(range) { p in
                let label = target[p]
                let score = x.value[p &* c &+ column(label)].computeValue
                return label == ignoreIndex ? 0 : Double(score)
            }
        }
    }

    /// Writes the gradient: -scale_p * w_t at each kept position's target, zeros elsewhere.
    /// `scale` is the reduced calls' common factor; 'none' passes `perPosition` (or nil for
    /// a grad_output of ones). The zeros go in one run per block of rows (per class row of
    /// a sample for K-dim inputs), before the scatter: a row's zeros written just before
    /// its target's score was read left that read waiting on memory.
    func scatterGradient(into grad: UnsafeMutablePointer<Storage>, scale: Scalar?, perPosition: UnsafePointer<Storage>?) {
        let c = layout.classes, inner = layout.inner
        let out = UncheckedSendable(grad), upstream = UncheckedSendable(perPosition)
        // Blocks of about `elementBlock` gradient elements, as the other class kernels.
        let blockSize = max(1, Parallel.elementBlock / c)
        Parallel.forEachRange(count: layout.positions, blockSize: blockSize, work: layout.elements) { range in
            let grad = out.value
            if inner == 1 {
                (grad + range.lowerBound * c).update(repeating: Storage(rounding: 0), count: range.count * c)
            } else {
                // The block's positions of each sample it touches, class row by class row.
                var p = range.lowerBound
                while p < range.upperBound {
                    let k0 = p % inner, run = min(inner - k0, range.upperBound - p)
                    let sampleStart = (p / inner) * c * inner + k0
                    for j in 0..<c { (grad + sampleStart + j * inner).update(repeating: Storage(rounding: 0), count: run) }
                    p += run
                }
            }
            for p in range {
                let label = target[p]
                if label == ignoreIndex { continue }
                let t = Int(label)
                let wt = weight?[t].computeValue ?? 1
                let s = scale ?? upstream.value?[p].computeValue ?? 1
                grad[index(p, t)] = Storage(rounding: -s * wt)
            }
        }
    }
}

func nllLossArrays<T: LossStorage>(gradient: Bool,
    _ input: [T], _ target: [Int64], classes: Int, inner: Int = 1, weight: [T]? = nil,
    ignoreIndex: Int64 = -100, reduction: Reduction = .mean, gradOutput: [T]? = nil
) throws(LossError) -> (loss: LossOutput<T>, grad: [T]) {
    try ArrayBridge.classes(input, indexTargets: target, classes: classes, inner: inner, weight: weight,
                            reduction: reduction, gradient: gradient, gradOutput: gradOutput) { b, t throws(LossError) in
        try nllLoss(b, target: t, ignoreIndex: ignoreIndex)
    }
}

/// The negative log-likelihood and its gradient with respect to `input`, in one pass, as
/// `torch.nn.functional.nll_loss` with its autograd.
///
///     loss[p] = -weight[y] * input[p, y]       y = target[p]
///
/// - Parameters:
///   - input: Log-probabilities: n x classes x inner values, row-major (torch's (N, C, d1, ...)).
///   - target: Class indices, one per position (n x inner values), each in [0, classes) or `ignoreIndex`.
///   - classes: C, the number of classes: `input` holds n x classes x inner values, row-major.
///   - inner: The positions of a row after its class dimension (d1 * d2 * ... for torch's (N, C, d1, d2, ...));
///     1 for (N, C) rows. Default `1`.
///   - weight: Per-class weights, `classes` values; nil weighs every class 1. Default `nil`.
///   - ignoreIndex: A target class that contributes neither loss nor gradient. Default `-100`.
///   - reduction: How the losses combine: `.none`, `.mean` or `.sum` (see Reduction). Default `.mean`.
///   - gradOutput: The gradient flowing into the loss: one value for `.mean` and `.sum`, one per loss for
///     `.none`; nil means ones. Default `nil`.
/// - Returns: `loss` as `nllLoss` returns it, and `grad`: d loss / d `input`, as many values as `input`.
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
///     d loss[p] / d input[p, c] = -weight[y] where c == y, else 0   (0 at ignored positions)
///
/// ## Example
///
/// ```swift
/// let (loss, grad) = try nllLossAndGrad([0.7, 0.2, 0.1, 0.1, 0.3, 0.6].map(Double.log), [0, 2],
///                                       classes: 3)
/// print(loss.scalar!)  // ≈ 0.4338
/// print(grad)  // [-0.5, 0.0, 0.0, 0.0, 0.0, -0.5]
/// ```
public func nllLossAndGrad<T: LossStorage>(
    _ input: [T], _ target: [Int64], classes: Int, inner: Int = 1, weight: [T]? = nil,
    ignoreIndex: Int64 = -100, reduction: Reduction = .mean, gradOutput: [T]? = nil
) throws(LossError) -> (loss: LossOutput<T>, grad: [T]) {
    try nllLossArrays(gradient: true, input, target, classes: classes, inner: inner, weight: weight,
                      ignoreIndex: ignoreIndex, reduction: reduction, gradOutput: gradOutput)
}

/// The negative log-likelihood, as `torch.nn.functional.nll_loss`.
///
///     loss[p] = -weight[y] * input[p, y]       y = target[p]
///
/// - Parameters:
///   - input: Log-probabilities: n x classes x inner values, row-major (torch's (N, C, d1, ...)).
///   - target: Class indices, one per position (n x inner values), each in [0, classes) or `ignoreIndex`.
///   - classes: C, the number of classes: `input` holds n x classes x inner values, row-major.
///   - inner: The positions of a row after its class dimension (d1 * d2 * ... for torch's (N, C, d1, d2, ...));
///     1 for (N, C) rows. Default `1`.
///   - weight: Per-class weights, `classes` values; nil weighs every class 1. Default `nil`.
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
/// `nllLossAndGrad` computes the loss and its gradient with respect to `input` in the same pass:
///
///     d loss[p] / d input[p, c] = -weight[y] where c == y, else 0   (0 at ignored positions)
///
/// ## Example
///
/// ```swift
/// let loss = try nllLoss([0.7, 0.2, 0.1, 0.1, 0.3, 0.6].map(Double.log), [0, 2], classes: 3)
/// print(loss.scalar!)  // ≈ 0.4338
/// ```
public func nllLoss<T: LossStorage>(
    _ input: [T], _ target: [Int64], classes: Int, inner: Int = 1, weight: [T]? = nil,
    ignoreIndex: Int64 = -100, reduction: Reduction = .mean
) throws(LossError) -> LossOutput<T> {
    try nllLossArrays(gradient: false, input, target, classes: classes, inner: inner, weight: weight,
                      ignoreIndex: ignoreIndex, reduction: reduction, gradOutput: nil).loss
}
