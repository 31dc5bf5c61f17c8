"""Pages re-execute when the package code they import changes, and only those pages.

The build test works on a throwaway copy of the book and of the package
(imported from the copy through PYTHONPATH, by Sphinx and by the kernels), with
a private two-page toc so that it stays fast.
"""

import shutil
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from helpers import REPO, build_book, copy_book
from stale_pages import data_fingerprint

from coursesite import book
from coursesite.fingerprint import Package, imported_names

FRONT_MATTER = (
    (REPO / "book" / "activations.md").read_text().split("---\n")[1]
)


def page(title: str, code: str) -> str:
    return f"---\n{FRONT_MATTER}---\n\n# {title}\n\n```{{code-cell}} ipython3\n{code}\n```\n"


def write_package(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)


# --- the import analysis, on a small package ------------------------------------


@pytest.fixture
def toy(tmp_path, monkeypatch):
    write_package(
        tmp_path,
        {
            "toy/__init__.py": "",
            "toy/a.py": "from .b import f\n",
            "toy/b.py": "def f():\n    from toy.sub import deep\n",
            "toy/c.py": "import numpy\n",
            "toy/sub/__init__.py": "",
            "toy/sub/deep.py": "from .. import c\n",
        },
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    return Package("toy")


def test_imports_are_followed_through_the_package(toy):
    names = imported_names("import os\nfrom toy.a import g as h\n")
    assert toy.closure(names) == {
        "toy",
        "toy.a",
        "toy.b",
        "toy.sub",
        "toy.sub.deep",
        "toy.c",
    }


def test_unrelated_modules_are_not_dependencies(toy):
    assert toy.closure(imported_names("import toy.c")) == {"toy", "toy.c"}
    assert toy.closure(imported_names("import numpy as np")) == set()


def test_fingerprint_changes_with_the_code_not_its_comments(toy):
    before = toy.fingerprint({"toy.c"})
    (toy.root / "c.py").write_text('"""Docs."""\n\nimport numpy  # edited\n')
    assert toy.fingerprint({"toy.c"}) == before
    (toy.root / "c.py").write_text("import numpy as np\n")
    assert toy.fingerprint({"toy.c"}) != before


def test_data_files_count_by_their_content(tmp_path):
    write_package(
        tmp_path,
        {
            "runs/a/run.json": "{}",
            "runs/b/run.json": "{}",
            "runs/a/weights.pt": "w",
        },
    )
    before = data_fingerprint(tmp_path, ["runs/*/run.json"])
    assert set(before) == {"runs/a/run.json", "runs/b/run.json"}
    (tmp_path / "runs/b/run.json").write_text('{"retrained": true}')
    after = data_fingerprint(tmp_path, ["runs/*/run.json"])
    assert after["runs/b/run.json"] != before["runs/b/run.json"]
    assert after["runs/a/run.json"] == before["runs/a/run.json"]


def test_an_unknown_package_is_a_clear_error():
    with pytest.raises(
        ValueError, match="cannot find the package 'no_such_pkg_xyz'"
    ):
        Package("no_such_pkg_xyz")


# --- the build: change a function, rebuild ---------------------------------------


def cache_records(out: Path) -> dict[str, tuple]:
    """{page name: its jupyter-cache record}; a new record means the page
    was executed again."""
    return book.cache_records(out / "_build")


def output_text(out: Path, doc: str) -> str:
    html = (out / "_build" / "html" / "book" / f"{doc}.html").read_text()
    return " ".join(
        s.get_text()
        for s in BeautifulSoup(html, "html.parser").select(".cell_output")
    )


def build(src: Path, out: Path) -> str:
    result = build_book(src, out)
    log = result.stdout + result.stderr
    assert result.returncode == 0, log[-4000:]
    return log


@pytest.mark.slow
def test_changing_a_module_reexecutes_only_the_pages_importing_it(
    tmp_path, monkeypatch
):
    src = copy_book(tmp_path / "src")
    shutil.copytree(
        REPO / "code",
        src / "code",
        ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"),
    )
    # the site's own scripts (npm ci), as installed
    (src / "node_modules").symlink_to(REPO / "node_modules")
    package = src / "code" / "dlcourse"
    # two new modules of the copied package: the page imports `probe_page`, which imports
    # `probe_core`, which reads a data file (tracked like the runs that coursesite.runs reads)
    write_package(
        package,
        {
            "probe_core.py": "from dlcourse import REPO_ROOT\n\n\ndef word() -> str:\n"
            "    return (REPO_ROOT / 'probe' / 'word.txt').read_text().strip()\n",
            "probe_page.py": "from .probe_core import word\n\n\ndef message() -> str:\n    return f'probe says {word()}'\n",
        },
    )
    write_package(src, {"probe/word.txt": "first\n"})
    config = yaml.safe_load((src / "_config.yml").read_text())
    config["sphinx"]["config"]["stale_pages_data"] = {
        "dlcourse.probe_core": ["probe/*.txt"]
    }
    (src / "_config.yml").write_text(yaml.safe_dump(config))
    (src / "book" / "depends.md").write_text(
        page(
            "Depends",
            "from dlcourse import probe_page\nprint(probe_page.message())",
        )
    )
    (src / "book" / "unrelated.md").write_text(
        page(
            "Unrelated",
            "from dlcourse.activations import sigmoid\nprint(sigmoid(0.0))",
        )
    )
    (src / "_toc.yml").write_text(
        "format: jb-book\nroot: book/depends\nchapters:\n  - file: book/unrelated\n"
    )
    # the build (Sphinx and its kernels) imports the copy, never the installed package
    monkeypatch.setenv("PYTHONPATH", str(src / "code"))
    # the shipped MNIST, which the build prepares before running pages
    # (parallel_execution_prepare), from the repository: the copy has none
    monkeypatch.setenv("DLCOURSE_DATA", str(REPO / "data"))
    out = tmp_path / "out"

    build(src, out)
    first = cache_records(out)
    assert set(first) == {"depends", "unrelated"}
    # only the copy has probe_page
    assert "probe says first" in output_text(out, "depends")
    assert "0.5" in output_text(out, "unrelated")

    log = build(src, out)  # nothing changed: nothing runs
    assert cache_records(out) == first
    assert "[stale_pages]" not in log

    core = package / "probe_core.py"
    # change the function
    core.write_text(core.read_text().replace(".strip()", ".strip().upper()"))
    log = build(src, out)
    now = cache_records(out)
    assert "probe says FIRST" in output_text(out, "depends")
    assert now["depends"] != first["depends"], (
        "the dependent page was not executed again"
    )
    assert now["unrelated"] == first["unrelated"], (
        "an unrelated page was executed again"
    )
    assert (
        "[stale_pages] book/depends: re-executing, changed: dlcourse.probe_core"
        in log
    )
    assert "book/unrelated: re-executing" not in log

    # change the data the module reads
    (src / "probe" / "word.txt").write_text("second\n")
    log = build(src, out)
    assert "probe says SECOND" in output_text(out, "depends")
    assert cache_records(out)["unrelated"] == first["unrelated"]
    assert (
        "[stale_pages] book/depends: re-executing, changed: probe/word.txt"
        in log
    )
