"""One entity per organisation per document, with acronyms resolved by position.

Every acronym definition is a node joined to its long form's merge key. Bare
uses of a defined acronym resolve to the nearest definition written before
them (the first one when none precedes), so an acronym defined for two
different bodies yields two entities. Two definitions of one acronym whose
long forms share most content words ("National X Foundation of Y" /
"National X Foundation Commission") are one body; so are two acronyms given to
one long form; so are "A (commonly known as B)" and the variants of
``orgvariants``. Everything else merges on ``org_key``.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.extract.acronyms import acronym_shaped
from pipeline.extract.aliases import find_aliases
from pipeline.extract.mentions import Mention, overlaps
from pipeline.extract.orgnames import has_designator, names_a_body, org_key, significant_words
from pipeline.extract.orgvariants import variant_links
from pipeline.extract.segments import Segment
from pipeline.extract.unionfind import UnionFind
from pipeline.ids import IdMinter

__all__ = ["Definition", "resolve_organizations"]

# Which source wins when two ORG spans overlap (lower wins).
_PRIORITY = {"acronym": 0, "rule": 1, "model": 2, "alias": 3}
_SAME_BODY = 0.75
_MIN_ACRONYM_SCAN = 3
_CJK = re.compile(r"[\u3400-\u9fff]")
_OPEN = re.compile(r"\s*[(（]\s*")
_ALSO_KNOWN = re.compile(
    r"\s*\(\s*(?:(?:commonly|also|better|formerly|now|hereinafter)\s+)?"
    r"(?:known\s+as|called|referred\s+to\s+as|renamed|formerly)\s+(?:the\s+)?",
    re.IGNORECASE,
)

Node = tuple[str, str]


@dataclass(frozen=True, slots=True)
class Definition:
    """An acronym written next to its long form; ``named`` adds a parent written before it ("ABC Data Office").

    ``common`` marks a definition the document itself shows to be a term, not a body's name (``evidence``).
    """

    short: Mention
    long: Mention
    named: Mention
    common: bool = False


def _dice(a: str, b: str) -> float:
    wa, wb = set(significant_words(a)), set(significant_words(b))
    return 2 * len(wa & wb) / (len(wa) + len(wb)) if wa and wb else 0.0


def _keep_non_overlapping(mentions: Sequence[Mention]) -> list[Mention]:
    """Resolve overlapping ORG spans: higher-priority source first, then the longer span."""
    kept: list[Mention] = []
    ranked = sorted(mentions, key=lambda m: (_PRIORITY[m.source], m.start - m.end, m.order))
    for m in ranked:
        if not any(overlaps(m, k) for k in kept):
            kept.append(m)
    return sorted(kept, key=lambda m: m.order)


def _nearest_definition(m: Mention, definitions: Sequence[Definition]) -> int:
    """Index of the definition of ``m``'s acronym written last before ``m`` (or the first one after it)."""
    same = [i for i, d in enumerate(definitions) if d.short.text == m.text]
    before = [i for i in same if definitions[i].short.order <= m.order]
    return before[-1] if before else same[0]


def _link_definitions(definitions: Sequence[Definition], uf: UnionFind) -> None:
    """Join each definition to its long form, and definitions of one acronym that name the same body."""
    for i, d in enumerate(definitions):
        uf.union(("def", str(i)), ("key", org_key(d.long.text)))
        uf.union(("def", str(i)), ("key", org_key(d.named.text)))
        for j in range(i):
            other = definitions[j]
            if other.short.text == d.short.text and _dice(other.long.text, d.long.text) >= _SAME_BODY:
                uf.union(("def", str(i)), ("def", str(j)))


def _also_known_as(kept: Sequence[Mention]) -> list[tuple[Mention, Mention]]:
    """Pairs written "A (commonly known as B)", "A (formerly B)", "A (B)" with B in CJK script and A not,
    and CJK "B、C" where C is B's short form (its characters, in order: a list "B、C" of two bodies is not)."""
    pairs = []
    for a, b in itertools.pairwise(kept):
        if a.segment.index != b.segment.index or a.end > b.start:
            continue
        gap = a.segment.block.text[a.end : b.start]
        native = _CJK.search(b.text) is not None and _CJK.search(a.text) is None
        short_form = gap == "、" and _CJK.search(a.text) is not None and _abbreviates(b.text, a.text)
        if _ALSO_KNOWN.fullmatch(gap) or (native and _OPEN.fullmatch(gap)) or short_form:
            pairs.append((a, b))
    return pairs


def _abbreviates(short: str, full: str) -> bool:
    """Whether the characters of ``short`` appear in order in the longer ``full``."""
    rest = iter(full)
    return len(short) < len(full) and all(c in rest for c in short)


def _reliable(form: str) -> bool:
    """A form worth finding again: a designator-headed name or an acronym of three letters or more."""
    return has_designator(form) if " " in form else acronym_shaped(form) and len(form) >= _MIN_ACRONYM_SCAN


def _node(m: Mention, definitions: Sequence[Definition], short_index: dict[Mention, int]) -> Node:
    """A definition's acronym, a bare use of a defined acronym, or any other form's merge key."""
    if m in short_index:
        return ("def", str(short_index[m]))
    if any(d.short.text == m.text for d in definitions):
        return ("def", str(_nearest_definition(m, definitions)))
    return ("key", org_key(m.text) or m.text)


def resolve_organizations(
    definitions: Sequence[Definition], candidates: Sequence[Mention], segments: Sequence[Segment]
) -> tuple[list[dict], dict[Mention, str]]:
    """``organizations`` rows and the entity id of every kept ORG mention.

    Bare uses of defined acronyms, then other occurrences of forms that are surely names, are
    mentions too.
    An acronym defined as something other than a body ("Coastal Resilience Goals (CRGs)")
    removes both its forms from the organisations.
    """
    bodies = [d for d in definitions if names_a_body(d.long.text) and not d.common]
    not_bodies = {org_key(m.text) for d in definitions if d not in bodies for m in (d.short, d.long, d.named)}
    not_bodies |= {org_key(d.short.text[:-1]) for d in definitions if d not in bodies and d.short.text.endswith("s")}
    definitions = sorted(bodies, key=lambda d: d.short.order)
    shorts = {d.short.text for d in definitions}
    defined = [m for d in definitions for m in (d.short, d.named)]
    others = [m for m in candidates if m.text not in shorts and org_key(m.text) not in not_bodies]
    kept = _keep_non_overlapping([*defined, *others])
    kept += find_aliases(segments, shorts, "ORG", kept, source="acronym")
    reliable = {m.text for m in kept if _reliable(m.text)} - shorts
    kept = sorted([*kept, *find_aliases(segments, reliable, "ORG", kept)], key=lambda m: m.order)
    uf = UnionFind()
    _link_definitions(definitions, uf)
    for variant, base in variant_links((m.text for m in kept), shorts):
        uf.union(("key", org_key(variant)), ("key", org_key(base)))
    short_index = {d.short: i for i, d in enumerate(definitions)}
    for a, b in _also_known_as(kept):
        uf.union(_node(a, definitions, short_index), _node(b, definitions, short_index))
    members: dict[Node, list[Mention]] = defaultdict(list)
    for m in kept:
        members[uf.find(_node(m, definitions, short_index))].append(m)
    acronym_of: dict[Node, Counter[str]] = defaultdict(Counter)
    long_forms: dict[Node, list[str]] = defaultdict(list)
    for i, d in enumerate(definitions):
        acronym_of[uf.find(("def", str(i)))][d.short.text] += 1
        long_forms[uf.find(("def", str(i)))].append(d.long.text)
    return _rows(members, acronym_of, long_forms)


def _rows(
    members: dict[Node, list[Mention]], acronym_of: dict[Node, Counter[str]], long_forms: dict[Node, list[str]]
) -> tuple[list[dict], dict[Mention, str]]:
    """Entity rows; the aliases also list each definition's bare long form ("Data Office" of "ABC Data Office")."""
    mint = IdMinter()
    rows, ids = [], {}
    for root, ms in members.items():
        forms = Counter(m.text for m in ms)
        first_seen = {text: i for i, text in reversed(list(enumerate(m.text for m in ms)))}
        full = [t for t in forms if not acronym_shaped(t)] or list(forms)
        name = min(full, key=lambda t: (-forms[t], -len(t), first_seen[t]))
        acronyms = acronym_of.get(root) or Counter(t for t in forms if acronym_shaped(t))
        acronym = min(acronyms, key=lambda t: (-acronyms[t], t)) if acronyms else None
        entity_id = mint("org", org_key(name) or name)
        rows.append(
            {
                "entity_id": entity_id,
                "name": name,
                "acronym": acronym,
                "aliases": list(dict.fromkeys([*(m.text for m in ms), *long_forms.get(root, [])])),
                "pages": sorted({m.page for m in ms}),
                "mention_count": len(ms),
            }
        )
        ids.update(dict.fromkeys(ms, entity_id))
    return rows, ids
