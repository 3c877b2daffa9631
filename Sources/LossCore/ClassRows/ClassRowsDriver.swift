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
    /// True when `position` reads other buffers at the input's layout through `start`
    /// (probability targets); such losses always get rows in place, never tiled copies.
    static var readsInputLayout: Bool { get }
    /// The lane kernel (see LaneMath): computes the `LaneMath.width` positions p... of one
    /// sample whose class-j scores are contiguous at x + j * inner, writing their losses to
    /// `losses` and their gradient (scaled by `scales[lane]`) at grad + j * inner. Returns
    /// false when this loss has no lane kernel for its Scalar (the caller falls back).
    /// `pipeline` carries the max of the next group between calls (LaneMath.Pipeline).
    func lanes(_ p: Int, _ x: UnsafePointer<Scalar>, inner: Int, classes: Int,
               grad: UnsafeMutablePointer<Scalar>?, scales: UnsafePointer<Scalar>,
               losses: UnsafeMutablePointer<Scalar>, pipeline: inout LaneMath.Pipeline) -> Bool
    /// The loss at position `p`, whose scores start at element `start` of the input.
    /// When `grad` is non-nil, writes `scale * dloss/dx_j` into every slot of it (zeros
    /// included).
    func position<S: RowStride>(_ p: Int, _ start: Int, _ row: Row<Scalar, S>,
                                _ grad: MutableRow<Scalar, S>?, _ scale: Scalar) -> Scalar
    /// `position` for consecutive contiguous rows: uses `pipeline.shift` as this row's max
    /// when set, and leaves there the max of `pipeline.next` when it computed it (RowPipeline).
    /// The default ignores the pipeline.
    func position(_ p: Int, _ start: Int, _ row: Row<Scalar, UnitStride>,
                  _ grad: MutableRow<Scalar, UnitStride>?, _ scale: Scalar,
                  pipeline: inout RowPipeline<Scalar>) -> Scalar
}

extension PositionLoss {
    func position(_ p: Int, _ start: Int, _ row: Row<Scalar, UnitStride>,
                  _ grad: MutableRow<Scalar, UnitStride>?, _ scale: Scalar,
                  pipeline: inout RowPipeline<Scalar>) -> Scalar {
        pipeline.shift = nil
        return position(p, start, row, grad, scale)
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

enum ClassRowsDriver {
    /// Checks sizes and pointers; returns the layout the kernels index with.
    static func validate<T: LossScalar>(_ b: ClassBuffers<T>) throws(LossError) -> ClassLayout {
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
    static func targetWeightSum<T: LossScalar>(_ target: UnsafePointer<Int64>?, _ layout: ClassLayout,
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
                return label == ignoreIndex ? 0 : Double(w.value[Int(label)])
            }
        }
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

    /// The fewest contiguous rows in a fixed block (long rows would otherwise be one per block).
    static let minRowsPerBlock = 4

    /// Up to this many classes, contiguous rows are transposed into lanes (see run).
    static let maxTransposedClasses = 32

    /// Positions per tile of the K-dim path: a tile's scores fit comfortably in L1.
    private static func tileLength(classes: Int) -> Int { max(1, min(64, 4096 / classes)) }

    private static func run<L: PositionLoss, S: RowStride>(_ loss: L, _ b: ClassBuffers<L.Scalar>,
                                                           _ layout: ClassLayout, _ divisor: Double,
                                                           _: S.Type) {
        typealias T = L.Scalar
        let positions = layout.positions
        guard positions > 0 else { return Reduce.writeEmpty(b.reduction, to: b.out) }
        let c = layout.classes, inner = layout.inner
        let input = UncheckedSendable(b.input!), gradInput = UncheckedSendable(b.gradInput)
        // grad_output is ignored (never dereferenced) when no gradient is requested.
        let upstreamGradient = b.gradInput == nil ? nil : b.gradOutput
        let out = UncheckedSendable(b.out!), gradOutput = UncheckedSendable(upstreamGradient)
        let none = b.reduction == .none
        let scale: T = Reduce.gradientScale(b.reduction, upstream: upstreamGradient, divisor: divisor)
        @inline(__always) func scaleAt(_ p: Int) -> T { none ? (gradOutput.value?[p] ?? 1) : scale }

        // Position p = (i, k) starts at i * c * inner + k; its scores are `inner` apart.
        @inline(__always) func compute(_ p: Int) -> T {
            let start = inner == 1 ? p * c : (p / inner) * c * inner + p % inner
            let row = Row<T, S>(base: input.value + start, stride: inner, count: c)
            let grad = gradInput.value.map { MutableRow<T, S>(base: $0 + start, stride: inner) }
            return loss.position(p, start, row, grad, scaleAt(p))
        }

        // K-dim inputs: copy a tile of positions into contiguous rows, run the contiguous
        // (vectorized) row code, and copy the gradient back. Strided rows would defeat SIMD.
        let tiled = S.self == InnerStride.self && !L.readsInputLayout
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
            let staging = staged ? stageStride * c : 0
            withUnsafeTemporaryAllocation(of: T.self, capacity: rows * tile * c + 2 * width + staging) { scratch in
                let xs = scratch.baseAddress!, gs = xs + tile * c
                let scales = xs + rows * tile * c, losses = scales + width
                let stage = UnsafeMutableRawPointer(losses + width).assumingMemoryBound(to: Float.self)
                var p = range.lowerBound
                var pipeline = LaneMath.Pipeline()
                var stagedRange = 0..<0  // positions whose scores are in `stage`
                while p < range.upperBound {
                    let k0 = p % inner
                    let base = (p / inner) * c * inner + k0
                    let run = min(inner - k0, range.upperBound - p)
                    if run >= width && c <= LaneMath.maxClasses {
                        for l in 0..<width { scales[l] = scaleAt(p + l) }
                        let source = UnsafeRawPointer(input.value + base).assumingMemoryBound(to: Float.self)
                        if staged {
                            if !stagedRange.contains(p) {
                                let count = min(stageLength, run / width * width)
                                LaneMath.stage(source, inner: inner, classes: c, positions: count,
                                               into: stage, stride: stageStride)
                                stagedRange = p..<(p + count)
                            }
                            pipeline.staged = (UnsafePointer(stage + (p - stagedRange.lowerBound)), stageStride)
                            // While this tile is computed, its groups ask for the next tile's
                            // lines (one per class each), so that copy does not wait for memory.
                            let ahead = stagedRange.count
                            if ahead < run {
                                for j in 0..<c { losscore_prefetch(UnsafeRawPointer(source + (ahead + j * inner))) }
                            }
                        } else {
                            // The next call takes the next sixteen positions of this sample when
                            // they are all there (see LaneMath.Pipeline).
                            pipeline.next = run >= 2 * width ? source + width : nil
                        }
                        if loss.lanes(p, input.value + base, inner: inner, classes: c,
                                      grad: gradInput.value.map { $0 + base }, scales: scales, losses: losses,
                                      pipeline: &pipeline) {
                            if none {
                                for l in 0..<width { out.value[p + l] = losses[l] }
                            } else {
                                T.accumulate(losses, width, into: &sum)
                            }
                            p += width
                            continue
                        }
                    }
                    let count = min(tile, inner - k0, range.upperBound - p)
                    for j in 0..<c {
                        let source = input.value + base + j * inner
                        for kk in 0..<count { xs[kk * c + j] = source[kk] }
                    }
                    for kk in 0..<count {
                        let row = Row<T, UnitStride>(base: xs + kk * c, stride: 1, count: c)
                        let grad = gradInput.value == nil ? nil : MutableRow<T, UnitStride>(base: gs + kk * c, stride: 1)
                        let value = loss.position(p + kk, base + kk, row, grad, scaleAt(p + kk))
                        if none { out.value[p + kk] = value } else { sum.add(Double(value)) }
                    }
                    if let grad = gradInput.value {
                        for j in 0..<c {
                            let destination = grad + base + j * inner
                            for kk in 0..<count { destination[kk] = gs[kk * c + j] }
                        }
                    }
                    p += count
                }
            }
            return sum.total
        }

        // Short contiguous rows (small C): transpose sixteen rows into class-major lanes and
        // run the lane kernel; per-row work would dominate otherwise.
        let transposed = S.self == UnitStride.self && c <= maxTransposedClasses
        func transposedBlock(_ range: Range<Int>) -> Double {
            var sum = WideSum()
            let width = LaneMath.width
            let rows = gradInput.value == nil ? 1 : 2
            withUnsafeTemporaryAllocation(of: T.self, capacity: rows * width * c + 2 * width) { scratch in
                let xs = scratch.baseAddress!, gs = xs + width * c
                let scales = xs + rows * width * c, losses = scales + width
                var p = range.lowerBound
                while p + width <= range.upperBound {
                    for l in 0..<width {
                        let row = input.value + (p + l) * c
                        for j in 0..<c { xs[j * width + l] = row[j] }
                        scales[l] = scaleAt(p + l)
                    }
                    var pipeline = LaneMath.Pipeline()  // (rows transposed into L1: nothing to overlap)
                    guard loss.lanes(p, xs, inner: width, classes: c, grad: gradInput.value == nil ? nil : gs,
                                     scales: scales, losses: losses, pipeline: &pipeline) else { break }
                    if let grad = gradInput.value {
                        for l in 0..<width {
                            let row = grad + (p + l) * c
                            for j in 0..<c { row[j] = gs[j * width + l] }
                        }
                    }
                    if none {
                        for l in 0..<width { out.value[p + l] = losses[l] }
                    } else {
                        T.accumulate(losses, width, into: &sum)
                    }
                    p += width
                }
                while p < range.upperBound {
                    let value = compute(p)
                    if none { out.value[p] = value } else { sum.add(Double(value)) }
                    p += 1
                }
            }
            return sum.total
        }

        /// Contiguous rows, each one's max computed during the previous one's exp-sum.
        func rowsBlock(_ range: Range<Int>) -> Double {
            var pipeline = RowPipeline<T>()
            @inline(__always) func rowLoss(_ p: Int) -> T {
                let start = p * c
                let row = Row<T, UnitStride>(base: input.value + start, stride: 1, count: c)
                let grad = gradInput.value.map { MutableRow<T, UnitStride>(base: $0 + start, stride: 1) }
                pipeline.next = p + 1 < range.upperBound ? input.value + start + c : nil
                return loss.position(p, start, row, grad, scaleAt(p), pipeline: &pipeline)
            }
            if none {
                for p in range { out.value[p] = rowLoss(p) }
                return 0
            }
            return BlockSum.sum(range) { p in Double(rowLoss(p)) }
        }

        /// One fixed block: writes losses under 'none', returns their sum otherwise.
        func block(_ range: Range<Int>) -> Double {
            if tiled { return tiledBlock(range) }
            if transposed { return transposedBlock(range) }
            if S.self == UnitStride.self { return rowsBlock(range) }
            if none {
                for p in range { out.value[p] = compute(p) }
                return 0
            }
            return BlockSum.sum(range) { p in Double(compute(p)) }
        }

        // Fixed blocks of about `elementBlock` scores, whatever the thread count; for the
        // lane kernels a multiple of their width: whole groups, whose K-dim vectors are as
        // aligned as the sample's (a group straddling cache lines touches twice as many).
        // Contiguous rows come at least `minRowsPerBlock` to a block: a row's max is computed
        // during the previous row's exp-sum only within a block (rowsBlock).
        var blockSize = max(S.self == UnitStride.self ? minRowsPerBlock : 1, Parallel.elementBlock / c)
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
