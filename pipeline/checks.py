"""Data-quality checks over the written tables of one document.

Plain functions over pyarrow tables, so the Dagster asset checks, the CLI and the tests
share one definition of "good output". Each returns a ``CheckOutcome`` whose metadata
explains a failure well enough to act on it.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field

import pyarrow as pa

ACCOUNTED_SHARE = 0.98


@dataclass
class CheckOutcome:
    passed: bool
    description: str
    metadata: dict[str, object] = field(default_factory=dict)


def characters_accounted(pages: pa.Table) -> CheckOutcome:
    """Every character of every page is body, furniture, footnote, table or figure text."""
    roles = ["body_chars", "furniture_chars", "footnote_chars", "table_chars", "figure_chars"]
    short = []
    shares = {}
    for r in pages.to_pylist():
        total = r["char_count"] or 0
        counted = sum(r[c] or 0 for c in roles)
        shares[str(r["page"])] = (
            {c.removesuffix("_chars"): round((r[c] or 0) / total, 3) for c in roles} if total else {}
        )
        if total and counted < ACCOUNTED_SHARE * total:
            short.append(r["page"])
    return CheckOutcome(
        not short,
        "all page characters are accounted for" if not short else f"pages with unaccounted characters: {short}",
        {"pages_short": short, "share_per_page": shares},
    )


def footnote_sequence(footnotes: pa.Table) -> CheckOutcome:
    """Footnote numbers run 1..n (or restart at 1) without gaps or duplicates."""
    numbers = footnotes.column("number").to_pylist()
    problems = []
    for prev, cur in itertools.pairwise(numbers):
        if cur != prev + 1 and cur != 1:
            problems.append(f"{prev}->{cur}")
    dupes = sorted({n for n in numbers if numbers.count(n) > 1}) if len(set(numbers)) != len(numbers) else []
    ok = not problems and (not dupes or numbers.count(1) > 1)
    return CheckOutcome(
        ok,
        "footnote numbers are a clean sequence" if ok else f"breaks: {problems[:10]}",
        {"count": len(numbers), "breaks": problems[:50], "duplicates": dupes[:50]},
    )


def headings_match_toc(sections: pa.Table) -> CheckOutcome:
    """Headings listed in the printed table of contents sit on the page the TOC gives."""
    rows = sections.to_pylist()
    listed = [r for r in rows if r["in_toc"]]
    wrong_page = [
        f"{r['number'] or ''} {r['title']}".strip()
        for r in listed
        if r["toc_page_label"] and r["page_label"] and r["toc_page_label"] != r["page_label"]
    ]
    return CheckOutcome(
        not wrong_page,
        f"{len(listed)} of {len(rows)} headings found in the TOC, page labels agree"
        if not wrong_page
        else f"headings on another page than the TOC says: {wrong_page[:5]}",
        {"headings": len(rows), "in_toc": len(listed), "page_disagreements": wrong_page[:50]},
    )


def offsets_round_trip(mentions: pa.Table, blocks: pa.Table) -> CheckOutcome:
    """``blocks.text[start_char:end_char] == mentions.text`` for every mention."""
    text = dict(zip(blocks.column("block_id").to_pylist(), blocks.column("text").to_pylist(), strict=True))
    bad = []
    for m in mentions.select(["mention_id", "block_id", "start_char", "end_char", "text"]).to_pylist():
        source = text.get(m["block_id"])
        if source is None or source[m["start_char"] : m["end_char"]] != m["text"]:
            bad.append(m["mention_id"])
    return CheckOutcome(
        not bad, f"{mentions.num_rows - len(bad)} of {mentions.num_rows} offsets round-trip", {"bad_mentions": bad[:50]}
    )


def amounts_valid(amounts: pa.Table) -> CheckOutcome:
    """Every amount has an ISO currency and a finite value (and a range that runs upwards)."""
    bad = []
    for r in amounts.to_pylist():
        value, high = r["value"], r["value_high"]
        if (
            not r["currency"]
            or len(r["currency"]) != 3
            or value is None
            or not math.isfinite(value)
            or (high is not None and (not math.isfinite(high) or high < value))
        ):
            bad.append(r["text"])
    return CheckOutcome(
        not bad, f"{amounts.num_rows - len(bad)} of {amounts.num_rows} amounts valid", {"invalid": bad[:50]}
    )


def dates_ordered(dates: pa.Table) -> CheckOutcome:
    """Every date has start <= end and a known precision."""
    bad = [
        r["text"]
        for r in dates.to_pylist()
        if r["start"] is None
        or r["end"] is None
        or r["start"] > r["end"]
        or r["precision"] not in ("day", "month", "year")
    ]
    return CheckOutcome(
        not bad, f"{dates.num_rows - len(bad)} of {dates.num_rows} dates ordered", {"invalid": bad[:50]}
    )


def sections_unique(sections: pa.Table) -> CheckOutcome:
    """Section ids are unique and every parent exists (the tree is well formed)."""
    ids = sections.column("section_id").to_pylist()
    parents = {p for p in sections.column("parent_id").to_pylist() if p}
    dangling = sorted(parents - set(ids))
    ok = len(ids) == len(set(ids)) and not dangling
    return CheckOutcome(
        ok,
        "section tree well formed" if ok else "duplicate ids or dangling parents",
        {"sections": len(ids), "dangling_parents": dangling[:20]},
    )
