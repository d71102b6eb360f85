"""Raw PDFs in a folder or at a URL (``s3://bucket/raw``, any fsspec protocol), listed and named alike.

A PDF at ``s3://bucket/raw/2024/report.pdf`` gets the same path relative to its raw root
(``2024/report.pdf``), so the same source path and document id, as ``raw/2024/report.pdf``.
Each file carries a stamp that changes when its bytes do (the modification time of a local
file, the ETag of an object), so a watcher hashes only files whose stamp or size moved.

The pipeline reads a PDF as a local file (pdfplumber and pdfium open it page by page in
several processes), so a remote PDF is first copied into a local cache, one folder per
(URL, size, stamp) holding the file under its own name; the cache drops its least recently
used files beyond a budget (``REPORT_FACTS_RAW_CACHE``, ``REPORT_FACTS_RAW_CACHE_MB``).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from pipeline.store import Location, as_location, is_url

CACHE_ENV = "REPORT_FACTS_RAW_CACHE"
CACHE_MB_ENV = "REPORT_FACTS_RAW_CACHE_MB"
_STAMP_KEYS = ("ETag", "LastModified", "mtime", "created")  # the first an fsspec backend reports


@dataclass(frozen=True)
class RawFile:
    """One PDF: where it is, its path relative to the raw root, and what tells a change."""

    location: Location  # an absolute local path, or a URL
    relative: str  # POSIX path under the raw root; the file name when it lies elsewhere
    size: int
    stamp: int | str  # local: mtime in ns; object store: ETag (else its modification time)


def _fs(url: str):
    import fsspec

    return fsspec.core.url_to_fs(url)


def _stamp(info: dict) -> str:
    return next((str(info[k]) for k in _STAMP_KEYS if info.get(k) is not None), "")


def name_of(location: Location) -> str:
    """The file name of a local path or a URL."""
    return PurePosixPath(str(location)).name if is_url(location) else Path(location).name


def resolved(location: Location) -> str:
    """The form a run's config names a PDF by: an absolute local path, or the URL."""
    location = as_location(location)
    return str(location) if is_url(location) else str(Path(location).resolve())


def _is_pdf(relative: str) -> bool:
    parts = PurePosixPath(relative).parts
    return relative.lower().endswith(".pdf") and not any(part.startswith(".") for part in parts)


def list_pdfs(root: Location) -> list[RawFile]:
    """PDFs under ``root`` and its sub-folders (raw/2024/report.pdf), hidden ones skipped, by relative path."""
    root = as_location(root)
    if not is_url(root):
        folder = Path(root).resolve()
        found = []
        for path in folder.rglob("*"):
            relative = path.relative_to(folder).as_posix()
            if _is_pdf(relative) and path.is_file():
                stat = path.stat()
                found.append(RawFile(path, relative, stat.st_size, stat.st_mtime_ns))
        return sorted(found, key=lambda f: f.relative)
    fs, base = _fs(str(root))
    base = base.rstrip("/")
    fs.invalidate_cache(base)  # another machine may have added files since the last listing
    try:
        infos = fs.find(base, detail=True)
    except FileNotFoundError:
        return []
    url, found = str(root).rstrip("/"), []
    for path, info in infos.items():
        relative = path[len(base) + 1 :] if path.startswith(base + "/") else ""
        if relative and info.get("type", "file") == "file" and _is_pdf(relative):
            found.append(RawFile(f"{url}/{relative}", relative, int(info.get("size") or 0), _stamp(info)))
    return sorted(found, key=lambda f: f.relative)


def is_dir(location: Location) -> bool:
    location = as_location(location)
    if not is_url(location):
        return Path(location).is_dir()
    fs, path = _fs(str(location))
    return fs.isdir(path)


def is_file(location: Location) -> bool:
    location = as_location(location)
    if not is_url(location):
        return Path(location).is_file()
    fs, path = _fs(str(location))
    return fs.isfile(path)


def relative_to(location: Location, root: Location) -> str:
    """``location`` relative to ``root`` as a POSIX path, or its file name when it is not under ``root``."""
    location, root = as_location(location), as_location(root)
    if is_url(location) != is_url(root):
        return name_of(location)
    if is_url(location):
        base = str(root).rstrip("/") + "/"
        return str(location)[len(base) :] if str(location).startswith(base) else name_of(location)
    try:
        return Path(location).resolve().relative_to(Path(root).resolve()).as_posix()
    except ValueError:
        return name_of(location)


def cache_root() -> Path:
    return Path(os.environ.get(CACHE_ENV) or Path(tempfile.gettempdir()) / "report-facts-raw")


def local_copy(location: Location) -> Path:
    """A local file with the bytes of ``location``: the path itself, or for a URL a cached copy.

    The copy is written aside and moved into place, so processes sharing the cache never read
    half a file. Raises FileNotFoundError when there is no such file.
    """
    location = as_location(location)
    if not is_url(location):
        return Path(location)
    fs, path = _fs(str(location))
    info = fs.info(path)  # FileNotFoundError for a missing object
    if info.get("type", "file") != "file":
        raise FileNotFoundError(f"{location} is not a file")
    size = int(info.get("size") or 0)
    key = hashlib.sha256(f"{location}\0{size}\0{_stamp(info)}".encode()).hexdigest()[:20]
    target = cache_root() / key / name_of(location)
    if target.is_file() and target.stat().st_size == size:
        _touch(target.parent)
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.parent / f".{uuid.uuid4().hex}.part"
    try:
        fs.get_file(path, str(tmp))
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    _touch(target.parent)
    _prune(cache_root(), keep=target.parent)
    return target


def _touch(folder: Path) -> None:
    """Mark a cached copy as just used, to the nanosecond (the kernel's own stamps are coarser, and
    two copies used in one tick of its clock would tie)."""
    now = time.time_ns()
    os.utime(folder, ns=(now, now))


def _prune(root: Path, keep: Path) -> None:
    """Delete the least recently used cached files until the cache fits its budget."""
    budget = float(os.environ.get(CACHE_MB_ENV, "4096")) * 1024 * 1024
    entries = []
    for folder in root.iterdir():
        if folder.is_dir() and folder != keep:
            try:
                size = sum(f.stat().st_size for f in folder.iterdir() if f.is_file())
                entries.append((folder.stat().st_mtime_ns, size, folder))
            except FileNotFoundError:  # another process pruned it meanwhile
                continue
    total = sum(size for _, size, _ in entries) + sum(f.stat().st_size for f in keep.iterdir() if f.is_file())
    for _, size, folder in sorted(entries):
        if total <= budget:
            break
        shutil.rmtree(folder, ignore_errors=True)
        total -= size
