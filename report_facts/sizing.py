"""Sizing a backfill from ``make bench`` figures: cost per page and per document, and workers for N reports in H hours.

Four bench rows, each a cold ``report-facts run`` process, separate the costs (``t`` stands for
wall seconds, CPU-seconds or peak MiB alike):

- ``page``  = (report - cold) / (report pages - 2)  the whole report against one two-page document;
- ``doc``   = (collection - cold - (2n - 2) page) / (n - 1)  n two-page documents in one run against
  one: what each further document costs inside a running process (run creation, steps, commit);
- ``run``   = multiprocess - report  the same report under the multiprocess executor, which a
  worker's run uses (``process_document``): its step processes and their preloaded server;
- ``start`` = cold - doc - 2 page  importing Dagster and spaCy and loading the model, paid once
  per worker process, not per document.

A worker (one Celery worker, ``--concurrency=1``, two cores: a document's page readers and model
workers use both) spends ``T(P) = doc + run + P * page`` wall seconds on a report of P pages, so

    workers = ceil(N * T(P) / (H * 3600))

and the backfill uses ``N * (cpu_doc + cpu_run + P * cpu_page) / 3600`` core-hours. Peak memory is
the largest process's: about ``peak(cold) + (P - 2) * mib_page`` for a P-page report.

``python -m report_facts.sizing [bench-results.json]`` prints the README's sizing tables from a
bench result; ``make bench`` prints them at its end.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from report_facts.bench import COLD_ONE, COLLECTION, E2E, MULTI_ONE

REPORTS = 10_000
HOURS = (8, 24, 72, 168)
WALL, CPU, MIB = "wall_s", "cpu_s", "peak_rss_mib"


@dataclass(frozen=True)
class Cost:
    """One cost in wall seconds, CPU-seconds and peak MiB (None where the bench gives no figure)."""

    wall: float
    cpu: float
    mib: float | None = None


@dataclass(frozen=True)
class Costs:
    page: Cost
    doc: Cost  # mib: the peak of one two-page document from cold, the smallest a run needs
    run: Cost
    start: Cost
    report_pages: int

    def seconds(self, pages: float) -> float:
        """Wall seconds of one worker on one report of ``pages`` pages."""
        return self.doc.wall + self.run.wall + pages * self.page.wall

    def cpu(self, pages: float) -> float:
        return self.doc.cpu + self.run.cpu + pages * self.page.cpu

    def peak_mib(self, pages: float) -> float:
        return self.doc.mib + (pages - 2) * self.page.mib

    def workers(self, reports: int, pages: float, hours: float) -> int:
        return math.ceil(reports * self.seconds(pages) / (hours * 3600))


def costs(result: dict) -> Costs | None:
    """The costs from a bench result (``bench-results.json``); None without the collection and
    multiprocess rows (``--no-collection``)."""
    rows = result["rows"]
    collection = next((name for name in rows if name.startswith(COLLECTION)), None)
    if collection is None or MULTI_ONE not in rows or COLD_ONE not in rows:
        return None
    n, pages_each = map(int, re.search(r"\((\d+) x (\d+) pages\)", collection).groups())
    report, cold, many, multi = rows[E2E], rows[COLD_ONE], rows[collection], rows[MULTI_ONE]
    pages = result["pages"]

    def per_page(key: str) -> float:
        return (report[key] - cold[key]) / (pages - pages_each)

    def per_doc(key: str) -> float:
        return (many[key] - cold[key] - (n - 1) * pages_each * per_page(key)) / (n - 1)

    page = Cost(per_page(WALL), per_page(CPU), per_page(MIB))
    doc = Cost(per_doc(WALL), per_doc(CPU), cold[MIB])
    run = Cost(multi[WALL] - report[WALL], multi[CPU] - report[CPU])
    start = Cost(cold[WALL] - doc.wall - pages_each * page.wall, cold[CPU] - doc.cpu - pages_each * page.cpu)
    return Costs(page, doc, run, start, pages)


def lines(result: dict, reports: int = REPORTS) -> list[str]:
    """The README's sizing section body: the costs, then workers for ``reports`` reports per hours and pages."""
    found = costs(result)
    if found is None:
        return ["(sizing needs the collection and multiprocess rows: run make bench without --no-collection)"]
    sizes = sorted({20, found.report_pages, 300})
    out = [
        f"Costs from `make bench` on {Path(result['pdf']).name} ({found.report_pages} pages):",
        "",
        "| cost | wall s | CPU-s | peak MiB |",
        "|---|---|---|---|",
        f"| per page | {found.page.wall:.3f} | {found.page.cpu:.3f} | {found.page.mib:.2f} |",
        f"| per document, in a running process | {found.doc.wall:.2f} | {found.doc.cpu:.2f} | "
        f"{found.doc.mib:.0f} (a two-page document) |",
        f"| per run, multiprocess executor (a worker's run) | {found.run.wall:.2f} | {found.run.cpu:.2f} | |",
        f"| process start-up, once per worker | {found.start.wall:.2f} | {found.start.cpu:.2f} | |",
        "",
        f"Workers (two cores each) for a backfill of {reports:,} reports, by average report length:",
        "",
        "| hours | " + " | ".join(f"{p} pages" for p in sizes) + " |",
        "|---|" + "---|" * len(sizes),
    ]
    for hours in HOURS:
        out.append(f"| {hours} | " + " | ".join(str(found.workers(reports, p, hours)) for p in sizes) + " |")
    out += [
        "| per report: wall s / CPU-s / peak MiB | "
        + " | ".join(f"{found.seconds(p):.1f} / {found.cpu(p):.1f} / {found.peak_mib(p):.0f}" for p in sizes)
        + " |",
        "| core-hours for the backfill | " + " | ".join(f"{reports * found.cpu(p) / 3600:,.0f}" for p in sizes) + " |",
    ]
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("result", type=Path, nargs="?", default=Path("bench-results.json"), help="a bench result")
    parser.add_argument("--reports", type=int, default=REPORTS, help=f"reports in the backfill (default {REPORTS:,})")
    args = parser.parse_args(argv)
    print("\n".join(lines(json.loads(args.result.read_text()), args.reports)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
