"""Style E, our report set in two justified, hyphenated columns: what holds beyond test_structure.

Chapter titles and shaded-row tables span the columns, lower headings sit in a column, notes run
full width at the foot of the page. The whole of test_structure runs on it too.
"""

from __future__ import annotations

import re

import pytest

from samplegen import STYLE_E

_HYPHENS = re.compile(r"[-\u2010\u2011]")


@pytest.fixture
def case(reports, parsed):
    return reports["e1"], parsed["e1"].structure


def test_pages_are_read_in_two_columns(case) -> None:
    _, s = case
    columns = {b.lines[0].column for b in s.blocks if b.kind == "paragraph" and b.lines}
    assert columns == {0, 1}


def test_paragraphs_in_reading_order_apart_from_compound_hyphens(case) -> None:
    """Every paragraph, joined over columns and pages, in the order written; a hard hyphen whose
    compound the report never uses elsewhere may be read as a soft one (a known limit)."""
    report, s = case
    got = [_HYPHENS.sub("", b.text) for b in s.blocks if b.kind in ("paragraph", "list_item")]
    want = [_HYPHENS.sub("", p["text"]) for p in report.paragraphs if p["kind"] != "reference"]
    positions = [got.index(t) for t in want]
    assert positions == sorted(positions)
    over_column = [p for p in report.paragraphs if p["frames"] > 1]
    assert over_column, "some paragraph runs on into the next column"
    blocks = {_HYPHENS.sub("", b.text): b for b in s.blocks}
    for p in over_column:
        lines = blocks[_HYPHENS.sub("", p["text"])].lines
        assert len({(ln.page, ln.column) for ln in lines}) == p["frames"]


def test_soft_hyphens_resolved(case) -> None:
    report, s = case
    text = " ".join(b.text for b in s.blocks)
    soft = [h for h in report.hyphenations if h["kind"] == "soft"]
    assert len(soft) >= 10, "narrow justified columns hyphenate often"
    assert [h["joined"] for h in soft if h["joined"] not in text] == []


def test_headings_in_a_column_and_across_both(case) -> None:
    report, s = case
    assert [(x.level, x.page, x.number, x.title) for x in s.sections] == [
        (x["level"], x["page"], x["number"], x["title"]) for x in report.sections
    ]
    body = [x for x in s.sections if x.page > 2]
    left, right = STYLE_E.margins[:2]
    column = (STYLE_E.page_size[0] - left - right - STYLE_E.column_gap) / 2
    assert any(x.block.x1 - x.block.x0 > column for x in body if x.level == 1)  # a title across both
    in_column = [x for x in body if x.level > 1]
    assert all(ln.x1 - ln.x0 <= column + 1 for x in in_column for ln in x.block.lines)
    assert {x.block.lines[0].column for x in in_column} == {0, 1}
    assert any(len(x.block.lines) > 1 for x in in_column), "a sub-heading wraps in its column"


def test_shaded_tables_and_notes_whole(case) -> None:
    report, s = case
    assert [(t.caption, t.n_rows, t.n_cols) for t in s.tables] == [
        (t["caption"], t["n_rows"], t["n_cols"]) for t in report.tables
    ]
    assert [(f.number, f.text) for f in s.footnotes] == [(f["number"], f["text"]) for f in report.footnotes]
    for p in s.pages:
        assert sum(p.role_chars.values()) == p.char_count
