/// Connectionist temporal classification, torch.nn.functional.ctc_loss, in log space.
///
/// A sample has frames x_t (log-probabilities over C classes, t < T_b) and a target
/// y_1..y_L; its extended target l' = (blank, y_1, blank, y_2, ..., y_L, blank) has
/// S = 2L + 1 states. With lse the max-shifted log-sum-exp,
///
///     alpha_0(0) = x_0(blank),  alpha_0(1) = x_0(y_1)
///     alpha_t(s) = x_t(l'_s) + lse(alpha_{t-1}(s), alpha_{t-1}(s-1), [skip_s] alpha_{t-1}(s-2))
///     beta_{T_b-1}(S-1) = x(blank),  beta_{T_b-1}(S-2) = x(y_L)
///     beta_t(s) = x_t(l'_s) + lse(beta_{t+1}(s), beta_{t+1}(s+1), [skip_{s+2}] beta_{t+1}(s+2))
///     loss = -lse(alpha_{T_b-1}(S-1), alpha_{T_b-1}(S-2))      (-alpha_{T_b-1}(0) when L = 0)
///     d loss / d x_t(c) = exp(x_t(c)) - exp(lse_{s: l'_s = c}(alpha_t(s) + beta_t(s)) + loss - x_t(c))
///
/// where skip_s holds when l'_s differs from l'_{s-2} (a repeated label needs a blank between).
/// The gradient is torch's CTC backward, which assumes x is a log_softmax output (its
/// exp(x) term is the softmax's part); frames past T_b get 0. In double, computed exactly as
/// torch's CPU kernel does, in the same order (the same bits); in float (torch's precision for
/// float32 too) by `CTCLanes`, 16 states at a time.
/// A sample whose target is longer than its input (no alignment) costs inf, and with
/// zero_infinity 0 with gradient 0.
struct CTC<Scalar: LossScalar>: SequenceLoss {
    let blank: Int
    let zeroInfinity: Bool

    /// The alphas of every frame (the backward pass reads them) and two rows of betas.
    func workspace(frames: Int, targetLength: Int) -> Int {
        guard frames > 0, targetLength <= frames else { return 0 }
        if Scalar.self == Float.self { return CTCLanes.workspace(frames: frames, targetLength: targetLength) }
        let (size, overflow) = (frames + 2).multipliedReportingOverflow(by: 2 * targetLength + 1)
        return overflow ? Int.max : size
    }

    func loss(_ sample: SequenceSample<Scalar>, workspace: UnsafeMutablePointer<Scalar>,
              grad: UnsafeMutablePointer<Scalar>?, scale: Scalar) -> Scalar {
        let frames = sample.frames, length = sample.targetLength, stride = sample.frameStride
        let classes = sample.classes
        guard frames > 0 else { return length == 0 ? -0.0 : zeroInfinity ? 0 : .infinity }  // torch's -log(1), -log(0)
        guard length <= frames else {
            // No alignment fits: every alpha is -inf, so torch's loss is inf and its gradient NaN.
            if let grad {
                let value: Scalar = zeroInfinity ? 0 : .nan
                for t in 0..<frames { (grad + t * stride).update(repeating: value, count: classes) }
            }
            return zeroInfinity ? 0 : .infinity
        }
        let x = sample.logProbs!
        let targets = sample.targets
        if Scalar.self == Float.self {
            let value = CTCLanes.loss(UnsafeRawPointer(x).assumingMemoryBound(to: Float.self), stride: stride,
                                      frames: frames, targets: targets, length: length, classes: classes,
                                      blank: blank, zeroInfinity: zeroInfinity,
                                      workspace: UnsafeMutableRawPointer(workspace).assumingMemoryBound(to: Float.self),
                                      grad: grad.map { UnsafeMutableRawPointer($0).assumingMemoryBound(to: Float.self) },
                                      scale: unsafeBitCast(scale, to: Float.self))
            return unsafeBitCast(value, to: Scalar.self)
        }
        let blank = self.blank
        let states = 2 * length + 1
        @inline(__always) func label(_ s: Int) -> Int { s & 1 == 0 ? blank : Int(targets![s >> 1]) }
        let alpha = workspace
        Forward.alphas(x, stride: stride, frames: frames, states: states, alpha: alpha, label: label)
        let last = alpha + (frames - 1) * states
        let nll: Scalar
        if length == 0 {
            nll = -last[0]
        } else {
            nll = -Self.lse(last[states - 1], last[states - 2])
        }
        if zeroInfinity && nll == .infinity {
            if let grad { for t in 0..<frames { (grad + t * stride).update(repeating: 0, count: classes) } }
            return 0
        }
        if let grad {
            Backward.gradient(x, stride: stride, frames: frames, states: states, classes: classes, blank: blank,
                              alpha: alpha, beta: workspace + frames * states, grad: grad, nll: nll, scale: scale,
                              label: label)
        }
        return nll
    }

    /// log(exp(a) + exp(b)) as torch's kernel evaluates it (max-shifted; 0 for a shift of -inf).
    @inline(__always) static func lse(_ a: Scalar, _ b: Scalar) -> Scalar {
        var m = a < b ? b : a
        if m == -.infinity { m = 0 }
        return Scalar.log(Scalar.exp(a - m) + Scalar.exp(b - m)) + m
    }

    /// log(exp(a) + exp(b) + exp(c)), shifted by their maximum as torch's kernel does.
    @inline(__always) static func lse3(_ a: Scalar, _ b: Scalar, _ c: Scalar) -> Scalar {
        var m = a
        if b > m { m = b }
        if c > m { m = c }
        if m == -.infinity { m = 0 }
        return Scalar.log(Scalar.exp(a - m) + Scalar.exp(b - m) + Scalar.exp(c - m)) + m
    }

    enum Forward {
        /// alpha (frames x states): the forward variables of every frame.
        @inline(__always)
        static func alphas(_ x: UnsafePointer<Scalar>, stride: Int, frames: Int, states: Int,
                           alpha: UnsafeMutablePointer<Scalar>, label: (Int) -> Int) {
            alpha.update(repeating: -.infinity, count: states)
            alpha[0] = x[label(0)]
            if states > 1 { alpha[1] = x[label(1)] }
            for t in 1..<max(frames, 1) {
                let previous = alpha + (t - 1) * states, current = alpha + t * states, row = x + t * stride
                for s in 0..<states {
                    let c = label(s)
                    let a2: Scalar = s > 0 ? previous[s - 1] : -.infinity
                    let a3: Scalar = s > 1 && label(s - 2) != c ? previous[s - 2] : -.infinity
                    current[s] = CTC.lse3(previous[s], a2, a3) + row[c]
                }
            }
        }
    }

    enum Backward {
        /// Writes the gradient of frames 0..<frames: the betas frame by frame, downwards, with
        /// each alpha * beta log-added into its class's slot (torch's order: states downwards),
        /// then exp(x) - exp(slot + nll - x), times `scale`.
        @inline(__always)
        static func gradient(_ x: UnsafePointer<Scalar>, stride: Int, frames: Int, states: Int, classes: Int,
                             blank: Int, alpha: UnsafePointer<Scalar>, beta: UnsafeMutablePointer<Scalar>,
                             grad: UnsafeMutablePointer<Scalar>, nll: Scalar, scale: Scalar, label: (Int) -> Int) {
            for t in 0..<frames { (grad + t * stride).update(repeating: -.infinity, count: classes) }
            var next = beta, current = beta + states
            let lastT = frames - 1
            let lastRow = x + lastT * stride, lastGrad = grad + lastT * stride, lastAlpha = alpha + lastT * states
            next.update(repeating: -.infinity, count: states)
            next[states - 1] = lastRow[blank]
            lastGrad[blank] = lastAlpha[states - 1] + next[states - 1]
            if states > 1 {
                let c = label(states - 2)
                next[states - 2] = lastRow[c]
                lastGrad[c] = lastAlpha[states - 2] + next[states - 2]
            }
            var t = frames - 2
            while t >= 0 {
                let row = x + t * stride, slots = grad + t * stride, a = alpha + t * states
                var s = states - 1
                while s >= 0 {
                    let c = label(s)
                    let b2: Scalar = s < states - 1 ? next[s + 1] : -.infinity
                    let b3: Scalar = s < states - 2 && label(s + 2) != c ? next[s + 2] : -.infinity
                    let b = CTC.lse3(next[s], b2, b3) + row[c]
                    current[s] = b
                    let ab = a[s] + b
                    let slot = slots[c]
                    slots[c] = slot == -.infinity ? ab : CTC.lse(slot, ab)
                    s -= 1
                }
                swap(&next, &current)
                t -= 1
            }
            for t in 0..<frames {
                let row = x + t * stride, slots = grad + t * stride
                for c in 0..<classes {
                    let lp = row[c]
                    slots[c] = (Scalar.exp(lp) - Scalar.exp(slots[c] + nll - lp)) * scale
                }
            }
        }
    }
}

/// CTC loss on raw buffers: `b.logProbs` (T, N, C) log-probabilities, targets padded
/// (`targetStride` = S) or concatenated (0), per-sample lengths; `blank` in [0, C).
/// With `b.gradLogProbs`, also writes d(result)/d(log_probs) as torch's backward computes it.
public func ctcLoss<T: LossScalar>(_ b: SequenceBuffers<T>, blank: Int, zeroInfinity: Bool) throws(LossError) {
    try Check.count(b.classes, "c")
    guard b.classes > 0 || b.n == 0 else { throw .shape("c must be > 0 when n > 0 (got c = 0)") }
    // (with no samples and no classes there is no class for blank to be; any blank >= 0 is taken)
    guard blank >= 0, blank < b.classes || b.classes == 0 else {
        throw .invalidArgument("blank must be in [0, c) = [0, \(b.classes)) (got blank = \(blank))")
    }
    try SequencesDriver.run(b, CTC<T>(blank: blank, zeroInfinity: zeroInfinity))
}

/// CTC loss of `logProbs` (frames x n x classes, row-major) against targets padded to
/// `paddedLength` per sample (or concatenated when it is nil).
public func ctcLoss<T: LossScalar>(_ logProbs: [T], targets: [Int64], inputLengths: [Int64], targetLengths: [Int64],
                                   classes: Int, paddedLength: Int? = nil, blank: Int = 0,
                                   reduction: Reduction = .mean, zeroInfinity: Bool = false) throws(LossError) -> LossOutput<T> {
    try ArrayBridge.sequences(logProbs, targets, inputLengths, targetLengths, classes: classes,
                              paddedLength: paddedLength, reduction: reduction, gradient: false,
                              gradOutput: nil) { b throws(LossError) in
        try ctcLoss(b, blank: blank, zeroInfinity: zeroInfinity)
    }.loss
}

/// `ctcLoss` and its gradient with respect to `logProbs`, in one pass.
public func ctcLossAndGrad<T: LossScalar>(_ logProbs: [T], targets: [Int64], inputLengths: [Int64],
                                          targetLengths: [Int64], classes: Int, paddedLength: Int? = nil,
                                          blank: Int = 0, reduction: Reduction = .mean, zeroInfinity: Bool = false,
                                          gradOutput: [T]? = nil) throws(LossError) -> (loss: LossOutput<T>, grad: [T]) {
    try ArrayBridge.sequences(logProbs, targets, inputLengths, targetLengths, classes: classes,
                              paddedLength: paddedLength, reduction: reduction, gradient: true,
                              gradOutput: gradOutput) { b throws(LossError) in
        try ctcLoss(b, blank: blank, zeroInfinity: zeroInfinity)
    }
}
