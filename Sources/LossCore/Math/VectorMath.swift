/// Vectorized exp and log for the hot loops of the class-row and elementwise losses.
///
/// libm's expf is a scalar call per element and dominates a row-wise softmax; this is the
/// Cephes scheme (see `Cephes`) on SIMD lanes, with 2^n assembled in the exponent bits, and
/// fused multiply-adds where the CPU has them (`FusedMath`). Only float and integer
/// arithmetic on bit patterns, so it vectorizes on every x86-64 (SSE2) and arm64 CPU.
enum VectorMath {
    typealias Lanes = SIMD16<Float>

    /// e^x for x <= 0 (or NaN), within 1.5 ulp of the exact result (tested: 1.13 unfused,
    /// 0.81 with FMA; VectorMathTests); below -87.34
    /// (where expf returns subnormals under 1.2e-38) it returns 0. The softmax family only
    /// exponentiates scores minus their maximum, so the overflow side is not handled: that
    /// saves two clamps, a select and a second scale multiply per vector.
    @_transparent
    static func expNonPositive(_ x: Lanes) -> Lanes {
        // Lanes below `lowest` (-inf included) compute garbage (NaN, or n out of the exponent
        // range) that the final select replaces by 0, so they need no clamp.
        let underflow = x .< Cephes.lowest                      // false for NaN
        let shifted = FusedMath.multiplyAdd(x, Lanes(repeating: Cephes.log2e),
                                            Lanes(repeating: Cephes.roundingMagic))
        let n = shifted - Cephes.roundingMagic                  // round(x / ln 2), in [-126, 0]
        var r = FusedMath.multiplyAdd(n, Lanes(repeating: -Cephes.ln2High), x)
        r = FusedMath.multiplyAdd(n, Lanes(repeating: -Cephes.ln2Low), r)
        let p = expPolynomial(r)
        // 2^n: the low mantissa bits of `shifted` hold n + 0x400000; shifted into the
        // exponent field, the bits above them fall off, leaving n << 23. (A NaN x gives a
        // NaN p, so any scale keeps it NaN.)
        let scale = unsafeBitCast((unsafeBitCast(shifted, to: SIMD16<Int32>.self) &<< 23) &+ 0x3F80_0000,
                                  to: Lanes.self)
        return (p * scale).replacing(with: 0, where: underflow)
    }

    /// e^x for any x: `expNonPositive`'s scheme with 2^n applied in two halves, so that n may
    /// reach 128 and go down to -150: within 1.5 ulp, subnormal results included (rounded
    /// twice there); +inf above `Cephes.highest` (where expf overflows), 0 below -104 (where
    /// expf is 0 too), NaN for NaN. For losses that exponentiate data (log-targets, log-rates).
    @_transparent
    static func exp(_ x: Lanes) -> Lanes {
        let shifted = FusedMath.multiplyAdd(x, Lanes(repeating: Cephes.log2e),
                                            Lanes(repeating: Cephes.roundingMagic))
        let n = shifted - Cephes.roundingMagic                  // round(x / ln 2)
        var r = FusedMath.multiplyAdd(n, Lanes(repeating: -Cephes.ln2High), x)
        r = FusedMath.multiplyAdd(n, Lanes(repeating: -Cephes.ln2Low), r)
        let p = expPolynomial(r)
        // n as an integer, from the low mantissa bits of `shifted`, split into halves in
        // [-75, 64] whose powers of 2 are normal floats. (Out-of-range lanes are replaced.)
        let k = unsafeBitCast(shifted, to: SIMD16<Int32>.self) &- Int32(bitPattern: Cephes.roundingMagic.bitPattern)
        let half = k &>> 1
        @_transparent func power(_ e: SIMD16<Int32>) -> Lanes {
            unsafeBitCast((e &<< 23) &+ 0x3F80_0000, to: Lanes.self)
        }
        return (p * power(half) * power(k &- half))
            .replacing(with: 0, where: x .< -104)  // (n beyond -150 would leave the halves' range)
            .replacing(with: .infinity, where: x .> Cephes.highest)
    }

    /// |x| on lanes: the sign bit cleared, as `abs` does for one value (NaN included).
    @_transparent
    static func magnitude(_ x: Lanes) -> Lanes {
        unsafeBitCast(unsafeBitCast(x, to: SIMD16<UInt32>.self) & 0x7FFF_FFFF, to: Lanes.self)
    }

    /// `LossScalar.torchSign` on lanes: 1, -1, or 0 for zero and NaN.
    @_transparent
    static func torchSign(_ x: Lanes) -> Lanes {
        Lanes().replacing(with: 1, where: x .> 0).replacing(with: -1, where: x .< 0)
    }

    /// e^r for |r| <= ln2 / 2: a degree-6 polynomial fitted for least maximum relative error
    /// (2e-9 with these float coefficients; 0.7 ulp evaluated in float with FMA), in plain
    /// Horner form: 6 multiply-adds, where Cephes' form costs 8 operations.
    @_transparent
    static func expPolynomial(_ r: Lanes) -> Lanes {
        @_transparent func step(_ p: Lanes, _ coefficient: Float) -> Lanes {
            FusedMath.multiplyAdd(p, r, Lanes(repeating: coefficient))
        }
        let (c6, c5, c4, c3, c2) = Cephes.expCoefficients
        var p = step(Lanes(repeating: c6), c5)
        p = step(p, c4)
        p = step(p, c3)
        p = step(p, c2)
        p = step(p, 1)
        return step(p, 1)
    }
}

// Lane conversions, written lane by lane: the standard library's generic conversion
// initializers (SIMD8<Double>(SIMD8<Float>) and the like) stayed out-of-line calls that
// pass the vectors in 128-bit pieces; LLVM turns each of these loops into one conversion
// instruction per vector.
extension VectorMath {
    /// Lanes first..<first + 8 of `v` as doubles. (Lane subscripts rather than the
    /// standard library's lowHalf / highHalf, which in a large function stayed calls too.)
    @inline(__always)
    static func doubles(_ v: Lanes, from first: Int) -> SIMD8<Double> {
        var result = SIMD8<Double>()
        for lane in 0..<8 { result[lane] = Double(v[first + lane]) }
        return result
    }

    @inline(__always)
    static func floats(_ v: SIMD16<Int32>) -> Lanes {
        var result = Lanes()
        for lane in 0..<16 { result[lane] = Float(v[lane]) }
        return result
    }

    @inline(__always)
    static func floats(_ low: SIMD8<Int64>, _ high: SIMD8<Int64>) -> Lanes {
        var result = Lanes()
        for lane in 0..<8 {
            result[lane] = Float(low[lane])
            result[lane + 8] = Float(high[lane])
        }
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
        log(x, exponentShift: Lanes())  // (x - 0 folds away)
    }

    /// `log` for any x >= 0 (or NaN): subnormals are scaled into the normal range, exactly,
    /// by 2^23 (and 23 taken off their exponent), and log(0) = -inf. Binary cross-entropy
    /// takes logs of probabilities, which may be that small.
    @_transparent
    static func logNonNegative(_ x: Lanes) -> Lanes {
        let subnormal = x .< Float.leastNormalMagnitude  // zero too
        let scaled = x.replacing(with: x * 0x1p23, where: subnormal)
        let result = log(scaled, exponentShift: Lanes().replacing(with: 23, where: subnormal))
        return result.replacing(with: -.infinity, where: x .== 0)
    }

    /// `log` for any x, as logf: NaN below 0 (and for NaN), -inf at 0. For losses that take
    /// logs of data (KL divergence's targets, Poisson rates).
    @_transparent
    static func logOfAny(_ x: Lanes) -> Lanes {
        logNonNegative(x).replacing(with: .nan, where: x .< 0)
    }

    /// `log` of x * 2^-shift.
    @_transparent
    static func log(_ x: Lanes, exponentShift shift: Lanes) -> Lanes {
        let bits = unsafeBitCast(x, to: SIMD16<Int32>.self)
        var exponent = floats((bits &>> 23) &- 126) - shift
        // Positive x: keep the mantissa, set the exponent of 0.5 (the sign bit is 0).
        var m = unsafeBitCast((bits & 0x007F_FFFF) | 0x3F00_0000, to: Lanes.self)  // in [0.5, 1)
        let small = m .< 0.707_106_77
        exponent = exponent.replacing(with: exponent - 1, where: small)
        m = m.replacing(with: m + m, where: small) - 1
        let z = m * m
        @_transparent func step(_ p: Lanes, _ coefficient: Float) -> Lanes {
            FusedMath.multiplyAdd(p, m, Lanes(repeating: coefficient))
        }
        var p = Lanes(repeating: 7.037_683_629_2e-2)
        p = step(p, -1.151_461_031_0e-1)
        p = step(p, 1.167_699_874_0e-1)
        p = step(p, -1.242_014_084_6e-1)
        p = step(p, 1.424_932_278_7e-1)
        p = step(p, -1.666_805_766_5e-1)
        p = step(p, 2.000_071_476_5e-1)
        p = step(p, -2.499_999_399_3e-1)
        p = step(p, 3.333_333_117_4e-1)
        var y = FusedMath.multiplyAdd(exponent, Lanes(repeating: -2.121_944_40e-4), m * z * p)
        y = FusedMath.multiplyAdd(Lanes(repeating: -0.5), z, y)
        var result = FusedMath.multiplyAdd(exponent, Lanes(repeating: 0.693_359_375), m + y)
        result.replace(with: x, where: .!(x .< .infinity))  // +inf and NaN
        return result
    }
}

extension VectorMath {
    /// The largest lane (lanes must not be NaN). Halving tree: the stdlib's `max()` is a
    /// scalar loop through the stack, which cost as much as a 1000-class row's max pass.
    @_transparent
    static func horizontalMax(_ v: Lanes) -> Float {
        var a = v.lowHalf
        a.replace(with: v.highHalf, where: v.highHalf .> a)
        var b = a.lowHalf
        b.replace(with: a.highHalf, where: a.highHalf .> b)
        var c = b.lowHalf
        c.replace(with: b.highHalf, where: b.highHalf .> c)
        return c[0] > c[1] ? c[0] : c[1]
    }

    /// The sum of the lanes, by halving (the order is fixed, so results are reproducible).
    @_transparent
    static func horizontalSum(_ v: Lanes) -> Float {
        let a = v.lowHalf + v.highHalf
        let b = a.lowHalf + a.highHalf
        let c = b.lowHalf + b.highHalf
        return c[0] + c[1]
    }

    /// Lane l holds l (for masks of the first or last lanes).
    @_transparent static var laneNumbers: Lanes {
        Lanes(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)
    }
}

extension Float {
    /// max_j x_j over a contiguous row (NaNs are skipped; they reach results through exp).
    static func contiguousMax(_ x: UnsafePointer<Float>, _ count: Int) -> Float {
        let width = VectorMath.Lanes.scalarCount
        guard count >= width else {
            var best = -Float.infinity
            for j in 0..<count where x[j] > best { best = x[j] }
            return best
        }
        @inline(__always) func load(_ j: Int) -> VectorMath.Lanes {
            UnsafeRawPointer(x + j).loadUnaligned(as: VectorMath.Lanes.self)
        }
        // Two accumulators halve the dependency chain; the last vector ends at the row's
        // end and may overlap the one before (max does not mind repeats).
        var even = load(count - width), odd = VectorMath.Lanes(repeating: -.infinity)
        var j = 0
        while j + 2 * width <= count {
            let a = load(j), b = load(j + width)
            even.replace(with: a, where: a .> even)
            odd.replace(with: b, where: b .> odd)
            j += 2 * width
        }
        if j + width <= count {
            let a = load(j)
            even.replace(with: a, where: a .> even)
        }
        even.replace(with: odd, where: odd .> even)
        return VectorMath.horizontalMax(even)
    }

    /// sum_j exp(x_j - shift) over a contiguous row (shift >= every x_j); writes each term
    /// to `store` if given. Every element goes through the same vector exp, so that a row's
    /// terms do not depend on where they sit in it.
    ///
    /// The terms are added in float lanes for `sumBlock` vectors at a time, and those block
    /// sums in double lanes: float lanes alone lose accuracy on long rows (a lane sum near 1
    /// absorbs each small term with a rounding error of its own, and stalls at 2^24).
    ///
    /// With `next` (another row of `count` scores), also returns that row's max, computed in
    /// the same loop: its loads then wait for memory while this row's exps keep the core
    /// busy, instead of in a max pass of their own with nothing to hide behind.
    static func contiguousExpSum(_ x: UnsafePointer<Float>, _ count: Int, shift: Float,
                                 store: UnsafeMutablePointer<Float>?,
                                 next: UnsafePointer<Float>? = nil) -> (sum: Float, nextMax: Float?) {
        contiguousExpSum(x, count, shift: shift, store: store, next: next.map(FloatRowLanes.init))
    }

    /// `contiguousExpSum` taking the next row's values through `next` (a float row, or a
    /// 16-bit one widened as it is read).
    static func contiguousExpSum<Next: NextRowLanes>(_ x: UnsafePointer<Float>, _ count: Int, shift: Float,
                                                     store: UnsafeMutablePointer<Float>?,
                                                     next: Next?) -> (sum: Float, nextMax: Float?) {
        typealias Lanes = VectorMath.Lanes
        let width = Lanes.scalarCount
        var sum = Lanes()
        var total = SIMD8<Double>()
        var nextLanes = Lanes(repeating: -.infinity)
        var j = 0
        while j + width <= count {
            // One block of up to `sumBlock` vectors in float lanes, then into `total`.
            let blockEnd = Swift.min(count, j + sumBlock * width)
            sum = Lanes()
            while j + width <= blockEnd {
                let v = UnsafeRawPointer(x + j).loadUnaligned(as: Lanes.self)
                let e = VectorMath.expNonPositive(v - shift)
                if let store { UnsafeMutableRawPointer(store + j).storeBytes(of: e, as: Lanes.self) }
                sum += e
                if let next {
                    let w = next.lanes(at: j)
                    nextLanes.replace(with: w, where: w .> nextLanes)
                }
                j += width
            }
            total += VectorMath.doubles(sum, from: 0) + VectorMath.doubles(sum, from: 8)
        }
        sum = Lanes()
        var nextMax: Float? = nil
        if let next {
            if count >= width {
                // (the last vector may overlap the one before: max does not mind repeats)
                let w = next.lanes(at: count - width)
                nextLanes.replace(with: w, where: w .> nextLanes)
                nextMax = VectorMath.horizontalMax(nextLanes)
            } else {
                nextMax = next.shortMax(count)
            }
        }
        @inline(__always) func finish() -> Float {
            total += VectorMath.doubles(sum, from: 0) + VectorMath.doubles(sum, from: 8)
            // Halving, in a fixed order (reproducible); lane subscripts, not lowHalf (see doubles).
            return Float(((total[0] + total[4]) + (total[2] + total[6])) + ((total[1] + total[5]) + (total[3] + total[7])))
        }
        guard j < count else { return (finish(), nextMax) }
        if count >= width {
            // The tail: the last full vector of the row, whose first lanes were done above.
            // They are recomputed to the same values (stored again harmlessly) and left out
            // of the sum.
            let last = count - width
            let v = UnsafeRawPointer(x + last).loadUnaligned(as: Lanes.self)
            let e = VectorMath.expNonPositive(v - shift)
            if let store { UnsafeMutableRawPointer(store + last).storeBytes(of: e, as: Lanes.self) }
            sum += e.replacing(with: 0, where: VectorMath.laneNumbers .< Float(j - last))
        } else {
            // A row shorter than a vector: padded with -inf, whose exp is 0, through memcpy
            // (element-wise SIMD subscripts compile to slow per-lane code).
            let tailBytes = count * MemoryLayout<Float>.stride
            var v = Lanes(repeating: -.infinity)
            withUnsafeMutableBytes(of: &v) { $0.baseAddress!.copyMemory(from: x, byteCount: tailBytes) }
            let e = VectorMath.expNonPositive(v - shift)
            if let store {
                withUnsafeBytes(of: e) { UnsafeMutableRawPointer(store).copyMemory(from: $0.baseAddress!, byteCount: tailBytes) }
            }
            sum += e
        }
        return (finish(), nextMax)
    }

    /// Vectors per float-lane block of `contiguousExpSum`: 16 terms per lane keep a block's
    /// rounding within about 16 ulp of its sum, whatever the row's length.
    static let sumBlock = 16
}

/// The next row `Float.contiguousExpSum` computes the max of, read sixteen values at a time.
protocol NextRowLanes {
    /// Values j ..< j + 16 as float lanes.
    func lanes(at j: Int) -> VectorMath.Lanes
    /// The max of the first `count` (fewer than sixteen) values.
    func shortMax(_ count: Int) -> Float
}

/// A next row of floats, read in place.
struct FloatRowLanes: NextRowLanes {
    let values: UnsafePointer<Float>
    @inline(__always) func lanes(at j: Int) -> VectorMath.Lanes {
        UnsafeRawPointer(values + j).loadUnaligned(as: VectorMath.Lanes.self)
    }
    @inline(__always) func shortMax(_ count: Int) -> Float { Float.contiguousMax(values, count) }
}
