"""Amount and date rows from the rule extractors, each with the sentence it was written in."""

from __future__ import annotations

from spacy.tokens import Doc

from pipeline.extract.amounts import find_amounts
from pipeline.extract.dates import find_dates
from pipeline.extract.mentions import Mention, mention_row
from pipeline.extract.segments import Segment

__all__ = ["amounts_and_dates"]


def _sentence(doc: Doc, start: int, end: int) -> str:
    """The sentence(s) holding characters ``start:end`` of the segment."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return doc.text
    return doc.text[span[0].sent.start_char : span[-1].sent.end_char]


def _fact(segment: Segment, doc: Doc, start: int, end: int, label: str) -> tuple[Mention, dict]:
    """The mention and the provenance columns shared by amounts and dates."""
    mention = Mention(segment, segment.start + start, segment.start + end, label, "rule")
    row = mention_row(mention, None)
    fact = {key: row[key] for key in ("mention_id", "text", "page", "page_label", "section_id", "block_id")}
    fact |= {"start_char": mention.start, "end_char": mention.end, "sentence": _sentence(doc, start, end)}
    return mention, fact


def amounts_and_dates(segment: Segment, doc: Doc) -> tuple[list[Mention], list[dict], list[dict]]:
    """MONEY and DATE mentions of one segment with their ``amounts`` and ``dates`` rows."""
    mentions, amounts, dates = [], [], []
    for a in find_amounts(segment.text):
        mention, fact = _fact(segment, doc, a.start, a.end, "MONEY")
        mentions.append(mention)
        amounts.append(
            fact
            | {
                "value": a.value,
                "currency": a.currency,
                "approximate": a.approximate,
                "value_high": a.value_high,
                "period": a.period,
            }
        )
    for d in find_dates(segment.text):
        mention, fact = _fact(segment, doc, d.start, d.end, "DATE")
        mentions.append(mention)
        dates.append(fact | {"start": d.start_date, "end": d.end_date, "precision": d.precision})
    return mentions, amounts, dates
