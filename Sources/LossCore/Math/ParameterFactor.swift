/// Multiplication by a loss parameter that is 1 by default (Huber's delta, smooth L1's
/// 1/beta). The losses take it as a type parameter so that the kernels of the default
/// leave the multiplication out: exact (v * 1 == v, signed zeros, infinities and NaN
/// included), and one vector operation fewer in kernels that have only a handful.
protocol ParameterFactor {
    static func times<T: LossScalar>(_ value: T, _ factor: T) -> T
    static func times(_ value: SIMD16<Float>, _ factor: Float) -> SIMD16<Float>
}

/// The parameter is 1: nothing to multiply.
enum UnitFactor: ParameterFactor {
    @inline(__always) static func times<T: LossScalar>(_ value: T, _ factor: T) -> T { value }
    @inline(__always) static func times(_ value: SIMD16<Float>, _ factor: Float) -> SIMD16<Float> { value }
}

/// Any value of the parameter.
enum AnyFactor: ParameterFactor {
    @inline(__always) static func times<T: LossScalar>(_ value: T, _ factor: T) -> T { value * factor }
    @inline(__always) static func times(_ value: SIMD16<Float>, _ factor: Float) -> SIMD16<Float> { value * factor }
}
