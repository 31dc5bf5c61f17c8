"""Every reader, every screen: each page on a laptop and on a phone.

Each page is opened at 1280×800 and at 390×844 in a fresh browser profile
(a reader's first visit), offline, and at both sizes in dark mode. The
theme's sidebars must open and lead somewhere, the console must stay
silent, every block that scrolls must be a tab stop, and axe-core (pinned
in package.json, injected from node_modules) must find no serious or
critical accessibility violation, in either mode. Each visit audits the
page as loaded: its later sections are not laid out yet.
"""

from pathlib import Path

import pytest
from browser import (
    axe_violations,
    offline_chromium,
    open_page,
    serve_site,
    site_pages,
)
from playwright.sync_api import expect

pytestmark = pytest.mark.slow

SCREENS = {"laptop": (1280, 800), "phone": (390, 844)}
#: Every page is also audited in dark mode (the theme follows the system's).
VISITS = {
    **SCREENS,
    "laptop, dark mode": SCREENS["laptop"],
    "phone, dark mode": SCREENS["phone"],
}
#: Each block that can scroll (code, outputs, formulas, tables): its tab
#: stop as the page loaded, then whether it scrolls (reading its size lays
#: it out), and where it is.
TAB_STOPS = """() => [...document.querySelectorAll(
    'pre, .cell_output > .output, div.math, .pst-scrollable-table-container')]
  .map(e => [e.tabIndex === 0, e])
  .map(([stop, e]) => [stop,
    e.scrollWidth > e.clientWidth || e.scrollHeight > e.clientHeight,
    e.tagName + '.' + e.className.split(' ')[0] + ': '
      + e.textContent.trim().slice(0, 40)])"""


def tab_stops(page, where: str, found: dict) -> None:
    """Note the blocks of the open page that scroll with no tab stop, and
    those that have one."""
    for stop, scrolls, block in page.evaluate(TAB_STOPS):
        if scrolls and not stop:
            found["unreachable"].append(f"{where}: {block}")
        found["stops" if stop else "no stop"].append(f"{where}: {block}")


def visit_every_page(html: Path) -> dict[str, list[str]]:
    """Open every page at both sizes and in dark mode, each in a fresh profile.

    Returns the console's errors and warnings, axe's blocking violations,
    the requests that tried to leave the machine and the blocks with and
    without a tab stop, each as readable lines.
    """
    found = {
        "console": [],
        "axe": [],
        "offsite": [],
        "unreachable": [],
        "stops": [],
        "no stop": [],
    }
    with (
        serve_site(html) as site,
        offline_chromium() as (new_context, attempts),
    ):
        for screen, (width, height) in VISITS.items():
            for name in site_pages(html):
                where = f"{name} ({screen})"
                context = new_context(
                    viewport={"width": width, "height": height},
                    color_scheme="dark" if "dark" in screen else "light",
                )
                page = context.new_page()
                page.on(
                    "console",
                    lambda m, where=where: (
                        found["console"].append(
                            f"{where}: {m.type}: {m.text}"
                        )
                        if m.type in ("error", "warning")
                        else None
                    ),
                )
                open_page(page, f"{site}/{name}")
                tab_stops(page, where, found)
                found["axe"] += [
                    f"{where}: {v}" for v in axe_violations(page)
                ]
                context.close()
        found["offsite"] = attempts
    return found


@pytest.fixture(scope="module")
def visits(built_book) -> dict[str, list[str]]:
    return visit_every_page(built_book / "html")


def test_no_page_logs_an_error_or_a_warning(visits):
    assert not visits["console"], "\n".join(visits["console"])
    assert not visits["offsite"], f"requests left loopback: {visits}"


def test_axe_finds_no_serious_or_critical_violation(visits):
    assert not visits["axe"], "\n".join(visits["axe"])


def test_every_block_that_scrolls_is_a_tab_stop(visits):
    """A keyboard reader reaches every block that scrolls, however far down
    the page: the build gives the tab stops (_ext/tab_stops.py), so they
    are there before the block is laid out; a short block gets none."""
    assert not visits["unreachable"], "\n".join(visits["unreachable"])
    assert any("phone" in block for block in visits["stops"])
    assert visits["no stop"], "every block is a tab stop"


def sidebar_link(page, sidebar: str, text: str):
    """The visible links of a sidebar that read ``text``.

    On narrow screens the theme shows a sidebar as a copy in a dialog, so
    sidebars are found by class, not by id.
    """
    return page.locator(f".bd-sidebar-{sidebar} a:visible", has_text=text)


def chapter_on_every_screen(built_book):
    """Yield (screen, page): the activations chapter, freshly opened at each size."""
    with (
        serve_site(built_book / "html") as site,
        offline_chromium() as (new_context, _),
    ):
        for screen, (width, height) in SCREENS.items():
            page = new_context(
                viewport={"width": width, "height": height}
            ).new_page()
            open_page(page, f"{site}/book/activations.html")
            yield screen, page


def test_the_chapter_list_opens_and_navigates_on_every_screen(built_book):
    """The ☰ button shows the chapter list, and a chapter link in it works.

    On a laptop the list is open and ☰ folds it away and back; on a phone
    it is hidden until ☰ is pressed.
    """
    for screen, page in chapter_on_every_screen(built_book):
        link = sidebar_link(page, "primary", "PyTorch")
        toggle = page.locator(".primary-toggle:visible")
        expect(toggle).to_have_count(1)
        if screen == "laptop":
            expect(link).to_have_count(1)
            toggle.click()
        expect(link).to_have_count(0)
        toggle.click()
        expect(link).to_have_count(1)
        link.click()
        page.wait_for_url("**/book/pytorch.html")


def test_the_page_contents_open_on_every_screen(built_book):
    """The page's contents show on a laptop and open with "Contents" on a phone."""
    for screen, page in chapter_on_every_screen(built_book):
        entry = sidebar_link(page, "secondary", "The sigmoid")
        if screen == "phone":  # off-canvas, right of the screen
            expect(entry).not_to_be_in_viewport()
            page.locator(".secondary-toggle:visible").click()
        expect(entry).to_be_in_viewport()
        entry.click()
        page.wait_for_url("**/book/activations.html#the-sigmoid")
