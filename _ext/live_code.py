"""Live Code that runs from the site itself: pinned thebe, and kernels from Binder or a Jupyter server.

sphinx-thebe 0.3.1 (which Jupyter Book 1 loads) fetches thebe 0.8.2 from a public CDN when a
reader presses "Live Code", and thebe 0.9's ``bootstrap()`` always asks Binder for a kernel: with no
network the button hangs, and a classroom Jupyter server cannot be used (sphinx-thebe issue #27).
This extension keeps sphinx-thebe's handling of the cells and changes three things:

* its loader points at the site's own copy of thebe (pinned in ``package.json``, installed by
  ``npm ci`` into ``node_modules``; the build copies the files the pages load into ``_static``);
* ``live_code.js`` wraps ``thebe.bootstrap`` so the kernel comes from where ``_config.yml`` says:
  Binder (``live_code_server_url`` empty, the published default) or a Jupyter server;
* thebe typesets the maths of outputs computed in the page through the MathJax 2 API; its
  ``mathjaxUrl`` is ``live_code_static/mathjax2-shim.js``, which loads the site's KaTeX on demand
  (the pages' own maths is typeset at build time: ``_ext/katex_math.py``).

Configuration (``sphinx: config:`` in ``_config.yml``):

``live_code_server_url``
    Base URL of a Jupyter server (a classroom JupyterHub user server, or ``jupyter server`` on
    127.0.0.1). Empty: kernels come from Binder, built from ``repository`` url/branch.
``live_code_token``
    Written into every page, so the build refuses it unless the server URL is on loopback (a
    laptop's own server). Left empty, the page takes the token from its address's fragment
    (``#token=...``, which ``live_code_session.js`` keeps for the tab and removes from the
    address) or asks the reader. The fragment may name the server too (``#server=URL&token=...``),
    which replaces the built-in one: a classroom hub's link to each student's own server.
"""

import ipaddress
import json
import re
import shutil
from pathlib import Path
from urllib.parse import urlsplit

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import ConfigError

import dlcourse
from coursesite.files import atomic_write

HERE = Path(__file__).resolve().parent
#: This extension's own scripts, copied into ``_static/``.
STATIC = HERE / "live_code_static"
#: The files of each npm package (pinned in package.json) that the pages load, by their place in
#: the package: ``_static/<package>/<place without the first folder>`` serves them.
ASSETS = {
    "thebe": [
        "package.json",
        "lib/*.js",
        "lib/*.LICENSE.txt",
        "lib/thebe.css",
    ],
}
#: Licences the npm packages do not carry themselves.
LICENCES = {"thebe": HERE / "licenses" / "thebe-LICENSE.txt"}
THEBE_JS = "thebe/index.js"


def node_modules(book: Path) -> Path:
    """The npm packages: next to the book, or (for a throwaway copy of it) in the course's repository."""
    for root in (book, dlcourse.REPO_ROOT):
        if (root / "node_modules" / "thebe" / "lib" / "index.js").is_file():
            return root / "node_modules"
    raise ConfigError(
        "live_code: the site's npm packages (thebe, KaTeX) are not installed in "
        f"{book / 'node_modules'}. Run `npm ci --ignore-scripts` in the "
        "repository root (package.json pins them)."
    )


def copy_atomically(src: Path, dest: Path) -> None:
    """Copy under a temporary name, then rename: an interrupted build leaves no half-written file."""
    with atomic_write(dest, binary=True) as out, src.open("rb") as data:
        shutil.copyfileobj(data, out)


def copy_assets(
    modules: Path,
    static: Path,
    assets: dict[str, list[str]] = ASSETS,
    licences: dict[str, Path] = LICENCES,
) -> None:
    """Copy the pinned ``assets`` (by default, those the pages use) into the
    site's ``_static`` folder, with the ``licences`` their packages lack."""
    for package, patterns in assets.items():
        for pattern in patterns:
            for src in sorted((modules / package).glob(pattern)):
                parts = src.relative_to(modules / package).parts
                dest = (
                    static
                    / package
                    / Path(*(parts[1:] if len(parts) > 1 else parts))
                )
                if (
                    dest.exists()
                    and dest.stat().st_size == src.stat().st_size
                    and dest.stat().st_mtime >= src.stat().st_mtime
                ):
                    continue
                copy_atomically(src, dest)
    for package, licence in licences.items():
        copy_atomically(licence, static / package / "LICENSE")


def serve_assets_from_site(app: Sphinx, config: Config) -> None:
    """Serve thebe and our scripts from ``_static``."""
    app.live_code_modules = node_modules(Path(app.confdir))
    config.html_static_path = [*config.html_static_path, str(STATIC)]
    settings = live_code_settings(config)
    app.add_js_file(None, body=settings_script(settings))
    app.add_js_file("live_code_session.js")
    app.add_js_file("live_code.js")


def is_loopback(url: str) -> bool:
    """True for a URL whose host is this machine (127.0.0.0/8, ::1, localhost)."""
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def live_code_settings(config: Config) -> dict[str, str]:
    """The kernel source written into every page, checked.

    A token in ``_config.yml`` is written into every page of the site, where
    anyone who can read the site can read it: it is refused unless the server
    is on this machine's loopback, reachable only from the machine itself.
    """
    settings = {
        "serverUrl": config.live_code_server_url.rstrip("/"),
        "token": config.live_code_token,
    }
    if settings["token"] and not is_loopback(settings["serverUrl"]):
        where = (
            f"live_code_server_url ({settings['serverUrl']!r}) is not on "
            "loopback"
            if settings["serverUrl"]
            else "live_code_server_url is empty (kernels from Binder)"
        )
        raise ConfigError(
            f"live_code: _config.yml sets live_code_token, but {where}: the "
            "token would be written into every page of the site. Remove "
            "live_code_token from _config.yml (sphinx: config:) and give "
            "readers the token in the page's address instead "
            '(CHAPTER.html#token=TOKEN, see the README\'s "Live code"); '
            "a token in _config.yml is only for a server on this machine "
            "(http://127.0.0.1:PORT or http://localhost:PORT)."
        )
    return settings


def settings_script(settings: dict[str, str]) -> str:
    """The page's settings line (``tools/no_token.py`` reads it back)."""
    return f"window.LIVE_CODE = {json.dumps(settings)};"


def point_thebe_at_site(
    app: Sphinx, pagename: str, templatename: str, context: dict, doctree
) -> None:
    """Point sphinx-thebe's address of thebe, a CDN, at the site's copy.

    sphinx-thebe's inline configuration script names the address, and a
    Jupyter Book page lists that script twice (a second ``const`` is a
    script error). The script's body is rewritten in place to an address
    made from the page's ``data-content_root``, the same on every page, and
    the second copy is dropped from the page's list.
    """
    local = (
        "document.documentElement.dataset.content_root"
        f' + "_static/{THEBE_JS}"'
    )
    kept, seen = [], False
    for script in context.get("script_files") or []:
        attributes = getattr(script, "attributes", {})
        if "THEBE_JS_URL" in attributes.get("body", ""):
            if seen:
                continue
            seen = True
            attributes["body"] = re.sub(
                r'THEBE_JS_URL = "[^"]*"',
                f"THEBE_JS_URL = {local}",
                attributes["body"],
            )
        kept.append(script)
    if seen:
        context["script_files"][:] = kept


def copy_assets_into_site(app: Sphinx, exception) -> None:
    if exception is None and app.builder.format == "html":
        copy_assets(app.live_code_modules, Path(app.outdir) / "_static")


def setup(app: Sphinx) -> dict:
    app.add_config_value("live_code_server_url", "", "html", str)
    app.add_config_value("live_code_token", "", "html", str)
    app.connect("config-inited", serve_assets_from_site)
    app.connect("html-page-context", point_thebe_at_site)
    app.connect("build-finished", copy_assets_into_site)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
