import CLossABI

// The row-tuple losses of include/losscore.h. Each export converts its C arguments
// (Boundary.swift) and forwards to the Swift buffer API, which validates everything before
// any kernel runs.

@c @implementation public func losscore_triplet_margin_loss_f32(
    _ anchor: UnsafePointer<Float>?, _ positive: UnsafePointer<Float>?, _ negative: UnsafePointer<Float>?,
    _ n: Int, _ d: Int, _ reduction: losscore_reduction, _ margin: Double, _ normP: Double, _ distanceEps: Double,
    _ swap: Int32, _ out: UnsafeMutablePointer<Float>?, _ gradOutput: UnsafePointer<Float>?,
    _ gradAnchor: UnsafeMutablePointer<Float>?, _ gradPositive: UnsafeMutablePointer<Float>?,
    _ gradNegative: UnsafeMutablePointer<Float>?,
    _ error: UnsafeMutablePointer<losscore_error>?
) -> losscore_status {
    CBoundary.call(#function, error) { () throws(LossError) in
        try tripletMarginLoss(RowTupleBuffers(anchor, positive, negative, n, d, reduction, out, gradOutput,
                                              gradAnchor, gradPositive, gradNegative),
            margin: margin, p: normP, eps: distanceEps, swap: CBoundary.flag(swap, "swap"))
    }
}

@c @implementation public func losscore_triplet_margin_loss_f64(
    _ anchor: UnsafePointer<Double>?, _ positive: UnsafePointer<Double>?, _ negative: UnsafePointer<Double>?,
    _ n: Int, _ d: Int, _ reduction: losscore_reduction, _ margin: Double, _ normP: Double, _ distanceEps: Double,
    _ swap: Int32, _ out: UnsafeMutablePointer<Double>?, _ gradOutput: UnsafePointer<Double>?,
    _ gradAnchor: UnsafeMutablePointer<Double>?, _ gradPositive: UnsafeMutablePointer<Double>?,
    _ gradNegative: UnsafeMutablePointer<Double>?,
    _ error: UnsafeMutablePointer<losscore_error>?
) -> losscore_status {
    CBoundary.call(#function, error) { () throws(LossError) in
        try tripletMarginLoss(RowTupleBuffers(anchor, positive, negative, n, d, reduction, out, gradOutput,
                                              gradAnchor, gradPositive, gradNegative),
            margin: margin, p: normP, eps: distanceEps, swap: CBoundary.flag(swap, "swap"))
    }
}

@c @implementation public func losscore_triplet_margin_loss_f16(
    _ anchor: UnsafePointer<UInt16>?, _ positive: UnsafePointer<UInt16>?, _ negative: UnsafePointer<UInt16>?,
    _ n: Int, _ d: Int, _ reduction: losscore_reduction, _ margin: Double, _ normP: Double, _ distanceEps: Double,
    _ swap: Int32, _ out: UnsafeMutablePointer<UInt16>?, _ gradOutput: UnsafePointer<UInt16>?,
    _ gradAnchor: UnsafeMutablePointer<UInt16>?, _ gradPositive: UnsafeMutablePointer<UInt16>?,
    _ gradNegative: UnsafeMutablePointer<UInt16>?,
    _ error: UnsafeMutablePointer<losscore_error>?
) -> losscore_status {
    CBoundary.call(#function, error) { () throws(LossError) in
        try tripletMarginLoss(RowTupleBuffers<Float16>(bits(anchor), bits(positive), bits(negative), n, d, reduction,
                                                       bits(out), bits(gradOutput), bits(gradAnchor), bits(gradPositive),
                                                       bits(gradNegative)),
            margin: margin, p: normP, eps: distanceEps, swap: CBoundary.flag(swap, "swap"))
    }
}

@c @implementation public func losscore_triplet_margin_loss_bf16(
    _ anchor: UnsafePointer<UInt16>?, _ positive: UnsafePointer<UInt16>?, _ negative: UnsafePointer<UInt16>?,
    _ n: Int, _ d: Int, _ reduction: losscore_reduction, _ margin: Double, _ normP: Double, _ distanceEps: Double,
    _ swap: Int32, _ out: UnsafeMutablePointer<UInt16>?, _ gradOutput: UnsafePointer<UInt16>?,
    _ gradAnchor: UnsafeMutablePointer<UInt16>?, _ gradPositive: UnsafeMutablePointer<UInt16>?,
    _ gradNegative: UnsafeMutablePointer<UInt16>?,
    _ error: UnsafeMutablePointer<losscore_error>?
) -> losscore_status {
    CBoundary.call(#function, error) { () throws(LossError) in
        try tripletMarginLoss(RowTupleBuffers<BFloat16>(bits(anchor), bits(positive), bits(negative), n, d, reduction,
                                                        bits(out), bits(gradOutput), bits(gradAnchor), bits(gradPositive),
                                                        bits(gradNegative)),
            margin: margin, p: normP, eps: distanceEps, swap: CBoundary.flag(swap, "swap"))
    }
}

@c @implementation public func losscore_cosine_embedding_loss_f32(
    _ input1: UnsafePointer<Float>?, _ input2: UnsafePointer<Float>?, _ target: UnsafePointer<Float>?, _ n: Int,
    _ d: Int, _ reduction: losscore_reduction, _ margin: Double, _ out: UnsafeMutablePointer<Float>?,
    _ gradOutput: UnsafePointer<Float>?, _ gradInput1: UnsafeMutablePointer<Float>?,
    _ gradInput2: UnsafeMutablePointer<Float>?,
    _ error: UnsafeMutablePointer<losscore_error>?
) -> losscore_status {
    CBoundary.call(#function, error) { () throws(LossError) in
        try cosineEmbeddingLoss(RowTupleBuffers(input1, input2, nil, target: target, n, d, reduction, out, gradOutput,
                                                gradInput1, gradInput2, nil),
            margin: margin)
    }
}

@c @implementation public func losscore_cosine_embedding_loss_f64(
    _ input1: UnsafePointer<Double>?, _ input2: UnsafePointer<Double>?, _ target: UnsafePointer<Double>?, _ n: Int,
    _ d: Int, _ reduction: losscore_reduction, _ margin: Double, _ out: UnsafeMutablePointer<Double>?,
    _ gradOutput: UnsafePointer<Double>?, _ gradInput1: UnsafeMutablePointer<Double>?,
    _ gradInput2: UnsafeMutablePointer<Double>?,
    _ error: UnsafeMutablePointer<losscore_error>?
) -> losscore_status {
    CBoundary.call(#function, error) { () throws(LossError) in
        try cosineEmbeddingLoss(RowTupleBuffers(input1, input2, nil, target: target, n, d, reduction, out, gradOutput,
                                                gradInput1, gradInput2, nil),
            margin: margin)
    }
}

@c @implementation public func losscore_cosine_embedding_loss_f16(
    _ input1: UnsafePointer<UInt16>?, _ input2: UnsafePointer<UInt16>?, _ target: UnsafePointer<UInt16>?, _ n: Int,
    _ d: Int, _ reduction: losscore_reduction, _ margin: Double, _ out: UnsafeMutablePointer<UInt16>?,
    _ gradOutput: UnsafePointer<UInt16>?, _ gradInput1: UnsafeMutablePointer<UInt16>?,
    _ gradInput2: UnsafeMutablePointer<UInt16>?,
    _ error: UnsafeMutablePointer<losscore_error>?
) -> losscore_status {
    CBoundary.call(#function, error) { () throws(LossError) in
        try cosineEmbeddingLoss(RowTupleBuffers<Float16>(bits(input1), bits(input2), nil, target: bits(target), n, d,
                                                         reduction, bits(out), bits(gradOutput), bits(gradInput1),
                                                         bits(gradInput2), nil),
            margin: margin)
    }
}

@c @implementation public func losscore_cosine_embedding_loss_bf16(
    _ input1: UnsafePointer<UInt16>?, _ input2: UnsafePointer<UInt16>?, _ target: UnsafePointer<UInt16>?, _ n: Int,
    _ d: Int, _ reduction: losscore_reduction, _ margin: Double, _ out: UnsafeMutablePointer<UInt16>?,
    _ gradOutput: UnsafePointer<UInt16>?, _ gradInput1: UnsafeMutablePointer<UInt16>?,
    _ gradInput2: UnsafeMutablePointer<UInt16>?,
    _ error: UnsafeMutablePointer<losscore_error>?
) -> losscore_status {
    CBoundary.call(#function, error) { () throws(LossError) in
        try cosineEmbeddingLoss(RowTupleBuffers<BFloat16>(bits(input1), bits(input2), nil, target: bits(target), n, d,
                                                          reduction, bits(out), bits(gradOutput), bits(gradInput1),
                                                          bits(gradInput2), nil),
            margin: margin)
    }
}
