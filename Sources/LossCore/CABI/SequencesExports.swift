import CLossABI

// The sequence losses of include/losscore.h. Each export converts its C arguments
// (Boundary.swift) and forwards to the Swift buffer API, which validates everything before
// any kernel runs.

@c @implementation public func losscore_ctc_loss_f32(
    _ logProbs: UnsafePointer<Float>?, _ targets: UnsafePointer<Int64>?, _ inputLengths: UnsafePointer<Int64>?,
    _ targetLengths: UnsafePointer<Int64>?, _ t: Int, _ n: Int, _ c: Int, _ s: Int, _ blank: Int64,
    _ reduction: losscore_reduction, _ zeroInfinity: Int32, _ out: UnsafeMutablePointer<Float>?,
    _ gradOutput: UnsafePointer<Float>?, _ gradLogProbs: UnsafeMutablePointer<Float>?,
    _ error: UnsafeMutablePointer<losscore_error>?
) -> losscore_status {
    CBoundary.call(#function, error) { () throws(LossError) in
        try ctcLoss(SequenceBuffers(logProbs, targets, inputLengths, targetLengths, t, n, c, s, reduction, out,
                                    gradOutput, gradLogProbs),
                    blank: Int(blank), zeroInfinity: try CBoundary.flag(zeroInfinity, "zero_infinity"))
    }
}

@c @implementation public func losscore_ctc_loss_f64(
    _ logProbs: UnsafePointer<Double>?, _ targets: UnsafePointer<Int64>?, _ inputLengths: UnsafePointer<Int64>?,
    _ targetLengths: UnsafePointer<Int64>?, _ t: Int, _ n: Int, _ c: Int, _ s: Int, _ blank: Int64,
    _ reduction: losscore_reduction, _ zeroInfinity: Int32, _ out: UnsafeMutablePointer<Double>?,
    _ gradOutput: UnsafePointer<Double>?, _ gradLogProbs: UnsafeMutablePointer<Double>?,
    _ error: UnsafeMutablePointer<losscore_error>?
) -> losscore_status {
    CBoundary.call(#function, error) { () throws(LossError) in
        try ctcLoss(SequenceBuffers(logProbs, targets, inputLengths, targetLengths, t, n, c, s, reduction, out,
                                    gradOutput, gradLogProbs),
                    blank: Int(blank), zeroInfinity: try CBoundary.flag(zeroInfinity, "zero_infinity"))
    }
}

@c @implementation public func losscore_ctc_loss_f16(
    _ logProbs: UnsafePointer<UInt16>?, _ targets: UnsafePointer<Int64>?, _ inputLengths: UnsafePointer<Int64>?,
    _ targetLengths: UnsafePointer<Int64>?, _ t: Int, _ n: Int, _ c: Int, _ s: Int, _ blank: Int64,
    _ reduction: losscore_reduction, _ zeroInfinity: Int32, _ out: UnsafeMutablePointer<UInt16>?,
    _ gradOutput: UnsafePointer<UInt16>?, _ gradLogProbs: UnsafeMutablePointer<UInt16>?,
    _ error: UnsafeMutablePointer<losscore_error>?
) -> losscore_status {
    CBoundary.call(#function, error) { () throws(LossError) in
        try ctcLoss(SequenceBuffers<Float16>(bits(logProbs), targets, inputLengths, targetLengths, t, n, c, s,
                                             reduction, bits(out), bits(gradOutput), bits(gradLogProbs)),
                    blank: Int(blank), zeroInfinity: try CBoundary.flag(zeroInfinity, "zero_infinity"))
    }
}

@c @implementation public func losscore_ctc_loss_bf16(
    _ logProbs: UnsafePointer<UInt16>?, _ targets: UnsafePointer<Int64>?, _ inputLengths: UnsafePointer<Int64>?,
    _ targetLengths: UnsafePointer<Int64>?, _ t: Int, _ n: Int, _ c: Int, _ s: Int, _ blank: Int64,
    _ reduction: losscore_reduction, _ zeroInfinity: Int32, _ out: UnsafeMutablePointer<UInt16>?,
    _ gradOutput: UnsafePointer<UInt16>?, _ gradLogProbs: UnsafeMutablePointer<UInt16>?,
    _ error: UnsafeMutablePointer<losscore_error>?
) -> losscore_status {
    CBoundary.call(#function, error) { () throws(LossError) in
        try ctcLoss(SequenceBuffers<BFloat16>(bits(logProbs), targets, inputLengths, targetLengths, t, n, c, s,
                                              reduction, bits(out), bits(gradOutput), bits(gradLogProbs)),
                    blank: Int(blank), zeroInfinity: try CBoundary.flag(zeroInfinity, "zero_infinity"))
    }
}
