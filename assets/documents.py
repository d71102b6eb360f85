"""Layout assets: the raw PDF, its parsed structure, and the structure tables of the contract."""

from pathlib import Path

import dagster as dg

from assets import errors
from assets.checks import STRUCTURE_CHECKS, evaluate
from assets.metadata import table_description, table_metadata, table_spec_metadata
from assets.partitions import documents_partitions
from assets.resources import LayoutResource, ProgressResource, StorageResource
from pipeline import PIPELINE_VERSION
from pipeline.commit import document_version, recover, recoverable, stage
from pipeline.document import ParsedDocument, parse, structure_tables
from pipeline.ingest import IngestError, check_pdf
from pipeline.locks import document_lock
from pipeline.raw import local_copy, name_of, resolved
from pipeline.store import Location, as_location, open_store
from pipeline.writer import partition_dir

STRUCTURE_TABLES = ["documents", "pages", "blocks", "sections", "footnotes", "tables", "table_cells"]


class RawPdfConfig(dg.Config):
    """Path or URL (``s3://bucket/raw/report.pdf``) of the PDF; empty means "the file in raw/ registered
    under the partition key".

    ``source_path`` is the path relative to the raw folder it was found in (default: relative to raw/).
    """

    path: str = ""
    source_path: str = ""


def _fail(context: dg.AssetExecutionContext, storage: StorageResource, key: str, error: IngestError) -> dg.Failure:
    """Record the error in ``ingest_errors`` and turn it into a Dagster failure naming file and reason."""
    context.log_event(errors.record(storage.output_path(), key, error))
    return dg.Failure(
        description=str(error), metadata={"file": error.path.name, "stage": error.stage, "reason": error.reason}
    )


@dg.asset(partitions_def=documents_partitions, code_version=PIPELINE_VERSION, group_name="layout")
def raw_pdf(
    context: dg.AssetExecutionContext,
    config: RawPdfConfig,
    storage: StorageResource,
    layout: LayoutResource,
    progress: ProgressResource,
) -> dg.Output[dict]:
    """The input PDF, validated (a readable PDF, not password-protected, within limits) and fingerprinted.

    The first step of every run first completes or rolls back commits a crash left unfinished.
    A remote PDF is read from this machine's copy (``pipeline.raw.local_copy``); the output names
    the PDF by its path or URL, so a step on another machine makes its own copy.
    """
    out = storage.output_path()
    for line in recover(open_store(out), out, only=recoverable(out, [context.partition_key])):
        context.log.warning(f"recovered an unfinished commit: {line}")
    location = as_location(config.path) if config.path else storage.find_pdf(context.partition_key)
    progress.stage(context.partition_key, "check", name_of(location))
    try:
        info = check_pdf(_local(location), max_pages=layout.max_pages)
    except IngestError as exc:
        raise _fail(context, storage, context.partition_key, exc) from exc
    value = {
        "path": resolved(location),
        "file_name": name_of(location),
        "source_path": config.source_path or storage.source_path(location),
        "sha256": info.sha256,
        "pages": info.page_count,
    }
    return dg.Output(
        value,
        metadata={"file": dg.MetadataValue.path(resolved(location)), "sha256": info.sha256, "pages": info.page_count},
    )


def _local(location: Location) -> Path:
    """The PDF as a local file; a missing remote one is refused like a missing local one."""
    try:
        return local_copy(location)
    except FileNotFoundError as exc:
        raise IngestError(Path(name_of(location)), "file not found") from exc


@dg.asset(partitions_def=documents_partitions, code_version=PIPELINE_VERSION, group_name="layout")
def document_layout(
    context: dg.AssetExecutionContext,
    raw_pdf: dict,
    storage: StorageResource,
    layout: LayoutResource,
    progress: ProgressResource,
) -> ParsedDocument:
    """Characters to pages, blocks, sections, footnotes and tables (the layout analysis)."""
    progress.stage(context.partition_key, "layout", f"{raw_pdf['pages']} pages")
    try:
        doc = parse(
            _local(raw_pdf["path"]),
            workers=layout.workers,
            max_pages=layout.max_pages,
            char_source=layout.char_source,
            limits=layout.limits(),
            document_id=context.partition_key,
            source_path=raw_pdf.get("source_path"),
        )
    except IngestError as exc:
        raise _fail(context, storage, context.partition_key, exc) from exc
    s = doc.structure
    context.add_output_metadata(
        {
            "pages": len(s.pages),
            "blocks": len(s.blocks),
            "sections": len(s.sections),
            "footnotes": len(s.footnotes),
            "tables": len(s.tables),
            "body_font_size": s.body_size,
        }
    )
    return doc


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            name,
            description=table_description(name),
            metadata=table_spec_metadata(name),
            deps=[document_layout],
            partitions_def=documents_partitions,
            code_version=PIPELINE_VERSION,
            group_name="structure",
        )
        for name in STRUCTURE_TABLES
    ],
    check_specs=[c.spec() for c in STRUCTURE_CHECKS],
    ins={"doc": dg.AssetIn(key=document_layout.key)},
    partitions_def=documents_partitions,
)
def structure_tables_asset(
    context: dg.AssetExecutionContext, doc: ParsedDocument, storage: StorageResource, progress: ProgressResource
):
    """Check, then stage the structure tables of one document; the fact step publishes them with the facts,
    so every table of the document switches to the new version together (``pipeline.commit``)."""
    tables = structure_tables(doc)
    results, blocking = evaluate(STRUCTURE_CHECKS, tables)
    yield from results
    if blocking:
        raise dg.Failure(description=f"{doc.path.name}: checks failed, previous output kept: {blocking}")
    version = document_version(doc.sha256)
    progress.stage(context.partition_key, "stage structure tables", f"version {version}")
    out = storage.output_path()
    with document_lock(out, doc.document_id):
        stage(open_store(out), doc.document_id, version, tables)
    for name, data in tables.items():
        metadata = {
            **table_metadata(name, data, partition_dir(out, name, doc.document_id)),
            "document_version": version,
        }
        yield dg.MaterializeResult(asset_key=name, metadata=metadata)
