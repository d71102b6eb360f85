"""Characters to words to lines: baselines, superscripts and column gutters.

Superscript digits are taken out of the line text and kept as *calls* with their
offset, so footnote marks never glue onto words ("technology12") while the link to
the footnote survives. Column gutters are found per page from where words never
fall, so three-column notices are cut into column lines before reading order.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Sequence

from pipeline.model import Char, Line, RawPage, Word, is_bold, is_italic
from pipeline.normalise import normalise
from pipeline.text import clean
from pipeline.typography import small_caps_line, small_caps_word

_SUPERSCRIPT_SIZE_RATIO = 0.86
_WORD_GAP_EM = 0.17
_CALL_CHARS = set("0123456789*†‡§,")


def _cluster_by_baseline(chars: list[Char]) -> list[list[Char]]:
    """Group characters whose vertical centres agree within a fraction of the larger size."""
    clusters: list[list[Char]] = []
    current: list[Char] = []
    ref_mid = ref_size = 0.0
    for c in sorted(chars, key=lambda c: (c.top + c.bottom) / 2):
        mid = (c.top + c.bottom) / 2
        if current and abs(mid - ref_mid) <= 0.42 * max(c.size, ref_size):
            current.append(c)
            if c.size > ref_size:
                ref_mid, ref_size = mid, c.size
            continue
        if current:
            clusters.append(current)
        current, ref_mid, ref_size = [c], mid, c.size
    if current:
        clusters.append(current)
    return clusters


def _dominant_size(chars: Sequence[Char]) -> float:
    counts = Counter(c.size for c in chars if not c.text.isspace())
    return counts.most_common(1)[0][0] if counts else 0.0


def _word(run: list[Char], superscript: bool) -> Word:
    """A word from its characters; size and font of its middle character (runs never mix scripts)."""
    mid = run[len(run) // 2]
    caps = None if superscript else small_caps_word(run)
    return Word(
        text=normalise(caps[0] if caps else "".join(c.text for c in run)),
        x0=run[0].x0,
        x1=max(run[0].x1, run[-1].x1),
        top=min(c.top for c in run),
        bottom=max(c.bottom for c in run),
        size=caps[1] if caps else mid.size,
        font=mid.font,
        superscript=superscript,
        n_chars=len(run),
        small_caps=caps is not None,
        chars=tuple(run),
    )


def _words(chars: list[Char]) -> list[Word]:
    """Split a baseline cluster into words at spaces, gaps and superscript boundaries."""
    chars = sorted(chars, key=lambda c: c.x0)
    dom = _dominant_size(chars)
    base = statistics.median([c.bottom for c in chars if c.size == dom] or [chars[0].bottom])
    sup_size, sup_bottom = _SUPERSCRIPT_SIZE_RATIO * dom, base - 0.18 * dom
    words: list[Word] = []
    run: list[Char] = []
    run_sup = False
    for c in chars:
        if not c.text or c.text.isspace():
            if run:
                words.append(_word(run, run_sup))
                run = []
            continue
        sup = c.size <= sup_size and c.bottom < sup_bottom
        if run:
            last = run[-1]
            if sup != run_sup or c.x0 - last.x1 > _WORD_GAP_EM * (c.size if c.size > last.size else last.size):
                words.append(_word(run, run_sup))
                run = []
        if not run:
            run_sup = sup
        run.append(c)
    if run:
        words.append(_word(run, run_sup))
    return words


def find_gutters(clusters: list[list[Word]], width: float) -> list[float]:
    """X positions of vertical white strips that separate text on many lines (column gutters)."""
    rows = [ws for ws in clusters if ws]
    if len(rows) < 8:
        return []
    n = int(width) + 1
    cover = [0] * n
    left_of = [0] * n
    right_of = [0] * n
    for ws in rows:
        lo, hi = n, 0
        for w in ws:
            a, b = max(int(w.x0), 0), min(int(w.x1) + 1, n)
            for x in range(a, b):
                cover[x] += 1
            lo, hi = min(lo, a), max(hi, b)
        for x in range(lo, hi):
            left_of[x] += 1
            right_of[x] += 1
    total = len(rows)
    candidates = [
        x
        for x in range(int(width * 0.15), int(width * 0.85))
        if cover[x] <= max(2, total * 0.04) and left_of[x] >= 0.3 * total
    ]
    gutters: list[float] = []
    start = prev = None
    for x in [*candidates, None]:
        if x is not None and prev is not None and x == prev + 1:
            prev = x
            continue
        if start is not None and prev is not None and prev - start >= 4:
            gutters.append((start + prev) / 2)
        start = prev = x
    return gutters


def _split_at_gutters(words: list[Word], gutters: list[float]) -> list[list[Word]]:
    """Cut a baseline cluster where it crosses a gutter with a real gap (a header running across stays whole)."""
    parts: list[list[Word]] = [[]]
    gi = 0
    for w in words:
        crossed = False
        while gi < len(gutters) and w.x0 > gutters[gi]:
            gi += 1
            crossed = True
        if crossed and parts[-1] and w.x0 - parts[-1][-1].x1 >= max(3.0, 0.5 * w.size):
            parts.append([])
        parts[-1].append(w)
    return [p for p in parts if p]


def _is_call(word: Word) -> bool:
    return all(ch in _CALL_CHARS for ch in word.text) and any(ch.isdigit() or ch in "*†‡§" for ch in word.text)


def make_line(page: int, words: list[Word], gutters: Sequence[float] = ()) -> Line:
    """Assemble a line: text without superscript calls, calls with their offsets, typography."""
    normal = [w for w in words if not w.superscript] or words
    small_caps = small_caps_line(words)
    fonts = Counter()
    for w in normal:
        fonts[w.font] += w.n_chars
    font = fonts.most_common(1)[0][0]
    n_normal = sum(w.n_chars for w in normal) or 1
    size: Counter[float] = Counter()
    for w in normal:
        size[w.size] += w.n_chars
    parts: list[str] = []
    calls: list[tuple[int, str]] = []
    lead: str | None = None
    length = 0
    for w in words:
        text = clean(w.text)
        if w.superscript and _is_call(w):
            if length == 0 and lead is None and w is words[0]:
                lead = text.strip(",")
            else:
                for num in text.replace(",", " ").split():
                    calls.append((length, num))
            continue
        if w.superscript and parts:  # "1st", "m2": keep attached to the previous word
            parts[-1] += text
            length += len(text)
            continue
        if parts:
            length += 1
        parts.append(text)
        length += len(text)
    x0 = min(w.x0 for w in words)
    column = sum(1 for g in gutters if x0 > g)
    return Line(
        page=page,
        words=words,
        x0=x0,
        x1=max(w.x1 for w in words),
        top=min(w.top for w in normal),
        bottom=max(w.bottom for w in normal),
        size=size.most_common(1)[0][0],
        font=font,
        bold=sum(w.n_chars for w in normal if is_bold(w.font)) >= 0.7 * n_normal,
        italic=sum(w.n_chars for w in normal if is_italic(w.font)) >= 0.7 * n_normal,
        text=" ".join(parts),
        calls=calls,
        lead_marker=lead,
        column=column,
        n_chars=sum(w.n_chars for w in words),
        small_caps=small_caps,
    )


def _rotated_lines(page: int, chars: list[Char]) -> list[Line]:
    """Vertical text (margin codes, axis titles) as one line per x position, marked for later roles."""
    groups: dict[int, list[Char]] = {}
    for c in chars:
        groups.setdefault(round(c.x0 / 3), []).append(c)
    lines = []
    for cs in groups.values():
        cs.sort(key=lambda c: c.top)
        word = Word(
            text="".join(c.text for c in cs),
            x0=min(c.x0 for c in cs),
            x1=max(c.x1 for c in cs),
            top=cs[0].top,
            bottom=cs[-1].bottom,
            size=_dominant_size(cs),
            font=cs[0].font,
            n_chars=len(cs),
            chars=tuple(cs),
        )
        line = make_line(page, [word])
        line.role = "rotated"
        lines.append(line)
    return lines


def page_lines(raw: RawPage) -> tuple[list[Line], list[float]]:
    """All lines of a page, top to bottom, and the column gutters found on it."""
    upright = [c for c in raw.chars if c.upright]
    rotated = [c for c in raw.chars if not c.upright and not c.text.isspace()]
    clusters = [_words(cs) for cs in _cluster_by_baseline(upright)]
    clusters = [ws for ws in clusters if ws]
    gutters = find_gutters(clusters, raw.width)
    lines: list[Line] = []
    for ws in clusters:
        for part in _split_at_gutters(ws, gutters):
            lines.append(make_line(raw.page, part, gutters))
    lines.sort(key=lambda ln: (ln.top, ln.x0))
    return lines + _rotated_lines(raw.page, rotated), gutters
