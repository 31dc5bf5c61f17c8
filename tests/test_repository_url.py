"""Links that work when published: the buttons follow the repository URL.

The publishing workflow sets ``BOOK_REPOSITORY_URL`` from the repository it
runs in; a build with it points every Binder, repository, issue and Live
Code link there, and a local build without it keeps ``_config.yml``'s URL.
"""

import pytest
import yaml
from bs4 import BeautifulSoup
from helpers import REPO, build_book, copy_chapter
from site_theme import REPOSITORY_ENV, repository_url
from sphinx.errors import ConfigError

FORK = "https://github.com/someone-else/their-course"
PLACEHOLDER = yaml.safe_load((REPO / "_config.yml").read_text())[
    "repository"
]["url"]


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
