#!/usr/bin/env python3
"""Soak test of the Python binding: several threads make mixed calls for a while.

    scripts/soak.py [seconds]        (default 60)

Each worker thread calls every loss (function, _and_grad twin, module) on data of varying
sizes, about a third of the calls bad on purpose (wrong shapes, bad options and reductions,
None and object data, masked arrays, class indices and probabilities the library refuses,
calls too large for memory), while another thread keeps changing the library's thread count.
A good call must succeed and a few fixed calls must keep giving their serial bits; a bad one
must raise ValueError, TypeError or IndexError; anything else is counted as an error.

Pass (exit 0) when there was no error, anonymous RSS (the memory a leak takes; file pages
of code run for the first time are not) grew by at most 1 MB between the start (after a
warm-up) and the end, and no thread leaked: once the workers have joined, the process is
back to the OS threads it had at the start. Expected threads beyond the Python ones: the
library's worker pool, at most (largest thread count set) - 1 threads, started on first use
and kept; and Dispatch threads, used by a call that finds the pool busy, which exit after a
few seconds idle (the end count may wait for them, up to SETTLE seconds).
Uses $LOSSCORE_LIBRARY like the package does.
"""
from __future__ import annotations

import ctypes
import gc
import os
import sys
import threading
import time
import warnings
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bindings" / "python"))

import losscore  # noqa: E402
import losscore.functional as F  # noqa: E402
import losscore.nn as nn  # noqa: E402
from losscore._losses import LOSSES  # noqa: E402

WORKERS = 4
THREAD_COUNTS = (1, 2, 3, 0)
RSS_LIMIT_KB = 1024
SETTLE = 10.0  # seconds to wait for idle Dispatch threads to exit
REFUSALS = (ValueError, TypeError, IndexError)


def status(field: str) -> int:
    """A number from /proc/self/status (VmRSS in kB, Threads)."""
    with open("/proc/self/status") as lines:
        for line in lines:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise KeyError(field)


def _glibc():
    try:
        libc = ctypes.CDLL(None)
        return libc.malloc_trim, libc.mallopt
    except (OSError, AttributeError):  # not glibc: RSS is measured as it is
        return (lambda pad: 0), (lambda option, value: 0)


TRIM, MALLOPT = _glibc()
M_MMAP_THRESHOLD, M_ARENA_MAX = -3, -8


def measure_live_memory():
    """Makes RSS follow live memory rather than the allocator's high-water marks (which move
    by a few MB from run to run): glibc otherwise raises its mmap threshold after each large
    free, so that the buffers of large calls stay resident in the heap once freed, and gives
    each thread an arena of its own, each with its own fragments."""
    MALLOPT(M_MMAP_THRESHOLD, 128 * 1024)
    MALLOPT(M_ARENA_MAX, 1)


def rss_kb() -> tuple:
    """(anonymous RSS, total RSS) in kB once garbage is collected and free heap memory is
    handed back. A leak is anonymous memory; the total also counts the pages of code and
    data files read in when a path runs for the first time (an error message, say)."""
    gc.collect()
    TRIM(0)
    return status("RssAnon"), status("VmRSS")


# --- calls --------------------------------------------------------------------------------------

def data(loss, rng, size: int, dtype):
    """Valid (input, target) of about `size` elements, and any further positional arrays
    (the third operand of a row-tuple loss, or of a loss of three elementwise operands) as a tuple."""
    family = loss.family.name
    if family == "sequences":  # (T, N, C) log-probabilities of up to 256 frames, and the lengths
        frames, classes = int(rng.integers(1, 257)), int(rng.integers(2, 17))
        n = max(1, size // (frames * classes))
        x = rng.normal(size=(frames, n, classes))
        x = (x - np.log(np.exp(x).sum(-1, keepdims=True))).astype(dtype)
        lengths = rng.integers(0, (frames + 1) // 2 + 1, n)
        return x, rng.integers(1, classes, (n, max(1, (frames + 1) // 2))), (np.full(n, frames), lengths)
    if family == "row tuples":
        width = int(rng.integers(1, 40))
        rows = max(1, size // width)
        x, t, *extra = (rng.normal(size=(rows, width)).astype(dtype) for _ in loss.operands)
        if "target" in loss.parameters:  # a pair loss: one target per row, 1 or -1
            extra.append(np.where(rng.random(rows) < 0.5, -1.0, 1.0).astype(dtype))
        return x, t, tuple(extra)
    if loss.three:  # three elementwise operands: the third (values in (0, 1): a valid var) as the further one
        x, t = data_pair(loss, rng, size, dtype)
        return x, t, (rng.uniform(0.05, 0.95, x.shape).astype(dtype),)
    return data_pair(loss, rng, size, dtype) + ((),)


def data_pair(loss, rng, size: int, dtype):
    family = loss.family.name
    if family == "elementwise":
        shape = (size,) if rng.random() < 0.5 else (max(1, size // 16), 16)
        return rng.uniform(0.05, 0.95, shape).astype(dtype), rng.uniform(0.05, 0.95, shape).astype(dtype)
    classes = int(rng.integers(1, 12))
    rows = max(1, size // classes)
    if family == "class rows" and rng.random() < 0.3:
        inner = int(rng.integers(1, 40))
        rows = max(1, rows // inner)
        return rng.normal(size=(rows, classes, inner)).astype(dtype), rng.integers(0, classes, (rows, inner))
    x = rng.normal(size=(rows, classes)).astype(dtype)
    if loss.targets == "labels":  # label rows, each list ended by its first -1
        return x, rng.integers(-1, classes, (rows, classes))
    if loss.targets == "values":
        return x, rng.uniform(0, 1, (rows, classes)).astype(dtype)
    return x, rng.integers(0, classes, rows)


def spoil(loss, rng, x, t, kwargs):
    """One bad variant of a valid call: (x, t, kwargs)."""
    kind = rng.integers(9)
    if kind == 0:
        return x, np.concatenate([t.reshape(-1), t.reshape(-1)[:1]]), kwargs  # wrong shape
    if kind == 1:
        return x, t, {**kwargs, "reduction": "average"}
    if kind == 2 and loss.option_names:
        return x, t, {**kwargs, loss.option_names[int(rng.integers(len(loss.option_names)))]: float("nan")}
    if kind == 3:
        return None, t, kwargs
    if kind == 4:  # (a few elements: a million Python floats would only measure the allocator)
        return x.reshape(-1)[:64].astype(object), t, kwargs
    if kind == 5:
        return np.ma.array(x, mask=x > 0.5), t, kwargs
    if kind == 6 and x.size:  # refused by the library itself: a class index or a probability out of range
        if loss.family.name == "elementwise":
            x = x.copy()
            x.reshape(-1)[int(rng.integers(x.size))] = 1.5
            return x, t, kwargs if loss.name == "binary_cross_entropy" else {**kwargs, "reduction": 7}
        t = t.copy()
        t.reshape(-1)[int(rng.integers(t.size))] = x.shape[1] + 3 if x.ndim > 1 else 99
        return x, t, kwargs
    if kind == 7:  # a call too large for memory, as strides make it
        huge = np.lib.stride_tricks.as_strided(np.zeros(1, x.dtype), (2**40,) + x.shape[1:], (0,) * x.ndim)
        return huge, t, kwargs
    return x.astype(np.complex128), t, kwargs


def one_call(loss, rng, size):
    """Makes one random call; returns 'ok' or 'refused', or raises an unexpected outcome."""
    x, t, extra = data(loss, rng, size, np.float32 if rng.random() < 0.5 else np.float64)
    kwargs = {"reduction": ("none", "mean", "sum")[int(rng.integers(3))]}
    bad = rng.random() < 0.35
    if bad:
        x, t, kwargs = spoil(loss, rng, x, t, kwargs)
    how = rng.integers(3)
    try:
        if how == 1 and loss.family.differentiable:
            getattr(F, loss.name + "_and_grad")(x, t, *extra, **kwargs)
        elif how == 2 and loss.module and set(kwargs) <= set(loss.module_parameters):
            getattr(nn, loss.module)(**kwargs)(x, t, *extra)
        else:
            getattr(F, loss.name)(x, t, *extra, **kwargs)
    except REFUSALS:
        if bad:
            return "refused"
        raise
    return "ok"  # (a spoiling can be valid at the edges: a (1,) input broadcasts with any target)


def fixed_calls():
    """A few large calls whose bits must not change under concurrency: (label, call, bits)."""
    rng = np.random.default_rng(1)
    calls = []
    for loss in LOSSES:
        x, t, extra = data(loss, rng, 1 << 17, np.float64)
        function = getattr(F, loss.name + "_and_grad") if loss.family.differentiable else getattr(F, loss.name)
        call = lambda f=function, x=x, t=t, extra=extra: f(x, t, *extra, reduction="sum")  # noqa: E731
        calls.append((loss.name, call, bits(call())))
    return calls


def bits(result):
    parts = result if isinstance(result, tuple) else (result,)
    return b"".join(bits(p) if isinstance(p, tuple) else np.asarray(p).tobytes() for p in parts)


# --- the run ------------------------------------------------------------------------------------

class Tally:
    def __init__(self):
        self.lock = threading.Lock()
        self.counts = {"ok": 0, "refused": 0, "fixed": 0}
        self.errors = []

    def add(self, key):
        with self.lock:
            self.counts[key] += 1

    def error(self, text):
        with self.lock:
            if len(self.errors) < 20:
                self.errors.append(text)


def worker(seed, until, tally, fixed):
    rng = np.random.default_rng(seed)
    sizes = (0, 1, 7, 1000, 1 << 14, 1 << 17, (1 << 18) + 3)
    while time.monotonic() < until:
        loss = LOSSES[int(rng.integers(len(LOSSES)))]
        try:
            tally.add(one_call(loss, rng, sizes[int(rng.integers(len(sizes)))]))
        except BaseException as error:  # noqa: BLE001 - any other outcome is the error reported
            tally.error(f"{loss.name}: {type(error).__name__}: {error}")
        label, call, expected = fixed[int(rng.integers(len(fixed)))]
        if bits(call()) != expected:
            tally.error(f"{label}: a fixed call's result changed")
        tally.add("fixed")


def thread_changer(until):
    k = 0
    while time.monotonic() < until:
        losscore.set_num_threads(THREAD_COUNTS[k % len(THREAD_COUNTS)])
        k += 1
        time.sleep(0.01)
    losscore.set_num_threads(0)


def run(seconds, tally, fixed, seed):
    """WORKERS callers and one thread-count changer for `seconds`; returns the peak OS threads."""
    until = time.monotonic() + seconds
    threads = [threading.Thread(target=worker, args=(seed + k, until, tally, fixed)) for k in range(WORKERS)]
    threads.append(threading.Thread(target=thread_changer, args=(until,)))
    for thread in threads:
        thread.start()
    peak = 0
    while any(thread.is_alive() for thread in threads):
        peak = max(peak, status("Threads"))
        time.sleep(0.05)
    for thread in threads:
        thread.join()
    return peak


def settle(target: int) -> int:
    """The OS thread count, after waiting (up to SETTLE s) for it to come down to `target`."""
    deadline = time.monotonic() + SETTLE
    while status("Threads") > target and time.monotonic() < deadline:
        time.sleep(0.1)
    return status("Threads")


def main(argv):
    seconds = float(argv[1]) if len(argv) > 1 else 60.0
    warnings.simplefilter("ignore")  # torch's warning that sizes differ, on purpose here
    measure_live_memory()
    before_library = status("Threads")
    fixed = fixed_calls()
    largest = max(max(THREAD_COUNTS), losscore.get_num_threads())
    warm = Tally()
    # The same mix first: the pool's workers, the heap and the caches reach their steady size
    # (a few seconds: every size of every kind of call on every thread).
    run(max(3.0, min(8.0, seconds / 8)), warm, fixed, seed=1000)
    (start_rss, start_total), start_threads, start_python = rss_kb(), status("Threads"), threading.active_count()

    tally = Tally()
    began = time.monotonic()
    peak = run(seconds, tally, fixed, seed=0)
    elapsed = time.monotonic() - began
    end_python = threading.active_count()
    end_threads = settle(start_threads)
    end_rss, end_total = rss_kb()

    growth = end_rss - start_rss
    pool_bound = largest - 1
    leaked = end_threads > start_threads or end_python != start_python
    ok = not tally.errors and not warm.errors and growth <= RSS_LIMIT_KB and not leaked
    counts = tally.counts
    print(f"soak: {elapsed:.1f} s, {WORKERS} callers + 1 thread-count changer, "
          f"{counts['ok']} good calls, {counts['refused']} refused as expected, {counts['fixed']} fixed checks")
    print(f"RSS, anonymous: {start_rss} kB at start, {end_rss} kB at end, growth {growth:+d} kB "
          f"(limit {RSS_LIMIT_KB} kB); in all: {start_total} -> {end_total} kB ({end_total - start_total:+d} kB)")
    print(f"Python threads: {start_python} at start, {end_python} at end")
    print(f"OS threads: {before_library} before the library, {start_threads} at start, peak {peak} "
          f"(with the callers), {end_threads} at end; library pool at most {pool_bound} threads")
    for error in warm.errors + tally.errors:
        print(f"error: {error}")
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
