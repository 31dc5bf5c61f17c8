"""dlcourse: the code of the Deep Learning course book.

One module per concept of the lecture, named after the maths it implements.
Chapters import from here instead of carrying long code cells, so that what a
reader runs in a page is the same code the tests check.
"""

from pathlib import Path

#: The repository root, the folder that holds ``data/``, ``runs/`` and
#: ``book/``.
#: The package is installed in editable mode (``pip install -e .``), so this
#: resolves to the checkout the book is built from.
REPO_ROOT = Path(__file__).resolve().parents[2]

__all__ = ["REPO_ROOT"]
