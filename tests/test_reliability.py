"""Bad inputs, limits, atomic and repeatable output, killed and concurrent runs."""

import multiprocessing
import os
import shutil
import signal
import time
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from pipeline.chars import Limits
from pipeline.document import parse, structure_tables
from pipeline.ingest import IngestError
from pipeline.locks import document_lock
from pipeline.schemas import to_arrow
from pipeline.writer import read_table, write_partition
from report_facts import cli
from tests.badfiles import make_bad_files, make_empty_password_pdf
from tests.conftest import REALWORLD, require

BAD = ["not_pdf", "empty", "truncated", "corrupt", "password", "scanned"]


@pytest.fixture(scope="module")
def bad_files(tmp_path_factory, reports):
    return make_bad_files(tmp_path_factory.mktemp("bad"), reports["a1"].path)


@pytest.mark.parametrize("kind", BAD)
def test_bad_input_is_refused_naming_file_and_reason(bad_files, kind: str) -> None:
    path, words = bad_files[kind]
    with pytest.raises(IngestError) as err:
        parse(path, workers=1)
    assert str(err.value).startswith(f"{path.name}: ")
    assert words in str(err.value)


def test_empty_user_password_is_opened(tmp_path: Path) -> None:
    doc = parse(make_empty_password_pdf(tmp_path / "open.pdf"), workers=1)
    assert "Harbour Authority" in " ".join(b.text for b in doc.structure.blocks)


def test_realworld_password_and_malformed_files() -> None:
    locked = require(REALWORLD / "password-example.pdf")
    with pytest.raises(IngestError, match="needs a password"):
        parse(locked, workers=1)
    malformed = require(REALWORLD / "malformed-from-issue-932.pdf")
    try:
        doc = parse(malformed, workers=1)  # pdfminer recovers this one; if it cannot, the error must be clear
        assert doc.structure.pages
    except IngestError as exc:
        assert str(exc).startswith("malformed-from-issue-932.pdf: ")


def test_page_limit(reports) -> None:
    with pytest.raises(IngestError, match="exceeds the limit of 3"):
        parse(reports["a1"].path, max_pages=3)


def test_time_limit_stops_the_reader(reports) -> None:
    started = time.monotonic()
    with pytest.raises(IngestError, match="longer than the limit"):
        parse(reports["a1"].path, limits=Limits(seconds=0.01, memory_mb=None))
    assert time.monotonic() - started < 10


def _hungry_reader(path: str, indices: range) -> list:
    """Stands in for a hostile page whose parsing balloons: asks for far more memory than allowed."""
    return [bytearray(512 * 1024 * 1024)]


def test_memory_limit_stops_the_reader(reports, monkeypatch) -> None:
    import pipeline.chars

    count_pages, _ = pipeline.chars.SOURCES["pdfplumber"]
    monkeypatch.setitem(pipeline.chars.SOURCES, "pdfplumber", (count_pages, _hungry_reader))
    with pytest.raises(IngestError, match="more than the limit of 256 MB"):
        parse(reports["a1"].path, limits=Limits(seconds=30, memory_mb=256))


def test_same_input_gives_identical_tables(reports) -> None:
    first = structure_tables(parse(reports["b1"].path, workers=1))
    second = structure_tables(parse(reports["b1"].path, workers=2))
    for name in first:
        assert first[name].equals(second[name]), name


def test_folder_mixing_good_and_bad_files(tmp_path: Path, bad_files, reports, monkeypatch) -> None:
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster"))
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(reports["a1"].path, raw / "good-one.pdf")
    shutil.copy(reports["b1"].path, raw / "good-two.pdf")
    for kind in ("not_pdf", "truncated", "password"):
        shutil.copy(bad_files[kind][0], raw / bad_files[kind][0].name)
    out = tmp_path / "out"
    code = cli.main(["run", str(raw), "--output-dir", str(out)])
    assert code == 1
    documents = pd.read_parquet(out / "documents")
    assert sorted(documents["document_id"].astype(str)) == ["good-one", "good-two"]
    errors = pd.read_parquet(out / "ingest_errors")
    reasons = dict(zip(errors["file_name"], errors["reason"], strict=True))
    assert reasons == {
        "notes.pdf": "not a PDF (no %PDF- header)",
        "truncated.pdf": reasons["truncated.pdf"],
        "locked.pdf": "encrypted PDF needs a password",
    }
    assert "corrupt or truncated" in reasons["truncated.pdf"]


def test_failed_rerun_keeps_earlier_good_output(tmp_path: Path, bad_files, reports, monkeypatch) -> None:
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster"))
    pdf = tmp_path / "report.pdf"
    shutil.copy(reports["a1"].path, pdf)
    out = tmp_path / "out"
    assert cli.main(["run", str(pdf), "--output-dir", str(out)]) == 0
    before = {t: read_table(out, t) for t in ("blocks", "mentions")}
    shutil.copy(bad_files["truncated"][0], pdf)  # the file is replaced by a broken copy
    assert cli.main(["run", str(pdf), "--output-dir", str(out)]) == 1
    for table, data in before.items():
        assert read_table(out, table).equals(data)  # pyarrow compares the nested columns (boxes, glyphs) too
    assert list(pd.read_parquet(out / "ingest_errors")["file_name"]) == ["report.pdf"]


def _slow_writer(out: str, marker: str, pause: float) -> None:
    """Write two tables under the document lock, pausing in between, as one run's step would."""
    rows = [{"block_id": marker, "seq": 0, "kind": "paragraph", "text": marker, "page": 1, "page_end": 1}]
    with document_lock(Path(out), "doc"):
        write_partition(Path(out), "blocks", "doc", to_arrow("blocks", rows), version="v")
        time.sleep(pause)
        write_partition(Path(out), "pages", "doc", to_arrow("pages", [{"page": 1, "page_label": marker}]), version="v")


def test_two_concurrent_runs_never_interleave(tmp_path: Path) -> None:
    ctx = multiprocessing.get_context("fork")
    procs = [ctx.Process(target=_slow_writer, args=(str(tmp_path), m, 0.5)) for m in ("first", "second")]
    for p in procs:
        p.start()
        time.sleep(0.1)
    for p in procs:
        p.join(30)
    blocks = pd.read_parquet(tmp_path / "blocks")
    pages = pd.read_parquet(tmp_path / "pages")
    assert list(blocks["text"]) == list(pages["page_label"]) == ["second"]


def _killed_writer(out: str) -> None:
    import pipeline.store as store

    real = store.os.replace

    def slow(src, dst):
        time.sleep(60)  # the file exists in staging, the replace has not happened: killed here
        real(src, dst)

    store.os.replace = slow
    rows = [{"block_id": "new", "seq": 0, "kind": "paragraph", "text": "new", "page": 1, "page_end": 1}]
    write_partition(Path(out), "blocks", "doc", to_arrow("blocks", rows), version="v")


def test_killed_run_leaves_previous_partition_readable(tmp_path: Path) -> None:
    rows = [{"block_id": "old", "seq": 0, "kind": "paragraph", "text": "old", "page": 1, "page_end": 1}]
    write_partition(tmp_path, "blocks", "doc", to_arrow("blocks", rows), version="v")
    proc = multiprocessing.get_context("fork").Process(target=_killed_writer, args=(str(tmp_path),))
    proc.start()
    deadline = time.monotonic() + 20
    while not list((tmp_path / ".staging").glob("*/*.tmp")) and time.monotonic() < deadline:
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.join()
    assert list(pd.read_parquet(tmp_path / "blocks")["text"]) == ["old"]
    files = list((tmp_path / "blocks").rglob("*.parquet"))
    assert len(files) == 1 and pq.read_table(files[0]).num_rows == 1
