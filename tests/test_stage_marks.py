"""Stage marks for the bench, and the CLI's run history written without fsync."""

import sqlalchemy

from pipeline.timing import STAGE_LOG_ENV, mark, stage_durations
from report_facts.sqlite_storage import no_fsync_on_run_history


def test_marks_add_up_per_stage_over_documents(tmp_path, monkeypatch) -> None:
    log = tmp_path / "stages.jsonl"
    mark("a", "never written")  # no file named: no cost, nothing kept
    monkeypatch.setenv(STAGE_LOG_ENV, str(log))
    for doc in ("a", "b"):
        mark(doc, "read")
        mark(doc, "write")
        mark(doc, "(done)")
    lines = log.read_text().splitlines()
    assert len(lines) == 6
    durations = stage_durations(lines)
    assert set(durations) == {"read", "write"}  # the last mark of a document only ends the one before
    assert all(v >= 0 for v in durations.values())


def test_durations_follow_the_clock_not_the_file_order() -> None:
    lines = [
        '{"t": 5.0, "document": "a", "stage": "write"}',
        '{"t": 1.0, "document": "a", "stage": "read"}',
        '{"t": 9.5, "document": "a", "stage": "(done)"}',
        '{"t": 2.0, "document": "b", "stage": "read"}',
        '{"t": 3.0, "document": "b", "stage": "(done)"}',
    ]
    assert stage_durations(lines) == {"read": 5.0, "write": 4.5}


def test_run_history_connections_skip_fsync(tmp_path) -> None:
    no_fsync_on_run_history()
    no_fsync_on_run_history()  # idempotent: one listener
    engine = sqlalchemy.create_engine(f"sqlite:///{tmp_path / 'history.db'}")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 0
