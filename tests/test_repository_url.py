"""Links that work when published: the buttons follow the repository URL.

The publishing workflow sets ``BOOK_REPOSITORY_URL`` from the repository it
runs in; a build with it points every Binder, repository, issue and Live
Code link there. Without it the clone's GitHub ``origin`` is used, and
without that the buttons are left out: no build links to a placeholder.
"""

import json
import subprocess

import nbformat
import pytest
import yaml
from bs4 import BeautifulSoup
from helpers import REPO, build_book, copy_chapter, tool
from site_theme import REPOSITORY_ENV, origin_url, repository_url
from slides import rebase_links
from sphinx.errors import ConfigError
from standalone_notebooks import CHECK, CHECK_NOTE
from test_site_links import dead, html_links, notebook_links

book_pdf = tool("book_pdf")

FORK = "https://github.com/someone-else/their-course"
#: The URL _config.yml once held, which every local build linked to.
PLACEHOLDER = "https://github.com/your-org/deep-learning-course"


def repository_links(page: str) -> list[str]:
    """Every link of a page that leads to a repository or to Binder."""
    return [
        a["href"]
        for a in BeautifulSoup(page, "html.parser").select("a[href]")
        if "github.com" in a["href"] or "mybinder.org" in a["href"]
    ]


def test_the_workflow_sets_the_url_from_its_repository():
    steps = yaml.safe_load(
        (REPO / ".github" / "workflows" / "publish.yml").read_text()
    )["jobs"]["build"]["steps"]
    build = next(
        s for s in steps if "jupyter-book build" in s.get("run", "")
    )
    assert build["env"][REPOSITORY_ENV] == (
        "${{ github.server_url }}/${{ github.repository }}"
    )


def test_a_wrong_url_is_refused_with_the_fix():
    assert repository_url({}) is None
    assert repository_url({REPOSITORY_ENV: FORK + "/"}) == FORK
    with pytest.raises(ConfigError, match="https://github.com/OWNER/NAME"):
        repository_url({REPOSITORY_ENV: "someone-else/their-course"})


@pytest.mark.slow
def test_a_build_with_another_url_points_every_button_at_it(tmp_path):
    book = copy_chapter(tmp_path / "src", "perceptrons")
    result = build_book(book, tmp_path / "out", env={REPOSITORY_ENV: FORK})
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr
    page = (
        tmp_path / "out" / "_build" / "html" / "book" / "perceptrons.html"
    ).read_text()
    links = repository_links(page)
    fork = FORK.removeprefix("https://github.com/")
    # Binder, the repository, its issues; thebe's Binder repository too
    assert len(links) >= 3 and all(fork in link for link in links), links
    assert f'repo: "{fork}"' in page
    assert PLACEHOLDER.removeprefix("https://github.com/") not in page


def test_the_config_names_no_repository():
    config = yaml.safe_load((REPO / "_config.yml").read_text())
    assert "url" not in config["repository"]
    assert "your-org" not in (REPO / "_config.yml").read_text()


@pytest.mark.parametrize(
    "remote, url",
    [
        (
            "https://github.com/Alice/dl-course.git",
            "https://github.com/Alice/dl-course",
        ),
        (
            "git@github.com:Alice/dl-course.git",
            "https://github.com/Alice/dl-course",
        ),
        (
            "https://github.com/Alice/dl-course",
            "https://github.com/Alice/dl-course",
        ),
        ("https://gitlab.com/Alice/dl-course.git", None),
        ("/srv/git/dl-course", None),
        (None, None),
    ],
)
def test_the_repository_is_the_clones_github_origin(tmp_path, remote, url):
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    if remote:
        subprocess.run(
            ["git", "-C", str(tmp_path), "remote", "add", "origin", remote],
            check=True,
        )
    assert origin_url(str(tmp_path)) == url


def test_the_pdf_link_appears_once_the_pdf_is_written(tmp_path):
    hidden = (REPO / "_templates" / "book-pdf.html").read_text()
    page = tmp_path / "book" / "page.html"
    page.parent.mkdir()
    page.write_text(f"<nav>{hidden.split('-#}')[1]}</nav>")
    assert "href" in page.read_text()
    assert not BeautifulSoup(page.read_text(), "html.parser").select("a")
    assert book_pdf.link_pdf(tmp_path) == 1
    (link,) = BeautifulSoup(page.read_text(), "html.parser").select("a")
    assert "deep-learning.pdf" in link["href"]


@pytest.mark.slow
def test_a_build_without_a_repository_has_no_repository_links(tmp_path):
    """A copy outside any clone, without BOOK_REPOSITORY_URL: no
    repository, issue, Binder, Colab or PDF link, yet the notebook
    download, whose first cell needs no repository."""
    book = copy_chapter(tmp_path / "src", "perceptrons")
    result = build_book(book, tmp_path / "out", env={REPOSITORY_ENV: ""})
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr
    html = tmp_path / "out" / "_build" / "html"
    page = (html / "book" / "perceptrons.html").read_text()
    assert repository_links(page) == []
    assert "colab.research.google.com" not in page
    assert "your-org" not in page
    soup = BeautifulSoup(page, "html.parser")
    assert not soup.select(f'a[href$="{book_pdf.PDF_NAME}"]')
    (download,) = soup.select('a[href$="perceptrons.ipynb"]')
    notebook = json.loads(
        (html / "book" / download["href"]).resolve().read_text()
    )
    code = [c for c in notebook["cells"] if c["cell_type"] == "code"]
    assert "".join(code[0]["source"]) == CHECK
    # the note before it says what it does
    assert "".join(notebook["cells"][0]["source"]) == CHECK_NOTE
    assert "github" not in json.dumps(notebook)
    # the notebook's and the slides' links into the site, relative, resolve
    notebooks = list((html / "_sources").rglob("*.ipynb"))
    links = {nb: notebook_links(nb) for nb in notebooks}
    assert any(
        link.startswith("../../book/") for link in links[notebooks[0]]
    )
    decks = list((html / "slides").glob("*.html"))
    links.update(
        {
            deck: html_links(deck)
            for deck in decks + [html / "book" / "perceptrons.html"]
        }
    )
    assert decks and dead(html, links) == []
    # a lecture shows no set-up cell
    assert not any("ModuleNotFoundError" in d.read_text() for d in decks)


def test_a_decks_links_start_from_the_decks_folder():
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell(
                "[a](../../book/bibliography.html#id3) "
                "[b](https://example.org/b.html) `net[:-1](inputs)`"
            )
        ]
    )
    rebase_links(nb, "_sources/book", "slides")
    assert nb.cells[0].source == (
        "[a](../book/bibliography.html#id3) "
        "[b](https://example.org/b.html) `net[:-1](inputs)`"
    )


@pytest.mark.slow
def test_live_code_from_a_server_needs_no_repository(tmp_path):
    """An instructor's own Jupyter server: Live Code stays, and still no
    link leads to a repository."""
    book = copy_chapter(tmp_path / "src", "perceptrons")
    config = yaml.safe_load((book / "_config.yml").read_text())
    config["sphinx"]["config"]["live_code_server_url"] = "http://127.0.0.1:8"
    (book / "_config.yml").write_text(yaml.safe_dump(config))
    result = build_book(book, tmp_path / "out", env={REPOSITORY_ENV: ""})
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr
    page = (
        tmp_path / "out" / "_build" / "html" / "book" / "perceptrons.html"
    ).read_text()
    soup = BeautifulSoup(page, "html.parser")
    assert soup.select(".btn-launch-thebe"), "no Live Code button"
    assert "github" not in page.lower()
