"""The theme settings that ``_config.yml`` cannot express.

* ``default_mode``: pydata-sphinx-theme reads the reader's light/dark choice
  from ``localStorage`` and falls back to this page variable; Jupyter Book
  leaves it unset, so a first visit logged "Got invalid theme mode".
* The repository URL: the publishing workflow sets ``BOOK_REPOSITORY_URL``
  to the repository it runs in, so a fork publishes working Binder,
  repository and issue buttons without editing ``_config.yml``; a local build
  keeps the URL in ``_config.yml``.
* Bibliography entries: docutils marks them ``doc-biblioentry`` inside a
  ``role="list"``, which axe-core reports as critical (a list holds list
  items); they become list items.
"""

import os

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import ConfigError

#: The environment variable that overrides ``repository: url``.
REPOSITORY_ENV = "BOOK_REPOSITORY_URL"


def repository_url(environ: dict) -> str | None:
    """The repository URL set in ``environ``, checked; None when unset."""
    url = environ.get(REPOSITORY_ENV, "").strip().rstrip("/")
    if not url:
        return None
    if not url.startswith("https://") or url.count("/") < 4:
        raise ConfigError(
            f"site_theme: {REPOSITORY_ENV}={url!r} is not a repository URL; "
            "set it to https://github.com/OWNER/NAME (the publishing "
            "workflow sets it from GITHUB_REPOSITORY), or unset it to use "
            "repository: url in _config.yml."
        )
    return url


def complete_theme_options(app: Sphinx, config: Config) -> None:
    """Give the theme a default mode and the repository it publishes from."""
    config.html_context.setdefault("default_mode", "auto")
    url = repository_url(os.environ)
    if url:
        config.html_theme_options["repository_url"] = url


#: Markup that axe-core flags, and what the page says instead: the
#: bibliography's entries as list items (their list is a plain ``ul``), and
#: MyST-NB's folded outputs named by their visible text ("Show code cell
#: output") rather than by a label that does not contain it.
ACCESSIBLE_MARKUP = {
    'role="doc-biblioentry"': 'role="listitem"',
    '<summary aria-label="Toggle hidden content">': "<summary>",
}


def accessible_markup(
    app: Sphinx, pagename: str, templatename: str, context: dict, doctree
) -> None:
    if "body" in context:
        for found, fixed in ACCESSIBLE_MARKUP.items():
            context["body"] = context["body"].replace(found, fixed)


def setup(app: Sphinx) -> dict:
    # before sphinx-book-theme copies repository_url into thebe's settings
    app.connect("config-inited", complete_theme_options)
    app.connect("html-page-context", accessible_markup)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
