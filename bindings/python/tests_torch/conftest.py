"""Setup of the optional tests of losscore.torch, which need torch (run them with
scripts/test_torch.sh; the main suite, bindings/python/tests, never imports torch).

Puts bindings/python and this folder on sys.path; the library is found as the package finds it.
"""
from __future__ import annotations

import sys
from pathlib import Path

for _path in (Path(__file__).resolve().parents[1], Path(__file__).resolve().parent):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

try:
    import torch  # noqa: F401
except ImportError:  # collected without torch (e.g. `pytest bindings/python`): nothing to run
    collect_ignore_glob = ["*.py"]
