"""Running the model in forked workers must give the very Docs ``nlp.pipe`` gives, and fail loudly."""

from __future__ import annotations

import os

import pytest
from spacy.language import Language

from pipeline.extract import modelpool
from pipeline.extract.facts import extract, load_nlp
from pipeline.extract.segments import segments
from pipeline.rows import text_blocks


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_nlp()


@pytest.fixture(scope="module")
def texts(parsed) -> list[str]:
    """Every text our style A sample sends to the model: headings, paragraphs, footnotes, cells."""
    unique = dict.fromkeys(s.text for s in segments(text_blocks(parsed["a1"].structure)))
    found = sorted(unique, key=len)
    assert len(found) >= 2 * 64, "too few texts to start a worker"
    return found


def test_workers_give_the_docs_of_nlp_pipe(nlp: Language, texts: list[str]) -> None:
    serial = [doc.to_bytes() for doc in nlp.pipe(texts, batch_size=32)]
    for workers in (2, 3):
        docs = modelpool.pipe(nlp, texts, batch_size=32, workers=workers)
        assert [doc.to_bytes() for doc in docs] == serial, workers
    assert any(doc.ents for doc in docs) and all(doc.has_annotation("SENT_START") for doc in docs)


def test_fact_rows_do_not_depend_on_the_number_of_workers(nlp: Language, parsed) -> None:
    blocks = text_blocks(parsed["b1"].structure)
    assert extract(blocks, nlp, workers=2) == extract(blocks, nlp, workers=1)


def test_few_texts_stay_in_process(nlp: Language, monkeypatch) -> None:
    monkeypatch.setattr(modelpool, "_start", lambda *a: pytest.fail("started a worker for two texts"))
    docs = modelpool.pipe(nlp, ["Mira Holt went to Orvan.", "The Orvan Harbour Authority met."], 8, workers=2)
    assert [d.text for d in docs] == ["Mira Holt went to Orvan.", "The Orvan Harbour Authority met."]


def _failing_model(*args) -> None:
    raise ValueError("tok2vec weights are corrupt")


def _dying_model(*args) -> None:
    os._exit(3)


@pytest.mark.parametrize(
    ("model", "message"),
    [(_failing_model, "ValueError: tok2vec weights are corrupt"), (_dying_model, "worker exited with code 3")],
)
def test_a_failing_worker_is_an_error(nlp: Language, texts: list[str], monkeypatch, model, message: str) -> None:
    monkeypatch.setattr(modelpool, "_entities", model)  # forked workers inherit the patch
    with pytest.raises(modelpool.ModelWorkerError, match=message):
        modelpool.pipe(nlp, texts, batch_size=32, workers=2)
