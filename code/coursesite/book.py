"""The book as the tests and the benchmarks drive it: the strict build
command the README documents, the pages of the table of contents, and the
records of the execution cache."""

import sys
from pathlib import Path

import yaml


def build_command(source: Path, output: Path | None = None) -> list[str]:
    """The README's strict build (``jupyter-book build . -W -n
    --keep-going``) of ``source``, into ``output/_build`` if given."""
    where = ["--path-output", str(output)] if output else []
    return [
        sys.executable,
        "-c",
        "from jupyter_book.cli.main import main; main()",
        "build",
        str(source),
        *where,
        "-W",
        "-n",
        "--keep-going",
    ]


def toc_files(root: Path) -> list[str]:
    """Every document named in ``root/_toc.yml``, the root page first, in
    order."""
    toc = yaml.safe_load((Path(root) / "_toc.yml").read_text())
    return [toc["root"], *_files(toc)]


def chapters(root: Path) -> list[str]:
    """The toc's pages that are notebooks (MyST-NB pages carry a
    kernelspec), in order."""
    return [
        doc
        for doc in toc_files(root)
        if "\nkernelspec:" in (Path(root) / f"{doc}.md").read_text()
    ]


def course_chapters(root: Path) -> list[str]:
    """The chapters of the toc's numbered part (the course), in order:
    every rule about chapters applies to each of them, whatever their
    number."""
    toc = yaml.safe_load((Path(root) / "_toc.yml").read_text())
    (course,) = [p for p in toc.get("parts", []) if p.get("numbered")]
    return _files(course["chapters"])


def _files(node: object) -> list[str]:
    if isinstance(node, list):
        return [name for item in node for name in _files(item)]
    if not isinstance(node, dict):
        return []
    found = [node["file"]] if "file" in node else []
    return found + [
        name
        for key, value in node.items()
        if key != "root"
        for name in _files(value)
    ]


def cache_records(build: Path) -> dict[str, tuple]:
    """{page: its jupyter-cache record's id and time of creation} in
    ``build`` (a ``_build`` folder): a page executed again gets a new
    record. The id alone can come back: SQLite gives a new row the highest
    id plus one, so the newest record, removed and made again, has the same
    id."""
    from jupyter_cache import get_cache

    path = Path(build) / ".jupyter_cache"
    if not path.exists():
        return {}
    return {
        Path(r.uri).stem: (r.pk, r.created)
        for r in get_cache(path).list_cache_records()
    }
