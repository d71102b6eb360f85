"""Document processes: the documents of one ``report-facts run`` spread over the cores.

A collection of short documents is mostly fixed cost per document (a Dagster run, its event
log, the commit), which one process pays one document after the other on one core. Here the
host imports everything and loads the models once, then forks ``processes`` children that
share them copy-on-write; each child takes the next group of documents off a queue and runs
them one after the other (its own reader processes live across them). Documents of one
report series form one group, in the host's order, so an edition is always compared with
the editions before it exactly as a run one document after the other would.
"""

from __future__ import annotations

import multiprocessing
import queue
from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

_POLL_SECONDS = 1.0


class ProcessDied(RuntimeError):
    """A document process exited before reporting on every document it had taken."""


def _child(tasks: multiprocessing.Queue, results: multiprocessing.Queue, fn: Callable) -> None:
    from pipeline.chars import close_readers

    close_readers()  # the host's readers are not this process's children
    while (group := tasks.get()) is not None:
        for index, item in group:
            results.put((index, fn(item)))


def run_forked(
    groups: Sequence[Sequence[T]], processes: int, fn: Callable[[T], R], lost: Callable[[T, str], R]
) -> Iterator[R]:
    """``fn`` of every item, its group's items in order in one forked process; results as they come.

    Items a dead process never reported on get ``lost(item, reason)``.
    """
    ctx = multiprocessing.get_context("fork")
    tasks, results = ctx.Queue(), ctx.Queue()
    indexed: list[list[tuple[int, T]]] = []
    n = 0
    for group in groups:
        indexed.append([(n + i, item) for i, item in enumerate(group)])
        n += len(group)
    for group in indexed:
        tasks.put(group)
    children = [ctx.Process(target=_child, args=(tasks, results, fn)) for _ in range(processes)]
    for _ in children:
        tasks.put(None)
    for child in children:
        child.start()
    items = {index: item for group in indexed for index, item in group}
    try:
        while items:
            try:
                index, result = results.get(timeout=_POLL_SECONDS)
            except queue.Empty:
                if any(child.is_alive() for child in children):
                    continue
                codes = sorted({str(child.exitcode) for child in children})
                for index in sorted(items):
                    yield lost(items.pop(index), f"its document process exited (code {', '.join(codes)})")
                break
            items.pop(index)
            yield result
    finally:
        for child in children:
            if child.is_alive() and items:
                child.terminate()
            child.join()
