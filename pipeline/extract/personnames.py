"""What a person's name looks like once titles and possessives are gone, and when two forms are one name.

The model's PERSON spans carry titles ("Professor", "General Secretary"), roles
("founders"), possessives ("Marsh's"), trailing remarks ("Ann Lee - June 2")
and, in reports, many false hits on capitalised words, acronyms and currency
codes. These are general English rules; nothing here lists anyone's name.
"""

from __future__ import annotations

import re

from spacy.lang.en.stop_words import STOP_WORDS

from pipeline.extract.amounts import is_currency_code
from pipeline.extract.lexicon import MEDIA_NOUNS, NON_BODY_NOUNS, PARTICLES, TITLES
from pipeline.extract.orgnames import has_designator

__all__ = ["clean_person", "is_full_name", "is_title", "name_key", "name_words", "person_shaped"]

_WORD = re.compile(r"\S+")
_INITIAL = re.compile(r"[A-Z]\.(?:-?[A-Z]\.)*")
# A name word: "Ilse", "Varga-Lund", "O'Neill", "Müller", "KREN" (upper-case surname), "McKay".
_NAME_WORD = re.compile(r"[^\W\d_][^\W\d_'’\-]*(?:['’\-][^\W\d_]+)*")
_POSSESSIVE = re.compile(r"['’]s?$")
# Where a span runs on past the name: a dash between spaces, a comma, a semicolon, a parenthesis.
_BREAK = re.compile(r"\s[-–—]\s|[,;(]")
_EDGE_PUNCT = "\"'“”‘’()[]{},;:!?•–—-*"
_MAX_WORDS = 5
_MAX_CODE = 2
# Endings of English abstract nouns and adjectives that no given name or surname has in common use.
_NOUN_ENDINGS = (
    "tion",
    "tions",
    "ments",
    "ness",
    "ity",
    "ities",
    "able",
    "ible",
    "izer",
    "izers",
    "ship",
    "ships",
    "ology",
    "ism",
    "isms",
)


def _singular(word: str) -> str:
    bare = word.strip(".,").lower()
    return bare[:-1] if bare.endswith("s") and len(bare) > 3 else bare


def is_title(word: str) -> bool:
    """True for an honorific, office or role word ("Dr.", "President", "founders")."""
    bare = word.strip(".,").lower()
    return bare in TITLES or _singular(word) in TITLES


def _is_name_word(word: str) -> bool:
    """A capitalised word or an initial; two capitals without dots are a code ("FR", "RC"), not an initial."""
    if word in PARTICLES or _INITIAL.fullmatch(word):
        return True
    if len(word) <= _MAX_CODE and word.isupper():
        return False
    return _NAME_WORD.fullmatch(word) is not None and word[0].isupper() and word.lower() not in STOP_WORDS


def name_words(name: str) -> list[str]:
    """The words of a cleaned name."""
    return _WORD.findall(name)


def person_shaped(name: str) -> bool:
    """One to five capitalised name words, not all acronyms, no currency code, designator, event noun or
    word with the ending of an abstract noun ("Regeneration", "Fellowships")."""
    parts = name_words(name)
    if not 1 <= len(parts) <= _MAX_WORDS or not all(_is_name_word(w) for w in parts):
        return False
    if any(w.lower().endswith(_NOUN_ENDINGS) for w in parts):
        return False
    if all(w.isupper() for w in parts) or any(is_currency_code(w) for w in parts):
        return False
    return not has_designator(name) and not any(_singular(w) in NON_BODY_NOUNS | MEDIA_NOUNS for w in parts)


def _trim_end(text: str, start: int, end: int) -> int:
    """Drop trailing punctuation, but not the dot of a final initial ("Paul R.")."""
    while end > start and text[end - 1] in _EDGE_PUNCT + ".":
        if text[end - 1] == "." and _INITIAL.fullmatch(text[start:end].split()[-1]):
            break
        end -= 1
    return end


def _strip(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Offsets of ``text[start:end]`` without leading titles, possessive and edge punctuation."""
    words = list(_WORD.finditer(text, start, end))
    while words and (is_title(words[0].group()) or words[0].group().strip(_EDGE_PUNCT) == ""):
        words.pop(0)
    if not words:
        return None
    start, end = words[0].start(), words[-1].end()
    while start < end and text[start] in _EDGE_PUNCT:
        start += 1
    end = _trim_end(text, start, end)
    possessive = _POSSESSIVE.search(text, start, end)
    if possessive and possessive.start() > start:
        end = _trim_end(text, start, possessive.start())
    return (start, end) if start < end else None


def clean_person(text: str) -> tuple[int, int] | None:
    """Offsets of the bare name inside a PERSON span, or None when what is left is not a name.

    The span is cut at the first remark break; the first piece holding more than titles is the name.
    """
    start = 0
    for cut in [*(m.start() for m in _BREAK.finditer(text)), len(text)]:
        found = _strip(text, start, cut)
        if found is not None:
            return found if person_shaped(text[found[0] : found[1]]) else None
        start = cut + 1
    return None


def is_full_name(name: str) -> bool:
    """Two or more words besides initials ("Nils K. Ostrand", not "P.O. Box" or "Ostrand")."""
    return len(name_key(name)) >= 2


def name_key(name: str) -> frozenset[str]:
    """Order- and case-free identity of a name: "Mei Dalan" == "Dalan Mei", "Tomas KREN" == "Tomas Kren"."""
    return frozenset(w.casefold() for w in name_words(name) if not _INITIAL.fullmatch(w))
