"""Pages the cache lacks are executed several at a time before Sphinx reads
them (_ext/parallel_execution.py), on a two-page project built in-process."""

import pytest
from helpers import REPO, build_small
from jupyter_cache import get_cache

#: A page that says it has started, then waits for ``other`` to start: it
#: finishes only if the two pages run at the same time. It also reads the
#: file the prepare function makes.
PAGE = """\
---
jupytext:
  text_representation:
    format_name: myst
kernelspec:
  display_name: Python 3
  language: python
  name: python3
---

# {name}

```{{code-cell}} ipython3
import time
from pathlib import Path

Path("{name}.started").touch()
deadline = time.monotonic() + 60
while not Path("{other}.started").exists():
    assert time.monotonic() < deadline, "{other} did not run beside {name}"
    time.sleep(0.05)
print(Path("shared.txt").read_text())
```
"""
#: Makes what the pages share: fails if called twice.
PREPARE = """\
from pathlib import Path

def make():
    shared = Path(__file__).parent / "shared.txt"
    assert not shared.exists(), "prepared twice"
    shared.write_text("made once")
"""
CONF = """\
import sys
sys.path[:0] = [{ext!r}, {src!r}]
extensions = ["myst_nb", "parallel_execution"]
nb_execution_mode = "cache"
nb_execution_cache_path = {cache!r}
nb_execution_raise_on_error = True
nb_execution_timeout = 120
parallel_execution_kernels = 2
parallel_execution_prepare = ["prepare.make"]
"""
INDEX = "Pages\n=====\n\n.. toctree::\n\n   one\n   two\n"


@pytest.fixture()
def project(tmp_path, monkeypatch):
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))  # the kernels' too
    (tmp_path / "conf.py").write_text(
        CONF.format(
            ext=str(REPO / "_ext"),
            src=str(tmp_path),
            cache=str(tmp_path / "_cache"),
        )
    )
    (tmp_path / "index.rst").write_text(INDEX)
    (tmp_path / "prepare.py").write_text(PREPARE)
    for name, other in (("one", "two"), ("two", "one")):
        (tmp_path / f"{name}.md").write_text(
            PAGE.format(name=name, other=other)
        )
    return tmp_path


def test_pages_run_side_by_side_after_what_they_share_is_made(project):
    log = build_small(project)
    # both ran here, together (one alone waits for the other, and fails)
    for name in ("one", "two"):
        assert f"[parallel_execution] {name}: executed" in log
    html = "".join(
        (project / "_build" / f"{name}.html").read_text()
        for name in ("one", "two")
    )
    assert html.count("made once") == 2
    cached = get_cache(str(project / "_cache")).list_cache_records()
    assert len(cached) == 2
