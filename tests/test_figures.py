"""Figures a student can read: sharp, large enough, sized, captioned.

The build's kernels draw each figure that stays light as SVG with its text
kept as text, and every figure as a PNG at twice its dpi, whose smallest
text's size they record beside the site, under the PNG's sha256
(_build/figure-text: _ext/ipython/profile_default/startup). In the
browser at 1280 px wide, each figure's smallest font size is scaled by its
rendered width over its drawn width: no text may be smaller than 9 CSS
pixels. Every figure has a numbered caption that the prose refers to, and
width and height attributes that keep its room while it loads.
"""

import hashlib
from pathlib import Path

import pytest
from browser import offline_chromium, open_page, serve_site, site_pages
from figures import FIGURE_TEXT
from helpers import chapters, executed_images, page
from PIL import Image

pytestmark = pytest.mark.slow

SMALLEST_PX = 9
#: For each figure of the page, loaded and scrolled to: its file (as the page names it and as a path in the site),
#: its size attributes, natural and rendered sizes, its enlarging link and,
#: for an SVG, its font sizes as drawn (SVG user units) and its drawn width.
FIGURES = r"""async () => {
  const figures = [];
  for (const img of document.querySelectorAll('article .cell_output img')) {
    // Scrolling to a lazy figure lays its section out, which can move the
    // figure off the screen again before it loads: load it now (that it
    // loads lazily is test_page_speed's).
    img.loading = 'eager';
    img.scrollIntoView();
    if (!img.complete) await Promise.race([
      new Promise(done => img.addEventListener('load', done, {once: true})),
      new Promise(done => setTimeout(done, 30000))]);
    const file = img.getAttribute('src');
    const box = img.getBoundingClientRect();
    const figure = {
      file, local: decodeURI(new URL(img.src).pathname).slice(1),
      sizes: [], drawn: null,
      rendered: box.width, renderedHeight: box.height,
      natural: img.naturalWidth, naturalHeight: img.naturalHeight,
      width: img.getAttribute('width'), height: img.getAttribute('height'),
      link: img.closest('a.figure-enlarge')?.getAttribute('href') ?? null,
    };
    if (file.endsWith('.svg')) {
      const svg = new DOMParser().parseFromString(
        await (await fetch(img.src)).text(), 'image/svg+xml').documentElement;
      figure.sizes = [...svg.querySelectorAll('[style*="font-size"]')].map(e =>
        parseFloat(/font-size:\s*([\d.]+)px/.exec(e.getAttribute('style'))[1]));
      figure.drawn = svg.viewBox ? svg.viewBox.baseVal.width : null;
    }
    figures.push(figure);
  }
  return figures;
}"""


def measure_figures(html: Path, width: int, height: int) -> list[dict]:
    """Every figure of every page, measured at ``width``×``height``."""
    found = []
    with (
        serve_site(html) as site,
        offline_chromium() as (new_context, _),
    ):
        page = new_context(
            viewport={"width": width, "height": height}
        ).new_page()
        for name in site_pages(html):
            open_page(page, f"{site}/{name}")
            found += [
                {
                    **figure,
                    "page": name,
                    "local": html / figure["local"],
                    "record": html.parent / FIGURE_TEXT,
                }
                for figure in page.evaluate(FIGURES)
            ]
    return found


def png_text(figure: dict) -> tuple[str | None, int]:
    """A PNG figure's recorded smallest text (its pixels) and pixel width."""
    png = figure["local"]
    record = (
        figure["record"]
        / f"{hashlib.sha256(png.read_bytes()).hexdigest()}.txt"
    )
    with Image.open(png) as image:
        width = image.width
    return (record.read_text() if record.is_file() else None), width


@pytest.fixture(scope="module")
def figures(built_book) -> list[dict]:
    return measure_figures(built_book / "html", 1280, 800)


@pytest.fixture(scope="module")
def phone_figures(built_book) -> list[dict]:
    return measure_figures(built_book / "html", 390, 844)


def is_png(figure: dict) -> bool:
    return figure["file"].endswith(".png")


def smallest_px(figure: dict) -> float | None:
    """The figure's smallest text, in CSS pixels as rendered (None: no text)."""
    if is_png(figure):
        size, width = png_text(figure)
        if size in (None, "none"):
            return None
        return float(size) * figure["rendered"] / width
    if not figure["sizes"]:
        return None
    return min(figure["sizes"]) * figure["rendered"] / figure["drawn"]


def svgs(figures: list[dict]) -> list[dict]:
    """The figures drawn as SVG, with text to measure."""
    return [f for f in figures if f["drawn"] and f["sizes"]]


def test_the_drawings_are_svgs_with_text(figures):
    assert len(figures) >= 25
    # the drawings; images and the heaviest plots stay PNG (_ext/figures.py)
    assert len(svgs(figures)) >= 8, [f["file"] for f in svgs(figures)]


def test_every_png_figure_records_its_smallest_text(figures):
    """A PNG drawn without the book's kernel configuration could not be
    measured: every PNG figure's smallest text is recorded beside the
    site, and the published PNG carries no text for the tests."""
    pngs = [f for f in figures if is_png(f)]
    assert len(pngs) >= 10
    unrecorded = [f["file"] for f in pngs if png_text(f)[0] is None]
    assert not unrecorded, unrecorded
    with_text = []
    for f in pngs:
        with Image.open(f["local"]) as png:
            if png.text:
                with_text.append(f"{f['file']}: {png.text}")
    assert not with_text, with_text


def test_no_figure_text_is_smaller_than_9_css_px(figures):
    measured = [(f, smallest_px(f)) for f in figures]
    measured = [(f, px) for f, px in measured if px is not None]
    assert len(measured) >= 25
    small = [
        f"{f['page']}: {f['file']}: {px:.1f} px"
        for f, px in measured
        if px < SMALLEST_PX
    ]
    for kind, png in (("SVG", False), ("PNG", True)):
        print(
            f"\nsmallest {kind} figure text at 1280 px: "
            f"{min(px for f, px in measured if is_png(f) == png):.1f} CSS px"
        )
    assert not small, "figure text too small to read:\n" + "\n".join(small)


def test_every_figure_opens_full_size(figures):
    assert all(f["link"] == f["file"] for f in figures), [
        f["file"] for f in figures if f["link"] != f["file"]
    ]


def test_every_figure_is_sized_and_sharp(figures):
    """Width and height attributes keep each figure's room while it loads;
    a PNG has twice as many pixels as it shows (sharp on high-density
    screens), an SVG is sharp at any size."""
    wrong = []
    for f in figures:
        density = 2 if is_png(f) else 1
        if not (f["width"] and f["height"]):
            wrong.append(f"{f['file']}: no width or height attribute")
            continue
        for natural, shown in (
            (f["natural"], int(f["width"])),
            (f["naturalHeight"], int(f["height"])),
        ):
            if abs(natural - density * shown) > density:
                wrong.append(f"{f['file']}: {natural} px shown at {shown}")
    assert not wrong, "\n".join(wrong)


def test_figures_keep_their_shape_on_a_phone(phone_figures):
    """A figure a phone narrows keeps its aspect ratio (no squashing)."""
    density = {True: 2, False: 1}
    narrowed = [
        f
        for f in phone_figures
        if f["rendered"] < f["natural"] / density[is_png(f)]
    ]
    assert narrowed  # the wide figures are narrowed on a phone
    squashed = [
        f"{f['page']}: {f['file']}"
        for f in narrowed
        if abs(
            f["renderedHeight"] / f["rendered"]
            - f["naturalHeight"] / f["natural"]
        )
        > 0.02
    ]
    assert not squashed, squashed


def test_every_figure_has_a_numbered_caption_the_text_refers_to(built_book):
    """Each figure a chapter draws is "Figure N.M: ..." and the chapter's
    prose links to it by number ({numref})."""
    problems, seen = [], 0
    for doc in chapters():
        soup = page(built_book, doc)
        for img in executed_images(soup):
            seen += 1
            figure = img.find_parent("figure")
            number = figure and figure.select_one(
                "figcaption .caption-number"
            )
            text = figure and figure.select_one("figcaption .caption-text")
            if not (number and text and text.get_text(strip=True)):
                problems.append(f"{doc}: {img['src']}: no numbered caption")
                continue
            if not number.get_text().startswith("Figure "):
                problems.append(f"{doc}: {number.get_text()!r}")
            references = [
                a
                for a in soup.select(f'article a[href="#{figure["id"]}"]')
                if not a.find_parent("figure")
            ]
            if not any(
                a.get_text().strip() == number.get_text().strip(" :")
                for a in references
            ):
                problems.append(f"{doc}: nothing refers to {figure['id']}")
    assert seen >= 25
    assert not problems, "\n".join(problems)
