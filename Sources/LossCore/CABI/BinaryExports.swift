import CLossABI

// The binary family of include/losscore.h (BCE, BCE with logits, sigmoid focal loss).
// Each export only converts C types and forwards to the Swift buffer API, which
// validates everything before any kernel runs. The `PointwiseBuffers` initializer from
// C arguments is the regression exports' one (RegressionExports.swift).

@c @implementation
public func losscore_binary_cross_entropy_f32(
    _ input: UnsafePointer<Float>?, _ target: UnsafePointer<Float>?, _ weight: UnsafePointer<Float>?,
    _ n: Int, _ reduction: losscore_reduction, _ out: UnsafeMutablePointer<Float>?,
    _ gradOutput: UnsafePointer<Float>?, _ gradInput: UnsafeMutablePointer<Float>?
) -> losscore_status {
    CBoundary.call(#function) { () throws(LossError) in
        try binaryCrossEntropy(PointwiseBuffers(input, target, weight, n, reduction, out, gradOutput, gradInput))
    }
}

@c @implementation
public func losscore_binary_cross_entropy_f64(
    _ input: UnsafePointer<Double>?, _ target: UnsafePointer<Double>?, _ weight: UnsafePointer<Double>?,
    _ n: Int, _ reduction: losscore_reduction, _ out: UnsafeMutablePointer<Double>?,
    _ gradOutput: UnsafePointer<Double>?, _ gradInput: UnsafeMutablePointer<Double>?
) -> losscore_status {
    CBoundary.call(#function) { () throws(LossError) in
        try binaryCrossEntropy(PointwiseBuffers(input, target, weight, n, reduction, out, gradOutput, gradInput))
    }
}

@c @implementation
public func losscore_binary_cross_entropy_with_logits_f32(
    _ input: UnsafePointer<Float>?, _ target: UnsafePointer<Float>?, _ weight: UnsafePointer<Float>?,
    _ posWeight: UnsafePointer<Float>?, _ posWeightCount: Int, _ n: Int, _ reduction: losscore_reduction,
    _ out: UnsafeMutablePointer<Float>?, _ gradOutput: UnsafePointer<Float>?,
    _ gradInput: UnsafeMutablePointer<Float>?
) -> losscore_status {
    CBoundary.call(#function) { () throws(LossError) in
        let buffers = try PointwiseBuffers(input, target, weight, n, reduction, out, gradOutput, gradInput)
        try binaryCrossEntropyWithLogits(buffers, posWeight: posWeight, posWeightCount: posWeightCount)
    }
}

@c @implementation
public func losscore_binary_cross_entropy_with_logits_f64(
    _ input: UnsafePointer<Double>?, _ target: UnsafePointer<Double>?, _ weight: UnsafePointer<Double>?,
    _ posWeight: UnsafePointer<Double>?, _ posWeightCount: Int, _ n: Int, _ reduction: losscore_reduction,
    _ out: UnsafeMutablePointer<Double>?, _ gradOutput: UnsafePointer<Double>?,
    _ gradInput: UnsafeMutablePointer<Double>?
) -> losscore_status {
    CBoundary.call(#function) { () throws(LossError) in
        let buffers = try PointwiseBuffers(input, target, weight, n, reduction, out, gradOutput, gradInput)
        try binaryCrossEntropyWithLogits(buffers, posWeight: posWeight, posWeightCount: posWeightCount)
    }
}

@c @implementation
public func losscore_sigmoid_focal_loss_f32(
    _ input: UnsafePointer<Float>?, _ target: UnsafePointer<Float>?, _ n: Int,
    _ reduction: losscore_reduction, _ alpha: Double, _ gamma: Double, _ out: UnsafeMutablePointer<Float>?,
    _ gradOutput: UnsafePointer<Float>?, _ gradInput: UnsafeMutablePointer<Float>?
) -> losscore_status {
    CBoundary.call(#function) { () throws(LossError) in
        try sigmoidFocalLoss(PointwiseBuffers(input, target, nil, n, reduction, out, gradOutput, gradInput),
                             alpha: alpha, gamma: gamma)
    }
}

@c @implementation
public func losscore_sigmoid_focal_loss_f64(
    _ input: UnsafePointer<Double>?, _ target: UnsafePointer<Double>?, _ n: Int,
    _ reduction: losscore_reduction, _ alpha: Double, _ gamma: Double, _ out: UnsafeMutablePointer<Double>?,
    _ gradOutput: UnsafePointer<Double>?, _ gradInput: UnsafeMutablePointer<Double>?
) -> losscore_status {
    CBoundary.call(#function) { () throws(LossError) in
        try sigmoidFocalLoss(PointwiseBuffers(input, target, nil, n, reduction, out, gradOutput, gradInput),
                             alpha: alpha, gamma: gamma)
    }
}
