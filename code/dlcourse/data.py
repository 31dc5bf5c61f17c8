"""MNIST from the copy shipped in the repository, as ordinary torchvision
datasets.

The book builds offline, so ``data/MNIST/raw/`` ships the four original
files, gzip-compressed, with their SHA-256 sums. torchvision checks the MD5
of the *compressed* files it downloads, and ours were recompressed, so
instead we verify our own checksums and decompress each file once, next to
the ``.gz``, where ``torchvision.datasets.MNIST`` looks first. From then on
torchvision loads the data exactly as in the lecture and never touches the
network.
"""

import gzip
import hashlib
import os
import shutil
from pathlib import Path

from torchvision import datasets, transforms

from dlcourse import REPO_ROOT

#: Where the shipped copy lives; set ``DLCOURSE_DATA`` to use another folder.
DATA_ROOT = Path(os.environ.get("DLCOURSE_DATA", REPO_ROOT / "data"))

FILES = (
    "train-images-idx3-ubyte",
    "train-labels-idx1-ubyte",
    "t10k-images-idx3-ubyte",
    "t10k-labels-idx1-ubyte",
)


class DataError(RuntimeError):
    """The shipped MNIST copy is missing or damaged; the message says which
    file and how to fix it."""


def sha256(path: Path) -> str:
    """Hex SHA-256 of a file, read in chunks so large files need little
    memory."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def read_checksums(path: Path) -> dict[str, str]:
    """Parse a ``sha256sum``-style file into {file name: hex digest}."""
    sums = {}
    for line in path.read_text().splitlines():
        if line.strip():
            digest, name = line.split()
            sums[name.lstrip("*")] = digest
    return sums


def _fix(path: Path) -> str:
    return (
        f"Fix: restore it from git (git checkout -- {path.name} in "
        f"{path.parent}), or, when online, call dlcourse.data.mnist(..., "
        "download=True) to let torchvision download MNIST."
    )


def _check(path: Path, expected: str) -> None:
    if not path.exists():
        raise DataError(f"MNIST file missing: {path}. {_fix(path)}")
    actual = sha256(path)
    if actual != expected:
        raise DataError(
            f"MNIST file corrupt: {path} has sha256 {actual}, expected "
            f"{expected}. {_fix(path)}"
        )


def _decompress(gz: Path, target: Path) -> None:
    """Decompress under a temporary name, then rename: torchvision never
    reads a half-written file, and an interrupted run leaves nothing.

    (The site machinery's ``coursesite.files.atomic_write`` does the same
    for its files; the course package does not depend on the machinery.)
    """
    part = target.with_name(f".{target.name}.part")
    try:
        with gzip.open(gz, "rb") as src, open(part, "wb") as out:
            shutil.copyfileobj(src, out)
        os.replace(part, target)
    finally:
        part.unlink(missing_ok=True)


def prepare_mnist(root: Path = DATA_ROOT) -> Path:
    """Verify the shipped ``.gz`` files and decompress them once; return the
    dataset root.

    Raises DataError naming the file when one is missing or does not match
    ``SHA256SUMS``.
    """
    raw = Path(root) / "MNIST" / "raw"
    sums_file = raw / "SHA256SUMS"
    if not sums_file.exists():
        raise DataError(
            f"No shipped MNIST checksums at {sums_file}. {_fix(sums_file)}"
        )
    packed = read_checksums(sums_file)
    unpacked_file = raw / "SHA256SUMS.uncompressed"
    unpacked = (
        read_checksums(unpacked_file) if unpacked_file.exists() else {}
    )
    for name in FILES:
        gz, target = raw / f"{name}.gz", raw / name
        _check(gz, packed[f"{name}.gz"])
        if (
            target.exists()
            and name in unpacked
            and sha256(target) != unpacked[name]
        ):
            # a stale or damaged decompression: redo it from the verified .gz
            target.unlink()
        if not target.exists():
            _decompress(gz, target)
    return Path(root)


def mnist(
    train: bool = True,
    transform=None,
    root: Path | None = None,
    download: bool = False,
) -> datasets.MNIST:
    """The MNIST training (60,000) or test (10,000) set as a
    ``torchvision.datasets.MNIST``.

    ``transform`` defaults to ``transforms.ToTensor()``, as in the lecture.
    With ``download=True`` a missing or damaged shipped copy is replaced by
    torchvision's own download (needs the internet).
    """
    root = Path(root) if root is not None else DATA_ROOT
    transform = transforms.ToTensor() if transform is None else transform
    try:
        prepare_mnist(root)
    except DataError:
        if not download:
            raise
    return datasets.MNIST(
        root=str(root), train=train, transform=transform, download=download
    )
