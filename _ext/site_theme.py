"""The theme settings that ``_config.yml`` cannot express.

* ``default_mode``: pydata-sphinx-theme reads the reader's light/dark choice
  from ``localStorage`` and falls back to this page variable; Jupyter Book
  leaves it unset, so a first visit logged "Got invalid theme mode".
* The repository URL: ``BOOK_REPOSITORY_URL`` (the publishing workflow sets
  it to the repository it runs in, so a fork publishes working buttons),
  else the clone's ``origin`` remote when it is on GitHub, else none: then
  the repository, issue, Binder and Colab buttons are left out rather than
  pointing at a repository that does not exist, and Live Code too unless
  its kernels come from a Jupyter server (``live_code_server_url``).
* Markup that axe-core flags, written by the book's HTML translator and
  node visitors instead: bibliography entries as list items, and MyST-NB's
  folded cells named by their visible text.
"""

import os
import re
import subprocess
from html import escape

from docutils import nodes
from myst_nb.sphinx_ import HideCodeCellNode, depart_HideCellInput
from shared import extend_translator
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


#: A GitHub remote, over HTTPS or SSH: its owner and name.
GITHUB_REMOTE = re.compile(
    r"(?:https://github\.com/|git@github\.com:|ssh://git@github\.com/)"
    r"([\w.-]+)/([\w.-]+?)(?:\.git)?/?"
)
#: The theme's buttons that need a repository.
REPOSITORY_BUTTONS = ("use_repository_button", "use_issues_button")


def origin_url(folder: str) -> str | None:
    """The GitHub repository that ``folder``'s clone came from, if any."""
    try:
        remote = subprocess.run(
            ["git", "-C", folder, "remote", "get-url", "origin"],
            capture_output=True,
            text=True,
        ).stdout.strip()
    except OSError:  # no git
        return None
    m = GITHUB_REMOTE.fullmatch(remote)
    return f"https://github.com/{m[1]}/{m[2]}" if m else None


def complete_theme_options(app: Sphinx, config: Config) -> None:
    """Give the theme a default mode and the repository it publishes from,
    or no repository buttons when there is none."""
    config.html_context.setdefault("default_mode", "auto")
    options = config.html_theme_options
    url = repository_url(os.environ) or origin_url(app.confdir)
    if url:
        options["repository_url"] = url
        options.update(dict.fromkeys(REPOSITORY_BUTTONS, True))
        return
    options.pop("repository_url", None)
    options["launch_buttons"] = live_code_only(config)


def live_code_only(config: Config) -> dict:
    """The launch buttons of a build without a repository: none, but Live
    Code where its kernels come from a Jupyter server (not from Binder,
    which builds a repository).

    The theme and sphinx-thebe read a repository even for Live Code alone:
    empty ones (the theme's context, thebe's Binder options) stand in, and
    no link is made from them.
    """
    wanted = config.html_theme_options.get("launch_buttons", {})
    if not (wanted.get("thebe") and config.live_code_server_url):
        return {}
    config.html_context.update(github_url="", github_user="", github_repo="")
    config.thebe_config = {
        **config.thebe_config,
        "repository_url": "https://github.com//",
    }
    return {"thebe": True}


class AccessibleMarkup:
    """The HTML translator's bibliography entries as list items: docutils
    marks them ``doc-biblioentry`` inside a ``role="list"``, which axe-core
    reports as critical (a list holds list items)."""

    def visit_citation(self, node: nodes.citation) -> None:
        if not isinstance(node.previous_sibling(), nodes.citation):
            self.body.append('<div role="list" class="citation-list">\n')
        self.body.append(
            self.starttag(node, "div", classes=["citation"], role="listitem")
        )


def visit_hidden_cell(self, node: HideCodeCellNode) -> None:
    """MyST-NB's folded cell, its ``summary`` named by its visible text
    ("Show code cell output") rather than by a label that does not contain
    it, which axe-core flags."""
    classes = " ".join(node["classes"])
    self.body.append(
        f'<details class="admonition hide {classes}">\n<summary>\n'
        f'<p class="collapsed admonition-title">'
        f"{escape(node['prompt_show'])}</p>\n"
        f'<p class="expanded admonition-title">'
        f"{escape(node['prompt_hide'])}</p>\n</summary>\n"
    )


def setup(app: Sphinx) -> dict:
    # before sphinx-book-theme copies repository_url into thebe's settings
    app.connect("config-inited", complete_theme_options)
    extend_translator(app, AccessibleMarkup)
    app.add_node(
        HideCodeCellNode,
        override=True,
        html=(visit_hidden_cell, depart_HideCellInput),
    )
    return {"parallel_read_safe": True, "parallel_write_safe": True}
