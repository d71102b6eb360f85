"""Ruled tables: grid from the page's ruling edges, words into cells, captions, continuations.

pdfplumber's edge-merging and cell-finding functions do the geometry; this module
decides what counts as a table (a grid that actually holds text, so chart gridlines
are not tables), fills cells from our own words and joins a table that runs onto
the next page.
"""

from __future__ import annotations

import bisect
import re
import statistics
from dataclasses import dataclass, field

from pdfplumber.table import cells_to_tables, edges_to_intersections, intersections_to_cells, merge_edges

from pipeline.model import Edge, Line, Word

CAPTION = re.compile(r"^(table|tab\.)\s*([0-9]+[a-z]?|[ivxlc]+)\s*[:.\-–—]?\s*", re.IGNORECASE)
_CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")


@dataclass
class Cell:
    row: int
    col: int
    text: str
    is_header: bool
    row_span: int = 1
    col_span: int = 1
    page: int = 0
    words: list[Word] = field(default_factory=list)  # the words of ``text``, in its order (for glyph runs)


@dataclass
class TableRegion:
    """One table, possibly spread over several pages."""

    page: int
    page_end: int
    bbox: tuple[float, float, float, float]
    cells: list[Cell]
    n_rows: int
    n_cols: int
    caption: str | None = None
    caption_lines: list[Line] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    table_id: str = ""
    block_id: str | None = None
    section_id: str | None = None
    tail: tuple[float, float, float, float] | None = None  # box of the last part when continued
    col_edges: list[float] = field(default_factory=list)  # x of the column boundaries, first page


def _edge_dicts(edges: list[Edge]) -> list[dict]:
    out = []
    for e in edges:
        out.append(
            {
                "x0": e.x0,
                "x1": e.x1,
                "top": e.top,
                "bottom": e.bottom,
                "width": e.x1 - e.x0,
                "height": e.bottom - e.top,
                "orientation": e.orientation,
                "object_type": "line",
            }
        )
    return out


def join_text(a: str, b: str) -> str:
    if not a:
        return b
    if _CJK.search(a[-1:]) and _CJK.search(b[:1]):
        return a + b
    return a + " " + b


def _fill(grid: list[tuple[float, float, float, float]], words: list[tuple[Word, Line]], page: int):
    xs = sorted({round(c[0], 1) for c in grid} | {round(c[2], 1) for c in grid})
    ys = sorted({round(c[1], 1) for c in grid} | {round(c[3], 1) for c in grid})

    def index(vals: list[float], v: float) -> int:
        return min(range(len(vals)), key=lambda i: abs(vals[i] - v))

    texts: dict[tuple[float, float, float, float], list[tuple[Word, Line]]] = {c: [] for c in grid}
    for w, ln in words:
        cx, cy = (w.x0 + w.x1) / 2, (w.top + w.bottom) / 2
        for c in grid:
            if c[0] <= cx <= c[2] and c[1] <= cy <= c[3]:
                texts[c].append((w, ln))
                break
    cells = []
    for c in grid:
        r0, r1 = index(ys, c[1]), index(ys, c[3])
        c0, c1 = index(xs, c[0]), index(xs, c[2])
        ws = sorted(texts[c], key=lambda wl: (round(wl[1].top), wl[0].x0))
        text = ""
        for w, _ in ws:
            if not w.superscript:
                text = join_text(text, w.text)
        bold = bool(ws) and sum(1 for w, ln in ws if ln.bold or "bold" in w.font.lower()) >= 0.6 * len(ws)
        words = [w for w, _ in ws if not w.superscript]
        cells.append(Cell(r0, c0, text, bold, max(1, r1 - r0), max(1, c1 - c0), page, words))
    return cells, len(ys) - 1, len(xs) - 1


def find_page_tables(page: int, edges: list[Edge], lines: list[Line]) -> list[TableRegion]:
    """Tables on one page whose grid holds text in at least two columns."""
    if len(edges) < 4:
        return []
    merged = merge_edges(_edge_dicts(edges), 3, 3, 3, 3)
    merged = [e for e in merged if (e["x1"] - e["x0"] if e["orientation"] == "h" else e["bottom"] - e["top"]) >= 3]
    cells = intersections_to_cells(edges_to_intersections(merged, 1, 1))
    out = []
    for grid in cells_to_tables(cells):
        x0 = min(c[0] for c in grid)
        top = min(c[1] for c in grid)
        x1 = max(c[2] for c in grid)
        bottom = max(c[3] for c in grid)
        inside = [
            ln
            for ln in lines
            if x0 - 1 <= (ln.x0 + ln.x1) / 2 <= x1 + 1 and top - 1 <= (ln.top + ln.bottom) / 2 <= bottom + 1
        ]
        words = [(w, ln) for ln in inside for w in ln.words]
        filled, n_rows, n_cols = _fill(grid, words, page)
        above, below = _open_rows(grid, inside, lines)
        if above or below:
            xs = sorted({round(c[0], 1) for c in grid} | {round(c[2], 1) for c in grid})
            top_cells = _rows_from_lines(above, xs, page, 0)
            shift = len({c.row for c in top_cells})
            for c in filled:
                c.row += shift
            filled = top_cells + filled + _rows_from_lines(below, xs, page, n_rows + shift)
            n_rows = max(c.row for c in filled) + 1
            inside = above + inside + below
            top = min([top, *(ln.top for ln in above)])
            bottom = max([bottom, *(ln.bottom for ln in below)])
        nonempty = [c for c in filled if c.text]
        if n_cols < 2 or len({c.col for c in nonempty}) < 2 or len(nonempty) < 0.4 * len(filled):
            continue
        mark_headers(filled)
        out.append(TableRegion(page, page, (x0, top, x1, bottom), filled, n_rows, n_cols, lines=inside))
    return out


def _open_rows(
    grid: list[tuple[float, float, float, float]], inside: list[Line], lines: list[Line]
) -> tuple[list[Line], list[Line]]:
    """Rows printed beyond the ruled grid: a table cut by a page break lacks its closing (or opening) rule.

    Lines just below (or above) the grid, within its width and in the table's type size,
    belong to the table; returns the lines taken above and below.
    """
    if not inside:
        return [], []
    x0, x1 = min(c[0] for c in grid), max(c[2] for c in grid)
    top, bottom = min(c[1] for c in grid), max(c[3] for c in grid)
    size = statistics.median(ln.size for ln in inside)

    def fits(ln: Line, gap: float) -> bool:
        return (
            gap <= 1.6 * size
            and abs(ln.size - size) <= 0.3
            and ln.x0 >= x0 - 2
            and ln.x1 <= x1 + 2
            and not CAPTION.match(ln.text)
        )

    below: list[Line] = []
    for ln in sorted((ln for ln in lines if ln.top > bottom - 1), key=lambda ln: ln.top):
        if not fits(ln, ln.top - (below[-1].bottom if below else bottom)):
            break
        below.append(ln)
    above: list[Line] = []
    for ln in sorted((ln for ln in lines if ln.bottom < top + 1), key=lambda ln: -ln.bottom):
        if not fits(ln, (above[-1].top if above else top) - ln.bottom):
            break
        above.append(ln)
    above.reverse()
    return above, below


def _rows_from_lines(lines: list[Line], xs: list[float], page: int, first_row: int) -> list[Cell]:
    rows: list[list[tuple[int, Word]]] = []
    for ln in lines:
        placed = [
            (max(0, min(len(xs) - 2, bisect.bisect_right(xs, (w.x0 + w.x1) / 2) - 1)), w)
            for w in ln.words
            if not w.superscript
        ]
        if not rows or any(col == 0 for col, _ in placed):
            rows.append([])
        rows[-1].extend(placed)
    cells = []
    for i, row in enumerate(rows):
        for col in sorted({c for c, _ in row}):
            words = [w for c, w in row if c == col]
            text = ""
            for w in words:
                text = join_text(text, w.text)
            cells.append(Cell(first_row + i, col, text, False, 1, 1, page, words))
    return cells


def mark_headers(cells: list[Cell]) -> None:
    """Leading rows set in bold are header rows; without bold, only a spanning first row is."""
    rows = sorted({c.row for c in cells})
    header_rows = set()
    for r in rows:
        row_cells = [c for c in cells if c.row == r and c.text]
        if row_cells and all(c.is_header for c in row_cells):
            header_rows.add(r)
        else:
            break
    for c in cells:
        c.is_header = c.row in header_rows


def attach_captions(tables: list[TableRegion], page_lines: list[Line]) -> None:
    """Captions for the tables of one page in reading order (columns left to right); each caption serves one table."""
    taken: set[int] = set()
    for t in sorted(tables, key=lambda t: (round(t.bbox[0] / 10), t.bbox[1])):
        attach_caption(t, [ln for ln in page_lines if id(ln) not in taken])
        taken |= {id(ln) for ln in t.caption_lines}


def attach_caption(table: TableRegion, page_lines: list[Line]) -> None:
    """Take the nearest "Table N" caption just above (or else just below) the table, with its wrapped lines."""
    x0, top, x1, bottom = table.bbox
    candidates = [
        ln for ln in page_lines if ln.role == "body" and CAPTION.match(ln.text) and ln.x0 < x1 - 1 and ln.x1 > x0 + 1
    ]
    above = [ln for ln in candidates if ln.bottom <= top + 2 and top - ln.bottom < 60]
    below = [ln for ln in candidates if ln.top >= bottom - 2 and ln.top - bottom < 40]
    pick = max(above, key=lambda ln: ln.bottom) if above else (min(below, key=lambda ln: ln.top) if below else None)
    if pick is None:
        return
    caption_lines = [pick]
    for ln in sorted(page_lines, key=lambda ln: ln.top):
        last = caption_lines[-1]
        if (
            ln is not pick
            and ln.role == "body"
            and ln.top > last.top
            and ln.top - last.bottom < 0.6 * last.size
            and abs(ln.size - pick.size) < 0.6
            and ln.bottom <= max(top + 2, last.bottom + 2 * last.size)
            and not (x0 - 1 <= (ln.x0 + ln.x1) / 2 <= x1 + 1 and top - 1 <= ln.top <= bottom)
        ):
            caption_lines.append(ln)
    table.caption_lines = caption_lines
    table.caption = " ".join(ln.text for ln in caption_lines)


def attach_orphan_caption(
    table: TableRegion, previous_page_lines: list[Line], first_top: float, taken: set[int]
) -> None:
    """A "Table N" caption left alone at the foot of the previous page belongs to a table opening this page."""
    if table.caption is not None or table.bbox[1] > first_top + 2:
        return
    body = sorted(
        (ln for ln in previous_page_lines if ln.role == "body" and id(ln) not in taken), key=lambda ln: ln.top
    )
    for i, ln in enumerate(body):
        if CAPTION.match(ln.text) and all(abs(x.size - ln.size) < 0.6 for x in body[i:]) and len(body) - i <= 3:
            table.caption_lines = body[i:]
            table.caption = " ".join(x.text for x in body[i:])
            return


Box = tuple[float, float, float, float]


def _overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] - 1 and b[0] < a[2] - 1


def _nothing_after(t: TableRegion, prose: list[Box]) -> bool:
    """No prose below the table's last part in its column, nor beside or below it in a column to its right."""
    box = t.tail or t.bbox
    return not any((p[1] >= box[3] - 2 and _overlaps(p, box)) or (p[0] >= box[2] - 2 and p[3] > box[1]) for p in prose)


def _nothing_before(t: TableRegion, prose: list[Box]) -> bool:
    """No prose above the table in its column, nor beside or above it in a column to its left.

    A short line right above the part (a "... continued" title) is no prose.
    """
    width = t.bbox[2] - t.bbox[0]
    prose = [p for p in prose if not (t.bbox[1] - p[3] < 1.5 * (p[3] - p[1]) and p[2] - p[0] < 0.6 * width)]
    return not any(
        (p[3] <= t.bbox[1] + 2 and _overlaps(p, t.bbox)) or (p[2] <= t.bbox[0] + 2 and p[1] < t.bbox[3]) for p in prose
    )


def _between_columns(first: TableRegion, second: TableRegion, p: Box) -> bool:
    """Prose under the first part in its column, or over the second part in its column (below where the first began)."""
    box = first.tail or first.bbox
    under = p[1] >= box[3] - 2 and _overlaps(p, box)
    over = box[1] - 2 <= p[1] and p[3] <= second.bbox[1] + 2 and _overlaps(p, second.bbox)
    return under or over


def merge_continuations(tables: list[TableRegion], prose: dict[int, list[Box]]) -> list[TableRegion]:
    """Join a table ending a page or column with an uncaptioned one of the same columns opening the next.

    ``prose[p]`` holds the boxes of running-text lines on page p; a table continues only if no prose
    comes between the two parts in reading order (columns left to right, pages in turn).
    """
    out: list[TableRegion] = []
    for t in sorted(tables, key=lambda t: (t.page, round(t.bbox[0] / 10), t.bbox[1])):
        prev = out[-1] if out else None
        if prev is not None and t.caption is None and t.n_cols == prev.n_cols:
            between_pages = t.page == prev.page_end + 1 and _nothing_after(prev, prose.get(prev.page_end, []))
            next_column = (
                t.page == prev.page_end
                and t.bbox[0] >= (prev.tail or prev.bbox)[2] - 2
                and abs((t.bbox[2] - t.bbox[0]) - (prev.bbox[2] - prev.bbox[0])) <= 0.1 * (t.bbox[2] - t.bbox[0])
                and not any(_between_columns(prev, t, p) for p in prose.get(t.page, []))
            )
            if (between_pages and _nothing_before(t, prose.get(t.page, []))) or next_column:
                _append(prev, t)
                continue
        out.append(t)
    return out


def _append(first: TableRegion, more: TableRegion) -> None:
    head = [c for c in first.cells if c.is_header]
    head_rows = len({c.row for c in head})
    more_head = [c for c in more.cells if c.is_header]
    # the header repeated over the continuation, perhaps laid out differently (a row-spanning cell)
    repeated = head_rows and sorted(" ".join(c.text for c in more_head).split()) == sorted(
        " ".join(c.text for c in head).split()
    )
    skip = len({c.row for c in more_head}) if repeated else 0
    offset = first.n_rows - skip
    # a first row without a first-column entry finishes the row the page break cut
    opening = [c for c in more.cells if c.row == skip and c.text]
    if opening and all(c.col > 0 for c in opening) and first.n_rows > head_rows:
        last = {c.col: c for c in first.cells if c.row == first.n_rows - 1}
        for c in opening:
            if c.col in last:
                last[c.col].text = join_text(last[c.col].text, c.text)
                last[c.col].words = last[c.col].words + c.words
            else:
                c.row = first.n_rows - 1
                c.is_header = False
                first.cells.append(c)
        more.cells = [c for c in more.cells if c.row != skip]
        for c in more.cells:
            if c.row > skip:
                c.row -= 1
        more.n_rows -= 1
    for c in more.cells:
        if c.row < skip:
            continue
        c.row += offset
        c.is_header = False
        first.cells.append(c)
    first.n_rows += more.n_rows - skip
    first.page_end = more.page_end
    first.tail = more.tail or more.bbox
    first.lines.extend(more.lines)
