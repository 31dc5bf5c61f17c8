"""How fast each chapter page is on a phone, and what it weighs: Lighthouse, mobile.

    python benchmarks/lighthouse.py [SITE ...]
        [--runs 3] [--json PATH]

SITE is a built site (default ``_build/html``); with several (a build of ``main``
and one of a branch, say) the runs take turns, page by page, so a busy machine
slows them alike. Each site is served with gzip compression on loopback, as a
static host serves it (``coursesite.browsing.serve_site``), and Lighthouse 12
(npm, pinned in ``package.json``) drives Debian's Chromium with the browser
tests' flags (``coursesite.browsing``) and its default mobile settings: a simulated mid-range
phone on slow 4G. Every chapter page of the toc is measured ``--runs`` times and
the table gives, per page, the medians of the performance score, First and
Largest Contentful Paint, Cumulative Layout Shift and Total Blocking Time,
and when the page first painted in the unthrottled run Lighthouse simulates
from ("paint seen"): when headless Chromium held that paint back (Lighthouse
issue #17148), it reads over a second, and the simulated paints are late.

Its weight columns are the book's one page-weight measure: every request
the page makes while it loads (HTML, style sheets, scripts, fonts, images),
before compression (the files' sizes) and as transferred (gzip, headers
included), as Lighthouse records them.

Prints one table per site, and writes every run's figures to JSON (default
``artifacts/benchmark-lighthouse.json``).
"""

import argparse
import datetime
import json
import os
import statistics
import subprocess
import tempfile
from pathlib import Path

from coursesite import book
from coursesite.browsing import CHROMIUM, CHROMIUM_ARGS, serve_site

REPO = Path(__file__).resolve().parents[1]
LIGHTHOUSE = REPO / "node_modules" / "lighthouse" / "cli" / "index.js"
#: The issue's targets (medians of three runs, every chapter page).
TARGETS = {
    "score": 90,
    "lcp_s": 2.5,
    "cls": 0.1,
    "tbt_ms": 200,
    "heaviest_mb": 1.5,
}


def lighthouse(url: str, report: Path) -> dict:
    """One Lighthouse run (performance only, mobile) of ``url``; its report."""
    if not LIGHTHOUSE.is_file():
        raise SystemExit(
            f"lighthouse: {LIGHTHOUSE} is missing; run `npm ci "
            "--ignore-scripts` in the repository root (package.json pins it)."
        )
    subprocess.run(
        [
            "node",
            str(LIGHTHOUSE),
            url,
            "--only-categories=performance",
            "--output=json",
            f"--output-path={report}",
            "--quiet",
            f"--chrome-flags={' '.join(CHROMIUM_ARGS)}",
        ],
        env={**os.environ, "CHROME_PATH": CHROMIUM},
        check=True,
    )
    return json.loads(report.read_text())


def figures(report: dict) -> dict:
    """The run's score, paints, shift, blocking time and weight, and when
    the unthrottled page first painted: headless Chromium sometimes holds
    that paint back by whole seconds (Lighthouse issue #17148), and the
    simulation then counts every file fetched meanwhile into FCP and LCP."""
    audits = report["audits"]
    requests = audits["network-requests"]["details"]["items"]
    observed = audits["metrics"]["details"]["items"][0]
    return {
        "seen_paint_s": observed["observedFirstContentfulPaint"] / 1000,
        "score": round(report["categories"]["performance"]["score"] * 100),
        "fcp_s": audits["first-contentful-paint"]["numericValue"] / 1000,
        "lcp_s": audits["largest-contentful-paint"]["numericValue"] / 1000,
        "cls": audits["cumulative-layout-shift"]["numericValue"],
        "tbt_ms": audits["total-blocking-time"]["numericValue"],
        "bytes": sum(r.get("resourceSize", 0) for r in requests),
        "transferred": sum(r.get("transferSize", 0) for r in requests),
        "requests": len(requests),
        "offsite": sorted(
            r["url"]
            for r in requests
            if not r["url"].startswith(("http://127.0.0.1", "data:"))
        ),
    }


def medians(runs: list[dict]) -> dict:
    return {
        key: statistics.median(run[key] for run in runs)
        for key in runs[0]
        if key != "offsite"
    }


def measure(sites: list[Path], pages: list[str], runs: int, work: Path):
    """{site: {page: [figures of each run]}}, the sites taking turns."""
    found = {str(site): {page: [] for page in pages} for site in sites}
    with _serving(sites) as bases:
        for round_ in range(runs):
            for page in pages:
                for site, base in zip(sites, bases):
                    report = work / "report.json"
                    run = figures(lighthouse(f"{base}/{page}", report))
                    found[str(site)][page].append(run)
                    print(
                        f"run {round_ + 1}/{runs} {site} {page}: "
                        f"{run['score']}, LCP {run['lcp_s']:.2f} s",
                        flush=True,
                    )
    return found


class _serving:
    """Every site served (compressed) at once; yields their base URLs."""

    def __init__(self, sites: list[Path]):
        self.servers = [serve_site(site, compress=True) for site in sites]

    def __enter__(self) -> list[str]:
        return [server.__enter__() for server in self.servers]

    def __exit__(self, *exc) -> None:
        for server in reversed(self.servers):
            server.__exit__(*exc)


def table(by_page: dict[str, list[dict]]) -> str:
    """The site's medians per page, as the Markdown table the README shows."""
    lines = [
        "| page | score | FCP | LCP | CLS | TBT | weight | transferred "
        "| paint seen |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for page, runs in by_page.items():
        m = medians(runs)
        lines.append(
            f"| `{page}` | {m['score']:.0f} | {m['fcp_s']:.1f} s | "
            f"{m['lcp_s']:.1f} s | {m['cls']:.3f} | {m['tbt_ms']:.0f} ms | "
            f"{m['bytes'] / 1e6:.2f} MB | {m['transferred'] / 1e6:.2f} MB | "
            f"{m['seen_paint_s']:.2f} s |"
        )
    return "\n".join(lines)


def gaps(by_page: dict[str, list[dict]]) -> list[str]:
    """Each target a page misses (medians), in words."""
    missed = []
    for page, runs in by_page.items():
        m = medians(runs)
        checks = (
            (m["score"] < TARGETS["score"], f"score {m['score']:.0f}"),
            (m["lcp_s"] > TARGETS["lcp_s"], f"LCP {m['lcp_s']:.1f} s"),
            (m["cls"] > TARGETS["cls"], f"CLS {m['cls']:.3f}"),
            (m["tbt_ms"] > TARGETS["tbt_ms"], f"TBT {m['tbt_ms']:.0f} ms"),
            (
                m["bytes"] / 1e6 > TARGETS["heaviest_mb"],
                f"weight {m['bytes'] / 1e6:.2f} MB",
            ),
        )
        missed += [f"{page}: {what}" for failed, what in checks if failed]
    return missed


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "sites", type=Path, nargs="*", default=[REPO / "_build" / "html"]
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--json",
        type=Path,
        default=REPO / "artifacts" / "benchmark-lighthouse.json",
    )
    args = parser.parse_args(argv)
    pages = [f"{doc}.html" for doc in book.chapters(REPO)]
    for site in args.sites:
        missing = [p for p in pages if not (site / p).is_file()]
        if missing:
            raise SystemExit(
                f"lighthouse: {site} lacks {missing}; build the book first "
                "(jupyter-book build . -W -n --keep-going) and pass its "
                "_build/html folder."
            )
    started = datetime.datetime.now().isoformat(timespec="minutes")
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="benchmark-lighthouse-") as work:
        found = measure(args.sites, pages, args.runs, Path(work))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(
        json.dumps({"date": started, "load": load, "sites": found}, indent=2)
    )
    print(
        f"\n{started}, {os.cpu_count()} cores, load average {load:.1f} at "
        f"start; medians of {args.runs} runs"
    )
    for site, by_page in found.items():
        offsite = {
            u
            for runs in by_page.values()
            for r in runs
            for u in r["offsite"]
        }
        print(f"\n{site}\n\n{table(by_page)}\n")
        print("requests that left the machine:", sorted(offsite) or "none")
        print("missed targets:", "; ".join(gaps(by_page)) or "none")
    print(f"\nfigures: {args.json}")


if __name__ == "__main__":
    main()
