"""Every fact's boxes hold exactly its characters on the page (read back with pdfplumber)."""

from __future__ import annotations

import pytest
from spacy.language import Language

from pipeline.boxcheck import mismatches
from pipeline.document import ParsedDocument
from pipeline.extract.facts import extract, load_nlp
from pipeline.glyphs import locate_facts, span_boxes
from pipeline.rows import text_blocks
from samplegen import GeneratedReport


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_nlp()


@pytest.mark.parametrize("key", ["a1", "b2"])
def test_characters_inside_boxes_spell_every_fact(
    key: str, reports: dict[str, GeneratedReport], parsed: dict[str, ParsedDocument], nlp: Language
) -> None:
    doc = parsed[key]
    rows = extract(text_blocks(doc.structure), nlp)
    locate_facts(rows, {b.block_id: b.glyphs for b in doc.structure.blocks})
    mentions = rows["mentions"]
    assert {m["label"] for m in mentions} >= {"MONEY", "DATE", "ORG", "PERSON"}
    assert all(m["boxes"] for m in mentions), [m["text"] for m in mentions if not m["boxes"]]
    assert mismatches(reports[key].path, mentions) == []
    assert all(a["boxes"] for a in rows["amounts"]) and all(d["boxes"] for d in rows["dates"])


def test_a_span_over_a_line_break_has_a_box_per_line(parsed: dict[str, ParsedDocument]) -> None:
    block = next(
        b
        for b in parsed["a1"].structure.blocks
        if b.kind == "paragraph" and len(b.glyphs) >= 2 and b.glyphs[0].page == b.glyphs[1].page
    )
    second = block.glyphs[1]
    boxes = span_boxes(block.glyphs, second.start - 3, second.start + 3)
    assert len(boxes) == 2
    assert boxes[0][4] <= boxes[1][2]  # the second line's box is below the first


def test_a_span_over_a_page_break_has_a_box_on_each_page(parsed: dict[str, ParsedDocument]) -> None:
    blocks = [
        b for key in parsed for b in parsed[key].structure.blocks if b.page_end > b.page and b.kind == "paragraph"
    ]
    assert blocks, "the sample reports have a paragraph running over a page break"
    block = blocks[0]
    split = next(r for r in block.glyphs if r.page > block.page)
    boxes = span_boxes(block.glyphs, split.start - 4, split.start + 4)
    assert [b[0] for b in boxes] == [block.page, split.page]
