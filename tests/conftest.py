"""Shared fixtures: building the book costs minutes, so a session builds it
once. Shared helpers live in helpers.py."""

from pathlib import Path

import pytest
from helpers import REPO, build_book


@pytest.fixture(scope="session")
def built_book(tmp_path_factory) -> Path:
    """The whole book built from a clean cache into a temporary folder; returns ``_build``."""
    out = tmp_path_factory.mktemp("book")
    result = build_book(REPO, out)
    log = out / "build.log"
    log.write_text(result.stdout + result.stderr)
    assert result.returncode == 0, (
        f"book build failed (log: {log}):\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
    )
    return out / "_build"
