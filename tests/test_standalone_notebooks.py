"""The downloadable notebooks show what the page shows, in plain Jupyter.

No MyST markup is left (JupyterLab and Colab would show it as raw text):
included code, glued values and citations are there as text, images are
embedded, and removed cells come back so that the notebook runs.
"""

import ast
import base64
import inspect
import json
import re
import secrets
import shutil

import nbformat
import pytest
import yaml
from browser import free_port, jupyter_server, offline_browser
from helpers import (
    REPO,
    TEST_REPOSITORY,
    build_book,
    chapters,
    course_chapters,
    downloaded,
    page,
)
from sphinx.config import Config
from sphinx.directives.code import LiteralInclude, LiteralIncludeReader
from standalone_notebooks import launch_links

from dlcourse.perceptron import perceptron

#: MyST syntax JupyterLab does not render: roles, directive fences, ``:::``.
MYST = re.compile(
    r"\{[a-zA-Z][\w:.-]*\}`|^\s*(`{3,}|~{3,})\s*\{|^\s*:::", re.MULTILINE
)


def markdown(nb) -> str:
    """The notebook's Markdown as a reader sees it (escapes undone)."""
    text = "\n\n".join(
        c.source for c in nb.cells if c.cell_type == "markdown"
    )
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", text)


def directives(doc: str, name: str) -> list[tuple[str, dict]]:
    """``(argument, options)`` of each ``{name}`` directive in a chapter."""
    found = []
    pattern = (
        rf"^(`{{3,}}|:{{3,}})\{{{name}\}}[ \t]*(.*)\n((?::[\w-]+:.*\n)*)"
    )
    for m in re.finditer(
        pattern, (REPO / f"{doc}.md").read_text(), re.MULTILINE
    ):
        # MyST reads the option lines as YAML (a value may be quoted)
        options = {
            key: LiteralInclude.option_spec[key](
                str(yaml.safe_load(value)) if value.strip() else value
            )
            for key, value in (
                re.match(r":([\w-]+):\s*(.*)", line).groups()
                for line in m.group(3).splitlines()
            )
        }
        found.append((m.group(2).strip(), options))
    return found


def glued(built_book, doc: str) -> dict[str, object]:
    """The values the chapter's cells glued, by name (MyST-NB saves them)."""
    path = built_book / "jupyter_execute" / f"{doc}.glue.json"
    if not path.exists():
        return {}
    values = {}
    for name, output in json.loads(path.read_text()).items():
        text = output["data"].get("text/plain", "")
        try:
            values[name] = ast.literal_eval(text)
        except (ValueError, SyntaxError):
            values[name] = text
    return values


@pytest.fixture(scope="module")
def notebooks(built_book) -> dict:
    assert set(course_chapters()) <= set(chapters())
    return {
        doc: nbformat.read(downloaded(built_book, doc), as_version=4)
        for doc in chapters()
    }


def test_no_myst_syntax_is_left(notebooks):
    for doc, nb in notebooks.items():
        nbformat.validate(nb)
        for cell in nb.cells:
            if cell.cell_type == "markdown":
                found = MYST.search(cell.source)
                assert not found, (
                    f"{doc}: {found.group(0)!r} in {cell.source}"
                )


def test_every_literalinclude_is_its_source(notebooks):
    seen = 0
    for doc, nb in notebooks.items():
        text = markdown(nb)
        for path, options in directives(doc, "literalinclude"):
            source = (REPO / doc).parent / path
            code, _ = LiteralIncludeReader(
                str(source), options, Config({}, {})
            ).read()
            assert code.strip() in text, f"{doc}: {path} {options}"
            rel = source.resolve().relative_to(REPO).as_posix()
            assert f"From [`{rel}`]" in text, f"{doc}: where {path} is from"
            seen += 1
    assert seen >= 10


def test_every_glued_value_is_text(built_book, notebooks):
    seen = 0
    for doc, nb in notebooks.items():
        values, text = glued(built_book, doc), markdown(nb)
        roles = re.findall(
            r"\{glue:text\}`([^`:]+)(?::([^`]*))?`",
            (REPO / f"{doc}.md").read_text(),
        )
        for name, spec in roles:
            value = format(values[name], spec) if spec else str(values[name])
            assert value in text, f"{doc}: glued {name} = {value!r}"
            seen += 1
    assert seen >= 50


def test_every_image_is_embedded(notebooks):
    images = 0
    for doc, nb in notebooks.items():
        for cell in nb.cells:
            sources = re.findall(
                r"!\[[^\]]*\]\(([^)\s]+)|<img [^>]*src=\"([^\"]+)",
                cell.source,
            )
            for src in (a or b for a, b in sources):
                assert src.startswith("data:image/"), f"{doc}: {src[:80]}"
            for output in cell.get("outputs", []):
                data = output.get("data", {})
                images += "image/png" in data
                assert 'src="http' not in str(data.get("text/html", ""))
    assert images >= 10


def plain(text: str) -> str:
    """Caption text without markup: emphasis, code and math delimiters,
    Markdown's escapes, spacing."""
    text = re.sub(r"\\[()]|[*$`]", "", text)
    text = re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", text)
    return " ".join(text.split())


def test_every_figure_caption_follows_its_cell(built_book, notebooks):
    """Every route shows the same caption: the page's numbered caption of
    each figure is the Markdown right after the figure's cell."""
    seen = 0
    for doc, nb in notebooks.items():
        soup = page(built_book, doc)
        for link in soup.select("figcaption a.headerlink"):
            link.decompose()
        for formula in soup.select("figcaption .katex"):
            # typeset at build time: the page keeps the TeX as MathML's
            # annotation, which the notebook writes between dollars
            formula.replace_with(formula.select_one("annotation").get_text())
        on_page = [
            plain(f.get_text())
            for f in soup.select(".cell_output figcaption")
        ]
        in_notebook = [
            plain(after.source.split("\n\n")[0])
            for cell, after in zip(nb.cells, nb.cells[1:])
            if any(
                "image/png" in o.get("data", {})
                for o in cell.get("outputs", [])
            )
        ]
        assert in_notebook == on_page, doc
        seen += len(on_page)
    assert seen >= 25


def test_interactive_outputs_say_to_run_their_cell(notebooks):
    """JupyterLab runs no script from saved outputs: the quiz needs a run."""
    quizzes = 0
    for doc, nb in notebooks.items():
        for before, cell in zip(nb.cells, nb.cells[1:]):
            html = "".join(
                str(o.get("data", {}).get("text/html", ""))
                for o in cell.get("outputs", [])
            )
            if "<script" in html:
                quizzes += 1
                assert before.cell_type == "markdown"
                assert "Run the next cell" in before.source, doc
    assert quizzes >= 3


def test_removed_cells_come_back_before_the_prose_that_uses_them(notebooks):
    """The glue cell the page removes runs before the text quoting it."""
    cells = notebooks["book/perceptrons"].cells
    glue = next(
        i for i, c in enumerate(cells) if 'glue("nand_answer"' in c.source
    )
    quote = next(i for i, c in enumerate(cells) if "are 1,1,1,0" in c.source)
    assert glue < quote
    assert cells[glue].metadata["jupyter"]["source_hidden"] is True


def test_launch_links_open_the_notebook_on_the_published_branch():
    links = launch_links(
        "https://github.com/Alice/dl-course",
        "notebooks",
        "book/mnist.ipynb",
        "https://mybinder.org/",
    )
    assert links == {
        "Binder": "https://mybinder.org/v2/gh/Alice/dl-course/notebooks"
        "?urlpath=lab/tree/book/mnist.ipynb",
        "Colab": "https://colab.research.google.com/github/Alice/dl-course"
        "/blob/notebooks/book/mnist.ipynb",
    }


def test_every_chapter_launches_on_binder_and_colab(built_book):
    config = yaml.safe_load((REPO / "_config.yml").read_text())
    branch = config["sphinx"]["config"]["standalone_notebooks_branch"]
    for doc in chapters():
        page = (built_book / "html" / f"{doc}.html").read_text()
        links = launch_links(
            TEST_REPOSITORY,
            branch,
            f"{doc}.ipynb",
            config["launch_buttons"]["binderhub_url"],
        )
        for url in links.values():
            assert f'href="{url}"' in page, (doc, url)


def menu(page, name: str, item: str) -> None:
    """Choose ``item`` from JupyterLab's menu ``name``."""
    page.get_by_role("menuitem", name=name, exact=True).click()
    page.get_by_text(item, exact=True).click()


def test_jupyterlab_shows_the_page_and_runs_the_quiz(built_book, tmp_path):
    """Opened in a plain JupyterLab (no course extension), the notebook
    shows the included function's source and a glued value as text; its
    quiz answers once its cell has run (not from the saved output)."""
    shutil.copy(
        downloaded(built_book, "book/perceptrons"), tmp_path / "nb.ipynb"
    )
    function = inspect.getsource(perceptron).splitlines()[0]
    token = secrets.token_hex(16)
    with (
        jupyter_server(
            tmp_path, free_port(), token, "", tmp_path / "server.log"
        ) as base,
        offline_browser() as (context, attempts),
    ):
        page = context.new_page()
        page.goto(f"{base}/lab/tree/nb.ipynb?token={token}")
        markdown = page.locator(".jp-MarkdownOutput")
        code = markdown.locator("pre", has_text=function)
        code.wait_for(timeout=120_000)
        glued = markdown.get_by_text(
            "The outputs, in the order of the inputs above, are 1,1,1,0."
        )
        # in a folded dropdown until the reader opens it: rendered, hidden
        glued.wait_for(state="attached", timeout=30_000)
        text = markdown.all_inner_texts()
        # an untrusted notebook's saved outputs run no script: the quiz
        # needs its cell run (the notebook says so)
        assert page.locator(".jp-OutputArea script").count() == 0
        page.get_by_text("Python 3 (ipykernel) | Idle").wait_for(
            timeout=180_000
        )
        menu(page, "Edit", "Clear Outputs of All Cells")
        menu(page, "Run", "Run All Cells")
        quiz = page.locator(".jp-OutputArea .dl-quiz")
        quiz.locator("button", has_text="1,1,1,0").click(timeout=180_000)
        quiz.get_by_text("Correct!").wait_for(timeout=30_000)
    assert not any("{glue" in t or "{literalinclude" in t for t in text)
    assert not attempts, attempts


MINI_PAGE = """\
---
jupytext: {text_representation: {format_name: myst}}
kernelspec: {display_name: Python 3, language: python, name: python3}
---
# Mini

:::{note}
A note with $x^2$ in it.
:::

```{figure} dot.png
:alt: A red dot

The caption.
```

:::{dropdown} Solution
The answer is 42.
:::

```{admonition} Exercise 1
:class: dropdown
Hidden exercise text.
```

```{code-cell} ipython3
print("hi")
```
"""
MINI_CONFIG = """\
title: Mini
execute: {execute_notebooks: force}
repository: {url: "https://github.com/a/b", branch: main}
launch_buttons: {binderhub_url: "https://mybinder.org"}
sphinx:
  local_extensions: {standalone_notebooks: _ext/}
"""
#: The smallest PNG: one red pixel.
DOT = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de"
    "0000000c4944415408d763f8cfc0000003010100c9fe92ef0000000049454e44ae426082"
)


@pytest.mark.slow  # builds a book
def test_figures_admonitions_and_dropdowns_become_plain_markdown(tmp_path):
    """What the chapters may use beyond today's text: a figure is embedded,
    a note is a blockquote, dropdowns (exercises, solutions) stay closed."""
    book = tmp_path / "mini"
    (book / "_ext").mkdir(parents=True)
    shutil.copy(REPO / "_ext" / "standalone_notebooks.py", book / "_ext")
    (book / "_config.yml").write_text(MINI_CONFIG)
    (book / "_toc.yml").write_text("format: jb-book\nroot: page\n")
    (book / "page.md").write_text(MINI_PAGE)
    (book / "dot.png").write_bytes(DOT)
    result = build_book(book, tmp_path / "out")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr
    nb = nbformat.read(
        tmp_path / "out" / "_build" / "html" / "_sources" / "page.ipynb",
        as_version=4,
    )
    text = "\n\n".join(
        c.source for c in nb.cells if c.cell_type == "markdown"
    )
    assert not MYST.search(text), text
    assert "> **Note**\n>\n> A note with $x^2$ in it." in text
    image = "![A red dot](data:image/png;base64,"
    assert image + base64.b64encode(DOT).decode() + ")" in text
    assert "The caption." in text
    for title, body in [
        ("Solution", "The answer is 42."),
        ("Exercise 1", "Hidden exercise text."),
    ]:
        assert re.search(
            rf"<details>\n<summary>{title}</summary>\n\n{body}\n\n</details>",
            text,
        ), text
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code[-1].outputs[0].text == "hi\n"
