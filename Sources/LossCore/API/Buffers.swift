// The raw-buffer form of a loss call: what the C exports pass to the Swift API, and what
// callers with their own memory use directly. Every driver validates them before it reads.

/// Raw buffers of one elementwise loss call, validated by `ElementwiseDriver.validate`.
public struct ElementwiseBuffers<Scalar: LossScalar> {
    public var input: UnsafePointer<Scalar>?
    public var target: UnsafePointer<Scalar>?
    public var weight: UnsafePointer<Scalar>?
    public var count: Int
    public var reduction: Reduction
    public var out: UnsafeMutablePointer<Scalar>?
    public var gradOutput: UnsafePointer<Scalar>?
    public var gradInput: UnsafeMutablePointer<Scalar>?

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
public struct OperandBuffers<Scalar: LossScalar> {
    public var first: UnsafePointer<Scalar>?
    public var second: UnsafePointer<Scalar>?
    public var third: UnsafePointer<Scalar>?
    public var count: Int
    public var thirdRepeat: Int
    public var thirdInner: Int
    public var reduction: Reduction
    public var out: UnsafeMutablePointer<Scalar>?
    public var gradOutput: UnsafePointer<Scalar>?
    public var gradFirst: UnsafeMutablePointer<Scalar>?
    public var gradSecond: UnsafeMutablePointer<Scalar>?

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
public struct ClassBuffers<Scalar: LossScalar> {
    public var input: UnsafePointer<Scalar>?
    public var n: Int
    public var classes: Int
    public var inner: Int
    public var weight: UnsafePointer<Scalar>?
    public var reduction: Reduction
    public var out: UnsafeMutablePointer<Scalar>?
    public var gradOutput: UnsafePointer<Scalar>?
    public var gradInput: UnsafeMutablePointer<Scalar>?

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
public struct SequenceBuffers<Scalar: LossScalar> {
    public var logProbs: UnsafePointer<Scalar>?
    public var targets: UnsafePointer<Int64>?
    public var inputLengths: UnsafePointer<Int64>?
    public var targetLengths: UnsafePointer<Int64>?
    public var frames: Int
    public var n: Int
    public var classes: Int
    public var targetStride: Int
    public var reduction: Reduction
    public var out: UnsafeMutablePointer<Scalar>?
    public var gradOutput: UnsafePointer<Scalar>?
    public var gradLogProbs: UnsafeMutablePointer<Scalar>?

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
public struct RowTupleBuffers<Scalar: LossScalar> {
    public var first: UnsafePointer<Scalar>?
    public var second: UnsafePointer<Scalar>?
    public var third: UnsafePointer<Scalar>?
    /// One value per row (the pair losses' targets); nil where the loss has none.
    public var target: UnsafePointer<Scalar>?
    public var rows: Int
    public var width: Int
    public var reduction: Reduction
    public var out: UnsafeMutablePointer<Scalar>?
    public var gradOutput: UnsafePointer<Scalar>?
    public var gradFirst: UnsafeMutablePointer<Scalar>?
    public var gradSecond: UnsafeMutablePointer<Scalar>?
    public var gradThird: UnsafeMutablePointer<Scalar>?

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
