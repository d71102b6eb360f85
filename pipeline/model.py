"""In-memory data model of a parsed document, between the PDF and the tables.

Coordinates follow pdfplumber: points, origin at the top-left of the page,
``top`` grows downwards. Pages are 1-based physical page numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache


@dataclass(slots=True)
class Char:
    """One glyph with the typography the layout rules need."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    font: str
    upright: bool = True
    colour: str = ""  # fill colour as "#rrggbb" (see ``hex_colour``); "" when the reader cannot tell

    def __reduce__(self):
        # plain tuples pickle several times faster than slotted dataclasses: pages cross process boundaries
        return (
            Char,
            (self.text, self.x0, self.x1, self.top, self.bottom, self.size, self.font, self.upright, self.colour),
        )

    @property
    def bold(self) -> bool:
        return is_bold(self.font)

    @property
    def italic(self) -> bool:
        return is_italic(self.font)


def hex_colour(components: object) -> str:
    """A fill colour as "#rrggbb" from gray (1), RGB (3) or CMYK (4) components in 0..1; "" for anything else.

    Channels round half up, as pdfium does. Only equality matters downstream (a line in the
    body's colour or not), so CMYK takes the plain complement; pdfium converts it with its own
    colour profile, so the two readers spell a CMYK colour differently (pdfium's CMYK black is not
    gray black) but tell the colours of one space apart alike.
    """
    values = components if isinstance(components, (tuple, list)) else (components,)
    if not all(isinstance(v, (int, float)) for v in values):
        return ""  # a pattern or an unresolved colour
    v = [min(1.0, max(0.0, float(x))) for x in values]
    if len(v) == 1:
        rgb = (v[0], v[0], v[0])
    elif len(v) == 3:
        rgb = (v[0], v[1], v[2])
    elif len(v) == 4:
        rgb = tuple((1.0 - c) * (1.0 - v[3]) for c in v[:3])
    else:
        return ""
    return "#" + "".join(f"{int(c * 255 + 0.5):02x}" for c in rgb)


@cache  # asked for every word of every line; a document has a few dozen fonts
def is_bold(font: str) -> bool:
    name = font.lower()
    return any(k in name for k in ("bold", "black", "heavy", "semibold", "demi"))


@cache
def is_italic(font: str) -> bool:
    name = font.lower()
    return "italic" in name or "oblique" in name


@dataclass(slots=True)
class Edge:
    """A ruling line (or rectangle side) drawn on the page; tables are built from these."""

    x0: float
    top: float
    x1: float
    bottom: float
    orientation: str  # "h" or "v"


@dataclass(slots=True)
class RawPage:
    """What a character source yields per page."""

    page: int
    width: float
    height: float
    chars: list[Char]
    edges: list[Edge] = field(default_factory=list)
    graphics: list[tuple[float, float, float, float]] = field(default_factory=list)  # rects, curves, images


@dataclass(slots=True)
class Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    font: str
    superscript: bool = False
    n_chars: int = 0
    small_caps: bool = False  # capitals at two sizes; ``text`` has the case the sizes encode
    colour: str = ""  # fill colour of its middle glyph
    # the glyphs of the word, for boxes of facts; dropped once the blocks' glyph runs are built
    chars: tuple[Char, ...] = ()


@dataclass(slots=True)
class Line:
    """A run of words on one baseline within one column."""

    page: int
    words: list[Word]
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    font: str
    bold: bool
    italic: bool
    text: str = ""
    # character offsets in ``text`` where a superscript (footnote call) was removed, with its digits
    calls: list[tuple[int, str]] = field(default_factory=list)
    lead_marker: str | None = None  # leading superscript number (footnote body marker)
    role: str = "body"  # body, furniture, footnote, table, figure, toc, caption
    column: int = 0
    band: int = -1  # column region of the page the line belongs to (-1: none, the line spans the page)
    n_chars: int = 0
    small_caps: bool = False  # most letters set in small capitals
    underline: bool = False  # a thin rule runs under most of the line's glyphs
    colour: str = ""  # the fill colour of most of its characters

    @property
    def height(self) -> float:
        return self.bottom - self.top


@dataclass(frozen=True, slots=True)
class PageStart:
    """Where a new page begins inside a block's text (blocks may run over page breaks)."""

    offset: int
    page: int
    page_label: str | None


@dataclass(frozen=True, slots=True)
class TextBlock:
    """What fact extraction sees of a block: its text and enough provenance to cite any span of it."""

    block_id: str
    kind: str
    text: str
    section_id: str | None
    pages: tuple[PageStart, ...]

    def page_at(self, offset: int) -> PageStart:
        """The page on which the character at ``offset`` is printed."""
        current = self.pages[0]
        for start in self.pages:
            if start.offset > offset:
                break
            current = start
        return current


@dataclass(slots=True)
class GlyphRun:
    """Characters ``start``.. of a block's text printed on one line: their x extents and the line's height.

    Whitespace the pipeline put between words has zero width at the end of the word before it;
    a character no glyph was found for (a table's " | ", rarely a character normalisation changed)
    has none (None).
    """

    start: int
    page: int
    top: float
    bottom: float
    x0: list[float | None]
    x1: list[float | None]

    @property
    def end(self) -> int:
        return self.start + len(self.x0)


@dataclass(slots=True)
class Block:
    """A paragraph, heading, list item, caption, footnote, table or figure text."""

    kind: str
    lines: list[Line]
    text: str = ""
    calls: list[tuple[int, str]] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)  # offset in ``text`` where each line begins
    block_id: str = ""
    section_id: str | None = None
    page: int = 0
    page_end: int = 0
    x0: float = 0.0
    top: float = 0.0
    x1: float = 0.0
    bottom: float = 0.0
    size: float = 0.0
    bold: bool = False
    italic: bool = False
    colour: str = ""  # the colour all its lines share, "" when they differ
    glyphs: list[GlyphRun] = field(default_factory=list)  # where each character of ``text`` is printed

    def page_breaks(self) -> list[tuple[int, int]]:
        """(offset, page) for the first line and for every line that starts a new page."""
        out: list[tuple[int, int]] = []
        for ln, start in zip(self.lines, self.starts, strict=False):
            if not out or ln.page != out[-1][1]:
                out.append((min(start, len(self.text)), ln.page))
        return out or [(0, self.page)]
