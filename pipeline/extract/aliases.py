"""Further mentions of names the document already established.

The model misses some occurrences of a name it found elsewhere (in headings,
footnotes, tables, unusual contexts). Once a form is known as a name in this
document, every other exact, whole-word occurrence of it is a mention too.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence

from pipeline.extract.mentions import Mention, overlaps
from pipeline.extract.segments import Segment

__all__ = ["find_aliases"]


def find_aliases(
    segs: Sequence[Segment], forms: Iterable[str], label: str, taken: Sequence[Mention], source: str = "alias"
) -> list[Mention]:
    """Whole-word occurrences of ``forms`` not overlapping any mention in ``taken``."""
    ordered = sorted(set(forms), key=lambda f: (-len(f), f))
    if not ordered:
        return []
    pattern = re.compile(r"(?<![\w-])(?:{})(?![\w-])".format("|".join(re.escape(f) for f in ordered)))
    by_segment: dict[int, list[Mention]] = defaultdict(list)
    for m in taken:
        by_segment[m.segment.index].append(m)
    found = []
    for seg in segs:
        for hit in pattern.finditer(seg.text):
            m = Mention(seg, seg.start + hit.start(), seg.start + hit.end(), label, source)
            if not any(overlaps(m, t) for t in by_segment[seg.index]):
                found.append(m)
    return found
