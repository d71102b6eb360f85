"""Footnotes: find the note area at the foot of each column, number the notes, join continuations.

The note area is the run of lines at the bottom of a column set in the document's
footnote size (learned from lines that open with a note number). Numbers must
follow the running sequence, so a note line that happens to start with "2018"
stays a continuation. Calls come from superscripts (kept by ``lines``) or from
inline "[n]" marks; both are linked to their note.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace

from pipeline.blocks import make_block
from pipeline.figures import CAPTION as FIGURE_CAPTION
from pipeline.figures import SOURCE_NOTE
from pipeline.model import Block, Line

_INLINE_MARKER = re.compile(r"^(?:\[(\d{1,3})\]|(\d{1,3})[.)]?)\s+(?=\S)")
BRACKET_CALL = re.compile(r"\s?\[(\d{1,3})\]")
_FOOT_LINES = 3  # a note area ends within this many note sizes of the page's lowest text


@dataclass
class Footnote:
    number: int
    page: int
    lines: list[Line] = field(default_factory=list)
    text: str = ""
    call_page: int | None = None
    call_block_id: str | None = None
    call_char: int | None = None
    block: Block | None = None


def marker(line: Line) -> tuple[int, str] | None:
    """The note number a line opens with, and the text after it."""
    if line.lead_marker and line.lead_marker.isdigit():
        return int(line.lead_marker), line.text
    m = _INLINE_MARKER.match(line.text)
    if m:
        return int(m.group(1) or m.group(2)), line.text[m.end() :]
    return None


def footnote_size(pages: list[list[Line]], heights: list[float], body_size: float) -> float | None:
    """The font size of note text, from lines in the lower part of pages that open with a number."""
    sup = Counter()
    inline = Counter()
    for lines, h in zip(pages, heights, strict=True):
        for ln in lines:
            if ln.role != "body" or ln.top < 0.55 * h or ln.size >= 0.97 * body_size:
                continue
            if ln.lead_marker and ln.lead_marker.isdigit():
                sup[ln.size] += 1
            elif _INLINE_MARKER.match(ln.text):
                inline[ln.size] += 1
    counts = sup if sum(sup.values()) >= 2 else inline
    if sum(counts.values()) < 2:
        return None
    return counts.most_common(1)[0][0]


def mark_zones(pages: list[list[Line]], heights: list[float], size: float | None, body_size: float) -> None:
    """Set ``role = "footnote"`` on the note area of every column (in place)."""
    if size is None:
        return
    previous_had_notes = False
    for lines, h in zip(pages, heights, strict=True):
        had = False
        foot = max((ln.bottom for ln in lines if ln.role in ("body", "footnote")), default=h)
        for col in sorted({ln.column for ln in lines}):
            col_lines = sorted(
                (ln for ln in lines if ln.column == col and ln.role in ("body", "footnote")), key=lambda ln: ln.top
            )
            zone = _without_source_lines(_zone(col_lines, h, size, body_size))
            if not zone:
                continue
            # an unnumbered zone continues the last note only from the foot of the page; small
            # text ending well above it (a figure's title and notes in one column) is not one
            if not any(marker(ln) for ln in zone) and (
                not previous_had_notes or zone[-1].bottom < foot - _FOOT_LINES * size
            ):
                continue
            for ln in zone:
                ln.role = "footnote"
            had = True
        previous_had_notes = had


def _zone(col_lines: list[Line], height: float, size: float, body_size: float) -> list[Line]:
    """The note-size lines at the bottom of a column, top to bottom.

    A body line printed over the note area (text running past the column's end) does not
    end the area when note lines go on right above it without a break.
    """

    def is_note(ln: Line) -> bool:
        return ln.top >= 0.3 * height and abs(ln.size - size) <= 0.35 and ln.size < 0.97 * body_size

    zone: list[Line] = []
    rest = list(reversed(col_lines))
    for i, ln in enumerate(rest):
        if is_note(ln):
            zone.append(ln)
            continue
        above = next((a for a in rest[i + 1 :] if is_note(a)), None)
        if not zone or above is None or above.bottom < zone[-1].top - 1.5 * size:
            break
    zone.reverse()
    return zone


def _without_source_lines(zone: list[Line]) -> list[Line]:
    """The zone from its first note on, when it opens with a figure's or table's source line.

    A "Source: ..." line under a figure is set at note size and may sit at the foot of the
    page; unnumbered, it would otherwise continue the last note of the page before.
    """
    if not zone or not (SOURCE_NOTE.match(zone[0].text) or FIGURE_CAPTION.match(zone[0].text)):
        return zone
    first = next((i for i, ln in enumerate(zone) if marker(ln)), len(zone))
    return zone[first:]


def _opens_note(line: Line, number: int, expected: int, seen: set[int]) -> bool:
    """Whether a line starting with ``number`` opens a note rather than continuing one.

    Same-size leading digits must continue the running sequence (a note line may well
    start with "2018"); a raised (superscript) number is a stronger sign and may also be
    a note printed slightly out of order, as long as that number has not been used yet.
    """
    if number in seen:
        return False
    if expected <= number <= expected + 2 or (number == 1 and not seen):
        return True
    return line.lead_marker is not None and abs(number - expected) <= 10


def assemble(pages: list[list[Line]], join) -> list[Footnote]:
    """Notes in order, with continuation lines (also onto the next page) joined into one text."""
    notes: list[Footnote] = []
    seen: set[int] = set()
    expected = 1
    for lines in pages:
        zone = sorted((ln for ln in lines if ln.role == "footnote"), key=lambda ln: (ln.column, ln.top))
        for ln in zone:
            found = marker(ln)
            if found and _opens_note(ln, found[0], expected, seen):
                number, rest = found
                note = Footnote(number, ln.page, [ln])
                note.text = rest.strip()
                notes.append(note)
                seen.add(number)
                expected = max(expected, number + 1)
            elif notes:
                notes[-1].lines.append(ln)
                notes[-1].text = join(notes[-1].text, ln.text)
    return notes


def note_block(note: Footnote, join) -> Block:
    """The note as a block whose text is the note without its number, continuation lines joined."""
    found = marker(note.lines[0])
    first = replace(note.lines[0], text=found[1].strip() if found else note.lines[0].text)
    block = make_block("footnote", [first, *note.lines[1:]], join)
    block.lines = list(note.lines)
    note.text = block.text
    return block


def strip_bracket_calls(notes: list[Footnote], blocks: list[Block]) -> None:
    """Turn inline "[n]" marks that match a note into calls, removing them from the text.

    Runs before headings are read, so a heading's title never carries its call mark.
    """
    by_number = {n.number: n for n in notes}
    for block in blocks:
        if block.kind not in ("footnote", "figure", "table"):
            _strip_bracket_calls(block, by_number)


def link_calls(notes: list[Footnote], blocks: list[Block]) -> None:
    """Point each note at the first call mark with its number on or before the page where it is printed."""
    by_number = {n.number: n for n in notes}
    for block in blocks:
        if block.kind in ("footnote", "figure", "table"):
            continue
        for offset, num in block.calls:
            note = by_number.get(int(num)) if num.isdigit() else None
            if note is None or note.call_page is not None or block.page > note.page:
                continue
            note.call_page = _page_at(block, offset)
            note.call_block_id = block.block_id
            note.call_char = offset


def _strip_bracket_calls(block: Block, by_number: dict[int, Footnote]) -> None:
    text = block.text
    cuts = [
        m
        for m in BRACKET_CALL.finditer(text)
        if (note := by_number.get(int(m.group(1)))) is not None and 0 <= note.page - block.page <= 1
    ]
    if not cuts:
        return

    def shift(offset: int) -> int:
        """Where ``offset`` lands once the marks ending at or before it are cut out."""
        return offset - sum(m.end() - m.start() for m in cuts if m.end() <= offset)

    block.text = "".join(
        text[a:b] for a, b in zip([0] + [m.end() for m in cuts], [m.start() for m in cuts] + [len(text)], strict=True)
    )
    block.calls = sorted([(shift(o), n) for o, n in block.calls] + [(shift(m.start()), m.group(1)) for m in cuts])


def _page_at(block: Block, offset: int) -> int:
    """Physical page of a character offset in a block that may run over a page break."""
    page = block.page
    for ln, start in zip(block.lines, block.starts, strict=False):
        if start > offset:
            break
        page = ln.page
    return page
