"""Typographic marks that fonts do not name: small capitals and underlines.

Designers set headings apart by more than size and weight. Small capitals are
capitals at two sizes in one word ("Iɴᴛʀᴏ" drawn as I + NTRO smaller); the sizes
tell which letters were lower case, so the text gets its case back. An underline
is a thin horizontal rule just under the glyphs of a line, no longer than the line.
"""

from __future__ import annotations

from collections.abc import Sequence

from pipeline.model import Char, Edge, Line, Word

# a small capital is visibly smaller than a capital, but far bigger than a superscript
_SMALL_MIN, _SMALL_MAX = 0.6, 0.92


def small_caps_word(run: Sequence[Char]) -> tuple[str, float] | None:
    """(case-restored text, capital size) when the characters are small capitals, else None."""
    letters = []
    for c in run:
        if c.text.isalpha():
            if not c.text.isupper():  # a lower-case letter (most words): not small capitals, look no further
                return None
            letters.append(c)
    if len(letters) < 2:
        return None
    cap = max(c.size for c in letters)
    small = [c for c in letters if c.size < _SMALL_MAX * cap]
    if not small or any(c.size < _SMALL_MIN * cap for c in small) or len(small) == len(letters):
        return None
    text = "".join(c.text.lower() if c.text.isalpha() and c.size < _SMALL_MAX * cap else c.text for c in run)
    return text, cap


def small_caps_line(words: list[Word]) -> bool:
    """Mark a line set in small capitals and restore the case of its words that are small capitals only.

    A word such as "of" comes out as two small capitals of one size; it is only known to be
    lower case because its neighbours show which size is the capital one.
    """
    marked = [w for w in words if w.small_caps]
    if not marked:
        return False
    cap = max(w.size for w in marked)
    for w in words:
        letters = [ch for ch in w.text if ch.isalpha()]
        if w.small_caps or not letters or not all(ch.isupper() for ch in letters):
            continue
        if _SMALL_MIN * cap <= w.size < _SMALL_MAX * cap:
            w.text, w.size, w.small_caps = w.text.lower(), cap, True
    letters = sum(w.n_chars for w in words if not w.superscript)
    return sum(w.n_chars for w in words if w.small_caps) >= 0.5 * letters


def mark_underlines(lines: list[Line], edges: Sequence[Edge]) -> None:
    """Set ``underline`` on lines whose glyphs mostly sit on a rule of about their own length."""
    rules = _joined_rules([e for e in edges if e.orientation == "h" and e.x1 - e.x0 > 0])
    if not rules:
        return
    for ln in lines:
        width = ln.x1 - ln.x0
        for e in rules:
            if not (ln.bottom - 0.25 * ln.size <= e.top <= ln.bottom + 0.4 * ln.size):
                continue
            if e.x1 - e.x0 > width + ln.size or e.x0 < ln.x0 - ln.size or e.x1 > ln.x1 + ln.size:
                continue
            covered = sum(w.n_chars for w in ln.words if w.x0 >= e.x0 - 1 and w.x1 <= e.x1 + 1)
            if covered >= 0.6 * ln.n_chars:
                ln.underline = True
                break


def _joined_rules(rules: list[Edge]) -> list[Edge]:
    """Collinear rule pieces with small gaps as one rule (word processors underline word by word)."""
    out: list[Edge] = []
    for e in sorted(rules, key=lambda e: (round(e.top), e.x0)):
        last = out[-1] if out else None
        if last is not None and abs(last.top - e.top) < 0.5 and e.x0 - last.x1 < 4.0:
            out[-1] = Edge(last.x0, last.top, max(last.x1, e.x1), last.bottom, "h")
        else:
            out.append(e)
    return out
