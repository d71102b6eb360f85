"""Whether the Celery worker executing a run is still alive, for the daemon's run monitoring.

dagster-celery's ``CeleryRunLauncher`` reports a run's health from its Celery task state. A
worker killed outright (SIGKILL, the OOM killer, a lost machine) never updates that state:
the task stays STARTED in the result backend, the daemon keeps reporting the run as running
until ``max_runtime_seconds``, and the one-run-per-document queue limit holds that document
for as long. Celery's own liveness signals do not help: a ``--pool=solo`` worker answers
neither pings nor sends event heartbeats while it executes a task.

So a worker executing a run task keeps a key in the result backend (Redis) that expires
after ``TTL_SECONDS`` and is refreshed every ``BEAT_SECONDS`` by a thread of its own; the
key is set before Celery records the task as STARTED and deleted after it records the end.
``MonitoredCeleryRunLauncher`` reports a STARTED task whose key has expired as FAILED, and
run monitoring (deploy/dagster.yaml) then marks the run failed, which frees the document's
queue slot; re-submitting it runs it again and completes the interrupted commit's recovery.

Workers load the signal handlers below through deploy/celery.yaml
(``config_source: {imports: [report_facts.celery_runs]}``); the daemon loads the launcher
class named in deploy/dagster.yaml.
"""

from __future__ import annotations

import logging
import threading

from celery.signals import task_postrun, task_prerun
from dagster._core.launcher import CheckRunHealthResult, WorkerStatus
from dagster_celery.config import TASK_EXECUTE_JOB_NAME, TASK_RESUME_JOB_NAME
from dagster_celery.launcher import CeleryRunLauncher
from dagster_celery.tags import DAGSTER_CELERY_TASK_ID_TAG

BEAT_SECONDS = 10
TTL_SECONDS = 60  # six missed beats: a GIL-bound stretch of the pipeline never looks like a dead worker
RUN_TASKS = {TASK_EXECUTE_JOB_NAME, TASK_RESUME_JOB_NAME}
log = logging.getLogger(__name__)


def heartbeat_key(task_id: str) -> str:
    return f"report-facts:run-worker:{task_id}"


def _redis(backend):
    """The result backend's Redis client; None for other backends (no heartbeats, Celery's state only)."""
    client = getattr(backend, "client", None)
    return client if client is not None and hasattr(client, "set") else None


class _Heartbeat:
    """Refreshes one task's key until stopped; a failed refresh is logged and retried on the next beat."""

    def __init__(self, client, task_id: str, hostname: str) -> None:
        self.client, self.key, self.hostname = client, heartbeat_key(task_id), hostname
        self.stopped = threading.Event()
        self.beat()  # before Celery records STARTED: a started task always has its key
        self.thread = threading.Thread(target=self._run, name=f"heartbeat-{task_id}", daemon=True)
        self.thread.start()

    def beat(self) -> None:
        self.client.set(self.key, self.hostname, ex=TTL_SECONDS)

    def _run(self) -> None:
        while not self.stopped.wait(BEAT_SECONDS):
            try:
                self.beat()
            except Exception:
                log.exception("heartbeat of %s failed", self.key)

    def stop(self) -> None:
        self.stopped.set()
        self.thread.join()
        self.client.delete(self.key)


_running: dict[str, _Heartbeat] = {}


@task_prerun.connect
def _start_heartbeat(task_id: str | None = None, task=None, **_) -> None:
    if task is None or task_id is None or task.name not in RUN_TASKS:
        return
    client = _redis(task.backend)
    if client is not None:
        _running[task_id] = _Heartbeat(client, task_id, str(getattr(task.request, "hostname", "") or ""))


@task_postrun.connect
def _stop_heartbeat(task_id: str | None = None, **_) -> None:
    beat = _running.pop(task_id or "", None)
    if beat is not None:
        beat.stop()


class MonitoredCeleryRunLauncher(CeleryRunLauncher):
    """``CeleryRunLauncher`` whose health check also fails a run whose worker stopped sending heartbeats."""

    def check_run_worker_health(self, run) -> CheckRunHealthResult:
        health = super().check_run_worker_health(run)
        client = _redis(self.celery.backend)
        if health.status != WorkerStatus.RUNNING or client is None:
            return health
        task_id = run.tags[DAGSTER_CELERY_TASK_ID_TAG]
        if client.exists(heartbeat_key(task_id)):
            return health
        started = self.celery.AsyncResult(task_id).info
        where = f"{started.get('hostname')} (pid {started.get('pid')})" if isinstance(started, dict) else "its worker"
        return CheckRunHealthResult(
            WorkerStatus.FAILED,
            f"Celery task {task_id} is STARTED but {where} sent no heartbeat for {TTL_SECONDS} s: the worker died",
        )
