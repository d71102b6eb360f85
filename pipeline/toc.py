"""The printed table of contents: recognised (so it never becomes sections) and parsed into entries.

Entries carry number, title, printed page and indent level; sections use them to
confirm headings found by typography, to recover headings typography missed and
to rank heading styles into levels. Entries end in a page number, after dot
leaders or, on a page titled "Contents" (and the pages that continue it), after
plain space with the numbers aligned on the right.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.model import Line
from pipeline.numbering import split_number

_LEADER_ENTRY = re.compile(r"^(?P<body>.*?)\s*(?:[.·…]\s?){3,}\s*(?P<page>[0-9]{1,4}|[ivxlcdm]{1,6})$", re.IGNORECASE)
_PLAIN_ENTRY = re.compile(r"^(?P<body>.*?)\s*(?<![.,:/-])\b(?P<page>[0-9]{1,4}|[ivxlcdm]{1,6})$", re.IGNORECASE)
_TITLE = re.compile(r"^(table of )?contents$", re.IGNORECASE)


@dataclass
class TocEntry:
    number: str | None
    title: str
    page_label: str
    level: int
    page: int  # physical page of the TOC line


@dataclass
class _Row:
    """Lines on one baseline of a TOC page (a page number may sit apart from its title)."""

    lines: list[Line]
    text: str
    x0: float
    x1: float
    size: float


def _rows(body: list[Line]) -> list[_Row]:
    rows: list[list[Line]] = []
    for ln in sorted(body, key=lambda ln: (ln.top, ln.x0)):
        if rows and abs(rows[-1][0].top - ln.top) < 0.3 * ln.size and ln.column != rows[-1][-1].column:
            rows[-1].append(ln)
        else:
            rows.append([ln])
    out = []
    for row in rows:
        row.sort(key=lambda ln: ln.x0)
        text = " ".join(ln.text for ln in row)
        out.append(_Row(row, text, row[0].x0, max(ln.x1 for ln in row), row[0].size))
    return out


def _stray_numbers(lines: list[Line], body: list[Line]) -> list[Line]:
    """Page numbers of entries taken for a folio because they equal the page's own label.

    A folio stands alone on its baseline; one that shares a baseline with a body line belongs to it.
    """
    return [
        ln
        for ln in lines
        if ln.role == "furniture" and any(abs(b.top - ln.top) < 0.3 * ln.size and b.x1 < ln.x0 for b in body)
    ]


def _plain_hits(rows: list[_Row]) -> list[_Row]:
    """Rows ending in a page number set flush with the right edge of the TOC."""
    right = max((r.x1 for r in rows), default=0.0)
    return [r for r in rows if _PLAIN_ENTRY.match(r.text) and right - r.x1 < r.size]


def mark_toc(pages: list[list[Line]]) -> list[TocEntry]:
    """Mark TOC pages' lines ``role = "toc"`` and return the parsed entries in order."""
    raw: list[tuple[list[_Row], re.Match[str]]] = []
    previous_was_toc = False
    for lines in pages:
        body = [ln for ln in lines if ln.role == "body"]
        rows = _rows(body + _stray_numbers(lines, body))
        hits = [r for r in rows if _LEADER_ENTRY.match(r.text)]
        titled = any(_TITLE.match(r.text.strip()) for r in rows)
        pattern = _LEADER_ENTRY
        if len(hits) < 3 or (not titled and len(hits) < 0.4 * len(rows)):
            plain = _plain_hits(rows)
            if not ((titled or previous_was_toc) and len(plain) >= 3 and len(plain) >= 0.5 * len(rows)):
                previous_was_toc = False
                continue
            pattern = _PLAIN_ENTRY
        previous_was_toc = True
        pending: list[_Row] = []
        for row in rows:
            for ln in row.lines:
                ln.role = "toc"
            if _TITLE.match(row.text.strip()):
                continue
            m = pattern.match(row.text)
            if m:
                raw.append(([*pending, row], m))
                pending = []
            else:
                pending.append(row)
    if not raw:
        return []
    indents = _indent_levels([group[0] for group, _ in raw])
    entries = []
    for group, m in raw:
        text = " ".join([*(r.text for r in group[:-1]), m.group("body")]).strip()
        _, number, title = split_number(text)
        entries.append(TocEntry(number, title, m.group("page"), indents[id(group[0])], group[0].lines[0].page))
    return entries


def _indent_levels(firsts: list[_Row]) -> dict[int, int]:
    """Level of each entry from its indent; indents closer than half a line height are one level."""
    xs = sorted({round(r.x0, 1) for r in firsts})
    size = min((r.size for r in firsts), default=10.0)
    steps: list[float] = []
    for x in xs:
        if not steps or x - steps[-1] > 0.5 * size:
            steps.append(x)
    return {id(r): sum(1 for s in steps if s <= round(r.x0, 1) + 1e-6) for r in firsts}
