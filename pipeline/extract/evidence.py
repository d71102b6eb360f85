"""Document-wide evidence that a capitalised phrase or acronym is a common noun, not a name.

Capitals alone prove little in notices, manuals and rules, which capitalise
terms, labels and products ("the Flight Manual", "737 XYZ"). Three signs, read
from the document itself, say a form is not a name:

- the same words are written elsewhere in lower case ("an airworthiness
  directive"): the capitals are Title Case of a common phrase;
- the acronym is defined by a lower-case phrase ("flight control computer
  (FCC)");
- the form mostly follows a number that is not a year ("14 CFR", "737 XYZ"):
  a citation code or a product model.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence

from pipeline.extract.acronyms import acronym_shaped, fits_initials
from pipeline.extract.lexicon import CONNECTORS
from pipeline.extract.mentions import Mention

__all__ = ["common_acronyms", "lower_case_phrases", "number_coded"]

_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
_PAREN_ACRONYM = re.compile(r"\(\s*([A-Z][A-Za-z0-9&\-]{1,11})\s*\)")
_NUMBER_BEFORE = re.compile(r"(?<![\w.,])(\d[\d,.]*)\s*$")
_YEAR = re.compile(r"1[89]\d\d|20\d\d|21\d\d")
_EXTRA_WORDS = 3


def _capitalised(word: str) -> bool:
    return word[:1].isupper()


def lower_case_phrases(names: Iterable[str], texts: Sequence[str]) -> set[str]:
    """The multi-word names whose words also occur in ``texts`` with a capitalised word written in lower case.

    Only the name's own words in order count ("Minimum Equipment List" / "minimum equipment list"); a
    name with an acronym-shaped word keeps it in the comparison ("ABC display system" matches "ABC
    Display System").
    """
    document = "\n".join(texts)
    found = set()
    for name in set(names):
        words = _WORD.findall(name)
        capitals = [i for i, w in enumerate(words) if _capitalised(w) and w.lower() not in CONNECTORS]
        if len(words) < 2 or len(capitals) < 2:
            continue
        pattern = re.compile(r"\b" + r"\s+".join(re.escape(w) for w in words) + r"\b", re.IGNORECASE)
        for m in pattern.finditer(document):
            seen = _WORD.findall(m.group())
            lowered = sum(1 for i in capitals[1:] if i < len(seen) and seen[i][:1].islower())
            if lowered * 2 >= len(capitals) - 1:
                found.add(name)
                break
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
            if not phrase[0][:1].islower():
                continue
            if all(w[:1].islower() for w in phrase) and fits_initials(short, " ".join(phrase)):
                found.add(short)
                break
    return found


def number_coded(mentions: Sequence[Mention]) -> set[str]:
    """Forms written after a number that is not a year in at least half of their mentions ("14 CFR", "737 XYZ")."""
    total: Counter[str] = Counter()
    coded: Counter[str] = Counter()
    for m in mentions:
        total[m.text] += 1
        before = _NUMBER_BEFORE.search(m.segment.block.text[max(0, m.start - 20) : m.start])
        if before is not None and not _YEAR.fullmatch(before.group(1)):
            coded[m.text] += 1
    return {text for text, n in coded.items() if 2 * n >= total[text]}
