/// Checks on class-index targets, shared by every classification loss.
enum ClassIndex {
    /// Every target must be in [0, classes) or equal `ignoreIndex`. Runs before any kernel
    /// so an out-of-range index can never be used to address memory.
    static func checkRange(_ target: UnsafePointer<Int64>, count: Int, classes: Int,
                           ignoreIndex: Int64?) throws(LossError) {
        let limit = Int64(classes)
        for i in 0..<count {
            let t = target[i]
            if (t < 0 || t >= limit) && t != ignoreIndex {
                throw .index("target[\(i)] = \(t) is out of range for \(classes) classes (expected 0 <= target < \(classes))")
            }
        }
    }
}
