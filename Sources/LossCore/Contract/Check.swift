/// Argument checks shared by every loss. Each names the argument the way the C header
/// and the Python binding name it, and the value at fault.
enum Check {
    /// Sizes come from C as `size_t`, imported as `Int`; a value above `Int.max` arrives
    /// negative. Refuse it instead of trapping later.
    static func count(_ value: Int, _ name: String) throws(LossError) {
        guard value >= 0 else {
            throw .shape("\(name) is too large (\(UInt(bitPattern: value)) does not fit in a signed size)")
        }
    }

    /// A buffer of `count` elements of `Element` must be addressable: its size in bytes
    /// cannot exceed Int.max, or no caller can own it and pointer arithmetic would wrap.
    static func elements<Element>(_ count: Int, of _: Element.Type, _ name: String) throws(LossError) {
        try Check.count(count, name)
        guard count <= Int.max / MemoryLayout<Element>.stride else {
            throw .shape("\(name) = \(count) elements of \(MemoryLayout<Element>.stride) bytes exceed the address space")
        }
    }

    /// `a * b`, or a shape error naming both factors when the product overflows.
    static func product(_ a: Int, _ b: Int, _ what: String) throws(LossError) -> Int {
        let (result, overflow) = a.multipliedReportingOverflow(by: b)
        guard !overflow, result >= 0 else {
            throw .shape("\(what) overflows (\(a) * \(b))")
        }
        return result
    }

    static func nonNull<P>(_ pointer: P?, _ name: String) throws(LossError) {
        guard pointer != nil else { throw .nullPointer(name) }
    }

    /// Non-negative and not NaN (Inf allowed where it has a meaning, e.g. beta = inf is MSE/2).
    static func nonNegative(_ value: Double, _ name: String) throws(LossError) {
        guard value >= 0 else { throw .invalidArgument("\(name) must be >= 0 (got \(value))") }
    }

    /// Any value but NaN (a margin may be any real, infinities included).
    static func notNaN(_ value: Double, _ name: String) throws(LossError) {
        guard !value.isNaN else { throw .invalidArgument("\(name) must not be NaN") }
    }

    /// Non-negative, not NaN and not infinite (the focal losses' gamma).
    static func finiteNonNegative(_ value: Double, _ name: String) throws(LossError) {
        guard value >= 0, value.isFinite else {
            throw .invalidArgument("\(name) must be finite and >= 0 (got \(value))")
        }
    }

    static func positive(_ value: Double, _ name: String) throws(LossError) {
        guard value > 0 else { throw .invalidArgument("\(name) must be > 0 (got \(value))") }
    }

    static func unitInterval(_ value: Double, _ name: String) throws(LossError) {
        guard value >= 0, value <= 1 else {
            throw .invalidArgument("\(name) must be between 0.0 and 1.0 (got \(value))")
        }
    }

    static func reduction(_ raw: Int32) throws(LossError) -> Reduction {
        guard let reduction = Reduction(rawValue: raw) else {
            throw .invalidArgument("reduction must be 0 (none), 1 (mean) or 2 (sum) (got \(raw))")
        }
        return reduction
    }
}
