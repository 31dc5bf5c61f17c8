"""Figures a student can read: sharp, large enough, and openable full size.

The build's kernels draw each figure that stays light as SVG with its text
kept as text (_ext/figures.py), so its font sizes are the ones matplotlib
drew; heavier ones stay PNG. In the browser at 1280 px wide, each SVG
figure's smallest font size is scaled by its rendered width over its drawn
width: no text may be smaller than 9 CSS pixels.
"""

from pathlib import Path

import pytest
from browser import offline_chromium, open_page, serve_site, site_pages

pytestmark = pytest.mark.slow

SMALLEST_PX = 9
#: For each figure of the page: its file, its smallest font size as drawn
#: (SVG user units), its drawn and rendered widths, and its enlarging link.
FIGURES = r"""async () => {
  const figures = [];
  for (const img of document.querySelectorAll('article .cell_output img')) {
    const file = img.getAttribute('src');
    if (!file.endsWith('.svg')) {
      figures.push({file, sizes: [], drawn: null, rendered: null,
                    link: img.closest('a.figure-enlarge')?.getAttribute('href') ?? null});
      continue;
    }
    const svg = new DOMParser().parseFromString(
      await (await fetch(img.src)).text(), 'image/svg+xml').documentElement;
    const sizes = [...svg.querySelectorAll('[style*="font-size"]')].map(e =>
      parseFloat(/font-size:\s*([\d.]+)px/.exec(e.getAttribute('style'))[1]));
    figures.push({
      file, sizes,
      drawn: svg.viewBox ? svg.viewBox.baseVal.width : null,
      rendered: img.getBoundingClientRect().width,
      link: img.closest('a.figure-enlarge')?.getAttribute('href') ?? null,
    });
  }
  return figures;
}"""


def measure_figures(html: Path) -> list[dict]:
    """Every figure of every page, measured at 1280×800."""
    found = []
    with (
        serve_site(html) as site,
        offline_chromium() as (new_context, _),
    ):
        page = new_context(
            viewport={"width": 1280, "height": 800}
        ).new_page()
        for name in site_pages(html):
            open_page(page, f"{site}/{name}")
            found += [
                {**figure, "page": name} for figure in page.evaluate(FIGURES)
            ]
    return found


@pytest.fixture(scope="module")
def figures(built_book) -> list[dict]:
    return measure_figures(built_book / "html")


def smallest_px(figure: dict) -> float:
    """The figure's smallest text, in CSS pixels as rendered."""
    return min(figure["sizes"]) * figure["rendered"] / figure["drawn"]


def svgs(figures: list[dict]) -> list[dict]:
    """The figures drawn as SVG, with text to measure."""
    return [f for f in figures if f["drawn"] and f["sizes"]]


def test_the_drawings_are_svgs_with_text(figures):
    assert len(figures) >= 25
    # the drawings; images and the heaviest plots stay PNG (_ext/figures.py)
    assert len(svgs(figures)) >= 8, [f["file"] for f in svgs(figures)]


def test_no_figure_text_is_smaller_than_9_css_px(figures):
    small = [
        f"{f['page']}: {f['file']}: {smallest_px(f):.1f} px"
        for f in svgs(figures)
        if smallest_px(f) < SMALLEST_PX
    ]
    print(
        "\nsmallest figure text at 1280 px: "
        f"{min(smallest_px(f) for f in svgs(figures)):.1f} CSS px"
    )
    assert not small, "figure text too small to read:\n" + "\n".join(small)


def test_every_figure_opens_full_size(figures):
    assert all(f["link"] == f["file"] for f in figures), [
        f["file"] for f in figures if f["link"] != f["file"]
    ]
