"""Re-execute the pages whose course-package imports changed, and only those.

jupyter-cache keys a page's cached outputs on the source of its code cells
alone (MyST-NB issue #299): when a chapter calls ``dlcourse.perceptron`` and
that module changes, the cache still matches and the page keeps its stale
outputs. This extension closes the gap. Before Sphinx reads the sources it

1. finds, for every page, the package modules its code cells import, statically
   and transitively through the package's own imports;
2. fingerprints those modules' sources, with the same rule as the cached runs
   (``coursesite.fingerprint``): comments, docstrings and layout are ignored,
   any statement counts;
3. for a page whose fingerprint differs from the one recorded at the last build,
   removes its jupyter-cache record and tells Sphinx the page is outdated, so
   myst-nb executes it again.

Pages whose code and imports did not change keep their cache. The fingerprints
live next to the cache (``stale_pages.json`` in the jupyter-cache folder), so
dropping the cache (``jupyter-book clean --all``) drops them too.

Only static imports are seen (``import dlcourse.x``, ``from dlcourse import x``,
``from dlcourse.x import y`` and, inside the package, relative imports); a page
that builds module names at run time is not tracked.

Some modules read data that is as much a part of a page's output as their code:
``coursesite.runs`` loads the committed training runs. ``stale_pages_data`` maps
such a module to glob patterns (relative to the book's root); the files they
match count in the fingerprint of every page that imports the module, so
retraining a run re-executes the pages that show it.

Configuration (``sphinx: config:`` in ``_config.yml``):
``stale_pages_packages`` -- the top-level packages to track (default
``["dlcourse", "coursesite"]``);
``stale_pages_data`` -- {module: [glob, ...]} (default: the runs' ``run.json`` files).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

from coursesite.files import atomic_write
from coursesite.fingerprint import Package, imported_names

logger = logging.getLogger(__name__)

FINGERPRINTS = "stale_pages.json"


def cell_sources(notebook) -> list[str]:
    """The code cells of a notebook as plain Python (IPython magics
    translated)."""
    from IPython.core.inputtransformer2 import TransformerManager

    transform = TransformerManager().transform_cell
    return [
        transform(cell.source)
        for cell in notebook.cells
        if cell.cell_type == "code"
    ]


# --- the Sphinx side ----------------------------------------------------------


def _read_notebook(app: Sphinx, path: Path):
    """The page as myst-nb reads it (None if the page is not a notebook)."""
    from myst_nb.core.read import create_nb_reader

    content = path.read_text(encoding="utf8")
    reader = create_nb_reader(
        str(path), app.env.myst_config, app.env.mystnb_config, content
    )
    return None if reader is None else reader.read(content)


def data_fingerprint(root: Path, patterns: list[str]) -> dict[str, str]:
    """sha256 of every file that the glob ``patterns`` match under ``root``, by relative path."""
    files = sorted(
        {
            path
            for pattern in patterns
            for path in root.glob(pattern)
            if path.is_file()
        }
    )
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(
            path.read_bytes()
        ).hexdigest()
        for path in files
    }


def page_fingerprints(
    app: Sphinx, env: BuildEnvironment
) -> dict[str, dict[str, str]]:
    """For every page that imports a tracked package: {module or data file: sha256}."""
    packages = [Package(name) for name in app.config.stale_pages_packages]
    result = {}
    for docname in sorted(env.found_docs):
        notebook = _read_notebook(app, Path(env.doc2path(docname)))
        if notebook is None:
            continue
        names = set().union(
            *(imported_names(src) for src in cell_sources(notebook))
        )
        fingerprint = {}
        for package in packages:
            modules = package.closure(names)
            fingerprint.update(package.fingerprint(modules))
            for module in modules & set(app.config.stale_pages_data):
                fingerprint.update(
                    data_fingerprint(
                        Path(app.srcdir), app.config.stale_pages_data[module]
                    )
                )
        if fingerprint:
            result[docname] = fingerprint
    return result


def _load(path: Path) -> dict:
    try:
        return json.loads(path.read_text())
    except (FileNotFoundError, json.JSONDecodeError):
        return {}  # no (readable) record: every importing page counts as changed


def _save(path: Path, data: dict) -> None:
    """Atomic write: a build killed half-way never leaves a truncated record."""
    with atomic_write(path) as stream:
        json.dump(data, stream, indent=1, sort_keys=True)


def _forget_cached_outputs(app: Sphinx, docname: str) -> int:
    """Remove the jupyter-cache records of a page: by its path and by its notebook's hash."""
    from jupyter_cache import get_cache

    cache = get_cache(app.env.mystnb_config.execution_cache_path)
    path = Path(app.env.doc2path(docname)).resolve()
    stale = {
        r.pk
        for r in cache.list_cache_records()
        if Path(r.uri).resolve() == path
    }
    notebook = _read_notebook(app, path)
    try:
        stale.add(cache.match_cache_notebook(notebook).pk)
    except KeyError:
        pass
    for pk in stale:
        cache.remove_cache(pk)
    return len(stale)


def outdated_pages(
    app: Sphinx, env: BuildEnvironment, added, changed, removed
) -> list[str]:
    """``env-get-outdated`` handler: the pages whose package imports changed since the last build."""
    if app.env.mystnb_config.execution_mode == "off":
        return []
    record = Path(app.env.mystnb_config.execution_cache_path) / FINGERPRINTS
    before, now = _load(record), page_fingerprints(app, env)
    stale = [
        doc for doc, modules in now.items() if before.get(doc) != modules
    ]
    for docname in stale:
        old = before.get(docname, {})
        why = sorted(
            m for m in now[docname] if old.get(m) != now[docname][m]
        ) or ["imports"]
        forgotten = (
            _forget_cached_outputs(app, docname)
            if app.env.mystnb_config.execution_mode == "cache"
            else 0
        )
        if forgotten or docname in before:
            logger.info(
                f"[stale_pages] {docname}: re-executing, changed: "
                f"{', '.join(why)}"
            )
    # keep the records of pages outside this build (a build with a smaller toc)
    kept = {
        doc: modules
        for doc, modules in before.items()
        if doc not in env.found_docs
    }
    _save(record, kept | now)
    return stale


def setup(app: Sphinx) -> dict:
    app.add_config_value(
        "stale_pages_packages", ["dlcourse", "coursesite"], "env", [list]
    )
    app.add_config_value(
        "stale_pages_data",
        {"coursesite.runs": ["runs/*/run.json"]},
        "env",
        [dict],
    )
    app.connect("env-get-outdated", outdated_pages)
    return {
        "version": "1.0",
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
