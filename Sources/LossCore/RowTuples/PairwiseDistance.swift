/// torch's pairwise_distance of one row pair and autograd's gradient of it:
///
///     u_j = x_j - y_j + eps,      d = || u ||_p
///     p = 0: count of u_j != 0     p = inf: max |u_j|     p = -inf: min |u_j|
///     otherwise (sum_j |u_j|^p)^(1/p)   (p = 1 and p = 2 as sums of |u| and u^2)
///
/// and, for an incoming gradient c, d d / d u_j as torch's norm backward gives it:
///
///     p = 0: 0        p = 1: sgn(u_j) c        p = 2: c u_j / d   (0 where d = 0)
///     p = +-inf: c sgn(u_j) [|u_j| = d or u_j NaN] / (count of such j)
///     p < 1:   c sgn(u_j) |u_j|^(p-1) d^(1-p)   (0 where u_j = 0)
///     1 < p < 2:  sgn(u_j) |u_j|^(p-1) c / d^(p-1)   (0 where d = 0)
///     p > 2:   u_j |u_j|^(p-2) c / d^(p-1)      (0 where d = 0)
///
/// sgn(NaN) is 0, as torch's. A row of width 0 has d = 0 for p >= 0 (torch refuses p < 0
/// there; the callers check it).
struct PairwiseDistance<Scalar: LossScalar> {
    enum Degree { case zero, one, two, maximum, minimum, belowOne, belowTwo, aboveTwo }

    let degree: Degree
    let p: Scalar
    let eps: Scalar

    init(p: Double, eps: Double) {
        self.p = Scalar(p)
        self.eps = Scalar(eps)
        degree = switch p {
        case 0: .zero
        case 1: .one
        case 2: .two
        case .infinity: .maximum
        case -.infinity: .minimum
        case ..<1: .belowOne
        case ..<2: .belowTwo
        default: .aboveTwo
        }
    }

    @inline(__always)
    func difference<S: LossStorage>(_ x: UnsafePointer<S>, _ y: UnsafePointer<S>, _ j: Int) -> Scalar
    where S.Compute == Scalar {
        (x[j].computeValue - y[j].computeValue) + eps
    }

    /// d(x, y) over `width` values (of any storage type, computed in `Scalar`).
    @inline(__always)
    func distance<S: LossStorage>(_ x: UnsafePointer<S>, _ y: UnsafePointer<S>, _ width: Int) -> Scalar
    where S.Compute == Scalar {
        switch degree {
        case .two:
            return Self.sumOfSquares(x, y, eps, width).squareRoot()
        case .one:
            var s: Scalar = 0
            for j in 0..<width { s += abs(difference(x, y, j)) }
            return s
        case .zero:
            var s: Scalar = 0
            for j in 0..<width where difference(x, y, j) != 0 { s += 1 }
            return s
        case .maximum, .minimum:
            // NaN propagates, as torch's amax / amin.
            var m: Scalar = degree == .maximum ? 0 : .infinity
            for j in 0..<width {
                let a = abs(difference(x, y, j))
                if a.isNaN { return a }
                m = degree == .maximum ? max(m, a) : min(m, a)
            }
            return m
        default:
            var s: Scalar = 0
            for j in 0..<width { s += Scalar.pow(abs(difference(x, y, j)), p) }
            return Scalar.pow(s, 1 / p)
        }
    }

    /// sum_j (x_j - y_j + eps)^2 on eight independent lanes (a float sum LLVM would not
    /// vectorize itself), the rest in order.
    @inline(__always)
    static func sumOfSquares<S: LossStorage>(_ x: UnsafePointer<S>, _ y: UnsafePointer<S>, _ eps: Scalar,
                                             _ width: Int) -> Scalar where S.Compute == Scalar {
        var lanes = SIMD8<Scalar>()
        let shift = SIMD8<Scalar>(repeating: eps)
        var j = 0
        while j + 8 <= width {
            let u = (RowLanes.load(x + j) - RowLanes.load(y + j)) + shift
            lanes += u * u
            j += 8
        }
        var s = lanes.sum()
        while j < width {
            let u = (x[j].computeValue - y[j].computeValue) + eps
            s += u * u
            j += 1
        }
        return s
    }

    /// The gradient of d with respect to u for an incoming gradient `c`: a function of u_j.
    struct Slope {
        let degree: Degree
        /// c / d (p = 2), c (p = 1), c / count (infinite p), c d^(1-p) (p < 1), c / d^(p-1).
        let factor: Scalar
        let distance: Scalar
        let p: Scalar

        @inline(__always) func callAsFunction(_ u: Scalar) -> Scalar {
            switch degree {
            case .zero: return 0
            case .one: return Scalar.torchSign(u) * factor
            case .two: return u * factor
            case .maximum, .minimum:
                return abs(u) == distance || u.isNaN ? Scalar.torchSign(u) * factor : 0
            case .belowOne:
                return u == 0 ? 0 : Scalar.torchSign(u) * Scalar.pow(abs(u), p - 1) * factor
            case .belowTwo:
                return Scalar.torchSign(u) * Scalar.pow(abs(u), p - 1) * factor
            case .aboveTwo:
                return u * Scalar.pow(abs(u), p - 2) * factor
            }
        }
    }

    /// The slope of d(x, y) = `distance` for an incoming gradient `c` (0 where no gradient flows).
    @inline(__always)
    func slope<S: LossStorage>(_ c: Scalar, distance d: Scalar, _ x: UnsafePointer<S>, _ y: UnsafePointer<S>,
                               _ width: Int) -> Slope where S.Compute == Scalar {
        let factor: Scalar
        switch degree {
        case .zero: factor = 0
        case .one: factor = c
        case .two: factor = d == 0 ? 0 : c / d
        case .maximum, .minimum:
            var count: Scalar = 0
            for j in 0..<width {
                let u = difference(x, y, j)
                if abs(u) == d || u.isNaN { count += 1 }
            }
            factor = c / count
        case .belowOne: factor = c * Scalar.pow(d, 1 - p)
        case .belowTwo, .aboveTwo: factor = d == 0 ? 0 : c / Scalar.pow(d, p - 1)
        }
        return Slope(degree: degree, factor: factor, distance: d, p: p)
    }
}
