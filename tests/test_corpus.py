"""The user's report and real-world PDFs from ../shared, when present (skipped cleanly otherwise).

Scores are computed with the project's answer-key scorer (../shared/eval/score.py) and held
to the acceptance figures of the issues, so a regression on the real report fails CI.
"""

import importlib.util
import json
from pathlib import Path

import pandas as pd
import pytest

from pipeline.boxcheck import mismatches
from pipeline.commit import document_version, write_document
from pipeline.document import all_tables, parse, structure_tables
from pipeline.editions import Edition, diff
from pipeline.extract.facts import extract, load_nlp
from pipeline.extract.flows import money_flows
from pipeline.glyphs import locate_facts
from pipeline.rows import text_blocks
from pipeline.schemas import to_arrow
from pipeline.writer import write_partition
from tests.conftest import CORPUS, REALWORLD, SHARED, require


def _process(pdf: Path, out: Path) -> dict:
    doc = parse(pdf)
    tables = structure_tables(doc)
    facts = extract(text_blocks(doc.structure), load_nlp())
    locate_facts(facts, {b.block_id: b.glyphs for b in doc.structure.blocks})
    tables |= {name: to_arrow(name, r) for name, r in facts.items()}
    rows = {name: tables[name].to_pylist() for name in ("blocks", "sections", "mentions", "amounts", "dates")}
    entities = tables["organizations"].to_pylist() + tables["people"].to_pylist()
    flows = money_flows(rows["blocks"], rows["sections"], rows["mentions"], entities, rows["amounts"], rows["dates"])
    tables["money_flows"] = to_arrow("money_flows", flows)
    write_document(out, doc.document_id, document_version(doc.sha256), all_tables(tables))
    write_partition(out, "money_flows", doc.document_id, tables["money_flows"])  # derived after the commit
    return tables


@pytest.fixture(scope="module")
def corpus_2024(tmp_path_factory):
    pdf = require(CORPUS / "china-st-presence-2024.pdf")
    out = tmp_path_factory.mktemp("corpus")
    return out, _process(pdf, out)


def test_every_fact_of_the_report_is_spelled_by_the_characters_in_its_boxes(corpus_2024) -> None:
    _, tables = corpus_2024
    pdf = CORPUS / "china-st-presence-2024.pdf"
    for name in ("mentions", "amounts", "dates"):
        rows = tables[name].to_pylist()
        assert all(r["boxes"] for r in rows), name
        assert mismatches(pdf, rows) == [], name


@pytest.fixture(scope="module")
def scores(corpus_2024) -> dict:
    script = require(SHARED / "eval" / "score.py")
    spec = importlib.util.spec_from_file_location("score", script)
    score = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(score)
    out, _ = corpus_2024
    gold = SHARED / "gold" / "china-st-presence-2024"
    doc_id, _ = score.pick_document(str(out), {"pdf": "china-st-presence-2024.pdf"})
    rng = json.loads((gold / "meta.json").read_text())["entity_pages"]
    rows = lambda name: score.rows_for(str(out), name, doc_id)  # noqa: E731
    g = lambda name: score.load_gold(str(gold), name)  # noqa: E731
    return {
        "sections": score.score_sections(g("sections"), rows("sections")),
        "footnotes": score.score_footnotes(g("footnotes"), rows("footnotes")),
        "tables": score.score_tables(g("tables"), rows("tables")),
        "amounts": score.score_amounts(g("amounts"), rows("amounts"), rng),
        "dates": score.score_dates(g("dates"), rows("dates"), rng),
        "people": score.score_entities(g("people"), rows("people"), rng),
        "organizations": score.score_entities(g("orgs"), rows("organizations"), rng),
        "money_flows": score.score_funding(g("funding"), rows("money_flows"), rows("amounts"), g("orgs"), rng),
    }


def test_structure_scores(scores) -> None:
    s = scores["sections"]
    assert s["toc_recall"] == 1.0
    assert s["toc_level_accuracy"] >= 0.98 and s["toc_number_accuracy"] >= 0.98
    assert s["minor_heading_recall"] >= 0.90 and s["precision"] >= 0.95
    assert scores["footnotes"]["f1"] >= 0.98 and scores["footnotes"]["call_page_accuracy"] >= 0.95
    assert scores["tables"]["recall"] == 1.0 and scores["tables"]["precision"] == 1.0


def test_fact_scores(scores) -> None:
    assert scores["amounts"]["f1"] >= 0.95
    assert scores["dates"]["f1"] >= 0.93
    assert scores["people"]["f1"] >= 0.90 and scores["people"]["page_recall"] >= 0.90
    assert scores["organizations"]["f1"] >= 0.70 and scores["organizations"]["acronym_resolution"] >= 0.85


def test_money_flow_scores(scores) -> None:
    f = scores["money_flows"]
    assert f["all_right"] >= 0.80, f["wrong_examples"]
    assert f["from_accuracy"] >= 0.90 and f["to_accuracy"] >= 0.90, f["wrong_examples"]
    assert f["period_accuracy"] >= 0.90 and f["restates_accuracy"] >= 0.95, f["wrong_examples"]


def test_every_mention_offset_round_trips(corpus_2024) -> None:
    _, tables = corpus_2024
    text = dict(zip(tables["blocks"]["block_id"].to_pylist(), tables["blocks"]["text"].to_pylist(), strict=True))
    for m in tables["mentions"].to_pylist():
        assert text[m["block_id"]][m["start_char"] : m["end_char"]] == m["text"]


def test_new_edition_change_list(corpus_2024, tmp_path) -> None:
    newer = require(CORPUS / "china-st-presence-2025.pdf")
    tables_new = _process(newer, tmp_path)
    _, tables_old = corpus_2024
    changes = diff(Edition.from_tables("old", tables_old), Edition.from_tables("new", tables_new))
    kinds = [(c.kind, c.object) for c in changes]
    assert kinds.count(("removed", "section")) == 1 and kinds.count(("renumbered", "section")) == 1
    renumbered = next(c for c in changes if c.kind == "renumbered")
    assert renumbered.old.startswith("(11) ") and renumbered.new.startswith("(10) ")
    assert kinds.count(("added", "paragraph")) == 1
    assert not any(c.object == "paragraph" and c.kind != "added" for c in changes)
    assert kinds.count(("changed", "amount")) >= 2
    # figures appear or disappear only with the paragraph or section that holds them
    figures = [c for c in changes if c.object in ("amount", "date") and c.kind != "changed"]
    assert all(c.kind in ("added", "removed") and c.detail.startswith(f"in the {c.kind} ") for c in figures)
    added = {(c.object, c.new) for c in figures if c.kind == "added"}
    assert ("amount", "12 million USD") in added and ("date", "2024-09") in added
    assert {c.object for c in changes} == {"section", "paragraph", "amount", "date"}  # nothing spurious


def test_federal_register_columns_headers_and_amounts(tmp_path) -> None:
    pdf = require(REALWORLD / "federal-register-2020-17221.pdf")
    tables = _process(pdf, tmp_path)
    pages = tables["pages"].to_pylist()
    assert all(p["page_label"] and p["page_label"].isdigit() for p in pages)
    assert all(p["furniture_chars"] > 0 for p in pages)  # running header and typesetting codes on every page
    blocks = pd.DataFrame(tables["blocks"].to_pylist())
    assert not blocks["text"].str.contains("Federal Register/Vol", regex=False).any()
    header_date = pd.DataFrame(tables["dates"].to_pylist())
    assert (header_date["start"].astype(str) == "2020-08-06").sum() < len(pages) / 2
    amounts = pd.DataFrame(tables["amounts"].to_pylist())
    assert (amounts["currency"] == "USD").all() and len(amounts) >= 10
    kinds = set(blocks.set_index("block_id").loc[amounts["block_id"], "kind"])
    assert "table" in kinds and kinds & {"paragraph", "list_item"}
