"""Make the branch that Binder and Colab open: the repository plus notebooks.

Run after the book is built, in the repository:

    python .github/notebook_branch.py _build/html/_sources notebooks

Every ``.ipynb`` under the first folder (the chapters' standalone notebooks,
as the download menu offers them) is added, at the same path, to a copy of
the commit checked out (``HEAD``), and the branch is set to that new commit,
whose parent is ``HEAD``. The working tree and the index are left alone;
the publishing workflow then force-pushes the branch.
"""

import os
import subprocess
import sys
import tempfile
from pathlib import Path


def git(*args: str, env: dict | None = None) -> str:
    """Run git in the current repository; its output, stripped."""
    return subprocess.run(
        ["git", *args],
        check=True,
        capture_output=True,
        text=True,
        env=env,
    ).stdout.strip()


def notebook_branch(sources: Path, branch: str) -> str:
    """Commit HEAD's tree plus the notebooks under ``sources`` on ``branch``."""
    notebooks = sorted(sources.rglob("*.ipynb"))
    if not notebooks:
        raise SystemExit(
            f"notebook_branch: no .ipynb under {sources}; build the book "
            "first (jupyter-book build .)."
        )
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "GIT_INDEX_FILE": str(Path(tmp) / "index")}
        git("read-tree", "HEAD", env=env)
        for path in notebooks:
            blob = git("hash-object", "-w", str(path))
            where = path.relative_to(sources).as_posix()
            git(
                "update-index",
                "--add",
                "--cacheinfo",
                f"100644,{blob},{where}",
                env=env,
            )
        tree = git("write-tree", env=env)
    head = git("rev-parse", "HEAD")
    commit = git(
        "commit-tree",
        tree,
        "-p",
        head,
        "-m",
        f"The chapters' standalone notebooks, built from {head[:12]}",
    )
    git("update-ref", f"refs/heads/{branch}", commit)
    return commit


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    print(notebook_branch(Path(sys.argv[1]), sys.argv[2]))
