"""The printed table of contents: recognised (so it never becomes sections) and parsed into entries.

Entries carry number, title, printed page and indent level; sections use them to
confirm headings found by typography and to recover headings typography missed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.model import Line
from pipeline.numbering import split_number

_LEADER_ENTRY = re.compile(r"^(?P<body>.*?)\s*(?:[.·…]\s?){3,}\s*(?P<page>[0-9]{1,4}|[ivxlcdm]{1,6})$", re.IGNORECASE)
_TITLE = re.compile(r"^(table of )?contents$", re.IGNORECASE)


@dataclass
class TocEntry:
    number: str | None
    title: str
    page_label: str
    level: int
    page: int  # physical page of the TOC line


def _entry_line(line: Line) -> re.Match[str] | None:
    return _LEADER_ENTRY.match(line.text)


def mark_toc(pages: list[list[Line]]) -> list[TocEntry]:
    """Mark TOC pages' lines ``role = "toc"`` and return the parsed entries in order."""
    raw: list[tuple[list[Line], re.Match[str]]] = []
    pending: list[Line] = []
    for lines in pages:
        body = [ln for ln in lines if ln.role == "body"]
        hits = [ln for ln in body if _entry_line(ln)]
        titled = any(_TITLE.match(ln.text.strip()) for ln in body)
        if len(hits) < 3 or (not titled and len(hits) < 0.4 * len(body)):
            continue
        for ln in sorted(body, key=lambda ln: (ln.column, ln.top)):
            ln.role = "toc"
            if _TITLE.match(ln.text.strip()):
                continue
            m = _entry_line(ln)
            if m:
                raw.append(([*pending, ln], m))
                pending = []
            else:
                pending.append(ln)
        pending = []
    if not raw:
        return []
    indents = sorted({round(group[0].x0 / 4) for group, _ in raw})
    entries = []
    for group, m in raw:
        text = " ".join([*(ln.text for ln in group[:-1]), m.group("body")]).strip()
        _, number, title = split_number(text)
        level = indents.index(round(group[0].x0 / 4)) + 1
        entries.append(TocEntry(number, title, m.group("page"), level, group[0].page))
    return entries
