"""No dead link in the built site: its pages, slides and notebooks.

Checked offline on the suite's build: every link that stays inside the site
(relative, or to the published site's address) must lead to a file of the
build, and its ``#fragment`` to an element of that page. External links are
the weekly link check's (``.github/workflows/weekly.yml``).
"""

import json
import re
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup
from helpers import TEST_REPOSITORY, chapters, tool
from standalone_notebooks import site_url

book_pdf = tool("book_pdf")

pytestmark = pytest.mark.slow

#: The published site's address (the suite builds for TEST_REPOSITORY).
SITE = site_url(TEST_REPOSITORY)
#: The attributes that name another file or a place in one.
LINKING = {"a": "href", "link": "href", "img": "src", "script": "src"}
#: A Markdown link or image in a notebook: [text](target)
MARKDOWN_LINK = re.compile(r"\]\(([^)\s]+)\)")
#: Fenced code and inline code, whose brackets are no links.
CODE = re.compile(r"(`{3,}).*?\1|`[^`]*`", re.S)


def html_links(page: Path) -> list[str]:
    """Every address a built page links to or loads."""
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    return [
        tag[attr]
        for name, attr in LINKING.items()
        for tag in soup.find_all(name)
        if tag.get(attr)
    ]


def notebook_links(notebook: Path) -> list[str]:
    """Every address in a notebook's Markdown cells."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    return [
        target
        for cell in cells
        if cell["cell_type"] == "markdown"
        for target in MARKDOWN_LINK.findall(
            CODE.sub("", "".join(cell["source"]))
        )
    ]


#: What :func:`internal` answers for a relative link that climbs out of
#: the site: it leads nowhere.
OUTSIDE = "\0outside the site"


def internal(link: str, where: str) -> str | None:
    """``link`` (found at ``where``, a URL) as the site's ``path#fragment``;
    None for another site, a data URI or a script."""
    url = urljoin(where, link)
    if url.startswith(SITE):
        return unquote(url.removeprefix(SITE))
    if urlsplit(link).scheme or link.startswith("//"):
        return None
    return OUTSIDE


def ids(page: Path, cache: dict) -> set[str]:
    """The ids a built page can be linked to."""
    if page not in cache:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        cache[page] = {tag["id"] for tag in soup.find_all(id=True)} | {
            tag["name"] for tag in soup.find_all("a", attrs={"name": True})
        }
    return cache[page]


def dead(html: Path, found: dict[Path, list[str]]) -> list[str]:
    """The links of ``found`` ({file: links}) that lead nowhere."""
    broken, cache = [], {}
    for source, links in found.items():
        where = SITE + source.relative_to(html).as_posix()
        for link in links:
            target = internal(link, where)
            if target is None:
                continue
            if target == OUTSIDE:
                broken.append(f"{source.relative_to(html)}: {link}")
                continue
            path = urlsplit(target).path
            file = html / path
            if path.endswith("/") or not path:
                file = file / "index.html"
            fragment = urlsplit(target).fragment
            if not file.is_file():
                broken.append(f"{source.relative_to(html)}: {link}")
            elif fragment and file.suffix == ".html":
                if fragment not in ids(file, cache):
                    broken.append(f"{source.relative_to(html)}: {link}")
    return broken


@pytest.fixture(scope="module")
def html(built_book) -> Path:
    return built_book / "html"


def test_every_page_and_deck_links_only_to_what_the_site_has(html):
    # _static holds the theme's templates, not pages
    pages = sorted(
        set(html.rglob("*.html")) - set(html.glob("_static/**/*"))
    )
    assert any(p.parts[-2] == "slides" for p in pages), "no slides built"
    found = {page: html_links(page) for page in pages}
    assert sum(map(len, found.values())) > 500
    assert dead(html, found) == []


def test_every_notebook_links_only_to_what_the_site_has(html):
    notebooks = sorted((html / "_sources").rglob("*.ipynb"))
    made = {
        nb.relative_to(html / "_sources").with_suffix("").as_posix()
        for nb in notebooks
    }
    assert made == set(chapters())
    found = {nb: notebook_links(nb) for nb in notebooks}
    # links to the site's pages, written as the published site's address
    assert any(
        link.startswith(SITE) for links in found.values() for link in links
    )
    assert dead(html, found) == []


def test_every_page_links_to_the_pdf_that_is_there(html):
    assert (html / book_pdf.PDF_NAME).is_file()
    page = (html / "book" / "perceptrons.html").read_text()
    assert f'href="../{book_pdf.PDF_NAME}"' in page
    assert "<!--book-pdf-link" not in page
