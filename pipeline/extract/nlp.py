"""The spaCy pipelines of fact extraction and money flows, from one load of the model per process.

The money flows parse with the model's whole pipeline (``load_model``). Fact extraction keeps
only its NER component (it has its own tok2vec); the tagger, parser, lemmatizer and attribute
ruler cost time and no rule here reads their output. A rule-based sentencizer supplies the
sentence of each amount and date; the registered rule components run after NER. The fact
pipeline takes the loaded NER component, tokenizer and vocabulary of the whole one instead of
reading the model from disk a second time (about 0.3 s of a cold run).
"""

from __future__ import annotations

import functools
import inspect
import threading
from collections.abc import Callable
from typing import TypeVar

import spacy
from spacy.language import Language
from thinc.api import use_ops

from pipeline.extract import DEFAULT_MODEL, acronyms, cjk, guard, orgrules, personspans  # noqa: F401  (registers the components)

__all__ = ["DEFAULT_MODEL", "load_model", "load_nlp", "once"]

F = TypeVar("F", bound=Callable)


def once(fn: F) -> F:
    """``functools.cache`` whose first call per argument runs once even when threads race.

    The command line loads the models in a background thread while the first document is read;
    the step that needs a model then waits for that load instead of starting a second one.
    Arguments count with their defaults filled in: ``load_model()`` and ``load_model(DEFAULT_MODEL)``
    are one load.
    """
    cached = functools.cache(fn)
    signature = inspect.signature(fn)
    lock = threading.Lock()

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        bound = signature.bind(*args, **kwargs)
        bound.apply_defaults()
        with lock:
            return cached(*bound.args, **bound.kwargs)

    return wrapper  # type: ignore[return-value]


MODEL_COMPONENT = "ner"


@once
def load_model(model: str = DEFAULT_MODEL) -> Language:
    """``model`` read from disk once per process: everything but the sentence recogniser (the parser sets sentences).

    The installed blis build falls back to its generic kernel on this machine's CPU (about 21
    GFLOPS against numpy's 70 for the tok2vec products), so the model's matrix products go
    through numpy. These products are small: where documents run in parallel, one BLAS thread
    per process (OPENBLAS_NUM_THREADS=1) avoids the threads contending.
    """
    with use_ops("numpy", use_blis=False):
        return spacy.load(model, exclude=["senter"])


@once
def load_nlp(model: str = DEFAULT_MODEL) -> Language:
    """``model``'s NER (shared with ``load_model``'s pipeline), a sentencizer and the rule components."""
    whole = load_model(model)
    nlp = spacy.blank(whole.lang, vocab=whole.vocab)
    nlp.tokenizer = whole.tokenizer
    nlp.batch_size = whole.batch_size
    nlp.add_pipe(MODEL_COMPONENT, source=whole)
    nlp.add_pipe("sentencizer", first=True)
    nlp.add_pipe("entity_guard", after="ner")
    nlp.add_pipe("person_repair", after="entity_guard")
    nlp.add_pipe("acronym_definitions")
    nlp.add_pipe("org_designators")
    nlp.add_pipe("cjk_org_names")
    return nlp
