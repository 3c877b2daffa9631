"""LossCore benchmark: every loss family on realistic sizes, side by side in one process on
the same arrays, against numpy (always) and torch CPU (when importable), and a torch training
step with torch's loss against losscore.torch's.

    scripts/bench.sh                 # uses .venv-torch if it exists (see README), else .venv
    python benchmarks/bench.py --quick

Prints medians (ms) and ratios (how many times faster LossCore is), plus the machine's read
bandwidth measured with a plain streaming sum, and for the elementwise losses over 16M
elements the share of that bandwidth LossCore reaches. Also checks the determinism and
accuracy claims: bitwise-identical results for 1 and N threads, and the float32 relative
error of a 16M-element mean against float64.
"""
from __future__ import annotations

import argparse
import os
import platform
import subprocess
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

# numpy's OpenBLAS starts a thread per core that keeps waking up though no workload here
# uses BLAS; on two cores it took time from both sides'
# worker threads. One BLAS thread (set before numpy loads it) starts none.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bindings" / "python"))
import losscore  # noqa: E402
import losscore.functional as F  # noqa: E402

try:
    import torch
    import torch.nn.functional as TF

    import losscore.torch as LT
except ImportError:  # torch is optional
    torch = None


def median_ms(fn, repeats: int, min_time: float = 0.2) -> float:
    fn()  # warm-up (page faults, lazy initialisation)
    times = []
    start = time.perf_counter()
    while len(times) < repeats or (time.perf_counter() - start < min_time and len(times) < 200):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1e3


def paired_ms(ours, theirs, repeats: int, rounds: int = 5, min_time: float = 0.2):
    """Medians (ms) of `ours` and `theirs` (None: ours alone), measured in alternating
    rounds so that both sides see the same machine state: a virtual machine's speed can
    drift over seconds, and measuring one side entirely before the other lets that drift
    decide ratios."""
    if theirs is None:
        return median_ms(ours, repeats, min_time), None
    ours()
    theirs()
    samples = ([], [])
    for _ in range(rounds):
        for fn, times in zip((ours, theirs), samples):
            start = time.perf_counter()
            count = 0
            while count < max(1, repeats // rounds) or (time.perf_counter() - start < min_time / rounds and count < 40):
                t0 = time.perf_counter()
                fn()
                times.append(time.perf_counter() - t0)
                count += 1
    return statistics.median(samples[0]) * 1e3, statistics.median(samples[1]) * 1e3


def read_bandwidth_gbs(threads: int) -> float:
    """Best of a single- and multi-threaded streaming sum over 512 MiB of float32."""
    data = np.ones(128 * 1024 * 1024, dtype=np.float32)
    parts = np.array_split(data, threads)
    pool = ThreadPoolExecutor(threads)

    def threaded():
        list(pool.map(lambda part: np.add.reduce(part), parts))

    best = min(median_ms(lambda: np.add.reduce(data), 5), median_ms(threaded, 5))
    pool.shutdown()
    return data.nbytes / (best * 1e-3) / 1e9


def copy_bandwidth_gbs(threads: int) -> float:
    """Read+write bandwidth: best of a single- and multi-threaded streaming copy of 256 MiB of
    float32 into a warm destination, counting the bytes read plus the bytes written."""
    source = np.ones(64 * 1024 * 1024, dtype=np.float32)
    target = np.zeros_like(source)
    pairs = list(zip(np.array_split(source, threads), np.array_split(target, threads)))
    pool = ThreadPoolExecutor(threads)

    def threaded():
        list(pool.map(lambda pair: np.copyto(pair[1], pair[0]), pairs))

    best = min(median_ms(lambda: np.copyto(target, source), 5), median_ms(threaded, 5))
    pool.shutdown()
    return 2 * source.nbytes / (best * 1e-3) / 1e9


# The peak-memory children (`peak_mib`) run in fresh interpreters: each prints the growth of
# the peak resident set (VmHWM) over one call, beyond what the call returns. Their common
# start: the package's path (argv[1]), the side and the function's name (argv[2], argv[3]).
_PEAK_PRELUDE = r"""
import sys, numpy as np
sys.path.insert(0, sys.argv[1])
side, name = sys.argv[2], sys.argv[3]
def hwm():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
def reset_hwm():  # VmHWM restarts from the current resident set (Linux >= 4.0): what the
    # set-up allocated and freed does not hide the call's own growth
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")
rng = np.random.default_rng(0)
"""

# cross_entropy on n x c float32 or bfloat16 logits (argv[4:7]: n, c, dtype).
_PEAK_CROSS_ENTROPY_CHILD = _PEAK_PRELUDE + r"""
n, c, dtype = int(sys.argv[4]), int(sys.argv[5]), sys.argv[6]
if dtype == "bfloat16":
    import ml_dtypes
x = np.empty((n, c), dtype=ml_dtypes.bfloat16 if dtype == "bfloat16" else np.float32)
for first in range(0, n, 64):
    x[first:first + 64] = rng.standard_normal((min(64, n - first), c), dtype=np.float32) * 2
t = rng.integers(0, c, n)
if side == "losscore":
    import losscore.functional as F
    F.cross_entropy(x[:8], t[:8])  # library and worker threads started before the baseline
    reset_hwm()
    before = hwm()
    result = getattr(F, name)(x, t)
else:
    import torch, torch.nn.functional as TF
    tensor = lambda a: torch.from_numpy(a) if a.dtype == np.float32 else torch.from_numpy(a.view(np.int16)).view(torch.bfloat16)
    TF.cross_entropy(tensor(x[:8]), torch.from_numpy(t[:8]))
    xt, tt = tensor(x), torch.from_numpy(t)
    reset_hwm()
    before = hwm()
    if name.endswith("_and_grad"):
        leaf = xt.requires_grad_()
        loss = TF.cross_entropy(leaf, tt)
        result = torch.autograd.grad(loss, leaf)
    else:
        with torch.no_grad():
            result = TF.cross_entropy(xt, tt)
returned = x.nbytes if name.endswith("_and_grad") else 0
print((hwm() - before - returned) / 2**20)
"""


# ctc_loss on (T, N, C) log-probabilities with targets of S/2..S labels (argv[4:8]): a
# call's workspace must be per thread, not per sample.
_PEAK_CTC_CHILD = _PEAK_PRELUDE + r"""
T, N, C, S = map(int, sys.argv[4:8])
x = np.empty((T, N, C), dtype=np.float32)
for t in range(T):
    v = rng.standard_normal((N, C), dtype=np.float32)
    x[t] = v - np.log(np.exp(v).sum(-1, keepdims=True))
targets = rng.integers(1, C, (N, S))
lengths, target_lengths = np.full(N, T), rng.integers(S // 2, S + 1, N)
if side == "losscore":
    import losscore.functional as F
    F.ctc_loss(x[:, :2], targets[:2], lengths[:2], target_lengths[:2])
    reset_hwm()
    before = hwm()
    result = getattr(F, name)(x, targets, lengths, target_lengths)
else:
    import torch, torch.nn.functional as TF
    xt = torch.from_numpy(x)
    args = [torch.from_numpy(a) for a in (targets, lengths, target_lengths)]
    TF.ctc_loss(xt[:, :2], *(a[:2] for a in args))
    reset_hwm()
    before = hwm()
    if name.endswith("_and_grad"):
        leaf = xt.requires_grad_()
        result = torch.autograd.grad(TF.ctc_loss(leaf, *args), leaf)
    else:
        with torch.no_grad():
            result = TF.ctc_loss(xt, *args)
print((hwm() - before - (x.nbytes if name.endswith("_and_grad") else 0)) / 2**20)
"""


def peak_mib(child: str, side: str, name: str, *arguments) -> float:
    """Peak extra memory (MiB) of one call of `name` ("losscore" or "torch" `side`) that the
    peak-memory script `child` makes with `arguments`, measured in a fresh process: the growth
    of VmHWM around the call minus the gradient it returns."""
    bindings = str(Path(__file__).resolve().parents[1] / "bindings" / "python")
    out = subprocess.run([sys.executable, "-c", child, bindings, side, name, *map(str, arguments)],
                         check=True, capture_output=True, text=True)
    return float(out.stdout.strip())


class Table:
    def __init__(self):
        self.rows = []

    def add(self, name, ours, numpy_ms, torch_ms, bytes_read=None, bandwidth=None):
        self.rows.append((name, ours, numpy_ms, torch_ms, bytes_read, bandwidth))
        self.print_row(self.rows[-1])

    @staticmethod
    def header():
        print(f"{'workload':<44}{'losscore':>10}{'numpy':>10}{'torch':>10}{'x numpy':>9}{'x torch':>9}{'% BW':>7}")
        print("-" * 99)

    @staticmethod
    def print_row(row):
        name, ours, numpy_ms, torch_ms, bytes_read, bandwidth = row
        fmt = lambda v: f"{v:10.3f}" if v is not None else f"{'-':>10}"  # noqa: E731
        ratio = lambda v: f"{v / ours:9.1f}" if v is not None else f"{'-':>9}"  # noqa: E731
        share = f"{bytes_read / (ours * 1e-3) / 1e9 / bandwidth * 100:6.0f}%" if bytes_read else f"{'':>7}"
        print(f"{name:<44}{fmt(ours)}{fmt(numpy_ms)}{fmt(torch_ms)}{ratio(numpy_ms)}{ratio(torch_ms)}{share}",
              flush=True)


def training_step_rows(table, repeats):
    """One SGD step (forward, loss, backward, optimizer step) of an MLP 64-32-10 on digits-sized
    data (1797 samples of 64 features, 10 classes), with torch's cross_entropy against
    losscore.torch's: the same model and data on both sides, so the difference is the loss's
    share of the step (its call, the fused value+gradient, its backward). Then the loss alone
    through autograd on larger logits."""
    step_rng = np.random.default_rng(8)
    features = torch.from_numpy(step_rng.random((1797, 64), dtype=np.float32))
    classes = torch.from_numpy(step_rng.integers(0, 10, 1797))

    def training_step(loss_fn, batch):
        torch.manual_seed(0)
        model = torch.nn.Sequential(torch.nn.Linear(64, 32), torch.nn.ReLU(), torch.nn.Linear(32, 10))
        optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
        x, t = features[:batch], classes[:batch]

        def step():
            optimizer.zero_grad()
            loss_fn(model(x), t).backward()
            optimizer.step()
        return step

    for batch in (64, 1797):
        ours, t_ms = paired_ms(training_step(LT.cross_entropy, batch), training_step(TF.cross_entropy, batch),
                               max(repeats, 50))
        table.add(f"torch training step, batch {batch}", ours, None, t_ms)
    # The loss alone in autograd (forward and backward) where it is large: 4096 x 1000 logits.
    logits = torch.from_numpy(step_rng.standard_normal((4096, 1000), dtype=np.float32)).requires_grad_()
    labels = torch.from_numpy(step_rng.integers(0, 1000, 4096))
    ours, t_ms = paired_ms(lambda: torch.autograd.grad(LT.cross_entropy(logits, labels), logits),
                           lambda: torch.autograd.grad(TF.cross_entropy(logits, labels), logits), repeats)
    table.add("torch autograd cross_entropy 4096x1000", ours, None, t_ms)


def vocabulary_rows(table, repeats, bandwidth, copy_bandwidth):
    """cross_entropy over large vocabularies (language-model heads): forward as a share of
    the read bandwidth (the logits read once), value+grad as a share of the read+write
    bandwidth (the logits read, the gradient written), then the peak extra memory of each
    call, measured in a fresh process (LossCore's must not grow with N x C)."""
    vocab_rng = np.random.default_rng(9)
    shapes = [(512, 128_000), (4096, 32_000)]
    for n, c in shapes:
        x = vocab_rng.standard_normal((n, c), dtype=np.float32) * 2
        t = vocab_rng.integers(0, c, n)
        label = f"{n}x{c}"
        torch_fwd = torch_grad = None
        if torch:
            xt, tt = torch.from_numpy(x), torch.from_numpy(t)

            def torch_fwd():
                with torch.no_grad():
                    TF.cross_entropy(xt, tt)

            def torch_grad():
                leaf = torch.from_numpy(x).requires_grad_()
                TF.cross_entropy(leaf, tt).backward()
        ours, t_ms = paired_ms(lambda: F.cross_entropy(x, t), torch_fwd, repeats)
        table.add(f"cross_entropy fwd f32 {label}", ours, None, t_ms, bytes_read=x.nbytes, bandwidth=bandwidth)
        ours, t_ms = paired_ms(lambda: F.cross_entropy_and_grad(x, t), torch_grad, repeats)
        table.add(f"cross_entropy value+grad f32 {label}", ours, None, t_ms, bytes_read=2 * x.nbytes,
                  bandwidth=copy_bandwidth)
        # The same logits in bfloat16, as a language model's head keeps them.
        if "bfloat16" not in HALF_DTYPES:
            continue
        xb = half_array(x, "bfloat16")
        del x
        if torch:
            xbt = half_tensor(xb)

            def torch_fwd():
                with torch.no_grad():
                    TF.cross_entropy(xbt, tt)

            def torch_grad():
                leaf = half_tensor(xb).requires_grad_()
                TF.cross_entropy(leaf, tt).backward()
        ours, t_ms = paired_ms(lambda: F.cross_entropy(xb, t), torch_fwd, repeats)
        table.add(f"cross_entropy fwd bf16 {label}", ours, None, t_ms, bytes_read=xb.nbytes, bandwidth=bandwidth)
        ours, t_ms = paired_ms(lambda: F.cross_entropy_and_grad(xb, t), torch_grad, repeats)
        table.add(f"cross_entropy value+grad bf16 {label}", ours, None, t_ms, bytes_read=2 * xb.nbytes,
                  bandwidth=copy_bandwidth)
        del xb
    print("(% BW: forward of the read bandwidth, value+grad of the read+write bandwidth)")
    for n, c in shapes:
        for dtype, size in (("float32", 4), ("bfloat16", 2))[:1 + ("bfloat16" in HALF_DTYPES)]:
            for name in ("cross_entropy", "cross_entropy_and_grad"):
                sides = ["losscore"] + (["torch"] if torch else [])
                peaks = ", ".join(f"{side} {peak_mib(_PEAK_CROSS_ENTROPY_CHILD, side, name, n, c, dtype):.1f} MiB"
                                  for side in sides)
                print(f"peak extra memory {name} {dtype} {n}x{c} (logits {n * c * size / 2**20:.0f} MiB): {peaks}")
    # A sequence loss's forward-backward variables (torch keeps the batch's for backward).
    frames, n, c, s = 1000, 128, 80, 200
    for name in ("ctc_loss", "ctc_loss_and_grad"):
        sides = ["losscore"] + (["torch"] if torch else [])
        peaks = ", ".join(f"{side} {peak_mib(_PEAK_CTC_CHILD, side, name, frames, n, c, s):.1f} MiB" for side in sides)
        print(f"peak extra memory {name} float32 T={frames} N={n} C={c} S={s} "
              f"(log-probabilities {frames * n * c * 4 / 2**20:.0f} MiB): {peaks}")


try:  # bfloat16 arrays need ml_dtypes (the losscore[bfloat16] extra); without it, float16 only
    import ml_dtypes  # noqa: F401
    HALF_DTYPES: tuple[str, ...] = ("float16", "bfloat16")
except ImportError:
    HALF_DTYPES = ("float16",)
    print("(ml_dtypes is not installed: no bfloat16 rows)")


def half_array(a, dtype):
    """`a` rounded to float16 or bfloat16 (ml_dtypes' numpy dtype)."""
    if dtype == "float16":
        return a.astype(np.float16)
    import ml_dtypes
    return a.astype(ml_dtypes.bfloat16)


def half_tensor(a):
    """A torch tensor sharing a float16 or bfloat16 numpy array's memory."""
    if a.dtype == np.float16:
        return torch.from_numpy(a)
    return torch.from_numpy(a.view(np.int16)).view(torch.bfloat16)


def half_rows(table, repeats, bandwidth, copy_bandwidth):
    """16-bit storage: the elementwise losses over 16M elements (forward as a share of the
    read bandwidth in bytes, value+grad of the read+write bandwidth) and the row families on
    their usual sizes, in float16 and bfloat16, against torch's CPU on the same 16-bit data.
    Rows where torch refuses the dtype say so."""
    rng = np.random.default_rng(10)
    n = 1 << 24
    x32 = rng.standard_normal(n, dtype=np.float32)
    y32 = rng.standard_normal(n, dtype=np.float32)
    b32 = (rng.random(n) < 0.5).astype(np.float32)
    s32 = np.where(rng.random(n) < 0.5, -1, 1).astype(np.float32)
    elementwise = [("mse_loss", y32), ("l1_loss", y32), ("smooth_l1_loss", y32), ("huber_loss", y32),
                   ("binary_cross_entropy_with_logits", b32), ("soft_margin_loss", s32)]

    def torch_pair(name, args, differentiable=(0,), **options):
        if not torch:
            return None, None
        fn = getattr(TF, name)

        def tensors(grad):
            return [half_tensor(a).requires_grad_() if grad and k in differentiable
                    else half_tensor(a) if isinstance(a, np.ndarray) and a.dtype != np.int64
                    else torch.from_numpy(a) if isinstance(a, np.ndarray) else a for k, a in enumerate(args)]
        try:
            with torch.no_grad():
                fn(*tensors(False), **options)
            fn(*tensors(True), **options).backward()
        except RuntimeError:  # torch's CPU has no kernel for this dtype
            return None, None

        def fwd():
            with torch.no_grad():
                fn(*tensors(False), **options)

        def grad():
            fn(*tensors(True), **options).backward()
        return fwd, grad

    def rows(name, label, args, differentiable=(0,), bandwidth_bytes=None, **options):
        fwd, grad = torch_pair(name, args, differentiable, **options)
        refused = "" if fwd or not torch else " (torch refuses)"
        ours, t_ms = paired_ms(lambda: getattr(F, name)(*args, **options), fwd, repeats)
        read = bandwidth_bytes
        table.add(f"{label} fwd{refused}", ours, None, t_ms, bytes_read=read, bandwidth=bandwidth)
        ours, t_ms = paired_ms(lambda: getattr(F, name + "_and_grad")(*args, **options), grad, repeats)
        table.add(f"{label} value+grad{refused}", ours, None, t_ms,
                  bytes_read=read and read * 3 // 2, bandwidth=copy_bandwidth)

    for dtype in HALF_DTYPES:
        short = "f16" if dtype == "float16" else "bf16"
        x = half_array(x32, dtype)
        for name, target in elementwise:
            rows(name, f"{name} {short} 16M", (x, half_array(target, dtype)), bandwidth_bytes=2 * x.nbytes)
        del x
    m = 4096
    logits = rng.standard_normal((m, 1000), dtype=np.float32) * 2
    labels = rng.integers(0, 1000, m)
    a, p, q = (rng.standard_normal((m, 512), dtype=np.float32) for _ in range(3))
    pm = np.where(rng.random(m) < 0.5, -1, 1).astype(np.float32)
    for dtype in HALF_DTYPES:
        short = "f16" if dtype == "float16" else "bf16"
        h = lambda v: half_array(v, dtype)  # noqa: E731
        rows("cross_entropy", f"cross_entropy {short} 4096x1000", (h(logits), labels))
        rows("multi_margin_loss", f"multi_margin_loss {short} 4096x1000", (h(logits), labels))
        rows("triplet_margin_loss", f"triplet_margin_loss {short} 4096x512", (h(a), h(p), h(q)),
             differentiable=(0, 1, 2))
        rows("cosine_embedding_loss", f"cosine_embedding_loss {short} 4096x512", (h(a), h(p), h(pm)),
             differentiable=(0, 1))
    print("(% BW: forward of the read bandwidth, value+grad of the read+write bandwidth, in 16-bit bytes)")


def log_softmax_np(x):
    shifted = x - x.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="fewer repeats, skip the 16M workloads")
    parser.add_argument("--no-torch", action="store_true")
    parser.add_argument("--training-step", action="store_true", help="only the torch training step rows")
    parser.add_argument("--vocab", action="store_true", help="only the large-vocabulary cross_entropy rows")
    parser.add_argument("--half", action="store_true", help="only the float16 and bfloat16 rows")
    args = parser.parse_args()
    global torch
    if args.no_torch:
        torch = None
    repeats = 5 if args.quick else 15
    threads = losscore.get_num_threads()
    if torch is not None:
        torch.set_num_threads(os.cpu_count() or 1)
    rng = np.random.default_rng(0)

    print(f"LossCore {losscore.version()}  |  {platform.processor() or platform.machine()}, "
          f"{os.cpu_count()} cores  |  losscore threads: {threads}  |  numpy {np.__version__}  |  "
          f"torch {torch.__version__ + ' (' + str(torch.get_num_threads()) + ' threads)' if torch else 'not installed'}")
    # Start both sides' thread pools (and let the CPU clock settle) before anything is timed:
    # the first workload otherwise paid for thread creation and torch's OpenMP start-up.
    warm = rng.standard_normal(1 << 22, dtype=np.float32)
    for _ in range(20):
        F.mse_loss(warm, warm)
        if torch is not None:
            TF.mse_loss(torch.from_numpy(warm), torch.from_numpy(warm))
    bandwidth = read_bandwidth_gbs(os.cpu_count() or 1)
    copy_bandwidth = copy_bandwidth_gbs(os.cpu_count() or 1)
    print(f"read bandwidth (streaming sum): {bandwidth:.1f} GB/s; "
          f"read+write bandwidth (streaming copy): {copy_bandwidth:.1f} GB/s\n")
    table = Table()
    Table.header()
    if args.training_step:
        if torch is None:
            parser.error("--training-step needs torch")
        training_step_rows(table, repeats)
        return
    T = (lambda a: torch.from_numpy(a)) if torch else None
    if args.vocab:
        vocabulary_rows(table, repeats, bandwidth, copy_bandwidth)
        return
    if args.half:
        half_rows(table, repeats, bandwidth, copy_bandwidth)
        return

    # --- elementwise regression ---------------------------------------------------------------
    sizes = [1 << 20] if args.quick else [1 << 20, 1 << 24]
    numpy_formulas = {
        "mse_loss": lambda x, y: np.mean(np.square(x - y)),
        "l1_loss": lambda x, y: np.mean(np.abs(x - y)),
        "smooth_l1_loss": lambda x, y: np.mean(np.where(np.abs(x - y) < 1, 0.5 * (x - y) ** 2, np.abs(x - y) - 0.5)),
        "huber_loss": lambda x, y: np.mean(np.where(np.abs(x - y) < 1, 0.5 * (x - y) ** 2, np.abs(x - y) - 0.5)),
    }
    for n in sizes:
        x = rng.standard_normal(n, dtype=np.float32)
        y = rng.standard_normal(n, dtype=np.float32)
        label = f"{n >> 20}M"
        for name, formula in numpy_formulas.items():
            np_ms = median_ms(lambda: formula(x, y), max(3, repeats // 3))
            theirs = None
            if torch:
                xt, yt = T(x), T(y)

                def theirs():
                    with torch.no_grad():
                        getattr(TF, name)(xt, yt)
            ours, t_ms = paired_ms(lambda: getattr(F, name)(x, y), theirs, repeats)
            table.add(f"{name} fwd f32 {label}", ours, np_ms, t_ms, bytes_read=2 * x.nbytes, bandwidth=bandwidth)
        torch_mse_grad = None
        if torch:
            def torch_mse_grad():
                xt = T(x).requires_grad_()
                TF.mse_loss(xt, T(y)).backward()
        ours, t_ms = paired_ms(lambda: F.mse_loss_and_grad(x, y), torch_mse_grad, repeats)
        np_ms = median_ms(lambda: (np.mean(np.square(x - y)), 2 * (x - y) / n), max(3, repeats // 3))
        table.add(f"mse_loss value+grad f32 {label}", ours, np_ms, t_ms)

    # --- binary ---------------------------------------------------------------------------------
    if hasattr(F, "binary_cross_entropy_with_logits"):
        n = 1 << 20
        x = rng.standard_normal(n, dtype=np.float32) * 3
        y = (rng.random(n) < 0.5).astype(np.float32)

        def binary_rows(name, label, args, np_fwd, differentiable=(0,), **options):
            """Forward and value+grad rows of F.<name>(*args, **options) against torch's function,
            whose backward computes the gradients of the `differentiable` arguments (a float
            argument stays a float)."""
            ours_fn, torch_fn = getattr(F, name), getattr(TF, name) if torch else None
            torch_fwd = torch_grad = None
            if torch:
                def tensors(grad):
                    return [T(a).requires_grad_() if grad and k in differentiable else T(a)
                            if isinstance(a, np.ndarray) else a for k, a in enumerate(args)]

                def torch_fwd():
                    with torch.no_grad():
                        torch_fn(*tensors(False), **options)

                def torch_grad():
                    torch_fn(*tensors(True), **options).backward()
            ours, t_ms = paired_ms(lambda: ours_fn(*args, **options), torch_fwd, repeats)
            table.add(f"{label} fwd f32 1M", ours, median_ms(np_fwd, repeats), t_ms)
            ours_grad = getattr(F, name + "_and_grad")
            ours, t_ms = paired_ms(lambda: ours_grad(*args, **options), torch_grad, repeats)
            table.add(f"{label} value+grad f32 1M", ours, None, t_ms)

        binary_rows("binary_cross_entropy_with_logits", "bce_with_logits", (x, y),
                    lambda: np.mean(np.maximum(x, 0) - x * y + np.log1p(np.exp(-np.abs(x)))))
        # binary_cross_entropy on probabilities (a sigmoid's output), soft targets. (Its own
        # generator: the draws of `rng` decide the later workloads' data, kept as they were.)
        p = (1 / (1 + np.exp(-x))).astype(np.float32)
        q = np.random.default_rng(1).random(n, dtype=np.float32)
        binary_rows("binary_cross_entropy", "binary_cross_entropy", (p, q),
                    lambda: -np.mean(q * np.maximum(np.log(p), -100) + (1 - q) * np.maximum(np.log1p(-p), -100)))
        # soft_margin_loss on -1/1 targets (its own generator, as above).
        s = np.where(np.random.default_rng(2).random(n) < 0.5, -1, 1).astype(np.float32)
        binary_rows("soft_margin_loss", "soft_margin_loss", (x, s), lambda: np.mean(np.log1p(np.exp(-s * x))))
        binary_rows("hinge_embedding_loss", "hinge_embedding_loss", (np.abs(x), s),
                    lambda: np.mean(np.where(s == 1, np.abs(x), np.maximum(0, 1 - np.abs(x)))))
        # margin_ranking_loss: scores x against a second set (its own generator), -1/1 targets.
        if hasattr(F, "margin_ranking_loss"):
            x2 = np.random.default_rng(3).standard_normal(n, dtype=np.float32) * 3
            binary_rows("margin_ranking_loss", "margin_ranking_loss", (x, x2, s),
                        lambda: np.mean(np.maximum(0, -s * (x - x2))), differentiable=(0, 1))
        # gaussian_nll_loss: means x, samples x2, variances of the input's shape and one per
        # row of 1024 (torch's (N, 1) var, shared along the last dimension).
        if hasattr(F, "gaussian_nll_loss"):
            var = np.random.default_rng(4).uniform(0.1, 2.0, n).astype(np.float32)
            binary_rows("gaussian_nll_loss", "gaussian_nll_loss var full", (x, x2, var),
                        lambda: np.mean(0.5 * (np.log(np.maximum(var, 1e-6)) + (x - x2) ** 2 / np.maximum(var, 1e-6))),
                        differentiable=(0, 2))
            rows = (x.reshape(1024, -1), x2.reshape(1024, -1), var[:1024].reshape(1024, 1))
            binary_rows("gaussian_nll_loss", "gaussian_nll_loss var per row", rows,
                        lambda: np.mean(0.5 * (np.log(rows[2]) + (rows[0] - rows[1]) ** 2 / rows[2])),
                        differentiable=(0, 2))
        # kl_div of log-probabilities (1024 rows of 1024) from probability targets, per sample
        # (own generators, as above).
        if hasattr(F, "kl_div"):
            logits = np.random.default_rng(5).standard_normal((1024, 1024), dtype=np.float32)
            logp = (logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))).astype(np.float32).reshape(-1)
            q = np.exp(np.random.default_rng(6).standard_normal(n)).astype(np.float32)
            q /= q.sum() / 1024
            binary_rows("kl_div", "kl_div batchmean", (logp, q),
                        lambda: np.sum(np.where(q > 0, q * np.log(q), 0) - q * logp) / 1024, reduction="batchmean")
        # poisson_nll_loss of log-rates for counts.
        if hasattr(F, "poisson_nll_loss"):
            k = np.random.default_rng(7).poisson(3.0, n).astype(np.float32)
            binary_rows("poisson_nll_loss", "poisson_nll_loss", (x * 0.3, k), lambda: np.mean(np.exp(x * 0.3) - k * x * 0.3))

    # --- softmax family -------------------------------------------------------------------------
    def softmax_rows(name, shape, fwd_np, label):
        x = rng.standard_normal(shape, dtype=np.float32) * 2
        c = shape[1]
        t = rng.integers(0, c, size=(shape[0],) + shape[2:])
        if name == "nll_loss":
            x = log_softmax_np(x)
        np_ms = median_ms(lambda: fwd_np(x, t), max(3, repeats // 3)) if fwd_np else None
        torch_fwd_only = torch_grad = None
        if torch:
            xt, tt = T(x), T(t)
            if name == "focal_loss":
                def torch_fwd(xt=xt):
                    lp = TF.log_softmax(xt, 1)
                    return TF.nll_loss((1 - lp.exp()) ** 2 * lp, tt)
            else:
                def torch_fwd(xt=xt):
                    return getattr(TF, name)(xt, tt)

            def torch_fwd_only():
                with torch.no_grad():
                    torch_fwd()

            def torch_grad():
                leaf = T(x).requires_grad_()
                torch_fwd(leaf).backward()
        ours, t_ms = paired_ms(lambda: getattr(F, name)(x, t), torch_fwd_only, repeats)
        table.add(f"{name} fwd f32 {label}", ours, np_ms, t_ms)
        ours, t_grad = paired_ms(lambda: getattr(F, name + "_and_grad")(x, t), torch_grad, repeats)
        table.add(f"{name} value+grad f32 {label}", ours, None, t_grad)

    def ce_np(x, t):
        return -log_softmax_np(x)[np.arange(len(t)), t].mean()

    def focal_np(x, t):
        lp = log_softmax_np(x)[np.arange(len(t)), t]
        return -((1 - np.exp(lp)) ** 2 * lp).mean()

    softmax_rows("cross_entropy", (4096, 1000), ce_np, "4096x1000")
    softmax_rows("focal_loss", (4096, 1000), focal_np, "4096x1000")
    softmax_rows("nll_loss", (4096, 1000), lambda x, t: -x[np.arange(len(t)), t].mean(), "4096x1000")
    softmax_rows("cross_entropy", (64, 10), ce_np, "64x10 (per-call overhead)")
    softmax_rows("cross_entropy", (8, 21, 128, 128), None, "8x21x128x128 (K-dim)")

    # --- row tuples -------------------------------------------------------------------------------
    # (Their own generator: the draws of `rng` decide the later workloads' data, kept as they were.)
    if hasattr(F, "triplet_margin_loss"):
        rows_rng = np.random.default_rng(3)
        a, p, q = (rows_rng.standard_normal((4096, 512), dtype=np.float32) for _ in range(3))
        p = a + 0.1 * p  # positives near their anchors, so that some rows pass the margin

        def triplet_np():
            dp = np.linalg.norm(a - p + 1e-6, axis=1)
            return np.mean(np.maximum(1 + dp - np.linalg.norm(a - q + 1e-6, axis=1), 0))

        torch_fwd = torch_grad = None
        if torch:
            at, pt, qt = T(a), T(p), T(q)

            def torch_fwd():
                with torch.no_grad():
                    TF.triplet_margin_loss(at, pt, qt)

            def torch_grad():
                leaves = [T(v).requires_grad_() for v in (a, p, q)]
                TF.triplet_margin_loss(*leaves).backward()
        ours, t_ms = paired_ms(lambda: F.triplet_margin_loss(a, p, q), torch_fwd, repeats)
        table.add("triplet_margin_loss fwd f32 4096x512", ours, median_ms(triplet_np, max(3, repeats // 3)), t_ms)
        ours, t_ms = paired_ms(lambda: F.triplet_margin_loss_and_grad(a, p, q), torch_grad, repeats)
        table.add("triplet_margin_loss value+grad f32 4096x512", ours, None, t_ms)
        y = np.where(rows_rng.random(4096) < 0.5, -1.0, 1.0).astype(np.float32)

        def cosine_np():
            cos = np.sum(a * q, 1) / np.sqrt((np.sum(a * a, 1) + 1e-12) * (np.sum(q * q, 1) + 1e-12))
            return np.mean(np.where(y == 1, 1 - cos, np.maximum(cos, 0)))

        if torch:
            yt = T(y)

            def torch_fwd():
                with torch.no_grad():
                    TF.cosine_embedding_loss(at, qt, yt)

            def torch_grad():
                leaves = [T(v).requires_grad_() for v in (a, q)]
                TF.cosine_embedding_loss(*leaves, yt).backward()
        ours, t_ms = paired_ms(lambda: F.cosine_embedding_loss(a, q, y), torch_fwd, repeats)
        table.add("cosine_embedding_loss fwd f32 4096x512", ours, median_ms(cosine_np, max(3, repeats // 3)), t_ms)
        ours, t_ms = paired_ms(lambda: F.cosine_embedding_loss_and_grad(a, q, y), torch_grad, repeats)
        table.add("cosine_embedding_loss value+grad f32 4096x512", ours, None, t_ms)

    # --- sequences ------------------------------------------------------------------------------
    # CTC at a speech-sized batch: T=500 frames, N=32, C=80 classes, targets padded to S=100 with
    # lengths 50-100 (its own generator, so the rows above keep their data).
    seq = np.random.default_rng(3)
    frames, batch, classes, padded = 500, 32, 80, 100
    lp = log_softmax_np(seq.standard_normal((frames, batch, classes), dtype=np.float32) * 2)
    targets = seq.integers(1, classes, size=(batch, padded))
    input_lengths = np.full(batch, frames)
    target_lengths = seq.integers(50, padded + 1, size=batch)
    ctc_fwd = ctc_grad = None
    if torch:
        lpt, tt, ilt, tlt = T(lp), T(targets), T(input_lengths), T(target_lengths)

        def ctc_fwd():
            with torch.no_grad():
                TF.ctc_loss(lpt, tt, ilt, tlt)

        def ctc_grad():
            leaf = T(lp).requires_grad_()
            TF.ctc_loss(leaf, tt, ilt, tlt).backward()
    label = f"T={frames} N={batch} C={classes} S={padded}"
    ours, t_ms = paired_ms(lambda: F.ctc_loss(lp, targets, input_lengths, target_lengths), ctc_fwd, repeats)
    table.add(f"ctc_loss fwd f32 {label}", ours, None, t_ms)
    ours, t_ms = paired_ms(lambda: F.ctc_loss_and_grad(lp, targets, input_lengths, target_lengths), ctc_grad,
                           repeats)
    table.add(f"ctc_loss value+grad f32 {label}", ours, None, t_ms)

    # --- class margins (own generator: the draws of `rng` decide the later workloads' data) -----
    mrng = np.random.default_rng(4)
    n, c = 4096, 1000
    x = mrng.standard_normal((n, c), dtype=np.float32)
    index = mrng.integers(0, c, n)
    labels = np.full((n, c), -1, np.int64)  # three labels per row, the list ended by -1
    labels[:, :3] = np.argsort(mrng.random((n, c)), axis=1)[:, :3]
    soft = np.zeros((n, c), np.float32)
    np.put_along_axis(soft, labels[:, :3], 1, axis=1)

    def margin_rows(name, target, fwd_np):
        """Forward and value+grad rows of F.<name>(x, target) against torch's function."""
        torch_fwd = torch_grad = None
        if torch:
            xt, tt = T(x), T(target)

            def torch_fwd():
                with torch.no_grad():
                    getattr(TF, name)(xt, tt)

            def torch_grad():
                leaf = T(x).requires_grad_()
                getattr(TF, name)(leaf, tt).backward()
        np_ms = median_ms(fwd_np, max(3, repeats // 3))
        ours, t_ms = paired_ms(lambda: getattr(F, name)(x, target), torch_fwd, repeats)
        table.add(f"{name} fwd f32 4096x1000", ours, np_ms, t_ms)
        ours, t_ms = paired_ms(lambda: getattr(F, name + "_and_grad")(x, target), torch_grad, repeats)
        table.add(f"{name} value+grad f32 4096x1000", ours, None, t_ms)

    def multi_margin_np():
        z = np.maximum(0, 1 - x[np.arange(n), index][:, None] + x)
        return ((z.sum(axis=1) - 1) / c).mean()  # (the target's own term is max(0, 1) = 1)

    def multilabel_margin_np():
        ys = labels[:, :3]
        others = np.ones((n, c), bool)
        np.put_along_axis(others, ys, False, axis=1)
        z = np.maximum(0, 1 - np.take_along_axis(x, ys, 1)[:, :, None] + x[:, None, :])
        return ((z * others[:, None, :]).sum(axis=(1, 2)) / c).mean()

    def multilabel_soft_margin_np():
        return (np.logaddexp(0, -x) + (1 - soft) * x).mean()

    margin_rows("multi_margin_loss", index, multi_margin_np)
    margin_rows("multilabel_margin_loss", labels, multilabel_margin_np)
    margin_rows("multilabel_soft_margin_loss", soft, multilabel_soft_margin_np)

    if torch:
        training_step_rows(table, repeats)

    # --- determinism and accuracy -----------------------------------------------------------------
    print()
    n = 1 << 24
    x = rng.standard_normal(n, dtype=np.float32)
    y = rng.standard_normal(n, dtype=np.float32)
    reference = np.mean(np.square(x.astype(np.float64) - y.astype(np.float64)))
    losscore.set_num_threads(1)
    one = F.mse_loss(x, y)
    losscore.set_num_threads(0)
    many = F.mse_loss(x, y)
    print(f"mse_loss f32 16M: 1 thread {one!r}, {threads} threads {many!r} -> "
          f"{'bitwise identical' if one.tobytes() == many.tobytes() else 'DIFFERENT'}; "
          f"relative error vs float64 {abs(float(many) - reference) / reference:.2e}")
    if torch:
        torch.set_num_threads(1)
        t_one = TF.mse_loss(T(x), T(y)).item()
        torch.set_num_threads(os.cpu_count() or 1)
        t_many = TF.mse_loss(T(x), T(y)).item()
        print(f"torch    f32 16M: 1 thread {t_one!r}, {torch.get_num_threads()} threads {t_many!r} -> "
              f"{'bitwise identical' if t_one == t_many else 'different'}; "
              f"relative error vs float64 {abs(t_many - reference) / reference:.2e}")


if __name__ == "__main__":
    main()
