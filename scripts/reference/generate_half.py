#!/usr/bin/env python3
"""Generates torch's 16-bit reference data: every loss's value and gradients computed by torch
on the CPU in float16 and in bfloat16, bindings/python/tests/data/reference_half.npz, read by
bindings/python/tests/test_half.py. torch is needed only here:

    .venv-torch/bin/python scripts/reference/generate_half.py

The calls are the table of bindings/python/tests_torch/cases.py (every loss of the package,
its main options, small tensors; a loss added there is covered here with no edit), each made
in the 16-bit dtype itself (torch draws the data in it), for every reduction the case lists,
with grad_output an array of the 16-bit dtype for 'none', ones for 'mean' and a number exact
in both types otherwise. Where torch's CPU kernels refuse the dtype (their
NotImplementedError), the record says so, with torch's message. The file is deterministic
for a given torch (seeded data).

Format (np.load works without allow_pickle): `index` is UTF-8 JSON as uint8 and `pool_<dtype>`
holds every array of that dtype (uint16: the bit patterns of 16-bit values, int64, float64),
flattened and concatenated; an array reference is [pool dtype, offset, shape, dtype], the
last the array's own dtype ('float16', 'bfloat16', 'int64', 'float64'). index = {"format",
"torch_version", "numpy_version", "records": [...]}, a record:
    id, fn, label, dtype      unique id, the function, the case's label, 'float16' or 'bfloat16'
    args                      the positional arguments: array references or Python numbers
    kwargs, arrays            scalar options (reduction among them), array options (weights)
    grad                      positions of the arguments torch differentiates
    grad_output               null (ones), a number, or an array reference
    error                     null, or {"type", "message"} where torch refused the call
    loss, grads               torch's loss and {"<position>": gradient} (array references)
"""
from __future__ import annotations

import json
import sys
import warnings
from pathlib import Path

import numpy as np
import torch

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(Path(__file__).resolve().parent), str(ROOT / "bindings" / "python"),
                str(ROOT / "bindings" / "python" / "tests_torch")]

import cases  # noqa: E402  (bindings/python/tests_torch: every loss's calls)
from harness import DATA_DIR, Pools, torch_function  # noqa: E402

FORMAT = 1
OUT = DATA_DIR / "reference_half.npz"
DTYPES = {"float16": torch.float16, "bfloat16": torch.bfloat16}
SCALAR_GRAD_OUTPUT = {"sum": 2.5, "batchmean": -1.75}  # exact in float16 and bfloat16


def reference(pools: Pools, value):
    """An array reference: 16-bit tensors as their bits, integers as int64, else float64."""
    if isinstance(value, torch.Tensor):
        value = value.detach()
        if value.dtype in DTYPES.values():
            bits = value.contiguous().view(torch.int16).numpy().view(np.uint16)
            return pools.add(bits) + [str(value.dtype).replace("torch.", "")]
        value = value.numpy()
    value = np.asarray(value)
    value = value.astype(np.int64) if value.dtype.kind in "iub" else value.astype(np.float64)
    return pools.add(value) + [value.dtype.name]


def record(case, dtype_name: str, reduction: str, pools: Pools) -> dict:
    """torch's results of one call, with the call's arguments, as a record."""
    dtype = DTYPES[dtype_name]
    args, kwargs = case.arguments(dtype)
    arrays = {k: v for k, v in kwargs.items() if isinstance(v, torch.Tensor)}
    options = {k: v for k, v in kwargs.items() if k not in arrays}
    options["reduction"] = reduction
    entry = {"id": f"{case!r}/{dtype_name}/{reduction}", "fn": case.name, "label": case.label,
             "dtype": dtype_name, "args": [reference(pools, a) if isinstance(a, torch.Tensor) else a for a in args],
             "kwargs": options, "arrays": {k: reference(pools, v) for k, v in arrays.items()},
             "grad": [i for i in case.grads if isinstance(args[i], torch.Tensor)], "grad_output": None,
             "error": None}
    tensors = [a.detach().clone().requires_grad_(i in entry["grad"]) if isinstance(a, torch.Tensor) else a
               for i, a in enumerate(args)]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            loss = torch_function(case.name)(*tensors, **kwargs, reduction=reduction)
    except (NotImplementedError, RuntimeError) as error:  # torch's CPU has no kernel of this dtype
        entry["error"] = {"type": type(error).__name__, "message": str(error).splitlines()[0]}
        return entry
    entry["loss"] = reference(pools, loss)
    if entry["grad"]:
        if reduction == "none":
            go = (torch.rand(loss.shape, generator=torch.Generator().manual_seed(7)) * 4 - 2).to(loss.dtype)
            entry["grad_output"] = reference(pools, go)
        elif reduction in SCALAR_GRAD_OUTPUT:
            go = torch.tensor(SCALAR_GRAD_OUTPUT[reduction], dtype=loss.dtype)
            entry["grad_output"] = SCALAR_GRAD_OUTPUT[reduction]
        else:
            go = torch.ones_like(loss)
        grads = torch.autograd.grad(loss, [tensors[i] for i in entry["grad"]], grad_outputs=go, allow_unused=True)
        entry["grads"] = {str(i): reference(pools, torch.zeros_like(tensors[i]) if g is None else g)
                          for i, g in zip(entry["grad"], grads)}
    return entry


def main():
    torch.manual_seed(0)
    pools, records, seen = Pools(), [], set()
    for case in cases.CASES:
        for dtype_name in DTYPES:
            for reduction in case.reductions:
                entry = record(case, dtype_name, reduction, pools)
                base, k = entry["id"], 1
                while entry["id"] in seen:
                    k += 1
                    entry["id"] = f"{base}#{k}"
                seen.add(entry["id"])
                records.append(entry)
    index = {"format": FORMAT, "torch_version": torch.__version__, "numpy_version": np.__version__,
             "records": records}
    arrays = pools.arrays()
    arrays["index"] = np.frombuffer(json.dumps(index, separators=(",", ":")).encode("utf-8"), dtype=np.uint8)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(OUT, **arrays)
    refused = sorted({(r["fn"], r["dtype"]) for r in records if r["error"]})
    print(f"wrote {OUT} ({OUT.stat().st_size / 1024:.0f} KiB): {len(records)} calls, torch {torch.__version__}; "
          f"torch refuses: {', '.join(f'{fn} ({dtype})' for fn, dtype in refused) or 'none'}")


if __name__ == "__main__":
    main()
