"""Which document a PDF is: ids from what the file is, not only from what it is called.

A document is one edition of one report. The id starts as the slug of the file name
(readable, partition-safe), and the registry of the output (``.registry/documents.json``)
remembers, per id, the series (the cover's title without dates and edition words), the
edition (read from the cover) and every content hash seen. A new file is then:

- bytes seen before: the same document, wherever the file now lives and whatever it is called;
- same name family (the slug), same series, same edition: a new version of that document (a
  corrected re-issue replaces it);
- same name family and series, another edition: a new document beside the earlier editions,
  ``<slug>-<edition>`` ("report-march-2025");
- same name family, another series: an unrelated document whose name slugs alike, which gets
  ``<slug>-<6 hex of its series and edition>`` and a warning, never the other one's id.

The suffixes come from the content, so the same files processed in the same order give the
same ids on any machine; the first file of a name family keeps the bare slug.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pdfplumber
from pdfplumber.utils.text import chars_to_textmap

from pipeline.chars_pdfplumber import text_chars
from pipeline.ids import content_key, document_key
from pipeline.store import Location, Store

EDITION = re.compile(
    r"\b(?:(?:January|February|March|April|May|June|July|August|September|October|November|December)\s+\d{4}"
    r"|(?:\d{1,2}(?:st|nd|rd|th)?\s+edition)|(?:edition\s+\d{1,2}))\b",
    re.IGNORECASE,
)
_EDITION_WORDS = re.compile(
    r"\b(?:\d{1,4}(?:st|nd|rd|th)?|january|february|march|april|may|june|july|august|september|october|november"
    r"|december|edition|update[d]?|revised|version|draft|final)\b",
    re.IGNORECASE,
)
REGISTRY = ".registry/documents.json"
COVER_PAGES = 2
_BASIS_CHARS = 300


@dataclass(frozen=True)
class Cover:
    """What the first pages say the document is."""

    series: str | None  # None: the file could not be read (its errors are recorded under its slug)
    edition: str | None


def _series(text: str) -> str | None:
    basis = content_key(_EDITION_WORDS.sub(" ", text))
    return hashlib.sha256(basis.encode()).hexdigest()[:12] if basis else None


def read_cover(path: Path) -> Cover:
    """Title and edition from the metadata and the first pages (a cheap look, before any layout).

    The title is the metadata title, else the line set in the largest type on page 1; the
    edition is the first short line on the first pages that names a publication month or an
    edition number. Without a title, page 1's text stands in for it.
    """
    try:
        with pdfplumber.open(path) as pdf:
            title = metadata_title(pdf)
            lines = [cover_lines(text_chars(page)) for page in pdf.pages[:COVER_PAGES]]
    except Exception:  # unreadable files are refused later with their reason; here they only need an id
        return Cover(None, None)
    return cover_of(title, lines)


def metadata_title(pdf: pdfplumber.PDF) -> object:
    title = pdf.metadata.get("Title")
    return title.decode("utf-8", "replace") if isinstance(title, bytes) else title


def cover_lines(chars: list[dict]) -> list[tuple[str, float]]:
    """The text lines of a cover page (pdfplumber's ``extract_text_lines`` of its ``text_chars``) with the
    largest type size in each."""
    found = chars_to_textmap(chars).extract_text_lines(strip=True, return_chars=True) if chars else []
    return [(ln["text"], max((c["size"] for c in ln["chars"]), default=0)) for ln in found]


def cover_of(title: object, lines: list[list[tuple[str, float]]]) -> Cover:
    """The cover from the metadata title and the lines of the first ``COVER_PAGES`` pages."""
    first = lines[0] if lines else []
    if not (isinstance(title, str) and len(title.strip()) > 3) and first:
        top = max(size for _, size in first)
        title = " ".join(text for text, size in first if size >= top - 0.01)
    edition = next(
        (m.group(0) for page in lines for text, _ in page if len(text) < 120 and (m := EDITION.search(text))), None
    )
    series = _series(title or " ".join(text for text, _ in first)[:_BASIS_CHARS])
    return Cover(series, edition)


@dataclass
class Entry:
    """One document the output has given an id to."""

    document_id: str
    base: str  # the slug of the file name it first came as (its name family)
    series: str | None
    edition: str | None
    source_path: str
    sha256: list[str] = field(default_factory=list)


@dataclass
class Assignment:
    document_id: str
    kind: str  # new, same (bytes seen before), version (a re-issue of the document), edition, collision
    warning: str | None = None


def _suffix(*parts: str | None) -> str:
    return hashlib.sha256("\x1f".join(p or "" for p in parts).encode()).hexdigest()[:6]


class Registry:
    """The ids an output has handed out; load, ``assign`` each file, ``save`` (under the registry lock)."""

    def __init__(self, entries: list[Entry]) -> None:
        self.entries = entries

    @classmethod
    def load(cls, store: Store) -> Registry:
        raw = store.get(REGISTRY)
        return cls([Entry(**e) for e in json.loads(raw)] if raw else [])

    def save(self, store: Store) -> None:
        store.put(REGISTRY, json.dumps([asdict(e) for e in self.entries], indent=1, sort_keys=True).encode())

    def get(self, document_id: str) -> Entry | None:
        return next((e for e in self.entries if e.document_id == document_id), None)

    def assign(self, file_name: str, source_path: str, sha256: str, cover: Cover) -> Assignment:
        """The id of the file: an earlier document's, or a new one (recorded)."""
        for e in self.entries:
            if sha256 in e.sha256:
                e.source_path = source_path
                return Assignment(e.document_id, "same")
        base = document_key(file_name)
        family = [e for e in self.entries if e.base == base]
        for e in family:
            if e.series is None and cover.series is not None:  # first came unreadable: now we know what it is
                e.series, e.edition = cover.series, cover.edition
            if cover.series is None or (e.series == cover.series and e.edition == cover.edition):
                e.sha256.append(sha256)
                e.source_path = source_path
                return Assignment(e.document_id, "version")
        taken = {e.document_id for e in self.entries}
        warning = None
        if not family:
            kind, document_id = "new", base
        elif any(e.series == cover.series for e in family):
            label = document_key(cover.edition) if cover.edition else _suffix(cover.series, sha256)
            kind, document_id = "edition", f"{base[:100]}-{label[:19]}"
        else:
            kind, document_id = "collision", f"{base[:113]}-{_suffix(cover.series, cover.edition)}"
            warning = (
                f"{source_path}: a different document than {', '.join(e.source_path for e in family)} "
                f"whose name gives the same id {base!r}; stored as {document_id!r}"
            )
        if document_id in taken:
            document_id = f"{document_id[:113]}-{_suffix(cover.series, cover.edition, sha256)}"
        self.entries.append(Entry(document_id, base, cover.series, cover.edition, source_path, [sha256]))
        return Assignment(document_id, kind, warning)


def identify(
    output_dir: Location, files: list[tuple[Path, str, str]], readers: int = 0, covers: list[Cover] | None = None
) -> list[Assignment]:
    """Ids for (path, source path, sha256) in order, recorded in the output's registry.

    ``readers`` > 0 reads the covers in up to that many reader processes (``pipeline.chars.in_readers``),
    0 in this process (a sensor's code server does not fork): for short documents the cover is most
    of the file, and reading them one after the other was a third of a collection's fixed cost.
    Ids are still assigned in the files' order. ``covers`` are the files' covers when the caller read them.
    """
    from pipeline.chars import in_readers
    from pipeline.locks import registry_lock
    from pipeline.store import open_store

    paths = [path for path, _, _ in files]
    if covers is None:
        covers = in_readers(read_cover, paths, workers=readers) if readers > 0 else [read_cover(p) for p in paths]
    store = open_store(output_dir)
    with registry_lock(output_dir):
        registry = Registry.load(store)
        found = [
            registry.assign(path.name, source, sha, cover)
            for (path, source, sha), cover in zip(files, covers, strict=True)
        ]
        registry.save(store)
    return found
