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
from pathlib import Path
from urllib.parse import urlsplit

from shared import copy_assets, node_modules, with_attributes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import ConfigError, ExtensionError

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


#: sphinx-thebe's loader script, as the page's script list names it.
THEBE_LOADER = "_static/sphinx-thebe.js"
#: sphinx-thebe's address of thebe (a CDN) in its inline configuration
#: script: sphinx-thebe has no setting for it.
THEBE_URL_SETTING = re.compile(r'THEBE_JS_URL = "[^"]*"')
#: The site's copy instead, from the page's ``data-content_root``, the same
#: on every page.
LOCAL_THEBE_URL = (
    "THEBE_JS_URL = document.documentElement.dataset.content_root"
    f' + "_static/{THEBE_JS}"'
)


def point_thebe_at_site(
    app: Sphinx, pagename: str, templatename: str, context: dict, doctree
) -> None:
    """Point sphinx-thebe's address of thebe, a CDN, at the site's copy.

    sphinx-thebe has no setting for the address: its inline configuration
    script names it. That script, listed twice on a Jupyter Book page (a
    second ``const`` is a script error), is listed once with the site's
    address; a page without it fails the build, naming the fix.
    """
    scripts = context.get("script_files") or []
    if not any(s.filename == THEBE_LOADER for s in scripts):
        return
    found = [
        i for i, s in enumerate(scripts) if "THEBE_JS_URL" in body_of(s)
    ]
    if not found or not THEBE_URL_SETTING.search(body_of(scripts[found[0]])):
        raise ExtensionError(
            f"live_code: {pagename} loads sphinx-thebe.js, but no script "
            'of sphinx-thebe\'s sets THEBE_JS_URL = "...": sphinx-thebe '
            "changed. Pin it as requirements.in does, or update "
            "THEBE_URL_SETTING in _ext/live_code.py."
        )
    config = scripts[found[0]]
    local = with_attributes(
        config, body=THEBE_URL_SETTING.sub(LOCAL_THEBE_URL, body_of(config))
    )
    # in place: the list is the builder's, which Sphinx restores after
    # each page, and a later listener's add_js_file adds to it
    scripts[:] = [
        local if i == found[0] else s
        for i, s in enumerate(scripts)
        if i not in found[1:]
    ]


def body_of(script) -> str:
    """An inline script's text (empty for a script file)."""
    return getattr(script, "attributes", {}).get("body", "")


def copy_assets_into_site(app: Sphinx, exception) -> None:
    if exception is None and app.builder.format == "html":
        copy_assets(
            app.live_code_modules,
            Path(app.outdir) / "_static",
            ASSETS,
            LICENCES,
        )


def setup(app: Sphinx) -> dict:
    app.add_config_value("live_code_server_url", "", "html", str)
    app.add_config_value("live_code_token", "", "html", str)
    app.connect("config-inited", serve_assets_from_site)
    app.connect("html-page-context", point_thebe_at_site)
    app.connect("build-finished", copy_assets_into_site)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
