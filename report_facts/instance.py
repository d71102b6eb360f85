"""The persistent Dagster instance the CLI shares with ``dagster dev``, so CLI runs show up in the UI."""

import os
import sqlite3
from pathlib import Path

import dagster as dg

from assets.resources import PROJECT_ROOT

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


def _without_fsync(dbapi_connection, _record) -> None:
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.execute("PRAGMA synchronous=OFF")


def no_fsync_on_run_history() -> None:
    """Dagster's SQLite run and event storage commits every event with fsync, one connection each:
    on a busy disk that waiting is most of the fixed cost of a short document's run (10 runs of six
    no-op assets: 37 s with fsync, 13 s without, the CPU time alike). The run history is not the
    output (Parquet tables and their journal have their own protocol): a killed process loses
    nothing; only a power loss could leave the history, not the tables, damaged."""
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    if not event.contains(Engine, "connect", _without_fsync):
        event.listen(Engine, "connect", _without_fsync)


def persistent_instance() -> dg.DagsterInstance:
    dagster_home()
    no_fsync_on_run_history()
    return dg.DagsterInstance.get()
