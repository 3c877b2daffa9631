"""Two builds of liblosscore in one process, workload by workload: the losscore package is
loaded twice, once over each library (two copies of the library coexist: each has its own
Swift runtime and worker threads), and each workload is timed in alternating blocks of
calls, A then B, so that both see the same machine state (a shared machine's load drifts
over seconds). Between blocks the process sleeps 2 ms: the other copy's workers, which poll
for about 0.2 ms after a call, are asleep by then.

    .venv/bin/python benchmarks/compare.py A.so B.so [--rounds 15] [--match REGEX]

Prints, per workload, each library's median time per call (ms) with the range of its
block medians, and B's relative to A's: of the medians, and of the fastest blocks (on a
machine shared with other work, the fastest block is the one that had the cores to itself,
and the median moves with the others' load). The workloads are rows of bench.py, a few per
family, float32; --threads sets both libraries' thread count (default: theirs).
"""
from __future__ import annotations

import argparse
import importlib.util
import os
import re
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
import numpy as np  # noqa: E402

PACKAGE = Path(__file__).resolve().parents[1] / "bindings" / "python" / "losscore"


def load(name: str, library: str):
    """The losscore package as module `name`, over `library`."""
    os.environ["LOSSCORE_LIBRARY"] = str(Path(library).resolve())
    spec = importlib.util.spec_from_file_location(name, PACKAGE / "__init__.py",
                                                  submodule_search_locations=[str(PACKAGE)])
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module.functional


def workloads():
    """(name, call(F)) pairs: bench.py's data shapes."""
    rng = np.random.default_rng(0)
    n = 1 << 20
    x = rng.standard_normal(n, dtype=np.float32)
    y = rng.standard_normal(n, dtype=np.float32)
    b = (rng.random(n) < 0.5).astype(np.float32)
    p = (1 / (1 + np.exp(-3 * x))).astype(np.float32)
    s = np.where(rng.random(n) < 0.5, -1, 1).astype(np.float32)
    var = rng.uniform(0.1, 2.0, n).astype(np.float32)
    logits = rng.standard_normal((4096, 1000), dtype=np.float32) * 2
    classes = rng.integers(0, 1000, 4096)
    kdim = rng.standard_normal((8, 21, 128, 128), dtype=np.float32) * 2
    kdim_t = rng.integers(0, 21, (8, 128, 128))
    labels = np.full((4096, 1000), -1, np.int64)
    labels[:, :3] = np.argsort(rng.random((4096, 1000)), axis=1)[:, :3]
    soft = np.zeros((4096, 1000), np.float32)
    np.put_along_axis(soft, labels[:, :3], 1, axis=1)
    a, q = (rng.standard_normal((4096, 512), dtype=np.float32) for _ in range(2))
    pos = a + 0.1 * rng.standard_normal((4096, 512), dtype=np.float32)
    t_frames, batch, c_ctc, padded = 500, 32, 80, 100
    lp = rng.standard_normal((t_frames, batch, c_ctc), dtype=np.float32) * 2
    lp = (lp - np.log(np.exp(lp).sum(axis=2, keepdims=True))).astype(np.float32)
    targets = rng.integers(1, c_ctc, (batch, padded))
    in_len, tg_len = np.full(batch, t_frames), rng.integers(50, padded + 1, batch)
    return [
        ("mse_loss fwd 1M", lambda F: F.mse_loss(x, y)),
        ("l1_loss fwd 1M", lambda F: F.l1_loss(x, y)),
        ("mse_loss value+grad 1M", lambda F: F.mse_loss_and_grad(x, y)),
        ("bce_with_logits fwd 1M", lambda F: F.binary_cross_entropy_with_logits(3 * x, b)),
        ("bce_with_logits value+grad 1M", lambda F: F.binary_cross_entropy_with_logits_and_grad(3 * x, b)),
        ("binary_cross_entropy fwd 1M", lambda F: F.binary_cross_entropy(p, b)),
        ("soft_margin_loss fwd 1M", lambda F: F.soft_margin_loss(x, s)),
        ("margin_ranking_loss value+grad 1M", lambda F: F.margin_ranking_loss_and_grad(x, y, s)),
        ("gaussian_nll_loss fwd 1M", lambda F: F.gaussian_nll_loss(x, y, var)),
        ("poisson_nll_loss fwd 1M", lambda F: F.poisson_nll_loss(0.3 * x, np.abs(y))),
        ("cross_entropy fwd 4096x1000", lambda F: F.cross_entropy(logits, classes)),
        ("cross_entropy value+grad 4096x1000", lambda F: F.cross_entropy_and_grad(logits, classes)),
        ("focal_loss fwd 4096x1000", lambda F: F.focal_loss(logits, classes)),
        ("focal_loss value+grad 4096x1000", lambda F: F.focal_loss_and_grad(logits, classes)),
        ("cross_entropy fwd 8x21x128x128 (K-dim)", lambda F: F.cross_entropy(kdim, kdim_t)),
        ("cross_entropy value+grad 8x21x128x128 (K-dim)", lambda F: F.cross_entropy_and_grad(kdim, kdim_t)),
        ("cross_entropy fwd 64x10", lambda F: F.cross_entropy(logits[:64, :10], classes[:64] % 10)),
        ("triplet_margin_loss value+grad 4096x512", lambda F: F.triplet_margin_loss_and_grad(a, pos, q)),
        ("cosine_embedding_loss fwd 4096x512", lambda F: F.cosine_embedding_loss(a, q, s[:4096])),
        ("multi_margin_loss fwd 4096x1000", lambda F: F.multi_margin_loss(logits, classes)),
        ("multilabel_soft_margin_loss fwd 4096x1000", lambda F: F.multilabel_soft_margin_loss(logits, soft)),
        ("ctc_loss fwd T=500 N=32 C=80 S=100", lambda F: F.ctc_loss(lp, targets, in_len, tg_len)),
    ]


def block(call, count: int) -> float:
    """The median time (s) of `count` calls, after one untimed call."""
    call()
    times = []
    for _ in range(count):
        t0 = time.perf_counter()
        call()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("first")
    parser.add_argument("second")
    parser.add_argument("--rounds", type=int, default=15, help="blocks per library and workload")
    parser.add_argument("--calls", type=int, default=9, help="timed calls per block")
    parser.add_argument("--match", default="", help="only the workloads whose name matches")
    parser.add_argument("--threads", type=int, default=0)
    args = parser.parse_args()
    sides = (load("losscore_first", args.first), load("losscore_second", args.second))
    if args.threads:
        for name in ("losscore_first", "losscore_second"):
            sys.modules[name].set_num_threads(args.threads)
    print(f"first: {args.first}\nsecond: {args.second}\n"
          f"{args.rounds} blocks of {args.calls} calls each, alternating; ms per call: median [range of block medians]\n")
    print(f"{'workload':<48}{'first':>26}{'second':>26}{'2nd/1st median':>16}{'fastest':>9}", flush=True)
    for name, work in workloads():
        if not re.search(args.match, name):
            continue
        medians = ([], [])
        for _ in range(args.rounds):
            for F, out in zip(sides, medians):
                time.sleep(0.002)
                out.append(block(lambda: work(F), args.calls) * 1e3)
        cell = lambda v: f"{statistics.median(v):8.3f} [{min(v):.3f}, {max(v):.3f}]"  # noqa: E731
        ratio = statistics.median(medians[1]) / statistics.median(medians[0])
        fastest = min(medians[1]) / min(medians[0])
        print(f"{name:<48}{cell(medians[0]):>26}{cell(medians[1]):>26}{(ratio - 1) * 100:+15.1f}%"
              f"{(fastest - 1) * 100:+8.1f}%", flush=True)


if __name__ == "__main__":
    main()
