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

__all__ = ["DateRef", "introduced"]

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
