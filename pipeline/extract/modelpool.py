"""Run the statistical model over many texts on several cores, with results equal to ``nlp.pipe``.

spaCy's ``n_process`` sends every Doc back serialised whole, which for this small model costs
about what the second core saves (measured 6,800 -> 7,100 words/s). Here forked children share
the loaded model copy-on-write, run the pipeline up to NER on their share of the texts and send
back only entity spans (a few integers per text); the parent works on its own share meanwhile,
then tokenises the children's texts, restores their entities and runs the cheap rule
components itself, so every Doc ends up exactly as ``nlp.pipe`` would have made it.

The model's matrix products are small: a second BLAS thread gains no time but spins (corpus
report, one process: 5.4 s wall and 8.5 s CPU with two OpenBLAS threads, 4.9 s and 4.9 s with
one), and with a worker per core the threads contend (two workers with two threads each: 7,900
words/s; with one each: 13,000). The model always runs with one BLAS thread per process.
"""

from __future__ import annotations

import gc
import multiprocessing
import signal
from collections.abc import Sequence
from multiprocessing.connection import Connection

from spacy.language import Language
from spacy.tokens import Doc, Span
from threadpoolctl import threadpool_limits

__all__ = ["ModelWorkerError", "pipe"]

MODEL_COMPONENT = "ner"
_MIN_TEXTS_PER_WORKER = 64  # below this a child's start-up costs more than it saves

EntitySpans = list[tuple[int, int, str]]


class ModelWorkerError(RuntimeError):
    """A model worker process failed; the message carries its error."""


def _model_part(nlp: Language) -> list[str]:
    """Components up to and including NER: the part whose output children send back."""
    names = nlp.pipe_names
    return names[: names.index(MODEL_COMPONENT) + 1]


def _entities(nlp: Language, texts: Sequence[str], batch_size: int) -> list[EntitySpans]:
    with nlp.select_pipes(enable=_model_part(nlp)):
        return [[(e.start, e.end, e.label_) for e in doc.ents] for doc in nlp.pipe(texts, batch_size=batch_size)]


def _child(nlp: Language, texts: Sequence[str], batch_size: int, conn: Connection) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the host's handler (Dagster's catches SIGTERM)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    gc.disable()  # short-lived: collecting would only copy the parent's pages
    try:
        conn.send(("ok", _entities(nlp, texts, batch_size)))
    except BaseException as exc:  # reported to the parent, which raises it
        conn.send(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        conn.close()


def _start(nlp: Language, texts: Sequence[str], batch_size: int) -> tuple[multiprocessing.Process, Connection]:
    ctx = multiprocessing.get_context("fork")
    receiver, sender = ctx.Pipe(duplex=False)
    gc.freeze()  # objects from before the fork stay shared: the child's GC never touches them
    process = ctx.Process(target=_child, args=(nlp, texts, batch_size, sender), daemon=True)
    process.start()
    gc.unfreeze()
    sender.close()
    return process, receiver


def _collect(process: multiprocessing.Process, receiver: Connection) -> list[EntitySpans]:
    try:
        status, payload = receiver.recv()
    except EOFError:  # died without a word (killed, out of memory)
        process.join()
        status, payload = "error", f"worker exited with code {process.exitcode}"
    finally:
        receiver.close()
        process.join()
    if status != "ok":
        raise ModelWorkerError(f"model worker failed: {payload}")
    return payload


def _restore(nlp: Language, texts: Sequence[str], entities: list[EntitySpans], batch_size: int) -> list[Doc]:
    """Docs with the children's entities, completed by every component except the model."""
    docs = []
    for text, spans in zip(texts, entities, strict=True):
        doc = nlp.make_doc(text)
        doc.set_ents([Span(doc, start, end, label) for start, end, label in spans], default="outside")
        docs.append(doc)
    with nlp.select_pipes(disable=[MODEL_COMPONENT]):
        return list(nlp.pipe(docs, batch_size=batch_size))


def pipe(nlp: Language, texts: Sequence[str], batch_size: int, workers: int = 1) -> list[Doc]:
    """One Doc per text, in order, with ``workers`` processes (the caller's included) running the model.

    Text ``i`` goes to worker ``i % workers``: callers sort texts by length, so every worker
    gets the same mix of short and long ones.
    """
    workers = max(1, min(workers, len(texts) // _MIN_TEXTS_PER_WORKER))
    with threadpool_limits(limits=1, user_api="blas"):  # set before any fork: children inherit it
        if workers == 1 or MODEL_COMPONENT not in nlp.pipe_names:
            return list(nlp.pipe(texts, batch_size=batch_size))
        shares = [texts[k::workers] for k in range(workers)]
        children = [_start(nlp, share, batch_size) for share in shares[1:]]
        try:
            mine = list(nlp.pipe(shares[0], batch_size=batch_size))
            theirs = [_collect(process, receiver) for process, receiver in children]
        finally:
            for process, _ in children:
                if process.is_alive():
                    process.kill()
                    process.join()
        restored = [_restore(nlp, share, ents, batch_size) for share, ents in zip(shares[1:], theirs, strict=True)]
    per_share = [mine, *restored]
    docs: list[Doc] = [None] * len(texts)  # type: ignore[list-item]
    for k, share_docs in enumerate(per_share):
        docs[k::workers] = share_docs
    return docs
