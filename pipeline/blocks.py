"""Lines to blocks: reading order, paragraphs, list items, line-end hyphens, paragraphs over page breaks.

Paragraph breaks come from the document's own rhythm: the usual gap between lines
of a size is learned, and a larger gap, a first-line indent, a change of typeface
or a list marker starts a new block. A paragraph whose last line does not end a
sentence continues in the next column or on the next page.
"""

from __future__ import annotations

import itertools
import re
import statistics
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable

from pipeline.model import Block, Line

_BULLET = re.compile(r"^[•●○◦▪■□➔➢►▶✓✔\-–—*\ufffd](?:\s+[•●○◦▪■□➔➢►▶✓✔\ufffd])*\s+")
_LIST_MARKER = re.compile(r"^(?:[•●○◦▪■□➔➢►▶✓✔\-–—*\ufffd]|\(?[0-9]{1,2}\)|\(?[a-z]\)|[a-z]\.|[ivx]{1,4}\))\s+")
_SENTENCE_END = re.compile(r"[.!?。！？:;]['\"”’)\]]*$")
_HYPHENS = "-\u2010\u2011"  # hyphen-minus, hyphen, non-breaking hyphen: a line may end with any of them
_HYPHEN_FOLD = str.maketrans("\u2010\u2011", "--")
_WORD_END = re.compile(rf"([A-Za-z]+)[{_HYPHENS}]$")
_WORD_START = re.compile(r"^([a-z]+)")
_CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")
_TOKEN = re.compile(rf"[A-Za-z]+(?:[{_HYPHENS}][A-Za-z]+)*")


def _word_end(text: str) -> re.Match[str] | None:
    """``_WORD_END`` in ``text``, searched only when the text can end that way (a hyphen, or a hyphen and
    newline, as ``$`` allows): the search scans the whole text, and a block's text grows line by line."""
    if text[-1:] in _HYPHENS or text.endswith("\n"):
        return _WORD_END.search(text)
    return None


class Joiner:
    """Joins wrapped lines, resolving line-end hyphens with the document's own vocabulary.

    "infra-" + "structure" becomes "infrastructure" unless the document spells the word
    with a hyphen elsewhere, or never spells it joined while both halves are words it
    uses on their own and one of them also opens or closes other hyphenated words
    ("English-" + "language" where the text also has "Chinese-language"); a hyphen
    before a capital ("Smith-" + "Jones") is always kept. The vocabulary leaves out the
    fragments at line ends, so a broken word never vouches for itself.
    """

    def __init__(self, texts: Iterable[str]) -> None:
        self.vocab: Counter[str] = Counter()
        self.heads: Counter[str] = Counter()
        self.tails: Counter[str] = Counter()
        for t in texts:
            tokens = [w.lower().translate(_HYPHEN_FOLD) for w in _TOKEN.findall(t)]
            if tokens and _word_end(t):
                tokens.pop()
            self.vocab.update(tokens[1:])
            for token in tokens:
                parts = token.split("-")
                if len(parts) > 1:
                    self.heads[parts[0]] += 1
                    self.tails[parts[-1]] += 1

    def glue(self, left: str, right: str) -> str:
        """The separator to put between ``left`` and ``right`` ("", " ") and whether to drop a hyphen."""
        if not left:
            return ""
        m = _word_end(left)
        if m and right[:1].isalpha():
            start = _WORD_START.match(right)
            if start is None:
                return "-keep"
            a, b = m.group(1).lower(), start.group(1).lower()
            joined, hyphenated = self.vocab[a + b], self.vocab[f"{a}-{b}"]
            if hyphenated > joined:
                return "-keep"
            if not joined and self.vocab[a] and self.vocab[b] and (self.heads[a] or self.tails[b]):
                return "-keep"
            return "-drop"
        if left.endswith(("/", *_HYPHENS)) or (_CJK.search(left[-1:]) and _CJK.search(right[:1])):
            return ""
        return " "

    def __call__(self, left: str, right: str) -> str:
        sep = self.glue(left, right)
        if sep == "-drop":
            return left[:-1] + right
        if sep == "-keep":
            return left + right
        return left + sep + right


def reading_order(lines: list[Line]) -> list[Line]:
    """Column regions and spanning lines top to bottom; column by column inside a region.

    A region (``Line.band``) holds the lines between two lines that cross its gutters;
    it is read whole, left column first, before whatever follows it down the page.
    """
    units: dict[tuple[int, int], list[Line]] = {}
    for i, ln in enumerate(lines):
        units.setdefault((ln.band, 0) if ln.band >= 0 else (-1, i), []).append(ln)
    out: list[Line] = []
    for unit in sorted(units.values(), key=lambda u: min((ln.top, ln.x0) for ln in u)):
        out.extend(sorted(unit, key=lambda ln: (ln.column, ln.top, ln.x0)))
    return out


def typical_gaps(pages: list[list[Line]]) -> dict[float, float]:
    """Median gap between consecutive lines of one size in one column: the document's line spacing."""
    gaps: dict[float, list[float]] = defaultdict(list)
    for lines in pages:
        body = sorted((ln for ln in lines if ln.role == "body"), key=lambda ln: (ln.column, ln.top))
        for a, b in itertools.pairwise(body):
            gap = b.top - a.bottom
            if a.column == b.column and a.size == b.size and -1 < gap < a.size:
                gaps[a.size].append(gap)
    return {size: statistics.median(v) for size, v in gaps.items() if len(v) >= 3}


def _style(ln: Line) -> tuple[float, bool, bool]:
    return (ln.size, ln.bold, ln.italic)


def _starts_block(prev: Line, ln: Line, first: Line, gaps: dict[float, float]) -> bool:
    if ln.column != prev.column or ln.band != prev.band or ln.page != prev.page:
        return True
    if abs(ln.size - prev.size) > 0.6:
        return True
    if (ln.bold != prev.bold or ln.italic != prev.italic) and not _justified_run(prev, ln):
        return True
    if ln.small_caps != prev.small_caps:
        return True
    if ln.colour != prev.colour and prev.x1 < ln.x1 - 2 * ln.size and not _justified_run(prev, ln):
        return True  # a short line in its own colour is a heading; a coloured line running on in prose is a link
    if ln.underline != prev.underline and prev.x1 < ln.x1 - 2 * ln.size:
        return True  # a short underlined line is a heading; an underlined line running on is a link in prose
    usual = gaps.get(ln.size, 0.3 * ln.size)
    if ln.top - prev.bottom > usual + 0.35 * ln.size or ln.top < prev.top:
        return True
    if _LIST_MARKER.match(ln.text):
        return True
    if first is not prev and ln.x0 < prev.x0 - 0.8 * ln.size:  # hanging indent: a new entry
        return True
    # first-line indent, judged against a block that already has a line at its margin (else it may be a
    # hanging indent, where continuation lines are the indented ones)
    indent = ln.x0 - prev.x0
    return (
        first is not prev
        and indent > 0.8 * ln.size
        and bool(_SENTENCE_END.search(prev.text))
        and not _LIST_MARKER.match(first.text)
    )


def _justified_run(prev: Line, ln: Line) -> bool:
    """Whether two lines are consecutive full lines of justified text, whatever their typeface.

    A line set wholly in italics (a title cited in running text) inside a justified
    paragraph ends, like its neighbours, exactly at the right edge and leaves its sentence
    open; a heading does neither.
    """
    return (
        abs(prev.x1 - ln.x1) <= 0.1 * ln.size
        and not _SENTENCE_END.search(prev.text)
        and ln.x0 <= prev.x0 + 0.1 * ln.size
    )


def _hanging(group: list[Line]) -> bool:
    """A block whose continuation lines are indented past its first line (reference lists, glossaries)."""
    first = group[0]
    return len(group) > 1 and all(ln.x0 > first.x0 + 0.8 * first.size for ln in group[1:])


def group_blocks(lines: list[Line], gaps: dict[float, float]) -> list[list[Line]]:
    """Consecutive lines in reading order grouped into paragraph-like runs.

    After a hanging-indented block, a line back at the outdent margin opens a new entry even
    when the entry before it fitted on one line.
    """
    groups: list[list[Line]] = []
    for ln in lines:
        if groups:
            current = groups[-1]
            before = groups[-2] if len(groups) > 1 else None
            after_hanging = (
                len(current) == 1
                and before is not None
                and _hanging(before)
                and _style(before[0]) == _style(current[0]) == _style(ln)
                and abs(ln.x0 - current[0].x0) < 0.3 * ln.size
                and abs(current[0].x0 - before[0].x0) < 0.3 * ln.size
            )
            if not after_hanging and not _starts_block(current[-1], ln, current[0], gaps):
                current.append(ln)
                continue
        groups.append([ln])
    return groups


def make_block(kind: str, lines: list[Line], join: Callable[[str, str], str]) -> Block:
    """Join lines into one text, carrying superscript call offsets and line start offsets along."""
    text = ""
    calls: list[tuple[int, str]] = []
    starts: list[int] = []
    for ln in lines:
        joined = join(text, ln.text) if text else ln.text
        start = len(joined) - len(ln.text)
        starts.append(start)
        calls.extend((start + off, num) for off, num in ln.calls)
        text = joined
    sizes = Counter()
    for ln in lines:
        sizes[ln.size] += ln.n_chars
    return Block(
        kind=kind,
        lines=list(lines),
        text=text,
        calls=calls,
        starts=starts,
        page=lines[0].page,
        page_end=lines[-1].page,
        x0=min(ln.x0 for ln in lines if ln.page == lines[0].page),
        top=min(ln.top for ln in lines if ln.page == lines[0].page),
        x1=max(ln.x1 for ln in lines if ln.page == lines[0].page),
        bottom=max(ln.bottom for ln in lines if ln.page == lines[0].page),
        size=sizes.most_common(1)[0][0],
        bold=all(ln.bold for ln in lines),
        italic=all(ln.italic for ln in lines),
        colour=lines[0].colour if all(ln.colour == lines[0].colour for ln in lines) else "",
    )


def is_list_item(block: Block) -> bool:
    return bool(_LIST_MARKER.match(block.text))


def strip_bullet(block: Block) -> None:
    """Drop a leading bullet glyph (not an enumerator like "(a)") from a list item, shifting offsets."""
    m = _BULLET.match(block.text)
    if not m:
        return
    cut = m.end()
    block.text = block.text[cut:]
    block.calls = [(max(0, off - cut), num) for off, num in block.calls]
    block.starts = [max(0, s - cut) for s in block.starts]


def continues(prev: Block, nxt: Block) -> bool:
    """Whether ``nxt`` carries on the sentence ``prev`` left unfinished in the previous column or page.

    Only a column or page break may split a paragraph; there, an unfinished sentence
    (no closing punctuation) goes on in the first paragraph of the next column, even when
    that one starts with a capital (a name, "Chinese students. ..."), and so does a
    justified paragraph whose last line is full.
    """
    last, first_line = prev.lines[-1], nxt.lines[0]
    if last.page == first_line.page and last.column == first_line.column and last.band == first_line.band:
        return False
    if prev.kind not in ("paragraph", "list_item") or nxt.kind != "paragraph" or _tabbed(last):
        return False
    if abs(prev.size - nxt.size) > 0.6 or prev.bold != nxt.bold or prev.italic != nxt.italic:
        return False
    return not _SENTENCE_END.search(prev.text.rstrip()) or _ends_full(prev)


def _ends_full(block: Block) -> bool:
    """Whether a justified block's last line runs to the right edge, as only lines inside a paragraph do.

    A paragraph broken by a column or page break right after a sentence still ends its
    column with a full justified line, where a finished paragraph would stop short.
    """
    last = block.lines[-1]
    same = [ln for ln in block.lines if ln.page == last.page and ln.column == last.column and ln.band == last.band]
    if len(same) < 3:
        return False
    right = max(ln.x1 for ln in same)
    tolerance = 0.3 * last.size
    return last.x1 >= right - tolerance and statistics.median(ln.x1 for ln in same[:-1]) >= right - tolerance


def _tabbed(line: Line) -> bool:
    """A wide gap inside the line: a tab stop (a contents entry and its page), not running text."""
    return max((b.x0 - a.x1 for a, b in itertools.pairwise(line.words)), default=0.0) > 1.5 * line.size


def merge_blocks(prev: Block, nxt: Block, join: Callable[[str, str], str]) -> Block:
    merged = make_block(prev.kind, prev.lines + nxt.lines, join)
    merged.x0, merged.top, merged.x1, merged.bottom = prev.x0, prev.top, prev.x1, prev.bottom
    return merged
