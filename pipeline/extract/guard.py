"""Keep currency codes and bare numbers out of the model's PERSON and ORG entities.

The small English model reads an upper-case code after a figure ("59 trillion
JPY") as a name. Amounts are found by rules, so those tokens are never names.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span

from pipeline.extract.amounts import is_currency_code

__all__ = ["NAME_LABELS"]

NAME_LABELS = frozenset({"PERSON", "ORG"})


def _is_noise(token_text: str) -> bool:
    return is_currency_code(token_text) or not any(c.isalpha() for c in token_text)


def _trimmed(ent: Span) -> Span | None:
    """The entity without leading currency codes or numbers nor trailing codes, None if nothing is left.

    A trailing number stays: it is part of names like "Vision 2035".
    """
    start, end = ent.start, ent.end
    doc = ent.doc
    while start < end and _is_noise(doc[start].text):
        start += 1
    while end > start and is_currency_code(doc[end - 1].text):
        end -= 1
    if start == end:
        return None
    return Span(doc, start, end, label=ent.label)


@Language.component("entity_guard")
def entity_guard(doc: Doc) -> Doc:
    """Trim or drop PERSON/ORG entities made of currency codes and numbers."""
    kept = []
    for ent in doc.ents:
        span = _trimmed(ent) if ent.label_ in NAME_LABELS else ent
        if span is not None:
            kept.append(span)
    doc.ents = kept
    return doc
