/// The Cephes expf reduction, shared by the vector exp (`VectorMath.expNonPositive`) and its
/// one-value mirror (`ScalarMath.expNonPositive`): n = round(x / ln 2) by the 1.5 * 2^23
/// trick, r = x - n ln 2 in two parts (Cody-Waite); then e^r by `expPolynomial`.
/// (Computed properties, so the constants fold into the hot loops.)
enum Cephes {
    static var log2e: Float { 1.442_695_04 }
    static var ln2High: Float { 0.693_359_375 }
    static var ln2Low: Float { -2.121_944_40e-4 }
    /// 1.5 * 2^23: adding it rounds a float to an integer, left in the low mantissa bits.
    static var roundingMagic: Float { 12_582_912 }

    /// Below this, expf returns subnormals (under 1.2e-38); the schemes here return 0.
    static var lowest: Float { -87.336_55 }
    /// The largest float whose expf is finite (0x1.62e42ep6); above it e^x is +inf.
    static var highest: Float { 88.722_831_726_074_22 }

    /// e^r for |r| <= ln2 / 2: a degree-6 polynomial fitted for least maximum relative error
    /// (2e-9 with these float coefficients), highest degree first, then 1 and 1.
    static var expCoefficients: (Float, Float, Float, Float, Float) {
        (1.381_460_926_5e-3, 8.368_710_055_9e-3, 4.166_838_899_3e-2, 1.666_652_113_2e-1, 4.999_999_404_0e-1)
    }

    /// e^r for |r| <= ln2 / 2 on one value: `VectorMath.expPolynomial`'s operations.
    @inline(__always) static func expPolynomial(_ r: Float) -> Float {
        let (c6, c5, c4, c3, c2) = expCoefficients
        var p = FusedMath.multiplyAdd(c6, r, c5)
        p = FusedMath.multiplyAdd(p, r, c4)
        p = FusedMath.multiplyAdd(p, r, c3)
        p = FusedMath.multiplyAdd(p, r, c2)
        p = FusedMath.multiplyAdd(p, r, 1)
        return FusedMath.multiplyAdd(p, r, 1)
    }
}

/// a * b + c, as one fused instruction where the build targets a CPU that has one.
///
/// scripts/build.sh defines LOSSCORE_FMA when it builds for x86-64 with FMA (Haswell, Zen and
/// later); arm64 always has it. Elsewhere (the portable x86-64 build, `swift build` without the
/// script) a fused multiply-add would be a libm call per lane, so it multiplies and adds; the
/// results then differ from the fused ones in the last bit, as builds for different CPUs may.
/// Swift never contracts `a * b + c` by itself, so the polynomial kernels say where to fuse.
enum FusedMath {
    @_transparent static func multiplyAdd(_ a: Float, _ b: Float, _ c: Float) -> Float {
        #if LOSSCORE_FMA || arch(arm64)
        return c.addingProduct(a, b)
        #else
        return a * b + c
        #endif
    }

    @_transparent static func multiplyAdd(_ a: Double, _ b: Double, _ c: Double) -> Double {
        #if LOSSCORE_FMA || arch(arm64)
        return c.addingProduct(a, b)
        #else
        return a * b + c
        #endif
    }

    /// (The stdlib's SIMD addingProduct is a per-lane loop that the optimizer turns into
    /// one vector FMA.)
    @_transparent static func multiplyAdd(_ a: VectorMath.Lanes, _ b: VectorMath.Lanes,
                                          _ c: VectorMath.Lanes) -> VectorMath.Lanes {
        #if LOSSCORE_FMA || arch(arm64)
        return c.addingProduct(a, b)
        #else
        return a * b + c
        #endif
    }
}

/// exp(-|x|) and log1p(e) for e in [0, 1] on single values (the transcendental steps of the
/// logits losses), as inline polynomial code without calls or branches (selects only), so that the
/// elementwise loops of `ElementwiseDriver` vectorize; libm's exp and log1p are scalar calls
/// that keep those loops scalar.
enum ScalarMath {
    @inline(__always) static func expNegAbs<T: LossScalar>(_ x: T) -> T {
        if T.self == Float.self {
            return unsafeBitCast(expNonPositive(-abs(unsafeBitCast(x, to: Float.self))), to: T.self)
        }
        if T.self == Double.self {
            return unsafeBitCast(expNonPositive(-abs(unsafeBitCast(x, to: Double.self))), to: T.self)
        }
        return T.exp(-abs(x))
    }

    @inline(__always) static func log1pUnit<T: LossScalar>(_ e: T) -> T {
        if T.self == Float.self {
            return unsafeBitCast(log1pUnit(unsafeBitCast(e, to: Float.self)), to: T.self)
        }
        if T.self == Double.self {
            return unsafeBitCast(log1pUnit(unsafeBitCast(e, to: Double.self)), to: T.self)
        }
        return T.log1p(e)
    }

    /// e^t for t <= 0 (or NaN) in double, within 1 ulp: t = n ln2 + r with |r| <= ln2 / 2
    /// (ln2 in two parts), e^r by its Taylor polynomial of degree 13 (truncation below
    /// 1e-17), times 2^n assembled in the exponent bits. Below -708.39 (where exp returns
    /// subnormals under 2.2e-308) it returns 0.
    @inline(__always) static func expNonPositive(_ t: Double) -> Double {
        let lowest = -708.39
        let c = t >= lowest ? t : lowest
        let roundingMagic = 6_755_399_441_055_744.0  // 1.5 * 2^52
        let shifted = c * 1.442_695_040_888_963_4 + roundingMagic
        let n = shifted - roundingMagic              // in [-1022, 0]
        var r = c - n * 6.931_471_803_691_238_164_90e-01
        r = r - n * 1.908_214_929_270_587_700_02e-10
        var p = 1.0 / 6_227_020_800                  // 1/13!
        p = p * r + 1.0 / 479_001_600
        p = p * r + 1.0 / 39_916_800
        p = p * r + 1.0 / 3_628_800
        p = p * r + 1.0 / 362_880
        p = p * r + 1.0 / 40_320
        p = p * r + 1.0 / 5_040
        p = p * r + 1.0 / 720
        p = p * r + 1.0 / 120
        p = p * r + 1.0 / 24
        p = p * r + 1.0 / 6
        p = p * r + 0.5
        p = p * (r * r) + r + 1
        let exponent = Int64(bitPattern: shifted.bitPattern) &- 0x4338_0000_0000_0000 &+ 1023
        let result = p * Double(bitPattern: UInt64(bitPattern: exponent &<< 52))
        return t >= lowest ? result : (t.isNaN ? t : 0)
    }

    /// log(1 + e) for e in [0, 1] (or NaN) in double, within 1 ulp: fdlibm's log kernel.
    /// 1 + e = 2^k (1 + f) with k = 0, f = e for e <= sqrt(2) - 1, else k = 1,
    /// f = (e - 1) / 2; then log(1 + f) = f - (f^2/2 - s (f^2/2 + R(s^2))), s = f / (2 + f),
    /// with fdlibm's minimax R (|s| <= 0.1716).
    @inline(__always) static func log1pUnit(_ e: Double) -> Double {
        let large = e > 0.414_213_562_373_095_03
        let f = large ? (e - 1) * 0.5 : e
        let k = large ? 1.0 : 0.0
        let s = f / (2 + f)
        let z = s * s
        let w = z * z
        let t1 = w * (3.999_999_999_940_941_908e-01 + w * (2.222_219_843_214_978_396e-01
            + w * 1.531_383_769_920_937_332e-01))
        let t2 = z * (6.666_666_666_666_735_130e-01 + w * (2.857_142_874_366_239_149e-01
            + w * (1.818_357_216_161_805_012e-01 + w * 1.479_819_860_511_658_591e-01)))
        let hfsq = 0.5 * f * f
        let r = t2 + t1
        return k * 6.931_471_803_691_238_164_90e-01
            - ((hfsq - (s * (hfsq + r) + k * 1.908_214_929_270_587_700_02e-10)) - f)
    }

    /// e^t for t <= 0 (or NaN) on one value: `VectorMath.expNonPositive`'s operations in the
    /// same order (so a value gives bitwise what its lane would), within 1.5 ulp; below
    /// -87.34 (where expf returns subnormals under 1.2e-38) it returns 0.
    @inline(__always) static func expNonPositive(_ t: Float) -> Float {
        let shifted = FusedMath.multiplyAdd(t, Cephes.log2e, Cephes.roundingMagic)
        let n = shifted - Cephes.roundingMagic          // round(t / ln 2), in [-126, 0]
        let r = FusedMath.multiplyAdd(n, -Cephes.ln2Low, FusedMath.multiplyAdd(n, -Cephes.ln2High, t))
        let p = Cephes.expPolynomial(r)
        // The low mantissa bits of `shifted` hold n + 0x400000; shifted into the exponent
        // field, the 0x4B4 above them fall off, leaving n << 23. (Below `lowest` the result
        // is garbage, replaced by 0; a NaN t gives a NaN p.)
        let scale = Float(bitPattern: (shifted.bitPattern &<< 23) &+ 0x3F80_0000)
        return t < Cephes.lowest ? 0 : p * scale
    }


    /// `log1pUnit` on sixteen lanes, with the same operations in the same order.
    @_transparent static func log1pUnit(_ e: VectorMath.Lanes) -> VectorMath.Lanes {
        let s = e / (2 + e)
        let s2 = s * s
        var p = VectorMath.Lanes(repeating: 1.0 / 15)
        p = p * s2 + 1.0 / 13
        p = p * s2 + 1.0 / 11
        p = p * s2 + 1.0 / 9
        p = p * s2 + 1.0 / 7
        p = p * s2 + 1.0 / 5
        p = p * s2 + 1.0 / 3
        p = p * s2
        return 2 * s + 2 * s * p
    }

    /// log(1 + e) for e in [0, 1] (or NaN): 2 atanh(s) with s = e / (2 + e) in [0, 1/3],
    /// as the odd series 2 s (1 + s^2/3 + ... + s^14/15), whose truncation error is below
    /// 2e-9 relative; within 2 ulp of log1pf over the range, exact for e = 0.
    @inline(__always) static func log1pUnit(_ e: Float) -> Float {
        let s = e / (2 + e)
        let s2 = s * s
        var p: Float = 1.0 / 15
        p = p * s2 + 1.0 / 13
        p = p * s2 + 1.0 / 11
        p = p * s2 + 1.0 / 9
        p = p * s2 + 1.0 / 7
        p = p * s2 + 1.0 / 5
        p = p * s2 + 1.0 / 3
        p = p * s2
        return 2 * s + 2 * s * p
    }
}
