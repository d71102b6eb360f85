"""Acronym definitions written in the text: "Long Form (ACR)" and "ACR (Long Form)".

Schwartz & Hearst (2003) style: the letters of the acronym must appear, in
order, in the long form, the first one opening its first word. On top of the
original algorithm the long form must start with a capitalised word and at
least half of the acronym's letters must open a word, which keeps sentence
fragments ("and Coastal ...") and chance letter matches out.
"""

from __future__ import annotations

import re
from functools import cache
from typing import NamedTuple

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.language import Language
from spacy.tokens import Doc

from pipeline.extract.amounts import is_currency_code
from pipeline.extract.lexicon import CONNECTORS
from pipeline.extract.orgnames import has_designator

__all__ = ["Definition", "acronym_shaped", "find_definitions", "fits_initials"]

Doc.set_extension("acronym_definitions", default=None, force=True)

_PAREN = re.compile(r"\(([^()]{1,200})\)")
_ACRONYM = re.compile(r"(?=(?:[^A-Z]*[A-Z]){2})[A-Z][A-Za-z0-9&.\-]{1,11}")
_ROMAN = re.compile(r"[IVXLC]+")
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")
# Inside a parenthesis the acronym may be followed by a remark: "(VSA, founded 1996)", "(VSA; ...)".
_SHORT_IN_PAREN = re.compile(
    r"\s*(?:hereinafter\s+(?:referred\s+to\s+as\s+)?)?[\"“']?([^\s,;\"”']+)[\"”']?\s*(?:[,;].*)?$"
)
_EXTRA_WORDS = 10
# A lower-case tail after a name, before its acronym: "... Academy of Y for the advancement of z (ACR)".
_TAIL_OPENERS = frozenset({"for", "of", "in", "on", "to"})
_MAX_TAIL = 10
_MAX_QUALIFIER = 3
_SENTENCE_BREAK = re.compile(r"[.!?;:]\s+\S")
_LEADING_DETERMINER = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)


class Definition(NamedTuple):
    """Character offsets of an acronym and of the long form it stands for.

    ``qualified_start`` <= ``long_start`` also takes in a parent or place written before the long
    form ("ABC Data Office (DO)": the long form is "Data Office", the body "ABC Data Office").
    """

    short_start: int
    short_end: int
    long_start: int
    long_end: int
    qualified_start: int


def acronym_shaped(word: str) -> bool:
    """Two or more capitals, starting with one, at most 12 characters ("VSA", "RTGs", "Co-OP")."""
    return (
        _ACRONYM.fullmatch(word) is not None
        and _ROMAN.fullmatch(word) is None
        and not is_currency_code(word)
        and not word.endswith((".", "-"))
    )


def _letters(short: str) -> str:
    """Letters and digits an acronym asks for; a plural 's' ("RTGs") asks for nothing."""
    core = short[:-1] if len(short) > 2 and short.endswith("s") and short[:-1].isupper() else short
    return "".join(c for c in core.lower() if c.isalnum())


def _word_starts(text: str) -> frozenset[int]:
    """Offsets that open a word, including the parts of hyphenated and CamelCase words."""
    starts = {m.start() for m in _WORD.finditer(text)}
    starts |= {i for i in range(1, len(text)) if text[i].isupper() and text[i - 1].islower()}
    return frozenset(starts)


def _initials(letters: str, text: str) -> int | None:
    """Most acronym letters that can open words when all letters match ``text`` in order, or None.

    The first letter must match ``text[0]``.
    """
    lowered = text.lower()
    starts = _word_starts(text)

    @cache
    def best(i: int, pos: int) -> int | None:
        if i == len(letters):
            return 0
        found: int | None = None
        j = lowered.find(letters[i], pos)
        while j != -1:
            rest = best(i + 1, j + 1)
            if rest is not None:
                score = rest + (j in starts)
                found = score if found is None else max(found, score)
            j = lowered.find(letters[i], j + 1)
        return found

    if not letters or not lowered.startswith(letters[0]):
        return None
    rest = best(1, 1)
    return None if rest is None else rest + 1


def _fits(letters: str, text: str) -> bool:
    """True when ``text`` can be the long form of an acronym with these letters."""
    score = _initials(letters, text)
    return score is not None and 2 * score >= len(letters)


def fits_initials(short: str, text: str) -> bool:
    """True when ``text`` can be the long form of the acronym ``short`` (letters in order, half opening words)."""
    return _fits(_letters(short), text)


def _long_before(letters: str, text: str, end: int) -> int | None:
    """Start of the long form ending at ``end``: the shortest that fits, widened to a longer one that also does.

    The shortest fit can start inside a hyphenated word ("Trans-Island") or one word too late
    ("National Northern Tide Council" for NNTC); it is widened over the rest of the compound, and
    over earlier capitalised words with the same initial while the long form still fits.
    """
    words = list(_WORD.finditer(text, max(0, end - 400), end))
    window = words[-(len(letters) + _EXTRA_WORDS) :]
    for k in range(len(window) - 1, -1, -1):
        first = window[k].group()
        candidate = text[window[k].start() : end]
        if not _name_like(candidate):
            break
        if (first[0].isupper() or first[0].isdigit()) and _fits(letters, candidate):
            while k > 0 and _widens(text, window[k - 1], window[k], letters, end):
                k -= 1
            return window[k].start()
    return None


def _name_before_tail(letters: str, text: str, end: int) -> tuple[int, int] | None:
    """'The X Academy of Y for the advancement of z in w (TXAY)': a name whose every capitalised word opens
    one of the acronym's letters, then a lower-case tail that describes it, opened by a preposition.

    The tail is not part of the name; the name must spell the whole acronym from its word
    initials, which a run of ordinary words before a parenthesis does not.
    """
    words = list(_WORD.finditer(text, max(0, end - 400), end))[-(len(letters) + _MAX_TAIL + 4) :]
    for i in range(len(words) - 2, 0, -1):
        if words[i].group() not in _TAIL_OPENERS or not words[i - 1].group()[:1].isupper():
            continue
        tail = text[words[i].start() : end]
        if len(words) - i > _MAX_TAIL or _SENTENCE_BREAK.search(tail) or "(" in tail or ")" in tail:
            return None
        name_end = words[i - 1].end()
        capitals = [w for w in words[:i] if w.group()[:1].isupper() or w.group().lower() in CONNECTORS]
        run = []
        for w in reversed(words[:i]):
            if w not in capitals or (run and text[w.end() : run[-1].start()] != " "):
                break
            run.append(w)
        heads = [w for w in reversed(run) if w.group()[:1].isupper()]
        while heads and "".join(w.group()[0].lower() for w in heads) != letters and len(heads) > len(letters):
            heads.pop(0)
        if "".join(w.group()[0].lower() for w in heads) == letters:
            return heads[0].start(), name_end
        return None
    return None


def _name_like(candidate: str) -> bool:
    """A long form is a name: no brackets or sentence break, at most one lower-case word beyond "of", "and"...

    ("Trans-Island network on Tide Studies" passes; "Flight data recorder" and "... warranty,
    thereby Computer" do not.)
    """
    if "(" in candidate or ")" in candidate or _SENTENCE_BREAK.search(candidate):
        return False
    lower = [w for w in _WORD.findall(candidate) if w[0].islower() and w not in CONNECTORS]
    return len(lower) <= 1


def _widens(text: str, before: re.Match[str], start: re.Match[str], letters: str, end: int) -> bool:
    """Whether the long form starting at ``start`` also reads well starting one word earlier."""
    gap = text[before.end() : start.start()]
    word = before.group()
    if gap == "-":
        return word[0].isupper() and _fits(letters, text[before.start() : end])
    return (
        gap == " "
        and word[0].isupper()
        and not word.endswith(("'s", "’s"))
        and word.lower() not in STOP_WORDS
        and word.lower()[0] == letters[0]
        and not acronym_shaped(word)
        and not has_designator(word)
        and _fits(letters, text[before.start() : end])
    )


def _qualifier_start(text: str, long_start: int) -> int:
    """Start of a parent or place written right before the long form ("ABC Data Office", "Veltra State Office").

    Up to three capitalised words, none a designator or possessive; a sentence may open with an
    acronym qualifier but not with an ordinary capitalised word.
    """
    start = long_start
    for _ in range(_MAX_QUALIFIER):
        word = re.search(r"(\S+) $", text[max(0, start - 40) : start])
        if word is None:
            break
        w = word.group(1)
        if not w[0].isupper() or w.lower() in STOP_WORDS or w.endswith(("'s", "’s")) or has_designator(w):
            break
        if not w.isalpha() and not acronym_shaped(w):
            break
        start -= len(word.group())
    if start == long_start:
        return long_start
    opening = re.search(r"(?:^|[.!?:;]\s+)$", text[:start])
    first = text[start:long_start].split()[0]
    return long_start if opening and not acronym_shaped(first) else start


def _definition_after_long(text: str, paren: re.Match[str]) -> Definition | None:
    """'Long Form (ACR)': the acronym inside the parenthesis."""
    inner = _SHORT_IN_PAREN.match(paren.group(1))
    if inner is None or not acronym_shaped(inner.group(1)):
        return None
    long_end = paren.start()
    while long_end > 0 and text[long_end - 1] in " \t\n,":
        long_end -= 1
    letters = _letters(inner.group(1))
    long_start = _long_before(letters, text, long_end)
    if long_start is None:
        named = _name_before_tail(letters, text, long_end)
        if named is None:
            return None
        long_start, long_end = named
    short_start = paren.start(1) + inner.start(1)
    short_end = short_start + len(inner.group(1))
    return Definition(short_start, short_end, long_start, long_end, _qualifier_start(text, long_start))


def _definition_before_long(text: str, paren: re.Match[str]) -> Definition | None:
    """'ACR (Long Form)': the acronym just before the parenthesis, the long form filling it."""
    before = re.search(r"(\S+)\s*$", text[: paren.start()])
    if before is None or not acronym_shaped(before.group(1)):
        return None
    inner = paren.group(1)
    lead = _LEADING_DETERMINER.match(inner)
    offset = lead.end() if lead else 0
    body = inner[offset:].rstrip(" ,;.")
    if len(body.split()) < 2 or not body[0].isupper() or not _name_like(body):
        return None
    if not _fits(_letters(before.group(1)), body):
        return None
    long_start = paren.start(1) + offset
    return Definition(before.start(1), before.end(1), long_start, long_start + len(body), long_start)


def find_definitions(text: str) -> list[Definition]:
    """Every acronym definition in ``text``, in order of appearance."""
    found = []
    for paren in _PAREN.finditer(text):
        definition = _definition_after_long(text, paren) or _definition_before_long(text, paren)
        if definition is not None:
            found.append(definition)
    return found


@Language.component("acronym_definitions")
def acronym_definitions(doc: Doc) -> Doc:
    """Store the definitions found in the text as ``doc._.acronym_definitions`` (exact character offsets)."""
    doc._.acronym_definitions = find_definitions(doc.text)
    return doc
