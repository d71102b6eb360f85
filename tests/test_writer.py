"""The Parquet writer: contract layout, versioned files, one document's tables switched together."""

from pathlib import Path

import duckdb
import pandas as pd
import pyarrow.parquet as pq
import pytest

from pipeline import commit as protocol
from pipeline import writer
from pipeline.schemas import TABLES, to_arrow
from pipeline.store import open_store


def _blocks(texts: list[str]):
    rows = [
        {"block_id": f"b{i}", "seq": i, "kind": "paragraph", "text": t, "page": 1, "page_end": 1, "page_breaks": []}
        for i, t in enumerate(texts)
    ]
    return to_arrow("blocks", rows)


def _document(texts: list[str]) -> dict:
    """Every committed table of a tiny document; its blocks say ``texts``."""
    tables = {name: TABLES[name].empty_table() for name in protocol.COMMITTED_TABLES}
    tables["documents"] = to_arrow("documents", [{"file_name": "x.pdf", "title": texts[0]}])
    tables["blocks"] = _blocks(texts)
    return tables


def test_partition_layout_readable_by_pandas_pyarrow_and_duckdb(tmp_path: Path) -> None:
    writer.write_partition(tmp_path, "blocks", "doc-a", _blocks(["one", "two"]), version="v1")
    writer.write_partition(tmp_path, "blocks", "doc-b", _blocks(["three"]), version="v1")
    df = pd.read_parquet(tmp_path / "blocks")
    assert sorted(df["document_id"].astype(str)) == ["doc-a", "doc-a", "doc-b"]
    assert set(df["document_version"]) == {"v1"}
    assert (
        list(pq.read_schema(next((tmp_path / "blocks" / "document_id=doc-a").glob("*.parquet"))).names)
        == TABLES["blocks"].names
    )
    con = duckdb.connect()
    n = con.execute(
        f"select count(*) from read_parquet('{tmp_path}/blocks/*/*.parquet', hive_partitioning=true) "
        "where document_id = 'doc-a'"
    ).fetchone()[0]
    assert n == 2


def test_commit_replaces_every_table_of_only_that_document(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    protocol.commit(store, "doc-a", "va1", _document(["old a"]))
    protocol.commit(store, "doc-b", "vb1", _document(["old b"]))
    protocol.commit(store, "doc-a", "va2", _document(["new a", "newer a"]))
    df = pd.read_parquet(tmp_path / "blocks")
    assert sorted(df[df["document_id"] == "doc-a"]["text"]) == ["new a", "newer a"]
    assert list(df[df["document_id"] == "doc-b"]["text"]) == ["old b"]
    for table in set(protocol.COMMITTED_TABLES) - {"documents"}:
        assert set(writer.versions_present(store, table, "doc-a")) == {"va2"}, table
    assert writer.committed_version(store, "doc-a") == "va2"
    assert not store.list(protocol.JOURNAL)
    assert all(s.problems == [] for s in protocol.status(store))


def test_failed_commit_keeps_previous_version_and_recovery_removes_the_partial_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = open_store(tmp_path)
    protocol.commit(store, "doc-a", "v1", _document(["good"]))

    def fail_after_sections(boundary: int) -> None:
        if boundary == 3:
            raise OSError("disk full")

    with pytest.raises(OSError):
        protocol.commit(store, "doc-a", "v2", _document(["bad"]), on_boundary=fail_after_sections)
    assert [s.problems != [] for s in protocol.status(store)] == [True]
    joined = _joined(tmp_path, "blocks")
    assert list(joined["text"]) == ["good"]
    assert protocol.recover(store, tmp_path) == ["doc-a: rolled back version v2, kept version v1"]
    assert list(pd.read_parquet(tmp_path / "blocks")["text"]) == ["good"]
    assert all(s.problems == [] for s in protocol.status(store))


def _joined(out: Path, table: str) -> pd.DataFrame:
    """What a reader joining on (document_id, document_version) sees."""
    return (
        duckdb.connect()
        .execute(
            f"select t.* from read_parquet('{out}/{table}/*/*.parquet', hive_partitioning=true) t "
            f"join read_parquet('{out}/documents/*/*.parquet', hive_partitioning=true) d "
            "using (document_id, document_version)"
        )
        .df()
    )


def test_leftover_staging_folder_is_invisible_to_readers(tmp_path: Path) -> None:
    writer.write_partition(tmp_path, "blocks", "doc-a", _blocks(["good"]), version="v1")
    stale = tmp_path / ".staging" / "documents" / "doc-a" / "v2"
    stale.mkdir(parents=True)
    pq.write_table(_blocks(["half written"]), stale / "blocks.parquet")
    assert list(pd.read_parquet(tmp_path / "blocks")["text"]) == ["good"]
    rows = (
        duckdb.connect()
        .execute(f"select text from read_parquet('{tmp_path}/blocks/*/*.parquet', hive_partitioning=true)")
        .fetchall()
    )
    assert rows == [("good",)]


@pytest.mark.parametrize("bad", ["", "..", ".hidden", "a/b", "..\\x"])
def test_document_ids_cannot_escape_the_output_folder(tmp_path: Path, bad: str) -> None:
    with pytest.raises(ValueError):
        writer.partition_dir(tmp_path, "blocks", bad)


def test_output_from_before_versions_is_replaced_by_the_first_commit(tmp_path: Path) -> None:
    legacy = tmp_path / "blocks" / "document_id=doc-a"
    legacy.mkdir(parents=True)
    pq.write_table(_blocks(["unversioned"]).drop_columns(["document_version"]), legacy / "part-0.parquet")
    store = open_store(tmp_path)
    assert protocol.status(store)[0].problems
    protocol.commit(store, "doc-a", "v1", _document(["versioned"]))
    assert list(pd.read_parquet(tmp_path / "blocks")["text"]) == ["versioned"]
    assert all(not s.problems for s in protocol.status(store))


def test_a_cli_start_completes_or_rolls_back_first(tmp_path: Path, capsys) -> None:
    from report_facts import cli

    out = tmp_path / "out"
    store = open_store(out)
    protocol.commit(store, "doc-a", "v1", _document(["good"]))

    def crash(boundary: int) -> None:
        if boundary == 2:
            raise OSError("killed")

    with pytest.raises(OSError):
        protocol.commit(store, "doc-a", "v2", _document(["half"]), on_boundary=crash)
    assert cli.main(["status", "--output-dir", str(out)]) == 1
    assert "INCONSISTENT" in capsys.readouterr().out
    (tmp_path / "empty").mkdir()
    assert cli.main(["run", str(tmp_path / "empty"), "--output-dir", str(out)]) == 2  # no PDFs, but recovered
    assert "rolled back version v2" in capsys.readouterr().err
    assert cli.main(["status", "--output-dir", str(out)]) == 0
