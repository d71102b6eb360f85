"""Figures: text drawn inside charts and diagrams is kept out of the prose.

A figure region is a cluster of vector graphics or images that is not a table
grid; lines inside it are figure text unless they read like prose (full-size,
wide lines), so shaded text boxes stay paragraphs.
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


def graphic_regions(graphics: list[Box], exclude: list[Box], width: float, height: float) -> list[Box]:
    """Merge nearby graphics into regions big enough to be a figure, ignoring tables and page-size frames."""
    boxes = [
        g
        for g in graphics
        if not any(_near(g, t, -1) for t in exclude) and not (g[2] - g[0] > 0.9 * width and g[3] - g[1] > 0.9 * height)
    ]
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
    return [r for r in regions if r[2] - r[0] >= 50 and r[3] - r[1] >= 30]


def mark_figure_text(lines: list[Line], regions: list[Box], body_size: float) -> None:
    """Set ``role = "figure"`` on lines drawn inside figure regions (in place)."""
    for line in lines:
        if line.role != "body" or CAPTION.match(line.text) or SOURCE_NOTE.match(line.text):
            continue
        cx, cy = (line.x0 + line.x1) / 2, (line.top + line.bottom) / 2
        for r in regions:
            if r[0] - 2 <= cx <= r[2] + 2 and r[1] - 2 <= cy <= r[3] + 2:
                prose = (
                    line.size >= 0.93 * body_size
                    and (line.x1 - line.x0) > 0.6 * (r[2] - r[0])
                    and len(line.text.split()) >= 6
                )
                if not prose:
                    line.role = "figure"
                break
