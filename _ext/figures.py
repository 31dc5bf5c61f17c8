"""Figures a reader can read: sharp, sized before they load, numbered.

matplotlib's inline backend draws PNGs at the figure's dpi: blurred on
high-density screens and when enlarged, and their text cannot be measured.
While the book builds, ``IPYTHONDIR`` points the kernels at ``_ext/ipython``,
whose startup file draws every figure as a PNG at twice its dpi (shown at
its 1x size; the size of its smallest text is recorded beside the build,
in ``_build/figure-text``, for tests/test_figures.py) and adds
an SVG (text kept as text) to every figure that stays light; the page shows
the SVG, and the PNG otherwise. A Binder or Live Code kernel keeps its own
settings. The execution cache does not see this configuration: clear it
(``jupyter-book clean --all .``) after changing it.

Both carry their 1x size as display metadata, which MyST-NB puts on the
image and docutils would write as a ``style`` (``width: Wpx; height:
Hpx``); a fixed height in a style squashes a figure that a narrow screen
shrinks, so the book's HTML translator (:class:`FigureMarkup`, over the
theme's) writes ``width`` and ``height`` attributes instead: the browser
keeps the figure's room while it loads, and CSS scales it with its aspect
ratio (``_static/course.css``). Figures load when the reader comes near them
(``loading="lazy"``): a chapter opens with prose, and its figures' bytes no
longer compete with the first screen's text and fonts on a phone's network
(benchmarks/lighthouse.py); their reserved room keeps the page still.

A cell's figure gets its numbered caption ("Figure 3.2", numbered per
chapter, ``numfig_format`` in ``_config.yml``) and the name the prose refers
to it by from the cell's ``mystnb: figure:`` metadata.
"""

import os
import re
from pathlib import Path

from docutils import nodes
from shared import extend_translator
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import ExtensionError

#: The IPython folder of the book's kernels.
IPYTHON_DIR = Path(__file__).resolve().parent / "ipython"
#: Where the kernels record each PNG's smallest text, beside the site
#: (``_build/figure-text``): it is for the tests, not for readers.
FIGURE_TEXT = "figure-text"
#: A length in CSS pixels, as MyST-NB gives an image's size ("441px").
PIXELS = re.compile(r"(\d+)(?:px)?")


def kernels_draw_svg(app: Sphinx, config: Config) -> None:
    """Point the kernels this build starts at the book's IPython
    configuration, and at where to record their PNGs' smallest text."""
    os.environ["IPYTHONDIR"] = str(IPYTHON_DIR)
    os.environ["BOOK_FIGURE_TEXT"] = str(
        Path(app.outdir).parent / FIGURE_TEXT
    )


def pixel_size(node: nodes.image) -> dict[str, str]:
    """The image's width and height in CSS pixels, when it has both."""
    found = {
        side: PIXELS.fullmatch(node.get(side, ""))
        for side in ("width", "height")
    }
    if "scale" in node or not all(found.values()):
        return {}
    return {side: m[1] for side, m in found.items()}


class FigureMarkup:
    """The HTML translator's images and caption numbers, for figures."""

    def image_size(self, node: nodes.image) -> str:
        """No ``style`` for a figure sized in pixels: it gets width and
        height attributes instead (:meth:`emptytag`)."""
        return "" if pixel_size(node) else super().image_size(node)

    def emptytag(self, node, tagname: str, suffix: str = "\n", **atts):
        """An image sized in pixels, loaded near the screen and decoded off
        the main thread."""
        if tagname == "img" and isinstance(node, nodes.image):
            atts = {"loading": "lazy", "decoding": "async", **atts}
            atts.update(pixel_size(node))
        return super().emptytag(node, tagname, suffix, **atts)

    def add_fignumber(self, node: nodes.Element) -> None:
        """Captions read "Figure 3.2: text", as the standalone notebooks
        write them (a {numref} in the prose stays "Figure 3.2"): Sphinx
        ends the number with a space, which becomes ": "."""
        start = len(self.body)
        super().add_fignumber(node)
        written = self.body[start:]
        if not written:
            return  # not numbered
        if written[-1:] != ["</span>"] or not written[-2].endswith(" "):
            raise ExtensionError(
                "figures: Sphinx no longer writes a caption's number as "
                f"{written!r} ending in a space and </span>: update "
                "FigureMarkup.add_fignumber in _ext/figures.py."
            )
        self.body[-2] = written[-2][:-1] + ": "


def setup(app: Sphinx) -> dict:
    app.connect("config-inited", kernels_draw_svg)
    extend_translator(app, FigureMarkup)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
