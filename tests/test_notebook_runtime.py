"""The standalone notebooks run where students run them.

A virtual environment gets the runtime requirements only (Binder's image), not
the book's tools; torch and what it needs are borrowed from this Python (a
``.pth`` file), so nothing gigabyte-sized is installed again. Its kernel runs
every chapter's notebook top to bottom, and the first cell's set-up, where the
course package is missing, fetches it from a clone of the repository.
"""

import os
import subprocess
import venv
from importlib import metadata
from pathlib import Path

import nbformat
import pytest
from helpers import (
    REPO,
    RUNTIME,
    TEST_REPOSITORY,
    branch_name,
    chapters,
    downloaded,
    stdout,
)
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient
from packaging.requirements import Requirement
from standalone_notebooks import bootstrap_cell

pytestmark = pytest.mark.slow
BORROWED = ("torch", "torchvision")


def requirements(name: str) -> set[str]:
    """The distributions ``name`` needs, itself included, transitively."""
    found, todo = set(), [name]
    while todo:
        dist = metadata.distribution(todo.pop())
        key = dist.metadata["Name"].lower()
        if key in found:
            continue
        found.add(key)
        for line in dist.requires or []:
            req = Requirement(line)
            if not req.marker or req.marker.evaluate({"extra": ""}):
                todo.append(req.name)
    return found


def borrow(folder: Path) -> None:
    """Link torch, torchvision and their requirements into ``folder``."""
    folder.mkdir()
    for name in set().union(*map(requirements, BORROWED)):
        dist = metadata.distribution(name)
        for top in {Path(f).parts[0] for f in dist.files or []} - {".."}:
            link, target = folder / top, Path(dist.locate_file(top))
            if target.exists() and not link.exists():
                link.symlink_to(target)


@pytest.fixture(scope="module")
def runtime(tmp_path_factory) -> KernelSpecManager:
    """Kernels of a virtual environment with only the runtime stack, less
    the course package."""
    root = tmp_path_factory.mktemp("runtime")
    venv.create(root / "venv", with_pip=True)
    python = root / "venv" / "bin" / "python"
    site = subprocess.run(
        [python, "-c", "import site; print(site.getsitepackages()[0])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    borrow(root / "borrowed")
    (Path(site) / "borrowed.pth").write_text(f"{root / 'borrowed'}\n")
    # Binder's postBuild, less the course package
    subprocess.run(
        [python, "-m", "pip", "install", "-q", "--require-hashes", "-r"]
        + [REPO / RUNTIME],
        check=True,
    )
    subprocess.run(
        [python, "-m", "ipykernel", "install", "--prefix", root / "jupyter"],
        check=True,
        capture_output=True,
    )
    return KernelSpecManager(
        kernel_dirs=[str(root / "jupyter" / "share" / "jupyter" / "kernels")]
    )


def run(nb, runtime, cwd: Path, **env: str):
    """Execute ``nb`` in ``cwd`` on the runtime kernel; its errors."""
    kernel = KernelManager(
        kernel_name="python3", kernel_spec_manager=runtime
    )
    environment = {
        k: v for k, v in os.environ.items() if k not in ("PYTHONPATH",)
    }
    NotebookClient(
        nb,
        km=kernel,
        timeout=600,
        allow_errors=True,
        resources={"metadata": {"path": str(cwd)}},
    ).execute(env={**environment, **env})
    return [
        o
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.outputs
        if o.output_type == "error"
    ]


def test_the_kernel_lacks_the_course_package(runtime, tmp_path):
    nb = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell("import dlcourse")]
    )
    errors = run(nb, runtime, tmp_path)
    assert errors and errors[0].ename == "ModuleNotFoundError"


def test_every_notebook_runs_top_to_bottom(built_book, runtime, tmp_path):
    """The course package on the kernel's path, as Binder's ``-e .``."""
    for doc in chapters():
        nb = nbformat.read(downloaded(built_book, doc), as_version=4)
        built = stdout(nb)
        for cell in nb.cells:
            if cell.cell_type == "code":
                cell.outputs = []
        folder = tmp_path / doc.replace("/", "-")
        folder.mkdir()
        assert not run(nb, runtime, folder, PYTHONPATH=str(REPO / "code"))
        assert not (folder / "dlcourse-repo").exists(), doc
        if doc == "book/perceptrons":
            assert stdout(nb) == built


def test_first_cell_fetches_the_course_where_it_is_missing(
    built_book, published, runtime, tmp_path
):
    """Colab's case: the first cell clones the repository (here a local
    clone holding the notebooks branch), then the chapter's cells run."""
    nb = nbformat.read(
        downloaded(built_book, "book/perceptrons"), as_version=4
    )
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert (
        code[0].source
        == bootstrap_cell(nb_repository(), branch_name()).source
    )
    code[0] = bootstrap_cell(f"file://{published}", branch_name())
    where = nbformat.v4.new_code_cell(
        "import dlcourse\nprint(dlcourse.__file__)"
    )
    nb.cells = [*code[:4], where]
    assert not run(nb, runtime, tmp_path)
    assert stdout(nb).splitlines()[-1] == str(
        tmp_path / "dlcourse-repo" / "code" / "dlcourse" / "__init__.py"
    )
    assert "output 0" in stdout(nb)


def nb_repository() -> str:
    return TEST_REPOSITORY
