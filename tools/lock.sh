#!/usr/bin/env bash
# Refresh the dependency locks from the direct requirements, with pip-tools:
#   requirements.in          -> requirements.txt          (the whole stack)
#   requirements-runtime.in  -> requirements-runtime.txt  (the notebooks' runtime, no PyTorch)
# Every package, direct and indirect, is pinned exactly with its hashes, so
# `pip install --require-hashes` refuses anything else. Existing pins are kept
# while they still fit (pip-compile's behaviour); pass --upgrade to take the
# newest versions the direct pins allow. The locks are for CPython 3.11 on
# Linux x86-64, the machines that build the book. Run from anywhere:
#   bash tools/lock.sh [--upgrade]
set -euo pipefail
cd "$(dirname "$0")/.."

# pip-tools lives in a throwaway virtual environment, not in the course's stack.
tools=${PIP_TOOLS_VENV:-${TMPDIR:-/tmp}/dlcourse-pip-tools-7.6.2}
if [ ! -x "$tools/bin/pip-compile" ]; then
  python3.11 -m venv "$tools"
  "$tools/bin/pip" install -q pip-tools==7.6.2
fi

# The header of each lock names this script as the command that made it.
export CUSTOM_COMPILE_COMMAND="bash tools/lock.sh"
compile() {
  # --allow-unsafe: setuptools (which torch needs) is locked too, or
  # --require-hashes would refuse to install it.
  "$tools/bin/pip-compile" --quiet --generate-hashes --allow-unsafe \
    --strip-extras --no-emit-index-url --no-emit-find-links "$@"
}
compile "$@" --output-file requirements.txt requirements.in
# The runtime set takes exactly the versions of requirements.txt.
compile "$@" --constraint requirements.txt \
  --output-file requirements-runtime.txt requirements-runtime.in
