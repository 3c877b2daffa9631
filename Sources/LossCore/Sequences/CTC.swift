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

/// The connectionist temporal classification (CTC) loss over raw buffers, as `torch.nn.functional.ctc_loss`:
/// writes `out` and, where gradient buffers are set, the gradient.
///
///     loss[b] = -log(sum over the alignments a of target b of prod_t exp(logProbs[t, b, a_t]))
///
/// Computed by the log-space forward-backward recursion.
///
/// - Parameters:
///   - b: The call's buffers: `logProbs` (frames x n x classes, row-major), the targets and lengths, the
///     `reduction`, `out` (one value, or n for `.none`), and, for the gradient, `gradLogProbs` (logProbs' size)
///     with the optional `gradOutput`.
///   - blank: The blank class, in [0, classes).
///   - zeroInfinity: Whether a sample with no alignment (loss inf) gives loss 0 and gradient 0.
/// - Throws: `LossError` when a size, an option or an index is out of its domain (the message names the
///   argument); nothing is written then.
///
/// ## Reduction
///
/// `.none`: one loss per sample (n); `.mean`: their sum divided by the batch size, after each sample's loss is
/// divided by its target length (at least 1); `.sum`: their sum. The buffers' `reduction` chooses it.
///
/// ## Gradients
///
/// Written to the gradient buffers that are set, scaled by `gradOutput` (nil means ones), in the same pass as
/// the loss:
///
///     d loss[b] / d logProbs[t, b, c] = exp(x) - exp(log(sum alpha beta) + loss[b] - x),  x = logProbs[t, b, c]
///
/// torch's CTC backward, which assumes `logProbs` are `log_softmax` outputs; frames past a sample's input
/// length get 0.
public func ctcLoss<T: LossStorage>(_ b: SequenceBuffers<T>, blank: Int, zeroInfinity: Bool) throws(LossError) {
    try Check.count(b.classes, "c")
    guard b.classes > 0 || b.n == 0 else { throw .shape("c must be > 0 when n > 0 (got c = 0)") }
    // (with no samples and no classes there is no class for blank to be; any blank >= 0 is taken)
    guard blank >= 0, blank < b.classes || b.classes == 0 else {
        throw .invalidArgument("blank must be in [0, c) = [0, \(b.classes)) (got blank = \(blank))")
    }
    try SequencesDriver.run(b, CTC<T.Compute>(blank: blank, zeroInfinity: zeroInfinity))
}

/// The connectionist temporal classification (CTC) loss, as `torch.nn.functional.ctc_loss`.
///
///     loss[b] = -log(sum over the alignments a of target b of prod_t exp(logProbs[t, b, a_t]))
///
/// Computed by the log-space forward-backward recursion.
///
/// - Parameters:
///   - logProbs: Log-probabilities: frames x n x classes values, row-major (torch's (T, N, C)).
///   - targets: Class indices: padded, n x paddedLength values, or concatenated, sum(targetLengths) values.
///   - inputLengths: The frames of each sample: n values in [0, frames].
///   - targetLengths: The target length of each sample: n values >= 0.
///   - classes: C, the number of classes.
///   - paddedLength: The padded target length S (targets are n x S); nil when they are concatenated. Default
///     `nil`.
///   - blank: The blank class, in [0, classes). Default `0`.
///   - reduction: How the losses combine: `.none`, `.mean` or `.sum` (see Reduction). Default `.mean`.
///   - zeroInfinity: Whether a sample with no alignment (loss inf) gives loss 0 and gradient 0. Default
///     `false`.
/// - Returns: The loss: `.elementwise` with one loss per sample (n) for `.none`, else `.reduced` with one
///   value.
/// - Throws: `LossError` when a size, an option or an index is out of its domain (the message names the
///   argument); nothing is written then.
///
/// ## Reduction
///
/// `.none`: one loss per sample (n); `.mean`: their sum divided by the batch size, after each sample's loss is
/// divided by its target length (at least 1); `.sum`: their sum. Default `.mean`.
///
/// ## Gradients
///
/// `ctcLossAndGrad` computes the loss and its gradient with respect to `logProbs` in the same pass:
///
///     d loss[b] / d logProbs[t, b, c] = exp(x) - exp(log(sum alpha beta) + loss[b] - x),  x = logProbs[t, b, c]
///
/// torch's CTC backward, which assumes `logProbs` are `log_softmax` outputs; frames past a sample's input
/// length get 0.
///
/// ## Example
///
/// ```swift
/// let logProbs = [Double](repeating: Double.log(1.0 / 3), count: 9)  // 3 frames, 1 sample, 3 classes
/// let loss = try ctcLoss(logProbs, targets: [1, 2], inputLengths: [3], targetLengths: [2], classes: 3)
/// print(loss.scalar!)  // ≈ 0.8432
/// ```
public func ctcLoss<T: LossStorage>(_ logProbs: [T], targets: [Int64], inputLengths: [Int64], targetLengths: [Int64],
                                    classes: Int, paddedLength: Int? = nil, blank: Int = 0,
                                    reduction: Reduction = .mean, zeroInfinity: Bool = false) throws(LossError) -> LossOutput<T> {
    try ArrayBridge.sequences(logProbs, targets, inputLengths, targetLengths, classes: classes,
                              paddedLength: paddedLength, reduction: reduction, gradient: false,
                              gradOutput: nil) { b throws(LossError) in
        try ctcLoss(b, blank: blank, zeroInfinity: zeroInfinity)
    }.loss
}

/// The connectionist temporal classification (CTC) loss and its gradient with respect to `logProbs`, in one
/// pass, as `torch.nn.functional.ctc_loss` with its autograd.
///
///     loss[b] = -log(sum over the alignments a of target b of prod_t exp(logProbs[t, b, a_t]))
///
/// Computed by the log-space forward-backward recursion.
///
/// - Parameters:
///   - logProbs: Log-probabilities: frames x n x classes values, row-major (torch's (T, N, C)).
///   - targets: Class indices: padded, n x paddedLength values, or concatenated, sum(targetLengths) values.
///   - inputLengths: The frames of each sample: n values in [0, frames].
///   - targetLengths: The target length of each sample: n values >= 0.
///   - classes: C, the number of classes.
///   - paddedLength: The padded target length S (targets are n x S); nil when they are concatenated. Default
///     `nil`.
///   - blank: The blank class, in [0, classes). Default `0`.
///   - reduction: How the losses combine: `.none`, `.mean` or `.sum` (see Reduction). Default `.mean`.
///   - zeroInfinity: Whether a sample with no alignment (loss inf) gives loss 0 and gradient 0. Default
///     `false`.
///   - gradOutput: The gradient flowing into the loss: one value for `.mean` and `.sum`, one per loss for
///     `.none`; nil means ones. Default `nil`.
/// - Returns: `loss` as `ctcLoss` returns it, and `grad`: d loss / d `logProbs`, as many values as `logProbs`.
/// - Throws: `LossError` when a size, an option or an index is out of its domain (the message names the
///   argument); nothing is written then.
///
/// ## Reduction
///
/// `.none`: one loss per sample (n); `.mean`: their sum divided by the batch size, after each sample's loss is
/// divided by its target length (at least 1); `.sum`: their sum. Default `.mean`.
///
/// ## Gradients
///
/// With respect to `logProbs` (not `targets`, `inputLengths`, `targetLengths`): the gradient of sum(gradOutput
/// * loss), computed in the same pass as the loss:
///
///     d loss[b] / d logProbs[t, b, c] = exp(x) - exp(log(sum alpha beta) + loss[b] - x),  x = logProbs[t, b, c]
///
/// torch's CTC backward, which assumes `logProbs` are `log_softmax` outputs; frames past a sample's input
/// length get 0.
///
/// ## Example
///
/// ```swift
/// let logProbs = [Double](repeating: Double.log(1.0 / 3), count: 9)  // 3 frames, 1 sample, 3 classes
/// let (loss, grad) = try ctcLossAndGrad(logProbs, targets: [1, 2], inputLengths: [3],
///                                       targetLengths: [2], classes: 3)
/// print(loss.scalar!)  // ≈ 0.8432
/// print(grad)  // ≈ [0.0667, -0.2333, 0.1667, 0.0667, -0.0333, -0.0333, 0.0667, 0.1667, -0.2333]
/// ```
public func ctcLossAndGrad<T: LossStorage>(_ logProbs: [T], targets: [Int64], inputLengths: [Int64],
                                           targetLengths: [Int64], classes: Int, paddedLength: Int? = nil,
                                           blank: Int = 0, reduction: Reduction = .mean, zeroInfinity: Bool = false,
                                           gradOutput: [T]? = nil) throws(LossError) -> (loss: LossOutput<T>, grad: [T]) {
    try ArrayBridge.sequences(logProbs, targets, inputLengths, targetLengths, classes: classes,
                              paddedLength: paddedLength, reduction: reduction, gradient: true,
                              gradOutput: gradOutput) { b throws(LossError) in
        try ctcLoss(b, blank: blank, zeroInfinity: zeroInfinity)
    }
}
