"""Lend this Python's PyTorch to another environment, and say what else
PyTorch needs there.

``tools/latest.sh`` installs the notebooks' stack at its newest releases,
but not PyTorch: Colab ships its own, and the registry's Linux wheels pull
gigabytes of CUDA. Instead, ``torch``, ``torchvision`` and their CUDA
libraries (``nvidia-*``, ``cuda-*``, ``triton``) installed here are linked
into ``FOLDER``, which a ``.pth`` file of the other environment names; the
rest of what they need (NumPy, Pillow, SymPy, ...) is printed, one name a
line, for that environment to install at its newest::

    python tools/borrow_torch.py FOLDER
"""

import argparse
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement

LENT = ("torch", "torchvision")
#: The prefixes of PyTorch's compiled companions, lent with it.
COMPILED = ("nvidia-", "cuda-", "triton")


def needs(name: str) -> list[str]:
    """The distributions that ``name``, as installed here, requires."""
    found = []
    for line in metadata.distribution(name).requires or []:
        req = Requirement(line)
        if not req.marker or req.marker.evaluate({"extra": ""}):
            found.append(req.name.lower())
    return found


def split() -> tuple[set[str], set[str]]:
    """(what is lent, what the other environment installs itself)."""
    lent, installs, todo = set(), set(), list(LENT)
    while todo:
        name = todo.pop()
        if name in lent:
            continue
        lent.add(name)
        for need in needs(name):
            if need in LENT or need.startswith(COMPILED):
                todo.append(need)
            else:
                installs.add(need)
    return lent, installs - lent


def link(folder: Path, names: set[str]) -> None:
    """Link the top-level files of the distributions ``names`` into
    ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        dist = metadata.distribution(name)
        for top in {Path(f).parts[0] for f in dist.files or []} - {".."}:
            target, at = Path(dist.locate_file(top)), folder / top
            if target.exists() and not at.exists():
                at.symlink_to(target)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder", type=Path)
    lent, installs = split()
    link(parser.parse_args().folder, lent)
    print("\n".join(sorted(installs)))


if __name__ == "__main__":
    main()
