"""Rule-based extraction of monetary amounts from report text.

A number counts as money only when a currency marker is written next to it, so
years, counts and percentages never surface as amounts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["AmountMatch", "find_amounts", "is_currency_code"]


@dataclass(frozen=True)
class AmountMatch:
    """One monetary amount; ``text`` is ``input[start:end]``."""

    start: int
    end: int
    text: str
    value: float
    currency: str
    approximate: bool
    value_high: float | None
    period: str | None


_UNITS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_SCALES = {
    "hundred": 1e2,
    "thousand": 1e3,
    "million": 1e6,
    "mn": 1e6,
    "billion": 1e9,
    "bn": 1e9,
    "trillion": 1e12,
    "tn": 1e12,
}

# ISO 4217 codes accepted when written as a whole token next to a number.  Codes that are
# also common English words or acronyms (ALL, TOP, CUP, PEN, SOS, TRY, MOP, BAM, ...) are left
# out on purpose: in upper-case headings they would turn counts into money.
_ISO_CODES = frozenset(
    {
        "AED",
        "ARS",
        "AUD",
        "BDT",
        "BGN",
        "BHD",
        "BRL",
        "CAD",
        "CHF",
        "CLP",
        "CNY",
        "COP",
        "CZK",
        "DKK",
        "EGP",
        "EUR",
        "GBP",
        "HKD",
        "HUF",
        "IDR",
        "ILS",
        "INR",
        "IQD",
        "IRR",
        "ISK",
        "JOD",
        "JPY",
        "KES",
        "KRW",
        "KWD",
        "KZT",
        "LKR",
        "MXN",
        "MYR",
        "NGN",
        "NOK",
        "NPR",
        "NZD",
        "OMR",
        "PHP",
        "PKR",
        "PLN",
        "QAR",
        "RON",
        "RSD",
        "RUB",
        "SAR",
        "SEK",
        "SGD",
        "THB",
        "TND",
        "TWD",
        "UAH",
        "USD",
        "UZS",
        "VND",
        "XAF",
        "XOF",
        "ZAR",
    }
)
_CODE_ALIASES = {"RMB": "CNY"}
_SYMBOLS = {
    "US$": "USD",
    "U.S.$": "USD",
    "HK$": "HKD",
    "S$": "SGD",
    "A$": "AUD",
    "C$": "CAD",
    "NT$": "TWD",
    "R$": "BRL",
    "$": "USD",
    "€": "EUR",
    "£": "GBP",
    "¥": "JPY",
    "￥": "JPY",
    "₩": "KRW",
    "₹": "INR",
    "元": "CNY",
}
# Currency words written after a number (singular; a plural "s" is accepted on every word).
_WORDS = {
    "us dollar": "USD",
    "u.s. dollar": "USD",
    "american dollar": "USD",
    "hong kong dollar": "HKD",
    "singapore dollar": "SGD",
    "australian dollar": "AUD",
    "canadian dollar": "CAD",
    "new taiwan dollar": "TWD",
    "taiwan dollar": "TWD",
    "new zealand dollar": "NZD",
    "dollar": "USD",
    "euro": "EUR",
    "yen": "JPY",
    "yuan": "CNY",
    "renminbi": "CNY",
    "pound sterling": "GBP",
    "swiss franc": "CHF",
    "rupee": "INR",
    "ruble": "RUB",
    "rouble": "RUB",
}
_WORD_TOKENS = frozenset(token for key in _WORDS for token in key.split())


def is_currency_code(word: str) -> bool:
    """True for an ISO 4217 code or alias this module reads as money ("USD", "RMB"), so NER never makes it a name."""
    return word in _ISO_CODES or word in _CODE_ALIASES


def _alternation(words: list[str]) -> str:
    """Longest-first alternation so that 'US$' wins over '$'."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def _word_alternation() -> str:
    """Currency words with an optional plural 's' on each word ('pounds sterling')."""
    keys = sorted(_WORDS, key=len, reverse=True)
    return "|".join(r"\s+".join(re.escape(tok) + "s?" for tok in key.split()) for key in keys)


# A currency token must stand alone: no letter glued on either side, nor a hyphenated word part.
_TOKEN_END = r"(?![A-Za-z]|-[A-Za-z])"
_CODE_RE = rf"(?<![A-Za-z])(?:{_alternation([*_ISO_CODES, *_CODE_ALIASES])}){_TOKEN_END}"
_WORD_RE = rf"(?i:(?<![A-Za-z])(?:{_word_alternation()}){_TOKEN_END})"
_SYMBOL_RE = _alternation([s for s in _SYMBOLS if s != "元"])
_PREFIX = rf"(?:{_SYMBOL_RE}|{_CODE_RE})"
_SUFFIX = rf"(?:{_CODE_RE}|{_WORD_RE}|元)"

_DIGITS = r"(?:\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?:\.\d+)?(?![\d,]\d)"
_SMALL_WORD = _alternation(list(_UNITS))
_BIG_WORD = "hundred|thousand|million|billion|trillion"
_WORD_NUMBER = (
    rf"(?i:\b(?:(?:{_SMALL_WORD})\b|an?(?=\s+(?:{_BIG_WORD})\b))"
    rf"(?:(?:\s+|-)(?:and\s+)?(?:{_SMALL_WORD}|{_BIG_WORD})\b)*)"
)
_SCALE = r"(?i:hundred|thousand|million|billion|trillion|mn|bn|tn)\b"
_NUMBER = rf"(?:{_DIGITS}|{_WORD_NUMBER})(?:\s*{_SCALE})*(?!\s*%)"

_APPROX = (
    r"(?i:approx\.|approximately|about|around|roughly|nearly|almost|more\s+than|less\s+than"
    r"|over|under|up\s+to|at\s+least|some|close\s+to|an\s+estimated)"
)
_LEAD = rf"(?:(?P<approx>(?<![\w])(?:{_APPROX})\s+|~\s?))?"
_BETWEEN = r"(?i:between)\s+"
_RANGE_SEP = r"\s*(?:-|–|—|(?i:to|and))\s*"

_PREFIX_FORM = re.compile(
    rf"{_LEAD}(?P<between>{_BETWEEN})?(?P<cur>{_PREFIX})\s?(?P<low>{_NUMBER})"
    rf"(?:(?P<sep>{_RANGE_SEP})(?:{_PREFIX})?\s?(?P<high>{_NUMBER}))?"
)
_SUFFIX_FORM = re.compile(
    rf"{_LEAD}(?P<between>{_BETWEEN})?(?<![\w.,])(?P<low>{_NUMBER})"
    rf"(?:(?P<sep>{_RANGE_SEP})(?P<high>{_NUMBER}))?[\s-]?(?P<cur>{_SUFFIX})"
)
_PERIOD = re.compile(
    r"\s*(?:(?:per|a|an|each|every|/)\s*(?P<unit>(?:(?:work|man|labou?r)[\s-]{0,2})?hour|day|week|month|year|annum)\b"
    r"|,?\s*(?P<adverb>hourly|daily|weekly|monthly|annually|yearly))",
    re.IGNORECASE,
)
_PERIOD_NAMES = {
    "hourly": "hour",
    "annum": "year",
    "daily": "day",
    "weekly": "week",
    "monthly": "month",
    "annually": "year",
    "yearly": "year",
}
# "in 2020 US dollars" names a price base year, not an amount of 2,020.
_PRICE_BASE = re.compile(r"(?i:\b(?:in|constant|current|real|nominal)\s+)$")
_YEAR_LIKE = re.compile(r"(?:18|19|20)\d\d|2100")
_CONTEXT_CHARS = 20
_LEADING_DIGITS = re.compile(r"[\d,]+(?:\.\d+)?")
_WORD_TOKEN = re.compile(r"[a-z]+")


def _parse_words(words: str) -> float:
    """Value of an English number phrase such as 'one hundred and twenty million'."""
    total = 0.0
    current = 0.0
    for token in _WORD_TOKEN.findall(words.lower()):
        if token in _UNITS:
            current += _UNITS[token]
        elif token in ("a", "an"):
            current = 1.0
        elif token == "hundred":
            current = (current or 1.0) * 100
        elif token in _SCALES:
            total += (current or 1.0) * _SCALES[token]
            current = 0.0
    return total + current


def _parse_number(surface: str) -> tuple[float, float]:
    """Return (value, trailing scale factor) of a digit or word number with scale words.

    The trailing factor lets a bare range start share the scale of its end ('$5-10 million').
    """
    tokens = _WORD_TOKEN.findall(surface.lower())
    factor = 1.0
    for token in reversed(tokens):
        if token not in _SCALES:
            break
        factor *= _SCALES[token]
    digits = _LEADING_DIGITS.match(surface)
    if digits is None:
        return _parse_words(surface), factor
    return float(digits.group().replace(",", "")) * factor, factor


def _currency_code(marker: str) -> str:
    """Map a symbol, code or currency word to its ISO 4217 code."""
    if marker in _SYMBOLS:
        return _SYMBOLS[marker]
    if marker in _ISO_CODES or marker in _CODE_ALIASES:
        return _CODE_ALIASES.get(marker, marker)
    tokens = marker.lower().split()
    key = " ".join(t if t in _WORD_TOKENS else t.removesuffix("s") for t in tokens)
    return _WORDS[key]


def _period(text: str, end: int) -> str | None:
    """Time unit written right after the amount ('per month', 'annually'); a labour rate's work-hour is an hour."""
    found = _PERIOD.match(text, end)
    if found is None:
        return None
    unit = (found.group("unit") or found.group("adverb")).lower()
    if unit.endswith("hour"):
        return "hour"
    return _PERIOD_NAMES.get(unit, unit)


def _is_price_base(text: str, m: re.Match[str]) -> bool:
    """True for a bare year before a currency, as in 'constant 2015 dollars'."""
    return (
        m.group("high") is None
        and _YEAR_LIKE.fullmatch(m.group("low")) is not None
        and _PRICE_BASE.search(text, max(0, m.start() - _CONTEXT_CHARS), m.start()) is not None
    )


def _build(text: str, m: re.Match[str]) -> AmountMatch | None:
    """Turn a regex hit into an AmountMatch, rejecting inconsistent ranges."""
    sep = (m.group("sep") or "").strip().lower()
    if (sep == "and") != bool(m.group("between")):
        return None
    if _is_price_base(text, m):
        return None
    low, low_factor = _parse_number(m.group("low"))
    high = None
    if m.group("high"):
        high, high_factor = _parse_number(m.group("high"))
        if low_factor == 1.0 and low * high_factor <= high:
            low *= high_factor
        if high <= low:
            return None
    return AmountMatch(
        start=m.start(),
        end=m.end(),
        text=m.group(),
        value=low,
        currency=_currency_code(m.group("cur")),
        approximate=bool(m.group("approx")),
        value_high=high,
        period=_period(text, m.end()),
    )


def _candidates(text: str) -> list[AmountMatch]:
    """All amounts from both currency-first and number-first patterns."""
    found = []
    for pattern in (_PREFIX_FORM, _SUFFIX_FORM):
        for m in pattern.finditer(text):
            amount = _build(text, m)
            if amount is not None:
                found.append(amount)
    return found


def find_amounts(text: str) -> list[AmountMatch]:
    """Find monetary amounts in ``text``; overlapping candidates keep the longest."""
    chosen: list[AmountMatch] = []
    for cand in sorted(_candidates(text), key=lambda a: (a.start - a.end, a.start)):
        if all(cand.end <= c.start or cand.start >= c.end for c in chosen):
            chosen.append(cand)
    return sorted(chosen, key=lambda a: a.start)
