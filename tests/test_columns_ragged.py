"""Three ragged-right columns whose baselines do not line up, built here with reportlab.

Notices set in narrow ragged columns often run the third column on a leading of its own,
so many rows of the page hold only that column's line. The gutters must still be found
and each column read on its own. All text is invented here.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.lib.pagesizes import LETTER
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from pipeline.chars import extract_pages
from pipeline.columns import ColumnRun, choose_runs
from pipeline.model import Word
from pipeline.structure import Structure, analyse

FONT, SIZE = "Times-Roman", 9.0
MARGIN, GUTTER = 45.0, 15.0
LEADING = 11.0
OFFSETS = (0.0, 0.0, LEADING / 2)  # the third column has baselines of its own, between the others'

_PROSE = (
    "the harbour board of Quenlow reviewed its tidal survey and asked the county engineers to "
    "report on dredging the outer channel before the winter storms closed the northern moorings "
    "while the ferry operators kept a reduced timetable and posted notices at every landing stage"
)
_WORDS = _PROSE.split(" ")


def _column_text(k: int) -> str:
    """About twenty lines of invented prose, a different rotation of the words per column."""
    words = _WORDS[k * 7 :] + _WORDS[: k * 7]
    return " ".join((words * 3)[:90]) + "."


def _ragged_lines(text: str, width: float) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        trial = f"{line} {word}".strip()
        if line and stringWidth(trial, FONT, SIZE) > width:
            lines.append(line)
            line = word
        else:
            line = trial
    return [*lines, line]


def _build(path: Path) -> list[str]:
    c = Canvas(str(path), pagesize=LETTER)
    w, h = LETTER
    width = (w - 2 * MARGIN - 2 * GUTTER) / 3
    texts = [_column_text(k) for k in range(3)]
    c.setFont(FONT, SIZE)
    for k, text in enumerate(texts):
        x, y = MARGIN + k * (width + GUTTER), h - 80 - OFFSETS[k]
        for i, line in enumerate(_ragged_lines(text, width - (SIZE if k == 1 else 0))):
            c.drawString(x + (SIZE if k == 1 and i == 0 else 0), y, line)  # an indented first line
            y -= LEADING
    c.showPage()
    c.save()
    return texts


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[list[str], Structure]:
    path = tmp_path_factory.mktemp("ragged") / "ragged.pdf"
    texts = _build(path)
    return texts, analyse(extract_pages(path, workers=1), None)


def test_each_ragged_column_reads_as_one_paragraph(built) -> None:
    texts, s = built
    paragraphs = [b.text for b in s.blocks if b.kind == "paragraph"]
    for text in texts:
        assert text in paragraphs


def _word(x0: float, x1: float, row: int) -> Word:
    return Word("text", x0, x1, 10.0 * row, 10.0 * row + 9, SIZE, FONT, n_chars=4)


def test_a_gutter_seen_past_ragged_lines_keeps_only_the_rows_beyond_the_columns() -> None:
    """A strip at a known gutter position that reaches up into the column's ragged line ends is cut
    where the column gutter ends, so the last lines of the columns stay in their column region."""
    rows = [[_word(45, 150 + 5 * (i % 3), i), _word(222, 380, i)] for i in range(10)]
    rows += [[_word(45, 180, i), _word(195, 240, i), _word(260, 380, i)] for i in range(10, 14)]
    columns = ColumnRun(217.5, 0, 9, 10)
    past = ColumnRun(191.5, 7, 13, 7, sure=False)
    assert choose_runs(rows, [columns, past], {191}) == [columns, ColumnRun(191.5, 10, 13, 4, sure=False)]
    rows[8].append(_word(195, 205, 8))  # text between the two: two gutters, both kept whole
    assert choose_runs(rows, [columns, past], {191}) == [columns, past]
