"""Character sources: turn a PDF into ``RawPage`` objects (glyphs with typography, ruling edges).

pdfplumber is the reference source; pdfium (``chars_pdfium``) reproduces it several times
faster. Parsing dominates the cost, so long documents are split between reader processes.
"""

from __future__ import annotations

import gc
import multiprocessing
import multiprocessing.pool
import os
import resource
import signal
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from pipeline.chars_pdfium import extract_pages_pdfium, page_count_pdfium
from pipeline.chars_pdfplumber import extract_pages_pdfplumber, keep_files_open, page_count_pdfplumber
from pipeline.model import RawPage

_MIN_PAGES_PER_WORKER = 8
_MIN_PAGES_PER_CHUNK = 4


SOURCES: dict[str, tuple[Callable[[str], int], Callable[[str, Sequence[int]], list[RawPage]]]] = {
    "pdfplumber": (page_count_pdfplumber, extract_pages_pdfplumber),
    # pdfium counts pages too: opening with pdfplumber would cost more than its whole pass on short files
    "pdfium": (page_count_pdfium, extract_pages_pdfium),
}


def configured_char_source() -> str:
    """The character source of the layout step: ``$REPORT_FACTS_CHAR_SOURCE``, else pdfplumber."""
    return os.environ.get("REPORT_FACTS_CHAR_SOURCE", "pdfplumber")


@dataclass(frozen=True)
class Limits:
    """Per-document ceilings for untrusted input: wall time for reading, address space a reader may add."""

    seconds: float | None = 300.0
    memory_mb: int | None = 2048


class LimitExceeded(Exception):
    """Reading the PDF went over a ``Limits`` ceiling."""


def _reader_init(memory_mb: int | None, die_with_parent: bool = False) -> None:
    """Reader process set-up: default signal handling, the memory ceiling, no cyclic GC, and the file
    being read kept open between the runs of its pages (``keep_files_open``).

    A forked reader inherits the host's Python signal handlers; under Dagster's step processes
    SIGTERM is caught, so ``Pool.terminate()`` could not stop an idle reader and the step hung
    joining it. Readers die on SIGTERM and leave SIGINT (Ctrl-C) to the parent, which
    terminates the pool. Allocation-heavy and bounded, they run without automatic cyclic GC and
    collect once after each read instead (``_collected``).
    """
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})  # blocked by the parent across the fork
    if die_with_parent:
        _die_with_parent()
    gc.disable()
    keep_files_open()
    if memory_mb:
        size = _address_space() + memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (size, size))


_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    """SIGTERM when the host goes (Linux): a reader kept across documents would otherwise outlive a host
    that exits without running its finalisers (``os._exit``), blocked forever on its task queue.

    The signal comes when the forking *thread* ends, so it is asked for only by readers forked from
    the main thread (those the pool forks later come from its own long-lived thread)."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    except (OSError, AttributeError):  # not Linux: the host's finalisers terminate the readers
        return


def _address_space() -> int:
    """Bytes of address space this process already has (inherited from its parent at the fork).

    The ceiling is what a reader may add on top: a host that has loaded a model and other
    documents can already hold more address space than the ceiling itself, and a fixed
    limit below that made every allocation of its readers fail.
    """
    try:
        with open("/proc/self/statm", encoding="ascii") as f:
            return int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


class _Readers:
    """The reader processes of this process: forked on first use, kept across documents.

    Forking a host that has imported Dagster and loaded a model costs tens of milliseconds
    per reader, and a collection of short documents paid it for every document; now one
    ``report-facts run`` (or queue worker process) forks its readers once. The pool grows when
    more readers are asked for (a call uses as many as it asks, whichever they are), is replaced
    for another memory ceiling, and is terminated when a limit stops a read (its readers may
    still be busy with the file). A process forked from the host starts without readers: the
    pool's processes are its parent's.
    """

    def __init__(self) -> None:
        self.pool: multiprocessing.pool.Pool | None = None
        self.size = 0
        self.memory_mb: int | None = None
        self.owner = 0
        self.generation = 0  # counts closes: work started in an earlier pool will never finish

    def get(self, workers: int, memory_mb: int | None) -> multiprocessing.pool.Pool:
        if self.pool is not None and (workers > self.size or self.memory_mb != memory_mb or self.owner != os.getpid()):
            self.close()
        if self.pool is None:
            self.pool, self.size = _fork_readers(workers, memory_mb), workers
            self.memory_mb, self.owner = memory_mb, os.getpid()
        return self.pool

    def close(self) -> None:
        """Terminate the readers (a pool inherited over a fork is only forgotten: it is the parent's)."""
        pool, self.pool, self.size = self.pool, None, 0
        self.generation += 1
        if pool is not None and self.owner == os.getpid():
            pool.terminate()
            pool.join()
        elif pool is not None:
            _INHERITED.append(pool)  # never collected here: its finaliser would signal the parent's pool


_INHERITED: list[multiprocessing.pool.Pool] = []
_READERS = _Readers()


def close_readers() -> None:
    """Stop this process's reader processes (before forking document processes, say); the next read forks anew."""
    _READERS.close()


def _fork_readers(workers: int, memory_mb: int | None) -> multiprocessing.pool.Pool:
    # objects that exist before the fork are frozen, so the children's GC never touches (and copies) them
    gc.freeze()
    # SIGTERM stays blocked from the fork until the reader has its default handler: a terminate()
    # that came before the initializer ran would otherwise hit the host's inherited Python handler,
    # and the reader would live on, idle, while terminate() waits to join it
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})
    try:
        main = threading.current_thread() is threading.main_thread()
        return multiprocessing.get_context("fork").Pool(workers, initializer=_reader_init, initargs=(memory_mb, main))
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        gc.unfreeze()


def _collected(fn: Callable, *args):
    """``fn(*args)`` in a reader, then a collection: readers run without automatic GC but now live on."""
    try:
        return fn(*args)
    finally:
        gc.collect()


def in_readers(fn: Callable, items: Sequence, workers: int | None = None, limits: Limits | None = None) -> list:
    """``[fn(x) for x in items]`` in this process's reader processes (``fn`` handles its own errors).

    Even one item goes to a reader: this process is free meanwhile (a thread loading the model, say).
    """
    return [job.get() for job in start_in_readers(fn, items, workers, limits)]


def start_in_readers(
    fn: Callable, items: Sequence, workers: int | None = None, limits: Limits | None = None
) -> list[multiprocessing.pool.AsyncResult]:
    """``fn(x)`` for every item started in this process's readers, their results to come (``in_readers``)."""
    pool = start_readers(workers, limits) if items else None  # no readers forked for nothing
    return [pool.apply_async(_collected, (fn, x)) for x in items] if pool is not None else []


def reader_count(asked: int | None) -> int:
    """Reader processes: as asked, else up to two (the machine's cores)."""
    return asked if asked is not None else min(os.cpu_count() or 1, 2)


def start_readers(workers: int | None = None, limits: Limits | None = None) -> multiprocessing.pool.Pool:
    """This process's readers, at least ``workers`` of them (``reader_count``)."""
    return _READERS.get(max(1, reader_count(workers)), (limits or Limits()).memory_mb)


def in_background(fn: Callable, args: tuple, memory_mb: int | None) -> tuple[int, multiprocessing.pool.AsyncResult]:
    """``fn(*args)`` started in one of this process's readers, with the readers' generation: once that
    is no longer ``readers_generation()``, the readers were closed and the result will never come."""
    pool = _READERS.get(1, memory_mb)
    return _READERS.generation, pool.apply_async(_collected, (fn, *args))


def readers_generation() -> int:
    return _READERS.generation


@dataclass
class PendingPages:
    """The pages of one PDF being read in this process's readers (``start_reading``), chunk by chunk.

    Reading starts when the caller still has other work (creating a document's Dagster run);
    ``pages`` then yields them in order as their chunks arrive, so the caller can work on the
    first pages while the readers parse the rest, all within the time limit counted from the start.
    """

    jobs: list[multiprocessing.pool.AsyncResult]
    limits: Limits
    deadline: float | None
    generation: int

    def pages(self) -> Iterator[RawPage]:
        """Every page in order; ``LimitExceeded`` when reading went over a limit (the readers are then stopped)."""
        try:
            for job in self.jobs:
                remaining = None if self.deadline is None else max(0.0, self.deadline - time.monotonic())
                try:
                    chunk = job.get(timeout=remaining)
                except multiprocessing.TimeoutError as exc:
                    raise LimitExceeded(f"reading took longer than the limit of {self.limits.seconds:g} s") from exc
                except MemoryError as exc:
                    raise LimitExceeded(f"reading needed more than the limit of {self.limits.memory_mb} MB") from exc
                yield from chunk
        except BaseException:
            _READERS.close()  # a reader may still be busy with (or stuck in) this file
            raise


_CHUNKS_PER_READER = 4


def start_reading(
    path: Path,
    workers: int | None = None,
    source: str = "pdfplumber",
    limits: Limits | None = None,
    page_count: int | None = None,
) -> PendingPages:
    """Start reading all pages of ``path`` in this process's readers and return at once.

    The pages go out in runs of consecutive pages, a few per reader: a reader takes the next
    run when it is done with one, which balances dense and sparse parts of a document, and the
    first runs come back while the last are read. Each reader keeps the file open between its
    runs (``chars_pdfplumber.keep_files_open``). Even a single reader is a child process: a
    hostile file can then exhaust only that process's memory or time, and the readers are
    terminated when the deadline passes. The readers outlive the call (``_Readers``).
    """
    count_pages, read_pages = _source(source)
    n = page_count if page_count is not None else count_pages(str(path))
    workers = _workers(workers, n)
    limits = limits or Limits()
    deadline = time.monotonic() + limits.seconds if limits.seconds else None
    pool = _READERS.get(workers, limits.memory_mb)
    size = max(_MIN_PAGES_PER_CHUNK, -(-n // (workers * _CHUNKS_PER_READER)))
    runs = [range(start, min(start + size, n)) for start in range(0, n, size)]
    jobs = [pool.apply_async(_collected, (read_pages, str(path), run)) for run in runs]
    return PendingPages(jobs, limits, deadline, _READERS.generation)


def reading(
    path: Path,
    workers: int | None = None,
    source: str = "pdfplumber",
    limits: Limits | None = None,
    page_count: int | None = None,
) -> Iterator[RawPage]:
    """All pages of ``path`` in order as they are parsed: in reader processes that the limits can
    stop (``start_reading``), or, with one reader and no limits, in this process."""
    count_pages, read_pages = _source(source)
    n = page_count if page_count is not None else count_pages(str(path))
    if _workers(workers, n) == 1 and limits is None:
        return iter(read_pages(str(path), range(n)))
    return start_reading(path, workers, source, limits, n).pages()


def extract_pages(
    path: Path,
    workers: int | None = None,
    source: str = "pdfplumber",
    limits: Limits | None = None,
    page_count: int | None = None,
) -> list[RawPage]:
    """All pages of ``path`` in order (``reading``)."""
    return list(reading(path, workers, source, limits, page_count))


def _source(name: str) -> tuple[Callable[[str], int], Callable[[str, Sequence[int]], list[RawPage]]]:
    if name not in SOURCES:
        raise ValueError(f"unknown character source {name!r}")
    return SOURCES[name]


def _workers(asked: int | None, pages: int) -> int:
    """Readers for a document: as asked (``reader_count``), at least eight pages each."""
    return max(1, min(reader_count(asked), pages // _MIN_PAGES_PER_WORKER))
