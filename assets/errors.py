"""The ``ingest_errors`` table: why a document could not be processed, next to the good output.

A failing document gets one row (file, hash, stage, reason) in its own partition; a
document that goes through gets an empty partition, so the table always tells the
current state of every document the pipeline has seen.
"""

import dagster as dg

from assets.metadata import table_description, table_metadata, table_spec_metadata
from assets.partitions import documents_partitions
from pipeline.ingest import IngestError, sha256_of
from pipeline.schemas import to_arrow
from pipeline.store import Location
from pipeline.writer import write_partition

# Written by the steps that read the PDF, not computed by an op of its own: an asset of the graph
# (lineage, column schema) whose materializations those steps report.
ingest_errors = dg.AssetSpec(
    "ingest_errors",
    deps=["raw_pdf", "document_layout"],
    partitions_def=documents_partitions,
    group_name="errors",
    description=table_description("ingest_errors"),
    metadata=table_spec_metadata("ingest_errors"),
)


def _write(output_dir: Location, document_id: str, rows: list[dict]) -> dg.AssetMaterialization:
    data = to_arrow("ingest_errors", rows)
    path = write_partition(output_dir, "ingest_errors", document_id, data)
    return dg.AssetMaterialization(
        asset_key=ingest_errors.key, partition=document_id, metadata=table_metadata("ingest_errors", data, path)
    )


def record(output_dir: Location, document_id: str, error: IngestError) -> dg.AssetMaterialization:
    """Write the document's error row; returns the event to log so the UI shows the new partition."""
    path = error.path
    digest = sha256_of(path) if path.is_file() else None
    row = {"file_name": path.name, "sha256": digest, "stage": error.stage, "reason": error.reason}
    return _write(output_dir, document_id, [row])


def clear(output_dir: Location, document_id: str) -> dg.AssetMaterialization:
    """Empty the document's partition (it went through); returns the event to log."""
    return _write(output_dir, document_id, [])
