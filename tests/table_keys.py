"""Checks of parsed tables against the generator's key, shared by the tests that draw tables in different styles."""

from pipeline.structure import Structure
from samplegen import GeneratedReport


def assert_tables_match_key(s: Structure, report: GeneratedReport) -> None:
    """Caption, pages and shape of every table, and no other tables."""
    got = [(t.caption, t.page, t.page_end, t.n_rows, t.n_cols) for t in s.tables]
    assert got == [(t["caption"], t["page"], t["page_end"], t["n_rows"], t["n_cols"]) for t in report.tables]


def assert_cells_match_key(s: Structure, report: GeneratedReport) -> None:
    """Every non-empty cell of the key at its place."""
    for table, key in zip(s.tables, report.tables, strict=True):
        cells = {(c.row, c.col): c.text for c in table.cells}
        for r, row in enumerate(key["cells"]):
            for c, text in enumerate(row):
                if text:
                    assert cells.get((r, c)) == text, (key["caption"], r, c)


def assert_header_rows_match_key(s: Structure, report: GeneratedReport) -> None:
    """The header rows of every table are the key's first ``header_rows`` rows."""
    for table, key in zip(s.tables, report.tables, strict=True):
        assert {c.row for c in table.cells if c.is_header} == set(range(key["header_rows"]))
