"""The publishing workflow builds the book the way the README tells a newcomer to."""

import re
from pathlib import Path

import pytest
import yaml
from helpers import REPO

WORKFLOW = REPO / ".github" / "workflows" / "publish.yml"


def readme_quickstart() -> list[str]:
    """The command lines of the README's quickstart block."""
    section = (REPO / "README.md").read_text().split("## Quickstart", 1)[1]
    block = re.search(
        r"```(?:bash|sh)?\n(.*?)```", section, re.DOTALL
    ).group(1)
    return [
        line.split("#")[0].strip()
        for line in block.splitlines()
        if line.split("#")[0].strip()
    ]


def commands(run: str) -> list[str]:
    """The single commands of a shell script: one per line, and split at ``&&``."""
    return [
        part.strip()
        for line in run.splitlines()
        for part in line.split("&&")
        if part.strip()
    ]


@pytest.fixture(scope="module")
def workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text())


@pytest.fixture(scope="module")
def build_steps(workflow) -> list[dict]:
    return workflow["jobs"]["build"]["steps"]


def step_using(steps: list[dict], action: str) -> tuple[int, dict]:
    found = [
        (i, step)
        for i, step in enumerate(steps)
        if step.get("uses", "").split("@")[0] == action
    ]
    assert len(found) == 1, (
        f"expected one step using {action}, found {len(found)}"
    )
    return found[0]


def test_runs_on_pushes_to_the_published_branch(workflow):
    # YAML 1.1 reads a bare `on` as true
    triggers = workflow.get("on", workflow.get(True))
    branch = yaml.safe_load((REPO / "_config.yml").read_text())[
        "repository"
    ]["branch"]
    assert branch in triggers["push"]["branches"]


def test_builds_with_the_readme_command(build_steps):
    """Every command of the README's install-and-build line runs, in the same order.

    The line's system-package steps (apt-get: Chromium, for the browser tests) are
    not needed to publish, and GitHub's runners bring their own system.
    """
    readme = [
        c
        for c in commands(readme_quickstart()[0])
        if not c.startswith("apt-get")
    ]
    assert readme[0].startswith("npm ci"), readme
    assert any(c.startswith("jupyter-book build") for c in readme), readme
    ran = [
        c
        for step in build_steps
        if "run" in step
        for c in commands(step["run"])
    ]
    assert [c for c in ran if c in readme] == readme, (
        f"workflow runs {ran}, README says {readme}"
    )
    build = [c for c in ran if c.startswith("jupyter-book build")]
    assert build == [c for c in readme if c.startswith("jupyter-book build")]
    assert {"-W", "-n", "--keep-going"} <= set(build[0].split()), (
        "the published build must be strict"
    )


def test_restores_the_execution_cache_before_building(build_steps):
    at, cache = step_using(build_steps, "actions/cache")
    built = next(
        i
        for i, step in enumerate(build_steps)
        if "jupyter-book build" in step.get("run", "")
    )
    assert at < built
    _, upload = step_using(build_steps, "actions/upload-pages-artifact")
    html = Path(upload["with"]["path"])
    # myst-nb keeps its cache next to the HTML folder: <outdir>/../.jupyter_cache
    assert Path(cache["with"]["path"]) == html.parent / ".jupyter_cache"
    assert html == Path("_build/html")  # where `jupyter-book build .` writes
    # ... and where the README says it lands
    assert "`_build/html/`" in (REPO / "README.md").read_text()
    assert (
        "hashFiles('requirements.txt', 'requirements-runtime.txt')"
        in cache["with"]["key"]
    )
    assert cache["with"]["restore-keys"].strip() and cache["with"][
        "key"
    ].startswith(cache["with"]["restore-keys"].strip())


def test_deploys_with_the_official_pages_actions(workflow):
    deploy = workflow["jobs"]["deploy"]
    assert "build" in deploy["needs"]
    assert "pull_request" in deploy["if"], (
        "a pull request must not publish the site"
    )
    step_using(deploy["steps"], "actions/deploy-pages")
    assert deploy["environment"]["name"] == "github-pages"


def test_every_action_is_pinned_by_commit_with_its_release_named():
    """A tag such as ``@v4`` can be moved to other code; a commit cannot."""
    uses = [
        line.split("uses:", 1)[1].strip()
        for line in WORKFLOW.read_text().splitlines()
        if line.strip().lstrip("- ").startswith("uses:")
    ]
    assert len(uses) >= 6, uses
    for use in uses:
        assert re.fullmatch(
            r"[\w.-]+/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+", use
        ), f"not pinned by full commit SHA with # vX.Y.Z: {use}"


def test_each_job_holds_only_the_permissions_it_needs(workflow):
    """Nothing by default; reading for the build (it runs a pull request's
    code); pushing only for the job that pushes the notebooks branch; Pages
    and id-token only for the deployment."""
    assert workflow["permissions"] == {}
    for name, job in workflow["jobs"].items():
        runs = " ".join(step.get("run", "") for step in job["steps"])
        uses = " ".join(step.get("uses", "") for step in job["steps"])
        if "git push" in runs:
            wanted = {"contents": "write"}
        elif "actions/deploy-pages@" in uses:
            wanted = {"pages": "write", "id-token": "write"}
        else:
            wanted = {"contents": "read"}
        assert job["permissions"] == wanted, name
    assert workflow["jobs"]["build"]["permissions"] == {"contents": "read"}


def test_tests_and_the_token_guard_run_before_anything_deploys(
    workflow, build_steps
):
    runs = [step.get("run", "") for step in build_steps]
    tests = next(i for i, r in enumerate(runs) if "python -m pytest" in r)
    built = next(i for i, r in enumerate(runs) if "jupyter-book build" in r)
    guard = next(
        i
        for i, r in enumerate(runs)
        if "python tools/no_token.py _build/html" in r
    )
    upload, _ = step_using(build_steps, "actions/upload-pages-artifact")
    assert tests < upload and built < guard < upload
    # the token guards are part of the tests that run
    assert '-m "not slow"' in runs[tests]
    jobs = workflow["jobs"]
    assert "build" in jobs["deploy"]["needs"]
    assert jobs["notebooks"]["needs"] == "build"
