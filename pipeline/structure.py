"""Layout analysis of a whole document: from raw pages to blocks, sections, footnotes and tables.

The order matters and is the point of this module: furniture first (it must not
look like content), then tables and figures (their text must not look like
paragraphs), then the footnote area, the table of contents, paragraphs in reading
order, headings and finally the links between calls and notes.
"""

from __future__ import annotations

import gc
import statistics
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import groupby

from pipeline import blocks as blk
from pipeline import footnotes as fn
from pipeline import sections as sec
from pipeline.figures import CAPTION as FIGURE_CAPTION
from pipeline.figures import SOURCE_NOTE, graphic_regions, mark_figure_text
from pipeline.furniture import mark_furniture
from pipeline.glyphs import glyph_runs
from pipeline.ids import IdMinter, content_key
from pipeline.lines import PageRows, document_lines
from pipeline.model import Block, Line, RawPage
from pipeline.pagelabels import infer_labels, printed_folios
from pipeline.tables import CAPTION as TABLE_CAPTION
from pipeline.tables import (
    TableRegion,
    attach_captions,
    attach_orphan_caption,
    merge_continuations,
)
from pipeline.tables_open import find_tables, furniture_rules, split_at_frames, without_rules
from pipeline.toc import TocEntry, mark_toc
from pipeline.typography import mark_underlines

ROLES = ("body", "furniture", "footnote", "table", "figure", "toc")


@dataclass
class PageInfo:
    page: int
    label: str | None
    width: float
    height: float
    char_count: int
    role_chars: dict[str, int] = field(default_factory=dict)


@dataclass
class Structure:
    pages: list[PageInfo]
    blocks: list[Block]
    sections: list[sec.Section]
    footnotes: list[fn.Footnote]
    tables: list[TableRegion]
    toc: list[TocEntry]
    body_size: float


def _body_size(pages: list[list[Line]]) -> float:
    sizes: Counter[float] = Counter()
    for lines in pages:
        for ln in lines:
            if ln.role == "body":
                sizes[ln.size] += ln.n_chars
    return sizes.most_common(1)[0][0] if sizes else 10.0


def _role_chars(lines: list[Line]) -> dict[str, int]:
    out = dict.fromkeys(ROLES, 0)
    for ln in lines:
        role = ln.role if ln.role in out else "body"
        out[role] += ln.n_chars
    return out


@contextmanager
def collector_paused() -> Iterator[None]:
    """No automatic garbage collection while a document's layout is made; as before afterwards.

    Making the layout allocates enough objects to trigger several full passes of the collector,
    and each walked every character of the document again (about a sixth of the analysis time
    on an 85-page report). The layout makes little cyclic garbage; what it makes is found by the
    first pass after. Pausing nests (an enclosing pause stays), and unlike ``gc.freeze`` it
    leaves alone the objects a forked reader inherited frozen: unfreezing them after every
    document made each of the reader's collections walk its whole inherited heap again.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@collector_paused()
def analyse(
    raw_pages: list[RawPage], pdf_labels: list[str | None] | None, first_pass: list[PageRows] | None = None
) -> Structure:
    """Run every layout stage over the pages of one document (``first_pass``: ``lines.page_rows`` of
    every page, when made already as the pages arrived)."""
    per_page = document_lines(raw_pages, first_pass)
    for lines, raw in zip(per_page, raw_pages, strict=True):
        mark_underlines(lines, raw.edges)
    heights = [r.height for r in raw_pages]
    widths = [r.width for r in raw_pages]
    mark_furniture(per_page, heights, widths)
    labels = pdf_labels if pdf_labels and len(pdf_labels) == len(raw_pages) else infer_labels(printed_folios(per_page))
    body_size = _body_size(per_page)

    tables = _page_tables(raw_pages, per_page)
    note_size = fn.footnote_size(per_page, heights, body_size)
    fn.mark_zones(per_page, heights, note_size, body_size)
    tables = _join_continued_tables(tables, raw_pages, per_page, body_size)
    for raw, lines in zip(raw_pages, per_page, strict=True):
        boxes = [t.bbox for t in tables if t.page <= raw.page <= t.page_end]
        boxes += [(ln.x0, ln.top, ln.x1, ln.bottom) for ln in lines if ln.role == "footnote"]
        mark_figure_text(lines, graphic_regions(raw.graphics, boxes, raw.width, raw.height), body_size)
    toc = mark_toc(per_page)

    joiner = blk.Joiner(ln.text for lines in per_page for ln in lines if ln.role in ("body", "footnote"))
    gaps = blk.typical_gaps(per_page)
    blocks = _body_blocks(per_page, gaps, joiner, tables)
    notes = fn.assemble(per_page, joiner)
    for note in notes:
        note.block = fn.note_block(note, joiner)
    fn.strip_bracket_calls(notes, blocks)
    sections = sec.detect(blocks, body_size, toc, _cover_pages(labels))
    _assign_ids(blocks, sections, notes, tables)
    fn.link_calls(notes, blocks)
    sec.assign(blocks, sections, len(raw_pages))
    by_block = {b.block_id: b for b in blocks}
    for note in notes:
        call_block = by_block.get(note.call_block_id or "")
        note.block.section_id = call_block.section_id if call_block else _section_on_page(blocks, note.page)
    for t in tables:
        t_block = next((b for b in blocks if b.kind == "table" and b.lines and b.lines[0] in t.lines), None)
        if t_block is not None:
            t.block_id = t_block.block_id
            t.section_id = t_block.section_id
    pages = [
        PageInfo(
            r.page,
            labels[i],
            r.width,
            r.height,
            _printed_chars(r),
            _role_chars(per_page[i]),
        )
        for i, r in enumerate(raw_pages)
    ]
    all_blocks = _interleave_notes(blocks, notes)
    _locate_text(all_blocks, per_page)
    return Structure(pages, all_blocks, sections, notes, tables, toc, body_size)


def _printed_chars(raw: RawPage) -> int:
    """Characters of the page that are not whitespace (testing each distinct text once: pages have many chars)."""
    texts = Counter([c.text for c in raw.chars])
    return sum(n for text, n in texts.items() if not text.isspace())


def _page_tables(raw_pages: list[RawPage], per_page: list[list[Line]]) -> list[TableRegion]:
    found: list[TableRegion] = []
    sizes = [statistics.median([ln.size for ln in lines] or [0.0]) for lines in per_page]
    furniture = furniture_rules([raw.edges for raw in raw_pages], sizes, [raw.height for raw in raw_pages])
    for raw, lines, rules in zip(raw_pages, per_page, furniture, strict=True):
        edges = without_rules(raw.edges, rules)
        lines[:] = split_at_frames(raw.page, lines, edges)
        body = [ln for ln in lines if ln.role == "body"]
        page_tables = find_tables(raw.page, edges, body)
        attach_captions(page_tables, body)
        for t in page_tables:
            for ln in t.lines:
                ln.role = "table"
        found.extend(page_tables)
    return found


def _join_continued_tables(
    tables: list[TableRegion], raw_pages: list[RawPage], per_page: list[list[Line]], body_size: float
) -> list[TableRegion]:
    """Merge tables split by a page or column break; only prose (not notes, captions or furniture) blocks a merge.

    Prose is body text at body size: smaller notes under a table do not end it.
    """
    captions = {id(c) for t in tables for c in t.caption_lines}
    prose: dict[int, list[tuple[float, float, float, float]]] = {}
    before: dict[int, float] = {}
    for raw, lines in zip(raw_pages, per_page, strict=True):
        text = [
            ln
            for ln in lines
            if ln.role == "body"
            and ln.size >= 0.9 * body_size
            and id(ln) not in captions
            and not FIGURE_CAPTION.match(ln.text)
            and not SOURCE_NOTE.match(ln.text)
        ]
        prose[raw.page] = [(ln.x0, ln.top, ln.x1, ln.bottom) for ln in text]
        before[raw.page] = min((ln.top for ln in text), default=raw.height)
    for t in tables:
        if t.page > 1:
            attach_orphan_caption(t, per_page[t.page - 2], before[t.page], captions)
            captions |= {id(ln) for ln in t.caption_lines}
    return merge_continuations(tables, prose)


def _body_blocks(
    per_page: list[list[Line]],
    gaps: dict[float, float],
    joiner: blk.Joiner,
    tables: list[TableRegion],
) -> list[Block]:
    """Body, caption, figure and table blocks in reading order, paragraphs merged over breaks."""
    table_by_first_line = {id(t.lines[0]): t for t in tables if t.lines}
    caption_ids = {id(c) for t in tables for c in t.caption_lines}
    out: list[Block] = []
    for lines in per_page:
        ordered = blk.reading_order([ln for ln in lines if ln.role in ("body", "figure", "table")])
        for role, run in groupby(ordered, key=lambda ln: ln.role):
            run_lines = list(run)
            if role == "figure":
                out.append(blk.make_block("figure", sorted(run_lines, key=lambda ln: (ln.top, ln.x0)), joiner))
            elif role == "table":
                out.extend(
                    _table_block(table_by_first_line[id(ln)], joiner)
                    for ln in run_lines
                    if id(ln) in table_by_first_line
                )
            else:
                for block in _text_blocks(run_lines, gaps, joiner, caption_ids):
                    if out and blk.continues(out[-1], block):
                        out[-1] = blk.merge_blocks(out[-1], block, joiner)
                    else:
                        out.append(block)
    return out


def _text_blocks(lines: list[Line], gaps: dict[float, float], joiner: blk.Joiner, caption_ids: set[int]) -> list[Block]:
    """Paragraphs, list items and captions from a run of body lines."""
    out = []
    for group in blk.group_blocks(lines, gaps):
        first = group[0].text
        is_caption = id(group[0]) in caption_ids or any(
            p.match(first) for p in (TABLE_CAPTION, FIGURE_CAPTION, SOURCE_NOTE)
        )
        block = blk.make_block("caption" if is_caption else "paragraph", group, joiner)
        if block.kind == "paragraph" and blk.is_list_item(block):
            block.kind = "list_item"
            blk.strip_bullet(block)
        out.append(block)
    return out


def _table_block(table: TableRegion, joiner: blk.Joiner) -> Block:
    """A table as one block whose text is its rows, cells separated by " | ", so facts in cells have offsets."""
    block = blk.make_block("table", table.lines, joiner)
    rows = sorted({c.row for c in table.cells})
    by_row = {r: [c for c in sorted(table.cells, key=lambda c: c.col) if c.row == r] for r in rows}
    block.text = "\n".join(" | ".join(c.text for c in by_row[r]) for r in rows)
    block.calls = []
    block.glyphs = glyph_runs(block, [w for r in rows for c in by_row[r] for w in c.words])
    return block


def _locate_text(blocks: list[Block], per_page: list[list[Line]]) -> None:
    """Glyph runs for every block, then drop the words' glyphs (the parsed document stays small to pass on)."""
    for b in blocks:
        if not b.glyphs:  # tables have theirs from their cells
            b.glyphs = glyph_runs(b)
    for lines in per_page:
        for ln in lines:
            for w in ln.words:
                w.chars = ()


def _cover_pages(labels: list[str | None]) -> set[int]:
    """Unlabelled pages before the first labelled one: cover and title pages, not sections."""
    if not any(labels):
        return {1}
    cover = set()
    for i, label in enumerate(labels):
        if label:
            break
        cover.add(i + 1)
    return cover


def _assign_ids(
    blocks: list[Block], sections: list[sec.Section], notes: list[fn.Footnote], tables: list[TableRegion]
) -> None:
    mint = IdMinter()
    for s in sections:
        parent = s.parent.section_id if s.parent else ""
        s.section_id = mint("sec", parent, content_key(s.title))
    by_block = {id(s.block): s for s in sections}
    current = ""
    for b in blocks:
        s = by_block.get(id(b))
        if s is not None:
            current = s.section_id
        b.block_id = mint("blk", current, b.kind, content_key(b.text))
    for note in notes:
        note.block.block_id = mint("fn", content_key(note.text))
    for t in tables:
        header = " ".join(c.text for c in t.cells if c.is_header or c.row == 0)
        t.table_id = mint("tbl", content_key(t.caption or ""), content_key(header))


def _section_on_page(blocks: list[Block], page: int) -> str | None:
    last = None
    for b in blocks:
        if b.page > page:
            break
        last = b.section_id or last
    return last


def _interleave_notes(blocks: list[Block], notes: list[fn.Footnote]) -> list[Block]:
    """Footnote blocks after the body blocks of the page they are printed on."""
    out: list[Block] = []
    pending = sorted((n.block for n in notes if n.block is not None), key=lambda b: b.page)
    i = 0
    for b in blocks:
        while i < len(pending) and pending[i].page < b.page:
            out.append(pending[i])
            i += 1
        out.append(b)
    out.extend(pending[i:])
    return out
