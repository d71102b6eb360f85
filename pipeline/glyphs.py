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
from dataclasses import dataclass

from pipeline.model import Block, Char, GlyphRun, Word
from pipeline.normalise import SPACING_ACCENTS
from pipeline.text import fold

_HYPHENS = frozenset("-\u2010\u2011\u00ad")
_BRACKET_CALL = re.compile(r"\[\d{1,3}\]")
_NEAR = 24  # how far past the cursor a lone character (a word that did not match whole) is looked for


@dataclass(slots=True)
class _Glyph:
    ch: str
    line: int
    char: Char
    skippable: bool  # may be missing from the text: superscript, hyphen, "[n]" call mark


def _key(ch: str) -> str:
    """One character to compare text and glyphs by: the letter without accent and case.

    The text may hold a small capital's restored case or an accent composed from its own glyph.
    """
    return unicodedata.normalize("NFD", ch)[0].casefold()[:1] or ch


def _word_glyphs(word_chars: Sequence[Char], line: int, superscript: bool) -> list[_Glyph]:
    pieces = [fold(c.text) for c in word_chars]
    in_call = [False] * len(pieces)
    joined = "".join(p[:1] for p in pieces)
    if len(joined) == len(pieces):
        for m in _BRACKET_CALL.finditer(joined):
            for i in range(m.start(), m.end()):
                in_call[i] = True
    out = []
    for c, piece, call in zip(word_chars, pieces, in_call, strict=True):
        for ch in piece:
            if not ch.isspace():
                skippable = superscript or call or ch in _HYPHENS or ch in SPACING_ACCENTS
                out.append(_Glyph(_key(ch), line, c, skippable))
    return out


def _source(block: Block, words: Sequence[Word] | None) -> list[_Glyph]:
    """The block's glyphs in its lines' order, or in the order of ``words`` (each tagged with its line)."""
    out: list[_Glyph] = []
    if words is None:
        for i, ln in enumerate(block.lines):
            for w in ln.words:
                out.extend(_word_glyphs(w.chars, i, w.superscript))
        return out
    line_of = {id(w): i for i, ln in enumerate(block.lines) for w in ln.words}
    for w in words:
        if id(w) in line_of:
            out.extend(_word_glyphs(w.chars, line_of[id(w)], w.superscript))
    return out


def _match_at(src: list[_Glyph], used: list[bool], token: str, p: int) -> list[int] | None:
    """Glyph indices spelling ``token`` from ``p`` on, skipping glyphs the text may have dropped."""
    got: list[int] = []
    i, j = 0, p
    while i < len(token):
        if j >= len(src):
            return None
        if src[j].ch == token[i] and not used[j]:
            got.append(j)
            i += 1
        elif not src[j].skippable:
            return None
        j += 1
    return got


def _find(src: list[_Glyph], used: list[bool], token: str, lo: int, hi: int) -> list[int] | None:
    first = token[0]
    for p in range(lo, hi):
        if src[p].ch == first and not used[p]:
            got = _match_at(src, used, token, p)
            if got is not None:
                return got
    return None


def _align(text: str, src: list[_Glyph]) -> list[int | None]:
    """For every character of ``text``, the index of its glyph in ``src`` (None for whitespace and misses)."""
    where: list[int | None] = [None] * len(text)
    used = [False] * len(src)
    cursor = 0
    for m in re.finditer(r"\S+", text):
        token = "".join(_key(ch) for ch in m.group())
        got = _find(src, used, token, cursor, len(src)) or _find(src, used, token, 0, cursor)
        if got is None:  # map what can be mapped nearby, one character at a time
            got_chars: list[tuple[int, int]] = []
            j = cursor
            for i, ch in enumerate(token):
                k = next((k for k in range(j, min(len(src), j + _NEAR)) if src[k].ch == ch and not used[k]), None)
                if k is not None:
                    got_chars.append((i, k))
                    j = k + 1
            for i, k in got_chars:
                where[m.start() + i] = k
                used[k] = True
            cursor = j if got_chars else cursor
            continue
        for i, k in enumerate(got):
            where[m.start() + i] = k
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
    runs: list[GlyphRun] = []
    current_line = None
    last_x1: float | None = None
    for offset, k in enumerate(where):
        g = src[k] if k is not None else None
        if g is not None and g.line != current_line:
            ln = block.lines[g.line]
            runs.append(GlyphRun(offset, ln.page, g.char.top, g.char.bottom, [], []))
            current_line = g.line
        if not runs:  # leading characters with no glyph: they start the first run
            first = next((src[k] for k in where if k is not None), None)
            if first is None:
                return []
            runs.append(GlyphRun(0, block.lines[first.line].page, first.char.top, first.char.bottom, [], []))
            current_line = first.line
        run = runs[-1]
        if g is not None:
            run.x0.append(g.char.x0)
            run.x1.append(g.char.x1)
            run.top = min(run.top, g.char.top)
            run.bottom = max(run.bottom, g.char.bottom)
            last_x1 = g.char.x1
        elif block.text[offset].isspace():
            run.x0.append(last_x1)
            run.x1.append(last_x1)
        else:
            run.x0.append(None)
            run.x1.append(None)
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
