"""The state of the cached training runs, for the book's status page.

Reads each run's ``run.json`` and ``metrics.json`` only (never the weights),
so the status page stays fast, and builds whether or not any run was trained
yet.
"""

import json
from pathlib import Path

from dlcourse import runs


def run_state(name: str, info: dict | None) -> str:
    """``missing``, ``current`` or ``stale``: whether the book can use the
    committed run as it is."""
    if info is None:
        return "missing"
    try:
        current = info["key"] == runs.current_key(name)
    except ModuleNotFoundError:  # the code that trains this kind is gone
        return "stale"
    return "current" if current else "stale"


def run_rows(root: Path = runs.RUNS_ROOT) -> list[dict]:
    """One row per recipe: its state, where and how long it trained, and its
    final metrics."""
    rows = []
    for name in runs.RECIPES:
        folder = Path(root) / name
        info = (
            json.loads((folder / "run.json").read_text())
            if (folder / "run.json").exists()
            else None
        )
        metrics = (
            json.loads((folder / "metrics.json").read_text()) if info else {}
        )
        provenance = info["provenance"] if info else {}
        rows.append(
            {
                "name": name,
                "state": run_state(name, info),
                "device": provenance.get("device"),
                "wall_time_s": provenance.get("wall_time_s"),
                "date": provenance.get("date"),
                "accuracy": metrics.get("test_accuracy"),
                "metrics": runs.final_metrics(metrics),
            }
        )
    return rows


def runs_table(rows: list[dict]) -> str:
    """The rows as a Markdown table; a missing run says the command that
    trains it."""
    lines = [
        "| run | state | device | wall time | test accuracy | other final "
        "metrics | trained |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        if row["state"] == "missing":
            lines.append(
                f"| `{row['name']}` | missing: "
                f"`{runs.retrain_command(row['name'])}` | | | | | |"
            )
            continue
        accuracy = (
            f"{row['accuracy']:.2%}"
            if row["accuracy"] is not None
            else "n/a"
        )
        others = (
            ", ".join(
                f"{k} {v:.4g}"
                for k, v in row["metrics"].items()
                if k != "test_accuracy"
            )
            or "n/a"
        )
        lines.append(
            f"| `{row['name']}` | {row['state']} | {row['device']} | "
            f"{row['wall_time_s']:.0f} s | {accuracy} | {others} | "
            f"{row['date'][:10]} |"
        )
    return "\n".join(lines)
