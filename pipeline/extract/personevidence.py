"""Evidence for and against a person entity, read around its mentions.

The model calls many capitalised pairs PERSON: journals, publishers, the tail
of an event's name. A person entity is dropped when one of its mentions shows
it is something else and none shows it is a person:

- for: a title or honorific before a mention ("Prof.", "President"), a role in
  apposition after it (", a former provost", "(Deputy Director ..."), a verb of
  speech after it ("said", "argues"), a signature block (the name's line, then a
  line opening with a title), an initial ("Paul R. Lee"), the family name used
  alone elsewhere;
- against: an apposition naming a non-person (", a top journal for ..."), the
  periodical position of a citation (", 2021 No. 3", ", Vol. 8"), a place
  inside a longer capitalised name headed by a body or event noun
  ("Symposium on X and <span>"), or every word of it written in lower case
  elsewhere in the document.

The word lists are general English (``lexicon``); nothing is taken from a document.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence

from pipeline.extract.lexicon import CONNECTORS, DESIGNATORS, MEDIA_NOUNS, NON_BODY_NOUNS, SPEECH_VERBS
from pipeline.extract.mentions import Mention
from pipeline.extract.personnames import is_title, name_words
from pipeline.extract.segments import Segment

__all__ = ["without_unevidenced"]

_INITIAL = re.compile(r"[A-Z]\.(?:-?[A-Z]\.)*")
_LOWER = re.compile(r"(?<![\w-])[^\W\d_A-Z][^\W\d_]*(?![\w-])")
# ", a former provost", "(reporter for", ", who is the director": up to three words before the role.
_APPOSITION = re.compile(r"\s*(?:,\s*(?:who\s+(?:is|was)\s+)?|\(\s*)((?:[\w.-]+\s+){0,3}[\w.-]+)")
# ", a top journal for", ", the publisher of": an article, then up to three words holding the head noun.
_ARTICLE_APPOSITION = re.compile(r",\s*(?:a|an|the)\s+((?:[\w-]+\s+){0,2}[\w-]+)")
# A periodical in a citation: ", 2021 No. 36", ", Vol. 8", ", pp. 3-9".
_PERIODICAL = re.compile(r",\s*(?:(?:1[89]|20)\d\d\b[\s,]*)?(?:vol|no|issue|pp)\b\.?", re.IGNORECASE)
_NON_PERSON_HEADS = NON_BODY_NOUNS | MEDIA_NOUNS | DESIGNATORS
_POSSESSIVE = re.compile(r"['’]s$")
# A word that closes a clause, a gloss or a quotation, or opens one: no name runs across it.
_BOUNDARY = re.compile(r"[,.;:)\]”\"]$|^[(\[“]")


def _singular(word: str) -> str:
    lower = word.lower()
    return lower[:-1] if lower.endswith("s") and len(lower) > 3 else lower


def _positive(m: Mention) -> bool:
    """A title before, a role or a verb of speech after, or an initial inside the name."""
    text = m.segment.block.text
    before = text[max(0, m.start - 40) : m.start].split()
    if before and is_title(before[-1]):
        return True
    if any(_INITIAL.fullmatch(w) for w in name_words(m.text)):
        return True
    role = _APPOSITION.match(text, m.end)
    if role is not None and any(is_title(w) for w in role.group(1).split()):
        return True
    after = text[m.end : m.end + 30].split()
    return bool(after) and after[0].strip(",.").lower() in SPEECH_VERBS


def _signed(m: Mention, segs: Sequence[Segment]) -> bool:
    """A signature block: the name ends its line and the next line opens with a title ("Director, ...")."""
    text = m.segment.block.text
    rest = text[m.end : m.segment.end]
    if "\n" in rest:
        tail, _, following = rest.partition("\n")
    elif m.segment.index + 1 < len(segs):
        tail, following = rest, segs[m.segment.index + 1].text
    else:
        return False
    words = following.split()
    return not tail.strip(" \t,.") and bool(words) and is_title(words[0])


def _inside_longer_name(m: Mention) -> bool:
    """The tail of a capitalised name headed by a body or event noun ("Symposium on X and <span>")."""
    before = m.segment.block.text[max(m.segment.start, m.start - 80) : m.start].split()
    if before and _POSSESSIVE.search(before[-1]):  # "the Council's Ann Lee": an owner, not a head
        return False
    passed: list[str] = []
    for word in reversed(before):
        bare = _POSSESSIVE.sub("", word.strip("“”\"'(),"))
        if (not bare[:1].isupper() and bare.lower() not in CONNECTORS) or _BOUNDARY.search(word):
            return False
        if _singular(bare) in _NON_PERSON_HEADS:
            # "the Tide Office and Ann Lee" coordinates a body with a person
            return not all(w.lower() in {"and", "&"} for w in passed)
        passed.append(bare)
    return False


def _non_person_head(words: list[str]) -> bool:
    """The head of "top journal for ...", "Veltra publisher": the last word before a connector."""
    cut = next((i for i, w in enumerate(words) if w in CONNECTORS), len(words))
    head = words[cut - 1].lower() if cut else ""
    return bool({head, _singular(head), f"{head}s"} & _NON_PERSON_HEADS)  # "publisher": "publishers" is listed


def _negative(m: Mention, lower_words: set[str]) -> bool:
    """An apposition naming a non-person, a citation's periodical slot, the tail of a longer name, or
    common words only."""
    text = m.segment.block.text
    apposition = _ARTICLE_APPOSITION.match(text, m.end)
    if apposition is not None and _non_person_head(apposition.group(1).split()):
        return True
    if _PERIODICAL.match(text, m.end) or _inside_longer_name(m):
        return True
    return all(w.lower() in lower_words for w in name_words(m.text))


def _lower_case_words(segs: Sequence[Segment]) -> set[str]:
    """Every word the document writes in lower case."""
    return {w for text in dict.fromkeys(s.text for s in segs) for w in _LOWER.findall(text)}


def without_unevidenced(
    rows: list[dict], ids: dict[Mention, str], segs: Sequence[Segment]
) -> tuple[list[dict], dict[Mention, str]]:
    """``people`` rows and mention ids without the entities that have evidence against and none for them."""
    lower_words = _lower_case_words(segs)
    by_entity: dict[str, list[Mention]] = defaultdict(list)
    for m, entity_id in ids.items():
        by_entity[entity_id].append(m)
    dropped = set()
    for row in rows:
        ms = by_entity[row["entity_id"]]
        words = {w.casefold() for w in name_words(row["name"])}
        alone = any(len(name_words(a)) == 1 and a.casefold() in words for a in row["aliases"]) and len(words) > 1
        if alone or any(_positive(m) or _signed(m, segs) for m in ms):
            continue
        if any(_negative(m, lower_words) for m in ms):
            dropped.add(row["entity_id"])
    return [r for r in rows if r["entity_id"] not in dropped], {m: e for m, e in ids.items() if e not in dropped}
