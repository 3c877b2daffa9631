import CLossABI

// The class-margins losses of include/losscore.h (the margin losses over (N, C) rows). Each
// export converts its C arguments (Boundary.swift) and forwards to the Swift buffer API,
// which validates everything before any kernel runs. Their rows have no inner dimension.

@c @implementation public func losscore_multi_margin_loss_f32(
    _ input: UnsafePointer<Float>?, _ target: UnsafePointer<Int64>?, _ weight: UnsafePointer<Float>?,
    _ n: Int, _ c: Int, _ reduction: losscore_reduction, _ p: Int32, _ margin: Double,
    _ out: UnsafeMutablePointer<Float>?, _ gradOutput: UnsafePointer<Float>?, _ gradInput: UnsafeMutablePointer<Float>?,
    _ error: UnsafeMutablePointer<losscore_error>?
) -> losscore_status {
    CBoundary.call(#function, error) { () throws(LossError) in
        try multiMarginLoss(ClassBuffers(input, weight, n, c, 1, reduction, out, gradOutput, gradInput),
            target: target, p: Int(p), margin: margin)
    }
}

@c @implementation public func losscore_multi_margin_loss_f64(
    _ input: UnsafePointer<Double>?, _ target: UnsafePointer<Int64>?, _ weight: UnsafePointer<Double>?,
    _ n: Int, _ c: Int, _ reduction: losscore_reduction, _ p: Int32, _ margin: Double,
    _ out: UnsafeMutablePointer<Double>?, _ gradOutput: UnsafePointer<Double>?, _ gradInput: UnsafeMutablePointer<Double>?,
    _ error: UnsafeMutablePointer<losscore_error>?
) -> losscore_status {
    CBoundary.call(#function, error) { () throws(LossError) in
        try multiMarginLoss(ClassBuffers(input, weight, n, c, 1, reduction, out, gradOutput, gradInput),
            target: target, p: Int(p), margin: margin)
    }
}

@c @implementation public func losscore_multi_margin_loss_f16(
    _ input: UnsafePointer<UInt16>?, _ target: UnsafePointer<Int64>?, _ weight: UnsafePointer<UInt16>?,
    _ n: Int, _ c: Int, _ reduction: losscore_reduction, _ p: Int32, _ margin: Double,
    _ out: UnsafeMutablePointer<UInt16>?, _ gradOutput: UnsafePointer<UInt16>?, _ gradInput: UnsafeMutablePointer<UInt16>?,
    _ error: UnsafeMutablePointer<losscore_error>?
) -> losscore_status {
    CBoundary.call(#function, error) { () throws(LossError) in
        try multiMarginLoss(ClassBuffers<Float16>(bits(input), bits(weight), n, c, 1, reduction,
            bits(out), bits(gradOutput), bits(gradInput)),
            target: target, p: Int(p), margin: margin)
    }
}

@c @implementation public func losscore_multi_margin_loss_bf16(
    _ input: UnsafePointer<UInt16>?, _ target: UnsafePointer<Int64>?, _ weight: UnsafePointer<UInt16>?,
    _ n: Int, _ c: Int, _ reduction: losscore_reduction, _ p: Int32, _ margin: Double,
    _ out: UnsafeMutablePointer<UInt16>?, _ gradOutput: UnsafePointer<UInt16>?, _ gradInput: UnsafeMutablePointer<UInt16>?,
    _ error: UnsafeMutablePointer<losscore_error>?
) -> losscore_status {
    CBoundary.call(#function, error) { () throws(LossError) in
        try multiMarginLoss(ClassBuffers<BFloat16>(bits(input), bits(weight), n, c, 1, reduction,
            bits(out), bits(gradOutput), bits(gradInput)),
            target: target, p: Int(p), margin: margin)
    }
}

@c @implementation public func losscore_multilabel_margin_loss_f32(
    _ input: UnsafePointer<Float>?, _ labels: UnsafePointer<Int64>?, _ n: Int, _ c: Int,
    _ reduction: losscore_reduction, _ out: UnsafeMutablePointer<Float>?, _ gradOutput: UnsafePointer<Float>?,
    _ gradInput: UnsafeMutablePointer<Float>?,
    _ error: UnsafeMutablePointer<losscore_error>?
) -> losscore_status {
    CBoundary.call(#function, error) { () throws(LossError) in
        try multilabelMarginLoss(ClassBuffers(input, nil, n, c, 1, reduction, out, gradOutput, gradInput),
            labels: labels)
    }
}

@c @implementation public func losscore_multilabel_margin_loss_f64(
    _ input: UnsafePointer<Double>?, _ labels: UnsafePointer<Int64>?, _ n: Int, _ c: Int,
    _ reduction: losscore_reduction, _ out: UnsafeMutablePointer<Double>?, _ gradOutput: UnsafePointer<Double>?,
    _ gradInput: UnsafeMutablePointer<Double>?,
    _ error: UnsafeMutablePointer<losscore_error>?
) -> losscore_status {
    CBoundary.call(#function, error) { () throws(LossError) in
        try multilabelMarginLoss(ClassBuffers(input, nil, n, c, 1, reduction, out, gradOutput, gradInput),
            labels: labels)
    }
}

@c @implementation public func losscore_multilabel_margin_loss_f16(
    _ input: UnsafePointer<UInt16>?, _ labels: UnsafePointer<Int64>?, _ n: Int, _ c: Int,
    _ reduction: losscore_reduction, _ out: UnsafeMutablePointer<UInt16>?, _ gradOutput: UnsafePointer<UInt16>?,
    _ gradInput: UnsafeMutablePointer<UInt16>?,
    _ error: UnsafeMutablePointer<losscore_error>?
) -> losscore_status {
    CBoundary.call(#function, error) { () throws(LossError) in
        try multilabelMarginLoss(ClassBuffers<Float16>(bits(input), nil, n, c, 1, reduction,
            bits(out), bits(gradOutput), bits(gradInput)),
            labels: labels)
    }
}

@c @implementation public func losscore_multilabel_margin_loss_bf16(
    _ input: UnsafePointer<UInt16>?, _ labels: UnsafePointer<Int64>?, _ n: Int, _ c: Int,
    _ reduction: losscore_reduction, _ out: UnsafeMutablePointer<UInt16>?, _ gradOutput: UnsafePointer<UInt16>?,
    _ gradInput: UnsafeMutablePointer<UInt16>?,
    _ error: UnsafeMutablePointer<losscore_error>?
) -> losscore_status {
    CBoundary.call(#function, error) { () throws(LossError) in
        try multilabelMarginLoss(ClassBuffers<BFloat16>(bits(input), nil, n, c, 1, reduction,
            bits(out), bits(gradOutput), bits(gradInput)),
            labels: labels)
    }
}

@c @implementation public func losscore_multilabel_soft_margin_loss_f32(
    _ input: UnsafePointer<Float>?, _ target: UnsafePointer<Float>?, _ weight: UnsafePointer<Float>?,
    _ weightCount: Int, _ n: Int, _ c: Int, _ reduction: losscore_reduction, _ out: UnsafeMutablePointer<Float>?,
    _ gradOutput: UnsafePointer<Float>?, _ gradInput: UnsafeMutablePointer<Float>?,
    _ error: UnsafeMutablePointer<losscore_error>?
) -> losscore_status {
    CBoundary.call(#function, error) { () throws(LossError) in
        try multilabelSoftMarginLoss(ClassBuffers(input, weight, n, c, 1, reduction, out, gradOutput, gradInput),
            target: target, weightCount: weightCount)
    }
}

@c @implementation public func losscore_multilabel_soft_margin_loss_f64(
    _ input: UnsafePointer<Double>?, _ target: UnsafePointer<Double>?, _ weight: UnsafePointer<Double>?,
    _ weightCount: Int, _ n: Int, _ c: Int, _ reduction: losscore_reduction, _ out: UnsafeMutablePointer<Double>?,
    _ gradOutput: UnsafePointer<Double>?, _ gradInput: UnsafeMutablePointer<Double>?,
    _ error: UnsafeMutablePointer<losscore_error>?
) -> losscore_status {
    CBoundary.call(#function, error) { () throws(LossError) in
        try multilabelSoftMarginLoss(ClassBuffers(input, weight, n, c, 1, reduction, out, gradOutput, gradInput),
            target: target, weightCount: weightCount)
    }
}

@c @implementation public func losscore_multilabel_soft_margin_loss_f16(
    _ input: UnsafePointer<UInt16>?, _ target: UnsafePointer<UInt16>?, _ weight: UnsafePointer<UInt16>?,
    _ weightCount: Int, _ n: Int, _ c: Int, _ reduction: losscore_reduction, _ out: UnsafeMutablePointer<UInt16>?,
    _ gradOutput: UnsafePointer<UInt16>?, _ gradInput: UnsafeMutablePointer<UInt16>?,
    _ error: UnsafeMutablePointer<losscore_error>?
) -> losscore_status {
    CBoundary.call(#function, error) { () throws(LossError) in
        try multilabelSoftMarginLoss(ClassBuffers<Float16>(bits(input), bits(weight), n, c, 1, reduction,
            bits(out), bits(gradOutput), bits(gradInput)),
            target: bits(target), weightCount: weightCount)
    }
}

@c @implementation public func losscore_multilabel_soft_margin_loss_bf16(
    _ input: UnsafePointer<UInt16>?, _ target: UnsafePointer<UInt16>?, _ weight: UnsafePointer<UInt16>?,
    _ weightCount: Int, _ n: Int, _ c: Int, _ reduction: losscore_reduction, _ out: UnsafeMutablePointer<UInt16>?,
    _ gradOutput: UnsafePointer<UInt16>?, _ gradInput: UnsafeMutablePointer<UInt16>?,
    _ error: UnsafeMutablePointer<losscore_error>?
) -> losscore_status {
    CBoundary.call(#function, error) { () throws(LossError) in
        try multilabelSoftMarginLoss(ClassBuffers<BFloat16>(bits(input), bits(weight), n, c, 1, reduction,
            bits(out), bits(gradOutput), bits(gradInput)),
            target: bits(target), weightCount: weightCount)
    }
}
