// Shared helpers of the 16-bit storage tests: the two storage types as test arguments and
// bitwise comparisons of 16-bit results with rounded Float results.
import Testing
@testable import LossCore

/// The two 16-bit storage types, for parameterized tests.
enum HalfType: String, CaseIterable, CustomStringConvertible, Sendable {
    case float16, bfloat16
    var description: String { rawValue }
}

/// A test body generic over the 16-bit storage type, for `HalfType.run`.
protocol HalfTest {
    func callAsFunction<T: LossStorage>(_ type: T.Type) throws where T.Compute == Float
}

extension HalfType {
    /// Runs `test` on this case's storage type.
    func run(_ test: some HalfTest) throws {
        switch self {
        case .float16:
            #if !((os(macOS) || targetEnvironment(macCatalyst)) && arch(x86_64))
            try test(Float16.self)
            #endif
        case .bfloat16: try test(BFloat16.self)
        }
    }
}

/// The bits of 16-bit values (a NaN compares by its pattern too).
func halfBits<T: LossStorage>(_ values: [T]) -> [UInt16] {
    precondition(MemoryLayout<T>.size == 2)
    return values.map { unsafeBitCast($0, to: UInt16.self) }
}

/// The 16 bits of one 16-bit value.
func halfBits<T: LossStorage>(_ value: T) -> UInt16 {
    precondition(MemoryLayout<T>.size == 2)
    return unsafeBitCast(value, to: UInt16.self)
}
