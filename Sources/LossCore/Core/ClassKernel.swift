/// Shared machinery of the softmax family (cross-entropy, NLL, focal loss): the
/// (N, C, d1...dk) layout, target checks, the mean denominator, and the per-position
/// driver that handles reduction, grad_output, blocking and threads.

/// Raw buffers of one softmax-family call. `input` is n x classes x inner, row-major,
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

/// How far apart the scores of one position are. Rows of an (N, C) input are contiguous
/// (`UnitStride`, which the optimizer vectorizes); K-dim inputs have stride `inner`.
protocol RowStride {
    static func offset(_ j: Int, _ stride: Int) -> Int
}

enum UnitStride: RowStride {
    @inline(__always) static func offset(_ j: Int, _ stride: Int) -> Int { j }
}

enum InnerStride: RowStride {
    @inline(__always) static func offset(_ j: Int, _ stride: Int) -> Int { j * stride }
}

/// The `count` class scores of one position.
struct Row<Scalar: LossScalar, Stride: RowStride> {
    let base: UnsafePointer<Scalar>
    let stride: Int
    let count: Int
    @inline(__always) subscript(_ j: Int) -> Scalar { base[Stride.offset(j, stride)] }
}

/// The gradient slots of one position.
struct MutableRow<Scalar: LossScalar, Stride: RowStride> {
    let base: UnsafeMutablePointer<Scalar>
    let stride: Int
    @inline(__always) subscript(_ j: Int) -> Scalar {
        get { base[Stride.offset(j, stride)] }
        nonmutating set { base[Stride.offset(j, stride)] = newValue }
    }
}

/// A loss over the class scores of one position.
protocol PositionLoss {
    associatedtype Scalar: LossScalar
    /// The loss at position `p`, whose scores start at element `start` of the input.
    /// When `grad` is non-nil, writes `scale * dloss/dx_j` into every slot of it (zeros
    /// included).
    func position<S: RowStride>(_ p: Int, _ start: Int, _ row: Row<Scalar, S>,
                                _ grad: MutableRow<Scalar, S>?, _ scale: Scalar) -> Scalar
}

struct ClassLayout {
    let n: Int, classes: Int, inner: Int
    /// n * inner: one loss per position.
    let positions: Int
    /// n * classes * inner: the input's element count.
    let elements: Int
}

enum ClassKernel {
    /// Checks sizes and pointers; returns the layout the kernels index with.
    static func validate<T>(_ b: ClassBuffers<T>) throws(LossError) -> ClassLayout {
        try Check.count(b.n, "n")
        try Check.count(b.classes, "c")
        try Check.count(b.inner, "inner")
        let positions = try Check.product(b.n, b.inner, "n * inner")
        let elements = try Check.product(positions, b.classes, "n * c * inner")
        if positions > 0 && b.classes == 0 {
            throw .shape("c must be > 0 when there are positions to classify (n = \(b.n), inner = \(b.inner))")
        }
        if positions > 0 || b.reduction != .none { try Check.nonNull(b.out, "out") }
        if positions > 0 { try Check.nonNull(b.input, "input") }
        return ClassLayout(n: b.n, classes: b.classes, inner: b.inner, positions: positions, elements: elements)
    }

    /// Checks every class-index target and returns sum of w[target] over non-ignored
    /// positions: the 'mean' denominator of torch's nll_loss and cross_entropy.
    static func targetWeightSum<T: LossScalar>(_ target: UnsafePointer<Int64>?, _ layout: ClassLayout,
                                   weight: UnsafePointer<T>?, ignoreIndex: Int64) throws(LossError) -> Double {
        guard layout.positions > 0 else { return 0 }
        try Check.nonNull(target, "target")
        let target = target!
        try ClassIndex.checkRange(target, count: layout.positions, classes: layout.classes, ignoreIndex: ignoreIndex)
        let t = UncheckedSendable(target), w = UncheckedSendable(weight)
        return Parallel.blockedSum(count: layout.positions, blockSize: 1 << 16) { range in
            BlockSum.sum(range) { p in
                let label = t.value[p]
                if label == ignoreIndex { return 0 }
                return w.value.map { Double($0[Int(label)]) } ?? 1
            }
        }
    }

    /// The result of an empty batch: NaN for 'mean' (0/0) and 0 for 'sum', as torch.
    static func writeEmpty<T>(_ b: ClassBuffers<T>) {
        if b.reduction != .none { b.out![0] = b.reduction == .mean ? .nan : 0 }
    }

    /// Runs `loss` at every position and reduces; 'mean' divides by `divisor`.
    static func run<L: PositionLoss>(_ loss: L, _ b: ClassBuffers<L.Scalar>, _ layout: ClassLayout,
                                     meanDivisor divisor: Double) {
        if layout.inner == 1 {
            run(loss, b, layout, divisor, UnitStride.self)
        } else {
            run(loss, b, layout, divisor, InnerStride.self)
        }
    }

    private static func run<L: PositionLoss, S: RowStride>(_ loss: L, _ b: ClassBuffers<L.Scalar>,
                                                           _ layout: ClassLayout, _ divisor: Double,
                                                           _: S.Type) {
        typealias T = L.Scalar
        let positions = layout.positions
        guard positions > 0 else { return writeEmpty(b) }
        let c = layout.classes, inner = layout.inner
        let input = UncheckedSendable(b.input!), gradInput = UncheckedSendable(b.gradInput)
        // Position p = (i, k) starts at i * c * inner + k; its scores are `inner` apart.
        @inline(__always) func offset(_ p: Int) -> Int {
            inner == 1 ? p * c : (p / inner) * c * inner + p % inner
        }
        @inline(__always) func compute(_ p: Int, _ scale: T) -> T {
            let start = offset(p)
            let row = Row<T, S>(base: input.value + start, stride: inner, count: c)
            let grad = gradInput.value.map { MutableRow<T, S>(base: $0 + start, stride: inner) }
            return loss.position(p, start, row, grad, scale)
        }
        // Fixed blocks of about `elementBlock` scores, whatever the thread count.
        let blockSize = max(1, Parallel.elementBlock / c)

        if b.reduction == .none {
            let out = UncheckedSendable(b.out!), gradOutput = UncheckedSendable(b.gradOutput)
            Parallel.forEachRange(count: positions, blockSize: blockSize, work: layout.elements) { range in
                for p in range { out.value[p] = compute(p, gradOutput.value?[p] ?? 1) }
            }
            return
        }
        let upstream = Double(b.gradOutput?[0] ?? 1)
        let scale = T(b.reduction == .mean ? upstream / divisor : upstream)
        let total = Parallel.blockedSum(count: positions, blockSize: blockSize, work: layout.elements) { range in
            BlockSum.sum(range) { p in Double(compute(p, scale)) }
        }
        b.out![0] = T(b.reduction == .mean ? total / divisor : total)
    }
}
