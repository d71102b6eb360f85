"""Sizing from bench figures: the per-page and per-document costs come back out of the rows they make up."""

import math

import pytest

from report_facts import sizing
from report_facts.bench import COLD_ONE, COLLECTION, E2E, MULTI_ONE

PAGE = {"wall_s": 0.1, "cpu_s": 0.2, "peak_rss_mib": 2.0}
DOC = {"wall_s": 2.0, "cpu_s": 1.5}
RUN = {"wall_s": 5.0, "cpu_s": 6.0}
START = {"wall_s": 4.0, "cpu_s": 3.0}


def _row(pages: int, documents: int, runs: float = 0.0, mib: float = 300.0) -> dict:
    """What a cold process costs for ``documents`` documents of ``pages`` pages in all."""
    row = {key: START[key] + documents * DOC[key] + pages * PAGE[key] + runs * RUN[key] for key in DOC}
    return row | {"peak_rss_mib": mib + (pages - 2) * PAGE["peak_rss_mib"] if documents == 1 else mib}


def _result() -> dict:
    return {
        "pdf": "/x/report.pdf",
        "pages": 90,
        "rows": {
            E2E: _row(90, 1),
            COLD_ONE: _row(2, 1),
            f"{COLLECTION} (12 x 2 pages)": _row(24, 12),
            MULTI_ONE: _row(90, 1, runs=1),
        },
    }


def test_costs_are_recovered_from_the_bench_rows():
    found = sizing.costs(_result())
    assert found.page.wall == pytest.approx(PAGE["wall_s"]) and found.page.cpu == pytest.approx(PAGE["cpu_s"])
    assert found.page.mib == pytest.approx(PAGE["peak_rss_mib"]) and found.doc.mib == pytest.approx(300.0)
    assert found.doc.wall == pytest.approx(DOC["wall_s"]) and found.doc.cpu == pytest.approx(DOC["cpu_s"])
    assert found.run.wall == pytest.approx(RUN["wall_s"]) and found.run.cpu == pytest.approx(RUN["cpu_s"])
    assert found.start.wall == pytest.approx(START["wall_s"]) and found.start.cpu == pytest.approx(START["cpu_s"])


def test_workers_cover_the_backfill_in_the_hours_given():
    found = sizing.costs(_result())
    per_report = DOC["wall_s"] + RUN["wall_s"] + 50 * PAGE["wall_s"]  # 12 s
    assert found.workers(10_000, 50, 24) == math.ceil(10_000 * per_report / (24 * 3600)) == 2
    assert found.workers(10_000, 50, 8) == 5
    text = "\n".join(sizing.lines(_result()))
    assert "| 8 | " in text and "core-hours" in text and "90 pages" in text


def test_without_the_collection_rows_there_is_no_table():
    result = _result()
    del result["rows"][MULTI_ONE]
    assert sizing.costs(result) is None
    assert "needs the collection" in sizing.lines(result)[0]
