"""Shared setup of the losscore Python tests.

Puts bindings/python on sys.path so `import losscore` works without installing the package.
The library is found as the package finds it: $LOSSCORE_LIBRARY, else
<repo>/.build/release/liblosscore.so. Run from the repository root:

    scripts/build.sh && python3 -m pytest bindings/python/tests -q
    LOSSCORE_LIBRARY=/path/to/liblosscore.so python3 -m pytest bindings/python/tests -q

torch is never needed: its values live in tests/data/reference_<family>.npz
(regenerate with scripts/reference/generate.py). Shared helpers are in support.py.
"""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

PYTHON_ROOT = Path(__file__).resolve().parents[1]
for _path in (PYTHON_ROOT, Path(__file__).resolve().parent):  # losscore, and the tests' support module
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

try:
    from hypothesis import HealthCheck, Phase, settings

    # No deadlines (timing is not a test here); few, derandomized examples keep the run short
    # and reproducible; no "explain" phase (slow on failures). For a deeper search run
    # `pytest --hypothesis-profile thorough`.
    _common = dict(deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink],
                   suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    settings.register_profile("losscore", max_examples=40, derandomize=True, **_common)
    settings.register_profile("thorough", max_examples=500, **_common)
    settings.load_profile("losscore")
except ImportError:  # hypothesis tests are skipped by their modules
    pass


@pytest.fixture
def restore_threads():
    """Restores the default thread count after a test that changes it."""
    import losscore

    yield losscore
    losscore.set_num_threads(0)
