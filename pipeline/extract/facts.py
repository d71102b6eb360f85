"""Fact extraction for one document: mentions, organisations, people, amounts and dates.

The model reads every segment once (``nlp.pipe``, identical texts parsed once);
rules and the model's entities are then resolved across the whole document,
because names, acronyms and their variants only make sense document-wide.
"""

from __future__ import annotations

from collections.abc import Sequence

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.extract import modelpool
from pipeline.extract.aliases import find_aliases
from pipeline.extract.candidates import collect
from pipeline.extract.measures import amounts_and_dates
from pipeline.extract.mentions import Mention, mention_row
from pipeline.extract.nlp import load_nlp
from pipeline.extract.organizations import resolve_organizations
from pipeline.extract.people import resolve_people
from pipeline.extract.personevidence import without_unevidenced
from pipeline.extract.personnames import is_full_name
from pipeline.extract.segments import Segment, segments
from pipeline.model import TextBlock
from pipeline.timing import Stopwatch, maybe

__all__ = ["extract", "extract_with", "load_nlp", "parse"]

BATCH_SIZE = 128


def parse(nlp: Language, segs: Sequence[Segment], workers: int = 1) -> list[Doc]:
    """One Doc per segment; a text repeated in the document (table cells, headings) is parsed once.

    Texts go to the model shortest first: the NER steps a whole batch until its longest text is
    done, so batches of similar lengths waste fewer steps.
    """
    unique = sorted(dict.fromkeys(s.text for s in segs), key=len)
    docs = dict(zip(unique, modelpool.pipe(nlp, unique, BATCH_SIZE, workers), strict=True))
    return [docs[s.text] for s in segs]


def extract(
    blocks: Sequence[TextBlock], nlp: Language, watch: Stopwatch | None = None, workers: int = 1
) -> dict[str, list[dict]]:
    """Rows for the ``mentions``, ``organizations``, ``people``, ``amounts`` and ``dates`` tables.

    ``workers`` processes run the model (see ``modelpool``); ``watch`` times the stages (model,
    rules and normalisation, resolution) for the benchmark.
    """
    segs = segments(blocks)
    with maybe(watch, f"ner ({workers} model process{'es' if workers > 1 else ''})"):
        docs = parse(nlp, segs, workers)
    facts: list[Mention] = []
    amounts: list[dict] = []
    dates: list[dict] = []
    with maybe(watch, "rules and normalisation"):
        for seg, doc in zip(segs, docs, strict=True):
            found, seg_amounts, seg_dates = amounts_and_dates(seg, doc)
            facts += found
            amounts += seg_amounts
            dates += seg_dates
    with maybe(watch, "resolution (people, organizations)"):
        candidates = collect(segs, docs)
        persons = [m for m in candidates.names if m.label == "PERSON"]
        full_names = {m.text for m in persons if is_full_name(m.text)}
        persons += find_aliases(segs, full_names, "PERSON", candidates.names)
        people, person_ids = without_unevidenced(*resolve_people(persons), segs)
        orgs = [m for m in candidates.names if m.label == "ORG"]
        organizations, org_ids = resolve_organizations(candidates.definitions, orgs, segs)
        entity_ids = person_ids | org_ids
        rows = [mention_row(m, entity_ids.get(m)) for m in sorted([*facts, *entity_ids], key=lambda m: m.order)]
    return {"mentions": rows, "organizations": organizations, "people": people, "amounts": amounts, "dates": dates}


def extract_with(blocks: Sequence[TextBlock], model: str, workers: int = 1) -> dict[str, list[dict]]:
    """``extract`` with ``model``'s fact pipeline, loaded once per process: what the fact step hands to
    ``pipeline.extract.host.run`` (the model host's process, or this one)."""
    return extract(blocks, load_nlp(model), workers=workers)
