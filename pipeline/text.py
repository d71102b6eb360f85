"""Line-level text cleaning shared by layout and extraction, on top of ``pipeline.normalise``.

Only presentation forms are folded (see ``normalise``); full NFKC would also rewrite
CJK punctuation the user wants kept.
"""

from __future__ import annotations

import re

from pipeline.normalise import normalise

_SPACES = re.compile(r"[ \t]+")
_ROMAN = re.compile(r"^(?=[ivxlcdm]+$)m{0,3}(cm|cd|d?c{0,3})(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})$", re.IGNORECASE)


_UNMAPPED = re.compile(r"\(cid:\d+\)")
UNKNOWN_GLYPH = "\ufffd"


def fold(text: str) -> str:
    """Normalised text with unmapped glyphs as U+FFFD, spaces kept (``clean`` without the collapsing)."""
    return normalise(_UNMAPPED.sub(UNKNOWN_GLYPH, text))


def clean(text: str) -> str:
    """Normalised text (``normalise``) with runs of spaces collapsed.

    Glyphs the PDF gives no Unicode for (pdfminer's "(cid:N)") become U+FFFD: they are
    mostly bullets and dingbats, and a marker is more honest than a made-up character.
    """
    return _SPACES.sub(" ", normalise(_UNMAPPED.sub(UNKNOWN_GLYPH, text))).strip()


def is_roman(token: str) -> bool:
    return bool(token) and bool(_ROMAN.match(token))


def roman_to_int(token: str) -> int:
    values = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}
    total, prev = 0, 0
    for ch in reversed(token.lower()):
        v = values[ch]
        total = total - v if v < prev else total + v
        prev = max(prev, v)
    return total


def shape(text: str) -> str:
    """Text with digits and roman folios masked, so repeated headers with page numbers compare equal."""
    masked = re.sub(r"\d+", "#", text.lower())
    return " ".join("#" if is_roman(w) else w for w in masked.split())
