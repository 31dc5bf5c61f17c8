"""Every chapter downloads from its page as a real, executed .ipynb that runs in plain Jupyter."""

import shutil

import nbformat
import pytest
from helpers import chapters, course_chapters, downloaded, stdout
from nbclient import NotebookClient

pytestmark = pytest.mark.slow


def test_every_chapter_downloads_as_an_executed_notebook(built_book):
    assert set(course_chapters()) <= set(chapters())
    for doc in chapters():
        path = downloaded(built_book, doc)
        assert path.suffix == ".ipynb" and path.is_file(), path
        nb = nbformat.read(path, as_version=4)
        nbformat.validate(nb)
        assert nb.metadata.kernelspec.name == "python3"
        assert "jupytext" not in nb.metadata, (
            f"{doc}: the download would pair itself with a MyST file"
        )
        # the first cell sets up the course where it is missing (Colab): the
        # build, which has the course, never ran it
        code = [c for c in nb.cells if c.cell_type == "code"][1:]
        assert code and all(c.execution_count for c in code), (
            f"{doc}: not executed"
        )
        assert any(c.outputs for c in code), f"{doc}: no outputs"


def test_a_downloaded_notebook_runs_outside_the_book(built_book, tmp_path):
    """Re-run in a folder of its own by a plain Jupyter kernel: it prints what the build printed."""
    notebook = shutil.copy(
        downloaded(built_book, "book/perceptrons"),
        tmp_path / "perceptrons.ipynb",
    )
    nb = nbformat.read(notebook, as_version=4)
    built = stdout(nb)
    assert built
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
    NotebookClient(
        nb,
        timeout=120,
        kernel_name="python3",
        resources={"metadata": {"path": str(tmp_path)}},
    ).execute()
    assert not [
        o
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.outputs
        if o.output_type == "error"
    ]
    assert stdout(nb) == built
