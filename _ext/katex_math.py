"""Maths typeset while the book builds, so a page shows its formulas with no script.

MathJax typesets every formula in the reader's browser: 1.17 MB of script, about
0.8 s of work on a mid-range phone, and the text jumps when the formulas appear.
sphinxcontrib-katex (``katex_prerender``) instead sends each formula to KaTeX
running in Node while Sphinx writes the page, and the page carries the typeset
HTML; it only needs KaTeX's style sheet and fonts. This extension:

* loads sphinxcontrib-katex and points it at the site's own KaTeX (npm, pinned in
  ``package.json``; sphinxcontrib-katex bundles an older one and names a CDN for
  the style sheet): the build renders with ``node_modules/katex`` and the page
  loads ``_static/katex/katex-swap.min.css`` (KaTeX's fonts with
  ``font-display: swap``, so text never waits for a font);
* turns a formula KaTeX cannot typeset into a build warning naming the page
  (sphinxcontrib-katex renders it as red source text, silently), so the strict
  build fails on it;
* preloads the two fonts nearly every formula uses, on pages with maths;
* copies KaTeX's style sheet, fonts (WOFF2, which every current browser reads),
  licence, and the script Live Code loads on demand to typeset the maths of
  outputs computed in the page (``_ext/live_code_static/mathjax2-shim.js``).

:mod:`coursesite.prerender_math` typesets formulas outside Sphinx's pages
(the slides) through the same KaTeX server.
"""

import atexit
import html
import re
from pathlib import Path

from shared import copy_assets, node_modules
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.util import logging
from sphinxcontrib import katex

from coursesite.prerender_math import katex_js, steady_server

logger = logging.getLogger(__name__)

#: The files of the KaTeX package the site serves, as ``shared.copy_assets``
#: takes them (``_static/katex/<place without dist/>``).
ASSETS = {
    "katex": [
        "LICENSE",
        "package.json",
        "dist/katex-swap.min.css",
        "dist/fonts/*.woff2",
        "dist/katex.min.js",
        "dist/contrib/auto-render.min.js",
    ]
}
#: The style sheet pages load, under ``_static``.
KATEX_CSS = "katex/katex-swap.min.css"
#: Fonts that nearly every formula uses: preloaded where a page has maths.
PRELOADED_FONTS = ("KaTeX_Main-Regular", "KaTeX_Math-Italic")
#: KaTeX's mark of a formula it could not typeset (``throwOnError: false``).
ERROR = re.compile(r'<span class="katex-error" title="([^"]*)"')


def use_site_katex(app: Sphinx, config: Config) -> None:
    """Render with the pinned KaTeX and load its style sheet from the site."""
    steady_server()
    config.katex_prerender = True
    config.katex_js_path = str(
        katex_js(node_modules(Path(app.confdir)) / "katex")
    )
    config.katex_css_path = KATEX_CSS
    config.html_math_renderer = "katex"


def untypeset_maths(body: str) -> list[str]:
    """KaTeX's messages for the formulas of ``body`` it could not typeset."""
    return [html.unescape(message) for message in ERROR.findall(body)]


def check_and_preload(
    app: Sphinx, pagename: str, templatename: str, context: dict, doctree
) -> None:
    """Warn about formulas KaTeX could not typeset; preload the fonts of
    pages with maths."""
    body = context.get("body", "")
    for message in untypeset_maths(body):
        logger.warning(
            "KaTeX cannot typeset a formula: %s (fix its LaTeX; KaTeX "
            "supports: https://katex.org/docs/supported.html)",
            message,
            location=pagename,
        )
    if 'class="katex"' in body:
        root = context.get("pathto", lambda *a: "")("_static/", 1)
        context["metatags"] = context.get("metatags", "") + "".join(
            f'\n<link rel="preload" href="{root}katex/fonts/{font}.woff2" '
            'as="font" type="font/woff2" crossorigin>'
            for font in PRELOADED_FONTS
        )


def copy_katex(app: Sphinx) -> None:
    """Copy KaTeX's files before pages are written, so that each page's link
    to the style sheet carries its checksum (``?v=``) on a clean build too."""
    if app.builder.format == "html":
        copy_assets(
            node_modules(Path(app.confdir)),
            Path(app.outdir) / "_static",
            ASSETS,
            {},
        )


def stop_katex(app: Sphinx, exception) -> None:
    """Stop the Node process that rendered the maths when the build ends.

    sphinxcontrib-katex stops it only in an ``atexit`` handler; a build
    whose process ended without running it left Node holding the build's
    output pipe, and a caller reading that pipe (the test suite's build)
    waited forever.
    """
    server = katex.KaTeXServer.katex_server
    if server is not None:
        katex.KaTeXServer.katex_server = None
        atexit.unregister(katex.KaTeXServer.terminate)  # would stop it twice
        server.terminate()


def setup(app: Sphinx) -> dict:
    app.setup_extension("sphinxcontrib.katex")
    app.connect("config-inited", use_site_katex)
    app.connect("html-page-context", check_and_preload)
    app.connect("builder-inited", copy_katex)
    app.connect("build-finished", stop_katex)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
