"""Paragraph alignment of two editions: the same pairs as comparing every pair, with bounded work."""

import difflib
import random

import pytest

from pipeline import editions
from pipeline.editions import Edition, diff


def _words(rng: random.Random, n: int) -> list[str]:
    letters = "abcdefghijklmnopqrstuvwxyz"
    return ["".join(rng.choice(letters) for _ in range(rng.randint(3, 9))) for _ in range(n)]


def _edition(name: str, texts: list[str]) -> Edition:
    blocks = [
        {"block_id": f"{name}-{i}", "kind": "paragraph", "section_id": "s", "text": t, "page": 1 + i // 5, "seq": i}
        for i, t in enumerate(texts)
    ]
    return Edition(name, [], blocks, [], [], [], [], [], [])


def _reworded(rng: random.Random, text: str) -> str:
    words = text.split()
    for _ in range(max(1, len(words) // 12)):
        words[rng.randrange(len(words))] = rng.choice(["new", "revised", "further", "additional"])
    return " ".join(words)


def _all_pairs(olds: list[str], news: list[str]) -> set[tuple]:
    """The reference: every new paragraph against every free old one (what the diff did before)."""
    free = list(olds)
    out = set()
    for b in news:
        best = max(free, key=lambda o: difflib.SequenceMatcher(None, o, b).ratio(), default=None)
        if best is not None and difflib.SequenceMatcher(None, best, b).ratio() >= 0.75:
            free.remove(best)
            out.add(("changed", best, b))
        else:
            out.add(("added", None, b))
    return out | {("removed", o, None) for o in free}


@pytest.fixture
def counted(monkeypatch) -> list[int]:
    calls = [0]
    real = editions.similarity

    def counting(a: str, b: str) -> float:
        calls[0] += 1
        return real(a, b)

    monkeypatch.setattr(editions, "similarity", counting)
    return calls


def test_alignment_finds_the_same_pairs_as_comparing_all(counted) -> None:
    rng = random.Random(7)
    vocab = _words(rng, 400)
    olds = [" ".join(rng.choice(vocab) for _ in range(rng.randint(20, 60))) for _ in range(120)]
    news = []
    for i, t in enumerate(olds):
        if i % 3 == 0:
            news.append(_reworded(rng, t))  # reworded
        elif i % 3 == 1:
            news.append(" ".join(rng.choice(vocab) for _ in range(40)))  # replaced by new text
        else:
            news.append(t)  # unchanged
    got = {(c.kind, c.old, c.new) for c in diff(_edition("old", olds), _edition("new", news))}
    changed = [o for o, n in zip(olds, news, strict=True) if o != n]
    assert got == _all_pairs(changed, [n for o, n in zip(olds, news, strict=True) if o != n])
    assert sum(1 for k, _, _ in got if k == "changed") >= 12


def test_editions_that_differ_throughout_cost_bounded_comparisons(counted) -> None:
    rng = random.Random(11)
    vocab = _words(rng, 3000)
    n = 1000
    olds = [" ".join(rng.choice(vocab) for _ in range(50)) for _ in range(n)]
    news = [" ".join(rng.choice(vocab) for _ in range(50)) for _ in range(n)]
    changes = diff(_edition("old", olds), _edition("new", news))
    assert sorted(c.kind for c in changes) == ["added"] * n + ["removed"] * n
    assert counted[0] <= editions._CANDIDATES * n  # all pairs would be n * n = 1,000,000
