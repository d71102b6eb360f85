"""pdfium character source: the same ``RawPage`` objects as pdfplumber, several times faster.

pdfplumber is the reference, so values follow pdfminer's conventions rather than pdfium's:
char boxes run from the font's descent to descent + size (not ink boxes), sizes are the box
height after the text matrix (rounded to 0.1 pt, as the pdfplumber source does), pdfium's
generated spaces and line breaks are dropped, and paths are classified into lines, rects and
curves by pdfminer's rules before pdfplumber's edges are derived. The raw ctypes API is used
because per-glyph Python work is the whole cost.

Known differences: pdfium works in single precision (positions agree to ~1e-3 pt) and rounds
fractional /Widths, so such fonts drift by up to ~0.1% of a line; it decodes some glyphs
pdfminer leaves as "(cid:N)" (WinAnsi code 127 as a bullet); it spells ligatures out ("fi" for
U+FB01), collapses runs of spaces, drops text drawn twice on the same spot and honours
/ActualText; fonts are named by /BaseFont where pdfminer reports the descriptor's /FontName.
"""

from __future__ import annotations

import ctypes
import itertools
import os
from collections.abc import Callable, Iterator, Sequence

import pypdfium2.raw as pdfium
from pdfminer.fontmetrics import FONT_METRICS

from pipeline.model import Char, Edge, RawPage

Matrix = tuple[float, float, float, float, float, float]
Point = tuple[float, float]
Box = tuple[float, float, float, float]

_GENERATED_CANDIDATES = frozenset((0x20, 0x0A, 0x0D))  # pdfium only ever inserts spaces and line breaks
_HYPHEN_MARK = 0x02
_SAME_X = 1e-3  # pdfium keeps positions in single precision
_FONT_NAME_BYTES = 256


def _fn(name: str, restype: type | None, *argtypes: type) -> Callable:
    """A pdfium function with plain ``void *`` handles, so per-glyph calls skip pointer objects and casts."""
    return ctypes.CFUNCTYPE(restype, *argtypes)(ctypes.cast(getattr(pdfium, name), ctypes.c_void_p).value)


_VP, _INT, _FLOAT = ctypes.c_void_p, ctypes.c_int, ctypes.c_float
_get_text_object = _fn("FPDFText_GetTextObject", _VP, _VP, _INT)
_get_unicode = _fn("FPDFText_GetUnicode", ctypes.c_uint, _VP, _INT)
_is_generated = _fn("FPDFText_IsGenerated", _INT, _VP, _INT)
_has_map_error = _fn("FPDFText_HasUnicodeMapError", _INT, _VP, _INT)
_DOUBLE_P = ctypes.POINTER(ctypes.c_double)
_get_origin = _fn("FPDFText_GetCharOrigin", _INT, _VP, _INT, _DOUBLE_P, _DOUBLE_P)
_get_font = _fn("FPDFTextObj_GetFont", _VP, _VP)
_get_char_box = _fn("FPDFText_GetCharBox", _INT, _VP, _INT, _DOUBLE_P, _DOUBLE_P, _DOUBLE_P, _DOUBLE_P)
_get_loose_box = _fn("FPDFText_GetLooseCharBox", _INT, _VP, _INT, ctypes.POINTER(pdfium.FS_RECTF))
_glyph_width = _fn("FPDFFont_GetGlyphWidth", _INT, _VP, ctypes.c_uint, _FLOAT, ctypes.POINTER(_FLOAT))


def _mul(m: Matrix, n: Matrix) -> Matrix:
    """``m`` then ``n`` (PDF row-vector convention)."""
    a, b, c, d, e, f = m
    p, q, r, s, t, u = n
    return (a * p + b * r, a * q + b * s, c * p + d * r, c * q + d * s, e * p + f * r + t, e * q + f * s + u)


def _apply(m: Matrix, x: float, y: float) -> Point:
    return (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])


def _page_transform(page: ctypes.c_void_p) -> tuple[Matrix, float, float]:
    """Map from PDF user space to pdfplumber's space (y still up), and pdfplumber's page width and height.

    pdfminer rotates by /Rotate and shifts to the media box origin; pdfplumber shifts back by
    the rotated box's corner. Output ``top`` is ``height - y`` of the mapped point.
    """
    x0, y0, x1, y1 = (ctypes.c_float() for _ in range(4))
    if pdfium.FPDFPage_GetMediaBox(page, x0, y0, x1, y1):
        bx0, bx1 = sorted((x0.value, x1.value))
        by0, by1 = sorted((y0.value, y1.value))
    else:  # no /MediaBox on the page or its parents: US letter, as pdfminer assumes
        bx0, by0, bx1, by1 = 0.0, 0.0, 612.0, 792.0
    rotation = pdfium.FPDFPage_GetRotation(page) % 4
    pdfminer_ctm: Matrix = {
        0: (1.0, 0.0, 0.0, 1.0, -bx0, -by0),
        1: (0.0, -1.0, 1.0, 0.0, -by0, bx1),
        2: (-1.0, 0.0, 0.0, -1.0, bx1, by1),
        3: (0.0, 1.0, -1.0, 0.0, by1, -bx0),
    }[rotation]
    nx0, ny0, nx1, ny1 = (by0, bx0, by1, bx1) if rotation % 2 else (bx0, by0, bx1, by1)
    return _mul(pdfminer_ctm, (1.0, 0.0, 0.0, 1.0, nx0, ny0)), nx1 - nx0, ny1 - ny0


class _Font:
    """One PDF font as pdfminer measures it, with pdfium's own advances alongside.

    For the standard-14 names pdfminer takes descent and advances from its AFM tables, where a
    glyph they lack (the euro sign) advances 0 and shifts the rest of its string left; pdfium
    uses the font's widths. Both advances are kept so those shifts can be reproduced.
    """

    __slots__ = ("afm", "descent", "handle", "name", "widths")

    def __init__(self, handle: int) -> None:
        self.handle = handle
        buf = ctypes.create_string_buffer(_FONT_NAME_BYTES)
        pdfium.FPDFFont_GetBaseFontName(ctypes.cast(handle, pdfium.FPDF_FONT), buf, _FONT_NAME_BYTES)
        self.name = buf.value.decode("latin-1")
        metrics = FONT_METRICS.get(self.name)
        self.afm: dict[str, int] | None = metrics[1] if metrics else None
        if metrics:
            descent = float(metrics[0].get("Descent", 0))
        else:
            out = _FLOAT()
            pdfium.FPDFFont_GetDescent(ctypes.cast(handle, pdfium.FPDF_FONT), 1000.0, out)
            descent = out.value
        self.descent = -abs(descent) / 1000.0  # pdfminer flips a positive /Descent
        self.widths: dict[int, tuple[float, float]] = {}

    def widths_of(self, code: int) -> tuple[float, float]:
        """(pdfminer's, pdfium's) advance of ``code`` (a Unicode value) per unit of font size."""
        w = self.widths.get(code)
        if w is None:
            out = _FLOAT()
            own = out.value if _glyph_width(self.handle, code, 1.0, out) else 0.0
            w = self.widths[code] = (own if self.afm is None else self.afm.get(chr(code), 0) / 1000.0, own)
        return w


class _TextObject:
    """What every glyph of one text object shares, precomputed for the per-glyph loop."""

    __slots__ = (
        "a",
        "advance",
        "afm",
        "b",
        "c",
        "colour",
        "d",
        "fast",
        "font",
        "fs",
        "lift",
        "name",
        "rounded_size",
        "size",
        "upright",
        "widths",
    )

    def __init__(self, textpage: ctypes.c_void_p, index: int, font: _Font, ctm: Matrix) -> None:
        self.font = font
        self.name = font.name
        self.afm = font.afm is not None
        self.widths = font.widths
        self.fs = pdfium.FPDFText_GetFontSize(textpage, index)
        m = pdfium.FS_MATRIX()
        pdfium.FPDFText_GetMatrix(textpage, index, m)
        self.a, self.b, self.c, self.d, _, _ = _mul((m.a, m.b, m.c, m.d, 0.0, 0.0), ctm)
        self.upright = self.a * self.d > 0 and self.b * self.c <= 0
        # the common case, upright unrotated text on an unrotated page, takes the short path
        self.fast = ctm[:4] == (1.0, 0.0, 0.0, 1.0) and self.b == 0 and self.c == 0 and self.a > 0 and self.d > 0
        self.advance = self.a * self.fs  # glyph advance per unit width
        self.size = self.fs * self.d  # pdfminer's size: the box height (valid when axis-aligned)
        self.rounded_size = round(self.size, 1)  # what ``Char.size`` carries, as the pdfplumber source rounds it
        self.lift = ctm[5] + self.d * font.descent * self.fs  # from the origin's y to the box bottom
        self.colour = _fill_colour(textpage, index)


def _fill_colour(textpage: ctypes.c_void_p, index: int) -> str:
    """The glyph's fill colour as ``Char.colour`` spells it; pdfium has already converted it to RGB."""
    rgba = [ctypes.c_uint() for _ in range(4)]
    if not pdfium.FPDFText_GetFillColor(textpage, index, *rgba):
        return ""
    return "#" + "".join(f"{v.value:02x}" for v in rgba[:3])


def _same_glyph(textpage: int, i: int, j: int) -> bool:
    """Whether pdfium's characters ``i`` and ``j`` are pieces of one glyph's text (a ligature).

    Pieces share origin and ink box; a zero-advance mark and the glyph after it share only the origin.
    """
    boxes = [[ctypes.c_double() for _ in range(4)] for _ in (i, j)]
    for index, box in zip((i, j), boxes, strict=True):
        _get_char_box(textpage, index, *box)
    return [v.value for v in boxes[0]] == [v.value for v in boxes[1]]


def _chars(textpage: ctypes.c_void_p, ctm: Matrix, height: float) -> list[Char]:
    """The page's glyphs in pdfium's order, pdfium's inserted whitespace dropped, multi-character glyphs whole."""
    tp = ctypes.cast(textpage, ctypes.c_void_p).value
    get_unicode, get_text_object, get_origin = _get_unicode, _get_text_object, _get_origin
    fonts: dict[int, _Font] = {}
    objects: dict[int, _TextObject] = {}
    ox, oy = ctypes.c_double(), ctypes.c_double()
    e = ctm[4]
    out: list[Char] = []
    obj: _TextObject | None = None
    last_handle: int | None = None
    last_x = last_y = 0.0
    last_i = -1
    shift = 0.0  # how far pdfminer's AFM advances have put this string left of pdfium's positions
    stop_x: float | None = None  # x0 of a glyph pdfminer did not advance past: the next one starts there too
    for i in range(pdfium.FPDFText_CountChars(textpage)):
        code = get_unicode(tp, i)
        if code in _GENERATED_CANDIDATES and _is_generated(tp, i):
            continue
        handle = get_text_object(tp, i)
        if handle is None:
            continue
        get_origin(tp, i, ox, oy)
        x, y = ox.value, oy.value
        if code == _HYPHEN_MARK:  # pdfium's mark for a hyphen that ends a line
            code = 0x2D
        text = f"(cid:{code})" if code == 0 or _has_map_error(tp, i) else chr(code)
        if handle == last_handle and obj is not None:
            if x == last_x and y == last_y and _same_glyph(tp, i, last_i):
                _merge_piece(out[-1], text, tp, i, e + shift if obj.fast else None)
                continue
        else:
            shift, stop_x, last_handle = 0.0, None, handle
            obj = objects.get(handle)
            if obj is None:
                font_handle = _get_font(handle)
                font = fonts.get(font_handle)
                if font is None:
                    font = fonts[font_handle] = _Font(font_handle)
                obj = objects[handle] = _TextObject(textpage, i, font, ctm)
        last_x, last_y, last_i = x, y, i
        if not obj.fast:
            out.append(_general_char(text, code, obj, x, y, ctm, height))
            continue
        width, pdfium_width = obj.widths.get(code) or obj.font.widths_of(code)
        x0 = x + e
        if obj.afm:
            x0 += shift
            if stop_x is not None and abs(x0 - stop_x) < _SAME_X:  # keep pdfminer's tie, and so its sort order
                x0 = stop_x
            shift += obj.advance * (width - pdfium_width)
            stop_x = x0 if width == 0 else None
        bottom = height - y - obj.lift
        out.append(
            Char(
                text,
                x0,
                x0 + obj.advance * width,
                bottom - obj.size,
                bottom,
                obj.rounded_size,
                obj.name,
                True,
                obj.colour,
            )
        )
    return out


def _merge_piece(char: Char, text: str, textpage: int, index: int, dx: float | None) -> None:
    """Add a further piece of a ligature's text; on upright text widen the box to pdfium's loose box."""
    char.text += text
    if dx is not None:
        rect = pdfium.FS_RECTF()
        _get_loose_box(textpage, index, rect)
        char.x1 = max(char.x1, rect.right + dx)


def _general_char(text: str, code: int, obj: _TextObject, x: float, y: float, ctm: Matrix, height: float) -> Char:
    """A rotated, mirrored or skewed glyph: pdfminer's box (advance by descent..descent + size) transformed."""
    ox, oy = _apply(ctm, x, y)
    m = (obj.a, obj.b, obj.c, obj.d, ox, oy)
    lo, hi = obj.font.descent * obj.fs, (obj.font.descent + 1.0) * obj.fs
    advance = obj.font.widths_of(code)[0] * obj.fs
    corners = [_apply(m, u, v) for u in (0.0, advance) for v in (lo, hi)]
    xs, ys = [p[0] for p in corners], [p[1] for p in corners]
    top, bottom = height - max(ys), height - min(ys)
    return Char(text, min(xs), max(xs), top, bottom, round(bottom - top, 1), obj.name, obj.upright, obj.colour)


def _objects(container: ctypes.c_void_p, count: Callable, get: Callable) -> Iterator[ctypes.c_void_p]:
    for i in range(count(container)):
        yield get(container, i)


def _matrix(obj: ctypes.c_void_p) -> Matrix:
    m = pdfium.FS_MATRIX()
    pdfium.FPDFPageObj_GetMatrix(obj, m)
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def _subpaths(path: ctypes.c_void_p, m: Matrix) -> Iterator[tuple[str, list[Point]]]:
    """pdfminer's view of a path: per subpath, its operator string (m, l, c, h) and one point per operator.

    pdfium stores ``h`` as a closing flag on a segment that returns to the start; a bezier
    is three segments of which pdfminer keeps only the end point.
    """
    x, y = ctypes.c_float(), ctypes.c_float()
    shape: list[str] = []
    pts: list[Point] = []
    pending_bezier = 0
    for i in range(pdfium.FPDFPath_CountSegments(path)):
        seg = pdfium.FPDFPath_GetPathSegment(path, i)
        kind = pdfium.FPDFPathSegment_GetType(seg)
        pdfium.FPDFPathSegment_GetPoint(seg, x, y)
        pt = _apply(m, x.value, y.value)
        if kind == pdfium.FPDF_SEGMENT_MOVETO:
            if len(shape) > 1:  # pdfminer drops a bare move
                yield "".join(shape), pts
            shape, pts = ["m"], [pt]
            continue
        if not shape:  # a path must begin with a move; pdfminer ignores any other
            continue
        if kind == pdfium.FPDF_SEGMENT_BEZIERTO:
            pending_bezier = (pending_bezier + 1) % 3
            if pending_bezier:
                continue
            op = "c"
        else:
            op = "l"
        closes = pdfium.FPDFPathSegment_GetClose(seg)
        if closes and op == "l" and pt == pts[0]:
            op = "h"
        shape.append(op)
        pts.append(pt)
        if closes and op != "h":
            shape.append("h")
            pts.append(pts[0])
    if len(shape) > 1:
        yield "".join(shape), pts


class _Graphics:
    """pdfplumber's lines, rects, curves and images of one page, kept apart to reproduce its edge order."""

    def __init__(self, height: float) -> None:
        self.height = height
        self.lines: list[Edge] = []
        self.rects: list[Box] = []
        self.curves: list[list[Point]] = []
        self.images: list[Box] = []

    def flip(self, pts: list[Point]) -> list[Point]:
        return [(x, self.height - y) for x, y in pts]

    def add_objects(self, container: ctypes.c_void_p, count: Callable, get: Callable, parent: Matrix) -> None:
        for obj in _objects(container, count, get):
            kind = pdfium.FPDFPageObj_GetType(obj)
            if kind == pdfium.FPDF_PAGEOBJ_PATH:
                m = _mul(_matrix(obj), parent)
                for shape, pts in _subpaths(obj, m):
                    self.add_path(shape, pts)
            elif kind == pdfium.FPDF_PAGEOBJ_IMAGE:
                m = _mul(_matrix(obj), parent)
                self.images.append(_bbox(self.flip([_apply(m, u, v) for u in (0.0, 1.0) for v in (0.0, 1.0)])))
            elif kind == pdfium.FPDF_PAGEOBJ_FORM:
                m = _mul(_matrix(obj), parent)
                self.add_objects(obj, pdfium.FPDFFormObj_CountObjects, pdfium.FPDFFormObj_GetObject, m)

    def add_path(self, shape: str, pts: list[Point]) -> None:
        """pdfminer's ``paint_path`` classification of one subpath."""
        pts = self.flip(pts)
        if len(shape) > 3 and shape.endswith("lh") and pts[-2] == pts[0]:
            shape = shape[:-2] + "h"
            pts.pop(-2)
        if shape in ("ml", "mlh"):
            (xa, ya), (xb, yb) = pts[0], pts[1]
            top, bottom = min(ya, yb), max(ya, yb)
            self.lines.append(Edge(min(xa, xb), top, max(xa, xb), bottom, "h" if top == bottom else "v"))
            return
        if shape in ("mlllh", "mllll"):
            (x0, y0), (x1, y1), (x2, y2), (x3, y3), _ = pts
            square = (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (
                y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0
            )
            if pts[0] == pts[4] and square:
                self.rects.append(_bbox(pts))
                return
        self.curves.append(pts)

    def edges(self) -> list[Edge]:
        """pdfplumber's ``page.edges`` that have an orientation: lines, then rect sides, then curve segments."""
        out = list(self.lines)
        for x0, top, x1, bottom in self.rects:
            out += [Edge(x0, top, x1, top, "h"), Edge(x0, bottom, x1, bottom, "h")]
            out += [Edge(x0, top, x0, bottom, "v"), Edge(x1, top, x1, bottom, "v")]
        for pts in self.curves:
            for (xa, ya), (xb, yb) in itertools.pairwise(pts):
                orientation = "v" if xa == xb else ("h" if ya == yb else None)
                if orientation:
                    out.append(Edge(min(xa, xb), min(ya, yb), max(xa, xb), max(ya, yb), orientation))
        return out

    def boxes(self) -> list[Box]:
        """Bounding boxes of rects, curves and images, pdfplumber's ``graphics``."""
        return self.rects + [_bbox(pts) for pts in self.curves] + self.images


def _bbox(pts: list[Point]) -> Box:
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    return (min(xs), min(ys), max(xs), max(ys))


def _open(path: str) -> ctypes.c_void_p:
    doc = pdfium.FPDF_LoadDocument(os.fsencode(path), None)
    if not doc:
        raise OSError(f"pdfium cannot open {path} (error {pdfium.FPDF_GetLastError()})")
    return doc


def page_count_pdfium(path: str) -> int:
    doc = _open(path)
    try:
        return pdfium.FPDF_GetPageCount(doc)
    finally:
        pdfium.FPDF_CloseDocument(doc)


def extract_pages_pdfium(path: str, indices: Sequence[int]) -> list[RawPage]:
    """The pages at 0-based ``indices`` of ``path``, as pdfplumber would report them."""
    doc = _open(path)
    out: list[RawPage] = []
    try:
        for i in indices:
            page = pdfium.FPDF_LoadPage(doc, i)
            if not page:
                raise OSError(f"pdfium cannot load page {i + 1} of {path}")
            textpage = pdfium.FPDFText_LoadPage(page)
            try:
                ctm, width, height = _page_transform(page)
                chars = _chars(textpage, ctm, height)
                graphics = _Graphics(height)
                graphics.add_objects(page, pdfium.FPDFPage_CountObjects, pdfium.FPDFPage_GetObject, ctm)
                out.append(RawPage(i + 1, width, height, chars, graphics.edges(), graphics.boxes()))
            finally:
                pdfium.FPDFText_ClosePage(textpage)
                pdfium.FPDF_ClosePage(page)
    finally:
        pdfium.FPDF_CloseDocument(doc)
    return out
