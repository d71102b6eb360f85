"""Rule-based extraction of calendar dates, month spans and years from report text.

Every match is normalised to an inclusive ``start_date``..``end_date`` span so that a
month ("April 2031") or a year range ("2008-2012") can be stored next to exact days.
"""

from __future__ import annotations

import calendar
import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass

__all__ = ["DateMatch", "find_dates"]


@dataclass(frozen=True)
class DateMatch:
    """One date expression; ``text`` is ``input[start:end]``."""

    start: int
    end: int
    text: str
    start_date: datetime.date
    end_date: datetime.date
    precision: str


_MONTH_NUMBERS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTH_NUMBERS |= {name.lower(): i for i, name in enumerate(calendar.month_abbr) if name}
_MONTH_NUMBERS["sept"] = 9


def _month_alternation() -> str:
    """Month names in Title or UPPER case only: lower-case 'may'/'march' are usually verbs."""
    names = sorted(_MONTH_NUMBERS, key=len, reverse=True)
    return "|".join(f"{n.title()}|{n.upper()}" for n in names)


_MONTH_ALT = _month_alternation()
_YEAR = r"1[89]\d\d|20\d\d|2100"
# A year must not be glued to a word, a number, a path or a price ...
_YEAR_START = r"(?<![\w.,/#$€£¥–-])"
# ... nor run on into a number, path, file name, word or percentage (hyphen compounds are
# refused in _compile).  Digits after a dot or comma are allowed after a month name, where
# they are footnote calls ("June 2011.7").
_YEAR_END = r"(?!\d|[/:]\d|\.[a-z]|[A-Za-z%])"
# Bare years take no decimals ("2019.5") except a footnote call ending a sentence or line.
_DECIMAL = r"(?:(?![.,]\d)|(?=\.\d{1,3}(?:\n|[ \t]+[A-Z]|$)))"
_PIECES = {
    "M1": rf"(?<![A-Za-z])(?P<m1>{_MONTH_ALT})(?![A-Za-z])\.?",
    "M2": rf"(?<![A-Za-z])(?P<m2>{_MONTH_ALT})(?![A-Za-z])\.?",
    "D1": r"(?<![\w.,/-])(?P<d1>0?[1-9]|[12]\d|3[01])(?:st|nd|rd|th)?(?![\d:])",
    "D2": r"(?<![\d.,])(?P<d2>0?[1-9]|[12]\d|3[01])(?:st|nd|rd|th)?(?![\d:])",
    "Y1": rf"(?P<y1>{_YEAR}){_YEAR_END}",
    "Y2": rf"(?P<y2>{_YEAR}){_YEAR_END}",
    "YR": rf"(?P<y1>{_YEAR})",  # first year of a numeric form; the separator follows directly
    "MM": r"(?P<m1>0?[1-9]|1[0-2])",
    "DD": r"(?P<d1>0?[1-9]|[12]\d|3[01])",
    "SEP": r"\s*(?:-|–|—|to|through|until|till)\s*",
    "DASH": r"\s*(?:-|–|—|to|through|and|&)\s*",
}


# A year opening a dashed identifier ("2018–23–51", "2019–AB–035–XY" with a line-end space).
_CODE_AFTER = r"(?![-–]\s?[A-Za-z0-9]+[-–]\w)"


def _compile(template: str) -> re.Pattern[str]:
    """Expand <M1>, <D1>, <Y1>, ... placeholders into named groups; never end inside 'x-y' or a dashed code."""
    for key, piece in _PIECES.items():
        template = template.replace(f"<{key}>", piece)
    return re.compile(template + r"(?!-\w)" + _CODE_AFTER)


# (pattern, precision); a missing first year copies the second, a missing end copies the start.
# A numeric month-day-year after the verb of a filing stamp ("Filed 8-5-20", "dated 11/3/19"): the
# verb says a date follows, so the month-first order of such stamps is read; two-digit years
# fall in 1950-2049.
_STAMP = "".join(
    ["(?:", "|".join(rf"(?<=\b(?i:{verb})\s)" for verb in ("filed", "dated", "issued", "signed", "received")), ")"]
)
_PATTERNS = [
    (_compile(r"<M1>\s*<D1><SEP><M2>\s*<D2>,?\s*<Y2>"), "day"),
    (_compile(r"<M1>\s*<D1><DASH><D2>,?\s*<Y2>"), "day"),
    (_compile(r"<M1>\s*<D1>,?\s*<Y1>"), "day"),
    (_compile(r"<D1><DASH><D2>\s+(?:of\s+)?<M1>,?\s*<Y2>"), "day"),
    (_compile(r"<D1>\s+(?:of\s+)?<M1><SEP><D2>\s+(?:of\s+)?<M2>,?\s*<Y2>"), "day"),
    (_compile(r"<D1>\s+(?:of\s+)?<M1>,?\s*<Y1>"), "day"),
    (_compile(_YEAR_START + r"<YR>(?P<s>[-/])<MM>(?P=s)<DD>(?!\d)"), "day"),
    (_compile(_STAMP + r"<MM>(?P<s>[-–/])<DD>(?P=s)(?P<yy>\d\d)(?![\d/–-])"), "day"),
    (_compile(r"<M1>,?\s*<Y1><SEP><M2>,?\s*<Y2>"), "month"),
    (_compile(r"<M1><SEP><M2>,?\s*<Y2>"), "month"),
    (_compile(r"(?i:between)\s+<M1>\s+and\s+<M2>,?\s*<Y2>"), "month"),
    (_compile(r"<M1>,?\s*(?:of\s+)?<Y1>"), "month"),
    (_compile(_YEAR_START + r"<YR>(?:<SEP>|/)<Y2>" + _DECIMAL), "year"),
    (_compile(r"(?i:between)\s+<Y1>\s+and\s+<Y2>" + _DECIMAL), "year"),
    (_compile(_YEAR_START + r"<YR>/(?P<yy>\d\d)(?![\d/])"), "year"),
    (_compile(r"(?<![\w-])FY\s?<Y1>"), "year"),
]
# Dates without a year borrow the nearest year written before them: from the same sentence
# for "on June 14th", from the preceding text for the anaphoric "May of that year".
_YEARLESS = [
    (_compile(r"<M1>\s*<D1>(?!\s*[-–]?\s*\d)"), "day", True),
    (_compile(r"<M1>\s+of\s+(?:that|the\s+same)\s+year"), "month", False),
]
_SINGLE_YEAR = _compile(_YEAR_START + r"<Y1>" + _DECIMAL)
_ANY_YEAR = _compile(_YEAR_START + r"<Y1>")
_SENTENCE_END = re.compile(r"[.!?][\"”’)]?\d{0,3}\s+(?=[\"“(\[]?[A-Z])")
_INFER_WINDOW = 400
_CONTEXT_CHARS = 30

# Words after which a bare four-digit number reads as a year: temporal prepositions, seasons,
# determiners ("the 2030 target"), possessives, and a capitalised title word on the same line
# that does not open a sentence ("Delm Outlook 2030", but not "Some 1950 delegates").
# Brackets count too: "(2019)", "[2021]".
_TEMPORAL_WORDS = (
    "in|since|by|from|until|till|to|through|before|after|during|of|year|fiscal|early|late|between"
    "|and|or|around|circa|throughout|for|spring|summer|autumn|fall|winter|the|a|an|this|that|its"
    "|their|our|whose"
)
_TEMPORAL_BEFORE = re.compile(
    rf"(?:\b(?i:{_TEMPORAL_WORDS})\s+|['’]s\s+|\b(?i:mid)-|(?<=[A-Za-z])\s+[A-Z][A-Za-z]*[ \t]+|\(|\[)$"
)
# A capitalised word on the same line after the year names an edition ("2030 Expo").
_TITLE_AFTER = re.compile(r"[ \t]+[A-Z]")
# "a total of 2020 researchers" is a count even though "of" precedes it.
_QUANTITY_BEFORE = re.compile(
    r"(?i:\b(?:total|number|sum|count|maximum|minimum|average|amount|group|team|set|series|out|list"
    r"|sample)\s+of\s+)$"
)
# Page, issue and catalogue numbers look like years but are not.
_REFERENCE_BEFORE = re.compile(
    r"(?i:\b(?:p|pp|no|nos|vol|vols|page|pages|fig|figure|table|chapter|section|article|art|tel|fax)"
    r"\.?\s*|#\s*)$"
)
_MASKS = re.compile(
    r"<(?:https?://|www\.)[^<>]{0,300}>"
    r"|(?:https?://|www\.)[^\s>]*"
    r"|\b10\.\d{4,9}/\S+"
    r"|\bIS[BS]N(?:-1[03])?:?\s*[\dX-]{8,17}",
    re.IGNORECASE,
)


def _masked(text: str) -> str:
    """Blank out URLs, DOIs and ISBNs (same length, so offsets stay valid)."""
    return _MASKS.sub(lambda m: "_" * len(m.group()), text)


def _month(value: str | None) -> int | None:
    """Month number from a name, abbreviation or digits."""
    if value is None:
        return None
    return int(value) if value.isdigit() else _MONTH_NUMBERS[value.lower()]


def _wraps_year_end(groups: dict[str, str | None]) -> bool:
    """True for 'December to February 2019': the start lies in the year before the one written."""
    if groups["y1"] is not None or groups["m2"] is None:
        return False
    start = (_month(groups["m1"]), int(groups["d1"] or 0))
    return start > (_month(groups["m2"]), int(groups["d2"] or 0))


def _span(groups: dict[str, str | None], precision: str, year: int) -> tuple[datetime.date, datetime.date]:
    """Inclusive date span; ``year`` fills in when the text names no year at all."""
    if groups["yy"] and not groups["y1"]:  # a stamp's two-digit year stands alone
        yy = int(groups["yy"])
        y = (2000 if yy < 50 else 1900) + yy
        return _day(y, _month(groups["m1"]), int(groups["d1"]), precision)
    y2 = int(groups["y2"] or groups["y1"] or year)
    y1 = int(groups["y1"] or y2) - _wraps_year_end(groups)
    if groups["yy"]:
        y2 = y1 // 100 * 100 + int(groups["yy"])
    if precision == "year":
        return datetime.date(y1, 1, 1), datetime.date(y2, 12, 31)
    m1 = _month(groups["m1"])
    m2 = _month(groups["m2"]) or m1
    if precision == "month":
        return datetime.date(y1, m1, 1), datetime.date(y2, m2, calendar.monthrange(y2, m2)[1])
    d1 = int(groups["d1"])
    return datetime.date(y1, m1, d1), datetime.date(y2, m2, int(groups["d2"] or d1))


def _day(year: int, month: int | None, day: int, precision: str) -> tuple[datetime.date, datetime.date]:
    if precision != "day" or month is None:
        raise ValueError("a stamp is a day")
    one = datetime.date(year, month, day)
    return one, one


def _truncate(day: datetime.date, precision: str) -> tuple[int, ...]:
    """The date reduced to its precision, to compare the two ends of a range."""
    return (day.year, day.month, day.day)[: {"year": 1, "month": 2, "day": 3}[precision]]


def _groups(m: re.Match[str]) -> dict[str, str | None]:
    """All span groups of a match, absent ones as None."""
    found = m.groupdict()
    return {key: found.get(key) for key in ("m1", "m2", "d1", "d2", "y1", "y2", "yy")}


def _inferred_year(scan: str, start: int, same_sentence: bool) -> int | None:
    """Nearest year written before ``start``, optionally only within the same sentence."""
    window_start = max(0, start - _INFER_WINDOW)
    if same_sentence:
        for end in _SENTENCE_END.finditer(scan, window_start, start):
            window_start = end.end()
    years = [m.group("y1") for m in _ANY_YEAR.finditer(scan, window_start, start)]
    return int(years[-1]) if years else None


def _make(text: str, m: re.Match[str], precision: str, year: int | None) -> DateMatch | None:
    """Build a DateMatch, or None when the parts do not form a valid, ordered span."""
    groups = _groups(m)
    if groups["y1"] is None and groups["y2"] is None and groups["yy"] is None and year is None:
        return None
    try:
        start_date, end_date = _span(groups, precision, year or 0)
    except ValueError:
        return None
    is_range = any(groups[k] for k in ("m2", "d2", "y2")) or bool(groups["yy"] and groups["y1"])
    first, last = _truncate(start_date, precision), _truncate(end_date, precision)
    if first > last or (is_range and first == last):
        return None
    if start_date.year < 1800 or end_date.year > 2100:
        return None
    return DateMatch(m.start(), m.end(), text[m.start() : m.end()], start_date, end_date, precision)


def _is_reference(scan: str, start: int) -> bool:
    """True for 'p. 2019', 'No. 2019' and similar catalogue numbers."""
    return _REFERENCE_BEFORE.search(scan, max(0, start - _CONTEXT_CHARS), start) is not None


def _is_temporal(scan: str, m: re.Match[str]) -> bool:
    """True when the words around a bare year make it read as a time."""
    window = max(0, m.start() - _CONTEXT_CHARS)
    if _QUANTITY_BEFORE.search(scan, window, m.start()):
        return False
    before = _TEMPORAL_BEFORE.search(scan, window, m.start())
    return before is not None or _TITLE_AFTER.match(scan, m.end()) is not None


def _candidates(text: str, scan: str) -> Iterator[DateMatch]:
    """Every pattern hit on the masked text, possibly overlapping."""
    hits = [(m, precision, None) for pattern, precision in _PATTERNS for m in pattern.finditer(scan)]
    for pattern, precision, same_sentence in _YEARLESS:
        for m in pattern.finditer(scan):
            hits.append((m, precision, _inferred_year(scan, m.start(), same_sentence)))
    hits += [(m, "year", None) for m in _SINGLE_YEAR.finditer(scan) if _is_temporal(scan, m)]
    for m, precision, year in hits:
        found = None if _is_reference(scan, m.start()) else _make(text, m, precision, year)
        if found is not None:
            yield found


def find_dates(text: str) -> list[DateMatch]:
    """Find dates in ``text``; overlapping candidates keep the longest."""
    chosen: list[DateMatch] = []
    ranked = sorted(_candidates(text, _masked(text)), key=lambda d: (d.start - d.end, d.start))
    for cand in ranked:
        if all(cand.end <= c.start or cand.start >= c.end for c in chosen):
            chosen.append(cand)
    return sorted(chosen, key=lambda d: d.start)
