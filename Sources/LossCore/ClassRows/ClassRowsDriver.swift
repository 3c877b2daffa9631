import CLossHints

/// The class-rows driver (cross-entropy, focal loss): the (N, C, d1...dk) layout, target
/// checks, the mean denominator, and the per-position loop that handles reduction,
/// grad_output, blocking and threads. (NLL, which reads one score per position, gathers and
/// scatters instead: NLL.swift.)

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

extension Row {
    /// Classes `start ..< start + length` of this row.
    @inline(__always) func slice(_ start: Int, _ length: Int) -> Row {
        Row(base: base + Stride.offset(start, stride), stride: stride, count: length)
    }
}

/// The gradient slots of one position.
struct MutableRow<Scalar: LossScalar, Stride: RowStride> {
    let base: UnsafeMutablePointer<Scalar>
    let stride: Int
    @inline(__always) subscript(_ j: Int) -> Scalar {
        get { base[Stride.offset(j, stride)] }
        nonmutating set { base[Stride.offset(j, stride)] = newValue }
    }

    /// The slots from class `start` on.
    @inline(__always) func slice(_ start: Int) -> MutableRow {
        MutableRow(base: base + Stride.offset(start, stride), stride: stride)
    }
}

/// A loss over the class scores of one position.
protocol PositionLoss {
    associatedtype Scalar: LossScalar
    /// True when `position` reads the operand, a second buffer at the input's layout
    /// (probability targets); such losses never get tiled copies of their rows.
    static var readsInputLayout: Bool { get }
    /// The lane kernel (see LaneMath): computes the `LaneMath.width` positions p... of one
    /// sample whose class-j scores are contiguous at x + j * inner, writing their losses to
    /// `losses` and their gradient (scaled by `scales[lane]`) at grad + j * inner. Returns
    /// false when this loss has no lane kernel for its Scalar (the caller falls back).
    /// `pipeline` carries the max of the next group between calls (LaneMath.Pipeline).
    func lanes(_ p: Int, _ x: UnsafePointer<Scalar>, inner: Int, classes: Int,
               grad: UnsafeMutablePointer<Scalar>?, scales: UnsafePointer<Scalar>,
               losses: UnsafeMutablePointer<Scalar>, pipeline: inout LaneMath.Pipeline) -> Bool
    /// The loss at position `p`, whose scores are `row` (and its operand values `operand`,
    /// for losses that read one). When `grad` is non-nil, writes `scale * dloss/dx_j` into
    /// every slot of it (zeros included).
    func position<S: RowStride>(_ p: Int, _ row: Row<Scalar, S>, _ operand: Row<Scalar, S>?,
                                _ grad: MutableRow<Scalar, S>?, _ scale: Scalar) -> Scalar
    /// `position` for consecutive contiguous rows: uses `pipeline.shift` as this row's max
    /// when set, and leaves there the max of `pipeline.next` when it computed it (RowPipeline).
    /// The default ignores the pipeline.
    func position(_ p: Int, _ row: Row<Scalar, UnitStride>, _ operand: Row<Scalar, UnitStride>?,
                  _ grad: MutableRow<Scalar, UnitStride>?, _ scale: Scalar,
                  pipeline: inout RowPipeline<Scalar>) -> Scalar
}

extension PositionLoss {
    func position(_ p: Int, _ row: Row<Scalar, UnitStride>, _ operand: Row<Scalar, UnitStride>?,
                  _ grad: MutableRow<Scalar, UnitStride>?, _ scale: Scalar,
                  pipeline: inout RowPipeline<Scalar>) -> Scalar {
        pipeline.shift = nil
        return position(p, row, operand, grad, scale)
    }

    static var readsInputLayout: Bool { false }
    func lanes(_ p: Int, _ x: UnsafePointer<Scalar>, inner: Int, classes: Int,
               grad: UnsafeMutablePointer<Scalar>?, scales: UnsafePointer<Scalar>,
               losses: UnsafeMutablePointer<Scalar>, pipeline: inout LaneMath.Pipeline) -> Bool { false }
}

/// A position loss with a lane kernel, which exists for float buffers only: it states the
/// kernel on them (`floatLanes`), and the conversion from its Scalar is written once here.
protocol FloatLanePositionLoss: PositionLoss {
    var weight: UnsafePointer<Scalar>? { get }
    /// `PositionLoss.lanes` on float buffers.
    func floatLanes(_ p: Int, _ buffers: LaneMath.FloatBuffers, inner: Int, classes: Int,
                    pipeline: inout LaneMath.Pipeline)
}

extension FloatLanePositionLoss {
    @inline(__always)
    func lanes(_ p: Int, _ x: UnsafePointer<Scalar>, inner: Int, classes: Int,
               grad: UnsafeMutablePointer<Scalar>?, scales: UnsafePointer<Scalar>,
               losses: UnsafeMutablePointer<Scalar>, pipeline: inout LaneMath.Pipeline) -> Bool {
        guard let buffers = LaneMath.FloatBuffers(x, grad: grad, scales: scales, losses: losses,
                                                  weight: weight) else { return false }
        floatLanes(p, buffers, inner: inner, classes: classes, pipeline: &pipeline)
        return true
    }
}

struct ClassLayout {
    let n: Int, classes: Int, inner: Int
    /// n * inner: one loss per position.
    let positions: Int
    /// n * classes * inner: the input's element count.
    let elements: Int
}

/// Compute-type pointers to the values of positions `lower ..< upper`, all of one sample
/// for K-dim inputs: position p's class-j score is x[offset(p) + j * stride] (the gradient
/// and the operand alike). For float and double buffers they point into the buffers
/// themselves; for 16-bit ones at a float copy of the segment (ClassRowsDriver.run).
struct Segment<T> {
    var lower: Int, upper: Int
    var x: UnsafePointer<T>
    var grad: UnsafeMutablePointer<T>?
    var operand: UnsafePointer<T>?
    /// How far apart consecutive positions start: c for rows, 1 within a K-dim sample.
    var step: Int
    /// How far apart a position's classes are: 1 for rows, else `inner` (or the staged run's length).
    var stride: Int
    @inline(__always) func offset(_ p: Int) -> Int { (p - lower) * step }
}

enum ClassRowsDriver {
    /// Checks sizes and pointers; returns the layout the kernels index with.
    static func validate<T: LossStorage>(_ b: ClassBuffers<T>) throws(LossError) -> ClassLayout {
        try Check.count(b.n, "n")
        try Check.count(b.classes, "c")
        try Check.count(b.inner, "inner")
        let positions = try Check.product(b.n, b.inner, "n * inner")
        let elements = try Check.product(positions, b.classes, "n * c * inner")
        try Check.elements(elements, of: T.self, "n * c * inner")
        try Check.elements(positions, of: Int64.self, "n * inner")
        // The weight has c values whatever the batch: a count it could not have is refused
        // even when there is nothing to compute.
        if b.weight != nil { try Check.elements(b.classes, of: T.self, "c (the weight's length)") }
        if positions > 0 && b.classes == 0 {
            throw .shape("c must be > 0 when there are positions to classify (n = \(b.n), inner = \(b.inner))")
        }
        if positions > 0 || b.reduction != .none { try Check.nonNull(b.out, "out") }
        if positions > 0 { try Check.nonNull(b.input, "input") }
        return ClassLayout(n: b.n, classes: b.classes, inner: b.inner, positions: positions, elements: elements)
    }

    /// Checks every class-index target and returns sum of w[target] over non-ignored
    /// positions: the 'mean' denominator of torch's nll_loss and cross_entropy.
    static func targetWeightSum<T: LossStorage>(_ target: UnsafePointer<Int64>?, _ layout: ClassLayout,
                                   weight: UnsafePointer<T>?, ignoreIndex: Int64) throws(LossError) -> Double {
        guard layout.positions > 0 else { return 0 }
        try Check.nonNull(target, "target")
        let target = target!
        let kept = try ClassIndex.checkRangeCountingKept(target, count: layout.positions, classes: layout.classes,
                                                         ignoreIndex: ignoreIndex)
        guard let weight else { return Double(kept) }  // without weights: the kept positions
        let t = UncheckedSendable(target), w = UncheckedSendable(weight)
        return Parallel.blockedSum(count: layout.positions, blockSize: 1 << 16) { range in
            BlockSum.sum(range) { p in
                let label = t.value[p]
                return label == ignoreIndex ? 0 : Double(w.value[Int(label)].computeValue)
            }
        }
    }

    /// Runs `body` with the per-class weights (`classes` values) as compute values: the
    /// buffer itself for float and double, a widened copy for 16-bit storage.
    static func withComputeWeights<S: LossStorage, R>(_ weight: UnsafePointer<S>?, classes: Int,
                                                      _ body: (UnsafePointer<S.Compute>?) -> R) -> R {
        guard let weight, !S.isCompute else { return body(S.computePointer(weight)) }
        return withUnsafeTemporaryAllocation(of: S.Compute.self, capacity: classes) { copy in
            S.widen(weight, into: copy.baseAddress!, count: classes)
            return body(UnsafePointer(copy.baseAddress!))
        }
    }

    /// Runs `loss` at every position and reduces; 'mean' divides by `divisor`. `operand` is
    /// the second buffer at the input's layout of losses that read one (`readsInputLayout`).
    static func run<L: PositionLoss, S: LossStorage>(_ loss: L, _ b: ClassBuffers<S>, _ layout: ClassLayout,
                                                     meanDivisor divisor: Double, operand: UnsafePointer<S>? = nil)
    where S.Compute == L.Scalar {
        if layout.inner == 1 {
            run(loss, b, layout, divisor, operand, UnitStride.self)
        } else {
            run(loss, b, layout, divisor, operand, InnerStride.self)
        }
    }

    /// The fewest contiguous rows in a fixed block (long rows would otherwise be one per block).
    static let minRowsPerBlock = 4

    /// Up to this many classes, contiguous rows are transposed into lanes (see run).
    static let maxTransposedClasses = 32

    /// Positions per tile of the K-dim path: a tile's scores fit comfortably in L1.
    private static func tileLength(classes: Int) -> Int { max(1, min(64, 4096 / classes)) }

    /// Scores a 16-bit call widens at a time on the row path (at least one row): its float
    /// copies stay in L2.
    static let stageElements = 1 << 15

    private static func run<L: PositionLoss, S: LossStorage, R: RowStride>(
        _ loss: L, _ b: ClassBuffers<S>, _ layout: ClassLayout, _ divisor: Double, _ operand: UnsafePointer<S>?,
        _: R.Type
    ) where S.Compute == L.Scalar {
        typealias T = L.Scalar
        let positions = layout.positions
        guard positions > 0 else { return Reduce.writeEmpty(b.reduction, to: b.out) }
        let c = layout.classes, inner = layout.inner
        let input = UncheckedSendable(b.input!), gradInput = UncheckedSendable(b.gradInput)
        let operand = UncheckedSendable(operand)
        // grad_output is ignored (never dereferenced) when no gradient is requested.
        let upstreamGradient = b.gradInput == nil ? nil : b.gradOutput
        let out = UncheckedSendable(b.out!), gradOutput = UncheckedSendable(upstreamGradient)
        let none = b.reduction == .none
        let scale: T = Reduce.gradientScale(b.reduction, upstream: upstreamGradient, divisor: divisor)
        @inline(__always) func scaleAt(_ p: Int) -> T { none ? (gradOutput.value?[p].computeValue ?? 1) : scale }
        @inline(__always) func write(_ value: T, at p: Int) { out.value[p] = S(rounding: value) }

        // Segments: for float and double the buffers in place, all the block's rows at once
        // or one sample's positions (K-dim). For 16-bit storage the same segments (rows:
        // up to `stageElements` scores, at least one row) are widened into `scratch`, and
        // `finish` rounds their gradient back. A segment never splits a K-dim sample's run
        // within a block (the lane kernels' groups depend on it) nor a row, so every value
        // is computed as in the float call.
        @inline(__always)
        func segment(_ p: Int, _ upper: Int, rows: Int, _ scratch: UnsafeMutablePointer<T>?) -> Segment<T> {
            if R.self == UnitStride.self {
                let q = S.isCompute ? upper : min(upper, p + rows)
                let start = p * c
                guard !S.isCompute, let scratch else {
                    return Segment(lower: p, upper: q, x: S.computePointer(input.value)! + start,
                                   grad: S.computePointer(gradInput.value).map { $0 + start },
                                   operand: S.computePointer(operand.value).map { $0 + start }, step: c, stride: 1)
                }
                let count = (q - p) * c, capacity = rows * c
                S.widen(input.value + start, into: scratch, count: count)
                if let o = operand.value { S.widen(o + start, into: scratch + capacity, count: count) }
                return Segment(lower: p, upper: q, x: UnsafePointer(scratch),
                               grad: gradInput.value == nil ? nil : scratch + 2 * capacity,
                               operand: operand.value == nil ? nil : UnsafePointer(scratch + capacity), step: c, stride: 1)
            }
            // K-dim: the rest of p's sample within the block.
            let k0 = p % inner
            let q = min(upper, p - k0 + inner), base = (p / inner) * c * inner + k0
            guard !S.isCompute, let scratch else {
                return Segment(lower: p, upper: q, x: S.computePointer(input.value)! + base,
                               grad: S.computePointer(gradInput.value).map { $0 + base },
                               operand: S.computePointer(operand.value).map { $0 + base }, step: 1, stride: inner)
            }
            let run = q - p, capacity = rows * c
            for j in 0..<c {
                S.widen(input.value + base + j * inner, into: scratch + j * run, count: run)
                if let o = operand.value { S.widen(o + base + j * inner, into: scratch + capacity + j * run, count: run) }
            }
            return Segment(lower: p, upper: q, x: UnsafePointer(scratch),
                           grad: gradInput.value == nil ? nil : scratch + 2 * capacity,
                           operand: operand.value == nil ? nil : UnsafePointer(scratch + capacity), step: 1, stride: run)
        }
        @inline(__always) func finish(_ s: Segment<T>) {
            guard !S.isCompute, s.upper > s.lower, let grad = s.grad, let destination = gradInput.value else { return }
            if R.self == UnitStride.self {
                S.narrow(grad, into: destination + s.lower * c, count: (s.upper - s.lower) * c)
            } else {
                let run = s.upper - s.lower, base = (s.lower / inner) * c * inner + s.lower % inner
                for j in 0..<c { S.narrow(grad + j * run, into: destination + base + j * inner, count: run) }
            }
        }
        // 16-bit: scratch for `rows` positions of scores, operand and gradient.
        @inline(__always) func staging<Result>(rows: Int, _ body: (UnsafeMutablePointer<T>?) -> Result) -> Result {
            if S.isCompute { return body(nil) }
            return withUnsafeTemporaryAllocation(of: T.self, capacity: 3 * rows * c) { body($0.baseAddress!) }
        }

        // Position p of segment `s`: its scores, operand values and gradient slots.
        @inline(__always) func compute(_ p: Int, _ s: Segment<T>) -> T {
            let o = s.offset(p)
            let row = Row<T, R>(base: s.x + o, stride: s.stride, count: c)
            let values = s.operand.map { Row<T, R>(base: $0 + o, stride: s.stride, count: c) }
            let grad = s.grad.map { MutableRow<T, R>(base: $0 + o, stride: s.stride) }
            return loss.position(p, row, values, grad, scaleAt(p))
        }

        // K-dim inputs: copy a tile of positions into contiguous rows, run the contiguous
        // (vectorized) row code, and copy the gradient back. Strided rows would defeat SIMD.
        let tiled = R.self == InnerStride.self && !L.readsInputLayout
        let tile = tileLength(classes: c)
        func tiledBlock(_ range: Range<Int>) -> Double {
            var sum = WideSum()
            let rows = gradInput.value == nil ? 1 : 2
            let width = LaneMath.width
            // Float inputs of up to `maxStagedClasses` classes are staged a tile at a time
            // (LaneMath.Pipeline); the stride pads each class row by a vector so that the
            // rows do not share cache sets.
            let staged = T.self == Float.self && c <= LaneMath.maxStagedClasses
            let stageLength = staged ? LaneMath.stageLength(classes: c) : 0
            let stageStride = stageLength + width
            let stagingCount = staged ? stageStride * c : 0
            return staging(rows: range.count) { scratch in
            withUnsafeTemporaryAllocation(of: T.self, capacity: rows * tile * c + 2 * width + stagingCount) { buffer in
                let xs = buffer.baseAddress!, gs = xs + tile * c
                let scales = xs + rows * tile * c, losses = scales + width
                let stage = UnsafeMutableRawPointer(losses + width).assumingMemoryBound(to: Float.self)
                var p = range.lowerBound
                var pipeline = LaneMath.Pipeline()
                var stagedRange = 0..<0  // positions whose scores are in `stage`
                var s = segment(p, range.upperBound, rows: range.count, scratch)
                while p < range.upperBound {
                    if p == s.upper {
                        finish(s)
                        s = segment(p, range.upperBound, rows: range.count, scratch)
                    }
                    let o = s.offset(p), xStride = s.stride
                    let run = s.upper - p
                    if run >= width && c <= LaneMath.maxClasses {
                        for l in 0..<width { scales[l] = scaleAt(p + l) }
                        let source = UnsafeRawPointer(s.x + o).assumingMemoryBound(to: Float.self)
                        if staged {
                            if !stagedRange.contains(p) {
                                let count = min(stageLength, run / width * width)
                                LaneMath.stage(source, inner: xStride, classes: c, positions: count,
                                               into: stage, stride: stageStride)
                                stagedRange = p..<(p + count)
                            }
                            pipeline.staged = (UnsafePointer(stage + (p - stagedRange.lowerBound)), stageStride)
                            // While this tile is computed, its groups ask for the next tile's
                            // lines (one per class each), so that copy does not wait for memory.
                            let ahead = stagedRange.count
                            if ahead < run {
                                for j in 0..<c { losscore_prefetch(UnsafeRawPointer(source + (ahead + j * xStride))) }
                            }
                        } else {
                            // The next call takes the next sixteen positions of this sample when
                            // they are all there (see LaneMath.Pipeline).
                            pipeline.next = run >= 2 * width ? source + width : nil
                        }
                        if loss.lanes(p, s.x + o, inner: xStride, classes: c,
                                      grad: s.grad.map { $0 + o }, scales: scales, losses: losses,
                                      pipeline: &pipeline) {
                            if none {
                                for l in 0..<width { write(losses[l], at: p + l) }
                            } else {
                                T.accumulate(losses, width, into: &sum)
                            }
                            p += width
                            continue
                        }
                    }
                    let count = min(tile, run)
                    for j in 0..<c {
                        let source = s.x + o + j * xStride
                        for kk in 0..<count { xs[kk * c + j] = source[kk] }
                    }
                    for kk in 0..<count {
                        let row = Row<T, UnitStride>(base: xs + kk * c, stride: 1, count: c)
                        let grad = s.grad == nil ? nil : MutableRow<T, UnitStride>(base: gs + kk * c, stride: 1)
                        let value = loss.position(p + kk, row, nil, grad, scaleAt(p + kk))
                        if none { write(value, at: p + kk) } else { sum.add(Double(value)) }
                    }
                    if let grad = s.grad {
                        for j in 0..<c {
                            let destination = grad + o + j * xStride
                            for kk in 0..<count { destination[kk] = gs[kk * c + j] }
                        }
                    }
                    p += count
                }
                finish(s)
                return sum.total
            }
            }
        }

        // Short contiguous rows (small C): transpose sixteen rows into class-major lanes and
        // run the lane kernel; per-row work would dominate otherwise.
        let transposed = R.self == UnitStride.self && c <= maxTransposedClasses
        func transposedBlock(_ range: Range<Int>) -> Double {
            var sum = WideSum()
            let width = LaneMath.width
            let rows = gradInput.value == nil ? 1 : 2
            return staging(rows: range.count) { scratch in
            withUnsafeTemporaryAllocation(of: T.self, capacity: rows * width * c + 2 * width) { buffer in
                let xs = buffer.baseAddress!, gs = xs + width * c
                let scales = xs + rows * width * c, losses = scales + width
                // (the whole block is one segment)
                let s = segment(range.lowerBound, range.upperBound, rows: range.count, scratch)
                var p = range.lowerBound
                while p + width <= range.upperBound {
                    for l in 0..<width {
                        let row = s.x + s.offset(p + l)
                        for j in 0..<c { xs[j * width + l] = row[j] }
                        scales[l] = scaleAt(p + l)
                    }
                    var pipeline = LaneMath.Pipeline()  // (rows transposed into L1: nothing to overlap)
                    guard loss.lanes(p, xs, inner: width, classes: c, grad: s.grad == nil ? nil : gs,
                                     scales: scales, losses: losses, pipeline: &pipeline) else { break }
                    if let grad = s.grad {
                        for l in 0..<width {
                            let row = grad + s.offset(p + l)
                            for j in 0..<c { row[j] = gs[j * width + l] }
                        }
                    }
                    if none {
                        for l in 0..<width { write(losses[l], at: p + l) }
                    } else {
                        T.accumulate(losses, width, into: &sum)
                    }
                    p += width
                }
                while p < range.upperBound {
                    let value = compute(p, s)
                    if none { write(value, at: p) } else { sum.add(Double(value)) }
                    p += 1
                }
                finish(s)
                return sum.total
            }
            }
        }

        /// Contiguous rows, each one's max computed during the previous one's exp-sum.
        func rowsBlock(_ range: Range<Int>) -> Double {
            let rows = max(1, min(stageElements / c, range.count))
            return staging(rows: rows) { scratch in
                var pipeline = RowPipeline<T>()
                var s = segment(range.lowerBound, range.upperBound, rows: rows, scratch)
                @inline(__always) func rowLoss(_ p: Int) -> T {
                    if p == s.upper {
                        finish(s)
                        s = segment(p, range.upperBound, rows: rows, scratch)
                    }
                    let o = s.offset(p)
                    let row = Row<T, UnitStride>(base: s.x + o, stride: 1, count: c)
                    let values = s.operand.map { Row<T, UnitStride>(base: $0 + o, stride: 1, count: c) }
                    let grad = s.grad.map { MutableRow<T, UnitStride>(base: $0 + o, stride: 1) }
                    pipeline.next = p + 1 < s.upper ? s.x + o + c : nil
                    return loss.position(p, row, values, grad, scaleAt(p), pipeline: &pipeline)
                }
                if none {
                    for p in range { write(rowLoss(p), at: p) }
                    finish(s)
                    return 0
                }
                let total = BlockSum.sum(range) { p in Double(rowLoss(p)) }
                finish(s)
                return total
            }
        }

        /// `rowsBlock` for 16-bit storage: each row is widened into float scratch by the call
        /// before it, while that row's exp-sum runs (RowPipeline.nextStored), or here when the
        /// call before did not (the block's first row, an ignored row); the gradient row is
        /// rounded back after each row.
        func widenedRowsBlock(_ range: Range<Int>) -> Double {
            let gradient = gradInput.value != nil
            return withUnsafeTemporaryAllocation(of: T.self, capacity: (gradient ? 3 : 2) * c) { buffer in
                var current = buffer.baseAddress!, following = current + c
                let gradRow = gradient ? current + 2 * c : nil
                var pipeline = RowPipeline<T>()
                var widened = false  // `current` holds row p
                @inline(__always) func rowLoss(_ p: Int) -> T {
                    let start = p * c
                    if !widened { S.widen(input.value + start, into: current, count: c) }
                    if p + 1 < range.upperBound {
                        pipeline.next = UnsafePointer(following)
                        pipeline.nextStored = (UnsafeRawPointer(input.value + start + c), HalfFormat.of(S.self)!)
                    } else {
                        pipeline.next = nil
                        pipeline.nextStored = nil
                    }
                    let row = Row<T, UnitStride>(base: current, stride: 1, count: c)
                    let value = loss.position(p, row, nil, gradRow.map { MutableRow<T, UnitStride>(base: $0, stride: 1) },
                                              scaleAt(p), pipeline: &pipeline)
                    if let gradRow {
                        HalfFormat.narrow(UnsafeRawPointer(gradRow).assumingMemoryBound(to: Float.self),
                                          into: gradInput.value! + start, count: c)
                    }
                    widened = pipeline.shift != nil
                    swap(&current, &following)
                    return value
                }
                if none {
                    for p in range { write(rowLoss(p), at: p) }
                    return 0
                }
                return BlockSum.sum(range) { p in Double(rowLoss(p)) }
            }
        }

        /// Strided rows (K-dim losses that read the operand), one sample's run at a time.
        func stridedBlock(_ range: Range<Int>) -> Double {
            staging(rows: range.count) { scratch in
                var s = segment(range.lowerBound, range.upperBound, rows: range.count, scratch)
                @inline(__always) func value(_ p: Int) -> T {
                    if p == s.upper {
                        finish(s)
                        s = segment(p, range.upperBound, rows: range.count, scratch)
                    }
                    return compute(p, s)
                }
                if none {
                    for p in range { write(value(p), at: p) }
                    finish(s)
                    return 0
                }
                let total = BlockSum.sum(range) { p in Double(value(p)) }
                finish(s)
                return total
            }
        }

        /// One fixed block: writes losses under 'none', returns their sum otherwise.
        func block(_ range: Range<Int>) -> Double {
            if tiled { return tiledBlock(range) }
            if transposed { return transposedBlock(range) }
            if R.self == UnitStride.self {
                return S.isCompute || L.readsInputLayout || T.self != Float.self ? rowsBlock(range) : widenedRowsBlock(range)
            }
            return stridedBlock(range)
        }

        // Fixed blocks of about `elementBlock` scores, whatever the thread count; for the
        // lane kernels a multiple of their width: whole groups, whose K-dim vectors are as
        // aligned as the sample's (a group straddling cache lines touches twice as many).
        // Contiguous rows come at least `minRowsPerBlock` to a block: a row's max is computed
        // during the previous row's exp-sum only within a block (rowsBlock).
        var blockSize = max(R.self == UnitStride.self ? minRowsPerBlock : 1, Parallel.elementBlock / c)
        if tiled || transposed { blockSize = max(LaneMath.width, blockSize / LaneMath.width * LaneMath.width) }
        let work = layout.elements
        if none {
            Parallel.forEachRange(count: positions, blockSize: blockSize, work: work) { _ = block($0) }
            return
        }
        let total = Parallel.blockedSum(count: positions, blockSize: blockSize, work: work, block)
        Reduce.write(total, b.reduction, divisor: divisor, zeroDivisor: .nan, to: b.out!)
    }
}
