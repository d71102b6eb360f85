"""Figures vs text on small PDFs drawn here: a figure is a graphics region, not any text near graphics."""

from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from pipeline.document import parse

TEXT = (
    "The council reviewed the programme budgets and agreed that the fellowship scheme should grow "
    "steadily over the next three years while the voucher scheme remains at its present size and scope"
)
WORDS = TEXT.split()


def _paragraph(c: Canvas, x: float, y: float, n_lines: int, words_per_line: int = 11) -> float:
    c.setFont("Times-Roman", 11)
    for i in range(n_lines):
        start = (i * words_per_line) % len(WORDS)
        line = [WORDS[(start + k) % len(WORDS)] for k in range(words_per_line)]
        c.drawString(x, y, " ".join(line))
        y -= 14
    return y - 10


def _kinds(path: Path) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for b in parse(path, workers=1).structure.blocks:
        out.setdefault(b.kind, []).append(b.text)
    return out


def test_shaded_panel_behind_text_is_not_a_figure(tmp_path: Path) -> None:
    path = tmp_path / "panel.pdf"
    c = Canvas(str(path), pagesize=A4)
    y = _paragraph(c, 72, 760, 6)
    c.setFillColorRGB(0.9, 0.92, 0.95)
    c.rect(66, y - 90, 463, 100, stroke=0, fill=1)
    c.setFillColorRGB(0, 0, 0)
    y = _paragraph(c, 72, y - 4, 6)
    _paragraph(c, 72, y - 20, 6)
    c.save()
    kinds = _kinds(path)
    assert "figure" not in kinds
    assert sum(len(t.split()) for t in kinds["paragraph"]) == 18 * 11


def test_chart_labels_are_figure_text_and_text_beside_it_stays_text(tmp_path: Path) -> None:
    path = tmp_path / "chart.pdf"
    c = Canvas(str(path), pagesize=A4)
    y = _paragraph(c, 72, 760, 5)
    c.rect(80, y - 185, 180, 150, stroke=1, fill=0)  # the chart's frame holds bars and labels
    c.setFillColorRGB(0.2, 0.3, 0.5)
    for i, h in enumerate((60, 90, 40, 120)):  # a bar chart on the left half
        c.rect(90 + i * 40, y - 160, 24, h, stroke=0, fill=1)
    c.setFillColorRGB(0, 0, 0)
    c.setFont("Helvetica", 7)
    for i, label in enumerate(("North", "South", "East", "West")):
        c.drawString(90 + i * 40, y - 170, label)
    _paragraph(c, 300, y - 40, 8, words_per_line=6)  # running text beside the chart
    c.save()
    kinds = _kinds(path)
    figure = " ".join(kinds.get("figure", []))
    assert all(label in figure for label in ("North", "South", "East", "West"))
    assert sum(len(t.split()) for t in kinds["paragraph"]) == 5 * 11 + 8 * 6


def test_page_without_graphics_has_no_figure(tmp_path: Path) -> None:
    path = tmp_path / "plain.pdf"
    c = Canvas(str(path), pagesize=A4)
    y = _paragraph(c, 72, 760, 8)
    c.setFont("Helvetica", 9)
    for i, (name, value) in enumerate((("Alpha", "12.5"), ("Beta", "7.25"), ("Gamma", "3.0"))):
        c.drawString(90, y - i * 13, name)
        c.drawRightString(300, y - i * 13, value)
    _paragraph(c, 72, y - 60, 4)
    c.save()
    assert "figure" not in _kinds(path)
