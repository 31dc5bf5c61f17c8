"""The status page's table of cached runs: read from run.json files, never from the weights."""

import json

import pytest
from bs4 import BeautifulSoup

from dlcourse import runs
from dlcourse.status import run_rows, runs_table


def write_run(root, name, key, metrics):
    """A run folder as dlcourse.runs.train writes it (run.json and metrics.json; no weights needed)."""
    folder = root / name
    folder.mkdir(parents=True)
    provenance = {
        "device": "NVIDIA H100",
        "wall_time_s": 42.4,
        "date": "2026-11-27T10:00:00+00:00",
        "torch": "2.14.1",
    }
    (folder / "run.json").write_text(
        json.dumps({"name": name, "key": key, "provenance": provenance})
    )
    (folder / "metrics.json").write_text(json.dumps(metrics))


def test_no_runs_at_all_is_a_table_of_missing_runs(tmp_path):
    rows = run_rows(tmp_path)
    assert [row["name"] for row in rows] == list(runs.RECIPES)
    assert {row["state"] for row in rows} == {"missing"}
    table = runs_table(rows)
    for name in runs.RECIPES:
        assert runs.retrain_command(name) in table


def test_a_run_is_current_only_while_its_key_matches(tmp_path):
    write_run(
        tmp_path,
        "lecture",
        runs.current_key("lecture"),
        {"test_accuracy": 0.9871, "batch_loss": [2.3, 0.1]},
    )
    write_run(tmp_path, "improved", "0" * 64, {"test_accuracy": 0.99})
    rows = {row["name"]: row for row in run_rows(tmp_path)}
    assert rows["lecture"]["state"] == "current"
    assert rows["improved"]["state"] == "stale"
    assert rows["lecture"]["metrics"] == {
        "test_accuracy": 0.9871
    }  # the curves are left out
    table = runs_table(list(rows.values()))
    assert "| `lecture` | current | NVIDIA H100 | 42 s | 98.71% |" in table


def test_runs_without_accuracy_show_their_other_metrics(tmp_path):
    name = next(
        n
        for n, recipe in runs.RECIPES.items()
        if recipe["kind"] != "classifier"
    )
    write_run(
        tmp_path, name, "0" * 64, {"test_loss": 0.01234, "epoch_loss": [0.1]}
    )
    row = next(row for row in run_rows(tmp_path) if row["name"] == name)
    assert row["accuracy"] is None
    assert "| n/a | test_loss 0.01234 |" in runs_table([row])


@pytest.mark.slow
def test_status_page_lists_every_executed_page_and_every_run(built_book):
    soup = BeautifulSoup(
        (built_book / "html" / "book" / "status.html").read_text(),
        "html.parser",
    )
    exec_table, runs_table_html = soup.select("article table")
    listed = {
        row.select_one("td").get_text(strip=True)
        for row in exec_table.select("tbody tr")
    }
    executed = built_book / "jupyter_execute"
    assert listed == {
        p.relative_to(executed).with_suffix("").as_posix()
        for p in executed.rglob("*.ipynb")
    }
    assert [
        row.select_one("td").get_text(strip=True)
        for row in runs_table_html.select("tbody tr")
    ] == list(runs.RECIPES)
