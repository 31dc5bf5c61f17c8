"""What each chapter's explorable figures weigh, before and once they are live.

    python benchmarks/explorables.py [SITE]

SITE is a built site (default ``_build/html``), served on loopback. On a
390×844 phone screen, each chapter of the course is opened and every byte
it fetched is counted (before compression, as ``benchmarks/lighthouse.py``
counts a page's weight); then the page is scrolled to each explorable
figure until it is live, and counted again. Prints one row per chapter: its
figures, the bytes of their compiled specs, the page's weight as loaded and
with every figure live.
"""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

from coursesite.book import course_chapters
from coursesite.browsing import CHROMIUM, CHROMIUM_ARGS, serve_site

#: Every byte the page has fetched so far, before compression.
WEIGHT = """() => performance.getEntries()
  .filter(e => 'decodedBodySize' in e)
  .reduce((sum, e) => sum + e.decodedBodySize, 0)"""
#: Scroll to each figure until it is live; the specs' sizes.
GO_LIVE = """async () => {
  const sizes = [];
  for (const figure of document.querySelectorAll('div.explorable')) {
    for (let i = 0; i < 100 && !figure.querySelector('svg'); i++) {
      figure.scrollIntoView();
      await new Promise(done => setTimeout(done, 300));
    }
    const spec = performance.getEntriesByType('resource')
      .find(e => e.name.endsWith(figure.dataset.spec));
    sizes.push(spec ? spec.decodedBodySize : 0);
  }
  return sizes;
}"""


def measure(html: Path) -> list[tuple[str, list[int], int, int]]:
    """(chapter, its specs' sizes, weight as loaded, weight all live)."""
    rows = []
    root = Path(__file__).resolve().parents[1]
    with serve_site(html) as site, sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        for doc in course_chapters(root):
            page = browser.new_page(viewport={"width": 390, "height": 844})
            page.goto(f"{site}/{doc}.html", wait_until="networkidle")
            loaded = page.evaluate(WEIGHT)
            specs = page.evaluate(GO_LIVE)
            page.wait_for_load_state("networkidle")
            rows.append((doc, specs, loaded, page.evaluate(WEIGHT)))
            page.close()
        browser.close()
    return rows


def main() -> None:
    html = Path(sys.argv[1] if len(sys.argv) > 1 else "_build/html")
    print("| chapter | figures | specs | as loaded | all figures live |")
    print("|---|---|---|---|---|")
    for doc, specs, loaded, live in measure(html):
        print(
            f"| `{doc}` | {len(specs)} | {sum(specs) / 1e3:.1f} kB | "
            f"{loaded / 1e6:.2f} MB | {live / 1e6:.2f} MB |"
        )


if __name__ == "__main__":
    main()
