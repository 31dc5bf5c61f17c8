"""Shared fixtures: building the book costs minutes, so a session builds it
once, and every test that needs it is ``slow``. Shared helpers live in
helpers.py."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import (
    BOT,
    REPO,
    TEST_REPOSITORY,
    branch_name,
    build_book,
    tool,
)
from site_theme import REPOSITORY_ENV

#: Fixtures that build the whole book, train a network or make a virtual
#: environment: a test that uses one, directly or through another fixture,
#: is slow.
SLOW_FIXTURES = {"built_book", "published", "tiny_run", "runtime"}


def pytest_collection_modifyitems(items: list) -> None:
    """Mark the tests that need a slow fixture ``slow``, whatever their
    module, so that a module's pure unit tests stay in the fast loop."""
    for item in items:
        if SLOW_FIXTURES & set(item.fixturenames):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def built_book(tmp_path_factory) -> Path:
    """The whole book built from a clean cache into a temporary folder;
    returns ``_build``. ``BUILT_BOOK=_build`` uses a build of your own
    instead, to run a browser test while you work on a page."""
    if os.environ.get("BUILT_BOOK"):
        return Path(os.environ["BUILT_BOOK"]).resolve()
    out = tmp_path_factory.mktemp("book")
    result = build_book(REPO, out, env={REPOSITORY_ENV: TEST_REPOSITORY})
    log = out / "build.log"
    log.write_text(result.stdout + result.stderr)
    assert result.returncode == 0, (
        f"book build failed (log: {log}):\n{result.stdout[-4000:]}\n"
        f"{result.stderr[-4000:]}"
    )
    # as the publishing workflow does: the whole course as a PDF, next to
    # the site
    tool("book_pdf").print_book(out / "_build" / "html")
    return out / "_build"


@pytest.fixture(scope="session")
def published(built_book, tmp_path_factory):
    """A clone of the repository in which the workflow's script made the
    notebooks branch from the built book; returns the clone."""
    clone = tmp_path_factory.mktemp("published") / "clone"
    subprocess.run(["git", "clone", "-q", str(REPO), str(clone)], check=True)
    subprocess.run(
        [
            sys.executable,
            str(REPO / ".github" / "notebook_branch.py"),
            str(built_book / "html" / "_sources"),
            branch_name(),
        ],
        cwd=clone,
        check=True,
        env={**os.environ, **BOT},
    )
    return clone
