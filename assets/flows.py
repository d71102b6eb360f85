"""The money_flows asset: who pays whom, how much and when, read from the written fact tables."""

import dagster as dg

from assets.checks import FLOW_CHECKS, evaluate
from assets.metadata import table_description, table_metadata, table_spec_metadata
from assets.partitions import documents_partitions
from assets.resources import NlpResource, ProgressResource, StorageResource
from pipeline import PIPELINE_VERSION
from pipeline.locks import document_lock
from pipeline.schemas import to_arrow
from pipeline.writer import read_partition, write_partition

INPUT_TABLES = ["blocks", "sections", "mentions", "organizations", "people", "amounts", "dates"]
BLOCK_COLUMNS = ["block_id", "kind", "text"]  # what money_flows reads of a block


@dg.asset(
    name="money_flows",
    deps=INPUT_TABLES,
    partitions_def=documents_partitions,
    code_version=PIPELINE_VERSION,
    group_name="facts",
    description=table_description("money_flows"),
    metadata=table_spec_metadata("money_flows"),
    check_specs=[c.spec() for c in FLOW_CHECKS],
)
def money_flows_asset(
    context: dg.AssetExecutionContext, storage: StorageResource, nlp: NlpResource, progress: ProgressResource
):
    """Payers, payees, period, kind and restatement of every amount, from the dependency parse of its paragraph."""
    doc_id = context.partition_key
    out = storage.output_path()
    with document_lock(out, doc_id):
        tables = {name: read_partition(out, name, doc_id) for name in INPUT_TABLES}
    missing = [name for name, data in tables.items() if data is None]
    if missing:
        raise dg.Failure(f"{doc_id}: {missing} missing in {out}; materialize the fact tables first")
    progress.stage(doc_id, "money flows", f"{tables['amounts'].num_rows} amounts")
    inputs = {**tables, "blocks": tables["blocks"].select(BLOCK_COLUMNS)}  # not the glyph runs: most of the bytes
    rows = {name: data.to_pylist() for name, data in inputs.items()}
    flows = nlp.run(
        doc_id,
        "pipeline.extract.flows:money_flows",
        rows["blocks"],
        rows["sections"],
        rows["mentions"],
        rows["organizations"] + rows["people"],
        rows["amounts"],
        rows["dates"],
        nlp.model_name,
    )
    data = to_arrow("money_flows", flows)
    results, blocking = evaluate(FLOW_CHECKS, {**tables, "money_flows": data})
    yield from results
    if blocking:
        raise dg.Failure(description=f"{doc_id}: checks failed, previous money flows kept: {blocking}")
    with document_lock(out, doc_id):
        path = write_partition(out, "money_flows", doc_id, data)
    yield dg.MaterializeResult(asset_key="money_flows", metadata=table_metadata("money_flows", data, path))
