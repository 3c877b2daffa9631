/// A bfloat16 value: the upper 16 bits of a `Float` (8 exponent bits, 7 stored significand
/// bits), the storage format of many models' activations and logits.
///
/// LossCore only stores values in this type; it computes in `Float`, as torch does for
/// bfloat16 tensors on the CPU. Rounding to it is to nearest even and every NaN becomes the
/// quiet NaN 0x7FC0, as torch rounds.
///
/// ```swift
/// let x = BFloat16(1.0 / 3.0)
/// print(x.bitPattern == 0x3EAB, Float(x))  // true 0.33398438
/// ```
public struct BFloat16: LossStorage, Hashable, ExpressibleByFloatLiteral, ExpressibleByIntegerLiteral {
    /// The value's 16 bits.
    public var bitPattern: UInt16

    /// The value with these 16 bits.
    @inline(__always) public init(bitPattern: UInt16) { self.bitPattern = bitPattern }

    /// `value` rounded to bfloat16, to nearest even; NaN gives 0x7FC0.
    @inline(__always) public init(_ value: Float) {
        let bits = value.bitPattern
        let rounded = UInt16(truncatingIfNeeded: (bits &+ 0x7FFF &+ ((bits >> 16) & 1)) >> 16)
        bitPattern = value.isNaN ? 0x7FC0 : rounded
    }

    /// `value` rounded to bfloat16, to nearest even; NaN gives 0x7FC0.
    @inline(__always) public init(rounding value: Float) { self.init(value) }

    /// A literal, rounded from `Float`.
    public init(floatLiteral value: Float) { self.init(value) }

    /// An integer literal, rounded from `Float`.
    public init(integerLiteral value: Int) { self.init(Float(value)) }

    /// The value as a `Float` (exact).
    @inline(__always) public var computeValue: Float { Float(bitPattern: UInt32(bitPattern) << 16) }

    /// "uint16_t": the C entry points take bfloat16 bit patterns.
    public static var storageName: String { "uint16_t" }

    /// The value as `Float` prints it.
    public var description: String { computeValue.description }

    /// Equal as numbers: NaN equals nothing, -0 equals +0.
    public static func == (a: BFloat16, b: BFloat16) -> Bool { a.computeValue == b.computeValue }

    /// Hashes the number (+0 and -0 alike).
    public func hash(into hasher: inout Hasher) { hasher.combine(computeValue == 0 ? 0 : computeValue) }
}

extension Float {
    /// The bfloat16 value `value`, exactly.
    @inline(__always) public init(_ value: BFloat16) { self = value.computeValue }
}
