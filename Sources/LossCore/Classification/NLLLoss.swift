/// Negative log-likelihood, `torch.nn.functional.nll_loss`; the input holds log-probabilities.
///
///     loss = -w_t x_t,        dloss/dx_j = -w_t [j = t]
///
/// Ignored positions (t == ignore_index) give 0; 'mean' divides by the sum of w[t] over
/// the non-ignored positions (NaN when there are none).
struct NegativeLogLikelihood<Scalar: LossScalar>: PositionLoss {
    static var readsWholeRow: Bool { false }
    let target: UnsafePointer<Int64>
    let weight: UnsafePointer<Scalar>?
    let ignoreIndex: Int64

    @inline(__always)
    func position<S: RowStride>(_ p: Int, _ start: Int, _ row: Row<Scalar, S>,
                                _ grad: MutableRow<Scalar, S>?, _ scale: Scalar) -> Scalar {
        RowMath.zero(grad, count: row.count)
        let label = target[p]
        if label == ignoreIndex { return 0 }
        let t = Int(label)
        let wt = weight?[t] ?? 1
        grad?[t] = -scale * wt
        return -wt * row[t]
    }
}

/// Negative log-likelihood over raw buffers (gradient when `gradInput` is set).
public func nllLoss<T: LossScalar>(_ b: ClassBuffers<T>, target: UnsafePointer<Int64>?,
                                   ignoreIndex: Int64 = -100) throws(LossError) {
    let layout = try ClassKernel.validate(b)
    let divisor = try ClassKernel.targetWeightSum(target, layout, weight: b.weight, ignoreIndex: ignoreIndex)
    guard layout.positions > 0 else { return ClassKernel.writeEmpty(b) }
    let loss = NegativeLogLikelihood(target: target!, weight: b.weight, ignoreIndex: ignoreIndex)
    if b.gradInput == nil && b.reduction != .none {
        // A reduced value reads one score per position: a plain gather loop, without the
        // per-position row machinery of ClassKernel.run (measured 4x its cost here).
        let total = loss.gatheredSum(input: b.input!, layout)
        b.out![0] = T(b.reduction == .mean ? (divisor == 0 ? .nan : total / divisor) : total)
        return
    }
    ClassKernel.run(loss, b, layout, meanDivisor: divisor)
}

extension NegativeLogLikelihood {
    /// sum_p -w_t x_t over the kept positions, in fixed blocks (deterministic).
    func gatheredSum(input: UnsafePointer<Scalar>, _ layout: ClassLayout) -> Double {
        let c = layout.classes, inner = layout.inner
        let x = UncheckedSendable(input)
        // Each position reads one score of its row; rows longer than a cache line make that
        // a miss of its own, so count a position as up to a line of work (16 floats): a few
        // thousand long rows are then spread over the threads, whose misses overlap, while
        // short rows (read nearly sequentially) stay on one.
        let work = layout.positions.multipliedReportingOverflow(by: min(layout.classes, 16))
        return Parallel.blockedSum(count: layout.positions, blockSize: 1 << 10,
                                   work: work.overflow ? Int.max : work.partialValue) { range in
            // Four accumulators (BlockSum): one would chain every add on the previous one.
            @inline(__always) func term(_ p: Int, _ offset: (Int) -> Int) -> Double {
                let label = target[p]
                if label == ignoreIndex { return 0 }
                let t = Int(label)
                let score = x.value[offset(t)]
                return -Double(weight.map { $0[t] * score } ?? score)
            }
            if inner == 1 {
                return BlockSum.sum(range) { p in term(p) { t in p * c + t } }
            }
            return BlockSum.sum(range) { p in term(p) { t in (p / inner) * c * inner + t * inner + p % inner } }
        }
    }
}

func nllLossArrays<T: LossScalar>(gradient: Bool,
    _ input: [T], _ target: [Int64], classes: Int, inner: Int = 1, weight: [T]? = nil,
    ignoreIndex: Int64 = -100, reduction: Reduction = .mean, gradOutput: [T]? = nil
) throws(LossError) -> (loss: LossOutput<T>, grad: [T]) {
    try ArrayBridge.classes(input, indexTargets: target, classes: classes, inner: inner, weight: weight,
                            reduction: reduction, gradient: gradient, gradOutput: gradOutput) { b, t throws(LossError) in
        try nllLoss(b, target: t, ignoreIndex: ignoreIndex)
    }
}

/// Negative log-likelihood of log-probabilities `input` (n x classes x inner) at class
/// indices (n x inner), with its gradient.
public func nllLossAndGrad<T: LossScalar>(
    _ input: [T], _ target: [Int64], classes: Int, inner: Int = 1, weight: [T]? = nil,
    ignoreIndex: Int64 = -100, reduction: Reduction = .mean, gradOutput: [T]? = nil
) throws(LossError) -> (loss: LossOutput<T>, grad: [T]) {
    try nllLossArrays(gradient: true, input, target, classes: classes, inner: inner, weight: weight,
                      ignoreIndex: ignoreIndex, reduction: reduction, gradOutput: gradOutput)
}

/// Negative log-likelihood (see `nllLossAndGrad`).
public func nllLoss<T: LossScalar>(
    _ input: [T], _ target: [Int64], classes: Int, inner: Int = 1, weight: [T]? = nil,
    ignoreIndex: Int64 = -100, reduction: Reduction = .mean
) throws(LossError) -> LossOutput<T> {
    try nllLossArrays(gradient: false, input, target, classes: classes, inner: inner, weight: weight,
                      ignoreIndex: ignoreIndex, reduction: reduction, gradOutput: nil).loss
}
