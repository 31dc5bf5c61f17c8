"""The theme's style sheet, only the rules the book's pages can use, cut by
PurgeCSS (measured: benchmarks/lighthouse.py).

pydata-sphinx-theme ships all of Bootstrap and its own rules in one style
sheet, 391 kB (64 kB compressed), which every page must fetch and match
against each element before its first paint. The book uses about a quarter
of it. On a phone's slow network that sheet was the largest file before the
first paint; on the simulated phone of Lighthouse, perceptrons' largest
paint came at 2.6-2.8 s with it and at 2.0 s without any theme style.

When the build ends, this extension writes the site's copy again from the
theme's own file, cut by PurgeCSS (npm, pinned in ``package.json``, run in
Node) to the selectors whose classes, ids, tags and attributes some built
page or some script of the site names as a word. A class that a script
adds stays when the script names it (``show``, ``active``); one that a
script builds from parts, or that no file of the site names, stays only
through the safelist of ``purgecss.config.js``, which says why each entry
is there. ``tests/test_page_speed.py`` opens every page as a reader uses it
(menus, dark mode, search, Live Code, solutions, print, a phone's width)
and fails when a rule that a page then matches was cut.

Font Awesome's fonts are drawn with ``font-display: swap``: the theme ships
``block``, which hides a page's icons, and text that shares their font, for
up to three seconds. The fonts themselves are cut to what the remaining
rules draw by ``_ext/icon_fonts.py``.
"""

import json
import subprocess
from pathlib import Path

from shared import THEME_CSS, node_modules, theme_file
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError

from coursesite.files import atomic_write

#: PurgeCSS's options for it: the safelist.
CONFIG = Path(__file__).with_name("purgecss.config.js")
#: PurgeCSS's command line, in its npm package.
PURGECSS = Path("purgecss", "bin", "purgecss.js")
FONT_DISPLAY = ("font-display:block", "font-display:swap")


def content(site: Path) -> list[Path]:
    """The files whose words name what the site's elements can wear: every
    page, and every script that can add classes to them."""
    return sorted(
        f
        for f in [*site.rglob("*.html"), *(site / "_static").rglob("*.js")]
        if f.is_file()
    )


def purge(css: str, site: Path, modules: Path) -> str:
    """The style sheet ``css`` without the rules that no element of
    ``site`` can match, as PurgeCSS (in ``modules``, the npm packages)
    decides with our safelist."""
    purgecss = modules / PURGECSS
    if not purgecss.is_file():
        raise ExtensionError(
            f"used_css: {purgecss} is missing. Run `npm ci --ignore-scripts` "
            "in the repository root (package.json pins PurgeCSS)."
        )
    # The style sheet on stdin and the content files named one by one:
    # PurgeCSS reads a name it cannot find as a glob, and a site's path may
    # hold glob characters. Without --output, it prints its result as JSON.
    run = subprocess.run(
        ["node", str(purgecss), "--config", str(CONFIG), "--css", "-"]
        + ["--content", *map(str, content(site))],
        input=css,
        capture_output=True,
        text=True,
    )
    if run.returncode:
        raise ExtensionError(f"used_css: PurgeCSS failed:\n{run.stderr}")
    [result] = json.loads(run.stdout)
    return result["css"]


def only_used_rules(app: Sphinx, exception) -> None:
    """The site's theme style sheet, cut to what the pages can use."""
    outdir = Path(app.outdir)
    css = outdir / THEME_CSS
    if exception or app.builder.format != "html" or not css.is_file():
        return
    original = theme_file(THEME_CSS.relative_to("_static"))
    kept = purge(
        original.read_text(encoding="utf8"),
        outdir,
        node_modules(Path(app.confdir)),
    )
    with atomic_write(css, encoding="utf8") as out:
        out.write(kept.replace(*FONT_DISPLAY))


def setup(app: Sphinx) -> dict:
    # after the extensions that copy their scripts into the site (500)
    app.connect("build-finished", only_used_rules, priority=800)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
