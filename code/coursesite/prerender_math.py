"""TeX to HTML at build time with the site's KaTeX, outside Sphinx's pages.

The pages' formulas are typeset by sphinxcontrib-katex while Sphinx writes
them (``_ext/katex_math.py``); the lecture slides (``_ext/slides.py``) and
the tests typeset theirs here, through the same KaTeX server process and
the same pinned KaTeX (``node_modules/katex``, pinned in ``package.json``).
The markup needs KaTeX's style sheet and fonts, which the build serves from
the site's ``_static``.
"""

import socket
import subprocess
import time
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
    """Have sphinxcontrib-katex start its Node server on a Unix socket, so
    that a busy machine does not fail it, and give it time.

    The server starts at the first formula. sphinxcontrib-katex's own POSIX
    start connects as soon as the socket file exists, which can be before
    Node listens: "Connection refused", a dead build, and a Node process
    left holding the build's output. Here the connection is tried again
    until Node listens (or exits). Its other start, on a loopback TCP port,
    is slow: request and answer are each written as a length, then a body,
    and Nagle's algorithm holds each body until the length's delayed
    acknowledgement, about 45 ms each way (90 ms a formula; 45 ms with
    ``TCP_NODELAY`` on our side, as the build had it); a Unix socket has no
    such delay (under 1 ms a formula). Node gets 60 s to start and to
    answer instead of 5 s: a shared 2-core machine running a build beside
    the test suite can need more.
    """
    server = sphinx_katex.KaTeXServer
    server.start_server_process = classmethod(start_on_unix_socket)
    sphinx_katex.STARTUP_TIMEOUT = max(sphinx_katex.STARTUP_TIMEOUT, 60.0)
    sphinx_katex.RENDER_TIMEOUT = max(sphinx_katex.RENDER_TIMEOUT, 60.0)


def start_on_unix_socket(
    server: type, rundir: Path, timeout: float
) -> tuple[subprocess.Popen, socket.socket]:
    """Start the server on a Unix socket in ``rundir`` and connect to it,
    trying again while Node is starting (sphinxcontrib-katex's
    ``start_server_process``, with the retry). Node is stopped if it does
    not listen within ``timeout`` seconds."""
    path = rundir / "katex.sock"
    command = server.build_command(socket=path)
    process = subprocess.Popen(
        command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=rundir
    )
    deadline = time.monotonic() + timeout
    while True:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.connect(str(path))
            return process, sock
        except (FileNotFoundError, ConnectionRefusedError):
            sock.close()
        if process.poll() is not None:
            raise MathError(
                f"The KaTeX server exited (code {process.returncode}) "
                f"before it listened: {' '.join(map(str, command))}. Is "
                "Node installed, and `npm ci --ignore-scripts` run?"
            )
        if time.monotonic() > deadline:
            process.kill()
            raise server.timeout_error(timeout)
        time.sleep(0.01)


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
