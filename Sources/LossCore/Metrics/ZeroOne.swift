/// 0-1 loss: 1 where the prediction differs from the target, else 0.
///
///     l_i = [argmax_j scores_ij != y_i]      (from scores, n x c)
///     l_i = [predicted_i != y_i]             (from labels)
///
/// argmax takes the first index of the maximum, and a NaN counts as the maximum, as
/// torch.argmax does. 'mean' is the error rate (NaN for n = 0). Not differentiable.
enum ZeroOne {
    /// The first index of the row maximum; NaN beats everything, the first NaN wins.
    @inline(__always)
    static func argmax<T: LossStorage>(_ row: UnsafePointer<T>, _ c: Int) -> Int {
        var best = 0
        var bestValue = row[0].computeValue
        if bestValue.isNaN { return 0 }
        for j in 1..<c {
            let v = row[j].computeValue
            if v.isNaN { return j }
            if v > bestValue {
                best = j
                bestValue = v
            }
        }
        return best
    }

    /// Writes the reduced or per-sample loss; `mismatch(i)` says whether sample i is wrong.
    static func reduce<T: LossStorage>(n: Int, reduction: Reduction, out: UnsafeMutablePointer<T>,
                                      work: Int, _ mismatch: (Int) -> Bool) {
        if reduction == .none {
            let out = UncheckedSendable(out)
            Parallel.forEachRange(count: n, blockSize: 4096, work: work) { range in
                for i in range { out.value[i] = T(rounding: mismatch(i) ? 1 : 0) }
            }
            return
        }
        let errors = Parallel.blockedSum(count: n, blockSize: 4096, work: work) { range in
            BlockSum.sum(range) { mismatch($0) ? 1 : 0 }
        }
        Reduce.write(errors, reduction, divisor: Double(n), to: out)
    }
}

/// The 0-1 loss over raw buffers: writes `out`.
///
///     loss[n] = argmax(scores[n]) != target[n] ? 1 : 0        (predicted[n] != target[n] for labels)
///
/// The argmax takes the first index on ties; NaN counts as the maximum.
///
/// - Parameters:
///   - scores: Class scores: n rows of c values.
///   - target: Target labels, n values.
///   - n: The number of rows.
///   - c: The number of classes (scores per row).
///   - reduction: How the losses combine: `.none`, `.mean` or `.sum` (see Reduction).
///   - out: The result: one value, or n for `.none`.
/// - Throws: `LossError` when a size, an option or an index is out of its domain (the message names the
///   argument); nothing is written then.
///
/// ## Reduction
///
/// `.none`: 1 or 0 per row (n); `.mean`: their sum divided by the row count: the error rate; `.sum`: their sum.
///
/// ## Gradients
///
/// None: the 0-1 loss is not differentiable.
public func zeroOneLoss<T: LossStorage>(scores: UnsafePointer<T>?, target: UnsafePointer<Int64>?,
                                        n: Int, c: Int, reduction: Reduction,
                                        out: UnsafeMutablePointer<T>?) throws(LossError) {
    try Check.count(n, "n")
    try Check.count(c, "c")
    let total = try Check.product(n, c, "n * c")
    try Check.elements(total, of: T.self, "n * c")
    try Check.elements(n, of: Int64.self, "n")
    if n > 0 || reduction != .none { try Check.nonNull(out, "out") }
    guard n > 0 else { return Reduce.writeEmpty(reduction, to: out) }
    guard c > 0 else { throw .shape("c must be > 0 when n > 0 (got c = 0)") }
    try Check.nonNull(scores, "scores")
    try Check.nonNull(target, "target")
    let scores = UncheckedSendable(scores!), target = UncheckedSendable(target!)
    try ClassIndex.checkRange(target.value, count: n, classes: c, ignoreIndex: nil)
    ZeroOne.reduce(n: n, reduction: reduction, out: out!, work: total) { i in
        ZeroOne.argmax(scores.value + i * c, c) != Int(target.value[i])
    }
}

/// The 0-1 loss over raw buffers: writes `out`.
///
///     loss[n] = argmax(scores[n]) != target[n] ? 1 : 0        (predicted[n] != target[n] for labels)
///
/// The argmax takes the first index on ties; NaN counts as the maximum.
///
/// - Parameters:
///   - predicted: Predicted labels, n values (any Int64).
///   - target: Target labels, n values.
///   - n: The number of rows.
///   - reduction: How the losses combine: `.none`, `.mean` or `.sum` (see Reduction).
///   - out: The result: one value, or n for `.none`.
/// - Throws: `LossError` when a size, an option or an index is out of its domain (the message names the
///   argument); nothing is written then.
///
/// ## Reduction
///
/// `.none`: 1 or 0 per row (n); `.mean`: their sum divided by the row count: the error rate; `.sum`: their sum.
///
/// ## Gradients
///
/// None: the 0-1 loss is not differentiable.
public func zeroOneLoss(predicted: UnsafePointer<Int64>?, target: UnsafePointer<Int64>?,
                        n: Int, reduction: Reduction, out: UnsafeMutablePointer<Double>?) throws(LossError) {
    try Check.elements(n, of: Int64.self, "n")
    if n > 0 || reduction != .none { try Check.nonNull(out, "out") }
    guard n > 0 else { return Reduce.writeEmpty(reduction, to: out) }
    try Check.nonNull(predicted, "predicted")
    try Check.nonNull(target, "target")
    let predicted = UncheckedSendable(predicted!), target = UncheckedSendable(target!)
    ZeroOne.reduce(n: n, reduction: reduction, out: out!, work: n) { i in
        predicted.value[i] != target.value[i]
    }
}

/// The 0-1 loss.
///
///     loss[n] = argmax(scores[n]) != target[n] ? 1 : 0        (predicted[n] != target[n] for labels)
///
/// The argmax takes the first index on ties; NaN counts as the maximum.
///
/// - Parameters:
///   - scores: Class scores: n rows of c values.
///   - target: Target labels, n values.
///   - reduction: How the losses combine: `.none`, `.mean` or `.sum` (see Reduction). Default `.mean`.
/// - Returns: The loss: `.elementwise` with 1 or 0 per row (n) for `.none`, else `.reduced` with one value.
/// - Throws: `LossError` when a size, an option or an index is out of its domain (the message names the
///   argument); nothing is written then.
///
/// ## Reduction
///
/// `.none`: 1 or 0 per row (n); `.mean`: their sum divided by the row count: the error rate; `.sum`: their sum.
/// Default `.mean`.
///
/// ## Gradients
///
/// None: the 0-1 loss is not differentiable.
///
/// ## Example
///
/// ```swift
/// let loss = try zeroOneLoss(scores: [[0.9, 0.1], [0.2, 0.8], [0.6, 0.4]], target: [0, 0, 0])
/// print(loss.scalar!)  // ≈ 0.3333
/// ```
public func zeroOneLoss<T: LossStorage>(scores: [[T]], target: [Int64],
                                        reduction: Reduction = .mean) throws(LossError) -> LossOutput<T> {
    let n = scores.count
    guard target.count == n else { throw .shape("target has \(target.count) elements but scores has \(n) rows") }
    let c = scores.first?.count ?? 0
    if let bad = scores.firstIndex(where: { $0.count != c }) {
        throw .shape("scores row \(bad) has \(scores[bad].count) values but row 0 has \(c)")
    }
    let flat = scores.flatMap { $0 }
    return try flat.withUnsafeBufferPointer { s throws(LossError) in
        try target.withUnsafeBufferPointer { t throws(LossError) in
            try ArrayBridge.run(lossCount: n, gradCount: 0, weight: nil, gradOutput: nil, reduction: reduction,
                                gradient: false) { (p: ArrayBridge.Pinned<T>) throws(LossError) in
                try zeroOneLoss(scores: s.baseAddress, target: t.baseAddress, n: n, c: c, reduction: reduction,
                                out: p.out)
            }.loss
        }
    }
}

/// The 0-1 loss.
///
///     loss[n] = argmax(scores[n]) != target[n] ? 1 : 0        (predicted[n] != target[n] for labels)
///
/// The argmax takes the first index on ties; NaN counts as the maximum.
///
/// - Parameters:
///   - predicted: Predicted labels, n values (any Int64).
///   - target: Target labels, n values.
///   - reduction: How the losses combine: `.none`, `.mean` or `.sum` (see Reduction). Default `.mean`.
/// - Returns: The loss: `.elementwise` with 1 or 0 per row (n) for `.none`, else `.reduced` with one value.
/// - Throws: `LossError` when a size, an option or an index is out of its domain (the message names the
///   argument); nothing is written then.
///
/// ## Reduction
///
/// `.none`: 1 or 0 per row (n); `.mean`: their sum divided by the row count: the error rate; `.sum`: their sum.
/// Default `.mean`.
///
/// ## Gradients
///
/// None: the 0-1 loss is not differentiable.
///
/// ## Example
///
/// ```swift
/// let loss = try zeroOneLoss(predicted: [0, 1, 0], target: [0, 0, 0])
/// print(loss.scalar!)  // ≈ 0.3333
/// ```
public func zeroOneLoss(predicted: [Int64], target: [Int64],
                        reduction: Reduction = .mean) throws(LossError) -> LossOutput<Double> {
    guard target.count == predicted.count else {
        throw .shape("target has \(target.count) elements but predicted has \(predicted.count)")
    }
    return try predicted.withUnsafeBufferPointer { p throws(LossError) in
        try target.withUnsafeBufferPointer { t throws(LossError) in
            try ArrayBridge.run(lossCount: predicted.count, gradCount: 0, weight: nil, gradOutput: nil,
                                reduction: reduction, gradient: false) { (o: ArrayBridge.Pinned<Double>) throws(LossError) in
                try zeroOneLoss(predicted: p.baseAddress, target: t.baseAddress, n: predicted.count,
                                reduction: reduction, out: o.out)
            }.loss
        }
    }
}
