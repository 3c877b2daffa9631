/// The float32 CTC kernel on 16 states per vector: the recursions of `CTC` (same formulas,
/// same special values), with the states of a frame computed together (alpha_t needs only
/// alpha_{t-1}, beta_t only beta_{t+1}) by the vector exp and log of `VectorMath`.
///
/// Rows of states are padded: `lead` slots of -inf before state 0 (so states s-1 and s-2 load
/// without a branch), the states rounded up to whole vectors, and a vector of -inf after them
/// (s+1 and s+2). Padded states have emission -inf, so they stay -inf where they are read.
///
/// The gradient sums the occupancies exp(alpha + beta + loss - x) of the states of each class
/// (each at most 1: a path share) instead of log-adding alpha + beta as torch's scalar kernel
/// does; the value is the same, the rounding differs by a few float ulps.
enum CTCLanes {
    typealias Lanes = VectorMath.Lanes
    static let lead = 16

    /// Floats of one padded row of `states` states.
    static func rowWidth(_ states: Int) -> Int { lead + (states + 15) / 16 * 16 + 16 }

    /// The alphas of every frame, two rows of betas, the emissions, the skip flags and the
    /// labels (Int, two floats each): a multiple of 16 floats, so that every sample's part of
    /// the driver's workspace starts 64-byte aligned.
    static func workspace(frames: Int, targetLength: Int) -> Int {
        let (size, overflow) = (frames + 6).multipliedReportingOverflow(by: rowWidth(2 * targetLength + 1))
        return overflow ? Int.max : size
    }

    @inline(__always) static func load(_ p: UnsafePointer<Float>) -> Lanes {
        UnsafeRawPointer(p).loadUnaligned(as: Lanes.self)
    }

    @inline(__always) static func store(_ v: Lanes, _ p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: Lanes.self)
    }

    /// `CTC.lse3` on lanes: log(e^a + e^b + e^c), shifted by the maximum (0 when all are -inf,
    /// giving -inf); a NaN operand gives NaN, as torch's scalar form.
    @inline(__always) static func lse3(_ a: Lanes, _ b: Lanes, _ c: Lanes) -> Lanes {
        var m = a
        m.replace(with: b, where: b .> m)
        m.replace(with: c, where: c .> m)
        let empty = m .== -.infinity
        m.replace(with: 0, where: empty)
        let sum = VectorMath.expNonPositive(a - m) + VectorMath.expNonPositive(b - m)
            + VectorMath.expNonPositive(c - m)
        return (VectorMath.log(sum) + m).replacing(with: -.infinity, where: empty .& (sum .== 0))
    }

    /// The loss of one sample (frames >= 1, target no longer than frames), and its gradient.
    static func loss(_ x: UnsafePointer<Float>, stride: Int, frames: Int, targets: UnsafePointer<Int64>?,
                     length: Int, classes: Int, blank: Int, zeroInfinity: Bool,
                     workspace: UnsafeMutablePointer<Float>, grad: UnsafeMutablePointer<Float>?,
                     scale: Float) -> Float {
        let states = 2 * length + 1, width = rowWidth(states), vectors = (states + 15) / 16 * 16
        let labels = UnsafeMutableRawPointer(workspace).bindMemory(to: Int.self, capacity: width)
        let skip = workspace + 2 * width, emissions = skip + width
        let beta = emissions + width, alpha = beta + 2 * width
        labels.update(repeating: blank, count: width)
        skip.update(repeating: 0, count: width)
        emissions.update(repeating: -.infinity, count: width)
        for s in 0..<states {
            let label = s & 1 == 0 ? blank : Int(targets![s >> 1])
            labels[lead + s] = label
            if s >= 2 && label != labels[lead + s - 2] { skip[lead + s] = 1 }
        }
        @inline(__always) func gather(_ t: Int) {
            let row = x + t * stride
            for s in 0..<states { emissions[lead + s] = row[labels[lead + s]] }
        }

        // Forward.
        alpha.update(repeating: -.infinity, count: width)
        alpha[lead] = x[blank]
        if states > 1 { alpha[lead + 1] = x[labels[lead + 1]] }
        for t in 1..<frames {
            gather(t)
            let previous = alpha + (t - 1) * width + lead, current = alpha + t * width
            current.update(repeating: -.infinity, count: lead)
            (current + lead + vectors).update(repeating: -.infinity, count: width - lead - vectors)
            var s = 0
            while s < vectors {
                let skipped = load(skip + lead + s) .== 0
                let a3 = load(previous + s - 2).replacing(with: -.infinity, where: skipped)
                let value = lse3(load(previous + s), load(previous + s - 1), a3) + load(emissions + lead + s)
                store(value, current + lead + s)
                s += 16
            }
        }
        let last = alpha + (frames - 1) * width + lead
        let nll = length == 0 ? -last[0] : -CTC<Float>.lse(last[states - 1], last[states - 2])
        if zeroInfinity && nll == .infinity {
            if let grad { for t in 0..<frames { (grad + t * stride).update(repeating: 0, count: classes) } }
            return 0
        }
        guard let grad else { return nll }
        guard nll.isFinite else {
            // No alignment (or NaN scores): torch's gradient is NaN at every score of the sample.
            for t in 0..<frames { (grad + t * stride).update(repeating: .nan, count: classes) }
            return nll
        }

        // Backward, frame by frame downwards, each frame's gradient once its betas are known.
        var next = beta, current = beta + width
        next.update(repeating: -.infinity, count: 2 * width)
        gather(frames - 1)
        next[lead + states - 1] = emissions[lead + states - 1]
        if states > 1 { next[lead + states - 2] = emissions[lead + states - 2] }
        var t = frames - 1
        while true {
            // (`current` holds betas already used, or none yet: the occupancies' scratch row)
            frameGradient(x + t * stride, grad + t * stride, alpha: alpha + t * width + lead, beta: next + lead,
                          emissions: emissions + lead, occupancy: current + lead, labels: labels + lead,
                          states: states, vectors: vectors, classes: classes, nll: nll, scale: scale,
                          last: t == frames - 1)
            if t == 0 { break }
            t -= 1
            gather(t)
            var s = 0
            while s < vectors {
                let skipped = load(skip + lead + s + 2) .== 0
                let b3 = load(next + lead + s + 2).replacing(with: -.infinity, where: skipped)
                let value = lse3(load(next + lead + s), load(next + lead + s + 1), b3) + load(emissions + lead + s)
                store(value, current + lead + s)
                s += 16
            }
            swap(&next, &current)
        }
        return nll
    }

    /// One frame's gradient: (exp(x_c) - sum_{s: l'_s = c} exp(alpha_s + beta_s + nll - x_c)) * scale,
    /// the occupancies exp(...) written to `occupancy` (padded states' lanes included) first.
    /// At the `last` frame only the two final states have betas, and torch assigns their terms
    /// to their classes one after the other: where the target ends in the blank class, the
    /// second (state S-2) replaces the first (S-1), and so it does here.
    @inline(__always)
    static func frameGradient(_ x: UnsafePointer<Float>, _ grad: UnsafeMutablePointer<Float>,
                              alpha: UnsafePointer<Float>, beta: UnsafePointer<Float>,
                              emissions: UnsafePointer<Float>, occupancy: UnsafeMutablePointer<Float>,
                              labels: UnsafePointer<Int>, states: Int, vectors: Int, classes: Int, nll: Float,
                              scale: Float, last: Bool) {
        var s = 0
        let shift = Lanes(repeating: nll)
        while s < vectors {
            let exponent = load(alpha + s) + load(beta + s) + shift - load(emissions + s)
            store(VectorMath.expNonPositive(exponent), occupancy + s)
            s += 16
        }
        grad.update(repeating: 0, count: classes)
        if last {
            grad[labels[states - 1]] = occupancy[states - 1]
            if states > 1 { grad[labels[states - 2]] = occupancy[states - 2] }
        } else {
            for s in 0..<states { grad[labels[s]] += occupancy[s] }
        }
        let factor = Lanes(repeating: scale)
        var c = 0
        while c < classes {
            let count = min(16, classes - c)
            var scores = Lanes(repeating: 0), occupancy = Lanes(repeating: 0)
            if count == 16 {
                scores = load(x + c)
                occupancy = load(grad + c)
            } else {
                for lane in 0..<count {
                    scores[lane] = x[c + lane]
                    occupancy[lane] = grad[c + lane]
                }
            }
            var probabilities = VectorMath.expNonPositive(scores)
            if any(scores .> 0) {  // scores that are not log-probabilities: libm's exp
                for lane in 0..<16 where scores[lane] > 0 { probabilities[lane] = Float.exp(scores[lane]) }
            }
            let value = (probabilities - occupancy) * factor
            if count == 16 {
                store(value, grad + c)
            } else {
                for lane in 0..<count { grad[c + lane] = value[lane] }
            }
            c += 16
        }
    }
}
