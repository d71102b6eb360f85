"""One writer per document at a time: an exclusive file lock under ``output/.locks/``.

Two runs of the same document (a sensor run and a CLI run, say) wait for each other at
every write, so their partitions never interleave within a step; OS locks are released
when a process dies, so a killed run never leaves a stale lock behind, and a lock that
can be taken means no live process is writing that document (what recovery relies on).
For an object-store output the lock files are local (``store.lock_root``): they cover the
writers of one machine; across machines the run queue's one-run-per-document limit does.
"""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager

from pipeline.store import Location, lock_root
from pipeline.writer import check_document_id


@contextmanager
def _locked(output_dir: Location, name: str, wait: bool) -> Iterator[bool]:
    folder = lock_root(output_dir)
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / f"{name}.lock", "a+") as fh:
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


@contextmanager
def document_lock(output_dir: Location, document_id: str) -> Iterator[None]:
    with _locked(output_dir, check_document_id(document_id), wait=True):
        yield


@contextmanager
def try_document_lock(output_dir: Location, document_id: str) -> Iterator[bool]:
    """The lock if it is free at once (True), else False without waiting."""
    with _locked(output_dir, check_document_id(document_id), wait=False) as got:
        yield got


@contextmanager
def registry_lock(output_dir: Location) -> Iterator[None]:
    """Serialises the assignment of document ids (CLI runs and sensor ticks)."""
    with _locked(output_dir, ".registry", wait=True):
        yield
