import CLossHints

/// The types a loss's buffers may hold: `Float` and `Double`, which LossCore also computes
/// in, and the 16-bit `Float16` and `BFloat16`, which it widens to `Float` to compute.
///
/// A 16-bit call computes exactly as the `Float` call on the widened values (every 16-bit
/// value is a `Float` without rounding) and rounds each result once, to nearest even, back
/// to the storage type: the losses, the reduced value and every gradient element. The
/// drivers widen and narrow one block at a time, so a call never holds more than a block
/// per thread in `Float`.
public protocol LossStorage: Equatable, Sendable, CustomStringConvertible {
    /// The type the kernels compute in: `Self` for `Float` and `Double`, `Float` for the
    /// 16-bit types.
    associatedtype Compute: LossScalar
    /// `value` rounded to this type, to nearest even (exact when `Compute` is `Self`).
    init(rounding value: Compute)
    /// The value as the kernels see it (exact).
    var computeValue: Compute { get }
    /// The C type name used in error messages ("float", "double", "uint16_t").
    static var storageName: String { get }
    /// Widens `count` values into `destination` (vectorized).
    static func widen(_ source: UnsafePointer<Self>, into destination: UnsafeMutablePointer<Compute>, count: Int)
    /// Rounds `count` values into `destination`, to nearest even (vectorized).
    static func narrow(_ source: UnsafePointer<Compute>, into destination: UnsafeMutablePointer<Self>, count: Int)
}

extension LossStorage {
    /// True when the buffers hold the compute type itself: the drivers then read and write
    /// them in place (a constant after specialization).
    @inline(__always) static var isCompute: Bool { Self.self == Compute.self }

    public static func widen(_ source: UnsafePointer<Self>, into destination: UnsafeMutablePointer<Compute>,
                             count: Int) {
        for i in 0..<count { destination[i] = source[i].computeValue }
    }

    public static func narrow(_ source: UnsafePointer<Compute>, into destination: UnsafeMutablePointer<Self>,
                              count: Int) {
        for i in 0..<count { destination[i] = Self(rounding: source[i]) }
    }
}

extension LossScalar {
    /// `value` itself.
    @inline(__always) public init(rounding value: Self) { self = value }
    /// `self`.
    @inline(__always) public var computeValue: Self { self }
    /// The C type name: `cName`.
    public static var storageName: String { cName }
}

#if !((os(macOS) || targetEnvironment(macCatalyst)) && arch(x86_64))
// x86-64 kernels built without F16C (the baseline set, and builds outside scripts/build.sh)
// convert in integer lanes (CLossHints): LLVM makes every half-precision conversion there a
// library call, and the unrolled kernel loops took minutes to compile.
extension Float16: LossStorage {
    /// `value` rounded to half precision, to nearest even.
    @inline(__always) public init(rounding value: Float) {
        #if arch(x86_64) && !LOSSCORE_F16C
        self.init(bitPattern: losscore_narrow1_f16(value))
        #else
        self.init(value)
        #endif
    }
    /// The value widened to `Float` (exact).
    @inline(__always) public var computeValue: Float {
        #if arch(x86_64) && !LOSSCORE_F16C
        losscore_widen1_f16(bitPattern)
        #else
        Float(self)
        #endif
    }
    /// "uint16_t": the C entry points take half-precision bit patterns.
    public static var storageName: String { "uint16_t" }
}
#endif
