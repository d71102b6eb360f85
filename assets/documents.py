"""Layout assets: the raw PDF, its parsed structure, and the structure tables of the contract."""

from pathlib import Path

import dagster as dg

from assets.metadata import table_metadata
from assets.partitions import documents_partitions
from assets.resources import LayoutResource, ProgressResource, StorageResource
from pipeline import PIPELINE_VERSION
from pipeline.document import ParsedDocument, parse, structure_tables
from pipeline.ingest import check_pdf
from pipeline.writer import write_partition

STRUCTURE_TABLES = ["documents", "pages", "blocks", "sections", "footnotes", "tables", "table_cells"]


class RawPdfConfig(dg.Config):
    """Path of the PDF; empty means "the file in raw/ whose document id is the partition key"."""

    path: str = ""


@dg.asset(partitions_def=documents_partitions, code_version=PIPELINE_VERSION, group_name="layout")
def raw_pdf(
    context: dg.AssetExecutionContext, config: RawPdfConfig, storage: StorageResource, progress: ProgressResource
) -> dg.Output[dict]:
    """The input PDF, validated (readable, not encrypted with a password, has text) and fingerprinted."""
    path = Path(config.path) if config.path else storage.find_pdf(context.partition_key)
    progress.stage(context.partition_key, "check", path.name)
    info = check_pdf(path)
    value = {"path": str(path.resolve()), "file_name": path.name, "sha256": info.sha256, "pages": info.page_count}
    return dg.Output(
        value,
        metadata={"file": dg.MetadataValue.path(str(path)), "sha256": info.sha256, "pages": info.page_count},
    )


@dg.asset(partitions_def=documents_partitions, code_version=PIPELINE_VERSION, group_name="layout")
def document_layout(
    context: dg.AssetExecutionContext, raw_pdf: dict, layout: LayoutResource, progress: ProgressResource
) -> ParsedDocument:
    """Characters to pages, blocks, sections, footnotes and tables (the layout analysis)."""
    progress.stage(context.partition_key, "layout", f"{raw_pdf['pages']} pages")
    doc = parse(
        Path(raw_pdf["path"]), workers=layout.workers, max_pages=layout.max_pages, char_source=layout.char_source
    )
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
            deps=[document_layout],
            partitions_def=documents_partitions,
            code_version=PIPELINE_VERSION,
            group_name="structure",
        )
        for name in STRUCTURE_TABLES
    ],
    ins={"doc": dg.AssetIn(key=document_layout.key)},
    partitions_def=documents_partitions,
)
def structure_tables_asset(
    context: dg.AssetExecutionContext, doc: ParsedDocument, storage: StorageResource, progress: ProgressResource
):
    """Write the structure tables of one document, each partition swapped in atomically."""
    progress.stage(context.partition_key, "write structure tables")
    out = storage.output_path()
    for name, data in structure_tables(doc).items():
        path = write_partition(out, name, doc.document_id, data)
        yield dg.MaterializeResult(asset_key=name, metadata=table_metadata(name, data, path))
