/// Mean squared error, `torch.nn.functional.mse_loss`.
///
///     l_i = w_i * (x_i - y_i)^2,      dl_i/dx_i = 2 w_i (x_i - y_i)
///
/// 'mean' divides by sum_i w_i (by n without weights).
struct MSE<Scalar: LossScalar>: ElementwiseLoss {
    @inline(__always) func value(_ x: Scalar, _ y: Scalar) -> Scalar {
        let d = x - y
        return d * d
    }

    @inline(__always) func valueAndDerivative(_ x: Scalar, _ y: Scalar) -> (Scalar, Scalar) {
        let d = x - y
        return (d * d, 2 * d)
    }

    var hasLanes: Bool { true }

    @inline(__always)
    func lanes(_ x: SIMD16<Float>, _ y: SIMD16<Float>, derivative: Bool) -> (SIMD16<Float>, SIMD16<Float>) {
        let d = x - y
        return (d * d, derivative ? 2 * d : SIMD16())
    }
}

/// The mean squared error over raw buffers, as `torch.nn.functional.mse_loss`: writes `out` and, where gradient
/// buffers are set, the gradient.
///
///     loss[i] = weight[i] * (input[i] - target[i])^2
///
/// - Parameters:
///   - buffers: The call's buffers: `input`, `target` and the optional `weight` of `count` values, the
///     `reduction`, `out` (one value, or `count` for `.none`), and, for the gradient, `gradInput` (`count`
///     values) with the optional `gradOutput`.
/// - Throws: `LossError` when a size, an option or an index is out of its domain (the message names the
///   argument); nothing is written then.
///
/// ## Reduction
///
/// `.none`: one loss per element; `.mean`: their sum divided by `sum(weight)` (the element count without
/// weights); `.sum`: their sum. The buffers' `reduction` chooses it.
///
/// ## Gradients
///
/// Written to the gradient buffers that are set, scaled by `gradOutput` (nil means ones), in the same pass as
/// the loss:
///
///     d loss[i] / d input[i] = 2 * weight[i] * (input[i] - target[i])
public func mseLoss<T: LossStorage>(_ buffers: ElementwiseBuffers<T>) throws(LossError) {
    try ElementwiseDriver.validate(buffers)
    ElementwiseDriver.run(MSE<T.Compute>(), buffers, mean: .weightSum)
}

/// The mean squared error, as `torch.nn.functional.mse_loss`.
///
///     loss[i] = weight[i] * (input[i] - target[i])^2
///
/// - Parameters:
///   - input: The predictions: any number of values.
///   - target: The targets: as many values as `input`.
///   - weight: Per-element weights, as many as `input`; nil weighs every element 1. Default `nil`.
///   - reduction: How the losses combine: `.none`, `.mean` or `.sum` (see Reduction). Default `.mean`.
/// - Returns: The loss: `.elementwise` with one loss per element for `.none`, else `.reduced` with one value.
/// - Throws: `LossError` when a size, an option or an index is out of its domain (the message names the
///   argument); nothing is written then.
///
/// ## Reduction
///
/// `.none`: one loss per element; `.mean`: their sum divided by `sum(weight)` (the element count without
/// weights); `.sum`: their sum. Default `.mean`.
///
/// ## Gradients
///
/// `mseLossAndGrad` computes the loss and its gradient with respect to `input` in the same pass:
///
///     d loss[i] / d input[i] = 2 * weight[i] * (input[i] - target[i])
///
/// ## Example
///
/// ```swift
/// let loss = try mseLoss([0.5, 2.0, -1.0], [1.0, 1.0, 0.0])
/// print(loss.scalar!)  // 0.75
/// ```
public func mseLoss<T: LossStorage>(_ input: [T], _ target: [T], weight: [T]? = nil,
                                   reduction: Reduction = .mean) throws(LossError) -> LossOutput<T> {
    try ArrayBridge.elementwise(input, target, weight: weight, reduction: reduction,
                                gradient: false, gradOutput: nil, mseLoss).loss
}

/// The mean squared error and its gradient with respect to `input`, in one pass, as
/// `torch.nn.functional.mse_loss` with its autograd.
///
///     loss[i] = weight[i] * (input[i] - target[i])^2
///
/// - Parameters:
///   - input: The predictions: any number of values.
///   - target: The targets: as many values as `input`.
///   - weight: Per-element weights, as many as `input`; nil weighs every element 1. Default `nil`.
///   - reduction: How the losses combine: `.none`, `.mean` or `.sum` (see Reduction). Default `.mean`.
///   - gradOutput: The gradient flowing into the loss: one value for `.mean` and `.sum`, one per loss for
///     `.none`; nil means ones. Default `nil`.
/// - Returns: `loss` as `mseLoss` returns it, and `grad`: d loss / d `input`, as many values as `input`.
/// - Throws: `LossError` when a size, an option or an index is out of its domain (the message names the
///   argument); nothing is written then.
///
/// ## Reduction
///
/// `.none`: one loss per element; `.mean`: their sum divided by `sum(weight)` (the element count without
/// weights); `.sum`: their sum. Default `.mean`.
///
/// ## Gradients
///
/// With respect to `input` (not `target`, `weight`): the gradient of sum(gradOutput * loss), computed in the
/// same pass as the loss:
///
///     d loss[i] / d input[i] = 2 * weight[i] * (input[i] - target[i])
///
/// ## Example
///
/// ```swift
/// let (loss, grad) = try mseLossAndGrad([0.5, 2.0, -1.0], [1.0, 1.0, 0.0])
/// print(loss.scalar!)  // 0.75
/// print(grad)  // ≈ [-0.3333, 0.6667, -0.6667]
/// ```
public func mseLossAndGrad<T: LossStorage>(_ input: [T], _ target: [T], weight: [T]? = nil,
                                          reduction: Reduction = .mean, gradOutput: [T]? = nil)
    throws(LossError) -> (loss: LossOutput<T>, grad: [T]) {
    try ArrayBridge.elementwise(input, target, weight: weight, reduction: reduction,
                                gradient: true, gradOutput: gradOutput, mseLoss)
}
