"""Figures a reader can read: sharp, sized before they load, numbered.

matplotlib's inline backend draws PNGs at the figure's dpi: blurred on
high-density screens and when enlarged, and their text cannot be measured.
While the book builds, ``IPYTHONDIR`` points the kernels at ``_ext/ipython``,
whose startup file draws every figure as a PNG at twice its dpi (shown at
its 1x size, with the size of its smallest text in a text chunk) and adds
an SVG (text kept as text) to every figure that stays light; the page shows
the SVG, and the PNG otherwise. A Binder or Live Code kernel keeps its own
settings. The execution cache does not see this configuration: clear it
(``jupyter-book clean --all .``) after changing it.

Both carry their 1x size as display metadata, which MyST-NB puts on the
image and docutils writes as a ``style`` (``width: Wpx; height: Hpx``); a
fixed height in a style squashes a figure that a narrow screen shrinks, so
the page gets ``width`` and ``height`` attributes instead: the browser
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

from sphinx.application import Sphinx
from sphinx.config import Config

#: The IPython folder of the book's kernels.
IPYTHON_DIR = Path(__file__).resolve().parent / "ipython"
#: A figure's number in its caption, as Sphinx writes it ("Figure 3.2 ").
CAPTION_NUMBER = re.compile(r'(<span class="caption-number">[^<]*?) </span>')
#: An image that does not say when to load.
EAGER_IMAGE = re.compile(r"<img\b(?![^>]*\bloading=)")
#: An image's size as docutils writes it, in CSS pixels.
SIZED_IMAGE = re.compile(
    r'(<img\b[^>]*?) style="width: (\d+)px; height: (\d+)px;"'
)


def kernels_draw_svg(app: Sphinx, config: Config) -> None:
    """Point the kernels this build starts at the book's IPython configuration."""
    os.environ["IPYTHONDIR"] = str(IPYTHON_DIR)


def size_attributes(html: str) -> str:
    """``html`` with each image's pixel size as width and height attributes."""
    return SIZED_IMAGE.sub(r'\1 width="\2" height="\3"', html)


def lazy_images(html: str) -> str:
    """``html`` with each image loaded near the screen, decoded off the
    main thread."""
    return EAGER_IMAGE.sub('<img loading="lazy" decoding="async"', html)


def caption_colons(html: str) -> str:
    """Captions read "Figure 3.2: text", as the standalone notebooks write
    them (a {numref} in the prose stays "Figure 3.2")."""
    return CAPTION_NUMBER.sub(r"\1: </span>", html)


def figure_markup(
    app: Sphinx, pagename: str, templatename: str, context: dict, doctree
) -> None:
    if "body" in context:
        context["body"] = caption_colons(
            lazy_images(size_attributes(context["body"]))
        )


def setup(app: Sphinx) -> dict:
    app.connect("config-inited", kernels_draw_svg)
    app.connect("html-page-context", figure_markup)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
