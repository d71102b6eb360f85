"""Characters to words to lines: baselines, superscripts and column gutters.

Superscript digits are taken out of the line text and kept as *calls* with their
offset, so footnote marks never glue onto words ("technology12") while the link to
the footnote survives. Column gutters (``pipeline.columns``) are found per page region,
so two- and three-column text is cut into column lines before reading order.
"""

from __future__ import annotations

import bisect
import re
import statistics
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from operator import attrgetter

from pipeline.columns import ColumnRun, bands, candidate_runs, choose_runs, known_positions, row_gutters
from pipeline.figures import graphic_regions
from pipeline.model import Char, Line, RawPage, Word, is_bold, is_italic
from pipeline.normalise import normalise
from pipeline.text import clean
from pipeline.typography import small_caps_line, small_caps_word

_SUPERSCRIPT_SIZE_RATIO = 0.86
_WORD_GAP_EM = 0.17
_CALL_CHARS = set("0123456789*†‡§,")
_FRACTION_SLASHES = "\u2044/"
_SUPERSCRIPT_DIGITS = str.maketrans("0123456789", "\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079")
_TEN = re.compile(r"(?:^|[×x*])10$")
_BASELINE_EM = 0.15  # characters whose bottoms differ by more than this (in size) are on different baselines
_MARK_CHARS = 5  # a raised or lowered run this short is a mark of its line (call, ordinal, index), not a line


def _cluster_by_baseline(chars: list[Char]) -> list[list[Char]]:
    """Group characters whose vertical centres agree within a fraction of the larger size."""
    clusters: list[list[Char]] = []
    current: list[Char] = []
    ref_mid = ref_size = 0.0
    mids = [(c.top + c.bottom) / 2 for c in chars]
    for i in sorted(range(len(chars)), key=mids.__getitem__):
        c, mid = chars[i], mids[i]
        if current and abs(mid - ref_mid) <= 0.42 * (c.size if c.size > ref_size else ref_size):
            current.append(c)
            if c.size > ref_size:
                ref_mid, ref_size = mid, c.size
            continue
        if current:
            clusters.append(current)
        current, ref_mid, ref_size = [c], mid, c.size
    if current:
        clusters.append(current)
    return [line for cluster in clusters for line in _untangle(cluster)]


def _other_size(a: Char, b: Char) -> bool:
    return abs(a.size - b.size) > 0.05 * max(a.size, b.size)


def _baseline_groups(chars: list[Char]) -> list[list[Char]]:
    """Characters of one size on one baseline (bottoms within a fraction of the size)."""
    groups: list[list[Char]] = []
    for c in sorted(chars, key=lambda c: (c.size, c.bottom)):
        last = groups[-1][-1] if groups else None
        if last is not None and not _other_size(c, last) and c.bottom - last.bottom <= _BASELINE_EM * c.size:
            groups[-1].append(c)
        else:
            groups.append([c])
    return groups


def _overlaps(line: list[Char], group: list[Char]) -> bool:
    """Whether a character of ``group`` sits over one of ``line`` (``line`` sorted by x0)."""
    starts = [c.x0 for c in line]
    for g in group:
        if g.text.isspace():
            continue
        i = bisect.bisect_left(starts, g.x1)
        for c in line[max(0, i - 2) : i]:
            if not c.text.isspace() and min(c.x1, g.x1) - max(c.x0, g.x0) > 0.5 * min(c.x1 - c.x0, g.x1 - g.x0):
                return True
    return False


def _short_runs(group: list[Char]) -> bool:
    """Whether a group is only marks a few characters long (superscript calls, "st", "2"), not a line of text."""
    run = longest = 0
    prev: Char | None = None
    for c in sorted(group, key=lambda c: c.x0):
        if c.text.isspace() or (prev is not None and c.x0 - prev.x1 > 0.5 * c.size):
            run = 0
        if not c.text.isspace():
            run += 1
            longest = max(longest, run)
        prev = c
    return longest <= _MARK_CHARS


def _fits(line: list[Char], main: list[Char], group: list[Char]) -> bool:
    """Whether a baseline group belongs to the line built on ``main``: same baseline, or small raised/lowered marks."""
    if _overlaps(line, group):
        return False
    m_bottom, g_bottom = statistics.median(c.bottom for c in main), statistics.median(c.bottom for c in group)
    size, g_size = main[0].size, group[0].size
    if abs(g_bottom - m_bottom) <= _BASELINE_EM * max(size, g_size):
        return True
    return g_size < size and _short_runs(group) and abs(g_bottom - m_bottom) <= 0.6 * size


def _one_baseline(chars: list[Char]) -> bool:
    """Whether the characters are of one size with bottoms within ``_BASELINE_EM`` of it: then they form one
    baseline group (``_baseline_groups``) without sorting, the case of most lines."""
    if len({c.size for c in chars}) > 1:
        return False
    bottoms = [c.bottom for c in chars]
    return max(bottoms) - min(bottoms) <= _BASELINE_EM * chars[0].size


def _untangle(chars: list[Char]) -> list[list[Char]]:
    """Split a cluster holding several lines (offset or overprinted baselines) into one cluster per line.

    Lines of neighbouring blocks whose centres come close (a column beside a footnote
    area, body text printed over notes) would otherwise be read as one line, their letters
    interleaved. Superscript and subscript marks stay with the line they belong to.
    """
    if _one_baseline(chars):
        return [chars]
    groups = _baseline_groups(chars)
    if len(groups) == 1:
        return [chars]
    lines: list[tuple[list[Char], list[Char]]] = []
    for group in sorted(groups, key=len, reverse=True):
        home = next((line for line, main in lines if _fits(line, main, group)), None)
        if home is None:
            lines.append((sorted(group, key=lambda c: c.x0), group))
        else:
            home.extend(group)
            home.sort(key=lambda c: c.x0)
    return sorted((line for line, _ in lines), key=lambda cs: statistics.median((c.top + c.bottom) / 2 for c in cs))


def _dominant_size(chars: Sequence[Char]) -> float:
    counts = Counter([c.size for c in chars if not c.text.isspace()])
    return counts.most_common(1)[0][0] if counts else 0.0


@lru_cache(maxsize=65536)
def _word_text(text: str) -> str:
    """``normalise`` for a word's text, cached: most words of a document recur many times."""
    return normalise(text)


@lru_cache(maxsize=65536)
def _clean_word(text: str) -> str:
    """``clean`` for a word's text, cached like ``_word_text``."""
    return clean(text)


def _word(run: list[Char], superscript: bool) -> Word:
    """A word from its characters; size and font of its middle character (runs never mix scripts)."""
    mid = run[len(run) // 2]
    caps = None if superscript else small_caps_word(run)
    return Word(
        text=_word_text(caps[0] if caps else "".join([c.text for c in run])),
        x0=run[0].x0,
        x1=max(run[0].x1, run[-1].x1),
        top=min([c.top for c in run]),
        bottom=max([c.bottom for c in run]),
        size=caps[1] if caps else mid.size,
        font=mid.font,
        superscript=superscript,
        n_chars=len(run),
        small_caps=caps is not None,
        colour=mid.colour,
        chars=tuple(run),
    )


def _words(chars: list[Char], make: Callable[[list[Char], bool], Word] = _word) -> list[Word]:
    """Split a baseline cluster into words at spaces, gaps and superscript boundaries (each made by ``make``)."""
    chars = sorted(chars, key=attrgetter("x0"))
    dom = _dominant_size(chars)
    base = statistics.median([c.bottom for c in chars if c.size == dom] or [chars[0].bottom])
    sup_size, sup_bottom = _SUPERSCRIPT_SIZE_RATIO * dom, base - 0.18 * dom
    words: list[Word] = []
    run: list[Char] = []
    run_sup = False
    for c in chars:
        if not c.text or c.text.isspace():
            if run:
                words.append(make(run, run_sup))
                run = []
            continue
        sup = c.size <= sup_size and c.bottom < sup_bottom
        if run:
            last = run[-1]
            if sup != run_sup or c.x0 - last.x1 > _WORD_GAP_EM * (c.size if c.size > last.size else last.size):
                words.append(make(run, run_sup))
                run = []
        if not run:
            run_sup = sup
        run.append(c)
    if run:
        words.append(make(run, run_sup))
    return words


def _numerator(words: list[Word], i: int) -> bool:
    """Whether word ``i`` is the numerator of a fraction ("1⁄4"): a fraction slash follows it directly."""
    nxt = words[i + 1] if i + 1 < len(words) else None
    return nxt is not None and nxt.text[:1] in _FRACTION_SLASHES and nxt.x0 - words[i].x1 < _WORD_GAP_EM * words[i].size


def _is_call(word: Word) -> bool:
    return all(ch in _CALL_CHARS for ch in word.text) and any(ch.isdigit() or ch in "*†‡§" for ch in word.text)


def make_line(page: int, words: list[Word], column: int = 0, band: int = -1) -> Line:
    """Assemble a line: text without superscript calls, calls with their offsets, typography."""
    normal = [w for w in words if not w.superscript] or words
    small_caps = small_caps_line(words)
    fonts: Counter[str] = Counter()
    colours: Counter[str] = Counter()
    size: Counter[float] = Counter()
    for w in normal:
        fonts[w.font] += w.n_chars
        colours[w.colour] += w.n_chars
        size[w.size] += w.n_chars
    font = fonts.most_common(1)[0][0]
    n_normal = sum(w.n_chars for w in normal) or 1
    parts: list[str] = []
    calls: list[tuple[int, str]] = []
    lead: str | None = None
    length = 0
    glue = False
    for i, w in enumerate(words):
        text = _clean_word(w.text)
        touching_prev = i > 0 and w.x0 - words[i - 1].x1 < _WORD_GAP_EM * w.size
        if w.superscript and _is_call(w) and not _numerator(words, i):
            if touching_prev and parts and _TEN.search(parts[-1]):  # "10" raised "6": a power of ten, not a call
                text = text.translate(_SUPERSCRIPT_DIGITS)
            elif length == 0 and lead is None and w is words[0]:
                lead = text.strip(",")
                continue
            else:
                for num in text.replace(",", " ").split():
                    calls.append((length, num))
                continue
        numerator = _numerator(words, i)
        if parts and (glue or (w.superscript and not numerator)):  # "1st", "m²", "1⁄4": attached to the word before
            parts[-1] += text
            length += len(text)
            glue = False
            continue
        if parts:
            length += 1
        parts.append(text)
        length += len(text)
        glue = numerator
    return Line(
        page=page,
        words=words,
        x0=min(w.x0 for w in words),
        x1=max(w.x1 for w in words),
        top=min(w.top for w in normal),
        bottom=max(w.bottom for w in normal),
        size=size.most_common(1)[0][0],
        font=font,
        bold=sum(w.n_chars for w in normal if is_bold(w.font)) >= 0.7 * n_normal,
        italic=sum(w.n_chars for w in normal if is_italic(w.font)) >= 0.7 * n_normal,
        text=" ".join(parts),
        calls=calls,
        lead_marker=lead,
        column=column,
        band=band,
        n_chars=sum(w.n_chars for w in words),
        small_caps=small_caps,
        colour=colours.most_common(1)[0][0],
    )


def _rotated_lines(page: int, chars: list[Char]) -> list[Line]:
    """Vertical text (margin codes, axis titles) as one line per x position, marked for later roles."""
    groups: dict[int, list[Char]] = {}
    for c in chars:
        groups.setdefault(round(c.x0 / 3), []).append(c)
    lines = []
    for cs in groups.values():
        cs.sort(key=lambda c: c.top)
        word = Word(
            text="".join(c.text for c in cs),
            x0=min(c.x0 for c in cs),
            x1=max(c.x1 for c in cs),
            top=cs[0].top,
            bottom=cs[-1].bottom,
            size=_dominant_size(cs),
            font=cs[0].font,
            n_chars=len(cs),
            chars=tuple(cs),
        )
        line = make_line(page, [word])
        line.role = "rotated"
        lines.append(line)
    return lines


def _page_rows(raw: RawPage) -> list[tuple[list[Char], list[Word]]]:
    """Baseline clusters over the whole page (columns not yet told apart), with their words."""
    return [(cs, ws) for cs in _cluster_by_baseline([c for c in raw.chars if c.upright]) if (ws := _words(cs))]


def _chart_labels(raw: RawPage, rows: list[tuple[list[Char], list[Word]]]) -> Callable[[Word], bool]:
    """Whether a word labels a chart narrower than the text: smaller than the page's text, beside its graphics.

    Legends and axis labels often stick out of their column into the gutter; they must not
    end the column region the chart sits in.
    """
    words = [w for _, ws in rows for w in ws]
    if not words or not raw.graphics:
        return lambda w: False
    extent = min(max(w.x1 for w in words), raw.width) - max(min(w.x0 for w in words), 0.0)
    charts = [g for g in graphic_regions(raw.graphics, [], raw.width, raw.height) if g[2] - g[0] < 0.6 * extent]
    size = _dominant_size([c for cs, _ in rows for c in cs])

    def near_chart(w: Word) -> bool:
        reach = 2 * w.size
        return w.size < size and any(
            g[0] - reach <= w.x0 and w.x1 <= g[2] + reach and g[1] - reach <= w.top and w.bottom <= g[3] + reach
            for g in charts
        )

    return near_chart


def _overprinted(rows: list[tuple[list[Char], list[Word]]]) -> set[int]:
    """Rows of a layer printed over bigger text (a notes area laid over a column's last lines).

    A line whose glyphs overlap those of a line of bigger text (marks and drop capitals do not
    count) starts the layer; the rows of its size that continue it at its own line spacing
    (between the lines beneath) join it.
    The layer neither crosses nor supports the columns beneath it, and is read whole.
    """
    sizes = [_row_median(ws) for _, ws in rows]
    spans = [(min(w.top for w in ws), max(w.bottom for w in ws)) for _, ws in rows]
    lines = [sum(w.n_chars for w in ws) > 2 * _MARK_CHARS for _, ws in rows]  # not a mark or a drop capital
    seeds = [
        i
        for i, (_, ws) in enumerate(rows)
        if lines[i]
        and any(
            sizes[j] > sizes[i] and lines[j] and any(_inked_over(w, o) for w in ws for o in rows[j][1])
            for j in range(max(0, i - 3), min(len(rows), i + 4))
            if spans[i][0] < spans[j][1] and spans[j][0] < spans[i][1]
        )
    ]
    out: set[int] = set()
    for seed in seeds:
        same = [i for i in range(len(rows)) if abs(sizes[i] - sizes[seed]) <= 0.05 * sizes[seed]]
        k = same.index(seed)
        for step in (-1, 1):
            j = k
            out.add(seed)
            while 0 <= j + step < len(same):
                a, b = sorted((same[j], same[j + step]))
                if spans[b][0] - spans[a][1] > sizes[seed]:
                    break
                out.add(same[j + step])
                j += step
    return out


def _row_median(ws: list[Word]) -> float:
    return statistics.median(w.size for w in ws if not w.superscript) if any(not w.superscript for w in ws) else 0.0


def _inked_over(a: Word, b: Word) -> bool:
    """Whether two words of different rows share ink: their boxes overlap by half the smaller box each way."""
    if a.superscript or b.superscript:
        return False
    dx = min(a.x1, b.x1) - max(a.x0, b.x0)
    dy = min(a.bottom, b.bottom) - max(a.top, b.top)
    return dx > 0.5 * min(a.x1 - a.x0, b.x1 - b.x0) and dy > 0.5 * min(a.bottom - a.top, b.bottom - b.top)


@dataclass
class PageRows:
    """What ``document_lines`` learns from one page alone: baseline rows with their words, the rows of
    an overprinted layer, and the possible column gutters. Made page by page (``page_rows``) as
    pages arrive from the readers; the gutters are then chosen document-wide."""

    rows: list[tuple[list[Char], list[Word]]]
    layers: set[int]
    candidates: list[ColumnRun]


def page_rows(raw: RawPage) -> PageRows:
    """The first pass of ``document_lines`` over one page."""
    rows = _page_rows(raw)
    layers = _overprinted(rows)
    candidates = candidate_runs([[] if i in layers else ws for i, (_, ws) in enumerate(rows)], _chart_labels(raw, rows))
    return PageRows(rows, layers, candidates)


def document_lines(raw_pages: Sequence[RawPage], first_pass: Sequence[PageRows] | None = None) -> list[list[Line]]:
    """All lines of every page, top to bottom, each with its column region and column.

    Gutters are found per page; a gutter that only one side's prose supports (a table
    in the other column) is trusted where the document has sure gutters at that x on
    other pages. Inside a column region the characters of each column are clustered into
    lines again on their own, so neighbouring columns never share a baseline (nor its
    superscript level). ``first_pass`` is ``page_rows`` of every page when already made.
    """
    passes = first_pass if first_pass is not None else [page_rows(raw) for raw in raw_pages]
    known = known_positions([p.candidates for p in passes])
    return [
        _page_lines(raw, p.rows, choose_runs([ws for _, ws in p.rows], p.candidates, known), p.layers)
        for raw, p in zip(raw_pages, passes, strict=True)
    ]


class _SpareWords:
    """The words of page rows cut at a gutter, handed on when a column's lines are rebuilt from the same glyphs.

    A word depends only on its glyphs, in order, and on being raised (``_word``), and a column line
    re-clustered from a cut row mostly holds the row's words again. The words of a cut row are in
    no line and unchanged, so each is handed on once instead of being built a second time.
    """

    def __init__(self) -> None:
        self._by_glyphs: dict[tuple[tuple[int, ...], bool], Word] = {}

    def add(self, words: list[Word]) -> None:
        for w in words:
            self._by_glyphs[(tuple(map(id, w.chars)), w.superscript)] = w

    def word(self, run: list[Char], superscript: bool) -> Word:
        """The spare word of exactly these glyphs, else a new one."""
        found = self._by_glyphs.pop((tuple(map(id, run)), superscript), None)
        return found if found is not None else _word(run, superscript)


def _page_lines(
    raw: RawPage, rows: list[tuple[list[Char], list[Word]]], runs: list[ColumnRun], whole: set[int]
) -> list[Line]:
    """The page's lines; rows in ``whole`` (an overprinted layer) are never cut at a gutter."""
    active = row_gutters(runs, len(rows))
    lines: list[Line] = []
    per_column: dict[tuple[int, int], list[Char]] = defaultdict(list)
    spare = _SpareWords()
    for i, ((cs, ws), gutters, band) in enumerate(zip(rows, active, bands(active), strict=True)):
        if not gutters or i in whole or any(w.x0 < g < w.x1 for w in ws for g in gutters):  # words are never cut
            lines.append(make_line(raw.page, ws))
            continue
        spare.add(ws)
        for c in cs:
            per_column[(band, bisect.bisect(gutters, (c.x0 + c.x1) / 2))].append(c)
    for (band, column), cs in per_column.items():
        for cluster in _cluster_by_baseline(cs):
            if ws := _words(cluster, spare.word):
                lines.append(make_line(raw.page, ws, column, band))
    lines.sort(key=lambda ln: (ln.top, ln.x0))
    rotated = [c for c in raw.chars if not c.upright and not c.text.isspace()]
    return lines + _rotated_lines(raw.page, rotated)
