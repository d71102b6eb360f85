"""Where each character of a block's text is printed, and the boxes of any span of it.

A block's text is not its glyphs in order: bullets, superscript calls, "[n]" marks and
line-end hyphens are taken out, words are joined with spaces, ligatures are unfolded and
table cells are re-ordered row by row. So the text is aligned back onto the glyphs of the
block's lines after the fact, word by word, instead of threading positions through every
step that rewrites text. A word is looked for from where the previous one ended (the usual
case), else anywhere not yet used (a table cell printed on several lines comes before its
neighbour cell in the text but after it on the page).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from pipeline.model import Block, Char, GlyphRun, Word
from pipeline.normalise import SPACING_ACCENTS
from pipeline.text import fold

_HYPHENS = frozenset("-\u2010\u2011\u00ad")
_BRACKET_CALL = re.compile(r"\[\d{1,3}\]")
_NEAR = 24  # how far past the cursor a lone character (a word that did not match whole) is looked for


@dataclass(slots=True)
class _Source:
    """A block's glyphs as parallel columns; ``keys`` is one string so matching can use ``str.find``."""

    keys: str = ""  # one comparison character per glyph (see ``_key``)
    lines: list[int] = field(default_factory=list)  # index of the block line it is printed on
    chars: list[Char] = field(default_factory=list)
    skippable: list[bool] = field(default_factory=list)  # may be missing from the text: superscript, hyphen, "[n]"

    def __len__(self) -> int:
        return len(self.keys)


def _key(ch: str) -> str:
    """One character to compare text and glyphs by: the letter without accent and case.

    The text may hold a small capital's restored case or an accent composed from its own glyph.
    """
    return unicodedata.normalize("NFD", ch)[0].casefold()[:1] or ch


@lru_cache(maxsize=65536)
def _keys(text: str) -> str:
    """``_key`` of every character of ``text``; cached, as words and glyphs repeat throughout a document."""
    return "".join(_key(ch) for ch in text)


@lru_cache(maxsize=4096)
def _glyph_text(text: str) -> tuple[str, str, tuple[bool, ...]]:
    """For a glyph's text: the first character of its folded form, then the keys of its non-space
    characters and whether each is a hyphen or spacing accent (which the block text may drop).

    Cached: a document prints a few hundred distinct glyph texts hundreds of thousands of times.
    """
    piece = fold(text)
    kept = [ch for ch in piece if not ch.isspace()]
    return piece[:1], _keys("".join(kept)), tuple(ch in _HYPHENS or ch in SPACING_ACCENTS for ch in kept)


@lru_cache(maxsize=65536)
def _word_pattern(texts: tuple[str, ...], superscript: bool) -> tuple[str, tuple[int, ...], tuple[bool, ...]]:
    """A word's glyph keys, the index of the character each comes from, and which may be missing from the text.

    All three depend only on the characters' texts and the word being raised: cached, as words recur.
    """
    pieces = [_glyph_text(t) for t in texts]
    in_call = [False] * len(pieces)
    joined = "".join(first for first, _, _ in pieces)
    if len(joined) == len(pieces):
        for m in _BRACKET_CALL.finditer(joined):
            for i in range(m.start(), m.end()):
                in_call[i] = True
    owners: list[int] = []
    skippable: list[bool] = []
    for i, ((_, piece_keys, dropped), call) in enumerate(zip(pieces, in_call, strict=True)):
        owners.extend([i] * len(piece_keys))
        skippable.extend(superscript or call or d for d in dropped)
    return "".join(piece_keys for _, piece_keys, _ in pieces), tuple(owners), tuple(skippable)


def _add_word(src: _Source, keys: list[str], word_chars: Sequence[Char], line: int, superscript: bool) -> None:
    """Append a word's glyphs to ``src`` (its keys to ``keys``, joined into ``src.keys`` at the end)."""
    word_keys, owners, skippable = _word_pattern(tuple([c.text for c in word_chars]), superscript)
    keys.append(word_keys)
    src.lines.extend([line] * len(word_keys))
    src.chars.extend([word_chars[i] for i in owners])
    src.skippable.extend(skippable)


def _source(block: Block, words: Sequence[Word] | None) -> _Source:
    """The block's glyphs in its lines' order, or in the order of ``words`` (each tagged with its line)."""
    src = _Source()
    keys: list[str] = []
    if words is None:
        for i, ln in enumerate(block.lines):
            for w in ln.words:
                _add_word(src, keys, w.chars, i, w.superscript)
    else:
        line_of = {id(w): i for i, ln in enumerate(block.lines) for w in ln.words}
        for w in words:
            if id(w) in line_of:
                _add_word(src, keys, w.chars, line_of[id(w)], w.superscript)
    src.keys = "".join(keys)
    return src


def _match_at(src: _Source, used: bytearray, token: str, p: int) -> list[int] | None:
    """Glyph indices spelling ``token`` from ``p`` on, skipping glyphs the text may have dropped."""
    n = len(token)
    if src.keys.startswith(token, p) and used.find(1, p, p + n) == -1:  # the usual case: printed as written
        return list(range(p, p + n))
    got: list[int] = []
    i, j = 0, p
    while i < n:
        if j >= len(src):
            return None
        if src.keys[j] == token[i] and not used[j]:
            got.append(j)
            i += 1
        elif not src.skippable[j]:
            return None
        j += 1
    return got


def _find(src: _Source, used: bytearray, token: str, lo: int, hi: int) -> list[int] | None:
    """The first place from ``lo`` (before ``hi``) where ``token`` can be matched."""
    p = src.keys.find(token[0], lo, hi)
    while p != -1:
        if not used[p]:
            got = _match_at(src, used, token, p)
            if got is not None:
                return got
        p = src.keys.find(token[0], p + 1, hi)
    return None


def _near(src: _Source, used: bytearray, ch: str, j: int) -> int | None:
    """The first unused glyph ``ch`` within ``_NEAR`` glyphs from ``j``."""
    end = min(len(src), j + _NEAR)
    k = src.keys.find(ch, j, end)
    while k != -1 and used[k]:
        k = src.keys.find(ch, k + 1, end)
    return None if k == -1 else k


def _align(text: str, src: _Source) -> list[int | None]:
    """For every character of ``text``, the index of its glyph in ``src`` (None for whitespace and misses)."""
    where: list[int | None] = [None] * len(text)
    used = bytearray(len(src))
    cursor = 0
    for m in re.finditer(r"\S+", text):
        token = _keys(m.group())
        got = _find(src, used, token, cursor, len(src)) or _find(src, used, token, 0, cursor)
        if got is None:  # map what can be mapped nearby, one character at a time
            got_chars: list[tuple[int, int]] = []
            j = cursor
            for i, ch in enumerate(token):
                k = _near(src, used, ch, j)
                if k is not None:
                    got_chars.append((i, k))
                    j = k + 1
            for i, k in got_chars:
                where[m.start() + i] = k
                used[k] = True
            cursor = j if got_chars else cursor
            continue
        where[m.start() : m.start() + len(got)] = got
        for k in got:
            used[k] = True
        cursor = got[-1] + 1
    return where


def glyph_runs(block: Block, words: Sequence[Word] | None = None) -> list[GlyphRun]:
    """The block's text cut into runs printed on one line each, with every character's x extent.

    ``words`` gives the order the text was written in when it is not the lines' order (a
    table's text goes cell by cell, its lines run across all cells of a row).
    """
    src = _source(block, words)
    if not src or not block.text:
        return []
    where = _align(block.text, src)
    first = next((k for k in where if k is not None), None)
    if first is None:
        return []
    line = src.lines[first]  # characters before the first glyph start its run
    run = GlyphRun(0, block.lines[line].page, src.chars[first].top, src.chars[first].bottom, [], [])
    runs = [run]
    last_x1: float | None = None
    for offset, k in enumerate(where):
        if k is None:  # whitespace sits at the end of the glyph before it; a missed character has no place
            x = last_x1 if block.text[offset].isspace() else None
            run.x0.append(x)
            run.x1.append(x)
            continue
        char = src.chars[k]
        if src.lines[k] != line:
            line = src.lines[k]
            run = GlyphRun(offset, block.lines[line].page, char.top, char.bottom, [], [])
            runs.append(run)
        run.x0.append(char.x0)
        run.x1.append(char.x1)
        if char.top < run.top:
            run.top = char.top
        if char.bottom > run.bottom:
            run.bottom = char.bottom
        last_x1 = char.x1
    return runs


def _centre(run: GlyphRun, i: int) -> float | None:
    """Centre of the glyph at index ``i`` of the run, if there is one (not whitespace, not past the run)."""
    if 0 <= i < len(run.x0):
        a, b = run.x0[i], run.x1[i]
        if a is not None and b is not None and b > a:
            return (a + b) / 2
    return None


def span_boxes(runs: Sequence[GlyphRun], start: int, end: int) -> list[tuple[int, float, float, float, float]]:
    """(page, x0, top, x1, bottom) of ``text[start:end]``: one box per line the span is printed on.

    Glyph boxes overlap where fonts kern ("Y," or "To"): a box is kept short of the centre of
    the glyph printed just before or after the span, so it holds the span's glyphs only.
    """
    boxes = []
    for run in runs:
        lo, hi = max(start, run.start), min(end, run.end)
        if lo >= hi:
            continue
        a = run.start
        xs = [
            (x0, x1)
            for x0, x1 in zip(run.x0[lo - a : hi - a], run.x1[lo - a : hi - a], strict=True)
            if x0 is not None and x1 is not None and x1 > x0
        ]
        if not xs:
            continue
        left, right = min(x for x, _ in xs), max(x for _, x in xs)
        before, after = _centre(run, lo - a - 1), _centre(run, hi - a)
        if before is not None and before < xs[0][1]:
            left = max(left, (before + (xs[0][0] + xs[0][1]) / 2) / 2)
        if after is not None and after > xs[-1][0]:
            right = min(right, (after + (xs[-1][0] + xs[-1][1]) / 2) / 2)
        boxes.append((run.page, left, run.top, right, run.bottom))
    return boxes


def runs_from_rows(values: Sequence[dict] | None) -> list[GlyphRun]:
    """Glyph runs back from the ``blocks.glyphs`` column (x0 and width per character)."""
    return [
        GlyphRun(
            v["start"],
            v["page"],
            v["top"],
            v["bottom"],
            v["x0"],
            [None if a is None or w is None else a + w for a, w in zip(v["x0"], v["width"], strict=True)],
        )
        for v in values or []
    ]


def run_rows(runs: Sequence[GlyphRun]) -> list[dict]:
    """Glyph runs as values of the ``blocks.glyphs`` column: x0 and width in 1/100 points (widths repeat, so
    they compress several times better than right edges)."""
    return [
        {
            "start": r.start,
            "page": r.page,
            "top": r.top,
            "bottom": r.bottom,
            "x0": [None if a is None else round(a, 2) for a in r.x0],
            "width": [None if a is None or b is None else round(b - a, 2) for a, b in zip(r.x0, r.x1, strict=True)],
        }
        for r in runs
    ]


def add_boxes(rows: list[dict], runs_by_block: dict[str, list[GlyphRun]]) -> None:
    """Set ``boxes`` on fact rows (mentions, amounts, dates) from their block and character span."""
    for row in rows:
        runs = runs_by_block.get(row.get("block_id") or "", [])
        row["boxes"] = [
            {"page": page, "x0": round(x0, 3), "top": round(top, 3), "x1": round(x1, 3), "bottom": round(bottom, 3)}
            for page, x0, top, x1, bottom in span_boxes(runs, row["start_char"], row["end_char"])
        ]


BOXED_TABLES = ("mentions", "amounts", "dates")


def locate_facts(rows: dict[str, list[dict]], runs_by_block: dict[str, list[GlyphRun]]) -> None:
    """Boxes on the rows of every fact table that has them (the output of ``extract``)."""
    for name in BOXED_TABLES:
        add_boxes(rows.get(name, []), runs_by_block)
