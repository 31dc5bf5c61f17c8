"""The lecture slides: a deck per chapter that works offline.

Every deck is opened in an offline Chromium at 1280x720 and stepped through
slide by slide: nothing may overflow the slide, log an error, or load from
another machine, and axe-core finds no serious or critical violation; maths
is typeset, figures load and quizzes answer a click.
The speaker view and the print mode are checked on one deck; how the build
sorts a notebook onto slides, and when it writes a deck again, without a
browser.
"""

import json
import shutil
from types import SimpleNamespace

import nbformat
import pytest
import slides  # a local Sphinx extension (_ext/, on pytest's pythonpath)
import yaml
from browser import axe_violations, offline_chromium, serve_site
from helpers import REPO, build_book, chapters, copy_chapter, page
from shared import copy_assets, node_modules

from coursesite.prerender_math import Formula, MathError, render

#: The slide's size (slides_static/slides.js).
SLIDE = {"width": 1280, "height": 720}

#: Elements of the current slide outside the 1280x720 slide, once its fonts
#: are in and reveal.js has laid it out again: those inside a box that
#: scrolls or clips (code, outputs, a wide formula) are the box's.
OVERFLOWING = """async () => {
  await document.fonts.ready;
  await new Promise((r) => requestAnimationFrame(
    () => requestAnimationFrame(r)));
  const slide = Reveal.getCurrentSlide();
  const box = document.querySelector('.reveal .slides')
    .getBoundingClientRect();
  const scale = Reveal.getScale();
  const clipped = (el) => {
    for (let p = el.parentElement; p && p !== slide; p = p.parentElement) {
      if (getComputedStyle(p).overflow !== 'visible') return true;
    }
    return false;
  };
  return [...slide.querySelectorAll('*')].filter((el) => {
    const r = el.getBoundingClientRect();
    if (!r.width || !r.height || clipped(el)) return false;
    const slack = 1 * scale;
    return r.bottom > box.top + 720 * scale + slack
      || r.right > box.left + 1280 * scale + slack
      || r.left < box.left - slack || r.top < box.top - slack;
  }).map((el) => `${el.tagName}.${el.className}: ${el.textContent
    .slice(0, 60)}`);
}"""

#: Maths on the current slide that is not typeset: KaTeX's markup without
#: its style (the MathML copy shows) or without its fonts, or TeX left as
#: text.
UNTYPESET = """async () => {
  await document.fonts.ready;
  const slide = Reveal.getCurrentSlide();
  const bad = [];
  // the notes' maths is MathML, shown only in the speaker view
  const shown = [...slide.querySelectorAll('.katex')]
    .filter((k) => !k.closest('aside'));
  for (const k of shown) {
    const mathml = k.querySelector('.katex-mathml');
    if (mathml && mathml.getBoundingClientRect().width > 1)
      bad.push('KaTeX style sheet missing: ' + k.textContent.slice(0, 40));
  }
  if (shown.length && !document.fonts.check('20px KaTeX_Main'))
    bad.push('KaTeX fonts not loaded');
  const text = [...slide.querySelectorAll('p, li, h2, td, blockquote')]
    .filter((e) => !e.closest('.katex, aside')).map((e) => e.innerText)
    .join(' ');
  for (const tex of ['$', '\\\\frac', '\\\\begin', '\\u2063'])
    if (text.includes(tex)) bad.push('TeX left as text: ' + tex);
  return bad;
}"""

BROKEN_IMAGES = """() => [...Reveal.getCurrentSlide().querySelectorAll('img')]
  .filter((i) => !i.complete || !i.naturalWidth).map((i) => i.alt)"""


def decks() -> list[str]:
    """The chapters that have a deck: every notebook chapter but those
    ``slides_skip`` in ``_config.yml`` leaves out."""
    config = yaml.safe_load((REPO / "_config.yml").read_text())
    skip = config["sphinx"]["config"]["slides_skip"]
    return [doc for doc in chapters() if doc not in skip]


def deck_url(site: str, doc: str) -> str:
    return f"{site}/slides/{doc.split('/')[-1]}.html"


def open_deck(new_context, url: str):
    """A fresh 1280x720 page on the deck, reveal.js ready; its errors."""
    page_ = new_context(viewport=SLIDE).new_page()
    errors: list[str] = []
    page_.on(
        "console",
        lambda m: m.type in ("error", "warning") and errors.append(m.text),
    )
    page_.on("pageerror", lambda e: errors.append(str(e)))
    page_.goto(url)
    page_.wait_for_function("window.Reveal && Reveal.isReady()")
    return page_, errors


def answer_quiz(page_) -> None:
    """Click a wrong option, then the right one, then the explanation."""
    quiz = page_.locator(".present .dl-quiz").first
    feedback = quiz.locator(".dl-quiz-feedback")
    quiz.locator("button[data-correct=false]").first.click()
    assert "Not quite" in feedback.inner_text(), "no feedback on a wrong one"
    quiz.locator("button[data-correct=true]").click()
    assert feedback.inner_text() == "Correct!", "no feedback on the answer"
    quiz.locator("summary").click()
    assert quiz.locator("details p").is_visible(), "no explanation"


def step_through(page_) -> tuple[int, dict[str, list[str]]]:
    """Show every slide; returns the number of slides and the problems
    found on each, by slide number."""
    total = page_.evaluate("Reveal.getTotalSlides()")
    problems: dict[str, list[str]] = {}
    quizzes = 0
    for index in range(total):
        page_.evaluate(f"Reveal.slide({index})")
        page_.wait_for_function(f"Reveal.getIndices().h === {index}")
        found = [
            *(f"axe: {v}" for v in axe_violations(page_)),
            *(f"overflows: {e}" for e in page_.evaluate(OVERFLOWING)),
            *page_.evaluate(UNTYPESET),
            *(
                f"image not loaded: {a}"
                for a in page_.evaluate(BROKEN_IMAGES)
            ),
        ]
        if page_.locator(".present .dl-quiz").count():
            answer_quiz(page_)
            quizzes += 1
        if found:
            problems[f"slide {index + 1}"] = found
    if not quizzes:
        problems["deck"] = ["no quiz on any slide"]
    return total, problems


@pytest.mark.slow
def test_every_chapter_links_to_its_deck_and_back(built_book):
    html = built_book / "html"
    for doc in decks():
        name = doc.split("/")[-1]
        links = page(built_book, doc).select(
            f'a[href$="slides/{name}.html"]'
        )
        assert links, f"{doc}: no link to its slides"
        deck = (html / "slides" / f"{name}.html").read_text()
        assert f'href="../{doc}.html"' in deck, f"{name}: no link back"
    assert "slides" in page(built_book, "book/index").get_text().lower()
    assert not (html / "slides" / "status.html").exists()


@pytest.mark.slow
def test_every_deck_in_an_offline_browser(built_book, tmp_path):
    """Open and step through every deck; a screenshot of each first slide
    goes to tmp_path."""
    report = {}
    with (
        serve_site(built_book / "html") as site,
        offline_chromium() as (new_context, attempts),
    ):
        for doc in decks():
            page_, errors = open_deck(new_context, deck_url(site, doc))
            page_.screenshot(path=tmp_path / f"{doc.split('/')[-1]}.png")
            total, problems = step_through(page_)
            if errors:
                problems["console"] = errors
            report[doc] = (total, problems)
            page_.context.close()
        assert not attempts, f"requests off the machine: {attempts}"
    print({doc: total for doc, (total, _) in report.items()})
    bad = {doc: p for doc, (_, p) in report.items() if p}
    assert not bad, f"problems on the slides: {bad}"


@pytest.mark.slow
def test_speaker_view_and_print_mode_work_offline(built_book):
    doc = decks()[0]
    with (
        serve_site(built_book / "html") as site,
        offline_chromium() as (new_context, attempts),
    ):
        page_, errors = open_deck(new_context, deck_url(site, doc))
        page_.evaluate(
            "Reveal.slide(Reveal.getSlides()"
            ".findIndex((s, i) => i && s.querySelector('aside.notes')))"
        )
        notes = page_.locator(".present aside.notes").inner_text()
        assert notes.strip(), f"{doc}: the second slide has no notes"
        with page_.context.expect_page() as popup:
            page_.keyboard.press("s")
        speaker = popup.value
        speaker.wait_for_selector(".speaker-controls-notes")
        speaker.wait_for_function(
            "document.querySelector('.speaker-controls-notes')"
            ".innerText.length > 20"
        )
        shown = speaker.locator(".speaker-controls-notes").inner_text()
        assert notes.split()[0] in shown
        total = page_.evaluate("Reveal.getTotalSlides()")
        printed, print_errors = open_deck(
            new_context, deck_url(site, doc) + "?print-pdf"
        )
        printed.wait_for_selector(".pdf-page")
        assert printed.locator(".pdf-page").count() == total
        assert printed.pdf(width="1280px", height="720px")[:4] == b"%PDF"
        assert not errors + print_errors
        assert not attempts, f"requests off the machine: {attempts}"


#: Slide metadata a chapter may set (as Jupyter and RISE do), written into
#: a copy of the first chapter: a prose cell on a slide of its own, one in
#: the speaker notes, and the quiz's code cell left out.
OVERRIDES = {
    "## A perceptron with two inputs": (
        '+++ {"slideshow": {"slide_type": "slide"}}\n\n'
        "A forced slide.\n\n"
        '+++ {"slideshow": {"slide_type": "notes"}}\n\n'
        "Only in the notes.\n\n+++\n\n"
        "## A perceptron with two inputs"
    ),
    "```{code-cell} ipython3\n:tags: [remove-input]\n": (
        "```{code-cell} ipython3\n---\nslideshow:\n  slide_type: skip\n"
        "tags: [remove-input]\n---\n"
    ),
}


@pytest.mark.slow
def test_cell_metadata_overrides_the_defaults(tmp_path):
    copy = copy_chapter(tmp_path / "book", "perceptrons")
    (copy / "node_modules").symlink_to(REPO / "node_modules")
    chapter = copy / "book" / "perceptrons.md"
    text = chapter.read_text()
    assert text.count("multiple_choice(") == 1
    for found, replaced in OVERRIDES.items():
        assert found in text
        text = text.replace(found, replaced, 1)
    chapter.write_text(text)
    result = build_book(copy, copy)
    assert result.returncode == 0, result.stderr[-3000:]
    html = copy / "_build/html"
    deck = (html / "slides/perceptrons.html").read_text()
    assert "<section><h2>Perceptrons</h2><p>A forced slide.</p>" in deck
    notes = deck.index("Only in the notes.")
    assert deck.rfind('<aside class="notes">', 0, notes) > deck.rfind(
        "</aside>", 0, notes
    )
    assert "dl-quiz" not in deck
    # the deck records the hash of what the build made it from
    notebook = html / "_sources/book/perceptrons.ipynb"
    assert slides.recorded_inputs(html / "slides/perceptrons.html") == (
        slides.inputs_hash(notebook, node_modules(REPO))
    )


def test_katex_names_the_formulas_it_cannot_typeset():
    katex = node_modules(REPO) / "katex"
    good, bad = r"\sum_j w_j x_j", r"\frac{1}{"
    with pytest.raises(MathError, match=r"\\frac\{1\}\{") as error:
        render([Formula(good, False), Formula(bad, True)], katex)
    assert "sum" not in str(error.value)
    (markup,) = render([Formula(good, True)], katex)
    assert 'class="katex-display"' in markup and "<math" in markup


def test_an_unknown_slide_type_is_refused():
    cell = nbformat.v4.new_markdown_cell(
        "Text", metadata={"slideshow": {"slide_type": "sldie"}}
    )
    with pytest.raises(slides.DeckError, match="'sldie'.*slide, subslide"):
        slides.cell_blocks(cell, [])


def test_a_slide_holds_one_box_and_long_prose_goes_to_the_notes():
    long = "A sentence that the lecturer says aloud. " * 3
    code = "```python\nx = 1\n```\n\n"
    source = (
        f"## Section\n\n{long}\n\n$$\na = b\n$$\n\nOne line.\n\n"
        f"{code}From a.py:\n\n{code}"
    )
    formulas = []
    blocks = slides.markdown_blocks(source, formulas)
    kinds = ["heading", "notes", "text", "text", "box", "text", "box"]
    assert [b.kind for b in blocks] == kinds
    assert formulas == [Formula("a = b", True)]
    first, second = slides.slides_of(blocks)
    assert first.notes and [b.kind for b in first.body] == kinds[2:5]
    # a line that leads into a box starts a slide
    assert second.title == "Section"
    assert [b.kind for b in second.body] == ["text", "box"]
    assert slides.text_of(second.body[0].html) == "From a.py:"


def test_a_deck_records_the_hash_of_its_inputs(tmp_path):
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_markdown_cell("# Title\n\n## A\n\nB.")]
    katex = node_modules(REPO) / "katex"
    markup, count = slides.deck(notebook, "../a.html", "C", katex, "ab12")
    (tmp_path / "a.html").write_text(markup)
    assert (
        count == 2 and slides.recorded_inputs(tmp_path / "a.html") == "ab12"
    )


def test_a_deck_is_written_again_when_its_inputs_change(
    tmp_path, monkeypatch
):
    """A page is outdated when its deck is missing or records another hash
    than that of its notebook and the files that make decks now."""
    static = tmp_path / "slides_static"
    shutil.copytree(slides.STATIC, static)
    monkeypatch.setattr(slides, "STATIC", static)
    html = tmp_path / "html"
    app = SimpleNamespace(
        outdir=str(html),
        config=SimpleNamespace(slides_skip=["skipped"]),
        slides_modules=node_modules(REPO),
    )
    docs = ["current", "edited", "missing", "skipped"]
    env = SimpleNamespace(
        found_docs={*docs, "prose"},  # prose: a page without a notebook
        metadata={doc: {"kernelspec": {"name": "python3"}} for doc in docs},
    )
    for doc in docs:
        notebook = html / "_sources" / f"{doc}.ipynb"
        notebook.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nbformat.v4.new_notebook(), notebook)
        inputs = slides.inputs_hash(notebook, app.slides_modules)
        if doc != "missing":
            deck = slides.deck_html("", "", "../x.html", "C", inputs)
            slides.deck_path(app, doc).parent.mkdir(exist_ok=True)
            slides.deck_path(app, doc).write_text(deck)
    (html / "_sources" / "edited.ipynb").write_text(
        nbformat.writes(nbformat.v4.new_notebook(metadata={"edited": 1}))
    )
    assert slides.outdated_decks(app, env, [], [], []) == [
        "edited",
        "missing",
    ]
    # pages Sphinx reads anyway are left to it
    assert slides.outdated_decks(app, env, [], ["edited"], []) == ["missing"]
    with (static / "slides.css").open("a") as css:
        css.write("h2 { color: red; }\n")
    stale = slides.outdated_decks(app, env, [], [], [])
    assert stale == ["current", "edited", "missing"]


def test_deck_assets_are_the_pinned_versions_with_their_licences(tmp_path):
    pins = json.loads((REPO / "package.json").read_text())["dependencies"]
    copy_assets(node_modules(REPO), tmp_path, slides.ASSETS, {})
    for package in slides.ASSETS:
        copied = json.loads(
            (tmp_path / package / "package.json").read_text()
        )
        assert copied["version"] == pins[package]
        assert "MIT" in (tmp_path / package / "LICENSE").read_text()
    for rel in (
        "reveal.js/reveal.js",
        "reveal.js/plugin/notes.js",
        "katex/katex-swap.min.css",
        "katex/fonts/KaTeX_Main-Regular.woff2",
    ):
        assert (tmp_path / rel).is_file(), rel
