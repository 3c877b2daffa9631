/// The class-margins driver (multi-margin, multi-label margin, multi-label soft margin):
/// (N, C) scores, the class dimension last, whose loss is a sum over the C classes of a row
/// divided by C, one loss per row, and 'mean' over the N rows.
///
/// Each row is independent, so rows are cut into fixed blocks whatever the thread count (the
/// same bits on any number of threads). A loss states one row; its per-class terms are
/// written into a chunk buffer and summed in double lanes (`LossScalar.accumulate`), so a
/// float row of thousands of classes keeps the accuracy of a double sum.

/// The loss of one row of class scores.
protocol MarginRowLoss {
    associatedtype Scalar: LossScalar
    /// The sum over the row's classes of its terms (before the division by C), given row
    /// `i`'s scores `x` and its rows of the operands the driver was given (`target`,
    /// `elementWeight`: nil where not given). When `grad` is set, writes `scale *
    /// d(sum)/dx_j` into every one of its C slots (zeros included); the driver passes `scale`
    /// already divided by C. `chunk` holds `chunkLength` values for `sum`, then
    /// `scratchPerRow` more for the row.
    func rowSum(_ i: Int, _ x: UnsafePointer<Scalar>, target: UnsafePointer<Scalar>?,
                elementWeight: UnsafePointer<Scalar>?, _ grad: UnsafeMutablePointer<Scalar>?, _ scale: Scalar,
                _ chunk: UnsafeMutablePointer<Scalar>) -> Double
    /// Values of scratch a row needs beside the chunk (allocated once per block).
    var scratchPerRow: Int { get }
}

extension MarginRowLoss {
    var scratchPerRow: Int { 0 }
}

enum ClassMarginsDriver {
    /// Class terms per chunk of a row: the buffer lives on the stack and stays in L1.
    static let chunkLength = 256

    /// Checks sizes and pointers of an (N, C) call (no inner dimension) and returns its layout.
    static func validate<T: LossStorage>(_ b: ClassBuffers<T>) throws(LossError) -> ClassLayout {
        try ClassRowsDriver.validate(b)
    }

    /// Runs `loss` on every row and reduces; 'mean' divides by the number of rows. `target`
    /// and `elementWeight` (n x C each, when given) are handed to the loss row by row.
    /// 16-bit rows are widened one at a time (with their operands' rows) and their gradient
    /// rounded back: each row is computed as in the float call.
    static func run<L: MarginRowLoss, S: LossStorage>(_ loss: L, _ b: ClassBuffers<S>, _ layout: ClassLayout,
                                                      target: UnsafePointer<S>? = nil,
                                                      elementWeight: UnsafePointer<S>? = nil)
    where S.Compute == L.Scalar {
        typealias T = L.Scalar
        let rows = layout.positions
        guard rows > 0 else { return Reduce.writeEmpty(b.reduction, to: b.out) }
        let c = layout.classes
        let input = UncheckedSendable(b.input!), gradInput = UncheckedSendable(b.gradInput)
        let operands = UncheckedSendable((target, elementWeight))
        // grad_output is ignored (never dereferenced) when no gradient is requested.
        let upstream = b.gradInput == nil ? nil : b.gradOutput
        let out = UncheckedSendable(b.out!), gradOutput = UncheckedSendable(upstream)
        let none = b.reduction == .none
        let divisor = Double(rows)
        // d(result)/d(row sum): grad_output (per row for 'none'; over N for 'mean') over C.
        let scale = Double(Reduce.gradientScale(b.reduction, upstream: upstream, divisor: divisor) as T) / Double(c)
        let classes = Double(c)

        func block(_ range: Range<Int>) -> Double {
            withUnsafeTemporaryAllocation(of: T.self, capacity: chunkLength + loss.scratchPerRow
                                                                 + (S.isCompute ? 0 : 4 * c)) { chunk in
                let chunk = chunk.baseAddress!, staged = chunk + chunkLength + loss.scratchPerRow
                @inline(__always) func rowSum(_ i: Int) -> Double {
                    let rowScale = none ? T(Double(gradOutput.value?[i].computeValue ?? 1) / classes) : T(scale)
                    let start = i * c
                    let (target, elementWeight) = operands.value
                    guard !S.isCompute else {
                        return loss.rowSum(i, S.computePointer(input.value)! + start,
                                           target: S.computePointer(target).map { $0 + start },
                                           elementWeight: S.computePointer(elementWeight).map { $0 + start },
                                           S.computePointer(gradInput.value).map { $0 + start }, rowScale, chunk)
                    }
                    let x = staged, grad = staged + c, t = staged + 2 * c, w = staged + 3 * c
                    S.widen(input.value + start, into: x, count: c)
                    if let target { S.widen(target + start, into: t, count: c) }
                    if let elementWeight { S.widen(elementWeight + start, into: w, count: c) }
                    let sum = stagedRowSum(loss, i, x, target: target == nil ? nil : UnsafePointer(t),
                                           elementWeight: elementWeight == nil ? nil : UnsafePointer(w),
                                           gradInput.value == nil ? nil : grad, rowScale, chunk)
                    if let destination = gradInput.value { S.narrow(grad, into: destination + start, count: c) }
                    return sum
                }
                if none {
                    for i in range { out.value[i] = S(rounding: T(rowSum(i) / classes)) }
                    return 0
                }
                return BlockSum.sum(range) { i in rowSum(i) / classes }
            }
        }

        // Fixed blocks of about `elementBlock` scores, whatever the thread count.
        let blockSize = max(1, Parallel.elementBlock / c)
        if none {
            Parallel.forEachRange(count: rows, blockSize: blockSize, work: layout.elements) { _ = block($0) }
            return
        }
        let total = Parallel.blockedSum(count: rows, blockSize: blockSize, work: layout.elements, block)
        Reduce.write(total, b.reduction, divisor: divisor, to: b.out!)
    }

    /// `loss.rowSum` on a staged (widened) row. Never inlined: the staged row, its gradient and
    /// the chunk are slices of one allocation, whose distances LLVM cannot bound inside the
    /// block, so it left the row loops scalar (a float16 value+grad 7x the float32 time); as
    /// arguments they are separate pointers, and the loops vectorize behind run-time overlap
    /// checks. It also makes one copy per loss serve both 16-bit types.
    @inline(never)
    static func stagedRowSum<L: MarginRowLoss>(_ loss: L, _ i: Int, _ x: UnsafePointer<L.Scalar>,
                                               target: UnsafePointer<L.Scalar>?,
                                               elementWeight: UnsafePointer<L.Scalar>?,
                                               _ grad: UnsafeMutablePointer<L.Scalar>?, _ scale: L.Scalar,
                                               _ chunk: UnsafeMutablePointer<L.Scalar>) -> Double {
        loss.rowSum(i, x, target: target, elementWeight: elementWeight, grad, scale, chunk)
    }

    /// Sums `count` terms that `term(j, chunk slot)` writes, chunk by chunk, in double lanes.
    @inline(__always)
    static func sum<T: LossScalar>(_ count: Int, _ chunk: UnsafeMutablePointer<T>,
                                   _ terms: (Range<Int>, UnsafeMutablePointer<T>) -> Void) -> Double {
        var sum = WideSum()
        var start = 0
        while start < count {
            let end = min(start + chunkLength, count)
            terms(start..<end, chunk - start)
            T.accumulate(chunk, end - start, into: &sum)
            start = end
        }
        return sum.total
    }
}
