"""A self-contained site: every page of the published build works with no network at all.

Each page is opened in headless Chromium with every request that would leave loopback aborted and
recorded: none may be attempted, no asset may be missing, no script may fail, and the maths must be
typeset (by the site's own KaTeX, when the book was built). The build's own configuration points at
the pinned copies.
"""

import json

import pytest
from browser import MATH_TYPESET, offline_browser, serve_site, site_pages
from helpers import REPO, course_chapters

pytestmark = pytest.mark.slow


def test_every_page_works_offline_and_typesets_its_maths(built_book):
    html = built_book / "html"
    pages = site_pages(html)
    assert {f"{doc}.html" for doc in course_chapters()} <= set(pages)
    with_maths, missing, errors = [], [], []
    with serve_site(html) as site, offline_browser() as (context, attempts):
        page = context.new_page()
        page.on(
            "response",
            lambda r: missing.append(r.url) if r.status >= 400 else None,
        )
        page.on("pageerror", lambda e: errors.append(f"{page.url}: {e}"))
        for name in pages:
            page.goto(f"{site}/{name}", wait_until="load")
            if page.locator(".math").count():
                with_maths.append(name)
                page.wait_for_function(MATH_TYPESET, timeout=30_000)
                assert page.locator(".katex-error").count() == 0, (
                    f"{name}: KaTeX reports a TeX error"
                )
            page.wait_for_load_state("networkidle")
    assert not attempts, f"requests left loopback: {attempts}"
    assert not missing, f"assets missing from the site: {missing}"
    assert not errors, f"script errors: {errors}"
    assert with_maths, "no page shows a formula"


def test_pages_load_pinned_assets_from_the_site(built_book):
    """KaTeX and thebe are the versions package.json pins, served from _static;
    no page loads MathJax or anything from a CDN."""
    pins = json.loads((REPO / "package.json").read_text())["dependencies"]
    static = built_book / "html" / "_static"
    for package in ("katex", "thebe"):
        assert (
            json.loads((static / package / "package.json").read_text())[
                "version"
            ]
            == pins[package]
        )
        assert (static / package / "LICENSE").read_text().strip()
    page = (built_book / "html" / "book" / "perceptrons.html").read_text()
    assert 'href="../_static/katex/katex-swap.min.css?v=' in page
    assert "mathjax/" not in page.lower() and "cdn." not in page
    # thebe's address: the page's content root (../ here) + the site's copy
    assert '<html lang="en" data-content_root="../"' in page
    assert (
        "const THEBE_JS_URL = document.documentElement.dataset.content_root"
        ' + "_static/thebe/index.js"' in page
    )
    assert page.count("THEBE_JS_URL =") == 1 and "unpkg" not in page


#: Every code block (a cell, its printed output, or a module shown with
#: literalinclude) that is wider than its box, as "page: first line".
OVERFLOWING_CODE = """() => [...document.querySelectorAll('div.highlight pre')]
    .filter(pre => pre.scrollWidth > pre.clientWidth + 1)
    .map(pre => pre.textContent.split('\\n').find(l => l.length > 77) || '')"""


def test_code_fits_the_page_without_scrolling(built_book):
    """On a 1280-pixel-wide screen no cell, output or module listing scrolls.

    A reader who has to scroll sideways loses the end of every long line; the
    package and the chapters are formatted to 77 columns (pyproject.toml).
    """
    html = built_book / "html"
    chapters = [p for p in site_pages(html) if p.startswith("book/")]
    overflowing, blocks = [], 0
    with serve_site(html) as site, offline_browser() as (context, _):
        page = context.new_page()
        page.set_viewport_size({"width": 1280, "height": 800})
        for name in chapters:
            page.goto(f"{site}/{name}", wait_until="load")
            blocks += page.locator("div.highlight pre").count()
            overflowing += [
                f"{name}: {line}" for line in page.evaluate(OVERFLOWING_CODE)
            ]
    assert blocks > 100
    assert not overflowing, "code wider than the page:\n" + "\n".join(
        overflowing
    )
