import CLossHints

/// Carries a row's max from the call before it (which computed it along with its own
/// exp-sum, so that the row's loads overlapped that work) to the call that uses it.
struct RowPipeline<Scalar> {
    /// This row's max, if the previous row computed it.
    var shift: Scalar?
    /// The next row's scores (contiguous rows of the same length), if it comes next.
    var next: UnsafePointer<Scalar>?
    /// 16-bit storage: the next row as stored, which the call that computes its max also
    /// widens into `next` (float scratch); `shift` set afterwards means it did.
    var nextStored: (values: UnsafeRawPointer, format: HalfFormat)?
    init() {}
}

/// The 16-bit storage types, for code that is not generic over them.
enum HalfFormat {
    case float16, bfloat16

    /// The format of `S`, nil for the compute types.
    static func of<S: LossStorage>(_: S.Type) -> HalfFormat? {
        if S.self == BFloat16.self { return .bfloat16 }
        return S.isCompute ? nil : .float16
    }
}

extension HalfFormat {
    /// Rounds `count` floats into 16-bit storage `S`: sixteen at a time on vectors (the
    /// same rounding as `S(rounding:)`), the rest one by one.
    @inline(__always)
    static func narrow<S: LossStorage>(_ source: UnsafePointer<Float>, into destination: UnsafeMutablePointer<S>,
                                       count: Int) {
        var j = 0
        while j + 16 <= count {
            let v = losscore_load16(source + j)
            if S.self == BFloat16.self { losscore_narrow16_bf16(destination + j, v) } else { losscore_narrow16_f16(destination + j, v) }
            j += 16
        }
        S.narrow(UnsafeRawPointer(source + j).assumingMemoryBound(to: S.Compute.self), into: destination + j,
                 count: count - j)
    }
}

/// A 16-bit next row, widened into its float copy sixteen values at a time as its max is
/// computed (during the previous row's exp-sum, whose work hides the memory reads).
struct WideningRowLanes<S: LossStorage>: NextRowLanes where S.Compute == Float {
    let values: UnsafePointer<S>
    let copy: UnsafeMutablePointer<Float>
    @inline(__always) func lanes(at j: Int) -> VectorMath.Lanes {
        let v = S.self == BFloat16.self ? losscore_widen16_bf16(values + j) : losscore_widen16_f16(values + j)
        losscore_store16(copy + j, v)
        return v
    }
    @inline(__always) func shortMax(_ count: Int) -> Float {
        S.widen(values, into: copy, count: count)
        return Float.contiguousMax(copy, count)
    }
}

/// Reductions over the class scores of one position, shared by the class-row losses.
enum RowMath {
    /// The largest score (NaNs are skipped here; they still reach the result through exp).
    @inline(__always)
    static func max<T, S>(_ row: Row<T, S>) -> T {
        if S.self == UnitStride.self, T.self == Float.self {
            return Float.contiguousMax(UnsafeRawPointer(row.base).assumingMemoryBound(to: Float.self),
                                       row.count) as! T
        }
        var m0 = -T.infinity, m1 = -T.infinity
        var j = 0
        while j + 2 <= row.count {
            let a = row[j], b = row[j + 1]
            if a > m0 { m0 = a }
            if b > m1 { m1 = b }
            j += 2
        }
        if j < row.count, row[j] > m0 { m0 = row[j] }
        return m0 > m1 ? m0 : m1
    }

    /// sum_j exp(x_j - shift); when `store` is given, also writes each exp(x_j - shift)
    /// there, so the gradient pass can scale it instead of calling exp again.
    @inline(__always)
    static func expSum<T, S>(_ row: Row<T, S>, shift: T, store: MutableRow<T, S>?) -> T {
        var pipeline = RowPipeline<T>()
        return expSum(row, shift: shift, store: store, pipeline: &pipeline)
    }

    /// expSum, also computing the max of `pipeline.next` (a contiguous float row of the same
    /// length) into `pipeline.shift` where it can (see Float.contiguousExpSum); elsewhere
    /// `pipeline.shift` is left nil and the next row computes its own max.
    @inline(__always)
    static func expSum<T, S>(_ row: Row<T, S>, shift: T, store: MutableRow<T, S>?,
                             pipeline: inout RowPipeline<T>) -> T {
        pipeline.shift = nil
        if S.self == UnitStride.self, T.self == Float.self {
            // Contiguous float rows take the vectorized exp (the hot path of the family).
            let x = UnsafeRawPointer(row.base).assumingMemoryBound(to: Float.self)
            let store = store.map { UnsafeMutableRawPointer($0.base).assumingMemoryBound(to: Float.self) }
            let next = pipeline.next.map { UnsafeRawPointer($0).assumingMemoryBound(to: Float.self) }
            let sum: Float, nextMax: Float?
            if let stored = pipeline.nextStored, let next {
                let copy = UnsafeMutablePointer(mutating: next)
                switch stored.format {
                case .bfloat16:
                    (sum, nextMax) = Float.contiguousExpSum(x, row.count, shift: shift as! Float, store: store, next:
                        WideningRowLanes(values: stored.values.assumingMemoryBound(to: BFloat16.self), copy: copy))
                case .float16:
                    #if !((os(macOS) || targetEnvironment(macCatalyst)) && arch(x86_64))
                    (sum, nextMax) = Float.contiguousExpSum(x, row.count, shift: shift as! Float, store: store, next:
                        WideningRowLanes(values: stored.values.assumingMemoryBound(to: Float16.self), copy: copy))
                    #else
                    fatalError("Float16 storage is not available here")
                    #endif
                }
            } else {
                (sum, nextMax) = Float.contiguousExpSum(x, row.count, shift: shift as! Float, store: store, next: next)
            }
            pipeline.shift = nextMax.map { $0 as! T }
            return sum as! T
        }
        // Strided rows and double: two double accumulators (exact enough for any C).
        var s0 = 0.0, s1 = 0.0
        var j = 0
        while j + 2 <= row.count {
            let a = T.exp(row[j] - shift), b = T.exp(row[j + 1] - shift)
            store?[j] = a
            store?[j + 1] = b
            s0 += Double(a)
            s1 += Double(b)
            j += 2
        }
        if j < row.count {
            let a = T.exp(row[j] - shift)
            store?[j] = a
            s0 += Double(a)
        }
        return T(s0 + s1)
    }

    /// sum_j w_j (x_j - shift), with w_j = 1 when `weight` is nil.
    @inline(__always)
    static func weightedShiftedSum<T, S>(_ row: Row<T, S>, shift: T, weight: UnsafePointer<T>?) -> T {
        // Accumulated in double: C may be large and the terms have both signs.
        var sum = 0.0
        if let weight {
            for j in 0..<row.count { sum += Double(weight[j] * (row[j] - shift)) }
        } else {
            for j in 0..<row.count { sum += Double(row[j] - shift) }
        }
        return T(sum)
    }

    /// Writes zeros into a gradient row (ignored positions have zero gradient).
    @inline(__always)
    static func zero<T, S>(_ grad: MutableRow<T, S>?, count: Int) {
        guard let grad else { return }
        for j in 0..<count { grad[j] = 0 }
    }
}
