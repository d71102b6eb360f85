"""Multi-column pages built here with reportlab: reading order, joins, hyphens, notes and furniture.

The pages switch from one column (title and introduction) to two or three justified,
hyphenated columns; paragraphs run on across columns and pages; notes sit full width at
the foot of the page; running headers alternate between the chapter title (odd pages)
and the report title (even pages) with the folio at the top outer corner. All text is
invented here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import LETTER
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from pipeline.chars import extract_pages
from pipeline.structure import Structure, analyse

FONT, BOLD, SIZE, LEADING = "Times-Roman", "Times-Bold", 10.0, 12.5
NOTE_SIZE, NOTE_LEADING = 8.0, 10.0
MARGIN, GUTTER = 54.0, 18.0
REPORT = "Research Landscape of Veldoria"
CHAPTERS = ("Funding Councils of Veldoria", "Regional Laboratories and Their Partners")

_SUBJECTS = (
    "The Veldorian Science Council",
    "The Northern Marine Institute",
    "A consortium of regional universities",
    "The Ministry of Coastal Affairs",
    "The Orlan Foundation",
)
_VERBS = ("supported", "financed", "reviewed", "coordinated", "expanded")
_OBJECTS = (
    "interdisciplinary oceanographic programmes across several provinces",
    "long-term monitoring of environmental infrastructure in the highlands",
    "collaborative laboratories for agricultural biotechnology",
    "state-led initiatives on renewable hydroelectric installations",
    "fellowships for international researchers and postgraduate apprenticeships",
    "a comprehensive inventory of archaeological collections",
)


def _sentence(i: int) -> str:
    year = 2011 + i % 12
    return f"{_SUBJECTS[i % 5]} {_VERBS[(i // 5) % 5]} {_OBJECTS[(i * 7) % 6]} in {year}."


# paragraphs: (text, note numbers called after the n-th word); "{frac}" is a typeset 1/4
INTRO = " ".join(_sentence(i) for i in range(3))
PARAGRAPHS = [
    " ".join(_sentence(i) for i in range(start, start + n))
    for start, n in ((3, 14), (17, 16), (33, 10), (43, 18), (61, 15), (76, 12), (88, 20), (108, 12))
]
PARAGRAPHS[1] = PARAGRAPHS[1].replace("in 2016.", "in 2016, about {frac} of the total.", 1)
NOTES = {
    1: "Annual report of the Veldorian Science Council, volume three.",
    2: "Figures compiled by the Northern Marine Institute from provincial returns.",
    3: "Orlan Foundation, statement on postgraduate apprenticeships.",
    4: "Ministry of Coastal Affairs, register of installations.",
}
CALLS = {(0, 12): 1, (2, 20): 2, (4, 9): 3, (6, 30): 4}  # (paragraph, word index) -> note number


@dataclass
class _Page:
    number: int
    chapter: int
    notes: list[int] = field(default_factory=list)


class _Writer:
    """A small layout engine: justified columns, hyphenation, notes at the foot of the page."""

    def __init__(self, path: Path, columns: int) -> None:
        self.c = Canvas(str(path), pagesize=LETTER)
        self.w, self.h = LETTER
        self.columns = columns
        self.col_w = (self.w - 2 * MARGIN - (columns - 1) * GUTTER) / columns
        self.page = _Page(1, 0)
        self.col = 0
        self.note_room = 4 * NOTE_LEADING + 8
        self.col_top = self.h - 72
        self.y = self.col_top

    # -- page furniture and notes -------------------------------------------------------------
    def finish_page(self) -> None:
        c, p = self.c, self.page
        c.setFont(FONT, 9)
        if p.number % 2:  # odd: chapter title left, folio right
            c.drawString(MARGIN, self.h - 40, CHAPTERS[p.chapter])
            c.drawRightString(self.w - MARGIN, self.h - 40, str(p.number))
        else:  # even: folio left, report title right
            c.drawString(MARGIN, self.h - 40, str(p.number))
            c.drawRightString(self.w - MARGIN, self.h - 40, REPORT)
        y = MARGIN + self.note_room - NOTE_LEADING
        for n in p.notes:
            c.setFont(FONT, NOTE_SIZE)
            c.drawString(MARGIN, y, f"{n}. {NOTES[n]}")
            y -= NOTE_LEADING
        c.showPage()

    def next_column(self) -> None:
        if self.col + 1 < self.columns:
            self.col += 1
        else:
            self.finish_page()
            self.page = _Page(self.page.number + 1, self.page.chapter)
            self.col = 0
            self.col_top = self.h - 72
        self.y = self.col_top

    # -- text -----------------------------------------------------------------------------------
    def lines(self, words: list[str], width: float) -> list[list[tuple[str, int, bool]]]:
        """Greedy breaking into (piece, word index, ends the word); long words are hyphenated,
        compounds break at their own hyphen."""
        out: list[list[tuple[str, int, bool]]] = [[]]

        def fits(piece: str) -> bool:
            return (
                stringWidth(" ".join([*(w for w, _, _ in out[-1]), piece.replace("{frac}", "1/4")]), FONT, SIZE)
                <= width
            )

        pending = [(w, i) for i, w in enumerate(words)]
        while pending:
            word, i = pending.pop(0)
            if fits(word):
                out[-1].append((word, i, True))
                continue
            cut = (
                word.index("-") + 1
                if "-" in word[1:-1]
                else (len(word) // 2 if word.isalpha() and len(word) >= 9 else 0)
            )
            head = word[:cut] if word[cut - 1 : cut] == "-" else word[:cut] + "-"
            if cut and fits(head):
                out[-1].append((head, i, False))
                pending.insert(0, (word[cut:], i))
                out.append([])
                continue
            out.append([(word, i, True)])
        return out

    def draw_line(self, x: float, pieces: list[tuple[str, int, bool]], width: float, justify: bool, p: int) -> None:
        c = self.c
        words = [w for w, _, _ in pieces]
        natural = sum(stringWidth(w.replace("{frac}", "1/4"), FONT, SIZE) for w in words)
        space = stringWidth(" ", FONT, SIZE)
        if justify and len(words) > 1:
            space = (width - natural) / (len(words) - 1)
        for word, index, whole in pieces:
            if word.startswith("{frac}"):
                for text, size, rise in (("1", 6, 3.5), ("/", SIZE, 0), ("4", 6, 0)):
                    c.setFont(FONT, size)
                    c.drawString(x, self.y + rise, text)
                    x += stringWidth(text, FONT, size)
                word = word[len("{frac}") :]
            c.setFont(FONT, SIZE)
            c.drawString(x, self.y, word)
            x += stringWidth(word, FONT, SIZE)
            number = CALLS.get((p, index)) if whole else None
            if number is not None:
                c.setFont(FONT, 6)
                c.drawString(x, self.y + 4, str(number))
                x += stringWidth(str(number), FONT, 6)
                self.page.notes.append(number)
            x += space

    def paragraph(self, p: int, text: str, full_width: bool = False) -> None:
        width = self.w - 2 * MARGIN if full_width else self.col_w
        lines = self.lines(text.split(), width)
        for k, line in enumerate(lines):
            if self.y < MARGIN + self.note_room:
                self.next_column()
            x = MARGIN if full_width else MARGIN + self.col * (self.col_w + GUTTER)
            self.draw_line(x, line, width, k < len(lines) - 1, p)
            self.y -= LEADING
        self.y -= 6

    def title(self, text: str) -> None:
        self.c.setFont(BOLD, 16)
        self.c.drawString(MARGIN, self.y, text)
        self.y -= 30

    def build(self) -> None:
        self.title(f"1 {CHAPTERS[0]}")
        self.paragraph(-1, INTRO, full_width=True)
        self.col_top = self.y
        for p, text in enumerate(PARAGRAPHS):
            if p == 4:  # chapter 2 opens on a new page with a title across the columns
                self.finish_page()
                self.page = _Page(self.page.number + 1, 1)
                self.col, self.y = 0, self.h - 72
                self.title(f"2 {CHAPTERS[1]}")
                self.col_top = self.y
            self.paragraph(p, text)
        self.finish_page()
        self.c.save()


def expected_text(text: str) -> str:
    return text.replace("{frac}", "1/4")


@pytest.fixture(scope="module", params=[2, 3])
def built(request, tmp_path_factory) -> tuple[int, Structure]:
    path = tmp_path_factory.mktemp("columns") / f"columns-{request.param}.pdf"
    _Writer(path, request.param).build()
    raw = extract_pages(path, workers=1)
    return len(raw), analyse(raw, None)


def _paragraphs(s: Structure) -> list[str]:
    return [b.text for b in s.blocks if b.kind == "paragraph"]


def test_paragraphs_read_column_by_column_and_join_over_columns_and_pages(built) -> None:
    n_pages, s = built
    assert n_pages >= 3
    texts = _paragraphs(s)
    for para in [INTRO, *PARAGRAPHS]:
        assert expected_text(para) in texts


def test_line_end_hyphens_resolved_and_compounds_kept(built) -> None:
    _, s = built
    body = " ".join(_paragraphs(s))
    assert "state-led" in body and "long-term" in body
    assert "- " not in body and "stateled" not in body


def test_notes_linked_to_their_calls(built) -> None:
    _, s = built
    assert [n.number for n in s.footnotes] == sorted(NOTES)
    by_id = {b.block_id: b for b in s.blocks}
    for note in s.footnotes:
        assert note.text == NOTES[note.number]
        assert note.call_page == note.page
        block = by_id[note.call_block_id]
        (p, index), _ = next((k, v) for k, v in CALLS.items() if v == note.number)
        word = PARAGRAPHS[p].split()[index]
        assert block.text[: note.call_char].endswith(word)


def test_fraction_numerator_stays_text(built) -> None:
    _, s = built
    block = next(b for b in s.blocks if "of the total" in b.text)
    assert "about 1/4 of the total" in block.text
    assert all(off != block.text.index("1/4") for off, _ in block.calls)


def test_alternating_running_headers_and_top_folios_are_furniture(built) -> None:
    _, s = built
    text = " ".join(b.text for b in s.blocks)
    assert REPORT not in text
    assert CHAPTERS[1] not in text.replace(f"2 {CHAPTERS[1]}", "")
    assert [x.title for x in s.sections] == list(CHAPTERS)


def test_notes_printed_over_the_columns_do_not_break_them(tmp_path: Path) -> None:
    """A full-width notes area laid over the last lines of both columns (a layout fault seen in the
    wild): the column lines beneath are still read column by column and the note lines whole."""
    path = tmp_path / "overprint.pdf"
    c = Canvas(str(path), pagesize=LETTER)
    w, h = LETTER
    col_w = (w - 2 * MARGIN - GUTTER) / 2
    for col in range(2):
        x = MARGIN + col * (col_w + GUTTER)
        for i in range(40):
            c.setFont(FONT, SIZE)
            c.drawString(x, h - 72 - i * LEADING, f"{_SENTENCE_WORDS[(i + col) % 4]} column {col + 1} line {i + 1}")
    c.setFont(FONT, NOTE_SIZE)
    for i in range(6):  # notes baseline between and over the last column lines
        c.drawString(MARGIN, h - 72 - 35 * LEADING - i * NOTE_LEADING, f"{i + 1}. " + NOTES[1 + i % 4] * 2)
    c.save()
    lines = analyse(extract_pages(path, workers=1), None).blocks
    text = " ".join(b.text for b in lines)
    for col in (1, 2):
        for i in (1, 20, 38, 40):
            assert f"column {col} line {i}" in text
    assert text.index("column 1 line 40") < text.index("column 2 line 1")
    notes = " ".join(b.text for b in lines if b.kind == "footnote")
    assert all(NOTES[1 + i % 4] * 2 in notes for i in range(6))


_SENTENCE_WORDS = (
    "Councils reviewed grants in",
    "Laboratories shared tools in",
    "Fellows visited institutes in",
    "Institutes filed returns in",
)
