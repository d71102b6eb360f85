"""The persistent Dagster instance the CLI shares with ``dagster dev``, so CLI runs show up in the UI."""

import functools
import importlib
import os
import sqlite3
from pathlib import Path

import dagster as dg
import sqlalchemy
from sqlalchemy.engine import Engine
from sqlalchemy.pool import NullPool, SingletonThreadPool

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


_SQLITE_STORAGE_MODULES = (
    "dagster._core.storage.event_log.sqlite.sqlite_event_log",
    "dagster._core.storage.event_log.sqlite.consolidated_sqlite_event_log",
    "dagster._core.storage.runs.sqlite.sqlite_run_storage",
    "dagster._core.storage.schedules.sqlite.sqlite_schedule_storage",
)


class KeptConnections(SingletonThreadPool):
    """Each thread's SQLite connection, kept across the storages' ``engine.dispose()`` calls.

    The storages open a connection for every statement and dispose of the engine after it
    (``NullPool``): a two-page document's run opened about 720 connections, and a new connection
    to a database in WAL mode opens its journal and shared-memory files again; in a collection
    of twenty two-page documents opening, setting up and closing connections was a fifth of all
    CPU time. Connections return to the pool with their transaction rolled back, so a kept
    connection holds no lock between uses; SQLite's own locking still orders the writers of
    other processes (``dagster dev``, other runs).
    """

    def dispose(self) -> None:
        """Keep the connections (the storages dispose of the engine after every use)."""

    def recreate(self) -> "KeptConnections":
        return self


@functools.cache
def _engine(url: str, poolclass: type | None, timeout: float | None, pid: int) -> Engine:
    connect_args = {} if timeout is None else {"timeout": timeout}
    return sqlalchemy.create_engine(url, poolclass=poolclass, connect_args=connect_args)


def _reused_engine(url: str, *, poolclass: type | None = None, connect_args: dict | None = None) -> Engine:
    """``sqlalchemy.create_engine`` for the calls Dagster's SQLite storages make, one engine per database
    and process (a connection must not cross a fork).

    They build an engine for every connection (``NullPool``, then ``dispose()``), so each of the
    hundred-odd events of a run compiled its SQL anew (SQLAlchemy's statement cache lives on the
    engine) and opened a new connection: the engine is kept, with its connections
    (``KeptConnections``).
    """
    extra = set(connect_args or {}) - {"timeout"}
    if extra:
        raise TypeError(f"unexpected connect_args {sorted(extra)}")
    kept = KeptConnections if poolclass in (None, NullPool) else poolclass
    return _engine(str(url), kept, (connect_args or {}).get("timeout"), os.getpid())


def reuse_sqlite_engines() -> None:
    """Route the SQLite storages' engine creation (the dagster family is pinned) through ``_reused_engine``."""
    for name in _SQLITE_STORAGE_MODULES:
        module = importlib.import_module(name)
        module.create_engine = _reused_engine


def persistent_instance() -> dg.DagsterInstance:
    """The instance of ``$DAGSTER_HOME``, built once per process and home (building one opens and checks
    every storage: about half a second, which every document's run paid again)."""
    home = dagster_home()
    no_fsync_on_run_history()
    reuse_sqlite_engines()
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

    return dg.DagsterInstance.from_ref(InstanceRef.from_dir(home, overrides=_NO_CAPTURE))
