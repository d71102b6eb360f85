"""The note area at the foot of a page, told from small text that belongs to a figure."""

from __future__ import annotations

from pipeline import footnotes as fn
from pipeline.lines import make_line
from pipeline.model import Line, Word

HEIGHT, BODY, NOTE = 842.0, 10.0, 7.5


def _line(page: int, text: str, top: float, size: float, column: int = 0, x: float = 72.0) -> Line:
    words = []
    for t in text.split():
        w = 0.5 * size * len(t)
        words.append(Word(t, x, x + w, top, top + size, size, "Helvetica", n_chars=len(t)))
        x += w + 0.3 * size
    return make_line(page, words, column=column)


def _body(page: int, first: float, n: int, column: int = 0, x: float = 72.0) -> list[Line]:
    return [_line(page, f"Running prose line {i} of the page.", first + 14 * i, BODY, column, x) for i in range(n)]


def _notes(pages: list[list[Line]]) -> list[fn.Footnote]:
    fn.mark_zones(pages, [HEIGHT] * len(pages), NOTE, BODY)
    return fn.assemble(pages, lambda a, b: f"{a} {b}")


def test_source_line_at_the_foot_of_the_next_page_is_not_a_note_continuation() -> None:
    page1 = [*_body(1, 80, 40), _line(1, "1 Annual report of the council.", 760, NOTE)]
    page2 = [
        *_body(2, 80, 30),
        _line(2, "Figure 1: Grants by province", 740, 8.5),
        _line(2, "Source: Council statistics office", 760, NOTE),
    ]
    notes = _notes([page1, page2])
    assert [(n.number, n.text) for n in notes] == [(1, "Annual report of the council.")]
    assert page2[-1].role == "body"


def test_small_text_ending_high_in_one_column_does_not_continue_a_note() -> None:
    """A figure's title and note in the right column end well above the page's notes."""
    page1 = [*_body(1, 80, 40), _line(1, "1 Annual report of the council.", 760, NOTE)]
    page2 = [
        *_body(2, 80, 45, column=0),
        *_body(2, 80, 30, column=1, x=320),
        _line(2, "MEMBERSHIP OF THE COUNCILS", 500, NOTE, column=1, x=320),
        _line(2, "Membership grew every year.", 510, NOTE, column=1, x=320),
        _line(2, "2 Register of installations.", 760, NOTE),
    ]
    notes = _notes([page1, page2])
    assert [(n.number, n.text) for n in notes] == [
        (1, "Annual report of the council."),
        (2, "Register of installations."),
    ]


def test_note_continued_at_the_foot_of_the_next_page_is_joined() -> None:
    page1 = [*_body(1, 80, 40), _line(1, "1 Annual report of the council,", 760, NOTE)]
    page2 = [*_body(2, 80, 40), _line(2, "volume three.", 760, NOTE)]
    notes = _notes([page1, page2])
    assert [(n.number, n.text) for n in notes] == [(1, "Annual report of the council, volume three.")]
