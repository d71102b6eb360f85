"""Collections: start-up paid once per run (readers, models, instance), documents spread over processes,
and the same tables as processing them one after the other."""

from __future__ import annotations

import multiprocessing
import os
import shutil
import threading
import time
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

import pipeline.chars
from pipeline.chars import LimitExceeded, Limits, extract_pages
from pipeline.extract.nlp import once
from pipeline.identity import identify
from pipeline.ingest import check_pdf, sha256_of
from pipeline.schemas import TABLES
from pipeline.writer import read_partition
from report_facts import cli
from report_facts.batch import run_forked


def _notice(path: Path, title: str, body: str) -> Path:
    """A one-page notice of its own series (its own title)."""
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("Helvetica-Bold", 20)
    c.drawString(72, 760, title)
    c.setFont("Helvetica", 11)
    for i, line in enumerate(body.split("\n")):
        c.drawString(72, 720 - 16 * i, line)
    c.save()
    return path


@pytest.fixture()
def collection(tmp_path: Path, reports) -> Path:
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(reports["a1"].path, raw / "report.pdf")
    _notice(
        raw / "harbour.pdf",
        "Orvan Harbour Notice",
        "The Orvan Harbour Authority granted 2.5 million euros\nto the Veldt Marine Institute in March 2024.",
    )
    _notice(
        raw / "grants.pdf",
        "Kessel Grants Bulletin",
        "Mira Holt of the Kessel Science Council announced\ngrants of 40,000 dollars for 2025.",
    )
    return raw


def test_document_processes_write_the_tables_of_one_process(collection: Path, tmp_path: Path, monkeypatch) -> None:
    tables = set(TABLES) - {"ingest_errors"}
    outputs = {}
    for processes in (1, 2):
        monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / f"dagster-{processes}"))
        out = tmp_path / f"out-{processes}"
        assert cli.main(["run", str(collection), "--output-dir", str(out), "--processes", str(processes)]) == 0
        outputs[processes] = out
    for key in ("report", "harbour", "grants"):
        for table in tables:
            one, two = read_partition(outputs[1], table, key), read_partition(outputs[2], table, key)
            assert (one is None) == (two is None), (key, table)
            assert one is None or one.equals(two), (key, table)


def _square(n: int) -> int:
    return n * n


def _dies_on_three(n: int) -> int:
    if n == 3:
        os._exit(7)
    return n


def test_forked_groups_keep_their_order_and_a_dead_process_loses_only_its_documents() -> None:
    assert sorted(run_forked([[1, 2], [3], [4, 5]], 2, _square, lambda n, why: -1)) == [1, 4, 9, 16, 25]
    lost = []
    found = list(run_forked([[1, 2], [3, 6], [4]], 2, _dies_on_three, lambda n, why: lost.append((n, why)) or -n))
    assert sorted(found) == [-6, -3, 1, 2, 4]
    assert [n for n, _ in lost] == [3, 6] and "code 7" in lost[0][1]


def test_readers_live_across_documents_and_a_limit_replaces_them(reports) -> None:
    path = reports["a1"].path
    first = extract_pages(path, workers=1, limits=Limits(seconds=60))
    pool = pipeline.chars._READERS.pool
    readers = {p.pid for p in pool._pool}
    assert extract_pages(path, workers=1, limits=Limits(seconds=60)) == first
    assert pipeline.chars._READERS.pool is pool and {p.pid for p in pool._pool} == readers
    with pytest.raises(LimitExceeded):
        extract_pages(path, workers=1, limits=Limits(seconds=0.001))
    assert pipeline.chars._READERS.pool is None  # terminated: a reader may still be busy with the file
    assert extract_pages(path, workers=1, limits=Limits(seconds=60)) == first


def test_covers_read_by_readers_give_the_same_ids(tmp_path: Path, reports, collection: Path) -> None:
    files = [(p, p.name, sha256_of(p)) for p in sorted(collection.iterdir())]
    files += [(reports["a2"].path, "a2.pdf", sha256_of(reports["a2"].path))]
    here = identify(tmp_path / "here", files, readers=0)
    readers = identify(tmp_path / "readers", files, readers=2)
    assert [(a.document_id, a.kind) for a in readers] == [(a.document_id, a.kind) for a in here]


def test_a_model_loads_once_when_threads_race() -> None:
    calls = []

    @once
    def load(name: str) -> str:
        calls.append(name)
        time.sleep(0.2)
        return name.upper()

    threads = [threading.Thread(target=load, args=("sm",)) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert load("sm") == "SM" and calls == ["sm"]


def test_a_rewritten_file_is_admitted_anew(tmp_path: Path, reports) -> None:
    path = tmp_path / "report.pdf"
    shutil.copy(reports["a1"].path, path)
    assert check_pdf(path).sha256 == sha256_of(reports["a1"].path)
    shutil.copy(reports["b1"].path, path)
    assert check_pdf(path).sha256 == sha256_of(reports["b1"].path)
    with pytest.raises(Exception, match="exceeds the limit of 1"):
        check_pdf(path, max_pages=1)


def test_one_instance_per_process_and_one_kept_connection_per_database(tmp_path: Path, monkeypatch) -> None:
    import sqlalchemy
    from dagster._core.storage.runs.sqlite import sqlite_run_storage
    from sqlalchemy.pool import NullPool

    from report_facts.instance import persistent_instance

    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "one"))
    instance = persistent_instance()
    assert persistent_instance() is instance and instance.get_runs() == []
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "two"))
    assert persistent_instance() is not instance  # another home, another instance
    url = f"sqlite:///{tmp_path / 'runs.db'}"
    engine = sqlite_run_storage.create_engine(url, poolclass=NullPool)
    assert sqlite_run_storage.create_engine(url, poolclass=NullPool) is engine
    opened = []
    sqlalchemy.event.listen(engine, "connect", lambda dbapi_connection, _record: opened.append(dbapi_connection))
    for _ in range(3):  # what the storages do: a connection per statement, then dispose of the engine
        with engine.connect() as conn:
            assert conn.exec_driver_sql("select 1").scalar() == 1
        engine.dispose()
    assert len(opened) == 1  # one connection, kept
    with multiprocessing.get_context("fork").Pool(1) as pool:  # a forked process never uses the parent's connection
        child_engine, child_connection = pool.apply(_engine_and_connection_after_fork, (url,))
    assert child_engine == id(engine)  # the engine itself is inherited, with the SQL it compiled
    assert child_connection != id(opened[0])
    with engine.connect() as conn:  # the parent's connection still serves the parent
        assert conn.connection.dbapi_connection is opened[0]


def _engine_and_connection_after_fork(url: str) -> tuple[int, int]:
    """In a forked process: the storages' engine and the connection it hands out (ids: a forked process
    sees its parent's objects at the same addresses)."""
    from dagster._core.storage.runs.sqlite import sqlite_run_storage
    from sqlalchemy.pool import NullPool

    engine = sqlite_run_storage.create_engine(url, poolclass=NullPool)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("select 1").scalar() == 1
        return id(engine), id(conn.connection.dbapi_connection)


def test_cover_and_layout_from_one_parse_equal_reading_them_apart(reports, monkeypatch) -> None:
    import pipeline.document
    from pipeline.document import cover_and_layout, parse, structure_tables
    from pipeline.identity import read_cover

    path = reports["b1"].path
    cover, doc = cover_and_layout(path)
    assert cover == read_cover(path) and doc is not None
    apart = structure_tables(parse(path, workers=1))
    for name, data in structure_tables(doc).items():
        assert data.equals(apart[name]), name
    monkeypatch.setattr(pipeline.document, "PREFETCH_MAX_PAGES", 2)  # now a long document: the cover only
    assert cover_and_layout(path) == (cover, None)


def test_a_long_document_read_ahead_in_runs_parses_as_read_in_place(reports, monkeypatch) -> None:
    import pipeline.document
    from pipeline.document import parse, read_ahead, structure_tables
    from pipeline.ingest import file_key

    path = reports["e1"].path  # two columns: gutters are chosen document-wide after the first pass
    in_place = structure_tables(parse(path, workers=1))
    monkeypatch.setattr(pipeline.document, "PREFETCH_MAX_PAGES", 2)  # a long document now
    monkeypatch.setattr(pipeline.chars, "_MIN_PAGES_PER_WORKER", 1)
    monkeypatch.setattr(pipeline.chars, "_MIN_PAGES_PER_CHUNK", 1)
    read_ahead(path, workers=2, limits=Limits(seconds=60))
    key = (*file_key(path), "pdfplumber")
    pending = pipeline.document._PREFETCHED[key][1]
    assert len(pending.jobs) > 2  # runs of pages, several per reader
    ahead = structure_tables(parse(path, workers=2, limits=Limits(seconds=60)))
    assert key not in pipeline.document._PREFETCHED  # taken over
    for name, data in in_place.items():
        assert data.equals(ahead[name]), name


def test_a_read_ahead_over_the_time_limit_fails_the_document_with_the_reason(reports, monkeypatch) -> None:
    import pipeline.document
    from pipeline.document import parse, read_ahead
    from pipeline.ingest import IngestError

    path = reports["a1"].path
    monkeypatch.setattr(pipeline.document, "PREFETCH_MAX_PAGES", 2)
    monkeypatch.setattr(pipeline.chars, "_MIN_PAGES_PER_WORKER", 1)
    read_ahead(path, workers=2, limits=Limits(seconds=0.001))
    with pytest.raises(IngestError, match="reading took longer than the limit") as failure:
        parse(path, workers=2, limits=Limits(seconds=0.001))
    assert failure.value.path == path
    assert pipeline.chars._READERS.pool is None  # stopped: a reader may still be busy with the file


def test_a_reader_keeps_its_file_open_but_reads_a_rewritten_file_anew(tmp_path: Path, reports, monkeypatch) -> None:
    monkeypatch.setattr(pipeline.chars, "_MIN_PAGES_PER_WORKER", 1)
    path = tmp_path / "report.pdf"
    shutil.copy(reports["a1"].path, path)
    assert extract_pages(path, workers=2, limits=Limits(seconds=60)) == extract_pages(path, workers=1)
    shutil.copy(reports["b1"].path, path)  # same name, other content: the readers must not read the old file
    assert extract_pages(path, workers=2, limits=Limits(seconds=60)) == extract_pages(path, workers=1)


def _frozen_before_and_after_a_layout(path: Path) -> tuple[int, int, bool]:
    import gc

    from pipeline.document import cover_and_layout

    before = gc.get_freeze_count()
    cover_and_layout(path)
    return before, gc.get_freeze_count(), gc.isenabled()


def test_a_layout_leaves_a_readers_inherited_heap_frozen(reports) -> None:
    """A reader's inherited objects stay out of its collections (each walked the whole heap again when a
    layout unfroze them), and a layout pauses the collector without switching it on or off for good."""
    import gc

    reader = pipeline.chars.start_readers(1)
    before, after, enabled = reader.apply(_frozen_before_and_after_a_layout, (reports["b1"].path,))
    assert after > before // 2 > 0 and not enabled  # still frozen (a few freed); readers collect by hand
    from pipeline.structure import collector_paused

    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_covers_started_early_give_the_covers_and_keep_the_layouts(collection: Path, monkeypatch) -> None:
    import pipeline.document
    from pipeline.document import start_cover_reads
    from pipeline.identity import read_cover
    from pipeline.ingest import file_key

    paths = sorted(collection.iterdir())
    monkeypatch.setattr(pipeline.document, "_PREFETCHED", {})
    monkeypatch.setattr(pipeline.document, "LAYOUTS_AHEAD", 2)  # the third document: its cover only
    reads = start_cover_reads(paths, readers=2)
    assert reads.covers() == [read_cover(p) for p in paths]
    kept = {key[:-1] for key in pipeline.document._PREFETCHED}
    assert kept == {file_key(p) for p in paths[:2]}  # both short: their layouts wait for their runs


def test_covers_started_for_other_files_are_read_anew(collection: Path, tmp_path: Path) -> None:
    from pipeline.document import start_cover_reads

    pdfs = cli.collect_pdfs([str(collection)])
    here = cli.assign_ids(pdfs, tmp_path / "here")
    reads = start_cover_reads([Path(p.path) for p in pdfs[:1]], readers=1)  # then two files more came
    assert cli.assign_ids(pdfs, tmp_path / "early", readers=1, layouts=True, reads=reads) == here


def _frozen(_: int) -> int:
    import gc

    return gc.get_freeze_count()


def test_document_processes_start_with_the_hosts_heap_frozen() -> None:
    import gc

    before = gc.get_freeze_count()
    assert all(count > 1000 for count in run_forked([[1], [2]], 2, _frozen, lambda n, why: -1))
    assert gc.get_freeze_count() == before  # the host itself collects as before
