"""A built site served on loopback, and the headless Chromium that opens it.

The browser tests (``tests/browser.py``), the whole course's PDF
(``tools/book_pdf.py``) and the speed benchmark
(``benchmarks/lighthouse.py``) all open the built site this way: one
server, one browser and its flags, imported from the installed package.
"""

import gzip
import io
import threading
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

#: Debian's Chromium (the browser comes from apt, not from Playwright).
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
#: What a static host (GitHub Pages) sends gzip-compressed, by MIME type.
COMPRESSED_TYPES = ("text/", "application/javascript", "image/svg+xml")


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class _CompressingHandler(_QuietHandler):
    """Text, scripts and SVG sent gzip-compressed to a browser that accepts
    it, as a static host serves them."""

    def send_head(self):
        path = Path(self.translate_path(self.path))
        kind = self.guess_type(str(path))
        if (
            "gzip" not in self.headers.get("Accept-Encoding", "")
            or not path.is_file()
            or not kind.startswith(COMPRESSED_TYPES)
        ):
            return super().send_head()
        body = gzip.compress(path.read_bytes())
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


@contextmanager
def serve_site(html: Path, compress: bool = False):
    """Serve a built site on 127.0.0.1 (a thread of this process); yields its
    base URL. ``compress``: gzip as a static host does (benchmarks)."""
    handler = _CompressingHandler if compress else _QuietHandler
    server = ThreadingHTTPServer(
        ("127.0.0.1", 0), partial(handler, directory=str(html))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def default_chromium() -> str | None:
    """Debian's Chromium when installed; None lets Playwright use its own."""
    return CHROMIUM if Path(CHROMIUM).exists() else None
