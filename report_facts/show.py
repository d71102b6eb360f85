"""``report-facts show``: what the pipeline saw, drawn on the pages, and one review page per document.

Works from the Parquet output and the PDF only. Pages are rendered with pypdfium2; the
blocks are outlined by kind (headings by level), table cells inside tables, and the
mentions filled by label, all from the written tables (block boxes from their glyph runs,
so a paragraph running onto the next page is outlined on both). The review page is one
HTML file with the page images inlined: thumbnails, the section tree and the fact tables;
a click on a fact opens its page with its boxes highlighted.
"""

from __future__ import annotations

import base64
import hashlib
import io
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pypdfium2 as pdfium
from PIL import Image, ImageDraw

from pipeline.glyphs import runs_from_rows, span_boxes
from pipeline.writer import read_partition
from report_facts.review_page import render_html

Rect = tuple[float, float, float, float]

# outline colours of blocks by kind; headings get darker with their level
KIND_COLOURS = {
    "paragraph": (70, 110, 200),
    "list_item": (40, 160, 170),
    "caption": (150, 100, 30),
    "footnote": (130, 130, 130),
    "table": (200, 60, 60),
    "cell": (230, 140, 140),
    "figure": (120, 170, 60),
}
HEADING_COLOURS = [(120, 40, 160), (160, 70, 190), (190, 110, 215), (215, 150, 235)]
LABEL_COLOURS = {
    "ORG": (30, 120, 255),
    "PERSON": (0, 170, 90),
    "MONEY": (255, 140, 0),
    "DATE": (200, 0, 160),
}
OTHER_LABEL = (120, 120, 120)


@dataclass
class Review:
    """What ``show`` wrote for one document."""

    html: Path
    images: list[Path]


def heading_colour(level: int | None) -> tuple[int, int, int]:
    return HEADING_COLOURS[min(max((level or 1) - 1, 0), len(HEADING_COLOURS) - 1)]


def _table(output_dir: Path, name: str, document_id: str) -> list[dict]:
    data = read_partition(output_dir, name, document_id)
    return data.to_pylist() if isinstance(data, pa.Table) else []


def block_rects(block: dict) -> dict[int, Rect]:
    """Per page, the rectangle a block covers: from its glyph runs, else its first-page box."""
    out: dict[int, list[float]] = {}
    for run in runs_from_rows(block.get("glyphs")):
        xs = [x for x in [*run.x0, *run.x1] if x is not None]
        if not xs:
            continue
        r = out.setdefault(run.page, [min(xs), run.top, max(xs), run.bottom])
        r[0], r[1], r[2], r[3] = min(r[0], *xs), min(r[1], run.top), max(r[2], *xs), max(r[3], run.bottom)
    if not out:
        return {block["page"]: (block["x0"], block["top"], block["x1"], block["bottom"])}
    return {page: (r[0], r[1], r[2], r[3]) for page, r in out.items()}


def cell_rects(block: dict) -> list[tuple[int, Rect]]:
    """Boxes of a table block's cells: its text is rows on lines, cells between " | "."""
    runs = runs_from_rows(block.get("glyphs"))
    out = []
    offset = 0
    for row in block["text"].split("\n"):
        pos = offset
        for cell in row.split(" | "):
            boxes = span_boxes(runs, pos, pos + len(cell)) if cell.strip() else []
            for page in sorted({b[0] for b in boxes}):
                on = [b for b in boxes if b[0] == page]
                out.append(
                    (page, (min(b[1] for b in on), min(b[2] for b in on), max(b[3] for b in on), max(b[4] for b in on)))
                )
            pos += len(cell) + 3
        offset += len(row) + 1
    return out


def _draw_page(image: Image.Image, scale: float, blocks: list[tuple[Rect, tuple[int, int, int]]], marks) -> None:
    draw = ImageDraw.Draw(image, "RGBA")

    def px(r: Rect) -> tuple[float, float, float, float]:
        return (r[0] * scale - 2, r[1] * scale - 2, r[2] * scale + 2, r[3] * scale + 2)

    for rect, colour in blocks:
        draw.rectangle(px(rect), outline=(*colour, 220), width=2)
    for rect, colour in marks:
        box = (rect[0] * scale, rect[1] * scale, rect[2] * scale, rect[3] * scale)
        draw.rectangle(box, fill=(*colour, 60), outline=(*colour, 255), width=1)


def _jpeg(image: Image.Image) -> bytes:
    buf = io.BytesIO()
    image.convert("RGB").save(buf, format="JPEG", quality=70, optimize=True)
    return buf.getvalue()


def check_pdf_matches(pdf: Path, documents: list[dict]) -> None:
    """Refuse a PDF that is not the processed file: its boxes would be drawn on the wrong pages."""
    if documents and documents[0].get("sha256"):
        digest = hashlib.sha256(pdf.read_bytes()).hexdigest()
        if digest != documents[0]["sha256"]:
            raise ValueError(f"{pdf} is not the file that was processed (sha256 differs); pass the right --pdf")


def show(output_dir: Path, document_id: str, pdf: Path, to_dir: Path, scale: float = 1.25) -> Review:
    """Render the annotated pages of one processed document and its review page into ``to_dir``."""
    tables = {
        name: _table(output_dir, name, document_id)
        for name in ("documents", "pages", "blocks", "sections", "mentions", "amounts", "dates", "people")
    }
    tables["organizations"] = _table(output_dir, "organizations", document_id)
    if not tables["blocks"]:
        raise FileNotFoundError(f"{document_id} has no output in {output_dir}; run `report-facts run` on it first")
    check_pdf_matches(pdf, tables["documents"])
    level = {s["block_id"]: s["level"] for s in tables["sections"]}
    outlines: dict[int, list[tuple[Rect, tuple[int, int, int]]]] = defaultdict(list)
    for b in tables["blocks"]:
        colour = heading_colour(level.get(b["block_id"])) if b["kind"] == "heading" else KIND_COLOURS.get(b["kind"])
        for page, rect in block_rects(b).items():
            outlines[page].append((rect, colour or OTHER_LABEL))
        if b["kind"] == "table":
            for page, rect in cell_rects(b):
                outlines[page].append((rect, KIND_COLOURS["cell"]))
    marks: dict[int, list[tuple[Rect, tuple[int, int, int]]]] = defaultdict(list)
    for m in tables["mentions"]:
        for box in m["boxes"] or []:
            rect = (box["x0"], box["top"], box["x1"], box["bottom"])
            marks[box["page"]].append((rect, LABEL_COLOURS.get(m["label"], OTHER_LABEL)))
    folder = to_dir / document_id
    folder.mkdir(parents=True, exist_ok=True)
    images: list[Path] = []
    encoded: list[str] = []
    doc = pdfium.PdfDocument(str(pdf))
    try:
        for i in range(len(doc)):
            page = doc[i]
            image = page.render(scale=scale).to_pil()
            page.close()
            _draw_page(image, scale, outlines.get(i + 1, []), marks.get(i + 1, []))
            data = _jpeg(image)
            path = folder / f"page-{i + 1:03d}.jpg"
            path.write_bytes(data)
            images.append(path)
            encoded.append("data:image/jpeg;base64," + base64.b64encode(data).decode())
    finally:
        doc.close()
    html = to_dir / f"{document_id}.html"
    html.write_text(render_html(document_id, tables, encoded, _legend()), encoding="utf-8")
    return Review(html, images)


def _legend() -> list[tuple[str, str, bool]]:
    """(name, css colour, filled) for the page legend."""

    def css(c: tuple[int, int, int]) -> str:
        return f"rgb({c[0]},{c[1]},{c[2]})"

    out = [(f"heading level {i + 1}", css(c), False) for i, c in enumerate(HEADING_COLOURS)]
    out += [(kind.replace("_", " "), css(c), False) for kind, c in KIND_COLOURS.items()]
    out += [(label, css(c), True) for label, c in LABEL_COLOURS.items()]
    return out
