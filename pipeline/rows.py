"""The parsed structure as rows of the contract tables (see ``schemas``)."""

from __future__ import annotations

import pyarrow as pa

from pipeline.glyphs import run_rows
from pipeline.model import PageStart, TextBlock
from pipeline.structure import Structure


def _label(s: Structure, page: int | None) -> str | None:
    return s.pages[page - 1].label if page and 0 < page <= len(s.pages) else None


def page_rows(s: Structure) -> list[dict]:
    return [
        {
            "page": p.page,
            "page_label": p.label,
            "width": p.width,
            "height": p.height,
            "char_count": p.char_count,
            "body_chars": p.role_chars.get("body", 0) + p.role_chars.get("toc", 0),
            "furniture_chars": p.role_chars.get("furniture", 0),
            "footnote_chars": p.role_chars.get("footnote", 0),
            "table_chars": p.role_chars.get("table", 0),
            "figure_chars": p.role_chars.get("figure", 0),
        }
        for p in s.pages
    ]


def text_blocks(s: Structure) -> list[TextBlock]:
    """Blocks as extraction input, with the page (and printed label) of every page start inside them."""
    return [
        TextBlock(
            b.block_id,
            b.kind,
            b.text,
            b.section_id,
            tuple(PageStart(off, page, _label(s, page)) for off, page in b.page_breaks()),
        )
        for b in s.blocks
    ]


def text_blocks_from_tables(blocks: pa.Table, pages: pa.Table) -> list[TextBlock]:
    """Rebuild extraction input from the written ``blocks`` and ``pages`` tables (so facts follow the tables)."""
    label = {r["page"]: r["page_label"] for r in pages.select(["page", "page_label"]).to_pylist()}
    out = []
    for r in blocks.sort_by("seq").to_pylist():
        starts = [PageStart(0, r["page"], label.get(r["page"]))]
        for offset, page in zip(r["page_breaks"] or [], range(r["page"] + 1, r["page_end"] + 1), strict=False):
            starts.append(PageStart(offset, page, label.get(page)))
        out.append(TextBlock(r["block_id"], r["kind"], r["text"], r["section_id"], tuple(starts)))
    return out


def block_rows(s: Structure) -> list[dict]:
    return [
        {
            "block_id": b.block_id,
            "seq": i,
            "kind": b.kind,
            "text": b.text,
            "section_id": b.section_id,
            "page": b.page,
            "page_label": _label(s, b.page),
            "page_end": b.page_end,
            "page_breaks": [off for off, _ in b.page_breaks()[1:]],
            "x0": b.x0,
            "top": b.top,
            "x1": b.x1,
            "bottom": b.bottom,
            "glyphs": run_rows(b.glyphs),
        }
        for i, b in enumerate(s.blocks)
    ]


def section_rows(s: Structure) -> list[dict]:
    return [
        {
            "section_id": x.section_id,
            "parent_id": x.parent.section_id if x.parent else None,
            "level": x.level,
            "number": x.number,
            "title": x.title,
            "page": x.page,
            "page_label": _label(s, x.page),
            "page_end": x.page_end,
            "block_id": x.block.block_id,
            "in_toc": x.in_toc,
            "toc_page_label": x.toc_page_label,
        }
        for x in s.sections
    ]


def footnote_rows(s: Structure) -> list[dict]:
    return [
        {
            "number": n.number,
            "text": n.text,
            "page": n.page,
            "page_label": _label(s, n.page),
            "call_page": n.call_page,
            "call_block_id": n.call_block_id,
            "call_char": n.call_char,
            "section_id": n.block.section_id if n.block else None,
            "block_id": n.block.block_id if n.block else None,
        }
        for n in s.footnotes
    ]


def table_rows(s: Structure) -> tuple[list[dict], list[dict]]:
    tables, cells = [], []
    for t in s.tables:
        tables.append(
            {
                "table_id": t.table_id,
                "caption": t.caption,
                "page": t.page,
                "page_label": _label(s, t.page),
                "page_end": t.page_end,
                "n_rows": t.n_rows,
                "n_cols": t.n_cols,
                "section_id": t.section_id,
                "block_id": t.block_id,
            }
        )
        cells.extend(
            {
                "table_id": t.table_id,
                "row": c.row,
                "col": c.col,
                "text": c.text,
                "is_header": c.is_header,
                "row_span": c.row_span,
                "col_span": c.col_span,
                "page": c.page,
            }
            for c in sorted(t.cells, key=lambda c: (c.row, c.col))
        )
    return tables, cells
