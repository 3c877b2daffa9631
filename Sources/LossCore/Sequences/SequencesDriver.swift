/// The sequences driver (CTC): the (T, N, C) layout, the length and target checks, one
/// sample per block on the configured threads, and the reduction.
///
///     'none'   out[b] = l_b                                   (N values)
///     'sum'    out[0] = sum_b l_b
///     'mean'   out[0] = (1 / N) sum_b l_b / max(target_length_b, 1)   (torch's CTC mean)
///
/// Each sample is one block, and the samples' losses are summed in index order after the
/// blocks ran, so results are bitwise identical for any thread count. For 16-bit storage a
/// block widens its sample's frames into a packed copy (and its gradient into scratch of the
/// same shape) while it runs, so a call holds one sample's scores per thread in `Float`.

#if canImport(Glibc)
import Glibc
#endif

/// One sample of a sequence call, as the driver hands it to its loss.
struct SequenceSample<Scalar: LossScalar> {
    /// The scores of frame 0; frame t's `classes` scores start at `logProbs + t * frameStride`
    /// (nil only when the call has no scores, and then `frames` is 0).
    let logProbs: UnsafePointer<Scalar>?
    let frameStride: Int
    /// Frames that belong to the sample (its input length, <= the call's frames).
    let frames: Int
    /// Its target: `targetLength` class indices, already checked to be in [0, classes)
    /// (nil only when `targetLength` is 0).
    let targets: UnsafePointer<Int64>?
    let targetLength: Int
    let classes: Int
}

/// A loss over whole sequences.
protocol SequenceLoss {
    associatedtype Scalar: LossScalar
    /// Scalars of scratch memory the loss needs for a sample (allocated by the driver, once
    /// per call, before any kernel runs).
    func workspace(frames: Int, targetLength: Int) -> Int
    /// The loss of one sample. When `grad` is non-nil (frame 0 of the sample's gradient, at
    /// the scores' layout), writes `scale * d loss / d log_probs` into its first
    /// `sample.frames` frames (the driver zeroes the others).
    func loss(_ sample: SequenceSample<Scalar>, workspace: UnsafeMutablePointer<Scalar>,
              grad: UnsafeMutablePointer<Scalar>?, scale: Scalar) -> Scalar
}

enum SequencesDriver {
    /// Checks every size, pointer, length and target index of `b`, runs `loss` on each
    /// sample and writes the reduced or per-sample result.
    static func run<L: SequenceLoss, S: LossStorage>(_ b: SequenceBuffers<S>, _ loss: L) throws(LossError)
    where S.Compute == L.Scalar {
        typealias T = L.Scalar
        try Check.count(b.frames, "t")
        try Check.count(b.n, "n")
        try Check.count(b.classes, "c")
        try Check.count(b.targetStride, "s")
        let frameStride = try Check.product(b.n, b.classes, "n * c")
        let elements = try Check.product(b.frames, frameStride, "t * n * c")
        try Check.elements(elements, of: S.self, "t * n * c")
        try Check.elements(b.n, of: Int64.self, "n")
        let padded = b.targetStride > 0
        if padded { try Check.elements(try Check.product(b.n, b.targetStride, "n * s"), of: Int64.self, "n * s") }
        if b.n > 0 || b.reduction != .none { try Check.nonNull(b.out, "out") }
        guard b.n > 0 else { return Reduce.writeEmpty(b.reduction, to: b.out) }
        try Check.nonNull(b.inputLengths, "input_lengths")
        try Check.nonNull(b.targetLengths, "target_lengths")
        if elements > 0 { try Check.nonNull(b.logProbs, "log_probs") }
        let inputLengths = b.inputLengths!, targetLengths = b.targetLengths!

        // Lengths, the targets' offsets, and the scratch memory, all before any kernel. The
        // bookkeeping of n samples is malloc'd, so that a batch too large for the machine is an
        // out-of-memory status, not a trap.
        let n = b.n
        let (slots, slotsOverflow) = (2 * (n + 1)).multipliedReportingOverflow(by: MemoryLayout<Int>.stride)
        let (bytes, bytesOverflow) = slots.addingReportingOverflow(n * MemoryLayout<T>.stride)  // (n <= Int.max / 8)
        guard !slotsOverflow, !bytesOverflow, let table = malloc(bytes) else {
            throw .outOfMemory("could not allocate the bookkeeping of n = \(n) samples")
        }
        defer { free(table) }
        let offsets = table.bindMemory(to: Int.self, capacity: 2 * (n + 1))  // sample i's targets: offsets[i]..<+length
        let scratch = offsets + (n + 1)  // its workspace: scratch[i]..<scratch[i + 1]
        offsets.initialize(repeating: 0, count: 2 * (n + 1))
        let losses = (table + slots).bindMemory(to: T.self, capacity: n)
        for i in 0..<n {
            let frames = inputLengths[i], length = targetLengths[i]
            guard frames >= 0, frames <= b.frames else {
                throw .shape("input_lengths[\(i)] = \(frames) is out of range (expected 0 <= input_lengths[\(i)] <= t = \(b.frames))")
            }
            guard length >= 0 else {
                throw .shape("target_lengths[\(i)] = \(length) must be >= 0")
            }
            if padded {
                guard length <= b.targetStride else {
                    throw .shape("target_lengths[\(i)] = \(length) exceeds the padded target length s = \(b.targetStride)")
                }
                offsets[i] = i * b.targetStride
            } else {
                let (end, overflow) = offsets[i].addingReportingOverflow(Int(length))
                guard !overflow else { throw .shape("the sum of target_lengths overflows at target_lengths[\(i)] = \(length)") }
                try Check.elements(end, of: Int64.self, "the sum of target_lengths")
                offsets[i + 1] = end
            }
            let size = loss.workspace(frames: Int(frames), targetLength: Int(length))
            let (next, overflow) = scratch[i].addingReportingOverflow(size)
            guard !overflow, next <= Int.max / MemoryLayout<T>.stride else {
                throw .outOfMemory("the workspace of \(i + 1) samples exceeds the address space")
            }
            scratch[i + 1] = next
        }
        if (0..<n).contains(where: { targetLengths[$0] > 0 }) { try Check.nonNull(b.targets, "targets") }
        for i in 0..<n {
            let length = Int(targetLengths[i])
            guard length > 0 else { continue }
            let row = b.targets! + offsets[i]
            for j in 0..<length where UInt64(bitPattern: row[j]) >= UInt64(b.classes) {
                let place = padded ? "targets[\(i)][\(j)]" : "targets[\(offsets[i] + j)] (sample \(i), position \(j))"
                throw .index("\(place) = \(row[j]) is out of range for \(b.classes) classes (expected 0 <= target < \(b.classes))")
            }
        }
        let workspace = UnsafeMutablePointer<T>(
            bitPattern: UInt(bitPattern: malloc(max(1, scratch[n] * MemoryLayout<T>.stride))))
        guard let workspace else {
            throw .outOfMemory("could not allocate \(scratch[n] * MemoryLayout<T>.stride) bytes of workspace")
        }
        defer { free(workspace) }

        // The kernels: one sample per block.
        let gradient = b.gradLogProbs
        let upstream = gradient == nil ? nil : b.gradOutput
        let shared = UncheckedSendable((b, losses, workspace, offsets, scratch))
        Parallel.forEachBlock(n, work: max(elements, scratch[n])) { i in
            let (b, losses, workspace, offsets, scratch) = shared.value
            let frames = Int(b.inputLengths![i]), length = Int(b.targetLengths![i])
            let grad = b.gradLogProbs.map { $0 + i * b.classes }
            var scale: T = 1
            if gradient != nil {
                switch b.reduction {
                case .none: scale = upstream?[i].computeValue ?? 1
                case .sum: scale = upstream?[0].computeValue ?? 1
                case .mean: scale = (upstream?[0].computeValue ?? 1) / T(b.n) / T(max(length, 1))
                }
            }
            losses[i] = staged(b.logProbs.map { $0 + i * b.classes }, grad: grad, frames: frames, classes: b.classes,
                               stride: b.n * b.classes) { x, grad, stride in
                let sample = SequenceSample(logProbs: x, frameStride: stride, frames: frames,
                                            targets: b.targets.map { $0 + offsets[i] },
                                            targetLength: length, classes: b.classes)
                return loss.loss(sample, workspace: workspace + scratch[i], grad: grad, scale: scale)
            }
            if let grad {
                for t in frames..<b.frames {
                    (grad + t * b.n * b.classes).update(repeating: S(rounding: 0), count: b.classes)
                }
            }
        }

        let out = b.out!
        switch b.reduction {
        case .none: S.narrow(losses, into: out, count: n)
        case .sum: Reduce.write((0..<n).reduce(0.0) { $0 + Double(losses[$1]) }, .sum, divisor: 1, to: out)
        case .mean:
            let total = (0..<n).reduce(0.0) { $0 + Double(losses[$1] / T(max(targetLengths[$1], 1))) }
            Reduce.write(total, .mean, divisor: Double(n), to: out)
        }
    }

    /// Runs `body` on compute-type views of one sample's `frames` frames of `classes` scores
    /// (frame t at `x + t * stride`) and of its gradient (at the same places in `grad`), and
    /// their frame stride: the buffers themselves for `Float` and `Double`; for 16-bit
    /// storage a widened copy of the frames, packed (stride `classes`), and scratch of that
    /// shape that is rounded into `grad` afterwards. The kernel's arithmetic does not depend
    /// on the stride, so both give the same bits.
    @inline(__always)
    static func staged<S: LossStorage, R>(
        _ x: UnsafePointer<S>?, grad: UnsafeMutablePointer<S>?, frames: Int, classes: Int, stride: Int,
        _ body: (UnsafePointer<S.Compute>?, UnsafeMutablePointer<S.Compute>?, Int) -> R
    ) -> R {
        if S.isCompute { return body(S.computePointer(x), S.computePointer(grad), stride) }
        let count = frames * classes
        // (no frames: the kernel reads and writes nothing)
        guard count > 0, let x else { return body(nil, nil, classes) }
        let copy = UnsafeMutablePointer<S.Compute>.allocate(capacity: grad == nil ? count : 2 * count)
        defer { copy.deallocate() }
        for t in 0..<frames { S.widen(x + t * stride, into: copy + t * classes, count: classes) }
        guard let grad else { return body(copy, nil, classes) }
        let view = copy + count
        let result = body(copy, view, classes)
        for t in 0..<frames { S.narrow(view + t * classes, into: grad + t * stride, count: classes) }
        return result
    }
}
