"""Standalone notebooks: each chapter as plain Jupyter, made from its page.

MyST-NB's executed notebook keeps the chapter's MyST markup (roles,
directives, ``literalinclude``), which JupyterLab and Colab show as raw text,
and leaves out the removed cells the code depends on. This extension writes,
for every notebook page, a notebook made from the page's resolved doctree
(so glue values, citations, cross-references and included code are already
there) and the executed notebook's code cells with their outputs:

* prose becomes Markdown: admonitions become blockquotes, dropdowns
  ``<details>``, math stays math, links point at the published site, images
  are embedded;
* every code cell keeps its outputs; removed cells come back, folded;
* a figure's numbered caption follows its cell, as on the page;
* a first cell makes the notebook self-sufficient where the course package
  is missing (it clones the repository; a build without a repository says
  where to get the package instead);
* the theme's download (``_sources/<page>.ipynb``) is this notebook, and the
  Binder and Colab buttons open it on the branch the publishing workflow
  makes (``standalone_notebooks_branch``).

Configuration (``sphinx: config:``): ``html_baseurl`` (empty: the GitHub
Pages address of the repository, and without a repository, links relative
to the notebook's place in the built site) and
``standalone_notebooks_branch``.
"""

import base64
import json
import mimetypes
import posixpath
import re
from contextlib import suppress
from importlib import metadata
from pathlib import Path
from urllib.parse import urljoin

import nbformat
from docutils import nodes
from jupyter_cache import get_cache
from pygments.lexers import get_lexer_for_filename
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError

from coursesite.files import atomic_write

#: What a notebook reader sees before a cell whose saved output needs a
#: script: Jupyter runs no script from an untrusted notebook's outputs.
SCRIPT_NOTE = (
    "*Run the next cell to use its interactive output (a quiz): Jupyter "
    "does not run the scripts in a notebook's saved outputs.*"
)
BOOTSTRAP_NOTE = (
    "*The next cell sets up the course package, its data and cached runs "
    "where they are missing (Colab, a bare Jupyter): it clones the course's "
    "repository. On Binder or in a clone of the repository it does nothing.*"
)
BOOTSTRAP = """\
import importlib.util, os, subprocess, sys

if importlib.util.find_spec("dlcourse") is None:
    if not os.path.isdir("dlcourse-repo"):
        subprocess.run(
            ["git", "clone", "--depth", "1", "--branch", {branch!r},
             {url!r}, "dlcourse-repo"],
            check=True,
        )
    if importlib.util.find_spec("myst_nb") is None:
        subprocess.run(
            [sys.executable, "-m", "pip", "install", "-q", {myst_nb!r}],
            check=True,
        )
    sys.path.insert(0, os.path.abspath("dlcourse-repo/code"))"""
#: What a clone of the repository installs to run the notebooks.
INSTALL = (
    "pip install -r requirements-runtime.txt && pip install --no-deps -e ."
)
#: The first cells of a build that knows no repository to clone.
CHECK_NOTE = (
    "*The next cell checks that the course package is installed: run this "
    "notebook in a clone of the course's repository, after "
    f"`{INSTALL}` there.*"
)
CHECK = f"""\
import importlib.util

if importlib.util.find_spec("dlcourse") is None:
    raise ModuleNotFoundError(
        "This notebook needs the course package dlcourse: run it in a "
        "clone of the course's repository, after {INSTALL}"
    )"""


#: The notes before the first cell, one of which a notebook starts with.
SETUP_NOTES = (BOOTSTRAP_NOTE, CHECK_NOTE)


def setup_note(url: str) -> str:
    """What the first cell does (:func:`bootstrap_cell`), said before it."""
    return BOOTSTRAP_NOTE if url else CHECK_NOTE


def bootstrap_cell(url: str, branch: str) -> nbformat.NotebookNode:
    """The first code cell: the course package from ``url`` if missing
    (without a ``url``: a check that it is installed).

    Where MyST-NB is missing too (Colab, which brings its own PyTorch and
    numerics), it installs the version the book was built with, the one
    ``requirements-runtime.txt`` locks, and nothing of PyTorch.
    """
    if not url:
        return nbformat.v4.new_code_cell(CHECK)
    myst_nb = f"myst-nb=={metadata.version('myst-nb')}"
    return nbformat.v4.new_code_cell(
        BOOTSTRAP.format(url=url, branch=branch, myst_nb=myst_nb)
    )


def github_parts(repo_url: str) -> tuple[str, str]:
    """``(owner, name)`` of a GitHub repository URL."""
    m = re.fullmatch(
        r"https://github\.com/([^/]+)/([^/]+?)(?:\.git)?/?", repo_url
    )
    if not m:
        raise ExtensionError(
            f"standalone_notebooks: repository.url {repo_url!r} in "
            "_config.yml is not a GitHub repository "
            "(https://github.com/OWNER/NAME); Binder, Colab and the "
            "notebooks' links need one."
        )
    return m.group(1), m.group(2)


def site_url(repo_url: str) -> str:
    """Where the publishing workflow deploys the site: GitHub Pages."""
    owner, name = github_parts(repo_url)
    return f"https://{owner.lower()}.github.io/{name}/"


def launch_links(
    repo_url: str, branch: str, path: str, binderhub: str
) -> dict[str, str]:
    """Binder and Colab addresses of the notebook at ``path`` on ``branch``."""
    owner, name = github_parts(repo_url)
    return {
        "Binder": f"{binderhub.rstrip('/')}/v2/gh/{owner}/{name}/{branch}"
        f"?urlpath=lab/tree/{path}",
        "Colab": "https://colab.research.google.com/github/"
        f"{owner}/{name}/blob/{branch}/{path}",
    }


def escape(text: str) -> str:
    """Markdown-safe text: Jupyter reads ``$`` as math and ``<`` as HTML."""
    text = re.sub(r"([\\`*_\[\]<>$|#])", r"\\\1", text)
    return text.replace("\n", " ")


def data_uri(path: Path) -> str:
    """The image at ``path`` as a ``data:`` URI, so it travels inside."""
    kind = mimetypes.guess_type(path.name)[0] or "image/png"
    return f"data:{kind};base64," + base64.b64encode(
        path.read_bytes()
    ).decode("ascii")


def raw_html(node: nodes.raw) -> str:
    """Raw HTML as is, but no scripts: Markdown cells never run them."""
    html = node.astext()
    if "html" not in node.get("format", "") or "<script" in html:
        return ""
    return html


def hidden(node: nodes.Node) -> bool:
    """Nodes the page does not show: targets, comments, build messages."""
    return isinstance(
        node, (nodes.Invisible, nodes.comment, nodes.system_message)
    )


def without_icons(node: nodes.Element) -> nodes.Element:
    """A copy of ``node`` without its raw HTML (a dropdown's SVG icons)."""
    copy = node.deepcopy()
    for raw in list(copy.findall(nodes.raw)):
        raw.parent.remove(raw)
    return copy


def indent(text: str, prefix: str) -> str:
    return "\n".join(
        prefix + line if line else prefix.rstrip()
        for line in text.split("\n")
    )


#: Cell metadata the notebook keeps: Jupyter's (and RISE's) slide type,
#: which the lecture slides follow, and MyST-NB's figure options (a figure's
#: text alternative).
KEPT_METADATA = ("slideshow", "mystnb")


def kept_metadata(metadata: dict) -> dict:
    """The cell's metadata that the notebook and its slides keep."""
    return {k: metadata[k] for k in KEPT_METADATA if k in metadata}


class SlideMark:
    """Where the prose enters a Markdown cell with other slide metadata."""

    def __init__(self, metadata: dict) -> None:
        self.metadata = metadata


def markdown_cell(prose: list[str], metadata: dict) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_markdown_cell("\n\n".join(prose))
    cell.metadata.update(metadata)
    return cell


class Writer:
    """Turns one page's resolved doctree into notebook cells."""

    def __init__(self, app: Sphinx, docname: str, notebook) -> None:
        self.app = app
        self.docname = docname
        self.notebook = notebook
        self.page = urljoin(page_base(app), f"{docname}.html")
        self.next_code = 0  # the next executed cell not yet emitted
        self.shown: set[int] = set()  # the cells the page shows itself
        self.prose_cell = -1  # the Markdown cell the prose comes from

    # -- cells -----------------------------------------------------------
    def cells(self, doctree: nodes.document) -> list:
        """The notebook's cells, in the page's order."""
        self.shown = {
            node["cell_index"]
            for node in doctree.findall(nodes.container)
            if node.get("nb_element") == "cell_code"
        }
        cells, prose, metadata = [], [], {}
        for item in self.blocks(doctree, 0):
            if isinstance(item, str):
                prose.append(item)
                continue
            if prose:
                cells.append(markdown_cell(prose, metadata))
                prose = []
            if isinstance(item, SlideMark):
                metadata = item.metadata
                continue
            cells.append(item)
        cells.extend(self.code_cells(len(self.notebook.cells)))
        if prose:
            cells.append(markdown_cell(prose, metadata))
        return cells

    def code_cells(self, upto: int) -> list:
        """Executed cells before ``upto`` not yet emitted (removed ones)."""
        out = []
        for index in range(self.next_code, upto):
            cell = self.notebook.cells[index]
            if cell.cell_type != "code" or index in self.shown:
                continue
            out.extend(self.code_cell(cell))
        self.next_code = max(self.next_code, upto)
        return out

    def code_cell(self, cell) -> list:
        """A plain code cell; a page's hidden parts come folded."""
        tags = set(cell.metadata.get("tags", []))
        plain = nbformat.v4.new_code_cell(
            cell.source,
            outputs=cell.outputs,
            execution_count=cell.execution_count,
        )
        hidden = {}
        if tags & {"remove-input", "remove-cell", "hide-input"}:
            hidden["source_hidden"] = True
        if tags & {"remove-output", "remove-cell", "hide-output"}:
            hidden["outputs_hidden"] = True
        if hidden:
            plain.metadata["jupyter"] = hidden
        plain.metadata.update(kept_metadata(cell.metadata))
        needs_script = any(
            "<script" in str(o.get("data", {}).get("text/html", ""))
            for o in cell.outputs
        )
        if needs_script:
            return [nbformat.v4.new_markdown_cell(SCRIPT_NOTE), plain]
        return [plain]

    # -- blocks ----------------------------------------------------------
    def blocks(self, node: nodes.Node, level: int):
        """Markdown strings and code cells for the block-level ``node``."""
        if isinstance(node, nodes.container) and node.get("nb_element") == (
            "cell_code"
        ):
            index = node["cell_index"]
            yield from self.code_cells(index)
            yield from self.code_cell(self.notebook.cells[index])
            yield from self.captions(node)
            self.next_code = index + 1
            return
        if isinstance(node, (nodes.document, nodes.section)):
            for child in node.children:
                yield from self.blocks(
                    child, level + isinstance(node, nodes.section)
                )
            return
        if hidden(node):
            return
        after = self.cells_before(node)
        yield from self.code_cells(after)
        yield from self.slide_mark(after - 1)
        text = self.block(node, level)
        if text.strip():
            yield text

    def captions(self, cell: nodes.Element):
        """The numbered captions of the figures a code cell drew, as the
        page shows them below the figure (its outputs have no caption)."""
        for figure in cell.findall(nodes.figure):
            caption = figure.next_node(nodes.caption)
            if caption:
                yield f"{self.figure_number(figure)}{self.inline(caption)}"

    def figure_number(self, figure: nodes.figure) -> str:
        """The label "Figure 3.2: " as the page numbers the figure (numfig),
        or nothing for a figure without a number."""
        numbers = (
            self.app.env.toc_fignumbers.get(self.docname, {})
            .get("figure", {})
            .get(figure["ids"][0] if figure["ids"] else "")
        )
        if not numbers:
            return ""
        label = self.app.config.numfig_format["figure"]
        return f"*{label % '.'.join(map(str, numbers))}:* "

    def slide_mark(self, index: int):
        """A :class:`SlideMark` where the prose enters another Markdown
        cell of the chapter and either cell has slide metadata, so that the
        notebook keeps the chapter's cell and its ``slideshow``."""
        if index == self.prose_cell or not 0 <= index < len(
            self.notebook.cells
        ):
            return
        previous, self.prose_cell = self.prose_cell, index
        metadata = self.notebook.cells[index].metadata
        had = previous >= 0 and (
            "slideshow" in self.notebook.cells[previous].metadata
        )
        if had or "slideshow" in metadata:
            yield SlideMark(kept_metadata(metadata))

    def cells_before(self, node: nodes.Node) -> int:
        """The index of the first cell that starts after ``node`` in the
        source: removed cells before it are due (MyST-NB's ``source_map``
        holds each cell's first line)."""
        lines = self.notebook.metadata.get("source_map")
        line = next(
            (n.line for n in node.findall(nodes.Element) if n.line), 0
        )
        if not lines or not line:
            return self.next_code
        return next(
            (i for i, start in enumerate(lines) if start >= line), len(lines)
        )

    def block(self, node: nodes.Node, level: int = 1) -> str:
        """One block-level node as Markdown."""
        name = type(node).__name__
        handler = getattr(self, f"block_{name}", None)
        if handler:
            return handler(node, level)
        if "dropdown" in node.get("classes", []) or (
            node.get("design_component") == "dropdown"
        ):
            return self.details(node)
        if isinstance(node, nodes.Admonition):
            return self.admonition(node)
        if isinstance(node, nodes.TextElement):
            return self.inline(node)
        return self.children(node)

    def children(self, node: nodes.Node) -> str:
        """The blocks inside ``node`` (no code cell is ever nested)."""
        parts = (self.block(c) for c in node.children if not hidden(c))
        return "\n\n".join(p for p in parts if p.strip())

    def block_raw(self, node, level: int) -> str:
        return raw_html(node)

    def block_title(self, node, level: int) -> str:
        return "#" * max(level, 1) + " " + self.inline(node)

    def block_literal_block(self, node, level: int) -> str:
        code = node.astext().rstrip("\n")
        fence = "````" if "```" in code else "```"
        origin = node.get("source")
        language = node.get("language", "")
        if language == "default" and origin:
            language = get_lexer_for_filename(origin).aliases[0]
        body = f"{fence}{language}\n{code}\n{fence}"
        if not origin:
            return body
        return f"*From {self.repo_link(Path(origin))}:*\n\n{body}"

    def block_math_block(self, node, level: int) -> str:
        latex = node.astext().strip()
        return latex if node.get("nowrap") else f"$$\n{latex}\n$$"

    def block_bullet_list(self, node, level: int) -> str:
        return "\n".join(
            "- " + indent(self.children(item), "  ")[2:]
            for item in node.children
        )

    def block_enumerated_list(self, node, level: int) -> str:
        return "\n".join(
            f"{i}. " + indent(self.children(item), "   ")[3:]
            for i, item in enumerate(node.children, start=1)
        )

    def block_definition_list(self, node, level: int) -> str:
        items = []
        for item in node.children:
            term = self.inline(item.next_node(nodes.term))
            body = self.children(item.next_node(nodes.definition))
            items.append(f"**{term}**\n\n{indent(body, '> ')}")
        return "\n\n".join(items)

    def block_dropdown_main(self, node, level: int) -> str:
        return self.details(node)

    def block_table(self, node, level: int) -> str:
        rows = [
            [
                self.children(entry)
                .replace("\n\n", "<br>")
                .replace("\n", " ")
                for entry in row.children
            ]
            for row in node.findall(nodes.row)
        ]
        if not rows:
            return ""
        head = "| " + " | ".join(rows[0]) + " |"
        rule = "|" + "---|" * len(rows[0])
        body = ["| " + " | ".join(row) + " |" for row in rows[1:]]
        caption = node.next_node(nodes.title)
        lines = [head, rule, *body]
        if caption:
            lines.insert(0, f"**{self.inline(caption)}**\n")
        return "\n".join(lines)

    def block_image(self, node, level: int = 1) -> str:
        return self.image(node)

    def block_figure(self, node, level: int) -> str:
        """A figure of the prose (not drawn by a cell): its image, then its
        numbered caption, as the page shows it."""
        image = self.image(node.next_node(nodes.image))
        caption = node.next_node(nodes.caption)
        if not caption:
            return image
        return f"{image}\n\n{self.figure_number(node)}{self.inline(caption)}"

    def block_transition(self, node, level: int) -> str:
        return "---"

    def admonition(self, node) -> str:
        title = node.next_node(nodes.title)
        heading = (
            self.inline(title) if title else type(node).__name__
        ).strip()
        body = "\n\n".join(
            self.block(child)
            for child in node.children
            if not isinstance(child, nodes.title)
        )
        return indent(
            f"**{heading[:1].upper() + heading[1:]}**\n\n{body}", "> "
        )

    def details(self, node) -> str:
        """A dropdown, closed, as in the page: solutions stay hidden."""
        title, parts = "Details", []
        for child in node.children:
            if type(child).__name__ in ("title", "dropdown_title", "rubric"):
                title = self.inline(without_icons(child))
            else:
                parts.append(self.block(child))
        body = "\n\n".join(p for p in parts if p.strip())
        return (
            f"<details>\n<summary>{title}</summary>\n\n{body}\n\n</details>"
        )

    # -- inline ----------------------------------------------------------
    def inline(self, node: nodes.Node) -> str:
        """The inline content of ``node`` as Markdown."""
        return "".join(self.span(child) for child in node.children)

    def span(self, node: nodes.Node) -> str:
        if isinstance(node, nodes.Text):
            return escape(node.astext())
        if isinstance(node, nodes.emphasis):
            return f"*{self.inline(node)}*"
        if isinstance(node, nodes.strong):
            return f"**{self.inline(node)}**"
        if isinstance(node, nodes.literal):
            code = node.astext().replace("\n", " ")
            tick = "``" if "`" in code else "`"
            return f"{tick}{code}{tick}"
        if isinstance(node, nodes.math):
            return f"${node.astext()}$"
        if isinstance(node, nodes.reference):
            return f"[{self.inline(node)}]({self.url(node)})"
        if isinstance(node, nodes.image):
            return self.image(node)
        if isinstance(node, nodes.raw):
            return raw_html(node)
        if hidden(node):
            return ""
        if isinstance(node, nodes.footnote_reference):
            return f"[{node.astext()}]"
        return self.inline(node)

    def url(self, node: nodes.reference) -> str:
        """A link's address on the published site (or elsewhere)."""
        if "refuri" in node:
            return self.local(urljoin(self.page, node["refuri"]))
        return self.local(f"{self.page}#{node.get('refid', '')}")

    def local(self, url: str) -> str:
        """``url``, where the site has no address, relative to the
        notebook's place in the built site (``_sources/<page>.ipynb``)."""
        if not url.startswith(LOCAL_SITE):
            return url
        path, hash_, fragment = url.removeprefix(LOCAL_SITE).partition("#")
        here = posixpath.dirname(f"_sources/{self.docname}")
        return posixpath.relpath(path, here) + hash_ + fragment

    def image(self, node: nodes.image) -> str:
        # the HTML builder points ``uri`` at its copy; the source is here
        uri = node.get("candidates", {}).get("*", node["uri"])
        if re.match(r"^(https?|data):", uri):
            return f"![{escape(node.get('alt', ''))}]({uri})"
        path = Path(uri)
        if not path.is_absolute():
            path = Path(self.app.srcdir) / uri
        return f"![{escape(node.get('alt', ''))}]({data_uri(path)})"

    def repo_link(self, path: Path) -> str:
        """``path`` (a file of the repository) linked on GitHub."""
        config = self.app.config.html_theme_options
        try:
            rel = path.resolve().relative_to(Path(self.app.srcdir).resolve())
        except ValueError:
            return f"`{path.name}`"
        url = config.get("repository_url", "").rstrip("/")
        if not url:
            return f"`{rel.as_posix()}`"
        branch = config.get("repository_branch", "main")
        return f"[`{rel.as_posix()}`]({url}/blob/{branch}/{rel.as_posix()})"


#: The root that a site without an address is resolved against, before
#: its links are written relative to the notebook (``Writer.local``).
LOCAL_SITE = "file:///site/"


def page_base(app: Sphinx) -> str:
    """The published site's address: ``html_baseurl``, else GitHub Pages,
    else :data:`LOCAL_SITE` (a build without a repository)."""
    if app.config.html_baseurl:
        return app.config.html_baseurl.rstrip("/") + "/"
    repository = app.config.html_theme_options.get("repository_url")
    if repository:
        return site_url(repository)
    return LOCAL_SITE


def executed(app: Sphinx, docname: str) -> nbformat.NotebookNode:
    """The page's notebook with its outputs.

    MyST-NB 1.4 writes ``jupyter_execute/<page>.ipynb`` without the outputs
    when they come from the execution cache, so they are merged in here.
    """
    path = Path(app.outdir).parent / "jupyter_execute" / f"{docname}.ipynb"
    notebook = nbformat.read(path, as_version=4)
    config = app.env.mystnb_config
    if config.execution_mode == "cache":
        cache = get_cache(config.execution_cache_path)
        with suppress(KeyError):
            _, notebook = cache.merge_match_into_notebook(notebook)
    return notebook


def standalone(app: Sphinx, docname: str, doctree) -> nbformat.NotebookNode:
    """The page ``docname`` as a plain notebook, outputs included."""
    notebook = executed(app, docname)
    options = app.config.html_theme_options
    url = options.get("repository_url", "")
    cells = [
        nbformat.v4.new_markdown_cell(setup_note(url)),
        bootstrap_cell(url, app.config.standalone_notebooks_branch),
        *Writer(app, docname, notebook).cells(doctree),
    ]
    kernelspec = notebook.metadata.get("kernelspec", {})
    metadata = {
        "kernelspec": kernelspec,
        "language_info": {"name": kernelspec.get("language", "python")},
    }
    return nbformat.v4.new_notebook(cells=cells, metadata=metadata)


def offer_notebook(
    app: Sphinx, pagename: str, templatename: str, context: dict, doctree
) -> None:
    """Name the notebook download where the theme, lacking launch buttons
    (no repository), does not: the download button follows this name."""
    if doctree is not None and "kernelspec" in app.env.metadata[pagename]:
        context.setdefault("ipynb_source", f"{pagename}.ipynb")


def write_notebook(
    app: Sphinx, pagename: str, templatename: str, context: dict, doctree
) -> None:
    """Replace the theme's download by the standalone notebook."""
    if not context.get("ipynb_source") or doctree is None:
        return
    notebook = standalone(app, pagename, doctree)
    nbformat.validate(notebook)
    path = Path(app.outdir) / "_sources" / context["ipynb_source"]
    with atomic_write(path, encoding="utf-8") as f:
        json.dump(notebook, f, indent=1, ensure_ascii=False)
        f.write("\n")
    relink_launch_buttons(app, pagename, context)


def relink_launch_buttons(app: Sphinx, pagename: str, context: dict) -> None:
    """Binder and Colab open the standalone notebook on the notebook branch."""
    options = app.config.html_theme_options
    if not options.get("repository_url"):
        return  # no launch buttons (_ext/site_theme.py)
    links = launch_links(
        options.get("repository_url", ""),
        app.config.standalone_notebooks_branch,
        f"{pagename}.ipynb",
        options.get("launch_buttons", {}).get("binderhub_url", ""),
    )
    for group in context.get("header_buttons", []):
        if group.get("label") != "launch-buttons":
            continue
        buttons = group["buttons"]
        for button in buttons:
            if button.get("text") in links:
                button["url"] = links.pop(button["text"])
        if "Colab" in links:
            buttons.insert(
                1,
                {
                    "type": "link",
                    "text": "Colab",
                    "tooltip": "Launch on Colab",
                    "icon": "_static/images/logo_colab.png",
                    "url": links["Colab"],
                },
            )


def setup(app: Sphinx) -> dict:
    app.add_config_value(
        "standalone_notebooks_branch", "notebooks", "html", str
    )
    # before the theme's download button, which needs the notebook's name
    app.connect("html-page-context", offer_notebook, priority=500)
    # after sphinx-book-theme's launch buttons (priority 501), which copy
    # MyST-NB's notebook into _sources
    app.connect("html-page-context", write_notebook, priority=600)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
