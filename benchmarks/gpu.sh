#!/usr/bin/env bash
# All the GPU work in one run, for a GPU machine lent for a few minutes:
#   1. the training-loop benchmark on CUDA (DataLoader loop vs tensor loops);
#   2. every cached run retrained on CUDA, into a separate folder.
# Run from the repository root, on a machine with torch, torchvision and tqdm
# (no jupyter-book needed):
#
#   bash benchmarks/gpu.sh OUTPUT_FOLDER
#
# It writes OUTPUT_FOLDER/gpu.log (everything printed) and
# OUTPUT_FOLDER/runs.tar (the new runs/<name>/ folders). Back on the build
# machine: `tar -xf runs.tar` in the repository root replaces runs/, then
# `python -m pytest tests/test_runs.py` checks them and commit.
set -euo pipefail
out=${1:?usage: bash benchmarks/gpu.sh OUTPUT_FOLDER}
mkdir -p "$out"
export PYTHONPATH=code PYTHONUNBUFFERED=1
python -c 'import torch; assert torch.cuda.is_available(), "no CUDA GPU"'
{
  nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv || true
  python -c 'import sys, torch; print("python", sys.version.split()[0], "torch", torch.__version__, "cuda", torch.version.cuda)'
  echo "== training-loop benchmark (cuda)"
  python benchmarks/training_loop.py --device cuda --rounds 20
  echo "== retraining every run (cuda)"
  runs=$(mktemp -d)
  python -m coursesite.runs train all --device cuda --root "$runs/runs"
  tar -C "$runs" -cf "$out/runs.tar" runs
  echo "== done: $out/runs.tar"
} 2>&1 | tee "$out/gpu.log"
