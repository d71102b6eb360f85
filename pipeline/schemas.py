"""The output contract as pyarrow schemas, defined once.

The writer, the Dagster metadata, the asset checks and the tests all read these,
so a column added here shows up everywhere. ``document_id`` is the hive partition
key: it lives in the folder name, not inside the files (see ``writer``).
"""

from __future__ import annotations

import pyarrow as pa

from pipeline.catalogue import TABLE_DOCS, describe

PAGE = pa.int32()

_PROVENANCE = [
    pa.field("page", PAGE),
    pa.field("page_label", pa.string()),
    pa.field("section_id", pa.string()),
    pa.field("block_id", pa.string()),
    pa.field("start_char", pa.int32()),
    pa.field("end_char", pa.int32()),
]

# where each character of a block's text is printed: one run per line (see ``pipeline.glyphs``)
GLYPH_RUN = pa.struct(
    [
        pa.field("start", pa.int32()),
        pa.field("page", PAGE),
        pa.field("top", pa.float32()),
        pa.field("bottom", pa.float32()),
        pa.field("x0", pa.list_(pa.float32())),
        pa.field("width", pa.list_(pa.float32())),
    ]
)
# a rectangle a fact occupies on one line, PDF points, top-left origin, with its page
BOX = pa.struct(
    [
        pa.field("page", PAGE),
        pa.field("x0", pa.float64()),
        pa.field("top", pa.float64()),
        pa.field("x1", pa.float64()),
        pa.field("bottom", pa.float64()),
    ]
)

TABLES: dict[str, pa.Schema] = {
    "documents": pa.schema(
        [
            pa.field("file_name", pa.string()),
            pa.field("sha256", pa.string()),
            pa.field("title", pa.string()),
            pa.field("page_count", pa.int32()),
            pa.field("edition", pa.string()),
            pa.field("series_id", pa.string()),
            pa.field("pipeline_version", pa.string()),
        ]
    ),
    "pages": pa.schema(
        [
            pa.field("page", PAGE),
            pa.field("page_label", pa.string()),
            pa.field("width", pa.float32()),
            pa.field("height", pa.float32()),
            pa.field("char_count", pa.int32()),
            pa.field("body_chars", pa.int32()),
            pa.field("furniture_chars", pa.int32()),
            pa.field("footnote_chars", pa.int32()),
            pa.field("table_chars", pa.int32()),
            pa.field("figure_chars", pa.int32()),
        ]
    ),
    "blocks": pa.schema(
        [
            pa.field("block_id", pa.string()),
            pa.field("seq", pa.int32()),
            pa.field("kind", pa.string()),
            pa.field("text", pa.string()),
            pa.field("section_id", pa.string()),
            pa.field("page", PAGE),
            pa.field("page_label", pa.string()),
            pa.field("page_end", PAGE),
            pa.field("page_breaks", pa.list_(pa.int32())),
            pa.field("x0", pa.float32()),
            pa.field("top", pa.float32()),
            pa.field("x1", pa.float32()),
            pa.field("bottom", pa.float32()),
            pa.field("glyphs", pa.list_(GLYPH_RUN)),
        ]
    ),
    "sections": pa.schema(
        [
            pa.field("section_id", pa.string()),
            pa.field("parent_id", pa.string()),
            pa.field("level", pa.int32()),
            pa.field("number", pa.string()),
            pa.field("title", pa.string()),
            pa.field("page", PAGE),
            pa.field("page_label", pa.string()),
            pa.field("page_end", PAGE),
            pa.field("block_id", pa.string()),
            pa.field("in_toc", pa.bool_()),
            pa.field("toc_page_label", pa.string()),
        ]
    ),
    "footnotes": pa.schema(
        [
            pa.field("number", pa.int32()),
            pa.field("text", pa.string()),
            pa.field("page", PAGE),
            pa.field("page_label", pa.string()),
            pa.field("call_page", PAGE),
            pa.field("call_block_id", pa.string()),
            pa.field("call_char", pa.int32()),
            pa.field("section_id", pa.string()),
            pa.field("block_id", pa.string()),
        ]
    ),
    "tables": pa.schema(
        [
            pa.field("table_id", pa.string()),
            pa.field("caption", pa.string()),
            pa.field("page", PAGE),
            pa.field("page_label", pa.string()),
            pa.field("page_end", PAGE),
            pa.field("n_rows", pa.int32()),
            pa.field("n_cols", pa.int32()),
            pa.field("section_id", pa.string()),
            pa.field("block_id", pa.string()),
        ]
    ),
    "table_cells": pa.schema(
        [
            pa.field("table_id", pa.string()),
            pa.field("row", pa.int32()),
            pa.field("col", pa.int32()),
            pa.field("text", pa.string()),
            pa.field("is_header", pa.bool_()),
            pa.field("row_span", pa.int32()),
            pa.field("col_span", pa.int32()),
            pa.field("page", PAGE),
        ]
    ),
    "mentions": pa.schema(
        [
            pa.field("mention_id", pa.string()),
            pa.field("label", pa.string()),
            pa.field("text", pa.string()),
            pa.field("entity_id", pa.string()),
            pa.field("source", pa.string()),
            *_PROVENANCE,
            pa.field("boxes", pa.list_(BOX)),
        ]
    ),
    "organizations": pa.schema(
        [
            pa.field("entity_id", pa.string()),
            pa.field("name", pa.string()),
            pa.field("acronym", pa.string()),
            pa.field("aliases", pa.list_(pa.string())),
            pa.field("pages", pa.list_(PAGE)),
            pa.field("mention_count", pa.int32()),
        ]
    ),
    "people": pa.schema(
        [
            pa.field("entity_id", pa.string()),
            pa.field("name", pa.string()),
            pa.field("aliases", pa.list_(pa.string())),
            pa.field("pages", pa.list_(PAGE)),
            pa.field("mention_count", pa.int32()),
        ]
    ),
    "amounts": pa.schema(
        [
            pa.field("mention_id", pa.string()),
            pa.field("text", pa.string()),
            pa.field("value", pa.float64()),
            pa.field("currency", pa.string()),
            pa.field("approximate", pa.bool_()),
            pa.field("value_high", pa.float64()),
            pa.field("period", pa.string()),
            pa.field("sentence", pa.string()),
            *_PROVENANCE,
            pa.field("boxes", pa.list_(BOX)),
        ]
    ),
    "dates": pa.schema(
        [
            pa.field("mention_id", pa.string()),
            pa.field("text", pa.string()),
            pa.field("start", pa.date32()),
            pa.field("end", pa.date32()),
            pa.field("precision", pa.string()),
            pa.field("sentence", pa.string()),
            *_PROVENANCE,
            pa.field("boxes", pa.list_(BOX)),
        ]
    ),
    "money_flows": pa.schema(
        [
            pa.field("mention_id", pa.string()),
            pa.field("from_names", pa.list_(pa.string())),
            pa.field("to_names", pa.list_(pa.string())),
            pa.field("from_entity_ids", pa.list_(pa.string())),
            pa.field("to_entity_ids", pa.list_(pa.string())),
            pa.field("period_start", pa.date32()),
            pa.field("period_end", pa.date32()),
            pa.field("kind", pa.string()),
            pa.field("per", pa.string()),
            pa.field("restates_mention_id", pa.string()),
            pa.field("evidence", pa.string()),
            *_PROVENANCE,
        ]
    ),
    "edition_changes": pa.schema(
        [
            pa.field("series_id", pa.string()),
            pa.field("previous_document_id", pa.string()),
            pa.field("kind", pa.string()),
            pa.field("object", pa.string()),
            pa.field("old_value", pa.string()),
            pa.field("new_value", pa.string()),
            pa.field("old_page", PAGE),
            pa.field("new_page", PAGE),
            pa.field("detail", pa.string()),
        ]
    ),
    "ingest_errors": pa.schema(
        [
            pa.field("file_name", pa.string()),
            pa.field("sha256", pa.string()),
            pa.field("stage", pa.string()),
            pa.field("reason", pa.string()),
        ]
    ),
}

PARTITION_COLUMN = "document_id"

# Every row of a document carries the version its tables were written as (from the PDF's content
# hash and the pipeline version); joined on (document_id, document_version) with ``documents``,
# a reader sees one consistent version of a document even while a new one is being written.
VERSION_COLUMN = "document_version"
UNVERSIONED_TABLES = ("ingest_errors",)  # the state of the latest attempt, not of a document version
for _name in TABLES:
    if _name not in UNVERSIONED_TABLES:
        TABLES[_name] = TABLES[_name].append(pa.field(VERSION_COLUMN, pa.string()))
# where the file came from, relative to the raw folder it was found in ("2025/report.pdf")
TABLES["documents"] = TABLES["documents"].append(pa.field("source_path", pa.string()))


def _described(name: str, schema: pa.Schema) -> pa.Schema:
    """The schema with each field's description (``pipeline.catalogue``) as field metadata."""
    fields = [f.with_metadata({"description": d}) if (d := describe(name, f.name)) else f for f in schema]
    return pa.schema(fields, metadata={"description": TABLE_DOCS.get(name, "")})


TABLES = {name: _described(name, schema) for name, schema in TABLES.items()}


def table_names() -> list[str]:
    """Contract tables in a stable order (documents first, facts last)."""
    return list(TABLES)


def empty_table(name: str) -> pa.Table:
    """A zero-row table with the contract schema, for stages not yet producing rows."""
    return TABLES[name].empty_table()


def to_arrow(name: str, rows: list[dict]) -> pa.Table:
    """Rows (dicts) to a table that conforms exactly to the contract schema."""
    schema = TABLES[name]
    return pa.Table.from_pylist([{f.name: r.get(f.name) for f in schema} for r in rows], schema=schema)
