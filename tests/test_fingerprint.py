"""One rule for "changed", the same under every Python the project meets:
the GPU machine runs Python 3.12, CI and this machine 3.11."""

import glob
import json
import os
import subprocess
from pathlib import Path

import pytest

from coursesite import fingerprint
from coursesite.fingerprint import Package, normalised_source

COURSE = Package("dlcourse")
MODULES = {
    f"dlcourse.{p.stem}" if p.stem != "__init__" else "dlcourse"
    for p in COURSE.root.glob("*.py")
}
#: Hashes every course module with the fingerprint module alone (it needs
#: nothing but the standard library), under another interpreter.
HASH_ALL = """
import importlib.util, json, pathlib, sys
spec = importlib.util.spec_from_file_location("fp", sys.argv[1])
fp = importlib.util.module_from_spec(spec)
spec.loader.exec_module(fp)
print(json.dumps({p.name: fp.source_hash(p.read_text())
                  for p in sorted(pathlib.Path(sys.argv[2]).glob("*.py"))}))
"""


def interpreter(version: str) -> str:
    """The pyenv interpreter of a Python version, as this machine has
    them."""
    root = os.environ.get("PYENV_ROOT", str(Path.home() / ".pyenv"))
    found = sorted(glob.glob(f"{root}/versions/{version}.*/bin/python3"))
    assert found, f"no Python {version} under {root}/versions (pyenv)"
    return found[-1]


@pytest.mark.parametrize("version", ["3.11", "3.12", "3.13"])
def test_the_code_hash_is_the_same_under_python(version):
    result = subprocess.run(
        [interpreter(version), "-c", HASH_ALL]
        + [fingerprint.__file__, str(COURSE.root)],
        capture_output=True,
        text=True,
        check=True,
    )
    theirs = json.loads(result.stdout)
    ours = COURSE.fingerprint(MODULES)
    assert {
        f"dlcourse.{name[:-3]}" if name != "__init__.py" else "dlcourse": h
        for name, h in theirs.items()
    } == ours


def test_comments_docstrings_and_layout_do_not_count():
    code = 'def f(x):\n    """Doc."""\n    return g(x, 1)  # note\n'
    same = "def f(x):\n    return g(\n        x, 1\n    )\n"
    assert normalised_source(code) == normalised_source(same)


@pytest.mark.parametrize(
    "edit",
    ["def f(x):\n    return g(x, 2)\n", "def f(y):\n    return g(y, 1)\n"],
)
def test_every_statement_counts(edit):
    code = "def f(x):\n    return g(x, 1)\n"
    assert normalised_source(code) != normalised_source(edit)
