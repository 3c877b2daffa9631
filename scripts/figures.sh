#!/usr/bin/env bash
# Draws the pictures of docs/figures from LossCore's own values: the losses and their
# gradients (examples/figures/draw.py) and a training run's curves and table
# (examples/training/train.py). Needs the library (scripts/build.sh, run here if missing) and
# matplotlib in .venv (scripts/setup.sh, run here).
#   scripts/figures.sh            writes docs/figures/*.png
#   scripts/figures.sh OUT_DIR    writes them into OUT_DIR instead
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-docs/figures}

scripts/setup.sh >&2
[ -f .build/release/liblosscore.so ] || scripts/build.sh >&2
.venv/bin/python examples/figures/draw.py --out "$out"
.venv/bin/python examples/training/train.py --out "$out"
