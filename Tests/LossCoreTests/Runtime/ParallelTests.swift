// Thread count, determinism across thread counts and the accuracy of long float32 sums.
// Serialized: these tests change the process-wide thread count.
#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import Synchronization
import Testing
@testable import LossCore

@Suite("Threads, determinism and accuracy", .serialized)
struct ParallelTests {
    /// Large enough to be split into several blocks and run on several threads
    /// (more than 65536 elements), and not a multiple of any block size.
    static let largeCount = 200_003

    @Test func threadCountSetting() throws {
        defer { try? Parallel.setThreadCount(0) }
        try Parallel.setThreadCount(0)
        let defaultCount = Parallel.threadCount
        #expect(defaultCount >= 1)
        try Parallel.setThreadCount(3)
        #expect(Parallel.threadCount == 3)
        for bad in [-1, -1000, Parallel.maxThreadCount + 1, 5000, Int.max, Int.min] {
            expectLossError(.invalidArgument, mentions: "num_threads") { () throws(LossError) in
                try Parallel.setThreadCount(bad)
            }
            #expect(Parallel.threadCount == 3, "a refused setting must not change the thread count")
        }
        try Parallel.setThreadCount(Parallel.maxThreadCount)
        #expect(Parallel.threadCount == Parallel.maxThreadCount)
        try Parallel.setThreadCount(1)
        #expect(Parallel.threadCount == 1)
        try Parallel.setThreadCount(0)
        #expect(Parallel.threadCount == defaultCount, "0 restores the default")
    }

    func run<T: LossScalar>(_ loss: Loss, _ x: [T], _ y: [T], _ w: [T]?, _ reduction: Reduction, _ go: [T],
                            threads: Int) throws -> (values: [T], grad: [T], alone: [T]) {
        try Parallel.setThreadCount(threads)
        let (v, g) = try lossAndGrad(loss, x, y, weight: w, reduction: reduction, gradOutput: go)
        let alone = try lossOnly(loss, x, y, weight: w, reduction: reduction)
        return (v.values, g, alone.values)
    }

    @Test(arguments: DType.allCases)
    func bitwiseIdenticalForOneAndTwoThreads(dtype: DType) throws {
        defer { try? Parallel.setThreadCount(0) }
        func check<T: LossScalar>(_: T.Type) throws {
            let n = Self.largeCount
            var rng = SplitMix64(seed: 2024)
            let x = cast(rng.values(n), to: T.self), y = cast(rng.values(n), to: T.self)
            let w = cast(rng.values(n, 0, 2), to: T.self)
            for loss in Loss.all {
                for weight in loss.acceptsWeight ? [nil, w] : [nil] {
                    for reduction in [Reduction.none, .mean, .sum] {
                        let go = cast(rng.values(reduction == .none ? n : 1, -2, 2), to: T.self)
                        let one = try run(loss, x, y, weight, reduction, go, threads: 1)
                        let two = try run(loss, x, y, weight, reduction, go, threads: 2)
                        let context = "\(loss) \(T.self) \(reduction) weighted=\(weight != nil)"
                        #expect(bitsEqual(one.values, two.values), "\(context): loss differs, \(one.values.prefix(1)) vs \(two.values.prefix(1))")
                        #expect(bitsEqual(one.grad, two.grad), "\(context): gradient differs")
                        #expect(bitsEqual(one.alone, two.alone), "\(context): loss-only differs")
                    }
                }
            }
        }
        switch dtype {
        case .f32: try check(Float.self)
        case .f64: try check(Double.self)
        }
    }

    @Test func zeroOneIdenticalForOneAndTwoThreads() throws {
        defer { try? Parallel.setThreadCount(0) }
        var rng = SplitMix64(seed: 5)
        let n = 100_001, c = 3
        let scores: [[Float]] = (0..<n).map { _ in (0..<c).map { _ in Float(rng.uniform(-1, 1)) } }
        let target: [Int64] = (0..<n).map { _ in Int64(rng.int(c)) }
        let predicted: [Int64] = (0..<n).map { _ in Int64(rng.int(c)) }
        var results: [[[Double]]] = []
        for threads in [1, 2] {
            try Parallel.setThreadCount(threads)
            var r: [[Double]] = []
            for reduction in [Reduction.none, .mean, .sum] {
                r.append(try zeroOneLoss(scores: scores, target: target, reduction: reduction).values.map { Double($0) })
                r.append(try zeroOneLoss(predicted: predicted, target: target, reduction: reduction).values)
            }
            results.append(r)
        }
        #expect(results[0] == results[1])
        // And they are right: the sum counts the mismatches.
        let wrong = (0..<n).filter { referenceArgmax(scores[$0].map { Double($0) }) != Int(target[$0]) }.count
        #expect(results[0][4] == [Double(wrong)])
    }

    /// A float32 mean over a million terms stays within 1e-6 (relative) of the float64
    /// mean of the same float32 inputs: no drift from naive float accumulation.
    @Test(arguments: [Loss.l1, .mse, .smoothL1(beta: 1), .huber(delta: 1.5)])
    func float32LargeMeanAccuracy(loss: Loss) throws {
        let n = (1 << 20) + 17
        var rng = SplitMix64(seed: 77)
        // Positive offsets keep every term of the same sign, the case where naive float
        // accumulation drifts the most.
        let x = (0..<n).map { _ in Float(rng.uniform(0.5, 3)) }
        let y = (0..<n).map { _ in Float(rng.uniform(-0.25, 0.25)) }
        let w = (0..<n).map { _ in Float(rng.uniform(0.1, 2)) }
        for weight in loss.acceptsWeight ? [nil, w] : [nil] {
            for reduction in [Reduction.mean, .sum] {
                let want = reference(loss, widen(x), widen(y), weight: weight.map(widen), reduction: reduction).values[0]
                let got = Double(try lossOnly(loss, x, y, weight: weight, reduction: reduction).scalar!)
                let relative = abs(got - want) / abs(want)
                #expect(relative < 1e-6, "\(loss) \(reduction) weighted=\(weight != nil): float32 \(got), float64 \(want), relative error \(relative)")
                let fused = Double(try lossAndGrad(loss, x, y, weight: weight, reduction: reduction).loss.scalar!)
                #expect(abs(fused - want) / abs(want) < 1e-6, "\(loss) fused: \(fused) vs \(want)")
            }
        }
    }

    /// Calls from several threads at once: one gets the worker pool, the others run on
    /// Dispatch (the pool takes one job at a time); every result must be the one a lone
    /// call gives, whatever the thread count (3 here: more threads than a two-core machine has).
    @Test func concurrentCallersGetTheSameResults() throws {
        defer { try? Parallel.setThreadCount(0) }
        var rng = SplitMix64(seed: 77)
        let n = Self.largeCount
        let x: [Float] = cast(rng.values(n), to: Float.self), y: [Float] = cast(rng.values(n), to: Float.self)
        for threads in [2, 3] {
            try Parallel.setThreadCount(threads)
            let expected = try lossOnly(.mse, x, y, reduction: .sum).values
            let results = Mutex<[[Float]]>([])
            let inputs = UncheckedSendable((x, y))
            DispatchQueue.concurrentPerform(iterations: 8) { _ in
                for _ in 0..<20 {
                    let value = (try? lossOnly(.mse, inputs.value.0, inputs.value.1, reduction: .sum).values) ?? []
                    results.withLock { $0.append(value) }
                }
            }
            let all = results.withLock { $0 }
            #expect(all.count == 160)
            #expect(all.allSatisfy { bitsEqual($0, expected) }, "threads=\(threads): a concurrent call differs")
        }
    }

    /// The default thread count follows the CPUs the process may use; the kernel's CPU
    /// list format is parsed exactly, and anything malformed is ignored (nil).
    @Test func cpuListsAndAffinity() {
        #expect(SystemCPUs.count(cpuList: "0-3,8,10-11") == 7)
        #expect(SystemCPUs.count(cpuList: "\t0-1") == 2)
        #expect(SystemCPUs.count(cpuList: "5") == 1)
        for bad in ["", "3-1", "a", "1-2-3", "0,,x"] {
            #expect(SystemCPUs.count(cpuList: Substring(bad)) == nil, "\(bad)")
        }
        #if os(Linux)
        let allowed = SystemCPUs.affinityCount()
        #expect(allowed != nil && allowed! >= 1)
        #expect(Parallel.defaultThreadCount <= max(1, allowed ?? 1) || getenv("LOSSCORE_NUM_THREADS") != nil)
        #endif
    }
}
