"""Python threads calling LossCore at once (ctypes releases the GIL during each call).

Contract: a call made concurrently with others, while another thread changes the thread
count, returns the bits the same call returns alone; a failing call's exception text is that
call's own, whatever other threads do meanwhile (the library keeps its last error per thread);
a long mixed run leaks neither memory nor threads (scripts/soak.py, run briefly here).
"""
from __future__ import annotations

import subprocess
import sys
import threading
import warnings
from pathlib import Path

import numpy as np
import pytest

import losscore
import losscore.functional as F
import losscore.nn as nn
from losscore import _ffi
from losscore._losses import LOSSES

REPO = Path(__file__).resolve().parents[3]
SIZE = 1 << 17  # past the library's threshold for splitting a call over its threads
THREAD_COUNTS = (1, 2, 3, 0)


def arrays(loss, rng, dtype, batched=False):
    """Valid positional arrays of `loss` (input and target, or its operands) with about SIZE
    elements or more."""
    family = loss.family.name
    if family == "row tuples":
        shape = (SIZE // 64, 4, 16) if batched else (SIZE // 32 + 1, 32)
        if batched and "target" in loss.parameters:  # a pair loss's rows are 2-D: other rows
            shape = (SIZE // 16 + 3, 16)
        operands = tuple(rng.normal(size=shape).astype(dtype) for _ in loss.operands)
        if "target" in loss.parameters:  # a pair loss: one target per row, 1 or -1
            operands += (np.where(rng.random(shape[0]) < 0.5, -1.0, 1.0).astype(dtype),)
        return operands
    if family == "sequences":  # (T, N, C) log-probabilities; an unbatched (T, C) input
        t, n, c = (256, 8, 64) if batched else (2048, 1, 64)
        x = rng.normal(size=(t, n, c))
        x = (x - np.log(np.exp(x).sum(-1, keepdims=True))).astype(dtype)
        lengths = rng.integers(t // 4, t // 2, n)
        targets = rng.integers(1, c, (n, t // 2))
        if batched:
            return x, targets, np.full(n, t), lengths
        return x[:, 0], targets[0, :lengths[0]], np.array(t), lengths[0]
    if family == "elementwise":  # input and target (or three elementwise operands)
        shape = (64, SIZE // 64 + 5) if batched else (SIZE + 3,)
        return tuple(rng.uniform(0.05, 0.95, shape).astype(dtype) for _ in loss.names)
    if family == "class rows":
        shape = (16, 10, SIZE // 128 + 1) if batched else (SIZE // 8, 10)
        target_shape = shape[:1] + shape[2:]
        return rng.normal(size=shape).astype(dtype), rng.integers(0, 10, target_shape)
    rows = SIZE // 4 if batched else SIZE // 8
    x = rng.normal(size=(rows, 8)).astype(dtype)
    if loss.targets == "labels":  # label rows: each list ends at its first -1
        return x, rng.integers(-1, 8, (rows, 8))
    if loss.targets == "values":
        return x, rng.uniform(0, 1, (rows, 8)).astype(dtype)
    return x, rng.integers(0, 8, rows)


def workload(seed=0):
    """(label, call) for every loss: both dtypes, two layouts, every reduction, the function,
    its twin (with a grad_output) and the module."""
    rng = np.random.default_rng(seed)
    jobs = []
    for loss in LOSSES:
        for dtype in (np.float32, np.float64):
            for batched in (False, True):
                args = arrays(loss, rng, dtype, batched)
                for reduction in ("none", "mean", "sum"):
                    label = f"{loss.name} {np.dtype(dtype)} {args[0].shape} {reduction}"
                    function = getattr(F, loss.name)
                    jobs.append((label, lambda f=function, a=args, r=reduction: f(*a, reduction=r)))
                    if loss.family.differentiable:
                        twin = getattr(F, loss.name + "_and_grad")
                        go = 0.5 if reduction != "none" else np.full(np.shape(function(*args, reduction="none")), 0.5)
                        jobs.append((label + " and grad",
                                     lambda f=twin, a=args, r=reduction, go=go: f(*a, reduction=r, grad_output=go)))
                    if loss.module and "reduction" in loss.module_parameters:
                        module = getattr(nn, loss.module)(reduction=reduction)
                        jobs.append((label + " module", lambda m=module, a=args: m(*a)))
    return jobs


def bits(result):
    parts = result if isinstance(result, tuple) else (result,)
    return tuple(bits(p) if isinstance(p, tuple) else (np.asarray(p).dtype, np.shape(p), np.asarray(p).tobytes())
                 for p in parts)


def run_threads(bodies):
    """Runs each body on its own thread, all released at once; returns the exceptions raised."""
    start = threading.Barrier(len(bodies))
    errors = []

    def wrapped(body):
        try:
            start.wait()
            body()
        except BaseException as error:  # noqa: BLE001 - reported by the caller
            errors.append(error)

    threads = [threading.Thread(target=wrapped, args=(body,)) for body in bodies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a thread did not finish"
    return errors


def changing_thread_count(stop: threading.Event):
    """A body that keeps changing the library's thread count until `stop` is set."""
    def body():
        k = 0
        while not stop.wait(0.002):
            losscore.set_num_threads(THREAD_COUNTS[k % len(THREAD_COUNTS)])
            k += 1
    return body


def test_concurrent_calls_give_the_serial_bits(restore_threads):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        jobs = workload()
        serial = {label: bits(call()) for label, call in jobs}
        stop = threading.Event()
        mismatches = []

        def caller(k):
            def body():
                order = np.random.default_rng(k).permutation(len(jobs))
                try:
                    for i in np.concatenate([order, order[::-1]]):
                        label, call = jobs[i]
                        if bits(call()) != serial[label]:
                            mismatches.append(f"thread {k}: {label}")
                finally:
                    if k == 0:
                        stop.set()
            return body

        errors = run_threads([caller(k) for k in range(4)] + [changing_thread_count(stop)])
    assert not errors, errors
    assert not mismatches, f"{len(mismatches)} results differ from the serial ones: {mismatches[:5]}"


def failing_calls():
    """Calls the library itself refuses (the binding does not check these values), each with a
    message of its own: a class index out of range, a probability outside [0, 1]."""
    x = np.zeros((SIZE // 8, 10))
    calls = []
    for k in range(3):
        t = np.zeros(SIZE // 8, np.int64)
        t[1000 * k + 7] = 10 + k
        calls.append(lambda t=t: F.nll_loss(x, t, reduction="sum"))
        p = np.full(SIZE + k, 0.5)
        p[2000 * k + 3] = 1.5 + k
        calls.append(lambda p=p: F.binary_cross_entropy(p, np.full(p.shape, 0.5)))
    return calls


def message_of(call):
    """The type and text of the exception `call` raises."""
    with pytest.raises((ValueError, IndexError)) as info:
        call()
    return f"{info.type.__name__}: {info.value}"


def test_each_thread_gets_its_own_error_message(restore_threads):
    failing = failing_calls()
    expected = [message_of(call) for call in failing]
    assert len(set(expected)) == len(expected)
    x, t = arrays(LOSSES[0], np.random.default_rng(1), np.float64)
    good = F.l1_loss_and_grad(x, t, reduction="none")
    stop = threading.Event()
    wrong = []

    def failer(k):
        def body():
            for _ in range(60):
                got = message_of(failing[k])
                if got != expected[k]:
                    wrong.append(f"call {k} raised {got!r}, alone it raises {expected[k]!r}")
        return body

    def succeeder():
        for _ in range(60):
            if bits(F.l1_loss_and_grad(x, t, reduction="none")) != bits(good):
                wrong.append("a successful call's result changed")
            if _ffi.losscore_last_error() != b"":
                wrong.append(f"after a success this thread's last error is {_ffi.losscore_last_error()!r}")

    def stopping(body):
        def run():
            try:
                body()
            finally:
                stop.set()
        return run

    errors = run_threads([failer(k) for k in range(len(failing))] + [stopping(succeeder), succeeder,
                                                                     changing_thread_count(stop)])
    assert not errors, errors
    assert not wrong, wrong[:5]


def test_a_short_soak_passes():
    """scripts/soak.py for a few seconds: mixed good and bad calls on several threads, then
    RSS and thread counts back where they started."""
    result = subprocess.run([sys.executable, str(REPO / "scripts" / "soak.py"), "4"], capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "PASS" in result.stdout, result.stdout
