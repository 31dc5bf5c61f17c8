"""The book's HTML through Sphinx's translator and node visitors
(_ext/figures.py, _ext/site_theme.py, _ext/tab_stops.py), and the edits of
markup that no API writes, which stop the build when their target is gone
(_ext/live_code.py, _ext/page_speed.py, _ext/tab_stops.py)."""

import figures
import live_code
import page_speed
import pytest
import tab_stops
from bs4 import BeautifulSoup
from helpers import REPO, build_small
from PIL import Image
from shared import THEME_STATIC
from sphinx.builders.html._assets import _JavaScript
from sphinx.errors import ExtensionError

#: A page with a figure sized in pixels, numbered, two citations, a
#: formula, a table and a wide line of code.
PAGE = """\
Page
====

.. _fig-dot:

.. figure:: dot.png
   :width: 40px
   :height: 30px
   :alt: A dot.

   A dot.

:numref:`fig-dot` shows a dot [One]_ [Two]_.

.. [One] The first reference.
.. [Two] The second reference.

.. math::

   a + b = c

.. list-table::

   * - one
     - two

.. code-block:: python

   print("a line wider than the narrowest phone shows")
"""
CONF = """\
import sys
sys.path[:0] = [{ext!r}]
extensions = ["live_code", "site_theme", "figures", "tab_stops"]
html_theme = "sphinx_book_theme"
numfig = True
numfig_format = {{"figure": "Figure %s"}}
"""


@pytest.fixture(scope="module")
def small_page(tmp_path_factory) -> BeautifulSoup:
    """The page, built with the theme and the book's translator mixins."""
    src = tmp_path_factory.mktemp("small")
    (src / "conf.py").write_text(CONF.format(ext=str(REPO / "_ext")))
    (src / "index.rst").write_text(PAGE)
    Image.new("RGB", (80, 60), "white").save(src / "dot.png")
    with pytest.MonkeyPatch.context() as patch:
        # figures sets these for the kernels
        patch.setenv("IPYTHONDIR", "")
        patch.setenv("BOOK_FIGURE_TEXT", "")
        build_small(src)
    html = (src / "_build" / "index.html").read_text(encoding="utf8")
    return BeautifulSoup(html, "html.parser")


def test_a_figure_carries_its_size_and_loads_lazily(small_page):
    img = small_page.select_one("figure img")
    assert (img["width"], img["height"]) == ("40", "30")
    assert not img.has_attr("style")
    assert (img["loading"], img["decoding"]) == ("lazy", "async")


def test_a_caption_reads_figure_number_colon(small_page):
    number = small_page.select_one("figcaption .caption-number")
    assert number.get_text() == "Figure 1: "
    reference = small_page.select_one('a[href="#fig-dot"]').get_text()
    assert reference == "Figure 1"


def test_citations_are_items_of_their_list(small_page):
    entries = small_page.select('[role="list"] > .citation')
    assert [e["role"] for e in entries] == ["listitem", "listitem"]
    assert not small_page.select('[role="doc-biblioentry"]')


def test_formulas_tables_and_wide_code_are_tab_stops(small_page):
    for box in ("div.math", ".pst-scrollable-table-container", "pre"):
        assert small_page.select_one(box).get("tabindex") == "0", box


class Writes:
    """A translator whose caption number and table are ``written``."""

    def __init__(self, written: list[str]) -> None:
        self.body, self.written = [], written

    def add_fignumber(self, node) -> None:
        self.body += self.written

    def visit_table(self, node) -> None:
        self.body += self.written


class Tables(tab_stops.ScrollingBoxes, Writes):
    pass


def test_a_table_box_written_otherwise_stops_the_build():
    theme_way = Tables([tab_stops.TABLE_BOX, "<table>"])
    theme_way.visit_table(None)
    assert theme_way.body == [tab_stops.TABLE_BOX_TAB_STOP, "<table>"]
    with pytest.raises(ExtensionError, match="TABLE_BOX"):
        Tables(['<div class="table-box">', "<table>"]).visit_table(None)


class Captions(figures.FigureMarkup, Writes):
    pass


def test_a_caption_number_written_otherwise_stops_the_build():
    sphinx_way = Captions(
        ['<span class="caption-number">', "Fig 1 ", "</span>"]
    )
    sphinx_way.add_fignumber(None)
    assert sphinx_way.body[1] == "Fig 1: "
    with pytest.raises(ExtensionError, match="FigureMarkup.add_fignumber"):
        Captions(["<span>Fig 1</span>"]).add_fignumber(None)


def test_the_theme_holds_every_block_edit():
    """What _templates/layout.html edits is in the pinned theme's files."""
    macros = (THEME_STATIC / "webpack-macros.html").read_text()
    layout = (THEME_STATIC.parent / "layout.html").read_text()
    css = page_speed.theme_block("css", macros)
    assert "fontawesome.js" not in css and 'as="script"' not in css
    assert "_static/basic.css" in css
    assert "data-bs-spy" not in page_speed.theme_block("body_tag", layout)


def test_a_theme_block_without_its_target_stops_the_build():
    with pytest.raises(ExtensionError, match="THEME_BLOCK_EDITS"):
        page_speed.theme_block("body_tag", '<body data-default-mode="">')


def thebe_scripts(setting: str) -> list[_JavaScript]:
    """A page's scripts as sphinx-thebe lists them: its settings twice."""
    config = _JavaScript("", body=f"{setting}; const thebe_selector = 'x'")
    return [config, _JavaScript(live_code.THEBE_LOADER), config]


def test_thebe_comes_from_the_site_listed_once():
    context = {
        "script_files": thebe_scripts('const THEBE_JS_URL = "https://cdn"')
    }
    live_code.point_thebe_at_site(None, "page", "page.html", context, None)
    bodies = [s.attributes.get("body", "") for s in context["script_files"]]
    assert [b for b in bodies if "THEBE_JS_URL" in b] == [
        f"const {live_code.LOCAL_THEBE_URL}; const thebe_selector = 'x'"
    ]


def test_a_page_without_thebe_s_setting_stops_the_build():
    context = {"script_files": thebe_scripts("const THEBE_URL = 'x'")}
    with pytest.raises(ExtensionError, match="THEBE_URL_SETTING"):
        live_code.point_thebe_at_site(
            None, "page", "page.html", context, None
        )
