#!/usr/bin/env python3
"""Generates LossCore's reference data: torch's values and autograd gradients for every case of
every loss, one file per driver family, bindings/python/tests/data/reference_<family>.npz,
read by bindings/python/tests/test_reference.py. torch is needed only here, never by the
tests or CI:

    python3 -m venv .venv-torch && .venv-torch/bin/pip install numpy torch
    .venv-torch/bin/python scripts/reference/generate.py [family ...]

The files are deterministic for a given torch: every block of cases draws from a seeded
stream (harness.PerBlock, harness.Shared). Commit a regenerated file with the case change.

Adding a loss's reference cases: a block (a generator function yielding harness.Case) in the
cases module of its family, decorated with that module's stream; a loss torch does not have
also needs its torch definition in torch_losses.TORCH_IMPLS. Then an entry in the LOSSES
table of test_reference.py. torch's answers on the family's special-value units (its cases
module's SPECIAL_UNITS: NaN, +-Inf, out-of-range data) follow for every loss with cases.

Format (np.load works without allow_pickle): `index` is UTF-8 JSON as uint8 and `pool_<dtype>`
holds every array of that dtype, flattened and concatenated; an array reference is
[dtype, offset, shape]. index = {"format", "family", "torch_version", "numpy_version",
"signatures" (torch's parameters of the functions and modules), "cases": [...]}, a case:
    id, block, group, fn     unique id, the block that made it, what it covers, the function
    args, kwargs, arrays     the call: positional arrays, scalar options, array options
    grad_output              null (torch's default, ones), a number, or an array reference
    compute                  'native' (torch in the arguments' dtypes) or 'float64' (widened first)
    source                   'torch', or 'mpmath' (exact; torch's own result is in `torch`)
    expected                 {"loss": ref, "grads": {"<arg position>": ref}} in the dtypes LossCore
                             returns (the loss: torch's result dtype; a gradient: its argument's)
    native, torch            optional, like `expected`: torch in the arguments' own dtypes; torch's
                             result where the expected values are not torch's
    flags                    'finite' (LossCore's results are finite), 'where_torch_finite'
    warnings, error          torch's warnings; null or {"type", "message"} when torch refused
"specials": a record like a case's for every loss of `cases` on each special-value unit alone
(reduction 'none', float64, grad_output null: the gradient is d(sum of losses)/d input), plus
    unit                     the unit's position in SPECIAL_UNITS (its name in the tests)
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import cases_class_margins  # noqa: E402
import cases_class_rows  # noqa: E402
import cases_elementwise  # noqa: E402
import cases_metrics  # noqa: E402
import cases_row_tuples  # noqa: E402
import cases_sequences  # noqa: E402
import torch_losses  # noqa: E402
from harness import DATA_DIR, generate  # noqa: E402

FAMILIES = {
    "elementwise": cases_elementwise,
    "class_rows": cases_class_rows,
    "sequences": cases_sequences,
    "class_margins": cases_class_margins,
    "metrics": cases_metrics,
    "row_tuples": cases_row_tuples,
}


def main(names):
    for name in names or FAMILIES:
        module = FAMILIES[name]
        out = DATA_DIR / f"reference_{name}.npz"
        index = generate(name, module.BLOCKS, out, modules=module.MODULES,
                         header={"sigmoid_focal_loss_source": torch_losses.SIGMOID_FOCAL_SOURCE},
                         units=module.SPECIAL_UNITS, unit_args=getattr(module, "UNIT_ARGS", None))
        cases, specials = index["cases"], index["specials"]
        refused = sum(c["error"] is not None for c in cases)
        print(f"wrote {out} ({out.stat().st_size / 1024:.0f} KiB): {len(cases)} cases "
              f"({refused} refused by torch), {len(specials)} special-value records, "
              f"torch {index['torch_version']}")


if __name__ == "__main__":
    main(sys.argv[1:])
