"""Loopback servers and an offline headless Chromium, for the browser tests.

Every server started here is stopped when its ``with`` block ends. The browser aborts every request
that would leave the machine and records it, so a test can fail on any attempt, not only on a
visible breakage.
"""

import re
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

from playwright.sync_api import sync_playwright

# the one loopback server and browser of the tests, tools/book_pdf.py and
# benchmarks/lighthouse.py (serve_site: for the tests that import it here)
from coursesite.browsing import CHROMIUM, CHROMIUM_ARGS, serve_site  # noqa: F401

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
#: Typeset maths (KaTeX's HTML, written by the build: _ext/katex_math.py)
#: inside each element Sphinx marks as maths.
MATH_TYPESET = (
    "[...document.querySelectorAll('.math')]"
    ".every(m => m.querySelector('.katex'))"
)


def site_pages(html: Path) -> list[str]:
    """Every HTML page of the site (assets, downloadable sources and the
    lecture slides aside: ``tests/test_slides.py`` steps through those)."""
    return sorted(
        p.relative_to(html).as_posix()
        for p in html.rglob("*.html")
        if p.relative_to(html).parts[0]
        not in ("_static", "_sources", "_images", "slides")
    )


#: axe-core, pinned in package.json and injected into a page by the tests.
AXE = (
    Path(__file__).resolve().parents[1] / "node_modules/axe-core/axe.min.js"
)
#: axe's own ranking: only these block a reader.
BLOCKING = ("serious", "critical")
#: axe-core's violations on the page as loaded. A contrast is judged again
#: with its text scrolled into view, once it stays put: axe finds the
#: background behind a text by asking what the page shows at that point,
#: and a section not laid out yet shows nothing there (it judged a dark
#: page's captions against a light grey); laying out the sections above a
#: text moves it (a heading was judged against the quiz above it).
AXE_RUN = """async (within) => {
  const run = async (where, rules) => (await axe.run(where,
    {resultTypes: ['violations'], ...rules})).violations;
  const seen = async (n) => {
    const e = document.querySelector(n.target.join(' '));
    if (!e) return true;
    for (let tries = 0, before = NaN; tries < 10; tries++) {
      before = e.getBoundingClientRect().top;
      e.scrollIntoView({block: 'center'});
      await new Promise(r => requestAnimationFrame(() => setTimeout(r, 50)));
      if (Math.abs(e.getBoundingClientRect().top - before) < 1) break;
    }
    return (await run(e, {runOnly: ['color-contrast']})).length > 0;
  };
  const found = [];
  for (const v of await run(within ? document.querySelectorAll(within) : document, {})) {
    const nodes = [];
    for (const n of v.nodes)
      if (v.id !== 'color-contrast' || await seen(n)) nodes.push(n);
    if (nodes.length) found.push({id: v.id, impact: v.impact,
      nodes: nodes.slice(0, 3).map(n => n.target.join(' '))});
  }
  window.scrollTo(0, 0);
  return found;
}"""


def axe_violations(page, within: str = "") -> list[str]:
    """axe-core's serious and critical violations on the open page (or in
    its elements that match the CSS selector ``within``), as
    "impact id at nodes": the page as loaded, its later sections not yet
    laid out (``content-visibility: auto``, _static/course.css), as a
    keyboard or screen reader user meets it."""
    if not page.evaluate("Boolean(window.axe)"):
        page.add_script_tag(path=str(AXE))
    return [
        f"{v['impact']} {v['id']} at {v['nodes']}"
        for v in page.evaluate(AXE_RUN, within)
        if v["impact"] in BLOCKING
    ]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def leaves_loopback(url: str) -> bool:
    """True for a request to another machine (data: and blob: URLs never leave the page)."""
    parsed = urlparse(url)
    return (
        parsed.scheme not in ("data", "blob", "about")
        and parsed.hostname not in LOOPBACK
    )


@contextmanager
def jupyter_server(
    root: Path, port: int, token: str, allow_origin: str, log: Path
):
    """A ``jupyter server`` on 127.0.0.1:port serving ``root``; stopped (and its kernels) on exit."""
    cmd = [
        sys.executable,
        "-m",
        "jupyter_server",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        "--ServerApp.open_browser=False",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.allow_origin={allow_origin}",
        f"--ServerApp.root_dir={root}",
        "--ServerApp.allow_root=True",
    ]
    with open(log, "w") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(
                    f"{base}/api/status?token={token}", timeout=2
                ):
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        f"jupyter server did not start; see {log}:\n{log.read_text()[-3000:]}"
                    )
                time.sleep(0.3)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@contextmanager
def offline_chromium():
    """Headless Chromium; yields (new_context, attempts).

    ``new_context(**options)`` opens a fresh profile (empty storage, as on a
    reader's first visit) that aborts any request leaving loopback;
    ``attempts`` collects every such URL (HTTP and WebSocket alike).
    """
    attempts: list[str] = []

    def guard(route):
        if leaves_loopback(route.request.url):
            attempts.append(route.request.url)
            route.abort("blockedbyclient")
        else:
            route.continue_()

    def guard_socket(ws):
        if leaves_loopback(ws.url):
            attempts.append(ws.url)
            ws.close()
        else:
            ws.connect_to_server()

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )

        def new_context(**options):
            context = browser.new_context(
                **{"viewport": {"width": 1280, "height": 900}, **options}
            )
            context.route("**/*", guard)
            context.route_web_socket(re.compile(".*"), guard_socket)
            return context

        try:
            yield new_context, attempts
        finally:
            browser.close()


@contextmanager
def offline_browser():
    """One offline profile of :func:`offline_chromium`; yields (context, attempts)."""
    with offline_chromium() as (new_context, attempts):
        yield new_context(), attempts


def open_page(page, url: str) -> None:
    """Load ``url`` and wait until its maths is typeset and the network idle."""
    page.goto(url, wait_until="load")
    if page.locator(".math").count():
        page.wait_for_function(MATH_TYPESET, timeout=30_000)
    page.wait_for_load_state("networkidle")


def start_live_code(page) -> None:
    """Press Live Code in the launch menu and wait for thebe's session."""
    page.locator("button[aria-label='Launch interactive content']").click()
    page.locator("button.btn-launch-thebe").click()
    page.wait_for_function(
        "window.thebe && window.thebe.session", timeout=60_000
    )
    # ready: the kernel answered over its WebSocket
    page.locator(".live-code-status[data-state='ready']").wait_for(
        state="attached", timeout=60_000
    )
