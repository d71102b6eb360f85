"""Asset metadata the Dagster UI shows: row counts, column schemas from the contract, small previews."""

from pathlib import Path

import dagster as dg
import pyarrow as pa

from pipeline.catalogue import TABLE_DOCS
from pipeline.schemas import TABLES

_PREVIEW_ROWS = 5
_PREVIEW_CHARS = 80


def column_schema(table: str) -> dg.TableSchema:
    """The contract columns of ``table`` with their types and descriptions (``pipeline.catalogue``)."""
    return dg.TableSchema(
        columns=[dg.TableColumn(f.name, str(f.type), description=_description(f)) for f in TABLES[table]]
    )


def _description(f: pa.Field) -> str | None:
    return (f.metadata or {}).get(b"description", b"").decode() or None


def table_description(table: str) -> str:
    """The table's own sentence, where its files are, and how rows trace back to the page."""
    return f"{TABLE_DOCS[table]} Parquet dataset `output/{table}/`, hive-partitioned by document_id."


def table_spec_metadata(table: str) -> dict[str, object]:
    """Definition-time metadata: the column schema is in the catalogue before anything is materialized."""
    return {"dagster/column_schema": column_schema(table)}


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    text = text.replace("|", "\\|").replace("\n", " ")
    return text if len(text) <= _PREVIEW_CHARS else text[: _PREVIEW_CHARS - 1] + "…"


def preview(data: pa.Table) -> str:
    """The first rows as a Markdown table."""
    cols = data.column_names
    rows = data.slice(0, _PREVIEW_ROWS).to_pylist()
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    lines += ["| " + " | ".join(_cell(r[c]) for c in cols) + " |" for r in rows]
    return "\n".join(lines)


def table_metadata(name: str, data: pa.Table, path: Path | str) -> dict[str, object]:
    """What one materialization of table ``name`` adds to its definition's metadata (``table_spec_metadata``).

    The column schema is fixed by the contract, so it is on the definition only: repeated in every
    materialization and its output event, it was about 8 KB an event and two thirds of the event log's
    bytes and serialisation work for a short document."""
    return {
        "dagster/row_count": data.num_rows,
        "path": dg.MetadataValue.path(str(path)),
        "preview": dg.MetadataValue.md(preview(data)),
    }
