"""Column gutters per page region, found from whitespace that runs down consecutive lines.

A gutter is an x position that no line crosses over a run of consecutive lines, where
many of those lines have text on both sides of it, separated by a gap wider than a word
space. A line that crosses it (a chapter title, a full-width table or footnote) ends
the run, so one page can hold a one-column part, a two-column part and a three-column
part, each read column by column. Short cells on both sides (tables, tables of contents
with their page numbers) do not make a gutter: the text on each side must read like
prose lines, and one side must keep a straight edge along the gutter (a justified left
column, or a right column starting at one margin), which the stretched word spaces of
justified one-column text never do.
"""

from __future__ import annotations

import bisect
import itertools
import statistics
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from pipeline.model import Word

_GAP_EM = 0.5  # a gap narrower than this (in the line's own size) is a word space
_MIN_SUPPORT = 3  # lines with text on each side of the gutter in one run
_MIN_SIDE_CHARS = 12  # median characters of a line part on each side: prose, not table cells
_RUN_BREAK = 0.7  # a gap this share of the gutter's width ends the text run beside it
_ALIGN_EM = 0.1  # column edges agree within this fraction of the text size
_MIN_ALIGNED = 0.5  # share of lines whose left column ends, or right column starts, at one edge
_NEAR_EM = 4.0  # a line part this far from the column edge is another column's line, not this column's


@dataclass(frozen=True)
class ColumnRun:
    """A gutter at ``x`` between rows ``first`` and ``last`` (indices into the page's rows)."""

    x: float
    first: int
    last: int
    support: int
    sure: bool = True


def _row_size(words: list[Word]) -> float:
    sizes = sorted(w.size for w in words)
    return sizes[len(sizes) // 2]


def _cover(rows: list[list[Word]], lo: int, n: int) -> np.ndarray:
    """Per row and x: covered by the row's text, word spaces included (wide gaps stay open)."""
    cover = np.zeros((len(rows), n), dtype=bool)
    for i, ws in enumerate(rows):
        if not ws:
            continue
        ws = sorted(ws, key=lambda w: w.x0)
        start, end = int(ws[0].x0) - lo, int(max(w.x1 for w in ws)) + 1 - lo
        cover[i, max(start, 0) : min(end, n)] = True
        wide = _GAP_EM * _row_size(ws)
        right = ws[0].x1
        for w in ws[1:]:
            if w.x0 - right >= wide:
                cover[i, int(right) + 1 - lo : max(int(w.x0) - lo, int(right) + 1 - lo)] = False
            right = max(right, w.x1)
    return cover


def _beside(ws: list[Word], x: float, left: bool) -> list[Word]:
    """The row's words on one side of ``x``, nearest first."""
    side = [w for w in ws if (w.x1 <= x if left else w.x0 >= x)]
    return sorted(side, key=lambda w: -w.x1 if left else w.x0)


def _run_chars(side: list[Word], break_gap: float, left: bool) -> int:
    """Characters of the run of words nearest the gutter, up to a gap as wide as ``break_gap``.

    Only the neighbouring run counts, so a table cell beside a column of prose does not
    borrow the prose's length; the break is relative to the gutter's own width, so the
    stretched spaces of justified lines do not cut a column line short.
    """
    n = side[0].n_chars
    for a, b in itertools.pairwise(side):
        if (a.x0 - b.x1 if left else b.x0 - a.x1) >= break_gap:
            break
        n += b.n_chars
    return n


def _gutter_kind(rows: list[list[Word]], x: float) -> str | None:
    """How well rows beside ``x`` read as two columns.

    "sure": prose on both sides and one side with a straight edge along the gutter (most
    of its lines end, or start, right at the white strip around ``x``); "beside":
    only one side is such prose (a table or figure labels in the other column), or both
    edges are kept by a few lines but broken by many (headings, links and indented list
    items in both columns), which counts where the document has a sure gutter at the same
    place on some page.
    """
    lefts = [side for ws in rows if (side := _beside(ws, x, left=True))]
    rights = [side for ws in rows if (side := _beside(ws, x, left=False))]
    if len(lefts) < _MIN_SUPPORT or len(rights) < _MIN_SUPPORT:
        return None
    size = statistics.median(_row_size(ws) for ws in rows)
    left_edge, right_edge = max(side[0].x1 for side in lefts), min(side[0].x0 for side in rights)
    break_gap = max(_GAP_EM * size, _RUN_BREAK * (right_edge - left_edge))
    left = [(_run_chars(side, break_gap, True), side[0].x1) for side in lefts]
    right = [(_run_chars(side, break_gap, False), side[0].x0) for side in rights]
    tolerance, reach = _ALIGN_EM * size, _NEAR_EM * size
    prose = [statistics.median(n for n, _ in side) >= _MIN_SIDE_CHARS for side in (left, right)]
    sides = ((left, left_edge), (right, right_edge))
    aligned = [sum(abs(e - edge) <= tolerance for _, e in side) for side, edge in sides]
    straight = [_straight([e for _, e in side], edge, tolerance, reach) for side, edge in sides]
    if all(prose) and any(straight):
        return "sure"
    if any(p and s for p, s in zip(prose, straight, strict=True)):
        return "beside"
    if any(prose) and all(n >= _MIN_SUPPORT for n in aligned):
        return "beside"  # both edges kept, but headings, links and list indents break them too often to be sure
    return None


def _straight(edges: list[float], edge: float, tolerance: float, reach: float) -> bool:
    """Whether most lines beside the strip keep to one edge along it.

    Only line parts within ``reach`` of the edge count: on a page whose columns have
    baselines of their own, a row may hold only the next column's line further over
    (or a short last line of a ragged column), which says nothing about this edge.
    """
    near = [e for e in edges if abs(e - edge) <= reach]
    return sum(abs(e - edge) <= tolerance for e in near) >= max(_MIN_SUPPORT, _MIN_ALIGNED * len(near))


def candidate_runs(rows: list[list[Word]], figure_text: Callable[[Word], bool] = lambda w: False) -> list[ColumnRun]:
    """Possible gutters of a page with the runs of rows they separate; ``rows`` are baseline clusters top to bottom.

    For every x, the rows not crossing it fall into runs between the rows that do; a run
    with enough text on both sides is a candidate, and the candidates are checked for prose.
    Labels of a chart inside one column (``figure_text``) neither cross nor support a gutter.
    """
    rows = [[w for w in ws if not figure_text(w)] for ws in rows]
    if sum(1 for ws in rows if ws) < 2 * _MIN_SUPPORT:
        return []
    lo = int(min(w.x0 for ws in rows for w in ws))
    n = int(max(w.x1 for ws in rows for w in ws)) + 2 - lo
    cover = _cover(rows, lo, n)
    xs = np.arange(n)
    starts = np.array([int(min(w.x0 for w in ws)) - lo if ws else n for ws in rows])[:, None]
    ends = np.array([int(max(w.x1 for w in ws)) + 1 - lo if ws else 0 for ws in rows])[:, None]
    run_id = np.cumsum(cover, axis=0)
    has_left = ~cover & (xs > starts)
    has_right = ~cover & (xs < ends)
    n_left = np.zeros((len(rows) + 1, n), dtype=int)
    n_right = np.zeros((len(rows) + 1, n), dtype=int)
    cols = np.broadcast_to(xs, cover.shape)
    np.add.at(n_left, (run_id[has_left], cols[has_left]), 1)
    np.add.at(n_right, (run_id[has_right], cols[has_right]), 1)
    found: list[ColumnRun] = []
    edges = _WordEdges(rows)
    kinds: dict[tuple[int, ...], str | None] = {}
    for rid, x in zip(*np.nonzero((n_left >= _MIN_SUPPORT) & (n_right >= _MIN_SUPPORT)), strict=True):
        members = np.flatnonzero((run_id[:, x] == rid) & ~cover[:, x]).tolist()
        key = edges.sides(members, x + lo + 0.5)
        if key not in kinds:
            kinds[key] = _gutter_kind([rows[i] for i in members if rows[i]], x + lo + 0.5)
        kind = kinds[key]
        if kind:
            found.append(ColumnRun(x + lo + 0.5, members[0], members[-1], len(members), kind == "sure"))
    return found


class _WordEdges:
    """The words' right and left edges per row, sorted, to tell which words lie on each side of an x.

    The positions across one white strip see the same words on each side, and ``_gutter_kind``
    depends on nothing else, so it is asked once per strip instead of once per point of its width.
    """

    def __init__(self, rows: list[list[Word]]) -> None:
        self.rights = [sorted(w.x1 for w in ws) for ws in rows]
        self.lefts = [sorted(w.x0 for w in ws) for ws in rows]

    def sides(self, members: list[int], x: float) -> tuple[int, ...]:
        """The rows, then per row how many words end at or before ``x`` and how many start before it."""
        counts = [(bisect.bisect_right(self.rights[i], x), bisect.bisect_left(self.lefts[i], x)) for i in members]
        return (*members, -1, *itertools.chain.from_iterable(counts))


def known_positions(pages: list[list[ColumnRun]]) -> set[int]:
    """The x positions (whole points) where sure gutters recur on several pages: the document's column grid."""
    counts = Counter(x for runs in pages for x in {int(r.x) for r in runs if r.sure})
    return {x for x, n in counts.items() if n >= 2}


def choose_runs(rows: list[list[Word]], runs: list[ColumnRun], known: set[int]) -> list[ColumnRun]:
    """The page's gutters: sure runs, and runs beside a table or figure where the document has a sure gutter.

    A run sharing rows with a better supported one, with no text between the two there, is
    the same white strip seen past a narrow table, figure or ragged line: it keeps only the
    rows beyond the better one, if enough.
    """
    kept = sorted(_strip_centres([r for r in runs if r.sure or int(r.x) in known]), key=lambda r: -r.support)
    out: list[ColumnRun] = []
    for run in kept:
        for big in out:
            if run is not None and _overlap(run, big) and not _text_between(rows, run, big):
                run = _outside(run, big)
        if run is not None:
            out.append(run)
    return sorted(out, key=lambda r: (r.first, r.x))


def _text_between(rows: list[list[Word]], run: ColumnRun, big: ColumnRun) -> bool:
    """Whether some word lies between the two gutters on the rows they share."""
    lo, hi = min(run.x, big.x), max(run.x, big.x)
    shared = rows[max(run.first, big.first) : min(run.last, big.last) + 1]
    return any(lo < w.x1 and w.x0 < hi for ws in shared for w in ws)


def _outside(run: ColumnRun, big: ColumnRun) -> ColumnRun | None:
    """The rows of ``run`` beyond a better supported gutter of the same white strip, or None.

    Inside the big run's rows the two are one strip (seen past a narrow table or a ragged line
    end); only where ``run`` reaches past it (a table below the columns) does it part columns.
    Kept, the overlap would start a new column region a few lines before the columns end.
    """
    first, last = run.first, run.last
    if big.first <= first and last <= big.last:
        return None
    if first < big.first <= last <= big.last:
        last = big.first - 1
    elif big.first <= first <= big.last < last:
        first = big.last + 1
    else:
        return run
    if last - first + 1 < _MIN_SUPPORT:
        return None
    return ColumnRun(run.x, first, last, min(run.support, last - first + 1), run.sure)


def _overlap(a: ColumnRun, b: ColumnRun) -> bool:
    return a.first <= b.last and b.first <= a.last


def _strip_centres(found: list[ColumnRun]) -> list[ColumnRun]:
    """One run per gutter strip and row range: the best supported, in the middle of the strip.

    A strip is a set of runs at neighbouring x positions that share rows; within it, runs
    over different rows (two two-column parts of a page at the same gutter) are kept apart.
    """
    found = sorted(found, key=lambda r: (r.x, r.first))
    strips: list[list[ColumnRun]] = []
    for run in found:
        joined = [s for s in strips if any(run.x - r.x <= 1.0 and _overlap(run, r) for r in s)]
        for s in joined[1:]:
            joined[0].extend(s)
            strips.remove(s)
        if joined:
            joined[0].append(run)
        else:
            strips.append([run])
    out: list[ColumnRun] = []
    for strip in strips:
        left = list(strip)
        while left:
            best = max(r.support for r in left)
            span = next(r for r in left if r.support == best)
            same = [r for r in left if (r.first, r.last, r.support) == (span.first, span.last, best)]
            out.append(same[len(same) // 2])
            left = [r for r in left if not _overlap(r, span)]
    return out


def row_gutters(runs: list[ColumnRun], n_rows: int) -> list[tuple[float, ...]]:
    """The gutters active on each row (empty where the row crosses them or has none)."""
    active: list[list[float]] = [[] for _ in range(n_rows)]
    for run in runs:
        for i in range(run.first, run.last + 1):
            active[i].append(run.x)
    return [tuple(sorted(a)) for a in active]


def bands(active: list[tuple[float, ...]]) -> list[int]:
    """A band number per row: consecutive rows sharing the same gutters, -1 for rows without any."""
    out: list[int] = []
    for i, (key, group) in enumerate(itertools.groupby(active)):
        out.extend([i if key else -1] * sum(1 for _ in group))
    return out
