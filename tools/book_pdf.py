"""The whole course as one PDF, printed from the built site by Chromium.

The landing page is opened in headless Chromium, every page of the book's
table of contents is fetched in order and put into it (one article after
another; their maths was typeset when the site was built), and once the
fonts are in, the browser prints it with the site's print style sheet
(``_static/course.css``). The PDF lands next to the site, and only then
does every page's sidebar link to it (the build leaves the link in a
comment, ``_templates/book-pdf.html``)::

    python tools/book_pdf.py _build/html

``--chromium PATH`` picks the browser (default: Debian's ``/usr/bin/chromium``
when present, else Playwright's own, which ``python -m playwright install
chromium`` installs on a machine with internet access).
"""

import argparse
import re
from pathlib import Path

from playwright.sync_api import sync_playwright

from coursesite.browsing import CHROMIUM_ARGS, default_chromium, serve_site

#: The PDF's name in the site; the sidebar template links to it.
PDF_NAME = "deep-learning.pdf"
#: The sidebar's link to the PDF, as the build leaves it: commented out.
HIDDEN_LINK = re.compile(r"<!--book-pdf-link (.*?) book-pdf-link-->", re.S)
#: Where the book's pages are; the host page has maths, so it loads KaTeX's style sheet.
HOST_PAGE = "book/perceptrons.html"
ASSEMBLE = """async () => {
  const links = [...document.querySelectorAll('.bd-sidebar-primary nav a.reference.internal')]
    .map(a => a.href).filter((href, i, all) => all.indexOf(href) === i);
  const chapters = [];
  for (const href of links) {
    const page = new DOMParser().parseFromString(await (await fetch(href)).text(), 'text/html');
    const chapter = document.createElement('section');
    chapter.className = 'pdf-chapter';
    chapter.append(...page.querySelector('article.bd-article').childNodes);
    chapters.push(chapter);
  }
  document.querySelector('article.bd-article').replaceChildren(...chapters);
  document.querySelector('#jb-print-docs-body')?.remove();  // the host page's title and contents
  document.title = document.querySelector('.logo__title, title').textContent.trim();
  document.body.getBoundingClientRect();  // lay out the maths just put in ...
  await document.fonts.ready;  // ... and wait for the KaTeX fonts it asks for
  // Figures load lazily (_ext/figures.py): decode() of one far below the
  // screen would wait for a scroll that never comes.
  for (const img of document.images) img.loading = 'eager';
  await Promise.all([...document.images].map(img => img.decode().catch(() => null)));
  return links.length;
}"""


def print_book(html: Path, chromium: str | None = None) -> Path:
    """Print the site in ``html`` to ``html / PDF_NAME``; returns its path."""
    if not (html / HOST_PAGE).is_file():
        raise SystemExit(
            f"book_pdf: {html / HOST_PAGE} is missing: build the book first "
            "(jupyter-book build . -W -n --keep-going) and pass its "
            "_build/html folder."
        )
    out = html / PDF_NAME
    with serve_site(html) as site, sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=chromium or default_chromium(),
            args=CHROMIUM_ARGS,
        )
        try:
            page = browser.new_page()
            page.goto(f"{site}/{HOST_PAGE}", wait_until="networkidle")
            page.evaluate(ASSEMBLE)
            page.emulate_media(media="print")
            page.pdf(
                path=str(out),
                format="A4",
                print_background=True,
                outline=True,  # bookmarks from the headings: one per chapter
                tagged=True,
                margin={
                    "top": "15mm",
                    "bottom": "15mm",
                    "left": "15mm",
                    "right": "15mm",
                },
            )
        finally:
            browser.close()
    link_pdf(html)
    return out


def link_pdf(html: Path) -> int:
    """Reveal the sidebar's link to the PDF on every page of ``html``, now
    that the PDF is there; returns how many pages link to it."""
    linked = 0
    for page in html.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        shown, count = HIDDEN_LINK.subn(r"\1", text)
        if count:
            page.write_text(shown, encoding="utf-8")
            linked += 1
    return linked


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "html", type=Path, help="the built site, _build/html"
    )
    parser.add_argument("--chromium", help="the Chromium executable")
    args = parser.parse_args()
    print(print_book(args.html, args.chromium))


if __name__ == "__main__":
    main()
