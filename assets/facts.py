"""Fact assets: mentions, organizations, people, amounts and dates from the written blocks."""

import dagster as dg

from assets import errors
from assets.checks import FACT_CHECKS, evaluate
from assets.documents import STRUCTURE_TABLES
from assets.metadata import table_description, table_metadata, table_spec_metadata
from assets.partitions import documents_partitions
from assets.resources import NlpResource, ProgressResource, StorageResource
from pipeline import PIPELINE_VERSION
from pipeline.commit import commit, drop_staged, read_committed, staged
from pipeline.glyphs import locate_facts, runs_from_rows
from pipeline.locks import document_lock
from pipeline.rows import text_blocks_from_tables
from pipeline.schemas import to_arrow
from pipeline.store import open_store
from pipeline.writer import partition_dir

FACT_TABLES = ["mentions", "organizations", "people", "amounts", "dates"]


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            name,
            description=table_description(name),
            metadata=table_spec_metadata(name),
            deps=["blocks", "pages"],
            partitions_def=documents_partitions,
            code_version=PIPELINE_VERSION,
            group_name="facts",
        )
        for name in FACT_TABLES
    ],
    check_specs=[c.spec() for c in FACT_CHECKS],
    partitions_def=documents_partitions,
)
def fact_tables(
    context: dg.AssetExecutionContext, storage: StorageResource, nlp: NlpResource, progress: ProgressResource
):
    """Rule- and NER-based extraction over body text, lists, footnotes and table cells of one document;
    then every table of the document (the staged structure tables and these) is committed together."""
    doc_id = context.partition_key
    out = storage.output_path()
    store = open_store(out)
    with document_lock(out, doc_id):
        found = staged(store, doc_id) or read_committed(store, doc_id, STRUCTURE_TABLES)
    if found is None or not {"blocks", "pages"} <= set(found[1]):
        raise dg.Failure(f"{doc_id}: blocks/pages tables are missing in {out}; materialize the layout first")
    version, structure = found
    blocks = structure["blocks"]
    text_blocks = text_blocks_from_tables(blocks, structure["pages"])
    progress.stage(doc_id, "extract facts", f"{len(text_blocks)} blocks")
    rows = nlp.run(doc_id, "pipeline.extract.facts:extract_with", text_blocks, nlp.model_name, nlp.workers)
    located = blocks.select(["block_id", "glyphs"]).to_pylist()  # every blocks schema has glyphs
    locate_facts(rows, {r["block_id"]: runs_from_rows(r["glyphs"]) for r in located})
    tables = {name: to_arrow(name, rows.get(name, [])) for name in FACT_TABLES}
    results, blocking = evaluate(FACT_CHECKS, {**tables, "blocks": blocks})
    yield from results
    if blocking:
        raise dg.Failure(description=f"{doc_id}: checks failed, previous output kept: {blocking}")
    progress.stage(doc_id, "commit", f"version {version}")
    with document_lock(out, doc_id):
        commit(store, doc_id, version, {**structure, **tables})
        drop_staged(store, doc_id, version)
        context.log_event(errors.clear(out, doc_id))
    for name, data in tables.items():
        yield dg.MaterializeResult(
            asset_key=name, metadata=table_metadata(name, data, partition_dir(out, name, doc_id))
        )
