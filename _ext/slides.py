"""Lecture slides: a reveal.js deck for every chapter, made from its notebook.

The deck is made from the chapter's standalone notebook (written by
``_ext/standalone_notebooks.py`` a moment before), so it shows the same
executed figures, computed numbers and quizzes as the page; nothing is kept
in a second copy. ``_build/html/slides/<chapter>.html`` is written with the
chapter's page; reveal.js and KaTeX come from ``node_modules`` (pinned in
``package.json``) and are served from the site's ``_static``.

The build sorts the notebook onto slides by its structure, and reveal.js
sizes each slide in the browser, so no height is estimated here:

* every heading starts a slide; the chapter's title makes the title slide;
* a slide shows at most one *box*: a code cell with its outputs, a code
  block, a figure, a table or a quiz. The box carries reveal.js's
  ``r-stretch`` class, which gives it the height the slide's other content
  leaves; inside it code and outputs scroll and figures scale
  (``slides_static/slides.css``). After the box a slide keeps one line, its
  caption; what follows starts a new slide under the same title, and so
  does a line that leads into what follows (one that ends with a colon);
* display equations, quotes, and paragraphs and lists (items) of one
  sentence go on the slide; longer prose and the exercises' solutions go
  to the speaker notes, and a slide with nothing else shows their first
  sentence.

A cell's ``slideshow: slide_type`` metadata (as in Jupyter and RISE)
overrides them: ``slide`` or ``subslide`` starts a new slide, ``fragment``
appears on a click, ``-`` keeps the whole cell on the slide, ``notes`` puts
it in the speaker notes and ``skip`` leaves it out.

Maths is typeset at build time (``coursesite.prerender_math``); code is
highlighted by Pygments with the site's colours. Each deck records a hash of
what it is made from, and a deck whose inputs changed is written again
(``outdated_decks``), as pages are re-executed when their code changes.

Configuration (``sphinx: config:``): ``slides_skip``, the notebook pages
that get no deck.
"""

import base64
import hashlib
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
from nbconvert.preprocessors import CoalesceStreamsPreprocessor
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import TextLexer, get_lexer_by_name
from pygments.util import ClassNotFound
from shared import copy_assets, copy_atomically, node_modules
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util import logging
from standalone_notebooks import SCRIPT_NOTE, SETUP_NOTES

from coursesite import prerender_math
from coursesite.files import atomic_write
from coursesite.fingerprint import source_hash
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
#: Jupyter's (and RISE's) ``slideshow: slide_type`` values; "" is none.
SLIDE_TYPES = ("", "slide", "subslide", "fragment", "-", "skip", "notes")
MATH_TOKEN = "\u2063MATH{}\u2063"  # invisible separators around an index
#: Where a deck records the hash of its inputs, in its first lines.
INPUTS_META = '<meta name="deck-inputs" content="{}">'
RECORDED_INPUTS = re.compile(INPUTS_META.format(r"([0-9a-f]+)"))


class DeckError(ValueError):
    """A chapter's slide metadata the deck cannot follow."""


@dataclass
class Block:
    """One thing of a deck: a heading, a paragraph, a cell..."""

    html: str
    kind: str  # title, heading, text, box, notes or skip
    layout: str = "stack"  # a box's: "stack" or "two-columns"
    fragment: bool = False
    new_slide: bool = False


@dataclass
class Slide:
    title: str
    body: list[Block] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
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
        return f'<div class="math-display">{token}</div>'

    def block_math(self, body: str) -> str:
        return self._token(body, True)

    def latex_environment(self, name: str, body: str) -> str:
        return self._token(f"\\begin{{{name}}}{body}\\end{{{name}}}", True)

    def inline_math(self, body: str) -> str:
        return self._token(body, False)

    def block_code(self, code: str, info: str | None = None) -> str:
        return code_html(code, (info or "text").split()[0])


def code_html(source: str, language: str = "python") -> str:
    """Source highlighted by Pygments, as the pages highlight it, in a box
    that takes the keyboard's focus, so that it scrolls without a mouse."""
    try:
        lexer = get_lexer_by_name(language)
    except ClassNotFound:
        lexer = TextLexer()
    spans = highlight(source, lexer, HtmlFormatter(nowrap=True))
    return f'<pre class="highlight" tabindex="0">{spans}</pre>'


def slide_type(metadata: dict) -> str:
    """The cell's ``slideshow: slide_type``, or "" for the defaults."""
    kind = metadata.get("slideshow", {}).get("slide_type", "")
    if kind not in SLIDE_TYPES:
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
    blocks = []
    for node in BeautifulSoup(markup, "html.parser").children:
        if isinstance(node, Tag):
            blocks += [
                element_block(p) for p in split_at_display_maths(node)
            ]
        elif node.strip():
            blocks.append(Block(str(node), "text"))
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


def sentences(text: str) -> int:
    """How many sentences ``text`` has: a slide shows one, the speaker
    notes hold more."""
    return len(re.findall(r"[.!?]\s+\S", text.strip())) + 1


def element_block(node: Tag) -> Block:
    """Where one element of the prose goes: on the slide, in its box, or in
    the speaker notes."""
    if node.name == "h1":
        return Block(node.decode_contents(), "title")
    if re.fullmatch(r"h[2-6]", node.name):
        return Block(node.decode_contents(), "heading")
    if node.name == "hr":
        return Block("", "skip")
    if node.name == "details":
        return Block(str(node), "notes")
    if node.name == "pre":
        return Block(str(node), "box")
    if node.name == "table":
        return Block(scroll_box(str(node)), "box")
    if node.find("img") and not node.get_text(strip=True):
        return Block("".join(map(str, node.find_all("img"))), "box")
    lines = node.find_all("li") if node.name in ("ul", "ol") else [node]
    if node.name in ("p", "ul", "ol") and any(
        sentences(line.get_text()) > 1 for line in lines
    ):
        return Block(str(node), "notes")
    return Block(str(node), "text")


def scroll_box(markup: str) -> str:
    return f'<div class="scroll-box" tabindex="0">{markup}</div>'


def pre(text: str) -> str:
    escaped = html.escape(text.rstrip())
    return f'<pre class="output" tabindex="0">{escaped}</pre>'


def outputs_html(cell) -> list[str]:
    """The HTML of each output a code cell shows."""
    alt = cell.metadata.get("mystnb", {}).get("image", {}).get("alt", "")
    out = []
    for output in cell.get("outputs", []):
        data = output.get("data", {})
        if output.output_type == "stream":
            out.append(pre(output.text))
        elif "image/svg+xml" in data or "image/png" in data:
            out.append(image(data, alt))
        elif "text/html" in data:
            markup = "".join(data["text/html"])
            out.append(markup if "dl-quiz" in markup else scroll_box(markup))
        elif "text/plain" in data:
            out.append(pre(data["text/plain"]))
    return out


def image(data: dict, alt: str) -> str:
    """A figure output as an image: SVG where the build drew one; ``alt``
    is the chapter's text alternative (else matplotlib's own words)."""
    if "image/svg+xml" in data:
        svg = "".join(data["image/svg+xml"]).encode()
        uri = "data:image/svg+xml;base64," + base64.b64encode(svg).decode()
    else:
        uri = "data:image/png;base64," + "".join(data["image/png"]).strip()
    alt = html.escape(alt or "".join(data.get("text/plain", "")), quote=True)
    return f'<img src="{uri}" alt="{alt}">'


def code_block(cell) -> Block | None:
    """A code cell's source and outputs as the page shows them: side by
    side when the cell draws a figure, so that both get the box's height."""
    hidden = cell.metadata.get("jupyter", {})
    source = [] if hidden.get("source_hidden") else [code_html(cell.source)]
    shown = [] if hidden.get("outputs_hidden") else outputs_html(cell)
    if source and any(o.startswith("<img") for o in shown):
        columns = f'<div class="stack">{"".join(shown)}</div>'
        return Block(
            f'<div class="stack">{source[0]}</div>{columns}',
            "box",
            layout="two-columns",
        )
    return Block("".join(source + shown), "box") if source + shown else None


def cell_blocks(cell, formulas: list[Formula]) -> list[Block]:
    """The blocks of one notebook cell, with its slide_type applied."""
    kind = slide_type(cell.metadata)
    if kind == "skip":
        return []
    if cell.cell_type == "markdown":
        blocks = markdown_blocks(cell.source, formulas)
    else:
        blocks = [b for b in [code_block(cell)] if b]
    for block in blocks:
        if kind == "notes" and block.kind not in ("title", "heading"):
            block.kind = "notes"
        if kind == "-" and block.kind == "notes":
            block.kind = "text"
        block.fragment = kind == "fragment"
    if blocks and kind in ("slide", "subslide"):
        blocks[0].new_slide = True
    return blocks


def deck_cells(notebook) -> list:
    """The notebook's cells that belong in a lecture: not the set-up cell
    (the course package is installed where the deck is shown) nor the notes
    about running saved scripts."""
    cells = list(notebook.cells)
    if cells and cells[0].source in SETUP_NOTES:
        cells = cells[2:]
    return [c for c in cells if c.source != SCRIPT_NOTE]


# -- blocks to slides -----------------------------------------------------


def text_of(markup: str) -> str:
    return BeautifulSoup(markup, "html.parser").get_text()


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
        slide.body.append(Block(sentence, "text"))


def leads_in(block: Block) -> bool:
    """A line that leads into what follows ("From perceptron.py:")."""
    return block.kind == "text" and text_of(block.html).rstrip()[-1:] == ":"


def starts_slide(slide: Slide, block: Block) -> bool:
    """Whether ``block`` goes on a new slide after ``slide``: a line that
    leads into what follows starts one, and a slide holds one box and, after
    it, one line (its caption)."""
    leads = bool(slide.body) and leads_in(block)
    if slide.is_title or block.new_slide or leads:
        return True
    boxes = [i for i, b in enumerate(slide.body) if b.kind == "box"]
    if not boxes:
        return False
    return block.kind == "box" or len(slide.body) > boxes[-1] + 1


def slides_of(blocks: list[Block]) -> list[Slide]:
    """Blocks cut into slides: headings start one, and so does what follows
    a slide's box and caption; notes follow the slide they belong to."""
    slides: list[Slide] = []
    title = ""
    for block in blocks:
        if block.kind == "skip":
            continue
        if block.kind in ("title", "heading"):
            title = block.html
            slides.append(Slide(title, is_title=block.kind == "title"))
            continue
        if not slides:
            slides.append(Slide(title))
        if block.kind == "notes":
            slides[-1].notes.append(block.html)
            continue
        if starts_slide(slides[-1], block):
            slides.append(Slide(title))
        slides[-1].body.append(block)
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


def block_html(block: Block) -> str:
    """A block as the slide shows it: a box with reveal.js's r-stretch."""
    fragment = " fragment" if block.fragment else ""
    if block.kind == "box":
        classes = f"r-stretch {block.layout}{fragment}"
        return f'<div class="{classes}">{block.html}</div>'
    if block.fragment:
        return f'<div class="fragment">{block.html}</div>'
    return block.html


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
        body = f"<h2>{slide.title}</h2>" + "".join(
            map(block_html, slide.body)
        )
    aside = ""
    if slide.notes:
        aside = f'<aside class="notes">{"".join(slide.notes)}</aside>'
    return (
        f"<section{' class=title-slide' if slide.is_title else ''}>"
        f"{typeset(body, maths)}{typeset(aside, notes)}</section>"
    )


def deck_html(
    sections: str, title: str, page: str, course: str, inputs: str
) -> str:
    """The whole deck: reveal.js, KaTeX's style sheet, the site's code
    colours and the deck's own style, all from ``../_static``."""
    text_title = html.escape(text_of(title))
    static = "../_static"
    return f"""<!DOCTYPE html>
<html lang="en" data-theme="light">
<head>
<meta charset="utf-8">
{INPUTS_META.format(inputs)}
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{text_title} (slides) | {html.escape(course)}</title>
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


def deck(
    notebook, page: str, course: str, katex: Path, inputs: str
) -> tuple[str, int]:
    """The deck of ``notebook`` as HTML, and its number of slides;
    ``inputs`` is the hash it records of what it is made from."""
    # consecutive prints to one stream as one output: one box, not one
    # per flush
    CoalesceStreamsPreprocessor().preprocess(notebook, {})
    formulas: list[Formula] = []
    blocks = [
        b
        for cell in deck_cells(notebook)
        for b in cell_blocks(cell, formulas)
    ]
    slides = slides_of(blocks)
    # the speaker view has no KaTeX style sheet: the browser's own MathML
    in_notes = [Formula(f.tex, f.display, "mathml") for f in formulas]
    typeset_all = render(formulas + in_notes, katex)
    maths, notes = typeset_all[: len(formulas)], typeset_all[len(formulas) :]
    sections = "\n".join(
        slide_html(s, page, course, maths, notes) for s in slides
    )
    title = next((s.title for s in slides if s.is_title), "")
    return deck_html(sections, title, page, course, inputs), len(slides)


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


def inputs_hash(notebook: Path, modules: Path) -> str:
    """sha256 of what a deck is made from: its notebook; the code that makes
    it, read as ``coursesite.fingerprint`` reads the pages' code (comments
    and docstrings do not count); its style sheet and script; and the
    versions of the npm packages it loads from ``modules``."""
    digest = hashlib.sha256(notebook.read_bytes())
    for code in (Path(__file__), Path(prerender_math.__file__)):
        digest.update(source_hash(code.read_text()).encode())
    for path in sorted(STATIC.iterdir()):
        digest.update(path.read_bytes())
    for package in ASSETS:
        digest.update((modules / package / "package.json").read_bytes())
    return digest.hexdigest()


def recorded_inputs(deck: Path) -> str:
    """The inputs' hash a deck records in its head, "" for none."""
    try:
        with deck.open(encoding="utf-8") as f:
            found = RECORDED_INPUTS.search(f.read(1024))
    except FileNotFoundError:
        return ""
    return found[1] if found else ""


def write_deck(
    app: Sphinx, pagename: str, templatename: str, context: dict, doctree
) -> None:
    """Write the page's deck from its standalone notebook; link to it."""
    if not context.get("ipynb_source") or doctree is None:
        return
    if pagename in app.config.slides_skip:
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
    inputs = inputs_hash(source, app.slides_modules)
    try:
        markup, count = deck(
            notebook, page, app.config.html_title, katex, inputs
        )
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
    """Pages whose deck is missing or was made from other inputs than there
    are now (``inputs_hash``): Sphinx rewrites only changed pages, and would
    keep a deck made by an older version of this extension."""
    stale = []
    for doc in sorted(env.found_docs - set(added) - set(changed)):
        if doc in app.config.slides_skip or not (
            env.metadata.get(doc, {}).get("kernelspec")
        ):
            continue
        notebook = Path(app.outdir) / "_sources" / f"{doc}.ipynb"
        if not notebook.is_file() or recorded_inputs(
            deck_path(app, doc)
        ) != inputs_hash(notebook, app.slides_modules):
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
