"""Where the output lives, behind the few operations the commit protocol needs.

The protocol (``pipeline.commit``) never renames: it writes whole objects under new
names, replaces one fixed-name object (``documents``' file, the switch), lists and
deletes. A local folder and an object store (S3 and the like, where a PUT replaces an
object atomically and there is no rename) both give exactly that, so moving the output
to object storage is one more class here, not a change to the protocol.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
import uuid
from pathlib import Path
from typing import Protocol

STAGING = ".staging"

# An output (or raw) location: a local folder, or a URL ("s3://bucket/prefix", any fsspec protocol).
Location = Path | str


def is_url(location: Location) -> bool:
    """A URL names an object store; kept as a string (``Path("s3://b/x")`` would collapse it to "s3:/b/x")."""
    return isinstance(location, str) and "://" in location and not location.startswith("file://")


def as_location(value: Location) -> Location:
    """A URL stays a string, anything else becomes a local path."""
    if isinstance(value, str) and value.startswith("file://"):
        return Path(value.removeprefix("file://"))
    return value if is_url(value) else Path(value)


def output_location(value: str) -> Location:
    """A location given on the command line or in config: a URL as is, a folder made absolute."""
    location = as_location(value)
    return location if is_url(location) else Path(location).resolve()


def join(location: Location, *parts: str) -> Location:
    """``location / parts`` for a folder or a URL."""
    if is_url(location):
        return "/".join([str(location).rstrip("/"), *parts])
    return Path(location).joinpath(*parts)


def lock_root(location: Location) -> Path:
    """Where the per-document lock files of a location live.

    A local output keeps them in ``.locks/`` beside the tables. An object store has no locks:
    its files lock the writers of this machine only (a per-location folder under the temp
    folder); across machines, one run per document at a time is the run queue's tag limit
    (deploy/dagster.yaml), which is the assumption a shared object-store output rests on.
    """
    if is_url(location):
        digest = hashlib.sha256(str(location).rstrip("/").encode()).hexdigest()[:16]
        return Path(tempfile.gettempdir()) / "report-facts-locks" / digest
    return Path(location) / ".locks"


class Store(Protocol):
    """Keys are relative POSIX paths ("blocks/document_id=x/part-v.parquet")."""

    def put(self, key: str, data: bytes) -> None:
        """Create or replace ``key``; readers see the old object or the new one, never a part of it."""

    def get(self, key: str) -> bytes | None:
        """The object's bytes, None when it does not exist."""

    def list(self, prefix: str) -> list[str]:
        """Keys under the folder ``prefix``, sorted."""

    def delete(self, key: str) -> None:
        """Remove ``key``; removing a missing key is not an error."""


class LocalStore:
    """A folder; ``put`` writes aside (in ``.staging/``, outside every table folder) and renames into place."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        path = (self.root / key).resolve()
        if self.root.resolve() not in path.parents:
            raise ValueError(f"key {key!r} escapes {self.root}")
        return path

    def put(self, key: str, data: bytes) -> None:
        target = self._path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp_dir = self.root / STAGING / "put"
        tmp_dir.mkdir(parents=True, exist_ok=True)
        tmp = tmp_dir / f"{uuid.uuid4().hex}.tmp"
        try:
            with open(tmp, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, target)
        finally:
            tmp.unlink(missing_ok=True)

    def get(self, key: str) -> bytes | None:
        path = self._path(key)
        return path.read_bytes() if path.is_file() else None

    def list(self, prefix: str) -> list[str]:
        folder = self._path(prefix)
        if not folder.is_dir():
            return []
        return sorted(p.relative_to(self.root.resolve()).as_posix() for p in folder.rglob("*") if p.is_file())

    def delete(self, key: str) -> None:
        path = self._path(key)
        path.unlink(missing_ok=True)
        with contextlib.suppress(OSError):  # not empty, or gone: fine either way
            path.parent.rmdir()  # an empty partition folder would read as a document without rows


class FsspecStore:
    """An object store (S3 and the like) through fsspec: a put is one whole-object PUT, there is no rename.

    Listings are never cached: another machine's writer may have changed the prefix since.
    ``AWS_ENDPOINT_URL`` (and the usual AWS variables) point s3fs at an S3-compatible server.
    """

    def __init__(self, url: str) -> None:
        import fsspec

        self.url = url.rstrip("/")
        self.fs, self.root = fsspec.core.url_to_fs(self.url)
        self.root = self.root.rstrip("/")

    def _path(self, key: str) -> str:
        parts = key.split("/")
        if not key or key.startswith("/") or any(p in ("", ".", "..") for p in parts):
            raise ValueError(f"key {key!r} escapes {self.url}")
        return f"{self.root}/{key}"

    def put(self, key: str, data: bytes) -> None:
        self.fs.pipe_file(self._path(key), data)

    def get(self, key: str) -> bytes | None:
        try:
            return self.fs.cat_file(self._path(key))
        except FileNotFoundError:
            return None

    def list(self, prefix: str) -> list[str]:
        folder = self._path(prefix.rstrip("/"))
        self.fs.invalidate_cache(folder)
        try:
            found = self.fs.find(folder)
        except FileNotFoundError:
            return []
        start = len(self.root) + 1
        return sorted(p[start:] for p in found if p.startswith(folder + "/") and not p.endswith("/"))

    def delete(self, key: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.fs.rm_file(self._path(key))


def open_store(location: Location) -> Store:
    """The store of an output location: a URL's object store, else a local folder."""
    location = as_location(location)
    if is_url(location):
        return FsspecStore(str(location))
    return LocalStore(Path(location))
