"""The site's own copies of thebe and KaTeX: pinned by npm, copied by
_ext/shared.py for _ext/live_code.py and _ext/katex_math.py."""

import json
from types import SimpleNamespace

import katex_math  # local Sphinx extensions (_ext/, on pytest's pythonpath)
import live_code
import pytest
import shared
from helpers import REPO
from sphinx.errors import ConfigError


def test_lock_file_pins_what_package_json_pins():
    pins = json.loads((REPO / "package.json").read_text())["dependencies"]
    lock = json.loads((REPO / "package-lock.json").read_text())["packages"]
    assert lock[""]["dependencies"] == pins
    for name, version in pins.items():
        assert lock[f"node_modules/{name}"]["version"] == version


def test_missing_npm_packages_fail_the_build_naming_the_fix(
    tmp_path, monkeypatch
):
    monkeypatch.setattr(shared.dlcourse, "REPO_ROOT", tmp_path)
    with pytest.raises(ConfigError, match=r"npm ci --ignore-scripts"):
        shared.node_modules(tmp_path)


def test_assets_are_copied_with_their_licences(tmp_path):
    static = tmp_path / "_static"
    modules = shared.node_modules(REPO)
    shared.copy_assets(modules, static, live_code.ASSETS, live_code.LICENCES)
    shared.copy_assets(modules, static, katex_math.ASSETS, {})
    for rel in (
        live_code.THEBE_JS,
        katex_math.KATEX_CSS,
        "thebe/LICENSE",
        "katex/LICENSE",
        "katex/fonts/KaTeX_Main-Regular.woff2",
        "katex/katex.min.js",
        "katex/contrib/auto-render.min.js",
    ):
        assert (static / rel).is_file(), rel
    assert "BSD" in (static / "thebe" / "LICENSE").read_text()
    assert not list(static.rglob("*.map")), "source maps are not served"


def configure(server_url: str, token: str):
    """Run the extension's config hook on a stand-in app; returns the settings script it adds."""
    added = []
    app = SimpleNamespace(
        confdir=str(REPO),
        add_js_file=lambda f, **kw: added.append(kw.get("body")),
    )
    config = SimpleNamespace(
        html_static_path=[],
        live_code_server_url=server_url,
        live_code_token=token,
    )
    live_code.serve_assets_from_site(app, config)
    return next(body for body in added if body)


def test_binder_pages_carry_no_token():
    assert (
        configure("", "")
        == 'window.LIVE_CODE = {"serverUrl": "", "token": ""};'
    )


def test_a_server_token_is_written_only_when_set():
    assert '"token": ""' in configure("http://127.0.0.1:8888/", "")
    assert '"token": "abc"' in configure("http://127.0.0.1:8888", "abc")


def test_a_token_without_a_server_is_refused():
    with pytest.raises(ConfigError, match="live_code_server_url is empty"):
        configure("", "abc")


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1:8888", "http://localhost:8888/", "http://[::1]:8888"],
)
def test_a_token_is_allowed_for_a_loopback_server(url):
    assert '"token": "abc"' in configure(url, "abc")


@pytest.mark.parametrize(
    "url", ["https://hub.example.edu/user/ada", "http://10.0.0.5:8888"]
)
def test_a_token_for_any_other_server_is_refused(url):
    """It would be written into every page of a site others can read."""
    with pytest.raises(ConfigError, match="is not on loopback") as refusal:
        configure(url, "abc")
    assert "Remove live_code_token from _config.yml" in str(refusal.value)
    assert "#token=TOKEN" in str(refusal.value)
