"""What the tests share: the repository, a strict build of the book or of a
throwaway copy of it, and reading the built pages."""

import shutil
import subprocess
from pathlib import Path

from bs4 import BeautifulSoup

from coursesite import book

REPO = Path(__file__).resolve().parents[1]
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
    source: Path, output: Path, *extra: str
) -> subprocess.CompletedProcess:
    """Run the strict build the README documents, writing into
    ``output``."""
    return subprocess.run(
        [*book.build_command(source, output), *extra],
        capture_output=True,
        text=True,
    )


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


def toc_files() -> list[str]:
    """Every document named in the repository's _toc.yml, root first."""
    return book.toc_files(REPO)


def chapters() -> list[str]:
    """The toc's pages that are notebooks (MyST-NB pages carry a
    kernelspec)."""
    return [
        doc
        for doc in toc_files()
        if "\nkernelspec:" in (REPO / f"{doc}.md").read_text()
    ]


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
