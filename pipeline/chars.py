"""Character sources: turn a PDF into ``RawPage`` objects (glyphs with typography, ruling edges).

pdfplumber is the reference source; pdfium (``chars_pdfium``) reproduces it several times
faster. Parsing dominates the cost, so long documents are split into page ranges parsed in
worker processes.
"""

from __future__ import annotations

import gc
import itertools
import multiprocessing
import os
import resource
import time
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

import pdfplumber
from pdfminer.pdfdocument import PDFNoPageLabels

from pipeline.chars_pdfium import extract_range_pdfium, page_count_pdfium
from pipeline.model import Char, Edge, RawPage

_MIN_PAGES_PER_WORKER = 8


def page_count(path: Path, source: str = "pdfplumber") -> int:
    if source == "pdfium":  # opening with pdfplumber would cost more than pdfium's whole pass on short files
        return page_count_pdfium(str(path))
    with pdfplumber.open(path) as pdf:
        return len(pdf.pages)


def pdf_title(path: Path) -> str | None:
    """The document title from the PDF metadata, if it carries a usable one."""
    with pdfplumber.open(path) as pdf:
        title = pdf.metadata.get("Title")
    if isinstance(title, bytes):
        title = title.decode("utf-8", "replace")
    return title.strip() if isinstance(title, str) and len(title.strip()) > 3 else None


def page_labels(path: Path) -> list[str | None] | None:
    """Labels from the PDF's /PageLabels tree, or None when the file has none."""
    with pdfplumber.open(path) as pdf:
        n = len(pdf.pages)
        try:  # pdfminer's generator never ends: it keeps numbering past the last page
            labels = list(islice(pdf.doc.get_page_labels(), n))
        except (PDFNoPageLabels, KeyError, TypeError, ValueError):
            return None
    return [label or None for label in labels]


def _raw_page(page: pdfplumber.page.Page) -> RawPage:
    chars = [
        Char(
            text=c["text"],
            x0=float(c["x0"]),
            x1=float(c["x1"]),
            top=float(c["top"]),
            bottom=float(c["bottom"]),
            size=round(float(c["size"]), 1),
            font=str(c.get("fontname") or ""),
            upright=bool(c.get("upright", True)),
        )
        for c in page.chars
    ]
    edges = [
        Edge(float(e["x0"]), float(e["top"]), float(e["x1"]), float(e["bottom"]), e["orientation"])
        for e in page.edges
        if e.get("orientation") in ("h", "v")
    ]
    graphics = [
        (float(o["x0"]), float(o["top"]), float(o["x1"]), float(o["bottom"]))
        for kind in ("rects", "curves", "images")
        for o in getattr(page, kind)
    ]
    return RawPage(page.page_number, float(page.width), float(page.height), chars, edges, graphics)


def _extract_range(path: str, start: int, stop: int) -> list[RawPage]:
    with pdfplumber.open(path) as pdf:
        out = []
        for i in range(start, stop):
            page = pdf.pages[i]
            out.append(_raw_page(page))
            page.flush_cache()
        return out


@dataclass(frozen=True)
class Limits:
    """Per-document ceilings for untrusted input: wall time for reading, address space per reader process."""

    seconds: float | None = 300.0
    memory_mb: int | None = 2048


class LimitExceeded(Exception):
    """Reading the PDF went over a ``Limits`` ceiling."""


def _reader_init(memory_mb: int | None) -> None:
    """Reader process set-up: the memory ceiling, and no cyclic GC (short-lived, allocation-heavy, bounded)."""
    gc.disable()
    if memory_mb:
        size = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (size, size))


def extract_pages(
    path: Path, workers: int | None = None, source: str = "pdfplumber", limits: Limits | None = None
) -> list[RawPage]:
    """All pages of ``path`` in order, parsed in reader processes that the limits can stop.

    Pages are split into ``workers`` contiguous ranges. With limits, even a single range is
    read in a child process: a hostile file can then exhaust only that process's memory or
    time, and the pool is terminated when the deadline passes.
    """
    if source == "pdfplumber":
        extract_range = _extract_range
    elif source == "pdfium":
        extract_range = extract_range_pdfium
    else:
        raise ValueError(f"unknown character source {source!r}")
    n = page_count(path, source)
    workers = workers if workers is not None else min(os.cpu_count() or 1, 2)
    workers = max(1, min(workers, n // _MIN_PAGES_PER_WORKER))
    if workers == 1 and limits is None:
        return extract_range(str(path), 0, n)
    limits = limits or Limits()
    bounds = [round(i * n / workers) for i in range(workers + 1)]
    deadline = time.monotonic() + limits.seconds if limits.seconds else None
    # objects that exist before the fork are frozen, so the children's GC never touches (and copies) them
    gc.freeze()
    pool = multiprocessing.get_context("fork").Pool(workers, initializer=_reader_init, initargs=(limits.memory_mb,))
    gc.unfreeze()
    try:
        jobs = [pool.apply_async(extract_range, (str(path), a, b)) for a, b in itertools.pairwise(bounds)]
        pages: list[RawPage] = []
        for job in jobs:
            remaining = None if deadline is None else max(0.0, deadline - time.monotonic())
            try:
                pages.extend(job.get(timeout=remaining))
            except multiprocessing.TimeoutError as exc:
                raise LimitExceeded(f"reading took longer than the limit of {limits.seconds:g} s") from exc
            except MemoryError as exc:
                raise LimitExceeded(f"reading needed more than the limit of {limits.memory_mb} MB") from exc
        return pages
    finally:
        pool.terminate()
        pool.join()
