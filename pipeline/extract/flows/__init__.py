"""Money flows: for every amount, who provides it, who receives it, for which period, and what it restates.

Reads the fact tables the pipeline has written (amounts, dates, mentions and the resolved
organizations and people), so parties are this document's entities. Only the blocks that hold an
amount go through the dependency parser (``nlp``): a few dozen paragraphs per report, well under
a second after the model has loaded.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from spacy.tokens import Doc
from threadpoolctl import threadpool_limits

from pipeline.extract.flows.link import Flow, link_block
from pipeline.extract.flows.parens import Parens
from pipeline.extract.flows.parties import Party, block_parties, country_names
from pipeline.extract.flows.periods import introduced
from pipeline.extract.nlp import load_model

__all__ = ["money_flows"]

_PROSE = frozenset({"paragraph", "list_item", "footnote", "caption"})
_PER = re.compile(
    r"\s*(?:(?:per|each|every|/)\s*([a-z]+)|an?\s+(day|week|month|quarter|year|semester|term))\b", re.IGNORECASE
)
_TOPIC_MIN_SENTENCES = 2
# the dot of a lower-case word before a number or a lower-case word, or of a common abbreviation, never ends a sentence
_ABBREVIATION_DOT = re.compile(r"\b([a-z]{2,6})\.(?=\s+[\d$€£¥a-z])|\b(approx|appr|ca|est|incl|excl|cf|vs)\.(?=\s)")


def _parseable(text: str) -> str:
    """The text with the dot of an abbreviation before a number blanked ("approx. 182"), so the parser does not end
    the sentence there; offsets stay the same."""
    return _ABBREVIATION_DOT.sub(lambda m: (m.group(1) or m.group(2)) + " ", text)


def _by_block(rows: Sequence[dict]) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for r in rows:
        out.setdefault(r["block_id"], []).append(r)
    return out


def _topic(doc: Doc, parties: list[Party], heading: list[Party]) -> list[Party]:
    """The organizations a paragraph is about, for sentences that name no party.

    First the organization it keeps naming outside parentheses (in more sentences than any other, at least
    two: "Name (ACRONYM)" names it once); else the named agents of its first passive statement outside
    parentheses ("the initiative is led by X, Y and Z"); else the organization of its section heading.
    """
    parens = Parens.of(doc.text)
    sentences = list(doc.sents)
    seen = {
        (p.name, p.entity_id, next((i for i, x in enumerate(sentences) if x.start_char <= p.start < x.end_char), -1))
        for p in parties
        if p.entity_id and not p.country and parens.inner(p.start, p.end) is None
    }
    ranked = Counter((name, entity_id) for name, entity_id, _ in seen).most_common(2)
    if ranked and ranked[0][1] >= _TOPIC_MIN_SENTENCES and (len(ranked) == 1 or ranked[1][1] < ranked[0][1]):
        name, entity_id = ranked[0][0]
        return [Party(-1, -1, name, entity_id)]
    for sent in sentences:
        if parens.inner(sent.start_char, sent.end_char) is not None:
            continue
        for tok in sent:
            if tok.dep_ == "agent":
                spans = [(t.idx, t.idx + len(t)) for t in tok.subtree]
                named = [p for p in parties if p.entity_id and any(p.start < e and s < p.end for s, e in spans)]
                if named:
                    return [_elsewhere(p) for p in named]
    return [_elsewhere(p) for p in heading if p.entity_id and not p.country][:1]


def _elsewhere(p: Party) -> Party:
    """A party read outside the sentence: no offsets into it."""
    return Party(-1, -1, p.name, p.entity_id, p.country)


def _heading_parties(
    section: str | None,
    parent_of: dict[str, str | None],
    heading_of: dict[str, str],
    named: dict[str, list[dict]],
    names: dict[str, str],
) -> list[Party]:
    """The organizations of the section's heading, then of its parents' headings: one per heading, nearest first."""
    out = []
    while section is not None:
        found = [m for m in named.get(heading_of.get(section, ""), []) if m["entity_id"] in names]
        if found:
            out.append(Party(-1, -1, names[found[0]["entity_id"]], found[0]["entity_id"]))
        section = parent_of.get(section)
    return out


def _per(text: str, amount: dict) -> str | None:
    """Recurrence: the amount's own period, else the unit after "per"/"each" ("per paper")."""
    if amount.get("period"):
        return amount["period"]
    m = _PER.match(text, amount["end_char"])
    unit = (m.group(1) or m.group(2)).lower() if m else None
    return unit if unit not in ("the", "total") else None


def _row(flow: Flow, text: str) -> dict:
    a = flow.amount
    start, end = flow.evidence
    return {
        "mention_id": a["mention_id"],
        "from_names": [p.name for p in flow.payers],
        "to_names": [p.name for p in flow.payees],
        "from_entity_ids": [p.entity_id for p in flow.payers],
        "to_entity_ids": [p.entity_id for p in flow.payees],
        "period_start": flow.period[0],
        "period_end": flow.period[1],
        "kind": flow.kind,
        "per": _per(text, a),
        "restates_mention_id": flow.restates,
        "evidence": text[start:end] if end > start else None,
        "page": a["page"],
        "page_label": a["page_label"],
        "section_id": a["section_id"],
        "block_id": a["block_id"],
        "start_char": a["start_char"],
        "end_char": a["end_char"],
    }


def money_flows(
    blocks: Sequence[dict],
    sections: Sequence[dict],
    mentions: Sequence[dict],
    entities: Sequence[dict],
    amounts: Sequence[dict],
    dates: Sequence[dict],
    model: str | None = None,
) -> list[dict]:
    """One ``money_flows`` row per amount row (tables as lists of dicts; ``entities``: organizations and people)."""
    if not amounts:
        return []
    text = {b["block_id"]: b["text"] for b in blocks}
    kind = {b["block_id"]: b["kind"] for b in blocks}
    heading_of = {s["section_id"]: s["block_id"] for s in sections}
    parent_of = {s["section_id"]: s["parent_id"] for s in sections}
    names = {e["entity_id"]: e["name"] for e in entities}
    named = _by_block([m for m in mentions if m["entity_id"]])
    by_block = _by_block(amounts)
    dates_by_block = _by_block(dates)
    prose = [bid for bid in by_block if kind.get(bid) in _PROSE]
    nlp = load_model(model) if model else load_model()  # the whole pipeline: parse, lemmas, GPE/NORP
    with threadpool_limits(limits=1, user_api="blas"):  # small products: a second BLAS thread only spins
        docs = dict(zip(prose, nlp.pipe([_parseable(text[bid]) for bid in prose]), strict=True))
    countries = country_names(docs.values())
    rows = []
    for bid, rows_of_block in by_block.items():
        doc = docs.get(bid)
        if doc is None:  # table cells and headings: the amount alone, no sentence to read parties from
            rows += [_row(Flow(a), text[bid]) for a in rows_of_block]
            continue
        parties = block_parties(doc, 0, named.get(bid, []), names, countries)
        section = rows_of_block[0]["section_id"]
        chain = _heading_parties(section, parent_of, heading_of, named, names)
        topic = _topic(doc, parties, _heading_parties(section, {}, heading_of, named, names))
        refs = [introduced(text[bid], d) for d in dates_by_block.get(bid, [])]
        flows = link_block(text[bid], doc, rows_of_block, parties, refs, topic, chain)
        rows += [_row(f, text[bid]) for f in flows]
    order = {a["mention_id"]: i for i, a in enumerate(amounts)}
    return sorted(rows, key=lambda r: order[r["mention_id"]])
