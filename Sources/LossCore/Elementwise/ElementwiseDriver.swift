import CLossHints

/// The general per-element loss `ElementwiseDriver` runs: l_i = l(input_i, target_i, i),
/// where the flat element index `i` lets a loss read a per-position parameter (BCE with
/// logits' pos_weight, broadcast along the last dimension). Most losses do not need the
/// index and conform to `ElementwiseLoss` instead.
protocol IndexedElementwiseLoss {
    associatedtype Scalar: LossScalar
    /// The loss of element `index`.
    func value(_ input: Scalar, _ target: Scalar, at index: Int) -> Scalar
    /// (l, dl/dx) of element `index`, computed together.
    func valueAndDerivative(_ input: Scalar, _ target: Scalar, at index: Int) -> (Scalar, Scalar)

    /// True when the loss also states its formula on sixteen float lanes (`lanes`, for
    /// losses that do not need the index). The kernel then uses it for unweighted float
    /// buffers: explicit SIMD16 code is 512-bit wherever the CPU has AVX-512, while the loops
    /// LLVM vectorizes by itself stay 256-bit (scripts/build.sh: wider auto-vectorized loops
    /// stream memory slower). Worth it for compute-bound (transcendental)
    /// formulas, and for reductions, whose lanes go into the sum without a buffer. (A
    /// constant for most losses, folded away; smooth L1 has no lanes for absurd betas.)
    var hasLanes: Bool { get }
    /// (l, dl/dx) of sixteen float elements; dl/dx only when `derivative` is true.
    func lanes(_ input: SIMD16<Float>, _ target: SIMD16<Float>, derivative: Bool) -> (SIMD16<Float>, SIMD16<Float>)
}

extension IndexedElementwiseLoss {
    /// Lane 0 of `lanes` applied to (x, y): the one-value formula of a float loss whose
    /// lanes define it (binary cross-entropy, the sigmoid focal loss), so that elements the
    /// vector loops leave over get the same bits as the others. Scalar must be Float.
    @inline(__always)
    func firstLane(_ x: Scalar, _ y: Scalar, derivative: Bool) -> (Scalar, Scalar) {
        let (l, dl) = lanes(SIMD16(repeating: unsafeBitCast(x, to: Float.self)),
                            SIMD16(repeating: unsafeBitCast(y, to: Float.self)), derivative: derivative)
        return (unsafeBitCast(l[0], to: Scalar.self), unsafeBitCast(dl[0], to: Scalar.self))
    }

    var hasLanes: Bool { false }
    func lanes(_ input: SIMD16<Float>, _ target: SIMD16<Float>, derivative: Bool) -> (SIMD16<Float>, SIMD16<Float>) {
        (SIMD16(), SIMD16())  // never called: hasLanes is false
    }
}

/// A loss computed independently for each element from `(input_i, target_i)`.
///
/// Conforming types only state the per-element formula; `ElementwiseDriver` does the
/// weighting, reduction, gradient, blocking and threading for all of them.
protocol ElementwiseLoss: IndexedElementwiseLoss {
    /// The per-element loss l(x, y).
    func value(_ input: Scalar, _ target: Scalar) -> Scalar
    /// (l(x, y), dl/dx), computed together.
    func valueAndDerivative(_ input: Scalar, _ target: Scalar) -> (Scalar, Scalar)

}

extension ElementwiseLoss {
    // The index is unused: after specialization the kernel's loops are the same as
    // for an index-free formula.
    @inline(__always) func value(_ input: Scalar, _ target: Scalar, at index: Int) -> Scalar {
        value(input, target)
    }

    @inline(__always)
    func valueAndDerivative(_ input: Scalar, _ target: Scalar, at index: Int) -> (Scalar, Scalar) {
        valueAndDerivative(input, target)
    }
}

/// What 'mean' divides the summed (weighted) losses by.
enum MeanDenominator {
    /// The element count n (torch's unweighted means and its weighted Huber mean).
    case elementCount
    /// The sum of the weights (torch's weighted L1 and MSE means).
    case weightSum
}

enum ElementwiseDriver {
    /// Elements per stack-buffered chunk of the reduction path (2 KiB of floats: L1-resident).
    static let chunkLength = 512

    /// Checks pointers and sizes; afterwards the kernel cannot fail or read out of bounds.
    static func validate<T>(_ b: ElementwiseBuffers<T>, weightAllowed: Bool = true) throws(LossError) {
        try Check.elements(b.count, of: T.self, "n")
        if b.count > 0 || b.reduction != .none {
            try Check.nonNull(b.out, "out")
        }
        if b.count > 0 {
            try Check.nonNull(b.input, "input")
            try Check.nonNull(b.target, "target")
        }
        if !weightAllowed && b.weight != nil {
            throw .invalidArgument("weight is not supported by this loss; pass NULL")
        }
    }

    /// Elements a 16-bit call widens at a time: a multiple of `chunkLength` and of the lane
    /// sums' 64, so the sums group exactly as in the `Float` call; its six staged buffers
    /// (48 KiB) stay in L1/L2.
    static let stageLength = 2048

    /// Computes the loss (and the gradient when `gradInput` is non-NULL) in one pass.
    static func run<L: IndexedElementwiseLoss, S: LossStorage>(_ loss: L, _ b: ElementwiseBuffers<S>,
                                                               mean denominator: MeanDenominator)
    where S.Compute == L.Scalar {
        typealias T = L.Scalar
        let n = b.count
        guard n > 0 else { return Reduce.writeEmpty(b.reduction, to: b.out) }
        let input = UncheckedSendable(b.input!), target = UncheckedSendable(b.target!)
        let weight = UncheckedSendable(b.weight)
        let gradInput = UncheckedSendable(b.gradInput)

        // Runs `body` on the compute-type views of elements `range` (global indices) of every
        // buffer, `stageLength` at a time for 16-bit storage, and rounds the outputs back.
        func staged(_ range: Range<Int>, out: UnsafeMutablePointer<S>?, upstream: UnsafePointer<S>?,
                    _ body: (Chunk<T>) -> Void) {
            let piece = S.isCompute ? range.count : stageLength
            Staging<S>.with(capacity: 6 * min(piece, range.count)) { stage in
                var start = range.lowerBound
                while start < range.upperBound {
                    let count = min(piece, range.upperBound - start)
                    stage.reset()
                    let grad = stage.output(gradInput.value.map { $0 + start }, count)
                    let losses = stage.output(out.map { $0 + start }, count)
                    body(Chunk(x: stage.input(input.value + start, count)!, y: stage.input(target.value + start, count)!,
                               w: stage.input(weight.value.map { $0 + start }, count),
                               upstream: stage.input(upstream.map { $0 + start }, count),
                               out: losses, grad: grad, count: count, first: start))
                    stage.finish(grad, into: gradInput.value.map { $0 + start }, count)
                    stage.finish(losses, into: out.map { $0 + start }, count)
                    start += count
                }
            }
        }

        if b.reduction == .none {
            let out = UncheckedSendable(b.out!)
            let gradOutput = UncheckedSendable(b.upstreamGradient)
            Parallel.forEachRange(count: n) { range in
                staged(range, out: out.value, upstream: gradOutput.value) { c in Self.noneChunk(loss, c) }
            }
            return
        }

        var divisor = 1.0
        if b.reduction == .mean {
            if denominator == .weightSum, weight.value != nil {
                divisor = Parallel.blockedSum(count: n) { range in
                    var sum = WideSum()
                    staged(range, out: nil, upstream: nil) { c in T.accumulate(c.w!, c.count, into: &sum) }
                    return sum.total
                }
            } else {
                divisor = Double(n)
            }
        }
        // d(reduced)/d(l_i), applied per element below.
        let scale: T = Reduce.gradientScale(b.reduction, upstream: b.upstreamGradient, divisor: divisor)
        let total = Parallel.blockedSum(count: n) { range in
            var sum = WideSum()
            staged(range, out: nil, upstream: nil) { c in Self.sumChunk(loss, c, scale: scale, into: &sum) }
            return sum.total
        }
        Reduce.write(total, b.reduction, divisor: divisor, to: b.out!)
    }

    /// The compute-type buffers of `count` consecutive elements, the first of which is
    /// element `first` of the call (what an indexed loss is told).
    struct Chunk<T: LossScalar> {
        let x: UnsafePointer<T>, y: UnsafePointer<T>, w: UnsafePointer<T>?, upstream: UnsafePointer<T>?
        let out: UnsafeMutablePointer<T>?, grad: UnsafeMutablePointer<T>?
        let count: Int, first: Int
    }

    /// 'none': one loss per element into `out`, and g * w * dl/dx into `grad` when given.
    /// (Never inlined, here and in `sumChunk`: one copy of the loops per loss serves its
    /// float storage and the staged 16-bit chunks, instead of one per storage type; a call
    /// per chunk of thousands of elements costs nothing measurable.)
    @inline(never)
    static func noneChunk<L: IndexedElementwiseLoss>(_ loss: L, _ c: Chunk<L.Scalar>) {
        let (x, y, out, n) = (c.x, c.y, c.out!, c.count)
        if let grad = c.grad {
            // Unweighted float: the lane formula, grad_output read per vector.
            let done = c.w != nil ? 0
                : Self.laneLoop(loss, x, y, n, losses: out, grad: grad, scale: 1, upstream: c.upstream) ?? 0
            OptionalBuffer.reading(c.w) { w in
                OptionalBuffer.reading(c.upstream) { g in
                    for i in done..<n {
                        let (l, dl) = loss.valueAndDerivative(x[i], y[i], at: c.first &+ i)
                        out[i] = w(i) * l
                        grad[i] = g(i) * w(i) * dl
                    }
                }
            }
        } else if let w = c.w {
            for i in 0..<n { out[i] = w[i] * loss.value(x[i], y[i], at: c.first &+ i) }
        } else {
            let done = Self.laneLoop(loss, x, y, n, losses: out, grad: nil, scale: 1) ?? 0
            for i in done..<n { out[i] = loss.value(x[i], y[i], at: c.first &+ i) }
        }
    }

    /// 'mean'/'sum': adds the chunk's (weighted) losses to `sum` and writes scale * w * dl/dx
    /// into `grad` when given. A loss's lane formula adds whole groups straight into the sum;
    /// the rest (or all, for other losses) goes through a plain map loop that writes
    /// `chunkLength` losses (and gradients) to a stack buffer, which LLVM vectorizes, and a
    /// SIMD sum that adds the buffer up in double.
    @inline(never)
    static func sumChunk<L: IndexedElementwiseLoss>(_ loss: L, _ c: Chunk<L.Scalar>, scale: L.Scalar,
                                                    into sum: inout WideSum) {
        typealias T = L.Scalar
        var start = 0
        if c.w == nil {
            start += Self.laneSum(loss, c.x, c.y, c.count, grad: c.grad, scale: scale, into: &sum) ?? 0
        }
        if start == c.count { return }
        withUnsafeTemporaryAllocation(of: T.self, capacity: chunkLength) { buffer in
            let losses = buffer.baseAddress!
            while start < c.count {
                let count = min(chunkLength, c.count - start)
                let x = c.x + start, y = c.y + start
                let w = c.w.map { $0 + start }
                let grad = c.grad.map { $0 + start }
                let at = c.first &+ start
                // Unweighted float chunks: a loss's 16-lane formula does the whole vectors.
                let first = w == nil
                    ? Self.laneLoop(loss, x, y, count, losses: losses, grad: grad, scale: scale) ?? 0 : 0
                if let grad {
                    if let w {
                        for i in first..<count {
                            let (l, dl) = loss.valueAndDerivative(x[i], y[i], at: at &+ i)
                            grad[i] = scale * w[i] * dl
                            losses[i] = w[i] * l
                        }
                    } else {
                        for i in first..<count {
                            let (l, dl) = loss.valueAndDerivative(x[i], y[i], at: at &+ i)
                            grad[i] = scale * dl
                            losses[i] = l
                        }
                    }
                } else if let w {
                    for i in first..<count { losses[i] = w[i] * loss.value(x[i], y[i], at: at &+ i) }
                } else {
                    for i in first..<count { losses[i] = loss.value(x[i], y[i], at: at &+ i) }
                }
                T.accumulate(losses, count, into: &sum)
                start += count
            }
        }
    }
}

// The lane loops are functions of their own, never inlined into the kernel's closures, one
// with a gradient and one without, each holding the formula once: inside larger functions
// Swift's inliner gave up, left vector helpers as calls taking the 16-lane values in
// 128-bit pieces (several times slower), and a single function for both tested for
// the gradient per vector. Loads and stores go through CLossHints for the same reason.
extension ElementwiseDriver {
    /// Runs a loss's 16-lane formula over the whole vectors of one unweighted chunk: losses,
    /// and scale * dl/dx into `grad` when given, times `upstream[i]` when that is given
    /// too ('none' with grad_output). Returns how many elements it did, or nil when the loss
    /// has no lanes or the buffers are not float.
    @inline(__always)
    static func laneLoop<L: IndexedElementwiseLoss>(_ loss: L, _ x: UnsafePointer<L.Scalar>, _ y: UnsafePointer<L.Scalar>,
                                                   _ count: Int, losses: UnsafeMutablePointer<L.Scalar>,
                                                   grad: UnsafeMutablePointer<L.Scalar>?, scale: L.Scalar,
                                                   upstream: UnsafePointer<L.Scalar>? = nil) -> Int? {
        guard loss.hasLanes, L.Scalar.self == Float.self else { return nil }
        let (x, y, losses) = (UnsafeRawPointer(x), UnsafeRawPointer(y), UnsafeMutableRawPointer(losses))
        guard let grad else { return laneLoopOfValues(loss, x, y, count, losses: losses) }
        return laneLoopWithGradient(loss, x, y, count, losses: losses, grad: UnsafeMutableRawPointer(grad),
                                    scale: unsafeBitCast(scale, to: Float.self), upstream: upstream.map { UnsafeRawPointer($0) })
    }

    @inline(never)
    static func laneLoopOfValues<L: IndexedElementwiseLoss>(_ loss: L, _ x: UnsafeRawPointer, _ y: UnsafeRawPointer,
                                                           _ count: Int, losses: UnsafeMutableRawPointer) -> Int {
        var i = 0
        while i + 16 <= count {
            losscore_store16(losses + i * MemoryLayout<Float>.stride, lanes(loss, x, y, at: i, grad: nil, scale: SIMD16()))
            i += 16
        }
        return i
    }

    @inline(never)
    static func laneLoopWithGradient<L: IndexedElementwiseLoss>(_ loss: L, _ x: UnsafeRawPointer, _ y: UnsafeRawPointer,
                                                               _ count: Int, losses: UnsafeMutableRawPointer,
                                                               grad: UnsafeMutableRawPointer, scale: Float,
                                                               upstream: UnsafeRawPointer?) -> Int {
        let scale = SIMD16(repeating: scale)
        var i = 0
        while i + 16 <= count {
            losscore_store16(losses + i * MemoryLayout<Float>.stride,
                             lanes(loss, x, y, at: i, grad: grad, scale: scale, upstream: upstream))
            i += 16
        }
        return i
    }

    /// The unweighted float reduction without a buffer: a loss's 16-lane formula over whole
    /// groups of 64 elements, whose losses go straight into `sum` (in the grouping
    /// `WideSum.add` gives a buffer) and scale * dl/dx into `grad` when given. Returns how
    /// many elements it did, or nil when the loss has no lanes or the buffers are not float.
    @inline(__always)
    static func laneSum<L: IndexedElementwiseLoss>(_ loss: L, _ x: UnsafePointer<L.Scalar>, _ y: UnsafePointer<L.Scalar>,
                                                  _ count: Int, grad: UnsafeMutablePointer<L.Scalar>?,
                                                  scale: L.Scalar, into sum: inout WideSum) -> Int? {
        guard loss.hasLanes, L.Scalar.self == Float.self else { return nil }
        let (x, y) = (UnsafeRawPointer(x), UnsafeRawPointer(y))
        guard let grad else { return laneSumOfValues(loss, x, y, count, into: &sum) }
        return laneSumWithGradient(loss, x, y, count, grad: UnsafeMutableRawPointer(grad),
                                   scale: unsafeBitCast(scale, to: Float.self), into: &sum)
    }

    @inline(never)
    static func laneSumWithGradient<L: IndexedElementwiseLoss>(_ loss: L, _ x: UnsafeRawPointer, _ y: UnsafeRawPointer,
                                                              _ count: Int, grad: UnsafeMutableRawPointer, scale: Float,
                                                              into sum: inout WideSum) -> Int {
        laneSumLoop(loss, x, y, count, grad: grad, scale: scale, into: &sum)
    }

    @inline(never)
    static func laneSumOfValues<L: IndexedElementwiseLoss>(_ loss: L, _ x: UnsafeRawPointer, _ y: UnsafeRawPointer,
                                                          _ count: Int, into sum: inout WideSum) -> Int {
        laneSumLoop(loss, x, y, count, grad: nil, scale: 0, into: &sum)
    }

    @inline(__always)
    static func laneSumLoop<L: IndexedElementwiseLoss>(_ loss: L, _ x: UnsafeRawPointer, _ y: UnsafeRawPointer, _ count: Int,
                                                      grad: UnsafeMutableRawPointer?, scale: Float,
                                                      into sum: inout WideSum) -> Int {
        let scale = SIMD16(repeating: scale)
        var i = 0
        while i + 64 <= count {
            // One call site for the formula: with more, Swift's inliner (its caller size
            // limit) left all but the first out of line.
            // (The first part starts the group rather than being added to zeros: once the
            // loop is unrolled that is one vector addition less per group.)
            // (Each part passes the optimizer barrier, not only the group: LLVM otherwise
            // cut the formula itself into the 256-bit halves that the group is widened in.)
            var group = SIMD16<Float>()
            for part in 0..<4 {
                let losses = losscore_opaque16(lanes(loss, x, y, at: i + 16 * part, grad: grad, scale: scale))
                group = part == 0 ? losses : group + losses
            }
            sum.add(losscore_opaque16(group))
            i += 64
        }
        return i
    }

    /// The losses of the sixteen float elements from `element` on, storing scale * dl/dx
    /// into `grad` when given, (upstream * scale) * dl/dx with `upstream` (the one-value
    /// code's g * w * dl/dx, with w = scale = 1).
    @inline(__always)
    static func lanes<L: IndexedElementwiseLoss>(_ loss: L, _ x: UnsafeRawPointer, _ y: UnsafeRawPointer, at element: Int,
                                                grad: UnsafeMutableRawPointer?, scale: SIMD16<Float>,
                                                upstream: UnsafeRawPointer? = nil) -> SIMD16<Float> {
        let offset = element * MemoryLayout<Float>.stride
        let (l, dl) = loss.lanes(losscore_load16(x + offset), losscore_load16(y + offset), derivative: grad != nil)
        if let grad {
            let factor = upstream.map { losscore_load16($0 + offset) * scale } ?? scale
            losscore_store16(grad + offset, factor * dl)
        }
        return l
    }
}
