"""The state of the cached training runs, for the book's status page.

Each run is checked exactly as :func:`coursesite.runs.load` checks it
(:func:`coursesite.runs.verify`: checksums, recipe, key), without loading
the weights into a model, so the page shows a tampered run as corrupt and
builds whether or not every run is usable.
"""

import json
from pathlib import Path

from coursesite import runs


def run_rows(root: Path = runs.RUNS_ROOT) -> list[dict]:
    """One row per recipe: its state (current, stale, corrupt or missing),
    where and how long it trained, and its final metrics."""
    rows = []
    for name in runs.RECIPES:
        row = {"name": name, "state": "current", "problem": None}
        try:
            info = runs.verify(name, root)
        except runs.RunError as error:
            row |= {"state": error.state, "problem": str(error)}
            rows.append(row)
            continue
        metrics = json.loads(
            (Path(root) / name / "metrics.json").read_text()
        )
        provenance = info["provenance"]
        rows.append(
            row
            | {
                "device": provenance["device"],
                "wall_time_s": provenance["wall_time_s"],
                "date": provenance["date"],
                "accuracy": metrics.get("test_accuracy"),
                "metrics": runs.final_metrics(metrics),
            }
        )
    return rows


def runs_table(rows: list[dict]) -> str:
    """The rows as a Markdown table; a run that cannot be used says why and
    the command that retrains it."""
    lines = [
        "| run | state | device | wall time | test accuracy | other final "
        "metrics | trained |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        if row["problem"]:
            lines.append(
                f"| `{row['name']}` | {row['state']}: "
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
