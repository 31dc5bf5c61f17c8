"""Fast on a phone: typeset maths with no script, nothing that jumps, a first
paint that waits for nothing but style sheets (_ext/katex_math.py,
_ext/page_speed.py). Speed itself is measured by benchmarks/lighthouse.py."""

import re
import secrets

import icon_fonts
import shared
import tinycss2
import used_css
from browser import (
    free_port,
    jupyter_server,
    offline_chromium,
    open_page,
    serve_site,
    site_pages,
    start_live_code,
)
from fontTools.ttLib import TTFont
from helpers import REPO, chapters, course_chapters, page

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
    assert with_maths, "no chapter shows a formula"
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
            open_page(tab, f"{site}/{doc}.html")
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
        preloaded = head.select('link[rel="preload"][as="script"]')
        if preloaded:
            blocking[doc] = [link["href"] for link in preloaded]
    assert not blocking, f"scripts that block the first paint: {blocking}"
    static = built_book / "html" / "_static"
    for css in (
        "styles/pydata-sphinx-theme.css",
        "katex/katex-swap.min.css",
    ):
        text = (static / css).read_text()
        assert "font-display:swap" in text.replace(" ", ""), css
        assert "font-display:block" not in text.replace(" ", ""), css


#: Every glyph a Font Awesome font draws on the page, as (family, weight,
#: code point): the ::before and ::after of every element.
ICON_GLYPHS = """() => {
  const found = new Set();
  for (const e of document.querySelectorAll('*')) {
    for (const where of ['::before', '::after']) {
      const style = getComputedStyle(e, where);
      const text = style.content.replace(/^"|"$/g, '');
      if (style.fontFamily.includes('Font Awesome') && [...text].length === 1)
        found.add(JSON.stringify([style.fontFamily, style.fontWeight,
                                  text.codePointAt(0)]));
    }
  }
  return [...found].map(JSON.parse);
}"""


def font_for(family: str, weight: str) -> str:
    """The theme's Font Awesome file that CSS picks for a family and weight."""
    if "Brands" in family:
        return "fa-brands-400.woff2"
    return (
        "fa-solid-900.woff2"
        if int(weight) >= 600
        else "fa-regular-400.woff2"
    )


def test_every_icon_is_in_the_cut_icon_fonts(built_book):
    """The site serves Font Awesome cut to the book's icons (a few kB, not
    274 kB), and every icon a page draws, from a class or from a style
    sheet, has its glyph in the font the page draws it from."""
    html = built_book / "html"
    fonts = html / "_static" / "vendor" / "fontawesome" / "webfonts"
    cmaps = {f.name: TTFont(f).getBestCmap() for f in fonts.glob("*.woff2")}
    weight = sum(f.stat().st_size for f in fonts.glob("*.woff2"))
    assert weight < 20_000, f"Font Awesome's fonts weigh {weight} bytes"
    missing, drawn = [], set()
    with serve_site(html) as site, offline_chromium() as (new_context, _):
        tab = new_context().new_page()
        for doc in ["index", *chapters()]:
            open_page(tab, f"{site}/{doc}.html")
            for family, weight_, point in tab.evaluate(ICON_GLYPHS):
                drawn.add(point)
                if point not in cmaps[font_for(family, weight_)]:
                    missing.append(
                        f"{doc}: U+{point:04X} ({family} {weight_})"
                    )
    assert len(drawn) >= 8, f"only {len(drawn)} icons found: {drawn}"
    assert not missing, f"icons the cut fonts lack: {missing}"


def test_icon_glyphs_are_found_by_code_point_or_as_characters():
    css = (
        '.fa-github:before{content:"\\f09b"}'
        '@media print{.admonition-title:after{content:"\\f05a"}}'
        ".x{color:red}"
        ':root{--pst-icon-bell:"\uf0f3"}'
    )
    assert icon_fonts.glyphs_drawn(css) == {0xF09B, 0xF05A, 0xF0F3}


def test_purgecss_drops_the_rules_no_element_can_match(tmp_path):
    """The build's PurgeCSS run, with the site's safelist, on a tiny site: a
    selector stays when a page or a script names each of its classes, ids,
    tags and attributes; what Bootstrap builds from parts and the focus ring
    stay through the safelist."""
    (tmp_path / "_static").mkdir()
    (tmp_path / "page.html").write_text(
        '<html data-theme="light"><p class="lead" id="intro">'
        '<i class="fa-github"></i><a href="#">x</a></p>'
        '<div class="collapse"></div></html>'
    )
    (tmp_path / "_static" / "tip.js").write_text(
        "document.documentElement.dataset.theme = 'dark';"
        "e.classList.add('show');"
        "t.classList.add(`bs-${this.NAME}-auto`, `${size}-0`, `fa-${icon}`)"
    )
    css = (
        '@charset "UTF-8";'
        ".lead,.display-1{font-size:2rem}"
        ".modal.show .modal-dialog{transform:none}"
        ".collapse.show{display:block}"
        ".bs-tooltip-auto,.mt-0{margin:0}"
        "#intro>p,#outro{color:red}"
        '.fa-github:before{content:"x"}.fa-ad:before{content:"y"}'
        "html[data-theme=dark] .lead{color:#fff}"
        ":focus-visible{outline:2px solid}"
        "@media (min-width:576px){.display-1{font-size:5rem}}"
        "@media print{.lead{color:#000}}"
        "@font-face{font-family:X}"
        ":root{--pst-a:1}"
        "a:not(.unused){color:blue}"
        "table td{padding:0}"
        "@keyframes spin{0%{opacity:0}to{opacity:1}}"
    )
    kept = used_css.purge(css, tmp_path, shared.node_modules(REPO))
    assert kept == (
        '@charset "UTF-8";'
        ".lead{font-size:2rem}"
        ".collapse.show{display:block}"
        ".bs-tooltip-auto{margin:0}"
        "#intro>p{color:red}"
        '.fa-github:before{content:"x"}'
        "html[data-theme=dark] .lead{color:#fff}"
        ":focus-visible{outline:2px solid}"
        "@media print{.lead{color:#000}}"
        "@font-face{font-family:X}"
        ":root{--pst-a:1}"
        "a:not(.unused){color:blue}"
        "@keyframes spin{0%{opacity:0}to{opacity:1}}"
    )


#: What the elements of the page wear while it is open, what scripts add
#: later included (tooltips, menus, dark mode, dialogs, Live Code): classes
#: (``.x``), ids (``#x``), tags (``x``) and attributes (``[x``).
WORN = """(() => {
  const worn = window.__worn = new Set();
  const note = e => {
    if (e.nodeType !== 1) return;
    worn.add(e.localName.toLowerCase());
    e.classList.forEach(c => worn.add('.' + c));
    if (e.id) worn.add('#' + e.id);
    e.getAttributeNames().forEach(a => worn.add('[' + a));
  };
  new MutationObserver(records => records.forEach(r => {
    note(r.target);
    r.addedNodes.forEach(n => {
      note(n);
      if (n.querySelectorAll) n.querySelectorAll('*').forEach(note);
    });
  })).observe(document, {subtree: true, childList: true, attributes: true});
})()"""
LAPTOP = {"width": 1280, "height": 900}
#: At-rules whose block holds rules (``@media``) rather than declarations.
GROUPS = {"media", "supports", "layer", "container"}


def wear_what_readers_can(tab, phone: bool) -> None:
    """Open what a reader opens: tooltips, each menu, the colour modes (dark
    included), the search dialog, every solution and dropdown, the print
    view and, on a phone, both sidebars; then read to the end."""
    tab.hover(".theme-switch-button")
    tab.locator(".tooltip").wait_for()
    for _ in range(3):
        tab.click(".theme-switch-button")
    for menu in tab.locator(
        ".article-header-buttons .dropdown-toggle"
    ).all():
        menu.click()
        tab.keyboard.press("Escape")
    if "/search.html" not in tab.url:  # which searches in its own field
        tab.locator(".search-button__button:visible").first.click()
        tab.locator("#pst-search-dialog[open]").wait_for()
        tab.keyboard.type("gradient")
        tab.keyboard.press("Escape")
    if phone:
        for toggle in (".primary-toggle", ".secondary-toggle"):
            if tab.locator(toggle).is_visible():
                tab.click(toggle)
                tab.keyboard.press("Escape")
    closed = tab.locator(
        "article .toggle-hidden .toggle-button:visible,"
        " article details:not([open]) > summary:visible"
    )
    for _ in range(100):  # each click may show more, nested in what opened
        if not closed.count():
            break
        closed.first.click()
    print_page(tab)
    tab.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    tab.wait_for_timeout(300)


def print_page(tab) -> None:
    """What printing does to a page, without a printer: print media, and
    the events ``window.print()`` sends to the page's scripts."""
    tab.emulate_media(media="print")
    tab.evaluate("dispatchEvent(new Event('beforeprint'))")
    tab.wait_for_timeout(100)
    tab.evaluate("dispatchEvent(new Event('afterprint'))")
    tab.emulate_media(media="null")


def run_live_code(tab) -> None:
    """Start Live Code (its server named in the page's address) and run a
    cell that prints, as a reader tries a chapter's code."""
    start_live_code(tab)
    cell = tab.locator(".thebe-cell").first
    cell.locator(".CodeMirror").evaluate(
        "cm => cm.CodeMirror.setValue('print(\"live:\", 6 * 7)')"
    )
    cell.locator(".thebe-run-button").click()
    output = tab.locator(".thebe-output", has_text="live: 42")
    output.wait_for(timeout=60_000)


def required(selector: list) -> set[str]:
    """What an element must wear for ``selector`` to match it, as ``WORN``
    writes it, outside functions (``:not(.x)``); ``:host`` matches only a
    shadow tree's host, which the pages have none of."""
    needs, previous = set(), None
    for token in selector:
        after = (
            previous.value if previous and previous.type == "literal" else ""
        )
        if token.type == "hash":
            needs.add("#" + token.value)
        elif token.type == "[] block":
            needs.add(
                "["
                + next(t.value for t in token.content if t.type == "ident")
            )
        elif token.type == "ident" and after in (".", ":"):
            if after == "." or token.value == "host":
                needs.add(after + token.value)
        elif token.type == "ident" and (
            previous is None
            or previous.type == "whitespace"
            or after in ">+~"
        ):
            needs.add(token.value.lower())
        previous = token
    return needs


def split_list(prelude: list) -> list[list]:
    """A rule's selector list (its prelude's tokens), one list per selector."""
    found: list[list] = [[]]
    for token in prelude:
        if token.type == "literal" and token.value == ",":
            found.append([])
        else:
            found[-1].append(token)
    return found


def selectors_of(css: str) -> set[tuple[str, str, frozenset]]:
    """Every selector of a style sheet, those inside ``@media`` included:
    (the at-rules it is in, itself, what it requires)."""
    found, rules = set(), [("", r) for r in tinycss2.parse_stylesheet(css)]
    while rules:
        within, rule = rules.pop()
        if rule.type == "qualified-rule":
            found |= {
                (
                    within,
                    tinycss2.serialize(s).strip(),
                    frozenset(required(s)),
                )
                for s in split_list(rule.prelude)
            }
        elif rule.type == "at-rule" and rule.lower_at_keyword in GROUPS:
            at = f"{within}@{rule.lower_at_keyword}"
            at += tinycss2.serialize(rule.prelude)
            inner = tinycss2.parse_rule_list(rule.content or [])
            rules += [(at, r) for r in inner]
    return found


def test_every_rule_a_page_can_match_is_kept(built_book, tmp_path):
    """The site's theme style sheet is cut to under half of the theme's, and
    keeps every selector whose classes, ids, tags and attributes some
    element wore while a reader used the page: on every page of the site,
    at a phone's width and a laptop's, in dark mode and in print, with
    every solution and dropdown open and, on every chapter of the course,
    Live Code
    started (its kernel from a local Jupyter server) and a cell run."""
    html = built_book / "html"
    worn: set[str] = set()
    port, token = free_port(), secrets.token_hex(16)
    with (
        serve_site(html) as site,
        jupyter_server(REPO, port, token, site, tmp_path / "jupyter.log"),
        offline_chromium() as (new_context, _),
    ):
        live = f"#server=http://127.0.0.1:{port}&token={token}"
        course = {f"{doc}.html" for doc in course_chapters()}
        for viewport in (PHONE, LAPTOP):
            context = new_context(viewport=viewport)
            context.add_init_script(WORN)
            tab = context.new_page()
            tab.on("dialog", lambda dialog: dialog.accept())  # the server
            for path in site_pages(html):
                if path == "index.html":  # a redirect to book/index.html
                    continue
                open_page(tab, f"{site}/{path}?q=gradient")
                wear_what_readers_can(tab, viewport is PHONE)
                worn |= set(tab.evaluate("[...window.__worn]"))
                if path in course and viewport is PHONE:
                    tab.goto(f"{site}/{path}{live}", wait_until="load")
                    run_live_code(tab)
                    worn |= set(tab.evaluate("[...window.__worn]"))
            context.close()
    assert {".show", ".bs-tooltip-auto", ".thebe-cell", "[open"} <= worn
    original = shared.theme_file(shared.THEME_CSS.relative_to("_static"))
    original = original.read_text(encoding="utf8")
    site_css = (html / shared.THEME_CSS).read_text(encoding="utf8")
    assert len(site_css) < len(original) / 2
    kept = {(context, text) for context, text, _ in selectors_of(site_css)}
    needed = [s for s in selectors_of(original) if s[2] <= worn]
    # the reader's states are in what is checked
    assert any("print" in context for context, _, _ in needed)
    assert any("[data-theme" in needs for _, _, needs in needed)
    lost = sorted(
        f"{context} {text}".strip()
        for context, text, _ in needed
        if (context, text) not in kept
    )
    assert not lost, f"rules that pages can match, dropped: {lost[:20]}"


#: After ``id``'s heading is scrolled to the top of the window: the links
#: the contents list marks, and the section a reader is in, found from the
#: sections' boxes: the last of the list's sections, in the page's order,
#: that reaches into the top 40 % of the window.
MARKED_AFTER_SCROLL = """async id => {
  document.getElementById(id).scrollIntoView();
  await new Promise(r => setTimeout(r, 500));
  const band = 0.4 * innerHeight;
  const reading = [...document.querySelectorAll('#pst-page-toc-nav a')]
    .map(a => document.getElementById(a.hash.slice(1)))
    .filter(s => { const box = s.getBoundingClientRect();
                   return box.top < band && box.bottom > 0; })
    .sort((a, b) => a.compareDocumentPosition(b) & 4 ? -1 : 1).pop();
  return {reading: reading.id,
          marked: [...document.querySelectorAll('#pst-page-toc-nav a.active')]
            .map(a => [a.hash.slice(1), a.getAttribute('aria-current')])};
}"""


def test_contents_list_marks_the_section_being_read(built_book):
    """The page's contents list follows the reader (``toc_spy.js``), and
    Bootstrap's ScrollSpy, which laid out every section on load, is gone."""
    doc = "book/training"
    assert not page(built_book, doc).body.has_attr("data-bs-spy")
    html = built_book / "html"
    with serve_site(html) as site, offline_chromium() as (new_context, _):
        tab = new_context(viewport={"width": 1400, "height": 900}).new_page()
        open_page(tab, f"{site}/{doc}.html")
        ids = tab.eval_on_selector_all(
            "#pst-page-toc-nav a.nav-link",
            "links => links.map(a => a.hash.slice(1))",
        )
        assert len(ids) >= 4, ids
        readings = set()
        for id_ in ids:
            found = tab.evaluate(MARKED_AFTER_SCROLL, id_)
            assert found["marked"] == [[found["reading"], "location"]], (
                id_,
                found,
            )
            readings.add(found["reading"])
        assert len(readings) >= 4, readings


def test_figures_load_when_the_reader_comes_near(built_book):
    """Every figure of every chapter loads lazily, with its size reserved."""
    eager = []
    for doc in chapters():
        for img in page(built_book, doc).select("article img"):
            if img.get("loading") != "lazy" or not img.get("height"):
                eager.append(f"{doc}: {img.get('src')}")
    assert not eager, f"figures loaded eagerly or unsized: {eager}"
