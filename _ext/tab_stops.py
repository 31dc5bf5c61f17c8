"""Every block that can scroll sideways is a tab stop, given at build time.

A keyboard reader scrolls a box only once it has the focus, so a box that
scrolls needs a tab stop (axe-core's ``scrollable-region-focusable``).
pydata-sphinx-theme gives them from its script: it measures every code
block, output and table as the page loads, which lays out the sections that
``content-visibility: auto`` (``_static/course.css``) leaves for later, and
a block that is not laid out measured as one that does not scroll. Here the
build gives the tab stops instead, to what can scroll on a narrow screen,
and the theme's measuring loop is left out of the site's copy of its
script:

* code blocks whose longest line is wider than a small phone shows (through
  the HTML builder's highlighter, which writes each ``<pre>``); printed
  output wraps at the edge of its box instead (``course.css``), so it gets
  none;
* display formulas, which scroll sideways where they are wider than the
  page (``course.css``; the theme clips them, as it expects MathJax's markup);
* tables, which the theme wraps in a box that scrolls sideways.
"""

from docutils import nodes
from shared import theme_file
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.highlighting import PygmentsBridge

#: Characters of code a 320-pixel-wide screen shows on a line (30 of the
#: 14-pixel monospace font fit in a code block there; 39 at 390 pixels).
NARROW_COLUMNS = 30
#: The wrappers of formulas (sphinxcontrib-katex) and tables (the theme),
#: and the same with a tab stop.
SCROLLING_MARKUP = {
    '<div class="math">': '<div class="math" tabindex="0">',
    '<div class="pst-scrollable-table-container">': (
        '<div class="pst-scrollable-table-container" tabindex="0">'
    ),
}
#: The theme's script, and its loop that measures blocks to give tab stops.
THEME_JS = "scripts/pydata-sphinx-theme.js"
THEME_TAB_STOPS = (
    ".forEach((e=>{e.tabIndex=e.scrollWidth>e.clientWidth||"
    "e.scrollHeight>e.clientHeight?0:-1}))"
)
#: What the site's copy does instead: nothing (no block is measured).
NO_TAB_STOPS = ".forEach((()=>{}))"


def can_scroll(source: str, node: object) -> bool:
    """True for code a narrow screen shows only by scrolling sideways;
    output printed by a cell wraps instead."""
    if isinstance(node, nodes.Node) and any(
        "cell_output" in parent.get("classes", [])
        for parent in ancestors(node)
    ):
        return False
    return max(map(len, source.splitlines() or [""])) > NARROW_COLUMNS


def ancestors(node: nodes.Node) -> list[nodes.Element]:
    found = []
    while node.parent is not None:
        node = node.parent
        found.append(node)
    return found


class TabStopHighlighter(PygmentsBridge):
    """Sphinx's highlighter, whose ``<pre>`` of code that can scroll
    sideways is a tab stop."""

    def highlight_block(
        self, source: str, lang: str, *args, location=None, **kwargs
    ) -> str:
        html = super().highlight_block(
            source, lang, *args, location=location, **kwargs
        )
        if self.dest == "html" and can_scroll(source, location):
            html = html.replace("<pre>", '<pre tabindex="0">', 1)
        return html


def use_tab_stop_highlighter(app: Sphinx) -> None:
    """The HTML builder's highlighter, made a :class:`TabStopHighlighter`
    in place: its style, chosen from the theme, stays as the builder set
    it."""
    highlighter = getattr(app.builder, "highlighter", None)
    if isinstance(highlighter, PygmentsBridge):
        highlighter.__class__ = TabStopHighlighter


def scrolling_boxes(
    app: Sphinx, pagename: str, templatename: str, context: dict, doctree
) -> None:
    """Give formulas and tables, whose markup other extensions write, their
    tab stop."""
    if "body" in context:
        for found, fixed in SCROLLING_MARKUP.items():
            context["body"] = context["body"].replace(found, fixed)


def without_theme_tab_stops(app: Sphinx, exception) -> None:
    """The site's copy of the theme's script, its measuring loop left
    out."""
    js = app.outdir / "_static" / THEME_JS
    if (
        exception is not None
        or app.builder.format != "html"
        or not js.is_file()
    ):
        return
    text = theme_file(THEME_JS).read_text(encoding="utf8")
    if text.count(THEME_TAB_STOPS) != 1:
        raise ExtensionError(
            f"tab_stops: {theme_file(THEME_JS)} does not hold the tab-stop "
            "loop that _ext/tab_stops.py leaves out (THEME_TAB_STOPS): "
            "pydata-sphinx-theme changed. Pin it as requirements.in does, "
            "or update THEME_TAB_STOPS."
        )
    js.write_text(
        text.replace(THEME_TAB_STOPS, NO_TAB_STOPS), encoding="utf8"
    )


def setup(app: Sphinx) -> dict:
    app.connect("builder-inited", use_tab_stop_highlighter)
    app.connect("html-page-context", scrolling_boxes)
    app.connect("build-finished", without_theme_tab_stops)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
