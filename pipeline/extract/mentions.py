"""Mentions: a labelled span of a segment, and its provenance row.

Offsets are kept relative to the block, so ``block.text[start:end]`` is the
mention text by construction; page, printed page label and section follow
from the block.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.extract.segments import Segment
from pipeline.ids import stable_id

__all__ = ["Mention", "mention_row", "overlaps"]


@dataclass(frozen=True, slots=True)
class Mention:
    """A span ``segment.block.text[start:end]`` (block offsets) with its label and the rule that found it."""

    segment: Segment
    start: int
    end: int
    label: str
    source: str

    @property
    def text(self) -> str:
        return self.segment.block.text[self.start : self.end]

    @property
    def page(self) -> int:
        return self.segment.block.page_at(self.start).page

    @property
    def order(self) -> tuple[int, int, int]:
        """Reading order: segment, then offset, longer first."""
        return (self.segment.index, self.start, -self.end)

    @property
    def mention_id(self) -> str:
        block = self.segment.block
        return stable_id("men", block.block_id, str(self.start), str(self.end), self.label)


def overlaps(a: Mention, b: Mention) -> bool:
    """True when two mentions share a character of the same segment."""
    return a.segment.index == b.segment.index and a.start < b.end and b.start < a.end


def mention_row(m: Mention, entity_id: str | None) -> dict:
    """The ``mentions`` table row of a mention."""
    block = m.segment.block
    page = block.page_at(m.start)
    return {
        "mention_id": m.mention_id,
        "label": m.label,
        "text": m.text,
        "entity_id": entity_id,
        "source": m.source,
        "page": page.page,
        "page_label": page.page_label,
        "section_id": block.section_id,
        "block_id": block.block_id,
        "start_char": m.start,
        "end_char": m.end,
    }
