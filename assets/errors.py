"""The ``ingest_errors`` table: why a document could not be processed, next to the good output.

A failing document gets one row (file, hash, stage, reason) in its own partition; a
document that goes through gets an empty partition, so the table always tells the
current state of every document the pipeline has seen.
"""

from pipeline.ingest import IngestError, sha256_of
from pipeline.schemas import to_arrow
from pipeline.store import Location
from pipeline.writer import write_partition


def record(output_dir: Location, document_id: str, error: IngestError) -> None:
    path = error.path
    digest = sha256_of(path) if path.is_file() else None
    row = {"file_name": path.name, "sha256": digest, "stage": error.stage, "reason": error.reason}
    write_partition(output_dir, "ingest_errors", document_id, to_arrow("ingest_errors", [row]))


def clear(output_dir: Location, document_id: str) -> None:
    write_partition(output_dir, "ingest_errors", document_id, to_arrow("ingest_errors", []))
