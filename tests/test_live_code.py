"""Live Code in a real browser, offline: thebe from the site, a kernel from a local Jupyter server.

The site is built for a ``jupyter server`` on 127.0.0.1 with a token (the configuration a
classroom or a laptop uses), served on loopback and opened in headless Chromium with every request
that would leave the machine aborted and recorded. Pressing "Live Code" must start a kernel that
imports the course package, finds the shipped data and cached runs, typesets maths with the site's
own KaTeX and draws figures. The build covers the perceptron chapter only (a few seconds of
execution); the whole published book is opened in test_offline_site.py.
"""

import secrets
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from browser import (
    free_port,
    jupyter_server,
    offline_browser,
    offline_chromium,
    serve_site,
    start_live_code,
)
from helpers import REPO, build_book, copy_chapter
from playwright.sync_api import expect

from coursesite.runs import RUNS_ROOT
from dlcourse.data import DATA_ROOT, mnist
from dlcourse.perceptron import outputs_as_option, truth_table

W, B = [-2, -2], 3  # the perceptron of the chapter
ARTIFACTS = REPO / "artifacts"


def cell_index(cells, text: str) -> int:
    return next(
        i for i in range(cells.count()) if text in cells.nth(i).inner_text()
    )


def run_in(cell, code: str) -> None:
    """Type ``code`` into a live cell (its CodeMirror editor) and run it."""
    cell.locator(".CodeMirror").evaluate(
        "(cm, code) => cm.CodeMirror.setValue(code)", code
    )
    cell.locator(".thebe-run-button").click()


def watch(page) -> dict[str, list]:
    """What ``page`` sends from now on: requests (url and headers),
    WebSocket addresses, and the dialogs it opens (answered yes)."""
    traffic = {"requests": [], "sockets": [], "dialogs": []}
    page.on(
        "request",
        lambda r: traffic["requests"].append((r.url, r.all_headers())),
    )
    page.on("websocket", lambda ws: traffic["sockets"].append(ws.url))

    def answer(dialog):
        traffic["dialogs"].append(dialog.message)
        dialog.accept()

    page.on("dialog", answer)
    return traffic


def assert_token_only_to_jupyter(page, traffic, site, port, token):
    """The token is in no address the reader sees or the site's host gets;
    the kernel's WebSocket to the Jupyter server on ``port`` carries it."""
    assert token not in page.url
    assert token not in page.evaluate("window.location.href")
    to_site = [
        (url, headers)
        for url, headers in traffic["requests"]
        if url.startswith(site)
    ]
    assert to_site, "the page asked its own host for nothing"
    for url, headers in to_site:
        assert token not in url + repr(headers), url
    assert any(
        urlsplit(url).port == port and f"token={token}" in url
        for url in traffic["sockets"]
    ), traffic["sockets"]
    assert not traffic["dialogs"], traffic["dialogs"]


@pytest.fixture(scope="module")
def live_site(tmp_path_factory):
    """The perceptron chapter built for a local Jupyter server, its token
    left to the reader: (html folder, book copy, port, token)."""
    tmp = tmp_path_factory.mktemp("live")
    book = copy_chapter(tmp / "src", "perceptrons")
    port, token = free_port(), secrets.token_hex(16)
    set_live_code(book, live_code_server_url=f"http://127.0.0.1:{port}")
    result = build_book(book, tmp / "out")
    assert result.returncode == 0, (
        result.stdout[-3000:] + result.stderr[-3000:]
    )
    return tmp / "out" / "_build" / "html", book, port, token


def set_live_code(book: Path, **settings: str) -> None:
    """Set Live Code's ``settings`` in the ``_config.yml`` of ``book``."""
    config = yaml.safe_load((book / "_config.yml").read_text())
    config["sphinx"]["config"].update(settings)
    (book / "_config.yml").write_text(yaml.safe_dump(config))


@pytest.mark.slow
def test_no_token_is_written_into_the_pages(live_site, built_book):
    html, _, port, token = live_site
    page = (html / "book" / "perceptrons.html").read_text()
    assert (
        f'window.LIVE_CODE = {{"serverUrl": "http://127.0.0.1:{port}", '
        '"token": ""}' in page
    )
    published = (
        built_book / "html" / "book" / "perceptrons.html"
    ).read_text()
    assert 'window.LIVE_CODE = {"serverUrl": "", "token": ""}' in published


@pytest.mark.slow
def test_the_build_refuses_a_published_token(tmp_path):
    """The same check in a real build, which stops before executing."""
    book = copy_chapter(tmp_path / "src", "perceptrons")
    set_live_code(
        book,
        live_code_server_url="https://hub.example.edu/user/ada",
        live_code_token="secret-token",
    )
    result = build_book(book, tmp_path / "out")
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "_config.yml sets live_code_token" in output, output[-3000:]
    assert "#token=TOKEN" in output


@pytest.mark.slow
def test_live_code_runs_the_course_package_and_draws(live_site, tmp_path):
    html, book, port, token = live_site
    with (
        serve_site(html) as site,
        jupyter_server(
            book,
            port,
            token,
            allow_origin=site,
            log=tmp_path / "jupyter.log",
        ),
        offline_browser() as (context, attempts),
    ):
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        traffic = watch(page)
        # the reader brings the token in the address's fragment
        page.goto(f"{site}/book/perceptrons.html#token={token}")
        started = time.monotonic()
        # The kernel is up once thebe has a session; then run the chapter's
        # set-up cell (imports, w and b) and its truth-table cell, as a reader
        # would: the kernel runs them in the order they were sent.
        start_live_code(page)
        assert_token_only_to_jupyter(page, traffic, site, port, token)
        cells = page.locator(".thebe-cell")
        # the editor keeps the page's light code style and wraps long lines
        editor = cells.first.locator(".CodeMirror")
        assert "cm-s-default" in editor.get_attribute("class")
        assert "CodeMirror-wrap" in editor.get_attribute("class")
        setup_cell = cells.nth(cell_index(cells, "w, b = np.array"))
        setup_cell.locator(".thebe-run-button").click()
        # stays put when edited below
        table_cell = cells.nth(cell_index(cells, "truth_table(w, b)"))
        table_cell.locator(".thebe-run-button").click()
        # Outputs the kernel sent (not the page's pre-rendered ones) carry their MIME type.
        stdout = page.locator(
            ".cell_output:has(.thebe-output) [data-mime-type='application/vnd.jupyter.stdout']"
        )
        stdout.first.wait_for(timeout=60_000)
        first_output = time.monotonic() - started
        lines = stdout.first.inner_text().strip().splitlines()
        assert [line.rsplit("output ", 1)[-1] for line in lines] == [
            str(y) for _, y in truth_table(W, B)
        ]
        assert outputs_as_option(W, B) == ",".join(
            line.rsplit(" ", 1)[-1] for line in lines
        )

        # The live kernel finds the shipped data and the cached runs through the package, as the
        # build's kernels do.
        code = (
            "from dlcourse.data import DATA_ROOT, mnist\nfrom coursesite.runs import RUNS_ROOT\n"
            "print(len(mnist(train=False)), 'test images in', DATA_ROOT, '; runs in', RUNS_ROOT)"
        )
        run_in(table_cell, code)
        found = f"{len(mnist(train=False))} test images in {DATA_ROOT} ; runs in {RUNS_ROOT}"
        stdout.filter(has_text=found).wait_for(timeout=60_000)

        # Maths in an output is typeset by the site's KaTeX, loaded when first needed (thebe
        # would fetch MathJax 2 from a CDN). (thebe 0.9 has no Markdown parser: a Markdown
        # output shows its source, in a <pre>, as it did with MathJax.)
        code = 'from IPython.display import Math\nMath(r"\\sigma(z) = \\frac{1}{1 + e^{-z}}")'
        run_in(table_cell, code)
        page.locator("[data-mime-type='text/latex'] .katex").wait_for(
            timeout=60_000
        )

        plot_cell = cells.filter(has_text="plt.show()")
        plot_cell.locator(".thebe-run-button").click()
        image = page.locator("[data-mime-type='image/png'] img")
        image.first.wait_for(timeout=60_000)
        assert image.first.get_attribute("src").startswith(
            "data:image/png;base64,"
        )
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(
            path=str(ARTIFACTS / "live-code-perceptrons.png"), full_page=True
        )
    print(
        f"\nLive Code: click -> first output {first_output:.1f} s (local jupyter server)"
    )
    assert not attempts, f"requests left loopback: {attempts}"
    assert not errors, f"script errors in the page: {errors}"


@pytest.mark.slow
def test_the_token_stays_in_the_tab_and_out_of_the_history(
    live_site, tmp_path
):
    """The next page (another chapter) reuses the fragment's token without
    asking; going back finds the address without it. A fresh tab
    with a link naming a server (a hub's per-student link) connects there
    once the reader says yes."""
    html, book, port, token = live_site
    chapter = "book/perceptrons.html"
    with (
        serve_site(html) as site,
        jupyter_server(
            book, port, token, allow_origin=site, log=tmp_path / "j.log"
        ),
        offline_chromium() as (new_context, attempts),
    ):
        page = new_context().new_page()
        traffic = watch(page)
        page.goto(f"{site}/book/bibliography.html#token={token}")
        assert page.url == f"{site}/book/bibliography.html"
        page.goto(f"{site}/{chapter}")
        start_live_code(page)
        assert_token_only_to_jupyter(page, traffic, site, port, token)
        page.go_back()
        assert page.url == f"{site}/book/bibliography.html"

        page = new_context().new_page()
        traffic = watch(page)
        server = f"http://localhost:{port}"
        page.goto(f"{site}/{chapter}#server={server}&token={token}")
        start_live_code(page)
        assert [server in m for m in traffic["dialogs"]] == [True]
        traffic["dialogs"].clear()
        assert_token_only_to_jupyter(page, traffic, site, port, token)
        assert all(
            url.startswith(f"ws://localhost:{port}/")
            for url in traffic["sockets"]
        ), traffic["sockets"]
    assert not attempts, f"requests left loopback: {attempts}"


@pytest.mark.slow
def test_the_perceptron_quiz_answers_in_the_browser(live_site):
    html = live_site[0]
    answer = outputs_as_option(W, B)
    with serve_site(html) as site, offline_browser() as (context, attempts):
        page = context.new_page()
        page.goto(f"{site}/book/perceptrons.html")
        quiz = page.locator(".dl-quiz")
        feedback = quiz.locator(".dl-quiz-feedback")
        wrong = quiz.locator(
            "button.dl-quiz-option", has_not_text=answer
        ).first
        wrong.click()
        assert "Not quite" in feedback.inner_text()
        assert "dl-quiz-wrong" in wrong.get_attribute("class")
        right = quiz.locator("button.dl-quiz-option", has_text=answer)
        right.click()
        assert feedback.inner_text() == "Correct!"
        assert "dl-quiz-right" in right.get_attribute("class")
    assert not attempts, f"requests left loopback: {attempts}"


@pytest.mark.slow
def test_live_code_says_in_words_when_no_kernel_answers(built_book):
    """The published site, offline: Binder cannot be reached, and the page says so.

    Every request off loopback is blocked and no Jupyter server runs; within
    25 s of pressing Live Code the page names the failure and what to do.
    """
    with (
        serve_site(built_book / "html") as site,
        offline_browser() as (context, _),
    ):
        page = context.new_page()
        page.goto(f"{site}/book/perceptrons.html")
        page.locator(
            "button[aria-label='Launch interactive content']"
        ).click()
        page.locator("button.btn-launch-thebe").click()
        status = page.locator(".live-code-status")
        expect(status).to_contain_text("mybinder.org", timeout=5_000)
        failed = page.locator(".live-code-status[data-state='failed']")
        failed.wait_for(timeout=25_000)
        text = failed.inner_text()
        assert "Live Code could not start" in text, text
        # the page's own download (Binder and Colab open the same notebook)
        download = failed.locator(
            "a[href$='_sources/book/perceptrons.ipynb']"
        )
        assert download.count() == 1
        assert failed.locator("a[href*='mybinder.org']").count() == 1
        assert "README" in text
