"""``report-facts show`` in a real browser: Debian's headless Chromium driven by Playwright.

Clicking an amount must open its page with its box highlighted where the amount is printed.
No browser is downloaded: Playwright is pointed at the system Chromium. Locally the test
skips when that is not installed; under CI (``CI=true``, set by ``.ci/run``, which installs
it) a missing browser is a failure, not a skip.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pipeline.commit import document_version, write_document
from pipeline.document import ParsedDocument, all_tables, structure_tables
from pipeline.extract.facts import extract, load_nlp
from pipeline.glyphs import locate_facts
from pipeline.rows import text_blocks
from pipeline.schemas import to_arrow
from report_facts.show import show
from samplegen import GeneratedReport

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _browser_or_skip() -> Path:
    if CHROMIUM.exists():
        return CHROMIUM
    if os.environ.get("CI") == "true":
        pytest.fail(f"{CHROMIUM} is missing under CI: .ci/run installs Debian's chromium package")
    pytest.skip(f"{CHROMIUM} not installed (apt-get install -y chromium); the review page is not browser-tested")


@pytest.fixture(scope="module")
def review(tmp_path_factory, reports: dict[str, GeneratedReport], parsed: dict[str, ParsedDocument]):
    """The review page of sample report a1, from Parquet tables written by the plain pipeline."""
    root = tmp_path_factory.mktemp("review")
    doc = parsed["a1"]
    tables = structure_tables(doc)
    rows = extract(text_blocks(doc.structure), load_nlp())
    locate_facts(rows, {b.block_id: b.glyphs for b in doc.structure.blocks})
    tables |= {name: to_arrow(name, r) for name, r in rows.items()}
    write_document(root / "output", doc.document_id, document_version(doc.sha256), all_tables(tables))
    result = show(root / "output", doc.document_id, reports["a1"].path, root / "review")
    return result, rows, tables


def test_show_writes_annotated_pages_and_one_review_page(review) -> None:
    result, _, tables = review
    assert len(result.images) == tables["pages"].num_rows
    assert all(p.stat().st_size > 1000 for p in result.images)
    text = result.html.read_text(encoding="utf-8")
    assert "http://" not in text.split('<script type="application/json"')[0]  # nothing fetched from the network


def test_clicking_an_amount_highlights_its_box_on_its_page(review) -> None:
    chromium = _browser_or_skip()
    from playwright.sync_api import sync_playwright

    result, rows, tables = review
    pages = {p["page"]: p for p in tables["pages"].to_pylist()}
    # an amount printed on a later page, so opening it really changes the page shown
    amount = next(a for a in rows["amounts"] if a["boxes"] and a["boxes"][0]["page"] > 1)
    box = amount["boxes"][0]
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(chromium), args=LAUNCH_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1500, "height": 1000})
            page.goto(result.html.as_uri())
            assert page.get_attribute("#view", "data-page") == "1"
            page.click("nav.tabs button[data-panel=panel-amounts]")
            page.click(f"#panel-amounts tr.fact[data-mention='{amount['mention_id']}']")
            assert page.get_attribute("#view", "data-page") == str(box["page"])
            highlights = page.locator("#view .highlight")
            assert highlights.count() == sum(1 for b in amount["boxes"] if b["page"] == box["page"])
            image = page.locator("#page-image").bounding_box()
            mark = highlights.first.bounding_box()
            width, height = pages[box["page"]]["width"], pages[box["page"]]["height"]
            expected_left = image["x"] + image["width"] * box["x0"] / width
            expected_top = image["y"] + image["height"] * box["top"] / height
            # the CSS border (3 px) sits inside the box; allow for it
            assert abs(mark["x"] - expected_left) < 4 and abs(mark["y"] - expected_top) < 4
            assert abs(mark["width"] - image["width"] * (box["x1"] - box["x0"]) / width) < 4
            page.screenshot(path=str(result.html.with_suffix(".png")))

            section = page.locator("#panel-sections a.section").nth(3)
            page.click("nav.tabs button[data-panel=panel-sections]")
            section.click()
            assert page.get_attribute("#view", "data-page") == section.get_attribute("data-page")
            assert page.locator("#view .highlight").count() == 0
        finally:
            browser.close()
