"""Named stage timers (wall and CPU), so the benchmark can report where time goes inside one process."""

from __future__ import annotations

import itertools
import json
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass
class Stopwatch:
    wall: dict[str, float] = field(default_factory=dict)
    cpu: dict[str, float] = field(default_factory=dict)

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        w, c = time.perf_counter(), time.process_time()
        try:
            yield
        finally:
            self.wall[name] = self.wall.get(name, 0.0) + time.perf_counter() - w
            self.cpu[name] = self.cpu.get(name, 0.0) + time.process_time() - c


@contextmanager
def maybe(watch: Stopwatch | None, name: str) -> Iterator[None]:
    """``watch.stage(name)`` when timing, nothing otherwise."""
    if watch is None:
        yield
    else:
        with watch.stage(name):
            yield


STAGE_LOG_ENV = "REPORT_FACTS_STAGE_LOG"


def mark(document_id: str, stage: str) -> None:
    """Note the moment ``stage`` of a document starts in the file ``$REPORT_FACTS_STAGE_LOG`` names
    (one JSON line, system-wide monotonic clock, any process), so ``make bench`` can tell the fixed
    cost per document (run creation, event-log writes, reading back) from the work. No file, no cost."""
    path = os.environ.get(STAGE_LOG_ENV)
    if path:
        with open(path, "a", encoding="utf-8") as f:
            f.write(json.dumps({"t": time.monotonic(), "document": document_id, "stage": stage}) + "\n")


def stage_durations(lines: list[str]) -> dict[str, float]:
    """Seconds per stage summed over documents: from a stage's mark to the document's next mark."""
    by_doc: dict[str, list[tuple[float, str]]] = {}
    for line in lines:
        r = json.loads(line)
        by_doc.setdefault(r["document"], []).append((r["t"], r["stage"]))
    out: dict[str, float] = {}
    for marks in by_doc.values():
        marks.sort()
        for (t, stage), (t_next, _) in itertools.pairwise(marks):
            out[stage] = out.get(stage, 0.0) + t_next - t
    return out
