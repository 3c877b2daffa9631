import CLossHints

/// An elementwise loss of three operands with derivatives with respect to two of them:
///
///     l_i = l(a_i, b_i, c_i)     d l_i / d a_i   and   d l_i / d s_i
///
/// where s is b or c (`secondDerivative`). The third operand may be shared along one
/// dimension (`OperandBuffers.thirdRepeat`); its derivative is then summed over the
/// elements that share each value, in element order. `OperandsDriver` does the reduction,
/// the upstream gradient, blocking and threading for every such loss, which states only
/// its formula (margin ranking: (x1, x2, y) and d/dx1, d/dx2; Gaussian NLL: (x, y, var)
/// and d/dx, d/dvar).
protocol OperandsLoss {
    associatedtype Scalar: LossScalar
    /// The operand of the second derivative: `.second` or `.third`.
    static var secondDerivative: Operand { get }
    /// (l, dl/da, dl/ds), computed together.
    func valueAndDerivatives(_ a: Scalar, _ b: Scalar, _ c: Scalar) -> (Scalar, Scalar, Scalar)
    /// The same on sixteen float lanes (the derivatives only when `derivative`). Float
    /// buffers always run on lanes, tails as lane 0, so that an element gets the same bits
    /// wherever it falls.
    func lanes(_ a: SIMD16<Float>, _ b: SIMD16<Float>, _ c: SIMD16<Float>, derivative: Bool)
        -> (SIMD16<Float>, SIMD16<Float>, SIMD16<Float>)
}

/// The operands of an `OperandsLoss`, in its order.
enum Operand { case first, second, third }

/// Where an element finds its third operand: one value per element, or one value for a
/// whole run of elements.
protocol ThirdOperand {
    associatedtype Scalar: LossScalar
    func scalar(_ i: Int) -> Scalar
    func lanes(_ i: Int) -> SIMD16<Float>
}

struct EachElement<Scalar: LossScalar>: ThirdOperand {
    let values: UnsafePointer<Scalar>
    @inline(__always) func scalar(_ i: Int) -> Scalar { values[i] }
    @inline(__always) func lanes(_ i: Int) -> SIMD16<Float> {
        losscore_load16(UnsafeRawPointer(values + i))
    }
}

struct OneValue<Scalar: LossScalar>: ThirdOperand {
    let value: Scalar
    @inline(__always) func scalar(_ i: Int) -> Scalar { value }
    @inline(__always) func lanes(_ i: Int) -> SIMD16<Float> {
        SIMD16(repeating: unsafeBitCast(value, to: Float.self))
    }
}

enum OperandsDriver {
    /// Elements per stack-buffered chunk (as `ElementwiseDriver.chunkLength`).
    static let chunkLength = 512

    /// Checks pointers and sizes, including the third operand's sharing (`thirdRepeat`
    /// and `thirdInner` >= 1, their product dividing n); afterwards the kernel cannot
    /// fail or read out of bounds.
    static func validate<T>(_ b: OperandBuffers<T>, names: (String, String, String),
                            sharing: (repeat: String, inner: String)? = nil) throws(LossError) {
        try Check.elements(b.count, of: T.self, "n")
        if let sharing {
            try Check.count(b.thirdRepeat, sharing.repeat)
            try Check.count(b.thirdInner, sharing.inner)
            guard b.thirdRepeat >= 1, b.thirdInner >= 1 else {
                throw .shape("\(sharing.repeat) and \(sharing.inner) must be >= 1 "
                             + "(got \(b.thirdRepeat) and \(b.thirdInner))")
            }
            let (group, overflow) = b.thirdRepeat.multipliedReportingOverflow(by: b.thirdInner)
            guard !overflow, b.count % group == 0 else {
                throw .shape("\(sharing.repeat) * \(sharing.inner) = \(b.thirdRepeat) * \(b.thirdInner) "
                             + "must divide n \(b.count)")
            }
        } else if b.thirdRepeat != 1 || b.thirdInner != 1 {
            throw .shape("\(names.2) has one value per element (repeat 1, inner 1)")
        }
        if b.count > 0 || b.reduction != .none {
            try Check.nonNull(b.out, "out")
        }
        if b.count > 0 {
            try Check.nonNull(b.first, names.0)
            try Check.nonNull(b.second, names.1)
            try Check.nonNull(b.third, names.2)
        }
    }

    /// Computes the loss (and the requested gradients) in one pass. 'mean' divides by n.
    /// 16-bit buffers are widened and rounded back one chunk at a time (the chunks the
    /// float call computes and sums), so their results are the float call's rounded once;
    /// a derivative summed over a shared value is summed in float and rounded at the end.
    static func run<L: OperandsLoss, S: LossStorage>(_ loss: L, _ b: OperandBuffers<S>) where S.Compute == L.Scalar {
        typealias T = L.Scalar
        let n = b.count
        guard n > 0 else { return Reduce.writeEmpty(b.reduction, to: b.out) }
        let gradient = b.gradFirst != nil || b.gradSecond != nil
        let upstream = gradient ? b.gradOutput : nil
        let scale: T = b.reduction == .none ? 1
            : Reduce.gradientScale(b.reduction, upstream: upstream, divisor: Double(n))
        let call = UncheckedSendable(Call(loss: loss, b: b, scale: scale,
                                          upstream: b.reduction == .none ? upstream : nil, gradient: gradient))
        // Blocks of whole outer rows (rows x repeat x inner elements), so that every shared
        // value and its summed derivative belong to one block.
        let rowLength = b.thirdRepeat * b.thirdInner
        let rowsPerBlock = max(1, Parallel.elementBlock / rowLength)
        let rows = n / rowLength
        let total = Parallel.blockedSum(count: rows, blockSize: rowsPerBlock, work: n) { range in
            call.value.rows(range)
        }
        if b.reduction != .none { Reduce.write(total, b.reduction, divisor: Double(n), to: b.out!) }
    }

    /// One call's loss, buffers and factors, walked row by row.
    struct Call<L: OperandsLoss, S: LossStorage> where S.Compute == L.Scalar {
        typealias T = L.Scalar
        let loss: L
        let b: OperandBuffers<S>
        let scale: T
        let upstream: UnsafePointer<S>?
        let gradient: Bool

        /// The sum of the losses of the outer rows `range` (0 for 'none', which writes them).
        func rows(_ range: Range<Int>) -> Double {
            let repeats = b.thirdRepeat, inner = b.thirdInner
            var sum = WideSum()
            withUnsafeTemporaryAllocation(of: T.self, capacity: 3 * OperandsDriver.chunkLength) { scratch in
                Staging<S>.with(capacity: 7 * OperandsDriver.chunkLength) { stage in
                    let buffers = scratch.baseAddress!
                    let gradThird = L.secondDerivative == .third ? b.gradSecond : nil
                    if repeats == 1 {
                        // One third value per element: the rows are one contiguous run.
                        let start = range.lowerBound * inner
                        run(start: start, count: range.count * inner, .each(b.third! + start), buffers, &stage, &sum,
                            thirdGradient: gradThird.map { .store($0 + start) })
                        return
                    }
                    // inner > 1 with 16-bit storage: the row's summed derivative in float.
                    let rowSums: UnsafeMutablePointer<T>? = S.isCompute || inner == 1 || gradThird == nil ? nil
                        : .allocate(capacity: inner)
                    defer { rowSums?.deallocate() }
                    for row in range {
                        let third = b.third! + row * inner
                        let grad = gradThird.map { $0 + row * inner }
                        if inner == 1 {
                            // One value for the whole row; its derivative is the row's sum.
                            var shared = WideSum()
                            withUnsafeMutablePointer(to: &shared) { shared in
                                run(start: row * repeats, count: repeats, .one(third[0].computeValue), buffers, &stage,
                                    &sum, thirdGradient: grad == nil ? nil : .sum(shared))
                            }
                            if let grad { grad[0] = S(rounding: T(shared.total)) }
                        } else {
                            // inner values repeated `repeats` times: written by the first, then added, in order.
                            let sums = rowSums ?? S.computePointer(grad)
                            for k in 0..<repeats {
                                run(start: (row * repeats + k) * inner, count: inner, .each(third), buffers, &stage,
                                    &sum, thirdGradient: sums.map { k == 0 ? .write($0) : .add($0) })
                            }
                            if let rowSums, let grad { S.narrow(rowSums, into: grad, count: inner) }
                        }
                    }
                }
            }
            return sum.total
        }

        /// Where the third operand's values come from: one per element, or one for the run.
        enum Third {
            case each(UnsafePointer<S>), one(T)
        }

        /// Where the derivative with respect to the third operand goes.
        enum ThirdGradient {
            /// Rounded into the buffer (copied for float and double).
            case store(UnsafeMutablePointer<S>)
            case write(UnsafeMutablePointer<T>), add(UnsafeMutablePointer<T>), sum(UnsafeMutablePointer<WideSum>)
        }

        /// Elements `start ..< start + count`, whose third operand `third` indexes from 0.
        @inline(__always)
        func run(start: Int, count: Int, _ third: Third, _ scratch: UnsafeMutablePointer<T>, _ stage: inout Staging<S>,
                 _ sum: inout WideSum, thirdGradient: ThirdGradient?) {
            var done = 0
            while done < count {
                let length = min(OperandsDriver.chunkLength, count - done)
                let i = start + done
                stage.reset()
                let out = b.reduction == .none ? b.out! + i : nil
                let losses = stage.output(out, length) ?? scratch
                let gradA = stage.output(b.gradFirst.map { $0 + i }, length)
                // The second derivative: straight into grad_second for the second operand,
                // else into the scratch buffer, written, added or summed below.
                let gradSecond = L.secondDerivative == .second ? b.gradSecond.map { $0 + i } : nil
                let gradS: UnsafeMutablePointer<T>? = L.secondDerivative == .second
                    ? stage.output(gradSecond, length)
                    : (thirdGradient == nil ? nil : scratch + 2 * OperandsDriver.chunkLength)
                let a = stage.input(b.first! + i, length)!, bb = stage.input(b.second! + i, length)!
                let factors = stage.input(upstream.map { $0 + i }, length)
                switch third {
                case .each(let values):
                    chunk(a, bb, EachElement(values: stage.input(values + done, length)!), offset: 0, length,
                          losses: losses, gradA: gradA, gradS: gradS, upstream: factors)
                case .one(let value):
                    chunk(a, bb, OneValue(value: value), offset: done, length,
                          losses: losses, gradA: gradA, gradS: gradS, upstream: factors)
                }
                stage.finish(losses, into: out, length)
                stage.finish(gradA, into: b.gradFirst.map { $0 + i }, length)
                stage.finish(gradS, into: gradSecond, length)
                if b.reduction != .none { T.accumulate(losses, length, into: &sum) }
                if let thirdGradient, let gradS {
                    switch thirdGradient {
                    case .store(let g):
                        if S.isCompute {
                            S.computePointer(g + done)!.update(from: gradS, count: length)
                        } else {
                            S.narrow(gradS, into: g + done, count: length)
                        }
                    case .write(let g): (g + done).update(from: gradS, count: length)
                    case .add(let g): for j in 0..<length { g[done + j] += gradS[j] }
                    case .sum(let s): T.accumulate(gradS, length, into: &s.pointee)
                    }
                }
                done += length
            }
        }

        /// The formula over one chunk: losses, and factor * derivative into gradA and gradS
        /// where given (factor: scale, times upstream[j] under 'none' with grad_output).
        @inline(__always)
        func chunk<C: ThirdOperand>(_ a: UnsafePointer<T>, _ bb: UnsafePointer<T>, _ c: C, offset: Int, _ count: Int,
                                    losses: UnsafeMutablePointer<T>, gradA: UnsafeMutablePointer<T>?,
                                    gradS: UnsafeMutablePointer<T>?, upstream: UnsafePointer<T>?) where C.Scalar == T {
            if T.self == Float.self {
                OperandsDriver.laneChunk(loss, UnsafeRawPointer(a), UnsafeRawPointer(bb), c, offset: offset, count,
                                         losses: UnsafeMutableRawPointer(losses), gradA: gradA.map { UnsafeMutableRawPointer($0) },
                                         gradS: gradS.map { UnsafeMutableRawPointer($0) }, derivative: gradient,
                                         scale: unsafeBitCast(scale, to: Float.self), upstream: upstream.map { UnsafeRawPointer($0) })
                return
            }
            guard gradient else {
                for j in 0..<count { losses[j] = loss.valueAndDerivatives(a[j], bb[j], c.scalar(offset + j)).0 }
                return
            }
            // (A loop per buffer present: see OptionalBuffer.)
            OptionalBuffer.reading(upstream) { u in
                OptionalBuffer.writing(gradA) { putA in
                    OptionalBuffer.writing(gradS) { putS in
                        for j in 0..<count {
                            let (l, da, ds) = loss.valueAndDerivatives(a[j], bb[j], c.scalar(offset + j))
                            losses[j] = l
                            let factor = u(j) * scale
                            putA(j, factor * da)
                            putS(j, factor * ds)
                        }
                    }
                }
            }
        }
    }

    /// The float chunk on sixteen lanes; the tail as lane 0 of broadcast values. Never
    /// inlined, one copy per loss and third-operand kind (Swift's inliner otherwise left
    /// the vector helpers as calls).
    @inline(never)
    static func laneChunk<L: OperandsLoss, C: ThirdOperand>(
        _ loss: L, _ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ c: C, offset: Int, _ count: Int,
        losses: UnsafeMutableRawPointer, gradA: UnsafeMutableRawPointer?, gradS: UnsafeMutableRawPointer?,
        derivative: Bool, scale: Float, upstream: UnsafeRawPointer?
    ) {
        let stride = MemoryLayout<Float>.stride
        let scaleLanes = SIMD16<Float>(repeating: scale)
        var j = 0
        while j + 16 <= count {
            let at = j * stride
            let (l, da, ds) = loss.lanes(losscore_load16(a + at), losscore_load16(b + at), c.lanes(offset + j),
                                         derivative: derivative)
            losscore_store16(losses + at, l)
            if derivative {
                let factor = upstream.map { losscore_load16($0 + at) * scaleLanes } ?? scaleLanes
                if let gradA { losscore_store16(gradA + at, factor * da) }
                if let gradS { losscore_store16(gradS + at, factor * ds) }
            }
            j += 16
        }
        while j < count {
            let at = j * stride
            let (l, da, ds) = loss.lanes(SIMD16(repeating: a.load(fromByteOffset: at, as: Float.self)),
                                         SIMD16(repeating: b.load(fromByteOffset: at, as: Float.self)),
                                         SIMD16(repeating: unsafeBitCast(c.scalar(offset + j), to: Float.self)),
                                         derivative: derivative)
            losses.storeBytes(of: l[0], toByteOffset: at, as: Float.self)
            if derivative {
                let factor = upstream.map { $0.load(fromByteOffset: at, as: Float.self) * scale } ?? scale
                gradA?.storeBytes(of: factor * da[0], toByteOffset: at, as: Float.self)
                gradS?.storeBytes(of: factor * ds[0], toByteOffset: at, as: Float.self)
            }
            j += 1
        }
    }
}
