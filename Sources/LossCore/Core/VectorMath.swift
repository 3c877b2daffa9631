/// Vectorized exp for the softmax family's hot loops.
///
/// libm's expf is a scalar call per element and dominates a row-wise softmax; this is the
/// Cephes scheme (see `Cephes`) on SIMD lanes, with 2^n assembled in the exponent bits.
/// Accuracy: within 2 ulp of the correctly rounded result on [-87.3, 88.7]; below that it returns 0 (where expf returns subnormals < 1.2e-38),
/// above it +inf; NaN propagates. Only integer and float add/multiply on bit patterns, so it
/// vectorizes on every x86-64 (SSE2) and arm64 CPU without special flags.
enum VectorMath {
    typealias Lanes = SIMD16<Float>

    @_transparent
    static func exp(_ x: Lanes) -> Lanes {
        // Clamp so that n stays within the exponent range; NaN is restored at the end.
        // (replacing(with:where:) inlines to compare + blend; the generic clamped/pointwiseMin
        // do not inline and cost a call per vector.)
        let clamped = x.replacing(with: -87.336_55, where: .!(x .>= -87.336_55))
            .replacing(with: 88.722_83, where: x .> 88.722_83)
        let shifted = clamped * Cephes.log2e + Cephes.roundingMagic
        let n = shifted - Cephes.roundingMagic
        let r = clamped - n * Cephes.ln2High - n * Cephes.ln2Low
        let p = Cephes.expPolynomial(r)
        // 2^n: the low mantissa bits of `shifted` hold n + 0x400000. n reaches 128 near the top
        // of the range, past the largest exponent, so scale by 2^(n/2) and 2^(n - n/2).
        let n32 = unsafeBitCast(shifted, to: SIMD16<Int32>.self) &- 0x4B40_0000
        let half = n32 &>> 1
        let scaleA = unsafeBitCast((half &+ 127) &<< 23, to: Lanes.self)
        let scaleB = unsafeBitCast((n32 &- half &+ 127) &<< 23, to: Lanes.self)
        var result = p * scaleA * scaleB
        result.replace(with: 0, where: x .< -87.336_55)
        result.replace(with: .infinity, where: x .> 88.722_83)
        result.replace(with: x, where: x .!= x)
        return result
    }
}

extension VectorMath {
    /// Vectorized natural log for positive normal floats (Cephes logf: x = 2^e m with
    /// m in [sqrt(1/2), sqrt(2)), log(1 + f) by a degree-9 polynomial, e ln 2 in two parts).
    /// Within 1 ulp of logf there; +inf and NaN pass through. The softmax family only takes
    /// logs of exp-sums, which are >= 1, so zeros, negatives and subnormals never arrive.
    @_transparent
    static func log(_ x: Lanes) -> Lanes {
        let bits = unsafeBitCast(x, to: SIMD16<Int32>.self)
        var exponent = Lanes((bits &>> 23) &- 126)
        // Positive x: keep the mantissa, set the exponent of 0.5 (the sign bit is 0).
        var m = unsafeBitCast((bits & 0x007F_FFFF) | 0x3F00_0000, to: Lanes.self)  // in [0.5, 1)
        let small = m .< 0.707_106_77
        exponent = exponent.replacing(with: exponent - 1, where: small)
        m = m.replacing(with: m + m, where: small) - 1
        let z = m * m
        var p = Lanes(repeating: 7.037_683_629_2e-2)
        p = p * m - 1.151_461_031_0e-1
        p = p * m + 1.167_699_874_0e-1
        p = p * m - 1.242_014_084_6e-1
        p = p * m + 1.424_932_278_7e-1
        p = p * m - 1.666_805_766_5e-1
        p = p * m + 2.000_071_476_5e-1
        p = p * m - 2.499_999_399_3e-1
        p = p * m + 3.333_333_117_4e-1
        var y = m * z * p
        y += exponent * -2.121_944_40e-4
        y -= 0.5 * z
        var result = m + y + exponent * 0.693_359_375
        result.replace(with: x, where: .!(x .< .infinity))  // +inf and NaN
        return result
    }
}

extension Float {
    /// max_j x_j over a contiguous row (NaNs are skipped; they reach results through exp).
    static func contiguousMax(_ x: UnsafePointer<Float>, _ count: Int) -> Float {
        var j = 0
        var best = -Float.infinity
        if count >= VectorMath.Lanes.scalarCount {
            var lanes = VectorMath.Lanes(repeating: -.infinity)
            while j + VectorMath.Lanes.scalarCount <= count {
                let v = UnsafeRawPointer(x + j).loadUnaligned(as: VectorMath.Lanes.self)
                lanes.replace(with: v, where: v .> lanes)
                j += VectorMath.Lanes.scalarCount
            }
            best = lanes.max()
        }
        while j < count {
            if x[j] > best { best = x[j] }
            j += 1
        }
        return best
    }

    /// sum_j exp(x_j - shift) over a contiguous row; writes each term to `store` if given.
    static func contiguousExpSum(_ x: UnsafePointer<Float>, _ count: Int, shift: Float,
                                 store: UnsafeMutablePointer<Float>?) -> Float {
        var sum = VectorMath.Lanes()
        var j = 0
        while j + VectorMath.Lanes.scalarCount <= count {
            let v = UnsafeRawPointer(x + j).loadUnaligned(as: VectorMath.Lanes.self)
            let e = VectorMath.exp(v - shift)
            if let store { UnsafeMutableRawPointer(store + j).storeBytes(of: e, as: VectorMath.Lanes.self) }
            sum += e
            j += VectorMath.Lanes.scalarCount
        }
        if j < count {
            // The tail goes through the same vector exp (padded with -inf, whose exp is 0) so
            // that every element of a row is computed the same way.
            // (Element-wise SIMD subscripts are slow; move the tail with memcpy instead.)
            let tailBytes = (count - j) * MemoryLayout<Float>.stride
            var v = VectorMath.Lanes(repeating: -.infinity)
            withUnsafeMutableBytes(of: &v) { $0.baseAddress!.copyMemory(from: x + j, byteCount: tailBytes) }
            let e = VectorMath.exp(v - shift)
            if let store {
                withUnsafeBytes(of: e) { UnsafeMutableRawPointer(store + j).copyMemory(from: $0.baseAddress!, byteCount: tailBytes) }
            }
            sum += e
        }
        return sum.sum()
    }
}

extension Float {
    /// Every value is widened to double before it is added (two SIMD8<Double> accumulators),
    /// so the sum is as exact as a double sum even where terms cancel.
    public static func sumAsDouble(_ values: UnsafePointer<Float>, _ count: Int) -> Double {
        var low = SIMD8<Double>(), high = SIMD8<Double>()
        var j = 0
        while j + 16 <= count {
            let v = UnsafeRawPointer(values + j).loadUnaligned(as: SIMD16<Float>.self)
            low += SIMD8<Double>(v.lowHalf)
            high += SIMD8<Double>(v.highHalf)
            j += 16
        }
        var total = (low + high).sum()
        while j < count {
            total += Double(values[j])
            j += 1
        }
        return total
    }
}

extension Double {
    public static func sumAsDouble(_ values: UnsafePointer<Double>, _ count: Int) -> Double {
        var lanes = SIMD4<Double>()
        var j = 0
        while j + 4 <= count {
            lanes += UnsafeRawPointer(values + j).loadUnaligned(as: SIMD4<Double>.self)
            j += 4
        }
        var total = lanes.sum()
        while j < count {
            total += values[j]
            j += 1
        }
        return total
    }
}
