"""Stretches of text written in Title Case, where capitals say nothing about names.

Headings, quoted titles of cited works ("Deepening Research and Building a
Global Fund") and all-caps banners capitalise every content word, so the
model's ORG and PERSON guesses there are unreliable. A name found only in such
a stretch is kept when the same name also appears in ordinary text.
"""

from __future__ import annotations

import re

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Doc

__all__ = ["title_case_regions"]

_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_QUOTED = re.compile(r"“[^”]{8,}”|\"[^\"]{8,}\"|「[^」]{8,}」")
_MIN_WORDS = 3
_HEADLINE_MIN_WORDS = 4


def _is_title_case(text: str, min_words: int) -> bool:
    """Every content word capitalised, and enough of them to tell."""
    content = [w for w in _WORD.findall(text) if w.lower() not in STOP_WORDS]
    return len(content) >= min_words and all(w[0].isupper() for w in content)


def _is_headline(sentence: str) -> bool:
    """A Title Case line without closing punctuation: a title set as a paragraph (cover pages, captions)."""
    text = sentence.rstrip()
    return not text.endswith((".", "!", "?", ";", ":", ",", ")")) and _is_title_case(text, _HEADLINE_MIN_WORDS)


def title_case_regions(doc: Doc, heading: bool) -> list[tuple[int, int]]:
    """Character ranges of ``doc`` written in Title Case: a whole heading, quoted titles, unpunctuated title lines.

    A sentence that ends like one is never a title here: lists of names and roles ("Ann Lee is the
    Deputy Director General of the ABC.") capitalise every content word too.
    """
    if heading:
        return [(0, len(doc.text))]
    quotes = [m.span() for m in _QUOTED.finditer(doc.text) if _is_title_case(m.group(), _MIN_WORDS)]
    titles = [(s.start_char, s.end_char) for s in doc.sents if _is_headline(s.text)]
    return sorted(quotes + titles)
