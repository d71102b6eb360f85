"""Heading levels and titles on our own reports in typographies that hide levels from a size ranking.

Style C sets every heading at body size (bold, bold italic, underlined, italic) with "[n]" calls
and a table of contents without dot leaders. Style D centres chapter titles in small capitals,
sets small-caps and italic sub-heads, puts the chapter title in the running header of odd pages
and the folios on the outer edge.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

import pipeline.structure as structure
from pipeline import sections
from pipeline.document import parse
from pipeline.model import Block, Char, Line
from pipeline.typography import small_caps_word
from samplegen import STYLE_C, STYLE_D, build_report

VARIANTS = {"c": STYLE_C, "d": STYLE_D}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict:
    root = tmp_path_factory.mktemp("headings")
    out = {}
    for name, style in VARIANTS.items():
        report = build_report(root / f"veldoria-{name}.pdf", style, 1)
        out[name] = (report, parse(report.path, workers=1))
    return out


@pytest.fixture(params=sorted(VARIANTS))
def case(request, built):
    return built[request.param]


def test_sections_level_number_title_page(case) -> None:
    report, doc = case
    expected = [(x["level"], x["page"], x["number"], x["title"]) for x in report.sections]
    assert [(x.level, x.page, x.number, x.title) for x in doc.structure.sections] == expected


def test_levels_are_contiguous_under_their_parents(case) -> None:
    _, doc = case
    for x in doc.structure.sections:
        assert x.level == (x.parent.level + 1 if x.parent else 1)


def test_toc_found_and_linked(case) -> None:
    report, doc = case
    s = doc.structure
    assert len(s.toc) == len(report.toc)
    assert [e.level for e in s.toc] == [e["level"] for e in report.toc]
    assert all(x.in_toc for x in s.sections if x.level <= 3)


def test_running_header_and_folios_stay_out_of_sections(case) -> None:
    report, doc = case
    assert len(doc.structure.sections) == len(report.sections)
    assert doc.title == report.to_dict()["sections"][0]["title"] or doc.title


def test_levels_without_a_table_of_contents(case, monkeypatch: pytest.MonkeyPatch) -> None:
    """Numbering and typography alone must rank the styles when there is no TOC to read."""
    report, _ = case
    monkeypatch.setattr(structure, "mark_toc", lambda pages: [])
    doc = parse(report.path, workers=1)
    toc_page = 2  # without TOC parsing its entries look like headings; the body must still be right
    got = [(x.level, x.number, x.title) for x in doc.structure.sections if x.page != toc_page]
    assert got == [(x["level"], x["number"], x["title"]) for x in report.sections if x["page"] != toc_page]


def _char(text: str, x: float, size: float) -> Char:
    return Char(text, x, x + 0.6 * size, 100 - size, 100, size, "Serif")


def test_small_caps_word_restores_case() -> None:
    word = [_char("B", 0, 12)] + [_char(ch, 10 + 7 * i, 9.4) for i, ch in enumerate("OARD")]
    assert small_caps_word(word) == ("Board", 12)
    assert small_caps_word([_char(ch, 8 * i, 12) for i, ch in enumerate("VNRC")]) is None
    assert small_caps_word([_char("B", 0, 12), *(_char(ch, 10 + 7 * i, 9.4) for i, ch in enumerate("oard"))]) is None


def _paper(path: Path, metadata_title: str | None, caps: bool = False) -> Path:
    """A one-page paper: no cover, a large title, headings (bold, or numbered capitals) and prose on page 1."""
    c = Canvas(str(path), pagesize=A4, invariant=1)
    if metadata_title is not None:
        c.setTitle(metadata_title)
    c.setFont("Helvetica", 8)
    c.drawString(72, 800, "Proceedings of the Tenth Workshop on Imaginary Results")
    c.setFont("Times-Bold", 18)
    c.drawString(72, 740, "Counting Lanterns in the Harbour of Veldoria")
    y = 700
    for n, (heading, lines) in enumerate((("Abstract", 5), ("Introduction", 8), ("Method", 8)), start=1):
        c.setFont("Times-Roman" if caps else "Times-Bold", 11)
        c.drawString(72, y, f"{n}. {heading.upper()}" if caps else heading)
        y -= 20
        c.setFont("Times-Roman", 11)
        for i in range(lines):
            c.drawString(
                72, y, f"Lantern keepers counted the lights along the quay each evening, line {i + 1} of {heading}."
            )
            y -= 14
        y -= 10
    c.save()
    return path


@pytest.mark.parametrize("metadata_title", [None, "Microsoft Word - draft3.docx"])
def test_title_and_headings_from_the_first_page(tmp_path: Path, metadata_title: str | None) -> None:
    doc = parse(_paper(tmp_path / "paper.pdf", metadata_title), workers=1)
    assert doc.title == "Counting Lanterns in the Harbour of Veldoria"
    titles = [x.title for x in doc.structure.sections]
    assert titles[-3:] == ["Abstract", "Introduction", "Method"]


def _block(page: int, top: float, size: float, text: str, bold: bool = False, n_lines: int = 1) -> Block:
    lines = [
        Line(page, [], 72, 500, top + i * size * 1.3, top + i * size * 1.3 + size, size, "Serif", bold, False, text)
        for i in range(n_lines)
    ]
    return Block(
        "paragraph",
        lines,
        text,
        page=page,
        page_end=page,
        x0=72,
        top=top,
        x1=500,
        bottom=lines[-1].bottom,
        size=size,
        bold=bold,
    )


def test_chapter_title_repeated_as_running_head_is_not_a_section() -> None:
    """A running head furniture detection missed repeats a chapter title, smaller, at the top of a page."""
    prose = "Lantern keepers counted the lights along the quay each evening and wrote them down."
    blocks = [
        _block(3, 90, 16, "Harbour Lights", bold=True),
        _block(3, 130, 11, prose, n_lines=3),
        _block(4, 60, 13, "Harbour Lights"),
        _block(4, 90, 11, prose, n_lines=3),
        _block(5, 90, 16, "Quay Records", bold=True),
        _block(5, 130, 11, prose, n_lines=3),
    ]
    found = sections.detect(blocks, 11.0, [], set())
    assert [(x.title, x.page) for x in found] == [("Harbour Lights", 3), ("Quay Records", 5)]


@pytest.mark.parametrize(
    "text", ["lights = count_lanterns(quay, evening)", "Table 3: Lanterns by quay", "• Lanterns on the quay"]
)
def test_code_captions_and_bullets_are_not_headings(text: str) -> None:
    prose = "Lantern keepers counted the lights along the quay each evening and wrote them down."
    blocks = [
        _block(3, 90, 16, "Harbour Lights", bold=True),
        _block(3, 130, 11, prose, n_lines=3),
        _block(3, 190, 13, text, bold=True),
        _block(3, 220, 11, prose, n_lines=3),
    ]
    assert [x.title for x in sections.detect(blocks, 11.0, [], set())] == ["Harbour Lights"]


def test_numbered_headings_in_capitals_at_body_size(tmp_path: Path) -> None:
    doc = parse(_paper(tmp_path / "paper.pdf", None, caps=True), workers=1)
    found = [(x.number, x.title) for x in doc.structure.sections]
    assert found[-3:] == [("1.", "ABSTRACT"), ("2.", "INTRODUCTION"), ("3.", "METHOD")]
