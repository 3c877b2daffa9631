/// Why a loss call was refused. Every check runs before any kernel touches memory,
/// so a thrown error means no output was written.
public struct LossError: Error, Equatable, CustomStringConvertible, Sendable {
    public enum Kind: Int32, Sendable {
        case nullPointer = 1
        case invalidArgument = 2
        case shape = 3
        case index = 4
        case outOfMemory = 5
    }

    public let kind: Kind
    /// Names the argument and the offending value, e.g. "beta must be >= 0 (got -1.0)".
    public let message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }

    static func invalidArgument(_ message: String) -> LossError { LossError(.invalidArgument, message) }
    static func shape(_ message: String) -> LossError { LossError(.shape, message) }
    static func index(_ message: String) -> LossError { LossError(.index, message) }
    static func outOfMemory(_ message: String) -> LossError { LossError(.outOfMemory, message) }
    static func nullPointer(_ argument: String) -> LossError {
        LossError(.nullPointer, "\(argument) is NULL")
    }
}
