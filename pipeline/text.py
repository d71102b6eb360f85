"""Text normalisation shared by layout and extraction.

Only presentation forms are folded (ligatures, odd spaces, soft hyphens); full
NFKC would also rewrite CJK punctuation and full-width forms the user wants kept.
"""

from __future__ import annotations

import re
import unicodedata

_FOLD = {
    "\ufb00": "ff",
    "\ufb01": "fi",
    "\ufb02": "fl",
    "\ufb03": "ffi",
    "\ufb04": "ffl",
    "\ufb05": "st",
    "\ufb06": "st",
    "\u00a0": " ",
    "\u2002": " ",
    "\u2003": " ",
    "\u2009": " ",
    "\u202f": " ",
    "\u200b": "",
    "\u00ad": "",
    "\ufeff": "",
}
_FOLD_TABLE = str.maketrans(_FOLD)
_SPACES = re.compile(r"[ \t]+")
_ROMAN = re.compile(r"^(?=[ivxlcdm]+$)m{0,3}(cm|cd|d?c{0,3})(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})$", re.IGNORECASE)


_UNMAPPED = re.compile(r"\(cid:\d+\)")
UNKNOWN_GLYPH = "\ufffd"


def fold(text: str) -> str:
    """Ligatures, odd spaces and soft hyphens folded, unmapped glyphs as U+FFFD (``clean`` without the rest)."""
    return _UNMAPPED.sub(UNKNOWN_GLYPH, text.translate(_FOLD_TABLE))


def clean(text: str) -> str:
    """NFC text with ligatures and non-breaking spaces folded and runs of spaces collapsed.

    Glyphs the PDF gives no Unicode for (pdfminer's "(cid:N)") become U+FFFD: they are
    mostly bullets and dingbats, and a marker is more honest than a made-up character.
    """
    text = fold(text)
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


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
