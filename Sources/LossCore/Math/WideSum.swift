/// A running sum in double lanes, reduced to one value only when it is read: the
/// elementwise kernels add a stack buffer of losses at a time, and reducing the lanes after
/// every buffer (a horizontal sum per 512 values) cost as much as the loss itself.
/// Float values are widened to double before they are added, so the sum is as exact as a
/// double sum even where terms cancel. The order of the additions depends only on the
/// values' positions, so results are reproducible.
public struct WideSum {
    var low = SIMD8<Double>(), high = SIMD8<Double>()
    /// The values that did not fill a vector.
    var rest = 0.0

    /// An empty sum (0).
    public init() {}

    /// Adds `count` contiguous floats, widened to double.
    public mutating func add(_ values: UnsafePointer<Float>, _ count: Int) {
        @inline(__always) func load(_ j: Int) -> SIMD16<Float> {
            UnsafeRawPointer(values + j).loadUnaligned(as: SIMD16<Float>.self)
        }
        var j = 0
        // Four vectors are added in float (each lane adds 4 values: at most 3 roundings,
        // a relative error below 2e-7 per group, of either sign, so it does not build up)
        // before they are widened; widening every vector costs as much as the loss itself.
        while j + 64 <= count {
            add(((load(j) + load(j + 16)) + load(j + 32)) + load(j + 48))
            j += 64
        }
        while j + 16 <= count {
            add(load(j))
            j += 16
        }
        while j < count {
            rest += Double(values[j])
            j += 1
        }
    }

    /// Adds sixteen float lanes, widened. Whole groups come as four consecutive vectors
    /// added in float in order, ((v0 + v1) + v2) + v3, both from the buffer loop above and
    /// from kernels that add their lane results without a buffer: either way values round
    /// the same way.
    @inline(__always)
    public mutating func add(_ group: SIMD16<Float>) {
        low += VectorMath.doubles(group, from: 0)
        high += VectorMath.doubles(group, from: 8)
    }

    /// Adds `count` contiguous doubles.
    public mutating func add(_ values: UnsafePointer<Double>, _ count: Int) {
        var j = 0
        while j + 16 <= count {
            low += UnsafeRawPointer(values + j).loadUnaligned(as: SIMD8<Double>.self)
            high += UnsafeRawPointer(values + j + 8).loadUnaligned(as: SIMD8<Double>.self)
            j += 16
        }
        while j < count {
            rest += values[j]
            j += 1
        }
    }

    /// Adds one value (kept apart from the lanes, in call order).
    public mutating func add(_ value: Double) { rest += value }

    /// The sum: the lanes in a fixed order, then the single values.
    public var total: Double {
        let lanes = low + high
        let four = lanes.lowHalf + lanes.highHalf
        let two = four.lowHalf + four.highHalf
        return (two[0] + two[1]) + rest
    }
}

extension Float {
    /// Adds `count` contiguous values to `sum` (see `WideSum`).
    public static func accumulate(_ values: UnsafePointer<Float>, _ count: Int, into sum: inout WideSum) {
        sum.add(values, count)
    }
}

extension Double {
    /// Adds `count` contiguous values to `sum` (see `WideSum`).
    public static func accumulate(_ values: UnsafePointer<Double>, _ count: Int, into sum: inout WideSum) {
        sum.add(values, count)
    }
}

extension LossScalar {
    /// The sum of `count` contiguous values, accumulated in double (see `WideSum`).
    public static func sumAsDouble(_ values: UnsafePointer<Self>, _ count: Int) -> Double {
        var sum = WideSum()
        accumulate(values, count, into: &sum)
        return sum.total
    }
}

/// Sums within one block with four independent accumulators, which lets the CPU
/// overlap the additions and keeps the rounding error of long blocks small.
enum BlockSum {
    @inline(__always)
    static func sum(_ range: Range<Int>, _ term: (Int) -> Double) -> Double {
        var a0 = 0.0, a1 = 0.0, a2 = 0.0, a3 = 0.0
        var i = range.lowerBound
        let end = range.upperBound
        while i + 4 <= end {
            a0 += term(i)
            a1 += term(i + 1)
            a2 += term(i + 2)
            a3 += term(i + 3)
            i += 4
        }
        while i < end {
            a0 += term(i)
            i += 1
        }
        return (a0 + a1) + (a2 + a3)
    }
}
