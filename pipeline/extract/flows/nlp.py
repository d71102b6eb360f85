"""The spaCy pipeline that parses the few blocks holding amounts: tagger, parser, lemmatizer and NER.

The fact extraction's pipeline keeps NER only (see ``pipeline.extract.nlp``); money flows need
the dependency parse and lemmas, and GPE/NORP entities for countries, on a few dozen paragraphs.
Both come from one load of the model per process; parsing a report's amount paragraphs takes
about 0.2 s.
"""

from __future__ import annotations

from spacy.language import Language

from pipeline.extract.nlp import DEFAULT_MODEL, load_model

__all__ = ["load_parser"]


def load_parser(model: str = DEFAULT_MODEL) -> Language:
    """``model``'s whole pipeline but the sentence recogniser, loaded once per process (``load_model``)."""
    return load_model(model)
