"""The run queue of a team install: ``report-facts submit`` enqueues, workers run, ``status`` reads back.

``submit`` registers each PDF as a document partition and creates one run of the
``process_document`` job per document on the instance's queue (the QueuedRunCoordinator
of deploy/dagster.yaml, whose one-run-per-document limit is the per-document lock across
machines); the daemon hands queued runs to the run launcher (Celery workers, Kubernetes
jobs), so nothing is executed here. A document whose committed output already is this
version of these bytes, or that has a queued or running run for the same bytes, is not
submitted again. PDFs may be local paths every worker can read (a shared folder) or URLs
(``s3://bucket/raw/report.pdf``), which each worker copies for itself.

The run is created the way ``dagster job launch`` does, but loading the code location
once, in this process, for every document (``dagster._cli`` helpers: pinned dagster 1.13.27).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import dagster as dg

from assets.sensors import PARTITION_TAG, SHA_TAG, in_flight
from pipeline.store import Location

JOB = "process_document"


@dataclass
class Submitted:
    """What ``submit`` did with one PDF: the run it queued, or why it queued none."""

    source: str
    document_id: str
    run_id: str | None
    reason: str = ""


def _unchanged(output_dir: Location, document_id: str, sha256: str) -> bool:
    from pipeline.commit import document_version
    from pipeline.store import open_store
    from pipeline.writer import committed_version

    return committed_version(open_store(output_dir), document_id) == document_version(sha256)


def submit(pdfs: list, output_dir: Location, workspace: Path) -> list[Submitted]:
    """One queued run per new or changed document of ``pdfs`` (``cli.Source`` items)."""
    from dagster._cli.job import _create_run
    from dagster._cli.workspace.cli_target import (
        get_code_location_from_workspace,
        get_remote_repository_from_code_location,
        get_workspace_from_cli_opts,
    )
    from dagster.version import __version__
    from dagster_shared.cli import WorkspaceOpts

    from assets.partitions import documents_partitions
    from pipeline.ingest import sha256_of
    from pipeline.raw import is_file, local_copy, resolved
    from report_facts.cli import assign_ids
    from report_facts.instance import persistent_instance

    instance = persistent_instance()
    todo: list[tuple[object, str, str]] = []
    done: list[Submitted] = []
    for pdf, key in assign_ids(pdfs, output_dir):
        if not is_file(pdf.path):
            done.append(Submitted(pdf.relative, key, None, "not a readable file"))
            continue
        digest = sha256_of(local_copy(pdf.path))
        if _unchanged(output_dir, key, digest):
            done.append(Submitted(pdf.relative, key, None, "unchanged: its output is this version already"))
        elif run_id := in_flight(instance, key, digest):
            done.append(Submitted(pdf.relative, key, None, f"already queued or running as run {run_id}"))
        elif any(k == key for _, k, _ in todo):
            done.append(Submitted(pdf.relative, key, None, "the same document as another file of this submit"))
        else:
            todo.append((pdf, key, digest))
    if not todo:
        return done
    instance.add_dynamic_partitions(documents_partitions.name, sorted({key for _, key, _ in todo}))
    opts = WorkspaceOpts(workspace=[str(workspace)])
    with get_workspace_from_cli_opts(instance, __version__, opts, allow_in_process=True) as context:
        location = get_code_location_from_workspace(context, None)
        repo = get_remote_repository_from_code_location(location, None)
        job = repo.get_full_job(JOB)
        for pdf, key, digest in todo:
            run = _create_run(
                instance=instance,
                code_location=location,
                remote_repo=repo,
                remote_job=job,
                run_config={
                    "ops": {"raw_pdf": {"config": {"path": resolved(pdf.path), "source_path": pdf.relative}}},
                    "resources": {"storage": {"config": {"output_dir": str(output_dir)}}},
                },
                tags={
                    PARTITION_TAG: key,
                    SHA_TAG: digest,
                    "report-facts/file": pdf.relative,
                    "report-facts/source": "submit",
                },
                op_selection=None,
                run_id=None,
            )
            instance.submit_run(run.run_id, context)
            done.append(Submitted(pdf.relative, key, run.run_id))
    return done


@dataclass
class LastRun:
    """The latest run of one document on the instance."""

    run_id: str
    state: str
    error: str = ""


def _error(instance: dg.DagsterInstance, run_id: str) -> str:
    """The first step failure's message (or the run failure's): what went wrong, in one line."""
    events = instance.all_logs(run_id, of_type={dg.DagsterEventType.STEP_FAILURE, dg.DagsterEventType.RUN_FAILURE})
    for record in events:
        event = record.dagster_event
        data = getattr(event, "step_failure_data", None) if event and event.is_step_failure else None
        if data and data.error:
            error = data.error
            while error.cause is not None and "IngestError" not in error.cls_name:
                error = error.cause
            lines = (error.message or error.cls_name).strip().splitlines()
            return lines[-1] if lines else error.cls_name
    return events[0].message.strip().splitlines()[0] if events and events[0].message else ""


def last_runs(instance: dg.DagsterInstance, document_ids: list[str]) -> dict[str, LastRun]:
    """The latest run of every document in ``document_ids`` and of every document partition on the instance."""
    from assets.partitions import documents_partitions

    ids = sorted(set(document_ids) | set(instance.get_dynamic_partitions(documents_partitions.name)))
    found = {}
    for document_id in ids:
        runs = instance.get_runs(filters=dg.RunsFilter(tags={PARTITION_TAG: document_id}), limit=1)
        if runs:
            run = runs[0]
            failed = run.status == dg.DagsterRunStatus.FAILURE
            found[document_id] = LastRun(run.run_id, run.status.value, _error(instance, run.run_id) if failed else "")
    return found
