"""Binder: the repository's environment files give a CPU PyTorch image with the pinned stack.

``repo2docker --no-build --no-run`` prints the Dockerfile Binder would build, without Docker or a
network; the test checks that it installs our environment files, and that those install CPU-only
PyTorch at the pinned versions, the rest of requirements.txt with the course package, and jupytext
(which opens the chapters' MyST .md files as notebooks from the launch buttons).
"""

import json
import os
import re
import subprocess
import sys

import pytest
import yaml
from helpers import REPO, chapters

BINDER = REPO / "binder"


def pins() -> dict[str, str]:
    """``name -> version`` for every exact pin in requirements.txt."""
    found = {}
    for line in (REPO / "requirements.txt").read_text().splitlines():
        if m := re.match(r"^([A-Za-z0-9_.\-]+)==(\S+)", line.strip()):
            found[m.group(1).lower()] = m.group(2)
    return found


@pytest.fixture(scope="module")
def dockerfile() -> str:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "repo2docker",
            "--no-build",
            "--no-run",
            str(REPO),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


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


def test_binder_postbuild_installs_the_pinned_stack_and_the_package():
    commands = [
        line
        for line in (BINDER / "postBuild").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert (
        "python -m pip install --no-cache-dir -r requirements.txt"
        in commands
    )
    requirements = (REPO / "requirements.txt").read_text().splitlines()
    assert "-e ." in requirements
    assert "jupytext" in pins()


def test_binder_opens_markdown_chapters_as_notebooks(tmp_path):
    """postBuild's jupytext-config line, run here, makes the notebook view the default for .md."""
    line = next(
        line
        for line in (BINDER / "postBuild").read_text().splitlines()
        if line.startswith("jupytext-config ")
    )
    subprocess.run(
        line.split(),
        check=True,
        env={**os.environ, "JUPYTER_CONFIG_DIR": str(tmp_path)},
    )
    overrides = json.loads(
        (
            tmp_path / "labconfig" / "default_setting_overrides.json"
        ).read_text()
    )
    viewers = overrides["@jupyterlab/docmanager-extension:plugin"][
        "defaultViewers"
    ]
    assert viewers["markdown"] == viewers["myst"] == "Jupytext Notebook"


def test_binder_button_opens_each_chapter_as_a_notebook(built_book):
    config = yaml.safe_load((REPO / "_config.yml").read_text())
    repo = config["repository"]["url"].rstrip("/").split("github.com/")[1]
    binder = config["launch_buttons"]["binderhub_url"].rstrip("/")
    assert chapters()
    for doc in chapters():
        page = (built_book / "html" / f"{doc}.html").read_text()
        expected = f"{binder}/v2/gh/{repo}/{config['repository']['branch']}?urlpath=tree/{doc}.md"
        assert f'href="{expected}"' in page, doc
