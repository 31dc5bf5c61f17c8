"""TeX to HTML at build time with the site's KaTeX, outside Sphinx's pages.

The pages' formulas are typeset by sphinxcontrib-katex while Sphinx writes
them (``_ext/katex_math.py``); the lecture slides (``_ext/slides.py``) and
the tests typeset theirs here, through the same KaTeX server process and
the same pinned KaTeX (``node_modules/katex``, pinned in ``package.json``).
The markup needs KaTeX's style sheet and fonts, which the build serves from
the site's ``_static``.
"""

import socket
from dataclasses import dataclass
from pathlib import Path

from sphinxcontrib import katex as sphinx_katex


@dataclass(frozen=True)
class Formula:
    """One formula: its TeX, display (a block) or inline, and KaTeX's output
    kind: ``htmlAndMathml`` (needs KaTeX's CSS; read aloud through its
    MathML) or ``mathml`` (the browser's own maths, for a page without
    KaTeX's CSS such as the speaker view)."""

    tex: str
    display: bool
    output: str = "htmlAndMathml"


class MathError(ValueError):
    """A formula KaTeX cannot typeset; the message names it."""


def katex_js(katex: Path) -> Path:
    """The script of the npm package ``katex`` that the build runs in Node."""
    return katex / "dist" / "katex.min.js"


def use_katex(katex: Path) -> None:
    """Have sphinxcontrib-katex's server run the KaTeX in ``katex``, the
    folder of the npm package."""
    if not katex_js(katex).is_file():
        raise MathError(
            f"KaTeX is not installed in {katex}: run `npm ci "
            "--ignore-scripts` in the repository root (package.json pins it)."
        )
    sphinx_katex.KaTeXServer.katex_path = str(katex_js(katex).resolve())
    steady_server()


def steady_server() -> None:
    """Start sphinxcontrib-katex's Node server so that a busy machine does
    not fail it.

    On POSIX it connects to Node's Unix socket as soon as the socket file
    exists, which can be before Node listens: "Connection refused", a dead
    build, and a Node process left holding the build's output. Its start on
    a loopback TCP port (the Windows way) retries until Node listens, here
    with Nagle's algorithm off: each request is written as its length, then
    its body, and the body otherwise waits for the length's delayed
    acknowledgement (about 40 ms a formula). It
    also gives Node 5 s to start and to answer; a shared 2-core machine
    running a build beside the test suite can need more.
    """
    server = sphinx_katex.KaTeXServer
    start = server.start_network_socket

    def start_without_delay(rundir, timeout):
        process, sock = start(rundir, timeout)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return process, sock

    server.start_server_process = start_without_delay
    sphinx_katex.STARTUP_TIMEOUT = max(sphinx_katex.STARTUP_TIMEOUT, 60.0)
    sphinx_katex.RENDER_TIMEOUT = max(sphinx_katex.RENDER_TIMEOUT, 60.0)


def render(formulas: list[Formula], katex: Path) -> list[str]:
    """The markup of each formula, in order; ``katex`` is the folder of the
    npm package. Raises :class:`MathError` naming every formula KaTeX
    refused."""
    use_katex(katex)
    rendered, errors = [], []
    for f in formulas:
        options = {"displayMode": f.display, "output": f.output}
        try:
            rendered.append(
                sphinx_katex.render_latex(
                    f.tex, {**options, "throwOnError": True}
                )
            )
        except sphinx_katex.KaTeXError as error:
            errors.append(f"  {f.tex!r}: {error}")
    if errors:
        raise MathError(
            "KaTeX cannot typeset these formulas:\n" + "\n".join(errors)
        )
    return rendered
