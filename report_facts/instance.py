"""The persistent Dagster instance the CLI shares with ``dagster dev``, so CLI runs show up in the UI."""

import functools
import os
from pathlib import Path

import dagster as dg
from sqlalchemy.engine import Connection

from assets.resources import PROJECT_ROOT
from report_facts.sqlite_storage import tune_sqlite_storages

# Runs queued by the sensor or the UI: at most one run per document partition at a time, so two
# runs of one document never interleave (the writer's file lock covers runs started elsewhere).
INSTANCE_CONFIG = """\
telemetry:
  enabled: false
concurrency:
  runs:
    max_concurrent_runs: 4
    tag_concurrency_limits:
      - key: "dagster/partition"
        value:
          applyLimitPerUniqueValue: true
        limit: 1
"""


def dagster_home() -> Path:
    """``$DAGSTER_HOME`` if set, else the project-local ``.dagster/`` (also what ``make ui`` uses)."""
    home = Path(os.environ.get("DAGSTER_HOME") or PROJECT_ROOT / ".dagster").resolve()
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists():
        config.write_text(INSTANCE_CONFIG)
    os.environ["DAGSTER_HOME"] = str(home)
    return home


def persistent_instance() -> dg.DagsterInstance:
    """The instance of ``$DAGSTER_HOME``, built once per process and home (building one opens and checks
    every storage: about half a second, which every document's run paid again)."""
    home = dagster_home()
    tune_sqlite_storages()
    return _instance(os.getpid(), str(home))


# The command line prints its own progress: no capture of each run's stdout and stderr into files that
# `tail -F` processes (and a Python watcher process each) mirror back to the terminal, four processes
# started and stopped per document. Runs of `dagster dev`, the sensor and the queue keep their capture.
_NO_CAPTURE = {
    "compute_logs": {"module": "dagster._core.storage.noop_compute_log_manager", "class": "NoOpComputeLogManager"}
}


@functools.cache
def _instance(pid: int, home: str) -> dg.DagsterInstance:
    """One per process (a forked document process builds its own) and home (tests switch homes)."""
    from dagster._core.instance.ref import InstanceRef

    instance = dg.DagsterInstance.from_ref(InstanceRef.from_dir(home, overrides=_NO_CAPTURE))
    remember_what_stays_true(instance)
    return instance


def remember_what_stays_true(instance: dg.DagsterInstance) -> None:
    """Answer again, without a query, two questions a run asks its instance over and over once the answer
    was yes: whether a document's partition exists (about 12 queries a run: each partitioned input and
    output asks twice) and whether the event log's asset table has its index columns (a schema inspection
    for every asset event). Neither becomes false while this command runs: the command adds the
    partitions it runs, and columns are added by migrations, never dropped."""
    from dagster._core.storage.event_log.sql_event_log import SqlEventLogStorage

    ask_partition = instance.has_dynamic_partition
    partitions: set[tuple[str, str]] = set()

    def has_dynamic_partition(partitions_def_name: str, partition_key: str) -> bool:
        if (partitions_def_name, partition_key) not in partitions and ask_partition(partitions_def_name, partition_key):
            partitions.add((partitions_def_name, partition_key))
        return (partitions_def_name, partition_key) in partitions

    instance.has_dynamic_partition = has_dynamic_partition
    storage = instance.event_log_storage
    if not isinstance(storage, SqlEventLogStorage):
        return
    ask_columns = storage._has_asset_key_index_cols_on_connection
    columns: list[bool] = []

    def has_asset_key_index_cols(conn: Connection) -> bool:
        if not columns and ask_columns(conn):
            columns.append(True)
        return bool(columns)

    storage._has_asset_key_index_cols_on_connection = has_asset_key_index_cols
