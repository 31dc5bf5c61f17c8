#!/usr/bin/env bash
# Today's releases: run every standalone notebook of a built site on the
# notebooks' runtime stack at its newest releases, as Colab and a student's
# fresh install get it, not at the lock's pins. Prints the versions it used
# and each notebook's result; exits 1 if a notebook fails.
#
#   bash tools/latest.sh [_build/html]
#
# A throwaway virtual environment gets requirements-runtime.in's packages
# unpinned, plus what PyTorch needs, from the registry. PyTorch itself is
# the exception: Colab ships its own, and the registry's Linux wheels pull
# gigabytes of CUDA, so torch and torchvision are lent from this Python
# (tools/borrow_torch.py) and the report names their versions. Kernels find
# the course package on PYTHONPATH, so the notebooks' first cell clones
# nothing. Not part of .ci/run: a new release must not block unrelated work.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
site=${1:-_build/html}
shopt -s globstar nullglob
notebooks=("$site"/_sources/**/*.ipynb)
if [ ${#notebooks[@]} -eq 0 ]; then
  echo "latest.sh: no notebooks in $site/_sources: build the book first" \
    "(jupyter-book build . -W -n --keep-going)" >&2
  exit 2
fi

env=$(mktemp -d)
trap 'rm -rf "$env"' EXIT
python3 -m venv "$env/venv"
py=$env/venv/bin/python
site_packages=$("$py" -c \
  "import sysconfig; print(sysconfig.get_path('purelib'))")
torch_needs=$(python3 tools/borrow_torch.py "$env/borrowed")
echo "$env/borrowed" > "$site_packages/borrowed.pth"

# The direct requirements, without their pins.
runtime=$(sed -e 's/#.*//' -e 's/[=<>!~;[ ].*//' -e '/^$/d' \
  requirements-runtime.in)
export PIP_DISABLE_PIP_VERSION_CHECK=1
"$py" -m pip install -q --upgrade pip
# shellcheck disable=SC2086  # one name a word
"$py" -m pip install -q --upgrade $runtime $torch_needs

PYTHONPATH=$repo/code "$py" tools/run_notebooks.py "${notebooks[@]}"
