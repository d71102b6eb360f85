"""Tables without a full grid: horizontal rules only (three-rule / booktabs), shaded rows, whitespace.

A run of horizontal rules of one width (a rule line, or the top and bottom sides of shaded
row bands) frames a table when what lies between them is not prose. Rows are the strips
between rules; a strip holding most of the table's lines (the body of a three-rule table)
is split by line spacing and by whether the first column starts a new entry. Rows printed
past the outer rule (an unshaded last row, a table cut open by a page break) are taken
while they keep the table's gutters open. Columns are the sides of shaded cells and the
whitespace gutters that no phrase of a multi-cell line crosses; partial rules under a
header give its spans. Without any graphics, a labelled caption followed by aligned short
cells is the evidence. Every line inside a table belongs to it, so none of its text is lost.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
import statistics
from dataclasses import dataclass

from pipeline.lines import make_line
from pipeline.model import Edge, Line, Word
from pipeline.tables import CAPTION, Cell, TableRegion, find_page_tables, join_text, mark_headers

Box = tuple[float, float, float, float]

_PHRASE_GAP_EM = 0.5  # words closer than this are one phrase; cell gutters are wider
_GUTTER_EM = 0.5
_ROW_GAP_RATIO = 1.2  # line spacing with two levels this far apart: the wider one separates rows
_BIG_STRIP_SHARE = 0.4
_MARGIN_BAND = 0.12  # share of the page height at top and bottom where running header/footer rules sit
# "Table 3:" / "Table 3." / "Table 3 -": a caption, where "Table 3 shows" opens a sentence
_LABELLED = re.compile(r"^(table|tab\.)\s*[0-9]+[a-z]?\s*[:.\-–—]", re.IGNORECASE)


@dataclass
class _Rule:
    y: float
    x0: float
    x1: float


@dataclass
class _Phrase:
    x0: float
    x1: float
    words: list[Word]
    line: Line


def _phrases(line: Line, x0: float, x1: float, size: float) -> list[_Phrase]:
    """Runs of words on one line separated by less than a cell gutter, within [x0, x1]."""
    out: list[_Phrase] = []
    for w in sorted(line.words, key=lambda w: w.x0):
        if not x0 - 1 <= (w.x0 + w.x1) / 2 <= x1 + 1:
            continue
        if out and w.x0 - out[-1].x1 < _PHRASE_GAP_EM * size:
            out[-1].words.append(w)
            out[-1].x1 = max(out[-1].x1, w.x1)
        else:
            out.append(_Phrase(w.x0, w.x1, [w], line))
    return out


def _row_phrases(group: list[Line], x0: float, x1: float, size: float) -> list[_Phrase]:
    """Phrases of one printed line that the line finder may have cut into several ``Line`` objects."""
    return sorted((p for ln in group for p in _phrases(ln, x0, x1, size)), key=lambda p: p.x0)


def _rules(edges: list[Edge], size: float) -> list[_Rule]:
    """Horizontal edges merged per height into continuous segments at least two ems long."""
    out: list[_Rule] = []
    hs = sorted((e for e in edges if e.orientation == "h"), key=lambda e: (e.top + e.bottom) / 2)
    clusters: list[list[Edge]] = []
    for e in hs:
        y = (e.top + e.bottom) / 2
        if clusters and y - (clusters[-1][-1].top + clusters[-1][-1].bottom) / 2 <= 1.0:
            clusters[-1].append(e)
        else:
            clusters.append([e])
    for cluster in clusters:
        y = statistics.median((e.top + e.bottom) / 2 for e in cluster)
        segs: list[list[float]] = []
        for e in sorted(cluster, key=lambda e: e.x0):
            if segs and e.x0 <= segs[-1][1] + 2:
                segs[-1][1] = max(segs[-1][1], e.x1)
            else:
                segs.append([e.x0, e.x1])
        out.extend(_Rule(y, a, b) for a, b in segs if b - a >= 2 * size)
    return out


def _is_prose(line: Line, width: float, size: float) -> bool:
    """A wide line of many words without a cell gutter in it reads as running text."""
    return (
        line.x1 - line.x0 >= 0.85 * width and len(line.words) >= 6 and len(_phrases(line, line.x0, line.x1, size)) == 1
    )


def _column_prose(lines: list[Line], size: float) -> bool:
    """Running text in page columns: several full lines of many words, each as wide as its column's widest line."""
    widest: dict[int, float] = {}
    for ln in lines:
        widest[ln.column] = max(widest.get(ln.column, 0.0), ln.x1 - ln.x0)
    full = [
        ln
        for ln in lines
        if len(ln.words) >= 6
        and ln.x1 - ln.x0 >= 0.85 * widest[ln.column]
        and len(_phrases(ln, ln.x0, ln.x1, size)) == 1
    ]
    return len(full) >= 3


def _frames(rules: list[_Rule], lines: list[Line], size: float) -> list[list[_Rule]]:
    """Runs of rules of one width with no prose or caption between consecutive ones.

    A lone rule still frames a table that runs past it (opened or closed by a page break).
    """
    groups: list[list[_Rule]] = []
    for r in sorted(rules, key=lambda r: r.y):
        for g in reversed(groups):
            last = g[-1]
            if abs(last.x0 - r.x0) > size or abs(last.x1 - r.x1) > size:
                continue
            between = [
                ln
                for ln in lines
                if last.y < (ln.top + ln.bottom) / 2 < r.y and last.x0 - 2 <= (ln.x0 + ln.x1) / 2 <= last.x1 + 2
            ]
            if any(CAPTION.match(ln.text) or _is_prose(ln, last.x1 - last.x0, size) for ln in between):
                continue
            if _column_prose(between, size):
                continue
            g.append(r)
            break
        else:
            groups.append([r])
    return groups


def _cuts(rows: list[list[Line]], v_edges: list[Edge], box: Box, size: float) -> list[float]:
    """Column boundaries: sides of shaded cells and gutters no phrase of a multi-cell line crosses."""
    x0, top, x1, bottom = box
    cuts = sorted(
        (e.x0 + e.x1) / 2
        for e in v_edges
        if x0 + size < (e.x0 + e.x1) / 2 < x1 - size and e.top < bottom - 1 and e.bottom > top + 1
    )
    merged: list[float] = []
    for c in cuts:
        if not merged or c - merged[-1] > 1.5:
            merged.append(c)
    gutters = _gutters(rows, x0, x1, size)
    for a, b in gutters:
        if not any(a - 1 <= c <= b + 1 for c in merged):
            merged.append((a + b) / 2)
    return sorted(merged)


def _groups(lines: list[Line]) -> list[list[Line]]:
    """Lines sharing a baseline band (one printed line across all columns)."""
    out: list[list[Line]] = []
    for ln in sorted(lines, key=lambda ln: (ln.top, ln.x0)):
        if out and (ln.top + ln.bottom) / 2 < max(x.bottom for x in out[-1]) - 0.3 * ln.size:
            out[-1].append(ln)
        else:
            out.append([ln])
    return out


def _split_strip(groups: list[list[Line]], first_col_x: float) -> list[list[Line]]:
    """Rows of a strip without rules between them.

    Where line spacing has two clear levels, the wider one separates rows; where it is even,
    a line with an entry in the first column starts a row and other lines continue it.
    """
    tops = [min(ln.top for ln in g) for g in groups]
    gaps = [b - a for a, b in itertools.pairwise(tops)]
    levels = sorted(set(round(g, 1) for g in gaps))
    threshold = None
    ratios = [(b / a, (a * b) ** 0.5) for a, b in itertools.pairwise(levels) if a > 0]
    if ratios and max(ratios)[0] >= _ROW_GAP_RATIO:
        threshold = max(ratios)[1]
    rows: list[list[Line]] = []
    for i, g in enumerate(groups):
        starts_first_col = any(w.x0 < first_col_x for ln in g for w in ln.words)
        new = not rows or (gaps[i - 1] > threshold if threshold else starts_first_col)
        if new:
            rows.append(list(g))
        else:
            rows[-1].extend(g)
    return rows


def _gutters(strips: list[list[Line]], x0: float, x1: float, size: float) -> list[list[float]]:
    """Whitespace intervals no phrase of a multi-cell line covers, at least a gutter wide."""
    spans = sorted(
        (p.x0, p.x1)
        for strip in strips
        for group in _groups(strip)
        if len(ph := _row_phrases(group, x0, x1, size)) >= 2
        for p in ph
    )
    out: list[list[float]] = []
    if not spans:
        return out
    reach = spans[0][1]
    for a, b in spans[1:]:
        if a - reach >= _GUTTER_EM * size:
            out.append([reach, a])
        reach = max(reach, b)
    return out


def _fits(phrases: list[_Phrase], gutters: list[list[float]], size: float) -> bool:
    """Narrow the gutters by a line's phrases; False if a phrase closes one (it crosses a column boundary)."""
    for p in phrases:
        for g in gutters:
            if p.x1 <= g[0] or p.x0 >= g[1] or (p.x0 > g[0] and p.x1 < g[1]):
                continue
            if p.x0 <= g[0] and p.x1 >= g[1]:
                return False
            if p.x0 <= g[0]:
                g[0] = p.x1
            else:
                g[1] = p.x0
            if g[1] - g[0] < _GUTTER_EM * size / 2:
                return False
    return True


def _extension(
    rule: _Rule, lines: list[Line], taken: set[int], gutters: list[list[float]], size: float | None, down: bool
) -> list[Line]:
    """Rows printed beyond the outer rule: an unshaded last row, or a table cut open by a page break.

    The nearest line must follow the rule closely and hold two cells; the rest follow at row
    spacing, in the table's type size, and close no column gutter.
    """
    out: list[Line] = []
    edge = rule.y
    beyond = [
        ln
        for ln in lines
        if id(ln) not in taken
        and ln.x1 > rule.x0
        and ln.x0 < rule.x1
        and (ln.top > rule.y - 1 if down else ln.bottom < rule.y + 1)
    ]
    for group in _groups(beyond)[:: 1 if down else -1]:
        size = size or statistics.median(ln.size for ln in group)
        top, bottom = min(ln.top for ln in group), max(ln.bottom for ln in group)
        gap = top - edge if down else edge - bottom
        if any(ln.x0 < rule.x0 - 2 or ln.x1 > rule.x1 + 2 for ln in group):
            if gap < size:
                return []  # text across the rule's ends at the same height: not a table's row
            break
        if any(CAPTION.match(ln.text) or abs(ln.size - size) > 0.5 for ln in group):
            break
        phrases = _row_phrases(group, rule.x0, rule.x1, size)
        if gap > (1.5 if out else 0.7) * size or (not out and len(phrases) < 2):
            break
        if not _fits(phrases, gutters, size):
            break
        out.extend(group)
        edge = bottom if down else top
    return out


def find_open_tables(page: int, edges: list[Edge], lines: list[Line]) -> list[TableRegion]:
    """Tables framed by horizontal rules or shaded bands on one page (no full grid needed)."""
    if not lines:
        return []
    size = statistics.median(ln.size for ln in lines)
    rules = _rules(edges, size)
    v_edges = [e for e in edges if e.orientation == "v"]
    out: list[TableRegion] = []
    taken: set[int] = set()
    for frame in _frames(rules, lines, size):
        x0, x1 = frame[0].x0, frame[0].x1
        top, bottom = frame[0].y, frame[-1].y
        inside = [
            ln
            for ln in lines
            if x0 - 2 <= (ln.x0 + ln.x1) / 2 <= x1 + 2
            and top < (ln.top + ln.bottom) / 2 < bottom
            and id(ln) not in taken
        ]
        t_size = statistics.median(ln.size for ln in inside) if inside else None
        strips, bounds = _strips(frame, rules, inside)
        n_head = n_header_strips(frame, strips)
        gutters = _gutters(strips[n_head:] or strips, x0, x1, t_size or size)
        used = taken | {id(ln) for ln in inside}
        below = _extension(frame[-1], lines, used, gutters, t_size, down=True)
        above = _extension(frame[0], lines, used | {id(ln) for ln in below}, gutters, t_size, down=False)
        if len(frame) == 1:
            # a lone rule is a table's edge only where a page break explains the missing one:
            # under a caption (the table runs off the page) or closing rows that open the page
            below = below if _captioned(frame[0], lines, size) else []
            above = above if above and _opens_page(above, lines, frame[0]) else []
        if below and len(frame) >= 2 and not n_head:
            n_head = len(strips)  # rules around the header only: the rows run on below them
        if below:
            strips.append(below)
            bottom = max(ln.bottom for ln in below)
        if above:
            strips.insert(0, above)
            top = min(ln.top for ln in above)
            n_head = 0  # rows above the first rule: that rule is no header rule
        if not strips:
            continue
        t_size = statistics.median(ln.size for s in strips for ln in s)
        table = _build(page, strips, (x0, top, x1, bottom), v_edges, t_size, n_head)
        if table is not None and n_head:
            _header_spans(table.cells, bounds[:n_head], [r for r in rules if x0 - 2 <= r.x0 and r.x1 <= x1 + 2], table)
        if table is not None:
            out.append(table)
            taken |= {id(ln) for ln in table.lines}
    return out


def _captioned(rule: _Rule, lines: list[Line], size: float) -> bool:
    """A table caption ends just above the rule, over its span."""
    return any(
        CAPTION.match(ln.text) and 0 <= rule.y - ln.bottom <= 2 * size and ln.x0 < rule.x1 and ln.x1 > rule.x0
        for ln in lines
    )


def _opens_page(rows: list[Line], lines: list[Line], rule: _Rule) -> bool:
    """No text above the rows over the rule's span: they continue a table from the previous page."""
    top = min(ln.top for ln in rows)
    return not any(ln.bottom <= top and ln.x0 < rule.x1 and ln.x1 > rule.x0 for ln in lines)


def furniture_rules(
    pages_edges: list[list[Edge]], sizes: list[float], heights: list[float]
) -> list[set[tuple[int, int, int]]]:
    """Per page, the rules in the top or bottom margin band printed in the same place on most pages.

    Running header and footer rules belong to the page furniture: they frame no table, even
    when a table stands next to them.
    """
    keys = [
        {
            (round(r.y), round(r.x0), round(r.x1))
            for r in _rules(edges, size)
            if r.y < _MARGIN_BAND * height or r.y > (1 - _MARGIN_BAND) * height
        }
        for edges, size, height in zip(pages_edges, sizes, heights, strict=True)
    ]
    counts: dict[tuple[int, int, int], int] = {}
    for page_keys in keys:
        for k in page_keys:
            counts[k] = counts.get(k, 0) + 1
    common = {k for k, n in counts.items() if len(keys) >= 3 and n >= 0.5 * len(keys)}
    return [page_keys & common for page_keys in keys]


def without_rules(edges: list[Edge], rules: set[tuple[int, int, int]]) -> list[Edge]:
    """The page's edges less the horizontal ones lying on the given rules."""
    return [
        e
        for e in edges
        if not (
            e.orientation == "h"
            and any(abs((e.top + e.bottom) / 2 - y) <= 1.5 and x0 - 2 <= e.x0 and e.x1 <= x1 + 2 for y, x0, x1 in rules)
        )
    ]


def split_at_frames(page: int, lines: list[Line], edges: list[Edge]) -> list[Line]:
    """Cut lines that run from a ruled or shaded table into the text beside it.

    Where the line finder saw no column gutter, a table row and the neighbouring column's
    line share a baseline; a word gap over the side of the table's rules separates them.
    """
    body = [ln for ln in lines if ln.role == "body"]
    if not body:
        return lines
    size = statistics.median(ln.size for ln in body)
    frames = [f for f in _frames(_rules(edges, size), body, size) if len(f) >= 2]
    out: list[Line] = []
    for ln in lines:
        cut = None
        for f in frames if ln.role == "body" else []:
            if not f[0].y - size < (ln.top + ln.bottom) / 2 < f[-1].y + 4 * size:
                continue
            for x in (f[0].x0, f[0].x1):
                left = [w for w in ln.words if (w.x0 + w.x1) / 2 < x]
                right = [w for w in ln.words if (w.x0 + w.x1) / 2 >= x]
                if left and right and right[0].x0 - left[-1].x1 >= _PHRASE_GAP_EM * size:
                    cut = (left, right)
        if cut is None:
            out.append(ln)
            continue
        for i, part in enumerate(cut):
            if all(w.superscript for w in part):  # raised only against the other column's baseline
                part = [dataclasses.replace(w, superscript=False) for w in part]
            piece = make_line(page, part)
            # beside a table where no gutter was found, the pieces are two columns; inside a column
            # region the line already lies in one column, and its pieces stay there
            piece.column, piece.band = (ln.column, ln.band) if ln.band >= 0 else (ln.column + i, ln.band)
            out.append(piece)
    return out


def _strips(
    frame: list[_Rule], rules: list[_Rule], inside: list[Line]
) -> tuple[list[list[Line]], list[tuple[float, float]]]:
    """Lines between consecutive rules (frame rules and partial rules within the frame's span), with their bounds."""
    x0, x1 = frame[0].x0, frame[0].x1
    ys = sorted({r.y for r in rules if frame[0].y <= r.y <= frame[-1].y and r.x0 >= x0 - 2 and r.x1 <= x1 + 2})
    strips: list[list[Line]] = []
    bounds: list[tuple[float, float]] = []
    for a, b in itertools.pairwise(ys):
        strip = [ln for ln in inside if a < (ln.top + ln.bottom) / 2 < b]
        if strip:
            strips.append(strip)
            bounds.append((a, b))
    return strips, bounds


def n_header_strips(frame: list[_Rule], strips: list[list[Line]]) -> int:
    """Strips above the first full-width rule that has text above it: the header."""
    first_text = min((ln.top for s in strips for ln in s), default=frame[0].y)
    header_rule = next((r.y for r in frame if r.y > first_text), None)
    if header_rule is None or header_rule == frame[-1].y:
        return 0
    return sum(1 for s in strips if max(ln.bottom for ln in s) <= header_rule + 1)


def _build(
    page: int, strips: list[list[Line]], box: Box, v_edges: list[Edge], size: float, header_strips: int
) -> TableRegion | None:
    x0, top, x1, bottom = box
    all_lines = [ln for s in strips for ln in s]
    n_groups = len(_groups(all_lines))
    cuts = _cuts(strips[header_strips:] or strips, v_edges, box, size)
    gaps = _gutters(strips[header_strips:] or strips, x0, x1, size)
    if not cuts:
        return None
    first_col_x = cuts[0]
    xs = [x0, *cuts, x1]
    rows: list[list[Line]] = []
    header_rows = 0
    for i, s in enumerate(strips):
        groups = _groups(s)
        if len(groups) >= 3 and len(groups) >= _BIG_STRIP_SHARE * n_groups and i >= header_strips:
            rows.extend(_split_strip(groups, first_col_x))
        elif len(groups) == 2 and i >= header_strips and all(_whole_row(g, xs) for g in groups):
            rows.extend(list(g) for g in groups)  # two lines too few for spacing levels, each a row of its own
        else:
            rows.append(s)
        if i < header_strips:
            header_rows = len(rows)
    cells: list[Cell] = []
    for r, row in enumerate(rows):
        parts: dict[int, list[tuple[float, float, Word]]] = {}
        spans: dict[int, int] = {}
        for ln in row:
            for p in _phrases(ln, x0, x1, size):
                # text starting in a gutter is a left-aligned cell of the column after it
                start = next((b for a, b in gaps if a <= p.x0 < b and b < p.x1), p.x0)
                c0 = _column(xs, start + 1)
                # text spills into the next columns' gutters; it spans a column only past that column's middle
                c1 = max([c0] + [c for c in range(c0 + 1, len(xs) - 1) if p.x1 > (xs[c] + xs[c + 1]) / 2])
                parts.setdefault(c0, []).extend((ln.top, w.x0, w) for w in p.words if not w.superscript)
                spans[c0] = max(spans.get(c0, 1), c1 - c0 + 1)
        for c in sorted(parts):
            words = [w for _, _, w in sorted(parts[c], key=lambda part: part[:2])]
            text = ""
            for w in words:
                text = join_text(text, w.text)
            cells.append(Cell(r, c, text, r < header_rows, 1, spans[c], page, words))
    n_cols = len(xs) - 1
    body = [r for r in range(header_rows, len(rows)) if len({c.col for c in cells if c.row == r and c.text}) >= 2]
    if len(body) < (1 if header_rows else 2) or len({c.col for c in cells}) < 2:
        return None
    if len(cells) < 0.4 * len(rows) * n_cols:
        return None
    if not header_rows and n_cols == 2 and _long_text(cells, 1):
        return None  # markers and running text (notes, a numbered list in a box): not a table
    if not header_rows:
        for c in cells:
            c.is_header = bool(c.text) and all(
                ln.bold or "bold" in w.font.lower()
                for ln in rows[c.row]
                for w in ln.words
                if x0 - 1 <= (w.x0 + w.x1) / 2 <= x1 + 1
            )
        mark_headers(cells)
    table = TableRegion(page, page, (x0, top, x1, bottom), cells, len(rows), n_cols, lines=all_lines)
    table.col_edges = xs
    return table


def _header_spans(cells: list[Cell], bounds: list[tuple[float, float]], rules: list[_Rule], table: TableRegion) -> None:
    """Spans in a header ruled row by row.

    A partial rule under a header cell spans the columns it covers; a column that the rule
    between two header rows does not cross holds one cell over both rows.
    """
    xs = table.col_edges

    def covered(y: float) -> list[tuple[int, int]]:
        out = []
        for r in rules:
            if abs(r.y - y) <= 1:
                cols = [c for c in range(len(xs) - 1) if r.x0 <= (xs[c] + xs[c + 1]) / 2 <= r.x1]
                if cols:
                    out.append((cols[0], cols[-1]))
        return out

    head = [c for c in cells if c.row < len(bounds)]
    for cell in head:
        for a, b in covered(bounds[cell.row][1]):
            partial = (a, b) != (0, len(xs) - 2)
            alone = not any(o is not cell and o.row == cell.row and a <= o.col <= b for o in head)
            if partial and alone and a <= cell.col <= b:
                cell.col, cell.col_span = a, b - a + 1
    for cell in sorted(head, key=lambda c: c.row):
        while cell.row > 0 and not any(a <= cell.col <= b for a, b in covered(bounds[cell.row][0])):
            if any(o.row == cell.row - 1 and o.col <= cell.col < o.col + o.col_span for o in head):
                break
            cell.row -= 1
            cell.row_span += 1


def _long_text(cells: list[Cell], col: int) -> bool:
    """The column holds sentences rather than cell values (several words or a long reference)."""
    texts = [c.text for c in cells if c.col == col and c.text]
    return bool(texts) and (
        statistics.median(len(t.split()) for t in texts) > 6 or statistics.median(len(t) for t in texts) > 30
    )


def _whole_row(group: list[Line], xs: list[float]) -> bool:
    """A printed line with an entry in the first column and in every other column: a row, not a wrapped cell."""
    filled = {_column(xs, w.x0 + 1) for ln in group for w in ln.words if not w.superscript}
    return len(xs) > 2 and filled == set(range(len(xs) - 1))


def _column(xs: list[float], x: float) -> int:
    for i in range(len(xs) - 1):
        if x < xs[i + 1]:
            return i
    return len(xs) - 2


def find_tables(page: int, edges: list[Edge], lines: list[Line]) -> list[TableRegion]:
    """Ruled grids and open tables of one page; an open table replaces grid fragments inside it.

    Shaded rows drawn as separate cell boxes make a one-row grid per band, and a shaded band
    without cell sides makes one cell of a whole row: a grid wins only where it holds the
    open table's lines in at least as many cells.
    """
    grids = find_page_tables(page, edges, lines)
    out = list(grids)
    for t in find_open_tables(page, edges, lines):
        ids = {id(ln) for ln in t.lines}
        within = [g for g in grids if ids & {id(ln) for ln in g.lines}]
        if any(len(ids & {id(ln) for ln in g.lines}) >= 0.9 * len(ids) and _filled(g) >= _filled(t) for g in within):
            continue
        out = [g for g in out if g not in within]
        out.append(t)
    taken = {id(ln) for t in out for ln in t.lines}
    out += find_whitespace_tables(page, [ln for ln in lines if not _in_any(ln, out)], taken)
    return sorted(out, key=lambda t: (t.bbox[1], t.bbox[0]))


def _in_any(line: Line, tables: list[TableRegion]) -> bool:
    cx, cy = (line.x0 + line.x1) / 2, (line.top + line.bottom) / 2
    return any(t.bbox[0] - 2 <= cx <= t.bbox[2] + 2 and t.bbox[1] - 2 <= cy <= t.bbox[3] + 2 for t in tables)


def find_whitespace_tables(page: int, lines: list[Line], taken: set[int]) -> list[TableRegion]:
    """Tables with neither rules nor shading: rows under a "Table N" caption aligned in whitespace columns.

    Without graphics the caption (labelled "Table N:" or set in bold) is the evidence that a table
    follows; the rows must keep at least one gutter open over three or more multi-cell lines and
    hold short cells, so prose under a caption (or two columns of it) is no table. A whitespace
    table cut by a page break is found on its captioned page only.
    """
    free = [ln for ln in lines if id(ln) not in taken]
    if not free:
        return []
    left, right = min(ln.x0 for ln in free), max(ln.x1 for ln in free)
    out: list[TableRegion] = []
    captions = [ln for ln in free if CAPTION.match(ln.text) and (ln.bold or _LABELLED.match(ln.text))]
    for caption in sorted(captions, key=lambda ln: ln.top):
        rows = _aligned_rows(caption, [ln for ln in free if id(ln) not in taken], left, right)
        if not rows:
            continue
        x0, x1 = min(ln.x0 for ln in rows), max(ln.x1 for ln in rows)
        box = (x0, min(ln.top for ln in rows), x1, max(ln.bottom for ln in rows))
        size = statistics.median(ln.size for ln in rows)
        groups = _groups(rows)
        n_bold = next((k for k, g in enumerate(groups) if not all(ln.bold for ln in g)), len(groups))
        strips = [[ln for g in groups[:n_bold] for ln in g], [ln for g in groups[n_bold:] for ln in g]]
        strips = [st for st in strips if st]
        table = _build(page, strips, box, [], size, 1 if n_bold and len(strips) == 2 else 0)
        multi = [r for r in range(table.n_rows) if sum(1 for c in table.cells if c.row == r) >= 2] if table else []
        words = [len(c.text.split()) for c in table.cells if c.text and not c.is_header] if table else []
        if table is not None and len(multi) >= 3 and table.n_cols >= 2 and statistics.median(words) <= 5:
            out.append(table)
            taken |= {id(ln) for ln in rows}
    return out


def _aligned_rows(caption: Line, lines: list[Line], left: float, right: float) -> list[Line]:
    """Lines below the caption (and its wrapped lines) that keep whitespace gutters open."""
    below = [ln for ln in lines if ln.top > caption.bottom - 1 and ln is not caption]
    groups = _groups(below)
    edge = caption.bottom
    i = 0
    # the caption's own wrapped lines: one phrase, right under it, in its type size
    while i < len(groups) and len(groups[i]) == 1 and abs(groups[i][0].size - caption.size) < 0.3:
        if groups[i][0].top - edge > caption.size or len(_phrases(groups[i][0], left, right, caption.size)) > 1:
            break
        edge = groups[i][0].bottom
        i += 1
    if i >= len(groups):
        return []
    # a header may open with a line of one phrase (a spanning or vertically centred cell)
    size = statistics.median(ln.size for ln in groups[i])
    if min(ln.top for ln in groups[i]) - edge > 2.5 * size:
        return []
    j = i
    while j < min(len(groups), i + 4) and len(_row_phrases(groups[j], left, right, size)) < 2:
        j += 1
    if j >= len(groups) or (j > i and min(ln.top for ln in groups[j]) - max(ln.bottom for ln in groups[j - 1]) > size):
        return []
    phrases = _row_phrases(groups[j], left, right, size)
    gutters = [[a.x1, b.x0] for a, b in itertools.pairwise(phrases) if b.x0 - a.x1 >= _GUTTER_EM * size]
    if not all(_fits(_row_phrases(g, left, right, size), gutters, size) for g in groups[i:j]):
        return []
    first = [ln for g in groups[i : j + 1] for ln in g]
    out = list(first)
    edge = max(ln.bottom for ln in first)
    for group in groups[j + 1 :]:
        top = min(ln.top for ln in group)
        if top - edge > 1.5 * size or any(abs(ln.size - size) > 0.5 or CAPTION.match(ln.text) for ln in group):
            break
        if not _fits(_row_phrases(group, left, right, size), gutters, size):
            break
        out.extend(group)
        edge = max(ln.bottom for ln in group)
    return out if gutters else []


def _filled(table: TableRegion) -> int:
    return sum(1 for c in table.cells if c.text)
