"""Admission control for input files: every refusal names the file and the reason.

The checks run before layout so a bad file fails fast and cheaply, and nothing in a
PDF is ever executed or fetched: pdfplumber/pdfminer only parse, and no action,
JavaScript or external reference is followed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFNoPageLabels, PDFPasswordIncorrect
from pdfminer.pdfparser import PDFSyntaxError
from pdfminer.psparser import PSException

_MAGIC = b"%PDF-"


class IngestError(Exception):
    """A document that cannot be processed; ``str()`` reads "file: reason"."""

    def __init__(self, path: Path, reason: str, stage: str = "ingest") -> None:
        super().__init__(f"{path.name}: {reason}")
        self.path = path
        self.reason = reason
        self.stage = stage

    def __reduce__(self):
        # raised in a reader process, it crosses back to the host whole
        return (IngestError, (self.path, self.reason, self.stage))


@dataclass(frozen=True)
class PdfInfo:
    """What the document catalog says, read in the one opening that admits the file."""

    sha256: str
    page_count: int
    page_labels: list[str | None] | None  # from the /PageLabels tree; None when the file has none
    title: str | None  # from the metadata, when it carries a usable one


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _page_labels(pdf: pdfplumber.PDF, n: int) -> list[str | None] | None:
    try:  # pdfminer's generator never ends: it keeps numbering past the last page
        labels = list(islice(pdf.doc.get_page_labels(), n))
    except (PDFNoPageLabels, KeyError, TypeError, ValueError):
        return None
    return [label or None for label in labels]


def _metadata_title(pdf: pdfplumber.PDF) -> str | None:
    title = pdf.metadata.get("Title")
    if isinstance(title, bytes):
        title = title.decode("utf-8", "replace")
    return title.strip() if isinstance(title, str) and len(title.strip()) > 3 else None


def _root_cause(exc: BaseException) -> BaseException:
    inner = exc.args[0] if exc.args and isinstance(exc.args[0], BaseException) else exc.__cause__ or exc.__context__
    return _root_cause(inner) if inner is not None and inner is not exc else exc


def _reason(exc: BaseException) -> str:
    cause = _root_cause(exc)
    if isinstance(cause, (PDFPasswordIncorrect, PDFEncryptionError)):
        return "encrypted PDF needs a password"
    if isinstance(cause, (PDFSyntaxError, PSException)):
        return f"corrupt or truncated PDF ({type(cause).__name__}: {cause})".replace(": )", ")")
    return f"unreadable PDF ({type(cause).__name__}: {cause})".replace(": )", ")")


_ADMITTED: dict[tuple, PdfInfo] = {}
_ADMITTED_KEPT = 4


def file_key(path: Path) -> tuple:
    """What changes when the file does (another file, rewritten, touched)."""
    st = path.stat()
    return (str(path.resolve()), st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def check_pdf(path: Path, max_pages: int | None = None) -> PdfInfo:
    """Open the file the way layout will, and refuse it with a clear reason if that cannot work.

    A run checks its file twice (the first step, then layout before reading pages): an unchanged
    file admitted moments ago in this process is not hashed and opened again.
    """
    key = file_key(path) if path.is_file() else None
    info = _ADMITTED.get(key) if key else None
    if info is None:
        info = _admit(path)
        if key:
            _ADMITTED[key] = info
            while len(_ADMITTED) > _ADMITTED_KEPT:
                del _ADMITTED[next(iter(_ADMITTED))]
    if max_pages is not None and info.page_count > max_pages:
        raise IngestError(path, f"{info.page_count} pages exceeds the limit of {max_pages}")
    return info


def _admit(path: Path) -> PdfInfo:
    if not path.exists():
        raise IngestError(path, "file not found")
    if not path.is_file():
        raise IngestError(path, "not a regular file")
    size = path.stat().st_size
    if size == 0:
        raise IngestError(path, "empty file (0 bytes)")
    with open(path, "rb") as fh:
        head = fh.read(1024)
    if _MAGIC not in head:
        raise IngestError(path, "not a PDF (no %PDF- header)")
    try:
        with pdfplumber.open(path) as pdf:
            n = len(pdf.pages)
            labels, title = _page_labels(pdf, n), _metadata_title(pdf)
    except Exception as exc:  # pdfplumber wraps pdfminer's many error types in PdfminerException
        raise IngestError(path, _reason(exc)) from exc
    if n == 0:
        raise IngestError(path, "PDF has no pages")
    return PdfInfo(sha256_of(path), n, labels, title)
