"""The book's figures: SVG for drawings that stay light, PNG as before else.

An SVG keeps a plot sharp at any size and its text measurable, but images
(digit grids, photographs) and thousands of dots make it heavier than a
PNG: for those the SVG is left out and the page shows the PNG.
"""


def _book_figures() -> None:
    import io

    from IPython import get_ipython
    from matplotlib.figure import Figure

    light = 120_000

    def svg_if_light(fig: Figure) -> str | None:
        if any(ax.images for ax in fig.axes):
            return None
        out = io.StringIO()
        fig.savefig(
            out, format="svg", bbox_inches="tight", metadata={"Date": None}
        )
        return out.getvalue() if len(out.getvalue()) <= light else None

    svg = get_ipython().display_formatter.formatters["image/svg+xml"]
    svg.for_type(Figure, svg_if_light)


_book_figures()
del _book_figures
