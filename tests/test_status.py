"""The status page's table of cached runs: every run checked as the book
loads it, so a tampered run shows as corrupt and a stale one gives its
command."""

import json
import shutil

import pytest
from bs4 import BeautifulSoup

from coursesite import runs
from coursesite.status import run_rows, runs_table


@pytest.fixture
def committed(tmp_path):
    """A copy of the committed runs, to damage."""
    for name in runs.RECIPES:
        shutil.copytree(runs.RUNS_ROOT / name, tmp_path / name)
    return tmp_path


def rows_by_name(root) -> dict[str, dict]:
    return {row["name"]: row for row in run_rows(root)}


def test_no_runs_at_all_is_a_table_of_missing_runs(tmp_path):
    rows = run_rows(tmp_path)
    assert [row["name"] for row in rows] == list(runs.RECIPES)
    assert {row["state"] for row in rows} == {"missing"}
    table = runs_table(rows)
    for name in runs.RECIPES:
        assert f"missing: `{runs.retrain_command(name)}`" in table


def test_committed_runs_are_current_with_their_metrics(committed):
    rows = rows_by_name(committed)
    assert {row["state"] for row in rows.values()} == {"current"}
    lecture = rows["lecture"]
    accuracy = json.loads(
        (committed / "lecture" / "metrics.json").read_text()
    )["test_accuracy"]
    assert lecture["metrics"]["test_accuracy"] == accuracy
    assert set(lecture["metrics"]) == {
        "test_loss",
        "test_accuracy",
        "validation_loss",
        "validation_accuracy",
    }
    table = runs_table(list(rows.values()))
    assert f"| `lecture` | current | {lecture['device']} |" in table
    assert f"{accuracy:.2%}" in table
    assert "| n/a | test_loss" in table  # the autoencoders


def test_tampered_runs_show_as_corrupt_and_stale_ones_as_stale(committed):
    metrics = committed / "lecture" / "metrics.json"
    metrics.write_text(metrics.read_text().replace("0.9", "0.8", 1))
    weights = committed / "gan" / "weights.pt"
    data = bytearray(weights.read_bytes())
    data[len(data) // 2] ^= 1
    weights.write_bytes(bytes(data))
    info = json.loads((committed / "dense" / "run.json").read_text())
    (committed / "dense" / "run.json").write_text(
        json.dumps({**info, "key": "0" * 64})
    )
    rows = rows_by_name(committed)
    assert rows["lecture"]["state"] == "corrupt"
    assert rows["gan"]["state"] == "corrupt"
    assert rows["dense"]["state"] == "stale"
    assert rows["improved"]["state"] == "current"
    table = runs_table(list(rows.values()))
    assert f"stale: `{runs.retrain_command('dense')}`" in table
    assert f"corrupt: `{runs.retrain_command('gan')}`" in table


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
