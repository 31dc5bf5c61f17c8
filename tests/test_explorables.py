"""Explorable figures (_ext/explorables.py): one in every course chapter,
true to the course package, light until used, and there for every reader.

The fast tests render each figure in Node as the build does: its samples
(settings of its controls, and what the package says the figure shows
there) must hold. The browser tests open every chapter of the built book
and, for each figure, move its labelled controls to each sample and read
what the page shows; they also check the figure with JavaScript off, in
print, at 390 px in dark mode, and that Vega loads only near the figure.
"""

import json
import re
from pathlib import Path

import numpy as np
import pytest
from browser import axe_violations, offline_chromium, open_page, serve_site
from explorables import render, source_files
from helpers import REPO, course_chapters
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from shared import node_modules
from sphinx.util import import_object

from coursesite.explorables import Figure, Sample, Shown, bound, mismatches

#: ```{explorable} module.function`` and its ``:name:``.
DIRECTIVE = re.compile(
    r"^```\{explorable\}\s+(\S+)\s*\n:name:\s*(\S+)", re.MULTILINE
)
#: The widest a static figure may be drawn, in CSS pixels (a 390 px phone
#: shows it at about this width).
WIDEST = 360
#: The most a figure's compiled spec (its data inside) may weigh.
HEAVIEST_SPEC = 400_000
#: The most a chapter may weigh once all its figures are live: every file
#: it fetched, before compression (as benchmarks/lighthouse.py counts).
HEAVIEST_CHAPTER = 2_000_000
#: The bytes the open page has fetched, before compression.
WEIGHT = """() => performance.getEntries()
  .filter(e => 'decodedBodySize' in e)
  .reduce((sum, e) => sum + e.decodedBodySize, 0)"""


def explorables(doc: str) -> dict[str, str]:
    """{figure name: function} of each explorable figure of a chapter."""
    source = (REPO / f"{doc}.md").read_text()
    return {name: function for function, name in DIRECTIVE.findall(source)}


FIGURES = {
    name: function
    for doc in course_chapters()
    for name, function in explorables(doc).items()
}


@pytest.mark.parametrize("doc", course_chapters())
def test_every_course_chapter_has_an_explorable_figure(doc):
    assert explorables(doc), f"{doc}.md has no {{explorable}} figure"


@pytest.fixture(scope="module")
def modules() -> Path:
    return node_modules(REPO)


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_figure_shows_what_the_package_computes(name, modules):
    figure = import_object(FIGURES[name])()
    made = render(figure, modules)  # raises on any sample's mismatch
    assert figure.samples, f"{name} has no samples to test it by"
    for sample in figure.samples:
        assert set(sample.params) <= set(bound(figure)), sample.params
    width = float(re.search(r'width="([\d.]+)"', made["svg"])[1])
    assert width <= WIDEST, f"{name} is drawn {width} px wide"
    assert made["alt"].strip()
    assert len(json.dumps(made["vega"])) <= HEAVIEST_SPEC


def test_render_refuses_a_figure_the_package_disagrees_with(modules):
    figure = import_object(FIGURES["fig-explore-perceptron"])()
    (first, *_) = figure.samples
    wrong = Sample(first.params, shows=("XOR",))
    with pytest.raises(
        ValueError, match="'XOR' is not in the figure's text"
    ):
        render(Figure(figure.spec, (wrong,)), modules)


def test_render_refuses_a_figure_without_alt_or_labels(modules):
    figure = import_object(FIGURES["fig-explore-perceptron"])()
    params = [
        {**p, "bind": {**p["bind"], "name": ""}} if "bind" in p else p
        for p in figure.spec["params"]
        if p["name"] != "alt"
    ]
    with pytest.raises(ValueError) as error:
        render(Figure({**figure.spec, "params": params}), modules)
    assert "no `alt` parameter" in str(error.value)
    assert "'w1' has no label" in str(error.value)


def test_a_figure_depends_on_its_modules_and_their_data():
    """The page is read again when the figure's module, a package module
    it uses or the data that module reads (the runs) change."""
    function = import_object(FIGURES["fig-explore-perceptron"])
    data = {"dlcourse.perceptron": ["runs/*/run.json"]}
    files = {
        Path(f).relative_to(REPO) for f in source_files(function, data, REPO)
    }
    assert Path("code/coursesite/explorables/perceptrons.py") in files
    assert Path("code/dlcourse/perceptron.py") in files
    assert Path("runs/lecture/run.json") in files
    assert not any("torch" in str(f) for f in files)


def test_mismatches_compare_images_within_tolerance():
    from coursesite.explorables import grey_png

    digit = np.linspace(0, 1, 28 * 28).reshape(28, 28)
    shown = Shown("", [], [grey_png(digit)])
    assert not mismatches(Sample({}, image=digit, tolerance=0.01), shown)
    assert mismatches(Sample({}, image=1 - digit), shown)
    (smaller,) = mismatches(Sample({}, image=digit[:14]), shown)
    assert "(28, 28)" in smaller


# -- in the built book ------------------------------------------------------

#: What the page shows of its live figure: the text alternative, the text
#: the figure draws, and its images.
SHOWN = """(figure) => ({
  alt: figure.querySelector('.explorable-chart').getAttribute('aria-label'),
  texts: [...figure.querySelectorAll('.explorable-chart svg text')]
    .map(t => t.textContent),
  images: [...figure.querySelectorAll('.explorable-chart svg image')]
    .map(i => i.getAttribute('href')),
})"""


def set_control(figure, bind: dict, value) -> None:
    """Move the control labelled ``bind["name"]`` to ``value``, as a reader
    does: the control is found by its label."""
    if bind["input"] == "select":
        label = bind["labels"][bind["options"].index(value)]
        figure.get_by_label(bind["name"], exact=True).select_option(
            label=label
        )
    elif bind["input"] == "radio":
        label = bind["labels"][bind["options"].index(value)]
        figure.get_by_label(label, exact=True).check()
    else:
        figure.get_by_label(bind["name"], exact=True).fill(str(value))


def live(page, name: str):
    """The figure ``name``, scrolled to and started."""
    figure = page.locator(f"div.explorable:has(#{name})")
    # the sections above lay out as they near the screen and push the
    # figure down: scroll to it until it stays put
    for _ in range(10):
        top = figure.evaluate(
            "f => (f.scrollIntoView(), f.getBoundingClientRect().top)"
        )
        page.wait_for_timeout(300)
        if figure.evaluate("f => f.getBoundingClientRect().top") == top:
            break
    figure.locator(".explorable-chart svg").wait_for(
        state="attached", timeout=60_000
    )
    return figure


@pytest.mark.parametrize("width,theme", [(1280, "light"), (390, "dark")])
def test_figures_answer_their_controls(built_book, width, theme):
    found, errors = set(), []
    with (
        serve_site(built_book / "html") as site,
        offline_chromium() as (new_context, attempts),
    ):
        page = new_context(
            viewport={"width": width, "height": 844}, color_scheme=theme
        ).new_page()
        page.on(
            "console",
            lambda m: m.type == "error" and errors.append(m.text),
        )
        for doc in course_chapters():
            open_page(page, f"{site}/{doc}.html")
            for name in explorables(doc):
                figure = live(page, name)
                box = figure.locator(".explorable-chart svg").bounding_box()
                assert box["x"] >= 0 and box["x"] + box["width"] <= width
                spec = import_object(FIGURES[name])()
                controls = bound(spec)
                for sample in spec.samples:
                    for param, value in sample.params.items():
                        set_control(figure, controls[param], value)
                    shown = Shown(**figure.evaluate(SHOWN))
                    assert not mismatches(sample, shown), (doc, name, sample)
                found.add(name)
            if explorables(doc):
                assert not axe_violations(page, "div.explorable"), doc
                weight = page.evaluate(WEIGHT)
                assert weight <= HEAVIEST_CHAPTER, (doc, weight)
    assert found == set(FIGURES)
    assert not errors and not attempts


def test_controls_answer_the_keyboard(built_book):
    """A slider moves with the arrow keys, and the text alternative
    follows."""
    with (
        serve_site(built_book / "html") as site,
        offline_chromium() as (new_context, _),
    ):
        page = new_context().new_page()
        for doc in course_chapters():
            open_page(page, f"{site}/{doc}.html")
            for name in explorables(doc):
                figure = live(page, name)
                slider = figure.locator("input[type=range]").first
                if not slider.count():
                    continue
                chart = figure.locator(".explorable-chart")
                before = chart.get_attribute("aria-label")
                value = float(slider.evaluate("s => s.value"))
                at_top = value >= float(slider.get_attribute("max"))
                slider.focus()
                page.keyboard.press("ArrowLeft" if at_top else "ArrowRight")
                step = float(slider.get_attribute("step"))
                moved = float(slider.evaluate("s => s.value")) - value
                assert abs(abs(moved) - step) < 1e-9, name
                assert chart.get_attribute("aria-label") != before, name


def test_static_figure_without_javascript_and_in_print(built_book):
    with (
        serve_site(built_book / "html") as site,
        offline_chromium() as (new_context, _),
    ):
        page = new_context(java_script_enabled=False).new_page()
        for doc in course_chapters():
            page.goto(f"{site}/{doc}.html")
            for name in explorables(doc):
                figure = page.locator(f"div.explorable:has(#{name})")
                assert figure.locator("img").get_attribute("alt")
                assert figure.locator("figcaption").is_visible()
                assert not figure.locator(".explorable-controls").count()
        page = new_context().new_page()
        for doc in course_chapters():
            open_page(page, f"{site}/{doc}.html")
            page.emulate_media(media="print")
            for name in explorables(doc):
                figure = live(page, name)
                assert figure.locator("img").is_visible(), (doc, name)
                assert not figure.locator(".explorable-chart").is_visible()
            page.emulate_media(media="screen")


#: Where the element of that id is, from the top of the window.
TOP = "id => document.getElementById(id).getBoundingClientRect().top"
#: Whether it is on the screen.
ON_SCREEN = f"id => (top => top >= 0 && top < innerHeight)(({TOP})(id))"


def test_a_jump_to_a_figure_lands_on_it_and_starts_it(built_book):
    """The slides and the notebooks link to each figure by its name
    (``page.html#name``), and a link within the page changes the address's
    #name: the figure is on the screen, live, whatever the sections above
    it that were not laid out yet."""
    missed = []
    with (
        serve_site(built_book / "html") as site,
        offline_chromium() as (new_context, _),
    ):
        for width in (390, 1280):
            page = new_context(
                viewport={"width": width, "height": 844}
            ).new_page()
            for doc in course_chapters():
                for name in explorables(doc):
                    for how in ("address", "link"):
                        if how == "address":
                            open_page(page, f"{site}/{doc}.html#{name}")
                        else:
                            open_page(page, f"{site}/{doc}.html")
                            page.evaluate(f"location.hash = '#{name}'")
                        # the theme scrolls smoothly: wait for the end
                        try:
                            page.wait_for_function(ON_SCREEN, arg=name)
                        except PlaywrightTimeout:
                            top = page.evaluate(TOP, name)
                            missed.append(f"{doc} {how} at {width}: {top}")
                            continue
                        page.locator(
                            f"div.explorable:has(#{name}) "
                            ".explorable-chart svg"
                        ).wait_for(state="attached", timeout=30_000)
    assert not missed, "\n".join(missed)


def test_vega_loads_only_near_a_figure(built_book):
    """A chapter's first screen fetches neither Vega nor any spec."""
    with (
        serve_site(built_book / "html") as site,
        offline_chromium() as (new_context, _),
    ):
        page = new_context(viewport={"width": 390, "height": 844}).new_page()
        fetched = []
        page.on("request", lambda r: fetched.append(r.url))
        for doc in course_chapters():
            fetched.clear()
            open_page(page, f"{site}/{doc}.html")
            assert not [
                u for u in fetched if "vega" in u or "explorables/" in u
            ]


def test_notebooks_show_the_static_figure_and_where_to_move_it(built_book):
    for doc in course_chapters():
        notebook = json.loads(
            (built_book / "html" / "_sources" / f"{doc}.ipynb").read_text()
        )
        text = "\n".join(
            "".join(c["source"])
            for c in notebook["cells"]
            if c["cell_type"] == "markdown"
        )
        for name in explorables(doc):
            assert f"#{name})" in text, (doc, name)
            assert "data:image/svg+xml;base64," in text
        assert text.count("Move this figure") == len(explorables(doc))
