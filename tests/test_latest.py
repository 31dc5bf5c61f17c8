"""tools/latest.sh's parts: what it lends of PyTorch, what it installs at
the newest releases, and how it reports a notebook's result."""

import nbformat
from helpers import tool

borrow_torch = tool("borrow_torch")
run_notebooks = tool("run_notebooks")


def test_pytorch_is_lent_and_the_numerics_come_fresh():
    lent, installs = borrow_torch.split()
    assert {"torch", "torchvision"} <= lent
    # the registry's torch would pull CUDA: none of it is installed
    assert not any(
        name.startswith(borrow_torch.COMPILED) for name in installs
    )
    assert not {"torch", "torchvision"} & installs
    # what a fresh install upgrades under the notebooks
    assert {"numpy", "pillow"} <= installs
    assert not {"numpy", "pillow"} & lent


def test_the_lent_packages_are_linked_with_their_metadata(tmp_path):
    borrow_torch.link(tmp_path, {"torchvision"})
    assert (tmp_path / "torchvision" / "__init__.py").is_file()
    assert any(tmp_path.glob("torchvision-*.dist-info"))


def test_a_notebook_reports_its_first_error(tmp_path):
    path = tmp_path / "broken.ipynb"
    nbformat.write(
        nbformat.v4.new_notebook(
            cells=[
                nbformat.v4.new_code_cell("x = 1"),
                nbformat.v4.new_code_cell("raise ValueError(x)"),
            ]
        ),
        path,
    )
    assert run_notebooks.run(path, timeout=60) == "ValueError: 1"
    path.write_text(path.read_text().replace("raise ValueError", "print"))
    assert run_notebooks.run(path, timeout=60) == "ok"
