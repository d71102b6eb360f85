"""Heading levels and titles on our own reports in typographies that hide levels from a size ranking.

Style C sets every heading at body size (bold, bold italic, underlined, italic) with "[n]" calls
and a table of contents without dot leaders. Style D centres chapter titles in small capitals,
sets small-caps and italic sub-heads, puts the chapter title in the running header of odd pages
and the folios on the outer edge. Style F sets every heading in the body's roman at body size,
each level in a colour of its own.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

import pipeline.structure as structure
from pipeline import sections
from pipeline.document import parse
from pipeline.model import Block, Char, Line, Word
from pipeline.typography import small_caps_word
from samplegen import STYLE_C, STYLE_D, STYLE_F, build_report

VARIANTS = {"c": STYLE_C, "d": STYLE_D, "f": STYLE_F}


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


def _wrapped(page: int, top: float, size: float, texts: list[str], x0: float, bold: bool) -> Block:
    """A block whose lines carry their words, so line widths and wrapping can be read."""
    lines = []
    for i, text in enumerate(texts):
        x, words = x0, []
        for t in text.split():
            words.append(Word(t, x, x + 0.5 * size * len(t), top, top + size, size, "Serif-Bold" if bold else "Serif"))
            x = words[-1].x1 + 0.25 * size
        y = top + i * size * 1.3
        lines.append(Line(page, words, x0, words[-1].x1, y, y + size, size, "Serif", bold, False, text))
    return Block(
        "paragraph",
        lines,
        " ".join(texts),
        page=page,
        page_end=page,
        x0=x0,
        top=top,
        x1=max(ln.x1 for ln in lines),
        bottom=lines[-1].bottom,
        size=size,
        bold=bold,
    )


_PROSE = "Lantern keepers counted the lights along the quay each evening and wrote them down in ledgers."


def _two_column_page(page: int, heading: Block) -> list[Block]:
    """Prose in a left and a right column, the heading at the top of the left one."""
    prose = [_PROSE[i : i + 40] for i in range(0, 80, 40)]
    return [
        heading,
        _wrapped(page, 300, 10, prose * 3, 72, False),
        _wrapped(page, 100, 10, prose * 3, 300, False),
        _wrapped(page, 300, 10, prose * 3, 300, False),
    ]


def test_heading_wrapped_over_many_lines_of_a_narrow_column() -> None:
    """Six lines in a column half the text width is the same length as three across the page."""
    words = (
        "Primary agencies responsible for the presence of Veldoria in international science and "
        "technology related organisations such as the research council and the academy, and their policies"
    )
    lines, line = [], ""
    for w in words.split():  # fill the column as the prose beside it does
        if line and len(line) + 1 + len(w) > 36:
            lines.append(line)
            line = w
        else:
            line = f"{line} {w}".strip()
    lines.append(line)
    heading = _wrapped(3, 100, 11, lines, 72, True)
    full = [_wrapped(2, 100 + 60 * i, 10, [_PROSE[:60]] * 3, 72, False) for i in range(3)]
    found = sections.detect(full + _two_column_page(3, heading), 10.0, [], set())
    assert len(lines) > 4 and [x.title for x in found] == [words]


def test_stack_of_short_bold_lines_is_not_a_heading() -> None:
    stack = _wrapped(3, 100, 11, ["North quay", "South quay", "Lighthouse", "Old harbour", "Ferry pier"], 72, True)
    full = [_wrapped(2, 100 + 60 * i, 10, [_PROSE[:60]] * 3, 72, False) for i in range(3)]
    assert sections.detect(full + _two_column_page(3, stack), 10.0, [], set()) == []


def test_title_over_a_short_blurb_on_a_cover_is_not_a_section() -> None:
    """A cover with the report's title and two short paragraphs at body size is still a cover."""
    blurb = ["The harbour office publishes its lantern counts.", "Copies are kept at the quay."]
    cover = [
        _wrapped(1, 200, 22, ["Harbour Lights of Veldoria"], 72, True),
        _wrapped(1, 500, 10, blurb, 72, False),
        _wrapped(1, 540, 10, blurb, 72, False),
    ]
    body = [_wrapped(2, 100, 16, ["Counting the Lights"], 72, True)] + [
        _wrapped(p, 130 + 80 * i, 10, [_PROSE[:60]] * 5, 72, False) for p in (2, 3, 4) for i in range(6)
    ]
    found = sections.detect(cover + body, 10.0, [], {1})
    assert [(x.title, x.page) for x in found] == [("Counting the Lights", 2)]


_INK = (0.1, 0.25, 0.55)  # the headings' and links' colour; the prose is black


def _coloured_paper(path: Path) -> Path:
    """Headings at body size in roman, told apart by colour alone; links and chart labels in the same colour.

    Each section's paragraph ends in a link on a line of its own, short and title-cased like a heading,
    and a bar chart with coloured labels follows the first section: none of these is a heading.
    """
    c = Canvas(str(path), pagesize=A4, invariant=1)
    y = 780
    for heading in ("Harbour Lights", "Quay Records", "Ferry Lanterns"):
        c.setFillColorRGB(*_INK)
        c.setFont("Times-Roman", 11)
        c.drawString(72, y, heading)
        y -= 20
        c.setFillColorRGB(0, 0, 0)
        for i in range(4):
            c.drawString(72, y, f"Lantern keepers counted the lights along the quay each evening, line {i + 1} of it")
            y -= 14
        c.setFillColorRGB(*_INK)
        c.drawString(72, y, "Harbour Office Lantern Register")
        c.setFillColorRGB(0, 0, 0)
        y -= 24
        if heading == "Harbour Lights":
            for j, (label, width) in enumerate((("North Quay", 120), ("South Quay", 80))):
                c.setFillColorRGB(*_INK)
                c.rect(160, y - 20 * j - 10, width, 12, fill=1, stroke=0)
                c.setFont("Helvetica", 9)
                c.drawString(90, y - 20 * j - 8, label)
            c.setFillColorRGB(0, 0, 0)
            y -= 60
    c.save()
    return path


def test_headings_told_apart_by_colour_alone(tmp_path: Path) -> None:
    doc = parse(_coloured_paper(tmp_path / "coloured.pdf"), workers=1)
    found = [(x.level, x.title, x.style.size) for x in doc.structure.sections]
    assert found == [(1, "Harbour Lights", 11.0), (1, "Quay Records", 11.0), (1, "Ferry Lanterns", 11.0)]
    assert all(x.style.tint and not (x.style.bold or x.style.italic) for x in doc.structure.sections)


def _tinted(block: Block, colour: str) -> Block:
    for ln in block.lines:
        ln.colour = colour
    block.colour = colour
    return block


def test_coloured_label_over_coloured_text_is_not_a_heading() -> None:
    """A callout (a coloured label over coloured text) repeats like a heading style but heads no prose."""
    prose = [
        _tinted(_wrapped(p, 100 + 80 * i, 10, [_PROSE[:60]] * 4, 72, False), "#000000")
        for p in (2, 3)
        for i in range(4)
    ]
    callouts = []
    for p in (2, 3):
        callouts += [
            _tinted(_wrapped(p, 500, 10, ["Lantern Fact"], 72, False), "#1a408c"),
            _tinted(_wrapped(p, 520, 10, [_PROSE[:60]] * 3, 72, False), "#1a408c"),
        ]
    assert sections.detect(prose + callouts, 10.0, [], set()) == []
    headed = [_tinted(_wrapped(p, 80, 10, ["Lantern Counts"], 72, False), "#1a408c") for p in (2, 3)]
    blocks = sorted(headed + prose, key=lambda b: (b.page, b.top))
    assert [x.title for x in sections.detect(blocks, 10.0, [], set())] == ["Lantern Counts", "Lantern Counts"]
