/// The result of a loss: one value for 'mean'/'sum', one per element for 'none'.
///
/// ```swift
/// print(try l1Loss([0.5, 2.0], [1.0, 1.0], reduction: .sum).scalar!)  // 1.5
/// print(try l1Loss([0.5, 2.0], [1.0, 1.0], reduction: .none).values)  // [0.5, 1.0]
/// ```
public enum LossOutput<Scalar: LossStorage>: Equatable, Sendable {
    /// The loss of `.mean` or `.sum`.
    case reduced(Scalar)
    /// The losses of `.none`: one per element (or per row, position or sample, as the loss says).
    case elementwise([Scalar])

    /// The reduced value ('mean'/'sum'), nil for 'none'.
    public var scalar: Scalar? {
        if case .reduced(let value) = self { return value }
        return nil
    }

    /// All values: one for a reduced loss, n for 'none'.
    public var values: [Scalar] {
        switch self {
        case .reduced(let value): [value]
        case .elementwise(let values): values
        }
    }

    init(_ values: [Scalar], _ reduction: Reduction) {
        self = reduction == .none ? .elementwise(values) : .reduced(values[0])
    }
}

/// Bridges the array-based Swift API to the buffer kernels the C ABI uses, so both
/// layers run exactly the same validated code.
enum ArrayBridge {
    /// The pointers one call's arrays lend the buffer API: weight, grad_output, out, grad_input.
    typealias Pinned<T> = (weight: UnsafePointer<T>?, gradOutput: UnsafePointer<T>?,
                           out: UnsafeMutablePointer<T>?, gradInput: UnsafeMutablePointer<T>?)

    /// Allocates the results (`lossCount` losses, `gradCount` gradient values when `gradient`),
    /// lends `body` their pointers with those of `weight` and `gradOutput`, and returns the
    /// results, or the error `body` threw.
    static func run<T: LossStorage>(
        lossCount: Int, gradCount: Int, weight: [T]?, gradOutput: [T]?, reduction: Reduction, gradient: Bool,
        _ body: (Pinned<T>) throws(LossError) -> Void
    ) throws(LossError) -> (loss: LossOutput<T>, grad: [T]) {
        if let gradOutput, gradOutput.count != reduction.outputCount(lossCount) {
            throw .shape("grad_output has \(gradOutput.count) elements, expected \(reduction.outputCount(lossCount))")
        }
        var out = [T](repeating: T(rounding: 0), count: reduction.outputCount(lossCount))
        var grad = [T](repeating: T(rounding: 0), count: gradient ? gradCount : 0)
        var failure: LossError?
        withOptionalBuffer(weight) { w in
            withOptionalBuffer(gradOutput) { g in
                out.withUnsafeMutableBufferPointer { o in
                    grad.withUnsafeMutableBufferPointer { gi in
                        do throws(LossError) {
                            try body((w, g, o.baseAddress, gradient ? gi.baseAddress : nil))
                        } catch {
                            failure = error
                        }
                    }
                }
            }
        }
        if let failure { throw failure }
        return (LossOutput(out, reduction), grad)
    }

    /// Checks array sizes, allocates the outputs and hands buffers to `kernel`.
    static func elementwise<T: LossStorage>(
        _ input: [T], _ target: [T], weight: [T]?, reduction: Reduction,
        gradient: Bool, gradOutput: [T]?,
        _ kernel: (ElementwiseBuffers<T>) throws(LossError) -> Void
    ) throws(LossError) -> (loss: LossOutput<T>, grad: [T]) {
        let n = input.count
        guard target.count == n else {
            throw .shape("target has \(target.count) elements but input has \(n)")
        }
        if let weight, weight.count != n {
            throw .shape("weight has \(weight.count) elements but input has \(n)")
        }
        return try input.withUnsafeBufferPointer { x throws(LossError) in
            try target.withUnsafeBufferPointer { y throws(LossError) in
                try run(lossCount: n, gradCount: n, weight: weight, gradOutput: gradOutput, reduction: reduction,
                        gradient: gradient) { p throws(LossError) in
                    try kernel(ElementwiseBuffers(input: x.baseAddress, target: y.baseAddress, weight: p.weight,
                                                count: n, reduction: reduction, out: p.out,
                                                gradOutput: p.gradOutput, gradInput: p.gradInput))
                }
            }
        }
    }

    static func withOptionalBuffer<T, R>(_ array: [T]?, _ body: (UnsafePointer<T>?) -> R) -> R {
        guard let array else { return body(nil) }
        return array.withUnsafeBufferPointer { body($0.baseAddress) }
    }
}

extension ArrayBridge {
    /// Checks the sizes of a class-row call on arrays (input is n x classes x inner,
    /// n derived), allocates the outputs and hands buffers to `kernel`.
    static func classes<T: LossStorage>(
        _ input: [T], classes: Int, inner: Int, targetCount: Int?, weight: [T]?, reduction: Reduction,
        gradient: Bool, gradOutput: [T]?,
        _ kernel: (ClassBuffers<T>) throws(LossError) -> Void
    ) throws(LossError) -> (loss: LossOutput<T>, grad: [T]) {
        guard classes > 0, inner > 0 else {
            throw .shape("classes and inner must be > 0 (got \(classes), \(inner))")
        }
        let rowSize = try Check.product(classes, inner, "classes * inner")
        guard input.count % rowSize == 0 else {
            throw .shape("input has \(input.count) elements, not a multiple of classes * inner = \(rowSize)")
        }
        let n = input.count / rowSize
        let positions = n * inner
        if let targetCount, targetCount != positions {
            throw .shape("target has \(targetCount) elements but input has \(positions) positions")
        }
        if let weight, weight.count != classes {
            throw .shape("weight has \(weight.count) elements, expected one per class (\(classes))")
        }
        return try input.withUnsafeBufferPointer { x throws(LossError) in
            try run(lossCount: positions, gradCount: input.count, weight: weight, gradOutput: gradOutput,
                    reduction: reduction, gradient: gradient) { p throws(LossError) in
                try kernel(ClassBuffers(input: x.baseAddress, n: n, classes: classes, inner: inner, weight: p.weight,
                                        reduction: reduction, out: p.out, gradOutput: p.gradOutput,
                                        gradInput: p.gradInput))
            }
        }
    }
}

extension ArrayBridge {
    /// `classes(...)` for class-index targets (one per position): hands the kernel the
    /// buffers and the targets' pointer.
    static func classes<T: LossStorage>(
        _ input: [T], indexTargets target: [Int64], classes: Int, inner: Int, weight: [T]?,
        reduction: Reduction, gradient: Bool, gradOutput: [T]?,
        _ kernel: (ClassBuffers<T>, UnsafePointer<Int64>?) throws(LossError) -> Void
    ) throws(LossError) -> (loss: LossOutput<T>, grad: [T]) {
        try target.withUnsafeBufferPointer { t throws(LossError) in
            try Self.classes(input, classes: classes, inner: inner, targetCount: target.count, weight: weight,
                             reduction: reduction, gradient: gradient, gradOutput: gradOutput) { b throws(LossError) in
                try kernel(b, t.baseAddress)
            }
        }
    }
}

extension ArrayBridge {
    /// Checks the sizes of a row-tuple call on arrays (each operand rows x `width`, rows
    /// derived; `target` one value per row when given), allocates the loss and, with
    /// `gradient`, one gradient per operand, and hands buffers to `kernel`.
    static func rowTuples<T: LossStorage>(
        _ operands: [[T]], target: [T]?, width: Int, reduction: Reduction, gradient: Bool, gradOutput: [T]?,
        _ kernel: (RowTupleBuffers<T>) throws(LossError) -> Void
    ) throws(LossError) -> (loss: LossOutput<T>, grads: [[T]]) {
        guard width > 0 else { throw .shape("d must be > 0 for arrays (got \(width))") }
        let count = operands[0].count
        guard count % width == 0 else {
            throw .shape("the first operand has \(count) values, not a multiple of d = \(width)")
        }
        for (k, operand) in operands.enumerated() where operand.count != count {
            throw .shape("operand \(k + 1) has \(operand.count) values but the first has \(count)")
        }
        let rows = count / width
        if let target, target.count != rows {
            throw .shape("target has \(target.count) values but there are \(rows) rows")
        }
        if let gradOutput, gradOutput.count != reduction.outputCount(rows) {
            throw .shape("grad_output has \(gradOutput.count) elements, expected \(reduction.outputCount(rows))")
        }
        var out = [T](repeating: T(rounding: 0), count: reduction.outputCount(rows))
        let empty = [T](repeating: T(rounding: 0), count: gradient ? count : 0)
        var (grad0, grad1, grad2) = (empty, empty, empty)
        var failure: LossError?
        let third = operands.count > 2 ? operands[2] : []
        operands[0].withUnsafeBufferPointer { a in
            operands[1].withUnsafeBufferPointer { b in
                third.withUnsafeBufferPointer { c in
                    withOptionalBuffer(target) { t in
                        withOptionalBuffer(gradOutput) { g in
                            out.withUnsafeMutableBufferPointer { o in
                                grad0.withUnsafeMutableBufferPointer { g0 in
                                    grad1.withUnsafeMutableBufferPointer { g1 in
                                        grad2.withUnsafeMutableBufferPointer { g2 in
                                            let three = operands.count > 2
                                            do throws(LossError) {
                                                try kernel(RowTupleBuffers(
                                                    first: a.baseAddress, second: b.baseAddress,
                                                    third: three ? c.baseAddress : nil, target: t, rows: rows,
                                                    width: width, reduction: reduction, out: o.baseAddress,
                                                    gradOutput: g, gradFirst: gradient ? g0.baseAddress : nil,
                                                    gradSecond: gradient ? g1.baseAddress : nil,
                                                    gradThird: gradient && three ? g2.baseAddress : nil))
                                            } catch {
                                                failure = error
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        if let failure { throw failure }
        return (LossOutput(out, reduction), Array([grad0, grad1, grad2].prefix(operands.count)))
    }
}

extension ArrayBridge {
    /// Checks the sizes of a three-operand call on arrays (`third` holds n / thirdRepeat
    /// values, shared as `OperandBuffers` says), allocates the loss and both gradients
    /// (the second of `secondCount` values) and hands buffers to `kernel`.
    static func operands<T: LossStorage>(
        _ first: [T], _ second: [T], _ third: [T], thirdRepeat: Int = 1, thirdInner: Int = 1, secondCount: Int,
        names: (String, String, String), reduction: Reduction, gradient: Bool, gradOutput: [T]?,
        _ kernel: (OperandBuffers<T>) throws(LossError) -> Void
    ) throws(LossError) -> (loss: LossOutput<T>, grads: ([T], [T])) {
        let n = first.count
        guard second.count == n else { throw .shape("\(names.1) has \(second.count) elements but \(names.0) has \(n)") }
        guard thirdRepeat >= 1, third.count.multipliedReportingOverflow(by: thirdRepeat) == (n, false) else {
            throw .shape("\(names.2) has \(third.count) elements; \(names.0) has \(n) = \(third.count) x \(thirdRepeat)?")
        }
        var gradSecond = [T](repeating: T(rounding: 0), count: gradient ? secondCount : 0)
        let result = try first.withUnsafeBufferPointer { a throws(LossError) in
            try second.withUnsafeBufferPointer { b throws(LossError) in
                try third.withUnsafeBufferPointer { c throws(LossError) in
                    try gradSecond.withUnsafeMutableBufferPointer { g throws(LossError) in
                        try run(lossCount: n, gradCount: n, weight: nil, gradOutput: gradOutput, reduction: reduction,
                                gradient: gradient) { p throws(LossError) in
                            try kernel(OperandBuffers(first: a.baseAddress, second: b.baseAddress, third: c.baseAddress,
                                                      count: n, thirdRepeat: thirdRepeat, thirdInner: thirdInner,
                                                      reduction: reduction, out: p.out, gradOutput: p.gradOutput,
                                                      gradFirst: p.gradInput, gradSecond: gradient ? g.baseAddress : nil))
                        }
                    }
                }
            }
        }
        return (result.loss, (result.grad, gradSecond))
    }

    /// Checks the sizes of a sequence call on arrays (log_probs frames x n x classes, n from
    /// the lengths; targets padded to `paddedLength` or concatenated), allocates the outputs
    /// and hands buffers to `kernel`.
    static func sequences<T: LossStorage>(
        _ logProbs: [T], _ targets: [Int64], _ inputLengths: [Int64], _ targetLengths: [Int64], classes: Int,
        paddedLength: Int?, reduction: Reduction, gradient: Bool, gradOutput: [T]?,
        _ kernel: (SequenceBuffers<T>) throws(LossError) -> Void
    ) throws(LossError) -> (loss: LossOutput<T>, grad: [T]) {
        let n = inputLengths.count
        guard targetLengths.count == n else {
            throw .shape("target_lengths has \(targetLengths.count) elements but input_lengths has \(n)")
        }
        let row = try Check.product(n, classes, "n * classes")
        guard row > 0, logProbs.count % row == 0 else {
            throw .shape("log_probs has \(logProbs.count) elements, not a multiple of n * classes = \(row)")
        }
        if let paddedLength {
            guard paddedLength > 0, targets.count == n * paddedLength else {
                throw .shape("targets has \(targets.count) elements, expected n * paddedLength = \(n) * \(paddedLength)")
            }
        } else if targetLengths.allSatisfy({ $0 >= 0 }), Int64(targets.count) != targetLengths.reduce(0, &+) {
            throw .shape("targets has \(targets.count) elements but target_lengths sum to \(targetLengths.reduce(0, &+))")
        }
        return try logProbs.withUnsafeBufferPointer { x throws(LossError) in
            try targets.withUnsafeBufferPointer { y throws(LossError) in
                try inputLengths.withUnsafeBufferPointer { il throws(LossError) in
                    try targetLengths.withUnsafeBufferPointer { tl throws(LossError) in
                        try run(lossCount: n, gradCount: logProbs.count, weight: nil, gradOutput: gradOutput,
                                reduction: reduction, gradient: gradient) { p throws(LossError) in
                            try kernel(SequenceBuffers(logProbs: x.baseAddress, targets: y.baseAddress,
                                                       inputLengths: il.baseAddress, targetLengths: tl.baseAddress,
                                                       frames: logProbs.count / row, n: n, classes: classes,
                                                       targetStride: paddedLength ?? 0, reduction: reduction,
                                                       out: p.out, gradOutput: p.gradOutput, gradLogProbs: p.gradInput))
                        }
                    }
                }
            }
        }
    }
}
