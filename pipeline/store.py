"""Where the output lives, behind the few operations the commit protocol needs.

The protocol (``pipeline.commit``) never renames: it writes whole objects under new
names, replaces one fixed-name object (``documents``' file, the switch), lists and
deletes. A local folder and an object store (S3 and the like, where a PUT replaces an
object atomically and there is no rename) both give exactly that, so moving the output
to object storage is one more class here, not a change to the protocol.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from pathlib import Path
from typing import Protocol

STAGING = ".staging"


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


def open_store(location: Path | str) -> Store:
    """The store of an output location (a local folder today)."""
    return LocalStore(Path(location))
