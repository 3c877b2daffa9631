"""How far the kernel sets' results are from each other and from the reference data.

    .venv/bin/python benchmarks/kernel_sets.py [LIBRARY]   (default .build/release/liblosscore.so)

Runs every case of the committed reference data (bindings/python/tests/data, the cases of
test_reference.py that torch accepts: each loss, and its gradients where it has them) once
per kernel set the library holds and this CPU runs (LOSSCORE_KERNELS, one process each),
then prints, per family and precision (float32 when any operand of the case is):
  differ    how many result entries are not bitwise those of the first set (the highest);
  ulps      the largest difference from the first set's results, in ulps of the largest
            value of the result (a loss, or a gradient array: the scale of its rounding
            errors); a NaN against a number is listed below the table;
  ref SET   each set's largest difference from the reference (torch's value, or the exact
            one), in the same unit, over the entries where both are finite.
A measurement, not a test: test_reference.py decides what is close enough.
"""
from __future__ import annotations

import ctypes
import os
import subprocess
import sys
import tempfile
import warnings
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
SETS = ("avx512", "avx2", "baseline")


def distance(got: np.ndarray, want: np.ndarray, precision: str) -> tuple[float, int]:
    """(the largest |got - want| over the entries that are numbers in both, in ulps of the
    largest |want| of the array (its scale: a sum or a gradient carries errors of that size)
    in `precision` (the case's: float32 if any operand is), and the number of entries that are
    NaN in one only)."""
    got, want = np.atleast_1d(got).ravel(), np.atleast_1d(want).ravel().astype(got.dtype)
    nan_got, nan_want = np.isnan(got), np.isnan(want)
    both = ~nan_got & ~nan_want & np.isfinite(want) & np.isfinite(got)
    if not both.any():
        return 0.0, int((nan_got != nan_want).sum())
    kind = np.dtype(precision).type
    scale = kind(np.abs(want[both]).max())
    if scale < np.finfo(kind).tiny:  # all zero or subnormal: no scale to measure against
        return 0.0, int((nan_got != nan_want).sum())
    ulp = np.spacing(scale)
    error = np.abs(got[both].astype(np.float64) - want[both].astype(np.float64)).max()
    return float(error / ulp), int((nan_got != nan_want).sum())


def dump(out: str) -> None:
    """Every case's results under the current LOSSCORE_KERNELS, into the .npz `out`."""
    sys.path[:0] = [str(ROOT / "bindings" / "python"), str(ROOT / "bindings" / "python" / "tests")]
    import losscore.functional as F
    import test_reference as R
    saved = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for case in R.CASES:
            if case["error"] is not None:
                continue
            args, kwargs = R.call_arguments(case)
            key = f"{case['family']}|{R.precision(case)}|{case['id']}"
            saved[f"{key}|loss"] = np.asarray(getattr(F, case["fn"])(*args, **kwargs))
            if case["expected"]["grads"]:
                go = R.grad_output(case)
                _, grads = getattr(F, case["fn"] + "_and_grad")(*args, **kwargs, **({} if go is None else {"grad_output": go}))
                want = R.results(case, "expected")[1]
                # As test_reference.check_grad: a lone gradient is argument 0's.
                grads = {0: grads} if sorted(want) == [0] and not isinstance(grads, tuple) else \
                    dict(zip(R.gradient_positions(case["fn"]), grads))
                for i in want:
                    saved[f"{key}|grad{i}"] = np.asarray(grads[i])
            _, want_grads = R.results(case, "expected")
            saved[f"{key}|ref|loss"] = np.asarray(R.results(case, "expected")[0])
            for i, want in want_grads.items():
                saved[f"{key}|ref|grad{i}"] = want
    np.savez(out, **saved)


def main() -> None:
    library = Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / ".build" / "release" / "liblosscore.so").resolve()
    info = ctypes.CDLL(str(library)).losscore_build_info
    info.restype = ctypes.c_char_p
    line = info().decode()
    print(line)
    fields = dict(field.split("=", 1) for field in line.split() if "=" in field)
    compiled = fields["compiled"].split(",")
    runs = [s for s in SETS if s in compiled]
    results = {}
    with tempfile.TemporaryDirectory() as work:
        for kernel_set in runs:
            out = os.path.join(work, f"{kernel_set}.npz")
            env = dict(os.environ, LOSSCORE_KERNELS=kernel_set, LOSSCORE_LIBRARY=str(library))
            check = subprocess.run([sys.executable, "-c", "import ctypes, os; f = ctypes.CDLL(os.environ['LOSSCORE_LIBRARY'])"
                                    ".losscore_build_info; f.restype = ctypes.c_char_p; print(f().decode().split()[0])"],
                                   env=env, capture_output=True, text=True, check=True).stdout.strip()
            if check != f"kernels={kernel_set}":
                print(f"{kernel_set}: this CPU runs {check} instead; left out")
                continue
            subprocess.run([sys.executable, __file__, "--dump", out], env=env, check=True)
            with np.load(out) as data:
                results[kernel_set] = {key: data[key] for key in data.files}
    names = list(results)
    first = results[names[0]]
    rows = {}
    for key, value in first.items():
        if "|ref|" in key or value.dtype not in (np.float32, np.float64):
            continue
        family, precision, _, what = key.split("|")
        row = rows.setdefault((family, precision), {"entries": 0, "differ": 0, "ulps": 0, "nan": [],
                                                           "ref": dict.fromkeys(names, 0.0)})
        row["entries"] += value.size
        for other in names[1:]:
            theirs = results[other][key]
            mine, other_bits = (np.atleast_1d(v).ravel() for v in (value, theirs))
            unsigned = np.uint32 if value.dtype == np.float32 else np.uint64
            row["differ"] += int((mine.view(unsigned) != other_bits.view(unsigned)).sum())
            gap, nans = distance(theirs, value, precision)
            row["ulps"] = max(row["ulps"], gap)
            if nans:
                row["nan"].append(f"{key} ({names[0]} vs {other})")
        ref_key = key.replace(f"|{what}", f"|ref|{what}")
        if ref_key in first:
            for name in names:
                if np.shape(results[name][key]) == np.shape(first[ref_key]):
                    row["ref"][name] = max(row["ref"][name], distance(results[name][key], first[ref_key], precision)[0])
    print(f"\nsets: {', '.join(names)} (differ and ulps against {names[0]})\n")
    header = f"{'family':<15}{'precision':<10}{'entries':>9}{'differ':>9}{'ulps':>8}" + "".join(f"{'ref ' + n:>14}" for n in names)
    print(header)
    print("-" * len(header))
    for (family, dtype), row in sorted(rows.items()):
        print(f"{family:<15}{dtype:<10}{row['entries']:>9}{row['differ']:>9}{row['ulps']:>8.1f}"
              + "".join(f"{row['ref'][n]:>14.1f}" for n in names))
    for (family, dtype), row in sorted(rows.items()):
        for what in row["nan"]:
            print(f"NaN in one set only: {what}")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--dump":
        dump(sys.argv[2])
    else:
        main()
