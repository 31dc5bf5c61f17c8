"""Nothing blocks a page's first paint that need not (measured: benchmarks/lighthouse.py).

Sphinx and the theme's extensions put their scripts in every page's head as
plain ``<script src>``: the browser stops parsing the page until each has
downloaded and run, on a phone's network a round trip apiece. None of them
draws the page; they add copy buttons, toggles, search-term highlighting,
Live Code's loader, tabs. This extension:

* defers them (``defer`` keeps their order and runs them before
  ``DOMContentLoaded``, which is when each of them starts its work), except
  ``documentation_options.js``, which an inline script of the theme's
  template reads while the page is parsed (it is a few hundred bytes), and
  except on the search page, whose template loads Sphinx's search scripts
  without ``defer`` and needs ``doctools.js`` before them;
* loads the style sheet of Live Code's cells, which exist only once a
  reader starts Live Code, without blocking the first paint, and leaves
  every other style sheet as it is, so the page never paints unstyled (the
  copy buttons' style sheet stays: the buttons are made as the page loads,
  and unstyled they pushed the text down by 0.19 of a phone's screen);
* has the theme's Font Awesome icons drawn with ``font-display: swap``
  (pydata-sphinx-theme ships ``block``, which hides a page's icons, and
  text that shares their font, for up to three seconds).

The theme has no setting for the rest, so ``_templates/layout.html`` passes
two blocks of the theme's layout through :func:`theme_block`, which stops
the build when the theme no longer writes what it edits. Pages leave out
Font Awesome's 1.5 MB script (pydata-sphinx-theme issue #2379: it exists
for custom icons, and the book has none; its icons come from the web
fonts), link ``basic.css`` directly instead of the theme's ``theme.css``,
whose only content is an ``@import`` of it (a second round trip before the
first paint), drop the theme's preloads of its two deferred scripts
(fetched first, before the page's own text could paint), and leave out
Bootstrap's ScrollSpy, which asked every section's size in turn as the
page loaded: ``_static/toc_spy.js`` marks the section being read with an
``IntersectionObserver``, which lays out nothing.
"""

import re

from shared import THEME_STATIC, with_attributes
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError

#: Scripts that stay blocking: read by an inline script while the page parses.
KEEP_BLOCKING = ("_static/documentation_options.js",)
#: Style sheets of elements that only a reader's action creates: loaded
#: after the first paint.
LATE_STYLES = ("_static/sphinx-thebe.css",)


#: What pages leave out of blocks of the theme's layout, or put instead
#: (``_templates/layout.html`` passes each block through
#: :func:`theme_block`): the theme has no setting for any of them.
THEME_BLOCK_EDITS = {
    "css": (
        # Font Awesome's 1.5 MB script, for custom icons (the book has none)
        (re.compile(r"[^\n]*scripts/fontawesome\.js[^\n]*\n?"), ""),
        # the preloads of the theme's two deferred scripts
        (re.compile(r'[^\n]*rel="preload" as="script"[^\n]*\n?'), ""),
        # basic.css itself, rather than theme.css's @import of it
        (re.compile(r"_static/styles/theme\.css"), "_static/basic.css"),
    ),
    # Bootstrap's ScrollSpy (_static/toc_spy.js marks the section instead)
    "body_tag": ((re.compile(r'data-bs-spy="scroll" '), ""),),
}


def theme_block(name: str, html: str) -> str:
    """``html``, a block of the theme's layout, with the edits of
    ``THEME_BLOCK_EDITS``; an edit whose target is gone stops the build."""
    for pattern, replacement in THEME_BLOCK_EDITS[name]:
        html, found = pattern.subn(replacement, html)
        if not found:
            raise ExtensionError(
                f"page_speed: the {name!r} block of pydata-sphinx-theme's "
                f"layout ({THEME_STATIC.parent / 'layout.html'} and its "
                "static/webpack-macros.html) no longer holds "
                f"{pattern.pattern!r}: the theme changed. Pin it as "
                "requirements.in does, or update THEME_BLOCK_EDITS in "
                "_ext/page_speed.py."
            )
    return html


def defer_scripts(scripts: list) -> None:
    """Defer each external script that neither is async nor must block."""
    for i, script in enumerate(scripts):
        if (
            script.filename
            and script.filename not in KEEP_BLOCKING
            and not {"async", "defer"} & script.attributes.keys()
        ):
            scripts[i] = with_attributes(script, defer="defer")


def load_styles_late(stylesheets: list) -> None:
    """Style sheets in ``LATE_STYLES`` apply once loaded, without blocking."""
    for i, sheet in enumerate(stylesheets):
        if sheet.filename in LATE_STYLES:
            stylesheets[i] = with_attributes(
                sheet, media="print", onload="this.media='all'"
            )


def speed_up_page(
    app: Sphinx, pagename: str, templatename: str, context: dict, doctree
) -> None:
    if pagename != "search":
        defer_scripts(context.get("script_files") or [])
    load_styles_late(context.get("css_files") or [])
    context["theme_block"] = theme_block


def setup(app: Sphinx) -> dict:
    app.connect("html-page-context", speed_up_page)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
