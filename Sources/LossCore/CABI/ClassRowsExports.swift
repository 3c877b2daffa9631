import CLossABI

// The class-row losses of include/losscore.h. Each export converts its C arguments
// (Boundary.swift) and forwards to the Swift buffer API, which validates everything before
// any kernel runs.

@c @implementation public func losscore_cross_entropy_f32(
    _ input: UnsafePointer<Float>?, _ target: UnsafePointer<Int64>?, _ weight: UnsafePointer<Float>?,
    _ n: Int, _ c: Int, _ inner: Int, _ ignoreIndex: Int64, _ reduction: losscore_reduction,
    _ labelSmoothing: Double, _ out: UnsafeMutablePointer<Float>?, _ gradOutput: UnsafePointer<Float>?,
    _ gradInput: UnsafeMutablePointer<Float>?,
    _ error: UnsafeMutablePointer<losscore_error>?
) -> losscore_status {
    CBoundary.call(#function, error) { () throws(LossError) in
        try crossEntropy(ClassBuffers(input, weight, n, c, inner, reduction, out, gradOutput, gradInput),
            target: target, ignoreIndex: ignoreIndex, labelSmoothing: labelSmoothing)
    }
}

@c @implementation public func losscore_cross_entropy_f64(
    _ input: UnsafePointer<Double>?, _ target: UnsafePointer<Int64>?, _ weight: UnsafePointer<Double>?,
    _ n: Int, _ c: Int, _ inner: Int, _ ignoreIndex: Int64, _ reduction: losscore_reduction,
    _ labelSmoothing: Double, _ out: UnsafeMutablePointer<Double>?, _ gradOutput: UnsafePointer<Double>?,
    _ gradInput: UnsafeMutablePointer<Double>?,
    _ error: UnsafeMutablePointer<losscore_error>?
) -> losscore_status {
    CBoundary.call(#function, error) { () throws(LossError) in
        try crossEntropy(ClassBuffers(input, weight, n, c, inner, reduction, out, gradOutput, gradInput),
            target: target, ignoreIndex: ignoreIndex, labelSmoothing: labelSmoothing)
    }
}

@c @implementation public func losscore_cross_entropy_f16(
    _ input: UnsafePointer<UInt16>?, _ target: UnsafePointer<Int64>?, _ weight: UnsafePointer<UInt16>?,
    _ n: Int, _ c: Int, _ inner: Int, _ ignoreIndex: Int64, _ reduction: losscore_reduction,
    _ labelSmoothing: Double, _ out: UnsafeMutablePointer<UInt16>?, _ gradOutput: UnsafePointer<UInt16>?,
    _ gradInput: UnsafeMutablePointer<UInt16>?,
    _ error: UnsafeMutablePointer<losscore_error>?
) -> losscore_status {
    CBoundary.call(#function, error) { () throws(LossError) in
        try crossEntropy(ClassBuffers<Float16>(bits(input), bits(weight), n, c, inner, reduction,
            bits(out), bits(gradOutput), bits(gradInput)),
            target: target, ignoreIndex: ignoreIndex, labelSmoothing: labelSmoothing)
    }
}

@c @implementation public func losscore_cross_entropy_bf16(
    _ input: UnsafePointer<UInt16>?, _ target: UnsafePointer<Int64>?, _ weight: UnsafePointer<UInt16>?,
    _ n: Int, _ c: Int, _ inner: Int, _ ignoreIndex: Int64, _ reduction: losscore_reduction,
    _ labelSmoothing: Double, _ out: UnsafeMutablePointer<UInt16>?, _ gradOutput: UnsafePointer<UInt16>?,
    _ gradInput: UnsafeMutablePointer<UInt16>?,
    _ error: UnsafeMutablePointer<losscore_error>?
) -> losscore_status {
    CBoundary.call(#function, error) { () throws(LossError) in
        try crossEntropy(ClassBuffers<BFloat16>(bits(input), bits(weight), n, c, inner, reduction,
            bits(out), bits(gradOutput), bits(gradInput)),
            target: target, ignoreIndex: ignoreIndex, labelSmoothing: labelSmoothing)
    }
}

@c @implementation public func losscore_cross_entropy_probs_f32(
    _ input: UnsafePointer<Float>?, _ target: UnsafePointer<Float>?, _ weight: UnsafePointer<Float>?,
    _ n: Int, _ c: Int, _ inner: Int, _ reduction: losscore_reduction, _ labelSmoothing: Double,
    _ out: UnsafeMutablePointer<Float>?, _ gradOutput: UnsafePointer<Float>?,
    _ gradInput: UnsafeMutablePointer<Float>?,
    _ error: UnsafeMutablePointer<losscore_error>?
) -> losscore_status {
    CBoundary.call(#function, error) { () throws(LossError) in
        try crossEntropy(ClassBuffers(input, weight, n, c, inner, reduction, out, gradOutput, gradInput),
            probabilities: target, labelSmoothing: labelSmoothing)
    }
}

@c @implementation public func losscore_cross_entropy_probs_f64(
    _ input: UnsafePointer<Double>?, _ target: UnsafePointer<Double>?, _ weight: UnsafePointer<Double>?,
    _ n: Int, _ c: Int, _ inner: Int, _ reduction: losscore_reduction, _ labelSmoothing: Double,
    _ out: UnsafeMutablePointer<Double>?, _ gradOutput: UnsafePointer<Double>?,
    _ gradInput: UnsafeMutablePointer<Double>?,
    _ error: UnsafeMutablePointer<losscore_error>?
) -> losscore_status {
    CBoundary.call(#function, error) { () throws(LossError) in
        try crossEntropy(ClassBuffers(input, weight, n, c, inner, reduction, out, gradOutput, gradInput),
            probabilities: target, labelSmoothing: labelSmoothing)
    }
}

@c @implementation public func losscore_cross_entropy_probs_f16(
    _ input: UnsafePointer<UInt16>?, _ target: UnsafePointer<UInt16>?, _ weight: UnsafePointer<UInt16>?,
    _ n: Int, _ c: Int, _ inner: Int, _ reduction: losscore_reduction, _ labelSmoothing: Double,
    _ out: UnsafeMutablePointer<UInt16>?, _ gradOutput: UnsafePointer<UInt16>?,
    _ gradInput: UnsafeMutablePointer<UInt16>?,
    _ error: UnsafeMutablePointer<losscore_error>?
) -> losscore_status {
    CBoundary.call(#function, error) { () throws(LossError) in
        try crossEntropy(ClassBuffers<Float16>(bits(input), bits(weight), n, c, inner, reduction,
            bits(out), bits(gradOutput), bits(gradInput)),
            probabilities: bits(target), labelSmoothing: labelSmoothing)
    }
}

@c @implementation public func losscore_cross_entropy_probs_bf16(
    _ input: UnsafePointer<UInt16>?, _ target: UnsafePointer<UInt16>?, _ weight: UnsafePointer<UInt16>?,
    _ n: Int, _ c: Int, _ inner: Int, _ reduction: losscore_reduction, _ labelSmoothing: Double,
    _ out: UnsafeMutablePointer<UInt16>?, _ gradOutput: UnsafePointer<UInt16>?,
    _ gradInput: UnsafeMutablePointer<UInt16>?,
    _ error: UnsafeMutablePointer<losscore_error>?
) -> losscore_status {
    CBoundary.call(#function, error) { () throws(LossError) in
        try crossEntropy(ClassBuffers<BFloat16>(bits(input), bits(weight), n, c, inner, reduction,
            bits(out), bits(gradOutput), bits(gradInput)),
            probabilities: bits(target), labelSmoothing: labelSmoothing)
    }
}

@c @implementation public func losscore_nll_loss_f32(
    _ input: UnsafePointer<Float>?, _ target: UnsafePointer<Int64>?, _ weight: UnsafePointer<Float>?,
    _ n: Int, _ c: Int, _ inner: Int, _ ignoreIndex: Int64, _ reduction: losscore_reduction,
    _ out: UnsafeMutablePointer<Float>?, _ gradOutput: UnsafePointer<Float>?,
    _ gradInput: UnsafeMutablePointer<Float>?,
    _ error: UnsafeMutablePointer<losscore_error>?
) -> losscore_status {
    CBoundary.call(#function, error) { () throws(LossError) in
        try nllLoss(ClassBuffers(input, weight, n, c, inner, reduction, out, gradOutput, gradInput),
            target: target, ignoreIndex: ignoreIndex)
    }
}

@c @implementation public func losscore_nll_loss_f64(
    _ input: UnsafePointer<Double>?, _ target: UnsafePointer<Int64>?, _ weight: UnsafePointer<Double>?,
    _ n: Int, _ c: Int, _ inner: Int, _ ignoreIndex: Int64, _ reduction: losscore_reduction,
    _ out: UnsafeMutablePointer<Double>?, _ gradOutput: UnsafePointer<Double>?,
    _ gradInput: UnsafeMutablePointer<Double>?,
    _ error: UnsafeMutablePointer<losscore_error>?
) -> losscore_status {
    CBoundary.call(#function, error) { () throws(LossError) in
        try nllLoss(ClassBuffers(input, weight, n, c, inner, reduction, out, gradOutput, gradInput),
            target: target, ignoreIndex: ignoreIndex)
    }
}

@c @implementation public func losscore_nll_loss_f16(
    _ input: UnsafePointer<UInt16>?, _ target: UnsafePointer<Int64>?, _ weight: UnsafePointer<UInt16>?,
    _ n: Int, _ c: Int, _ inner: Int, _ ignoreIndex: Int64, _ reduction: losscore_reduction,
    _ out: UnsafeMutablePointer<UInt16>?, _ gradOutput: UnsafePointer<UInt16>?,
    _ gradInput: UnsafeMutablePointer<UInt16>?,
    _ error: UnsafeMutablePointer<losscore_error>?
) -> losscore_status {
    CBoundary.call(#function, error) { () throws(LossError) in
        try nllLoss(ClassBuffers<Float16>(bits(input), bits(weight), n, c, inner, reduction,
            bits(out), bits(gradOutput), bits(gradInput)),
            target: target, ignoreIndex: ignoreIndex)
    }
}

@c @implementation public func losscore_nll_loss_bf16(
    _ input: UnsafePointer<UInt16>?, _ target: UnsafePointer<Int64>?, _ weight: UnsafePointer<UInt16>?,
    _ n: Int, _ c: Int, _ inner: Int, _ ignoreIndex: Int64, _ reduction: losscore_reduction,
    _ out: UnsafeMutablePointer<UInt16>?, _ gradOutput: UnsafePointer<UInt16>?,
    _ gradInput: UnsafeMutablePointer<UInt16>?,
    _ error: UnsafeMutablePointer<losscore_error>?
) -> losscore_status {
    CBoundary.call(#function, error) { () throws(LossError) in
        try nllLoss(ClassBuffers<BFloat16>(bits(input), bits(weight), n, c, inner, reduction,
            bits(out), bits(gradOutput), bits(gradInput)),
            target: target, ignoreIndex: ignoreIndex)
    }
}

@c @implementation public func losscore_focal_loss_f32(
    _ input: UnsafePointer<Float>?, _ target: UnsafePointer<Int64>?, _ weight: UnsafePointer<Float>?,
    _ n: Int, _ c: Int, _ inner: Int, _ gamma: Double, _ ignoreIndex: Int64,
    _ reduction: losscore_reduction, _ out: UnsafeMutablePointer<Float>?,
    _ gradOutput: UnsafePointer<Float>?, _ gradInput: UnsafeMutablePointer<Float>?,
    _ error: UnsafeMutablePointer<losscore_error>?
) -> losscore_status {
    CBoundary.call(#function, error) { () throws(LossError) in
        try focalLoss(ClassBuffers(input, weight, n, c, inner, reduction, out, gradOutput, gradInput),
            target: target, gamma: gamma, ignoreIndex: ignoreIndex)
    }
}

@c @implementation public func losscore_focal_loss_f64(
    _ input: UnsafePointer<Double>?, _ target: UnsafePointer<Int64>?, _ weight: UnsafePointer<Double>?,
    _ n: Int, _ c: Int, _ inner: Int, _ gamma: Double, _ ignoreIndex: Int64,
    _ reduction: losscore_reduction, _ out: UnsafeMutablePointer<Double>?,
    _ gradOutput: UnsafePointer<Double>?, _ gradInput: UnsafeMutablePointer<Double>?,
    _ error: UnsafeMutablePointer<losscore_error>?
) -> losscore_status {
    CBoundary.call(#function, error) { () throws(LossError) in
        try focalLoss(ClassBuffers(input, weight, n, c, inner, reduction, out, gradOutput, gradInput),
            target: target, gamma: gamma, ignoreIndex: ignoreIndex)
    }
}

@c @implementation public func losscore_focal_loss_f16(
    _ input: UnsafePointer<UInt16>?, _ target: UnsafePointer<Int64>?, _ weight: UnsafePointer<UInt16>?,
    _ n: Int, _ c: Int, _ inner: Int, _ gamma: Double, _ ignoreIndex: Int64,
    _ reduction: losscore_reduction, _ out: UnsafeMutablePointer<UInt16>?,
    _ gradOutput: UnsafePointer<UInt16>?, _ gradInput: UnsafeMutablePointer<UInt16>?,
    _ error: UnsafeMutablePointer<losscore_error>?
) -> losscore_status {
    CBoundary.call(#function, error) { () throws(LossError) in
        try focalLoss(ClassBuffers<Float16>(bits(input), bits(weight), n, c, inner, reduction,
            bits(out), bits(gradOutput), bits(gradInput)),
            target: target, gamma: gamma, ignoreIndex: ignoreIndex)
    }
}

@c @implementation public func losscore_focal_loss_bf16(
    _ input: UnsafePointer<UInt16>?, _ target: UnsafePointer<Int64>?, _ weight: UnsafePointer<UInt16>?,
    _ n: Int, _ c: Int, _ inner: Int, _ gamma: Double, _ ignoreIndex: Int64,
    _ reduction: losscore_reduction, _ out: UnsafeMutablePointer<UInt16>?,
    _ gradOutput: UnsafePointer<UInt16>?, _ gradInput: UnsafeMutablePointer<UInt16>?,
    _ error: UnsafeMutablePointer<losscore_error>?
) -> losscore_status {
    CBoundary.call(#function, error) { () throws(LossError) in
        try focalLoss(ClassBuffers<BFloat16>(bits(input), bits(weight), n, c, inner, reduction,
            bits(out), bits(gradOutput), bits(gradInput)),
            target: target, gamma: gamma, ignoreIndex: ignoreIndex)
    }
}
