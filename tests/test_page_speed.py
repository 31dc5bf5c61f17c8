"""Fast on a phone: typeset maths with no script, nothing that jumps, a first
paint that waits for nothing but style sheets (_ext/katex_math.py,
_ext/page_speed.py). Speed itself is measured by benchmarks/lighthouse.py."""

import re

import pytest
from browser import offline_chromium, serve_site
from helpers import chapters, page

pytestmark = pytest.mark.slow

PHONE = {"width": 390, "height": 844}
#: The article's visible text, without code, KaTeX's hidden MathML copy
#: (which holds the TeX source for screen readers and copying) and scripts.
PROSE = """() => {
  const article = document.querySelector('article.bd-article').cloneNode(true);
  article.querySelectorAll('pre, code, .katex-mathml, script, style')
    .forEach(e => e.remove());
  return article.textContent;
}"""
#: Raw TeX a reader would see if a formula were left untypeset.
RAW_TEX = re.compile(r"\\[(\[]|\$\$|\\(?:frac|sum|sigma|partial|begin)\b")
#: The page's layout shifts so far, summed (every shift, not only the
#: largest burst that Lighthouse's CLS counts), and each shifted element.
LAYOUT_SHIFTS = """() => new Promise(resolve => {
  new PerformanceObserver(list => {
    const shifts = list.getEntries().filter(e => !e.hadRecentInput);
    resolve({total: shifts.reduce((sum, e) => sum + e.value, 0),
             moved: shifts.flatMap(e => e.sources.map(s =>
               s.node ? (s.node.className || s.node.nodeName) : '?'))});
  }).observe({type: 'layout-shift', buffered: true});
  setTimeout(() => resolve({total: 0, moved: []}), 1000);
})"""


def test_every_chapter_shows_typeset_maths_without_javascript(built_book):
    html = built_book / "html"
    untypeset, raw, unstyled, with_maths = [], [], [], []
    with serve_site(html) as site, offline_chromium() as (new_context, _):
        context = new_context(java_script_enabled=False, viewport=PHONE)
        tab = context.new_page()
        for doc in chapters():
            tab.goto(f"{site}/{doc}.html", wait_until="load")
            formulas = tab.locator(".math").count()
            if formulas:
                with_maths.append(doc)
            missing = tab.locator(".math:not(:has(.katex))").count()
            if missing:
                untypeset.append(f"{doc}: {missing} of {formulas}")
            raw += [
                f"{doc}: {m}" for m in RAW_TEX.findall(tab.evaluate(PROSE))
            ]
            typeset = tab.locator(".katex")
            if (
                typeset.count()
                and "KaTeX_Main"
                not in typeset.first.evaluate(
                    "e => getComputedStyle(e).fontFamily"
                )
            ):
                unstyled.append(doc)
    assert len(with_maths) >= 8, with_maths
    assert not untypeset, f"formulas left untypeset: {untypeset}"
    assert not raw, f"raw TeX visible: {raw}"
    assert not unstyled, f"KaTeX's style sheet not applied: {unstyled}"


def test_no_chapter_shifts_its_layout_on_a_phone(built_book):
    """Every shift while a chapter loads on a phone, added up, stays at
    most 0.1 (the issue's CLS target; Lighthouse counts only the worst
    burst of shifts)."""
    html = built_book / "html"
    shifted = []
    with serve_site(html) as site, offline_chromium() as (new_context, _):
        for doc in chapters():
            context = new_context(viewport=PHONE)
            tab = context.new_page()
            tab.goto(f"{site}/{doc}.html", wait_until="load")
            tab.wait_for_load_state("networkidle")
            tab.evaluate("document.fonts.ready")
            shifts = tab.evaluate(LAYOUT_SHIFTS)
            if shifts["total"] > 0.1:
                shifted.append(
                    f"{doc}: {shifts['total']:.3f} ({shifts['moved'][:5]})"
                )
            context.close()
    assert not shifted, f"layout shifts above 0.1: {shifted}"


def test_only_style_sheets_block_the_first_paint(built_book):
    """Scripts in a page's head are deferred or async, but for Sphinx's
    few hundred bytes of page options; the icon and maths fonts swap."""
    blocking = {}
    for doc in chapters():
        head = page(built_book, doc).head
        found = [
            s["src"].split("?")[0]
            for s in head.select("script[src]")
            if not {"defer", "async"} & s.attrs.keys()
        ]
        if found != ["../_static/documentation_options.js"]:
            blocking[doc] = found
    assert not blocking, f"scripts that block the first paint: {blocking}"
    static = built_book / "html" / "_static"
    for css in (
        "styles/pydata-sphinx-theme.css",
        "katex/katex-swap.min.css",
    ):
        text = (static / css).read_text()
        assert "font-display:swap" in text.replace(" ", ""), css
        assert "font-display:block" not in text.replace(" ", ""), css
