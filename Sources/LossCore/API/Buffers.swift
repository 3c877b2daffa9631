// The raw-buffer form of a loss call: what the C exports pass to the Swift API, and what
// callers with their own memory use directly. Every driver validates them before it reads.

/// Raw buffers of one elementwise loss call, validated by `ElementwiseDriver.validate`:
/// `count` elements, loss i of `input[i]` and `target[i]`.
///
/// The buffer form of a loss (e.g. `l1Loss(_:)`) reads the inputs, writes `out` and, when
/// `gradInput` is set, the gradient in the same pass; a thrown `LossError` means nothing was
/// written. The array form of each loss builds these for you.
///
/// ```swift
/// let input: [Double] = [0.5, 2.0, -1.0], target: [Double] = [1.0, 1.0, 0.0]
/// var out = [0.0], grad = [Double](repeating: 0, count: 3)
/// try input.withUnsafeBufferPointer { x in
///     try target.withUnsafeBufferPointer { y in
///         try out.withUnsafeMutableBufferPointer { o in
///             try grad.withUnsafeMutableBufferPointer { g in
///                 try l1Loss(ElementwiseBuffers(input: x.baseAddress, target: y.baseAddress, count: 3,
///                                               reduction: .sum, out: o.baseAddress, gradInput: g.baseAddress))
///             }
///         }
///     }
/// }
/// print(out, grad)  // [2.5] [-1.0, 1.0, -1.0]
/// ```
public struct ElementwiseBuffers<Scalar: LossStorage> {
    /// The first operand (predictions, logits, probabilities: as the loss says), `count` values.
    public var input: UnsafePointer<Scalar>?
    /// The targets, `count` values.
    public var target: UnsafePointer<Scalar>?
    /// Per-element weights (`count` values) for the losses that take them, or nil.
    public var weight: UnsafePointer<Scalar>?
    /// The number of elements (0 is allowed: `.mean` is then NaN, `.sum` 0).
    public var count: Int
    /// How the per-element losses combine.
    public var reduction: Reduction
    /// The result: one value, or `count` for `.none`.
    public var out: UnsafeMutablePointer<Scalar>?
    /// The gradient flowing into the loss (one value, or `count` for `.none`), read only when
    /// `gradInput` is set; nil means ones.
    public var gradOutput: UnsafePointer<Scalar>?
    /// Receives d loss / d input (`count` values) when set; nil computes the loss only.
    public var gradInput: UnsafeMutablePointer<Scalar>?

    /// Buffers of one call; the optional ones default to nil.
    public init(input: UnsafePointer<Scalar>?, target: UnsafePointer<Scalar>?,
                weight: UnsafePointer<Scalar>? = nil, count: Int, reduction: Reduction,
                out: UnsafeMutablePointer<Scalar>?, gradOutput: UnsafePointer<Scalar>? = nil,
                gradInput: UnsafeMutablePointer<Scalar>? = nil) {
        self.input = input
        self.target = target
        self.weight = weight
        self.count = count
        self.reduction = reduction
        self.out = out
        self.gradOutput = gradOutput
        self.gradInput = gradInput
    }
}

extension ElementwiseBuffers {
    /// grad_output as the kernels may read it: the header promises it is ignored (never
    /// dereferenced) when no gradient is requested.
    var upstreamGradient: UnsafePointer<Scalar>? { gradInput == nil ? nil : gradOutput }
}

/// Raw buffers of one elementwise call over three operands (`OperandsDriver`), validated
/// by `OperandsDriver.validate`. Element i of n takes first[i], second[i] and a third
/// operand that may be shared along one dimension: n = outer x thirdRepeat x thirdInner
/// elements take third[o * thirdInner + j] at (o, k, j), for every k (both 1: one value per
/// element). gradFirst and gradSecond receive the derivatives with respect to the loss's
/// two differentiable operands, each optional; a shared one's values are summed.
public struct OperandBuffers<Scalar: LossStorage> {
    /// The first operand, `count` values.
    public var first: UnsafePointer<Scalar>?
    /// The second operand, `count` values.
    public var second: UnsafePointer<Scalar>?
    /// The third operand: count / thirdRepeat values, shared as the type describes.
    public var third: UnsafePointer<Scalar>?
    /// The number of elements.
    public var count: Int
    /// How many elements share each value of `third` (1: one value per element).
    public var thirdRepeat: Int
    /// How far apart (in elements) the elements sharing a value of `third` are.
    public var thirdInner: Int
    /// How the per-element losses combine.
    public var reduction: Reduction
    /// The result: one value, or `count` for `.none`.
    public var out: UnsafeMutablePointer<Scalar>?
    /// The gradient flowing into the loss (one value, or `count` for `.none`); nil means ones.
    public var gradOutput: UnsafePointer<Scalar>?
    /// Receives the derivative with respect to the loss's first differentiable operand, when set.
    public var gradFirst: UnsafeMutablePointer<Scalar>?
    /// Receives the derivative with respect to its second differentiable operand, when set.
    public var gradSecond: UnsafeMutablePointer<Scalar>?

    /// Buffers of one call; the optional ones default to nil, the sharing to one value per element.
    public init(first: UnsafePointer<Scalar>?, second: UnsafePointer<Scalar>?, third: UnsafePointer<Scalar>?,
                count: Int, thirdRepeat: Int = 1, thirdInner: Int = 1, reduction: Reduction,
                out: UnsafeMutablePointer<Scalar>?, gradOutput: UnsafePointer<Scalar>? = nil,
                gradFirst: UnsafeMutablePointer<Scalar>? = nil, gradSecond: UnsafeMutablePointer<Scalar>? = nil) {
        self.first = first
        self.second = second
        self.third = third
        self.count = count
        self.thirdRepeat = thirdRepeat
        self.thirdInner = thirdInner
        self.reduction = reduction
        self.out = out
        self.gradOutput = gradOutput
        self.gradFirst = gradFirst
        self.gradSecond = gradSecond
    }
}

/// Raw buffers of one class-row call. `input` is n x classes x inner, row-major,
/// so the scores of one position are `classes` values `inner` apart.
public struct ClassBuffers<Scalar: LossStorage> {
    /// The scores (logits, log-probabilities: as the loss says), n x classes x inner values.
    public var input: UnsafePointer<Scalar>?
    /// N, the number of rows.
    public var n: Int
    /// C, the number of classes.
    public var classes: Int
    /// The positions of a row after its class dimension (1 for (N, C) inputs).
    public var inner: Int
    /// Per-class weights (`classes` values), or nil.
    public var weight: UnsafePointer<Scalar>?
    /// How the per-position losses combine.
    public var reduction: Reduction
    /// The result: one value, or n x inner for `.none`.
    public var out: UnsafeMutablePointer<Scalar>?
    /// The gradient flowing into the loss (one value, or n x inner for `.none`); nil means ones.
    public var gradOutput: UnsafePointer<Scalar>?
    /// Receives d loss / d input (input's size) when set; nil computes the loss only.
    public var gradInput: UnsafeMutablePointer<Scalar>?

    /// Buffers of one call; the optional ones default to nil, `inner` to 1.
    public init(input: UnsafePointer<Scalar>?, n: Int, classes: Int, inner: Int = 1,
                weight: UnsafePointer<Scalar>? = nil, reduction: Reduction,
                out: UnsafeMutablePointer<Scalar>?, gradOutput: UnsafePointer<Scalar>? = nil,
                gradInput: UnsafeMutablePointer<Scalar>? = nil) {
        self.input = input
        self.n = n
        self.classes = classes
        self.inner = inner
        self.weight = weight
        self.reduction = reduction
        self.out = out
        self.gradOutput = gradOutput
        self.gradInput = gradInput
    }
}

/// Raw buffers of one sequence call: `logProbs` is frames x n x classes, row-major (torch's
/// (T, N, C)), so the scores of sample b at frame t start at (t * n + b) * classes; the
/// gradient has the same layout. `targets` are padded rows of `targetStride` indices (sample
/// b's at b * targetStride), or, with `targetStride` 0, the samples' targets one after another.
public struct SequenceBuffers<Scalar: LossStorage> {
    /// Log-probabilities, frames x n x classes values.
    public var logProbs: UnsafePointer<Scalar>?
    /// Class indices: padded rows of `targetStride`, or concatenated when it is 0.
    public var targets: UnsafePointer<Int64>?
    /// The frames of each sample: n values in [0, frames].
    public var inputLengths: UnsafePointer<Int64>?
    /// The target length of each sample: n values >= 0.
    public var targetLengths: UnsafePointer<Int64>?
    /// T, the number of frames.
    public var frames: Int
    /// N, the number of samples.
    public var n: Int
    /// C, the number of classes.
    public var classes: Int
    /// The padded target length S, or 0 for concatenated targets.
    public var targetStride: Int
    /// How the per-sample losses combine.
    public var reduction: Reduction
    /// The result: one value, or n for `.none`.
    public var out: UnsafeMutablePointer<Scalar>?
    /// The gradient flowing into the loss (one value, or n for `.none`); nil means ones.
    public var gradOutput: UnsafePointer<Scalar>?
    /// Receives d loss / d logProbs (logProbs' size) when set; nil computes the loss only.
    public var gradLogProbs: UnsafeMutablePointer<Scalar>?

    /// Buffers of one call; the optional ones default to nil.
    public init(logProbs: UnsafePointer<Scalar>?, targets: UnsafePointer<Int64>?,
                inputLengths: UnsafePointer<Int64>?, targetLengths: UnsafePointer<Int64>?,
                frames: Int, n: Int, classes: Int, targetStride: Int, reduction: Reduction,
                out: UnsafeMutablePointer<Scalar>?, gradOutput: UnsafePointer<Scalar>? = nil,
                gradLogProbs: UnsafeMutablePointer<Scalar>? = nil) {
        self.logProbs = logProbs
        self.targets = targets
        self.inputLengths = inputLengths
        self.targetLengths = targetLengths
        self.frames = frames
        self.n = n
        self.classes = classes
        self.targetStride = targetStride
        self.reduction = reduction
        self.out = out
        self.gradOutput = gradOutput
        self.gradLogProbs = gradLogProbs
    }
}

/// The name `ElementwiseBuffers` had before the families were named after their drivers.
@available(*, deprecated, renamed: "ElementwiseBuffers")
public typealias PointwiseBuffers = ElementwiseBuffers

/// Raw buffers of one row-tuple call: two or three operands of `rows` x `width` values,
/// row-major (torch's (N, D): anchor, positive, negative, or input1, input2), one loss per
/// row, and a gradient buffer per operand (each optional).
public struct RowTupleBuffers<Scalar: LossStorage> {
    /// The first operand (anchor, or input1), rows x width values.
    public var first: UnsafePointer<Scalar>?
    /// The second operand (positive, or input2), rows x width values.
    public var second: UnsafePointer<Scalar>?
    /// The third operand (negative), rows x width values; nil for the pair losses.
    public var third: UnsafePointer<Scalar>?
    /// One value per row (the pair losses' targets); nil where the loss has none.
    public var target: UnsafePointer<Scalar>?
    /// N, the number of rows.
    public var rows: Int
    /// D, the values per row.
    public var width: Int
    /// How the per-row losses combine.
    public var reduction: Reduction
    /// The result: one value, or `rows` for `.none`.
    public var out: UnsafeMutablePointer<Scalar>?
    /// The gradient flowing into the loss (one value, or `rows` for `.none`); nil means ones.
    public var gradOutput: UnsafePointer<Scalar>?
    /// Receives d loss / d first operand when set.
    public var gradFirst: UnsafeMutablePointer<Scalar>?
    /// Receives d loss / d second operand when set.
    public var gradSecond: UnsafeMutablePointer<Scalar>?
    /// Receives d loss / d third operand when set.
    public var gradThird: UnsafeMutablePointer<Scalar>?

    /// Buffers of one call; the optional ones default to nil.
    public init(first: UnsafePointer<Scalar>?, second: UnsafePointer<Scalar>?, third: UnsafePointer<Scalar>? = nil,
                target: UnsafePointer<Scalar>? = nil, rows: Int, width: Int, reduction: Reduction,
                out: UnsafeMutablePointer<Scalar>?, gradOutput: UnsafePointer<Scalar>? = nil,
                gradFirst: UnsafeMutablePointer<Scalar>? = nil, gradSecond: UnsafeMutablePointer<Scalar>? = nil,
                gradThird: UnsafeMutablePointer<Scalar>? = nil) {
        self.first = first
        self.second = second
        self.third = third
        self.target = target
        self.rows = rows
        self.width = width
        self.reduction = reduction
        self.out = out
        self.gradOutput = gradOutput
        self.gradFirst = gradFirst
        self.gradSecond = gradSecond
        self.gradThird = gradThird
    }
}
