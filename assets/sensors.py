"""Sensor on raw/: registers new PDFs as partitions and requests a run for every new or changed file.

The cursor keeps, per file name, (mtime, size, sha256): a file is hashed only when its
mtime or size moved, and a run is requested only when its content hash is new. The
hash is in the run_key, so the same content never runs twice. A file the instance has
already seen through to its last asset with the same hash (a ``report-facts run`` before
``dagster dev`` started, with an empty cursor) is not run again either.
"""

import json
from pathlib import Path

import dagster as dg

from assets.partitions import documents_partitions
from assets.resources import StorageResource
from pipeline.ids import document_key
from pipeline.ingest import sha256_of

PIPELINE_ASSETS = dg.AssetSelection.groups("layout", "structure", "facts", "editions")


FIRST_ASSET = dg.AssetKey("raw_pdf")
LAST_ASSET = dg.AssetKey("edition_changes")


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


def scan(raw_dir: Path, previous: dict[str, list]) -> tuple[dict[str, list], list[Path]]:
    """New cursor state for the PDFs in raw_dir and the files whose content is new since ``previous``."""
    state: dict[str, list] = {}
    changed: list[Path] = []
    for path in sorted(p for p in raw_dir.glob("*") if p.is_file() and p.suffix.lower() == ".pdf"):
        stat = path.stat()
        before = previous.get(path.name)
        if before and before[0] == stat.st_mtime_ns and before[1] == stat.st_size:
            state[path.name] = before
            continue
        digest = sha256_of(path)
        state[path.name] = [stat.st_mtime_ns, stat.st_size, digest]
        if not before or before[2] != digest:
            changed.append(path)
    return state, changed


@dg.sensor(
    target=PIPELINE_ASSETS,
    default_status=dg.DefaultSensorStatus.RUNNING,
    minimum_interval_seconds=15,
    description="Registers PDFs dropped into raw/ as document partitions and materializes them.",
)
def raw_pdf_sensor(context: dg.SensorEvaluationContext, storage: StorageResource) -> dg.SensorResult:
    previous = json.loads(context.cursor) if context.cursor else {}
    state, changed = scan(Path(storage.raw_dir), previous)
    requests: list[dg.RunRequest] = []
    keys: list[str] = []
    owners: dict[str, str] = {}
    for name in state:
        owners.setdefault(document_key(name), name)
    for path in changed:
        key = document_key(path.name)
        if owners[key] != path.name:
            context.log.error(f"{path.name}: document id {key!r} is already used by {owners[key]}; skipped")
            continue
        digest = state[path.name][2]
        if already_processed(context.instance, key, digest):
            context.log.info(f"{path.name}: this content is already processed on this instance; skipped")
            continue
        keys.append(key)
        requests.append(
            dg.RunRequest(
                run_key=f"{key}:{digest}",
                partition_key=key,
                run_config={"ops": {"raw_pdf": {"config": {"path": str(path.resolve())}}}},
                tags={"report-facts/file": path.name, "report-facts/sha256": digest},
            )
        )
    if not requests:
        return dg.SensorResult(skip_reason="no new or changed PDFs", cursor=json.dumps(state, sort_keys=True))
    return dg.SensorResult(
        run_requests=requests,
        dynamic_partitions_requests=[documents_partitions.build_add_request(sorted(set(keys)))],
        cursor=json.dumps(state, sort_keys=True),
    )
