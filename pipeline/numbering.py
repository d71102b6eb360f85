"""Heading numbers as printed: "7", "(2)", "1.", "1.2.3", "(A)", "(a)", "IV.", "Chapter 3", "Reference 1".

One table of patterns serves heading detection, the table of contents and the
cross-edition matching, so the three always agree on what a number is.
"""

from __future__ import annotations

import re

PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (
        "keyword",
        re.compile(
            r"^((?:chapter|part|section|appendix|annex|reference|attachment)\s+[0-9A-Z]{1,3})\s*[:.–—-]?\s+",
            re.IGNORECASE,
        ),
    ),
    ("paren_digit", re.compile(r"^(\(\d{1,3}\))\s*")),
    ("paren_lower", re.compile(r"^(\([a-z]\))\s*")),
    ("paren_upper", re.compile(r"^(\([A-Z]\))\s*")),
    ("paren_roman", re.compile(r"^(\((?:[ivx]{1,5}|[IVX]{1,5})\))\s*")),
    ("compound", re.compile(r"^(\d{1,3}(?:\s?[-.]\s?\d{1,3})+\.?)\s+")),
    ("digit_dot", re.compile(r"^(\d{1,3}\.)\s+")),
    ("digit_paren", re.compile(r"^(\d{1,3}\))\s+")),
    ("upper_dot", re.compile(r"^([A-Z]\.)\s+")),
    ("roman_dot", re.compile(r"^([IVX]{1,5}\.)\s+")),
    ("digit", re.compile(r"^(\d{1,3})\s+(?=[A-Z\u3000-\u9fff\"“'‘(])")),
]


def split_number(text: str) -> tuple[str | None, str | None, str]:
    """(pattern name, printed number, title) for a heading text; (None, None, text) when unnumbered."""
    for name, pattern in PATTERNS:
        m = pattern.match(text)
        if m and m.end() < len(text):
            return name, m.group(1).strip(), text[m.end() :].strip()
    return None, None, text.strip()
