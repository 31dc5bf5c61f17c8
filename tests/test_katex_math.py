"""Maths typeset at build time by the site's KaTeX (_ext/katex_math.py)."""

import socket
import sys

import katex_math  # a local Sphinx extension (_ext/, on pytest's pythonpath)
import pytest
from helpers import REPO, build_book, copy_chapter
from shared import node_modules
from sphinxcontrib import katex

from coursesite.prerender_math import (
    Formula,
    MathError,
    render,
    steady_server,
)

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


#: A stand-in for the Node server that is slow to start: its socket file
#: exists half a second before it listens, then it answers one request
#: the way katex-server.js does (a 4-byte length, then the JSON).
SLOW_SERVER = """
import json, socket, struct, sys, time
listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
listener.bind(sys.argv[1])
time.sleep(0.5)
listener.listen()
client, _ = listener.accept()
(length,) = struct.unpack("<i", client.recv(4))
client.recv(length)
answer = json.dumps({"html": "typeset"}).encode()
client.sendall(struct.pack("<i", len(answer)) + answer)
"""


def test_the_node_server_is_reached_once_it_listens(monkeypatch):
    """sphinxcontrib-katex's own start connects once, as soon as the socket
    file exists, which can be before Node listens (a refused connection
    killed a build); ours tries again. Asked through sphinxcontrib-katex's
    public ``render_latex``, so the test also fails if its start stops
    going through the function we replace."""
    monkeypatch.setattr(
        katex.KaTeXServer,
        "build_command",
        classmethod(
            lambda cls, socket: [sys.executable, "-c", SLOW_SERVER, socket]
        ),
    )
    monkeypatch.setattr(katex.KaTeXServer, "katex_server", None)
    steady_server()
    assert katex.render_latex("x") == "typeset"


def test_a_server_that_exits_is_named_at_once(monkeypatch):
    monkeypatch.setattr(
        katex.KaTeXServer,
        "build_command",
        classmethod(lambda cls, socket: [sys.executable, "-c", "exit(3)"]),
    )
    monkeypatch.setattr(katex.KaTeXServer, "katex_server", None)
    steady_server()
    with pytest.raises(MathError, match=r"exited \(code 3\).*npm ci"):
        katex.render_latex("x")


def test_the_node_server_is_reached_over_a_unix_socket():
    """Over a TCP socket each answer waits for a delayed acknowledgement
    (about 45 ms a formula); a Unix socket has no such delay."""
    render([Formula("x", False)], KATEX)
    server = katex.KaTeXServer.katex_server
    assert server.sock.family == socket.AF_UNIX
    assert katex.STARTUP_TIMEOUT >= 60
