"""Repairs to the model's PERSON entities that need the surrounding tokens.

- A name the model calls ORG is a person when a title precedes it inside the
  span ("Professor Ann Lee") or a role follows it in apposition ("Ann Lee, a
  former provost ...", "Ann Lee (reporter for ...)").
- A one-word PERSON next to a free capitalised word is widened to it: the
  model often tags only the surname of "Ann Varga-Lee".
- In "Ann and Tom Lee" the model tags "Tom Lee" only; the given name before
  "and" is a PERSON too (``people`` later lends it the shared surname).
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from pipeline.extract.orgnames import has_designator
from pipeline.extract.personnames import clean_person, is_full_name, is_title, name_key, name_words, person_shaped

__all__: list[str] = []

# ", a former provost", "(reporter for", ", who is the director": up to three words before the role.
_APPOSITION = re.compile(r"\s*(?:,\s*(?:who\s+(?:is|was)\s+)?|\(\s*)((?:[\w-]+\s+){0,2}[\w-]+)")


def _role_follows(doc: Doc, ent: Span) -> bool:
    """A role in apposition right after the span: ", a former provost", "(reporter for ..."."""
    found = _APPOSITION.match(doc.text, ent.end_char)
    return found is not None and any(is_title(w) for w in found.group(1).split())


def _is_person(ent: Span) -> bool:
    """An ORG span that is really a titled or role-described name."""
    cleaned = clean_person(ent.text)
    if cleaned is None or not is_full_name(ent.text[cleaned[0] : cleaned[1]]):
        return False
    return (cleaned[0] > 0 and is_title(ent.text.split()[0])) or _role_follows(ent.doc, ent)


def _free_name_word(token: Token, taken: set[int]) -> bool:
    """A capitalised word outside any entity that is no stop word, title or designator."""
    return (
        token.i not in taken
        and token.is_title
        and not token.is_stop
        and not is_title(token.text)
        and not has_designator(token.text)
    )


def _widened(ent: Span, taken: set[int]) -> Span:
    """A one-word PERSON with its free capitalised neighbour, when the pair still looks like a name."""
    doc = ent.doc
    start, end = ent.start, ent.end
    if start > 0 and _free_name_word(doc[start - 1], taken):
        start -= 1
    elif end < len(doc) and _free_name_word(doc[end], taken):
        end += 1
    wider = doc[start:end]
    return Span(doc, start, end, label="PERSON") if person_shaped(wider.text) else ent


def _coordinated_given_name(ent: Span, taken: set[int]) -> Span | None:
    """'Ann' in "Ann and Tom Lee": a free name word, then "and", then a two-word PERSON name."""
    doc = ent.doc
    if ent.start < 2 or doc[ent.start - 1].lower_ not in {"and", "&"} or len(name_key(ent.text)) != 2:
        return None
    given = doc[ent.start - 2]
    if not _free_name_word(given, taken) or (given.i > 0 and _free_name_word(doc[given.i - 1], taken)):
        return None
    return Span(doc, given.i, given.i + 1, label="PERSON")


@Language.component("person_repair")
def person_repair(doc: Doc) -> Doc:
    """Relabel titled or role-described ORG names as PERSON; widen one-word PERSON entities; add
    given names coordinated with a full name."""
    taken = {i for ent in doc.ents for i in range(ent.start, ent.end)}
    repaired = []
    for ent in doc.ents:
        if ent.label_ == "ORG" and _is_person(ent):
            ent = Span(doc, ent.start, ent.end, label="PERSON")
        elif ent.label_ == "PERSON" and len(name_words(ent.text)) == 1:
            ent = _widened(ent, taken)
        given = _coordinated_given_name(ent, taken) if ent.label_ == "PERSON" else None
        if given is not None and (not repaired or repaired[-1].end <= given.start):
            repaired.append(given)
        repaired.append(ent)
    doc.ents = repaired
    return doc
