"""Name mentions of one document before resolution: the model's entities, the rules' spans, acronym definitions.

Spans are cleaned (titles, articles, possessives), then judged document-wide:
ORG forms the document shows to be terms (``evidence``: written in lower case
elsewhere, acronyms of lower-case phrases, codes, modifiers of a document noun)
are dropped; one label per name (the model's majority); a doubtful span (in
Title Case text or capitals, a single word opening a sentence, a one-off model
ORG with no designator) needs the same name written plainly elsewhere;
overlapping PERSON and ORG spans keep the more reliable one.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from spacy.tokens import Doc, Span

from pipeline.extract import orgrules
from pipeline.extract.acronyms import acronym_shaped
from pipeline.extract.evidence import (
    WordIndex,
    common_acronyms,
    document_modifiers,
    explained_terms,
    lower_case_phrases,
    number_coded,
)
from pipeline.extract.lexicon import NEWS_NOUNS
from pipeline.extract.mentions import Mention, overlaps
from pipeline.extract.organizations import Definition
from pipeline.extract.orgnames import clean_org, designator, has_designator, is_org_name, names_a_body, org_key
from pipeline.extract.personnames import clean_person, name_key, person_shaped
from pipeline.extract.segments import Segment
from pipeline.extract.titlecase import title_case_regions

__all__ = ["Candidates", "collect"]

_NATIVE_GLOSS = re.compile(r"\s*[(（]\s*[\u3400-\u9fff]")
_QUOTES = '“”"「」 '
_DETERMINERS = frozenset(
    {"the", "a", "an", "this", "that", "these", "those", "its", "their", "our", "his", "her", "your", "each", "every"}
    | {"any", "no", "such", "another", "which", "whose", "said"}
)
_POSSESSIVE_MARKS = frozenset({"'s", "’s", "'", "’"})
# Which mention survives where a PERSON and an ORG span overlap (lower wins).
_RANK = {("ORG", "acronym"): 0, ("PERSON", "model"): 1, ("ORG", "rule"): 2, ("ORG", "model"): 3}


@dataclass(frozen=True)
class Candidates:
    """Everything the resolvers need: PERSON and ORG mentions, and acronym definitions."""

    names: list[Mention]
    definitions: list[Definition]


Where = tuple[int, int, int]


def _where(m: Mention) -> Where:
    """A mention's place, whatever its label (a relabelled mention keeps its doubts)."""
    return (m.segment.index, m.start, m.end)


def _mention(seg: Segment, span: Span, cleaned: tuple[int, int] | None, label: str, source: str) -> Mention | None:
    if cleaned is None or cleaned[0] >= cleaned[1]:
        return None
    offset = seg.start + span.start_char
    return Mention(seg, offset + cleaned[0], offset + cleaned[1], label, source)


def _org(span: Span) -> tuple[int, int] | None:
    start, end = clean_org(span.text, at_sentence_start=span.start == span.sent.start)
    if start < end and span.end < len(span.doc) and span.doc[span.end].like_num and end == len(span.text):
        end = _without_numbered_item(span.text, start, end)
    name = span.text[start:end]
    if start == 0 and _bare_designator_name(span):
        return (start, end)
    return (start, end) if is_org_name(name) and names_a_body(name) else None


def _bare_designator_name(span: Span) -> bool:
    """A designator alone used as a proper name, without an article ("Congress decided", "asked Parliament").

    With a determiner ("the Agency", "its Board") the word points back to a body named elsewhere;
    after a capitalised word it is the tail of a longer name the model cut short; a plural or a
    word glued into a compound ("Party-building") is no name.
    """
    if len(span) != 1 or span.start == span.sent.start or not span.text[:1].isupper() or span.text.isupper():
        return False
    before = span.doc[span.start - 1]
    glued = not span[-1].whitespace_ and span.end < len(span.doc)  # "Party-building": part of a compound
    return (
        designator(span.text) == span.text.lower()  # singular: "Centres" are some bodies, not one
        and not glued
        and before.lower_ not in _DETERMINERS
        and not before.text[:1].isupper()
        and before.text not in _POSSESSIVE_MARKS
    )


def _without_numbered_item(text: str, start: int, end: int) -> int:
    """End of the body's name in "X Air Flight" + "12": the item noun a number follows is not part of it.

    A designator stays ("Unit 3" is numbered by its body); a single word left over is no evidence.
    """
    head = text.rfind(" ", start, end)
    if head == -1 or has_designator(text[head + 1 : end]):
        return end
    kept = text[start:head].rstrip()
    return start + len(kept) if len(kept.split()) >= 2 else start


def _spans(seg: Segment, doc: Doc) -> list[Mention]:
    """The model's PERSON and ORG entities and the designator rules' ORG spans (English and CJK), cleaned."""
    found = []
    for ent in doc.ents:
        if ent.label_ == "PERSON":
            found.append(_mention(seg, ent, clean_person(ent.text), "PERSON", "model"))
        elif ent.label_ == "ORG":
            found.append(_mention(seg, ent, _org(ent), "ORG", "model"))
    found += [_mention(seg, span, _org(span), "ORG", "rule") for span in doc.spans[orgrules.GROUP]]
    found += [Mention(seg, seg.start + start, seg.start + end, "ORG", "rule") for start, end in doc._.cjk_orgs]
    return [m for m in found if m is not None]


def _definitions(seg: Segment, doc: Doc) -> list[Definition]:
    """The acronym component's definitions as mentions (offsets made relative to the block)."""

    def mention(start: int, end: int) -> Mention:
        return Mention(seg, seg.start + start, seg.start + end, "ORG", "acronym")

    return [
        Definition(mention(d[0], d[1]), mention(d[2], d[3]), mention(d[4], d[3])) for d in doc._.acronym_definitions
    ]


def _doubtful(m: Mention, regions: list[tuple[int, int]], openings: set[int]) -> bool:
    """A span whose capitals prove nothing: in Title Case text, all capitals, or one word opening a sentence.

    An organisation quoted on its own ("the “Veltra Data Office”") is still a name; a quoted
    term is not a person.
    """
    start, end = m.start - m.segment.start, m.end - m.segment.start
    words = len(m.text.split())
    if (m.text.isupper() and words >= 2) or (words == 1 and start in openings):
        return True
    text = m.segment.text
    own_quote = m.label == "ORG"
    return any(a <= start and end <= b and (text[a:b].strip(_QUOTES) != m.text or not own_quote) for a, b in regions)


def _needs_support(m: Mention) -> bool:
    """A model ORG that is not an acronym and has no designator or news-outlet head to show it is a body
    ("Safety", "Gold Access"): believed only when the model says so twice, or a rule or definition finds it."""
    if m.label != "ORG" or m.source != "model" or acronym_shaped(m.text):
        return False
    if _NATIVE_GLOSS.match(m.segment.block.text, m.end):  # "X Exchange (<its name in CJK script>)"
        return False
    if m.text.split()[-1].lower() in NEWS_NOUNS:  # a news outlet ("Veltra Daily")
        return False
    if " " not in m.text:  # one word: only a designator alone as a name (see ``_bare_designator_name``)
        return designator(m.text) is None
    return not has_designator(m.text)


def _common_terms(names: list[Mention], definitions: list[Definition], segs: Sequence[Segment]) -> set[str]:
    """ORG forms the document shows to be terms: written in lower case elsewhere, acronyms of lower-case
    phrases or explained as non-bodies, codes and models after a number, modifiers of a document noun
    (see ``evidence``)."""
    texts = [s.text for s in segs]
    forms = [m.text for m in names if m.label == "ORG"] + [d.long.text for d in definitions]
    index = WordIndex(texts)
    terms = lower_case_phrases(forms, index) | document_modifiers(forms, index)
    for text in dict.fromkeys(texts):
        terms |= common_acronyms(text) | explained_terms(text)
    terms |= number_coded([m for m in names if m.label == "ORG" and m.source == "model"])
    return terms


def _is_term(m: Mention, terms: set[str]) -> bool:
    """An ORG form that is a term, or a term acronym with a label after it ("ABC A", "ABC OPS")."""
    words = m.text.split()
    return m.text in terms or (words[0] in terms and all(acronym_shaped(w) or len(w) == 1 for w in words))


def _key(m: Mention) -> str | frozenset[str]:
    return org_key(m.text) if m.label == "ORG" else name_key(m.text)


def _vote_key(m: Mention) -> str | frozenset[str]:
    """What the model's votes are counted on: a person-shaped name in any order and case, else the text."""
    return name_key(m.text) if person_shaped(m.text) else m.text.casefold()


def _vote(mentions: list[Mention]) -> list[Mention]:
    """One label per name in a document: the model's majority label wins ("Ann Lee" is a PERSON even
    where the model once said ORG; on a tie a person-shaped name is a PERSON); a minority mention
    takes the majority label when its text fits that label, else it is dropped."""
    votes: dict[str | frozenset[str], Counter[str]] = {}
    for m in mentions:
        if m.source == "model":
            votes.setdefault(_vote_key(m), Counter())[m.label] += 1
    kept = []
    for m in mentions:
        key = _vote_key(m)
        counts = votes.get(key)
        preferred = "PERSON" if isinstance(key, frozenset) else m.label
        winner = max(counts, key=lambda label: (counts[label], label == preferred)) if counts else m.label
        if m.source != "model" or winner == m.label:
            kept.append(m)
        elif person_shaped(m.text) if winner == "PERSON" else is_org_name(m.text):
            kept.append(Mention(m.segment, m.start, m.end, winner, m.source))
    return kept


def _confirmed(mentions: list[Mention], doubtful: set[Where], defined: set[str]) -> list[Mention]:
    """Drop doubtful names not also seen as plain ones; a person's form may be confirmed by a fuller one."""
    plain_orgs = {_key(m) for m in mentions if m.label == "ORG" and _where(m) not in doubtful} | defined
    plain_people = [_key(m) for m in mentions if m.label == "PERSON" and _where(m) not in doubtful]

    def ok(m: Mention) -> bool:
        if _where(m) not in doubtful:
            return True
        if m.label == "ORG":
            return _key(m) in plain_orgs
        return any(_key(m) <= key for key in plain_people)

    return [m for m in mentions if ok(m)]


def _without_overlaps(mentions: list[Mention], rank: Callable[[Mention], int]) -> list[Mention]:
    """Where PERSON and ORG spans overlap, keep the better-ranked one."""
    by_segment: dict[int, list[Mention]] = {}
    for m in mentions:
        by_segment.setdefault(m.segment.index, []).append(m)
    kept = []
    for m in mentions:
        rivals = [o for o in by_segment[m.segment.index] if o.label != m.label and overlaps(m, o)]
        if all(rank(m) <= rank(o) for o in rivals):
            kept.append(m)
    return kept


def collect(segs: Sequence[Segment], docs: Sequence[Doc]) -> Candidates:
    """Candidate PERSON and ORG mentions and acronym definitions of a whole document."""
    names: list[Mention] = []
    definitions: list[Definition] = []
    doubtful: set[Where] = set()
    for seg, doc in zip(segs, docs, strict=True):
        spans = _spans(seg, doc)
        regions = title_case_regions(doc, heading=seg.block.kind == "heading")
        openings = {next((t.idx for t in sent if t.is_alpha), sent.start_char) for sent in doc.sents}
        doubtful |= {_where(m) for m in spans if _doubtful(m, regions, openings)}
        names += spans
        definitions += _definitions(seg, doc)
    once = Counter(m.text for m in names if m.source == "model" and m.label == "ORG")
    doubtful |= {_where(m) for m in names if _needs_support(m) and once[m.text] == 1}
    terms = _common_terms(names, definitions, segs)
    definitions = [replace(d, common=d.long.text in terms or d.short.text in terms) for d in definitions]
    names = [m for m in names if m.label != "ORG" or not _is_term(m, terms)]
    defined = {org_key(m.text) for d in definitions if not d.common for m in (d.short, d.long, d.named)}
    names = _confirmed(_vote(names), doubtful, defined)
    pool = names + [m for d in definitions for m in (d.short, d.named)]
    kept = set(_without_overlaps(pool, lambda m: _RANK.get((m.label, m.source), len(_RANK))))
    return Candidates([m for m in names if m in kept], definitions)
