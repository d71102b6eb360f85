"""The pdfplumber character source: glyphs, rulings and graphics from pdfplumber's page layout.

pdfplumber's ``page.chars`` / ``page.edges`` turn every layout object into a dict of some
twenty resolved attributes, which costs as much as parsing the page (about 40 % of the
pass on the corpus report). Reading ``page.layout`` (the same pdfminer objects, with
pdfplumber's resource manager and marked-content device) and applying pdfplumber's
coordinate rules to the few attributes we keep gives the same values without that cost;
tests compare the two field by field.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator, Sequence
from itertools import pairwise
from pathlib import Path

import pdfplumber
from pdfminer.layout import LTChar, LTComponent, LTContainer, LTCurve, LTImage, LTLine, LTRect
from pdfplumber.page import fix_fontname_bytes  # pdfplumber's own repair of byte-string font names

from pipeline.ingest import file_key
from pipeline.model import Char, Edge, RawPage, hex_colour

__all__ = ["extract_pages_pdfplumber", "keep_files_open", "page_count_pdfplumber", "raw_page_pdfplumber", "text_chars"]

Box = tuple[float, float, float, float]


def page_count_pdfplumber(path: str) -> int:
    with pdfplumber.open(path) as pdf:
        return len(pdf.pages)


def _leaves(objects: Iterable[LTComponent]) -> Iterator[LTComponent]:
    """Layout objects in pdfplumber's order: figures (form XObjects) are walked depth first."""
    for obj in objects:
        if isinstance(obj, LTContainer):
            yield from _leaves(obj)
        else:
            yield obj


class _PageFrame:
    """pdfplumber's mapping from pdfminer's bottom-up, MediaBox-relative coordinates to top-down page ones."""

    def __init__(self, page: pdfplumber.page.Page) -> None:
        self.height = page.height
        self.x_shift, self.y_shift = page.mediabox[:2]

    def box(self, obj: LTComponent) -> Box:
        """(x0, top, x1, bottom) exactly as ``Page.process_object`` computes them."""
        x0, x1 = obj.x0, obj.x1
        if self.x_shift != 0:
            x0, x1 = x0 + self.x_shift, x1 + self.x_shift
        return x0, (self.height - obj.y1) + self.y_shift, x1, (self.height - obj.y0) + self.y_shift

    def point(self, pt: tuple[float, float]) -> tuple[float, float]:
        """A path point, as ``Page.point2coord`` maps it."""
        return self.x_shift + pt[0], self.y_shift + self.height - pt[1]


@functools.lru_cache(maxsize=256)
def _hex_of(components: object) -> str:
    return hex_colour(components)


def _fill_colour(ncolor: object) -> str:
    """``hex_colour`` of a glyph's fill, memoised: a page has a handful of colours and hundreds of glyphs."""
    key = tuple(ncolor) if isinstance(ncolor, list) else ncolor  # pdfminer keeps scn operands as a list
    try:
        return _hex_of(key)
    except TypeError:  # an unhashable pattern operand
        return hex_colour(ncolor)


def _char(obj: LTChar, frame: _PageFrame) -> Char:
    x0, top, x1, bottom = frame.box(obj)
    font = obj.fontname
    if isinstance(font, bytes):
        font = fix_fontname_bytes(font)
    return Char(
        text=obj.get_text(),
        x0=float(x0),
        x1=float(x1),
        top=float(top),
        bottom=float(bottom),
        size=round(float(obj.size), 1),
        font=str(font or ""),
        upright=bool(obj.upright),
        colour=_fill_colour(obj.graphicstate.ncolor),
    )


def _rect_edges(box: Box, height: float) -> list[Edge]:
    """The four sides of a rectangle, as ``pdfplumber.utils.rect_to_edges`` derives them."""
    x0, top, x1, bottom = box
    return [
        Edge(float(x0), float(top), float(x1), float(top), "h"),
        Edge(float(x0), float(top + height), float(x1), float(bottom), "h"),
        Edge(float(x0), float(top), float(x0), float(bottom), "v"),
        Edge(float(x1), float(top), float(x1), float(bottom), "v"),
    ]


def _curve_edges(points: Sequence[tuple[float, float]]) -> list[Edge]:
    """Axis-parallel segments of a path, as ``pdfplumber.utils.curve_to_edges`` finds them."""
    edges = []
    for (ax, ay), (bx, by) in pairwise(points):
        orientation = "v" if ax == bx else ("h" if ay == by else None)
        if orientation:
            x0, top, x1, bottom = min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)
            edges.append(Edge(float(x0), float(top), float(x1), float(bottom), orientation))
    return edges


def raw_page_pdfplumber(page: pdfplumber.page.Page) -> RawPage:
    """One page: glyphs, ruling edges (lines, then rectangle sides, then path segments) and graphic boxes."""
    frame = _PageFrame(page)
    chars: list[Char] = []
    line_edges: list[Edge] = []
    rect_edges: list[Edge] = []
    curve_edges: list[Edge] = []
    rects: list[Box] = []
    curves: list[Box] = []
    images: list[Box] = []
    for obj in _leaves(page.layout):
        if isinstance(obj, LTChar):
            chars.append(_char(obj, frame))
        elif isinstance(obj, LTLine):
            x0, top, x1, bottom = frame.box(obj)
            line_edges.append(Edge(float(x0), float(top), float(x1), float(bottom), "h" if top == bottom else "v"))
        elif isinstance(obj, LTRect):
            box = frame.box(obj)
            rects.append(box)
            rect_edges += _rect_edges(box, obj.height)
        elif isinstance(obj, LTCurve):
            curves.append(frame.box(obj))
            curve_edges += _curve_edges([frame.point(p) for p in obj.pts])
        elif isinstance(obj, LTImage):
            images.append(frame.box(obj))
    graphics = [(float(a), float(b), float(c), float(d)) for a, b, c, d in (*rects, *curves, *images)]
    return RawPage(
        page.page_number, float(page.width), float(page.height), chars, line_edges + rect_edges + curve_edges, graphics
    )


def text_chars(page: pdfplumber.page.Page) -> list[dict]:
    """The page's glyphs as pdfplumber's text functions (``pdfplumber.utils.text``) read them, with the
    values ``page.chars`` gives (the size unrounded), from the page's parse ``raw_page_pdfplumber``
    made: ``page.chars`` resolves twenty attributes of every glyph again to use these few."""
    frame = _PageFrame(page)
    out = []
    for obj in _leaves(page.layout):
        if isinstance(obj, LTChar):
            x0, top, x1, bottom = frame.box(obj)
            out.append(
                {
                    "text": obj.get_text(),
                    "x0": x0,
                    "x1": x1,
                    "top": top,
                    "bottom": bottom,
                    "doctop": page.initial_doctop + top,
                    "height": obj.height,
                    "upright": obj.upright,
                    "size": obj.size,
                }
            )
    return out


def extract_pages_pdfplumber(path: str, indices: Sequence[int]) -> list[RawPage]:
    """The pages at 0-based ``indices`` of ``path``, parsed by pdfplumber."""
    if _kept.enabled:
        return _pages(_kept.open(path), indices)
    with pdfplumber.open(path) as pdf:
        return _pages(pdf, indices)


def _pages(pdf: pdfplumber.PDF, indices: Sequence[int]) -> list[RawPage]:
    out = []
    for i in indices:
        page = pdf.pages[i]
        out.append(raw_page_pdfplumber(page))
        page.flush_cache()  # a page's layout objects are the bulk of the reader's memory
    return out


class _KeptOpen:
    """The one file a reader process keeps open between the runs of pages it is given.

    Opening costs about 80 ms on an 85-page report (the page tree), once per run of pages
    otherwise. Only reader processes keep files (``keep_files_open``): a file object shared
    over a fork would share its read position too. Another file (or a changed one) closes it.
    """

    def __init__(self) -> None:
        self.enabled = False
        self.identity: tuple | None = None
        self.pdf: pdfplumber.PDF | None = None

    def open(self, path: str) -> pdfplumber.PDF:
        identity = file_key(Path(path))
        if self.pdf is None or identity != self.identity:
            self.close()
            self.pdf, self.identity = pdfplumber.open(path), identity
        return self.pdf

    def close(self) -> None:
        if self.pdf is not None:
            self.pdf.close()
        self.pdf, self.identity = None, None


_kept = _KeptOpen()


def keep_files_open() -> None:
    """In this (reader) process, keep the file being read open between calls."""
    _kept.enabled = True
