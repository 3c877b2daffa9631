/// One row of each operand of a row-tuple call, and the gradient rows to write (nil: not
/// requested). `third` is only read by losses of three operands. The rows hold the call's
/// storage type; the loss computes in its compute type (`RowLanes` widens and rounds).
struct RowTuple<Storage: LossStorage> {
    typealias Scalar = Storage.Compute
    let first: UnsafePointer<Storage>
    let second: UnsafePointer<Storage>
    let third: UnsafePointer<Storage>
    /// The row's target (pair losses), 0 for losses without one.
    let target: Scalar
    let width: Int
    let gradFirst: UnsafeMutablePointer<Storage>?
    let gradSecond: UnsafeMutablePointer<Storage>?
    let gradThird: UnsafeMutablePointer<Storage>?
}

/// A loss over matching rows of two or three inputs: l_i = l(x1_i, x2_i[, x3_i][, y_i]).
///
/// Conforming types state one row's loss and its gradient; `RowTuplesDriver` does the
/// validation, blocking, threading, reduction and the gradient's common factor.
protocol RowTupleLoss {
    associatedtype Scalar: LossScalar
    /// The loss of one row tuple. With a `factor`, also writes factor * d l / d operand into
    /// every gradient row of `rows` that is not nil (each element, zeros included), each
    /// rounded once to the storage type.
    func row<S: LossStorage>(_ rows: RowTuple<S>, gradient factor: Scalar?) -> Scalar where S.Compute == Scalar
}

enum RowTuplesDriver {
    /// Checks sizes and pointers; afterwards the kernel cannot fail or read out of bounds.
    /// `operands` names the data arguments in the header's order (two or three); `target`:
    /// the loss reads one target per row.
    static func validate<T>(_ b: RowTupleBuffers<T>, operands: [String], target: Bool) throws(LossError) {
        try Check.elements(b.rows, of: T.self, "n")
        try Check.count(b.width, "d")
        let total = try Check.product(b.rows, b.width, "n * d")
        try Check.elements(total, of: T.self, "n * d")
        if b.rows > 0 || b.reduction != .none { try Check.nonNull(b.out, "out") }
        if total > 0 {
            let pointers = [b.first, b.second, b.third]
            for (k, name) in operands.enumerated() { try Check.nonNull(pointers[k], name) }
        }
        if target && b.rows > 0 { try Check.nonNull(b.target, "target") }
    }

    /// Rows per block: about `Parallel.elementBlock` values of each operand, fixed by the
    /// shape alone so that sums do not depend on the thread count.
    static func blockRows(width: Int) -> Int { max(1, Parallel.elementBlock / max(1, width)) }

    /// Computes the loss (and the gradients requested) in one pass over the rows. For 16-bit
    /// storage the kernels widen the values as they load them and round each result as they
    /// store it (`RowLanes`), with the `Float` call's arithmetic in the same order: the
    /// results are the `Float` call's on the widened values, rounded once.
    static func run<L: RowTupleLoss, S: LossStorage>(_ loss: L, _ b: RowTupleBuffers<S>, operands: Int)
    where S.Compute == L.Scalar {
        typealias T = L.Scalar
        let n = b.rows, width = b.width
        guard n > 0 else { return Reduce.writeEmpty(b.reduction, to: b.out) }
        let gradient = b.gradFirst != nil || b.gradSecond != nil || b.gradThird != nil
        // An operand without elements (width 0) may be NULL; its rows are then never read.
        let nowhere = UnsafePointer<S>(bitPattern: MemoryLayout<S>.alignment)!
        let first = b.first ?? nowhere, second = b.second ?? nowhere, third = b.third ?? nowhere
        let buffers = UncheckedSendable((b, first, second, third))
        @inline(__always) func tuple(_ i: Int) -> RowTuple<S> {
            let (b, first, second, third) = buffers.value
            let offset = i &* width
            return RowTuple(first: first + offset, second: second + offset, third: third + offset,
                            target: b.target?[i].computeValue ?? 0, width: width,
                            gradFirst: b.gradFirst.map { $0 + offset }, gradSecond: b.gradSecond.map { $0 + offset },
                            gradThird: b.gradThird.map { $0 + offset })
        }
        let blockSize = blockRows(width: width)
        let work = n &* max(1, width) &* operands
        if b.reduction == .none {
            let out = UncheckedSendable(b.out!)
            let upstream = UncheckedSendable(gradient ? b.gradOutput : nil)
            Parallel.forEachRange(count: n, blockSize: blockSize, work: work) { range in
                for i in range {
                    let factor: T? = gradient ? upstream.value?[i].computeValue ?? 1 : nil
                    out.value[i] = S(rounding: loss.row(tuple(i), gradient: factor))
                }
            }
            return
        }
        let scale: T? = gradient
            ? Reduce.gradientScale(b.reduction, upstream: b.gradOutput, divisor: Double(n)) : nil
        let total = Parallel.blockedSum(count: n, blockSize: blockSize, work: work) { range in
            var sum = 0.0
            for i in range { sum += Double(loss.row(tuple(i), gradient: scale)) }
            return sum
        }
        Reduce.write(total, b.reduction, divisor: Double(n), to: b.out!)
    }
}

/// Eight values of a row as the kernels load and store them: the compute type's vector for
/// `Float` and `Double` buffers; for 16-bit buffers widened on load and rounded (to nearest
/// even, as `init(rounding:)`) on store, so a kernel's arithmetic is that of the `Float`
/// call on the widened values. The type tests fold away after specialization; the 16-bit
/// conversions go lane by lane, which LLVM turns into one vector conversion (the vector
/// conversion initializers, inside the larger kernels, were left as calls).
enum RowLanes {
    @inline(__always)
    static func load<S: LossStorage>(_ p: UnsafePointer<S>) -> SIMD8<S.Compute> {
        if S.isCompute { return UnsafeRawPointer(p).loadUnaligned(as: SIMD8<S.Compute>.self) }
        var v = SIMD8<S.Compute>()
        for k in 0..<8 { v[k] = p[k].computeValue }
        return v
    }

    @inline(__always)
    static func store<S: LossStorage>(_ v: SIMD8<S.Compute>, _ p: UnsafeMutablePointer<S>) {
        if S.isCompute { return UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD8<S.Compute>.self) }
        for k in 0..<8 { p[k] = S(rounding: v[k]) }
    }
}
