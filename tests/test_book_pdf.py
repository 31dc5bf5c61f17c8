"""The whole course as one PDF, printed from the built site (tools/book_pdf.py).

The session's build prints it as the publishing workflow does; the PDF must
hold every chapter of the table of contents, in order, with its figures and
its maths typeset.
"""

import re

import pytest
from bs4 import BeautifulSoup
from helpers import tool
from pypdf import PdfReader

pytestmark = pytest.mark.slow


def chapter_titles(html) -> list[str]:
    """The titles of the sidebar's pages, in the table of contents' order."""
    page = BeautifulSoup(
        (html / "book" / "index.html").read_text(), "html.parser"
    )
    return [
        a.get_text(" ", strip=True)
        for a in page.select(".bd-sidebar-primary nav a.reference.internal")
    ]


def squeeze(text: str) -> str:
    """``text`` without white space: a PDF may drop the space at a line break."""
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def pdf(built_book) -> PdfReader:
    return PdfReader(built_book / "html" / tool("book_pdf").PDF_NAME)


def test_the_pdf_holds_every_chapter_in_order(built_book, pdf):
    """The PDF's bookmarks list every chapter's title, in the contents' order."""
    titles = chapter_titles(built_book / "html")
    assert len(titles) >= 10, titles
    chapters = [
        squeeze(entry.title)
        for entry in pdf.outline
        if not isinstance(entry, list)  # a nested list holds sections
    ]
    assert chapters == [squeeze(title) for title in titles]
    text = squeeze(" ".join(page.extract_text() for page in pdf.pages))
    assert all(squeeze(title) in text for title in titles)
    assert len(pdf.pages) >= 3 * len(titles)


def test_the_pdf_has_the_figures_and_typeset_maths(pdf):
    images = sum(len(page.images) for page in pdf.pages)
    assert images >= 20, f"{images} images in the PDF"
    text = " ".join(page.extract_text() for page in pdf.pages)
    # maths left to a script would show as \(...\); the build typesets it (KaTeX)
    assert "\\(" not in text, "maths left untypeset"
    assert "σ" in text
