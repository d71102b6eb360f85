"""The command's Dagster instance: the SQLite storages reach SQLite more cheaply but store the same."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import sqlalchemy
from dagster._core.storage import sql
from dagster._core.storage.event_log.sqlite import sqlite_event_log
from dagster._core.storage.event_log.sqlite.sqlite_event_log import SqlEventLogStorageMetadata

from assets.partitions import documents_partitions
from report_facts import sqlite_storage
from report_facts.instance import persistent_instance


def _new_shard(path: Path, check, stamp) -> tuple[tuple, list]:
    """A run shard created as ``SqliteEventLogStorage._initdb`` creates one, with these two alembic steps."""
    config = sql.get_alembic_config(sqlite_event_log.__file__)
    engine = sqlalchemy.create_engine(f"sqlite:///{path}")
    with engine.connect() as conn:
        before = check(config, conn)
        SqlEventLogStorageMetadata.create_all(engine)
        stamp(config, conn, rev="head")
        sql.safe_commit(conn)
        after = check(config, conn)
    engine.dispose()
    with sqlite3.connect(path) as db:
        versions = db.execute("select version_num from alembic_version").fetchall()
        schema = db.execute("select type, name, sql from sqlite_master order by name").fetchall()
    return (before, after, versions), schema


def test_a_new_run_shard_is_stamped_as_alembic_stamps_it(tmp_path: Path) -> None:
    ours = _new_shard(tmp_path / "ours.db", sqlite_storage._check_alembic_revision, sqlite_storage._stamp_alembic_rev)
    stock = _new_shard(tmp_path / "stock.db", sql.check_alembic_revision, sql.stamp_alembic_rev)
    assert ours == stock
    (before, after, versions), _ = ours
    assert before[0] is None and after[0] == after[1] == versions[0][0]  # at the head revision


def test_the_instance_remembers_a_partition_once_it_exists(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "home"))
    instance = persistent_instance()
    storage = instance.event_log_storage
    asked = []
    real = storage.has_dynamic_partition
    monkeypatch.setattr(storage, "has_dynamic_partition", lambda name, key: asked.append(key) or real(name, key))
    name = documents_partitions.name
    assert not instance.has_dynamic_partition(name, "later")
    instance.add_dynamic_partitions(name, ["later"])
    assert instance.has_dynamic_partition(partitions_def_name=name, partition_key="later")
    assert instance.has_dynamic_partition(name, "later")
    assert asked == ["later", "later"]  # a no is asked again; a yes only once
    with storage.index_connection() as conn:
        assert storage._has_asset_key_index_cols_on_connection(conn)  # the schema inspected once
    assert storage._has_asset_key_index_cols_on_connection(None)  # then no connection is needed
