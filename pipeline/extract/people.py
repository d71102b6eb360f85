"""One entity per person per document.

Full names (two or more words) are grouped by their order- and case-free key,
so "Mei Dalan" meets "Dalan Mei". Two patterns join forms the key cannot:
a shared surname in a coordination ("Ana and Luis Ferreira" -> "Ana Ferreira")
and a name followed by another name in parentheses ("Ann Lee (Lee Wai-man)").
A single word is kept only as a form of a full name containing it: the only
one, or else the nearest one written before it.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter, defaultdict
from collections.abc import Sequence

from pipeline.extract.mentions import Mention
from pipeline.extract.personnames import is_full_name, name_key, name_words
from pipeline.extract.unionfind import UnionFind
from pipeline.ids import IdMinter

__all__ = ["resolve_people"]

_AND = re.compile(r"\s+(?:and|&)\s+$")
_OPEN = re.compile(r"\s*\(\s*$")
_CLOSE = re.compile(r"^\s*\)")

Key = frozenset[str]


def _between(a: Mention, b: Mention) -> str | None:
    """Text between two mentions of the same segment, None when not in that order in one segment."""
    if a.segment.index != b.segment.index or a.end > b.start:
        return None
    return a.segment.block.text[a.end : b.start]


def resolve_people(mentions: Sequence[Mention]) -> tuple[list[dict], dict[Mention, str]]:
    """``people`` rows and the entity id of every kept PERSON mention (fragments left unresolved are dropped)."""
    ordered = sorted(mentions, key=lambda m: m.order)
    groups: UnionFind[Key] = UnionFind(order=sorted)
    key_of: dict[Mention, Key] = {}
    derived: dict[Key, str] = {}
    singles = []
    for m in ordered:
        if is_full_name(m.text):
            key_of[m] = groups.find(name_key(m.text))
        else:
            singles.append(m)
    fulls = [m for m in ordered if m in key_of]
    for a, b in itertools.pairwise(ordered):
        gap = _between(a, b)
        if gap is None:
            continue
        if a in key_of and b in key_of and _OPEN.fullmatch(gap) and _CLOSE.match(b.segment.block.text[b.end :]):
            groups.union(key_of[a], key_of[b])
        elif a not in key_of and b in key_of and _AND.fullmatch(gap):
            key = name_key(f"{a.text} {name_words(b.text)[-1]}")
            key_of[a] = groups.find(key)
            derived.setdefault(key, f"{a.text} {name_words(b.text)[-1]}")
    for m in singles:
        if m not in key_of:
            target = _fragment_target(m, fulls, groups)
            if target is not None:
                key_of[m] = target
    return _rows(ordered, key_of, groups, derived)


def _fragment_target(single: Mention, fulls: list[Mention], groups: UnionFind[Key]) -> Key | None:
    """The person a single word belongs to: the only one whose full name holds it, else the nearest before it."""
    word = single.text.casefold()
    holders = [m for m in fulls if word in name_key(m.text)]
    people = {groups.find(name_key(m.text)) for m in holders}
    if len(people) == 1:
        return people.pop()
    before = [m for m in holders if m.order < single.order]
    return groups.find(name_key(before[-1].text)) if before else None


def _rows(
    ordered: list[Mention], key_of: dict[Mention, Key], groups: UnionFind[Key], derived: dict[Key, str]
) -> tuple[list[dict], dict[Mention, str]]:
    members: dict[Key, list[Mention]] = defaultdict(list)
    for m in ordered:
        if m in key_of:
            members[groups.find(key_of[m])].append(m)
    mint = IdMinter()
    rows, ids = [], {}
    for root, ms in members.items():
        full_forms = Counter(m.text for m in ms if is_full_name(m.text))
        first_seen = {text: i for i, text in reversed(list(enumerate(m.text for m in ms)))}
        if full_forms:
            name = min(full_forms, key=lambda t: (-full_forms[t], t.isupper(), first_seen[t]))
        else:
            name = next((derived[k] for k in derived if groups.find(k) == root), ms[0].text)
        entity_id = mint("per", " ".join(sorted(name_key(name))))
        rows.append(
            {
                "entity_id": entity_id,
                "name": name,
                "aliases": list(dict.fromkeys(m.text for m in ms)),
                "pages": sorted({m.page for m in ms}),
                "mention_count": len(ms),
            }
        )
        ids.update(dict.fromkeys(ms, entity_id))
    return rows, ids
