"""The code's layout: what the chapters show must fit the page."""

import subprocess
import sys
from unittest.mock import patch

from helpers import REPO

from coursesite import runs


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


def test_python_passes_the_linter():
    """``ruff check`` (pyproject.toml's rules: pyflakes, pycodestyle's
    errors, import order): unused imports and names, undefined names. Fix
    with ``ruff check --fix .``."""
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "."],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_gpu_script_is_valid_bash_and_its_command_parses():
    """benchmarks/gpu.sh runs once, on a lent GPU, for minutes: a typo there
    would waste the loan. Its training command must parse as
    ``coursesite.runs`` expects (with CUDA present)."""
    script = REPO / "benchmarks" / "gpu.sh"
    assert subprocess.run(["bash", "-n", str(script)]).returncode == 0
    line = next(
        line.split("coursesite.runs", 1)[1].split()
        for line in script.read_text().splitlines()
        if "python -m coursesite.runs" in line
    )
    args = [a.replace('"$runs/runs"', "/tmp/runs") for a in line]
    with patch("torch.cuda.is_available", return_value=True):
        parsed = runs.parser().parse_args(args)
    assert parsed.names == ["all"] and parsed.device == "cuda"
