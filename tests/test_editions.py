"""Editions: a tagged release is a permanent copy of the site, pinned to
its tag, beside the latest site, whose landing page lists the editions."""

import fnmatch
import json
import os
import re
import subprocess
import tarfile

import pytest
import yaml
from bs4 import BeautifulSoup
from editions import (
    EDITION_ENV,
    EDITIONS_ENV,
    edition,
    editions,
    editions_list,
)
from helpers import REPO, TEST_REPOSITORY, build_book, copy_chapter
from site_theme import REPOSITORY_ENV
from sphinx.errors import ConfigError
from standalone_notebooks import site_url

SITE = site_url(TEST_REPOSITORY)
OWNER_NAME = TEST_REPOSITORY.removeprefix("https://github.com/")


def test_an_edition_is_named_by_a_year_and_a_number():
    assert edition({}) is None
    assert edition({EDITION_ENV: "2026.1"}) == "2026.1"
    for wrong in ("v1.0", "2026", "latest", "2026.1/../x"):
        with pytest.raises(ConfigError, match="2026.1"):
            edition({EDITION_ENV: wrong})


def test_editions_are_listed_newest_first():
    listed = editions({EDITIONS_ENV: "2026.2 2025.1 2026.10"})
    assert listed == ["2026.10", "2026.2", "2025.1"]
    assert editions({}) == []
    with pytest.raises(ConfigError):
        editions({EDITIONS_ENV: "2026.1 main"})


def test_the_landing_page_links_each_edition_beside_the_site():
    def pathto(path, resource):  # the root page is book/index.html
        return "../" + path

    soup = BeautifulSoup(
        editions_list(["2026.2", "2026.1"], pathto), "html.parser"
    )
    assert [a["href"] for a in soup.select("#editions a")] == [
        "../2026.2/index.html",
        "../2026.1/index.html",
    ]


@pytest.mark.slow
def test_an_edition_is_pinned_to_its_tag_and_links_to_the_latest(tmp_path):
    book = copy_chapter(tmp_path / "src", "perceptrons")
    env = {REPOSITORY_ENV: TEST_REPOSITORY, EDITION_ENV: "2026.1"}
    result = build_book(book, tmp_path / "out", env=env)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr
    html = tmp_path / "out" / "_build" / "html"
    page = (html / "book" / "perceptrons.html").read_text()
    soup = BeautifulSoup(page, "html.parser")
    banner = soup.select_one(".bd-header-announcement")
    assert "2026.1 edition" in banner.get_text()
    assert banner.select_one("a")["href"] == SITE
    launch = {
        a.get_text(strip=True): a["href"]
        for a in soup.select("a[href]")
        if "mybinder.org" in a["href"] or "colab.research" in a["href"]
    }
    assert set(launch) == {"Binder", "Colab"}, launch
    assert all("/notebooks-2026.1" in url for url in launch.values())
    assert 'ref: "2026.1"' in page  # Live Code's Binder: the tag
    notebook = json.loads(
        (html / "_sources" / "book" / "perceptrons.ipynb").read_text()
    )
    first = "".join(notebook["cells"][1]["source"])
    assert "'--branch', 'notebooks-2026.1'" in first.replace('"', "'")
    links = re.findall(
        rf"\]\(({re.escape(SITE)}[^)]*)\)", json.dumps(notebook)
    )
    assert links and all(
        link.startswith(f"{SITE}2026.1/") for link in links
    ), links


WORKFLOWS = REPO / ".github" / "workflows"
EDITIONS_SH = REPO / ".github" / "editions.sh"


def workflow(name: str) -> dict:
    return yaml.safe_load((WORKFLOWS / name).read_text())


def run_lines(job: dict) -> str:
    return "\n".join(step.get("run", "") for step in job["steps"])


@pytest.fixture(scope="module")
def release() -> dict:
    return workflow("release.yml")


def test_an_edition_tag_and_only_one_starts_a_release(release):
    on = release.get("on", release.get(True))  # YAML 1.1: on is true
    assert set(on) == {"push"} and set(on["push"]) == {"tags"}
    (pattern,) = on["push"]["tags"]
    assert fnmatch.fnmatchcase("2026.1", pattern)
    # the notebooks' tag the release pushes starts no release
    assert not fnmatch.fnmatchcase("notebooks-2026.1", pattern)
    assert not fnmatch.fnmatchcase("v1.0", pattern)


def test_releases_and_deployments_share_one_concurrency_group(release):
    publish = workflow("publish.yml")
    assert release["concurrency"] == publish["concurrency"]
    assert release["concurrency"]["cancel-in-progress"] is False


def test_the_edition_is_built_pinned_to_its_tag_and_archived(release):
    build = release["jobs"]["build"]
    (step,) = [
        s for s in build["steps"] if "jupyter-book build" in s.get("run", "")
    ]
    assert step["env"][EDITION_ENV] == "${{ github.ref_name }}"
    assert build["env"]["TAG"] == "${{ github.ref_name }}"
    runs = run_lines(build)
    assert "python tools/no_token.py _build/html" in runs
    assert 'tar -czf "edition/site-$TAG.tar.gz" -C _build/html .' in runs
    # the archive's name is the one every deployment downloads
    assert '--pattern "site-$tag.tar.gz"' in EDITIONS_SH.read_text()
    notebooks = run_lines(release["jobs"]["notebooks"])
    assert '"notebooks-$TAG"' in notebooks
    assert "refs/tags/notebooks-$TAG" in notebooks
    assert 'gh release create "$TAG" edition/*' in run_lines(
        release["jobs"]["release"]
    )
    assert "gh workflow run publish.yml --ref main" in run_lines(
        release["jobs"]["publish"]
    )


def test_each_release_job_holds_only_what_it_needs(release):
    """The build runs the book's code and only reads; the jobs that write
    run none of it."""
    assert release["permissions"] == {}
    wanted = {
        "build": {"contents": "read"},
        "notebooks": {"contents": "write"},
        "release": {"contents": "write"},
        "publish": {"actions": "write"},
    }
    assert {
        n: j["permissions"] for n, j in release["jobs"].items()
    } == wanted
    for name in ("notebooks", "release", "publish"):
        runs = run_lines(release["jobs"][name])
        for code in ("pip install", "jupyter-book", "tools/", "pytest"):
            assert code not in runs, (name, code)
    checkout = release["jobs"]["build"]["steps"][0]
    assert checkout["with"]["persist-credentials"] is False


def test_release_actions_are_the_publishing_workflows_pins():
    def pins(name):
        text = (WORKFLOWS / name).read_text()
        found = re.findall(
            r"uses: ([\w.-]+/[\w.-]+)@(\S+) # (v[\d.]+)\n", text
        )
        assert len(found) == text.count("uses:"), name
        return {action: (sha, tag) for action, sha, tag in found}

    release, publish = pins("release.yml"), pins("publish.yml")
    assert all(
        re.fullmatch(r"[0-9a-f]{40}", sha) for sha, _ in release.values()
    )
    assert all(publish[action] == pin for action, pin in release.items())


def test_every_deployment_puts_the_editions_beside_the_site():
    steps = workflow("publish.yml")["jobs"]["build"]["steps"]
    runs = [s.get("run", "") for s in steps]
    listed = next(i for i, r in enumerate(runs) if "editions.sh list" in r)
    built = next(i for i, r in enumerate(runs) if "jupyter-book build" in r)
    printed = next(i for i, r in enumerate(runs) if "book_pdf.py" in r)
    added = next(i for i, r in enumerate(runs) if "editions.sh add" in r)
    upload = next(
        i
        for i, s in enumerate(steps)
        if s.get("uses", "").startswith("actions/upload-pages-artifact@")
    )
    assert listed < built < printed < added < upload
    tags = "${{ steps.%s.outputs.tags }}" % steps[listed]["id"]
    assert steps[built]["env"][EDITIONS_ENV] == tags
    assert runs[added].endswith(tags)


FAKE_GH = """#!/usr/bin/env bash
# gh, as far as editions.sh uses it: the releases and their site archives.
if [ "$1 $2" = "release list" ]; then
  printf '%s\\n' 2025.2 notebooks-2025.2 2026.1 v0.9 2026.10 2026.2
elif [ "$1 $2" = "release download" ]; then
  cat "$FAKE_RELEASES/$3.tar.gz"
fi
"""


@pytest.fixture
def fake_gh(tmp_path) -> dict:
    """An environment whose gh serves releases from a folder."""
    bin_ = tmp_path / "bin"
    bin_.mkdir()
    (bin_ / "gh").write_text(FAKE_GH)
    (bin_ / "gh").chmod(0o755)
    releases = tmp_path / "releases"
    releases.mkdir()
    for tag in ("2026.1", "2025.2"):
        site = tmp_path / f"site-{tag}"
        (site / "book").mkdir(parents=True)
        (site / "book" / "index.html").write_text(tag)
        with tarfile.open(releases / f"{tag}.tar.gz", "w:gz") as tar:
            tar.add(site, arcname=".")
    return {
        **os.environ,
        "PATH": f"{bin_}:{os.environ['PATH']}",
        "FAKE_RELEASES": str(releases),
    }


def test_the_editions_are_the_releases_tagged_year_dot_n(fake_gh):
    listed = subprocess.run(
        ["bash", str(EDITIONS_SH), "list"],
        env=fake_gh,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert listed == ["2026.10", "2026.2", "2026.1", "2025.2"]
    assert listed == editions({EDITIONS_ENV: " ".join(listed)})


def test_each_edition_is_unpacked_in_its_own_folder(fake_gh, tmp_path):
    site = tmp_path / "html"
    site.mkdir()
    subprocess.run(
        ["bash", str(EDITIONS_SH), "add", str(site), "2026.1", "2025.2"],
        env=fake_gh,
        check=True,
    )
    for tag in ("2026.1", "2025.2"):
        assert (site / tag / "book" / "index.html").read_text() == tag


@pytest.mark.slow
def test_the_latest_sites_landing_page_lists_the_editions(tmp_path):
    book = copy_chapter(tmp_path / "src", "perceptrons")  # the root page
    env = {REPOSITORY_ENV: TEST_REPOSITORY, EDITIONS_ENV: "2026.1 2026.2"}
    result = build_book(book, tmp_path / "out", env=env)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr
    html = tmp_path / "out" / "_build" / "html" / "book"
    soup = BeautifulSoup(
        (html / "perceptrons.html").read_text(), "html.parser"
    )
    assert [a["href"] for a in soup.select("#editions a")] == [
        "../2026.2/index.html",
        "../2026.1/index.html",
    ]
    assert not soup.select(".bd-header-announcement")  # not an edition
    other = BeautifulSoup(
        (html / "bibliography.html").read_text(), "html.parser"
    )
    assert not other.select("#editions")
