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

import pytest
import yaml
from browser import free_port, jupyter_server, offline_browser, serve_site
from helpers import REPO, build_book, copy_chapter
from playwright.sync_api import expect

from coursesite.runs import RUNS_ROOT
from dlcourse.data import DATA_ROOT, mnist
from dlcourse.perceptron import outputs_as_option, truth_table

pytestmark = pytest.mark.slow

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


@pytest.fixture(scope="module")
def live_site(tmp_path_factory):
    """The perceptron chapter built for a local Jupyter server: (html folder, book copy, port, token)."""
    tmp = tmp_path_factory.mktemp("live")
    book = copy_chapter(tmp / "src", "perceptrons")
    port, token = free_port(), secrets.token_hex(16)
    config = yaml.safe_load((book / "_config.yml").read_text())
    config["sphinx"]["config"].update(
        live_code_server_url=f"http://127.0.0.1:{port}",
        live_code_token=token,
    )
    (book / "_config.yml").write_text(yaml.safe_dump(config))
    result = build_book(book, tmp / "out")
    assert result.returncode == 0, (
        result.stdout[-3000:] + result.stderr[-3000:]
    )
    return tmp / "out" / "_build" / "html", book, port, token


def test_the_deliberate_token_is_in_the_local_build_only(
    live_site, built_book
):
    html, _, port, token = live_site
    assert token in (html / "book" / "perceptrons.html").read_text()
    published = (
        built_book / "html" / "book" / "perceptrons.html"
    ).read_text()
    assert 'window.LIVE_CODE = {"serverUrl": "", "token": ""}' in published


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
        page.goto(f"{site}/book/perceptrons.html")
        page.locator(
            "button[aria-label='Launch interactive content']"
        ).click()
        started = time.monotonic()
        page.locator("button.btn-launch-thebe").click()

        # The kernel is up once thebe has a session; then run the chapter's
        # set-up cell (imports, w and b) and its truth-table cell, as a reader
        # would: the kernel runs them in the order they were sent.
        page.wait_for_function(
            "window.thebe && window.thebe.session", timeout=60_000
        )
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
