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

/// The name `ElementwiseBuffers` had before the families were named after their drivers.
@available(*, deprecated, renamed: "ElementwiseBuffers")
public typealias PointwiseBuffers = ElementwiseBuffers
