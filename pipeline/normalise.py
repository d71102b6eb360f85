"""PDF text quirks undone once, where a word's text is made from its characters.

Everything downstream (lines, blocks, table cells, extraction offsets) reads the
normalised text, so ``blocks.text[start:end]`` and the facts agree. Folded here:

- presentation forms: ligatures ("ﬁ" -> "fi"), odd spaces, zero-width marks;
- soft hyphens: dropped inside a word, a visible hyphen at its end (where the
  line-end rules decide whether to join);
- spacing diacritics that PDF producers draw as separate glyphs next to their
  letter ("Ageˆncia", "Aviac¸a˜o") composed onto it ("Agência", "Aviação");
- full-width Latin letters and digits ("ＡＢＣ１") to ASCII. Full-width
  punctuation stays: it belongs to the CJK text around it.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["SPACING_ACCENTS", "normalise"]

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
    "\ufeff": "",
}
_FOLD |= {chr(c): chr(c - 0xFEE0) for c in range(0xFF10, 0xFF1A)}
_FOLD |= {chr(c): chr(c - 0xFEE0) for c in range(0xFF21, 0xFF3B)}
_FOLD |= {chr(c): chr(c - 0xFEE0) for c in range(0xFF41, 0xFF5B)}
_FOLD_TABLE = str.maketrans(_FOLD)
_SOFT_HYPHEN = "\u00ad"

# Spacing forms of accents and the combining marks they stand for. ASCII "^", "~", "`" are
# left alone: they are real characters in URLs and code.
_COMBINING = {
    "\u00b4": "\u0301",  # acute
    "\u02ca": "\u0301",
    "\u02cb": "\u0300",  # grave
    "\u02c6": "\u0302",  # circumflex
    "\u02dc": "\u0303",  # tilde
    "\u00af": "\u0304",  # macron
    "\u02c9": "\u0304",
    "\u02d8": "\u0306",  # breve
    "\u02d9": "\u0307",  # dot above
    "\u00a8": "\u0308",  # diaeresis
    "\u02da": "\u030a",  # ring above
    "\u02dd": "\u030b",  # double acute
    "\u02c7": "\u030c",  # caron
    "\u00b8": "\u0327",  # cedilla
    "\u02db": "\u0328",  # ogonek
}
# The acute and diaeresis also stand in for quotes ("don´t"): only composed onto vowels.
_QUOTE_LIKE = frozenset({"\u00b4", "\u00a8"})
_VOWELS = frozenset("aeiouyAEIOUY")
# glyphs that the text may hold composed onto a letter instead (their own glyph then has no character)
SPACING_ACCENTS = frozenset(_COMBINING)
_SPACING = re.compile("[" + "".join(_COMBINING) + "]")


def _composed(letter: str, accent: str) -> str | None:
    """The one precomposed character for ``letter`` + ``accent``, None when Unicode has none."""
    if not letter.isalpha() or (accent in _QUOTE_LIKE and letter not in _VOWELS):
        return None
    ch = unicodedata.normalize("NFC", letter + _COMBINING[accent])
    return ch if len(ch) == 1 else None


def _compose_accents(text: str) -> str:
    """Put each spacing accent onto the letter before it (how x-sorted glyphs usually come), else after it."""
    out: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch in _COMBINING:
            before = _composed(out[-1], ch) if out else None
            if before is not None:
                out[-1] = before
                i += 1
                continue
            after = _composed(text[i + 1], ch) if i + 1 < len(text) else None
            if after is not None:
                out.append(after)
                i += 2
                continue
        out.append(ch)
        i += 1
    return "".join(out)


def normalise(text: str) -> str:
    """NFC text with presentation forms folded, soft hyphens resolved and spacing accents composed."""
    text = text.translate(_FOLD_TABLE)
    if _SOFT_HYPHEN in text:
        text = re.sub(_SOFT_HYPHEN + r"+(?=\s|$)", "-", text).replace(_SOFT_HYPHEN, "")
    if _SPACING.search(text):
        text = _compose_accents(text)
    return unicodedata.normalize("NFC", text)
