"""Parquet output: one hive-partitioned dataset per table, one document's partition swapped atomically.

A document's files are written to ``output/.staging/`` first (same file system,
outside every table folder, so no reader's glob ever sees them) and renamed over the
old partition: readers see the old or the new document, never half of one, and a
failed or killed run leaves the previous good output in place.
"""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.schemas import PARTITION_COLUMN, TABLES

_FILE = "part-0.parquet"
STAGING = ".staging"


def partition_dir(output_dir: Path, table: str, document_id: str) -> Path:
    """The folder of one document in one table; refuses ids that would leave the output folder."""
    if (
        not document_id
        or "/" in document_id
        or "\\" in document_id
        or document_id in (".", "..")
        or document_id.startswith(".")
    ):
        raise ValueError(f"unsafe document id {document_id!r}")
    root = (output_dir / table).resolve()
    target = (root / f"{PARTITION_COLUMN}={document_id}").resolve()
    if target.parent != root:
        raise ValueError(f"document id {document_id!r} escapes {root}")
    return target


def write_partition(output_dir: Path, table: str, document_id: str, data: pa.Table) -> Path:
    """Replace ``document_id``'s partition of ``table`` with ``data`` (rows without the partition column)."""
    data = data.cast(TABLES[table])
    target = partition_dir(output_dir, table, document_id)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = output_dir / STAGING / f"{table}-{document_id}-{uuid.uuid4().hex[:8]}"
    staging.mkdir(parents=True)
    try:
        pq.write_table(data, staging / _FILE, compression="zstd", write_statistics=True)
        _swap(staging, target)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return target


def _swap(staging: Path, target: Path) -> None:
    """Rename the new folder into place; the old one is moved aside first and removed after."""
    old = None
    if target.exists():
        old = staging.parent / f"old-{staging.name}"
        os.rename(target, old)
    try:
        os.rename(staging, target)
    except OSError:
        if old is not None:
            os.rename(old, target)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def write_document(output_dir: Path, document_id: str, tables: dict[str, pa.Table]) -> dict[str, Path]:
    """Write every table of one document."""
    return {name: write_partition(output_dir, name, document_id, data) for name, data in tables.items()}


def read_table(output_dir: Path, table: str) -> pa.Table | None:
    """All documents of one table, with ``document_id`` from the folder names (as readers see it)."""
    import pyarrow.dataset as ds

    root = output_dir / table
    if not root.is_dir():
        return None
    return ds.dataset(root, format="parquet", partitioning="hive").to_table()


def read_partition(output_dir: Path, table: str, document_id: str) -> pa.Table | None:
    path = partition_dir(output_dir, table, document_id) / _FILE
    return pq.read_table(path) if path.exists() else None
