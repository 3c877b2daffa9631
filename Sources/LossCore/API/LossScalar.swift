#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The floating-point types LossCore computes in: `Float` and `Double`.
///
/// Kernels are generic over this protocol and specialized by the optimizer for
/// both types; the elementary functions are the C library's, chosen per type.
public protocol LossScalar: LossStorage, BinaryFloatingPoint, SIMDScalar, Codable, Sendable,
    CustomStringConvertible where Compute == Self {
    /// e^x, the C library's.
    static func exp(_ x: Self) -> Self
    /// The natural logarithm of x, the C library's.
    static func log(_ x: Self) -> Self
    /// log(1 + x), exact for small x, the C library's.
    static func log1p(_ x: Self) -> Self
    /// e^x - 1, exact for small x, the C library's.
    static func expm1(_ x: Self) -> Self
    /// x^y, the C library's.
    static func pow(_ x: Self, _ y: Self) -> Self
    /// Adds `count` contiguous values to a running double-lane sum (vectorized; the same
    /// order every time). `sumAsDouble` sums one buffer this way.
    static func accumulate(_ values: UnsafePointer<Self>, _ count: Int, into sum: inout WideSum)
    /// The C type name, used in error messages ("float" or "double").
    static var cName: String { get }
}

extension Float: LossScalar {
    /// e^x: `expf`.
    @inline(__always) public static func exp(_ x: Float) -> Float { expf(x) }
    /// The natural logarithm of x: `logf`.
    @inline(__always) public static func log(_ x: Float) -> Float { logf(x) }
    /// log(1 + x): `log1pf`.
    @inline(__always) public static func log1p(_ x: Float) -> Float { log1pf(x) }
    /// e^x - 1: `expm1f`.
    @inline(__always) public static func expm1(_ x: Float) -> Float { expm1f(x) }
    /// x^y: `powf`.
    @inline(__always) public static func pow(_ x: Float, _ y: Float) -> Float { powf(x, y) }
    /// "float".
    public static var cName: String { "float" }
}

extension Double: LossScalar {
    /// e^x: `exp`.
    @inline(__always) public static func exp(_ x: Double) -> Double { libmExp(x) }
    /// The natural logarithm of x: `log`.
    @inline(__always) public static func log(_ x: Double) -> Double { libmLog(x) }
    /// log(1 + x): `log1p`.
    @inline(__always) public static func log1p(_ x: Double) -> Double { libmLog1p(x) }
    /// e^x - 1: `expm1`.
    @inline(__always) public static func expm1(_ x: Double) -> Double { libmExpm1(x) }
    /// x^y: `pow`.
    @inline(__always) public static func pow(_ x: Double, _ y: Double) -> Double { libmPow(x, y) }
    /// "double".
    public static var cName: String { "double" }
}

// The C library's double functions by names that do not collide with Double's own static
// members above (inside the extension, `exp` would name Double.exp); no module prefix, so
// this builds against Glibc, Musl and Darwin alike.
@inline(__always) private func libmExp(_ x: Double) -> Double { exp(x) }
@inline(__always) private func libmLog(_ x: Double) -> Double { log(x) }
@inline(__always) private func libmLog1p(_ x: Double) -> Double { log1p(x) }
@inline(__always) private func libmExpm1(_ x: Double) -> Double { expm1(x) }
@inline(__always) private func libmPow(_ x: Double, _ y: Double) -> Double { pow(x, y) }

extension LossScalar {
    /// sign(x) as torch's `sgn` computes it for real numbers: -1, 0 or 1, and 0 for NaN
    /// (this is why the L1 gradient is 0, not NaN, where the difference is NaN).
    @inline(__always) static func torchSign(_ x: Self) -> Self {
        x > 0 ? 1 : (x < 0 ? -1 : 0)
    }
}
