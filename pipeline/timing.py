"""Named stage timers (wall and CPU), so the benchmark can report where time goes inside one process."""

from __future__ import annotations

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
