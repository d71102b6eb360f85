"""Sensor on raw/: registers new PDFs as partitions and requests a run for every new or changed file.

raw/ (a folder, or a URL such as ``s3://bucket/raw``: ``pipeline.raw``) is walked with its
sub-folders. The cursor keeps, per path relative to raw/, (stamp, size, sha256), the stamp
being a local file's mtime or an object's ETag: a file is hashed (a remote one copied into
the local cache first) only when its stamp or size moved, and a run is requested
only when its content hash is new. Which document a new or changed file is comes from the
output's registry (``pipeline.identity``): a file overwritten in place with the next edition
becomes a new document beside the earlier one, a corrected re-issue a new version of the
same one. The hash is in the run_key, so the same content never runs twice. A file the instance has
already seen through to its last asset with the same hash (a ``report-facts run`` before
``dagster dev`` started, with an empty cursor) is not run again either.
"""

import json
import time

import dagster as dg

from assets.partitions import documents_partitions
from assets.resources import StorageResource
from pipeline.commit import recover, recoverable
from pipeline.identity import identify
from pipeline.ingest import sha256_of
from pipeline.raw import RawFile, list_pdfs, local_copy, resolved
from pipeline.store import Location, open_store

PIPELINE_ASSETS = dg.AssetSelection.groups("layout", "structure", "facts", "editions")


FIRST_ASSET = dg.AssetKey("raw_pdf")
LAST_ASSET = dg.AssetKey("edition_changes")
SCAN_SECONDS = 30.0  # of hashing per tick; sensor evaluations time out at about 60 s
PARTITION_TAG = "dagster/partition"
SHA_TAG = "report-facts/sha256"
IN_FLIGHT = [
    dg.DagsterRunStatus.QUEUED,
    dg.DagsterRunStatus.NOT_STARTED,
    dg.DagsterRunStatus.STARTING,
    dg.DagsterRunStatus.STARTED,
]


def in_flight(instance: dg.DagsterInstance, document_id: str, sha256: str) -> str | None:
    """A queued or running run of this content of the document (the sensor's, ``submit``'s), if any."""
    runs = instance.get_runs(
        filters=dg.RunsFilter(tags={PARTITION_TAG: document_id, SHA_TAG: sha256}, statuses=IN_FLIGHT), limit=1
    )
    return runs[0].run_id if runs else None


def already_processed(instance: dg.DagsterInstance, key: str, digest: str) -> bool:
    """Whether this content of the document went through every asset (by any run: CLI, UI or sensor)."""
    first = instance.fetch_materializations(
        dg.AssetRecordsFilter(asset_key=FIRST_ASSET, asset_partitions=[key]), limit=1
    ).records
    if not first:
        return False
    sha = first[0].asset_materialization.metadata.get("sha256") if first[0].asset_materialization else None
    if sha is None or sha.value != digest:
        return False
    last = instance.fetch_materializations(
        dg.AssetRecordsFilter(asset_key=LAST_ASSET, asset_partitions=[key], after_storage_id=first[0].storage_id),
        limit=1,
    ).records
    return bool(last)


def scan(
    raw_dir: Location, previous: dict[str, list], budget_seconds: float = SCAN_SECONDS
) -> tuple[dict[str, list], list[RawFile]]:
    """New cursor state for the PDFs under raw_dir and the files whose content is new since ``previous``.

    Hashing stops once ``budget_seconds`` are spent (after one file at least): a first look at a
    large remote folder copies every PDF, which would outlast the sensor's evaluation timeout.
    Files left over keep their previous state, so the next tick takes them up.
    """
    state: dict[str, list] = {}
    changed: list[RawFile] = []
    deadline, hashed = time.monotonic() + budget_seconds, 0
    for found in list_pdfs(raw_dir):
        name = found.relative
        before = previous.get(name)
        if before and before[0] == found.stamp and before[1] == found.size:
            state[name] = before
            continue
        if hashed and time.monotonic() > deadline:
            if before:
                state[name] = before
            continue
        digest = sha256_of(local_copy(found.location))
        hashed += 1
        state[name] = [found.stamp, found.size, digest]
        if not before or before[2] != digest:
            changed.append(found)
    return state, changed


@dg.sensor(
    target=PIPELINE_ASSETS,
    default_status=dg.DefaultSensorStatus.RUNNING,
    minimum_interval_seconds=15,
    description="Registers PDFs dropped into raw/ (and its sub-folders) as document partitions and materializes them.",
)
def raw_pdf_sensor(context: dg.SensorEvaluationContext, storage: StorageResource) -> dg.SensorResult:
    out = storage.output_path()
    # every start first finishes what a crash left open (on a shared store, each run does its own document)
    for line in recover(open_store(out), out, only=recoverable(out, [])):
        context.log.warning(f"recovered an unfinished commit: {line}")
    previous = json.loads(context.cursor) if context.cursor else {}
    state, changed = scan(storage.raw_location(), previous)
    assigned = identify(out, [(local_copy(f.location), f.relative, state[f.relative][2]) for f in changed])
    requests: list[dg.RunRequest] = []
    for file, found in zip(changed, assigned, strict=True):
        source = file.relative
        if found.warning:
            context.log.warning(found.warning)
        digest = state[source][2]
        if any(r.run_key == f"{found.document_id}:{digest}" for r in requests):
            continue  # the same bytes in two places: one document, one run
        if already_processed(context.instance, found.document_id, digest):
            context.log.info(f"{source}: this content is already processed on this instance; skipped")
            continue
        if run_id := in_flight(context.instance, found.document_id, digest):
            context.log.info(f"{source}: already queued or running as run {run_id} (report-facts submit); skipped")
            continue
        requests.append(
            dg.RunRequest(
                run_key=f"{found.document_id}:{digest}",
                partition_key=found.document_id,
                run_config={"ops": {"raw_pdf": {"config": {"path": resolved(file.location), "source_path": source}}}},
                tags={"report-facts/file": source, SHA_TAG: digest, "report-facts/identity": found.kind},
            )
        )
    if not requests:
        return dg.SensorResult(skip_reason="no new or changed PDFs", cursor=json.dumps(state, sort_keys=True))
    return dg.SensorResult(
        run_requests=requests,
        dynamic_partitions_requests=[
            documents_partitions.build_add_request(sorted({r.partition_key for r in requests}))
        ],
        cursor=json.dumps(state, sort_keys=True),
    )
