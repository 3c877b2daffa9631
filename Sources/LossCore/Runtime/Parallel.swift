import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The process-wide thread count and the one parallel loop every kernel uses.
///
/// Determinism: work is always cut into fixed-size blocks that do not depend on the
/// thread count, each block's partial result lands in its own slot, and slots are
/// combined in index order. Threads only decide *who* computes a block, never *what*
/// is computed, so results are bitwise identical for 1 or N threads.
public enum Parallel {
    /// Upper bound accepted by `setThreadCount`; far above any core count we expect.
    public static let maxThreadCount = 1024

    /// Elements per block of elementwise kernels. Large enough that per-block overhead
    /// vanishes, small enough that two cores get balanced work on 1M elements.
    static let elementBlock = 1 << 15

    /// Below this amount of work (elements touched), threading costs more than it gains.
    static let minParallelWork = 1 << 16

    private static let configuredThreads = Atomic<Int>(0)

    /// The thread count in force (>= 1).
    public static var threadCount: Int {
        let configured = configuredThreads.load(ordering: .relaxed)
        return configured > 0 ? configured : defaultThreadCount
    }

    /// Sets the thread count; 0 restores the default. Throws for negative or absurd values.
    public static func setThreadCount(_ count: Int) throws(LossError) {
        guard count >= 0, count <= maxThreadCount else {
            throw .invalidArgument("num_threads must be between 0 and \(maxThreadCount) (got \(count))")
        }
        configuredThreads.store(count, ordering: .relaxed)
    }

    /// LOSSCORE_NUM_THREADS if it is a positive integer, else the number of cores this
    /// process may use: the online cores, fewer if its CPU affinity (taskset) or a cgroup
    /// CPU quota (containers) allows fewer. Spinning workers on cores the process cannot
    /// have would take time from its own threads.
    static let defaultThreadCount: Int = {
        if let raw = getenv("LOSSCORE_NUM_THREADS"),
           let value = Int(String(cString: raw)), value > 0 {
            return min(value, maxThreadCount)
        }
        var count = max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        if let allowed = SystemCPUs.affinityCount() { count = min(count, allowed) }
        if let quota = SystemCPUs.cgroupQuota() { count = min(count, quota) }
        return max(1, min(count, maxThreadCount))
    }()

    /// Calls `body(block)` once for every block in `0..<blockCount`, spreading blocks over
    /// the configured threads when `work` (elements touched in total) makes it worth it.
    /// `body` must only write to memory owned by its block.
    static func forEachBlock(_ blockCount: Int, work: Int, _ body: (Int) -> Void) {
        let threads = min(threadCount, blockCount)
        if threads <= 1 || work < minParallelWork {
            runSerially(blockCount, body)
            return
        }
        if WorkerPool.shared.run(blockCount, helpers: threads - 1, body) { return }
        // The pool is busy (a concurrent or nested call): Dispatch's threads.
        let next = Atomic<Int>(0)
        withoutActuallyEscaping(body) { body in
            let task = UncheckedSendable(body)
            DispatchQueue.concurrentPerform(iterations: threads) { _ in
                while true {
                    let block = next.add(1, ordering: .relaxed).oldValue
                    if block >= blockCount { break }
                    task.value(block)
                }
            }
        }
    }

    /// The serial loop, never inlined: each block then runs the closure's own compiled code,
    /// as on the worker threads, not a copy optimized into the caller (which may order a
    /// multiply's operands otherwise, and so keep the other NaN when both are NaN).
    @inline(never)
    private static func runSerially(_ blockCount: Int, _ body: (Int) -> Void) {
        for block in 0..<blockCount { body(block) }
    }

    /// The sum over `0..<count` of `partial(range)` for fixed blocks of `blockSize`
    /// elements, combined pairwise in block order: deterministic and accurate.
    static func blockedSum(count: Int, blockSize: Int = elementBlock, work: Int? = nil,
                           _ partial: (Range<Int>) -> Double) -> Double {
        if count == 0 { return 0 }
        let blockCount = (count + blockSize - 1) / blockSize
        if blockCount == 1 { return partial(0..<count) }
        var sums = [Double](repeating: 0, count: blockCount)
        sums.withUnsafeMutableBufferPointer { slots in
            let slots = UncheckedSendable(slots)
            forEachBlock(blockCount, work: work ?? count) { block in
                let start = block * blockSize
                slots.value[block] = partial(start..<min(start + blockSize, count))
            }
        }
        return pairwiseSum(sums[...])
    }

    /// Calls `body(range)` for fixed blocks of `blockSize` elements covering `0..<count`.
    static func forEachRange(count: Int, blockSize: Int = elementBlock, work: Int? = nil,
                             _ body: (Range<Int>) -> Void) {
        if count == 0 { return }
        let blockCount = (count + blockSize - 1) / blockSize
        forEachBlock(blockCount, work: work ?? count) { block in
            let start = block * blockSize
            body(start..<min(start + blockSize, count))
        }
    }

    private static func pairwiseSum(_ values: ArraySlice<Double>) -> Double {
        if values.count <= 8 { return values.reduce(0, +) }
        let middle = values.startIndex + values.count / 2
        return pairwiseSum(values[..<middle]) + pairwiseSum(values[middle...])
    }
}

/// Carries a value the compiler cannot prove Sendable into the parallel loop. Used only
/// for buffers whose blocks are written by exactly one worker each.
struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
