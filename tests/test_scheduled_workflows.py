"""The workflows that keep the course working after publication, checked
offline: what they run, when, and with which permissions.

The weekly checks run unpinned packages and the book's code, so those jobs
may only read; one job that runs none of it files the issue. Every action
is pinned by commit, with the same pins as the publishing workflow.
"""

import re
import subprocess

import pytest
import yaml
from helpers import REPO

WORKFLOWS = REPO / ".github" / "workflows"
PIN = re.compile(r"([\w.-]+/[\w.-]+)@([0-9a-f]{40}) # (v\d+\.\d+\.\d+)")


def load(name: str) -> dict:
    return yaml.safe_load((WORKFLOWS / name).read_text())


def triggers(workflow: dict) -> dict:
    return workflow.get("on", workflow.get(True))  # YAML 1.1: on is true


def runs(job: dict) -> str:
    return "\n".join(step.get("run", "") for step in job["steps"])


def uses(name: str) -> list[str]:
    """Every ``uses:`` of a workflow file, as written."""
    return [
        line.split("uses:", 1)[1].strip()
        for line in (WORKFLOWS / name).read_text().splitlines()
        if line.strip().lstrip("- ").startswith("uses:")
    ]


def pins(name: str) -> dict[str, tuple[str, str]]:
    """{action: (commit, release)} of a workflow; each pinned by commit."""
    found = {}
    for use in uses(name):
        m = PIN.fullmatch(use)
        assert m, f"{name}: not pinned by commit with # vX.Y.Z: {use}"
        found[m[1]] = (m[2], m[3])
    return found


@pytest.fixture(scope="module")
def weekly() -> dict:
    return load("weekly.yml")


def test_weekly_runs_on_a_schedule_and_by_hand_only(weekly):
    on = triggers(weekly)
    assert set(on) == {"schedule", "workflow_dispatch"}
    (cron,) = [entry["cron"] for entry in on["schedule"]]
    minute, hour, day, month, weekday = cron.split()
    assert day == month == "*" and weekday.isdigit(), cron


def test_weekly_actions_are_the_publishing_workflows_pins():
    weekly, publish = pins("weekly.yml"), pins("publish.yml")
    assert weekly and set(weekly) <= set(publish)
    for action, pin in weekly.items():
        assert pin == publish[action], action


def test_weekly_runs_todays_releases_and_the_link_check(weekly):
    jobs = weekly["jobs"]
    assert "bash tools/latest.sh _build/html" in runs(jobs["latest"])
    (latest,) = [
        s for s in jobs["latest"]["steps"] if s.get("id") == "check"
    ]
    if "| tee" in latest["run"]:  # GitHub's bash adds pipefail
        assert latest["shell"] == "bash"
    assert "--builder linkcheck" in runs(jobs["links"])
    # where Jupyter Book 1 has Sphinx's linkcheck write its report
    assert "_build/html/output.txt" in runs(jobs["links"])
    for name in ("latest", "links"):
        (check,) = [s for s in jobs[name]["steps"] if s.get("id") == "check"]
        # a failure is reported, not the end of the run
        assert check["continue-on-error"] is True, name
        env = {
            k: v
            for step in jobs[name]["steps"]
            for k, v in step.get("env", {}).items()
        }
        assert env["BOOK_REPOSITORY_URL"].endswith("{{ github.repository }}")
    report = jobs["report"]
    assert set(report["needs"]) == {"latest", "links"}
    assert report["if"] == "always()"
    assert "gh issue create" in runs(report)
    assert "gh issue edit" in runs(report)


def test_only_the_report_job_writes_and_it_runs_no_book_code(weekly):
    assert weekly["permissions"] == {}
    for name, job in weekly["jobs"].items():
        if name == "report":
            assert job["permissions"] == {"issues": "write"}
            text = runs(job) + " ".join(
                s.get("uses", "") for s in job["steps"]
            )
            for code in (
                "checkout",
                "pip install",
                "tools/",
                "jupyter-book",
            ):
                assert code not in text, code
        else:
            assert job["permissions"] == {"contents": "read"}, name
            checkout = job["steps"][0]
            assert checkout["uses"].startswith("actions/checkout@")
            assert checkout["with"]["persist-credentials"] is False, name


def test_the_link_check_retries_and_names_what_it_skips():
    config = yaml.safe_load((REPO / "_config.yml").read_text())["sphinx"][
        "config"
    ]
    assert config["linkcheck_retries"] >= 2
    assert config["linkcheck_timeout"] >= 10
    skipped = [re.compile(p) for p in config["linkcheck_ignore"]]
    assert any(
        p.match("https://mybinder.org/v2/gh/a/b/notebooks") for p in skipped
    )
    # the course's own arXiv references stay checked
    assert not any(
        p.match("https://arxiv.org/abs/1412.6980") for p in skipped
    )


def test_latest_is_not_part_of_ci():
    assert "latest.sh" not in (REPO / ".ci" / "run").read_text()
    result = subprocess.run(
        ["bash", "-n", str(REPO / "tools" / "latest.sh")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
