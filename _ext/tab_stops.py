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
  page (``course.css``; the theme clips them, as it expects MathJax's
  markup), through the HTML translator (:class:`ScrollingBoxes`);
* tables, which the theme's translator wraps in a box that scrolls
  sideways.
"""

from docutils import nodes
from shared import extend_translator, theme_file
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.highlighting import PygmentsBridge

#: Characters of code a 320-pixel-wide screen shows on a line (30 of the
#: 14-pixel monospace font fit in a code block there; 39 at 390 pixels).
NARROW_COLUMNS = 30
#: The box the theme's translator writes around a table (not through
#: ``starttag``), and the same with a tab stop.
TABLE_BOX = '<div class="pst-scrollable-table-container">'
TABLE_BOX_TAB_STOP = (
    '<div class="pst-scrollable-table-container" tabindex="0">'
)
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
            if "<pre>" not in html:
                raise ExtensionError(
                    "tab_stops: Pygments no longer writes <pre> around "
                    "highlighted code: update TabStopHighlighter in "
                    "_ext/tab_stops.py."
                )
            html = html.replace("<pre>", '<pre tabindex="0">', 1)
        return html


def use_tab_stop_highlighter(app: Sphinx) -> None:
    """The HTML builder's highlighter, made a :class:`TabStopHighlighter`
    in place: its style, chosen from the theme, stays as the builder set
    it."""
    highlighter = getattr(app.builder, "highlighter", None)
    if isinstance(highlighter, PygmentsBridge):
        highlighter.__class__ = TabStopHighlighter


class ScrollingBoxes:
    """The HTML translator's display formulas and tables, tab stops."""

    def starttag(self, node, tagname: str, *args, **atts) -> str:
        """A display formula's box (sphinxcontrib-katex writes it through
        ``starttag``) is a tab stop."""
        if isinstance(node, nodes.math_block) and tagname == "div":
            atts.setdefault("tabindex", "0")
        return super().starttag(node, tagname, *args, **atts)

    def visit_table(self, node: nodes.table) -> None:
        """The theme's box around a table, which scrolls sideways, is a tab
        stop; the build stops when the theme no longer writes it."""
        start = len(self.body)
        super().visit_table(node)
        if TABLE_BOX not in self.body[start:]:
            raise ExtensionError(
                "tab_stops: pydata-sphinx-theme's translator no longer "
                f"writes {TABLE_BOX} around a table: the theme changed. Pin "
                "it as requirements.in does, or update TABLE_BOX in "
                "_ext/tab_stops.py."
            )
        self.body[self.body.index(TABLE_BOX, start)] = TABLE_BOX_TAB_STOP


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
    extend_translator(app, ScrollingBoxes)
    app.connect("build-finished", without_theme_tab_stops)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
