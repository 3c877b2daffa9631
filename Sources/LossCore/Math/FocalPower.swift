/// q^gamma for the focal losses (sigmoid and multi-class), q = 1 - p_t.
protocol FocalPower {
    associatedtype Scalar: LossScalar
    var gamma: Scalar { get }
    func of(_ q: Scalar) -> Scalar
}

/// gamma in {0, 1, ..., 8}: square-and-multiply without a loop or branches (an inner loop
/// would keep the element loop from vectorizing); exact for gamma = 0, 1, 2 (q^0 = 1 as pow).
struct IntegerFocalPower<Scalar: LossScalar>: FocalPower {
    let exponent: Int
    var gamma: Scalar { Scalar(exponent) }

    @inline(__always) func of(_ q: Scalar) -> Scalar {
        let q2 = q * q, q4 = q2 * q2
        let low = (exponent & 1 != 0 ? q : 1) * (exponent & 2 != 0 ? q2 : 1)
        let high = (exponent & 4 != 0 ? q4 : 1) * (exponent & 8 != 0 ? q4 * q4 : 1)
        return low * high
    }

    /// The same products on float lanes (the choices depend on the exponent only).
    @inline(__always) func of(_ q: SIMD16<Float>) -> SIMD16<Float> {
        let one = SIMD16<Float>(repeating: 1)
        let q2 = q * q, q4 = q2 * q2
        let low = (exponent & 1 != 0 ? q : one) * (exponent & 2 != 0 ? q2 : one)
        let high = (exponent & 4 != 0 ? q4 : one) * (exponent & 8 != 0 ? q4 * q4 : one)
        return low * high
    }
}

/// Any other gamma: libm's pow (gamma = 0 never lands here).
struct RealFocalPower<Scalar: LossScalar>: FocalPower {
    let gamma: Scalar
    @inline(__always) func of(_ q: Scalar) -> Scalar { Scalar.pow(q, gamma) }
}

extension IntegerFocalPower {
    /// The integer exponent when gamma is one of 0...8 (the multiply-only path), else nil.
    static func exponent(of gamma: Double) -> Int? {
        gamma >= 0 && gamma <= 8 && gamma.rounded() == gamma ? Int(gamma) : nil
    }
}
