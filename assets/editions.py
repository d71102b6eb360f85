"""The ``edition_changes`` asset: what changed since the previous edition of the same report."""

from pathlib import Path

import dagster as dg
import pyarrow as pa

from assets.metadata import table_description, table_metadata, table_spec_metadata
from assets.partitions import documents_partitions
from assets.resources import ProgressResource, StorageResource
from pipeline import PIPELINE_VERSION
from pipeline.editions import EDITION_TABLES, Edition, diff, next_edition, previous_edition
from pipeline.locks import document_lock
from pipeline.schemas import to_arrow
from pipeline.writer import partition_dir, read_partition, read_table, write_partition


def _edition(out: Path, document_id: str) -> Edition:
    with document_lock(out, document_id):
        tables = {name: read_partition(out, name, document_id) for name in EDITION_TABLES}
    return Edition.from_tables(document_id, {k: v for k, v in tables.items() if v is not None})


def _write(out: Path, document_id: str, data: pa.Table) -> None:
    """As the document's committed version, replacing the change list of any earlier version."""
    with document_lock(out, document_id):
        write_partition(out, "edition_changes", document_id, data)


def _changes(out: Path, documents: list[dict], document_id: str) -> tuple[pa.Table, str]:
    """The change table of ``document_id`` against its previous edition, and a one-line summary."""
    me = next(r for r in documents if r["document_id"] == document_id)
    previous = previous_edition(documents, document_id)
    if previous is None:
        return to_arrow("edition_changes", []), "first edition in its series"
    changes = diff(_edition(out, previous["document_id"]), _edition(out, document_id))
    rows = [c.row(me["series_id"], previous["document_id"]) for c in changes]
    return to_arrow("edition_changes", rows), f"{len(changes)} changes since {previous['document_id']}"


@dg.asset(
    partitions_def=documents_partitions,
    deps=["documents", *EDITION_TABLES],
    code_version=PIPELINE_VERSION,
    group_name="editions",
    description=table_description("edition_changes"),
    metadata=table_spec_metadata("edition_changes"),
)
def edition_changes(
    context: dg.AssetExecutionContext, storage: StorageResource, progress: ProgressResource
) -> dg.MaterializeResult:
    """One row per change from the previous edition in the series (empty for a first edition).

    When an older edition arrives after a newer one, the newer edition's change list is
    refreshed too, since its "previous edition" has just changed.
    """
    doc_id = context.partition_key
    out = storage.output_path()
    documents = [{**r, "document_id": str(r["document_id"])} for r in read_table(out, "documents").to_pylist()]
    progress.stage(doc_id, "compare editions")
    data, summary = _changes(out, documents, doc_id)
    _write(out, doc_id, data)
    path = partition_dir(out, "edition_changes", doc_id)
    metadata = {**table_metadata("edition_changes", data, path), "summary": summary}
    successor = next_edition(documents, doc_id)
    if successor is not None:
        later, later_summary = _changes(out, documents, successor["document_id"])
        _write(out, successor["document_id"], later)
        metadata["refreshed_next_edition"] = f"{successor['document_id']}: {later_summary}"
        context.log.info(f"refreshed edition_changes of {successor['document_id']}: {later_summary}")
    return dg.MaterializeResult(metadata=metadata)
