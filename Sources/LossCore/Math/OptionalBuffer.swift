/// Optional buffers inside loops, tested once outside them.
///
/// A loop that tests a loop-invariant optional at every element (`w?[j] ?? 1`, `g?[j] = v`)
/// is if-converted by LLVM's vectorizer into masked loads and stores (AVX's VMASKMOV) whose
/// base is NULL with every lane off when the buffer is absent. A CPU does not fault there;
/// emulators may (qemu 7.2's user mode does), and the kernels are tested under emulation.
/// So such a loop is written in terms of these helpers, which run its body once per case
/// with an accessor for the buffer given or for its absence: each case is a loop of its own
/// without a test inside, and the arithmetic is the same (`x * 1` is `x`).
enum OptionalBuffer {
    /// `body` with an accessor of `buffer[j]`, or of `absent` at every j without `buffer`.
    @inline(__always)
    static func reading<T, R>(_ buffer: UnsafePointer<T>?, absent: T, _ body: ((Int) -> T) -> R) -> R {
        if let buffer { return body { buffer[$0] } }
        return body { _ in absent }
    }

    /// `body` with an accessor of `buffer[j]`, or of 1 at every j without `buffer` (a weight
    /// or an upstream gradient).
    @inline(__always)
    static func reading<T: LossScalar, R>(_ buffer: UnsafePointer<T>?, _ body: ((Int) -> T) -> R) -> R {
        reading(buffer, absent: 1, body)
    }

    /// `body` with a function storing `buffer[j] = v`, or doing nothing without `buffer`
    /// (the value's computation is then dead code).
    @inline(__always)
    static func writing<T, R>(_ buffer: UnsafeMutablePointer<T>?, _ body: ((Int, T) -> Void) -> R) -> R {
        if let buffer { return body { buffer[$0] = $1 } }
        return body { _, _ in }
    }
}
