"""Tables without a full grid, on our own report drawn with other table typography.

The generator draws the same tables with horizontal rules only (three-rule / booktabs and a rule
under every row) and with shaded rows and no rules at all; each must come out with the
generator's caption, pages, shape, cells, header rows and spans, and no other tables.
"""

from dataclasses import replace

import pytest

from pipeline.document import parse
from pipeline.lines import make_line
from pipeline.model import Edge, Line, Word
from pipeline.tables_open import furniture_rules, split_at_frames, without_rules
from samplegen import STYLE_A, STYLE_B, build_report
from tests.table_keys import assert_cells_match_key, assert_header_rows_match_key, assert_tables_match_key

VARIANTS = [("a", "three_rule"), ("b", "horizontal"), ("a", "shaded")]


@pytest.fixture(scope="module", params=VARIANTS, ids=[f"{s}-{v}" for s, v in VARIANTS])
def case(request, tmp_path_factory):
    style_name, rules = request.param
    style = replace(STYLE_A if style_name == "a" else STYLE_B, table_rules=rules)
    report = build_report(tmp_path_factory.mktemp("tables") / f"veldoria-{style_name}-{rules}.pdf", style, 1)
    return report, parse(report.path, workers=1).structure


def test_tables_caption_pages_shape(case) -> None:
    report, s = case
    assert_tables_match_key(s, report)


def test_table_cells(case) -> None:
    report, s = case
    assert_cells_match_key(s, report)


def test_header_rows_and_spans(case) -> None:
    report, s = case
    assert_header_rows_match_key(s, report)
    for table, key in zip(s.tables, report.tables, strict=True):
        got = {(c.row, c.col, c.row_span, c.col_span) for c in table.cells if c.row_span > 1 or c.col_span > 1}
        want = {(sp["row"], sp["col"], sp["rowspan"], sp["colspan"]) for sp in key["spans"]}
        assert got == want, key["caption"]


def test_whitespace_table_under_a_caption(tmp_path) -> None:
    """Without rules or shading, a captioned table with short aligned cells is found; its spanning
    header lines come out as one header row and a table cut by a page break only on its first page."""
    style = replace(STYLE_B, table_rules="none")
    report = build_report(tmp_path / "veldoria-b-none.pdf", style, 1)
    s = parse(report.path, workers=1).structure
    by_caption = {t.caption: t for t in s.tables}
    simple = report.tables[1]  # one header row, on one page
    table = by_caption[simple["caption"]]
    assert (table.page, table.n_rows, table.n_cols) == (simple["page"], simple["n_rows"], simple["n_cols"])
    cells = {(c.row, c.col): c.text for c in table.cells}
    for r, row in enumerate(simple["cells"]):
        for c, text in enumerate(row):
            assert cells.get((r, c)) == text
    spanning = by_caption[report.tables[0]["caption"]]
    body = report.tables[0]["cells"][report.tables[0]["header_rows"] :]
    assert [
        [c.text for c in sorted(spanning.cells, key=lambda c: c.col) if c.row == r + 1] for r in range(len(body))
    ] == [[t for t in row if t] for row in body]
    for p in s.pages:
        assert sum(p.role_chars.values()) >= 0.98 * p.char_count, p.page


def test_table_blocks_hold_their_cells(case) -> None:
    """Each table is one block holding every cell's text, and every page character is accounted for."""
    report, s = case
    blocks = [b for b in s.blocks if b.kind == "table"]
    assert len(blocks) == len(report.tables)
    for block, key in zip(blocks, report.tables, strict=True):
        for row in key["cells"]:
            for text in row:
                assert text in block.text, (key["caption"], text)
    for p in s.pages:
        assert sum(p.role_chars.values()) >= 0.98 * p.char_count, p.page


def test_running_header_rules_are_furniture() -> None:
    """A rule in the top margin on every page frames no table; the same rule mid-page is kept."""
    header = Edge(50, 40, 550, 40, "h")
    mid = Edge(50, 400, 550, 400, "h")
    pages = [[header, mid] for _ in range(4)]
    rules = furniture_rules(pages, [10.0] * 4, [800.0] * 4)
    assert all(r == {(40, 50, 550)} for r in rules)
    assert without_rules(pages[0], rules[0]) == [mid]


def test_line_split_at_a_frame_inside_a_column_region_stays_in_its_column() -> None:
    """A chart's axis labels under its frame, in the right column of a two-column region, are cut at the
    frame's side but stay in that column and region, so they are not read after the whole region."""

    def line(texts: list[tuple[str, float]], top: float, column: int) -> Line:
        words = [Word(t, x, x + 5.0 * len(t), top, top + 9, 9.0, "Serif", n_chars=len(t)) for t, x in texts]
        return make_line(5, words, column=column, band=0)

    frame = [Edge(353, y, 560, y, "h") for y in (75.0, 183.0)]
    words = [("Running", 316), ("prose", 360), ("of", 400), ("the", 420), ("column", 450)]
    body = [line(words, 220 + 12 * i, 1) for i in range(3)]
    labels = line([("2000", 330), ("2004", 389), ("2008", 431)], 186, 1)
    out = split_at_frames(5, [*body, labels], frame)
    pieces = [ln for ln in out if ln.text.startswith("20")]
    assert len(pieces) == 2
    assert {(ln.column, ln.band) for ln in pieces} == {(1, 0)}
