"""What several of the book's extensions use: no extension of its own.

Feature extensions import from here, never from each other, so a change to
one feature (Live Code, say) cannot break another (maths, slides):

* the site's npm packages (pinned in ``package.json``) and the copying of
  the files pages load into the site's ``_static``;
* the theme's own static files, from which the site's rewritten copies are
  made (a rebuild never rewrites a rewrite);
* a way to extend the HTML translator that the theme installs.
"""

import shutil
import types
from pathlib import Path

import pydata_sphinx_theme
from sphinx.application import Sphinx
from sphinx.errors import ConfigError, ExtensionError

import dlcourse
from coursesite.files import atomic_write

#: The theme's own static files (the site's copies are rewritten from them).
THEME_STATIC = (
    Path(pydata_sphinx_theme.__file__).parent
    / "theme"
    / "pydata_sphinx_theme"
    / "static"
)
#: The theme's style sheet, in the built site's ``_static`` and in the
#: theme's.
THEME_CSS = Path("_static", "styles", "pydata-sphinx-theme.css")
#: What ``npm ci`` writes into a complete ``node_modules``.
NPM_INSTALLED = ".package-lock.json"


def node_modules(book: Path) -> Path:
    """The npm packages: next to the book, or (for a throwaway copy of it)
    in the course's repository."""
    for root in (book, dlcourse.REPO_ROOT):
        if (root / "node_modules" / NPM_INSTALLED).is_file():
            return root / "node_modules"
    raise ConfigError(
        "The site's npm packages (thebe, KaTeX, reveal.js) are not installed "
        f"in {book / 'node_modules'}. Run `npm ci --ignore-scripts` in the "
        "repository root (package.json pins them)."
    )


def copy_atomically(src: Path, dest: Path) -> None:
    """Copy under a temporary name, then rename: an interrupted build
    leaves no half-written file."""
    with atomic_write(dest, binary=True) as out, src.open("rb") as data:
        shutil.copyfileobj(data, out)


def copy_assets(
    modules: Path,
    static: Path,
    assets: dict[str, list[str]],
    licences: dict[str, Path],
) -> None:
    """Copy the files of each npm package that ``assets`` names by glob
    pattern into ``static/<package>/<path without its first folder>``, and
    the ``licences`` their packages lack; an unchanged copy is kept."""
    for package, patterns in assets.items():
        for pattern in patterns:
            for src in sorted((modules / package).glob(pattern)):
                parts = src.relative_to(modules / package).parts
                dest = (
                    static
                    / package
                    / Path(*(parts[1:] if len(parts) > 1 else parts))
                )
                if (
                    dest.exists()
                    and dest.stat().st_size == src.stat().st_size
                    and dest.stat().st_mtime >= src.stat().st_mtime
                ):
                    continue
                copy_atomically(src, dest)
    for package, licence in licences.items():
        copy_atomically(licence, static / package / "LICENSE")


def theme_file(relative: Path | str) -> Path:
    """The theme's own copy of a file of its ``static`` folder: a site's
    copy is rewritten from it, so a rebuild never rewrites a rewrite."""
    source = THEME_STATIC / relative
    if not source.is_file():
        raise ExtensionError(
            f"{source} is missing: pydata-sphinx-theme changed. Pin it as "
            "requirements.in does, or update the extensions of _ext/ that "
            "name this file for the new theme."
        )
    return source


def with_attributes(asset, **attributes: str):
    """A copy of Sphinx's script or style sheet entry with more attributes
    (the entries are shared by every page, so they are never edited)."""
    return type(asset)(
        asset.filename,
        priority=asset.priority,
        **{**asset.attributes, **attributes},
    )


def extend_translator(app: Sphinx, mixin: type) -> None:
    """Have the HTML builder's translator written through ``mixin`` too.

    pydata-sphinx-theme makes its translator when the builder starts, as a
    mixin over the translator registered then (``setup_translators``); a
    mixin connected later (priority 600) goes over the theme's in the same
    way, so each extension overrides only the visitors it needs.
    """

    def mix_in(app: Sphinx) -> None:
        if app.builder.format != "html":
            return
        base = app.registry.translators.get(
            app.builder.name, app.builder.default_translator_class
        )
        name = f"{mixin.__name__}Translator"
        app.set_translator(
            app.builder.name,
            types.new_class(name, (mixin, base), {}),
            override=True,
        )

    mix_in.__name__ = (
        mixin.__name__
    )  # as CONTRIBUTING.md's pipeline names it
    app.connect("builder-inited", mix_in, priority=600)
