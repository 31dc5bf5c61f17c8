"""Figures a reader can read: the build's kernels draw them as SVG.

matplotlib's inline backend draws PNGs at 72 dpi: blurred on high-density
screens and when enlarged, and their text cannot be measured. While the book
builds, ``IPYTHONDIR`` points the kernels at ``_ext/ipython``, whose startup
file adds an SVG (text kept as text) to every figure that stays light; the
page shows it, and the PNG otherwise. A Binder or Live Code kernel keeps its
own settings. The execution cache does not see this configuration: clear it
(``jupyter-book clean --all .``) after changing it.
"""

import os
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.config import Config

#: The IPython folder of the book's kernels.
IPYTHON_DIR = Path(__file__).resolve().parent / "ipython"


def kernels_draw_svg(app: Sphinx, config: Config) -> None:
    """Point the kernels this build starts at the book's IPython configuration."""
    os.environ["IPYTHONDIR"] = str(IPYTHON_DIR)


def setup(app: Sphinx) -> dict:
    app.connect("config-inited", kernels_draw_svg)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
