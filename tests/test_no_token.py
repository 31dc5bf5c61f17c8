"""The publishing workflow's guard: no built page may carry a Live Code token.

``tools/no_token.py`` reads back the settings line ``_ext/live_code.py``
writes into every page; the workflow runs it on the site before deploying.
"""

import pytest
from helpers import tool
from live_code import settings_script

no_token = tool("no_token")


def site(tmp_path, **pages: dict[str, str]):
    """A folder of pages, each with Live Code's settings line."""
    for name, settings in pages.items():
        page = tmp_path / f"{name}.html"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(
            f"<html><head><script>{settings_script(settings)}</script>"
            "</head><body></body></html>"
        )
    return tmp_path


def test_a_page_with_a_token_stops_the_deployment(tmp_path, capsys):
    html = site(
        tmp_path,
        index={"serverUrl": "", "token": ""},
        chapter={"serverUrl": "http://127.0.0.1:8888", "token": "abc123"},
    )
    assert no_token.pages_with_a_token(html) == ["chapter.html"]
    assert no_token.main([str(html)]) == 1
    message = capsys.readouterr().err
    assert "chapter.html" in message
    assert "Remove live_code_token from _config.yml" in message


def test_a_site_without_a_token_passes(tmp_path):
    html = site(
        tmp_path,
        index={"serverUrl": "", "token": ""},
        chapter={"serverUrl": "http://127.0.0.1:8888", "token": ""},
    )
    assert no_token.main([str(html)]) == 0


@pytest.mark.slow
def test_the_published_site_has_no_token(built_book):
    assert no_token.main([str(built_book / "html")]) == 0
