"""The Parquet writer: contract layout, atomic replacement of one document, no escape from output/."""

from pathlib import Path

import duckdb
import pandas as pd
import pyarrow.parquet as pq
import pytest

from pipeline import writer
from pipeline.schemas import TABLES, to_arrow


def _blocks(texts: list[str]):
    rows = [
        {"block_id": f"b{i}", "seq": i, "kind": "paragraph", "text": t, "page": 1, "page_end": 1, "page_breaks": []}
        for i, t in enumerate(texts)
    ]
    return to_arrow("blocks", rows)


def test_partition_layout_readable_by_pandas_pyarrow_and_duckdb(tmp_path: Path) -> None:
    writer.write_partition(tmp_path, "blocks", "doc-a", _blocks(["one", "two"]))
    writer.write_partition(tmp_path, "blocks", "doc-b", _blocks(["three"]))
    df = pd.read_parquet(tmp_path / "blocks")
    assert sorted(df["document_id"].astype(str)) == ["doc-a", "doc-a", "doc-b"]
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


def test_rewrite_replaces_only_that_document(tmp_path: Path) -> None:
    writer.write_partition(tmp_path, "blocks", "doc-a", _blocks(["old a"]))
    writer.write_partition(tmp_path, "blocks", "doc-b", _blocks(["old b"]))
    writer.write_partition(tmp_path, "blocks", "doc-a", _blocks(["new a", "newer a"]))
    df = pd.read_parquet(tmp_path / "blocks")
    assert sorted(df[df["document_id"] == "doc-a"]["text"]) == ["new a", "newer a"]
    assert list(df[df["document_id"] == "doc-b"]["text"]) == ["old b"]


def test_failed_write_keeps_previous_partition(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    writer.write_partition(tmp_path, "blocks", "doc-a", _blocks(["good"]))

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(writer.pq, "write_table", broken)
    with pytest.raises(OSError):
        writer.write_partition(tmp_path, "blocks", "doc-a", _blocks(["bad"]))
    assert list(pd.read_parquet(tmp_path / "blocks")["text"]) == ["good"]
    assert [p.name for p in (tmp_path / "blocks").iterdir()] == ["document_id=doc-a"]
    assert not any((tmp_path / writer.STAGING).iterdir())


def test_leftover_staging_folder_is_invisible_to_readers(tmp_path: Path) -> None:
    writer.write_partition(tmp_path, "blocks", "doc-a", _blocks(["good"]))
    stale = tmp_path / writer.STAGING / "blocks-doc-a-deadbeef"
    stale.mkdir(parents=True)
    pq.write_table(_blocks(["half written"]), stale / "part-0.parquet")
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
