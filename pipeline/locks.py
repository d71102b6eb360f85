"""One writer per document at a time: an exclusive file lock under ``output/.locks/``.

Two runs of the same document (a sensor run and a CLI run, say) wait for each other at
every write, so their partitions never interleave within a step; OS locks are released
when a process dies, so a killed run never leaves a stale lock behind.
"""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pipeline.writer import partition_dir


@contextmanager
def document_lock(output_dir: Path, document_id: str) -> Iterator[None]:
    partition_dir(output_dir, "documents", document_id)  # validates the id before it names a file
    folder = output_dir / ".locks"
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / f"{document_id}.lock", "a+") as fh:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)
