"""The Dagster code location: what ``dagster dev`` (via workspace.yaml) and the CLI load."""

import os

import dagster as dg

from assets.documents import document_layout, raw_pdf, structure_tables_asset
from assets.editions import edition_changes
from assets.errors import ingest_errors
from assets.facts import fact_tables
from assets.flows import money_flows_asset
from assets.resources import LayoutResource, NlpResource, ProgressResource, StorageResource
from assets.sensors import raw_pdf_sensor

ALL_ASSETS = [raw_pdf, document_layout, structure_tables_asset, fact_tables, money_flows_asset, edition_changes]


# s3://bucket/prefix: step outputs are pickled there instead of under $DAGSTER_HOME, so a step retried
# on another machine finds its inputs (a team install's workers; dagster-aws, the distributed extra)
IO_URL_ENV = "REPORT_FACTS_IO_URL"


def _object_store_io_manager(url: str) -> dg.ConfigurableIOManager:
    from dagster_aws.s3 import S3PickleIOManager, S3Resource

    bucket, _, prefix = url.removeprefix("s3://").partition("/")
    return S3PickleIOManager(s3_resource=S3Resource(), s3_bucket=bucket, s3_prefix=prefix.strip("/") or "dagster")


def resources(progress: bool = False, **storage: str) -> dict[str, object]:
    """Resource instances; the CLI overrides storage paths and turns progress lines on."""
    found: dict[str, object] = {
        "storage": StorageResource(**storage),
        "layout": LayoutResource(),
        "nlp": NlpResource(),
        "progress": ProgressResource(enabled=progress),
    }
    if os.environ.get(IO_URL_ENV):
        found["io_manager"] = _object_store_io_manager(os.environ[IO_URL_ENV])
    return found


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
