"""Checks fact boxes against the PDF itself: the characters inside a fact's boxes must spell the fact.

Independent of the pipeline's own characters on purpose: pdfplumber reads the page again and
the glyphs whose centres fall inside each box are read left to right.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import pdfplumber

_IGNORED = re.compile(r"[\s\-\u00ad\u2010\u2011]")  # line breaks and line-end hyphens


_SLACK = 0.5  # points of rounding between the stored box and pdfplumber's coordinates


def _inside(c: dict, box: dict) -> bool:
    """A glyph is inside when its centre is between the box's sides and its height within the box.

    Centres on the horizontal, because neighbouring glyphs overlap where fonts kern; the whole
    height on the vertical, so text printed over the line (a note set on top of the body, a drop
    capital) is not taken for the fact's own characters.
    """
    cx = (c["x0"] + c["x1"]) / 2
    return box["x0"] <= cx <= box["x1"] and c["top"] >= box["top"] - _SLACK and c["bottom"] <= box["bottom"] + _SLACK


def mismatches(pdf_path: Path, rows: Iterable[dict]) -> list[tuple[str, str]]:
    """(fact text, text inside its boxes) for every row whose boxes do not spell its text."""
    bad = []
    with pdfplumber.open(pdf_path) as pdf:
        chars: dict[int, list[dict]] = {}
        for row in rows:
            got = ""
            for box in row["boxes"] or []:
                page_chars = chars.setdefault(box["page"], pdf.pages[box["page"] - 1].chars)
                got += "".join(
                    c["text"] for c in sorted((c for c in page_chars if _inside(c, box)), key=lambda c: c["x0"])
                )
            if _IGNORED.sub("", got) != _IGNORED.sub("", row["text"]):
                bad.append((row["text"], got))
    return bad
