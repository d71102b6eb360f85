"""The pieces of block text that extraction reads, each with its offset into the block.

Prose blocks are read whole. A table block is read cell by cell, so no entity,
amount or sentence runs from one cell into the next, and every offset found in
a cell still points into the table block's text. Figure text is never read:
labels inside charts are not statements of the report.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from pipeline.model import TextBlock

__all__ = ["Segment", "segments"]

READ_KINDS = frozenset({"paragraph", "list_item", "heading", "caption", "footnote", "table"})
_CELL = re.compile(r"[^|\n]+")


@dataclass(frozen=True, slots=True)
class Segment:
    """``block.text[start:end]``; ``index`` is the segment's place in reading order."""

    index: int
    block: TextBlock
    start: int
    end: int

    @property
    def text(self) -> str:
        return self.block.text[self.start : self.end]


def _pieces(block: TextBlock) -> Iterator[tuple[int, int]]:
    """(start, end) of the block's readable text, one per table cell, without surrounding spaces."""
    found = _CELL.finditer(block.text) if block.kind == "table" else [re.match(r"(?s).*", block.text)]
    for m in found:
        start, end = m.span()
        while start < end and block.text[start].isspace():
            start += 1
        while end > start and block.text[end - 1].isspace():
            end -= 1
        if start < end:
            yield start, end


def segments(blocks: Sequence[TextBlock]) -> list[Segment]:
    """All readable segments of the document in reading order."""
    out: list[Segment] = []
    for block in blocks:
        if block.kind not in READ_KINDS:
            continue
        for start, end in _pieces(block):
            out.append(Segment(len(out), block, start, end))
    return out
