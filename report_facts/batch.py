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

import gc
import multiprocessing
from collections.abc import Callable, Iterator, Sequence
from multiprocessing.connection import Connection, wait
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


def _child(tasks: multiprocessing.Queue, results: Connection, fn: Callable) -> None:
    from pipeline.chars import close_readers

    close_readers()  # the host's readers are not this process's children
    while (group := tasks.get()) is not None:
        for index, item in group:
            results.send((index, fn(item)))  # written before the next document starts: a crash loses no result
    results.close()


def run_forked(
    groups: Sequence[Sequence[T]], processes: int, fn: Callable[[T], R], lost: Callable[[T, str], R]
) -> Iterator[R]:
    """``fn`` of every item, its group's items in order in one forked process; results as they come.

    Items a dead process never reported on get ``lost(item, reason)``.
    """
    ctx = multiprocessing.get_context("fork")
    tasks = ctx.Queue()
    indexed: list[list[tuple[int, T]]] = []
    n = 0
    for group in groups:
        indexed.append([(n + i, item) for i, item in enumerate(group)])
        n += len(group)
    for group in [*indexed, *[None] * processes]:
        tasks.put(group)
    items = {index: item for group in indexed for index, item in group}
    children: dict[Connection, multiprocessing.Process] = {}
    gc.freeze()  # the host's objects (Dagster, the model) stay out of the children's collections
    try:
        for _ in range(processes):
            receiver, sender = ctx.Pipe(duplex=False)
            child = ctx.Process(target=_child, args=(tasks, sender, fn))
            child.start()
            sender.close()
            children[receiver] = child
    finally:
        gc.unfreeze()
    started = list(children.values())
    try:
        while children:
            for conn in wait(list(children)):
                try:
                    index, result = conn.recv()
                except EOFError:  # the child is done (or died): every result it sent came before
                    children.pop(conn).join()
                    continue
                items.pop(index)
                yield result
        exits = ", ".join(sorted({str(child.exitcode) for child in started if child.exitcode}))
        for index in sorted(items):
            yield lost(items.pop(index), f"its document process exited (code {exits or '?'})")
    finally:
        for child in children.values():
            child.terminate()
            child.join()
