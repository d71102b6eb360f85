"""Content-derived identifiers.

Ids hash what a thing *is* (its text and its place in the section tree), not
where it happens to sit (row order, page), so an unchanged paragraph or section
keeps its id in the next edition of a report and editions can be joined on it.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter

_KEY = re.compile(r"[^0-9a-z\u3000-\u9fff]")


def content_key(text: str, limit: int = 400) -> str:
    return _KEY.sub("", text.lower())[:limit]


def stable_id(prefix: str, *parts: str) -> str:
    digest = hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]
    return f"{prefix}_{digest}"


class IdMinter:
    """Hands out stable ids, numbering repeats of the same content so ids stay unique."""

    def __init__(self) -> None:
        self._seen: Counter[str] = Counter()

    def __call__(self, prefix: str, *parts: str) -> str:
        base = stable_id(prefix, *parts)
        self._seen[base] += 1
        n = self._seen[base]
        return base if n == 1 else stable_id(prefix, *parts, str(n))


def document_key(file_name: str) -> str:
    """Filesystem- and partition-safe document id from a file name ("My Report (2024).pdf" -> "my-report-2024")."""
    stem = re.sub(r"\.pdf$", "", file_name, flags=re.IGNORECASE)
    key = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")
    return key[:120] or "document"
