"""Headings to a section tree, from the document's own heading styles, numbering and printed TOC.

A heading is a short block set apart by size, weight, slant, small capitals, an
underline or a colour other than the body text's, and numbered, set like other numbered headings, or listed in the table
of contents. Headings are clustered by style; each style gets a level from the
strongest evidence the document offers: the indentation of its entries in the
printed TOC, then how its numbers nest under other styles (a "1" or "(a)" right
after a heading of another style starts a sub-level; "2.1.3" is one deeper than
"2.1"), then what it follows and prominence (bigger, small capitals, coloured,
bold, underlined, upright ranks higher; styles that tie rank in the order the document uses them).
Levels are made contiguous at the end, so no style sits two levels under the one above.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from itertools import pairwise

from pipeline.blocks import is_list_item
from pipeline.figures import CAPTION as FIGURE_CAPTION
from pipeline.figures import SOURCE_NOTE
from pipeline.model import Block
from pipeline.numbering import split_number
from pipeline.tables import CAPTION as TABLE_CAPTION
from pipeline.toc import TocEntry

_MAX_HEADING_CHARS = 260
_MAX_HEADING_LINES = 4  # across the full text width; a narrower column wraps the same words to more lines
_FILLED = 0.8  # a heading that wraps in its column fills this share of it on its widest line
_WRAPPED = 0.6  # ... and on every line but the last this share
_COVER_PROSE = 1 / 3  # a cover's blurb is shorter than this share of the median page's prose
_COMMON_EDGE = 0.25  # a left edge shared by this share of the lines at the most common one is a column edge
_LETTERS = re.compile(r"[^0-9a-z\u3000-\u9fff]")
_BULLETS = "•●○◦▪■□➔➢►▶✓✔-–—*\ufffd"
_CODE = re.compile(r"[{};=<>\\]|\b[a-z_][a-z0-9_]*\(|::|->|^\s*(?:def|class|import|return|if|for|while)\b")
_FIRST_ORDINAL = re.compile(r"^\(?(?:1|0?1|a|A|i|I)[.)]?$|(?:^|[.-])1\.?$")
_BARE_NUMBER = re.compile(
    r"^((?:(?:chapter|part|section|appendix|annex|reference)\s+)?(?:\d{1,3}(?:\.\d{1,3})*|[IVXLC]{1,6}|[A-Z])\.?):?$",
    re.IGNORECASE,
)
_LONE_DIGITS = re.compile(r"^[\d.]+$")  # a folio or a figure's big number, unless it numbers the title below
_MONO = ("mono", "courier", "consol", "code")


@dataclass(frozen=True)
class Style:
    """What sets a heading apart; headings of one level share it."""

    size: float
    bold: bool
    italic: bool
    small_caps: bool = False
    underline: bool = False
    centred: bool = False
    caps: bool = False  # set in capitals throughout ("1. INTRODUCTION")
    tint: str = ""  # its colour when that is not the body text's ("" in the body's colour)

    @property
    def emphasised(self) -> bool:
        return self.bold or self.italic or self.small_caps or self.underline or self.caps or bool(self.tint)

    def prominence(self) -> tuple[float, bool, bool, bool, bool, bool, bool]:
        """Sort key, most prominent first."""
        capitals = self.small_caps or self.caps
        return (
            -self.size,
            not capitals,
            not self.tint,
            not self.bold,
            not self.underline,
            self.italic,
            not self.centred,
        )


@dataclass
class Section:
    number: str | None
    title: str
    level: int
    page: int
    block: Block
    style: Style
    in_toc: bool = False
    toc_page_label: str | None = None
    section_id: str = ""
    parent: Section | None = None
    page_end: int = 0


def key(text: str) -> str:
    return _LETTERS.sub("", text.lower())


class _Geometry:
    """The text column of odd and even pages (margins may mirror), to tell centred lines.

    The left edge is where most prose lines start (the leftmost such place: on a two-column
    page both column edges are), the right edge where nearly all end (the 95th percentile,
    so ragged-right text works too).
    """

    def __init__(self, blocks: list[Block]) -> None:
        starts: dict[int, Counter[int]] = defaultdict(Counter)
        ends: dict[int, list[float]] = defaultdict(list)
        self.prose_lines: dict[int, list[tuple[float, float]]] = defaultdict(list)
        for b in blocks:
            if b.kind == "paragraph" and len(b.lines) >= 2:
                for ln in b.lines:
                    starts[ln.page % 2][round(ln.x0)] += 1
                    ends[ln.page % 2].append(ln.x1)
                    self.prose_lines[ln.page].append((ln.x0, ln.x1))
        self.area: dict[int, tuple[float, float]] = {}
        for parity, xs in ends.items():
            xs.sort()
            most = starts[parity].most_common(1)[0][1]
            left = min(x for x, n in starts[parity].items() if n >= _COMMON_EDGE * most)
            self.area[parity] = (left, xs[int(0.95 * (len(xs) - 1))])

    def max_lines(self, b: Block) -> int:
        """How many lines a heading may wrap to: more in a column narrower than the text width.

        The column is measured by the prose lines of the page that start where the heading
        does. Only text that fills it earns more lines (the widest line nearly the column's
        width, none but the last much shorter); a stack of short lines is not a heading.
        """
        lines = [ln for ln in b.lines if ln.page == b.page]
        if b.page % 2 not in self.area or len(lines) <= _MAX_HEADING_LINES:
            return _MAX_HEADING_LINES
        left, right = self.area[b.page % 2]
        x0 = lines[0].x0
        ends = [x1 for start, x1 in self.prose_lines.get(b.page, []) if abs(start - x0) <= lines[0].size]
        measure = max(ends, default=0.0) - x0
        widths = [ln.x1 - ln.x0 for ln in lines]
        if right <= left or measure <= 0 or max(widths) < _FILLED * measure:
            return _MAX_HEADING_LINES
        if any(w < _WRAPPED * measure for w in widths[:-1]):
            return _MAX_HEADING_LINES
        share = max(measure / (right - left), 1 / 3)
        return max(_MAX_HEADING_LINES, int(_MAX_HEADING_LINES / share))

    def centred(self, b: Block) -> bool:
        """Every line symmetric about the column's axis (a full line is too) and one line visibly indented."""
        if b.page % 2 not in self.area:
            return False
        left, right = self.area[b.page % 2]
        lines = [ln for ln in b.lines if ln.page == b.page]
        return any(ln.x0 - left > 1.5 * ln.size for ln in lines) and all(
            abs((ln.x0 + ln.x1) / 2 - (left + right) / 2) < 0.6 * ln.size for ln in lines
        )


def _style(b: Block, geometry: _Geometry, body_colour: str) -> Style:
    return Style(
        round(b.size * 2) / 2,
        b.bold,
        b.italic,
        all(ln.small_caps for ln in b.lines),
        all(ln.underline for ln in b.lines),
        geometry.centred(b),
        _all_caps(b.text),
        b.colour if b.colour != body_colour else "",
    )


def _all_caps(text: str) -> bool:
    """Capitals throughout, and more than a short acronym."""
    letters = [ch for ch in split_number(text)[2] if ch.isalpha()]
    return len(letters) >= 4 and all(ch.isupper() for ch in letters)


def _shape_ok(block: Block, max_lines: int) -> bool:
    """Short, not a caption, bullet, code line or sentence fragment."""
    text = block.text.strip()
    if not text or len(text) > _MAX_HEADING_CHARS or len(block.lines) > max_lines:
        return False
    if TABLE_CAPTION.match(text) or FIGURE_CAPTION.match(text) or SOURCE_NOTE.match(text):
        return False
    if text[0] in _BULLETS or block.lines[0].text[:1] in _BULLETS:
        return False
    if _CODE.search(text) or any(m in block.lines[0].font.lower() for m in _MONO):
        return False
    _, _, title = split_number(text)
    if title[:1].islower():
        return False
    return not (text.endswith((".", ",", ";")) and len(text.split()) > 14)


def _prose(blocks: list[Block], body_size: float) -> dict[int, list[Block]]:
    """Running prose (paragraphs of two lines or more at body size) per page."""
    out: dict[int, list[Block]] = defaultdict(list)
    for b in blocks:
        if b.kind == "paragraph" and len(b.lines) >= 2 and abs(b.size - body_size) < 0.1 * body_size:
            out[b.page].append(b)
    return out


def _body_colour(prose: dict[int, list[Block]]) -> str:
    """The colour most of the running prose is printed in: other colours are judged against it, never by name."""
    colours: Counter[str] = Counter()
    for page in prose.values():
        for b in page:
            for ln in b.lines:
                colours[ln.colour] += ln.n_chars
    return colours.most_common(1)[0][0] if colours else ""


def _cover_like(page: int, prose: dict[int, list[Block]], typical: int) -> bool:
    """A cover, title or contents page: no running prose, or a blurb a fraction of a text page long.

    A paper's first page, whose abstract and introduction run on, is not a cover.
    """
    here = prose.get(page, [])
    return len(here) < 2 or sum(len(b.text) for b in here) < _COVER_PROSE * typical


def detect(blocks: list[Block], body_size: float, toc: list[TocEntry], cover_pages: set[int]) -> list[Section]:
    """Turn heading blocks into sections (block.kind becomes "heading") and link parents."""
    geometry = _Geometry(blocks)
    prose = _prose(blocks, body_size)
    chars = sorted(sum(len(b.text) for b in page) for page in prose.values())
    typical = chars[len(chars) // 2] if chars else 0
    covers = {p for p in cover_pages if _cover_like(p, prose, typical)}
    candidates = [
        b
        for b in blocks
        if b.kind in ("paragraph", "list_item") and b.page not in covers and _shape_ok(b, geometry.max_lines(b))
    ]
    body_colour = _body_colour(prose)
    styles = {id(b): _style(b, geometry, body_colour) for b in candidates}
    candidates = _without_running_heads(candidates, blocks, styles)
    bigger = {id(b) for b in candidates if b.size >= 1.08 * body_size}
    numbered_styles = {
        styles[id(b)]
        for b in candidates
        if split_number(b.text)[1] is not None
        and (styles[id(b)].emphasised or id(b) in bigger)
        and b.size >= 0.9 * body_size
    }
    standalone_styles = _standalone_styles(blocks, candidates, styles, (body_size, body_colour))
    toc_keys = {key((e.number or "") + e.title): e for e in toc} | {key(e.title): e for e in toc}
    chosen: list[Block] = []
    for b in candidates:
        st = styles[id(b)]
        numbered = split_number(b.text)[1] is not None
        styled = id(b) in bigger or (
            st.emphasised
            and b.size >= 0.9 * body_size
            and (st in numbered_styles or numbered or st in standalone_styles)
        )
        in_toc = key(b.text) in toc_keys
        if styled or (in_toc and len(b.lines) <= 3 and (st.emphasised or id(b) in bigger)):
            if is_list_item(b) and not numbered:
                continue
            chosen.append(b)
    number_lines = _number_lines(chosen, blocks)
    paired = {id(n) for n, _ in number_lines.values()}
    chosen = [b for b in chosen if id(b) not in paired and not _LONE_DIGITS.match(b.text.strip())]
    levels = _style_levels(chosen, [styles[id(b)] for b in chosen], toc_keys)
    sections: list[Section] = []
    for b in chosen:
        _, number, title = split_number(b.text)
        b.kind = "heading"
        first, printed = number_lines.get(id(b), (b, number))
        first.kind = "heading"
        number = printed
        entry = toc_keys.get(key(b.text)) or toc_keys.get(key(title)) or toc_keys.get(key(first.text + title))
        st = styles[id(b)]
        sections.append(
            Section(
                number,
                title,
                levels[st],
                first.page,
                first,
                st,
                in_toc=entry is not None,
                toc_page_label=entry.page_label if entry else None,
            )
        )
    _link(sections)
    return sections


def _number_lines(chosen: list[Block], blocks: list[Block]) -> dict[int, tuple[Block, str]]:
    """Title block id -> (block, number) of a number printed alone just above it ("3", "Chapter 3", "IV.")."""
    after = {id(a): b for a, b in pairwise(blocks)}
    ids = {id(b) for b in chosen}
    out: dict[int, tuple[Block, str]] = {}
    for b in chosen:
        nxt = after.get(id(b))
        m = _BARE_NUMBER.match(b.text.strip())
        if (
            m
            and nxt is not None
            and id(nxt) in ids
            and nxt.page == b.page
            and split_number(nxt.text)[1] is None
            and not _BARE_NUMBER.match(nxt.text.strip())
        ):
            out[id(nxt)] = (b, m.group(1))
    return out


def _without_running_heads(candidates: list[Block], blocks: list[Block], styles: dict[int, Style]) -> list[Block]:
    """Drop a chapter title repeated as a running head that furniture detection let through.

    It is the top block of its page and repeats, less prominently, a candidate on another page.
    """
    page_top: dict[int, float] = {}
    for b in blocks:
        page_top[b.page] = min(page_top.get(b.page, b.top), b.top)
    by_text: dict[str, list[Block]] = defaultdict(list)
    for b in candidates:
        by_text[key(b.text)].append(b)
    dropped = {
        id(b)
        for same in by_text.values()
        for b in same
        if b.top <= page_top[b.page]
        and any(o.page != b.page and styles[id(o)].prominence() < styles[id(b)].prominence() for o in same)
    }
    return [b for b in candidates if id(b) not in dropped]


def _standalone_styles(
    blocks: list[Block], candidates: list[Block], styles: dict[int, Style], body: tuple[float, str]
) -> set[Style]:
    """Emphasised styles used at least twice for a short line of its own that prose follows.

    This is how unnumbered headings at body size (bold, italic, underlined) show themselves;
    a bold sentence or label inside prose ends in punctuation or runs on in the same block.
    The prose that follows is plain: body size, roman, in the body's colour.
    """
    body_size, body_colour = body
    after = {id(a): b for a, b in pairwise(blocks)}
    counts: Counter[Style] = Counter()
    for b in candidates:
        st, nxt = styles[id(b)], after.get(id(b))
        if (
            not st.emphasised
            or len(b.lines) > 1
            or len(b.text.split()) > 12
            or b.text.rstrip().endswith((".", ",", ";"))
        ):
            continue
        if nxt is None or nxt.kind != "paragraph" or nxt.page != b.page or len(nxt.lines) < 2:
            continue
        if nxt.bold or nxt.italic or nxt.colour not in ("", body_colour) or abs(nxt.size - body_size) > 0.1 * body_size:
            continue
        counts[st] += 1
    return {st for st, n in counts.items() if n >= 2}


def _toc_votes(chosen: list[Block], styles: list[Style], toc_keys: dict[str, TocEntry]) -> dict[Style, int]:
    """Level of each style from the indentation of its headings' TOC entries (when the TOC is indented)."""
    if len({e.level for e in toc_keys.values()}) < 2:
        return {}
    votes: dict[Style, Counter[int]] = defaultdict(Counter)
    for b, st in zip(chosen, styles, strict=True):
        entry = toc_keys.get(key(b.text)) or toc_keys.get(key(split_number(b.text)[2]))
        if entry is not None:
            votes[st][entry.level] += 1
    return {st: c.most_common(1)[0][0] for st, c in votes.items()}


def _depth(number: str | None) -> int:
    return len(re.findall(r"\d+", number)) if number and re.fullmatch(r"\d+(?:\s?[-.]\s?\d+)+\.?", number) else 0


def _nesting_votes(
    chosen: list[Block], styles: list[Style], levels: dict[Style, int], pending: set[Style]
) -> dict[Style, Counter[int]]:
    """Votes for pending styles: a first number ("1", "(a)") right after a levelled heading is its child;
    a compound number one part longer than a levelled style's is one level deeper."""
    votes: dict[Style, Counter[int]] = defaultdict(Counter)
    depth_level: dict[int, Counter[int]] = defaultdict(Counter)
    for b, st in zip(chosen, styles, strict=True):
        d = _depth(split_number(b.text)[1])
        if d and st in levels:
            depth_level[d][levels[st]] += 1
    for i, (b, st) in enumerate(zip(chosen, styles, strict=True)):
        if st not in pending:
            continue
        number = split_number(b.text)[1]
        d = _depth(number)
        for known, counts in depth_level.items() if d else ():
            votes[st][counts.most_common(1)[0][0] + d - known] += 2
        if i and styles[i - 1] in levels and styles[i - 1] != st and number and _FIRST_ORDINAL.search(number):
            votes[st][levels[styles[i - 1]] + 1] += 1
    return {st: c for st, c in votes.items() if c}


def _sequence_votes(
    chosen: list[Block], styles: list[Style], levels: dict[Style, int], pending: set[Style]
) -> dict[Style, Counter[int]]:
    """Votes from unnumbered headings: after a more prominent levelled heading, one level below it;
    after a less prominent one, at its level (a new topic at the same depth, not a child of it)."""
    votes: dict[Style, Counter[int]] = defaultdict(Counter)
    for prev, st in pairwise(styles):
        if st in pending and prev in levels and prev != st:
            below = prev.prominence() < st.prominence()
            votes[st][levels[prev] + 1 if below else levels[prev]] += 1
    return votes


def _style_levels(chosen: list[Block], styles: list[Style], toc_keys: dict[str, TocEntry]) -> dict[Style, int]:
    """A level for every heading style: TOC, then nesting, then prominence; contiguous from 1."""
    by_prominence = sorted(dict.fromkeys(styles), key=Style.prominence)  # ties: first used first
    levels = _toc_votes(chosen, styles, toc_keys)
    if not levels and by_prominence:
        levels[by_prominence[0]] = 1
    pending = set(by_prominence) - set(levels)
    while pending:
        votes = _nesting_votes(chosen, styles, levels, pending) or _sequence_votes(chosen, styles, levels, pending)
        if votes:
            st = max(votes, key=lambda s: (sum(votes[s].values()), [-x for x in s.prominence()]))
            levels[st] = max(1, votes[st].most_common(1)[0][0])
        else:
            st = next(s for s in by_prominence if s in pending)
            above = [levels[s] for s in by_prominence[: by_prominence.index(st)] if s in levels]
            levels[st] = max(above, default=0) + 1
        pending.discard(st)
    ranks = {lv: i + 1 for i, lv in enumerate(sorted(set(levels.values())))}
    return {st: ranks[lv] for st, lv in levels.items()}


def _link(sections: list[Section]) -> None:
    stack: list[Section] = []
    for s in sections:
        while stack and stack[-1].level >= s.level:
            stack.pop()
        s.parent = stack[-1] if stack else None
        stack.append(s)


def assign(blocks: list[Block], sections: list[Section], last_page: int) -> None:
    """Give every block the id of the section it falls under, and every section its last page."""
    by_block = {id(s.block): s for s in sections}
    current: Section | None = None
    for b in blocks:
        s = by_block.get(id(b))
        if s is not None:
            current = s
        b.section_id = current.section_id if current else None
    for i, s in enumerate(sections):
        nxt = next((t for t in sections[i + 1 :] if t.level <= s.level), None)
        s.page_end = max(s.page, nxt.page if nxt else last_page)
