"""Document-wide evidence that a capitalised phrase or acronym is a common noun, not a name.

Capitals alone prove little in notices, manuals and rules, which capitalise
terms, labels and products ("the Flight Manual", "737 XYZ"). Four signs, read
from the document itself, say a form is not a name:

- the same words are written elsewhere in lower case ("an airworthiness
  directive"): the capitals are Title Case of a common phrase;
- the acronym is defined by a lower-case phrase ("flight control computer
  (FCC)");
- the form mostly follows a number that is not a year ("14 CFR", "737 XYZ"):
  a citation code or a product model;
- the form mostly comes before the head noun of a document or product ("the
  Veltra Special Service Bulletin"): it only qualifies that noun;
- the acronym is explained in words as a measure, document or other non-body
  ("XYZ is an abbreviation for Weighted Tide Index").
"""

from __future__ import annotations

import itertools
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence

from pipeline.extract.acronyms import acronym_shaped, fits_initials
from pipeline.extract.lexicon import CONNECTORS, MEDIA_NOUNS, NON_BODY_NOUNS
from pipeline.extract.mentions import Mention
from pipeline.extract.orgnames import names_a_body

__all__ = [
    "WordIndex",
    "common_acronyms",
    "document_modifiers",
    "explained_terms",
    "lower_case_phrases",
    "number_coded",
]

_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
_PAREN_ACRONYM = re.compile(r"\(\s*([A-Z][A-Za-z0-9&\-]{1,11})\s*\)")
_NUMBER_BEFORE = re.compile(r"(?<![\w.,])(\d+(?:[.,]\d+)*)[ \t]+$")
_CODE_BEFORE = re.compile(r"(?<![\w])[A-Z0-9]+[-–/]$")
_CODE_AFTER = re.compile(r"[-–/]\d")
_YEAR = re.compile(r"1[89]\d\d|20\d\d|21\d\d")
_EXTRA_WORDS = 3
# "XYZ is an abbreviation for ...", "XYZ stands for ...": the words after it, up to the clause's end.
_EXPLAINED = re.compile(
    r"\b([A-Z][A-Za-z0-9&\-]{1,11})\s+(?:is\s+(?:an?\s+|the\s+)?(?:abbreviation|acronym|short)\s+(?:for|of)|stands\s+for)"
    r"\s+(?:the\s+|an?\s+)?[\"“‘']?([^.;:()\"”’\n]{3,120})"
)


def _capitalised(word: str) -> bool:
    return word[:1].isupper()


class WordIndex:
    """The words of a document in order, found by their lower-case form; phrases are runs split by spaces only."""

    def __init__(self, texts: Sequence[str]) -> None:
        document = "\n".join(texts)
        found = list(_WORD.finditer(document))
        self.words = [m.group() for m in found]
        self._spaced = [document[a.end() : b.start()].isspace() for a, b in itertools.pairwise(found)] + [False]
        self._at: dict[str, list[int]] = defaultdict(list)
        for i, w in enumerate(self.words):
            self._at[w.lower()].append(i)

    def uses(self, words: Sequence[str]) -> list[int]:
        """Where ``words`` occur in this order, in any case, separated by spaces only."""
        lowered = [w.lower() for w in words]
        n = len(lowered)
        return [
            i
            for i in self._at.get(lowered[0], [])
            if i + n <= len(self.words)
            and all(self.words[i + k].lower() == lowered[k] for k in range(1, n))
            and all(self._spaced[i + k] for k in range(n - 1))
        ]

    def after(self, i: int) -> str | None:
        """The word after position ``i`` when only spaces separate them."""
        return self.words[i + 1] if self._spaced[i] else None


def lower_case_phrases(names: Iterable[str], index: WordIndex) -> set[str]:
    """The multi-word names whose words also occur in the document with capitalised words written in lower case.

    Only the name's own words in order count ("Minimum Equipment List" / "minimum equipment list"); a
    name with an acronym-shaped word keeps it in the comparison ("ABC display system" matches "ABC
    Display System").
    """
    found = set()
    for name in set(names):
        words = _WORD.findall(name)
        capitals = [i for i, w in enumerate(words) if _capitalised(w) and w.lower() not in CONNECTORS]
        if len(words) < 2 or len(capitals) < 2:
            continue
        for at in index.uses(words):
            lowered = sum(1 for i in capitals[1:] if index.words[at + i][:1].islower())
            if lowered * 2 >= len(capitals) - 1:
                found.add(name)
                break
    return found


def _lower_case_phrase(words: list[str]) -> bool:
    """Lower-case words, the first one perhaps capitalised as a sentence opens ("Notice of proposed rules")."""
    rest = [w for w in words[1:] if w.lower() not in CONNECTORS]
    return all(w[:1].islower() for w in words[1:]) and (words[0][:1].islower() or len(rest) >= 2)


def _head_noun(word: str) -> bool:
    lower = word.lower()
    singular = lower[:-1] if lower.endswith("s") and len(lower) > 3 else lower
    return lower in NON_BODY_NOUNS | MEDIA_NOUNS or singular in NON_BODY_NOUNS | MEDIA_NOUNS


def document_modifiers(names: Iterable[str], index: WordIndex) -> set[str]:
    """The multi-word names that, in most of their uses, are followed by a capitalised document or product noun."""
    found = set()
    for name in set(names):
        words = _WORD.findall(name)
        if len(words) < 2 or " ".join(words) != name:
            continue
        uses = [at for at in index.uses(words) if index.words[at : at + len(words)] == words]
        heads = sum(1 for at in uses if (w := index.after(at + len(words) - 1)) and w[:1].isupper() and _head_noun(w))
        if uses and 2 * heads >= len(uses):
            found.add(name)
    return found


def common_acronyms(text: str) -> set[str]:
    """Acronyms defined in ``text`` by a phrase of lower-case words ("flight control computer (FCC)")."""
    found = set()
    for m in _PAREN_ACRONYM.finditer(text):
        short = m.group(1)
        if not acronym_shaped(short):
            continue
        before = _WORD.findall(text[max(0, m.start() - 200) : m.start()])
        letters = sum(1 for c in short if c.isupper() or c.isdigit())
        for k in range(1, min(len(before), letters + _EXTRA_WORDS) + 1):
            phrase = before[-k:]
            if _lower_case_phrase(phrase) and fits_initials(short, " ".join(phrase)):
                found.add(short)
                break
    return found


def explained_terms(text: str) -> set[str]:
    """Acronyms explained in words as something other than a body ("XYZ stands for Weighted Tide Index")."""
    found = set()
    for m in _EXPLAINED.finditer(text):
        short, long = m.group(1), m.group(2).strip()
        if acronym_shaped(short) and fits_initials(short, long) and not names_a_body(long):
            found.add(short)
    return found


def _in_code(m: Mention) -> bool:
    """After a number that is not a year ("14 CFR"), or joined by a dash or slash to a code ("XY-ABC", "ABC-12")."""
    text = m.segment.block.text
    before = _NUMBER_BEFORE.search(text[max(0, m.start - 20) : m.start])
    if before is not None and not _YEAR.fullmatch(before.group(1)):
        return True
    left = _CODE_BEFORE.search(text[max(0, m.start - 20) : m.start])
    return left is not None or _CODE_AFTER.match(text, m.end) is not None


def number_coded(mentions: Sequence[Mention]) -> set[str]:
    """Forms written inside codes in at least half of their mentions ("14 CFR", "737 XYZ", "XY-ABC")."""
    total: Counter[str] = Counter()
    coded: Counter[str] = Counter()
    for m in mentions:
        total[m.text] += 1
        coded[m.text] += _in_code(m)
    return {text for text, n in coded.items() if 2 * n >= total[text]}
