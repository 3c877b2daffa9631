import CLossABI

// The metrics of include/losscore.h. Each export converts its C arguments
// (Boundary.swift) and forwards to the Swift buffer API, which validates everything before
// any kernel runs.

@c @implementation public func losscore_zero_one_loss_f32(
    _ scores: UnsafePointer<Float>?, _ target: UnsafePointer<Int64>?, _ n: Int, _ c: Int,
    _ reduction: losscore_reduction, _ out: UnsafeMutablePointer<Float>?,
    _ error: UnsafeMutablePointer<losscore_error>?
) -> losscore_status {
    CBoundary.call(#function, error) { () throws(LossError) in
        try zeroOneLoss(scores: scores, target: target, n: n, c: c, reduction: Check.reduction(reduction),
            out: out)
    }
}

@c @implementation public func losscore_zero_one_loss_f64(
    _ scores: UnsafePointer<Double>?, _ target: UnsafePointer<Int64>?, _ n: Int, _ c: Int,
    _ reduction: losscore_reduction, _ out: UnsafeMutablePointer<Double>?,
    _ error: UnsafeMutablePointer<losscore_error>?
) -> losscore_status {
    CBoundary.call(#function, error) { () throws(LossError) in
        try zeroOneLoss(scores: scores, target: target, n: n, c: c, reduction: Check.reduction(reduction),
            out: out)
    }
}

@c @implementation public func losscore_zero_one_loss_f16(
    _ scores: UnsafePointer<UInt16>?, _ target: UnsafePointer<Int64>?, _ n: Int, _ c: Int,
    _ reduction: losscore_reduction, _ out: UnsafeMutablePointer<UInt16>?,
    _ error: UnsafeMutablePointer<losscore_error>?
) -> losscore_status {
    CBoundary.call(#function, error) { () throws(LossError) in
        try zeroOneLoss(scores: bits(scores) as UnsafePointer<Float16>?,
            target: target, n: n, c: c, reduction: Check.reduction(reduction), out: bits(out))
    }
}

@c @implementation public func losscore_zero_one_loss_bf16(
    _ scores: UnsafePointer<UInt16>?, _ target: UnsafePointer<Int64>?, _ n: Int, _ c: Int,
    _ reduction: losscore_reduction, _ out: UnsafeMutablePointer<UInt16>?,
    _ error: UnsafeMutablePointer<losscore_error>?
) -> losscore_status {
    CBoundary.call(#function, error) { () throws(LossError) in
        try zeroOneLoss(scores: bits(scores) as UnsafePointer<BFloat16>?,
            target: target, n: n, c: c, reduction: Check.reduction(reduction), out: bits(out))
    }
}

@c @implementation public func losscore_zero_one_loss_labels(
    _ predicted: UnsafePointer<Int64>?, _ target: UnsafePointer<Int64>?, _ n: Int,
    _ reduction: losscore_reduction, _ out: UnsafeMutablePointer<Double>?,
    _ error: UnsafeMutablePointer<losscore_error>?
) -> losscore_status {
    CBoundary.call(#function, error) { () throws(LossError) in
        try zeroOneLoss(predicted: predicted, target: target, n: n, reduction: Check.reduction(reduction),
            out: out)
    }
}
