"""Lecture slides: a reveal.js deck for every chapter, made from its notebook.

The deck is made from the chapter's standalone notebook (written by
``_ext/standalone_notebooks.py`` a moment before), so it shows the same
executed figures, computed numbers and quizzes as the page; nothing is kept
in a second copy. ``_build/html/slides/<chapter>.html`` is written with the
chapter's page; reveal.js and KaTeX come from ``node_modules`` (pinned in
``package.json``) and are served from the site's ``_static``.

What goes on a slide (the defaults):

* every heading starts a slide; the chapter's title makes the title slide;
* display equations, figures, tables, short paragraphs and lists, code
  (cells and included package code) and every quiz go on the slide; a slide
  that would not fit 1280x720 continues on the next one;
* long prose and the exercises' solutions go to the slide's speaker notes.

A cell's ``slideshow: slide_type`` metadata (as in Jupyter and RISE)
overrides them: ``slide`` or ``subslide`` starts a new slide, ``fragment``
appears on a click, ``-`` keeps the whole cell on the slide, ``notes`` puts
it in the speaker notes and ``skip`` leaves it out.

Maths is typeset at build time (``coursesite.prerender_math``); code is
highlighted by Pygments with the site's colours.

Configuration (``sphinx: config:``): ``slides_skip``, the notebook pages
that get no deck.
"""

import base64
import html
import posixpath
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from bs4 import BeautifulSoup, NavigableString, Tag
from katex_math import ASSETS as KATEX_ASSETS
from katex_math import KATEX_CSS
from nbconvert.filters.markdown_mistune import (
    IPythonRenderer,
    MarkdownWithMath,
)
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import PythonLexer
from shared import copy_assets, copy_atomically, node_modules
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util import logging
from standalone_notebooks import BOOTSTRAP_NOTE, SCRIPT_NOTE

from coursesite import prerender_math
from coursesite.files import atomic_write
from coursesite.prerender_math import Formula, MathError, render

LOGGER = logging.getLogger(__name__)
HERE = Path(__file__).resolve().parent
#: The deck's own style sheet and start-up script, copied to
#: ``_static/slides/``.
STATIC = HERE / "slides_static"
#: The npm files a deck loads (see ``shared.copy_assets``).
ASSETS = {
    "reveal.js": [
        "LICENSE",
        "package.json",
        "dist/reveal.js",
        "dist/reveal.css",
        "dist/reset.css",
        "dist/plugin/notes.js",
    ],
    **KATEX_ASSETS,  # the pages' KaTeX files
}
#: The slide's size in CSS pixels (16:9) and the height its content may
#: take below the title: the budget by which the build cuts slides.
WIDTH, HEIGHT = 1280, 720
BODY_BUDGET = 590
#: Text that stays on a slide; longer prose goes to the speaker notes.
SHORT_TEXT = 170
SHORT_LIST = 420
#: Estimated heights (CSS pixels) of what goes on a slide, by the slide
#: style sheet's sizes (``slides_static/slides.css``).
TEXT_LINE, CHARS_PER_LINE = 38, 85
TITLE_LINE, TITLE_CHARS = 46, 55
CODE_LINE, CODE_MAX_LINES = 26, 14
OUTPUT_LINE, OUTPUT_MAX_LINES = 24, 8
FIGURE_HEIGHT = 440  # the style sheet's max-height for a figure, + margin
QUIZ_HEIGHT = 430
HTML_MAX_HEIGHT = 380  # a table output's scroll box
#: Formulas taller than a line of text (fractions, sums, braces...) and the
#: height each adds to its line.
TALL_TEX = re.compile(
    r"\\(d?frac|sum|prod|int|underbrace|overbrace|binom)|\^\{"
)
TALL_INLINE = 22
MATH_TOKEN = "\u2063MATH{}\u2063"  # invisible separators around an index


class DeckError(ValueError):
    """A chapter's slide metadata the deck cannot follow."""


@dataclass
class Block:
    """One thing of a deck: a heading, a paragraph, a cell..."""

    html: str
    kind: str  # title, heading, text, notes, or what goes on a slide
    height: int = 0
    fragment: bool = False
    new_slide: bool = False


@dataclass
class Slide:
    title: str
    body: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    height: int = 0
    is_title: bool = False


class Maths(IPythonRenderer):
    """Markdown to HTML with each formula replaced by a numbered token, so a
    whole deck's maths is typeset in one batch afterwards."""

    def __init__(self, formulas: list[Formula]) -> None:
        super().__init__(escape=False, exclude_anchor_links=True)
        self.formulas = formulas

    def _token(self, tex: str, display: bool) -> str:
        self.formulas.append(Formula(tex.strip(), display))
        token = MATH_TOKEN.format(len(self.formulas) - 1)
        if not display:
            return token
        rows = tex.count("\\\\") + 1
        return f'<div class="math-display" data-rows="{rows}">{token}</div>'

    def block_math(self, body: str) -> str:
        return self._token(body, True)

    def latex_environment(self, name: str, body: str) -> str:
        return self._token(f"\\begin{{{name}}}{body}\\end{{{name}}}", True)

    def inline_math(self, body: str) -> str:
        return self._token(body, False)


def lines(text: str) -> int:
    return text.rstrip("\n").count("\n") + 1


def text_height(text: str) -> int:
    return TEXT_LINE * (1 + len(text) // CHARS_PER_LINE) + 12


def code_html(source: str) -> str:
    """Python source highlighted by Pygments, as the pages highlight it."""
    return highlight(source, PythonLexer(), HtmlFormatter())


def code_height(source: str) -> int:
    return CODE_LINE * min(lines(source), CODE_MAX_LINES) + 28


def slide_type(metadata: dict) -> str:
    """The cell's ``slideshow: slide_type``, or "" for the defaults."""
    kind = metadata.get("slideshow", {}).get("slide_type", "")
    if kind not in (
        "",
        "slide",
        "subslide",
        "fragment",
        "-",
        "skip",
        "notes",
    ):
        raise DeckError(
            f"unknown slide_type {kind!r} in a cell's metadata; use slide, "
            "subslide, fragment, -, skip or notes (as Jupyter does)."
        )
    return kind


# -- notebook cells to blocks ---------------------------------------------


def markdown_blocks(source: str, formulas: list[Formula]) -> list[Block]:
    """A Markdown cell's top-level elements, each sorted onto the slide or
    into the notes."""
    markup = MarkdownWithMath(renderer=Maths(formulas)).render(source)
    soup = BeautifulSoup(markup, "html.parser")
    blocks = []
    for node in list(soup.children):
        if isinstance(node, NavigableString):
            if node.strip():
                blocks.append(Block(str(node), "text", text_height(node)))
            continue
        for piece in split_at_display_maths(node):
            blocks.append(element_block(piece, formulas))
    return blocks


def split_at_display_maths(node: Tag) -> list[Tag]:
    """A paragraph with display maths inside (``$$`` within the text) as
    the text before, the formula and the text after: the formula is a key
    equation for the slide even where the prose around it is long."""
    if node.name != "p" or not node.find(class_="math-display"):
        return [node]
    pieces, text = [], []
    for child in list(node.children):
        if isinstance(child, Tag) and "math-display" in child.get(
            "class", []
        ):
            pieces += [*paragraph(text), child.extract()]
            text = []
        else:
            text.append(child.extract())
    return pieces + paragraph(text)


def paragraph(children: list) -> list[Tag]:
    """``children`` in a new paragraph, none if they are only spaces."""
    if not "".join(str(c) for c in children).strip():
        return []
    p = BeautifulSoup("<p></p>", "html.parser").p
    for child in children:
        p.append(child)
    return [p]


def element_block(node: Tag, formulas: list[Formula]) -> Block:
    """Where one element of the prose goes, and how tall it is."""
    markup, text = str(node), node.get_text(" ", strip=True)
    tall = TALL_INLINE * sum(
        bool(TALL_TEX.search(formulas[int(i)].tex))
        for i in re.findall(MATH_TOKEN.format(r"(\d+)"), markup)
    ) + sum(
        display_height(int(d.get("data-rows", 1)))
        for d in node.find_all(class_="math-display")
    )
    if node.name == "h1":
        return Block(node.decode_contents(), "title")
    if re.fullmatch(r"h[2-6]", node.name):
        return Block(node.decode_contents(), "heading")
    if "math-display" in node.get("class", []):
        rows = int(node.get("data-rows", 1))
        return Block(markup, "math", display_height(rows) + tall)
    if node.name in ("ul", "ol"):
        items = node.find_all("li", recursive=False)
        short = len(text) <= SHORT_LIST and all(
            len(li.get_text()) <= SHORT_TEXT for li in items
        )
        height = sum(text_height(li.get_text()) for li in items) + 16 + tall
        return Block(markup, "list" if short else "notes", height)
    if node.name == "details":
        return Block(markup, "notes")
    if node.find("img") and not text:
        return Block(markup, "figure", FIGURE_HEIGHT)
    if node.name == "pre" or "highlight" in node.get("class", []):
        return Block(markup, "code", code_height(node.get_text()))
    if node.name == "table":
        rows = len(node.find_all("tr"))
        return Block(boxed(markup), "table", min(40 * rows, HTML_MAX_HEIGHT))
    if node.name == "hr":
        return Block("", "skip")
    limit = 2 * SHORT_TEXT if node.name == "blockquote" else SHORT_TEXT
    if len(text) > limit:
        return Block(markup, "notes")
    return Block(markup, "text", text_height(text) + tall)


def display_height(rows: int) -> int:
    return 50 + 50 * rows


def boxed(markup: str) -> str:
    return f'<div class="scroll-box">{markup}</div>'


def output_blocks(cell) -> list[tuple[str, str, int]]:
    """``(kind, html, height)`` of each output a code cell shows."""
    alt = cell.metadata.get("mystnb", {}).get("image", {}).get("alt", "")
    out = []
    for output in merged_streams(cell.get("outputs", [])):
        if output.output_type == "stream":
            text = output.text
            out.append(("output", pre(text), output_height(text)))
            continue
        data = output.get("data", {})
        if "image/svg+xml" in data or "image/png" in data:
            out.append(("figure", image(data, alt), FIGURE_HEIGHT))
        elif "text/html" in data:
            markup = "".join(data["text/html"])
            if "dl-quiz" in markup:
                out.append(("quiz", markup, QUIZ_HEIGHT))
            else:
                rows = markup.count("<tr")
                height = min(36 * max(rows, 2), HTML_MAX_HEIGHT)
                out.append(("table", boxed(markup), height))
        elif "text/plain" in data:
            text = data["text/plain"]
            out.append(("output", pre(text), output_height(text)))
    return out


def merged_streams(outputs: list) -> list:
    """Consecutive prints to one stream as one output: one box, which
    scrolls, not a box per flush."""
    merged: list = []
    for output in outputs:
        last = merged[-1] if merged else None
        if (
            last is not None
            and output.output_type == last.output_type == "stream"
            and output.name == last.name
        ):
            merged[-1] = nbformat.from_dict(
                {**last, "text": last.text + output.text}
            )
        else:
            merged.append(output)
    return merged


def pre(text: str) -> str:
    return f'<pre class="output">{html.escape(text.rstrip())}</pre>'


def output_height(text: str) -> int:
    return OUTPUT_LINE * min(lines(text), OUTPUT_MAX_LINES) + 24


def image(data: dict, alt: str) -> str:
    """A figure output as an image: SVG where the build drew one; ``alt``
    is the chapter's text alternative (else matplotlib's own words)."""
    if "image/svg+xml" in data:
        svg = "".join(data["image/svg+xml"]).encode()
        uri = "data:image/svg+xml;base64," + base64.b64encode(svg).decode()
    else:
        uri = "data:image/png;base64," + "".join(data["image/png"]).strip()
    alt = html.escape(alt or "".join(data.get("text/plain", "")), quote=True)
    return f'<img class="figure" src="{uri}" alt="{alt}">'


def code_block(cell) -> Block | None:
    """A code cell's source and outputs as the page shows them."""
    hidden = cell.metadata.get("jupyter", {})
    source_hidden = hidden.get("source_hidden", False)
    outputs = [] if hidden.get("outputs_hidden") else output_blocks(cell)
    if source_hidden and not outputs:
        return None
    parts, height = [], 0
    if not source_hidden:
        parts.append(f'<div class="code">{code_html(cell.source)}</div>')
        height = code_height(cell.source)
    kinds = {kind for kind, _, _ in outputs}
    out_html = "".join(markup for _, markup, _ in outputs)
    out_height = sum(h for _, _, h in outputs)
    if parts and outputs and "figure" in kinds and height > 4 * CODE_LINE:
        # long code and a figure: side by side
        body = (
            f'<div class="cell two-columns">{parts[0]}'
            f'<div class="outputs">{out_html}</div></div>'
        )
        return Block(body, "cell", max(height, out_height))
    kind = "quiz" if "quiz" in kinds else "cell"
    body = "".join(parts) + (f'<div class="outputs">{out_html}</div>')
    return Block(
        f'<div class="cell">{body}</div>', kind, height + out_height
    )


def cell_blocks(cell, formulas: list[Formula]) -> list[Block]:
    """The blocks of one notebook cell, with its slide_type applied."""
    kind = slide_type(cell.metadata)
    if kind == "skip":
        return []
    if cell.cell_type == "markdown":
        blocks = markdown_blocks(cell.source, formulas)
    else:
        block = code_block(cell)
        blocks = [block] if block else []
    for block in blocks:
        if kind == "notes" and block.kind not in ("title", "heading"):
            block.kind = "notes"
        if kind == "-" and block.kind == "notes":
            block.kind, block.height = "text", text_height(block.html)
        block.fragment = kind == "fragment"
    if blocks and kind in ("slide", "subslide"):
        blocks[0].new_slide = True
    return blocks


def deck_cells(notebook) -> list:
    """The notebook's cells that belong in a lecture: not the set-up cell
    (the course package is installed where the deck is shown) nor the notes
    about running saved scripts."""
    cells = list(notebook.cells)
    if cells and cells[0].source == BOOTSTRAP_NOTE:
        cells = cells[2:]
    return [c for c in cells if c.source != SCRIPT_NOTE]


# -- blocks to slides -----------------------------------------------------


def first_sentence(markup: str) -> str:
    """The first sentence of a paragraph's markup (its inline markup and
    maths kept), or "" when ``markup`` is not a paragraph."""
    node = BeautifulSoup(markup, "html.parser").find()
    if node is None or node.name != "p":
        return ""
    kept = []
    for child in node.children:
        if not isinstance(child, NavigableString):
            kept.append(str(child))
            continue
        end = re.search(r"[.!?](\s|$)", child)
        kept.append(html.escape(child[: end.end()] if end else child, False))
        if end:
            break
    return f"<p>{''.join(kept).rstrip()}</p>"


def lead_from_notes(slide: Slide) -> None:
    """A slide with only a title and notes shows their first sentence."""
    if slide.is_title or slide.body or not slide.notes:
        return
    sentence = first_sentence(slide.notes[0])
    if sentence:
        slide.body.append(sentence)


def title_height(title: str) -> int:
    """What a slide title's lines beyond the first take from the budget."""
    text = BeautifulSoup(title, "html.parser").get_text()
    return TITLE_LINE * (len(text) // TITLE_CHARS)


def keep_leads_with_next(blocks: list[Block]) -> list[Block]:
    """A short line that leads into what follows ("From perceptron.py:",
    "Take the perceptron with weights ...:") stays on its slide."""
    kept: list[Block] = []
    for block in blocks:
        lead = kept[-1] if kept else None
        if (
            lead
            and lead.kind == "text"
            and BeautifulSoup(lead.html, "html.parser")
            .get_text()
            .rstrip()[-1:]
            == ":"
            and block.kind not in ("title", "heading", "notes", "skip")
            and not block.new_slide
        ):
            lead.html += block.html
            lead.height += block.height
            lead.kind = block.kind
            continue
        kept.append(block)
    return kept


def slides_of(blocks: list[Block]) -> list[Slide]:
    """Blocks cut into slides: headings start one, a slide that is full
    continues on the next, notes follow the slide they belong to."""
    slides: list[Slide] = []
    title = ""
    for block in blocks:
        if block.kind == "skip":
            continue
        if block.kind == "title":
            title = block.html
            slides.append(Slide(title, is_title=True))
            continue
        if block.kind == "heading":
            title = block.html
            slides.append(Slide(title, height=title_height(title)))
            continue
        if not slides:
            slides.append(Slide(title, height=title_height(title)))
        current = slides[-1]
        if block.kind == "notes":
            current.notes.append(block.html)
            continue
        full = current.height + block.height > BODY_BUDGET
        if current.is_title or block.new_slide or (full and current.body):
            current = Slide(title, height=title_height(title))
            slides.append(current)
        wrapped = block.html
        if block.fragment:
            wrapped = f'<div class="fragment">{wrapped}</div>'
        current.body.append(wrapped)
        current.height += block.height
    for slide in slides:
        lead_from_notes(slide)
    return slides


# -- the deck ---------------------------------------------------------------


def typeset(markup: str, maths: list[str]) -> str:
    return re.sub(
        MATH_TOKEN.format(r"(\d+)"),
        lambda m: maths[int(m.group(1))],
        markup,
    )


def slide_html(
    slide: Slide, page: str, course: str, maths: list[str], notes: list[str]
) -> str:
    """One ``<section>``: the title slide links back to the chapter."""
    if slide.is_title:
        body = (
            f'<h1>{slide.title}</h1><p class="course">{course}: lecture '
            "slides</p>"
            f'<p><a href="{page}">Read the chapter</a></p>'
        )
    else:
        body = f"<h2>{slide.title}</h2>" + "".join(slide.body)
    aside = ""
    if slide.notes:
        aside = f'<aside class="notes">{"".join(slide.notes)}</aside>'
    # a box that scrolls takes the keyboard's focus, so it can be scrolled
    # without a mouse
    body = re.sub(r"<pre(?=[ >])", '<pre tabindex="0"', body)
    body = body.replace(
        'class="scroll-box"', 'class="scroll-box" tabindex="0"'
    )
    return (
        f"<section{' class=title-slide' if slide.is_title else ''}>"
        f"{typeset(body, maths)}{typeset(aside, notes)}</section>"
    )


def deck_html(
    slides: list[Slide],
    title: str,
    page: str,
    course: str,
    maths: list[str],
    notes: list[str],
) -> str:
    """The whole deck: reveal.js, KaTeX's style sheet, the site's code
    colours and the deck's own style, all from ``../_static``."""
    sections = "\n".join(
        slide_html(s, page, course, maths, notes) for s in slides
    )
    text_title = BeautifulSoup(title, "html.parser").get_text()
    static = "../_static"
    return f"""<!DOCTYPE html>
<html lang="en" data-theme="light">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(text_title)} (slides) | {html.escape(course)}</title>
<link rel="stylesheet" href="{static}/reveal.js/reset.css">
<link rel="stylesheet" href="{static}/reveal.js/reveal.css">
<link rel="stylesheet" href="{static}/{KATEX_CSS}">
<link rel="stylesheet" href="{static}/pygments.css">
<link rel="stylesheet" href="{static}/slides/slides.css">
</head>
<body>
<div class="reveal">
<a class="back-to-chapter" href="{page}">Chapter page</a>
<div class="slides">
{sections}
</div>
</div>
<script src="{static}/reveal.js/reveal.js"></script>
<script src="{static}/reveal.js/plugin/notes.js"></script>
<script src="{static}/slides/slides.js"></script>
</body>
</html>
"""


def deck(notebook, page: str, course: str, katex: Path) -> tuple[str, int]:
    """The deck of ``notebook`` as HTML, and its number of slides."""
    formulas: list[Formula] = []
    blocks = [
        b
        for cell in deck_cells(notebook)
        for b in cell_blocks(cell, formulas)
    ]
    slides = slides_of(keep_leads_with_next(blocks))
    # the speaker view has no KaTeX style sheet: the browser's own MathML
    in_notes = [Formula(f.tex, f.display, "mathml") for f in formulas]
    typeset_all = render(formulas + in_notes, katex)
    maths, notes = typeset_all[: len(formulas)], typeset_all[len(formulas) :]
    title = next((s.title for s in slides if s.is_title), "")
    return deck_html(slides, title, page, course, maths, notes), len(slides)


# -- Sphinx -----------------------------------------------------------------


#: A Markdown link to a page of the site that is relative to the notebook
#: (a build without a repository, ``_ext/standalone_notebooks.py``).
RELATIVE_PAGE_LINK = re.compile(
    r"\]\((?![\w+.-]+:)([^)\s#]+\.html(?:#[^)\s]*)?)\)"
)


def rebase_links(notebook, source: str, deck: str) -> None:
    """Make the notebook's links relative to the folder ``deck`` instead of
    ``source`` (the notebook's folder in the site), where the deck lies."""

    def moved(link: re.Match) -> str:
        target = posixpath.normpath(posixpath.join(source, link[1]))
        return f"]({posixpath.relpath(target, deck)})"

    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            cell.source = RELATIVE_PAGE_LINK.sub(moved, cell.source)


def deck_path(app: Sphinx, pagename: str) -> Path:
    return Path(app.outdir) / "slides" / f"{Path(pagename).name}.html"


def has_deck(app: Sphinx, pagename: str, context: dict) -> bool:
    return bool(context.get("ipynb_source")) and (
        pagename not in app.config.slides_skip
    )


def write_deck(
    app: Sphinx, pagename: str, templatename: str, context: dict, doctree
) -> None:
    """Write the page's deck from its standalone notebook; link to it."""
    if not has_deck(app, pagename, context) or doctree is None:
        return
    start = time.perf_counter()
    source = Path(app.outdir) / "_sources" / context["ipynb_source"]
    notebook = nbformat.read(source, as_version=4)
    path = deck_path(app, pagename)
    rebase_links(
        notebook,
        source.parent.relative_to(app.outdir).as_posix(),
        path.parent.relative_to(app.outdir).as_posix(),
    )
    page = f"../{pagename}.html"
    katex = app.slides_modules / "katex"
    try:
        markup, count = deck(notebook, page, app.config.html_title, katex)
    except (MathError, DeckError) as error:
        raise ExtensionError(
            f"slides: {pagename}.md: {error}\nFix it in the chapter."
        ) from error
    with atomic_write(path, encoding="utf-8") as f:
        f.write(markup)
    app.slides_written[pagename] = count
    app.slides_seconds += time.perf_counter() - start
    add_slides_button(
        context, f"{context['pathto']('slides', 1)}/{path.name}"
    )


def add_slides_button(context: dict, url: str) -> None:
    """A "Slides" button in the page's header, beside the launch menu."""
    context["header_buttons"].insert(
        0,
        {
            "type": "link",
            "url": url,
            "tooltip": "Lecture slides",
            "text": "Slides",
            "icon": "fas fa-person-chalkboard",
            "label": "slides-button",
            "classes": "pst-navbar-icon",
        },
    )


def find_modules(app: Sphinx) -> None:
    app.slides_modules = node_modules(Path(app.confdir))
    app.slides_written = {}
    app.slides_seconds = 0.0  # what the decks add to the build
    for package in ASSETS:
        if not (app.slides_modules / package / "package.json").is_file():
            raise ExtensionError(
                f"slides: {package} is not installed in "
                f"{app.slides_modules}. Run `npm ci --ignore-scripts` in "
                "the repository root (package.json pins it)."
            )


def outdated_decks(app: Sphinx, env, added, changed, removed) -> list[str]:
    """Pages whose deck is missing or older than this extension: Sphinx
    rewrites only changed pages, and would keep stale decks after the
    extension changed."""
    made_by = [Path(__file__), Path(prerender_math.__file__)]
    newest = max(p.stat().st_mtime for p in [*made_by, *STATIC.iterdir()])
    stale = []
    for doc in env.found_docs - set(added) - set(changed):
        if doc in app.config.slides_skip or not (
            env.metadata.get(doc, {}).get("kernelspec")
        ):
            continue
        path = deck_path(app, doc)
        if not path.exists() or path.stat().st_mtime < newest:
            stale.append(doc)
    return stale


def copy_deck_assets(app: Sphinx, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    start = time.perf_counter()
    static = Path(app.outdir) / "_static"
    copy_assets(app.slides_modules, static, ASSETS, {})
    for src in sorted(STATIC.iterdir()):
        copy_atomically(src, static / "slides" / src.name)
    for pagename, count in sorted(app.slides_written.items()):
        LOGGER.info("slides: %s: %d slides", pagename, count)
    seconds = app.slides_seconds + time.perf_counter() - start
    # benchmarks/build.py reads this line (DECKS_LINE there)
    LOGGER.info(
        "slides: %d decks written in %.2f s",
        len(app.slides_written),
        seconds,
    )


def setup(app: Sphinx) -> dict:
    app.add_config_value("slides_skip", [], "html", list)
    app.connect("builder-inited", find_modules)
    # after standalone_notebooks (600) wrote the notebook the deck reads
    app.connect("html-page-context", write_deck, priority=700)
    app.connect("env-get-outdated", outdated_decks)
    app.connect("build-finished", copy_deck_assets)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
