"""Editions of one report: which documents form a series, and what changed between two editions.

Objects are matched by what they say, not where they sit: sections by title (so a
renumbered section is the same section), paragraphs and footnotes by text, amounts
and dates by their sentence with the figure masked out (so a new figure in the same
sentence is "changed", not "removed + added"), entities by their content-derived id.
Consequences of a bigger change are folded into it: the paragraphs, notes and figures
of a dropped section are part of "section removed", and later notes that merely moved
up a number are not changes at all.
"""

from __future__ import annotations

import datetime
import difflib
import itertools
import re
from collections import defaultdict
from dataclasses import dataclass

import pyarrow as pa

from pipeline.ids import content_key, stable_id

_MONTHS = {
    m: i
    for i, m in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ],
        1,
    )
}
_EDITION_WORDS = re.compile(
    r"\b(?:\d{4}|" + "|".join(_MONTHS) + r"|edition|update[d]?|revised|version|draft|final)\b", re.IGNORECASE
)
_NUMBERS = re.compile(r"\d[\d,.]*")
_WORDS = re.compile(r"[0-9a-z\u3000-\u9fff]+")
_SIMILAR = 0.75  # a paragraph at least this alike to an old one was reworded, not replaced
_CANDIDATES = 8  # old paragraphs compared in full with each new one, at most
_LOOKUPS = 4096  # index entries a new paragraph reads at most to find its candidates
EDITION_TABLES = ("sections", "blocks", "footnotes", "amounts", "dates", "people", "organizations", "mentions")


def series_key(title: str | None, top_sections: list[str]) -> str:
    """Editions share a series when their titles agree once dates and edition words are removed;
    without a title, the chapter titles stand in for it."""
    basis = content_key(_EDITION_WORDS.sub(" ", title or "")) or "|".join(content_key(t) for t in top_sections[:6])
    return stable_id("series", basis)


def edition_order(edition: str | None, file_name: str) -> tuple[int, int, str]:
    """Sort key: publication year and month from the edition label, then the file name."""
    m = re.search(r"(" + "|".join(_MONTHS) + r")\s+(\d{4})", edition or "", re.IGNORECASE)
    if m:
        return int(m.group(2)), _MONTHS[m.group(1).lower()], file_name
    y = re.search(r"\b(19|20)\d{2}\b", edition or "") or re.search(r"(19|20)\d{2}", file_name)
    return (int(y.group(0)[:4]) if y else 0), 0, file_name


@dataclass
class Edition:
    """The tables of one edition that a comparison needs (rows as dicts)."""

    document_id: str
    sections: list[dict]
    blocks: list[dict]
    footnotes: list[dict]
    amounts: list[dict]
    dates: list[dict]
    people: list[dict]
    organizations: list[dict]
    mentions: list[dict]

    @classmethod
    def from_tables(cls, document_id: str, tables: dict[str, pa.Table]) -> Edition:
        rows = {name: tables[name].to_pylist() if name in tables else [] for name in EDITION_TABLES}
        return cls(document_id, **rows)


@dataclass
class Change:
    kind: str  # added, removed, changed, renumbered, moved
    object: str  # section, paragraph, footnote, amount, date, person, organization
    old: str | None
    new: str | None
    old_page: int | None
    new_page: int | None
    detail: str | None = None

    def row(self, series_id: str, previous_document_id: str) -> dict:
        return {
            "series_id": series_id,
            "previous_document_id": previous_document_id,
            "kind": self.kind,
            "object": self.object,
            "old_value": self.old,
            "new_value": self.new,
            "old_page": self.old_page,
            "new_page": self.new_page,
            "detail": self.detail,
        }


def _heading(s: dict) -> str:
    return f"{s['number']} {s['title']}" if s.get("number") else s["title"]


def _section_changes(old: Edition, new: Edition) -> tuple[list[Change], set[str], set[str]]:
    """Sections matched by title key; returns changes and the ids of removed and added sections."""
    old_by = {content_key(s["title"]): s for s in old.sections}
    new_by = {content_key(s["title"]): s for s in new.sections}
    old_title = {s["section_id"]: content_key(s["title"]) for s in old.sections}
    new_title = {s["section_id"]: content_key(s["title"]) for s in new.sections}
    changes: list[Change] = []
    for k, s in old_by.items():
        if k not in new_by:
            changes.append(Change("removed", "section", _heading(s), None, s["page"], None))
    for k, s in new_by.items():
        if k not in old_by:
            changes.append(Change("added", "section", None, _heading(s), None, s["page"]))
            continue
        o = old_by[k]
        if old_title.get(o["parent_id"]) != new_title.get(s["parent_id"]) or o["level"] != s["level"]:
            changes.append(Change("moved", "section", _heading(o), _heading(s), o["page"], s["page"]))
        elif (o["number"] or "") != (s["number"] or ""):
            changes.append(Change("renumbered", "section", _heading(o), _heading(s), o["page"], s["page"]))
    removed = {s["section_id"] for k, s in old_by.items() if k not in new_by}
    added = {s["section_id"] for k, s in new_by.items() if k not in old_by}
    return changes, _with_descendants(removed, old.sections), _with_descendants(added, new.sections)


def _with_descendants(ids: set[str], sections: list[dict]) -> set[str]:
    out = set(ids)
    grew = True
    while grew:
        grew = False
        for s in sections:
            if s["parent_id"] in out and s["section_id"] not in out:
                out.add(s["section_id"])
                grew = True
    return out


def _masked(text: str, spans: list[str]) -> str:
    for span in sorted(spans, key=len, reverse=True):
        text = text.replace(span, "\u2022")
    return content_key(_NUMBERS.sub("#", text), limit=2000)


def _unmatched(left: list[dict], right: list[dict]) -> tuple[list[dict], list[dict]]:
    """Blocks of each side with no counterpart of the same masked text on the other side (multiset match)."""
    pool: dict[str, list[dict]] = defaultdict(list)
    for b in left:
        pool[b["key"]].append(b)
    rest = []
    for b in right:
        if pool.get(b["key"]):
            pool[b["key"]].pop(0)
        else:
            rest.append(b)
    return [b for bs in pool.values() for b in bs], rest


def _drop_resplit(whole: list[dict], parts: list[dict]) -> tuple[list[dict], list[dict]]:
    """Remove paragraphs that only were split in two (or joined) by the layout: same words, new break."""
    whole_keys = {b["key"]: b for b in whole}
    used: set[int] = set()
    for a, b in itertools.pairwise(sorted(parts, key=lambda x: x["seq"])):
        joined = whole_keys.get(a["key"] + b["key"])
        if joined is not None and b["seq"] == a["seq"] + 1 and id(a) not in used:
            used |= {id(a), id(b), id(joined)}
    return [b for b in whole if id(b) not in used], [b for b in parts if id(b) not in used]


def _paragraph_changes(
    old: Edition,
    new: Edition,
    skip_old: set[str],
    skip_new: set[str],
    facts_old: dict[str, list[str]],
    facts_new: dict[str, list[str]],
) -> list[Change]:
    """Paragraphs matched by text with figures masked; a paragraph that differs only in its figures, or
    that the layout split in two, is not listed."""
    kinds = ("paragraph", "list_item")
    olds = [
        {**b, "key": _masked(b["text"], facts_old.get(b["block_id"], []))}
        for b in old.blocks
        if b["kind"] in kinds and b["section_id"] not in skip_old
    ]
    news = [
        {**b, "key": _masked(b["text"], facts_new.get(b["block_id"], []))}
        for b in new.blocks
        if b["kind"] in kinds and b["section_id"] not in skip_new
    ]
    unmatched_old, unmatched_new = _unmatched(olds, news)
    unmatched_old, unmatched_new = _drop_resplit(unmatched_old, unmatched_new)
    unmatched_new, unmatched_old = _drop_resplit(unmatched_new, unmatched_old)
    changes = []
    pairs = _similar_pairs(unmatched_old, unmatched_new)
    for b in unmatched_new:
        best = pairs.get(id(b))
        if best is not None:
            changes.append(Change("changed", "paragraph", best["text"], b["text"], best["page"], b["page"]))
        else:
            changes.append(Change("added", "paragraph", None, b["text"], None, b["page"]))
    paired = {id(o) for o in pairs.values()}
    changes += [
        Change("removed", "paragraph", b["text"], None, b["page"], None) for b in unmatched_old if id(b) not in paired
    ]
    return changes


def similarity(a: str, b: str) -> float:
    """How alike two paragraph texts are (difflib's ratio); the one costly comparison of a diff."""
    return difflib.SequenceMatcher(None, a, b).ratio()


def _similar_pairs(olds: list[dict], news: list[dict]) -> dict[int, dict]:
    """For each new paragraph in order, the most similar old one still free when it is at least
    ``_SIMILAR`` alike (ties to the earlier old one): the rewording of that paragraph.

    Candidates come from an index of words, so the work grows with the text, not with the
    product of the two editions: a new paragraph looks up its words rarest first, until
    ``_LOOKUPS`` index entries have been read; old paragraphs long or short enough to reach the
    threshold (difflib's length bound) score by the words they share, rare ones counting more;
    the ``_CANDIDATES`` best are compared in full."""
    index: dict[str, list[int]] = defaultdict(list)
    for i, o in enumerate(olds):
        for w in _words(o["text"]):
            index[w].append(i)
    lengths = [len(o["text"]) for o in olds]
    free = set(range(len(olds)))
    out: dict[int, dict] = {}
    for b in news:
        n = len(b["text"])
        score: dict[int, float] = defaultdict(float)
        read = 0
        for hits in sorted((index[w] for w in _words(b["text"]) if w in index), key=len):
            read += len(hits)
            if read > _LOOKUPS:
                break
            for i in hits:
                if i in free and 2 * min(lengths[i], n) >= _SIMILAR * (lengths[i] + n):
                    score[i] += 1.0 / len(hits)
        best, best_ratio = None, _SIMILAR
        for i in sorted(sorted(score, key=lambda i: (-score[i], i))[:_CANDIDATES]):
            r = similarity(olds[i]["text"], b["text"])
            if r > best_ratio or (r == best_ratio and best is None):
                best, best_ratio = i, r
        if best is not None:
            free.discard(best)
            out[id(b)] = olds[best]
    return out


def _words(text: str) -> set[str]:
    return set(_WORDS.findall(text.lower()))


def _pair(kind: str, a: list[dict], b: list[dict], value) -> list[Change]:
    """Figures in matching places, paired in reading order: a different value is "changed"."""
    changes = [
        Change("changed", kind, shown(kind, o), shown(kind, n), o["page"], n["page"], _printed(kind, o, n))
        for o, n in zip(a, b, strict=False)
        if value(o) != value(n)
    ]
    changes += [Change("removed", kind, shown(kind, o), None, o["page"], None) for o in a[len(b) :]]
    changes += [Change("added", kind, None, shown(kind, n), None, n["page"]) for n in b[len(a) :]]
    return changes


def iso_period(start: datetime.date, end: datetime.date, precision: str) -> str:
    """A date or period in ISO 8601 at its precision: "2024-09", "2013-12-30", "2020/2021"."""
    width = {"year": 4, "month": 7}.get(precision, 10)
    a, b = start.isoformat()[:width], end.isoformat()[:width]
    return a if a == b else f"{a}/{b}"


def shown(kind: str, r: dict) -> str:
    """How a figure is listed in a change: an amount as printed, a date as its ISO value."""
    if kind == "date" and r.get("start") and r.get("end"):
        return iso_period(r["start"], r["end"], r["precision"])
    return r["text"]


def _printed(kind: str, old: dict | None, new: dict | None) -> str | None:
    """The printed text behind a date's ISO value ("March 2024 -> March 2025")."""
    if kind != "date":
        return None
    return "printed: " + " -> ".join(r["text"] for r in (old, new) if r is not None)


def _contained_facts(
    old: Edition, new: Edition, removed: tuple[set[str], set[str]], added: tuple[set[str], set[str]]
) -> list[Change]:
    """Amounts and dates inside a removed or added section (ids in ``[0]``) or paragraph (``[1]``), by name.

    The section or paragraph change already says the text went or came; these rows say which
    figures went or came with it, so a reader of the fact tables sees them too.
    """
    out: list[Change] = []
    for kind, table in (("amount", "amounts"), ("date", "dates")):
        for e, (sections, blocks), what in ((old, removed, "removed"), (new, added, "added")):
            for r in sorted(getattr(e, table), key=lambda r: (r["page"] or 0, r["block_id"] or "", r["start_char"])):
                if r["section_id"] in sections:
                    where = "section"
                elif r["block_id"] in blocks:
                    where = "paragraph"
                else:
                    continue
                value = shown(kind, r)
                detail = f"in the {what} {where}" + (f" (printed: {r['text']})" if kind == "date" else "")
                if what == "removed":
                    out.append(Change(what, kind, value, None, r["page"], None, detail))
                else:
                    out.append(Change(what, kind, None, value, None, r["page"], detail))
    return out


def _fact_changes(kind: str, old: Edition, new: Edition, value, skip_old: set[str], skip_new: set[str]) -> list[Change]:
    """Amounts or dates: first by their block with every figure masked (same paragraph or table, new
    figures), then, for blocks whose wording changed, by their sentence with figures masked."""
    table = "amounts" if kind == "amount" else "dates"

    def by_block(e: Edition, skip: set[str]) -> dict[str, list[dict]]:
        out: dict[str, list[dict]] = defaultdict(list)
        for r in getattr(e, table):
            if r["section_id"] not in skip and r["block_id"] not in skip:
                out[r["block_id"]].append(r)
        for rows in out.values():
            rows.sort(key=lambda r: r["start_char"])
        return out

    def block_keys(e: Edition, groups: dict[str, list[dict]]) -> dict[str, list[str]]:
        figures = _figures_by_block(e)
        keys: dict[str, list[str]] = defaultdict(list)
        for b in e.blocks:
            if b["block_id"] in groups:
                keys[_masked(b["text"], figures[b["block_id"]])].append(b["block_id"])
        return keys

    old_groups, new_groups = by_block(old, skip_old), by_block(new, skip_new)
    old_keys, new_keys = block_keys(old, old_groups), block_keys(new, new_groups)
    changes: list[Change] = []
    left_old: list[dict] = []
    left_new: list[dict] = []
    for key in sorted(set(old_keys) | set(new_keys)):
        a_ids, b_ids = old_keys.get(key, []), new_keys.get(key, [])
        for a_id, b_id in zip(a_ids, b_ids, strict=False):
            changes += _pair(kind, old_groups[a_id], new_groups[b_id], value)
        left_old += [r for i in a_ids[len(b_ids) :] for r in old_groups[i]]
        left_new += [r for i in b_ids[len(a_ids) :] for r in new_groups[i]]

    def by_sentence(rows: list[dict], e: Edition) -> dict[str, list[dict]]:
        figures = _figures_by_block(e)
        out: dict[str, list[dict]] = defaultdict(list)
        for r in rows:
            out[_masked(r["sentence"] or r["text"], figures[r["block_id"]])].append(r)
        return out

    olds, news = by_sentence(left_old, old), by_sentence(left_new, new)
    for key in sorted(set(olds) | set(news)):
        changes += _pair(kind, olds.get(key, []), news.get(key, []), value)
    return _cancel_moves(changes)


def _cancel_moves(changes: list[Change]) -> list[Change]:
    """A figure "removed" in one place and "added" with the same text elsewhere was only moved by re-wording."""
    removed: dict[str, list[Change]] = defaultdict(list)
    for c in changes:
        if c.kind == "removed":
            removed[c.old or ""].append(c)
    drop: set[int] = set()
    for c in changes:
        if c.kind == "added" and removed.get(c.new or ""):
            drop |= {id(c), id(removed[c.new or ""].pop())}
    return [c for c in changes if id(c) not in drop]


def _footnote_changes(old: Edition, new: Edition, skip_old: set[str], skip_new: set[str]) -> list[Change]:
    """Notes matched by text: a note that only moved up a number because an earlier one went is unchanged."""

    def keyed(rows: list[dict], skip: set[str]) -> dict[str, dict]:
        return {content_key(r["text"], limit=2000): r for r in rows if r["section_id"] not in skip}

    olds, news = keyed(old.footnotes, skip_old), keyed(new.footnotes, skip_new)
    changes = [
        Change("removed", "footnote", f"{o['number']}: {o['text']}", None, o["page"], None)
        for k, o in olds.items()
        if k not in news
    ]
    changes += [
        Change("added", "footnote", None, f"{n['number']}: {n['text']}", None, n["page"])
        for k, n in news.items()
        if k not in olds
    ]
    return changes


def _entity_changes(
    kind: str, old: Edition, new: Edition, implied_old: set[str], implied_new: set[str]
) -> list[Change]:
    """Entities by id, listed only when they appear or vanish outside content already reported
    (``implied_*``: ids of blocks that were removed or added as a whole)."""
    table = "people" if kind == "person" else "organizations"

    def blocks_of(e: Edition) -> dict[str, set[str]]:
        out: dict[str, set[str]] = defaultdict(set)
        for m in e.mentions:
            if m["entity_id"]:
                out[m["entity_id"]].add(m["block_id"])
        return out

    olds = {r["entity_id"]: r for r in getattr(old, table)}
    news = {r["entity_id"]: r for r in getattr(new, table)}
    old_blocks, new_blocks = blocks_of(old), blocks_of(new)
    old_text, new_text = _Text(old), _Text(new)

    def named_in(r: dict, text: _Text) -> bool:
        return any(text.names(a) for a in [r["name"], *r["aliases"]])

    changes = [
        Change("removed", kind, r["name"], None, min(r["pages"]), None)
        for eid, r in olds.items()
        if eid not in news and not old_blocks[eid] <= implied_old and not named_in(r, new_text)
    ]
    changes += [
        Change("added", kind, None, r["name"], None, min(r["pages"]))
        for eid, r in news.items()
        if eid not in olds and not new_blocks[eid] <= implied_new and not named_in(r, old_text)
    ]
    return changes


class _Text:
    """An edition's text, asked whether it still names something: an entity still named has not gone.

    A name counts when it stands anywhere in the text, or when all its words stand in one block
    (a table cell whose lines a page break spread over two rows)."""

    def __init__(self, e: Edition) -> None:
        self.full = content_key(" ".join(b["text"] for b in e.blocks), limit=10**9)
        self.block_words = [set(_WORDS.findall(b["text"].lower())) for b in e.blocks]

    def names(self, name: str) -> bool:
        key = content_key(name)
        if key and key in self.full:
            return True
        words = set(_WORDS.findall(name.lower()))
        return len(words) >= 2 and any(words <= bw for bw in self.block_words)


def _amount_value(r: dict) -> tuple:
    return (r["value"], r["currency"], r["value_high"], r["period"])


def _date_value(r: dict) -> tuple:
    return (r["start"], r["end"], r["precision"])


def diff(old: Edition, new: Edition) -> list[Change]:
    """Every change from ``old`` to ``new``, consequences folded into their cause."""
    changes, removed_sections, added_sections = _section_changes(old, new)
    figures_old = _figures_by_block(old)
    figures_new = _figures_by_block(new)
    paragraph_changes = _paragraph_changes(old, new, removed_sections, added_sections, figures_old, figures_new)
    added_blocks = {
        b["block_id"] for b in new.blocks if any(c.kind == "added" and c.new == b["text"] for c in paragraph_changes)
    }
    removed_blocks = {
        b["block_id"] for b in old.blocks if any(c.kind == "removed" and c.old == b["text"] for c in paragraph_changes)
    }
    changes += paragraph_changes
    skip_old, skip_new = removed_sections | removed_blocks, added_sections | added_blocks
    changes += _fact_changes("amount", old, new, _amount_value, skip_old, skip_new)
    changes += _fact_changes("date", old, new, _date_value, skip_old, skip_new)
    changes += _contained_facts(old, new, (removed_sections, removed_blocks), (added_sections, added_blocks))
    changes += _footnote_changes(old, new, removed_sections, added_sections)
    implied_old = _blocks_within(old, removed_sections) | removed_blocks
    implied_new = _blocks_within(new, added_sections) | added_blocks
    changes += _entity_changes("person", old, new, implied_old, implied_new)
    changes += _entity_changes("organization", old, new, implied_old, implied_new)
    return changes


def _blocks_within(e: Edition, sections: set[str]) -> set[str]:
    return {b["block_id"] for b in e.blocks if b["section_id"] in sections}


def _figures_by_block(e: Edition) -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    for r in [*e.amounts, *e.dates]:
        out[r["block_id"]].append(r["text"])
    return out


def next_edition(documents: list[dict], document_id: str) -> dict | None:
    """The edition that follows ``document_id`` in its series, if one has been processed."""
    me = next((d for d in documents if d["document_id"] == document_id), None)
    if me is None:
        return None
    later = [
        d
        for d in documents
        if d["series_id"] == me["series_id"]
        and d["document_id"] != document_id
        and previous_edition(documents, d["document_id"]) == me
    ]
    return min(later, key=lambda d: edition_order(d["edition"], d["file_name"]), default=None)


def previous_edition(documents: list[dict], document_id: str) -> dict | None:
    """The latest edition of the same series published before ``document_id`` (rows of ``documents``)."""
    me = next((d for d in documents if d["document_id"] == document_id), None)
    if me is None or not me["series_id"]:
        return None
    mine = edition_order(me["edition"], me["file_name"])
    earlier = [
        d
        for d in documents
        if d["series_id"] == me["series_id"]
        and d["document_id"] != document_id
        and edition_order(d["edition"], d["file_name"]) < mine
    ]
    return max(earlier, key=lambda d: edition_order(d["edition"], d["file_name"]), default=None)
