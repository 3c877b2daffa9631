// Tests of the buffer API of the regression losses (ElementwiseBuffers), the layer the C
// exports forward to: same results as the array API, no write outside the outputs,
// NULL pointers and bad sizes refused before anything is written.
import Testing
@testable import LossCore
#if canImport(Glibc)
import Glibc
#endif

/// A recognizable value that no loss computes here; it must survive a failed call.
let sentinel = 12345.25

@Suite("Elementwise, regression: buffer API")
struct BufferAPITests {
    /// The buffer API gives bitwise the array API's results and writes exactly n (or 1)
    /// outputs and n gradients, nothing past them.
    @Test(arguments: Loss.all, DType.allCases)
    func matchesArrayAPIAndStaysInBounds(loss: Loss, dtype: DType) throws {
        func run<T: LossScalar>(_: T.Type) throws {
            let n = 45
            var rng = SplitMix64(seed: 8)
            let x = cast(rng.values(n), to: T.self), y = cast(rng.values(n), to: T.self)
            let w: [T]? = loss.acceptsWeight ? cast(rng.values(n, 0, 2), to: T.self) : nil
            for reduction in [Reduction.none, .mean, .sum] {
                let outCount = reduction == .none ? n : 1
                let go = cast(rng.values(outCount, -2, 2), to: T.self)
                let (want, wantGrad) = try lossAndGrad(loss, x, y, weight: w, reduction: reduction, gradOutput: go)
                var out = [T](repeating: T(sentinel), count: outCount + 3)
                var grad = [T](repeating: T(sentinel), count: n + 3)
                try x.withUnsafeBufferPointer { xp in
                    try y.withUnsafeBufferPointer { yp in
                        try withOptionalPointer(w) { wp in
                            try go.withUnsafeBufferPointer { gp in
                                try out.withUnsafeMutableBufferPointer { op in
                                    try grad.withUnsafeMutableBufferPointer { gip in
                                        try lossBuffers(loss, ElementwiseBuffers(
                                            input: xp.baseAddress, target: yp.baseAddress, weight: wp, count: n,
                                            reduction: reduction, out: op.baseAddress, gradOutput: gp.baseAddress,
                                            gradInput: gip.baseAddress))
                                    }
                                }
                            }
                        }
                    }
                }
                #expect(bitsEqual(Array(out[..<outCount]), want.values), "\(loss) \(T.self) \(reduction)")
                #expect(bitsEqual(Array(grad[..<n]), wantGrad), "\(loss) \(T.self) \(reduction) grad")
                #expect(out[outCount...].allSatisfy { $0 == T(sentinel) }, "\(loss) wrote past out")
                #expect(grad[n...].allSatisfy { $0 == T(sentinel) }, "\(loss) wrote past grad_input")
            }
        }
        switch dtype {
        case .f32: try run(Float.self)
        case .f64: try run(Double.self)
        }
    }

    /// Empty inputs with NULL data pointers: 'mean' writes NaN, 'sum' 0, 'none' nothing.
    @Test(arguments: Loss.all)
    func emptyWithNullPointers(loss: Loss) throws {
        var out = [sentinel]
        try out.withUnsafeMutableBufferPointer { o in
            try lossBuffers(loss, ElementwiseBuffers<Double>(input: nil, target: nil, count: 0, reduction: .mean,
                                                           out: o.baseAddress, gradInput: nil))
        }
        #expect(out[0].isNaN, "\(loss): mean of nothing is NaN, got \(out[0])")
        out = [sentinel]
        try out.withUnsafeMutableBufferPointer { o in
            try lossBuffers(loss, ElementwiseBuffers<Double>(input: nil, target: nil, count: 0, reduction: .sum,
                                                           out: o.baseAddress))
        }
        #expect(out[0] == 0)
        out = [sentinel]
        try out.withUnsafeMutableBufferPointer { o in
            try lossBuffers(loss, ElementwiseBuffers<Double>(input: nil, target: nil, count: 0, reduction: .none,
                                                           out: o.baseAddress))
        }
        #expect(out[0] == sentinel, "'none' over nothing writes nothing")
    }

    /// Runs a buffer call that must fail with `kind`, and checks that neither output moved.
    func expectRefused(_ loss: Loss, _ kind: LossError.Kind, mentions: String, count: Int = 4,
                       input: Bool = true, target: Bool = true, weight: Bool = false, out: Bool = true,
                       reduction: Reduction = .mean,
                       sourceLocation: SourceLocation = #_sourceLocation) {
        let x: [Double] = [1, 2, 3, 4], y: [Double] = [0, 0, 5, 5], w: [Double] = [1, 1, 1, 1]
        var o = [Double](repeating: sentinel, count: 4)
        var g = [Double](repeating: sentinel, count: 4)
        x.withUnsafeBufferPointer { xp in
            y.withUnsafeBufferPointer { yp in
                w.withUnsafeBufferPointer { wp in
                    o.withUnsafeMutableBufferPointer { op in
                        g.withUnsafeMutableBufferPointer { gp in
                            expectLossError(kind, mentions: mentions, sourceLocation: sourceLocation) { () throws(LossError) in
                                try lossBuffers(loss, ElementwiseBuffers(
                                    input: input ? xp.baseAddress : nil, target: target ? yp.baseAddress : nil,
                                    weight: weight ? wp.baseAddress : nil, count: count, reduction: reduction,
                                    out: out ? op.baseAddress : nil, gradOutput: nil, gradInput: gp.baseAddress))
                            }
                        }
                    }
                }
            }
        }
        #expect(o.allSatisfy { $0 == sentinel } && g.allSatisfy { $0 == sentinel },
                "\(loss): a refused call wrote \(o) / \(g)", sourceLocation: sourceLocation)
    }

    @Test(arguments: Loss.all)
    func nullPointers(loss: Loss) {
        for reduction in [Reduction.none, .mean, .sum] {
            expectRefused(loss, .nullPointer, mentions: "input", input: false, reduction: reduction)
            expectRefused(loss, .nullPointer, mentions: "target", target: false, reduction: reduction)
            expectRefused(loss, .nullPointer, mentions: "out", out: false, reduction: reduction)
        }
        // A reduced result always needs `out`, even for an empty input.
        expectRefused(loss, .nullPointer, mentions: "out", count: 0, input: false, target: false, out: false,
                      reduction: .mean)
        expectRefused(loss, .nullPointer, mentions: "out", count: 0, input: false, target: false, out: false,
                      reduction: .sum)
    }

    /// A size_t above Int.max arrives negative: refused as a shape error.
    @Test(arguments: Loss.all)
    func negativeCount(loss: Loss) {
        expectRefused(loss, .shape, mentions: "n", count: -1)
        expectRefused(loss, .shape, mentions: "n", count: Int.min)
    }

    @Test func smoothL1RefusesWeight() {
        expectRefused(.smoothL1(beta: 1), .invalidArgument, mentions: "weight", weight: true)
        expectRefused(.smoothL1(beta: 0), .invalidArgument, mentions: "weight", weight: true, reduction: .none)
    }

    @Test func badOptionsWriteNothing() {
        expectRefused(.smoothL1(beta: -1), .invalidArgument, mentions: "beta")
        expectRefused(.smoothL1(beta: .nan), .invalidArgument, mentions: "beta", reduction: .none)
        expectRefused(.huber(delta: 0), .invalidArgument, mentions: "delta", weight: true)
        expectRefused(.huber(delta: .nan), .invalidArgument, mentions: "delta", reduction: .sum)
    }

    /// A count whose size in bytes overflows (count * 8 > Int.max) cannot describe any
    /// buffer: the header promises "overflowing sizes ... are reported as errors" and no
    /// out-of-bounds access. Run in a child process, since a missing check crashes.
    @Test func byteSizeOverflowIsRefused() async {
        await #expect(processExitsWith: .success, "count = Int.max / 8 + 1 doubles must be a shape error") {
            let x = [1.0, 2.0, 3.0, 4.0]
            var out = [Double](repeating: 0, count: 4)
            let kind: LossError.Kind? = x.withUnsafeBufferPointer { xp in
                out.withUnsafeMutableBufferPointer { op in
                    do throws(LossError) {
                        try l1Loss(ElementwiseBuffers(input: xp.baseAddress, target: xp.baseAddress,
                                                    count: Int.max / 8 + 1, reduction: .none, out: op.baseAddress))
                        return nil
                    } catch {
                        return error.kind
                    }
                }
            }
            if kind != .shape { fatalError("expected LossError.shape, got \(String(describing: kind))") }
        }
    }
}
