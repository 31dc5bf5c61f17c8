"""What the tests share: the repository, a strict build of the book or of a
throwaway copy of it, reading the built pages, and the tools under test."""

import importlib.util
import io
import os
import shutil
import subprocess
from functools import cache
from pathlib import Path
from types import ModuleType

import yaml
from bs4 import BeautifulSoup
from sphinx.application import Sphinx
from sphinx.util.docutils import docutils_namespace

from coursesite import book

REPO = Path(__file__).resolve().parents[1]


@cache
def tool(name: str) -> ModuleType:
    """``tools/NAME.py``, loaded from its file to be tested: tools are
    commands, not on any import path (what they share with the tests is in
    ``coursesite``)."""
    path = REPO / "tools" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"tools.{name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


#: What Binder's image installs: the notebooks' runtime stack only.
RUNTIME = "requirements-runtime.txt"
#: The repository the suite's builds publish from (BOOK_REPOSITORY_URL), so
#: that their buttons do not depend on the clone's remote.
TEST_REPOSITORY = "https://github.com/course-team/deep-learning-course"
#: What a copy of the book needs to build (the package is installed from
#: REPO, editable).
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
    """Run the strict build the README documents, writing into ``output``;
    ``env`` adds environment variables (as the publishing workflow does)."""
    return subprocess.run(
        [*book.build_command(source, output), *extra],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
    )


def build_small(src: Path) -> str:
    """Build a small Sphinx project (its own ``conf.py``) in-process,
    strictly, into ``src/_build``; Sphinx's log. The nodes and directives
    its extensions register are forgotten after it, as Sphinx's own test
    fixtures do, so that the next project in the process starts afresh."""
    log = io.StringIO()
    with docutils_namespace():
        Sphinx(
            str(src),
            str(src),
            str(src / "_build"),
            str(src / "_doctree"),
            "html",
            status=log,
            warningiserror=True,
        ).build()
    return log.getvalue()


def copy_book(dest: Path) -> Path:
    """A throwaway copy of the book's sources, for tests that break or edit
    them."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in BOOK_SOURCES:
        src = REPO / name
        if src.is_dir():
            shutil.copytree(src, dest / name)
        else:
            shutil.copy2(src, dest / name)
    return dest


def copy_chapter(dest: Path, chapter: str) -> Path:
    """A copy of the book with one chapter (and the bibliography): seconds
    to build."""
    copy = copy_book(dest)
    # chapters show the package's source with literalinclude
    (copy / "code").symlink_to(REPO / "code")
    (copy / "_toc.yml").write_text(
        f"format: jb-book\nroot: book/{chapter}\n"
        "chapters:\n  - file: book/bibliography\n"
    )
    return copy


def toc_files() -> list[str]:
    """Every document named in the repository's _toc.yml, root first."""
    return book.toc_files(REPO)


def chapters() -> list[str]:
    """The toc's pages that are notebooks (MyST-NB pages carry a
    kernelspec)."""
    return book.chapters(REPO)


def course_chapters() -> list[str]:
    """The chapters of the toc's numbered course part, in order."""
    return book.course_chapters(REPO)


def page(built_book: Path, doc: str) -> BeautifulSoup:
    """A built page, parsed."""
    return BeautifulSoup(
        (built_book / "html" / f"{doc}.html").read_text(), "html.parser"
    )


def prose(soup: BeautifulSoup) -> str:
    """The page's text with whitespace collapsed, to find glued sentences
    in."""
    return " ".join(soup.get_text().split())


def quiz_options(soup: BeautifulSoup) -> list[str]:
    """Every option of the page's quizzes."""
    return [b.get_text() for b in soup.select("button.dl-quiz-option")]


def quiz_answers(soup: BeautifulSoup) -> list[str]:
    """The options the page's quizzes mark correct."""
    return [
        b.get_text()
        for b in soup.select("button.dl-quiz-option[data-correct=true]")
    ]


def executed_images(soup: BeautifulSoup) -> list:
    """Images that cell outputs produced (not logos or static figures)."""
    return [
        img
        for img in soup.select(".cell_output img")
        if "_images/" in img.get("src", "")
    ]


def downloaded(built_book, doc: str):
    """The notebook behind the page's .ipynb download button."""
    soup = BeautifulSoup(
        (built_book / "html" / f"{doc}.html").read_text(), "html.parser"
    )
    links = [
        a["href"]
        for a in soup.select("a[href]")
        if a["href"].endswith(".ipynb") and "://" not in a["href"]
    ]
    assert links, f"{doc}: no .ipynb download on the page"
    path = (built_book / "html" / doc).parent / links[0]
    return path.resolve()


def stdout(nb) -> str:
    return "".join(
        o.get("text", "")
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.outputs
        if o.output_type == "stream" and o.name == "stdout"
    )


#: A git identity for the commits the tests make.
BOT = {
    f"GIT_{who}_{what}": value
    for who in ("AUTHOR", "COMMITTER")
    for what, value in (("NAME", "ci"), ("EMAIL", "ci@localhost"))
}


def git(repo, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(repo), *args],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, **BOT},
    ).stdout.strip()


def branch_name() -> str:
    """The branch the publishing workflow keeps the notebooks on."""
    config = yaml.safe_load((REPO / "_config.yml").read_text())
    return config["sphinx"]["config"]["standalone_notebooks_branch"]
