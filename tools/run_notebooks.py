"""Run notebooks top to bottom and report each one's result.

``tools/latest.sh`` runs it inside its throwaway environment, whose
``python3`` kernel is this interpreter; each notebook runs in a folder of
its own, as a student's copy on Colab would, with its saved outputs
cleared. Prints the versions it ran with, then one line per notebook::

    python tools/run_notebooks.py NOTEBOOK...

Exits 1 when any notebook fails.
"""

import argparse
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

#: The distributions whose versions the report names: the notebooks'
#: runtime stack and what a student's fresh install brings with it.
REPORTED = (
    "torch",
    "torchvision",
    "numpy",
    "matplotlib",
    "tqdm",
    "ipywidgets",
    "ipykernel",
    "ipython",
    "myst-nb",
    "nbclient",
    "pillow",
)


def versions() -> dict[str, str]:
    """Python's and each reported distribution's version."""
    found = {"python": sys.version.split()[0]}
    for name in REPORTED:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "missing"
    return found


def run(path: Path, timeout: int) -> str:
    """Execute the notebook at ``path`` in a fresh folder; "ok" or the
    first error, as ``Name: message``."""
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
    with tempfile.TemporaryDirectory() as folder:
        client = NotebookClient(
            nb,
            kernel_name="python3",
            timeout=timeout,
            resources={"metadata": {"path": folder}},
        )
        try:
            client.execute()
        except CellExecutionError as error:
            return f"{error.ename}: {error.evalue}"
        if (Path(folder) / "dlcourse-repo").exists():
            return "cloned the repository: the package was not found"
    return "ok"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("notebooks", type=Path, nargs="+")
    parser.add_argument("--timeout", type=int, default=900)
    args = parser.parse_args()
    for name, version in versions().items():
        print(f"{name:12} {version}")
    failed = 0
    for path in args.notebooks:
        start = time.perf_counter()
        result = run(path, args.timeout)
        failed += result != "ok"
        took = time.perf_counter() - start
        print(f"{path.stem:14} {took:6.0f} s  {result}", flush=True)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
