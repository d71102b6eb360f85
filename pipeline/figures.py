"""Figures: text drawn inside charts and diagrams is kept out of the prose.

A figure region is a cluster of vector graphics or images that is not a table
grid and not only rules; lines inside it are figure text unless they read like
prose (full-size, wide lines). A region whose text reads like running text (a
shaded box or frame behind paragraphs) is a text panel, not a figure, and text
beside a figure (mostly outside its region) stays text. A page without graphics
has no figure.
"""

from __future__ import annotations

import re

from pipeline.model import Line

CAPTION = re.compile(
    r"^(figure|fig\.|chart|graph|diagram|map|exhibit|photo|illustration)\s*[0-9]+[a-z]?\s*[:.\-–—]?\s*", re.IGNORECASE
)
SOURCE_NOTE = re.compile(r"^(source|sources|note|notes)\s*[:：]", re.IGNORECASE)

Box = tuple[float, float, float, float]


def _near(a: Box, b: Box, gap: float) -> bool:
    return a[0] - gap <= b[2] and b[0] - gap <= a[2] and a[1] - gap <= b[3] and b[1] - gap <= a[3]


def _thin(b: Box) -> bool:
    return b[2] - b[0] < 2 or b[3] - b[1] < 2


def graphic_regions(graphics: list[Box], exclude: list[Box], width: float, height: float) -> list[Box]:
    """Merge nearby graphics into regions big enough to be a figure, ignoring tables and page-size frames.

    A region drawn only with rules (thin boxes: underlines, separators, table rules) is no figure.
    """
    boxes = [
        g
        for g in graphics
        if not any(_near(g, t, -1) for t in exclude) and not (g[2] - g[0] > 0.9 * width and g[3] - g[1] > 0.9 * height)
    ]
    solid = [b for b in boxes if not _thin(b)]
    regions: list[Box] = []
    for b in sorted(boxes, key=lambda b: (b[1], b[0])):
        for i, r in enumerate(regions):
            if _near(r, b, 6):
                regions[i] = (min(r[0], b[0]), min(r[1], b[1]), max(r[2], b[2]), max(r[3], b[3]))
                break
        else:
            regions.append(b)
    changed = True
    while changed:
        changed = False
        for i in range(len(regions)):
            for j in range(i + 1, len(regions)):
                if _near(regions[i], regions[j], 6):
                    a, b = regions[i], regions.pop(j)
                    regions[i] = (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))
                    changed = True
                    break
            if changed:
                break
    return [r for r in regions if r[2] - r[0] >= 50 and r[3] - r[1] >= 30 and any(_near(r, b, 0) for b in solid)]


def _text_panel(lines: list[Line], region: Box, body_size: float) -> bool:
    """A shaded box or frame behind running text: several prose lines inside, or text covering much of it."""
    inside = [ln for ln in lines if _within(ln, region)]
    prose = [ln for ln in inside if ln.size >= 0.93 * body_size and len(ln.text.split()) >= 6]
    area = (region[2] - region[0]) * (region[3] - region[1])
    covered = sum((ln.x1 - ln.x0) * (ln.bottom - ln.top) for ln in inside)
    return len(prose) >= 3 or covered > 0.35 * area


def _within(line: Line, r: Box) -> bool:
    """Most of the line lies inside the region: text running on beside a figure is not in it."""
    cy = (line.top + line.bottom) / 2
    overlap = min(line.x1, r[2] + 2) - max(line.x0, r[0] - 2)
    return r[1] - 2 <= cy <= r[3] + 2 and overlap >= 0.7 * (line.x1 - line.x0)


def mark_figure_text(lines: list[Line], regions: list[Box], body_size: float) -> None:
    """Set ``role = "figure"`` on lines drawn inside figure regions (in place); text panels are not figures."""
    regions = [r for r in regions if not _text_panel([ln for ln in lines if ln.role == "body"], r, body_size)]
    for line in lines:
        if line.role != "body" or CAPTION.match(line.text) or SOURCE_NOTE.match(line.text):
            continue
        for r in regions:
            if _within(line, r):
                prose = (
                    line.size >= 0.93 * body_size
                    and (line.x1 - line.x0) > 0.6 * (r[2] - r[0])
                    and len(line.text.split()) >= 6
                )
                if not prose:
                    line.role = "figure"
                break
