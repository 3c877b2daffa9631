/// Negative log-likelihood, `torch.nn.functional.nll_loss`; the input holds log-probabilities.
///
///     loss = -w_t x_t,        dloss/dx_j = -w_t [j = t]
///
/// Ignored positions (t == ignore_index) give 0; 'mean' divides by the sum of w[t] over
/// the non-ignored positions (NaN when there are none).
struct NegativeLogLikelihood<Scalar: LossScalar>: PositionLoss {
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
    ClassKernel.run(NegativeLogLikelihood(target: target!, weight: b.weight, ignoreIndex: ignoreIndex),
                    b, layout, meanDivisor: divisor)
}
