/// Checks on class-index targets, shared by every classification loss.
enum ClassIndex {
    /// Every target must be in [0, classes) or equal `ignoreIndex`. Runs before any kernel
    /// so an out-of-range index can never be used to address memory.
    static func checkRange(_ target: UnsafePointer<Int64>, count: Int, classes: Int,
                           ignoreIndex: Int64?) throws(LossError) {
        _ = try checkRangeCountingKept(target, count: count, classes: classes, ignoreIndex: ignoreIndex)
    }

    /// `checkRange`, returning the number of targets that are not `ignoreIndex` (counted in
    /// the same pass: the mean denominator of unweighted losses).
    static func checkRangeCountingKept(_ target: UnsafePointer<Int64>, count: Int, classes: Int,
                                       ignoreIndex: Int64?) throws(LossError) -> Int {
        let limit = UInt64(classes)
        // Unsigned compare: negatives wrap above any limit. A branch-free pass (vectorized)
        // first; only a refused call looks for the first offender to name it.
        // Integer flags combined with `&`, not `&&`: a short-circuit is a branch per element,
        // which keeps LLVM from vectorizing the loop.
        var outOfRange = 0
        var ignored = 0
        if let ignoreIndex {
            for i in 0..<count {
                let t = target[i]
                let skip = t == ignoreIndex ? 1 : 0
                outOfRange |= (UInt64(bitPattern: t) >= limit ? 1 : 0) & (skip ^ 1)
                ignored &+= skip
            }
        } else {
            for i in 0..<count { outOfRange |= UInt64(bitPattern: target[i]) >= limit ? 1 : 0 }
        }
        guard outOfRange != 0 else { return count - ignored }
        for i in 0..<count {
            let t = target[i]
            if UInt64(bitPattern: t) >= limit && t != ignoreIndex {
                throw .index("target[\(i)] = \(t) is out of range for \(classes) classes (expected 0 <= target < \(classes))")
            }
        }
        return count - ignored  // (not reached: the pass above found an offender)
    }
}
