"""Dagster's SQLite storages (run history, event log, schedules) made cheaper for many short runs.

The storages are Dagster's (the dagster family is pinned); these patches change how they reach
SQLite, not what they store: no fsync per event, one engine and kept connections per database,
and the migration scripts read once per process instead of once per new run shard.
"""

import functools
import importlib
import os
import sqlite3

import sqlalchemy
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.pool import NullPool, Pool, SingletonThreadPool


def _without_fsync(dbapi_connection, _record) -> None:
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.execute("PRAGMA synchronous=OFF")


def no_fsync_on_run_history() -> None:
    """Dagster's SQLite run and event storage commits every event with fsync, one connection each:
    on a busy disk that waiting is most of the fixed cost of a short document's run (10 runs of six
    no-op assets: 37 s with fsync, 13 s without, the CPU time alike). The run history is not the
    output (Parquet tables and their journal have their own protocol): a killed process loses
    nothing; only a power loss could leave the history, not the tables, damaged."""
    if not event.contains(Engine, "connect", _without_fsync):
        event.listen(Engine, "connect", _without_fsync)


_EVENT_LOG_MODULE = "dagster._core.storage.event_log.sqlite.sqlite_event_log"
_SQLITE_STORAGE_MODULES = (
    _EVENT_LOG_MODULE,
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
def _engine(url: str, poolclass: type | None, timeout: float | None) -> Engine:
    connect_args = {} if timeout is None else {"timeout": timeout}
    return sqlalchemy.create_engine(url, poolclass=poolclass, connect_args=connect_args)


_POOL_OWNER: dict[Engine, int] = {}  # the process whose connections an engine's pool holds
_INHERITED_POOLS: list[Pool] = []  # a parent's pools, never closed (nor collected) in a forked process


def _reused_engine(url: str, *, poolclass: type | None = None, connect_args: dict | None = None) -> Engine:
    """``sqlalchemy.create_engine`` for the calls Dagster's SQLite storages make: one engine per database.

    They build an engine for every connection (``NullPool``, then ``dispose()``), so each of the
    hundred-odd events of a run compiled its SQL anew (SQLAlchemy's statement cache lives on the
    engine) and opened a new connection: the engine is kept, with its connections
    (``KeptConnections``). A connection must not cross a fork: a forked process (a document process)
    keeps the engine, with the SQL compiled so far, but gets a pool of its own, as SQLAlchemy's
    ``Engine.dispose(close=False)`` does; the parent's connections are left untouched there.
    """
    extra = set(connect_args or {}) - {"timeout"}
    if extra:
        raise TypeError(f"unexpected connect_args {sorted(extra)}")
    kept = KeptConnections if poolclass in (None, NullPool) else poolclass
    engine = _engine(str(url), kept, (connect_args or {}).get("timeout"))
    owner = _POOL_OWNER.get(engine)
    if owner is not None and owner != os.getpid():
        _INHERITED_POOLS.append(engine.pool)
        engine.pool = _fresh(engine.pool)
    _POOL_OWNER[engine] = os.getpid()
    return engine


def _fresh(pool: Pool) -> Pool:
    """A new, empty pool like ``pool`` (``KeptConnections.recreate`` keeps the pool itself)."""
    return SingletonThreadPool.recreate(pool) if isinstance(pool, KeptConnections) else pool.recreate()


def reuse_sqlite_engines() -> None:
    """Route the SQLite storages' engine creation (the dagster family is pinned) through ``_reused_engine``."""
    for name in _SQLITE_STORAGE_MODULES:
        module = importlib.import_module(name)
        module.create_engine = _reused_engine


_SCRIPTS: dict[str, ScriptDirectory] = {}


def _scripts(alembic_config: Config) -> ScriptDirectory:
    """The migration scripts of ``alembic_config``, read once per process and script location."""
    location = alembic_config.get_main_option("script_location") or ""
    if location not in _SCRIPTS:
        _SCRIPTS[location] = ScriptDirectory.from_config(alembic_config)
    return _SCRIPTS[location]


def _check_alembic_revision(alembic_config: Config, conn: Connection) -> tuple[str | None, str | None]:
    """``dagster._core.storage.sql.check_alembic_revision`` with the scripts read once per process."""
    from dagster._core.storage.sql import _alembic_lock

    with _alembic_lock:
        db_revision = MigrationContext.configure(conn).get_current_revision()
        head = _scripts(alembic_config).as_revision_number("head")
    return db_revision, head


def _stamp_alembic_rev(alembic_config: Config, conn: Connection, rev: str = "head") -> None:
    """``dagster._core.storage.sql.stamp_alembic_rev`` through alembic's ``MigrationContext.stamp``: the same
    version row, without reading the scripts and running the environment script again."""
    from dagster._core.storage.sql import _alembic_lock

    with _alembic_lock:
        MigrationContext.configure(conn).stamp(_scripts(alembic_config), rev)


def scripts_read_once() -> None:
    """The SQLite event log creates a database per run and checks and stamps its migration revision: alembic
    read and parsed every migration script of the event log twice for each, and ran the environment
    script (about 45 ms per run, a tenth of a short document's Dagster overhead)."""
    module = importlib.import_module(_EVENT_LOG_MODULE)
    module.check_alembic_revision = _check_alembic_revision
    module.stamp_alembic_rev = _stamp_alembic_rev


def tune_sqlite_storages() -> None:
    """All of the above, for this process (idempotent)."""
    no_fsync_on_run_history()
    reuse_sqlite_engines()
    scripts_read_once()
