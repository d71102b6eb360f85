"""Headings to a section tree, from typography and numbering together, checked against the TOC.

A heading is a short block set apart by size or weight, or a numbered block set
like other numbered headings. Its level is the rank of its typographic style
among heading styles (bigger, then bold, then upright ranks higher), which
follows how designers build hierarchies and needs no list of numbering schemes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.figures import CAPTION as FIGURE_CAPTION
from pipeline.figures import SOURCE_NOTE
from pipeline.model import Block
from pipeline.numbering import split_number
from pipeline.tables import CAPTION as TABLE_CAPTION
from pipeline.toc import TocEntry

_MAX_HEADING_CHARS = 260
_LETTERS = re.compile(r"[^0-9a-z\u3000-\u9fff]")


@dataclass
class Section:
    number: str | None
    title: str
    level: int
    page: int
    block: Block
    style: tuple[float, bool, bool]
    in_toc: bool = False
    toc_page_label: str | None = None
    section_id: str = ""
    parent: Section | None = None
    page_end: int = 0


def key(text: str) -> str:
    return _LETTERS.sub("", text.lower())


def _style(block: Block) -> tuple[float, bool, bool]:
    return (round(block.size * 2) / 2, block.bold, block.italic)


def _shape_ok(block: Block) -> bool:
    text = block.text.strip()
    if not text or len(text) > _MAX_HEADING_CHARS or len(block.lines) > 4:
        return False
    if TABLE_CAPTION.match(text) or FIGURE_CAPTION.match(text) or SOURCE_NOTE.match(text):
        return False
    if text[0] in "•●○◦▪■□➔➢►▶✓✔-–—*":
        return False
    _, _, title = split_number(text)
    first = title[:1]
    if first.islower():
        return False
    return not (text.endswith((".", ",", ";")) and len(text.split()) > 14)


def detect(blocks: list[Block], body_size: float, toc: list[TocEntry], cover_pages: set[int]) -> list[Section]:
    """Turn heading blocks into sections (block.kind becomes "heading") and link parents."""
    candidates = [
        b for b in blocks if b.kind in ("paragraph", "list_item") and b.page not in cover_pages and _shape_ok(b)
    ]
    bigger = {id(b) for b in candidates if b.size >= 1.08 * body_size}
    numbered_styles = {
        _style(b)
        for b in candidates
        if split_number(b.text)[1] is not None and (b.bold or b.italic or id(b) in bigger) and b.size >= 0.9 * body_size
    }
    toc_keys = {key((e.number or "") + e.title): e for e in toc} | {key(e.title): e for e in toc}
    chosen: list[Block] = []
    for b in candidates:
        styled = id(b) in bigger or (
            (b.bold or b.italic)
            and b.size >= 0.9 * body_size
            and (_style(b) in numbered_styles or split_number(b.text)[1] is not None)
        )
        in_toc = key(b.text) in toc_keys
        if styled or (in_toc and len(b.lines) <= 3 and (b.bold or b.italic or id(b) in bigger)):
            chosen.append(b)
    styles = sorted({_style(b) for b in chosen}, key=lambda s: (-s[0], not s[1], s[2]))
    sections: list[Section] = []
    for b in chosen:
        _, number, title = split_number(b.text)
        b.kind = "heading"
        entry = toc_keys.get(key(b.text)) or toc_keys.get(key(title))
        sections.append(
            Section(
                number,
                title,
                styles.index(_style(b)) + 1,
                b.page,
                b,
                _style(b),
                in_toc=entry is not None,
                toc_page_label=entry.page_label if entry else None,
            )
        )
    _link(sections)
    return sections


def _link(sections: list[Section]) -> None:
    stack: list[Section] = []
    for s in sections:
        while stack and stack[-1].level >= s.level:
            stack.pop()
        s.parent = stack[-1] if stack else None
        stack.append(s)


def assign(blocks: list[Block], sections: list[Section], last_page: int) -> None:
    """Give every block the id of the section it falls under, and every section its last page."""
    by_block = {id(s.block): s for s in sections}
    current: Section | None = None
    for b in blocks:
        s = by_block.get(id(b))
        if s is not None:
            current = s
        b.section_id = current.section_id if current else None
    for i, s in enumerate(sections):
        nxt = next((t for t in sections[i + 1 :] if t.level <= s.level), None)
        s.page_end = max(s.page, nxt.page if nxt else last_page)
