/// Why a loss call was refused. Every check runs before any kernel touches memory,
/// so a thrown error means no output was written.
///
/// ```swift
/// do {
///     _ = try smoothL1Loss([1.0], [2.0], beta: -1)
/// } catch {
///     print(error.kind, error.message)  // invalidArgument beta must be >= 0 (got -1.0)
/// }
/// ```
public struct LossError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The class of a refusal; its raw value is the C ABI's `losscore_status`.
    public enum Kind: Int32, Sendable {
        /// A required buffer was nil (`LOSSCORE_ERROR_NULL_POINTER`).
        case nullPointer = 1
        /// An option or a value outside its domain (`LOSSCORE_ERROR_INVALID_ARGUMENT`).
        case invalidArgument = 2
        /// Sizes that do not fit together (`LOSSCORE_ERROR_SHAPE`).
        case shape = 3
        /// A class index or label out of range (`LOSSCORE_ERROR_INDEX`).
        case index = 4
        /// A scratch allocation failed (`LOSSCORE_ERROR_OUT_OF_MEMORY`).
        case outOfMemory = 5
    }

    /// The class of the refusal.
    public let kind: Kind
    /// Names the argument and the offending value, e.g. "beta must be >= 0 (got -1.0)".
    public let message: String

    /// An error of `kind` with its `message`.
    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    /// The message.
    public var description: String { message }

    static func invalidArgument(_ message: String) -> LossError { LossError(.invalidArgument, message) }
    static func shape(_ message: String) -> LossError { LossError(.shape, message) }
    static func index(_ message: String) -> LossError { LossError(.index, message) }
    static func outOfMemory(_ message: String) -> LossError { LossError(.outOfMemory, message) }
    static func nullPointer(_ argument: String) -> LossError {
        LossError(.nullPointer, "\(argument) is NULL")
    }
}
