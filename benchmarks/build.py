"""Measure the instructor's loop: build, rebuild, edit, rebuild, on the machine it runs on.

    python benchmarks/build.py [--skip-tests] [--json PATH]

Works on a throwaway copy of the repository (its tracked and not-ignored files),
so the repository itself is never touched. The copy's own package is the one the
builds import (PYTHONPATH), so editing a module in the copy is seen by the build.
Measures:

* clean build (no _build, no execution cache) with the README's build command;
* rebuild with nothing changed;
* rebuild after editing one chapter's prose (a paragraph appended);
* rebuild after editing one package module (a line appended): the pages that
  import it run again, the others come from the cache;
* the test suite's time (the README's test command, in the copy; --skip-tests to skip).

Each page's weight, everything it loads counted, is measured by
benchmarks/lighthouse.py, with its speed on a phone.

Prints a table and writes the figures to JSON (default artifacts/benchmark-build.json),
with each command's output in a folder beside it (artifacts/benchmark-build.logs/).
"""

import argparse
import datetime
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from coursesite import book

REPO = Path(__file__).resolve().parents[1]
BUILD = book.build_command(Path("."))
TESTS = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
#: The edits the rebuild measurements make, in the copy.
PROSE_EDIT = (
    "book/activations.md",
    "\nA paragraph added by benchmarks/build.py, to time a prose-only "
    "rebuild.\n",
)
MODULE_EDIT = (
    "code/dlcourse/activations.py",
    "\n# A line added by benchmarks/build.py, to time a rebuild after a "
    "module edit.\n",
)
TARGETS = {
    "clean_build_s": 150,
    "nothing_changed_s": 20,
}
#: Ignored folders the build needs from the checkout (installed assets), linked into the copy.
LINKED = ("node_modules",)


def throwaway_copy(dest: Path) -> Path:
    """The repository's tracked and not-ignored files, copied; installed assets linked."""
    listed = subprocess.run(
        [
            "git",
            "ls-files",
            "-z",
            "--cached",
            "--others",
            "--exclude-standard",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    for name in filter(None, listed.split("\0")):
        src = REPO / name
        if src.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / name)
    for name in LINKED:
        if (REPO / name).exists():
            (dest / name).symlink_to(REPO / name)
    return dest


def timed(
    cmd: list[str], cwd: Path, env: dict, log: Path
) -> tuple[float, subprocess.CompletedProcess]:
    """Wall time of a command; its output goes to ``log``."""
    start = time.perf_counter()
    result = subprocess.run(
        cmd, cwd=cwd, env=env, capture_output=True, text=True
    )
    seconds = time.perf_counter() - start
    log.parent.mkdir(parents=True, exist_ok=True)
    log.write_text(result.stdout + result.stderr)
    return seconds, result


#: What the slides extension (``_ext/slides.py``) logs at the end of a
#: build: the decks it wrote and the time they took.
DECKS_LINE = re.compile(r"slides: (\d+) decks written in ([\d.]+) s")


def decks_time(output: str) -> dict:
    """The decks a build wrote and the seconds they added, from its log."""
    found = DECKS_LINE.findall(output)
    if not found:
        return {"decks": 0, "seconds": 0.0}
    decks, seconds = found[-1]
    return {"decks": int(decks), "seconds": float(seconds)}


def build(copy: Path, env: dict, log: Path) -> dict:
    """Time one build; name the pages it executed and the decks it wrote."""
    before = book.cache_records(copy / "_build")
    seconds, result = timed(BUILD, copy, env, log)
    if result.returncode != 0:  # a failed build's time means nothing
        sys.exit(
            f"{log.stem} failed (exit {result.returncode}); log: "
            f"{log}\n{(result.stdout + result.stderr)[-3000:]}"
        )
    after = book.cache_records(copy / "_build")
    return {
        "seconds": round(seconds, 1),
        "executed": sorted(
            p for p, pk in after.items() if before.get(p) != pk
        ),
        "slides": decks_time(result.stdout + result.stderr),
    }


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text() + text)


def machine() -> dict:
    cpu = (
        next(
            (
                line.split(":", 1)[1].strip()
                for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")
            ),
            platform.processor(),
        )
        if Path("/proc/cpuinfo").exists()
        else platform.processor()
    )
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "system": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "load_average_at_start": os.getloadavg()[0],
    }


def measure(work: Path, logs: Path, skip_tests: bool) -> dict:
    copy = throwaway_copy(work / "repo")
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(
            filter(None, [str(copy / "code"), os.environ.get("PYTHONPATH")])
        ),
    }
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],
        cwd=REPO,
        capture_output=True,
        text=True,
    ).stdout.strip()
    results = {
        "date": datetime.datetime.now().isoformat(timespec="minutes"),
        "commit": commit,
        "machine": machine(),
        "build_command": "jupyter-book build . -W -n --keep-going",
    }
    results["clean_build"] = build(copy, env, logs / "clean-build.log")
    results["nothing_changed"] = build(
        copy, env, logs / "nothing-changed.log"
    )
    append(copy / PROSE_EDIT[0], PROSE_EDIT[1])
    results["prose_edit"] = {
        **build(copy, env, logs / "prose-edit.log"),
        "edited": PROSE_EDIT[0],
    }
    append(copy / MODULE_EDIT[0], MODULE_EDIT[1])
    results["module_edit"] = {
        **build(copy, env, logs / "module-edit.log"),
        "edited": MODULE_EDIT[0],
    }
    if not skip_tests:
        # the suite builds into its own temporary folders
        shutil.rmtree(copy / "_build")
        seconds, result = timed(TESTS, copy, env, logs / "test-suite.log")
        summary = (result.stdout.strip().splitlines() or [""])[-1]
        results["test_suite"] = {
            "seconds": round(seconds, 1),
            "exit_code": result.returncode,
            "summary": summary,
        }
    return results


def table(results: dict) -> str:
    """The figures as the Markdown table the README shows."""
    rows = [
        (
            "clean build",
            f"{results['clean_build']['seconds']:.0f} s",
            f"≤ {TARGETS['clean_build_s']} s",
            f"{len(results['clean_build']['executed'])} pages executed",
        ),
        (
            "rebuild, nothing changed",
            f"{results['nothing_changed']['seconds']:.0f} s",
            f"≤ {TARGETS['nothing_changed_s']} s",
            f"{len(results['nothing_changed']['executed'])} pages executed",
        ),
        (
            "rebuild after a prose edit "
            f"(`{results['prose_edit']['edited']}`)",
            f"{results['prose_edit']['seconds']:.0f} s",
            "",
            f"{len(results['prose_edit']['executed'])} pages executed",
        ),
        (
            "rebuild after a module edit "
            f"(`{results['module_edit']['edited']}`)",
            f"{results['module_edit']['seconds']:.0f} s",
            "",
            "executed: "
            + (", ".join(results["module_edit"]["executed"]) or "none"),
        ),
    ]
    for key, label in (
        ("clean_build", "clean build"),
        ("nothing_changed", "rebuild, nothing changed"),
        ("prose_edit", "rebuild after the prose edit"),
        ("module_edit", "rebuild after the module edit"),
    ):
        slides = results[key]["slides"]
        rows.append(
            (
                f"of which lecture slides ({label})",
                f"{slides['seconds']:.1f} s",
                "",
                f"decks written: {slides['decks']}",
            )
        )
    if "test_suite" in results:
        rows.append(
            (
                "test suite (`python -m pytest`)",
                f"{results['test_suite']['seconds']:.0f} s",
                "",
                results["test_suite"]["summary"].strip("= "),
            )
        )
    lines = ["| measurement | value | target | notes |", "|---|---|---|---|"]
    return "\n".join(lines + [f"| {' | '.join(row)} |" for row in rows])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--skip-tests",
        action="store_true",
        help="do not time the test suite",
    )
    parser.add_argument(
        "--json",
        type=Path,
        default=REPO / "artifacts" / "benchmark-build.json",
        help="where to write the figures",
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="benchmark-build-") as work:
        results = measure(
            Path(work), args.json.with_suffix(".logs"), args.skip_tests
        )
    args.json.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.json.with_name(f".{args.json.name}.tmp")
    tmp.write_text(json.dumps(results, indent=2) + "\n")
    os.replace(tmp, args.json)
    m = results["machine"]
    print(
        f"{results['date']}, commit {results['commit']}, {m['cpu']} "
        f"({m['cores']} cores), load average "
        f"{m['load_average_at_start']:.1f} at start\n"
    )
    print(table(results))
    print(f"\nfigures: {args.json}")


if __name__ == "__main__":
    main()
