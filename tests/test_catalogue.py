"""The catalogue explains itself: every column described once, everywhere it is shown."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq

from assets.definitions import defs
from assets.metadata import column_schema
from pipeline import dictionary
from pipeline.catalogue import COLUMNS, TABLE_DOCS
from pipeline.schemas import TABLES, to_arrow
from pipeline.writer import write_partition

README = Path(__file__).resolve().parents[1] / "README.md"


def test_every_column_of_every_table_has_a_description() -> None:
    missing = [f"{t}.{f.name}" for t, s in TABLES.items() for f in s if not (f.metadata or {}).get(b"description")]
    assert missing == []
    assert set(TABLES) <= set(TABLE_DOCS)


def test_table_specific_descriptions_name_real_columns() -> None:
    for table, columns in COLUMNS.items():
        if table in TABLES:
            assert set(columns) <= set(TABLES[table].names), table


def test_parquet_files_carry_the_descriptions(tmp_path: Path) -> None:
    path = write_partition(tmp_path, "amounts", "doc", to_arrow("amounts", []), version="v1")
    schema = pq.read_schema(path / "part-v1.parquet")
    for f in TABLES["amounts"]:
        assert schema.field(f.name).metadata[b"description"] == f.metadata[b"description"]


def test_dagster_shows_column_and_table_descriptions() -> None:
    graph = defs.resolve_asset_graph()
    keys = {k.to_user_string() for k in graph.get_all_asset_keys()}
    assert set(TABLES) <= keys  # ingest_errors and edition_changes included
    descriptions = set()
    for table in TABLES:
        node = graph.get(next(k for k in graph.get_all_asset_keys() if k.to_user_string() == table))
        assert node.description and node.description.startswith(TABLE_DOCS[table])
        descriptions.add(node.description)
        shown = node.metadata["dagster/column_schema"].columns
        assert [c.name for c in shown] == TABLES[table].names
        assert all(c.description for c in shown), table
    assert len(descriptions) == len(TABLES)
    assert "boxes" in [c.name for c in column_schema("mentions").columns]


def test_readme_data_dictionary_matches_the_schemas() -> None:
    assert dictionary.current(README.read_text(encoding="utf-8")) == dictionary.render(), (
        "README data dictionary is stale: run .venv/bin/python -m pipeline.dictionary README.md"
    )
