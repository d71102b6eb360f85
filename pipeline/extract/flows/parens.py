"""Parentheses of a text: which bracket pair each character sits in, and what stands before a pair.

A parenthesis right after an amount restates or qualifies that amount ("91 million RMB (approx.
182 million JPY) (20 million RMB in 2020)"); one right after a name gives that party's share
("Italy (3.83 million USD)"). Both are read from the characters, which the parse often splits.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Parens"]


@dataclass(frozen=True)
class Parens:
    """Matched ``(`` ``)`` pairs of one text."""

    text: str
    pairs: tuple[tuple[int, int], ...]

    @classmethod
    def of(cls, text: str) -> Parens:
        stack: list[int] = []
        pairs = []
        for i, ch in enumerate(text):
            if ch == "(":
                stack.append(i)
            elif ch == ")" and stack:
                pairs.append((stack.pop(), i))
        return cls(text, tuple(sorted(pairs)))

    def inner(self, start: int, end: int) -> tuple[int, int] | None:
        """The innermost pair enclosing ``text[start:end]``, None at top level."""
        best = None
        for o, c in self.pairs:
            if o < start and end <= c and (best is None or o > best[0]):
                best = (o, c)
        return best

    def before(self, pair: tuple[int, int]) -> int:
        """Where the text before ``pair`` ends, skipping spaces and whole earlier pairs: ``x (a) (b)`` -> end of x."""
        i = pair[0]
        while True:
            while i > 0 and self.text[i - 1].isspace():
                i -= 1
            if i > 0 and self.text[i - 1] == ")":
                opening = next((o for o, c in self.pairs if c == i - 1), None)
                if opening is None:
                    return i
                i = opening
                continue
            return i

    def leads(self, pair: tuple[int, int], start: int) -> bool:
        """True when nothing but spaces stands between the pair's opening and ``start``."""
        return not self.text[pair[0] + 1 : start].strip()
