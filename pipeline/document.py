"""One PDF in, every contract table out: the plain-Python pipeline the Dagster assets and tests call."""

from __future__ import annotations

import dataclasses
import multiprocessing
import re
from dataclasses import dataclass, field
from functools import partial
from multiprocessing.pool import AsyncResult
from pathlib import Path

import pdfplumber
import pyarrow as pa

from pipeline import PIPELINE_VERSION, rows
from pipeline.chars import (
    LimitExceeded,
    Limits,
    PendingPages,
    close_readers,
    in_background,
    readers_generation,
    reading,
    start_in_readers,
    start_reading,
)
from pipeline.chars_pdfplumber import raw_page_pdfplumber, text_chars
from pipeline.editions import series_key
from pipeline.identity import COVER_PAGES, EDITION, Cover, cover_lines, cover_of, metadata_title, read_cover
from pipeline.ids import document_key
from pipeline.ingest import IngestError, PdfInfo, check_pdf, file_key
from pipeline.lines import PageRows, page_rows
from pipeline.model import RawPage
from pipeline.schemas import TABLES, empty_table, to_arrow
from pipeline.structure import Structure, analyse, collector_paused

_EDITION = EDITION  # the same label identity reads from the cover


@dataclass
class ParsedDocument:
    document_id: str
    path: Path
    sha256: str
    title: str | None
    edition: str | None
    structure: Structure
    tables: dict[str, pa.Table] = field(default_factory=dict)
    source_path: str | None = None  # relative to the raw folder the file was found in


_JUNK_TITLE = re.compile(
    r"^(?:untitled|title|document\d*|microsoft \w+ - .*|.*\.(?:docx?|pdf|indd|tex|rtf|odt|pptx?|qxd|p65))$",
    re.IGNORECASE,
)
_TITLE_KINDS = ("paragraph", "heading", "list_item")


def _title(s: Structure, metadata_title: str | None) -> str | None:
    """The metadata title unless it is a placeholder, else the most prominent text of the first page.

    Prominent means larger than the page's running text (or, at the same size, bold and short);
    a title set over several lines or blocks of the same size is joined. No title beats a sentence.
    """
    meta = (metadata_title or "").strip()
    if sum(ch.isalpha() for ch in meta) >= 3 and not _JUNK_TITLE.match(meta):
        return meta
    shown = [b for b in s.blocks if b.kind in _TITLE_KINDS and b.text.strip()]
    if not shown:
        return None
    page = [b for b in shown if b.page == shown[0].page]
    top = max(b.size for b in page)
    if top < 1.15 * s.body_size:
        page = [b for b in page if b.bold and b.size >= s.body_size and len(b.text) <= 200]
        top = max((b.size for b in page), default=0.0)
    parts: list[str] = []
    for b in sorted(page, key=lambda b: (b.top, b.x0)):
        if abs(b.size - top) < 0.05 * top:
            parts.append(b.text.strip())
        elif parts:
            break
    title = " ".join(parts)
    return title if 0 < len(title) <= 300 else None


def _edition(s: Structure) -> str | None:
    """The publication date or edition label printed before the body starts (cover, title page)."""
    for b in s.blocks:
        if b.page > 2:
            break
        m = _EDITION.search(b.text)
        if m and len(b.text) < 120:
            return m.group(0)
    return None


# Documents shorter than this are read by one reader anyway, and their structure pickles quickly.
PREFETCH_MAX_PAGES = 16
_Prefetched = tuple[int | None, AsyncResult | ParsedDocument | PendingPages]
_PREFETCHED: dict[tuple, _Prefetched] = {}


def prefetch(path: Path, char_source: str = "pdfplumber", limits: Limits | None = None) -> None:
    """Start the layout of a short document in a reader process now; ``parse`` of that file takes it over.

    The host meanwhile creates the document's run and checks it (and, before the first document,
    loads the models), which left the second core idle while a short document paid its fixed cost.
    Nothing happens for a long document (``read_ahead``), an unreadable one (``parse`` refuses it
    with the reason) or a file already prefetched.
    """
    found = _not_yet_prefetched(path, char_source)
    if found is not None and found[1].page_count < PREFETCH_MAX_PAGES:
        limits = limits or Limits()
        _PREFETCHED[found[0]] = in_background(_parse_here, (path, char_source), memory_mb=limits.memory_mb)


def read_ahead(
    path: Path,
    char_source: str = "pdfplumber",
    limits: Limits | None = None,
    workers: int | None = None,
    max_pages: int | None = None,
) -> None:
    """Start reading the pages of a long document in ``workers`` readers now; ``parse`` takes them over
    as they come (``pipeline.chars.PendingPages``).

    The host meanwhile creates the document's run (and, before the first document, its instance
    and the models): the readers had nothing to do for the first seconds of every long document.
    The pages wait in memory until parsed, so callers read ahead only the document they process
    next. Nothing happens for a short document (``prefetch``), one over ``max_pages`` or unreadable
    (``parse`` refuses it with the reason), or a file already being read.
    """
    found = _not_yet_prefetched(path, char_source, max_pages)
    if found is not None and found[1].page_count >= PREFETCH_MAX_PAGES:
        pending = start_reading(path, workers, char_source, limits or Limits(), found[1].page_count)
        _PREFETCHED[found[0]] = (pending.generation, pending)


def _not_yet_prefetched(path: Path, char_source: str, max_pages: int | None = None) -> tuple[tuple, PdfInfo] | None:
    """The prefetch key and page count of a readable file not yet prefetched; None otherwise."""
    try:
        info = check_pdf(path, max_pages=max_pages)
        key = (*file_key(path), char_source)
    except (IngestError, OSError):
        return None
    return None if key in _PREFETCHED else (key, info)


def _parse_here(path: Path, char_source: str) -> ParsedDocument:
    """``parse`` inside a reader: the reader itself is the process the memory ceiling bounds."""
    return parse(path, workers=1, char_source=char_source)


def _prefetched(path: Path, char_source: str, limits: Limits | None) -> ParsedDocument | PendingPages | None:
    """The prefetched layout (short document, waited for within the time limit) or pending pages (long
    one) of this unchanged file; None if none, or if the readers doing it were stopped since."""
    try:
        found = _PREFETCHED.pop((*file_key(path), char_source), None)
    except OSError:
        return None
    if found is not None and found[0] is None:  # read ahead with the cover
        return found[1]
    if found is None or found[0] != readers_generation():  # none, or its reader was stopped since
        return None
    job = found[1]
    if isinstance(job, PendingPages):
        return job
    limits = limits or Limits()
    try:
        return job.get(timeout=limits.seconds)
    except multiprocessing.TimeoutError as exc:
        close_readers()
        raise IngestError(path, f"reading took longer than the limit of {limits.seconds:g} s", stage="layout") from exc
    except MemoryError as exc:
        close_readers()
        raise IngestError(path, f"reading needed more than the limit of {limits.memory_mb} MB", stage="layout") from exc


def parse(
    path: Path,
    workers: int | None = None,
    max_pages: int | None = None,
    char_source: str = "pdfplumber",
    limits: Limits | None = None,
    document_id: str | None = None,
    source_path: str | None = None,
) -> ParsedDocument:
    """Layout and structure of one PDF (no entity extraction); bad files raise ``IngestError``.

    ``document_id`` is the id the caller assigned (``pipeline.identity``); by default the file name's.
    A ``prefetch`` started for the file is taken over.
    """
    info = check_pdf(path, max_pages=max_pages)
    found = _prefetched(path, char_source, limits)
    if isinstance(found, ParsedDocument):
        return dataclasses.replace(
            found,
            path=path,
            document_id=document_id or document_key(path.name),
            source_path=source_path or path.name,
        )
    pages = found.pages() if found is not None else reading(path, workers, char_source, limits, info.page_count)
    raw: list[RawPage] = []
    first_pass: list[PageRows] = []
    try:
        with collector_paused():
            for page in pages:
                raw.append(page)
                first_pass.append(page_rows(page))  # while the readers parse the next pages
    except LimitExceeded as exc:
        raise IngestError(path, str(exc), stage="layout") from exc
    return _from_pages(path, info, raw, document_id, source_path, first_pass)


def _from_pages(
    path: Path,
    info: PdfInfo,
    raw: list[RawPage],
    document_id: str | None,
    source_path: str | None,
    first_pass: list[PageRows] | None = None,
) -> ParsedDocument:
    if sum(len(p.chars) for p in raw) == 0:
        raise IngestError(path, "no text layer (scanned images?); OCR is not supported", stage="layout")
    structure = analyse(raw, info.page_labels, first_pass)
    return ParsedDocument(
        document_id=document_id or document_key(path.name),
        path=path,
        sha256=info.sha256,
        title=_title(structure, info.title),
        edition=_edition(structure),
        structure=structure,
        source_path=source_path or path.name,
    )


def cover_and_layout(path: Path, char_source: str = "pdfplumber") -> tuple[Cover, ParsedDocument | None]:
    """The cover (``pipeline.identity.read_cover``) and, for a short document read by pdfplumber, its
    layout from the same parse of its pages; for others only the cover.

    For a short document the cover is most of the file: reading it for the id and again for the
    layout parsed its pages twice. Run in a reader; the layout goes to ``keep_layout``.
    """
    try:
        info = check_pdf(path)
    except IngestError:
        return read_cover(path), None
    if info.page_count >= PREFETCH_MAX_PAGES or char_source != "pdfplumber":
        return read_cover(path), None
    try:
        with pdfplumber.open(path) as pdf:
            title = metadata_title(pdf)
            raw, lines = [], []
            for i, page in enumerate(pdf.pages):
                raw.append(raw_page_pdfplumber(page))
                if i < COVER_PAGES:
                    lines.append(cover_lines(text_chars(page)))  # from the same parse of the page
                page.flush_cache()
    except Exception:  # as read_cover: the layout step refuses the file with its reason
        return Cover(None, None), None
    cover = cover_of(title, lines)
    try:
        return cover, _from_pages(path, info, raw, None, None)
    except Exception:  # no text layer, or anything else: the layout step reads it again, within its limits
        return cover, None


def keep_layout(path: Path, char_source: str, doc: ParsedDocument) -> None:
    """Hold a layout read ahead (``cover_and_layout``) for ``parse`` of this unchanged file (here, or in
    a process forked from here)."""
    _PREFETCHED[(*file_key(path), char_source)] = (None, doc)


# Layouts read with the covers wait in memory for their documents' runs: at most this many documents'.
LAYOUTS_AHEAD = 64


@dataclass
class CoverReads:
    """The covers of a collection's PDFs being read in the readers (``start_cover_reads``), the layouts of
    the first short ones from the same parse (``cover_and_layout``)."""

    paths: list[Path]
    char_source: str
    with_layouts: list[AsyncResult]
    covers_only: list[AsyncResult]

    def covers(self) -> list[Cover]:
        """Every cover, in the order of ``paths``, once read; the layouts read with them are kept for the
        documents' runs (``keep_layout``: in this process, or one forked from it)."""
        ahead = [job.get() for job in self.with_layouts]
        for path, (_, doc) in zip(self.paths, ahead, strict=False):
            if doc is not None:
                keep_layout(path, self.char_source, doc)
        return [cover for cover, _ in ahead] + [job.get() for job in self.covers_only]


def start_cover_reads(paths: list[Path], readers: int, char_source: str = "pdfplumber") -> CoverReads:
    """Start reading the covers of ``paths`` in ``readers`` reader processes and return at once.

    The covers give the documents' ids, which the runs need first; a collection of short documents is
    mostly covers, so the readers read the first ``LAYOUTS_AHEAD`` documents' layouts from the same parse.
    """
    read = partial(cover_and_layout, char_source=char_source)
    ahead = start_in_readers(read, paths[:LAYOUTS_AHEAD], workers=readers)
    rest = start_in_readers(read_cover, paths[LAYOUTS_AHEAD:], workers=readers)
    return CoverReads(list(paths), char_source, ahead, rest)


def structure_tables(doc: ParsedDocument) -> dict[str, pa.Table]:
    """The structure tables of the contract for one parsed document."""
    s = doc.structure
    table_list, cell_list = rows.table_rows(s)
    return {
        "documents": to_arrow(
            "documents",
            [
                {
                    "file_name": doc.path.name,
                    "sha256": doc.sha256,
                    "title": doc.title,
                    "page_count": len(s.pages),
                    "edition": doc.edition,
                    "series_id": series_key(doc.title, [x.title for x in s.sections if x.level == 1]),
                    "pipeline_version": PIPELINE_VERSION,
                    "source_path": doc.source_path,
                }
            ],
        ),
        "pages": to_arrow("pages", rows.page_rows(s)),
        "blocks": to_arrow("blocks", rows.block_rows(s)),
        "sections": to_arrow("sections", rows.section_rows(s)),
        "footnotes": to_arrow("footnotes", rows.footnote_rows(s)),
        "tables": to_arrow("tables", table_list),
        "table_cells": to_arrow("table_cells", cell_list),
    }


def all_tables(partial: dict[str, pa.Table]) -> dict[str, pa.Table]:
    """Every contract table, empty where a stage produced nothing, in contract order."""
    side_tables = ("ingest_errors", "edition_changes")
    return {name: partial.get(name, empty_table(name)) for name in TABLES if name not in side_tables}
