"""Shared fixtures: building the book costs minutes, so a session builds it once."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tools"))
from book_pdf import print_book  # noqa: E402

#: What a copy of the book needs to build (the package is installed from REPO, editable).
BOOK_SOURCES = (
    "_config.yml",
    "_toc.yml",
    "references.bib",
    "book",
    "_ext",
    "_templates",
)


def build_book(
    source: Path, output: Path, *extra: str, env: dict | None = None
) -> subprocess.CompletedProcess:
    """Run the strict build the README documents, writing into ``output``.

    ``env`` adds environment variables (as the publishing workflow does).
    """
    cmd = [
        sys.executable,
        "-c",
        "from jupyter_book.cli.main import main; main()",
        "build",
        str(source),
        "--path-output",
        str(output),
        "-W",
        "-n",
        "--keep-going",
        *extra,
    ]
    return subprocess.run(
        cmd,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
    )


def copy_book(dest: Path) -> Path:
    """A throwaway copy of the book's sources, for tests that break or edit them."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in BOOK_SOURCES:
        src = REPO / name
        if src.is_dir():
            shutil.copytree(src, dest / name)
        else:
            shutil.copy2(src, dest / name)
    return dest


def copy_chapter(dest: Path, chapter: str) -> Path:
    """A copy of the book with one chapter (and the bibliography): seconds to build."""
    book = copy_book(dest)
    # chapters show the package's source with literalinclude
    (book / "code").symlink_to(REPO / "code")
    (book / "_toc.yml").write_text(
        f"format: jb-book\nroot: book/{chapter}\n"
        "chapters:\n  - file: book/bibliography\n"
    )
    return book


@pytest.fixture(scope="session")
def built_book(tmp_path_factory) -> Path:
    """The whole book built from a clean cache into a temporary folder; returns ``_build``."""
    out = tmp_path_factory.mktemp("book")
    result = build_book(REPO, out)
    log = out / "build.log"
    log.write_text(result.stdout + result.stderr)
    assert result.returncode == 0, (
        f"book build failed (log: {log}):\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
    )
    # as the publishing workflow does: the whole course as a PDF, next to the site
    print_book(out / "_build" / "html")
    return out / "_build"
