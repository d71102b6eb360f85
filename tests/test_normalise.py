"""PDF text quirks are undone once, where words are made from characters (our own strings)."""

from __future__ import annotations

import pytest

from pipeline.lines import document_lines
from pipeline.model import Char, RawPage
from pipeline.normalise import normalise


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Age\u02c6ncia Nacional de Aviac\u00b8a\u02dco", "Agência Nacional de Aviação"),  # accent after its letter
        ("\u00b4ecole", "école"),  # accent before its letter when none precedes it
        ("Mu\u00a8ller", "Müller"),
        ("don\u00b4t", "don\u00b4t"),  # an acute standing in for a quote stays off consonants
        ("\ufb01nance o\ufb03ce", "finance office"),
        ("\uff36\uff45\uff4c\uff54\uff52\uff41 \uff12\uff10\uff12\uff14", "Veltra 2024"),
        ("\u6d77\u6d0b\uff08\u7814\u7a76\uff09", "\u6d77\u6d0b\uff08\u7814\u7a76\uff09"),  # CJK punctuation kept
        ("co\u00adoperation", "cooperation"),
        ("Organi\u00ad", "Organi-"),  # at a word's end the line-end rules decide
        ("e\u0301te\u0301", "été"),  # combining marks end up precomposed
    ],
)
def test_normalise(raw: str, expected: str) -> None:
    assert normalise(raw) == expected


def test_line_text_is_normalised_where_words_are_built() -> None:
    """Spacing accents drawn as glyphs of their own join their letter in the line text."""
    text = "Age\u02c6ncia Nacional"
    chars, x = [], 72.0
    for ch in text:
        width = 0.0 if ch == "\u02c6" else 5.0
        chars.append(Char(ch, x, x + width, 100.0, 110.0, 10.0, "Times-Roman"))
        x += width
    [lines] = document_lines([RawPage(1, 595.0, 842.0, chars)])
    assert [ln.text for ln in lines] == ["Agência Nacional"]
    assert lines[0].n_chars == len(text.replace(" ", ""))  # every glyph is still accounted for
