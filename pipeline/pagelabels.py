"""Printed page labels ("iii", "12"): from /PageLabels when the PDF has them, else from printed folios.

Folios are read off furniture lines and checked against their neighbours: a
label is kept only when it fits the run it sits in, and pages without a printed
folio inside a run (chapter openers, full-page figures) are filled by counting.
"""

from __future__ import annotations

import itertools

from pipeline.furniture import folio_of
from pipeline.model import Line
from pipeline.text import is_roman, roman_to_int


def _value(label: str) -> tuple[str, int]:
    return ("arabic", int(label)) if label.isdigit() else ("roman", roman_to_int(label))


def _render(kind: str, value: int, like: str) -> str:
    if kind == "arabic":
        return str(value)
    numerals = [
        (1000, "m"),
        (900, "cm"),
        (500, "d"),
        (400, "cd"),
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    ]
    out = ""
    for v, s in numerals:
        while value >= v:
            out += s
            value -= v
    return out.upper() if like.isupper() else out


def printed_folios(pages: list[list[Line]]) -> list[str | None]:
    """The folio printed on each page (first furniture line that carries one), unchecked."""
    found: list[str | None] = []
    for lines in pages:
        label = None
        for line in sorted(lines, key=lambda ln: -ln.bottom):
            if line.role == "furniture":
                label = folio_of(line)
                if label:
                    break
        found.append(label)
    return found


def infer_labels(folios: list[str | None]) -> list[str | None]:
    """Keep folios consistent with a neighbour and fill gaps inside consistent runs."""
    n = len(folios)
    vals = [(_value(f) if f and (f.isdigit() or is_roman(f)) else None) for f in folios]

    def agrees(i: int, j: int) -> bool:
        a, b = vals[i], vals[j]
        return a is not None and b is not None and a[0] == b[0] and b[1] - a[1] == j - i

    keep = [False] * n
    for i in range(n):
        if vals[i] is None:
            continue
        for j in range(max(0, i - 3), min(n, i + 4)):
            if j != i and agrees(min(i, j), max(i, j)):
                keep[i] = True
                break
    labels: list[str | None] = [folios[i] if keep[i] else None for i in range(n)]
    anchors = [i for i in range(n) if keep[i]]
    for a, b in itertools.pairwise(anchors):
        if b - a > 1 and agrees(a, b):
            kind, start = vals[a]
            for k in range(a + 1, b):
                labels[k] = _render(kind, start + (k - a), folios[a] or "")
    return labels
