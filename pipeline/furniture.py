"""Running headers, footers, page numbers and margin codes: text that belongs to the page, not the report.

A line is furniture when its shape (digits masked) recurs at the same height on
several pages inside the top or bottom band, when it is a lone folio there, or when
it is vertical text in the outer margin. Everything else stays content.
"""

from __future__ import annotations

import re
from collections import defaultdict

from pipeline.model import Line
from pipeline.text import is_roman, shape

_BAND = 0.12
_FOLIO = re.compile(r"^(?:page\s+)?[-–—(\[]?\s*([0-9]{1,5}|[ivxlcdm]{1,8})\s*[-–—)\]]?$", re.IGNORECASE)
_EDGE_FOLIO = re.compile(
    r"(?:^([0-9]{1,5}|[ivxlcdm]{1,8})\s*[|·•]?\s+\S)|(?:\S\s+[|·•]?\s*([0-9]{1,5}|[ivxlcdm]{1,8})$)", re.IGNORECASE
)


def _in_band(line: Line, height: float) -> bool:
    return line.top < height * _BAND or line.bottom > height * (1 - _BAND)


def _plausible(token: str) -> bool:
    return (token.isdigit() and not token.startswith("0")) or is_roman(token)


def folio_of(line: Line) -> str | None:
    """The page number printed on a furniture line, if it carries one (codes like "00001" are not folios)."""
    text = line.text.strip()
    m = _FOLIO.match(text) or _EDGE_FOLIO.search(text)
    if not m:
        return None
    token = next(g for g in m.groups() if g)
    return token if _plausible(token) else None


def _slot(line: Line, height: float) -> int:
    """The line's height on the page in coarse steps, from the top edge for the top half, else from the bottom."""
    return round(line.top / 6) if line.top < height / 2 else -round((height - line.bottom) / 6)


def _near(slot: int) -> tuple[int, int, int]:
    """A slot and its neighbours: a header set a little higher on one page may round into the next step."""
    return slot, slot - 1, slot + 1


def _outermost(line: Line, lines: list[Line], height: float) -> bool:
    """Whether nothing else on the page is printed nearer the page edge than ``line``."""
    if line.top < height / 2:
        return all(other.top >= line.top - 1 for other in lines if other.role == "body")
    return all(other.bottom <= line.bottom + 1 for other in lines if other.role == "body")


def mark_furniture(pages: list[list[Line]], heights: list[float], widths: list[float]) -> None:
    """Set ``role = "furniture"`` on repeated band lines, lone folios and margin codes (in place).

    Running headers that change with the chapter (its title on odd pages, the report's on
    even ones) repeat only in their place and type: a band line printed outermost in a
    slot (height and size) where repeated headers sit on other pages is furniture too.
    Heights are compared with the neighbouring slots as well, so a header set a point or
    two higher on some pages still repeats.
    """
    n_pages = len(pages)
    min_repeats = 2 if n_pages <= 4 else 3
    seen: dict[tuple[str, int], set[int]] = defaultdict(set)
    for i, lines in enumerate(pages):
        for line in lines:
            if line.role == "body" and _in_band(line, heights[i]):
                seen[(shape(line.text), _slot(line, heights[i]))].add(i)
    repeated = {
        (text, slot)
        for text, slot in seen
        if len(set().union(*(seen.get((text, s), set()) for s in _near(slot)))) >= min_repeats
    }
    slots = {
        (slot, line.size)
        for i, lines in enumerate(pages)
        for line in lines
        if line.role == "body"
        and _in_band(line, heights[i])
        and (shape(line.text), slot := _slot(line, heights[i])) in repeated
    }
    for i, lines in enumerate(pages):
        h, w = heights[i], widths[i]
        lone: list[Line] = []
        for line in lines:
            if line.role == "rotated":
                line.role = "furniture" if (line.x1 < w * 0.1 or line.x0 > w * 0.9) else "figure"
                continue
            if line.role != "body" or not _in_band(line, h):
                continue
            near = _near(_slot(line, h))
            if (shape(line.text), near[0]) in repeated or (
                any((s, line.size) in slots for s in near) and _outermost(line, lines, h)
            ):
                line.role = "furniture"
            elif _FOLIO.match(line.text.strip()):
                lone.append(line)
        _mark_lone_folios(lone, lines, h)


def _mark_lone_folios(lone: list[Line], lines: list[Line], height: float) -> None:
    """A lone number in the band is the folio, unless a running header or footer of that band
    already prints the page's folio: then it is content (a bracketed year over a list of events)."""
    printed = {line.top < height / 2 for line in lines if line.role == "furniture" and folio_of(line)}
    for line in lone:
        if (line.top < height / 2) not in printed:
            line.role = "furniture"
