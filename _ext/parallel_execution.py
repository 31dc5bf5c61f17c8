"""Execute the pages that need it several at a time, before Sphinx reads them.

MyST-NB executes a page while Sphinx reads it, so the pages of a clean build
run one after another: Sphinx reads in parallel only with ``-j``, which
``jupyter-book build`` does not pass. A page's execution is mostly one
core's work (the kernel's start, imports, drawing figures; PyTorch runs on
one thread in the book's kernels, see ``_ext/ipython``), so a machine with
two cores can run two pages at once.

Before Sphinx reads the pages (``env-before-read-docs``, after
``_ext/stale_pages.py`` has dropped the stale records), this extension
executes every page to be read that the execution cache does not hold,
``parallel_execution_kernels`` at a time (default: the cores this process
may use), largest page first. Each runs as MyST-NB runs it (jupyter-cache's
``single_nb_execution``, in the page's folder, with the page's own
timeout) and is cached as MyST-NB caches it, so MyST-NB then finds every
page in the cache. A page that fails here is not cached: MyST-NB executes
it again in its turn and reports the failure as it always does.

What the pages share and would make on first use, all at once, is made
before they start: ``parallel_execution_prepare`` names functions (as
``module.function``, no arguments) called once before the pages run side by
side; the book's ``_config.yml`` names ``dlcourse.data.prepare_mnist``,
which decompresses the shipped MNIST (two pages decompressing the same file
at once failed one of them in a clean build).
"""

import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path, PurePosixPath

from jupyter_cache import get_cache
from jupyter_cache.base import CacheBundleIn
from jupyter_cache.executors.utils import single_nb_execution
from myst_nb.core.read import create_nb_reader
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import import_object, logging

logger = logging.getLogger(__name__)


def page_notebook(env: BuildEnvironment, path: Path):
    """The page as MyST-NB reads it (None if the page is not a notebook)."""
    content = path.read_text(encoding="utf8")
    reader = create_nb_reader(
        str(path), env.myst_config, env.mystnb_config, content
    )
    return None if reader is None else reader.read(content)


def excluded(path: Path, patterns: list[str]) -> bool:
    """Whether MyST-NB leaves the page unexecuted
    (``nb_execution_excludepatterns``)."""
    return any(PurePosixPath(path.as_posix()).match(p) for p in patterns)


def to_execute(env: BuildEnvironment, docnames: list[str]) -> list[tuple]:
    """(path, notebook, timeout, allow_errors) of every page to be read
    that the cache does not hold, largest first."""
    config = env.mystnb_config
    cache = get_cache(config.execution_cache_path)
    jobs = []
    for docname in docnames:
        path = Path(env.doc2path(docname))
        notebook = page_notebook(env, path)
        if notebook is None or excluded(
            path, config.execution_excludepatterns
        ):
            continue
        try:
            cache.match_cache_notebook(notebook)
            continue
        except KeyError:
            pass
        page = notebook.metadata.get(config.metadata_key, {})
        timeout = page.get("execution_timeout", config.execution_timeout)
        errors = page.get("execution_allow_errors")
        if errors is None:
            errors = config.execution_allow_errors
        jobs.append((path, notebook, timeout, errors))
    return sorted(jobs, key=lambda job: -job[0].stat().st_size)


def usable_cores() -> int:
    """The cores this process may run on (all of them where the system
    cannot say: macOS, Windows)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def execute(job: tuple):
    """Run one page as MyST-NB does; the notebook is filled in place."""
    path, notebook, timeout, allow_errors = job
    return single_nb_execution(
        notebook,
        cwd=str(path.parent),
        timeout=timeout,
        allow_errors=allow_errors,
        meta_override=True,
    )


def execute_pages(
    app: Sphinx, env: BuildEnvironment, docnames: list[str]
) -> None:
    """``env-before-read-docs``: execute and cache the uncached pages,
    several at a time."""
    config = env.mystnb_config
    kernels = app.config.parallel_execution_kernels or usable_cores()
    if config.execution_mode != "cache" or config.execution_in_temp:
        return
    jobs = to_execute(env, docnames)
    if kernels < 2 or len(jobs) < 2:
        return  # nothing to gain: MyST-NB runs them
    for name in app.config.parallel_execution_prepare:
        import_object(name, "parallel_execution_prepare")()
    cache = get_cache(config.execution_cache_path)
    logger.info(f"[parallel_execution] {len(jobs)} pages, {kernels} at once")
    with ThreadPoolExecutor(kernels) as pool:
        for job, result in zip(jobs, pool.map(execute, jobs)):
            page = env.path2doc(str(job[0]))
            if result.err is not None:
                logger.info(
                    f"[parallel_execution] {page} failed: MyST-NB runs it "
                    "again and reports the error"
                )
                continue
            cache.cache_notebook_bundle(
                CacheBundleIn(
                    result.nb,
                    str(job[0]),
                    data={"execution_seconds": result.time},
                ),
                check_validity=False,
                overwrite=True,
            )
            logger.info(
                f"[parallel_execution] {page}: executed in "
                f"{result.time:.1f} s"
            )


def setup(app: Sphinx) -> dict:
    app.add_config_value("parallel_execution_kernels", 0, "env", [int])
    app.add_config_value("parallel_execution_prepare", [], "env", [list])
    app.connect("env-before-read-docs", execute_pages)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
