"""The parties a block names: this document's organizations and people, and countries or governments.

Organizations and people come from the resolved ``mentions`` (so every party carries its
``entity_id`` and canonical name). Countries come from the model's GPE entities; "the Chinese
government" is named by its country, found among the country names of the same document by the
stem the adjective shares with it ("Chinese" / "China", "German" / "Germany").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from spacy.tokens import Doc

from pipeline.extract.flows.vocab import GOVERNMENT_NOUNS

__all__ = ["Party", "block_parties", "country_names"]

_MIN_STEM = 4


@dataclass(frozen=True, slots=True)
class Party:
    """A party named at ``text[start:end]`` of a block."""

    start: int
    end: int
    name: str
    entity_id: str | None
    country: bool = False


def country_names(docs: Iterable[Doc]) -> list[str]:
    """Every distinct GPE name of the parsed text, longest first."""
    names = {_strip_the(e.text) for doc in docs for e in doc.ents if e.label_ == "GPE"}
    return sorted(names, key=lambda n: (-len(n), n))


def _strip_the(text: str) -> str:
    return text[4:] if text.lower().startswith("the ") else text


def _common_prefix(a: str, b: str) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n


def _country_of(adjective: str, countries: list[str]) -> str | None:
    """The country whose name shares the adjective's stem ("Swedish" -> "Sweden")."""
    best, best_len = None, 0
    for name in countries:
        common = _common_prefix(adjective.lower(), name.lower())
        if common >= _MIN_STEM and common >= len(name) - 2 and common > best_len:
            best, best_len = name, common
    return best


def _governments(doc: Doc, countries: list[str], offset: int) -> list[Party]:
    """'the Chinese government': a nationality adjective before a government noun, named by its country."""
    out = []
    for ent in doc.ents:
        if ent.label_ != "NORP" or ent.end >= len(doc) or doc[ent.end].lower_ not in GOVERNMENT_NOUNS:
            continue
        name = _country_of(ent.text, countries)
        if name is not None:
            out.append(Party(offset + ent.start_char, offset + doc[ent.end].idx + len(doc[ent.end]), name, None, True))
    return out


def block_parties(
    doc: Doc, offset: int, mentions: list[dict], names: dict[str, str], countries: list[str]
) -> list[Party]:
    """Parties of one parsed text that starts at ``offset`` of its block, in text order.

    ``mentions`` are the block's ORG/PERSON mention rows; ``names`` maps entity_id to canonical name.
    A government phrase wins over an organization mention it overlaps ("Chinese government").
    """
    found = _governments(doc, countries, offset)
    for m in mentions:
        if m["entity_id"] in names and not _overlaps(found, m["start_char"], m["end_char"]):
            found.append(Party(m["start_char"], m["end_char"], names[m["entity_id"]], m["entity_id"]))
    for ent in doc.ents:
        start, end = offset + ent.start_char, offset + ent.end_char
        if ent.label_ == "GPE" and not _overlaps(found, start, end):
            found.append(Party(start, end, _strip_the(ent.text), None, True))
    return sorted(found, key=lambda p: p.start)


def _overlaps(parties: list[Party], start: int, end: int) -> bool:
    return any(p.start < end and start < p.end for p in parties)
