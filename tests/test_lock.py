"""The dependency locks: every package pinned with its hashes.

``requirements.in`` and ``requirements-runtime.in`` list the direct
requirements; ``bash tools/lock.sh`` (pip-tools) locks them into
``requirements.txt`` and ``requirements-runtime.txt``, which the README,
.ci/run, the publishing workflow and Binder install with
``--require-hashes``: pip then refuses any package the lock lacks.
"""

import re
import subprocess
import sys

import pytest
from helpers import REPO, RUNTIME
from packaging.utils import canonicalize_name
from standalone_notebooks import bootstrap_cell

LOCK = "requirements.txt"
#: PyTorch and what only it brings: Binder and Colab have their own.
TORCH = re.compile(r"torch|torchvision|triton|nvidia-.*|cuda-.*")


def direct(name: str) -> dict[str, str]:
    """``name -> version`` of a list of direct requirements and its ``-r``
    includes; each must be pinned exactly."""
    found = {}
    for line in (REPO / name).read_text().splitlines():
        line = line.split("#")[0].strip()
        if line.startswith("-r "):
            found |= direct(line.removeprefix("-r ").strip())
        elif line:
            m = re.fullmatch(r"([A-Za-z0-9_.\-]+)==(\S+)", line)
            assert m, f"{name}: {line!r} is not pinned (NAME==VERSION)"
            found[canonicalize_name(m.group(1))] = m.group(2)
    return found


def entries(name: str) -> dict[str, str]:
    """``name -> its whole entry`` (pin and hashes) of every package of a
    lock, as pip reads it (continued lines joined, comments left out)."""
    text = (REPO / name).read_text().replace("\\\n", " ")
    lines = [line.strip() for line in text.splitlines()]
    return {
        canonicalize_name(line.split("==")[0]): line
        for line in lines
        if line and not line.startswith("#")
    }


def locked(name: str) -> dict[str, tuple[str, set[str]]]:
    """``name -> (version, sha256 hashes)`` of every package of a lock."""
    found = {}
    for package, entry in entries(name).items():
        m = re.fullmatch(
            r"\S+==(\S+)((?:\s+--hash=sha256:[0-9a-f]{64})+)", entry
        )
        assert m, f"{name}: {entry[:80]!r} is not NAME==VERSION --hash=..."
        found[package] = (m.group(1), set(m.group(2).split()))
    return found


def test_every_direct_requirement_is_locked_at_its_version():
    lock = locked(LOCK)
    wanted = direct("requirements.in")
    assert {"torch", "jupyter-book", "myst-nb"} <= wanted.keys()
    assert {
        n: v for n, v in wanted.items() if lock.get(n, ("",))[0] != v
    } == {}
    # and what they bring in: the lock is the whole tree, not the list
    assert len(lock) > 2 * len(wanted)
    assert (
        lock["torch"][0] == "2.14.1" and lock["torchvision"][0] == "0.29.1"
    )


def test_the_runtime_lock_is_the_main_lock_without_pytorch():
    lock, runtime = locked(LOCK), locked(RUNTIME)
    for name, version in direct("requirements-runtime.in").items():
        assert runtime[name][0] == version, name
    for name, (version, hashes) in runtime.items():
        assert lock[name][0] == version and hashes <= lock[name][1], name
    assert not [n for n in runtime if TORCH.fullmatch(n)]
    assert [n for n in lock if TORCH.fullmatch(n)]


def test_every_install_uses_the_locks_with_hashes():
    readme = (REPO / "README.md").read_text()
    install = (
        f"pip install --require-hashes -r {LOCK} && "
        "pip install --no-deps -e ."
    )
    assert install in readme.split("## Quickstart")[1].split("```")[1]
    ci = (REPO / ".ci" / "run").read_text()
    assert f"python -m pip install -q --require-hashes -r {LOCK}" in ci
    assert "python -m pip install -q --no-deps -e ." in ci
    guide = (REPO / "CONTRIBUTING.md").read_text()
    assert "bash tools/lock.sh" in guide
    for name in (LOCK, RUNTIME):
        assert "bash tools/lock.sh" in (REPO / name).read_text()


@pytest.mark.slow
def test_a_package_missing_from_the_lock_is_refused(tmp_path):
    """pytest's entry alone: pip refuses to install what pytest needs."""
    partial = tmp_path / "partial.txt"
    partial.write_text(entries(LOCK)["pytest"] + "\n")
    result = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--dry-run"]
        + ["--ignore-installed", "--require-hashes", "-r", str(partial)],
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    refusal = "In --require-hashes mode, all requirements must have"
    assert refusal in result.stderr, result.stderr[-2000:]
    assert "iniconfig" in result.stderr


def test_colab_installs_the_locked_myst_nb_and_no_pytorch():
    """Colab's first cell adds only MyST-NB, at the runtime lock's
    version."""
    source = bootstrap_cell("https://github.com/o/r", "notebooks").source
    version = locked(RUNTIME)["myst-nb"][0]
    assert f"'myst-nb=={version}'" in source
    assert "torch" not in source
