/// The lane kernel of the class-row losses for K-dim inputs: sixteen neighbouring positions
/// of one sample sit in the sixteen lanes of a vector, because in an (N, C, d1...dk) layout
/// the class-j scores of positions k..k+15 are contiguous. Each class is then one vector
/// load, and the max / exp-sum passes run across lanes instead of along short rows (C is
/// often small in segmentation, e.g. 21), which removes the per-position overhead.
/// Float only: the hot path of the benchmarks; Double keeps the per-position path.
enum LaneMath {
    typealias Lanes = VectorMath.Lanes
    static let width = Lanes.scalarCount
    /// Lane kernels compare class numbers as floats, which is exact up to 2^24.
    static let maxClasses = 1 << 24
    /// Up to this many classes, K-dim inputs are staged a tile at a time (`stageLength`).
    static let maxStagedClasses = 1024

    /// Positions per staged tile (a multiple of `width`): up to 256 while the tile's
    /// classes x positions floats fit in 32 KiB.
    static func stageLength(classes: Int) -> Int {
        Swift.max(width, Swift.min(256, 8192 / classes) / width * width)
    }

    /// Copies `positions` (a multiple of `width`) positions' class rows, `inner` apart in
    /// `x`, to `destination`, `stride` apart: one sequential run per class, which the
    /// loads of a row can all be in flight for.
    static func stage(_ x: UnsafePointer<Float>, inner: Int, classes: Int, positions: Int,
                      into destination: UnsafeMutablePointer<Float>, stride: Int) {
        for j in 0..<classes {
            let source = x + j * inner, target = destination + j * stride
            var k = 0
            while k < positions {
                store(load(source + k), target + k)
                k += width
            }
        }
    }

    @inline(__always) static func load(_ p: UnsafePointer<Float>) -> Lanes {
        UnsafeRawPointer(p).loadUnaligned(as: Lanes.self)
    }

    @inline(__always) static func store(_ v: Lanes, _ p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: Lanes.self)
    }

    /// Per-lane softmax statistics of `classes` vectors at x + j * inner.
    struct Stats {
        /// max_j x_j per lane (the log-sum-exp shift)
        var shift: Lanes
        /// sum_j exp(x_j - shift)
        var sum: Lanes
        /// sum over j != target of exp(x_j - shift): 1 - p_t without cancellation
        var others: Lanes
        /// Where later passes read this group's scores: a staged contiguous copy
        /// (`Pipeline.staging`) or the input itself, and the class stride there.
        var x: UnsafePointer<Float>
        var inner: Int
        /// x_target (0 in ignored lanes), picked by class masks: a per-lane gather through
        /// memory cost more than the two vector operations per class.
        var targetScore: Lanes
    }

    /// Max, exp-sum, the others' share and the target's score per lane. `targetClasses`
    /// holds each lane's class (-1 if ignored). The exps are not kept: `writeGradient`
    /// computes them again.
    @inline(__always)
    static func stats(_ x: UnsafePointer<Float>, inner: Int, classes: Int, targetClasses: Lanes,
                      pipeline: inout Pipeline) -> Stats {
        var x = x, inner = inner
        let shift: Lanes
        if let staged = pipeline.staged {
            (x, inner) = staged
            shift = max(x, inner: inner, classes: classes)
        } else {
            shift = pipeline.shift ?? max(x, inner: inner, classes: classes)
            pipeline.shift = pipeline.next.map { max($0, inner: inner, classes: classes) }
        }
        // Class numbers compared as floats (exact below 2^24): integer-lane masks compiled
        // to a per-lane loop through the stack here, float compares to one vcmpps.
        var sum = Lanes(), others = Lanes(), targetScore = Lanes()
        for j in 0..<classes {
            let v = load(x + j * inner)
            let e = VectorMath.expNonPositive(v - shift)
            sum += e
            let isTarget = targetClasses .== Float(j)
            others += e.replacing(with: 0, where: isTarget)
            targetScore.replace(with: v, where: isTarget)
        }
        return Stats(shift: shift, sum: sum, others: others, x: x, inner: inner, targetScore: targetScore)
    }

    /// Copies a group's class vectors (`inner` apart) into `destination` (contiguous) and
    /// returns their max per lane.
    @inline(__always)
    static func stage(_ x: UnsafePointer<Float>, inner: Int, classes: Int,
                      into destination: UnsafeMutablePointer<Float>) -> Lanes {
        var shift = Lanes(repeating: -.infinity)
        for j in 0..<classes {
            let v = load(x + j * inner)
            store(v, destination + j * width)
            shift.replace(with: v, where: v .> shift)
        }
        return shift
    }

    /// max_j x_j per lane (NaNs are skipped; they reach the results through exp).
    @inline(__always)
    static func max(_ x: UnsafePointer<Float>, inner: Int, classes: Int) -> Lanes {
        var shift = Lanes(repeating: -.infinity)
        for j in 0..<classes {
            let v = load(x + j * inner)
            shift.replace(with: v, where: v .> shift)
        }
        return shift
    }

    /// How a group's scores reach the lane kernel. The first pass over a group (the max) is
    /// where its scores come from memory, one cache line per class `inner` floats apart, and
    /// with little work to hide the wait it dominates. Two remedies:
    ///
    /// Staging (`staged`): the caller copies a tile of up to 256 positions into a contiguous
    /// buffer, class by class (LaneMath.stage), and the passes read the copy. One sequential
    /// run per class keeps many loads in flight, where a group's sixteen lines `inner` apart
    /// did not (and share cache sets when inner is a multiple of 4 KiB: 128 x 128 images).
    ///
    /// Software pipelining (`next`), without staging: each call computes the *next* group's
    /// max between its own two passes, so those loads are in flight while this group's exp
    /// pass runs on data already in L1.
    struct Pipeline {
        /// This group's max, computed by the previous call (nil: compute it now).
        var shift: Lanes?
        /// The next group's scores (same layout), if the caller will process it next.
        var next: UnsafePointer<Float>?
        /// This group's scores as staged by the caller, and their class stride there.
        var staged: (x: UnsafePointer<Float>, inner: Int)?
        init() {}
    }

    /// w[target] per lane (0 in ignored lanes; 1 without weights), picked by class masks.
    @inline(__always)
    static func targetWeights(_ weight: UnsafePointer<Float>?, classes: Int, targetClasses: Lanes) -> Lanes {
        let kept = Lanes(repeating: 1).replacing(with: 0, where: targetClasses .< 0)
        guard let weight else { return kept }
        var picked = Lanes()
        for j in 0..<classes { picked.replace(with: weight[j], where: targetClasses .== Float(j)) }
        return picked
    }

    /// sum_j w_j (x_j - shift) per lane (w_j = 1 without weights): label smoothing's term.
    @inline(__always)
    static func weightedShiftedSum(_ x: UnsafePointer<Float>, inner: Int, classes: Int, shift: Lanes,
                                   weight: UnsafePointer<Float>?) -> Lanes {
        var total = Lanes()
        for j in 0..<classes {
            let d = load(x + j * inner) - shift
            total += weight.map { $0[j] * d } ?? d
        }
        return total
    }

    /// What a gradient pass writes at each lane's target class.
    enum TargetGradient {
        /// The general value minus this (cross-entropy's -w_t term).
        case minus(Lanes)
        /// This instead of the general value (the focal loss's own formula).
        case replacedBy(Lanes)
    }

    /// grad_j = coefficient * exp(x_j - shift) - uniform * w_j for every class vector, with
    /// the target class adjusted as `atTarget` says, in one write pass. The exps are computed
    /// again rather than stored by `stats` and read back: in K-dim inputs those reads waited
    /// on the stores' cache misses, and a second exp costs less than that wait.
    @inline(__always)
    static func writeGradient(_ grad: UnsafeMutablePointer<Float>, gradInner: Int, _ x: UnsafePointer<Float>,
                              inner: Int, classes: Int, shift: Lanes, coefficient: Lanes, uniform: Lanes?,
                              weight: UnsafePointer<Float>?, targetClasses: Lanes, atTarget: TargetGradient) {
        for j in 0..<classes {
            let e = VectorMath.expNonPositive(load(x + j * inner) - shift)
            var g = coefficient * e
            if let uniform { g -= uniform * (weight?[j] ?? 1) }
            let isTarget = targetClasses .== Float(j)
            switch atTarget {
            case .minus(let term): g -= term.replacing(with: 0, where: .!isTarget)
            case .replacedBy(let value): g.replace(with: value, where: isTarget)
            }
            store(g, grad + j * gradInner)
        }
    }

    /// Each lane's class as a float (exact: lane kernels run below 2^24 classes), -1 where
    /// the target is ignore_index, from sixteen int64 targets in a few vector instructions.
    /// The targets were validated (each in [0, classes) or equal to ignore_index), so a
    /// lane is ignored exactly when its target lies outside [0, classes), or equals an
    /// ignore_index that lies inside. (Int64 to float rounds monotonically, and
    /// `classes` is exact, so the range test is exact too.)
    @inline(__always)
    static func targetClasses(_ target: UnsafePointer<Int64>, ignoreIndex: Int64, classes: Int) -> Lanes {
        let low = UnsafeRawPointer(target).loadUnaligned(as: SIMD8<Int64>.self)
        let high = UnsafeRawPointer(target + 8).loadUnaligned(as: SIMD8<Int64>.self)
        let t = VectorMath.floats(low, high)
        var ignored = t .< 0 .| t .>= Float(classes)
        if ignoreIndex >= 0 && ignoreIndex < Int64(classes) {
            ignored = ignored .| (t .== Float(ignoreIndex))
        }
        return t.replacing(with: -1, where: ignored)
    }

    /// A lane kernel's buffers as Float pointers: the lane kernels exist for Float only, and
    /// each starts by rebinding its generic arguments (nil when Scalar is not Float).
    struct FloatBuffers {
        let x: UnsafePointer<Float>
        let grad: UnsafeMutablePointer<Float>?
        let scales: UnsafePointer<Float>
        let losses: UnsafeMutablePointer<Float>
        let weight: UnsafePointer<Float>?

        @inline(__always)
        init?<T: LossScalar>(_ x: UnsafePointer<T>, grad: UnsafeMutablePointer<T>?, scales: UnsafePointer<T>,
                             losses: UnsafeMutablePointer<T>, weight: UnsafePointer<T>?) {
            guard T.self == Float.self else { return nil }
            self.x = UnsafeRawPointer(x).assumingMemoryBound(to: Float.self)
            self.grad = grad.map { UnsafeMutableRawPointer($0).assumingMemoryBound(to: Float.self) }
            self.scales = UnsafeRawPointer(scales).assumingMemoryBound(to: Float.self)
            self.losses = UnsafeMutableRawPointer(losses).assumingMemoryBound(to: Float.self)
            self.weight = weight.map { UnsafeRawPointer($0).assumingMemoryBound(to: Float.self) }
        }
    }
}
