import CLossABI
import CLossHints
#if canImport(Glibc)
import Glibc
#endif

/// The C error model: a status code per call and a thread-local message.
enum CBoundary {
    /// Thread-local slot holding a malloc'd copy of the last error message (NULL = none).
    private static let errorKey: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key) { pointer in free(pointer) }
        return key
    }()

    private static var emptyMessage: UnsafePointer<CChar> { cString("") }

    /// A static string literal as a C string: its storage is static and NUL-terminated.
    static func cString(_ literal: StaticString) -> UnsafePointer<CChar> {
        UnsafeRawPointer(literal.utf8Start).assumingMemoryBound(to: CChar.self)
    }

    /// "MAJOR.MINOR.PATCH" from the header's macros, allocated once for the process.
    nonisolated(unsafe) static let version: UnsafePointer<CChar> =
        UnsafePointer(strdup("\(LOSSCORE_VERSION_MAJOR).\(LOSSCORE_VERSION_MINOR).\(LOSSCORE_VERSION_PATCH)")!)

    static var lastError: UnsafePointer<CChar> {
        guard let message = pthread_getspecific(errorKey) else { return emptyMessage }
        return UnsafePointer(message.assumingMemoryBound(to: CChar.self))
    }

    private static func setLastError(_ message: String?) {
        let previous = pthread_getspecific(errorKey)
        if previous == nil && message == nil { return }
        free(previous)
        pthread_setspecific(errorKey, message.map { UnsafeRawPointer(strdup($0)) })
    }

    /// Runs one exported call: clears the thread's error, maps a thrown error to its
    /// status and message, and writes both into the caller's record when there is one.
    /// Nothing here can trap for any caller input.
    @inline(__always)
    static func call(_ function: StaticString, _ record: UnsafeMutablePointer<losscore_error>?,
                     _ body: () throws(LossError) -> Void) -> losscore_status {
        do {
            try body()
            setLastError(nil)
            if let record { clear(record) }
            return losscore_status(LOSSCORE_OK)
        } catch {
            // #function is "name(_:_:...)"; the message wants the C name alone.
            let name = "\(function)".prefix { $0 != "(" }
            let message = "\(name): \(error.message)"
            let status = losscore_status(error.kind.rawValue)
            setLastError(message)
            if let record { write(status, message, to: record) }
            return status
        }
    }

    /// A caller's losscore_error after a success: status 0 and an empty message (no allocation).
    private static func clear(_ record: UnsafeMutablePointer<losscore_error>) {
        record.pointee.status = losscore_status(LOSSCORE_OK)
        messageBytes(record).storeBytes(of: 0, as: UInt8.self)
    }

    /// Where a record's message starts: its fixed-size char array.
    private static func messageBytes(_ record: UnsafeMutablePointer<losscore_error>) -> UnsafeMutableRawPointer {
        UnsafeMutableRawPointer(record) + MemoryLayout<losscore_error>.offset(of: \.message)!
    }

    /// Fills a caller's losscore_error: the status, and the message NUL-terminated, cut
    /// before a UTF-8 character that would not fit (the header promises a whole string).
    private static func write(_ status: losscore_status, _ message: String, to record: UnsafeMutablePointer<losscore_error>) {
        record.pointee.status = status
        let capacity = Int(LOSSCORE_ERROR_MESSAGE_SIZE)
        let text = messageBytes(record)
        var utf8 = Array(message.utf8)
        if utf8.count >= capacity {
            var end = capacity - 1
            while end > 0 && utf8[end] & 0xC0 == 0x80 { end -= 1 }  // a continuation byte: back to its start
            utf8.removeSubrange(end...)
        }
        utf8.append(0)
        utf8.withUnsafeBytes { text.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
    }

}

// MARK: - Argument conversion, the same for every export

extension CBoundary {
    /// A flag option (`int32_t`, 0 or 1) as a Bool, or an error naming it for any other value.
    static func flag(_ value: Int32, _ name: String) throws(LossError) -> Bool {
        guard value == 0 || value == 1 else {
            throw .invalidArgument("\(name) must be 0 or 1 (got \(value))")
        }
        return value == 1
    }
}

/// A 16-bit export's `uint16_t` buffer as the storage type its bits hold (`Float16` for
/// `_f16`, `BFloat16` for `_bf16`; the type comes from the buffers it is passed to).
@inline(__always)
func bits<S: LossStorage>(_ p: UnsafePointer<UInt16>?) -> UnsafePointer<S>? {
    p.map { UnsafeRawPointer($0).assumingMemoryBound(to: S.self) }
}

@inline(__always)
func bits<S: LossStorage>(_ p: UnsafeMutablePointer<UInt16>?) -> UnsafeMutablePointer<S>? {
    p.map { UnsafeMutableRawPointer($0).assumingMemoryBound(to: S.self) }
}

extension ElementwiseBuffers {
    /// The buffers of an elementwise export, in the header's argument order.
    init(_ input: UnsafePointer<Scalar>?, _ target: UnsafePointer<Scalar>?, _ weight: UnsafePointer<Scalar>?, _ n: Int, _ reduction: losscore_reduction,
         _ out: UnsafeMutablePointer<Scalar>?, _ gradOutput: UnsafePointer<Scalar>?, _ gradInput: UnsafeMutablePointer<Scalar>?) throws(LossError) {
        self.init(input: input, target: target, weight: weight, count: n, reduction: try Check.reduction(reduction),
                  out: out, gradOutput: gradOutput, gradInput: gradInput)
    }
}

extension OperandBuffers {
    /// The buffers of a three-operand elementwise export, in the header's argument order
    /// (an export without the third operand's sharing passes 1, 1).
    init(_ first: UnsafePointer<Scalar>?, _ second: UnsafePointer<Scalar>?, _ third: UnsafePointer<Scalar>?, _ n: Int,
         _ thirdRepeat: Int, _ thirdInner: Int, _ reduction: losscore_reduction, _ out: UnsafeMutablePointer<Scalar>?,
         _ gradOutput: UnsafePointer<Scalar>?, _ gradFirst: UnsafeMutablePointer<Scalar>?,
         _ gradSecond: UnsafeMutablePointer<Scalar>?) throws(LossError) {
        self.init(first: first, second: second, third: third, count: n, thirdRepeat: thirdRepeat, thirdInner: thirdInner,
                  reduction: try Check.reduction(reduction), out: out, gradOutput: gradOutput, gradFirst: gradFirst,
                  gradSecond: gradSecond)
    }
}

extension ClassBuffers {
    /// The buffers of a class-row export, in the header's argument order.
    init(_ input: UnsafePointer<Scalar>?, _ weight: UnsafePointer<Scalar>?, _ n: Int, _ c: Int, _ inner: Int, _ reduction: losscore_reduction,
         _ out: UnsafeMutablePointer<Scalar>?, _ gradOutput: UnsafePointer<Scalar>?, _ gradInput: UnsafeMutablePointer<Scalar>?) throws(LossError) {
        self.init(input: input, n: n, classes: c, inner: inner, weight: weight, reduction: try Check.reduction(reduction),
                  out: out, gradOutput: gradOutput, gradInput: gradInput)
    }
}

extension RowTupleBuffers {
    /// The buffers of a row-tuple export, in the header's argument order (a pair loss passes
    /// nil for the third operand and its gradient, a triplet loss nil for the target).
    init(_ first: UnsafePointer<Scalar>?, _ second: UnsafePointer<Scalar>?, _ third: UnsafePointer<Scalar>?,
         target: UnsafePointer<Scalar>? = nil, _ n: Int, _ d: Int, _ reduction: losscore_reduction,
         _ out: UnsafeMutablePointer<Scalar>?, _ gradOutput: UnsafePointer<Scalar>?,
         _ gradFirst: UnsafeMutablePointer<Scalar>?, _ gradSecond: UnsafeMutablePointer<Scalar>?,
         _ gradThird: UnsafeMutablePointer<Scalar>?) throws(LossError) {
        self.init(first: first, second: second, third: third, target: target, rows: n, width: d,
                  reduction: try Check.reduction(reduction), out: out, gradOutput: gradOutput, gradFirst: gradFirst,
                  gradSecond: gradSecond, gradThird: gradThird)
    }
}

extension SequenceBuffers {
    /// The buffers of a sequence export, in the header's argument order.
    init(_ logProbs: UnsafePointer<Scalar>?, _ targets: UnsafePointer<Int64>?, _ inputLengths: UnsafePointer<Int64>?,
         _ targetLengths: UnsafePointer<Int64>?, _ t: Int, _ n: Int, _ c: Int, _ s: Int,
         _ reduction: losscore_reduction, _ out: UnsafeMutablePointer<Scalar>?, _ gradOutput: UnsafePointer<Scalar>?,
         _ gradLogProbs: UnsafeMutablePointer<Scalar>?) throws(LossError) {
        self.init(logProbs: logProbs, targets: targets, inputLengths: inputLengths, targetLengths: targetLengths,
                  frames: t, n: n, classes: c, targetStride: s, reduction: try Check.reduction(reduction), out: out,
                  gradOutput: gradOutput, gradLogProbs: gradLogProbs)
    }
}

// MARK: - Version, errors and threads

@c @implementation
public func losscore_version() -> UnsafePointer<CChar>? {
    CBoundary.version
}

@c @implementation
public func losscore_version_number() -> Int32 {
    Int32(LOSSCORE_VERSION_MAJOR * 10000 + LOSSCORE_VERSION_MINOR * 100 + LOSSCORE_VERSION_PATCH)
}

/// build_info's line for a library of this one kernel set (a plain `swift build`); the
/// dispatching library's front (scripts/kernels/front.c) answers with the same rules for its sets.
@c @implementation
public func losscore_build_info() -> UnsafePointer<CChar>? {
    CBoundary.buildInfo
}

extension CBoundary {
    /// Written once, at the first call (LOSSCORE_KERNELS is read then).
    nonisolated(unsafe) static let buildInfo: UnsafePointer<CChar> = {
        let size = 512
        let line = UnsafeMutablePointer<CChar>.allocate(capacity: size)
        _ = losscore_choose_set(UInt32(1) << UInt32(losscore_compiled_set()), line, size)
        return UnsafePointer(line)
    }()
}

@c @implementation
public func losscore_last_error() -> UnsafePointer<CChar>? {
    CBoundary.lastError
}

@c @implementation
public func losscore_status_string(_ status: losscore_status) -> UnsafePointer<CChar>? {
    let name: StaticString =
        switch Int(status) {
        case Int(LOSSCORE_OK): "LOSSCORE_OK"
        case Int(LOSSCORE_ERROR_NULL_POINTER): "LOSSCORE_ERROR_NULL_POINTER"
        case Int(LOSSCORE_ERROR_INVALID_ARGUMENT): "LOSSCORE_ERROR_INVALID_ARGUMENT"
        case Int(LOSSCORE_ERROR_SHAPE): "LOSSCORE_ERROR_SHAPE"
        case Int(LOSSCORE_ERROR_INDEX): "LOSSCORE_ERROR_INDEX"
        case Int(LOSSCORE_ERROR_OUT_OF_MEMORY): "LOSSCORE_ERROR_OUT_OF_MEMORY"
        case Int(LOSSCORE_ERROR_UNSUPPORTED_CPU): "LOSSCORE_ERROR_UNSUPPORTED_CPU"
        default: "unknown status"
        }
    return CBoundary.cString(name)
}

@c @implementation
public func losscore_set_num_threads(_ numThreads: Int32, _ error: UnsafeMutablePointer<losscore_error>?) -> losscore_status {
    CBoundary.call(#function, error) { () throws(LossError) in try Parallel.setThreadCount(Int(numThreads)) }
}

@c @implementation
public func losscore_get_num_threads() -> Int32 {
    Int32(Parallel.threadCount)
}
