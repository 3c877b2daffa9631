/// The sequences driver (CTC): the (T, N, C) layout, the length and target checks, one
/// sample per block on the configured threads, and the reduction.
///
///     'none'   out[b] = l_b                                   (N values)
///     'sum'    out[0] = sum_b l_b
///     'mean'   out[0] = (1 / N) sum_b l_b / max(target_length_b, 1)   (torch's CTC mean)
///
/// Samples are taken one at a time by the threads, each computed alone, and their losses
/// summed in index order after all ran, so results are bitwise identical for any thread
/// count. Memory: one workspace per thread, sized for the largest sample (CTC's
/// forward-backward variables of one sample; for 16-bit storage also a packed float copy of
/// its frames and of their gradient), allocated before any kernel runs: O(threads x T x S),
/// never O(N x T x S).

#if canImport(Glibc)
import Glibc
#endif
import Synchronization

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
    /// Scalars of scratch memory the loss needs for a sample (the driver allocates one such
    /// workspace per thread, for the largest sample, before any kernel runs; 64-byte aligned).
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
        let (slots, slotsOverflow) = (n + 1).multipliedReportingOverflow(by: MemoryLayout<Int>.stride)
        let (bytes, bytesOverflow) = slots.addingReportingOverflow(n * MemoryLayout<T>.stride)  // (n <= Int.max / 8)
        guard !slotsOverflow, !bytesOverflow, let table = malloc(bytes) else {
            throw .outOfMemory("could not allocate the bookkeeping of n = \(n) samples")
        }
        defer { free(table) }
        let offsets = table.bindMemory(to: Int.self, capacity: n + 1)  // sample i's targets: offsets[i]..<+length
        offsets.initialize(repeating: 0, count: n + 1)
        let losses = (table + slots).bindMemory(to: T.self, capacity: n)
        // The largest sample's workspace, and (16-bit storage) its packed float frames and
        // their gradient.
        var largest = 0
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
            var size = loss.workspace(frames: Int(frames), targetLength: Int(length))
            if !S.isCompute {
                // (frames * classes <= t * n * c, checked above; the copy starts on a whole line)
                let copy = Int(frames) * b.classes * (b.gradLogProbs == nil ? 1 : 2)
                size = lines(size)
                size = size > Int.max - copy ? Int.max : size + copy
            }
            largest = max(largest, size)
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
        // One workspace per thread that runs samples, each a whole number of cache lines.
        let threads = min(Parallel.threadCount, n)
        let perThread = lines(largest)
        let (total, totalOverflow) = perThread.multipliedReportingOverflow(by: threads)
        var memory: UnsafeMutableRawPointer? = nil
        guard !totalOverflow, total <= Int.max / MemoryLayout<T>.stride,
              posix_memalign(&memory, 64, max(1, total * MemoryLayout<T>.stride)) == 0, let memory else {
            throw .outOfMemory("could not allocate \(threads) x \(largest) scalars of workspace "
                               + "(one per thread, for the largest sample)")
        }
        defer { free(memory) }
        let workspaces = memory.bindMemory(to: T.self, capacity: max(1, total))

        // The kernels: each of `threads` blocks owns a workspace and takes the next sample
        // until none is left.
        let gradient = b.gradLogProbs
        let upstream = gradient == nil ? nil : b.gradOutput
        let next = Atomic<Int>(0)
        let shared = UncheckedSendable((b, losses, workspaces, offsets))
        Parallel.forEachBlock(threads, work: max(elements, largest)) { thread in
            let (b, losses, workspaces, offsets) = shared.value
            let workspace = workspaces + thread * perThread
            while true {
                let i = next.add(1, ordering: .relaxed).oldValue
                if i >= b.n { break }
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
                let scratch = lines(loss.workspace(frames: frames, targetLength: length))
                losses[i] = staged(b.logProbs.map { $0 + i * b.classes }, grad: grad, frames: frames,
                                   classes: b.classes, stride: b.n * b.classes, copy: workspace + scratch) { x, grad, stride in
                    let sample = SequenceSample(logProbs: x, frameStride: stride, frames: frames,
                                                targets: b.targets.map { $0 + offsets[i] },
                                                targetLength: length, classes: b.classes)
                    return loss.loss(sample, workspace: workspace, grad: grad, scale: scale)
                }
                if let grad {
                    for t in frames..<b.frames {
                        (grad + t * b.n * b.classes).update(repeating: S(rounding: 0), count: b.classes)
                    }
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

    /// `size` scalars rounded up to a multiple of 16 (whole 64-byte lines of floats), so that
    /// what follows them in a workspace is as aligned as its start; Int.max (which no
    /// allocation grants) where that would overflow.
    @inline(__always)
    static func lines(_ size: Int) -> Int {
        size > Int.max - 15 ? Int.max : (size + 15) / 16 * 16
    }

    /// Runs `body` on compute-type views of one sample's `frames` frames of `classes` scores
    /// (frame t at `x + t * stride`) and of its gradient (at the same places in `grad`), and
    /// their frame stride: the buffers themselves for `Float` and `Double`; for 16-bit
    /// storage a widened copy of the frames, packed (stride `classes`) at `copy`, and scratch
    /// of that shape after it that is rounded into `grad` afterwards (`copy` holds frames x
    /// classes values, twice that with `grad`). The kernel's arithmetic does not depend on the
    /// stride, so both give the same bits.
    @inline(__always)
    static func staged<S: LossStorage, R>(
        _ x: UnsafePointer<S>?, grad: UnsafeMutablePointer<S>?, frames: Int, classes: Int, stride: Int,
        copy: UnsafeMutablePointer<S.Compute>,
        _ body: (UnsafePointer<S.Compute>?, UnsafeMutablePointer<S.Compute>?, Int) -> R
    ) -> R {
        if S.isCompute { return body(S.computePointer(x), S.computePointer(grad), stride) }
        let count = frames * classes
        // (no frames: the kernel reads and writes nothing)
        guard count > 0, let x else { return body(nil, nil, classes) }
        for t in 0..<frames { S.widen(x + t * stride, into: copy + t * classes, count: classes) }
        guard let grad else { return body(copy, nil, classes) }
        let view = copy + count
        let result = body(copy, view, classes)
        for t in 0..<frames { S.narrow(view + t * classes, into: grad + t * stride, count: classes) }
        return result
    }
}
