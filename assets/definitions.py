"""The Dagster code location: what ``dagster dev`` (via workspace.yaml) and the CLI load."""

import dagster as dg

from assets.documents import document_layout, raw_pdf, structure_tables_asset
from assets.editions import edition_changes
from assets.errors import ingest_errors
from assets.facts import fact_tables
from assets.flows import money_flows_asset
from assets.resources import LayoutResource, NlpResource, ProgressResource, StorageResource
from assets.sensors import raw_pdf_sensor

ALL_ASSETS = [raw_pdf, document_layout, structure_tables_asset, fact_tables, money_flows_asset, edition_changes]


def resources(progress: bool = False, **storage: str) -> dict[str, object]:
    """Resource instances; the CLI overrides storage paths and turns progress lines on."""
    return {
        "storage": StorageResource(**storage),
        "layout": LayoutResource(),
        "nlp": NlpResource(),
        "progress": ProgressResource(enabled=progress),
    }


# Step processes fork from a server that has imported the code location, spaCy and the instance
# storage once per run (assets.preload), instead of each spawning an interpreter that imports it all.
MULTIPROCESS_EXECUTOR = dg.multiprocess_executor.configured(
    {"max_concurrent": 2, "start_method": {"forkserver": {"preload_modules": ["assets.preload"]}}}
)

process_document = dg.define_asset_job(
    "process_document",
    selection=dg.AssetSelection.assets(*ALL_ASSETS),
    description="Every asset of one document partition, steps in their own processes.",
)

# the executor of every job, the sensor's and the UI's asset runs included
defs = dg.Definitions(
    assets=[*ALL_ASSETS, ingest_errors],
    jobs=[process_document],
    sensors=[raw_pdf_sensor],
    resources=resources(),
    executor=MULTIPROCESS_EXECUTOR,
)


def process_document_job() -> dg.JobDefinition:
    """Module-level entry so ``dg.reconstructable`` can rebuild the job in executor subprocesses."""
    return defs.resolve_job_def("process_document")
