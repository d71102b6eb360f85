"""Synthetic policy-report PDFs with an exact answer key.

Fixtures for the structure-extraction pipeline must look like real reports (running
headers, footnotes that continue on the next page, tables that break across pages,
words hyphenated at line ends) *and* come with ground truth.  Instead of asking a
layout library where things ended up, this module is its own small layout engine on
top of reportlab's canvas: every line is placed here, so the ground truth is derived
from the very decisions that draw the PDF.

All text is invented: a fictional report on research funding in the Republic of
Veldoria.  The content lives in the second half of this file.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import asdict, dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Protocol

from reportlab.lib.pagesizes import A4, LETTER
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas

CJK_FONT = "STSong-Light"
EPS = 1e-6
NOTE_SEP = 12.0  # gap between body text and the first footnote line (holds the short rule)
CELL_PAD = 3.0
SHADE = (0.92, 0.93, 0.95)  # every other body row of a shaded table
HEADER_SHADE = (0.78, 0.82, 0.88)

# ---------------------------------------------------------------------------------------------
# Styles
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HeadingLevel:
    """Typography of one heading level (index 0 = chapter)."""

    font: str
    size: float
    leading: float
    space_before: float
    space_after: float
    small_caps: bool = False  # lower-case letters drawn as smaller capitals
    underline: bool = False
    centred: bool = False
    number_above: bool = False  # the number on a line of its own over the title
    colour: tuple[float, float, float] | None = None  # RGB fill; None: the body text's black


@dataclass(frozen=True)
class ReportStyle:
    """Everything that makes two renderings of the same report look different."""

    name: str
    page_size: tuple[float, float]
    body_font: str
    bold_font: str
    italic_font: str
    bold_italic_font: str
    heading_font: str
    body_size: float
    page_labels: bool  # write /PageLabels into the catalog (otherwise labels are only printed)
    footnote_call: str  # "superscript" (raised small digits) | "bracket" (inline "[3]")
    heading_numbering: str  # "legal": 1 / (1) / 1. / (A)   "decimal": 1. / 1.1 / 1.1.1 / (a)
    headings: tuple[HeadingLevel, HeadingLevel, HeadingLevel, HeadingLevel]
    margins: tuple[float, float, float, float]  # left, right, top, bottom
    leading: float
    para_gap: float
    justify: bool
    bullet: str
    footnote_font: str
    footnote_size: float
    footnote_leading: float
    note_indent: float
    table_size: float
    caption_font: str
    caption_size: float
    header_align: str  # running header "left" | "right"
    footer: str  # "folio": centred label | "series": series name left, label right
    chart_colors: tuple[tuple[float, float, float], tuple[float, float, float]]
    sans_font: str = "Helvetica"
    running_header: str = "title"  # "title": short title on every page | "chapter": chapter title on odd pages
    toc_leaders: bool = True  # dot leaders between a TOC title and its page number
    folio_side: str = "fixed"  # "fixed": as `footer` says | "outer": folio right on odd pages, left on even
    # "grid": every cell boxed; "three_rule": top, header and bottom rules (booktabs, partial rules under
    # spanning header cells); "horizontal": a rule under every row; "shaded": no rules, shaded header
    # cells and every other body row shaded; "none": whitespace alone
    table_rules: str = "grid"
    columns: int = 1  # text columns; chapter titles, tables and notes span them
    column_gap: float = 18.0


STYLE_A = ReportStyle(
    name="a",
    page_size=A4,
    body_font="Times-Roman",
    bold_font="Times-Bold",
    italic_font="Times-Italic",
    bold_italic_font="Times-BoldItalic",
    heading_font="Helvetica-Bold",
    body_size=11,
    page_labels=True,
    footnote_call="superscript",
    heading_numbering="legal",
    headings=(
        HeadingLevel("Helvetica-Bold", 16, 20, 20, 8),
        HeadingLevel("Helvetica-Bold", 13, 16, 14, 5),
        HeadingLevel("Helvetica-Bold", 11.5, 14.5, 10, 3),
        HeadingLevel("Times-BoldItalic", 11, 14.2, 8, 1),
    ),
    margins=(72, 72, 76, 70),
    leading=14.2,
    para_gap=6,
    justify=True,
    bullet="•",
    footnote_font="Times-Roman",
    footnote_size=8.5,
    footnote_leading=10.4,
    note_indent=12,
    table_size=9.5,
    caption_font="Helvetica-Bold",
    caption_size=9.5,
    header_align="left",
    footer="folio",
    chart_colors=((0.16, 0.29, 0.48), (0.62, 0.72, 0.84)),
)

STYLE_B = ReportStyle(
    name="b",
    page_size=LETTER,
    body_font="Helvetica",
    bold_font="Helvetica-Bold",
    italic_font="Helvetica-Oblique",
    bold_italic_font="Helvetica-BoldOblique",
    heading_font="Times-Bold",
    body_size=10,
    page_labels=False,
    footnote_call="bracket",
    heading_numbering="decimal",
    headings=(
        HeadingLevel("Times-Bold", 17, 21, 22, 10),
        HeadingLevel("Times-Bold", 13, 16, 14, 6),
        HeadingLevel("Times-BoldItalic", 11.5, 14, 10, 4),
        HeadingLevel("Helvetica-Oblique", 10, 13.4, 7, 1),
    ),
    margins=(90, 66, 84, 80),
    leading=13.4,
    para_gap=8,
    justify=False,
    bullet="-",
    footnote_font="Helvetica",
    footnote_size=7.5,
    footnote_leading=9.4,
    note_indent=16,
    table_size=8.5,
    caption_font="Times-Bold",
    caption_size=10,
    header_align="right",
    footer="series",
    chart_colors=((0.55, 0.18, 0.12), (0.85, 0.65, 0.35)),
)

# Headings at body size, told apart only by weight, slant and underline; "[n]" calls; printed folios only;
# a table of contents without dot leaders.
STYLE_C = replace(
    STYLE_A,
    name="c",
    page_labels=False,
    toc_leaders=False,
    footnote_call="bracket",
    headings=(
        HeadingLevel("Times-Bold", 11, 14.2, 18, 6),
        HeadingLevel("Times-BoldItalic", 11, 14.2, 14, 4),
        HeadingLevel("Times-Roman", 11, 14.2, 10, 3, underline=True),
        HeadingLevel("Times-Italic", 11, 14.2, 8, 1),
    ),
)

# Chapter titles centred in small caps under their number, small-caps and italic sub-heads, the chapter title in the
# running header of odd pages and folios on the outer edge.
STYLE_D = replace(
    STYLE_A,
    name="d",
    heading_numbering="decimal",
    headings=(
        HeadingLevel("Times-Roman", 15, 19, 24, 12, small_caps=True, centred=True, number_above=True),
        HeadingLevel("Times-Roman", 11, 14.2, 14, 5, small_caps=True),
        HeadingLevel("Times-Italic", 11, 14.2, 10, 3),
        HeadingLevel("Times-BoldItalic", 11, 14.2, 8, 1),
    ),
    running_header="chapter",
    folio_side="outer",
)

# Two justified, hyphenated columns; chapter titles and shaded-row tables span them, lower headings sit in a
# column, notes run full width at the foot of the page.
STYLE_E = replace(
    STYLE_A,
    name="e",
    body_size=9.5,
    leading=11.8,
    para_gap=5,
    margins=(54, 54, 70, 64),
    headings=(
        HeadingLevel("Helvetica-Bold", 15, 18, 18, 8),
        HeadingLevel("Helvetica-Bold", 11, 13.5, 12, 4),
        HeadingLevel("Helvetica-BoldOblique", 10, 12.5, 9, 3),
        HeadingLevel("Times-BoldItalic", 9.5, 11.8, 7, 1),
    ),
    footnote_size=7.5,
    footnote_leading=9.2,
    table_size=8.5,
    caption_size=9,
    table_rules="shaded",
    columns=2,
)

# Headings at body size in the body's roman, told apart from the text and from each other by colour alone.
STYLE_F = replace(
    STYLE_C,
    name="f",
    headings=(
        HeadingLevel("Times-Roman", 11, 14.2, 18, 6, colour=(0.55, 0.1, 0.1)),
        HeadingLevel("Times-Roman", 11, 14.2, 14, 4, colour=(0.1, 0.25, 0.55)),
        HeadingLevel("Times-Roman", 11, 14.2, 10, 3, colour=(0.1, 0.45, 0.2)),
        HeadingLevel("Times-Roman", 11, 14.2, 8, 1, colour=(0.45, 0.45, 0.45)),
    ),
)

STYLES: dict[str, ReportStyle] = {
    "a": STYLE_A,
    "b": STYLE_B,
    "c": STYLE_C,
    "d": STYLE_D,
    "e": STYLE_E,
    "f": STYLE_F,
}


def format_number(style: ReportStyle, level: int, counters: Sequence[int]) -> str:
    """Printed heading number; the two schemes overlap on purpose ("1." is a chapter in B)."""
    n = counters[level - 1]
    if style.heading_numbering == "legal":
        return (f"{n}", f"({n})", f"{n}.", f"({chr(64 + n)})")[level - 1]
    if level == 4:
        return f"({chr(96 + n)})"
    if level == 1:
        return f"{n}."
    return ".".join(str(c) for c in counters[:level])


def roman(n: int) -> str:
    """Lower-case roman numeral for front-matter folios."""
    out = []
    for value, digits in ((10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while n >= value:
            out.append(digits)
            n -= value
    return "".join(out)


# ---------------------------------------------------------------------------------------------
# Content model
# ---------------------------------------------------------------------------------------------

BOTH = frozenset({1, 2})
ED1 = frozenset({1})
ED2 = frozenset({2})


@dataclass(frozen=True)
class Heading:
    """A section heading; its number is derived from its position and the style."""

    key: str
    title: str  # may end with a footnote call "[^key]"
    level: int
    numbered: bool = True
    label: str | None = None  # fixed number such as "Reference 1" (printed as "Reference 1: Title")
    editions: frozenset[int] = BOTH


@dataclass(frozen=True)
class Para:
    """Running text.  Markup: "[^key]" footnote call, "{a:key}" amount, "{d:key}" date."""

    key: str
    text: str
    kind: str = "paragraph"  # "paragraph" | "bullet" | "reference"
    editions: frozenset[int] = BOTH


@dataclass(frozen=True)
class Cell:
    """A header cell that may span several grid slots."""

    text: str
    colspan: int = 1
    rowspan: int = 1


@dataclass(frozen=True)
class TableSpec:
    """A ruled table; header rows are repeated when the table breaks across pages."""

    key: str
    caption: str
    columns: tuple[float, ...]  # relative column widths
    header: tuple[tuple[Cell | None, ...], ...]  # None marks a slot covered by a span
    rows: tuple[tuple[str, ...], ...]
    force_split: bool = False  # break before the last rows even if the table would fit
    editions: frozenset[int] = BOTH


@dataclass(frozen=True)
class FigureSpec:
    """A grouped bar chart; its labels live inside the figure box, not in running text."""

    key: str
    caption: str
    source: str
    categories: tuple[str, ...]
    series: tuple[tuple[str, tuple[float, ...]], ...]
    unit: str
    y_max: float
    y_step: float
    editions: frozenset[int] = BOTH


@dataclass(frozen=True)
class PageBreak:
    """Start a new page; `body_start` switches the folios from roman to arabic."""

    body_start: bool = False
    editions: frozenset[int] = BOTH


Block = Heading | Para | TableSpec | FigureSpec | PageBreak


@dataclass(frozen=True)
class FootnoteSpec:
    """Footnote text; `split_after` keeps only that many lines on the call page."""

    text: str
    split_after: int | None = None


@dataclass(frozen=True)
class AmountFact:
    """A monetary amount as written and as a machine value."""

    text: str
    value: float
    currency: str
    approximate: bool = False
    value_high: float | None = None
    period: str | None = None


@dataclass(frozen=True)
class FlowFact:
    """Who provides an amount, who receives it, the years it is for and the amount it restates (by key)."""

    from_: tuple[str, ...] = ()
    to: tuple[str, ...] = ()
    period: tuple[int, int] | None = None
    restates: str | None = None


@dataclass(frozen=True)
class DateFact:
    """A date or period as written, with ISO bounds at the given precision."""

    text: str
    start: str
    end: str
    precision: str  # "day" | "month" | "year"


@dataclass(frozen=True)
class PersonSpec:
    """A person and every surface form used for them in the text."""

    name: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class OrgSpec:
    """An organisation; the bare acronym only counts inside `acronym_scope` chapters."""

    name: str
    acronym: str | None = None
    aliases: tuple[str, ...] = ()
    acronym_scope: tuple[str, ...] | None = None  # chapter keys, None = whole report


# ---------------------------------------------------------------------------------------------
# Rich text and line breaking
# ---------------------------------------------------------------------------------------------

_MARKUP = re.compile(r"\[\^(?P<fn>\w+)\]|\{(?P<kind>[ad]):(?P<key>\w+)\}|(?P<brk>\{-\})")
_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff]")
_HARD_HYPHEN = re.compile(r"(?<=[A-Za-z])-(?=[A-Za-z])")


@dataclass(frozen=True)
class FactSpan:
    """Where a placeholder fact ended up in the reader text."""

    kind: str  # "a" amount | "d" date
    key: str
    start: int
    end: int


@dataclass(frozen=True)
class RichText:
    """Reader text plus what the typesetter needs: calls, facts and break points."""

    text: str
    calls: dict[int, tuple[int, ...]]  # offset -> footnote numbers (call follows text[offset-1])
    facts: tuple[FactSpan, ...] = ()
    breaks: dict[int, str] = field(default_factory=dict)  # offset -> "soft" | "hard"
    forced: tuple[int, ...] = ()  # hard-hyphen offsets that must end a line ("{-}" in the source)


def plain(text: str) -> RichText:
    """Unbreakable text without markup (table cells, captions, TOC entries)."""
    return RichText(text, {})


def parse_rich(
    source: str,
    fact_text: Callable[[str, str], str],
    footnote_number: Callable[[str], int],
    hyphenate: bool,
) -> RichText:
    """Resolve markup into reader text, remembering where calls and facts sit.

    "{-}" is a real hyphen that the typesetter must put at a line end, so that every
    rendering contains a compound such as "Lindqvist-" / "Barros" that must not be joined.
    """
    if "  " in source:
        raise ValueError(f"double space in source text: {source[:60]!r}")
    parts: list[str] = []
    calls: dict[int, tuple[int, ...]] = {}
    facts: list[FactSpan] = []
    forced: list[int] = []
    length = pos = 0
    for match in _MARKUP.finditer(source):
        chunk = source[pos : match.start()]
        parts.append(chunk)
        length += len(chunk)
        if match["fn"]:
            calls[length] = (*calls.get(length, ()), footnote_number(match["fn"]))
        elif match["brk"]:
            parts.append("-")
            length += 1
            forced.append(length)
        else:
            value = fact_text(match["kind"], match["key"])
            facts.append(FactSpan(match["kind"], match["key"], length, length + len(value)))
            parts.append(value)
            length += len(value)
        pos = match.end()
    parts.append(source[pos:])
    text = "".join(parts)
    breaks = break_points(text) if hyphenate else {}
    breaks.update(dict.fromkeys(forced, "hard"))
    return RichText(text, calls, tuple(facts), breaks, tuple(forced))


def break_points(text: str) -> dict[int, str]:
    """Soft points come from the hyphenation dictionary, hard ones from real compounds."""
    points: dict[int, str] = {}
    for word in re.finditer(r"\S+", text):
        if "/" in word.group() or "@" in word.group():
            continue  # never break URLs
        for hyphen in _HARD_HYPHEN.finditer(word.group()):
            points[word.start() + hyphen.end()] = "hard"
        for core in re.finditer(r"[A-Za-z]+", word.group()):
            pattern = HYPHENATION.get(core.group().lower())
            offset = word.start() + core.start()
            for piece in (pattern or "").split("-")[:-1]:
                offset += len(piece)
                points[offset] = "soft"
    return points


@dataclass(frozen=True)
class Run:
    """A piece of a line set in one font, size and baseline shift."""

    text: str
    font: str
    size: float
    rise: float = 0.0

    @property
    def width(self) -> float:
        return pdfmetrics.stringWidth(self.text, self.font, self.size)


@dataclass(frozen=True)
class Line:
    """One typeset line, with the reader-text range it covers."""

    runs: tuple[Run, ...]
    width: float
    spaces: int
    start: int
    end: int
    calls: tuple[int, ...]
    hyphen: str | None  # how the last word was broken: "soft", "hard" or None
    last: bool


@dataclass(frozen=True)
class Setter:
    """Font settings of a text block, including how footnote calls look in it."""

    font: str
    size: float
    call: str = "superscript"

    def text(self, text: str) -> Run:
        return Run(text, self.font, self.size)

    def call_run(self, numbers: Sequence[int]) -> Run:
        label = ",".join(str(n) for n in numbers)
        if self.call == "superscript":
            return Run(label, self.font, round(self.size * 0.58, 2), round(self.size * 0.36, 2))
        return Run(f"[{label}]", self.font, self.size)


SMALL_CAPS_RATIO = 0.78


def small_caps(runs: Iterable[Run]) -> tuple[Run, ...]:
    """Lower-case letters as capitals at a smaller size, on the same baseline (raised calls stay as they are)."""
    out: list[Run] = []
    for run in runs:
        if run.rise:
            out.append(run)
            continue
        for ch in run.text:
            small = ch.islower()
            out.append(Run(ch.upper() if small else ch, run.font, run.size * (SMALL_CAPS_RATIO if small else 1.0)))
    return _merge(out)


def _merge(runs: Iterable[Run]) -> tuple[Run, ...]:
    """Join neighbouring runs with the same font so each line is drawn in few operators."""
    out: list[Run] = []
    for run in runs:
        if out and (out[-1].font, out[-1].size, out[-1].rise) == (run.font, run.size, run.rise):
            out[-1] = Run(out[-1].text + run.text, run.font, run.size, run.rise)
        else:
            out.append(run)
    return tuple(out)


class _LineBuilder:
    """Measures and assembles word segments of one RichText."""

    def __init__(self, rt: RichText, setter: Setter) -> None:
        self.rt = rt
        self.setter = setter

    def runs(self, start: int, end: int, soft: bool) -> list[Run]:
        runs: list[Run] = []
        cursor = start
        for offset in sorted(o for o in self.rt.calls if start < o <= end):
            if offset > cursor:
                runs.append(self.setter.text(self.rt.text[cursor:offset]))
            runs.append(self.setter.call_run(self.rt.calls[offset]))
            cursor = offset
        if end > cursor:
            runs.append(self.setter.text(self.rt.text[cursor:end]))
        if soft:
            runs.append(self.setter.text("-"))
        return runs

    def width(self, start: int, end: int, soft: bool) -> float:
        return sum(run.width for run in self.runs(start, end, soft))

    def best_cut(self, start: int, end: int, room: float) -> int | None:
        for cut in sorted((p for p in self.rt.breaks if start < p < end), reverse=True):
            if self.width(start, cut, self.rt.breaks[cut] == "soft") <= room + EPS:
                return cut
        return None

    def line(self, segments: Sequence[tuple[int, int, bool]], hyphen: str | None, last: bool) -> Line:
        runs: list[Run] = []
        for i, (start, end, soft) in enumerate(segments):
            if i:
                runs.append(self.setter.text(" "))
            runs.extend(self.runs(start, end, soft))
        merged = _merge(runs)
        calls = tuple(
            n
            for start, end, _ in segments
            for offset in sorted(self.rt.calls)
            if start < offset <= end
            for n in self.rt.calls[offset]
        )
        return Line(
            runs=merged,
            width=sum(run.width for run in merged),
            spaces=len(segments) - 1,
            start=segments[0][0],
            end=segments[-1][1],
            calls=calls,
            hyphen=hyphen,
            last=last,
        )


def break_lines(rt: RichText, width: float, setter: Setter, min_fill: float = 0.75) -> list[Line]:
    """Break into lines; paragraphs with forced breaks get a search, all others first-fit."""
    if rt.forced:
        fitted = fitted_lines(rt, width, setter, min_fill)
        if fitted is not None:
            return fitted
    return greedy_lines(rt, width, setter)


def _line_ends(rt: RichText) -> list[tuple[int, int, str | None]]:
    """Every place a line may end: (end offset, start of the next line, hyphen kind)."""
    words = [m.span() for m in re.finditer(r"\S+", rt.text)]
    ends: list[tuple[int, int, str | None]] = []
    for i, (start, end) in enumerate(words):
        ends += [(p, p, rt.breaks[p]) for p in sorted(q for q in rt.breaks if start < q < end)]
        ends.append((end, words[i + 1][0] if i + 1 < len(words) else end, None))
    return ends


def _segments(rt: RichText, start: int, end: int, hyphen: str | None) -> list[tuple[int, int, bool]]:
    words = [m.span() for m in re.finditer(r"\S+", rt.text) if m.end() > start and m.start() < end]
    return [(max(s, start), min(e, end), hyphen == "soft" and e > end) for s, e in words]


def fitted_lines(rt: RichText, width: float, setter: Setter, min_fill: float) -> list[Line] | None:
    """Total-fit breaking that honours forced breaks, like a typesetter nudging earlier breaks.

    Minimises the emptiest line's slack (then the summed squared slack) over all but the
    last line, so the forced break does not leave a visibly loose line.
    """
    builder = _LineBuilder(rt, setter)
    ends = _line_ends(rt)
    text_end = ends[-1][0]
    Solution = tuple[tuple[float, float], list[Line]]
    best: dict[int, Solution | None] = {}

    def solve(start: int) -> Solution | None:
        if start in best:
            return best[start]
        must = min((f for f in rt.forced if f > start), default=None)
        options: list[Solution] = []
        for end, nxt, hyphen in (e for e in ends if e[0] > start and (must is None or e[0] <= must)):
            line = builder.line(_segments(rt, start, end, hyphen), hyphen, last=end == text_end)
            if line.width > width + EPS:
                break
            if line.last:
                options.append(((0.0, 0.0), [line]))
                continue
            slack = 1 - line.width / width
            rest = solve(nxt) if slack <= 1 - min_fill else None
            if rest is not None:
                (worst, total), lines = rest
                options.append(((max(worst, slack), total + slack**2), [line, *lines]))
        best[start] = min(options, key=lambda o: o[0]) if options else None
        return best[start]

    solved = solve(0)
    return solved[1] if solved else None


def greedy_lines(rt: RichText, width: float, setter: Setter) -> list[Line]:
    """Greedy first-fit breaking; a word that does not fit is split at its last usable point."""
    builder = _LineBuilder(rt, setter)
    space = pdfmetrics.stringWidth(" ", setter.font, setter.size)
    lines: list[Line] = []
    current: list[tuple[int, int, bool]] = []
    used = 0.0
    for word in re.finditer(r"\S+", rt.text):
        start, end = word.span()
        while start < end:
            gap = space if current else 0.0
            full = builder.width(start, end, soft=False)
            if used + gap + full <= width + EPS:
                current.append((start, end, False))
                used += gap + full
                break
            cut = builder.best_cut(start, end, width - used - gap)
            if cut is not None:
                current.append((start, cut, rt.breaks[cut] == "soft"))
                lines.append(builder.line(current, rt.breaks[cut], last=False))
                current, used, start = [], 0.0, cut
            elif current:
                lines.append(builder.line(current, None, last=False))
                current, used = [], 0.0
            else:  # an unbreakable word wider than the measure overflows, as in real reports
                current.append((start, end, False))
                used = full
                break
    if current:
        lines.append(builder.line(current, None, last=True))
    return lines


# ---------------------------------------------------------------------------------------------
# Drawing primitives (called at render time with the canvas)
# ---------------------------------------------------------------------------------------------

Op = Callable[[Canvas], None]


def _draw_runs(
    c: Canvas, x: float, y: float, runs: Sequence[Run], word_space: float = 0.0, colour: Sequence[float] | None = None
) -> None:
    text = c.beginText(x, y)
    if colour is not None:
        text.setFillColorRGB(*colour)
    text.setWordSpace(word_space)
    for run in runs:
        text.setFont(run.font, run.size)
        text.setRise(run.rise)
        text.textOut(run.text)
    text.setRise(0)  # the text rise outlives the text object: a line ending in a call would raise the next string
    if colour is not None:
        text.setFillColorRGB(0, 0, 0)
    c.drawText(text)


def _draw_string(
    c: Canvas,
    x: float,
    y: float,
    text: str,
    font: str,
    size: float,
    anchor: str = "start",
    colour: Sequence[float] | None = None,
) -> None:
    c.setFont(font, size)
    if colour is not None:
        c.setFillColorRGB(*colour)
    {"start": c.drawString, "middle": c.drawCentredString, "end": c.drawRightString}[anchor](x, y, text)
    if colour is not None:
        c.setFillColorRGB(0, 0, 0)


def _draw_rule(c: Canvas, x1: float, y1: float, x2: float, y2: float, width: float = 0.5) -> None:
    c.saveState()
    c.setLineWidth(width)
    c.line(x1, y1, x2, y2)
    c.restoreState()


def _draw_box(
    c: Canvas,
    x: float,
    y: float,
    w: float,
    h: float,
    fill: tuple[float, float, float] | None = None,
    stroke: float | None = 0.5,
) -> None:
    c.saveState()
    if fill is not None:
        c.setFillColorRGB(*fill)
    if stroke is not None:
        c.setLineWidth(stroke)
    c.rect(x, y, w, h, stroke=int(stroke is not None), fill=int(fill is not None))
    c.restoreState()


# ---------------------------------------------------------------------------------------------
# Bar chart geometry
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChartText:
    """A label drawn inside the figure box."""

    x: float
    y: float
    text: str
    size: float
    anchor: str  # "start" | "middle" | "end"


@dataclass(frozen=True)
class ChartBar:
    x: float
    y: float
    w: float
    h: float
    series: int


def chart_geometry(
    fig: FigureSpec, x: float, y: float, w: float, h: float
) -> tuple[tuple[float, float, float, float], list[ChartBar], list[ChartText]]:
    """Plot area, bars and labels of a grouped bar chart inside the box (x, y, w, h)."""
    px, py = x + 46, y + 24
    pw, ph = w - 46 - 14, h - 24 - 34
    texts = [ChartText(x + 8, y + h - 16, fig.unit, 7.5, "start")]
    steps = round(fig.y_max / fig.y_step)
    texts += [ChartText(px - 4, py + ph * i / steps - 2.5, f"{fig.y_step * i:g}", 7, "end") for i in range(steps + 1)]
    group = pw / len(fig.categories)
    bar_w = group * 0.7 / len(fig.series)
    bars: list[ChartBar] = []
    for i, category in enumerate(fig.categories):
        texts.append(ChartText(px + (i + 0.5) * group, py - 11, category, 7, "middle"))
        for j, (_, values) in enumerate(fig.series):
            bar_h = ph * values[i] / fig.y_max
            bars.append(ChartBar(px + i * group + group * 0.15 + j * bar_w, py, bar_w, bar_h, j))
    for j, (name, _) in enumerate(fig.series):
        kx, ky = legend_key(fig, x, y, w, h, j)
        texts.append(ChartText(kx + 12, ky + 2, name, 7.5, "start"))
    return (px, py, pw, ph), bars, texts


def legend_key(fig: FigureSpec, x: float, y: float, w: float, h: float, j: int) -> tuple[float, float]:
    """Lower-left corner of series ``j``'s colour key: side by side, or stacked when the box is narrow."""
    px = x + 46
    if px + 80 + len(fig.series) * 110 <= x + w:
        return px + 80 + j * 110, y + h - 18
    return px + 40, y + h - 18 - 10 * j


def _draw_chart(c: Canvas, fig: FigureSpec, x: float, y: float, w: float, h: float, style: ReportStyle) -> None:
    (px, py, pw, ph), bars, texts = chart_geometry(fig, x, y, w, h)
    c.saveState()
    c.setStrokeColorRGB(0.6, 0.6, 0.6)
    c.setLineWidth(0.6)
    c.rect(x, y, w, h)
    c.setStrokeColorRGB(0.85, 0.85, 0.85)
    steps = round(fig.y_max / fig.y_step)
    for i in range(1, steps + 1):
        c.line(px, py + ph * i / steps, px + pw, py + ph * i / steps)
    c.setStrokeColorRGB(0, 0, 0)
    c.line(px, py, px + pw, py)
    c.line(px, py, px, py + ph)
    for bar in bars:
        c.setFillColorRGB(*style.chart_colors[bar.series])
        c.rect(bar.x, bar.y, bar.w, bar.h, stroke=0, fill=1)
    for j in range(len(fig.series)):
        c.setFillColorRGB(*style.chart_colors[j])
        c.rect(*legend_key(fig, x, y, w, h, j), 8, 8, stroke=0, fill=1)
    c.setFillColorRGB(0, 0, 0)
    for t in texts:
        _draw_string(c, t.x, t.y, t.text, style.sans_font, t.size, t.anchor)
    c.restoreState()


# ---------------------------------------------------------------------------------------------
# Layout engine
# ---------------------------------------------------------------------------------------------


class LayoutError(RuntimeError):
    """The content cannot be laid out (e.g. the TOC would need a second page)."""


class _Spanned(Protocol):
    start: int
    end: int
    page: int


@dataclass
class _Span:
    start: int
    end: int
    page: int


@dataclass
class _NoteLine:
    """One footnote line waiting for (or placed in) a page's footnote area."""

    number: int
    line: Line
    first: bool
    page: int = 0

    @property
    def start(self) -> int:
        return self.line.start

    @property
    def end(self) -> int:
        return self.line.end


@dataclass
class _Region:
    """A piece of text whose offsets can be mapped back to pages (for fact pages)."""

    text: str
    chapter: str | None
    spans: list[_Spanned]
    facts: tuple[FactSpan, ...] = ()

    def page_at(self, offset: int) -> int:
        for span in self.spans:
            if offset < span.end:
                return span.page
        return self.spans[-1].page


@dataclass
class _Page:
    kind: str  # "cover" | "front" | "body"
    ops: list[Op] = field(default_factory=list)
    notes: list[_NoteLine] = field(default_factory=list)


@dataclass
class _CellBox:
    row: int
    col: int
    rowspan: int
    colspan: int
    lines: list[Line]
    align: str


@dataclass
class _TableMetrics:
    """A table measured for the current style, before it is placed."""

    caption: str
    cap_lines: list[Line]
    cap_lead: float
    xs: list[float]
    widths: list[float]
    head: list[_CellBox]
    head_h: list[float]
    rows: list[tuple[list[_CellBox], float]]

    @property
    def lead_in(self) -> float:
        """Caption, gap and header: what must stay together with the first row."""
        return len(self.cap_lines) * self.cap_lead + 4 + sum(self.head_h)


class _Layout:
    """Places the blocks of one report edition page by page and records where they went."""

    def __init__(self, style: ReportStyle, edition: int) -> None:
        self.style = style
        self.edition = edition
        self.facts = fact_table(edition)
        width, height = style.page_size
        self.page_w, self.page_h = width, height
        self.page_left = style.margins[0]
        self.page_width = width - style.margins[0] - style.margins[1]
        self.top = height - style.margins[2]
        self.bottom = style.margins[3]
        self.pages: list[_Page] = []
        self.y = self.top
        # the frame text flows in: a column of the current region, or the full width while spanning
        self.col = 0
        self.region_top = self.top  # where the columns of the current region start on this page
        self.col_low = self.top  # the lowest text of the region's finished columns
        self.spanning = False
        self.left, self.width = self.column_frame(0)
        self.carry: list[_NoteLine] = []
        self.note_lines: dict[int, list[_NoteLine]] = {}
        self.note_keys: dict[str, int] = {}
        self.footnotes: dict[int, dict] = {}
        self.sections: list[dict] = []
        self.paragraphs: list[dict] = []
        self.tables: list[dict] = []
        self.figures: list[dict] = []
        self.hyphenations: list[tuple[dict, _Spanned]] = []  # page resolved once notes are placed
        self.regions: list[_Region] = []
        self.section_title = ""
        self.chapter: str | None = None
        self.last_kind: str | None = None
        self.body_start = 0

    # -- pages and vertical space ----------------------------------------------------------

    @property
    def page_no(self) -> int:
        return len(self.pages)

    @property
    def page(self) -> _Page:
        return self.pages[-1]

    def new_page(self, kind: str | None = None) -> None:
        self.pages.append(_Page(kind or self.page.kind))
        self.y = self.region_top = self.col_low = self.top
        self.col = 0
        if not self.spanning:
            self.left, self.width = self.column_frame(0)
        carried, self.carry = self.carry, []
        self.put_notes(carried)

    def column_frame(self, col: int) -> tuple[float, float]:
        """Left edge and width of text column ``col``."""
        n, gap = self.style.columns, self.style.column_gap
        width = (self.page_width - (n - 1) * gap) / n
        return self.page_left + col * (width + gap), width

    def next_frame(self) -> None:
        """Text goes on at the top of the region's next column, or on a new page."""
        if self.spanning or self.col + 1 >= self.style.columns:
            self.new_page()
            return
        self.col_low = min(self.col_low, self.y)
        self.col += 1
        self.y = self.region_top
        self.left, self.width = self.column_frame(self.col)

    @contextmanager
    def spanning_frame(self) -> Iterator[None]:
        """Set a chapter title or table across all columns; the columns start again below it."""
        if self.style.columns == 1:
            yield
            return
        if self.col > 0:
            self.new_page()
        self.spanning = True
        self.left, self.width = self.page_left, self.page_width
        try:
            yield
        finally:
            self.spanning = False
            self.col = 0
            self.region_top = self.col_low = self.y
            self.left, self.width = self.column_frame(0)

    def op(self, fn: Callable[..., None], **kwargs: object) -> None:
        self.page.ops.append(partial(fn, **kwargs))

    def notes_height(self, n: int) -> float:
        return 0.0 if n == 0 else NOTE_SEP + n * self.style.footnote_leading

    def fits(self, height: float, extra_notes: int = 0) -> bool:
        """Room for ``height`` above the notes; new notes may not grow over a finished column's text."""
        limit = self.bottom + self.notes_height(len(self.page.notes) + extra_notes)
        return self.y - height >= limit - EPS and (not extra_notes or self.col_low >= limit - EPS)

    def skip(self, space: float) -> None:
        """Vertical space, swallowed at the top of a page."""
        if self.y < self.top - EPS:
            self.y -= space

    def ensure(self, height: float) -> None:
        if not self.fits(height):
            self.next_frame()

    # -- footnotes ---------------------------------------------------------------------------

    def footnote_number(self, key: str) -> int:
        """Number footnotes in order of their first call and typeset them right away."""
        if key in self.note_keys:
            return self.note_keys[key]
        number = len(self.note_keys) + 1
        self.note_keys[key] = number
        spec = FOOTNOTES[key]
        rt = parse_rich(spec.text, self.fact_text, _no_calls, hyphenate=True)
        setter = Setter(self.style.footnote_font, self.style.footnote_size, self.style.footnote_call)
        lines = break_lines(rt, self.page_width - self.style.note_indent, setter)
        self.note_lines[number] = [_NoteLine(number, line, i == 0) for i, line in enumerate(lines)]
        self.footnotes[number] = {"number": number, "key": key, "text": rt.text, "n_lines": len(lines)}
        self.regions.append(_Region(rt.text, self.chapter, list(self.note_lines[number]), rt.facts))
        self.track_hyphens(rt, lines, self.note_lines[number], "footnote")
        return number

    def put_notes(self, lines: Iterable[_NoteLine]) -> None:
        for note in lines:
            note.page = self.page_no
            self.page.notes.append(note)
            record = self.footnotes[note.number]
            record.setdefault("page", self.page_no)
            record["page_end"] = self.page_no

    def plan_notes(self, height: float, calls: Sequence[int]) -> tuple[list[_NoteLine], list[_NoteLine]] | None:
        """Decide which footnote lines go on this page; None means the line must move on."""
        if self.carry:  # an earlier note already continues overleaf: later notes follow it there
            return ([], [n for c in calls for n in self.note_lines[c]]) if self.fits(height) else None
        now: list[_NoteLine] = []
        later: list[_NoteLine] = []
        for number in calls:
            lines = self.note_lines[number]
            keep = 0 if later else (FOOTNOTES[self.footnotes[number]["key"]].split_after or len(lines))
            now += lines[:keep]
            later += lines[keep:]
        if self.fits(height, len(now)):
            return now, later
        floor = min(self.y - height, self.col_low)
        room = int((floor - self.bottom - NOTE_SEP) / self.style.footnote_leading + EPS)
        room -= len(self.page.notes)
        last_first = max((i for i, n in enumerate(now) if n.first), default=-1)
        if last_first < room < len(now):  # split naturally: every note starts on its call page
            return now[:room], now[room:] + later
        return None

    def place(self, height: float, calls: Sequence[int] = ()) -> float:
        """Reserve a line box plus the footnotes it calls; return the top of the box."""
        for _ in range(self.style.columns + 1):
            plan = self.plan_notes(height, calls)
            if plan is not None:
                now, later = plan
                self.put_notes(now)
                self.carry.extend(later)
                for number in calls:
                    self.footnotes[number]["call_page"] = self.page_no
                top = self.y
                self.y -= height
                return top
            self.next_frame()
        raise LayoutError("a line and its footnotes do not fit on an empty page")

    # -- text blocks -------------------------------------------------------------------------

    def fact_text(self, kind: str, key: str) -> str:
        return self.facts[kind][key].text

    def rich(self, source: str, hyphenate: bool) -> RichText:
        return parse_rich(source, self.fact_text, self.footnote_number, hyphenate)

    def setter(self, font: str, size: float) -> Setter:
        return Setter(font, size, self.style.footnote_call)

    def word_space(self, line: Line, width: float, justify: bool) -> float:
        if not justify or line.last or not line.spaces:
            return 0.0
        extra = (width - line.width) / line.spaces
        return extra if extra < 3 * self.style.body_size / 4 else 0.0

    def track_hyphens(self, rt: RichText, lines: Sequence[Line], spans: Sequence[_Spanned], where: str) -> None:
        """Record every word broken at a line end, so tests can demand both kinds."""
        for line, span in zip(lines, spans, strict=True):
            if line.hyphen is None:
                continue
            start = rt.text.rfind(" ", 0, line.end) + 1
            end = rt.text.find(" ", line.end)
            end = len(rt.text) if end < 0 else end
            record = {
                "kind": line.hyphen,
                "line_end": rt.text[start : line.end] + ("-" if line.hyphen == "soft" else ""),
                "next_line_start": rt.text[line.end : end],
                "joined": rt.text[start:end],
                "in": where,
            }
            self.hyphenations.append((record, span))

    def paragraph(self, para: Para) -> None:
        st = self.style
        rt = self.rich(para.text, hyphenate=True)
        indent = {"paragraph": 0.0, "bullet": 16.0, "reference": 18.0}[para.kind]
        lines = break_lines(rt, self.width - indent, self.setter(st.body_font, st.body_size))
        if self.last_kind != "heading":
            self.skip(2.0 if para.kind == self.last_kind != "paragraph" else st.para_gap)
        spans: list[_Span] = []
        frames: set[tuple[int, int]] = set()
        for i, line in enumerate(lines):
            top = self.place(st.leading, line.calls)
            frames.add((self.page_no, self.col))
            baseline = top - st.leading * 0.78
            x = self.left + (0.0 if para.kind == "reference" and i == 0 else indent)
            width = self.width - indent
            runs = line.runs
            self.op(_draw_runs, x=x, y=baseline, runs=runs, word_space=self.word_space(line, width, st.justify))
            if para.kind == "bullet" and i == 0:
                self.op(_draw_string, x=self.left + 4, y=baseline, text=st.bullet, font=st.body_font, size=st.body_size)
            spans.append(_Span(line.start, line.end, self.page_no))
        self.track_hyphens(rt, lines, spans, "paragraph")
        self.regions.append(_Region(rt.text, self.chapter, list(spans), rt.facts))
        self.paragraphs.append(
            {
                "key": para.key,
                "kind": para.kind,
                "text": rt.text,
                "page": spans[0].page,
                "page_end": spans[-1].page,
                "frames": len(frames),  # columns (or pages) the paragraph runs over
                "section_title": self.section_title,
            }
        )
        self.last_kind = para.kind

    def heading(self, h: Heading, number: str | None) -> None:
        st = self.style
        lvl = st.headings[h.level - 1]
        rt = self.rich(h.title, hyphenate=False)
        prefix = f"{number}{':' if h.label else ''}" if number else ""
        indent = pdfmetrics.stringWidth(prefix + "  ", lvl.font, lvl.size) if prefix else 0.0
        above = lvl.number_above and bool(prefix)
        indent = 0.0 if above else indent
        lines = break_lines(rt, self.width - indent, self.setter(lvl.font, lvl.size))
        self.skip(lvl.space_before)
        self.ensure((len(lines) + above) * lvl.leading + lvl.space_after + 2 * st.leading)
        page = 0
        spans: list[_Span] = []
        if above:  # the number on a line of its own over the title
            baseline = self.place(lvl.leading) - lvl.leading * 0.78
            page = self.page_no
            runs = (Run(prefix, lvl.font, lvl.size),)
            runs = small_caps(runs) if lvl.small_caps else runs
            x = self.left + ((self.width - sum(r.width for r in runs)) / 2 if lvl.centred else 0.0)
            self.op(_draw_runs, x=x, y=baseline, runs=runs, colour=lvl.colour)
            prefix = ""
        for i, line in enumerate(lines):
            top = self.place(lvl.leading, line.calls)
            baseline = top - lvl.leading * 0.78
            page = page or self.page_no
            runs = small_caps(line.runs) if lvl.small_caps else line.runs
            lead = (prefix + "  ") if i == 0 and prefix else ""
            lead_runs = (
                small_caps((Run(lead, lvl.font, lvl.size),)) if lvl.small_caps else (Run(lead, lvl.font, lvl.size),)
            )
            width = sum(r.width for r in lead_runs + runs)
            x = self.left + ((self.width - width) / 2 if lvl.centred else 0.0)
            if lead and (lvl.small_caps or lvl.centred):
                self.op(_draw_runs, x=x, y=baseline, runs=lead_runs, colour=lvl.colour)
            elif lead:
                self.op(
                    _draw_string, x=self.left, y=baseline, text=prefix, font=lvl.font, size=lvl.size, colour=lvl.colour
                )
            x_text = x + sum(r.width for r in lead_runs) if lvl.centred else self.left + indent
            self.op(_draw_runs, x=x_text, y=baseline, runs=runs, colour=lvl.colour)
            if lvl.underline:
                under = baseline - 0.15 * lvl.size
                self.op(_draw_rule, x1=x_text, y1=under, x2=x_text + sum(r.width for r in runs), y2=under, width=0.5)
            spans.append(_Span(line.start, line.end, self.page_no))
        self.skip(lvl.space_after)
        if h.level == 1:
            self.chapter = h.key
        self.regions.append(_Region(rt.text, self.chapter, list(spans)))
        self.section_title = rt.text
        self.last_kind = "heading"
        self.sections.append(
            {
                "key": h.key,
                "number": number,
                "title": rt.text,
                "level": h.level,
                "page": page,
                "in_toc": h.level <= 3,
                "n_lines": len(lines),
            }
        )

    # -- tables ------------------------------------------------------------------------------

    def cell_lines(self, text: str, bold: bool, width: float) -> list[Line]:
        st = self.style
        font = CJK_FONT if _CJK.search(text) else (st.bold_font if bold else st.body_font)
        return break_lines(plain(text), width, Setter(font, st.table_size))

    @property
    def cell_leading(self) -> float:
        return self.style.table_size * 1.25

    def table_geometry(self, t: TableSpec) -> tuple[list[float], list[float]]:
        total = sum(t.columns)
        widths = [self.width * c / total for c in t.columns]
        xs = [self.left + sum(widths[:i]) for i in range(len(widths))]
        return xs, widths

    def header_boxes(self, t: TableSpec, widths: Sequence[float]) -> tuple[list[_CellBox], list[float]]:
        boxes = []
        for r, row in enumerate(t.header):
            for col, cell in enumerate(row):
                if cell is not None:
                    w = sum(widths[col : col + cell.colspan]) - 2 * CELL_PAD
                    lines = self.cell_lines(cell.text, True, w)
                    boxes.append(_CellBox(r, col, cell.rowspan, cell.colspan, lines, "middle"))
        heights = [self.cell_leading + 2 * CELL_PAD] * len(t.header)
        for box in sorted(boxes, key=lambda b: b.rowspan):
            need = len(box.lines) * self.cell_leading + 2 * CELL_PAD
            have = sum(heights[box.row : box.row + box.rowspan])
            if need > have:
                heights[box.row + box.rowspan - 1] += need - have
        return boxes, heights

    def body_boxes(self, row: Sequence[str], r: int, widths: Sequence[float]) -> tuple[list[_CellBox], float]:
        boxes = []
        for col, text in enumerate(row):
            align = "end" if re.fullmatch(r"[\d.,]+", text) else "start"
            boxes.append(_CellBox(r, col, 1, 1, self.cell_lines(text, False, widths[col] - 2 * CELL_PAD), align))
        height = max(len(b.lines) for b in boxes) * self.cell_leading + 2 * CELL_PAD
        return boxes, height

    def draw_cells(
        self,
        boxes: Sequence[_CellBox],
        top: float,
        heights: Sequence[float],
        xs: Sequence[float],
        widths: Sequence[float],
        header: bool,
        first_row: int = 0,
    ) -> None:
        lead = self.cell_leading
        rules = self.style.table_rules
        if rules == "shaded" and not header and first_row % 2 == 0:
            self.op(_draw_box, x=xs[0], y=top - sum(heights), w=sum(widths), h=sum(heights), fill=SHADE, stroke=None)
        for box in boxes:
            r = box.row - first_row
            x, w = xs[box.col], sum(widths[box.col : box.col + box.colspan])
            y_top = top - sum(heights[:r])
            h = sum(heights[r : r + box.rowspan])
            if rules == "grid":
                self.op(_draw_box, x=x, y=y_top - h, w=w, h=h, fill=(0.9, 0.9, 0.9) if header else None)
            elif rules == "shaded" and header:
                self.op(_draw_box, x=x, y=y_top - h, w=w, h=h, fill=HEADER_SHADE, stroke=None)
            text_top = y_top - (h - len(box.lines) * lead) / 2 if header else y_top - CELL_PAD
            for i, line in enumerate(box.lines):
                baseline = text_top - (i + 1) * lead + lead * 0.25
                lx = {"start": x + CELL_PAD, "middle": x + (w - line.width) / 2, "end": x + w - CELL_PAD - line.width}
                self.op(_draw_runs, x=lx[box.align], y=baseline, runs=line.runs)

    def table_metrics(self, t: TableSpec) -> _TableMetrics:
        st = self.style
        caption = f"Table {len(self.tables) + 1}: {t.caption}"
        xs, widths = self.table_geometry(t)
        head, head_h = self.header_boxes(t, widths)
        return _TableMetrics(
            caption=caption,
            cap_lines=break_lines(plain(caption), self.width, Setter(st.caption_font, st.caption_size)),
            cap_lead=st.caption_size * 1.3,
            xs=xs,
            widths=widths,
            head=head,
            head_h=head_h,
            rows=[self.body_boxes(row, r, widths) for r, row in enumerate(t.rows)],
        )

    def table_fits_whole(self, t: TableSpec) -> bool:
        """Would the whole table (after its leading space) fit on the current page?"""
        m = self.table_metrics(t)
        gap = self.style.para_gap * 2 if self.y < self.top - EPS else 0.0
        return self.fits(gap + m.lead_in + sum(h for _, h in m.rows))

    def table(self, t: TableSpec) -> None:
        st = self.style
        m = self.table_metrics(t)
        self.skip(st.para_gap * 2)
        self.ensure(m.lead_in + m.rows[0][1])  # caption and header stay with the first row
        page = 0
        for line in m.cap_lines:
            top = self.place(m.cap_lead)
            page = page or self.page_no
            self.op(_draw_runs, x=self.left, y=top - m.cap_lead * 0.78, runs=line.runs)
        self.y -= 4
        self.regions.append(_Region(m.caption, self.chapter, [_Span(0, len(m.caption), page)]))

        left, right = m.xs[0], m.xs[0] + sum(m.widths)
        ruled = st.table_rules in ("three_rule", "horizontal")

        def draw_header() -> None:
            top = self.place(sum(m.head_h))
            self.draw_cells(m.head, top, m.head_h, m.xs, m.widths, header=True)
            if ruled:
                self.op(_draw_rule, x1=left, y1=top, x2=right, y2=top, width=1.0)
                under = top - sum(m.head_h)
                self.op(_draw_rule, x1=left, y1=under, x2=right, y2=under, width=0.5)
                for box in m.head:  # partial rules under spanning header cells (booktabs' cmidrule)
                    if box.colspan > 1 and box.row + box.rowspan < len(m.head_h):
                        y = top - sum(m.head_h[: box.row + box.rowspan])
                        x, w = m.xs[box.col], sum(m.widths[box.col : box.col + box.colspan])
                        self.op(_draw_rule, x1=x + CELL_PAD, y1=y, x2=x + w - CELL_PAD, y2=y, width=0.4)
            for box in m.head:
                text = t.header[box.row][box.col].text  # type: ignore[union-attr]
                self.regions.append(_Region(text, self.chapter, [_Span(0, len(text), self.page_no)]))

        draw_header()
        # last resort when floating did not help: break before the final rows anyway
        split_at = len(m.rows) - 3 if t.force_split and self.fits(sum(h for _, h in m.rows)) else None
        for r, (boxes, height) in enumerate(m.rows):
            if r == split_at or not self.fits(height):
                self.new_page()
                draw_header()
            row_top = self.place(height)
            self.draw_cells(boxes, row_top, [height], m.xs, m.widths, header=False, first_row=r)
            last = r == len(m.rows) - 1
            if st.table_rules == "horizontal" or (st.table_rules == "three_rule" and last):
                y = row_top - height
                self.op(_draw_rule, x1=left, y1=y, x2=right, y2=y, width=1.0 if last else 0.4)
            for text in t.rows[r]:
                self.regions.append(_Region(text, self.chapter, [_Span(0, len(text), self.page_no)]))
        self.skip(st.para_gap)
        self.last_kind = "table"
        self.tables.append(
            {
                "key": t.key,
                "number": len(self.tables) + 1,
                "caption": m.caption,
                "page": page,
                "page_end": self.page_no,
                "n_rows": len(t.header) + len(t.rows),
                "n_cols": len(t.columns),
                "header_rows": len(t.header),
                "cells": table_cells(t),
                "spans": [
                    {"row": box.row, "col": box.col, "rowspan": box.rowspan, "colspan": box.colspan}
                    for box in m.head
                    if box.rowspan > 1 or box.colspan > 1
                ],
            }
        )

    # -- figures -----------------------------------------------------------------------------

    def figure(self, fig: FigureSpec) -> None:
        st = self.style
        number = len(self.figures) + 1
        caption = f"Figure {number}: {fig.caption}"
        source = f"Source: {fig.source}"
        cap_lines = break_lines(plain(caption), self.width - 20, Setter(st.caption_font, st.caption_size))
        cap_lead = st.caption_size * 1.3
        src_size = st.caption_size - 1.5
        box_h = 180.0
        self.skip(st.para_gap * 2)
        self.ensure(box_h + 6 + len(cap_lines) * cap_lead + src_size * 1.4)
        top = self.place(box_h)
        page = self.page_no
        box_x, box_w = self.left + 20, self.width - 40
        self.op(_draw_chart, fig=fig, x=box_x, y=top - box_h, w=box_w, h=box_h, style=st)
        self.y -= 6
        for line in cap_lines:
            top = self.place(cap_lead)
            self.op(_draw_runs, x=self.left + 20, y=top - cap_lead * 0.78, runs=line.runs)
        top = self.place(src_size * 1.4)
        self.op(_draw_string, x=self.left + 20, y=top - src_size * 1.1, text=source, font=st.italic_font, size=src_size)
        for text in (caption, source):
            self.regions.append(_Region(text, self.chapter, [_Span(0, len(text), page)]))
        self.skip(st.para_gap)
        self.last_kind = "figure"
        _, _, texts = chart_geometry(fig, box_x, 0, box_w, box_h)
        self.figures.append(
            {
                "key": fig.key,
                "number": number,
                "caption": caption,
                "source": source,
                "page": page,
                "chart_text": [t.text for t in texts],
            }
        )

    # -- whole document ----------------------------------------------------------------------

    def run(self, blocks: Sequence[Block]) -> None:
        self.pages.append(_Page("cover"))
        self.cover()
        self.pages.append(_Page("front"))  # the table of contents, drawn once labels are known
        self.new_page("front")
        floating: TableSpec | None = None
        numbered = list(zip(blocks, section_numbers(blocks, self.style), strict=True))
        for i, (block, number) in enumerate(numbered):
            if isinstance(block, TableSpec) and block.force_split and self.table_fits_whole(block):
                floating = block  # let it float down past text until it has to break across pages
                continue
            self.place_block(block, number)
            nxt = numbered[i + 1][0] if i + 1 < len(numbered) else None
            if floating and (not isinstance(nxt, Para | Heading) or not self.table_fits_whole(floating)):
                with self.spanning_frame():
                    self.table(floating)
                floating = None
        if self.carry:
            self.new_page()

    def place_block(self, block: Block, number: str | None) -> None:
        if isinstance(block, Heading):
            with self.spanning_frame() if block.level == 1 else nullcontext():
                self.heading(block, number)
        elif isinstance(block, Para):
            self.paragraph(block)
        elif isinstance(block, TableSpec):
            with self.spanning_frame():
                self.table(block)
        elif isinstance(block, FigureSpec):
            self.figure(block)
        else:
            self.new_page("body" if block.body_start else None)
            self.body_start = self.body_start or (self.page_no if block.body_start else 0)

    def cover(self) -> None:
        st = self.style
        x, w = self.page_left, self.page_width
        y = self.page_h * 0.66
        if st.header_align == "left":
            self.op(_draw_rule, x1=x, y1=y + 40, x2=x + w, y2=y + 40, width=2.5)
        else:
            self.op(_draw_box, x=0, y=self.page_h - 150, w=self.page_w, h=150, fill=st.chart_colors[0], stroke=None)
        for line in break_lines(plain(TITLE), w, Setter(st.heading_font, 26)):
            self.op(_draw_runs, x=x, y=y, runs=line.runs)
            y -= 32
        for line in break_lines(plain(SUBTITLE), w, Setter(st.italic_font, 15)):
            y -= 6
            self.op(_draw_runs, x=x, y=y, runs=line.runs)
            y -= 19
        date = self.rich(COVER_DATE, hyphenate=False)
        self.op(_draw_string, x=x, y=y - 40, text=date.text, font=st.body_font, size=13)
        self.regions.append(_Region(date.text, None, [_Span(0, len(date.text), 1)], date.facts))
        self.op(_draw_string, x=x, y=self.bottom, text=SERIES_LINE, font=st.sans_font, size=9)

    def labels(self) -> list[str | None]:
        out: list[str | None] = []
        for i, page in enumerate(self.pages, start=1):
            if page.kind == "cover":
                out.append(None)
            elif page.kind == "front":
                out.append(roman(i - 1))
            else:
                out.append(str(i - self.body_start + 1))
        return out

    def toc_entries(self, labels: Sequence[str | None]) -> list[dict]:
        return [
            {"number": s["number"], "title": s["title"], "level": s["level"], "label": labels[s["page"] - 1]}
            for s in self.sections
            if s["in_toc"]
        ]

    def draw_toc(self, entries: Sequence[dict]) -> None:
        """The TOC is page 2; it must fit on that one page because the body is already laid out."""
        st = self.style
        page = self.pages[1]
        lvl = st.headings[0]
        y = self.top - lvl.leading
        page.ops.append(
            partial(_draw_string, x=self.page_left, y=y + 4, text="Table of Contents", font=lvl.font, size=lvl.size)
        )
        y -= lvl.space_after + 6
        label_w = 30.0
        for entry in entries:
            font = st.bold_font if entry["level"] == 1 else st.body_font
            indent = 20.0 * (entry["level"] - 1)
            y -= 6 if entry["level"] == 1 else 0
            number = entry["number"] or ""
            text = f"{number}{':' if number.startswith('Reference') else ''} {entry['title']}"
            lines = break_lines(plain(text.strip()), self.page_width - indent - label_w, Setter(font, st.body_size))
            for i, line in enumerate(lines):
                x = self.page_left + indent + (12 if i else 0)
                page.ops.append(partial(_draw_runs, x=x, y=y, runs=line.runs))
                if i == len(lines) - 1:
                    self.toc_leader(page, x + line.width, y, str(entry["label"]))
                y -= st.leading + 1
        if y < self.bottom:
            raise LayoutError("table of contents needs more than one page")

    def toc_leader(self, page: _Page, x_text_end: float, y: float, label: str) -> None:
        st = self.style
        right = self.page_left + self.page_width
        dot = pdfmetrics.stringWidth(".", st.body_font, st.body_size)
        label_x = right - pdfmetrics.stringWidth(label, st.body_font, st.body_size)
        n = int((label_x - 6 - x_text_end - 6) / dot)
        if st.toc_leaders:
            page.ops.append(
                partial(
                    _draw_string,
                    x=label_x - 6,
                    y=y,
                    text="." * max(n, 3),
                    font=st.body_font,
                    size=st.body_size,
                    anchor="end",
                )
            )
        page.ops.append(
            partial(_draw_string, x=right, y=y, text=label, font=st.body_font, size=st.body_size, anchor="end")
        )

    def decorate(self, labels: Sequence[str | None]) -> None:
        """Running header, folio and footnote area of every page except the cover."""
        for number, (page, label) in enumerate(zip(self.pages, labels, strict=True), start=1):
            if page.kind != "cover":
                page.ops.append(partial(self.draw_furniture, label=str(label), page_no=number))
            if page.notes:
                page.ops.append(partial(self.draw_notes, notes=list(page.notes)))

    def running_header(self, page_no: int) -> str:
        """The short title, or with ``running_header="chapter"`` the chapter in force on odd pages."""
        if self.style.running_header != "chapter" or page_no % 2 == 0:
            return SHORT_TITLE
        chapters = [s for s in self.sections if s["level"] == 1 and s["page"] <= page_no]
        return chapters[-1]["title"] if chapters else SHORT_TITLE

    def draw_furniture(self, c: Canvas, label: str, page_no: int) -> None:
        """Style A: header left over a rule, folio centred.  Style B: header right, series line and folio."""
        st = self.style
        right = self.page_left + self.page_width
        header_y, footer_y = self.top + 30, self.bottom - 36
        header = self.running_header(page_no)
        if st.header_align == "left":
            _draw_string(c, self.page_left, header_y, header, st.sans_font, 8)
            _draw_rule(c, self.page_left, header_y - 5, right, header_y - 5, width=0.4)
        else:
            _draw_string(c, right, header_y, header, st.sans_font, 7.5, anchor="end")
        if st.folio_side == "outer":
            outer, anchor = (right, "end") if page_no % 2 else (self.page_left, "start")
            _draw_string(c, outer, footer_y, label, st.body_font, 10, anchor=anchor)
        elif st.footer == "folio":
            _draw_string(c, self.page_w / 2, footer_y, label, st.body_font, 10, anchor="middle")
        else:
            _draw_rule(c, self.page_left, footer_y + 11, right, footer_y + 11)
            _draw_string(c, self.page_left, footer_y, SERIES_NAME, st.sans_font, 8)
            _draw_string(c, right, footer_y, label, st.sans_font, 8, anchor="end")

    def draw_notes(self, c: Canvas, notes: Sequence[_NoteLine]) -> None:
        st = self.style
        lead = st.footnote_leading
        rule_y = self.bottom + len(notes) * lead + NOTE_SEP * 0.45
        _draw_rule(c, self.page_left, rule_y, self.page_left + self.page_width * 0.3, rule_y)
        setter = Setter(st.footnote_font, st.footnote_size, st.footnote_call)
        for i, note in enumerate(notes):
            baseline = self.bottom + (len(notes) - i - 1) * lead + lead * 0.25
            if note.first:
                mark = (
                    setter.call_run([note.number]) if st.footnote_call == "bracket" else setter.text(str(note.number))
                )
                _draw_runs(c, self.page_left, baseline, [mark])
            width = self.page_width - st.note_indent
            _draw_runs(
                c,
                self.page_left + st.note_indent,
                baseline,
                note.line.runs,
                self.word_space(note.line, width, st.justify),
            )

    def render(self, path: Path) -> None:
        c = Canvas(str(path), pagesize=self.style.page_size, invariant=1)
        c.setTitle(TITLE)
        c.setSubject(SUBTITLE)
        c.setAuthor(SERIES_NAME)
        c.setCreator("samplegen")
        for page in self.pages:
            for op in page.ops:
                op(c)
            c.showPage()
        if self.style.page_labels:
            c.addPageLabel(0)
            c.addPageLabel(1, "ROMAN_LOWER", 1)  # names: reportlab mis-converts "r"
            c.addPageLabel(self.body_start - 1, "ARABIC", 1)
        c.save()

    # -- ground truth ------------------------------------------------------------------------

    def fact_records(self) -> tuple[list[dict], list[dict]]:
        amounts: list[dict] = []
        dates: list[dict] = []
        for region in self.regions:
            for span in region.facts:
                fact = self.facts[span.kind][span.key]
                record = {"key": span.key, **asdict(fact), "page": region.page_at(span.start)}
                (amounts if span.kind == "a" else dates).append(record)
        return amounts, dates

    def mentions(self, forms: Callable[[str | None], Sequence[str]]) -> list[dict]:
        """Longest non-overlapping matches of the given surface forms in all regions."""
        found = []
        for region in self.regions:
            hits = sorted(
                (m.start(), -len(form), form)
                for form in forms(region.chapter)
                for m in re.finditer(rf"(?<!\w){re.escape(form)}(?!\w)", region.text)
            )
            end = -1
            for start, neg_len, form in hits:
                if start >= end:
                    found.append({"text": form, "page": region.page_at(start)})
                    end = start - neg_len
        return sorted(found, key=lambda hit: hit["page"])  # regions are created out of page order

    def name_records(self) -> tuple[list[dict], list[dict]]:
        people = []
        for person in PEOPLE:
            hits = self.mentions(lambda _chapter, p=person: (p.name, *p.aliases))
            people.append(
                {
                    "name": person.name,
                    "aliases": list(person.aliases),
                    "mentions": hits,
                    "pages": sorted({h["page"] for h in hits}),
                }
            )
        orgs = []
        for org in ORGANIZATIONS:

            def forms(chapter: str | None, o: OrgSpec = org) -> tuple[str, ...]:
                scoped = o.acronym and (o.acronym_scope is None or chapter in o.acronym_scope)
                return (o.name, *o.aliases, *((o.acronym,) if scoped and o.acronym else ()))

            hits = self.mentions(forms)
            orgs.append(
                {
                    "name": org.name,
                    "acronym": org.acronym,
                    "aliases": list(org.aliases),
                    "mentions": hits,
                    "pages": sorted({h["page"] for h in hits}),
                }
            )
        return people, orgs


def _no_calls(key: str) -> int:
    raise ValueError(f"footnote call [^{key}] is not allowed here")


def table_cells(t: TableSpec) -> list[list[str]]:
    """Ground-truth grid: spanned slots are empty strings, header rows come first."""
    header = [[cell.text if cell else "" for cell in row] for row in t.header]
    return header + [list(row) for row in t.rows]


def section_numbers(blocks: Sequence[Block], style: ReportStyle) -> list[str | None]:
    """Printed number of every heading (None for other blocks and unnumbered headings)."""
    counters = [0, 0, 0, 0]
    out: list[str | None] = []
    for block in blocks:
        if not isinstance(block, Heading) or not block.numbered:
            out.append(None)
        elif block.label:
            out.append(block.label)
        else:
            counters[block.level - 1] += 1
            counters[block.level :] = [0] * (4 - block.level)
            out.append(format_number(style, block.level, counters))
    return out


# ---------------------------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------------------------


@dataclass
class GeneratedReport:
    """Answer key of one generated PDF; pages are 1-based physical page numbers."""

    path: Path
    style: str
    edition: int
    page_count: int
    page_labels: list[str | None]
    sections: list[dict]
    toc: list[dict]
    footnotes: list[dict]
    tables: list[dict]
    figures: list[dict]
    paragraphs: list[dict]
    amounts: list[dict]
    dates: list[dict]
    people: list[dict]
    organizations: list[dict]
    hyphenations: list[dict]
    edition_changes: list[dict]
    money_flows: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        """JSON-ready form (the path becomes a string)."""
        data = asdict(self)
        data["path"] = str(self.path)
        return data

    def summary(self) -> str:
        return (
            f"{self.path}: style {self.style.upper()}, edition {self.edition}, {self.page_count} pages, "
            f"{len(self.sections)} sections, {len(self.paragraphs)} paragraphs, {len(self.footnotes)} footnotes, "
            f"{len(self.tables)} tables, {len(self.figures)} figures, {len(self.amounts)} amounts, "
            f"{len(self.dates)} dates, {len(self.edition_changes)} edition changes"
        )


def _register_fonts() -> None:
    if CJK_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(CJK_FONT))


def build_report(path: Path | str, style: ReportStyle = STYLE_A, edition: int = 1) -> GeneratedReport:
    """Write the Veldoria report as a PDF and return where everything was put."""
    if edition not in (1, 2):
        raise ValueError("edition must be 1 or 2")
    _register_fonts()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    layout = _Layout(style, edition)
    layout.run(blocks_for(edition))
    labels = layout.labels()
    toc = layout.toc_entries(labels)
    layout.draw_toc(toc)
    layout.decorate(labels)
    layout.render(path)
    amounts, dates = layout.fact_records()
    people, orgs = layout.name_records()
    sections = [{**s, "label": labels[s["page"] - 1]} for s in layout.sections]
    return GeneratedReport(
        path=path,
        style=style.name,
        edition=edition,
        page_count=layout.page_no,
        page_labels=labels,
        sections=sections,
        toc=toc,
        footnotes=[layout.footnotes[n] for n in sorted(layout.footnotes)],
        tables=layout.tables,
        figures=layout.figures,
        paragraphs=layout.paragraphs,
        amounts=amounts,
        dates=dates,
        people=people,
        organizations=orgs,
        hyphenations=[{**record, "page": span.page} for record, span in layout.hyphenations],
        edition_changes=edition_changes(style, edition),
        money_flows=flow_records(amounts),
    )


def flow_records(amounts: list[dict]) -> list[dict]:
    """The money flow of every placed amount, its parties by canonical name; ``restates`` is the restated text."""
    text = {a["key"]: a["text"] for a in amounts}
    out = []
    for a in amounts:
        flow = FLOWS[a["key"]]
        out.append(
            {
                "key": a["key"],
                "text": a["text"],
                "value": a["value"],
                "currency": a["currency"],
                "page": a["page"],
                "from": list(flow.from_),
                "to": list(flow.to),
                "period": list(flow.period) if flow.period else None,
                "restates": text[flow.restates] if flow.restates else None,
            }
        )
    return out


def blocks_for(edition: int) -> list[Block]:
    return [block for block in CONTENT if edition in block.editions]


def fact_table(edition: int) -> dict[str, dict[str, AmountFact | DateFact]]:
    amounts = {**AMOUNTS, **(AMOUNTS_ED2 if edition == 2 else {})}
    dates = {**DATES, **(DATES_ED2 if edition == 2 else {})}
    return {"a": amounts, "d": dates}


def _reader_text(source: str, edition: int) -> str:
    facts = fact_table(edition)
    return parse_rich(source, lambda k, key: facts[k][key].text, lambda _key: 0, hyphenate=False).text


def edition_changes(style: ReportStyle, edition: int) -> list[dict]:
    """Differences of `edition` relative to edition 1, derived from the content itself."""
    if edition == 1:
        return []
    old_blocks, new_blocks = blocks_for(1), blocks_for(edition)
    old_only = [b for b in old_blocks if isinstance(b, Para) and edition not in b.editions]
    new_only = [b for b in new_blocks if isinstance(b, Para) and 1 not in b.editions]
    used = " ".join(
        [COVER_DATE, *(b.text for b in new_blocks if isinstance(b, Para)), *(f.text for f in FOOTNOTES.values())]
    )
    changes: list[dict] = []
    old_facts, new_facts = fact_table(1), fact_table(edition)
    for kind, obj in (("a", "amount"), ("d", "date")):
        for key, old in old_facts[kind].items():
            new = new_facts[kind][key]
            if old.text != new.text and f"{{{kind}:{key}}}" in used:
                changes.append({"kind": "changed", "object": obj, "key": key, "old": _listed(old), "new": _listed(new)})
    # figures inside a paragraph only one edition has are listed with it
    for paras, facts, kind in ((old_only, old_facts, "removed"), (new_only, new_facts, "added")):
        for block in paras:
            for ref_kind, key in re.findall(r"\{([ad]):([a-z0-9_]+)\}", block.text):
                value = _listed(facts[ref_kind][key])
                obj = "amount" if ref_kind == "a" else "date"
                changes.append(
                    {
                        "kind": kind,
                        "object": obj,
                        "key": key,
                        "old": value if kind == "removed" else None,
                        "new": value if kind == "added" else None,
                    }
                )
    old_secs = _section_index(old_blocks, style, 1)
    new_secs = _section_index(new_blocks, style, edition)
    for key, old in old_secs.items():
        if key not in new_secs:
            changes.append({"kind": "removed", "object": "section", "key": key, "old": old, "new": None})
        elif new_secs[key]["number"] != old["number"]:
            changes.append({"kind": "renumbered", "object": "section", "key": key, "old": old, "new": new_secs[key]})
    old_keys = {b.key for b in old_blocks if isinstance(b, Para)}
    section_title = ""
    for block in new_blocks:
        if isinstance(block, Heading):
            section_title = _reader_text(block.title, edition)
        if isinstance(block, Para) and block.key not in old_keys:
            text = _reader_text(block.text, edition)
            changes.append(
                {
                    "kind": "added",
                    "object": "paragraph",
                    "key": block.key,
                    "old": None,
                    "new": {"text": text, "section_title": section_title},
                }
            )
    return changes


def _listed(fact: AmountFact | DateFact) -> str:
    """How the change list shows a figure: an amount as printed, a date as ISO 8601 at its precision."""
    if isinstance(fact, AmountFact):
        return fact.text
    width = {"year": 4, "month": 7}.get(fact.precision, 10)
    start, end = fact.start[:width], fact.end[:width]
    return start if start == end else f"{start}/{end}"


def _section_index(blocks: Sequence[Block], style: ReportStyle, edition: int) -> dict[str, dict]:
    return {
        b.key: {"number": n, "title": _reader_text(b.title, edition), "level": b.level}
        for b, n in zip(blocks, section_numbers(blocks, style), strict=True)
        if isinstance(b, Heading)
    }


# =============================================================================================
# Content: an invented report.  Nothing here describes real organisations or people.
# =============================================================================================

TITLE = "The Research Funding Landscape of the Republic of Veldoria"
SUBTITLE = "Agencies, Programmes and International Cooperation"
SHORT_TITLE = "Research Funding in Veldoria"
SERIES_NAME = "Veldoria Policy Series"
SERIES_LINE = "Veldoria Policy Series, Report No. 7"
COVER_DATE = "{d:pub}"

# Allowed soft hyphenation points ("-") for long words; compounds with real hyphens break anyway.
HYPHENATION: dict[str, str] = {
    "infrastructure": "infra-struc-ture",
    "international": "inter-na-tional",
    "internationalisation": "inter-na-tion-al-isa-tion",
    "programme": "pro-gramme",
    "programmes": "pro-grammes",
    "university": "uni-ver-sity",
    "universities": "uni-ver-sities",
    "researchers": "research-ers",
    "cooperation": "coop-er-ation",
    "development": "devel-op-ment",
    "government": "gov-ern-ment",
    "expenditure": "ex-pend-iture",
    "institutions": "in-sti-tu-tions",
    "organisations": "or-gan-isa-tions",
    "responsibility": "re-spons-ibil-ity",
    "competitive": "com-pet-it-ive",
    "appropriation": "ap-pro-pri-ation",
    "evaluation": "eval-u-ation",
    "considerably": "con-sid-er-ably",
    "participation": "par-ti-cip-ation",
    "particularly": "par-tic-u-larly",
    "applications": "ap-plic-ations",
    "recommendations": "re-com-mend-ations",
    "implementing": "im-ple-ment-ing",
    "investigator": "in-ves-tig-ator",
    "adaptation": "ad-apt-ation",
    "engineering": "en-gin-eer-ing",
    "interviewees": "inter-view-ees",
    "professional": "pro-fes-sional",
    "fragmentation": "frag-ment-ation",
    "multilateral": "multi-lat-eral",
    "eligibility": "eli-gib-il-ity",
    "legislation": "le-gis-la-tion",
    "representatives": "rep-res-ent-at-ives",
    "administration": "ad-min-is-tra-tion",
    "significantly": "sig-ni-fic-antly",
    "contribution": "con-tri-bu-tion",
    "expenditures": "ex-pend-itures",
    "collaboration": "col-lab-or-ation",
    "discretion": "dis-cre-tion",
    "environment": "en-vir-on-ment",
    "postdoctoral": "post-doc-toral",
    "recognised": "re-cog-nised",
    "paperwork": "paper-work",
    "fellowship": "fel-low-ship",
    "fellowships": "fel-low-ships",
    "temporary": "tem-por-ary",
    "foundation": "found-ation",
    "officers": "of-fi-cers",
    "salaries": "sal-ar-ies",
    "treatment": "treat-ment",
    "purposes": "pur-poses",
    "mobility": "mo-bil-ity",
    "returning": "re-turn-ing",
}

AMOUNTS: dict[str, AmountFact] = {
    "public_total": AmountFact("EUR 401 million", 401e6, "EUR"),
    "supplement": AmountFact("$50 million", 50e6, "USD"),
    "eur_programmes": AmountFact("1.8 billion euros", 1.8e9, "EUR"),
    "huaxin": AmountFact("CNY 24 billion", 24e9, "CNY"),
    "joint_lab_rmb": AmountFact("91 million RMB", 91e6, "CNY"),
    "joint_lab_jpy": AmountFact("approx. 1.8 billion JPY", 1.8e9, "JPY", approximate=True),
    "stipend": AmountFact("6,000 to 7,000 RMB per month", 6000.0, "CNY", value_high=7000.0, period="month"),
    "visitor_budget": AmountFact("approx. two million RMB", 2e6, "CNY", approximate=True),
    "roadmap": AmountFact("about €665 million", 665e6, "EUR", approximate=True),
    "jr_spent": AmountFact("CNY 12 million", 12e6, "CNY"),
    "jr_spent_eur": AmountFact("approx. 1.6 million euros", 1.6e6, "EUR", approximate=True),
    "jr_prev": AmountFact("CNY 9 million", 9e6, "CNY"),
    "jr_budget": AmountFact("CNY 15 million", 15e6, "CNY"),
    "trust_first": AmountFact("EUR 2 million", 2e6, "EUR"),
    "trust_second": AmountFact("EUR 3 million", 3e6, "EUR"),
    "bank_total": AmountFact("USD 8 million", 8e6, "USD"),
    "bank_alloc": AmountFact("USD 5 million", 5e6, "USD"),
}
AMOUNTS_ED2: dict[str, AmountFact] = {
    "supplement": AmountFact("$65 million", 65e6, "USD"),
    "huaxin": AmountFact("CNY 26 billion", 26e9, "CNY"),
    "liaison": AmountFact("EUR 1.2 million", 1.2e6, "EUR"),  # only in a paragraph the second edition adds
}

DATES: dict[str, DateFact] = {
    "pub": DateFact("March 2025", "2025-03-01", "2025-03-31", "month"),
    "interviews": DateFact("September to November 2024", "2024-09-01", "2024-11-30", "month"),
    "agreement": DateFact("December 30, 2013", "2013-12-30", "2013-12-30", "day"),
    "first_eval": DateFact("May 2013 to March 2015", "2013-05-01", "2015-03-31", "month"),
    "data_years": DateFact("2019 to 2023", "2019-01-01", "2023-12-31", "year"),
    "vnrc_founded": DateFact("July 2016", "2016-07-01", "2016-07-31", "month"),
    "marsh_start": DateFact("September 2018", "2018-09-01", "2018-09-30", "month"),
    "korvath_appointed": DateFact("15 January 2020", "2020-01-15", "2020-01-15", "day"),
    "supplement_year": DateFact("2023", "2023-01-01", "2023-12-31", "year"),
    "rda_law": DateFact("2021", "2021-01-01", "2021-12-31", "year"),
    "workshop": DateFact("August 10-12, 2022", "2022-08-10", "2022-08-12", "day"),
    "trust_cohort": DateFact("October 2024", "2024-10-01", "2024-10-31", "month"),
    "rda_join": DateFact("2017", "2017-01-01", "2017-12-31", "year"),
    "accessed": DateFact("3 February 2025", "2025-02-03", "2025-02-03", "day"),
    "ref_korvath": DateFact("2021", "2021-01-01", "2021-12-31", "year"),
    "ref_marsh": DateFact("2022", "2022-01-01", "2022-12-31", "year"),
    "ref_oss": DateFact("2024", "2024-01-01", "2024-12-31", "year"),
    "ref_vnrc": DateFact("2023", "2023-01-01", "2023-12-31", "year"),
    "ref_zhang": DateFact("2023", "2023-01-01", "2023-12-31", "year"),
    "jr_spent_year": DateFact("2022", "2022-01-01", "2022-12-31", "year"),
    "jr_prev_year": DateFact("2021", "2021-01-01", "2021-12-31", "year"),
    "jr_budget_year": DateFact("2023", "2023-01-01", "2023-12-31", "year"),
    "trust_first_year": DateFact("2019", "2019-01-01", "2019-12-31", "year"),
    "trust_second_year": DateFact("2022", "2022-01-01", "2022-12-31", "year"),
    "bank_start": DateFact("2016", "2016-01-01", "2016-12-31", "year"),
    "bank_until": DateFact("December 2023", "2023-12-01", "2023-12-31", "month"),
}
DATES_ED2: dict[str, DateFact] = {
    "pub": DateFact("March 2026", "2026-03-01", "2026-03-31", "month"),
    "liaison": DateFact("June 2025", "2025-06-01", "2025-06-30", "month"),
}

_VNRC = "Veldoria National Research Council"
_VAS = "Veldoria Academy of Sciences"
_JRSF = "Jade River Science Foundation"
_TRUST = "Lindqvist-Barros Trust"
_BANK = "Central Bank of Veldoria"

# Who pays whom for which years, per amount key: (from, to, (first year, last year) or None, restated amount key).
FLOWS: dict[str, FlowFact] = {
    "public_total": FlowFact(),
    "supplement": FlowFact(to=(_VNRC,), period=(2023, 2023)),
    "eur_programmes": FlowFact(),
    "huaxin": FlowFact(),
    "joint_lab_rmb": FlowFact(),
    "joint_lab_jpy": FlowFact(restates="joint_lab_rmb"),
    "stipend": FlowFact(),
    "visitor_budget": FlowFact(to=(_VAS,)),
    "roadmap": FlowFact(),
    "jr_spent": FlowFact(from_=(_JRSF,), period=(2022, 2022)),
    "jr_spent_eur": FlowFact(from_=(_JRSF,), period=(2022, 2022), restates="jr_spent"),
    "jr_prev": FlowFact(from_=(_JRSF,), period=(2021, 2021)),
    "jr_budget": FlowFact(to=(_JRSF,), period=(2023, 2023)),
    "trust_first": FlowFact(from_=(_TRUST,), to=(_VAS,), period=(2019, 2019)),
    "trust_second": FlowFact(from_=(_TRUST,), to=(_VAS,), period=(2022, 2022)),
    "bank_total": FlowFact(from_=(_BANK,), to=(_VAS,), period=(2016, 2023)),
    "bank_alloc": FlowFact(from_=(_VAS,), period=(2016, 2023)),
    "liaison": FlowFact(period=(2025, 2025)),  # the office is no named party; its first year opens in 2025
}

PEOPLE: tuple[PersonSpec, ...] = (
    PersonSpec("Helena Marsh", ("Dr. Helena Marsh", "Helena Marsh's", "Dr. Marsh", "Marsh, Helena")),
    PersonSpec("Anselm Korvath", ("Professor Anselm Korvath", "Korvath Anselm", "KORVATH Anselm")),
    PersonSpec("Ilse Brandvold", ()),
    PersonSpec("Zhang Lihua", ("Professor Zhang Lihua", "Professor Zhang")),
    PersonSpec("Rafael Quint", ("Dr. Rafael Quint", "Quint, Rafael")),
    PersonSpec("Oskar Pell", ("Pell, Oskar",)),
)

ORGANIZATIONS: tuple[OrgSpec, ...] = (
    OrgSpec("Veldoria National Research Council", "VNRC"),
    OrgSpec("Office for Science Statistics", "OSS"),
    OrgSpec("Ministry of Science and Higher Education", "MSHE"),
    OrgSpec("Veldoria Innovation Fund", "VIF"),
    OrgSpec("Regional Development Agency", "RDA", acronym_scope=("ch2",)),
    OrgSpec("Research Data Alliance", "RDA", acronym_scope=("ch4",)),
    OrgSpec("Veldoria Academy of Sciences", "VAS"),
    OrgSpec("Northern Polytechnic University", "NPU"),
    OrgSpec("Kestrel Bay Institute of Technology", "KBIT"),
    OrgSpec("Lindqvist-Barros Trust"),
    OrgSpec("Central Bank of Veldoria"),
    OrgSpec("Institute of Marine Sciences"),
    OrgSpec("Eastern Sea University", aliases=("东海大学",)),
    OrgSpec("Huaxin Institute of Applied Physics", aliases=("华新应用物理研究所",)),
    OrgSpec("Jade River Science Foundation", aliases=("玉河科学基金会",)),
    OrgSpec("Southern Coast Marine Laboratory", aliases=("南海岸海洋实验室",)),
)

FOOTNOTES: dict[str, FootnoteSpec] = {
    "es_calls": FootnoteSpec(
        "Joint calls with East Asian partners accounted for about one in eight new council grants in the "
        "last three budget years."
    ),
    "scope": FootnoteSpec(
        "In this report, 'regional bodies' means the five provincial development agencies and the municipal "
        "innovation offices of Kestrel Bay and Valmere."
    ),
    "method": FootnoteSpec(
        "The interview guide and an anonymised list of the participating organisations are available from the "
        "authors on request."
    ),
    "oss_url": FootnoteSpec(
        "Office for Science Statistics, Research and Development Expenditure Survey, "
        "https://stats.veldoria.example/rd-survey (accessed {d:accessed})."
    ),
    "request": FootnoteSpec(
        "Three agencies provided internal programme guidelines that are not public; we cite them only in "
        "aggregate form."
    ),
    "prices": FootnoteSpec(
        "All amounts are in current prices. Where we convert between currencies we use the annual average "
        "exchange rates published by the Central Bank of Veldoria."
    ),
    "response": FootnoteSpec(
        "The response rate was 78 per cent for universities, 71 per cent for public institutes and only 54 per "
        "cent for business enterprises. Figures for non-responding firms are imputed from their reports in the "
        "previous year, a method that tends to overstate spending in years when the economy contracts. The OSS "
        "has revised its imputation method and back-cast the series, but the revised figures for earlier years "
        "have not yet been published in full; we therefore use the unrevised series throughout and point out the "
        "difference wherever it exceeds five per cent.",
        split_after=2,
    ),
    "statute": FootnoteSpec("Act on the Organisation of Research Funding (Act No. 114), sections 2 to 9."),
    "decree": FootnoteSpec("Government Decree on the Procedures of the Research Council, as amended."),
    "marsh": FootnoteSpec(
        "Before joining the council, Dr. Marsh directed the Institute of Marine Sciences at Northern Polytechnic "
        "University for eight years."
    ),
    "board": FootnoteSpec(
        "The board has eleven members, four of whom are nominated by the universities and two by the regional agencies."
    ),
    "mshe": FootnoteSpec(
        "The ministry took its present name when responsibility for higher education was transferred to it; we "
        "use the current name throughout."
    ),
    "rda_merge": FootnoteSpec(
        "The agencies of the two northern provinces have merged their research units into a joint office in Port Aldin."
    ),
    "agreement": FootnoteSpec("The agreement was renewed for a further ten years without substantive changes."),
    "exchange": FootnoteSpec("Converted at the average exchange rate of the year in which the award was made."),
    "workshop": FootnoteSpec(
        "The workshop programme and the presentations are available at "
        "https://www.kbit.example/events/coastal-workshop."
    ),
    "salary": FootnoteSpec("Monthly amounts exclude housing allowances, which vary considerably between cities."),
    "rda2": FootnoteSpec("Not to be confused with the regional development agencies described in Chapter 2."),
    "reco": FootnoteSpec(
        "Earlier drafts of these recommendations were discussed with the VNRC and the MSHE, both of which "
        "commented in writing."
    ),
}


def _p(key: str, *sentences: str, kind: str = "paragraph", editions: frozenset[int] = BOTH) -> Para:
    return Para(key, " ".join(sentences), kind, editions)


CONTENT: tuple[Block, ...] = (
    # -- front matter -------------------------------------------------------------------------
    Heading("exec", "Executive Summary", 1, numbered=False),
    _p(
        "es1",
        "This report describes how research is funded in the Republic of Veldoria, a small coastal state whose",
        "science system has grown quickly over the past decade. It draws on budget documents, agency annual",
        "reports and 41 interviews held from {d:interviews} with officials, university leaders and researchers.",
        "It is written for funding bodies abroad that are considering joint programmes with Veldorian partners",
        "and need a compact guide to who decides what.",
    ),
    _p(
        "es2",
        "Three findings stand out. First, the Veldoria National Research Council remains the largest competitive",
        "funder, but its share of public research spending has fallen as the Veldoria Innovation Fund and the",
        "regional development agencies have expanded. Second, government funding of research and development",
        "reached {a:public_total} in the last complete budget year, and further increases have been promised.",
        "Third, cooperation with partners in East Asia has deepened steadily since the bilateral science",
        "agreement of {d:agreement}, and joint calls now account for a visible share of new grants.[^es_calls]",
    ),
    _p(
        "es3",
        "The main weaknesses are fragmentation and unpredictability. Programmes are small, deadlines differ",
        "between agencies, and multi-year commitments are rare outside the infrastructure budget. Researchers we",
        "interviewed described the system as generous for those who know it well and opaque for newcomers,",
        "including foreign partners who are unfamiliar with the division of responsibilities between the",
        "national and the regional level.",
    ),
    _p(
        "es4",
        "Chapter 4 sets out our recommendations. In short, we suggest a single calendar of calls, a shared",
        "application portal and a standing agreement on co-funding rules between the council, the innovation",
        "fund and the regional agencies. None of these measures would require new legislation.",
    ),
    PageBreak(body_start=True),
    # -- chapter 1 ----------------------------------------------------------------------------
    Heading("ch1", "Introduction and Scope", 1),
    _p(
        "ch1_intro",
        "This chapter explains why the report was prepared, which sources it uses and where the evidence is",
        "weakest. Readers who are mainly interested in the funding agencies themselves may wish to go directly",
        "to Chapter 2.",
    ),
    Heading("s1_1", "Purpose of This Report", 2),
    _p(
        "s1_1_p1",
        "Veldoria spends a modest share of its national income on research and development, yet its universities",
        "have become visible partners in several cross-border networks. Foreign agencies that wish to co-fund",
        "projects with Veldorian teams often find the domestic system hard to navigate, because responsibilities",
        "are divided between a ministry, a research council, an innovation fund and a growing number of regional",
        "bodies.[^scope] This report maps those bodies, summarises their programmes and budgets, and identifies",
        "the contact points that matter most for international cooperation.",
    ),
    _p(
        "s1_1_p2",
        "The report updates an overview prepared by the Office for Science Statistics (OSS) for the first national",
        "research evaluation, which ran from {d:first_eval}. Since then the OSS has published annual data on",
        "research expenditure, and the government has reorganised the funding agencies twice. Readers who know",
        "the earlier overview will notice that the section on regional funding is new and that the discussion of",
        "research infrastructure has been expanded considerably.",
    ),
    Heading("s1_2", "Sources and Method[^method]", 2),
    _p(
        "s1_2_p1",
        "The analysis combines three kinds of evidence: published budget data, programme documents and",
        "semi-structured interviews. Budget figures are taken from the annual appropriation acts and from the OSS",
        "expenditure survey,[^oss_url] while programme documents were obtained from agency websites or, where",
        "they were not public, on request.[^request] All interviews were conducted in confidence, and quotations",
        "are attributed only where the speaker agreed.",
    ),
    Heading("s1_2_1", "Data Collection", 3),
    _p(
        "s1_2_1_p1",
        "Expenditure data cover the years {d:data_years} and are reported in current prices.[^prices] For each",
        "agency we collected the approved budget, the amount actually committed to new grants and the number of",
        "applications received. The survey of research performers asks universities, public institutes and firms",
        "to report their spending by source of funds; the response rate, however, differs markedly between",
        "sectors.[^response] Where the agency figures and the survey figures disagree, we report the agency",
        "figures, because they are audited and become available earlier.",
    ),
    Heading("s1_2_2", "Limitations of the Survey Data", 3),
    _p(
        "s1_2_2_p1",
        "Three limitations deserve mention. First, the business enterprise figures rely heavily on imputation for",
        "small firms, so that year-to-year changes in that sector should be read with caution. Second, the survey",
        "does not distinguish clearly between research and the maintenance of existing infrastructure, which",
        "inflates the totals for institutes that operate large facilities. Third, some universities report",
        "competitive grants under the year of the award rather than the year of spending, which shifts part of",
        "the expenditure forward.",
    ),
    _p(
        "s1_2_2_p2",
        "None of these problems changes the broad picture described in this report. They do mean, however, that",
        "differences of a few per cent between agencies or years are not significant, and we have avoided drawing",
        "conclusions from them. Where a comparison depends on a single uncertain figure, we say so in the text.",
    ),
    # -- chapter 2 ----------------------------------------------------------------------------
    Heading("ch2", "Public Research Funding Agencies", 1),
    _p(
        "ch2_intro",
        "Public research funding in Veldoria flows through four channels: the research council, the ministry, a",
        "number of sectoral funds and the regional agencies. This chapter describes each channel in turn, with",
        "an emphasis on decision-making and on the programmes that are open to international partners.",
    ),
    Heading("s2_1", "The Veldoria National Research Council", 2),
    _p(
        "s2_1_p1",
        "The Veldoria National Research Council (VNRC) was created in {d:vnrc_founded} by merging two older",
        "foundations with the research department of the ministry. Its legal basis is a short statute[^statute]",
        "and an implementing decree,[^decree] which together give the council wide discretion over the design of",
        "its programmes. The VNRC funds investigator-driven research in all fields, from mathematics to the",
        "humanities, and it is the only agency that runs open calls every year.",
    ),
    _p(
        "s2_1_p2",
        "Since {d:marsh_start} the council has been led by Dr. Helena Marsh, a marine biologist who previously",
        "directed a university institute.[^marsh] Helena Marsh's first years in office were marked by a reform",
        "of peer review: panels now include at least one reviewer from abroad, and applicants may respond to",
        "reviews before a decision is made. Dr. Marsh has also argued publicly for longer grants, noting that",
        "three-year awards are too short for most doctoral projects.",
    ),
    Heading("s2_1_1", "Governance and Board", 3),
    _p(
        "s2_1_1_p1",
        "The council is governed by a board that approves the annual work plan, sets the budget for each",
        "programme and appoints the members of the evaluation panels.[^board] Day-to-day management is the",
        "responsibility of a secretariat of about seventy staff, most of whom are former researchers. The board",
        "meets six times a year; its minutes are published, although discussions of individual applications are",
        "not.",
    ),
    Heading("s2_1_1_a", "Appointment of Board Members", 4),
    _p(
        "s2_1_1_a_p1",
        "Board members are appointed by the Minister of Science and Higher Education for a term of four years,",
        "renewable once. The current chair, Professor Anselm Korvath of Northern Polytechnic University (NPU),",
        "was appointed on {d:korvath_appointed} and reappointed four years later. Korvath Anselm, as he signs his",
        "papers in the Veldorian manner with the family name first, is an economist who has written widely on the",
        "role of competitive funding in small countries.",
    ),
    Heading("s2_1_1_b", "Conflicts of Interest", 4),
    _p(
        "s2_1_1_b_p1",
        "Because the research community is small, conflicts of interest are common. Board members must leave the",
        "room when applications from their own institution are discussed, and the secretariat keeps a public",
        "register of declared interests. Several interviewees regarded these rules as adequate; others felt that",
        "the informal influence of senior professors remains considerable.",
    ),
    Heading("s2_1_2", "Grant Programmes", 3),
    _p(
        "s2_1_2_p1",
        "The VNRC operates four main programmes, summarised in Table 1. Frontier Research Grants are the largest",
        "and most prestigious; Early Career Fellowships support researchers within seven years of their",
        "doctorate; the Applied Innovation Vouchers are managed jointly with the innovation fund; and the Regional",
        "Excellence Centres are co-funded with the regional agencies.",
    ),
    TableSpec(
        "programmes",
        "Budgets of the main council programmes",
        (3.2, 1.3, 1.3, 1.6),
        (
            (
                Cell("Programme", rowspan=2),
                Cell("Budget (EUR million)", colspan=2),
                None,
                Cell("Lead agency", rowspan=2),
            ),
            (None, Cell("2022"), Cell("2023"), None),
        ),
        (
            ("Frontier Research Grants", "42.0", "45.5", "VNRC"),
            ("Early Career Fellowships", "18.5", "21.0", "VNRC"),
            ("Applied Innovation Vouchers", "12.0", "14.8", "VIF"),
            ("Regional Excellence Centres", "9.6", "11.2", "RDA"),
            ("Total", "82.1", "92.5", ""),
        ),
    ),
    _p(
        "s2_1_2_p2",
        "In addition to its regular budget, the council received a one-off supplement of {a:supplement} in",
        "{d:supplement_year} to compensate for the high inflation of the previous two years. The supplement was",
        "distributed as a uniform top-up to running grants rather than through a new call, a decision that was",
        "popular with grant holders but criticised by younger researchers who had no running grant to top up.",
    ),
    Heading("s2_2", "The Ministry of Science and Higher Education", 2),
    _p(
        "s2_2_p1",
        "The Ministry of Science and Higher Education (MSHE) funds universities through block grants and finances",
        "a small number of strategic programmes directly.[^mshe] The minister, Ilse Brandvold, has made the",
        "long-term internationalisation of doctoral training a personal priority, and the MSHE now covers",
        "travel costs for doctoral candidates who spend at least three months at a partner university abroad.",
    ),
    _p(
        "s2_2_p2",
        "The ministry also supervises the innovation fund. VIF (Veldoria Innovation Fund) was established as an",
        "independent foundation, but its board is appointed by the MSHE and its budget is set in the annual",
        "appropriation act. The VIF supports applied research in firms, often in partnership with universities,",
        "and it administers Veldoria's participation in several multilateral programmes, which together have a",
        "budget of {a:eur_programmes} over seven years.",
    ),
    Heading("s2_3", "Sectoral Funds for Agriculture and Fisheries", 2, editions=ED1),
    _p(
        "s2_3_p1",
        "Two sectoral funds, one for agriculture and one for fisheries, finance applied research that is closely",
        "tied to the needs of these industries. They are financed by a levy on producers and governed by boards on",
        "which industry representatives hold a majority. Their calls are small and rarely open to foreign",
        "applicants, but they are an important source of income for the agricultural colleges.",
        editions=ED1,
    ),
    _p(
        "s2_3_p2",
        "Both funds have been criticised for favouring short projects with immediate practical results. A review",
        "commissioned by the ministry recommended merging them into a single fund with a longer planning horizon,",
        "but no decision had been taken at the time of writing.",
        editions=ED1,
    ),
    Heading("s2_4", "Regional Development Agencies", 2),
    _p(
        "s2_4_p1",
        "Each of the five provinces has a Regional Development Agency (RDA) with a mandate to support economic",
        "development, and since a legal change in {d:rda_law} every RDA may also fund research that is relevant",
        "to the regional economy. The agencies differ greatly in capacity: the RDA of the Coastal Province runs a",
        "professional research office, while the smaller agencies rely on staff seconded from the provincial",
        "government.[^rda_merge]",
    ),
    _p(
        "s2_4_p2",
        "Regional research funding is still modest, but it is growing faster than any other channel.",
        "Interviewees from the agencies emphasised that they do not intend to duplicate the council; instead they",
        "co-fund centres and projects that the VNRC has already evaluated, adding money on condition that part of",
        "the work is done in the region.",
    ),
    # -- chapter 3 ----------------------------------------------------------------------------
    Heading("ch3", "Funding Trends and International Cooperation", 1),
    _p(
        "ch3_intro",
        "This chapter looks at the development of research spending over time and at the growing importance of",
        "cooperation with partners abroad, particularly in East Asia.",
    ),
    Heading("s3_1", "Expenditure Trends", 2),
    _p(
        "s3_1_p1",
        "Gross domestic expenditure on research and development rose steadily from {d:data_years}, as Figure 1",
        "shows. Government funding grew by about thirty per cent over the period, while business funding grew",
        "somewhat faster from a lower base. The share of business funding is nevertheless still well below the",
        "level typical of larger economies, which reflects the small number of research-intensive firms in the",
        "country.",
    ),
    FigureSpec(
        "gerd",
        "Gross domestic expenditure on research and development by source of funds",
        "OSS expenditure survey; authors' calculations.",
        ("2019", "2020", "2021", "2022", "2023"),
        (("Government", (310, 335, 352, 380, 401)), ("Business enterprise", (220, 236, 268, 290, 318))),
        "EUR million",
        500,
        100,
    ),
    _p(
        "s3_1_p2",
        "Most of the increase in government funding went to infrastructure and to the new regional programmes.",
        "Spending on competitive project grants, by contrast, was almost flat in real terms until the supplement",
        "described in Chapter 2. Several university leaders told us that this imbalance had made it harder to",
        "keep young researchers in the country, since new infrastructure is of little use without the people to",
        "operate it.",
    ),
    Heading(
        "s3_2",
        "Cooperation with Partner Institutions in East Asia and the Wider Pacific Region under the Bilateral "
        "Science Agreement",
        2,
    ),
    _p(
        "s3_2_p1",
        "The bilateral science agreement signed on {d:agreement} created a Veldorian-Chinese joint committee that",
        "meets every two years and a programme of joint calls.[^agreement] On the partner side, the Huaxin",
        "provincial science programme, with a total budget of {a:huaxin}, has become the most important",
        "counterpart; on the Veldorian side, the VNRC and the Veldoria Academy of Sciences (VAS) share",
        "responsibility for the calls.",
        "Table 2 lists the main partner organisations.",
    ),
    TableSpec(
        "partners",
        "Main partner organisations in East Asia",
        (2.6, 1.9, 2.2, 0.9),
        ((Cell("Partner organisation"), Cell("Name in Chinese"), Cell("Veldorian counterpart"), Cell("Since")),),
        (
            ("Eastern Sea University", "东海大学", "NPU", "2014"),
            ("Huaxin Institute of Applied Physics", "华新应用物理研究所", "VAS", "2016"),
            ("Jade River Science Foundation", "玉河科学基金会", "VNRC", "2018"),
            ("Southern Coast Marine Laboratory", "南海岸海洋实验室", "KBIT", "2021"),
        ),
    ),
    _p(
        "s3_2_p2",
        "The largest single project so far, a joint laboratory for coastal engineering led by Professor Zhang",
        "Lihua of Eastern Sea University and by Dr. Rafael Quint of the Kestrel Bay Institute of Technology",
        "(KBIT), received {a:joint_lab_rmb} ({a:joint_lab_jpy}) from the partner side over five",
        "years.[^exchange] A joint workshop held in Kestrel Bay on {d:workshop} brought together more than two",
        "hundred researchers and led to a second call on climate adaptation.[^workshop]",
    ),
    _p(
        "s3_2_p3",
        "Cooperation with Japan and Korea is less formalised. It rests mainly on university-to-university",
        "agreements, although the KBIT has signed a framework agreement with a consortium of Japanese technical",
        "universities. Several interviewees hoped that the joint committee would extend its calls to these",
        "countries, perhaps through the multilateral programmes managed by the VIF.",
    ),
    _p(
        "s3_2_p4",
        "The Jade River Science Foundation is the largest private funder of the joint calls. The foundation's",
        "actual expenditures in {d:jr_spent_year} were {a:jr_spent} ({a:jr_spent_eur}) ({a:jr_prev} in",
        "{d:jr_prev_year}), and its budget for {d:jr_budget_year} is {a:jr_budget}. In {d:trust_first_year}, the",
        "Lindqvist-Barros Trust contributed {a:trust_first} to the Veldoria Academy of Sciences, and in",
        "{d:trust_second_year} made a new contribution of {a:trust_second} to extend the visiting fellowships.",
    ),
    _p(
        "s3_2_p5",
        "The Central Bank of Veldoria has supported the exchange of young economists since {d:bank_start}. As of the",
        "end of {d:bank_until}, it has contributed {a:bank_total} to the VAS, of which {a:bank_alloc} was",
        "allocated to coastal research projects.",
    ),
    Heading("s3_3", "Researcher Mobility and Salaries", 2),
    _p(
        "s3_3_p1",
        "Mobility programmes have grown alongside the joint calls. Veldorian doctoral candidates who spend time",
        "at a partner university receive a stipend of {a:stipend} from the host side,[^salary] which interviewees",
        "considered adequate outside the largest cities. In the opposite direction, the VAS hosts about forty",
        "visiting mid-career researchers a year from a dedicated budget of {a:visitor_budget} provided by the",
        "partner side.",
    ),
    _p(
        "s3_3_p2",
        "Salaries remain the main obstacle to longer stays. A postdoctoral researcher in Veldoria earns roughly",
        "the same as in the partner institutions, but senior salaries are lower, and the tax treatment of foreign",
        "grants is unclear. Several returning researchers told us frankly that the paperwork needed to have a",
        "foreign fellowship recognised for pension purposes took longer than the fellowship itself.",
        "Universities have tried to help by appointing mobility officers, but most of these posts are part-time",
        "and funded from temporary project money. In response, the Lindqvist{-}Barros Trust, a private",
        "foundation, has begun to fund short return fellowships for Veldorian researchers working abroad, and",
        "its first cohort of twelve fellows started in {d:trust_cohort}.",
    ),
    # -- chapter 4 ----------------------------------------------------------------------------
    Heading("ch4", "Assessment and Outlook", 1),
    _p(
        "ch4_intro",
        "The final chapter assesses the funding system as a whole, with a particular focus on research",
        "infrastructure, and sets out our recommendations.",
    ),
    Heading("s4_1", "Research Infrastructure", 2),
    _p(
        "s4_1_p1",
        "Investment in research infrastructure has been the fastest-growing item in the public research budget.",
        "Most large projects are financed through a national roadmap, updated every four years, which ranks",
        "proposals by scientific merit and by their importance for the economy. Table 3 lists the projects",
        "currently on the roadmap. Veldoria also joined the Research Data Alliance (RDA) in {d:rda_join}, an",
        "international initiative that develops common standards for data sharing;[^rda2] the national node of",
        "the RDA is hosted by the VAS.",
    ),
    TableSpec(
        "infrastructure",
        "Major research infrastructure projects on the national roadmap",
        (3.3, 1.8, 1.1, 1.1, 1.7),
        ((Cell("Project"), Cell("Location"), Cell("Period"), Cell("Cost (EUR million)"), Cell("Status")),),
        (
            ("Kestrel Bay Synchrotron Upgrade", "Kestrel Bay", "2016-2024", "210.0", "Completed"),
            ("National Genomics Platform", "Port Aldin", "2018-2025", "96.5", "Under construction"),
            ("Coastal Observatory Network", "Northern Province", "2017-2023", "64.0", "Operating"),
            ("High-Performance Computing Centre", "Valmere", "2019-2026", "58.2", "Under construction"),
            ("Marine Research Vessel Renewal", "Port Aldin", "2019-2024", "47.3", "Completed"),
            ("Materials Characterisation Facility", "Kestrel Bay", "2020-2025", "31.7", "Operating"),
            ("Biobank of Veldoria", "Port Aldin", "2016-2022", "27.4", "Operating"),
            ("Wind Energy Test Field", "Western Province", "2021-2026", "24.9", "Planned"),
            ("Neutron Imaging Beamline", "Kestrel Bay", "2023-2027", "22.6", "Planned"),
            ("Quantum Photonics Laboratory", "Kestrel Bay", "2022-2027", "19.8", "Planned"),
            ("Seismic Monitoring Array", "Eastern Province", "2018-2024", "15.6", "Operating"),
            ("Plant Phenotyping Centre", "Valmere", "2020-2025", "13.4", "Operating"),
            ("Clean Water Pilot Plant", "Southern Province", "2021-2025", "11.0", "Under construction"),
            ("Coastal Radar Station", "Northern Province", "2021-2024", "9.7", "Operating"),
            ("National Herbarium Digitisation", "Valmere", "2019-2023", "8.3", "Completed"),
            ("Research Data Repository", "Valmere", "2020-2024", "6.1", "Operating"),
        ),
        force_split=True,
    ),
    _p(
        "s4_1_p2",
        "Taken together, the projects on the roadmap will cost {a:roadmap} over their construction period. The",
        "roadmap committee has warned that operating costs, which are not included in these figures, will rise",
        "sharply once the larger facilities are completed. Without a dedicated operating budget, the council and",
        "the ministry may be forced to cut project funding in order to keep the facilities running.",
    ),
    _p(
        "s4_1_new",
        "Since the first edition of this report, the VNRC has opened a liaison office for infrastructure users,",
        "which advises research groups from abroad on access rules and fees. The office opened in {d:liaison}",
        "with a first-year budget of {a:liaison}; it is small, but early feedback from foreign users has been",
        "positive.",
        editions=ED2,
    ),
    Heading("s4_2", "Recommendations", 2),
    _p(
        "s4_2_p1",
        "Our interviews suggest that the Veldorian system does not lack money so much as coherence. We therefore",
        "make three recommendations, which are addressed jointly to the MSHE, the VNRC and the regional",
        "agencies:[^reco]",
    ),
    _p(
        "s4_2_b1",
        "Publish a single annual calendar of calls, so that applicants and foreign partners can plan joint",
        "proposals well in advance.",
        kind="bullet",
    ),
    _p(
        "s4_2_b2",
        "Build a shared application portal with common forms and a common reviewer database, replacing the",
        "separate systems of each agency.",
        kind="bullet",
    ),
    _p(
        "s4_2_b3",
        "Agree on standard co-funding rules for international projects, including a clear position on overheads",
        "and on the eligibility of partner costs.",
        kind="bullet",
    ),
    _p(
        "s4_2_p2",
        "None of these measures requires new legislation, and all of them could be introduced within two budget",
        "cycles. They would make the system easier to use for domestic researchers as well as for the foreign",
        "partners who are the main audience of this report.",
    ),
    # -- appendix -----------------------------------------------------------------------------
    PageBreak(),
    Heading("ref1", "Key Sources and Further Reading", 1, label="Reference 1"),
    _p(
        "ref_korvath",
        "KORVATH Anselm ({d:ref_korvath}). Competitive Funding in Small Research Systems. Kestrel Bay: Northern",
        "Polytechnic University Press.",
        kind="reference",
    ),
    _p(
        "ref_marsh",
        "Marsh, Helena and Pell, Oskar ({d:ref_marsh}). Peer review reform at the Veldoria National Research",
        "Council. Veldorian Journal of Science Policy 12 (3): 45-67.",
        kind="reference",
    ),
    _p(
        "ref_oss",
        "Office for Science Statistics ({d:ref_oss}). Research and Development Expenditure Survey: Methods and",
        "Results. Valmere: OSS.",
        kind="reference",
    ),
    _p(
        "ref_vnrc",
        "Veldoria National Research Council ({d:ref_vnrc}). Annual Report and Accounts. Valmere: VNRC.",
        kind="reference",
    ),
    _p(
        "ref_zhang",
        "Zhang Lihua and Quint, Rafael ({d:ref_zhang}). Coastal engineering under a changing climate: first",
        "results of the joint laboratory. Eastern Sea Engineering Review 8: 101-118.",
        kind="reference",
    ),
)
