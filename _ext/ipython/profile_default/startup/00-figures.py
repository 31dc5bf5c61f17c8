"""The book's figures: sharp on any screen, sized, their smallest text known.

* Every figure is a PNG drawn at twice its dpi and shown at its 1x size
  (as IPython's "retina" PNG: width and height as display metadata): sharp
  on high-density screens, the same size on the page as a 1x PNG; in 256
  colours, so lighter than the 1x PNG in full colour.
* A drawing that stays light is also an SVG (text kept as text), which the
  page shows instead; images (digit grids, photographs) and thousands of dots
  would make it heavier than the PNG, so those figures stay PNG.
* Both carry their size in CSS pixels (width and height metadata): MyST-NB
  gives it to the page's image, which _ext/figures.py turns into the
  ``<img>``'s width and height attributes, so nothing shifts while loading.
* The size of a PNG's smallest text, in the PNG's pixels ("none" for a
  figure without text), is recorded beside the build, never in the
  published PNG: ``$BOOK_FIGURE_TEXT/<the PNG's sha256>.txt`` (set by
  _ext/figures.py, ``_build/figure-text``). tests/test_figures.py scales it
  by the width the page renders the PNG at. An SVG's font sizes are in the
  SVG itself.
"""


def _book_figures() -> None:
    import base64
    import hashlib
    import io
    import os
    import re
    from pathlib import Path

    from IPython import get_ipython
    from matplotlib.cbook import is_math_text
    from matplotlib.figure import Figure
    from matplotlib.mathtext import MathTextParser
    from matplotlib.text import Text
    from PIL import Image

    light = 120_000

    mathtext = MathTextParser("path")

    def glyph_sizes(text: Text) -> list[float]:
        """The sizes of a text's glyphs, in points: mathtext draws sub- and
        superscripts smaller (a log axis's exponents at 70 %)."""
        string = text.get_text()
        if text.get_usetex() or not (
            text.get_parse_math() and is_math_text(string)
        ):
            return [text.get_fontsize()]
        drawn = mathtext.parse(string, 72, text.get_fontproperties())
        return [glyph[1] for glyph in drawn.glyphs]

    def smallest_font_pt(fig: Figure) -> float | None:
        """The size of the figure's smallest drawn text, in points."""
        fig.draw_without_rendering()  # tick labels get their text here
        sizes = [
            size
            for t in fig.findobj(Text)
            if t.get_visible() and t.get_text().strip()
            for size in glyph_sizes(t)
        ]
        return min(sizes, default=None)

    def record_smallest_text(png: bytes, fig: Figure) -> None:
        """Record the size of the figure's smallest text in the 2x PNG's
        pixels (72 points an inch), under the PNG's sha256, where the book's
        build asks (``BOOK_FIGURE_TEXT``)."""
        folder = os.environ.get("BOOK_FIGURE_TEXT")
        if not folder:
            return
        size = smallest_font_pt(fig)
        record = Path(folder, f"{hashlib.sha256(png).hexdigest()}.txt")
        record.parent.mkdir(parents=True, exist_ok=True)
        record.write_text(
            "none" if size is None else f"{size * 2 * fig.dpi / 72:.3f}"
        )

    def png_2x(fig: Figure):
        """A PNG at twice the figure's dpi, shown at its 1x size, in 256
        colours (a quarter of the RGBA PNG's bytes)."""
        if not fig.axes and not fig.lines:
            return None  # as IPython's PNG: nothing to show
        drawn = io.BytesIO()
        fig.savefig(
            drawn,
            format="png",
            dpi=2 * fig.dpi,
            bbox_inches="tight",
            facecolor=fig.get_facecolor(),
            edgecolor=fig.get_edgecolor(),
        )
        rgba = Image.open(drawn).convert("RGBA")
        paper = Image.new("RGBA", rgba.size, "white")
        image = Image.alpha_composite(paper, rgba).convert("RGB")
        out = io.BytesIO()
        image.quantize(
            256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE
        ).save(out, format="png", optimize=True)
        record_smallest_text(out.getvalue(), fig)
        width, height = image.size
        data = base64.b64encode(out.getvalue()).decode("ascii")
        return data, {"width": width // 2, "height": height // 2}

    def svg_if_light(fig: Figure):
        """An SVG of the figure with its size in CSS pixels, unless heavy."""
        if any(ax.images for ax in fig.axes):
            return None
        out = io.StringIO()
        fig.savefig(
            out, format="svg", bbox_inches="tight", metadata={"Date": None}
        )
        svg = out.getvalue()
        if len(svg) > light:
            return None
        # matplotlib sizes the SVG in points; a CSS pixel is 3/4 point
        width, height = (
            round(float(re.search(rf'{side}="([\d.]+)pt"', svg)[1]) * 4 / 3)
            for side in ("width", "height")
        )
        return svg, {"width": width, "height": height}

    formatters = get_ipython().display_formatter.formatters
    formatters["image/png"].for_type(Figure, png_2x)
    formatters["image/svg+xml"].for_type(Figure, svg_if_light)


_book_figures()
del _book_figures
