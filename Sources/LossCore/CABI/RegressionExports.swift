import CLossABI

// The regression losses of include/losscore.h. Each export only converts C types and
// forwards to the Swift API, which validates everything before any kernel runs.

extension PointwiseBuffers {
    init(_ input: UnsafePointer<Scalar>?, _ target: UnsafePointer<Scalar>?, _ weight: UnsafePointer<Scalar>?,
         _ n: Int, _ reduction: losscore_reduction, _ out: UnsafeMutablePointer<Scalar>?,
         _ gradOutput: UnsafePointer<Scalar>?, _ gradInput: UnsafeMutablePointer<Scalar>?) throws(LossError) {
        self.init(input: input, target: target, weight: weight, count: n,
                  reduction: try CBoundary.reduction(reduction), out: out,
                  gradOutput: gradOutput, gradInput: gradInput)
    }
}

@c @implementation
public func losscore_l1_loss_f32(
    _ input: UnsafePointer<Float>?, _ target: UnsafePointer<Float>?, _ weight: UnsafePointer<Float>?,
    _ n: Int, _ reduction: losscore_reduction, _ out: UnsafeMutablePointer<Float>?,
    _ gradOutput: UnsafePointer<Float>?, _ gradInput: UnsafeMutablePointer<Float>?
) -> losscore_status {
    CBoundary.call(#function) { () throws(LossError) in
        try l1Loss(PointwiseBuffers(input, target, weight, n, reduction, out, gradOutput, gradInput))
    }
}

@c @implementation
public func losscore_l1_loss_f64(
    _ input: UnsafePointer<Double>?, _ target: UnsafePointer<Double>?, _ weight: UnsafePointer<Double>?,
    _ n: Int, _ reduction: losscore_reduction, _ out: UnsafeMutablePointer<Double>?,
    _ gradOutput: UnsafePointer<Double>?, _ gradInput: UnsafeMutablePointer<Double>?
) -> losscore_status {
    CBoundary.call(#function) { () throws(LossError) in
        try l1Loss(PointwiseBuffers(input, target, weight, n, reduction, out, gradOutput, gradInput))
    }
}

@c @implementation
public func losscore_mse_loss_f32(
    _ input: UnsafePointer<Float>?, _ target: UnsafePointer<Float>?, _ weight: UnsafePointer<Float>?,
    _ n: Int, _ reduction: losscore_reduction, _ out: UnsafeMutablePointer<Float>?,
    _ gradOutput: UnsafePointer<Float>?, _ gradInput: UnsafeMutablePointer<Float>?
) -> losscore_status {
    CBoundary.call(#function) { () throws(LossError) in
        try mseLoss(PointwiseBuffers(input, target, weight, n, reduction, out, gradOutput, gradInput))
    }
}

@c @implementation
public func losscore_mse_loss_f64(
    _ input: UnsafePointer<Double>?, _ target: UnsafePointer<Double>?, _ weight: UnsafePointer<Double>?,
    _ n: Int, _ reduction: losscore_reduction, _ out: UnsafeMutablePointer<Double>?,
    _ gradOutput: UnsafePointer<Double>?, _ gradInput: UnsafeMutablePointer<Double>?
) -> losscore_status {
    CBoundary.call(#function) { () throws(LossError) in
        try mseLoss(PointwiseBuffers(input, target, weight, n, reduction, out, gradOutput, gradInput))
    }
}

@c @implementation
public func losscore_smooth_l1_loss_f32(
    _ input: UnsafePointer<Float>?, _ target: UnsafePointer<Float>?, _ n: Int,
    _ reduction: losscore_reduction, _ beta: Double, _ out: UnsafeMutablePointer<Float>?,
    _ gradOutput: UnsafePointer<Float>?, _ gradInput: UnsafeMutablePointer<Float>?
) -> losscore_status {
    CBoundary.call(#function) { () throws(LossError) in
        try smoothL1Loss(PointwiseBuffers(input, target, nil, n, reduction, out, gradOutput, gradInput), beta: beta)
    }
}

@c @implementation
public func losscore_smooth_l1_loss_f64(
    _ input: UnsafePointer<Double>?, _ target: UnsafePointer<Double>?, _ n: Int,
    _ reduction: losscore_reduction, _ beta: Double, _ out: UnsafeMutablePointer<Double>?,
    _ gradOutput: UnsafePointer<Double>?, _ gradInput: UnsafeMutablePointer<Double>?
) -> losscore_status {
    CBoundary.call(#function) { () throws(LossError) in
        try smoothL1Loss(PointwiseBuffers(input, target, nil, n, reduction, out, gradOutput, gradInput), beta: beta)
    }
}

@c @implementation
public func losscore_huber_loss_f32(
    _ input: UnsafePointer<Float>?, _ target: UnsafePointer<Float>?, _ weight: UnsafePointer<Float>?,
    _ n: Int, _ reduction: losscore_reduction, _ delta: Double, _ out: UnsafeMutablePointer<Float>?,
    _ gradOutput: UnsafePointer<Float>?, _ gradInput: UnsafeMutablePointer<Float>?
) -> losscore_status {
    CBoundary.call(#function) { () throws(LossError) in
        try huberLoss(PointwiseBuffers(input, target, weight, n, reduction, out, gradOutput, gradInput), delta: delta)
    }
}

@c @implementation
public func losscore_huber_loss_f64(
    _ input: UnsafePointer<Double>?, _ target: UnsafePointer<Double>?, _ weight: UnsafePointer<Double>?,
    _ n: Int, _ reduction: losscore_reduction, _ delta: Double, _ out: UnsafeMutablePointer<Double>?,
    _ gradOutput: UnsafePointer<Double>?, _ gradInput: UnsafeMutablePointer<Double>?
) -> losscore_status {
    CBoundary.call(#function) { () throws(LossError) in
        try huberLoss(PointwiseBuffers(input, target, weight, n, reduction, out, gradOutput, gradInput), delta: delta)
    }
}
