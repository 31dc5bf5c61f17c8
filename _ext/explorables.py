"""Explorable figures: the reader moves a control and the figure answers, with no kernel.

A chapter writes::

    ```{explorable} coursesite.explorables.perceptrons.gate
    :name: fig-explore-gate

    The caption.
    ```

While the page is read, the function named (``coursesite.explorables``, one
module per chapter) computes the figure's data with the course package and
returns a Vega-Lite spec, whose parameters are bound to labelled form inputs
(sliders, selects, radio buttons). Node compiles it to Vega with the site's
pinned Vega-Lite and draws its first state as an SVG with Vega
(``explorables_render.mjs``), checking any formula the spec computes
in the page against the package's values (``Figure.samples``). The doctree
gets an ordinary numbered figure of that SVG, so print, the PDF, the
standalone notebooks and the slides show the static state, and the notebooks
a line saying where to move it.

In the HTML page the figure is wrapped in ``<div class="explorable">`` that
names the compiled spec (written to ``_static/explorables/`` under its content
hash). ``explorable.js`` loads the site's copy of Vega (``vega.min.js``, about
0.5 MB, pinned in ``package.json``) and the spec only when the figure nears
the screen, then puts the live figure and its controls in place of the
static image; with JavaScript off the static image stays. Vega rather than
hand-written drawing code: one spec draws both the static and the live
figure, its bindings are plain labelled inputs, and Vega-Lite is compiled at
build time so pages load Vega alone (not Vega-Lite or vega-embed).
"""

import hashlib
import inspect
import json
import os
import subprocess
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import directives
from shared import copy_assets, node_modules
from sphinx.application import Sphinx
from sphinx.util import import_object
from sphinx.util.docutils import SphinxDirective

from coursesite import explorables
from coursesite.explorables import Figure
from coursesite.files import atomic_write

HERE = Path(__file__).resolve().parent
STATIC = HERE / "explorables_static"
#: Vega's browser build, copied into ``_static/vega/``.
VEGA = {"vega": ["build/vega.min.js", "LICENSE"]}
#: Where the built site keeps the compiled specs.
SPECS = Path("_static", "explorables")


class explorable(nodes.General, nodes.Element):
    """An explorable figure: its static figure inside, its compiled Vega spec
    in ``spec``."""


class explorable_note(nodes.paragraph):
    """Where to move the figure, for copies that cannot (notebooks, slides);
    the HTML page leaves it out."""


def render(figure: Figure, modules: Path) -> dict:
    """The figure compiled to Vega, its first state as SVG, its alt text and
    what it shows at each sample (``explorables_render.mjs``); raises
    ``ValueError`` naming what is wrong."""
    problems = explorables.problems(figure)
    if not problems:
        request = {
            "spec": figure.spec,
            "samples": [sample.params for sample in figure.samples],
        }
        done = subprocess.run(
            ["node", str(HERE / "explorables_render.mjs"), str(modules)],
            input=json.dumps([request]),
            capture_output=True,
            text=True,
        )
        if done.returncode:
            raise ValueError(done.stderr.strip().splitlines()[-1])
        (made,) = json.loads(done.stdout)
        problems = [
            f"with {sample.params}, {problem}"
            for sample, shown in zip(figure.samples, made["shown"])
            for problem in explorables.mismatches(
                sample, explorables.Shown(**shown)
            )
        ]
    if problems:
        raise ValueError("; ".join(problems))
    return made


def source_files(function, data: dict[str, list[str]], root: Path) -> set:
    """The files a figure's data come from: its module, the course
    package's modules that module uses, and the data files of the modules
    that read some (``stale_pages_data``: the cached runs), so that the page
    is read again when one of them changes."""
    module = inspect.getmodule(function)
    used = {inspect.getmodule(v) for v in vars(module).values()} | {module}
    used.discard(None)
    files = {
        m.__file__
        for m in used
        if m.__name__.startswith(("dlcourse", module.__name__))
    }
    for m in used:
        for pattern in data.get(m.__name__, []):
            files |= {str(path) for path in sorted(root.glob(pattern))}
    return files


class Explorable(SphinxDirective):
    """``{explorable} module.function``: the figure that function returns."""

    required_arguments = 1
    has_content = True
    option_spec = {"name": directives.unchanged_required}

    def run(self) -> list[nodes.Node]:
        if "name" not in self.options:
            raise self.error(
                "explorable: give the figure a :name: (fig-explore-...), so "
                "that the text and the notebooks can link to it."
            )
        try:
            function = import_object(self.arguments[0])
            figure = function()
            if not isinstance(figure, Figure):
                raise TypeError(f"it returned {type(figure).__name__}")
            made = render(figure, node_modules(Path(self.env.app.confdir)))
        except Exception as error:  # the page names the figure and why
            raise self.error(
                f"explorable {self.arguments[0]}: {error}. It must name a "
                "function of coursesite.explorables returning a Figure whose "
                "Vega-Lite spec compiles and shows what its samples say."
            ) from error
        data = getattr(self.config, "stale_pages_data", {})
        for path in source_files(function, data, Path(self.env.srcdir)):
            self.env.note_dependency(path)
        return [self.explorable(made)]

    def explorable(self, made: dict) -> explorable:
        """The node: the numbered static figure, then the notebooks' note."""
        image = nodes.image(
            uri=self.svg_file(made["svg"]),
            alt=made["alt"],
            **svg_size(made["svg"]),
        )
        body = nodes.Element()
        self.state.nested_parse(self.content, self.content_offset, body)
        caption = nodes.caption("", "", *body.children[0].children)
        figure = nodes.figure("", image, caption)
        self.add_name(figure)
        note = explorable_note()
        note += nodes.Text(
            "Move this figure's controls on the course's page: "
        )
        note += nodes.reference(
            "", "", nodes.Text("the figure"), refid=figure["ids"][0]
        )
        note += nodes.Text(".")
        spec = json.dumps(
            made["vega"], separators=(",", ":"), sort_keys=True
        )
        return explorable("", figure, note, spec=spec)

    def svg_file(self, svg: str) -> str:
        """Write the static figure beside the doctrees, under its content
        hash; its address as the image's ``uri`` (relative to the page)."""
        digest = hashlib.sha256(svg.encode()).hexdigest()[:16]
        path = (
            Path(self.env.app.doctreedir) / "explorables" / f"{digest}.svg"
        )
        if not path.exists():
            with atomic_write(path, encoding="utf-8") as out:
                out.write(svg)
        page = Path(self.env.doc2path(self.env.docname)).parent
        return Path(os.path.relpath(path, page)).as_posix()


def svg_size(svg: str) -> dict[str, str]:
    """The SVG's width and height as the image's size in CSS pixels."""
    head = svg[: svg.index(">")]
    size = {}
    for key in ("width", "height"):
        value = head.split(f' {key}="', 1)[1].split('"', 1)[0]
        size[key] = f"{value}px"
    return size


def visit_explorable(self, node: explorable) -> None:
    """``<div class="explorable" data-spec=...>``, the spec written once."""
    digest = hashlib.sha256(node["spec"].encode()).hexdigest()[:16]
    spec = SPECS / f"{digest}.json"
    path = Path(self.builder.outdir) / spec
    if not path.exists():
        with atomic_write(path, encoding="utf-8") as out:
            out.write(node["spec"])
    self.body.append(
        self.starttag(
            node, "div", CLASS="explorable", **{"data-spec": spec.as_posix()}
        )
    )


def depart_explorable(self, node: explorable) -> None:
    self.body.append("</div>\n")


def skip(self, node: nodes.Node) -> None:
    raise nodes.SkipNode


def load_on_its_pages(
    app: Sphinx, pagename: str, templatename: str, context: dict, doctree
) -> None:
    """The loader and its style on the pages that have an explorable figure."""
    if doctree is not None and any(doctree.findall(explorable)):
        app.add_css_file("explorable.css")
        app.add_js_file("explorable.js", loading_method="defer")


def copy_vega(app: Sphinx, exception) -> None:
    if exception is None and app.builder.format == "html":
        copy_assets(
            node_modules(Path(app.confdir)),
            Path(app.outdir) / "_static",
            assets=VEGA,
            licences={},
        )


def add_static(app: Sphinx, config) -> None:
    config.html_static_path = [*config.html_static_path, str(STATIC)]


def setup(app: Sphinx) -> dict:
    app.add_node(explorable, html=(visit_explorable, depart_explorable))
    app.add_node(explorable_note, html=(skip, None))
    app.add_directive("explorable", Explorable)
    app.connect("config-inited", add_static)
    app.connect("html-page-context", load_on_its_pages)
    app.connect("build-finished", copy_vega)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
