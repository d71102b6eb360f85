"""Parquet output: one hive-partitioned dataset per table, one file per document version.

``<table>/document_id=<id>/part-<document_version>.parquet`` holds one version of one
document. ``documents`` (and ``ingest_errors``) have a single fixed-name file per
document that is replaced in one atomic put: ``documents``' row names the committed
``document_version``, and the files of every other table are read through it. How a
new version is added and the old one removed without ever showing a reader a mix is
``pipeline.commit``; this module only names, writes and reads the files.
"""

from __future__ import annotations

import io
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.schemas import PARTITION_COLUMN, TABLES, VERSION_COLUMN
from pipeline.store import Location, Store, is_url, join, open_store

FIXED_NAME_TABLES = ("documents", "ingest_errors")
_FIXED = "part-0.parquet"


def check_document_id(document_id: str) -> str:
    """Refuse ids that could not be a partition folder name or would leave the output folder."""
    if (
        not document_id
        or "/" in document_id
        or "\\" in document_id
        or document_id in (".", "..")
        or document_id.startswith(".")
    ):
        raise ValueError(f"unsafe document id {document_id!r}")
    return document_id


def partition_dir(output_dir: Location, table: str, document_id: str) -> Location:
    """The folder (or URL prefix) of one document in one table; refuses ids that would leave the output folder."""
    if is_url(output_dir):
        return join(output_dir, partition_key(table, document_id))
    output_dir = Path(output_dir)
    root = (output_dir / table).resolve()
    target = (root / f"{PARTITION_COLUMN}={check_document_id(document_id)}").resolve()
    if target.parent != root:
        raise ValueError(f"document id {document_id!r} escapes {root}")
    return target


def partition_key(table: str, document_id: str) -> str:
    return f"{table}/{PARTITION_COLUMN}={check_document_id(document_id)}"


def file_key(table: str, document_id: str, version: str | None) -> str:
    """The object of one document version in one table (fixed name for the tables replaced in place)."""
    if table in FIXED_NAME_TABLES:
        return f"{partition_key(table, document_id)}/{_FIXED}"
    if not version:
        raise ValueError(f"{table}: a document version is needed to name the file")
    return f"{partition_key(table, document_id)}/part-{version}.parquet"


def version_of(key: str) -> str | None:
    """The document version a versioned file name carries ("part-<v>.parquet" -> v).

    Output written before versions existed has ``part-0.parquet`` everywhere: that reads as
    version "0", which no commit names, so the next commit of the document removes it.
    """
    name = key.rsplit("/", 1)[-1]
    if not name.startswith("part-") or not name.endswith(".parquet"):
        return None
    return name[len("part-") : -len(".parquet")]


def encode(table: str, data: pa.Table, version: str | None) -> bytes:
    """Rows in the contract schema, every row stamped with ``version``, as Parquet bytes."""
    schema = TABLES[table]
    if VERSION_COLUMN in schema.names:
        i = data.schema.get_field_index(VERSION_COLUMN)
        column = pa.array([version] * data.num_rows, pa.string())
        data = data.set_column(i, VERSION_COLUMN, column) if i >= 0 else data.append_column(VERSION_COLUMN, column)
    data = data.select(schema.names).cast(schema)
    sink = io.BytesIO()
    pq.write_table(data, sink, compression="zstd", write_statistics=True)
    return sink.getvalue()


def decode(data: bytes) -> pa.Table:
    return pq.read_table(io.BytesIO(data))


def put_table(store: Store, table: str, document_id: str, data: pa.Table, version: str | None) -> str:
    key = file_key(table, document_id, version)
    store.put(key, encode(table, data, version))
    return key


def write_partition(
    output_dir: Location, table: str, document_id: str, data: pa.Table, version: str | None = None
) -> Location:
    """Write one file of one document (atomically replaced when it exists); returns its folder.

    Without ``version``, a versioned table's rows are written as the document's committed version
    and then its other versions are deleted: how a table derived after the commit (``edition_changes``)
    is written. The caller holds the document's lock.
    """
    store = open_store(output_dir)
    if version is not None or table in FIXED_NAME_TABLES:
        put_table(store, table, document_id, data, version)
        return partition_dir(output_dir, table, document_id)
    version = committed_version(store, document_id)
    if version is None:
        raise ValueError(f"{table}: {document_id} has no committed version to write rows for")
    put_table(store, table, document_id, data, version)
    for other, key in versions_present(store, table, document_id).items():
        if other != version:
            store.delete(key)
    return partition_dir(output_dir, table, document_id)


def committed_version(store: Store, document_id: str) -> str | None:
    """The version ``documents`` names for ``document_id`` (None: the document has no committed output)."""
    data = store.get(file_key("documents", document_id, None))
    if data is None:
        return None
    rows = decode(data)
    if VERSION_COLUMN not in rows.column_names or rows.num_rows == 0:
        return None
    return rows.column(VERSION_COLUMN)[0].as_py()


def document_ids(store: Store, table: str = "documents") -> list[str]:
    """Documents that have a folder in ``table``."""
    prefix = f"{PARTITION_COLUMN}="
    ids = {key.split("/")[1][len(prefix) :] for key in store.list(table) if key.split("/")[1].startswith(prefix)}
    return sorted(ids)


def versions_present(store: Store, table: str, document_id: str) -> dict[str, str]:
    """version -> key of every versioned file of one document in one table (none in a fixed-name table)."""
    if table in FIXED_NAME_TABLES:
        return {}
    found = {}
    for key in store.list(partition_key(table, document_id)):
        version = version_of(key)
        if version is not None:
            found[version] = key
    return found


def read_version(store: Store, table: str, document_id: str, version: str | None) -> pa.Table | None:
    data = store.get(file_key(table, document_id, version))
    return decode(data) if data is not None else None


def read_partition(output_dir: Location, table: str, document_id: str) -> pa.Table | None:
    """The committed rows of one document in one table (what a version-joining reader sees)."""
    store = open_store(output_dir)
    version = None if table in FIXED_NAME_TABLES else committed_version(store, document_id)
    if version is None and table not in FIXED_NAME_TABLES:
        return None
    return read_version(store, table, document_id, version)


def read_table(output_dir: Location, table: str) -> pa.Table | None:
    """The committed rows of every document of one table, with ``document_id`` (as readers see it)."""
    store = open_store(output_dir)
    parts = []
    for document_id in document_ids(store, table):
        rows = read_partition(output_dir, table, document_id)
        if rows is not None:
            parts.append(rows.append_column(PARTITION_COLUMN, pa.array([document_id] * rows.num_rows, pa.string())))
    return pa.concat_tables(parts) if parts else None
