"""The code's layout: what the chapters show must fit the page."""

import subprocess
import sys

from conftest import REPO


def test_python_is_formatted_to_the_width_a_page_shows():
    """ruff (pinned in requirements.txt) keeps every Python file at 77 columns, the widest
    line a chapter's code box shows at 1280 pixels. Fix with ``ruff format .``."""
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--check", "."],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
