"""The period an amount is for, from the dates of its block and the words that introduce them.

Only a date introduced as a time ("in 2021", "for 2020-2021", "from 2013 to 2019", "as of the end
of December 2022", a parenthesis of its own) can be a period: a year that names something ("the
2022 Annual Report") is not. "As of" a date counts up to that date, from the earliest year the
paragraph gave before (when the fund was set up), or from nothing.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from pipeline.extract.flows.parens import Parens

__all__ = ["DateRef", "Period", "dated", "introduced", "period_of"]

_INTRO = re.compile(
    r"(?i:\b(?P<word>in|for|during|from|since|between|until|till|through|over|throughout|of"
    r"|as\s+of(?:\s+the\s+(?:end|beginning|start|close|middle)\s+of)?|as\s+at|by\s+the\s+end\s+of)"
    r"(?:\s+(?:the\s+)?(?:year|fiscal\s+year|financial\s+year|FY))?\s+|(?P<paren>\())$"
)
_CUMULATIVE = re.compile(r"(?i)^as\s+(?:of|at)|^by\s+the\s+end")
_WINDOW = 60


@dataclass(frozen=True, slots=True)
class DateRef:
    """A date mention of a block (block offsets) with its span and how the text introduces it."""

    start_char: int
    end_char: int
    start: datetime.date
    end: datetime.date
    word: str | None

    @property
    def cumulative(self) -> bool:
        return self.word is not None and _CUMULATIVE.match(self.word) is not None


def introduced(text: str, row: dict) -> DateRef:
    """A ``dates`` row of the block with the word that introduces it ("in", "as of ...", "(")."""
    m = _INTRO.search(text, max(0, row["start_char"] - _WINDOW), row["start_char"])
    word = None
    if m is not None:
        word = "(" if m.group("paren") else re.sub(r"\s+", " ", m.group("word").lower())
    return DateRef(row["start_char"], row["end_char"], row["start"], row["end"], word)


Period = tuple[datetime.date | None, datetime.date | None]
_MODIFIERS = frozenset({"appos", "npadvmod", "nmod", "nummod", "compound"})
_BOUNDARY_NOUNS = frozenset({"end", "beginning", "start", "close", "middle"})


def period_of(doc: Doc, parens: Parens, dates: list[DateRef], span: Span, above: list[Token]) -> Period:
    """The period of the amount ``span``: a year in its own parenthesis, else the date introduced as a time that
    hangs nearest on the amount, then on ``above`` (its money noun and its path to the root, nearest first)."""
    inner = parens.inner(span.start_char, span.end_char)
    if inner is not None:  # a parenthesis carrying its own year
        own = [d for d in dates if d.word is not None and parens.inner(d.start_char, d.end_char) == inner]
        if own:
            return own[0].start, own[0].end
    return dated(doc, parens, dates, [*span, *above], inner) or (None, None)


def dated(
    doc: Doc,
    parens: Parens,
    dates: list[DateRef],
    anchors: list[Token],
    inner: tuple[int, int] | None,
    allow_parenthesis: bool = False,
) -> Period | None:
    """The period of the date that attaches nearest to the anchors (in their order); None when none does.

    Dates in another parenthesis than ``inner`` belong to something else, except, with ``allow_parenthesis``,
    a parenthesis that is itself the date ("the project (2018-2022)").
    """
    order = [t.i for t in anchors]
    best: tuple[int, DateRef] | None = None
    for d in dates:
        if d.word is None or (d.word == "(" and not allow_parenthesis):
            continue
        if d.word != "(" and parens.inner(d.start_char, d.end_char) not in (None, inner):
            continue
        tok = _attachment(doc, d)
        if tok is not None and tok.i in order:
            rank = order.index(tok.i)
            if best is None or rank < best[0]:
                best = (rank, d)
    if best is None:
        return None
    d = best[1]
    if d.cumulative:
        sent_start = doc[order[0]].sent.start_char
        earlier = [e for e in dates if e.end_char <= sent_start and e.start.year < d.end.year]
        since = max(earlier, key=lambda e: e.start_char).start.year if earlier else None
        return (datetime.date(since, 1, 1) if since else None), d.end
    return d.start, d.end


def _attachment(doc: Doc, d: DateRef) -> Token | None:
    """The token a date expression modifies: climb out of its prepositions ("as of the end of December 2022")."""
    span = doc.char_span(d.start_char, d.end_char, alignment_mode="expand")
    if span is None:
        return None
    tok = span.root
    while tok.head is not tok and (
        tok.dep_ in ("pobj", "pcomp", "prep") or tok.pos_ == "ADP" or tok.lower_ in _BOUNDARY_NOUNS
    ):
        tok = tok.head
    return tok.head if tok.dep_ in _MODIFIERS else tok
