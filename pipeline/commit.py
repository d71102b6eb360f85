"""A document's tables change together: stage, commit with a journal, recover, report.

Protocol for publishing version ``new`` of a document whose committed version is ``old``
(every step is a whole-object put or a delete, so it works on object storage too):

1. the journal ``.journal/<id>.json`` records {old, new, state: open};
2. each table except ``documents`` gets a *new* file ``part-<new>.parquet`` beside the old
   version's file (a reader joining on the version still sees ``old`` everywhere);
3. the switch: ``documents``' one fixed-name file is replaced by the row naming ``new``
   (from here a version-joining reader sees ``new`` everywhere), and the journal is
   marked switched;
4. the old version's files are deleted and the journal is removed.

A crash anywhere leaves the journal behind. The next start of the pipeline
(``recover``) makes every table hold exactly the version ``documents`` names: the
files of the other version are deleted, which completes a switched commit and rolls
back one that never reached the switch. The writer holds the document's lock for the
whole commit, so recovery skips documents whose writer is alive.

The structure step and the fact step are separate Dagster steps (often separate
processes); the structure tables are staged (``.staging/documents/<id>/<version>/``,
outside every table folder) and the fact step commits all tables of the document at once.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa

from pipeline import PIPELINE_VERSION
from pipeline.locks import document_lock, try_document_lock
from pipeline.schemas import TABLES, UNVERSIONED_TABLES
from pipeline.store import STAGING, Location, Store, is_url, open_store
from pipeline.writer import (
    committed_version,
    decode,
    document_ids,
    encode,
    file_key,
    put_table,
    read_version,
    versions_present,
)

JOURNAL = ".journal"
VERSIONED_TABLES = [t for t in TABLES if t not in UNVERSIONED_TABLES]
# the tables of the contract one document's run produces, committed together
COMMITTED_TABLES = [
    *("documents", "pages", "blocks", "sections", "footnotes", "tables", "table_cells"),
    *("mentions", "organizations", "people", "amounts", "dates"),
]
# The other versioned tables (edition_changes ...) are derived after the commit and written as the
# committed version (``writer.write_partition`` without a version); a commit deletes their old versions.

# Test hook: the writer stops at this boundary (0: journal written, nothing swapped; k: k table files
# written; len(COMMITTED_TABLES): documents switched; one more: old version deleted, journal not yet
# removed), writes its pid to the marker file and waits there to be killed.
PAUSE_ENV = "REPORT_FACTS_PAUSE_AT_BOUNDARY"
PAUSE_MARKER_ENV = "REPORT_FACTS_PAUSE_MARKER"
BOUNDARIES = len(COMMITTED_TABLES) + 2


def document_version(sha256: str, pipeline_version: str = PIPELINE_VERSION) -> str:
    """Same PDF bytes through the same pipeline give the same version, on any machine."""
    return hashlib.sha256(f"{sha256}\x1f{pipeline_version}".encode()).hexdigest()[:16]


def _staged_prefix(document_id: str) -> str:
    return f"{STAGING}/documents/{document_id}"


def stage(store: Store, document_id: str, version: str, tables: dict[str, pa.Table]) -> None:
    """Keep the structure tables of ``version`` until the fact step commits them with the facts."""
    prefix = _staged_prefix(document_id)
    for name, data in tables.items():
        store.put(f"{prefix}/{version}/{name}.parquet", encode(name, data, version))
    store.put(f"{prefix}/HEAD", version.encode())  # last: HEAD only ever names a complete stage


def staged(store: Store, document_id: str) -> tuple[str, dict[str, pa.Table]] | None:
    """The staged version of a document and its tables, if a structure step left one."""
    prefix = _staged_prefix(document_id)
    head = store.get(f"{prefix}/HEAD")
    if head is None:
        return None
    version = head.decode()
    tables = {}
    for key in store.list(f"{prefix}/{version}"):
        data = store.get(key)
        if data is not None:
            tables[key.rsplit("/", 1)[-1].removesuffix(".parquet")] = decode(data)
    return version, tables


def drop_staged(store: Store, document_id: str, version: str) -> None:
    prefix = _staged_prefix(document_id)
    for key in store.list(f"{prefix}/{version}"):
        store.delete(key)
    head = store.get(f"{prefix}/HEAD")
    if head is not None and head.decode() == version:
        store.delete(f"{prefix}/HEAD")


def _journal_key(document_id: str) -> str:
    return f"{JOURNAL}/{document_id}.json"


def _pause_if_asked(boundary: int) -> None:
    """The fault-injection hook of the tests: stop here and wait for SIGKILL."""
    if os.environ.get(PAUSE_ENV) != str(boundary):
        return
    marker = os.environ.get(PAUSE_MARKER_ENV)
    if marker:
        Path(marker).write_text(str(os.getpid()))
    while True:
        time.sleep(1)


def _clean(store: Store, document_id: str, keep: str | None) -> None:
    """Delete every versioned file of the document that is not version ``keep``."""
    for table in VERSIONED_TABLES:
        for version, key in versions_present(store, table, document_id).items():
            if version != keep:
                store.delete(key)


def commit(
    store: Store,
    document_id: str,
    version: str,
    tables: dict[str, pa.Table],
    on_boundary: Callable[[int], None] = _pause_if_asked,
) -> None:
    """Publish every table of one version of a document; the caller holds the document's lock."""
    missing = set(COMMITTED_TABLES) - set(tables)
    if missing:
        raise ValueError(f"{document_id}: commit needs every table, missing {sorted(missing)}")
    journal = {"document_id": document_id, "old": committed_version(store, document_id), "new": version}
    store.put(_journal_key(document_id), json.dumps({**journal, "state": "open"}).encode())
    on_boundary(0)
    for i, name in enumerate([t for t in COMMITTED_TABLES if t != "documents"], 1):
        put_table(store, name, document_id, tables[name], version)
        on_boundary(i)
    put_table(store, "documents", document_id, tables["documents"], version)  # the switch
    store.put(_journal_key(document_id), json.dumps({**journal, "state": "switched"}).encode())
    on_boundary(len(COMMITTED_TABLES))
    _clean(store, document_id, keep=version)
    on_boundary(len(COMMITTED_TABLES) + 1)
    store.delete(_journal_key(document_id))


def read_committed(store: Store, document_id: str, names: list[str]) -> tuple[str, dict[str, pa.Table]] | None:
    """The committed version of a document and the named tables of it."""
    version = committed_version(store, document_id)
    if version is None:
        return None
    tables = {}
    for name in names:
        data = read_version(store, name, document_id, None if name == "documents" else version)
        if data is not None:
            tables[name] = data
    return version, tables


def recover(store: Store, output_dir: Location, only: list[str] | None = None) -> list[str]:
    """Finish or undo every commit a crash left open (or those of the documents ``only`` names);
    returns one line per document repaired.

    The lock files are per machine on an object store, so there a caller recovers only the
    documents its own run holds (the queue runs one at a time per document): an open journal
    of another document may be a live writer on another machine.
    """
    done = []
    for key in store.list(JOURNAL):
        document_id = key.rsplit("/", 1)[-1].removesuffix(".json")
        if only is not None and document_id not in only:
            continue
        with try_document_lock(output_dir, document_id) as mine:
            if not mine:  # its writer is alive and holds the lock
                continue
            raw = store.get(key)
            if raw is None:
                continue
            journal = json.loads(raw)
            current = committed_version(store, document_id)
            _clean(store, document_id, keep=current)
            store.delete(key)
        if current is not None and current == journal.get("new"):
            done.append(f"{document_id}: completed the switch to version {current}")
        else:
            kept = f"kept version {current}" if current else "no earlier version, removed the partial one"
            done.append(f"{document_id}: rolled back version {journal.get('new')}, {kept}")
    return done


@dataclass
class DocumentState:
    """What ``report-facts status`` prints for one document."""

    document_id: str
    version: str | None
    problems: list[str] = field(default_factory=list)


def status(store: Store) -> list[DocumentState]:
    """Every document with the version ``documents`` names and whatever disagrees with it."""
    ids = sorted({d for t in VERSIONED_TABLES for d in document_ids(store, t)})
    open_journals = {k.rsplit("/", 1)[-1].removesuffix(".json") for k in store.list(JOURNAL)}
    states = []
    for document_id in ids:
        version = committed_version(store, document_id)
        state = DocumentState(document_id, version)
        if document_id in open_journals:
            state.problems.append("unfinished switch (journal open): the next run completes or rolls it back")
        if version is None:
            state.problems.append(
                "documents names no version (no row, or written before versions), but tables hold files"
            )
        for table in VERSIONED_TABLES:
            present = versions_present(store, table, document_id)
            others = sorted(set(present) - {version})
            if others:
                state.problems.append(f"{table}: also holds version {', '.join(others)}")
            if version is not None and table in COMMITTED_TABLES and table != "documents" and version not in present:
                state.problems.append(f"{table}: lacks version {version}")
            if version is not None and version in present:
                rows = decode(store.get(file_key(table, document_id, version)) or b"")
                stamped = set(rows.column("document_version").to_pylist()) if rows.num_rows else {version}
                if stamped != {version}:
                    state.problems.append(f"{table}: rows carry version {', '.join(sorted(map(str, stamped)))}")
        states.append(state)
    return states


def write_document(output_dir: Location, document_id: str, version: str, tables: dict[str, pa.Table]) -> None:
    """Commit every table of one document version under its lock (the plain-Python way to publish one)."""
    with document_lock(output_dir, document_id):
        commit(open_store(output_dir), document_id, version, tables)


def recoverable(output_dir: Location, document_ids: list[str]) -> list[str] | None:
    """What a run over ``document_ids`` may recover: all (None) on a local output, its own on a shared store."""
    return list(document_ids) if is_url(output_dir) else None
