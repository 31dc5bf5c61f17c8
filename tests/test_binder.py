"""Binder and Colab: the branch they open, and the image Binder builds from it.

The publishing workflow makes a branch holding the repository plus the chapters'
standalone notebooks (``.github/notebook_branch.py``); here it is made offline in a
local clone. ``repo2docker --no-build --no-run`` prints the Dockerfile Binder would
build from that branch, without Docker or a network; the tests check that it
installs our environment files, and that those install CPU-only PyTorch at the
pinned versions and the notebooks' runtime stack with the course package, not the
book's build and test tools.
"""

import re
import subprocess
import sys

import pytest
import yaml
from helpers import REPO, RUNTIME, branch_name, chapters, git

BINDER = REPO / "binder"
#: The book's build, test and development tools: not in Binder's image.
TOOLS = {
    "jupyter-book",
    "pytest",
    "ruff",
    "playwright",
    "jupyter-repo2docker",
}


def pins(name: str = "requirements.txt") -> dict[str, str]:
    """``name -> version`` for every exact pin in a requirements file."""
    found = {}
    for line in (REPO / name).read_text().splitlines():
        if m := re.match(r"^([A-Za-z0-9_.\-]+)==(\S+)", line.strip()):
            found[m.group(1).lower()] = m.group(2)
    return found


@pytest.mark.slow  # builds the whole book
def test_notebooks_branch_is_the_commit_plus_its_notebooks(
    published, built_book
):
    branch = branch_name()
    head = git(published, "rev-parse", "HEAD")
    assert git(published, "rev-parse", f"{branch}^") == head
    files = set(
        git(published, "ls-tree", "-r", "--name-only", branch).split()
    )
    added = files - set(
        git(published, "ls-tree", "-r", "--name-only", "HEAD").split()
    )
    assert added == {f"{doc}.ipynb" for doc in chapters()}
    for doc in chapters():
        built = (
            built_book / "html" / "_sources" / f"{doc}.ipynb"
        ).read_text()
        assert (
            git(published, "show", f"{branch}:{doc}.ipynb") == built.strip()
        )
    assert git(published, "status", "--porcelain") == ""


def test_workflow_pushes_the_notebooks_branch():
    steps = yaml.safe_load(
        (REPO / ".github" / "workflows" / "publish.yml").read_text()
    )["jobs"]["notebooks"]["steps"]
    run = next(
        s["run"] for s in steps if "notebook_branch.py" in s.get("run", "")
    )
    branch = branch_name()
    assert (
        f"python .github/notebook_branch.py _build/html/_sources {branch}"
        in run
    )
    assert f"git push --force origin {branch}" in run


@pytest.fixture(scope="module")
def dockerfile(published, tmp_path_factory) -> str:
    """The Dockerfile Binder builds from a checkout of the notebooks branch."""
    checkout = tmp_path_factory.mktemp("binder") / "checkout"
    subprocess.run(
        [
            "git",
            "clone",
            "-q",
            "--branch",
            branch_name(),
            str(published),
            str(checkout),
        ],
        check=True,
    )
    assert (checkout / "book" / "perceptrons.ipynb").is_file()
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "repo2docker",
            "--no-build",
            "--no-run",
            str(checkout),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


@pytest.mark.slow  # builds the whole book
def test_binder_image_installs_our_environment_files(dockerfile):
    assert '--file "binder/environment.yml"' in dockerfile
    assert re.search(r"^RUN \./binder/postBuild$", dockerfile, re.M)
    # the repository (and so the course package, data/ and runs/) is in the image before postBuild
    assert dockerfile.index("${REPO_DIR}/\n") < dockerfile.index(
        "./binder/postBuild"
    )


def test_binder_environment_is_cpu_pytorch_at_the_pinned_versions():
    deps = yaml.safe_load((BINDER / "environment.yml").read_text())[
        "dependencies"
    ]
    requirements = pins()
    assert f"pytorch={requirements['torch']}=cpu*" in deps
    assert f"torchvision={requirements['torchvision']}=cpu*" in deps
    python = next(
        d for d in deps if isinstance(d, str) and d.startswith("python=")
    )
    assert (
        python == f"python={sys.version_info.major}.{sys.version_info.minor}"
    )


def test_binder_installs_the_runtime_lock_only():
    commands = [
        line
        for line in (BINDER / "postBuild").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert commands[-2:] == [
        "python -m pip install --no-cache-dir --require-hashes "
        f"-r {RUNTIME}",
        "python -m pip install --no-cache-dir --no-deps -e .",
    ]
    runtime = pins(RUNTIME)
    assert {"myst-nb", "ipykernel", "numpy"} <= runtime.keys()
    assert not TOOLS & runtime.keys()
    # conda's CPU-only PyTorch stays: no torch, nor its CUDA packages
    assert not {
        name
        for name in runtime
        if name in ("torch", "torchvision", "triton")
        or name.startswith(("nvidia-", "cuda-"))
    }
    # requirements.txt locks everything: the runtime and the tools
    assert TOOLS <= pins().keys()
