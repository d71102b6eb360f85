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


def mark_furniture(pages: list[list[Line]], heights: list[float], widths: list[float]) -> None:
    """Set ``role = "furniture"`` on repeated band lines, lone folios and margin codes (in place)."""
    n_pages = len(pages)
    min_repeats = 2 if n_pages <= 4 else 3
    seen: dict[tuple[str, int], set[int]] = defaultdict(set)
    for i, lines in enumerate(pages):
        for line in lines:
            if line.role == "body" and _in_band(line, heights[i]):
                key = (
                    shape(line.text),
                    round(line.top / 6) if line.top < heights[i] / 2 else -round((heights[i] - line.bottom) / 6),
                )
                seen[key].add(i)
    repeated = {key for key, idx in seen.items() if len(idx) >= min_repeats}
    for i, lines in enumerate(pages):
        h, w = heights[i], widths[i]
        for line in lines:
            if line.role == "rotated":
                line.role = "furniture" if (line.x1 < w * 0.1 or line.x0 > w * 0.9) else "figure"
                continue
            if line.role != "body" or not _in_band(line, h):
                continue
            key = (shape(line.text), round(line.top / 6) if line.top < h / 2 else -round((h - line.bottom) / 6))
            if key in repeated or _FOLIO.match(line.text.strip()):
                line.role = "furniture"
