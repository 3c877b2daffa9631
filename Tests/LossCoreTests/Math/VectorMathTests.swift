// The vectorized exp and log of the softmax family against the C library's double functions:
// ulp errors over their whole domains, and the special values (underflow, -inf, NaN, +inf).
// Swift tests build without LOSSCORE_FMA (unfused multiply-adds); the shipped library fuses
// them, which only removes roundings. Run with `-Xswiftc -DLOSSCORE_FMA` and an FMA
// target CPU to check that build.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing
@testable import LossCore

@Suite("Vector exp and log")
struct VectorMathTests {
    /// |got - want| in units of the last place of the float nearest to want.
    static func ulps(_ got: Float, _ want: Double) -> Double {
        let nearest = Float(want)
        return abs(Double(got) - want) / Double(nearest.ulp)
    }

    /// Applies `f` to `inputs` sixteen at a time (the tail padded with `padding`).
    static func lanes(_ inputs: [Float], padding: Float, _ f: (VectorMath.Lanes) -> VectorMath.Lanes) -> [Float] {
        var out: [Float] = []
        out.reserveCapacity(inputs.count + 16)
        var start = 0
        while start < inputs.count {
            var v = VectorMath.Lanes(repeating: padding)
            for l in 0..<min(16, inputs.count - start) { v[l] = inputs[start + l] }
            let r = f(v)
            for l in 0..<16 { out.append(r[l]) }
            start += 16
        }
        return Array(out.prefix(inputs.count))
    }

    @Test func expWithinOneAndAHalfUlpOnItsDomain() {
        // Every 997th float from the underflow threshold to 0, plus the ends.
        var xs: [Float] = [0, -0.0, -Float.leastNonzeroMagnitude, -1e-30, -1e-7, Cephes.lowest, -0.5, -1]
        var x = Cephes.lowest
        while x < 0 {
            xs.append(x)
            x = Float(bitPattern: x.bitPattern &- 997)
        }
        // Measured: 1.13 ulp unfused, 0.81 fused.
        Self.expectExpWithinOneAndAHalfUlp(xs, VectorMath.expNonPositive)
    }

    /// `f` (a vector exp) within 1.5 ulp of exp in double over `xs`, whose first two are 0 and
    /// -0 (exactly 1).
    static func expectExpWithinOneAndAHalfUlp(_ xs: [Float], _ f: (VectorMath.Lanes) -> VectorMath.Lanes,
                                              sourceLocation: SourceLocation = #_sourceLocation) {
        let got = lanes(xs, padding: 0, f)
        var worst = 0.0, worstAt: Float = 0
        for (x, e) in zip(xs, got) {
            let error = ulps(e, exp(Double(x)))
            if error > worst { (worst, worstAt) = (error, x) }
        }
        #expect(worst <= 1.5, "max error \(worst) ulp at x = \(worstAt)", sourceLocation: sourceLocation)
        #expect(got[0] == 1 && got[1] == 1, "exp(0) must be exactly 1", sourceLocation: sourceLocation)
    }

    @Test func expSpecialValues() {
        let xs: [Float] = [-87.4, -100, -1e30, -.infinity, .nan, -.nan]
        let got = Self.lanes(xs, padding: 0, VectorMath.expNonPositive)
        #expect(got[0...3] == [0, 0, 0, 0], "below the threshold the result is 0: \(got)")
        #expect(got[4].isNaN && got[5].isNaN, "NaN propagates: \(got)")
    }

    @Test func expOfAnySignWithinOneAndAHalfUlp() {
        // Every 991st float over the range where expf is finite and not 0 (subnormal results
        // included: their ulp is the smallest subnormal), plus the ends and the values where
        // n = round(x / ln 2) reaches 127 and 128.
        var xs: [Float] = [0, -0.0, 1, -1, 1e-30, Cephes.lowest, Cephes.highest, 88, 88.4, 88.72, 87.9, -103.9, -95]
        var x: Float = -103.9
        while x < -1e-30 {
            xs.append(x)
            x = Float(bitPattern: x.bitPattern &- 991)  // toward 0
        }
        x = 1e-30
        while x < Cephes.highest {
            xs.append(x)
            x = Float(bitPattern: x.bitPattern &+ 991)
        }
        Self.expectExpWithinOneAndAHalfUlp(xs, VectorMath.exp)
    }

    @Test func expOfAnySignSpecialValues() {
        let xs: [Float] = [-104.5, -1e30, -.infinity, 88.723, 1e30, .infinity, .nan, -.nan]
        let got = Self.lanes(xs, padding: 0, VectorMath.exp)
        #expect(got[0...2] == [0, 0, 0], "where expf is 0 the result is 0: \(got)")
        #expect(got[3...5] == [.infinity, .infinity, .infinity], "above it +inf: \(got)")
        #expect(got[6].isNaN && got[7].isNaN, "NaN propagates: \(got)")
    }

    /// The largest error of a vector log against log in double, in ulps, over `extra` and
    /// every 1013th float from `low` to `high`, and where it occurs. Near log(1) = 0 the ulp
    /// shrinks, so errors are measured against the result's ulp or 1e-7's.
    static func worstLogError(from low: Float, to high: Float, extra: [Float],
                              _ f: (VectorMath.Lanes) -> VectorMath.Lanes) -> (ulps: Double, at: Float) {
        var xs = extra
        var x = low
        while x < high {
            xs.append(x)
            x = Float(bitPattern: x.bitPattern &+ 1013)
        }
        var worst = (ulps: 0.0, at: Float(0))
        for (x, l) in zip(xs, lanes(xs, padding: 1, f)) {
            let want = log(Double(x))
            let error = abs(Double(l) - want) / max(Double(Float(want).ulp), Double(Float(1e-7).ulp))
            if error > worst.ulps { worst = (error, x) }
        }
        return worst
    }

    @Test func logWithinOneUlpOnItsDomain() {
        // log is taken of exp-sums, which are >= 1; check [1, 2^20] and a bit below 1.
        let worst = Self.worstLogError(from: 0.5, to: 1_048_576, extra: [1, 2, 10, 1000, 1_048_576], VectorMath.log)
        #expect(worst.ulps <= 1, "max error \(worst.ulps) ulp at x = \(worst.at)")  // measured 0.76
        let special = Self.lanes([.infinity, .nan], padding: 1, VectorMath.log)
        #expect(special[0] == .infinity && special[1].isNaN)
    }

    /// logNonNegative (binary cross-entropy's logs of probabilities) over [0, 1]: every
    /// 1013th float from the smallest subnormal up, so subnormals (scaled by 2^23) too.
    @Test func logNonNegativeWithinOneUlpDownToSubnormals() {
        let extra: [Float] = [.leastNonzeroMagnitude, .leastNormalMagnitude, Float.leastNormalMagnitude.nextDown,
                              Float(bitPattern: 0x0001_16C2) /* 1e-40, subnormal */, 1e-30, 0.5, 1]
        let worst = Self.worstLogError(from: .leastNonzeroMagnitude, to: 1, extra: extra, VectorMath.logNonNegative)
        #expect(worst.ulps <= 1, "max error \(worst.ulps) ulp at x = \(worst.at)")
        let special = Self.lanes([0, -0.0, .infinity, .nan], padding: 1, VectorMath.logNonNegative)
        #expect(special[0] == -.infinity && special[1] == -.infinity && special[2] == .infinity && special[3].isNaN,
                "\(special)")
    }
}
