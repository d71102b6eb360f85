"""The generator's answer key must agree with what pdfplumber reads back from the PDF."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pdfplumber
import pytest
from pdfminer.pdfdocument import PDFNoPageLabels

from samplegen import STYLE_A, STYLE_B, GeneratedReport, build_report
from samplegen.report import _CJK

VARIANTS = [("a", 1), ("a", 2), ("b", 1), ("b", 2)]


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, int], tuple[GeneratedReport, list[str]]]:
    """Build every style/edition once; keep the report and the normalised text of each page."""
    out = {}
    root = tmp_path_factory.mktemp("samplegen")
    for name, edition in VARIANTS:
        style = STYLE_A if name == "a" else STYLE_B
        report = build_report(root / f"{name}{edition}.pdf", style, edition)
        with pdfplumber.open(report.path) as pdf:
            texts = [norm(page.extract_text() or "") for page in pdf.pages]
        out[(name, edition)] = (report, texts)
    return out


@pytest.fixture(params=VARIANTS, ids=lambda v: f"{v[0]}{v[1]}")
def variant(request: pytest.FixtureRequest, built: dict) -> tuple[GeneratedReport, list[str]]:
    return built[request.param]


def first_words(text: str, n: int = 4) -> str:
    return " ".join(text.split()[:n])


def head(text: str) -> str:
    """First token up to a hyphen: compounds may be broken at a line end."""
    return re.split(r"[\s-]", text)[0]


def test_headings_appear_on_their_recorded_page(variant: tuple[GeneratedReport, list[str]]) -> None:
    report, texts = variant
    for section in report.sections:
        page_text = texts[section["page"] - 1]
        assert section["title"] in page_text, section
        if section["number"]:
            assert section["number"] in page_text, section


def test_footnotes_start_on_their_recorded_page(variant: tuple[GeneratedReport, list[str]]) -> None:
    report, texts = variant
    assert 15 <= len(report.footnotes) <= 25
    for note in report.footnotes:
        assert first_words(note["text"]) in texts[note["page"] - 1], note
        assert note["call_page"] <= note["page"] <= note["page_end"]


def test_page_labels_in_catalog_match_style(variant: tuple[GeneratedReport, list[str]]) -> None:
    report, _ = variant
    with pdfplumber.open(report.path) as pdf:
        if report.style == "a":
            labels = list(itertools.islice(pdf.doc.get_page_labels(), len(pdf.pages)))
            assert labels == [label or "" for label in report.page_labels]
        else:
            assert "PageLabels" not in pdf.doc.catalog
            with pytest.raises(PDFNoPageLabels):
                pdf.doc.get_page_labels()


def test_page_count_and_printed_folios(variant: tuple[GeneratedReport, list[str]]) -> None:
    report, texts = variant
    with pdfplumber.open(report.path) as pdf:
        assert len(pdf.pages) == report.page_count == len(report.page_labels)
    assert 8 <= report.page_count <= 12
    assert report.page_labels[0] is None
    assert report.page_labels[1:3] == ["i", "ii"]
    assert "1" in report.page_labels
    for text, label in zip(texts[1:], report.page_labels[1:], strict=True):
        assert text.endswith(label) or f" {label} " in text


def test_chinese_cells_are_extractable(variant: tuple[GeneratedReport, list[str]]) -> None:
    report, texts = variant
    cjk_tables = [t for t in report.tables if any(_CJK.search(c) for row in t["cells"] for c in row)]
    assert cjk_tables
    for table in cjk_tables:
        for cell in (c for row in table["cells"] for c in row if _CJK.search(c)):
            assert cell in texts[table["page"] - 1]


def test_paragraphs_start_and_end_where_recorded(variant: tuple[GeneratedReport, list[str]]) -> None:
    report, texts = variant
    for para in report.paragraphs:
        assert first_words(para["text"], 3) in texts[para["page"] - 1], para
        last = para["text"].split()[-1]
        assert last in texts[para["page_end"] - 1], para
    assert any(p["page_end"] > p["page"] for p in report.paragraphs)


def test_layout_features_are_present(variant: tuple[GeneratedReport, list[str]]) -> None:
    report, _ = variant
    sections = report.sections
    assert sum(s["level"] == 1 and (s["number"] or "x")[0].isdigit() for s in sections) >= 4
    assert {s["level"] for s in sections} == {1, 2, 3, 4}
    assert any(s["n_lines"] >= 2 for s in sections)
    assert all(not s["in_toc"] for s in sections if s["level"] == 4)
    assert [e["title"] for e in report.toc] == [s["title"] for s in sections if s["in_toc"]]
    assert any(s["number"] and s["number"].startswith("Reference") for s in sections)
    assert any(f["page_end"] > f["page"] for f in report.footnotes)
    assert any(t["page_end"] > t["page"] for t in report.tables)
    assert any(t["spans"] and any(sp["colspan"] > 1 for sp in t["spans"]) for t in report.tables)
    kinds = {h["kind"] for h in report.hyphenations}
    assert kinds == {"soft", "hard"}
    assert any(h["joined"].startswith("Lindqvist-Barros") for h in report.hyphenations)
    assert sum(p["kind"] == "bullet" for p in report.paragraphs) == 3


def test_hyphenated_words_render_split_but_join_in_truth(variant: tuple[GeneratedReport, list[str]]) -> None:
    report, texts = variant
    all_text = " ".join(p["text"] for p in report.paragraphs) + " ".join(f["text"] for f in report.footnotes)
    for hyph in report.hyphenations:
        page = texts[hyph["page"] - 1]
        assert hyph["line_end"] in page
        assert hyph["joined"] in all_text
        if hyph["kind"] == "soft":
            assert hyph["line_end"] + hyph["next_line_start"] not in all_text


def test_chart_text_is_not_running_text(variant: tuple[GeneratedReport, list[str]]) -> None:
    report, texts = variant
    assert report.figures
    for figure in report.figures:
        page = texts[figure["page"] - 1]
        assert figure["caption"] in page and figure["source"] in page
        for label in figure["chart_text"]:
            assert label in page
            assert not any(p["text"] == label for p in report.paragraphs)


def test_facts_appear_on_their_pages(variant: tuple[GeneratedReport, list[str]]) -> None:
    report, texts = variant
    assert len(report.amounts) >= 8 and len(report.dates) >= 10
    for fact in report.amounts + report.dates:
        assert head(fact["text"]) in texts[fact["page"] - 1], fact
    assert len(report.people) >= 6 and len(report.organizations) >= 10
    for entity in report.people + report.organizations:
        assert entity["pages"], entity
        for mention in entity["mentions"]:
            assert head(mention["text"]) in texts[mention["page"] - 1], mention
    rda = [o for o in report.organizations if o["acronym"] == "RDA"]
    assert len(rda) == 2 and all(o["pages"] for o in rda)


def test_edition_two_differs_exactly_as_recorded(built: dict) -> None:
    for name in ("a", "b"):
        old, _ = built[(name, 1)]
        new, new_texts = built[(name, 2)]
        assert old.edition_changes == []
        kinds = {(c["kind"], c["object"]) for c in new.edition_changes}
        assert kinds >= {
            ("changed", "amount"),
            ("removed", "section"),
            ("renumbered", "section"),
            ("added", "paragraph"),
        }
        for change in new.edition_changes:
            if change["object"] == "amount":
                assert change["old"] is None or change["old"] in {a["text"] for a in old.amounts}
                assert change["new"] is None or change["new"] in {a["text"] for a in new.amounts}
            if change["object"] == "date":  # listed as ISO values
                assert change["new"] is None or change["new"][:4] in {d["start"][:4] for d in new.dates}
            if change["kind"] == "removed" and change["object"] == "section":
                assert change["old"]["title"] not in {s["title"] for s in new.sections}
            if change["kind"] == "renumbered":
                (section,) = [s for s in new.sections if s["title"] == change["new"]["title"]]
                assert section["number"] == change["new"]["number"] != change["old"]["number"]
            if change["kind"] == "added" and change["object"] == "paragraph":
                assert change["new"]["text"] in {p["text"] for p in new.paragraphs}
        assert {s["title"] for s in old.sections} - {s["title"] for s in new.sections} == {
            c["old"]["title"] for c in new.edition_changes if c["kind"] == "removed" and c["object"] == "section"
        }
        assert {("added", "amount"), ("added", "date")} <= kinds  # the figures of the added paragraph
        assert "March 2026" in new_texts[0]


def test_output_is_deterministic(tmp_path: Path) -> None:
    first = build_report(tmp_path / "one.pdf", STYLE_B, 2)
    second = build_report(tmp_path / "two.pdf", STYLE_B, 2)
    assert first.path.read_bytes() == second.path.read_bytes()
    assert first.to_dict() | {"path": ""} == second.to_dict() | {"path": ""}
