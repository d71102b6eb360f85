"""Running headers and folios told from content when their height varies a little between pages."""

from __future__ import annotations

from pipeline.furniture import mark_furniture
from pipeline.lines import make_line
from pipeline.model import Line, Word

HEIGHT, WIDTH = 842.0, 595.0


def _line(page: int, text: str, top: float, size: float) -> Line:
    words, x = [], 72.0
    for t in text.split():
        w = 0.5 * size * len(t)
        words.append(Word(t, x, x + w, top, top + size, size, "Helvetica", n_chars=len(t)))
        x += w + 0.3 * size
    return make_line(page, words)


def _pages(header_tops: list[float]) -> list[list[Line]]:
    pages = []
    for i, top in enumerate(header_tops, start=1):
        header = "Research Funding in Veldoria" if i % 2 == 0 else f"Chapter heading number {i}"
        pages.append(
            [
                _line(i, header, top, 8.0),
                _line(i, "The councils reviewed the grants of the year.", 120.0, 11.0),
                _line(i, str(i), 800.0, 10.0),
            ]
        )
    return pages


def test_header_set_a_little_higher_on_one_page_is_still_furniture() -> None:
    """The same header rounds into the neighbouring height step on one page (39.7 and 35.7 points)."""
    pages = _pages([39.7, 39.7, 39.7, 39.7, 39.7, 35.7, 39.7, 39.7])
    mark_furniture(pages, [HEIGHT] * len(pages), [WIDTH] * len(pages))
    assert all(p[0].role == "furniture" for p in pages)
    assert all(p[1].role == "body" for p in pages)
    assert all(p[2].role == "furniture" for p in pages)


def test_headers_split_over_two_height_steps_still_repeat() -> None:
    """Half the even pages' headers round one way, half the other: together they repeat."""
    pages = _pages([35.7, 35.7, 39.7, 35.7, 35.7, 39.7, 35.7, 39.7])
    mark_furniture(pages, [HEIGHT] * len(pages), [WIDTH] * len(pages))
    assert all(p[0].role == "furniture" for p in pages)


def test_bracketed_year_under_a_header_that_prints_the_folio_is_content() -> None:
    """The header already carries the page's folio, so a lone "[2019]" heading a list below it is text."""
    pages = [
        [
            _line(i, f"Research Funding in Veldoria {i}", 30.0, 8.0),
            _line(i, "[2019]" if i == 4 else f"The councils reviewed {'many ' * i}grants of the year.", 62.0, 11.0),
            _line(i, f"Later the councils reviewed {'more ' * i}grants.", 120.0, 11.0),
        ]
        for i in range(1, 8)
    ]
    mark_furniture(pages, [HEIGHT] * len(pages), [WIDTH] * len(pages))
    assert all(p[0].role == "furniture" for p in pages)
    assert pages[3][1].role == "body"


def test_lone_folio_without_a_header_folio_is_furniture() -> None:
    pages = [
        [_line(i, "Research Funding in Veldoria", 30.0, 8.0), _line(i, "Body text of the page.", 120.0, 11.0)]
        + ([_line(i, f"[{i}]", 800.0, 10.0)] if i == 3 else [])
        for i in range(1, 8)
    ]
    mark_furniture(pages, [HEIGHT] * len(pages), [WIDTH] * len(pages))
    assert pages[2][2].role == "furniture"
