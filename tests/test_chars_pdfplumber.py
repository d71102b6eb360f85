"""The pdfplumber source reads ``page.layout`` directly; it must equal pdfplumber's public dict API bit for bit."""

from pathlib import Path

import pdfplumber
import pytest

from pipeline.chars import extract_pages
from pipeline.chars_pdfplumber import extract_pages_pdfplumber
from pipeline.model import Char, Edge, RawPage, hex_colour
from tests.conftest import REALWORLD, require


def _reference(page: pdfplumber.page.Page) -> RawPage:
    """The page as pdfplumber's documented ``chars``, ``edges``, ``rects``, ``curves`` and ``images`` give it."""
    chars = [
        Char(
            text=c["text"],
            x0=float(c["x0"]),
            x1=float(c["x1"]),
            top=float(c["top"]),
            bottom=float(c["bottom"]),
            size=round(float(c["size"]), 1),
            font=str(c.get("fontname") or ""),
            upright=bool(c.get("upright", True)),
            colour=hex_colour(c.get("non_stroking_color")),
        )
        for c in page.chars
    ]
    edges = [
        Edge(float(e["x0"]), float(e["top"]), float(e["x1"]), float(e["bottom"]), e["orientation"])
        for e in page.edges
        if e.get("orientation") in ("h", "v")
    ]
    graphics = [
        (float(o["x0"]), float(o["top"]), float(o["x1"]), float(o["bottom"]))
        for kind in ("rects", "curves", "images")
        for o in getattr(page, kind)
    ]
    return RawPage(page.page_number, float(page.width), float(page.height), chars, edges, graphics)


def _pdf(objects: list[bytes]) -> bytes:
    """A minimal PDF from numbered object bodies (object 1 is the catalog), with a correct xref table."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"


@pytest.fixture(scope="module")
def awkward_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """What our generated reports never contain: a MediaBox off the origin, a form XObject, rotated
    text, a bare path, a ruled line, a filled rectangle and a Bezier curve."""
    form = b"BT /F1 9 Tf 10 10 Td (Inside a form) Tj ET 0 0 m 80 0 l S"
    content = (
        b"BT /F1 12 Tf 72 700 Td (Offset page, upright text) Tj ET "
        b"BT /F2 10 Tf 0 1 -1 0 300 400 Tm (Turned text) Tj ET "
        b"72 650 m 400 650 l S "
        b"100 500 150 40 re f "
        b"72 400 m 100 450 200 450 250 400 c S "
        b"72 300 m 72 200 l 200 200 l S "
        b"q 1 0 0 1 300 100 cm /Fx Do Q"
    )
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [20 30 632 822] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R /F2 6 0 R >> /XObject << /Fx 7 0 R >> >> >>",
        _stream(content),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Times-Bold >>",
        _stream(form, b"/Type /XObject /Subtype /Form /BBox [0 0 200 100] /Resources << /Font << /F1 5 0 R >> >>"),
    ]
    path = tmp_path_factory.mktemp("awkward") / "awkward.pdf"
    path.write_bytes(_pdf(objects))
    return path


def _assert_same_as_reference(path: Path) -> None:
    with pdfplumber.open(path) as pdf:
        expected = [_reference(page) for page in pdf.pages]
    assert extract_pages_pdfplumber(str(path), range(len(expected))) == expected


def test_awkward_page_matches_pdfplumber(awkward_pdf: Path) -> None:
    _assert_same_as_reference(awkward_pdf)
    (page,) = extract_pages_pdfplumber(str(awkward_pdf), [0])
    text = "".join(c.text for c in page.chars)
    assert "Offset page" in text and "Inside a form" in text and "Turned text" in text
    assert any(not c.upright for c in page.chars)
    assert {e.orientation for e in page.edges} == {"h", "v"}
    assert len(page.graphics) >= 3  # rectangle, Bezier curve, bare path


@pytest.mark.parametrize("key", ["a1", "b1"])
def test_sample_reports_match_pdfplumber(reports, key: str) -> None:
    _assert_same_as_reference(reports[key].path)


@pytest.mark.parametrize("name", ["federal-register-2020-17221.pdf", "word365_structure.pdf"])
def test_realworld_files_match_pdfplumber(name: str) -> None:
    _assert_same_as_reference(require(REALWORLD / name))


def test_readers_interleave_pages_and_return_them_in_order(reports, monkeypatch) -> None:
    import pipeline.chars

    monkeypatch.setattr(pipeline.chars, "_MIN_PAGES_PER_WORKER", 1)  # our samples are shorter than two readers need
    path = reports["a1"].path
    assert extract_pages(path, workers=3) == extract_pages(path, workers=1)
    assert [p.page for p in extract_pages(path, workers=3)] == list(range(1, reports["a1"].page_count + 1))
