"""Document structure on our own reports in two clearly different styles, against the generator's key.

Style A: A4, Times, superscript footnote calls, /PageLabels. Style B: US Letter, Helvetica,
"[n]" calls, printed folios only, different heading numbering and typography. Style E: style A
set in two justified, hyphenated columns, chapter titles and shaded-row tables spanning them,
notes full width at the foot of the page.
"""

import pytest

from tests.table_keys import assert_cells_match_key, assert_header_rows_match_key, assert_tables_match_key

STYLES = ["a1", "b1", "e1"]


@pytest.fixture(params=STYLES)
def case(request, reports, parsed):
    return reports[request.param], parsed[request.param].structure


def test_page_labels(case) -> None:
    report, s = case
    assert [p.label for p in s.pages] == report.page_labels


def test_sections_number_title_level_page(case) -> None:
    report, s = case
    expected = [(x["level"], x["page"], x["number"], x["title"]) for x in report.sections]
    assert [(x.level, x.page, x.number, x.title) for x in s.sections] == expected


def test_section_tree_parents(case) -> None:
    _, s = case
    for x in s.sections:
        if x.parent is None:
            assert x.level == 1
        else:
            assert x.parent.level < x.level


def test_toc_is_recognised_and_agrees_with_headings(case) -> None:
    report, s = case
    assert not any(x.title.lower().endswith("contents") for x in s.sections)
    in_toc = [x for x in report.sections if x["in_toc"]]
    assert len(s.toc) == len(in_toc)
    assert all(x.in_toc for x in s.sections if x.level <= 3)
    labels = {x.page: p.label for p in s.pages for x in s.sections if x.page == p.page}
    assert all(x.toc_page_label == labels[x.page] for x in s.sections if x.in_toc)


def test_footnotes_number_text_page_and_call_page(case) -> None:
    report, s = case
    expected = [(f["number"], f["page"], f["call_page"], f["text"]) for f in report.footnotes]
    assert [(f.number, f.page, f.call_page, f.text) for f in s.footnotes] == expected


def test_footnote_calls_are_removed_from_text_but_linked(case) -> None:
    _, s = case
    by_id = {b.block_id: b for b in s.blocks}
    for note in s.footnotes:
        block = by_id[note.call_block_id]
        assert block.kind != "footnote"
        assert f"[{note.number}]" not in block.text
        assert 0 <= note.call_char <= len(block.text)


def test_tables_caption_pages_shape_and_cells(case) -> None:
    report, s = case
    assert_tables_match_key(s, report)
    assert_cells_match_key(s, report)


def test_table_header_rows_and_spans(case) -> None:
    report, s = case
    assert_header_rows_match_key(s, report)
    spanning = [c for t in s.tables for c in t.cells if c.col_span > 1 or c.row_span > 1]
    assert spanning, "the sample has a header cell spanning two columns"


def _hard_hyphens_unvouched(request: pytest.FixtureRequest) -> None:
    """Style E's narrow columns break compounds ("one-|off") whose halves the report never uses
    otherwise; without a dictionary such a hyphen reads as a soft one (see test_two_columns.py)."""
    if request.node.callspec.params["case"] == "e1":
        request.applymarker(pytest.mark.xfail(strict=True, reason="hard hyphen of an unvouched compound dropped"))


def test_paragraphs_read_as_written(case, request) -> None:
    """Hyphen wraps joined, real hyphens kept, calls removed, paragraphs joined over page breaks."""
    _hard_hyphens_unvouched(request)
    report, s = case
    texts = {b.text for b in s.blocks if b.kind in ("paragraph", "list_item")}
    missing = [p["text"] for p in report.paragraphs if p["kind"] != "reference" and p["text"] not in texts]
    assert missing == []
    over_break = [p for p in report.paragraphs if p["page_end"] > p["page"] and p["kind"] == "paragraph"]
    assert over_break, "the sample has a paragraph running over a page break"
    blocks = {b.text: b for b in s.blocks}
    for p in over_break:
        assert (blocks[p["text"]].page, blocks[p["text"]].page_end) == (p["page"], p["page_end"])


def test_reference_list_entries_are_separate_blocks(case) -> None:
    report, s = case
    texts = {b.text for b in s.blocks}
    assert all(p["text"] in texts for p in report.paragraphs if p["kind"] == "reference")


def test_line_end_hyphens(case, request) -> None:
    _hard_hyphens_unvouched(request)
    report, s = case
    text = " ".join(b.text for b in s.blocks)
    for h in report.hyphenations:
        assert h["joined"] in text, h


def test_furniture_and_figure_text_stay_out_of_prose(case) -> None:
    report, s = case
    prose = [b for b in s.blocks if b.kind in ("paragraph", "list_item", "heading")]
    header = s.pages[3]  # a body page: its running header must not be content
    assert header.role_chars["furniture"] > 0
    for figure in report.figures:
        labels = [t for t in figure["chart_text"] if not t.isdigit()]
        for b in prose:
            assert not any(b.text == t for t in labels)
        assert any(b.kind == "figure" for b in s.blocks if b.page == figure["page"])
        captions = [b.text for b in s.blocks if b.kind == "caption"]
        assert figure["caption"] in captions


def test_cjk_cell_text_preserved(case) -> None:
    _, s = case
    cells = [c.text for t in s.tables for c in t.cells]
    assert any("\u4e00" <= ch <= "\u9fff" for text in cells for ch in text)


def test_every_page_character_is_accounted_for(case) -> None:
    _, s = case
    for p in s.pages:
        assert sum(p.role_chars.values()) >= 0.98 * p.char_count
