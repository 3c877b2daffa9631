/// The terms of binary cross-entropy on logits, shared by BCE with logits and the sigmoid
/// focal loss, evaluated without cancellation for logits of any size.
///
/// With e = exp(-|x|), softplus(-x) = max(-x, 0) + log1p(e) and sigmoid(x) = 1 / (1 + e) or
/// e / (1 + e), torch's l = (1 - y) x + L softplus(-x) (L = 1 + (p - 1) y, p the positive
/// weight) and its derivative L sigmoid(x) - p y are rearranged per sign of x so that no
/// two large terms cancel:
///
///     x >= 0:  l = (1 - y) x + L log1p(e)      dl/dx = (1 - y) - L e / (1 + e)
///     x <  0:  l = -p y x    + L log1p(e)      dl/dx = L e / (1 + e) - p y
///
/// (torch's float32 (1 - y) x - L log_sigmoid(x) returns 0 for x = -20, y = 0, where the
/// loss is 2.06e-9; these forms keep it, and are exact rearrangements otherwise.) NaN
/// propagates as in torch; at x = -inf with y = 1 the loss is +inf (the limit) where
/// torch's form gives NaN (inf - inf).
enum LogitTerms {
    /// l and dl/dx without a positive weight (p = L = 1).
    @inline(__always) static func value<T: LossScalar>(_ x: T, _ y: T) -> T {
        let tail = ScalarMath.log1pUnit(ScalarMath.expNegAbs(x))
        return (x >= 0 ? (1 - y) * x : -(y * x)) + tail
    }

    @inline(__always) static func valueAndDerivative<T: LossScalar>(_ x: T, _ y: T) -> (T, T) {
        valueAndDerivative(x, y, expNegAbs: ScalarMath.expNegAbs(x))
    }

    /// The same, given e = exp(-|x|) (the focal loss reuses it).
    @inline(__always) static func valueAndDerivative<T: LossScalar>(_ x: T, _ y: T, expNegAbs e: T) -> (T, T) {
        let tail = ScalarMath.log1pUnit(e)
        let small = e / (1 + e)  // sigmoid(-|x|)
        if x >= 0 { return ((1 - y) * x + tail, (1 - y) - small) }
        return (-(y * x) + tail, small - y)
    }

    /// `value` / `valueAndDerivative` on sixteen float lanes, with the same operations (so
    /// bitwise the same results); dl/dx only when `derivative` is true.
    @inline(__always)
    static func lanes(_ x: SIMD16<Float>, _ y: SIMD16<Float>, derivative: Bool) -> (SIMD16<Float>, SIMD16<Float>) {
        lanes(x, y, expNegAbs: expNegAbs(x), derivative: derivative)
    }

    /// exp(-|x|) on lanes.
    @inline(__always) static func expNegAbs(_ x: SIMD16<Float>) -> SIMD16<Float> {
        // -|x|: the sign bit set (NaN stays NaN).
        VectorMath.expNonPositive(unsafeBitCast(unsafeBitCast(x, to: SIMD16<UInt32>.self) | 0x8000_0000,
                                                to: SIMD16<Float>.self))
    }

    /// The same, given e = exp(-|x|) (the focal loss reuses it).
    @inline(__always)
    static func lanes(_ x: SIMD16<Float>, _ y: SIMD16<Float>, expNegAbs e: SIMD16<Float>,
                      derivative: Bool) -> (SIMD16<Float>, SIMD16<Float>) {
        let tail = ScalarMath.log1pUnit(e)
        let negative = .!(x .>= 0)
        let linear = ((1 - y) * x).replacing(with: -(y * x), where: negative)
        guard derivative else { return (linear + tail, SIMD16()) }
        let small = e / (1 + e)
        return (linear + tail, ((1 - y) - small).replacing(with: small - y, where: negative))
    }

    /// l and dl/dx with positive weight p.
    @inline(__always) static func value<T: LossScalar>(_ x: T, _ y: T, posWeight p: T) -> T {
        let tail = ScalarMath.log1pUnit(ScalarMath.expNegAbs(x))
        let logWeight = 1 + (p - 1) * y
        return (x >= 0 ? (1 - y) * x : -(p * y * x)) + logWeight * tail
    }

    @inline(__always) static func valueAndDerivative<T: LossScalar>(_ x: T, _ y: T, posWeight p: T) -> (T, T) {
        let e = ScalarMath.expNegAbs(x)
        let tail = ScalarMath.log1pUnit(e)
        let small = e / (1 + e)
        let logWeight = 1 + (p - 1) * y
        if x >= 0 { return ((1 - y) * x + logWeight * tail, (1 - y) - logWeight * small) }
        let py = p * y
        return (-(py * x) + logWeight * tail, logWeight * small - py)
    }
}
