/// The result of a loss: one value for 'mean'/'sum', one per element for 'none'.
public enum LossOutput<Scalar: LossScalar>: Equatable, Sendable {
    case reduced(Scalar)
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
    /// Checks array sizes, allocates the outputs and hands buffers to `kernel`.
    static func pointwise<T: LossScalar>(
        _ input: [T], _ target: [T], weight: [T]?, reduction: Reduction,
        gradient: Bool, gradOutput: [T]?,
        _ kernel: (PointwiseBuffers<T>) throws(LossError) -> Void
    ) throws(LossError) -> (loss: LossOutput<T>, grad: [T]) {
        let n = input.count
        guard target.count == n else {
            throw .shape("target has \(target.count) elements but input has \(n)")
        }
        if let weight, weight.count != n {
            throw .shape("weight has \(weight.count) elements but input has \(n)")
        }
        if let gradOutput, gradOutput.count != reduction.outputCount(n) {
            throw .shape("grad_output has \(gradOutput.count) elements, expected \(reduction.outputCount(n))")
        }
        var out = [T](repeating: 0, count: reduction.outputCount(n))
        var grad = [T](repeating: 0, count: gradient ? n : 0)
        var failure: LossError?
        input.withUnsafeBufferPointer { x in
            target.withUnsafeBufferPointer { y in
                withOptionalBuffer(weight) { w in
                    withOptionalBuffer(gradOutput) { g in
                        out.withUnsafeMutableBufferPointer { o in
                            grad.withUnsafeMutableBufferPointer { gi in
                                do throws(LossError) {
                                    try kernel(PointwiseBuffers(
                                        input: x.baseAddress, target: y.baseAddress,
                                        weight: w, count: n, reduction: reduction,
                                        out: o.baseAddress, gradOutput: g,
                                        gradInput: gradient ? gi.baseAddress : nil))
                                } catch {
                                    failure = error
                                }
                            }
                        }
                    }
                }
            }
        }
        if let failure { throw failure }
        return (LossOutput(out, reduction), grad)
    }

    static func withOptionalBuffer<T, R>(_ array: [T]?, _ body: (UnsafePointer<T>?) -> R) -> R {
        guard let array else { return body(nil) }
        return array.withUnsafeBufferPointer { body($0.baseAddress) }
    }
}

extension ArrayBridge {
    /// Checks the sizes of a softmax-family call on arrays (input is n x classes x inner,
    /// n derived), allocates the outputs and hands buffers to `kernel`.
    static func classes<T: LossScalar>(
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
        if let gradOutput, gradOutput.count != reduction.outputCount(positions) {
            throw .shape("grad_output has \(gradOutput.count) elements, expected \(reduction.outputCount(positions))")
        }
        var out = [T](repeating: 0, count: reduction.outputCount(positions))
        var grad = [T](repeating: 0, count: gradient ? input.count : 0)
        var failure: LossError?
        input.withUnsafeBufferPointer { x in
            withOptionalBuffer(weight) { w in
                withOptionalBuffer(gradOutput) { g in
                    out.withUnsafeMutableBufferPointer { o in
                        grad.withUnsafeMutableBufferPointer { gi in
                            do throws(LossError) {
                                try kernel(ClassBuffers(
                                    input: x.baseAddress, n: n, classes: classes, inner: inner, weight: w,
                                    reduction: reduction, out: o.baseAddress, gradOutput: g,
                                    gradInput: gradient ? gi.baseAddress : nil))
                            } catch {
                                failure = error
                            }
                        }
                    }
                }
            }
        }
        if let failure { throw failure }
        return (LossOutput(out, reduction), grad)
    }
}

extension ArrayBridge {
    /// `classes(...)` for class-index targets (one per position): hands the kernel the
    /// buffers and the targets' pointer.
    static func classes<T: LossScalar>(
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
