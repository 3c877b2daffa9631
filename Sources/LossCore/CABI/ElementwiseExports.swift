import CLossABI

// The elementwise losses of include/losscore.h. Each export converts its C arguments
// (Boundary.swift) and forwards to the Swift buffer API, which validates everything before
// any kernel runs.

@c @implementation public func losscore_l1_loss_f32(
    _ input: UnsafePointer<Float>?, _ target: UnsafePointer<Float>?, _ weight: UnsafePointer<Float>?,
    _ n: Int, _ reduction: losscore_reduction, _ out: UnsafeMutablePointer<Float>?,
    _ gradOutput: UnsafePointer<Float>?, _ gradInput: UnsafeMutablePointer<Float>?,
    _ error: UnsafeMutablePointer<losscore_error>?
) -> losscore_status {
    CBoundary.call(#function, error) { () throws(LossError) in
        try l1Loss(ElementwiseBuffers(input, target, weight, n, reduction, out, gradOutput, gradInput))
    }
}

@c @implementation public func losscore_l1_loss_f64(
    _ input: UnsafePointer<Double>?, _ target: UnsafePointer<Double>?, _ weight: UnsafePointer<Double>?,
    _ n: Int, _ reduction: losscore_reduction, _ out: UnsafeMutablePointer<Double>?,
    _ gradOutput: UnsafePointer<Double>?, _ gradInput: UnsafeMutablePointer<Double>?,
    _ error: UnsafeMutablePointer<losscore_error>?
) -> losscore_status {
    CBoundary.call(#function, error) { () throws(LossError) in
        try l1Loss(ElementwiseBuffers(input, target, weight, n, reduction, out, gradOutput, gradInput))
    }
}

@c @implementation public func losscore_l1_loss_f16(
    _ input: UnsafePointer<UInt16>?, _ target: UnsafePointer<UInt16>?, _ weight: UnsafePointer<UInt16>?,
    _ n: Int, _ reduction: losscore_reduction, _ out: UnsafeMutablePointer<UInt16>?,
    _ gradOutput: UnsafePointer<UInt16>?, _ gradInput: UnsafeMutablePointer<UInt16>?,
    _ error: UnsafeMutablePointer<losscore_error>?
) -> losscore_status {
    CBoundary.call(#function, error) { () throws(LossError) in
        try l1Loss(ElementwiseBuffers<Float16>(bits(input), bits(target), bits(weight), n, reduction, bits(out),
            bits(gradOutput), bits(gradInput)))
    }
}

@c @implementation public func losscore_l1_loss_bf16(
    _ input: UnsafePointer<UInt16>?, _ target: UnsafePointer<UInt16>?, _ weight: UnsafePointer<UInt16>?,
    _ n: Int, _ reduction: losscore_reduction, _ out: UnsafeMutablePointer<UInt16>?,
    _ gradOutput: UnsafePointer<UInt16>?, _ gradInput: UnsafeMutablePointer<UInt16>?,
    _ error: UnsafeMutablePointer<losscore_error>?
) -> losscore_status {
    CBoundary.call(#function, error) { () throws(LossError) in
        try l1Loss(ElementwiseBuffers<BFloat16>(bits(input), bits(target), bits(weight), n, reduction, bits(out),
            bits(gradOutput), bits(gradInput)))
    }
}

@c @implementation public func losscore_mse_loss_f32(
    _ input: UnsafePointer<Float>?, _ target: UnsafePointer<Float>?, _ weight: UnsafePointer<Float>?,
    _ n: Int, _ reduction: losscore_reduction, _ out: UnsafeMutablePointer<Float>?,
    _ gradOutput: UnsafePointer<Float>?, _ gradInput: UnsafeMutablePointer<Float>?,
    _ error: UnsafeMutablePointer<losscore_error>?
) -> losscore_status {
    CBoundary.call(#function, error) { () throws(LossError) in
        try mseLoss(ElementwiseBuffers(input, target, weight, n, reduction, out, gradOutput, gradInput))
    }
}

@c @implementation public func losscore_mse_loss_f64(
    _ input: UnsafePointer<Double>?, _ target: UnsafePointer<Double>?, _ weight: UnsafePointer<Double>?,
    _ n: Int, _ reduction: losscore_reduction, _ out: UnsafeMutablePointer<Double>?,
    _ gradOutput: UnsafePointer<Double>?, _ gradInput: UnsafeMutablePointer<Double>?,
    _ error: UnsafeMutablePointer<losscore_error>?
) -> losscore_status {
    CBoundary.call(#function, error) { () throws(LossError) in
        try mseLoss(ElementwiseBuffers(input, target, weight, n, reduction, out, gradOutput, gradInput))
    }
}

@c @implementation public func losscore_mse_loss_f16(
    _ input: UnsafePointer<UInt16>?, _ target: UnsafePointer<UInt16>?, _ weight: UnsafePointer<UInt16>?,
    _ n: Int, _ reduction: losscore_reduction, _ out: UnsafeMutablePointer<UInt16>?,
    _ gradOutput: UnsafePointer<UInt16>?, _ gradInput: UnsafeMutablePointer<UInt16>?,
    _ error: UnsafeMutablePointer<losscore_error>?
) -> losscore_status {
    CBoundary.call(#function, error) { () throws(LossError) in
        try mseLoss(ElementwiseBuffers<Float16>(bits(input), bits(target), bits(weight), n, reduction, bits(out),
            bits(gradOutput), bits(gradInput)))
    }
}

@c @implementation public func losscore_mse_loss_bf16(
    _ input: UnsafePointer<UInt16>?, _ target: UnsafePointer<UInt16>?, _ weight: UnsafePointer<UInt16>?,
    _ n: Int, _ reduction: losscore_reduction, _ out: UnsafeMutablePointer<UInt16>?,
    _ gradOutput: UnsafePointer<UInt16>?, _ gradInput: UnsafeMutablePointer<UInt16>?,
    _ error: UnsafeMutablePointer<losscore_error>?
) -> losscore_status {
    CBoundary.call(#function, error) { () throws(LossError) in
        try mseLoss(ElementwiseBuffers<BFloat16>(bits(input), bits(target), bits(weight), n, reduction, bits(out),
            bits(gradOutput), bits(gradInput)))
    }
}

@c @implementation public func losscore_smooth_l1_loss_f32(
    _ input: UnsafePointer<Float>?, _ target: UnsafePointer<Float>?, _ n: Int,
    _ reduction: losscore_reduction, _ beta: Double, _ out: UnsafeMutablePointer<Float>?,
    _ gradOutput: UnsafePointer<Float>?, _ gradInput: UnsafeMutablePointer<Float>?,
    _ error: UnsafeMutablePointer<losscore_error>?
) -> losscore_status {
    CBoundary.call(#function, error) { () throws(LossError) in
        try smoothL1Loss(ElementwiseBuffers(input, target, nil, n, reduction, out, gradOutput, gradInput),
            beta: beta)
    }
}

@c @implementation public func losscore_smooth_l1_loss_f64(
    _ input: UnsafePointer<Double>?, _ target: UnsafePointer<Double>?, _ n: Int,
    _ reduction: losscore_reduction, _ beta: Double, _ out: UnsafeMutablePointer<Double>?,
    _ gradOutput: UnsafePointer<Double>?, _ gradInput: UnsafeMutablePointer<Double>?,
    _ error: UnsafeMutablePointer<losscore_error>?
) -> losscore_status {
    CBoundary.call(#function, error) { () throws(LossError) in
        try smoothL1Loss(ElementwiseBuffers(input, target, nil, n, reduction, out, gradOutput, gradInput),
            beta: beta)
    }
}

@c @implementation public func losscore_smooth_l1_loss_f16(
    _ input: UnsafePointer<UInt16>?, _ target: UnsafePointer<UInt16>?, _ n: Int,
    _ reduction: losscore_reduction, _ beta: Double, _ out: UnsafeMutablePointer<UInt16>?,
    _ gradOutput: UnsafePointer<UInt16>?, _ gradInput: UnsafeMutablePointer<UInt16>?,
    _ error: UnsafeMutablePointer<losscore_error>?
) -> losscore_status {
    CBoundary.call(#function, error) { () throws(LossError) in
        try smoothL1Loss(ElementwiseBuffers<Float16>(bits(input), bits(target), nil, n, reduction, bits(out),
            bits(gradOutput), bits(gradInput)),
            beta: beta)
    }
}

@c @implementation public func losscore_smooth_l1_loss_bf16(
    _ input: UnsafePointer<UInt16>?, _ target: UnsafePointer<UInt16>?, _ n: Int,
    _ reduction: losscore_reduction, _ beta: Double, _ out: UnsafeMutablePointer<UInt16>?,
    _ gradOutput: UnsafePointer<UInt16>?, _ gradInput: UnsafeMutablePointer<UInt16>?,
    _ error: UnsafeMutablePointer<losscore_error>?
) -> losscore_status {
    CBoundary.call(#function, error) { () throws(LossError) in
        try smoothL1Loss(ElementwiseBuffers<BFloat16>(bits(input), bits(target), nil, n, reduction, bits(out),
            bits(gradOutput), bits(gradInput)),
            beta: beta)
    }
}

@c @implementation public func losscore_huber_loss_f32(
    _ input: UnsafePointer<Float>?, _ target: UnsafePointer<Float>?, _ weight: UnsafePointer<Float>?,
    _ n: Int, _ reduction: losscore_reduction, _ delta: Double, _ out: UnsafeMutablePointer<Float>?,
    _ gradOutput: UnsafePointer<Float>?, _ gradInput: UnsafeMutablePointer<Float>?,
    _ error: UnsafeMutablePointer<losscore_error>?
) -> losscore_status {
    CBoundary.call(#function, error) { () throws(LossError) in
        try huberLoss(ElementwiseBuffers(input, target, weight, n, reduction, out, gradOutput, gradInput),
            delta: delta)
    }
}

@c @implementation public func losscore_huber_loss_f64(
    _ input: UnsafePointer<Double>?, _ target: UnsafePointer<Double>?, _ weight: UnsafePointer<Double>?,
    _ n: Int, _ reduction: losscore_reduction, _ delta: Double, _ out: UnsafeMutablePointer<Double>?,
    _ gradOutput: UnsafePointer<Double>?, _ gradInput: UnsafeMutablePointer<Double>?,
    _ error: UnsafeMutablePointer<losscore_error>?
) -> losscore_status {
    CBoundary.call(#function, error) { () throws(LossError) in
        try huberLoss(ElementwiseBuffers(input, target, weight, n, reduction, out, gradOutput, gradInput),
            delta: delta)
    }
}

@c @implementation public func losscore_huber_loss_f16(
    _ input: UnsafePointer<UInt16>?, _ target: UnsafePointer<UInt16>?, _ weight: UnsafePointer<UInt16>?,
    _ n: Int, _ reduction: losscore_reduction, _ delta: Double, _ out: UnsafeMutablePointer<UInt16>?,
    _ gradOutput: UnsafePointer<UInt16>?, _ gradInput: UnsafeMutablePointer<UInt16>?,
    _ error: UnsafeMutablePointer<losscore_error>?
) -> losscore_status {
    CBoundary.call(#function, error) { () throws(LossError) in
        try huberLoss(ElementwiseBuffers<Float16>(bits(input), bits(target), bits(weight), n, reduction, bits(out),
            bits(gradOutput), bits(gradInput)),
            delta: delta)
    }
}

@c @implementation public func losscore_huber_loss_bf16(
    _ input: UnsafePointer<UInt16>?, _ target: UnsafePointer<UInt16>?, _ weight: UnsafePointer<UInt16>?,
    _ n: Int, _ reduction: losscore_reduction, _ delta: Double, _ out: UnsafeMutablePointer<UInt16>?,
    _ gradOutput: UnsafePointer<UInt16>?, _ gradInput: UnsafeMutablePointer<UInt16>?,
    _ error: UnsafeMutablePointer<losscore_error>?
) -> losscore_status {
    CBoundary.call(#function, error) { () throws(LossError) in
        try huberLoss(ElementwiseBuffers<BFloat16>(bits(input), bits(target), bits(weight), n, reduction, bits(out),
            bits(gradOutput), bits(gradInput)),
            delta: delta)
    }
}

@c @implementation public func losscore_binary_cross_entropy_f32(
    _ input: UnsafePointer<Float>?, _ target: UnsafePointer<Float>?, _ weight: UnsafePointer<Float>?,
    _ n: Int, _ reduction: losscore_reduction, _ out: UnsafeMutablePointer<Float>?,
    _ gradOutput: UnsafePointer<Float>?, _ gradInput: UnsafeMutablePointer<Float>?,
    _ error: UnsafeMutablePointer<losscore_error>?
) -> losscore_status {
    CBoundary.call(#function, error) { () throws(LossError) in
        try binaryCrossEntropy(ElementwiseBuffers(input, target, weight, n, reduction, out, gradOutput, gradInput))
    }
}

@c @implementation public func losscore_binary_cross_entropy_f64(
    _ input: UnsafePointer<Double>?, _ target: UnsafePointer<Double>?, _ weight: UnsafePointer<Double>?,
    _ n: Int, _ reduction: losscore_reduction, _ out: UnsafeMutablePointer<Double>?,
    _ gradOutput: UnsafePointer<Double>?, _ gradInput: UnsafeMutablePointer<Double>?,
    _ error: UnsafeMutablePointer<losscore_error>?
) -> losscore_status {
    CBoundary.call(#function, error) { () throws(LossError) in
        try binaryCrossEntropy(ElementwiseBuffers(input, target, weight, n, reduction, out, gradOutput, gradInput))
    }
}

@c @implementation public func losscore_binary_cross_entropy_f16(
    _ input: UnsafePointer<UInt16>?, _ target: UnsafePointer<UInt16>?, _ weight: UnsafePointer<UInt16>?,
    _ n: Int, _ reduction: losscore_reduction, _ out: UnsafeMutablePointer<UInt16>?,
    _ gradOutput: UnsafePointer<UInt16>?, _ gradInput: UnsafeMutablePointer<UInt16>?,
    _ error: UnsafeMutablePointer<losscore_error>?
) -> losscore_status {
    CBoundary.call(#function, error) { () throws(LossError) in
        try binaryCrossEntropy(ElementwiseBuffers<Float16>(bits(input), bits(target), bits(weight), n, reduction, bits(out),
            bits(gradOutput), bits(gradInput)))
    }
}

@c @implementation public func losscore_binary_cross_entropy_bf16(
    _ input: UnsafePointer<UInt16>?, _ target: UnsafePointer<UInt16>?, _ weight: UnsafePointer<UInt16>?,
    _ n: Int, _ reduction: losscore_reduction, _ out: UnsafeMutablePointer<UInt16>?,
    _ gradOutput: UnsafePointer<UInt16>?, _ gradInput: UnsafeMutablePointer<UInt16>?,
    _ error: UnsafeMutablePointer<losscore_error>?
) -> losscore_status {
    CBoundary.call(#function, error) { () throws(LossError) in
        try binaryCrossEntropy(ElementwiseBuffers<BFloat16>(bits(input), bits(target), bits(weight), n, reduction, bits(out),
            bits(gradOutput), bits(gradInput)))
    }
}

@c @implementation public func losscore_binary_cross_entropy_with_logits_f32(
    _ input: UnsafePointer<Float>?, _ target: UnsafePointer<Float>?, _ weight: UnsafePointer<Float>?,
    _ posWeight: UnsafePointer<Float>?, _ posWeightCount: Int, _ n: Int, _ reduction: losscore_reduction,
    _ out: UnsafeMutablePointer<Float>?, _ gradOutput: UnsafePointer<Float>?,
    _ gradInput: UnsafeMutablePointer<Float>?,
    _ error: UnsafeMutablePointer<losscore_error>?
) -> losscore_status {
    CBoundary.call(#function, error) { () throws(LossError) in
        try binaryCrossEntropyWithLogits(ElementwiseBuffers(input, target, weight, n, reduction, out, gradOutput, gradInput),
            posWeight: posWeight, posWeightCount: posWeightCount)
    }
}

@c @implementation public func losscore_binary_cross_entropy_with_logits_f64(
    _ input: UnsafePointer<Double>?, _ target: UnsafePointer<Double>?, _ weight: UnsafePointer<Double>?,
    _ posWeight: UnsafePointer<Double>?, _ posWeightCount: Int, _ n: Int,
    _ reduction: losscore_reduction, _ out: UnsafeMutablePointer<Double>?,
    _ gradOutput: UnsafePointer<Double>?, _ gradInput: UnsafeMutablePointer<Double>?,
    _ error: UnsafeMutablePointer<losscore_error>?
) -> losscore_status {
    CBoundary.call(#function, error) { () throws(LossError) in
        try binaryCrossEntropyWithLogits(ElementwiseBuffers(input, target, weight, n, reduction, out, gradOutput, gradInput),
            posWeight: posWeight, posWeightCount: posWeightCount)
    }
}

@c @implementation public func losscore_binary_cross_entropy_with_logits_f16(
    _ input: UnsafePointer<UInt16>?, _ target: UnsafePointer<UInt16>?, _ weight: UnsafePointer<UInt16>?,
    _ posWeight: UnsafePointer<UInt16>?, _ posWeightCount: Int, _ n: Int,
    _ reduction: losscore_reduction, _ out: UnsafeMutablePointer<UInt16>?,
    _ gradOutput: UnsafePointer<UInt16>?, _ gradInput: UnsafeMutablePointer<UInt16>?,
    _ error: UnsafeMutablePointer<losscore_error>?
) -> losscore_status {
    CBoundary.call(#function, error) { () throws(LossError) in
        try binaryCrossEntropyWithLogits(
            ElementwiseBuffers<Float16>(bits(input), bits(target), bits(weight), n, reduction, bits(out), bits(gradOutput),
                bits(gradInput)),
            posWeight: bits(posWeight), posWeightCount: posWeightCount)
    }
}

@c @implementation public func losscore_binary_cross_entropy_with_logits_bf16(
    _ input: UnsafePointer<UInt16>?, _ target: UnsafePointer<UInt16>?, _ weight: UnsafePointer<UInt16>?,
    _ posWeight: UnsafePointer<UInt16>?, _ posWeightCount: Int, _ n: Int,
    _ reduction: losscore_reduction, _ out: UnsafeMutablePointer<UInt16>?,
    _ gradOutput: UnsafePointer<UInt16>?, _ gradInput: UnsafeMutablePointer<UInt16>?,
    _ error: UnsafeMutablePointer<losscore_error>?
) -> losscore_status {
    CBoundary.call(#function, error) { () throws(LossError) in
        try binaryCrossEntropyWithLogits(
            ElementwiseBuffers<BFloat16>(bits(input), bits(target), bits(weight), n, reduction, bits(out), bits(gradOutput),
                bits(gradInput)),
            posWeight: bits(posWeight), posWeightCount: posWeightCount)
    }
}

@c @implementation public func losscore_sigmoid_focal_loss_f32(
    _ input: UnsafePointer<Float>?, _ target: UnsafePointer<Float>?, _ n: Int,
    _ reduction: losscore_reduction, _ alpha: Double, _ gamma: Double,
    _ out: UnsafeMutablePointer<Float>?, _ gradOutput: UnsafePointer<Float>?,
    _ gradInput: UnsafeMutablePointer<Float>?,
    _ error: UnsafeMutablePointer<losscore_error>?
) -> losscore_status {
    CBoundary.call(#function, error) { () throws(LossError) in
        try sigmoidFocalLoss(ElementwiseBuffers(input, target, nil, n, reduction, out, gradOutput, gradInput),
            alpha: alpha, gamma: gamma)
    }
}

@c @implementation public func losscore_sigmoid_focal_loss_f64(
    _ input: UnsafePointer<Double>?, _ target: UnsafePointer<Double>?, _ n: Int,
    _ reduction: losscore_reduction, _ alpha: Double, _ gamma: Double,
    _ out: UnsafeMutablePointer<Double>?, _ gradOutput: UnsafePointer<Double>?,
    _ gradInput: UnsafeMutablePointer<Double>?,
    _ error: UnsafeMutablePointer<losscore_error>?
) -> losscore_status {
    CBoundary.call(#function, error) { () throws(LossError) in
        try sigmoidFocalLoss(ElementwiseBuffers(input, target, nil, n, reduction, out, gradOutput, gradInput),
            alpha: alpha, gamma: gamma)
    }
}

@c @implementation public func losscore_sigmoid_focal_loss_f16(
    _ input: UnsafePointer<UInt16>?, _ target: UnsafePointer<UInt16>?, _ n: Int,
    _ reduction: losscore_reduction, _ alpha: Double, _ gamma: Double,
    _ out: UnsafeMutablePointer<UInt16>?, _ gradOutput: UnsafePointer<UInt16>?,
    _ gradInput: UnsafeMutablePointer<UInt16>?,
    _ error: UnsafeMutablePointer<losscore_error>?
) -> losscore_status {
    CBoundary.call(#function, error) { () throws(LossError) in
        try sigmoidFocalLoss(ElementwiseBuffers<Float16>(bits(input), bits(target), nil, n, reduction, bits(out),
            bits(gradOutput), bits(gradInput)),
            alpha: alpha, gamma: gamma)
    }
}

@c @implementation public func losscore_sigmoid_focal_loss_bf16(
    _ input: UnsafePointer<UInt16>?, _ target: UnsafePointer<UInt16>?, _ n: Int,
    _ reduction: losscore_reduction, _ alpha: Double, _ gamma: Double,
    _ out: UnsafeMutablePointer<UInt16>?, _ gradOutput: UnsafePointer<UInt16>?,
    _ gradInput: UnsafeMutablePointer<UInt16>?,
    _ error: UnsafeMutablePointer<losscore_error>?
) -> losscore_status {
    CBoundary.call(#function, error) { () throws(LossError) in
        try sigmoidFocalLoss(ElementwiseBuffers<BFloat16>(bits(input), bits(target), nil, n, reduction, bits(out),
            bits(gradOutput), bits(gradInput)),
            alpha: alpha, gamma: gamma)
    }
}

@c @implementation public func losscore_soft_margin_loss_f32(
    _ input: UnsafePointer<Float>?, _ target: UnsafePointer<Float>?, _ n: Int, _ reduction: losscore_reduction,
    _ out: UnsafeMutablePointer<Float>?, _ gradOutput: UnsafePointer<Float>?,
    _ gradInput: UnsafeMutablePointer<Float>?,
    _ error: UnsafeMutablePointer<losscore_error>?
) -> losscore_status {
    CBoundary.call(#function, error) { () throws(LossError) in
        try softMarginLoss(ElementwiseBuffers(input, target, nil, n, reduction, out, gradOutput, gradInput))
    }
}

@c @implementation public func losscore_soft_margin_loss_f64(
    _ input: UnsafePointer<Double>?, _ target: UnsafePointer<Double>?, _ n: Int, _ reduction: losscore_reduction,
    _ out: UnsafeMutablePointer<Double>?, _ gradOutput: UnsafePointer<Double>?,
    _ gradInput: UnsafeMutablePointer<Double>?,
    _ error: UnsafeMutablePointer<losscore_error>?
) -> losscore_status {
    CBoundary.call(#function, error) { () throws(LossError) in
        try softMarginLoss(ElementwiseBuffers(input, target, nil, n, reduction, out, gradOutput, gradInput))
    }
}

@c @implementation public func losscore_soft_margin_loss_f16(
    _ input: UnsafePointer<UInt16>?, _ target: UnsafePointer<UInt16>?, _ n: Int, _ reduction: losscore_reduction,
    _ out: UnsafeMutablePointer<UInt16>?, _ gradOutput: UnsafePointer<UInt16>?,
    _ gradInput: UnsafeMutablePointer<UInt16>?,
    _ error: UnsafeMutablePointer<losscore_error>?
) -> losscore_status {
    CBoundary.call(#function, error) { () throws(LossError) in
        try softMarginLoss(ElementwiseBuffers<Float16>(bits(input), bits(target), nil, n, reduction, bits(out),
            bits(gradOutput), bits(gradInput)))
    }
}

@c @implementation public func losscore_soft_margin_loss_bf16(
    _ input: UnsafePointer<UInt16>?, _ target: UnsafePointer<UInt16>?, _ n: Int, _ reduction: losscore_reduction,
    _ out: UnsafeMutablePointer<UInt16>?, _ gradOutput: UnsafePointer<UInt16>?,
    _ gradInput: UnsafeMutablePointer<UInt16>?,
    _ error: UnsafeMutablePointer<losscore_error>?
) -> losscore_status {
    CBoundary.call(#function, error) { () throws(LossError) in
        try softMarginLoss(ElementwiseBuffers<BFloat16>(bits(input), bits(target), nil, n, reduction, bits(out),
            bits(gradOutput), bits(gradInput)))
    }
}

@c @implementation public func losscore_hinge_embedding_loss_f32(
    _ input: UnsafePointer<Float>?, _ target: UnsafePointer<Float>?, _ n: Int, _ reduction: losscore_reduction,
    _ margin: Double, _ out: UnsafeMutablePointer<Float>?, _ gradOutput: UnsafePointer<Float>?,
    _ gradInput: UnsafeMutablePointer<Float>?,
    _ error: UnsafeMutablePointer<losscore_error>?
) -> losscore_status {
    CBoundary.call(#function, error) { () throws(LossError) in
        try hingeEmbeddingLoss(ElementwiseBuffers(input, target, nil, n, reduction, out, gradOutput, gradInput),
            margin: margin)
    }
}

@c @implementation public func losscore_hinge_embedding_loss_f64(
    _ input: UnsafePointer<Double>?, _ target: UnsafePointer<Double>?, _ n: Int, _ reduction: losscore_reduction,
    _ margin: Double, _ out: UnsafeMutablePointer<Double>?, _ gradOutput: UnsafePointer<Double>?,
    _ gradInput: UnsafeMutablePointer<Double>?,
    _ error: UnsafeMutablePointer<losscore_error>?
) -> losscore_status {
    CBoundary.call(#function, error) { () throws(LossError) in
        try hingeEmbeddingLoss(ElementwiseBuffers(input, target, nil, n, reduction, out, gradOutput, gradInput),
            margin: margin)
    }
}

@c @implementation public func losscore_hinge_embedding_loss_f16(
    _ input: UnsafePointer<UInt16>?, _ target: UnsafePointer<UInt16>?, _ n: Int, _ reduction: losscore_reduction,
    _ margin: Double, _ out: UnsafeMutablePointer<UInt16>?, _ gradOutput: UnsafePointer<UInt16>?,
    _ gradInput: UnsafeMutablePointer<UInt16>?,
    _ error: UnsafeMutablePointer<losscore_error>?
) -> losscore_status {
    CBoundary.call(#function, error) { () throws(LossError) in
        try hingeEmbeddingLoss(ElementwiseBuffers<Float16>(bits(input), bits(target), nil, n, reduction, bits(out),
            bits(gradOutput), bits(gradInput)),
            margin: margin)
    }
}

@c @implementation public func losscore_hinge_embedding_loss_bf16(
    _ input: UnsafePointer<UInt16>?, _ target: UnsafePointer<UInt16>?, _ n: Int, _ reduction: losscore_reduction,
    _ margin: Double, _ out: UnsafeMutablePointer<UInt16>?, _ gradOutput: UnsafePointer<UInt16>?,
    _ gradInput: UnsafeMutablePointer<UInt16>?,
    _ error: UnsafeMutablePointer<losscore_error>?
) -> losscore_status {
    CBoundary.call(#function, error) { () throws(LossError) in
        try hingeEmbeddingLoss(ElementwiseBuffers<BFloat16>(bits(input), bits(target), nil, n, reduction, bits(out),
            bits(gradOutput), bits(gradInput)),
            margin: margin)
    }
}

@c @implementation public func losscore_kl_div_f32(
    _ input: UnsafePointer<Float>?, _ target: UnsafePointer<Float>?, _ n: Int, _ reduction: losscore_reduction,
    _ logTarget: Int32, _ out: UnsafeMutablePointer<Float>?, _ gradOutput: UnsafePointer<Float>?,
    _ gradInput: UnsafeMutablePointer<Float>?,
    _ error: UnsafeMutablePointer<losscore_error>?
) -> losscore_status {
    CBoundary.call(#function, error) { () throws(LossError) in
        try klDivLoss(ElementwiseBuffers(input, target, nil, n, reduction, out, gradOutput, gradInput),
            logTarget: CBoundary.flag(logTarget, "log_target"))
    }
}

@c @implementation public func losscore_kl_div_f64(
    _ input: UnsafePointer<Double>?, _ target: UnsafePointer<Double>?, _ n: Int, _ reduction: losscore_reduction,
    _ logTarget: Int32, _ out: UnsafeMutablePointer<Double>?, _ gradOutput: UnsafePointer<Double>?,
    _ gradInput: UnsafeMutablePointer<Double>?,
    _ error: UnsafeMutablePointer<losscore_error>?
) -> losscore_status {
    CBoundary.call(#function, error) { () throws(LossError) in
        try klDivLoss(ElementwiseBuffers(input, target, nil, n, reduction, out, gradOutput, gradInput),
            logTarget: CBoundary.flag(logTarget, "log_target"))
    }
}

@c @implementation public func losscore_kl_div_f16(
    _ input: UnsafePointer<UInt16>?, _ target: UnsafePointer<UInt16>?, _ n: Int, _ reduction: losscore_reduction,
    _ logTarget: Int32, _ out: UnsafeMutablePointer<UInt16>?, _ gradOutput: UnsafePointer<UInt16>?,
    _ gradInput: UnsafeMutablePointer<UInt16>?,
    _ error: UnsafeMutablePointer<losscore_error>?
) -> losscore_status {
    CBoundary.call(#function, error) { () throws(LossError) in
        try klDivLoss(ElementwiseBuffers<Float16>(bits(input), bits(target), nil, n, reduction, bits(out),
            bits(gradOutput), bits(gradInput)),
            logTarget: CBoundary.flag(logTarget, "log_target"))
    }
}

@c @implementation public func losscore_kl_div_bf16(
    _ input: UnsafePointer<UInt16>?, _ target: UnsafePointer<UInt16>?, _ n: Int, _ reduction: losscore_reduction,
    _ logTarget: Int32, _ out: UnsafeMutablePointer<UInt16>?, _ gradOutput: UnsafePointer<UInt16>?,
    _ gradInput: UnsafeMutablePointer<UInt16>?,
    _ error: UnsafeMutablePointer<losscore_error>?
) -> losscore_status {
    CBoundary.call(#function, error) { () throws(LossError) in
        try klDivLoss(ElementwiseBuffers<BFloat16>(bits(input), bits(target), nil, n, reduction, bits(out),
            bits(gradOutput), bits(gradInput)),
            logTarget: CBoundary.flag(logTarget, "log_target"))
    }
}

@c @implementation public func losscore_poisson_nll_loss_f32(
    _ input: UnsafePointer<Float>?, _ target: UnsafePointer<Float>?, _ n: Int, _ reduction: losscore_reduction,
    _ logInput: Int32, _ full: Int32, _ eps: Double, _ out: UnsafeMutablePointer<Float>?,
    _ gradOutput: UnsafePointer<Float>?, _ gradInput: UnsafeMutablePointer<Float>?,
    _ error: UnsafeMutablePointer<losscore_error>?
) -> losscore_status {
    CBoundary.call(#function, error) { () throws(LossError) in
        try poissonNLLLoss(ElementwiseBuffers(input, target, nil, n, reduction, out, gradOutput, gradInput),
            logInput: CBoundary.flag(logInput, "log_input"), full: CBoundary.flag(full, "full"), eps: eps)
    }
}

@c @implementation public func losscore_poisson_nll_loss_f64(
    _ input: UnsafePointer<Double>?, _ target: UnsafePointer<Double>?, _ n: Int, _ reduction: losscore_reduction,
    _ logInput: Int32, _ full: Int32, _ eps: Double, _ out: UnsafeMutablePointer<Double>?,
    _ gradOutput: UnsafePointer<Double>?, _ gradInput: UnsafeMutablePointer<Double>?,
    _ error: UnsafeMutablePointer<losscore_error>?
) -> losscore_status {
    CBoundary.call(#function, error) { () throws(LossError) in
        try poissonNLLLoss(ElementwiseBuffers(input, target, nil, n, reduction, out, gradOutput, gradInput),
            logInput: CBoundary.flag(logInput, "log_input"), full: CBoundary.flag(full, "full"), eps: eps)
    }
}

@c @implementation public func losscore_poisson_nll_loss_f16(
    _ input: UnsafePointer<UInt16>?, _ target: UnsafePointer<UInt16>?, _ n: Int, _ reduction: losscore_reduction,
    _ logInput: Int32, _ full: Int32, _ eps: Double, _ out: UnsafeMutablePointer<UInt16>?,
    _ gradOutput: UnsafePointer<UInt16>?, _ gradInput: UnsafeMutablePointer<UInt16>?,
    _ error: UnsafeMutablePointer<losscore_error>?
) -> losscore_status {
    CBoundary.call(#function, error) { () throws(LossError) in
        try poissonNLLLoss(ElementwiseBuffers<Float16>(bits(input), bits(target), nil, n, reduction, bits(out),
            bits(gradOutput), bits(gradInput)),
            logInput: CBoundary.flag(logInput, "log_input"), full: CBoundary.flag(full, "full"), eps: eps)
    }
}

@c @implementation public func losscore_poisson_nll_loss_bf16(
    _ input: UnsafePointer<UInt16>?, _ target: UnsafePointer<UInt16>?, _ n: Int, _ reduction: losscore_reduction,
    _ logInput: Int32, _ full: Int32, _ eps: Double, _ out: UnsafeMutablePointer<UInt16>?,
    _ gradOutput: UnsafePointer<UInt16>?, _ gradInput: UnsafeMutablePointer<UInt16>?,
    _ error: UnsafeMutablePointer<losscore_error>?
) -> losscore_status {
    CBoundary.call(#function, error) { () throws(LossError) in
        try poissonNLLLoss(ElementwiseBuffers<BFloat16>(bits(input), bits(target), nil, n, reduction, bits(out),
            bits(gradOutput), bits(gradInput)),
            logInput: CBoundary.flag(logInput, "log_input"), full: CBoundary.flag(full, "full"), eps: eps)
    }
}

@c @implementation public func losscore_margin_ranking_loss_f32(
    _ input1: UnsafePointer<Float>?, _ input2: UnsafePointer<Float>?, _ target: UnsafePointer<Float>?, _ n: Int,
    _ reduction: losscore_reduction, _ margin: Double, _ out: UnsafeMutablePointer<Float>?,
    _ gradOutput: UnsafePointer<Float>?, _ gradInput1: UnsafeMutablePointer<Float>?, _ gradInput2: UnsafeMutablePointer<Float>?,
    _ error: UnsafeMutablePointer<losscore_error>?
) -> losscore_status {
    CBoundary.call(#function, error) { () throws(LossError) in
        try marginRankingLoss(OperandBuffers(input1, input2, target, n, 1, 1, reduction, out, gradOutput, gradInput1, gradInput2),
            margin: margin)
    }
}

@c @implementation public func losscore_margin_ranking_loss_f64(
    _ input1: UnsafePointer<Double>?, _ input2: UnsafePointer<Double>?, _ target: UnsafePointer<Double>?, _ n: Int,
    _ reduction: losscore_reduction, _ margin: Double, _ out: UnsafeMutablePointer<Double>?,
    _ gradOutput: UnsafePointer<Double>?, _ gradInput1: UnsafeMutablePointer<Double>?, _ gradInput2: UnsafeMutablePointer<Double>?,
    _ error: UnsafeMutablePointer<losscore_error>?
) -> losscore_status {
    CBoundary.call(#function, error) { () throws(LossError) in
        try marginRankingLoss(OperandBuffers(input1, input2, target, n, 1, 1, reduction, out, gradOutput, gradInput1, gradInput2),
            margin: margin)
    }
}

@c @implementation public func losscore_margin_ranking_loss_f16(
    _ input1: UnsafePointer<UInt16>?, _ input2: UnsafePointer<UInt16>?, _ target: UnsafePointer<UInt16>?, _ n: Int,
    _ reduction: losscore_reduction, _ margin: Double, _ out: UnsafeMutablePointer<UInt16>?,
    _ gradOutput: UnsafePointer<UInt16>?, _ gradInput1: UnsafeMutablePointer<UInt16>?, _ gradInput2: UnsafeMutablePointer<UInt16>?,
    _ error: UnsafeMutablePointer<losscore_error>?
) -> losscore_status {
    CBoundary.call(#function, error) { () throws(LossError) in
        try marginRankingLoss(OperandBuffers<Float16>(bits(input1), bits(input2), bits(target), n, 1, 1, reduction,
            bits(out), bits(gradOutput), bits(gradInput1), bits(gradInput2)),
            margin: margin)
    }
}

@c @implementation public func losscore_margin_ranking_loss_bf16(
    _ input1: UnsafePointer<UInt16>?, _ input2: UnsafePointer<UInt16>?, _ target: UnsafePointer<UInt16>?, _ n: Int,
    _ reduction: losscore_reduction, _ margin: Double, _ out: UnsafeMutablePointer<UInt16>?,
    _ gradOutput: UnsafePointer<UInt16>?, _ gradInput1: UnsafeMutablePointer<UInt16>?, _ gradInput2: UnsafeMutablePointer<UInt16>?,
    _ error: UnsafeMutablePointer<losscore_error>?
) -> losscore_status {
    CBoundary.call(#function, error) { () throws(LossError) in
        try marginRankingLoss(OperandBuffers<BFloat16>(bits(input1), bits(input2), bits(target), n, 1, 1, reduction,
            bits(out), bits(gradOutput), bits(gradInput1), bits(gradInput2)),
            margin: margin)
    }
}

@c @implementation public func losscore_gaussian_nll_loss_f32(
    _ input: UnsafePointer<Float>?, _ target: UnsafePointer<Float>?, _ variance: UnsafePointer<Float>?, _ n: Int,
    _ varRepeat: Int, _ varInner: Int, _ reduction: losscore_reduction, _ full: Int32, _ eps: Double,
    _ out: UnsafeMutablePointer<Float>?, _ gradOutput: UnsafePointer<Float>?, _ gradInput: UnsafeMutablePointer<Float>?,
    _ gradVar: UnsafeMutablePointer<Float>?,
    _ error: UnsafeMutablePointer<losscore_error>?
) -> losscore_status {
    CBoundary.call(#function, error) { () throws(LossError) in
        try gaussianNLLLoss(OperandBuffers(input, target, variance, n, varRepeat, varInner, reduction, out, gradOutput,
                                           gradInput, gradVar),
            full: CBoundary.flag(full, "full"), eps: eps)
    }
}

@c @implementation public func losscore_gaussian_nll_loss_f64(
    _ input: UnsafePointer<Double>?, _ target: UnsafePointer<Double>?, _ variance: UnsafePointer<Double>?, _ n: Int,
    _ varRepeat: Int, _ varInner: Int, _ reduction: losscore_reduction, _ full: Int32, _ eps: Double,
    _ out: UnsafeMutablePointer<Double>?, _ gradOutput: UnsafePointer<Double>?, _ gradInput: UnsafeMutablePointer<Double>?,
    _ gradVar: UnsafeMutablePointer<Double>?,
    _ error: UnsafeMutablePointer<losscore_error>?
) -> losscore_status {
    CBoundary.call(#function, error) { () throws(LossError) in
        try gaussianNLLLoss(OperandBuffers(input, target, variance, n, varRepeat, varInner, reduction, out, gradOutput,
                                           gradInput, gradVar),
            full: CBoundary.flag(full, "full"), eps: eps)
    }
}

@c @implementation public func losscore_gaussian_nll_loss_f16(
    _ input: UnsafePointer<UInt16>?, _ target: UnsafePointer<UInt16>?, _ variance: UnsafePointer<UInt16>?, _ n: Int,
    _ varRepeat: Int, _ varInner: Int, _ reduction: losscore_reduction, _ full: Int32, _ eps: Double,
    _ out: UnsafeMutablePointer<UInt16>?, _ gradOutput: UnsafePointer<UInt16>?, _ gradInput: UnsafeMutablePointer<UInt16>?,
    _ gradVar: UnsafeMutablePointer<UInt16>?,
    _ error: UnsafeMutablePointer<losscore_error>?
) -> losscore_status {
    CBoundary.call(#function, error) { () throws(LossError) in
        try gaussianNLLLoss(OperandBuffers<Float16>(bits(input), bits(target), bits(variance), n, varRepeat, varInner,
                                                    reduction, bits(out), bits(gradOutput), bits(gradInput), bits(gradVar)),
            full: CBoundary.flag(full, "full"), eps: eps)
    }
}

@c @implementation public func losscore_gaussian_nll_loss_bf16(
    _ input: UnsafePointer<UInt16>?, _ target: UnsafePointer<UInt16>?, _ variance: UnsafePointer<UInt16>?, _ n: Int,
    _ varRepeat: Int, _ varInner: Int, _ reduction: losscore_reduction, _ full: Int32, _ eps: Double,
    _ out: UnsafeMutablePointer<UInt16>?, _ gradOutput: UnsafePointer<UInt16>?, _ gradInput: UnsafeMutablePointer<UInt16>?,
    _ gradVar: UnsafeMutablePointer<UInt16>?,
    _ error: UnsafeMutablePointer<losscore_error>?
) -> losscore_status {
    CBoundary.call(#function, error) { () throws(LossError) in
        try gaussianNLLLoss(OperandBuffers<BFloat16>(bits(input), bits(target), bits(variance), n, varRepeat, varInner,
                                                     reduction, bits(out), bits(gradOutput), bits(gradInput), bits(gradVar)),
            full: CBoundary.flag(full, "full"), eps: eps)
    }
}
