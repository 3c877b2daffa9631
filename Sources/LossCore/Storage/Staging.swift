/// Compute-type views of one block of a call's buffers, for the drivers.
///
/// For `Float` and `Double` buffers a view is the buffer itself (no copy: the checks fold
/// away after specialization). For 16-bit buffers an input view is a widened copy of the
/// block in scratch memory and an output view is scratch that `finish` rounds into the
/// buffer. A driver stages blocks of a fixed size, so a 16-bit call computes exactly what
/// the `Float` call computes on the widened values, in the same order, and its extra memory
/// is one block per thread.
struct Staging<S: LossStorage> {
    typealias C = S.Compute
    private let scratch: UnsafeMutablePointer<C>?
    private var used = 0
    private let capacity: Int

    private init(capacity: Int) {
        self.capacity = S.isCompute ? 0 : capacity
        scratch = S.isCompute || capacity == 0 ? nil : .allocate(capacity: capacity)
    }

    /// Runs `body` with scratch for `capacity` values in all (none for compute types).
    @inline(__always)
    static func with<R>(capacity: Int, _ body: (inout Staging) -> R) -> R {
        var stage = Staging(capacity: capacity)
        defer { stage.scratch?.deallocate() }
        return body(&stage)
    }

    /// Frees every reservation, for the next block.
    @inline(__always) mutating func reset() { used = 0 }

    private mutating func reserve(_ count: Int) -> UnsafeMutablePointer<C> {
        precondition(used + count <= capacity, "staging scratch overrun")
        defer { used += count }
        return scratch! + used
    }

    /// The `count` values at `source` as compute values (nil for nil).
    @inline(__always)
    mutating func input(_ source: UnsafePointer<S>?, _ count: Int) -> UnsafePointer<C>? {
        guard let source else { return nil }
        if S.isCompute { return UnsafeRawPointer(source).assumingMemoryBound(to: C.self) }
        let copy = reserve(count)
        S.widen(source, into: copy, count: count)
        return UnsafePointer(copy)
    }

    /// Where the kernel writes `count` values meant for `destination` (nil for nil); `finish`
    /// rounds them into it.
    @inline(__always)
    mutating func output(_ destination: UnsafeMutablePointer<S>?, _ count: Int) -> UnsafeMutablePointer<C>? {
        guard let destination else { return nil }
        if S.isCompute { return UnsafeMutableRawPointer(destination).assumingMemoryBound(to: C.self) }
        return reserve(count)
    }

    /// Rounds the `count` values the kernel wrote to `view` (from `output`) into `destination`.
    @inline(__always)
    func finish(_ view: UnsafeMutablePointer<C>?, into destination: UnsafeMutablePointer<S>?, _ count: Int) {
        guard !S.isCompute, let view, let destination else { return }
        S.narrow(view, into: destination, count: count)
    }
}

extension LossStorage {
    /// Buffers of this type seen as compute values: only for `Float` and `Double`, whose
    /// compute type is themselves.
    @inline(__always)
    static func computePointer(_ p: UnsafePointer<Self>?) -> UnsafePointer<Compute>? {
        p.map { UnsafeRawPointer($0).assumingMemoryBound(to: Compute.self) }
    }

    @inline(__always)
    static func computePointer(_ p: UnsafeMutablePointer<Self>?) -> UnsafeMutablePointer<Compute>? {
        p.map { UnsafeMutableRawPointer($0).assumingMemoryBound(to: Compute.self) }
    }
}
