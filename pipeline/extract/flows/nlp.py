"""The spaCy pipeline that parses the few blocks holding amounts: tagger, parser, lemmatizer and NER.

The fact extraction's pipeline keeps NER only (see ``pipeline.extract.nlp``); money flows need
the dependency parse and lemmas, and GPE/NORP entities for countries, on a few dozen paragraphs.
Loading these components costs about 0.4 s once per process; parsing a report's amount
paragraphs about 0.2 s.
"""

from __future__ import annotations

import spacy
from spacy.language import Language
from thinc.api import use_ops

from pipeline.extract.nlp import DEFAULT_MODEL, once

__all__ = ["load_parser"]


@once
def load_parser(model: str = DEFAULT_MODEL) -> Language:
    """``model`` with everything but the sentence recogniser (the parser sets sentences).

    Its matrix products go through numpy, as the fact pipeline's do (see ``pipeline.extract.nlp``).
    """
    with use_ops("numpy", use_blis=False):
        return spacy.load(model, exclude=["senter"])
