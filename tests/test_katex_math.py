"""Maths typeset at build time by the site's KaTeX (_ext/katex_math.py)."""

import socket

import katex_math  # a local Sphinx extension (_ext/, on pytest's pythonpath)
import pytest
from helpers import REPO, build_book, copy_chapter
from shared import node_modules
from sphinxcontrib import katex

from coursesite.prerender_math import Formula, MathError, render

KATEX = node_modules(REPO) / "katex"

#: What the chapters write, and what MyST's amsmath extension passes on
#: whole (``\begin{align}`` as a block of its own).
DISPLAYS = {
    "split": r"\begin{split} L &= \tfrac12 (y - a)^2 \\ &= \tfrac12 e^2"
    r" \end{split}",
    "aligned": r"\begin{aligned} z &= w x + b \\ a &= \sigma(z)"
    r" \end{aligned}",
    "cases": r"f(x) = \begin{cases} 2x & 0 \le x \le \tfrac12 \\"
    r" 2 - 2x & \tfrac12 \le x \le 1 \end{cases}",
    "underbrace": r"\underbrace{w_1 x_1 + w_2 x_2}_{\text{weighted sum}}",
    "amsmath align": r"\begin{align} a &= b + c \\ d &= e \end{align}",
    "amsmath equation": r"\begin{equation} E = m c^2 \end{equation}",
}


@pytest.mark.parametrize("latex", DISPLAYS.values(), ids=DISPLAYS.keys())
def test_the_formulas_the_chapters_use_are_typeset(latex):
    (html,) = render([Formula(latex, True)], KATEX)
    assert 'class="katex-display"' in html
    assert "katex-error" not in html


def test_wrong_latex_raises_with_katex_message():
    with pytest.raises(MathError, match="Unexpected end of input"):
        render([Formula(r"\frac{a", False)], KATEX)


def test_untypeset_formulas_are_found_in_a_page():
    render([Formula("x", False)], KATEX)  # the server, on the site's KaTeX
    # what sphinxcontrib-katex writes into a page: red source, no exception
    body = katex.render_latex(r"\frac{a") + katex.render_latex(r"\sigma")
    assert [m.split(":")[0] for m in katex_math.untypeset_maths(body)] == [
        "ParseError"
    ]


@pytest.mark.slow
def test_a_formula_katex_cannot_typeset_fails_the_strict_build(tmp_path):
    source = copy_chapter(tmp_path / "src", "perceptrons")
    chapter = source / "book" / "perceptrons.md"
    chapter.write_text(
        chapter.read_text() + "\n\nA broken formula: $\\frac{1$.\n"
    )
    result = build_book(source, tmp_path / "out")
    assert result.returncode != 0
    assert "KaTeX cannot typeset a formula" in result.stderr + result.stdout
    assert "perceptrons" in result.stderr + result.stdout


def test_the_node_server_starts_on_a_port_it_retries_until_node_listens():
    """The Unix-socket start connects once the socket file exists, which
    can be before Node listens (a refused connection killed a build)."""
    render([Formula("x", False)], KATEX)
    server = katex.KaTeXServer.katex_server
    assert server.sock.family == socket.AF_INET
    # a request's body is sent at once, not after the length's delayed ack
    assert server.sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
    assert katex.STARTUP_TIMEOUT >= 60
