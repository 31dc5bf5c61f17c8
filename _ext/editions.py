"""Editions: a permanent copy of the site for each tagged release.

A course's links are handed out for a term; the latest site changes after
it. ``BOOK_EDITION`` (the release workflow sets it to the tag, such as
``2026.1``) builds an edition instead of the latest site:

* it is published at ``<site>/<tag>/``, beside the latest site, and its
  notebooks link to the edition's pages (``html_baseurl``);
* its notebooks, Binder, Colab, Live Code and source links are pinned to
  the tag: the notebooks on the tag ``notebooks-<tag>``, which the release
  workflow pushes, the rest on the tag itself;
* every page says which edition it is and links to the latest site.

The latest site's landing page lists the editions that the publishing
workflow puts beside it: ``BOOK_EDITIONS``, the releases' tags, newest
first.
"""

import os
import re
from html import escape

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import ConfigError
from standalone_notebooks import site_url

#: The environment variables: the edition built, the editions published.
EDITION_ENV = "BOOK_EDITION"
EDITIONS_ENV = "BOOK_EDITIONS"
#: An edition's tag: the year, a dot and the edition of that year.
EDITION_TAG = re.compile(r"\d{4}\.\d+")


def checked(tag: str) -> str:
    """``tag`` if it names an edition; a ConfigError saying the form."""
    if not EDITION_TAG.fullmatch(tag):
        raise ConfigError(
            f"editions: {tag!r} is not an edition's tag; tag a release "
            "YEAR.N, such as 2026.1."
        )
    return tag


def edition(environ: dict) -> str | None:
    """The edition this build makes; None for the latest site."""
    tag = environ.get(EDITION_ENV, "").strip()
    return checked(tag) if tag else None


def editions(environ: dict) -> list[str]:
    """The published editions, newest first."""
    tags = [checked(tag) for tag in environ.get(EDITIONS_ENV, "").split()]
    return sorted(tags, key=lambda t: tuple(map(int, t.split("."))))[::-1]


def notebooks_tag(tag: str) -> str:
    """The tag of the edition's notebooks (Binder and Colab open them)."""
    return f"notebooks-{tag}"


def banner(tag: str, latest: str) -> str:
    """What every page of an edition says first."""
    return (
        f"This is the {escape(tag)} edition of the course, kept as it was "
        f'published. <a href="{escape(latest)}">Read the latest '
        "edition</a>."
    )


def pin_edition(app: Sphinx, config: Config) -> None:
    """Make this build the edition ``BOOK_EDITION`` names, if any."""
    tag = edition(os.environ)
    if tag is None:
        return
    options = config.html_theme_options
    repository = options.get("repository_url")
    if not repository:
        raise ConfigError(
            "editions: an edition pins its links to a repository's tag; "
            "set BOOK_REPOSITORY_URL."
        )
    latest = config.html_baseurl.rstrip("/") or site_url(repository)
    latest = latest.rstrip("/") + "/"
    config.html_baseurl = f"{latest}{tag}/"
    options["repository_branch"] = tag
    config.standalone_notebooks_branch = notebooks_tag(tag)
    options["announcement"] = banner(tag, latest)


def editions_list(tags: list[str], pathto) -> str:
    """The landing page's list of editions, linked from the page."""
    items = "".join(
        f'<li><a href="{pathto(f"{tag}/index.html", 1)}">{tag}</a></li>'
        for tag in tags
    )
    return (
        '<section id="editions"><h2>Editions</h2><p>Each edition is a '
        "permanent copy of the course as it was published, with its "
        f"notebooks: its links keep working.</p><ul>{items}</ul></section>"
    )


def list_editions(
    app: Sphinx, pagename: str, templatename: str, context: dict, doctree
) -> None:
    """Append the published editions to the landing page."""
    tags = editions(os.environ)
    if tags and pagename == app.config.root_doc and "body" in context:
        context["body"] += editions_list(tags, context["pathto"])


def setup(app: Sphinx) -> dict:
    # after site_theme, which sets the repository
    app.connect("config-inited", pin_edition, priority=600)
    app.connect("html-page-context", list_editions)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
